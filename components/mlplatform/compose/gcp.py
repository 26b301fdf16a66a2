"""GCP target: VPC, GKE with GPU node pools, GCS, Artifact Registry and team identities."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pulumi
import pulumi_gcp as gcp

from mlplatform import defaults
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
from mlplatform.gcp.cluster import GkeGpuCluster, GkeGpuClusterArgs
from mlplatform.gcp.database import CloudSqlPostgres, CloudSqlPostgresArgs
from mlplatform.gcp.network import PODS_RANGE, SERVICES_RANGE, GcpNetwork
from mlplatform.gcp.observability import GcpAlarms, GcpAlarmsArgs
from mlplatform.gcp.prometheus import GmpAlertPolicies
from mlplatform.gcp.registry import ArtifactRegistryDocker, ArtifactRegistryDockerArgs
from mlplatform.gcp.storage import GcsArtifactStore, GcsArtifactStoreArgs
from mlplatform.kubernetes.mlflow_config import WORKERS
from mlplatform.kubernetes.monitoring import managed
from mlplatform.kubernetes.monitoring.rules import rule_groups
from mlplatform.kubernetes.teams import WORKLOAD_SERVICE_ACCOUNT
from mlplatform.spec import PlatformConfig


def build(
    parent: pulumi.Resource,
    name: str,
    cfg: PlatformConfig,
    tags: Mapping[str, str],
    webhooks: Sequence[pulumi.Input[str]],
) -> Built:
    assert cfg.gcp is not None and cfg.region is not None  # guaranteed by the spec rules
    project, region = cfg.gcp.project, cfg.region
    provider = gcp.Provider(
        f"{name}-gcp", project=project, region=region, opts=pulumi.ResourceOptions(parent=parent)
    )
    opts = pulumi.ResourceOptions(parent=parent, providers=[provider])
    built = Built()
    store = registry = None
    if cfg.artifact_store.enabled:
        store = GcsArtifactStore(
            f"{name}-artifacts",
            settings_for(
                GcsArtifactStoreArgs,
                {**store_settings(cfg, tags), "project": project, "location": region},
            ),
            opts,
        )
        built.artifact_uri = store.artifact_uri
    if cfg.registry.enabled:
        registry = ArtifactRegistryDocker(
            f"{name}-registry",
            settings_for(
                ArtifactRegistryDockerArgs,
                {**registry_settings(cfg, tags), "project": project, "location": region},
            ),
            opts,
        )
        built.registry_url = registry.repository_url

    cluster_args = {
        **cluster_settings(cfg, tags),
        "project": project,
        "region": region,
        "network": "",
        "subnetwork": "",
        "pods_range_name": PODS_RANGE,
        "services_range_name": SERVICES_RANGE,
        "managed_prometheus": cfg.cluster.managed_prometheus,
    }
    args = settings_for(GkeGpuClusterArgs, cluster_args)
    existing = cfg.network.existing
    network = None
    if existing is None:
        network = GcpNetwork(
            f"{name}-network",
            {"project": project, "region": region, "cidr": cfg.network.cidr},
            opts,
        )
        args["network"], args["subnetwork"] = network.network_id, network.subnetwork_id
    else:
        args["network"], args["subnetwork"] = existing.network_id, existing.subnet_ids[0]
        args["pods_range_name"] = existing.pods_range_name or ""
        args["services_range_name"] = existing.services_range_name or ""
    cluster = GkeGpuCluster(f"{name}-gke", args, opts)
    built.cluster_name, built.kubeconfig = cluster.cluster_name, cluster.kubeconfig

    k8s_opts = pulumi.ResourceOptions(parent=parent, provider=cluster.provider)
    enable_gpus(name, cfg, cluster.needs_device_plugin, k8s_opts)

    def team_identity(team: str, aliases: Sequence[pulumi.Alias]) -> Identity:
        identity = cluster.workload_identity(
            f"{name}-team-{team}", team, WORKLOAD_SERVICE_ACCOUNT, aliases=aliases
        )
        if store is not None:
            store.grant_read_write(identity)
        if registry is not None:
            registry.grant_pull(identity)
        return identity.annotations, {}

    built.team_namespaces = add_teams(name, cfg, tags, k8s_opts, team_identity)
    database = None
    if cfg.mlflow.enabled and store is not None:
        database = _database(name, cfg, opts, tags, args["network"], network)
    prometheus = None
    if cfg.monitoring.enabled:
        alarms = _alarms(name, cfg, webhooks, opts, cluster, database)
        if cfg.monitoring.prometheus == "managed":
            prometheus = _managed_prometheus(name, cfg, opts, cluster, alarms)
    monitoring = add_monitoring(name, cfg, tags, webhooks, k8s_opts, managed=prometheus)
    built.set_monitoring(monitoring)
    if database is not None and store is not None:
        built.set_mlflow(
            add_cloud_mlflow(
                name, cfg, tags, k8s_opts, database.database_uri, cluster, store, monitoring
            )
        )
    return built


def _database(
    name: str,
    cfg: PlatformConfig,
    opts: pulumi.ResourceOptions,
    tags: Mapping[str, str],
    network_id: pulumi.Input[str],
    network: GcpNetwork | None,
) -> CloudSqlPostgres:
    """MLflow's Cloud SQL instance on a private IP in the VPC."""
    assert cfg.gcp is not None and cfg.region is not None
    db_name = f"{name}-mlflow-db"
    db_args: CloudSqlPostgresArgs = {
        "project": cfg.gcp.project,
        "region": cfg.region,
        "network_id": network_id,
        "storage_gb": cfg.mlflow.database.storage_gb,
        "backup_retention_days": cfg.mlflow.database.backup_retention_days,
        "regional": cfg.database_standby,
        "protect": cfg.protect,
        "labels": tags,
    }
    if network is not None:
        # The peering's own network output: the instance waits for the peering.
        db_args["network_id"] = network.private_services_access(db_name).network
    else:  # a network of yours already has private services access (see the README)
        db_args["network_id"] = network_path(cfg.gcp.project, network_id)
    if cfg.mlflow.database.instance_class:
        db_args["tier"] = cfg.mlflow.database.instance_class
    return CloudSqlPostgres(db_name, db_args, opts)


