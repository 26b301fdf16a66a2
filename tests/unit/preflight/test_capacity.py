"""Preflight, capacity coherence: team GPU quotas against what the pools can schedule, the GPU
budget against the pools, and the monthly budget against the always-on minimum.

Sources of the facts tested (`mlplatform.catalog.limits.capacity`, and each price row's own
`source` in `catalog/prices/<cloud>.toml`):
- units per GPU with time-slicing / MPS: NVIDIA/k8s-device-plugin README.md @ cb6e45ec, "Shared
  Access to GPUs" (8 GPUs at 10 replicas advertise 80 nvidia.com/gpu);
- MIG instances per profile: NVIDIA/gpu-operator @ 0b0b6b15,
  assets/state-mig-manager/0400_configmap.yaml (`all-1g.5gb`: 7 on an A100-40GB);
- MIG devices served as nvidia.com/gpu under `migStrategy: single`: NVIDIA cloud-native docs,
  "MIG Support in Kubernetes" (2021-04-26); GKE: "each GPU partition appears as a regular GPU
  resource" (cloud.google.com/kubernetes-engine/docs/how-to/gpus-multi).
"""

from __future__ import annotations

from typing import Any

import pytest

from mlplatform.catalog.limits.capacity import GPU_RESOURCE
from mlplatform.catalog.pricing import price_book
from mlplatform.engine.plan import Plan
from mlplatform.environment import ConfigError, ConfigIssue, PlatformConfig, parse
from mlplatform.environment.preflight import capacity
from tests.conftest import ROOT, SHIPPED_STACKS
from tests.unit.preflight.specs import AWS, AZURE, GCP, LOCAL, TODAY, found, spec

AZURE_PROD = {**AZURE, "environment": "prod"}
FLOOR_FIX = "or raise budget.maxMonthlyUsd"
PRICE_FIX = (
    "add the price with its source and date to mlplatform's price table "
    "(catalog/prices/{cloud}.toml), or set budget.allowUnpriced: true to judge the budget on "
    "the priced charges alone"
)


def errors(values: dict[str, Any]) -> list[ConfigIssue]:
    return found(capacity.ERRORS, values)


def warnings(values: dict[str, Any]) -> list[ConfigIssue]:
    return found(capacity.WARNINGS, values)


def team(name: str, max_gpus: int) -> dict[str, Any]:
    return {"name": name, "maxGpus": max_gpus}


# ---- team quotas against the pools ------------------------------------------------------------


def test_a_team_quota_above_every_pool_at_its_maximum_is_refused() -> None:
    """A T4 pool of at most 2 one-GPU nodes advertises at most 2 nvidia.com/gpu (the device
    plugin advertises one per GPU without sharing: k8s-device-plugin README)."""
    values = {
        **AWS,
        "gpuPools": [{"name": "t4", "gpu": "T4", "maxNodes": 2}],
        "teams": [team("research", 3), team("serving", 2)],
    }
    assert errors(values) == [
        ConfigIssue(
            "teams[0].maxGpus",
            "is more than the GPU pools can ever schedule (2 nvidia.com/gpu: gpuPools[0] t4 "
            "2 x 1 GPU = 2), so it can never be reached; lower it to 2, or add a GPU pool or "
            "raise a pool's maxNodes or gpusPerNode",
            3,
        )
    ]


def test_time_slicing_replicas_count_as_schedulable_gpus() -> None:
    """Time-slicing at 4 replicas: each T4 advertises 4 nvidia.com/gpu ("8 GPUs ... would now
    advertise 80", replicas 10: k8s-device-plugin README); 2 nodes give 8, not 2."""
    pools = [
        {
            "name": "t4",
            "gpu": "T4",
            "maxNodes": 2,
            "sharing": {"mode": "time-slicing", "replicas": 4},
        }
    ]
    assert errors({**AWS, "gpuPools": pools, "teams": [team("research", 8)]}) == []
    assert errors({**AWS, "gpuPools": pools, "teams": [team("research", 9)]}) == [
        ConfigIssue(
            "teams[0].maxGpus",
            "is more than the GPU pools can ever schedule (8 nvidia.com/gpu: gpuPools[0] t4 "
            "2 x 1 GPU x 4 time-slicing replicas = 8), so it can never be reached; lower it to "
            "8, or add a GPU pool or raise a pool's maxNodes, gpusPerNode or sharing.replicas",
            9,
        )
    ]


