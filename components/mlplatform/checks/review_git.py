"""The git side of `mlplatform review`: the project's repository, the base ref checked, what
changed since it, which stacks the change touches, and the base checked out beside the
repository.

A stack is touched by a change to its own config file; any other change that can reach a plan
(the program, a module beside it, Pulumi.yaml, the library, the policy pack, a lock file)
touches every stack. Only documents and CI workflows are known to reach none. A stack the base
has and the working tree has not is deleted: nothing is left to plan, but the review tells it.
"""

from __future__ import annotations

import posixpath
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

import yaml

from mlplatform.engine.runner import STACK_FILE, project_stacks, resolve_stack_file
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


def stack_files(project_dir: Path, repo: Path) -> dict[str, str]:
    """Each stack of the project by its config file's path relative to `repo`."""
    found = {}
    for stack in project_stacks(project_dir):
        _, path = resolve_stack_file(stack, project_dir)
        found[path.resolve().relative_to(repo).as_posix()] = stack
    return found


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


def deleted_stacks(repo: Path, ref: str, project_dir: Path) -> dict[str, str]:
    """The stacks the project at `project_dir` had at `ref` and has no more, each by its
    config file's path at `ref` relative to `repo`: its Pulumi.yaml's `stackConfigDir` read
    at `ref` too, so a stack left behind when that folder moves is deleted, and one moved with
    it is not."""
    at = PurePosixPath(project_dir.resolve().relative_to(repo).as_posix())
    project = _git(repo, "show", f"{ref}:{at / 'Pulumi.yaml'}")
    if project.returncode != 0:  # a project new in the change
        return {}
    try:
        document = load_yaml(project.stdout) or {}
    except yaml.YAMLError:
        return {}  # the base's own problem: its plan, if asked for, says so
    config_dir = posixpath.normpath(at / str(document.get("stackConfigDir", ".")))
    listed = _git(repo, "ls-tree", "--name-only", "-z", ref, "--", f"{config_dir}/")
    now = set(project_stacks(project_dir))
    found = {}
    for path in sorted(p for p in listed.stdout.split("\0") if p.endswith(".yaml")):
        match = STACK_FILE.match(PurePosixPath(path).name)
        if match and match["stack"] not in now:
            found[match["stack"]] = path
    return found


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
