"""Cost estimates and cost deltas as text, JSON and Markdown."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mlplatform.catalog.pricing import HOURS_PER_MONTH
from mlplatform.cost.budget import budget_findings
from mlplatform.cost.model import (
    ZERO,
    Estimate,
    Line,
    Monthly,
    signed_usd,
    usd,
)


@dataclass(frozen=True)
class Change:
    """One resource whose monthly cost differs between two estimates."""

    urn: str
    base: Monthly | None
    head: Monthly | None

    @property
    def delta(self) -> Monthly:
        return ((self.head or ZERO) - (self.base or ZERO)).rounded()


@dataclass(frozen=True)
class CostDelta:
    """HEAD's estimate against BASE's: the total change and each resource's."""

    base: Estimate
    head: Estimate
    changes: tuple[Change, ...]

    @property
    def total(self) -> Monthly:
        return (self.head.total - self.base.total).rounded()


def compare(base: Estimate, head: Estimate) -> CostDelta:
    """What changes in monthly cost from `base` to `head`, per resource URN."""
    before, after = base.by_resource(), head.by_resource()
    changes = [
        Change(urn, before.get(urn), after.get(urn))
        for urn in sorted(before.keys() | after.keys())
        if before.get(urn) != after.get(urn)
    ]
    return CostDelta(base, head, tuple(changes))


