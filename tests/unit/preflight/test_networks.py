"""Preflight of networks: the CIDR each cloud accepts, the ranges it refuses or advises against,
overlaps with the cluster's own ranges, and the addresses the pools' maximum nodes need.

Each test names the dated source of the fact it tests (recorded beside the data in
`mlplatform.catalog.limits.networks`). Pure config tests: no Pulumi runtime.
"""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest

from mlplatform import catalog
from mlplatform import network_layout as layout
from mlplatform.catalog.limits import networks as limits
from mlplatform.environment import ConfigError, ConfigIssue, PlatformConfig, parse, preflight
from mlplatform.environment.preflight import networks as checks
from tests.unit.preflight.specs import AWS, AZURE, GCP, TODAY, found, spec

EXISTING_AWS = {"networkId": "vpc-0abc", "subnetIds": ["subnet-a", "subnet-b"]}


def spec_with(base: dict[str, Any], **fields: Any) -> PlatformConfig:
    return spec({**base, **fields})


def network(base: dict[str, Any], cidr: str, **fields: Any) -> PlatformConfig:
    return spec_with(base, network={"cidr": cidr}, **fields)


def pools(*pools: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"name": f"gpu{i}", **p} for i, p in enumerate(pools)]


# ---- network.cidr size ---------------------------------------------------------------------


def test_a_vpc_larger_than_a_16_is_refused() -> None:
    """Amazon VPC user guide, vpc-cidr-blocks (awsdocs/amazon-vpc-user-guide@a16ab76, 2023-04-06):
    "The allowed block size is between a /16 netmask ... and /28 netmask"."""
    assert list(checks.vpc_size(network(AWS, "10.0.0.0/12"), TODAY)) == [
        ConfigIssue(
            "network.cidr",
            "is larger than a VPC can be (a /16 to /28 per Amazon VPC); use a /16 to /20, "
            "e.g. 10.0.0.0/16",
            "10.0.0.0/12",
        )
    ]


def test_a_vpc_too_large_is_one_error() -> None:
    """Amazon VPC user guide (as above): a VPC larger than a /16 does not exist, so its
    capacity is not judged as well."""
    cfg = network(AWS, "10.0.0.0/12")
    assert [str(i) for i in preflight.errors(cfg, TODAY) if i.path.startswith("network")] == [
        "network.cidr: '10.0.0.0/12' is larger than a VPC can be (a /16 to /28 per Amazon VPC); "
        "use a /16 to /20, e.g. 10.0.0.0/16"
    ]


def test_a_16_vpc_and_a_larger_vnet_pass() -> None:
    """Amazon VPC user guide (as above): /16 is the largest VPC; the limit is AWS's only (an
    Azure VNet takes up to a /8 per the Azure Virtual Network FAQ, ms.date 02/12/2019)."""
    assert list(checks.vpc_size(network(AWS, "10.0.0.0/16"), TODAY)) == []
    assert list(checks.vpc_size(network(AZURE, "10.0.0.0/12"), TODAY)) == []


# ---- ranges each cloud refuses -------------------------------------------------------------


def test_link_local_is_refused_in_a_vpc() -> None:
    """Amazon VPC user guide, vpc-cidr-blocks: "CIDR blocks from the 'link local' block are
    reserved as described in RFC 5735 and cannot be assigned to VPCs"."""
    assert list(checks.refused_ranges(network(AWS, "169.254.0.0/16"), TODAY)) == [
        ConfigIssue(
            "network.cidr",
            "overlaps 169.254.0.0/16 (link-local), which a VPC cannot take (per the Amazon VPC "
            "user guide); use an RFC 1918 range such as 10.0.0.0/16",
            "169.254.0.0/16",
        )
    ]


def test_loopback_is_refused_in_a_vnet() -> None:
    """Azure Virtual Network FAQ (MicrosoftDocs/azure-docs@004ec53, ms.date 02/12/2019): "You
    cannot add the following address ranges: ... 127.0.0.0/8 (Loopback)"."""
    assert list(checks.refused_ranges(network(AZURE, "127.0.0.0/16"), TODAY)) == [
        ConfigIssue(
            "network.cidr",
            "overlaps 127.0.0.0/8 (loopback), which a VNet cannot take (per the Azure Virtual "
            "Network FAQ); use an RFC 1918 range such as 10.0.0.0/16",
            "127.0.0.0/16",
        )
    ]


