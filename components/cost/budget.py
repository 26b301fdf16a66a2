"""The budget guardrails: the expected monthly cost against `budget.maxMonthlyUsd`, and the
charges that have no known price. Shared by `mlplatform cost` and the policy pack's
`platform-monthly-cost-under-budget` and `platform-cost-fully-priced` rules."""

from __future__ import annotations

from mlplatform.cost.model import Estimate, usd


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
    """One finding per charge with no known price: the estimate is a floor without them."""
    return [
        f"{line.name}: {line.item} is not priced ({line.basis}); the cost estimate is a floor "
        "without it"
        for line in estimate.unknown
    ]
