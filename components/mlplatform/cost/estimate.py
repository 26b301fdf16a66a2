"""The estimator: every resource of a plan through its cloud's pricing rule, into one
`Estimate`. Types with no rule and not known to be free are reported as unknown."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from mlplatform.catalog.pricing import price_book
from mlplatform.cost import aws, azure, gcp, kubernetes, serving
from mlplatform.cost.context import (
    Context,
    Rule,
    UnknownInput,
    UnknownUntilDeployed,
    dig,
    line,
    region_name,
)
from mlplatform.cost.model import Assumptions, CostResource, Estimate, Line

if TYPE_CHECKING:
    from mlplatform.engine.plan import Plan

RULES: dict[str, Rule] = {
    **aws.RULES,
    **azure.RULES,
    **gcp.RULES,
    **kubernetes.RULES,
    **serving.RULES,
}
LAST = frozenset(serving.RULES)
"""Types priced after every other resource: a served model reads its pool's lines."""
FREE = aws.FREE | azure.FREE | gcp.FREE
FREE_PREFIXES = (
    aws.FREE_PREFIXES
    + azure.FREE_PREFIXES
    + gcp.FREE_PREFIXES
    + kubernetes.FREE_PREFIXES
    + ("random:", "tls:", "command:", "pulumi:")
)
COMPONENT_PACKAGES = frozenset({"mlplatform", "awsx", "eks"})
"""Packages of component resources: where the policy pack cannot tell components from custom
resources, these are skipped (their children are priced); any other unknown type is not."""
TARGETS = frozenset({"aws", "azure", "gcp", "kubernetes"})
PROVIDER_REGION_KEYS = ("region", "location")
"""Provider inputs that name the region its resources go to (aws / gcp, azure-native)."""


DEFAULT_PLACEMENT = ("aws:region", "gcp:region", "azure-native:location")
"""The stack config keys that place a cloud's default provider."""

CLOUD_PREFIXES = (("aws:", "aws"), ("azure-native:", "azure"), ("gcp:", "gcp"))


def infer_target(resources: Iterable[CostResource]) -> str:
    """The cloud a set of resources deploys to: the first cloud provider's types found, else
    an existing Kubernetes cluster."""
    types = [r.type for r in resources]
    for prefix, cloud in CLOUD_PREFIXES:
        if any(t.startswith(prefix) for t in types):
            return cloud
    return "kubernetes"


def is_free(type_: str) -> bool:
    return (
        type_ in FREE
        or type_.startswith(FREE_PREFIXES)
        or (type_.startswith("gcp:") and type_.endswith(gcp.FREE_SUFFIXES))
    )


def estimate(
    resources: Iterable[CostResource],
    target: str,
    assumptions: Assumptions,
    stack: str = "",
    unknown_errors: tuple[type[Exception], ...] = (UnknownInput,),
) -> Estimate:
    """The monthly cost of `resources` (custom resources only) on `target` (inferred from the
    resource types when it is not a target, as for a program of your own or the pack's view).
    A resource whose pricing rule raises one of `unknown_errors` is an unknown charge; deferred
    (priced once deployed) for an input unknown until deployment and for any error that is not
    an `UnknownInput` (the policy SDK's unknown value)."""
    listed = list(resources)
    cloud = target if target in TARGETS else infer_target(listed)
    if assumptions.region is None:  # Kubernetes objects and global resources: the stack's region
        regions = Counter(
            r.region for r in listed if r.region and not r.type.startswith("kubernetes:")
        )
        if regions:
            assumptions = replace(assumptions, region=regions.most_common(1)[0][0])
    ctx = Context(cloud, price_book(cloud), assumptions, {r.urn: r for r in listed})
    lines: list[Line] = []
    free = 0
    for r in [r for r in listed if r.type not in LAST] + [r for r in listed if r.type in LAST]:
        package = r.type.split(":", 1)[0]
        if r.custom is False or (r.custom is None and package in COMPONENT_PACKAGES):
            continue
        rule = RULES.get(r.type)
        if rule is None:
            if is_free(r.type):
                free += 1
            else:
                lines.append(line(r, r.type, "unknown", basis="no pricing rule for this type"))
            continue
        charged: list[Line] = []
        try:
            charged.extend(rule(r, ctx))
        except unknown_errors as exc:  # what was priced before it stays
            ours = isinstance(exc, UnknownInput)
            why = str(exc) if ours else "an input is unknown until deployed"
            later = isinstance(exc, UnknownUntilDeployed) or not ours
            charged.append(line(r, r.type, "unknown", basis=why, deferred=later))
        if charged:
            lines.extend(charged)
            ctx.lines[r.urn] = charged
        else:
            free += 1
    regions = sorted({p.region for ln in lines for p in ln.prices})
    return Estimate(stack, cloud, tuple(regions), assumptions, tuple(lines), free)


def from_plan(plan: Plan) -> list[CostResource]:
    """The plan's custom resources as the estimator reads them, each with its provider's
    region (a default provider's from the stack config)."""
    by_urn = plan.by_urn()
    defaults = {
        key.split(":")[0]: region_name(value)
        for key, value in plan.provider_config.items()
        if key in DEFAULT_PLACEMENT
    }
    found: list[CostResource] = []
    for r in plan.resources:
        if not r.custom or r.type.startswith("pulumi:providers:"):
            continue
        provider = by_urn.get(r.provider or "")
        if provider is not None:
            region = provider_region(provider.inputs)
        else:  # the package's default provider, placed by the stack config
            region = defaults.get(r.type.split(":")[0])
        found.append(
            CostResource(
                type=r.type,
                urn=r.urn,
                name=r.name,
                inputs=r.inputs,
                region=region,
                property_dependencies={k: tuple(v) for k, v in r.property_dependencies.items()},
            )
        )
    return found


def provider_region(inputs: Mapping[str, object]) -> str | None:
    """The region a provider's inputs name, if any (None while unknown)."""
    for key in PROVIDER_REGION_KEYS:
        try:
            value = dig(inputs, key)
        except UnknownInput:
            return None
        if isinstance(value, str) and value:
            return region_name(value)
    return None


def estimate_plan(plan: Plan, assumptions: Assumptions) -> Estimate:
    """The monthly cost of a captured plan."""
    return estimate(from_plan(plan), plan.target, assumptions, plan.stack)
