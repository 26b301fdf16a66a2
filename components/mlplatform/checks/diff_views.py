"""`mlplatform diff` output: a table, JSON or Markdown, blocking changes first; each changed
field with its value before → after (masked as the diff masks them; long values cut short in
the table and Markdown, whole in JSON)."""

from __future__ import annotations

import io
import json
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from mlplatform.checks.diff import Change, PlanDiff

KINDS = ("add", "update", "replace", "delete", "rename")
VALUE_CHARS = 60
"""A value longer than this is cut short in the table and Markdown."""
MARKDOWN_FIELDS = 8
"""Fields listed per change in Markdown (a pull-request comment has a size limit)."""


def _short(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def _value(value: Any) -> str:
    """A field's value as its JSON, cut short; `unset` when absent."""
    if value is None:
        return "unset"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1] + "…"


def _fields(change: Change) -> list[str]:
    """`path: before → after` for each changed field (only the path when no values)."""
    lines = []
    for path in change.fields:
        if path in change.values:
            before, after = change.values[path]
            lines.append(f"{path}: {_value(before)} → {_value(after)}")
        else:
            lines.append(path)
    return lines


def _markdown_value(value: Any) -> str:
    if value is None:
        return "unset"
    return "`" + _value(value).replace("`", "'").replace("|", "\\|") + "`"


def _markdown_fields(change: Change) -> str:
    cells = []
    for path in change.fields[:MARKDOWN_FIELDS]:
        cell = f"`{path}`".replace("|", "\\|")
        if path in change.values:
            before, after = change.values[path]
            cell += f": {_markdown_value(before)} → {_markdown_value(after)}"
        cells.append(cell)
    more = " …" if len(change.fields) > MARKDOWN_FIELDS else ""
    return "<br>".join(cells) + more


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
                "values": {
                    path: {"before": before, "after": after}
                    for path, (before, after) in c.values.items()
                },
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
        why = "<br>".join(b.replace("|", "\\|") for b in c.blocking)
        mark = f"**{c.kind}**" if c.blocking else c.kind
        lines.append(f"| {mark} | `{_short(c.urn)}` | `{c.type}` | {_markdown_fields(c)} | {why} |")
    return "\n".join(lines) + "\n"


def to_table(diff: PlanDiff, width: int = 140) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=False, color_system=None)
    table = Table(title=f"mlplatform diff {escape(diff.stack)}")
    for column in ("change", "resource", "type", "fields", "blocking"):
        table.add_column(column, overflow="fold")  # wrap, never cut
    for c in diff.changes:
        # Escaped: a value such as "[secret]" or a message's "aliases=[...]" is not markup.
        table.add_row(
            c.kind,
            escape(_short(c.urn)),
            escape(c.type),
            escape("\n".join(_fields(c))),
            escape("\n".join(c.blocking)),
        )
    console.print(table)
    console.print(summary(diff))
    return buffer.getvalue()


RENDERERS = {"table": to_table, "json": to_json, "markdown": to_markdown}
