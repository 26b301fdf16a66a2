"""A model registered in MLflow as the platform runs it is served by what `ModelServing`
deploys: MLServer with its MLflow runtime (images/serving/requirements.txt, in .venv-serving),
started with `serving_runtime.COMMAND` and `serving_runtime.runtime_env`, on loopback,
answering a V2 inference request.

Two ways the model reaches the pod's model folder, as KServe's storage initializer fills it:
- the clouds: the registered version resolves to a folder in the artifact bucket, which the
  storage initializer copies to /mnt/models (here: boto3 against the S3 server);
- the kubernetes target: the platform's ClusterStorageContainer runs
  `serving_runtime.DOWNLOAD_COMMAND` with the args KServe appends (the version's
  `mlflow-artifacts:` URI and /mnt/models), through MLflow's artifact proxy as a team's MLflow
  user (here: in .venv-serving, with only the three MLFLOW_TRACKING_* variables the
  ClusterStorageContainer sets, so no store credentials).

Loopback changes only what a pod has and a shared test machine has not: the programs are the
virtualenv's, /mnt/models is a temporary folder, MLServer listens on 127.0.0.1 on free ports.
MLflow and its store are stopped before MLServer starts: the served model needs nothing but its
folder.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
import yaml

from mlplatform.kubernetes import serving_runtime
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
MODEL_FILES = ["MLmodel", "conda.yaml", "model.skops", "python_env.yaml", "requirements.txt"]
"""What mlflow 3.17.2 logs for the scikit-learn model, directly in the model folder."""
LOOPBACK_ENV = (
    "MLSERVER_HOST",
    "MLSERVER_HTTP_PORT",
    "MLSERVER_GRPC_PORT",
    "MLSERVER_METRICS_PORT",
)
"""What loopback sets on top of `runtime_env`, besides the model folder: a host (the pod's
MLServer listens on its default 0.0.0.0) and free ports."""
PROBE = """\
import sys
from mlflow.artifacts import download_artifacts
print(download_artifacts(artifact_uri=sys.argv[1], dst_path=sys.argv[2]))
"""
"""What `download_artifacts` alone returns for the version's (directory) URI."""


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


def files(folder: Path) -> list[str]:
    """Every file and folder under `folder`, relative, sorted."""
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*"))


def on_loopback(command: Sequence[str], models: Path) -> list[str]:
    """A pod's command as this machine runs it: the program from .venv-serving, MODELS_DIR
    in a temporary folder."""
    program, *args = command
    return [venv_bin(SERVING_VENV, program), *(in_folder(arg, models) for arg in args)]


def in_folder(value: str, models: Path) -> str:
    """`value`, or `models` where it is MODELS_DIR."""
    return str(models) if value == serving_runtime.MODELS_DIR else value


def loopback_env(models: Path, ports: dict[str, int]) -> dict[str, str]:
    """`runtime_env(SERVICE)` with MODELS_DIR in `models`, and MLServer on 127.0.0.1 on the
    given ports instead of 0.0.0.0 and the fixed 8080/9000/8082."""
    deployed = serving_runtime.runtime_env(SERVICE)
    env = {key: in_folder(value, models) for key, value in deployed.items()}
    env["MLSERVER_HOST"] = "127.0.0.1"
    env.update({f"MLSERVER_{name.upper()}_PORT": str(port) for name, port in ports.items()})
    return env


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
    """MLServer over `models` started as the ServingRuntime starts it, on free loopback ports;
    yields the API's and the metrics server's base URLs once the model is ready."""
    ports = {"http": free_port(), "grpc": free_port(), "metrics": free_port()}
    env = loopback_env(models, ports)
    deployed = serving_runtime.runtime_env(SERVICE)
    changed = sorted(key for key in env if deployed.get(key) != env[key])
    assert changed == sorted([*LOOPBACK_ENV, "MLSERVER_MODEL_URI", "MLSERVER_MODELS_DIR"]), (
        "loopback must change only the host, the ports and the model folder"
    )
    log = directory / "mlserver.log"
    command = on_loopback(serving_runtime.COMMAND, models)
    with running(command, ports["http"], "mlserver", log, env=env, cwd=directory):
        api = f"http://127.0.0.1:{ports['http']}"
        wait_ready(api, log)
        yield api, f"http://127.0.0.1:{ports['metrics']}"


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


@dataclasses.dataclass(frozen=True)
class Download:
    """One run of a download program: its exit code, the last line it wrote to stderr (what
    KServe keeps as the init container's termination message), stdout, and the files in the
    target folder afterwards."""

    returncode: int
    error: str
    output: str
    files: list[str]


