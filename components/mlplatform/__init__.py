"""mlplatform: multi-cloud ML platform components for Pulumi (layer 5.2, the public face).

Every component, its args TypedDict and the nested arg types are exported here, with the
`spec` and `catalog` packages; nothing else is public API. Imports are lazy: `import mlplatform`
loads no cloud SDK; touching a component class loads only its own cloud's modules.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "AcrRegistry": "mlplatform.azure.registry",
    "AcrRegistryArgs": "mlplatform.azure.registry",
    "AksGpuCluster": "mlplatform.azure.cluster",
    "AksGpuClusterArgs": "mlplatform.azure.cluster",
    "AlertThresholds": "mlplatform.kubernetes.monitoring.rules",
    "AmpWorkspace": "mlplatform.aws.prometheus",
    "AmpWorkspaceArgs": "mlplatform.aws.prometheus",
    "ArtifactRegistryDocker": "mlplatform.gcp.registry",
    "ArtifactRegistryDockerArgs": "mlplatform.gcp.registry",
    "AwsAlarms": "mlplatform.aws.observability",
    "AwsAlarmsArgs": "mlplatform.aws.observability",
    "AwsNetwork": "mlplatform.aws.network",
    "AwsNetworkArgs": "mlplatform.aws.network",
    "AwsWorkloadIdentity": "mlplatform.aws.iam",
    "AwsWorkloadIdentityArgs": "mlplatform.aws.iam",
    "AzureAlarms": "mlplatform.azure.observability",
    "AzureAlarmsArgs": "mlplatform.azure.observability",
    "AzureBlobArtifactStore": "mlplatform.azure.storage",
    "AzureBlobArtifactStoreArgs": "mlplatform.azure.storage",
    "AzureManagedPrometheus": "mlplatform.azure.prometheus",
    "AzureManagedPrometheusArgs": "mlplatform.azure.prometheus",
    "AzureNetwork": "mlplatform.azure.network",
    "AzureNetworkArgs": "mlplatform.azure.network",
    "AzurePostgres": "mlplatform.azure.database",
    "AzurePostgresArgs": "mlplatform.azure.database",
    "AzureWorkloadIdentity": "mlplatform.azure.identity",
    "AzureWorkloadIdentityArgs": "mlplatform.azure.identity",
    "CloudSqlPostgres": "mlplatform.gcp.database",
    "CloudSqlPostgresArgs": "mlplatform.gcp.database",
    "ConfigError": "mlplatform.environment",
    "EcrRegistry": "mlplatform.aws.registry",
    "EcrRegistryArgs": "mlplatform.aws.registry",
    "EksClusterAutoscaler": "mlplatform.aws.autoscaler",
    "EksClusterAutoscalerArgs": "mlplatform.aws.autoscaler",
    "EksGpuCluster": "mlplatform.aws.cluster",
    "EksGpuClusterArgs": "mlplatform.aws.cluster",
    "GcpAlarms": "mlplatform.gcp.observability",
    "GcpAlarmsArgs": "mlplatform.gcp.observability",
    "GcpNetwork": "mlplatform.gcp.network",
    "GcpNetworkArgs": "mlplatform.gcp.network",
    "GcpWorkloadIdentity": "mlplatform.gcp.identity",
    "GcpWorkloadIdentityArgs": "mlplatform.gcp.identity",
    "GcsArtifactStore": "mlplatform.gcp.storage",
    "GcsArtifactStoreArgs": "mlplatform.gcp.storage",
    "GkeGpuCluster": "mlplatform.gcp.cluster",
    "GkeGpuClusterArgs": "mlplatform.gcp.cluster",
    "GmpAlertPolicies": "mlplatform.gcp.prometheus",
    "GmpAlertPoliciesArgs": "mlplatform.gcp.prometheus",
    "GpuPoolArgs": "mlplatform.contracts",
    "GpuQueues": "mlplatform.kubernetes.queues",
    "GpuQueuesArgs": "mlplatform.kubernetes.queues",
    "InClusterPostgres": "mlplatform.kubernetes.postgres",
    "KServe": "mlplatform.kubernetes.serving",
    "KServeArgs": "mlplatform.kubernetes.serving",
    "InClusterPostgresArgs": "mlplatform.kubernetes.postgres",
    "InClusterRegistry": "mlplatform.kubernetes.registry",
    "InClusterRegistryArgs": "mlplatform.kubernetes.registry",
    "ManagedPrometheus": "mlplatform.kubernetes.monitoring.managed",
    "MlPlatform": "mlplatform.platform",
    "ModelIngressArgs": "mlplatform.kubernetes.model_serving",
    "ModelServing": "mlplatform.kubernetes.model_serving",
    "ModelServingArgs": "mlplatform.kubernetes.model_serving",
    "MlPlatformArgs": "mlplatform.platform",
    "MlflowIngressArgs": "mlplatform.kubernetes.mlflow",
    "MlflowServer": "mlplatform.kubernetes.mlflow",
    "MlflowServerArgs": "mlplatform.kubernetes.mlflow",
    "MonitoringStack": "mlplatform.kubernetes.monitoring.stack",
    "MonitoringStackArgs": "mlplatform.kubernetes.monitoring.stack",
    "NvidiaGpuEnablement": "mlplatform.kubernetes.gpu",
    "NvidiaGpuEnablementArgs": "mlplatform.kubernetes.gpu",
    "PlatformConfig": "mlplatform.environment",
    "PvcArtifactStore": "mlplatform.kubernetes.storage",
    "PvcArtifactStoreArgs": "mlplatform.kubernetes.storage",
    "RdsPostgres": "mlplatform.aws.database",
    "RdsPostgresArgs": "mlplatform.aws.database",
    "S3ArtifactStore": "mlplatform.aws.storage",
    "S3ArtifactStoreArgs": "mlplatform.aws.storage",
    "TeamNamespace": "mlplatform.kubernetes.teams",
    "TeamNamespaceArgs": "mlplatform.kubernetes.teams",
}
_SUBMODULES = ("spec", "catalog")

__all__ = [
    "AcrRegistry",
    "AcrRegistryArgs",
    "AksGpuCluster",
    "AksGpuClusterArgs",
    "AlertThresholds",
    "AmpWorkspace",
    "AmpWorkspaceArgs",
    "ArtifactRegistryDocker",
    "ArtifactRegistryDockerArgs",
    "AwsAlarms",
    "AwsAlarmsArgs",
    "AwsNetwork",
    "AwsNetworkArgs",
    "AwsWorkloadIdentity",
    "AwsWorkloadIdentityArgs",
    "AzureAlarms",
    "AzureAlarmsArgs",
    "AzureBlobArtifactStore",
    "AzureBlobArtifactStoreArgs",
    "AzureManagedPrometheus",
    "AzureManagedPrometheusArgs",
    "AzureNetwork",
    "AzureNetworkArgs",
    "AzurePostgres",
    "AzurePostgresArgs",
    "AzureWorkloadIdentity",
    "AzureWorkloadIdentityArgs",
    "CloudSqlPostgres",
    "CloudSqlPostgresArgs",
    "ConfigError",
    "EcrRegistry",
    "EcrRegistryArgs",
    "EksClusterAutoscaler",
    "EksClusterAutoscalerArgs",
    "EksGpuCluster",
    "EksGpuClusterArgs",
    "GcpAlarms",
    "GcpAlarmsArgs",
    "GcpNetwork",
    "GcpNetworkArgs",
    "GcpWorkloadIdentity",
    "GcpWorkloadIdentityArgs",
    "GcsArtifactStore",
    "GcsArtifactStoreArgs",
    "GkeGpuCluster",
    "GkeGpuClusterArgs",
    "GmpAlertPolicies",
    "GmpAlertPoliciesArgs",
    "GpuPoolArgs",
    "GpuQueues",
    "GpuQueuesArgs",
    "InClusterPostgres",
    "InClusterPostgresArgs",
    "InClusterRegistry",
    "InClusterRegistryArgs",
    "KServe",
    "KServeArgs",
    "ManagedPrometheus",
    "MlPlatform",
    "MlPlatformArgs",
    "MlflowIngressArgs",
    "MlflowServer",
    "MlflowServerArgs",
    "ModelIngressArgs",
    "ModelServing",
    "ModelServingArgs",
    "MonitoringStack",
    "MonitoringStackArgs",
    "NvidiaGpuEnablement",
    "NvidiaGpuEnablementArgs",
    "PlatformConfig",
    "PvcArtifactStore",
    "PvcArtifactStoreArgs",
    "RdsPostgres",
    "RdsPostgresArgs",
    "S3ArtifactStore",
    "S3ArtifactStoreArgs",
    "TeamNamespace",
    "TeamNamespaceArgs",
    "catalog",
    "spec",
]

if TYPE_CHECKING:
    from mlplatform import catalog, spec
    from mlplatform.aws.autoscaler import EksClusterAutoscaler, EksClusterAutoscalerArgs
    from mlplatform.aws.cluster import EksGpuCluster, EksGpuClusterArgs
    from mlplatform.aws.database import RdsPostgres, RdsPostgresArgs
    from mlplatform.aws.iam import AwsWorkloadIdentity, AwsWorkloadIdentityArgs
    from mlplatform.aws.network import AwsNetwork, AwsNetworkArgs
    from mlplatform.aws.observability import AwsAlarms, AwsAlarmsArgs
    from mlplatform.aws.prometheus import AmpWorkspace, AmpWorkspaceArgs
    from mlplatform.aws.registry import EcrRegistry, EcrRegistryArgs
    from mlplatform.aws.storage import S3ArtifactStore, S3ArtifactStoreArgs
    from mlplatform.azure.cluster import AksGpuCluster, AksGpuClusterArgs
    from mlplatform.azure.database import AzurePostgres, AzurePostgresArgs
    from mlplatform.azure.identity import AzureWorkloadIdentity, AzureWorkloadIdentityArgs
    from mlplatform.azure.network import AzureNetwork, AzureNetworkArgs
    from mlplatform.azure.observability import AzureAlarms, AzureAlarmsArgs
    from mlplatform.azure.prometheus import AzureManagedPrometheus, AzureManagedPrometheusArgs
    from mlplatform.azure.registry import AcrRegistry, AcrRegistryArgs
    from mlplatform.azure.storage import AzureBlobArtifactStore, AzureBlobArtifactStoreArgs
    from mlplatform.contracts import GpuPoolArgs
    from mlplatform.environment import ConfigError, PlatformConfig
    from mlplatform.gcp.cluster import GkeGpuCluster, GkeGpuClusterArgs
    from mlplatform.gcp.database import CloudSqlPostgres, CloudSqlPostgresArgs
    from mlplatform.gcp.identity import GcpWorkloadIdentity, GcpWorkloadIdentityArgs
    from mlplatform.gcp.network import GcpNetwork, GcpNetworkArgs
    from mlplatform.gcp.observability import GcpAlarms, GcpAlarmsArgs
    from mlplatform.gcp.prometheus import GmpAlertPolicies, GmpAlertPoliciesArgs
    from mlplatform.gcp.registry import ArtifactRegistryDocker, ArtifactRegistryDockerArgs
    from mlplatform.gcp.storage import GcsArtifactStore, GcsArtifactStoreArgs
    from mlplatform.kubernetes.gpu import NvidiaGpuEnablement, NvidiaGpuEnablementArgs
    from mlplatform.kubernetes.mlflow import MlflowIngressArgs, MlflowServer, MlflowServerArgs
    from mlplatform.kubernetes.model_serving import (
        ModelIngressArgs,
        ModelServing,
        ModelServingArgs,
    )
    from mlplatform.kubernetes.monitoring.managed import ManagedPrometheus
    from mlplatform.kubernetes.monitoring.rules import AlertThresholds
    from mlplatform.kubernetes.monitoring.stack import MonitoringStack, MonitoringStackArgs
    from mlplatform.kubernetes.postgres import InClusterPostgres, InClusterPostgresArgs
    from mlplatform.kubernetes.queues import GpuQueues, GpuQueuesArgs
    from mlplatform.kubernetes.registry import InClusterRegistry, InClusterRegistryArgs
    from mlplatform.kubernetes.serving import KServe, KServeArgs
    from mlplatform.kubernetes.storage import PvcArtifactStore, PvcArtifactStoreArgs
    from mlplatform.kubernetes.teams import TeamNamespace, TeamNamespaceArgs
    from mlplatform.platform import MlPlatform, MlPlatformArgs


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"mlplatform.{name}")
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mlplatform' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
