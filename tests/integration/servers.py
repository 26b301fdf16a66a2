"""Real servers on loopback for integration tests: PostgreSQL, an S3-compatible store (moto's
server mode) and MLflow as the platform runs it. Every process started here is stopped by its
context manager."""

from __future__ import annotations

import contextlib
import dataclasses
import glob
import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from mlplatform.kubernetes import mlflow_config

ROOT = Path(__file__).resolve().parents[2]
MLFLOW_VENV = ROOT / ".venv-mlflow"
"""The MLflow image's packages (images/mlflow/requirements.txt) and moto's server."""
SERVING_VENV = ROOT / ".venv-serving"
"""The serving runtime image's packages (images/serving/requirements.txt): MLServer."""
STARTUP_SECONDS = 90
BUCKET = "mlflow-artifacts"
"""The bucket behind MLflow's artifact proxy (--artifacts-destination s3://mlflow-artifacts/)."""


def venv_bin(venv: Path, name: str) -> str:
    """A program of one of the tests' virtualenvs; fails (never skips) when it is missing."""
    path = venv / "bin" / name
    assert path.exists(), f"{path} missing: run `scripts/dev setup` (`scripts/dev test` runs it)"
    return str(path)


def run_client(script: Path, mode: str, env: dict[str, str]) -> dict:
    """Run `script mode` in .venv-mlflow (an MLflow user's client) and return the JSON facts
    it prints last."""
    result = subprocess.run(
        [venv_bin(MLFLOW_VENV, "python"), str(script), mode],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


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
    cwd: Path | None = None,
) -> Iterator[None]:
    """Run `command` (in `cwd`) until the block ends; it must listen on `port` first."""
    if user is not None:
        command = ["runuser", "-u", user, "--", *command]
    with log.open("ab") as out:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            start_new_session=True,
            cwd=cwd,
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


@dataclasses.dataclass(frozen=True)
class Mlflow:
    """The MLflow server as `mlplatform.kubernetes.mlflow_config` generates it for the
    Deployment, adapted only in host, port and credentials to loopback, over running backends."""

    command: list[str]
    port: int
    s3_port: int
    database_uri: str
    server_env: dict[str, str]
    client_env: dict[str, str]
    """A client's whole environment: the tracking URI, the admin's credentials, the store's."""
    log: Path

    def running(self) -> contextlib.AbstractContextManager[None]:
        """The server, until the block ends (start it again with a new block)."""
        return running(self.command, self.port, "mlflow", self.log, env=self.server_env)


@contextlib.contextmanager
def mlflow_backends(directory: Path) -> Iterator[Mlflow]:
    """PostgreSQL migrated by `mlflow db upgrade` (the migration Job's command) and moto's S3
    server holding the artifact bucket, running until the block ends; yields the MLflow server
    ready to start. `directory` holds the auth config, metrics and logs."""
    db_password, admin_password = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    with postgres(db_password) as db_port:
        uri = mlflow_config.postgres_uri(
            "mlflow", db_password, "127.0.0.1", db_port, "mlflow", sslmode="disable"
        )
        auth_ini = directory / mlflow_config.AUTH_CONFIG_FILE
        auth_ini.write_text(mlflow_config.auth_config(uri))
        s3_port, port = free_port(), free_port()
        base_env = {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "MLFLOW_S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
        }
        server_env = {
            **base_env,
            **mlflow_config.plain_env(),
            "MLFLOW_AUTH_CONFIG_PATH": str(auth_ini),  # mounted from the Secret in the pod
            "MLFLOW_BACKEND_STORE_URI": uri,
            "MLFLOW_AUTH_ADMIN_PASSWORD": admin_password,
            "MLFLOW_FLASK_SERVER_SECRET_KEY": secrets.token_hex(32),
        }
        # The generated allow-list as is: loopback with any port is in it (port-forward).
        command = mlflow_config.server_command(
            f"s3://{BUCKET}/",
            mlflow_config.allowed_hosts("ml-local-mlflow", "mlplatform"),
            host="127.0.0.1",
            port=port,
            metrics_dir=str(directory / "prometheus"),
        )
        command[0] = venv_bin(MLFLOW_VENV, "mlflow")
        client_env = {
            **base_env,
            "MLFLOW_TRACKING_URI": f"http://127.0.0.1:{port}",
            "ADMIN_USER": mlflow_config.ADMIN_USERNAME,
            "ADMIN_PASSWORD": admin_password,
            "PATH": "/usr/bin:/bin",
        }
        moto = [venv_bin(MLFLOW_VENV, "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)]
        with running(moto, s3_port, "moto", directory / "moto.log"):
            request = urllib.request.Request(f"http://127.0.0.1:{s3_port}/{BUCKET}", method="PUT")
            urllib.request.urlopen(request, timeout=30).close()
            subprocess.run(
                [venv_bin(MLFLOW_VENV, "mlflow"), "db", "upgrade", uri],
                check=True,
                capture_output=True,
                timeout=300,
                env={**server_env},
            )
            yield Mlflow(
                command, port, s3_port, uri, server_env, client_env, directory / "mlflow.log"
            )
