"""Layer 5's one skeleton: every cloud target implements the same steps, one function orders
them for all three clouds, and the spec -> args mappings are typed so that the type checker
catches a misspelled key."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mlplatform.engine import run_stack
from tests.conftest import ROOT
from tests.unit.test_component_args import type_errors

COMPOSE = ROOT / "components" / "mlplatform" / "compose"
SHARED = ("enable_gpus", "add_teams", "add_monitoring", "add_cloud_mlflow")
"""What the skeleton does itself, the same on every cloud."""
TARGETS = {"aws": "AwsTarget", "azure": "AzureTarget", "gcp": "GcpTarget"}


def skeleton() -> Any:
    return importlib.import_module("mlplatform.compose.cloud")


def target_class(module: str) -> type:
    return getattr(importlib.import_module(f"mlplatform.compose.{module}"), TARGETS[module])


def public_methods(cls: type) -> list[str]:
    return sorted(n for n, v in vars(cls).items() if callable(v) and not n.startswith("_"))


def test_the_protocol_is_the_steps() -> None:
    assert public_methods(skeleton().CloudTarget) == sorted(skeleton().CLOUD_STEPS)


@pytest.mark.parametrize("module", TARGETS)
def test_every_cloud_target_implements_every_step_and_nothing_else(module: str) -> None:
    target, steps = target_class(module), skeleton().CLOUD_STEPS
    assert public_methods(target) == sorted(steps)
    for step in steps:
        ours = inspect.signature(getattr(target, step)).parameters
        protocol = inspect.signature(getattr(skeleton().CloudTarget, step)).parameters
        assert list(ours) == list(protocol), f"{target.__name__}.{step}"


def recording(calls: list[str], name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def record(*args: Any, **kwargs: Any) -> Any:
        calls.append(name)
        return function(*args, **kwargs)

    return record


@pytest.mark.parametrize("module", TARGETS)
def test_one_function_orders_the_steps_of_every_cloud(
    module: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The prod stacks turn every step on (MLflow, monitoring, managed Prometheus)."""
    calls: list[str] = []
    cloud, target = skeleton(), target_class(module)
    for step in cloud.CLOUD_STEPS:
        monkeypatch.setattr(target, step, recording(calls, step, getattr(target, step)))
    for shared in SHARED:
        monkeypatch.setattr(cloud, shared, recording(calls, shared, getattr(cloud, shared)))
    run_stack(f"{module}-prod", ROOT)
    assert calls == [
        "artifact_store",
        "registry",
        "network",
        "cluster",
        "enable_gpus",
        "autoscaler",
        "add_teams",
        "database",
        "alarms",
        "managed_prometheus",
        "add_monitoring",
        "add_cloud_mlflow",
    ]
    assert [c for c in calls if c not in SHARED] == list(cloud.CLOUD_STEPS)


MUTATIONS = [
    ("spec_args.py", '"noncurrent_version_days":', '"noncurrent_version_dayz":'),
    ("spec_args.py", '"kubernetes_version":', '"kubernetes_versionz":'),
    ("aws.py", '"private_subnet_ids":', '"private_subnet_idz":'),
    ("azure.py", '"node_subnet_id":', '"node_subnet_idz":'),
    ("gcp.py", '"subnetwork":', '"subnetworkz":'),
    ("aws.py", "    def alarms(self", "    def alarm(self"),
]
"""(module of compose/, what it writes once, a slip in its place)."""
ERRORS = [
    '"noncurrent_version_dayz" is an undefined item in type "StoreSettings"',
    '"kubernetes_versionz" is an undefined item in type "ClusterSettings"',
    '"private_subnet_idz" is an undefined item in type "EksGpuClusterArgs"',
    '"node_subnet_idz" is an undefined item in type "AksGpuClusterArgs"',
    '"subnetworkz" is an undefined item in type "GkeGpuClusterArgs"',
    '"AwsTarget" is incompatible with protocol "CloudTarget[',
]
"""What basedpyright says of each slip."""


@pytest.fixture(scope="module")
def slip_errors(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    """basedpyright on copies of the compose modules, each with one slip."""
    folder: Path = tmp_path_factory.mktemp("slips")
    copies = []
    for i, (module, written, slip) in enumerate(MUTATIONS):
        source = (COMPOSE / module).read_text(encoding="utf-8")
        assert source.count(written) == 1, f"{module} writes {written!r} once"
        copy = folder / f"copy{i}.py"
        copy.write_text(source.replace(written, slip), encoding="utf-8")
        copies.append(copy)
    return type_errors(*copies)


@pytest.mark.parametrize("i", range(len(MUTATIONS)), ids=[m[2] for m in MUTATIONS])
def test_a_misspelled_arg_or_a_missing_step_is_a_type_error(
    i: int, slip_errors: list[tuple[str, str]]
) -> None:
    errors = [message for file, message in slip_errors if file == f"copy{i}.py"]
    assert len(errors) == 1, errors
    assert ERRORS[i] in errors[0]
