"""The budget: a stack's expected monthly cost, estimated from mlplatform's price tables
(`mlplatform cost`), stays within the configured cap; and every charge in the estimate has a
known price, so the figure is not a silent floor.

A charge with no known price fails the budget rule, naming it (the total is only a floor),
unless the rule's `allowUnpriced` is set; a charge unknown only until deployment leaves it not
evaluated. A floor already over the cap fails either way."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError

from mlplatform import defaults
from mlplatform.cost import HOURS_PER_MONTH, Assumptions, CostResource, Estimate, estimate
from mlplatform.cost.budget import (
    budget_findings,
    unpriced,
    unpriced_budget_findings,
    unpriced_findings,
)
from mlplatform.cost.context import UnknownInput
from mlplatform.cost.estimate import RULES as PRICED
from mlplatform_policies.gpu import (
    AKS_AUTOSCALING,
    AKS_COUNT,
    AKS_POOL,
    AUTOSCALING,
    EKS_NODE_GROUP,
    GKE_POOL,
    LOCATION,
    NODE_COUNT,
    NODE_LOCATIONS,
    S_EKS_INSTANCE_TYPES,
)
from mlplatform_policies.model import Absent, Config, Resource, Rule

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


def stack_estimate(
    resources: Sequence[Resource], config: Config, deferred: bool = True
) -> Estimate:
    """The stack's cost estimate, as `mlplatform cost` makes it, from the pack's view. A value
    unknown until deployment makes its charge unknown; with `deferred=False` it raises the
    policy SDK's `UnknownValueError` instead (the rule is then not evaluated)."""
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
    errors = (UnknownInput, UnknownValueError) if deferred else (UnknownInput,)
    return estimate(costed, "", assumptions, unknown_errors=errors)


def _budget(resources: Sequence[Resource], config: Config) -> Iterator[tuple[str, str]]:
    result = stack_estimate(resources, config)
    cap = float(config["maxMonthlyUsd"])
    costs = result.by_resource()
    top = max(costs, key=lambda urn: costs[urn].expected, default="")
    over = budget_findings(result, cap)
    gaps = () if config["allowUnpriced"] else unpriced(result)
    if over:
        yield from ((message, top) for message in over)
    elif gaps:
        yield from zip(unpriced_budget_findings(result, cap), (ln.urn for ln in gaps), strict=True)
    elif any(line.deferred for line in result.unknown):
        _not_evaluated(resources, config)


def _not_evaluated(resources: Sequence[Resource], config: Config) -> None:
    """Stop on the value the estimate could not know until deployment: estimating again lets
    the policy SDK's own error out, naming the property."""
    stack_estimate(resources, config, deferred=False)
    raise UnknownValueError(UNKNOWN_STRING_VALUE, [])  # an input the plan showed as unknown


def _priced(resources: Sequence[Resource], config: Config) -> Iterator[tuple[str, str]]:
    result = stack_estimate(resources, config)
    for message, line in zip(unpriced_findings(result), result.unknown, strict=True):
        yield message, line.urn