def _alarms(
    name: str,
    cfg: PlatformConfig,
    webhooks: Sequence[pulumi.Input[str]],
    opts: pulumi.ResourceOptions,
    cluster: GkeGpuCluster,
    database: CloudSqlPostgres | None,
) -> GcpAlarms:
    """Notification channels and alert policies on the nodes and the MLflow database."""
    assert cfg.gcp is not None
    notify = cfg.monitoring.notifications
    alarms: GcpAlarmsArgs = {
        "project": cfg.gcp.project,
        "cluster_name": cluster.cluster_name,
        "emails": list(notify.emails),
        "webhooks": list(webhooks),
    }
    if database is not None:
        alarms["database_instance"] = database.instance_name
        # One surge replica during a rolling update.
        alarms["mlflow_processes"] = (cfg.mlflow.replicas + 1) * WORKERS
    return GcpAlarms(f"{name}-alarms", alarms, opts)


def _managed_prometheus(
    name: str,
    cfg: PlatformConfig,
    opts: pulumi.ResourceOptions,
    cluster: GkeGpuCluster,
    alarms: GcpAlarms,
) -> managed.ManagedPrometheus:
    """GMP self-deployed collection: Google service accounts for the exporting Prometheus and
    the query frontend, and the platform's rules as PromQL alert policies to the channels."""
    assert cfg.gcp is not None and cfg.region is not None
    namespace = defaults.MONITORING_NAMESPACE
    writer = cluster.workload_identity(
        f"{name}-prometheus-writer", namespace, managed.PROMETHEUS_SERVICE_ACCOUNT
    )
    reader = cluster.workload_identity(f"{name}-query-reader", namespace, managed.QUERY_FRONTEND)
    GmpAlertPolicies(
        f"{name}-prometheus",
        {
            "project": cfg.gcp.project,
            "rule_groups": rule_groups(alert_thresholds(cfg), mlflow=cfg.mlflow.enabled),
            "channels": alarms.channel_ids,
            "writer_member": writer.member,
            "reader_member": reader.member,
        },
        opts,
    )
    return managed.google(
        cfg.gcp.project, cfg.region, cluster.cluster_name, writer.annotations, reader.annotations
    )


def network_path(project: str, network: pulumi.Input[str]) -> pulumi.Output[str]:
    """`projects/P/global/networks/N` from a network name, path or self link (what Cloud SQL's
    private network setting takes)."""
    prefix = "https://www.googleapis.com/compute/v1/"
    return pulumi.Output.from_input(network).apply(
        lambda n: n.removeprefix(prefix) if "/" in n else f"projects/{project}/global/networks/{n}"
    )
