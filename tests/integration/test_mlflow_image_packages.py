"""The MLflow image's package set (`.venv-mlflow`, installed from images/mlflow/requirements.txt)
holds every driver a target imports, at the version the image pins."""

from __future__ import annotations

import subprocess

import pytest

from mlplatform.catalog import mlflow_image
from tests.integration.servers import MLFLOW_VENV


def run_python(code: str) -> str:
    python = MLFLOW_VENV / "bin" / "python"
    assert python.exists(), f"{python} missing: run `scripts/dev test`, which installs it"
    result = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_virtualenv_runs_the_images_mlflow() -> None:
    version = run_python("import importlib.metadata as m; print(m.version('mlflow'))")
    assert version == mlflow_image.MLFLOW_VERSION


@pytest.mark.parametrize("driver", mlflow_image.DRIVERS, ids=lambda d: d.module)
def test_every_driver_a_target_needs_imports(driver: mlflow_image.Driver) -> None:
    assert run_python(f"import {driver.module}; print('ok')") == "ok"
