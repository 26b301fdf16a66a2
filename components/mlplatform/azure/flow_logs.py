"""VNet flow logs for the Azure network: Network Watcher's virtual network flow log (NSG flow
logs are being retired) into a storage account of their own, closed to public networks but
Azure's trusted services, written with a managed identity (no account keys), kept for the
spec's retention. GCP's subnets and the AWS VPC log their flows the same way."""

from collections.abc import Mapping

import pulumi
from pulumi_azure_native import managedidentity, network, storage

from mlplatform import defaults
from mlplatform.azure.identity import assign_role
from mlplatform.azure.storage import hardened_account
from mlplatform.catalog.limits.names import STORAGE_ACCOUNT_MAX
from mlplatform.contracts import child
from mlplatform.naming import compact_name

FLOW_LOG_CONTAINER = "insights-logs-flowlogflowevent"
"""Where Network Watcher writes virtual network flow logs in the account (one block blob per
hour, blocks appended each minute)."""
FLOW_LOG_FORMAT: network.FlowLogFormatParametersArgsDict = {"type": "JSON", "version": 2}
"""Version 2 records bytes and packets per flow (Network Watcher FAQ, "flow logs versions 1
and 2")."""


def vnet_flow_logs(
    name: str,
    vnet: network.VirtualNetwork,
    parent: pulumi.Resource,
    resource_group_name: pulumi.Input[str],
    location: str,
    retention_days: int,
    watcher: tuple[str, str],
    protect: bool,
    tags: Mapping[str, str],
) -> network.FlowLog:
    """The VNet's flow log (`{name}-flow-log`) in Network Watcher `watcher` (resource group,
    name), its storage account and the identity that writes to it."""
    # Flow logs go to an account in the VNet's region, standard tier only (virtual network flow
    # logs overview, "Storage account considerations"); Network Watcher writes from outside the
    # VNet, so through the trusted services exception of the account's firewall.
    account = hardened_account(
        f"{name}-flow-logs-account",
        compact_name(f"{name}-flow-logs", STORAGE_ACCOUNT_MAX, parent),
        resource_group_name,
        location,
        "Standard_LRS",
        True,
        tags,
        child(parent, protect=protect),
    )
    soft_delete: storage.DeleteRetentionPolicyArgsDict = {
        "enabled": True,
        "days": defaults.SOFT_DELETE_DAYS,
    }
    blobs = storage.BlobServiceProperties(
        f"{name}-flow-logs-blobs",
        account_name=account.name,
        resource_group_name=resource_group_name,
        blob_services_name="default",
        is_versioning_enabled=True,
        delete_retention_policy=soft_delete,
        container_delete_retention_policy=soft_delete,
        opts=child(parent),
    )
    # Retention, also of the blob versions each minute's append leaves behind (versioning is on,
    # as on every account of the platform). Network Watcher applies the flow log's own retention
    # through the account's lifecycle rules too (vnet-flow-logs-manage: "a storage account
    # supports 100 rules"); the flow log is made after this policy, and both keep the same days.
    lifecycle = storage.ManagementPolicy(
        f"{name}-flow-logs-lifecycle",
        account_name=account.name,
        resource_group_name=resource_group_name,
        management_policy_name="default",
        policy={
            "rules": [
                {
                    # Rule names: any combination of alphanumeric characters (ManagementPolicyRule).
                    "name": "expireFlowLogs",
                    "enabled": True,
                    "type": "Lifecycle",
                    "definition": {
                        "actions": {
                            "base_blob": {
                                "delete": {"days_after_modification_greater_than": retention_days}
                            },
                            "version": {
                                "delete": {"days_after_creation_greater_than": retention_days}
                            },
                        },
                        "filters": {
                            "blob_types": ["blockBlob"],
                            "prefix_match": [f"{FLOW_LOG_CONTAINER}/"],
                        },
                    },
                }
            ]
        },
        opts=child(parent, depends_on=[blobs]),
    )
    identity = managedidentity.UserAssignedIdentity(
        f"{name}-flow-logs-identity",
        resource_group_name=resource_group_name,
        location=location,
        tags=dict(tags),
        opts=child(parent),
    )
    # Flow logs authenticate to the account with a user-assigned identity holding Storage Blob
    # Data Contributor (Network Watcher, vnet-flow-logs-managed-identity, "Prerequisites").
    writer = assign_role(
        f"{name}-flow-logs-writer",
        "Storage Blob Data Contributor",
        account.id,
        identity.principal_id,
        parent,
    )
    watcher_group, watcher_name = watcher
    return network.FlowLog(
        f"{name}-flow-log",
        resource_group_name=watcher_group,
        network_watcher_name=watcher_name,
        location=location,
        target_resource_id=vnet.id,
        storage_id=account.id,
        enabled=True,
        format=FLOW_LOG_FORMAT,
        retention_policy={"enabled": True, "days": retention_days},
        identity={
            "type": network.ResourceIdentityType.USER_ASSIGNED,
            "user_assigned_identities": [identity.id],
        },
        tags=dict(tags),
        opts=child(parent, depends_on=[writer, lifecycle]),
    )
