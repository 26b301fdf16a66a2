"""How the in-cluster Prometheus and Grafana work with a cloud's managed Prometheus: one
`ManagedPrometheus` per cloud says how samples leave the cluster and how Grafana reads them
back; `apply_managed` writes it into the kube-prometheus-stack values.

- Amazon Managed Service for Prometheus: remote write signed with SigV4 (IRSA); Grafana through
  Amazon's Prometheus data source plugin, SigV4 on.
- Azure Monitor managed Prometheus: remote write to a data collection rule with Entra Workload
  ID (Prometheus >= 3.7); Grafana through the Azure Prometheus data source plugin (Grafana 13's
  core Prometheus type has no Azure auth any more).
- Google Cloud Managed Service for Prometheus: GMP has no remote-write intake, so Prometheus
  runs Google's fork (self-deployed collection), which exports every sample to Monarch on
  Workload Identity; Grafana queries through Google's query frontend, which signs for it.

In every case the in-cluster Prometheus keeps a two-day buffer, and its rules and Alertmanager
are off: the managed side evaluates the platform's rules and alerts through the cloud's alarm
channel.
"""

from collections.abc import Mapping, Sequence
from typing import Any, Required, TypedDict

import pulumi

from mlplatform import defaults

LOCAL_BUFFER_RETENTION = "2d"
"""What the in-cluster Prometheus keeps when a managed Prometheus holds the history."""
PROMETHEUS_SERVICE_ACCOUNT = "prometheus"
GRAFANA_SERVICE_ACCOUNT = "grafana"
QUERY_FRONTEND = defaults.GMP_QUERY_FRONTEND
"""Name of Google's query frontend Deployment, Service and service account."""
QUERY_FRONTEND_PORT = 9090

AMAZON_PROMETHEUS_PLUGIN = "grafana-amazonprometheus-datasource"
"""Grafana's data source type for Amazon Managed Service for Prometheus (SigV4)."""
AZURE_PROMETHEUS_PLUGIN = "grafana-azureprometheus-datasource"
"""Grafana's data source type for Azure Monitor managed Prometheus (Entra ID)."""
AZURE_WORKLOAD_IDENTITY_LABEL = {"azure.workload.identity/use": "true"}

GMP_PROMETHEUS_IMAGE = defaults.GMP_PROMETHEUS_IMAGE
GMP_PROMETHEUS_VERSION = "v2.53.5"
"""The upstream version the fork is built on: the operator renders flags and config for it."""
GMP_FRONTEND_IMAGE = "gke.gcr.io/prometheus-engine/frontend:v0.15.3-gke.0"
"""Google's query frontend: a Prometheus HTTP API that signs queries to Cloud Monitoring."""


class ManagedPrometheus(TypedDict, total=False):
    """A managed Prometheus that stores the metrics and runs the rules: how Prometheus ships
    samples to it and how Grafana queries it."""

    datasource: Required[Mapping[str, Any]]
    """Grafana's default data source: name, type, url, jsonData."""
    writer_annotations: Required[pulumi.Input[Mapping[str, str]]]
    """Annotations on Prometheus' service account giving it write access (workload identity)."""
    reader_annotations: Required[pulumi.Input[Mapping[str, str]]]
    """Annotations on the querying service account (Grafana's, or the query frontend's)."""
    remote_write: Sequence[Mapping[str, Any]]
    """Prometheus remoteWrite entries (url and the cloud's auth). Default: none (the image
    exports by itself)."""
    external_labels: Mapping[str, pulumi.Input[str]]
    """Labels on every exported sample (the cluster's identity). Default: none."""
    prometheus_image: Mapping[str, str]
    """registry/repository/tag of a Prometheus build to run instead of the chart's."""
    prometheus_version: str
    """Upstream version of that build. Required with `prometheus_image`."""
    pod_labels: Mapping[str, str]
    """Labels on the Prometheus and Grafana pods (Azure's workload identity webhook).
    Default: none."""
    grafana_plugins: Sequence[str]
    """Grafana plugins the data source needs. Default: none."""
    grafana_ini: Mapping[str, Any]
    """grafana.ini sections the data source's auth needs. Default: none."""
    query_frontend_project: pulumi.Input[str]
    """Run Google's query frontend for this project; Grafana reads through it. Default: no
    frontend."""


def amazon(
    url: pulumi.Input[str],
    query_url: pulumi.Input[str],
    region: str,
    writer_annotations: pulumi.Input[Mapping[str, str]],
    reader_annotations: pulumi.Input[Mapping[str, str]],
) -> ManagedPrometheus:
    """AMP: SigV4 remote write on IRSA; Grafana 13 signs through Amazon's plugin, and only with
    auth.sigv4_auth_enabled (the core Prometheus type's SigV4 is gone)."""
    return {
        "remote_write": [{"url": url, "sigv4": {"region": region}}],
        "writer_annotations": writer_annotations,
        "reader_annotations": reader_annotations,
        "grafana_plugins": [AMAZON_PROMETHEUS_PLUGIN],
        "grafana_ini": {"auth": {"sigv4_auth_enabled": True}},
        "datasource": {
            "name": "Managed Prometheus",
            "type": AMAZON_PROMETHEUS_PLUGIN,
            "url": query_url,
            "jsonData": {
                "httpMethod": "POST",
                "sigV4Auth": True,
                "sigV4AuthType": "default",
                "sigV4Region": region,
            },
        },
    }


