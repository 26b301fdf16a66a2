"""Queued GPU jobs per team (Kueue, `scheduling`): the queue plan the spec makes, the objects
`GpuQueues` creates from it on every target, the teams' ResourceQuota ceilings, and the spec's
refusals."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from mlplatform.engine import Plan
from mlplatform.environment import ConfigError, parse
from mlplatform.environment.model import PlatformConfig
from mlplatform.environment.preflight import capacity
from mlplatform.environment.queues import queue_plan, quota_ceilings
from tests.conftest import PlanConfig
from tests.helpers import depends_on, one
from tests.unit.preflight.specs import AWS, AZURE, GCP, LOCAL, TODAY

KUEUE = "kubernetes:kueue.x-k8s.io/v1beta2:"
QUOTA = "kubernetes:core/v1:ResourceQuota"
TOLERATE_GPU = {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}
ON = {"enabled": True}
PROD_POOLS = [
    {"name": "h100", "gpu": "H100", "gpusPerNode": 8, "maxNodes": 2},
    {"name": "a100", "gpu": "A100-80GB", "gpusPerNode": 8, "maxNodes": 2},
]
PROD_TEAMS = [{"name": "training", "maxGpus": 16}, {"name": "inference", "maxGpus": 8}]


def spec(values: dict[str, Any]) -> PlatformConfig:
    return PlatformConfig.model_validate(values)


def issues(values: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse(values)
    return [str(issue) for issue in caught.value.issues]


def gpu_quotas(queue: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A ClusterQueue's or Cohort's nvidia.com/gpu quota per flavor."""
    return {
        flavor["name"]: {k: v for k, v in flavor["resources"][0].items() if k != "name"}
        for group in queue["spec"]["resourceGroups"]
        for flavor in group["flavors"]
    }


# ---- the queue plan ---------------------------------------------------------------------------


def test_each_team_is_allotted_its_max_gpus_from_the_pools_in_order_the_cohort_keeps_the_rest():
    plan = queue_plan(spec({**AWS, "gpuPools": PROD_POOLS, "teams": PROD_TEAMS, "scheduling": ON}))
    assert plan is not None
    assert [(f.name, f.capacity) for f in plan.flavors] == [("h100", 16), ("a100", 16)]
    assert {q.team: q.quotas for q in plan.teams} == {
        "training": {"h100": 16, "a100": 0},
        "inference": {"h100": 0, "a100": 8},
    }
    assert plan.shared == {"a100": 8}
    assert plan.unallotted == {}
    # No borrowing limit: a team could be admitted every GPU of the pools.
    assert {q.team: q.ceiling for q in plan.teams} == {"training": 32, "inference": 32}


def test_a_team_spans_pools_when_one_cannot_hold_its_quota_and_limits_bound_its_ceiling():
    teams = [
        {"name": "a", "maxGpus": 20, "borrowingLimit": 2, "lendingLimit": 4},
        {"name": "b", "maxGpus": 4, "borrowingLimit": 0},
    ]
    plan = queue_plan(spec({**AWS, "gpuPools": PROD_POOLS, "teams": teams, "scheduling": ON}))
    assert plan is not None
    a, b = plan.teams
    assert a.quotas == {"h100": 16, "a100": 4}
    assert b.quotas == {"h100": 0, "a100": 4}
    assert plan.shared == {"a100": 8}
    assert (a.lending_on("h100"), a.lending_on("a100")) == (4, 4)
    # quota + borrowing limit per pool, within the pool: 16 + min(16, 4 + 2) = 22
    assert (a.ceiling, b.ceiling) == (22, 4)


