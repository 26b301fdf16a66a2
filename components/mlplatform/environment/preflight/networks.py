"""Layer 2.1, the environment spec: preflight of networks, judged against the dated facts in
`mlplatform.catalog.limits.networks`.

Errors: an AWS VPC larger than a /16; a network overlapping a range its cloud refuses (AWS
link-local; Azure loopback, link-local, multicast, broadcast, its internal DNS); an AKS node
subnet overlapping the cluster's pod or service range; and IP capacity: the pools at maxNodes
(the system pool's and every GPU pool's) against what the layout holds, on AWS the private
subnets' addresses for every node and every pod it can run (VPC CNI), on AKS the pod range's
/24 per node (Azure CNI Overlay), on GKE the pod range's /24 per node (110 pods per node).

Warnings: a network outside RFC 1918 the cloud is not known to accept, the 172.17.0.0/16 range
AWS advises against, an AWS instance type with no max-pods figure (its pods are not counted),
and a `network.cidr` beside `network.existing`, which it does not shape.

With `network.existing` only what the spec knows is judged: the AKS pod range the platform
sets, not the existing network's ranges or subnets. The ranges judged are the ones the
components create, from the same functions (`mlplatform.network_layout`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from ipaddress import IPv4Network

from mlplatform import catalog, defaults
from mlplatform import network_layout as layout
from mlplatform.catalog.limits import networks as limits
from mlplatform.environment.errors import ConfigIssue
from mlplatform.environment.model import PlatformConfig, Target
from mlplatform.environment.preflight.context import Check, Preflight

AT = "network.cidr"
EXAMPLE = "10.0.0.0/16"
REFUSED = {
    Target.AWS: (limits.AWS_REFUSED_RANGES, "a VPC", "the Amazon VPC user guide"),
    Target.AZURE: (limits.AZURE_REFUSED_RANGES, "a VNet", "the Azure Virtual Network FAQ"),
}
"""Per cloud: the ranges it refuses, what takes the network, and the source's short name."""
CLOUDS = (Target.AWS, Target.AZURE, Target.GCP)


def _created(cfg: PlatformConfig) -> IPv4Network | None:
    """The network the platform creates on a cloud, or None (kubernetes, network.existing)."""
    if cfg.target not in CLOUDS or cfg.network.existing is not None:
        return None
    return IPv4Network(cfg.network.cidr)


def _created_on(cfg: PlatformConfig, target: Target) -> IPv4Network | None:
    """The network the platform creates when the spec is on `target`, or None."""
    return _created(cfg) if cfg.target is target else None


