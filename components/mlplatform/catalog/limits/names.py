"""Layer 1, data: the rules every kind of physical name the platform generates must meet, per
cloud and for Kubernetes, and how Pulumi's providers grow a name they make themselves.

`RULES` holds each kind of name's length and characters (a regex the whole name must match)
with the source it was read from; `NAMED` says, per resource type the platform creates, which
input holds the physical name, which rule it meets and how the provider names the resource
when the platform leaves that input unset (`AutoName`). A name in
`mlplatform.environment.preflight.names` is a plain string whose random part is written as x's
(`ml-aws-dev-eks-cluster-role-xxxxxxx`): every provider's random characters are hex digits,
which every rule below accepts wherever it accepts an x, so length and characters are judged
exactly. Facts were read 2026-12-06 unless a source gives its own date.
"""

from __future__ import annotations

from typing import NamedTuple

from mlplatform.catalog.limits.kubernetes import (
    DNS1123_LABEL_FORM,
    DNS_SUBDOMAIN_FORM,
    QUALIFIED_NAME_FORM,
)

READ = "2026-12-06"
"""The day the sources below were read."""


class NameRule(NamedTuple):
    """What one kind of name must be."""

    what: str
    """The kind of name, as a message says it: "IAM role name"."""
    authority: str
    """Who refuses it, as a message cites it: "(at most 64 per AWS IAM)"."""
    max_length: int
    pattern: str
    """A regex the whole name must match (Python `re.fullmatch`); lengths are judged apart."""
    says: str
    """The character rule in words, for the fix a message suggests."""
    source: str
    """Where the rule was read: a URL, or owner/repo@commit path."""
    read: str = READ
    """The source's date, or the day it was read."""
    min_length: int = 1
    verified: bool = True
    """False where no primary source confirms the rule: a breach is then a warning."""


class AutoName(NamedTuple):
    """How a provider names a resource whose name input the program leaves unset: the
    Pulumi logical name, then `separator`, then `random` random hex characters."""

    separator: str
    random: int
    source: str
    read: str = READ
    lowercase: bool = False
    """The provider lowercases the logical name first (pulumi-aws does for S3 buckets)."""
    max_length: int | None = None
    """The provider's own limit on the whole name (it refuses a longer one at preview)."""
    limiter: str = ""
    """Who sets `max_length`, as a message cites it."""

    @property
    def suffix(self) -> str:
        """What it adds, its random characters written as x's."""
        return self.separator + "x" * self.random


# Pulumi's auto-naming (pulumi/pulumi@1b594989 sdk/go/common/resource/resource_id.go, 2026-08-21:
# `NewUniqueName` appends randlen characters of `0123456789abcdef`, 8 unless given, and refuses
# "name '%s' plus %d random chars is longer than maximum length %d").
_BRIDGE = (
    "pulumi/pulumi-terraform-bridge@59de6c66 pkg/tfbridge/info/autonaming.go (2026-08-05): "
    "AutoName(name, maxlength, separator) with Randlen 7, 'deployer-6587896'"
)
AWS_AUTO = AutoName(
    "-",
    7,
    f"{_BRIDGE}; pulumi/pulumi-aws@0c5f6583 provider/autonaming.go (every input `name`: "
    "AutoName(name, 255, '-'))",
)
AWS_RDS_AUTO = AutoName(
    "",
    7,
    "pulumi/pulumi-aws@015d3438 provider/resource_overrides.go aws_db_instance `identifier`: "
    "ComputeAutoNameDefault with Randlen 7 and no Separator (the bridge adds none)",
)
AWS_BUCKET_AUTO = AutoName(
    "-",
    7,
    "pulumi/pulumi-aws@015d3438 provider/resource_overrides.go aws_s3_bucket `bucket`: "
    "AutoNameTransform('bucket', 63, strings.ToLower)",
    lowercase=True,
    max_length=63,
    limiter="pulumi-aws auto-naming",
)
AWS_ROLE_AUTO = AutoName(
    "-",
    7,
    "pulumi/pulumi-aws@015d3438 provider/resource_overrides.go aws_iam_role `name`: "
    "AutoName('name', 64, '-')",
    max_length=64,
    limiter="pulumi-aws auto-naming",
)
AWS_TOPIC_AUTO = AutoName(
    "-",
    7,
    "pulumi/pulumi-aws@015d3438 provider/resource_overrides.go aws_sns_topic `name`: "
    "AutoNameWithCustomOptions(Separator '-', Maxlen 80, Randlen 7)",
    max_length=80,
    limiter="pulumi-aws auto-naming",
)
GCP_AUTO = AutoName(
    "-",
    7,
    f"{_BRIDGE}; the GKE API refusing 'primaryPreemptibleNodes-b8a97f9' "
    "(github.com/pulumi/pulumi-gcp/issues/1510, 2024-01-05)",
)
AZURE_RANDOM = AutoName(
    "",
    8,
    "pulumi/pulumi-azure-native provider/pkg/provider/autonaming_test.go ('test' becomes "
    "'test614742c2': the `random` strategy, NewUniqueName(seed, name, 8, 0, nil))",
)
AZURE_COPY = AutoName(
    "",
    0,
    "pulumi/pulumi-azure-native autonaming_test.go (`copy` strategy: the logical name as is); "
    "github.com/pulumi/docs/pull/5351 (2021-03): a sub-resource ('a container under a storage "
    "account') gets no random suffix",
)
KUBERNETES_AUTO = AutoName(
    "-",
    8,
    "pulumi/pulumi-kubernetes@94977969 provider/pkg/metadata/naming.go (2026-07-01): "
    "NewUniqueName(seed, urn.Name()+'-', 0, 0, nil), 8 random characters",
)


