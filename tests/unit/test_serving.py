"""Models served from the MLflow registry (KServe, `serving`): where each model is read from
on every target, the objects `KServe` and `ModelServing` create, and the spec's refusals."""

from __future__ import annotations

from typing import Any

import pytest

from mlplatform.compose.serving import default_runtime_image, storage_uri
from mlplatform.engine import Plan
from mlplatform.environment import ConfigError, parse
from mlplatform.environment.model import Target
from mlplatform.kubernetes import serving_runtime
from tests.conftest import PlanConfig
from tests.helpers import depends_on, one
from tests.unit.preflight.specs import AWS, GCP, LOCAL

KSERVE = "kubernetes:serving.kserve.io/"
ISVC = f"{KSERVE}v1beta1:InferenceService"
RUNTIME = f"{KSERVE}v1alpha1:ServingRuntime"
STORAGE = f"{KSERVE}v1alpha1:ClusterStorageContainer"
RELEASE = "kubernetes:helm.sh/v3:Release"
MODEL_URI = "mlflow-artifacts:/1/models/m-4f1c9a2b7e3d4c5f8a9b0c1d2e3f4a5b/artifacts"
POOL = {"name": "a100", "gpu": "A100-80GB", "gpusPerNode": 8, "maxNodes": 2}
SMALL = {"name": "a10", "gpu": "A10", "gpusPerNode": 1, "maxNodes": 2}
TEAMS = [{"name": "inference", "maxGpus": 8}]
CPU_TEAMS = [{"name": "inference", "maxGpus": 0}]
CHURN = {"name": "churn", "team": "inference", "modelUri": MODEL_URI}
PROD = ("aws-prod", "azure-prod", "gcp-prod")


