"""Cases for every rule of the policy pack: a compliant one, one failing case per condition the
rule checks, and one with an unknown value. Each case is (rule, case name, resources, expected
messages); NOT_EVALUATED means the rule must stop on the unknown value."""

from __future__ import annotations

from typing import Any

from mlplatform_policies.model import Resource
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, unknown_checking_proxy

U = UNKNOWN_BOOLEAN_VALUE
NOT_EVALUATED = "not evaluated"
TAGS = {"owner": "ml", "environment": "prod", "cost-center": "cc"}
DEV = {**TAGS, "environment": "dev"}


def res(
    type_: str,
    props: dict[str, Any],
    name: str = "r",
    protect: bool = False,
    deps: dict[str, list[Resource]] | None = None,
) -> Resource:
    """A resource as the pack hands it to a rule: props behind the unknown-checking proxy,
    property dependencies by URN."""
    property_dependencies = {k: tuple(r.urn for r in v) for k, v in (deps or {}).items()}
    return Resource(
        type=type_,
        name=name,
        urn=f"urn:pulumi:test::p::{type_}::{name}",
        props=unknown_checking_proxy(props),
        protect=protect,
        dependencies=tuple(u for urns in property_dependencies.values() for u in urns),
        property_dependencies=property_dependencies,
    )


Case = tuple[str, str, Any, Any]

# ---- types ---------------------------------------------------------------------------------
S3 = "aws:s3/bucket:Bucket"
PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
VER = "aws:s3/bucketVersioning:BucketVersioning"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
LOG = "aws:s3/bucketLogging:BucketLogging"
LIFE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
SA = "azure-native:storage:StorageAccount"
CONTAINER = "azure-native:storage:BlobContainer"
BLOB = "azure-native:storage:BlobServiceProperties"
GCS = "gcp:storage/bucket:Bucket"
GCS_IAM_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember"
GCS_IAM_BINDING = "gcp:storage/bucketIAMBinding:BucketIAMBinding"
GCS_IAM_POLICY = "gcp:storage/bucketIAMPolicy:BucketIAMPolicy"
PUBLIC_IAM_POLICY = (
    '{"bindings": [{"role": "roles/storage.objectViewer", "members": ["allUsers"]}]}'
)
EKS = "aws:eks/cluster:Cluster"
NG = "aws:eks/nodeGroup:NodeGroup"
ADDON = "aws:eks/addon:Addon"
LT = "aws:ec2/launchTemplate:LaunchTemplate"
OIDC = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"
AKS = "azure-native:containerservice:ManagedCluster"
POOL = "azure-native:containerservice:AgentPool"
DIAG = "azure-native:monitor:DiagnosticSetting"
GKE = "gcp:container/cluster:Cluster"
NP = "gcp:container/nodePool:NodePool"
ECR = "aws:ecr/repository:Repository"
ECR_POLICY = "aws:ecr/repositoryPolicy:RepositoryPolicy"
ECR_LIFE = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
ACR = "azure-native:containerregistry:Registry"
GAR = "gcp:artifactregistry/repository:Repository"
GAR_IAM = "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember"
GAR_IAM_POLICY = "gcp:artifactregistry/repositoryIamPolicy:RepositoryIamPolicy"
RDS = "aws:rds/instance:Instance"
PG = "aws:rds/parameterGroup:ParameterGroup"
FLEX = "azure-native:dbforpostgresql:Server"
FLEX_CONF = "azure-native:dbforpostgresql:Configuration"
FLEX_FIREWALL = "azure-native:dbforpostgresql:FirewallRule"
SQL = "gcp:sql/databaseInstance:DatabaseInstance"
DEPLOY = "kubernetes:apps/v1:Deployment"
CRON_JOB = "kubernetes:batch/v1:CronJob"
POD = "kubernetes:core/v1:Pod"
KSA = "kubernetes:core/v1:ServiceAccount"
PROM_RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule"
AZ_RULES = "azure-native:alertsmanagement:PrometheusRuleGroup"
POLICY = "gcp:monitoring/alertPolicy:AlertPolicy"

# ---- governance ----------------------------------------------------------------------------
GOVERNANCE: list[Case] = [
    ("platform-stateful-resources-protected", "protected", res(S3, {}, protect=True), []),
    (
        "platform-stateful-resources-protected",
        "unknown props, protected",
        res(RDS, {"storageEncrypted": U}, protect=True),
        [],
    ),
    (
        "platform-stateful-resources-protected",
        "unprotected",
        res(SA, {}),
        ["the resource holds data but is not protected (protect: true)"],
    ),
    ("platform-required-tags", "tagged", res(EKS, {"tags": TAGS}), []),
    (
        "platform-required-tags",
        "gke pool missing keys",
        res(NP, {"nodeConfig": {"resourceLabels": {"owner": "ml"}}}),
        ["missing required tags/labels: environment, cost-center"],
    ),
    (
        "platform-required-tags",
        "untagged",
        res(SQL, {}),
        ["missing required tags/labels: owner, environment, cost-center"],
    ),
    (
        "platform-required-tags",
        "unknown tag",
        res(RDS, {"tags": {**TAGS, "owner": U}}),
        NOT_EVALUATED,
    ),
]

# ---- storage -------------------------------------------------------------------------------
bucket = res(S3, {}, name="bucket")


def _on(type_: str, props: dict[str, Any], name: str = "setting") -> Resource:
    return res(type_, props, name=name, deps={"bucket": [bucket]})


