"""The generated alert rules, judged by promtool: `check rules` on the rule file, and
`test rules` unit tests that feed synthetic series and assert each alert fires when it should
(with its rendered labels and annotations) and stays silent when it should not, and that it
does so exactly when its `for` has elapsed. The annotations are checked against the numbers the
rules evaluate."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from mlplatform.kubernetes.monitoring.metrics import known_metrics
from mlplatform.kubernetes.monitoring.rules import RULES, Thresholds, rule_groups

PROMTOOL = shutil.which("promtool")
"""Installed by scripts/dev (Debian package prometheus); a missing promtool fails the tests."""

GPU = {"gpu": "0", "UUID": "GPU-1", "Hostname": "gpu-node-1", "modelName": "NVIDIA L4"}
POD = {"namespace": "research", "pod": "train-0", "container": "main"}
MLFLOW = {"job": "mlflow", "namespace": "mlflow", "instance": "10.0.0.7:5000"}
QUOTA = {
    "namespace": "research",
    "resourcequota": "gpu-quota",
    "resource": "requests.nvidia.com/gpu",
}
KUEUE_TARGET = {
    "job": "kueue-controller-manager-metrics-service",
    "namespace": "kueue-system",
    "service": "kueue-controller-manager-metrics-service",
    "endpoint": "https",
    "container": "manager",
    "pod": "kueue-controller-manager-6f7d9c5b8-x2x9q",
    "instance": "10.0.1.5:8443",
}
"""The target labels Prometheus adds to every Kueue series (the chart's ServiceMonitor)."""
SECOND_REPLICA = KUEUE_TARGET | {
    "pod": "kueue-controller-manager-6f7d9c5b8-k4m2z",
    "instance": "10.0.2.7:8443",
}
LEADER = KUEUE_TARGET | {"replica_role": "leader"}
FOLLOWER = SECOND_REPLICA | {"replica_role": "follower"}
GPUS = {"cohort": "gpus", "flavor": "a100", "resource": "nvidia.com/gpu"}


def pending(queue: str, status: str, role: dict[str, str] = LEADER) -> str:
    """kueue_pending_workloads{cluster_queue, status, replica_role} (pkg/metrics/metrics.go)."""
    return series("kueue_pending_workloads", role | {"cluster_queue": queue, "status": status})


def admitted(queue: str) -> str:
    """kueue_admitted_workloads_total{cluster_queue, priority_class, replica_role}."""
    return series(
        "kueue_admitted_workloads_total", LEADER | {"cluster_queue": queue, "priority_class": ""}
    )


def nominal(queue: str, cohort: str = "gpus") -> str:
    """kueue_cluster_queue_nominal_quota{cohort, cluster_queue, flavor, resource, ...}."""
    return series(
        "kueue_cluster_queue_nominal_quota",
        LEADER | GPUS | {"cohort": cohort, "cluster_queue": queue},
    )


def cohort_series(name: str, role: dict[str, str] = LEADER) -> str:
    """kueue_cohort_subtree_{quota,resource_reservations}{cohort, flavor, resource, ...}."""
    return series(name, role | GPUS)


def queue_status(queue: str, status: str) -> str:
    """kueue_cluster_queue_status{cluster_queue, status, replica_role}: 1 for the current."""
    return series("kueue_cluster_queue_status", LEADER | {"cluster_queue": queue, "status": status})


def cohort_full(reserved: str, waiting: str, queue: str = "research") -> dict[str, str]:
    """A cohort of 8 GPUs on one flavor, `reserved` of them, `waiting` workloads inadmissible
    in the team queue `queue` (its nominal quota maps it to a cohort)."""
    return {
        cohort_series("kueue_cohort_subtree_quota"): "8x40",
        cohort_series("kueue_cohort_subtree_resource_reservations"): reserved,
        nominal("research"): "4x40",
        nominal("vision", cohort="other"): "4x40",
        pending(queue, "inadmissible"): waiting,
        pending(queue, "active"): "0x40",
    }


MODEL_POD = {
    "job": "research/churn",
    "namespace": "research",
    "pod": "churn-predictor-5d8f7c9b6-q7x2m",
    "container": "kserve-container",
    "endpoint": "metrics",
    "instance": "10.0.4.9:8082",
    "model": "churn",
}
"""The target labels of a served model's MLServer (the model's PodMonitor: the operator's
job `<namespace>/<PodMonitor>`, and `model` from the pod's serving.kserve.io/inferenceservice
label)."""
SECOND_MODEL_POD = MODEL_POD | {
    "pod": "churn-predictor-5d8f7c9b6-w4k8n",
    "instance": "10.0.5.2:8082",
}
OTHER_MODEL_POD = MODEL_POD | {
    "job": "research/fraud",
    "pod": "fraud-predictor-7c6d5b8f9-m2p4r",
    "instance": "10.0.4.12:8082",
    "model": "fraud",
}
INFER = "/v2/models/{model_name}/infer"
"""The V2 inference route as MLServer 1.7.1 labels it (.tools/research/mlserver-metrics.md)."""
READY = "/v2/models/{model_name}/ready"
"""The per-model readiness route the readinessProbe calls every 10 seconds."""


def requests(
    status: str, path: str = INFER, pod: dict[str, str] = MODEL_POD, method: str = "POST"
) -> str:
    """rest_server_requests_total{app_name, method, path, status_code} (starlette_exporter
    0.24.0 in MLServer 1.7.1) with the scrape's target labels."""
    return series(
        "rest_server_requests_total",
        pod | {"app_name": "mlserver", "method": method, "path": path, "status_code": status},
    )


def request_time(
    buckets: dict[str, str], status: str = "200", pod: dict[str, str] = MODEL_POD
) -> dict[str, str]:
    """rest_server_request_duration_seconds_bucket of the inference route, one series per
    upper bound `le` (cumulative counters, as the histogram exports them)."""
    labels = pod | {"app_name": "mlserver", "method": "POST", "path": INFER, "status_code": status}
    return {
        series("rest_server_request_duration_seconds_bucket", labels | {"le": le}): values
        for le, values in buckets.items()
    }


AT_ONE_SECOND = {"0.5": "0+18x30", "1.0": "0+19x30", "2.5": "0+20x30", "+Inf": "0+20x30"}
"""20 requests a minute, 19 of them within 1s and 18 within 0.5s: the 95th percentile is
exactly 1s."""
ABOVE_ONE_SECOND = {"0.5": "0+17x30", "1.0": "0+18x30", "2.5": "0+20x30", "+Inf": "0+20x30"}
"""20 requests a minute, 18 within 1s: the 95th percentile is 1.75s (the 19th request, halfway
into the 1-2.5s bucket)."""


def deployment(name: str, wanted: str, available: str) -> dict[str, str]:
    """A Deployment's wanted (spec) and available replicas over time, as kube-state-metrics
    exports them (kube_deployment_*{namespace, deployment})."""
    labels = {
        "job": "kube-state-metrics",
        "instance": "10.0.0.9:8080",
        "namespace": "research",
        "deployment": name,
    }
    return {
        series("kube_deployment_spec_replicas", labels): wanted,
        series("kube_deployment_status_replicas_available", labels): available,
    }


def series(name: str, labels: dict[str, str]) -> str:
    return name + "{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}"


@dataclass
class Case:
    """Input series, when to evaluate, and the alert labels expected (none: silent)."""

    why: str
    inputs: dict[str, str]
    at: str
    fires: list[dict[str, str]] = field(default_factory=list)
    value: float | None = None


CASES: dict[str, list[Case]] = {
    "GpuIdleWhileAllocated": [
        Case(
            "allocated GPU at 3% for 70m",
            {series("DCGM_FI_DEV_GPU_UTIL", GPU | POD): "3x90"},
            "70m",
            [{"namespace": "research", "pod": "train-0"}],
            3,
        ),
        Case(
            "allocated MIG slice at 2% (profiling metric)",
            {series("DCGM_FI_PROF_GR_ENGINE_ACTIVE", GPU | POD | {"GPU_I_ID": "1"}): "0.02x90"},
            "70m",
            [{"namespace": "research", "pod": "train-0"}],
            2,
        ),
        Case("busy GPU", {series("DCGM_FI_DEV_GPU_UTIL", GPU | POD): "85x90"}, "70m"),
        Case("idle GPU no pod holds", {series("DCGM_FI_DEV_GPU_UTIL", GPU): "0x90"}, "70m"),
        Case(
            "idle for less than an hour", {series("DCGM_FI_DEV_GPU_UTIL", GPU | POD): "3x90"}, "50m"
        ),
    ],
    "GpuMemoryNearlyFull": [
        Case(
            "97% used for 20m",
            {
                series("DCGM_FI_DEV_FB_USED", GPU | POD): "23280x30",
                series("DCGM_FI_DEV_FB_FREE", GPU | POD): "720x30",
            },
            "20m",
            [GPU | POD],
            97,
        ),
        Case(
            "half used",
            {
                series("DCGM_FI_DEV_FB_USED", GPU | POD): "12000x30",
                series("DCGM_FI_DEV_FB_FREE", GPU | POD): "12000x30",
            },
            "20m",
        ),
    ],
    "GpuXidError": [
        Case(
            "XID 79 appears",
            {series("DCGM_FI_DEV_XID_ERRORS", GPU): "0x10 79x10"},
            "15m",
            [GPU],
            79,
        ),
        Case("no XID", {series("DCGM_FI_DEV_XID_ERRORS", GPU): "0x30"}, "25m"),
        Case(
            "an old XID the field still holds",
            {series("DCGM_FI_DEV_XID_ERRORS", GPU): "0 79x60"},
            "50m",
        ),
    ],
    "GpuEccDoubleBitErrors": [
        Case(
            "new double-bit errors",
            {series("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", GPU): "0x10 2x10"},
            "15m",
            [GPU],
            2,
        ),
        Case(
            "row remapping failed",
            {series("DCGM_FI_DEV_ROW_REMAP_FAILURE", GPU): "1x10"},
            "5m",
            [GPU],
            1,
        ),
        Case(
            "no errors",
            {
                series("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", GPU): "0x30",
                series("DCGM_FI_DEV_ROW_REMAP_FAILURE", GPU): "0x30",
            },
            "25m",
        ),
    ],
    "GpuTemperatureHigh": [
        Case("90°C for 10m", {series("DCGM_FI_DEV_GPU_TEMP", GPU): "90x20"}, "10m", [GPU], 90),
        Case("70°C", {series("DCGM_FI_DEV_GPU_TEMP", GPU): "70x20"}, "10m"),
        Case("a 2-minute spike", {series("DCGM_FI_DEV_GPU_TEMP", GPU): "70x5 95x2 70x10"}, "10m"),
    ],
    "GpuThermalThrottling": [
        Case(
            "throttled 1s of every minute",
            {series("DCGM_FI_DEV_THERMAL_VIOLATION", GPU): "0+1000000x30"},
            "20m",
            [GPU],
            1000000 / 60,
        ),
        Case("never throttled", {series("DCGM_FI_DEV_THERMAL_VIOLATION", GPU): "0x30"}, "20m"),
    ],
    "GpuPodPendingTooLong": [
        Case(
            "GPU pod pending 40m",
            {
                series(
                    "kube_pod_container_resource_requests",
                    POD | {"resource": "nvidia_com_gpu", "unit": "integer"},
                ): "1x50",
                series("kube_pod_status_phase", POD | {"phase": "Pending"}): "1x50",
            },
            "40m",
            [{"namespace": "research", "pod": "train-0"}],
            1,
        ),
        Case(
            "CPU-only pod pending",
            {
                series(
                    "kube_pod_container_resource_requests",
                    POD | {"resource": "cpu", "unit": "core"},
                ): "1x50",
                series("kube_pod_status_phase", POD | {"phase": "Pending"}): "1x50",
            },
            "40m",
        ),
        Case(
            "GPU pod running",
            {
                series(
                    "kube_pod_container_resource_requests",
                    POD | {"resource": "nvidia_com_gpu", "unit": "integer"},
                ): "1x50",
                series("kube_pod_status_phase", POD | {"phase": "Pending"}): "0x50",
            },
            "40m",
        ),
    ],
    "GpuQuotaExhausted": [
        Case(
            "quota used up for 40m",
            {
                series("kube_resourcequota", QUOTA | {"type": "used"}): "4x50",
                series("kube_resourcequota", QUOTA | {"type": "hard"}): "4x50",
            },
            "40m",
            [QUOTA],
            4,
        ),
        Case(
            "quota half used",
            {
                series("kube_resourcequota", QUOTA | {"type": "used"}): "2x50",
                series("kube_resourcequota", QUOTA | {"type": "hard"}): "4x50",
            },
            "40m",
        ),
    ],
    "GpuNodeNotReady": [
        Case(
            "GPU node NotReady 10m",
            {
                series(
                    "kube_node_status_condition",
                    {"node": "gpu-node-1", "condition": "Ready", "status": "true"},
                ): "0x20",
                series(
                    "kube_node_status_capacity",
                    {"node": "gpu-node-1", "resource": "nvidia_com_gpu", "unit": "integer"},
                ): "8x20",
            },
            "10m",
            [{"node": "gpu-node-1", "condition": "Ready", "status": "true"}],
            0,
        ),
        Case(
            "CPU node NotReady",
            {
                series(
                    "kube_node_status_condition",
                    {"node": "cpu-node-1", "condition": "Ready", "status": "true"},
                ): "0x20"
            },
            "10m",
        ),
        Case(
            "GPU node Ready",
            {
                series(
                    "kube_node_status_condition",
                    {"node": "gpu-node-1", "condition": "Ready", "status": "true"},
                ): "1x20",
                series(
                    "kube_node_status_capacity",
                    {"node": "gpu-node-1", "resource": "nvidia_com_gpu", "unit": "integer"},
                ): "8x20",
            },
            "10m",
        ),
    ],
    "MlflowDown": [
        Case(
            "every replica fails its scrape",
            {series("up", MLFLOW): "0x20"},
            "10m",
            [{}],
            0,
        ),
        Case(
            "MLflow never scraped",
            {series("up", {"job": "other"}): "1x20"},
            "10m",
            [{}],
            0,
        ),
        Case(
            "one replica up",
            {
                series("up", MLFLOW): "1x20",
                series("up", MLFLOW | {"instance": "10.0.0.8:5000"}): "0x20",
            },
            "10m",
        ),
    ],
    "MlflowHighErrorRate": [
        Case(
            "10% of requests fail",
            {
                series(
                    "mlflow_http_request_total", MLFLOW | {"method": "GET", "status": "200"}
                ): "0+90x30",
                series(
                    "mlflow_http_request_total", MLFLOW | {"method": "GET", "status": "500"}
                ): "0+10x30",
            },
            "20m",
            [{}],
            10,
        ),
        Case(
            "1% of requests fail",
            {
                series(
                    "mlflow_http_request_total", MLFLOW | {"method": "GET", "status": "200"}
                ): "0+99x30",
                series(
                    "mlflow_http_request_total", MLFLOW | {"method": "GET", "status": "500"}
                ): "0+1x30",
            },
            "20m",
        ),
    ],
    "MlflowDatabaseUnavailable": [
        Case(
            "503s for 10m",
            {
                series(
                    "mlflow_http_request_total", MLFLOW | {"method": "POST", "status": "503"}
                ): "0+5x20"
            },
            "10m",
            [{}],
            5 / 60,
        ),
        Case(
            "client errors only",
            {
                series(
                    "mlflow_http_request_total", MLFLOW | {"method": "POST", "status": "404"}
                ): "0+5x20",
                series(
                    "mlflow_http_request_total", MLFLOW | {"method": "POST", "status": "503"}
                ): "0x20",
            },
            "10m",
        ),
    ],
    "MetricsPipelineDown": [
        Case(
            "kube-state-metrics gone",
            {series("up", {"job": "node-exporter", "instance": "n1"}): "1x20"},
            "15m",
            [{}],
            1,
        ),
        Case(
            "kube-state-metrics scraped",
            {series("up", {"job": "kube-state-metrics", "instance": "10.0.0.9:8080"}): "1x20"},
            "15m",
        ),
    ],
    "GpuQueueStalled": [
        Case(
            "3 workloads waiting, never admitted one: just after 60m",
            {pending("research", "active"): "3x80", pending("research", "inadmissible"): "0x80"},
            "61m",
            [{"cluster_queue": "research"}],
            3,
        ),
        Case(
            "3 workloads waiting, never admitted one: just before 60m",
            {pending("research", "active"): "3x80", pending("research", "inadmissible"): "0x80"},
            "59m",
        ),
        Case(
            "last admission at minute 20: 60m after the 5m admission window",
            {pending("research", "active"): "2x90", admitted("research"): "0+1x20 20x70"},
            "86m",
            [{"cluster_queue": "research"}],
            2,
        ),
        Case(
            "last admission at minute 20: one minute earlier",
            {pending("research", "active"): "2x90", admitted("research"): "0+1x20 20x70"},
            "84m",
        ),
        Case(
            "still admitting while others wait",
            {pending("research", "active"): "2x80", admitted("research"): "0+1x80"},
            "70m",
        ),
        Case(
            "waiting for quota (inadmissible) is not a stall",
            {pending("research", "active"): "0x80", pending("research", "inadmissible"): "5x80"},
            "70m",
        ),
        Case(
            "only the follower replica still counts workloads",
            {
                pending("research", "active"): "0x80",
                pending("research", "active", FOLLOWER): "3x80",
            },
            "70m",
        ),
    ],
    "GpuCohortExhausted": [
        Case(
            "8 of 8 GPUs reserved, 2 waiting: just after 30m",
            cohort_full("8x40", "2x40"),
            "31m",
            [{"cohort": "gpus", "flavor": "a100"}],
            8,
        ),
        Case(
            "8 of 8 GPUs reserved, 2 waiting: just before 30m", cohort_full("8x40", "2x40"), "29m"
        ),
        Case("6 of 8 GPUs reserved", cohort_full("6x40", "2x40"), "35m"),
        Case("8 of 8 GPUs reserved, nobody waits", cohort_full("8x40", "0x40"), "35m"),
        Case(
            "8 of 8 reserved, the waiting queue is in another cohort",
            cohort_full("8x40", "2x40", queue="vision"),
            "35m",
        ),
        Case(
            "only the follower replica sees the cohort full",
            cohort_full("6x40", "2x40")
            | {cohort_series("kueue_cohort_subtree_resource_reservations", FOLLOWER): "8x40"},
            "35m",
        ),
    ],
    "GpuQueueInactive": [
        Case(
            "queue pending (a flavor is missing): just after 10m",
            {
                queue_status("research", "pending"): "1x20",
                queue_status("research", "active"): "0x20",
                queue_status("research", "terminating"): "0x20",
            },
            "11m",
            [{"cluster_queue": "research"}],
            1,
        ),
        Case(
            "queue pending: just before 10m",
            {
                queue_status("research", "pending"): "1x20",
                queue_status("research", "active"): "0x20",
            },
            "9m",
        ),
        Case(
            "queue active",
            {
                queue_status("research", "pending"): "0x20",
                queue_status("research", "active"): "1x20",
            },
            "15m",
        ),
        Case(
            "queue being deleted",
            {
                queue_status("research", "pending"): "0x20",
                queue_status("research", "terminating"): "1x20",
            },
            "15m",
        ),
    ],
    "KueueDown": [
        Case(
            "both replicas fail their scrape: just after 5m",
            {series("up", KUEUE_TARGET): "0x20", series("up", SECOND_REPLICA): "0x20"},
            "6m",
            [{}],
            0,
        ),
        Case(
            "both replicas fail their scrape: just before 5m",
            {series("up", KUEUE_TARGET): "0x20", series("up", SECOND_REPLICA): "0x20"},
            "4m",
        ),
        Case(
            "Kueue never scraped",
            {series("up", {"job": "kube-state-metrics", "instance": "10.0.0.9:8080"}): "1x20"},
            "10m",
            [{}],
            0,
        ),
        Case(
            "one replica answers",
            {series("up", KUEUE_TARGET): "1x20", series("up", SECOND_REPLICA): "0x20"},
            "10m",
        ),
        Case(
            "down for 4 minutes only",
            {series("up", KUEUE_TARGET): "1x5 0x4 1x10", series("up", SECOND_REPLICA): "0x20"},
            "10m",
        ),
    ],
    # The request rules' first rate is at minute 1 (two samples): 10 minutes later is 11m.
    "ModelServingSlow": [
        Case(
            "p95 1.75s, the other model's 1s: just after 10m",
            request_time(ABOVE_ONE_SECOND) | request_time(AT_ONE_SECOND, pod=OTHER_MODEL_POD),
            "11m",
            [{"namespace": "research", "model": "churn"}],
            1.75,
        ),
        Case("p95 1.75s: just before 10m", request_time(ABOVE_ONE_SECOND), "10m"),
        Case("p95 exactly 1s, the threshold", request_time(AT_ONE_SECOND), "20m"),
        Case(
            "p95 1.75s on two replicas together",
            {
                **request_time(
                    {"0.5": "0+8x30", "1.0": "0+8x30", "2.5": "0+10x30", "+Inf": "0+10x30"}
                ),
                **request_time(
                    {"0.5": "0+9x30", "1.0": "0+10x30", "2.5": "0+10x30", "+Inf": "0+10x30"},
                    pod=SECOND_MODEL_POD,
                ),
            },
            "20m",
            [{"namespace": "research", "model": "churn"}],
            1.75,
        ),
        Case(
            "slow answers on the readiness route only",
            {
                series(
                    "rest_server_request_duration_seconds_bucket",
                    MODEL_POD
                    | {
                        "app_name": "mlserver",
                        "method": "GET",
                        "path": READY,
                        "status_code": "200",
                        "le": le,
                    },
                ): values
                for le, values in ABOVE_ONE_SECOND.items()
            },
            "20m",
        ),
    ],
    "ModelServingErrors": [
        Case(
            "1 request in 20 fails, 5%: just after 10m",
            {requests("200"): "0+19x30", requests("500"): "0+1x30"},
            "11m",
            [{"namespace": "research", "model": "churn"}],
            5,
        ),
        Case(
            "1 request in 20 fails, 5%: just before 10m",
            {requests("200"): "0+19x30", requests("500"): "0+1x30"},
            "10m",
        ),
        Case(
            "1 request in 25 fails, 4%",
            {requests("200"): "0+24x30", requests("500"): "0+1x30"},
            "20m",
        ),
        Case(
            "one replica fails 1 in 10, the other none: 5% of the model's",
            {
                requests("200"): "0+9x30",
                requests("500"): "0+1x30",
                requests("200", pod=SECOND_MODEL_POD): "0+10x30",
                requests("200", pod=OTHER_MODEL_POD): "0+1x30",
                requests("503", pod=OTHER_MODEL_POD): "0x30",
            },
            "20m",
            [{"namespace": "research", "model": "churn"}],
            5,
        ),
        Case(
            "the MLflow scoring route's 500s count",
            {requests("200"): "0+19x30", requests("500", path="/invocations"): "0+1x30"},
            "20m",
            [{"namespace": "research", "model": "churn"}],
            5,
        ),
        Case(
            "10% fail among many probe answers",
            {
                requests("200"): "0+9x30",
                requests("500"): "0+1x30",
                requests("200", path=READY, method="GET"): "0+100x30",
            },
            "20m",
            [{"namespace": "research", "model": "churn"}],
            10,
        ),
        Case(
            "client errors only",
            {requests("200"): "0+10x30", requests("404"): "0+5x30", requests("422"): "0+5x30"},
            "20m",
        ),
        Case(
            "the readiness route fails, inference does not",
            {requests("200"): "0+10x30", requests("500", path=READY, method="GET"): "0+6x30"},
            "20m",
        ),
    ],
    "ModelServingDown": [
        Case(
            "none of 2 replicas available: just after 10m",
            deployment("churn-predictor", "2x20", "0x20"),
            "10m",
            [{"namespace": "research", "deployment": "churn-predictor", "model": "churn"}],
            2,
        ),
        Case(
            "none of 2 replicas available: just before 10m",
            deployment("churn-predictor", "2x20", "0x20"),
            "9m",
        ),
        Case(
            "down for 9 minutes, then back",
            deployment("churn-predictor", "1x20", "1x4 0x9 1x10"),
            "14m",
        ),
        Case("one of 2 replicas available", deployment("churn-predictor", "2x20", "1x20"), "15m"),
        Case("scaled to zero on purpose", deployment("churn-predictor", "0x20", "0x20"), "15m"),
        Case("another Deployment without replicas", deployment("trainer", "1x20", "0x20"), "15m"),
    ],
    "PersistentVolumeNearlyFull": [
        Case(
            "5% free",
            {
                series(
                    "kubelet_volume_stats_available_bytes",
                    {"namespace": "mlflow", "persistentvolumeclaim": "data"},
                ): "5x30",
                series(
                    "kubelet_volume_stats_capacity_bytes",
                    {"namespace": "mlflow", "persistentvolumeclaim": "data"},
                ): "100x30",
            },
            "20m",
            [{"namespace": "mlflow", "persistentvolumeclaim": "data"}],
            5,
        ),
        Case(
            "half free",
            {
                series(
                    "kubelet_volume_stats_available_bytes",
                    {"namespace": "mlflow", "persistentvolumeclaim": "data"},
                ): "50x30",
                series(
                    "kubelet_volume_stats_capacity_bytes",
                    {"namespace": "mlflow", "persistentvolumeclaim": "data"},
                ): "100x30",
            },
            "20m",
        ),
    ],
}


@dataclass
class Boundary:
    """An alert's timing at the platform's thresholds. From `inputs` its expression first holds
    at minute `onset` (no sample the minute before); evaluated every minute, the alert is still
    silent at `silent_at` (onset + for - 1) and fires at `fires_at` (onset + for), with the
    labels `fires` and the value `value`. The minutes are literals, not read from the rule: an
    alert whose `for` changes misses them."""

    inputs: dict[str, str]
    onset: int
    silent_at: int
    fires_at: int
    fires: list[dict[str, str]]
    value: float


NODE = {"node": "gpu-node-1"}
VOLUME = {"namespace": "mlflow", "persistentvolumeclaim": "data"}
SLOWER = {"0.5": "0+20x9 180x30", "1.0": "0+20x9 180x30", "2.5": "0+20x40", "+Inf": "0+20x40"}
"""20 requests a minute, all within 0.5s until minute 9, all between 1s and 2.5s from minute
10: the 5-minute p95 is above 1s from minute 10 on and 2.425s once only slow ones are left."""

# Every input is healthy until minute 9 and goes wrong at minute 10, unless it says otherwise.
BOUNDARIES: dict[str, Boundary] = {
    "GpuIdleWhileAllocated": Boundary(
        {series("DCGM_FI_DEV_GPU_UTIL", GPU | POD): "50x9 3x80"},
        onset=10,
        silent_at=69,
        fires_at=70,
        fires=[{"namespace": "research", "pod": "train-0"}],
        value=3,
    ),
    "GpuMemoryNearlyFull": Boundary(
        {
            series("DCGM_FI_DEV_FB_USED", GPU | POD): "12000x9 23280x30",
            series("DCGM_FI_DEV_FB_FREE", GPU | POD): "12000x9 720x30",
        },
        onset=10,
        silent_at=24,
        fires_at=25,
        fires=[GPU | POD],
        value=97,
    ),
    "GpuXidError": Boundary(
        {series("DCGM_FI_DEV_XID_ERRORS", GPU): "0x9 79x20"},
        onset=10,
        silent_at=9,
        fires_at=10,
        fires=[GPU],
        value=79,
    ),
    "GpuEccDoubleBitErrors": Boundary(
        {series("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", GPU): "0x9 2x20"},
        onset=10,
        silent_at=9,
        fires_at=10,
        fires=[GPU],
        value=2,
    ),
    "GpuTemperatureHigh": Boundary(
        {series("DCGM_FI_DEV_GPU_TEMP", GPU): "70x9 90x20"},
        onset=10,
        silent_at=14,
        fires_at=15,
        fires=[GPU],
        value=90,
    ),
    "GpuThermalThrottling": Boundary(
        {series("DCGM_FI_DEV_THERMAL_VIOLATION", GPU): "0x9 1000000+1000000x30"},
        onset=10,
        silent_at=19,
        fires_at=20,
        fires=[GPU],
        value=1000000 / 60,
    ),
    "GpuPodPendingTooLong": Boundary(
        {
            series(
                "kube_pod_container_resource_requests",
                POD | {"resource": "nvidia_com_gpu", "unit": "integer"},
            ): "1x50",
            series("kube_pod_status_phase", POD | {"phase": "Pending"}): "0x9 1x40",
        },
        onset=10,
        silent_at=39,
        fires_at=40,
        fires=[{"namespace": "research", "pod": "train-0"}],
        value=1,
    ),
    "GpuQuotaExhausted": Boundary(
        {
            series("kube_resourcequota", QUOTA | {"type": "used"}): "2x9 4x40",
            series("kube_resourcequota", QUOTA | {"type": "hard"}): "4x50",
        },
        onset=10,
        silent_at=39,
        fires_at=40,
        fires=[QUOTA],
        value=4,
    ),
    "GpuNodeNotReady": Boundary(
        {
            series(
                "kube_node_status_condition", NODE | {"condition": "Ready", "status": "true"}
            ): "1x9 0x20",
            series(
                "kube_node_status_capacity",
                NODE | {"resource": "nvidia_com_gpu", "unit": "integer"},
            ): "8x30",
        },
        onset=10,
        silent_at=14,
        fires_at=15,
        fires=[NODE | {"condition": "Ready", "status": "true"}],
        value=0,
    ),
    "MlflowDown": Boundary(
        {series("up", MLFLOW): "1x9 0x20"},
        onset=10,
        silent_at=14,
        fires_at=15,
        fires=[{}],
        value=0,
    ),
    # 10 failures a minute beside 90 successes from minute 10: the 5-minute share passes 5%
    # once three minutes of failures are in it.
    "MlflowHighErrorRate": Boundary(
        {
            series(
                "mlflow_http_request_total", MLFLOW | {"method": "GET", "status": "200"}
            ): "0+90x40",
            series(
                "mlflow_http_request_total", MLFLOW | {"method": "GET", "status": "500"}
            ): "0x9 10+10x30",
        },
        onset=12,
        silent_at=21,
        fires_at=22,
        fires=[{}],
        value=10,
    ),
    "MlflowDatabaseUnavailable": Boundary(
        {
            series(
                "mlflow_http_request_total", MLFLOW | {"method": "POST", "status": "503"}
            ): "0x9 5+5x20"
        },
        onset=10,
        silent_at=14,
        fires_at=15,
        fires=[{}],
        value=5 / 60,
    ),
    "MetricsPipelineDown": Boundary(
        {series("up", {"job": "kube-state-metrics", "instance": "10.0.0.9:8080"}): "1x9 0x20"},
        onset=10,
        silent_at=19,
        fires_at=20,
        fires=[{}],
        value=1,
    ),
    "PersistentVolumeNearlyFull": Boundary(
        {
            series("kubelet_volume_stats_available_bytes", VOLUME): "50x9 5x30",
            series("kubelet_volume_stats_capacity_bytes", VOLUME): "100x40",
        },
        onset=10,
        silent_at=24,
        fires_at=25,
        fires=[VOLUME],
        value=5,
    ),
    # The last admission is at minute 20: the 5-minute window sees none from minute 25.
    "GpuQueueStalled": Boundary(
        {pending("research", "active"): "2x90", admitted("research"): "0+1x20 20x70"},
        onset=25,
        silent_at=84,
        fires_at=85,
        fires=[{"cluster_queue": "research"}],
        value=2,
    ),
    "GpuCohortExhausted": Boundary(
        cohort_full("6x9 8x31", "2x40"),
        onset=10,
        silent_at=39,
        fires_at=40,
        fires=[{"cohort": "gpus", "flavor": "a100"}],
        value=8,
    ),
    "GpuQueueInactive": Boundary(
        {
            queue_status("research", "pending"): "0x9 1x20",
            queue_status("research", "active"): "1x9 0x20",
        },
        onset=10,
        silent_at=19,
        fires_at=20,
        fires=[{"cluster_queue": "research"}],
        value=1,
    ),
    "KueueDown": Boundary(
        {series("up", KUEUE_TARGET): "1x9 0x20", series("up", SECOND_REPLICA): "1x9 0x20"},
        onset=10,
        silent_at=14,
        fires_at=15,
        fires=[{}],
        value=0,
    ),
    "ModelServingSlow": Boundary(
        request_time(SLOWER),
        onset=10,
        silent_at=19,
        fires_at=20,
        fires=[{"namespace": "research", "model": "churn"}],
        value=2.425,
    ),
    # 1 request in 10 fails from minute 10, 10 failures at once among them.
    "ModelServingErrors": Boundary(
        {requests("200"): "0+18x40", requests("500"): "0x9 10+2x30"},
        onset=10,
        silent_at=19,
        fires_at=20,
        fires=[{"namespace": "research", "model": "churn"}],
        value=10,
    ),
    "ModelServingDown": Boundary(
        deployment("churn-predictor", "2x30", "2x9 0x20"),
        onset=10,
        silent_at=19,
        fires_at=20,
        fires=[{"namespace": "research", "deployment": "churn-predictor", "model": "churn"}],
        value=2,
    ),
}


def go_value(value: float) -> str:
    """`{{ $value }}` as Go prints a float64."""
    text = repr(float(value))
    return text.removesuffix(".0")


def humanize(value: float) -> str:
    """Prometheus' `humanize` for the magnitudes used here (1 to 1e6)."""
    for factor, prefix in ((1e6, "M"), (1e3, "k")):
        if abs(value) >= factor:
            return f"{value / factor:.4g}{prefix}"
    return f"{value:.4g}"


def render(text: str, labels: dict[str, str], value: float) -> str:
    text = re.sub(r"\{\{ \$value \| humanize \}\}", humanize(value), text)
    text = text.replace("{{ $value }}", go_value(value))
    return re.sub(r"\{\{ \$labels\.(\w+) \}\}", lambda m: labels.get(m.group(1), ""), text)


def every_group() -> list[dict[str, Any]]:
    """Every rule group at the platform's thresholds: MLflow, Kueue's queues and model serving
    on."""
    return rule_groups(queues=True, serving=True)


def rendered_rule(name: str) -> dict[str, Any]:
    """The rule `name` at the platform's thresholds."""
    return next(r for g in every_group() for r in g["rules"] if r["alert"] == name)


def expected_alerts(
    name: str, fires: list[dict[str, str]], value: float | None
) -> list[dict[str, Any]]:
    """promtool's `exp_alerts`: one alert per label set, its annotations rendered at `value`."""
    rendered = rendered_rule(name)
    alerts = []
    for labels in fires:
        all_labels = {**labels, **rendered["labels"]}
        assert value is not None
        annotations = {
            key: render(text, all_labels, value) for key, text in rendered["annotations"].items()
        }
        alerts.append({"exp_labels": all_labels, "exp_annotations": annotations})
    return alerts


def unit_tests() -> dict[str, Any]:
    tests = []
    for name, cases in CASES.items():
        for case in cases:
            tests.append(
                {
                    "name": f"{name}: {case.why}",
                    "interval": "1m",
                    "input_series": [{"series": s, "values": v} for s, v in case.inputs.items()],
                    "alert_rule_test": [
                        {
                            "eval_time": case.at,
                            "alertname": name,
                            "exp_alerts": expected_alerts(name, case.fires, case.value),
                        }
                    ],
                }
            )
    return {"rule_files": ["rules.yaml"], "evaluation_interval": "1m", "tests": tests}


def minute(n: int) -> str:
    return f"{n}m"


def boundary_tests() -> dict[str, Any]:
    """One promtool test per alert: its expression's onset (a `count` of it: nothing the minute
    before, the firing series at onset), then the alert silent at `silent_at` and firing at
    `fires_at`."""
    tests = []
    for name, row in BOUNDARIES.items():
        count = f"count({rendered_rule(name)['expr']})"
        tests.append(
            {
                "name": f"{name}: holds from minute {row.onset}, fires at minute {row.fires_at}",
                "interval": "1m",
                "input_series": [{"series": s, "values": v} for s, v in row.inputs.items()],
                "promql_expr_test": [
                    {"expr": count, "eval_time": minute(row.onset - 1), "exp_samples": []},
                    {
                        "expr": count,
                        "eval_time": minute(row.onset),
                        "exp_samples": [{"labels": "{}", "value": len(row.fires)}],
                    },
                ],
                "alert_rule_test": [
                    {"eval_time": minute(row.silent_at), "alertname": name, "exp_alerts": []},
                    {
                        "eval_time": minute(row.fires_at),
                        "alertname": name,
                        "exp_alerts": expected_alerts(name, row.fires, row.value),
                    },
                ],
            }
        )
    return {"rule_files": ["rules.yaml"], "evaluation_interval": "1m", "tests": tests}


@pytest.fixture
def rule_file(tmp_path: Path) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump({"groups": every_group()}, sort_keys=False), encoding="utf-8")
    return path


