"""`mlplatform review BASE_REF`: the shipped stacks a change touches planned at the base and
now, with one summary row each, and a report that fits in a pull-request comment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mlplatform.checks.diff import PlanDiff
from mlplatform.checks.report import CheckReport
from mlplatform.checks.review import MARKER, Review, StackReview, to_markdown
from mlplatform.cost import Assumptions, Estimate
from tests.conftest import ROOT

CLI = Path(sys.executable).parent / "mlplatform"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_review_of_a_stack_change_against_the_base(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    git(ROOT, "clone", "--quiet", str(ROOT), str(repo))
    stack = repo / "stacks" / "Pulumi.gcp-dev.yaml"
    stack.write_text(
        stack.read_text(encoding="utf-8").replace("maxNodes: 2", "maxNodes: 3"), encoding="utf-8"
    )
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam", "bigger")
    report = tmp_path / "review.md"
    result = subprocess.run(
        [str(CLI), "review", "HEAD~1", "--output", str(report), "--project-dir", str(repo)],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = report.read_text(encoding="utf-8")
    assert text.startswith(MARKER + "\n## mlplatform review against `HEAD~1`\n")
    # One more g2-standard-8 spot node ($0.479872/h) for 160 h: $76.78, its 200 GB pd-balanced
    # disk ($0.10/GB-month) for 160 of 730 h: $4.38, and Cloud NAT for 160 more VM-hours
    # ($0.0014): $0.23.
    # The grown pool grows the cohort's own GPUs (Kueue) and the team's quota ceiling with it.
    assert "| ✅ `gcp-dev` | 0 | 3 | 0 | 0 | 0 | 0 | $594.30 (+$81.39) | 15.6 min (+0) |" in text
    assert "| update | `ml-gcp-dev-gke-l4-spot` | `gcp:container/nodePool:NodePool` | " in text
    cohort = "`ml-gcp-dev-queues-cohort` | `kubernetes:kueue.x-k8s.io/v1beta2:Cohort`"
    assert f"| update | {cohort} |" in text
    assert (
        "| update | `ml-gcp-dev-team-research-gpu-quota` | `kubernetes:core/v1:ResourceQuota` | "
        '`spec.hard["requests.nvidia.com/gpu"]`: `"2"` → `"3"` |'
    ) in text
    # Only the stack the change touches is planned, at the base and now; the rest are listed.
    assert (
        "\nUnchanged since `HEAD~1`, not planned: `aws-dev`, `aws-prod`, `azure-dev`, "
        "`azure-prod`, `gcp-prod`, `local`.\n"
    ) in text
    assert "`aws-dev` |" not in text
    assert "| **delta** | $0.00 | +$81.39 | +$371.33 |" in text
    assert "| `ml-gcp-dev-gke-l4-spot` | +$81.16 |" in text
    assert text.count("<details>") == 1


def test_the_report_is_trimmed_to_the_comment_limit_but_keeps_the_summary() -> None:
    check = CheckReport("s", [])
    cost = Estimate("s", "aws", (), Assumptions(), (), 0)
    stacks = [
        StackReview(
            f"stack-{i}", PlanDiff(f"stack-{i}", []), check, 10, 10, cost, cost, "x\n" * 20_000
        )
        for i in range(3)
    ]
    text = to_markdown(Review("origin/main", stacks), limit=20_000)
    assert len(text) <= 20_000
    for i in range(3):
        assert f"| ✅ `stack-{i}` | 0 | 0 | 0 | 0 | 0 | 0 | $0.00 ($0.00) | 10 min (+0) |" in text
    assert text.count("trimmed to fit a comment") == 3
