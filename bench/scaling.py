"""The scaling workload: aws-dev grown to N GPU pools and N team namespaces, one "unit" being
one pool plus one team, so the cost of each added unit can be read off plans of 1 to 50."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import yaml

BASE_STACK = "aws-dev"
UNITS = (1, 10, 25, 50)


def scaled_config(base: dict[str, Any], units: int) -> dict[str, Any]:
    """`base` (a stack file's document) with `units` spot T4 pools and as many teams, and a
    budget that admits them all."""
    config = dict(base["config"])
    config["mlplatform:gpuPools"] = [
        {
            "name": f"t4-{i:02d}",
            "gpu": "T4",
            "gpusPerNode": 1,
            "minNodes": 0,
            "maxNodes": 2,
            "spot": True,
        }
        for i in range(units)
    ]
    config["mlplatform:teams"] = [{"name": f"team-{i:02d}", "maxGpus": 1} for i in range(units)]
    config["mlplatform:budget"] = {"maxGpus": 2 * units, "maxMonthlyUsd": 1_000_000}
    return {"config": config}


def write_stacks(root: Path, directory: Path) -> dict[int, Path]:
    """One `Pulumi.scale-<N>.yaml` per size in `directory`."""
    base = yaml.safe_load((root / "stacks" / f"Pulumi.{BASE_STACK}.yaml").read_text("utf-8"))
    paths = {}
    for units in UNITS:
        path = directory / f"Pulumi.scale-{units}.yaml"
        path.write_text(yaml.safe_dump(scaled_config(base, units)), encoding="utf-8")
        paths[units] = path
    return paths


def per_unit(values: dict[int, float]) -> dict[int, float]:
    """The cost of one unit over each step from the previous size to this one:
    (value(N) - value(previous)) / (N - previous), by N."""
    sizes = sorted(values)
    return {
        n: (values[n] - values[before]) / (n - before) for before, n in itertools.pairwise(sizes)
    }


BUDGETED_FROM = 10
"""The budget compares the steps from 10 units on (10 to 25, 25 to 50)."""


def spread(values: dict[int, float]) -> float:
    """How far apart the per-unit costs are: largest / smallest - 1."""
    low, high = min(values.values()), max(values.values())
    return high / low - 1 if low > 0 else float("inf")
