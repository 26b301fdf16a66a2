"""Layer 2.1, the environment spec: what makes GPUs schedulable for a spec (pure), decided once
for the composition that installs it (`compose/gpus.py`) and the preflight that names it
(`preflight/names.py`)."""

from __future__ import annotations

from mlplatform.environment.model import GpuEnablement, PlatformConfig


def gpu_enablement_mode(cfg: PlatformConfig, image_lacks_plugin: bool) -> str | None:
    """device-plugin, gpu-operator or None (nothing to install): on auto the device plugin
    only where the spec's GPU pools run an image that lacks one; a choice made explicitly also
    on an existing cluster's own GPU nodes."""
    choice = cfg.cluster.gpu_enablement
    if choice is GpuEnablement.NONE:
        return None
    if choice is GpuEnablement.AUTO:
        return "device-plugin" if cfg.gpu_pools and image_lacks_plugin else None
    return choice.value