def test_mig_instances_of_the_profile_count_as_schedulable_gpus() -> None:
    """An A100-40GB holds 7 x 1g.5gb (gpu-operator mig-parted `all-1g.5gb`), each served as
    nvidia.com/gpu (GKE: a partition "appears as a regular GPU resource"): 8 GPUs give 56."""
    pools = [
        {
            "name": "a100",
            "gpu": "A100-40GB",
            "gpusPerNode": 8,
            "maxNodes": 1,
            "sharing": {"mode": "mig", "migProfile": "1g.5gb"},
        }
    ]
    assert errors({**GCP, "gpuPools": pools, "teams": [team("research", 56)]}) == []
    assert errors({**GCP, "gpuPools": pools, "teams": [team("research", 57)]}) == [
        ConfigIssue(
            "teams[0].maxGpus",
            "is more than the GPU pools can ever schedule (56 nvidia.com/gpu: gpuPools[0] a100 "
            "1 x 8 GPUs x 7 MIG 1g.5gb instances = 56), so it can never be reached; lower it "
            "to 56, or add a GPU pool or raise a pool's maxNodes or gpusPerNode",
            57,
        )
    ]


def test_mig_instances_follow_the_gpu_model_of_the_shape() -> None:
    """An H100 is 80 GB or NVL 94 GB, with profiles of their own: Azure's
    Standard_NC40ads_H100_v5 carries the NVL, whose 2g.24gb fills it three times (gpu-operator
    mig-parted `all-2g.24gb`, "# H100 NVL"; catalog/data.py), not the seven of an unknown
    profile."""
    pools = [
        {
            "name": "h100",
            "gpu": "H100",
            "gpusPerNode": 1,
            "maxNodes": 1,
            "sharing": {"mode": "mig", "migProfile": "2g.24gb"},
        }
    ]
    assert errors({**AZURE_PROD, "gpuPools": pools, "teams": [team("research", 3)]}) == []
    assert errors({**AZURE_PROD, "gpuPools": pools, "teams": [team("research", 4)]}) == [
        ConfigIssue(
            "teams[0].maxGpus",
            "is more than the GPU pools can ever schedule (3 nvidia.com/gpu: gpuPools[0] h100 "
            "1 x 1 GPU x 3 MIG 2g.24gb instances = 3), so it can never be reached; lower it "
            "to 3, or add a GPU pool or raise a pool's maxNodes or gpusPerNode",
            4,
        )
    ]


def test_a_gpu_quota_without_any_gpu_pool_is_refused_on_a_cloud() -> None:
    """With no GPU pool no node advertises nvidia.com/gpu: a quota above 0 is never usable. On
    the kubernetes target the cluster's own GPU nodes are not in the spec: nothing to judge."""
    assert errors({**AWS, "teams": [team("research", 1), team("ops", 0)]}) == [
        ConfigIssue(
            "teams[0].maxGpus",
            "is a GPU quota, but gpuPools is empty: no node advertises nvidia.com/gpu, so the "
            "team's pods can never get a GPU; add a GPU pool, or set maxGpus: 0",
            1,
        )
    ]
    assert errors({**LOCAL, "teams": [team("research", 4)]}) == []


def test_quotas_that_together_oversubscribe_the_pools_are_a_warning() -> None:
    """Two quotas of 2 on pools of at most 3 GPUs: each reachable, not both at once (quotas
    are caps, not reservations, so this can be intended: a warning)."""
    pools = [{"name": "t4", "gpu": "T4", "maxNodes": 3}]
    assert warnings({**AWS, "gpuPools": pools, "teams": [team("a", 2), team("b", 1)]}) == []
    assert warnings({**AWS, "gpuPools": pools, "teams": [team("a", 2), team("b", 2)]}) == [
        ConfigIssue(
            "teams",
            "ask for 4 nvidia.com/gpu together (maxGpus summed), more than the GPU pools can "
            "schedule at once (3 nvidia.com/gpu: gpuPools[0] t4 3 x 1 GPU = 3); lower maxGpus "
            "or grow the pools, unless the teams are meant to share them",
            4,
        )
    ]


