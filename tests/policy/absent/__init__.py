"""Policy cases with a property left out, one per `Absent` entry of a rule (the provider's
default decides the verdict), in one module per policy module."""

from __future__ import annotations

from tests.policy.absent import (
    clusters,
    cost,
    databases,
    governance,
    gpu,
    monitoring,
    network,
    queues,
    registries,
    serving,
    storage,
    workloads,
)
from tests.policy.cases import Case

CASES: list[Case] = [
    *governance.CASES,
    *storage.CASES,
    *clusters.CASES,
    *gpu.CASES,
    *queues.CASES,
    *registries.CASES,
    *databases.CASES,
    *network.CASES,
    *workloads.CASES,
    *serving.CASES,
    *monitoring.CASES,
    *cost.CASES,
]
