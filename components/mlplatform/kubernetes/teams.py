"""Team namespaces: a GPU ResourceQuota and a service account bound to a cloud identity.

Each team gets namespace `<team>`, a ResourceQuota on `requests.nvidia.com/gpu`
and the service account `ml-workload`, annotated for the cloud's workload
identity so jobs reach the artifact store and registry without static keys.
"""

from collections.abc import Mapping
from typing import Required, TypedDict

import pulumi
import pulumi_kubernetes as k8s

from mlplatform import defaults
from mlplatform.component_args import check_args
from mlplatform.contracts import child
from mlplatform.kubernetes.labels import annotated, labels

GPU_QUOTA_KEY = "requests.nvidia.com/gpu"


class TeamNamespaceArgs(TypedDict, total=False):
    """Args of `TeamNamespace`."""

    namespace: Required[str]
    """Namespace name (a DNS label)."""
    max_gpus: Required[int]
    """Quota on GPUs requested by the namespace's pods."""
    service_account_annotations: pulumi.Input[Mapping[str, str]]
    """Workload identity annotations for `ml-workload`. Default: none."""
    service_account_labels: Mapping[str, str]
    """Extra labels for `ml-workload` (Azure's azure.workload.identity/use). Default: none."""
    tags: Mapping[str, str]
    """Labels on every object. Default: none."""


class TeamNamespace(pulumi.ComponentResource):
    """A team's namespace with its GPU quota and workload service account."""

    namespace: pulumi.Output[str]
    """Namespace name."""
    service_account: pulumi.Output[str]
    """Name of the workload service account."""

    def __init__(
        self, name: str, args: TeamNamespaceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, TeamNamespaceArgs, args)
        super().__init__("mlplatform:index:TeamNamespace", name, None, opts)
        team = args["namespace"]
        meta_labels = labels(team, "team", args.get("tags", {}))
        namespace = k8s.core.v1.Namespace(
            f"{name}-namespace",
            metadata={
                "name": team,
                "labels": {
                    **meta_labels,
                    "pod-security.kubernetes.io/enforce": "baseline",
                    "pod-security.kubernetes.io/warn": "restricted",
                },
            },
            opts=child(self),
        )
        ns_name = namespace.metadata.apply(lambda m: m.name or team)
        k8s.core.v1.ResourceQuota(
            f"{name}-gpu-quota",
            metadata={"name": defaults.GPU_QUOTA, "namespace": ns_name, "labels": meta_labels},
            spec={"hard": {GPU_QUOTA_KEY: str(args["max_gpus"])}},
            opts=child(self),
        )
        account = k8s.core.v1.ServiceAccount(
            f"{name}-workload-sa",
            metadata=annotated(
                {
                    "name": defaults.WORKLOAD_SERVICE_ACCOUNT,
                    "namespace": ns_name,
                    "labels": {**meta_labels, **args.get("service_account_labels", {})},
                },
                args.get("service_account_annotations"),
            ),
            # Training and serving pods rarely call the Kubernetes API, and cloud credentials
            # come from the workload identity webhook's own projected token: a pod that does
            # call the API opts in with automountServiceAccountToken: true on its spec.
            automount_service_account_token=False,
            opts=child(self),
        )
        self.namespace = ns_name
        self.service_account = account.metadata.apply(lambda m: m.name or "")
        self.register_outputs(
            {"namespace": self.namespace, "service_account": self.service_account}
        )