class Named(NamedTuple):
    """Where one resource type keeps a physical name, and the rule it meets."""

    field: str
    """The input holding it (`metadata.name`); a name no input holds (the AKS node resource
    group) has the field the cloud would read it from."""
    rule: str
    """Its `RULES` key."""
    auto: AutoName | None
    """How the provider names it when the input is unset; None where the program always sets
    it (or the cloud derives it)."""


# --- rules -------------------------------------------------------------------------------

_BOTO = "botocore 1.44.18 service model (data files 2026-12-02)"
_AZ_RULES = (
    "learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules "
    "(MicrosoftDocs/azure-docs, ms.date 2023-11-20)"
)
_AZURERM = "hashicorp/terraform-provider-azurerm@69697b7f (2026-08-21)"
_APIMACHINERY = "kubernetes/apimachinery@eed236ce pkg/util/validation/validation.go (2026-07-23)"
_GCE_NAME = r"[a-z]([-a-z0-9]*[a-z0-9])?"
_AZ_NETWORK = r"[A-Za-z0-9]([-\w.]*\w)?"
_RDS_ID = r"[A-Za-z](?!.*--)([A-Za-z0-9-]*[A-Za-z0-9])?"

# The lengths `mlplatform.naming` cuts the platform's own names to, each the rule's below (its
# source is the rule's).
AKS_POOL_MAX = 12
"""An AKS Linux node pool name (`azure-aks-agent-pool`)."""
STORAGE_ACCOUNT_MAX = 24
"""An Azure storage account name (`azure-storage-account`)."""
REGISTRY_NAME_MAX = 50
"""An Azure container registry name (`azure-container-registry`)."""
SERVICE_ACCOUNT_ID_MIN = 6
"""A Google service account id, shortest (`gcp-service-account-id`)."""
SERVICE_ACCOUNT_ID_MAX = 30
"""A Google service account id, longest (`gcp-service-account-id`)."""
REPOSITORY_ID_MAX = 63
"""An Artifact Registry repository id (`gcp-artifact-registry-repository`, the platform's own
rule)."""

