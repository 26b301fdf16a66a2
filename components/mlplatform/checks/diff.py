"""`mlplatform diff BASE.json HEAD.json`: what a change to the program does to a stack, from
two `plan --format json` files, before anyone runs `pulumi up`.

Resources are added, deleted, updated (each input field that changed, before → after, and
the `protect` option as `opts.protect`) or replaced (a field that forces replacement changed:
the provider's list in `replacements.py`, or the resource's own replaceOnChanges). Secrets stay
masked, and so does every value beside one (see `masked`). Blocking, exit 4:

- deleting or replacing a stateful or protected resource (data would be lost), or a namespace
  (its workloads and volumes go with it);
- removing `protect`, or weakening a cloud's own deletion guard (`guards.py`);
- a URN that disappears while a resource of the same type with equal inputs appears: a rename
  that replaces real infrastructure unless the new resource aliases the old URN; a team
  renamed in the stack config (`teams.py`) is told to list its old name in `previousNames`.

Both plans must be of one stack of one project (`PlanMismatchError` otherwise).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from mlplatform.checks.guards import weakened
from mlplatform.checks.replacements import STATEFUL, replaces
from mlplatform.checks.teams import (
    NAMESPACE_TYPE,
    TEAM_TYPE,
    Team,
    advice,
    owner,
    renamed,
    teams,
)
from mlplatform.engine.plan import Plan, PlannedResource
from mlplatform.engine.values import SECRET, UNKNOWN

Kind = Literal["add", "delete", "update", "replace", "rename"]
EXIT_CLEAN = 0
EXIT_BLOCKING = 4
PROTECT_FIELD = "opts.protect"
"""The `protect` resource option among a change's fields."""
HIDDEN = "[hidden]"
"""A value shown in place of one that may hold a secret."""


class PlanMismatchError(ValueError):
    """The two plans are of different stacks or projects: their diff would mean nothing."""


@dataclass(frozen=True)
class Change:
    urn: str
    type: str
    kind: Kind
    fields: list[str] = field(default_factory=list)
    """Changed input paths (updates and replacements)."""
    blocking: list[str] = field(default_factory=list)
    """Why the change must not merge as it is."""
    old_urn: str | None = None
    """A rename's previous URN."""
    values: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    """Each changed field's value before and after (None: unset), secrets masked."""


@dataclass(frozen=True)
class PlanDiff:
    stack: str
    changes: list[Change]

    @property
    def blocking(self) -> list[Change]:
        return [c for c in self.changes if c.blocking]

    @property
    def exit_code(self) -> int:
        return EXIT_BLOCKING if self.blocking else EXIT_CLEAN

    def count(self, kind: Kind) -> int:
        return sum(1 for c in self.changes if c.kind == kind)


def property_path(prefix: str, key: str) -> str:
    """`prefix` and one map key, written as the engine writes a property path
    (sdk/go/common/resource/properties_path.go `String`): `.key`, or `["key"]` when the key
    holds anything but letters, digits and `_` (label keys such as `app.kubernetes.io/name`)."""
    if key and all(c.isascii() and (c.isalnum() or c == "_") for c in key):
        return f"{prefix}.{key}" if prefix else key
    escaped = key.replace('"', '\\"')
    return f'{prefix}["{escaped}"]'


