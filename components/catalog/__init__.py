"""GPU catalog: portable GPU names resolved per cloud to a node shape and image.

`resolve(cloud, gpu, gpus_per_node)` gives the instance type / VM size /
machine type (+ accelerator on GCP) and the GPU node image; a combination a
cloud lacks raises `CatalogError` listing what it does offer.
"""

from typing import NamedTuple

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
]


class CatalogError(LookupError):
    """A GPU, or a GPU count, that a cloud does not offer."""

    def __init__(self, message: str, alternatives: list[str] | list[int]) -> None:
        super().__init__(message)
        self.alternatives = alternatives


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
        raise CatalogError(f"{cloud!r} has no GPU catalog; choose one of", list(CLOUDS))
    shapes = offerings(cloud, gpu)
    if not shapes:
        offered = gpus_offered(cloud)
        raise CatalogError(
            f"is not offered on {cloud}; choose one of {', '.join(offered)}", offered
        )
    matching = [o for o in shapes if o.gpus_per_node == gpus_per_node]
    if not matching:
        counts = sorted({o.gpus_per_node for o in shapes})
        raise CatalogError(
            f"GPUs per node is not offered for {gpu} on {cloud}; "
            f"choose one of {', '.join(map(str, counts))}",
            counts,
        )
    images = NODE_IMAGES[cloud]
    chosen = images[0] if image is None else next((i for i in images if i.name == image), None)
    if chosen is None:
        names = [i.name for i in images]
        raise CatalogError(f"is not a GPU node image on {cloud}; choose one of", names)
    return ResolvedGpu(offering=matching[0], image=chosen)
