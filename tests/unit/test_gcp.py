"""GCP artifact store (GCS) and registry (Artifact Registry) on the captured plan."""

from __future__ import annotations

import pytest

from mlplatform.engine import Plan
from tests.conftest import PlanConfig
from tests.helpers import depends_on, one

BUCKET = "gcp:storage/bucket:Bucket"
REPO = "gcp:artifactregistry/repository:Repository"


@pytest.fixture(scope="module")
def plan(shipped_plans: dict[str, Plan]) -> Plan:
    return shipped_plans["gcp-dev"]


def test_bucket_is_private_versioned_and_protected(plan: Plan) -> None:
    bucket = one(plan, BUCKET)
    assert bucket.protect is True
    expected = {
        "project": "my-ml-platform-dev",
        "location": "us-central1",
        "storageClass": "STANDARD",
        "uniformBucketLevelAccess": True,
        "publicAccessPrevention": "enforced",
        "versioning": {"enabled": True},
        "softDeletePolicy": {"retentionDurationSeconds": 7 * 86400},
        "forceDestroy": False,
        "deletionPolicy": "PREVENT",
    }
    assert {k: bucket.inputs[k] for k in expected} == expected
    assert bucket.inputs["labels"] == {
        "owner": "ml-platform",
        "cost-center": "ml-research",
        "environment": "dev",
        "stack": "gcp-dev",
        "managed-by": "mlplatform",
    }
    assert "encryption" not in bucket.inputs


def test_bucket_lifecycle_rules(plan: Plan) -> None:
    assert one(plan, BUCKET).inputs["lifecycleRules"] == [
        {
            "action": {"type": "Delete"},
            "condition": {"withState": "ARCHIVED", "daysSinceNoncurrentTime": 30},
        },
        {"action": {"type": "AbortIncompleteMultipartUpload"}, "condition": {"age": 7}},
    ]


def test_docker_repository_cleanup_and_immutability(plan: Plan) -> None:
    repo = one(plan, REPO)
    assert repo.protect is True
    expected = {
        "repositoryId": "ml-gcp-dev-registry",
        "format": "DOCKER",
        "mode": "STANDARD_REPOSITORY",
        "location": "us-central1",
        "dockerConfig": {"immutableTags": True},
        "vulnerabilityScanningConfig": {"enablementConfig": "INHERITED"},
        "cleanupPolicyDryRun": False,
        "deletionPolicy": "PREVENT",
        "cleanupPolicies": [
            {
                "id": "delete-untagged",
                "action": "DELETE",
                "condition": {"tagState": "UNTAGGED", "olderThan": "1209600s"},
            },
            {"id": "keep-recent", "action": "KEEP", "mostRecentVersions": {"keepCount": 50}},
        ],
    }
    assert {k: repo.inputs[k] for k in expected} == expected
    assert plan.outputs["registryUrl"] == (
        "us-central1-docker.pkg.dev/my-ml-platform-dev/ml-gcp-dev-registry"
    )


def test_provider_pins_project_and_region(plan: Plan) -> None:
    provider = one(plan, "pulumi:providers:gcp")
    assert (provider.inputs["project"], provider.inputs["region"]) == (
        "my-ml-platform-dev",
        "us-central1",
    )
    gcp_resources = [r for r in plan.resources if r.type.startswith("gcp:")]
    assert {r.provider for r in gcp_resources} == {provider.urn}


def test_customer_key_and_unprotected(plan_config: PlanConfig) -> None:
    key = "projects/p/locations/us/keyRings/r/cryptoKeys/k"
    plan = plan_config(
        {
            "target": "gcp",
            "environment": "dev",
            "region": "europe-west4",
            "gcp": {"project": "other-project"},
            "protect": False,
            "artifactStore": {"kmsKeyId": key, "softDeleteDays": 14},
        }
    )
    bucket = one(plan, BUCKET)
    assert bucket.inputs["encryption"] == {"defaultKmsKeyName": key}
    grant = one(plan, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "-artifacts-key-access")
    assert grant.inputs == {
        "cryptoKeyId": key,
        "role": "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        "member": "serviceAccount:service-123456789012@gs-project-accounts.iam.gserviceaccount.com",
    }
    assert depends_on(bucket, grant)
    assert bucket.inputs["deletionPolicy"] == "DELETE"
    assert bucket.inputs["softDeletePolicy"] == {"retentionDurationSeconds": 14 * 86400}
    assert bucket.protect is False
    assert one(plan, REPO).inputs["deletionPolicy"] == "DELETE"
