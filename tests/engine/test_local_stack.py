"""The `local` stack deployed by the real engine on the loopback cluster, in order: `pulumi up`,
a preview and a refresh that change nothing, what the API server then holds (the teams' Kueue
queues among it), the offline plan against the state, a quota change, and destroy with and
without protection.

The stack is the shipped `stacks/Pulumi.local.yaml` with the differences `local_project`
lists (the runtime's virtualenv, the loopback context, the stand-in charts); the tests that
change it say how. The tests of this module run in file order on one deployment.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cluster
import engine
import pytest
from kubeapi import Api, ApiError

from tests.engine import agreement
from tests.engine.conftest import Workspace, environment, local_project, write_local_config

STACK = "local"
PLATFORM_NAMESPACES = ("mlplatform", "monitoring", "research", "kueue-system")
KUEUE = "/apis/kueue.x-k8s.io/v1beta2"


@pytest.fixture(scope="module")
def local(
    built: engine.Built, loopback: cluster.State, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Workspace]:
    """The `local` stack, deployed once for the module."""
    folder = tmp_path_factory.mktemp("local-stack")
    workspace = Workspace(
        local_project(folder / "project"), environment(built.bin, folder, loopback.kubeconfig)
    )
    workspace.pulumi("stack", "init", STACK)
    up = workspace.pulumi("up", "--yes", "--stack", STACK)
    assert "error" not in up.stdout.lower().split("outputs:")[0], up
    yield workspace


def plan_json(workspace: Workspace, path: Path) -> dict[str, Any]:
    result = workspace.mlplatform("plan", STACK, "--format", "json", "--output", str(path))
    assert result.returncode == 0, result.stderr
    return json.loads(path.read_text(encoding="utf-8"))


def is_subset(planned: Any, live: Any) -> bool:
    """Whether every field the program set has the same value live (the API server adds
    defaults, which are not ours to compare)."""
    if isinstance(planned, dict):
        return isinstance(live, dict) and all(
            k in live and is_subset(v, live[k]) for k, v in planned.items()
        )
    if isinstance(planned, list):
        return (
            isinstance(live, list)
            and len(planned) == len(live)
            and all(is_subset(a, b) for a, b in zip(planned, live, strict=True))
        )
    return planned == live


def camel(value: Any) -> Any:
    """The plan records inputs as the SDK sends them (camelCase already); numbers are floats
    there and integers in the API: compare them as numbers."""
    if isinstance(value, dict):
        return {k: camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def test_up_creates_every_planned_resource(local: Workspace, tmp_path: Path) -> None:
    plan = plan_json(local, tmp_path / "plan.json")
    state = local.export(STACK)
    assert len(state["deployment"]["resources"]) == len(plan["resources"]) == 54
    assert not [r["urn"] for r in state["deployment"]["resources"] if r.get("initErrors")]


def test_a_second_preview_and_a_refresh_change_nothing(local: Workspace) -> None:
    # The CLI's summary counts the 54 resources of the state but the default provider.
    preview = local.pulumi("preview", "--expect-no-changes", "--stack", STACK)
    assert "\n    53 unchanged\n" in preview.stdout
    refresh = local.pulumi("refresh", "--expect-no-changes", "--yes", "--stack", STACK)
    assert "\n    53 unchanged\n" in refresh.stdout


def test_the_api_server_holds_what_was_planned(local: Workspace, api: Api, tmp_path: Path) -> None:
    plan = {r["name"]: r for r in plan_json(local, tmp_path / "plan.json")["resources"]}
    for namespace in PLATFORM_NAMESPACES:
        live = api.get(f"/api/v1/namespaces/{namespace}")
        assert live["status"]["phase"] == "Active"
    assert (
        api.get("/api/v1/namespaces/mlplatform")["metadata"]["labels"][
            "pod-security.kubernetes.io/enforce"
        ]
        == "restricted"
    )
    quota = api.get("/api/v1/namespaces/research/resourcequotas/gpu-quota")
    assert quota["spec"]["hard"] == {"requests.nvidia.com/gpu": "1"}
    secrets = {
        s["metadata"]["name"] for s in api.get("/api/v1/namespaces/mlplatform/secrets")["items"]
    }
    for name in ("ml-local-mlflow-credentials", "ml-local-postgres-credentials"):
        assert any(s.startswith(name) for s in secrets), (name, secrets)
    policies = api.get("/apis/networking.k8s.io/v1/namespaces/mlplatform/networkpolicies")["items"]
    for item in policies:
        planned = next(
            r
            for r in plan.values()
            if r["type"] == "kubernetes:networking.k8s.io/v1:NetworkPolicy"
            and r["inputs"]["metadata"]["name"] == item["metadata"]["name"]
        )
        assert is_subset(camel(planned["inputs"]["spec"]), item["spec"]), item["metadata"]["name"]
    assert len(policies) == 2

    deployment = api.get("/apis/apps/v1/namespaces/mlplatform/deployments/ml-local-mlflow")
    planned = plan["ml-local-mlflow-deployment"]["inputs"]["spec"]
    assert is_subset(camel(planned), deployment["spec"])
    assert deployment["status"]["readyReplicas"] == 1
    pods = api.get("/api/v1/namespaces/mlplatform/pods?labelSelector=app.kubernetes.io/name=mlflow")
    running = [p for p in pods["items"] if p["status"]["phase"] == "Running"]
    assert [p["spec"]["nodeName"] for p in running] == [cluster.SYSTEM_NODE]

    jobs = api.get("/apis/batch/v1/namespaces/mlplatform/jobs")["items"]
    (migration,) = [j for j in jobs if j["metadata"]["name"].startswith("ml-local-mlflow-migrate-")]
    assert migration["status"]["succeeded"] == 1
    assert any(
        c["type"] == "Complete" and c["status"] == "True" for c in migration["status"]["conditions"]
    )
    # The ServiceMonitor and PrometheusRule passed the operator's CRD schemas for real.
    rules = api.get("/apis/monitoring.coreos.com/v1/namespaces/monitoring/prometheusrules")
    assert [r["metadata"]["name"] for r in rules["items"]] == ["mlplatform"]


KUEUE_PLURALS = {
    "ResourceFlavor": "resourceflavors",
    "Cohort": "cohorts",
    "ClusterQueue": "clusterqueues",
    "LocalQueue": "localqueues",
}


def kueue_path(manifest: dict[str, Any]) -> str:
    """The API path of a Kueue object."""
    namespace = manifest["metadata"].get("namespace")
    where = f"/namespaces/{namespace}" if namespace else ""
    return f"{KUEUE}{where}/{KUEUE_PLURALS[manifest['kind']]}/{manifest['metadata']['name']}"


def test_the_teams_queues_are_on_the_api_server(local: Workspace, api: Api, tmp_path: Path) -> None:
    """Created for real: past Kueue's CRD schemas and CEL rules (`scripts/dev cluster start`
    installs the pinned module's CRDs; the stand-in chart installs none)."""
    plan = {r["name"]: r for r in plan_json(local, tmp_path / "plan.json")["resources"]}
    planned = [r["inputs"] for r in plan.values() if r["type"].startswith("kubernetes:kueue.")]
    assert sorted(o["kind"] for o in planned) == sorted(KUEUE_PLURALS)
    for manifest in planned:
        live = api.get(kueue_path(manifest))
        assert is_subset(camel(manifest["spec"]), live["spec"]), manifest["kind"]
        assert is_subset(manifest["metadata"]["labels"], live["metadata"]["labels"])

    queue = api.get(f"{KUEUE}/clusterqueues/research")["spec"]
    assert queue["cohortName"] == "gpus"
    assert queue["namespaceSelector"] == {
        "matchLabels": {"kubernetes.io/metadata.name": "research"}
    }
    assert queue["resourceGroups"] == [
        {
            "coveredResources": ["nvidia.com/gpu"],
            "flavors": [
                {"name": "gpu", "resources": [{"name": "nvidia.com/gpu", "nominalQuota": "1"}]}
            ],
        }
    ]
    local_queue = api.get(f"{KUEUE}/namespaces/research/localqueues/default")
    assert local_queue["spec"]["clusterQueue"] == "research"
    assert api.get(f"{KUEUE}/cohorts/gpus")["metadata"]["name"] == "gpus"
    # The flavor's node labels select the GPU node, as they select a GPU pool's nodes.
    flavor = api.get(f"{KUEUE}/resourceflavors/gpu")["spec"]
    selector = ",".join(f"{k}={v}" for k, v in flavor["nodeLabels"].items())
    nodes = api.get(f"/api/v1/nodes?labelSelector={selector}")["items"]
    assert [n["metadata"]["name"] for n in nodes] == [cluster.GPU_NODE]

    # The stand-in chart's controller Deployment got the values the platform passed.
    values = plan["ml-local-queues-release"]["inputs"]["values"]
    controller = api.get(
        "/apis/apps/v1/namespaces/kueue-system/deployments/kueue-controller-manager"
    )
    assert (controller["spec"]["replicas"], controller["status"].get("readyReplicas")) == (2, 2)
    (container,) = controller["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "registry.k8s.io/kueue/kueue:v0.17.0"
    assert (
        controller["metadata"]["annotations"]["mlplatform.io/test-stand-in-config"]
        == values["managerConfig"]["controllerManagerConfigYaml"]
    )


def test_the_api_server_runs_the_rules_a_schema_check_cannot(local: Workspace, api: Api) -> None:
    """A ClusterQueue the contract tier's jsonschema check passes (tests/contract/
    test_kueue_crds.py) and one of the CRD's CEL rules refuses."""
    del local
    queue = api.get(f"{KUEUE}/clusterqueues/research")
    broken = {
        "apiVersion": queue["apiVersion"],
        "kind": "ClusterQueue",
        "metadata": {"name": "never-reclaims"},
        "spec": {
            **queue["spec"],
            "preemption": {
                "reclaimWithinCohort": "Never",
                "borrowWithinCohort": {"policy": "LowerPriority"},
            },
        },
    }
    with pytest.raises(ApiError) as refused:
        api.request("POST", f"{KUEUE}/clusterqueues", broken)
    assert refused.value.status == 422
    assert "reclaimWithinCohort=Never and borrowWithinCohort.Policy!=Never" in str(refused.value)
    assert not api.exists(f"{KUEUE}/clusterqueues/never-reclaims")


def test_the_offline_plan_agrees_with_the_engines_state(local: Workspace, tmp_path: Path) -> None:
    found = agreement.compare(plan_json(local, tmp_path / "plan.json"), local.export(STACK))
    assert [str(d) for d in found.differences] == []
    assert found.compared == 54
    # Each named exception, and how often this stack needs it.
    assert found.used == Counter(
        {
            "secret stringData is stored as data": 4,  # the four Secrets the stack writes
            "secret": 4,
            "helm release defaults": 3,  # kube-prometheus-stack, dcgm-exporter, kueue
            "provider internals": 2,  # the kubernetes and the default random provider
            "autonamed": 1,  # the migration Job
        }
    )


def test_the_gpu_quota_and_the_gpu_node_are_real(local: Workspace, api: Api) -> None:
    def pod(name: str, gpus: int) -> dict[str, Any]:
        return {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "namespace": "research"},
            "spec": {
                "automountServiceAccountToken": False,
                "tolerations": [
                    {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}
                ],
                "containers": [
                    {
                        "name": "train",
                        "image": "registry.invalid/train:1",
                        "resources": {"limits": {"nvidia.com/gpu": str(gpus)}},
                        "securityContext": {
                            "allowPrivilegeEscalation": False,
                            "runAsNonRoot": True,
                            "capabilities": {"drop": ["ALL"]},
                            "seccompProfile": {"type": "RuntimeDefault"},
                        },
                    }
                ],
            },
        }

    with pytest.raises(ApiError) as refused:
        api.request("POST", "/api/v1/namespaces/research/pods", pod("too-many", 2))
    assert refused.value.status == 403
    assert "exceeded quota: gpu-quota" in str(refused.value)
    api.request("POST", "/api/v1/namespaces/research/pods", pod("one", 1))
    try:
        deadline = time.monotonic() + 60
        live: dict[str, Any] = {}
        while time.monotonic() < deadline:
            live = api.get("/api/v1/namespaces/research/pods/one")
            if live["status"].get("phase") == "Running":
                break
            time.sleep(0.5)
        assert (live["spec"].get("nodeName"), live["status"].get("phase")) == (
            cluster.GPU_NODE,
            "Running",
        )
    finally:
        api.delete("/api/v1/namespaces/research/pods/one?gracePeriodSeconds=0")


