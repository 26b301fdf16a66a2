"""`mlplatform summary`: every stack of the project planned, checked, costed and given its
critical path in one command, one row per stack. The engine and the provider SDKs are imported
once for all stacks, and one policy pack serves them all: it analyses a stack while the next one
is planned.
"""

from __future__ import annotations

import importlib
import io
import json
import multiprocessing
import queue
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mlplatform.checks import check_stack, find_pack, pack_session
from mlplatform.checks.critical_path import critical_path
from mlplatform.checks.report import FAILED, NOT_EVALUATED, CheckReport
from mlplatform.cost import Assumptions, Estimate, estimate_plan
from mlplatform.cost.model import usd
from mlplatform.engine import resolve_stack_file, run_stack
from mlplatform.engine.plan import Plan
from mlplatform.engine.runner import project_stacks, stack_spec
from mlplatform.environment.loader import NAMESPACE, stack_file_config

EXIT_CLEAN, EXIT_MANDATORY_VIOLATIONS = 0, 3


@dataclass(frozen=True)
class StackSummary:
    stack: str
    target: str
    resources: int
    check: CheckReport
    cost: Estimate
    budget: float | None
    """The stack's budget.maxMonthlyUsd, if it sets one."""
    minutes: float
    """The critical path of a first `pulumi up`, in minutes."""

    @property
    def mandatory(self) -> int:
        return len(self.check.mandatory_violations)

    @property
    def advisory(self) -> int:
        return sum(
            len(r.violations) for r in self.check.results if r.policy.enforcement == "advisory"
        )

    @property
    def not_evaluated(self) -> int:
        return sum(1 for r in self.check.results if r.status == NOT_EVALUATED)

    @property
    def failed_policies(self) -> list[str]:
        return [r.policy.name for r in self.check.results if r.status == FAILED]


@dataclass(frozen=True)
class Summary:
    stacks: list[StackSummary]

    @property
    def exit_code(self) -> int:
        return EXIT_MANDATORY_VIOLATIONS if any(s.mandatory for s in self.stacks) else EXIT_CLEAN


def summarize(root: Path, stacks: list[str] | None = None, jobs: int = 1) -> Summary:
    """Plan, check, cost and time `stacks` (default: every `Pulumi.<stack>.yaml` of the
    project). Raises `ConfigError` or `PlanError` naming a stack that cannot be planned, and
    `PackError` when the pack fails. The pack is the project's `policies/` or the shipped one.

    The pack starts, and checks each planned stack, on a second thread while the next stack is
    planned: the pack is another process, so the two use two cores. With `jobs` > 1 (on Linux)
    the stacks are planned by that many worker processes forked from this one, so the engine
    and the Kubernetes layer are imported once for all; each worker plans one target's stacks
    at a time, importing that cloud's SDK once."""
    names = stacks if stacks is not None else project_stacks(root)
    pack = find_pack(None, root)
    planned: queue.Queue[Planned | None] = queue.Queue()
    rows: dict[str, StackSummary] = {}

    def check_each() -> None:
        with pack_session(pack) as session:
            while (item := planned.get()) is not None:
                check = check_stack(item.given, root, plan=item.plan, session=session)
                rows[item.given] = item.summary(check)

    # Workers fork before this process starts a thread or a gRPC channel.
    with _planner(root, names, jobs) as plans, ThreadPoolExecutor(1) as checker:
        checking = checker.submit(check_each)
        try:
            for given, plan in plans:
                if checking.done():  # the pack failed: stop planning, raise its error
                    break
                spec = stack_spec(given, root)
                planned.put(
                    Planned(
                        given,
                        plan,
                        estimate_plan(plan, Assumptions.of(spec)),
                        spec.budget.max_monthly_usd if spec else None,
                        critical_path(plan).minutes,
                    )
                )
        finally:
            planned.put(None)
        checking.result()
    return Summary([rows[name] for name in names])


SHARED_MODULES = (
    "mlplatform.platform",
    "mlplatform.compose.kubernetes",
    "pulumi_kubernetes.core.v1",
    "pulumi_kubernetes.apps.v1",
    "pulumi_kubernetes.batch.v1",
    "pulumi_kubernetes.helm.v3",
    "pulumi_kubernetes.networking.v1",
    "pulumi_kubernetes.rbac.v1",
    "pulumi_random",
)
"""Imported before the workers fork: every target's plan uses them (the Kubernetes layer)."""


