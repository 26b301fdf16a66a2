"""One MLflow model version served by KServe (Standard mode) in a team's namespace.

A ServingRuntime of the model's own runs MLServer with its MLflow runtime on the platform's
serving image (the stock kserve-mlserver runtime's images carry MLflow 2.x, which cannot load
the skops models MLflow 3 logs); an InferenceService runs it under the namespace's workload
identity, on a GPU pool through the pool's labels and tolerations or on CPU, with its
replicas, resources and readiness on the model itself (MLServer reports ready before a model
that failed to load is gone). KServe's storage initializer reads the model into the pod from
the artifact store with that identity (no keys), or through MLflow where a storage container
says so. A NetworkPolicy admits only the team, the namespaces named, the ingress controller
and Prometheus (the metrics port alone); an optional Ingress is TLS only; a PodMonitor
scrapes MLServer's metrics port, each series labelled with the model.
"""

from collections.abc import Mapping, Sequence
from typing import Any, Required, TypedDict

import pulumi
import pulumi_kubernetes as k8s

from mlplatform import defaults
from mlplatform.component_args import check_args
from mlplatform.contracts import child
from mlplatform.kubernetes import serving_runtime as runtime
from mlplatform.kubernetes.labels import annotated, labels
from mlplatform.kubernetes.mlflow import SCRAPED_BY_ANNOTATION

SERVING_API_VERSION = "serving.kserve.io/v1beta1"
"""KServe v0.20.0's InferenceService version."""
RUNTIME_API_VERSION = "serving.kserve.io/v1alpha1"
"""KServe v0.20.0's ServingRuntime version."""
MODEL_FORMAT = {"name": "mlflow", "version": "3"}
"""The format the runtime declares and the model asks for: MLflow 3's (an InferenceService
naming a runtime must ask for a format that runtime lists)."""
INSTALLED_BY_ANNOTATION = "mlplatform.io/kserve-release"
"""On the model's KServe objects: the kserve-resources release they wait for."""
ISVC_LABEL = "serving.kserve.io/inferenceservice"
"""The label KServe puts on a model's pods, naming its InferenceService."""
CPU_TARGET_PERCENT = 80
"""CPU use the HorizontalPodAutoscaler keeps replicas at (KServe's DefaultCPUUtilization)."""
READY_PATH = "/v2/models/{model}/ready"
"""MLServer's per-model readiness (V2): 200 only while the model is loaded."""


class ModelIngressArgs(TypedDict, total=False):
    """Args of the optional Ingress (TLS only)."""

    host: Required[str]
    """Host name clients reach the model at."""
    class_name: Required[str]
    """IngressClass of the controller."""
    controller_namespace: Required[str]
    """Namespace of the controller's pods, admitted by the NetworkPolicy."""
    tls_secret_name: Required[str]
    """Secret (in the model's namespace) with the certificate."""
    cluster_issuer: str | None
    """cert-manager ClusterIssuer filling the Secret. Default: none."""
    annotations: Mapping[str, str]
    """Extra annotations for the controller. Default: none."""