def test_rfc1918_ranges_are_not_refused() -> None:
    """Amazon VPC user guide and Azure Virtual Network FAQ (as above): RFC 1918 ranges are the
    ones both recommend. GCP's prohibited list could not be confirmed from a dated copy, so GCP
    gets a warning instead (see `test_outside_rfc1918_is_a_warning`)."""
    for base in (AWS, AZURE, GCP):
        assert list(checks.refused_ranges(network(base, "10.0.0.0/16"), TODAY)) == []
    assert list(checks.refused_ranges(network(GCP, "169.254.0.0/16"), TODAY)) == []


def test_outside_rfc1918_is_a_warning() -> None:
    """No dated source here confirms that GCP takes 198.18.0.0/15 in a subnet (the VPC
    "Subnets" page's valid and prohibited range tables were not readable in a stored copy)."""
    assert list(checks.outside_rfc1918(network(GCP, "198.18.0.0/16"), TODAY)) == [
        ConfigIssue(
            "network.cidr",
            "is outside the RFC 1918 ranges (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16), and "
            "preflight has no dated source saying gcp accepts it; use an RFC 1918 range such as "
            "10.0.0.0/16",
            "198.18.0.0/16",
        )
    ]


def test_rfc1918_and_refused_ranges_get_no_warning() -> None:
    """RFC 1918 is accepted everywhere; a range the cloud refuses is already an error (Amazon
    VPC user guide, link-local)."""
    assert list(checks.outside_rfc1918(network(GCP, "172.20.0.0/16"), TODAY)) == []
    assert list(checks.outside_rfc1918(network(AWS, "169.254.0.0/16"), TODAY)) == []


def test_the_docker_bridge_range_is_a_warning_on_aws() -> None:
    """Amazon VPC user guide, vpc-cidr-blocks: "Some AWS services use the 172.17.0.0/16 CIDR
    range. To avoid future conflicts, don't use this range when creating your VPC"."""
    assert list(checks.avoided_ranges(network(AWS, "172.17.0.0/16"), TODAY)) == [
        ConfigIssue(
            "network.cidr",
            "overlaps 172.17.0.0/16, used by some AWS services, e.g. SageMaker, Cloud9 (the Amazon "
            "VPC user guide advises against it); use another range such as 10.0.0.0/16",
            "172.17.0.0/16",
        )
    ]


def test_the_docker_bridge_range_is_aws_advice_only() -> None:
    """Amazon VPC user guide (as above): the advice is AWS's; another AWS range passes."""
    assert list(checks.avoided_ranges(network(AWS, "172.18.0.0/16"), TODAY)) == []
    assert list(checks.avoided_ranges(network(AZURE, "172.17.0.0/16"), TODAY)) == []


# ---- the cluster's own ranges --------------------------------------------------------------


def test_a_vnet_overlapping_the_aks_pod_range_is_refused() -> None:
    """AKS, Azure CNI Overlay overview (MicrosoftDocs/azure-aks-docs@0faf182, ms.date
    05/14/2024): "Pod CIDR space must not overlap with the cluster subnet range"."""
    assert list(checks.cluster_ranges(network(AZURE, "192.168.0.0/20"), TODAY)) == [
        ConfigIssue(
            "network.cidr",
            "gives the AKS nodes the subnet 192.168.0.0/21, which overlaps the cluster's pod "
            "range 192.168.0.0/16 (Azure CNI Overlay: it must not overlap the cluster subnet); "
            "use a network.cidr outside 192.168.0.0/16 and 172.16.0.0/16, e.g. 10.0.0.0/16",
            "192.168.0.0/20",
        )
    ]


