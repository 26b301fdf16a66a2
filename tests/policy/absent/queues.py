"""Left-out cases for the rules of policies/mlplatform_policies/queues.py (Kueue)."""

from __future__ import annotations

from tests.policy.absent.common import left_out
from tests.policy.cases import (
    ANY_GPU_NODE,
    CLUSTER_QUEUE,
    COHORT,
    EKS_GPU,
    FLAVOR,
    POOL_KEY,
    QUEUED_STACK,
    QUOTAS,
    SELECTS,
    Case,
    cluster_queue,
    flavor,
    quota_groups,
    res,
)

UNNAMED_FLAVOR = res(FLAVOR, {"spec": {"nodeLabels": {POOL_KEY: "t4"}}}, "gpu-t4")
UNNAMED_QUEUE = res(CLUSTER_QUEUE, {"spec": {"resourceGroups": quota_groups({"t4": "8"})}}, "team")
UNNAMED_COHORT = res(COHORT, {"spec": {"resourceGroups": quota_groups({"t4": "2"})}}, "cohort")
IDLE_QUEUE = res(CLUSTER_QUEUE, {"metadata": {"name": "idle"}, "spec": {}}, "team-idle")
EMPTY_COHORT = res(COHORT, {"metadata": {"name": "gpus"}, "spec": {}}, "cohort")
RANDOM = "Pulumi names it {0}-<random suffix>"

CASES: list[Case] = [
    # Pulumi auto-names the flavor: the queue naming its logical name finds no flavor.
    left_out(
        SELECTS,
        FLAVOR,
        "metadata.name",
        [EKS_GPU, UNNAMED_FLAVOR, cluster_queue("training", {"gpu-t4": "8"})],
        [
            f"ResourceFlavor gpu-t4 has no metadata.name: {RANDOM.format('gpu-t4')}, so no queue "
            "can name it",
            "ClusterQueue training names flavor 'gpu-t4' (spec.resourceGroups[0].flavors[0].name), "
            "which no ResourceFlavor of the stack defines (no ResourceFlavor of the stack has a "
            "metadata.name); Kueue keeps the queue inactive (FlavorNotFound)",
        ],
    ),
    left_out(
        SELECTS,
        CLUSTER_QUEUE,
        "metadata.name",
        [EKS_GPU, flavor("t4", {POOL_KEY: "t4"}), UNNAMED_QUEUE],
        [
            f"ClusterQueue team has no metadata.name: {RANDOM.format('team')}, so no LocalQueue "
            "can name it in spec.clusterQueue"
        ],
    ),
    left_out(
        SELECTS,
        COHORT,
        "metadata.name",
        [EKS_GPU, flavor("t4", {POOL_KEY: "t4"}), UNNAMED_COHORT],
        [
            f"Cohort cohort has no metadata.name: {RANDOM.format('cohort')}, so no ClusterQueue "
            "can name it in spec.cohortName"
        ],
    ),
    # No node labels: Kueue admits the flavor's work onto any node.
    left_out(
        SELECTS,
        FLAVOR,
        "spec.nodeLabels",
        [*QUEUED_STACK, res(FLAVOR, {"metadata": {"name": "bare"}, "spec": {}}, "bare")],
        [
            'ResourceFlavor bare selects no GPU pool (no "mlplatform.io/pool" in spec.nodeLabels) '
            f"while the stack plans GPU pools (h100, t4): {ANY_GPU_NODE}"
        ],
    ),
    # No resource groups: the queue (or cohort) names no flavor and holds no quota.
    left_out(SELECTS, CLUSTER_QUEUE, "spec.resourceGroups", [*QUEUED_STACK, IDLE_QUEUE], []),
    left_out(SELECTS, COHORT, "spec.resourceGroups", [*QUEUED_STACK, EMPTY_COHORT], []),
    left_out(
        QUOTAS,
        CLUSTER_QUEUE,
        "spec.resourceGroups",
        [*QUEUED_STACK, cluster_queue("training", {"t4": "8"}), IDLE_QUEUE],
        [],
    ),
    left_out(
        QUOTAS,
        COHORT,
        "spec.resourceGroups",
        [*QUEUED_STACK, cluster_queue("training", {"t4": "8"}), EMPTY_COHORT],
        [],
    ),
]
"""Quota cases run with maxGpus 8 (tests/policy/cases.py QUEUES_CONFIG): the 8 GPUs of the
training queue are at the cap, the queue or cohort without groups adds none."""
