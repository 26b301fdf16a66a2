"""Process settings for the command line's short-lived runs.

A plan imports provider SDK modules that define tens of thousands of classes, and the SDK makes
several Outputs per resource property. CPython's cyclic collector, at its default thresholds,
ran a full collection 14 times while all shipped stacks were planned in one process, walking
every imported SDK object each time: about a third of the wall time. Those objects live until
the process exits, so the command line raises the thresholds: young collections run 70 times
less often and full ones practically never, for a few per cent more peak memory; and it freezes
the heap before the interpreter exits, whose final collection would otherwise walk it all once
more (3.7 s after all stacks had been planned). The figures are in the README's performance
section.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

GC_THRESHOLDS = (50_000, 20, 20)
"""Allocations before a young collection; young, then middle, collections before the next."""


@contextmanager
def short_lived() -> Iterator[None]:
    """Collector settings for a run that imports provider SDKs, plans, and exits."""
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.freeze()
