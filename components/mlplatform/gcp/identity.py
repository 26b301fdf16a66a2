"""GKE Workload Identity: a Google service account one Kubernetes service account can act as."""

from typing import Required, TypedDict

import pulumi
from pulumi_gcp import serviceaccount

from mlplatform.component_args import check_args
from mlplatform.contracts import child
from mlplatform.naming import account_id

GKE_ANNOTATION = "iam.gke.io/gcp-service-account"


class GcpWorkloadIdentityArgs(TypedDict, total=False):
    """Args of `GcpWorkloadIdentity`."""

    project: Required[pulumi.Input[str]]
    """GCP project id of the Google service account."""
    workload_pool: Required[pulumi.Input[str]]
    """The cluster's workload pool (`<project>.svc.id.goog`); taken from the cluster so the
    binding waits for the pool to exist."""
    namespace: Required[str]
    """Kubernetes namespace of the service account."""
    service_account: Required[str]
    """Kubernetes service account name."""


class GcpWorkloadIdentity(pulumi.ComponentResource):
    """A Google service account bound to exactly one Kubernetes service account."""

    email: pulumi.Output[str]
    """The Google service account's email."""
    member: pulumi.Output[str]
    """`serviceAccount:<email>`, for IAM bindings."""
    annotations: pulumi.Output[dict[str, str]]
    """Service account annotations: `iam.gke.io/gcp-service-account`."""

    def __init__(
        self, name: str, args: GcpWorkloadIdentityArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, GcpWorkloadIdentityArgs, args)
        super().__init__("mlplatform:index:GcpWorkloadIdentity", name, None, opts)
        self._name = name
        account = serviceaccount.Account(
            f"{name}-sa",
            project=args["project"],
            account_id=account_id(name),
            display_name=f"mlplatform workload {args['namespace']}/{args['service_account']}",
            opts=child(self),
        )
        serviceaccount.IAMMember(
            f"{name}-wi-user",
            service_account_id=account.name,
            role="roles/iam.workloadIdentityUser",
            member=pulumi.Output.concat(
                "serviceAccount:",
                args["workload_pool"],
                "[",
                args["namespace"],
                "/",
                args["service_account"],
                "]",
            ),
            opts=child(self),
        )
        self.email = account.email
        self.member = account.email.apply(lambda e: f"serviceAccount:{e}")
        self.annotations = account.email.apply(lambda e: {GKE_ANNOTATION: e})
        self.register_outputs(
            {"email": self.email, "member": self.member, "annotations": self.annotations}
        )
