"""The policy pack in the real engine: `pulumi preview --policy-pack policies` reports the same
violations (policy, enforcement level, resource) as `mlplatform check` does offline for the
same project, on the `local` stack and on a variant with deliberate violations, and a
mandatory violation fails the preview.

The pack an installed wheel's `mlplatform policy-pack path` prints runs in the engine too, with
the virtual environment the wheel is installed in.

The variant is the `local` stack's program with two workloads appended that break mandatory
rules: a container given a password as a literal environment value, and an MLflow server
without authentication.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import cluster
import engine
import pytest

from tests.conftest import ROOT
from tests.engine.conftest import Workspace, environment, local_project
from tests.wheel import run

STACK = "local"
POLICY_PACK = ROOT / "policies"
VIOLATIONS = """

# Deliberate violations (tests/engine/test_policy_pack.py).
import pulumi_kubernetes as k8s

_container = {"name": "app", "image": "registry.invalid/app:1"}
for _name, _container in {
    "leaky": {**_container, "env": [{"name": "DB_PASSWORD", "value": "hunter2"}]},
    "open-mlflow": {**_container, "image": "ghcr.io/mlflow/mlflow:v3.1.0",
                    "command": ["mlflow", "server", "--host", "0.0.0.0"]},
}.items():
    k8s.apps.v1.Deployment(
        _name,
        metadata={"namespace": "default"},
        spec={
            "selector": {"matchLabels": {"app": _name}},
            "template": {"metadata": {"labels": {"app": _name}},
                         "spec": {"containers": [_container]}},
        },
    )
"""


@pytest.fixture(scope="module")
def workspaces(
    built: engine.Built, loopback: cluster.State, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Workspace]]:
    """The `local` stack as shipped and its variant with violations, each a project of its own
    (neither is deployed: the pack runs in the preview)."""
    found = {}
    for name in ("shipped", "violations"):
        folder = tmp_path_factory.mktemp(name)
        project = local_project(folder / "project")
        if name == "violations":
            program = project / "stacks" / "__main__.py"
            program.write_text(program.read_text(encoding="utf-8") + VIOLATIONS)
        workspace = Workspace(project, environment(built.bin, folder, loopback.kubeconfig))
        workspace.pulumi("stack", "init", STACK)
        found[name] = workspace
    yield found


Verdict = tuple[str, str, str, str]
"""(policy, enforcement level, resource URN, message) of one violation."""


def offline(workspace: Workspace) -> tuple[int, Counter[Verdict]]:
    """`mlplatform check`'s exit code and its violations."""
    result = workspace.mlplatform(
        "check", STACK, "--format", "json", "--policy-pack", str(POLICY_PACK)
    )
    assert result.returncode in (0, 3), result.stderr
    report = json.loads(result.stdout)
    return result.returncode, Counter(
        (p["name"], p["enforcement"], v.get("urn") or "", v["message"])
        for p in report["policies"]
        for v in p.get("violations", [])
    )


def preview(workspace: Workspace, pack: Path = POLICY_PACK) -> tuple[int, Counter[Verdict]]:
    """`pulumi preview --policy-pack PACK`'s exit code and the violations of its policy events
    (the engine's event stream: PULUMI_ENABLE_STREAMING_JSON_PREVIEW with --json). The
    engine's message is the policy's description, then the violation's own message."""
    result = workspace.pulumi(
        "preview",
        "--stack",
        STACK,
        "--policy-pack",
        str(pack),
        "--json",
        check=False,
        env={"PULUMI_ENABLE_STREAMING_JSON_PREVIEW": "true"},
    )
    events = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    found: Counter[Verdict] = Counter()
    for event in events:
        policy = event.get("policyEvent")
        if policy is not None:
            message = policy["message"].rstrip("\n").split("\n", 1)[-1]
            found[
                (
                    policy["policyName"],
                    policy["enforcementLevel"],
                    policy.get("resourceUrn", ""),
                    message,
                )
            ] += 1
    return result.returncode, found


def test_the_shipped_stack_gets_the_same_verdicts(workspaces: dict[str, Workspace]) -> None:
    workspace = workspaces["shipped"]
    code, real = preview(workspace)
    offline_code, expected = offline(workspace)
    assert (code, offline_code) == (0, 0)
    assert real == expected
    # Only the advisory one: five volumes the kubernetes price table cannot price.
    assert {(p, level) for p, level, _, _ in real} == {("platform-cost-fully-priced", "advisory")}
    assert sum(real.values()) == 5


def test_deliberate_violations_fail_the_preview_with_the_same_verdicts(
    workspaces: dict[str, Workspace],
) -> None:
    workspace = workspaces["violations"]
    code, real = preview(workspace)
    offline_code, expected = offline(workspace)
    assert real == expected
    mandatory = {(p, urn.rsplit("::", 1)[1]) for p, level, urn, _ in real if level == "mandatory"}
    assert mandatory == {
        ("kubernetes-no-plaintext-credentials", "leaky"),
        ("kubernetes-mlflow-auth-enabled", "open-mlflow"),
        # Neither deliberate violator turns off its API token.
        ("kubernetes-no-unneeded-api-token", "leaky"),
        ("kubernetes-no-unneeded-api-token", "open-mlflow"),
    }
    assert (code, offline_code) == (1, 3)  # the preview fails; check exits 3 on mandatory


def test_the_pack_an_installed_wheel_prints_runs_in_the_engine(
    workspaces: dict[str, Workspace], wheel_venv: Path, tmp_path: Path
) -> None:
    """`pulumi preview --policy-pack "$(mlplatform policy-pack path)"` with mlplatform installed
    from its wheel in a fresh virtual environment (tests/conftest.py `wheel_venv`): the same
    verdicts as the checkout's pack offline, and the mandatory ones fail the preview."""
    venv = wheel_venv
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    mlplatform = str(venv / "bin" / "mlplatform")
    folder = Path(run(mlplatform, "policy-pack", "path", cwd=tmp_path, env=env).rstrip("\n"))
    assert folder.parent == tmp_path / "cache" / "mlplatform" / "policy-pack"
    workspace = workspaces["violations"]
    code, real = preview(workspace, folder)
    offline_code, expected = offline(workspace)
    assert real == expected
    assert (code, offline_code) == (1, 3)
