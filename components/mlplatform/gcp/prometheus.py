"""Google Cloud Managed Service for Prometheus for the platform: the platform's alert rules as
Cloud Monitoring alert policies with PromQL conditions, on the metrics the in-cluster
Prometheus (Google's fork) exports, notifying the platform's channels; Google service accounts
for the exporter (metric writer) and the query frontend (viewer)."""

import re
from collections.abc import Mapping, Sequence
from typing import Any, Required, TypedDict

import pulumi
from pulumi_gcp import monitoring, projects

from mlplatform.component_args import check_args
from mlplatform.contracts import child

SEVERITIES = {"critical": "CRITICAL", "warning": "WARNING"}
EVALUATION_INTERVAL = "60s"
TEMPLATE_VARIABLES = (
    (re.compile(r"\{\{\s*\$labels\.(\w+)\s*\}\}"), r"${metric_or_resource.label.\1}"),
    (re.compile(r"\{\{\s*\$value(\s*\|\s*\w+)?\s*\}\}"), "${metric.label.value}"),
)
"""Prometheus annotation templates in Cloud Monitoring's documentation variables, as
`gcloud monitoring policies migrate` translates them."""
SUBJECT_MAX = 255


class GmpAlertPoliciesArgs(TypedDict, total=False):
    """Args of `GmpAlertPolicies`."""

    project: Required[pulumi.Input[str]]
    """Project whose Managed Prometheus data the policies query."""
    rule_groups: Required[Sequence[Mapping[str, Any]]]
    """Prometheus rule groups to evaluate."""
    channels: Required[pulumi.Input[Sequence[str]]]
    """Notification channels every policy notifies."""
    writer_member: Required[pulumi.Input[str]]
    """`serviceAccount:` member the exporting Prometheus runs as (monitoring.metricWriter)."""
    reader_member: Required[pulumi.Input[str]]
    """`serviceAccount:` member the query frontend runs as (monitoring.viewer)."""


def documentation_text(template: str) -> str:
    """A Prometheus annotation with its label and value templates as documentation
    variables."""
    for pattern, variable in TEMPLATE_VARIABLES:
        template = pattern.sub(variable, template)
    return template


def seconds(duration: str) -> str:
    """A one-unit Prometheus duration (`15m`) as the API's seconds (`900s`)."""
    match = re.fullmatch(r"(\d+)([smhd])", duration)
    if match is None:
        raise ValueError(f"not a one-unit Prometheus duration: {duration!r}")
    count, unit = int(match.group(1)), match.group(2)
    return f"{count * {'s': 1, 'm': 60, 'h': 3600, 'd': 86400}[unit]}s"


def policy_args(
    group: str, rule: Mapping[str, Any], channels: pulumi.Input[Sequence[str]]
) -> dict[str, Any]:
    """One Prometheus alerting rule as an AlertPolicy's arguments: the same query, `for` and
    labels; summary as subject; summary, description and runbook as documentation."""
    notes = rule["annotations"]
    content = "\n\n".join(
        documentation_text(notes[key]) for key in ("summary", "description", "runbook")
    )
    return {
        "display_name": f"mlplatform: {rule['alert']}",
        "combiner": "OR",
        "severity": SEVERITIES[rule["labels"]["severity"]],
        "conditions": [
            {
                "display_name": rule["alert"],
                "condition_prometheus_query_language": {
                    "query": rule["expr"],
                    "duration": seconds(rule["for"]),
                    "evaluation_interval": EVALUATION_INTERVAL,
                    "labels": dict(rule["labels"]),
                    "rule_group": group,
                    "alert_rule": rule["alert"],
                    # Metrics appear only once something exports them (GPU metrics once a
                    # GPU node runs); Cloud Monitoring refuses unseen metrics otherwise.
                    "disable_metric_validation": True,
                },
            }
        ],
        "notification_channels": channels,
        "documentation": {
            "subject": documentation_text(notes["summary"])[:SUBJECT_MAX],
            "content": content,
            "mime_type": "text/markdown",
        },
    }


class GmpAlertPolicies(pulumi.ComponentResource):
    """The platform's Prometheus rules as PromQL alert policies, and GMP's project roles."""

    def __init__(
        self, name: str, args: GmpAlertPoliciesArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, GmpAlertPoliciesArgs, args)
        super().__init__("mlplatform:index:GmpAlertPolicies", name, None, opts)
        project = args["project"]
        for suffix, role, member in (
            ("writer", "roles/monitoring.metricWriter", args["writer_member"]),
            ("reader", "roles/monitoring.viewer", args["reader_member"]),
        ):
            projects.IAMMember(
                f"{name}-{suffix}", project=project, role=role, member=member, opts=child(self)
            )
        for group in args["rule_groups"]:
            for rule in group["rules"]:
                monitoring.AlertPolicy(
                    f"{name}-{rule['alert']}",
                    project=project,
                    **policy_args(group["name"], rule, args["channels"]),
                    opts=child(self),
                )
        self.register_outputs({})
