"""Left-out cases for the rules of policies/mlplatform_policies/gpu.py: each GPU pool below is
complete but for the property named by its case."""

from __future__ import annotations

from typing import Any

from mlplatform_policies.model import Resource

from tests.policy.absent.common import left_out
from tests.policy.cases import DEV, LT, NG, NP, POOL, TAGS, TAINT, Case, res

TAINTED = "platform-gpu-pool-tainted"
TO_ZERO = "platform-gpu-pool-scales-to-zero-outside-prod"
CAPPED = "platform-gpu-total-under-cap"
ALLOWED = "platform-gpu-instance-type-allowed"
SPOT = "platform-gpu-spot-only-outside-prod"
UNTAINTED = "the GPU pool has no nvidia.com/gpu NoSchedule taint: any pod may land on it"
ON_SPOT = "the production GPU pool runs on spot capacity, which can be reclaimed at any time"
STANDARD_AMI = "AL2023_x86_64_STANDARD"
NC64 = "Standard_NC64as_T4_v3"
"""4 T4s a node (mlplatform's GPU catalog)."""

EKS_GPU: dict[str, Any] = {
    "amiType": "AL2023_x86_64_NVIDIA",
    "instanceTypes": ["g4dn.12xlarge"],
    "scalingConfig": {"minSize": 0, "maxSize": 2},
    "capacityType": "ON_DEMAND",
    "taints": [TAINT],
    "tags": TAGS,
}
AKS_GPU: dict[str, Any] = {
    "vmSize": "Standard_NC4as_T4_v3",
    "count": 0,
    "enableAutoScaling": True,
    "minCount": 0,
    "maxCount": 3,
    "scaleSetPriority": "Regular",
    "nodeTaints": ["nvidia.com/gpu=present:NoSchedule"],
    "tags": TAGS,
}
GKE_NODE: dict[str, Any] = {
    "machineType": "a3-highgpu-8g",
    "guestAccelerators": [{"type": "nvidia-h100-80gb", "count": 8}],
    "taints": [TAINT],
    "spot": False,
    "resourceLabels": TAGS,
}
ZONAL: dict[str, Any] = {"location": "us-central1-a"}
AUTOSCALED = {**ZONAL, "autoscaling": {"totalMinNodeCount": 0, "totalMaxNodeCount": 1}}
PER_ZONE_MIN_1 = {"autoscaling": {"minNodeCount": 1, "maxNodeCount": 2}}


def without(props: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in keys}


def eks(*left: str, **changes: Any) -> Resource:
    return res(NG, without({**EKS_GPU, **changes}, *left), name="gpu")


def aks(*left: str, **changes: Any) -> Resource:
    return res(POOL, without({**AKS_GPU, **changes}, *left), name="aks-gpu")


def gke(pool: dict[str, Any], *left: str, **node: Any) -> Resource:
    """A GKE pool of a3-highgpu-8g (8 H100s a node): `pool` beside its nodeConfig, `left`
    out of the nodeConfig, `node` over it."""
    config = without({**GKE_NODE, **node}, *left)
    return res(NP, {**pool, "nodeConfig": config}, name="gke-gpu")


def templated(instance_type: str) -> list[Resource]:
    """A node group with no instanceTypes and a standard AMI, 0-2 nodes, whose launch template
    names `instance_type`: only the template tells it is a GPU pool."""
    template = res(LT, {"instanceType": instance_type}, name="gpu-template")
    props = {
        **without(EKS_GPU, "instanceTypes"),
        "amiType": STANDARD_AMI,
        "launchTemplate": {"id": "lt-1", "version": "1"},
    }
    return [template, res(NG, props, name="gpu", deps={"launchTemplate": [template]})]


def keeps(nodes: int) -> list[str]:
    return [f"the GPU pool keeps {nodes} node(s) outside production; set minNodes: 0"]


def reach(gpus: int, cap: int) -> list[str]:
    return [f"GPU pools reach {gpus} GPUs at their maximum size, over the cap of {cap}"]