@contextmanager
def _planner(root: Path, names: list[str], jobs: int) -> Iterator[Iterator[tuple[str, Plan]]]:
    """Each stack's plan, as (stack as given, plan), in the order they are ready."""
    if jobs <= 1 or len(names) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield ((name, run_stack(name, root)) for name in names)
        return
    for module in SHARED_MODULES:
        importlib.import_module(module)
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(_target(name, root), []).append(name)
    ordered = sorted(groups.values(), key=len, reverse=True)  # the longest first
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(min(jobs, len(ordered)), mp_context=context) as workers:
        futures = [workers.submit(_plan_group, root, group) for group in ordered]
        try:
            yield (item for done in as_completed(futures) for item in done.result())
        finally:
            for future in futures:
                future.cancel()


def _plan_group(root: Path, names: list[str]) -> list[tuple[str, Plan]]:
    """In a worker: plan stacks of one target, one after the other."""
    return [(name, run_stack(name, root)) for name in names]


def _target(stack: str, root: Path) -> str:
    _, path = resolve_stack_file(stack, root)
    return str(stack_file_config(path).get(f"{NAMESPACE}:target", ""))


@dataclass(frozen=True)
class Planned:
    """A stack planned, costed and timed, waiting for its check."""

    given: str
    """The stack as named on the command line (a name or a config file)."""
    plan: Plan
    cost: Estimate
    budget: float | None
    minutes: float

    def summary(self, check: CheckReport) -> StackSummary:
        plan = self.plan
        return StackSummary(
            plan.stack,
            plan.target,
            len(plan.resources),
            check,
            self.cost,
            self.budget,
            self.minutes,
        )


def _cost(s: StackSummary) -> str:
    floor = "" if s.cost.complete else "≥ "
    return f"{floor}{usd(s.cost.total.expected)}"


def _budget(s: StackSummary) -> str:
    return usd(s.budget) if s.budget is not None else "-"


HEADER = (
    "stack",
    "target",
    "resources",
    "mandatory",
    "advisory",
    "not evaluated",
    "expected $/month",
    "budget",
    "critical path",
)


def _cells(s: StackSummary) -> tuple[str, ...]:
    return (
        s.stack,
        s.target or "-",
        str(s.resources),
        str(s.mandatory),
        str(s.advisory),
        str(s.not_evaluated),
        _cost(s),
        _budget(s),
        f"{s.minutes:g} min",
    )


TABLE_WIDTH = 140
"""Columns of the table view when neither COLUMNS nor a terminal says."""


def to_text(summary: Summary, width: int | None = None) -> str:
    """One row per stack, `width` columns (default: the terminal's), then the stacks with
    mandatory violations."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from mlplatform import terminal

    table = Table(*HEADER, title="Every stack, planned offline")
    for s in summary.stacks:
        table.add_row(*map(escape, _cells(s)))
    out = io.StringIO()
    Console(file=out, width=width or terminal.width(TABLE_WIDTH), color_system=None).print(table)
    failed = [f"{s.stack}: {', '.join(s.failed_policies)}" for s in summary.stacks if s.mandatory]
    if failed:
        out.write("mandatory violations (mlplatform check STACK for details):\n")
        out.write("".join(f"  {line}\n" for line in failed))
    return out.getvalue()


def to_markdown(summary: Summary) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + " --- |" * len(HEADER)]
    for s in summary.stacks:
        cells = list(_cells(s))
        cells[0] = f"{'❌' if s.mandatory else '✅'} `{s.stack}`"
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def to_json(summary: Summary) -> str:
    document = [
        {
            "stack": s.stack,
            "target": s.target,
            "resources": s.resources,
            "mandatoryViolations": s.mandatory,
            "advisoryViolations": s.advisory,
            "notEvaluated": s.not_evaluated,
            "failedPolicies": s.failed_policies,
            "monthlyUsd": {
                "low": s.cost.total.low,
                "expected": s.cost.total.expected,
                "high": s.cost.total.high,
                "complete": s.cost.complete,
            },
            "budgetUsd": s.budget,
            "criticalPathMinutes": s.minutes,
        }
        for s in summary.stacks
    ]
    return json.dumps({"stacks": document, "exitCode": summary.exit_code}, indent=2) + "\n"


RENDERERS = {"table": to_text, "json": to_json, "markdown": to_markdown}
