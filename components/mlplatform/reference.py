"""Reference pages generated from the package schema: one page per component (inputs with
types, defaults and descriptions; outputs) and one for the nested types, under
docs/reference/ of a checkout. `scripts/dev docs` rewrites them and `provider/schema.json`
(`python -m mlplatform.reference ROOT`); a test fails when either is stale."""

import re
import sys
from pathlib import Path
from typing import Any

import mlplatform

SCHEMA = Path("provider") / "schema.json"
DOCS = Path("docs") / "reference"
TOKEN = re.compile(r"^mlplatform:index:(\w+)$")
DEFAULT = re.compile(r"\s*Default: (.+?)\.?$", re.DOTALL)
LAYERS = {
    "platform": "Whole platform",
    "aws": "AWS",
    "azure": "Azure",
    "gcp": "GCP",
    "kubernetes": "Any Kubernetes cluster",
}
GENERATED = "<!-- Generated from provider/schema.json by `scripts/dev docs`; do not edit. -->"


def _short(token: str) -> str:
    found = TOKEN.match(token)
    if found is None:
        raise ValueError(f"not an mlplatform token: {token}")
    return found.group(1)


def _anchor(name: str) -> str:
    return name.lower()


def type_of(prop: dict[str, Any], types_page: str = "types.md", output: bool = False) -> str:
    """A property's type in words: `string`, `list of string`, `map of integer`, a link to a
    nested type; for an input, `Input<…>` when it also takes another resource's output."""
    if "$ref" in prop:
        ref: str = prop["$ref"]
        if ref == "pulumi.json#/Any":
            text = "any"
        else:
            name = _short(ref.removeprefix("#/types/"))
            text = f"[{name}]({types_page}#{_anchor(name)})"
    elif prop.get("type") == "array":
        text = f"list of {type_of(prop['items'], types_page, output)}"
    elif prop.get("type") == "object" and "additionalProperties" in prop:
        text = f"map of {type_of(prop['additionalProperties'], types_page, output)}"
    else:
        text = prop["type"]
    return text if output or prop.get("plain") else f"Input<{text}>"


def _split(description: str | None) -> tuple[str, str]:
    """(description without its default sentence, the default)."""
    text = " ".join((description or "").split())
    found = DEFAULT.search(text)
    if found is None:
        return text, ""
    return text[: found.start()].strip(), found.group(1)


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def camel_references(text: str, names: set[str]) -> str:
    """Docstrings name fields in Python's snake_case: `public_access_cidrs`,
    `MonitoringStack.operator_release`; the schema's readers know them in camelCase."""

    def swap(found: re.Match[str]) -> str:
        prefix, field = found.group(1) or "", found.group(2)
        camel = _camel(field)
        return f"`{prefix}{camel}`" if camel in names else found.group(0)

    return re.sub(r"`([A-Z]\w*\.)?([a-z][a-z0-9]*(?:_[a-z0-9]+)+)`", swap, text)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _inputs_table(properties: dict[str, Any], required: list[str], page: str) -> list[str]:
    lines = ["| input | type | default | description |", "| --- | --- | --- | --- |"]
    for name, prop in properties.items():
        text, default = _split(prop.get("description"))
        default = "required" if name in required else default or "none"
        lines.append(f"| `{name}` | {type_of(prop, page)} | {_cell(default)} | {_cell(text)} |")
    return lines


def _outputs_table(properties: dict[str, Any], required: list[str]) -> list[str]:
    lines = ["| output | type | description |", "| --- | --- | --- |"]
    for name, prop in properties.items():
        text = " ".join(prop.get("description", "").split())
        kind = type_of(prop, output=True)
        if name not in required:
            kind += " (may be absent)"
        lines.append(f"| `{name}` | {kind} | {_cell(text)} |")
    return lines


def _layer(name: str) -> str:
    module = mlplatform._EXPORTS[name]
    part = module.split(".")[1]
    return part if part in LAYERS else "platform"