ACCELERATORS = "nodeConfig.guestAccelerators"
CASES: list[Case] = [
    # An a3 machine type carries its H100s with no accelerator block: still a GPU pool.
    left_out(
        TAINTED, NP, ACCELERATORS, gke(AUTOSCALED, "guestAccelerators", taints=[]), [UNTAINTED]
    ),
    # GKE taints a GPU pool itself only beside non-GPU pools: the rule wants it stated.
    left_out(TAINTED, NP, "nodeConfig.taints", gke(AUTOSCALED, "taints"), [UNTAINTED]),
    left_out(TAINTED, NG, "taints", eks("taints"), [UNTAINTED]),
    left_out(TAINTED, POOL, "nodeTaints", aks("nodeTaints"), [UNTAINTED]),
    # t3.medium, EKS's default: no GPU, so no GPU rule applies.
    left_out(
        TAINTED,
        NG,
        "instanceTypes",
        eks("instanceTypes", amiType=STANDARD_AMI, taints=[]),
        [],
    ),
    left_out(
        TO_ZERO,
        NP,
        ACCELERATORS,
        gke({**ZONAL, "nodeCount": 1}, "guestAccelerators", resourceLabels=DEV),
        keeps(1),
    ),
    # The cluster's zones: a regional pool keeps its per-zone minimum in each of 3 zones.
    left_out(
        TO_ZERO,
        NP,
        "nodeLocations",
        gke({"location": "us-central1", **PER_ZONE_MIN_1}, resourceLabels=DEV),
        keeps(3),
    ),
    left_out(TO_ZERO, NP, "location", gke(PER_ZONE_MIN_1, resourceLabels=DEV), keeps(3)),
    left_out(
        TO_ZERO, NP, "autoscaling", gke({**ZONAL, "nodeCount": 1}, resourceLabels=DEV), keeps(1)
    ),
    # No size at all: read as 1 node a zone, as `mlplatform cost` prices it.
    left_out(TO_ZERO, NP, "nodeCount", gke(ZONAL, resourceLabels=DEV), keeps(1)),
    left_out(
        TO_ZERO,
        POOL,
        "count",
        aks("count", "enableAutoScaling", "minCount", "maxCount", tags=DEV),
        keeps(1),
    ),
    # No autoscaler: the pool keeps `count` nodes whatever minCount says.
    left_out(
        TO_ZERO, POOL, "enableAutoScaling", aks("enableAutoScaling", count=2, tags=DEV), keeps(2)
    ),
    # Untagged pools are held to production rules, where keeping nodes is allowed.
    left_out(TO_ZERO, NG, "tags", eks("tags", scalingConfig={"minSize": 1, "maxSize": 2}), []),
    left_out(TO_ZERO, POOL, "tags", aks("tags", minCount=1), []),
    left_out(
        TO_ZERO,
        NP,
        "nodeConfig.resourceLabels",
        gke({**ZONAL, "nodeCount": 1}, "resourceLabels"),
        [],
    ),
    left_out(
        TO_ZERO,
        NG,
        "instanceTypes",
        eks("instanceTypes", amiType=STANDARD_AMI, scalingConfig={"minSize": 1, "maxSize": 2}),
        [],
    ),
    # a3-highgpu-8g: 8 GPUs a node.
    left_out(
        CAPPED,
        NP,
        "nodeLocations",
        [gke({"location": "us-central1", "nodeCount": 1})],
        reach(24, 15),
    ),
    left_out(CAPPED, NP, "location", [gke({"nodeCount": 1})], reach(24, 15)),
    left_out(CAPPED, NP, "autoscaling", [gke({**ZONAL, "nodeCount": 2})], reach(16, 15)),
    left_out(CAPPED, NP, "nodeCount", [gke(ZONAL)], reach(8, 7)),
    left_out(
        CAPPED,
        NP,
        ACCELERATORS,
        [gke({**ZONAL, "nodeCount": 2}, "guestAccelerators")],
        reach(16, 15),
    ),
    left_out(
        CAPPED,
        POOL,
        "count",
        [aks("count", "enableAutoScaling", "minCount", "maxCount", vmSize=NC64)],
        reach(4, 3),
    ),
    left_out(
        CAPPED,
        POOL,
        "enableAutoScaling",
        [aks("enableAutoScaling", vmSize=NC64, count=2, maxCount=1)],
        reach(8, 7),
    ),
    # g5.12xlarge from the launch template: 4 GPUs x 2 nodes.
    left_out(CAPPED, NG, "instanceTypes", templated("g5.12xlarge"), reach(8, 7)),
    left_out(
        ALLOWED,
        NP,
        "nodeConfig.machineType",
        gke(AUTOSCALED, "machineType"),
        ["e2-medium is not an allowed GPU node shape"],
    ),
    left_out(
        ALLOWED,
        NP,
        ACCELERATORS,
        gke(AUTOSCALED, "guestAccelerators", machineType="a3-megagpu-8g"),
        ["a3-megagpu-8g is not an allowed GPU node shape"],
    ),
    left_out(
        ALLOWED,
        NG,
        "instanceTypes",
        eks("instanceTypes"),
        ["t3.medium is not an allowed GPU node shape"],
    ),
    left_out(SPOT, NP, "nodeConfig.spot", gke(AUTOSCALED, "spot"), []),
    left_out(SPOT, NP, "nodeConfig.preemptible", gke(AUTOSCALED), []),
    left_out(SPOT, NG, "capacityType", eks("capacityType"), []),
    left_out(SPOT, POOL, "scaleSetPriority", aks("scaleSetPriority"), []),
    left_out(SPOT, NP, ACCELERATORS, gke(AUTOSCALED, "guestAccelerators", spot=True), [ON_SPOT]),
    left_out(SPOT, NG, "tags", eks("tags", capacityType="SPOT"), [ON_SPOT]),
    left_out(SPOT, POOL, "tags", aks("tags", scaleSetPriority="Spot"), [ON_SPOT]),
    left_out(
        SPOT,
        NP,
        "nodeConfig.resourceLabels",
        gke(AUTOSCALED, "resourceLabels", spot=True),
        [ON_SPOT],
    ),
    left_out(
        SPOT,
        NG,
        "instanceTypes",
        eks("instanceTypes", amiType=STANDARD_AMI, capacityType="SPOT"),
        [],
    ),
]
