"""The Alertmanager configuration the monitoring stack generates, judged by amtool."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

from mlplatform.kubernetes.monitoring.stack import alertmanager_config

AMTOOL = shutil.which("amtool")
"""Installed by scripts/dev (Debian package prometheus-alertmanager)."""


def check(config: dict, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    assert AMTOOL, "amtool is required"
    path = tmp_path / "alertmanager.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return subprocess.run(
        [AMTOOL, "check-config", str(path)], capture_output=True, text=True, timeout=60
    )


def test_amtool_accepts_the_generated_config(tmp_path: Path) -> None:
    config = alertmanager_config(["https://hooks.example.com/a", "https://hooks.example.com/b"])
    result = check(config, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout
    assert " - 2 receivers" in result.stdout


def test_amtool_rejects_a_route_to_an_unknown_receiver(tmp_path: Path) -> None:
    config = alertmanager_config(["https://hooks.example.com/a"])
    config["route"]["receiver"] = "nobody"
    result = check(config, tmp_path)
    assert result.returncode != 0
    assert 'undefined receiver "nobody"' in result.stdout + result.stderr


def test_amtool_accepts_the_managed_prometheus_alert_manager(tmp_path: Path) -> None:
    from mlplatform.aws.prometheus import alertmanager_definition

    definition = yaml.safe_load(
        alertmanager_definition("arn:aws:sns:us-east-1:123456789012:alerts", "us-east-1")
    )
    config = yaml.safe_load(definition["alertmanager_config"])
    result = check(config, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert config["receivers"][1]["sns_configs"][0]["sigv4"] == {"region": "us-east-1"}
