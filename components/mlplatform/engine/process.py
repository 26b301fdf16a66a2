"""Process settings for the command line's short-lived runs.

A plan imports provider SDK modules that define tens of thousands of classes, and the SDK makes
several Outputs per resource property. CPython's cyclic collector, at its default thresholds,
ran a full collection 14 times while all shipped stacks were planned in one process, walking
every imported SDK object each time: about a third of the wall time. Young collections cost
too: with 50 000 allocations between them, each one during the SDK imports walked as many new
classes, functions and dicts (20 to 45 ms) and found next to nothing to free, about 0.3 s of an
aws-prod plan. Those objects live until the process exits, so the command line collects young
objects only every million allocations (the peak memory of a plan is unchanged, that of every
stack in one process 3% higher) and full collections practically never; and it freezes the
heap before the interpreter exits, whose final collection would otherwise walk it all once
more (3.7 s after all stacks had been planned). The figures are in docs/performance.md.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

GC_THRESHOLDS = (1_000_000, 20, 20)
"""Allocations before a young collection; young, then middle, collections before the next."""


@contextmanager
def short_lived() -> Iterator[None]:
    """Collector settings for a run that imports provider SDKs, plans, and exits."""
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.freeze()
