"""Monitoring on any target: the in-cluster stack from the spec, feeding a managed
Prometheus where the cloud target gives one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pulumi

from mlplatform.compose.charts import chart_sources
from mlplatform.environment import PlatformConfig

if TYPE_CHECKING:  # the kubernetes SDK loads only when monitoring is on
    from mlplatform.kubernetes.monitoring.managed import ManagedPrometheus
    from mlplatform.kubernetes.monitoring.rules import Thresholds
    from mlplatform.kubernetes.monitoring.stack import MonitoringStack


def alert_thresholds(cfg: PlatformConfig) -> Thresholds:
    """The spec's alert thresholds in the rules' terms."""
    from mlplatform.kubernetes.monitoring.rules import Thresholds

    return Thresholds(**cfg.monitoring.alerts.model_dump())


def alert_rule_groups(cfg: PlatformConfig) -> list[dict[str, Any]]:
    """The rule groups the spec's platform runs, for a managed Prometheus to evaluate: the
    groups of the in-cluster PrometheusRule (MLflow's, the queues' and the served models' as
    the spec turns them on), at the spec's thresholds."""
    from mlplatform.kubernetes.monitoring.rules import rule_groups

    return rule_groups(
        alert_thresholds(cfg),
        mlflow=cfg.mlflow.enabled,
        queues=cfg.scheduling.enabled,
        serving=cfg.serving.enabled,
    )


def add_monitoring(
    name: str,
    cfg: PlatformConfig,
    tags: Mapping[str, str],
    webhooks: Sequence[pulumi.Input[str]],
    opts: pulumi.ResourceOptions,
    storage_class: str | None = None,
    managed: ManagedPrometheus | None = None,
) -> MonitoringStack | None:
    """The in-cluster monitoring stack, when the spec turns it on, feeding a managed
    Prometheus when one is given; Alertmanager posts to `webhooks` (the spec's and the
    platform's secret ones)."""
    if not cfg.monitoring.enabled:
        return None
    from mlplatform.kubernetes.monitoring.stack import MonitoringStack, MonitoringStackArgs

    spec = cfg.monitoring
    args: MonitoringStackArgs = {
        "retention_days": spec.retention_days,
        "storage_gi": spec.storage_gi,
        "storage_class": storage_class,
        "prometheus_cpu": spec.prometheus_cpu,
        "prometheus_memory": spec.prometheus_memory,
        "grafana": spec.grafana,
        "gpu_nodes": bool(cfg.gpu_pools) or cfg.target.value == "kubernetes",
        "thresholds": alert_thresholds(cfg).args(),
        "mlflow": cfg.mlflow.enabled,
        "queues": cfg.scheduling.enabled,
        "serving": cfg.serving.enabled,
        "gke": cfg.target.value == "gcp",
        "webhooks": [pulumi.Output.secret(url) for url in webhooks],
        "tags": tags,
    }
    if managed is not None:
        args["managed"] = managed
    if sources := chart_sources(cfg):
        args["charts"] = sources
    return MonitoringStack(f"{name}-monitoring", args, opts)
