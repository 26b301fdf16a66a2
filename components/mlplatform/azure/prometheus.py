"""Azure Monitor managed Prometheus for the platform: an Azure Monitor workspace that stores
what the in-cluster Prometheus remote-writes (through our own data collection endpoint and
rule), evaluates the platform's alert rules as Prometheus rule groups and alerts through the
platform's action group."""

import re
from collections.abc import Mapping, Sequence
from typing import Any, Required, TypedDict

import pulumi
from pulumi_azure_native import alertsmanagement, monitor

from mlplatform.azure.identity import assign_role
from mlplatform.component_args import check_args
from mlplatform.contracts import child

PROMETHEUS_STREAM = "Microsoft-PrometheusMetrics"
INGESTION_API_VERSION = "2023-04-24"
SEVERITIES = {"critical": 0, "warning": 2}
"""Our severities in Azure's scale (0 critical, 1 error, 2 warning, 3 informational)."""
RULE_INTERVAL = "PT1M"
TIME_TO_RESOLVE = "PT10M"


class AzureManagedPrometheusArgs(TypedDict, total=False):
    """Args of `AzureManagedPrometheus`."""

    resource_group_name: Required[pulumi.Input[str]]
    """Resource group of the workspace, collection rule and rule groups."""
    location: Required[str]
    """Azure region."""
    cluster_name: Required[pulumi.Input[str]]
    """The `cluster` label the in-cluster Prometheus puts on every sample (rules filter on it)."""
    rule_groups: Required[Sequence[Mapping[str, Any]]]
    """Prometheus rule groups evaluated in the workspace."""
    action_group_id: Required[pulumi.Input[str]]
    """Action group every alert notifies."""
    writer_principal_id: Required[pulumi.Input[str]]
    """Principal of Prometheus' workload identity (Monitoring Metrics Publisher on the rule)."""
    reader_principal_id: Required[pulumi.Input[str]]
    """Principal of Grafana's workload identity (Monitoring Data Reader on the workspace)."""
    protect: bool
    """Protect the workspace (it holds the metrics history). Default: protected."""
    tags: Mapping[str, str]
    """Tags on every resource. Default: none."""


def iso_duration(duration: str) -> str:
    """A Prometheus duration of one unit (`15m`, `1h`, `30s`) in ISO 8601 (`PT15M`)."""
    match = re.fullmatch(r"(\d+)([smhd])", duration)
    if match is None:
        raise ValueError(f"not a one-unit Prometheus duration: {duration!r}")
    count, unit = match.groups()
    return f"P{count}D" if unit == "d" else f"PT{count}{unit.upper()}"


def azure_rules(
    group: Mapping[str, Any], action_group_id: pulumi.Input[str]
) -> list[alertsmanagement.PrometheusRuleArgsDict]:
    """A Prometheus rule group's alerts as Azure Prometheus rules: the same expression, labels
    and annotations, severity on Azure's scale, auto-resolved, to the action group."""
    rules: list[alertsmanagement.PrometheusRuleArgsDict] = []
    for rule in group["rules"]:
        azure: alertsmanagement.PrometheusRuleArgsDict = {
            "alert": rule["alert"],
            "expression": rule["expr"],
            "labels": dict(rule["labels"]),
            "annotations": dict(rule["annotations"]),
            "severity": SEVERITIES[rule["labels"]["severity"]],
            "enabled": True,
            "actions": [{"action_group_id": action_group_id}],
            "resolve_configuration": {"auto_resolved": True, "time_to_resolve": TIME_TO_RESOLVE},
        }
        if not re.fullmatch(r"0[smhd]", rule["for"]):
            azure["for_"] = iso_duration(rule["for"])
        rules.append(azure)
    return rules


def _ingestion_endpoint(metrics: Any) -> str:
    if metrics is None or not metrics.endpoint:
        raise ValueError("the data collection endpoint reports no metrics ingestion endpoint")
    return metrics.endpoint


class AzureManagedPrometheus(pulumi.ComponentResource):
    """Azure Monitor workspace, its ingestion rule, and the platform's rule groups."""

    ingestion_url: pulumi.Output[str]
    """Prometheus remote-write URL (Entra ID, Monitoring Metrics Publisher on the rule)."""
    query_url: pulumi.Output[str]
    """Prometheus-compatible query endpoint (Grafana's data source)."""

    def __init__(
        self,
        name: str,
        args: AzureManagedPrometheusArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_args(self, name, AzureManagedPrometheusArgs, args)
        super().__init__("mlplatform:index:AzureManagedPrometheus", name, None, opts)
        rg, location = args["resource_group_name"], args["location"]
        tags = dict(args.get("tags", {}))
        workspace = monitor.AzureMonitorWorkspace(
            f"{name}-workspace",
            resource_group_name=rg,
            location=location,
            tags=tags,
            opts=child(self, protect=args.get("protect", True)),
        )
        endpoint = monitor.DataCollectionEndpoint(
            f"{name}-dce",
            resource_group_name=rg,
            location=location,
            description="mlplatform: Prometheus remote write",
            tags=tags,
            opts=child(self),
        )
        rule = monitor.DataCollectionRule(
            f"{name}-dcr",
            resource_group_name=rg,
            location=location,
            data_collection_endpoint_id=endpoint.id,
            description="mlplatform: Prometheus remote write into the workspace",
            kind="Linux",
            data_sources={
                "prometheus_forwarder": [{"name": "prometheus", "streams": [PROMETHEUS_STREAM]}]
            },
            destinations={
                "monitoring_accounts": [{"account_resource_id": workspace.id, "name": "workspace"}]
            },
            data_flows=[{"streams": [PROMETHEUS_STREAM], "destinations": ["workspace"]}],
            tags=tags,
            opts=child(self),
        )
        assign_role(
            f"{name}-writer",
            "Monitoring Metrics Publisher",
            rule.id,
            args["writer_principal_id"],
            self,
        )
        reader = args["reader_principal_id"]
        assign_role(f"{name}-reader", "Monitoring Data Reader", workspace.id, reader, self)
        for group in args["rule_groups"]:
            alertsmanagement.PrometheusRuleGroup(
                f"{name}-{group['name']}",
                resource_group_name=rg,
                location=location,
                scopes=[workspace.id],
                cluster_name=args["cluster_name"],
                description=f"mlplatform: {group['name']}",
                enabled=True,
                interval=RULE_INTERVAL,
                rules=azure_rules(group, args["action_group_id"]),
                tags=tags,
                opts=child(self),
            )
        self.ingestion_url = pulumi.Output.concat(
            endpoint.metrics_ingestion.apply(_ingestion_endpoint),
            "/dataCollectionRules/",
            rule.immutable_id,
            f"/streams/{PROMETHEUS_STREAM}/api/v1/write?api-version={INGESTION_API_VERSION}",
        )
        self.query_url = workspace.metrics.apply(
            lambda m: (m.prometheus_query_endpoint if m else None) or ""
        )
        self.register_outputs({"ingestion_url": self.ingestion_url, "query_url": self.query_url})
