"""`mlplatform review BASE_REF`: the pull-request report, for any Pulumi project in git (its
Pulumi.yaml's `main` and `stackConfigDir`, a library installed or in the repository).

Only the stacks the change touches are planned (`review_git.touched_stacks`: a stack's own
config, or anything else that can reach a plan): each now and at the base ref (`base_plans`:
right after, in this process, unless the change touches the library), then diffed, checked
against the policy pack (started at once, checking each stack while the next is planned),
costed (both plans at the stack's current assumptions) and given its critical path. The
result is one Markdown report, a summary table first and a collapsible section per stack, kept
under GitHub's comment limit by trimming the sections, never the summary. A stack that fails
to plan, at the base or now, or whose two plans cannot be compared, is a row saying why; the
others are still reviewed. A stack whose config file the change deletes (`review_git.
deleted_stacks`) is a blocking row of its own: deleting the file destroys nothing, and taking
an environment down is a visible choice.
"""

from __future__ import annotations

import html
import os
import queue
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from mlplatform.checks import check_stack, find_pack, pack_session
from mlplatform.checks.base_plans import BasePlans, base_plans, library_folder
from mlplatform.checks.critical_path import critical_path
from mlplatform.checks.critical_path import to_markdown as path_markdown
from mlplatform.checks.diff import PlanDiff, PlanMismatchError, diff_plans
from mlplatform.checks.diff_views import to_markdown as diff_markdown
from mlplatform.checks.report import CheckReport
from mlplatform.checks.report import to_markdown as check_markdown
from mlplatform.checks.review_git import (
    ReviewError,
    changed_paths,
    deleted_stacks,
    repository,
    stack_files,
    touched_stacks,
    verify_ref,
    worktree,
)
from mlplatform.cost import Assumptions, Estimate, estimate_plan
from mlplatform.cost.model import signed_usd, usd
from mlplatform.cost.views import compare, delta_markdown
from mlplatform.cost.views import to_markdown as cost_markdown
from mlplatform.engine import PlanError, run_stack
from mlplatform.engine.plan import Plan
from mlplatform.engine.runner import (
    find_project_dir,
    resolve_stack_file,
    stack_config_dir,
    stack_spec,
)
from mlplatform.environment import ConfigError

COMMENT_LIMIT = 65_536
"""GitHub's limit on a comment body."""
MARKER = "<!-- mlplatform-review -->"
"""Lets the workflow find and update its own comment."""
EXIT_CLEAN, EXIT_FAILED = 0, 5
ROW_MESSAGE_LIMIT = 500
"""Characters of a failure's message in its summary row; its section has all of it."""
TRIMMED = "… trimmed to fit a comment; run the command locally.\n"
DELETED_SECTION = (
    "Deleted since `{ref}`: `{path}` is gone, so mlplatform no longer plans stack `{stack}`, "
    "nor does a deploy that takes its stacks from the stack files (`mlplatform stacks`). "
    "Deleting the file destroys nothing: the stack and every resource it manages keep running, "
    "and billing, in its Pulumi backend.\n\n"
    "To take the environment down, do it before the file goes, since the command reads it: "
    "`pulumi destroy --stack {stack} --remove` destroys every resource, then removes the stack "
    "and its config file (stateful resources are protected: see Teardown in mlplatform's "
    "README). `pulumi stack rm {stack}` alone refuses while the stack has resources, and "
    "`--force` forgets them without deleting them.\n"
)
"""What a deleted stack's section says. `pulumi destroy` reads the stack's config file
(`--config-file` overrides it) and `--remove` removes the stack and that file after; `pulumi
stack rm --force` leaves the stack's resources behind
(https://www.pulumi.com/docs/iac/cli/commands/pulumi_destroy/,
https://www.pulumi.com/docs/iac/cli/commands/pulumi_stack_rm/)."""

Progress = Callable[[str], None]


