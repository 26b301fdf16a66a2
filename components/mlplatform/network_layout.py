"""Layer 2.1: how the platform carves `network.cidr` on each cloud, and the AKS cluster's own
ranges. The network components (`AwsNetwork`, `AzureNetwork`, `GcpNetwork`) and `AksGpuCluster`
create these; preflight (`mlplatform.environment.preflight.networks`) judges the same ranges.
Pure `ipaddress` work: no Pulumi SDK.
"""

from __future__ import annotations

from ipaddress import IPv4Network

AKS_POD_CIDR = "192.168.0.0/16"
"""The AKS pod range (Azure CNI Overlay)."""
AKS_SERVICE_CIDR = "172.16.0.0/16"
"""The AKS service range."""
AKS_DNS_SERVICE_IP = "172.16.0.10"
"""The AKS cluster DNS service's address, inside the service range."""


def aws_subnets(cidr: str, zones: int) -> tuple[list[str], list[str]]:
    """(public, private) subnet CIDRs of an AWS VPC: the VPC split in four; quarter 0 holds
    small public subnets, quarters 1-3 one large private subnet per AZ (nodes and pods)."""
    quarters = list(IPv4Network(cidr).subnets(prefixlen_diff=2))
    public = list(quarters[0].subnets(prefixlen_diff=4))[:zones]
    return [str(n) for n in public], [str(n) for n in quarters[1 : zones + 1]]


def azure_subnets(cidr: str) -> tuple[str, str, str]:
    """(nodes, endpoints, database) CIDRs of an Azure VNet: the first half for nodes (pods use
    an overlay), an eighth after it for private endpoints, the next eighth for the delegated
    PostgreSQL subnet; the last quarter stays free."""
    halves = list(IPv4Network(cidr).subnets(prefixlen_diff=1))
    eighths = list(halves[1].subnets(prefixlen_diff=2))
    return str(halves[0]), str(eighths[0]), str(eighths[1])


def gcp_ranges(cidr: str) -> tuple[str, str, str]:
    """(nodes, services, pods) CIDRs of a GCP subnetwork: nodes and services a quarter each,
    pods (a secondary range) the second half."""
    halves = list(IPv4Network(cidr).subnets(prefixlen_diff=1))
    nodes, services = halves[0].subnets(prefixlen_diff=1)
    return str(nodes), str(services), str(halves[1])