def steps(preview: dict[str, Any]) -> set[tuple[str, str]]:
    """(operation, URN) of every step of `pulumi preview --json` that is not `same`."""
    return {(s["op"], s["urn"]) for s in preview["steps"] if s["op"] != "same"}


def test_raising_a_quota_previews_and_applies_exactly_that_update(
    local: Workspace, api: Api, tmp_path: Path
) -> None:
    before = plan_json(local, tmp_path / "before.json")
    write_local_config(local.project, {"teams": [{"name": "research", "maxGpus": 2}]})
    after = plan_json(local, tmp_path / "after.json")
    offline = local.mlplatform(
        "diff",
        str(tmp_path / "before.json"),
        str(tmp_path / "after.json"),
        "--format",
        "json",
        project=False,
    )
    assert offline.returncode == 0, offline.stderr
    changes = json.loads(offline.stdout)["changes"]
    offline_steps = {(c["kind"], c["urn"]) for c in changes}
    # The namespace's hard GPU quota and the team's ClusterQueue: its nominal quota follows.
    quota = next(r["urn"] for r in after["resources"] if r["name"].endswith("research-gpu-quota"))
    queue = next(r["urn"] for r in after["resources"] if r["name"].endswith("queues-team-research"))
    assert offline_steps == {("update", quota), ("update", queue)}
    assert len(before["resources"]) == len(after["resources"])

    preview = local.pulumi("preview", "--diff", "--json", "--stack", STACK).json()
    assert steps(preview) == offline_steps
    assert {
        s["urn"]: sorted(s["detailedDiff"]) for s in preview["steps"] if s["op"] == "update"
    } == {c["urn"]: c["fields"] for c in changes}

    local.pulumi("up", "--yes", "--stack", STACK)
    live = api.get("/api/v1/namespaces/research/resourcequotas/gpu-quota")
    assert live["spec"]["hard"] == {"requests.nvidia.com/gpu": "2"}
    live_queue = api.get(f"{KUEUE}/clusterqueues/research")["spec"]["resourceGroups"][0]
    assert live_queue["flavors"][0]["resources"][0]["nominalQuota"] == "2"
    local.pulumi("preview", "--expect-no-changes", "--stack", STACK)


