"""Azure Workload Identity: a user-assigned managed identity federated with exactly one
Kubernetes service account of an AKS cluster (no client secrets)."""

import weakref
from collections.abc import Mapping
from typing import Required, TypedDict

import pulumi
from pulumi_azure_native import authorization, managedidentity

from mlplatform.component_args import check_args
from mlplatform.contracts import child

CLIENT_ID_ANNOTATION = "azure.workload.identity/client-id"
USE_LABEL = {"azure.workload.identity/use": "true"}
"""Pods (not only the service account) must carry this label for the webhook to inject the
token: a job's pod template sets it."""
TOKEN_AUDIENCE = "api://AzureADTokenExchange"
ROLE_DEFINITIONS = {
    "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    "AcrPull": "7f951dda-4ed3-4680-a7ca-43fe172d538d",
    "Azure Kubernetes Service RBAC Cluster Admin": "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
    "Network Contributor": "4d97b98b-1d4f-4787-a291-c67834d212e7",
    "Monitoring Metrics Publisher": "3913510d-42f4-4e42-8a64-420c390055eb",
    "Monitoring Data Reader": "b0d8363b-8ddd-447d-831f-62ca05bff136",
}
"""Built-in role ids (Azure built-in roles reference)."""


_CLIENT_CONFIGS: weakref.WeakKeyDictionary[
    pulumi.Resource, pulumi.Output[authorization.GetClientConfigResult]
] = weakref.WeakKeyDictionary()


def client_config(parent: pulumi.Resource) -> pulumi.Output[authorization.GetClientConfigResult]:
    """Who deploys (subscription, tenant, object id), read through `parent`'s azure-native
    provider, not a default one: once per component, however many roles it assigns."""
    config = _CLIENT_CONFIGS.get(parent)
    if config is None:
        config = authorization.get_client_config_output(
            opts=pulumi.InvokeOutputOptions(parent=parent)
        )
        _CLIENT_CONFIGS[parent] = config
    return config


def role_definition_id(role: str, parent: pulumi.Resource) -> pulumi.Output[str]:
    """The subscription-scoped id of a built-in role, in the subscription of `parent`'s
    provider."""
    return client_config(parent).subscription_id.apply(
        lambda sub: (
            f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/"
            f"{ROLE_DEFINITIONS[role]}"
        )
    )


def assign_role(
    name: str,
    role: str,
    scope: pulumi.Input[str],
    principal_id: pulumi.Input[str],
    parent: pulumi.Resource,
    principal_type: str = "ServicePrincipal",
) -> authorization.RoleAssignment:
    """Grant a built-in `role` on `scope` to a principal (a managed identity unless told
    otherwise)."""
    return authorization.RoleAssignment(
        name,
        scope=scope,
        role_definition_id=role_definition_id(role, parent),
        principal_id=principal_id,
        principal_type=principal_type,
        opts=child(parent),
    )


class AzureWorkloadIdentityArgs(TypedDict, total=False):
    """Args of `AzureWorkloadIdentity`."""

    resource_group_name: Required[pulumi.Input[str]]
    """Resource group for the identity."""
    location: Required[str]
    """Azure region."""
    oidc_issuer_url: Required[pulumi.Input[str]]
    """The AKS cluster's OIDC issuer URL."""
    namespace: Required[str]
    """Kubernetes namespace of the service account."""
    service_account: Required[str]
    """Kubernetes service account name."""
    tags: Mapping[str, str]
    """Tags on the identity. Default: none."""


class AzureWorkloadIdentity(pulumi.ComponentResource):
    """A managed identity that only `namespace/service_account` can get tokens for."""

    client_id: pulumi.Output[str]
    """The identity's client id."""
    principal_id: pulumi.Output[str]
    """The identity's principal (object) id, for role assignments."""
    annotations: pulumi.Output[dict[str, str]]
    """Service account annotations: `azure.workload.identity/client-id`."""

    def __init__(
        self, name: str, args: AzureWorkloadIdentityArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, AzureWorkloadIdentityArgs, args)
        super().__init__("mlplatform:index:AzureWorkloadIdentity", name, None, opts)
        self._name = name
        identity = managedidentity.UserAssignedIdentity(
            f"{name}-identity",
            resource_group_name=args["resource_group_name"],
            location=args["location"],
            tags=dict(args.get("tags", {})),
            opts=child(self),
        )
        managedidentity.FederatedIdentityCredential(
            f"{name}-federation",
            resource_group_name=args["resource_group_name"],
            resource_name_=identity.name,
            issuer=args["oidc_issuer_url"],
            subject=f"system:serviceaccount:{args['namespace']}:{args['service_account']}",
            audiences=[TOKEN_AUDIENCE],
            opts=child(self),
        )
        self.client_id = identity.client_id
        self.principal_id = identity.principal_id
        self.annotations = identity.client_id.apply(lambda c: {CLIENT_ID_ANNOTATION: c})
        self.register_outputs(
            {
                "client_id": self.client_id,
                "principal_id": self.principal_id,
                "annotations": self.annotations,
            }
        )
