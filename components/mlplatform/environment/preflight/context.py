"""Layer 2.1, the environment spec: what every preflight check takes (`Preflight`) and is
(`Check`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from mlplatform.environment.errors import ConfigIssue
from mlplatform.environment.model import PlatformConfig

if TYPE_CHECKING:
    from mlplatform.environment.preflight.names import GeneratedName


class Preflight(NamedTuple):
    """What a preflight check is judged against besides the spec."""

    today: date
    """The day support windows and dated tables are judged on."""
    platform_name: str | None = None
    """The `MlPlatform` resource's name, which every generated name starts from; None where it
    is not known (the spec read on its own), and then names are not checked."""
    names: tuple[GeneratedName, ...] | None = None
    """The names the platform generates for the spec judged, made once with the context
    (`preflight.context_for`) for every check that reads them; None: a check makes them."""


Check = Callable[[PlatformConfig, Preflight], Iterator[ConfigIssue]]
"""One preflight check: the spec and its context to the issues it finds."""
