"""The result of `mlplatform check`: one row per policy (failed, not evaluated, passed), the
violations under it, and the exit code; rendered as a table, JSON or Markdown."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from textwrap import fill
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from mlplatform import terminal
from mlplatform.checks.analyzer import Analysis, Finding, PolicyInfo

TABLE_WIDTH = 140
"""Columns of the table view when neither COLUMNS nor a terminal says."""
EXIT_CLEAN = 0
EXIT_MANDATORY_VIOLATIONS = 3
FAILED, NOT_EVALUATED, PASSED, NOT_APPLICABLE, DISABLED = (
    "failed",
    "not evaluated",
    "passed",
    "not applicable",
    "disabled",
)


@dataclass(frozen=True)
class PolicyResult:
    policy: PolicyInfo
    status: str
    violations: list[Finding]
    not_evaluated: list[Finding]


@dataclass(frozen=True)
class CheckReport:
    stack: str
    results: list[PolicyResult]

    @property
    def mandatory_violations(self) -> list[Finding]:
        return [
            v for r in self.results if r.policy.enforcement == "mandatory" for v in r.violations
        ]

    @property
    def exit_code(self) -> int:
        return EXIT_MANDATORY_VIOLATIONS if self.mandatory_violations else EXIT_CLEAN

    def failed(self) -> list[PolicyResult]:
        """The policies with a violation: each gets its remediation."""
        return [r for r in self.results if r.status == FAILED]

    def counts(self) -> dict[str, int]:
        return {
            status: sum(1 for r in self.results if r.status == status)
            for status in (FAILED, NOT_EVALUATED, PASSED, NOT_APPLICABLE, DISABLED)
        }


def build_report(stack: str, analysis: Analysis) -> CheckReport:
    results = []
    for policy in analysis.policies:
        mine = [f for f in analysis.findings if f.policy == policy.name]
        violations = [f for f in mine if f.evaluated]
        unknown = [f for f in mine if not f.evaluated]
        status = (
            DISABLED
            if policy.enforcement == "disabled"
            else FAILED
            if violations
            else NOT_EVALUATED
            if unknown
            else PASSED
            if policy.name in analysis.applied
            else NOT_APPLICABLE
        )
        results.append(PolicyResult(policy, status, violations, unknown))
    order = {FAILED: 0, NOT_EVALUATED: 1, PASSED: 2, NOT_APPLICABLE: 3, DISABLED: 4}
    rank = {"mandatory": 0, "advisory": 1}
    results.sort(key=lambda r: (order[r.status], rank.get(r.policy.enforcement, 2)))
    return CheckReport(stack, results)


def _short(urn: str) -> str:
    return urn.rsplit("::", 1)[-1] if urn else "(stack)"


def to_json(report: CheckReport) -> str:
    document: dict[str, Any] = {
        "stack": report.stack,
        "exitCode": report.exit_code,
        "summary": report.counts(),
        "mandatoryViolations": len(report.mandatory_violations),
        "policies": [
            {
                "name": r.policy.name,
                "id": r.policy.tags[0] if r.policy.tags else "",
                "enforcement": r.policy.enforcement,
                "severity": r.policy.severity,
                "status": r.status,
                "remediation": r.policy.remediation,
                "violations": [{"urn": v.urn, "message": v.message} for v in r.violations],
                "notEvaluated": [{"urn": v.urn, "message": v.message} for v in r.not_evaluated],
            }
            for r in report.results
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def to_markdown(report: CheckReport) -> str:
    counts = report.counts()
    lines = [
        f"### Policy check: `{report.stack}`",
        "",
        f"{len(report.mandatory_violations)} mandatory violation(s); {counts[FAILED]} policies "
        f"failed, {counts[NOT_EVALUATED]} not evaluated, {counts[PASSED]} passed, "
        f"{counts[NOT_APPLICABLE]} not applicable.",
        "",
        "| policy | level | status | resource | finding |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in report.results:
        if r.status in (PASSED, NOT_APPLICABLE, DISABLED):
            continue
        for finding in r.violations + r.not_evaluated:
            message = finding.message.replace("|", "\\|").replace("\n", " ")
            lines.append(
                f"| `{r.policy.name}` | {r.policy.enforcement} | {r.status} | "
                f"`{_short(finding.urn)}` | {message} |"
            )
    if report.failed():
        lines += ["", "How to fix:", ""]
        lines += [f"- `{r.policy.name}`: {r.policy.remediation}" for r in report.failed()]
    return "\n".join(lines) + "\n"


def to_table(report: CheckReport, width: int | None = None) -> str:
    """The policies that did not pass, with their findings, then how to fix each failed one;
    `width` columns (default: the terminal's). Findings are escaped: never read as markup."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or terminal.width(TABLE_WIDTH),
        force_terminal=False,
        color_system=None,
    )
    table = Table(title=f"mlplatform check {escape(report.stack)}")
    for column in ("policy", "level", "status", "resource", "finding"):
        table.add_column(column, overflow="fold")  # narrow terminals: wrap, never cut
    for r in report.results:
        findings = r.violations + r.not_evaluated
        if r.status in (NOT_APPLICABLE, DISABLED):
            continue
        if not findings:
            table.add_row(escape(r.policy.name), r.policy.enforcement, r.status, "", "")
        for finding in findings:
            table.add_row(
                escape(r.policy.name),
                r.policy.enforcement,
                r.status,
                escape(_short(finding.urn)),
                escape(finding.message),
            )
    console.print(table)
    counts = report.counts()
    console.print(
        f"{len(report.mandatory_violations)} mandatory violation(s); {counts[FAILED]} failed, "
        f"{counts[NOT_EVALUATED]} not evaluated, {counts[PASSED]} passed, "
        f"{counts[NOT_APPLICABLE]} not applicable"
    )
    if report.failed():  # plain text: wrapped with a hanging indent, no markup to read
        buffer.write("how to fix:\n")
        for r in report.failed():
            fix = f"{r.policy.name}: {r.policy.remediation}"
            buffer.write(fill(fix, console.width, initial_indent="  ", subsequent_indent="    "))
            buffer.write("\n")
    return buffer.getvalue()


RENDERERS = {"table": to_table, "json": to_json, "markdown": to_markdown}
