"""The deployment's critical path per shipped stack: network (or keys) -> cluster -> node pool
-> add-ons, with the database and everything else off it; and the longest-path arithmetic."""

from __future__ import annotations

import pytest

from mlplatform.checks.critical_path import (
    CLOUD_CHAIN,
    DURATIONS,
    IN_CLUSTER_CHAIN,
    critical_path,
    expected_chain,
    stage,
)
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
    "aws-dev": 21.9,
    "aws-prod": 24.9,
    "azure-dev": 17.4,
    "azure-prod": 20.4,
    "gcp-dev": 15.6,
    "gcp-prod": 18.6,
    "local": 3.4,
}
"""cluster + core add-ons (EKS) + a node pool + one release and what waits for it, and no
more: the monitoring release (the DCGM exporter installs beside the Prometheus operator) and
a ServiceMonitor, or, as long, Kueue's release (beside monitoring, not after it) and a team's
ClusterQueue and LocalQueue; on the prod stacks, which serve models, two releases: cert-manager
then KServe (its webhook's certificate needs cert-manager's CRDs; the CRD chart installs beside
cert-manager), a model's ServingRuntime and its InferenceService (3.0 min more). On an
existing cluster (local), the in-cluster PostgreSQL's rollout, then MLflow's migration and
server (3.4 min; the monitoring release and its ServiceMonitor take 3.3)."""
LAST = {
    "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
    "kubernetes:kueue.x-k8s.io/v1beta2:LocalQueue",
    "kubernetes:serving.kserve.io/v1beta1:InferenceService",
}
SERVING = {"aws-prod", "azure-prod", "gcp-prod"}
LOCAL_LAST = [
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:core/v1:Service",
    "kubernetes:core/v1:Secret",
    "kubernetes:batch/v1:Job",
    "kubernetes:apps/v1:Deployment",
]
"""The end of the local path: PostgreSQL ready, its Service, MLflow's credentials, migration,
server."""


@pytest.mark.parametrize("stack", SHIPPED_STACKS)
def test_the_critical_path_is_cluster_then_pools_then_add_ons(
    stack: str, shipped_plans: dict[str, Plan]
) -> None:
    plan = shipped_plans[stack]
    path = critical_path(plan)
    types = path.types
    assert path.minutes == MINUTES[stack]
    assert path.chain == expected_chain(plan.target)
    assert not DATABASES & set(types)
    if stack == "local":  # an existing cluster: only the in-cluster add-ons
        assert all(t.startswith("kubernetes:") for t in types)
        assert types[-5:] == LOCAL_LAST
        return
    assert types.count("kubernetes:helm.sh/v3:Release") == (2 if stack in SERVING else 1)
    assert types[-1] in LAST
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


def test_stages_name_the_chain_and_a_database_on_the_path_breaks_it() -> None:
    assert (
        expected_chain("aws") == CLOUD_CHAIN == ("foundations", "cluster", "node pool", "add-ons")
    )
    assert expected_chain("kubernetes") == IN_CLUSTER_CHAIN == ("add-ons",)
    assert [
        stage(t)
        for t in (
            "aws:ec2/subnet:Subnet",
            "gcp:kms/cryptoKey:CryptoKey",
            "aws:eks/addon:Addon",
            "gcp:container/nodePool:NodePool",
            "kubernetes:helm.sh/v3:Release",
            "aws:rds/instance:Instance",
        )
    ] == ["foundations", "foundations", "cluster", "node pool", "add-ons", "other"]
    subnet = res("subnet", "aws:ec2/subnet:Subnet")
    cluster = res("eks", "aws:eks/cluster:Cluster", deps=("aws:ec2/subnet:Subnet::subnet",))
    db = res("db", "aws:rds/instance:Instance", deps=("aws:eks/cluster:Cluster::eks",))
    path = critical_path(Plan("p", "s", "aws", [subnet, cluster, db]))
    assert path.chain == ("foundations", "cluster", "other")
    assert path.chain != expected_chain("aws")
