"""Artifact buckets: no public access, versioning and soft delete, encryption, TLS, uniform
access; access logs, shared keys and old-version lifecycle as advice.

In pulumi-aws v7 an S3 bucket's public-access block, versioning, encryption, logging and
lifecycle are separate resources that take the bucket as input: those rules are stack rules
that pair each bucket with its settings through the `bucket` input's dependency.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from mlplatform_policies.model import (
    PUBLIC_MEMBERS,
    Absent,
    Config,
    Resource,
    Rule,
    get,
    iam_grants,
    items,
    of_type,
    violations,
)

S3_BUCKETS = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
S3_PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
S3_VERSIONING = (
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketVersioningV2:BucketVersioningV2",
)
S3_ENCRYPTION = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
)
S3_LOGGING = ("aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2")
S3_LIFECYCLE = (
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
)
"""pulumi-aws v7 types and their deprecated V2 spellings; the v6-style inline settings on the
bucket (versioning, serverSideEncryptionConfiguration, logging, lifecycleRules) count too."""
STORAGE_ACCOUNT = "azure-native:storage:StorageAccount"
BLOB_CONTAINER = "azure-native:storage:BlobContainer"
BLOB_SERVICE = "azure-native:storage:BlobServiceProperties"
GCS_BUCKET = "gcp:storage/bucket:Bucket"
GCS_IAM = (
    "gcp:storage/bucketIAMMember:BucketIAMMember",
    "gcp:storage/bucketIAMBinding:BucketIAMBinding",
    "gcp:storage/bucketIAMPolicy:BucketIAMPolicy",
)
"""A bucket's IAM member (`member`), binding (`members`) and whole policy (`policyData`):
pulumi-gcp 10.2.0, registry pages gcp/api-docs/storage/bucketiammember and bucketiampolicy."""
PRIVATE_NETWORK_ACCESS = ("Disabled", "SecuredByPerimeter")
"""StorageAccount `publicNetworkAccess` values that shut public networks out, or hand the
decision to a Network Security Perimeter; unset means Enabled (pulumi-azure-native 3.29.0
PublicNetworkAccess enum: Enabled, Disabled, SecuredByPerimeter; registry page
azure-native/api-docs/storage/storageaccount)."""
PUBLIC_ACCESS_FLAGS = (
    "blockPublicAcls",
    "blockPublicPolicy",
    "ignorePublicAcls",
    "restrictPublicBuckets",
)
NONCURRENT_S3 = (
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-mgmt.html (objects and "
    "their noncurrent versions stay until a lifecycle rule expires them)"
)
NONCURRENT_GCS = (
    "https://cloud.google.com/storage/docs/using-object-versioning: 'There is no default limit "
    "on the number of object versions you can have' (Object Lifecycle Management removes them)"
)
AZURE_NETWORK_DEFAULTS = (
    "pulumi-azure-native 3.29.0: StorageAccount publicNetworkAccess unset means Enabled (enum "
    "Enabled, Disabled, SecuredByPerimeter), and NetworkRuleSet fills defaultAction 'Allow' "
    "when it is left out (registry page azure-native/api-docs/storage/storageaccount)"
)
AZURE_DATA_PROTECTION = (
    "https://learn.microsoft.com/azure/storage/blobs/versioning-overview ('You can enable Blob "
    "storage versioning'); CIS Azure Foundations 'Default Value': 'Soft delete for blobs is "
    "enabled by default on storage accounts created via the Azure Portal, and disabled by "
    "default on storage accounts created via Azure CLI or PowerShell' (the ARM API, as "
    "Pulumi uses it, enables none of them)"
)
"""Sources of the defaults several left-out properties share."""


def settings_of(
    bucket: Resource,
    resources: Sequence[Resource],
    setting_types: str | tuple[str, ...],
    prop: str = "bucket",
) -> list[Resource]:
    """The settings resources of `setting_types` that take `bucket` as their `prop` input."""
    types = (setting_types,) if isinstance(setting_types, str) else setting_types
    return [r for r in of_type(resources, *types) if r.depends_on(bucket, prop)]


def _s3_public_access(resources: Sequence[Resource], _: Config) -> Iterator[tuple[str, str]]:
    for bucket in of_type(resources, *S3_BUCKETS):
        if not settings_of(bucket, resources, S3_PUBLIC_ACCESS_BLOCK):
            yield "the bucket has no BucketPublicAccessBlock", bucket.urn


def _s3_block_flags(resource: Resource, _: Config) -> Iterator[str]:
    # Every block on its own, whichever bucket it names: one in a user's program on a bucket
    # made elsewhere opens that bucket as surely as one of ours would.
    for flag in PUBLIC_ACCESS_FLAGS:
        if get(resource.props, flag) is not True:  # each flag defaults to false
            yield f"{flag} is not true"


def _s3_versioning(resources: Sequence[Resource], _: Config) -> Iterator[tuple[str, str]]:
    for bucket in of_type(resources, *S3_BUCKETS):
        found = settings_of(bucket, resources, S3_VERSIONING)
        statuses = [get(v.props, "versioningConfiguration.status") for v in found]
        inline = get(bucket.props, "versioning.enabled") is True
        if "Enabled" not in statuses and not inline:
            yield "versioning is not Enabled (no BucketVersioning with status Enabled)", bucket.urn


def _s3_encryption(resources: Sequence[Resource], _: Config) -> Iterator[tuple[str, str]]:
    for bucket in of_type(resources, *S3_BUCKETS):
        found = settings_of(bucket, resources, S3_ENCRYPTION)
        algorithms = [
            get(rule, "applyServerSideEncryptionByDefault.sseAlgorithm")
            for config in found
            for rule in items(config.props, "rules")
        ] + [
            get(
                bucket.props,
                "serverSideEncryptionConfiguration.rule."
                "applyServerSideEncryptionByDefault.sseAlgorithm",
            )
        ]
        if not {"aws:kms", "aws:kms:dsse"} & set(algorithms):
            yield "no default encryption with a KMS key (sseAlgorithm aws:kms)", bucket.urn


def _s3_logging(resources: Sequence[Resource], _: Config) -> Iterator[tuple[str, str]]:
    for bucket in of_type(resources, *S3_BUCKETS):
        inline = get(bucket.props, "logging.targetBucket") is not None
        if not settings_of(bucket, resources, S3_LOGGING) and not inline:
            yield "server access logging is off (no BucketLogging)", bucket.urn


def _noncurrent_lifecycle(resources: Sequence[Resource], _: Config) -> Iterator[tuple[str, str]]:
    for bucket in of_type(resources, *S3_BUCKETS):
        rules = [
            rule
            for config in settings_of(bucket, resources, S3_LIFECYCLE)
            for rule in items(config.props, "rules")
        ]
        inline = items(bucket.props, "lifecycleRules")
        if not any(get(r, "noncurrentVersionExpiration") is not None for r in [*rules, *inline]):
            yield "old object versions never expire (no noncurrentVersionExpiration)", bucket.urn
    for bucket in of_type(resources, GCS_BUCKET):
        conditions = [get(r, "condition", {}) for r in items(bucket.props, "lifecycleRules")]
        if not any(
            get(c, "daysSinceNoncurrentTime") is not None or get(c, "numNewerVersions") is not None
            for c in conditions
        ):
            yield "old object versions never expire (no noncurrent lifecycle rule)", bucket.urn


def _azure_public(resource: Resource, _: Config) -> Iterator[str]:
    if resource.type == STORAGE_ACCOUNT:
        if get(resource.props, "allowBlobPublicAccess") is not False:
            yield "allowBlobPublicAccess is not false"
    elif get(resource.props, "publicAccess", "None") != "None":
        yield f"the container's publicAccess is {get(resource.props, 'publicAccess')!r}, not None"


def _azure_network(resource: Resource, _: Config) -> Iterator[str]:
    access = get(resource.props, "publicNetworkAccess")
    if access in PRIVATE_NETWORK_ACCESS:
        return
    if get(resource.props, "networkRuleSet.defaultAction") != "Deny":
        said = "is not set (Azure enables it)" if access is None else f"is {access!r}"
        yield (
            f"publicNetworkAccess {said} and networkRuleSet.defaultAction is not Deny: any "
            "network can reach the account"
        )


def _azure_transport(resource: Resource, _: Config) -> Iterator[str]:
    tls = get(resource.props, "minimumTlsVersion")
    said = "is not set (Azure reads TLS 1.0)" if tls is None else f"is {tls!r}"
    return violations(
        (tls not in ("TLS1_2", "TLS1_3"), f"minimumTlsVersion {said}, not TLS1_2 or newer"),
        (
            get(resource.props, "enableHttpsTrafficOnly", True) is not True,
            "enableHttpsTrafficOnly is false",
        ),
    )


def _azure_soft_delete(resources: Sequence[Resource], _: Config) -> Iterator[tuple[str, str]]:
    for account in of_type(resources, STORAGE_ACCOUNT):
        services = settings_of(account, resources, BLOB_SERVICE, "accountName")
        if not services:
            yield "the account has no BlobServiceProperties (versioning, soft delete)", account.urn
        for service in services:
            props = service.props
            yield from (
                (message, service.urn)
                for message in violations(
                    (get(props, "isVersioningEnabled") is not True, "blob versioning is off"),
                    (
                        get(props, "deleteRetentionPolicy.enabled") is not True,
                        "blob soft delete is off",
                    ),
                    (
                        get(props, "containerDeleteRetentionPolicy.enabled") is not True,
                        "container soft delete is off",
                    ),
                )
            )


def _azure_shared_key(resource: Resource, _: Config) -> Iterator[str]:
    if get(resource.props, "allowSharedKeyAccess") is not False:
        yield "allowSharedKeyAccess is not false: account keys can still sign requests"


def _gcs(resource: Resource, _: Config) -> Iterator[str]:
    prevention = get(resource.props, "publicAccessPrevention")
    said = (
        "is not set (GCS inherits the organization policy)"
        if prevention is None
        else f"is {prevention!r}"
    )
    return violations(
        (prevention != "enforced", f"publicAccessPrevention {said}, not 'enforced'"),
        (
            get(resource.props, "uniformBucketLevelAccess") is not True,
            "uniformBucketLevelAccess is not true (object ACLs stay possible)",
        ),
    )


def _gcs_iam(resource: Resource, _: Config) -> Iterator[str]:
    try:
        grants = iam_grants(resource.props)
    except ValueError:
        yield "policyData is not a JSON IAM policy: who it grants cannot be read"
        return
    for role, member in grants:
        if member in PUBLIC_MEMBERS:
            yield f"{member} holds {role} on the bucket"


def _gcs_versioning(resource: Resource, _: Config) -> Iterator[str]:
    if get(resource.props, "versioning.enabled") is not True:
        yield "versioning is not enabled"


def _gcs_logging(resource: Resource, _: Config) -> Iterator[str]:
    if get(resource.props, "logging.logBucket") is None:
        yield "usage logging is off (no logging.logBucket)"


FRAMEWORKS = ("cis-aws-foundations", "cis-azure-foundations", "cis-gcp-foundations")

RULES = (
    Rule(
        id="MLP-STO-01",
        name="aws-s3-bucket-public-access-blocked",
        description="Every S3 bucket has a public access block (its flags: MLP-STO-13).",
        enforcement="mandatory",
        severity="critical",
        resource_types=(*S3_BUCKETS, S3_PUBLIC_ACCESS_BLOCK),
        anchor="CKV2_AWS_6",
        frameworks=("cis-aws-foundations",),
        remediation="Use mlplatform's S3ArtifactStore, which blocks public ACLs and policies.",
        stack_check=_s3_public_access,
        # Pairs each bucket with a block through the block's required `bucket` input: no
        # property is read, so none is interpreted when left out (the flags: MLP-STO-13).
    ),
    Rule(
        id="MLP-STO-13",
        name="aws-s3-public-access-block-all-on",
        description="Every S3 public access block turns all four flags on, whichever bucket it "
        "names.",
        enforcement="mandatory",
        severity="critical",
        resource_types=(S3_PUBLIC_ACCESS_BLOCK,),
        anchor="CKV_AWS_53-56",
        frameworks=("cis-aws-foundations",),
        remediation="Set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and "
        "restrictPublicBuckets to true.",
        check=_s3_block_flags,
        absent=tuple(
            Absent(
                S3_PUBLIC_ACCESS_BLOCK,
                flag,
                "false",
                "pulumi_aws 7.51.1 BucketPublicAccessBlock (registry page "
                "aws/api-docs/s3/bucketpublicaccessblock): each flag is optional and "
                "'Defaults to `false`'",
                "unsafe",
            )
            for flag in PUBLIC_ACCESS_FLAGS
        ),
    ),
    Rule(
        id="MLP-STO-02",
        name="aws-s3-bucket-versioning-enabled",
        description="Every S3 bucket keeps object versions.",
        enforcement="mandatory",
        severity="high",
        resource_types=(*S3_BUCKETS, *S3_VERSIONING),
        anchor="CKV_AWS_21",
        frameworks=("cis-aws-foundations",),
        remediation="Add a BucketVersioning with status Enabled (S3ArtifactStore does).",
        stack_check=_s3_versioning,
        absent=(
            Absent(
                S3_BUCKETS[0],
                "versioning.enabled",
                "versioning off: 'Buckets can be in one of three states: unversioned (the "
                "default), versioning-enabled, or versioning-suspended'",
                "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
                "unsafe",
            ),
        ),
    ),
    Rule(
        id="MLP-STO-03",
        name="aws-s3-bucket-kms-encrypted",
        description="Every S3 bucket encrypts new objects with a KMS key by default.",
        enforcement="mandatory",
        severity="high",
        resource_types=(*S3_BUCKETS, *S3_ENCRYPTION),
        anchor="CKV_AWS_145",
        frameworks=("cis-aws-foundations",),
        remediation="Add a BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms.",
        stack_check=_s3_encryption,
        absent=(
            Absent(
                S3_BUCKETS[0],
                "serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault",
                "SSE-S3 (AES256, keys Amazon S3 manages), not a KMS key",
                "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingServerSideEncryption"
                ".html: 'All new object uploads to Amazon S3 buckets are encrypted by default "
                "with server-side encryption with Amazon S3 managed keys (SSE-S3)'",
                "unsafe",
            ),
            Absent(
                S3_ENCRYPTION[0],
                "rules[].applyServerSideEncryptionByDefault",
                "SSE-S3 (AES256, keys Amazon S3 manages), not a KMS key",
                "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingServerSideEncryption"
                ".html: 'All new object uploads to Amazon S3 buckets are encrypted by default "
                "with server-side encryption with Amazon S3 managed keys (SSE-S3)'",
                "unsafe",
            ),
        ),
    ),
    Rule(
        id="MLP-STO-04",
        name="aws-s3-bucket-access-logging",
        description="S3 buckets log server access.",
        enforcement="advisory",
        severity="low",
        resource_types=(*S3_BUCKETS, *S3_LOGGING),
        anchor="CKV_AWS_18",
        frameworks=("cis-aws-foundations",),
        remediation="Add a BucketLogging to a log bucket you own.",
        stack_check=_s3_logging,
        absent=(
            Absent(
                S3_BUCKETS[0],
                "logging",
                "server access logging off",
                "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html "
                "('By default, Amazon S3 doesn't collect server access logs')",
                "unsafe",
            ),
        ),
    ),
    Rule(
        id="MLP-STO-05",
        name="platform-bucket-noncurrent-versions-expire",
        description="Old object versions in S3 and GCS buckets expire.",
        enforcement="advisory",
        severity="low",
        resource_types=(*S3_BUCKETS, *S3_LIFECYCLE, GCS_BUCKET),
        anchor="CKV2_AWS_61",
        frameworks=(),
        remediation="Add a lifecycle rule expiring noncurrent versions (S3ArtifactStore and "
        "GcsArtifactStore keep them 90 days).",
        stack_check=_noncurrent_lifecycle,
        absent=(
            Absent(
                S3_BUCKETS[0],
                "lifecycleRules",
                "no lifecycle rule: noncurrent versions are kept (and billed) for ever",
                NONCURRENT_S3,
                "unsafe",
            ),
            Absent(
                S3_BUCKETS[0],
                "lifecycleRules[].noncurrentVersionExpiration",
                "the rule does not expire noncurrent versions: they are kept for ever",
                NONCURRENT_S3,
                "unsafe",
            ),
            Absent(
                S3_LIFECYCLE[0],
                "rules",
                "no rule (optional in pulumi_aws 7.51.1): noncurrent versions are kept for ever",
                NONCURRENT_S3,
                "unsafe",
            ),
            Absent(
                S3_LIFECYCLE[0],
                "rules[].noncurrentVersionExpiration",
                "the rule does not expire noncurrent versions: they are kept for ever",
                NONCURRENT_S3,
                "unsafe",
            ),
            Absent(
                GCS_BUCKET,
                "lifecycleRules",
                "no lifecycle rule: noncurrent versions are kept (and billed) for ever",
                NONCURRENT_GCS,
                "unsafe",
            ),
            Absent(
                GCS_BUCKET,
                "lifecycleRules[].condition.daysSinceNoncurrentTime",
                "no age condition on noncurrent versions; with numNewerVersions also left out, "
                "no rule deletes them",
                NONCURRENT_GCS,
                "unsafe",
            ),
            Absent(
                GCS_BUCKET,
                "lifecycleRules[].condition.numNewerVersions",
                "no count condition on noncurrent versions; with daysSinceNoncurrentTime also "
                "left out, no rule deletes them",
                NONCURRENT_GCS,
                "unsafe",
            ),
        ),
    ),
    Rule(
        id="MLP-STO-06",
        name="azure-storage-no-public-blob-access",
        description="Storage accounts forbid public blob access and containers are private.",
        enforcement="mandatory",
        severity="critical",
        resource_types=(STORAGE_ACCOUNT, BLOB_CONTAINER),
        anchor="CKV_AZURE_190 / CKV_AZURE_34",
        frameworks=("cis-azure-foundations",),
        remediation="Set allowBlobPublicAccess: false and publicAccess: None.",
        check=_azure_public,
        absent=(
            Absent(
                STORAGE_ACCOUNT,
                "allowBlobPublicAccess",
                "false in current API versions, true before 2019-04-01 (older API profiles): "
                "the rule wants it stated",
                "pulumi-azure-native 3.29.0 StorageAccount (registry page azure-native/api-docs/"
                "storage/storageaccount): 'The default interpretation is false for this "
                "property'; @azure/arm-storage-profile-2020-09-01-hybrid "
                "StorageAccountCreateParameters: default true",
                "stricter",
            ),
            Absent(
                BLOB_CONTAINER,
                "publicAccess",
                "None: the container is private",
                "https://learn.microsoft.com/dotnet/api/azure.storage.blobs.blobserviceclient."
                "createblobcontainer (publicAccessType = PublicAccessType.None); Set Container "
                "ACL: with no public read access 'Container and blob data can be read by the "
                "account owner only'",
                "safe",
            ),
        ),
    ),
    Rule(
        id="MLP-STO-14",
        name="azure-storage-public-network-disabled",
        description="Storage accounts are closed to public networks, or open to listed "
        "networks only.",
        enforcement="mandatory",
        severity="high",
        resource_types=(STORAGE_ACCOUNT,),
        anchor="CKV_AZURE_59 / CKV_AZURE_35",
        frameworks=("cis-azure-foundations",),
        remediation="Set publicNetworkAccess: Disabled and reach the account through a private "
        "endpoint (AzureBlobArtifactStore does), or networkRuleSet.defaultAction: Deny.",
        check=_azure_network,
        absent=(
            Absent(
                STORAGE_ACCOUNT,
                "publicNetworkAccess",
                "Enabled: the network rule set decides, and it allows every network unless "
                "defaultAction is Deny",
                AZURE_NETWORK_DEFAULTS,
                "unsafe",
            ),
            Absent(
                STORAGE_ACCOUNT,
                "networkRuleSet.defaultAction",
                "Allow: every network reaches the account",
                AZURE_NETWORK_DEFAULTS,
                "unsafe",
            ),
        ),
    ),
    Rule(
        id="MLP-STO-07",
        name="azure-storage-account-tls12-https-only",
        description="Storage accounts accept HTTPS only, TLS 1.2 or newer.",
        enforcement="mandatory",
        severity="high",
        resource_types=(STORAGE_ACCOUNT,),
        anchor="CKV_AZURE_44 / CKV_AZURE_3",
        frameworks=("cis-azure-foundations",),
        remediation="Set minimumTlsVersion: TLS1_2 and enableHttpsTrafficOnly: true.",
        check=_azure_transport,
        absent=(
            Absent(
                STORAGE_ACCOUNT,
                "minimumTlsVersion",
                "TLS 1.0",
                "pulumi-azure-native 3.29.0 StorageAccount (registry page azure-native/api-docs/"
                "storage/storageaccount): 'The default interpretation is TLS 1.0 for this "
                "property'",
                "unsafe",
            ),
            Absent(
                STORAGE_ACCOUNT,
                "enableHttpsTrafficOnly",
                "true: HTTPS only",
                "pulumi-azure-native 3.29.0 StorageAccount (registry page azure-native/api-docs/"
                "storage/storageaccount): 'The default value is true since API version "
                "2019-04-01'",
                "safe",
            ),
        ),
    ),
    Rule(
        id="MLP-STO-08",
        name="azure-storage-blob-versioning-soft-delete",
        description="Blob versioning, blob soft delete and container soft delete are on.",
        enforcement="mandatory",
        severity="high",
        resource_types=(STORAGE_ACCOUNT, BLOB_SERVICE),
        anchor="CKV2_AZURE_38",
        frameworks=("cis-azure-foundations",),
        remediation="Add BlobServiceProperties with versioning and both retention policies on.",
        stack_check=_azure_soft_delete,
        absent=(
            Absent(
                BLOB_SERVICE,
                "isVersioningEnabled",
                "blob versioning off (an opt-in feature)",
                AZURE_DATA_PROTECTION,
                "unsafe",
            ),
            Absent(
                BLOB_SERVICE,
                "deleteRetentionPolicy.enabled",
                "blob soft delete off for accounts not created in the portal",
                AZURE_DATA_PROTECTION,
                "unsafe",
            ),
            Absent(
                BLOB_SERVICE,
                "containerDeleteRetentionPolicy.enabled",
                "container soft delete off for accounts not created in the portal",
                AZURE_DATA_PROTECTION,
                "unsafe",
            ),
        ),
    ),
    Rule(
        id="MLP-STO-09",
        name="azure-storage-shared-key-disabled",
        description="Storage accounts take Entra ID only, not account keys.",
        enforcement="advisory",
        severity="medium",
        resource_types=(STORAGE_ACCOUNT,),
        anchor="CKV2_AZURE_40",
        frameworks=("cis-azure-foundations",),
        remediation="Set allowSharedKeyAccess: false.",
        check=_azure_shared_key,
        absent=(
            Absent(
                STORAGE_ACCOUNT,
                "allowSharedKeyAccess",
                "null, which Azure treats as true: account keys sign requests",
                "pulumi-azure-native 3.29.0 StorageAccount (registry page azure-native/api-docs/"
                "storage/storageaccount): 'The default value is null, which is equivalent to "
                "true'",
                "unsafe",
            ),
        ),
    ),
    Rule(
        id="MLP-STO-10",
        name="gcp-storage-bucket-not-public",
        description="GCS buckets enforce public access prevention and uniform access.",
        enforcement="mandatory",
        severity="critical",
        resource_types=(GCS_BUCKET,),
        anchor="CKV_GCP_114 / CKV_GCP_29",
        frameworks=("cis-gcp-foundations",),
        remediation="Set publicAccessPrevention: enforced and uniformBucketLevelAccess: true.",
        check=_gcs,
        absent=(
            Absent(
                GCS_BUCKET,
                "publicAccessPrevention",
                "inherited: enforced only where the organization policy enforces it",
                "pulumi-gcp 10.2.0 storage.Bucket (registry page gcp/api-docs/storage/bucket): "
                '"If inherited, the bucket uses public access prevention only if the bucket is '
                "subject to the public access prevention organization policy constraint. "
                'Defaults to inherited."',
                "unsafe",
            ),
            Absent(
                GCS_BUCKET,
                "uniformBucketLevelAccess",
                "off (fine-grained ACLs) unless the storage.uniformBucketLevelAccess "
                "organization policy enforces it",
                "https://cloud.google.com/storage/docs/using-uniform-bucket-level-access "
                "(turned on per bucket) and the constraints/storage.uniformBucketLevelAccess "
                "organization policy; pulumi-gcp 10.2.0 storage.Bucket states no default",
                "unsafe",
            ),
        ),
    ),
    Rule(
        id="MLP-STO-15",
        name="gcp-storage-bucket-iam-not-public",
        description="No bucket IAM member, binding or policy grants allUsers or "
        "allAuthenticatedUsers.",
        enforcement="mandatory",
        severity="critical",
        resource_types=GCS_IAM,
        anchor="CKV_GCP_28",
        frameworks=("cis-gcp-foundations",),
        remediation="Grant bucket roles to service accounts (store.grant_read_write), never "
        "to allUsers or allAuthenticatedUsers.",
        check=_gcs_iam,
    ),
    Rule(
        id="MLP-STO-11",
        name="gcp-storage-bucket-versioning-enabled",
        description="GCS buckets keep object versions.",
        enforcement="mandatory",
        severity="high",
        resource_types=(GCS_BUCKET,),
        anchor="CKV_GCP_78",
        frameworks=("cis-gcp-foundations",),
        remediation="Set versioning.enabled: true.",
        check=_gcs_versioning,
        absent=(
            Absent(
                GCS_BUCKET,
                "versioning",
                "Object Versioning off: an overwritten or deleted object is gone",
                "https://cloud.google.com/storage/docs/using-object-versioning (turned on per "
                "bucket: gcloud storage buckets update --versioning); pulumi-gcp 10.2.0 "
                "storage.Bucket: versioning.enabled is required inside the optional block",
                "unsafe",
            ),
        ),
    ),
    Rule(
        id="MLP-STO-12",
        name="gcp-storage-bucket-access-logging",
        description="GCS buckets write usage logs.",
        enforcement="advisory",
        severity="low",
        resource_types=(GCS_BUCKET,),
        anchor="CKV_GCP_62",
        frameworks=("cis-gcp-foundations",),
        remediation="Set logging.logBucket to a log bucket you own.",
        check=_gcs_logging,
        absent=(
            Absent(
                GCS_BUCKET,
                "logging",
                "no usage or storage logs",
                "pulumi-gcp 10.2.0 storage.Bucket: 'logging: The bucket's Access & Storage Logs "
                "(https://cloud.google.com/storage/docs/access-logs) configuration', with "
                "logBucket required inside it: without the block no bucket receives the logs",
                "unsafe",
            ),
        ),
    ),
)