def _quiet(_line: str) -> None:
    pass


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
class StackFailure:
    """A stack that could not be reviewed."""

    stack: str
    reason: str
    """What failed: "failed to plan", "failed to plan at `main`", "cannot compare with `main`"."""
    message: str
    """The error's own message, paths relative to the repository."""


@dataclass(frozen=True)
class DeletedStack:
    """A stack the base has and the change deletes the config file of: blocking."""

    stack: str
    path: str
    """Its config file at the base, relative to the repository."""


@dataclass(frozen=True)
class Review:
    base_ref: str
    stacks: list[StackReview]
    failures: list[StackFailure] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    """Stacks the change does not touch: not planned."""
    deleted: list[DeletedStack] = field(default_factory=list)
    """Stacks the change deletes (when no stacks are asked for): nothing to plan."""

    @property
    def failed(self) -> bool:
        return bool(self.failures or self.deleted) or any(
            (s.diff and s.diff.blocking) or s.check.mandatory_violations for s in self.stacks
        )

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED if self.failed else EXIT_CLEAN


@dataclass(frozen=True)
class _Scope:
    """What the review covers, settled before anything is planned."""

    root: Path
    repo: Path
    stacks: list[str]
    unchanged: list[str]
    changed: list[str]
    pack: Path
    asked: bool
    """The stacks were named on the command line, not found from the change."""
    deleted: list[DeletedStack]


def _scope(
    base_ref: str, project_dir: Path | None, stacks: list[str] | None, pack_dir: Path | None
) -> _Scope:
    """Raises `ReviewError` (or `PackNotFoundError`) for input the review cannot work with."""
    try:
        root = find_project_dir(project_dir)
        repo = repository(root)
        config_dir = stack_config_dir(root)
        files = stack_files(config_dir, repo)
        given = [resolve_stack_file(s, root, config_dir)[0] for s in stacks or ()]
    except PlanError as exc:
        raise ReviewError(str(exc)) from None
    verify_ref(repo, base_ref)
    pack = find_pack(pack_dir, root)
    changed = changed_paths(repo, base_ref)
    chosen = given or touched_stacks(changed, files)
    unchanged = [] if given else sorted(set(files.values()) - set(chosen))
    now = set(files.values())
    gone = {} if given else deleted_stacks(repo, base_ref, root, config_dir, changed, now)
    deleted = [DeletedStack(stack, path) for stack, path in gone.items()]
    return _Scope(root, repo, chosen, unchanged, changed, pack, bool(given), deleted)


def review(
    base_ref: str,
    project_dir: Path | None = None,
    stacks: list[str] | None = None,
    pack_dir: Path | None = None,
    progress: Progress = _quiet,
) -> Review:
    """Review `stacks` (default: those the change since `base_ref` touches) of the project at
    or above `project_dir`. Raises `ReviewError` or `PackNotFoundError` before planning anything
    for input it cannot work with, and `PackError` when the pack fails."""
    scope = _scope(base_ref, project_dir, stacks, pack_dir)
    names = ", ".join(scope.stacks) or "none"
    if scope.asked:
        progress(f"{len(scope.stacks)} stacks asked for, against {base_ref}: {names}")
    else:
        total = len(scope.stacks) + len(scope.unchanged)
        progress(
            f"{len(scope.stacks)} of {total} stacks touched by the change since {base_ref}: {names}"
        )
    for gone in scope.deleted:
        progress(f"{gone.stack} deleted since {base_ref}: {gone.path} is gone")
    if not scope.stacks:
        return Review(base_ref, [], [], scope.unchanged, scope.deleted)
    library = library_folder(scope.repo, scope.changed)
    relative = scope.root.relative_to(scope.repo)
    jobs = os.cpu_count() or 1
    with worktree(scope.repo, base_ref) as base, tempfile.TemporaryDirectory() as scratch:
        own = base / library if library is not None else None
        folders = (scope.repo, base)
        with base_plans(base / relative, folders, scope.stacks, own, Path(scratch), jobs) as bases:
            return _Reviewer(base_ref, scope, base, progress).run(bases)


