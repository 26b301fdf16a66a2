"""A dedicated, rotating KMS key for one AWS component's data."""

from __future__ import annotations

import pulumi
from pulumi_aws import kms

from mlplatform import defaults


def data_key(
    name: str, purpose: str, parent: pulumi.Resource, protect: bool, tags: pulumi.Input
) -> kms.Key:
    """A symmetric customer-managed key with yearly rotation, named `{name}-key`.

    It is protected with the data it encrypts: losing the key loses the data.
    """
    return kms.Key(
        f"{name}-key",
        description=f"mlplatform: encrypts {purpose}",
        enable_key_rotation=True,
        deletion_window_in_days=defaults.KMS_DELETION_WINDOW_DAYS,
        tags=tags,
        opts=pulumi.ResourceOptions(parent=parent, protect=protect),
    )
