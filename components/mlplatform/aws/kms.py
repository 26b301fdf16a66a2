"""A dedicated, rotating KMS key for one AWS component's data."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import pulumi
from pulumi_aws import kms

from mlplatform import defaults
from mlplatform.aws.iam import Partition


def data_key(
    name: str,
    purpose: str,
    parent: pulumi.Resource,
    protect: bool,
    tags: pulumi.Input,
    policy: pulumi.Input[str] | None = None,
) -> kms.Key:
    """A symmetric customer-managed key with yearly rotation, named `{name}-key`.

    It is protected with the data it encrypts: losing the key loses the data. A key `policy`
    (`service_key_policy`, `log_group_key_policy`) lets AWS services use it, which an
    AWS-managed key cannot grant; without one, AWS's default key policy applies.
    """
    return kms.Key(
        f"{name}-key",
        description=f"mlplatform: encrypts {purpose}",
        enable_key_rotation=True,
        deletion_window_in_days=defaults.KMS_DELETION_WINDOW_DAYS,
        policy=policy,
        tags=tags,
        opts=pulumi.ResourceOptions(parent=parent, protect=protect),
    )


def account_administers(partition: str, account: str) -> dict[str, object]:
    """The statement of AWS's default key policy: the account (its IAM policies) administers
    the key (KMS developer guide, key-policy-default, "Allows access to the AWS account and
    enables IAM policies")."""
    return {
        "Sid": "AccountAdministers",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:{partition}:iam::{account}:root"},
        "Action": "kms:*",
        "Resource": "*",
    }


def key_policy(partition: str, account: str, *statements: Mapping[str, object]) -> str:
    """A key policy: the default one (the account administers the key) plus `statements`."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [account_administers(partition, account), *statements],
        }
    )


def service_key_policy(partition: str, account: str, services: Sequence[str]) -> str:
    """The default key policy plus use by `services`."""
    return key_policy(
        partition,
        account,
        {
            "Sid": "ServicesEncrypt",
            "Effect": "Allow",
            "Principal": {"Service": list(services)},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            # As AWS documents it for CloudWatch and AMP: no source condition (whether one
            # reaches these KMS calls is undocumented, and a missing key denies). The topic
            # policy limits publishers to this account.
            "Resource": "*",
        },
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


def log_group_key_policy(log_group_arn: str, partition: Partition) -> str:
    """The default key policy plus use by CloudWatch Logs in the group's region, for that one
    log group only (the encryption context CloudWatch Logs sends is the group's ARN:
    arn:<partition>:logs:<region>:<account>:log-group:<name>, in `partition`)."""
    region, account = log_group_arn.split(":")[3:5]
    return key_policy(
        partition.name,
        account,
        {
            "Sid": "CloudWatchLogsEncrypt",
            "Effect": "Allow",
            "Principal": {"Service": partition.logs_principal(region)},
            "Action": LOGS_KEY_ACTIONS,
            "Resource": "*",
            "Condition": {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": log_group_arn}},
        },
    )
