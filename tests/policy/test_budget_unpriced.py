"""The budget rule on a stack whose cost is partly unknown (issue 21): an 8 x H100 AWS stack in
a region the price table does not cover, with a $100 budget, run through `mlplatform check`
(the real pack, policies/__main__.py, over its gRPC protocol). Unpriced charges fail the rule,
naming each; `allowUnpriced` (policy config, or the stack's budget.allowUnpriced) lets it pass
on the priced charges, with the advisory `platform-cost-fully-priced` still listing them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mlplatform.checks import pack_config
from mlplatform.checks.analyzer import analyze
from mlplatform.checks.report import build_report
from mlplatform.cost import Assumptions, estimate_plan
from mlplatform.cost.model import usd
from mlplatform.engine import Plan
from mlplatform.engine.runner import resolve_stack_file
from mlplatform.environment.loader import from_stack_file
from tests.conftest import ROOT, write_stack

CLI = Path(sys.executable).parent / "mlplatform"
PACK = ROOT / "policies"
BUDGET = "platform-monthly-cost-under-budget"
PRICED = "platform-cost-fully-priced"
H100_STACK: dict[str, Any] = {
    "target": "aws",
    "environment": "dev",
    "region": "eu-west-2",  # the AWS price table prices us-east-1 only
    "tags": {"owner": "ml-platform", "cost-center": "ml-research"},
    "gpuPools": [{"name": "h100", "gpu": "H100", "gpusPerNode": 8, "minNodes": 0, "maxNodes": 1}],
    "monitoring": {"enabled": True},
    "budget": {"maxMonthlyUsd": 100},
}
NO_EU_WEST_2 = "the aws price table has no prices for eu-west-2, only for us-east-1"
FIX = (
    "add the price to mlplatform's price table, or set allowUnpriced: true "
    "(budget.allowUnpriced) to judge the budget on the priced charges alone"
)
H100_CHARGES = [
    ("ml-h100-eks-h100", "0-1 x p5.48xlarge (on-demand)", "ec2:p5.48xlarge"),
    ("ml-h100-eks-h100", "0-1 x 200 GB gp3 disk", "ebs:gp3"),
]
"""The H100 pool's charges, (resource, item, SKU). The stack's other charges (cluster, NAT,
keys, ...) have no price in eu-west-2 either; they are held to the advisory rule's list, so
that adding a resource to the platform does not rewrite this test."""
ADVICE = re.compile(
    r"^(?P<what>.+?) is not priced \((?P<why>.+)\); the cost estimate is a floor "
    r"without it$"
)


def why(sku: str) -> str:
    return f"no price for {sku} in eu-west-2: {NO_EU_WEST_2}"


def check(stack_file: Path, *args: str) -> tuple[int, dict[str, dict[str, Any]]]:
    result = subprocess.run(
        [str(CLI), "check", str(stack_file), "-f", "json", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    assert result.stderr == ""
    return result.returncode, {p["name"]: p for p in json.loads(result.stdout)["policies"]}


def findings(policy: dict[str, Any]) -> list[tuple[str, str]]:
    return [(v["urn"].rsplit("::", 1)[1], v["message"]) for v in policy["violations"]]


def budget_message(what: str, why: str) -> str:
    return (
        f"{what} has no known price ({why}), so the expected monthly cost $0.00 is only a floor "
        f"and cannot be held to budget.maxMonthlyUsd ($100.00); {FIX}"
    )


def test_unpriced_charges_fail_the_budget_naming_each(tmp_path: Path) -> None:
    code, policies = check(write_stack(tmp_path, H100_STACK, "h100"))
    budget, advice = findings(policies[BUDGET]), findings(policies[PRICED])
    assert (code, policies[BUDGET]["status"], policies[BUDGET]["enforcement"]) == (
        3,
        "failed",
        "mandatory",
    )
    pool = [(name, m) for name, m in budget if name == "ml-h100-eks-h100"]
    assert pool == [
        (name, budget_message(f"{name}: {item}", why(sku))) for name, item, sku in H100_CHARGES
    ]
    # Every charge the advisory rule finds unpriced, and only those, fails the budget: here every
    # charge of the stack, for want of prices in the region.
    parsed = [(name, ADVICE.fullmatch(message)) for name, message in advice]
    assert len(advice) > len(H100_CHARGES) and all(
        found is not None and found["why"].endswith(f"in eu-west-2: {NO_EU_WEST_2}")
        for _, found in parsed
    )
    assert budget == [
        (name, budget_message(found["what"], found["why"]))
        for name, found in parsed
        if found is not None
    ]


@pytest.mark.parametrize("where", ["policy config", "stack config"])
def test_allow_unpriced_passes_on_the_priced_charges(where: str, tmp_path: Path) -> None:
    args: list[str] = []
    values = dict(H100_STACK)
    if where == "policy config":
        given = tmp_path / "policy-config.json"
        given.write_text(json.dumps({BUDGET: {"allowUnpriced": True}}), encoding="utf-8")
        args = ["--policy-config", str(given)]
    else:
        values["budget"] = {"maxMonthlyUsd": 100, "allowUnpriced": True}
    code, policies = check(write_stack(tmp_path, values, "h100"), *args)
    assert (code, policies[BUDGET]["status"], policies[BUDGET]["violations"]) == (0, "passed", [])
    # That the total is a floor, and what is unpriced, is still said by the pack's advisory rule.
    priced = policies[PRICED]
    assert (priced["status"], priced["enforcement"]) == ("failed", "advisory")
    pool = [(name, m) for name, m in findings(priced) if name == "ml-h100-eks-h100"]
    assert pool == [
        (
            name,
            f"{name}: {item} is not priced ({why(sku)}); the cost estimate is a floor without it",
        )
        for name, item, sku in H100_CHARGES
    ]


def test_pack_config_passes_the_stacks_allow_unpriced(tmp_path: Path) -> None:
    values = {**H100_STACK, "budget": {"maxMonthlyUsd": 100, "allowUnpriced": True}}
    spec = from_stack_file(write_stack(tmp_path, values, "h100"))
    assert pack_config(spec)[BUDGET] == {
        "maxMonthlyUsd": 100.0,
        "allowUnpriced": True,
        "expectedGpuHours": 160.0,
        "expectedStorageGb": 100.0,
        "expectedRegistryGb": 50.0,
        "region": "eu-west-2",
    }
    assert (
        "allowUnpriced"
        not in pack_config(from_stack_file(write_stack(tmp_path, H100_STACK)))[BUDGET]
    )


def test_a_bad_allow_unpriced_exits_2_naming_it(tmp_path: Path) -> None:
    bad = {**H100_STACK, "budget": {"maxMonthlyUsd": 100, "allowUnpriced": "maybe"}}
    stack = write_stack(tmp_path, bad, "bad")
    result = subprocess.run(
        [str(CLI), "check", str(stack)], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert (result.returncode, result.stderr) == (
        2,
        f"error: invalid {stack} (1 problem(s)):\n"
        "  - budget.allowUnpriced: 'maybe' is invalid: input should be a valid boolean, unable "
        "to interpret input\n",
    )
    given = tmp_path / "policy-config.json"
    given.write_text(json.dumps({BUDGET: {"allowUnpriced": "yes"}}), encoding="utf-8")
    result = subprocess.run(
        [str(CLI), "check", str(write_stack(tmp_path, H100_STACK)), "--policy-config", str(given)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert (result.returncode, result.stderr) == (
        2,
        f"error: policy config: {BUDGET}.allowUnpriced: 'yes' is not of type 'boolean'\n",
    )


def test_the_azure_stacks_opt_out_for_their_unpriced_database(
    shipped_plans: dict[str, Plan],
) -> None:
    spec = from_stack_file(resolve_stack_file("azure-prod", ROOT)[1])
    assert spec.budget.allow_unpriced
    config = pack_config(spec)
    del config[BUDGET]["allowUnpriced"]
    report = build_report("azure-prod", analyze(shipped_plans["azure-prod"], PACK, config))
    # The floor is the stack's expected total, pinned in tests/unit/test_cost.py.
    floor = usd(estimate_plan(shipped_plans["azure-prod"], Assumptions.of(spec)).total.expected)
    [budget] = [r for r in report.results if r.policy.name == BUDGET]
    assert [(v.urn.rsplit("::", 1)[1], v.message) for v in budget.violations] == [
        (
            "ml-azure-prod-mlflow-db-server",
            "ml-azure-prod-mlflow-db-server: Standard_D2ds_v5 compute (primary and standby) has "
            "no known price (no price for postgres:Standard_D2ds_v5 in westeurope in the azure "
            f"price table), so the expected monthly cost {floor} is only a floor and cannot be "
            f"held to budget.maxMonthlyUsd ($150,000.00); {FIX}",
        )
    ]
    assert report.exit_code == 3
