"""Azure network for AKS: a VNet with a node subnet and a private-endpoint subnet, plus
private endpoints and private DNS for the storage account and registry (their public
network access is off, so this is how the cluster reaches them), and the VNet's flow log."""

from collections.abc import Mapping
from typing import Required, TypedDict

import pulumi
from pulumi_azure_native import network, privatedns

from mlplatform import defaults
from mlplatform.azure.flow_logs import vnet_flow_logs
from mlplatform.component_args import check_args
from mlplatform.contracts import child
from mlplatform.network_layout import azure_subnets


class AzureNetworkArgs(TypedDict, total=False):
    """Args of `AzureNetwork`."""

    resource_group_name: Required[pulumi.Input[str]]
    """Resource group of the VNet."""
    location: Required[str]
    """Azure region."""
    cidr: Required[str]
    """VNet address space, /16 to /20: nodes get half, private endpoints an eighth."""
    tags: Mapping[str, str]
    """Tags on every resource. Default: none."""
    flow_log_retention_days: int
    """Days the VNet's flow logs are kept in their storage account. Default: 90."""
    network_watcher_resource_group: str
    """Resource group of the region's Network Watcher, which holds the flow log. Default:
    NetworkWatcherRG."""
    network_watcher_name: str
    """Name of the region's Network Watcher, which must exist: one per region and
    subscription, made by Azure unless the subscription opted out, never by this component.
    Default: NetworkWatcher_<location>."""
    protect: bool
    """Protect the flow logs' storage account from deletion. Default: protected."""


class AzureNetwork(pulumi.ComponentResource):
    """VNet with node and private-endpoint subnets, its flow log in Network Watcher."""

    vnet_id: pulumi.Output[str]
    """VNet resource id."""
    node_subnet_id: pulumi.Output[str]
    """Subnet for AKS nodes."""
    endpoint_subnet_id: pulumi.Output[str]
    """Subnet for private endpoints."""

    def __init__(
        self, name: str, args: AzureNetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, AzureNetworkArgs, args)
        super().__init__("mlplatform:index:AzureNetwork", name, None, opts)
        rg = args["resource_group_name"]
        nodes, endpoints, self._database_cidr = azure_subnets(args["cidr"])
        vnet = network.VirtualNetwork(
            f"{name}-vnet",
            resource_group_name=rg,
            location=args["location"],
            address_space={"address_prefixes": [args["cidr"]]},
            tags=dict(args.get("tags", {})),
            opts=child(self, ignore_changes=["subnets"]),
        )
        location = args["location"]
        vnet_flow_logs(
            name,
            vnet,
            self,
            rg,
            location,
            args.get("flow_log_retention_days", defaults.FLOW_LOG_RETENTION_DAYS),
            (
                args.get("network_watcher_resource_group", defaults.NETWORK_WATCHER_RESOURCE_GROUP),
                args.get(
                    "network_watcher_name", defaults.NETWORK_WATCHER_NAME.format(location=location)
                ),
            ),
            args.get("protect", True),
            dict(args.get("tags", {})),
        )
        node_subnet = network.Subnet(
            f"{name}-nodes",
            resource_group_name=rg,
            virtual_network_name=vnet.name,
            address_prefix=nodes,
            default_outbound_access=False,
            opts=child(self),
        )
        endpoint_subnet = network.Subnet(
            f"{name}-endpoints",
            resource_group_name=rg,
            virtual_network_name=vnet.name,
            address_prefix=endpoints,
            default_outbound_access=False,
            private_endpoint_network_policies="Enabled",
            opts=child(self, depends_on=[node_subnet]),
        )  # one subnet write at a time per VNet
        self._rg, self._location, self._vnet = rg, args["location"], vnet
        self._last_subnet = endpoint_subnet
        self._tags = dict(args.get("tags", {}))
        self.vnet_id = vnet.id
        self.node_subnet_id = node_subnet.id
        self.endpoint_subnet_id = endpoint_subnet.id
        self.register_outputs(
            {
                "vnet_id": self.vnet_id,
                "node_subnet_id": self.node_subnet_id,
                "endpoint_subnet_id": self.endpoint_subnet_id,
            }
        )

    def database_subnet(self, name: str) -> pulumi.Output[str]:
        """The subnet delegated to PostgreSQL Flexible Server (VNet integration); its id."""
        subnet = network.Subnet(
            f"{name}-subnet",
            resource_group_name=self._rg,
            virtual_network_name=self._vnet.name,
            address_prefix=self._database_cidr,
            delegations=[
                {"name": "postgres", "service_name": "Microsoft.DBforPostgreSQL/flexibleServers"}
            ],
            opts=child(self, depends_on=[self._last_subnet]),
        )
        self._last_subnet = subnet
        return subnet.id

    def private_endpoint(
        self, name: str, resource_id: pulumi.Input[str], group: str, zone: str
    ) -> network.PrivateEndpoint:
        """A private endpoint to `resource_id` (sub-resource `group`) with its private DNS zone
        `zone` linked to the VNet, so the service's name resolves to the private address."""
        dns = privatedns.PrivateZone(
            f"{name}-dns",
            resource_group_name=self._rg,
            private_zone_name=zone,
            location="global",
            tags=self._tags,
            opts=child(self),
        )
        privatedns.VirtualNetworkLink(
            f"{name}-dns-link",
            resource_group_name=self._rg,
            private_zone_name=dns.name,
            location="global",
            virtual_network={"id": self._vnet.id},
            registration_enabled=False,
            tags=self._tags,
            opts=child(self),
        )
        endpoint = network.PrivateEndpoint(
            f"{name}-pe",
            resource_group_name=self._rg,
            location=self._location,
            subnet={"id": self.endpoint_subnet_id},
            private_link_service_connections=[
                {
                    "name": f"{name}-connection",
                    "private_link_service_id": resource_id,
                    "group_ids": [group],
                }
            ],
            tags=self._tags,
            opts=child(self),
        )
        network.PrivateDnsZoneGroup(
            f"{name}-dns-group",
            resource_group_name=self._rg,
            private_endpoint_name=endpoint.name,
            private_dns_zone_group_name="default",
            private_dns_zone_configs=[
                {"name": zone.replace(".", "-"), "private_dns_zone_id": dns.id}
            ],
            opts=child(self),
        )
        return endpoint