class ModelServingArgs(TypedDict, total=False):
    """Args of `ModelServing`."""

    model: Required[str]
    """The InferenceService's name (a DNS-1035 label of at most 40 characters), also the
    model's name in the V2 protocol and the name of every object here."""
    namespace: Required[pulumi.Input[str]]
    """The team's namespace the model runs in."""
    storage_uri: Required[pulumi.Input[str]]
    """The MLflow model folder (holding MLmodel): s3://, gs://, an Azure Blob https:// URL,
    or an `mlflow-artifacts:` URI where a storage container fetches those."""
    runtime_image: Required[pulumi.Input[str]]
    """The serving image (images/serving: MLServer, its MLflow runtime, MLflow 3)."""
    service_account: str
    """The workload identity the pods run as, which reads the model. Default: ml-workload."""
    pod_labels: Mapping[str, str]
    """Labels the cloud's workload identity needs on the pods (Azure's). Default: none."""
    node_selector: Mapping[str, str]
    """Labels of the nodes to run on (a GPU pool's). Default: none."""
    tolerations: Sequence[Mapping[str, str]]
    """Tolerations of those nodes' taints. Default: none."""
    gpus: int
    """GPUs per replica. Default: no GPU."""
    cpu: str
    """CPU requested per replica. Default: 1."""
    memory: str
    """Memory per replica, request and limit. Default: 2Gi."""
    min_replicas: int
    """Replicas always running (at least 1: Standard mode cannot scale up from zero on a
    request). Default: 1."""
    max_replicas: int
    """Replicas the HorizontalPodAutoscaler may add on CPU use. Default: as many as
    `min_replicas` (no autoscaling)."""
    allowed_namespaces: Sequence[str]
    """Namespaces whose pods may call the model besides its own. Default: none."""
    ingress: ModelIngressArgs
    """An Ingress with TLS in front of the model. Default: none (in-cluster only)."""
    installed_by: pulumi.Input[str]
    """`KServe.release`: the objects wait for KServe's CRDs and webhooks. Default: KServe is
    already installed."""
    scraped_by: pulumi.Input[str]
    """`MonitoringStack.operator_release`: when given, a PodMonitor has Prometheus scrape
    MLServer's metrics. Default: not scraped."""
    tags: Mapping[str, str]
    """Labels on every object. Default: none."""


def runtime_spec(model: str, image: pulumi.Input[str]) -> dict[str, Any]:
    """The model's ServingRuntime: MLServer with its MLflow runtime, V2 protocol, run as the
    image's non-root user with nothing to escalate."""
    env = runtime.runtime_env(model)
    return {
        "supportedModelFormats": [{**MODEL_FORMAT, "autoSelect": False}],
        "protocolVersions": ["v2"],
        "containers": [
            {
                "name": "kserve-container",
                "image": image,
                "command": list(runtime.COMMAND),
                "env": [{"name": k, "value": v} for k, v in env.items()],
                "ports": [
                    {"name": "http", "containerPort": runtime.HTTP_PORT, "protocol": "TCP"},
                    {"name": "metrics", "containerPort": runtime.METRICS_PORT, "protocol": "TCP"},
                ],
                "securityContext": {
                    "allowPrivilegeEscalation": False,
                    "runAsNonRoot": True,
                    "capabilities": {"drop": ["ALL"]},
                },
            }
        ],
    }


def predictor_spec(model: str, args: ModelServingArgs) -> dict[str, Any]:
    """The InferenceService's predictor: the model's identity, placement, replicas and
    resources, its readiness on the model itself."""
    memory = args.get("memory", defaults.SERVING_MEMORY)
    resources: dict[str, Any] = {
        "requests": {"cpu": args.get("cpu", defaults.SERVING_CPU), "memory": memory},
        "limits": {"memory": memory},
    }
    if gpus := args.get("gpus"):
        resources["requests"]["nvidia.com/gpu"] = str(gpus)
        resources["limits"]["nvidia.com/gpu"] = str(gpus)
    least, most = replicas(args)
    predictor: dict[str, Any] = {
        "serviceAccountName": args.get("service_account", defaults.WORKLOAD_SERVICE_ACCOUNT),
        # MLServer never calls the API server; the cloud's identity token is a projected
        # volume of its own, not this one.
        "automountServiceAccountToken": False,
        # At pod level, so it covers the storage initializer KServe injects too: the pods pass
        # Pod Security's restricted level, which team namespaces warn at.
        "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
        "minReplicas": least,
        "maxReplicas": most,
        "model": {
            "modelFormat": dict(MODEL_FORMAT),
            "runtime": model,
            "protocolVersion": "v2",
            "storageUri": args["storage_uri"],
            "resources": resources,
            "readinessProbe": {
                "httpGet": {"path": READY_PATH.format(model=model), "port": runtime.HTTP_PORT},
                "periodSeconds": 10,
                "timeoutSeconds": 5,
                "failureThreshold": 3,
            },
        },
    }
    if most > least:
        predictor["scaleMetric"] = "cpu"
        predictor["scaleTarget"] = CPU_TARGET_PERCENT
    if pod_labels := args.get("pod_labels"):
        predictor["labels"] = dict(pod_labels)
    if node_selector := args.get("node_selector"):
        predictor["nodeSelector"] = dict(node_selector)
    if tolerations := args.get("tolerations"):
        predictor["tolerations"] = [dict(t) for t in tolerations]
    return predictor


