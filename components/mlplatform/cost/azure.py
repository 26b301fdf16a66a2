"""Azure pricing rules: what each priced Azure resource type costs a month, from
`catalog/prices/azure.toml`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from mlplatform.catalog.data import OFFERINGS
from mlplatform.cost.context import (
    Context,
    Rule,
    dig,
    line,
    number,
    range_of,
    required,
    usage_only,
)
from mlplatform.cost.model import CostResource, Line

GPU_SHAPES = frozenset(o.instance_type for o in OFFERINGS if o.cloud == "azure")
DISK_TIERS = ((4, 1), (8, 2), (16, 3), (32, 4), (64, 6), (128, 10), (256, 15), (512, 20))
DISK_TIERS += ((1024, 30), (2048, 40), (4096, 50), (8192, 60), (16384, 70), (32767, 80))
"""Managed disk size tiers (GiB, tier number): a disk is billed at the smallest tier that holds
it, P<n> for Premium SSD and E<n> for Standard SSD (docs: managed disks pricing)."""
ACR_INCLUDED_GB = {"basic": 10.0, "standard": 100.0, "premium": 500.0}
"""Storage each Container Registry tier includes (docs: container-registry-skus)."""


def disk_sku(kind: str, size_gb: float) -> str | None:
    """The managed-disk price SKU (`disk:premium-ssd:P15`) a disk of `size_gb` is billed as."""
    letter = "P" if kind == "premium-ssd" else "E"
    for limit, tier in DISK_TIERS:
        if size_gb <= limit:
            return f"disk:{kind}:{letter}{tier}"
    return None


def managed_cluster(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r, "location")
    tier = str(dig(r.inputs, "sku", "tier") or "Free").lower()
    yield ctx.fixed(r, f"AKS {tier.capitalize()} tier", region, f"aks:{tier}")
    for profile in dig(r.inputs, "agentPoolProfiles") or []:
        yield from _pool(r, ctx, region, profile)
    if dig(r.inputs, "apiServerAccessProfile", "enablePrivateCluster") is True:
        yield ctx.fixed(r, "API server private endpoint (made by AKS)", region, "private-endpoint")
        if (dig(r.inputs, "apiServerAccessProfile", "privateDNSZone") or "system") == "system":
            yield ctx.fixed(r, "API server private DNS zone (made by AKS)", region, DNS_ZONE)
    outbound = dig(r.inputs, "networkProfile", "outboundType") or "loadBalancer"
    if outbound == "loadBalancer":
        yield ctx.fixed(r, "outbound Standard Load Balancer (made by AKS)", region, "lb:standard")
        yield ctx.fixed(r, "outbound public IPv4 (made by AKS)", region, "public-ip:standard")
        yield ctx.usage(r, "load balancer data processed", region, "lb:standard-data")
    elif outbound not in ("userDefinedRouting", "none"):  # the user's own route costs elsewhere
        yield ctx.missing(r, f"outbound {outbound}", region, f"aks-outbound:{outbound}")


DNS_ZONE = "private-dns-zone"


def agent_pool(r: CostResource, ctx: Context) -> Iterator[Line]:
    yield from _pool(r, ctx, ctx.region(r, "location"), r.inputs)


def _pool(
    r: CostResource, ctx: Context, region: str | None, pool: Mapping[str, Any]
) -> Iterator[Line]:
    shape = required(pool, "vmSize")
    count = number(dig(pool, "count"), 1.0) or 0.0
    if dig(pool, "enableAutoScaling") is True:
        low = number(dig(pool, "minCount"), count) or 0.0
        counts = (low, number(dig(pool, "maxCount"), low) or low)
    else:
        counts = (count, count)
    spot = dig(pool, "scaleSetPriority") == "Spot"
    gpu = shape in GPU_SHAPES
    yield ctx.pool(r, region, shape, f"vm:{shape}", counts, spot, gpu)
    disk_type = dig(pool, "osDiskType")
    if disk_type == "Ephemeral":  # on the VM's own cache or temp disk, in the VM's price
        return
    size = number(dig(pool, "osDiskSizeGB"))
    if disk_type != "Managed" or size is None:
        # AKS picks Ephemeral where the size allows, and a managed size by vCPUs otherwise.
        why = "osDiskType and osDiskSizeGB not both set: AKS picks the OS disk by VM size"
        yield line(r, f"{range_of(*counts)} x OS disk", "unknown", basis=why)
        return
    sku = disk_sku("premium-ssd", size)
    if sku is None:
        yield ctx.missing(r, f"{size:g} GB OS disk", region, "disk:premium-ssd")
    else:
        yield ctx.disks(r, region, sku, size, counts, gpu, per_disk=True)


def postgres_server(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r, "location")
    sku = required(r.inputs, "sku", "name")
    standby = (dig(r.inputs, "highAvailability", "mode") or "Disabled") != "Disabled"
    copies = 2.0 if standby else 1.0
    what = "primary and standby" if standby else "single server"
    yield ctx.fixed(r, f"{sku} compute ({what})", region, f"postgres:{sku}", copies)
    size = float(required(r.inputs, "storage", "storageSizeGB"))
    yield ctx.fixed(r, f"{size:g} GB storage ({what})", region, "postgres:storage", size * copies)
    yield ctx.usage(r, "backup storage beyond the provisioned size", region, "postgres:backup")


def storage_account(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r, "location")
    redundancy = str(dig(r.inputs, "sku", "name") or "Standard_LRS").split("_")[-1].lower()
    tier = str(dig(r.inputs, "accessTier") or "Hot").lower()
    gb = ctx.assumptions.storage_gb
    item = f"{gb:g} GB Blob {tier} {redundancy.upper()} (assumed)"
    yield ctx.fixed(r, item, region, f"blob:{tier}:{redundancy}", gb)
    yield ctx.usage(r, "blob operations and data transfer", region, None)


def registry(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r, "location")
    tier = str(dig(r.inputs, "sku", "name") or "Basic").lower()
    yield ctx.fixed(r, f"Container Registry {tier.capitalize()}", region, f"acr:{tier}")
    extra = ctx.assumptions.registry_gb - ACR_INCLUDED_GB.get(tier, 0.0)
    if extra > 0:
        yield ctx.fixed(r, f"{extra:g} GB of images above the tier's", region, "acr:storage", extra)


def private_endpoint(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r, "location")
    yield ctx.fixed(r, "private endpoint", region, "private-endpoint")
    yield ctx.usage(r, "private endpoint data processed", region, None)


def private_zone(r: CostResource, ctx: Context) -> Iterator[Line]:
    # Private DNS zones are global; they are priced with the stack's region.
    region = r.region or ctx.assumptions.region
    yield ctx.fixed(r, "private DNS zone", region, DNS_ZONE)


def metric_alert(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = r.region or ctx.assumptions.region
    yield ctx.fixed(r, "metric alert rule (one time series)", region, "monitor:metric-alert")


def log_workspace(r: CostResource, ctx: Context) -> Iterator[Line]:
    yield ctx.usage(r, "log ingestion", ctx.region(r, "location"), "log-analytics:ingestion")


def monitor_workspace(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r, "location")
    yield ctx.usage(r, "Prometheus samples ingested", region, "monitor:prometheus-ingestion")


_NS = "azure-native:"
RULES: dict[str, Rule] = {
    f"{_NS}containerservice:ManagedCluster": managed_cluster,
    f"{_NS}containerservice:AgentPool": agent_pool,
    f"{_NS}dbforpostgresql:Server": postgres_server,
    f"{_NS}storage:StorageAccount": storage_account,
    f"{_NS}containerregistry:Registry": registry,
    f"{_NS}network:PrivateEndpoint": private_endpoint,
    f"{_NS}privatedns:PrivateZone": private_zone,
    f"{_NS}monitor:MetricAlert": metric_alert,
    f"{_NS}operationalinsights:Workspace": log_workspace,
    f"{_NS}monitor:AzureMonitorWorkspace": monitor_workspace,
    f"{_NS}alertsmanagement:PrometheusRuleGroup": usage_only(
        "rule evaluation (query samples)", "location"
    ),
    f"{_NS}monitor:ActionGroup": usage_only("notifications sent", "location"),
    f"{_NS}network:FlowLog": usage_only("network flow logs collected", "location"),
}
"""Pricing rule per type."""

FREE = frozenset(
    _NS + t
    for t in (
        "dbforpostgresql:Configuration",
        "dbforpostgresql:Database",
        "dbforpostgresql:FirewallRule",
        "monitor:DataCollectionEndpoint",
        "monitor:DataCollectionRule",
        "monitor:DataCollectionRuleAssociation",
        "monitor:DiagnosticSetting",
        "network:PrivateDnsZoneGroup",
        "network:Subnet",
        "network:VirtualNetwork",
        "network:NetworkSecurityGroup",
        "privatedns:VirtualNetworkLink",
        "resources:ResourceGroup",
        "storage:BlobContainer",
        "storage:BlobServiceProperties",
        "storage:ManagementPolicy",
    )
)
"""Types that cost nothing by themselves (data collection and diagnostic settings are billed as
ingestion at the workspace they send to); identities and role assignments are free too."""
FREE_PREFIXES = (f"{_NS}authorization:", f"{_NS}managedidentity:")