def azure(
    ingestion_url: pulumi.Input[str],
    query_url: pulumi.Input[str],
    tenant_id: pulumi.Input[str],
    cluster_name: pulumi.Input[str],
    writer_client_id: pulumi.Input[str],
    writer_annotations: pulumi.Input[Mapping[str, str]],
    reader_annotations: pulumi.Input[Mapping[str, str]],
) -> ManagedPrometheus:
    """Azure Monitor workspace: remote write to its data collection rule as the writer's
    workload identity; every sample carries `cluster` (the rule groups' cluster filter);
    Grafana reads the query endpoint through the Azure Prometheus plugin on its own."""
    return {
        "remote_write": [
            {
                "url": ingestion_url,
                "azureAd": {
                    "cloud": "AzurePublic",
                    "workloadIdentity": {"clientId": writer_client_id, "tenantId": tenant_id},
                },
            }
        ],
        "external_labels": {"cluster": cluster_name},
        "writer_annotations": writer_annotations,
        "reader_annotations": reader_annotations,
        "pod_labels": AZURE_WORKLOAD_IDENTITY_LABEL,
        "grafana_plugins": [AZURE_PROMETHEUS_PLUGIN],
        "grafana_ini": {
            "auth": {"azure_auth_enabled": True},
            "azure": {"workload_identity_enabled": True},
        },
        "datasource": {
            "name": "Managed Prometheus",
            "type": AZURE_PROMETHEUS_PLUGIN,
            "url": query_url,
            "jsonData": {
                "httpMethod": "POST",
                "azureCredentials": {"authType": "workloadidentity"},
            },
        },
    }


def google(
    project: pulumi.Input[str],
    location: pulumi.Input[str],
    cluster_name: pulumi.Input[str],
    writer_annotations: pulumi.Input[Mapping[str, str]],
    reader_annotations: pulumi.Input[Mapping[str, str]],
) -> ManagedPrometheus:
    """GMP self-deployed collection: Google's fork exports to Monarch as the writer's Google
    service account, labelled with the project, location and cluster (the `prometheus_target`
    resource); Grafana reads through the query frontend in the monitoring namespace."""
    return {
        "prometheus_image": GMP_PROMETHEUS_IMAGE,
        "prometheus_version": GMP_PROMETHEUS_VERSION,
        "external_labels": {"project_id": project, "location": location, "cluster": cluster_name},
        "writer_annotations": writer_annotations,
        "reader_annotations": reader_annotations,
        "query_frontend_project": project,
        "datasource": {
            "name": "Managed Prometheus",
            "type": "prometheus",
            "url": f"http://{QUERY_FRONTEND}:{QUERY_FRONTEND_PORT}",
            "jsonData": {"httpMethod": "GET", "prometheusType": "Prometheus"},
        },
    }


def apply_managed(values: dict[str, Any], managed: ManagedPrometheus) -> None:
    """Prometheus ships everything to the managed side and keeps a short local buffer; no local
    rules or Alertmanager (the managed side runs them); Grafana reads the managed store."""
    spec = values["prometheus"]["prometheusSpec"]
    spec["retention"] = LOCAL_BUFFER_RETENTION
    if remote_write := managed.get("remote_write"):
        spec["remoteWrite"] = list(remote_write)
    if image := managed.get("prometheus_image"):
        version = managed.get("prometheus_version")
        if not version:
            raise ValueError("prometheus_image needs prometheus_version (its upstream version)")
        spec["image"], spec["version"] = dict(image), version
    if external := managed.get("external_labels"):
        spec["externalLabels"] = dict(external)
    pod_labels = dict(managed.get("pod_labels", {}))
    if pod_labels:
        spec["podMetadata"] = {"labels": pod_labels}
    values["prometheus"]["serviceAccount"] = {
        "create": True,
        "name": PROMETHEUS_SERVICE_ACCOUNT,
        "annotations": managed["writer_annotations"],
    }
    values["defaultRules"] = {"create": False}
    values["alertmanager"] = {"enabled": False}
    grafana = values["grafana"]
    if "query_frontend_project" not in managed:  # else the frontend holds the identity
        grafana["serviceAccount"] = {
            "create": True,
            "name": GRAFANA_SERVICE_ACCOUNT,
            "annotations": managed["reader_annotations"],
        }
    if pod_labels:
        grafana["podLabels"] = pod_labels
    # The chart's own data sources: the local Prometheus stays (not default), the
    # Alertmanager one would point at a Service that no longer exists.
    grafana["sidecar"]["datasources"] = {
        "isDefaultDatasource": False,
        "alertmanager": {"enabled": False},
    }
    if plugins := managed.get("grafana_plugins"):
        grafana["plugins"] = list(plugins)
    if ini := managed.get("grafana_ini"):
        grafana["grafana.ini"] = dict(ini)
    source = {**managed["datasource"], "access": "proxy", "isDefault": True}
    grafana["additionalDataSources"] = [source]