def test_a_vnet_overlapping_the_aks_service_range_is_refused() -> None:
    """AKS, Azure CNI Overlay overview (as above): the service range "shouldn't overlap with the
    pod CIDR range, cluster subnet range"."""
    assert list(checks.cluster_ranges(network(AZURE, "172.16.0.0/12"), TODAY)) == [
        ConfigIssue(
            "network.cidr",
            "gives the AKS nodes the subnet 172.16.0.0/13, which overlaps the cluster's service "
            "range 172.16.0.0/16 (Azure CNI Overlay: it must not overlap the cluster subnet); "
            "use a network.cidr outside 192.168.0.0/16 and 172.16.0.0/16, e.g. 10.0.0.0/16",
            "172.16.0.0/12",
        )
    ]


def test_a_vnet_apart_from_the_aks_ranges_passes() -> None:
    """AKS, Azure CNI Overlay overview (as above); with network.existing the VNet's ranges are
    not in the spec, so nothing is judged."""
    assert list(checks.cluster_ranges(network(AZURE, "10.0.0.0/16"), TODAY)) == []
    existing = {"networkId": "/subscriptions/x/vnet", "subnetIds": ["/subscriptions/x/nodes"]}
    cfg = spec_with(AZURE, network={"cidr": "192.168.0.0/20", "existing": existing})
    assert list(checks.cluster_ranges(cfg, TODAY)) == []


def test_the_aks_ranges_meet_the_overlay_rules() -> None:
    """AKS, Azure CNI Overlay overview (as above): the service range "must be smaller than /12";
    the DNS service IP is "within the Kubernetes service address range" and not "the first IP
    address"; pod and service ranges must not overlap."""
    pods = ipaddress.IPv4Network(layout.AKS_POD_CIDR)
    services = ipaddress.IPv4Network(layout.AKS_SERVICE_CIDR)
    dns = ipaddress.IPv4Address(layout.AKS_DNS_SERVICE_IP)
    assert services.prefixlen > limits.AKS_SERVICE_PREFIX_ABOVE
    assert dns in services and dns != services.network_address + 1
    assert not pods.overlaps(services)


# ---- IP capacity for the pools' maximum nodes -----------------------------------------------


def test_gke_pod_range_too_small_for_the_pools() -> None:
    """GKE, flexible Pod CIDR (cloud.google.com/kubernetes-engine/docs/how-to/flexible-pod-cidr):
    with the default 110 pods per node "Kubernetes assigns a /24 CIDR block ... to each of the
    nodes"; a /20 network gives a /21 pod range, 8 nodes."""
    cfg = network(GCP, "10.0.0.0/20", gpuPools=pools({"gpu": "L4", "maxNodes": 6}))
    assert list(checks.ip_capacity(cfg, TODAY)) == [
        ConfigIssue(
            "network.cidr",
            "gives GKE the pod range 10.0.8.0/21, which holds 8 nodes at a /24 each (110 pods per "
            "node, GKE's default); the pools reach 10 nodes at maxNodes (cluster.systemPool 4, "
            "gpuPools 6); use a network.cidr of /19 or larger (e.g. 10.0.0.0/19), or lower "
            "maxNodes",
            "10.0.0.0/20",
        )
    ]


def test_gke_pod_range_large_enough_passes() -> None:
    """GKE, flexible Pod CIDR (as above): a /19 network gives a /20 pod range, 16 nodes; the
    default /16 gives a /17, 128 nodes."""
    cfg = network(GCP, "10.0.0.0/19", gpuPools=pools({"gpu": "L4", "maxNodes": 12}))
    assert list(checks.ip_capacity(cfg, TODAY)) == []
    cfg = spec_with(GCP, gpuPools=pools({"gpu": "L4", "maxNodes": 124}))
    assert list(checks.ip_capacity(cfg, TODAY)) == []


def test_aks_pod_range_too_small_for_the_pools() -> None:
    """AKS, Azure CNI Overlay overview (as above): "Each node is assigned a /24 address space
    carved out from the same CIDR"; the platform's pod range 192.168.0.0/16 holds 256 nodes,
    whatever network.cidr is, and with network.existing too."""
    expected = ConfigIssue(
        "gpuPools",
        "reach 257 nodes at maxNodes (cluster.systemPool 4, gpuPools 253), but AKS's pod range "
        "192.168.0.0/16 holds 256 nodes at a /24 each (Azure CNI Overlay); lower maxNodes",
    )
    cfg = spec_with(
        AZURE, gpuPools=pools({"gpu": "T4", "maxNodes": 200}, {"gpu": "T4", "maxNodes": 53})
    )
    assert list(checks.ip_capacity(cfg, TODAY)) == [expected]
    existing = {"networkId": "/subscriptions/x/vnet", "subnetIds": ["/subscriptions/x/nodes"]}
    cfg = spec_with(
        AZURE,
        network={"existing": existing},
        gpuPools=pools({"gpu": "T4", "maxNodes": 253}),
    )
    assert list(checks.ip_capacity(cfg, TODAY)) == [expected]


