"""The floor a stack's plan is measured against: a process that imports exactly the provider
SDK classes the stack uses and registers as many trivial resources under the same mocks and
recording monitor, with the same process and engine settings as the command line.

    python bench/floor.py SPEC.json     SPEC: {"classes": ["module:Class", ...], "resources": N}
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path


def register(count: int) -> int:
    """Register `count` trivial custom resources; the number of registrations captured."""
    import pulumi
    from pulumi.runtime import mocks
    from pulumi.runtime.stack import run_pulumi_func
    from pulumi.runtime.sync_await import _sync_await

    from mlplatform.engine.capture import RecordingMonitor
    from mlplatform.engine.mocks import PlatformMocks
    from mlplatform.engine.source_positions import without_source_positions

    monitor = RecordingMonitor(PlatformMocks())
    mocks.set_mocks(monitor.mocks, project="bench", stack="floor", preview=True, monitor=monitor)

    def program() -> None:
        for i in range(count):
            pulumi.CustomResource("bench:index:Trivial", f"trivial-{i}", {})

    with without_source_positions():  # as the engine runs a program
        _sync_await(run_pulumi_func(program))
    return len(monitor.captured)


def main(spec_path: str) -> None:
    from mlplatform.engine.process import short_lived

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    with short_lived():
        for item in spec["classes"]:
            module, name = item.split(":")
            getattr(importlib.import_module(module), name)
        captured = register(spec["resources"])
    if captured != spec["resources"] + 1:  # and the root stack
        raise SystemExit(f"floor: {captured} registrations, expected {spec['resources'] + 1}")


if __name__ == "__main__":
    main(sys.argv[1])
