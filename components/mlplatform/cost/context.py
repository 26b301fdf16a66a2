"""The estimator's working state and the line builders every cloud's pricing rules share:
regions, price look-ups, fixed monthly charges, usage charges and autoscaling node pools (each
pool's per-node charges kept, so what keeps nodes up, a served model, is priced from them)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mlplatform.catalog.pricing import HOURS_PER_MONTH, PER_MONTH, Price, PriceBook
from mlplatform.cost.model import (
    ZERO,
    Assumptions,
    CostResource,
    Kind,
    Line,
    Monthly,
)

NOT_KNOWN = frozenset({"[unknown]", "[secret]"})
"""How the offline plan shows values unknown until deployment, and secrets."""
_ZONE = re.compile(r"^([a-z]+-[a-z]+\d+)-[a-z]$")


class UnknownInput(LookupError):
    """An input the estimate needs is not known until deployment (or is a secret, or is not
    set where the provider has no default to price)."""


class UnknownUntilDeployed(UnknownInput):
    """An input the plan shows as unknown until deployment, or as a secret: the deployment
    knows it, so the charge is priced then."""


Rule = Callable[["CostResource", "Context"], Iterator[Line]]
"""A pricing rule: one resource in, the lines it is charged for out."""


def dig(value: Any, *path: str | int) -> Any:
    """`value[path[0]][path[1]]...`, None where a step is missing; an unknown or secret value
    raises `UnknownInput`."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, Sequence) or isinstance(value, str) or len(value) <= step:
                return None
            value = value[step]
        elif isinstance(value, Mapping):
            value = value.get(step)
        else:
            return None
        if isinstance(value, str) and value in NOT_KNOWN:
            raise UnknownUntilDeployed(
                f"input {'.'.join(map(str, path))} is unknown until deployed"
            )
    return value


def required(value: Any, *path: str | int) -> Any:
    """`dig`, for an input without a provider default: not set raises `UnknownInput`."""
    found = dig(value, *path)
    if found is None:
        raise UnknownInput(f"input {'.'.join(map(str, path))} is not set")
    return found


def number(value: Any, default: float | None = None) -> float | None:
    """A captured number (inputs come back as floats, or as strings from some providers);
    `default` when not set. Anything else is not a number to price with."""
    if value is None:
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        raise UnknownInput(f"{value!r} is not a number") from None


def region_name(value: str) -> str:
    """A region from a location: lowercased without spaces ("West Europe" is westeurope), a
    GCP zone reduced to its region."""
    lowered = value.lower().replace(" ", "")
    zone = _ZONE.match(lowered)
    return zone.group(1) if zone else lowered


def is_zone(location: str) -> bool:
    """Whether a GCP location is a zone (us-central1-a) rather than a region."""
    return _ZONE.match(location.lower()) is not None


def usage_only(what: str, *keys: str) -> Rule:
    """A rule for a type billed only per use; `keys` name its own location inputs."""

    def rule(r: CostResource, ctx: Context) -> Iterator[Line]:
        yield ctx.usage(r, what, ctx.region(r, *keys), None)

    return rule


def times(quantity: float) -> str:
    """The "3 x " before an item of several units; nothing for one."""
    return "" if quantity == 1 else f"{quantity:g} x "


@dataclass(frozen=True)
class NodeCharge:
    """One charge a pool's line makes per node (its machine, GPUs billed apart, its boot disk),
    with what one node of it costs an hour, for the charges that keep its nodes up."""

    line: Line
    """The pool's line."""
    unit: str
    """One node's worth of it: "p4de.24xlarge (on-demand)", "200 GB gp3 disk"."""
    counts: tuple[float, float]
    """The pool's minimum and maximum nodes."""
    gpu: bool
    """A GPU pool: its nodes above the minimum run `expected_gpu_hours` in the expected figure."""
    hourly: float = 0.0
    """USD a node-hour (0 when the line is unknown)."""
    rate: str = ""
    """The rate as the line's basis gives it: "$27.447/h"."""