def issues(values: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse(values)
    return [str(issue) for issue in caught.value.issues]


def serving(*models: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"serving": {"enabled": True, "models": list(models), **extra}}


def by_type(plan: Plan, prefix: str) -> list[dict[str, Any]]:
    return [r.inputs for r in plan.resources if r.type.startswith(prefix)]


# ---- where a model is read from -----------------------------------------------------------


@pytest.mark.parametrize(
    ("artifact_uri", "expected"),
    [
        ("s3://ml-artifacts-1a2b", f"s3://ml-artifacts-1a2b/{MODEL_URI[18:]}"),
        ("gs://ml-artifacts-1a2b/", f"gs://ml-artifacts-1a2b/{MODEL_URI[18:]}"),
        (
            "wasbs://artifacts@mlacct.blob.core.windows.net",
            f"https://mlacct.blob.core.windows.net/artifacts/{MODEL_URI[18:]}",
        ),
    ],
)
def test_a_registry_source_is_read_from_the_store_mlflow_proxies(
    artifact_uri: str, expected: str
) -> None:
    assert MODEL_URI[18:] == "1/models/m-4f1c9a2b7e3d4c5f8a9b0c1d2e3f4a5b/artifacts"
    assert storage_uri(artifact_uri, MODEL_URI) == expected


def test_the_default_serving_image_is_a_tag_of_ecr_and_a_repository_elsewhere() -> None:
    ecr = "123456789012.dkr.ecr.us-east-1.amazonaws.com/ml-aws-prod"
    assert default_runtime_image(Target.AWS, ecr) == (
        f"{ecr}:mlplatform-serving-mlserver-1.7.1-mlflow-3.17.2"
    )
    acr = "mlazureprod.azurecr.io"
    assert default_runtime_image(Target.AZURE, acr) == (
        f"{acr}/mlplatform-serving:mlserver-1.7.1-mlflow-3.17.2"
    )


# ---- the spec's refusals ------------------------------------------------------------------


def test_models_need_serving_on_and_a_known_team_pool_and_shape() -> None:
    gpu = {"name": "ranker", "team": "inference", "modelUri": MODEL_URI, "pool": "a100"}
    found = issues(
        {
            **AWS,
            "gpuPools": [POOL, SMALL],
            "teams": [{"name": "inference", "maxGpus": 18}],
            **serving(
                {**CHURN, "team": "nobody", "minReplicas": 3, "maxReplicas": 2},
                {**CHURN, "gpus": 1},
                {**gpu, "pool": "h100"},
                {**gpu, "name": "big", "pool": "a10", "gpus": 2},
                {**gpu, "name": "idle", "gpus": 0},
            ),
        }
    )
    assert found == [
        "serving.models[0].team: 'nobody' is not a team of this stack; use one of ['inference'] "
        "or add it to teams",
        "serving.models[0].maxReplicas: 2 is below minReplicas (3); raise it or lower minReplicas",
        "serving.models[1].name: 'churn' is used by another served model",
        "serving.models[1].gpus: 1 asks for GPUs but the model names no pool; set pool to one "
        "of ['a10', 'a100']",
        "serving.models[2].pool: 'h100' is not a GPU pool of this stack; use one of ['a10', "
        "'a100'], or none to run on CPU",
        "serving.models[3].gpus: 2 is more than a node of pool a10 has (1); use at most that, "
        "or a pool with larger nodes",
        "serving.models[4].gpus: 0 is 0 on GPU pool a100: a CPU-only replica would hold a GPU "
        "node; remove pool to run on CPU, or ask for at least 1",
    ]


def test_a_teams_served_gpus_must_fit_its_quota() -> None:
    ranker = {**CHURN, "pool": "a100", "gpus": 2, "minReplicas": 2, "maxReplicas": 3}
    found = issues(
        {
            **AWS,
            "gpuPools": [POOL],
            "teams": [{"name": "inference", "maxGpus": 4}],
            **serving(ranker),
        }
    )
    assert found == [
        "teams[0].maxGpus: 4 lets the namespace's ResourceQuota hold 4 GPUs, fewer than the 6 "
        "team inference's served models hold at their maximum replicas (the quota would refuse "
        "the rest); raise it or serve fewer replicas",
    ]
    # With Kueue on, the quota is the team's ceiling: what it may borrow too (16 here).
    parse(
        {
            **AWS,
            "gpuPools": [POOL],
            "teams": [{"name": "inference", "maxGpus": 4}],
            "scheduling": {"enabled": True},
            **serving(ranker),
        }
    )


def test_the_replicas_always_running_must_fit_their_pool() -> None:
    ranker = {**CHURN, "pool": "a100", "gpus": 4, "minReplicas": 3}
    found = issues(
        {
            **AWS,
            "gpuPools": [POOL],
            "teams": [{"name": "inference", "maxGpus": 16}],
            **serving(ranker, {**ranker, "name": "other", "gpus": 1, "minReplicas": 5}),
        }
    )
    assert found == [
        "gpuPools[0].maxNodes: 2 lets pool a100 hold 16 GPUs, fewer than the 17 its served "
        "models (churn, other) keep running at minReplicas; raise maxNodes or lower minReplicas",
        "teams[0].maxGpus: 16 lets the namespace's ResourceQuota hold 16 GPUs, fewer than the 17 "
        "team inference's served models hold at their maximum replicas (the quota would refuse "
        "the rest); raise it or serve fewer replicas",
    ]


def test_models_off_or_unreachable_are_refused() -> None:
    assert issues({**AWS, "teams": CPU_TEAMS, "serving": {"models": [CHURN]}}) == [
        "serving.models: ['churn'] lists models but serving is off; set serving.enabled: true "
        "or remove them",
    ]
    assert issues(
        {
            **AWS,
            "teams": CPU_TEAMS,
            "registry": {"enabled": False},
            "artifactStore": {"enabled": False},
            **serving(CHURN),
        }
    ) == [
        "artifactStore.enabled: False is false, but served models are read from the artifact "
        "store; set it true",
        "serving.runtimeImage: is required when the platform has no registry (registry.enabled "
        "is false): build images/serving and give its full image reference",
    ]
    assert issues({**LOCAL, "teams": CPU_TEAMS, **serving(CHURN)}) == [
        "mlflow.enabled: False is false, but on the kubernetes target served models are fetched "
        "through MLflow's artifact proxy; set it true",
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Churn"),
        ("name", "9churn"),
        ("name", "a" * 41),
        ("modelUri", "models:/churn/1"),
        ("modelUri", "mlflow-artifacts:/1/models/m-1/artifacts/"),
        ("memory", "2 GB"),
    ],
)
def test_a_bad_model_field_is_refused_at_its_path(field: str, value: str) -> None:
    found = issues({**AWS, "teams": CPU_TEAMS, **serving({**CHURN, field: value})})
    assert [f.split(":")[0] for f in found] == [f"serving.models[0].{field}"]


