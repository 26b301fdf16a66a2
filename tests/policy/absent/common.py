"""How a left-out case is named, so the coverage test can find the case for each `Absent`
entry of a rule."""

from __future__ import annotations

from typing import Any

from tests.policy.cases import Case


def case_name(type_: str, path: str) -> str:
    return f"{path} left out of {type_}"


def left_out(rule: str, type_: str, path: str, resources: Any, expected: Any) -> Case:
    """The case for the rule's `Absent(type_, path, ...)` entry: `resources` holds a resource
    of `type_` without `path`; `expected` is what the rule then reports."""
    return (rule, case_name(type_, path), resources, expected)
