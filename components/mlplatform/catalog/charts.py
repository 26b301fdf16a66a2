"""Upstream Helm charts the platform installs, pinned, each with where its version was checked.

Pure data, beside the GPU catalog: the spec checks local chart copies against these pins, and
`mlplatform.kubernetes.charts` installs them. Third-party cluster software comes from its
upstream chart as a `helm.v3.Release` (an ordinary resource the offline engine and policies
can inspect); nothing here is Bitnami.
"""

from typing import NamedTuple


class Chart(NamedTuple):
    """A pinned upstream chart."""

    name: str
    repo: str
    version: str
    source: str
    checked: str = "2026-11-27"


NVIDIA_DEVICE_PLUGIN = Chart(
    name="nvidia-device-plugin",
    repo="https://nvidia.github.io/k8s-device-plugin",
    version="0.20.0",
    source="NVIDIA/k8s-device-plugin tag v0.20.0 (2026-08-19), gh-pages index.yaml",
)
GPU_OPERATOR = Chart(
    name="gpu-operator",
    repo="https://helm.ngc.nvidia.com/nvidia",
    version="v26.7.0",
    source="NVIDIA/gpu-operator tag v26.7.0 (2026-08-20); NVIDIA/cloud-native-docs repo.toml",
)
CLUSTER_AUTOSCALER = Chart(
    name="cluster-autoscaler",
    repo="https://kubernetes.github.io/autoscaler",
    version="9.59.0",
    source="kubernetes/autoscaler cluster-autoscaler/charts/cluster-autoscaler/Chart.yaml "
    "(9.59.0, 2026-07-21; the chart README allows overriding image.tag per Kubernetes minor)",
)
CLUSTER_AUTOSCALER_IMAGE_TAGS = {"1.35": "v1.35.2", "1.36": "v1.36.1"}
"""cluster-autoscaler releases matching each Kubernetes minor (tags cluster-autoscaler-1.35.2,
cluster-autoscaler-1.36.1 in kubernetes/autoscaler)."""
KUBE_PROMETHEUS_STACK = Chart(
    name="kube-prometheus-stack",
    repo="https://prometheus-community.github.io/helm-charts",
    version="88.5.3",
    source="prometheus-community/helm-charts tag kube-prometheus-stack-88.5.3 (2026-08-21; "
    "operator v0.93.1, kube-state-metrics 2.20.0, Grafana 13.2.0 from grafana-community)",
)
DCGM_EXPORTER = Chart(
    name="dcgm-exporter",
    repo="https://nvidia.github.io/dcgm-exporter/helm-charts",
    version="4.8.2",
    source="NVIDIA/dcgm-exporter gh-pages helm-charts/index.yaml (4.8.2, 2026-05-05; image "
    "4.5.3-4.8.2); deployment/values.yaml at d5e5f510",
)

KUEUE = Chart(
    name="kueue",
    repo="oci://registry.k8s.io/kueue/charts",
    version="0.17.0",
    source="sigs.k8s.io/kueue v0.17.0 (2026-03-31, the newest the Go module proxy serves): "
    "charts/kueue/Chart.yaml 0.17.0 and charts/kueue/README.md (`helm install kueue "
    "oci://registry.k8s.io/kueue/charts/kueue --version=0.17.0`)",
    checked="2026-12-07",
)
KUEUE_IMAGE = {"repository": "registry.k8s.io/kueue/kueue", "tag": "v0.17.0"}
"""The Kueue controller image the release runs: the module's chart source names the staging
registry and the release branch (charts/kueue/values.yaml: k8s-staging-images/kueue/kueue,
tag release-0.17, pulled Always), which the published chart overrides; the platform names the
promoted image of the pinned release itself."""

CERT_MANAGER = Chart(
    name="cert-manager",
    repo="oci://quay.io/jetstack/charts",
    version="v1.21.2",
    source="github.com/cert-manager/cert-manager v1.21.2 (2026-09-10, the newest the Go module "
    "proxy serves); chart published to oci://quay.io/jetstack/charts/cert-manager (and "
    "charts.jetstack.io), version with its v prefix; KServe v0.20.0 needs cert-manager 1.15+ "
    "(website docs/admin-guide/kubernetes-deployment.md)",
    checked="2026-12-07",
)
KSERVE_CRD = Chart(
    name="kserve-crd",
    repo="oci://ghcr.io/kserve/charts",
    version="v0.20.0",
    source="github.com/kserve/kserve v0.20.0 (2026-08-06, the newest the Go module proxy "
    "serves): charts/kserve-crd/Chart.yaml v0.20.0, pushed to oci://ghcr.io/kserve/charts by "
    ".github/workflows/helm-publish.yml; website docs/install/kserve-install.md",
    checked="2026-12-07",
)
KSERVE = Chart(
    name="kserve-resources",
    repo="oci://ghcr.io/kserve/charts",
    version="v0.20.0",
    source="github.com/kserve/kserve v0.20.0: charts/kserve-resources/Chart.yaml v0.20.0 and "
    "values.yaml (deploymentMode, gateway, controller and storage images)",
    checked="2026-12-07",
)
METRICS_SERVER = Chart(
    name="metrics-server",
    repo="https://kubernetes-sigs.github.io/metrics-server/",
    version="3.13.1",
    source="sigs.k8s.io/metrics-server v0.9.1 (2026-10-28, the newest the Go module proxy "
    "serves): charts/metrics-server/Chart.yaml 3.13.1, appVersion 0.8.1; EKS runs none by "
    "default (docs.aws.amazon.com/eks/latest/userguide/metrics-server.html: \"it isn't deployed "
    'by default in Amazon EKS clusters"), and a HorizontalPodAutoscaler on CPU needs it',
    checked="2026-12-07",
)
KSERVE_IMAGES = {
    "controller": {"image": "kserve/kserve-controller", "tag": "v0.20.0"},
    "storage": {"image": "kserve/storage-initializer", "tag": "v0.20.0"},
}
"""The KServe images the release runs, named at the pinned version (charts/kserve-resources/
values.yaml leaves each tag '' for kserve.version and pulls the controller Always)."""

PINNED = {
    chart.name: chart
    for chart in (
        NVIDIA_DEVICE_PLUGIN,
        GPU_OPERATOR,
        CLUSTER_AUTOSCALER,
        KUBE_PROMETHEUS_STACK,
        DCGM_EXPORTER,
        KUEUE,
        CERT_MANAGER,
        KSERVE_CRD,
        KSERVE,
        METRICS_SERVER,
    )
}
"""Every chart the platform installs, by chart name (the names `charts.paths` takes)."""
PROMETHEUS_OPERATOR_VERSION = "v0.93.1"
"""The Prometheus operator kube-prometheus-stack 88.5.3 deploys (its appVersion); the loopback
cluster installs this release's CRDs (tools/crds/go.mod pins the same)."""
