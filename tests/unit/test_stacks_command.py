"""`mlplatform stacks`: the project's stacks found from its files, which the deploy workflows
take as their matrix instead of a hard-coded list."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, write_stack

SHIPPED = [
    {"stack": "aws-dev", "target": "aws", "environment": "dev", "region": "us-east-1"},
    {"stack": "aws-prod", "target": "aws", "environment": "prod", "region": "us-east-1"},
    {"stack": "azure-dev", "target": "azure", "environment": "dev", "region": "westeurope"},
    {"stack": "azure-prod", "target": "azure", "environment": "prod", "region": "westeurope"},
    {"stack": "gcp-dev", "target": "gcp", "environment": "dev", "region": "us-central1"},
    {"stack": "gcp-prod", "target": "gcp", "environment": "prod", "region": "us-central1"},
    {"stack": "local", "target": "kubernetes", "environment": "dev", "region": None},
]


def stacks(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlplatform", "stacks", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_json_lists_every_shipped_stack_on_one_line() -> None:
    result = stacks("--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1
    assert json.loads(result.stdout) == SHIPPED


def test_filters_by_target_and_environment() -> None:
    result = stacks("-f", "json", "--target", "aws", "--target", "gcp", "--environment", "prod")
    assert result.returncode == 0, result.stderr
    assert [s["stack"] for s in json.loads(result.stdout)] == ["aws-prod", "gcp-prod"]
    clouds = stacks(
        "-f", "json", "-t", "aws", "-t", "azure", "-t", "gcp", "-e", "dev", "-e", "staging"
    )
    assert [s["stack"] for s in json.loads(clouds.stdout)] == ["aws-dev", "azure-dev", "gcp-dev"]


def test_none_left_is_an_empty_list() -> None:
    result = stacks("-f", "json", "--target", "gcp", "--environment", "staging")
    assert (result.returncode, result.stdout) == (0, "[]\n")


def test_table_names_each_stack() -> None:
    result = stacks()
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["stack", "target", "environment", "region"]
    assert lines[1].split() == ["aws-dev", "aws", "dev", "us-east-1"]
    assert lines[-1].split() == ["local", "kubernetes", "dev", "-"]


def test_a_new_stack_file_is_found_in_the_stack_config_dir(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text(
        "name: p\nruntime: python\nstackConfigDir: envs\n", encoding="utf-8"
    )
    (tmp_path / "envs").mkdir()
    write_stack(
        tmp_path / "envs",
        {
            "target": "gcp",
            "environment": "staging",
            "region": "europe-west4",
            "gcp": {"project": "ml-eu-1"},
        },
        "eu",
    )
    (tmp_path / "Pulumi.ignored.yaml").write_text("config: {}\n", encoding="utf-8")
    result = stacks("-f", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"stack": "eu", "target": "gcp", "environment": "staging", "region": "europe-west4"}
    ]


def test_an_invalid_stack_config_exits_2_naming_the_field(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n", encoding="utf-8")
    write_stack(tmp_path, {"target": "aws", "environment": "qa", "region": "us-east-1"}, "bad")
    result = stacks("-f", "json", cwd=tmp_path)
    assert result.returncode == 2
    assert "environment: 'qa'" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
