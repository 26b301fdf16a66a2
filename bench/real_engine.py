"""The performance anchor of the real engine: `scripts/dev bench-engine [--json FILE]`.

For the `local` stack on a fresh loopback cluster (tools/cluster.py), with the plugins warm (the
engine's binaries on PATH, nothing to download or install):

- `mlplatform plan local` (the offline engine) beside the real `pulumi preview` of the same
  project: one run each, after one unmeasured preview that starts the language host and
  providers once, and their ratio;
- `pulumi up` of the stack from nothing, and the no-op `pulumi preview` after it.

The project is tools/workspace.py's copy of the `local` stack (the loopback context, the
engine tests' stand-in charts). It prints a Markdown table; these are figures to read, not
budgets (one run of each, on whatever else the machine is doing).
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))  # not a package

import cluster
import engine
from workspace import ROOT, environment, local_project

STACK = "local"


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Seconds `command` took; it must succeed."""
    started = time.monotonic()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(
            f"error: {' '.join(command)} exited {result.returncode}:\n{result.stderr[-3000:]}"
        )
    return seconds


def measure(folder: Path) -> dict[str, Any]:
    """Every figure, on a cluster and project made in `folder`."""
    built = engine.require()
    state = cluster.start(folder / "cluster", built.bin, built.kwok_stages, built.crd_files)
    try:
        project = local_project(folder / "project")
        env = environment(built.bin, folder, state.kubeconfig)
        pulumi = [str(built.bin / "pulumi"), "--non-interactive"]
        mlplatform = [str(ROOT / ".venv" / "bin" / "mlplatform")]
        timed([*pulumi[:1], "stack", "init", STACK], project, env)
        timed([*pulumi, "preview", "--stack", STACK], project, env)  # warm: hosts started once
        figures = {
            "plan": timed(
                [*mlplatform, "plan", STACK, "--format", "json", "--project-dir", str(project)],
                project,
                env,
            ),
            "preview": timed([*pulumi, "preview", "--stack", STACK], project, env),
            "up": timed([*pulumi, "up", "--yes", "--stack", STACK], project, env),
            "no-op preview": timed(
                [*pulumi, "preview", "--expect-no-changes", "--stack", STACK], project, env
            ),
        }
    finally:
        cluster.stop(folder / "cluster")
    return {
        "measured": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "seconds": figures,
        "preview / plan": figures["preview"] / figures["plan"],
    }


def report(found: dict[str, Any]) -> str:
    s = found["seconds"]
    return "\n".join(
        [
            f"Measured {found['measured']} ({found['machine']}); one run each, plugins warm.",
            "",
            "| `local` | seconds |",
            "| --- | ---: |",
            f"| `mlplatform plan local` (offline) | {s['plan']:.2f} |",
            f"| `pulumi preview` (real engine, loopback cluster) | {s['preview']:.2f} |",
            f"| preview / plan | {found['preview / plan']:.2f} |",
            f"| `pulumi up` from nothing | {s['up']:.2f} |",
            f"| `pulumi preview` after it (no changes) | {s['no-op preview']:.2f} |",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/dev bench-engine", description=__doc__)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mlplatform-bench-engine-") as folder:
        found = measure(Path(folder))
    print(report(found))
    if args.json:
        args.json.write_text(json.dumps(found, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
