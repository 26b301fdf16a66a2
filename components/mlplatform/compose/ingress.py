"""MLflow's Ingress on any target: the spec's `mlflow.ingress` in the component's terms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlplatform.environment import PlatformConfig

if TYPE_CHECKING:  # the kubernetes SDK loads only for targets that build MLflow
    from mlplatform.kubernetes.mlflow import MlflowIngressArgs


def ingress_args(cfg: PlatformConfig) -> MlflowIngressArgs | None:
    """The spec's MLflow Ingress in the component's terms."""
    ingress = cfg.mlflow.ingress
    if ingress is None:
        return None
    return {
        "host": ingress.host,
        "class_name": ingress.class_name,
        "tls_secret_name": ingress.tls_secret_name,
        "cluster_issuer": ingress.cluster_issuer,
        "annotations": dict(ingress.annotations),
    }
