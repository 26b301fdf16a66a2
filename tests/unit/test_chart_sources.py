"""Chart sources for air-gapped clusters: a private OCI registry or a local copy per chart.

The spec checks the form of each source and, with the project folder, that a local copy is the
pinned chart; the components hand Helm the chosen source at the pinned version; a stack that
names no source plans exactly as before (upstream repository per chart).
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path
from typing import Any

import pytest

from mlplatform.engine import run_stack
from mlplatform.environment import ConfigError, parse
from mlplatform.kubernetes import charts
from tests.conftest import ROOT

LOCAL = {"target": "kubernetes", "environment": "dev"}
STAND_INS = ROOT / "tests" / "engine" / "charts"


def issues(values: dict[str, Any], root: Path | None = None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse(values, root=root)
    return [str(issue) for issue in caught.value.issues]


def chart_folder(root: Path, name: str, version: str) -> Path:
    folder = root / "charts" / name
    folder.mkdir(parents=True)
    (folder / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: {version}\n")
    return folder


def test_release_source_prefers_a_local_copy_then_the_registry_then_upstream() -> None:
    kps = charts.KUBE_PROMETHEUS_STACK
    assert charts.release_source(kps) == {
        "chart": "kube-prometheus-stack",
        "version": "88.5.3",
        "repository_opts": {"repo": "https://prometheus-community.github.io/helm-charts"},
    }
    registry = {"registry": "oci://registry.example.com/helm-charts/"}
    assert charts.release_source(kps, registry) == {
        "chart": "oci://registry.example.com/helm-charts/kube-prometheus-stack",
        "version": "88.5.3",
    }
    both = {**registry, "paths": {"kube-prometheus-stack": "./charts/kps"}}
    assert charts.release_source(kps, both) == {"chart": "./charts/kps", "version": "88.5.3"}
    assert charts.release_source(charts.DCGM_EXPORTER, both)["chart"] == (
        "oci://registry.example.com/helm-charts/dcgm-exporter"
    )


def test_sources_of_the_wrong_form_are_refused_with_the_fix() -> None:
    found = issues(
        {
            **LOCAL,
            "charts": {
                "registry": "https://charts.example.com",
                "paths": {"kube-prometheus-stack": "charts/kps", "grafana": "./grafana"},
            },
        }
    )
    assert found == [
        "charts.registry: 'https://charts.example.com' is not an OCI registry; use "
        "oci://<host>[:port][/path], e.g. oci://registry.example.com/helm-charts (Helm pulls "
        "<registry>/<chart name>)",
        "charts.paths.kube-prometheus-stack: 'charts/kps' must start with ./, ../ or / (Helm "
        "reads a bare name as a chart repository), e.g. ./charts/kube-prometheus-stack",
        "charts.paths.grafana: 'grafana' is not a chart the platform installs; use one of "
        "cert-manager, cluster-autoscaler, dcgm-exporter, gpu-operator, kserve-crd, "
        "kserve-resources, kube-prometheus-stack, kueue, metrics-server, nvidia-device-plugin",
    ]


def test_a_local_copy_must_exist_and_be_the_pinned_release(tmp_path: Path) -> None:
    chart_folder(tmp_path, "kube-prometheus-stack", "80.0.0")
    found = issues(
        {
            **LOCAL,
            "charts": {
                "paths": {
                    "kube-prometheus-stack": "./charts/kube-prometheus-stack",
                    "dcgm-exporter": "./charts/missing",
                }
            },
        },
        root=tmp_path,
    )
    assert found == [
        "charts.paths.kube-prometheus-stack: './charts/kube-prometheus-stack' holds "
        "kube-prometheus-stack 80.0.0, but the platform pins kube-prometheus-stack 88.5.3; copy "
        "that release there (helm pull kube-prometheus-stack --repo "
        "https://prometheus-community.github.io/helm-charts --version 88.5.3)",
        f"charts.paths.dcgm-exporter: './charts/missing' is not a chart under {tmp_path}: no "
        f"such file or folder: {tmp_path}/charts/missing",
    ]


def test_a_pinned_archive_is_accepted(tmp_path: Path) -> None:
    archive = tmp_path / "dcgm-exporter-4.8.2.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        data = b"apiVersion: v2\nname: dcgm-exporter\nversion: 4.8.2\n"
        info = tarfile.TarInfo("dcgm-exporter/Chart.yaml")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    cfg = parse(
        {**LOCAL, "charts": {"paths": {"dcgm-exporter": "./dcgm-exporter-4.8.2.tgz"}}},
        root=tmp_path,
    )
    assert cfg.charts.paths == {"dcgm-exporter": "./dcgm-exporter-4.8.2.tgz"}


def test_the_engine_tests_stand_ins_carry_the_pinned_names_and_versions() -> None:
    paths = {p.name: f"./{p.name}" for p in STAND_INS.iterdir() if p.is_dir()}
    assert sorted(paths) == [
        "dcgm-exporter",
        "kube-prometheus-stack",
        "kueue",
        "nvidia-device-plugin",
    ]
    parse({**LOCAL, "charts": {"paths": paths}}, root=STAND_INS)
    for path in paths:
        assert "TEST STAND-IN" in (STAND_INS / path / "Chart.yaml").read_text()


def test_a_local_stack_takes_its_charts_from_the_project_folder(tmp_path: Path) -> None:
    """The paths in the stack are relative to Pulumi.yaml; Helm gets them relative to the
    program's folder, the working directory the engine gives the provider."""
    (tmp_path / "Pulumi.yaml").write_text((ROOT / "Pulumi.yaml").read_text())
    stacks = tmp_path / "stacks"
    stacks.mkdir()
    (stacks / "__main__.py").write_text((ROOT / "stacks/__main__.py").read_text())
    chart_folder(tmp_path, "kube-prometheus-stack", "88.5.3")
    chart_folder(tmp_path, "dcgm-exporter", "4.8.2")
    config = (ROOT / "stacks/Pulumi.local.yaml").read_text() + (
        "  mlplatform:charts:\n"
        "    registry: oci://mirror.example.com/charts\n"
        "    paths:\n"
        "      kube-prometheus-stack: ./charts/kube-prometheus-stack\n"
    )
    (stacks / "Pulumi.local.yaml").write_text(config)
    plan = run_stack("local", tmp_path)
    releases = {
        r.name: r.inputs for r in plan.resources if r.type == "kubernetes:helm.sh/v3:Release"
    }
    # Relative to the program's folder (stacks/), where the engine starts the provider.
    assert releases["ml-local-monitoring-prometheus"]["chart"] == "../charts/kube-prometheus-stack"
    assert "repositoryOpts" not in releases["ml-local-monitoring-prometheus"]
    assert releases["ml-local-monitoring-dcgm-exporter"]["chart"] == (
        "oci://mirror.example.com/charts/dcgm-exporter"
    )
    assert releases["ml-local-monitoring-dcgm-exporter"]["version"] == "4.8.2"

    (tmp_path / "charts/kube-prometheus-stack/Chart.yaml").write_text("name: other\nversion: 1\n")
    with pytest.raises(ConfigError) as caught:
        run_stack("local", tmp_path)
    assert [i.path for i in caught.value.issues] == ["charts.paths.kube-prometheus-stack"]
