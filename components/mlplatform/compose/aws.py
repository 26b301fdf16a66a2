"""AWS target: VPC, EKS with GPU node groups, autoscaler, S3, ECR, RDS, CloudWatch alarms and
Amazon Managed Prometheus, as the steps of the cloud skeleton (`compose/cloud.py`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

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
from mlplatform.compose import spec_args
from mlplatform.compose.charts import chart_sources
from mlplatform.compose.cloud import cloud_builder
from mlplatform.compose.mlflow import mlflow_processes
from mlplatform.compose.monitoring import alert_rule_groups
from mlplatform.compose.scope import Scope
from mlplatform.environment import Environment
from mlplatform.kubernetes.monitoring import managed


class AwsSubnets(NamedTuple):
    """Where the cluster and the database go: the VPC and its private subnets."""

    vpc_id: pulumi.Input[str]
    subnet_ids: list[pulumi.Input[str]]


class AwsTarget:
    """The AWS steps of the cloud skeleton, in one region's provider."""

    def __init__(self, scope: Scope) -> None:
        assert scope.cfg.region is not None  # guaranteed by the spec rules
        self.scope, self.region = scope, scope.cfg.region
        self.pod_labels: Mapping[str, str] = {}  # IRSA needs the annotation only
        self.provider = aws.Provider(
            f"{scope.name}-aws",
            region=self.region,
            opts=pulumi.ResourceOptions(parent=scope.parent),
        )
        self.opts = pulumi.ResourceOptions(parent=scope.parent, providers=[self.provider])

    def artifact_store(self) -> S3ArtifactStore:
        """S3 bucket, versioned and encrypted with a KMS key (the spec's, else its own)."""
        cfg = self.scope.cfg
        args: S3ArtifactStoreArgs = {
            **spec_args.store_settings(cfg, self.scope.tags),
            "abort_incomplete_upload_days": cfg.artifact_store.abort_incomplete_upload_days,
            **spec_args.kms_key(cfg),
        }
        return S3ArtifactStore(f"{self.scope.name}-artifacts", args, self.opts)

    def registry(self) -> tuple[EcrRegistry, pulumi.Output[str]]:
        """ECR repository and its URL."""
        cfg = self.scope.cfg
        args: EcrRegistryArgs = {
            **spec_args.registry_settings(cfg, self.scope.tags),
            **spec_args.image_rules(cfg),
        }
        registry = EcrRegistry(f"{self.scope.name}-registry", args, self.opts)
        return registry, registry.repository_url

    def network(self, store: S3ArtifactStore | None, registry: EcrRegistry | None) -> AwsSubnets:
        """The created VPC (a NAT gateway per zone in prod) or the spec's existing one."""
        cfg = self.scope.cfg
        existing = cfg.network.existing
        if existing is not None:
            return AwsSubnets(existing.network_id, list(existing.subnet_ids))
        network = AwsNetwork(
            f"{self.scope.name}-network",
            {
                "cidr": cfg.network.cidr,
                "zone_count": cfg.network.zone_count,
                "nat_per_zone": cfg.environment is Environment.PROD,
                "flow_log_retention_days": cfg.network.flow_log_retention_days,
                "protect": cfg.protect,
                "tags": self.scope.tags,
            },
            self.opts,
        )
        return AwsSubnets(network.vpc_id, list(network.private_subnet_ids))

    def cluster(self, network: AwsSubnets, registry: EcrRegistry | None) -> EksGpuCluster:
        """EKS with its GPU node groups in the private subnets (nodes pull from ECR through
        their own role)."""
        cfg = self.scope.cfg
        args: EksGpuClusterArgs = {
            **spec_args.cluster_settings(cfg, self.scope.tags),
            "private_access_cidrs": spec_args.private_access_cidrs(cfg),
            "admins": list(cfg.cluster.admins),
            "private_subnet_ids": network.subnet_ids,
            "region": self.region,
        }
        return EksGpuCluster(f"{self.scope.name}-eks", args, self.opts)

    def autoscaler(self, cluster: EksGpuCluster) -> None:
        """Cluster Autoscaler for the GPU node groups (EKS does not scale them itself)."""
        cfg, name = self.scope.cfg, self.scope.name
        if not cfg.gpu_pools:
            return
        args: EksClusterAutoscalerArgs = {
            "cluster_name": cluster.cluster_name,
            "oidc_provider_arn": cluster.oidc_provider_arn,
            "oidc_issuer_url": cluster.oidc_issuer_url,
            "region": self.region,
            "kubernetes_version": cfg.cluster.kubernetes_version,
            "tags": self.scope.tags,
        }
        if sources := chart_sources(cfg):
            args["charts"] = sources
        providers = [self.provider, cluster.provider]
        opts = pulumi.ResourceOptions(parent=self.scope.parent, providers=providers)
        EksClusterAutoscaler(f"{name}-autoscaler", args, opts)

    def database(self, network: AwsSubnets, cluster: EksGpuCluster) -> RdsPostgres:
        """MLflow's RDS PostgreSQL in the cluster's private subnets, open to the cluster
        only."""
        cfg = self.scope.cfg
        args: RdsPostgresArgs = {
            **spec_args.database_settings(cfg),
            "vpc_id": network.vpc_id,
            "subnet_ids": network.subnet_ids,
            "client_security_group_id": cluster.security_group_id,
            "multi_az": cfg.database_standby,
            "tags": self.scope.tags,
        }
        if instance_class := cfg.mlflow.database.instance_class:
            args["instance_class"] = instance_class
        return RdsPostgres(f"{self.scope.name}-mlflow-db", args, self.opts)

    def alarms(self, cluster: EksGpuCluster, database: RdsPostgres | None) -> AwsAlarms:
        """Container Insights on the cluster, and CloudWatch alarms on its nodes and the
        MLflow database to the configured subscribers."""
        cfg = self.scope.cfg
        cluster.enable_container_insights()
        args: AwsAlarmsArgs = {
            "cluster_name": cluster.cluster_name,
            "emails": list(cfg.monitoring.notifications.emails),
            "webhooks": list(self.scope.webhooks),
            "managed_prometheus": cfg.monitoring.prometheus == "managed",
            "protect": cfg.protect,
            "tags": self.scope.tags,
        }
        if database is not None:
            args["database_id"] = database.identifier
            args["database_storage_gb"] = cfg.mlflow.database.storage_gb
            args["mlflow_processes"] = mlflow_processes(cfg)
        return AwsAlarms(f"{self.scope.name}-alarms", args, self.opts)

    def managed_prometheus(
        self, cluster: EksGpuCluster, alarms: AwsAlarms
    ) -> managed.ManagedPrometheus:
        """An AMP workspace running the platform's rules, alerting to the alarm topic; IRSA
        roles for Prometheus to write to it and Grafana to read it."""
        cfg, name = self.scope.cfg, self.scope.name
        workspace = AmpWorkspace(
            f"{name}-prometheus",
            {
                "region": self.region,
                "rule_groups": alert_rule_groups(cfg),
                "topic_arn": alarms.topic_arn,
                "protect": cfg.protect,
                "log_retention_days": cfg.cluster.log_retention_days,
                "tags": self.scope.tags,
            },
            self.opts,
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
            self.region,
            writer.annotations,
            reader.annotations,
        )


build = cloud_builder(AwsTarget)
"""The AWS platform: `AwsTarget`'s steps in the skeleton's order."""
