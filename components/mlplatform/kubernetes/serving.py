"""KServe, installed from its upstream charts, pinned, in its Standard mode: each model a plain
Deployment, Service and HorizontalPodAutoscaler, no service mesh and no Knative.

cert-manager first (KServe's webhooks take their certificate from it; skipped when the cluster
runs its own), then the `kserve-crd` chart (the CRDs live in its templates: uninstalling that
release deletes every InferenceService), then `kserve-resources`: the controller, its webhooks,
the `inferenceservice-config` ConfigMap and the default storage container (the storage
initializer that reads s3://, gs:// and Azure Blob URIs through the pod's workload identity).
KServe creates no Ingress (`disableIngressCreation`): a model's Ingress, TLS only, is
`ModelServing`'s own. Where models are stored behind MLflow (the kubernetes target), a
ClusterStorageContainer fetches `mlflow-artifacts:` URIs through MLflow's artifact proxy.
"""

from collections.abc import Mapping
from typing import Any, TypedDict

import pulumi
import pulumi_kubernetes as k8s

from mlplatform import defaults
from mlplatform.catalog.charts import KSERVE_IMAGES
from mlplatform.component_args import check_args
from mlplatform.contracts import ChartSourceArgs, child
from mlplatform.kubernetes import charts, serving_runtime
from mlplatform.kubernetes.labels import labels

STORAGE_API_VERSION = "serving.kserve.io/v1alpha1"
"""KServe v0.20.0's version of ClusterStorageContainer (pkg/apis/serving/v1alpha1)."""
METRICS_SERVER_NAMESPACE = "kube-system"
"""Where metrics-server runs (its chart's documented namespace; it serves the cluster-wide
metrics.k8s.io API)."""
MLFLOW_STORAGE_CONTAINER = "mlflow-artifacts"
"""The ClusterStorageContainer fetching `mlflow-artifacts:` models through MLflow."""
DOWNLOAD_RESOURCES = {
    "requests": {"cpu": "100m", "memory": "256Mi"},
    "limits": {"cpu": "1", "memory": "1Gi"},
}
"""The MLflow download's resources: the chart's storage initializer's, with the memory MLflow's
client needs to start (it imports more than the storage initializer)."""


class MlflowProxyArgs(TypedDict):
    """Where models are fetched through MLflow's artifact proxy."""

    tracking_uri: pulumi.Input[str]
    """The in-cluster MLflow server (http://mlflow.<namespace>.svc.cluster.local)."""
    image: pulumi.Input[str]
    """An image with the tracking server's MLflow: the serving image."""
    credentials_secret: str
    """Secret in each serving namespace with the MLflow user (keys `username`, `password`)
    models are fetched as."""


class KServeArgs(TypedDict, total=False):
    """Args of `KServe`."""

    install_cert_manager: bool
    """Install cert-manager (pinned) for KServe's webhook certificate; off when the cluster
    runs cert-manager 1.15 or later already. Default: on."""
    install_metrics_server: bool
    """Install metrics-server (pinned) in kube-system, which the HorizontalPodAutoscalers of
    autoscaled models read CPU use from: for clusters that run none (EKS). Default: off."""
    mlflow_proxy: MlflowProxyArgs
    """Fetch `mlflow-artifacts:` model URIs through MLflow's artifact proxy. Default: only the
    storage initializer's schemes (s3://, gs://, https:// Azure Blob, ...)."""
    charts: ChartSourceArgs
    """Where the pinned charts come from. Default: their upstream OCI registries."""
    tags: Mapping[str, str]
    """Labels on every object. Default: none."""


def cert_manager_values() -> dict[str, Any]:
    """Values of the pinned cert-manager chart: its CRDs installed and kept on uninstall (the
    chart's crds.keep default), so removing the release never deletes the certificates."""
    return {"crds": {"enabled": True, "keep": True}}


def kserve_values() -> dict[str, Any]:
    """Values of the pinned kserve-resources chart (charts/kserve-resources/values.yaml,
    v0.20.0): Standard mode by default (the chart's is Knative), no Ingress created by KServe,
    the controller and storage initializer images named at the pinned version and pulled only
    when missing (the chart pulls the controller Always)."""
    controller, storage = KSERVE_IMAGES["controller"], KSERVE_IMAGES["storage"]
    return {
        "kserve": {
            "controller": {
                "deploymentMode": "Standard",
                "image": controller["image"],
                "tag": controller["tag"],
                "imagePullPolicy": "IfNotPresent",
                "gateway": {"disableIngressCreation": True},
            },
            "storage": {"image": storage["image"], "tag": storage["tag"]},
        }
    }


