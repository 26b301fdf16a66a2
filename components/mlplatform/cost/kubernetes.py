"""Kubernetes pricing rules: the cloud disks and load balancers that Kubernetes objects make.

Objects that run on the nodes (Deployments, Secrets, ...) cost nothing by themselves. Volume
claims become a disk of the cluster's storage class (the cloud's default class when none is
named); a chart's values are searched for the claims it makes (`volumeClaimTemplate` and
`persistence.size`). On the kubernetes target the cluster is not ours to price.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from mlplatform import defaults
from mlplatform.cost.azure import disk_sku
from mlplatform.cost.context import Context, Rule, dig, line, number, times
from mlplatform.cost.model import CostResource, Line

DEFAULT_CLASS = {"aws": defaults.EKS_STORAGE_CLASS, "azure": "managed-csi", "gcp": "standard-rwo"}
"""The storage class a claim without one gets: the gp3 class mlplatform makes on EKS, and the
AKS and GKE defaults."""
CLASS_DISKS = {
    "aws": {"gp3": "ebs:gp3", "gp2": "ebs:gp2"},
    "azure": {
        "default": "standard-ssd",
        "managed-csi": "standard-ssd",
        "managed": "standard-ssd",
        "managed-csi-premium": "premium-ssd",
        "managed-premium": "premium-ssd",
    },
    "gcp": {"standard-rwo": "pd:balanced", "premium-rwo": "pd:ssd", "standard": "pd:standard"},
}
"""What disk each well-known storage class provisions, per cloud (Azure: a disk tier family)."""
LOAD_BALANCER = {"aws": "elb:nlb", "azure": "lb:standard-rule", "gcp": "lb:forwarding-rule"}
_QUANTITY = re.compile(r"^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$")
_GIB = {"Ki": 2**-20, "Mi": 2**-10, "Gi": 1, "Ti": 2**10, "Pi": 2**20}
_DECIMAL = {"k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15}


def gib(quantity: Any) -> float | None:
    """A Kubernetes storage quantity ("50Gi", "100G") in GiB."""
    match = _QUANTITY.match(str(quantity))
    if match is None:
        return None
    value, suffix = float(match.group(1)), match.group(2)
    if suffix in _GIB:
        return value * _GIB[suffix]
    return value * _DECIMAL.get(suffix or "", 1) / 2**30


def volume(
    r: CostResource, ctx: Context, size: Any, storage_class: str | None, copies: float = 1.0
) -> Line:
    """One claim's disk (times `copies`, e.g. a StatefulSet's replicas)."""
    amount = gib(size)
    name = storage_class or DEFAULT_CLASS.get(ctx.cloud, "the cluster default")
    item = f"{times(copies)}{size} volume ({name})"
    region = r.region or ctx.assumptions.region
    disk = CLASS_DISKS.get(ctx.cloud, {}).get(name)
    if amount is None or disk is None:
        why = "the existing cluster's" if ctx.cloud == "kubernetes" else f"storage class {name}"
        return ctx.missing(r, item, region, f"{why} disks")
    if disk.endswith("-ssd"):  # Azure disks are billed per size tier
        sku = disk_sku(disk, amount) or f"disk:{disk}"
        return ctx.fixed(r, item, region, sku, copies)
    return ctx.fixed(r, item, region, disk, amount * copies)


def claim(r: CostResource, ctx: Context) -> Iterator[Line]:
    spec = dig(r.inputs, "spec") or {}
    yield volume(
        r, ctx, dig(spec, "resources", "requests", "storage"), dig(spec, "storageClassName")
    )


def stateful_set(r: CostResource, ctx: Context) -> Iterator[Line]:
    replicas = number(dig(r.inputs, "spec", "replicas"), 1.0) or 0.0
    for template in dig(r.inputs, "spec", "volumeClaimTemplates") or []:
        spec = dig(template, "spec") or {}
        size = dig(spec, "resources", "requests", "storage")
        yield volume(r, ctx, size, dig(spec, "storageClassName"), replicas)


def release(r: CostResource, ctx: Context) -> Iterator[Line]:
    """The claims a chart's values ask for; Google's Prometheus build also sends every sample
    to Managed Service for Prometheus, billed per sample."""
    values = dig(r.inputs, "values") or {}
    for size, storage_class, copies in chart_claims(values):
        yield volume(r, ctx, size, storage_class, copies)
    image = dig(values, "prometheus", "prometheusSpec", "image", "repository")
    if image == defaults.GMP_PROMETHEUS_IMAGE["repository"]:
        region = r.region or ctx.assumptions.region
        yield ctx.usage(r, "Managed Service for Prometheus samples ingested", region, None)


def chart_claims(values: Any, replicas: float = 1.0) -> Iterator[tuple[Any, str | None, float]]:
    """(size, storage class, copies) of every claim in chart values: each `volumeClaimTemplate`
    (one per replica, with `replicas` set on its spec or the one above it) and each enabled
    `persistence` block (one claim, shared by a Deployment's pods)."""
    if isinstance(values, Sequence) and not isinstance(values, str):
        for item in values:
            yield from chart_claims(item)
        return
    if not isinstance(values, Mapping):
        return
    here = number(values.get("replicas"), replicas) or 0.0
    template = values.get("volumeClaimTemplate")
    if isinstance(template, Mapping):
        spec = dig(template, "spec") or {}
        yield dig(spec, "resources", "requests", "storage"), dig(spec, "storageClassName"), here
    persistence = values.get("persistence")
    if isinstance(persistence, Mapping) and dig(persistence, "enabled") is True:
        size = dig(persistence, "size") or "8Gi"
        yield size, dig(persistence, "storageClass") or dig(persistence, "storageClassName"), 1.0
    for key, value in values.items():
        if key not in ("volumeClaimTemplate", "persistence"):
            # `replicas` reaches one level down (prometheusSpec.replicas to its storageSpec).
            yield from chart_claims(value, number(values.get("replicas"), 1.0) or 0.0)


SHARED_LOAD_BALANCER_CLASSES = frozenset({"nginx", "traefik", "webapprouting.kubernetes.azure.com"})
"""Ingress classes whose controller serves every Ingress through its own one load balancer (the
controller's Service of type LoadBalancer), so an Ingress adds none: ingress-nginx
(kubernetes.github.io/ingress-nginx/deploy, "exposed ... via a Service of Type=LoadBalancer"),
Traefik (its chart's `service.type: LoadBalancer`) and AKS's application routing add-on (a
managed ingress-nginx, learn.microsoft.com/azure/aks/app-routing). Checked 2026-12-07. Other
classes may make a load balancer per Ingress (AWS Load Balancer Controller's `alb`, GKE's
`gce`), so theirs stays unknown."""


def ingress(r: CostResource, ctx: Context) -> Iterator[Line]:
    """On a cloud an Ingress may become a load balancer, which its controller makes: none of its
    own behind a controller sharing one (charged with that controller, outside the stack)."""
    if ctx.cloud not in LOAD_BALANCER:
        return
    class_name = dig(r.inputs, "spec", "ingressClassName")
    if class_name in SHARED_LOAD_BALANCER_CLASSES:
        basis = f"class {class_name}: served by its controller's one load balancer, not the stack's"
        yield line(r, "no load balancer of its own", "priced", None, basis)
        return
    region = r.region or ctx.assumptions.region
    yield ctx.missing(r, "load balancer an ingress controller makes", region, "ingress")


def service(r: CostResource, ctx: Context) -> Iterator[Line]:
    if dig(r.inputs, "spec", "type") != "LoadBalancer":
        return
    region = r.region or ctx.assumptions.region
    sku = LOAD_BALANCER.get(ctx.cloud, "load balancer")
    yield ctx.fixed(r, "load balancer for a Service", region, sku)


RULES: dict[str, Rule] = {
    "kubernetes:core/v1:PersistentVolumeClaim": claim,
    "kubernetes:apps/v1:StatefulSet": stateful_set,
    "kubernetes:helm.sh/v3:Release": release,
    "kubernetes:core/v1:Service": service,
    "kubernetes:networking.k8s.io/v1:Ingress": ingress,
}
"""Pricing rule per type; every other Kubernetes object costs nothing by itself."""
FREE_PREFIXES = ("kubernetes:",)
