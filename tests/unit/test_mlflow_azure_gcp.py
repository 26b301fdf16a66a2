"""MLflow's managed databases and identities on Azure (Flexible Server) and GCP (Cloud SQL),
on the captured plans of the shipped stacks and of ad-hoc configs."""

from __future__ import annotations

import pytest

from mlplatform.azure.database import sku_tier, storage_size
from mlplatform.engine import Plan
from mlplatform.engine.mocks import physical_name
from tests.conftest import PlanConfig
from tests.helpers import depends_on, one

FLEXIBLE = "azure-native:dbforpostgresql:Server"
CLOUD_SQL = "gcp:sql/databaseInstance:DatabaseInstance"
ROLE = "azure-native:authorization:RoleAssignment"
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"


def _command(plan: Plan) -> list[str]:
    return one(plan, DEPLOYMENT, "-mlflow-deployment").inputs["spec"]["template"]["spec"][
        "containers"
    ][0]["command"]


def _secret_depends_on_database(plan: Plan, database: str) -> bool:
    secret = one(plan, "kubernetes:core/v1:Secret", "-mlflow-credentials")
    return depends_on(secret, one(plan, database)) and secret.inputs["stringData"] == "[secret]"


def test_azure_dev_flexible_server_is_private_tls_only_and_protected(
    shipped_plans: dict[str, Plan],
) -> None:
    plan = shipped_plans["azure-dev"]
    server = one(plan, FLEXIBLE)
    expected = {
        "version": "17",
        "sku": {"name": "Standard_B2ms", "tier": "Burstable"},
        "storage": {"storageSizeGB": 32, "autoGrow": "Enabled", "type": "Premium_LRS"},
        "backup": {"backupRetentionDays": 7, "geoRedundantBackup": "Disabled"},
        "highAvailability": {"mode": "Disabled"},
        "authConfig": {"passwordAuth": "Enabled", "activeDirectoryAuth": "Disabled"},
        "administratorLogin": "mlflow",
        "location": "westeurope",
    }
    assert {k: server.inputs[k] for k in expected} == expected
    assert server.protect is True
    network = server.inputs["network"]
    assert network["publicNetworkAccess"] == "Disabled"
    subnet = one(plan, "azure-native:network:Subnet", "-mlflow-db-subnet")
    assert subnet.inputs["delegations"] == [
        {"name": "postgres", "serviceName": "Microsoft.DBforPostgreSQL/flexibleServers"}
    ]
    assert subnet.inputs["addressPrefix"] == "10.0.160.0/19"
    assert depends_on(subnet, one(plan, "azure-native:network:Subnet", "-network-endpoints"))
    zone = one(plan, "azure-native:privatedns:PrivateZone", "-mlflow-db-dns")
    assert zone.inputs["privateZoneName"] == (
        "ml-azure-dev-mlflow-db.private.postgres.database.azure.com"
    )
    link = one(plan, "azure-native:privatedns:VirtualNetworkLink", "-mlflow-db-dns-link")
    assert depends_on(server, subnet) and depends_on(server, zone) and depends_on(server, link)
    tls = one(plan, "azure-native:dbforpostgresql:Configuration", "-require-tls")
    assert (tls.inputs["configurationName"], tls.inputs["value"]) == (
        "require_secure_transport",
        "on",
    )
    database = one(plan, "azure-native:dbforpostgresql:Database")
    assert database.inputs["databaseName"] == "mlflow" and database.protect is True
    password = one(plan, "random:index/randomPassword:RandomPassword", "-mlflow-db-password")
    assert (password.inputs["length"], password.inputs["special"]) == (32, False)
    assert _secret_depends_on_database(plan, "azure-native:dbforpostgresql:Database")


def test_azure_prod_database_is_zone_redundant_general_purpose(
    shipped_plans: dict[str, Plan],
) -> None:
    server = one(shipped_plans["azure-prod"], FLEXIBLE)
    assert server.inputs["highAvailability"] == {"mode": "ZoneRedundant"}
    assert server.inputs["sku"] == {"name": "Standard_D2ds_v5", "tier": "GeneralPurpose"}


def test_azure_mlflow_identity_is_federated_and_scoped_to_the_artifact_account(
    shipped_plans: dict[str, Plan],
) -> None:
    plan = shipped_plans["azure-dev"]
    federation = one(
        plan, "azure-native:managedidentity:FederatedIdentityCredential", "-mlflow-federation"
    )
    assert federation.inputs["subject"] == "system:serviceaccount:mlflow:ml-azure-dev-mlflow"
    grants = [r for r in plan.of_type(ROLE) if "-mlflow-" in r.name]
    assert [g.name for g in grants] == ["ml-azure-dev-mlflow-artifacts-rw"]
    account = one(plan, "azure-native:storage:StorageAccount", "-artifacts-account")
    assert grants[0].inputs["roleDefinitionId"].endswith(STORAGE_BLOB_DATA_CONTRIBUTOR)
    assert grants[0].inputs["scope"].endswith(f"/storageAccounts/{account.inputs['accountName']}")
    deployment = one(plan, DEPLOYMENT, "-mlflow-deployment")
    template = deployment.inputs["spec"]["template"]
    assert template["metadata"]["labels"]["azure.workload.identity/use"] == "true"
    sa = one(plan, "kubernetes:core/v1:ServiceAccount", "-mlflow-sa")
    assert set(sa.inputs["metadata"]["annotations"]) == {"azure.workload.identity/client-id"}
    command = _command(plan)
    assert command[command.index("--artifacts-destination") + 1] == (
        f"wasbs://artifacts@{account.inputs['accountName']}.blob.core.windows.net/"
    )


def test_azure_existing_network_uses_the_given_delegated_subnet(plan_config: PlanConfig) -> None:
    vnet = "/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v"
    plan = plan_config(
        {
            "target": "azure",
            "environment": "dev",
            "region": "northeurope",
            "network": {
                "existing": {
                    "networkId": vnet,
                    "subnetIds": [f"{vnet}/subnets/nodes"],
                    "databaseSubnetId": f"{vnet}/subnets/postgres",
                }
            },
            "mlflow": {"enabled": True, "database": {"instanceClass": "Standard_E2ds_v5"}},
        }
    )
    server = one(plan, FLEXIBLE)
    assert server.inputs["network"]["delegatedSubnetResourceId"] == f"{vnet}/subnets/postgres"
    assert server.inputs["sku"] == {"name": "Standard_E2ds_v5", "tier": "MemoryOptimized"}
    link = one(plan, "azure-native:privatedns:VirtualNetworkLink", "-mlflow-db-dns-link")
    assert link.inputs["virtualNetwork"] == {"id": vnet}
    assert plan.of_type("azure-native:network:Subnet") == []


def test_flexible_server_sizes_and_tiers() -> None:
    assert [storage_size(gb) for gb in (20, 32, 33, 500, 20000)] == [32, 32, 64, 512, 32767]
    assert [sku_tier(s) for s in ("Standard_B1ms", "Standard_D4ds_v5", "Standard_E8ds_v5")] == [
        "Burstable",
        "GeneralPurpose",
        "MemoryOptimized",
    ]


def test_gcp_dev_cloud_sql_is_private_tls_only_backed_up_and_protected(
    shipped_plans: dict[str, Plan],
) -> None:
    plan = shipped_plans["gcp-dev"]
    instance = one(plan, CLOUD_SQL)
    assert instance.inputs["databaseVersion"] == "POSTGRES_17"
    assert instance.inputs["deletionProtection"] is True and instance.protect is True
    settings = instance.inputs["settings"]
    network = one(plan, "gcp:compute/network:Network")
    assert settings["ipConfiguration"] == {
        "ipv4Enabled": False,
        "privateNetwork": f"projects/my-ml-platform-dev/global/networks/"
        f"{physical_name(network.name)}",
        "sslMode": "ENCRYPTED_ONLY",
        "enablePrivatePathForGoogleCloudServices": False,
    }
    assert settings["backupConfiguration"] == {
        "enabled": True,
        "startTime": "03:00",
        "pointInTimeRecoveryEnabled": True,
        "transactionLogRetentionDays": 7,
        "backupRetentionSettings": {"retainedBackups": 7, "retentionUnit": "COUNT"},
    }
    expected = {
        "tier": "db-custom-1-3840",
        "edition": "ENTERPRISE",
        "availabilityType": "ZONAL",
        "deletionProtectionEnabled": True,
        "retainBackupsOnDelete": True,
        "diskType": "PD_SSD",
        "diskAutoresize": True,
    }
    assert {k: settings[k] for k in expected} == expected
    peering = one(plan, "gcp:servicenetworking/connection:Connection")
    reserved = one(plan, "gcp:compute/globalAddress:GlobalAddress")
    assert reserved.inputs["purpose"] == "VPC_PEERING"
    assert reserved.inputs["addressType"] == "INTERNAL"
    assert peering.inputs["service"] == "servicenetworking.googleapis.com"
    assert depends_on(peering, reserved) and depends_on(instance, peering)
    database = one(plan, "gcp:sql/database:Database")
    assert (database.inputs["name"], database.inputs["deletionPolicy"]) == ("mlflow", "PREVENT")
    assert database.protect is True
    user = one(plan, "gcp:sql/user:User")
    assert (user.inputs["name"], user.inputs["password"]) == ("mlflow", "[secret]")
    assert _secret_depends_on_database(plan, CLOUD_SQL)


