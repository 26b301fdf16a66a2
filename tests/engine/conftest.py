"""Fixtures of the engine tier: the built engine, a loopback cluster per test module, and
Pulumi projects in temporary folders run by the real CLI.

Every run uses a file backend and a Pulumi home of its own in a temporary folder, a fixed
passphrase for secrets, and the environment that turns off what would reach a network
(`workspace.environment`). The binaries come first on PATH, so the engine finds the providers
and language hosts there.
"""

from __future__ import annotations

import json
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

import cluster
import engine
import pytest
from kubeapi import Api
from workspace import STAND_IN_CHARTS, environment, local_project, write_local_config

from tests.conftest import ROOT


@dataclass(frozen=True)
class Result:
    """One finished `pulumi` command."""

    command: list[str]
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    def __str__(self) -> str:
        return (
            f"pulumi {' '.join(self.command)} exited {self.returncode}\n"
            f"--- stdout\n{self.stdout[-6000:]}\n--- stderr\n{self.stderr[-6000:]}"
        )


@dataclass(frozen=True)
class Workspace:
    """A Pulumi project folder and the environment the real CLI runs in for it."""

    project: Path
    env: dict[str, str]

    def pulumi(
        self,
        *args: str,
        check: bool = True,
        timeout: float = 900,
        env: dict[str, str] | None = None,
    ) -> Result:
        """Run `pulumi ARGS` in the project (with `env` added to the environment); with
        `check`, fail the test on a non-zero exit."""
        completed = subprocess.run(
            ["pulumi", *args, "--non-interactive"],
            cwd=self.project,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        result = Result(list(args), completed.returncode, completed.stdout, completed.stderr)
        if check and result.returncode != 0:
            pytest.fail(str(result), pytrace=False)
        return result

    def export(self, stack: str) -> dict[str, Any]:
        """`pulumi stack export`: the state, secrets as ciphertext."""
        return self.pulumi("stack", "export", "--stack", stack).json()

    def mlplatform(self, *args: str, project: bool = True) -> subprocess.CompletedProcess[str]:
        """The offline `mlplatform` command (on this project, with `project`), with the same
        environment."""
        where = ["--project-dir", str(self.project)] if project else []
        return subprocess.run(
            [str(ROOT / ".venv" / "bin" / "mlplatform"), *args, *where],
            cwd=self.project,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )


@pytest.fixture(scope="session")
def built() -> engine.Built:
    """The engine `scripts/dev engine` built; a missing one fails the tier with that command."""
    try:
        return engine.require()
    except SystemExit as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="module")
def loopback(
    built: engine.Built, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[cluster.State]:
    """A fresh loopback control plane for each test module (no module sees another's objects);
    stopped at the module's end, every process gone."""
    folder = tmp_path_factory.mktemp("loopback")
    try:
        state = cluster.start(folder, built.bin, built.kwok_stages, built.crd_files)
    except SystemExit as error:
        pytest.fail(str(error), pytrace=False)
    yield state
    cluster.stop(folder)
    assert not any(cluster.running(folder).values()), "a control-plane process outlived stop"


@pytest.fixture(scope="module")
def api(loopback: cluster.State) -> Api:
    """The loopback API server, as its admin."""
    return loopback.api()


__all__ = [
    "STAND_IN_CHARTS",
    "Result",
    "Workspace",
    "environment",
    "local_project",
    "write_local_config",
]


def pytest_configure(config: pytest.Config) -> None:
    """A terminated run (a job's time limit, a killed CI run) ends as an interrupted one does:
    pytest then tears the fixtures down, so no loopback control plane outlives the run."""
    del config
    signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum: int, frame: FrameType | None) -> NoReturn:
    del signum, frame
    raise KeyboardInterrupt


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test of this folder is of the engine tier (`-m engine` / `-m "not engine"`)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.engine)
