"""Layer 6, the offline engine: run the real program under the SDK's mocks and capture it.

`run_stack(stack)` returns a `Plan`: every resource registration (type, name,
URN, parent, dependencies, inputs with secrets masked) and the stack outputs,
with no Pulumi CLI, credentials or network.
"""

from mlplatform.engine.plan import Plan, PlannedResource
from mlplatform.engine.runner import PlanError, resolve_stack_file, run_program, run_stack

__all__ = [
    "Plan",
    "PlanError",
    "PlannedResource",
    "resolve_stack_file",
    "run_program",
    "run_stack",
]