RULES: dict[str, NameRule] = {
    # --- AWS ---------------------------------------------------------------------------
    "aws-iam-role": NameRule(
        "IAM role name",
        "AWS IAM",
        64,
        r"[\w+=,.@-]+",
        "letters, digits and _+=,.@-",
        f"{_BOTO}: iam CreateRole.RoleName min 1 max 64 pattern [\\w+=,.@-]+",
    ),
    "aws-iam-inline-policy": NameRule(
        "IAM inline policy name",
        "AWS IAM",
        128,
        r"[\w+=,.@-]+",
        "letters, digits and _+=,.@-",
        f"{_BOTO}: iam PutRolePolicy.PolicyName min 1 max 128 pattern [\\w+=,.@-]+",
    ),
    "aws-eks-cluster": NameRule(
        "EKS cluster name",
        "Amazon EKS",
        100,
        r"[0-9A-Za-z][A-Za-z0-9_-]*",
        "letters, digits, - and _, starting with a letter or digit",
        f"{_BOTO}: eks CreateCluster.name max 100 pattern ^[0-9A-Za-z][A-Za-z0-9\\-_]*",
    ),
    "aws-eks-node-group": NameRule(
        "EKS node group name",
        "Amazon EKS",
        63,
        r"[0-9A-Za-z][A-Za-z0-9_-]*",
        "letters, digits, - and _, starting with a letter or digit",
        "awsdocs/amazon-eks-user-guide latest/ug/nodes/create-managed-node-group.adoc "
        "(2024-12-18): 'The node group name can't be longer than 63 characters. It must start "
        "with letter or digit, but can also include hyphens and underscores'",
    ),
    "aws-launch-template": NameRule(
        "launch template name",
        "Amazon EC2",
        128,
        r"[a-zA-Z0-9().\-/_]+",
        "letters, digits and ().-/_",
        f"{_BOTO}: ec2 LaunchTemplateName min 3 max 128 pattern [a-zA-Z0-9\\(\\)\\.\\-/_]+",
        min_length=3,
    ),
    "aws-security-group": NameRule(
        "security group name",
        "Amazon EC2",
        255,
        r"(?!sg-)[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]+",
        "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*, not starting with sg-",
        f"{_BOTO}: ec2 CreateSecurityGroup.GroupName 'Up to 255 characters in length. Can't "
        "start with sg-. Valid characters: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*'",
    ),
    "aws-s3-bucket": NameRule(
        "S3 bucket name",
        "Amazon S3",
        63,
        r"(?!xn--|sthree-|amzn-s3-demo-)(?!.*\.\.)[a-z0-9][a-z0-9.-]*[a-z0-9]"
        r"(?<!-s3alias)(?<!--ol-s3)(?<!\.mrap)(?<!--x-s3)(?<!--table-s3)",
        "lowercase letters, digits, . and -, starting and ending with a letter or digit",
        "docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html: 'Bucket names "
        "must be between 3 (min) and 63 (max) characters long', lowercase letters, numbers, "
        "periods and hyphens, no xn--/sthree-/amzn-s3-demo- prefix nor -s3alias/--ol-s3/.mrap/"
        "--x-s3/--table-s3 suffix",
        min_length=3,
    ),
    "aws-ecr-repository": NameRule(
        "ECR repository name",
        "Amazon ECR",
        256,
        r"[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*",
        "lowercase letters, digits and single separators (. _ -)",
        f"{_BOTO}: ecr CreateRepository.repositoryName min 2 max 256 pattern "
        "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*",
        min_length=2,
    ),
    "aws-rds-instance": NameRule(
        "RDS instance identifier",
        "Amazon RDS",
        63,
        _RDS_ID,
        "letters, digits and single hyphens, starting with a letter, not ending with a hyphen",
        f"{_BOTO}: rds CreateDBInstance.DBInstanceIdentifier 'Must contain from 1 to 63 "
        "letters, numbers, or hyphens. First character must be a letter. Can't end with a "
        "hyphen or contain two consecutive hyphens.'",
    ),
    "aws-rds-snapshot": NameRule(
        "RDS final snapshot identifier",
        "Amazon RDS",
        255,
        _RDS_ID,
        "letters, digits and single hyphens, starting with a letter, not ending with a hyphen",
        f"{_BOTO}: rds DeleteDBInstance.FinalDBSnapshotIdentifier 'Must be 1 to 255 letters or "
        "numbers. First character must be a letter. Can't end with a hyphen or contain two "
        "consecutive hyphens.'",
    ),
    "aws-rds-subnet-group": NameRule(
        "RDS subnet group name",
        "Amazon RDS",
        255,
        r"(?!default$)[A-Za-z][A-Za-z0-9._ -]*",
        "letters, digits, periods, underscores, spaces and hyphens, starting with a letter",
        f"{_BOTO}: rds CreateDBSubnetGroup.DBSubnetGroupName 'Must contain no more than 255 "
        "letters, numbers, periods, underscores, spaces, or hyphens. Must not be default. "
        "First character must be a letter.'",
    ),
    "aws-rds-parameter-group": NameRule(
        "RDS parameter group name",
        "Amazon RDS",
        255,
        _RDS_ID,
        "letters, digits and single hyphens, starting with a letter, not ending with a hyphen",
        f"{_BOTO}: rds CreateDBParameterGroup.DBParameterGroupName 'Must be 1 to 255 letters, "
        "numbers, or hyphens. First character must be a letter. Can't end with a hyphen or "
        "contain two consecutive hyphens'",
    ),
    "aws-log-group": NameRule(
        "CloudWatch log group name",
        "CloudWatch Logs",
        512,
        r"[.\-_/#A-Za-z0-9]+",
        "letters, digits and ._-/#",
        f"{_BOTO}: logs CreateLogGroup.logGroupName min 1 max 512 pattern [\\.\\-_/#A-Za-z0-9]+",
    ),
    "aws-cloudwatch-alarm": NameRule(
        "CloudWatch alarm name",
        "CloudWatch",
        255,
        r"[^\x00-\x1f\x7f]+",
        "characters that are not ASCII control characters",
        f"{_BOTO}: cloudwatch PutMetricAlarm.AlarmName min 1 max 255 'can't contain ASCII "
        "control characters'",
    ),
    "aws-sns-topic": NameRule(
        "SNS topic name",
        "Amazon SNS",
        256,
        r"[A-Za-z0-9_-]+",
        "letters, digits, _ and -",
        f"{_BOTO}: sns CreateTopic.Name 'Topic names must be made up of only uppercase and "
        "lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and "
        "256 characters long.'",
    ),
    "aws-amp-workspace-alias": NameRule(
        "Managed Prometheus workspace alias",
        "Amazon Managed Service for Prometheus",
        100,
        r".+",
        "any characters",
        f"{_BOTO}: amp CreateWorkspace.alias min 1 max 100",
    ),
    "aws-amp-rule-namespace": NameRule(
        "Managed Prometheus rule groups namespace name",
        "Amazon Managed Service for Prometheus",
        128,
        r".*[0-9A-Za-z][-.0-9A-Z_a-z]*.*",
        "letters, digits and -._",
        f"{_BOTO}: amp CreateRuleGroupsNamespace.name min 1 max 128 pattern "
        ".*[0-9A-Za-z][-.0-9A-Z_a-z]*.*",
    ),
    # --- Azure -------------------------------------------------------------------------
    "azure-resource-group": NameRule(
        "resource group name",
        "Azure Resource Manager",
        90,
        r"[-\w.()]*[-\w()]",
        "letters, digits, underscores, hyphens, periods and parentheses, not ending in a period",
        f"{_AZ_RULES}: 'resourcegroups | subscription | 1-90 | Underscores, hyphens, periods, "
        f"parentheses, and letters or digits. Can't end with period.'; {_AZURERM} "
        "internal/services/resource/validate (^[-\\w._()]+$)",
    ),
    "azure-aks-cluster": NameRule(
        "AKS cluster name",
        "AKS",
        63,
        r"[a-zA-Z0-9]|[a-zA-Z0-9][-_a-zA-Z0-9]*[a-zA-Z0-9]",
        "letters, digits, - and _, starting and ending with a letter or digit",
        f"{_AZ_RULES}: 'managedClusters | resource group | 1-63 | Alphanumerics, underscores, "
        f"and hyphens. Start and end with alphanumeric.'; {_AZURERM} "
        "internal/services/containers/validate/kubernetes.go KubernetesClusterName",
    ),
    "azure-aks-dns-prefix": NameRule(
        "AKS DNS prefix",
        "AKS",
        54,
        r"[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?",
        "letters, digits and hyphens, starting and ending with a letter or digit",
        f"{_AZURERM} internal/services/containers/validate/kubernetes.go KubernetesDNSPrefix: "
        "'must begin and end with a letter or number, contain only letters, numbers, and "
        "hyphens and be between 1 and 54 characters in length'",
    ),
    "azure-aks-node-resource-group": NameRule(
        "AKS node resource group name",
        "AKS",
        80,
        r"[-\w.()]*[-\w()]",
        "letters, digits, underscores, hyphens, periods and parentheses",
        "the AKS API's refusal, 'The length of the node resource group name is too long. The "
        "maximum length is 80 and the length of the value provided is 89. Please see "
        "https://aka.ms/aks-naming-rules' (github.com/Azure-Terraform/terraform-azurerm-"
        "kubernetes/issues/33, 2021-03-03; the same text in rancher/rancher#21264, 2019, and "
        "Azure/aad-pod-identity#810, 2020); the default name 'MC_{cluster_rg}_{aks_name}_"
        "{region}' (Azure/telescope#1056, 2026-02-12)",
    ),
    "azure-aks-agent-pool": NameRule(
        "AKS node pool name",
        "AKS",
        AKS_POOL_MAX,
        r"[a-z][a-z0-9]*",
        "lowercase letters and digits, starting with a letter",
        "MicrosoftDocs/azure-aks-docs@fb060abe articles/aks/create-node-pools.md (2026-08-21): "
        "'The name of a node pool can only contain lowercase alphanumeric characters and must "
        "begin with a lowercase letter. For Linux node pools, the length must be between 1-12 "
        "characters.'",
    ),
    "azure-storage-account": NameRule(
        "storage account name",
        "Azure Storage",
        STORAGE_ACCOUNT_MAX,
        r"[a-z0-9]+",
        "lowercase letters and digits",
        f"{_AZ_RULES}: 'storageAccounts | global | 3-24 | Lowercase letters and numbers.'",
        min_length=3,
    ),
    "azure-blob-container": NameRule(
        "blob container name",
        "Azure Storage",
        63,
        r"[a-z0-9](?!.*--)[a-z0-9-]*",
        "lowercase letters, digits and single hyphens, starting with a letter or digit",
        f"{_AZ_RULES}: 'containers | storage account | 3-63 | Lowercase letters, numbers, and "
        "hyphens. Start with lowercase letter or number. Can't use consecutive hyphens.'",
        min_length=3,
    ),
    "azure-container-registry": NameRule(
        "container registry name",
        "ACR",
        REGISTRY_NAME_MAX,
        r"[a-zA-Z0-9]+",
        "letters and digits",
        f"{_AZ_RULES}: 'registries | global | 5-50 | Alphanumerics.'; {_AZURERM} "
        "ContainerRegistryName",
        min_length=5,
    ),
    "azure-postgres-flexible-server": NameRule(
        "PostgreSQL flexible server name",
        "Azure Database for PostgreSQL",
        63,
        r"[a-z0-9]([a-z0-9-]*[a-z0-9])?",
        "lowercase letters, digits and hyphens, not starting or ending with a hyphen",
        "learn.microsoft.com/cli/azure/postgres/flexible-server: 'The name can contain only "
        "lowercase letters, numbers, and the hyphen (-) character. Minimum 3 characters and "
        f"maximum 63 characters.'; {_AZURERM} internal/services/postgres/validate/"
        "flexible_server_name.go (^[a-z0-9]([a-z0-9-]+[a-z0-9])?$, at most 63)",
        min_length=3,
    ),
    "azure-managed-identity": NameRule(
        "managed identity name",
        "Azure Resource Manager",
        128,
        r"[a-zA-Z0-9][a-zA-Z0-9_-]*",
        "letters, digits, - and _, starting with a letter or digit",
        f"{_AZ_RULES}: 'userAssignedIdentities | resource group | 3-128 | Alphanumerics, "
        "hyphens, and underscores. Start with letter or number.'",
        min_length=3,
    ),
    "azure-log-analytics-workspace": NameRule(
        "Log Analytics workspace name",
        "Azure Monitor",
        63,
        r"[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]",
        "letters, digits and hyphens, starting and ending with a letter or digit",
        f"{_AZ_RULES}: 'workspaces | resource group | 4-63 | Alphanumerics and hyphens. Start "
        f"and end with alphanumeric.'; {_AZURERM} internal/services/loganalytics/validate/"
        "log_analytics_workspace_name.go",
        min_length=4,
    ),
    "azure-virtual-network": NameRule(
        "virtual network name",
        "Azure Resource Manager",
        64,
        _AZ_NETWORK,
        "letters, digits, underscores, periods and hyphens, starting with a letter or digit "
        "and ending with a letter, digit or underscore",
        f"{_AZ_RULES}: 'virtualNetworks | resource group | 2-64 | Alphanumerics, underscores, "
        "periods, and hyphens. Start with alphanumeric. End alphanumeric or underscore.'",
        min_length=2,
    ),
    "azure-subnet": NameRule(
        "subnet name",
        "Azure Resource Manager",
        80,
        _AZ_NETWORK,
        "letters, digits, underscores, periods and hyphens, starting with a letter or digit "
        "and ending with a letter, digit or underscore",
        f"{_AZ_RULES}: 'virtualNetworks / subnets | virtual network | 1-80 | Alphanumerics, "
        "underscores, periods, and hyphens. Start with alphanumeric. End alphanumeric or "
        "underscore.'",
    ),
    "azure-private-endpoint": NameRule(
        "private endpoint name",
        "Azure Resource Manager",
        64,
        _AZ_NETWORK,
        "letters, digits, underscores, periods and hyphens, starting with a letter or digit "
        "and ending with a letter, digit or underscore",
        f"{_AZ_RULES}: 'privateEndpoints | resource group | 2-64 | Alphanumerics, underscores, "
        "periods, and hyphens. Start with alphanumeric. End alphanumeric or underscore.'",
        min_length=2,
    ),
    "azure-private-dns-zone": NameRule(
        "private DNS zone name",
        "Azure DNS",
        253,
        r"(?=(?:[^.]+\.){1,33}[^.]+$)(?:[A-Za-z0-9_-]{1,63}\.)+[A-Za-z0-9_-]{1,63}",
        "2 to 34 labels of at most 63 letters, digits, _ and - each",
        f"{_AZ_RULES}: 'privateDnsZones | resource group | 1-63 characters, 2 to 34 labels | "
        "Each label can contain alphanumerics, underscores, and hyphens. Each label is "
        "separated by a period.' (read here as DNS does: 63 a label, 253 in all)",
    ),
    # --- GCP ---------------------------------------------------------------------------
    "gcp-gke-cluster": NameRule(
        "GKE cluster name",
        "GKE",
        40,
        _GCE_NAME,
        "lowercase letters, digits and hyphens, starting with a letter, ending with a letter "
        "or digit",
        "google-cloud-container 2.67.0 container_v1 Cluster.name: 'can be up to 40 characters "
        "with the following restrictions: Lowercase letters, numbers, and hyphens only. Must "
        "start with a letter. Must end with a number or a letter.'",
    ),
    "gcp-gke-node-pool": NameRule(
        "GKE node pool name",
        "GKE",
        40,
        _GCE_NAME,
        "lowercase letters, digits and hyphens, starting with a letter, ending with a letter "
        "or digit",
        "the GKE API's refusal: 'Invalid value for field \"node_pool.name\" ... Must be a match "
        "of regex '(?:[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?)' (only lowercase alphanumerics and '-' "
        "allowed, must start with a letter and end with an alphanumeric, and must be no longer "
        "than 40 characters)' (github.com/pulumi/pulumi-gcp/issues/1510, 2024-01-05)",
    ),
    "gcp-storage-bucket": NameRule(
        "Cloud Storage bucket name",
        "Cloud Storage",
        63,
        r"(?!goog)(?!.*g[o0]{2}gle)[a-z0-9][a-z0-9_.-]*[a-z0-9]",
        "lowercase letters, digits, _ . and -, starting and ending with a letter or digit, "
        "without goog or google",
        "cloud.google.com/storage/docs/buckets#naming: 'Bucket names must contain 3-63 "
        "characters', lowercase letters, numeric characters, dashes, underscores and dots, "
        "start and end with a number or letter, 'cannot begin with the \"goog\" prefix', "
        "'cannot contain \"google\" or close misspellings'",
        min_length=3,
    ),
    "gcp-artifact-registry-repository": NameRule(
        "Artifact Registry repository id",
        "Artifact Registry",
        REPOSITORY_ID_MAX,
        _GCE_NAME,
        "lowercase letters, digits and hyphens, starting with a letter",
        "google-cloud-artifact-registry 1.23.0 Repository.name ('For each location in a "
        "project, repository names must be unique'); no length or character rule found in the "
        "API, Terraform or Google docs: the RFC 1035 rule here is the platform's own",
        verified=False,
    ),
    "gcp-cloud-sql-instance": NameRule(
        "Cloud SQL instance id",
        "Cloud SQL",
        98,
        r"[a-z][-a-z0-9]*",
        "lowercase letters, digits and hyphens, starting with a letter",
        "docs.cloud.google.com/python/docs/reference/google-cloud-sql/latest (updated "
        "2026-10-03): 'Cloud SQL instance ID. This doesn't include the project ID. It's "
        "composed of lowercase letters, numbers, and hyphens, and it must start with a letter. "
        "The total length must be 98 characters or less'",
        read="2026-10-03",
    ),
    "gcp-service-account-id": NameRule(
        "service account id",
        "Google Cloud IAM",
        SERVICE_ACCOUNT_ID_MAX,
        r"[a-z]([-a-z0-9]*[a-z0-9])",
        "lowercase letters, digits and hyphens, starting with a letter",
        "IAM v1 CreateServiceAccountRequest.account_id (updated 2026-05-09): 'must be 6-30 "
        "characters long, and match the regular expression [a-z]([-a-z0-9]*[a-z0-9]) to "
        "comply with RFC1035'",
        read="2026-05-09",
        min_length=SERVICE_ACCOUNT_ID_MIN,
    ),
    "gcp-kms-key-ring": NameRule(
        "KMS key ring id",
        "Cloud KMS",
        63,
        r"[a-zA-Z0-9_-]+",
        "letters, digits, _ and -",
        "google-cloud-kms 3.18.0 CreateKeyRingRequest.key_ring_id: 'match the regular "
        "expression [a-zA-Z0-9_-]{1,63}'",
    ),
    "gcp-kms-crypto-key": NameRule(
        "KMS key id",
        "Cloud KMS",
        63,
        r"[a-zA-Z0-9_-]+",
        "letters, digits, _ and -",
        "google-cloud-kms 3.18.0 CreateCryptoKeyRequest.crypto_key_id: 'match the regular "
        "expression [a-zA-Z0-9_-]{1,63}'",
    ),
    "gcp-compute-name": NameRule(
        "Compute Engine name",
        "Compute Engine",
        63,
        _GCE_NAME,
        "lowercase letters, digits and hyphens, starting with a letter, ending with a letter "
        "or digit",
        "hashicorp/terraform-provider-google@e03b7622 website/docs/r/compute_network.html."
        "markdown (2026-08-21, from the API): 'the name must be 1-63 characters long and match "
        "the regular expression [a-z]([-a-z0-9]*[a-z0-9])?'",
    ),
    "gcp-log-bucket": NameRule(
        "Cloud Logging bucket id",
        "Cloud Logging",
        100,
        r"[A-Za-z0-9][A-Za-z0-9_.-]*",
        "letters, digits, _ . and -, starting with a letter or digit",
        "googleapis.dev/dotnet/Google.Apis.Logging.v2 CreateBucketRequest.BucketId: "
        "'Identifiers are limited to 100 characters and can include only letters, digits, "
        "underscores, hyphens, and periods. Bucket identifiers must start with an alphanumeric "
        "character.'",
    ),
    "gcp-log-sink": NameRule(
        "Cloud Logging sink name",
        "Cloud Logging",
        100,
        r"[A-Za-z0-9][A-Za-z0-9_.-]*",
        "letters, digits, _ . and -, starting with a letter or digit",
        "googleapis/googleapis google/logging/v2/logging_config.proto LogSink.name: 'Sink "
        "identifiers are limited to 100 characters and can include only the following "
        "characters: upper and lower-case alphanumeric characters, underscores, hyphens, "
        "periods. First character has to be alphanumeric.'",
    ),
    "gcp-log-exclusion": NameRule(
        "Cloud Logging exclusion name",
        "Cloud Logging",
        100,
        r"[A-Za-z0-9][A-Za-z0-9_.-]*",
        "letters, digits, _ . and -, starting with a letter or digit",
        "googleapis/googleapis google/logging/v2/logging_config.proto LogExclusion.name: "
        "'Identifiers are limited to 100 characters and can include only letters, digits, "
        "underscores, hyphens, and periods. First character has to be alphanumeric.'",
    ),
    # --- Kubernetes --------------------------------------------------------------------
    "k8s-namespace": NameRule(
        "Kubernetes namespace name",
        "Kubernetes",
        63,
        DNS1123_LABEL_FORM,
        "lowercase letters, digits and hyphens, starting and ending with a letter or digit",
        f"{_APIMACHINERY}: dns1123LabelFmt, DNS1123LabelMaxLength = 63; pkg/api/validation/"
        "generic.go ValidateNamespaceName = NameIsDNSLabel",
    ),
    "k8s-service": NameRule(
        "Kubernetes Service name",
        "Kubernetes",
        63,
        r"[a-z]([-a-z0-9]*[a-z0-9])?",
        "lowercase letters, digits and hyphens, starting with a letter",
        f"{_APIMACHINERY}: dns1035LabelFmt [a-z]([-a-z0-9]*[a-z0-9])?, DNS1035LabelMaxLength "
        "= 63 (Services are DNS-1035 labels unless the alpha RelaxedServiceNameValidation gate "
        "is on)",
    ),
    "k8s-job": NameRule(
        "Kubernetes Job name",
        "Kubernetes",
        63,
        DNS_SUBDOMAIN_FORM,
        "lowercase letters, digits, - and .",
        "kubernetes.io/docs/concepts/workloads/controllers/job: 'The name of a Job must be a "
        "valid DNS subdomain value ... Even when the name is a DNS subdomain, the name must be "
        "no longer than 63 characters.' (it is the pods' job-name label)",
    ),
    "k8s-statefulset": NameRule(
        "Kubernetes StatefulSet name",
        "Kubernetes",
        52,
        DNS_SUBDOMAIN_FORM,
        "lowercase letters, digits, - and .",
        "github.com/kubernetes/kubernetes/issues/64023 (open since 2018-05-18; still hit in "
        "argoproj-labs/argocd-operator#2181, 2026-04-29): each pod's controller-revision-hash "
        "label is '<name>-<10-character hash>', and a label value is at most 63 characters, so "
        "a longer name creates no pods",
    ),
    "k8s-object": NameRule(
        "Kubernetes object name",
        "Kubernetes",
        253,
        DNS_SUBDOMAIN_FORM,
        "lowercase letters, digits, - and ., starting and ending with a letter or digit",
        f"{_APIMACHINERY}: dns1123SubdomainFmt, DNS1123SubdomainMaxLength = 253",
    ),
    "k8s-label-value": NameRule(
        "Kubernetes label value",
        "Kubernetes",
        63,
        QUALIFIED_NAME_FORM,
        "letters, digits, - _ and ., starting and ending with a letter or digit",
        "kubernetes/apimachinery@eed236ce pkg/api/validate/content/kube.go: "
        "LabelValueMaxLength = 63, labelValueFmt",
    ),
    "helm-release": NameRule(
        "Helm release name",
        "Helm",
        53,
        DNS_SUBDOMAIN_FORM,
        "lowercase letters, digits, - and .",
        "helm/helm pkg/action/install.go: 'const releaseNameMaxLen = 53' ('We reserve 10 for "
        "charts to add data')",
    ),
}

