"""Grafana dashboards as code: GPU fleet (with Kueue's team queues when they run), GPU cost
waste, MLflow and, when KServe serves models, model serving, shipped as ConfigMaps the Grafana
sidecar discovers (label grafana_dashboard=1). Every panel query is PromQL over the metrics in
`metrics.py`; the tests parse each one with promtool."""

from typing import Any, NamedTuple

from mlplatform import defaults
from mlplatform.kubernetes.monitoring.metrics import (
    INFERENCE_REQUESTS,
    KUEUE_LEADER,
    MLFLOW_JOB,
    PREDICTOR_MODEL,
    PREDICTORS,
)
from mlplatform.kubernetes.monitoring.rules import Thresholds

SCHEMA_VERSION = 39
DASHBOARD_LABEL = {"grafana_dashboard": "1"}
"""What kube-prometheus-stack's Grafana sidecar looks for (grafana.sidecar.dashboards)."""


class Panel(NamedTuple):
    """One time series (or stat) panel: title, unit and its queries with legends."""

    title: str
    queries: tuple[tuple[str, str], ...]
    unit: str = "short"
    kind: str = "timeseries"
    description: str = ""


class Dashboard(NamedTuple):
    uid: str
    title: str
    panels: tuple[Panel, ...]

    def to_json(self, source_type: str = "prometheus") -> dict[str, Any]:
        """The Grafana dashboard model: two panels per row, a data source variable listing the
        data sources of `source_type` (prometheus, or a managed Prometheus' plugin)."""
        panels = []
        for i, panel in enumerate(self.panels):
            panels.append(
                {
                    "id": i + 1,
                    "type": panel.kind,
                    "title": panel.title,
                    "description": panel.description,
                    "datasource": {"type": source_type, "uid": "${datasource}"},
                    "gridPos": {"h": 8, "w": 12, "x": 12 * (i % 2), "y": 8 * (i // 2)},
                    "fieldConfig": {"defaults": {"unit": panel.unit}, "overrides": []},
                    "options": {},
                    "targets": [
                        {
                            "refId": chr(ord("A") + j),
                            "expr": expr,
                            "legendFormat": legend,
                            "datasource": {"type": source_type, "uid": "${datasource}"},
                        }
                        for j, (expr, legend) in enumerate(panel.queries)
                    ],
                }
            )
        return {
            "uid": self.uid,
            "title": self.title,
            "tags": ["mlplatform"],
            "timezone": "browser",
            "schemaVersion": SCHEMA_VERSION,
            "editable": False,
            "refresh": "1m",
            "time": {"from": "now-24h", "to": "now"},
            "templating": {
                "list": [
                    {
                        "name": "datasource",
                        "label": "Data source",
                        "type": "datasource",
                        "query": source_type,
                        "current": {},
                        "hide": 0,
                    }
                ]
            },
            "panels": panels,
        }


def queue_panels() -> tuple[Panel, ...]:
    """Kueue's team queues (the leader replica's series): what waits, each team's GPU quota
    per pool against what it reserves, what it borrows beyond its quota, and the cohort's
    GPUs as GpuCohortExhausted compares them."""
    gpus = f'resource="nvidia.com/gpu", {KUEUE_LEADER}'
    quota = f"max by (cluster_queue, flavor) (kueue_cluster_queue_nominal_quota{{{gpus}}})"
    reserved = (
        f"max by (cluster_queue, flavor) (kueue_cluster_queue_resource_reservation{{{gpus}}})"
    )
    return (
        Panel(
            "Workloads waiting per team queue",
            (
                (
                    f"max by (cluster_queue, status) (kueue_pending_workloads{{{KUEUE_LEADER}}})",
                    "{{cluster_queue}} {{status}}",
                ),
            ),
            description=(
                "active: Kueue is trying to admit them; inadmissible: they do not fit and "
                "wait for GPUs to free up."
            ),
        ),
        Panel(
            "GPU quota and reservations per team and pool",
            (
                (quota, "{{cluster_queue}}/{{flavor}} quota"),
                (reserved, "{{cluster_queue}}/{{flavor}} reserved"),
            ),
            description="Each team's guaranteed GPUs per pool, and what its workloads reserve.",
        ),
        Panel(
            "GPUs borrowed per team and pool",
            ((f"clamp_min({reserved} - {quota}, 0)", "{{cluster_queue}}/{{flavor}}"),),
            description="GPUs a team holds beyond its quota, lent by the cohort.",
        ),
        Panel(
            "Cohort GPUs reserved and lendable",
            (
                (
                    "max by (cohort, flavor)"
                    f" (kueue_cohort_subtree_resource_reservations{{{gpus}}})",
                    "{{cohort}}/{{flavor}} reserved",
                ),
                (
                    f"max by (cohort, flavor) (kueue_cohort_subtree_quota{{{gpus}}})",
                    "{{cohort}}/{{flavor}} lendable",
                ),
            ),
            description=(
                "The cohort's own GPUs plus what the teams lend (all their quota unless a "
                "lendingLimit keeps some back), against what the teams reserve."
            ),
        ),
    )


def serving_dashboard(thresholds: Thresholds) -> Dashboard:
    """Served models (MLServer's inference routes, every replica of a model together, and the
    predictor Deployments' available replicas), each with the serving alerts' thresholds."""
    per_model = "{{namespace}}/{{model}}"
    requests = f"rate(rest_server_requests_total{{{INFERENCE_REQUESTS}}}[5m])"
    return Dashboard(
        uid=defaults.DASHBOARD_SERVING,
        title="mlplatform / Model serving",
        panels=(
            Panel(
                "Inference requests per second by model",
                ((f"sum by (namespace, model) ({requests})", per_model),),
                "reqps",
            ),
            Panel(
                "Inference latency p95 by model",
                (
                    (
                        "histogram_quantile(0.95, sum by (namespace, model, le) (rate("
                        "rest_server_request_duration_seconds_bucket"
                        f"{{{INFERENCE_REQUESTS}}}[5m])))",
                        per_model,
                    ),
                ),
                "s",
                description=(
                    "95th percentile of the inference requests' time, all replicas of a model "
                    "together. ModelServingSlow fires above "
                    f"{thresholds.serving_latency_seconds:g}s."
                ),
            ),
            Panel(
                "Inference server errors by model",
                (
                    (
                        "sum by (namespace, model) (rate(rest_server_requests_total{"
                        f'{INFERENCE_REQUESTS}, status_code=~"5.."}}[5m]))'
                        f" / sum by (namespace, model) ({requests}) * 100",
                        per_model,
                    ),
                ),
                "percent",
                description=(
                    "Share of the inference requests answered 5xx. ModelServingErrors fires at "
                    f"{thresholds.serving_error_percent:g}%."
                ),
            ),
            Panel(
                "Replicas available by model",
                (
                    (
                        "label_replace(max by (namespace, deployment)"
                        f" (kube_deployment_status_replicas_available{{{PREDICTORS}}}),"
                        f" {PREDICTOR_MODEL})",
                        per_model,
                    ),
                ),
            ),
        ),
    )


def dashboards(
    thresholds: Thresholds | None = None, queues: bool = False, serving: bool = False
) -> list[Dashboard]:
    """The platform's dashboards; the idle threshold is the alert's, so both agree on waste.
    With `queues` (Kueue runs), the GPU fleet dashboard adds the team queues' panels; with
    `serving` (KServe serves models), the model serving dashboard comes last."""
    chosen = thresholds or Thresholds()
    idle = chosen.gpu_idle_percent
    allocated_util = 'DCGM_FI_DEV_GPU_UTIL{pod!=""}'
    idle_gpus = f"({allocated_util} < {idle:g})"
    gpu_requests = 'kube_pod_container_resource_requests{resource="nvidia_com_gpu"}'
    mlflow = f'job="{MLFLOW_JOB}"'
    return [
        Dashboard(
            uid=defaults.DASHBOARD_GPU_FLEET,
            title="mlplatform / GPU fleet",
            panels=(
                Panel(
                    "GPU utilization by node",
                    (("avg by (Hostname) (DCGM_FI_DEV_GPU_UTIL)", "{{Hostname}}"),),
                    "percent",
                ),
                Panel(
                    "GPU utilization by pod",
                    (
                        (
                            f"avg by (namespace, pod) ({allocated_util})",
                            "{{namespace}}/{{pod}}",
                        ),
                    ),
                    "percent",
                ),
                Panel(
                    "GPU memory used",
                    (
                        (
                            "sum by (Hostname, gpu) (DCGM_FI_DEV_FB_USED) / sum by (Hostname, "
                            "gpu) (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE) * 100",
                            "{{Hostname}} GPU {{gpu}}",
                        ),
                    ),
                    "percent",
                ),
                Panel(
                    "Power draw by node",
                    (("sum by (Hostname) (DCGM_FI_DEV_POWER_USAGE)", "{{Hostname}}"),),
                    "watt",
                ),
                Panel(
                    "GPU temperature",
                    (
                        (
                            "max by (Hostname, gpu) (DCGM_FI_DEV_GPU_TEMP)",
                            "{{Hostname}} GPU {{gpu}}",
                        ),
                    ),
                    "celsius",
                ),
                Panel(
                    "Tensor core activity by namespace",
                    (
                        (
                            'avg by (namespace) (DCGM_FI_PROF_PIPE_TENSOR_ACTIVE{pod!=""}) * 100',
                            "{{namespace}}",
                        ),
                    ),
                    "percent",
                ),
                Panel(
                    "GPUs requested by namespace",
                    ((f"sum by (namespace) ({gpu_requests})", "{{namespace}}"),),
                ),
                Panel(
                    "XID errors (last code per GPU)",
                    (("DCGM_FI_DEV_XID_ERRORS > 0", "{{Hostname}} GPU {{gpu}}"),),
                ),
                *(queue_panels() if queues else ()),
            ),
        ),
        Dashboard(
            uid=defaults.DASHBOARD_GPU_WASTE,
            title="mlplatform / GPU cost waste",
            panels=(
                Panel(
                    "Idle GPUs held by pods now",
                    ((f"count({idle_gpus}) or vector(0)", "idle GPUs"),),
                    kind="stat",
                    description=f"GPUs a pod holds at under {idle:g}% utilization.",
                ),
                Panel(
                    "Idle GPU-hours by namespace, last 24h",
                    (
                        (
                            f"sum by (namespace) (count_over_time({idle_gpus}[24h:1m])) / 60",
                            "{{namespace}}",
                        ),
                    ),
                    "h",
                    kind="stat",
                ),
                Panel(
                    "Idle GPUs by namespace",
                    ((f"count by (namespace) ({idle_gpus})", "{{namespace}}"),),
                ),
                Panel(
                    "GPUs allocatable vs requested",
                    (
                        (
                            'sum(kube_node_status_allocatable{resource="nvidia_com_gpu"})',
                            "allocatable",
                        ),
                        (f"sum({gpu_requests})", "requested"),
                    ),
                ),
            ),
        ),
        Dashboard(
            uid=defaults.DASHBOARD_MLFLOW,
            title="mlplatform / MLflow",
            panels=(
                Panel(
                    "Requests per second by status",
                    (
                        (
                            f"sum by (status) (rate(mlflow_http_request_total{{{mlflow}}}[5m]))",
                            "{{status}}",
                        ),
                    ),
                    "reqps",
                ),
                Panel(
                    "Latency",
                    tuple(
                        (
                            f"histogram_quantile({q}, sum by (le) (rate("
                            f"mlflow_http_request_duration_seconds_bucket{{{mlflow}}}[5m])))",
                            f"p{int(q * 100)}",
                        )
                        for q in (0.5, 0.95, 0.99)
                    ),
                    "s",
                ),
                Panel(
                    "Server errors",
                    (
                        (
                            f'sum(rate(mlflow_http_request_total{{{mlflow}, status=~"5.."}}[5m]))'
                            f" / sum(rate(mlflow_http_request_total{{{mlflow}}}[5m])) * 100",
                            "5xx %",
                        ),
                    ),
                    "percent",
                ),
                Panel(
                    "Replicas answering scrapes",
                    ((f"sum(up{{{mlflow}}}) or vector(0)", "up"),),
                    kind="stat",
                ),
            ),
        ),
        *([serving_dashboard(chosen)] if serving else []),
    ]
