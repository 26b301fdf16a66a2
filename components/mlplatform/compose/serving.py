"""Served models on any target: KServe, and a `ModelServing` per model of the spec, reading
the model from the artifact store through its team's workload identity (clouds) or through
MLflow's artifact proxy (the kubernetes target)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pulumi

from mlplatform import defaults
from mlplatform.catalog.serving import RUNTIME_REPOSITORY, RUNTIME_TAG
from mlplatform.compose.charts import chart_sources
from mlplatform.compose.result import Built
from mlplatform.environment import PlatformConfig
from mlplatform.environment.model import ServedModelSpec, Target
from mlplatform.environment.queues import flavors
from mlplatform.environment.serving import needs_metrics_server

if TYPE_CHECKING:  # the kubernetes SDK loads only when serving is on
    from mlplatform.kubernetes.model_serving import ModelServingArgs
    from mlplatform.kubernetes.monitoring.stack import MonitoringStack

MLFLOW_ARTIFACTS = "mlflow-artifacts:/"
WASBS = "wasbs://"


def storage_uri(artifact_uri: str, model_uri: str) -> str:
    """Where KServe's storage initializer reads `model_uri` (`mlflow-artifacts:/<path>`):
    `<path>` under the artifact store MLflow proxies (its --artifacts-destination), written the
    way the storage initializer takes it: s3://bucket/<path>, gs://bucket/<path>, and Azure
    Blob as https://<account>.blob.core.windows.net/<container>/<path> (it reads no wasbs://)."""
    path = model_uri.removeprefix(MLFLOW_ARTIFACTS)
    if artifact_uri.startswith(WASBS):
        container, _, host = artifact_uri.removeprefix(WASBS).rstrip("/").partition("@")
        return f"https://{host}/{container}/{path}"
    return f"{artifact_uri.rstrip('/')}/{path}"


def default_runtime_image(target: Target, registry_url: str) -> str:
    """The serving image in the platform's registry: on AWS the registry is one ECR repository,
    where the image is a tag; elsewhere a repository of its own."""
    if target is Target.AWS:
        return f"{registry_url}:{RUNTIME_REPOSITORY}-{RUNTIME_TAG}"
    return f"{registry_url}/{RUNTIME_REPOSITORY}:{RUNTIME_TAG}"


def add_serving(
    name: str,
    cfg: PlatformConfig,
    tags: Mapping[str, str],
    built: Built,
    opts: pulumi.ResourceOptions,
    pod_labels: Mapping[str, str] | None = None,
    monitoring: MonitoringStack | None = None,
) -> None:
    """KServe and the spec's models, when serving is on; `built` holds the team namespaces
    (in the spec's order), the artifact store, the registry and (kubernetes) MLflow."""
    if not cfg.serving.enabled:
        return
    from mlplatform.kubernetes.serving import KServe, KServeArgs

    image = _runtime_image(cfg, built)
    args: KServeArgs = {
        "install_cert_manager": cfg.serving.install_cert_manager,
        "tags": tags,
    }
    if needs_metrics_server(cfg):
        # EKS runs no metrics-server: without one, an autoscaled model's HPA never scales.
        args["install_metrics_server"] = True
    on_cluster = cfg.target is Target.KUBERNETES
    if on_cluster and built.tracking_uri is not None:
        args["mlflow_proxy"] = {
            "tracking_uri": built.tracking_uri,
            "image": image,
            "credentials_secret": defaults.MLFLOW_CREDENTIALS_SECRET,
        }
    if sources := chart_sources(cfg):
        args["charts"] = sources
    kserve = KServe(f"{name}-serving", args, opts)
    namespaces = dict(zip((t.name for t in cfg.teams), built.team_namespaces, strict=True))
    for model in cfg.serving.models:
        if on_cluster:
            uri: pulumi.Input[str] = model.model_uri
        elif built.artifact_uri is not None:
            uri = built.artifact_uri.apply(lambda root, m=model: storage_uri(root, m.model_uri))
        else:  # refused by the spec's rules
            continue
        _model(
            name,
            cfg,
            model,
            namespaces[model.team],
            uri,
            image,
            tags,
            opts,
            kserve.release,
            pod_labels or {},
            monitoring,
        )


def _runtime_image(cfg: PlatformConfig, built: Built) -> pulumi.Input[str]:
    """The spec's serving image, else the default one in the platform's registry."""
    if cfg.serving.runtime_image is not None:
        return cfg.serving.runtime_image
    if built.registry_url is None:  # refused by the spec's rules
        raise ValueError("serving.runtimeImage is required without a registry")
    return built.registry_url.apply(lambda url: default_runtime_image(cfg.target, url))


def _model(
    name: str,
    cfg: PlatformConfig,
    model: ServedModelSpec,
    namespace: pulumi.Input[str],
    uri: pulumi.Input[str],
    image: pulumi.Input[str],
    tags: Mapping[str, str],
    opts: pulumi.ResourceOptions,
    installed_by: pulumi.Input[str],
    pod_labels: Mapping[str, str],
    monitoring: MonitoringStack | None,
) -> None:
    from mlplatform.kubernetes.model_serving import ModelServing

    args: ModelServingArgs = {
        "model": model.name,
        "namespace": namespace,
        "storage_uri": uri,
        "runtime_image": image,
        "service_account": defaults.WORKLOAD_SERVICE_ACCOUNT,
        "cpu": model.cpu,
        "memory": model.memory,
        "min_replicas": model.min_replicas,
        "max_replicas": model.replicas_at_most,
        "allowed_namespaces": list(model.allowed_namespaces),
        "installed_by": installed_by,
        "tags": tags,
    }
    if pod_labels:
        args["pod_labels"] = pod_labels
    if model.pool is not None:
        (flavor,) = [f for f in flavors(cfg) if f.name == model.pool]
        args["node_selector"] = flavor.node_labels
        args["tolerations"] = flavor.tolerations
        args["gpus"] = model.gpus_per_replica
    if (ingress := model.ingress) is not None:
        args["ingress"] = {
            "host": ingress.host,
            "class_name": ingress.class_name,
            "controller_namespace": ingress.controller_namespace,
            "tls_secret_name": ingress.tls_secret_name or f"{model.name}-tls",
            "cluster_issuer": ingress.cluster_issuer,
            "annotations": dict(ingress.annotations),
        }
    if monitoring is not None:
        args["scraped_by"] = monitoring.operator_release
    ModelServing(f"{name}-model-{model.name}", args, opts)