# ---- what is planned ----------------------------------------------------------------------


@pytest.mark.parametrize("stack", PROD)
def test_every_prod_stack_serves_its_models_under_the_teams_identity(
    shipped_plans: dict[str, Plan], stack: str
) -> None:
    plan = shipped_plans[stack]
    services = {o["metadata"]["name"]: o for o in by_type(plan, ISVC)}
    assert sorted(services) == ["churn", "reranker"]
    mlflow = one(plan, "kubernetes:apps/v1:Deployment", f"ml-{stack}-mlflow-deployment").inputs
    command = mlflow["spec"]["template"]["spec"]["containers"][0]["command"]
    destination = command[command.index("--artifacts-destination") + 1]
    if destination.startswith("wasbs://"):
        container, _, host = destination[8:].rstrip("/").partition("@")
        destination = f"https://{host}/{container}/"
    for isvc in services.values():
        predictor = isvc["spec"]["predictor"]
        assert isvc["metadata"]["namespace"] == "inference"
        assert predictor["serviceAccountName"] == "ml-workload"
        assert isvc["metadata"]["annotations"]["serving.kserve.io/deploymentMode"] == "Standard"
        assert predictor["model"]["storageUri"].startswith(destination)
    assert services["churn"]["spec"]["predictor"]["model"]["storageUri"] == (
        destination + MODEL_URI[18:]
    )
    identity_labels = {"azure-prod": {"azure.workload.identity/use": "true"}}.get(stack)
    assert services["churn"]["spec"]["predictor"].get("labels") == identity_labels


def test_a_gpu_model_runs_on_its_pool_with_its_resources(shipped_plans: dict[str, Plan]) -> None:
    plan = shipped_plans["aws-prod"]
    (ranker,) = [o for o in by_type(plan, ISVC) if o["metadata"]["name"] == "reranker"]
    predictor = ranker["spec"]["predictor"]
    assert ranker["metadata"]["annotations"]["serving.kserve.io/autoscalerClass"] == "none"
    assert predictor["nodeSelector"] == {
        "mlplatform.io/gpu": "A100-80GB",
        "mlplatform.io/pool": "a100",
    }
    assert predictor["tolerations"] == [
        {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}
    ]
    assert (predictor["minReplicas"], predictor["maxReplicas"]) == (1, 1)
    # No API token; the pod (the injected storage initializer too) at Pod Security's restricted.
    assert predictor["automountServiceAccountToken"] is False
    assert predictor["securityContext"] == {"seccompProfile": {"type": "RuntimeDefault"}}
    assert predictor["model"] == {
        "modelFormat": {"name": "mlflow", "version": "3"},
        "runtime": "reranker",
        "protocolVersion": "v2",
        "storageUri": predictor["model"]["storageUri"],
        "resources": {
            "requests": {"cpu": "1", "memory": "16Gi", "nvidia.com/gpu": "1"},
            "limits": {"memory": "16Gi", "nvidia.com/gpu": "1"},
        },
        "readinessProbe": {
            "httpGet": {"path": "/v2/models/reranker/ready", "port": 8080},
            "periodSeconds": 10,
            "timeoutSeconds": 5,
            "failureThreshold": 3,
        },
    }
    (churn,) = [o for o in by_type(plan, ISVC) if o["metadata"]["name"] == "churn"]
    assert churn["metadata"]["annotations"]["serving.kserve.io/autoscalerClass"] == "hpa"
    assert {k: churn["spec"]["predictor"][k] for k in ("minReplicas", "maxReplicas")} == {
        "minReplicas": 2,
        "maxReplicas": 4,
    }
    assert (
        churn["spec"]["predictor"]["scaleMetric"],
        churn["spec"]["predictor"]["scaleTarget"],
    ) == (
        "cpu",
        80,
    )
    assert "nodeSelector" not in churn["spec"]["predictor"]


