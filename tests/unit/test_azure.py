"""Azure artifact store (Storage) and registry (ACR) on the captured plan of the real program."""

from __future__ import annotations

import re

import pytest

from mlplatform.engine import Plan
from tests.conftest import PlanConfig
from tests.helpers import depends_on, one

ACCOUNT = "azure-native:storage:StorageAccount"
REGISTRY = "azure-native:containerregistry:Registry"


@pytest.fixture(scope="module")
def plan(shipped_plans: dict[str, Plan]) -> Plan:
    return shipped_plans["azure-dev"]


def test_storage_account_is_locked_down(plan: Plan) -> None:
    account = one(plan, ACCOUNT, "-artifacts-account")
    assert account.protect is True
    expected = {
        "kind": "StorageV2",
        "sku": {"name": "Standard_LRS"},
        "minimumTlsVersion": "TLS1_2",
        "enableHttpsTrafficOnly": True,
        "allowBlobPublicAccess": False,
        "allowSharedKeyAccess": False,
        "defaultToOAuthAuthentication": True,
        "allowCrossTenantReplication": False,
        "publicNetworkAccess": "Disabled",
        "location": "westeurope",
    }
    assert {k: account.inputs[k] for k in expected} == expected
    assert account.inputs["encryption"] == {
        "keySource": "Microsoft.Storage",
        "requireInfrastructureEncryption": True,
        "services": {
            "blob": {"enabled": True, "keyType": "Account"},
            "file": {"enabled": True, "keyType": "Account"},
        },
    }


def test_account_name_is_valid_for_azure(plan: Plan) -> None:
    name = one(plan, ACCOUNT, "-artifacts-account").inputs["accountName"]
    assert re.fullmatch(r"[a-z0-9]{3,24}", name), name
    assert name.startswith("mlazuredevartifact")


def test_versioning_and_soft_delete(plan: Plan) -> None:
    service = one(plan, "azure-native:storage:BlobServiceProperties", "-artifacts-blob-service")
    account = one(plan, ACCOUNT, "-artifacts-account")
    assert service.inputs["blobServicesName"] == "default"
    assert service.inputs["isVersioningEnabled"] is True
    assert service.inputs["deleteRetentionPolicy"] == {"enabled": True, "days": 7}
    assert service.inputs["containerDeleteRetentionPolicy"] == {"enabled": True, "days": 7}
    assert depends_on(service, account)


def test_private_protected_container(plan: Plan) -> None:
    container = one(plan, "azure-native:storage:BlobContainer")
    assert container.inputs["publicAccess"] == "None"
    assert container.inputs["containerName"] == "artifacts"
    assert container.protect is True
    account = one(plan, ACCOUNT, "-artifacts-account").inputs["accountName"]
    assert plan.outputs["artifactUri"] == f"wasbs://artifacts@{account}.blob.core.windows.net"


def test_old_versions_expire(plan: Plan) -> None:
    policy = one(plan, "azure-native:storage:ManagementPolicy", "-artifacts-lifecycle")
    assert policy.inputs["managementPolicyName"] == "default"
    assert policy.inputs["policy"] == {
        "rules": [
            {
                "name": "expireOldVersions",
                "enabled": True,
                "type": "Lifecycle",
                "definition": {
                    "actions": {"version": {"delete": {"daysAfterCreationGreaterThan": 30}}},
                    "filters": {"blobTypes": ["blockBlob"]},
                },
            }
        ]
    }


def test_acr_is_private_premium_without_admin_user(plan: Plan) -> None:
    registry = one(plan, REGISTRY)
    assert registry.protect is True
    expected = {
        "sku": {"name": "Premium"},
        "adminUserEnabled": False,
        "anonymousPullEnabled": False,
        "publicNetworkAccess": "Disabled",
        "zoneRedundancy": "Disabled",
        "policies": {
            "retentionPolicy": {"status": "enabled", "days": 14},
            "exportPolicy": {"status": "disabled"},
        },
    }
    assert {k: registry.inputs[k] for k in expected} == expected
    assert re.fullmatch(r"[a-z0-9]{5,50}", registry.inputs["registryName"])
    assert plan.outputs["registryUrl"] == f"{registry.inputs['registryName']}.azurecr.io"


def test_resource_group_is_protected_and_holds_everything(plan: Plan) -> None:
    group = one(plan, "azure-native:resources:ResourceGroup")
    assert group.protect is True
    for resource in (*plan.of_type(ACCOUNT), *plan.of_type(REGISTRY)):
        assert depends_on(resource, group), resource.name
    assert depends_on(one(plan, "azure-native:storage:BlobContainer"), group)


def test_prod_is_zone_redundant_with_longer_retention(shipped_plans: dict[str, Plan]) -> None:
    prod = shipped_plans["azure-prod"]
    assert one(prod, ACCOUNT, "-artifacts-account").inputs["sku"] == {"name": "Standard_ZRS"}
    assert one(prod, REGISTRY).inputs["zoneRedundancy"] == "Enabled"
    service = one(prod, "azure-native:storage:BlobServiceProperties", "-artifacts-blob-service")
    assert service.inputs["deleteRetentionPolicy"] == {"enabled": True, "days": 30}


def test_existing_resource_group_is_used_not_created(plan_config: PlanConfig) -> None:
    plan = plan_config(
        {
            "target": "azure",
            "environment": "dev",
            "region": "northeurope",
            "azure": {"existingResourceGroup": "rg-ml"},
        }
    )
    assert plan.of_type("azure-native:resources:ResourceGroup") == []
    assert one(plan, ACCOUNT, "-artifacts-account").inputs["resourceGroupName"] == "rg-ml"
    assert one(plan, REGISTRY).inputs["resourceGroupName"] == "rg-ml"
