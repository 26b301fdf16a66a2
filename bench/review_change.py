"""`mlplatform review` of a one-stack change beside `mlplatform summary` of that stack: the
review plans the stack twice (at the base and now) where the summary plans it once, and both
check and cost it, so the review should take at most twice as long.

The change is made in a clone of this repository's last commit: the gcp-dev L4 spot pool may
grow to three nodes, committed on top, and reviewed against HEAD~1 (as the README's sample
comment). Part of `scripts/dev bench` (bench/run.py); alone:

    .venv/bin/python bench/review_change.py [--runs N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import Sample, measure

ROOT = Path(__file__).resolve().parents[1]
MLPLATFORM = [sys.executable, "-m", "mlplatform"]
STACK = "gcp-dev"
CHANGE = ("maxNodes: 2", "maxNodes: 3")
REVIEW_OVER_SUMMARY = 2.0
"""`review` of a one-stack change takes at most this many times `summary` of that stack."""


def git(repo: Path, *args: str) -> None:
    command = ["git", "-C", str(repo), "-c", "user.name=bench", "-c", "user.email=b@example.com"]
    subprocess.run([*command, *args], check=True, capture_output=True)


def changed_clone(scratch: Path) -> Path:
    """A clone of the last commit with the one-stack change committed on top."""
    repo = scratch / "review-repo"
    git(ROOT, "clone", "--quiet", str(ROOT), str(repo))
    config = repo / "stacks" / f"Pulumi.{STACK}.yaml"
    text = config.read_text(encoding="utf-8")
    if CHANGE[0] not in text:
        raise SystemExit(f"{config} no longer has {CHANGE[0]!r}: update bench/review_change.py")
    config.write_text(text.replace(*CHANGE), encoding="utf-8")
    git(repo, "commit", "--quiet", "-am", "one stack changed")
    return repo


def bench_review(runs: int, scratch: Path) -> dict[str, Sample]:
    """`review HEAD~1` and `summary STACK` in the changed clone, interleaved."""
    repo = changed_clone(scratch)
    review = [*MLPLATFORM, "review", "HEAD~1", "--output", str(scratch / "review.md")]
    summary = [*MLPLATFORM, "summary", STACK, "--format", "json"]
    return measure({"review": review, "summary": summary}, runs, repo)


def ratio(samples: dict[str, Sample]) -> float:
    return samples["review"].median_seconds / samples["summary"].median_seconds


def table(samples: dict[str, Sample]) -> list[str]:
    lines = [
        f"| a one-stack change ({STACK}) | wall | CPU | peak |",
        "| --- | ---: | ---: | ---: |",
    ]
    for how, name in (("`mlplatform review HEAD~1`", "review"), (f"`summary {STACK}`", "summary")):
        s = samples[name]
        lines.append(
            f"| {how} | {s.median_seconds:.1f} s | {s.median_cpu_seconds:.1f} s "
            f"| {s.median_mib:.0f} MiB |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(
        description="mlplatform review of a one-stack change beside summary of that stack"
    )
    parser.add_argument("--runs", type=int, default=9, help="measured runs of each command")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlplatform-bench-") as scratch:
        samples = bench_review(args.runs, Path(scratch))
    met = ratio(samples) <= REVIEW_OVER_SUMMARY
    print("\n".join(table(samples)))
    print(f"\nreview / summary: {ratio(samples):.2f} (budget ≤ {REVIEW_OVER_SUMMARY:g}): ", end="")
    print("met" if met else "**missed**")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
