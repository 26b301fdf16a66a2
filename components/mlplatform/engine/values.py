"""Turning Pulumi's wire values into plain, JSON-safe plan values.

Secrets become "[secret]", unknowns "[unknown]", resource references their
URN, and whole-number floats (protobuf Struct numbers are doubles) ints.
"""

from __future__ import annotations

from typing import Any

from google.protobuf import struct_pb2

SECRET = "[secret]"
UNKNOWN = "[unknown]"
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    """A registration's `object` as plain values."""
    return {key: plain(_unwrapped(value)) for key, value in sorted(struct.items())}


def _unwrapped(value: Any) -> Any:
    """A Struct field's value with its nested Structs and ListValues as dicts and lists, as
    `json_format.MessageToDict` gives it (numbers are floats, null is None), without that
    function's generic walk over each message's descriptor."""
    if isinstance(value, struct_pb2.Struct):
        return {key: _unwrapped(v) for key, v in value.items()}
    if isinstance(value, struct_pb2.ListValue):
        return [_unwrapped(v) for v in value]
    return value


def plain(value: Any) -> Any:
    """One wire value as a plain value (see module docstring)."""
    if isinstance(value, dict):
        return _plain_object(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value == UNKNOWN_VALUE:
        return UNKNOWN
    return value


def _plain_object(value: dict[str, Any]) -> Any:
    sig = value.get(SIG_KEY)
    if sig == SECRET_SIG:
        return SECRET
    if sig == RESOURCE_SIG:
        return value.get("urn", UNKNOWN)
    if sig == OUTPUT_SIG:
        if value.get("secret"):
            return SECRET
        return plain(value["value"]) if "value" in value else UNKNOWN
    return {key: plain(v) for key, v in sorted(value.items())}
