"""The `kubernetes` target (local stack): in-cluster artifact volume and registry."""

from __future__ import annotations

import pytest

from mlplatform.engine import Plan
from mlplatform.kubernetes.registry import REGISTRY_IMAGE
from tests.conftest import PlanConfig
from tests.helpers import depends_on, one

PVC = "kubernetes:core/v1:PersistentVolumeClaim"


@pytest.fixture(scope="module")
def plan(shipped_plans: dict[str, Plan]) -> Plan:
    return shipped_plans["local"]


def test_provider_targets_the_configured_context(plan: Plan) -> None:
    provider = one(plan, "pulumi:providers:kubernetes")
    assert provider.inputs["context"] == "kind-mlplatform"
    k8s = [r for r in plan.resources if r.type.startswith("kubernetes:")]
    assert {r.provider for r in k8s} == {provider.urn}
    assert not [r for r in plan.resources if r.type.split(":")[0] in ("aws", "azure-native", "gcp")]


def test_namespace_enforces_restricted_pod_security(plan: Plan) -> None:
    namespace = one(plan, "kubernetes:core/v1:Namespace", "ml-local-namespace")
    assert namespace.inputs["metadata"]["name"] == "mlplatform"
    assert namespace.inputs["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == (
        "restricted"
    )
    assert namespace.protect is True


def test_volumes_are_protected_and_sized_from_config(plan: Plan) -> None:
    namespace = one(plan, "kubernetes:core/v1:Namespace", "ml-local-namespace")
    for suffix in ("-artifacts-pvc", "-registry-pvc"):
        claim = one(plan, PVC, suffix)
        assert claim.protect is True
        assert claim.inputs["spec"]["resources"] == {"requests": {"storage": "20Gi"}}
        assert claim.inputs["spec"]["accessModes"] == ["ReadWriteOnce"]
        assert claim.inputs["metadata"]["namespace"] == "mlplatform"
        assert depends_on(claim, namespace)
    assert plan.outputs["artifactUri"] == "file:///mlartifacts"


