"""MLflow on any target: the `mlflow` namespace and the server, with what every target
takes from the spec (image, ingress, allowed namespaces, a Prometheus scrape)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pulumi

from mlplatform import defaults
from mlplatform.compose.ingress import ingress_args
from mlplatform.compose.namespaces import restricted_namespace
from mlplatform.environment import PlatformConfig
from mlplatform.kubernetes.mlflow_config import MAX_SURGE, WORKERS

if TYPE_CHECKING:  # the kubernetes SDK loads only for targets that build MLflow
    from mlplatform.kubernetes.mlflow import MlflowServer, MlflowServerArgs
    from mlplatform.kubernetes.monitoring.stack import MonitoringStack


def add_mlflow(
    name: str,
    cfg: PlatformConfig,
    tags: Mapping[str, str],
    opts: pulumi.ResourceOptions,
    database_uri: pulumi.Input[str],
    artifacts_destination: pulumi.Input[str],
    annotations: pulumi.Input[Mapping[str, str]],
    pod_labels: Mapping[str, str] | None = None,
    monitoring: MonitoringStack | None = None,
) -> MlflowServer:
    """The `mlflow` namespace and the MLflow server in it, reaching the artifact store through
    its workload identity."""
    namespace = restricted_namespace(
        f"{name}-mlflow-namespace", defaults.MLFLOW_NAMESPACE, tags, opts
    )
    args: MlflowServerArgs = {
        "namespace": namespace,
        "database_uri": database_uri,
        "artifacts_destination": artifacts_destination,
        "replicas": cfg.mlflow.replicas,
        "service_account_annotations": annotations,
        "pod_labels": dict(pod_labels or {}),
        "allowed_namespaces": allowed_namespaces(cfg),
        "tags": tags,
    }
    return mlflow_server(name, cfg, args, opts, monitoring)


def mlflow_server(
    name: str,
    cfg: PlatformConfig,
    args: MlflowServerArgs,
    opts: pulumi.ResourceOptions,
    monitoring: MonitoringStack | None = None,
) -> MlflowServer:
    """`MlflowServer` with what every target takes from the spec: image, ingress, and a
    Prometheus scrape when monitoring is on."""
    from mlplatform.kubernetes.mlflow import MlflowServer

    if cfg.mlflow.image:
        args["image"] = cfg.mlflow.image
    if ingress := ingress_args(cfg):
        args["ingress"] = ingress
    if monitoring is not None:
        args["scraped_by"] = monitoring.operator_release
    return MlflowServer(f"{name}-mlflow", args, opts)


def mlflow_processes(cfg: PlatformConfig) -> int:
    """MLflow server processes holding database connections at the height of a rolling
    update: the replicas and the Deployment's surge replica (`MAX_SURGE`), `WORKERS` each."""
    return (cfg.mlflow.replicas + MAX_SURGE) * WORKERS


def allowed_namespaces(cfg: PlatformConfig) -> list[str]:
    """Namespaces whose pods may reach MLflow: the teams', the ingress controller's, the
    monitoring stack's (scrapes) and the configured extras, each once."""
    ingress = cfg.mlflow.ingress
    names = [t.name for t in cfg.teams]
    names += [ingress.controller_namespace] if ingress else []
    names += [defaults.MONITORING_NAMESPACE] if cfg.monitoring.enabled else []
    names += cfg.mlflow.allowed_namespaces
    return list(dict.fromkeys(names))
