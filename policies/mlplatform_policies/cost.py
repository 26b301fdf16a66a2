"""The budget: a stack's expected monthly cost, estimated from mlplatform's price tables
(`mlplatform cost`), stays within the configured cap; and every charge in the estimate has a
known price, so the figure is not a silent floor."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from pulumi_policy.proxy import UnknownValueError

from mlplatform import defaults
from mlplatform.cost import HOURS_PER_MONTH, Assumptions, CostResource, Estimate, estimate
from mlplatform.cost.budget import budget_findings, unpriced_findings
from mlplatform.cost.context import UnknownInput
from mlplatform.cost.estimate import RULES as PRICED
from mlplatform_policies.model import Config, Resource, Rule

ASSUMPTIONS: dict[str, dict[str, Any]] = {
    "expectedGpuHours": {
        "type": "number",
        "minimum": 0,
        "maximum": int(HOURS_PER_MONTH),
        "default": defaults.EXPECTED_GPU_HOURS,
        "description": "Hours a month each GPU node above its pool's minimum runs.",
    },
    "expectedStorageGb": {
        "type": "number",
        "minimum": 0,
        "default": defaults.EXPECTED_STORAGE_GB,
        "description": "GB assumed in each object store.",
    },
    "expectedRegistryGb": {
        "type": "number",
        "minimum": 0,
        "default": defaults.EXPECTED_REGISTRY_GB,
        "description": "GB of images assumed in each container registry.",
    },
    "region": {
        "type": ["string", "null"],
        "default": None,
        "description": "Region to price in where the plan names none (null: the resources' "
        "own or their provider's region).",
    },
}
"""The estimate's assumptions, as rule config (mlplatform check passes the stack's budget.*)."""


def stack_estimate(resources: Sequence[Resource], config: Config) -> Estimate:
    """The stack's cost estimate, as `mlplatform cost` makes it, from the pack's view."""
    assumptions = Assumptions.from_config(config)
    costed = [
        CostResource(
            type=r.type,
            urn=r.urn,
            name=r.name,
            inputs=r.props,
            region=r.provider_region,
            property_dependencies=r.property_dependencies,
            custom=None,
        )
        for r in resources
        if not r.type.startswith("pulumi:providers:")
    ]
    return estimate(costed, "", assumptions, unknown_errors=(UnknownInput, UnknownValueError))


def _budget(resources: Sequence[Resource], config: Config) -> Iterator[tuple[str, str]]:
    result = stack_estimate(resources, config)
    costs = result.by_resource()
    top = max(costs, key=lambda urn: costs[urn].expected, default="")
    for message in budget_findings(result, float(config["maxMonthlyUsd"])):
        yield message, top


def _priced(resources: Sequence[Resource], config: Config) -> Iterator[tuple[str, str]]:
    result = stack_estimate(resources, config)
    for message, line in zip(unpriced_findings(result), result.unknown, strict=True):
        yield message, line.urn


RULES = (
    Rule(
        id="MLP-GOV-03",
        name="platform-monthly-cost-under-budget",
        description="The expected monthly cost (mlplatform cost) is within the budget.",
        enforcement="mandatory",
        severity="high",
        resource_types=tuple(PRICED),
        anchor="mlplatform",
        frameworks=(),
        remediation="Lower gpuPools[].maxNodes or budget.expectedGpuHours, use spot capacity, "
        "or raise budget.maxMonthlyUsd deliberately; `mlplatform cost STACK` shows each charge.",
        stack_check=_budget,
        requires="maxMonthlyUsd",
        config={
            "maxMonthlyUsd": {
                "type": ["number", "null"],
                "exclusiveMinimum": 0,
                "default": None,
                "description": "Monthly budget in USD (null: no cap; mlplatform check passes "
                "the stack's budget.maxMonthlyUsd).",
            },
            **ASSUMPTIONS,
        },
    ),
    Rule(
        id="MLP-GOV-04",
        name="platform-cost-fully-priced",
        description="Every charge in the cost estimate has a known price, so the budget check "
        "is not judged on a floor.",
        enforcement="advisory",
        severity="medium",
        resource_types=tuple(PRICED),
        anchor="mlplatform",
        frameworks=(),
        remediation="Add the missing prices, with source and date, to mlplatform's price table "
        "(components/cost/prices/<cloud>.toml); make this rule mandatory to refuse unpriced "
        "resources.",
        stack_check=_priced,
        config=ASSUMPTIONS,
    ),
)
