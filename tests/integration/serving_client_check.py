"""Runs in the MLflow image's virtualenv for the model serving test: a data scientist, an
MLflow admin and KServe's storage initializer, each doing their one step.

`register` trains a tiny scikit-learn model, logs it with its signature to a real MLflow server
and registers it; it prints the model's predictions for a fixed input and where the registry
says the version's files are. It also registers a pyfunc model carrying an artifact (MLflow
keeps those in an `artifacts/` folder inside the model). `grant` has the admin create the users
a serving namespace could be given (USERS) through MLflow's basic-auth REST API, and reports
what MLflow resolves each one's permission on the experiment to. `fetch` copies a model folder
from the S3 store into a local folder as KServe's storage initializer copies `storageUri` into
/mnt/models (boto3, the endpoint from AWS_ENDPOINT_URL; kserve_storage.py
`Storage._download_s3`, KServe v0.20.0). Prints JSON facts.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from urllib.parse import urlparse

EXPERIMENT, MODEL = "serving", "integration-regressor"
NESTED_MODEL = "integration-with-artifacts"
"""A pyfunc model whose folder holds a folder named like the version's own (`artifacts`)."""
USERS = {
    # READ on the serving experiment: what a serving namespace's MLflow user needs.
    "reader": ("serving-reader", "Reader-Secret-123", "READ"),
    # Refused on it. MLflow grants no NO_PERMISSIONS on a resource ("Resource-level grants
    # accept only: DENY, EDIT, MANAGE, READ, USE"): an explicit DENY is the way to refuse while
    # the server's default_permission is READ (mlflow_config.DEFAULT_PERMISSION).
    "outsider": ("serving-outsider", "Outsider-Secret-123", "DENY"),
    # No grant of its own: the default_permission applies.
    "stranger": ("serving-stranger", "Stranger-Secret-123", None),
}
"""Role: user name, password, permission granted on the experiment (None: no grant)."""
TRAIN = {"a": [0.0, 1.0, 2.0, 3.0, 4.0, 5.0], "b": [1.0, 0.0, 1.0, 0.0, 2.0, 1.0]}
TARGET = [1.5, 2.0, 5.5, 6.5, 12.0, 12.5]
FIXED_INPUT = {"a": [0.5, 2.5, 7.0], "b": [1.0, 0.0, 3.0]}


def register() -> dict:
    import mlflow
    import pandas as pd
    from mlflow import MlflowClient
    from mlflow.models import infer_signature
    from mlflow.sklearn import log_model
    from sklearn.linear_model import LinearRegression

    os.environ["MLFLOW_TRACKING_USERNAME"] = os.environ["ADMIN_USER"]
    os.environ["MLFLOW_TRACKING_PASSWORD"] = os.environ["ADMIN_PASSWORD"]
    features = pd.DataFrame(TRAIN)
    model = LinearRegression().fit(features, TARGET)
    mlflow.set_experiment(EXPERIMENT)
    mlflow.start_run()
    info = log_model(
        model,
        name="model",
        signature=infer_signature(features, model.predict(features)),
        registered_model_name=MODEL,
    )
    nested = log_nested_model()
    mlflow.end_run()
    # What a deployment resolves: the registered version by name, then its files.
    client = MlflowClient()
    version = client.get_model_version(MODEL, str(info.registered_model_version))
    return {
        "model": MODEL,
        "version": version.version,
        "experiment_id": mlflow.get_experiment_by_name(EXPERIMENT).experiment_id,
        "download_uri": client.get_model_version_download_uri(MODEL, version.version),
        "nested_download_uri": client.get_model_version_download_uri(
            NESTED_MODEL, str(nested.registered_model_version)
        ),
        "input": FIXED_INPUT,
        "predictions": model.predict(pd.DataFrame(FIXED_INPUT)).tolist(),
    }


def log_nested_model():
    """A pyfunc model with one artifact, registered; MLflow copies the artifact into the
    model's `artifacts/` folder."""
    import tempfile

    import mlflow.pyfunc

    class Constant(mlflow.pyfunc.PythonModel):
        def predict(self, context, model_input, params=None):
            return model_input

    with tempfile.TemporaryDirectory() as tmp:
        weights = Path(tmp) / "weights.txt"
        weights.write_text("0.5")
        return mlflow.pyfunc.log_model(
            name="with-artifacts",
            python_model=Constant(),
            artifacts={"weights": str(weights)},
            pip_requirements=["mlflow==3.17.2"],
            registered_model_name=NESTED_MODEL,
        )


def grant() -> dict:
    """The admin creates each user of USERS and sets its permission on the experiment."""
    import requests

    uri, admin = (
        os.environ["MLFLOW_TRACKING_URI"],
        (
            os.environ["ADMIN_USER"],
            os.environ["ADMIN_PASSWORD"],
        ),
    )
    experiment = os.environ["EXPERIMENT_ID"]
    facts: dict = {}
    for role, (username, password, permission) in USERS.items():
        statuses = [
            requests.post(
                f"{uri}/api/2.0/mlflow/users/create",
                auth=admin,
                json={"username": username, "password": password},
                timeout=30,
            ).status_code
        ]
        if permission is not None:
            granted = requests.post(
                f"{uri}/api/3.0/mlflow/users/permissions/grant",
                auth=admin,
                json={
                    "username": username,
                    "resource_type": "experiment",
                    "resource_id": experiment,
                    "permission": permission,
                },
                timeout=30,
            )
            statuses.append(granted.status_code)
        effective = requests.get(
            f"{uri}/api/3.0/mlflow/users/permissions/get",
            auth=admin,
            params={"username": username, "resource_type": "experiment", "resource_id": experiment},
            timeout=30,
        )
        statuses.append(effective.status_code)
        facts[role] = {
            "username": username,
            "password": password,
            "statuses": statuses,
            "permission": effective.json().get("permission"),
        }
    return facts


def fetch() -> dict:
    import boto3

    uri, destination = os.environ["STORAGE_URI"], Path(os.environ["DESTINATION"])
    parsed = urlparse(uri, scheme="s3")
    prefix = parsed.path.lstrip("/")
    s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
    s3.head_bucket(Bucket=parsed.netloc)
    files = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=parsed.netloc, Prefix=prefix):
        for obj in page.get("Contents", []):
            if obj["Key"].endswith("/") or obj["Size"] == 0:
                continue
            target = destination / obj["Key"].removeprefix(prefix).lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            s3.download_file(parsed.netloc, obj["Key"], str(target))
            files.append(target.relative_to(destination).as_posix())
    return {"files": sorted(files)}


if __name__ == "__main__":
    modes = {"register": register, "grant": grant, "fetch": fetch}
    print(json.dumps(modes[sys.argv[1]]()))