FLAGS = dict.fromkeys(
    ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"), True
)
STORAGE: list[Case] = [
    ("aws-s3-bucket-public-access-blocked", "blocked", [bucket, _on(PAB, FLAGS)], []),
    (
        "aws-s3-bucket-public-access-blocked",
        "no block",
        [bucket],
        ["the bucket has no BucketPublicAccessBlock"],
    ),
    (
        # The flags are judged on the block itself (aws-s3-public-access-block-all-on).
        "aws-s3-bucket-public-access-blocked",
        "one flag off",
        [bucket, _on(PAB, {**FLAGS, "restrictPublicBuckets": False})],
        [],
    ),
    (
        "aws-s3-bucket-public-access-blocked",
        "block of another bucket",
        [bucket, res(PAB, FLAGS, name="other")],
        ["the bucket has no BucketPublicAccessBlock"],
    ),
    (
        # It reads which resources are paired, never a value that can be unknown.
        "aws-s3-bucket-public-access-blocked",
        "unknown flag",
        [bucket, _on(PAB, {**FLAGS, "blockPublicAcls": U})],
        [],
    ),
    ("aws-s3-public-access-block-all-on", "all on", res(PAB, {**FLAGS}), []),
    (
        "aws-s3-public-access-block-all-on",
        "one flag off",
        res(PAB, {**FLAGS, "restrictPublicBuckets": False}),
        ["restrictPublicBuckets is not true"],
    ),
    (
        # A user's own block on a bucket the stack does not create is judged all the same.
        "aws-s3-public-access-block-all-on",
        "flags left out, bucket outside the stack",
        [bucket, res(PAB, {"bucket": "someone-elses-bucket", "blockPublicAcls": True})],
        [
            "blockPublicPolicy is not true",
            "ignorePublicAcls is not true",
            "restrictPublicBuckets is not true",
        ],
    ),
    (
        "aws-s3-public-access-block-all-on",
        "unknown flag",
        res(PAB, {**FLAGS, "ignorePublicAcls": U}),
        NOT_EVALUATED,
    ),
    (
        "aws-s3-bucket-versioning-enabled",
        "enabled",
        [bucket, _on(VER, {"versioningConfiguration": {"status": "Enabled"}})],
        [],
    ),
    (
        "aws-s3-bucket-versioning-enabled",
        "V2 spellings",
        [
            bucket_v2 := res("aws:s3/bucketV2:BucketV2", {}, name="bucket"),
            res(
                "aws:s3/bucketVersioningV2:BucketVersioningV2",
                {"versioningConfiguration": {"status": "Enabled"}},
                deps={"bucket": [bucket_v2]},
            ),
        ],
        [],
    ),
    (
        "aws-s3-bucket-versioning-enabled",
        "inline versioning",
        [res(S3, {"versioning": {"enabled": True}}, name="bucket")],
        [],
    ),
    (
        "aws-s3-bucket-versioning-enabled",
        "suspended",
        [bucket, _on(VER, {"versioningConfiguration": {"status": "Suspended"}})],
        ["versioning is not Enabled (no BucketVersioning with status Enabled)"],
    ),
    (
        "aws-s3-bucket-versioning-enabled",
        "unknown status",
        [bucket, _on(VER, {"versioningConfiguration": {"status": U}})],
        NOT_EVALUATED,
    ),
    (
        "aws-s3-bucket-kms-encrypted",
        "kms",
        [
            bucket,
            _on(
                SSE,
                {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]},
            ),
        ],
        [],
    ),
    (
        "aws-s3-bucket-kms-encrypted",
        "s3-managed keys",
        [
            bucket,
            _on(
                SSE, {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]}
            ),
        ],
        ["no default encryption with a KMS key (sseAlgorithm aws:kms)"],
    ),
    (
        "aws-s3-bucket-kms-encrypted",
        "unknown algorithm",
        [
            bucket,
            _on(SSE, {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": U}}]}),
        ],
        NOT_EVALUATED,
    ),
    ("aws-s3-bucket-access-logging", "logged", [bucket, _on(LOG, {"targetBucket": "logs"})], []),
    (
        "aws-s3-bucket-access-logging",
        "not logged",
        [bucket],
        ["server access logging is off (no BucketLogging)"],
    ),
    (
        "aws-s3-bucket-access-logging",
        "unknown target still logs",
        [bucket, _on(LOG, {"targetBucket": U})],
        [],
    ),
    (
        "platform-bucket-noncurrent-versions-expire",
        "both expire",
        [
            bucket,
            _on(LIFE, {"rules": [{"noncurrentVersionExpiration": {"noncurrentDays": 90}}]}),
            res(GCS, {"lifecycleRules": [{"condition": {"daysSinceNoncurrentTime": 90}}]}, "gcs"),
        ],
        [],
    ),
    (
        "platform-bucket-noncurrent-versions-expire",
        "s3 never expires",
        [bucket, _on(LIFE, {"rules": [{"abortIncompleteMultipartUpload": {}}]})],
        ["old object versions never expire (no noncurrentVersionExpiration)"],
    ),
    (
        "platform-bucket-noncurrent-versions-expire",
        "gcs never expires",
        [res(GCS, {"lifecycleRules": [{"condition": {"age": 7}}]})],
        ["old object versions never expire (no noncurrent lifecycle rule)"],
    ),
    (
        "platform-bucket-noncurrent-versions-expire",
        "unknown rules",
        [res(GCS, {"lifecycleRules": U})],
        NOT_EVALUATED,
    ),
    (
        "azure-storage-no-public-blob-access",
        "private",
        res(SA, {"allowBlobPublicAccess": False}),
        [],
    ),
    (
        "azure-storage-no-public-blob-access",
        "account allows",
        res(SA, {"allowBlobPublicAccess": True}),
        ["allowBlobPublicAccess is not false"],
    ),
    (
        "azure-storage-no-public-blob-access",
        "public container",
        res(CONTAINER, {"publicAccess": "Blob"}),
        ["the container's publicAccess is 'Blob', not None"],
    ),
    (
        "azure-storage-no-public-blob-access",
        "unknown",
        res(SA, {"allowBlobPublicAccess": U}),
        NOT_EVALUATED,
    ),
    (
        "azure-storage-account-tls12-https-only",
        "tls 1.2 https",
        res(SA, {"minimumTlsVersion": "TLS1_2", "enableHttpsTrafficOnly": True}),
        [],
    ),
    (
        "azure-storage-account-tls12-https-only",
        "old tls",
        res(SA, {"minimumTlsVersion": "TLS1_0"}),
        ["minimumTlsVersion is 'TLS1_0', not TLS1_2 or newer"],
    ),
    (
        "azure-storage-account-tls12-https-only",
        "http allowed",
        res(SA, {"minimumTlsVersion": "TLS1_2", "enableHttpsTrafficOnly": False}),
        ["enableHttpsTrafficOnly is false"],
    ),
    (
        "azure-storage-account-tls12-https-only",
        "unknown",
        res(SA, {"minimumTlsVersion": U}),
        NOT_EVALUATED,
    ),
]

account = res(SA, {}, name="account")
SOFT = {
    "isVersioningEnabled": True,
    "deleteRetentionPolicy": {"enabled": True, "days": 30},
    "containerDeleteRetentionPolicy": {"enabled": True, "days": 30},
}


def _blob(props: dict[str, Any]) -> Resource:
    return res(BLOB, props, name="blob", deps={"accountName": [account]})


STORAGE += [
    ("azure-storage-blob-versioning-soft-delete", "all on", [account, _blob(SOFT)], []),
    (
        "azure-storage-blob-versioning-soft-delete",
        "no service properties",
        [account],
        ["the account has no BlobServiceProperties (versioning, soft delete)"],
    ),
    (
        "azure-storage-blob-versioning-soft-delete",
        "versioning off",
        [account, _blob({**SOFT, "isVersioningEnabled": False})],
        ["blob versioning is off"],
    ),
    (
        "azure-storage-blob-versioning-soft-delete",
        "blob soft delete off",
        [account, _blob({**SOFT, "deleteRetentionPolicy": {"enabled": False}})],
        ["blob soft delete is off"],
    ),
    (
        "azure-storage-blob-versioning-soft-delete",
        "container soft delete off",
        [account, _blob({**SOFT, "containerDeleteRetentionPolicy": {"enabled": False}})],
        ["container soft delete is off"],
    ),
    (
        "azure-storage-blob-versioning-soft-delete",
        "unknown",
        [account, _blob({**SOFT, "isVersioningEnabled": U})],
        NOT_EVALUATED,
    ),
    ("azure-storage-shared-key-disabled", "off", res(SA, {"allowSharedKeyAccess": False}), []),
    (
        "azure-storage-shared-key-disabled",
        "on by default",
        res(SA, {}),
        ["allowSharedKeyAccess is not false: account keys can still sign requests"],
    ),
    (
        "azure-storage-shared-key-disabled",
        "unknown",
        res(SA, {"allowSharedKeyAccess": U}),
        NOT_EVALUATED,
    ),
    (
        "gcp-storage-bucket-not-public",
        "enforced",
        res(GCS, {"publicAccessPrevention": "enforced", "uniformBucketLevelAccess": True}),
        [],
    ),
    (
        "gcp-storage-bucket-not-public",
        "inherited",
        res(GCS, {"publicAccessPrevention": "inherited", "uniformBucketLevelAccess": True}),
        ["publicAccessPrevention is 'inherited', not 'enforced'"],
    ),
    (
        "gcp-storage-bucket-not-public",
        "fine-grained ACLs",
        res(GCS, {"publicAccessPrevention": "enforced"}),
        ["uniformBucketLevelAccess is not true (object ACLs stay possible)"],
    ),
    (
        "gcp-storage-bucket-not-public",
        "unknown",
        res(GCS, {"publicAccessPrevention": U}),
        NOT_EVALUATED,
    ),
    (
        "gcp-storage-bucket-versioning-enabled",
        "on",
        res(GCS, {"versioning": {"enabled": True}}),
        [],
    ),
    (
        "gcp-storage-bucket-versioning-enabled",
        "off",
        res(GCS, {"versioning": {"enabled": False}}),
        ["versioning is not enabled"],
    ),
    (
        "gcp-storage-bucket-versioning-enabled",
        "unknown",
        res(GCS, {"versioning": {"enabled": U}}),
        NOT_EVALUATED,
    ),
    ("gcp-storage-bucket-access-logging", "logged", res(GCS, {"logging": {"logBucket": "l"}}), []),
    (
        "gcp-storage-bucket-access-logging",
        "not logged",
        res(GCS, {}),
        ["usage logging is off (no logging.logBucket)"],
    ),
    (
        "gcp-storage-bucket-access-logging",
        "unknown",
        res(GCS, {"logging": {"logBucket": U}}),
        NOT_EVALUATED,
    ),
    (
        "azure-storage-public-network-disabled",
        "disabled",
        res(SA, {"publicNetworkAccess": "Disabled"}),
        [],
    ),
    (
        "azure-storage-public-network-disabled",
        "enabled for listed networks only",
        res(SA, {"publicNetworkAccess": "Enabled", "networkRuleSet": {"defaultAction": "Deny"}}),
        [],
    ),
    (
        "azure-storage-public-network-disabled",
        "left at Azure's default",
        res(SA, {}),
        [
            "publicNetworkAccess is not set (Azure enables it) and networkRuleSet.defaultAction "
            "is not Deny: any network can reach the account"
        ],
    ),
    (
        "azure-storage-public-network-disabled",
        "enabled, default action allow",
        res(SA, {"publicNetworkAccess": "Enabled", "networkRuleSet": {"defaultAction": "Allow"}}),
        [
            "publicNetworkAccess is 'Enabled' and networkRuleSet.defaultAction is not Deny: "
            "any network can reach the account"
        ],
    ),
    (
        "azure-storage-public-network-disabled",
        "unknown",
        res(SA, {"publicNetworkAccess": U}),
        NOT_EVALUATED,
    ),
    (
        "gcp-storage-bucket-iam-not-public",
        "granted to a service account",
        res(GCS_IAM_MEMBER, {"member": "serviceAccount:a@p.iam.gserviceaccount.com"}),
        [],
    ),
    (
        "gcp-storage-bucket-iam-not-public",
        "member allUsers",
        res(GCS_IAM_MEMBER, {"member": "allUsers", "role": "roles/storage.objectViewer"}),
        ["allUsers holds roles/storage.objectViewer on the bucket"],
    ),
    (
        "gcp-storage-bucket-iam-not-public",
        "binding with allAuthenticatedUsers",
        res(
            GCS_IAM_BINDING,
            {"members": ["user:a@b.c", "allAuthenticatedUsers"], "role": "roles/storage.admin"},
        ),
        ["allAuthenticatedUsers holds roles/storage.admin on the bucket"],
    ),
    (
        "gcp-storage-bucket-iam-not-public",
        "policy with allUsers",
        res(GCS_IAM_POLICY, {"policyData": PUBLIC_IAM_POLICY}),
        ["allUsers holds roles/storage.objectViewer on the bucket"],
    ),
    (
        "gcp-storage-bucket-iam-not-public",
        "policy that is not JSON",
        res(GCS_IAM_POLICY, {"policyData": "not json"}),
        ["policyData is not a JSON IAM policy: who it grants cannot be read"],
    ),
    (
        "gcp-storage-bucket-iam-not-public",
        "unknown",
        res(GCS_IAM_BINDING, {"members": ["user:a@b.c", U]}),
        NOT_EVALUATED,
    ),
]

# ---- clusters ------------------------------------------------------------------------------
PRIVATE_GKE = {
    "privateClusterConfig": {"enablePrivateEndpoint": True, "enablePrivateNodes": True},
}
CLUSTERS: list[Case] = [
    (
        "aws-eks-cluster-no-public-endpoint",
        "private",
        res(EKS, {"vpcConfig": {"endpointPublicAccess": False}}),
        [],
    ),
    (
        "aws-eks-cluster-no-public-endpoint",
        "public to listed CIDRs",
        res(
            EKS, {"vpcConfig": {"endpointPublicAccess": True, "publicAccessCidrs": ["1.2.3.0/24"]}}
        ),
        [],
    ),
    (
        "aws-eks-cluster-no-public-endpoint",
        "public by default",
        res(EKS, {"vpcConfig": {}}),
        ["the public API endpoint is on and open to 0.0.0.0/0 (no publicAccessCidrs)"],
    ),
    (
        "aws-eks-cluster-no-public-endpoint",
        "open to the internet",
        res(EKS, {"vpcConfig": {"endpointPublicAccess": True, "publicAccessCidrs": ["0.0.0.0/0"]}}),
        ["the public API endpoint is open to 0.0.0.0/0"],
    ),
    (
        "aws-eks-cluster-no-public-endpoint",
        "unknown",
        res(EKS, {"vpcConfig": {"endpointPublicAccess": U}}),
        NOT_EVALUATED,
    ),
    (
        "azure-aks-cluster-no-public-endpoint",
        "private",
        res(AKS, {"apiServerAccessProfile": {"enablePrivateCluster": True}}),
        [],
    ),
    (
        "azure-aks-cluster-no-public-endpoint",
        "public, no ranges",
        res(AKS, {}),
        ["the API server is public with no authorizedIPRanges"],
    ),
    (
        "azure-aks-cluster-no-public-endpoint",
        "open to the internet",
        res(AKS, {"apiServerAccessProfile": {"authorizedIPRanges": ["0.0.0.0/0"]}}),
        ["the API server is open to 0.0.0.0/0"],
    ),
    (
        "azure-aks-cluster-no-public-endpoint",
        "unknown",
        res(AKS, {"apiServerAccessProfile": {"enablePrivateCluster": U}}),
        NOT_EVALUATED,
    ),
    ("gcp-gke-cluster-no-public-endpoint", "private", res(GKE, PRIVATE_GKE), []),
    (
        "gcp-gke-cluster-no-public-endpoint",
        "public, no networks",
        res(GKE, {}),
        ["the public endpoint has no master authorized networks"],
    ),
    (
        "gcp-gke-cluster-no-public-endpoint",
        "open to the internet",
        res(
            GKE,
            {
                "masterAuthorizedNetworksConfig": {
                    "cidrBlocks": [{"cidrBlock": "0.0.0.0/0"}],
                    "gcpPublicCidrsAccessEnabled": False,
                }
            },
        ),
        ["the public endpoint is open to 0.0.0.0/0"],
    ),
    (
        "gcp-gke-cluster-no-public-endpoint",
        "google cloud addresses",
        res(
            GKE,
            {
                "masterAuthorizedNetworksConfig": {
                    "cidrBlocks": [{"cidrBlock": "10.0.0.0/8"}],
                    "gcpPublicCidrsAccessEnabled": True,
                }
            },
        ),
        ["gcpPublicCidrsAccessEnabled lets every Google Cloud address reach the endpoint"],
    ),
    (
        # No block listed admits no external network; Google Cloud's addresses still get in.
        "gcp-gke-cluster-no-public-endpoint",
        "authorized networks with no block, google cloud addresses unset",
        res(GKE, {"masterAuthorizedNetworksConfig": {}}),
        [
            "gcpPublicCidrsAccessEnabled is not set: GKE then lets every Google Cloud address "
            "reach the endpoint"
        ],
    ),
    (
        "gcp-gke-cluster-no-public-endpoint",
        "unknown",
        res(GKE, {"privateClusterConfig": {"enablePrivateEndpoint": U}}),
        NOT_EVALUATED,
    ),
    ("platform-cluster-nodes-private", "private gke", res(GKE, PRIVATE_GKE), []),
    (
        "platform-cluster-nodes-private",
        "gke public nodes",
        res(GKE, {"privateClusterConfig": {"enablePrivateNodes": False}}),
        ["privateClusterConfig.enablePrivateNodes is not true"],
    ),
    (
        "platform-cluster-nodes-private",
        "gke pool public nodes",
        res(NP, {"networkConfig": {"enablePrivateNodes": False}}),
        ["the pool's networkConfig.enablePrivateNodes is false"],
    ),
    (
        "platform-cluster-nodes-private",
        "aks system pool public IPs",
        res(AKS, {"agentPoolProfiles": [{"name": "system", "enableNodePublicIP": True}]}),
        ["pool system gives nodes public IPs"],
    ),
    (
        "platform-cluster-nodes-private",
        "aks pool public IPs",
        res(POOL, {"enableNodePublicIP": True}),
        ["enableNodePublicIP is true"],
    ),
    (
        "platform-cluster-nodes-private",
        "launch template public IPs",
        res(LT, {"networkInterfaces": [{"associatePublicIpAddress": "true"}]}),
        ["the launch template associates public IP addresses"],
    ),
    (
        "platform-cluster-nodes-private",
        "unknown",
        res(POOL, {"enableNodePublicIP": U}),
        NOT_EVALUATED,
    ),
    (
        "aws-eks-cluster-secrets-kms-encrypted",
        "encrypted",
        res(EKS, {"encryptionConfig": {"resources": ["secrets"], "provider": {"keyArn": "k"}}}),
        [],
    ),
    (
        "aws-eks-cluster-secrets-kms-encrypted",
        "not secrets",
        res(EKS, {"encryptionConfig": {"resources": [], "provider": {"keyArn": "k"}}}),
        ["encryptionConfig does not cover secrets"],
    ),
    (
        "aws-eks-cluster-secrets-kms-encrypted",
        "no key",
        res(EKS, {"encryptionConfig": {"resources": ["secrets"]}}),
        ["encryptionConfig has no KMS key"],
    ),
    (
        "aws-eks-cluster-secrets-kms-encrypted",
        "unknown key",
        res(EKS, {"encryptionConfig": {"resources": ["secrets"], "provider": {"keyArn": U}}}),
        NOT_EVALUATED,
    ),
    (
        "gcp-gke-cluster-secrets-kms-encrypted",
        "encrypted",
        res(GKE, {"databaseEncryption": {"state": "ENCRYPTED", "keyName": "k"}}),
        [],
    ),
    (
        "gcp-gke-cluster-secrets-kms-encrypted",
        "decrypted",
        res(GKE, {"databaseEncryption": {"state": "DECRYPTED", "keyName": "k"}}),
        ["databaseEncryption.state is 'DECRYPTED', not ENCRYPTED"],
    ),
    (
        "gcp-gke-cluster-secrets-kms-encrypted",
        "no key",
        res(GKE, {"databaseEncryption": {"state": "ENCRYPTED"}}),
        ["no Cloud KMS key"],
    ),
    (
        "gcp-gke-cluster-secrets-kms-encrypted",
        "unknown",
        res(GKE, {"databaseEncryption": {"state": U}}),
        NOT_EVALUATED,
    ),
    (
        "azure-aks-cluster-secrets-kms-encrypted",
        "key vault kms",
        res(AKS, {"securityProfile": {"azureKeyVaultKms": {"enabled": True}}}),
        [],
    ),
    (
        "azure-aks-cluster-secrets-kms-encrypted",
        "platform keys",
        res(AKS, {}),
        ["secrets are encrypted with platform keys only (no Azure Key Vault KMS)"],
    ),
    (
        "azure-aks-cluster-secrets-kms-encrypted",
        "unknown",
        res(AKS, {"securityProfile": {"azureKeyVaultKms": {"enabled": U}}}),
        NOT_EVALUATED,
    ),
    (
        "platform-cluster-workload-identity",
        "aks on",
        res(
            AKS,
            {
                "oidcIssuerProfile": {"enabled": True},
                "securityProfile": {"workloadIdentity": {"enabled": True}},
            },
        ),
        [],
    ),
    (
        "platform-cluster-workload-identity",
        "aks off",
        res(AKS, {}),
        ["the OIDC issuer is off", "workload identity is off"],
    ),
    (
        "platform-cluster-workload-identity",
        "gke no pool",
        res(GKE, {}),
        ["workloadIdentityConfig.workloadPool is not set"],
    ),
    (
        "platform-cluster-workload-identity",
        "gke node metadata exposed",
        res(NP, {"nodeConfig": {"workloadMetadataConfig": {"mode": "GCE_METADATA"}}}),
        ["nodeConfig.workloadMetadataConfig.mode is 'GCE_METADATA', not GKE_METADATA"],
    ),
    (
        "platform-cluster-workload-identity",
        "unknown",
        res(GKE, {"workloadIdentityConfig": {"workloadPool": U}}),
        NOT_EVALUATED,
    ),
    (
        "aws-eks-cluster-workload-identity",
        "irsa",
        [res(EKS, {}), res(OIDC, {"url": "https://oidc"})],
        [],
    ),
    (
        "aws-eks-cluster-workload-identity",
        "pod identity",
        [res(EKS, {}), res(ADDON, {"addonName": "eks-pod-identity-agent"})],
        [],
    ),
    (
        "aws-eks-cluster-workload-identity",
        "neither",
        [res(EKS, {}), res(ADDON, {"addonName": "vpc-cni"})],
        ["no IAM OIDC provider (IRSA) or EKS Pod Identity agent"],
    ),
    (
        "aws-eks-cluster-workload-identity",
        "unknown addon name",
        [res(EKS, {}), res(ADDON, {"addonName": U})],
        NOT_EVALUATED,
    ),
    (
        "aws-eks-cluster-control-plane-logs",
        "all three",
        res(EKS, {"enabledClusterLogTypes": ["api", "audit", "authenticator"]}),
        [],
    ),
    (
        "aws-eks-cluster-control-plane-logs",
        "audit only",
        res(EKS, {"enabledClusterLogTypes": ["audit"]}),
        ["control-plane log types api, authenticator are off"],
    ),
    (
        "aws-eks-cluster-control-plane-logs",
        "unknown",
        res(EKS, {"enabledClusterLogTypes": U}),
        NOT_EVALUATED,
    ),
]

aks = res(AKS, {}, name="aks")


def _diag(categories: list[str], value: Any = True) -> Resource:
    logs = [{"category": c, "enabled": value} for c in categories]
    return res(DIAG, {"logs": logs}, name="diag", deps={"resourceUri": [aks]})


CLUSTERS += [
    (
        "azure-aks-cluster-control-plane-logs",
        "api server and audit",
        [aks, _diag(["kube-apiserver", "kube-audit-admin", "guard"])],
        [],
    ),
    (
        "azure-aks-cluster-control-plane-logs",
        "all logs group",
        [
            aks,
            res(
                DIAG,
                {"logs": [{"categoryGroup": "allLogs", "enabled": True}]},
                name="d",
                deps={"resourceUri": [aks]},
            ),
        ],
        [],
    ),
    (
        "azure-aks-cluster-control-plane-logs",
        "no setting",
        [aks],
        ["no diagnostic setting sends kube-apiserver, kube-audit-admin logs"],
    ),
    (
        "azure-aks-cluster-control-plane-logs",
        "audit missing",
        [aks, _diag(["kube-apiserver"])],
        ["no diagnostic setting sends kube-audit-admin logs"],
    ),
    (
        "azure-aks-cluster-control-plane-logs",
        "unknown enabled",
        [aks, _diag(["kube-apiserver", "kube-audit-admin"], U)],
        NOT_EVALUATED,
    ),
    (
        "gcp-gke-cluster-logging",
        "system components",
        res(GKE, {"loggingConfig": {"enableComponents": ["SYSTEM_COMPONENTS", "WORKLOADS"]}}),
        [],
    ),
    (
        "gcp-gke-cluster-logging",
        "workloads only",
        res(GKE, {"loggingConfig": {"enableComponents": ["WORKLOADS"]}}),
        ["Cloud Logging of system components is off"],
    ),
    (
        "gcp-gke-cluster-logging",
        "logging service none",
        res(GKE, {"loggingService": "none"}),
        ["Cloud Logging of system components is off"],
    ),
    ("gcp-gke-cluster-logging", "default logging", res(GKE, {}), []),
    ("gcp-gke-cluster-logging", "unknown", res(GKE, {"loggingService": U}), NOT_EVALUATED),
    (
        "platform-cluster-automatic-upgrades",
        "aks channel",
        res(AKS, {"autoUpgradeProfile": {"upgradeChannel": "stable"}}),
        [],
    ),
    (
        "platform-cluster-automatic-upgrades",
        "aks none",
        res(AKS, {}),
        ["autoUpgradeProfile.upgradeChannel is none"],
    ),
    ("platform-cluster-automatic-upgrades", "gke no channel", res(GKE, {}), ["no release channel"]),
    (
        "platform-cluster-automatic-upgrades",
        "gke pool pinned",
        res(NP, {"management": {"autoUpgrade": False}}),
        ["management.autoUpgrade is false"],
    ),
    (
        "platform-cluster-automatic-upgrades",
        "unknown",
        res(GKE, {"releaseChannel": {"channel": U}}),
        NOT_EVALUATED,
    ),
    (
        "gcp-gke-shielded-nodes-secure-boot",
        "shielded",
        res(NP, {"nodeConfig": {"shieldedInstanceConfig": {"enableSecureBoot": True}}}),
        [],
    ),
    (
        "gcp-gke-shielded-nodes-secure-boot",
        "cluster not shielded",
        res(GKE, {"enableShieldedNodes": False}),
        ["enableShieldedNodes is false"],
    ),
    (
        "gcp-gke-shielded-nodes-secure-boot",
        "no secure boot",
        res(NP, {"nodeConfig": {}}),
        ["nodeConfig.shieldedInstanceConfig.enableSecureBoot is not true"],
    ),
    (
        "gcp-gke-shielded-nodes-secure-boot",
        "unknown",
        res(GKE, {"enableShieldedNodes": U}),
        NOT_EVALUATED,
    ),
    (
        "azure-aks-entra-rbac-no-local-accounts",
        "entra only",
        res(
            AKS,
            {
                "disableLocalAccounts": True,
                "aadProfile": {"managed": True, "enableAzureRBAC": True},
            },
        ),
        [],
    ),
    (
        "azure-aks-entra-rbac-no-local-accounts",
        "local accounts",
        res(
            AKS,
            {
                "disableLocalAccounts": False,
                "aadProfile": {"managed": True, "enableAzureRBAC": True},
            },
        ),
        ["local accounts are enabled"],
    ),
    (
        "azure-aks-entra-rbac-no-local-accounts",
        "no entra",
        res(AKS, {"disableLocalAccounts": True}),
        ["Entra ID integration is off", "Azure RBAC for Kubernetes is off"],
    ),
    (
        "azure-aks-entra-rbac-no-local-accounts",
        "unknown",
        res(AKS, {"disableLocalAccounts": U}),
        NOT_EVALUATED,
    ),
    (
        "gcp-gke-nodes-not-default-service-account",
        "dedicated",
        res(NP, {"nodeConfig": {"serviceAccount": "nodes@p.iam.gserviceaccount.com"}}),
        [],
    ),
    (
        "gcp-gke-nodes-not-default-service-account",
        "autopilot",
        res(GKE, {"enableAutopilot": True}),
        [],
    ),
    (
        "gcp-gke-nodes-not-default-service-account",
        "separate pools only",
        res(GKE, {"removeDefaultNodePool": True}),
        [],
    ),
    (
        "gcp-gke-nodes-not-default-service-account",
        "unset",
        res(GKE, {}),
        ["nodes run as the Compute Engine default service account"],
    ),
    (
        "gcp-gke-nodes-not-default-service-account",
        "default compute",
        res(NP, {"nodeConfig": {"serviceAccount": "123-compute@developer.gserviceaccount.com"}}),
        ["nodes run as the Compute Engine default service account"],
    ),
    (
        "gcp-gke-nodes-not-default-service-account",
        "unknown",
        res(NP, {"nodeConfig": {"serviceAccount": U}}),
        NOT_EVALUATED,
    ),
    (
        "platform-cluster-network-policy",
        "dataplane v2",
        res(GKE, {"datapathProvider": "ADVANCED_DATAPATH"}),
        [],
    ),
    (
        "platform-cluster-network-policy",
        "gke none",
        res(GKE, {"datapathProvider": "LEGACY_DATAPATH"}),
        ["no network policy enforcement (Dataplane V2 or networkPolicy)"],
    ),
    ("platform-cluster-network-policy", "aks none", res(AKS, {}), ["no network policy engine"]),
    (
        "platform-cluster-network-policy",
        "vpc cni without policies",
        res(ADDON, {"addonName": "vpc-cni"}),
        ["the VPC CNI does not enforce network policies (enableNetworkPolicy)"],
    ),
    (
        "platform-cluster-network-policy",
        "vpc cni enforcing",
        res(
            ADDON,
            {"addonName": "vpc-cni", "configurationValues": '{"enableNetworkPolicy": "true"}'},
        ),
        [],
    ),
    (
        "platform-cluster-network-policy",
        "unknown",
        res(AKS, {"networkProfile": {"networkPolicy": U}}),
        NOT_EVALUATED,
    ),
]

# ---- GPU -----------------------------------------------------------------------------------
TAINT = {"key": "nvidia.com/gpu", "value": "present", "effect": "NO_SCHEDULE"}


def eks_pool(name: str = "gpu", tags: dict[str, Any] = TAGS, **changes: Any) -> Resource:
    props: dict[str, Any] = {
        "amiType": "AL2023_x86_64_NVIDIA",
        "instanceTypes": ["g4dn.12xlarge"],
        "scalingConfig": {"minSize": 0, "maxSize": 2, "desiredSize": 0},
        "capacityType": "ON_DEMAND",
        "taints": [TAINT],
        "tags": tags,
    }
    props.update(changes)
    return res(NG, props, name=name)


def aks_pool(tags: dict[str, Any] = TAGS, **changes: Any) -> Resource:
    props: dict[str, Any] = {
        "vmSize": "Standard_NC4as_T4_v3",
        "enableAutoScaling": True,
        "minCount": 0,
        "maxCount": 3,
        "scaleSetPriority": "Regular",
        "nodeTaints": ["nvidia.com/gpu=present:NoSchedule"],
        "gpuProfile": {"driver": "Install"},
        "tags": tags,
    }
    props.update(changes)
    return res(POOL, props, name="aks-gpu")


def gke_pool(tags: dict[str, Any] = TAGS, **node: Any) -> Resource:
    config: dict[str, Any] = {
        "machineType": "a3-highgpu-8g",
        "guestAccelerators": [{"type": "nvidia-h100-80gb", "count": 8}],
        "taints": [TAINT],
        "spot": False,
        "resourceLabels": tags,
    }
    config.update(node)
    return res(
        NP,
        {"autoscaling": {"totalMinNodeCount": 0, "totalMaxNodeCount": 1}, "nodeConfig": config},
        name="gke-gpu",
    )


GKE_DEV_POOL = {
    "nodeConfig": {"machineType": "a2-highgpu-1g", "taints": [TAINT], "resourceLabels": DEV}
}
"""A dev GKE pool of an accelerator-optimized shape (its GPU comes with no guestAccelerators)."""
SYSTEM_POOL = res(
    NG,
    {"amiType": "AL2023_x86_64_STANDARD", "instanceTypes": ["m6i.large"], "tags": TAGS},
    name="system",
)
GPU: list[Case] = [
    ("platform-gpu-pool-tainted", "tainted", [eks_pool(), aks_pool(), gke_pool()], []),
    ("platform-gpu-pool-tainted", "cpu pool untainted", SYSTEM_POOL, []),
    (
        "platform-gpu-pool-tainted",
        "eks untainted",
        eks_pool(taints=[]),
        ["the GPU pool has no nvidia.com/gpu NoSchedule taint: any pod may land on it"],
    ),
    (
        "platform-gpu-pool-tainted",
        "aks prefer-no-schedule",
        aks_pool(nodeTaints=["nvidia.com/gpu=present:PreferNoSchedule"]),
        ["the GPU pool has no nvidia.com/gpu NoSchedule taint: any pod may land on it"],
    ),
    (
        "platform-gpu-pool-tainted",
        "gpu family outside the catalog",
        eks_pool(amiType="AL2_x86_64_GPU", instanceTypes=["p3.8xlarge"], taints=[]),
        ["the GPU pool has no nvidia.com/gpu NoSchedule taint: any pod may land on it"],
    ),
    ("platform-gpu-pool-tainted", "unknown", eks_pool(taints=U), NOT_EVALUATED),
    ("platform-gpu-pool-scales-to-zero-outside-prod", "dev at zero", eks_pool(tags=DEV), []),
    (
        "platform-gpu-pool-scales-to-zero-outside-prod",
        "prod keeps nodes",
        aks_pool(minCount=1),
        [],
    ),
    (
        "platform-gpu-pool-scales-to-zero-outside-prod",
        "dev keeps nodes",
        aks_pool(tags=DEV, minCount=1),
        ["the GPU pool keeps 1 node(s) outside production; set minNodes: 0"],
    ),
    (
        "platform-gpu-pool-scales-to-zero-outside-prod",
        "unknown minimum",
        eks_pool(tags=DEV, scalingConfig={"minSize": U, "maxSize": 2}),
        NOT_EVALUATED,
    ),
    (
        "platform-gpu-pool-scales-to-zero-outside-prod",
        "unknown gke autoscaling count",
        res(NP, {**GKE_DEV_POOL, "autoscaling": {"totalMinNodeCount": U}}),
        NOT_EVALUATED,
    ),
    (
        # The cost module's node counting raises its own UnknownInput on the plan's spelling of
        # an unknown value: the rule must still stop as not evaluated, not crash.
        "platform-gpu-pool-scales-to-zero-outside-prod",
        "unknown gke autoscaling count, as the plan spells it",
        res(NP, {**GKE_DEV_POOL, "autoscaling": {"totalMinNodeCount": "[unknown]"}}),
        NOT_EVALUATED,
    ),
    (
        "platform-gpu-spot-only-outside-prod",
        "dev spot",
        eks_pool(tags=DEV, capacityType="SPOT"),
        [],
    ),
    (
        "platform-gpu-spot-only-outside-prod",
        "prod spot",
        gke_pool(spot=True),
        ["the production GPU pool runs on spot capacity, which can be reclaimed at any time"],
    ),
    (
        "platform-gpu-spot-only-outside-prod",
        "prod spot (aks)",
        aks_pool(scaleSetPriority="Spot"),
        ["the production GPU pool runs on spot capacity, which can be reclaimed at any time"],
    ),
    ("platform-gpu-spot-only-outside-prod", "unknown", gke_pool(spot=U), NOT_EVALUATED),
    ("platform-gpu-instance-type-allowed", "catalog shape", gke_pool(), []),
    (
        "platform-gpu-instance-type-allowed",
        "shape outside the catalog",
        aks_pool(vmSize="Standard_NV6"),
        ["Standard_NV6 is not an allowed GPU node shape"],
    ),
    ("platform-gpu-instance-type-allowed", "unknown", aks_pool(vmSize=U), NOT_EVALUATED),
    # g4dn.12xlarge: 4 GPUs x 2 nodes; a3-highgpu-8g: 8 GPUs x 1 node.
    ("platform-gpu-total-under-cap", "no cap", [eks_pool(), gke_pool()], []),
]
GPU_CONFIG: dict[tuple[str, str], dict[str, Any]] = {
    ("platform-gpu-total-under-cap", "at the cap"): {"maxGpus": 16},
    ("platform-gpu-total-under-cap", "over the cap"): {"maxGpus": 15},
    ("platform-gpu-total-under-cap", "unknown maximum"): {"maxGpus": 15},
    ("platform-gpu-total-under-cap", "regional pool counted per zone"): {"maxGpus": 15},
    ("platform-gpu-total-under-cap", "fixed-size pool"): {"maxGpus": 15},
    ("platform-gpu-total-under-cap", "shape outside the catalog"): {"maxGpus": 100},
    ("platform-gpu-instance-type-allowed", "listed by config"): {
        "allowedInstanceTypes": ["Standard_NV6"]
    },
    ("platform-gpu-spot-only-outside-prod", "allowed by config"): {"allowInProd": True},
    # The left-out cases of tests/policy/absent/gpu.py ("<path> left out of <type>").
    **{
        ("platform-gpu-total-under-cap", f"{path} left out of {type_}"): {"maxGpus": cap}
        for type_, path, cap in (
            (NP, "nodeLocations", 15),
            (NP, "location", 15),
            (NP, "autoscaling", 15),
            (NP, "nodeCount", 7),
            (NP, "nodeConfig.guestAccelerators", 15),
            (POOL, "count", 3),
            (POOL, "enableAutoScaling", 7),
            (NG, "instanceTypes", 7),
        )
    },
}
GPU += [
    ("platform-gpu-total-under-cap", "at the cap", [eks_pool(), gke_pool()], []),
    (
        "platform-gpu-total-under-cap",
        "over the cap",
        [eks_pool(), gke_pool()],
        ["GPU pools reach 16 GPUs at their maximum size, over the cap of 15"],
    ),
    (
        "platform-gpu-total-under-cap",
        "regional pool counted per zone",
        [
            res(
                NP,
                {
                    "nodeLocations": ["a", "b", "c"],
                    "autoscaling": {"minNodeCount": 0, "maxNodeCount": 1},
                    "nodeConfig": {
                        "machineType": "a3-highgpu-8g",
                        "guestAccelerators": [{"count": 8}],
                    },
                },
            )
        ],
        ["GPU pools reach 24 GPUs at their maximum size, over the cap of 15"],
    ),
    (
        "platform-gpu-total-under-cap",
        "fixed-size pool",
        [
            res(
                NP,
                {
                    "location": "us-central1-a",
                    "nodeCount": 2,
                    "nodeConfig": {
                        "machineType": "a3-highgpu-8g",
                        "guestAccelerators": [{"count": 8}],
                    },
                },
            )
        ],
        ["GPU pools reach 16 GPUs at their maximum size, over the cap of 15"],
    ),
    (
        "platform-gpu-total-under-cap",
        "shape outside the catalog",
        [eks_pool(instanceTypes=["g9.huge"])],
        ["the pool's node shape is not in the catalog: its GPUs cannot be counted"],
    ),
    (
        "platform-gpu-total-under-cap",
        "unknown maximum",
        [eks_pool(scalingConfig={"minSize": 0, "maxSize": U})],
        NOT_EVALUATED,
    ),
    (
        "platform-gpu-instance-type-allowed",
        "listed by config",
        aks_pool(vmSize="Standard_NV6"),
        [],
    ),
    ("platform-gpu-spot-only-outside-prod", "allowed by config", gke_pool(spot=True), []),
    (
        # A per-resource rule cannot read the launch template: its shape is not on the list.
        "platform-gpu-instance-type-allowed",
        "instance type in a launch template",
        eks_pool(instanceTypes=[], launchTemplate={"id": "lt-1", "version": "1"}),
        ["the launch template's instance type is not an allowed GPU node shape"],
    ),
]

# ---- GPU queues (Kueue) --------------------------------------------------------------------
FLAVOR = "kubernetes:kueue.x-k8s.io/v1beta2:ResourceFlavor"
CLUSTER_QUEUE = "kubernetes:kueue.x-k8s.io/v1beta2:ClusterQueue"
COHORT = "kubernetes:kueue.x-k8s.io/v1beta2:Cohort"
POOL_KEY = "mlplatform.io/pool"
SELECTS = "platform-gpu-queue-flavors-select-pools"
QUOTAS = "platform-gpu-queue-quota-under-cap"
ANY_GPU_NODE = "it would admit work onto any GPU node"


def flavor(name: str, node_labels: Any) -> Resource:
    return res(FLAVOR, {"metadata": {"name": name}, "spec": {"nodeLabels": node_labels}}, name)


def quota_groups(quotas: dict[str, Any], resource: str = "nvidia.com/gpu") -> list[Any]:
    """One resource group covering `resource`, a nominal quota per flavor."""
    flavors = [
        {"name": name, "resources": [{"name": resource, "nominalQuota": quota}]}
        for name, quota in quotas.items()
    ]
    return [{"coveredResources": [resource], "flavors": flavors}]


def cluster_queue(name: str, quotas: dict[str, Any], groups: Any = None) -> Resource:
    spec = {"cohortName": "gpus", "resourceGroups": groups or quota_groups(quotas)}
    return res(CLUSTER_QUEUE, {"metadata": {"name": name}, "spec": spec}, f"team-{name}")


def cohort(quotas: dict[str, Any]) -> Resource:
    groups = quota_groups(quotas) if quotas else []
    return res(COHORT, {"metadata": {"name": "gpus"}, "spec": {"resourceGroups": groups}}, "cohort")


# eks_pool(): 2 x g4dn.12xlarge (4 GPUs); gke_pool(): 1 x a3-highgpu-8g (8 GPUs).
EKS_GPU = eks_pool(labels={POOL_KEY: "t4", "nvidia.com/gpu.present": "true"})
GKE_GPU = gke_pool(labels={POOL_KEY: "h100"})
LABELLED_SYSTEM_POOL = res(
    NG,
    {
        "amiType": "AL2023_x86_64_STANDARD",
        "instanceTypes": ["m6i.large"],
        "labels": {POOL_KEY: "system"},
    },
    name="system",
)
TEAM_QUEUES = [
    cluster_queue("training", {"t4": "8", "h100": "0"}),
    cluster_queue("inference", {"t4": "0", "h100": "4"}),
    cohort({"h100": "4"}),
]
QUEUED_STACK = [
    EKS_GPU,
    GKE_GPU,
    flavor("t4", {POOL_KEY: "t4"}),
    flavor("h100", {POOL_KEY: "h100"}),
]
QUEUES: list[Case] = [
    (SELECTS, "every flavor on a planned pool", [*QUEUED_STACK, *TEAM_QUEUES], []),
    (
        SELECTS,
        "aks pool's nodeLabels",
        [aks_pool(nodeLabels={POOL_KEY: "a100"}), flavor("a100", {POOL_KEY: "a100"})],
        [],
    ),
    (
        # The kubernetes target: no pool in the plan, the cluster's own GPU nodes.
        SELECTS,
        "existing cluster's GPU nodes",
        [
            flavor("gpu", {"nvidia.com/gpu.present": "true"}),
            cluster_queue("research", {"gpu": "1"}),
        ],
        [],
    ),
    (
        SELECTS,
        "flavor on a pool the stack does not plan",
        [*QUEUED_STACK, flavor("a100", {POOL_KEY: "a100", "mlplatform.io/gpu": "A100-80GB"})],
        [
            "ResourceFlavor a100 selects pool 'a100' (spec.nodeLabels[\"mlplatform.io/pool\"]), "
            "but no GPU pool of the stack carries that label (its GPU pools: h100, t4)"
        ],
    ),
    (
        SELECTS,
        "flavor on the system pool",
        [LABELLED_SYSTEM_POOL, flavor("system", {POOL_KEY: "system"})],
        [
            "ResourceFlavor system selects pool 'system' "
            '(spec.nodeLabels["mlplatform.io/pool"]), but no GPU pool of the stack carries that '
            "label (the stack plans no GPU pool)"
        ],
    ),
    (
        SELECTS,
        "flavor on any GPU node beside planned pools",
        [*QUEUED_STACK, flavor("gpu", {"nvidia.com/gpu.present": "true"})],
        [
            'ResourceFlavor gpu selects no GPU pool (no "mlplatform.io/pool" in spec.nodeLabels) '
            f"while the stack plans GPU pools (h100, t4): {ANY_GPU_NODE}"
        ],
    ),
    (
        SELECTS,
        "flavor with no node labels beside planned pools",
        [*QUEUED_STACK, res(FLAVOR, {"metadata": {"name": "bare"}, "spec": {}}, "bare")],
        [
            'ResourceFlavor bare selects no GPU pool (no "mlplatform.io/pool" in spec.nodeLabels) '
            f"while the stack plans GPU pools (h100, t4): {ANY_GPU_NODE}"
        ],
    ),
    (
        SELECTS,
        "queue and cohort name a flavor of no ResourceFlavor",
        [*QUEUED_STACK, cluster_queue("training", {"t4": "8", "l4": "2"}), cohort({"a10": "1"})],
        [
            "ClusterQueue training names flavor 'l4' (spec.resourceGroups[0].flavors[1].name), "
            "which no ResourceFlavor of the stack defines (its ResourceFlavors: h100, t4); "
            "Kueue keeps the queue inactive (FlavorNotFound)",
            "Cohort gpus names flavor 'a10' (spec.resourceGroups[0].flavors[0].name), "
            "which no ResourceFlavor of the stack defines (its ResourceFlavors: h100, t4); "
            "no workload can be admitted on it",
        ],
    ),
    (SELECTS, "unknown node labels", [*QUEUED_STACK, flavor("l4", U)], NOT_EVALUATED),
    (
        SELECTS,
        "unknown pool label",
        [*QUEUED_STACK, flavor("l4", {POOL_KEY: U})],
        NOT_EVALUATED,
    ),
    (
        SELECTS,
        "unknown labels of a pool",
        [eks_pool(labels=U), flavor("t4", {POOL_KEY: "t4"})],
        NOT_EVALUATED,
    ),
    (
        SELECTS,
        "unknown flavor name in a queue",
        [*QUEUED_STACK, cluster_queue("training", {"t4": "8"}, quota_groups({U: "8"}))],
        NOT_EVALUATED,
    ),
    (QUOTAS, "no cap", [*QUEUED_STACK, *TEAM_QUEUES], []),
    (QUOTAS, "at the cap", [*QUEUED_STACK, *TEAM_QUEUES], []),
    (
        QUOTAS,
        "over the cap",
        [*QUEUED_STACK, *TEAM_QUEUES],
        [
            "Kueue quotas of nvidia.com/gpu (every ClusterQueue's nominalQuota and the Cohort's "
            "own) come to 16 GPUs (h100 8, t4 8), over the cap of 15"
        ],
    ),
    (
        # 1e1 + 0.006k + 8 = 24: every whole Kubernetes quantity counts, whatever its spelling.
        QUOTAS,
        "whole quantities in other spellings",
        [
            *QUEUED_STACK,
            cluster_queue("training", {"t4": "1e1", "h100": "0.006k"}),
            cohort({"t4": 8}),
        ],
        [
            "Kueue quotas of nvidia.com/gpu (every ClusterQueue's nominalQuota and the Cohort's "
            "own) come to 24 GPUs (h100 6, t4 18), over the cap of 23"
        ],
    ),
    (
        QUOTAS,
        "other resources are not GPUs",
        [
            *QUEUED_STACK,
            cluster_queue("training", {}, quota_groups({"t4": "64"}, "cpu")),
            cluster_queue("inference", {"t4": "8"}),
        ],
        [],
    ),
    (
        QUOTAS,
        "fractional GPUs",
        [*QUEUED_STACK, cluster_queue("training", {"t4": "500m", "h100": "1.5"})],
        [
            "ClusterQueue training: nominalQuota '500m' of nvidia.com/gpu on flavor t4 is not a "
            "whole number of GPUs (0.5); a GPU quota counts whole devices: use an integer such "
            'as "1"',
            "ClusterQueue training: nominalQuota '1.5' of nvidia.com/gpu on flavor h100 is not a "
            "whole number of GPUs (1.5); a GPU quota counts whole devices: use an integer such "
            'as "1"',
        ],
    ),
    (
        QUOTAS,
        "not a quantity",
        [*QUEUED_STACK, cohort({"t4": "eight"})],
        [
            "Cohort gpus: nominalQuota 'eight' of nvidia.com/gpu on flavor t4 is not a Kubernetes "
            'quantity; use an integer such as "1"'
        ],
    ),
    (
        QUOTAS,
        "negative quota",
        [*QUEUED_STACK, cluster_queue("training", {"t4": "-2", "h100": -1})],
        [
            "ClusterQueue training: nominalQuota '-2' of nvidia.com/gpu on flavor t4 is negative; "
            'Kueue refuses a negative quota: use an integer such as "1"',
            "ClusterQueue training: nominalQuota -1 of nvidia.com/gpu on flavor h100 is negative; "
            'Kueue refuses a negative quota: use an integer such as "1"',
        ],
    ),
    (
        # Time-slicing: the pool advertises 4 nvidia.com/gpu per GPU; its 8 GPUs bound the quota.
        QUOTAS,
        "pool sharing its GPUs",
        [
            eks_pool(labels={POOL_KEY: "t4", "nvidia.com/device-plugin.config": "t4"}),
            flavor("t4", {POOL_KEY: "t4"}),
            cluster_queue("training", {"t4": "12"}),
            cohort({"t4": "20"}),
        ],
        [
            "Kueue quotas of nvidia.com/gpu (every ClusterQueue's nominalQuota and the Cohort's "
            "own) come to 8 GPUs (t4 8: 32 nvidia.com/gpu on a pool sharing its 8 GPUs), over "
            "the cap of 7"
        ],
    ),
    (
        QUOTAS,
        "unknown quota",
        [*QUEUED_STACK, cluster_queue("training", {"t4": U})],
        NOT_EVALUATED,
    ),
    (
        QUOTAS,
        "unknown resource groups",
        [*QUEUED_STACK, cluster_queue("training", {}, U)],
        NOT_EVALUATED,
    ),
]
QUEUES_CONFIG: dict[tuple[str, str], dict[str, Any]] = {
    (QUOTAS, "at the cap"): {"maxGpus": 16},
    (QUOTAS, "over the cap"): {"maxGpus": 15},
    (QUOTAS, "whole quantities in other spellings"): {"maxGpus": 23},
    (QUOTAS, "other resources are not GPUs"): {"maxGpus": 8},
    (QUOTAS, "fractional GPUs"): {"maxGpus": 100},
    (QUOTAS, "not a quantity"): {"maxGpus": 100},
    (QUOTAS, "negative quota"): {"maxGpus": 100},
    (QUOTAS, "pool sharing its GPUs"): {"maxGpus": 7},
    (QUOTAS, "unknown quota"): {"maxGpus": 100},
    (QUOTAS, "unknown resource groups"): {"maxGpus": 100},
    # The left-out cases of tests/policy/absent/queues.py ("<path> left out of <type>").
    (QUOTAS, f"spec.resourceGroups left out of {CLUSTER_QUEUE}"): {"maxGpus": 8},
    (QUOTAS, f"spec.resourceGroups left out of {COHORT}"): {"maxGpus": 8},
}

# ---- registries ----------------------------------------------------------------------------
ecr = res(ECR, {"tags": TAGS}, name="ecr")
PUBLIC_POLICY = '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "ecr:*"}]}'
REGISTRIES: list[Case] = [
    (
        "platform-registry-no-public-pull",
        "private acr",
        res(ACR, {"anonymousPullEnabled": False}),
        [],
    ),
    (
        "platform-registry-no-public-pull",
        "anonymous acr",
        res(ACR, {"anonymousPullEnabled": True}),
        ["anonymousPullEnabled is true"],
    ),
    (
        "platform-registry-no-public-pull",
        "ecr policy for everyone",
        res(ECR_POLICY, {"policy": PUBLIC_POLICY}),
        ["the repository policy allows any principal (*)"],
    ),
    (
        "platform-registry-no-public-pull",
        "one statement, principal list",
        res(
            ECR_POLICY,
            {"policy": '{"Statement": {"Effect": "Allow", "Principal": {"AWS": ["arn:a", "*"]}}}'},
        ),
        ["the repository policy allows any principal (*)"],
    ),
    (
        "platform-registry-no-public-pull",
        "ecr policy for an account",
        res(
            ECR_POLICY,
            {"policy": '{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:a"}}]}'},
        ),
        [],
    ),
    (
        "platform-registry-no-public-pull",
        "artifact registry for allUsers",
        res(GAR_IAM, {"member": "allUsers", "role": "roles/artifactregistry.reader"}),
        ["the repository is readable by allUsers / allAuthenticatedUsers"],
    ),
    (
        "platform-registry-no-public-pull",
        "artifact registry policy for allUsers",
        res(GAR_IAM_POLICY, {"policyData": PUBLIC_IAM_POLICY}),
        ["the repository is readable by allUsers / allAuthenticatedUsers"],
    ),
    (
        "platform-registry-no-public-pull",
        "artifact registry policy for a service account",
        res(
            GAR_IAM_POLICY,
            {"policyData": '{"bindings": [{"role": "r", "members": ["serviceAccount:a"]}]}'},
        ),
        [],
    ),
    ("platform-registry-no-public-pull", "unknown", res(GAR_IAM, {"member": U}), NOT_EVALUATED),
    (
        "aws-ecr-scan-on-push",
        "scans",
        res(ECR, {"imageScanningConfiguration": {"scanOnPush": True}}),
        [],
    ),
    (
        "aws-ecr-scan-on-push",
        "no scan",
        res(ECR, {}),
        ["imageScanningConfiguration.scanOnPush is not true"],
    ),
    (
        "aws-ecr-scan-on-push",
        "unknown",
        res(ECR, {"imageScanningConfiguration": {"scanOnPush": U}}),
        NOT_EVALUATED,
    ),
    (
        "platform-registry-immutable-tags",
        "dev immutable",
        res(GAR, {"dockerConfig": {"immutableTags": True}, "labels": DEV}),
        [],
    ),
    (
        "platform-registry-immutable-tags",
        "dev mutable",
        res(ECR, {"imageTagMutability": "MUTABLE", "tags": DEV}),
        ["imageTagMutability is MUTABLE: a pushed tag can be overwritten"],
    ),
    (
        "platform-registry-immutable-tags",
        "prod is the other rule's",
        res(ECR, {"imageTagMutability": "MUTABLE", "tags": TAGS}),
        [],
    ),
    (
        "platform-registry-immutable-tags",
        "unknown",
        res(ECR, {"imageTagMutability": U, "tags": DEV}),
        NOT_EVALUATED,
    ),
    (
        "platform-registry-immutable-tags-prod",
        "prod immutable",
        res(ECR, {"imageTagMutability": "IMMUTABLE", "tags": TAGS}),
        [],
    ),
    (
        "platform-registry-immutable-tags-prod",
        "prod mutable",
        res(GAR, {"format": "DOCKER", "labels": TAGS}),
        ["dockerConfig.immutableTags is not true: a production tag can be overwritten"],
    ),
    (
        "platform-registry-immutable-tags-prod",
        "python packages have no tags",
        res(GAR, {"format": "PYTHON", "labels": TAGS}),
        [],
    ),
    (
        "platform-registry-immutable-tags-prod",
        "unknown",
        res(GAR, {"format": "DOCKER", "dockerConfig": {"immutableTags": U}, "labels": TAGS}),
        NOT_EVALUATED,
    ),
    ("azure-acr-admin-user-disabled", "disabled", res(ACR, {"adminUserEnabled": False}), []),
    (
        "azure-acr-admin-user-disabled",
        "not disabled",
        res(ACR, {}),
        ["the admin user (a shared static password) is not disabled"],
    ),
    ("azure-acr-admin-user-disabled", "unknown", res(ACR, {"adminUserEnabled": U}), NOT_EVALUATED),
    (
        "azure-acr-public-network-disabled",
        "private",
        res(ACR, {"publicNetworkAccess": "Disabled"}),
        [],
    ),
    (
        "azure-acr-public-network-disabled",
        "public",
        res(ACR, {"publicNetworkAccess": "Enabled"}),
        ["publicNetworkAccess is not Disabled"],
    ),
    (
        "azure-acr-public-network-disabled",
        "unknown",
        res(ACR, {"publicNetworkAccess": U}),
        NOT_EVALUATED,
    ),
    (
        "platform-registry-customer-managed-key",
        "ecr kms",
        res(ECR, {"encryptionConfigurations": [{"encryptionType": "KMS", "kmsKey": "k"}]}),
        [],
    ),
    (
        "platform-registry-customer-managed-key",
        "ecr aes",
        res(ECR, {"encryptionConfigurations": [{"encryptionType": "AES256"}]}),
        ["images are encrypted with an AWS-owned key, not a KMS key you manage"],
    ),
    (
        "platform-registry-customer-managed-key",
        "acr platform key",
        res(ACR, {}),
        ["images are encrypted with a Microsoft-managed key"],
    ),
    (
        "platform-registry-customer-managed-key",
        "gar google key",
        res(GAR, {}),
        ["images are encrypted with a Google-managed key"],
    ),
    (
        "platform-registry-customer-managed-key",
        "unknown",
        res(GAR, {"kmsKeyName": U}),
        NOT_EVALUATED,
    ),
    (
        "platform-registry-cleanup-policy",
        "all clean up",
        [
            ecr,
            res(ECR_LIFE, {"policy": "{}"}, name="life", deps={"repository": [ecr]}),
            res(ACR, {"policies": {"retentionPolicy": {"status": "enabled", "days": 14}}}),
            res(GAR, {"cleanupPolicies": [{"id": "delete-untagged"}]}),
        ],
        [],
    ),
    (
        "platform-registry-cleanup-policy",
        "ecr keeps everything",
        [ecr],
        ["no lifecycle policy expires old images"],
    ),
    (
        "platform-registry-cleanup-policy",
        "acr keeps untagged",
        [res(ACR, {})],
        ["untagged manifests are kept for ever (retention policy off)"],
    ),
    (
        "platform-registry-cleanup-policy",
        "gar keeps everything",
        [res(GAR, {})],
        ["no cleanup policy deletes old images"],
    ),
    (
        "platform-registry-cleanup-policy",
        "gar policies in dry run",
        [res(GAR, {"cleanupPolicies": [{"id": "delete-untagged"}], "cleanupPolicyDryRun": True})],
        ["cleanupPolicyDryRun is true: the cleanup policies delete nothing"],
    ),
    (
        "platform-registry-cleanup-policy",
        "unknown",
        [res(GAR, {"cleanupPolicies": U})],
        NOT_EVALUATED,
    ),
]

# ---- databases -----------------------------------------------------------------------------
params = res(PG, {"parameters": [{"name": "rds.force_ssl", "value": "1"}]}, name="params")
server = res(FLEX, {}, name="server")


def rds(**props: Any) -> Resource:
    props = {"engine": "postgres", "engineVersion": "14", **props}
    return res(RDS, props, name="rds", deps={"parameterGroupName": [params]})


def replica(source: Resource | None = None, **props: Any) -> Resource:
    """An RDS read replica without `engine`: of `source` in the stack, or of one outside it."""
    deps = {"replicateSourceDb": [source]} if source is not None else None
    return res(RDS, {"replicateSourceDb": "mlflow", **props}, name="replica", deps=deps)


PG16 = res(
    RDS,
    {"engine": "postgres", "engineVersion": "16.4", "enabledCloudwatchLogsExports": ["postgresql"]},
    name="source",
)
ENGINE_UNSEEN = (
    "engine is not set and its source is not in the stack (snapshot restore or outside replica)"
)


def tls_conf(value: Any) -> Resource:
    props = {"configurationName": "require_secure_transport", "value": value}
    return res(FLEX_CONF, props, name="conf", deps={"serverName": [server]})


SQL_OK = {
    "settings": {
        "ipConfiguration": {"ipv4Enabled": False, "sslMode": "ENCRYPTED_ONLY"},
        "backupConfiguration": {
            "enabled": True,
            "pointInTimeRecoveryEnabled": True,
            "backupRetentionSettings": {"retainedBackups": 14},
        },
        "deletionProtectionEnabled": True,
        "availabilityType": "REGIONAL",
        "userLabels": TAGS,
    },
    "deletionProtection": True,
}


def sql(**settings: Any) -> Resource:
    return res(SQL, {**SQL_OK, "settings": {**SQL_OK["settings"], **settings}}, name="sql")


DATABASES: list[Case] = [
    ("platform-database-not-public", "private rds", rds(publiclyAccessible=False), []),
    (
        "platform-database-not-public",
        "private flexible server",
        res(FLEX, {"network": {"publicNetworkAccess": "Disabled"}}),
        [],
    ),
    ("platform-database-not-public", "private cloud sql", sql(), []),
    (
        "platform-database-not-public",
        "public rds",
        rds(publiclyAccessible=True),
        ["publiclyAccessible is true"],
    ),
    (
        "platform-database-not-public",
        "public flexible server",
        res(FLEX, {"network": {"publicNetworkAccess": "Enabled"}}),
        ["network.publicNetworkAccess is not Disabled"],
    ),
    (
        "platform-database-not-public",
        "cloud sql open to the internet",
        sql(ipConfiguration={"ipv4Enabled": True, "authorizedNetworks": [{"value": "0.0.0.0/0"}]}),
        ["the instance has a public IP open to 0.0.0.0/0"],
    ),
    (
        "platform-database-not-public",
        "flexible server firewall open to every address",
        res(FLEX_FIREWALL, {"startIpAddress": "0.0.0.0", "endIpAddress": "255.255.255.255"}),
        ["the firewall rule admits every IPv4 address (0.0.0.0-255.255.255.255)"],
    ),
    (
        "platform-database-not-public",
        "flexible server firewall for one network",
        res(FLEX_FIREWALL, {"startIpAddress": "10.0.0.0", "endIpAddress": "10.0.255.255"}),
        [],
    ),
    ("platform-database-not-public", "unknown", rds(publiclyAccessible=U), NOT_EVALUATED),
    ("aws-rds-storage-encrypted", "encrypted", rds(storageEncrypted=True), []),
    ("aws-rds-storage-encrypted", "plain", rds(), ["storageEncrypted is not true"]),
    ("aws-rds-storage-encrypted", "unknown", rds(storageEncrypted=U), NOT_EVALUATED),
    (
        "platform-database-tls-enforced",
        "all forced",
        [params, rds(), server, tls_conf("on"), sql()],
        [],
    ),
    (
        "platform-database-tls-enforced",
        "rds without force_ssl",
        [res(PG, {"parameters": []}, name="params"), rds()],
        ["rds.force_ssl is not 1 (set it in the instance's parameter group)"],
    ),
    (
        "platform-database-tls-enforced",
        "postgres 16 forces tls by default",
        [rds(engineVersion="16.4")],
        [],
    ),
    (
        "platform-database-tls-enforced",
        "postgres 16 with tls turned off",
        [
            res(PG, {"parameters": [{"name": "rds.force_ssl", "value": "0"}]}, name="params"),
            rds(engineVersion="16"),
        ],
        ["rds.force_ssl is not 1 (set it in the instance's parameter group)"],
    ),
    (
        "platform-database-tls-enforced",
        "mysql without require_secure_transport",
        [rds(engine="mysql", engineVersion="8.0")],
        ["require_secure_transport is not 1 (set it in the instance's parameter group)"],
    ),
    (
        "platform-database-tls-enforced",
        "replica of an in-stack postgres 16 source",
        [PG16, replica(PG16)],
        [],
    ),
    (
        # A same-Region replica without parameterGroupName takes its source's group.
        "platform-database-tls-enforced",
        "replica of a postgres 14 source forcing ssl in its group",
        [params, rds(), replica(rds())],
        [],
    ),
    (
        "platform-database-tls-enforced",
        "replica without a source in the stack",
        [replica()],
        [f"{ENGINE_UNSEEN}: set engine so TLS can be judged"],
    ),
    (
        "platform-database-tls-enforced",
        "flexible server default",
        [server],
        [],
    ),
    (
        "platform-database-tls-enforced",
        "flexible server optional tls",
        [server, tls_conf("off")],
        ["require_secure_transport is turned off"],
    ),
    (
        "platform-database-tls-enforced",
        "cloud sql allows plaintext",
        [sql(ipConfiguration={"ipv4Enabled": False, "sslMode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED"})],
        [
            "settings.ipConfiguration.sslMode is 'ALLOW_UNENCRYPTED_AND_ENCRYPTED', "
            "not ENCRYPTED_ONLY"
        ],
    ),
    ("platform-database-tls-enforced", "unknown", [server, tls_conf(U)], NOT_EVALUATED),
    ("platform-database-backups-retained", "a week", rds(backupRetentionPeriod=7), []),
    (
        "platform-database-backups-retained",
        "rds one day",
        rds(backupRetentionPeriod=1),
        ["backups are kept 1 days, under the minimum of 7"],
    ),
    (
        "platform-database-backups-retained",
        "flexible server default",
        res(FLEX, {}),
        [],
    ),
    (
        "platform-database-backups-retained",
        "cloud sql without pitr",
        sql(
            backupConfiguration={
                "enabled": True,
                "backupRetentionSettings": {"retainedBackups": 3},
            }
        ),
        ["point-in-time recovery is off", "backups are kept 3 days, under the minimum of 7"],
    ),
    (
        "platform-database-backups-retained",
        "cloud sql no backups",
        sql(backupConfiguration={"pointInTimeRecoveryEnabled": True}),
        ["automated backups are off"],
    ),
    ("platform-database-backups-retained", "unknown", rds(backupRetentionPeriod=U), NOT_EVALUATED),
    ("platform-database-deletion-protected", "protected", rds(deletionProtection=True), []),
    ("platform-database-deletion-protected", "cloud sql protected", sql(), []),
    (
        "platform-database-deletion-protected",
        "rds deletable without snapshot",
        rds(skipFinalSnapshot=True),
        ["deletionProtection is not true", "skipFinalSnapshot is true"],
    ),
    (
        "platform-database-deletion-protected",
        "cloud sql api deletion",
        sql(deletionProtectionEnabled=False),
        ["settings.deletionProtectionEnabled is not true (the API allows deletion)"],
    ),
    (
        "platform-database-deletion-protected",
        "cloud sql pulumi deletion",
        res(SQL, {**SQL_OK, "deletionProtection": False}),
        ["deletionProtection is false"],
    ),
    ("platform-database-deletion-protected", "unknown", rds(deletionProtection=U), NOT_EVALUATED),
    ("platform-database-high-availability-prod", "regional", sql(), []),
    (
        "platform-database-high-availability-prod",
        "dev single zone",
        rds(multiAz=False, tags=DEV),
        [],
    ),
    (
        "platform-database-high-availability-prod",
        "prod single zone",
        res(FLEX, {"highAvailability": {"mode": "Disabled"}, "tags": TAGS}),
        ["the production database has no standby in another zone"],
    ),
    (
        "platform-database-high-availability-prod",
        "unknown",
        rds(multiAz=U, tags=TAGS),
        NOT_EVALUATED,
    ),
    ("aws-rds-logs-exported", "exported", rds(enabledCloudwatchLogsExports=["postgresql"]), []),
    (
        "aws-rds-logs-exported",
        "not exported",
        rds(enabledCloudwatchLogsExports=["upgrade"]),
        ["the database's postgresql log is not exported to CloudWatch"],
    ),
    (
        "aws-rds-logs-exported",
        "mysql error log",
        rds(engine="mysql", enabledCloudwatchLogsExports=["error"]),
        [],
    ),
    (
        "aws-rds-logs-exported",
        "replica of an in-stack postgres source exporting its log",
        [PG16, replica(PG16, enabledCloudwatchLogsExports=["postgresql"])],
        [],
    ),
    (
        "aws-rds-logs-exported",
        "replica of an in-stack postgres source not exporting its log",
        [PG16, replica(PG16)],
        ["the database's postgresql log is not exported to CloudWatch"],
    ),
    (
        "aws-rds-logs-exported",
        "replica without a source in the stack",
        [replica(enabledCloudwatchLogsExports=["postgresql"])],
        [f"{ENGINE_UNSEEN}: set engine so its log export can be judged"],
    ),
    ("aws-rds-logs-exported", "unknown", rds(enabledCloudwatchLogsExports=U), NOT_EVALUATED),
    ("aws-rds-logs-exported", "unknown engine", rds(engine=U), NOT_EVALUATED),
]

# ---- workloads -----------------------------------------------------------------------------
MLFLOW_COMMAND = ["mlflow", "server", "--app-name", "basic-auth", "--port", "5000"]
FROM_SECRET = {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}


def deployment(
    env: list[Any] | None = None, command: Any = None, account: str = "mlflow"
) -> Resource:
    container = {"name": "server", "command": command or MLFLOW_COMMAND, "env": env or []}
    return res(
        DEPLOY,
        {
            "metadata": {"namespace": "mlflow"},
            "spec": {
                "template": {"spec": {"serviceAccountName": account, "containers": [container]}}
            },
        },
        name="mlflow",
    )


def account(annotations: Any) -> Resource:
    meta = {"namespace": "mlflow", "name": "mlflow", "annotations": annotations}
    return res(KSA, {"metadata": meta}, name="mlflow-sa")


CLOUD = res(S3, {}, name="cloud-bucket")
IRSA = {"eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/mlflow"}
MLFLOW_CONTAINER = {"name": "server", "command": MLFLOW_COMMAND}
WORKLOADS: list[Case] = [
    (
        "kubernetes-no-plaintext-credentials",
        "from secrets",
        deployment([FROM_SECRET, {"name": "MLFLOW_AUTH_CONFIG_PATH", "value": "/etc/a.ini"}]),
        [],
    ),
    (
        "kubernetes-no-plaintext-credentials",
        "references are not secrets",
        deployment(
            [
                {"name": "REGISTRY_AUTH_HTPASSWD_REALM", "value": "r"},
                {"name": "PASSWORD_FILE", "value": "/s"},
            ]
        ),
        [],
    ),
    (
        "kubernetes-no-plaintext-credentials",
        "literal password",
        deployment([{"name": "POSTGRES_PASSWORD", "value": "hunter2"}]),
        ["container server sets POSTGRES_PASSWORD as a literal value; use valueFrom.secretKeyRef"],
    ),
    (
        "kubernetes-no-plaintext-credentials",
        "literal access key",
        deployment([{"name": "AWS_SECRET_ACCESS_KEY", "value": "x"}]),
        [
            "container server sets AWS_SECRET_ACCESS_KEY as a literal value; "
            "use valueFrom.secretKeyRef"
        ],
    ),
    (
        "kubernetes-no-plaintext-credentials",
        "credentials in a URL",
        deployment([{"name": "BACKEND", "value": "postgresql://mlflow:pw@db:5432/mlflow"}]),
        ["container server sets BACKEND as a literal value; use valueFrom.secretKeyRef"],
    ),
    (
        "kubernetes-no-plaintext-credentials",
        "cron job",
        res(
            "kubernetes:batch/v1:CronJob",
            {
                "spec": {
                    "jobTemplate": {
                        "spec": {
                            "template": {
                                "spec": {
                                    "containers": [
                                        {
                                            "name": "backup",
                                            "env": [{"name": "DB_PASSWORD", "value": "x"}],
                                        }
                                    ]
                                }
                            }
                        }
                    }
                }
            },
        ),
        ["container backup sets DB_PASSWORD as a literal value; use valueFrom.secretKeyRef"],
    ),
    (
        "kubernetes-no-plaintext-credentials",
        "unknown value",
        deployment([{"name": "API_TOKEN", "value": U}]),
        NOT_EVALUATED,
    ),
    ("kubernetes-mlflow-auth-enabled", "basic auth", deployment(), []),
    ("kubernetes-mlflow-auth-enabled", "not mlflow", deployment(command=["nginx"]), []),
    (
        "kubernetes-mlflow-auth-enabled",
        "open server",
        deployment(command=["mlflow", "server", "--port", "5000"]),
        ["the MLflow server runs without authentication (--app-name basic-auth)"],
    ),
    (
        "kubernetes-mlflow-auth-enabled",
        "unknown command",
        deployment(command=["mlflow", "server", "--app-name", U]),
        NOT_EVALUATED,
    ),
    (
        "platform-mlflow-workload-identity",
        "irsa",
        [CLOUD, deployment(), account(IRSA)],
        [],
    ),
    (
        "platform-mlflow-workload-identity",
        "kubernetes target needs none",
        [deployment(), account({})],
        [],
    ),
    (
        "platform-mlflow-workload-identity",
        "no identity",
        [CLOUD, deployment(), account({})],
        ["MLflow's service account is bound to no cloud workload identity"],
    ),
    (
        "platform-mlflow-workload-identity",
        "static key",
        [CLOUD, deployment([{"name": "AWS_ACCESS_KEY_ID", "valueFrom": {}}]), account(IRSA)],
        ["MLflow gets a static cloud key (AWS_ACCESS_KEY_ID)"],
    ),
    (
        # A bare Pod and a CronJob keep their pod spec elsewhere than a Deployment.
        "platform-mlflow-workload-identity",
        "pod and cron job on the identity",
        [
            CLOUD,
            res(
                POD,
                {
                    "metadata": {"namespace": "mlflow"},
                    "spec": {"serviceAccountName": "mlflow", "containers": [MLFLOW_CONTAINER]},
                },
                name="mlflow-pod",
            ),
            res(
                CRON_JOB,
                {
                    "metadata": {"namespace": "mlflow"},
                    "spec": {
                        "jobTemplate": {
                            "spec": {
                                "template": {
                                    "spec": {
                                        "serviceAccountName": "mlflow",
                                        "containers": [MLFLOW_CONTAINER],
                                    }
                                }
                            }
                        }
                    },
                },
                name="mlflow-gc",
            ),
            account(IRSA),
        ],
        [],
    ),
    (
        "platform-mlflow-workload-identity",
        "unknown annotations",
        [CLOUD, deployment(), account(U)],
        NOT_EVALUATED,
    ),
]

# ---- Kubernetes API tokens -----------------------------------------------------------------
NEEDS_API = {"mlplatform.io/api-token": "watches nodes to scale node groups"}
ACCOUNT_MOUNTS = (
    "automountServiceAccountToken is not false: every pod of the account gets a Kubernetes "
    "API token (set it false, or annotate mlplatform.io/api-token with why its pods call the "
    "API)"
)
POD_ASKS = (
    "the pod spec sets automountServiceAccountToken: true (set it false, or annotate "
    "mlplatform.io/api-token with why the pod calls the API)"
)


def mounts_from(account: str) -> str:
    return (
        f"the pod mounts the API token of service account {account!r} (set "
        "automountServiceAccountToken: false on the pod spec or the account)"
    )


def token_account(
    automount: Any = None, annotations: Any = None, namespace: str = "ml", name: str = "app"
) -> Resource:
    props: dict[str, Any] = {"metadata": {"name": name, "namespace": namespace}}
    if annotations is not None:
        props["metadata"]["annotations"] = annotations
    if automount is not None:
        props["automountServiceAccountToken"] = automount
    return res(KSA, props, name=f"{namespace}-{name}-sa")


def token_pod(
    automount: Any = None,
    account: str | None = "app",
    annotations: Any = None,
    kind: str = DEPLOY,
) -> Resource:
    spec: dict[str, Any] = {"containers": [{"name": "c", "image": "i"}]}
    if account is not None:
        spec["serviceAccountName"] = account
    if automount is not None:
        spec["automountServiceAccountToken"] = automount
    meta: dict[str, Any] = {"name": "app", "namespace": "ml"}
    if annotations is not None:
        meta["annotations"] = annotations
    if kind == POD:
        return res(kind, {"metadata": meta, "spec": spec}, name="pod")
    template = {"template": {"spec": spec}}
    body = {"jobTemplate": {"spec": template}} if kind == CRON_JOB else template
    return res(kind, {"metadata": meta, "spec": body}, name=kind.rsplit(":", 1)[-1])


API_TOKENS: list[Case] = [
    (
        "kubernetes-no-unneeded-api-token",
        "pod and account opt out",
        [token_account(False), token_pod(False)],
        [],
    ),
    (
        "kubernetes-no-unneeded-api-token",
        "pod opts out, account outside the stack",
        [token_pod(False, account="default")],
        [],
    ),
    (
        "kubernetes-no-unneeded-api-token",
        "pod inherits an account that opts out",
        [token_account(False), token_pod()],
        [],
    ),
    (
        "kubernetes-no-unneeded-api-token",
        "account left at the default",
        [token_account(), token_pod(False)],
        [ACCOUNT_MOUNTS],
    ),
    (
        "kubernetes-no-unneeded-api-token",
        "pod on the namespace's default account",
        [token_pod(account=None)],
        [mounts_from("default")],
    ),
    (
        "kubernetes-no-unneeded-api-token",
        "account of the same name in another namespace",
        [token_account(False, namespace="other"), token_pod()],
        [mounts_from("app")],
    ),
    (
        "kubernetes-no-unneeded-api-token",
        "pod asks for the token",
        [token_account(False), token_pod(True)],
        [POD_ASKS],
    ),
    (
        "kubernetes-no-unneeded-api-token",
        "cron job asks for the token",
        [token_account(False), token_pod(True, kind=CRON_JOB)],
        [POD_ASKS],
    ),
    (
        "kubernetes-no-unneeded-api-token",
        "bare pod on the default account",
        [token_pod(account=None, kind=POD)],
        [mounts_from("default")],
    ),
    (
        "kubernetes-no-unneeded-api-token",
        "annotated account and pod that need the API",
        [token_account(annotations=NEEDS_API), token_pod(), token_pod(True, annotations=NEEDS_API)],
        [],
    ),
    (
        "kubernetes-no-unneeded-api-token",
        "pod asks for the token of an account that needs the API",
        [token_account(annotations=NEEDS_API), token_pod(True)],
        [],
    ),
    (
        "kubernetes-no-unneeded-api-token",
        "annotation without a reason",
        [token_account(annotations={"mlplatform.io/api-token": " "}), token_pod(False)],
        [ACCOUNT_MOUNTS],
    ),
    (
        "kubernetes-no-unneeded-api-token",
        "unknown",
        [token_account(False), token_pod(U)],
        NOT_EVALUATED,
    ),
]

# ---- model serving (KServe) ----------------------------------------------------------------
ISVC = "kubernetes:serving.kserve.io/v1beta1:InferenceService"
SERVING_RUNTIME = "kubernetes:serving.kserve.io/v1alpha1:ServingRuntime"
RELEASE = "kubernetes:helm.sh/v3:Release"
IDENTITY = "kubernetes-inference-service-workload-identity"
STANDARD = "platform-inference-service-standard-mode"
PLACED = "platform-inference-service-gpu-pool"
NON_ROOT = "kubernetes-serving-runtime-non-root"
PINNED = "kubernetes-serving-runtime-image-pinned"
MODE = "serving.kserve.io/deploymentMode"
GPU_TOLERATION = {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}
ON_T4 = {POOL_KEY: "t4", "mlplatform.io/gpu": "T4"}
READ_AS_DEFAULT = (
    "the model is read as the namespace's default service account; name one bound to a "
    "workload identity (mlplatform's: ml-workload)"
)
STATIC_KEYS = (
    "the model is read with the static keys it holds; drop it and let the service account's "
    "workload identity read the model"
)


def isvc(
    name: str = "reranker",
    metadata_annotations: Any = None,
    gpus: Any = None,
    **predictor: Any,
) -> Resource:
    """An InferenceService as ModelServing plans it: Standard mode, the team's identity, the
    model's GPUs (if any) in its limits; `predictor` fields replace or add to its predictor."""
    limits: dict[str, Any] = {"memory": "16Gi"}
    if gpus is not None:
        limits["nvidia.com/gpu"] = gpus
    spec: dict[str, Any] = {
        "serviceAccountName": "ml-workload",
        "model": {
            "modelFormat": {"name": "mlflow", "version": "3"},
            "runtime": name,
            "storageUri": "s3://artifacts/2/models/m-1/artifacts",
            "resources": {"requests": {"memory": "16Gi"}, "limits": limits},
        },
    }
    spec.update(predictor)
    annotations = {MODE: "Standard"} if metadata_annotations is None else metadata_annotations
    meta = {"name": name, "namespace": "inference", "annotations": annotations}
    return res(ISVC, {"metadata": meta, "spec": {"predictor": spec}}, f"model-{name}")


def gpu_isvc(selector: Any = ON_T4, tolerations: Any = None, gpus: Any = "1") -> Resource:
    """A GPU InferenceService on `selector`, tolerating the GPU taint unless told otherwise."""
    return isvc(
        gpus=gpus,
        nodeSelector=selector,
        tolerations=[GPU_TOLERATION] if tolerations is None else tolerations,
    )


def kserve_release(
    values: Any, chart: str = "oci://ghcr.io/kserve/charts/kserve-resources"
) -> Resource:
    props = {"name": "kserve-resources", "chart": chart, "namespace": "kserve", "values": values}
    return res(RELEASE, props, "serving-release")


def serving_runtime(
    image: Any = "registry.example/serving:mlserver-1.7.1", context: Any = None
) -> Resource:
    security = {"allowPrivilegeEscalation": False, "runAsNonRoot": True}
    container = {
        "name": "kserve-container",
        "image": image,
        "securityContext": security if context is None else context,
    }
    return res(SERVING_RUNTIME, {"spec": {"containers": [container]}}, "runtime")


def standard_mode(mode: Any) -> dict[str, Any]:
    return {"kserve": {"controller": {"deploymentMode": mode}}}


STANDARD_KSERVE = kserve_release(standard_mode("Standard"))
SERVING_POOL = eks_pool(labels={**ON_T4, "nvidia.com/gpu.present": "true"})
"""eks_pool(): nodes tainted nvidia.com/gpu=present:NoSchedule."""
SPOT_AKS = aks_pool(
    nodeLabels={POOL_KEY: "t4spot"},
    nodeTaints=[
        "nvidia.com/gpu=present:NoSchedule",
        "kubernetes.azure.com/scalesetpriority=spot:NoSchedule",
    ],
)
NOT_TOLERATED = (
    "InferenceService reranker does not tolerate taint nvidia.com/gpu=present:NoSchedule of "
    "pool t4 (spec.predictor.tolerations): its replicas cannot schedule there"
)
SERVING: list[Case] = [
    (IDENTITY, "named identity", isvc(), []),
    (
        IDENTITY,
        "no service account",
        isvc(serviceAccountName=None),
        [f"spec.predictor.serviceAccountName is not set: {READ_AS_DEFAULT}"],
    ),
    (
        IDENTITY,
        "default service account",
        isvc(serviceAccountName="default"),
        [f"spec.predictor.serviceAccountName is 'default': {READ_AS_DEFAULT}"],
    ),
    (
        IDENTITY,
        "storage secret annotations",
        isvc(
            metadata_annotations={MODE: "Standard", "serving.kserve.io/secretName": "s3creds"},
            annotations={"serving.kserve.io/storageSecretName": "blob-keys"},
        ),
        [
            "metadata.annotations[\"serving.kserve.io/secretName\"] names Secret 's3creds': "
            + STATIC_KEYS,
            'spec.predictor.annotations["serving.kserve.io/storageSecretName"] names Secret '
            "'blob-keys': " + STATIC_KEYS,
        ],
    ),
    (
        IDENTITY,
        "storage spec key",
        isvc(
            model={
                "modelFormat": {"name": "mlflow"},
                "storage": {"key": "s3-prod", "path": "models/m-1"},
            }
        ),
        [
            "spec.predictor.model.storage.key 's3-prod' names an entry of the storage-config "
            "Secret: " + STATIC_KEYS
        ],
    ),
    (
        IDENTITY,
        "storage spec without key",
        isvc(model={"modelFormat": {"name": "mlflow"}, "storage": {"path": "models/m-1"}}),
        [
            "spec.predictor.model.storage names no key: KServe then reads entry 'default' of the "
            "storage-config Secret: " + STATIC_KEYS
        ],
    ),
    (
        IDENTITY,
        "unknown storage type",
        isvc(model={"modelFormat": {"name": "mlflow"}, "storage": {"parameters": {"type": U}}}),
        NOT_EVALUATED,
    ),
    (IDENTITY, "unknown service account", isvc(serviceAccountName=U), NOT_EVALUATED),
    (IDENTITY, "unknown annotations", isvc(metadata_annotations=U), NOT_EVALUATED),
    (STANDARD, "standard under a standard kserve", [STANDARD_KSERVE, isvc()], []),
    (
        # The chart's own default (Knative): the rule judges only where the stack runs Standard.
        STANDARD,
        "kserve in its default mode",
        [kserve_release({}), isvc(metadata_annotations={})],
        [],
    ),
    (STANDARD, "kserve installed outside the stack", [isvc(metadata_annotations={})], []),
    (
        # A local chart, and the release's legacy name for Standard (KServe converts it).
        STANDARD,
        "local chart in the legacy spelling",
        [
            kserve_release(standard_mode("RawDeployment"), "charts/kserve-resources-v0.20.0.tgz"),
            isvc(),
        ],
        [],
    ),
    (
        STANDARD,
        "no mode named",
        [STANDARD_KSERVE, isvc(metadata_annotations={})],
        [
            'InferenceService reranker names no mode (metadata.annotations["serving.kserve.io/'
            'deploymentMode"]): it takes whatever mode KServe defaults to when it is created; '
            "say Standard, the mode release kserve-resources runs"
        ],
    ),
    (
        STANDARD,
        "legacy RawDeployment",
        [STANDARD_KSERVE, isvc(metadata_annotations={MODE: "RawDeployment"})],
        [
            "InferenceService reranker says 'RawDeployment', the deprecated name KServe's "
            "webhook rewrites to Standard (the object then never matches its inputs); say "
            "Standard"
        ],
    ),
    (
        STANDARD,
        "knative",
        [STANDARD_KSERVE, isvc(metadata_annotations={MODE: "Knative"})],
        [
            "InferenceService reranker asks for mode 'Knative', but release kserve-resources "
            "runs KServe in Standard mode; say Standard"
        ],
    ),
    (
        STANDARD,
        "unknown release values",
        [kserve_release(standard_mode(U)), isvc()],
        NOT_EVALUATED,
    ),
    (
        STANDARD,
        "unknown mode",
        [STANDARD_KSERVE, isvc(metadata_annotations={MODE: U})],
        NOT_EVALUATED,
    ),
    (PLACED, "on a planned pool", [SERVING_POOL, GKE_GPU, gpu_isvc()], []),
    (PLACED, "cpu model beside GPU pools", [SERVING_POOL, isvc(name="churn")], []),
    (
        # The kubernetes target: no pool in the plan, the cluster's own GPU nodes.
        PLACED,
        "existing cluster's GPU nodes",
        [gpu_isvc({"nvidia.com/gpu.present": "true"})],
        [],
    ),
    (
        PLACED,
        "spot pool, both taints tolerated",
        [
            SPOT_AKS,
            gpu_isvc(
                {POOL_KEY: "t4spot"},
                [
                    {"key": "nvidia.com/gpu", "operator": "Equal", "value": "present"},
                    {
                        "key": "kubernetes.azure.com/scalesetpriority",
                        "value": "spot",
                        "effect": "NoSchedule",
                    },
                ],
            ),
        ],
        [],
    ),
    (
        PLACED,
        "every taint tolerated",
        [SERVING_POOL, gpu_isvc(tolerations=[{"operator": "Exists"}])],
        [],
    ),
    (
        PLACED,
        "pool the stack does not plan",
        [SERVING_POOL, GKE_GPU, gpu_isvc({POOL_KEY: "a100"})],
        [
            "InferenceService reranker asks for 1 nvidia.com/gpu but selects pool 'a100' "
            '(spec.predictor.nodeSelector["mlplatform.io/pool"]), which no GPU pool of the '
            "stack carries (its GPU pools: h100, t4)"
        ],
    ),
    (
        PLACED,
        "the system pool",
        [LABELLED_SYSTEM_POOL, gpu_isvc({POOL_KEY: "system"})],
        [
            "InferenceService reranker asks for 1 nvidia.com/gpu but selects pool 'system' "
            '(spec.predictor.nodeSelector["mlplatform.io/pool"]), which no GPU pool of the '
            "stack carries (the stack plans no GPU pool)"
        ],
    ),
    (
        PLACED,
        "no pool beside planned pools",
        [SERVING_POOL, GKE_GPU, gpu_isvc({"nvidia.com/gpu.present": "true"})],
        [
            "InferenceService reranker asks for 1 nvidia.com/gpu but selects no GPU pool (no "
            '"mlplatform.io/pool" in spec.predictor.nodeSelector) while the stack plans GPU '
            "pools (h100, t4): its replicas may land on any GPU node"
        ],
    ),
    (
        # GPUs of a custom predictor container count too.
        PLACED,
        "custom container, no node selector",
        [
            SERVING_POOL,
            isvc(
                model=None,
                containers=[
                    {"name": "kserve-container", "resources": {"limits": {"nvidia.com/gpu": 2}}}
                ],
            ),
        ],
        [
            "InferenceService reranker asks for 2 nvidia.com/gpu but selects no GPU pool (no "
            '"mlplatform.io/pool" in spec.predictor.nodeSelector) while the stack plans GPU '
            "pools (t4): its replicas may land on any GPU node"
        ],
    ),
    (
        PLACED,
        "node label the pool's nodes do not carry",
        [SERVING_POOL, gpu_isvc({**ON_T4, "mlplatform.io/gpu": "L4"})],
        [
            "InferenceService reranker selects mlplatform.io/gpu='L4' "
            "(spec.predictor.nodeSelector), but pool t4's nodes carry mlplatform.io/gpu='T4': "
            "no node matches"
        ],
    ),
    (PLACED, "no toleration", [SERVING_POOL, gpu_isvc(tolerations=[])], [NOT_TOLERATED]),
    (
        PLACED,
        "toleration of another value",
        [
            SERVING_POOL,
            gpu_isvc(tolerations=[{"key": "nvidia.com/gpu", "operator": "Equal", "value": "yes"}]),
        ],
        [NOT_TOLERATED],
    ),
    (
        PLACED,
        "toleration of another effect",
        [SERVING_POOL, gpu_isvc(tolerations=[{**GPU_TOLERATION, "effect": "NoExecute"}])],
        [NOT_TOLERATED],
    ),
    (
        PLACED,
        "spot taint not tolerated",
        [SPOT_AKS, gpu_isvc({POOL_KEY: "t4spot"})],
        [
            "InferenceService reranker does not tolerate taint kubernetes.azure.com/"
            "scalesetpriority=spot:NoSchedule of pool t4spot (spec.predictor.tolerations): its "
            "replicas cannot schedule there"
        ],
    ),
    (
        PLACED,
        "existing cluster's GPU nodes, no toleration",
        [gpu_isvc({"nvidia.com/gpu.present": "true"}, [])],
        [
            "InferenceService reranker does not tolerate taint nvidia.com/gpu=present:NoSchedule "
            "of the cluster's GPU nodes (spec.predictor.tolerations): its replicas cannot "
            "schedule there"
        ],
    ),
    (
        PLACED,
        "GPUs not a whole number",
        [SERVING_POOL, gpu_isvc(gpus="one")],
        [
            "InferenceService reranker: spec.predictor.model.resources.limits"
            "[\"nvidia.com/gpu\"] 'one' is not a whole number of GPUs; use an integer such as "
            '"1"'
        ],
    ),
    (PLACED, "unknown GPUs", [SERVING_POOL, gpu_isvc(gpus=U)], NOT_EVALUATED),
    (PLACED, "unknown node selector", [SERVING_POOL, gpu_isvc(U)], NOT_EVALUATED),
    (PLACED, "unknown tolerations", [SERVING_POOL, gpu_isvc(tolerations=U)], NOT_EVALUATED),
    (PLACED, "unknown labels of a pool", [eks_pool(labels=U), gpu_isvc()], NOT_EVALUATED),
    (NON_ROOT, "non-root, no escalation", serving_runtime(), []),
    (
        NON_ROOT,
        "may run as root and escalate",
        serving_runtime(context={"allowPrivilegeEscalation": True}),
        [
            "container kserve-container: securityContext.runAsNonRoot is not true: it may run "
            "as root",
            "container kserve-container: securityContext.allowPrivilegeEscalation is not false: "
            "a process may gain more privileges than its parent",
        ],
    ),
    (
        NON_ROOT,
        "no security context",
        serving_runtime(context={}),
        [
            "container kserve-container: securityContext.runAsNonRoot is not true: it may run "
            "as root",
            "container kserve-container: securityContext.allowPrivilegeEscalation is not false: "
            "a process may gain more privileges than its parent",
        ],
    ),
    (NON_ROOT, "unknown security context", serving_runtime(context=U), NOT_EVALUATED),
    (PINNED, "version tag", serving_runtime(), []),
    (PINNED, "digest", serving_runtime("registry.example/serving@sha256:" + "a" * 64), []),
    (PINNED, "registry port and tag", serving_runtime("localhost:5000/serving:1.7.1"), []),
    (
        PINNED,
        "untagged",
        serving_runtime("localhost:5000/serving"),
        [
            "container kserve-container: image 'localhost:5000/serving' has no tag: Kubernetes "
            "pulls :latest, whatever it is at each pull; name a version tag or a digest"
        ],
    ),
    (
        PINNED,
        "latest",
        serving_runtime("docker.io/seldonio/mlserver:latest"),
        [
            "container kserve-container: image 'docker.io/seldonio/mlserver:latest' is :latest, "
            "whatever it is at each pull; name a version tag or a digest"
        ],
    ),
    (PINNED, "unknown image", serving_runtime(U), NOT_EVALUATED),
    (
        PINNED,
        "predictor image by version",
        isvc(model={"modelFormat": {"name": "mlflow"}, "image": "registry.example/serving:1.7.1"}),
        [],
    ),
    (
        PINNED,
        "predictor image latest",
        isvc(
            model={"modelFormat": {"name": "mlflow"}, "image": "docker.io/seldonio/mlserver:latest"}
        ),
        [
            "spec.predictor.model: image 'docker.io/seldonio/mlserver:latest' is :latest, "
            "whatever it is at each pull; name a version tag or a digest"
        ],
    ),
    (
        PINNED,
        "custom predictor container untagged",
        isvc(model=None, containers=[{"name": "kserve-container", "image": "registry.example/m"}]),
        [
            "container kserve-container: image 'registry.example/m' has no tag: Kubernetes pulls "
            ":latest, whatever it is at each pull; name a version tag or a digest"
        ],
    ),
    (
        PINNED,
        "unknown predictor image",
        isvc(model={"modelFormat": {"name": "mlflow"}, "image": U}),
        NOT_EVALUATED,
    ),
]

# ---- network -------------------------------------------------------------------------------
SG = "aws:ec2/securityGroup:SecurityGroup"
SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
SG_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
FIREWALL = "gcp:compute/firewall:Firewall"
NSG = "azure-native:network:NetworkSecurityGroup"
NSG_RULE = "azure-native:network:SecurityRule"
OPEN = "platform-network-no-ingress-from-internet"


def inbound(**props: Any) -> dict[str, Any]:
    return {"direction": "Inbound", "access": "Allow", "protocol": "Tcp", **props}


NETWORK: list[Case] = [
    (
        OPEN,
        "security group open to the network only",
        res(
            SG,
            {
                "ingress": [
                    {
                        "protocol": "tcp",
                        "fromPort": 443,
                        "toPort": 443,
                        "cidrBlocks": ["10.0.0.0/16"],
                    }
                ],
                "egress": [
                    {"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"]}
                ],
            },
        ),
        [],
    ),
    (
        OPEN,
        "security group open to the internet",
        res(
            SG,
            {
                "ingress": [
                    {
                        "protocol": "tcp",
                        "fromPort": 22,
                        "toPort": 22,
                        "cidrBlocks": ["10.0.0.0/8", "0.0.0.0/0"],
                    },
                    {"protocol": "-1", "fromPort": 0, "toPort": 0, "ipv6CidrBlocks": ["::/0"]},
                ]
            },
        ),
        ["ingress from 0.0.0.0/0 is allowed: tcp 22", "ingress from ::/0 is allowed: all traffic"],
    ),
    (
        OPEN,
        "security group rule open to the internet",
        res(
            SG_RULE,
            {
                "type": "ingress",
                "protocol": "tcp",
                "fromPort": 80,
                "toPort": 443,
                "cidrBlocks": ["0.0.0.0/0"],
            },
        ),
        ["ingress from 0.0.0.0/0 is allowed: tcp 80-443"],
    ),
    (
        OPEN,
        "security group egress rule",
        res(SG_RULE, {"type": "egress", "protocol": "-1", "cidrBlocks": ["0.0.0.0/0"]}),
        [],
    ),
    (
        OPEN,
        "vpc ingress rule from anywhere on IPv6",
        res(
            SG_INGRESS,
            {"ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrIpv6": "::/0"},
        ),
        ["ingress from ::/0 is allowed: tcp 5432"],
    ),
    (
        OPEN,
        "vpc ingress rule from a security group",
        res(
            SG_INGRESS,
            {
                "ipProtocol": "tcp",
                "fromPort": 5432,
                "toPort": 5432,
                "referencedSecurityGroupId": "sg",
            },
        ),
        [],
    ),
    (
        OPEN,
        "firewall open to the internet",
        res(
            FIREWALL,
            {
                "sourceRanges": ["0.0.0.0/0"],
                "allows": [{"protocol": "tcp", "ports": ["22", "3389"]}, {"protocol": "icmp"}],
            },
        ),
        ["ingress from 0.0.0.0/0 is allowed: tcp 22, 3389; icmp"],
    ),
    (
        OPEN,
        "firewall from Google's health checkers",
        res(
            FIREWALL,
            {"sourceRanges": ["35.191.0.0/16", "130.211.0.0/22"], "allows": [{"protocol": "all"}]},
        ),
        [],
    ),
    (
        OPEN,
        "firewall with an empty sourceRanges",
        res(FIREWALL, {"sourceRanges": [], "allows": [{"protocol": "tcp", "ports": ["5432"]}]}),
        ["ingress from 0.0.0.0/0 (no source given: GCP admits any address) is allowed: tcp 5432"],
    ),
    (
        OPEN,
        "firewall for egress, disabled, or denying",
        [
            res(
                FIREWALL,
                {
                    "direction": "EGRESS",
                    "destinationRanges": ["0.0.0.0/0"],
                    "allows": [{"protocol": "all"}],
                },
                name="egress",
            ),
            res(
                FIREWALL,
                {"disabled": True, "sourceRanges": ["0.0.0.0/0"], "allows": [{"protocol": "all"}]},
                name="disabled",
            ),
            res(
                FIREWALL,
                {"sourceRanges": ["0.0.0.0/0"], "denies": [{"protocol": "all"}]},
                name="deny",
            ),
        ],
        [],
    ),
    (
        OPEN,
        "network security rule from the Internet tag",
        res(NSG_RULE, inbound(sourceAddressPrefix="Internet", destinationPortRange="443")),
        ["ingress from Internet is allowed: Tcp 443"],
    ),
    (
        OPEN,
        "network security rule from any address",
        res(
            NSG_RULE,
            inbound(
                protocol="*",
                sourceAddressPrefixes=["10.0.0.0/8", "*"],
                destinationPortRange="*",
            ),
        ),
        ["ingress from * is allowed: all traffic"],
    ),
    (
        OPEN,
        "network security rule denying the Internet",
        res(NSG_RULE, inbound(access="Deny", sourceAddressPrefix="Internet")),
        [],
    ),
    (
        OPEN,
        "network security group with an open inline rule",
        res(
            NSG,
            {
                "securityRules": [
                    inbound(
                        name="ssh",
                        sourceAddressPrefix="0.0.0.0/0",
                        destinationPortRanges=["22", "3389"],
                    ),
                    inbound(name="vnet", sourceAddressPrefix="VirtualNetwork"),
                ]
            },
        ),
        ["rule ssh: ingress from 0.0.0.0/0 is allowed: Tcp 22, 3389"],
    ),
    (
        OPEN,
        "unknown",
        res(SG_RULE, {"type": "ingress", "protocol": "tcp", "cidrBlocks": ["10.0.0.0/8", U]}),
        NOT_EVALUATED,
    ),
]

INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
INGRESS_TLS = "kubernetes-ingress-tls"
MODEL_HOST = "reranker.ml.example.com"
PREDICTOR = {"service": {"name": "reranker-predictor", "port": {"number": 80}}}


def ingress(tls: Any, *hosts: Any, default_backend: Any = None) -> Resource:
    """An Ingress routing each of `hosts` (None: a rule without host) to a model's predictor
    Service, as ModelServing's does."""
    rules = [
        {
            **({} if host is None else {"host": host}),
            "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": PREDICTOR}]},
        }
        for host in hosts
    ]
    spec: dict[str, Any] = {"ingressClassName": "nginx", "rules": rules}
    if tls is not None:
        spec["tls"] = tls
    if default_backend is not None:
        spec["defaultBackend"] = default_backend
    meta = {"name": "reranker", "namespace": "inference"}
    return res(INGRESS, {"metadata": meta, "spec": spec}, "reranker-ingress")


MODEL_TLS = [{"hosts": [MODEL_HOST], "secretName": "reranker-tls"}]
PLAIN_HTTP = "is served over plain HTTP"
ANY_HOST = (
    "answers any host name over plain HTTP (only a spec.tls entry without hosts, the "
    "controller's default certificate, covers it)"
)
INGRESSES: list[Case] = [
    (INGRESS_TLS, "model's ingress", ingress(MODEL_TLS, MODEL_HOST), []),
    (
        INGRESS_TLS,
        "wildcard certificate",
        ingress([{"hosts": ["*.ml.example.com"], "secretName": "ml"}], MODEL_HOST),
        [],
    ),
    (
        INGRESS_TLS,
        "any host on the default certificate",
        ingress([{}], None, default_backend=PREDICTOR),
        [],
    ),
    (
        INGRESS_TLS,
        "no tls",
        ingress(None, MODEL_HOST, "api.ml.example.com"),
        [
            "the Ingress has no TLS (spec.tls): it serves reranker.ml.example.com, "
            "api.ml.example.com over plain HTTP"
        ],
    ),
    (
        INGRESS_TLS,
        "a host without a certificate",
        ingress(MODEL_TLS, MODEL_HOST, "api.ml.example.com"),
        [
            "host 'api.ml.example.com' (spec.rules[1].host) is in no spec.tls[].hosts: "
            f"it {PLAIN_HTTP}"
        ],
    ),
    (
        INGRESS_TLS,
        "wildcard covers one label",
        ingress([{"hosts": ["*.example.com"]}], MODEL_HOST),
        [
            "host 'reranker.ml.example.com' (spec.rules[0].host) is in no spec.tls[].hosts: "
            f"it {PLAIN_HTTP}"
        ],
    ),
    (
        INGRESS_TLS,
        "rule without host and default backend",
        ingress(MODEL_TLS, MODEL_HOST, None, default_backend=PREDICTOR),
        [f"spec.rules[1] has no host: it {ANY_HOST}", f"spec.defaultBackend {ANY_HOST}"],
    ),
    (INGRESS_TLS, "unknown tls", ingress(U, MODEL_HOST), NOT_EVALUATED),
    (INGRESS_TLS, "unknown host", ingress(MODEL_TLS, U), NOT_EVALUATED),
]