def test_the_quota_counts_the_resource_every_pool_advertises() -> None:
    """The team quota limits `requests.nvidia.com/gpu`, and every sharing mode's device plugin
    config advertises `nvidia.com/gpu`: time-slicing and MPS without renameByDefault (else
    `nvidia.com/gpu.shared`), MIG with migStrategy single (else `nvidia.com/mig-<profile>`;
    k8s-device-plugin README). Holding them equal is why no pool can advertise a resource the
    quota does not govern."""
    from mlplatform.kubernetes.gpu import pool_config
    from mlplatform.kubernetes.teams import GPU_QUOTA_KEY

    assert f"requests.{GPU_RESOURCE}" == GPU_QUOTA_KEY
    for mode in ("time-slicing", "mps"):
        config = pool_config(
            {"name": "p", "gpu": "T4", "sharing_mode": mode, "sharing_replicas": 2}
        )
        key = "timeSlicing" if mode == "time-slicing" else "mps"
        assert config["sharing"][key] == {"resources": [{"name": GPU_RESOURCE, "replicas": 2}]}
    mig = pool_config({"name": "p", "gpu": "H100", "sharing_mode": "mig", "mig_profile": "1g.10gb"})
    assert mig["flags"] == {"migStrategy": "single"}


# ---- the GPU budget against the pools ---------------------------------------------------------


def test_pools_that_can_grow_past_the_gpu_budget_are_refused() -> None:
    """budget.maxGpus caps the physical GPUs of every pool at its maximum (BudgetSpec)."""
    pools = [
        {"name": "a", "gpu": "T4", "maxNodes": 2},
        {"name": "b", "gpu": "T4", "gpusPerNode": 4, "maxNodes": 2},
    ]
    assert errors({**AWS, "gpuPools": pools, "budget": {"maxGpus": 10}}) == []
    assert errors({**AWS, "gpuPools": pools, "budget": {"maxGpus": 4}}) == [
        ConfigIssue(
            "gpuPools",
            "can grow to 10 GPUs (maxNodes x gpusPerNode summed), over budget.maxGpus (4); "
            "lower maxNodes or raise budget.maxGpus",
        )
    ]


# ---- the monthly budget against the always-on minimum -----------------------------------------


def test_a_budget_below_the_always_on_minimum_is_refused() -> None:
    """aws.toml, us-east-1: eks:cluster $0.1/h (infracost, 2025-07-07), ec2:m6i.large $0.096/h
    (karpenter-provider-aws zz_generated.pricing_aws.go, 2026-07-20), rds:db.t4g.medium
    $0.065/h (yeo/ec2.shop, 2024-09-28); x 730 h: 73.00 + 2 x 70.08 + 47.45 = 260.61."""
    values = {**AWS, "mlflow": {"enabled": True}}
    assert errors({**values, "budget": {"maxMonthlyUsd": 261}}) == []
    assert errors({**values, "budget": {"maxMonthlyUsd": 260}}) == [
        ConfigIssue(
            "budget.maxMonthlyUsd",
            "is below the always-on minimum: with every pool at its minimum the platform costs "
            "at least $260.61 a month (EKS control plane $73.00; cluster.systemPool 2 x "
            "m6i.large $140.16; mlflow.database db.t4g.medium $47.45; 730 h at mlplatform's "
            f"aws list prices); lower cluster.systemPool.minNodes, {FLOOR_FIX}",
            260.0,
        )
    ]


