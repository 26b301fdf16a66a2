"""The MLflow server as the platform configures it, run for real: PostgreSQL for tracking
data and users, moto's S3 server as the artifact store, the basic-auth app, the artifact proxy.

Takes the command line and auth config that `mlplatform.kubernetes.mlflow_config` generates
for the Deployment and adapts only host, port and credentials to loopback
(`tests.integration.servers.mlflow_backends`).
"""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from mlplatform.kubernetes.monitoring.metrics import MLFLOW_METRICS
from tests.integration.servers import BUCKET, mlflow_backends, run_client

CLIENT = Path(__file__).with_name("mlflow_client_check.py")


def s3_keys(port: int) -> str:
    with urllib.request.urlopen(
        f"http://127.0.0.1:{port}/{BUCKET}?list-type=2", timeout=30
    ) as response:
        return response.read().decode()


@pytest.mark.integration
def test_mlflow_server_keeps_runs_artifacts_models_and_users(tmp_path: Path) -> None:
    with mlflow_backends(tmp_path) as mlflow:
        client_env = mlflow.client_env
        with mlflow.running():
            written = run_client(CLIENT, "write", client_env)
        with mlflow.running():
            verified = run_client(CLIENT, "verify", client_env)
            down = run_client(
                CLIENT, "database-down", {**client_env, "DATABASE_URI": mlflow.database_uri}
            )
        stored = s3_keys(mlflow.s3_port)

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
