"""The Kueue rules (issue 24) beyond their cases: Kubernetes quantities read exactly,
`mlplatform check` handing the stack's budget.maxGpus to the quota rule, the shipped stacks
with scheduling on passing both rules through the pack's gRPC protocol, and the engine's
unknown and secret markers leaving both not evaluated there."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from mlplatform_policies.queues import quantity

from mlplatform.checks import pack_config
from mlplatform.checks.analyzer import analyze
from mlplatform.checks.report import NOT_EVALUATED, build_report
from mlplatform.engine import Plan
from mlplatform.engine.runner import resolve_stack_file
from mlplatform.environment.loader import from_stack_file
from tests.conftest import ROOT
from tests.helpers import planned

PACK = ROOT / "policies"
SELECTS = "platform-gpu-queue-flavors-select-pools"
QUOTAS = "platform-gpu-queue-quota-under-cap"
KUEUE = "kubernetes:kueue.x-k8s.io/v1beta2:"


@pytest.mark.parametrize(
    ("given", "value"),
    [
        ("16", 16),
        (16, 16),
        ("+2", 2),
        ("0", 0),
        ("500m", Fraction(1, 2)),
        (".5", Fraction(1, 2)),
        ("1.", 1),
        ("1e1", 10),
        ("1E+1", 10),
        ("10e-1", 1),
        ("0.006k", 6),
        ("1Ki", 1024),
        ("1E", 10**18),
        ("-3", -3),
        ("eight", None),
        ("1e", None),
        ("1.5.1", None),
        ("16\n", None),
        ("1Gb", None),
        (True, None),
        (None, None),
    ],
)
def test_quantities_are_read_as_kubernetes_reads_them(given: Any, value: Any) -> None:
    assert quantity(given) == value


def test_check_passes_the_stacks_gpu_budget_to_the_quota_rule() -> None:
    spec = from_stack_file(resolve_stack_file("aws-prod", ROOT)[1])
    assert pack_config(spec)[QUOTAS] == {"maxGpus": 32}


LOCAL_CAP = {QUOTAS: {"maxGpus": 1}}
"""The local stack sets no budget.maxGpus: its one team's 1 GPU is given as the cap, so the
quota rule judges it too."""


@pytest.mark.parametrize("stack", ["aws-prod", "azure-prod", "gcp-prod", "local"])
def test_shipped_stacks_with_scheduling_pass_the_queue_rules(
    stack: str, shipped_plans: dict[str, Plan]
) -> None:
    plan = shipped_plans[stack]
    types = {r.type.removeprefix(KUEUE) for r in plan.resources if r.type.startswith(KUEUE)}
    assert {"ResourceFlavor", "ClusterQueue", "Cohort"} <= types
    spec = from_stack_file(resolve_stack_file(stack, ROOT)[1])
    config = pack_config(spec, LOCAL_CAP if stack == "local" else None)
    report = build_report(stack, analyze(plan, PACK, config))
    status = {r.policy.name: r.status for r in report.results}
    assert {SELECTS: status[SELECTS], QUOTAS: status[QUOTAS]} == {
        SELECTS: "passed",
        QUOTAS: "passed",
    }


def test_unknown_and_secret_queue_values_leave_the_rules_not_evaluated() -> None:
    quota = {"name": "nvidia.com/gpu", "nominalQuota": "[secret]"}
    group = {
        "coveredResources": ["nvidia.com/gpu"],
        "flavors": [{"name": "gpu", "resources": [quota]}],
    }
    plan = Plan(
        project="p",
        stack="t",
        target="kubernetes",
        resources=[
            planned("gpu", f"{KUEUE}ResourceFlavor", {"spec": {"nodeLabels": "[unknown]"}}),
            planned("team", f"{KUEUE}ClusterQueue", {"spec": {"resourceGroups": [group]}}),
        ],
        outputs={},
    )
    report = build_report("t", analyze(plan, PACK, {QUOTAS: {"maxGpus": 1}}))
    by_name = {r.policy.name: r for r in report.results}
    assert {name: by_name[name].status for name in (SELECTS, QUOTAS)} == {
        SELECTS: NOT_EVALUATED,
        QUOTAS: NOT_EVALUATED,
    }
    [unknown] = by_name[QUOTAS].not_evaluated
    assert "spec.resourceGroups.0.flavors.0.resources.0.nominalQuota" in unknown.message
