"""Kubernetes target: an existing cluster with in-cluster artifact volume and registry, team
namespaces with GPU quotas, and the NVIDIA device plugin when asked for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pulumi
import pulumi_kubernetes as k8s

from mlplatform.compose.common import (
    Built,
    add_monitoring,
    add_teams,
    allowed_namespaces,
    enable_gpus,
    mlflow_server,
)
from mlplatform.kubernetes.labels import labels
from mlplatform.kubernetes.mlflow import CLIENT_LABELS, MlflowServer, MlflowServerArgs
from mlplatform.kubernetes.monitoring.stack import MonitoringStack
from mlplatform.kubernetes.postgres import InClusterPostgres
from mlplatform.kubernetes.registry import InClusterRegistry
from mlplatform.kubernetes.storage import PvcArtifactStore
from mlplatform.spec import PlatformConfig
from mlplatform.spec.model import KubernetesSpec


def build(
    parent: pulumi.Resource,
    name: str,
    cfg: PlatformConfig,
    tags: Mapping[str, str],
    webhooks: Sequence[pulumi.Input[str]],
) -> Built:
    settings = cfg.kubernetes or KubernetesSpec()
    provider = k8s.Provider(
        f"{name}-k8s", context=settings.context, opts=pulumi.ResourceOptions(parent=parent)
    )
    namespace = k8s.core.v1.Namespace(
        f"{name}-namespace",
        metadata={
            "name": settings.namespace,
            "labels": {
                **labels(settings.namespace, "namespace", tags),
                "pod-security.kubernetes.io/enforce": "restricted",
            },
        },
        # Deleting a namespace deletes the volumes in it: protect it with them.
        opts=pulumi.ResourceOptions(parent=parent, provider=provider, protect=cfg.protect),
    )
    ns_name = namespace.metadata.apply(lambda m: m.name or settings.namespace)
    opts = pulumi.ResourceOptions(parent=parent, providers=[provider])
    store = registry = None
    if cfg.artifact_store.enabled:
        store = PvcArtifactStore(
            f"{name}-artifacts",
            {
                "tags": tags,
                "protect": cfg.protect,
                "namespace": ns_name,
                "size_gi": cfg.artifact_store.size_gi,
                "storage_class": settings.storage_class,
            },
            opts,
        )
    if cfg.registry.enabled:
        registry = InClusterRegistry(
            f"{name}-registry",
            {
                "tags": tags,
                "protect": cfg.protect,
                "namespace": ns_name,
                "size_gi": cfg.registry.size_gi,
                "storage_class": settings.storage_class,
            },
            opts,
        )
    k8s_opts = pulumi.ResourceOptions(parent=parent, provider=provider)
    monitoring = add_monitoring(name, cfg, tags, webhooks, opts, settings.storage_class)
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
    if built_mlflow is not None:
        built.set_mlflow(built_mlflow, ns_name)
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
