"""Real servers on loopback for integration tests: PostgreSQL, an S3-compatible store (moto's
server mode) and MLflow. Every process started here is stopped by its context manager."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MLFLOW_VENV = ROOT / ".venv-mlflow"
STARTUP_SECONDS = 90


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen, what: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{log.read_text()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.3)
    raise TimeoutError(f"{what} did not listen on {port} in {STARTUP_SECONDS}s:\n{log.read_text()}")


@contextlib.contextmanager
def running(
    command: list[str],
    port: int,
    what: str,
    log: Path,
    env: dict[str, str] | None = None,
    user: str | None = None,
) -> Iterator[None]:
    """Run `command` until the block ends; it must listen on `port` first."""
    if user is not None:
        command = ["runuser", "-u", user, "--", *command]
    with log.open("ab") as out:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )
    try:
        wait_for_port(port, process, what, log)
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 15)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(timeout=10)


def postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name)]
    if not found or found[-1] is None:
        raise RuntimeError(f"PostgreSQL's {name} is not installed (apt-get install postgresql)")
    return str(found[-1])


@contextlib.contextmanager
def postgres(password: str) -> Iterator[int]:
    """A throwaway PostgreSQL cluster on loopback; yields its port. User `mlflow`, db `mlflow`.

    As root the server runs as the `postgres` account (PostgreSQL refuses root), in a fresh
    directory of its own under the system temp dir (pytest's is private to root).
    """
    directory = Path(tempfile.mkdtemp(prefix="mlplatform-pg-"))
    try:
        with _postgres(directory, password) as port:
            yield port
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@contextlib.contextmanager
def _postgres(directory: Path, password: str) -> Iterator[int]:
    user = "postgres" if os.geteuid() == 0 else None
    data = directory / "pgdata"
    data.mkdir()
    pwfile = directory / "pwfile"
    pwfile.write_text(password)
    if user is not None:
        account = pwd.getpwnam(user)
        for path in (directory, data, pwfile):
            os.chown(path, account.pw_uid, account.pw_gid)
    prefix = ["runuser", "-u", user, "--"] if user else []
    subprocess.run(
        [
            *prefix,
            postgres_bin("initdb"),
            "-D",
            str(data),
            "-U",
            "mlflow",
            "--pwfile",
            str(pwfile),
            "-A",
            "scram-sha-256",
        ],
        check=True,
        capture_output=True,
    )
    port = free_port()
    log = directory / "postgres.log"
    command = [
        postgres_bin("postgres"),
        "-D",
        str(data),
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
        "-k",
        str(directory),
    ]
    with running(command, port, "postgres", log, user=user):
        subprocess.run(
            [
                *prefix,
                postgres_bin("createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "mlflow",
                "mlflow",
            ],
            check=True,
            capture_output=True,
            env={**os.environ, "PGPASSWORD": password},
        )
        yield port
