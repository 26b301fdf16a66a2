"""Running a stack's real Pulumi program in-process under the recording mocks.

Each run happens in a fresh `contextvars.Context`, so several stacks can be
planned in one process without leaking config, settings or the root stack.
"""

from __future__ import annotations

import contextvars
import os
import re
import runpy
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, cast

from mlplatform.engine.capture import RecordingMonitor
from mlplatform.engine.mocks import PlatformMocks
from mlplatform.engine.plan import Plan
from mlplatform.engine.source_positions import without_source_positions
from mlplatform.engine.values import SECRET, UNKNOWN
from mlplatform.environment.errors import ConfigError
from mlplatform.environment.loader import (
    NAMESPACE,
    SECRET_PLACEHOLDER,
    load_yaml,
    stack_file_config,
)

if TYPE_CHECKING:
    from mlplatform.environment.model import PlatformConfig

STACK_FILE = re.compile(r"^Pulumi\.(?P<stack>[^.]+)\.ya?ml$")
DEFAULT_PROVIDER_PACKAGES = ("aws", "gcp", "azure-native")
"""Clouds whose default provider the engine configures from the stack config."""


class PlanError(RuntimeError):
    """The program could not be planned for a reason other than invalid config."""


class StackNotFoundError(PlanError):
    """A stack, or the project to plan it in, is not there: no Pulumi.yaml at or above the
    folder, one with no project name, or no config file for the stack (the command line exits
    2, as for bad config)."""


class ProgramError(PlanError):
    """The stack's program raised: the message leads with the user's file and line and gives
    the traceback of the program's own frames, or for a `pulumi.RunError` its message alone
    (the command line exits 2, as for bad config)."""


def find_project_dir(start: Path | None = None) -> Path:
    """The nearest directory at or above `start` (default: cwd) holding a Pulumi.yaml."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "Pulumi.yaml").is_file():
            return candidate
    raise StackNotFoundError(
        f"no Pulumi.yaml found in {here} or above; run from the project directory"
    )


def stack_project_dir(stack: str, project_dir: Path | None = None) -> Path:
    """The project `stack` belongs to. Given `project_dir`: the nearest Pulumi.yaml at or above
    it. For a stack config file: the nearest at or above the file's folder, as Pulumi finds
    a stack's project (`plan path/to/Pulumi.dev.yaml` from anywhere plans that project); the
    current directory's only for a file with no project around it. Otherwise the nearest at
    or above the current directory."""
    if project_dir is None and _is_stack_file(stack) and Path(stack).is_file():
        try:
            return find_project_dir(Path(stack).parent)
        except PlanError:
            pass  # a config file on its own: plan it with the project we are in
    return find_project_dir(project_dir)


def _is_stack_file(stack: str) -> bool:
    given = Path(stack)
    return given.suffix in (".yaml", ".yml") or given.is_file()


def _document(project_dir: Path) -> dict[str, Any]:
    return load_yaml((project_dir / "Pulumi.yaml").read_text(encoding="utf-8")) or {}


def _project(
    project_dir: Path, document: Mapping[str, Any] | None = None
) -> tuple[str, Path, Path]:
    """Project name, program directory and stack config directory from Pulumi.yaml (its
    parsed `document` when the caller has read it)."""
    if document is None:
        document = _document(project_dir)
    name = document.get("name")
    if not name:
        raise StackNotFoundError(f"{project_dir / 'Pulumi.yaml'} has no project name")
    main = project_dir / str(document.get("main", "."))
    config_dir = project_dir / str(document.get("stackConfigDir", "."))
    return str(name), main, config_dir


def _program(project_dir: Path, program: Path, document: Mapping[str, Any]) -> Callable[[], None]:
    """The project's program: its `__main__.py`, or the Pulumi.yaml itself (runtime yaml),
    from the project's parsed Pulumi.yaml `document`."""
    runtime = document.get("runtime")
    if (runtime.get("name") if isinstance(runtime, dict) else runtime) != "yaml":
        return _file_program(program)
    from mlplatform.engine.yaml_program import YamlProgramError
    from mlplatform.engine.yaml_program import program as yaml_program

    try:
        return yaml_program(document, str(project_dir / "Pulumi.yaml"))
    except YamlProgramError as exc:
        raise PlanError(str(exc)) from None


