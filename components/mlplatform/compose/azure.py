"""Azure target: resource group, VNet with private endpoints, AKS with GPU pools, Storage, ACR,
Postgres Flexible Server, Azure Monitor alerts and managed Prometheus, as the steps of the
cloud skeleton (`compose/cloud.py`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple, TypedDict

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
from mlplatform.compose import spec_args
from mlplatform.compose.cloud import cloud_builder
from mlplatform.compose.monitoring import alert_rule_groups
from mlplatform.compose.scope import Scope
from mlplatform.environment import Environment
from mlplatform.environment.model import AzureSpec
from mlplatform.kubernetes.monitoring import managed


class Placement(TypedDict):
    """Where the store and registry go: the resource group and region, zone-redundant in
    prod."""

    resource_group_name: pulumi.Input[str]
    location: pulumi.Input[str]
    zone_redundant: bool


class AzureVnet(NamedTuple):
    """Where the cluster and the database go."""

    network: AzureNetwork | None
    """The created VNet; None for the spec's existing one."""
    node_subnet_id: pulumi.Input[str]
    vnet_id: pulumi.Input[str]


class AzureTarget:
    """The Azure steps of the cloud skeleton, in one region's provider and the platform's
    resource group (created, or the spec's existing one)."""

    def __init__(self, scope: Scope) -> None:
        cfg = scope.cfg
        assert cfg.region is not None  # guaranteed by the spec rules
        self.scope, self.location = scope, cfg.region
        self.pod_labels: Mapping[str, str] = USE_LABEL
        self.provider = azure_native.Provider(
            f"{scope.name}-azure",
            location=self.location,
            opts=pulumi.ResourceOptions(parent=scope.parent),
        )
        self.opts = pulumi.ResourceOptions(parent=scope.parent, providers=[self.provider])
        self.prod = cfg.environment is Environment.PROD
        existing_group = cfg.azure.existing_resource_group if cfg.azure else None
        self.rg: pulumi.Input[str] = existing_group or self._resource_group()

    def _resource_group(self) -> pulumi.Output[str]:
        group = resources.ResourceGroup(
            f"{self.scope.name}-rg",
            location=self.location,
            tags=dict(self.scope.tags),
            opts=pulumi.ResourceOptions(
                parent=self.scope.parent, providers=[self.provider], protect=self.scope.cfg.protect
            ),
        )
        return group.name

    def _placement(self) -> Placement:
        return {
            "resource_group_name": self.rg,
            "location": self.location,
            "zone_redundant": self.prod,
        }

    def artifact_store(self) -> AzureBlobArtifactStore:
        """Storage account with a private blob container."""
        cfg = self.scope.cfg
        args: AzureBlobArtifactStoreArgs = {
            **spec_args.store_settings(cfg, self.scope.tags),
            "soft_delete_days": cfg.artifact_store.soft_delete_days,
            **self._placement(),
        }
        return AzureBlobArtifactStore(f"{self.scope.name}-artifacts", args, self.opts)

    def registry(self) -> tuple[AcrRegistry, pulumi.Output[str]]:
        """ACR and its login server."""
        args: AcrRegistryArgs = {
            **spec_args.registry_settings(self.scope.cfg, self.scope.tags),
            **self._placement(),
        }
        registry = AcrRegistry(f"{self.scope.name}-registry", args, self.opts)
        return registry, registry.login_server

    def network(
        self, store: AzureBlobArtifactStore | None, registry: AcrRegistry | None
    ) -> AzureVnet:
        """The created VNet with private endpoints for the store and registry, or the spec's
        existing network."""
        cfg, name = self.scope.cfg, self.scope.name
        existing = cfg.network.existing
        if existing is not None:
            return AzureVnet(None, existing.subnet_ids[0], existing.network_id)
        watcher = cfg.azure or AzureSpec()
        network = AzureNetwork(
            f"{name}-network",
            {
                "resource_group_name": self.rg,
                "location": self.location,
                "cidr": cfg.network.cidr,
                "flow_log_retention_days": cfg.network.flow_log_retention_days,
                "network_watcher_resource_group": watcher.network_watcher_resource_group,
                "network_watcher_name": watcher.network_watcher_name
                or defaults.NETWORK_WATCHER_NAME.format(location=self.location),
                "protect": cfg.protect,
                "tags": self.scope.tags,
            },
            self.opts,
        )
        if store is not None:
            network.private_endpoint(
                f"{name}-blob", store.account_id, "blob", defaults.BLOB_PRIVATE_DNS_ZONE
            )
        if registry is not None:
            network.private_endpoint(
                f"{name}-acr", registry.registry_id, "registry", defaults.ACR_PRIVATE_DNS_ZONE
            )
        return AzureVnet(network, network.node_subnet_id, network.vnet_id)

    def cluster(self, network: AzureVnet, registry: AcrRegistry | None) -> AksGpuCluster:
        """AKS with its GPU pools in the node subnet; its kubelet pulls from ACR."""
        cfg, name = self.scope.cfg, self.scope.name
        args: AksGpuClusterArgs = {
            **spec_args.cluster_settings(cfg, self.scope.tags),
            "release_channel": cfg.cluster.release_channel.value,
            "admins": list(cfg.cluster.admins),
            "resource_group_name": self.rg,
            "location": self.location,
            "node_subnet_id": network.node_subnet_id,
            "standard_tier": cfg.aks_standard_tier,
            "deployer_principal_type": (cfg.azure or AzureSpec()).deployer_principal_type,
        }
        cluster = AksGpuCluster(f"{name}-aks", args, self.opts)
        if registry is not None:
            registry.grant_pull_to_principal(f"{name}-kubelet-acr-pull", cluster.kubelet_object_id)
        return cluster

    def autoscaler(self, cluster: AksGpuCluster) -> None:
        """Nothing: AKS's own cluster autoscaler scales the pools."""

    def database(self, network: AzureVnet, cluster: AksGpuCluster) -> AzurePostgres:
        """MLflow's Flexible Server, private in the delegated subnet, its server logs
        (connections, pgAudit) in the cluster's Log Analytics workspace."""
        cfg, name = self.scope.cfg, self.scope.name
        args: AzurePostgresArgs = {
            **spec_args.database_settings(cfg),
            "resource_group_name": self.rg,
            "location": self.location,
            "vnet_id": network.vnet_id,
            "delegated_subnet_id": self._database_subnet(network.network),
            "zone_redundant": cfg.database_standby,
            "log_workspace_id": cluster.log_workspace_id,
            "tags": self.scope.tags,
        }
        if sku := cfg.mlflow.database.instance_class:
            args["sku"] = sku
        return AzurePostgres(f"{name}-mlflow-db", args, self.opts)

    def _database_subnet(self, network: AzureNetwork | None) -> pulumi.Input[str]:
        """The delegated PostgreSQL subnet: carved from the created VNet, or the spec's."""
        if network is not None:
            return network.database_subnet(f"{self.scope.name}-mlflow-db")
        existing = self.scope.cfg.network.existing
        assert existing is not None and existing.database_subnet_id  # guaranteed by the rules
        return existing.database_subnet_id

    def alarms(self, cluster: AksGpuCluster, database: AzurePostgres | None) -> AzureAlarms:
        """The action group and the database's metric alerts, to the configured receivers."""
        args: AzureAlarmsArgs = {
            "resource_group_name": self.rg,
            "emails": list(self.scope.cfg.monitoring.notifications.emails),
            "webhooks": list(self.scope.webhooks),
            "tags": self.scope.tags,
        }
        if database is not None:
            args["database_id"] = database.server_id
        return AzureAlarms(f"{self.scope.name}-alarms", args, self.opts)

    def managed_prometheus(
        self, cluster: AksGpuCluster, alarms: AzureAlarms
    ) -> managed.ManagedPrometheus:
        """An Azure Monitor workspace running the platform's rules, alerting to the action
        group; workload identities for Prometheus to write to it and Grafana to read it."""
        # Its SDK modules (alertsmanagement, monitor) load only for a stack that asks for it.
        from mlplatform.azure.prometheus import AzureManagedPrometheus

        cfg, name = self.scope.cfg, self.scope.name
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
                "resource_group_name": self.rg,
                "location": self.location,
                "cluster_name": cluster.cluster_name,
                "rule_groups": alert_rule_groups(cfg),
                "action_group_id": alarms.action_group_id,
                "writer_principal_id": writer.principal_id,
                "reader_principal_id": reader.principal_id,
                "protect": cfg.protect,
                "tags": self.scope.tags,
            },
            self.opts,
        )
        return managed.azure(
            workspace.ingestion_url,
            workspace.query_url,
            authorization.get_client_config_output(
                opts=pulumi.InvokeOutputOptions(parent=workspace)
            ).tenant_id,
            cluster.cluster_name,
            writer.client_id,
            writer.annotations,
            reader.annotations,
        )


build = cloud_builder(AzureTarget)
"""The Azure platform: `AzureTarget`'s steps in the skeleton's order."""
