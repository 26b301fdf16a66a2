"""Kubernetes target: an existing cluster with in-cluster artifact volume and registry, team
namespaces with GPU quotas, and the NVIDIA device plugin when asked for.

Not a target of the cloud skeleton (`compose/cloud.py`): it creates no network, cluster, cloud
identity, alarms or managed Prometheus, its database runs in the cluster and MLflow mounts the
store's volume instead of reaching a bucket. It shares the Kubernetes layer's builders
(GPU enablement, teams, monitoring, MLflow) with the clouds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

import pulumi
import pulumi_kubernetes as k8s

from mlplatform.compose.gpus import enable_gpus
from mlplatform.compose.mlflow import allowed_namespaces, mlflow_server
from mlplatform.compose.monitoring import add_monitoring
from mlplatform.compose.namespaces import restricted_namespace
from mlplatform.compose.queues import add_queues
from mlplatform.compose.result import Built
from mlplatform.compose.scope import Builder, Scope
from mlplatform.compose.serving import add_serving
from mlplatform.compose.teams import add_teams
from mlplatform.environment import PlatformConfig
from mlplatform.environment.model import KubernetesSpec
from mlplatform.kubernetes.mlflow import CLIENT_LABELS, MlflowServer, MlflowServerArgs
from mlplatform.kubernetes.monitoring.stack import MonitoringStack
from mlplatform.kubernetes.postgres import InClusterPostgres
from mlplatform.kubernetes.registry import InClusterRegistry
from mlplatform.kubernetes.storage import PvcArtifactStore


class InClusterVolume(TypedDict):
    """Where the in-cluster store and registry keep their volume."""

    namespace: pulumi.Input[str]
    storage_class: str | None
    tags: Mapping[str, str]
    protect: bool


def build_on_cluster(scope: Scope) -> Built:
    """The platform on an existing cluster: in-cluster stand-ins for the cloud services, then
    the Kubernetes layer (monitoring, MLflow, GPU enablement, teams)."""
    parent, name, cfg, tags = scope.parent, scope.name, scope.cfg, scope.tags
    settings = cfg.kubernetes or KubernetesSpec()
    provider = k8s.Provider(
        f"{name}-k8s", context=settings.context, opts=pulumi.ResourceOptions(parent=parent)
    )
    ns_name = restricted_namespace(
        f"{name}-namespace",
        settings.namespace,
        tags,
        # Deleting a namespace deletes the volumes in it: protect it with them.
        pulumi.ResourceOptions(parent=parent, provider=provider, protect=cfg.protect),
    )
    opts = pulumi.ResourceOptions(parent=parent, providers=[provider])
    volume: InClusterVolume = {
        "namespace": ns_name,
        "storage_class": settings.storage_class,
        "tags": tags,
        "protect": cfg.protect,
    }
    store = registry = None
    if cfg.artifact_store.enabled:
        size_gi = cfg.artifact_store.size_gi
        store = PvcArtifactStore(f"{name}-artifacts", {**volume, "size_gi": size_gi}, opts)
    if cfg.registry.enabled:
        size_gi = cfg.registry.size_gi
        registry = InClusterRegistry(f"{name}-registry", {**volume, "size_gi": size_gi}, opts)
    k8s_opts = pulumi.ResourceOptions(parent=parent, provider=provider)
    monitoring = add_monitoring(name, cfg, tags, scope.webhooks, opts, settings.storage_class)
    built_mlflow = None
    if cfg.mlflow.enabled and store is not None:
        built_mlflow = _mlflow(
            name, cfg, tags, ns_name, store, settings.storage_class, opts, monitoring
        )
    # An existing cluster's GPU nodes: install the plugin only when asked (gpuEnablement).
    enable_gpus(name, cfg, image_lacks_plugin=False, opts=k8s_opts)
    built = Built(
        artifact_uri=store.artifact_uri if store else None,
        registry_url=registry.repository_url if registry else None,
        team_namespaces=add_teams(name, cfg, tags, k8s_opts),
    )
    built.set_monitoring(monitoring)
    add_queues(name, cfg, tags, built.team_namespaces, k8s_opts, monitoring)
    if built_mlflow is not None:
        built.set_mlflow(built_mlflow, ns_name)
    add_serving(name, cfg, tags, built, k8s_opts, monitoring=monitoring)
    return built


def _mlflow(
    name: str,
    cfg: PlatformConfig,
    tags: Mapping[str, str],
    namespace: pulumi.Input[str],
    store: PvcArtifactStore,
    storage_class: str | None,
    opts: pulumi.ResourceOptions,
    monitoring: MonitoringStack | None,
) -> MlflowServer:
    """MLflow in the platform namespace (it mounts the artifact volume there), backed by the
    in-cluster PostgreSQL."""
    database = InClusterPostgres(
        f"{name}-postgres",
        {
            "namespace": namespace,
            "client_labels": CLIENT_LABELS,
            "size_gi": cfg.mlflow.database.storage_gb,
            "storage_class": storage_class,
            "protect": cfg.protect,
            "tags": tags,
        },
        opts,
    )
    args: MlflowServerArgs = {
        "namespace": namespace,
        "database_uri": database.database_uri,
        "artifacts_destination": store.mount_path,
        "artifact_volume_claim": store.claim_name,
        "replicas": cfg.mlflow.replicas,
        "allowed_namespaces": allowed_namespaces(cfg),
        "tags": tags,
    }
    return mlflow_server(name, cfg, args, opts, monitoring)


build: Builder = build_on_cluster
"""The kubernetes target's platform."""
