"""Layer 6.1, the offline engine: run the real program under the SDK's mocks and capture it.

`run_stack(stack)` returns a `Plan`: every resource registration (type, name,
URN, parent, dependencies, inputs with secrets masked) and the stack outputs,
with no Pulumi CLI, credentials or network. Beside it: the plan's views (`views`: tree, JSON,
Markdown, Mermaid), Pulumi YAML programs (`yaml_program`) and the project's stacks (`stacks`).

The names below load on first use, so a command that only reads a plan (`diff`) or only
needs the mocks does not import the runner, the environment spec and pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlplatform.engine.plan import Plan, PlannedResource
    from mlplatform.engine.runner import (
        PlanError,
        ProgramError,
        resolve_stack_file,
        run_program,
        run_stack,
    )

_EXPORTS = {
    "Plan": "mlplatform.engine.plan",
    "PlannedResource": "mlplatform.engine.plan",
    "PlanError": "mlplatform.engine.runner",
    "ProgramError": "mlplatform.engine.runner",
    "resolve_stack_file": "mlplatform.engine.runner",
    "run_program": "mlplatform.engine.runner",
    "run_stack": "mlplatform.engine.runner",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "Plan",
    "PlanError",
    "PlannedResource",
    "ProgramError",
    "resolve_stack_file",
    "run_program",
    "run_stack",
]
