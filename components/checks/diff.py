"""`mlplatform diff BASE.json HEAD.json`: what a change to the program does to a stack, from
two `plan --format json` files, before anyone runs `pulumi up`.

Resources are added, deleted, updated (the input fields that changed; secrets stay masked),
or replaced (a field that forces replacement changed: the provider's list in
`replacements.py`, or the resource's own replaceOnChanges). Blocking, exit 4:

- deleting or replacing a stateful or protected resource (data would be lost);
- a URN that disappears while a resource of the same type with equal inputs appears: a rename
  that replaces real infrastructure unless the new resource aliases the old URN.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from mlplatform.checks.replacements import STATEFUL, replaces
from mlplatform.engine.plan import Plan, PlannedResource

Kind = Literal["add", "delete", "update", "replace", "rename"]
EXIT_CLEAN = 0
EXIT_BLOCKING = 4


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


def changed_paths(old: Any, new: Any, prefix: str = "") -> Iterator[str]:
    """Property paths whose values differ, as the engine writes them (list items by index). A
    value unknown on both sides cannot be compared and is not reported; known on one side
    only, it is."""
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in sorted(set(old) | set(new)):
            yield from changed_paths(old.get(key), new.get(key), property_path(prefix, str(key)))
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from changed_paths(a, b, f"{prefix}[{i}]")
    elif old != new:
        yield prefix


def _stateful(resource: PlannedResource) -> bool:
    return resource.protect or resource.type in STATEFUL


def _data_loss(resource: PlannedResource, kind: str) -> list[str]:
    if not _stateful(resource):
        return []
    what = "protected" if resource.protect else "stateful"
    return [f"{kind} of a {what} resource: its data would be lost"]


def diff_plans(base: Plan, head: Plan) -> PlanDiff:
    """Every change from `base` to `head`."""
    old, new = base.by_urn(), head.by_urn()
    aliased = {alias: r.urn for r in head.resources for alias in r.aliases}
    changes: list[Change] = []
    added = [r for urn, r in new.items() if urn not in old and not any(a in old for a in r.aliases)]
    deleted = [r for urn, r in old.items() if urn not in new and urn not in aliased]
    renames = _renames(deleted, added)
    for gone in deleted:
        if gone.urn in renames:
            twin = renames[gone.urn]
            reason = (
                f"renamed from {gone.urn} without an alias: Pulumi would delete and recreate it; "
                f"add opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name={gone.name!r})]) "
                "(and parent= if the parent changed)"
            )
            changes.append(Change(twin.urn, twin.type, "rename", [], [reason], gone.urn))
        else:
            changes.append(Change(gone.urn, gone.type, "delete", [], _data_loss(gone, "deletion")))
    renamed_to = {r.urn for r in renames.values()}
    changes += [Change(r.urn, r.type, "add") for r in added if r.urn not in renamed_to]
    for urn, current in new.items():
        before = old.get(urn) or old.get(next((a for a in current.aliases if a in old), ""))
        if before is None:
            continue
        fields = list(changed_paths(before.inputs, current.inputs))
        if not fields:
            continue
        forcing = replaces(current.type, fields, current.replace_on_changes)
        if forcing:
            reasons = _data_loss(before, "replacement")
            reasons = [f"{r} ({', '.join(forcing)} force replacement)" for r in reasons]
            changes.append(Change(urn, current.type, "replace", fields, reasons))
        else:
            changes.append(Change(urn, current.type, "update", fields))
    order = {"rename": 0, "delete": 1, "replace": 2, "update": 3, "add": 4}
    changes.sort(key=lambda c: (not c.blocking, order[c.kind], c.urn))
    return PlanDiff(head.stack, changes)


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
