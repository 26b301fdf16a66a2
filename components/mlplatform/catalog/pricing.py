"""Layer 1, data: the price tables shipped with mlplatform, one TOML file per cloud
(`prices/<cloud>.toml`), and their reader. Each price with its region, unit, on-demand and
(where known) spot figure, its source and the date that source gives (`spot_source` /
`spot_date` when the spot figure comes from elsewhere). A price that is not in the table is
unknown, never zero. Also which machines bill their GPUs as SKUs of their own
(`gpus_billed_apart`), a rule both readers apply.

Read by the cost estimate (`mlplatform.cost`, layer 6.2) and by the spec's preflight
(`mlplatform.environment.preflight.capacity`, layer 2.1), which holds the budget against the
always-on minimum.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

UNITS = ("hour", "day", "month", "gb-month", "gb", "vm-hour", "10m-samples", "1m-samples")
"""Units a price may be given in; `hour` and `day` are converted to months at 730 hours."""
HOURS_PER_MONTH = 730.0
"""Hours in the month every monthly figure is given for (365 x 24 / 12)."""
PER_MONTH = {"hour": HOURS_PER_MONTH, "vm-hour": HOURS_PER_MONTH, "day": HOURS_PER_MONTH / 24}
"""Factor from a price's unit to a month; every other unit is already per month or per use."""


def gpus_billed_apart(machine_type: str) -> bool:
    """Whether a Compute Engine machine bills its attached GPUs as their own SKU
    (`gpu_sku`): N1 does, GPUs being attached to a general-purpose machine; the
    accelerator-optimized A2, A3 and G2 machines are billed for their GPUs in the machine's
    price ("bills accelerator-optimized machine types for their attached GPUs, predefined vCPU,
    memory ...", cloud.google.com/compute/docs/accelerator-optimized-machines, Pricing)."""
    return machine_type.split("-")[0] == "n1"


def gpu_sku(accelerator: str) -> str:
    """The price table's key of a GPU billed apart (`gpu:nvidia-tesla-t4`)."""
    return f"gpu:{accelerator}"


@dataclass(frozen=True)
class Price:
    """One list price: what one unit of `sku` costs in `region`, in USD."""

    cloud: str
    region: str
    sku: str
    unit: str
    on_demand: float
    spot: float | None
    source: str
    date: str
    note: str = ""
    spot_source: str | None = None
    """Where the spot figure was read, when not from `source`."""
    spot_date: str | None = None
    """The date (or ISO 8601 interval) the spot figure was observed, when not `date`."""

    def rate(self, spot: bool = False) -> float | None:
        """The figure to charge: the spot price when asked for (None if unknown)."""
        return self.spot if spot else self.on_demand


class PriceTableError(ValueError):
    """A price table that does not parse or breaks its own format."""


@dataclass(frozen=True)
class PriceBook:
    """Every price of one cloud, looked up by region and SKU."""

    cloud: str
    prices: dict[tuple[str, str], Price]

    def get(self, region: str, sku: str) -> Price | None:
        return self.prices.get((region, sku))

    @property
    def regions(self) -> list[str]:
        return sorted({region for region, _ in self.prices})


@cache
def price_book(cloud: str) -> PriceBook:
    """The shipped price table of `cloud` (aws, azure, gcp); empty for any other target."""
    path = resources.files("mlplatform.catalog") / "prices" / f"{cloud}.toml"
    if not path.is_file():
        return PriceBook(cloud, {})
    return parse_book(cloud, path.read_text(encoding="utf-8"), f"prices/{cloud}.toml")


def parse_book(cloud: str, text: str, where: str) -> PriceBook:
    """A price table from its TOML text; every entry must carry a source and a date."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PriceTableError(f"{where}: {exc}") from None
    prices: dict[tuple[str, str], Price] = {}
    for index, entry in enumerate(document.get("price", [])):
        at = f"{where}: price[{index}]"
        missing = {"region", "sku", "unit", "on_demand", "source", "date"} - entry.keys()
        if missing:
            raise PriceTableError(f"{at} lacks {', '.join(sorted(missing))}")
        if not str(entry["date"]).strip() or not str(entry["source"]).strip():
            raise PriceTableError(f"{at}: every price needs a source and the date it gives")
        if entry["unit"] not in UNITS:
            raise PriceTableError(f"{at}: unit {entry['unit']!r} is not one of {UNITS}")
        key = (entry["region"], entry["sku"])
        if key in prices:
            raise PriceTableError(f"{at}: {key[1]} in {key[0]} is listed twice")
        prices[key] = Price(
            cloud=cloud,
            region=entry["region"],
            sku=entry["sku"],
            unit=entry["unit"],
            on_demand=float(entry["on_demand"]),
            spot=float(entry["spot"]) if "spot" in entry else None,
            source=entry["source"],
            date=str(entry["date"]),
            note=entry.get("note") or "",
            spot_source=entry.get("spot_source"),
            spot_date=str(entry["spot_date"]) if "spot_date" in entry else None,
        )
    return PriceBook(cloud, prices)
