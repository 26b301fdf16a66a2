"""Every dashboard panel query, parsed by promtool (as recording rules) and checked to read
only metrics the exporters expose."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from mlplatform.kubernetes.monitoring.dashboards import dashboards
from mlplatform.kubernetes.monitoring.metrics import known_metrics
from tests.contract.test_alert_rules import metric_names, promtool

EXTRA_FUNCTIONS = {"count", "count_over_time", "max", "histogram_quantile"}


def queries() -> list[tuple[str, str]]:
    return [
        (f"{d.uid}/{p.title}", expr)
        for d in dashboards()
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
