"""The terminal views (rich): user and plan text shown as written, never read as markup, and
drawn at the terminal's width (COLUMNS, else the terminal, else a fixed default)."""

from __future__ import annotations

import json
import os

import pytest

from mlplatform import terminal
from mlplatform.checks.analyzer import Finding, PolicyInfo
from mlplatform.checks.report import FAILED, PASSED, CheckReport, PolicyResult
from mlplatform.checks.report import to_json as check_json
from mlplatform.checks.report import to_markdown as check_markdown
from mlplatform.checks.report import to_table as check_table
from mlplatform.checks.summary import StackSummary, Summary
from mlplatform.checks.summary import to_text as summary_text
from mlplatform.cost import Assumptions, Estimate
from mlplatform.engine import Plan
from mlplatform.engine.values import SECRET
from mlplatform.engine.views import render_table
from tests.helpers import planned

LONG_NAME = "a-resource-name-long-enough-to-wrap-" * 3


def plan() -> Plan:
    return Plan(
        project="p",
        stack="[dev]",
        target="kubernetes",
        resources=[planned("[bold]x[/]", "kubernetes:core/v1:Secret", protect=True)],
        outputs={"password": SECRET, "uri": "http://mlflow"},
    )


def test_plan_table_shows_secrets_and_names_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    lines = render_table(plan()).splitlines()
    assert lines[0] == "p / [dev] (target: kubernetes)"
    assert lines[1] == "└── kubernetes:core/v1:Secret [bold]x[/] (protected)"
    assert '│ password │ "[secret]"      │' in lines
    assert '│ uri      │ "http://mlflow" │' in lines


def test_plan_table_uses_the_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    wide = Plan("p", "s", "kubernetes", [planned(LONG_NAME, "kubernetes:core/v1:Secret")])
    monkeypatch.setenv("COLUMNS", "60")
    narrow = render_table(wide).splitlines()
    assert max(len(line) for line in narrow) == 60
    assert narrow[1:4] == [
        "└── kubernetes:core/v1:Secret ",
        "    a-resource-name-long-enough-to-wrap-a-resource-name-long",
        "    -enough-to-wrap-a-resource-name-long-enough-to-wrap-",
    ]
    monkeypatch.setenv("COLUMNS", "200")
    assert render_table(wide).splitlines()[1] == f"└── kubernetes:core/v1:Secret {LONG_NAME}"


def test_without_columns_or_a_terminal_the_default_width(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_terminal(fd: int) -> object:
        raise OSError(25, "Inappropriate ioctl for device")

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(os, "get_terminal_size", no_terminal)
    assert terminal.width(120) == 120
    monkeypatch.setattr(os, "get_terminal_size", lambda fd: os.terminal_size((93, 40)))
    assert terminal.width(120) == 93
    monkeypatch.setenv("COLUMNS", "71")
    assert terminal.width(120) == 71


POLICY = PolicyInfo(
    name="aws-eks-cluster-no-public-endpoint",
    description="The EKS API server is not open to the internet.",
    enforcement="mandatory",
    severity="high",
    kind="resource",
    tags=("MLP-CL-001",),
    remediation="Keep cluster.endpointAccess: private, or list publicAccessCidrs.",
)
PASSING = PolicyInfo(
    name="platform-gpu-pool-tainted",
    description="GPU pools are tainted.",
    enforcement="mandatory",
    severity="high",
    kind="resource",
    tags=("MLP-GPU-001",),
    remediation="Use mlplatform's GPU pools.",
)
URN = "urn:pulumi:s::p::aws:eks/cluster:Cluster::gpu-cluster"


def report() -> CheckReport:
    finding = Finding(POLICY.name, URN, "open to [0.0.0.0/0] and [bold]x[/]", "mandatory", True)
    return CheckReport(
        "dev",
        [
            PolicyResult(POLICY, FAILED, [finding], []),
            PolicyResult(PASSING, PASSED, [], []),
        ],
    )


def test_check_table_gives_each_failing_rule_its_remediation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    text = check_table(report())
    assert "│ gpu-cluster │ open to [0.0.0.0/0] and [bold]x[/] │" in text
    assert text.endswith(
        "1 mandatory violation(s); 1 failed, 0 not evaluated, 1 passed, 0 not applicable\n"
        "how to fix:\n"
        "  aws-eks-cluster-no-public-endpoint: Keep cluster.endpointAccess: private, or list "
        "publicAccessCidrs.\n"
    )
    assert "Use mlplatform's GPU pools." not in text  # passed: nothing to fix


def test_check_table_uses_the_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    assert max(len(line) for line in check_table(report()).splitlines()) == 60


def test_check_markdown_and_json_give_the_remediation() -> None:
    markdown = check_markdown(report())
    assert markdown.endswith(
        "\nHow to fix:\n\n"
        "- `aws-eks-cluster-no-public-endpoint`: Keep cluster.endpointAccess: private, or list "
        "publicAccessCidrs.\n"
    )
    policies = json.loads(check_json(report()))["policies"]
    assert [p["remediation"] for p in policies] == [POLICY.remediation, PASSING.remediation]


def test_summary_table_shows_stack_names_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    estimate = Estimate("[dev]", "kubernetes", (), Assumptions(), (), 0)
    row = StackSummary("[dev]", "kubernetes", 1, report(), estimate, None, 2.0)
    text = summary_text(Summary([row]))
    assert "│ [dev] │ kubernetes │" in text
    monkeypatch.setenv("COLUMNS", "50")
    table = summary_text(Summary([row])).split("\nmandatory violations")[0]
    assert max(len(line) for line in table.splitlines()) == 50
