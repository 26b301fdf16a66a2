"""The estimator's working state and the line builders every cloud's pricing rules share:
regions, price look-ups, fixed monthly charges, usage charges and autoscaling node pools."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
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


@dataclass
class Context:
    """One estimate's cloud, prices, assumptions and the other resources of the plan."""

    cloud: str
    book: PriceBook
    assumptions: Assumptions
    resources: Mapping[str, CostResource]

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
        item = f"{range_of(low, high)} x {times(per_node)}{shape} ({capacity})"
        price = self.price(region, sku)
        if price is None:
            return self.missing(r, item, region, sku)
        rate = price.rate(spot)
        if rate is None:
            return line(r, item, "unknown", basis=f"no spot price for {sku} in {region}")
        hours = self.node_hours(low, high, gpu)
        basis = f"{times(per_node)}${rate:g}/h x node-hours {_hours(hours)}"
        if gpu and high > low:
            basis += f" (expected: {self.assumptions.expected_gpu_hours:g} h a month per node "
            basis += "above the minimum)"
        return line(r, item, "priced", hours.times(rate * per_node), basis, (price,))

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
        item = f"{range_of(*counts)} x {size_gb:g} GB {sku.split(':', 1)[-1]} disk"
        price = self.price(region, sku)
        if price is None:
            return self.missing(r, item, region, sku)
        hours = self.node_hours(*counts, gpu)
        per_month = price.on_demand * (1 if per_disk else size_gb)
        unit = "disk-month" if per_disk else f"GB-month x {size_gb:g} GB"
        basis = f"${price.on_demand:g}/{unit} while the node runs ({_hours(hours)} node-hours)"
        return line(r, item, "priced", hours.times(per_month / HOURS_PER_MONTH), basis, (price,))


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
