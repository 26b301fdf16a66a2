"""AWS artifact store (S3) and registry (ECR) on the captured plan of the real program."""

from __future__ import annotations

import itertools
import json

import pytest

from mlplatform.engine import Plan
from tests.conftest import PlanConfig
from tests.helpers import depends_on, one

S3 = "aws:s3/"
BASE = {
    "target": "aws",
    "environment": "dev",
    "region": "eu-west-1",
    "tags": {"owner": "team-a", "cost-center": "cc-1"},
}


@pytest.fixture(scope="module")
def plan(shipped_plans: dict[str, Plan]) -> Plan:
    return shipped_plans["aws-dev"]


def test_bucket_is_protected_tagged_and_never_force_destroyed(plan: Plan) -> None:
    bucket = one(plan, f"{S3}bucket:Bucket")
    assert bucket.protect is True
    assert bucket.inputs["forceDestroy"] is False
    assert bucket.inputs["tags"] == {
        "owner": "ml-platform",
        "cost-center": "ml-research",
        "environment": "dev",
        "stack": "aws-dev",
        "managed-by": "mlplatform",
    }


def test_bucket_settings_are_children_wired_to_the_bucket(plan: Plan) -> None:
    bucket = one(plan, f"{S3}bucket:Bucket")
    store = one(plan, "mlplatform:index:S3ArtifactStore")
    settings = [
        "bucketOwnershipControls:BucketOwnershipControls",
        "bucketPublicAccessBlock:BucketPublicAccessBlock",
        "bucketVersioning:BucketVersioning",
        "bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "bucketPolicy:BucketPolicy",
        "bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    ]
    for type_ in settings:
        child = one(plan, f"{S3}{type_}")
        assert child.parent == store.urn
        assert child.property_dependencies["bucket"] == [bucket.urn]
        assert child.inputs["bucket"] == plan.outputs["artifactUri"].removeprefix("s3://")


def test_all_four_public_access_block_flags(plan: Plan) -> None:
    block = one(plan, f"{S3}bucketPublicAccessBlock:BucketPublicAccessBlock")
    flags = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    assert {flag: block.inputs[flag] for flag in flags} == dict.fromkeys(flags, True)


def test_acls_are_disabled(plan: Plan) -> None:
    ownership = one(plan, f"{S3}bucketOwnershipControls:BucketOwnershipControls")
    assert ownership.inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}


def test_versioning_enabled(plan: Plan) -> None:
    versioning = one(plan, f"{S3}bucketVersioning:BucketVersioning")
    assert versioning.inputs["versioningConfiguration"] == {"status": "Enabled"}


