"""Layer 2.1, the environment spec: the spec's GPU queues as Kueue will hold them (pure).

With `scheduling` on, every GPU pool is a Kueue ResourceFlavor and every team a ClusterQueue
in one cohort. Kueue's quotas are per flavor, while a team's `maxGpus` is one number: the
team's guaranteed GPUs (its nominal quota) are allotted from the pools in the spec's order,
teams in theirs, each team taking what is left of a pool before the next one; what no team is
allotted stays with the cohort itself (a Kueue Cohort's own quota), for any team to borrow.
So the nominal quotas of a flavor add up to what its pool can schedule at its maximum size
(Kueue: "nominalQuota should account for resources that can be provided by ...
cluster-autoscaler"), every team is guaranteed exactly its `maxGpus`, and no guarantee is
promised twice. Quotas count what a pool advertises as `nvidia.com/gpu`: one per GPU, the
replicas of time-slicing or MPS, the instances of a MIG profile (`preflight.capacity`).

Every team's ClusterQueue lists every flavor (a quota of 0 where it is allotted none), so it
can borrow any pool's idle GPUs. The namespace's ResourceQuota stays as a ceiling for pods
that bypass Kueue: the most Kueue could ever admit for the team, its quota plus what it may
borrow, bounded by the pools.

The kubernetes target has no pools in the spec: one flavor, `gpu`, selects the cluster's own
GPU nodes (`nvidia.com/gpu.present=true`, the label the NVIDIA device plugin's feature
discovery sets); its capacity is unknown, so each team's quota is its `maxGpus` and the cohort
holds nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mlplatform import defaults
from mlplatform.catalog.spot import SPOT_NODE_LABEL, SPOT_NODE_TAINT
from mlplatform.environment.model import PlatformConfig, Target

EXISTING_CLUSTER_FLAVOR = "gpu"
"""The one flavor of the kubernetes target: the cluster's own GPU nodes."""
GPU_TOLERATION = {"key": defaults.GPU_TAINT["key"], "operator": "Exists", "effect": "NoSchedule"}
"""What lets an admitted pod onto a GPU node (the platform's and GKE's nvidia.com/gpu taint)."""


@dataclass(frozen=True)
class Flavor:
    """One GPU pool as a Kueue ResourceFlavor."""

    name: str
    """The flavor's name: the pool's (`gpu` on the kubernetes target)."""
    node_labels: dict[str, str]
    """Labels every node of the pool carries; Kueue puts them in an admitted pod's selector."""
    tolerations: list[dict[str, str]]
    """Tolerations Kueue adds to an admitted pod: the GPU taint, and the cloud's spot taint."""
    capacity: int | None
    """`nvidia.com/gpu` the pool can schedule at its maximum size; None when unknown."""


@dataclass(frozen=True)
class TeamQueue:
    """One team's ClusterQueue."""

    team: str
    quotas: dict[str, int]
    """Nominal quota per flavor name, in every flavor's order."""
    borrowing_limit: int | None
    """GPUs the team may borrow per flavor; None: no limit."""
    lending_limit: int | None
    """GPUs of its quota the team lends per flavor; None: all of it."""
    ceiling: int
    """The namespace ResourceQuota on requests.nvidia.com/gpu: the most Kueue could admit."""

    def lending_on(self, flavor: str) -> int | None:
        """The lending limit on `flavor`: never above the quota there (Kueue lends only what
        the queue holds)."""
        if self.lending_limit is None:
            return None
        return min(self.lending_limit, self.quotas[flavor])


@dataclass(frozen=True)
class QueuePlan:
    """The Kueue objects of a spec: flavors, the cohort's own quota, a queue per team."""

    cohort: str
    flavors: list[Flavor]
    teams: list[TeamQueue]
    shared: dict[str, int] = field(default_factory=dict)
    """The cohort's own quota per flavor: what the pools schedule that no team is allotted."""
    unallotted: dict[str, int] = field(default_factory=dict)
    """GPUs of a team's `maxGpus` the pools could not cover (refused by preflight)."""


def flavors(cfg: PlatformConfig) -> list[Flavor]:
    """A flavor per GPU pool, or the existing cluster's GPU nodes."""
    from mlplatform.environment.preflight.capacity import units_per_gpu

    if cfg.target is Target.KUBERNETES:
        return [
            Flavor(
                EXISTING_CLUSTER_FLAVOR,
                {defaults.GPU_PRESENT_LABEL: "true"},
                [GPU_TOLERATION],
                None,
            )
        ]
    found = []
    for pool in cfg.gpu_pools:
        labels = {defaults.GPU_LABEL: pool.gpu.value, defaults.POOL_LABEL: pool.name}
        tolerations: list[dict[str, str]] = [GPU_TOLERATION]
        if pool.spot:
            key, value = SPOT_NODE_LABEL[cfg.target.value]
            labels[key] = value
            if taint := SPOT_NODE_TAINT.get(cfg.target.value):
                tolerations.append({**taint, "operator": "Equal"})
        capacity = pool.max_nodes * pool.gpus_per_node * units_per_gpu(cfg.target, pool)
        found.append(Flavor(pool.name, labels, tolerations, capacity))
    return found


def queue_plan(cfg: PlatformConfig) -> QueuePlan | None:
    """The spec's Kueue objects; None with scheduling off."""
    if not cfg.scheduling.enabled:
        return None
    found = flavors(cfg)
    left = {f.name: f.capacity for f in found}
    allotted: dict[str, dict[str, int]] = {}
    unallotted: dict[str, int] = {}
    for team in cfg.teams:
        need, quotas = team.max_gpus, {}
        for flavor in found:
            room = left[flavor.name]
            take = need if room is None else min(need, room)
            quotas[flavor.name] = take
            need -= take
            if room is not None:
                left[flavor.name] = room - take
        allotted[team.name] = quotas
        if need:
            unallotted[team.name] = need
    shared = {name: room for name, room in left.items() if room}
    capacity = {
        f.name: f.capacity
        if f.capacity is not None
        else sum(quotas[f.name] for quotas in allotted.values())
        for f in found
    }
    teams = []
    for team in cfg.teams:
        quotas = allotted[team.name]
        limit = team.borrowing_limit
        ceiling = sum(
            capacity[name] if limit is None else min(capacity[name], quota + limit)
            for name, quota in quotas.items()
        )
        teams.append(
            TeamQueue(team.name, quotas, limit, team.lending_limit, max(ceiling, team.max_gpus))
        )
    return QueuePlan(cfg.scheduling.cohort, found, teams, shared, unallotted)


def quota_ceilings(cfg: PlatformConfig) -> dict[str, int]:
    """The ResourceQuota of each team's namespace, by team: its `maxGpus` with scheduling off,
    else the most Kueue could admit for it (its queue's `ceiling`)."""
    plan = queue_plan(cfg)
    if plan is None:
        return {team.name: team.max_gpus for team in cfg.teams}
    return {queue.team: queue.ceiling for queue in plan.teams}
