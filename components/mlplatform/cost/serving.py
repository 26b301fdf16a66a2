"""Served models' lines: what a KServe InferenceService adds to its pool's cost.

KServe's Standard (raw Deployment) mode does not scale a model to zero: its `minReplicas`
(at least 1) run around the clock. A GPU model's replicas hold GPUs of the pool its
nodeSelector picks, so the GPUs of every model on a pool (minReplicas x GPUs per replica,
added up in the plan's order before rounding, as models share nodes) keep
ceil(GPUs / GPUs a node) of its nodes up, at most the pool's maximum. The pool's own lines
already charge its minimum around the clock and each node above it `expected_gpu_hours` in the
expected figure (the whole month in the high one), so a node kept up above the minimum adds
only the rest: 730 h at the low end, 730 - `expected_gpu_hours` in the expected figure and
nothing at the high end, for each of the pool's per-node charges (machine, GPUs billed apart,
boot disk). A model is charged the nodes it adds to those the models before it keep up: within
the pool's minimum, or on nodes kept up already, it adds none. Replicas the
HorizontalPodAutoscaler may add above the minimum land on nodes above the pool's minimum,
which the pool's line charges already; they are told, not charged again.

A model without GPUs runs on the cluster's system nodes, charged by their own line, as MLflow
and the other in-cluster services are: its line says what it requests, at no charge of its
own. On the kubernetes target the existing cluster's nodes are not priced at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from math import ceil
from typing import Any

from mlplatform import defaults
from mlplatform.catalog.data import OFFERINGS
from mlplatform.catalog.pricing import HOURS_PER_MONTH
from mlplatform.cost.context import Context, NodeCharge, Rule, dig, line, number, range_of
from mlplatform.cost.kubernetes import gib
from mlplatform.cost.model import CostResource, Line, Monthly

INFERENCE_SERVICE = "kubernetes:serving.kserve.io/v1beta1:InferenceService"
GPU_RESOURCE = "nvidia.com/gpu"
STANDARD = "KServe's Standard mode does not scale to zero"
GKE_NODE_POOL = "gcp:container/nodePool:NodePool"
POOL_LABELS: dict[str, tuple[str, ...]] = {
    "aws:eks/nodeGroup:NodeGroup": ("labels",),
    "azure-native:containerservice:AgentPool": ("nodeLabels",),
    GKE_NODE_POOL: ("nodeConfig", "labels"),
}
"""Where each pool type keeps its nodes' labels, which a model's nodeSelector picks."""
POOL_SHAPES: dict[str, tuple[str | int, ...]] = {
    "aws:eks/nodeGroup:NodeGroup": ("instanceTypes", 0),
    "azure-native:containerservice:AgentPool": ("vmSize",),
}
"""Where a pool's node shape is, for its GPUs in the catalog (GKE pools list theirs)."""
GPUS_PER_NODE = {o.instance_type: o.gpus_per_node for o in OFFERINGS if o.cloud != "gcp"}
"""GPUs of each AWS and Azure GPU node shape (`mlplatform.catalog.data`)."""
NO_CHARGE = "no charge of its own"
PRICED_CLOUDS = frozenset({"aws", "azure", "gcp"})
"""Targets whose pools are in the plan and priced (not an existing cluster)."""


@dataclass(frozen=True)
class Placement:
    """One model's replicas and the GPUs they ask for."""

    least: float
    """Replicas always up: minReplicas, at least 1 (KServe v0.20.0 raises a lower one to 1 and
    a maxReplicas below it to it: reconcilers/hpa/hpa_reconciler.go createHPA)."""
    most: float
    gpus: float
    """GPUs per replica (`nvidia.com/gpu`, requested or, unrequested, its limit)."""
    selector: Mapping[str, Any]


