"""Teams in a plan diff: which team a resource belongs to, which teams were renamed, and the
advice for a rename: the stack config's `previousNames`, not Python code.

A team is a `TeamNamespace` component; its name is its namespace's. Its resources are named
after the component (`<platform>-team-<team>`, children `…-<role>`), and so is its cloud
workload identity, which lives under the cluster component.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from mlplatform.engine.plan import Plan, PlannedResource

TEAM_TYPE = "mlplatform:index:TeamNamespace"
NAMESPACE_TYPE = "kubernetes:core/v1:Namespace"


@dataclass(frozen=True)
class Team:
    name: str
    """The team's (its namespace's) name."""
    component: PlannedResource


def teams(plan: Plan) -> list[Team]:
    """The plan's teams."""
    children = plan.children()
    found = []
    for component in plan.of_type(TEAM_TYPE):
        for child in children[component.urn]:
            metadata = child.inputs.get("metadata")
            name = metadata.get("name") if isinstance(metadata, dict) else None
            if child.type == NAMESPACE_TYPE and isinstance(name, str):
                found.append(Team(name, component))
    return found


def owner(resource: PlannedResource, among: list[Team]) -> Team | None:
    """The team `resource` belongs to, by its name (the longest team prefix), if any."""
    prefix = resource.name
    mine = [
        t for t in among if prefix == t.component.name or prefix.startswith(t.component.name + "-")
    ]
    return max(mine, key=lambda t: len(t.component.name), default=None)


def advice(old: str, new: str) -> str:
    """How to keep the resources of team `old`, now called `new`."""
    return (
        f"add previousNames: [{old}] to team {new!r} in mlplatform:teams: its resources keep "
        "their identity (Kubernetes still replaces the namespace: it cannot rename one)"
    )


def renamed(
    before: list[Team],
    after: list[Team],
    deleted: Collection[str],
    added: Collection[str],
    pairs: list[tuple[PlannedResource, PlannedResource]],
) -> list[tuple[Team, Team]]:
    """(old team, new team) for each team whose component disappeared while another's
    appeared: paired by a resource renamed from one to the other (`pairs`: gone, appeared),
    else when exactly one team went and one came."""
    gone = [t for t in before if t.component.urn in deleted]
    came = [t for t in after if t.component.urn in added]
    found: list[tuple[Team, Team]] = []
    for old_resource, new_resource in pairs:
        old, new = owner(old_resource, gone), owner(new_resource, came)
        if old and new and old not in [p[0] for p in found] and new not in [p[1] for p in found]:
            found.append((old, new))
    rest_gone = [t for t in gone if t not in [p[0] for p in found]]
    rest_came = [t for t in came if t not in [p[1] for p in found]]
    if len(rest_gone) == len(rest_came) == 1:
        found.append((rest_gone[0], rest_came[0]))
    return found