AKS_CLUSTER = "azure-native:containerservice:ManagedCluster"
GKE_CLUSTER = "gcp:container/cluster:Cluster"
CLOUD_SQL = "gcp:sql/databaseInstance:DatabaseInstance"
BUDGET_DEFAULTS = (
    NODE_LOCATIONS,
    LOCATION,
    AUTOSCALING,
    NODE_COUNT,
    Absent(
        GKE_CLUSTER,
        "removeDefaultNodePool",
        "false: the default node pool stays, initialNodeCount nodes a zone, and is priced",
        "pulumi-gcp 10.2.0 Cluster.removeDefaultNodePool: 'If true, deletes the default node "
        "pool upon cluster creation'",
        "unsafe",
    ),
    AKS_COUNT,
    AKS_AUTOSCALING,
    Absent(
        AKS_CLUSTER,
        "agentPoolProfiles[].count",
        "1 node",
        "https://learn.microsoft.com/javascript/api/@azure/arm-containerservice/"
        "managedclusteragentpoolprofileproperties (count: 'The default value is 1')",
        "unsafe",
    ),
    Absent(
        AKS_CLUSTER,
        "networkProfile.outboundType",
        "loadBalancer: a Standard Load Balancer and a public IP, both priced",
        "https://learn.microsoft.com/azure/aks/egress-outboundtype ('By default, AKS provisions "
        "a standard SKU load balancer to be set up and used for egress')",
        "unsafe",
    ),
    Absent(
        AKS_CLUSTER,
        "sku.tier",
        "Free: no management fee",
        "pulumi-azure-native 3.29.0 ManagedClusterSKU.tier: 'If not specified, the default is "
        "'Free''",
        "safe",
    ),
)
"""Left-out properties the estimator reads as the provider's default, for the budget: each
either adds what the provider adds (nodes, zones, a load balancer) or, where the provider's
result is not documented, prices at least one node (`stricter`)."""
PRICING_DEFAULTS = (
    Absent(
        GKE_POOL,
        "nodeConfig.machineType",
        "e2-medium, which mlplatform's price table does not price",
        "pulumi-gcp 10.2.0 NodePool nodeConfig.machineType: 'Defaults to e2-medium'",
        "unsafe",
    ),
    Absent(
        EKS_NODE_GROUP,
        "instanceTypes",
        "t3.medium, which mlplatform's price table does not price (a launch template's "
        "instanceType is not read by the estimator)",
        S_EKS_INSTANCE_TYPES,
        "unsafe",
    ),
    Absent(
        EKS_NODE_GROUP,
        "diskSize",
        "20 GiB gp2, which mlplatform's price table does not price",
        "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html "
        "(diskSize: 'The default disk size is 20 GiB for Linux and Bottlerocket'); the volume "
        "type is not stated there: gp2 as mlplatform cost assumes",
        "unsafe",
    ),
    Absent(
        AKS_POOL,
        "osDiskType",
        "Ephemeral if the VM size's cache disk holds it, else Managed: unknown until AKS picks",
        "pulumi-azure-native 3.29.0 AgentPool.osDiskType: 'The default is 'Ephemeral' if the VM "
        "supports it and has a cache disk larger than the requested OSDiskSizeGB. Otherwise, "
        "defaults to 'Managed''",
        "unsafe",
    ),
    Absent(
        CLOUD_SQL,
        "settings.edition",
        "ENTERPRISE_PLUS from POSTGRES_16, else ENTERPRISE: priced only when stated",
        "pulumi-gcp 10.2.0 DatabaseInstance settings.edition: 'If edition is not set, the Cloud "
        "SQL API determines the default based on database_version'",
        "unsafe",
    ),
)
"""Left-out properties whose default leaves a charge unpriced."""


RULES = (
    Rule(
        id="MLP-GOV-03",
        name="platform-monthly-cost-under-budget",
        description="The expected monthly cost (mlplatform cost), every charge priced, is within "
        "the budget.",
        enforcement="mandatory",
        severity="high",
        resource_types=tuple(PRICED),
        anchor="mlplatform",
        frameworks=(),
        remediation="Lower gpuPools[].maxNodes or budget.expectedGpuHours, use spot capacity, "
        "or raise budget.maxMonthlyUsd deliberately. A charge with no known price: add it, with "
        "source and date, to components/mlplatform/catalog/prices/<cloud>.toml, or set "
        "allowUnpriced (budget.allowUnpriced) to judge the priced charges alone. `mlplatform "
        "cost STACK` shows each charge.",
        stack_check=_budget,
        absent=BUDGET_DEFAULTS,
        requires="maxMonthlyUsd",
        config={
            "maxMonthlyUsd": {
                "type": ["number", "null"],
                "exclusiveMinimum": 0,
                "default": None,
                "description": "Monthly budget in USD (null: no cap; mlplatform check passes "
                "the stack's budget.maxMonthlyUsd).",
            },
            "allowUnpriced": {
                "type": "boolean",
                "default": False,
                "description": "Judge the budget on the priced charges alone: pass when they "
                "are within it although some charges have no known price (false: each such "
                "charge fails the rule, as the total is only a floor; mlplatform check passes "
                "the stack's budget.allowUnpriced).",
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
        "(components/mlplatform/catalog/prices/<cloud>.toml); make this rule mandatory to refuse "
        "unpriced resources.",
        stack_check=_priced,
        absent=PRICING_DEFAULTS,
        config=ASSUMPTIONS,
    ),
)
