"""Lazy imports: `import mlplatform` loads no SDK; a single-cloud plan loads no other cloud."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PROBE = """
import json, sys
import mlplatform
bare = sorted(m for m in sys.modules if m.split('.')[0].startswith('pulumi'))
from mlplatform.engine import run_stack
run_stack(sys.argv[1])
loaded = sorted({m.split('.')[0] for m in sys.modules if m.startswith('pulumi_')})
print(json.dumps({"bare": bare, "loaded": loaded}))
"""


def probe(stack: str) -> dict[str, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, stack],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("stack", "expected"),
    [
        ("aws-dev", ["pulumi_aws", "pulumi_kubernetes", "pulumi_random"]),
        ("azure-dev", ["pulumi_azure_native", "pulumi_kubernetes", "pulumi_random"]),
        ("gcp-dev", ["pulumi_gcp", "pulumi_kubernetes", "pulumi_random"]),
        ("local", ["pulumi_kubernetes", "pulumi_random"]),
    ],
)
def test_a_stack_loads_only_its_own_cloud(stack: str, expected: list[str]) -> None:
    found = probe(stack)
    assert found["bare"] == []
    assert found["loaded"] == expected


SPEC_SIDE = """
import json, sys
import mlplatform.environment.preflight, mlplatform.naming, mlplatform.network_layout
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0].startswith('pulumi'))))
"""


def test_the_spec_side_of_shared_names_and_layouts_loads_no_sdk() -> None:
    """Preflight imports the components' name and subnet functions from `mlplatform.naming` and
    `mlplatform.network_layout` instead of copying them, so those load no Pulumi SDK: the spec
    is judged without one."""
    result = subprocess.run(
        [sys.executable, "-c", SPEC_SIDE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []
