"""Security settings of the Azure plans (issue 21): encryption at host on every AKS node pool,
VNet flow logs with bounded retention, and connection and pgAudit logging on the MLflow
Flexible Server."""

from __future__ import annotations

import pulumi
import pytest

from mlplatform.engine import Plan, run_program, run_stack
from mlplatform.engine.capture import provider_urn
from mlplatform.engine.mocks import SUBSCRIPTION_ID, PlatformMocks
from tests.conftest import ROOT, PlanConfig
from tests.helpers import depends_on, one

CLUSTER = "azure-native:containerservice:ManagedCluster"
POOL = "azure-native:containerservice:AgentPool"
FLOW_LOG = "azure-native:network:FlowLog"
ACCOUNT = "azure-native:storage:StorageAccount"
CONFIGURATION = "azure-native:dbforpostgresql:Configuration"
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
BASE = {"target": "azure", "environment": "dev", "region": "northeurope"}


@pytest.fixture(scope="module", params=["azure-dev", "azure-prod"])
def shipped(request: pytest.FixtureRequest, shipped_plans: dict[str, Plan]) -> Plan:
    return shipped_plans[request.param]


@pytest.fixture(scope="module")
def dev(shipped_plans: dict[str, Plan]) -> Plan:
    return shipped_plans["azure-dev"]


# ---- item 14: encryption at host ----------------------------------------------------------


def test_every_node_pool_encrypts_at_host(shipped: Plan) -> None:
    [system] = one(shipped, CLUSTER).inputs["agentPoolProfiles"]
    assert system["enableEncryptionAtHost"] is True
    pools = shipped.of_type(POOL)
    assert pools
    assert {p.name: p.inputs["enableEncryptionAtHost"] for p in pools} == {
        p.name: True for p in pools
    }


# ---- item 13: VNet flow logs --------------------------------------------------------------


def test_vnet_flow_log_with_bounded_retention(dev: Plan) -> None:
    flow_log = one(dev, FLOW_LOG)
    vnet = one(dev, "azure-native:network:VirtualNetwork")
    account = one(dev, ACCOUNT, "-network-flow-logs-account")
    identity = one(
        dev, "azure-native:managedidentity:UserAssignedIdentity", "-network-flow-logs-identity"
    )
    writer = one(dev, "azure-native:authorization:RoleAssignment", "-network-flow-logs-writer")
    expected = {
        "resourceGroupName": "NetworkWatcherRG",
        "networkWatcherName": "NetworkWatcher_westeurope",
        "location": "westeurope",
        "enabled": True,
        "format": {"type": "JSON", "version": 2},
        "retentionPolicy": {"enabled": True, "days": 90},
    }
    assert {k: flow_log.inputs[k] for k in expected} == expected
    assert flow_log.inputs["identity"]["type"] == "UserAssigned"
    assert flow_log.property_dependencies["targetResourceId"] == [vnet.urn]
    assert flow_log.property_dependencies["storageId"] == [account.urn]
    assert flow_log.property_dependencies["identity"] == [identity.urn]
    assert writer.inputs["roleDefinitionId"].endswith(STORAGE_BLOB_DATA_CONTRIBUTOR)
    assert writer.property_dependencies["scope"] == [account.urn]
    assert writer.property_dependencies["principalId"] == [identity.urn]
    assert depends_on(flow_log, writer)


def test_flow_log_account_is_closed_keyless_and_protected(dev: Plan) -> None:
    account = one(dev, ACCOUNT, "-network-flow-logs-account")
    expected = {
        "kind": "StorageV2",
        "sku": {"name": "Standard_LRS"},
        "minimumTlsVersion": "TLS1_2",
        "enableHttpsTrafficOnly": True,
        "allowBlobPublicAccess": False,
        "allowSharedKeyAccess": False,
        "allowCrossTenantReplication": False,
        "networkRuleSet": {"defaultAction": "Deny", "bypass": "AzureServices"},
        "location": "westeurope",
    }
    assert {k: account.inputs[k] for k in expected} == expected
    assert account.protect is True
    service = one(dev, "azure-native:storage:BlobServiceProperties", "-network-flow-logs-blobs")
    assert service.inputs["isVersioningEnabled"] is True
    assert service.inputs["deleteRetentionPolicy"] == {"enabled": True, "days": 7}
    lifecycle = one(dev, "azure-native:storage:ManagementPolicy", "-network-flow-logs-lifecycle")
    assert lifecycle.inputs["policy"]["rules"] == [
        {
            "name": "expireFlowLogs",
            "enabled": True,
            "type": "Lifecycle",
            "definition": {
                "actions": {
                    "baseBlob": {"delete": {"daysAfterModificationGreaterThan": 90}},
                    "version": {"delete": {"daysAfterCreationGreaterThan": 90}},
                },
                "filters": {
                    "blobTypes": ["blockBlob"],
                    "prefixMatch": ["insights-logs-flowlogflowevent/"],
                },
            },
        }
    ]


HARDENED = {
    "kind": "StorageV2",
    "minimumTlsVersion": "TLS1_2",
    "enableHttpsTrafficOnly": True,
    "allowBlobPublicAccess": False,
    "allowSharedKeyAccess": False,
    "defaultToOAuthAuthentication": True,
    "allowCrossTenantReplication": False,
    "encryption": {
        "keySource": "Microsoft.Storage",
        "requireInfrastructureEncryption": True,
        "services": {
            "blob": {"enabled": True, "keyType": "Account"},
            "file": {"enabled": True, "keyType": "Account"},
        },
    },
}
"""The hardening every storage account of the platform carries."""
PRIVATE = {"publicNetworkAccess": "Disabled"}
TRUSTED_SERVICES = {"networkRuleSet": {"defaultAction": "Deny", "bypass": "AzureServices"}}


def test_one_helper_makes_every_hardened_storage_account() -> None:
    from mlplatform.azure.storage import hardened_account

    def program() -> None:
        parent = pulumi.ComponentResource("test:index:Holder", "holder")
        opts = pulumi.ResourceOptions(parent=parent, protect=True)
        hardened_account("private", "private1", "rg", "westeurope", "Standard_ZRS", False, {}, opts)
        hardened_account("trusted", "trusted1", "rg", None, "Standard_LRS", True, {"a": "b"}, opts)

    plan = run_program(program)
    private, trusted = one(plan, ACCOUNT, "private"), one(plan, ACCOUNT, "trusted")
    assert private.inputs == {
        **HARDENED,
        **PRIVATE,
        "accountName": "private1",
        "resourceGroupName": "rg",
        "location": "westeurope",
        "sku": {"name": "Standard_ZRS"},
        "tags": {},
    }
    assert trusted.inputs == {
        **HARDENED,
        **TRUSTED_SERVICES,
        "accountName": "trusted1",
        "resourceGroupName": "rg",
        "sku": {"name": "Standard_LRS"},
        "tags": {"a": "b"},
    }
    assert private.protect is trusted.protect is True


def test_every_storage_account_of_the_plan_is_hardened_alike(shipped: Plan) -> None:
    closed = {
        a.name.removeprefix(f"ml-{shipped.stack}-"): {
            **{k: a.inputs[k] for k in HARDENED},
            **{k: a.inputs[k] for k in (*PRIVATE, *TRUSTED_SERVICES) if k in a.inputs},
        }
        for a in shipped.of_type(ACCOUNT)
    }
    assert closed == {
        "artifacts-account": {**HARDENED, **PRIVATE},
        "network-flow-logs-account": {**HARDENED, **TRUSTED_SERVICES},
    }


def test_flow_log_settings_come_from_the_spec(plan_config: PlanConfig) -> None:
    plan = plan_config(
        {
            **BASE,
            "network": {"flowLogRetentionDays": 365},
            "azure": {
                "networkWatcherResourceGroup": "ops-network",
                "networkWatcherName": "watcher-ne",
            },
            "protect": False,
        }
    )
    flow_log = one(plan, FLOW_LOG)
    assert (
        flow_log.inputs["resourceGroupName"],
        flow_log.inputs["networkWatcherName"],
        flow_log.inputs["location"],
        flow_log.inputs["retentionPolicy"],
    ) == ("ops-network", "watcher-ne", "northeurope", {"enabled": True, "days": 365})
    assert one(plan, ACCOUNT, "-network-flow-logs-account").protect is False


