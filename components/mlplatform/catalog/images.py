"""GPU node images per cloud: which image a GPU pool boots and what it already provides.

`provides_device_plugin` decides whether the platform must install the NVIDIA
device plugin (or GPU operator) itself. Each row cites the page it was checked
against and the date.
"""

from typing import NamedTuple


class NodeImage(NamedTuple):
    """A GPU node image and how its NVIDIA driver gets onto the node."""

    name: str
    """Cloud's identifier: EKS AMI type, AKS OS SKU, GKE image type."""
    driver: str
    """How the driver is installed: "in-image" (baked into the AMI), "aks-managed"
    (AKS gpuProfile driver Install), "gke-managed" (gpu_driver_installation_config)."""
    provides_device_plugin: bool
    """Whether the image / service already runs the NVIDIA device plugin."""
    source: str
    checked: str = "2026-11-27"


NODE_IMAGES: dict[str, tuple[NodeImage, ...]] = {
    # The first image of each cloud is the default.
    "aws": (
        NodeImage(
            name="AL2023_x86_64_NVIDIA",
            driver="in-image",
            provides_device_plugin=False,
            source="https://docs.aws.amazon.com/eks/latest/userguide/ml-eks-k8s-device-plugin.html",
        ),
        NodeImage(
            name="BOTTLEROCKET_x86_64_NVIDIA",
            driver="in-image",
            provides_device_plugin=True,
            source="https://docs.aws.amazon.com/eks/latest/userguide/ml-eks-k8s-device-plugin.html",
        ),
    ),
    "azure": (
        NodeImage(
            name="Ubuntu",
            driver="aks-managed",
            provides_device_plugin=False,
            source="https://learn.microsoft.com/en-us/azure/aks/use-nvidia-gpu",
        ),
        NodeImage(
            name="AzureLinux",
            driver="aks-managed",
            provides_device_plugin=False,
            source="https://learn.microsoft.com/en-us/azure/aks/use-nvidia-gpu",
        ),
    ),
    "gcp": (
        NodeImage(
            name="COS_CONTAINERD",
            driver="gke-managed",
            provides_device_plugin=True,
            source="https://cloud.google.com/kubernetes-engine/docs/how-to/gpus",
        ),
        NodeImage(
            name="UBUNTU_CONTAINERD",
            driver="gke-managed",
            provides_device_plugin=True,
            source="https://cloud.google.com/kubernetes-engine/docs/how-to/gpus",
        ),
    ),
}