def test_a_gpu_pool_kept_warm_counts_at_its_spot_price_when_spot() -> None:
    """aws.toml, us-east-1: ec2:g4dn.xlarge $0.526/h on demand, $0.2039/h spot (karpenter
    zz_generated.pricing_aws.go, 2026-07-20): 383.98 or 148.85 a month per node."""
    warm = {"name": "t4", "gpu": "T4", "minNodes": 1, "maxNodes": 1}
    values = {**AWS, "cluster": {"systemPool": {"minNodes": 1}}, "budget": {"maxMonthlyUsd": 400}}
    assert errors({**values, "gpuPools": [{**warm, "spot": True}]}) == []
    assert errors({**values, "gpuPools": [warm]}) == [
        ConfigIssue(
            "budget.maxMonthlyUsd",
            "is below the always-on minimum: with every pool at its minimum the platform costs "
            "at least $527.06 a month (EKS control plane $73.00; cluster.systemPool 1 x "
            "m6i.large $70.08; gpuPools[0] 1 x g4dn.xlarge $383.98; 730 h at mlplatform's aws "
            "list prices); lower gpuPools[0].minNodes (0 scales it to zero when idle), set "
            f"gpuPools[0].spot: true, {FLOOR_FIX}",
            400.0,
        )
    ]


def test_a_gcp_floor_counts_the_cloud_sql_tier_per_vcpu_and_memory() -> None:
    """gcp.toml, us-central1: gke:cluster $0.1/h (infracost, 2026-07-01), gce:e2-standard-4
    $0.134023/h (Cyclenerd pricing.yml, 2026-07-30), cloudsql:vcpu $0.0413/h and
    cloudsql:memory $0.007/GB-h (infracost, 2024-07-01); db-custom-1-3840 is 1 vCPU, 3.75 GB."""
    values = {**GCP, "mlflow": {"enabled": True}, "budget": {"maxMonthlyUsd": 300}}
    assert errors(values) == [
        ConfigIssue(
            "budget.maxMonthlyUsd",
            "is below the always-on minimum: with every pool at its minimum the platform costs "
            "at least $317.98 a month (GKE cluster management fee $73.00; cluster.systemPool "
            "2 x e2-standard-4 $195.67; mlflow.database db-custom-1-3840 1 vCPU $30.15; "
            "mlflow.database db-custom-1-3840 3.75 GB memory $19.16; 730 h at mlplatform's gcp "
            f"list prices); lower cluster.systemPool.minNodes, {FLOOR_FIX}",
            300.0,
        )
    ]


def test_an_unpriced_always_on_charge_is_a_warning_unless_allowed() -> None:
    """One H100 resolves to p5.4xlarge on AWS, whose spot price is unknown in us-east-1
    (aws.toml: empty in every us-east-1 zone; tests/unit/test_cost.py KNOWN_GAPS). Kept at 0
    nodes it costs nothing."""
    pool = {"name": "h100", "gpu": "H100", "gpusPerNode": 1, "maxNodes": 1, "spot": True}
    values = {**AWS, "budget": {"maxMonthlyUsd": 100000}}
    assert warnings({**values, "gpuPools": [pool]}) == []
    warm = [{**pool, "minNodes": 1}]
    assert warnings({**values, "gpuPools": warm}) == [
        ConfigIssue(
            "gpuPools[0].gpu",
            "runs 1 x p5.4xlarge at every pool's minimum, but ec2:p5.4xlarge has no known "
            "spot price in us-east-1, so budget.maxMonthlyUsd is held to an always-on minimum "
            f"without it; {PRICE_FIX.format(cloud='aws')}",
            "H100",
        )
    ]
    allowed = {**AWS, "budget": {"maxMonthlyUsd": 100000, "allowUnpriced": True}}
    assert warnings({**allowed, "gpuPools": warm}) == []


def test_a_region_the_price_table_lacks_is_a_warning() -> None:
    """aws.toml prices us-east-1 only; without a budget nothing is judged."""
    values = {**AWS, "region": "eu-west-1"}
    assert warnings(values) == []
    assert warnings({**values, "budget": {"maxMonthlyUsd": 5000}}) == [
        ConfigIssue(
            "region",
            "has no prices in mlplatform's aws price table (it has us-east-1), so "
            "budget.maxMonthlyUsd cannot be held to the always-on minimum; "
            "add the prices with their source and date to mlplatform's price table "
            "(catalog/prices/aws.toml), or set budget.allowUnpriced: true to judge the budget "
            "on the priced charges alone",
            "eu-west-1",
        )
    ]
    assert errors({**values, "budget": {"maxMonthlyUsd": 1}}) == []


