"""Kubernetes API tokens in every shipped stack: no pod or ServiceAccount the platform creates
mounts a token it does not use (CIS Kubernetes 5.1.6), and every chart workload that keeps its
token is on an explicit allow-list, with the reason it calls the API server.

Our own objects are in the plan and are audited field by field. Upstream charts are captured as
Helm releases, not rendered, so each chart's workloads are listed here with how the pinned
chart decides their token from its values (its templates at the pinned version); the audit
reads the values we pass."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from mlplatform.engine import Plan
from tests.conftest import SHIPPED_STACKS

POD_TEMPLATE = {
    "kubernetes:apps/v1:Deployment": ("spec", "template", "spec"),
    "kubernetes:apps/v1:StatefulSet": ("spec", "template", "spec"),
    "kubernetes:apps/v1:DaemonSet": ("spec", "template", "spec"),
    "kubernetes:batch/v1:Job": ("spec", "template", "spec"),
    "kubernetes:batch/v1:CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
    "kubernetes:core/v1:Pod": ("spec",),
    "kubernetes:serving.kserve.io/v1beta1:InferenceService": ("spec", "predictor"),
}
"""Where each workload kind keeps its pod spec."""
SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount"
HELM_RELEASE = "kubernetes:helm.sh/v3:Release"

NEEDS_API_TOKEN: dict[str, str] = {
    "kube-prometheus-stack/prometheus-operator": "reconciles the Prometheus, Alertmanager, "
    "ServiceMonitor and PrometheusRule objects",
    "kube-prometheus-stack/admission-webhook-patch-job": "writes the admission webhook's "
    "certificate Secret and patches the webhook configurations",
    "kube-prometheus-stack/prometheus": "finds its scrape targets through the Kubernetes API "
    "(ServiceMonitors, kubernetes_sd_configs)",
    "kube-prometheus-stack/kube-state-metrics": "lists and watches every object it exports",
    "kube-prometheus-stack/grafana": "its sidecars watch ConfigMaps and Secrets for dashboards "
    "and data sources",
    "cluster-autoscaler/cluster-autoscaler": "watches pods and nodes to scale the node groups",
    "nvidia-device-plugin/nvidia-device-plugin": "its config-manager sidecar reads the node's "
    "nvidia.com/device-plugin.config label (GFD and NFD, when on, label nodes)",
    "gpu-operator/gpu-operator": "the operator and its operands reconcile ClusterPolicy and "
    "label nodes",
    "kueue/controller-manager": "admits workloads: watches and suspends jobs, reconciles the "
    "queues, serves the webhooks and rotates their certificate",
    "cert-manager/controller": "reconciles Certificates and Issuers, writes the certificate "
    "Secrets",
    "cert-manager/webhook": "serves cert-manager's admission webhooks with a certificate it "
    "keeps in a Secret",
    "cert-manager/cainjector": "injects CA bundles into webhook configurations and CRDs",
    "cert-manager/startupapicheck": "a post-install Job that creates a test Certificate "
    "through the API to check cert-manager answers",
    "metrics-server/metrics-server": "reads the nodes and scrapes their kubelets for the "
    "metrics.k8s.io API",
    "kserve-resources/controller-manager": "reconciles InferenceServices into Deployments, "
    "Services and HPAs, serves the webhooks that inject the storage initializer",
}
"""The only workloads that keep a Kubernetes API token, each with the reason. None of the
platform's own objects (MLflow, its migration Job, the query frontend, the in-cluster
registry and Postgres, team service accounts) is here: none calls the API server."""


def value(values: Mapping[str, Any], path: str, default: Any = None) -> Any:
    found: Any = values
    for key in path.split("."):
        if not isinstance(found, Mapping) or key not in found:
            return default
        found = found[key]
    return found


Mounts = Callable[[Mapping[str, Any]], bool | None]
"""From a release's values: whether the workload mounts a token (None: not installed)."""


def always(_: Mapping[str, Any]) -> bool:
    return True


def _turned_off(*paths: str) -> Mounts:
    """A workload whose token our values must turn off explicitly at every path (pod spec and
    ServiceAccount): a chart default is not relied on, it may flip on an upgrade."""
    return lambda values: any(value(values, path) is not False for path in paths)


def _alertmanager(values: Mapping[str, Any]) -> bool | None:
    if value(values, "alertmanager.enabled") is False:
        return None
    return _turned_off(
        "alertmanager.serviceAccount.automountServiceAccountToken",
        "alertmanager.alertmanagerSpec.automountServiceAccountToken",
    )(values)


def _node_exporter(values: Mapping[str, Any]) -> bool:
    # prometheus-node-exporter 4.56.1 templates/daemonset.yaml: the pod mounts a token when
    # serviceAccount.automountServiceAccountToken or kubeRBACProxy.enabled is true.
    path = "prometheus-node-exporter.serviceAccount.automountServiceAccountToken"
    proxy = value(values, "prometheus-node-exporter.kubeRBACProxy.enabled") is True
    return _turned_off(path)(values) or proxy


