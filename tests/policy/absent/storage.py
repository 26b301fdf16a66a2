"""Left-out cases for the rules of policies/mlplatform_policies/storage.py."""

from __future__ import annotations

from typing import Any

from mlplatform_policies.model import Resource
from mlplatform_policies.storage import PUBLIC_ACCESS_FLAGS

from tests.policy.absent.common import left_out
from tests.policy.cases import (
    BLOB,
    CONTAINER,
    GCS,
    LIFE,
    PAB,
    S3,
    SA,
    SOFT,
    SSE,
    Case,
    res,
)

BUCKET = res(S3, {}, name="bucket")
ACCOUNT = res(SA, {}, name="account")


def _on_bucket(type_: str, props: dict[str, Any]) -> Resource:
    return res(type_, props, name="setting", deps={"bucket": [BUCKET]})


def _blob(props: dict[str, Any]) -> Resource:
    return res(BLOB, props, name="blob", deps={"accountName": [ACCOUNT]})


def _without(props: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k != key}


NOT_KMS = ["no default encryption with a KMS key (sseAlgorithm aws:kms)"]
S3_KEEPS = ["old object versions never expire (no noncurrentVersionExpiration)"]
GCS_KEEPS = ["old object versions never expire (no noncurrent lifecycle rule)"]
OPEN_ACCOUNT = "networkRuleSet.defaultAction is not Deny: any network can reach the account"
EXPIRES_LIVE_ONLY = {"expiration": {"days": 30}}

