"""Spec -> args: the spec's settings in the terms of the args every cloud's component takes.

Each function returns a `TypedDict` that a cloud builder spreads into its component's own
args literal (`args: EksGpuClusterArgs = {**cluster_settings(cfg, tags), ...}`), so the type
checker holds every key written here and there to the component's args. A setting the spec
leaves unset (None) is left out, and the component's default applies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Required, TypedDict

from mlplatform.contracts import GpuPoolArgs
from mlplatform.environment import PlatformConfig
from mlplatform.environment.model import EndpointAccess


def pool_args(cfg: PlatformConfig) -> list[GpuPoolArgs]:
    """The spec's GPU pools in the shared pool contract."""
    return [
        {
            "name": p.name,
            "gpu": p.gpu.value,
            "gpus_per_node": p.gpus_per_node,
            "min_nodes": p.min_nodes,
            "max_nodes": p.max_nodes,
            "spot": p.spot,
            "sharing_mode": p.sharing.mode.value,
            "sharing_replicas": p.sharing.replicas,
            "mig_profile": p.sharing.mig_profile,
            "node_image": p.node_image,
            "disk_size_gb": p.disk_size_gb,
            "zones": list(p.zones),
        }
        for p in cfg.gpu_pools
    ]


class Protected(TypedDict):
    """What every stateful component takes: the tags, and protection from deletion."""

    tags: Mapping[str, str]
    protect: bool


def protected(cfg: PlatformConfig, tags: Mapping[str, str]) -> Protected:
    """The platform's tags and the spec's `protect`."""
    return {"tags": tags, "protect": cfg.protect}


class StoreSettings(Protected):
    """What every cloud's artifact store takes from the spec."""

    noncurrent_version_days: int


def store_settings(cfg: PlatformConfig, tags: Mapping[str, str]) -> StoreSettings:
    """The spec's artifact store settings every cloud's store takes."""
    days = cfg.artifact_store.noncurrent_version_days
    return {**protected(cfg, tags), "noncurrent_version_days": days}


class KmsKey(TypedDict, total=False):
    """The key the spec brings for the artifact store (AWS, GCP); none: the cloud's default."""

    kms_key_id: str


def kms_key(cfg: PlatformConfig) -> KmsKey:
    """The spec's own encryption key of the artifact store, when it brings one."""
    key = cfg.artifact_store.kms_key_id
    return {} if key is None else {"kms_key_id": key}


class RegistrySettings(Protected):
    """What every cloud's registry takes from the spec."""

    untagged_expiry_days: int


def registry_settings(cfg: PlatformConfig, tags: Mapping[str, str]) -> RegistrySettings:
    """The spec's registry settings every cloud's registry takes."""
    days = cfg.registry.untagged_expiry_days
    return {**protected(cfg, tags), "untagged_expiry_days": days}


class ImageRules(TypedDict):
    """The spec's rules on pushed images that ECR and Artifact Registry apply (ACR: none)."""

    immutable_tags: bool
    scan_on_push: bool
    keep_last_images: int


def image_rules(cfg: PlatformConfig) -> ImageRules:
    """The spec's rules on pushed images."""
    r = cfg.registry
    return {
        "immutable_tags": r.immutable_tags,
        "scan_on_push": r.scan_on_push,
        "keep_last_images": r.keep_last_images,
    }


class ClusterSettings(TypedDict, total=False):
    """What every cloud's GPU cluster takes from the spec."""

    kubernetes_version: Required[str]
    gpu_pools: Sequence[GpuPoolArgs]
    public_endpoint: bool
    public_access_cidrs: Sequence[str]
    system_min_nodes: int
    system_max_nodes: int
    log_retention_days: int
    tags: Mapping[str, str]
    protect: bool
    system_instance_type: str
    """Left out when the spec leaves it to the cloud's default."""


def cluster_settings(cfg: PlatformConfig, tags: Mapping[str, str]) -> ClusterSettings:
    """The spec's cluster settings every cloud's cluster takes."""
    cluster = cfg.cluster
    settings: ClusterSettings = {
        "kubernetes_version": cluster.kubernetes_version,
        "gpu_pools": pool_args(cfg),
        "public_endpoint": cluster.endpoint_access is EndpointAccess.PUBLIC,
        "public_access_cidrs": list(cluster.public_access_cidrs),
        "system_min_nodes": cluster.system_pool.min_nodes,
        "system_max_nodes": cluster.system_pool.max_nodes,
        "log_retention_days": cluster.log_retention_days,
        "tags": dict(tags),
        "protect": cfg.protect,
    }
    if cluster.system_pool.instance_type is not None:
        settings["system_instance_type"] = cluster.system_pool.instance_type
    return settings


def private_access_cidrs(cfg: PlatformConfig) -> list[str]:
    """The ranges that reach the private API server (EKS, GKE): the created network's, so that
    a runner, VPN or bastion inside it does; none in a network of yours."""
    return [] if cfg.network.existing else [cfg.network.cidr]


class DatabaseSettings(TypedDict):
    """What every cloud's MLflow database takes from the spec (its standby, instance class
    and tags go by each cloud's own names)."""

    storage_gb: int
    backup_retention_days: int
    protect: bool


def database_settings(cfg: PlatformConfig) -> DatabaseSettings:
    """The spec's MLflow database settings every cloud's database takes."""
    db = cfg.mlflow.database
    return {
        "storage_gb": db.storage_gb,
        "backup_retention_days": db.backup_retention_days,
        "protect": cfg.protect,
    }
