"""The in-cluster monitoring stack: kube-prometheus-stack (Prometheus, Alertmanager, Grafana,
kube-state-metrics, node exporter) and NVIDIA's DCGM exporter from their upstream charts,
pinned, plus the platform's PrometheusRule and dashboard ConfigMaps.

The DCGM exporter runs on GPU nodes only, with the kubelet pod-resources socket mounted (the
chart always mounts it) so every GPU series carries the pod and namespace that hold the GPU.
"""

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

import pulumi
import pulumi_kubernetes as k8s
import pulumi_random as random

from mlplatform import defaults
from mlplatform.component_args import check_args
from mlplatform.contracts import ChartSourceArgs, child
from mlplatform.kubernetes import charts
from mlplatform.kubernetes.gpu import GPU_NODE_SELECTOR, GPU_TOLERATIONS
from mlplatform.kubernetes.labels import labels
from mlplatform.kubernetes.monitoring.dashboards import DASHBOARD_LABEL, dashboards
from mlplatform.kubernetes.monitoring.managed import ManagedPrometheus, apply_managed
from mlplatform.kubernetes.monitoring.metrics import dcgm_counters_csv
from mlplatform.kubernetes.monitoring.query_frontend import query_frontend
from mlplatform.kubernetes.monitoring.rules import AlertThresholds, Thresholds, rule_groups

NAMESPACE = defaults.MONITORING_NAMESPACE
ALERTMANAGER_STORAGE_GI = 5
GRAFANA_ADMIN_KEYS = {"user": "admin-user", "password": "admin-password"}
"""Keys of the Grafana admin Secret (the chart's grafana.admin.userKey / passwordKey)."""
DCGM_SCRAPE_INTERVAL = "15s"
RETENTION_FRACTION = 0.8
"""Share of the Prometheus volume its data may fill before the oldest blocks go."""


class MonitoringStackArgs(TypedDict, total=False):
    """Args of `MonitoringStack`."""

    retention_days: int
    """Days Prometheus keeps metrics. Default: 15."""
    storage_gi: int
    """Prometheus volume (GiB); retention also stops at 80% of it. Default: 50."""
    storage_class: str | None
    """Storage class of the Prometheus and Alertmanager volumes. Default: the cluster's."""
    prometheus_cpu: str
    """Prometheus CPU request. Default: 500m."""
    prometheus_memory: str
    """Prometheus memory request and limit. Default: 4Gi."""
    grafana: bool
    """Install Grafana with the dashboards. Default: on."""
    gpu_nodes: bool
    """Install the DCGM exporter on GPU nodes. Default: on."""
    thresholds: AlertThresholds
    """Alert thresholds. Default: the platform's."""
    mlflow: bool
    """MLflow runs here: include its alert group. Default: off."""
    queues: bool
    """Kueue queues the teams' GPU jobs here, scraped through its chart's ServiceMonitor:
    include the queue alert group and the queue panels of the GPU fleet dashboard. Default:
    off."""
    serving: bool
    """KServe serves models here, each scraped through its PodMonitor: include the serving
    alert group and the model serving dashboard. Default: off."""
    gke: bool
    """GKE nodes (driver on the host, device-named GPUs). Default: off."""
    webhooks: Sequence[pulumi.Input[str]]
    """https receivers of Alertmanager's webhook JSON (secret). Default: none."""
    managed: ManagedPrometheus
    """Send everything to a managed Prometheus, which runs the rules and alerting; the
    in-cluster Prometheus keeps two days. Default: in-cluster only."""
    tags: Mapping[str, str]
    """Labels on every object. Default: none."""
    charts: ChartSourceArgs
    """Where the pinned kube-prometheus-stack and DCGM exporter charts come from. Default: their
    upstream repositories."""


