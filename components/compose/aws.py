"""AWS target: VPC, EKS with GPU node groups, autoscaler, S3, ECR and team identities."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
import pulumi_aws as aws

from mlplatform.aws.autoscaler import EksClusterAutoscaler
from mlplatform.aws.cluster import EksGpuCluster
from mlplatform.aws.network import AwsNetwork
from mlplatform.aws.registry import EcrRegistry
from mlplatform.aws.storage import S3ArtifactStore
from mlplatform.compose.common import Built, Identity, add_teams, cluster_args, enable_gpus
from mlplatform.kubernetes.teams import WORKLOAD_SERVICE_ACCOUNT
from mlplatform.spec import Environment, PlatformConfig


def build(
    parent: pulumi.Resource, name: str, cfg: PlatformConfig, tags: Mapping[str, str]
) -> Built:
    assert cfg.region is not None  # guaranteed by the spec rules
    provider = aws.Provider(
        f"{name}-aws", region=cfg.region, opts=pulumi.ResourceOptions(parent=parent)
    )
    opts = pulumi.ResourceOptions(parent=parent, providers=[provider])
    built = Built()
    store = registry = None
    if cfg.artifact_store.enabled:
        a = cfg.artifact_store
        store = S3ArtifactStore(
            f"{name}-artifacts",
            {
                "tags": tags,
                "protect": cfg.protect,
                "kms_key_id": a.kms_key_id,
                "noncurrent_version_days": a.noncurrent_version_days,
                "abort_incomplete_upload_days": a.abort_incomplete_upload_days,
            },
            opts,
        )
        built.artifact_uri = store.artifact_uri
    if cfg.registry.enabled:
        r = cfg.registry
        registry = EcrRegistry(
            f"{name}-registry",
            {
                "tags": tags,
                "protect": cfg.protect,
                "immutable_tags": r.immutable_tags,
                "scan_on_push": r.scan_on_push,
                "untagged_expiry_days": r.untagged_expiry_days,
                "keep_last_images": r.keep_last_images,
            },
            opts,
        )
        built.registry_url = registry.repository_url

    existing = cfg.network.existing
    if existing is None:
        network = AwsNetwork(
            f"{name}-network",
            {
                "cidr": cfg.network.cidr,
                "zone_count": cfg.network.zone_count,
                "nat_per_zone": cfg.environment is Environment.PROD,
                "tags": tags,
            },
            opts,
        )
        subnets: list[pulumi.Input[str]] = list(network.private_subnet_ids)
    else:
        subnets = list(existing.subnet_ids)
    cluster = EksGpuCluster(
        f"{name}-eks",
        {
            **cluster_args(cfg, tags),
            "private_subnet_ids": subnets,
            "region": cfg.region,
        },
        opts,
    )
    built.cluster_name, built.kubeconfig = cluster.cluster_name, cluster.kubeconfig

    k8s_opts = pulumi.ResourceOptions(parent=parent, provider=cluster.provider)
    enable_gpus(name, cfg, cluster.needs_device_plugin, k8s_opts)
    if cfg.gpu_pools:
        EksClusterAutoscaler(
            f"{name}-autoscaler", cluster, cfg.region, cfg.cluster.kubernetes_version, opts
        )

    def team_identity(team: str) -> Identity:
        identity = cluster.workload_identity(f"{name}-team-{team}", team, WORKLOAD_SERVICE_ACCOUNT)
        if store is not None:
            store.grant_read_write(identity)
        if registry is not None:
            registry.grant_pull(identity)
        return identity.annotations, {}

    built.team_namespaces = add_teams(name, cfg, tags, k8s_opts, team_identity)
    return built