def test_registry_pod_is_hardened_and_pinned(plan: Plan) -> None:
    deployment = one(plan, "kubernetes:apps/v1:Deployment", "-registry-deployment")
    pod = deployment.inputs["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["image"] == REGISTRY_IMAGE == "docker.io/library/registry:3.0.0"
    assert pod["automountServiceAccountToken"] is False
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert container["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }
    assert container["readinessProbe"]["httpGet"] == {"path": "/", "port": "http"}
    assert container["resources"]["limits"] == {"cpu": "1", "memory": "512Mi"}
    claim = one(plan, PVC, "-registry-pvc")
    assert (
        pod["volumes"][0]["persistentVolumeClaim"]["claimName"]
        == (claim.inputs["metadata"]["name"])
    )
    assert depends_on(deployment, claim)


def test_registry_requires_credentials_and_keeps_deletes_off(plan: Plan) -> None:
    deployment = one(plan, "kubernetes:apps/v1:Deployment", "-registry-deployment")
    pod = deployment.inputs["spec"]["template"]["spec"]
    env = {e["name"]: e["value"] for e in pod["containers"][0]["env"]}
    assert env == {
        "REGISTRY_STORAGE_DELETE_ENABLED": "false",
        "REGISTRY_AUTH": "htpasswd",
        "REGISTRY_AUTH_HTPASSWD_REALM": "mlplatform registry",
        "REGISTRY_AUTH_HTPASSWD_PATH": "/auth/htpasswd",
        "OTEL_TRACES_EXPORTER": "none",
    }
    secret = one(plan, "kubernetes:core/v1:Secret", "-registry-htpasswd")
    assert secret.inputs["stringData"] == "[secret]"  # the whole map is a Pulumi secret
    assert pod["volumes"][2] == {
        "name": "auth",
        "secret": {"secretName": "ml-local-registry-htpasswd"},
    }
    password = one(plan, "random:index/randomPassword:RandomPassword", "-registry-password")
    assert password.inputs["length"] == 32
    assert depends_on(secret, password)


def test_registry_is_reachable_only_inside_the_cluster(plan: Plan) -> None:
    service = one(plan, "kubernetes:core/v1:Service", "-registry-service")
    assert service.inputs["spec"]["type"] == "ClusterIP"
    assert plan.outputs["registryUrl"] == ("ml-local-registry.mlplatform.svc.cluster.local:5000")


def test_storage_class_and_default_context(plan_config: PlanConfig) -> None:
    plan = plan_config(
        {
            "target": "kubernetes",
            "environment": "dev",
            "kubernetes": {"storageClass": "fast", "namespace": "ml"},
        }
    )
    for claim in plan.of_type(PVC):
        assert claim.inputs["spec"]["storageClassName"] == "fast"
        assert claim.inputs["metadata"]["namespace"] == "ml"
    assert "context" not in one(plan, "pulumi:providers:kubernetes").inputs


def test_existing_cluster_exports_no_cluster_and_creates_team_quota(plan: Plan) -> None:
    assert (plan.outputs["clusterName"], plan.outputs["kubeconfig"]) == (None, None)
    assert plan.outputs["teamNamespaces"] == ["research"]
    quota = one(plan, "kubernetes:core/v1:ResourceQuota")
    assert quota.inputs["spec"] == {"hard": {"requests.nvidia.com/gpu": "1"}}
    # No GPU enablement on an existing cluster unless asked: only the monitoring charts and
    # Kueue's (its scheduling is on).
    assert sorted(r.inputs["chart"] for r in plan.of_type("kubernetes:helm.sh/v3:Release")) == [
        "dcgm-exporter",
        "kube-prometheus-stack",
        "oci://registry.k8s.io/kueue/charts/kueue",
    ]


def test_device_plugin_on_an_existing_cluster_when_asked(plan_config: PlanConfig) -> None:
    plan = plan_config(
        {
            "target": "kubernetes",
            "environment": "dev",
            "cluster": {"gpuEnablement": "device-plugin"},
        }
    )
    release = one(plan, "kubernetes:helm.sh/v3:Release")
    assert (release.inputs["chart"], release.inputs["namespace"]) == (
        "nvidia-device-plugin",
        "nvidia-device-plugin",
    )


def test_mlflow_runs_on_the_in_cluster_database_and_artifact_volume(plan: Plan) -> None:
    deployment = one(plan, "kubernetes:apps/v1:Deployment", "-mlflow-deployment")
    pod = deployment.inputs["spec"]["template"]["spec"]
    command = pod["containers"][0]["command"]
    assert command[command.index("--artifacts-destination") + 1] == "/mlartifacts"
    claim = one(plan, PVC, "-artifacts-pvc").inputs["metadata"]["name"]
    assert {"name": "artifacts", "persistentVolumeClaim": {"claimName": claim}} in pod["volumes"]
    assert {"name": "artifacts", "mountPath": "/mlartifacts"} in pod["containers"][0][
        "volumeMounts"
    ]
    assert deployment.inputs["spec"]["replicas"] == 1
    assert deployment.inputs["metadata"]["namespace"] == "mlplatform"
    secret = one(plan, "kubernetes:core/v1:Secret", "-mlflow-credentials")
    assert depends_on(
        secret, one(plan, "random:index/randomPassword:RandomPassword", "-postgres-password")
    )
    assert plan.outputs["mlflowTrackingUri"] == (
        "http://ml-local-mlflow.mlplatform.svc.cluster.local"
    )
    assert plan.outputs["mlflowAdminPassword"] == "[secret]"


def test_database_is_official_postgres_reachable_only_from_mlflow(plan: Plan) -> None:
    statefulset = one(plan, "kubernetes:apps/v1:StatefulSet")
    assert statefulset.protect is True
    spec = statefulset.inputs["spec"]
    [container] = spec["template"]["spec"]["containers"]
    assert container["image"] == "docker.io/library/postgres:17.6-bookworm"
    assert "bitnami" not in container["image"]
    assert spec["persistentVolumeClaimRetentionPolicy"] == {
        "whenDeleted": "Retain",
        "whenScaled": "Retain",
    }
    assert spec["volumeClaimTemplates"][0]["spec"]["resources"] == {"requests": {"storage": "20Gi"}}
    policy = one(plan, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "-postgres-ingress")
    assert policy.inputs["spec"]["ingress"] == [
        {
            "from": [
                {
                    "podSelector": {
                        "matchLabels": {
                            "app.kubernetes.io/name": "mlflow",
                            "app.kubernetes.io/part-of": "mlplatform",
                        }
                    }
                }
            ],
            "ports": [{"protocol": "TCP", "port": 5432}],
        }
    ]
    job = one(plan, "kubernetes:batch/v1:Job")
    job_labels = job.inputs["spec"]["template"]["metadata"]["labels"]
    assert job_labels["app.kubernetes.io/component"] == "migration"
    assert job_labels["app.kubernetes.io/name"] == "mlflow"


def test_migration_job_never_mounts_the_artifact_volume(plan: Plan) -> None:
    job = one(plan, "kubernetes:batch/v1:Job")
    spec = job.inputs["spec"]
    assert [v["name"] for v in spec["template"]["spec"]["volumes"]] == ["tmp", "auth"]
    assert "ttlSecondsAfterFinished" not in spec
