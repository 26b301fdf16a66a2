"""The platform's alert rules: one Python source for the PrometheusRule objects, the rule files
promtool checks, and the runbooks. Thresholds come from the environment spec.

Every rule carries a severity, a summary, a description and a runbook text; expressions are
templates (`@name`, so PromQL's and Go templates' `$` stay literal) filled from `Thresholds`.
"""

from string import Template
from typing import Any, Literal, NamedTuple, TypedDict, cast

from mlplatform import defaults
from mlplatform.kubernetes.monitoring.metrics import (
    INFERENCE_REQUESTS,
    KUEUE_JOB,
    KUEUE_LEADER,
    MLFLOW_JOB,
    PREDICTOR_MODEL,
    PREDICTORS,
)

Severity = Literal["critical", "warning"]


class _Fill(Template):
    delimiter = "@"


class AlertThresholds(TypedDict, total=False):
    """Alert thresholds as a component takes them; each one left out keeps the platform's."""

    gpu_idle_percent: float
    """Utilization (%) below which a GPU a pod holds counts as idle (1-100). Default: 10."""
    gpu_idle_minutes: int
    """Minutes of idleness before GpuIdleWhileAllocated fires (5-1440). Default: 60."""
    gpu_memory_percent: float
    """GPU memory use (%) that GpuMemoryNearlyFull warns at (50-100). Default: 95."""
    gpu_temperature_celsius: float
    """GPU temperature (°C) that GpuTemperatureHigh warns at (50-110). Default: 85."""
    gpu_pending_minutes: int
    """Minutes a GPU pod may stay Pending before GpuPodPendingTooLong fires (1-1440).
    Default: 30."""
    node_not_ready_minutes: int
    """Minutes a GPU node may be NotReady before GpuNodeNotReady fires (1-120). Default: 5."""
    mlflow_error_percent: float
    """Share (%) of MLflow requests failing with 5xx that MlflowHighErrorRate fires at
    (above 0, at most 100). Default: 5."""
    volume_full_percent: float
    """Volume use (%) that PersistentVolumeNearlyFull warns at (50 to below 100). Default: 90."""
    queue_pending_minutes: int
    """Minutes a team's queue may hold waiting workloads while admitting none before
    GpuQueueStalled fires (5-1440). Default: 60."""
    serving_latency_seconds: float
    """95th percentile of a served model's request time (s) that ModelServingSlow fires above
    (above 0, below 10). Default: 1."""
    serving_error_percent: float
    """Share (%) of a served model's requests failing with 5xx that ModelServingErrors fires at
    (above 0, at most 100). Default: 5."""


class Thresholds(NamedTuple):
    """Alert thresholds; the defaults live in `mlplatform.defaults`."""

    gpu_idle_percent: float = defaults.ALERT_GPU_IDLE_PERCENT
    gpu_idle_minutes: int = defaults.ALERT_GPU_IDLE_MINUTES
    gpu_memory_percent: float = defaults.ALERT_GPU_MEMORY_PERCENT
    gpu_temperature_celsius: float = defaults.ALERT_GPU_TEMPERATURE_CELSIUS
    gpu_pending_minutes: int = defaults.ALERT_GPU_PENDING_MINUTES
    node_not_ready_minutes: int = defaults.ALERT_NODE_NOT_READY_MINUTES
    mlflow_error_percent: float = defaults.ALERT_MLFLOW_ERROR_PERCENT
    volume_full_percent: float = defaults.ALERT_VOLUME_FULL_PERCENT
    queue_pending_minutes: int = defaults.ALERT_QUEUE_PENDING_MINUTES
    serving_latency_seconds: float = defaults.ALERT_SERVING_LATENCY_SECONDS
    serving_error_percent: float = defaults.ALERT_SERVING_ERROR_PERCENT

    @classmethod
    def of(cls, given: AlertThresholds) -> "Thresholds":
        """Component args, already checked against the spec's ranges (`check_args`), as the
        spec's numbers (a percentage given as an integer is a float)."""
        from mlplatform.environment.model import AlertsSpec

        return cls(**AlertsSpec.model_validate(given).model_dump())

    def args(self) -> AlertThresholds:
        """These thresholds as component args."""
        return cast(AlertThresholds, self._asdict())


