"""Layer 1, data: the network limits each cloud holds a platform's address ranges to, with the
public source and date of each: which ranges a VPC or VNet may use and how large, the addresses
a subnet reserves, how many pods a node takes addresses for, and how a managed Kubernetes
service carves its pod range per node. `mlplatform.environment.preflight.networks` judges a
spec against them.

Facts read on 2026-12-06 from the sources named beside them; a source's own date (the commit or
the page's ms.date) is given where it has one.
"""

from __future__ import annotations

from typing import NamedTuple

RFC1918 = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
"""The private IPv4 ranges of RFC 1918: every cloud takes a network in them."""

# ---- AWS: Amazon VPC -------------------------------------------------------------------------
# Amazon VPC User Guide, "VPC CIDR blocks" and "Subnet CIDR blocks": awsdocs/amazon-vpc-user-guide
# @a16ab76ed2f6b230672e98a0b2bfdab6d165ac4a, doc_source/vpc-cidr-blocks.md (last changed
# 2023-04-06) and doc_source/subnet-sizing.md; the EC2 API reference of CreateVpc says the same
# ("The smallest VPC you can create uses a /28 netmask (16 IP addresses), and the largest uses a
# /16 netmask (65,536 IP addresses)"). https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html

AWS_VPC_PREFIXES = (16, 28)
"""Largest and smallest VPC: "The allowed block size is between a /16 netmask (65,536 IP
addresses) and /28 netmask (16 IP addresses)"."""
AWS_REFUSED_RANGES = (("169.254.0.0/16", "link-local"),)
"""Ranges a VPC cannot take: "CIDR blocks from the 'link local' block are reserved as described
in RFC 5735 and cannot be assigned to VPCs"."""
AWS_AVOIDED_RANGES = (("172.17.0.0/16", "used by some AWS services, e.g. SageMaker, Cloud9"),)
"""Ranges AWS advises against: "Some AWS services use the 172.17.0.0/16 CIDR range. To avoid
future conflicts, don't use this range when creating your VPC"."""
AWS_SUBNET_RESERVED = 5
"""Addresses a subnet keeps from use: "The first four IP addresses and the last IP address in
each subnet CIDR block are not available for your use" (subnet-sizing.md)."""

# ---- AWS: EKS and the VPC CNI ----------------------------------------------------------------
# Every pod takes an address of its node's subnet (VPC CNI, secondary IP mode, the EKS default).
# Managed node groups without a custom AMI cap max pods: Amazon EKS User Guide, "Create a managed
# node group" (awsdocs/amazon-eks-user-guide@4d52b4d05e3478582e7d10a73cbd9ba9194dd5f7,
# latest/ug/nodes/create-managed-node-group.adoc, 2024-12-18): "managed node groups enforce a
# maximum number on the value of maxPods. For instances with less than 30 vCPUs, the maximum
# number is 110. For instances with greater than 30 vCPUs, the maximum number jumps to 250."

EKS_MAX_PODS_CAP = 110
"""The most pods an EKS managed node group runs on a node of up to 30 vCPUs."""
EKS_MAX_PODS_CAP_LARGE = 250
"""The most pods an EKS managed node group runs on a node of more than 30 vCPUs."""
EKS_LARGE_NODE_VCPUS = 30
"""vCPUs above which the larger cap applies."""


class EniMaxPods(NamedTuple):
    """An instance type's max pods with the VPC CNI, and its vCPUs (which pick the EKS cap)."""

    pods: int
    """ENIs x (IPv4 addresses per ENI - 1) + 2, as eni-max-pods.txt lists it."""
    vcpus: int


