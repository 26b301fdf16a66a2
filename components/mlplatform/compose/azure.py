"""Azure target: resource group, VNet with private endpoints, AKS with GPU pools, Storage, ACR,
the NVIDIA device plugin and team identities."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pulumi
import pulumi_azure_native as azure_native
from pulumi_azure_native import authorization, resources

from mlplatform import defaults
from mlplatform.azure.cluster import AksGpuCluster, AksGpuClusterArgs
from mlplatform.azure.database import AzurePostgres, AzurePostgresArgs
from mlplatform.azure.identity import USE_LABEL
from mlplatform.azure.network import AzureNetwork
from mlplatform.azure.observability import AzureAlarms, AzureAlarmsArgs
from mlplatform.azure.registry import AcrRegistry, AcrRegistryArgs
from mlplatform.azure.storage import AzureBlobArtifactStore, AzureBlobArtifactStoreArgs
from mlplatform.compose.common import (
    Built,
    Identity,
    add_cloud_mlflow,
    add_monitoring,
    add_teams,
    alert_thresholds,
    cluster_settings,
    enable_gpus,
    registry_settings,
    settings_for,
    store_settings,
)
from mlplatform.kubernetes.monitoring import managed
from mlplatform.kubernetes.monitoring.rules import rule_groups
from mlplatform.kubernetes.teams import WORKLOAD_SERVICE_ACCOUNT
from mlplatform.spec import Environment, PlatformConfig
from mlplatform.spec.model import AzureSpec

BLOB_ZONE = "privatelink.blob.core.windows.net"
ACR_ZONE = "privatelink.azurecr.io"


def build(
    parent: pulumi.Resource,
    name: str,
    cfg: PlatformConfig,
    tags: Mapping[str, str],
    webhooks: Sequence[pulumi.Input[str]],
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
    placement = {
        "resource_group_name": rg,
        "location": location,
        "zone_redundant": prod,
    }
    built = Built()
    store = registry = None
    if cfg.artifact_store.enabled:
        store_args = {**store_settings(cfg, tags), **placement}
        store = AzureBlobArtifactStore(
            f"{name}-artifacts", settings_for(AzureBlobArtifactStoreArgs, store_args), opts
        )
        built.artifact_uri = store.artifact_uri
    if cfg.registry.enabled:
        registry_args = {**registry_settings(cfg, tags), **placement}
        registry = AcrRegistry(
            f"{name}-registry", settings_for(AcrRegistryArgs, registry_args), opts
        )
        built.registry_url = registry.login_server

    network, node_subnet, vnet_id = _network(name, cfg, tags, opts, rg, store, registry)
    cluster_args = {
        **cluster_settings(cfg, tags),
        "resource_group_name": rg,
        "location": location,
        "node_subnet_id": node_subnet,
        "standard_tier": prod,
        "deployer_principal_type": cfg.azure.deployer_principal_type if cfg.azure else "User",
    }
    cluster = AksGpuCluster(f"{name}-aks", settings_for(AksGpuClusterArgs, cluster_args), opts)
    built.cluster_name, built.kubeconfig = cluster.cluster_name, cluster.kubeconfig
    if registry is not None:
        registry.grant_pull_to_principal(f"{name}-kubelet-acr-pull", cluster.kubelet_object_id)

    k8s_opts = pulumi.ResourceOptions(parent=parent, provider=cluster.provider)
    enable_gpus(name, cfg, cluster.needs_device_plugin, k8s_opts, driver_preinstalled=True)

    def team_identity(team: str, aliases: Sequence[pulumi.Alias]) -> Identity:
        identity = cluster.workload_identity(
            f"{name}-team-{team}", team, WORKLOAD_SERVICE_ACCOUNT, aliases=aliases
        )
        if store is not None:
            store.grant_read_write(identity)
        if registry is not None:
            registry.grant_pull(identity)
        return identity.annotations, USE_LABEL

    built.team_namespaces = add_teams(name, cfg, tags, k8s_opts, team_identity)
    database = None
    if cfg.mlflow.enabled and store is not None:
        database = _database(
            name, cfg, tags, opts, rg, location, vnet_id, network, cluster.log_workspace_id
        )
    alarms = _alarms(name, cfg, tags, webhooks, opts, rg, database)
    prometheus = None
    if alarms is not None and cfg.monitoring.prometheus == "managed":
        prometheus = _managed_prometheus(name, cfg, tags, opts, rg, cluster, alarms)
    monitoring = add_monitoring(name, cfg, tags, webhooks, k8s_opts, managed=prometheus)
    built.set_monitoring(monitoring)
    if database is not None and store is not None:
        built.set_mlflow(
            add_cloud_mlflow(
                name,
                cfg,
                tags,
                k8s_opts,
                database.database_uri,
                cluster,
                store,
                monitoring,
                USE_LABEL,
            )
        )
    return built


def _network(
    name: str,
    cfg: PlatformConfig,
    tags: Mapping[str, str],
    opts: pulumi.ResourceOptions,
    rg: pulumi.Input[str],
    store: AzureBlobArtifactStore | None,
    registry: AcrRegistry | None,
) -> tuple[AzureNetwork | None, pulumi.Input[str], pulumi.Input[str]]:
    """The created VNet with private endpoints for the store and registry (or the configured
    network), its node subnet and its id."""
    existing = cfg.network.existing
    if existing is not None:
        return None, existing.subnet_ids[0], existing.network_id
    assert cfg.region is not None
    watcher = cfg.azure or AzureSpec()
    network = AzureNetwork(
        f"{name}-network",
        {
            "resource_group_name": rg,
            "location": cfg.region,
            "cidr": cfg.network.cidr,
            "flow_log_retention_days": cfg.network.flow_log_retention_days,
            "network_watcher_resource_group": watcher.network_watcher_resource_group,
            "network_watcher_name": watcher.network_watcher_name
            or defaults.NETWORK_WATCHER_NAME.format(location=cfg.region),
            "protect": cfg.protect,
            "tags": tags,
        },
        opts,
    )
    if store is not None:
        network.private_endpoint(f"{name}-blob", store.account_id, "blob", BLOB_ZONE)
    if registry is not None:
        network.private_endpoint(f"{name}-acr", registry.registry_id, "registry", ACR_ZONE)
    return network, network.node_subnet_id, network.vnet_id


def _managed_prometheus(
    name: str,
    cfg: PlatformConfig,
    tags: Mapping[str, str],
    opts: pulumi.ResourceOptions,
    rg: pulumi.Input[str],
    cluster: AksGpuCluster,
    alarms: AzureAlarms,
) -> managed.ManagedPrometheus:
    """An Azure Monitor workspace running the platform's rules, alerting to the action group;
    workload identities for Prometheus to write to it and Grafana to read it."""
    # Its SDK modules (alertsmanagement, monitor) load only for a stack that asks for it.
    from mlplatform.azure.prometheus import AzureManagedPrometheus

    assert cfg.region is not None
    namespace = defaults.MONITORING_NAMESPACE
    writer = cluster.workload_identity(
        f"{name}-prometheus-writer", namespace, managed.PROMETHEUS_SERVICE_ACCOUNT
    )
    reader = cluster.workload_identity(
        f"{name}-grafana-reader", namespace, managed.GRAFANA_SERVICE_ACCOUNT
    )
    workspace = AzureManagedPrometheus(
        f"{name}-prometheus",
        {
            "resource_group_name": rg,
            "location": cfg.region,
            "cluster_name": cluster.cluster_name,
            "rule_groups": rule_groups(alert_thresholds(cfg), mlflow=cfg.mlflow.enabled),
            "action_group_id": alarms.action_group_id,
            "writer_principal_id": writer.principal_id,
            "reader_principal_id": reader.principal_id,
            "protect": cfg.protect,
            "tags": tags,
        },
        opts,
    )
    return managed.azure(
        workspace.ingestion_url,
        workspace.query_url,
        authorization.get_client_config_output().tenant_id,
        cluster.cluster_name,
        writer.client_id,
        writer.annotations,
        reader.annotations,
    )


def _alarms(
    name: str,
    cfg: PlatformConfig,
    tags: Mapping[str, str],
    webhooks: Sequence[pulumi.Input[str]],
    opts: pulumi.ResourceOptions,
    rg: pulumi.Input[str],
    database: AzurePostgres | None,
) -> AzureAlarms | None:
    """With monitoring on: the action group and the database's metric alerts, to the
    configured receivers."""
    if not cfg.monitoring.enabled:
        return None
    notify = cfg.monitoring.notifications
    args: AzureAlarmsArgs = {
        "resource_group_name": rg,
        "emails": list(notify.emails),
        "webhooks": list(webhooks),
        "tags": tags,
    }
    if database is not None:
        args["database_id"] = database.server_id
    return AzureAlarms(f"{name}-alarms", args, opts)


def _database_subnet(
    name: str, cfg: PlatformConfig, network: AzureNetwork | None
) -> pulumi.Input[str]:
    """The delegated PostgreSQL subnet: carved from the created VNet, or the configured one."""
    if network is not None:
        return network.database_subnet(f"{name}-mlflow-db")
    existing = cfg.network.existing
    assert existing is not None and existing.database_subnet_id  # guaranteed by the spec rules
    return existing.database_subnet_id


def _database(
    name: str,
    cfg: PlatformConfig,
    tags: Mapping[str, str],
    opts: pulumi.ResourceOptions,
    rg: pulumi.Input[str],
    location: str,
    vnet_id: pulumi.Input[str],
    network: AzureNetwork | None,
    log_workspace_id: pulumi.Input[str],
) -> AzurePostgres:
    """MLflow's Flexible Server, private in the delegated subnet, its server logs (connections,
    pgAudit) in the cluster's Log Analytics workspace."""
    db_args: AzurePostgresArgs = {
        "resource_group_name": rg,
        "location": location,
        "vnet_id": vnet_id,
        "delegated_subnet_id": _database_subnet(name, cfg, network),
        "storage_gb": cfg.mlflow.database.storage_gb,
        "backup_retention_days": cfg.mlflow.database.backup_retention_days,
        "zone_redundant": cfg.database_standby,
        "protect": cfg.protect,
        "log_workspace_id": log_workspace_id,
        "tags": tags,
    }
    if cfg.mlflow.database.instance_class:
        db_args["sku"] = cfg.mlflow.database.instance_class
    return AzurePostgres(f"{name}-mlflow-db", db_args, opts)
