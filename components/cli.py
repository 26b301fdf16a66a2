"""The `mlplatform` command line: `mlplatform plan STACK` and friends.

Exit codes: 0 success, 1 any other failure, 2 invalid stack config, 3 mandatory policy
violations (`check`, `summary`), 4 blocking changes (`diff`), 5 anything blocking (`review`).
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mlplatform import __version__

if TYPE_CHECKING:
    from mlplatform.engine.plan import Plan

EXIT_FAILURE = 1
EXIT_INVALID_CONFIG = 2
DEFAULT_STACK = "aws-dev"

app = typer.Typer(
    help="mlplatform: plan and check multi-cloud ML platforms offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


ProjectDir = Annotated[
    Path | None,
    typer.Option(
        help="Directory holding Pulumi.yaml. Default: the current directory or its parents."
    ),
]


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    MERMAID = "mermaid"
    URNS = "urns"


@app.callback()
def _root() -> None:
    """Plan ML platform stacks offline, with the real Pulumi program and no cloud access."""


@app.command()
def version() -> None:
    """Print the mlplatform version."""
    typer.echo(__version__)


@app.command()
def plan(
    stack: Annotated[
        str,
        typer.Argument(
            help="Stack name (config at stacks/Pulumi.STACK.yaml) or a path to a stack config file."
        ),
    ] = DEFAULT_STACK,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.TABLE,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.")
    ] = None,
    project_dir: ProjectDir = None,
) -> None:
    """Run the stack's program offline under mocks; show every resource it would create."""
    from mlplatform.engine.views import RENDERERS

    result = _plan_or_exit(stack, project_dir)
    text = RENDERERS[format.value](result)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output} ({len(result.resources)} resources)", err=True)


def _plan_or_exit(stack: str, project_dir: Path | None) -> Plan:
    """The stack's offline plan, or exit 2 (invalid config) / 1 (anything else)."""
    from mlplatform.engine import PlanError, run_stack
    from mlplatform.spec import ConfigError

    try:
        return run_stack(stack, project_dir)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_INVALID_CONFIG) from None
    except PlanError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_FAILURE) from None


class CheckFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"


StackArgument = Annotated[str, typer.Argument(help="Stack name or a path to a stack config file.")]
ReportFormat = Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")]


@app.command()
def check(
    stack: StackArgument = DEFAULT_STACK,
    format: ReportFormat = CheckFormat.TABLE,
    policy_config: Annotated[
        Path | None,
        typer.Option(
            help="Policy pack config, as for `pulumi preview --policy-pack-config`: "
            '{"<policy>": {"<property>": value}}.'
        ),
    ] = None,
    policy_pack: Annotated[
        Path | None,
        typer.Option(help="Policy pack directory. Default: policies/ of the project."),
    ] = None,
    project_dir: ProjectDir = None,
) -> None:
    """Plan the stack offline and run the policy pack (policies/) over it, through the pack's
    own gRPC analyzer protocol. Exit 3 on a mandatory violation."""
    from mlplatform.checks import PackError, PolicyConfigError, check_stack
    from mlplatform.checks.report import RENDERERS
    from mlplatform.engine import PlanError
    from mlplatform.spec import ConfigError

    try:
        report = check_stack(stack, project_dir, policy_config, policy_pack)
    except (ConfigError, PolicyConfigError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_INVALID_CONFIG) from None
    except (PlanError, PackError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_FAILURE) from None
    sys.stdout.write(RENDERERS[format.value](report))
    raise typer.Exit(report.exit_code)


@app.command("critical-path")
def critical_path(
    stack: StackArgument = DEFAULT_STACK,
    format: ReportFormat = CheckFormat.TABLE,
    project_dir: ProjectDir = None,
) -> None:
    """Estimate a first `pulumi up`'s wall time: the longest chain of resources that wait for
    each other, weighted by typical create durations."""
    from mlplatform.checks import critical_path as paths

    plan = _plan_or_exit(stack, project_dir)
    sys.stdout.write(paths.RENDERERS[format.value](plan.stack, paths.critical_path(plan)))