class MonitoringStack(pulumi.ComponentResource):
    """Prometheus, Alertmanager, Grafana and the DCGM exporter, with the platform's alert rules
    and dashboards."""

    namespace: pulumi.Output[str]
    """Namespace of the stack (the MLflow NetworkPolicy admits it)."""
    grafana_admin_password: pulumi.Output[str] | None
    """Password of Grafana's `admin` user (secret); None without Grafana."""
    operator_release: pulumi.Output[str]
    """Name of the Helm release that installs the Prometheus operator and its
    monitoring.coreos.com CRDs; give it to `MlflowServer.scraped_by` so MLflow's
    ServiceMonitor is created after them."""

    def __init__(
        self, name: str, args: MonitoringStackArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, MonitoringStackArgs, args)
        thresholds = Thresholds.of(args.get("thresholds", {}))
        super().__init__("mlplatform:index:MonitoringStack", name, None, opts)
        tags = dict(args.get("tags", {}))
        namespace = k8s.core.v1.Namespace(
            f"{name}-namespace",
            metadata={
                "name": NAMESPACE,
                "labels": {
                    **labels(NAMESPACE, "namespace", tags),
                    # node-exporter and the DCGM exporter read host paths and the host's PID
                    # and network namespaces: they cannot run "restricted".
                    "pod-security.kubernetes.io/enforce": "privileged",
                },
            },
            opts=child(self),
        )
        ns = namespace.metadata.apply(lambda m: m.name or NAMESPACE)
        values: dict[str, Any] = prometheus_stack_values(args)
        self.grafana_admin_password = None
        if args.get("grafana", True):
            password = random.RandomPassword(
                f"{name}-grafana-password", length=32, special=False, opts=child(self)
            )
            secret = k8s.core.v1.Secret(
                f"{name}-grafana-admin",
                metadata={"name": defaults.GRAFANA_ADMIN_SECRET, "namespace": ns, "labels": tags},
                type="Opaque",
                string_data={
                    GRAFANA_ADMIN_KEYS["user"]: "admin",
                    GRAFANA_ADMIN_KEYS["password"]: password.result,
                },
                opts=child(self),
            )
            values["grafana"]["admin"]["existingSecret"] = secret.metadata.apply(
                lambda m: m.name or ""
            )
            self.grafana_admin_password = pulumi.Output.secret(password.result)
        managed = args.get("managed")
        if managed is not None:
            apply_managed(values, managed)
            if (project := managed.get("query_frontend_project")) is not None:
                query_frontend(name, ns, project, managed["reader_annotations"], tags, self)
        webhooks = list(args.get("webhooks", []))
        if webhooks and managed is None:
            values["alertmanager"]["config"] = pulumi.Output.secret(
                pulumi.Output.all(*webhooks).apply(alertmanager_config)
            )
        stack = k8s.helm.v3.Release(
            f"{name}-prometheus",
            name=charts.KUBE_PROMETHEUS_STACK.name,
            **charts.release_source(charts.KUBE_PROMETHEUS_STACK, args.get("charts")),
            namespace=ns,
            values=values,
            atomic=True,
            cleanup_on_fail=True,
            opts=child(self),
        )
        if args.get("gpu_nodes", True):
            k8s.helm.v3.Release(
                f"{name}-dcgm-exporter",
                name=charts.DCGM_EXPORTER.name,
                **charts.release_source(charts.DCGM_EXPORTER, args.get("charts")),
                namespace=ns,
                values=dcgm_exporter_values(gke=args.get("gke", False)),
                atomic=True,
                cleanup_on_fail=True,
                opts=child(self),  # installs beside the operator, not after it
            )
            dcgm_service_monitor(f"{name}-dcgm-exporter-monitor", ns, tags, stack, self)
        if managed is None:  # a managed Prometheus evaluates the same groups itself
            k8s.apiextensions.CustomResource(
                f"{name}-rules",
                api_version="monitoring.coreos.com/v1",
                kind="PrometheusRule",
                metadata={
                    "name": defaults.ALERT_RULES,
                    "namespace": ns,
                    "labels": labels("mlplatform", "alert-rules", tags),
                },
                spec={
                    "groups": rule_groups(
                        thresholds,
                        mlflow=args.get("mlflow", False),
                        queues=args.get("queues", False),
                        serving=args.get("serving", False),
                    )
                },
                opts=child(self, depends_on=[stack]),
            )
        if args.get("grafana", True):
            source = managed["datasource"]["type"] if managed is not None else "prometheus"
            for dashboard in dashboards(
                thresholds, queues=args.get("queues", False), serving=args.get("serving", False)
            ):
                k8s.core.v1.ConfigMap(
                    f"{name}-{dashboard.uid}",
                    metadata={
                        "name": dashboard.uid,
                        "namespace": ns,
                        "labels": {**labels("mlplatform", "dashboard", tags), **DASHBOARD_LABEL},
                    },
                    data={f"{dashboard.uid}.json": json.dumps(dashboard.to_json(source), indent=1)},
                    opts=child(self),
                )
        self.namespace = ns
        self.operator_release = stack.name.apply(lambda n: n or charts.KUBE_PROMETHEUS_STACK.name)
        self.register_outputs(
            {"namespace": self.namespace, "operator_release": self.operator_release}
        )