_K8S = "metadata.name"
LABEL_FIELD = "metadata.labels"
"""The field of a generated label value: the platform's Kubernetes objects carry it."""
LABEL_RULE = "k8s-label-value"

NAMED: dict[str, tuple[Named, ...]] = {
    "aws:iam/role:Role": (Named("name", "aws-iam-role", AWS_ROLE_AUTO),),
    "aws:iam/rolePolicy:RolePolicy": (Named("name", "aws-iam-inline-policy", AWS_AUTO),),
    "aws:eks/cluster:Cluster": (Named("name", "aws-eks-cluster", AWS_AUTO),),
    "aws:eks/nodeGroup:NodeGroup": (
        # pulumi/pulumi-aws@015d3438 resource_overrides.go: AutoName("nodeGroupName", 255, "-").
        Named("nodeGroupName", "aws-eks-node-group", AWS_AUTO),
    ),
    "aws:ec2/launchTemplate:LaunchTemplate": (Named("name", "aws-launch-template", AWS_AUTO),),
    "aws:ec2/securityGroup:SecurityGroup": (Named("name", "aws-security-group", AWS_AUTO),),
    "aws:s3/bucket:Bucket": (Named("bucket", "aws-s3-bucket", AWS_BUCKET_AUTO),),
    "aws:ecr/repository:Repository": (Named("name", "aws-ecr-repository", AWS_AUTO),),
    "aws:rds/instance:Instance": (
        Named("identifier", "aws-rds-instance", AWS_RDS_AUTO),
        Named("finalSnapshotIdentifier", "aws-rds-snapshot", None),
    ),
    "aws:rds/subnetGroup:SubnetGroup": (Named("name", "aws-rds-subnet-group", AWS_AUTO),),
    "aws:rds/parameterGroup:ParameterGroup": (Named("name", "aws-rds-parameter-group", AWS_AUTO),),
    "aws:cloudwatch/logGroup:LogGroup": (Named("name", "aws-log-group", AWS_AUTO),),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (
        # resource_overrides.go: "alarm_name": AutoName("name", 255, "-").
        Named("name", "aws-cloudwatch-alarm", AWS_AUTO),
    ),
    "aws:sns/topic:Topic": (Named("name", "aws-sns-topic", AWS_TOPIC_AUTO),),
    "aws:amp/workspace:Workspace": (Named("alias", "aws-amp-workspace-alias", None),),
    "aws:amp/ruleGroupNamespace:RuleGroupNamespace": (
        Named("name", "aws-amp-rule-namespace", None),
    ),
    "azure-native:resources:ResourceGroup": (
        Named("resourceGroupName", "azure-resource-group", AZURE_RANDOM),
    ),
    "azure-native:containerservice:ManagedCluster": (
        Named("resourceName", "azure-aks-cluster", AZURE_RANDOM),
        Named("dnsPrefix", "azure-aks-dns-prefix", None),
        Named("nodeResourceGroup", "azure-aks-node-resource-group", None),
    ),
    "azure-native:containerservice:AgentPool": (
        Named("agentPoolName", "azure-aks-agent-pool", None),
    ),
    "azure-native:storage:StorageAccount": (Named("accountName", "azure-storage-account", None),),
    "azure-native:storage:BlobContainer": (Named("containerName", "azure-blob-container", None),),
    "azure-native:containerregistry:Registry": (
        Named("registryName", "azure-container-registry", None),
    ),
    "azure-native:dbforpostgresql:Server": (
        Named("serverName", "azure-postgres-flexible-server", AZURE_RANDOM),
    ),
    "azure-native:managedidentity:UserAssignedIdentity": (
        Named("resourceName", "azure-managed-identity", AZURE_RANDOM),
    ),
    "azure-native:operationalinsights:Workspace": (
        Named("workspaceName", "azure-log-analytics-workspace", AZURE_RANDOM),
    ),
    "azure-native:network:VirtualNetwork": (
        Named("virtualNetworkName", "azure-virtual-network", AZURE_RANDOM),
    ),
    "azure-native:network:Subnet": (Named("subnetName", "azure-subnet", AZURE_COPY),),
    "azure-native:network:PrivateEndpoint": (
        Named("privateEndpointName", "azure-private-endpoint", AZURE_RANDOM),
    ),
    "azure-native:privatedns:PrivateZone": (
        Named("privateZoneName", "azure-private-dns-zone", None),
    ),
    "gcp:container/cluster:Cluster": (Named("name", "gcp-gke-cluster", GCP_AUTO),),
    "gcp:container/nodePool:NodePool": (Named("name", "gcp-gke-node-pool", GCP_AUTO),),
    "gcp:storage/bucket:Bucket": (Named("name", "gcp-storage-bucket", GCP_AUTO),),
    "gcp:artifactregistry/repository:Repository": (
        Named("repositoryId", "gcp-artifact-registry-repository", None),
    ),
    "gcp:sql/databaseInstance:DatabaseInstance": (
        Named("name", "gcp-cloud-sql-instance", GCP_AUTO),
    ),
    "gcp:serviceaccount/account:Account": (Named("accountId", "gcp-service-account-id", None),),
    "gcp:kms/keyRing:KeyRing": (Named("name", "gcp-kms-key-ring", GCP_AUTO),),
    "gcp:kms/cryptoKey:CryptoKey": (Named("name", "gcp-kms-crypto-key", GCP_AUTO),),
    "gcp:compute/network:Network": (Named("name", "gcp-compute-name", GCP_AUTO),),
    "gcp:compute/subnetwork:Subnetwork": (Named("name", "gcp-compute-name", GCP_AUTO),),
    "gcp:compute/router:Router": (Named("name", "gcp-compute-name", GCP_AUTO),),
    "gcp:compute/routerNat:RouterNat": (Named("name", "gcp-compute-name", GCP_AUTO),),
    "gcp:compute/globalAddress:GlobalAddress": (Named("name", "gcp-compute-name", GCP_AUTO),),
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": (
        Named("bucketId", "gcp-log-bucket", None),
    ),
    "gcp:logging/projectSink:ProjectSink": (Named("name", "gcp-log-sink", GCP_AUTO),),
    "gcp:logging/projectExclusion:ProjectExclusion": (
        Named("name", "gcp-log-exclusion", GCP_AUTO),
    ),
    "kubernetes:core/v1:Namespace": (Named(_K8S, "k8s-namespace", KUBERNETES_AUTO),),
    "kubernetes:core/v1:Service": (Named(_K8S, "k8s-service", KUBERNETES_AUTO),),
    "kubernetes:batch/v1:Job": (Named(_K8S, "k8s-job", KUBERNETES_AUTO),),
    "kubernetes:apps/v1:StatefulSet": (Named(_K8S, "k8s-statefulset", KUBERNETES_AUTO),),
    **{
        f"kubernetes:{kind}": (Named(_K8S, "k8s-object", KUBERNETES_AUTO),)
        for kind in (
            "apps/v1:Deployment",
            "core/v1:ConfigMap",
            "core/v1:Secret",
            "core/v1:ServiceAccount",
            "core/v1:PersistentVolumeClaim",
            "core/v1:ResourceQuota",
            "networking.k8s.io/v1:NetworkPolicy",
            "networking.k8s.io/v1:Ingress",
            "policy/v1:PodDisruptionBudget",
            "storage.k8s.io/v1:StorageClass",
            "monitoring.coreos.com/v1:ServiceMonitor",
            "monitoring.coreos.com/v1:PodMonitor",
            "monitoring.coreos.com/v1:PrometheusRule",
        )
    },
    "kubernetes:helm.sh/v3:Release": (Named("name", "helm-release", None),),
}
"""Per resource type the platform creates, where its physical names are and what they must
be. Types not here carry no name a cloud judges (route tables, KMS keys without aliases, role
assignments named by UUID) or a name preflight has no checked rule for (Azure Monitor
workspaces, data collection rules and endpoints, federated credentials, action groups)."""


def named(resource: str, field: str) -> Named:
    """The `NAMED` entry of `resource`'s `field`."""
    return next(n for n in NAMED[resource] if n.field == field)
