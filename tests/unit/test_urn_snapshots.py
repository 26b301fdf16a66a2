"""URNs are a public contract: a changed child name or parent type replaces real
infrastructure. Every shipped stack's URNs are committed in tests/snapshots/urns/; a change
fails here until it is aliased or deliberately accepted with `scripts/dev snapshots`."""

from __future__ import annotations

import pytest

from mlplatform.engine import Plan
from mlplatform.engine.views import render_urns
from tests.conftest import ROOT, SHIPPED_STACKS

SNAPSHOTS = ROOT / "tests" / "snapshots" / "urns"
HOW_TO = (
    "A changed URN makes Pulumi delete the old resource and create a new one. If you renamed "
    "or re-parented it, keep its old URN with `opts=pulumi.ResourceOptions(aliases="
    "[pulumi.Alias(name=<old name>, parent=<old parent>)])` and add an upgrade note; if the "
    "change is deliberate, accept it with `scripts/dev snapshots` and say so in the commit."
)


def test_every_shipped_stack_has_a_snapshot() -> None:
    assert sorted(p.stem for p in SNAPSHOTS.glob("*.txt")) == sorted(SHIPPED_STACKS)


@pytest.mark.parametrize("stack", SHIPPED_STACKS)
def test_urns_match_the_snapshot(stack: str, shipped_plans: dict[str, Plan]) -> None:
    committed = set((SNAPSHOTS / f"{stack}.txt").read_text(encoding="utf-8").splitlines())
    plan = shipped_plans[stack]
    now = set(render_urns(plan).splitlines())
    aliased = {alias for r in plan.resources for alias in r.aliases}
    gone = sorted(committed - now - aliased)
    new = sorted(now - committed)
    lines = [f"  removed: {urn}" for urn in gone]
    if gone:  # a new URN only matters for snapshot upkeep once nothing disappears
        lines += [f"  added:   {urn}" for urn in new]
    assert not gone, f"{stack}: URNs changed\n" + "\n".join(lines) + f"\n{HOW_TO}"
    assert not new, (
        f"{stack}: new URNs are not in the snapshot yet\n"
        + "\n".join(f"  added:   {urn}" for urn in new)
        + "\nRun `scripts/dev snapshots` to record them."
    )