def component_page(token: str, resource: dict[str, Any]) -> str:
    name = _short(token)
    description = resource.get("description", "").strip()
    lines = [
        GENERATED,
        f"# {name}",
        "",
        description,
        "",
        f"- Type token: `{token}`",
        f"- Python: `from mlplatform import {name}, {name}Args`",
        "",
        "## Inputs",
        "",
        *_inputs_table(
            resource.get("inputProperties", {}), resource.get("requiredInputs", []), "types.md"
        ),
        "",
        "## Outputs",
        "",
        *_outputs_table(resource.get("properties", {}), resource.get("required", [])),
    ]
    return "\n".join(lines) + "\n"


def types_page(types: dict[str, Any]) -> str:
    lines = [GENERATED, "# Nested types", "", "Objects and enums some component inputs take."]
    for token, spec in sorted(types.items()):
        name = _short(token)
        lines += ["", f"## {name}", "", " ".join((spec.get("description") or "").split()), ""]
        if "enum" in spec:
            values = ", ".join(f"`{v['value']}`" for v in spec["enum"])
            lines.append(f"One of: {values}.")
        else:
            lines += _inputs_table(spec.get("properties", {}), spec.get("required", []), "")
    return "\n".join(lines) + "\n"


def index_page(schema: dict[str, Any]) -> str:
    lines = [
        GENERATED,
        f"# mlplatform {schema['version']} reference",
        "",
        "Every component, with the inputs it takes and the outputs it gives, as the component",
        "package serves them (camelCase); Python takes the same fields in snake_case.",
        "`Input<…>` fields also take another resource's output; the others need a value known",
        "when the program runs.",
    ]
    by_layer: dict[str, list[tuple[str, str]]] = {layer: [] for layer in LAYERS}
    for token, resource in schema["resources"].items():
        name = _short(token)
        summary = " ".join(resource.get("description", "").split("\n\n")[0].split())
        by_layer[_layer(name)].append((name, summary))
    for layer, title in LAYERS.items():
        lines += ["", f"## {title}", "", "| component | what it is |", "| --- | --- |"]
        lines += [f"| [{n}]({n}.md) | {_cell(s)} |" for n, s in sorted(by_layer[layer])]
    lines += ["", "Nested input types: [types](types.md)."]
    return "\n".join(lines) + "\n"


def _property_names(schema: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for resource in schema["resources"].values():
        names |= set(resource.get("inputProperties", {})) | set(resource.get("properties", {}))
    for spec in schema.get("types", {}).values():
        names |= set(spec.get("properties", {}))
    return names


def _camel_descriptions(node: Any, names: set[str]) -> Any:
    if isinstance(node, dict):
        return {
            k: camel_references(v, names)
            if k == "description" and isinstance(v, str)
            else _camel_descriptions(v, names)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_camel_descriptions(v, names) for v in node]
    return node


def render(schema: dict[str, Any]) -> dict[str, str]:
    """Every reference page, by file name."""
    schema = _camel_descriptions(schema, _property_names(schema))
    pages = {"README.md": index_page(schema), "types.md": types_page(schema.get("types", {}))}
    for token, resource in schema["resources"].items():
        pages[f"{_short(token)}.md"] = component_page(token, resource)
    return pages


def write(root: Path) -> None:
    """Rewrite provider/schema.json and docs/reference/ of the checkout at `root`."""
    import json

    from mlplatform.provider import schema_text

    text = schema_text()
    (root / SCHEMA).write_text(text, encoding="utf-8")
    pages = render(json.loads(text))
    docs = root / DOCS
    docs.mkdir(parents=True, exist_ok=True)
    for stale in {p.name for p in docs.glob("*.md")} - set(pages):
        (docs / stale).unlink()
    for page, body in pages.items():
        (docs / page).write_text(body, encoding="utf-8")
    sys.stdout.write(f"wrote {SCHEMA} and {len(pages)} pages in {DOCS}\n")


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd())
