"""AWS-native alarms for the platform: an encrypted SNS topic with the configured e-mail and
https subscribers, a Container Insights alarm on failed nodes, and alarms on the MLflow
database (CPU, free storage, connections). Nothing is hard-coded: no subscriber, no alarm
action beyond the topic."""

import json
from collections.abc import Mapping, Sequence
from typing import Required, TypedDict

import pulumi
from pulumi_aws import cloudwatch, get_caller_identity_output, sns

from mlplatform import defaults
from mlplatform.aws.iam import partition
from mlplatform.aws.kms import data_key, service_key_policy
from mlplatform.component_args import check_args
from mlplatform.contracts import child

CLOUDWATCH = "cloudwatch.amazonaws.com"
PROMETHEUS_SERVICE = "aps.amazonaws.com"
"""Amazon Managed Service for Prometheus, whose alert manager publishes to the topic. Both
principals are global in China too (see `mlplatform.aws.iam.Partition`)."""

GIB = 1024**3
CPU_PERCENT = 80
FREE_STORAGE_FRACTION = 0.1
CONNECTIONS_PER_MLFLOW_PROCESS = 2 * 15
"""Two SQLAlchemy pools per server process (tracking store and auth store), each 5
connections plus 10 overflow."""


class AwsAlarmsArgs(TypedDict, total=False):
    """Args of `AwsAlarms`."""

    cluster_name: Required[pulumi.Input[str]]
    """EKS cluster whose Container Insights metrics are watched."""
    database_id: pulumi.Input[str] | None
    """RDS instance identifier of the MLflow database. Default: no database alarms."""
    database_storage_gb: int
    """The database's allocated storage (free-storage alarm at 10% of it). Default: 20."""
    mlflow_processes: int
    """MLflow server processes (replicas, plus a rollout's surge replica, x workers): more
    connections than their pools can open means a leak or a stranger. Default: 4."""
    emails: Sequence[str]
    """E-mail subscribers (each confirms by mail). Default: none."""
    webhooks: Sequence[pulumi.Input[str]]
    """https subscribers (secret; each confirms the subscription). Default: none."""
    managed_prometheus: bool
    """Let Amazon Managed Service for Prometheus publish alerts to the topic too. Default:
    off."""
    protect: bool
    """Protect the topic's KMS key. Default: protected."""
    tags: Mapping[str, str]
    """Tags on every resource. Default: none."""