def test_the_runtime_is_mlserver_on_the_platforms_serving_image(
    shipped_plans: dict[str, Plan],
) -> None:
    plan = shipped_plans["gcp-prod"]
    (runtime,) = [o for o in by_type(plan, RUNTIME) if o["metadata"]["name"] == "churn"]
    (container,) = runtime["spec"]["containers"]
    registry = one(
        plan, "gcp:artifactregistry/repository:Repository", "ml-gcp-prod-registry-repo"
    ).inputs
    assert container["image"] == (
        f"us-central1-docker.pkg.dev/{registry['project']}/{registry['repositoryId']}/"
        "mlplatform-serving:mlserver-1.7.1-mlflow-3.17.2"
    )
    assert container["command"] == ["mlserver", "start", "/mnt/models"]
    assert {e["name"]: e["value"] for e in container["env"]} == serving_runtime.runtime_env("churn")
    assert runtime["spec"]["supportedModelFormats"] == [
        {"name": "mlflow", "version": "3", "autoSelect": False}
    ]
    assert container["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "runAsNonRoot": True,
        "capabilities": {"drop": ["ALL"]},
    }


def test_kserve_installs_in_standard_mode_after_its_crds_and_cert_manager(
    shipped_plans: dict[str, Plan],
) -> None:
    plan = shipped_plans["aws-prod"]
    release = one(plan, RELEASE, "ml-aws-prod-serving-release").inputs
    assert (release["chart"], release["version"]) == (
        "oci://ghcr.io/kserve/charts/kserve-resources",
        "v0.20.0",
    )
    assert release["values"]["kserve"]["controller"] == {
        "deploymentMode": "Standard",
        "image": "kserve/kserve-controller",
        "tag": "v0.20.0",
        "imagePullPolicy": "IfNotPresent",
        "gateway": {"disableIngressCreation": True},
    }
    crds = one(plan, RELEASE, "ml-aws-prod-serving-crds").inputs
    assert (crds["chart"], crds["version"]) == ("oci://ghcr.io/kserve/charts/kserve-crd", "v0.20.0")
    cert_manager = one(plan, RELEASE, "ml-aws-prod-serving-cert-manager").inputs
    assert (cert_manager["chart"], cert_manager["version"], cert_manager["values"]) == (
        "oci://quay.io/jetstack/charts/cert-manager",
        "v1.21.2",
        {"crds": {"enabled": True, "keep": True}},
    )
    kserve = one(plan, RELEASE, "ml-aws-prod-serving-release")
    for first in ("ml-aws-prod-serving-crds", "ml-aws-prod-serving-cert-manager"):
        assert depends_on(kserve, one(plan, RELEASE, first))
    # Every model object waits for KServe's webhooks (the release name on it), and the
    # InferenceService for the runtime it names.
    isvc = one(plan, ISVC, "ml-aws-prod-model-churn-inference")
    assert depends_on(isvc, kserve)
    assert depends_on(isvc, one(plan, RUNTIME, "ml-aws-prod-model-churn-runtime"))


def test_eks_gets_metrics_server_for_autoscaled_models_where_nothing_else_serves_cpu_use(
    shipped_plans: dict[str, Plan], plan_config: PlanConfig
) -> None:
    """EKS runs no metrics-server (AKS and GKE do): an autoscaled model's HorizontalPodAutoscaler
    would never read CPU use. The platform installs the pinned chart there, and only there."""
    release = one(shipped_plans["aws-prod"], RELEASE, "ml-aws-prod-serving-metrics-server").inputs
    assert (release["chart"], release["version"], release["namespace"]) == (
        "metrics-server",
        "3.13.1",
        "kube-system",
    )
    assert release["repositoryOpts"] == {
        "repo": "https://kubernetes-sigs.github.io/metrics-server/"
    }
    for stack in ("azure-prod", "gcp-prod"):
        plan = shipped_plans[stack]
        assert [r.name for r in plan.resources if r.name.endswith("metrics-server")] == []
    fixed = plan_config({**AWS, "teams": CPU_TEAMS, **serving({**CHURN, "maxReplicas": 1})})
    assert [r.name for r in fixed.resources if r.name.endswith("metrics-server")] == []


