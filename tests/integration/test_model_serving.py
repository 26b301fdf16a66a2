"""A model registered in MLflow as the platform runs it is served by the runtime KServe uses for
the `mlflow` model format: MLServer with its MLflow runtime (images/serving/requirements.txt,
in .venv-serving), on loopback, answering a V2 inference request.

The path is KServe's: the registered version resolves to a folder in the artifact bucket, the
storage initializer copies that folder to /mnt/models, and the kserve-mlserver runtime starts
`mlserver start $MLSERVER_MODELS_DIR` (the image's command) with the environment KServe sets
(`SetMlServerDefaults`, KServe v0.20.0: the model name is the InferenceService's). MLflow and
its store are stopped before MLServer starts: the served model needs nothing but its folder.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from tests.integration.servers import (
    BUCKET,
    ROOT,
    SERVING_VENV,
    free_port,
    mlflow_backends,
    run_client,
    running,
    venv_bin,
)

CLIENT = Path(__file__).with_name("serving_client_check.py")
SERVING_REQUIREMENTS = ROOT / "images" / "serving" / "requirements.txt"
SERVICE = "regressor"
"""The InferenceService's name: KServe serves the model under it (MLSERVER_MODEL_NAME)."""
READY_SECONDS = 180
INFER_PATH = "/v2/models/{model_name}/infer"
"""The route template MLServer's request metrics label (rest_server_requests_total's path)."""


def storage_uri(download_uri: str) -> str:
    """The bucket URI a deployment reads for a model version the artifact proxy serves: the
    server's --artifacts-destination followed by the proxied path."""
    parsed = urlparse(download_uri)
    assert parsed.scheme == "mlflow-artifacts", download_uri
    return f"s3://{BUCKET}/{parsed.path.lstrip('/')}"


def pins(path: Path) -> dict[str, str]:
    """`name==version` lines of a requirements file, by lower-case name."""
    found = (re.match(r"([A-Za-z0-9_.-]+)==(\S+)", line) for line in path.read_text().splitlines())
    return {match[1].lower(): match[2] for match in found if match}


def call(url: str, body: dict | None = None) -> tuple[int, str]:
    """GET `url`, or POST `body` as JSON; the status and the body, errors included."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_ready(api: str, log: Path) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if call(f"{api}/v2/health/ready")[0] == 200:
                return
        time.sleep(0.5)
    raise TimeoutError(f"mlserver not ready in {READY_SECONDS}s:\n{log.read_text()[-4000:]}")


@contextlib.contextmanager
def mlserver(models: Path, directory: Path) -> Iterator[tuple[str, str]]:
    """MLServer over `models` as the kserve-mlserver runtime starts it, on free loopback ports;
    yields the API's and the metrics server's base URLs once the model is ready."""
    http_port, grpc_port, metrics_port = free_port(), free_port(), free_port()
    env = {
        # KServe's defaulter (the model) and the ClusterServingRuntime (the ports, 8080/9000).
        "MLSERVER_MODEL_NAME": SERVICE,
        "MLSERVER_MODEL_IMPLEMENTATION": "mlserver_mlflow.MLflowRuntime",
        "MLSERVER_MODEL_URI": str(models),
        "MLSERVER_HTTP_PORT": str(http_port),
        "MLSERVER_GRPC_PORT": str(grpc_port),
        # Loopback instead of the defaults 0.0.0.0 and 8082, and the image's own setting.
        "MLSERVER_HOST": "127.0.0.1",
        "MLSERVER_METRICS_PORT": str(metrics_port),
        "MLSERVER_MODELS_DIR": str(models),
    }
    command = [venv_bin(SERVING_VENV, "mlserver"), "start", str(models)]
    log = directory / "mlserver.log"
    with running(command, http_port, "mlserver", log, env=env, cwd=directory):
        api = f"http://127.0.0.1:{http_port}"
        wait_ready(api, log)
        yield api, f"http://127.0.0.1:{metrics_port}"


def samples(exposition: str, name: str) -> list[tuple[dict[str, str], float]]:
    """A metric's samples in Prometheus' text format: labels and value, in order."""
    found = []
    for line in exposition.splitlines():
        match = re.fullmatch(rf"{name}\{{(.*)\}} (\S+)", line)
        if match:
            found.append((dict(re.findall(r'(\w+)="([^"]*)"', match[1])), float(match[2])))
    return found


def infer_request(columns: dict[str, list[float]]) -> dict:
    """A V2 request with one FP64 input per column of the model's signature."""
    inputs = [
        {"name": name, "shape": [len(values), 1], "datatype": "FP64", "data": values}
        for name, values in columns.items()
    ]
    return {"inputs": inputs}


