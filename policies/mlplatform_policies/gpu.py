"""GPU node pools, the rules no scanner has: GPU pools tainted so only GPU workloads land
there, scale-to-zero outside production, a cap on GPUs across pools, node shapes from an
allowed list (by default mlplatform's GPU catalog), spot capacity only outside production."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pulumi_policy.proxy import UNKNOWN_NUMBER_VALUE, UnknownValueError

from mlplatform.catalog.data import GCP_GPU_MACHINE, OFFERINGS
from mlplatform.cost.aws import EKS_DEFAULT_INSTANCE_TYPE
from mlplatform.cost.context import UnknownInput
from mlplatform.cost.gcp import GKE_DEFAULT_MACHINE, node_counts
from mlplatform.cost.model import CostResource
from mlplatform_policies.model import (
    Absent,
    Config,
    Resource,
    Rule,
    Verdict,
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
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
TEMPLATE_SHAPE = "the launch template's instance type"
"""What a node group runs when only its launch template, which the rule cannot see, names it."""
AKS_DEFAULT_COUNT = 1
"""Nodes of an AKS pool without `count` ("The default value is 1", AKS API)."""


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


def gpu_pool(resource: Resource, stack: Sequence[Resource] = ()) -> GpuPool | None:
    """The pool's GPU view, None when it is not a GPU pool. Left-out properties read as the
    provider does (and as `mlplatform cost` prices them): a GKE pool's zones are its cluster's,
    its size 1 node a zone when none is given, an AKS pool's `count` 1 and its autoscaler off.
    `stack` (the stack's resources, for stack rules) lets an EKS node group with no
    instanceTypes take the one its launch template names."""
    props = resource.props
    if resource.type == GKE_POOL:
        return _gke_pool(resource)
    cloud = CLOUD[resource.type]
    if resource.type == EKS_NODE_GROUP:
        shapes = _eks_shapes(resource, stack)
        ami = str(get(props, "amiType", ""))
        gpu_ami = "NVIDIA" in ami or "GPU" in ami
        if not gpu_ami and not any(AWS_GPU_FAMILY.match(s) for s in shapes):
            return None
        return GpuPool(
            instance_type=",".join(shapes),
            gpus_per_node=_gpus(cloud, shapes[0]),
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
    low, high = _aks_nodes(props)
    return GpuPool(
        instance_type=size,
        gpus_per_node=_gpus(cloud, size),
        min_nodes=low,
        max_nodes=high,
        spot=get(props, "scaleSetPriority") == "Spot",
        taints=[(t.split("=")[0].split(":")[0], t.rsplit(":", 1)[-1]) for t in taints],
    )


def _gke_pool(resource: Resource) -> GpuPool | None:
    props = resource.props
    shape = str(get(props, "nodeConfig.machineType", GKE_DEFAULT_MACHINE))
    accelerators = items(props, "nodeConfig.guestAccelerators")
    if not accelerators and not GCP_GPU_MACHINE.match(shape):
        return None
    # Counted as the estimator counts them: total bounds, else per-zone bounds or the fixed
    # size (1 when none is given) times the pool's zones (its cluster's when not listed).
    low, high = _gke_node_counts(resource)
    return GpuPool(
        instance_type=shape,
        gpus_per_node=(
            sum(int(get(a, "count", 0)) for a in accelerators)
            if accelerators
            else _gpus("gcp", shape)
        ),
        min_nodes=int(low),
        max_nodes=int(high),
        spot=get(props, "nodeConfig.spot") is True or get(props, "nodeConfig.preemptible") is True,
        taints=[
            (str(get(t, "key")), _effect(str(get(t, "effect"))))
            for t in items(props, "nodeConfig.taints")
        ],
    )


def _gke_node_counts(resource: Resource) -> tuple[float, float]:
    """The estimator's node counts of a GKE pool; a value it cannot count with (unknown until
    deployed, secret, not a number: its `UnknownInput`) stops the rule as not evaluated, as
    the policy SDK's own unknown value does."""
    try:
        return node_counts(CostResource(resource.type, resource.urn, resource.name, resource.props))
    except UnknownInput as error:
        raise UnknownValueError(UNKNOWN_NUMBER_VALUE, []) from error


def _eks_shapes(resource: Resource, stack: Sequence[Resource]) -> list[str]:
    """A node group's instance types: its own, else its launch template's (when `stack` holds
    the template), else EKS's default t3.medium ("If you don't specify an instance type in a
    launch template or for instanceTypes, then t3.medium is used", CreateNodegroup)."""
    listed = [str(t) for t in items(resource.props, "instanceTypes")]
    if listed:
        return listed
    if get(resource.props, "launchTemplate") is None:
        return [EKS_DEFAULT_INSTANCE_TYPE]
    for template in of_type(stack, LAUNCH_TEMPLATE):
        if resource.depends_on(template, "launchTemplate"):
            shape = get(template.props, "instanceType")
            return [EKS_DEFAULT_INSTANCE_TYPE if shape is None else str(shape)]
    return [TEMPLATE_SHAPE]


