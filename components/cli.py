"""The `mlplatform` command line: `mlplatform plan STACK` and friends.

Exit codes: 0 success, 1 any other failure, 2 invalid stack config (and command-line usage
errors), 3 mandatory policy violations (`check`, `summary`), 4 blocking changes (`diff`),
5 anything blocking (`review`).

Written on click directly: every command pays for its command line, and click's decorators
cost about a third of typer's import plus typer's reading of every command's type hints at
each run (benchmark: 14 ms against 40 to 50 ms).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from mlplatform import __version__

if TYPE_CHECKING:
    from mlplatform.engine.plan import Plan

EXIT_FAILURE = 1
EXIT_INVALID_CONFIG = 2
DEFAULT_STACK = "aws-dev"

Decorated = TypeVar("Decorated", bound=Callable[..., Any])


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    MERMAID = "mermaid"
    URNS = "urns"


class CheckFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"


PATH = click.Path(path_type=Path)

stack_argument = click.argument("stack", default=DEFAULT_STACK, required=False)
project_dir_option = click.option(
    "--project-dir",
    type=PATH,
    help="Directory holding Pulumi.yaml. Default: the current directory or its parents.",
)
output_option = click.option("--output", "-o", type=PATH, help="Write to FILE instead of stdout.")


def format_option(formats: type[StrEnum]) -> Callable[[Decorated], Decorated]:
    """`--format/-f`, one of `formats`, the first by default."""
    values = [member.value for member in formats]
    return click.option(
        "--format",
        "-f",
        "format",
        type=click.Choice(values),
        default=values[0],
        show_default=True,
        help="Output format.",
    )


report_format_option = format_option(CheckFormat)


def _exit(code: int, message: str | None = None) -> NoReturn:
    """Leave with `code`, after `message` on stderr."""
    if message is not None:
        click.echo(message, err=True)
    sys.exit(code)


@click.group(
    help="mlplatform: plan and check multi-cloud ML platforms offline, with the real Pulumi "
    "program and no cloud access.",
    context_settings={"max_content_width": 100},
)
def app() -> None:
    pass


@app.command()
def version() -> None:
    """Print the mlplatform version."""
    click.echo(__version__)


@app.command()
@stack_argument
@format_option(Format)
@output_option
@project_dir_option
def plan(stack: str, format: str, output: Path | None, project_dir: Path | None) -> None:
    """Run the stack's program offline under mocks; show every resource it would create.

    STACK is a stack name (config at stacks/Pulumi.STACK.yaml) or a path to a stack config
    file; aws-dev by default.
    """
    from mlplatform.engine.views import RENDERERS

    result = _plan_or_exit(stack, project_dir)
    text = RENDERERS[format](result)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output} ({len(result.resources)} resources)", err=True)


def _plan_or_exit(stack: str, project_dir: Path | None) -> Plan:
    """The stack's offline plan, or exit 2 (invalid config) / 1 (anything else)."""
    from mlplatform.engine import PlanError, run_stack
    from mlplatform.spec import ConfigError

    try:
        return run_stack(stack, project_dir)
    except ConfigError as exc:
        _exit(EXIT_INVALID_CONFIG, f"error: {exc}")
    except PlanError as exc:
        _exit(EXIT_FAILURE, f"error: {exc}")


@app.command()
@stack_argument
@report_format_option
@click.option(
    "--policy-config",
    type=PATH,
    help="Policy pack config, as for `pulumi preview --policy-pack-config`: "
    '{"<policy>": {"<property>": value}}.',
)
@click.option(
    "--policy-pack", type=PATH, help="Policy pack directory. Default: policies/ of the project."
)
@project_dir_option
def check(
    stack: str,
    format: str,
    policy_config: Path | None,
    policy_pack: Path | None,
    project_dir: Path | None,
) -> None:
    """Plan the stack offline and run the policy pack (policies/) over it, through the pack's
    own gRPC analyzer protocol. Exit 3 on a mandatory violation.

    STACK is a stack name or a path to a stack config file; aws-dev by default.
    """
    from mlplatform.checks import PackError, PolicyConfigError, check_stack
    from mlplatform.checks.report import RENDERERS
    from mlplatform.engine import PlanError
    from mlplatform.spec import ConfigError

    try:
        report = check_stack(stack, project_dir, policy_config, policy_pack)
    except (ConfigError, PolicyConfigError) as exc:
        _exit(EXIT_INVALID_CONFIG, f"error: {exc}")
    except (PlanError, PackError) as exc:
        _exit(EXIT_FAILURE, f"error: {exc}")
    sys.stdout.write(RENDERERS[format](report))
    _exit(report.exit_code)


@app.command("critical-path")
@stack_argument
@report_format_option
@project_dir_option
def critical_path(stack: str, format: str, project_dir: Path | None) -> None:
    """Estimate a first `pulumi up`'s wall time: the longest chain of resources that wait for
    each other, weighted by typical create durations.

    STACK is a stack name or a path to a stack config file; aws-dev by default.
    """
    from mlplatform.checks import critical_path as paths

    plan = _plan_or_exit(stack, project_dir)
    sys.stdout.write(paths.RENDERERS[format](plan.stack, paths.critical_path(plan)))


