"""Layer 1, data: what a GPU pool gives the Kubernetes scheduler, the units a team's GPU quota
counts (`requests.nvidia.com/gpu`, `mlplatform.kubernetes.teams`).

Every pool advertises the one resource `nvidia.com/gpu`, whatever its sharing mode, so the
quota always governs a resource the pools advertise; what changes with sharing is how many
units one physical GPU gives:

- no sharing: one per GPU;
- time-slicing and MPS: `replicas` per GPU. The NVIDIA device plugin, configured without
  `renameByDefault` (`mlplatform.kubernetes.gpu.pool_config`), "would now advertise 80
  `nvidia.com/gpu` resources to Kubernetes instead of 8" for 8 GPUs at 10 replicas
  (NVIDIA/k8s-device-plugin README.md @ cb6e45ec357705e6458f753eb04a4bde31ec18cf, "Shared
  Access to GPUs"; read 2026-12-06); on GKE `max_shared_clients_per_gpu` is "the number of
  time-shared GPU resources to expose for each physical GPU" (GKE API AcceleratorConfig,
  read 2026-12-06);
- MIG: the instances of the pool's profile per GPU (`mlplatform.catalog.limits.mig`). With
  the device plugin's `migStrategy: single` (what `pool_config` sets), the MIG devices are served as
  `nvidia.com/gpu`: an A100 cut into 7 x 1g.5gb shows `nvidia.com/gpu.count: 7` (NVIDIA
  cloud-native docs, "MIG Support in Kubernetes", 2021-04-26); on GKE "each GPU partition
  appears as a regular GPU resource" (cloud.google.com/kubernetes-engine/docs/how-to/
  gpus-multi, read 2026-12-06).

`tests/unit/preflight/test_capacity.py` holds `GPU_RESOURCE` equal to the team quota's key
and to the device plugin configs the platform writes, so a change there cannot leave the
quota counting a resource no pool advertises.
"""

from __future__ import annotations

GPU_RESOURCE = "nvidia.com/gpu"
"""The extended resource every GPU pool advertises and every team quota limits."""