def floor_against_low(cfg: PlatformConfig, plan: Plan) -> tuple[float, float]:
    """The spec's always-on floor and the cost estimate's low figure for the same price rows;
    every charge the floor cannot price is unknown in the estimate too."""
    from mlplatform.cost import Assumptions, estimate_plan

    priced, unpriced = capacity.always_on_floor(cfg)
    skus = {charge.sku for charge, _ in priced} | {charge.sku for charge in unpriced}
    estimate = estimate_plan(plan, Assumptions.of(cfg))
    low = sum(
        line.monthly.low
        for line in estimate.lines
        if line.kind == "priced" and line.prices and line.prices[0].sku in skus
    )
    for charge in unpriced:
        assert any(charge.sku in line.basis for line in estimate.unknown), charge
    return round(sum(amount for _, amount in priced), 2), round(low, 2)


@pytest.mark.parametrize("stack", [s for s in SHIPPED_STACKS if s != "local"])
def test_the_floor_is_the_cost_estimates_low_figure_on_the_shipped_stacks(
    stack: str, shipped_plans: dict[str, Plan]
) -> None:
    """The spec's floor and `mlplatform cost`'s low figure read the same price rows for the
    control plane, the system pool, the database compute and the GPU nodes served models keep
    up (the prod stacks' reranker holds one A100 node): they agree to the cent on every
    shipped cloud stack, and leave the same charges unpriced, so the two cannot drift."""
    from mlplatform.engine.runner import stack_spec

    cfg = stack_spec(stack, ROOT)
    assert cfg is not None
    floor, low = floor_against_low(cfg, shipped_plans[stack])
    assert floor == low
    assert floor == SHIPPED_FLOORS[stack]


SHIPPED_FLOORS = {
    "aws-dev": 260.61,
    "aws-prod": 20495.52,
    "azure-dev": 397.12,
    "azure-prod": 30372.38,
    "gcp-dev": 317.98,
    "gcp-prod": 21918.49,
}
"""The shipped stacks' floors: control plane + system pool + database compute + the prod
stacks' A100 node the reranker keeps up (`mlplatform cost STACK`'s low figure for those lines;
azure-*'s database compute is unpriced)."""


@pytest.mark.parametrize(
    "values",
    [
        {
            **AWS,
            "gpuPools": [
                {"name": "t4", "gpu": "T4", "minNodes": 1, "maxNodes": 2, "spot": True},
                {"name": "l4", "gpu": "L4", "gpusPerNode": 4, "minNodes": 2, "maxNodes": 2},
            ],
        },
        {
            **GCP,
            "gpuPools": [
                {"name": "t4", "gpu": "T4", "minNodes": 1, "maxNodes": 2, "spot": True},
                {"name": "l4", "gpu": "L4", "minNodes": 1, "maxNodes": 1},
            ],
            "mlflow": {"enabled": True, "database": {"highAvailability": True}},
        },
        {
            **AZURE,
            "gpuPools": [{"name": "t4", "gpu": "T4", "minNodes": 1, "maxNodes": 2, "spot": True}],
        },
    ],
    ids=["aws", "gcp", "azure"],
)
def test_the_floor_is_the_cost_estimates_low_figure_with_warm_gpu_pools(
    values: dict[str, Any], plan_config: Any
) -> None:
    """GPU pools kept at a minimum: on-demand and spot node prices, GCP's N1 GPUs billed apart
    (no dated nvidia-tesla-t4 price: unknown in both), a Cloud SQL standby. aws: EKS $73.00 +
    2 x m6i.large + g4dn.xlarge spot + 2 x g6.12xlarge; gcp: GKE + 2 x e2-standard-4 +
    n1-standard-8 spot + g2-standard-8 + HA Cloud SQL vCPU and memory; azure: the free AKS
    tier + 2 x Standard_D4ds_v5 + Standard_NC4as_T4_v3 spot."""
    cfg = spec(values)
    floor, low = floor_against_low(cfg, plan_config(values))
    assert floor == low
    assert floor == WARM_FLOORS[cfg.target.value]


WARM_FLOORS = {"aws": 7080.35, "gcp": 1186.9, "azure": 730.81}


