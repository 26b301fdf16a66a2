"""The rules table in docs/policies.md, generated from the rules' metadata:
`scripts/dev docs` rewrites it and a test fails when it is stale."""

from __future__ import annotations

import sys
from pathlib import Path

from mlplatform_policies import RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "policies.md"
HEADER = """# Policy pack rules

Generated from `policies/mlplatform_policies` by `scripts/dev docs`; do not edit by hand.
`pulumi preview --policy-pack policies` enforces them where the Pulumi CLI runs, and
`mlplatform check STACK` runs the same pack offline. Mandatory rules block; advisory rules
warn. Levels and settings can be changed with `--policy-pack-config` (for `mlplatform
check`: `--policy-config FILE`, the same JSON).

"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    lines = [
        "| id | rule | level | severity | kind | resources | anchor | remediation |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for rule in RULES:
        types = "<br>".join(f"`{t}`" for t in rule.resource_types)
        lines.append(
            f"| {rule.id} | `{rule.name}`: {_cell(rule.description)} | {rule.enforcement} | "
            f"{rule.severity} | {rule.kind} | {types} | {_cell(rule.anchor)} | "
            f"{_cell(rule.remediation)} |"
        )
    settings = [
        f"| `{rule.name}` | `{key}` | `{schema['default']!r}` | {_cell(schema['description'])} |"
        for rule in RULES
        for key, schema in rule.config.items()
    ]
    config = [
        "",
        "## Settings",
        "",
        "| rule | setting | default | meaning |",
        "| --- | --- | --- | --- |",
        *settings,
    ]
    absent = [
        f"| `{rule.name}` | `{a.type}` | `{a.path}` | {_cell(a.default)} | {a.verdict} | "
        f"{_cell(a.source)} |"
        for rule in RULES
        for a in rule.absent
    ]
    defaults = [
        "",
        "## Properties left out",
        "",
        "What each rule concludes when a program leaves a property out: the provider's default,",
        "where it is documented, and the verdict. An unsafe default fails the rule; a safe one",
        "passes; `stricter` marks a safe default the rule still refuses (it is not guaranteed).",
        "A value Pulumi does not know yet is never a default: the rule reports it not evaluated.",
        "",
        "| rule | resource | property | default | verdict | source |",
        "| --- | --- | --- | --- | --- | --- |",
        *absent,
    ]
    return HEADER + "\n".join(lines + config + defaults) + "\n"


if __name__ == "__main__":
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {DOC} ({len(RULES)} rules)\n")
