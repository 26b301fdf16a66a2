"""What runs in a served model's pod: the MLServer command and environment of the platform's
ServingRuntime, and the download command of the storage container that fetches
`mlflow-artifacts:` models through MLflow's artifact proxy (the kubernetes target).

Pure data, shared by `mlplatform.kubernetes.model_serving` (which deploys it) and the
integration tier (tests/integration/test_model_serving.py), which runs these very commands
against a real MLflow server and a real MLServer on loopback.
"""

MODELS_DIR = "/mnt/models"
"""Where KServe's storage initializer puts the model (its DefaultModelLocalMountPath)."""
HTTP_PORT = 8080
"""MLServer's REST port: KServe's predictor Service sends port 80 here."""
GRPC_PORT = 9000
"""MLServer's gRPC port (the kserve-mlserver runtime's)."""
METRICS_PORT = 8082
"""MLServer's Prometheus port (its default metrics_port; /metrics is not on the REST port)."""
IMPLEMENTATION = "mlserver_mlflow.MLflowRuntime"
"""MLServer's runtime for the mlflow model format (KServe's MLServerModelClassMLFlow)."""
COMMAND = ("mlserver", "start", MODELS_DIR)
"""The runtime container's command: MLServer over the downloaded model folder, as the
kserve-mlserver runtime's image command starts it."""


def runtime_env(model: str) -> dict[str, str]:
    """MLServer's environment for serving `model` (the InferenceService's name, also the V2
    model name) from MODELS_DIR: what KServe's kserve-mlserver runtime and its MLServer
    defaults (SetMlServerDefaults) set, written out so nothing depends on KServe guessing the
    server type."""
    return {
        "MLSERVER_MODEL_NAME": model,
        "MLSERVER_MODEL_IMPLEMENTATION": IMPLEMENTATION,
        "MLSERVER_MODEL_URI": MODELS_DIR,
        "MLSERVER_MODELS_DIR": MODELS_DIR,
        "MLSERVER_HTTP_PORT": str(HTTP_PORT),
        "MLSERVER_GRPC_PORT": str(GRPC_PORT),
        "MLSERVER_METRICS_PORT": str(METRICS_PORT),
    }


MLFLOW_ARTIFACTS = "mlflow-artifacts:"
"""The URI prefix of models MLflow's artifact proxy serves (a registered version's source)."""
DOWNLOAD_SCRIPT = """\
import os, shutil, sys, tempfile
from mlflow.artifacts import download_artifacts
source, target = sys.argv[1], sys.argv[2]
staging = tempfile.mkdtemp(prefix=".download-", dir=target)
try:
    folder = download_artifacts(artifact_uri=source, dst_path=staging)
    for entry in os.listdir(folder):
        shutil.move(os.path.join(folder, entry), target)
except Exception as error:
    tracking = os.environ.get("MLFLOW_TRACKING_URI")
    user = os.environ.get("MLFLOW_TRACKING_USERNAME", "")
    sys.exit(f"cannot download {source} from MLflow at {tracking} as user '{user}': {error}")
finally:
    shutil.rmtree(staging)
"""
"""Copies the model folder at an `mlflow-artifacts:` URI into the target folder (its files
directly, as KServe's storage initializer copies a bucket prefix), through the tracking server
MLFLOW_TRACKING_URI names, with MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD.

`download_artifacts` puts a folder URI's files in `<dst_path>/<its last segment>` (`artifacts`
for a registered version): they are moved up from a staging folder inside the target, so a
model's own `artifacts/` folder (a pyfunc model's) cannot collide with it. A failure says
`cannot download <uri> from MLflow at <server> as user '<user>': <error>`, no traceback:
KServe keeps an init container's last log lines as its termination message
(TerminationMessageFallbackToLogsOnError, KServe v0.20.0 pkg/utils/storage.go
CreateInitContainerWithConfig). The target exists: KServe mounts an emptyDir there."""
DOWNLOAD_COMMAND = ("python", "-c", DOWNLOAD_SCRIPT)
"""The storage container's command; KServe appends its args: the URI and MODELS_DIR."""
