"""Small assertions over captured plans, shared by the component tests."""

from __future__ import annotations

from mlplatform.engine import Plan, PlannedResource


def one(plan: Plan, type_: str, name_suffix: str = "") -> PlannedResource:
    """The single resource of `type_` whose name ends with `name_suffix`."""
    found = [r for r in plan.of_type(type_) if r.name.endswith(name_suffix)]
    assert len(found) == 1, f"expected one {type_} *{name_suffix}, found {[r.name for r in found]}"
    return found[0]


def depends_on(resource: PlannedResource, other: PlannedResource) -> bool:
    return other.urn in resource.dependencies
