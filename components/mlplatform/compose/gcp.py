"""GCP target: VPC, GKE with GPU node pools, GCS, Artifact Registry, Cloud SQL, Cloud Monitoring
alerts and Managed Service for Prometheus, as the steps of the cloud skeleton
(`compose/cloud.py`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import pulumi
import pulumi_gcp as gcp

from mlplatform import defaults
from mlplatform.compose import spec_args
from mlplatform.compose.cloud import cloud_builder
from mlplatform.compose.mlflow import mlflow_processes
from mlplatform.compose.monitoring import alert_rule_groups
from mlplatform.compose.scope import Scope
from mlplatform.gcp.cluster import GkeGpuCluster, GkeGpuClusterArgs
from mlplatform.gcp.database import CloudSqlPostgres, CloudSqlPostgresArgs
from mlplatform.gcp.network import PODS_RANGE, SERVICES_RANGE, GcpNetwork
from mlplatform.gcp.observability import GcpAlarms, GcpAlarmsArgs
from mlplatform.gcp.prometheus import GmpAlertPolicies
from mlplatform.gcp.registry import ArtifactRegistryDocker, ArtifactRegistryDockerArgs
from mlplatform.gcp.storage import GcsArtifactStore, GcsArtifactStoreArgs
from mlplatform.kubernetes.monitoring import managed


class GcpVpc(NamedTuple):
    """Where the cluster and the database go: the VPC, the nodes' subnetwork and its secondary
    ranges for pods and services."""

    network: GcpNetwork | None
    """The created VPC; None for the spec's existing one."""
    network_id: pulumi.Input[str]
    subnetwork_id: pulumi.Input[str]
    pods_range_name: str
    services_range_name: str


