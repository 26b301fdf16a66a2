"""Azure target: resource group, VNet with private endpoints, AKS with GPU pools, Storage, ACR,
the NVIDIA device plugin and team identities."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
import pulumi_azure_native as azure_native
from pulumi_azure_native import resources

from mlplatform.azure.cluster import AksGpuCluster, AksGpuClusterArgs
from mlplatform.azure.identity import USE_LABEL
from mlplatform.azure.network import AzureNetwork
from mlplatform.azure.registry import AcrRegistry
from mlplatform.azure.storage import AzureBlobArtifactStore, AzurePlacement
from mlplatform.compose.common import (
    Built,
    Identity,
    add_teams,
    cluster_args,
    enable_gpus,
    registry_args,
    store_args,
)
from mlplatform.kubernetes.teams import WORKLOAD_SERVICE_ACCOUNT
from mlplatform.spec import Environment, PlatformConfig

BLOB_ZONE = "privatelink.blob.core.windows.net"
ACR_ZONE = "privatelink.azurecr.io"


def build(
    parent: pulumi.Resource, name: str, cfg: PlatformConfig, tags: Mapping[str, str]
) -> Built:
    assert cfg.region is not None  # guaranteed by the spec rules
    location = cfg.region
    provider = azure_native.Provider(
        f"{name}-azure", location=location, opts=pulumi.ResourceOptions(parent=parent)
    )
    opts = pulumi.ResourceOptions(parent=parent, providers=[provider])
    existing_group = cfg.azure.existing_resource_group if cfg.azure else None
    if existing_group:
        rg: pulumi.Input[str] = existing_group
    else:
        group = resources.ResourceGroup(
            f"{name}-rg",
            location=location,
            tags=dict(tags),
            opts=pulumi.ResourceOptions(parent=parent, providers=[provider], protect=cfg.protect),
        )
        rg = group.name
    prod = cfg.environment is Environment.PROD
    placement: AzurePlacement = {
        "resource_group_name": rg,
        "location": location,
        "zone_redundant": prod,
    }
    built = Built()
    store = registry = None
    if cfg.artifact_store.enabled:
        store = AzureBlobArtifactStore(
            f"{name}-artifacts", {**store_args(cfg, tags), **placement}, opts
        )
        built.artifact_uri = store.artifact_uri
    if cfg.registry.enabled:
        registry = AcrRegistry(f"{name}-registry", {**registry_args(cfg, tags), **placement}, opts)
        built.registry_url = registry.login_server

    existing = cfg.network.existing
    if existing is None:
        network = AzureNetwork(
            f"{name}-network",
            {
                "resource_group_name": rg,
                "location": location,
                "cidr": cfg.network.cidr,
                "tags": tags,
            },
            opts,
        )
        node_subnet: pulumi.Input[str] = network.node_subnet_id
        if store is not None:
            network.private_endpoint(f"{name}-blob", store.account_id, "blob", BLOB_ZONE)
        if registry is not None:
            network.private_endpoint(f"{name}-acr", registry.registry_id, "registry", ACR_ZONE)
    else:
        node_subnet = existing.subnet_ids[0]
    args: AksGpuClusterArgs = {
        **cluster_args(cfg, tags),
        "resource_group_name": rg,
        "location": location,
        "node_subnet_id": node_subnet,
        "standard_tier": prod,
        "deployer_principal_type": cfg.azure.deployer_principal_type if cfg.azure else "User",
    }
    cluster = AksGpuCluster(f"{name}-aks", args, opts)
    built.cluster_name, built.kubeconfig = cluster.cluster_name, cluster.kubeconfig
    if registry is not None:
        registry.grant_pull_to_principal(f"{name}-kubelet-acr-pull", cluster.kubelet_object_id)

    k8s_opts = pulumi.ResourceOptions(parent=parent, provider=cluster.provider)
    enable_gpus(name, cfg, cluster.needs_device_plugin, k8s_opts, driver_preinstalled=True)

    def team_identity(team: str) -> Identity:
        identity = cluster.workload_identity(f"{name}-team-{team}", team, WORKLOAD_SERVICE_ACCOUNT)
        if store is not None:
            store.grant_read_write(identity)
        if registry is not None:
            registry.grant_pull(identity)
        return identity.annotations, USE_LABEL

    built.team_namespaces = add_teams(name, cfg, tags, k8s_opts, team_identity)
    return built