def placement(r: CostResource) -> Placement:
    """An InferenceService's predictor as the estimate reads it."""
    predictor = dig(r.inputs, "spec", "predictor") or {}
    least = max(number(dig(predictor, "minReplicas"), 1.0) or 0.0, 1.0)
    most = max(number(dig(predictor, "maxReplicas"), least) or 0.0, least)
    resources = dig(predictor, "model", "resources") or {}
    gpus = dig(resources, "requests", GPU_RESOURCE) or dig(resources, "limits", GPU_RESOURCE)
    selector = dig(predictor, "nodeSelector") or {}
    return Placement(least, most, number(gpus, 0.0) or 0.0, selector)


def inference_service(r: CostResource, ctx: Context) -> Iterator[Line]:
    """The model's line: the nodes of its pool it keeps up beyond what the pool's lines charge,
    or what a CPU model requests of the system nodes."""
    here = placement(r)
    if not here.gpus:
        yield _cpu(r, ctx, here)
        return
    gpus = here.least * here.gpus
    if ctx.cloud not in PRICED_CLOUDS:  # an existing cluster: not ours to price
        basis = f"{NO_CHARGE}: the existing cluster's nodes are not priced here; "
        basis += f"{_asked(here)} up around the clock ({STANDARD})"
        yield line(r, f"{_gpus(gpus)} on the cluster's GPU nodes", "priced", None, basis)
        return
    pool = _pool(ctx, here.selector)
    if pool is None:
        selector = ", ".join(f"{k}={v}" for k, v in here.selector.items()) or "(none)"
        basis = f"no GPU pool in the plan has its nodeSelector {selector}"
        yield line(r, f"{_gpus(gpus)} on a pool the plan does not have", "unknown", basis=basis)
        return
    yield from _held(r, ctx, here, pool)


def _pool(ctx: Context, selector: Mapping[str, Any]) -> CostResource | None:
    """The one GPU pool of the plan whose nodes carry every label of `selector`."""
    found = [
        r
        for r in ctx.resources.values()
        if r.type in POOL_LABELS
        and all(_labels(r).get(k) == v for k, v in selector.items())
        and _gpus_per_node(r, ctx) != 0
    ]
    return found[0] if len(found) == 1 else None


def _labels(pool: CostResource) -> Mapping[str, Any]:
    return dig(pool.inputs, *POOL_LABELS[pool.type]) or {}


def _gpus_per_node(pool: CostResource, ctx: Context) -> float | None:
    """GPUs on each node of a pool: its accelerators (GKE), else its shape's in the catalog, 0
    for a pool its line prices as a CPU pool; None for a GPU shape the catalog lacks."""
    if pool.type == GKE_NODE_POOL:
        accelerators = dig(pool.inputs, "nodeConfig", "guestAccelerators") or []
        return sum(number(dig(a, "count"), 1.0) or 0.0 for a in accelerators)
    shape = dig(pool.inputs, *POOL_SHAPES[pool.type])
    if shape in GPUS_PER_NODE:
        return GPUS_PER_NODE[shape]
    charges = ctx.nodes.get(pool.urn)
    return 0.0 if charges and not charges[0].gpu else None


def _before(r: CostResource, ctx: Context, pool: CostResource) -> float:
    """GPUs the models listed before `r` keep up on `pool`."""
    total = 0.0
    for other in ctx.resources.values():
        if other.urn == r.urn:
            break
        if other.type == INFERENCE_SERVICE:
            there = placement(other)
            if there.gpus and _pool(ctx, there.selector) is pool:
                total += there.least * there.gpus
    return total


