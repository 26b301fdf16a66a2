"""What a target's builder hands back to `MlPlatform`: the platform's outputs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pulumi

from mlplatform import defaults

if TYPE_CHECKING:  # the kubernetes SDK loads only for targets that build MLflow
    from mlplatform.kubernetes.mlflow import MlflowServer
    from mlplatform.kubernetes.monitoring.stack import MonitoringStack


@dataclass
class Built:
    """What a target's builder hands back to `MlPlatform`."""

    artifact_uri: pulumi.Output[str] | None = None
    registry_url: pulumi.Output[str] | None = None
    cluster_name: pulumi.Output[str] | None = None
    kubeconfig: pulumi.Output[str] | None = None
    team_namespaces: list[pulumi.Output[str]] = field(default_factory=list)
    tracking_uri: pulumi.Output[str] | None = None
    mlflow_external_uri: pulumi.Output[str] | None = None
    mlflow_admin_password: pulumi.Output[str] | None = None
    mlflow_credentials_secret: pulumi.Output[str] | None = None
    grafana_admin_password: pulumi.Output[str] | None = None

    def set_monitoring(self, stack: MonitoringStack | None) -> None:
        """Take the monitoring stack's outputs (none when monitoring is off)."""
        if stack is not None:
            self.grafana_admin_password = stack.grafana_admin_password

    def set_mlflow(
        self, server: MlflowServer, namespace: pulumi.Input[str] = defaults.MLFLOW_NAMESPACE
    ) -> None:
        """Take the outputs of the MLflow server running in `namespace`."""
        self.tracking_uri = server.tracking_uri
        self.mlflow_external_uri = server.external_uri
        self.mlflow_admin_password = server.admin_password
        self.mlflow_credentials_secret = pulumi.Output.concat(
            namespace, "/", server.credentials_secret
        )
