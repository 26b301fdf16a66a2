"""Which input changes make the provider replace a resource (delete, then create), per type,
each list with its source; and which types hold data (deleting or replacing them loses it).

A path matches a listed property when it is the property or lies inside it
(`vpcConfig.subnetIds[0]` matches `vpcConfig.subnetIds`). A resource's own
`replaceOnChanges` option adds to the list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple


class Replacing(NamedTuple):
    properties: tuple[str, ...]
    source: str


AZURE_IDENTITY = ("resourceGroupName", "location")
"""Every azure-native resource is replaced when its resource group or location changes (ARM
addresses resources by them)."""
KUBERNETES_IDENTITY = ("metadata.name", "metadata.namespace")
"""Every Kubernetes object is replaced when its name or namespace changes (pulumi-kubernetes
provider/pkg/provider/diff.go `metadataForceNewProperties`, for every kind): Kubernetes
renames nothing. Helm releases name themselves outside `metadata` and are not objects."""

TF_AWS = "hashicorp/terraform-provider-aws internal/service/"
TF_GOOGLE = "hashicorp/terraform-provider-google e03b7622 google/services/"
AZURE_NATIVE = (
    "pulumi-azure-native provider/pkg/gen: path parameters and location, properties without "
    "x-ms-mutability update (properties.go), forceNewMap (replacement.go)"
)
NODE_CONFIG = (
    "serviceAccount",
    "oauthScopes",
    "preemptible",
    "spot",
    "guestAccelerators",
    "localSsdCount",
    "minCpuPlatform",
    "metadata",
    "shieldedInstanceConfig",
    "sandboxConfig",
    "bootDiskKmsKey",
    "reservationAffinity",
)
"""ForceNew fields of a GKE node config (container/node_config.go); machine type, disk size
and disk type update in place."""

REPLACES: dict[str, Replacing] = {
    "aws:s3/bucket:Bucket": Replacing(
        (
            "bucket",
            "bucketPrefix",
            "objectLockEnabled",
            "objectLockConfiguration.objectLockEnabled",
        ),
        TF_AWS + "s3/bucket.go ForceNew",
    ),
    "aws:rds/instance:Instance": Replacing(
        (
            "engine",
            "dbName",
            "username",
            "kmsKeyId",
            "storageEncrypted",
            "availabilityZone",
            "characterSetName",
            "ncharCharacterSetName",
            "timezone",
            "snapshotIdentifier",
            "customIamInstanceProfile",
            "restoreToPointInTime",
            "s3Import",
        ),
        TF_AWS + "rds/instance.go ForceNew (identifier, engineVersion, instanceClass update)",
    ),
    "aws:eks/cluster:Cluster": Replacing(
        (
            "name",
            "roleArn",
            "bootstrapSelfManagedAddons",
            "accessConfig.bootstrapClusterCreatorAdminPermissions",
            "kubernetesNetworkConfig.ipFamily",
            "kubernetesNetworkConfig.serviceIpv4Cidr",
            "outpostConfig.controlPlaneInstanceType",
        ),
        TF_AWS + "eks/cluster.go ForceNew (subnet and security group ids update)",
    ),
    "aws:eks/nodeGroup:NodeGroup": Replacing(
        (
            "clusterName",
            "nodeGroupName",
            "nodeGroupNamePrefix",
            "nodeRoleArn",
            "subnetIds",
            "amiType",
            "capacityType",
            "diskSize",
            "instanceTypes",
            "launchTemplate.id",
            "launchTemplate.name",
            "remoteAccess",
        ),
        TF_AWS + "eks/node_group.go ForceNew (scaling, labels, taints, versions update)",
    ),
    "aws:ecr/repository:Repository": Replacing(
        ("name", "encryptionConfigurations"), TF_AWS + "ecr/repository.go ForceNew"
    ),
    "aws:kms/key:Key": Replacing(
        ("customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"),
        TF_AWS + "kms/key.go ForceNew",
    ),
    "gcp:storage/bucket:Bucket": Replacing(
        (
            "name",
            "location",
            "project",
            "enableObjectRetention",
            "customPlacementConfig.dataLocations",
            "hierarchicalNamespace",
        ),
        TF_GOOGLE + "storage/resource_storage_bucket.go ForceNew",
    ),
    "gcp:sql/databaseInstance:DatabaseInstance": Replacing(
        (
            "name",
            "region",
            "project",
            "encryptionKeyName",
            "settings.collation",
            "replicaConfiguration",
        ),
        TF_GOOGLE + "sql/resource_sql_database_instance.go ForceNew (databaseVersion updates)",
    ),
    "gcp:container/cluster:Cluster": Replacing(
        (
            "name",
            "location",
            "project",
            "network",
            "subnetwork",
            "description",
            "enableAutopilot",
            "enableKubernetesAlpha",
            "enableTpu",
            "initialNodeCount",
            "nodePools",
            "clusterIpv4Cidr",
            "ipAllocationPolicy",
            "networkingMode",
            "privateClusterConfig.masterIpv4CidrBlock",
            "privateClusterConfig.privateEndpointSubnetwork",
            "defaultMaxPodsPerNode",
            "datapathProvider",
            "confidentialNodes",
            *(f"nodeConfig.{p}" for p in NODE_CONFIG),
        ),
        TF_GOOGLE + "container/resource_container_cluster.go, node_config.go ForceNew",
    ),
    "gcp:container/nodePool:NodePool": Replacing(
        (
            "name",
            "namePrefix",
            "cluster",
            "location",
            "project",
            "initialNodeCount",
            "maxPodsPerNode",
            "placementPolicy",
            "queuedProvisioning",
            "networkConfig.podRange",
            "networkConfig.createPodRange",
            "networkConfig.podIpv4CidrBlock",
            "networkConfig.subnetwork",
            *(f"nodeConfig.{p}" for p in NODE_CONFIG),
        ),
        TF_GOOGLE + "container/resource_container_node_pool.go, node_config.go ForceNew",
    ),
    "gcp:artifactregistry/repository:Repository": Replacing(
        (
            "repositoryId",
            "location",
            "project",
            "format",
            "mode",
            "kmsKeyName",
            "remoteRepositoryConfig",
            "mavenConfig.allowSnapshotOverwrites",
            "mavenConfig.versionPolicy",
        ),
        TF_GOOGLE + "artifactregistry/resource_artifact_registry_repository.go ForceNew",
    ),
    "gcp:kms/cryptoKey:CryptoKey": Replacing(
        (
            "name",
            "keyRing",
            "purpose",
            "importOnly",
            "destroyScheduledDuration",
            "cryptoKeyBackend",
            "versionTemplate.protectionLevel",
        ),
        TF_GOOGLE + "kms/resource_kms_crypto_key.go ForceNew",
    ),
    "gcp:serviceaccount/account:Account": Replacing(
        ("accountId", "project"),
        TF_GOOGLE + "resourcemanager/resource_google_service_account.go ForceNew",
    ),
    "azure-native:storage:StorageAccount": Replacing(("accountName", "isHnsEnabled"), AZURE_NATIVE),
    "azure-native:containerregistry:Registry": Replacing(("registryName",), AZURE_NATIVE),
    "azure-native:dbforpostgresql:Server": Replacing(
        (
            "serverName",
            "administratorLogin",
            "availabilityZone",
            "sourceServerResourceId",
            "pointInTimeUTC",
            "backup.geoRedundantBackup",
        ),
        AZURE_NATIVE + "; FlexibleServers.json 2024-08-01 create-only fields",
    ),
    "azure-native:containerservice:ManagedCluster": Replacing(
        (
            "resourceName",
            "dnsPrefix",
            "fqdnSubdomain",
            "diskEncryptionSetID",
            "linuxProfile",
            "windowsProfile",
            "nodeResourceGroup",
            "networkProfile.serviceCidr",
            "networkProfile.serviceCidrs",
            "networkProfile.dnsServiceIP",
            "networkProfile.networkMode",
            "networkProfile.networkPlugin",
            "networkProfile.networkPluginMode",
            "networkProfile.podCidr",
            "networkProfile.networkDataplane",
            "networkProfile.networkPolicy",
            "networkProfile.outboundType",
        ),
        AZURE_NATIVE,
    ),
    "azure-native:containerservice:AgentPool": Replacing(
        (
            "agentPoolName",
            "resourceName",
            "vmSize",
            "gpuInstanceProfile",
            "networkProfile.nodePublicIPTags",
        ),
        AZURE_NATIVE,
    ),
}
"""Replacement-forcing inputs per type (Pulumi camelCase), from the provider sources named;
conditional cases (such as a shrinking Cloud SQL disk) are not listed."""

STATEFUL = frozenset(
    {
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
        "aws:ecr/repository:Repository",
        "aws:rds/instance:Instance",
        "aws:kms/key:Key",
        "aws:efs/fileSystem:FileSystem",
        "azure-native:storage:StorageAccount",
        "azure-native:storage:BlobContainer",
        "azure-native:containerregistry:Registry",
        "azure-native:dbforpostgresql:Server",
        "azure-native:dbforpostgresql:Database",
        "azure-native:monitor:AzureMonitorWorkspace",
        "gcp:storage/bucket:Bucket",
        "gcp:artifactregistry/repository:Repository",
        "gcp:sql/databaseInstance:DatabaseInstance",
        "gcp:sql/database:Database",
        "gcp:kms/cryptoKey:CryptoKey",
        "gcp:kms/keyRing:KeyRing",
        "aws:amp/workspace:Workspace",
        "kubernetes:core/v1:PersistentVolumeClaim",
        "kubernetes:apps/v1:StatefulSet",
    }
)
"""Types whose deletion or replacement loses data: buckets, registries, databases, keys (data
encrypted with a deleted key is gone), metrics stores and volumes."""


def _matches(path: str, prop: str) -> bool:
    return path == prop or path.startswith((f"{prop}.", f"{prop}["))


def replaces(type_: str, paths: Iterable[str], own: Sequence[str] = ()) -> list[str]:
    """The changed paths that force replacement of a resource of `type_`."""
    listed = list(REPLACES[type_].properties) if type_ in REPLACES else []
    if type_.startswith("azure-native:"):
        listed += AZURE_IDENTITY
    if type_.startswith("kubernetes:") and not type_.startswith("kubernetes:helm.sh/"):
        listed += KUBERNETES_IDENTITY
    listed += own
    return [p for p in paths if any(_matches(p, prop) or prop == "*" for prop in listed)]