@app.command()
def cost(
    stack: StackArgument = DEFAULT_STACK,
    format: ReportFormat = CheckFormat.TABLE,
    against: Annotated[
        Path | None,
        typer.Option(help="Plan JSON of the base (plan --format json): show the cost change."),
    ] = None,
    expected_gpu_hours: Annotated[
        float | None,
        typer.Option(
            min=0, max=730, help="Override budget.expectedGpuHours (hours a month per GPU node)."
        ),
    ] = None,
    project_dir: ProjectDir = None,
) -> None:
    """Estimate the stack's monthly cost from the shipped price tables: every pool at its
    minimum (low), at its maximum around the clock (high), and at the expected GPU hours.
    Prices not in the tables are reported as unknown, never as zero."""
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
        sys.stdout.write(RENDERERS[format.value](head, budget))
        return
    base = estimate_plan(_read_plan(against), assumptions)
    sys.stdout.write(DELTA_RENDERERS[format.value](compare(base, head)))


def _read_plan(path: Path) -> Plan:
    """A plan JSON file, or exit 2 naming what is wrong with it."""
    import json

    from mlplatform.engine.plan import Plan

    try:
        return Plan.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        typer.echo(f"error: {path} is not a plan JSON file: {exc}", err=True)
        raise typer.Exit(EXIT_INVALID_CONFIG) from None


@app.command()
def review(
    base_ref: Annotated[str, typer.Argument(help="Git ref to compare with, e.g. origin/main.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the Markdown to FILE.")
    ] = None,
    project_dir: ProjectDir = None,
) -> None:
    """The pull-request report: every shipped stack planned at BASE_REF and now, diffed,
    checked and given its critical path, as Markdown. Exit 5 when anything blocks."""
    from mlplatform.checks.review import review as run_review
    from mlplatform.checks.review import to_markdown
    from mlplatform.engine.runner import find_project_dir

    result = run_review(base_ref, project_dir or find_project_dir())
    text = to_markdown(result)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
    raise typer.Exit(result.exit_code)


@app.command()
def summary(
    stacks: Annotated[
        list[str] | None,
        typer.Argument(help="Stacks to include. Default: every Pulumi.<stack>.yaml here."),
    ] = None,
    format: ReportFormat = CheckFormat.TABLE,
    jobs: Annotated[
        int,
        typer.Option(
            min=0,
            help="Processes that plan (forked from this one, one target's stacks each at a "
            "time; Linux). 0, the default: one per CPU. 1: every stack in this process.",
        ),
    ] = 0,
    project_dir: ProjectDir = None,
) -> None:
    """Every stack planned, checked against the policy pack, costed and given its critical
    path, in one command (the engine and each cloud's SDK imported once, one pack for all):
    one row per stack. Exit 3 when any stack has a mandatory violation."""
    from mlplatform.checks import PackError
    from mlplatform.checks.summary import RENDERERS, summarize
    from mlplatform.engine import PlanError
    from mlplatform.engine.runner import find_project_dir
    from mlplatform.spec import ConfigError

    try:
        workers = jobs or os.cpu_count() or 1
        result = summarize(project_dir or find_project_dir(), stacks or None, workers)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_INVALID_CONFIG) from None
    except (PlanError, PackError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_FAILURE) from None
    sys.stdout.write(RENDERERS[format.value](result))
    raise typer.Exit(result.exit_code)


@app.command()
def diff(
    base: Annotated[Path, typer.Argument(help="Plan JSON of the base (plan --format json).")],
    head: Annotated[Path, typer.Argument(help="Plan JSON of the change.")],
    format: ReportFormat = CheckFormat.TABLE,
) -> None:
    """What HEAD changes against BASE: added, updated, replaced, deleted and renamed resources.
    Exit 4 when a change would lose data or replace a renamed resource."""
    from mlplatform.checks.diff import diff_plans
    from mlplatform.checks.diff_views import RENDERERS

    result = diff_plans(_read_plan(base), _read_plan(head))
    sys.stdout.write(RENDERERS[format.value](result))
    raise typer.Exit(result.exit_code)


def main() -> None:
    """Console-script entry point."""
    from mlplatform.engine.process import short_lived

    with short_lived():
        app()
