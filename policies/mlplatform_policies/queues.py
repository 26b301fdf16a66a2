"""GPU queues (Kueue): every ResourceFlavor selects a GPU pool the stack plans, every queue names
a flavor that exists, every flavor, queue and cohort has the name others know it by, and the
GPUs the queues promise stay within the GPU cap.

Kueue v0.17.0 (apis/kueue/v1beta2): a ResourceFlavor's `spec.nodeLabels` put admitted pods
on the nodes carrying those labels (resourceflavor_types.go); a ClusterQueue naming a flavor
that does not exist stays inactive, reason FlavorNotFound (clusterqueue_types.go,
pkg/cache/scheduler/clusterqueue.go); a Cohort's own `nominalQuota` is "additional resources on
top of those defined by ClusterQueues within the Cohort" (cohort_types.go). Quotas are
Kubernetes quantities, an integer or a string (CRD pattern of `nominalQuota`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from mlplatform import defaults
from mlplatform_policies.gpu import (
    AKS_POOL,
    EKS_NODE_GROUP,
    GKE_POOL,
    POOL_TYPES,
    gpu_pool,
    max_gpus_config,
)
from mlplatform_policies.model import Absent, Config, Resource, Rule, get, items, of_type

KUEUE = "kubernetes:kueue.x-k8s.io/v1beta2"
FLAVOR = f"{KUEUE}:ResourceFlavor"
CLUSTER_QUEUE = f"{KUEUE}:ClusterQueue"
COHORT = f"{KUEUE}:Cohort"
QUEUE_TYPES = (FLAVOR, CLUSTER_QUEUE, COHORT)
GPU_RESOURCE = "nvidia.com/gpu"
POOL_LABEL = defaults.POOL_LABEL
NODE_LABELS = {EKS_NODE_GROUP: "labels", AKS_POOL: "nodeLabels", GKE_POOL: "nodeConfig.labels"}
"""Where each cloud's pool keeps the labels of its nodes."""
SHARED_POOL_LABEL = defaults.DEVICE_PLUGIN_CONFIG_LABEL
"""A pool whose nodes name their own NVIDIA device-plugin config shares its GPUs (time-slicing,
MPS or MIG): each GPU advertises several nvidia.com/gpu."""
QUANTITY = re.compile(
    r"(?P<sign>[+-]?)(?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?P<suffix>[KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?"
)
"""A Kubernetes quantity: k8s.io/apimachinery v0.37.2 pkg/api/resource/quantity.go (its
serialization format) and suffix.go (an exponent is an integer)."""
SUFFIXES = {
    **{
        s: Fraction(10) ** e
        for s, e in zip("numkMGTPE", (-9, -6, -3, 3, 6, 9, 12, 15, 18), strict=True)
    },
    **{f"{s}i": Fraction(2) ** (10 * (i + 1)) for i, s in enumerate("KMGTPE")},
}
WHOLE = 'use an integer such as "1"'


def quantity(value: Any) -> Fraction | None:
    """The exact value of a Kubernetes quantity (an int or a string such as "16", "500m",
    "1e1"), None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value)
    found = QUANTITY.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        return None
    number = Fraction(Decimal(found["number"]))
    suffix = found["suffix"] or ""
    # The suffix tables first, as suffix.go reads them: "1E" is exa, "1E3" an exponent.
    scale = SUFFIXES[suffix] if suffix in SUFFIXES else Fraction(10) ** int(suffix[1:] or 0)
    return (-1 if found["sign"] == "-" else 1) * number * scale


def label_value(labels: Any, key: str) -> Any:
    """A label's value, None when absent (label keys hold dots: not a `get` path)."""
    return labels[key] if isinstance(labels, Mapping) and key in labels else None


def object_name(resource: Resource) -> str:
    """The object's name for messages: its Kubernetes name, else its Pulumi name."""
    return str(get(resource.props, "metadata.name", resource.name))


def given_name(resource: Resource) -> str | None:
    """The Kubernetes name the program gives the object, None when it leaves it out: Pulumi
    then names it after the resource with a random suffix ("auto-names most resources ...
    logical name and a random suffix", pulumi.com/docs/iac/concepts/resources/names), a name
    no other object can know."""
    name = get(resource.props, "metadata.name")
    return None if name is None else str(name)


NAMED_BY = {
    FLAVOR: "queue can name it",
    CLUSTER_QUEUE: "LocalQueue can name it in spec.clusterQueue",
    COHORT: "ClusterQueue can name it in spec.cohortName",
}
"""Who names each Kueue object, to whom an auto-named one is lost."""


def _unnamed(resource: Resource) -> str:
    kind = resource.type.rsplit(":", 1)[-1]
    return (
        f"{kind} {resource.name} has no metadata.name: Pulumi names it {resource.name}-<random "
        f"suffix>, so no {NAMED_BY[resource.type]}"
    )