def _overlapping(net: IPv4Network, ranges: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """The (cidr, what it is) of each of `ranges` that `net` overlaps."""
    return ((cidr, what) for cidr, what in ranges if net.overlaps(IPv4Network(cidr)))


def _refused(cfg: PlatformConfig, net: IPv4Network) -> Iterator[tuple[str, str]]:
    return _overlapping(net, REFUSED[cfg.target][0] if cfg.target in REFUSED else ())


# ---- errors ----------------------------------------------------------------------------------


def vpc_size(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """An AWS VPC is a /16 to /28 (Amazon VPC user guide)."""
    net = _created_on(cfg, Target.AWS)
    largest, smallest = limits.AWS_VPC_PREFIXES
    if net is not None and net.prefixlen < largest:
        yield ConfigIssue(
            AT,
            f"is larger than a VPC can be (a /{largest} to /{smallest} per Amazon VPC); use a "
            f"/{largest} to /20, e.g. {EXAMPLE}",
            cfg.network.cidr,
        )


def refused_ranges(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """The network overlaps a range its cloud refuses (Amazon VPC, Azure VNet)."""
    net = _created(cfg)
    if net is None:
        return
    for cidr, what in _refused(cfg, net):
        _, holder, source = REFUSED[cfg.target]
        yield ConfigIssue(
            AT,
            f"overlaps {cidr} ({what}), which {holder} cannot take (per {source}); use an RFC "
            f"1918 range such as {EXAMPLE}",
            cfg.network.cidr,
        )


def cluster_ranges(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """The AKS node subnet overlaps the cluster's pod or service range (Azure CNI Overlay)."""
    if _created_on(cfg, Target.AZURE) is None:
        return
    nodes = IPv4Network(layout.azure_subnets(cfg.network.cidr)[0])
    cluster = ((layout.AKS_POD_CIDR, "pod"), (layout.AKS_SERVICE_CIDR, "service"))
    for cidr, name in _overlapping(nodes, cluster):
        yield ConfigIssue(
            AT,
            f"gives the AKS nodes the subnet {nodes}, which overlaps the cluster's {name} "
            f"range {cidr} (Azure CNI Overlay: it must not overlap the cluster subnet); use a "
            f"network.cidr outside {layout.AKS_POD_CIDR} and {layout.AKS_SERVICE_CIDR}, e.g. "
            f"{EXAMPLE}",
            cfg.network.cidr,
        )


def ip_capacity(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """The pools at maxNodes need more than the network's layout holds."""
    if cfg.target is Target.AZURE:
        yield from _aks_capacity(cfg)
    net = _created(cfg)
    if net is not None and cfg.target is Target.AWS:
        yield from _vpc_capacity(cfg, net)
    if net is not None and cfg.target is Target.GCP:
        yield from _gke_capacity(cfg, net)


def _pool_nodes(cfg: PlatformConfig) -> tuple[int, int]:
    """(system pool maxNodes, the GPU pools' maxNodes summed)."""
    return cfg.cluster.system_pool.max_nodes, sum(p.max_nodes for p in cfg.gpu_pools)


def _reach(cfg: PlatformConfig) -> str:
    system, gpu = _pool_nodes(cfg)
    return f"reach {system + gpu} nodes at maxNodes (cluster.systemPool {system}, gpuPools {gpu})"


def _larger(prefix: int, largest: int, enough: int, holds: dict[int, int]) -> int | None:
    """The longest prefix from `prefix` - 1 up to `largest` whose layout holds `enough`."""
    return next((p for p in range(prefix - 1, largest - 1, -1) if holds[p] >= enough), None)


def _aks_capacity(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    per_node = limits.AKS_OVERLAY_NODE_PREFIX
    pods = IPv4Network(layout.AKS_POD_CIDR)
    holds = 2 ** (per_node - pods.prefixlen)
    if sum(_pool_nodes(cfg)) > holds:
        yield ConfigIssue(
            "gpuPools",
            f"{_reach(cfg)}, but AKS's pod range {pods} holds {holds} nodes at a /{per_node} each "
            "(Azure CNI Overlay); lower maxNodes",
        )


def _gke_pods(net: IPv4Network) -> IPv4Network:
    """The GKE pod range the platform carves from `net` (`GcpNetwork`)."""
    return IPv4Network(layout.gcp_ranges(str(net))[2])


def _gke_capacity(cfg: PlatformConfig, net: IPv4Network) -> Iterator[ConfigIssue]:
    per_node = dict(limits.GKE_NODE_PREFIX_BY_MAX_PODS)[limits.GKE_DEFAULT_MAX_PODS]
    nodes = sum(_pool_nodes(cfg))
    holds = {
        p: 2 ** (per_node - _gke_pods(net.supernet(new_prefix=p)).prefixlen)
        for p in range(8, net.prefixlen + 1)
    }
    if nodes <= holds[net.prefixlen]:
        return
    pods = _gke_pods(net)
    fix = _fix(_larger(net.prefixlen, 8, nodes, holds), "no network is larger than a /8")
    yield ConfigIssue(
        AT,
        f"gives GKE the pod range {pods}, which holds {holds[net.prefixlen]} nodes at a "
        f"/{per_node} each ({limits.GKE_DEFAULT_MAX_PODS} pods per node, GKE's default); the "
        f"pools {_reach(cfg)}; {fix}",
        cfg.network.cidr,
    )


def _fix(prefix: int | None, otherwise: str) -> str:
    """Use the network.cidr of `prefix`, or (None) `otherwise` (what no larger one can do)."""
    if prefix is None:
        return f"{otherwise}, so lower maxNodes"
    return f"use a network.cidr of /{prefix} or larger (e.g. 10.0.0.0/{prefix}), or lower maxNodes"


def _max_pods(instance_type: str) -> int | None:
    """Pods an EKS managed node group runs on a node of `instance_type` (None: not listed)."""
    row = limits.ENI_MAX_PODS.get(instance_type)
    if row is None:
        return None
    large = row.vcpus > limits.EKS_LARGE_NODE_VCPUS
    return min(row.pods, limits.EKS_MAX_PODS_CAP_LARGE if large else limits.EKS_MAX_PODS_CAP)


def _aws_pools(cfg: PlatformConfig) -> Iterator[tuple[str, int, str]]:
    """(path, maxNodes, instance type) of each pool, the system pool first; a GPU pool the
    catalog cannot resolve is left out (the spec's rules name it)."""
    system = cfg.cluster.system_pool
    yield (
        "cluster.systemPool",
        system.max_nodes,
        system.instance_type or defaults.SYSTEM_INSTANCE_TYPES["aws"],
    )
    for i, pool in enumerate(cfg.gpu_pools):
        try:
            shape = catalog.resolve("aws", pool.gpu.value, pool.gpus_per_node, pool.node_image)
        except catalog.CatalogError:
            continue
        yield f"gpuPools[{i}]", pool.max_nodes, shape.instance_type


def _aws_private_subnets(net: IPv4Network, zones: int) -> list[IPv4Network]:
    """The AWS node subnets the platform carves from `net` (`AwsNetwork`)."""
    return [IPv4Network(cidr) for cidr in layout.aws_subnets(str(net), zones)[1]]


def _vpc_addresses(net: IPv4Network, zones: int) -> int:
    """The addresses the private subnets carved from `net` leave for nodes and pods."""
    reserved = limits.AWS_SUBNET_RESERVED
    return sum(s.num_addresses - reserved for s in _aws_private_subnets(net, zones))


def _vpc_capacity(cfg: PlatformConfig, net: IPv4Network) -> Iterator[ConfigIssue]:
    zones, reserved = cfg.network.zone_count, limits.AWS_SUBNET_RESERVED
    counted = [
        (path, nodes, kind, pods + 1)
        for path, nodes, kind in _aws_pools(cfg)
        if (pods := _max_pods(kind)) is not None
    ]
    need = sum(nodes * per_node for _, nodes, _, per_node in counted)
    largest = limits.AWS_VPC_PREFIXES[0]
    if net.prefixlen < largest:
        return  # no such VPC (`vpc_size`)
    holds = {
        p: _vpc_addresses(net.supernet(new_prefix=p), zones)
        for p in range(largest, net.prefixlen + 1)
    }
    if need <= holds[net.prefixlen]:
        return
    pools = ", ".join(f"{path} {nodes} x {kind} ({per})" for path, nodes, kind, per in counted)
    fix = _fix(_larger(net.prefixlen, largest, need, holds), f"no VPC is larger than a /{largest}")
    subnet = _aws_private_subnets(net, zones)[0].prefixlen
    yield ConfigIssue(
        AT,
        f"leaves {holds[net.prefixlen]} addresses for nodes and pods in its {zones} private "
        f"subnets (/{subnet} each, {reserved} reserved in each per Amazon VPC), but "
        f"the pools at maxNodes need {need}: a node takes 1 address and 1 per pod it can run "
        f"(VPC CNI; EKS runs up to {limits.EKS_MAX_PODS_CAP} pods per node, "
        f"{limits.EKS_MAX_PODS_CAP_LARGE} above {limits.EKS_LARGE_NODE_VCPUS} vCPUs): {pools}; "
        f"{fix}",
        cfg.network.cidr,
    )


# ---- warnings --------------------------------------------------------------------------------


def outside_rfc1918(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """The network is outside RFC 1918 and not among the ranges its cloud is known to refuse:
    whether the cloud takes it is not known here."""
    net = _created(cfg)
    if net is None or any(net.subnet_of(IPv4Network(r)) for r in limits.RFC1918):
        return
    if next(_refused(cfg, net), None) is None:
        yield ConfigIssue(
            AT,
            f"is outside the RFC 1918 ranges ({', '.join(limits.RFC1918)}), and preflight has no "
            f"dated source saying {cfg.target} accepts it; use an RFC 1918 range such as "
            f"{EXAMPLE}",
            cfg.network.cidr,
        )


def avoided_ranges(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """The VPC overlaps a range AWS advises against (172.17.0.0/16)."""
    net = _created_on(cfg, Target.AWS)
    if net is None:
        return
    for cidr, why in _overlapping(net, limits.AWS_AVOIDED_RANGES):
        yield ConfigIssue(
            AT,
            f"overlaps {cidr}, {why} (the Amazon VPC user guide advises against it); use "
            f"another range such as {EXAMPLE}",
            cfg.network.cidr,
        )


def unknown_max_pods(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """The AWS system pool's instance type has no max-pods figure, so the VPC's capacity check
    leaves its pods out."""
    if _created_on(cfg, Target.AWS) is None:
        return
    kind = cfg.cluster.system_pool.instance_type
    if kind is not None and _max_pods(kind) is None:
        yield ConfigIssue(
            "cluster.systemPool.instanceType",
            "has no max-pods figure in preflight's table (amazon-eks-ami eni-max-pods.txt), so "
            "the addresses its pods take in the VPC were not counted; look it up there and keep "
            "network.cidr large enough",
            kind,
        )


def cidr_without_network(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """`network.cidr` is given beside `network.existing`, which it does not shape."""
    if cfg.network.existing is not None and "cidr" in cfg.network.model_fields_set:
        yield ConfigIssue(
            AT,
            "has no effect with network.existing (the platform creates no network); remove it",
            cfg.network.cidr,
        )


ERRORS: tuple[Check, ...] = (vpc_size, refused_ranges, cluster_ranges, ip_capacity)
WARNINGS: tuple[Check, ...] = (
    outside_rfc1918,
    avoided_ranges,
    unknown_max_pods,
    cidr_without_network,
)
