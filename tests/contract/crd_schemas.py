"""Custom resources checked against their CRDs' own `openAPIV3Schema`, with `jsonschema`.

`schemas(files)` reads CRD files (as an operator's Go module ships them) into one validator per
served (apiVersion, kind); `errors(manifest, found)` lists what the API server's schema check
would refuse, each as `<Kind> <name>: <field path>: <message>`.

The API server prunes fields a structural schema does not name; here they are errors (as
`kubectl apply --validate=strict` makes them), so a misspelled or renamed field is caught
rather than silently dropped. What `jsonschema` cannot evaluate is left to the engine tier,
where the loopback API server checks the same objects for real: the CEL rules
(`x-kubernetes-validations`), list uniqueness (`x-kubernetes-list-type: set | map`) and
`format`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jsonschema
import yaml

Key = tuple[str, str]
"""(apiVersion, kind)."""


_READER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # without libyaml: Python's


class _Loader(_READER):
    """PyYAML reads a bare `=` as YAML 1.1's value key; in CRD files it is a string. libyaml
    reads when PyYAML has it: ten times faster on Kueue's 1.4 MB Workload CRD."""


_Loader.add_constructor("tag:yaml.org,2002:value", lambda _loader, node: node.value)


def strict(schema: Any) -> Any:
    """`schema` with every object that names its properties closed to others
    (`additionalProperties: false`), unless it keeps unknown fields
    (`x-kubernetes-preserve-unknown-fields`) or says what other keys hold; and `nullable`
    as JSON Schema's `null` type."""
    if not isinstance(schema, dict):
        return schema
    closed = dict(schema)
    if "properties" in closed:
        closed["properties"] = {k: strict(v) for k, v in closed["properties"].items()}
        if "additionalProperties" not in closed and not closed.get(
            "x-kubernetes-preserve-unknown-fields"
        ):
            closed["additionalProperties"] = False
    if isinstance(closed.get("additionalProperties"), dict):
        closed["additionalProperties"] = strict(closed["additionalProperties"])
    if "items" in closed:
        closed["items"] = strict(closed["items"])
    for key in ("anyOf", "allOf", "oneOf"):
        if key in closed:
            closed[key] = [strict(s) for s in closed[key]]
    if closed.get("nullable") and isinstance(closed.get("type"), str):
        closed["type"] = [closed["type"], "null"]
    return closed


def schemas(files: Iterable[Path]) -> dict[Key, jsonschema.Draft4Validator]:
    """A validator per served version of each CRD in `files`. OpenAPI 3.0, which CRD schemas
    are written in, is JSON Schema draft 4's vocabulary (a boolean `exclusiveMinimum`)."""
    found: dict[Key, jsonschema.Draft4Validator] = {}
    for path in files:
        crd = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            if version.get("served"):
                schema = strict(version["schema"]["openAPIV3Schema"])
                found[(f"{group}/{version['name']}", kind)] = jsonschema.Draft4Validator(schema)
    return found


def integral(value: Any) -> Any:
    """A plan's numbers are floats (the SDK sends protobuf doubles); the provider sends an
    integral one as an integer, which is what the API server's `integer` sees."""
    if isinstance(value, dict):
        return {k: integral(v) for k, v in value.items()}
    if isinstance(value, list):
        return [integral(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def errors(manifest: dict[str, Any], found: dict[Key, jsonschema.Draft4Validator]) -> list[str]:
    """What the CRD schema of `manifest`'s apiVersion and kind refuses in it (no CRD serving
    that version is itself an error)."""
    key = (manifest.get("apiVersion", ""), manifest.get("kind", ""))
    name = f"{key[1]} {manifest.get('metadata', {}).get('name', '?')}"
    validator = found.get(key)
    if validator is None:
        return [f"{name}: no CRD serves {key[0]} {key[1]}"]
    found_errors = sorted(
        validator.iter_errors(integral(manifest)),
        key=lambda e: ([str(p) for p in e.absolute_path], e.message),
    )
    return [
        f"{name}: {'.'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in found_errors
    ]
