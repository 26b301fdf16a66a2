"""Layer 2.1, the environment spec: preflight of capacity coherence, what the pools can hold
against what the spec asks of them.

Team quotas against the pools. A team's `maxGpus` is a ResourceQuota on
`requests.nvidia.com/gpu`, and every pool advertises that resource (`mlplatform.catalog.limits.
capacity`), so the quota counts schedulable units: one per GPU, `replicas` per GPU with
time-slicing or MPS, the profile's instances per GPU with MIG. Refused: a team's quota above
what every pool at its maximum can schedule (it can never be reached), and a quota above 0 on
a cloud with no GPU pool at all. Warned: quotas that together ask for more than the pools can
schedule at once (oversubscription can be intended: a quota is a cap, not a reservation);
refused instead with `scheduling` on, where Kueue guarantees each team its quota. The
kubernetes target has no pools in the spec (the cluster's own GPU nodes): nothing to judge.

The GPU budget: `budget.maxGpus` against the pools' physical GPUs at their maximum.

The monthly budget against the always-on minimum: what runs with every pool at its minimum,
the control plane, the system pool, each GPU pool's minimum nodes (at the spot price when
spot; more where served models keep more up, `environment.serving.held_nodes`) and the MLflow
database's compute, at 730 hours a month from the price tables the cost
estimate reads (`mlplatform.catalog.pricing`). It is a floor: disks, NAT, storage and usage
are left out, so the cost estimate's low figure is higher; the same charges there come to the
same figure (`tests/unit/preflight/test_capacity.py` holds them equal on the shipped stacks).
Refused: a `budget.maxMonthlyUsd` below the floor. Warned: an always-on charge with no known
price (a region or SKU the table lacks), unless `budget.allowUnpriced`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from mlplatform import catalog, defaults
from mlplatform.catalog.limits import mig
from mlplatform.catalog.limits.capacity import GPU_RESOURCE
from mlplatform.catalog.names import SharingMode
from mlplatform.catalog.pricing import (
    HOURS_PER_MONTH,
    PER_MONTH,
    PriceBook,
    gpu_sku,
    gpus_billed_apart,
    price_book,
)
from mlplatform.environment.errors import ConfigIssue
from mlplatform.environment.model import GpuPoolSpec, PlatformConfig, Target
from mlplatform.environment.preflight import sharing
from mlplatform.environment.preflight.context import Check, Preflight
from mlplatform.environment.serving import held_nodes

# ---- team quotas against the pools ------------------------------------------------------------


def units_per_gpu(target: Target, pool: GpuPoolSpec) -> int:
    """The `nvidia.com/gpu` one physical GPU of `pool` advertises on `target`; for a MIG
    profile of no known model, the most any GPU holds (an upper bound, so no quota is refused
    wrongly)."""
    mode = pool.sharing.mode
    if mode in (SharingMode.TIME_SLICING, SharingMode.MPS):
        return pool.sharing.replicas
    if mode is SharingMode.MIG:
        model = sharing.mig_model(target, pool)
        count = None if model is None else model.instances_of(pool.sharing.mig_profile or "")
        return mig.MAX_INSTANCES if count is None else count
    return 1


def _pool_units(target: Target, i: int, pool: GpuPoolSpec) -> tuple[int, str]:
    units = pool.max_nodes * pool.gpus_per_node * units_per_gpu(target, pool)
    how = f"gpuPools[{i}] {pool.name} {pool.max_nodes} x {pool.gpus_per_node} GPU"
    how += "" if pool.gpus_per_node == 1 else "s"
    mode = pool.sharing.mode
    if mode in (SharingMode.TIME_SLICING, SharingMode.MPS):
        kind = "time-slicing" if mode is SharingMode.TIME_SLICING else "MPS"
        how += f" x {pool.sharing.replicas} {kind} replicas"
    elif mode is SharingMode.MIG:
        how += f" x {units_per_gpu(target, pool)} MIG {pool.sharing.mig_profile} instances"
    return units, f"{how} = {units}"


def schedulable(cfg: PlatformConfig) -> tuple[int, str]:
    """The `nvidia.com/gpu` every pool at its maximum can schedule, and how (per pool)."""
    counted = [_pool_units(cfg.target, i, pool) for i, pool in enumerate(cfg.gpu_pools)]
    return sum(units for units, _ in counted), "; ".join(how for _, how in counted)


def _grow_fix(cfg: PlatformConfig) -> str:
    shared = any(
        p.sharing.mode in (SharingMode.TIME_SLICING, SharingMode.MPS) for p in cfg.gpu_pools
    )
    return (
        "add a GPU pool or raise a pool's maxNodes, gpusPerNode or sharing.replicas"
        if shared
        else "add a GPU pool or raise a pool's maxNodes or gpusPerNode"
    )


def team_quota_unreachable(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """A team's quota above what every pool at its maximum can schedule."""
    if cfg.target is Target.KUBERNETES or not cfg.gpu_pools:
        return
    reach, how = schedulable(cfg)
    for i, team in enumerate(cfg.teams):
        if team.max_gpus > reach:
            yield ConfigIssue(
                f"teams[{i}].maxGpus",
                f"is more than the GPU pools can ever schedule ({reach} {GPU_RESOURCE}: {how}), "
                f"so it can never be reached; lower it to {reach}, or {_grow_fix(cfg)}",
                team.max_gpus,
            )