def test_shared_gpus_count_what_a_pool_advertises_and_an_unreachable_quota_is_reported():
    pools = [
        {
            "name": "t4",
            "gpu": "T4",
            "maxNodes": 2,
            "sharing": {"mode": "time-slicing", "replicas": 4},
        }
    ]
    teams = [{"name": "a", "maxGpus": 6}, {"name": "b", "maxGpus": 4}]
    plan = queue_plan(spec({**AWS, "gpuPools": pools, "teams": teams, "scheduling": ON}))
    assert plan is not None
    assert plan.flavors[0].capacity == 8  # 2 nodes x 1 GPU x 4 time-slicing replicas
    assert [q.quotas for q in plan.teams] == [{"t4": 6}, {"t4": 2}]
    assert plan.unallotted == {"b": 2}
    assert plan.shared == {}


@pytest.mark.parametrize(
    ("values", "label", "tolerations"),
    [
        (AWS, ("eks.amazonaws.com/capacityType", "SPOT"), [TOLERATE_GPU]),
        (GCP, ("cloud.google.com/gke-spot", "true"), [TOLERATE_GPU]),
        (
            AZURE,
            ("kubernetes.azure.com/scalesetpriority", "spot"),
            [
                TOLERATE_GPU,
                {
                    "key": "kubernetes.azure.com/scalesetpriority",
                    "value": "spot",
                    "effect": "NoSchedule",
                    "operator": "Equal",
                },
            ],
        ),
    ],
)
def test_a_spot_pool_flavor_selects_the_clouds_spot_label_and_tolerates_its_taint(
    values: dict[str, Any], label: tuple[str, str], tolerations: list[dict[str, str]]
) -> None:
    pools = [{"name": "l4spot", "gpu": "L4", "spot": True}]
    if values is AWS:
        pools = [{"name": "t4spot", "gpu": "T4", "spot": True}]
    if values is AZURE:
        pools = [{"name": "t4spot", "gpu": "T4", "spot": True}]
    plan = queue_plan(spec({**values, "gpuPools": pools, "scheduling": ON}))
    assert plan is not None
    (flavor,) = plan.flavors
    assert flavor.node_labels == {
        "mlplatform.io/gpu": pools[0]["gpu"],
        "mlplatform.io/pool": pools[0]["name"],
        label[0]: label[1],
    }
    assert flavor.tolerations == tolerations


def test_an_existing_cluster_has_one_flavor_of_its_gpu_nodes_and_quotas_are_max_gpus():
    teams = [{"name": "a", "maxGpus": 3}, {"name": "b", "maxGpus": 2, "borrowingLimit": 1}]
    plan = queue_plan(spec({**LOCAL, "teams": teams, "scheduling": ON}))
    assert plan is not None
    (flavor,) = plan.flavors
    assert (flavor.name, flavor.node_labels, flavor.capacity) == (
        "gpu",
        {"nvidia.com/gpu.present": "true"},
        None,
    )
    assert [q.quotas for q in plan.teams] == [{"gpu": 3}, {"gpu": 2}]
    assert plan.shared == {}
    # Unknown capacity: at most every team's quota (5); b borrows at most 1.
    assert [q.ceiling for q in plan.teams] == [5, 3]


def test_with_scheduling_off_there_is_no_queue_and_the_quota_is_max_gpus():
    cfg = spec({**AWS, "gpuPools": PROD_POOLS, "teams": PROD_TEAMS})
    assert queue_plan(cfg) is None
    assert quota_ceilings(cfg) == {"training": 16, "inference": 8}


# ---- the spec's refusals ---------------------------------------------------------------------


def test_queue_limits_need_scheduling_and_a_team_lends_only_what_it_is_guaranteed():
    teams = [{"name": "a", "maxGpus": 1, "borrowingLimit": 2, "lendingLimit": 3}]
    pools = [{"name": "t4", "gpu": "T4", "maxNodes": 4}]
    assert issues({**AWS, "gpuPools": pools, "teams": teams}) == [
        "teams[0].borrowingLimit: 2 limits a Kueue queue, but scheduling is off; set "
        "scheduling.enabled: true or remove it",
        "teams[0].lendingLimit: 3 limits a Kueue queue, but scheduling is off; set "
        "scheduling.enabled: true or remove it",
        "teams[0].lendingLimit: 3 is more than the team's maxGpus (1): a team lends only GPUs "
        "it is guaranteed; use at most 1",
    ]


