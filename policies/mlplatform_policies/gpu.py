"""GPU node pools, the rules no scanner has: GPU pools tainted so only GPU workloads land
there, scale-to-zero outside production, a cap on GPUs across pools, node shapes from an
allowed list (by default mlplatform's GPU catalog), spot capacity only outside production."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from mlplatform.catalog.data import OFFERINGS
from mlplatform_policies.model import (
    Config,
    Resource,
    Rule,
    get,
    is_production,
    items,
    of_type,
)

EKS_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
AKS_POOL = "azure-native:containerservice:AgentPool"
GKE_POOL = "gcp:container/nodePool:NodePool"
POOL_TYPES = (EKS_NODE_GROUP, AKS_POOL, GKE_POOL)
CLOUD = {EKS_NODE_GROUP: "aws", AKS_POOL: "azure", GKE_POOL: "gcp"}
GPU_TAINT_KEY = "nvidia.com/gpu"
AWS_GPU_FAMILY = re.compile(r"^(p\d|g\d|gr\d)[a-z-]*\.")
"""EC2 GPU families (p3, p4d, p5, g4dn, g5, g6e, gr6...); Graviton CPU types end in g
(m7g) and do not match."""
AZURE_GPU_FAMILY = re.compile(r"^Standard_N[A-Za-z]*\d")
"""Azure N-series sizes (NC, ND, NV, NG): every size with a GPU."""
GPU_OFFERINGS = {(o.cloud, o.instance_type): o.gpus_per_node for o in OFFERINGS}
"""GPUs per node of every catalog node shape, by (cloud, instance type)."""


@dataclass(frozen=True)
class GpuPool:
    """What the GPU rules need to know about a node pool, whatever the cloud."""

    instance_type: str
    gpus_per_node: int | None
    """None when the shape is not in the catalog."""
    min_nodes: int
    max_nodes: int
    spot: bool
    taints: list[tuple[str, str]]
    """(key, effect) pairs, effects in Kubernetes spelling (NoSchedule)."""


def max_gpus_config(cap: str) -> dict[str, object]:
    """The `maxGpus` config of a rule capping `cap` (what it caps, capitalised), which
    `mlplatform check` fills with the stack's budget.maxGpus."""
    return {
        "type": ["integer", "null"],
        "minimum": 1,
        "default": None,
        "description": f"{cap} (null: no cap; mlplatform check passes the stack's budget.maxGpus).",
    }


def gpu_pool(resource: Resource) -> GpuPool | None:
    """The pool's GPU view, None when it is not a GPU pool."""
    props = resource.props
    if resource.type == GKE_POOL:
        accelerators = items(props, "nodeConfig.guestAccelerators")
        if not accelerators:
            return None
        fixed = _first(props, "nodeCount", "initialNodeCount")
        zones = len(items(props, "nodeLocations")) or 1
        return GpuPool(
            instance_type=str(get(props, "nodeConfig.machineType")),
            gpus_per_node=sum(int(get(a, "count", 0)) for a in accelerators),
            # total* counts are for the whole pool; min/maxNodeCount and nodeCount per zone.
            min_nodes=_gke_size(props, "Min", fixed, zones),
            max_nodes=_gke_size(props, "Max", fixed, zones),
            spot=get(props, "nodeConfig.spot") is True
            or get(props, "nodeConfig.preemptible") is True,
            taints=[
                (str(get(t, "key")), _effect(str(get(t, "effect"))))
                for t in items(props, "nodeConfig.taints")
            ],
        )
    cloud = CLOUD[resource.type]
    if resource.type == EKS_NODE_GROUP:
        shapes = [str(t) for t in items(props, "instanceTypes")]
        ami = str(get(props, "amiType", ""))
        gpu_ami = "NVIDIA" in ami or "GPU" in ami
        if not gpu_ami and not any(AWS_GPU_FAMILY.match(s) for s in shapes):
            return None
        return GpuPool(
            instance_type=",".join(shapes),
            gpus_per_node=_gpus(cloud, shapes[0]) if shapes else None,
            min_nodes=int(get(props, "scalingConfig.minSize", 0)),
            max_nodes=int(get(props, "scalingConfig.maxSize", 0)),
            spot=get(props, "capacityType") == "SPOT",
            taints=[
                (str(get(t, "key")), _effect(str(get(t, "effect")))) for t in items(props, "taints")
            ],
        )
    size = str(get(props, "vmSize", ""))
    if not AZURE_GPU_FAMILY.match(size) and get(props, "gpuProfile") is None:
        return None
    taints = [str(t) for t in items(props, "nodeTaints")]
    return GpuPool(
        instance_type=size,
        gpus_per_node=_gpus(cloud, size),
        min_nodes=int(get(props, "minCount", get(props, "count", 0))),
        max_nodes=int(get(props, "maxCount", get(props, "count", 0))),
        spot=get(props, "scaleSetPriority") == "Spot",
        taints=[(t.split("=")[0].split(":")[0], t.rsplit(":", 1)[-1]) for t in taints],
    )


