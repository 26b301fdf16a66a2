"""The stacks `mlplatform review` plans at the base ref.

When the base runs this same mlplatform (a team's repository, whose library is installed, or
this one when the change leaves the library's folder alone), each base stack is planned in this
process right after the same stack now: the engine, the Kubernetes layer and the cloud's SDK
are loaded already, so the second plan costs a fraction of the first. The project's own
modules (a helper beside the program) are forgotten before and after, so each revision imports
its own. Otherwise the base plans with its own library: `mlplatform plan` in a process of its
own per stack, the base's library folder first on the path, under the same provider SDKs, all
started at once beside this process's planning.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import mlplatform
from mlplatform.engine import PlanError, run_stack
from mlplatform.engine.plan import Plan
from mlplatform.engine.runner import project_stacks

CLI = "import sys; from mlplatform.cli import main; sys.argv[0] = 'mlplatform'; main()"
"""The base's own command line, run with its library first on the path."""
LIBRARY = "mlplatform"


def library_folder(repo: Path, changed: list[str]) -> str | None:
    """The folder of the running mlplatform, relative to `repo`, when it lies in the repository
    and `changed` paths touch it (the base must then plan with its own copy); else None."""
    folder = Path(mlplatform.__file__).resolve().parent
    if not folder.is_relative_to(repo):
        return None
    relative = folder.relative_to(repo).as_posix()
    return relative if any(p.startswith(f"{relative}/") for p in changed) else None


def exists_at(project_dir: Path, stack: str) -> bool:
    """Whether the base project has `stack` (a project new in the change has none)."""
    return (project_dir / "Pulumi.yaml").is_file() and stack in project_stacks(project_dir)


def _installed() -> tuple[str, ...]:
    """Folders of installed packages, kept whatever folder they lie in (a `.venv` inside the
    repository)."""
    paths = sysconfig.get_paths()
    found = {sys.prefix, sys.base_prefix, sys.exec_prefix, paths["purelib"], paths["platlib"]}
    return tuple(f"{folder}{os.sep}" for folder in found)


def forget_modules(folders: tuple[Path, ...]) -> list[str]:
    """Drop from `sys.modules` what was imported from `folders` (the repository and the base's
    checkout), so the next plan imports the project's modules from its own revision; never
    mlplatform or an installed package. Returns the names dropped."""
    prefixes = tuple(f"{folder}{os.sep}" for folder in folders)
    installed = _installed()
    dropped = []
    for name, module in list(sys.modules.items()):
        if name == LIBRARY or name.startswith(f"{LIBRARY}."):
            continue
        where = [getattr(module, "__file__", None) or "", *getattr(module, "__path__", ())]
        paths = [str(p) for p in where if p]
        if any(p.startswith(prefixes) and not p.startswith(installed) for p in paths):
            del sys.modules[name]
            dropped.append(name)
    return dropped


def plan_apart(project_dir: Path, stack: str, library: Path | None, scratch: Path) -> Plan | None:
    """The base's plan of `stack` by the command line in a process of its own, `library` (the
    base's own mlplatform folder) first on the path; None when the base lacks the stack."""
    if not exists_at(project_dir, stack):
        return None
    env = dict(os.environ)
    if library is not None and library.is_dir():
        shim = scratch / "shim"
        shim.mkdir(exist_ok=True)
        if not (shim / LIBRARY).exists():
            (shim / LIBRARY).symlink_to(library, target_is_directory=True)
        env["PYTHONPATH"] = str(shim)
    out = scratch / f"{stack}.json"
    command = [sys.executable, "-c", CLI, "plan", stack, "-f", "json", "-o", str(out)]
    command += ["--project-dir", str(project_dir)]
    result = subprocess.run(
        command, cwd=project_dir, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise PlanError(result.stderr.strip().removeprefix("error: "))
    return Plan.from_json(json.loads(out.read_text(encoding="utf-8")))


class BasePlans:
    """Each stack's plan at the base project `project_dir` (None: not at the base; raises as
    `run_stack` does): the future of its plan made apart, or made here when asked for, the
    modules imported from `folders` (the repository and the base's checkout) forgotten before
    and after."""

    def __init__(
        self,
        project_dir: Path,
        folders: tuple[Path, ...],
        futures: dict[str, Future[Plan | None]],
    ) -> None:
        self.project_dir = project_dir
        self.folders = folders
        self.futures = futures

    def plan(self, stack: str) -> Plan | None:
        if stack in self.futures:
            return self.futures[stack].result()
        if not exists_at(self.project_dir, stack):
            return None
        forget_modules(self.folders)
        try:
            return run_stack(stack, self.project_dir)
        finally:
            forget_modules(self.folders)


@contextmanager
def base_plans(
    project_dir: Path,
    folders: tuple[Path, ...],
    stacks: list[str],
    library: Path | None,
    scratch: Path,
    jobs: int,
) -> Iterator[BasePlans]:
    """`BasePlans` for `stacks` at the base project `project_dir`: made here (`library` None:
    the base runs this mlplatform) or apart with the base's own `library`, every stack
    started now, `jobs` at a time."""
    if library is None:
        yield BasePlans(project_dir, folders, {})
        return
    with ThreadPoolExecutor(max(1, min(jobs, len(stacks)))) as executor:
        futures = {
            stack: executor.submit(plan_apart, project_dir, stack, library, scratch)
            for stack in stacks
        }
        try:
            yield BasePlans(project_dir, folders, futures)
        finally:
            for future in futures.values():
                future.cancel()