def test_destroy_stops_at_protected_resources(local: Workspace, api: Api) -> None:
    protected = [
        r["urn"] for r in local.export(STACK)["deployment"]["resources"] if r.get("protect")
    ]
    assert len(protected) == 4  # the namespace, both volumes and the database
    destroy = local.pulumi("destroy", "--yes", "--stack", STACK, check=False)
    assert destroy.returncode != 0
    assert "protected" in destroy.stdout + destroy.stderr
    left = {r["urn"] for r in local.export(STACK)["deployment"]["resources"]}
    assert set(protected) <= left
    assert api.get("/api/v1/namespaces/mlplatform")["status"]["phase"] == "Active"
    claims = api.get("/api/v1/namespaces/mlplatform/persistentvolumeclaims")["items"]
    assert len(claims) == 3  # artifacts, registry, the database's


def test_an_unprotected_stack_is_destroyed_to_the_last_object(local: Workspace, api: Api) -> None:
    write_local_config(local.project, {"protect": False})
    local.pulumi("up", "--yes", "--stack", STACK)
    assert not [r for r in local.export(STACK)["deployment"]["resources"] if r.get("protect")]
    local.pulumi("destroy", "--yes", "--stack", STACK)
    assert local.export(STACK)["deployment"].get("resources", []) == []
    for namespace in PLATFORM_NAMESPACES:
        assert not api.exists(f"/api/v1/namespaces/{namespace}"), namespace
    leftovers = [
        f"{kind} {o['metadata'].get('namespace')}/{o['metadata']['name']}"
        for kind, path in OURS
        for o in api.get(path)["items"]
        if o["metadata"].get("labels", {}).get("app.kubernetes.io/part-of") == "mlplatform"
        or o["metadata"].get("labels", {}).get("managed-by") == "mlplatform"
    ]
    assert leftovers == []