def node_taints(resource: Resource) -> list[tuple[str, str, str]]:
    """(key, value, effect) of each taint a node pool puts on its nodes, effects in Kubernetes
    spelling (NoSchedule) and an absent value as "": EKS `taints` and GKE `nodeConfig.taints`
    ({key, value, effect}), AKS `nodeTaints` ("key=value:effect")."""
    props = resource.props
    if resource.type == AKS_POOL:
        taints = [str(t) for t in items(props, "nodeTaints")]
        return [
            (
                t.split("=")[0].split(":")[0],
                t.partition("=")[2].rpartition(":")[0] if "=" in t else "",
                t.rsplit(":", 1)[-1],
            )
            for t in taints
        ]
    path = "nodeConfig.taints" if resource.type == GKE_POOL else "taints"
    return [
        (str(get(t, "key")), str(get(t, "value", "")), _effect(str(get(t, "effect"))))
        for t in items(props, path)
    ]


def _gke_size(props: object, bound: str, fixed: int, zones: int) -> int:
    total = get(props, f"autoscaling.total{bound}NodeCount")
    if total is not None:
        return int(total)
    per_zone = get(props, f"autoscaling.{bound.lower()}NodeCount")
    return (int(per_zone) if per_zone is not None else fixed) * zones


def _first(props: object, *paths: str) -> int:
    for path in paths:
        value = get(props, path)
        if value is not None:
            return int(value)
    return 0


def _effect(effect: str) -> str:
    """NO_SCHEDULE (EKS, GKE) as Kubernetes spells it: NoSchedule."""
    return "".join(part.capitalize() for part in effect.lower().split("_"))


def _gpus(cloud: str, shape: str) -> int | None:
    return GPU_OFFERINGS.get((cloud, shape))


def _tainted(resource: Resource, _: Config) -> Iterator[str]:
    pool = gpu_pool(resource)
    if pool is not None and (GPU_TAINT_KEY, "NoSchedule") not in pool.taints:
        yield f"the GPU pool has no {GPU_TAINT_KEY} NoSchedule taint: any pod may land on it"


def _scale_to_zero(resource: Resource, _: Config) -> Iterator[str]:
    pool = gpu_pool(resource)
    if pool is not None and not is_production(resource) and pool.min_nodes > 0:
        yield f"the GPU pool keeps {pool.min_nodes} node(s) outside production; set minNodes: 0"


def _spot(resource: Resource, config: Config) -> Iterator[str]:
    pool = gpu_pool(resource)
    if pool is not None and pool.spot and is_production(resource) and not config["allowInProd"]:
        yield "the production GPU pool runs on spot capacity, which can be reclaimed at any time"


