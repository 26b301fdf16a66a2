"""The `mlplatform` command as a user runs it: a separate process with no `pulumi` on PATH."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHIPPED_STACKS, write_stack

NO_PULUMI_PATH = os.pathsep.join(
    d
    for d in os.environ.get("PATH", "").split(os.pathsep)
    if d and not (Path(d) / "pulumi").exists()
)


def mlplatform(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": NO_PULUMI_PATH}
    return subprocess.run(
        [sys.executable, "-m", "mlplatform", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_no_pulumi_binary_is_reachable() -> None:
    assert shutil.which("pulumi", path=NO_PULUMI_PATH) is None


RESOURCE_COUNTS = {
    "aws-dev": 125,
    "aws-prod": 150,
    "azure-dev": 90,
    "azure-prod": 114,
    "gcp-dev": 76,
    "gcp-prod": 113,
    "local": 46,
}


def test_counts_cover_every_shipped_stack() -> None:
    assert sorted(RESOURCE_COUNTS) == SHIPPED_STACKS


@pytest.mark.parametrize("stack", SHIPPED_STACKS)
def test_every_shipped_stack_plans_offline(stack: str) -> None:
    result = mlplatform("plan", stack, "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["stack"] == stack
    assert document["project"] == "ml-platform"
    assert len(document["resources"]) == RESOURCE_COUNTS[stack]


def test_table_is_a_tree_with_counts() -> None:
    result = mlplatform("plan", "aws-dev")
    assert result.returncode == 0, result.stderr
    assert "ml-platform / aws-dev (target: aws)" in result.stdout
    assert "├── pulumi:pulumi:Stack ml-platform-aws-dev (component)" in result.stdout
    # The default provider of random, a root of its own as in the engine's state.
    assert "└── pulumi:providers:random default_" in result.stdout
    assert "aws:s3/bucket:Bucket ml-aws-dev-artifacts-bucket (protected)" in result.stdout
    assert "125 resources" in result.stdout


def test_default_stack_is_aws_dev() -> None:
    result = mlplatform("plan", "-f", "json")
    assert json.loads(result.stdout)["stack"] == "aws-dev"


def test_markdown_mermaid_and_output_file(tmp_path: Path) -> None:
    markdown = mlplatform("plan", "local", "-f", "markdown")
    assert markdown.stdout.startswith("## Plan: `ml-platform` / `local` (target `kubernetes`)")
    mermaid = mlplatform("plan", "local", "-f", "mermaid")
    lines = mermaid.stdout.splitlines()
    assert lines[0] == "graph TD"
    assert sum(" --> " in line for line in lines) >= 4
    out = tmp_path / "plan.json"
    written = mlplatform("plan", "gcp-dev", "-f", "json", "-o", str(out))
    assert written.returncode == 0 and written.stdout == ""
    assert json.loads(out.read_text())["target"] == "gcp"


def test_plan_from_any_directory_by_path(tmp_path: Path) -> None:
    path = write_stack(tmp_path, {"target": "kubernetes", "environment": "dev"}, "mine")
    result = mlplatform("plan", str(path), "-f", "json", "--project-dir", str(ROOT), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["stack"] == "mine"


def test_invalid_config_exits_2_with_path_value_and_fix(tmp_path: Path) -> None:
    path = write_stack(
        tmp_path,
        {
            "target": "azure",
            "environment": "dev",
            "region": "westeurope",
            "gpuPools": [{"name": "l4", "gpu": "L4"}],
        },
    )
    result = mlplatform("plan", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert (
        "gpuPools[0].gpu: 'L4' is not offered on azure; choose one of A10, A100-40GB, "
        "A100-80GB, H100, H200, T4" in result.stderr
    )


def test_unknown_key_exits_2(tmp_path: Path) -> None:
    path = write_stack(
        tmp_path, {"target": "aws", "environment": "dev", "region": "us-east-1", "protekt": True}
    )
    result = mlplatform("plan", str(path))
    assert result.returncode == 2
    assert "protekt: is not a known key" in result.stderr


def test_unknown_stack_exits_1() -> None:
    result = mlplatform("plan", "nope")
    assert result.returncode == 1
    assert "no stack 'nope'" in result.stderr
    assert "aws-dev, aws-prod" in result.stderr


def test_version() -> None:
    from mlplatform import __version__

    assert mlplatform("version").stdout.strip() == __version__


CLUSTER_BAD_CONFIGS = [
    (
        {
            "target": "gcp",
            "environment": "dev",
            "region": "us-central1",
            "gcp": {"project": "my-project"},
            "gpuPools": [{"name": "a10", "gpu": "A10"}],
        },
        "gpuPools[0].gpu: 'A10' is not offered on gcp",
    ),
    (
        {
            "target": "aws",
            "environment": "dev",
            "region": "us-east-1",
            "gpuPools": [{"name": "t4", "gpu": "T4", "minNodes": 3, "maxNodes": 1}],
        },
        "gpuPools[0].minNodes: 3 is greater than maxNodes (1)",
    ),
    (
        {
            "target": "azure",
            "environment": "dev",
            "region": "westeurope",
            "budget": {"maxGpus": 8},
            "gpuPools": [{"name": "h100", "gpu": "H100", "gpusPerNode": 8, "maxNodes": 2}],
        },
        "gpuPools: can grow to 16 GPUs (maxNodes x gpusPerNode summed), over budget.maxGpus (8)",
    ),
    (
        {
            "target": "aws",
            "environment": "prod",
            "region": "us-east-1",
            "cluster": {"endpointAccess": "public", "publicAccessCidrs": ["0.0.0.0/0"]},
        },
        "cluster.publicAccessCidrs[0]: '0.0.0.0/0' opens the prod API server to the whole internet",
    ),
]


@pytest.mark.parametrize(("values", "expected"), CLUSTER_BAD_CONFIGS)
def test_bad_cluster_configs_exit_2_before_any_resource(
    tmp_path: Path, values: dict, expected: str
) -> None:
    result = mlplatform("plan", str(write_stack(tmp_path, values)), "-f", "json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert expected in result.stderr
