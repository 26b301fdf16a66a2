"""Google Cloud pricing rules: what each priced GCP resource type costs a month, from
`catalog/prices/gcp.toml`."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from mlplatform.catalog.data import GCP_GPU_MACHINE
from mlplatform.catalog.pricing import HOURS_PER_MONTH, gpu_sku, gpus_billed_apart
from mlplatform.cost.context import Context, Rule, dig, is_zone, line, number, required
from mlplatform.cost.model import ZERO, CostResource, Line, Monthly

_CUSTOM_TIER = re.compile(r"^db-custom-(\d+)-(\d+)$")
NAT_VM_CAP = 32
"""Cloud NAT bills per VM using a gateway, up to 32 VMs; more cost the same (docs: NAT pricing)."""
NODE_POOL = "gcp:container/nodePool:NodePool"


def cluster(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r, "location")
    yield ctx.fixed(r, "GKE cluster management fee", region, "gke:cluster")
    if dig(r.inputs, "removeDefaultNodePool") is not True:
        per_zone = number(dig(r.inputs, "initialNodeCount"), 0.0) or 0.0
        count = per_zone * zones(r.inputs)
        if count:
            yield from _machines(r, ctx, region, dig(r.inputs, "nodeConfig") or {}, (count, count))


def node_pool(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r, "location")
    yield from _machines(r, ctx, region, dig(r.inputs, "nodeConfig") or {}, node_counts(r))


def zones(inputs: Mapping[str, Any]) -> float:
    """Zones a pool's per-zone counts apply to: its nodeLocations, else one for a zonal
    location, else the region's three."""
    locations = dig(inputs, "nodeLocations") or []
    if locations:
        return float(len(locations))
    location = dig(inputs, "location")
    return 1.0 if isinstance(location, str) and is_zone(location) else REGION_ZONES


REGION_ZONES = 3.0
"""Zones a regional cluster spreads a pool over when nodeLocations does not say."""


def node_counts(r: CostResource) -> tuple[float, float]:
    """Nodes of a GKE pool, low and high: total bounds, else per-zone bounds times its zones,
    else its fixed per-zone size times its zones."""
    inputs = r.inputs
    total_low = number(dig(inputs, "autoscaling", "totalMinNodeCount"))
    total_high = number(dig(inputs, "autoscaling", "totalMaxNodeCount"))
    if total_low is not None or total_high is not None:
        low = total_low or 0.0
        return low, total_high if total_high is not None else low
    per_zone = zones(inputs)
    per_zone_low = number(dig(inputs, "autoscaling", "minNodeCount"))
    per_zone_high = number(dig(inputs, "autoscaling", "maxNodeCount"))
    if per_zone_low is not None or per_zone_high is not None:
        low = (per_zone_low or 0.0) * per_zone
        return low, (per_zone_high or 0.0) * per_zone or low
    fixed = number(dig(inputs, "nodeCount"), number(dig(inputs, "initialNodeCount"), 1.0)) or 0.0
    return fixed * per_zone, fixed * per_zone


GKE_DEFAULT_MACHINE = "e2-medium"
GKE_DEFAULT_DISK = (100.0, "pd-balanced")
"""What a GKE node without machineType / diskSizeGb / diskType gets (GKE API defaults)."""


def is_gpu_pool(config: Mapping[str, Any]) -> bool:
    """Whether a node config (a pool's, or a cluster's default pool's) runs GPU nodes: it
    attaches guestAccelerators, or its machine type is accelerator-optimized and carries its
    GPUs without them (a2-highgpu-1g)."""
    shape = dig(config, "machineType") or GKE_DEFAULT_MACHINE
    return bool(dig(config, "guestAccelerators")) or GCP_GPU_MACHINE.match(str(shape)) is not None


