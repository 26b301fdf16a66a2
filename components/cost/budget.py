"""The budget guardrails: the expected monthly cost against `budget.maxMonthlyUsd`, and the
charges that have no known price. Shared by `mlplatform cost` and the policy pack's
`platform-monthly-cost-under-budget` and `platform-cost-fully-priced` rules."""

from __future__ import annotations

from mlplatform.cost.model import Estimate


def usd(amount: float) -> str:
    """$1,234.56 (negative amounts as -$12.00)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def signed_usd(amount: float) -> str:
    """+$1,234.56 for a rise, -$12.00 for a fall, $0.00 for none."""
    return ("+" if amount > 0 else "") + usd(amount)


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


def unpriced_findings(estimate: Estimate) -> list[str]:
    """One finding per charge with no known price: the estimate is a floor until they have one."""
    return [
        f"{line.name}: {line.item} has no known price ({line.basis}); the cost estimate is a "
        "floor until it is added to the price table"
        for line in estimate.unknown
    ]
