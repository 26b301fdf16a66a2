"""`mlplatform summary`: every stack planned, checked, costed and timed in one process, one
policy pack serving them all, each stack checked against its own limits."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from mlplatform.engine.runner import project_stacks
from tests.conftest import ROOT, SHIPPED_STACKS
from tests.unit.test_cli import RESOURCE_COUNTS
from tests.unit.test_critical_path import MINUTES

CLI = Path(sys.executable).parent / "mlplatform"


def summary(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), "summary", *args, "-f", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
        check=False,
    )


def test_project_stacks_are_the_stack_config_files() -> None:
    assert project_stacks(ROOT) == SHIPPED_STACKS


def test_every_shipped_stack_in_one_command() -> None:
    result = summary()  # one planning process per CPU
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    rows = {row["stack"]: row for row in document["stacks"]}
    assert list(rows) == SHIPPED_STACKS
    assert document["exitCode"] == 0
    for stack, row in rows.items():
        assert row["resources"] == RESOURCE_COUNTS[stack]
        assert row["criticalPathMinutes"] == MINUTES[stack]
        assert (row["mandatoryViolations"], row["notEvaluated"]) == (0, 0)
    # The same figures as `mlplatform cost` and `mlplatform check` give for each stack alone.
    assert rows["aws-dev"]["monthlyUsd"]["expected"] == 397.77
    assert rows["gcp-dev"]["monthlyUsd"]["expected"] == 512.91
    assert (
        rows["azure-dev"]["monthlyUsd"]["expected"],
        rows["azure-dev"]["monthlyUsd"]["complete"],
    ) == (
        694.78,
        False,
    )
    assert rows["aws-dev"]["budgetUsd"] == 2000
    assert rows["local"]["budgetUsd"] is None
    assert {s: row["advisoryViolations"] for s, row in rows.items()} == {
        "aws-dev": 1,
        "aws-prod": 1,
        "azure-dev": 3,
        "azure-prod": 3,
        "gcp-dev": 2,
        "gcp-prod": 2,
        "local": 5,
    }
    # Advisory only, as `mlplatform check` reports them (mandatory ones would exit 3).
    # vpc-cni enforces NetworkPolicies on EKS (platform-cluster-network-policy passes).
    logging = "aws-s3-bucket-access-logging"
    azure = [
        "azure-aks-cluster-secrets-kms-encrypted",
        "platform-registry-customer-managed-key",
        "platform-cost-fully-priced",
    ]
    gcp = ["gcp-storage-bucket-access-logging", "platform-registry-customer-managed-key"]
    assert {s: row["failedPolicies"] for s, row in rows.items()} == {
        "aws-dev": [logging],
        "aws-prod": [logging],
        "azure-dev": azure,
        "azure-prod": azure,
        "gcp-dev": gcp,
        "gcp-prod": gcp,
        "local": ["platform-cost-fully-priced"],  # five volumes of an unknown storage class
    }


def test_each_stack_is_checked_against_its_own_limits(tmp_path: Path) -> None:
    config = yaml.safe_load((ROOT / "stacks" / "Pulumi.aws-dev.yaml").read_text("utf-8"))
    config["config"]["mlplatform:budget"] = {"maxGpus": 4, "maxMonthlyUsd": 300}
    tight = tmp_path / "Pulumi.tight.yaml"
    tight.write_text(yaml.safe_dump(config), encoding="utf-8")
    # The pack is configured with the tight budget first, then with aws-dev's own.
    result = summary(str(tight), "aws-dev")
    assert result.returncode == 3, result.stderr
    document = json.loads(result.stdout)
    [over, fine] = document["stacks"]
    assert (over["stack"], over["budgetUsd"], over["mandatoryViolations"]) == ("tight", 300, 1)
    assert "platform-monthly-cost-under-budget" in over["failedPolicies"]
    assert (fine["stack"], fine["budgetUsd"], fine["mandatoryViolations"]) == ("aws-dev", 2000, 0)
    assert "platform-monthly-cost-under-budget" not in fine["failedPolicies"]
    assert document["exitCode"] == 3


def test_a_stack_that_does_not_exist_is_named() -> None:
    result = summary("aws-dev", "nope")
    assert result.returncode == 2  # bad input, told before anything is planned
    assert "no stack 'nope'" in result.stderr
    assert result.stdout == ""


def test_worker_processes_plan_what_one_process_plans() -> None:
    stacks = ("gcp-dev", "local", "aws-dev")
    alone, forked = summary(*stacks, "--jobs", "1"), summary(*stacks, "--jobs", "2")
    assert (alone.returncode, forked.returncode) == (0, 0), alone.stderr + forked.stderr
    assert forked.stdout == alone.stdout
    rows = json.loads(forked.stdout)["stacks"]
    assert [row["stack"] for row in rows] == list(stacks)  # as given, not as finished


def test_an_invalid_stack_in_a_worker_is_named_with_every_problem(tmp_path: Path) -> None:
    config = yaml.safe_load((ROOT / "stacks" / "Pulumi.gcp-dev.yaml").read_text("utf-8"))
    config["config"]["mlplatform:gpuPools"][0]["gpu"] = "K80"
    bad = tmp_path / "Pulumi.bad.yaml"
    bad.write_text(yaml.safe_dump(config), encoding="utf-8")
    result = summary("aws-dev", str(bad), "--jobs", "2")
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: invalid {bad} (1 problem(s)):\n  - gpuPools[0].gpu: ")
    assert "K80" in result.stderr
    assert result.stdout == ""