# ---- monitoring ----------------------------------------------------------------------------
GPU_RULE = {"groups": [{"name": "gpu", "rules": [{"expr": "DCGM_FI_DEV_GPU_UTIL < 10"}]}]}
MONITORING: list[Case] = [
    (
        "platform-gpu-alert-rules-present",
        "in-cluster rules",
        [eks_pool(), res(PROM_RULE, {"spec": GPU_RULE})],
        [],
    ),
    (
        "platform-gpu-alert-rules-present",
        "azure managed rules",
        [aks_pool(), res(AZ_RULES, {"rules": [{"expression": "DCGM_FI_DEV_XID_ERRORS > 0"}]})],
        [],
    ),
    (
        "platform-gpu-alert-rules-present",
        "cloud monitoring policy",
        [
            gke_pool(),
            res(
                POLICY,
                {
                    "conditions": [
                        {"conditionPrometheusQueryLanguage": {"query": "DCGM_FI_DEV_FB_USED"}}
                    ]
                },
            ),
        ],
        [],
    ),
    ("platform-gpu-alert-rules-present", "no GPU pools", [SYSTEM_POOL], []),
    (
        "platform-gpu-alert-rules-present",
        "GPU pools, no GPU rules",
        [eks_pool(), res(PROM_RULE, {"spec": {"groups": [{"rules": [{"expr": "up == 0"}]}]}})],
        ["GPU pools exist but no alert rule reads GPU (DCGM) metrics"],
    ),
    (
        "platform-gpu-alert-rules-present",
        "unknown rules",
        [eks_pool(), res(PROM_RULE, {"spec": {"groups": U}})],
        NOT_EVALUATED,
    ),
]

