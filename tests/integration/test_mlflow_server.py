"""The MLflow server as the platform configures it, run for real: PostgreSQL for tracking
data and users, moto's S3 server as the artifact store, the basic-auth app, the artifact proxy.

Takes the command line and auth config that `mlplatform.kubernetes.mlflow_config` generates
for the Deployment and adapts only host, port and credentials to loopback.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import urllib.request
from pathlib import Path

import pytest

from mlplatform.kubernetes import mlflow_config
from mlplatform.kubernetes.monitoring.metrics import MLFLOW_METRICS
from tests.integration.servers import MLFLOW_VENV, free_port, postgres, running

BUCKET = "mlflow-artifacts"
CLIENT = Path(__file__).with_name("mlflow_client_check.py")


def venv_bin(name: str) -> str:
    path = MLFLOW_VENV / "bin" / name
    assert path.exists(), f"{path} missing: run `scripts/dev test`, which installs it"
    return str(path)


def client(mode: str, env: dict[str, str]) -> dict:
    result = subprocess.run(
        [venv_bin("python"), str(CLIENT), mode],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def s3_keys(port: int) -> str:
    with urllib.request.urlopen(
        f"http://127.0.0.1:{port}/{BUCKET}?list-type=2", timeout=30
    ) as response:
        return response.read().decode()


@pytest.mark.integration
def test_mlflow_server_keeps_runs_artifacts_models_and_users(tmp_path: Path) -> None:
    db_password, admin_password = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    with postgres(db_password) as db_port:
        uri = mlflow_config.postgres_uri(
            "mlflow", db_password, "127.0.0.1", db_port, "mlflow", sslmode="disable"
        )
        auth_ini = tmp_path / mlflow_config.AUTH_CONFIG_FILE
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
            metrics_dir=str(tmp_path / "prometheus"),
        )
        command[0] = venv_bin("mlflow")
        client_env = {
            **base_env,
            "MLFLOW_TRACKING_URI": f"http://127.0.0.1:{port}",
            "ADMIN_USER": mlflow_config.ADMIN_USERNAME,
            "ADMIN_PASSWORD": admin_password,
            "PATH": "/usr/bin:/bin",
        }
        moto = [venv_bin("moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)]
        with running(moto, s3_port, "moto", tmp_path / "moto.log"):
            request = urllib.request.Request(f"http://127.0.0.1:{s3_port}/{BUCKET}", method="PUT")
            urllib.request.urlopen(request, timeout=30).close()
            # The migration Job's command, before the server starts.
            subprocess.run(
                [venv_bin("mlflow"), "db", "upgrade", uri],
                check=True,
                capture_output=True,
                timeout=300,
                env={**server_env},
            )
            with running(command, port, "mlflow", tmp_path / "mlflow.log", env=server_env):
                written = client("write", client_env)
            with running(command, port, "mlflow", tmp_path / "mlflow.log", env=server_env):
                verified = client("verify", client_env)
                down = client("database-down", {**client_env, "DATABASE_URI": uri})
            stored = s3_keys(s3_port)

    assert written["anonymous_status"] == 401
    assert written["create_user_status"] == 200
    assert written["artifact_uri"].startswith("mlflow-artifacts:/")
    assert verified["run_id"] == written["run_id"]
    assert verified["params"] == {"lr": "0.01"}
    assert verified["metrics"] == {"loss": 0.25}
    assert verified["artifact"] == "mlplatform-artifact"
    assert verified["model_versions"] == [written["model_version"]] == ["1"]
    assert verified["wrong_password_status"] == 401
    # What the alert rules and dashboards read is what this server really exposes, behind auth.
    assert verified["anonymous_metrics_status"] == 401
    assert set(MLFLOW_METRICS) <= set(verified["metric_names"])
    # What MlflowDatabaseUnavailable watches for: a lost database answers 503.
    assert down["statuses"] == [503, 503, 503]
    # ...and the scrape too (basic auth reads users from the database): a full outage shows
    # as MlflowDown, while /health (the probes) stays up, so no pod restarts in a loop.
    assert (down["metrics_status"], down["health_status"]) == (503, 200)
    assert f"{written['run_id']}/artifacts/weights.txt" in stored
