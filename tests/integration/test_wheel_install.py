"""Packaging as a user meets it: the wheel and the sdist build, the sdist rebuilds the same
wheel, and the wheel installed into a fresh virtual environment with only the `aws` extra
plans the AWS example exactly as the development install does, with no other cloud's SDK
present, and checks it with the policy pack the wheel ships, from a folder with no checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from mlplatform_policies import RULES

from mlplatform.engine import run_stack
from tests.conftest import ROOT
from tests.wheel import build_wheel, run

EXAMPLE = ROOT / "examples" / "aws-gpu-mlflow"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the sdist (the wheel is the session's, tests/conftest.py `wheel`)."""
    out = tmp_path_factory.mktemp("dist")
    probe = f"import setuptools.build_meta as m; print(m.build_sdist({str(out)!r}))"
    run(sys.executable, "-c", probe, cwd=ROOT)
    return out


def test_sdist_carries_the_sources_and_rebuilds_the_same_wheel(dist: Path, wheel: Path) -> None:
    [sdist] = dist.glob("mlplatform-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
        archive.extractall(dist / "src", filter="data")
    assert {
        "pyproject.toml",
        "README.md",
        "CHANGELOG.md",
        "components/mlplatform/provider.py",
    } <= names
    assert "components/mlplatform/catalog/prices/aws.toml" in names
    assert {"policies/PulumiPolicy.yaml", "policies/mlplatform_policies/pack.py"} <= names
    assert not [n for n in names if n.startswith(("tests/", "stacks/", "examples/", ".venv"))]
    [source] = (dist / "src").iterdir()
    again = build_wheel(source, dist / "rebuilt")
    assert sorted(zipfile.ZipFile(again).namelist()) == sorted(zipfile.ZipFile(wheel).namelist())


def test_wheel_ships_the_package_and_its_data(dist: Path, wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for expected in (
        "mlplatform/__init__.py",
        "mlplatform/py.typed",
        "mlplatform/cli.py",
        "mlplatform/provider.py",
        "mlplatform/catalog/data.py",
        "mlplatform/aws/storage.py",
        "mlplatform/engine/yaml_program.py",
        "mlplatform/catalog/prices/aws.toml",
        "mlplatform/catalog/prices/azure.toml",
        "mlplatform/catalog/prices/gcp.toml",
        "mlplatform/policy_pack.py",
        # The policy pack, from the repository's policies/.
        "mlplatform/policies/PulumiPolicy.yaml",
        "mlplatform/policies/__main__.py",
        "mlplatform/policies/mlplatform_policies/__init__.py",
    ):
        assert expected in names
    assert not [n for n in names if n.startswith(("components/", "tests/", "stacks/", "policies/"))]
    # Packages are discovered, not listed: every module of the tree ships, a new subpackage too.
    tree = [
        *(
            p.relative_to(ROOT / "components").as_posix()
            for p in (ROOT / "components").rglob("*.py")
        ),
        *(
            f"mlplatform/policies/{p.relative_to(ROOT / 'policies').as_posix()}"
            for p in (ROOT / "policies").rglob("*.py")
        ),
    ]
    assert sorted(n for n in names if n.endswith(".py")) == sorted(tree)
    unpacked = dist / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)

    def probe(code: str) -> str:
        return run(
            sys.executable,
            "-I",
            "-c",
            f"import sys; sys.path.insert(0, {str(unpacked)!r}); {code}",
            cwd=dist,
        )

    found = probe(
        "import mlplatform, mlplatform.environment, mlplatform.aws.storage; "
        "print(mlplatform.__file__)"
    )
    assert Path(found.strip()).is_relative_to(unpacked)
    # The price tables are package data: the installed cost estimate finds them.
    price = "print(price_book('gcp').get('us-central1', 'gke:cluster').on_demand)"
    assert probe(f"from mlplatform.cost import price_book; {price}") == "0.1\n"


@pytest.fixture(scope="module")
def venv(dist: Path, wheel: Path) -> Path:
    """A fresh virtual environment with the wheel and only its `aws` extra installed."""
    venv = dist / "venv"
    run(sys.executable, "-m", "venv", str(venv), cwd=dist)
    python = venv / "bin" / "python"
    run(str(python), "-m", "pip", "install", "--quiet", f"{wheel}[aws]", cwd=dist, timeout=1800)
    return venv


def test_wheel_with_only_the_aws_extra_plans_the_aws_example(dist: Path, venv: Path) -> None:
    python = venv / "bin" / "python"
    present = run(
        str(python),
        "-c",
        "import importlib.util as u; print([m for m in ('pulumi_aws', 'pulumi_azure_native', "
        "'pulumi_gcp', 'pytest') if u.find_spec(m)])",
        cwd=dist,
    )
    assert present == "['pulumi_aws']\n"
    out = dist / "plan.json"
    run(
        str(venv / "bin" / "mlplatform"),
        "plan",
        "dev",
        "--project-dir",
        str(EXAMPLE),
        "--format",
        "json",
        "--output",
        str(out),
        cwd=dist,
    )
    installed = json.loads(out.read_text(encoding="utf-8"))
    here = run_stack("dev", EXAMPLE)
    assert len(installed["resources"]) == len(here.resources) == 82  # default aws, random
    assert [(r["urn"], r["inputs"]) for r in installed["resources"]] == [
        (r.urn, json.loads(json.dumps(r.inputs))) for r in here.resources
    ]


def test_the_installed_check_runs_the_pack_the_wheel_ships(dist: Path, venv: Path) -> None:
    project = dist / "team"  # the example copied where no checkout and no policies/ are
    shutil.copytree(EXAMPLE, project)
    mlplatform = str(venv / "bin" / "mlplatform")
    cache = dist / "cache"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    folder = Path(run(mlplatform, "policy-pack", "path", cwd=project, env=env).strip())
    site = run(
        str(venv / "bin" / "python"),
        "-c",
        "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        cwd=dist,
    )
    shipped = Path(site.strip()) / "mlplatform" / "policies"
    assert sorted(p.name for p in shipped.iterdir() if p.is_file()) == [
        "PulumiPolicy.yaml",
        "__main__.py",
    ]
    # The folder to give `pulumi preview --policy-pack` (its place and PulumiPolicy.yaml are
    # tests/unit/test_policy_pack_location.py's) runs the pack this venv's wheel ships.
    assert str(shipped) in (folder / "__main__.py").read_text(encoding="utf-8")
    installed = run(mlplatform, "check", "dev", "--format", "json", cwd=project)
    here = subprocess.run(
        [sys.executable, "-m", "mlplatform", "check", "dev", "--format", "json"],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    assert json.loads(installed)["mandatoryViolations"] == 0
    assert len(json.loads(installed)["policies"]) == len(RULES)
    assert installed == here.stdout
