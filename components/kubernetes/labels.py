"""Recommended Kubernetes labels (app.kubernetes.io/*) for the platform's objects."""

from __future__ import annotations

from collections.abc import Mapping

PART_OF = "mlplatform"


def labels(name: str, component: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The recommended labels plus `extra` (user tags)."""
    return {
        **(extra or {}),
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/part-of": PART_OF,
        "app.kubernetes.io/managed-by": "pulumi",
    }


def selector(name: str, component: str) -> dict[str, str]:
    """The immutable subset of `labels` used in selectors."""
    return {"app.kubernetes.io/name": name, "app.kubernetes.io/component": component}
