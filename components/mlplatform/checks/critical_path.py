"""The deployment's critical path: how long a first `pulumi up` takes at best, and the chain of
resources that sets it. Pulumi creates a resource once everything it depends on exists
(inputs, dependsOn, its provider), so the wall time is the longest path through that graph,
weighted by typical create durations per type.

The durations are estimates in minutes (`Duration.basis` says where each comes from); types not
listed take DEFAULT_MINUTES, components and providers nothing.

Each step has a stage. A cloud stack's path should be its foundations (network, keys, log
workspace, roles), then the cluster, then a node pool, then the add-ons; on an existing cluster,
add-ons only. Anything else on the path (a database, an add-on the pool waits for) is work that
could run beside the cluster and does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from mlplatform.engine.plan import Plan, PlannedResource


class Duration(NamedTuple):
    minutes: float
    basis: str


ESTIMATE = "estimate: typical create time observed with the providers' defaults"
DEFAULT_MINUTES = 0.1
"""Resources that are an API call (roles, policies, subnets, Kubernetes objects)."""

DURATIONS: dict[str, Duration] = {
    # AWS
    "aws:eks/cluster:Cluster": Duration(12, "estimate: EKS control plane, about 10-15 min"),
    "aws:eks/nodeGroup:NodeGroup": Duration(4, ESTIMATE),
    "aws:eks/addon:Addon": Duration(2, ESTIMATE),
    "aws:ec2/natGateway:NatGateway": Duration(2, ESTIMATE),
    "aws:rds/instance:Instance": Duration(12, "estimate: RDS PostgreSQL, about 10-15 min"),
    "aws:amp/workspace:Workspace": Duration(1, ESTIMATE),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": Duration(0.2, ESTIMATE),
    # Azure
    "azure-native:containerservice:ManagedCluster": Duration(8, ESTIMATE),
    "azure-native:containerservice:AgentPool": Duration(5, ESTIMATE),
    "azure-native:dbforpostgresql:Server": Duration(10, ESTIMATE),
    "azure-native:network:PrivateEndpoint": Duration(1, ESTIMATE),
    "azure-native:containerregistry:Registry": Duration(1, ESTIMATE),
    "azure-native:storage:StorageAccount": Duration(0.5, ESTIMATE),
    "azure-native:operationalinsights:Workspace": Duration(1, ESTIMATE),
    "azure-native:monitor:AzureMonitorWorkspace": Duration(1, ESTIMATE),
    # GCP
    "gcp:container/cluster:Cluster": Duration(8, ESTIMATE),
    "gcp:container/nodePool:NodePool": Duration(4, ESTIMATE),
    "gcp:sql/databaseInstance:DatabaseInstance": Duration(
        11, "estimate: Cloud SQL, about 10-11 min"
    ),
    "gcp:servicenetworking/connection:Connection": Duration(2, ESTIMATE),
    "gcp:compute/routerNat:RouterNat": Duration(0.5, ESTIMATE),
    # Kubernetes
    "kubernetes:helm.sh/v3:Release": Duration(3, ESTIMATE + " (atomic: waits for readiness)"),
    "kubernetes:batch/v1:Job": Duration(1, ESTIMATE + " (the MLflow migration)"),
    "kubernetes:apps/v1:Deployment": Duration(1, ESTIMATE + " (waits for rollout)"),
    "kubernetes:apps/v1:StatefulSet": Duration(1, ESTIMATE + " (waits for rollout)"),
}


FOUNDATIONS, CLUSTER, NODE_POOL, ADD_ONS, OTHER = (
    "foundations",
    "cluster",
    "node pool",
    "add-ons",
    "other",
)
CLOUD_CHAIN = (FOUNDATIONS, CLUSTER, NODE_POOL, ADD_ONS)
"""The path of a stack that creates its cluster."""
IN_CLUSTER_CHAIN = (ADD_ONS,)
"""The path of a stack on an existing cluster."""

CLUSTER_TYPES = frozenset(
    {
        "aws:eks/cluster:Cluster",
        # EKS's managed add-ons come with the cluster; vpc-cni and kube-proxy precede nodes.
        "aws:eks/addon:Addon",
        "azure-native:containerservice:ManagedCluster",
        "gcp:container/cluster:Cluster",
    }
)
NODE_POOL_TYPES = frozenset(
    {
        "aws:eks/nodeGroup:NodeGroup",
        "azure-native:containerservice:AgentPool",
        "gcp:container/nodePool:NodePool",
    }
)
FOUNDATION_PREFIXES = (
    "aws:ec2/",
    "aws:iam/",
    "aws:kms/",
    "aws:cloudwatch/logGroup:",
    "azure-native:resources:",
    "azure-native:network:",
    "azure-native:operationalinsights:",
    "azure-native:managedidentity:",
    "azure-native:authorization:",
    "gcp:compute/",
    "gcp:kms/",
    "gcp:serviceaccount/",
    "gcp:projects/",
)


def stage(type_: str) -> str:
    """The deployment stage a resource type belongs to."""
    if type_ in CLUSTER_TYPES:
        return CLUSTER
    if type_ in NODE_POOL_TYPES:
        return NODE_POOL
    if type_.startswith("kubernetes:"):
        return ADD_ONS
    if type_.startswith(FOUNDATION_PREFIXES):
        return FOUNDATIONS
    return OTHER


def expected_chain(target: str) -> tuple[str, ...]:
    """The stages a stack of `target` should have on its path, in order."""
    return IN_CLUSTER_CHAIN if target == "kubernetes" else CLOUD_CHAIN


@dataclass(frozen=True)
class Step:
    urn: str
    type: str
    minutes: float

    @property
    def stage(self) -> str:
        return stage(self.type)


@dataclass(frozen=True)
class CriticalPath:
    minutes: float
    steps: list[Step]

    @property
    def types(self) -> list[str]:
        return [s.type for s in self.steps]

    @property
    def chain(self) -> tuple[str, ...]:
        """The stages along the path, each once, in order: ("foundations", "cluster", ...)."""
        stages: list[str] = []
        for stage_ in cluster_setup([step.stage for step in self.steps]):
            if not stages or stages[-1] != stage_:
                stages.append(stage_)
        return tuple(stages)


def cluster_setup(stages: list[str]) -> list[str]:
    """`stages` with the foundations between two cluster steps counted as the cluster's: its
    own setup, which can exist only once the cluster does and which its nodes need (on EKS the
    OIDC provider and vpc-cni's IRSA role, made between the cluster and the vpc-cni add-on)."""
    marks = [i for i, s in enumerate(stages) if s == CLUSTER]
    if len(marks) < 2:
        return stages
    first, last = marks[0], marks[-1]
    return [CLUSTER if first < i < last and s == FOUNDATIONS else s for i, s in enumerate(stages)]


def minutes(resource: PlannedResource) -> float:
    if not resource.custom or resource.type.startswith("pulumi:providers:"):
        return 0.0
    known = DURATIONS.get(resource.type)
    return known.minutes if known else DEFAULT_MINUTES


def predecessors(resource: PlannedResource, known: set[str]) -> set[str]:
    """What must exist before `resource` is created: its dependencies and its provider."""
    found = set(resource.dependencies)
    for urns in resource.property_dependencies.values():
        found |= set(urns)
    if resource.provider:
        found.add(resource.provider)
    return {u for u in found if u in known and u != resource.urn}


def critical_path(plan: Plan) -> CriticalPath:
    """The longest chain of waits from nothing to the last resource."""
    by_urn = plan.by_urn()
    known = set(by_urn)
    before = {urn: predecessors(r, known) for urn, r in by_urn.items()}
    finish: dict[str, float] = {}
    via: dict[str, str | None] = {}

    def done(urn: str, trail: frozenset[str] = frozenset()) -> float:
        if urn in finish:
            return finish[urn]
        if urn in trail:
            raise ValueError(f"dependency cycle through {urn}")
        start, previous = 0.0, None
        for dep in sorted(before[urn]):
            end = done(dep, trail | {urn})
            if end > start:
                start, previous = end, dep
        finish[urn] = start + minutes(by_urn[urn])
        via[urn] = previous
        return finish[urn]

    for urn in sorted(by_urn):
        done(urn)
    last = max(sorted(finish), key=lambda u: finish[u], default=None)
    steps: list[Step] = []
    while last is not None:
        resource = by_urn[last]
        if minutes(resource) > 0:
            steps.append(Step(last, resource.type, minutes(resource)))
        last = via[last]
    steps.reverse()
    return CriticalPath(round(max(finish.values(), default=0.0), 2), steps)


def to_markdown(stack: str, path: CriticalPath) -> str:
    lines = [
        f"### Critical path: `{stack}`, about {path.minutes:g} min",
        "",
        f"Stages: {' → '.join(path.chain)}",
        "",
        "| step | resource | type | stage | minutes |",
        "| --- | --- | --- | --- | --- |",
    ]
    for i, step in enumerate(path.steps, 1):
        name = step.urn.rsplit("::", 1)[-1]
        lines.append(f"| {i} | `{name}` | `{step.type}` | {step.stage} | {step.minutes:g} |")
    return "\n".join(lines) + "\n"


def to_json(stack: str, path: CriticalPath) -> str:
    import json

    steps = [
        {"urn": s.urn, "type": s.type, "stage": s.stage, "minutes": s.minutes} for s in path.steps
    ]
    document = {"stack": stack, "minutes": path.minutes, "chain": list(path.chain), "steps": steps}
    return json.dumps(document, indent=2) + "\n"


def to_text(stack: str, path: CriticalPath) -> str:
    chain = "\n".join(
        f"  {s.minutes:>5g} min  {s.urn.rsplit('::', 1)[-1]}  ({s.type}, {s.stage})"
        for s in path.steps
    )
    return f"{stack}: about {path.minutes:g} min ({' → '.join(path.chain)})\n{chain}\n"


RENDERERS = {"table": to_text, "json": to_json, "markdown": to_markdown}