def _machines(
    r: CostResource,
    ctx: Context,
    region: str | None,
    config: Mapping[str, Any],
    counts: tuple[float, float],
) -> Iterator[Line]:
    shape = dig(config, "machineType") or GKE_DEFAULT_MACHINE
    spot = dig(config, "spot") is True or dig(config, "preemptible") is True
    accelerators = dig(config, "guestAccelerators") or []
    gpu = is_gpu_pool(config)
    yield ctx.pool(r, region, shape, f"gce:{shape}", counts, spot, gpu)
    if gpus_billed_apart(shape):
        for accelerator in accelerators:
            kind = required(accelerator, "type")
            per_node = number(dig(accelerator, "count"), 1.0) or 1.0
            yield ctx.pool(r, region, f"{kind} GPU", gpu_sku(kind), counts, spot, gpu, per_node)
    size = number(dig(config, "diskSizeGb"), GKE_DEFAULT_DISK[0]) or GKE_DEFAULT_DISK[0]
    disk = str(dig(config, "diskType") or GKE_DEFAULT_DISK[1]).removeprefix("pd-")
    yield ctx.disks(r, region, f"pd:{disk}", size, counts, gpu)


def router_nat(r: CostResource, ctx: Context) -> Iterator[Line]:
    """Cloud NAT: per VM using the gateway (every GKE node in the plan), up to NAT_VM_CAP."""
    region = ctx.region(r, "region")
    price = ctx.price(region, "nat:vm")
    if price is None:
        yield ctx.missing(r, "Cloud NAT gateway", region, "nat:vm")
    else:
        hours = ZERO
        for pool in ctx.resources.values():
            if pool.type == NODE_POOL:
                gpu = is_gpu_pool(dig(pool.inputs, "nodeConfig") or {})
                hours = hours + ctx.node_hours(*node_counts(pool), gpu)
        cap = NAT_VM_CAP * HOURS_PER_MONTH
        capped = Monthly(min(hours.low, cap), min(hours.expected, cap), min(hours.high, cap))
        basis = f"${price.on_demand:g} per VM-hour x node-hours of the plan's node pools "
        basis += f"(at most {NAT_VM_CAP} VMs)"
        monthly = capped.times(price.on_demand)
        yield line(r, "Cloud NAT gateway (per VM)", "priced", monthly, basis, (price,))
    if dig(r.inputs, "natIpAllocateOption") == "MANUAL_ONLY":
        ips = float(len(dig(r.inputs, "natIps") or []))
    else:  # AUTO_ONLY: Google allocates as many as the ports need, at least one
        ips = 1.0
    yield ctx.fixed(r, f"{ips:g} NAT external IP address(es)", region, "nat:ip", ips)
    yield ctx.usage(r, "Cloud NAT data processed", region, "nat:data")


def sql_instance(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r, "region")
    settings = required(r.inputs, "settings")
    tier = str(required(settings, "tier"))
    ha = dig(settings, "availabilityType") == "REGIONAL"
    suffix, what = (":ha", "HA") if ha else ("", "zonal")
    # Without it, the edition depends on the database version (Enterprise Plus from
    # PostgreSQL 16): only an explicit ENTERPRISE is priced per vCPU and GB.
    edition = str(required(settings, "edition"))
    custom = _CUSTOM_TIER.match(tier)
    if edition != "ENTERPRISE" or custom is None:
        yield ctx.missing(r, f"{tier} ({edition}, {what})", region, f"cloudsql:{tier}")
    else:
        vcpus, memory_gb = float(custom.group(1)), int(custom.group(2)) / 1024
        yield ctx.fixed(r, f"{vcpus:g} vCPU ({what})", region, f"cloudsql:vcpu{suffix}", vcpus)
        item = f"{memory_gb:g} GB memory ({what})"
        yield ctx.fixed(r, item, region, f"cloudsql:memory{suffix}", memory_gb)
    size = number(dig(settings, "diskSize"), SQL_DEFAULT_DISK_GB) or SQL_DEFAULT_DISK_GB
    kind = "ssd" if str(dig(settings, "diskType") or "PD_SSD") == "PD_SSD" else "hdd"
    item = f"{size:g} GB {kind.upper()} ({what})"
    yield ctx.fixed(r, item, region, f"cloudsql:{kind}{suffix}", size)
    yield ctx.usage(r, "backups and transaction logs", region, "cloudsql:backup")


