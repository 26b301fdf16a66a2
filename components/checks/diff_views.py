"""`mlplatform diff` output: a table, JSON or Markdown, blocking changes first."""

from __future__ import annotations

import io
import json

from rich.console import Console
from rich.table import Table

from mlplatform.checks.diff import PlanDiff

KINDS = ("add", "update", "replace", "delete", "rename")


def _short(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def summary(diff: PlanDiff) -> str:
    counts = ", ".join(f"{diff.count(k)} {k}" for k in KINDS)
    return f"{counts}; {len(diff.blocking)} blocking"


def to_json(diff: PlanDiff) -> str:
    document = {
        "stack": diff.stack,
        "exitCode": diff.exit_code,
        "summary": {kind: diff.count(kind) for kind in KINDS} | {"blocking": len(diff.blocking)},
        "changes": [
            {
                "urn": c.urn,
                "type": c.type,
                "kind": c.kind,
                "fields": c.fields,
                "blocking": c.blocking,
                **({"oldUrn": c.old_urn} if c.old_urn else {}),
            }
            for c in diff.changes
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def to_markdown(diff: PlanDiff) -> str:
    lines = [
        f"### Plan diff: `{diff.stack}`",
        "",
        summary(diff) + ".",
        "",
    ]
    if diff.changes:
        lines += [
            "| change | resource | type | fields | blocking |",
            "| --- | --- | --- | --- | --- |",
        ]
    for c in diff.changes:
        fields = ", ".join(f"`{f}`" for f in c.fields[:8]) + (" …" if len(c.fields) > 8 else "")
        why = "<br>".join(b.replace("|", "\\|") for b in c.blocking)
        mark = f"**{c.kind}**" if c.blocking else c.kind
        lines.append(f"| {mark} | `{_short(c.urn)}` | `{c.type}` | {fields} | {why} |")
    return "\n".join(lines) + "\n"


def to_table(diff: PlanDiff, width: int = 140) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=False, color_system=None)
    table = Table(title=f"mlplatform diff {diff.stack}")
    for column in ("change", "resource", "type", "fields", "blocking"):
        table.add_column(column)
    for c in diff.changes:
        table.add_row(c.kind, _short(c.urn), c.type, ", ".join(c.fields), "\n".join(c.blocking))
    console.print(table)
    console.print(summary(diff))
    return buffer.getvalue()


RENDERERS = {"table": to_table, "json": to_json, "markdown": to_markdown}
