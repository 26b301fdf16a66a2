"""Packaging: the `mlplatform` import name comes from components/mlplatform/ (the source
folder components/ holds the package, so a tool reading the tree resolves `mlplatform.*`) in the
editable install,
and each cloud is its own extra. The built wheel and sdist are tested in
tests/integration/test_wheel_install.py."""

from __future__ import annotations

from pathlib import Path

import mlplatform
from tests.conftest import ROOT


def test_editable_install_imports_from_components() -> None:
    assert Path(mlplatform.__file__).resolve() == ROOT / "components" / "mlplatform" / "__init__.py"


def test_components_holds_only_the_package() -> None:
    """components/ is a source folder, not a package: every file it tracks is in mlplatform/,
    so the import name is never `components` (a team's own repository often has one)."""
    import subprocess

    tracked = subprocess.run(
        ["git", "ls-files", "components"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert tracked and not [p for p in tracked if not p.startswith("components/mlplatform/")]


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
