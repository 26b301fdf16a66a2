"""Amazon Managed Service for Prometheus for the platform: a workspace that stores the metrics
the in-cluster Prometheus remote-writes, evaluates the platform's alert rules (the same groups
as the in-cluster PrometheusRule) and routes alerts to the platform's SNS topic."""

from collections.abc import Mapping, Sequence
from typing import Any, Required, TypedDict

import pulumi
import yaml
from pulumi_aws import amp, cloudwatch

from mlplatform import defaults
from mlplatform.component_args import check_args
from mlplatform.contracts import child


class AmpWorkspaceArgs(TypedDict, total=False):
    """Args of `AmpWorkspace`."""

    region: Required[str]
    """Region of the workspace (SigV4 signing region)."""
    rule_groups: Required[Sequence[Mapping[str, Any]]]
    """Prometheus rule groups evaluated in the workspace."""
    topic_arn: Required[pulumi.Input[str]]
    """SNS topic alerts go to (its key and policy must let aps.amazonaws.com publish)."""
    protect: bool
    """Protect the workspace (it holds the metrics history). Default: protected."""
    log_retention_days: int
    """Days the workspace's rule and alert manager logs are kept. Default: 30."""
    tags: Mapping[str, str]
    """Tags on the workspace and rules. Default: none."""


def alertmanager_definition(topic_arn: str, region: str) -> str:
    """AMP's alert manager definition: every alert to the SNS topic, grouped like the
    in-cluster Alertmanager, the chart's heartbeat dropped."""
    config = {
        "route": {"receiver": "sns", **defaults.ALERT_ROUTE},
        "receivers": [
            {"name": "null"},
            {
                "name": "sns",
                "sns_configs": [
                    {
                        "topic_arn": topic_arn,
                        "sigv4": {"region": region},
                        "subject": "mlplatform: {{ .GroupLabels.alertname }}",
                        "send_resolved": True,
                    }
                ],
            },
        ],
    }
    return yaml.safe_dump({"alertmanager_config": yaml.safe_dump(config, sort_keys=False)})


class AmpWorkspace(pulumi.ComponentResource):
    """An AMP workspace with the platform's rules and alert routing."""

    remote_write_url: pulumi.Output[str]
    """Where Prometheus remote-writes (SigV4, aps)."""
    query_url: pulumi.Output[str]
    """Prometheus-compatible query endpoint (Grafana's data source, SigV4)."""

    def __init__(
        self, name: str, args: AmpWorkspaceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, AmpWorkspaceArgs, args)
        super().__init__("mlplatform:index:AmpWorkspace", name, None, opts)
        tags = dict(args.get("tags", {}))
        # The alert manager's and rules' errors (a refused SNS publish) land here.
        logs = cloudwatch.LogGroup(
            f"{name}-logs",
            name=f"/aws/prometheus/{name}",
            retention_in_days=args.get("log_retention_days", defaults.LOG_RETENTION_DAYS),
            tags=tags,
            opts=child(self),
        )
        workspace = amp.Workspace(
            f"{name}-workspace",
            alias=name,
            logging_configuration={"log_group_arn": logs.arn.apply(lambda a: f"{a}:*")},
            tags=tags,
            opts=child(self, protect=args.get("protect", True)),
        )
        amp.RuleGroupNamespace(
            f"{name}-rules",
            workspace_id=workspace.id,
            name=defaults.AMP_RULE_NAMESPACE,
            data=yaml.safe_dump({"groups": list(args["rule_groups"])}, sort_keys=False),
            tags=tags,
            opts=child(self),
        )
        region = args["region"]
        amp.AlertManagerDefinition(
            f"{name}-alerts",
            workspace_id=workspace.id,
            definition=pulumi.Output.from_input(args["topic_arn"]).apply(
                lambda arn: alertmanager_definition(arn, region)
            ),
            opts=child(self),
        )
        endpoint = workspace.prometheus_endpoint.apply(lambda e: e if e.endswith("/") else f"{e}/")
        self.query_url = endpoint
        self.remote_write_url = endpoint.apply(lambda e: f"{e}api/v1/remote_write")
        self.register_outputs(
            {"remote_write_url": self.remote_write_url, "query_url": self.query_url}
        )