def test_with_scheduling_on_quotas_the_pools_cannot_all_hold_are_refused_not_warned():
    teams = [{"name": "a", "maxGpus": 2}, {"name": "b", "maxGpus": 2}]
    values = {**AWS, "gpuPools": [{"name": "t4", "gpu": "T4", "maxNodes": 3}], "teams": teams}
    off = spec(values)
    on = spec({**values, "scheduling": ON})
    warned = [str(i) for i in capacity.team_quotas_oversubscribed(off, TODAY)]
    assert len(warned) == 1
    assert [str(i) for i in capacity.team_quotas_oversubscribed(on, TODAY)] == []
    assert [str(i) for i in capacity.team_quotas_unguaranteed(off, TODAY)] == []
    assert [str(i) for i in capacity.team_quotas_unguaranteed(on, TODAY)] == [
        "teams: ask for 4 nvidia.com/gpu together (maxGpus summed), more than the GPU pools can "
        "schedule (3 nvidia.com/gpu: gpuPools[0] t4 3 x 1 GPU = 3); with scheduling on, Kueue "
        "guarantees each team its maxGpus, so lower maxGpus or grow the pools (a team borrows "
        "idle GPUs beyond its own anyway)"
    ]
    assert "teams: ask for 4" in " ".join(issues({**values, "scheduling": ON}))


def test_scheduling_settings_are_checked_with_the_field_path():
    found = issues(
        {
            **LOCAL,
            "scheduling": {
                "enabled": True,
                "cohort": "GPUs",
                "preemption": {"reclaimWithinCohort": "Sometimes"},
                "frameworks": ["batch/job", "pod"],
            },
        }
    )
    assert [f.split(":")[0] for f in found] == [
        "scheduling.cohort",
        "scheduling.preemption.reclaimWithinCohort",
        "scheduling.frameworks[1]",
    ]


def test_a_queue_that_preempts_to_borrow_but_never_to_reclaim_is_refused_as_kueue_does():
    preemption = {"reclaimWithinCohort": "Never", "borrowWithinCohort": "LowerPriority"}
    assert issues({**LOCAL, "scheduling": {"enabled": True, "preemption": preemption}}) == [
        "scheduling.preemption.borrowWithinCohort: 'LowerPriority' preempts other teams to "
        "borrow while reclaimWithinCohort is Never, which Kueue refuses; set "
        "borrowWithinCohort: Never or reclaimWithinCohort: LowerPriority"
    ]
    preemption["reclaimWithinCohort"] = "LowerPriority"
    parse({**LOCAL, "scheduling": {"enabled": True, "preemption": preemption}})


# ---- the objects ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def prod(shipped_plans: dict[str, Plan]) -> Plan:
    return shipped_plans["aws-prod"]