def test_gcp_prod_cloud_sql_is_regional_with_configured_backups(
    shipped_plans: dict[str, Plan],
) -> None:
    settings = one(shipped_plans["gcp-prod"], CLOUD_SQL).inputs["settings"]
    assert (settings["availabilityType"], settings["tier"]) == ("REGIONAL", "db-custom-2-7680")
    assert settings["backupConfiguration"]["backupRetentionSettings"]["retainedBackups"] == 14
    assert settings["backupConfiguration"]["transactionLogRetentionDays"] == 7


def test_gcp_mlflow_identity_is_bucket_scoped(shipped_plans: dict[str, Plan]) -> None:
    plan = shipped_plans["gcp-dev"]
    members = [
        r
        for r in plan.resources
        if r.type.startswith("gcp:") and "-mlflow-" in r.name and "IAM" in r.type
    ]
    assert sorted(r.type for r in members) == [
        "gcp:serviceaccount/iAMMember:IAMMember",
        "gcp:storage/bucketIAMMember:BucketIAMMember",
    ]
    grant = one(plan, "gcp:storage/bucketIAMMember:BucketIAMMember", "-mlflow-artifacts-rw")
    bucket = plan.outputs["artifactUri"].removeprefix("gs://")
    assert (grant.inputs["bucket"], grant.inputs["role"]) == (bucket, "roles/storage.objectUser")
    binding = one(plan, "gcp:serviceaccount/iAMMember:IAMMember", "-mlflow-wi-user")
    assert binding.inputs["member"] == (
        "serviceAccount:my-ml-platform-dev.svc.id.goog[mlflow/ml-gcp-dev-mlflow]"
    )
    sa = one(plan, "kubernetes:core/v1:ServiceAccount", "-mlflow-sa")
    assert set(sa.inputs["metadata"]["annotations"]) == {"iam.gke.io/gcp-service-account"}
    command = _command(plan)
    assert command[command.index("--artifacts-destination") + 1] == f"gs://{bucket}/"


@pytest.mark.parametrize(
    "network_id",
    [
        "shared-vpc",
        "projects/my-ml-platform-dev/global/networks/shared-vpc",
        "https://www.googleapis.com/compute/v1/projects/my-ml-platform-dev/global/networks/shared-vpc",
    ],
)
def test_gcp_existing_network_is_named_by_path_and_not_peered_again(
    plan_config: PlanConfig, network_id: str
) -> None:
    plan = plan_config(
        {
            "target": "gcp",
            "environment": "dev",
            "region": "us-central1",
            "gcp": {"project": "my-ml-platform-dev"},
            "network": {
                "existing": {
                    "networkId": network_id,
                    "subnetIds": ["nodes"],
                    "podsRangeName": "pods",
                    "servicesRangeName": "services",
                }
            },
            "mlflow": {"enabled": True},
        }
    )
    settings = one(plan, CLOUD_SQL).inputs["settings"]
    assert settings["ipConfiguration"]["privateNetwork"] == (
        "projects/my-ml-platform-dev/global/networks/shared-vpc"
    )
    assert plan.of_type("gcp:servicenetworking/connection:Connection") == []