def test_the_shipped_stacks_keep_within_their_budgets() -> None:
    """No shipped stack breaks a capacity rule or warns (azure-* set allowUnpriced: the
    westeurope Flexible Server compute has no dated price)."""
    from mlplatform.engine.runner import stack_spec

    for stack in SHIPPED_STACKS:
        cfg = stack_spec(stack, ROOT)
        assert cfg is not None
        issues = [i for check in (*capacity.ERRORS, *capacity.WARNINGS) for i in check(cfg, TODAY)]
        assert issues == [], stack


def test_the_spec_refuses_a_budget_below_the_floor_and_an_unreachable_quota() -> None:
    """Through the spec's own validation (`mlplatform.environment.parse`): every problem at
    once, before any resource exists."""
    with pytest.raises(ConfigError) as caught:
        parse(
            {
                **AWS,
                "mlflow": {"enabled": True},
                "teams": [team("research", 1)],
                "budget": {"maxMonthlyUsd": 100},
            }
        )
    mine = [
        i for i in caught.value.issues if i.path in ("teams[0].maxGpus", "budget.maxMonthlyUsd")
    ]
    assert [str(i) for i in mine] == [
        "teams[0].maxGpus: 1 is a GPU quota, but gpuPools is empty: no node advertises "
        "nvidia.com/gpu, so the team's pods can never get a GPU; add a GPU pool, or set "
        "maxGpus: 0",
        "budget.maxMonthlyUsd: 100.0 is below the always-on minimum: with every pool at its "
        "minimum the platform costs at least $260.61 a month (EKS control plane $73.00; "
        "cluster.systemPool 2 x m6i.large $140.16; mlflow.database db.t4g.medium $47.45; 730 h "
        f"at mlplatform's aws list prices); lower cluster.systemPool.minNodes, {FLOOR_FIX}",
    ]


@pytest.mark.parametrize(
    ("environment", "standard", "charge"),
    [
        ("dev", False, ("AKS Free tier", "aks:free")),
        ("staging", False, ("AKS Free tier", "aks:free")),
        ("prod", True, ("AKS Standard tier", "aks:standard")),
    ],
)
def test_the_aks_tier_is_decided_once_for_the_cluster_and_the_floor(
    environment: str, standard: bool, charge: tuple[str, str]
) -> None:
    """`compose/azure.py` passes `standard_tier` and the floor prices the control plane from
    the one property: the Standard tier (uptime SLA) in prod, Free elsewhere."""
    cfg = spec({**AZURE, "environment": environment})
    assert cfg.aks_standard_tier is standard
    first = capacity.always_on(cfg)[0]
    assert (first.what, first.sku) == charge


def test_the_azure_floor_prices_the_standard_tier_in_prod() -> None:
    """azure.toml, westeurope: aks:standard $0.1/h (2026-05-05), vm:Standard_D4ds_v5 $0.272/h
    (azure-pricing-radar, 2026-08-22); postgres:Standard_D2ds_v5 has no westeurope price, so
    with a budget it warns unless allowUnpriced."""
    values = {**AZURE_PROD, "mlflow": {"enabled": True}, "budget": {"maxMonthlyUsd": 400}}
    assert errors(values) == [
        ConfigIssue(
            "budget.maxMonthlyUsd",
            "is below the always-on minimum: with every pool at its minimum the platform costs "
            "at least $470.12 a month (AKS Standard tier $73.00; cluster.systemPool 2 x "
            "Standard_D4ds_v5 $397.12; 730 h at mlplatform's azure list prices); lower "
            f"cluster.systemPool.minNodes, {FLOOR_FIX}",
            400.0,
        )
    ]
    assert warnings(values) == [
        ConfigIssue(
            "mlflow.database.instanceClass",
            "runs Standard_D2ds_v5 with a standby at every pool's minimum, but "
            "postgres:Standard_D2ds_v5 has no known price in westeurope, so "
            "budget.maxMonthlyUsd is held to an always-on minimum without it; "
            f"{PRICE_FIX.format(cloud='azure')}",
            "Standard_D2ds_v5",
        )
    ]
    assert price_book("azure").get("westeurope", "postgres:Standard_D2ds_v5") is None