def test_aks_pod_range_large_enough_passes() -> None:
    """AKS, Azure CNI Overlay overview (as above): 256 nodes fit, and the node subnet (half of a
    /20, 2043 usable addresses with Azure's 5 reserved per subnet) is never the limit."""
    cfg = network(AZURE, "10.0.0.0/20", gpuPools=pools({"gpu": "T4", "maxNodes": 252}))
    assert list(checks.ip_capacity(cfg, TODAY)) == []


def test_vpc_too_small_for_the_pods_of_the_pools() -> None:
    """Amazon VPC subnet-sizing (5 addresses reserved per subnet); EKS user guide, create a
    managed node group (2024-12-18): max pods capped at 110, 250 above 30 vCPUs; amazon-eks-ami
    eni-max-pods.txt (2026-02-27): m6i.large 29, g5.48xlarge 345. Each pod takes a subnet
    address with the VPC CNI."""
    cfg = network(
        AWS, "10.0.0.0/20", gpuPools=pools({"gpu": "A10", "gpusPerNode": 8, "maxNodes": 12})
    )
    assert list(checks.ip_capacity(cfg, TODAY)) == [
        ConfigIssue(
            "network.cidr",
            "leaves 3057 addresses for nodes and pods in its 3 private subnets (/22 each, 5 "
            "reserved in each per Amazon VPC), but the pools at maxNodes need 3132: a node takes "
            "1 address and 1 per pod it can run (VPC CNI; EKS runs up to 110 pods per node, 250 "
            "above 30 vCPUs): cluster.systemPool 4 x m6i.large (30), gpuPools[0] 12 x "
            "g5.48xlarge (251); use a network.cidr of /19 or larger (e.g. 10.0.0.0/19), or lower "
            "maxNodes",
            "10.0.0.0/20",
        )
    ]


def test_vpc_too_small_even_at_its_largest() -> None:
    """As above, with Amazon VPC's largest block, a /16: 3 x (16384 - 5) = 49137 addresses."""
    cfg = spec_with(AWS, gpuPools=pools({"gpu": "A100-40GB", "gpusPerNode": 8, "maxNodes": 200}))
    assert list(checks.ip_capacity(cfg, TODAY)) == [
        ConfigIssue(
            "network.cidr",
            "leaves 49137 addresses for nodes and pods in its 3 private subnets (/18 each, 5 "
            "reserved in each per Amazon VPC), but the pools at maxNodes need 50320: a node takes "
            "1 address and 1 per pod it can run (VPC CNI; EKS runs up to 110 pods per node, 250 "
            "above 30 vCPUs): cluster.systemPool 4 x m6i.large (30), gpuPools[0] 200 x "
            "p4d.24xlarge (251); no VPC is larger than a /16, so lower maxNodes",
            "10.0.0.0/16",
        )
    ]


def test_vpc_large_enough_for_the_pools_passes() -> None:
    """As above: a /19 leaves 3 x (2048 - 5) = 6129 addresses; with network.existing the
    subnets are not in the spec, so nothing is judged."""
    gpu = pools({"gpu": "A10", "gpusPerNode": 8, "maxNodes": 12})
    assert list(checks.ip_capacity(network(AWS, "10.0.0.0/19", gpuPools=gpu), TODAY)) == []
    big = pools({"gpu": "A100-40GB", "gpusPerNode": 8, "maxNodes": 1000})
    cfg = spec_with(AWS, network={"existing": EXISTING_AWS}, gpuPools=big)
    assert list(checks.ip_capacity(cfg, TODAY)) == []