@app.command()
@stack_argument
@report_format_option
@click.option(
    "--against",
    type=PATH,
    help="Plan JSON of the base (plan --format json): show the cost change.",
)
@click.option(
    "--expected-gpu-hours",
    type=click.FloatRange(0, 730),
    help="Override budget.expectedGpuHours (hours a month per GPU node).",
)
@project_dir_option
def cost(
    stack: str,
    format: str,
    against: Path | None,
    expected_gpu_hours: float | None,
    project_dir: Path | None,
) -> None:
    """Estimate the stack's monthly cost from the shipped price tables: every pool at its
    minimum (low), at its maximum around the clock (high), and at the expected GPU hours.
    Prices not in the tables are reported as unknown, never as zero.

    STACK is a stack name or a path to a stack config file; aws-dev by default.
    """
    from dataclasses import replace

    from mlplatform.cost import Assumptions, estimate_plan
    from mlplatform.cost.views import DELTA_RENDERERS, RENDERERS, compare
    from mlplatform.engine.runner import stack_spec

    plan = _plan_or_exit(stack, project_dir)
    spec = stack_spec(stack, project_dir)
    assumptions = Assumptions.of(spec)
    if expected_gpu_hours is not None:
        assumptions = replace(assumptions, expected_gpu_hours=expected_gpu_hours)
    head = estimate_plan(plan, assumptions)
    if against is None:
        budget = spec.budget.max_monthly_usd if spec else None
        sys.stdout.write(RENDERERS[format](head, budget))
        return
    base = estimate_plan(_read_plan(against), assumptions)
    sys.stdout.write(DELTA_RENDERERS[format](compare(base, head)))


def _read_plan(path: Path) -> Plan:
    """A plan JSON file, or exit 2 naming what is wrong with it."""
    import json

    from mlplatform.engine.plan import Plan

    try:
        return Plan.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        _exit(EXIT_INVALID_CONFIG, f"error: {path} is not a plan JSON file: {exc}")


@app.command()
@click.argument("base_ref")
@click.option("--output", "-o", type=PATH, help="Write the Markdown to FILE.")
@project_dir_option
def review(base_ref: str, output: Path | None, project_dir: Path | None) -> None:
    """The pull-request report: every shipped stack planned at BASE_REF (a git ref to compare
    with, e.g. origin/main) and now, diffed, checked and given its critical path, as Markdown.
    Exit 5 when anything blocks."""
    from mlplatform.checks.review import review as run_review
    from mlplatform.checks.review import to_markdown
    from mlplatform.engine.runner import find_project_dir

    result = run_review(base_ref, project_dir or find_project_dir())
    text = to_markdown(result)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
    _exit(result.exit_code)


@app.command()
@click.argument("stacks", nargs=-1)
@report_format_option
@click.option(
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Processes that plan (forked from this one, one target's stacks each at a time; "
    "Linux). 0: one per CPU. 1: every stack in this process.",
)
@project_dir_option
def summary(stacks: tuple[str, ...], format: str, jobs: int, project_dir: Path | None) -> None:
    """Every stack planned, checked against the policy pack, costed and given its critical
    path, in one command (the engine and each cloud's SDK imported once, one pack for all):
    one row per stack. Exit 3 when any stack has a mandatory violation.

    STACKS are the stacks to include; by default every Pulumi.<stack>.yaml of the project.
    """
    from mlplatform.checks import PackError
    from mlplatform.checks.summary import RENDERERS, summarize
    from mlplatform.engine import PlanError
    from mlplatform.engine.runner import find_project_dir
    from mlplatform.spec import ConfigError

    try:
        workers = jobs or os.cpu_count() or 1
        result = summarize(project_dir or find_project_dir(), list(stacks) or None, workers)
    except ConfigError as exc:
        _exit(EXIT_INVALID_CONFIG, f"error: {exc}")
    except (PlanError, PackError) as exc:
        _exit(EXIT_FAILURE, f"error: {exc}")
    sys.stdout.write(RENDERERS[format](result))
    _exit(result.exit_code)


@app.command()
@click.argument("base", type=PATH)
@click.argument("head", type=PATH)
@report_format_option
def diff(base: Path, head: Path, format: str) -> None:
    """What HEAD changes against BASE (both plan JSON, from plan --format json): added,
    updated, replaced, deleted and renamed resources. Exit 4 when a change would lose data or
    replace a renamed resource."""
    from mlplatform.checks.diff import diff_plans
    from mlplatform.checks.diff_views import RENDERERS

    result = diff_plans(_read_plan(base), _read_plan(head))
    sys.stdout.write(RENDERERS[format](result))
    _exit(result.exit_code)


def main() -> None:
    """Console-script entry point."""
    from mlplatform.engine.process import short_lived

    with short_lived():
        app(prog_name="mlplatform")
