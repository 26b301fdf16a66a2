"""VPC flow logs for the AWS network: every flow of the VPC to a CloudWatch log group that
expires (the spec's retention), is encrypted with its own KMS key and protected like the
platform's other data, written through a role only this account's VPC flow logs can assume.
GCP's subnets log their flows the same way (`GcpNetwork`)."""

import json
from collections.abc import Mapping

import pulumi
from pulumi_aws import cloudwatch, ec2, get_caller_identity_output, get_region_output, iam

from mlplatform.aws.iam import partition
from mlplatform.aws.kms import data_key, log_group_key_policy
from mlplatform.contracts import child

FLOW_LOGS_SERVICE = "vpc-flow-logs.amazonaws.com"
"""Global in China too (the China VPC user guide, flow-logs-iam-role; see `Partition`)."""
LOG_GROUP_PREFIX = "/aws/vpc-flow-logs/"
AGGREGATION_SECONDS = 600
"""Flows aggregated over 10 minutes, as GCP's subnet logs are (EC2 API CreateFlowLogs
MaxAggregationInterval: 60 or 600, default 600)."""
WRITE_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
"""What the flow logs role does in its log group (VPC user guide, flow-logs-iam-role: "IAM
role for publishing flow logs to CloudWatch Logs"; the group exists, so no CreateLogGroup)."""


def trust_policy(partition: str, region: str, account: str) -> str:
    """Only VPC flow logs of this account and region may assume the role (the confused-deputy
    conditions of the VPC user guide's flow logs role)."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": FLOW_LOGS_SERVICE},
                    "Action": "sts:AssumeRole",
                    "Condition": {
                        "StringEquals": {"aws:SourceAccount": account},
                        "ArnLike": {
                            "aws:SourceArn": f"arn:{partition}:ec2:{region}:{account}:"
                            "vpc-flow-log/*"
                        },
                    },
                }
            ],
        }
    )


def write_policy(group_arn: str) -> str:
    """Write to the one log group (its streams are `<group ARN>:*`); list groups to find it."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": WRITE_ACTIONS,
                    "Resource": [group_arn, f"{group_arn}:*"],
                },
                {"Effect": "Allow", "Action": "logs:DescribeLogGroups", "Resource": "*"},
            ],
        }
    )


def vpc_flow_logs(
    name: str,
    vpc: ec2.Vpc,
    parent: pulumi.Resource,
    retention_days: int,
    protect: bool,
    tags: Mapping[str, str],
) -> ec2.FlowLog:
    """The VPC's flow log (`{name}-flow-log`) and its log group, key and role, in the region
    and account of `parent`'s provider."""
    invoke = pulumi.InvokeOutputOptions(parent=parent)
    where = pulumi.Output.all(
        partition(parent),
        get_region_output(opts=invoke).region,
        get_caller_identity_output(opts=invoke).account_id,
    )
    group_name = f"{LOG_GROUP_PREFIX}{name}"
    # The key's policy names the group's ARN, so the group has a fixed name.
    group_arn = where.apply(lambda w: f"arn:{w[0].name}:logs:{w[1]}:{w[2]}:log-group:{group_name}")
    key = data_key(
        f"{name}-flow-logs",
        "VPC flow logs",
        parent,
        protect,
        dict(tags),
        policy=pulumi.Output.all(group_arn, where).apply(
            lambda v: log_group_key_policy(v[0], v[1][0])
        ),
    )
    group = cloudwatch.LogGroup(
        f"{name}-flow-logs",
        name=group_name,
        retention_in_days=retention_days,
        kms_key_id=key.arn,
        tags=dict(tags),
        opts=child(parent, protect=protect),
    )
    role = iam.Role(
        f"{name}-flow-logs-role",
        assume_role_policy=where.apply(lambda w: trust_policy(w[0].name, w[1], w[2])),
        tags=dict(tags),
        opts=child(parent),
    )
    write = iam.RolePolicy(
        f"{name}-flow-logs-write",
        role=role.id,
        policy=group_arn.apply(write_policy),
        opts=child(parent),
    )
    return ec2.FlowLog(
        f"{name}-flow-log",
        vpc_id=vpc.id,
        traffic_type="ALL",
        log_destination_type="cloud-watch-logs",
        log_destination=group.arn,
        iam_role_arn=role.arn,
        max_aggregation_interval=AGGREGATION_SECONDS,
        tags=dict(tags),
        opts=child(parent, depends_on=[write]),
    )
