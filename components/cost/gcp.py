"""Google Cloud pricing rules: what each priced GCP resource type costs a month, from
`prices/gcp.toml`."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from mlplatform.cost.context import Context, Rule, dig, line, number
from mlplatform.cost.model import CostResource, Line, Monthly

_CUSTOM_TIER = re.compile(r"^db-custom-(\d+)-(\d+)$")
NAT_VM_CAP = 32
"""Cloud NAT bills per VM using a gateway, up to 32 VMs; more cost the same (docs: NAT pricing)."""
NODE_POOL = "gcp:container/nodePool:NodePool"


def cluster(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r, "location")
    yield ctx.fixed(r, "GKE cluster management fee", region, "gke:cluster")
    if dig(r.inputs, "removeDefaultNodePool") is not True:
        count = number(dig(r.inputs, "initialNodeCount"), 0.0) or 0.0
        if count:
            yield from _machines(r, ctx, region, dig(r.inputs, "nodeConfig") or {}, (count, count))


def node_pool(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r, "location")
    yield from _machines(r, ctx, region, dig(r.inputs, "nodeConfig") or {}, node_counts(r))


def node_counts(r: CostResource) -> tuple[float, float]:
    """Nodes of a GKE pool, low and high: total bounds, else per-zone bounds times its zones,
    else its fixed size. Per-zone bounds without nodeLocations assume the region's 3 zones."""
    inputs = r.inputs
    total_low = number(dig(inputs, "autoscaling", "totalMinNodeCount"))
    total_high = number(dig(inputs, "autoscaling", "totalMaxNodeCount"))
    if total_low is not None or total_high is not None:
        low = total_low or 0.0
        return low, total_high if total_high is not None else low
    zones = float(len(dig(inputs, "nodeLocations") or []) or 3)
    per_zone_low = number(dig(inputs, "autoscaling", "minNodeCount"))
    per_zone_high = number(dig(inputs, "autoscaling", "maxNodeCount"))
    if per_zone_low is not None or per_zone_high is not None:
        low = (per_zone_low or 0.0) * zones
        return low, (per_zone_high or 0.0) * zones or low
    fixed = number(dig(inputs, "nodeCount"), number(dig(inputs, "initialNodeCount"), 1.0)) or 0.0
    return fixed * zones, fixed * zones


def _machines(
    r: CostResource,
    ctx: Context,
    region: str | None,
    config: Mapping[str, Any],
    counts: tuple[float, float],
) -> Iterator[Line]:
    shape = dig(config, "machineType") or "e2-medium"
    spot = dig(config, "spot") is True or dig(config, "preemptible") is True
    accelerators = dig(config, "guestAccelerators") or []
    gpu = bool(accelerators)
    yield ctx.pool(r, region, shape, f"gce:{shape}", counts, spot, gpu)
    if shape.split("-")[0] == "n1":  # N1 bills attached GPUs apart; A2, A3, G2 include them
        for accelerator in accelerators:
            kind = dig(accelerator, "type")
            per_node = number(dig(accelerator, "count"), 1.0) or 1.0
            gpus = ctx.pool(r, region, f"{kind} GPU", f"gpu:{kind}", counts, spot, gpu)
            yield _times(gpus, per_node, f"{per_node:g} per node")
    size = number(dig(config, "diskSizeGb"), 100.0) or 100.0
    disk = str(dig(config, "diskType") or "pd-balanced").removeprefix("pd-")
    yield ctx.disks(r, region, f"pd:{disk}", size, counts, gpu)


def _times(charge: Line, factor: float, why: str) -> Line:
    if charge.kind != "priced" or factor == 1:
        return charge
    return replace(
        charge,
        item=f"{charge.item}, {why}",
        monthly=charge.monthly.times(factor).rounded(),
        basis=f"{charge.basis} x {factor:g}",
    )


def router_nat(r: CostResource, ctx: Context) -> Iterator[Line]:
    """Cloud NAT: per VM using the gateway (every GKE node in the plan), up to NAT_VM_CAP."""
    region = ctx.region(r, "region")
    price = ctx.price(region, "nat:vm")
    if price is None:
        yield ctx.missing(r, "Cloud NAT gateway", region, "nat:vm")
    else:
        hours = Monthly(0.0, 0.0, 0.0)
        for pool in ctx.resources.values():
            if pool.type == NODE_POOL:
                gpu = bool(dig(pool.inputs, "nodeConfig", "guestAccelerators"))
                hours = hours + ctx.node_hours(*node_counts(pool), gpu)
        cap = NAT_VM_CAP * 730.0
        capped = Monthly(min(hours.low, cap), min(hours.expected, cap), min(hours.high, cap))
        basis = f"${price.on_demand:g} per VM-hour x node-hours of the plan's node pools "
        basis += f"(at most {NAT_VM_CAP} VMs)"
        monthly = capped.times(price.on_demand)
        yield line(r, "Cloud NAT gateway (per VM)", "priced", monthly, basis, (price,))
    yield ctx.usage(r, "Cloud NAT data processed", region, "nat:data")


def sql_instance(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r, "region")
    settings = dig(r.inputs, "settings") or {}
    tier = str(dig(settings, "tier") or "db-f1-micro")
    ha = dig(settings, "availabilityType") == "REGIONAL"
    suffix, what = (":ha", "HA") if ha else ("", "zonal")
    edition = str(dig(settings, "edition") or "ENTERPRISE")
    custom = _CUSTOM_TIER.match(tier)
    if edition != "ENTERPRISE" or custom is None:
        yield ctx.missing(r, f"{tier} ({edition}, {what})", region, f"cloudsql:{tier}")
    else:
        vcpus, memory_gb = float(custom.group(1)), int(custom.group(2)) / 1024
        yield ctx.fixed(r, f"{vcpus:g} vCPU ({what})", region, f"cloudsql:vcpu{suffix}", vcpus)
        item = f"{memory_gb:g} GB memory ({what})"
        yield ctx.fixed(r, item, region, f"cloudsql:memory{suffix}", memory_gb)
    size = number(dig(settings, "diskSize"), 10.0) or 10.0
    kind = "ssd" if str(dig(settings, "diskType") or "PD_SSD") == "PD_SSD" else "hdd"
    item = f"{size:g} GB {kind.upper()} ({what})"
    yield ctx.fixed(r, item, region, f"cloudsql:{kind}{suffix}", size)
    yield ctx.usage(r, "backups and transaction logs", region, "cloudsql:backup")


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