class _Pair(NamedTuple):
    """A stack's plan at the base (None: not there) and now, and their diff."""

    stack: str
    before: Plan | None
    after: Plan
    diff: PlanDiff | None


class _Reviewer:
    """Plans each stack now, takes its base plan, and hands it to the pack on another thread."""

    def __init__(self, base_ref: str, scope: _Scope, base: Path, progress: Progress) -> None:
        self.base_ref = base_ref
        self.scope = scope
        self.base = base
        self.progress = progress
        self.checks: dict[str, CheckReport] = {}
        self.queue: queue.Queue[tuple[str, Plan] | None] = queue.Queue()

    def run(self, bases: BasePlans) -> Review:
        pairs: list[_Pair] = []
        failures: list[StackFailure] = []
        with ThreadPoolExecutor(1) as checker:
            checking = checker.submit(self._check_each)
            try:
                for stack in self.scope.stacks:
                    if checking.done():  # the pack failed: stop planning, raise its error
                        break
                    outcome = self._plans(stack, bases)
                    if isinstance(outcome, StackFailure):
                        failures.append(outcome)
                        continue
                    pairs.append(outcome)
                    self.queue.put((stack, outcome.after))
            finally:
                self.queue.put(None)
            checking.result()
        reviews = [self._review(pair) for pair in pairs]
        return Review(self.base_ref, reviews, failures, self.scope.unchanged, self.scope.deleted)

    def _check_each(self) -> None:
        with pack_session(self.scope.pack) as session:
            while (item := self.queue.get()) is not None:
                stack, plan = item
                check = check_stack(stack, self.scope.root, plan=plan, session=session)
                self.checks[stack] = check
                mandatory = len(check.mandatory_violations)
                self.progress(f"{stack} checked: {mandatory} mandatory violations")

    def _plans(self, stack: str, bases: BasePlans) -> _Pair | StackFailure:
        """The stack's plans and their diff, or why they cannot be had or compared."""
        at = f"at `{self.base_ref}`"
        try:
            after = run_stack(stack, self.scope.root)
            self.progress(f"{stack} planned ({len(after.resources)} resources)")
        except (ConfigError, PlanError) as exc:
            return self._failure(stack, "failed to plan", exc)
        try:
            before = bases.plan(stack)
        except (ConfigError, PlanError) as exc:
            return self._failure(stack, f"failed to plan {at}", exc)
        if before is None:
            self.progress(f"{stack} is new: not at {self.base_ref}")
            return _Pair(stack, None, after, None)
        self.progress(f"{stack} planned at {self.base_ref} ({len(before.resources)} resources)")
        try:
            return _Pair(stack, before, after, diff_plans(before, after))
        except PlanMismatchError as exc:
            return self._failure(stack, f"cannot compare with `{self.base_ref}`", exc)

    def _failure(self, stack: str, reason: str, error: Exception) -> StackFailure:
        message = str(error)
        for folder in (self.base, self.scope.repo):  # paths as the repository has them
            message = message.replace(f"{folder}{os.sep}", "")
        failure = StackFailure(stack, reason, message)
        self.progress(f"{stack} {reason.replace('`', '')}: {_one_line(message)}")
        return failure

    def _review(self, pair: _Pair) -> StackReview:
        stack, before, after, change = pair
        check = self.checks[stack]
        path = critical_path(after)
        spec = stack_spec(stack, self.scope.root)
        assumptions = Assumptions.of(spec)
        cost = estimate_plan(after, assumptions)
        base_cost = estimate_plan(before, assumptions) if before is not None else None
        budget = spec.budget.max_monthly_usd if spec else None
        parts = [
            diff_markdown(change) if change else "New stack: nothing to diff against.\n",
            check_markdown(check),
            warnings_markdown(stack, after.warnings),
            delta_markdown(compare(base_cost, cost)) if base_cost else "",
            cost_markdown(cost, budget),
            path_markdown(stack, path),
        ]
        return StackReview(
            stack,
            change,
            check,
            path.minutes,
            critical_path(before).minutes if before is not None else None,
            cost,
            base_cost,
            "\n".join(p for p in parts if p),
        )


