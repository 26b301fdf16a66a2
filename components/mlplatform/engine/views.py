"""Views of a plan: a terminal tree (rich), JSON, Markdown and a Mermaid graph."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from mlplatform.engine.plan import Plan, PlannedResource

if TYPE_CHECKING:
    from rich.tree import Tree

FORMATS = ("table", "json", "markdown", "mermaid", "urns")
TABLE_WIDTH = 120
"""Columns of the table view when neither COLUMNS nor a terminal says."""


def _label(r: PlannedResource) -> str:
    from rich.markup import escape

    flags = " [bold red](protected)[/]" if r.protect else ""
    kind = "" if r.custom else " [dim](component)[/]"
    return f"[cyan]{escape(r.type)}[/] [bold]{escape(r.name)}[/]{kind}{flags}"


def render_table(plan: Plan, width: int | None = None, color: bool = False) -> str:
    """A tree by parent, then resource counts per type, then the outputs; `width` columns
    (default: the terminal's). Plan text is escaped: `[secret]` is a value, not markup."""
    from rich.console import Console  # only this view needs rich
    from rich.markup import escape
    from rich.table import Table
    from rich.tree import Tree

    from mlplatform import terminal

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or terminal.width(TABLE_WIDTH),
        force_terminal=color,
        color_system=None if not color else "auto",
        highlight=False,
    )
    kids = plan.children()
    tree = Tree(
        f"[bold]{escape(plan.project)}[/] / [bold]{escape(plan.stack)}[/] "
        f"(target: {escape(plan.target)})"
    )
    pending: list[tuple[Tree, PlannedResource]] = [(tree, r) for r in kids[None]]
    while pending:
        branch, resource = pending.pop(0)
        node = branch.add(_label(resource))
        pending[:0] = [(node, child) for child in kids[resource.urn]]
    console.print(tree)
    counts = Table(title=f"{len(plan.resources)} resources", show_lines=False)
    counts.add_column("type", overflow="fold")  # narrow terminals: wrap, never cut
    counts.add_column("count", justify="right")
    for type_, count in sorted(plan.type_counts().items()):
        counts.add_row(escape(type_), str(count))
    console.print(counts)
    if plan.outputs:
        outputs = Table(title="outputs")
        outputs.add_column("name", overflow="fold")
        outputs.add_column("value", overflow="fold")
        for key, value in plan.outputs.items():
            outputs.add_row(escape(key), escape(json.dumps(value)))
        console.print(outputs)
    return buffer.getvalue()


def render_json(plan: Plan) -> str:
    return json.dumps(plan.to_json(), indent=2) + "\n"


def _depths(plan: Plan) -> dict[str, int]:
    depth: dict[str, int] = {}
    for r in plan.resources:  # tree order: a parent always comes before its children
        depth[r.urn] = depth[r.parent] + 1 if r.parent in depth else 0
    return depth


def render_markdown(plan: Plan) -> str:
    depth = _depths(plan)
    lines = [
        f"## Plan: `{plan.project}` / `{plan.stack}` (target `{plan.target}`)",
        "",
        f"{len(plan.resources)} resources, {sum(r.protect for r in plan.resources)} protected.",
        "",
        "| resource | type | protected |",
        "| --- | --- | --- |",
    ]
    for r in plan.resources:
        indent = "&nbsp;&nbsp;" * depth[r.urn]
        lines.append(f"| {indent}`{r.name}` | `{r.type}` | {'yes' if r.protect else ''} |")
    lines += ["", "| type | count |", "| --- | ---: |"]
    lines += [f"| `{t}` | {c} |" for t, c in sorted(plan.type_counts().items())]
    if plan.outputs:
        lines += ["", "| output | value |", "| --- | --- |"]
        lines += [f"| `{k}` | `{json.dumps(v)}` |" for k, v in plan.outputs.items()]
    return "\n".join(lines) + "\n"


def render_mermaid(plan: Plan) -> str:
    """Parent edges dotted, dependency edges solid; providers and the stack left out."""
    shown = [
        r
        for r in plan.resources
        if not r.type.startswith("pulumi:providers:") and r.type != "pulumi:pulumi:Stack"
    ]
    ids = {r.urn: f"r{i}" for i, r in enumerate(shown)}
    lines = ["graph TD"]
    for r in shown:
        shape = ('["', '"]') if r.custom else ('(["', '"])')
        lines.append(f"  {ids[r.urn]}{shape[0]}{r.name}<br/><small>{r.type}</small>{shape[1]}")
    for r in shown:
        if r.parent in ids:
            lines.append(f"  {ids[r.parent]} -.-> {ids[r.urn]}")
        lines += [
            f"  {ids[d]} --> {ids[r.urn]}" for d in r.dependencies if d in ids and d != r.parent
        ]
    return "\n".join(lines) + "\n"


def render_urns(plan: Plan) -> str:
    """Every URN, sorted, one per line: the stack's URN snapshot."""
    return "".join(f"{urn}\n" for urn in sorted(r.urn for r in plan.resources))


RENDERERS: dict[str, Callable[[Plan], str]] = {
    "table": render_table,
    "json": render_json,
    "markdown": render_markdown,
    "mermaid": render_mermaid,
    "urns": render_urns,
}