def _aks_nodes(props: object) -> tuple[int, int]:
    """An AKS pool's fewest and most nodes: minCount-maxCount with its autoscaler on, else
    `count` (1 when left out) both ways, as `mlplatform cost` prices it."""
    count = int(get(props, "count", AKS_DEFAULT_COUNT))
    if get(props, "enableAutoScaling") is not True:
        return count, count
    low = int(get(props, "minCount", count))
    return low, int(get(props, "maxCount", low))


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
        pool = gpu_pool(resource, resources)
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


# What each GPU rule reads when a property is left out (issue 25): the provider's default,
# where it is documented, the verdict.
S_ACCELERATOR_OPTIMIZED = (
    "https://cloud.google.com/compute/docs/gpus/create-gpu-vm-accelerator-optimized ('Each "
    "accelerator-optimized machine type has a specific model of NVIDIA GPUs attached'); on GKE: "
    "GoogleCloudPlatform/cluster-toolkit#1285 (an a2-highgpu-1g pool with no guest_accelerator)"
)
NO_ACCELERATORS = Absent(
    GKE_POOL,
    "nodeConfig.guestAccelerators",
    "no accelerator block: an a2/a3/a4/g2/g4 machine type still carries its GPUs (counted "
    "from mlplatform's GPU catalog; other shapes cannot be counted)",
    S_ACCELERATOR_OPTIMIZED,
    "unsafe",
)
S_NODE_LOCATIONS = (
    "pulumi-gcp 10.2.0 NodePool.nodeLocations: 'If unspecified, the cluster-level "
    "node_locations will be used'; GKE API NodePool.locations: 'If this value is unspecified "
    "during node pool creation, the Cluster.Locations value will be used'"
)
NODE_LOCATIONS = Absent(
    GKE_POOL,
    "nodeLocations",
    "the cluster's zones: every zone of a regional cluster (3 counted, as mlplatform cost "
    "counts them), 1 for a zonal location",
    S_NODE_LOCATIONS,
    "unsafe",
)
LOCATION = Absent(
    GKE_POOL,
    "location",
    "the cluster's location, which the pool does not state: counted as a region of 3 zones "
    "(mlplatform cost's REGION_ZONES)",
    "pulumi-gcp 10.2.0 NodePool.location: 'The location (region or zone) of the cluster.' "
    "(no default stated)",
    "stricter",
)
AUTOSCALING = Absent(
    GKE_POOL,
    "autoscaling",
    "no autoscaler: the pool keeps nodeCount (else initialNodeCount) nodes in each zone",
    "GKE API NodePool.autoscaling: 'Autoscaler is enabled only if a valid configuration is "
    "present'; pulumi-gcp 10.2.0 NodePool.nodeCount: 'should not be used alongside autoscaling'",
    "unsafe",
)
NODE_COUNT = Absent(
    GKE_POOL,
    "nodeCount",
    "no size at all (nor initialNodeCount, autoscaling): the provider sends initialNodeCount 0 "
    "and what GKE then creates is not documented; counted as 1 node a zone, as mlplatform cost "
    "prices it",
    "not documented in GKE or pulumi-gcp docs; hashicorp/terraform-provider-google "
    "expandNodePool sends 'nodeCount := 0' when neither count is set",
    "stricter",
)
AKS_COUNT = Absent(
    AKS_POOL,
    "count",
    "1 node",
    "https://learn.microsoft.com/dotnet/api/azure.resourcemanager.containerservice.models."
    "managedclusteragentpoolprofileproperties.count ('The default value is 1')",
    "unsafe",
)
AKS_AUTOSCALING = Absent(
    AKS_POOL,
    "enableAutoScaling",
    "autoscaler off: the pool keeps `count` nodes; minCount and maxCount are for auto-scaling only",
    "https://learn.microsoft.com/javascript/api/@azure/arm-containerservice/"
    "managedclusteragentpoolprofileproperties (enableAutoScaling 'Whether to enable "
    "auto-scaler', minCount 'The minimum number of nodes for auto-scaling'; on only when true)",
    "unsafe",
)
S_EKS_INSTANCE_TYPES = (
    "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html "
    "(instanceTypes: 'If you don't specify an instance type in a launch template or for "
    "instanceTypes, then t3.medium is used, by default')"
)
RESOURCE_RULE_TEMPLATE = (
    "; a launch template's type is beyond this per-resource rule (a GPU AMI still marks the pool)"
)