def test_an_instance_type_without_max_pods_is_a_warning() -> None:
    """amazon-eks-ami eni-max-pods.txt (2026-02-27) is preflight's table of max pods; a type it
    does not list cannot be counted, which is said, never passed silently."""
    cfg = spec_with(AWS, cluster={"systemPool": {"instanceType": "c7g.large"}})
    assert list(checks.unknown_max_pods(cfg, TODAY)) == [
        ConfigIssue(
            "cluster.systemPool.instanceType",
            "has no max-pods figure in preflight's table (amazon-eks-ami eni-max-pods.txt), so "
            "the addresses its pods take in the VPC were not counted; look it up there and keep "
            "network.cidr large enough",
            "c7g.large",
        )
    ]


def test_a_listed_instance_type_gets_no_warning() -> None:
    """amazon-eks-ami eni-max-pods.txt (as above) lists m6i.large, the default."""
    assert list(checks.unknown_max_pods(spec(AWS), TODAY)) == []
    cfg = spec_with(AWS, cluster={"systemPool": {"instanceType": "m7i.xlarge"}})
    assert list(checks.unknown_max_pods(cfg, TODAY)) == []


def test_max_pods_covers_every_aws_gpu_shape() -> None:
    """eni-max-pods.txt rows for every AWS shape of the GPU catalog, with the vCPUs the catalog
    records (karpenter instance-types, checked 2026-11-27), and for the default system type."""
    for offering in catalog.OFFERINGS:
        if offering.cloud == "aws":
            assert limits.ENI_MAX_PODS[offering.instance_type].vcpus == offering.vcpus
    assert "m6i.large" in limits.ENI_MAX_PODS


def test_a_cidr_beside_an_existing_network_is_a_warning() -> None:
    """The platform creates no network with network.existing, so network.cidr means nothing."""
    cfg = spec_with(AWS, network={"cidr": "10.1.0.0/16", "existing": EXISTING_AWS})
    assert list(checks.cidr_without_network(cfg, TODAY)) == [
        ConfigIssue(
            "network.cidr",
            "has no effect with network.existing (the platform creates no network); remove it",
            "10.1.0.0/16",
        )
    ]
    assert (
        list(checks.cidr_without_network(spec_with(AWS, network={"existing": EXISTING_AWS}), TODAY))
        == []
    )


# ---- wiring ----------------------------------------------------------------------------------


def test_the_spec_refuses_a_pod_range_too_small() -> None:
    """GKE, flexible Pod CIDR (as above): the spec's own validation runs this module's errors,
    every one at once."""
    with pytest.raises(ConfigError) as caught:
        parse(
            {
                **GCP,
                "network": {"cidr": "10.0.0.0/20"},
                "gpuPools": pools({"gpu": "L4", "maxNodes": 6}),
            }
        )
    assert [str(i) for i in caught.value.issues if i.path == "network.cidr"] == [
        "network.cidr: '10.0.0.0/20' gives GKE the pod range 10.0.8.0/21, which holds 8 nodes at a "
        "/24 each (110 pods per node, GKE's default); the pools reach 10 nodes at maxNodes "
        "(cluster.systemPool 4, gpuPools 6); use a network.cidr of /19 or larger (e.g. "
        "10.0.0.0/19), or lower maxNodes"
    ]


def test_the_warnings_reach_preflight() -> None:
    """Amazon VPC user guide (as above): the 172.17.0.0/16 advice is a warning, not an error."""
    cfg = network(AWS, "172.17.0.0/16")
    assert ConfigIssue(
        "network.cidr",
        "overlaps 172.17.0.0/16, used by some AWS services, e.g. SageMaker, Cloud9 (the Amazon VPC "
        "user guide advises against it); use another range such as 10.0.0.0/16",
        "172.17.0.0/16",
    ) in preflight.warnings(cfg, TODAY)
    assert [i for i in preflight.errors(cfg, TODAY) if i.path.startswith("network")] == []


def test_the_defaults_raise_nothing() -> None:
    """The default network (10.0.0.0/16) and pools pass every network check on every cloud."""
    for base in (AWS, AZURE, GCP):
        assert found((*checks.ERRORS, *checks.WARNINGS), base) == []
