"""The serving image (images/serving/Dockerfile) runs what the ModelServing component deploys
(`mlplatform.kubernetes.serving_runtime`): its command, its ports, a user `runAsNonRoot`
accepts, and the packages the serving integration test runs. No Docker here: the Dockerfile is
read as text."""

from __future__ import annotations

import json
import re
import shlex

from mlplatform.catalog.serving import RUNTIME_REPOSITORY, RUNTIME_TAG
from mlplatform.kubernetes import serving_runtime
from tests.conftest import ROOT

IMAGE = ROOT / "images" / "serving"


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions in order: keyword, arguments (continued lines joined)."""
    found: list[tuple[str, str]] = []
    pending = ""
    for line in (IMAGE / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending += line.rstrip().removesuffix("\\")
        if not line.rstrip().endswith("\\"):
            keyword, _, arguments = pending.strip().partition(" ")
            found.append((keyword.upper(), arguments.strip()))
            pending = ""
    return found


def arguments(keyword: str) -> list[str]:
    return [args for key, args in instructions() if key == keyword]


def test_the_image_starts_from_an_exact_python_3_12_slim_tag() -> None:
    # mlserver 1.7.1 and mlserver-mlflow 1.7.1: Requires-Python >=3.9,<3.13.
    [base] = arguments("FROM")
    assert re.fullmatch(r"python:3\.12\.\d+-slim-[a-z]+", base), base


def test_the_image_installs_its_requirements_file_without_a_cache() -> None:
    [copy] = arguments("COPY")
    source, destination = copy.split()
    [install, *_] = [shlex.split(run) for run in arguments("RUN") if "pip install" in run]

    assert (IMAGE / source).is_file()
    assert source == "requirements.txt"
    assert install[:2] == ["pip", "install"]
    assert "--no-cache-dir" in install
    assert install[install.index("-r") + 1] == destination


def test_the_image_runs_as_a_numeric_non_root_user() -> None:
    # Kubernetes checks runAsNonRoot only against a numeric USER.
    assert arguments("USER") == ["1000"]


def test_the_image_starts_the_command_the_component_deploys_on_its_ports() -> None:
    [command] = arguments("CMD")

    assert json.loads(command) == list(serving_runtime.COMMAND)
    assert arguments("EXPOSE") == [f"{serving_runtime.HTTP_PORT} {serving_runtime.METRICS_PORT}"]


def test_the_readme_pushes_the_image_under_the_tag_stacks_look_for() -> None:
    readme = (IMAGE / "README.md").read_text(encoding="utf-8")

    assert f"TAG={RUNTIME_TAG}\n" in readme
    assert f'"$REGISTRY/{RUNTIME_REPOSITORY}:$TAG"' in readme
    assert f'"$REGISTRY:{RUNTIME_REPOSITORY}-$TAG"' in readme  # AWS: one ECR repository
