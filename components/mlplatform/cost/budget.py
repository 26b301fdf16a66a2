"""The budget guardrails: the expected monthly cost against `budget.maxMonthlyUsd`, and the
charges that have no known price. Shared by `mlplatform cost` and the policy pack's
`platform-monthly-cost-under-budget` and `platform-cost-fully-priced` rules."""

from __future__ import annotations

from mlplatform.cost.model import Estimate, Line, usd

UNPRICED_FIX = (
    "add the price to mlplatform's price table, or set allowUnpriced: true "
    "(budget.allowUnpriced) to judge the budget on the priced charges alone"
)
"""How to clear an unpriced charge from the budget rule: price it, or opt out."""


def budget_findings(estimate: Estimate, max_monthly_usd: float | None) -> list[str]:
    """Why the estimate breaks the budget: the expected monthly cost, counting only charges with
    known prices, is over it. Empty when within budget or without one."""
    expected = estimate.total.expected
    if max_monthly_usd is None or expected <= max_monthly_usd:
        return []
    floor = "" if estimate.complete else "at least "
    return [
        f"expected monthly cost {floor}{usd(expected)} is over budget.maxMonthlyUsd "
        f"({usd(max_monthly_usd)}); lower gpuPools[].maxNodes or budget.expectedGpuHours, use "
        "spot capacity, or raise budget.maxMonthlyUsd deliberately"
    ]


def unpriced(estimate: Estimate) -> tuple[Line, ...]:
    """The charges no price table or pricing rule covers: deploying would not price them (an
    input unknown until deployment would)."""
    return tuple(line for line in estimate.unknown if not line.deferred)


def unpriced_budget_findings(estimate: Estimate, max_monthly_usd: float) -> list[str]:
    """One finding per `unpriced` charge: with it, the expected cost is only a floor, which
    cannot show the budget is kept."""
    floor = usd(estimate.total.expected)
    return [
        f"{line.name}: {line.item} has no known price ({line.basis}), so the expected monthly "
        f"cost {floor} is only a floor and cannot be held to budget.maxMonthlyUsd "
        f"({usd(max_monthly_usd)}); {UNPRICED_FIX}"
        for line in unpriced(estimate)
    ]


def unpriced_findings(estimate: Estimate) -> list[str]:
    """One finding per charge with no known price: the estimate is a floor without it."""
    return [
        f"{line.name}: {line.item} is not priced ({line.basis}); the cost estimate is a floor "
        "without it"
        for line in estimate.unknown
    ]
