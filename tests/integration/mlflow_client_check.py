"""Runs in the MLflow image's virtualenv: drives a real MLflow server as a user would.

`write` creates a user, logs a run with params, metrics and an artifact, registers a model
version; `verify` checks all of it is still there (after a restart); `database-down` locks
MLflow out of PostgreSQL and records what users and the metrics then see. Prints JSON facts.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import requests

URI = os.environ["MLFLOW_TRACKING_URI"]
ADMIN = (os.environ["ADMIN_USER"], os.environ["ADMIN_PASSWORD"])
USER, USER_PASSWORD = "alice", "alice-Secret-123"
EXPERIMENT, MODEL = "integration", "integration-model"


def write() -> dict:
    from mlflow import MlflowClient

    facts: dict = {}
    anonymous = requests.get(f"{URI}/api/2.0/mlflow/experiments/search?max_results=1", timeout=30)
    facts["anonymous_status"] = anonymous.status_code
    created = requests.post(
        f"{URI}/api/2.0/mlflow/users/create",
        auth=ADMIN,
        timeout=30,
        json={"username": USER, "password": USER_PASSWORD},
    )
    facts["create_user_status"] = created.status_code
    os.environ["MLFLOW_TRACKING_USERNAME"], os.environ["MLFLOW_TRACKING_PASSWORD"] = (
        USER,
        USER_PASSWORD,
    )
    client = MlflowClient(URI)
    experiment = client.create_experiment(EXPERIMENT)
    run = client.create_run(experiment)
    client.log_param(run.info.run_id, "lr", "0.01")
    client.log_metric(run.info.run_id, "loss", 0.25)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "weights.txt"
        path.write_text("mlplatform-artifact")
        client.log_artifact(run.info.run_id, str(path))
    client.set_terminated(run.info.run_id)
    client.create_registered_model(MODEL)
    version = client.create_model_version(
        MODEL, f"runs:/{run.info.run_id}/weights.txt", run.info.run_id
    )
    facts.update(
        run_id=run.info.run_id, model_version=version.version, artifact_uri=run.info.artifact_uri
    )
    return facts


def verify() -> dict:
    from mlflow import MlflowClient
    from mlflow.artifacts import download_artifacts

    os.environ["MLFLOW_TRACKING_USERNAME"], os.environ["MLFLOW_TRACKING_PASSWORD"] = (
        USER,
        USER_PASSWORD,
    )
    client = MlflowClient(URI)
    experiment = client.get_experiment_by_name(EXPERIMENT)
    [run] = client.search_runs([experiment.experiment_id])
    with tempfile.TemporaryDirectory() as tmp:
        local = download_artifacts(
            run_id=run.info.run_id, artifact_path="weights.txt", dst_path=tmp, tracking_uri=URI
        )
        content = Path(local).read_text()
    versions = client.search_model_versions(f"name='{MODEL}'")
    wrong = requests.get(
        f"{URI}/api/2.0/mlflow/experiments/search?max_results=1",
        auth=(USER, "wrong-password"),
        timeout=30,
    )
    metrics = requests.get(
        f"{URI}/metrics", auth=(os.environ["ADMIN_USER"], os.environ["ADMIN_PASSWORD"]), timeout=30
    )
    families = {
        line.split("{")[0].split(" ")[0]
        for line in metrics.text.splitlines()
        if line and not line.startswith("#")
    }
    return {
        "anonymous_metrics_status": requests.get(f"{URI}/metrics", timeout=30).status_code,
        "metric_names": sorted(families),
        "run_id": run.info.run_id,
        "params": run.data.params,
        "metrics": run.data.metrics,
        "artifact": content,
        "model_versions": [v.version for v in versions],
        "wrong_password_status": wrong.status_code,
    }


def database_down() -> dict:
    """Refuse MLflow's role new sessions and end its open ones (what a lost database looks
    like to SQLAlchemy), then call the API as a user would."""
    import psycopg

    database = os.environ["DATABASE_URI"].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(database, autocommit=True) as connection:
        connection.execute("ALTER ROLE mlflow NOLOGIN")
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE usename = 'mlflow' AND pid <> pg_backend_pid()"
        )
    statuses = [
        requests.get(
            f"{URI}/api/2.0/mlflow/experiments/search?max_results=1", auth=ADMIN, timeout=60
        ).status_code
        for _ in range(3)
    ]
    metrics = requests.get(f"{URI}/metrics", auth=ADMIN, timeout=60)
    health = requests.get(f"{URI}/health", timeout=60)
    return {
        "statuses": statuses,
        "metrics_status": metrics.status_code,
        "health_status": health.status_code,
    }


if __name__ == "__main__":
    modes = {"write": write, "verify": verify, "database-down": database_down}
    print(json.dumps(modes[sys.argv[1]]()))
