"""Plan time per size of the scaling workload, inside one warm process.

A unit (a GPU pool and a team) costs tens of milliseconds, while a whole `mlplatform plan` is
seconds, most of them imports that do not grow with the stack; on a shared machine a run's
noise is larger than nine units. So this process imports and plans every size once, then plans
each size RUNS times more and prints the median seconds per size as JSON.

    python bench/scale_probe.py RUNS STACK.yaml...
"""

from __future__ import annotations

import json
import statistics
import sys
import time


def main(runs: int, paths: list[str]) -> None:
    from mlplatform.engine import run_stack
    from mlplatform.engine.process import short_lived

    with short_lived():
        for path in paths:  # warm: imports, the SDK's per-class reflection
            run_stack(path)
        seconds: dict[str, list[float]] = {path: [] for path in paths}
        for _ in range(runs):
            for path in paths:
                start = time.perf_counter()
                run_stack(path)
                seconds[path].append(time.perf_counter() - start)
    print(json.dumps({path: statistics.median(s) for path, s in seconds.items()}))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2:])
