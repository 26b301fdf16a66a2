"""What every cloud's components share: the GPU pool args, child options, pool labels.

A capability (artifact store, registry, GPU cluster) takes the same field, with the same
name, type and default, on every target that honours it; each component's args list only
the fields it honours (an Azure registry has no `scan_on_push`), so none is silently
ignored. `tests/unit/test_public_api.py` holds the shared fields to one definition.
"""

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Required, TypedDict

import pulumi

from mlplatform import defaults
from mlplatform.catalog.names import GpuName, SharingMode

if TYPE_CHECKING:  # what code writes: a string the type checker holds to the set
    from mlplatform.catalog.names import GpuNameText as GpuNameArg
    from mlplatform.catalog.names import SharingModeText as SharingModeArg
else:  # what the component package shows other languages: an enum
    GpuNameArg, SharingModeArg = GpuName, SharingMode

SECONDS_PER_DAY = 86_400


def child(parent: pulumi.Resource, protect: bool = False, **kwargs) -> pulumi.ResourceOptions:
    """Options for a component's child: parented to the component, protected if stateful."""
    return pulumi.ResourceOptions(parent=parent, protect=protect, **kwargs)


class GpuPoolArgs(TypedDict, total=False):
    """One autoscaling GPU node pool, the same on every cloud."""

    name: Required[str]
    """Pool name: lowercase letters, digits and dashes, at most 20 characters (on AKS 1-12
    lowercase letters and digits)."""
    gpu: Required[GpuNameArg]
    """Portable GPU name resolved by the catalog (T4, L4, A10, A100-40GB, A100-80GB, H100, H200)."""
    gpus_per_node: int
    """GPUs per node; picks the node shape. Default: 1."""
    min_nodes: int
    """Autoscaling lower bound (0 scales to zero). Default: 0."""
    max_nodes: int
    """Autoscaling upper bound. Default: 1."""
    spot: bool
    """Spot / preemptible capacity. Default: on-demand."""
    sharing_mode: SharingModeArg
    """none, time-slicing, mps or mig. Default: none."""
    sharing_replicas: int
    """Pods per GPU for time-slicing / MPS. Default: 1."""
    mig_profile: str | None
    """MIG profile such as 1g.10gb (mig only). Default: none."""
    node_image: str | None
    """GPU node image from the catalog. Default: the cloud's first catalog image."""
    disk_size_gb: int
    """Encrypted boot disk in GB. Default: 200."""
    zones: Sequence[str]
    """Zones (Azure zone numbers, GCP zone names). Default: the cluster's zones."""


class ChartSourceArgs(TypedDict, total=False):
    """Where a component's pinned Helm charts come from (air-gapped clusters)."""

    registry: str | None
    """OCI registry mirroring the charts, each pulled as `<registry>/<chart name>` at its pinned
    version (oci://registry.example.com/helm-charts). Default: each chart's upstream repository."""
    paths: Mapping[str, str]
    """A local copy (folder with Chart.yaml, or .tgz) per chart name, relative to the folder of
    Pulumi.yaml; it wins over `registry`. Default: none."""


def pool_labels(pool: GpuPoolArgs) -> dict[str, str]:
    """Node labels of a GPU pool: portable GPU name, pool name, GPU present."""
    found = {
        defaults.GPU_LABEL: pool["gpu"],
        defaults.POOL_LABEL: pool["name"],
        defaults.GPU_PRESENT_LABEL: "true",
    }
    if pool.get("sharing_mode", defaults.GPU_SHARING_MODE) != "none":
        # Selects this pool's named NVIDIA device-plugin config (see kubernetes/gpu.py).
        found[defaults.DEVICE_PLUGIN_CONFIG_LABEL] = pool["name"]
    return found
