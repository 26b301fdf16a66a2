"""Registrations without source positions, while a program runs offline.

At every resource registration the SDK walks the whole Python stack
(`pulumi.runtime.resource._get_stack_trace`: a frame summary, a source-line lookup and a file
URI per frame) so that the Pulumi engine can point a diagnostic at the user's code. The
offline engine's capture never reads that trace; building it was 9% of the time spent planning
every shipped stack in one process. So while a program runs under the engine the SDK gets an
empty trace, which is what the SDK itself sends when it finds no user frame; its own function is
back in place as soon as the run ends. What is captured does not change (a test compares).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

SDK_FUNCTION = "_get_stack_trace"
"""The SDK function (pulumi.runtime.resource) that builds each registration's stack trace."""


def _empty_trace() -> Any:
    from pulumi.runtime.proto import source_pb2

    return source_pb2.StackTrace()


@contextmanager
def without_source_positions() -> Iterator[None]:
    """Within the block, registrations carry an empty stack trace and no source position."""
    from pulumi.runtime import resource

    original = getattr(resource, SDK_FUNCTION, None)
    if original is None:  # an SDK that no longer builds one: nothing to skip
        yield
        return
    setattr(resource, SDK_FUNCTION, _empty_trace)
    try:
        yield
    finally:
        setattr(resource, SDK_FUNCTION, original)
