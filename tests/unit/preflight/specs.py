"""What the preflight tests share: the smallest valid spec of each target, the day they judge
on, and the runner that gives a module's checks' issues of a spec."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from mlplatform.environment import ConfigIssue, PlatformConfig
from mlplatform.environment.preflight import Check, Preflight

AWS = {"target": "aws", "environment": "dev", "region": "us-east-1"}
AZURE = {"target": "azure", "environment": "dev", "region": "westeurope"}
GCP = {
    "target": "gcp",
    "environment": "dev",
    "region": "us-central1",
    "gcp": {"project": "my-ml-project"},
}
LOCAL = {"target": "kubernetes", "environment": "dev"}
TODAY = Preflight(date(2026, 12, 6))
"""The day every preflight test judges on (the day the facts were read)."""


def spec(values: dict[str, Any]) -> PlatformConfig:
    return PlatformConfig.model_validate(values)


def found(
    checks: Sequence[Check], values: dict[str, Any], at: Preflight = TODAY
) -> list[ConfigIssue]:
    """Every issue that `checks` (a module's ERRORS or WARNINGS) find in `values`, in order."""
    cfg = spec(values)
    return [issue for check in checks for issue in check(cfg, at)]