class AlertRule(NamedTuple):
    """One alert: a PromQL template, how long it must hold, and what a human should do."""

    name: str
    group: str
    expr: str
    for_: str
    severity: Severity
    summary: str
    description: str
    runbook: str

    def render(self, thresholds: Thresholds) -> dict[str, Any]:
        """The rule in Prometheus' rule-file shape, thresholds filled in."""
        values = {k: _number(v) for k, v in thresholds._asdict().items()}
        fill = lambda text: _Fill(text).substitute(values)  # noqa: E731
        return {
            "alert": self.name,
            "expr": fill(self.expr),
            "for": fill(self.for_),
            "labels": {"severity": self.severity, "source": "mlplatform"},
            "annotations": {
                "summary": fill(self.summary),
                "description": fill(self.description),
                "runbook": fill(self.runbook),
            },
        }


def _number(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


GPU, MLFLOW, STORAGE = "mlplatform-gpu", "mlplatform-mlflow", "mlplatform-storage"
QUEUES = "mlplatform-queues"
"""Kueue's queues (with `scheduling` on): its metrics, pkg/metrics/metrics.go of v0.17.0."""

_KUEUE_GPUS = f'resource="nvidia.com/gpu", {KUEUE_LEADER}'
ADMISSION_WINDOW = "5m"
"""Window in which GpuQueueStalled looks for an admission at each evaluation: a few scrapes
(`increase` needs two samples), short beside its `queue_pending_minutes` (5 or more)."""

SERVING = "mlplatform-serving"
"""Served models (with `serving` on): MLServer's request metrics, which the model's PodMonitor
labels with `namespace`, `pod` and `model`, and kube-state-metrics' predictor Deployments."""

RULES: tuple[AlertRule, ...] = (
    AlertRule(
        name="GpuIdleWhileAllocated",
        group=GPU,
        # Full GPUs report utilization; MIG slices only report profiling metrics (0-1).
        expr=(
            "(\n"
            '  avg by (namespace, pod) (DCGM_FI_DEV_GPU_UTIL{pod!=""})\n'
            "  or\n"
            "  avg by (namespace, pod)"
            ' (DCGM_FI_PROF_GR_ENGINE_ACTIVE{pod!="", GPU_I_ID!=""}) * 100\n'
            ") < @gpu_idle_percent"
        ),
        for_="@{gpu_idle_minutes}m",
        severity="warning",
        summary="GPU allocated to {{ $labels.namespace }}/{{ $labels.pod }} is idle",
        description=(
            "Pod {{ $labels.namespace }}/{{ $labels.pod }} holds GPUs that averaged "
            "{{ $value | humanize }}% utilization for @{gpu_idle_minutes} minutes "
            "(threshold @gpu_idle_percent%). Idle GPUs cost as much as busy ones."
        ),
        runbook=(
            "Ask the pod's owner whether it still needs the GPU (notebooks and stuck jobs are "
            "the usual cause); delete or scale it down so the autoscaler can remove the node. "
            "If the workload is input-bound, fix the data loader before adding GPUs."
        ),
    ),
    AlertRule(
        name="GpuMemoryNearlyFull",
        group=GPU,
        expr=(
            "DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE) * 100"
            " > @gpu_memory_percent"
        ),
        for_="15m",
        severity="warning",
        summary="GPU memory nearly full on {{ $labels.Hostname }} GPU {{ $labels.gpu }}",
        description=(
            "GPU {{ $labels.gpu }} ({{ $labels.modelName }}) on {{ $labels.Hostname }} has used "
            "{{ $value | humanize }}% of its memory for 15 minutes (threshold "
            "@gpu_memory_percent%); the next allocation will fail with out-of-memory."
        ),
        runbook=(
            "Check the pod on this GPU ({{ $labels.namespace }}/{{ $labels.pod }}): lower the "
            "batch size, enable gradient checkpointing or mixed precision, or move it to a "
            "pool with larger GPUs. Frameworks that reserve all memory up front (JAX, "
            "TensorFlow) trip this by design: set their memory-growth option."
        ),
    ),
    AlertRule(
        name="GpuXidError",
        group=GPU,
        # The field holds the last XID code until the next one: alert when it changes to a
        # non-zero code, not forever after.
        # The left side's value (the XID code) is what the alert reports.
        expr="DCGM_FI_DEV_XID_ERRORS > 0 and changes(DCGM_FI_DEV_XID_ERRORS[15m]) > 0",
        for_="0m",
        severity="critical",
        summary="XID {{ $value }} on {{ $labels.Hostname }} GPU {{ $labels.gpu }}",
        description=(
            "The NVIDIA driver reported XID error {{ $value }} on GPU {{ $labels.gpu }} "
            "({{ $labels.modelName }}, {{ $labels.UUID }}) of node {{ $labels.Hostname }}."
        ),
        runbook=(
            "Look the code up in NVIDIA's XID catalogue. 13/31/43/45 are usually the "
            "application's fault (bad kernel, killed process): tell the pod's owner. 48, 63, "
            "64, 74, 79, 92, 94, 95 point at the hardware or the bus: cordon and drain the node, "
            "then replace it (delete the node and let the autoscaler bring a new one)."
        ),
    ),
    AlertRule(
        name="GpuEccDoubleBitErrors",
        group=GPU,
        expr=(
            "increase(DCGM_FI_DEV_ECC_DBE_VOL_TOTAL[10m]) > 0 or DCGM_FI_DEV_ROW_REMAP_FAILURE > 0"
        ),
        for_="0m",
        severity="critical",
        summary="Uncorrectable memory errors on {{ $labels.Hostname }} GPU {{ $labels.gpu }}",
        description=(
            "GPU {{ $labels.gpu }} ({{ $labels.UUID }}) on {{ $labels.Hostname }} had "
            "double-bit ECC errors or failed to remap a row: results computed on it may be "
            "wrong and jobs on it will crash."
        ),
        runbook=(
            "Cordon and drain the node now, then replace it (delete the node; the cloud gives a "
            "new host). Re-run jobs that ran on it since the error if their results matter."
        ),
    ),
    AlertRule(
        name="GpuTemperatureHigh",
        group=GPU,
        expr="DCGM_FI_DEV_GPU_TEMP > @gpu_temperature_celsius",
        for_="5m",
        severity="warning",
        summary="GPU {{ $labels.gpu }} on {{ $labels.Hostname }} at {{ $value }}°C",
        description=(
            "GPU {{ $labels.gpu }} ({{ $labels.modelName }}) on {{ $labels.Hostname }} has been "
            "above @gpu_temperature_celsius°C for 5 minutes; it will throttle and may shut down."
        ),
        runbook=(
            "On a cloud VM the host's cooling is the provider's: if one node runs hot while its "
            "peers do not, drain and replace it; if a whole pool does, open a support case."
        ),
    ),
    AlertRule(
        name="GpuThermalThrottling",
        group=GPU,
        expr="rate(DCGM_FI_DEV_THERMAL_VIOLATION[5m]) > 0",
        for_="10m",
        severity="warning",
        summary="GPU {{ $labels.gpu }} on {{ $labels.Hostname }} is thermally throttled",
        description=(
            "GPU {{ $labels.gpu }} on {{ $labels.Hostname }} has lowered its clocks for thermal "
            "limits for 10 minutes: jobs on it run slower than on its peers."
        ),
        runbook=(
            "Compare with GpuTemperatureHigh and the node's peers; drain and replace the node if "
            "only it throttles."
        ),
    ),
    AlertRule(
        name="GpuPodPendingTooLong",
        group=GPU,
        expr=(
            "(sum by (namespace, pod)"
            ' (kube_pod_container_resource_requests{resource="nvidia_com_gpu"}) > 0)\n'
            'and on (namespace, pod) (kube_pod_status_phase{phase="Pending"} == 1)'
        ),
        for_="@{gpu_pending_minutes}m",
        severity="warning",
        summary="GPU pod {{ $labels.namespace }}/{{ $labels.pod }} pending",
        description=(
            "Pod {{ $labels.namespace }}/{{ $labels.pod }} has waited @{gpu_pending_minutes} "
            "minutes for GPUs."
        ),
        runbook=(
            "kubectl describe pod: 'exceeded quota' means the team's GPU quota is used up; "
            "'Insufficient nvidia.com/gpu' with no scale-up means the pool is at maxNodes or "
            "the cloud has no capacity (spot, or the GPU quota of the account/subscription/"
            "project); check the cluster autoscaler's events."
        ),
    ),
    AlertRule(
        name="GpuQuotaExhausted",
        group=GPU,
        # A pod over quota is never created, so it never shows up as Pending: watch the quota.
        expr=(
            'kube_resourcequota{resource="requests.nvidia.com/gpu", type="used"}\n'
            ">= on (namespace, resourcequota, resource)\n"
            'kube_resourcequota{resource="requests.nvidia.com/gpu", type="hard"}'
        ),
        for_="@{gpu_pending_minutes}m",
        severity="warning",
        summary="Team {{ $labels.namespace }} uses all of its GPU quota",
        description=(
            "Namespace {{ $labels.namespace }} has used its whole GPU quota "
            "({{ $value }} GPUs) for @{gpu_pending_minutes} minutes: new GPU pods are refused "
            "at creation and never appear as Pending."
        ),
        runbook=(
            "kubectl -n {{ $labels.namespace }} describe resourcequota, then look for idle GPU "
            "holders (GpuIdleWhileAllocated). Raise the team's maxGpus in the stack config if "
            "the demand is real and the budget allows."
        ),
    ),
    AlertRule(
        name="GpuNodeNotReady",
        group=GPU,
        expr=(
            '(kube_node_status_condition{condition="Ready", status="true"} == 0)\n'
            'and on (node) (kube_node_status_capacity{resource="nvidia_com_gpu"} > 0)'
        ),
        for_="@{node_not_ready_minutes}m",
        severity="critical",
        summary="GPU node {{ $labels.node }} is not Ready",
        description=(
            "GPU node {{ $labels.node }} has not been Ready for @{node_not_ready_minutes} "
            "minutes; its GPU pods are not running."
        ),
        runbook=(
            "kubectl describe node {{ $labels.node }}: look for driver or device-plugin "
            "failures, disk pressure or a spot reclaim. A node that does not recover should be "
            "deleted so the autoscaler replaces it."
        ),
    ),
    AlertRule(
        name="MlflowDown",
        group=MLFLOW,
        # No replica up, or none scraped at all (the target vanished): both read as zero.
        expr=f'(sum(up{{job="{MLFLOW_JOB}"}}) or vector(0)) == 0',
        for_="5m",
        severity="critical",
        summary="MLflow tracking server is down or cannot reach its database",
        description=(
            "No MLflow replica has answered a scrape for 5 minutes. The scrape passes basic "
            "auth, which reads users from PostgreSQL: a database outage shows up here too "
            "(the integration test sees /metrics answer 503 while /health stays 200)."
        ),
        runbook=(
            "kubectl -n <mlflow namespace> get pods,events. Pods Ready but scrapes failing: "
            "the database (see MlflowDatabaseUnavailable's runbook). A failed migration Job "
            "blocks the rollout (read its logs); CrashLoopBackOff with database errors points "
            "at the PostgreSQL credentials or network policy; ImagePullBackOff at mlflow.image."
        ),
    ),
    AlertRule(
        name="MlflowHighErrorRate",
        group=MLFLOW,
        expr=(
            f'sum(rate(mlflow_http_request_total{{job="{MLFLOW_JOB}", status=~"5.."}}[5m]))\n'
            f'/ sum(rate(mlflow_http_request_total{{job="{MLFLOW_JOB}"}}[5m])) * 100'
            " > @mlflow_error_percent"
        ),
        for_="10m",
        severity="warning",
        summary="MLflow answers {{ $value | humanize }}% of requests with 5xx",
        description=(
            "More than @mlflow_error_percent% of MLflow's requests failed with a server error "
            "for 10 minutes."
        ),
        runbook=(
            "Read the server logs. Artifact errors (403/AccessDenied from the bucket) mean the "
            "workload identity lost its grant; database errors show up as "
            "MlflowDatabaseUnavailable."
        ),
    ),
    AlertRule(
        name="MlflowDatabaseUnavailable",
        group=MLFLOW,
        # SQLAlchemy OperationalError (connection refused, lost, timed out) becomes MLflow's
        # TEMPORARILY_UNAVAILABLE, HTTP 503 (mlflow/store/db/utils.py).
        expr=(f'sum(rate(mlflow_http_request_total{{job="{MLFLOW_JOB}", status="503"}}[5m])) > 0'),
        for_="5m",
        severity="critical",
        summary="MLflow cannot reach its PostgreSQL database",
        description=(
            "MLflow has answered 503 (database temporarily unavailable) for 5 minutes: "
            "SQLAlchemy intermittently cannot reach PostgreSQL. A full outage also blocks "
            "the scrape and fires MlflowDown instead."
        ),
        runbook=(
            "Check the database (cloud console: status, connections, storage full, failover "
            "in progress), then the network path from the mlflow namespace (security group, "
            "NetworkPolicy, private DNS) and whether the password in the MLflow Secret still "
            "matches."
        ),
    ),
    AlertRule(
        name="MetricsPipelineDown",
        group=STORAGE,
        # Without cluster-state metrics every GPU and pod alert above is blind, silently.
        expr='absent(up{job="kube-state-metrics"} == 1)',
        for_="10m",
        severity="critical",
        summary="No cluster-state metrics for 10 minutes",
        description=(
            "kube-state-metrics has not been scraped for 10 minutes (or, with a managed "
            "Prometheus, its samples stopped arriving): the GPU, quota and node alerts cannot "
            "fire."
        ),
        runbook=(
            "kubectl -n monitoring get pods: is kube-state-metrics running, is Prometheus? "
            "With a managed Prometheus, check Prometheus' logs for write or export errors "
            "(401/403: its workload identity's role, which Azure takes up to 30 minutes to "
            "apply; 429: ingestion limits)."
        ),
    ),
    AlertRule(
        name="PersistentVolumeNearlyFull",
        group=STORAGE,
        expr=(
            "kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes * 100"
            " < 100 - @volume_full_percent"
        ),
        for_="15m",
        severity="warning",
        summary="Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} nearly full",
        description=(
            "PersistentVolumeClaim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} "
            "has been more than @volume_full_percent% full for 15 minutes "
            "({{ $value | humanize }}% free now)."
        ),
        runbook=(
            "Grow the claim (edit spec.resources.requests.storage; the storage class must allow "
            "expansion) or delete what filled it; for Prometheus, lower monitoring.retentionDays."
        ),
    ),
    AlertRule(
        name="GpuQueueStalled",
        group=QUEUES,
        # Kueue marks a workload inadmissible when it does not fit (no quota left, or the
        # queue is inactive) and retries it when something changes: those wait for GPUs and
        # are GpuCohortExhausted's. An `active` one is retried at once, so active workloads
        # and no admission for this long mean the scheduler itself is stuck. A queue that
        # never admitted anything has no counter yet: `unless` keeps it.
        expr=(
            f"(max by (cluster_queue)"
            f' (kueue_pending_workloads{{status="active", {KUEUE_LEADER}}}) > 0)\n'
            "unless on (cluster_queue)\n"
            f"(sum by (cluster_queue) (increase(kueue_admitted_workloads_total{{{KUEUE_LEADER}}}"
            f"[{ADMISSION_WINDOW}])) > 0)"
        ),
        for_="@{queue_pending_minutes}m",
        severity="warning",
        summary="Team queue {{ $labels.cluster_queue }} admits nothing",
        description=(
            "ClusterQueue {{ $labels.cluster_queue }} has had workloads waiting for "
            "@{queue_pending_minutes} minutes ({{ $value }} now) that Kueue keeps trying to "
            "admit (they are not marked inadmissible), and it has admitted none since: they "
            "do not wait for quota, Kueue cannot place them."
        ),
        runbook=(
            "kubectl -n {{ $labels.cluster_queue }} get workloads (the team's namespace has "
            "its name) and describe the oldest: its conditions say why it is not admitted. "
            "Waiting for preempted workloads to stop points at pods that do not terminate "
            "(finalizers, long grace periods). Otherwise read the Kueue leader's logs "
            "(kubectl -n kueue-system logs deploy/kueue-controller-manager) for scheduler "
            "errors, and restart it if it is wedged."
        ),
    ),
    AlertRule(
        name="GpuCohortExhausted",
        group=QUEUES,
        # Kueue's cohort series exist for the Cohort object itself, without
        # enableClusterQueueResources: subtree_quota is the cohort's own quota plus what its
        # queues lend (all of their quota unless a lendingLimit keeps some back) and
        # subtree_resource_reservations what its queues reserve
        # (pkg/cache/scheduler/cohort_metrics.go, resource_node.go). The waiting workloads
        # are per ClusterQueue, mapped to their cohort by the queue quota series (which need
        # enableClusterQueueResources, which GpuQueues sets). Both statuses count: a
        # workload that does not fit is inadmissible until something frees GPUs.
        # 30 minutes: a full cohort is what lending is for, and a finished job's GPUs go to
        # the waiting workloads within seconds; half an hour full with workloads still
        # waiting means the pools, at their maximum size, are too small for the demand.
        expr=(
            "max by (cohort, flavor)"
            f" (kueue_cohort_subtree_resource_reservations{{{_KUEUE_GPUS}}})\n"
            ">= on (cohort, flavor)\n"
            f"max by (cohort, flavor) (kueue_cohort_subtree_quota{{{_KUEUE_GPUS}}})\n"
            "and on (cohort)\n"
            "(\n"
            "  sum by (cohort) (\n"
            f"    sum by (cluster_queue) (kueue_pending_workloads{{{KUEUE_LEADER}}})\n"
            "    * on (cluster_queue) group_left (cohort)\n"
            "    group by (cluster_queue, cohort)"
            f" (kueue_cluster_queue_nominal_quota{{{_KUEUE_GPUS}}})\n"
            "  ) > 0\n"
            ")"
        ),
        for_="30m",
        severity="warning",
        summary=(
            "Every {{ $labels.flavor }} GPU of cohort {{ $labels.cohort }} is reserved while "
            "workloads wait"
        ),
        description=(
            "Kueue has reserved {{ $value }} {{ $labels.flavor }} GPUs in cohort "
            "{{ $labels.cohort }}, all it can lend, for 30 minutes while workloads of its "
            "team queues wait. The cohort lends its own GPUs and every team's quota except "
            "what a team keeps back (lendingLimit): with lending limits, at most the GPUs kept "
            "back may still be free."
        ),
        runbook=(
            "kubectl get clusterqueues shows each team's reservations and pending workloads. "
            "If the demand is real, raise the GPU pool's maxNodes (the quotas follow the "
            "pools at their maximum size) or add a pool; otherwise find idle GPU holders "
            "(GpuIdleWhileAllocated) and ask the teams to stop them."
        ),
    ),
    AlertRule(
        name="GpuQueueInactive",
        group=QUEUES,
        # `pending`: accepted but unable to admit (a ResourceFlavor it names is missing, or
        # it is stopped); Kueue then counts all its workloads inadmissible, so
        # GpuQueueStalled cannot see it. `terminating` (being deleted) is left out.
        expr=(
            "max by (cluster_queue)"
            f' (kueue_cluster_queue_status{{status="pending", {KUEUE_LEADER}}}) == 1'
        ),
        for_="10m",
        severity="warning",
        summary="Team queue {{ $labels.cluster_queue }} is inactive",
        description=(
            "ClusterQueue {{ $labels.cluster_queue }} has not been active for 10 minutes: "
            "it admits no workload, and none of its quota can be borrowed."
        ),
        runbook=(
            "kubectl describe clusterqueue {{ $labels.cluster_queue }}: the Active condition's "
            "reason says why (FlavorNotFound: a ResourceFlavor was deleted, re-run "
            "pulumi up; Stopped: someone set spec.stopPolicy, set it back to None)."
        ),
    ),
    AlertRule(
        name="KueueDown",
        group=QUEUES,
        # No replica up, or none scraped at all (the target vanished): both read as zero.
        expr=f'(sum(up{{job="{KUEUE_JOB}"}}) or vector(0)) == 0',
        for_="5m",
        severity="critical",
        summary="Kueue is down or not scraped",
        description=(
            "No Kueue controller has answered a scrape for 5 minutes. If Kueue is down, its "
            "webhooks (failurePolicy Fail) refuse every job kind it queues created in a team "
            "namespace; if only the scrape fails, the queue alerts are blind."
        ),
        runbook=(
            "kubectl -n kueue-system get pods,events: CrashLoopBackOff points at its "
            "configuration (the logs name the field), ImagePullBackOff at the image pin. Pods "
            "Ready but scrapes failing: check Prometheus' targets page for the job "
            f"{KUEUE_JOB} (TLS or authorization of the metrics port, 8443)."
        ),
    ),
    AlertRule(
        name="ModelServingSlow",
        group=SERVING,
        # Every replica's histogram together, per model; the inference routes only (the
        # readiness probe's answers would pull the percentile down). No requests: no value.
        expr=(
            "histogram_quantile(0.95, sum by (namespace, model, le) (rate("
            f"rest_server_request_duration_seconds_bucket{{{INFERENCE_REQUESTS}}}[5m])))\n"
            "> @serving_latency_seconds"
        ),
        for_="10m",
        severity="warning",
        summary="Model {{ $labels.model }} answers in {{ $value | humanize }}s (p95)",
        description=(
            "The 95th percentile of the inference requests to model {{ $labels.model }} in "
            "namespace {{ $labels.namespace }} has been above @{serving_latency_seconds}s "
            "for 10 minutes ({{ $value | humanize }}s now)."
        ),
        runbook=(
            "Grafana's Model serving dashboard: latency that follows the request rate wants "
            "more replicas (the model's maxReplicas, or more cpu per replica: kubectl -n "
            "{{ $labels.namespace }} top pods -l serving.kserve.io/inferenceservice="
            "{{ $labels.model }}); latency that came with a new model version is the model's. "
            "MLServer's histogram ends at 10s: a p95 beyond it reads as 10."
        ),
    ),
    AlertRule(
        name="ModelServingErrors",
        group=SERVING,
        expr=(
            "sum by (namespace, model) (rate(rest_server_requests_total{"
            f'{INFERENCE_REQUESTS}, status_code=~"5.."}}[5m]))\n'
            "/ sum by (namespace, model) (rate(rest_server_requests_total{"
            f"{INFERENCE_REQUESTS}}}[5m])) * 100\n"
            ">= @serving_error_percent"
        ),
        for_="10m",
        severity="warning",
        summary="Model {{ $labels.model }} fails {{ $value | humanize }}% of its requests",
        description=(
            "At least @serving_error_percent% of the inference requests to model "
            "{{ $labels.model }} in namespace {{ $labels.namespace }} have failed with a "
            "server error (5xx) for 10 minutes ({{ $value | humanize }}% now)."
        ),
        runbook=(
            "kubectl -n {{ $labels.namespace }} logs -l serving.kserve.io/inferenceservice="
            "{{ $labels.model }} -c kserve-container: MLServer logs each failure. MLServer "
            "answers 500 to a request that lacks an input of the model's signature too (a "
            "client's mistake: MlflowException 'Model is missing inputs'); a replica killed "
            "for memory (kubectl describe pod: OOMKilled) wants more memory."
        ),
    ),
    AlertRule(
        name="ModelServingDown",
        group=SERVING,
        # kube-state-metrics, not `up`: the model's PodMonitor has no target once every pod
        # is gone, while its Deployment stays and reports 0 available. Scaled to zero on
        # purpose (spec 0) is not down. `model` from KServe's Deployment name.
        expr=(
            "label_replace(\n"
            f"  max by (namespace, deployment) (kube_deployment_spec_replicas{{{PREDICTORS}}})"
            " > 0\n"
            "  and on (namespace, deployment)\n"
            "  max by (namespace, deployment)"
            f" (kube_deployment_status_replicas_available{{{PREDICTORS}}}) == 0,\n"
            f"  {PREDICTOR_MODEL}\n"
            ")"
        ),
        for_="10m",
        severity="critical",
        summary="Model {{ $labels.model }} has no replica serving",
        description=(
            "None of the {{ $value }} replicas Deployment {{ $labels.deployment }} wants in "
            "namespace {{ $labels.namespace }} has been available for 10 minutes: every "
            "request to model {{ $labels.model }} fails."
        ),
        runbook=(
            "kubectl -n {{ $labels.namespace }} get inferenceservice {{ $labels.model }} and "
            "describe its pods (-l serving.kserve.io/inferenceservice={{ $labels.model }}). "
            "Pending: no node fits (its GPU pool at maxNodes, or the team's GPU quota, see "
            "GpuQuotaExhausted). storage-initializer failing: the model cannot be fetched "
            "(its modelUri, the team identity's read grant on the artifact store). "
            "kserve-container not ready: the model did not load, its log says why. A new "
            "model on a GPU pool that scales up from zero nodes can take this long to start."
        ),
    ),
)


def rule_groups(
    thresholds: Thresholds | None = None,
    mlflow: bool = True,
    queues: bool = False,
    serving: bool = False,
) -> list[dict[str, Any]]:
    """Every rule, grouped, in the shape of a Prometheus rule file's `groups` (and of a
    PrometheusRule's spec.groups); without MLflow its group is left out (MlflowDown would
    fire for ever), the queue group comes only with Kueue (`queues`: KueueDown likewise) and
    the serving group only with KServe (`serving`)."""
    chosen = thresholds or Thresholds()
    left_out = {MLFLOW: not mlflow, QUEUES: not queues, SERVING: not serving}
    groups: dict[str, list[dict[str, Any]]] = {}
    for rule in RULES:
        if left_out.get(rule.group, False):
            continue
        groups.setdefault(rule.group, []).append(rule.render(chosen))
    return [{"name": name, "rules": rules} for name, rules in groups.items()]