@pytest.mark.integration
def test_a_registered_model_is_served_by_kserves_mlflow_runtime(tmp_path: Path) -> None:
    venv_bin(SERVING_VENV, "mlserver")  # before the servers: missing, it says how to make it
    models = tmp_path / "mnt" / "models"
    with mlflow_backends(tmp_path) as mlflow:
        with mlflow.running():
            registered = run_client(CLIENT, "register", mlflow.client_env)
        fetched = run_client(
            CLIENT,
            "fetch",
            {
                **mlflow.client_env,
                "AWS_ENDPOINT_URL": f"http://127.0.0.1:{mlflow.s3_port}",
                "STORAGE_URI": storage_uri(registered["download_uri"]),
                "DESTINATION": str(models),
            },
        )
    mlmodel = yaml.safe_load((models / "MLmodel").read_text())
    with mlserver(models, tmp_path) as (api, metrics):
        model_ready = call(f"{api}/v2/models/{SERVICE}/ready")
        inferred = call(f"{api}/v2/models/{SERVICE}/infer", infer_request(registered["input"]))
        unknown = call(f"{api}/v2/models/unknown/infer", infer_request(registered["input"]))
        scraped = call(f"{metrics}/metrics")

    assert registered["version"] == "1"
    files = ["MLmodel", "conda.yaml", "model.skops", "python_env.yaml", "requirements.txt"]
    assert fetched["files"] == files
    # What mlflow 3 writes by default, and mlflow 2 (the stock MLServer images') cannot read.
    assert mlmodel["flavors"]["sklearn"]["serialization_format"] == "skops"
    # The image carries the libraries at the versions MLflow recorded for the model.
    recorded, image = pins(models / "requirements.txt"), pins(SERVING_REQUIREMENTS)
    flavor = ("mlflow", "scikit-learn", "skops")
    assert {name: image.get(name) for name in flavor} == {
        name: recorded[name] for name in flavor
    }, f"pin what the model was trained with in {SERVING_REQUIREMENTS.relative_to(ROOT)}"
    # Ready means every model loaded: a model that failed to load is dropped, and then the
    # server is ready without it.
    assert model_ready[0] == 200, (tmp_path / "mlserver.log").read_text()[-4000:]
    status, body = inferred
    assert status == 200, body
    answer = json.loads(body)
    assert answer["model_name"] == SERVICE
    assert [
        (output["name"], output["datatype"], output["shape"], output["data"])
        for output in answer["outputs"]
    ] == [("output-1", "FP64", [3, 1], registered["predictions"])]
    assert unknown == (404, json.dumps({"error": "Model unknown not found"}, separators=(",", ":")))
    # The requests the alert rules count, by route (not by model) and status, on the metrics
    # port: the two inference calls, the unknown model's too.
    assert scraped[0] == 200
    requests_total = samples(scraped[1], "rest_server_requests_total")
    served = {"app_name": "mlserver", "method": "POST", "path": INFER_PATH}
    assert [sample for sample in requests_total if sample[0]["path"] == INFER_PATH] == [
        ({**served, "status_code": "200"}, 1.0),
        ({**served, "status_code": "404"}, 1.0),
    ]
