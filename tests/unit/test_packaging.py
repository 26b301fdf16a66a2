"""Packaging: the `mlplatform` import name comes from components/, editable and as a wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import mlplatform
from tests.conftest import ROOT


def test_editable_install_imports_from_components() -> None:
    assert Path(mlplatform.__file__).resolve() == ROOT / "components" / "__init__.py"


def test_wheel_ships_the_mlplatform_package(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    [wheel] = tmp_path.glob("mlplatform-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for expected in (
        "mlplatform/__init__.py",
        "mlplatform/py.typed",
        "mlplatform/cli.py",
        "mlplatform/catalog/data.py",
        "mlplatform/aws/storage.py",
        "mlplatform/engine/runner.py",
        "mlplatform/cost/prices/aws.toml",
        "mlplatform/cost/prices/azure.toml",
        "mlplatform/cost/prices/gcp.toml",
    ):
        assert expected in names
    assert not [n for n in names if n.startswith(("components/", "tests/", "stacks/"))]
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)

    def run(probe: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", probe],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            text=True,
            env={"PYTHONPATH": str(unpacked)},
        )
        return result.stdout

    found = run(
        "import mlplatform, mlplatform.spec, mlplatform.aws.storage; print(mlplatform.__file__)"
    )
    assert Path(found.strip()).is_relative_to(unpacked)
    # The price tables are package data: the installed cost estimate finds them.
    price = "print(price_book('gcp').get('us-central1', 'gke:cluster').on_demand)"
    assert run(f"from mlplatform.cost import price_book; {price}") == "0.1\n"


def test_extras_split_the_clouds() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    assert [d.split(">")[0] for d in extras["aws"]] == ["pulumi-aws"]
    assert [d.split(">")[0] for d in extras["azure"]] == ["pulumi-azure-native"]
    assert [d.split(">")[0] for d in extras["gcp"]] == ["pulumi-gcp"]
    assert not [
        d
        for d in project["dependencies"]
        if d.startswith(("pulumi-aws", "pulumi-azure", "pulumi-gcp"))
    ]