@dataclass(frozen=True)
class Kept:
    """The nodes of one pool the models up to this one keep up, and how many this one adds."""

    pool: str
    per_node: float
    """GPUs a node."""
    low: float
    """The pool's minimum nodes, which its line charges around the clock."""
    high: float
    before: float
    """GPUs the models before this one keep up on the pool."""
    gpus: float
    """GPUs this one keeps up (minReplicas x GPUs per replica)."""
    shared: bool
    """The pool shares its GPUs (time-slicing, MPS, MIG): counted whole, an upper bound."""

    @property
    def wanted(self) -> int:
        return ceil((self.before + self.gpus) / self.per_node)

    def above(self, gpus: float) -> float:
        """Nodes above the pool's minimum that `gpus` keep up (at most its maximum)."""
        return max(min(ceil(gpus / self.per_node), self.high) - self.low, 0)

    @property
    def adds(self) -> float:
        return self.above(self.before + self.gpus) - self.above(self.before)

    def why(self, here: Placement) -> str:
        """The arithmetic, up to what this model adds."""
        after = self.before + self.gpus
        shared = ", counted whole although the pool shares them, an upper bound"
        text = f"{_asked(here)} on pool {self.pool} ({_gpus(self.per_node)} a node"
        text += f"{shared if self.shared else ''})"
        if self.before:
            text += f", {after:g} with the {self.before:g} of the models before it there"
        text += f": ceil({after:g}/{self.per_node:g}) = {_nodes(self.wanted)}"
        if self.wanted > self.high:
            text += f", but the pool's maxNodes is {self.high:g} (the other replicas stay "
            text += f"Pending): {_nodes(min(self.wanted, self.high))}"
        text += f" up around the clock ({STANDARD}), "
        above = self.above(after)
        if not above:
            text += f"within the pool's minNodes {self.low:g}, which its line charges around "
            return text + "the clock: no extra charge"
        text += f"{above:g} above the pool's minNodes {self.low:g}"
        if not self.adds:
            return text + ", which the models before it keep up already: no extra charge"
        if self.above(self.before):
            text += f", {self.adds:g} more than the models before it keep up"
        return text


def _held(r: CostResource, ctx: Context, here: Placement, pool: CostResource) -> Iterator[Line]:
    """The pool's per-node charges for the nodes this model adds to those kept up."""
    name = str(_labels(pool).get(defaults.POOL_LABEL) or pool.name)
    gpus = here.least * here.gpus
    pool_lines = ctx.lines.get(pool.urn, [])
    charges = ctx.nodes.get(pool.urn, [])
    per_node = _gpus_per_node(pool, ctx)
    if not charges:  # the pool's rule stopped before its nodes: its own line says why
        unknown = [ln for ln in pool_lines if ln.kind == "unknown"]
        why = unknown[0].basis if unknown else "not priced"
        later = bool(unknown) and all(ln.deferred for ln in unknown)
        basis = f"the nodes of pool {name} have no known price ({why})"
        yield line(r, f"pool {name}: {_gpus(gpus)}", "unknown", basis=basis, deferred=later)
        return
    if not per_node:
        basis = f"the GPUs a node of pool {name} has are not known: its shape is not in "
        basis += "mlplatform's GPU catalog"
        yield line(r, f"pool {name}: {_gpus(gpus)}", "unknown", basis=basis)
        return
    shared = defaults.DEVICE_PLUGIN_CONFIG_LABEL in _labels(pool)
    kept = Kept(name, per_node, *charges[0].counts, _before(r, ctx, pool), gpus, shared)
    if not kept.adds:
        yield line(r, f"pool {name}: {_gpus(gpus)}, no extra node", "priced", None, kept.why(here))
        return
    for pool_line in pool_lines:
        charge = next((c for c in charges if c.line is pool_line), None)
        if charge is not None:
            yield _node_line(r, ctx, charge, kept, here)
        elif pool_line.kind == "unknown":  # a charge the pool's rule could not price
            item = f"pool {name}: {pool_line.item}, +{kept.adds:g} kept up"
            why = f"{kept.why(here)}; the pool's line has no known price ({pool_line.basis})"
            yield line(r, item, "unknown", basis=why, deferred=pool_line.deferred)