def promtool(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    assert PROMTOOL, "promtool is required"
    return subprocess.run(
        [PROMTOOL, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_promtool_accepts_the_rule_file(rule_file: Path) -> None:
    result = promtool("check", "rules", str(rule_file), cwd=rule_file.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(RULES)} rules found" in result.stdout


def test_every_alert_fires_and_stays_silent_as_specified(rule_file: Path) -> None:
    suite = rule_file.parent / "tests.yaml"
    suite.write_text(yaml.safe_dump(unit_tests(), sort_keys=False), encoding="utf-8")
    result = promtool("test", "rules", str(suite), cwd=rule_file.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_every_alert_is_silent_until_its_for_elapses_then_fires(rule_file: Path) -> None:
    """The minute before each alert's `for` has elapsed since its expression first held, it is
    silent; that minute, it fires."""
    suite = rule_file.parent / "boundaries.yaml"
    suite.write_text(yaml.safe_dump(boundary_tests(), sort_keys=False), encoding="utf-8")
    result = promtool("test", "rules", str(suite), cwd=rule_file.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_every_alert_has_a_boundary_one_minute_wide() -> None:
    assert list(BOUNDARIES) == [r.name for r in RULES]
    for name, row in BOUNDARIES.items():
        assert row.fires_at == row.silent_at + 1, name
        assert row.onset - 1 <= row.silent_at, name
        assert row.fires, name


def test_every_alert_has_a_firing_and_a_silent_case() -> None:
    assert sorted(CASES) == sorted(r.name for r in RULES)
    for name, cases in CASES.items():
        assert any(c.fires for c in cases), name
        assert any(not c.fires for c in cases), name


PROMQL_WORDS = {
    "avg",
    "sum",
    "max",
    "group",
    "rate",
    "increase",
    "changes",
    "vector",
    "absent",
    "histogram_quantile",
    "label_replace",
    "and",
    "or",
    "unless",
}


def metric_names(expr: str) -> set[str]:
    """Metric names in a PromQL expression: identifiers left once label matchers, grouping
    clauses, ranges, strings and numbers are removed, minus functions and operators."""
    bare = re.sub(
        r'\{[^}]*\}|\b(?:by|on|without|ignoring|group_left|group_right)\s*\([^)]*\)|\[[^\]]*\]|"[^"]*"',
        " ",
        expr,
    )
    return {w for w in re.findall(r"\b[a-zA-Z_:][a-zA-Z0-9_:]*\b", bare)} - PROMQL_WORDS


def test_rules_use_only_metrics_the_exporters_expose() -> None:
    rendered = [r["expr"] for g in every_group() for r in g["rules"]]
    used = set().union(*(metric_names(expr) for expr in rendered))
    assert used <= known_metrics(), used - known_metrics()
    assert "DCGM_FI_DEV_XID_ERRORS" in used and "mlflow_http_request_total" in used
    assert "kueue_pending_workloads" in used and "kueue_cohort_subtree_quota" in used
    assert "rest_server_request_duration_seconds_bucket" in used
    assert "kube_deployment_status_replicas_available" in used


def test_every_kueue_series_a_rule_reads_is_the_leaders() -> None:
    """Both Kueue replicas export gauges (`replica_role` leader or follower): a selector
    without the leader's role would count every queue twice."""
    for group in rule_groups(queues=True):
        for rule in group["rules"]:
            selectors = re.findall(r"(kueue_\w+)(\{[^}]*\})?", rule["expr"])
            for metric, matchers in selectors:
                assert 'replica_role="leader"' in matchers, (rule["alert"], metric)


def test_the_queue_group_comes_only_with_queues() -> None:
    assert [g["name"] for g in rule_groups()] == [
        "mlplatform-gpu",
        "mlplatform-mlflow",
        "mlplatform-storage",
    ]
    groups = rule_groups(Thresholds(queue_pending_minutes=45), mlflow=False, queues=True)
    assert [g["name"] for g in groups] == [
        "mlplatform-gpu",
        "mlplatform-storage",
        "mlplatform-queues",
    ]
    queues = {r["alert"]: r for r in groups[2]["rules"]}
    assert list(queues) == [
        "GpuQueueStalled",
        "GpuCohortExhausted",
        "GpuQueueInactive",
        "KueueDown",
    ]
    stalled = queues["GpuQueueStalled"]
    assert stalled["for"] == "45m"
    assert "waiting for 45 minutes" in stalled["annotations"]["description"]
    assert (queues["GpuCohortExhausted"]["for"], queues["KueueDown"]["for"]) == ("30m", "5m")
    assert "for 30 minutes" in queues["GpuCohortExhausted"]["annotations"]["description"]
    assert "for 10 minutes" in queues["GpuQueueInactive"]["annotations"]["description"]
    assert "for 5 minutes" in queues["KueueDown"]["annotations"]["description"]
    assert 'up{job="kueue-controller-manager-metrics-service"}' in queues["KueueDown"]["expr"]


def test_the_serving_group_comes_only_with_serving() -> None:
    assert "mlplatform-serving" not in [g["name"] for g in rule_groups(queues=True)]
    thresholds = Thresholds(serving_latency_seconds=0.25, serving_error_percent=2.5)
    groups = rule_groups(thresholds, mlflow=False, serving=True)
    assert [g["name"] for g in groups] == [
        "mlplatform-gpu",
        "mlplatform-storage",
        "mlplatform-serving",
    ]
    serving = {r["alert"]: r for r in groups[2]["rules"]}
    assert list(serving) == ["ModelServingSlow", "ModelServingErrors", "ModelServingDown"]
    slow, errors, down = serving.values()
    assert slow["expr"] == (
        "histogram_quantile(0.95, sum by (namespace, model, le) (rate("
        'rest_server_request_duration_seconds_bucket{app_name="mlserver", '
        'path=~".+/infer|/invocations"}[5m])))\n> 0.25'
    )
    assert errors["expr"] == (
        "sum by (namespace, model) (rate(rest_server_requests_total{"
        'app_name="mlserver", path=~".+/infer|/invocations", status_code=~"5.."}[5m]))\n'
        "/ sum by (namespace, model) (rate(rest_server_requests_total{"
        'app_name="mlserver", path=~".+/infer|/invocations"}[5m])) * 100\n>= 2.5'
    )
    assert down["expr"] == (
        "label_replace(\n"
        "  max by (namespace, deployment)"
        ' (kube_deployment_spec_replicas{deployment=~".+-predictor"}) > 0\n'
        "  and on (namespace, deployment)\n"
        "  max by (namespace, deployment)"
        ' (kube_deployment_status_replicas_available{deployment=~".+-predictor"}) == 0,\n'
        '  "model", "$1", "deployment", "(.+)-predictor"\n'
        ")"
    )
    assert [(r["for"], r["labels"]["severity"]) for r in serving.values()] == [
        ("10m", "warning"),
        ("10m", "warning"),
        ("10m", "critical"),
    ]
    assert "above 0.25s for 10 minutes" in slow["annotations"]["description"]
    assert "At least 2.5% of the inference requests" in errors["annotations"]["description"]
    assert "available for 10 minutes" in down["annotations"]["description"]


UNUSUAL = Thresholds(
    gpu_idle_percent=13,
    gpu_idle_minutes=71,
    gpu_memory_percent=83,
    gpu_temperature_celsius=77,
    gpu_pending_minutes=37,
    node_not_ready_minutes=7,
    mlflow_error_percent=3.5,
    volume_full_percent=87,
    queue_pending_minutes=43,
    serving_latency_seconds=0.35,
    serving_error_percent=2.5,
)
"""Every threshold off its default and off every other number the rules hold: a description
that states a default, or another rule's number, no longer matches its rule."""

STATED = re.compile(r"\b(\d+(?:\.\d+)?)(th percentile| minutes?|xx|%|s\b|°C)?")
"""A number an annotation states, and its unit: minutes (a duration), `95th percentile`, a
status class (`5xx`), or a threshold (%, s, °C, or none)."""
LITERAL = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")
"""A number in PromQL, not a range's (`[5m]`) or a regex's (`5..`)."""
NOT_THRESHOLDS = {("MlflowDown", "503"), ("MlflowDown", "200")}
"""Numbers a description tells of that the rule does not compare: MLflow's HTTP answers."""


def unstated(rule: dict[str, Any]) -> list[str]:
    """What the rule's summary and description state that its `for` and expression do not
    hold, and a `for` the description leaves unsaid."""
    name, notes = rule["alert"], rule["annotations"]
    minutes = int(rule["for"].removesuffix("m"))
    literals = {float(n) for n in LITERAL.findall(rule["expr"])}
    problems = []
    if minutes and f"{minutes} minutes" not in notes["description"]:
        problems.append(f"{name}: the description leaves its for ({rule['for']}) unsaid")
    for key in ("summary", "description"):
        text = re.sub(r"\{\{.*?\}\}", " ", notes[key])
        for number, unit in STATED.findall(text):
            if unit.startswith(" minute"):
                holds = int(number) == minutes
            elif unit == "th percentile":
                holds = float(number) / 100 in literals
            elif unit == "xx":
                holds = f'"{number}.."' in rule["expr"]
            else:
                holds = float(number) in literals or (name, number) in NOT_THRESHOLDS
            if not holds:
                problems.append(f"{name}: its {key} states {number}{unit}")
    return problems


def test_annotations_state_the_for_and_thresholds_the_rule_evaluates() -> None:
    assert Thresholds.of(UNUSUAL.args()) == UNUSUAL
    assert [a == b for a, b in zip(UNUSUAL, Thresholds(), strict=True)] == [False] * len(UNUSUAL)
    rules = [r for g in rule_groups(UNUSUAL, queues=True, serving=True) for r in g["rules"]]
    assert len(rules) == len(RULES)
    assert [p for rule in rules for p in unstated(rule)] == []


def test_unstated_finds_a_stale_for_threshold_or_duration() -> None:
    [temperature] = [r for r in RULES if r.name == "GpuTemperatureHigh"]
    stale = temperature._replace(
        for_="7m", summary="GPU above 85°C", description="Hot for 5 minutes (threshold 85°C)."
    )
    assert unstated(stale.render(UNUSUAL)) == [
        "GpuTemperatureHigh: the description leaves its for (7m) unsaid",
        "GpuTemperatureHigh: its summary states 85°C",
        "GpuTemperatureHigh: its description states 5 minutes",
        "GpuTemperatureHigh: its description states 85°C",
    ]


def test_azure_rules_wait_as_long_as_the_in_cluster_rules(shipped_plans: dict[str, Any]) -> None:
    """Azure's rules carry each rule's `for` in ISO 8601, none for `0m` (Azure's `for`: "The
    amount of time alert must be active before firing",
    https://learn.microsoft.com/en-us/javascript/api/@azure/arm-prometheusrulegroups/prometheusrule).
    AMP's rule file is the in-cluster groups verbatim and Cloud Monitoring's `duration` is each
    rule's `for` in seconds (tests/unit/test_managed_prometheus.py)."""
    in_cluster = {r["alert"]: r["for"] for g in every_group() for r in g["rules"]}
    azure = {
        rule["alert"]: rule.get("for")
        for group in shipped_plans["azure-prod"].of_type(
            "azure-native:alertsmanagement:PrometheusRuleGroup"
        )
        for rule in group.inputs["rules"]
    }
    expected = {
        alert: None if for_ == "0m" else "PT" + for_.removesuffix("m") + "M"
        for alert, for_ in in_cluster.items()
    }
    assert azure == expected
    assert (azure["GpuIdleWhileAllocated"], azure["GpuXidError"]) == ("PT60M", None)


def test_thresholds_come_from_the_spec_values() -> None:
    groups = rule_groups(Thresholds(gpu_idle_percent=25, gpu_idle_minutes=30))
    idle = groups[0]["rules"][0]
    assert idle["expr"].endswith(") < 25") and idle["for"] == "30m"
    assert "utilization for 30 minutes (threshold 25%)" in idle["annotations"]["description"]


def test_the_planned_prometheus_rule_passes_promtool(
    shipped_plans: dict[str, Any], tmp_path: Path
) -> None:
    from tests.helpers import one

    rule = one(shipped_plans["aws-dev"], "kubernetes:monitoring.coreos.com/v1:PrometheusRule")
    assert rule.inputs["apiVersion"] == "monitoring.coreos.com/v1"
    # aws-dev queues its GPU jobs (mlplatform:scheduling): the queue alerts come along; it
    # serves no model: no serving alerts.
    groups = rule.inputs["spec"]["groups"]
    assert [g["name"] for g in groups] == [
        "mlplatform-gpu",
        "mlplatform-mlflow",
        "mlplatform-storage",
        "mlplatform-queues",
    ]
    path = tmp_path / "planned.yaml"
    path.write_text(yaml.safe_dump({"groups": groups}), encoding="utf-8")
    result = promtool("check", "rules", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    serving = sum(1 for r in RULES if r.group == "mlplatform-serving")
    assert f"SUCCESS: {len(RULES) - serving} rules found" in result.stdout


def test_the_managed_prometheus_rules_pass_promtool(
    shipped_plans: dict[str, Any], tmp_path: Path
) -> None:
    from tests.helpers import one

    rules = one(shipped_plans["aws-prod"], "aws:amp/ruleGroupNamespace:RuleGroupNamespace")
    path = tmp_path / "amp.yaml"
    path.write_text(rules.inputs["data"], encoding="utf-8")
    result = promtool("check", "rules", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(RULES)} rules found" in result.stdout


def test_the_azure_and_gcp_managed_rules_pass_promtool(
    shipped_plans: dict[str, Any], tmp_path: Path
) -> None:
    """What Azure's rule groups and Cloud Monitoring's PromQL conditions evaluate, put back in
    a rule file: every expression parses and every rule is there."""
    azure = [
        {
            "name": group.inputs["description"].removeprefix("mlplatform: "),
            "rules": [
                {"alert": r["alert"], "expr": r["expression"], "labels": r["labels"]}
                for r in group.inputs["rules"]
            ],
        }
        for group in shipped_plans["azure-prod"].of_type(
            "azure-native:alertsmanagement:PrometheusRuleGroup"
        )
    ]
    conditions = [
        policy.inputs["conditions"][0]["conditionPrometheusQueryLanguage"]
        for policy in shipped_plans["gcp-prod"].of_type("gcp:monitoring/alertPolicy:AlertPolicy")
        if "conditionPrometheusQueryLanguage" in policy.inputs["conditions"][0]
    ]
    gcp = [
        {
            "name": "gcp",
            "rules": [
                {"alert": c["alertRule"], "expr": c["query"], "for": c["duration"]}
                for c in conditions
            ],
        }
    ]
    for name, groups in (("azure", azure), ("gcp", gcp)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump({"groups": groups}), encoding="utf-8")
        result = promtool("check", "rules", str(path), cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"SUCCESS: {len(RULES)} rules found" in result.stdout, name