def topic_policy(
    topic_arn: str, partition: str, account: str, services: Sequence[str] = (CLOUDWATCH,)
) -> str:
    """The account's principals may use the topic; `services` (CloudWatch alarms, AMP's alert
    manager) may publish to it on this account's behalf."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AccountUses",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:{partition}:iam::{account}:root"},
                    "Action": ["sns:Publish", "sns:Subscribe", "sns:GetTopicAttributes"],
                    "Resource": topic_arn,
                },
                {
                    "Sid": "ServicesPublish",
                    "Effect": "Allow",
                    "Principal": {"Service": list(services)},
                    # AMP's alert manager reads the topic's attributes before publishing.
                    "Action": ["sns:Publish", "sns:GetTopicAttributes"],
                    "Resource": topic_arn,
                    "Condition": {"StringEquals": {"aws:SourceAccount": account}},
                },
            ],
        }
    )


class AwsAlarms(pulumi.ComponentResource):
    """SNS topic plus CloudWatch alarms on GPU nodes and the MLflow database."""

    topic_arn: pulumi.Output[str]
    """Where every alarm notifies (add your own subscribers here)."""

    def __init__(
        self, name: str, args: AwsAlarmsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, AwsAlarmsArgs, args)
        super().__init__("mlplatform:index:AwsAlarms", name, None, opts)
        tags = dict(args.get("tags", {}))
        # CloudWatch cannot publish to a topic under the AWS-managed aws/sns key (its policy
        # cannot be edited): the topic gets its own key that CloudWatch may use.
        publishers = [CLOUDWATCH] + (
            [PROMETHEUS_SERVICE] if args.get("managed_prometheus", False) else []
        )
        # One lookup of the partition and account for both policies.
        where = pulumi.Output.all(
            partition(self),
            get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id,
        )
        key = data_key(
            f"{name}-topic",
            "alarm notifications",
            self,
            args.get("protect", True),
            tags,
            policy=where.apply(lambda w: service_key_policy(w[0].name, w[1], publishers)),
        )
        topic = sns.Topic(f"{name}-topic", kms_master_key_id=key.arn, tags=tags, opts=child(self))
        sns.TopicPolicy(
            f"{name}-topic-policy",
            arn=topic.arn,
            policy=pulumi.Output.all(topic.arn, where).apply(
                lambda v: topic_policy(v[0], v[1][0].name, v[1][1], publishers)
            ),
            opts=child(self),
        )
        for i, address in enumerate(args.get("emails", [])):
            sns.TopicSubscription(
                f"{name}-email-{i}",
                topic=topic.arn,
                protocol="email",
                endpoint=address,
                opts=child(self),
            )
        for i, url in enumerate(args.get("webhooks", [])):
            sns.TopicSubscription(
                f"{name}-webhook-{i}",
                topic=topic.arn,
                protocol="https",
                endpoint=pulumi.Output.secret(url),
                opts=child(self),
            )
        self._name, self._topic, self._tags = name, topic, tags
        self._alarm(
            "failed-nodes",
            "Nodes of the cluster are failing (Container Insights cluster_failed_node_count)",
            "ContainerInsights",
            "cluster_failed_node_count",
            {"ClusterName": args["cluster_name"]},
            "GreaterThanThreshold",
            0,
            statistic="Maximum",
            periods=5,
            period=60,
        )
        database = args.get("database_id")
        if database is not None:
            dimensions = {"DBInstanceIdentifier": database}
            self._alarm(
                "database-cpu",
                f"MLflow database CPU above {CPU_PERCENT}% for 15 minutes",
                "AWS/RDS",
                "CPUUtilization",
                dimensions,
                "GreaterThanThreshold",
                CPU_PERCENT,
            )
            storage = (
                args.get("database_storage_gb", defaults.DATABASE_STORAGE_GB)
                * GIB
                * FREE_STORAGE_FRACTION
            )
            self._alarm(
                "database-storage",
                "MLflow database free storage below 10% of its allocation",
                "AWS/RDS",
                "FreeStorageSpace",
                dimensions,
                "LessThanThreshold",
                storage,
                statistic="Minimum",
            )
            connections = (
                args.get("mlflow_processes", defaults.MLFLOW_PROCESSES)
                * CONNECTIONS_PER_MLFLOW_PROCESS
            )
            self._alarm(
                "database-connections",
                f"MLflow database has more than {connections} connections (more than MLflow's "
                "pools open: a leak or another client)",
                "AWS/RDS",
                "DatabaseConnections",
                dimensions,
                "GreaterThanThreshold",
                connections,
                statistic="Maximum",
            )
        self.topic_arn = topic.arn
        self.register_outputs({"topic_arn": self.topic_arn})

    def _alarm(
        self,
        suffix: str,
        description: str,
        namespace: str,
        metric: str,
        dimensions: Mapping[str, pulumi.Input[str]],
        comparison: str,
        threshold: float,
        statistic: str = "Average",
        periods: int = 3,
        period: int = 300,
    ) -> cloudwatch.MetricAlarm:
        return cloudwatch.MetricAlarm(
            f"{self._name}-{suffix}",
            alarm_description=f"mlplatform: {description}",
            namespace=namespace,
            metric_name=metric,
            dimensions=dict(dimensions),
            statistic=statistic,
            period=period,
            evaluation_periods=periods,
            comparison_operator=comparison,
            threshold=threshold,
            treat_missing_data="missing",
            alarm_actions=[self._topic.arn],
            ok_actions=[self._topic.arn],
            tags=self._tags,
            opts=child(self),
        )
