"""Attribute docstrings as field descriptions: the string under each annotated attribute of a
spec model becomes that field's `description`, as pydantic's `use_attribute_docstrings` makes
it, from one scan of the module's source instead of one walk of the call stack, one search of
`sys.modules` and one tokenization per class (a quarter of the spec's import time).

The scan is a regular expression over source laid out as `ruff format` lays it out (a class
at column 0, its attributes at column 4, each docstring opening on the line under its
attribute's last line), not a parse: `ast.parse` of spec/model.py alone cost 22 M instructions
of every command. The tests check it against `ast` for every spec model."""

from __future__ import annotations

import functools
import inspect
import re
import sys

from pydantic import BaseModel

_CLASS = re.compile(r"^class (\w+)\b", re.M)
_ATTRIBUTE_DOCSTRING = re.compile(
    r"^    (\w+):[^\n]*\n"  # `name: annotation [= value]` in a class body
    r"(?:(?:        |    [)\]}])[^\n]*\n)*"  # the rest of that statement
    r'    """(.*?)"""',  # the docstring right under it
    re.M | re.S,
)


@functools.cache
def module_docstrings(module: str) -> dict[str, dict[str, str]]:
    """{class name: {attribute: docstring}} for the top-level classes of `module`."""
    path = getattr(sys.modules.get(module), "__file__", None)
    if path is None:  # no source (an interactive session): no descriptions
        return {}
    with open(path, encoding="utf-8") as source:
        text = source.read()
    starts = [(match.start(), match[1]) for match in _CLASS.finditer(text)]
    ends = [start for start, _ in starts[1:]] + [len(text)]
    return {
        name: {
            match[1]: inspect.cleandoc(match[2])
            for match in _ATTRIBUTE_DOCSTRING.finditer(text, start, end)
        }
        for (start, name), end in zip(starts, ends, strict=True)
    }


def describe_fields(model: type[BaseModel]) -> None:
    """Give each field of `model` without a description the docstring under its attribute.
    Called before the model's schema is built (the models defer it), so the JSON schema has
    them too."""
    docs = module_docstrings(model.__module__).get(model.__qualname__, {})
    for name, field in model.__pydantic_fields__.items():
        if field.description is None and name in docs:
            field.description = docs[name]
