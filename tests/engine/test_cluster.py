"""The loopback control plane's start: its ports, and what it does when one is taken."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import cluster
import engine
import pytest

from tests.conftest import ROOT


def test_ports_are_distinct_free_and_below_the_ephemeral_range() -> None:
    # A port from bind(0) is ephemeral: an outgoing connection may take it before the
    # server binds it, and two bind(0) calls may give the same port.
    low, _high = cluster.ephemeral_range()
    for _ in range(20):
        ports = cluster.free_ports()
        assert sorted(ports) == sorted(cluster.PORT_NAMES)
        assert len(set(ports.values())) == len(ports)
        assert all(cluster.LOWEST_PORT <= port < low for port in ports.values())
        assert all(cluster.bindable(port) for port in ports.values())


def test_a_crd_is_established_only_once_its_condition_says_so() -> None:
    # Just after it is created, a CRD's status may hold `conditions: null`.
    for status in ({}, {"conditions": None}, {"conditions": []}):
        assert not cluster.established({"status": status})
    assert not cluster.established({})
    assert not cluster.established(
        {"status": {"conditions": [{"type": "Established", "status": "False"}]}}
    )
    assert cluster.established(
        {"status": {"conditions": [{"type": "Established", "status": "True"}]}}
    )


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[int, list[dict[str, int]]]]:
    """A port something else listens on, given to the API server by the first choice of
    ports; and every choice `start` makes."""
    choices: list[dict[str, int]] = []
    free_ports = cluster.free_ports
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]

        def choose() -> dict[str, int]:
            ports = free_ports()
            choices.append({**ports, "apiserver": port} if not choices else ports)
            return choices[-1]

        monkeypatch.setattr(cluster, "free_ports", choose)
        yield port, choices


def test_a_taken_port_ends_the_start_at_once_naming_it(
    built: engine.Built,
    tmp_path: Path,
    taken: tuple[int, list[dict[str, int]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port, choices = taken
    monkeypatch.setattr(cluster, "START_ATTEMPTS", 1)
    with pytest.raises(SystemExit) as failed:
        cluster.start(tmp_path, built.bin, built.kwok_stages, built.crd_files)
    message = str(failed.value)
    assert message.startswith("error: kube-apiserver exited at start")
    assert f"listen tcp 127.0.0.1:{port}: bind: address already in use" in message
    assert len(choices) == 1
    assert cluster.running(tmp_path) == {}


def test_start_chooses_new_ports_when_one_is_taken(
    built: engine.Built, tmp_path: Path, taken: tuple[int, list[dict[str, int]]]
) -> None:
    port, choices = taken
    state = cluster.start(tmp_path, built.bin, built.kwok_stages, built.crd_files)
    try:
        assert len(choices) == 2
        assert state.ports == choices[1]
        assert port not in state.ports.values()
        assert state.api().get("/api/v1/nodes")["items"]
    finally:
        cluster.stop(tmp_path)
    assert not any(cluster.running(tmp_path).values())


SLEEPER = """
import os, time
from pathlib import Path

def test_holds_a_cluster(loopback):
    Path(os.environ["CLUSTER_FOLDER"]).write_text(loopback.dir)
    time.sleep(600)
"""


def test_a_terminated_run_leaves_no_control_plane_behind(
    built: engine.Built, tmp_path: Path
) -> None:
    """A pytest run holding a loopback cluster, sent SIGTERM (as a job's time limit does),
    stops every process the cluster started before it exits."""
    del built
    (tmp_path / "test_sleeper.py").write_text(SLEEPER)
    marker = tmp_path / "folder"
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "tests.engine.conftest",
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(ROOT),
            str(tmp_path),
        ],
        cwd=ROOT,
        env={**os.environ, "CLUSTER_FOLDER": str(marker)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        while not marker.exists() and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
        assert marker.exists(), "the run started no cluster"
        folder = Path(marker.read_text())
        state = cluster.State.load(folder)
        assert state is not None
        pids = dict(state.pids)
        assert sorted(pids) == sorted(cluster.PROCESS_ORDER)
        assert all(cluster.running(folder).values())
        run.send_signal(signal.SIGTERM)
        output, _ = run.communicate(timeout=120)
    finally:
        if run.poll() is None:
            run.kill()
    assert "KeyboardInterrupt" in output
    assert cluster.running(folder) == {}
    # A zombie, ended but not yet reaped, does not run (tools/cluster.py `_alive`).
    assert [name for name, pid in pids.items() if cluster._alive(pid)] == []