def test_a_models_network_policy_admits_the_team_the_ingress_controller_and_prometheus(
    shipped_plans: dict[str, Plan],
) -> None:
    plan = shipped_plans["azure-prod"]
    policy = one(
        plan, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "ml-azure-prod-model-reranker-policy"
    ).inputs
    assert policy["spec"] == {
        "podSelector": {"matchLabels": {"serving.kserve.io/inferenceservice": "reranker"}},
        "policyTypes": ["Ingress"],
        "ingress": [
            {
                "from": [
                    {"podSelector": {}},
                    {
                        "namespaceSelector": {
                            "matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}
                        }
                    },
                ],
                "ports": [{"protocol": "TCP", "port": 8080}],
            },
            {
                "from": [
                    {
                        "namespaceSelector": {
                            "matchLabels": {"kubernetes.io/metadata.name": "monitoring"}
                        }
                    }
                ],
                "ports": [{"protocol": "TCP", "port": 8082}],
            },
        ],
    }
    ingress = one(
        plan, "kubernetes:networking.k8s.io/v1:Ingress", "ml-azure-prod-model-reranker-ingress"
    ).inputs
    assert ingress["metadata"]["name"] == "reranker-ingress"  # not KServe's own Ingress's name
    assert ingress["metadata"]["annotations"] == {"cert-manager.io/cluster-issuer": "letsencrypt"}
    assert ingress["spec"] == {
        "ingressClassName": "nginx",
        "tls": [{"hosts": ["reranker.ml.example.com"], "secretName": "reranker-tls"}],
        "rules": [
            {
                "host": "reranker.ml.example.com",
                "http": {
                    "paths": [
                        {
                            "path": "/",
                            "pathType": "Prefix",
                            "backend": {
                                "service": {"name": "reranker-predictor", "port": {"number": 80}}
                            },
                        }
                    ]
                },
            }
        ],
    }
    monitor = one(
        plan,
        "kubernetes:monitoring.coreos.com/v1:PodMonitor",
        "ml-azure-prod-model-reranker-metrics",
    ).inputs
    assert monitor["spec"]["podMetricsEndpoints"][0]["port"] == "metrics"
    assert monitor["spec"]["podMetricsEndpoints"][0]["relabelings"] == [
        {
            "sourceLabels": ["__meta_kubernetes_pod_label_serving_kserve_io_inferenceservice"],
            "targetLabel": "model",
        }
    ]


def test_on_an_existing_cluster_models_come_through_mlflow(plan_config: PlanConfig) -> None:
    plan = plan_config(
        {
            **LOCAL,
            "teams": TEAMS,
            "mlflow": {"enabled": True, "replicas": 1},
            "monitoring": {"enabled": True},
            **serving({**CHURN, "pool": "gpu"}, runtimeImage="registry.example.com/serving:1"),
        }
    )
    (isvc,) = by_type(plan, ISVC)
    assert isvc["spec"]["predictor"]["model"]["storageUri"] == MODEL_URI
    assert isvc["spec"]["predictor"]["nodeSelector"] == {"nvidia.com/gpu.present": "true"}
    (storage,) = by_type(plan, STORAGE)
    assert storage["metadata"]["name"] == "mlflow-artifacts"
    container = storage["spec"]["container"]
    assert container["image"] == "registry.example.com/serving:1"
    assert container["command"] == list(serving_runtime.DOWNLOAD_COMMAND)
    assert container["env"] == [
        {
            "name": "MLFLOW_TRACKING_URI",
            "value": "http://ml-test-mlflow.mlplatform.svc.cluster.local",
        },
        {
            "name": "MLFLOW_TRACKING_USERNAME",
            "valueFrom": {"secretKeyRef": {"name": "mlflow-credentials", "key": "username"}},
        },
        {
            "name": "MLFLOW_TRACKING_PASSWORD",
            "valueFrom": {"secretKeyRef": {"name": "mlflow-credentials", "key": "password"}},
        },
    ]
    assert storage["spec"]["supportedUriFormats"] == [{"prefix": "mlflow-artifacts:"}]


def test_cert_manager_is_left_alone_when_the_cluster_runs_one(plan_config: PlanConfig) -> None:
    plan = plan_config({**GCP, "teams": CPU_TEAMS, **serving(CHURN, installCertManager=False)})
    releases = sorted(r.name for r in plan.resources if r.type == RELEASE)
    assert "ml-test-serving-cert-manager" not in releases
    assert {"ml-test-serving-crds", "ml-test-serving-release"} <= set(releases)
    assert by_type(plan, STORAGE) == []


def test_with_serving_off_nothing_of_kserve_is_planned(shipped_plans: dict[str, Plan]) -> None:
    for stack in ("aws-dev", "azure-dev", "gcp-dev", "local"):
        plan = shipped_plans[stack]
        assert [
            r.name for r in plan.resources if "serving" in r.name or r.type.startswith(KSERVE)
        ] == []