def mlflow_storage_container(proxy: MlflowProxyArgs) -> dict[str, Any]:
    """The ClusterStorageContainer spec fetching `mlflow-artifacts:` URIs: KServe's pod webhook
    adds it as the predictor's init container, with the URI and the model folder as args; the
    MLflow user comes from the pod's own namespace (a Secret every serving namespace holds)."""
    secret = proxy["credentials_secret"]
    return {
        "container": {
            "name": "storage-initializer",
            "image": proxy["image"],
            "command": list(serving_runtime.DOWNLOAD_COMMAND),
            "env": [
                {"name": "MLFLOW_TRACKING_URI", "value": proxy["tracking_uri"]},
                *(
                    {
                        "name": f"MLFLOW_TRACKING_{key.upper()}",
                        "valueFrom": {"secretKeyRef": {"name": secret, "key": key}},
                    }
                    for key in ("username", "password")
                ),
            ],
            "resources": DOWNLOAD_RESOURCES,
            "securityContext": {
                "allowPrivilegeEscalation": False,
                "runAsNonRoot": True,
                "capabilities": {"drop": ["ALL"]},
            },
        },
        "supportedUriFormats": [{"prefix": serving_runtime.MLFLOW_ARTIFACTS}],
    }


class KServe(pulumi.ComponentResource):
    """KServe in Standard mode, with cert-manager, from their pinned upstream charts."""

    namespace: pulumi.Output[str]
    """Namespace of the KServe controller."""
    release: pulumi.Output[str]
    """The kserve-resources release's name: give it to `ModelServing` (`installed_by`), whose
    objects then wait for KServe's CRDs and webhooks, in any language."""

    def __init__(
        self, name: str, args: KServeArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, KServeArgs, args)
        super().__init__("mlplatform:index:KServe", name, None, opts)
        tags = args.get("tags", {})
        sources = args.get("charts")
        after: list[pulumi.Resource] = []
        if args.get("install_cert_manager", True):
            cm_namespace = _namespace(
                f"{name}-cert-manager-namespace",
                defaults.CERT_MANAGER_NAMESPACE,
                labels(charts.CERT_MANAGER.name, "certificates", tags),
                self,
            )
            after.append(
                k8s.helm.v3.Release(
                    f"{name}-cert-manager",
                    name=charts.CERT_MANAGER.name,
                    **charts.release_source(charts.CERT_MANAGER, sources),
                    namespace=cm_namespace,
                    values=cert_manager_values(),
                    atomic=True,
                    cleanup_on_fail=True,
                    opts=child(self),
                )
            )
        if args.get("install_metrics_server", False):
            # Beside KServe: only the autoscalers read it, once models run.
            k8s.helm.v3.Release(
                f"{name}-metrics-server",
                name=charts.METRICS_SERVER.name,
                **charts.release_source(charts.METRICS_SERVER, sources),
                namespace=METRICS_SERVER_NAMESPACE,
                atomic=True,
                cleanup_on_fail=True,
                opts=child(self),
            )
        meta = labels("kserve", "serving", tags)
        namespace = _namespace(f"{name}-namespace", defaults.SERVING_NAMESPACE, meta, self)
        crds = k8s.helm.v3.Release(
            f"{name}-crds",
            name=charts.KSERVE_CRD.name,
            **charts.release_source(charts.KSERVE_CRD, sources),
            namespace=namespace,
            atomic=True,
            cleanup_on_fail=True,
            opts=child(self),
        )
        release = k8s.helm.v3.Release(
            f"{name}-release",
            name=charts.KSERVE.name,
            **charts.release_source(charts.KSERVE, sources),
            namespace=namespace,
            values=kserve_values(),
            atomic=True,
            cleanup_on_fail=True,
            opts=child(self, depends_on=[crds, *after]),
        )
        if (proxy := args.get("mlflow_proxy")) is not None:
            k8s.apiextensions.CustomResource(
                f"{name}-mlflow-storage",
                api_version=STORAGE_API_VERSION,
                kind="ClusterStorageContainer",
                metadata={"name": MLFLOW_STORAGE_CONTAINER, "labels": meta},
                spec=mlflow_storage_container(proxy),
                opts=child(self, depends_on=[release]),
            )
        self.namespace = namespace
        self.release = release.name.apply(lambda n: n or charts.KSERVE.name)
        self.register_outputs({"namespace": self.namespace, "release": self.release})


def _namespace(
    resource_name: str, name: str, meta: Mapping[str, str], parent: pulumi.Resource
) -> pulumi.Output[str]:
    """A namespace whose pods run non-root, read-only, every capability dropped (the charts'
    controllers and webhooks all do)."""
    namespace = k8s.core.v1.Namespace(
        resource_name,
        metadata={
            "name": name,
            "labels": {**meta, "pod-security.kubernetes.io/enforce": "restricted"},
        },
        opts=child(parent),
    )
    return namespace.metadata.apply(lambda m: m.name or name)
