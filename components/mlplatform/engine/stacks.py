"""The project's stacks as its files declare them: one `Pulumi.<stack>.yaml` each in the stack
config directory that Pulumi.yaml names (`stackConfigDir`). `mlplatform stacks` prints them,
and the deploy workflows take that as their matrix, so a new stack file is deployed without
editing a workflow."""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path
from typing import NamedTuple

from mlplatform.engine.runner import project_stacks, stack_spec


class StackInfo(NamedTuple):
    """One stack: what a CI job needs to log in and deploy it."""

    stack: str
    target: str | None
    """aws | azure | gcp | kubernetes; None for a program not configured by the spec."""
    environment: str | None
    """dev | staging | prod."""
    region: str | None
    """The cloud region; None on the kubernetes target."""


def list_stacks(
    project_dir: Path,
    targets: Collection[str] = (),
    environments: Collection[str] = (),
) -> list[StackInfo]:
    """Every stack of the project, by name, its spec validated (raises `ConfigError`); only
    those of `targets` and `environments` when given."""
    found = []
    for name in project_stacks(project_dir):
        spec = stack_spec(name, project_dir)
        info = (
            StackInfo(name, None, None, None)
            if spec is None
            else StackInfo(name, spec.target.value, spec.environment.value, spec.region)
        )
        if (not targets or info.target in targets) and (
            not environments or info.environment in environments
        ):
            found.append(info)
    return found


def to_json(stacks: list[StackInfo]) -> str:
    """One line, a list of objects: a GitHub Actions matrix (`include: ${{ fromJSON(...) }}`)."""
    return json.dumps([s._asdict() for s in stacks], separators=(",", ":")) + "\n"


def to_table(stacks: list[StackInfo]) -> str:
    rows = [("stack", "target", "environment", "region")]
    rows += [(s.stack, s.target or "-", s.environment or "-", s.region or "-") for s in stacks]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() + "\n"
        for row in rows
    )
