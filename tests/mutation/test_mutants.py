"""The mutation check: each security or correctness setting of tests/mutation/mutants.py is
lowered in a copy of the checkout, and the tests named beside it must then fail.

The copy holds the checkout's files (tracked, and new ones not ignored) and runs this
environment's pytest from its own root, its `components/` first on the import path (the
editable install would otherwise import the original). A control run first proves the copy
is what runs and that every named test passes unmutated there. A mutant counts as killed only
when a named test fails an assertion: pytest's report (JUnit XML) must hold a failure and no
error, so a mutant that breaks an import, a fixture or a program's build, or names a test
that no longer exists, fails the check instead of being counted as killed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.mutation.mutants import MUTANTS, Mutant

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 900
"""Seconds a run of the named tests may take (the control run, the slowest, takes about one
minute on the 2-core machine)."""


def _files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return [f for f in listed.stdout.decode().split("\0") if f and (ROOT / f).is_file()]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the checkout's files to mutate."""
    copy = tmp_path_factory.mktemp("mutants").resolve() / "repo"
    for name in _files():
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    return copy


def _pytest(tree: Path, *tests: str) -> tuple[int, ET.Element, str]:
    """Run `tests` in the copy: pytest's exit code, its JUnit report and its output."""
    report = tree.parent / "report.xml"
    report.unlink(missing_ok=True)
    path = [str(tree / "components"), str(tree), os.environ.get("PYTHONPATH", "")]
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"]
    result = subprocess.run(
        [*command, f"--junitxml={report}", *tests],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in path if p)},
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT,
    )
    output = result.stdout[-3000:] + result.stderr[-2000:]
    root = ET.parse(report).getroot() if report.exists() else ET.Element("missing")
    return result.returncode, root, output


def _count(report: ET.Element, outcome: str) -> int:
    return len(report.findall(f".//testcase/{outcome}"))


@pytest.fixture(scope="module")
def controlled(tree: Path) -> Path:
    """The copy, once its named tests pass unmutated and import the copy's code."""
    probe = tree / "tests" / "mutation" / "test_probe_copy.py"
    probe.write_text(
        "import mlplatform, mlplatform_policies\n"
        "from pathlib import Path\n"
        "def test_the_copy_is_imported():\n"
        f"    root = Path({str(tree)!r})\n"
        "    assert Path(mlplatform.__file__).resolve().is_relative_to(root)\n"
        "    assert Path(mlplatform_policies.__file__).resolve().is_relative_to(root)\n",
        encoding="utf-8",
    )
    named = sorted({test for mutant in MUTANTS for test in mutant.tests})
    code, report, output = _pytest(tree, str(probe.relative_to(tree)), *named)
    probe.unlink()
    assert code == 0, output
    assert len(report.findall(".//testcase")) >= len(named) + 1, output
    return tree


@pytest.fixture
def mutated(controlled: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    mutant: Mutant = request.param
    path = controlled / mutant.file
    original = path.read_text(encoding="utf-8")
    path.write_text(mutant.apply(original), encoding="utf-8")
    try:
        yield controlled
    finally:
        path.write_text(original, encoding="utf-8")


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.id)
def test_each_mutant_applies_exactly_once(mutant: Mutant) -> None:
    text = (ROOT / mutant.file).read_text(encoding="utf-8")
    assert text.count(mutant.find) == 1, f"{mutant.file}: {mutant.find!r}"
    assert mutant.apply(text) != text


def test_mutants_are_unique_and_cover_every_kind() -> None:
    assert len({m.id for m in MUTANTS}) == len(MUTANTS)
    assert len({(m.file, m.find) for m in MUTANTS}) == len(MUTANTS)
    assert {m.kind for m in MUTANTS} == set(Mutant.KINDS)


@pytest.mark.parametrize(
    ("mutated", "mutant"), [pytest.param(m, m, id=m.id) for m in MUTANTS], indirect=["mutated"]
)
def test_the_suite_kills_the_mutant(mutated: Path, mutant: Mutant) -> None:
    code, report, output = _pytest(mutated, *mutant.tests)
    failures, errors = _count(report, "failure"), _count(report, "error")
    assert (code, failures > 0, errors) == (1, True, 0), (
        f"{mutant.id} survived ({mutant.setting}): exit {code}, {failures} failed, "
        f"{errors} errors\n{output}"
    )