@dataclass
class Context:
    """One estimate's cloud, prices, assumptions and the other resources of the plan, with the
    lines priced so far and the per-node charges of the pools among them."""

    cloud: str
    book: PriceBook
    assumptions: Assumptions
    resources: Mapping[str, CostResource]
    lines: dict[str, list[Line]] = field(default_factory=dict)
    """Lines of each resource priced so far, by URN (the estimator fills it)."""
    nodes: dict[str, list[NodeCharge]] = field(default_factory=dict)
    """Per-node charges of each pool priced so far, by URN (`pool` and `disks` fill it)."""

    def _node(self, r: CostResource, charge: NodeCharge) -> Line:
        self.nodes.setdefault(r.urn, []).append(charge)
        return charge.line

    def region(self, r: CostResource, *keys: str) -> str | None:
        """Where `r` runs: its own location input (first of `keys` present), else its
        provider's region, else the assumed region."""
        for key in keys:
            value = dig(r.inputs, key)
            if isinstance(value, str) and value:
                return region_name(value)
        return r.region or self.assumptions.region

    def price(self, region: str | None, sku: str) -> Price | None:
        return None if region is None else self.book.get(region, sku)

    def missing(self, r: CostResource, item: str, region: str | None, sku: str) -> Line:
        table = f"the {self.cloud} price table"
        if region is None:
            basis = f"no price for {sku} (no region in the plan) in {table}"
        elif region not in self.book.regions:
            covered = ", ".join(self.book.regions) or "none"
            basis = (
                f"no price for {sku} in {region}: {table} has no prices for {region}, only for "
                f"{covered}"
            )
        else:
            basis = f"no price for {sku} in {region} in {table}"
        return line(r, item, "unknown", basis=basis)

    def fixed(
        self, r: CostResource, item: str, region: str | None, sku: str, quantity: float = 1.0
    ) -> Line:
        """A charge that runs all month: `quantity` units of `sku`."""
        price = self.price(region, sku)
        if price is None:
            return self.missing(r, item, region, sku)
        factor = PER_MONTH.get(price.unit, 1.0)
        amount = price.on_demand * factor * quantity
        per = f"/{price.unit}" if price.unit in PER_MONTH else f" per {price.unit}"
        basis = f"{times(quantity)}${price.on_demand:g}{per}"
        if price.unit in PER_MONTH:
            basis += f" x {factor:g} {'days' if price.unit == 'day' else 'h'}"
        return line(r, item, "priced", Monthly.flat(amount), basis, (price,))

    def usage(self, r: CostResource, item: str, region: str | None, sku: str | None) -> Line:
        """A charge per use (data processed, logs ingested): shown, never estimated."""
        price = None if sku is None else self.price(region, sku)
        if price is None:
            return line(r, item, "usage", basis="billed per use; not estimated")
        return line(
            r,
            item,
            "usage",
            basis=f"${price.on_demand:g} per {price.unit}; billed per use, not estimated",
            prices=(price,),
        )

    def node_hours(self, low: float, high: float, gpu: bool) -> Monthly:
        """Node-hours a month of a pool autoscaling between `low` and `high` nodes."""
        floor = low * HOURS_PER_MONTH
        above = (high - low) * self.assumptions.expected_gpu_hours if gpu else 0.0
        return Monthly(floor, floor + above, high * HOURS_PER_MONTH)

    def pool(
        self,
        r: CostResource,
        region: str | None,
        shape: str,
        sku: str,
        counts: tuple[float, float],
        spot: bool,
        gpu: bool,
        per_node: float = 1.0,
    ) -> Line:
        """The machines of an autoscaling pool between `counts` nodes (`per_node` units of
        `sku` on each, e.g. attached GPUs)."""
        low, high = counts
        capacity = "spot" if spot else "on-demand"
        unit = f"{times(per_node)}{shape} ({capacity})"
        item = f"{range_of(low, high)} x {unit}"
        price = self.price(region, sku)
        if price is None:
            missing = self.missing(r, item, region, sku)
            return self._node(r, NodeCharge(missing, unit, counts, gpu))
        rate = price.rate(spot)
        if rate is None:
            unpriced = line(r, item, "unknown", basis=f"no spot price for {sku} in {region}")
            return self._node(r, NodeCharge(unpriced, unit, counts, gpu))
        hours = self.node_hours(low, high, gpu)
        per_hour = f"{times(per_node)}${rate:g}/h"
        basis = f"{per_hour} x node-hours {_hours(hours)}"
        if gpu and high > low:
            basis += f" (expected: {self.assumptions.expected_gpu_hours:g} h a month per node "
            basis += "above the minimum)"
        priced = line(r, item, "priced", hours.times(rate * per_node), basis, (price,))
        return self._node(r, NodeCharge(priced, unit, counts, gpu, rate * per_node, per_hour))

    def disks(
        self,
        r: CostResource,
        region: str | None,
        sku: str,
        size_gb: float,
        counts: tuple[float, float],
        gpu: bool,
        per_disk: bool = False,
    ) -> Line:
        """Node boot disks, one per node, billed while the node exists. `per_disk`: the price
        is per disk-month (a size tier), not per GB-month."""
        disk = f"{size_gb:g} GB {sku.split(':', 1)[-1]} disk"
        item = f"{range_of(*counts)} x {disk}"
        price = self.price(region, sku)
        if price is None:
            return self._node(r, NodeCharge(self.missing(r, item, region, sku), disk, counts, gpu))
        hours = self.node_hours(*counts, gpu)
        per_month = price.on_demand * (1 if per_disk else size_gb)
        unit = "disk-month" if per_disk else f"GB-month x {size_gb:g} GB"
        rate = f"${price.on_demand:g}/{unit}"
        basis = f"{rate} while the node runs ({_hours(hours)} node-hours)"
        per_hour = per_month / HOURS_PER_MONTH
        priced = line(r, item, "priced", hours.times(per_hour), basis, (price,))
        return self._node(r, NodeCharge(priced, disk, counts, gpu, per_hour, rate))


def line(
    r: CostResource,
    item: str,
    kind: Kind,
    monthly: Monthly | None = None,
    basis: str = "",
    prices: tuple[Price, ...] = (),
    deferred: bool = False,
) -> Line:
    return Line(
        urn=r.urn,
        type=r.type,
        name=r.name,
        item=item,
        kind=kind,
        monthly=(monthly or ZERO).rounded(),
        basis=basis,
        prices=prices,
        deferred=deferred,
    )


def range_of(low: float, high: float) -> str:
    """A node count for display: 2 when fixed, 0-3 for a range."""
    return f"{low:g}" if low == high else f"{low:g}-{high:g}"


def _hours(hours: Monthly) -> str:
    return f"{hours.low:g} / {hours.expected:g} / {hours.high:g}"