CASES: list[Case] = [
    *(
        left_out(
            "aws-s3-public-access-block-all-on",
            PAB,
            flag,
            res(PAB, {other: True for other in PUBLIC_ACCESS_FLAGS if other != flag}),
            [f"{flag} is not true"],
        )
        for flag in PUBLIC_ACCESS_FLAGS
    ),
    left_out(
        "aws-s3-bucket-versioning-enabled",
        S3,
        "versioning.enabled",
        [res(S3, {"versioning": {"mfaDelete": False}}, name="bucket")],
        ["versioning is not Enabled (no BucketVersioning with status Enabled)"],
    ),
    left_out(
        "aws-s3-bucket-kms-encrypted",
        S3,
        "serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault",
        [res(S3, {"serverSideEncryptionConfiguration": {"rule": {"bucketKeyEnabled": True}}})],
        NOT_KMS,
    ),
    left_out(
        "aws-s3-bucket-kms-encrypted",
        SSE,
        "rules[].applyServerSideEncryptionByDefault",
        [BUCKET, _on_bucket(SSE, {"rules": [{"bucketKeyEnabled": True}]})],
        NOT_KMS,
    ),
    left_out(
        "aws-s3-bucket-access-logging",
        S3,
        "logging",
        [BUCKET],
        ["server access logging is off (no BucketLogging)"],
    ),
    left_out(
        "platform-bucket-noncurrent-versions-expire", S3, "lifecycleRules", [BUCKET], S3_KEEPS
    ),
    left_out(
        "platform-bucket-noncurrent-versions-expire",
        S3,
        "lifecycleRules[].noncurrentVersionExpiration",
        [res(S3, {"lifecycleRules": [{"enabled": True, **EXPIRES_LIVE_ONLY}]})],
        S3_KEEPS,
    ),
    left_out(
        "platform-bucket-noncurrent-versions-expire",
        LIFE,
        "rules",
        [BUCKET, _on_bucket(LIFE, {})],
        S3_KEEPS,
    ),
    left_out(
        "platform-bucket-noncurrent-versions-expire",
        LIFE,
        "rules[].noncurrentVersionExpiration",
        [
            BUCKET,
            _on_bucket(LIFE, {"rules": [{"id": "r", "status": "Enabled", **EXPIRES_LIVE_ONLY}]}),
        ],
        S3_KEEPS,
    ),
    left_out(
        "platform-bucket-noncurrent-versions-expire",
        GCS,
        "lifecycleRules",
        [res(GCS, {})],
        GCS_KEEPS,
    ),
    *(
        left_out(
            "platform-bucket-noncurrent-versions-expire",
            GCS,
            f"lifecycleRules[].condition.{field}",
            [
                res(
                    GCS,
                    {"lifecycleRules": [{"action": {"type": "Delete"}, "condition": {"age": 30}}]},
                )
            ],
            GCS_KEEPS,
        )
        for field in ("daysSinceNoncurrentTime", "numNewerVersions")
    ),
    left_out(
        "azure-storage-no-public-blob-access",
        SA,
        "allowBlobPublicAccess",
        res(SA, {}),
        ["allowBlobPublicAccess is not false"],
    ),
    left_out(
        "azure-storage-no-public-blob-access", CONTAINER, "publicAccess", res(CONTAINER, {}), []
    ),
    left_out(
        "azure-storage-public-network-disabled",
        SA,
        "publicNetworkAccess",
        res(SA, {}),
        [f"publicNetworkAccess is not set (Azure enables it) and {OPEN_ACCOUNT}"],
    ),
    left_out(
        "azure-storage-public-network-disabled",
        SA,
        "networkRuleSet.defaultAction",
        res(SA, {"publicNetworkAccess": "Enabled", "networkRuleSet": {"bypass": "AzureServices"}}),
        [f"publicNetworkAccess is 'Enabled' and {OPEN_ACCOUNT}"],
    ),
    left_out(
        "azure-storage-account-tls12-https-only",
        SA,
        "minimumTlsVersion",
        res(SA, {"enableHttpsTrafficOnly": True}),
        ["minimumTlsVersion is not set (Azure reads TLS 1.0), not TLS1_2 or newer"],
    ),
    left_out(
        "azure-storage-account-tls12-https-only",
        SA,
        "enableHttpsTrafficOnly",
        res(SA, {"minimumTlsVersion": "TLS1_2"}),
        [],
    ),
    left_out(
        "azure-storage-blob-versioning-soft-delete",
        BLOB,
        "isVersioningEnabled",
        [ACCOUNT, _blob(_without(SOFT, "isVersioningEnabled"))],
        ["blob versioning is off"],
    ),
    left_out(
        "azure-storage-blob-versioning-soft-delete",
        BLOB,
        "deleteRetentionPolicy.enabled",
        [ACCOUNT, _blob({**SOFT, "deleteRetentionPolicy": {"days": 7}})],
        ["blob soft delete is off"],
    ),
    left_out(
        "azure-storage-blob-versioning-soft-delete",
        BLOB,
        "containerDeleteRetentionPolicy.enabled",
        [ACCOUNT, _blob({**SOFT, "containerDeleteRetentionPolicy": {"days": 7}})],
        ["container soft delete is off"],
    ),
    left_out(
        "azure-storage-shared-key-disabled",
        SA,
        "allowSharedKeyAccess",
        res(SA, {}),
        ["allowSharedKeyAccess is not false: account keys can still sign requests"],
    ),
    left_out(
        "gcp-storage-bucket-not-public",
        GCS,
        "publicAccessPrevention",
        res(GCS, {"uniformBucketLevelAccess": True}),
        [
            "publicAccessPrevention is not set (GCS inherits the organization policy), "
            "not 'enforced'"
        ],
    ),
    left_out(
        "gcp-storage-bucket-not-public",
        GCS,
        "uniformBucketLevelAccess",
        res(GCS, {"publicAccessPrevention": "enforced"}),
        ["uniformBucketLevelAccess is not true (object ACLs stay possible)"],
    ),
    left_out(
        "gcp-storage-bucket-versioning-enabled",
        GCS,
        "versioning",
        res(GCS, {}),
        ["versioning is not enabled"],
    ),
    left_out(
        "gcp-storage-bucket-access-logging",
        GCS,
        "logging",
        res(GCS, {}),
        ["usage logging is off (no logging.logBucket)"],
    ),
]
