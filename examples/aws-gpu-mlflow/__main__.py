"""A platform team's own program: an EKS GPU cluster and MLflow in a VPC it already has.

No network and no registry: only the pieces it wants, from mlplatform's components, with
their secure defaults (private API endpoint, encrypted and protected bucket and database,
IRSA instead of keys) and the GPU alerts the policy pack asks for.
"""

import pulumi
import pulumi_kubernetes as k8s

from mlplatform import (
    EksClusterAutoscaler,
    EksGpuCluster,
    MlflowServer,
    MonitoringStack,
    NvidiaGpuEnablement,
    RdsPostgres,
    S3ArtifactStore,
)
from mlplatform.contracts import GpuPoolArgs

config = pulumi.Config()
region = pulumi.Config("aws").require("region")
vpc_id = config.require("vpcId")
subnets: list[str] = config.require_object("privateSubnetIds")
tags = {"owner": "ml-platform", "environment": "dev", "cost-center": "ml-research"}
pools: list[GpuPoolArgs] = [
    {"name": "l4-spot", "gpu": "L4", "min_nodes": 0, "max_nodes": 4, "spot": True},
]

cluster = EksGpuCluster(
    "gpu",
    {
        "kubernetes_version": "1.36",
        "private_subnet_ids": subnets,
        "region": region,
        "gpu_pools": pools,
        "admins": config.get_object("admins") or [],
        "tags": tags,
    },
)
on_cluster = pulumi.ResourceOptions(providers=[cluster.provider])
EksClusterAutoscaler(
    "autoscaler",
    {
        "cluster_name": cluster.cluster_name,
        "oidc_provider_arn": cluster.oidc_provider_arn,
        "oidc_issuer_url": cluster.oidc_issuer_url,
        "region": region,
        "kubernetes_version": "1.36",
        "tags": tags,
    },
    on_cluster,
)
if cluster.needs_device_plugin:
    NvidiaGpuEnablement("gpus", {"mode": "device-plugin", "pools": pools}, on_cluster)

store = S3ArtifactStore("artifacts", {"tags": tags})
database = RdsPostgres(
    "mlflow-db",
    {
        "vpc_id": vpc_id,
        "subnet_ids": subnets,
        "client_security_group_id": cluster.security_group_id,
        "tags": tags,
    },
)

# MLflow's service account (named after the server) may use the bucket; nothing else may.
identity = cluster.workload_identity("mlflow-identity", "mlflow", "mlflow")
store.grant_read_write(identity)
namespace = k8s.core.v1.Namespace(
    "mlflow-namespace",
    metadata={"name": "mlflow", "labels": {"pod-security.kubernetes.io/enforce": "restricted"}},
    opts=on_cluster,
)
monitoring = MonitoringStack("monitoring", {"mlflow": True, "tags": tags}, on_cluster)
mlflow = MlflowServer(
    "mlflow",
    {
        "namespace": namespace.metadata.apply(lambda m: m.name or "mlflow"),
        "database_uri": database.database_uri,
        "artifacts_destination": store.artifact_uri.apply(lambda uri: f"{uri}/"),
        "service_account_annotations": identity.annotations,
        "scraped_by": monitoring.operator_release,
        "tags": tags,
    },
    on_cluster,
)

pulumi.export("clusterName", cluster.cluster_name)
pulumi.export("kubeconfig", cluster.kubeconfig)
pulumi.export("artifactUri", store.artifact_uri)
pulumi.export("mlflowTrackingUri", mlflow.tracking_uri)
pulumi.export("mlflowAdminPassword", mlflow.admin_password)
pulumi.export("grafanaAdminPassword", monitoring.grafana_admin_password)