def _node_line(
    r: CostResource, ctx: Context, charge: NodeCharge, kept: Kept, here: Placement
) -> Line:
    """`kept.adds` more nodes of one of the pool's per-node charges, up around the clock: the
    hours its line does not already charge them."""
    item = f"pool {kept.pool}: +{kept.adds:g} x {charge.unit}"
    basis = kept.why(here)
    if charge.line.kind != "priced":
        why = f"{basis}; the pool's line has no known price ({charge.line.basis})"
        return line(r, item, "unknown", basis=why, deferred=charge.line.deferred)
    above = ctx.assumptions.expected_gpu_hours if charge.gpu else 0.0
    hours = Monthly(HOURS_PER_MONTH, HOURS_PER_MONTH - above, 0.0)
    basis += "; the pool's line charges a node above its minimum "
    basis += f"{above:g} h a month (expected) and {HOURS_PER_MONTH:g} h (high), so this adds "
    basis += f"{kept.adds:g} x {charge.rate} for {HOURS_PER_MONTH:g} h (low), "
    basis += f"{HOURS_PER_MONTH:g} - {above:g} = {hours.expected:g} h (expected) and 0 h (high)"
    if here.most > here.least:
        basis += f"; up to {_replicas(here.most)} ({_gpus(here.most * here.gpus)}) on CPU use, "
        basis += "on nodes the pool's line charges above its minimum"
    monthly = hours.times(charge.hourly * kept.adds)
    return line(r, item, "priced", monthly, basis, charge.line.prices)


def _cpu(r: CostResource, ctx: Context, here: Placement) -> Line:
    """A model without GPUs: what it asks of the nodes it shares with the platform's services."""
    requests = dig(r.inputs, "spec", "predictor", "model", "resources", "requests") or {}
    cpu, memory = dig(requests, "cpu"), dig(requests, "memory")
    each = f"({cpu} CPU, {memory})"
    if ctx.cloud in PRICED_CLOUDS:
        item = f"{range_of(here.least, here.most)} x {each} on the system nodes"
        basis = f"{NO_CHARGE}: without GPUs it runs on the cluster's system nodes, which their "
        basis += "own line charges, as MLflow and the platform's other in-cluster services do; "
    else:
        item = f"{range_of(here.least, here.most)} x {each} on the cluster's nodes"
        basis = f"{NO_CHARGE}: it runs on the existing cluster's nodes, which are not priced "
        basis += "here; "
    basis += f"it requests {here.least:g} x {each}{_total(cpu, memory, here.least)} around the "
    basis += f"clock ({STANDARD})"
    if here.most > here.least:
        basis += f", up to {here.most:g} x{_total(cpu, memory, here.most)} on CPU use"
    return line(r, item, "priced", None, basis)


def _total(cpu: Any, memory: Any, replicas: float) -> str:
    """ " = 2 CPU, 4 GiB": `replicas` x the requests, where they are quantities."""
    cores, size = cpus(cpu), gib(memory)
    if cores is None or size is None:
        return ""
    return f" = {cores * replicas:g} CPU, {size * replicas:g} GiB"


def cpus(quantity: Any) -> float | None:
    """A Kubernetes CPU quantity ("1", "500m") in CPUs."""
    text = str(quantity)
    try:
        return float(text[:-1]) / 1000 if text.endswith("m") else float(text)
    except ValueError:
        return None


def _asked(here: Placement) -> str:
    """ "2 replicas x 3 GPUs = 6 GPUs" """
    gpus = here.least * here.gpus
    return f"{_replicas(here.least)} x {_gpus(here.gpus)} = {_gpus(gpus)}"


def _gpus(count: float) -> str:
    return f"{count:g} GPU" + ("" if count == 1 else "s")


def _replicas(count: float) -> str:
    return f"{count:g} replica" + ("" if count == 1 else "s")


def _nodes(count: float) -> str:
    return f"{count:g} node" + ("" if count == 1 else "s")


RULES: dict[str, Rule] = {INFERENCE_SERVICE: inference_service}
"""Pricing rule per type; priced after every other resource (they read the pools' lines)."""
