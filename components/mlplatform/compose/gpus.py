"""GPU enablement on any target: the NVIDIA device plugin or GPU operator, where needed."""

from __future__ import annotations

import pulumi

from mlplatform.compose.charts import chart_sources
from mlplatform.compose.spec_args import pool_args
from mlplatform.environment import PlatformConfig
from mlplatform.environment.model import GpuEnablement


def gpu_enablement_mode(cfg: PlatformConfig, image_lacks_plugin: bool) -> str | None:
    """device-plugin, gpu-operator or None (nothing to install)."""
    choice = cfg.cluster.gpu_enablement
    if choice is GpuEnablement.NONE:
        return None
    if choice is GpuEnablement.AUTO:
        return "device-plugin" if cfg.gpu_pools and image_lacks_plugin else None
    return choice.value  # asked for explicitly: also on an existing cluster's own GPU nodes


def enable_gpus(
    name: str,
    cfg: PlatformConfig,
    image_lacks_plugin: bool,
    opts: pulumi.ResourceOptions,
) -> None:
    """Install the NVIDIA device plugin / GPU operator where the node image needs it."""
    mode = gpu_enablement_mode(cfg, image_lacks_plugin)
    if mode is None:
        return
    from mlplatform.kubernetes.gpu import NvidiaGpuEnablement, NvidiaGpuEnablementArgs

    args: NvidiaGpuEnablementArgs = {"mode": mode, "pools": pool_args(cfg)}
    if sources := chart_sources(cfg):
        args["charts"] = sources
    NvidiaGpuEnablement(f"{name}-gpu", args, opts)
