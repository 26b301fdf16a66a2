"""Azure Container Registry: Premium, private, admin user off, anonymous pull off, retention."""

from collections.abc import Mapping
from typing import Required, TypedDict

import pulumi
from pulumi_azure_native import containerregistry

from mlplatform import defaults
from mlplatform.azure.identity import AzureWorkloadIdentity, assign_role
from mlplatform.catalog.limits.names import REGISTRY_NAME_MAX
from mlplatform.component_args import check_args
from mlplatform.contracts import child
from mlplatform.naming import compact_name

SKU = "Premium"
"""Premium is the tier with private endpoints, public network off and untagged retention."""


class AcrRegistryArgs(TypedDict, total=False):
    """Args of `AcrRegistry`."""

    resource_group_name: Required[pulumi.Input[str]]
    """Resource group of the registry."""
    location: pulumi.Input[str]
    """Azure region. Default: the resource group's location."""
    zone_redundant: bool
    """Zone-redundant registry. Default: off."""
    tags: Mapping[str, str]
    """Tags on the registry. Default: none."""
    untagged_expiry_days: int
    """Days before an untagged image is deleted. Default: 14."""
    protect: bool
    """Protect the registry from deletion. Default: protected."""


class AcrRegistry(pulumi.ComponentResource):
    """A private Azure Container Registry for ML images, secure by default.

    Tag immutability in ACR is a per-repository lock, not a registry setting, so this
    component has no immutable-tags input (lock repositories with
    `az acr repository update --write-enabled false` after pushing).
    """

    login_server: pulumi.Output[str]
    """`<name>.azurecr.io` to push and pull."""
    registry_id: pulumi.Output[str]
    """Registry resource id, the scope for AcrPull / AcrPush role assignments."""

    def __init__(
        self, name: str, args: AcrRegistryArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, AcrRegistryArgs, args)
        super().__init__("mlplatform:index:AcrRegistry", name, None, opts)
        registry = containerregistry.Registry(
            f"{name}-registry",
            registry_name=compact_name(name, REGISTRY_NAME_MAX, self),
            resource_group_name=args["resource_group_name"],
            location=args.get("location"),
            sku={"name": SKU},
            admin_user_enabled=False,
            anonymous_pull_enabled=False,
            public_network_access="Disabled",
            network_rule_bypass_options="AzureServices",
            zone_redundancy="Enabled" if args.get("zone_redundant", False) else "Disabled",
            policies={
                "retention_policy": {
                    "status": "enabled",
                    "days": args.get("untagged_expiry_days", defaults.UNTAGGED_IMAGE_DAYS),
                },
                "export_policy": {"status": "disabled"},
            },
            tags=args.get("tags", {}),
            opts=child(self, protect=args.get("protect", True)),
        )
        self.login_server = registry.login_server
        self.registry_id = registry.id
        self.register_outputs({"login_server": self.login_server, "registry_id": self.registry_id})

    def grant_pull(self, identity: AzureWorkloadIdentity) -> None:
        """AcrPull on this registry only, for `identity`."""
        assign_role(
            f"{identity._name}-registry-pull",
            "AcrPull",
            self.registry_id,
            identity.principal_id,
            identity,
        )

    def grant_pull_to_principal(self, name: str, principal_id: pulumi.Input[str]) -> None:
        """AcrPull on this registry for a principal such as the AKS kubelet identity."""
        assign_role(name, "AcrPull", self.registry_id, principal_id, self)