# ---- cost ----------------------------------------------------------------------------------
# gke_pool(): 0-1 x a3-highgpu-8g on-demand ($88.49/h in us-central1) with a 100 GB pd-balanced
# boot disk ($0.10/GB-month). Expected: 160 h x $88.49 = $14,158.40 and the disk for 160 of
# 730 h, $2.19: $14,160.59.
US_CENTRAL = {"region": "us-central1"}
COST_CONFIG: dict[tuple[str, str], dict[str, Any]] = {
    ("platform-monthly-cost-under-budget", "within budget"): {"maxMonthlyUsd": 15000, **US_CENTRAL},
    ("platform-monthly-cost-under-budget", "over budget"): {"maxMonthlyUsd": 10000, **US_CENTRAL},
    ("platform-monthly-cost-under-budget", "fewer expected hours"): {
        "maxMonthlyUsd": 10000,
        "expectedGpuHours": 100,
        **US_CENTRAL,
    },
    ("platform-monthly-cost-under-budget", "unknown maximum"): {
        "maxMonthlyUsd": 10000,
        **US_CENTRAL,
    },
    ("platform-monthly-cost-under-budget", "unknown maximum beside a priced pool"): {
        "maxMonthlyUsd": 10000,
        **US_CENTRAL,
    },
    ("platform-monthly-cost-under-budget", "shape not in the price table"): {
        "maxMonthlyUsd": 15000,
        **US_CENTRAL,
    },
    ("platform-monthly-cost-under-budget", "region without a price table"): {
        "maxMonthlyUsd": 100,
        "region": "asia-northeast1",
    },
    ("platform-monthly-cost-under-budget", "unpriced, allowUnpriced"): {
        "maxMonthlyUsd": 15000,
        "allowUnpriced": True,
        **US_CENTRAL,
    },
    ("platform-monthly-cost-under-budget", "unknown maximum, allowUnpriced"): {
        "maxMonthlyUsd": 10000,
        "allowUnpriced": True,
        **US_CENTRAL,
    },
    ("platform-monthly-cost-under-budget", "unpriced beside an unknown maximum"): {
        "maxMonthlyUsd": 15000,
        **US_CENTRAL,
    },
    ("platform-cost-fully-priced", "priced"): US_CENTRAL,
    ("platform-cost-fully-priced", "shape not in the price table"): US_CENTRAL,
    ("platform-cost-fully-priced", "unknown machine type"): US_CENTRAL,
    # The left-out cases of tests/policy/absent/cost.py ("<path> left out of <type>").
    **{
        ("platform-monthly-cost-under-budget", f"{path} left out of {type_}"): {
            "maxMonthlyUsd": budget,
            "region": region,
        }
        for type_, path, budget, region in (
            (NP, "nodeLocations", 15000, "us-central1"),
            (NP, "location", 15000, "us-central1"),
            (NP, "autoscaling", 100, "us-central1"),
            (NP, "nodeCount", 50, "us-central1"),
            (GKE, "removeDefaultNodePool", 100, "us-central1"),
            (POOL, "count", 100, "westeurope"),
            (POOL, "enableAutoScaling", 500, "westeurope"),
            (AKS, "agentPoolProfiles[].count", 100, "westeurope"),
            (AKS, "networkProfile.outboundType", 1, "westeurope"),
            (AKS, "sku.tier", 1, "westeurope"),
        )
    },
    ("platform-cost-fully-priced", f"nodeConfig.machineType left out of {NP}"): US_CENTRAL,
    ("platform-cost-fully-priced", f"instanceTypes left out of {NG}"): {"region": "us-east-1"},
    ("platform-cost-fully-priced", f"diskSize left out of {NG}"): {"region": "us-east-1"},
}
FLOOR = "the cost estimate is a floor without it"
UNPRICED_FIX = (
    "add the price to mlplatform's price table, or set allowUnpriced: true "
    "(budget.allowUnpriced) to judge the budget on the priced charges alone"
)
UNKNOWN_MAX_POOL = res(
    NP,
    {
        "autoscaling": {"totalMinNodeCount": 0, "totalMaxNodeCount": U},
        "nodeConfig": {"machineType": "a3-highgpu-8g"},
    },
    name="unknown-max",
)
COST: list[Case] = [
    ("platform-monthly-cost-under-budget", "within budget", [gke_pool()], []),
    (
        "platform-monthly-cost-under-budget",
        "over budget",
        [gke_pool()],
        [
            "expected monthly cost $14,160.59 is over budget.maxMonthlyUsd ($10,000.00); lower "
            "gpuPools[].maxNodes or budget.expectedGpuHours, use spot capacity, or raise "
            "budget.maxMonthlyUsd deliberately"
        ],
    ),
    ("platform-monthly-cost-under-budget", "fewer expected hours", [gke_pool()], []),
    # A charge with no known price fails the budget (the total is only a floor), unless the
    # config allows it; an input unknown until deployed leaves the rule not evaluated. The
    # a3-ultragpu-8g pool's disk is priced: 100 GB x $0.10 x 160 of 730 h = $2.19.
    (
        "platform-monthly-cost-under-budget",
        "shape not in the price table",
        [gke_pool(machineType="a3-ultragpu-8g")],
        [
            "gke-gpu: 0-1 x a3-ultragpu-8g (on-demand) has no known price (no price for "
            "gce:a3-ultragpu-8g in us-central1 in the gcp price table), so the expected monthly "
            "cost $2.19 is only a floor and cannot be held to budget.maxMonthlyUsd ($15,000.00); "
            f"{UNPRICED_FIX}"
        ],
    ),
    (
        "platform-monthly-cost-under-budget",
        "region without a price table",
        [gke_pool()],
        [
            "gke-gpu: 0-1 x a3-highgpu-8g (on-demand) has no known price (no price for "
            "gce:a3-highgpu-8g in asia-northeast1: the gcp price table has no prices for "
            "asia-northeast1, only for europe-west4, us-central1), so the expected monthly cost "
            "$0.00 is only a floor and cannot be held to budget.maxMonthlyUsd ($100.00); "
            f"{UNPRICED_FIX}",
            "gke-gpu: 0-1 x 100 GB balanced disk has no known price (no price for pd:balanced "
            "in asia-northeast1: the gcp price table has no prices for asia-northeast1, only for "
            "europe-west4, us-central1), so the expected monthly cost $0.00 is only a floor and "
            f"cannot be held to budget.maxMonthlyUsd ($100.00); {UNPRICED_FIX}",
        ],
    ),
    (
        "platform-monthly-cost-under-budget",
        "unpriced, allowUnpriced",
        [gke_pool(machineType="a3-ultragpu-8g")],
        [],
    ),
    (
        "platform-monthly-cost-under-budget",
        "unpriced beside an unknown maximum",
        [gke_pool(machineType="a3-ultragpu-8g"), UNKNOWN_MAX_POOL],
        [
            "gke-gpu: 0-1 x a3-ultragpu-8g (on-demand) has no known price (no price for "
            "gce:a3-ultragpu-8g in us-central1 in the gcp price table), so the expected monthly "
            "cost $2.19 is only a floor and cannot be held to budget.maxMonthlyUsd ($15,000.00); "
            f"{UNPRICED_FIX}"
        ],
    ),
    ("platform-monthly-cost-under-budget", "unknown maximum", [UNKNOWN_MAX_POOL], NOT_EVALUATED),
    (
        "platform-monthly-cost-under-budget",
        "unknown maximum, allowUnpriced",
        [UNKNOWN_MAX_POOL],
        NOT_EVALUATED,
    ),
    (
        "platform-monthly-cost-under-budget",
        "unknown maximum beside a priced pool",
        [gke_pool(), UNKNOWN_MAX_POOL],
        [
            "expected monthly cost at least $14,160.59 is over budget.maxMonthlyUsd ($10,000.00); "
            "lower gpuPools[].maxNodes or budget.expectedGpuHours, use spot capacity, or raise "
            "budget.maxMonthlyUsd deliberately"
        ],
    ),
    ("platform-cost-fully-priced", "priced", [gke_pool()], []),
    (
        "platform-cost-fully-priced",
        "shape not in the price table",
        [gke_pool(machineType="a3-ultragpu-8g")],
        [
            "gke-gpu: 0-1 x a3-ultragpu-8g (on-demand) is not priced (no price for "
            f"gce:a3-ultragpu-8g in us-central1 in the gcp price table); {FLOOR}"
        ],
    ),
    (
        "platform-cost-fully-priced",
        "no region",
        [gke_pool()],
        [
            "gke-gpu: 0-1 x a3-highgpu-8g (on-demand) is not priced (no price for "
            f"gce:a3-highgpu-8g (no region in the plan) in the gcp price table); {FLOOR}",
            "gke-gpu: 0-1 x 100 GB balanced disk is not priced (no price for pd:balanced "
            f"(no region in the plan) in the gcp price table); {FLOOR}",
        ],
    ),
    (
        "platform-cost-fully-priced",
        "unknown machine type",
        [gke_pool(machineType=U)],
        [
            "gke-gpu: gcp:container/nodePool:NodePool is not priced (an input is unknown until "
            f"deployed); {FLOOR}"
        ],
    ),
]

CASES: list[Case] = [
    *GOVERNANCE,
    *STORAGE,
    *CLUSTERS,
    *GPU,
    *QUEUES,
    *REGISTRIES,
    *DATABASES,
    *WORKLOADS,
    *API_TOKENS,
    *SERVING,
    *NETWORK,
    *INGRESSES,
    *MONITORING,
    *COST,
]
CONFIG = {**GPU_CONFIG, **QUEUES_CONFIG, **COST_CONFIG}
"""Rule config per (rule, case); the rest run on defaults."""