SQL_DEFAULT_DISK_GB = 10.0
"""Cloud SQL's storage without diskSize (the API default)."""


def bucket(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r, "location")
    storage_class = str(dig(r.inputs, "storageClass") or "STANDARD").lower()
    gb = ctx.assumptions.storage_gb
    item = f"{gb:g} GB {storage_class.capitalize()} (assumed)"
    yield ctx.fixed(r, item, region, f"gcs:{storage_class}", gb)
    yield ctx.usage(r, "operations and data transfer", region, None)


def registry(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r, "location")
    gb = ctx.assumptions.registry_gb
    yield ctx.fixed(r, f"{gb:g} GB of images (assumed)", region, "artifact-registry:storage", gb)


def crypto_key(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r, "location") or _key_region(r)
    item = "key version (software); each rotation adds one while old ones are kept"
    yield ctx.fixed(r, item, region, "kms:key-version")


def _key_region(r: CostResource) -> str | None:
    ring = dig(r.inputs, "keyRing")
    match = re.search(r"/locations/([^/]+)/", ring) if isinstance(ring, str) else None
    return match.group(1) if match else r.region


def alert_policy(r: CostResource, ctx: Context) -> Iterator[Line]:
    conditions = float(len(dig(r.inputs, "conditions") or []) or 1)
    item = f"{conditions:g} alerting condition{'s' if conditions != 1 else ''}"
    region = r.region or ctx.assumptions.region
    yield ctx.fixed(r, item, region, "monitoring:alert-condition", conditions)


def log_bucket(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r, "location")
    yield ctx.usage(r, "log ingestion beyond the free allotment", region, "logging:ingestion")
    yield ctx.usage(r, "log retention beyond 30 days", region, "logging:retention")


def global_address(r: CostResource, ctx: Context) -> Iterator[Line]:
    """An internal range (private services access) is free; an external address is not."""
    if str(dig(r.inputs, "addressType") or "EXTERNAL") == "INTERNAL":
        return
    region = r.region or ctx.assumptions.region
    yield ctx.missing(r, "external IP address", region, "compute:external-ip")


RULES: dict[str, Rule] = {
    "gcp:container/cluster:Cluster": cluster,
    NODE_POOL: node_pool,
    "gcp:compute/routerNat:RouterNat": router_nat,
    "gcp:sql/databaseInstance:DatabaseInstance": sql_instance,
    "gcp:storage/bucket:Bucket": bucket,
    "gcp:artifactregistry/repository:Repository": registry,
    "gcp:kms/cryptoKey:CryptoKey": crypto_key,
    "gcp:monitoring/alertPolicy:AlertPolicy": alert_policy,
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": log_bucket,
    "gcp:compute/globalAddress:GlobalAddress": global_address,
}
"""Pricing rule per type."""

FREE = frozenset(
    {
        "gcp:compute/firewall:Firewall",
        "gcp:compute/network:Network",
        "gcp:compute/router:Router",
        "gcp:compute/subnetwork:Subnetwork",
        "gcp:kms/keyRing:KeyRing",
        "gcp:logging/projectExclusion:ProjectExclusion",
        "gcp:logging/projectSink:ProjectSink",
        "gcp:monitoring/notificationChannel:NotificationChannel",
        "gcp:projects/service:Service",
        "gcp:servicenetworking/connection:Connection",
        "gcp:sql/database:Database",
        "gcp:sql/user:User",
    }
)
"""Types that cost nothing by themselves; service accounts and IAM bindings are free too."""
FREE_PREFIXES = ("gcp:serviceaccount/", "gcp:projects/iAM")
FREE_SUFFIXES = ("IamMember", "IAMMember", "IamBinding", "IAMBinding")
