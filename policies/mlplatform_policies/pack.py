"""The rules as CrossGuard policies: each Rule becomes a ResourceValidationPolicy or a
StackValidationPolicy with its enforcement level, severity, framework, remediation and config
schema; the policy SDK's resource objects become the rules' `Resource` view. Building the
`PolicyPack` itself (which serves and never returns) is left to `policies/__main__.py`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    PolicyProviderResource,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from mlplatform.cost.estimate import provider_region as cost_provider_region
from mlplatform_policies.model import Resource, Rule, get

LEVELS = {"mandatory": EnforcementLevel.MANDATORY, "advisory": EnforcementLevel.ADVISORY}
NOT_APPLICABLE = "the policy reads no resource of this type"
SEVERITIES = {
    "low": Severity.LOW,
    "medium": Severity.MEDIUM,
    "high": Severity.HIGH,
    "critical": Severity.CRITICAL,
}


DEFAULT_TAG_PATHS = ("defaultTags.tags", "defaultLabels")
"""Where AWS and GCP providers keep the tags they add to every resource."""


def default_tags(provider: PolicyProviderResource | None) -> Mapping[str, Any]:
    for path in DEFAULT_TAG_PATHS:
        found = get(provider.props, path) if provider is not None else None
        if isinstance(found, Mapping):
            return found
    return {}


def provider_region(provider: PolicyProviderResource | None) -> str | None:
    """The region the provider deploys to, as the cost estimate reads it."""
    if provider is None:
        return None
    try:
        return cost_provider_region(provider.props)
    except UnknownValueError:
        return None


def from_args(args: ResourceValidationArgs) -> Resource:
    """The rule view of a resource the CLI (or `mlplatform check`) sent for analysis."""
    return Resource(
        type=args.resource_type,
        name=args.name,
        urn=args.urn,
        props=args.props,
        protect=bool(args.opts.protect),
        default_tags=default_tags(args.provider),
    )


def from_stack(resource: PolicyResource) -> Resource:
    """The rule view of one resource of the stack, with its parent and dependencies."""
    property_dependencies: Mapping[str, Any] = resource.property_dependencies or {}
    return Resource(
        type=resource.resource_type,
        name=resource.name,
        urn=resource.urn,
        props=resource.props,
        protect=bool(resource.opts.protect),
        parent=resource.parent.urn if resource.parent is not None else None,
        dependencies=tuple(d.urn for d in resource.dependencies or ()),
        property_dependencies={
            key: tuple(d.urn for d in deps) for key, deps in property_dependencies.items()
        },
        default_tags=default_tags(resource.provider),
        provider_region=provider_region(resource.provider),
    )


def policy(rule: Rule) -> Policy:
    """One rule as a CrossGuard policy."""
    common: dict[str, Any] = {
        "name": rule.name,
        "description": rule.description,
        "enforcement_level": LEVELS[rule.enforcement],
        "severity": SEVERITIES[rule.severity],
        "remediation_steps": rule.remediation,
        "tags": [rule.id, *rule.frameworks],
    }
    if rule.frameworks:
        common["framework"] = PolicyComplianceFramework(name=rule.frameworks[0])
    if rule.config:
        common["config_schema"] = PolicyConfigSchema(
            properties={key: dict(schema) for key, schema in rule.config.items()}
        )
    if rule.stack_check is not None:

        def validate_stack(args: StackValidationArgs, report: ReportViolation) -> None:
            resources = [from_stack(r) for r in args.resources]
            if not any(r.type in rule.resource_types for r in resources):
                args.not_applicable(NOT_APPLICABLE)
            if rule.requires and rule.settings(args.get_config())[rule.requires] is None:
                args.not_applicable(f"{rule.requires} is not set")
            for message, urn in rule.evaluate_stack(resources, args.get_config()):
                report(message, urn)

        return StackValidationPolicy(validate=validate_stack, **common)

    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        if args.resource_type not in rule.resource_types:
            args.not_applicable(NOT_APPLICABLE)
        for message in rule.evaluate(from_args(args), args.get_config()):
            report(message, None)

    return ResourceValidationPolicy(validate=validate, **common)
