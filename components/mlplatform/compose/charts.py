"""Where the Helm charts of the Kubernetes layer come from: the spec's chart sources."""

from __future__ import annotations

import os
from pathlib import Path

import pulumi

from mlplatform.contracts import ChartSourceArgs
from mlplatform.environment import PlatformConfig


def chart_sources(cfg: PlatformConfig) -> ChartSourceArgs | None:
    """The spec's chart sources; None when every chart comes from its upstream repository.

    The spec's local paths are relative to the folder of Pulumi.yaml; Helm reads them in the
    Kubernetes provider, which the engine starts in the program's folder (`main`, which is
    also this program's working directory), so each is given relative to that folder."""
    charts = cfg.charts
    if charts.registry is None and not charts.paths:
        return None
    root = Path(pulumi.get_root_directory())
    return {
        "registry": charts.registry,
        "paths": {name: _from_program_folder(root, path) for name, path in charts.paths.items()},
    }


def _from_program_folder(root: Path, path: str) -> str:
    if os.path.isabs(path):
        return path
    relative = os.path.relpath(root / path, Path.cwd())
    return relative if relative.startswith(".") else f"./{relative}"
