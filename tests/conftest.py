"""Shared fixtures: the repository root, the shipped stacks and planning helpers.

Each plan runs the real `stacks/__main__.py` under freshly installed mocks
(one context per run), so tests never share Pulumi runtime state.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from mlplatform.engine import Plan, run_stack

# Preflight judges dated windows (Kubernetes support, table currency) on this day, in this
# process and every process it starts, so the suite does not change with the calendar
# (tests/unit/preflight/test_wiring.py also plans the shipped stacks on the real day).
os.environ.setdefault("MLPLATFORM_PREFLIGHT_DATE", "2026-12-06")

ROOT = Path(__file__).resolve().parents[1]
STACKS_DIR = ROOT / "stacks"
SHIPPED_STACKS = sorted(p.name.split(".")[1] for p in STACKS_DIR.glob("Pulumi.*.yaml"))

PlanConfig = Callable[..., Plan]


def write_stack(directory: Path, values: dict[str, Any], stack: str = "test") -> Path:
    """Write `values` (namespace-less mlplatform keys) as `Pulumi.<stack>.yaml`."""
    path = directory / f"Pulumi.{stack}.yaml"
    config = {f"mlplatform:{key}": value for key, value in values.items()}
    path.write_text(yaml.safe_dump({"config": config}), encoding="utf-8")
    return path


class ShippedPlans(Mapping[str, Plan]):
    """The shipped stacks' plans, each planned the first time a test reads it: a test run
    that reads one stack (a single test, the mutation check's runs) plans only that one."""

    def __init__(self) -> None:
        self._plans: dict[str, Plan] = {}

    def __getitem__(self, stack: str) -> Plan:
        if stack not in SHIPPED_STACKS:
            raise KeyError(stack)
        if stack not in self._plans:
            self._plans[stack] = run_stack(stack, ROOT)
        return self._plans[stack]

    def __iter__(self) -> Iterator[str]:
        return iter(SHIPPED_STACKS)

    def __len__(self) -> int:
        return len(SHIPPED_STACKS)


@pytest.fixture(scope="session")
def shipped_plans() -> ShippedPlans:
    """Every shipped stack, planned once per test session when first read."""
    return ShippedPlans()


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """mlplatform's wheel built from this checkout once per test session, for every tier that
    installs it: the unit, integration and engine tests of the installed package
    (tests/wheel.py)."""
    from tests.wheel import build_wheel

    return build_wheel(ROOT, tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="session")
def wheel_venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment holding the `wheel` alone, the development environment's
    packages importable after it (tests/wheel.py `install_wheel`), once per test session."""
    from tests.wheel import install_wheel

    return install_wheel(wheel, tmp_path_factory.mktemp("wheel-venv") / "venv")


@pytest.fixture
def plan_config(tmp_path: Path) -> PlanConfig:
    """Plan an ad-hoc config: `plan_config({"target": "aws", ...})`."""

    def plan(values: dict[str, Any], stack: str = "test") -> Plan:
        return run_stack(str(write_stack(tmp_path, values, stack)), ROOT)

    return plan
