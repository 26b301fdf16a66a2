"""Layer 2.1, the environment spec: preflight, what a cloud would refuse at `pulumi up` (or
accept into a platform that cannot work), found at plan time from the spec alone.

Each module checks one class of limit against dated facts in `mlplatform.catalog.limits`
(layer 1): generated names (`names`), regions, zones and GPU shapes per region (`regions`),
Kubernetes version windows (`versions`), networks (`networks`), tags and labels (`tags`),
databases and disks (`databases`), node CPU architecture (`nodes`), GPU sharing (`sharing`),
Kubernetes quantities, names and namespaces (`kubernetes`), and capacity coherence
(`capacity`). A module gives `ERRORS`, checks whose findings stop the plan (exit 2, every
problem at once, before any resource exists), and `WARNINGS`, checks whose findings are shown
but let the plan go on (a fact we have no data for is a warning, never a pass).

The spec's own validation runs every module's errors (`rules.check`), the names' only when it
is given the platform's name, which a generated name starts from (`from_pulumi(platform_name=
...)`); `MlPlatform`, which knows it, runs the names' errors and every warning
(`for_platform`). Each judges in one context (`context_for`), which makes the generated names
once for the checks that read them. Dated windows are judged on `today()`: the current date,
or the day `MLPLATFORM_PREFLIGHT_DATE` names (the tests pin it, so the suite does not change
with the calendar; a reviewer can ask how a spec fares on a later day).
"""

from __future__ import annotations

import os
from datetime import date

from mlplatform.environment.errors import ConfigError, ConfigIssue
from mlplatform.environment.model import PlatformConfig
from mlplatform.environment.preflight import (
    capacity,
    databases,
    kubernetes,
    names,
    networks,
    nodes,
    regions,
    sharing,
    tags,
    versions,
)
from mlplatform.environment.preflight.context import Check, Preflight

__all__ = ["Check", "Preflight", "context_for", "errors", "for_platform", "today", "warnings"]

TODAY_VARIABLE = "MLPLATFORM_PREFLIGHT_DATE"
"""The environment variable that names the day preflight judges on (YYYY-MM-DD)."""


def today() -> date:
    """The day dated windows are judged on: `TODAY_VARIABLE`'s when set, else the current
    date. A value that is not a date raises `ConfigError` naming the variable."""
    text = os.environ.get(TODAY_VARIABLE, "")
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        issue = ConfigIssue(TODAY_VARIABLE, "is not a date; use YYYY-MM-DD, or unset it", text)
        raise ConfigError([issue], "the environment") from None


def context_for(cfg: PlatformConfig, on: date, platform_name: str | None = None) -> Preflight:
    """The context `cfg` is judged in on the day `on`; with `platform_name`, the names the
    platform generates for it, made once here for every check that reads them."""
    found = None if platform_name is None else tuple(names.generated_names(cfg, platform_name))
    return Preflight(on, platform_name, found)


SPEC_MODULES = (regions, versions, networks, tags, databases, nodes, sharing, kubernetes, capacity)
"""The modules judged from the spec alone, in the order their findings are listed."""


def errors(cfg: PlatformConfig, at: Preflight) -> list[ConfigIssue]:
    """Every preflight error of `cfg`; generated names too when `at` names the platform."""
    modules = (names, *SPEC_MODULES) if at.platform_name is not None else SPEC_MODULES
    return [issue for module in modules for check in module.ERRORS for issue in check(cfg, at)]


def warnings(cfg: PlatformConfig, at: Preflight) -> list[ConfigIssue]:
    """Every preflight warning of `cfg`: what could not be judged, or will work but cost or
    surprise."""
    modules = (names, *SPEC_MODULES)
    return [issue for module in modules for check in module.WARNINGS for issue in check(cfg, at)]


def for_platform(
    cfg: PlatformConfig, platform_name: str, on: date | None = None
) -> tuple[list[ConfigIssue], list[ConfigIssue]]:
    """(errors, warnings) `MlPlatform` adds to the spec's own validation: the generated names'
    errors, and every warning, judged `on` that day (default `today()`)."""
    at = context_for(cfg, on or today(), platform_name)
    issues = [issue for check in names.ERRORS for issue in check(cfg, at)]
    return issues, warnings(cfg, at)
