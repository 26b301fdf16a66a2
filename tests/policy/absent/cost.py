"""Left-out cases for the rules of policies/mlplatform_policies/cost.py: the estimator
(components/mlplatform/cost) reads each left-out property as the provider's default, and the
budget (tests/policy/cases.py COST_CONFIG) sits between the figure with the default and the one
without it, so the verdict shows which one the rule used.

Prices: a3-highgpu-8g $88.49/h and e2-standard-4 $0.134012/h in us-central1 with a 100 GB
pd-balanced boot disk ($0.10/GB-month); Standard_NC4as_T4_v3 $0.658/h and Standard_D4ds_v5
$0.272/h in westeurope; a Standard Load Balancer $0.025/h and its public IP $0.005/h."""

from __future__ import annotations

from typing import Any

from tests.policy.absent.common import left_out
from tests.policy.cases import AKS, GKE, NG, NP, POOL, SQL, Case, res

BUDGET = "platform-monthly-cost-under-budget"
PRICED = "platform-cost-fully-priced"
OVER = (
    "expected monthly cost {} is over budget.maxMonthlyUsd ({}); lower gpuPools[].maxNodes or "
    "budget.expectedGpuHours, use spot capacity, or raise budget.maxMonthlyUsd deliberately"
)
FLOOR = "the cost estimate is a floor without it"
H100_NODE: dict[str, Any] = {
    "machineType": "a3-highgpu-8g",
    "guestAccelerators": [{"type": "nvidia-h100-80gb", "count": 8}],
}
PER_ZONE_0_1 = {"autoscaling": {"minNodeCount": 0, "maxNodeCount": 1}}
CPU_NODE = {"machineType": "e2-standard-4"}
WESTEUROPE = {"location": "westeurope", "osDiskType": "Ephemeral"}
T4_POOL = {"vmSize": "Standard_NC4as_T4_v3", **WESTEUROPE}
NO_OUTBOUND_LB = {"outboundType": "userDefinedRouting"}


def over(expected: str, budget: str) -> list[str]:
    return [OVER.format(expected, budget)]


def gke_pool(pool: dict[str, Any], node: dict[str, Any], name: str = "gke-gpu") -> Any:
    return res(NP, {**pool, "nodeConfig": node}, name=name)