class GcpTarget:
    """The GCP steps of the cloud skeleton, in one project and region."""

    def __init__(self, scope: Scope) -> None:
        cfg = scope.cfg
        assert cfg.gcp is not None and cfg.region is not None  # guaranteed by the spec rules
        self.scope, self.project, self.region = scope, cfg.gcp.project, cfg.region
        self.pod_labels: Mapping[str, str] = {}  # GKE's workload identity needs no pod label
        provider = gcp.Provider(
            f"{scope.name}-gcp",
            project=self.project,
            region=self.region,
            opts=pulumi.ResourceOptions(parent=scope.parent),
        )
        self.opts = pulumi.ResourceOptions(parent=scope.parent, providers=[provider])

    def artifact_store(self) -> GcsArtifactStore:
        """GCS bucket, versioned, with soft delete."""
        cfg = self.scope.cfg
        store = cfg.artifact_store
        args: GcsArtifactStoreArgs = {
            **spec_args.store_settings(cfg, self.scope.tags),
            "abort_incomplete_upload_days": store.abort_incomplete_upload_days,
            "soft_delete_days": store.soft_delete_days,
            **spec_args.kms_key(cfg),
            "project": self.project,
            "location": self.region,
        }
        return GcsArtifactStore(f"{self.scope.name}-artifacts", args, self.opts)

    def registry(self) -> tuple[ArtifactRegistryDocker, pulumi.Output[str]]:
        """Artifact Registry Docker repository and its URL."""
        cfg = self.scope.cfg
        args: ArtifactRegistryDockerArgs = {
            **spec_args.registry_settings(cfg, self.scope.tags),
            **spec_args.image_rules(cfg),
            "project": self.project,
            "location": self.region,
        }
        registry = ArtifactRegistryDocker(f"{self.scope.name}-registry", args, self.opts)
        return registry, registry.repository_url

    def network(
        self, store: GcsArtifactStore | None, registry: ArtifactRegistryDocker | None
    ) -> GcpVpc:
        """The created VPC with its subnetwork and secondary ranges, or the spec's existing
        network."""
        cfg = self.scope.cfg
        existing = cfg.network.existing
        if existing is not None:
            pods, services = existing.pods_range_name, existing.services_range_name
            assert pods is not None and services is not None  # guaranteed by the spec rules
            return GcpVpc(None, existing.network_id, existing.subnet_ids[0], pods, services)
        network = GcpNetwork(
            f"{self.scope.name}-network",
            {"project": self.project, "region": self.region, "cidr": cfg.network.cidr},
            self.opts,
        )
        return GcpVpc(
            network, network.network_id, network.subnetwork_id, PODS_RANGE, SERVICES_RANGE
        )

    def cluster(self, network: GcpVpc, registry: ArtifactRegistryDocker | None) -> GkeGpuCluster:
        """GKE with its GPU node pools in the subnetwork (nodes pull through their own service
        account)."""
        cfg = self.scope.cfg
        args: GkeGpuClusterArgs = {
            **spec_args.cluster_settings(cfg, self.scope.tags),
            "private_access_cidrs": spec_args.private_access_cidrs(cfg),
            "release_channel": cfg.cluster.release_channel.value,
            "project": self.project,
            "region": self.region,
            "network": network.network_id,
            "subnetwork": network.subnetwork_id,
            "pods_range_name": network.pods_range_name,
            "services_range_name": network.services_range_name,
            "managed_prometheus": cfg.cluster.managed_prometheus,
        }
        return GkeGpuCluster(f"{self.scope.name}-gke", args, self.opts)

    def autoscaler(self, cluster: GkeGpuCluster) -> None:
        """Nothing: GKE's own cluster autoscaler scales the pools."""

    def database(self, network: GcpVpc, cluster: GkeGpuCluster) -> CloudSqlPostgres:
        """MLflow's Cloud SQL instance on a private IP in the VPC."""
        cfg = self.scope.cfg
        db_name = f"{self.scope.name}-mlflow-db"
        args: CloudSqlPostgresArgs = {
            **spec_args.database_settings(cfg),
            "project": self.project,
            "region": self.region,
            "network_id": self._private_network(network, db_name),
            "regional": cfg.database_standby,
            "labels": self.scope.tags,
        }
        if tier := cfg.mlflow.database.instance_class:
            args["tier"] = tier
        return CloudSqlPostgres(db_name, args, self.opts)

    def _private_network(self, network: GcpVpc, db_name: str) -> pulumi.Input[str]:
        """The VPC as Cloud SQL's private network: the created one's through its private
        services access peering (the instance waits for the peering), or the spec's, which
        already has private services access (see docs/mlflow.md)."""
        if network.network is not None:
            return network.network.private_services_access(db_name).network
        return network_path(self.project, network.network_id)

    def alarms(self, cluster: GkeGpuCluster, database: CloudSqlPostgres | None) -> GcpAlarms:
        """Notification channels and alert policies on the nodes and the MLflow database."""
        cfg = self.scope.cfg
        args: GcpAlarmsArgs = {
            "project": self.project,
            "cluster_name": cluster.cluster_name,
            "emails": list(cfg.monitoring.notifications.emails),
            "webhooks": list(self.scope.webhooks),
        }
        if database is not None:
            args["database_instance"] = database.instance_name
            args["mlflow_processes"] = mlflow_processes(cfg)
        return GcpAlarms(f"{self.scope.name}-alarms", args, self.opts)

    def managed_prometheus(
        self, cluster: GkeGpuCluster, alarms: GcpAlarms
    ) -> managed.ManagedPrometheus:
        """GMP self-deployed collection: Google service accounts for the exporting Prometheus
        and the query frontend, and the platform's rules as PromQL alert policies to the
        channels."""
        cfg, name = self.scope.cfg, self.scope.name
        namespace = defaults.MONITORING_NAMESPACE
        writer = cluster.workload_identity(
            f"{name}-prometheus-writer", namespace, managed.PROMETHEUS_SERVICE_ACCOUNT
        )
        reader = cluster.workload_identity(
            f"{name}-query-reader", namespace, managed.QUERY_FRONTEND
        )
        GmpAlertPolicies(
            f"{name}-prometheus",
            {
                "project": self.project,
                "rule_groups": alert_rule_groups(cfg),
                "channels": alarms.channel_ids,
                "writer_member": writer.member,
                "reader_member": reader.member,
            },
            self.opts,
        )
        return managed.google(
            self.project, self.region, cluster.cluster_name, writer.annotations, reader.annotations
        )


def network_path(project: str, network: pulumi.Input[str]) -> pulumi.Output[str]:
    """`projects/P/global/networks/N` from a network name, path or self link (what Cloud SQL's
    private network setting takes)."""
    prefix = "https://www.googleapis.com/compute/v1/"
    return pulumi.Output.from_input(network).apply(
        lambda n: n.removeprefix(prefix) if "/" in n else f"projects/{project}/global/networks/{n}"
    )


build = cloud_builder(GcpTarget)
"""The GCP platform: `GcpTarget`'s steps in the skeleton's order."""
