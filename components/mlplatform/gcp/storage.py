"""GCS artifact store: uniform access, public access prevention, versioning, soft delete."""

from collections.abc import Mapping
from typing import Required, TypedDict

import pulumi
from pulumi_gcp import kms, storage

from mlplatform import defaults
from mlplatform.component_args import check_args
from mlplatform.contracts import SECONDS_PER_DAY, child
from mlplatform.gcp.identity import GcpWorkloadIdentity


class GcsArtifactStoreArgs(TypedDict, total=False):
    """Args of `GcsArtifactStore`."""

    project: Required[pulumi.Input[str]]
    """GCP project id."""
    location: Required[pulumi.Input[str]]
    """Bucket location (a region such as us-central1)."""
    tags: Mapping[str, str]
    """Labels on the bucket. Default: none."""
    noncurrent_version_days: int
    """Days an overwritten or deleted object version is kept. Default: 30."""
    abort_incomplete_upload_days: int
    """Days before an unfinished multipart upload is removed. Default: 7."""
    soft_delete_days: int
    """Days a deleted object can be restored. Default: 7."""
    kms_key_id: pulumi.Input[str] | None
    """Cloud KMS key (projects/P/locations/L/keyRings/R/cryptoKeys/K) to encrypt with; the
    project's Cloud Storage service agent is granted its use. Default: Google-managed
    encryption."""
    protect: bool
    """Protect the bucket from deletion. Default: protected."""


class GcsArtifactStore(pulumi.ComponentResource):
    """A GCS bucket for ML artifacts, secure by default.

    Uniform bucket-level access (no ACLs), public access prevention enforced,
    object versioning, soft delete, lifecycle rules for noncurrent versions and
    incomplete multipart uploads, and `deletion_policy: PREVENT` beside
    Pulumi's `protect` when protected.
    """

    bucket_name: pulumi.Output[str]
    """Bucket name."""
    artifact_uri: pulumi.Output[str]
    """`gs://bucket` URI for MLflow's --artifacts-destination."""

    def __init__(
        self, name: str, args: GcsArtifactStoreArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, GcsArtifactStoreArgs, args)
        super().__init__("mlplatform:index:GcsArtifactStore", name, None, opts)
        protect = args.get("protect", True)
        kms_key = args.get("kms_key_id")
        key_grants: list[pulumi.Resource] = []
        if kms_key:
            # GCS encrypts with the key as the project's Cloud Storage service agent, which
            # needs Encrypter/Decrypter on it before the bucket can use it.
            agent = storage.get_project_service_account_output(
                project=args["project"], opts=pulumi.InvokeOutputOptions(parent=self)
            )
            key_grants.append(
                kms.CryptoKeyIAMMember(
                    f"{name}-key-access",
                    crypto_key_id=kms_key,
                    role="roles/cloudkms.cryptoKeyEncrypterDecrypter",
                    member=agent.email_address.apply(lambda e: f"serviceAccount:{e}"),
                    opts=child(self),
                )
            )
        bucket = storage.Bucket(
            f"{name}-bucket",
            project=args["project"],
            location=args["location"],
            storage_class="STANDARD",
            uniform_bucket_level_access=True,
            public_access_prevention="enforced",
            versioning={"enabled": True},
            soft_delete_policy={
                "retention_duration_seconds": args.get(
                    "soft_delete_days", defaults.SOFT_DELETE_DAYS
                )
                * SECONDS_PER_DAY,
            },
            lifecycle_rules=[
                {
                    "action": {"type": "Delete"},
                    "condition": {
                        "with_state": "ARCHIVED",
                        "days_since_noncurrent_time": args.get(
                            "noncurrent_version_days", defaults.NONCURRENT_VERSION_DAYS
                        ),
                    },
                },
                {
                    "action": {"type": "AbortIncompleteMultipartUpload"},
                    "condition": {
                        "age": args.get(
                            "abort_incomplete_upload_days", defaults.ABORT_INCOMPLETE_UPLOAD_DAYS
                        )
                    },
                },
            ],
            encryption={"default_kms_key_name": kms_key} if kms_key else None,
            force_destroy=False,
            deletion_policy="PREVENT" if protect else "DELETE",
            labels=args.get("tags", {}),
            opts=child(self, protect=protect, depends_on=key_grants),
        )
        self.bucket_name = bucket.name
        self.artifact_uri = bucket.name.apply(lambda b: f"gs://{b}")
        self.register_outputs({"bucket_name": self.bucket_name, "artifact_uri": self.artifact_uri})

    def grant_read_write(self, identity: GcpWorkloadIdentity) -> None:
        """Let `identity` list, read, write and delete objects in this bucket only."""
        storage.BucketIAMMember(
            f"{identity._name}-artifacts-rw",
            bucket=self.bucket_name,
            role="roles/storage.objectUser",
            member=identity.member,
            opts=child(identity),
        )
