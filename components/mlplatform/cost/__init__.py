"""Layer 6.2, the cost estimate: what a plan costs a month, from the price tables shipped in
`mlplatform.catalog` (`catalog/prices/`, read by `mlplatform.catalog.pricing`), as a range
from every pool at its minimum to every pool at its maximum, with an expected figure in
between. Prices that are not in the tables are unknown, never zero. Also
the budget guardrails (`budget`) and the views of an estimate and of a change's cost
(`views`).

Importable without Pulumi: the policy pack's budget rule uses it too.
"""

from __future__ import annotations

from mlplatform.catalog.pricing import (
    HOURS_PER_MONTH,
    Price,
    PriceBook,
    PriceTableError,
    price_book,
)
from mlplatform.cost.estimate import estimate, estimate_plan, from_plan
from mlplatform.cost.model import (
    Assumptions,
    CostResource,
    Estimate,
    Line,
    Monthly,
)

__all__ = [
    "HOURS_PER_MONTH",
    "Assumptions",
    "CostResource",
    "Estimate",
    "Line",
    "Monthly",
    "Price",
    "PriceBook",
    "PriceTableError",
    "estimate",
    "estimate_plan",
    "from_plan",
    "price_book",
]
