"""Installing the pinned upstream charts (`mlplatform.catalog.charts`) from where the stack says:
each chart's upstream repository, a private OCI registry, or a local copy."""

from typing import Any

from mlplatform.catalog.charts import (
    CERT_MANAGER,
    CLUSTER_AUTOSCALER,
    CLUSTER_AUTOSCALER_IMAGE_TAGS,
    DCGM_EXPORTER,
    GPU_OPERATOR,
    KSERVE,
    KSERVE_CRD,
    KUBE_PROMETHEUS_STACK,
    KUEUE,
    METRICS_SERVER,
    NVIDIA_DEVICE_PLUGIN,
    PINNED,
    PROMETHEUS_OPERATOR_VERSION,
    Chart,
)
from mlplatform.contracts import ChartSourceArgs

__all__ = [
    "CERT_MANAGER",
    "CLUSTER_AUTOSCALER",
    "CLUSTER_AUTOSCALER_IMAGE_TAGS",
    "DCGM_EXPORTER",
    "GPU_OPERATOR",
    "KSERVE",
    "KSERVE_CRD",
    "KUBE_PROMETHEUS_STACK",
    "KUEUE",
    "METRICS_SERVER",
    "NVIDIA_DEVICE_PLUGIN",
    "PINNED",
    "PROMETHEUS_OPERATOR_VERSION",
    "Chart",
    "release_source",
]


def release_source(chart: Chart, sources: ChartSourceArgs | None = None) -> dict[str, Any]:
    """`chart`, `version` and `repository_opts` of a `helm.v3.Release` of the pinned `chart`:
    the local copy `sources` names for it, else `<registry>/<name>` in its OCI registry, else
    the chart's upstream repository."""
    sources = sources or {}
    path = (sources.get("paths") or {}).get(chart.name)
    if path:
        return {"chart": path, "version": chart.version}
    registry = sources.get("registry")
    if registry:
        return {"chart": f"{registry.rstrip('/')}/{chart.name}", "version": chart.version}
    if chart.repo.startswith("oci://"):  # Helm pulls an OCI chart by its reference alone
        return {"chart": f"{chart.repo}/{chart.name}", "version": chart.version}
    return {"chart": chart.name, "version": chart.version, "repository_opts": {"repo": chart.repo}}