def prometheus_stack_values(args: MonitoringStackArgs) -> dict[str, Any]:
    """kube-prometheus-stack values: retention and volume from config, every ServiceMonitor and
    PrometheusRule in the cluster picked up (not only the release's)."""
    storage_gi = args.get("storage_gi", defaults.PROMETHEUS_STORAGE_GI)
    claim: dict[str, Any] = {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": f"{storage_gi}Gi"}},
    }
    alert_claim: dict[str, Any] = {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": f"{ALERTMANAGER_STORAGE_GI}Gi"}},
    }
    if storage_class := args.get("storage_class"):
        claim["storageClassName"] = alert_claim["storageClassName"] = storage_class
    memory = args.get("prometheus_memory", defaults.PROMETHEUS_MEMORY)
    return {
        "crds": {"enabled": True},
        "prometheus": {
            "prometheusSpec": {
                "retention": f"{args.get('retention_days', defaults.PROMETHEUS_RETENTION_DAYS)}d",
                # Below the volume alert's 90%: the filesystem is a little smaller than the claim.
                "retentionSize": f"{int(storage_gi * RETENTION_FRACTION)}GiB",
                "storageSpec": {"volumeClaimTemplate": {"spec": claim}},
                "resources": {
                    "requests": {
                        "cpu": args.get("prometheus_cpu", defaults.PROMETHEUS_CPU),
                        "memory": memory,
                    },
                    "limits": {"memory": memory},
                },
                "ruleSelectorNilUsesHelmValues": False,
                "serviceMonitorSelectorNilUsesHelmValues": False,
                "podMonitorSelectorNilUsesHelmValues": False,
            }
        },
        # Kubernetes API tokens (kube-prometheus-stack 88.5.3 values.yaml): Alertmanager and
        # the node exporter never call the API, so neither pod nor service account mounts a
        # token. The operator (reconciles its custom resources), Prometheus (Kubernetes service
        # discovery), kube-state-metrics (lists every object), Grafana (its sidecars watch
        # dashboard ConfigMaps and data source Secrets) and the webhook patch Job (writes the
        # webhook's certificate Secret) need theirs and keep the chart's default.
        "alertmanager": {
            "serviceAccount": {"automountServiceAccountToken": False},
            "alertmanagerSpec": {
                "automountServiceAccountToken": False,
                "storage": {"volumeClaimTemplate": {"spec": alert_claim}},
            },
        },
        "prometheus-node-exporter": {"serviceAccount": {"automountServiceAccountToken": False}},
        "grafana": {
            "enabled": args.get("grafana", True),
            "admin": {
                "existingSecret": "",
                "userKey": GRAFANA_ADMIN_KEYS["user"],
                "passwordKey": GRAFANA_ADMIN_KEYS["password"],
            },
            "sidecar": {
                "dashboards": {
                    "enabled": True,
                    "label": next(iter(DASHBOARD_LABEL)),
                    "labelValue": DASHBOARD_LABEL[next(iter(DASHBOARD_LABEL))],
                    "searchNamespace": "ALL",
                }
            },
        },
    }


GKE_DRIVER_DIR = "/home/kubernetes/bin/nvidia"
"""Where GKE's driver installer puts the NVIDIA libraries on COS nodes."""


