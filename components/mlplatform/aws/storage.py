"""S3 artifact store: private, versioned, KMS-encrypted, TLS-only, with lifecycle rules."""

import json
from collections.abc import Mapping
from typing import Any, TypedDict

import pulumi
from pulumi_aws import s3

from mlplatform import defaults
from mlplatform.aws.iam import AwsWorkloadIdentity, policy_document
from mlplatform.aws.kms import data_key
from mlplatform.component_args import check_args
from mlplatform.contracts import child


class S3ArtifactStoreArgs(TypedDict, total=False):
    """Args of `S3ArtifactStore`."""

    tags: Mapping[str, str]
    """Tags on the bucket and the key it creates. Default: none."""
    noncurrent_version_days: int
    """Days an overwritten or deleted object version is kept. Default: 30."""
    abort_incomplete_upload_days: int
    """Days before an unfinished multipart upload is removed. Default: 7."""
    kms_key_id: pulumi.Input[str] | None
    """ARN of a customer-managed KMS key to encrypt with. Default: a dedicated KMS key with
    rotation is created."""
    protect: bool
    """Protect the bucket and the key it creates from deletion. Default: protected."""


def tls_only_policy(bucket_arn: str) -> str:
    """Bucket policy JSON that denies every request not made over TLS."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [bucket_arn, f"{bucket_arn}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ],
        }
    )


class S3ArtifactStore(pulumi.ComponentResource):
    """An S3 bucket for ML artifacts, secure by default.

    Children: the bucket (protected), ownership controls (ACLs off), all four
    public-access-block flags, versioning, SSE-KMS with a bucket key, a TLS-only
    bucket policy and lifecycle rules for old versions and incomplete uploads.
    """

    bucket_name: pulumi.Output[str]
    """Physical bucket name."""
    bucket_arn: pulumi.Output[str]
    """Bucket ARN, for IAM policies."""
    artifact_uri: pulumi.Output[str]
    """`s3://bucket` URI for MLflow's --artifacts-destination."""
    kms_key_arn: pulumi.Output[str]
    """ARN of the key that encrypts the bucket."""
    read_write_policy: pulumi.Output[str]
    """IAM policy document (JSON) to list the bucket and read, write and delete its objects
    with its key: what `grant_read_write` attaches; in other languages, attach it to a
    workload's role as an inline policy."""

    def __init__(
        self, name: str, args: S3ArtifactStoreArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, S3ArtifactStoreArgs, args)
        super().__init__("mlplatform:index:S3ArtifactStore", name, None, opts)
        protect = args.get("protect", True)
        tags = args.get("tags", {})

        given_key = args.get("kms_key_id")
        key_arn = (
            given_key if given_key else data_key(name, "ML artifacts", self, protect, tags).arn
        )

        bucket = s3.Bucket(
            f"{name}-bucket", force_destroy=False, tags=tags, opts=child(self, protect=protect)
        )
        # S3 rejects concurrent configuration writes to one bucket (409 OperationAborted), so
        # each setting waits for the previous one: block -> ownership -> policy -> versioning
        # -> encryption -> lifecycle (the order terraform-aws-modules/s3-bucket uses).
        public_block = s3.BucketPublicAccessBlock(
            f"{name}-public-access-block",
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child(self),
        )
        ownership = s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=bucket.id,
            rule={"object_ownership": "BucketOwnerEnforced"},
            opts=child(self, depends_on=[public_block]),
        )
        policy = s3.BucketPolicy(
            f"{name}-tls-only",
            bucket=bucket.id,
            policy=bucket.arn.apply(tls_only_policy),
            opts=child(self, depends_on=[ownership]),
        )
        versioning = s3.BucketVersioning(
            f"{name}-versioning",
            bucket=bucket.id,
            versioning_configuration={"status": "Enabled"},
            opts=child(self, depends_on=[policy]),
        )
        encryption = s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=bucket.id,
            rules=[
                {
                    "apply_server_side_encryption_by_default": {
                        "sse_algorithm": "aws:kms",
                        "kms_master_key_id": key_arn,
                    },
                    "bucket_key_enabled": True,
                }
            ],
            opts=child(self, depends_on=[versioning]),
        )
        s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=bucket.id,
            rules=[
                {
                    "id": "expire-noncurrent-versions",
                    "status": "Enabled",
                    "filter": {"prefix": ""},
                    "noncurrent_version_expiration": {
                        "noncurrent_days": args.get(
                            "noncurrent_version_days", defaults.NONCURRENT_VERSION_DAYS
                        )
                    },
                    "expiration": {"expired_object_delete_marker": True},
                },
                {
                    "id": "abort-incomplete-uploads",
                    "status": "Enabled",
                    "filter": {"prefix": ""},
                    "abort_incomplete_multipart_upload": {
                        "days_after_initiation": args.get(
                            "abort_incomplete_upload_days", defaults.ABORT_INCOMPLETE_UPLOAD_DAYS
                        )
                    },
                },
            ],
            opts=child(self, depends_on=[encryption]),
        )

        self.bucket_name = bucket.bucket
        self.bucket_arn = bucket.arn
        self.artifact_uri = bucket.bucket.apply(lambda b: f"s3://{b}")
        self.kms_key_arn = pulumi.Output.from_input(key_arn)
        self._key_arn = pulumi.Output.from_input(key_arn)
        self._read_write = _read_write_statements(self.bucket_arn, self._key_arn)
        self.read_write_policy = self._read_write.apply(policy_document)
        self.register_outputs(
            {
                "bucket_name": self.bucket_name,
                "bucket_arn": self.bucket_arn,
                "artifact_uri": self.artifact_uri,
                "kms_key_arn": self.kms_key_arn,
                "read_write_policy": self.read_write_policy,
            }
        )

    def grant_read_write(self, identity: AwsWorkloadIdentity) -> None:
        """Let `identity` list the bucket and read, write and delete objects (and use its key)."""
        identity.allow("artifacts-rw", self._read_write)


def _read_write_statements(
    bucket_arn: pulumi.Output[str], key_arn: pulumi.Output[str]
) -> pulumi.Output[list[dict[str, Any]]]:
    """IAM statements to list the bucket and read, write and delete objects with its key."""
    return pulumi.Output.all(bucket_arn, key_arn).apply(
        lambda v: [
            {
                "Effect": "Allow",
                "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
                "Resource": v[0],
            },
            {
                "Effect": "Allow",
                "Action": [
                    "s3:GetObject",
                    "s3:PutObject",
                    "s3:DeleteObject",
                    "s3:AbortMultipartUpload",
                    "s3:ListMultipartUploadParts",
                ],
                "Resource": f"{v[0]}/*",
            },
            {
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": v[1],
            },
        ]
    )