def test_sse_kms_with_a_dedicated_rotating_protected_key(plan: Plan) -> None:
    sse = one(
        plan, f"{S3}bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    )
    key = one(plan, "aws:kms/key:Key", "-artifacts-key")
    rule = sse.inputs["rules"][0]
    assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms"
    assert rule["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"].startswith(
        "arn:aws:kms:us-east-1:123456789012:key/"
    )
    assert rule["bucketKeyEnabled"] is True
    assert depends_on(sse, key)
    assert key.protect is True
    assert key.inputs["enableKeyRotation"] is True
    assert key.inputs["deletionWindowInDays"] == 30


def test_tls_only_policy_applied_after_the_public_access_block(plan: Plan) -> None:
    policy = one(plan, f"{S3}bucketPolicy:BucketPolicy")
    block = one(plan, f"{S3}bucketPublicAccessBlock:BucketPublicAccessBlock")
    bucket_name = plan.outputs["artifactUri"].removeprefix("s3://")
    arn = f"arn:aws:s3:::{bucket_name}"
    assert json.loads(policy.inputs["policy"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [arn, f"{arn}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }
    assert depends_on(policy, one(plan, f"{S3}bucketOwnershipControls:BucketOwnershipControls"))
    assert depends_on(one(plan, f"{S3}bucketOwnershipControls:BucketOwnershipControls"), block)


def test_lifecycle_expires_old_versions_and_incomplete_uploads(plan: Plan) -> None:
    lifecycle = one(plan, f"{S3}bucketLifecycleConfiguration:BucketLifecycleConfiguration")
    assert lifecycle.inputs["rules"] == [
        {
            "id": "expire-noncurrent-versions",
            "status": "Enabled",
            "filter": {"prefix": ""},
            "noncurrentVersionExpiration": {"noncurrentDays": 30},
            "expiration": {"expiredObjectDeleteMarker": True},
        },
        {
            "id": "abort-incomplete-uploads",
            "status": "Enabled",
            "filter": {"prefix": ""},
            "abortIncompleteMultipartUpload": {"daysAfterInitiation": 7},
        },
    ]


def test_bucket_settings_are_applied_one_after_another(plan: Plan) -> None:
    chain = [
        one(plan, f"{S3}{t}")
        for t in (
            "bucketPublicAccessBlock:BucketPublicAccessBlock",
            "bucketOwnershipControls:BucketOwnershipControls",
            "bucketPolicy:BucketPolicy",
            "bucketVersioning:BucketVersioning",
            "bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        )
    ]
    for earlier, later in itertools.pairwise(chain):
        assert depends_on(later, earlier), f"{later.name} must wait for {earlier.name}"


def test_ecr_repository_is_private_scanned_immutable_and_encrypted(plan: Plan) -> None:
    repo = one(plan, "aws:ecr/repository:Repository")
    key = one(plan, "aws:kms/key:Key", "-registry-key")
    assert repo.protect is True
    assert repo.inputs["imageTagMutability"] == "IMMUTABLE"
    assert repo.inputs["imageScanningConfiguration"] == {"scanOnPush": True}
    assert repo.inputs["forceDelete"] is False
    [encryption] = repo.inputs["encryptionConfigurations"]
    assert encryption["encryptionType"] == "KMS"
    assert depends_on(repo, key)


def test_ecr_lifecycle_policy_expires_untagged_and_keeps_the_newest(plan: Plan) -> None:
    policy = one(plan, "aws:ecr/lifecyclePolicy:LifecyclePolicy")
    repo = one(plan, "aws:ecr/repository:Repository")
    rules = json.loads(policy.inputs["policy"])["rules"]
    assert [(r["rulePriority"], r["selection"]) for r in rules] == [
        (
            1,
            {
                "tagStatus": "untagged",
                "countType": "sinceImagePushed",
                "countUnit": "days",
                "countNumber": 14,
            },
        ),
        (2, {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 50}),
    ]
    assert depends_on(policy, repo)


def test_every_aws_resource_uses_the_stack_region_provider(plan: Plan) -> None:
    provider = one(plan, "pulumi:providers:aws")
    assert provider.inputs["region"] == "us-east-1"
    aws_resources = [r for r in plan.resources if r.type.startswith("aws:")]
    assert {r.provider for r in aws_resources} == {provider.urn}


def test_prod_settings_flow_from_config(shipped_plans: dict[str, Plan]) -> None:
    lifecycle = one(
        shipped_plans["aws-prod"], f"{S3}bucketLifecycleConfiguration:BucketLifecycleConfiguration"
    )
    assert lifecycle.inputs["rules"][0]["noncurrentVersionExpiration"] == {"noncurrentDays": 90}


def test_given_kms_key_replaces_the_created_one(plan_config: PlanConfig) -> None:
    key_arn = "arn:aws:kms:eu-west-1:111122223333:key/abcd"
    plan = plan_config({**BASE, "artifactStore": {"kmsKeyId": key_arn}})
    assert sorted(r.name for r in plan.of_type("aws:kms/key:Key")) == [
        "ml-test-eks-secrets-key",
        "ml-test-network-flow-logs-key",
        "ml-test-registry-key",
    ]
    sse = one(
        plan, f"{S3}bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    )
    assert sse.inputs["rules"][0]["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"] == key_arn


def test_unprotected_dev_stack_and_mutable_tags(plan_config: PlanConfig) -> None:
    plan = plan_config({**BASE, "protect": False, "registry": {"immutableTags": False}})
    assert [r.name for r in plan.resources if r.protect] == []
    assert one(plan, "aws:ecr/repository:Repository").inputs["imageTagMutability"] == "MUTABLE"
    assert one(plan, f"{S3}bucket:Bucket").inputs["forceDestroy"] is False


def test_disabled_capabilities_create_nothing(plan_config: PlanConfig) -> None:
    plan = plan_config(
        {**BASE, "artifactStore": {"enabled": False}, "registry": {"enabled": False}}
    )
    assert [r.type for r in plan.resources if r.type.startswith(("aws:s3/", "aws:ecr/"))] == []
    assert not [r for r in plan.resources if r.name.endswith(("-artifacts-key", "-registry-key"))]
    assert plan.outputs["artifactUri"] is None
    assert plan.outputs["registryUrl"] is None