def _allowed(resource: Resource, config: Config) -> Iterator[str]:
    pool = gpu_pool(resource)
    if pool is None:
        return
    allowed = config["allowedInstanceTypes"] or [
        shape for cloud, shape in GPU_OFFERINGS if cloud == CLOUD[resource.type]
    ]
    for shape in pool.instance_type.split(","):
        if shape not in allowed:
            yield f"{shape} is not an allowed GPU node shape"


def _total(resources: Sequence[Resource], config: Config) -> Iterator[tuple[str, str]]:
    cap = config["maxGpus"]
    if cap is None:
        return
    counted: list[tuple[Resource, int]] = []
    for resource in of_type(resources, *POOL_TYPES):
        pool = gpu_pool(resource)
        if pool is None:
            continue
        if pool.gpus_per_node is None:
            yield (
                "the pool's node shape is not in the catalog: its GPUs cannot be counted",
                (resource.urn),
            )
        else:
            counted.append((resource, pool.gpus_per_node * pool.max_nodes))
    total = sum(gpus for _, gpus in counted)
    if total > cap:
        largest = max(counted, key=lambda c: c[1])[0]
        yield (
            f"GPU pools reach {total} GPUs at their maximum size, over the cap of {cap}",
            (largest.urn),
        )


RULES = (
    Rule(
        id="MLP-GPU-01",
        name="platform-gpu-pool-tainted",
        description="GPU node pools carry the nvidia.com/gpu NoSchedule taint.",
        enforcement="mandatory",
        severity="high",
        resource_types=POOL_TYPES,
        anchor="mlplatform",
        frameworks=(),
        remediation="Use mlplatform's GPU pools (tainted by default) and give GPU pods the "
        "matching toleration.",
        check=_tainted,
    ),
    Rule(
        id="MLP-GPU-02",
        name="platform-gpu-pool-scales-to-zero-outside-prod",
        description="Outside production, GPU pools scale down to zero nodes.",
        enforcement="mandatory",
        severity="medium",
        resource_types=POOL_TYPES,
        anchor="mlplatform",
        frameworks=(),
        remediation="Set gpuPools[].minNodes: 0 in dev and staging.",
        check=_scale_to_zero,
    ),
    Rule(
        id="MLP-GPU-03",
        name="platform-gpu-total-under-cap",
        description="GPUs across all pools at their maximum size stay within the configured cap.",
        enforcement="mandatory",
        severity="high",
        resource_types=POOL_TYPES,
        anchor="mlplatform",
        frameworks=(),
        remediation="Lower gpuPools[].maxNodes, or raise budget.maxGpus deliberately.",
        stack_check=_total,
        requires="maxGpus",
        config={"maxGpus": max_gpus_config("Cap on GPUs across pools")},
    ),
    Rule(
        id="MLP-GPU-04",
        name="platform-gpu-instance-type-allowed",
        description="GPU pools use node shapes from the allowed list.",
        enforcement="mandatory",
        severity="medium",
        resource_types=POOL_TYPES,
        anchor="mlplatform",
        frameworks=(),
        remediation="Pick a GPU from the catalog (gpuPools[].gpu) or extend "
        "allowedInstanceTypes in the pack config.",
        check=_allowed,
        config={
            "allowedInstanceTypes": {
                "type": "array",
                "items": {"type": "string"},
                "default": [],
                "description": "Allowed instance types / VM sizes / machine types (empty: "
                "mlplatform's GPU catalog for the cloud).",
            }
        },
    ),
    Rule(
        id="MLP-GPU-05",
        name="platform-gpu-spot-only-outside-prod",
        description="Production GPU pools run on on-demand capacity unless spot is allowed.",
        enforcement="mandatory",
        severity="medium",
        resource_types=POOL_TYPES,
        anchor="mlplatform",
        frameworks=(),
        remediation="Set gpuPools[].spot: false in prod, or allowInProd in the pack config.",
        check=_spot,
        config={
            "allowInProd": {
                "type": "boolean",
                "default": False,
                "description": "Allow spot GPU pools in production.",
            }
        },
    ),
)