def changed_values(old: Any, new: Any, prefix: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(property path, old value, new value) of each leaf that differs, paths as the engine
    writes them (list items by index; None: unset). A value unknown on both sides cannot be
    compared and is not reported; known on one side only, it is."""
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in sorted(set(old) | set(new)):
            yield from changed_values(old.get(key), new.get(key), property_path(prefix, str(key)))
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from changed_values(a, b, f"{prefix}[{i}]")
    elif old != new:
        yield prefix, old, new


def changed_paths(old: Any, new: Any, prefix: str = "") -> Iterator[str]:
    """The property paths of `changed_values`."""
    return (path for path, _, _ in changed_values(old, new, prefix))


def _has_secret(value: Any) -> bool:
    if isinstance(value, Mapping):
        return any(_has_secret(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_secret(v) for v in value)
    return value == SECRET


def _hidden(value: Any) -> Any:
    """`value` with every known leaf but a secret marker replaced by `HIDDEN`."""
    if isinstance(value, Mapping):
        return {k: _hidden(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_hidden(v) for v in value]
    return value if value in (SECRET, UNKNOWN, None) else HIDDEN


def masked(before: Any, after: Any) -> tuple[Any, Any]:
    """A changed field's values as the diff may show them. Plans hold secrets masked; a value
    opposite a secret may be that very secret (made secret now, or no longer secret), and a
    value beside one in a changed list or map may be it moved: when either side holds a
    secret, both sides show only their shape, secrets and unknowns."""
    if _has_secret(before) or _has_secret(after):
        return _hidden(before), _hidden(after)
    return before, after


def _stateful(resource: PlannedResource) -> bool:
    return resource.protect or resource.type in STATEFUL


def _data_loss(resource: PlannedResource, kind: str) -> list[str]:
    if resource.type == NAMESPACE_TYPE:
        return [f"{kind} of a namespace: every workload and volume in it is deleted with it"]
    if not _stateful(resource):
        return []
    what = "protected" if resource.protect else "stateful"
    return [f"{kind} of a {what} resource: its data would be lost"]


def diff_plans(base: Plan, head: Plan) -> PlanDiff:
    """Every change from `base` to `head`, two plans of one stack."""
    if (base.project, base.stack) != (head.project, head.stack):
        raise PlanMismatchError(
            f"the base plan is of stack {base.stack!r} of project {base.project!r} but the head "
            f"plan is of stack {head.stack!r} of project {head.project!r}; diff two plans of "
            "one stack (mlplatform plan STACK -f json at each revision)"
        )
    old, new = base.by_urn(), head.by_urn()
    aliased = {alias: r.urn for r in head.resources for alias in r.aliases}
    added = [r for urn, r in new.items() if urn not in old and not any(a in old for a in r.aliases)]
    deleted = [r for urn, r in old.items() if urn not in new and urn not in aliased]
    changes = _comings_and_goings(base, head, deleted, added)
    for urn, current in new.items():
        before = old.get(urn) or old.get(next((a for a in current.aliases if a in old), ""))
        change = _update(before, current) if before is not None else None
        if change is not None:
            changes.append(change)
    order = {"rename": 0, "delete": 1, "replace": 2, "update": 3, "add": 4}
    changes.sort(key=lambda c: (not c.blocking, order[c.kind], c.urn))
    return PlanDiff(head.stack, changes)


def _comings_and_goings(
    base: Plan, head: Plan, deleted: list[PlannedResource], added: list[PlannedResource]
) -> list[Change]:
    """Renames (of resources and of teams), deletions and additions."""
    renames = _renames(deleted, added)
    team_renames = renamed(
        teams(base),
        teams(head),
        {r.urn for r in deleted},
        {r.urn for r in added},
        [(next(r for r in deleted if r.urn == urn), twin) for urn, twin in renames.items()],
    )
    changes = []
    for was, now in team_renames:
        reason = (
            f"team {was.name!r} renamed to {now.name!r} without previousNames: Pulumi would "
            f"delete every resource of the team and create it anew; {advice(was.name, now.name)}"
        )
        changes.append(
            Change(now.component.urn, TEAM_TYPE, "rename", [], [reason], was.component.urn)
        )
    team_components = {was.component.urn for was, _ in team_renames}
    for gone in deleted:
        if gone.urn in renames:
            twin = renames[gone.urn]
            reason = _rename_advice(gone, team_renames)
            changes.append(Change(twin.urn, twin.type, "rename", [], [reason], gone.urn))
        elif gone.urn not in team_components:
            changes.append(Change(gone.urn, gone.type, "delete", [], _data_loss(gone, "deletion")))
    renamed_to = {r.urn for r in renames.values()} | {now.component.urn for _, now in team_renames}
    changes += [Change(r.urn, r.type, "add") for r in added if r.urn not in renamed_to]
    return changes


def _rename_advice(gone: PlannedResource, team_renames: list[tuple[Team, Team]]) -> str:
    """Why a rename without an alias blocks, and the fix: a renamed team's `previousNames`,
    else the alias in Python."""
    why = f"renamed from {gone.urn} without an alias: Pulumi would delete and recreate it; "
    team = owner(gone, [was for was, _ in team_renames])
    if team is not None:
        now = next(now for was, now in team_renames if was == team)
        return why + advice(team.name, now.name)
    return why + (
        f"add opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name={gone.name!r})]) "
        "(and parent= if the parent changed)"
    )


def _update(before: PlannedResource, current: PlannedResource) -> Change | None:
    """The update or replacement of a resource in both plans; None when nothing changed."""
    values = {path: masked(a, b) for path, a, b in changed_values(before.inputs, current.inputs)}
    forcing = replaces(current.type, list(values), current.replace_on_changes)
    if before.protect != current.protect:
        values[PROTECT_FIELD] = (before.protect, current.protect)
    if not values:
        return None
    guards = weakened(current.type, before.inputs, current.inputs, before.protect, current.protect)
    if not forcing:
        return Change(current.urn, current.type, "update", list(values), guards, values=values)
    reasons = [
        f"{r} ({', '.join(forcing)} force replacement)" for r in _data_loss(before, "replacement")
    ]
    return Change(
        current.urn, current.type, "replace", list(values), reasons + guards, values=values
    )


def _renames(
    deleted: list[PlannedResource], added: list[PlannedResource]
) -> dict[str, PlannedResource]:
    """Deleted URN -> the added resource of the same type with equal inputs."""
    found: dict[str, PlannedResource] = {}
    taken: set[str] = set()
    for gone in deleted:
        for fresh in added:
            same = fresh.type == gone.type and fresh.inputs == gone.inputs and fresh.custom
            if same and fresh.urn not in taken:
                found[gone.urn] = fresh
                taken.add(fresh.urn)
                break
    return found
