"""Upstream Helm charts the platform installs, pinned, each with where its version was checked.

Third-party cluster software comes from its upstream chart as a
`helm.v3.Release` (an ordinary resource the offline engine and policies can
inspect); nothing here is Bitnami.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chart:
    """A pinned upstream chart."""

    name: str
    repo: str
    version: str
    source: str
    checked: str = "2026-11-27"


NVIDIA_DEVICE_PLUGIN = Chart(
    name="nvidia-device-plugin",
    repo="https://nvidia.github.io/k8s-device-plugin",
    version="0.20.0",
    source="NVIDIA/k8s-device-plugin tag v0.20.0 (2026-08-19), gh-pages index.yaml",
)
GPU_OPERATOR = Chart(
    name="gpu-operator",
    repo="https://helm.ngc.nvidia.com/nvidia",
    version="v26.7.0",
    source="NVIDIA/gpu-operator tag v26.7.0 (2026-08-20); NVIDIA/cloud-native-docs repo.toml",
)
CLUSTER_AUTOSCALER = Chart(
    name="cluster-autoscaler",
    repo="https://kubernetes.github.io/autoscaler",
    version="9.59.0",
    source="kubernetes/autoscaler cluster-autoscaler/charts/cluster-autoscaler/Chart.yaml "
    "(9.59.0, 2026-07-21; the chart README allows overriding image.tag per Kubernetes minor)",
)
CLUSTER_AUTOSCALER_IMAGE_TAGS = {"1.35": "v1.35.2", "1.36": "v1.36.1"}
"""cluster-autoscaler releases matching each Kubernetes minor (tags cluster-autoscaler-1.35.2,
cluster-autoscaler-1.36.1 in kubernetes/autoscaler)."""