def resolve_stack_file(
    stack: str, project_dir: Path, config_dir: Path | None = None
) -> tuple[str, Path]:
    """(stack name, config file) for a stack name or a path to a `Pulumi.<stack>.yaml`; a
    name is looked up in the project's stack config directory (`config_dir` when the caller
    has it). Raises `StackNotFoundError` when there is no such file."""
    given = Path(stack)
    if _is_stack_file(stack):
        if not given.is_file():
            raise StackNotFoundError(f"stack config file {given} does not exist")
        match = STACK_FILE.match(given.name)
        return (match["stack"] if match else given.stem), given
    folder = config_dir if config_dir is not None else stack_config_dir(project_dir)
    path = folder / f"Pulumi.{stack}.yaml"
    if not path.is_file():
        available = ", ".join(stacks_in(folder))
        raise StackNotFoundError(f"no stack {stack!r} ({path} not found); stacks: {available}")
    return stack, path


def stack_config_dir(project_dir: Path) -> Path:
    """The project's stack config directory: its Pulumi.yaml's `stackConfigDir`, else the
    project's own."""
    return _project(project_dir)[2]


def stacks_in(config_dir: Path) -> list[str]:
    """Every stack with a `Pulumi.<stack>.yaml` in the stack config directory `config_dir`."""
    return sorted(
        m["stack"] for p in config_dir.glob("Pulumi.*.yaml") if (m := STACK_FILE.match(p.name))
    )


def project_stacks(project_dir: Path) -> list[str]:
    """Every stack with a `Pulumi.<stack>.yaml` in the project's stack config directory."""
    return stacks_in(stack_config_dir(project_dir))


def run_stack(stack: str, project_dir: Path | None = None) -> Plan:
    """Plan `stack` offline: run the project's program under mocks and capture everything.

    Raises `ConfigError` for an invalid stack config, `ProgramError` for an exception the
    program raised, `StackNotFoundError` for a stack or project that is not there and
    `PlanError` for anything else. Reads the project's Pulumi.yaml once.
    """
    root = stack_project_dir(stack, project_dir)
    document = _document(root)
    project, program, config_dir = _project(root, document)
    stack_name, path = resolve_stack_file(stack, root, config_dir)
    config = stack_file_config(path)
    target = _target_of(config)
    main = _program(root, program, document)
    context = contextvars.Context()
    monitor, outputs = context.run(_execute, main, project, stack_name, config, str(path), root)
    return Plan(
        project=project,
        stack=stack_name,
        target=target,
        resources=monitor.captured,
        outputs=outputs,
        warnings=monitor.warnings,
        provider_config={
            k: str(v) for k, v in config.items() if k.split(":")[0] in DEFAULT_PROVIDER_PACKAGES
        },
    )


def stack_spec(stack: str, project_dir: Path | None = None) -> PlatformConfig | None:
    """The stack's environment spec; None for a program of your own that is not configured
    through mlplatform's spec. Raises `ConfigError` for an invalid spec."""
    from mlplatform.environment.loader import namespace_values, parse

    root = stack_project_dir(stack, project_dir)
    _, path = resolve_stack_file(stack, root)
    flat = stack_file_config(path)
    if f"{NAMESPACE}:target" not in flat:
        return None
    return parse(namespace_values(flat), str(path), root)


def _target_of(config: dict[str, str]) -> str:
    return str(config.get(f"{NAMESPACE}:target", ""))


