"""Runs in the MLflow image's virtualenv for the model serving test: a data scientist and
KServe's storage initializer, each doing their one step.

`register` trains a tiny scikit-learn model, logs it with its signature to a real MLflow server
and registers it; it prints the model's predictions for a fixed input and where the registry
says the version's files are. `fetch` copies a model folder from the S3 store into a local
folder as KServe's storage initializer copies `storageUri` into /mnt/models (boto3, the
endpoint from AWS_ENDPOINT_URL; kserve_storage.py `Storage._download_s3`, KServe v0.20.0).
Prints JSON facts.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from urllib.parse import urlparse

EXPERIMENT, MODEL = "serving", "integration-regressor"
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
    mlflow.end_run()
    # What a deployment resolves: the registered version by name, then its files.
    client = MlflowClient()
    version = client.get_model_version(MODEL, str(info.registered_model_version))
    return {
        "model": MODEL,
        "version": version.version,
        "download_uri": client.get_model_version_download_uri(MODEL, version.version),
        "input": FIXED_INPUT,
        "predictions": model.predict(pd.DataFrame(FIXED_INPUT)).tolist(),
    }


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
    modes = {"register": register, "fetch": fetch}
    print(json.dumps(modes[sys.argv[1]]()))