def warnings_markdown(stack: str, warnings: list[str]) -> str:
    """The plan's warnings (preflight's: what could not be checked, or works but costs or
    ends soon) as a list; "" when there are none."""
    if not warnings:
        return ""
    items = "\n".join(f"- {html.escape(w, quote=False)}" for w in warnings)
    return f"### Warnings: `{stack}`\n\n{len(warnings)} warning(s), not blocking:\n\n{items}\n"


def _one_line(message: str, limit: int = ROW_MESSAGE_LIMIT) -> str:
    """`message` on one line for a table cell, up to a traceback it carries and `limit`."""
    lines: list[str] = []
    for line in message.splitlines():
        if line.startswith("Traceback"):
            break
        if line.strip():
            lines.append(line.strip())
    text = " ".join(lines).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


def _failure_row(f: StackFailure) -> str:
    return f"| ❌ `{f.stack}` | {f.reason}: {_one_line(f.message)} | | | | | | | |"


def _failure_section(f: StackFailure) -> str:
    return f"{f.reason[:1].upper()}{f.reason[1:]}:\n\n```text\n{f.message}\n```\n"


def _deleted_row(d: DeletedStack) -> str:
    return (
        f"| ❌ `{d.stack}` | deleted: {d.path} is gone, the stack and its resources are not: "
        f"`pulumi destroy --stack {d.stack} --remove` takes them down | | | | | | | |"
    )


def _cost(s: StackReview) -> str:
    """Expected monthly cost and its change: "$1,234.00 (+$10.00)"; "≥" when part is unknown."""
    floor = "" if s.cost.complete else "≥ "
    now = f"{floor}{usd(s.cost.total.expected)}"
    if s.base_cost is None:
        return now
    return f"{now} ({signed_usd(s.cost.total.expected - s.base_cost.total.expected)})"


def _head(result: Review) -> list[str]:
    head = [MARKER, f"## mlplatform review against `{result.base_ref}`", ""]
    rows = {s.stack: _row(s) for s in result.stacks}
    rows.update({f.stack: _failure_row(f) for f in result.failures})
    rows.update({d.stack: _deleted_row(d) for d in result.deleted})
    if rows:
        head += [
            "| stack | adds | changes | replaces | deletes | blocking | mandatory violations "
            "| cost a month (expected, change) | critical path |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
            *(rows[name] for name in sorted(rows)),
            "",
        ]
    else:
        head += ["No stack is touched by this change.", ""]
    if result.unchanged:
        names = ", ".join(f"`{name}`" for name in result.unchanged)
        head += [f"Unchanged since `{result.base_ref}`, not planned: {names}.", ""]
    return head


def to_markdown(result: Review, limit: int = COMMENT_LIMIT) -> str:
    """The report; sections are trimmed (largest first) until it fits in `limit`."""
    head = _head(result)
    sections = {s.stack: s.sections for s in result.stacks}
    sections.update({f.stack: _failure_section(f) for f in result.failures})
    sections.update(
        {
            d.stack: DELETED_SECTION.format(ref=result.base_ref, path=d.path, stack=d.stack)
            for d in result.deleted
        }
    )
    sections = {name: sections[name] for name in sorted(sections)}

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
        sections[name] = trimmed + "\n\n" + TRIMMED
        if keep == 0:
            sections[name] = TRIMMED
        text = render()
    return text


__all__ = [
    "DeletedStack",
    "Review",
    "ReviewError",
    "StackFailure",
    "StackReview",
    "review",
    "to_markdown",
]