def dcgm_service_monitor(
    resource_name: str,
    namespace: pulumi.Input[str],
    tags: Mapping[str, str],
    operator: pulumi.Resource,
    parent: pulumi.Resource,
) -> k8s.apiextensions.CustomResource:
    """The DCGM exporter scraped every 15 s, created after the operator's release (its CRDs),
    so the exporter's release need not wait for it. The selector and endpoint are the chart's
    own ServiceMonitor's (deployment/templates/service-monitor.yaml); the job label stays the
    Service's name, `dcgm-exporter`.

    The exporter's own labels win (honorLabels) and the scrape's pod/namespace/container
    target labels are dropped: `pod` and `namespace` on a GPU series name the workload that
    holds the GPU, and are absent when none does."""
    return k8s.apiextensions.CustomResource(
        resource_name,
        api_version="monitoring.coreos.com/v1",
        kind="ServiceMonitor",
        metadata={
            "name": defaults.DCGM_SERVICE_MONITOR,
            "namespace": namespace,
            "labels": labels(charts.DCGM_EXPORTER.name, "metrics", tags),
        },
        spec={
            "selector": {
                "matchLabels": {
                    "app.kubernetes.io/name": charts.DCGM_EXPORTER.name,
                    "app.kubernetes.io/instance": charts.DCGM_EXPORTER.name,
                }
            },
            "namespaceSelector": {"matchNames": [namespace]},
            "endpoints": [
                {
                    "port": "metrics",
                    "path": "/metrics",
                    "interval": DCGM_SCRAPE_INTERVAL,
                    "honorLabels": True,
                    "relabelings": [{"action": "labeldrop", "regex": "pod|namespace|container"}],
                }
            ],
        },
        opts=child(parent, depends_on=[operator]),
    )


def dcgm_exporter_values(gke: bool = False) -> dict[str, Any]:
    """DCGM exporter on GPU nodes only (spot included), with the platform's counters file
    (ECC, retired pages and thermal violations switched on). On GKE the driver lives on the
    host under /home/kubernetes/bin/nvidia and GPUs are named by device (nvidia0)."""
    counters = dcgm_counters_csv()
    values: dict[str, Any] = {
        "nodeSelector": GPU_NODE_SELECTOR,
        "tolerations": GPU_TOLERATIONS,
        "customMetrics": counters,
        # The counters file is a subPath mount: roll the pods when it changes.
        "podAnnotations": {
            "mlplatform.io/counters-sha256": hashlib.sha256(counters.encode()).hexdigest()
        },
        # Scraped through our own ServiceMonitor (dcgm_service_monitor), which waits for the
        # operator's CRDs: the chart's own would make the whole release wait for them.
        "serviceMonitor": {"enabled": False},
    }
    if gke:
        values["arguments"] = [
            "-f",
            "/etc/dcgm-exporter/default-counters.csv",
            "--kubernetes-gpu-id-type",
            "device-name",
        ]
        values["extraHostVolumes"] = [
            {"name": "nvidia-install-dir-host", "hostPath": GKE_DRIVER_DIR}
        ]
        # Setting this list replaces the chart's default, which mounts the counters file.
        values["extraVolumeMounts"] = [
            {
                "name": "exporter-metrics-volume",
                "mountPath": "/etc/dcgm-exporter/default-counters.csv",
                "subPath": "default-counters.csv",
            },
            {"name": "nvidia-install-dir-host", "mountPath": "/usr/local/nvidia", "readOnly": True},
        ]
        values["extraEnv"] = [{"name": "LD_LIBRARY_PATH", "value": "/usr/local/nvidia/lib64"}]
    return values


def alertmanager_config(webhooks: Sequence[str]) -> dict[str, Any]:
    """Alertmanager routing: every platform alert to every configured webhook, grouped by
    alert and namespace, resolved notifications included."""
    return {
        "route": {"receiver": "platform", **defaults.ALERT_ROUTE},
        "receivers": [
            {"name": "null"},
            {
                "name": "platform",
                "webhook_configs": [{"url": url, "send_resolved": True} for url in webhooks],
            },
        ],
    }