def run_program(
    main: Callable[[], None],
    config: dict[str, str] | None = None,
    project: str = "test",
    stack: str = "test",
) -> Plan:
    """Plan any Pulumi program function offline (component tests, examples): the same mocks,
    capture and output resolution as `run_stack`."""
    context = contextvars.Context()
    monitor, outputs = context.run(_execute, main, project, stack, config or {}, "program")
    return Plan(
        project=project, stack=stack, target="", resources=monitor.captured, outputs=outputs
    )


def _file_program(program: Path) -> Callable[[], None]:
    """The program directory's `__main__.py`, run as Pulumi's Python host runs it: with the
    directory first on `sys.path` and as the working directory (the engine starts programs
    and providers in the project's `main` folder, so relative paths mean the same here).

    `sys.path` is rebound, never changed in place: another thread (`mlplatform summary`'s
    checker) may be importing, and the import system iterates the list it read; removing the
    first entry under it skips the next one, site-packages included."""

    def main() -> None:
        entry = str(program)
        sys.path = [entry, *sys.path]
        before = os.getcwd()
        os.chdir(program)
        try:
            runpy.run_path(str(program / "__main__.py"), run_name="__main__")
        finally:
            os.chdir(before)
            rest = list(sys.path)
            rest.remove(entry)
            sys.path = rest

    return main


def _execute(
    main: Callable[[], None],
    project: str,
    stack: str,
    config: dict[str, str],
    source: str,
    root: Path | None = None,
) -> tuple[RecordingMonitor, dict[str, Any]]:
    import pulumi
    from pulumi.runtime import config as runtime_config
    from pulumi.runtime import mocks, settings
    from pulumi.runtime.stack import run_pulumi_func
    from pulumi.runtime.sync_await import _sync_await

    secret_keys = [k for k, v in config.items() if v == SECRET_PLACEHOLDER]
    runtime_config.set_all_config(config, secret_keys)
    monitor = RecordingMonitor(PlatformMocks(), config)
    mocks.set_mocks(
        monitor.mocks,
        project=project,
        stack=stack,
        preview=True,
        logger=monitor.logger(),
        monitor=monitor,
    )
    # As the engine tells a program where its Pulumi.yaml is (local chart paths are relative).
    # (The SDK declares its settings with a descriptor the type checker cannot follow.)
    cast(Any, settings.SETTINGS).root_directory = str(root or Path.cwd())
    stack_resource = settings.get_root_resource()
    try:
        with without_source_positions():
            _sync_await(run_pulumi_func(main))
    except pulumi.RunError as exc:
        if isinstance(exc.__cause__, ConfigError):
            cause = exc.__cause__
            raise ConfigError(cause.issues, source) from None
        _raise_from_program(exc, str(exc))
    except ConfigError as exc:
        raise ConfigError(exc.issues, source) from None
    except Exception as exc:
        _raise_from_program(exc, f"{type(exc).__name__}: {exc}")
    if monitor.duplicates:
        urn = monitor.duplicates[0]
        raise PlanError(f"Duplicate resource URN '{urn}'; try giving it a unique name")
    stack_outputs = getattr(stack_resource, "outputs", {}) if stack_resource is not None else {}
    return monitor, {k: _sync_await(_resolve(v)) for k, v in sorted(stack_outputs.items())}


def _raise_from_program(exc: Exception, otherwise: str) -> NoReturn:
    """`ProgramError` told at the user's file and line when the program raised `exc` (a
    `pulumi.RunError` included: `pulumi.Config().require`'s, or the program's own expected
    failure); else `PlanError(otherwise)`, an error of the engine's own."""
    from mlplatform.engine.program_errors import describe

    told = describe(exc)
    if told is not None:
        raise ProgramError(told) from exc
    raise PlanError(otherwise) from exc


async def _resolve(value: Any) -> Any:
    import pulumi

    output = pulumi.Output.from_input(value)
    if await output.is_secret():
        return SECRET
    if not await output.is_known():
        return UNKNOWN
    return await output.future()