def replicas(args: ModelServingArgs) -> tuple[int, int]:
    """The fewest and the most replicas: `max_replicas` defaults to `min_replicas`."""
    least = args.get("min_replicas", defaults.SERVING_MIN_REPLICAS)
    most = args.get("max_replicas")
    return least, least if most is None else most


def autoscaler_class(args: ModelServingArgs) -> str:
    """KServe's `hpa` when the replicas may vary, else `none`: a fixed count, no
    HorizontalPodAutoscaler (the Deployment keeps minReplicas)."""
    least, most = replicas(args)
    return "hpa" if most > least else "none"


def pod_monitor_spec(model: str) -> dict[str, Any]:
    """The PodMonitor spec: MLServer's metrics port on the model's pods, each series labelled
    `model` with the InferenceService's name."""
    return {
        "selector": {"matchLabels": {ISVC_LABEL: model}},
        "podMetricsEndpoints": [
            {
                "port": "metrics",
                "path": "/metrics",
                "relabelings": [
                    {
                        "sourceLabels": [
                            "__meta_kubernetes_pod_label_serving_kserve_io_inferenceservice"
                        ],
                        "targetLabel": "model",
                    }
                ],
            }
        ],
    }


class ModelServing(pulumi.ComponentResource):
    """One MLflow model version served by KServe, with its runtime, network policy, optional
    TLS Ingress and metrics."""

    url: pulumi.Output[str]
    """In-cluster V2 inference URL of the model."""
    external_url: pulumi.Output[str | None]
    """https:// inference URL through the Ingress; None without one."""

    def __init__(
        self, name: str, args: ModelServingArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, ModelServingArgs, args)
        super().__init__("mlplatform:index:ModelServing", name, None, opts)
        model = args["model"]
        namespace = args["namespace"]
        meta = labels(model, "model-serving", args.get("tags", {}))
        waits: dict[str, pulumi.Input[str]] = {}
        if (installed_by := args.get("installed_by")) is not None:
            waits[INSTALLED_BY_ANNOTATION] = installed_by
        runtime_meta: dict[str, Any] = {"name": model, "namespace": namespace, "labels": meta}
        if waits:
            runtime_meta["annotations"] = waits
        serving_runtime = k8s.apiextensions.CustomResource(
            f"{name}-runtime",
            api_version=RUNTIME_API_VERSION,
            kind="ServingRuntime",
            metadata=runtime_meta,
            spec=runtime_spec(model, args["runtime_image"]),
            opts=child(self),
        )
        k8s.apiextensions.CustomResource(
            f"{name}-inference",
            api_version=SERVING_API_VERSION,
            kind="InferenceService",
            metadata={
                "name": model,
                "namespace": namespace,
                "labels": meta,
                "annotations": {
                    **waits,
                    "serving.kserve.io/deploymentMode": "Standard",
                    "serving.kserve.io/autoscalerClass": autoscaler_class(args),
                },
            },
            spec={"predictor": predictor_spec(model, args)},
            opts=child(self, depends_on=[serving_runtime]),
        )
        self._network_policy(name, model, namespace, meta, args)
        if (scraped_by := args.get("scraped_by")) is not None:
            k8s.apiextensions.CustomResource(
                f"{name}-metrics",
                api_version="monitoring.coreos.com/v1",
                kind="PodMonitor",
                metadata={
                    "name": model,
                    "namespace": namespace,
                    "labels": meta,
                    "annotations": {SCRAPED_BY_ANNOTATION: scraped_by},
                },
                spec=pod_monitor_spec(model),
                opts=child(self),
            )
        predictor = f"{model}-predictor"
        self.url = pulumi.Output.concat(
            "http://", predictor, ".", namespace, f".svc.cluster.local/v2/models/{model}/infer"
        )
        self.external_url = pulumi.Output.from_input(None)
        if (ingress := args.get("ingress")) is not None:
            _ingress(f"{name}-ingress", model, predictor, namespace, meta, ingress, self)
            self.external_url = pulumi.Output.from_input(
                f"https://{ingress['host']}/v2/models/{model}/infer"
            )
        self.register_outputs({"url": self.url, "external_url": self.external_url})

    def _network_policy(
        self,
        name: str,
        model: str,
        namespace: pulumi.Input[str],
        meta: Mapping[str, str],
        args: ModelServingArgs,
    ) -> None:
        """Inference from the team's own pods, the namespaces named and the ingress
        controller; the metrics port from Prometheus only."""
        admitted = list(args.get("allowed_namespaces", []))
        if (ingress := args.get("ingress")) is not None:
            admitted.append(ingress["controller_namespace"])
        callers: list[k8s.networking.v1.NetworkPolicyPeerArgsDict] = [
            {"pod_selector": {}},
            *(_namespace_peer(ns) for ns in dict.fromkeys(admitted)),
        ]
        rules: list[k8s.networking.v1.NetworkPolicyIngressRuleArgsDict] = [
            {"from_": callers, "ports": [{"protocol": "TCP", "port": runtime.HTTP_PORT}]}
        ]
        if args.get("scraped_by") is not None:
            rules.append(
                {
                    "from_": [_namespace_peer(defaults.MONITORING_NAMESPACE)],
                    "ports": [{"protocol": "TCP", "port": runtime.METRICS_PORT}],
                }
            )
        k8s.networking.v1.NetworkPolicy(
            f"{name}-policy",
            metadata={"name": f"{model}-predictor", "namespace": namespace, "labels": meta},
            spec={
                "pod_selector": {"match_labels": {ISVC_LABEL: model}},
                "policy_types": ["Ingress"],
                "ingress": rules,
            },
            opts=child(self),
        )


