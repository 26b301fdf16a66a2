"""Layer 2.1, the environment spec: preflight of what the spec turns into Kubernetes objects,
against Kubernetes' own rules in `mlplatform.catalog.limits.kubernetes`.

- Quantities (`monitoring.prometheusCpu`, `monitoring.prometheusMemory`, the spec's `Quantity`
  fields) are read as Kubernetes reads them (`quantity`): memory below 64Mi (with the unit
  meant when the suffix was m, milli: `2048m` is 2 bytes) and CPU below 10m are refused, and on
  a cloud so is a request larger than a whole node of the system pool, where Prometheus runs.
  A system pool shape of unknown size is a warning.
- Names: `kubernetes.storageClass` must be a DNS subdomain, `kubernetes.namespace` start with
  a letter (as Kubernetes requires of a namespace today), and each
  `mlflow.ingress.annotations` key be a qualified name.
- Namespaces: a team (and the kubernetes target's platform namespace) may not take a namespace
  Kubernetes keeps (default, kube-*), one the platform or a managed add-on it turns on creates
  (named with its owner, whether the feature is on today or not), the other of the two, or the
  ingress controller's. Previous team names are not judged: renaming a team out of such a
  namespace is how a clash is undone. `mlflow.allowedNamespaces` only admits existing
  namespaces, so it clashes with nothing.

What this cannot know: the nodes of an existing cluster (the kubernetes target), so there no
quantity is held to a node; namespaces that others' software creates on your cluster.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation, localcontext

from mlplatform import defaults
from mlplatform.catalog.limits import kubernetes as limits
from mlplatform.environment.errors import ConfigIssue
from mlplatform.environment.model import PlatformConfig, Target
from mlplatform.environment.preflight.context import Check, Preflight

QUANTITY = re.compile(
    r"^(?P<number>[+-]?(\d+(\.\d*)?|\.\d+))"
    r"(?P<suffix>[eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$"
)
UNITS = f"Kubernetes resource units, {limits.QUANTITY_DOC}"
NAMES = f"Kubernetes object names, {limits.NAMES_DOC}"
ANNOTATIONS = f"Kubernetes annotations, {limits.ANNOTATIONS_DOC}"
KEPT_BY_KUBERNETES = (
    "is a namespace Kubernetes keeps for itself (default, kube-node-lease, kube-public, "
    "kube-system and every kube- name: Kubernetes namespaces, "
    "kubernetes.io/docs/concepts/overview/working-with-objects/namespaces)"
)
SUB_BYTE = {"m": "milli, a thousandth", "u": "micro, a millionth", "n": "nano, a billionth"}
DNS_SUBDOMAIN = re.compile(limits.DNS_SUBDOMAIN)
DNS_LABEL = re.compile(limits.DNS_LABEL)
QUALIFIED_NAME = re.compile(limits.QUALIFIED_NAME)
GIB = 2**30


def quantity(text: str) -> Decimal | None:
    """The value of a Kubernetes quantity (`limits.QUANTITY_SOURCE`: `500m` is 0.5, `4Gi`
    4 x 2^30, `129e6` 129000000), None when `text` is not one."""
    found = QUANTITY.match(text)
    if found is None:
        return None
    suffix = found["suffix"] or ""
    with localcontext() as context:
        context.prec = 60
        try:
            number = Decimal(found["number"])
        except InvalidOperation:
            return None
        if suffix not in limits.QUANTITY_SUFFIXES:  # an exponent: e3, E-2
            return number.scaleb(int(suffix[1:]))
        base, exponent = limits.QUANTITY_SUFFIXES[suffix]
        return number.scaleb(exponent) if base == 10 else number * 2**exponent


def _plain(value: Decimal) -> str:
    """A number as a person writes it: 2.048, 500."""
    return format(value.normalize(), "f")


ALLOCATABLE = "allocatable = capacity - kube-reserved - system-reserved - eviction threshold"
"""Why a request of a node's whole capacity never schedules (Kubernetes, Reserve Compute
Resources for System Daemons, kubernetes.io/docs/tasks/administer-cluster/reserve-compute-
resources: 'Node Allocatable ... is computed as [Allocatable] = [Node Capacity] -
[kube-reserved] - [system-reserved] - [Hard-Eviction-Threshold]', read 2026-12-06); every
managed cloud reserves some."""


def _system_node(cfg: PlatformConfig) -> tuple[str, limits.NodeSize | None] | None:
    """The system pool's shape and its size on a cloud (None on the kubernetes target)."""
    if cfg.target is Target.KUBERNETES:
        return None
    shape = (
        cfg.cluster.system_pool.instance_type or defaults.SYSTEM_INSTANCE_TYPES[cfg.target.value]
    )
    return shape, limits.SYSTEM_NODE_SIZES.get(shape)