def gpu_pools_by_label(resources: Sequence[Resource]) -> dict[str, list[Resource]]:
    """The planned GPU pools by the pool label their nodes carry (CPU pools are left out)."""
    found: dict[str, list[Resource]] = {}
    for resource in of_type(resources, *POOL_TYPES):
        if gpu_pool(resource, resources) is None:
            continue
        labels = get(resource.props, NODE_LABELS[resource.type])
        pool = label_value(labels, POOL_LABEL)
        if pool is not None:
            found.setdefault(str(pool), []).append(resource)
    return found


def _listing(names: Iterable[str], what: str, none: str) -> str:
    """`its <what>: a, b` listing `names`, or `none` when there are none."""
    found = sorted(set(names))
    return f"its {what}: {', '.join(found)}" if found else none


def _flavor_names(group: Any) -> Iterator[tuple[int, Any]]:
    return enumerate(get(f, "name") for f in items(group, "flavors"))


def _selects_pools(resources: Sequence[Resource], _: Config) -> Iterator[tuple[str, str]]:
    pools = gpu_pools_by_label(resources)
    planned = ", ".join(sorted(pools))
    flavors = list(of_type(resources, FLAVOR))
    found: list[tuple[str, str]] = []
    for resource in flavors:
        if given_name(resource) is None:
            found.append((_unnamed(resource), resource.urn))
        name, labels = object_name(resource), get(resource.props, "spec.nodeLabels")
        pool = label_value(labels, POOL_LABEL)
        if pool is not None and str(pool) not in pools:
            where = _listing(pools, "GPU pools", "the stack plans no GPU pool")
            found.append(
                (
                    f"ResourceFlavor {name} selects pool {str(pool)!r} "
                    f'(spec.nodeLabels["{POOL_LABEL}"]), but no GPU pool of the stack carries '
                    f"that label ({where})",
                    resource.urn,
                )
            )
        elif pool is None and pools:
            found.append(
                (
                    f'ResourceFlavor {name} selects no GPU pool (no "{POOL_LABEL}" in '
                    f"spec.nodeLabels) while the stack plans GPU pools ({planned}): it would "
                    "admit work onto any GPU node",
                    resource.urn,
                )
            )
    defined = {n for n in map(given_name, flavors) if n is not None}
    none = (
        "no ResourceFlavor of the stack has a metadata.name"
        if flavors
        else "the stack defines no ResourceFlavor"
    )
    known = _listing(defined, "ResourceFlavors", none)
    for resource in of_type(resources, CLUSTER_QUEUE, COHORT):
        if given_name(resource) is None:
            found.append((_unnamed(resource), resource.urn))
        kind = resource.type.rsplit(":", 1)[-1]
        then = (
            "Kueue keeps the queue inactive (FlavorNotFound)"
            if resource.type == CLUSTER_QUEUE
            else "no workload can be admitted on it"
        )
        for g, group in enumerate(items(resource.props, "spec.resourceGroups")):
            for f, flavor in _flavor_names(group):
                if str(flavor) not in defined:
                    found.append(
                        (
                            f"{kind} {object_name(resource)} names flavor {str(flavor)!r} "
                            f"(spec.resourceGroups[{g}].flavors[{f}].name), which no "
                            f"ResourceFlavor of the stack defines ({known}); {then}",
                            resource.urn,
                        )
                    )
    # Every value is read before any finding is told: an unknown one leaves the rule not
    # evaluated rather than half judged.
    yield from found


@dataclass
class _Quotas:
    """The nvidia.com/gpu quotas of one flavor across every ClusterQueue and the Cohort."""

    units: int = 0
    largest: tuple[int, str] = (-1, "")
    """(quota, URN) of the queue or cohort holding the most on the flavor."""


def _gpu_quotas(resource: Resource, into: dict[str, _Quotas]) -> Iterator[str]:
    """Adds the resource's whole GPU quotas per flavor to `into`; yields what is not whole."""
    kind, name = resource.type.rsplit(":", 1)[-1], object_name(resource)
    for group in items(resource.props, "spec.resourceGroups"):
        for flavor in items(group, "flavors"):
            flavor_name = str(get(flavor, "name"))
            for quota in items(flavor, "resources"):
                if get(quota, "name") != GPU_RESOURCE:
                    continue
                raw = get(quota, "nominalQuota")
                value = quantity(raw)
                about = (
                    f"{kind} {name}: nominalQuota {raw!r} of {GPU_RESOURCE} on flavor {flavor_name}"
                )
                if value is None:
                    yield f"{about} is not a Kubernetes quantity; {WHOLE}"
                elif value.denominator != 1:
                    shown = Decimal(value.numerator) / Decimal(value.denominator)
                    yield (
                        f"{about} is not a whole number of GPUs ({shown.normalize():f}); a GPU "
                        f"quota counts whole devices: {WHOLE}"
                    )
                elif value < 0:
                    yield f"{about} is negative; Kueue refuses a negative quota: {WHOLE}"
                else:
                    entry = into.setdefault(flavor_name, _Quotas())
                    entry.units += int(value)
                    entry.largest = max(entry.largest, (int(value), resource.urn))