def test_kueue_comes_from_its_pinned_chart_with_the_platforms_configuration(prod: Plan) -> None:
    release = one(prod, "kubernetes:helm.sh/v3:Release", "-queues-release")
    namespace = one(prod, "kubernetes:core/v1:Namespace", "-queues-namespace")
    assert (release.inputs["chart"], release.inputs["version"]) == (
        "oci://registry.k8s.io/kueue/charts/kueue",
        "0.17.0",
    )
    assert "repositoryOpts" not in release.inputs
    assert release.inputs["namespace"] == "kueue-system"
    assert namespace.inputs["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == (
        "restricted"
    )
    values = release.inputs["values"]
    assert values["controllerManager"] == {
        "replicas": 2,
        "podDisruptionBudget": {"enabled": True, "minAvailable": 1},
        "manager": {
            "image": {
                "repository": "registry.k8s.io/kueue/kueue",
                "tag": "v0.17.0",
                "pullPolicy": "IfNotPresent",
            }
        },
    }
    # The chart's own ServiceMonitor would make the release wait for the monitoring stack.
    assert values["enablePrometheus"] is False
    assert "metricsService" not in values
    monitoring = one(prod, "kubernetes:helm.sh/v3:Release", "-monitoring-prometheus")
    assert not depends_on(release, monitoring)
    monitor = one(prod, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "-queues-metrics")
    assert depends_on(monitor, monitoring) and depends_on(monitor, release)
    assert monitor.inputs["metadata"]["name"] == "kueue-controller-manager-metrics-monitor"
    assert monitor.inputs["metadata"]["namespace"] == "kueue-system"
    assert monitor.inputs["spec"] == {
        "selector": {
            "matchLabels": {
                "app.kubernetes.io/name": "kueue",
                "app.kubernetes.io/instance": "kueue",
                "app.kubernetes.io/component": "metrics-service",
            }
        },
        "endpoints": [
            {
                "path": "/metrics",
                "port": "https",
                "scheme": "https",
                "bearerTokenFile": "/var/run/secrets/kubernetes.io/serviceaccount/token",
                "tlsConfig": {"insecureSkipVerify": True},
            }
        ],
    }
    config = yaml.safe_load(values["managerConfig"]["controllerManagerConfigYaml"])
    assert config["manageJobsWithoutQueueName"] is True
    assert config["managedJobsNamespaceSelector"] == {
        "matchLabels": {
            "app.kubernetes.io/component": "team",
            "app.kubernetes.io/part-of": "mlplatform",
        }
    }
    assert config["integrations"] == {
        "frameworks": [
            "batch/job",
            "jobset.x-k8s.io/jobset",
            "ray.io/rayjob",
            "kubeflow.org/pytorchjob",
        ]
    }
    assert config["resources"] == {
        "excludeResourcePrefixes": ["cpu", "memory", "ephemeral-storage", "hugepages-"]
    }
    assert config["metrics"] == {"bindAddress": ":8443", "enableClusterQueueResources": True}


def test_every_team_namespace_carries_the_labels_kueue_manages(prod: Plan) -> None:
    for team in ("training", "inference"):
        namespace = one(prod, "kubernetes:core/v1:Namespace", f"-team-{team}-namespace")
        labels = namespace.inputs["metadata"]["labels"]
        assert labels["app.kubernetes.io/component"] == "team"
        assert labels["app.kubernetes.io/part-of"] == "mlplatform"


def test_flavors_cohort_and_team_queues_of_the_prod_stack(prod: Plan) -> None:
    release = one(prod, "kubernetes:helm.sh/v3:Release", "-queues-release")
    h100 = one(prod, f"{KUEUE}ResourceFlavor", "-flavor-h100")
    assert h100.inputs["metadata"]["name"] == "h100"
    assert h100.inputs["spec"] == {
        "nodeLabels": {"mlplatform.io/gpu": "H100", "mlplatform.io/pool": "h100"},
        "tolerations": [TOLERATE_GPU],
    }
    cohort = one(prod, f"{KUEUE}Cohort")
    assert cohort.inputs["metadata"]["name"] == "gpus"
    assert gpu_quotas(cohort.inputs) == {"a100": {"nominalQuota": "8"}}
    training = one(prod, f"{KUEUE}ClusterQueue", "-team-training")
    assert training.inputs["metadata"]["name"] == "training"
    spec_ = training.inputs["spec"]
    assert spec_["cohortName"] == "gpus"
    assert spec_["namespaceSelector"] == {
        "matchLabels": {"kubernetes.io/metadata.name": "training"}
    }
    assert spec_["preemption"] == {
        "reclaimWithinCohort": "Any",
        "withinClusterQueue": "LowerPriority",
        "borrowWithinCohort": {"policy": "Never"},
    }
    assert spec_["resourceGroups"][0]["coveredResources"] == ["nvidia.com/gpu"]
    assert gpu_quotas(training.inputs) == {
        "h100": {"nominalQuota": "16"},
        "a100": {"nominalQuota": "0"},
    }
    local = one(prod, f"{KUEUE}LocalQueue", "-team-training-queue")
    assert local.inputs["metadata"]["name"] == "default"
    assert local.inputs["metadata"]["namespace"] == "training"
    assert local.inputs["spec"] == {"clusterQueue": "training"}
    namespace = one(prod, "kubernetes:core/v1:Namespace", "-team-training-namespace")
    for resource in (h100, cohort, training, local):
        assert depends_on(resource, release), resource.name
    assert depends_on(training, namespace)
    assert depends_on(local, training) and depends_on(local, namespace)
    quota = one(prod, QUOTA, "-team-training-gpu-quota")
    assert quota.inputs["spec"] == {"hard": {"requests.nvidia.com/gpu": "32"}}


