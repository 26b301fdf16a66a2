"""The floor a stack's plan is measured against: a process that imports exactly the provider
SDK classes the stack uses and registers as many trivial resources under the same mocks and
recording monitor, with the same process and engine settings as the command line.

Each resource is an instance of the class the plan has at that place, given placeholder values
for its required inputs only, and each component a bare ComponentResource: so the floor pays
what the SDK itself costs per class (azure-native resources carry a type alias for each of up to
110 API versions; every output property becomes an Output) and nothing of mlplatform's: no spec,
no composition, no real values, no command line, no rendering. The default providers the
engine makes for a package whose resources name none (`pulumi:providers:<package>` named
`default_<version>` at the root) are the engine's: the floor's monitor makes its own for its
resources as the plan's did, so a spec leaves them out and the floor does not count them.

    python bench/floor.py SPEC.json
    SPEC: {"resources": ["module:Class", ...], "components": N}
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
import sys
from pathlib import Path
from typing import Any

from mlplatform.engine.capture import PROVIDER_TYPE_PREFIX

MISSING = re.compile(r"Missing required property '(\w+)'")
CUSTOM_RESOURCE = "pulumi_kubernetes.apiextensions:CustomResource"
DEFAULT_PROVIDER = "default"
"""The name the engine gives a default provider, before its version's parts
(mlplatform.engine.capture.default_provider_name): `default` or `default_<...>`."""


def engine_default_provider(type_: str, name: str, parent: str | None) -> bool:
    """Whether a registration is a default provider the engine made (as
    mlplatform.engine.capture records one): a provider at the root named as the engine names
    one, `default` or `default_<version>` (not the program's own `default-eu`)."""
    named = name == DEFAULT_PROVIDER or name.startswith(f"{DEFAULT_PROVIDER}_")
    return type_.startswith(PROVIDER_TYPE_PREFIX) and parent is None and named


def sdk_class(item: str) -> Any:
    module, name = item.split(":")
    return getattr(importlib.import_module(module), name)


def placeholder(cls: Any, prop: str) -> Any:
    """A value of the kind the constructor's annotation of `prop` names: a list, a map (an
    input type), a number, a boolean or text."""
    parameter = inspect.signature(cls._internal_init).parameters.get(prop)
    hint = str(parameter.annotation) if parameter is not None else ""
    if "Sequence[" in hint:
        return []
    if "Mapping[" in hint:
        return {}
    if "str" in hint:  # text, or a document that may be given as text
        return "placeholder"
    if "Args" in hint:
        return {}
    if "int]" in hint or "float]" in hint:
        return 1
    if "bool]" in hint:
        return False
    return "placeholder"


def trivial(item: str, name: str) -> None:
    """An instance of `item` with placeholders for the inputs its constructor requires."""
    cls = sdk_class(item)
    if item == CUSTOM_RESOURCE:  # required positionally
        cls(name, api_version="bench.mlplatform.io/v1", kind="Trivial")
        return
    given: dict[str, Any] = {}
    while True:
        try:
            cls(name, **given)
            return
        except TypeError as exc:  # raised before anything registers
            missing = MISSING.search(str(exc))
            if missing is None or missing[1] in given:
                raise
            given[missing[1]] = placeholder(cls, missing[1])


def register(resources: list[str], components: int) -> int:
    """Register the resources and components; the number of registrations captured, the
    engine's default providers not counted."""
    import pulumi
    from pulumi.runtime import mocks
    from pulumi.runtime.stack import run_pulumi_func
    from pulumi.runtime.sync_await import _sync_await

    from mlplatform.engine.capture import RecordingMonitor
    from mlplatform.engine.mocks import PlatformMocks
    from mlplatform.engine.source_positions import without_source_positions

    monitor = RecordingMonitor(PlatformMocks())
    mocks.set_mocks(monitor.mocks, project="bench", stack="floor", preview=True, monitor=monitor)

    def program() -> None:
        for i in range(components):
            pulumi.ComponentResource("bench:index:Component", f"component-{i}")
        for i, item in enumerate(resources):
            trivial(item, f"resource-{i}")

    with without_source_positions():  # as the engine runs a program
        _sync_await(run_pulumi_func(program))
    return sum(1 for r in monitor.captured if not engine_default_provider(r.type, r.name, r.parent))


def main(spec_path: str) -> None:
    from mlplatform.engine.process import short_lived

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    resources, components = spec["resources"], spec["components"]
    with short_lived():
        for item in sorted(set(resources)):
            sdk_class(item)
        captured = register(resources, components)
    expected = len(resources) + components + 1  # and the root stack
    if captured != expected:
        raise SystemExit(f"floor: {captured} registrations, expected {expected}")


if __name__ == "__main__":
    main(sys.argv[1])
