"""Queued GPU jobs on any target: the spec's queue plan (`mlplatform.environment.queues`) as a
`GpuQueues`, beside the team namespaces it queues for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pulumi

from mlplatform.compose.charts import chart_sources
from mlplatform.environment import PlatformConfig
from mlplatform.environment.queues import queue_plan

if TYPE_CHECKING:  # the kubernetes SDK loads only when monitoring is on
    from mlplatform.kubernetes.monitoring.stack import MonitoringStack


def add_queues(
    name: str,
    cfg: PlatformConfig,
    tags: Mapping[str, str],
    namespaces: Sequence[pulumi.Output[str]],
    opts: pulumi.ResourceOptions,
    monitoring: MonitoringStack | None = None,
) -> None:
    """Kueue and a queue per team, when the spec turns scheduling on; `namespaces` are the
    teams' namespaces, in the spec's order; Kueue's metrics scraped by `monitoring`."""
    plan = queue_plan(cfg)
    if plan is None:
        return
    from mlplatform.kubernetes.queues import GpuQueues, GpuQueuesArgs

    preemption = cfg.scheduling.preemption
    args: GpuQueuesArgs = {
        "flavors": [
            {"name": f.name, "node_labels": f.node_labels, "tolerations": f.tolerations}
            for f in plan.flavors
        ],
        "teams": [
            {
                "name": queue.team,
                "namespace": namespace,
                "quotas": queue.quotas,
                "borrowing_limit": queue.borrowing_limit,
                "lending_limit": queue.lending_limit,
                "previous_names": list(team.previous_names),
            }
            for queue, team, namespace in zip(plan.teams, cfg.teams, namespaces, strict=True)
        ],
        "cohort": plan.cohort,
        "shared": plan.shared,
        "preemption": {
            "reclaim_within_cohort": preemption.reclaim_within_cohort.value,
            "within_cluster_queue": preemption.within_cluster_queue.value,
            "borrow_within_cohort": preemption.borrow_within_cohort.value,
        },
        "frameworks": list(cfg.scheduling.frameworks),
        "tags": tags,
    }
    if monitoring is not None:
        args["scraped_by"] = monitoring.operator_release
    if sources := chart_sources(cfg):
        args["charts"] = sources
    GpuQueues(f"{name}-queues", args, opts)
