"""What every rule is made of: its metadata, the resource view it reads, and small helpers
over captured properties.

Rules are pure functions: one resource (or every resource of the stack) and the rule's config
in, violation messages out. Properties are camelCase Pulumi inputs behind the policy SDK's
unknown-checking proxy: reading a value Pulumi does not know yet raises `UnknownValueError`,
and the rule is then reported as not evaluated, never as passed. Rules therefore read through
the Mapping/Sequence interfaces and never test a value for truth before reading it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Enforcement = Literal["mandatory", "advisory"]
Severity = Literal["low", "medium", "high", "critical"]
NAME = re.compile(r"^(aws|azure|gcp|kubernetes|platform)(-[a-z0-9]+)+$")
"""Rule names: the cloud (or kubernetes / platform for every target) first, kebab-case."""


@dataclass(frozen=True)
class Resource:
    """One resource as a rule sees it."""

    type: str
    name: str
    urn: str
    props: Mapping[str, Any]
    protect: bool = False
    parent: str | None = None
    dependencies: tuple[str, ...] = ()
    property_dependencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    default_tags: Mapping[str, Any] = field(default_factory=dict)
    """Tags its provider adds (AWS defaultTags, GCP defaultLabels)."""
    provider_region: str | None = None
    """The region its provider deploys to (AWS/GCP `region`, azure-native `location`)."""

    def depends_on(self, other: Resource, prop: str | None = None) -> bool:
        """Whether this resource takes `other` as an input (through `prop`, when given)."""
        if prop is not None and prop in self.property_dependencies:
            return other.urn in self.property_dependencies[prop]
        return other.urn in self.dependencies


Config = Mapping[str, Any]
ResourceCheck = Callable[[Resource, Config], Iterable[str]]
StackCheck = Callable[[Sequence[Resource], Config], Iterable[tuple[str, str]]]
"""A stack check yields (message, URN of the offending resource)."""


Verdict = Literal["unsafe", "safe", "stricter"]


@dataclass(frozen=True)
class Absent:
    """A property the rule reads even when a program leaves it out: what the provider (or
    Kubernetes) then does, where that is documented, and the verdict on that default. An
    `unsafe` default makes the rule fail; a `safe` one lets it pass; `stricter` marks a safe
    default the rule still refuses, because the default is not guaranteed (an older API
    version, an organization policy) or the rule wants it said."""

    type: str
    """The Pulumi type the property belongs to."""
    path: str
    """The property's dotted path in the resource's inputs."""
    default: str
    """What the provider does when the property is left out."""
    source: str
    """Where that default is documented (a URL, or the page and the sentence)."""
    verdict: Verdict


@dataclass(frozen=True)
class Rule:
    """One guardrail: metadata beside a pure check."""

    id: str
    """Stable identifier (MLP-<area>-<nn>)."""
    name: str
    """The policy's name in the pack, e.g. aws-eks-cluster-no-public-endpoint."""
    description: str
    """One sentence: what must hold."""
    enforcement: Enforcement
    """mandatory blocks `pulumi up` and fails `mlplatform check`; advisory warns."""
    severity: Severity
    resource_types: tuple[str, ...]
    """The Pulumi types the rule reads."""
    anchor: str
    """The established check it mirrors (Checkov / Trivy / cloud benchmark id), or 'mlplatform'
    for ours."""
    frameworks: tuple[str, ...]
    """Compliance frameworks and benchmarks the check belongs to."""
    remediation: str
    """What to change, in mlplatform's config where that is the fix."""
    check: ResourceCheck | None = None
    """Per-resource check (resource rule)."""
    stack_check: StackCheck | None = None
    """Whole-stack check (stack rule): settings that live on another resource."""
    config: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """JSON-schema properties of the rule's config, each with its default."""
    requires: str | None = None
    """A setting without which the rule does not apply (null by default)."""
    absent: tuple[Absent, ...] = ()
    """The properties whose absence the rule interprets, each with the provider's default;
    every one has a policy case with the property left out (tests/policy/absent)."""

    @property
    def kind(self) -> Literal["resource", "stack"]:
        return "stack" if self.stack_check is not None else "resource"

    def settings(self, given: Config | None = None) -> dict[str, Any]:
        """The rule's config: each property's default, overridden by what was given."""
        values = {key: schema["default"] for key, schema in self.config.items()}
        values.update({k: v for k, v in (given or {}).items() if k in self.config})
        return values

    def evaluate(self, resource: Resource, given: Config | None = None) -> list[str]:
        """Violations of a resource rule on one resource (none for other types)."""
        if self.check is None or resource.type not in self.resource_types:
            return []
        return list(self.check(resource, self.settings(given)))

    def evaluate_stack(
        self, resources: Sequence[Resource], given: Config | None = None
    ) -> list[tuple[str, str]]:
        """Violations of a stack rule over every resource."""
        if self.stack_check is None:
            return []
        return list(self.stack_check(resources, self.settings(given)))


def get(props: Any, path: str, default: Any = None) -> Any:
    """The value at a dotted path (`vpcConfig.endpointPublicAccess`), `default` where a step
    is missing."""
    value = props
    for key in path.split("."):
        if not isinstance(value, Mapping) or key not in value:
            return default
        value = value[key]
    return value


def items(props: Any, path: str) -> list[Any]:
    """The list at a dotted path, empty when missing."""
    value = get(props, path)
    return list(value) if isinstance(value, Sequence) and not isinstance(value, str) else []


def of_type(resources: Iterable[Resource], *types: str) -> Iterator[Resource]:
    return (r for r in resources if r.type in types)


TAG_PATHS = ("tags", "labels", "resourceLabels", "settings.userLabels", "nodeConfig.resourceLabels")
"""Where a resource keeps its tags or labels, in the order they are looked for."""
PRODUCTION = "prod"


def tags(props: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The resource's tags or labels, None when it has none."""
    for path in TAG_PATHS:
        found = get(props, path)
        if isinstance(found, Mapping):
            return found
    return None


def all_tags(resource: Resource) -> Mapping[str, Any] | None:
    """The resource's tags over its provider's default tags; None when it has neither."""
    own = tags(resource.props)
    if own is None and not resource.default_tags:
        return None
    return {**resource.default_tags, **(own or {})}


def is_production(resource: Resource) -> bool:
    """Production unless the resource's `environment` tag names another environment (an
    untagged resource is held to production rules)."""
    found = all_tags(resource)
    return found is None or found.get("environment", PRODUCTION) == PRODUCTION


def violations(*checks: tuple[bool, str]) -> Iterator[str]:
    """The messages whose condition is violated."""
    return (message for violated, message in checks if violated)


OPEN_TO_ALL = ("0.0.0.0/0", "::/0")
"""CIDRs that mean anyone on the internet."""
PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")
"""Google IAM members that mean anyone (with a Google account)."""


def iam_grants(props: Mapping[str, Any]) -> list[tuple[Any, Any]]:
    """(role, member) pairs a Google IAM member, binding or policy resource grants: `member`,
    `members`, or the bindings of the `policyData` JSON. Raises ValueError when policyData is
    not a JSON IAM policy."""
    role = get(props, "role")
    found = [(role, get(props, "member")), *((role, m) for m in items(props, "members"))]
    data = get(props, "policyData")
    if data is not None:
        policy = json.loads(data) if isinstance(data, str) else data
        if not isinstance(policy, Mapping):
            raise ValueError("policyData is not a JSON object")
        found += [
            (get(binding, "role"), member)
            for binding in items(policy, "bindings")
            for member in items(binding, "members")
        ]
    return [(r, m) for r, m in found if m is not None]