OURS = (
    ("Namespace", "/api/v1/namespaces"),
    ("PersistentVolumeClaim", "/api/v1/persistentvolumeclaims"),
    ("Secret", "/api/v1/secrets"),
    ("ConfigMap", "/api/v1/configmaps"),
    ("Service", "/api/v1/services"),
    ("ServiceAccount", "/api/v1/serviceaccounts"),
    ("Deployment", "/apis/apps/v1/deployments"),
    ("StatefulSet", "/apis/apps/v1/statefulsets"),
    ("Job", "/apis/batch/v1/jobs"),
    ("NetworkPolicy", "/apis/networking.k8s.io/v1/networkpolicies"),
    ("Ingress", "/apis/networking.k8s.io/v1/ingresses"),
    ("ServiceMonitor", "/apis/monitoring.coreos.com/v1/servicemonitors"),
    ("PrometheusRule", "/apis/monitoring.coreos.com/v1/prometheusrules"),
    ("ResourceFlavor", f"{KUEUE}/resourceflavors"),
    ("Cohort", f"{KUEUE}/cohorts"),
    ("ClusterQueue", f"{KUEUE}/clusterqueues"),
    ("LocalQueue", f"{KUEUE}/localqueues"),
)
"""Every kind the platform creates, cluster-wide: none may be left after destroy."""