def _prometheus_cpu(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """Prometheus's CPU request: at least 10m, at most a whole system node."""
    text = cfg.monitoring.prometheus_cpu
    value = quantity(text) if cfg.monitoring.enabled else None
    if value is None:
        return
    path, node = "monitoring.prometheusCpu", _system_node(cfg)
    if value * 1000 < limits.PROMETHEUS_MIN_CPU_MILLI:
        yield ConfigIssue(
            path,
            f"is {_plain(value * 1000)}m of a CPU, below the {limits.PROMETHEUS_MIN_CPU_MILLI}m "
            f"preflight takes for Prometheus ({UNITS}); use e.g. {defaults.PROMETHEUS_CPU}",
            text,
        )
    elif node is not None and node[1] is not None and value >= node[1].vcpus:
        yield ConfigIssue(
            path,
            f"is {_plain(value)} CPUs, at least a whole node of the system pool ({node[0]}: "
            f"{node[1].vcpus} vCPUs), of which the kubelet keeps a share ({ALLOCATABLE}), so "
            f"Prometheus could never be scheduled ({UNITS}); lower it (500m is half a CPU), or "
            "choose a larger cluster.systemPool.instanceType",
            text,
        )


def _prometheus_memory(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """Prometheus's memory request and limit: at least 64Mi (a sub-byte unit named), at most
    a whole system node."""
    text = cfg.monitoring.prometheus_memory
    value = quantity(text) if cfg.monitoring.enabled else None
    if value is None:
        return
    path, node = "monitoring.prometheusMemory", _system_node(cfg)
    found = QUANTITY.match(text)
    suffix = (found["suffix"] or "") if found else ""
    if value < limits.PROMETHEUS_MIN_MEMORY and suffix in SUB_BYTE:
        number = text[: -len(suffix)]
        yield ConfigIssue(
            path,
            f"is {_plain(value)} bytes: {suffix} is {SUB_BYTE[suffix]} ({UNITS}); use {number}Mi",
            text,
        )
    elif value < limits.PROMETHEUS_MIN_MEMORY:
        yield ConfigIssue(
            path,
            f"is below the {limits.PROMETHEUS_MIN_MEMORY // 2**20}Mi preflight takes for "
            "Prometheus: it is also Prometheus's memory limit, so the server would be killed "
            f"for memory ({UNITS}); use e.g. {defaults.PROMETHEUS_MEMORY}",
            text,
        )
    elif node is not None and node[1] is not None and value >= node[1].memory_gib * GIB:
        yield ConfigIssue(
            path,
            f"is at least a whole node of the system pool ({node[0]}: {node[1].memory_gib} GiB), "
            f"of which the kubelet keeps a share ({ALLOCATABLE}), so Prometheus could never be "
            f"scheduled ({UNITS}); lower it, or choose a larger cluster.systemPool.instanceType",
            text,
        )


def _system_node_unknown(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """A system pool shape of unknown size: Prometheus's requests could not be held to it."""
    node = _system_node(cfg)
    if cfg.monitoring.enabled and node is not None and node[1] is None:
        monitoring = cfg.monitoring
        yield ConfigIssue(
            "cluster.systemPool.instanceType",
            "has no size in preflight's table, so it could not check that Prometheus's "
            f"requests (monitoring.prometheusCpu {monitoring.prometheus_cpu}, "
            f"monitoring.prometheusMemory {monitoring.prometheus_memory}) fit one of its nodes; "
            "make sure they do",
            node[0],
        )


def _storage_class(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """`kubernetes.storageClass` is a DNS subdomain (a StorageClass's name)."""
    name = cfg.kubernetes.storage_class if cfg.kubernetes else None
    if name is None or (len(name) <= limits.DNS_SUBDOMAIN_MAX and DNS_SUBDOMAIN.match(name)):
        return
    fixed = re.sub(r"[^a-z0-9.-]", "-", name.lower()).strip("-.")[: limits.DNS_SUBDOMAIN_MAX]
    yield ConfigIssue(
        "kubernetes.storageClass",
        "is not a StorageClass name: a DNS subdomain of at most 253 lowercase letters, digits, "
        f"'-' and '.', starting and ending with a letter or digit ({NAMES}); use e.g. "
        f"{fixed.strip('-.') or 'standard'}",
        name,
    )


def _annotation_keys(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """Each `mlflow.ingress.annotations` key is a qualified name, as Kubernetes takes it."""
    ingress = cfg.mlflow.ingress
    for key in ingress.annotations if ingress else {}:
        if not _qualified(key):
            yield ConfigIssue(
                f"mlflow.ingress.annotations.{key}",
                "is not an annotation key: [prefix/]name, the name at most 63 letters, digits, "
                "'-', '_' and '.' starting and ending with a letter or digit, the prefix a DNS "
                f"subdomain ({ANNOTATIONS}); use e.g. nginx.ingress.kubernetes.io/proxy-body-size",
                key,
            )


def _qualified(key: str) -> bool:
    prefix, slash, name = key.rpartition("/")
    if slash and not (
        prefix and len(prefix) <= limits.DNS_SUBDOMAIN_MAX and DNS_SUBDOMAIN.match(prefix)
    ):
        return False
    return len(name) <= limits.QUALIFIED_NAME_MAX and QUALIFIED_NAME.match(name) is not None


def _clash(cfg: PlatformConfig, name: str, creator: str, *, ours: bool) -> str | None:
    """Why namespace `name`, which `creator` would create, clashes with another, or None;
    `ours` also holds it to the kubernetes target's platform namespace."""
    if name in limits.KUBERNETES_NAMESPACES or name.startswith(limits.KUBERNETES_PREFIX):
        return KEPT_BY_KUBERNETES
    for kept in limits.PLATFORM_NAMESPACES:
        if kept.name == name and cfg.target.value in kept.targets:
            return f"is the namespace of {kept.owner}"
    platform = cfg.kubernetes.namespace if cfg.kubernetes else defaults.PLATFORM_NAMESPACE
    if ours and cfg.target is Target.KUBERNETES and name == platform:
        return f"is the namespace of {limits.PLATFORM_NAMESPACE_OWNER}"
    ingress = cfg.mlflow.ingress
    if ingress is not None and name == ingress.controller_namespace:
        return (
            "is mlflow.ingress.controllerNamespace, your ingress controller's namespace: "
            f"{creator} would create (and on removal delete) a namespace that exists already"
        )
    return None


def _team_namespaces(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """Each team's namespace is its own."""
    for i, team in enumerate(cfg.teams):
        if problem := _clash(cfg, team.name, "the team", ours=True):
            yield ConfigIssue(f"teams[{i}].name", f"{problem}; choose another team name", team.name)


def _platform_namespace(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """The kubernetes target's platform namespace starts with a letter and is its own."""
    name = cfg.kubernetes.namespace if cfg.kubernetes else None
    if name is None or cfg.target is not Target.KUBERNETES:
        return
    path = "kubernetes.namespace"
    if not DNS_LABEL.match(name):
        fixed = f"ml-{name}"[: limits.DNS_LABEL_MAX].rstrip("-")
        yield ConfigIssue(
            path,
            "does not start with a letter, which Kubernetes requires of a namespace name (an "
            f"RFC 1123 label: {NAMES}); use e.g. {fixed}",
            name,
        )
    if problem := _clash(cfg, name, "the platform", ours=False):
        yield ConfigIssue(
            path,
            f"{problem}; choose another namespace for the platform's in-cluster services, e.g. "
            f"{defaults.PLATFORM_NAMESPACE}",
            name,
        )


ERRORS: tuple[Check, ...] = (
    _prometheus_cpu,
    _prometheus_memory,
    _storage_class,
    _platform_namespace,
    _annotation_keys,
    _team_namespaces,
)
WARNINGS: tuple[Check, ...] = (_system_node_unknown,)
