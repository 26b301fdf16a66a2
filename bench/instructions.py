"""The benchmark's plan / floor and scaling budgets in instructions: each process counted by
valgrind, a figure that the machine's load does not move.

    scripts/dev bench-instructions [STACK ...]     # installs valgrind (Debian) if it is missing

On a shared 2-core VM one process's wall time moves by a third from one run to the next
(bench/run.py takes medians of nine, and a median still moves by 0.1): a stack whose plan costs
1.15 times its floor has come out at 1.31. The instructions a process executes move by well
under 1% (thread scheduling), so one run of each settles what a change costs and whether a
budget is met. It counts:

- each stack's `mlplatform plan --format json` and its floor (bench/floor.py), plan / floor
  against bench/run.py's ratio budget (1.3) for every stack: a count has no seconds, so the
  sub-second floors' plan - floor budget (bench/plan_budget.py) is bench/run.py's alone;
- whole plans of aws-dev grown to 1, 10, 25 and 50 GPU pools and teams (bench/scaling.py):
  instructions per added pool and team, within the same 20% from 10 to 50.

System calls and waiting are not instructions: bench/run.py's wall times stay the figures a
user sees. Under valgrind each process runs 20 to 40 times slower; the processes run one per
CPU, all of it in about 25 minutes on 2 cores. Exits 1 when a budget is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from plan_budget import PLAN_OVER_FLOOR
from run import ROOT, SCALING_SPREAD, plan_and_floor, plan_command
from scaling import BUDGETED_FROM, per_unit, spread, write_stacks

from mlplatform.engine.runner import project_stacks

REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def instructions(command: list[str], log: Path) -> int:
    """The instructions `command` executes, every thread and the interpreter's start and exit
    included (cachegrind without its cache simulation; string hashing fixed)."""
    subprocess.run(
        [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            f"--log-file={log}",
            *command,
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    found = REFS.search(log.read_text(encoding="utf-8"))
    if found is None:
        raise SystemExit(f"no instruction count in {log}")
    return int(found.group(1).replace(",", ""))


def count_all(commands: dict[str, list[str]], scratch: Path) -> dict[str, int]:
    """`instructions` of every command, one per CPU at a time."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        futures = {
            key: pool.submit(instructions, command, scratch / f"{key}.log")
            for key, command in commands.items()
        }
        return {key: future.result() for key, future in futures.items()}


def giga(count: float) -> str:
    return f"{count / 1e9:.2f} G"


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("stacks", nargs="*", help="Default: every shipped stack.")
    parser.add_argument("--no-scaling", action="store_true", help="Count only the stacks.")
    parser.add_argument("--json", type=Path, help="Also write every count here.")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed: apt-get install valgrind")
    stacks = args.stacks or project_stacks(ROOT)
    commands: dict[str, list[str]] = {}
    missed: list[str] = []
    lines = ["| stack | plan | floor | plan / floor |", "| --- | ---: | ---: | ---: |"]
    with tempfile.TemporaryDirectory(prefix="mlplatform-instructions-") as tmp:
        scratch = Path(tmp)
        for stack in stacks:
            _, commands[f"plan {stack}"], commands[f"floor {stack}"] = plan_and_floor(
                stack, scratch
            )
        sizes = {} if args.no_scaling else write_stacks(ROOT, scratch)
        for units, path in sizes.items():
            commands[f"scale {units}"] = plan_command(str(path), scratch / f"scale-{units}.json")
        print(f"counting {len(commands)} processes under valgrind ...", file=sys.stderr)
        counts = count_all(commands, scratch)
    for stack in stacks:
        planned, floored = counts[f"plan {stack}"], counts[f"floor {stack}"]
        ratio = planned / floored
        if ratio > PLAN_OVER_FLOOR:
            missed.append(f"`{stack}` plan / floor {ratio:.3f}")
        lines.append(f"| `{stack}` | {giga(planned)} | {giga(floored)} | {ratio:.3f} |")
    if sizes:
        lines += ["", "| pools and teams | `plan` | per added unit |", "| ---: | ---: | ---: |"]
        units = per_unit({n: float(counts[f"scale {n}"]) for n in sizes})
        for n in sizes:
            step = f"{units[n] / 1e6:.0f} M" if n in units else "-"
            lines.append(f"| {n} | {giga(counts[f'scale {n}'])} | {step} |")
        budgeted = {n: v for n, v in units.items() if n > BUDGETED_FROM}
        apart = spread(budgeted)
        lines.append(f"\nPer added unit from 10 to 50: {apart:.0%} apart.")
        if apart > SCALING_SPREAD:
            missed.append(f"instructions per pool and team {apart:.0%} apart")
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps(counts, indent=2), encoding="utf-8")
    if missed:
        print(f"budgets missed: {'; '.join(missed)}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
