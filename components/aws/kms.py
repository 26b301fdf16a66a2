"""A dedicated, rotating KMS key for one AWS component's data."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pulumi
from pulumi_aws import get_caller_identity_output, kms

from mlplatform import defaults


def data_key(
    name: str,
    purpose: str,
    parent: pulumi.Resource,
    protect: bool,
    tags: pulumi.Input,
    services: Sequence[str] = (),
    policy: pulumi.Input[str] | None = None,
) -> kms.Key:
    """A symmetric customer-managed key with yearly rotation, named `{name}-key`.

    It is protected with the data it encrypts: losing the key loses the data. `services`
    (e.g. cloudwatch.amazonaws.com) may encrypt with it: what an AWS service publishing to an
    encrypted SNS topic needs, and an AWS-managed key cannot grant. A whole key `policy`
    (e.g. `log_group_key_policy`) is used as given instead.
    """
    if policy is None and services:
        account = get_caller_identity_output().account_id
        policy = account.apply(lambda a: service_key_policy(a, services))
    return kms.Key(
        f"{name}-key",
        description=f"mlplatform: encrypts {purpose}",
        enable_key_rotation=True,
        deletion_window_in_days=defaults.KMS_DELETION_WINDOW_DAYS,
        policy=policy,
        tags=tags,
        opts=pulumi.ResourceOptions(parent=parent, protect=protect),
    )


def service_key_policy(account: str, services: Sequence[str]) -> str:
    """The default key policy (the account administers the key) plus use by `services`."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AccountAdministers",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                },
                {
                    "Sid": "ServicesEncrypt",
                    "Effect": "Allow",
                    "Principal": {"Service": list(services)},
                    "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                    # As AWS documents it for CloudWatch and AMP: no source condition (whether
                    # one reaches these KMS calls is undocumented, and a missing key denies).
                    # The topic policy limits publishers to this account.
                    "Resource": "*",
                },
            ],
        }
    )


LOGS_KEY_ACTIONS = [
    "kms:Encrypt*",
    "kms:Decrypt*",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:Describe*",
]
"""What CloudWatch Logs needs of the key of an encrypted log group (CloudWatch Logs user
guide, encrypt-log-data-kms, "Step 2: Set permissions on the KMS key")."""


def log_group_key_policy(log_group_arn: str) -> str:
    """The default key policy (the account administers the key) plus use by CloudWatch Logs
    in the group's region, for that one log group only (the encryption context CloudWatch Logs
    sends is the group's ARN: arn:aws:logs:<region>:<account>:log-group:<name>)."""
    region, account = log_group_arn.split(":")[3:5]
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AccountAdministers",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                },
                {
                    "Sid": "CloudWatchLogsEncrypt",
                    "Effect": "Allow",
                    "Principal": {"Service": f"logs.{region}.amazonaws.com"},
                    "Action": LOGS_KEY_ACTIONS,
                    "Resource": "*",
                    "Condition": {
                        "ArnEquals": {"kms:EncryptionContext:aws:logs:arn": log_group_arn}
                    },
                },
            ],
        }
    )
