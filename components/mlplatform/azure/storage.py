"""Azure Storage artifact store: a private StorageV2 account and blob container; and the
hardened account every storage account of the platform is (`hardened_account`).

TLS 1.2 only, HTTPS only, no public blob access, shared-key access off
(Entra ID only), public network access off, blob versioning, blob and
container soft delete, and a lifecycle rule for old versions.
"""

from collections.abc import Mapping
from typing import Required, TypedDict

import pulumi
from pulumi_azure_native import storage

from mlplatform import defaults
from mlplatform.azure.identity import AzureWorkloadIdentity, assign_role
from mlplatform.catalog.limits.names import STORAGE_ACCOUNT_MAX
from mlplatform.component_args import check_args
from mlplatform.contracts import child
from mlplatform.naming import compact_name


class AzureBlobArtifactStoreArgs(TypedDict, total=False):
    """Args of `AzureBlobArtifactStore`."""

    resource_group_name: Required[pulumi.Input[str]]
    """Resource group of the storage account."""
    location: pulumi.Input[str]
    """Azure region. Default: the resource group's location."""
    zone_redundant: bool
    """Zone-redundant storage (Standard_ZRS) instead of Standard_LRS. Default: off."""
    tags: Mapping[str, str]
    """Tags on the storage account. Default: none."""
    noncurrent_version_days: int
    """Days an overwritten or deleted object version is kept. Default: 30."""
    soft_delete_days: int
    """Days a deleted blob or container can be restored. Default: 7."""
    protect: bool
    """Protect the storage account from deletion. Default: protected."""


class AzureBlobArtifactStore(pulumi.ComponentResource):
    """A storage account + blob container for ML artifacts, secure by default."""

    account_name: pulumi.Output[str]
    """Storage account name."""
    container_name: pulumi.Output[str]
    """Blob container name."""
    artifact_uri: pulumi.Output[str]
    """`wasbs://container@account.blob.core.windows.net` for MLflow."""
    account_id: pulumi.Output[str]
    """Storage account resource id, the scope for role assignments."""

    def __init__(
        self,
        name: str,
        args: AzureBlobArtifactStoreArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_args(self, name, AzureBlobArtifactStoreArgs, args)
        super().__init__("mlplatform:index:AzureBlobArtifactStore", name, None, opts)
        protect = args.get("protect", True)
        rg = args["resource_group_name"]
        soft_delete: storage.DeleteRetentionPolicyArgsDict = {
            "enabled": True,
            "days": args.get("soft_delete_days", defaults.SOFT_DELETE_DAYS),
        }

        account = hardened_account(
            f"{name}-account",
            compact_name(name, STORAGE_ACCOUNT_MAX, self),
            rg,
            args.get("location"),
            "Standard_ZRS" if args.get("zone_redundant", False) else "Standard_LRS",
            False,
            args.get("tags", {}),
            child(self, protect=protect),
        )
        blob_service = storage.BlobServiceProperties(
            f"{name}-blob-service",
            account_name=account.name,
            resource_group_name=rg,
            blob_services_name="default",
            is_versioning_enabled=True,
            delete_retention_policy=soft_delete,
            container_delete_retention_policy=soft_delete,
            opts=child(self),
        )
        container = storage.BlobContainer(
            f"{name}-container",
            account_name=account.name,
            resource_group_name=rg,
            container_name=defaults.ARTIFACT_CONTAINER,
            public_access=storage.PublicAccess.NONE,
            opts=child(self, protect=protect, depends_on=[blob_service]),
        )
        storage.ManagementPolicy(
            f"{name}-lifecycle",
            account_name=account.name,
            resource_group_name=rg,
            management_policy_name="default",
            policy={
                "rules": [
                    {
                        # "A rule name can contain any combination of alpha numeric
                        # characters" (ManagementPolicyRule.name, Azure storage REST API).
                        "name": "expireOldVersions",
                        "enabled": True,
                        "type": "Lifecycle",
                        "definition": {
                            "actions": {
                                "version": {
                                    "delete": {
                                        "days_after_creation_greater_than": args.get(
                                            "noncurrent_version_days",
                                            defaults.NONCURRENT_VERSION_DAYS,
                                        ),
                                    }
                                }
                            },
                            "filters": {"blob_types": ["blockBlob"]},
                        },
                    }
                ]
            },
            opts=child(self, depends_on=[blob_service]),
        )
        self.account_name = account.name
        self.container_name = container.name
        self.account_id = account.id
        self.artifact_uri = pulumi.Output.concat(
            "wasbs://", container.name, "@", account.name, ".blob.core.windows.net"
        )
        self.register_outputs(
            {
                "account_name": self.account_name,
                "container_name": self.container_name,
                "account_id": self.account_id,
                "artifact_uri": self.artifact_uri,
            }
        )

    def grant_read_write(self, identity: AzureWorkloadIdentity) -> None:
        """Storage Blob Data Contributor on this account only, for `identity`."""
        assign_role(
            f"{identity._name}-artifacts-rw",
            "Storage Blob Data Contributor",
            self.account_id,
            identity.principal_id,
            identity,
        )


def hardened_account(
    name: str,
    account_name: pulumi.Input[str],
    resource_group_name: pulumi.Input[str],
    location: pulumi.Input[str] | None,
    sku: str,
    trusted_services: bool,
    tags: Mapping[str, str],
    opts: pulumi.ResourceOptions,
) -> storage.StorageAccount:
    """A StorageV2 account hardened as every account of the platform is: TLS 1.2 and HTTPS
    only, no public blob access, no shared keys (Entra ID only, the portal too), no replication
    to other tenants, infrastructure encryption.

    Its public endpoint is off (`trusted_services` False: reached through private endpoints),
    or denies every network but Azure's trusted services (`trusted_services` True: Network
    Watcher writes flow logs from outside the VNet; Network Watcher FAQ, "How do I use flow
    logs with a storage account behind a firewall?"). `location` None: the resource group's.
    """
    return storage.StorageAccount(
        name,
        account_name=account_name,
        resource_group_name=resource_group_name,
        location=location,
        kind="StorageV2",
        sku={"name": sku},
        minimum_tls_version="TLS1_2",
        enable_https_traffic_only=True,
        allow_blob_public_access=False,
        allow_shared_key_access=False,
        default_to_o_auth_authentication=True,
        allow_cross_tenant_replication=False,
        public_network_access=None if trusted_services else "Disabled",
        network_rule_set=(
            {"default_action": storage.DefaultAction.DENY, "bypass": storage.Bypass.AZURE_SERVICES}
            if trusted_services
            else None
        ),
        encryption=account_encryption(),
        tags=dict(tags),
        opts=opts,
    )


def account_encryption() -> storage.EncryptionArgsDict:
    """Platform-managed keys with infrastructure (double) encryption on blobs and files."""
    return {
        "key_source": "Microsoft.Storage",
        "require_infrastructure_encryption": True,
        "services": {
            "blob": {"enabled": True, "key_type": "Account"},
            "file": {"enabled": True, "key_type": "Account"},
        },
    }
