"""GCP-native alarms for the platform: notification channels for the configured e-mails and
webhooks, and alert policies on the MLflow Cloud SQL instance (up, CPU, disk, connections) and
on the GKE cluster's nodes (not Ready)."""

from collections.abc import Sequence
from typing import Required, TypedDict

import pulumi
from pulumi_gcp import monitoring

from mlplatform import defaults
from mlplatform.component_args import check_args
from mlplatform.contracts import child

CLOUD_SQL = "cloudsql.googleapis.com/database"

# (suffix, metric, comparison, threshold, aligner, duration, display name)
DATABASE_POLICIES: tuple[tuple[str, str, str, float, str, str, str], ...] = (
    ("database-down", "up", "COMPARISON_LT", 1, "ALIGN_MIN", "300s",
     "MLflow database is down"),
    ("database-cpu", "cpu/utilization", "COMPARISON_GT", 0.8, "ALIGN_MEAN", "900s",
     "MLflow database CPU above 80% for 15 minutes"),
    ("database-disk", "disk/utilization", "COMPARISON_GT", 0.9, "ALIGN_MAX", "900s",
     "MLflow database disk above 90% used"),
)  # fmt: skip
"""Cloud SQL metrics (cloudsql_database resource; utilizations are fractions)."""
CONNECTIONS_PER_MLFLOW_PROCESS = 2 * 15
"""Two SQLAlchemy pools per server process (tracking store and auth store), each 5
connections plus 10 overflow."""


class GcpAlarmsArgs(TypedDict, total=False):
    """Args of `GcpAlarms`."""

    project: Required[pulumi.Input[str]]
    """GCP project of the channels and policies."""
    cluster_name: Required[pulumi.Input[str]]
    """GKE cluster whose nodes are watched."""
    database_instance: pulumi.Input[str] | None
    """Cloud SQL instance name of the MLflow database. Default: no database policies."""
    mlflow_processes: int
    """MLflow server processes (replicas x workers). Default: 4."""
    emails: Sequence[str]
    """E-mail channels. Default: none."""
    webhooks: Sequence[pulumi.Input[str]]
    """Webhook channels (secret URLs). Default: none."""


class GcpAlarms(pulumi.ComponentResource):
    """Notification channels plus alert policies on the database and the GKE nodes."""

    channel_ids: pulumi.Output[list[str]]
    """The notification channels every policy uses."""

    def __init__(
        self, name: str, args: GcpAlarmsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, GcpAlarmsArgs, args)
        super().__init__("mlplatform:index:GcpAlarms", name, None, opts)
        project = args["project"]
        channels = [
            monitoring.NotificationChannel(
                f"{name}-email-{i}",
                project=project,
                type="email",
                display_name=f"mlplatform {address}",
                labels={"email_address": address},
                opts=child(self),
            )
            for i, address in enumerate(args.get("emails", []))
        ] + [
            monitoring.NotificationChannel(
                f"{name}-webhook-{i}",
                project=project,
                type="webhook_tokenauth",
                display_name=f"mlplatform webhook {i}",
                labels={"url": pulumi.Output.secret(url)},
                opts=child(self),
            )
            for i, url in enumerate(args.get("webhooks", []))
        ]
        self._name, self._project = name, project
        self._channels = [c.name for c in channels]
        self._policy(
            "nodes-not-ready",
            "GKE node not Ready for 5 minutes",
            pulumi.Output.concat(
                'resource.type = "k8s_node" AND resource.label.cluster_name = "',
                args["cluster_name"],
                '" AND metric.type = "kubernetes.io/node/status_condition"'
                ' AND metric.label.condition = "Ready" AND metric.label.status != "True"',
            ),
            "COMPARISON_GT",
            0,
            "ALIGN_MAX",
            "300s",
        )
        instance = args.get("database_instance")
        if instance is not None:
            database = pulumi.Output.concat(project, ":", instance)
            policies = [
                *DATABASE_POLICIES,
                (
                    "database-connections",
                    "postgresql/num_backends",
                    "COMPARISON_GT",
                    args.get("mlflow_processes", defaults.MLFLOW_PROCESSES)
                    * CONNECTIONS_PER_MLFLOW_PROCESS,
                    "ALIGN_MAX",
                    "300s",
                    "MLflow database has more connections than MLflow's pools open",
                ),
            ]
            for suffix, metric, comparison, threshold, aligner, duration, title in policies:
                self._policy(
                    suffix,
                    title,
                    pulumi.Output.concat(
                        'resource.type = "cloudsql_database" AND resource.label.database_id = "',
                        database,
                        f'" AND metric.type = "{CLOUD_SQL}/{metric}"',
                    ),
                    comparison,
                    threshold,
                    aligner,
                    duration,
                )
        self.channel_ids = pulumi.Output.all(*self._channels).apply(list)
        self.register_outputs({"channel_ids": self.channel_ids})

    def _policy(
        self,
        suffix: str,
        title: str,
        filter_: pulumi.Input[str],
        comparison: str,
        threshold: float,
        aligner: str,
        duration: str,
    ) -> monitoring.AlertPolicy:
        return monitoring.AlertPolicy(
            f"{self._name}-{suffix}",
            project=self._project,
            display_name=f"mlplatform: {title}",
            combiner="OR",
            conditions=[
                {
                    "display_name": title,
                    "condition_threshold": {
                        "filter": filter_,
                        "comparison": comparison,
                        "threshold_value": threshold,
                        "duration": duration,
                        "aggregations": [
                            {"alignment_period": "60s", "per_series_aligner": aligner}
                        ],
                    },
                }
            ],
            notification_channels=self._channels,
            documentation={"content": f"mlplatform: {title}.", "mime_type": "text/markdown"},
            opts=child(self),
        )
