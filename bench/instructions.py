"""Plan / floor in instructions: each stack's `mlplatform plan` and its floor counted by
valgrind, a figure that the machine's load does not move.

    scripts/dev bench-instructions [STACK ...]     # needs valgrind (apt-get install valgrind)

Wall times on a shared 2-core VM move by a third from one process to the next (bench/run.py
takes medians of many); the instructions a process executes move by well under 1% (thread
scheduling), so one run of each tells what a change to the engine, the spec or the components
costs, and this is what to measure such a change with. The budget itself stays on wall time
(bench/run.py): system calls and waits count there, not here. Each process runs 20 to 40 times
slower under valgrind: all stacks take about 20 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from run import PLAN_OVER_FLOOR, PYTHON, ROOT, floor_spec, plan_command

from mlplatform.engine.plan import Plan
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


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("stacks", nargs="*", help="Default: every shipped stack.")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed: apt-get install valgrind")
    stacks = args.stacks or project_stacks(ROOT)
    print("| stack | plan | floor | plan / floor |")
    print("| --- | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        for stack in stacks:
            out = scratch / f"{stack}.json"
            subprocess.run(plan_command(stack, out), cwd=ROOT, check=True, capture_output=True)
            plan = Plan.from_json(json.loads(out.read_text(encoding="utf-8")))
            spec = floor_spec(plan, scratch / f"{stack}-floor.json")
            floor = [PYTHON, str(ROOT / "bench" / "floor.py"), str(spec)]
            planned = instructions(plan_command(stack, out), scratch / "plan.log")
            floored = instructions(floor, scratch / "floor.log")
            ratio = planned / floored
            above = f" (above {PLAN_OVER_FLOOR})" if ratio > PLAN_OVER_FLOOR else ""
            counts = f"{planned / 1e9:.2f} G | {floored / 1e9:.2f} G"
            print(f"| `{stack}` | {counts} | {ratio:.3f}{above} |", flush=True)


if __name__ == "__main__":
    main()