def _short(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def _total(e: Estimate, amount: float) -> str:
    """A total of `e`: "≥ $1,234.00" when it is a floor (some charge has no known price)."""
    return usd(amount) if e.complete else f"≥ {usd(amount)}"


def _totals(e: Estimate) -> tuple[str, str, str]:
    """Low, expected and high totals of `e`, each marked when a floor."""
    m = e.total
    return _total(e, m.low), _total(e, m.expected), _total(e, m.high)


def _floor(e: Estimate) -> str:
    return "" if e.complete else f" (a floor: {len(e.unknown)} charge(s) unknown)"


def _heading(e: Estimate) -> str:
    where = ", ".join(e.regions) or "no priced region"
    return f"{e.stack} ({e.target}, {where}): monthly cost in USD{_floor(e)}"


def _assumed(e: Estimate) -> str:
    a = e.assumptions
    return (
        f"expected: GPU nodes above their pool's minimum run {a.expected_gpu_hours:g} h a month; "
        f"{a.storage_gb:g} GB per object store, {a.registry_gb:g} GB per registry; "
        f"{HOURS_PER_MONTH:g} h a month"
    )


def _provenance(e: Estimate) -> str:
    """Which table the prices came from and how old they are."""
    dates = sorted(
        {d[:10] for ln in e.lines for p in ln.prices for d in (p.date, p.spot_date) if d}
    )
    if not dates:
        return "no prices used"
    span = dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"
    return f"prices from mlplatform's {e.target} price table, dated {span} (-f json: sources)"


def budget_state(e: Estimate, max_monthly_usd: float) -> str:
    """Over budget (why), within it, or within it as far as prices are known."""
    findings = budget_findings(e, max_monthly_usd)
    if findings:
        return "; ".join(findings)
    if e.unknown:
        return f"priced charges within budget; {len(e.unknown)} charge(s) have no known price"
    return "expected cost within budget"


def to_text(e: Estimate, max_monthly_usd: float | None = None) -> str:
    total = e.total
    out = [
        _heading(e),
        f"  low       {_total(e, total.low):>14}  every pool at its minimum, around the clock",
        f"  expected  {_total(e, total.expected):>14}  {_assumed(e)}",
        f"  high      {_total(e, total.high):>14}  every pool at its maximum, around the clock",
    ]
    if max_monthly_usd is not None:
        out.append(f"  budget    {usd(max_monthly_usd):>14}  {budget_state(e, max_monthly_usd)}")
    out += ["", f"  {'resource':<42} {'item':<46} {'low':>12} {'expected':>12} {'high':>12}"]
    for line in e.lines:
        if line.kind == "priced":
            m = line.monthly
            out.append(
                f"  {line.name[:42]:<42} {line.item[:46]:<46} "
                f"{usd(m.low):>12} {usd(m.expected):>12} {usd(m.high):>12}"
            )
    for title, lines in (("billed per use, not estimated", e.usage), ("unknown", e.unknown)):
        if lines:
            out += ["", f"  {title}:"]
            out += [f"    {ln.name}: {ln.item} ({ln.basis})" for ln in lines]
    out += ["", f"  {e.free} resource(s) cost nothing by themselves; {_provenance(e)}"]
    return "\n".join(out) + "\n"


def _line_json(line: Line) -> dict[str, Any]:
    return {
        "urn": line.urn,
        "type": line.type,
        "name": line.name,
        "item": line.item,
        "kind": line.kind,
        "monthly": _money(line.monthly) if line.kind == "priced" else None,
        "basis": line.basis,
        "prices": [
            {
                "sku": p.sku,
                "region": p.region,
                "unit": p.unit,
                "onDemand": p.on_demand,
                "spot": p.spot,
                "source": p.source,
                "date": p.date,
                "spotSource": p.spot_source,
                "spotDate": p.spot_date,
            }
            for p in line.prices
        ],
    }


def _money(m: Monthly) -> dict[str, float]:
    return {"low": m.low, "expected": m.expected, "high": m.high}


def estimate_json(e: Estimate, max_monthly_usd: float | None = None) -> dict[str, Any]:
    a = e.assumptions
    document: dict[str, Any] = {
        "stack": e.stack,
        "target": e.target,
        "regions": list(e.regions),
        "currency": "USD",
        "hoursPerMonth": int(HOURS_PER_MONTH),
        "assumptions": {
            "expectedGpuHours": a.expected_gpu_hours,
            "storageGb": a.storage_gb,
            "registryGb": a.registry_gb,
        },
        "total": _money(e.total),
        "complete": e.complete,
        "lines": [_line_json(line) for line in e.lines],
        "free": e.free,
    }
    if max_monthly_usd is not None:
        document["budget"] = {
            "maxMonthlyUsd": max_monthly_usd,
            "findings": budget_findings(e, max_monthly_usd),
        }
    return document


def to_json(e: Estimate, max_monthly_usd: float | None = None) -> str:
    return json.dumps(estimate_json(e, max_monthly_usd), indent=2) + "\n"


def to_markdown(e: Estimate, max_monthly_usd: float | None = None) -> str:
    total = e.total
    out = [
        f"### Cost: `{e.stack}`",
        "",
        f"Monthly cost in USD{_floor(e)}; {_assumed(e)}.",
        "",
        "| | low | expected | high |",
        "| --- | ---: | ---: | ---: |",
        f"| **total** | {_total(e, total.low)} | {_total(e, total.expected)} | "
        f"{_total(e, total.high)} |",
    ]
    for line in e.lines:
        if line.kind == "priced":
            m = line.monthly
            out.append(
                f"| `{line.name}`: {line.item} | {usd(m.low)} | {usd(m.expected)} | {usd(m.high)} |"
            )
    if max_monthly_usd is not None:
        out += ["", f"Budget {usd(max_monthly_usd)}: {budget_state(e, max_monthly_usd)}."]
    for title, lines in (("Billed per use, not estimated", e.usage), ("Unknown", e.unknown)):
        if lines:
            out += ["", f"{title}:", ""]
            out += [f"- `{ln.name}`: {ln.item} ({ln.basis})" for ln in lines]
    where = _provenance(e)
    out += ["", f"{where[0].upper()}{where[1:]}."]
    return "\n".join(out) + "\n"


def delta_text(d: CostDelta) -> str:
    out = [
        f"{d.head.stack}: monthly cost change against {d.base.stack or 'the base'} (USD, low / "
        "expected / high)",
        f"  base   {' / '.join(_totals(d.base))}",
        f"  head   {' / '.join(_totals(d.head))}",
        f"  delta  {signed_usd(d.total.low)} / {signed_usd(d.total.expected)} / "
        f"{signed_usd(d.total.high)}",
    ]
    if d.changes:
        out.append("")
    for change in d.changes:
        what = "added" if change.base is None else "removed" if change.head is None else "changed"
        amount = signed_usd(change.delta.expected)
        out.append(f"  {what:<8} {_short(change.urn)}: {amount} expected")
    for label, e in (("base", d.base), ("head", d.head)):
        if e.unknown:
            out.append(f"  {label} has {len(e.unknown)} charge(s) with unknown prices")
    return "\n".join(out) + "\n"


def delta_json(d: CostDelta) -> str:
    document = {
        "base": _money(d.base.total),
        "head": _money(d.head.total),
        "delta": _money(d.total),
        "complete": d.base.complete and d.head.complete,
        "changes": [
            {
                "urn": c.urn,
                "base": _money(c.base) if c.base else None,
                "head": _money(c.head) if c.head else None,
                "delta": _money(c.delta),
            }
            for c in d.changes
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def delta_markdown(d: CostDelta) -> str:
    out = [
        f"### Cost change: `{d.head.stack}`",
        "",
        "| | low | expected | high |",
        "| --- | ---: | ---: | ---: |",
        f"| base | {' | '.join(_totals(d.base))} |",
        f"| head | {' | '.join(_totals(d.head))} |",
        f"| **delta** | {signed_usd(d.total.low)} | {signed_usd(d.total.expected)} | "
        f"{signed_usd(d.total.high)} |",
    ]
    if d.changes:
        out += ["", "| resource | expected change |", "| --- | ---: |"]
        out += [f"| `{_short(c.urn)}` | {signed_usd(c.delta.expected)} |" for c in d.changes]
    return "\n".join(out) + "\n"


RENDERERS: dict[str, Callable[[Estimate, float | None], str]] = {
    "table": to_text,
    "json": to_json,
    "markdown": to_markdown,
}
DELTA_RENDERERS: dict[str, Callable[[CostDelta], str]] = {
    "table": delta_text,
    "json": delta_json,
    "markdown": delta_markdown,
}
