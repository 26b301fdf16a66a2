"""Configuration errors that name the field path, the bad value and the fix."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails


class _Missing:
    """No value given; one object, also after pickling (an error crosses from a worker)."""

    def __reduce__(self) -> str:
        return "_MISSING"

    def __repr__(self) -> str:
        return "<missing>"


_MISSING = _Missing()


class ConfigIssue(NamedTuple):
    """One problem in a stack config: where, what was given, and what to do."""

    path: str
    """Field path in camelCase as written in YAML, e.g. ``gpuPools[0].gpu``."""
    message: str
    """What is wrong and how to fix it."""
    value: Any = _MISSING
    """The bad value, when there is one."""

    def __str__(self) -> str:
        if self.value is _MISSING:
            return f"{self.path}: {self.message}"
        return f"{self.path}: {self.value!r} {self.message}"


class ConfigError(ValueError):
    """A stack config that cannot be built; raised before any resource exists."""

    def __init__(self, issues: Sequence[ConfigIssue], source: str = "stack config") -> None:
        self.issues = list(issues)
        self.source = source
        lines = "\n".join(f"  - {issue}" for issue in self.issues)
        super().__init__(f"invalid {source} ({len(self.issues)} problem(s)):\n{lines}")

    def __reduce__(self) -> tuple[type[ConfigError], tuple[list[ConfigIssue], str]]:
        return ConfigError, (self.issues, self.source)


def format_path(loc: Iterable[int | str]) -> str:
    """Render a pydantic location as ``gpuPools[0].gpu``."""
    out = ""
    for part in loc:
        if part == "[key]":  # the key of a map entry: the entry's path names it already
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "<root>"


def _model_at(model: type[BaseModel], loc: Sequence[int | str]) -> type[BaseModel] | None:
    """Follow a location through nested models to the model that holds its last key."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        field = next(
            (f for name, f in current.model_fields.items() if part in (name, f.alias)), None
        )
        if field is None:
            return None
        current = _nested_model(field.annotation)
    return current


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _nested_model(arg)
        if found is not None:
            return found
    return None


def _issue_from_pydantic(model: type[BaseModel], error: ErrorDetails) -> ConfigIssue:
    loc = list(error["loc"])
    path = format_path(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        holder = _model_at(model, loc[:-1])
        allowed = sorted(f.alias or n for n, f in holder.model_fields.items()) if holder else []
        hint = f"; use one of: {', '.join(allowed)}" if allowed else ""
        return ConfigIssue(path, f"is not a known key; remove it or fix its spelling{hint}")
    if kind == "missing":
        return ConfigIssue(path, "is required; add it to the stack config")
    msg = error["msg"]
    if kind.startswith("value_error"):
        msg = msg.removeprefix("Value error, ")
    else:
        msg = f"is invalid: {msg[0].lower()}{msg[1:]}"
    if kind == "string_pattern_mismatch" and (expected := _described(model, loc)):
        msg = f"{msg}; expected: {expected}"
    return ConfigIssue(path, msg, error.get("input"))


def _described(model: type[BaseModel], loc: list[Any]) -> str | None:
    """The first sentence of the field's docstring: what a valid value looks like."""
    parts = list(loc)
    while parts and isinstance(parts[-1], int):  # an item of a list field: describe the field
        parts.pop()
    holder = _model_at(model, parts[:-1]) if parts else None
    if holder is None:
        return None
    field = next((f for n, f in holder.model_fields.items() if parts[-1] in (n, f.alias)), None)
    if field is None or not field.description:
        return None
    return re.split(r"\.\s+(?=[A-Z])", field.description.strip())[0].rstrip(".")


def from_validation_error(
    model: type[BaseModel], exc: ValidationError, source: str = "stack config"
) -> ConfigError:
    """Turn pydantic's errors into ours, with camelCase paths and a fix for each."""
    return ConfigError([_issue_from_pydantic(model, e) for e in exc.errors()], source)
