"""The MLflow image a first `pulumi up` deploys: MLflow's published `-full` image, its package
set shared with the integration test, and `mlflow.image` checked per target."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mlplatform.catalog import mlflow_image
from mlplatform.engine import run_stack
from mlplatform.environment import ConfigError, parse
from mlplatform.environment.image_reference import ImageReference
from mlplatform.environment.image_reference import parse as parse_image
from tests.conftest import ROOT, write_stack
from tests.helpers import one

DIGEST = "sha256:" + "0123456789abcdef" * 4
CLOUDS = {
    "aws": {"target": "aws", "environment": "dev", "region": "us-east-1"},
    "azure": {"target": "azure", "environment": "dev", "region": "westeurope"},
    "gcp": {
        "target": "gcp",
        "environment": "dev",
        "region": "us-central1",
        "gcp": {"project": "my-ml-project"},
    },
}
LOCAL = {"target": "kubernetes", "environment": "dev"}
SERVER_PODS = (
    ("kubernetes:apps/v1:Deployment", "-mlflow-deployment"),
    ("kubernetes:batch/v1:Job", "-mlflow-migrate"),
)


def with_image(base: dict[str, Any], image: str) -> dict[str, Any]:
    # One replica on the kubernetes target: its artifact volume is ReadWriteOnce.
    replicas = {"replicas": 1} if base["target"] == "kubernetes" else {}
    return {**base, "mlflow": {"enabled": True, "image": image, **replicas}}


def issues(values: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse(values)
    return [str(issue) for issue in caught.value.issues]


def test_default_image_is_mlflows_own_full_image() -> None:
    from mlplatform.kubernetes.mlflow import MLFLOW_IMAGE

    ref = parse_image(MLFLOW_IMAGE)
    assert ref == ImageReference("ghcr.io", "mlflow/mlflow", "v3.17.2-full", mlflow_image.DIGEST)
    assert mlflow_image.REQUIREMENT == "mlflow[extras,azure,db,gateway,genai,auth]==3.17.2"


@pytest.mark.xfail(
    strict=True,
    reason="no public source records the digest of ghcr.io/mlflow/mlflow:v3.17.2-full; "
    "set mlflow_image.DIGEST from the registry and delete this mark",
)
def test_default_image_is_pinned_by_digest() -> None:
    ref = parse_image(mlflow_image.default_image())
    assert ref is not None and ref.registry == "ghcr.io" and ref.digest is not None


def test_integration_test_installs_exactly_the_images_packages() -> None:
    text = (ROOT / "images" / "mlflow" / "requirements.txt").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert lines == [mlflow_image.REQUIREMENT]
    assert "docker/Dockerfile.full" in text


def test_every_driver_a_target_needs_comes_from_an_extra_the_image_installs() -> None:
    assert {driver.extra for driver in mlflow_image.DRIVERS} <= set(mlflow_image.EXTRAS)


def test_the_server_pods_run_the_default_image_on_a_shipped_cloud_stack() -> None:
    plan = run_stack("aws-dev", ROOT)
    for type_, suffix in SERVER_PODS:
        spec = one(plan, type_, suffix).inputs["spec"]["template"]["spec"]
        assert [c["image"] for c in spec["containers"]] == [mlflow_image.default_image()]
        assert [c["workingDir"] for c in spec["containers"]] == ["/tmp"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("mlflow", ImageReference(None, "mlflow", None, None)),
        ("mlflow/mlflow:v3", ImageReference(None, "mlflow/mlflow", "v3", None)),
        (
            f"ghcr.io/mlflow/mlflow:v3.17.2-full@{DIGEST}",
            ImageReference("ghcr.io", "mlflow/mlflow", "v3.17.2-full", DIGEST),
        ),
        (
            f"localhost:5000/ml/mlflow@{DIGEST}",
            ImageReference("localhost:5000", "ml/mlflow", None, DIGEST),
        ),
        ("localhost/mlflow", ImageReference("localhost", "mlflow", None, None)),
        ("ghcr.io/MLflow/mlflow:v3", None),
        ("ghcr.io/mlflow/mlflow:", None),
        ("ghcr.io/mlflow/mlflow v3", None),
    ],
)
def test_image_references_parse_as_docker_reads_them(
    value: str, expected: ImageReference | None
) -> None:
    assert parse_image(value) == expected


@pytest.mark.parametrize("cloud", sorted(CLOUDS))
def test_a_cloud_stack_refuses_an_image_without_a_registry(cloud: str) -> None:
    assert issues(with_image(CLOUDS[cloud], "mlflow-server:3.17.2")) == [
        f"mlflow.image: 'mlflow-server:3.17.2' names no registry; on {cloud} write the registry "
        "host first and pin the digest, e.g. ghcr.io/mlflow/mlflow:v3.17.2-full@sha256:<64 hex "
        "digits> (for a private or air-gapped registry, its own host)"
    ]


@pytest.mark.parametrize("cloud", sorted(CLOUDS))
def test_a_cloud_stack_refuses_a_tag_only_image(cloud: str) -> None:
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/mlflow:3.17.2"
    assert issues(with_image(CLOUDS[cloud], image)) == [
        f"mlflow.image: '{image}' is not pinned by digest, and a tag can be moved to other "
        f"contents; on {cloud} append @sha256:<digest> (`docker buildx imagetools inspect "
        "IMAGE` or `crane digest IMAGE` prints it)"
    ]


def test_a_cloud_stack_refuses_a_digest_that_is_not_one() -> None:
    image = "registry.example.com/mlflow@sha256:" + "A" * 64
    assert issues(with_image(CLOUDS["aws"], image)) == [
        f"mlflow.image: '{image}' has digest 'sha256:{'A' * 64}', which is not a sha256 (64 "
        "lower-case hex digits) or sha512 (128) digest; copy the digest the registry reports"
    ]


@pytest.mark.parametrize("target", ["aws", "kubernetes"])
def test_a_malformed_image_is_refused_everywhere(target: str) -> None:
    base = CLOUDS["aws"] if target == "aws" else LOCAL
    assert issues(with_image(base, "ghcr.io/mlflow/mlflow:v3 full")) == [
        "mlflow.image: 'ghcr.io/mlflow/mlflow:v3 full' is not a container image reference; "
        "write it as ghcr.io/mlflow/mlflow:v3.17.2-full@sha256:<64 hex digits>"
    ]


@pytest.mark.parametrize("cloud", sorted(CLOUDS))
def test_a_pinned_private_registry_image_is_taken(cloud: str) -> None:
    image = f"registry.internal.example:5443/mirror/mlflow:v3.17.2-full@{DIGEST}"
    assert parse(with_image(CLOUDS[cloud], image)).mlflow.image == image


@pytest.mark.parametrize("image", ["mlplatform/mlflow-server:dev", "mlflow", "kind.local/m:1"])
def test_the_kubernetes_target_takes_side_loaded_names(image: str) -> None:
    assert parse(with_image(LOCAL, image)).mlflow.image == image


def test_an_override_reaches_the_server_and_its_migration(tmp_path: Path) -> None:
    image = f"registry.internal.example/mirror/mlflow:v3.17.2-full@{DIGEST}"
    stack = write_stack(tmp_path, with_image(CLOUDS["gcp"], image))
    plan = run_stack(str(stack), ROOT)
    for type_, suffix in SERVER_PODS:
        spec = one(plan, type_, suffix).inputs["spec"]["template"]["spec"]
        assert [c["image"] for c in spec["containers"]] == [image]


def test_the_command_line_refuses_a_tag_only_image_with_exit_2(tmp_path: Path) -> None:
    stack = write_stack(tmp_path, with_image(CLOUDS["azure"], "myacr.azurecr.io/mlflow:3"))
    result = subprocess.run(
        [sys.executable, "-m", "mlplatform", "plan", str(stack), "--project-dir", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 2
    assert "mlflow.image: 'myacr.azurecr.io/mlflow:3' is not pinned by digest" in result.stderr
    assert "Traceback" not in result.stderr
