"""The git side of `mlplatform review`: the project's repository, the base ref checked, what
changed since it, which stacks the change touches, and the base checked out beside the
repository.

A stack is touched by a change to its own config file; any other change that can reach a plan
(the program, a module beside it, Pulumi.yaml, the library, the policy pack, a lock file)
touches every stack. Only documents and CI workflows are known to reach none. A stack the base
has and the working tree has not is deleted: nothing is left to plan, but the review tells it.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
import tempfile
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

import yaml

from mlplatform.engine.runner import STACK_FILE, stacks_in
from mlplatform.environment.loader import load_yaml

NOT_PLANNED_FROM = ("*.md", ".github/*")
"""Changed files that reach no plan: Markdown documents and CI workflows."""


class ReviewError(ValueError):
    """Input `mlplatform review` cannot work with, told before anything is planned."""


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )


def repository(project_dir: Path) -> Path:
    """The top folder of the git repository holding `project_dir`."""
    found = _git(project_dir, "rev-parse", "--show-toplevel")
    if found.returncode != 0:
        raise ReviewError(
            f"{project_dir} is not in a git repository: mlplatform review compares the working "
            "tree with a git ref of its repository"
        )
    return Path(found.stdout.strip()).resolve()


def verify_ref(repo: Path, ref: str) -> None:
    """Raise `ReviewError` unless `ref` names a commit of `repo`."""
    found = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if found.returncode != 0:
        raise ReviewError(
            f"base ref {ref!r} is not a commit of the repository at {repo}: give a branch, tag "
            "or commit it has (in CI, fetch the base branch first: git fetch origin main)"
        )


def changed_paths(repo: Path, ref: str) -> list[str]:
    """Every file that differs between `ref` and the working tree (staged, unstaged and
    untracked, not ignored), relative to `repo`; a rename is its two paths."""
    diff = _git(repo, "diff", "--name-only", "--no-renames", "-z", ref, "--")
    untracked = _git(repo, "ls-files", "--others", "--exclude-standard", "-z")
    for result in (diff, untracked):
        if result.returncode != 0:
            raise ReviewError(f"git could not list the changes since {ref!r}: {result.stderr}")
    return sorted({p for p in (diff.stdout + untracked.stdout).split("\0") if p})


def stack_files(config_dir: Path, repo: Path) -> dict[str, str]:
    """Each stack in the project's stack config folder `config_dir` by its config file's path
    relative to `repo`."""
    return {
        (config_dir / f"Pulumi.{stack}.yaml").resolve().relative_to(repo).as_posix(): stack
        for stack in stacks_in(config_dir)
    }


def touched_stacks(changed: Iterable[str], files: Mapping[str, str]) -> list[str]:
    """The stacks that `changed` paths (relative to the repository) touch, given each stack's
    config file (`stack_files`). The config file of a stack gone from the working tree touches
    nothing: there is nothing left to plan."""
    config_dirs = {PurePosixPath(path).parent for path in files}
    touched: set[str] = set()
    for path in changed:
        given = PurePosixPath(path)
        if path in files:
            touched.add(files[path])
        elif given.parent in config_dirs and STACK_FILE.match(given.name):
            continue
        elif not any(fnmatch(path, pattern) for pattern in NOT_PLANNED_FROM):
            return sorted(files.values())
    return sorted(touched)


def deleted_stacks(
    repo: Path,
    ref: str,
    project_dir: Path,
    config_dir: Path,
    changed: Collection[str],
    now: Collection[str],
) -> dict[str, str]:
    """The stacks the project at `project_dir` had at `ref` and has no more, each by its
    config file's path at `ref` relative to `repo`: a stack config file among the `changed`
    paths (`changed_paths`) that is gone from the working tree, of a stack not among the
    stacks `now` in its stack config folder `config_dir`. The file's folder is the base's
    `stackConfigDir`: read at `ref` when the change touches Pulumi.yaml (so a stack left behind
    when that folder moves is deleted, and one moved with it is not), else `config_dir`."""
    at = PurePosixPath(project_dir.resolve().relative_to(repo).as_posix())
    project = (at / "Pulumi.yaml").as_posix()
    if project in changed:
        base_dir = _base_config_dir(repo, ref, project)
        if base_dir is None:
            return {}
    else:
        folder = config_dir.resolve()
        if not folder.is_relative_to(repo):  # outside the repository: git has none of its files
            return {}
        base_dir = PurePosixPath(folder.relative_to(repo).as_posix())
    found = {}
    for path in sorted(changed):
        given = PurePosixPath(path)
        match = STACK_FILE.match(given.name)
        if (
            match
            and given.parent == base_dir
            and match["stack"] not in now
            and not os.path.lexists(repo / path)
        ):
            found[match["stack"]] = path
    return found


def _base_config_dir(repo: Path, ref: str, project: str) -> PurePosixPath | None:
    """The stack config folder, relative to `repo`, that the project file at `project` names at
    `ref`; None when the project is not there (new in the change) or its file cannot be read
    (the base's own problem: its plan, if asked for, says so)."""
    found = _git(repo, "cat-file", "blob", f"{ref}:{project}")
    if found.returncode != 0:
        return None
    try:
        document = load_yaml(found.stdout) or {}
    except yaml.YAMLError:
        return None
    if not isinstance(document, dict):
        return None
    folder = PurePosixPath(project).parent / str(document.get("stackConfigDir", "."))
    return PurePosixPath(posixpath.normpath(folder))


@contextmanager
def worktree(repo: Path, ref: str) -> Iterator[Path]:
    """`ref` checked out in a temporary folder (a detached worktree), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="mlplatform-base-") as scratch:
        path = Path(scratch).resolve() / "base"
        added = _git(repo, "worktree", "add", "--detach", str(path), ref)
        if added.returncode != 0:
            raise ReviewError(f"git could not check out {ref!r}: {added.stderr.strip()}")
        try:
            yield path
        finally:
            _git(repo, "worktree", "remove", "--force", str(path))
