"""The estimator's working state and the line builders every cloud's pricing rules share:
regions, price look-ups, fixed monthly charges, usage charges and autoscaling node pools."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mlplatform.cost.model import (
    DAYS_PER_MONTH,
    HOURS_PER_MONTH,
    Assumptions,
    CostResource,
    Kind,
    Line,
    Monthly,
)
from mlplatform.cost.pricing import Price, PriceBook

UNKNOWN_VALUE = "[unknown]"
_ZONE = re.compile(r"^([a-z]+-[a-z]+\d+)-[a-z]$")
PER_MONTH = {"hour": HOURS_PER_MONTH, "vm-hour": HOURS_PER_MONTH, "day": DAYS_PER_MONTH}
"""Factor from a price's unit to a month; every other unit is already per month or per use."""


class UnknownInput(LookupError):
    """An input the estimate needs is not known until deployment."""


Rule = Callable[["CostResource", "Context"], Iterator[Line]]
"""A pricing rule: one resource in, the lines it is charged for out."""


def dig(value: Any, *path: str | int) -> Any:
    """`value[path[0]][path[1]]...`, None where a step is missing; an unknown raises."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, Sequence) or isinstance(value, str) or len(value) <= step:
                return None
            value = value[step]
        elif isinstance(value, Mapping):
            value = value.get(step)
        else:
            return None
        if value == UNKNOWN_VALUE:
            raise UnknownInput(".".join(map(str, path)))
    return value


def number(value: Any, default: float | None = None) -> float | None:
    """A captured number (inputs come back as floats, or as strings from some providers)."""
    if value is None:
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def region_name(value: str) -> str:
    """A region from a location: lowercased, a GCP zone reduced to its region."""
    lowered = value.lower()
    zone = _ZONE.match(lowered)
    return zone.group(1) if zone else lowered


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
        where = f"in {region}" if region else "(no region in the plan)"
        return line(
            r,
            item,
            "unknown",
            basis=f"no price for {sku} {where} in the {self.cloud} price table",
        )

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
        basis = f"{_qty(quantity)}${price.on_demand:g}{per}"
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
    ) -> Line:
        """The machines of an autoscaling pool between `counts` nodes."""
        low, high = counts
        capacity = "spot" if spot else "on-demand"
        item = f"{_range(low, high)} x {shape} ({capacity})"
        price = self.price(region, sku)
        rate = None if price is None else price.rate(spot)
        if price is None or rate is None:
            if price is not None:
                return line(r, item, "unknown", basis=f"no spot price for {sku} in {region}")
            return self.missing(r, item, region, sku)
        hours = self.node_hours(low, high, gpu)
        basis = f"${rate:g}/h x node-hours {_hours(hours)}"
        if gpu and high > low:
            basis += f" (expected: {self.assumptions.expected_gpu_hours:g} h a month per node "
            basis += "above the minimum)"
        return line(r, item, "priced", hours.times(rate), basis, (price,))

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
        item = f"{_range(*counts)} x {size_gb:g} GB {sku.split(':', 1)[-1]} disk"
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
) -> Line:
    return Line(
        urn=r.urn,
        type=r.type,
        name=r.name,
        item=item,
        kind=kind,
        monthly=(monthly or Monthly.flat(0.0)).rounded(),
        basis=basis,
        prices=prices,
    )


def _qty(quantity: float) -> str:
    return "" if quantity == 1 else f"{quantity:g} x "


def _range(low: float, high: float) -> str:
    return f"{low:g}" if low == high else f"{low:g}-{high:g}"


def _hours(hours: Monthly) -> str:
    return f"{hours.low:g} / {hours.expected:g} / {hours.high:g}"
