"""Google's Managed Prometheus query frontend: a Prometheus HTTP API inside the cluster that
signs each query to Cloud Monitoring with its own Workload Identity, so Grafana reads GMP as
a plain Prometheus data source without holding a Google credential."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
import pulumi_kubernetes as k8s

from mlplatform.contracts import child
from mlplatform.kubernetes.labels import labels, selector
from mlplatform.kubernetes.monitoring.managed import (
    GMP_FRONTEND_IMAGE,
    QUERY_FRONTEND,
    QUERY_FRONTEND_PORT,
)
from mlplatform.kubernetes.security import RESTRICTED_CONTAINER, restricted_pod

RUN_AS_USER = 65532
"""The distroless image's nonroot user."""
REPLICAS = 2
GRAFANA_POD = {"app.kubernetes.io/name": "grafana"}
"""How the kube-prometheus-stack chart's Grafana labels its pods."""


def query_frontend(
    name: str,
    namespace: pulumi.Input[str],
    project: pulumi.Input[str],
    annotations: pulumi.Input[Mapping[str, str]],
    tags: Mapping[str, str],
    parent: pulumi.Resource,
) -> k8s.core.v1.Service:
    """The frontend's service account (bound to a Google SA with monitoring.viewer),
    Deployment, a NetworkPolicy admitting Grafana only, and the ClusterIP Service
    `gmp-query-frontend:9090`."""
    meta = labels(QUERY_FRONTEND, "query-frontend", tags)
    match = selector(QUERY_FRONTEND, "query-frontend")
    # The frontend never calls the Kubernetes API: the GKE metadata server signs its Google
    # calls for the pod's Kubernetes service account without a token in the pod (Google's
    # workload-identity Terraform module turns automount off by default:
    # terraform-google-kubernetes-engine modules/workload-identity/variables.tf).
    account = k8s.core.v1.ServiceAccount(
        f"{name}-query-frontend",
        metadata={
            "name": QUERY_FRONTEND,
            "namespace": namespace,
            "labels": meta,
            "annotations": annotations,
        },
        automount_service_account_token=False,
        opts=child(parent),
    )
    probe: k8s.core.v1.ProbeArgsDict = {"http_get": {"path": "/-/ready", "port": "web"}}
    k8s.apps.v1.Deployment(
        f"{name}-query-frontend",
        metadata={"name": QUERY_FRONTEND, "namespace": namespace, "labels": meta},
        spec={
            "replicas": REPLICAS,
            "selector": {"match_labels": match},
            "template": {
                "metadata": {"labels": meta},
                "spec": {
                    "service_account_name": account.metadata.apply(lambda m: m.name or ""),
                    "automount_service_account_token": False,
                    "security_context": restricted_pod(RUN_AS_USER),
                    "containers": [
                        {
                            "name": "frontend",
                            "image": GMP_FRONTEND_IMAGE,
                            "args": [
                                f"--web.listen-address=:{QUERY_FRONTEND_PORT}",
                                pulumi.Output.concat("--query.project-id=", project),
                            ],
                            "ports": [{"name": "web", "container_port": QUERY_FRONTEND_PORT}],
                            "readiness_probe": probe,
                            "liveness_probe": {
                                "http_get": {"path": "/-/healthy", "port": "web"},
                                "initial_delay_seconds": 10,
                            },
                            "resources": {
                                "requests": {"cpu": "50m", "memory": "64Mi"},
                                "limits": {"memory": "256Mi"},
                            },
                            "security_context": RESTRICTED_CONTAINER,
                        }
                    ],
                },
            },
        },
        opts=child(parent),
    )
    # The frontend answers anyone who reaches it with the project's monitoring.viewer: only
    # Grafana may.
    k8s.networking.v1.NetworkPolicy(
        f"{name}-query-frontend",
        metadata={"name": QUERY_FRONTEND, "namespace": namespace, "labels": meta},
        spec={
            "pod_selector": {"match_labels": match},
            "policy_types": ["Ingress"],
            "ingress": [
                {
                    "from_": [{"pod_selector": {"match_labels": GRAFANA_POD}}],
                    "ports": [{"protocol": "TCP", "port": QUERY_FRONTEND_PORT}],
                }
            ],
        },
        opts=child(parent),
    )
    return k8s.core.v1.Service(
        f"{name}-query-frontend",
        metadata={"name": QUERY_FRONTEND, "namespace": namespace, "labels": meta},
        spec={
            "selector": match,
            "ports": [{"name": "web", "port": QUERY_FRONTEND_PORT, "target_port": "web"}],
        },
        opts=child(parent),
    )
