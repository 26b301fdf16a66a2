"""The MLflow server image every stack deploys by default: MLflow's own published image.

Upstream's `-full` variant carries every driver a target needs, so the first `pulumi up`
needs no image build or push. What it installs is read from its build file at the pinned
tag; the MLflow integration test installs exactly that (`images/mlflow/requirements.txt`,
which a unit test keeps equal to `REQUIREMENT`). A private or air-gapped registry mirrors
this image and names the copy in `mlflow.image`.
"""

from typing import NamedTuple

MLFLOW_VERSION = "3.17.2"
REPOSITORY = "ghcr.io/mlflow/mlflow"
"""Where MLflow's release workflow (.github/workflows/push-images.yml) publishes its images."""
TAG = f"v{MLFLOW_VERSION}-full"
"""The `-full` variant (published from v3.9.0 on, mlflow/mlflow docker/README.md); the plain
`v<version>` image is `pip install mlflow` alone: no database driver, no storage client."""
DIGEST: str | None = None
"""The tag's manifest-list digest. Not found in any public source searched on 2026-12-06
(mlflow/mlflow's release workflow and docs, the GitHub packages pages, public repositories
pinning ghcr.io/mlflow/mlflow): none records one for this tag, and none is invented here.
Fill it in from `docker buildx imagetools inspect ghcr.io/mlflow/mlflow:v3.17.2-full` (or
`crane digest`), then the default is pinned; tests/unit/test_mlflow_image.py marks the gap."""
EXTRAS = ("extras", "azure", "db", "gateway", "genai", "auth")
"""mlflow/mlflow docker/Dockerfile.full (python:3.11-slim-bookworm):
`RUN pip install --no-cache-dir mlflow[extras,azure,db,gateway,genai,auth]==$VERSION`, the
line stored for v3.15.0 and v3.16.0 as for the newest commit read (092ba8b1); the v3.17.2
tag itself could not be opened here (the repository is over the mirror's size limit)."""
REQUIREMENT = f"mlflow[{','.join(EXTRAS)}]=={MLFLOW_VERSION}"
"""The image's one pip requirement, as its build file writes it."""


class Driver(NamedTuple):
    """A Python package the server needs on some target, and the extra that brings it."""

    module: str
    """Import name."""
    extra: str
    """The mlflow extra that requires it (mlflow 3.17.2 METADATA, Requires-Dist)."""
    needed_for: str


DRIVERS = (
    Driver("psycopg", "db", "PostgreSQL, the `postgresql+psycopg://` backend and auth store"),
    Driver("boto3", "extras", "S3 artifacts (aws)"),
    Driver("google.cloud.storage", "extras", "GCS artifacts (gcp)"),
    Driver("azure.storage.blob", "azure", "Azure Blob artifacts (azure)"),
    Driver("azure.identity", "azure", "Entra Workload ID for Azure Blob (azure)"),
    Driver("flask_wtf", "auth", "the basic-auth app (`--app-name basic-auth`)"),
    Driver("prometheus_flask_exporter", "extras", "`--expose-prometheus` (/metrics)"),
)
"""What the platform's server command and targets import; each extra is in `EXTRAS`."""


def default_image() -> str:
    """`registry/name:tag@digest`, or `registry/name:tag` while `DIGEST` is unknown."""
    image = f"{REPOSITORY}:{TAG}"
    return f"{image}@{DIGEST}" if DIGEST else image
