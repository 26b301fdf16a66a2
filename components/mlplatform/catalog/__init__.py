"""Layer 1, data: the GPU catalog, portable GPU names resolved per cloud to a node shape and
image; and the other pinned data the platform reads: the closed GPU name sets (`names`), GPU
node images (`images`), upstream Helm charts (`charts`), EKS add-on versions (`eks_addons`) and
the default MLflow image (`mlflow_image`).

`resolve(cloud, gpu, gpus_per_node)` gives the instance type / VM size /
machine type (+ accelerator on GCP) and the GPU node image; a combination a
cloud lacks raises `CatalogError` naming the field and value and listing what
the cloud does offer. `resolve_pools` does it for a component's `gpu_pools`, which
the component's args check (`mlplatform.component_args`) has already held to what the
cloud offers.
"""

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from mlplatform import defaults
from mlplatform.catalog.data import GPU_NAMES, OFFERINGS, GpuOffering
from mlplatform.catalog.images import NODE_IMAGES, NodeImage

CLOUDS = ("aws", "azure", "gcp")

__all__ = [
    "CLOUDS",
    "GPU_NAMES",
    "NODE_IMAGES",
    "CatalogError",
    "GpuOffering",
    "NodeImage",
    "ResolvedGpu",
    "gpus_offered",
    "offerings",
    "resolve",
    "resolve_pools",
]


class CatalogError(LookupError):
    """A GPU, GPU count or node image that a cloud does not offer: `field: value problem`."""

    def __init__(
        self, field: str, value: object, problem: str, alternatives: list[str] | list[int]
    ) -> None:
        self.field, self.value, self.problem = field, value, problem
        self.alternatives = alternatives
        super().__init__(f"{field}: {value!r} {problem}")

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return CatalogError, (self.field, self.value, self.problem, self.alternatives)


def _choose(problem: str, alternatives: Sequence[object]) -> str:
    return f"{problem}; choose one of {', '.join(map(str, alternatives))}"


class ResolvedGpu(NamedTuple):
    """A GPU pool's node shape on one cloud, ready for a node pool resource."""

    offering: GpuOffering
    image: NodeImage

    @property
    def instance_type(self) -> str:
        return self.offering.instance_type

    @property
    def accelerator(self) -> str | None:
        return self.offering.accelerator


def offerings(cloud: str, gpu: str) -> list[GpuOffering]:
    """Every node shape `cloud` offers for `gpu`, fewest GPUs first."""
    return sorted(
        (o for o in OFFERINGS if o.cloud == cloud and o.gpu == gpu),
        key=lambda o: (o.gpus_per_node, o.vcpus),
    )


def gpus_offered(cloud: str) -> list[str]:
    """Portable GPU names `cloud` offers, sorted by name."""
    return sorted({o.gpu for o in OFFERINGS if o.cloud == cloud})


def resolve(cloud: str, gpu: str, gpus_per_node: int, image: str | None = None) -> ResolvedGpu:
    """The node shape for `gpus_per_node` x `gpu` on `cloud`, with its GPU node image.

    Where a cloud has several shapes with the same GPU count, the smallest
    (fewest vCPUs) is chosen.
    """
    if cloud not in CLOUDS:
        raise CatalogError("cloud", cloud, _choose("has no GPU catalog", CLOUDS), list(CLOUDS))
    shapes = offerings(cloud, gpu)
    if not shapes:
        offered = gpus_offered(cloud)
        raise CatalogError("gpu", gpu, _choose(f"is not offered on {cloud}", offered), offered)
    matching = [o for o in shapes if o.gpus_per_node == gpus_per_node]
    if not matching:
        counts = sorted({o.gpus_per_node for o in shapes})
        problem = f"GPUs per node is not offered for {gpu} on {cloud}"
        raise CatalogError("gpus_per_node", gpus_per_node, _choose(problem, counts), counts)
    images = NODE_IMAGES[cloud]
    chosen = images[0] if image is None else next((i for i in images if i.name == image), None)
    if chosen is None:
        names = [i.name for i in images]
        problem = _choose(f"is not a GPU node image on {cloud}", names)
        raise CatalogError("node_image", image, problem, names)
    return ResolvedGpu(offering=matching[0], image=chosen)


def resolve_pools(cloud: str, pools: Sequence[Mapping[str, Any]]) -> list[ResolvedGpu]:
    """Each of a component's `gpu_pools` (GpuPoolArgs) resolved on `cloud`. The component's
    `check_args` has already refused a pool `cloud` does not offer, naming the pool and field
    (`gpu_pools[1].gpu: 'L4' is not offered on azure; choose one of ...`)."""
    return [
        resolve(
            cloud,
            pool["gpu"],
            pool.get("gpus_per_node", defaults.GPUS_PER_NODE),
            pool.get("node_image"),
        )
        for pool in pools
    ]
