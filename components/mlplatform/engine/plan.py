"""The captured plan: resources in tree order, stack outputs, and the JSON contract."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

JSON_RESOURCE_KEYS = (
    "urn",
    "type",
    "name",
    "parent",
    "dependencies",
    "propertyDependencies",
    "provider",
    "custom",
    "protect",
    "aliases",
    "ignoreChanges",
    "replaceOnChanges",
    "inputs",
)


@dataclass(frozen=True)
class PlannedResource:
    """One resource registration as the engine saw it."""

    urn: str
    type: str
    name: str
    parent: str | None
    custom: bool
    protect: bool
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    provider: str | None
    inputs: dict[str, Any]
    aliases: list[str] = field(default_factory=list)
    """URNs this resource was known by (its `aliases` option, resolved)."""
    ignore_changes: list[str] = field(default_factory=list)
    replace_on_changes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "urn": self.urn,
            "type": self.type,
            "name": self.name,
            "parent": self.parent,
            "dependencies": self.dependencies,
            "propertyDependencies": self.property_dependencies,
            "provider": self.provider,
            "custom": self.custom,
            "protect": self.protect,
            "aliases": self.aliases,
            "ignoreChanges": self.ignore_changes,
            "replaceOnChanges": self.replace_on_changes,
            "inputs": self.inputs,
        }

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> PlannedResource:
        return cls(
            urn=document["urn"],
            type=document["type"],
            name=document["name"],
            parent=document.get("parent"),
            custom=bool(document.get("custom", True)),
            protect=bool(document.get("protect", False)),
            dependencies=list(document.get("dependencies", [])),
            property_dependencies=dict(document.get("propertyDependencies", {})),
            provider=document.get("provider"),
            inputs=dict(document.get("inputs", {})),
            aliases=list(document.get("aliases", [])),
            ignore_changes=list(document.get("ignoreChanges", [])),
            replace_on_changes=list(document.get("replaceOnChanges", [])),
        )


@dataclass
class Plan:
    """Everything one offline run of a stack registered, in deterministic tree order."""

    project: str
    stack: str
    target: str
    resources: list[PlannedResource]
    outputs: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    """What the program logged as warnings (preflight's findings among them), in order."""
    provider_config: dict[str, str] = field(default_factory=dict)
    """The stack's config of the clouds' default providers (`aws:*`, `gcp:*`,
    `azure-native:*`, as the engine gives it; secure values as `[secret]`): where a resource
    with no explicit provider goes and what default tags it gets."""

    def __post_init__(self) -> None:
        self.resources = tree_order(self.resources)

    def by_urn(self) -> dict[str, PlannedResource]:
        return {r.urn: r for r in self.resources}

    def children(self) -> dict[str | None, list[PlannedResource]]:
        kids: dict[str | None, list[PlannedResource]] = defaultdict(list)
        for r in self.resources:
            kids[r.parent].append(r)
        return kids

    def of_type(self, type_: str) -> list[PlannedResource]:
        return [r for r in self.resources if r.type == type_]

    def type_counts(self) -> Counter[str]:
        return Counter(r.type for r in self.resources)

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> Plan:
        """A plan read back from `mlplatform plan --format json`."""
        return cls(
            project=document["project"],
            stack=document["stack"],
            target=document.get("target", ""),
            resources=[PlannedResource.from_json(r) for r in document["resources"]],
            outputs=dict(document.get("outputs", {})),
            warnings=list(document.get("warnings", [])),
            provider_config=dict(document.get("providerConfig", {})),
        )

    def to_json(self) -> dict[str, Any]:
        document = {
            "project": self.project,
            "stack": self.stack,
            "target": self.target,
            "resources": [r.to_json() for r in self.resources],
            "outputs": self.outputs,
        }
        if self.warnings:
            document["warnings"] = self.warnings
        if self.provider_config:
            document["providerConfig"] = self.provider_config
        return document


def tree_order(resources: list[PlannedResource]) -> list[PlannedResource]:
    """Depth-first from the roots, siblings by URN: the same plan always lists the same way.
    The stack comes first among the roots, as the engine registers it first (before the
    default providers, which have no parent)."""
    known = {r.urn for r in resources}
    kids: dict[str | None, list[PlannedResource]] = defaultdict(list)
    for r in resources:
        kids[r.parent if r.parent in known else None].append(r)
    ordered: list[PlannedResource] = []
    stack = sorted(kids[None], key=lambda r: (r.type != "pulumi:pulumi:Stack", r.urn), reverse=True)
    while stack:
        current = stack.pop()
        ordered.append(current)
        stack.extend(sorted(kids[current.urn], key=lambda r: r.urn, reverse=True))
    return ordered
