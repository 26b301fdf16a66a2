"""Bad input through the real engine: an invalid stack config makes `pulumi up` fail with every
field path and message `mlplatform plan` prints, no traceback, and nothing created.

The stack is `local_project`'s `local` stack with three mistakes: a team name that is not a
DNS label, a negative GPU quota, and a chart path Helm would read as a repository name.
"""

from __future__ import annotations

import cluster
import engine
import pytest
from kubeapi import Api

from tests.engine.conftest import Workspace, environment, local_project

STACK = "local"
MISTAKES = {
    "teams": [{"name": "Research", "maxGpus": -1}],
    "charts": {"paths": {"kube-prometheus-stack": "charts/kube-prometheus-stack"}},
}


@pytest.fixture(scope="module")
def workspace(
    built: engine.Built, loopback: cluster.State, tmp_path_factory: pytest.TempPathFactory
) -> Workspace:
    folder = tmp_path_factory.mktemp("bad-input")
    project = local_project(folder / "project", MISTAKES)
    found = Workspace(project, environment(built.bin, folder, loopback.kubeconfig))
    found.pulumi("stack", "init", STACK)
    return found


def issue_lines(text: str) -> list[str]:
    """The `  - <path>: <value> <message>` lines of a ConfigError, as printed."""
    return [line.strip() for line in text.splitlines() if line.strip().startswith("- ")]


def test_the_engine_reports_what_mlplatform_plan_reports_and_creates_nothing(
    workspace: Workspace, api: Api
) -> None:
    offline = workspace.mlplatform("plan", STACK)
    assert offline.returncode == 2
    expected = issue_lines(offline.stderr)
    assert [line.split(":")[0] for line in expected] == [
        "- teams[0].name",
        "- teams[0].maxGpus",
        "- charts.paths.kube-prometheus-stack",
    ]

    up = workspace.pulumi("up", "--yes", "--stack", STACK, check=False)
    assert up.returncode != 0
    output = up.stdout + up.stderr
    # The diagnostics print each problem once, under "Diagnostics:".
    diagnostics = output.split("Diagnostics:", 1)[1]
    assert issue_lines(diagnostics) == expected
    assert "Traceback" not in output

    resources = workspace.export(STACK)["deployment"].get("resources", [])
    assert [r["type"] for r in resources if r.get("custom")] == []
    assert not api.exists("/api/v1/namespaces/mlplatform")
    assert not api.exists("/api/v1/namespaces/research")
