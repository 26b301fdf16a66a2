"""The deployment's critical path per shipped stack: network (or keys) -> cluster -> node pool
-> add-ons, with the database and everything else off it; and the longest-path arithmetic."""

from __future__ import annotations

import pytest

from mlplatform.checks.critical_path import DURATIONS, critical_path
from mlplatform.engine import Plan
from mlplatform.engine.plan import PlannedResource
from tests.conftest import SHIPPED_STACKS
from tests.helpers import planned

CLUSTERS = {
    "aws:eks/cluster:Cluster",
    "azure-native:containerservice:ManagedCluster",
    "gcp:container/cluster:Cluster",
}
POOLS = {
    "aws:eks/nodeGroup:NodeGroup",
    "azure-native:containerservice:AgentPool",
    "gcp:container/nodePool:NodePool",
}
DATABASES = {
    "aws:rds/instance:Instance",
    "azure-native:dbforpostgresql:Server",
    "gcp:sql/databaseInstance:DatabaseInstance",
}
MINUTES = {
    "aws-dev": 24.4,
    "aws-prod": 24.4,
    "azure-dev": 20.3,
    "azure-prod": 20.3,
    "gcp-dev": 18.5,
    "gcp-prod": 18.5,
    "local": 6.2,
}
"""cluster + core add-ons (EKS) + a node pool + the monitoring releases, and no more."""


@pytest.mark.parametrize("stack", SHIPPED_STACKS)
def test_the_critical_path_is_cluster_then_pools_then_add_ons(
    stack: str, shipped_plans: dict[str, Plan]
) -> None:
    path = critical_path(shipped_plans[stack])
    types = path.types
    assert path.minutes == MINUTES[stack]
    assert types[-1] == "kubernetes:helm.sh/v3:Release"
    assert not DATABASES & set(types)
    if stack == "local":  # an existing cluster: only the in-cluster add-ons
        assert all(t.startswith("kubernetes:") for t in types)
        return
    cluster = next(i for i, t in enumerate(types) if t in CLUSTERS)
    pool = next(i for i, t in enumerate(types) if t in POOLS)
    first_k8s = next(i for i, t in enumerate(types) if t.startswith("kubernetes:"))
    assert cluster < pool < first_k8s
    before = types[:cluster]
    assert not (POOLS | DATABASES) & set(before)
    assert not any(t.startswith("kubernetes:") for t in before)
    assert sum(s.minutes for s in path.steps) == pytest.approx(path.minutes)


def res(name: str, type_: str, deps: tuple[str, ...] = ()) -> PlannedResource:
    return planned(name, type_, dependencies=[f"urn:pulumi:s::p::{d}" for d in deps])


def test_a_needless_dependency_serializes_independent_work() -> None:
    cluster = res("eks", "aws:eks/cluster:Cluster")
    independent = res("db", "aws:rds/instance:Instance")
    serialized = res("db", "aws:rds/instance:Instance", deps=("aws:eks/cluster:Cluster::eks",))
    eks, rds = DURATIONS["aws:eks/cluster:Cluster"], DURATIONS["aws:rds/instance:Instance"]
    assert critical_path(Plan("p", "s", "aws", [cluster, independent])).minutes == max(
        eks.minutes, rds.minutes
    )
    chained = critical_path(Plan("p", "s", "aws", [cluster, serialized]))
    assert chained.minutes == eks.minutes + rds.minutes
    assert chained.types == ["aws:eks/cluster:Cluster", "aws:rds/instance:Instance"]


def test_every_duration_says_where_it_comes_from() -> None:
    assert all(d.minutes > 0 and d.basis for d in DURATIONS.values())
