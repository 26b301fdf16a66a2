"""mlplatform's guardrails as pure, importable rules: the CrossGuard pack in
`policies/__main__.py` serves them to `pulumi preview --policy-pack policies`, and
`mlplatform check` runs the same pack offline over its gRPC analyzer protocol."""

from __future__ import annotations

from mlplatform_policies import (
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
from mlplatform_policies.model import Resource, Rule

RULES: tuple[Rule, ...] = (
    *governance.RULES,
    *storage.RULES,
    *clusters.RULES,
    *gpu.RULES,
    *queues.RULES,
    *registries.RULES,
    *databases.RULES,
    *network.RULES,
    *workloads.RULES,
    *serving.RULES,
    *monitoring.RULES,
    *cost.RULES,
)
"""Every rule, in the order the pack and the rules table list them."""

PACK_NAME = "mlplatform"

__all__ = ["PACK_NAME", "RULES", "Resource", "Rule"]