ENI_MAX_PODS_SOURCE = (
    "awslabs/amazon-eks-ami@2377b69aaeb8d751af1a265c2bfbeb94e6f6da90 "
    "templates/shared/runtime/eni-max-pods.txt (2026-02-27)"
)
ENI_MAX_PODS: dict[str, EniMaxPods] = {
    # The platform's system pool default and its neighbours (vCPUs: EC2 instance types,
    # large 2, xlarge 4, 2xlarge 8, 4xlarge 16).
    "m5.large": EniMaxPods(29, 2),
    "m5.xlarge": EniMaxPods(58, 4),
    "m5.2xlarge": EniMaxPods(58, 8),
    "m5.4xlarge": EniMaxPods(234, 16),
    "m6i.large": EniMaxPods(29, 2),
    "m6i.xlarge": EniMaxPods(58, 4),
    "m6i.2xlarge": EniMaxPods(58, 8),
    "m6i.4xlarge": EniMaxPods(234, 16),
    "m7i.large": EniMaxPods(29, 2),
    "m7i.xlarge": EniMaxPods(58, 4),
    "m7i.2xlarge": EniMaxPods(58, 8),
    "m7i.4xlarge": EniMaxPods(234, 16),
    # Every AWS GPU shape of the catalog (vCPUs as mlplatform.catalog.data records them).
    "g4dn.xlarge": EniMaxPods(29, 4),
    "g4dn.12xlarge": EniMaxPods(234, 48),
    "g4dn.metal": EniMaxPods(737, 96),
    "g5.xlarge": EniMaxPods(58, 4),
    "g5.12xlarge": EniMaxPods(737, 48),
    "g5.48xlarge": EniMaxPods(345, 192),
    "g6.xlarge": EniMaxPods(58, 4),
    "g6.12xlarge": EniMaxPods(234, 48),
    "g6.48xlarge": EniMaxPods(737, 192),
    "p4d.24xlarge": EniMaxPods(737, 96),
    "p4de.24xlarge": EniMaxPods(737, 96),
    "p5.4xlarge": EniMaxPods(118, 16),
    "p5.48xlarge": EniMaxPods(100, 192),
    "p5e.48xlarge": EniMaxPods(100, 192),
    "p5en.48xlarge": EniMaxPods(198, 192),
}
"""Max pods per instance type with the VPC CNI (secondary IP mode), from eni-max-pods.txt."""

# ---- Azure: Virtual Network ------------------------------------------------------------------
# Azure Virtual Network FAQ (MicrosoftDocs/azure-docs@004ec532ffd5dbb44ccfc5fa4777731fe874e52c,
# articles/virtual-network/virtual-networks-faq.md, ms.date 02/12/2019),
# https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq

AZURE_REFUSED_RANGES = (
    ("224.0.0.0/4", "multicast"),
    ("255.255.255.255/32", "broadcast"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"),
    ("168.63.129.16/32", "Azure's internal DNS"),
)
"""Ranges a VNet cannot take: "You cannot add the following address ranges"."""
AZURE_SUBNET_RESERVED = 5
"""Addresses a subnet keeps from use: "Azure reserves 5 IP addresses within each subnet"."""

# ---- Azure: AKS with Azure CNI Overlay -------------------------------------------------------
# "Azure CNI Overlay networking in AKS overview" (MicrosoftDocs/azure-aks-docs
# @0faf1824e2424f2152b4c1ab648f2429f9ddbc8d, articles/aks/concepts-network-azure-cni-overlay.md,
# ms.date 05/14/2024): "Each node is assigned a /24 address space carved out from the same
# CIDR"; "Pod CIDR space must not overlap with the cluster subnet range"; the service range "must
# be smaller than /12. This range shouldn't overlap with the pod CIDR range, cluster subnet range";
# the DNS service IP "is within the Kubernetes service address range ... Don't use the first IP
# address in your address range".

AKS_OVERLAY_NODE_PREFIX = 24
"""The fixed block of the pod range each AKS node takes with Azure CNI Overlay."""
AKS_SERVICE_PREFIX_ABOVE = 12
"""An AKS service range must be smaller than a /12 (a longer prefix)."""

# ---- GCP: GKE (VPC-native) -------------------------------------------------------------------
# "Optimizing IP address allocation" / "Configure maximum Pods per node",
# https://cloud.google.com/kubernetes-engine/docs/how-to/flexible-pod-cidr (stored copy read
# 2026-12-06): "By default, GKE configures nodes to run no more than 110 Pods"; "With the default
# maximum of 110 Pods per node, Kubernetes assigns a /24 CIDR block (256 addresses) to each of the
# nodes"; table of max pods per node to the block each node takes from the pod range.

GKE_NODE_PREFIX_BY_MAX_PODS = ((8, 28), (16, 27), (32, 26), (64, 25), (110, 24))
"""(max pods per node up to, the pod-range block each node takes) on GKE Standard."""
GKE_DEFAULT_MAX_PODS = 110
"""Max pods per node of a GKE Standard node pool that does not set it (the platform's)."""