def download(
    command: Sequence[str], uri: str, target: Path, tracking_uri: str, user: dict | None
) -> Download:
    """Run `command` with the args KServe appends to a storage container's (the URI and
    MODELS_DIR, here `target`) in .venv-serving, with the environment the platform's
    ClusterStorageContainer gives (the tracking URI, a user's name and password) and nothing
    else but PATH and HOME. `target` exists beforehand, as KServe's emptyDir does."""
    target.mkdir(parents=True)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(target.parent), "MLFLOW_TRACKING_URI": tracking_uri}
    if user is not None:
        env["MLFLOW_TRACKING_USERNAME"] = user["username"]
        env["MLFLOW_TRACKING_PASSWORD"] = user["password"]
    result = subprocess.run(
        on_loopback([*command, uri, serving_runtime.MODELS_DIR], target),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = result.stderr.strip().splitlines()
    return Download(result.returncode, lines[-1] if lines else "", result.stdout, files(target))


@dataclasses.dataclass(frozen=True)
class Registry:
    """What the module's one MLflow session left: the registration, the users, and the model
    folders each way of fetching filled."""

    directory: Path
    tracking_uri: str
    registered: dict
    users: dict
    bucket_models: Path
    fetched: dict
    probe: Download
    downloads: dict[str, Download]


def downloads(
    registered: dict, users: dict, tracking_uri: str, directory: Path
) -> dict[str, Download]:
    """DOWNLOAD_COMMAND's script as each user, and as nobody, over the registered versions."""
    uri, nested = registered["download_uri"], registered["nested_download_uri"]
    reader = users["reader"]
    runs = {
        "reader": (uri, reader),
        "nested": (nested, reader),
        "outsider": (uri, users["outsider"]),
        "stranger": (uri, users["stranger"]),
        "wrong-password": (uri, {**reader, "password": "not-the-password"}),
        "anonymous": (uri, None),
    }
    return {
        name: download(
            serving_runtime.DOWNLOAD_COMMAND,
            source,
            directory / name / "models",
            tracking_uri,
            user,
        )
        for name, (source, user) in runs.items()
    }


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    venv_bin(SERVING_VENV, "mlserver")  # before the servers: missing, it says how to make it
    directory = tmp_path_factory.mktemp("serving")
    bucket_models = directory / "bucket" / "models"
    with mlflow_backends(directory) as mlflow:
        tracking_uri = mlflow.client_env["MLFLOW_TRACKING_URI"]
        with mlflow.running():
            registered = run_client(CLIENT, "register", mlflow.client_env)
            users = run_client(
                CLIENT, "grant", {**mlflow.client_env, "EXPERIMENT_ID": registered["experiment_id"]}
            )
            probe = download(
                ("python", "-c", PROBE),
                registered["download_uri"],
                directory / "probe",
                tracking_uri,
                users["reader"],
            )
            fetched_through_proxy = downloads(registered, users, tracking_uri, directory)
        fetched = run_client(
            CLIENT,
            "fetch",
            {
                **mlflow.client_env,
                "AWS_ENDPOINT_URL": f"http://127.0.0.1:{mlflow.s3_port}",
                "STORAGE_URI": storage_uri(registered["download_uri"]),
                "DESTINATION": str(bucket_models),
            },
        )
    return Registry(
        directory,
        tracking_uri,
        registered,
        users,
        bucket_models,
        fetched,
        probe,
        fetched_through_proxy,
    )


def assert_serves(registry: Registry, models: Path, directory: Path) -> None:
    """MLServer started as deployed over `models` answers the V2 inference request with the
    model's own predictions, and counts it on the metrics port."""
    directory.mkdir()
    registered = registry.registered
    with mlserver(models, directory) as (api, metrics):
        model_ready = call(f"{api}/v2/models/{SERVICE}/ready")
        inferred = call(f"{api}/v2/models/{SERVICE}/infer", infer_request(registered["input"]))
        unknown = call(f"{api}/v2/models/unknown/infer", infer_request(registered["input"]))
        scraped = call(f"{metrics}/metrics")
    # Ready means every model loaded: a model that failed to load is dropped, and then the
    # server is ready without it.
    assert model_ready[0] == 200, (directory / "mlserver.log").read_text()[-4000:]
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


def proxied(registry: Registry, uri: str) -> str:
    """The artifact proxy's listing URL `download_artifacts` asks first for `uri`."""
    path = quote(urlparse(uri).path.lstrip("/"), safe="")
    return f"{registry.tracking_uri}/api/2.0/mlflow-artifacts/artifacts?path={path}"


@pytest.mark.integration
def test_a_model_copied_from_the_bucket_is_served_by_the_deployed_runtime(
    registry: Registry,
) -> None:
    models = registry.bucket_models
    mlmodel = yaml.safe_load((models / "MLmodel").read_text())

    assert registry.registered["version"] == "1"
    assert registry.fetched["files"] == MODEL_FILES
    # What mlflow 3 writes by default, and mlflow 2 (the stock MLServer images') cannot read.
    assert mlmodel["flavors"]["sklearn"]["serialization_format"] == "skops"
    # The image carries the libraries at the versions MLflow recorded for the model.
    recorded, image = pins(models / "requirements.txt"), pins(SERVING_REQUIREMENTS)
    flavor = ("mlflow", "scikit-learn", "skops")
    assert {name: image.get(name) for name in flavor} == {
        name: recorded[name] for name in flavor
    }, f"pin what the model was trained with in {SERVING_REQUIREMENTS.relative_to(ROOT)}"
    assert_serves(registry, models, registry.directory / "from-bucket")


@pytest.mark.integration
def test_a_model_downloaded_through_mlflow_by_a_reader_is_served_by_the_deployed_runtime(
    registry: Registry,
) -> None:
    uri = registry.registered["download_uri"]
    reader = registry.users["reader"]
    fetched = registry.downloads["reader"]
    target = registry.directory / "reader" / "models"

    # mlflow-artifacts:/<experiment>/models/m-<id>/artifacts: the path after the prefix is the
    # object's key under the server's --artifacts-destination.
    assert re.fullmatch(r"mlflow-artifacts:/1/models/m-[0-9a-f]{32}/artifacts", uri), uri
    # A non-admin user, created by the admin, READ on the experiment and nothing else.
    assert (reader["statuses"], reader["permission"]) == ([200, 200, 200], "READ")
    # download_artifacts puts a directory URI's folder *inside* dst_path, under the URI's last
    # segment: hence DOWNLOAD_SCRIPT moves its entries up.
    probe = registry.probe
    assert (probe.returncode, probe.output.strip()) == (
        0,
        str(registry.directory / "probe" / "artifacts"),
    )
    assert probe.files == ["artifacts", *(f"artifacts/{name}" for name in MODEL_FILES)]
    # The storage container leaves the model's files directly in the target, nothing else.
    assert (fetched.returncode, fetched.error, fetched.output, fetched.files) == (
        0,
        "",
        "",
        MODEL_FILES,
    )
    assert [(target / name).read_bytes() for name in MODEL_FILES] == [
        (registry.bucket_models / name).read_bytes() for name in MODEL_FILES
    ]
    assert_serves(registry, target, registry.directory / "from-proxy")


@pytest.mark.integration
def test_the_storage_container_keeps_a_models_own_artifacts_folder(registry: Registry) -> None:
    # A pyfunc model keeps its artifacts in <model>/artifacts/, and a version's folder is
    # itself named `artifacts`.
    fetched = registry.downloads["nested"]

    assert (fetched.returncode, fetched.error, fetched.files) == (
        0,
        "",
        [
            "MLmodel",
            "artifacts",
            "artifacts/weights.txt",
            "conda.yaml",
            "python_env.yaml",
            "python_model.pkl",
            "requirements.txt",
        ],
    )
    target = registry.directory / "nested" / "models"
    assert (target / "artifacts" / "weights.txt").read_text() == "0.5"


@pytest.mark.integration
def test_the_storage_container_is_refused_without_read_on_the_experiment(
    registry: Registry,
) -> None:
    uri = registry.registered["download_uri"]
    outsider, stranger = registry.users["outsider"], registry.users["stranger"]
    listing = proxied(registry, uri)
    cannot = f"cannot download {uri} from MLflow at {registry.tracking_uri}"
    refused = {
        name: registry.downloads[name] for name in ("outsider", "wrong-password", "anonymous")
    }
    not_authenticated = (
        f"401 Client Error: Unauthorized for url: {listing}. Response text: You are not "
        "authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html"
        "#authenticating-to-mlflow on how to authenticate."
    )

    assert (outsider["statuses"], outsider["permission"]) == ([200, 200, 200], "DENY")
    assert {name: (run.returncode, run.error, run.files) for name, run in refused.items()} == {
        "outsider": (
            1,
            f"{cannot} as user 'serving-outsider': 403 Client Error: Forbidden for url: "
            f"{listing}. Response text: Permission denied",
            [],
        ),
        "wrong-password": (
            1,
            f"{cannot} as user 'serving-reader': {not_authenticated}",
            [],
        ),
        "anonymous": (1, f"{cannot} as user '': {not_authenticated}", []),
    }
    # A user without a grant of its own reads every experiment: the platform's MLflow runs
    # with default_permission READ (mlflow_config.DEFAULT_PERMISSION). Refusing takes a DENY.
    assert (stranger["statuses"], stranger["permission"]) == ([200, 200], "READ")
    assert (registry.downloads["stranger"].returncode, registry.downloads["stranger"].files) == (
        0,
        MODEL_FILES,
    )