CASES: list[Case] = [
    # The cluster's 3 zones: 0-3 a3 nodes, 3 x 160 h x $88.49 + disks = $42,481.78 (one zone:
    # $14,160.59, within the $15,000 budget).
    left_out(
        BUDGET,
        NP,
        "nodeLocations",
        [gke_pool({"location": "us-central1", **PER_ZONE_0_1}, H100_NODE)],
        over("$42,481.78", "$15,000.00"),
    ),
    # No location either: priced as a region of 3 zones.
    left_out(
        BUDGET,
        NP,
        "location",
        [gke_pool(PER_ZONE_0_1, H100_NODE)],
        over("$42,481.78", "$15,000.00"),
    ),
    # No autoscaler: 2 e2-standard-4 all month, 2 x ($97.83 + $10.00 disk) = $215.67.
    left_out(
        BUDGET,
        NP,
        "autoscaling",
        [gke_pool({"location": "us-central1-a", "nodeCount": 2}, CPU_NODE, "cpu")],
        over("$215.67", "$100.00"),
    ),
    # No size at all: priced as 1 node (GKE's result is not documented), $107.84.
    left_out(
        BUDGET,
        NP,
        "nodeCount",
        [gke_pool({"location": "us-central1-a"}, CPU_NODE, "cpu")],
        over("$107.84", "$50.00"),
    ),
    # The default pool is kept: 1 e2-standard-4 beside the $73.00 management fee.
    left_out(
        BUDGET,
        GKE,
        "removeDefaultNodePool",
        [
            res(
                GKE,
                {"location": "us-central1-a", "initialNodeCount": 1, "nodeConfig": CPU_NODE},
                "gke",
            )
        ],
        over("$180.84", "$100.00"),
    ),
    # count 1: one T4 node all month, 730 h x $0.658.
    left_out(BUDGET, POOL, "count", [res(POOL, T4_POOL, "aks-gpu")], over("$480.34", "$100.00")),
    # No autoscaler: count 2 all month ($960.68), not 0-3 on demand ($315.84).
    left_out(
        BUDGET,
        POOL,
        "enableAutoScaling",
        [res(POOL, {**T4_POOL, "count": 2, "minCount": 0, "maxCount": 3}, "aks-gpu")],
        over("$960.68", "$500.00"),
    ),
    left_out(
        BUDGET,
        AKS,
        "agentPoolProfiles[].count",
        [
            res(
                AKS,
                {
                    "location": "westeurope",
                    "networkProfile": NO_OUTBOUND_LB,
                    "agentPoolProfiles": [
                        {"name": "system", "vmSize": "Standard_D4ds_v5", "osDiskType": "Ephemeral"}
                    ],
                },
                "aks",
            )
        ],
        over("$198.56", "$100.00"),
    ),
    # The outbound Standard Load Balancer and its public IP: $18.25 + $3.65.
    left_out(
        BUDGET,
        AKS,
        "networkProfile.outboundType",
        [res(AKS, {"location": "westeurope", "sku": {"tier": "Free"}}, "aks")],
        over("$21.90", "$1.00"),
    ),
    # The Free tier: no charge.
    left_out(
        BUDGET,
        AKS,
        "sku.tier",
        [res(AKS, {"location": "westeurope", "networkProfile": NO_OUTBOUND_LB}, "aks")],
        [],
    ),
    left_out(
        PRICED,
        NP,
        "nodeConfig.machineType",
        # nodeConfig holds another field: an empty one reads as no nodeConfig at all.
        [gke_pool({"location": "us-central1-a", "nodeCount": 1}, {"diskSizeGb": 100}, "cpu")],
        [
            "cpu: 1 x e2-medium (on-demand) is not priced (no price for gce:e2-medium in "
            f"us-central1 in the gcp price table); {FLOOR}"
        ],
    ),
    left_out(
        PRICED,
        NG,
        "instanceTypes",
        [res(NG, {"scalingConfig": {"minSize": 1, "maxSize": 2}, "diskSize": 20}, "cpu")],
        [
            "cpu: 1-2 x t3.medium (on-demand) is not priced (no price for ec2:t3.medium in "
            f"us-east-1 in the aws price table); {FLOOR}",
            "cpu: 1-2 x 20 GB gp2 disk is not priced (no price for ebs:gp2 in us-east-1 in the "
            f"aws price table); {FLOOR}",
        ],
    ),
    left_out(
        PRICED,
        NG,
        "diskSize",
        [
            res(
                NG,
                {"instanceTypes": ["m6i.large"], "scalingConfig": {"minSize": 1, "maxSize": 2}},
                "cpu",
            )
        ],
        [
            "cpu: 1-2 x 20 GB gp2 disk is not priced (no price for ebs:gp2 in us-east-1 in the "
            f"aws price table); {FLOOR}"
        ],
    ),
    left_out(
        PRICED,
        POOL,
        "osDiskType",
        [res(POOL, {"vmSize": "Standard_D4ds_v5", "count": 1, "location": "westeurope"}, "pool")],
        [
            "pool: 1 x OS disk is not priced (osDiskType and osDiskSizeGB not both set: AKS picks "
            f"the OS disk by VM size); {FLOOR}"
        ],
    ),
    left_out(
        PRICED,
        SQL,
        "settings.edition",
        [res(SQL, {"region": "us-central1", "settings": {"tier": "db-custom-2-7680"}}, "sql")],
        [
            "sql: gcp:sql/databaseInstance:DatabaseInstance is not priced (input edition is not "
            f"set); {FLOOR}"
        ],
    ),
]