def _namespace_peer(namespace: str) -> k8s.networking.v1.NetworkPolicyPeerArgsDict:
    """Every pod of `namespace`."""
    return {"namespace_selector": {"match_labels": {"kubernetes.io/metadata.name": namespace}}}


def _ingress(
    resource_name: str,
    model: str,
    service: str,
    namespace: pulumi.Input[str],
    meta: Mapping[str, str],
    ingress: ModelIngressArgs,
    parent: pulumi.Resource,
) -> None:
    """TLS-only Ingress to the predictor's Service (port 80, KServe's); cert-manager fills the
    Secret when an issuer is named."""
    annotations = dict(ingress.get("annotations", {}))
    if issuer := ingress.get("cluster_issuer"):
        annotations["cert-manager.io/cluster-issuer"] = issuer
    backend: k8s.networking.v1.IngressBackendArgsDict = {
        "service": {"name": service, "port": {"number": 80}}
    }
    k8s.networking.v1.Ingress(
        resource_name,
        # Not the InferenceService's name, which KServe's own Ingress would take (it is off here,
        # `disableIngressCreation`, and would overwrite any Ingress of that name).
        metadata=annotated(
            {"name": f"{model}-ingress", "namespace": namespace, "labels": dict(meta)}, annotations
        ),
        spec={
            "ingress_class_name": ingress["class_name"],
            "tls": [
                {
                    "hosts": [ingress["host"]],
                    "secret_name": ingress["tls_secret_name"],
                }
            ],
            "rules": [
                {
                    "host": ingress["host"],
                    "http": {"paths": [{"path": "/", "path_type": "Prefix", "backend": backend}]},
                }
            ],
        },
        opts=child(parent),
    )