def test_limits_and_preemption_from_the_spec_reach_the_cluster_queues(
    plan_config: PlanConfig,
) -> None:
    plan = plan_config(
        {
            **LOCAL,
            "teams": [{"name": "a", "maxGpus": 2, "borrowingLimit": 1, "lendingLimit": 1}],
            "scheduling": {
                "enabled": True,
                "cohort": "research",
                "preemption": {"reclaimWithinCohort": "Never", "withinClusterQueue": "Never"},
                "frameworks": ["batch/job"],
            },
        }
    )
    queue = one(plan, f"{KUEUE}ClusterQueue", "-team-a")
    assert queue.inputs["spec"]["cohortName"] == "research"
    assert queue.inputs["spec"]["preemption"] == {
        "reclaimWithinCohort": "Never",
        "withinClusterQueue": "Never",
        "borrowWithinCohort": {"policy": "Never"},
    }
    assert gpu_quotas(queue.inputs) == {
        "gpu": {"nominalQuota": "2", "borrowingLimit": "1", "lendingLimit": "1"}
    }
    assert one(plan, f"{KUEUE}ResourceFlavor").inputs["spec"] == {
        "nodeLabels": {"nvidia.com/gpu.present": "true"},
        "tolerations": [TOLERATE_GPU],
    }
    assert one(plan, f"{KUEUE}Cohort").inputs["spec"] == {"resourceGroups": []}
    release = one(plan, "kubernetes:helm.sh/v3:Release", "-queues-release")
    assert plan.of_type("kubernetes:monitoring.coreos.com/v1:ServiceMonitor") == []
    config = yaml.safe_load(
        release.inputs["values"]["managerConfig"]["controllerManagerConfigYaml"]
    )
    assert config["integrations"] == {"frameworks": ["batch/job"]}
    # Alone in its cohort, the team has nobody to borrow from: its own 2 GPUs at most.
    assert one(plan, QUOTA, "-team-a-gpu-quota").inputs["spec"] == {
        "hard": {"requests.nvidia.com/gpu": "2"}
    }


def test_with_scheduling_off_nothing_of_kueue_is_planned(plan_config: PlanConfig) -> None:
    plan = plan_config({**LOCAL, "teams": [{"name": "a", "maxGpus": 2}]})
    assert [r.name for r in plan.resources if "kueue" in r.type or "Queues" in r.type] == []
    assert one(plan, QUOTA).inputs["spec"] == {"hard": {"requests.nvidia.com/gpu": "2"}}


@pytest.mark.parametrize("stack", ["aws-dev", "azure-prod", "gcp-prod", "local"])
def test_every_target_plans_its_queues(shipped_plans: dict[str, Plan], stack: str) -> None:
    plan = shipped_plans[stack]
    queues = {r.inputs["metadata"]["name"] for r in plan.of_type(f"{KUEUE}ClusterQueue")}
    teams = {
        r.inputs["metadata"]["name"]
        for r in plan.of_type("kubernetes:core/v1:Namespace")
        if r.name.endswith("-namespace") and "-team-" in r.name
    }
    assert queues == teams != set()
    assert len(plan.of_type(f"{KUEUE}LocalQueue")) == len(teams)
