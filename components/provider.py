"""The component package: every mlplatform component served to other languages.

`pulumi package add` runs `provider/__main__.py`, which calls `main()`: Pulumi's component
provider host infers the package schema from the components' type annotations and
docstrings and constructs them on request. `schema()` gives the same schema without
starting a server; `provider/schema.json` is its checked-in copy and the reference docs
are generated from it.
"""

import importlib
import inspect
import json
from typing import Any

import pulumi

import mlplatform

PACKAGE = "mlplatform"


def components() -> list[type[pulumi.ComponentResource]]:
    """Every component `mlplatform` exports, by name. Loads every cloud's SDK."""
    found = [getattr(mlplatform, name) for name in mlplatform.__all__ if name[:1].isupper()]
    return [c for c in found if inspect.isclass(c) and issubclass(c, pulumi.ComponentResource)]


def schema() -> dict[str, Any]:
    """The package schema the host serves over GetSchema."""
    component = importlib.import_module("pulumi.provider.experimental.component")
    provider = component.ComponentProvider(components(), PACKAGE, None, mlplatform.__version__)
    return json.loads(provider.schema)


def schema_text() -> str:
    """The schema as `provider/schema.json` holds it: indented, keys in order, newline."""
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    """Serve the components over Pulumi's provider protocol (the engine starts this)."""
    from pulumi.provider.experimental import component_provider_host

    component_provider_host(components=components(), name=PACKAGE, version=mlplatform.__version__)
