"""The `mlplatform` command line: `mlplatform plan STACK` and friends.

Exit codes: 0 success, 1 any other failure, 2 invalid stack config or an error raised by the
stack's program (and command-line usage errors; a stack or project that is not there; for
`check`, `summary` and `review` a git ref or policy pack that is not there), 3 mandatory
policy violations (`check`, `summary`), 4 blocking changes (`diff`), 5 anything blocking
(`review`).

The group and every command take `--version` (as `mlplatform version`) and `-h` (`--help`).

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
policy_pack_option = click.option(
    "--policy-pack",
    type=PATH,
    help="Policy pack directory. Default: policies/ of the project when it holds a pack, else "
    "the pack mlplatform ships (mlplatform policy-pack path).",
)


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


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(__version__)
        ctx.exit()


def _version_option() -> click.Option:
    return click.Option(
        ["--version"],
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_print_version,
        help="Print the mlplatform version and exit.",
    )


class _Command(click.Command):
    """A command that also takes `--version`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.append(_version_option())


class _Group(click.Group):
    """The `mlplatform` group: `--version` on it and on every command it makes."""

    command_class = _Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.append(_version_option())


@click.group(
    cls=_Group,
    help="mlplatform: plan and check multi-cloud ML platforms offline, with the real Pulumi "
    "program and no cloud access.",
    # Subcommands inherit these (help_option_names too: `mlplatform plan -h`).
    context_settings={"max_content_width": 100, "help_option_names": ["-h", "--help"]},
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
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    text = RENDERERS[format](result)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output} ({len(result.resources)} resources)", err=True)


def _plan_or_exit(stack: str, project_dir: Path | None) -> Plan:
    """The stack's offline plan, or exit 2 (a stack or project that is not there, invalid
    config, an error in the program) / 1 (anything else)."""
    from mlplatform.engine import PlanError, ProgramError, run_stack
    from mlplatform.engine.runner import StackNotFoundError
    from mlplatform.environment import ConfigError

    try:
        return run_stack(stack, project_dir)
    except (ConfigError, ProgramError, StackNotFoundError) as exc:
        _exit(EXIT_INVALID_CONFIG, f"error: {exc}")
    except PlanError as exc:
        _exit(EXIT_FAILURE, f"error: {exc}")


def _project_or_exit(project_dir: Path | None, stacks: list[str] | None = None) -> Path:
    """The project at or above `project_dir` (default: the current directory; a stack config
    file's own), each of `stacks` checked to be in it; else exit 2 naming what is not there."""
    from mlplatform.engine import PlanError, resolve_stack_file
    from mlplatform.engine.runner import find_project_dir, stack_project_dir

    try:
        given = stacks or []
        root = stack_project_dir(given[0], project_dir) if given else find_project_dir(project_dir)
        for stack in given:
            resolve_stack_file(stack, root)
    except PlanError as exc:
        _exit(EXIT_INVALID_CONFIG, f"error: {exc}")
    return root


@app.command()
@stack_argument
@report_format_option
@click.option(
    "--policy-config",
    type=PATH,
    help="Policy pack config, as for `pulumi preview --policy-pack-config`: "
    '{"<policy>": {"<property>": value}}.',
)
@policy_pack_option
@project_dir_option
def check(
    stack: str,
    format: str,
    policy_config: Path | None,
    policy_pack: Path | None,
    project_dir: Path | None,
) -> None:
    """Plan the stack offline and run the policy pack (the project's policies/, else the one
    mlplatform ships) over it, through the pack's own gRPC analyzer protocol. Exit 3 on a
    mandatory violation, 2 for a stack, project or pack that is not there.

    STACK is a stack name or a path to a stack config file; aws-dev by default.
    """
    from mlplatform.checks import PackError, PackNotFoundError, PolicyConfigError, check_stack
    from mlplatform.checks.report import RENDERERS
    from mlplatform.engine import PlanError, ProgramError
    from mlplatform.engine.runner import StackNotFoundError
    from mlplatform.environment import ConfigError

    try:
        report = check_stack(stack, project_dir, policy_config, policy_pack)
    except (
        ConfigError,
        PolicyConfigError,
        ProgramError,
        PackNotFoundError,
        StackNotFoundError,
    ) as exc:
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
@click.argument("stacks", nargs=-1)
@click.option("--output", "-o", type=PATH, help="Write the Markdown to FILE.")
@policy_pack_option
@project_dir_option
def review(
    base_ref: str,
    stacks: tuple[str, ...],
    output: Path | None,
    policy_pack: Path | None,
    project_dir: Path | None,
) -> None:
    """The pull-request report: the stacks a change touches (its own config, or anything else
    a plan is made from) planned at BASE_REF (a git ref, e.g. origin/main) and now, diffed,
    checked, costed and given their critical path, as Markdown; a line on stderr per stack
    planned or checked. A stack whose config file the change deletes is a row of its own.
    Exit 5 when anything blocks, a stack fails to plan (its row says why) or is deleted, 2
    for a ref, stack, project or pack that is not there.

    STACKS, if given, are reviewed whether the change touches them or not, and only they.
    """
    from mlplatform.checks import PackError, PackNotFoundError
    from mlplatform.checks.review import ReviewError, to_markdown
    from mlplatform.checks.review import review as run_review

    def progress(line: str) -> None:
        click.echo(f"review: {line}", err=True)

    try:
        result = run_review(base_ref, project_dir, list(stacks) or None, policy_pack, progress)
    except (ReviewError, PackNotFoundError) as exc:
        _exit(EXIT_INVALID_CONFIG, f"error: {exc}")
    except PackError as exc:
        _exit(EXIT_FAILURE, f"error: {exc}")
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
    from mlplatform.checks import PackError, PackNotFoundError
    from mlplatform.checks.summary import RENDERERS, summarize
    from mlplatform.engine import PlanError, ProgramError
    from mlplatform.environment import ConfigError

    root = _project_or_exit(project_dir, list(stacks))
    try:
        workers = jobs or os.cpu_count() or 1
        result = summarize(root, list(stacks) or None, workers)
    except (ConfigError, ProgramError, PackNotFoundError) as exc:
        _exit(EXIT_INVALID_CONFIG, f"error: {exc}")
    except (PlanError, PackError) as exc:
        _exit(EXIT_FAILURE, f"error: {exc}")
    sys.stdout.write(RENDERERS[format](result))
    _exit(result.exit_code)


