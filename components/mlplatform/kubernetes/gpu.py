"""GPU enablement: the NVIDIA device plugin or GPU operator from upstream charts, on GPU nodes only.

Installed only where the GPU node image does not already advertise
`nvidia.com/gpu` (see the catalog's node images). GPU sharing (time-slicing,
MPS, MIG strategy) is per pool: each pool gets a named device-plugin config,
selected by the node label `nvidia.com/device-plugin.config`.
"""

from collections.abc import Sequence
from typing import Any, Required, TypedDict

import pulumi
import pulumi_kubernetes as k8s
import yaml

from mlplatform import defaults
from mlplatform.component_args import check_args
from mlplatform.contracts import ChartSourceArgs, GpuPoolArgs, child
from mlplatform.kubernetes import charts
from mlplatform.kubernetes.labels import labels

DEVICE_PLUGIN_CONFIG_LABEL = defaults.DEVICE_PLUGIN_CONFIG_LABEL
DEFAULT_CONFIG = "default"
GPU_TOLERATIONS = [
    {"key": defaults.GPU_TAINT["key"], "operator": "Exists", "effect": "NoSchedule"},
    {"key": "CriticalAddonsOnly", "operator": "Exists"},
    # AKS taints spot nodes; GPU pools may be spot, so the plugin must run there too.
    {"key": "kubernetes.azure.com/scalesetpriority", "operator": "Exists", "effect": "NoSchedule"},
]
GPU_NODE_SELECTOR = {defaults.GPU_PRESENT_LABEL: "true"}


def pool_config(pool: GpuPoolArgs) -> dict[str, Any]:
    """The device-plugin config document for one pool's sharing mode."""
    mode = pool.get("sharing_mode", defaults.GPU_SHARING_MODE)
    config: dict[str, Any] = {"version": "v1"}
    if mode == "mig":
        config["flags"] = {"migStrategy": "single"}
    elif mode in ("time-slicing", "mps"):
        key = "timeSlicing" if mode == "time-slicing" else "mps"
        config["sharing"] = {
            key: {
                "resources": [
                    {
                        "name": "nvidia.com/gpu",
                        "replicas": pool.get("sharing_replicas", defaults.GPU_SHARING_REPLICAS),
                    }
                ]
            }
        }
    return config


def config_name(pool: GpuPoolArgs) -> str:
    """The named config a pool's nodes select (`default` when the pool does not share)."""
    return (
        DEFAULT_CONFIG
        if pool.get("sharing_mode", defaults.GPU_SHARING_MODE) == "none"
        else pool["name"]
    )


def device_plugin_configs(pools: Sequence[GpuPoolArgs]) -> dict[str, str]:
    """`config.map` of the chart: the default config plus one per sharing pool."""
    configs = {DEFAULT_CONFIG: yaml.safe_dump({"version": "v1"}, sort_keys=False)}
    for pool in pools:
        if config_name(pool) != DEFAULT_CONFIG:
            configs[config_name(pool)] = yaml.safe_dump(pool_config(pool), sort_keys=False)
    return configs


class NvidiaGpuEnablementArgs(TypedDict, total=False):
    """Args of `NvidiaGpuEnablement`."""

    mode: Required[str]
    """device-plugin or gpu-operator."""
    pools: Sequence[GpuPoolArgs]
    """The cluster's GPU pools (their sharing settings). Default: none."""
    driver_preinstalled: bool
    """The node image carries the driver and container toolkit (gpu-operator then installs
    neither). Default: preinstalled."""
    charts: ChartSourceArgs
    """Where the pinned chart comes from. Default: its upstream repository."""


class NvidiaGpuEnablement(pulumi.ComponentResource):
    """Namespace + pinned upstream Helm release that makes GPUs schedulable on GPU nodes."""

    release_name: pulumi.Output[str]
    """Helm release name."""

    def __init__(
        self, name: str, args: NvidiaGpuEnablementArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, NvidiaGpuEnablementArgs, args)
        super().__init__("mlplatform:index:NvidiaGpuEnablement", name, None, opts)
        operator = args["mode"] == "gpu-operator"
        chart = charts.GPU_OPERATOR if operator else charts.NVIDIA_DEVICE_PLUGIN
        namespace = k8s.core.v1.Namespace(
            f"{name}-namespace",
            metadata={
                "name": chart.name,
                "labels": {
                    **labels(chart.name, "gpu-enablement"),
                    # The plugin mounts host paths and runs privileged-ish: not "restricted".
                    "pod-security.kubernetes.io/enforce": "privileged",
                },
            },
            opts=child(self),
        )
        pools = list(args.get("pools", []))
        values = (
            _operator_values(pools, args.get("driver_preinstalled", True))
            if operator
            else _device_plugin_values(pools)
        )
        release = k8s.helm.v3.Release(
            f"{name}-release",
            name=chart.name,
            **charts.release_source(chart, args.get("charts")),
            namespace=namespace.metadata.apply(lambda m: m.name or chart.name),
            values=values,
            atomic=True,
            cleanup_on_fail=True,
            opts=child(self),
        )
        self.release_name = release.name.apply(lambda n: n or "")
        self.register_outputs({"release_name": self.release_name})


def _device_plugin_values(pools: list[GpuPoolArgs]) -> dict[str, Any]:
    # The chart's pods keep their Kubernetes API token (the chart has no switch for it, and
    # needs it): with a config map each runs config-manager, which reads its node's
    # nvidia.com/device-plugin.config label from the API (k8s-device-plugin v0.20.0
    # templates/daemonset-device-plugin.yml); GFD and NFD, when on, label nodes through it.
    values: dict[str, Any] = {
        "nodeSelector": GPU_NODE_SELECTOR,
        "tolerations": GPU_TOLERATIONS,
        "config": {"map": device_plugin_configs(pools), "default": DEFAULT_CONFIG},
    }
    if any(p.get("sharing_mode") == "mps" for p in pools):
        # The chart's MPS control daemon selects nodes labelled nvidia.com/mps.capable,
        # which only gpu-feature-discovery (and the NFD it brings) writes.
        values["gfd"] = {"enabled": True}
    return values


def _operator_values(pools: list[GpuPoolArgs], preinstalled: bool) -> dict[str, Any]:
    # The operator and its operands keep their Kubernetes API tokens: they reconcile the
    # ClusterPolicy and label nodes.
    return {
        "driver": {"enabled": not preinstalled},
        "toolkit": {"enabled": not preinstalled},
        "daemonsets": {"tolerations": GPU_TOLERATIONS},
        "node-feature-discovery": {"worker": {"tolerations": GPU_TOLERATIONS}},
        "devicePlugin": {
            "config": {
                "create": True,
                "name": "device-plugin-configs",
                "default": DEFAULT_CONFIG,
                "data": device_plugin_configs(pools),
            }
        },
    }
