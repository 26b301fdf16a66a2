"""GCP network for a GKE cluster: custom-mode VPC, one subnetwork with pod and service
secondary ranges, Private Google Access, and Cloud NAT for egress from private nodes."""

from typing import Required, TypedDict

import pulumi
from pulumi_gcp import compute, servicenetworking

from mlplatform.component_args import check_args
from mlplatform.contracts import child
from mlplatform.network_layout import gcp_ranges

PSA_PREFIX_LENGTH = 20
"""Size of the range reserved for Google-managed services (Cloud SQL) peered into the VPC."""
PODS_RANGE = "pods"
SERVICES_RANGE = "services"


class GcpNetworkArgs(TypedDict, total=False):
    """Args of `GcpNetwork`."""

    project: Required[pulumi.Input[str]]
    """GCP project id."""
    region: Required[str]
    """Region of the subnetwork, router and NAT."""
    cidr: Required[str]
    """Address space, /16 to /20: nodes get a quarter, services a quarter, pods a half."""


class GcpNetwork(pulumi.ComponentResource):
    """VPC, subnetwork with secondary ranges, Cloud Router and Cloud NAT."""

    network_id: pulumi.Output[str]
    """Network id (projects/.../global/networks/...)."""
    subnetwork_id: pulumi.Output[str]
    """Subnetwork id."""

    def __init__(
        self, name: str, args: GcpNetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, GcpNetworkArgs, args)
        super().__init__("mlplatform:index:GcpNetwork", name, None, opts)
        project, region = args["project"], args["region"]
        nodes, services, pods = gcp_ranges(args["cidr"])
        network = compute.Network(
            f"{name}-vpc",
            project=project,
            auto_create_subnetworks=False,
            routing_mode="REGIONAL",
            opts=child(self),
        )
        subnetwork = compute.Subnetwork(
            f"{name}-nodes",
            project=project,
            region=region,
            network=network.id,
            ip_cidr_range=nodes,
            private_ip_google_access=True,
            secondary_ip_ranges=[
                {"range_name": PODS_RANGE, "ip_cidr_range": pods},
                {"range_name": SERVICES_RANGE, "ip_cidr_range": services},
            ],
            log_config={
                "aggregation_interval": "INTERVAL_10_MIN",
                "flow_sampling": 0.5,
                "metadata": "INCLUDE_ALL_METADATA",
            },
            opts=child(self),
        )
        router = compute.Router(
            f"{name}-router", project=project, region=region, network=network.id, opts=child(self)
        )
        compute.RouterNat(
            f"{name}-nat",
            project=project,
            region=region,
            router=router.name,
            nat_ip_allocate_option="AUTO_ONLY",
            source_subnetwork_ip_ranges_to_nat="ALL_SUBNETWORKS_ALL_IP_RANGES",
            log_config={"enable": True, "filter": "ERRORS_ONLY"},
            opts=child(self),
        )
        self._project, self._network = project, network
        self.network_id = network.id
        self.subnetwork_id = subnetwork.id
        self.register_outputs({"network_id": self.network_id, "subnetwork_id": self.subnetwork_id})

    def private_services_access(self, name: str) -> servicenetworking.Connection:
        """Private services access: a reserved internal range peered to Google's service
        producer network, so Cloud SQL gets a private IP in this VPC and no public one."""
        reserved = compute.GlobalAddress(
            f"{name}-range",
            project=self._project,
            network=self._network.id,
            purpose="VPC_PEERING",
            address_type="INTERNAL",
            prefix_length=PSA_PREFIX_LENGTH,
            opts=child(self),
        )
        return servicenetworking.Connection(
            f"{name}-peering",
            network=self._network.id,
            service="servicenetworking.googleapis.com",
            reserved_peering_ranges=[reserved.name],
            # Deleting the connection fails while Cloud SQL's producer side still holds it;
            # REMOVE_PEERING then removes the peering so the VPC itself can be deleted.
            deletion_policy="REMOVE_PEERING",
            update_on_creation_fail=True,
            opts=child(self),
        )
