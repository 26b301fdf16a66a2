"""Args contracts shared by every cloud's implementation of a capability.

A capability (artifact store, container registry) has one args shape on every
target; each cloud's component extends it only with what that cloud needs to
place the resource (resource group, project, namespace).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

import pulumi


class ArtifactStoreArgs(TypedDict, total=False):
    """What every artifact store takes, whatever the cloud."""

    tags: Mapping[str, str]
    """Tags / labels put on every taggable child. Default: none."""
    noncurrent_version_days: int
    """Days an overwritten or deleted object version is kept. Default: 30."""
    abort_incomplete_upload_days: int
    """Days before an unfinished multipart upload is removed (AWS, GCP). Default: 7."""
    soft_delete_days: int
    """Days a deleted object can be restored (Azure, GCP). Default: 7."""
    kms_key_id: pulumi.Input[str] | None
    """Customer-managed key to encrypt with. Default: AWS creates a dedicated rotating KMS key;
    Azure and GCP use their platform-managed encryption."""
    protect: bool
    """Protect the stateful children from deletion. Default: protected."""


class RegistryArgs(TypedDict, total=False):
    """What every container registry takes, whatever the cloud."""

    tags: Mapping[str, str]
    """Tags / labels put on every taggable child. Default: none."""
    immutable_tags: bool
    """Refuse to overwrite a pushed tag. Default: immutable."""
    scan_on_push: bool
    """Scan images for vulnerabilities on push (AWS). Default: on."""
    untagged_expiry_days: int
    """Days before an untagged image is deleted. Default: 14."""
    keep_last_images: int
    """Tagged images kept (AWS, GCP). Default: 50."""
    kms_key_id: pulumi.Input[str] | None
    """Customer-managed key to encrypt images with. Default: AWS creates a dedicated rotating
    KMS key; Azure and GCP use their platform-managed encryption."""
    protect: bool
    """Protect the registry from deletion. Default: protected."""


SECONDS_PER_DAY = 86_400


def child(parent: pulumi.Resource, protect: bool = False, **kwargs) -> pulumi.ResourceOptions:
    """Options for a component's child: parented to the component, protected if stateful."""
    return pulumi.ResourceOptions(parent=parent, protect=protect, **kwargs)
