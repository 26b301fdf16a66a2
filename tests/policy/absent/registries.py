"""Left-out cases for the rules of policies/mlplatform_policies/registries.py."""

from __future__ import annotations

from tests.policy.absent.common import left_out
from tests.policy.cases import ACR, DEV, ECR, GAR, TAGS, Case, res

IMMUTABLE = "platform-registry-immutable-tags"
IMMUTABLE_PROD = "platform-registry-immutable-tags-prod"
CMK = "platform-registry-customer-managed-key"
PUSHED = "a pushed tag can be overwritten"
PRODUCTION = "a production tag can be overwritten"
AWS_KEY = "images are encrypted with an AWS-owned key, not a KMS key you manage"

CASES: list[Case] = [
    left_out("platform-registry-no-public-pull", ACR, "anonymousPullEnabled", res(ACR, {}), []),
    left_out(
        "aws-ecr-scan-on-push",
        ECR,
        "imageScanningConfiguration",
        res(ECR, {"tags": TAGS}),
        ["imageScanningConfiguration.scanOnPush is not true"],
    ),
    left_out(
        IMMUTABLE,
        ECR,
        "imageTagMutability",
        res(ECR, {"tags": DEV}),
        [f"imageTagMutability is MUTABLE: {PUSHED}"],
    ),
    left_out(
        IMMUTABLE,
        GAR,
        "dockerConfig.immutableTags",
        res(GAR, {"format": "DOCKER", "labels": DEV, "dockerConfig": {}}),
        [f"dockerConfig.immutableTags is not true: {PUSHED}"],
    ),
    # Untagged means production: the production rule below judges these, this one does not.
    left_out(IMMUTABLE, ECR, "tags", res(ECR, {"imageTagMutability": "MUTABLE"}), []),
    left_out(IMMUTABLE, GAR, "labels", res(GAR, {"format": "DOCKER"}), []),
    left_out(
        IMMUTABLE_PROD,
        ECR,
        "imageTagMutability",
        res(ECR, {"tags": TAGS}),
        [f"imageTagMutability is MUTABLE: {PRODUCTION}"],
    ),
    left_out(
        IMMUTABLE_PROD,
        GAR,
        "dockerConfig.immutableTags",
        res(GAR, {"format": "DOCKER", "labels": TAGS, "dockerConfig": {}}),
        [f"dockerConfig.immutableTags is not true: {PRODUCTION}"],
    ),
    left_out(
        IMMUTABLE_PROD,
        ECR,
        "tags",
        res(ECR, {"imageTagMutability": "MUTABLE"}),
        [f"imageTagMutability is MUTABLE: {PRODUCTION}"],
    ),
    left_out(
        IMMUTABLE_PROD,
        GAR,
        "labels",
        res(GAR, {"format": "DOCKER"}),
        [f"dockerConfig.immutableTags is not true: {PRODUCTION}"],
    ),
    # A false positive on purpose: the SDK would have sent false; the rule wants it stated.
    left_out(
        "azure-acr-admin-user-disabled",
        ACR,
        "adminUserEnabled",
        res(ACR, {}),
        ["the admin user (a shared static password) is not disabled"],
    ),
    left_out(
        "azure-acr-public-network-disabled",
        ACR,
        "publicNetworkAccess",
        res(ACR, {}),
        ["publicNetworkAccess is not Disabled"],
    ),
    left_out(CMK, ECR, "encryptionConfigurations", res(ECR, {}), [AWS_KEY]),
    left_out(
        CMK,
        ECR,
        "encryptionConfigurations[].encryptionType",
        res(ECR, {"encryptionConfigurations": [{}]}),
        [AWS_KEY],
    ),
    left_out(
        CMK,
        ECR,
        "encryptionConfigurations[].kmsKey",
        res(ECR, {"encryptionConfigurations": [{"encryptionType": "KMS"}]}),
        ["images are encrypted with the AWS managed key aws/ecr, not a KMS key you manage"],
    ),
    left_out(
        CMK,
        ACR,
        "encryption.status",
        res(ACR, {}),
        ["images are encrypted with a Microsoft-managed key"],
    ),
    left_out(
        CMK,
        GAR,
        "kmsKeyName",
        res(GAR, {"format": "DOCKER"}),
        ["images are encrypted with a Google-managed key"],
    ),
    left_out(
        "platform-registry-cleanup-policy",
        ACR,
        "policies.retentionPolicy.status",
        [res(ACR, {"policies": {"retentionPolicy": {"days": 14}}})],
        ["untagged manifests are kept for ever (retention policy off)"],
    ),
    left_out(
        "platform-registry-cleanup-policy",
        GAR,
        "cleanupPolicies",
        [res(GAR, {"format": "DOCKER"})],
        ["no cleanup policy deletes old images"],
    ),
    left_out(
        "platform-registry-cleanup-policy",
        GAR,
        "cleanupPolicyDryRun",
        [res(GAR, {"format": "DOCKER", "cleanupPolicies": [{"id": "delete-untagged"}]})],
        [],
    ),
]
