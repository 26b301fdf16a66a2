"""The metrics the alert rules and dashboards may use, each list with where it was read.

A rule or panel that names a metric outside these lists fails the tests: an alert on a
metric nobody exports never fires.
"""

from __future__ import annotations

from mlplatform.catalog.charts import KUEUE

DCGM_SOURCE = (
    "NVIDIA/dcgm-exporter etc/default-counters.csv and deployment/templates/"
    "metrics-configmap.yaml at tag 4.5.3-4.8.2 (691c927, chart 4.8.2); ECC, retired-page and "
    "thermal-violation counters are commented out upstream and enabled by our counters file"
)
DCGM_COUNTERS: tuple[tuple[str, str, str], ...] = (
    # (field, Prometheus type, help) in dcgm-exporter's CSV format.
    ("DCGM_FI_DEV_SM_CLOCK", "gauge", "SM clock frequency (in MHz)."),
    ("DCGM_FI_DEV_MEM_CLOCK", "gauge", "Memory clock frequency (in MHz)."),
    ("DCGM_FI_DEV_MEMORY_TEMP", "gauge", "Memory temperature (in C)."),
    ("DCGM_FI_DEV_GPU_TEMP", "gauge", "GPU temperature (in C)."),
    ("DCGM_FI_DEV_POWER_USAGE", "gauge", "Power draw (in W)."),
    ("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "counter", "Total energy since boot (in mJ)."),
    ("DCGM_FI_DEV_PCIE_REPLAY_COUNTER", "counter", "Total number of PCIe retries."),
    ("DCGM_FI_DEV_GPU_UTIL", "gauge", "GPU utilization (in %)."),
    ("DCGM_FI_DEV_MEM_COPY_UTIL", "gauge", "Memory utilization (in %)."),
    ("DCGM_FI_DEV_ENC_UTIL", "gauge", "Encoder utilization (in %)."),
    ("DCGM_FI_DEV_DEC_UTIL", "gauge", "Decoder utilization (in %)."),
    ("DCGM_FI_DEV_XID_ERRORS", "gauge", "Value of the last XID error encountered."),
    ("DCGM_FI_DEV_FB_FREE", "gauge", "Framebuffer memory free (in MiB)."),
    ("DCGM_FI_DEV_FB_USED", "gauge", "Framebuffer memory used (in MiB)."),
    ("DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL", "counter", "Total NVLink bandwidth counter."),
    ("DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS", "counter", "Rows remapped for DBEs."),
    ("DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS", "counter", "Rows remapped for SBEs."),
    ("DCGM_FI_DEV_ROW_REMAP_FAILURE", "gauge", "Whether remapping of rows has failed."),
    ("DCGM_FI_PROF_GR_ENGINE_ACTIVE", "gauge", "Ratio of time the graphics engine is active."),
    ("DCGM_FI_PROF_PIPE_TENSOR_ACTIVE", "gauge", "Ratio of cycles the tensor pipe is active."),
    ("DCGM_FI_PROF_DRAM_ACTIVE", "gauge", "Ratio of cycles the memory interface is active."),
    ("DCGM_FI_PROF_PCIE_TX_BYTES", "gauge", "PCIe bytes transmitted per second."),
    ("DCGM_FI_PROF_PCIE_RX_BYTES", "gauge", "PCIe bytes received per second."),
    # Off upstream, on here: the hardware-health alerts need them.
    ("DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", "counter", "Single-bit volatile ECC errors."),
    ("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", "counter", "Double-bit volatile ECC errors."),
    ("DCGM_FI_DEV_RETIRED_DBE", "counter", "Pages retired for double-bit errors."),
    ("DCGM_FI_DEV_THERMAL_VIOLATION", "counter", "Throttling time from thermal limits (in ns)."),
    ("DCGM_FI_DEV_POWER_VIOLATION", "counter", "Throttling time from power limits (in ns)."),
)
DCGM_LABELS = ("gpu", "UUID", "pci_bus_id", "device", "modelName", "Hostname")
"""Labels on every DCGM series (render_metrics.go); MIG instances add GPU_I_PROFILE and
GPU_I_ID, and a GPU allocated to a pod adds pod, namespace and container (pod-resources).
`Hostname` is the released 4.8.2 spelling; upstream main renamed it `hostname` (d5e5f510):
re-check the rules and dashboards when the chart moves."""


def dcgm_counters_csv() -> str:
    """The exporter's counters file (the chart's `customMetrics`)."""
    lines = ["# Format: DCGM field, Prometheus metric type, help message"]
    lines += [f"{name}, {kind}, {text}" for name, kind, text in DCGM_COUNTERS]
    return "\n".join(lines) + "\n"


KUBE_STATE_METRICS_SOURCE = (
    "kubernetes/kube-state-metrics docs/metrics (v2.20.0, the kube-prometheus-stack 88.5.3 "
    "subchart); kubelet volume stats from kube-prometheus-stack's kubernetes-storage rules"
)
KUBERNETES_METRICS = (
    "kube_pod_container_resource_requests",
    "kube_pod_status_phase",
    "kube_resourcequota",
    "kube_node_status_condition",
    "kube_node_status_capacity",
    "kube_node_status_allocatable",
    "kubelet_volume_stats_available_bytes",
    "kubelet_volume_stats_capacity_bytes",
    # docs/metrics/workload/deployment-metrics.md: STABLE, labels deployment and namespace.
    "kube_deployment_spec_replicas",
    "kube_deployment_status_replicas_available",
    "up",
)

MLFLOW_SOURCE = (
    "mlflow 3.17.2 server/prometheus_exporter.py (prometheus-flask-exporter 0.23.2, prefix "
    "'mlflow', group_by mlflow_version); checked against the real server by the integration test"
)
MLFLOW_METRICS = (
    "mlflow_http_request_total",
    "mlflow_http_request_duration_seconds_bucket",
    "mlflow_http_request_duration_seconds_count",
    "mlflow_http_request_duration_seconds_sum",
)
MLFLOW_JOB = "mlflow"
"""The `job` label of MLflow's scrape (the ServiceMonitor takes it from the Service's
app.kubernetes.io/name label)."""


KUEUE_SOURCE = (
    "sigs.k8s.io/kueue v0.17.0 pkg/metrics/metrics.go (subsystem `kueue`); the cluster queue "
    "quota and reservation series only with metrics.enableClusterQueueResources, which "
    "`GpuQueues` turns on"
)
KUEUE_METRICS = (
    "kueue_pending_workloads",
    "kueue_admitted_workloads_total",
    "kueue_cluster_queue_status",
    "kueue_cluster_queue_nominal_quota",
    "kueue_cluster_queue_resource_reservation",
    "kueue_cohort_subtree_quota",
    "kueue_cohort_subtree_resource_reservations",
)
KUEUE_LEADER = 'replica_role="leader"'
"""Every Kueue series carries `replica_role`: `leader`, `follower` (a replica waiting for the
lease, which reports gauges too) or `standalone` (leader election off); the platform runs two
replicas with leader election on (pkg/util/roletracker/tracker.go), so rules and panels read
the leader's series only."""
KUEUE_JOB = f"{KUEUE.name}-controller-manager-metrics-service"
"""The `job` label of Kueue's scrape: the chart's ServiceMonitor sets no jobLabel, so the
Prometheus operator names the job after the Service it selects, `<fullname>-controller-manager-
metrics-service` (charts/kueue/templates/manager/auth_proxy_service.yaml), where the fullname
is the release name `kueue` (it contains the chart's name, templates/_helpers.tpl)."""


SERVING_SOURCE = (
    "MLServer 1.7.1 mlserver/rest/app.py (starlette_exporter 0.24.0 PrometheusMiddleware, "
    "app_name 'mlserver', prefix 'rest_server'), scraped from a real MLServer on loopback "
    "(.tools/research/mlserver-metrics.md)"
)
SERVING_METRICS = (
    "rest_server_requests_total",
    "rest_server_request_duration_seconds_bucket",
)
"""Labels `app_name`, `method`, `path` (the route template, e.g.
`/v2/models/{model_name}/infer`) and `status_code`, no model: the model's PodMonitor adds
`namespace`, `pod` and `model` (one model per pod). The histogram's largest finite bucket is
10s (prometheus_client's default buckets)."""
INFERENCE_REQUESTS = 'app_name="mlserver", path=~".+/infer|/invocations"'
"""Label matchers of MLServer's inference requests: `app_name` is starlette_exporter's label
on every MLServer REST series; the paths are the routes that answer predictions, the V2
`/v2/models/{model_name}/infer` (also under `/versions/{model_version}`) and MLflow's
`/invocations`. Not the per-model readiness route the readinessProbe calls every 10 seconds,
the metadata route or MLflow's `/ping`; MLServer does not count `/v2/health/*` and `/metrics`
at all."""
PREDICTORS = 'deployment=~".+-predictor"'
"""Label matcher of served models' Deployments in KServe's Standard mode,
`<InferenceService>-predictor` (KServe v0.20.0 pkg/constants/constants.go
PredictorServiceName; the Deployment takes the component's name,
reconcilers/deployment/deployment_reconciler.go)."""
PREDICTOR_MODEL = '"model", "$1", "deployment", "(.+)-predictor"'
"""label_replace arguments that name a predictor Deployment's model (its InferenceService)."""


def known_metrics() -> frozenset[str]:
    """Every metric name a rule or panel may reference."""
    return frozenset(
        [name for name, _, _ in DCGM_COUNTERS]
        + list(KUBERNETES_METRICS)
        + list(MLFLOW_METRICS)
        + list(KUEUE_METRICS)
        + list(SERVING_METRICS)
    )
