"""Whole-process measurements: wall time and peak memory of a command over several runs, and
the modules a command imports (`python -X importtime`)."""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


class BenchError(RuntimeError):
    """A measured command failed."""


@dataclass
class Sample:
    """Every run of one command: wall seconds, CPU seconds (user and system, the process and
    the children it waited for), peak resident memory (MiB) and minor page faults (each page of
    memory a process touches first costs one: a few microseconds that no instruction count
    sees)."""

    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)
    faults: list[int] = field(default_factory=list)

    @property
    def median_seconds(self) -> float:
        return statistics.median(self.seconds)

    @property
    def median_cpu_seconds(self) -> float:
        return statistics.median(self.cpu_seconds)

    @property
    def median_mib(self) -> float:
        return statistics.median(self.peak_mib)

    @property
    def median_faults(self) -> float:
        return statistics.median(self.faults)


def run_once(
    command: Sequence[str], cwd: Path, ok: Sequence[int] = (0,)
) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in MiB, minor page faults) of one run. The child is
    reaped with wait4, whose resource usage is the child's and that of the processes it waited
    for (peak: the largest of them)."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(list(command), cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in ok:
            errors.seek(0)
            detail = errors.read().decode(errors="replace").strip()[-2000:]
            raise BenchError(f"{' '.join(command)} exited {process.returncode}: {detail}")
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, cpu, usage.ru_maxrss / 1024, usage.ru_minflt  # ru_maxrss: KiB on Linux


def measure(
    commands: dict[str, Sequence[str]], runs: int, cwd: Path, ok: Sequence[int] = (0,)
) -> dict[str, Sample]:
    """Each command once to warm the file cache (not counted), then `runs` rounds, the
    commands interleaved in each round so that drift in the machine's load hits all alike."""
    for command in commands.values():
        run_once(command, cwd, ok)
    samples = {name: Sample() for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            seconds, cpu, mib, faults = run_once(command, cwd, ok)
            samples[name].seconds.append(seconds)
            samples[name].cpu_seconds.append(cpu)
            samples[name].peak_mib.append(mib)
            samples[name].faults.append(faults)
    return samples


def imported_modules(command: Sequence[str], cwd: Path) -> set[str]:
    """Every module a Python command imports. `command` starts with the interpreter; the
    interpreter's own -X importtime report (stderr) names each module as it is imported."""
    python, *rest = command
    result = subprocess.run(
        [python, "-X", "importtime", *rest],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"{' '.join(command)} exited {result.returncode}: {result.stderr[-2000:]}")
    found = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            name = line.rsplit("|", 1)[1].strip()
            if name != "package":  # the header line
                found.add(name)
    return found