def test_an_existing_vnet_gets_no_flow_log(plan_config: PlanConfig) -> None:
    vnet = "/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/shared"
    plan = plan_config(
        {**BASE, "network": {"existing": {"networkId": vnet, "subnetIds": [f"{vnet}/subnets/a"]}}}
    )
    assert plan.of_type(FLOW_LOG) == []


# ---- item 15: database connection and audit logging ---------------------------------------


def test_flexible_server_logs_connections_and_pgaudit_without_statement_data(
    dev: Plan,
) -> None:
    configs = {
        r.name.removeprefix("ml-azure-dev-mlflow-db-"): (
            r.inputs["configurationName"],
            r.inputs["value"],
            r.inputs["source"],
        )
        for r in dev.of_type(CONFIGURATION)
    }
    assert configs == {
        "require-tls": ("require_secure_transport", "on", "user-override"),
        "log-connections": ("log_connections", "on", "user-override"),
        "log-disconnections": ("log_disconnections", "on", "user-override"),
        "preload-pgaudit": (
            "shared_preload_libraries",
            "pg_stat_statements,pgaudit",
            "user-override",
        ),
        "pgaudit-log": ("pgaudit.log", "ddl,role", "user-override"),
        "pgaudit-log-parameter": ("pgaudit.log_parameter", "off", "user-override"),
    }
    # A server takes one operation at a time: each setting waits for the one before it.
    order = [
        one(dev, CONFIGURATION, "-require-tls"),
        one(dev, "azure-native:dbforpostgresql:Database"),
        *(
            one(dev, CONFIGURATION, f"-{suffix}")
            for suffix in (
                "log-connections",
                "log-disconnections",
                "preload-pgaudit",
                "pgaudit-log",
                "pgaudit-log-parameter",
            )
        ),
    ]
    for later, earlier in zip(order[1:], order, strict=False):
        assert depends_on(later, earlier), (later.name, earlier.name)


def test_flexible_server_logs_reach_the_log_analytics_workspace(dev: Plan) -> None:
    setting = one(dev, "azure-native:monitor:DiagnosticSetting", "-mlflow-db-logs")
    server = one(dev, "azure-native:dbforpostgresql:Server")
    workspace = one(dev, "azure-native:operationalinsights:Workspace")
    assert setting.inputs["logs"] == [{"category": "PostgreSQLLogs", "enabled": True}]
    assert setting.property_dependencies["resourceUri"] == [server.urn]
    assert setting.property_dependencies["workspaceId"] == [workspace.urn]


# ---- lookups through the stack's provider -------------------------------------------------

CLIENT_CONFIG = "azure-native:authorization:getClientConfig"
ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment"


def test_client_config_is_read_through_the_stacks_provider_once_per_component(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Who deploys (the subscription of role definitions, the tenant for managed Prometheus,
    the deployer made AKS admin) is read through the stack's azure-native provider, not a
    default one: once per component that assigns roles, plus the tenant."""
    lookups: list[tuple[str, str | None]] = []
    answer = PlatformMocks.call

    def call(
        self: PlatformMocks, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict, list[tuple[str, str]] | None]:
        lookups.append((args.token, provider_urn(args.provider or "")))
        return answer(self, args)

    monkeypatch.setattr(PlatformMocks, "call", call)
    plan = run_stack("azure-prod", ROOT)
    provider = one(plan, "pulumi:providers:azure-native", "-azure")
    assignments = plan.of_type(ROLE_ASSIGNMENT)
    assigning = {a.parent for a in assignments}
    assert [len(assignments), len(assigning)] == [11, 7]
    assert [urn for token, urn in lookups if token == CLIENT_CONFIG] == [provider.urn] * (
        len(assigning) + 1
    )
    prefix = f"/subscriptions/{SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/"
    assert all(a.inputs["roleDefinitionId"].startswith(prefix) for a in assignments)
