"""Every dashboard panel query, parsed by promtool (as recording rules) and checked to read
only metrics the exporters expose."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from mlplatform.kubernetes.monitoring.dashboards import dashboards
from mlplatform.kubernetes.monitoring.metrics import known_metrics
from mlplatform.kubernetes.monitoring.rules import Thresholds
from tests.contract.test_alert_rules import metric_names, promtool

EXTRA_FUNCTIONS = {"count", "count_over_time", "max", "histogram_quantile", "clamp_min"}
QUEUE_PANELS = [
    "Workloads waiting per team queue",
    "GPU quota and reservations per team and pool",
    "GPUs borrowed per team and pool",
    "Cohort GPUs reserved and lendable",
]


SERVING_PANELS = [
    "Inference requests per second by model",
    "Inference latency p95 by model",
    "Inference server errors by model",
    "Replicas available by model",
]


def queries() -> list[tuple[str, str]]:
    """Every panel query, the queue panels and the model serving dashboard included."""
    return [
        (f"{d.uid}/{p.title}", expr)
        for d in dashboards(queues=True, serving=True)
        for p in d.panels
        for expr, _ in p.queries
    ]


def test_every_panel_query_parses(tmp_path: Path) -> None:
    rules = [
        {"record": f"dashboard:{re.sub(r'[^a-z0-9]+', '_', name.lower())}_{i}", "expr": expr}
        for i, (name, expr) in enumerate(queries())
    ]
    path = tmp_path / "dashboards.yaml"
    path.write_text(
        yaml.safe_dump({"groups": [{"name": "dashboards", "rules": rules}]}), encoding="utf-8"
    )
    result = promtool("check", "rules", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(rules)} rules found" in result.stdout


def test_every_panel_reads_exported_metrics() -> None:
    for name, expr in queries():
        used = metric_names(expr) - EXTRA_FUNCTIONS
        assert used and used <= known_metrics(), (name, used - known_metrics())


def test_dashboards_have_unique_uids_and_panel_ids() -> None:
    models = [d.to_json() for d in dashboards()]
    assert len({m["uid"] for m in models}) == len(models) == 3
    for model in models:
        ids = [p["id"] for p in model["panels"]]
        assert len(set(ids)) == len(ids)
        assert all(t["expr"] for p in model["panels"] for t in p["targets"])


def test_queue_panels_join_the_gpu_fleet_only_with_queues() -> None:
    def fleet(queues: bool) -> list[str]:
        [found] = [d for d in dashboards(queues=queues) if d.uid == "mlplatform-gpu-fleet"]
        return [p.title for p in found.panels]

    assert fleet(True) == fleet(False) + QUEUE_PANELS
    assert not set(QUEUE_PANELS) & {p.title for d in dashboards() for p in d.panels}


def test_queue_panels_read_the_leaders_gpu_series() -> None:
    [fleet] = [d for d in dashboards(queues=True) if d.uid == "mlplatform-gpu-fleet"]
    panels = {p.title: p.queries for p in fleet.panels if p.title in QUEUE_PANELS}
    assert panels["Workloads waiting per team queue"] == (
        (
            'max by (cluster_queue, status) (kueue_pending_workloads{replica_role="leader"})',
            "{{cluster_queue}} {{status}}",
        ),
    )
    gpus = 'resource="nvidia.com/gpu", replica_role="leader"'
    quota = f"max by (cluster_queue, flavor) (kueue_cluster_queue_nominal_quota{{{gpus}}})"
    reserved = (
        f"max by (cluster_queue, flavor) (kueue_cluster_queue_resource_reservation{{{gpus}}})"
    )
    assert panels["GPU quota and reservations per team and pool"] == (
        (quota, "{{cluster_queue}}/{{flavor}} quota"),
        (reserved, "{{cluster_queue}}/{{flavor}} reserved"),
    )
    assert panels["GPUs borrowed per team and pool"] == (
        (f"clamp_min({reserved} - {quota}, 0)", "{{cluster_queue}}/{{flavor}}"),
    )
    assert panels["Cohort GPUs reserved and lendable"] == (
        (
            f"max by (cohort, flavor) (kueue_cohort_subtree_resource_reservations{{{gpus}}})",
            "{{cohort}}/{{flavor}} reserved",
        ),
        (
            f"max by (cohort, flavor) (kueue_cohort_subtree_quota{{{gpus}}})",
            "{{cohort}}/{{flavor}} lendable",
        ),
    )


def test_the_planned_gpu_fleet_dashboard_has_the_queue_panels(
    shipped_plans: dict[str, Any],
) -> None:
    """Every shipped stack queues its GPU jobs (mlplatform:scheduling): its GPU fleet
    dashboard carries the queue panels."""
    from tests.helpers import one

    config_map = one(shipped_plans["aws-dev"], "kubernetes:core/v1:ConfigMap", "-gpu-fleet")
    model = json.loads(config_map.inputs["data"]["mlplatform-gpu-fleet.json"])
    assert [p["title"] for p in model["panels"]][-len(QUEUE_PANELS) :] == QUEUE_PANELS


def test_the_model_serving_dashboard_comes_only_with_serving() -> None:
    uids = ["mlplatform-gpu-fleet", "mlplatform-gpu-waste", "mlplatform-mlflow"]
    assert [d.uid for d in dashboards(queues=True)] == uids
    [*others, serving] = dashboards(queues=True, serving=True)
    assert others == dashboards(queues=True)
    assert (serving.uid, serving.title) == ("mlplatform-serving", "mlplatform / Model serving")
    assert [p.title for p in serving.panels] == SERVING_PANELS
    model = serving.to_json()
    assert [p["id"] for p in model["panels"]] == [1, 2, 3, 4]


def test_serving_panels_read_the_inference_routes_per_model() -> None:
    thresholds = Thresholds(serving_latency_seconds=0.25, serving_error_percent=2.5)
    [serving] = [d for d in dashboards(thresholds, serving=True) if d.uid == "mlplatform-serving"]
    panels = {p.title: p for p in serving.panels}
    inference = 'app_name="mlserver", path=~".+/infer|/invocations"'
    rate = f"rate(rest_server_requests_total{{{inference}}}[5m])"
    assert panels["Inference requests per second by model"].queries == (
        (f"sum by (namespace, model) ({rate})", "{{namespace}}/{{model}}"),
    )
    assert panels["Inference requests per second by model"].unit == "reqps"
    latency = panels["Inference latency p95 by model"]
    assert latency.queries == (
        (
            "histogram_quantile(0.95, sum by (namespace, model, le) (rate("
            f"rest_server_request_duration_seconds_bucket{{{inference}}}[5m])))",
            "{{namespace}}/{{model}}",
        ),
    )
    assert (latency.unit, latency.description) == (
        "s",
        "95th percentile of the inference requests' time, all replicas of a model together. "
        "ModelServingSlow fires above 0.25s.",
    )
    errors = panels["Inference server errors by model"]
    assert errors.queries == (
        (
            "sum by (namespace, model) (rate(rest_server_requests_total{"
            f'{inference}, status_code=~"5.."}}[5m]))'
            f" / sum by (namespace, model) ({rate}) * 100",
            "{{namespace}}/{{model}}",
        ),
    )
    assert (errors.unit, errors.description) == (
        "percent",
        "Share of the inference requests answered 5xx. ModelServingErrors fires at 2.5%.",
    )
    assert panels["Replicas available by model"].queries == (
        (
            "label_replace(max by (namespace, deployment) (kube_deployment_status_replicas_"
            'available{deployment=~".+-predictor"}), "model", "$1", "deployment", '
            '"(.+)-predictor")',
            "{{namespace}}/{{model}}",
        ),
    )
