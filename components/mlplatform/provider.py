"""The component package: every mlplatform component served to other languages.

`pulumi package add` runs `provider/__main__.py`, which calls `main()`: Pulumi's component
provider infers the package schema from the components' type annotations and docstrings
and constructs them on request. `schema()` gives the same schema without starting a
server; `provider/schema.json` is its checked-in copy and the reference docs are generated
from it.

The schema is served in the form the Pulumi schema model holds it, which is what `pulumi
package get-schema` prints (`_canonical`). `Provider` is the SDK's `ComponentProvider` with one
fix: the protocol carries every number as a double, and the SDK (3.272) converts integer inputs
with `int()` but then keeps the float, so `max_gpus` would arrive as 2.0 and a volume as
"50.0Gi". Integer inputs, in lists, maps and nested types too, reach the components as `int`.
It also dedents the descriptions it takes from docstrings.
"""

import inspect
import json
import sys
from typing import Any

import pulumi
from pulumi.errors import InputPropertyError
from pulumi.provider.experimental.analyzer import (
    ComponentDefinition,
    PropertyDefinition,
    PropertyType,
    TypeDefinition,
)
from pulumi.provider.experimental.component import ComponentProvider

import mlplatform

PACKAGE = "mlplatform"


def _integers(value: Any, prop: PropertyDefinition, path: str) -> Any:
    """`value` with the integers `prop` declares as `int` (within outputs, lists, maps)."""
    if isinstance(value, pulumi.Output):
        return value.apply(lambda v: _integers(v, prop, path))
    if prop.type == PropertyType.INTEGER and isinstance(value, float):
        if not value.is_integer():
            raise InputPropertyError(path, f"{path} must be a whole number, not {value}")
        return int(value)
    if prop.type == PropertyType.ARRAY and prop.items is not None and isinstance(value, list):
        return [_integers(v, prop.items, f"{path}[{i}]") for i, v in enumerate(value)]
    extra = prop.additional_properties
    if prop.type == PropertyType.OBJECT and extra is not None and isinstance(value, dict):
        return {k: _integers(v, extra, f"{path}.{k}") for k, v in value.items()}
    return value


def _clean_descriptions(node: Any) -> Any:
    """Docstrings as text: the SDK keeps their source indentation, which Markdown renders
    as code in every generated SDK's docs."""
    if isinstance(node, dict):
        return {
            k: inspect.cleandoc(v)
            if k == "description" and isinstance(v, str)
            else _clean_descriptions(v)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_clean_descriptions(v) for v in node]
    return node


TYPE_SPEC_KEYS = ("items", "additionalProperties")
"""Where the schema holds a bare type (pkg/codegen/schema `TypeSpec`), which has no description."""
OMITTED_WHEN_EMPTY = ("required", "requiredInputs", "properties", "dependencies")
"""Keys the Pulumi schema model leaves out when empty (`omitempty` in `PackageSpec`)."""


def _canonical(node: Any, bare_type: bool = False) -> Any:
    """The schema as the Pulumi schema model holds it, which is what `pulumi package
    get-schema` prints: no description on a bare type (a list's items, a map's values), no
    empty required lists, property maps or dependencies, no null (an enum value without a
    description: `EnumValueSpec.description` is `omitempty`)."""
    if isinstance(node, list):
        return [_canonical(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if bare_type and key == "description":
            continue
        if (key in OMITTED_WHEN_EMPTY and value in ([], {})) or value is None:
            continue
        out[key] = _canonical(value, bare_type=key in TYPE_SPEC_KEYS)
    return out


class Provider(ComponentProvider):
    """The SDK's component provider, integer inputs restored and descriptions dedented (see
    the module docstring)."""

    def __init__(
        self,
        components: list[type[pulumi.ComponentResource]],
        name: str,
        namespace: str | None = None,
        version: str = "0.0.0",
    ) -> None:
        super().__init__(components, name, namespace, version)
        assert self.schema is not None  # the component provider always infers one
        document = _canonical(_clean_descriptions(json.loads(self.schema)))
        document.setdefault("config", {})  # always present in the model (`ConfigSpec`)
        self.document: dict[str, Any] = document
        """The schema it serves, parsed."""
        self.schema = json.dumps(self.document)

    def definition(self, component: str) -> ComponentDefinition:
        """How the provider maps `component`: its inputs, outputs and their Python names."""
        return self._component_defs[component]

    @property
    def types(self) -> dict[str, TypeDefinition]:
        """The nested types it maps, by name."""
        return self._type_defs

    def map_input_properties(
        self,
        inputs: Any,
        properties: dict[str, PropertyDefinition],
        mapping: dict[str, str],
        component_name: str,
        property_path: str,
    ) -> Any:
        mapped = dict(
            super().map_input_properties(inputs, properties, mapping, component_name, property_path)
        )
        for schema_name, prop in properties.items():
            name = mapping[schema_name]
            if name in mapped and not prop.ref:  # nested types were mapped by this method
                path = f"{property_path}.{schema_name}" if property_path else schema_name
                mapped[name] = _integers(mapped[name], prop, path)
        return mapped


def components() -> list[type[pulumi.ComponentResource]]:
    """Every component `mlplatform` exports, by name. Loads every cloud's SDK."""
    found = [getattr(mlplatform, name) for name in mlplatform.__all__ if name[:1].isupper()]
    return [c for c in found if inspect.isclass(c) and issubclass(c, pulumi.ComponentResource)]


def schema() -> dict[str, Any]:
    """The package schema the host serves over GetSchema."""
    return Provider(components(), PACKAGE, None, mlplatform.__version__).document


def schema_text() -> str:
    """The schema as `provider/schema.json` holds it: indented, keys in order, newline."""
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    """Serve the components over Pulumi's provider protocol (the engine starts this and
    reads the port it prints): what `component_provider_host` does, with `Provider`."""
    from pulumi.provider import main as serve

    serve(Provider(components(), PACKAGE, None, mlplatform.__version__), sys.argv[1:])
