"""What a cost estimate is made of: the assumptions behind it, monthly ranges, and one line per
charge with the prices it used.

A month is 730 hours. Every figure is a range: `low` with every autoscaling pool at its minimum
size around the clock, `high` at its maximum around the clock, and `expected` with each GPU
node above the minimum running `expected_gpu_hours` a month (CPU pools stay at their minimum).
Nodes a served model keeps up run around the clock in `low` and `expected` too (`serving`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from mlplatform import defaults
from mlplatform.catalog.pricing import Price

if TYPE_CHECKING:
    from mlplatform.environment.model import PlatformConfig


@dataclass(frozen=True)
class Assumptions:
    """The usage figures a plan cannot know: how long GPU nodes run, how much is stored."""

    expected_gpu_hours: float = defaults.EXPECTED_GPU_HOURS
    """Hours a month each GPU node above the pool's minimum runs."""
    storage_gb: float = defaults.EXPECTED_STORAGE_GB
    """GB kept in each object store (bucket, storage account)."""
    registry_gb: float = defaults.EXPECTED_REGISTRY_GB
    """GB of images kept in each container registry."""
    region: str | None = None
    """Region to price in when the plan does not say (a provider without a region)."""

    @classmethod
    def of(cls, spec: PlatformConfig | None) -> Assumptions:
        """What a stack's spec sets (budget.expected*, region); defaults without a spec."""
        if spec is None:
            return cls()
        budget = spec.budget
        return cls(
            expected_gpu_hours=budget.expected_gpu_hours,
            storage_gb=budget.expected_storage_gb,
            registry_gb=budget.expected_registry_gb,
            region=spec.region,
        )

    def config(self) -> dict[str, Any]:
        """As the policy pack's rule config (the keys of `budget.*`, camelCase)."""
        return {
            "expectedGpuHours": self.expected_gpu_hours,
            "expectedStorageGb": self.storage_gb,
            "expectedRegistryGb": self.registry_gb,
            "region": self.region,
        }

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Assumptions:
        """Back from the policy pack's rule config."""
        return cls(
            expected_gpu_hours=float(config["expectedGpuHours"]),
            storage_gb=float(config["expectedStorageGb"]),
            registry_gb=float(config["expectedRegistryGb"]),
            region=config["region"],
        )


@dataclass(frozen=True)
class Monthly:
    """A monthly cost range in USD."""

    low: float
    expected: float
    high: float

    @classmethod
    def flat(cls, amount: float) -> Monthly:
        return cls(amount, amount, amount)

    def __add__(self, other: Monthly) -> Monthly:
        return Monthly(self.low + other.low, self.expected + other.expected, self.high + other.high)

    def __sub__(self, other: Monthly) -> Monthly:
        return Monthly(self.low - other.low, self.expected - other.expected, self.high - other.high)

    def times(self, factor: float) -> Monthly:
        return Monthly(self.low * factor, self.expected * factor, self.high * factor)

    def rounded(self) -> Monthly:
        return Monthly(round(self.low, 2), round(self.expected, 2), round(self.high, 2))


ZERO = Monthly(0.0, 0.0, 0.0)


def usd(amount: float) -> str:
    """$1,234.56 (negative amounts as -$12.00)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def signed_usd(amount: float) -> str:
    """+$1,234.56 for a rise, -$12.00 for a fall, $0.00 for none."""
    return ("+" if amount > 0 else "") + usd(amount)


Kind = Literal["priced", "usage", "unknown"]
"""priced: in the totals; usage: billed per use, shown with its unit price, not estimated;
unknown: the price is not in the table (or an input is unknown), so the total is a floor."""


@dataclass(frozen=True)
class Line:
    """One charge of one resource."""

    urn: str
    type: str
    name: str
    item: str
    """What is charged, e.g. "0-2 x p5.48xlarge (on-demand)"."""
    kind: Kind
    monthly: Monthly = ZERO
    basis: str = ""
    """How the figure was reached, or why it is unknown / usage-based."""
    prices: tuple[Price, ...] = ()
    deferred: bool = False
    """Unknown only because an input is not known until deployment (the deployment prices
    it); False for a charge no price table or pricing rule covers."""


@dataclass(frozen=True)
class CostResource:
    """A resource as the estimator reads it: from a captured plan or from the policy pack."""

    type: str
    urn: str
    name: str
    inputs: Mapping[str, Any]
    region: str | None = None
    """The region of its provider, where the resource's own inputs do not say."""
    property_dependencies: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """URNs each input came from (a node group's launch template)."""
    custom: bool | None = True
    """False for components; None when not known (the policy pack's view), in which case the
    types of known component packages are skipped and every other type is priced."""


@dataclass(frozen=True)
class Estimate:
    """A stack's monthly cost: every line, the totals, and what could not be priced."""

    stack: str
    target: str
    regions: tuple[str, ...]
    assumptions: Assumptions
    lines: tuple[Line, ...]
    free: int
    """Resources that cost nothing by themselves (IAM, routes, Kubernetes objects, ...)."""

    @cached_property
    def total(self) -> Monthly:
        """The sum of every priced line (a floor when `unknown` is not empty)."""
        total = ZERO
        for line in self.lines:
            if line.kind == "priced":
                total = total + line.monthly
        return total.rounded()

    @cached_property
    def unknown(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.kind == "unknown")

    @cached_property
    def usage(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.kind == "usage")

    @property
    def complete(self) -> bool:
        """Whether every charge has a known price (usage-based charges aside)."""
        return not self.unknown

    def by_resource(self) -> dict[str, Monthly]:
        """Priced monthly cost per resource URN."""
        out: dict[str, Monthly] = {}
        for line in self.lines:
            if line.kind == "priced":
                out[line.urn] = out.get(line.urn, ZERO) + line.monthly
        return {urn: cost.rounded() for urn, cost in out.items()}
