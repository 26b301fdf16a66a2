"""Recommended Kubernetes labels (app.kubernetes.io/*) for the platform's objects, and their
annotations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pulumi

if TYPE_CHECKING:
    import pulumi_kubernetes as k8s

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


def annotated(
    metadata: k8s.meta.v1.ObjectMetaArgsDict,
    annotations: pulumi.Input[Mapping[str, str]] | None,
) -> k8s.meta.v1.ObjectMetaArgsDict:
    """`metadata` with `annotations` when there are any (or an Output that will tell): the
    Kubernetes provider's Check drops an empty map, so sending one only makes what the program
    registers differ from what the engine records."""
    if isinstance(annotations, pulumi.Output) or annotations:
        metadata["annotations"] = annotations
    return metadata


def selector(name: str, component: str) -> dict[str, str]:
    """The immutable subset of `labels` used in selectors."""
    return {"app.kubernetes.io/name": name, "app.kubernetes.io/component": component}
