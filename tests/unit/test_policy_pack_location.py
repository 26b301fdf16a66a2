"""The policy pack ships inside the mlplatform package: `mlplatform check` finds it in a project
with no `policies/` of its own, and `mlplatform policy-pack path` prints its folder (in this
editable install, the repository's `policies/`, the pack's one source). A pack folder that holds
no pack, a stack that does not exist and no project at all are one line on stderr and exit 2.
The installed wheel is tested in tests/integration/test_wheel_install.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from mlplatform_policies import RULES

from tests.conftest import ROOT

STACK = """\
config:
  mlplatform:target: kubernetes
  mlplatform:environment: dev
  mlplatform:kubernetes:
    context: kind-team
  mlplatform:tags:
    owner: team
"""
PROGRAM = """\
import pulumi
from mlplatform import MlPlatform, spec

MlPlatform.from_config("ml", spec.from_pulumi(), pulumi.get_stack())
"""


def mlplatform(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlplatform", *args],
        cwd=cwd,
        env={k: v for k, v in os.environ.items() if k != "COLUMNS"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def project(folder: Path) -> Path:
    """A project of a team's own layout, with no policy pack."""
    (folder / "infra").mkdir(parents=True)
    (folder / "config").mkdir()
    (folder / "Pulumi.yaml").write_text(
        "name: team-ml\nruntime: python\nmain: infra/\nstackConfigDir: config\n", encoding="utf-8"
    )
    (folder / "infra" / "__main__.py").write_text(PROGRAM, encoding="utf-8")
    (folder / "config" / "Pulumi.dev.yaml").write_text(STACK, encoding="utf-8")
    return folder


def test_policy_pack_path_prints_the_shipped_pack() -> None:
    result = mlplatform("policy-pack", "path", cwd=Path("/"))
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{ROOT / 'policies'}\n", "")


def test_check_of_a_project_without_a_pack_runs_the_shipped_one(tmp_path: Path) -> None:
    folder = project(tmp_path / "team")
    result = mlplatform("check", "dev", "--format", "json", cwd=folder)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["mandatoryViolations"] == 0
    assert sorted(p["name"] for p in document["policies"]) == sorted(r.name for r in RULES)


def test_bad_input_to_check_and_summary_is_one_line_and_exit_2(tmp_path: Path) -> None:
    folder = project(tmp_path / "team")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    missing = f"{folder}/config/Pulumi.dve.yaml"
    no_pack = (
        f"error: no policy pack at {folder / 'pack'}: a pack's folder holds PulumiPolicy.yaml "
        "and __main__.py; give one, or leave --policy-pack out for the pack mlplatform ships "
        "(mlplatform policy-pack path)"
    )
    no_project = (
        f"error: no Pulumi.yaml found in {outside} or above; run from the project directory"
    )
    cases = [
        (folder, ("check", "dve"), f"error: no stack 'dve' ({missing} not found); stacks: dev"),
        (folder, ("summary", "dve"), f"error: no stack 'dve' ({missing} not found); stacks: dev"),
        (folder, ("check", "dev", "--policy-pack", "pack"), no_pack),
        (outside, ("check", "dev"), no_project),
        (outside, ("summary",), no_project),
    ]
    for cwd, args, message in cases:
        result = mlplatform(*args, cwd=cwd)
        assert (result.returncode, result.stderr) == (2, message + "\n"), args
