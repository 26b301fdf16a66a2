"""`mlplatform review BASE_REF`: the pull-request report. Every shipped stack is planned at the
base git ref (its own code, checked out in a temporary worktree) and at the working tree, then
diffed, checked against the policy pack, costed (both plans at the stack's current assumptions)
and given its critical path; the result is one Markdown
report, a summary table first and a collapsible section per stack, kept under GitHub's comment
limit by trimming the sections, never the summary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mlplatform.checks import PACK_DIR, check_stack, pack_session
from mlplatform.checks.critical_path import critical_path
from mlplatform.checks.critical_path import to_markdown as path_markdown
from mlplatform.checks.diff import PlanDiff, diff_plans
from mlplatform.checks.diff_views import to_markdown as diff_markdown
from mlplatform.checks.report import CheckReport
from mlplatform.checks.report import to_markdown as check_markdown
from mlplatform.cost import Assumptions, Estimate, estimate_plan
from mlplatform.cost.model import signed_usd, usd
from mlplatform.cost.views import compare, delta_markdown
from mlplatform.cost.views import to_markdown as cost_markdown
from mlplatform.engine import run_stack
from mlplatform.engine.plan import Plan
from mlplatform.engine.runner import project_stacks, stack_spec

COMMENT_LIMIT = 65_536
"""GitHub's limit on a comment body."""
MARKER = "<!-- mlplatform-review -->"
"""Lets the workflow find and update its own comment."""
EXIT_CLEAN, EXIT_FAILED = 0, 5
CLI = "import sys; from mlplatform.cli import main; sys.argv[0] = 'mlplatform'; main()"
"""The base's own command line, run with its code first on the path."""


@dataclass(frozen=True)
class StackReview:
    stack: str
    diff: PlanDiff | None
    """None when the stack does not exist at the base."""
    check: CheckReport
    minutes: float
    base_minutes: float | None
    cost: Estimate
    base_cost: Estimate | None
    """None when the stack does not exist at the base."""
    sections: str


@dataclass(frozen=True)
class Review:
    base_ref: str
    stacks: list[StackReview]

    @property
    def failed(self) -> bool:
        return any(
            (s.diff and s.diff.blocking) or s.check.mandatory_violations for s in self.stacks
        )

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED if self.failed else EXIT_CLEAN


@contextmanager
def worktree(root: Path, ref: str) -> Iterator[Path]:
    """`ref` checked out beside the repository, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="mlplatform-base-") as scratch:
        path = Path(scratch) / "base"
        subprocess.run(
            ["git", "-C", str(root), "worktree", "add", "--detach", str(path), ref],
            check=True,
            capture_output=True,
        )
        try:
            yield path
        finally:
            subprocess.run(
                ["git", "-C", str(root), "worktree", "remove", "--force", str(path)],
                check=False,
                capture_output=True,
            )


def plan_at(base: Path, stack: str, out: Path) -> Plan | None:
    """Plan `stack` with the base's own code: its `components/` shadows the installed package
    (a `mlplatform` link first on the path), under the same provider SDKs."""
    if not (base / "stacks" / f"Pulumi.{stack}.yaml").is_file():
        return None
    shim = out.parent / "shim"
    shim.mkdir(exist_ok=True)
    if not (shim / "mlplatform").exists():
        (shim / "mlplatform").symlink_to(base / "components", target_is_directory=True)
    env = {**os.environ, "PYTHONPATH": str(shim)}
    command = [sys.executable, "-c", CLI, "plan", stack, "-f", "json", "-o", str(out)]
    result = subprocess.run(command, cwd=base, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"planning {stack} at the base failed: {result.stderr.strip()}")
    return Plan.from_json(json.loads(out.read_text(encoding="utf-8")))


def review(base_ref: str, root: Path) -> Review:
    stacks: list[StackReview] = []
    with (
        worktree(root, base_ref) as base,
        tempfile.TemporaryDirectory() as scratch,
        pack_session(root / PACK_DIR) as session,
    ):
        for stack in project_stacks(root):
            before = plan_at(base, stack, Path(scratch) / f"{stack}.json")
            after = run_stack(stack, root)
            change = diff_plans(before, after) if before is not None else None
            check = check_stack(stack, root, plan=after, session=session)
            path = critical_path(after)
            base_minutes = critical_path(before).minutes if before is not None else None
            spec = stack_spec(stack, root)
            assumptions = Assumptions.of(spec)
            cost = estimate_plan(after, assumptions)
            base_cost = estimate_plan(before, assumptions) if before is not None else None
            budget = spec.budget.max_monthly_usd if spec else None
            parts = [
                diff_markdown(change) if change else "New stack: nothing to diff against.\n",
                check_markdown(check),
                delta_markdown(compare(base_cost, cost)) if base_cost else "",
                cost_markdown(cost, budget),
                path_markdown(stack, path),
            ]
            stacks.append(
                StackReview(
                    stack,
                    change,
                    check,
                    path.minutes,
                    base_minutes,
                    cost,
                    base_cost,
                    "\n".join(p for p in parts if p),
                )
            )
    return Review(base_ref, stacks)


def _row(s: StackReview) -> str:
    d = s.diff
    counts = (
        " | ".join(str(d.count(k)) for k in ("add", "update", "replace", "delete"))
        if d
        else "new | | |"
    )
    blocking = len(d.blocking) if d else 0
    mandatory = len(s.check.mandatory_violations)
    delta = "" if s.base_minutes is None else f" ({s.minutes - s.base_minutes:+g})"
    status = "❌" if blocking or mandatory else "✅"
    return (
        f"| {status} `{s.stack}` | {counts} | {blocking} | {mandatory} | {_cost(s)} "
        f"| {s.minutes:g} min{delta} |"
    )


def _cost(s: StackReview) -> str:
    """Expected monthly cost and its change: "$1,234.00 (+$10.00)"; "≥" when part is unknown."""
    floor = "" if s.cost.complete else "≥ "
    now = f"{floor}{usd(s.cost.total.expected)}"
    if s.base_cost is None:
        return now
    return f"{now} ({signed_usd(s.cost.total.expected - s.base_cost.total.expected)})"


def to_markdown(result: Review, limit: int = COMMENT_LIMIT) -> str:
    """The report; sections are trimmed (largest first) until it fits in `limit`."""
    head = [
        MARKER,
        f"## mlplatform review against `{result.base_ref}`",
        "",
        "| stack | adds | changes | replaces | deletes | blocking | mandatory violations "
        "| cost a month (expected, change) | critical path |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *(_row(s) for s in result.stacks),
        "",
    ]
    sections = {s.stack: s.sections for s in result.stacks}

    def render() -> str:
        body = [
            f"<details><summary><code>{name}</code></summary>\n\n{text}\n</details>\n"
            for name, text in sections.items()
        ]
        return "\n".join(head) + "\n" + "\n".join(body)

    text = render()
    while len(text) > limit:
        name = max(sections, key=lambda n: len(sections[n]))
        keep = max(0, len(sections[name]) - (len(text) - limit) - 200)
        trimmed = sections[name][:keep].rsplit("\n", 1)[0]
        sections[name] = trimmed + "\n\n… trimmed to fit a comment; run the command locally.\n"
        if keep == 0:
            sections[name] = "… trimmed to fit a comment; run the command locally.\n"
        text = render()
    return text
