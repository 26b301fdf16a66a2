"""Layer 2.1, the environment spec: what every preflight check takes (`Preflight`) and is
(`Check`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import NamedTuple

from mlplatform.environment.errors import ConfigIssue
from mlplatform.environment.model import PlatformConfig


class Preflight(NamedTuple):
    """What a preflight check is judged against besides the spec."""

    today: date
    """The day support windows and dated tables are judged on."""
    platform_name: str | None = None
    """The `MlPlatform` resource's name, which every generated name starts from; None where it
    is not known (the spec read on its own), and then names are not checked."""


Check = Callable[[PlatformConfig, Preflight], Iterator[ConfigIssue]]
"""One preflight check: the spec and its context to the issues it finds."""
