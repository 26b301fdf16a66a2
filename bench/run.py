"""The benchmark of the offline engine and of the deployment graph, with its budgets.

    scripts/dev bench [--runs N] [--json FILE]

Every figure is a whole process, measured several times (median):

- each shipped stack's `mlplatform plan` beside its floor (bench/floor.py): a process that
  imports exactly the provider classes the stack uses and registers as many trivial resources
  (of those classes, placeholder inputs) under the same mocks. What the plan takes beyond its
  floor is what mlplatform adds on top of the SDKs; the floor picks the budget
  (bench/plan_budget.py: plan / floor from a 1 s floor, plan - floor below it);
- every stack planned, checked and costed in one command (`mlplatform summary`);
- `mlplatform review` of a one-stack change beside `mlplatform summary` of that stack
  (bench/review_change.py);
- plans of a stack grown to 1, 10, 25 and 50 GPU pools and team namespaces: time (in one warm
  process, bench/scale_probe.py) and peak memory per unit;
- the modules each stack's plan imports (a single-cloud stack imports no other cloud's SDK);
- each stack's deployment critical path and its stages.

It prints a Markdown report (docs/performance.md holds one) and exits 1 when a budget
is missed, with a line on stderr for each missed budget.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from floor import engine_default_provider
from measure import Sample, imported_modules, measure
from plan_budget import Budget, plan_budget
from review_change import REVIEW_OVER_SUMMARY, bench_review
from review_change import ratio as review_ratio
from review_change import table as review_table
from scaling import BUDGETED_FROM, UNITS, per_unit, spread, write_stacks
from sdk_classes import sdk_class

from mlplatform.checks.critical_path import critical_path, expected_chain
from mlplatform.engine.plan import Plan
from mlplatform.engine.runner import project_stacks

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
MLPLATFORM = [PYTHON, "-m", "mlplatform"]

ALL_STACKS_SECONDS = 15.0
"""Every stack planned, checked and costed in one command, on a 2-core machine."""
SCALING_SPREAD = 0.20
"""The plan time and the memory per added pool and team stay within this of themselves from 10
to 50 units (the steps 10 to 25 and 25 to 50). The time is measured in one warm process
(bench/scale_probe.py): a unit costs tens of milliseconds, less than a whole run's noise on a
shared machine."""

CLOUD_SDKS = {"aws": "pulumi_aws", "azure": "pulumi_azure_native", "gcp": "pulumi_gcp"}
SDKS = (*CLOUD_SDKS.values(), "pulumi_kubernetes", "pulumi_random")


def plan_command(stack: str, output: Path) -> list[str]:
    return [*MLPLATFORM, "plan", stack, "--format", "json", "--output", str(output)]


def floor_spec(plan: Plan, path: Path) -> Path:
    """The floor of `plan`: a resource of the same class for each of its custom resources (in
    the plan's order) but the engine's default providers (the floor's monitor makes its own)
    and a bare component for each of its components but the root stack."""
    resources = [
        sdk_class(r.type)
        for r in plan.resources
        if r.custom and not engine_default_provider(r.type, r.name, r.parent)
    ]
    components = sum(1 for r in plan.resources if not r.custom) - 1
    spec = {"resources": resources, "components": components}
    path.write_text(json.dumps(spec, indent=2), encoding="utf-8")
    return path


def plan_and_floor(stack: str, scratch: Path) -> tuple[Plan, list[str], list[str]]:
    """`stack` planned once (which also warms the file cache), then its plan command and the
    command of its floor."""
    out = scratch / f"{stack}.json"
    measure({"warm": plan_command(stack, out)}, 0, ROOT)
    plan = Plan.from_json(json.loads(out.read_text(encoding="utf-8")))
    spec = floor_spec(plan, scratch / f"{stack}-floor.json")
    return plan, plan_command(stack, out), [PYTHON, str(ROOT / "bench" / "floor.py"), str(spec)]


def sdk_counts(modules: set[str]) -> dict[str, int]:
    return {sdk: sum(1 for m in modules if m.split(".")[0] == sdk) for sdk in SDKS}


def provider_modules(modules: set[str]) -> set[str]:
    """The SDKs' submodules (a package itself is reported as imported only by its first
    importer, whichever submodule that was)."""
    return {m for m in modules if m.split(".")[0] in SDKS and "." in m}


def bench_stacks(stacks: list[str], runs: int, scratch: Path) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    for stack in stacks:
        plan, planned, floor = plan_and_floor(stack, scratch)
        samples = measure({"plan": planned, "floor": floor}, runs, ROOT)
        plan_modules = imported_modules(planned, ROOT)
        floor_modules = imported_modules(floor, ROOT)
        path = critical_path(plan)
        others = [sdk for cloud, sdk in CLOUD_SDKS.items() if cloud != plan.target]
        results[stack] = {
            "target": plan.target,
            "resources": len(plan.resources),
            "plan": samples["plan"],
            "floor": samples["floor"],
            "modules": sdk_counts(plan_modules),
            "otherClouds": sorted(m for m in plan_modules if m.split(".")[0] in others),
            "beyondFloor": sorted(provider_modules(plan_modules) - floor_modules),
            "criticalPath": path,
            "expectedChain": expected_chain(plan.target),
        }
        print(
            f"  {stack}: plan {samples['plan'].median_seconds:.2f} s, floor "
            f"{samples['floor'].median_seconds:.2f} s",
            file=sys.stderr,
        )
    return results


def bench_all(runs: int) -> dict[str, Sample]:
    """`mlplatform summary` as it runs by default (a planning process per CPU) and with
    `--jobs 1` (every stack planned in the one process)."""
    summary = [*MLPLATFORM, "summary", "--format", "json"]
    return measure({"default": summary, "one process": [*summary, "--jobs", "1"]}, runs, ROOT)


def bench_scaling(runs: int, scratch: Path) -> dict[int, dict[str, Any]]:
    """Peak memory of a whole `mlplatform plan` per size, and plan time per size in one warm
    process (bench/scale_probe.py)."""
    paths = write_stacks(ROOT, scratch)
    commands = {n: plan_command(str(p), scratch / f"scale-{n}.json") for n, p in paths.items()}
    samples = measure({str(n): c for n, c in commands.items()}, runs, ROOT)
    probe = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "scale_probe.py"), str(2 * runs), *map(str, paths.values())],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    warm = json.loads(probe.stdout)
    results = {}
    for n in UNITS:
        plan = json.loads((scratch / f"scale-{n}.json").read_text(encoding="utf-8"))
        results[n] = {
            "resources": len(plan["resources"]),
            "sample": samples[str(n)],
            "warmSeconds": warm[str(paths[n])],
        }
    return results


def ratio(stack: dict[str, Any]) -> float:
    return stack["plan"].median_seconds / stack["floor"].median_seconds


def stack_budgets(stacks: dict[str, dict[str, Any]]) -> list[Budget]:
    """Each stack's plan budget (bench/plan_budget.py), the one its floor's median picks."""
    return [
        plan_budget(name, s["plan"].median_seconds, s["floor"].median_seconds)
        for name, s in stacks.items()
    ]


def missed_lines(found: list[Budget]) -> list[str]:
    """One line per missed budget: what, the measured value and the limit."""
    return [f"budget missed: {b.name}: {b.measured}, limit {b.limit}" for b in found if not b.met]


def budgets(
    stacks: dict[str, dict[str, Any]],
    everything: dict[str, Sample],
    scaling: dict[int, dict[str, Any]],
    review: dict[str, Sample],
) -> list[Budget]:
    found = stack_budgets(stacks)
    default = everything["default"].median_seconds
    found.append(
        Budget(
            "every stack in one command",
            f"≤ {ALL_STACKS_SECONDS:g} s",
            f"{default:.1f} s",
            default <= ALL_STACKS_SECONDS,
        )
    )
    found.append(
        Budget(
            "`review` of a one-stack change / `summary` of that stack",
            f"≤ {REVIEW_OVER_SUMMARY:g}",
            f"{review_ratio(review):.2f}",
            review_ratio(review) <= REVIEW_OVER_SUMMARY,
        )
    )
    for what, values in (
        ("plan time", {n: r["warmSeconds"] for n, r in scaling.items()}),
        ("memory", {n: r["sample"].median_mib for n, r in scaling.items()}),
    ):
        units = {n: v for n, v in per_unit(values).items() if n > BUDGETED_FROM}
        found.append(
            Budget(
                f"{what} per pool and team, 10 to 50",
                f"within {SCALING_SPREAD:.0%}",
                f"{spread(units):.0%} apart",
                spread(units) <= SCALING_SPREAD,
            )
        )
    for name, s in stacks.items():
        found.append(
            Budget(
                f"`{name}` imports no other cloud's SDK",
                "none",
                str(len(s["otherClouds"])),
                not s["otherClouds"],
            )
        )
    for name, s in stacks.items():
        chain = s["criticalPath"].chain
        found.append(
            Budget(
                f"`{name}` critical path",
                " → ".join(s["expectedChain"]),
                " → ".join(chain),
                chain == s["expectedChain"],
            )
        )
    return found


def report(
    stacks: dict[str, dict[str, Any]],
    everything: dict[str, Sample],
    scaling: dict[int, dict[str, Any]],
    review: dict[str, Sample],
    found: list[Budget],
    runs: int,
) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d")
    machine = f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}"
    out = [f"Measured {when} on {machine}; median of {runs} runs, each a whole process.", ""]
    out += [
        "| stack | resources | plan | floor | plan / floor | plan peak | floor peak "
        "| plan page faults | floor page faults |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, s in stacks.items():
        out.append(
            f"| `{name}` | {s['resources']} | {s['plan'].median_seconds:.2f} s "
            f"| {s['floor'].median_seconds:.2f} s | {ratio(s):.2f} "
            f"| {s['plan'].median_mib:.0f} MiB | {s['floor'].median_mib:.0f} MiB "
            f"| {s['plan'].median_faults:,.0f} | {s['floor'].median_faults:,.0f} |"
        )
    out += [
        "",
        "| every stack planned, checked and costed | wall | CPU | peak |",
        "| --- | ---: | ---: | ---: |",
    ]
    for how, command in (
        ("`mlplatform summary` (a planning process per CPU)", "default"),
        ("`mlplatform summary --jobs 1` (one process)", "one process"),
    ):
        s = everything[command]
        out.append(
            f"| {how} | {s.median_seconds:.1f} s | {s.median_cpu_seconds:.1f} s "
            f"| {s.median_mib:.0f} MiB |"
        )
    out += ["", *review_table(review)]
    out += [
        "",
        "| pools and teams | resources | `plan` | planned in a warm process | per added unit "
        "| `plan` peak | per added unit |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    cpu = per_unit({n: r["warmSeconds"] for n, r in scaling.items()})
    mib = per_unit({n: r["sample"].median_mib for n, r in scaling.items()})
    for n, r in scaling.items():
        out.append(
            f"| {n} | {r['resources']} | {r['sample'].median_seconds:.2f} s "
            f"| {r['warmSeconds']:.2f} s "
            f"| {f'{cpu[n] * 1000:.0f} ms' if n in cpu else '-'} "
            f"| {r['sample'].median_mib:.0f} MiB | {f'{mib[n]:.2f} MiB' if n in mib else '-'} |"
        )
    out += [
        "",
        "| stack | modules imported: " + " | ".join(SDKS) + " | beyond the floor |",
        "| --- |" + " ---: |" * (len(SDKS) + 1),
    ]
    for name, s in stacks.items():
        beyond = ", ".join(s["beyondFloor"]) or "none"
        counts = " | ".join(str(s["modules"][sdk]) for sdk in SDKS)
        out.append(f"| `{name}` | {counts} | {beyond} |")
    out += ["", "| stack | critical path | stages |", "| --- | ---: | --- |"]
    for name, s in stacks.items():
        path = s["criticalPath"]
        out.append(f"| `{name}` | {path.minutes:g} min | {' → '.join(path.chain)} |")
    out += ["", "| budget | limit | measured | met |", "| --- | --- | --- | --- |"]
    out += [
        f"| {b.name} | {b.limit} | {b.measured} | {'yes' if b.met else '**no**'} |" for b in found
    ]
    return "\n".join(out) + "\n"


def as_json(
    stacks: dict[str, dict[str, Any]],
    everything: dict[str, Sample],
    scaling: dict[int, dict[str, Any]],
    review: dict[str, Sample],
    found: list[Budget],
) -> dict[str, Any]:
    def sample(s: Sample) -> dict[str, Any]:
        return {
            "seconds": s.seconds,
            "cpuSeconds": s.cpu_seconds,
            "peakMiB": s.peak_mib,
            "pageFaults": s.faults,
        }

    return {
        "stacks": {
            name: {
                "resources": s["resources"],
                "plan": sample(s["plan"]),
                "floor": sample(s["floor"]),
                "modules": s["modules"],
                "beyondFloor": s["beyondFloor"],
                "criticalPath": {
                    "minutes": s["criticalPath"].minutes,
                    "chain": list(s["criticalPath"].chain),
                },
            }
            for name, s in stacks.items()
        },
        "summary": {how: sample(s) for how, s in everything.items()},
        "review": {command: sample(s) for command, s in review.items()},
        "scaling": {
            str(n): {
                "resources": r["resources"],
                "warmSeconds": r["warmSeconds"],
                **sample(r["sample"]),
            }
            for n, r in scaling.items()
        },
        "budgets": [b.__dict__ for b in found],
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description="The benchmark of the offline engine and the deployment graph, with budgets."
    )
    parser.add_argument("--runs", type=int, default=9, help="measured runs of each command")
    parser.add_argument("--json", type=Path, help="also write every run's figures here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlplatform-bench-") as scratch:
        print("plans and floors ...", file=sys.stderr)
        stacks = bench_stacks(project_stacks(ROOT), args.runs, Path(scratch))
        print("every stack in one command ...", file=sys.stderr)
        everything = bench_all(args.runs)
        print("a one-stack review beside its summary ...", file=sys.stderr)
        review = bench_review(args.runs, Path(scratch))
        print("scaling ...", file=sys.stderr)
        scaling = bench_scaling(args.runs, Path(scratch))
    found = budgets(stacks, everything, scaling, review)
    sys.stdout.write(report(stacks, everything, scaling, review, found, args.runs))
    if args.json:
        document = as_json(stacks, everything, scaling, review, found)
        args.json.write_text(json.dumps(document, indent=2))
    missed = missed_lines(found)
    for line in missed:
        print(line, file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