def team_quota_without_pool(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """A GPU quota on a cloud whose spec has no GPU pool: no node advertises the resource."""
    if cfg.target is Target.KUBERNETES or cfg.gpu_pools:
        return
    for i, team in enumerate(cfg.teams):
        if team.max_gpus > 0:
            yield ConfigIssue(
                f"teams[{i}].maxGpus",
                f"is a GPU quota, but gpuPools is empty: no node advertises {GPU_RESOURCE}, so "
                "the team's pods can never get a GPU; add a GPU pool, or set maxGpus: 0",
                team.max_gpus,
            )


def _oversubscribed(cfg: PlatformConfig) -> tuple[int, str] | None:
    """(asked, what the pools reach and how) when the teams' quotas, each within what the
    cloud pools can schedule, together exceed it; None otherwise (or no pools to judge)."""
    if cfg.target is Target.KUBERNETES or not cfg.gpu_pools:
        return None
    reach, how = schedulable(cfg)
    asked = sum(team.max_gpus for team in cfg.teams)
    if asked > reach and all(team.max_gpus <= reach for team in cfg.teams):
        return asked, f"{reach} {GPU_RESOURCE}: {how}"
    return None


def team_quotas_unguaranteed(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """With scheduling on, quotas each within the pools' reach that together exceed it: Kueue
    guarantees each team its quota, and the pools cannot hold every guarantee at once."""
    if cfg.scheduling.enabled and (found := _oversubscribed(cfg)):
        asked, reach = found
        yield ConfigIssue(
            "teams",
            f"ask for {asked} {GPU_RESOURCE} together (maxGpus summed), more than the GPU "
            f"pools can schedule ({reach}); with scheduling on, Kueue guarantees each team its "
            "maxGpus, so lower maxGpus or grow the pools (a team borrows idle GPUs beyond its "
            "own anyway)",
        )


def team_quotas_oversubscribed(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """Quotas each within the pools' reach that together exceed it (with scheduling off: a
    ResourceQuota is a cap, not a reservation; with it on, `team_quotas_unguaranteed`)."""
    if not cfg.scheduling.enabled and (found := _oversubscribed(cfg)):
        asked, reach = found
        yield ConfigIssue(
            "teams",
            f"ask for {asked} {GPU_RESOURCE} together (maxGpus summed), more than the GPU "
            f"pools can schedule at once ({reach}); lower maxGpus or grow the pools, unless "
            "the teams are meant to share them",
            asked,
        )


# ---- the GPU budget against the pools ---------------------------------------------------------


def pools_over_gpu_budget(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """The pools' physical GPUs at their maximum above `budget.maxGpus`."""
    cap = cfg.budget.max_gpus
    if cap is None:
        return
    total = sum(p.max_nodes * p.gpus_per_node for p in cfg.gpu_pools)
    if total > cap:
        yield ConfigIssue(
            "gpuPools",
            f"can grow to {total} GPUs (maxNodes x gpusPerNode summed), over budget.maxGpus "
            f"({cap}); lower maxNodes or raise budget.maxGpus",
        )


# ---- the monthly budget against the always-on minimum -----------------------------------------


class Charge(NamedTuple):
    """One always-on charge: what runs at every pool's minimum, and its price key."""

    what: str
    """As the floor's message lists it ("cluster.systemPool 2 x m6i.large")."""
    runs: str
    """What runs, as a missing price's warning names it ("1 x p5.4xlarge")."""
    path: str
    """The spec field that picks the priced SKU (where a missing price is reported)."""
    value: Any
    sku: str
    """The price table's key (`ec2:m6i.large`), as the cost estimate prices it."""
    quantity: float
    spot: bool = False


CONTROL_PLANES = {
    Target.AWS: ("EKS control plane", "eks:cluster"),
    Target.GCP: ("GKE cluster management fee", "gke:cluster"),
}
"""The control plane's fixed hourly fee (the cost estimate's `eks_cluster` / `cluster` rules);
AKS's depends on the tier (`_aks_tier`)."""
SHAPE_SKU = {Target.AWS: "ec2:", Target.AZURE: "vm:", Target.GCP: "gce:"}
"""How each cloud's price table keys a node shape."""
_CUSTOM_TIER = re.compile(r"^db-custom-(\d+)-(\d+)$")


def _aks_tier(cfg: PlatformConfig) -> tuple[str, str]:
    """AKS's tier, as the cluster gets it (`PlatformConfig.aks_standard_tier`)."""
    tier = "standard" if cfg.aks_standard_tier else "free"
    return f"AKS {tier.capitalize()} tier", f"aks:{tier}"


def always_on(cfg: PlatformConfig) -> list[Charge]:
    """Every charge that runs with every pool at its minimum, around the clock: the control
    plane, the system pool, each GPU pool's minimum nodes and the MLflow database's compute."""
    target = cfg.target
    if target is Target.KUBERNETES:
        return []
    what, sku = _aks_tier(cfg) if target is Target.AZURE else CONTROL_PLANES[target]
    charges = [Charge(what, what, "cluster", None, sku, 1.0)]
    system = cfg.cluster.system_pool
    shape = system.instance_type or defaults.SYSTEM_INSTANCE_TYPES[target.value]
    runs = f"{system.min_nodes} x {shape}"
    at = "cluster.systemPool.instanceType"
    sku = SHAPE_SKU[target] + shape
    charges.append(Charge(f"cluster.systemPool {runs}", runs, at, shape, sku, system.min_nodes))
    held = held_nodes(cfg)
    for i, pool in enumerate(cfg.gpu_pools):
        charges += _pool_charges(target, i, pool, held.get(pool.name, 0))
    if cfg.mlflow.enabled and cfg.artifact_store.enabled:
        charges += _database_charges(cfg)
    return charges


def _pool_charges(target: Target, i: int, pool: GpuPoolSpec, held: int) -> list[Charge]:
    """The pool's nodes always up: its `minNodes`, or more where served models hold more."""
    nodes = max(pool.min_nodes, held)
    if nodes == 0:
        return []
    try:
        offering = catalog.resolve(target.value, pool.gpu.value, pool.gpus_per_node).offering
    except catalog.CatalogError:  # the spec's own rules name the pool's gpu / gpusPerNode
        return []
    spot = " (spot)" if pool.spot else ""
    if held > pool.min_nodes:
        spot += " (kept up by served models)"
    runs = f"{nodes} x {offering.instance_type}"
    at, sku = f"gpuPools[{i}].gpu", SHAPE_SKU[target] + offering.instance_type
    charges = [
        Charge(f"gpuPools[{i}] {runs}{spot}", runs, at, pool.gpu.value, sku, nodes, pool.spot)
    ]
    if gpus_billed_apart(offering.instance_type) and offering.accelerator:
        count = nodes * pool.gpus_per_node
        runs = f"{count} x {offering.accelerator} GPU"
        sku = gpu_sku(offering.accelerator)
        charges.append(
            Charge(f"gpuPools[{i}] {runs}{spot}", runs, at, pool.gpu.value, sku, count, pool.spot)
        )
    return charges


def _database_charges(cfg: PlatformConfig) -> list[Charge]:
    """The MLflow database's compute: the RDS instance class (Multi-AZ priced as its own
    SKU), the Flexible Server SKU (twice with a standby), the Cloud SQL custom tier per vCPU
    and GB of memory (HA priced as its own SKU)."""
    standby = cfg.database_standby
    chosen = cfg.mlflow.database.instance_class
    shape = chosen or defaults.DATABASE_CLASSES[cfg.target.value][standby]
    at = "mlflow.database.instanceClass"
    what = f"mlflow.database {shape}"
    runs = f"{shape} with a standby" if standby else shape
    if cfg.target is Target.AWS:
        sku = f"rds:{shape}:multi-az" if standby else f"rds:{shape}"
        return [Charge(f"{what} (Multi-AZ)" if standby else what, runs, at, shape, sku, 1.0)]
    if cfg.target is Target.AZURE:
        copies = 2.0 if standby else 1.0
        label = f"{what} (primary and standby)" if standby else what
        return [Charge(label, runs, at, shape, f"postgres:{shape}", copies)]
    suffix = ":ha" if standby else ""
    custom = _CUSTOM_TIER.match(shape)
    if custom is None:  # the spec's own rules refuse a Cloud SQL tier that is not custom
        return [Charge(what, runs, at, shape, f"cloudsql:{shape}", 1.0)]
    vcpus, memory_gb = float(custom.group(1)), int(custom.group(2)) / 1024
    return [
        Charge(f"{what} {vcpus:g} vCPU", runs, at, shape, f"cloudsql:vcpu{suffix}", vcpus),
        Charge(
            f"{what} {memory_gb:g} GB memory",
            runs,
            at,
            shape,
            f"cloudsql:memory{suffix}",
            memory_gb,
        ),
    ]


def _region(cfg: PlatformConfig) -> str:
    """The region as the price tables key it (lowercase, no spaces: "westeurope")."""
    return (cfg.region or "").lower().replace(" ", "")


def _monthly(book: PriceBook, region: str, charge: Charge) -> float | None:
    """What `charge` costs a month, rounded to the cent as the cost estimate's lines are;
    None when its price (or its spot price) is not in the table."""
    price = book.get(region, charge.sku)
    rate = None if price is None else price.rate(charge.spot)
    if price is None or rate is None:
        return None
    return round(rate * PER_MONTH.get(price.unit, 1.0) * charge.quantity, 2)


def always_on_floor(cfg: PlatformConfig) -> tuple[list[tuple[Charge, float]], list[Charge]]:
    """The always-on charges with their monthly amounts, and those with no known price."""
    book, region = price_book(cfg.target.value), _region(cfg)
    priced: list[tuple[Charge, float]] = []
    unpriced: list[Charge] = []
    for charge in always_on(cfg):
        amount = _monthly(book, region, charge)
        if amount is None:
            unpriced.append(charge)
        else:
            priced.append((charge, amount))
    return priced, unpriced


def usd(amount: float) -> str:
    """$1,234.56, as `mlplatform cost` shows an amount."""
    return f"${amount:,.2f}"


def _floor_fixes(cfg: PlatformConfig) -> list[str]:
    fixes = ["lower cluster.systemPool.minNodes"] if cfg.cluster.system_pool.min_nodes > 1 else []
    for i, pool in enumerate(cfg.gpu_pools):
        if pool.min_nodes > 0:
            fixes.append(f"lower gpuPools[{i}].minNodes (0 scales it to zero when idle)")
            if not pool.spot:
                fixes.append(f"set gpuPools[{i}].spot: true")
    return fixes


def budget_below_floor(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """`budget.maxMonthlyUsd` below what runs at every pool's minimum (the priced charges: an
    unpriced one only raises the floor)."""
    budget = cfg.budget.max_monthly_usd
    if budget is None:
        return
    priced, _ = always_on_floor(cfg)
    floor = round(sum(amount for _, amount in priced), 2)
    if floor <= budget:
        return
    parts = "; ".join(f"{charge.what} {usd(amount)}" for charge, amount in priced if amount)
    hours = f"{HOURS_PER_MONTH:g} h at mlplatform's {cfg.target.value} list prices"
    fixes = ", ".join([*_floor_fixes(cfg), "or raise budget.maxMonthlyUsd"])
    yield ConfigIssue(
        "budget.maxMonthlyUsd",
        "is below the always-on minimum: with every pool at its minimum the platform costs at "
        f"least {usd(floor)} a month ({parts}; {hours}); {fixes}",
        budget,
    )


def _price_fix(cfg: PlatformConfig, prices: str = "the price with its") -> str:
    return (
        f"add {prices} source and date to mlplatform's price table "
        f"(catalog/prices/{cfg.target.value}.toml), or set budget.allowUnpriced: true to judge "
        "the budget on the priced charges alone"
    )


def floor_unpriced(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """An always-on charge the price tables cannot price, with a budget to hold it to (and
    `budget.allowUnpriced` not set: then the user chose to judge the priced charges alone)."""
    if cfg.budget.max_monthly_usd is None or cfg.budget.allow_unpriced:
        return
    _, unpriced = always_on_floor(cfg)
    if not unpriced:
        return
    book, region = price_book(cfg.target.value), _region(cfg)
    if region not in book.regions:
        yield ConfigIssue(
            "region",
            f"has no prices in mlplatform's {cfg.target.value} price table (it has "
            f"{', '.join(book.regions) or 'none'}), so budget.maxMonthlyUsd cannot be held to "
            f"the always-on minimum; {_price_fix(cfg, 'the prices with their')}",
            cfg.region,
        )
        return
    seen: set[tuple[str, str]] = set()
    for charge in unpriced:
        if (charge.path, charge.sku) in seen:
            continue
        seen.add((charge.path, charge.sku))
        kind = "spot price" if charge.spot and book.get(region, charge.sku) else "price"
        message = (
            f"runs {charge.runs} at every pool's minimum, but {charge.sku} has no known {kind} "
            f"in {region}, so budget.maxMonthlyUsd is held to an always-on minimum without it; "
            f"{_price_fix(cfg)}"
        )
        if charge.value is None:
            yield ConfigIssue(charge.path, message)
        else:
            yield ConfigIssue(charge.path, message, charge.value)


ERRORS: tuple[Check, ...] = (
    team_quota_without_pool,
    team_quota_unreachable,
    team_quotas_unguaranteed,
    pools_over_gpu_budget,
    budget_below_floor,
)
WARNINGS: tuple[Check, ...] = (team_quotas_oversubscribed, floor_unpriced)
