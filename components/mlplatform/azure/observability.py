"""Azure-native alarms for the platform: an action group with the configured e-mail and
webhook receivers, and metric alerts on the MLflow database (availability, CPU, storage,
failed connections). Container Insights and its Log Analytics workspace belong to the AKS
cluster (`AksGpuCluster`)."""

from collections.abc import Mapping, Sequence
from typing import Required, TypedDict

import pulumi
from pulumi_azure_native import monitor

from mlplatform.component_args import check_args
from mlplatform.contracts import child

SHORT_NAME = "mlplatform"
"""The action group's short name (at most 12 characters; shown in SMS and e-mail)."""


class AzureAlarmsArgs(TypedDict, total=False):
    """Args of `AzureAlarms`."""

    resource_group_name: Required[pulumi.Input[str]]
    """Resource group of the action group and alerts."""
    database_id: pulumi.Input[str] | None
    """Resource id of the MLflow Flexible Server. Default: no database alerts."""
    emails: Sequence[str]
    """E-mail receivers. Default: none."""
    webhooks: Sequence[pulumi.Input[str]]
    """Webhook receivers (secret), sent the common alert schema. Default: none."""
    tags: Mapping[str, str]
    """Tags on every resource. Default: none."""


# (name, metric, operator, threshold, aggregation, window, severity, description)
DATABASE_ALERTS: tuple[tuple[str, str, str, float, str, str, int, str], ...] = (
    # One failed 20-second probe is not an outage: alert when no probe in 5 minutes succeeded.
    ("database-down", "is_db_alive", "LessThan", 1, "Maximum", "PT5M", 0,
     "The MLflow database is not available"),
    ("database-cpu", "cpu_percent", "GreaterThan", 80, "Average", "PT15M", 2,
     "MLflow database CPU above 80% for 15 minutes"),
    ("database-storage", "storage_percent", "GreaterThan", 90, "Maximum", "PT15M", 1,
     "MLflow database storage above 90% used"),
    ("database-failed-connections", "connections_failed", "GreaterThan", 10, "Total", "PT5M",
     2, "More than 10 failed connections to the MLflow database in 5 minutes"),
)  # fmt: skip
"""Flexible Server metrics (Azure Monitor, Microsoft.DBforPostgreSQL/flexibleServers)."""


class AzureAlarms(pulumi.ComponentResource):
    """Action group plus metric alerts on the MLflow database."""

    action_group_id: pulumi.Output[str]
    """Where every alert notifies (add your own receivers here)."""

    def __init__(
        self, name: str, args: AzureAlarmsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, AzureAlarmsArgs, args)
        super().__init__("mlplatform:index:AzureAlarms", name, None, opts)
        rg, tags = args["resource_group_name"], dict(args.get("tags", {}))
        group = monitor.ActionGroup(
            f"{name}-action-group",
            resource_group_name=rg,
            location="global",
            group_short_name=SHORT_NAME,
            enabled=True,
            email_receivers=[
                {"name": f"email-{i}", "email_address": address, "use_common_alert_schema": True}
                for i, address in enumerate(args.get("emails", []))
            ],
            webhook_receivers=[
                {
                    "name": f"webhook-{i}",
                    "service_uri": pulumi.Output.secret(url),
                    "use_common_alert_schema": True,
                }
                for i, url in enumerate(args.get("webhooks", []))
            ],
            tags=tags,
            opts=child(self),
        )
        database = args.get("database_id")
        if database is not None:
            for alert in DATABASE_ALERTS:
                _metric_alert(f"{name}-{alert[0]}", rg, database, group.id, alert, tags, self)
        self.action_group_id = group.id
        self.register_outputs({"action_group_id": self.action_group_id})


CRITERIA_TYPE = "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria"
DATABASE_NAMESPACE = "Microsoft.DBforPostgreSQL/flexibleServers"


def _metric_alert(
    resource_name: str,
    resource_group: pulumi.Input[str],
    scope: pulumi.Input[str],
    action_group: pulumi.Input[str],
    alert: tuple[str, str, str, float, str, str, int, str],
    tags: Mapping[str, str],
    parent: pulumi.Resource,
) -> monitor.MetricAlert:
    """One static-threshold alert on one metric of `scope`."""
    _, metric, operator, threshold, aggregation, window, severity, text = alert
    return monitor.MetricAlert(
        resource_name,
        resource_group_name=resource_group,
        location="global",
        description=f"mlplatform: {text}",
        severity=severity,
        enabled=True,
        scopes=[scope],
        evaluation_frequency="PT1M" if window == "PT5M" else "PT5M",
        window_size=window,
        auto_mitigate=True,
        # A union-typed input: only the Args classes get their keys in the API's casing.
        criteria=monitor.MetricAlertSingleResourceMultipleMetricCriteriaArgs(
            odata_type=CRITERIA_TYPE,
            all_of=[
                monitor.MetricCriteriaArgs(
                    criterion_type="StaticThresholdCriterion",
                    name=metric,
                    metric_name=metric,
                    metric_namespace=DATABASE_NAMESPACE,
                    operator=operator,
                    threshold=threshold,
                    time_aggregation=aggregation,
                )
            ],
        ),
        actions=[{"action_group_id": action_group}],
        tags=dict(tags),
        opts=child(parent),
    )
