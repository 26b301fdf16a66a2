"""GPU enablement on any target: the NVIDIA device plugin or GPU operator, where needed."""

from __future__ import annotations

import pulumi

from mlplatform.compose.charts import chart_sources
from mlplatform.compose.spec_args import pool_args
from mlplatform.environment import PlatformConfig
from mlplatform.environment.gpus import gpu_enablement_mode


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
