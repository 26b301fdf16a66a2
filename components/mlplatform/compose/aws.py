"""AWS target: VPC, EKS with GPU node groups, autoscaler, S3, ECR and team identities."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pulumi
import pulumi_aws as aws

from mlplatform import defaults
from mlplatform.aws.autoscaler import EksClusterAutoscaler, EksClusterAutoscalerArgs
from mlplatform.aws.cluster import EksGpuCluster, EksGpuClusterArgs
from mlplatform.aws.database import RdsPostgres, RdsPostgresArgs
from mlplatform.aws.network import AwsNetwork
from mlplatform.aws.observability import AwsAlarms, AwsAlarmsArgs
from mlplatform.aws.prometheus import AmpWorkspace
from mlplatform.aws.registry import EcrRegistry, EcrRegistryArgs
from mlplatform.aws.storage import S3ArtifactStore, S3ArtifactStoreArgs
from mlplatform.compose.common import (
    Built,
    Identity,
    add_cloud_mlflow,
    add_monitoring,
    add_teams,
    alert_thresholds,
    chart_sources,
    cluster_settings,
    enable_gpus,
    registry_settings,
    settings_for,
    store_settings,
)
from mlplatform.kubernetes.mlflow_config import WORKERS
from mlplatform.kubernetes.monitoring import managed
from mlplatform.kubernetes.monitoring.rules import rule_groups
from mlplatform.kubernetes.teams import WORKLOAD_SERVICE_ACCOUNT
from mlplatform.spec import Environment, PlatformConfig


def build(
    parent: pulumi.Resource,
    name: str,
    cfg: PlatformConfig,
    tags: Mapping[str, str],
    webhooks: Sequence[pulumi.Input[str]],
) -> Built:
    assert cfg.region is not None  # guaranteed by the spec rules
    provider = aws.Provider(
        f"{name}-aws", region=cfg.region, opts=pulumi.ResourceOptions(parent=parent)
    )
    opts = pulumi.ResourceOptions(parent=parent, providers=[provider])
    built = Built()
    store = registry = None
    if cfg.artifact_store.enabled:
        store = S3ArtifactStore(
            f"{name}-artifacts", settings_for(S3ArtifactStoreArgs, store_settings(cfg, tags)), opts
        )
        built.artifact_uri = store.artifact_uri
    if cfg.registry.enabled:
        registry = EcrRegistry(
            f"{name}-registry", settings_for(EcrRegistryArgs, registry_settings(cfg, tags)), opts
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
                "flow_log_retention_days": cfg.network.flow_log_retention_days,
                "protect": cfg.protect,
                "tags": tags,
            },
            opts,
        )
        subnets: list[pulumi.Input[str]] = list(network.private_subnet_ids)
        vpc_id: pulumi.Input[str] = network.vpc_id
    else:
        subnets = list(existing.subnet_ids)
        vpc_id = existing.network_id
    cluster_args = {
        **cluster_settings(cfg, tags),
        "private_subnet_ids": subnets,
        "region": cfg.region,
    }
    cluster = EksGpuCluster(f"{name}-eks", settings_for(EksGpuClusterArgs, cluster_args), opts)
    built.cluster_name, built.kubeconfig = cluster.cluster_name, cluster.kubeconfig

    k8s_opts = pulumi.ResourceOptions(parent=parent, provider=cluster.provider)
    enable_gpus(name, cfg, cluster.needs_device_plugin, k8s_opts)
    if cfg.gpu_pools:
        autoscaler: EksClusterAutoscalerArgs = {
            "cluster_name": cluster.cluster_name,
            "oidc_provider_arn": cluster.oidc_provider_arn,
            "oidc_issuer_url": cluster.oidc_issuer_url,
            "region": cfg.region,
            "kubernetes_version": cfg.cluster.kubernetes_version,
            "tags": tags,
        }
        if sources := chart_sources(cfg):
            autoscaler["charts"] = sources
        EksClusterAutoscaler(
            f"{name}-autoscaler",
            autoscaler,
            pulumi.ResourceOptions(parent=parent, providers=[provider, cluster.provider]),
        )

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
    mlflow = cfg.mlflow.enabled and store is not None
    database = _database(name, cfg, tags, opts, vpc_id, subnets, cluster) if mlflow else None
    prometheus = None
    if cfg.monitoring.enabled:
        cluster.enable_container_insights()
        alarms = _alarms(name, cfg, tags, webhooks, opts, cluster, database)
        if cfg.monitoring.prometheus == "managed":
            prometheus = _managed_prometheus(name, cfg, tags, opts, cluster, alarms)
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
    tags: Mapping[str, str],
    opts: pulumi.ResourceOptions,
    vpc_id: pulumi.Input[str],
    subnets: list[pulumi.Input[str]],
    cluster: EksGpuCluster,
) -> RdsPostgres:
    """MLflow's RDS PostgreSQL in the cluster's private subnets, open to the cluster only."""
    db_args: RdsPostgresArgs = {
        "vpc_id": vpc_id,
        "subnet_ids": subnets,
        "client_security_group_id": cluster.security_group_id,
        "storage_gb": cfg.mlflow.database.storage_gb,
        "backup_retention_days": cfg.mlflow.database.backup_retention_days,
        "multi_az": cfg.database_standby,
        "protect": cfg.protect,
        "tags": tags,
    }
    if cfg.mlflow.database.instance_class:
        db_args["instance_class"] = cfg.mlflow.database.instance_class
    return RdsPostgres(f"{name}-mlflow-db", db_args, opts)


def _managed_prometheus(
    name: str,
    cfg: PlatformConfig,
    tags: Mapping[str, str],
    opts: pulumi.ResourceOptions,
    cluster: EksGpuCluster,
    alarms: AwsAlarms,
) -> managed.ManagedPrometheus:
    """An AMP workspace running the platform's rules, alerting to the alarm topic; IRSA
    roles for Prometheus to write to it and Grafana to read it."""
    assert cfg.region is not None
    workspace = AmpWorkspace(
        f"{name}-prometheus",
        {
            "region": cfg.region,
            "rule_groups": rule_groups(alert_thresholds(cfg), mlflow=cfg.mlflow.enabled),
            "topic_arn": alarms.topic_arn,
            "protect": cfg.protect,
            "log_retention_days": cfg.cluster.log_retention_days,
            "tags": tags,
        },
        opts,
    )
    writer = cluster.workload_identity(
        f"{name}-prometheus-writer",
        defaults.MONITORING_NAMESPACE,
        managed.PROMETHEUS_SERVICE_ACCOUNT,
        ["AmazonPrometheusRemoteWriteAccess"],
    )
    reader = cluster.workload_identity(
        f"{name}-grafana-reader",
        defaults.MONITORING_NAMESPACE,
        managed.GRAFANA_SERVICE_ACCOUNT,
        ["AmazonPrometheusQueryAccess"],
    )
    return managed.amazon(
        workspace.remote_write_url,
        workspace.query_url,
        cfg.region,
        writer.annotations,
        reader.annotations,
    )


def _alarms(
    name: str,
    cfg: PlatformConfig,
    tags: Mapping[str, str],
    webhooks: Sequence[pulumi.Input[str]],
    opts: pulumi.ResourceOptions,
    cluster: EksGpuCluster,
    database: RdsPostgres | None,
) -> AwsAlarms:
    """CloudWatch alarms on the cluster's nodes and the MLflow database, to the configured
    subscribers."""
    notify = cfg.monitoring.notifications
    args: AwsAlarmsArgs = {
        "cluster_name": cluster.cluster_name,
        "emails": list(notify.emails),
        "webhooks": list(webhooks),
        "managed_prometheus": cfg.monitoring.prometheus == "managed",
        "protect": cfg.protect,
        "tags": tags,
    }
    if database is not None:
        args["database_id"] = database.identifier
        args["database_storage_gb"] = cfg.mlflow.database.storage_gb
        # One surge replica during a rolling update.
        args["mlflow_processes"] = (cfg.mlflow.replicas + 1) * WORKERS
    return AwsAlarms(f"{name}-alarms", args, opts)