def _instance_types(default: str, verdict: Verdict) -> Absent:
    return Absent(EKS_NODE_GROUP, "instanceTypes", default, S_EKS_INSTANCE_TYPES, verdict)


NO_INSTANCE_TYPES = _instance_types(
    "t3.medium, no GPU: not a GPU pool" + RESOURCE_RULE_TEMPLATE, "safe"
)
S_UNTAGGED = (
    "mlplatform convention (model.is_production): an untagged resource is held to production "
    "rules; platform-required-tags reports the missing environment tag"
)


def _untagged(default: str, verdict: Verdict) -> tuple[Absent, ...]:
    return tuple(
        Absent(type_, path, default, S_UNTAGGED, verdict)
        for type_, path in (
            (EKS_NODE_GROUP, "tags"),
            (AKS_POOL, "tags"),
            (GKE_POOL, "nodeConfig.resourceLabels"),
        )
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
        absent=(
            NO_ACCELERATORS,
            Absent(
                GKE_POOL,
                "nodeConfig.taints",
                "none stated: GKE adds nvidia.com/gpu=present:NoSchedule itself only while the "
                "cluster has non-GPU pools",
                "GoogleCloudPlatform/cluster-toolkit#1285 ('If we do not add this taint then "
                "GKE automatically will'); https://cloud.google.com/kubernetes-engine/docs/"
                "how-to/gpus",
                "stricter",
            ),
            Absent(
                EKS_NODE_GROUP,
                "taints",
                "no taints",
                "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html "
                "(taints: 'The Kubernetes taints to be applied to the nodes in the node group')",
                "unsafe",
            ),
            Absent(
                AKS_POOL,
                "nodeTaints",
                "no taints",
                "pulumi-azure-native 3.29.0 AgentPool.nodeTaints: 'The taints added to new "
                "nodes during node pool create and scale'",
                "unsafe",
            ),
            NO_INSTANCE_TYPES,
        ),
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
        absent=(
            NO_ACCELERATORS,
            NODE_LOCATIONS,
            LOCATION,
            AUTOSCALING,
            NODE_COUNT,
            AKS_COUNT,
            AKS_AUTOSCALING,
            *_untagged("no tags: held to production, where a pool may keep nodes", "safe"),
            NO_INSTANCE_TYPES,
        ),
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
        absent=(
            NODE_LOCATIONS,
            LOCATION,
            AUTOSCALING,
            NODE_COUNT,
            NO_ACCELERATORS,
            AKS_COUNT,
            AKS_AUTOSCALING,
            _instance_types(
                "the launch template's instance type (followed through the launchTemplate "
                "dependency), else t3.medium",
                "unsafe",
            ),
        ),
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
        absent=(
            Absent(
                GKE_POOL,
                "nodeConfig.machineType",
                f"{GKE_DEFAULT_MACHINE}, not a GPU shape of the allowed list",
                "pulumi-gcp 10.2.0 NodePool nodeConfig.machineType: 'Defaults to e2-medium'",
                "unsafe",
            ),
            NO_ACCELERATORS,
            _instance_types(
                f"{EKS_DEFAULT_INSTANCE_TYPE}, not a GPU shape of the allowed list"
                + RESOURCE_RULE_TEMPLATE,
                "unsafe",
            ),
        ),
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
        absent=(
            Absent(
                GKE_POOL,
                "nodeConfig.spot",
                "false: on-demand",
                "pulumi-gcp 10.2.0 NodePool nodeConfig.spot: 'A boolean that represents whether "
                "the underlying node VMs are spot ... Defaults to false'",
                "safe",
            ),
            Absent(
                GKE_POOL,
                "nodeConfig.preemptible",
                "false: on-demand",
                "pulumi-gcp 10.2.0 NodePool nodeConfig.preemptible: 'Defaults to false'",
                "safe",
            ),
            Absent(
                EKS_NODE_GROUP,
                "capacityType",
                "ON_DEMAND",
                "https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html ('By "
                "default, a managed node group deploys On-Demand Amazon EC2 instances')",
                "safe",
            ),
            Absent(
                AKS_POOL,
                "scaleSetPriority",
                "Regular: on-demand",
                "pulumi-azure-native 3.29.0 AgentPool.scaleSetPriority: 'If not specified, the "
                "default is 'Regular''",
                "safe",
            ),
            NO_ACCELERATORS,
            *_untagged(
                "no tags: held to production, where spot is refused (the pool may be dev)",
                "stricter",
            ),
            NO_INSTANCE_TYPES,
        ),
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