def _physical_gpus(pools: list[Resource], stack: Sequence[Resource]) -> int | None:
    """GPUs of the pools at their maximum size when they share their GPUs (each nvidia.com/gpu
    is then a slice of one), None when they do not share or cannot be counted."""
    total = 0
    for resource in pools:
        labels = get(resource.props, NODE_LABELS[resource.type])
        pool = gpu_pool(resource, stack)
        if (
            label_value(labels, SHARED_POOL_LABEL) is None
            or pool is None
            or pool.gpus_per_node is None
        ):
            return None
        total += pool.gpus_per_node * pool.max_nodes
    return total


def _quota_total(resources: Sequence[Resource], config: Config) -> Iterator[tuple[str, str]]:
    cap = config["maxGpus"]
    if cap is None:
        return
    quotas: dict[str, _Quotas] = {}
    found = [
        (message, resource.urn)
        for resource in of_type(resources, CLUSTER_QUEUE, COHORT)
        for message in _gpu_quotas(resource, quotas)
    ]
    pools = gpu_pools_by_label(resources)
    flavors = {
        given_name(r): label_value(get(r.props, "spec.nodeLabels"), POOL_LABEL)
        for r in of_type(resources, FLAVOR)
    }
    counted: list[str] = []
    total = 0
    for name, entry in sorted(quotas.items()):
        selected = flavors.get(name)
        shared = (
            _physical_gpus(pools.get(str(selected), []), resources)
            if selected is not None
            else None
        )
        if shared is not None and shared < entry.units:
            counted.append(
                f"{name} {shared}: {entry.units} {GPU_RESOURCE} on a pool sharing its {shared} GPUs"
            )
            total += shared
        else:
            counted.append(f"{name} {entry.units}")
            total += entry.units
    if total > cap:
        largest = max(quotas.values(), key=lambda e: e.largest).largest[1]
        found.append(
            (
                f"Kueue quotas of {GPU_RESOURCE} (every ClusterQueue's nominalQuota and the "
                f"Cohort's own) come to {total} GPUs ({', '.join(counted)}), over the cap of "
                f"{cap}",
                largest,
            )
        )
    yield from found


S_AUTONAMED = (
    "https://www.pulumi.com/docs/iac/concepts/resources/names/ ('auto-names most resources ... "
    "logical name and a random suffix'); pulumi/pulumi-kubernetes#2539 (objects without a name "
    "field are auto-named)"
)
UNNAMED = tuple(
    Absent(
        type_,
        "metadata.name",
        f"Pulumi names it <resource name>-<random suffix>, so no {NAMED_BY[type_]}",
        S_AUTONAMED,
        "unsafe",
    )
    for type_ in QUEUE_TYPES
)
NO_GROUPS = tuple(
    Absent(
        type_,
        "spec.resourceGroups",
        "no resource groups: it names no flavor and holds no quota",
        f"Kueue v0.17.0 apis/kueue/v1beta2/{source}: resourceGroups '+optional'",
        "safe",
    )
    for type_, source in ((CLUSTER_QUEUE, "clusterqueue_types.go"), (COHORT, "cohort_types.go"))
)


RULES = (
    Rule(
        id="MLP-GPU-06",
        name="platform-gpu-queue-flavors-select-pools",
        description="Kueue ResourceFlavors select a GPU pool of the stack; queues name existing "
        "flavors.",
        enforcement="mandatory",
        severity="high",
        resource_types=QUEUE_TYPES,
        anchor="mlplatform",
        frameworks=(),
        remediation="Let scheduling.enabled: true build the queues (a flavor per gpuPools[] "
        'entry); a hand-written ResourceFlavor needs spec.nodeLabels["mlplatform.io/pool"] '
        "naming one of gpuPools[].name, and every queue's flavors a ResourceFlavor of the stack; "
        "give every ResourceFlavor, ClusterQueue and Cohort a metadata.name.",
        stack_check=_selects_pools,
        absent=(
            *UNNAMED,
            Absent(
                FLAVOR,
                "spec.nodeLabels",
                "no node labels: the flavor matches any node, so its work may land on any GPU node",
                "Kueue v0.17.0 apis/kueue/v1beta2/resourceflavor_types.go: nodeLabels "
                "'+optional', 'labels that associate the ResourceFlavor with Nodes that have "
                "the same labels'",
                "unsafe",
            ),
            *NO_GROUPS,
        ),
    ),
    Rule(
        id="MLP-GPU-07",
        name="platform-gpu-queue-quota-under-cap",
        description="GPUs of every Kueue ClusterQueue's and the Cohort's quota stay within the "
        "GPU cap.",
        enforcement="mandatory",
        severity="high",
        resource_types=(CLUSTER_QUEUE, COHORT),
        anchor="mlplatform",
        frameworks=(),
        remediation="Lower teams[].maxGpus or gpuPools[].maxNodes (with scheduling on, the "
        "cohort holds what the pools schedule beyond the teams' quotas), or raise "
        "budget.maxGpus deliberately; quote GPU quotas as whole numbers.",
        stack_check=_quota_total,
        absent=NO_GROUPS,
        requires="maxGpus",
        config={"maxGpus": max_gpus_config("Cap on the GPUs of every Kueue quota")},
    ),
)