@app.command("stacks")
@click.option(
    "--format",
    "-f",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="json: one line, a GitHub Actions matrix.",
)
@click.option(
    "--target",
    "-t",
    "targets",
    multiple=True,
    type=click.Choice(["aws", "azure", "gcp", "kubernetes"]),
    help="Only stacks of this target (repeatable).",
)
@click.option(
    "--environment",
    "-e",
    "environments",
    multiple=True,
    type=click.Choice(["dev", "staging", "prod"]),
    help="Only stacks of this environment (repeatable).",
)
@project_dir_option
def list_stacks(
    format: str, targets: tuple[str, ...], environments: tuple[str, ...], project_dir: Path | None
) -> None:
    """Every stack of the project, one Pulumi.<stack>.yaml each in its stack config directory:
    name, target, environment and region, each spec validated (exit 2 when one is invalid).
    The deploy workflows take `--format json` as their matrix."""
    from mlplatform.engine import PlanError
    from mlplatform.engine.runner import find_project_dir
    from mlplatform.engine.stacks import list_stacks as find_stacks
    from mlplatform.engine.stacks import to_json, to_table
    from mlplatform.environment import ConfigError

    try:
        found = find_stacks(project_dir or find_project_dir(), targets, environments)
    except ConfigError as exc:
        _exit(EXIT_INVALID_CONFIG, f"error: {exc}")
    except PlanError as exc:
        _exit(EXIT_FAILURE, f"error: {exc}")
    sys.stdout.write(to_json(found) if format == "json" else to_table(found))


@app.command()
@click.argument("base", type=PATH)
@click.argument("head", type=PATH)
@report_format_option
def diff(base: Path, head: Path, format: str) -> None:
    """What HEAD changes against BASE (both plan JSON, from plan --format json): added,
    updated (each field before → after, secrets masked), replaced, deleted and renamed
    resources. Exit 4 when a change would lose data, removes a deletion guard (`protect`, a
    cloud's deletion protection) or replaces a renamed resource; exit 2 when the plans are of
    two stacks or projects."""
    from mlplatform.checks.diff import PlanMismatchError, diff_plans
    from mlplatform.checks.diff_views import RENDERERS

    try:
        result = diff_plans(_read_plan(base), _read_plan(head))
    except PlanMismatchError as exc:
        _exit(EXIT_INVALID_CONFIG, f"error: {exc}")
    sys.stdout.write(RENDERERS[format](result))
    _exit(result.exit_code)


@app.group("policy-pack", cls=_Group)
def policy_pack() -> None:
    """The CrossGuard policy pack installed with mlplatform: the rules `check`, `summary` and
    `review` run when the project has no policies/ of its own."""


@policy_pack.command("path")
def policy_pack_path() -> None:
    """Print the folder of the policy pack installed with mlplatform, for `pulumi preview
    --policy-pack`: one in the user's cache that runs the pack with the Python environment
    mlplatform is installed in (in this checkout, policies/ itself)."""
    from mlplatform.policy_pack import PackNotFoundError, cache_folder, runnable_pack

    try:
        folder = runnable_pack()
    except PackNotFoundError as exc:
        _exit(EXIT_FAILURE, f"error: {exc}")
    except OSError as exc:
        _exit(
            EXIT_FAILURE,
            f"error: cannot write the policy pack's folder in {cache_folder()}: "
            f"{exc.strerror or exc}; set XDG_CACHE_HOME to a folder you can write",
        )
    click.echo(str(folder))


def main() -> None:
    """Console-script entry point."""
    from mlplatform.engine.process import short_lived

    with short_lived():
        app(prog_name="mlplatform")