def _grafana(values: Mapping[str, Any]) -> bool | None:
    return None if value(values, "grafana.enabled") is False else True


def _dcgm_exporter(values: Mapping[str, Any]) -> bool:
    # dcgm-exporter 4.8.2 (deployment/templates/daemonset.yaml, serviceaccount.yaml at
    # d5e5f510): automountServiceAccountToken is computed, true only with pod labels, pod
    # UIDs (and rbac.create) or DRA; nothing to set, so none of them may be on.
    switches = ("kubernetes.enablePodLabels", "kubernetes.enablePodUID", "kubernetesDRA.enabled")
    return any(value(values, s) is True for s in switches)


def _startupapicheck(values: Mapping[str, Any]) -> bool | None:
    return None if value(values, "startupapicheck.enabled") is False else True


def _kueueviz(values: Mapping[str, Any]) -> bool | None:
    return True if value(values, "enableKueueViz") is True else None


CHART_WORKLOADS: dict[str, dict[str, Mounts]] = {
    # kube-prometheus-stack 88.5.3 values.yaml (crds.upgradeJob and the admission webhook
    # Deployment are off by default; its webhook ServiceAccount mounts nothing).
    "kube-prometheus-stack": {
        "prometheus-operator": always,
        "admission-webhook-patch-job": always,
        "prometheus": always,
        "kube-state-metrics": always,
        "grafana": _grafana,
        "alertmanager": _alertmanager,
        "node-exporter": _node_exporter,
    },
    "dcgm-exporter": {"dcgm-exporter": _dcgm_exporter},
    "cluster-autoscaler": {"cluster-autoscaler": always},
    "nvidia-device-plugin": {"nvidia-device-plugin": always},
    "gpu-operator": {"gpu-operator": always},
    # kueue 0.17.0 templates/manager: no automountServiceAccountToken; KueueViz is off
    # (enableKueueViz: false) and the platform does not turn it on.
    "kueue": {"controller-manager": always, "kueueviz": _kueueviz},
    # cert-manager v1.21.2 deploy/charts/cert-manager values.yaml: every workload keeps its token
    # (each calls the API server); startupapicheck.enabled is on by default.
    "cert-manager": {
        "controller": always,
        "webhook": always,
        "cainjector": always,
        "startupapicheck": _startupapicheck,
    },
    # kserve v0.20.0 charts/kserve-crd: CRDs only; charts/kserve-resources
    # files/kserve/resources.yaml: one Deployment, kserve-controller-manager. Model pods are
    # InferenceServices, audited as the platform's own objects.
    "kserve-crd": {},
    "kserve-resources": {"controller-manager": always},
    # metrics-server 3.13.1 (sigs.k8s.io/metrics-server v0.9.1 charts/metrics-server): one
    # Deployment, its ServiceAccount mounting the token.
    "metrics-server": {"metrics-server": always},
}
"""Every workload of every chart the platform installs, and how its token is decided."""


def pod_spec(inputs: Mapping[str, Any], path: tuple[str, ...]) -> Mapping[str, Any]:
    found: Any = inputs
    for key in path:
        found = found[key]
    return found


@pytest.mark.parametrize("stack", SHIPPED_STACKS)
def test_no_own_pod_or_service_account_mounts_an_api_token(
    stack: str, shipped_plans: dict[str, Plan]
) -> None:
    plan = shipped_plans[stack]
    mounting = []
    for r in plan.resources:
        kind = r.type.rsplit(":", 1)[-1]
        if r.type == SERVICE_ACCOUNT:
            mounted = r.inputs.get("automountServiceAccountToken") is not False
        elif r.type in POD_TEMPLATE:
            spec = pod_spec(r.inputs, POD_TEMPLATE[r.type])
            mounted = spec.get("automountServiceAccountToken") is not False
        else:
            continue
        name = r.inputs["metadata"].get("name", r.name)
        if mounted and f"{kind}/{name}" not in NEEDS_API_TOKEN:
            mounting.append(r.name)
    assert mounting == []
    assert plan.of_type(SERVICE_ACCOUNT), "the audit must see the stack's service accounts"


@pytest.mark.parametrize("stack", SHIPPED_STACKS)
def test_chart_workloads_mount_an_api_token_only_where_allowed(
    stack: str, shipped_plans: dict[str, Plan]
) -> None:
    releases = shipped_plans[stack].of_type(HELM_RELEASE)
    assert releases
    mounting = []
    for release in releases:
        chart = release.inputs["chart"].rsplit("/", 1)[-1]
        assert chart in CHART_WORKLOADS, f"audit the new chart {chart}'s workloads"
        for workload, mounts in CHART_WORKLOADS[chart].items():
            if mounts(release.inputs.get("values", {})) and (
                f"{chart}/{workload}" not in NEEDS_API_TOKEN
            ):
                mounting.append(f"{chart}/{workload}")
    assert mounting == []


def test_the_allow_list_names_only_inventoried_workloads() -> None:
    inventoried = {f"{c}/{w}" for c, workloads in CHART_WORKLOADS.items() for w in workloads}
    assert set(NEEDS_API_TOKEN) <= inventoried
