"""The component package in the real engine: `pulumi package get-schema ./provider` prints the
checked-in schema, and a Pulumi YAML program (examples/kubernetes-yaml) deploys the components
through the provider host onto the loopback cluster, its state agreeing with the offline plan.

Installing a Python plugin makes the CLI install the plugins its packages name (aws, gcp,
azure-native, kubernetes, random at the SDKs' versions) even for `get-schema`, which runs none
of them. The cloud ones cannot be built here, so the Pulumi home gets a PLACEHOLDER for each:
an executable that only records that it ran and fails. The test holds that none ran; the real
kubernetes provider and the random stand-in come from the engine's folder on PATH, which the
engine prefers to installed plugins.

What differs from examples/kubernetes-yaml: the `packages:` entry names this checkout's
provider/ (not a published tag), `kubeContext` is the loopback context, and MonitoringStack
and NvidiaGpuEnablement take their charts from the stand-ins in `charts/`.
"""

from __future__ import annotations

import copy
import importlib.metadata
import json
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cluster
import engine
import pytest
import yaml
from kubeapi import Api

from tests.conftest import ROOT
from tests.engine import agreement
from tests.engine.conftest import STAND_IN_CHARTS, Workspace, environment
from tests.helpers import KUBERNETES_YAML_COMPONENTS

EXAMPLE = ROOT / "examples" / "kubernetes-yaml"
PLACEHOLDER = """#!/bin/sh
echo "$0" >> "{log}"
echo "mlplatform test placeholder: this plugin is not built here and must not run" >&2
exit 1
"""
PACKAGES = ("aws", "gcp", "azure-native", "kubernetes", "random")
"""The Pulumi packages the component package's Python environment holds."""


def sdk_version(package: str) -> str:
    return importlib.metadata.version(f"pulumi_{package.replace('-', '_')}")


@pytest.fixture(scope="module")
def home(
    built: engine.Built, loopback: cluster.State, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, dict[str, str]]]:
    """A Pulumi home with a placeholder installed for every package plugin, and the
    environment that uses it; at the end, no placeholder may have run."""
    folder = tmp_path_factory.mktemp("component-package")
    env = environment(built.bin, folder, loopback.kubeconfig)
    log = folder / "placeholders-run.log"
    placeholder = folder / "placeholder"
    placeholder.write_text(PLACEHOLDER.format(log=log))
    placeholder.chmod(0o755)
    runner = Workspace(folder, env)
    for package in PACKAGES:
        runner.pulumi(
            "plugin",
            "install",
            "resource",
            package,
            sdk_version(package),
            "--file",
            str(placeholder),
        )
    yield folder, env
    assert not log.exists(), f"a placeholder plugin ran: {log.read_text()}"


def test_get_schema_prints_the_checked_in_schema(home: tuple[Path, dict[str, str]]) -> None:
    _, env = home
    result = Workspace(ROOT, env).pulumi("package", "get-schema", "./provider", timeout=1200)
    checked_in = json.loads((ROOT / "provider" / "schema.json").read_text(encoding="utf-8"))
    assert result.json() == checked_in


def yaml_project(folder: Path) -> Path:
    """examples/kubernetes-yaml, with the differences the module docstring lists."""
    shutil.copytree(EXAMPLE, folder)
    shutil.copytree(STAND_IN_CHARTS, folder / "charts")
    document = yaml.safe_load((folder / "Pulumi.yaml").read_text(encoding="utf-8"))
    document["packages"] = {"mlplatform": str(ROOT / "provider")}
    paths = {p.name: f"./charts/{p.name}" for p in sorted(STAND_IN_CHARTS.iterdir()) if p.is_dir()}
    for resource in ("monitoring", "gpus"):
        document["resources"][resource]["properties"]["charts"] = {"paths": copy.deepcopy(paths)}
    (folder / "Pulumi.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    stack = yaml.safe_load((folder / "Pulumi.dev.yaml").read_text(encoding="utf-8"))
    stack["config"]["ml-on-kubernetes:kubeContext"] = cluster.CONTEXT
    (folder / "Pulumi.dev.yaml").write_text(yaml.safe_dump(stack, sort_keys=False))
    return folder


@pytest.fixture(scope="module")
def deployed(home: tuple[Path, dict[str, str]]) -> Workspace:
    folder, env = home
    workspace = Workspace(yaml_project(folder / "kubernetes-yaml"), env)
    workspace.pulumi("stack", "init", "dev")
    workspace.pulumi("up", "--yes", "--stack", "dev", timeout=1500)
    return workspace


def test_a_yaml_program_deploys_the_components_through_the_provider(
    deployed: Workspace, api: Api
) -> None:
    state = deployed.export("dev")["deployment"]["resources"]
    assert not [r["urn"] for r in state if r.get("initErrors")]
    components = Counter(r["type"] for r in state if r["type"].startswith("mlplatform:"))
    assert components == KUBERNETES_YAML_COMPONENTS
    quota = api.get("/api/v1/namespaces/research/resourcequotas/gpu-quota")
    assert quota["spec"]["hard"] == {"requests.nvidia.com/gpu": "1"}  # researchGpus: 1
    plugin = api.get("/apis/apps/v1/namespaces/nvidia-device-plugin/daemonsets")["items"]
    assert [d["status"]["numberReady"] for d in plugin] == [1]  # on the GPU node only
    deployment = api.get("/apis/apps/v1/namespaces/ml/deployments/mlflow")
    assert deployment["status"]["readyReplicas"] == 1


def test_the_offline_plan_of_the_yaml_program_agrees_with_the_state(
    deployed: Workspace, tmp_path: Path
) -> None:
    result = deployed.mlplatform("plan", "dev", "--format", "json", "--output", str(tmp_path / "p"))
    assert result.returncode == 0, result.stderr
    plan: dict[str, Any] = json.loads((tmp_path / "p").read_text(encoding="utf-8"))
    found = agreement.compare(plan, deployed.export("dev"))
    assert [str(d) for d in found.differences] == []
    assert found.compared == len(plan["resources"])
    assert found.used == Counter(
        {
            "secret stringData is stored as data": 3,  # database, MLflow, Grafana credentials
            "secret": 3,
            "helm release defaults": 3,  # kube-prometheus-stack, dcgm-exporter, device plugin
            "provider internals": 1,  # the default random provider
            "autonamed": 1,  # the migration Job
        }
    )
