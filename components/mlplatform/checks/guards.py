"""Deletion guards: what keeps a resource that holds data from being deleted, or keeps what a
deletion removes recoverable; and which changes weaken one.

Pulumi's `protect` option guards every resource; each cloud adds its own guard inputs, listed
per type below with the provider documentation that defines them (each property checked in
the provider's docs; the value a guard has when unset is the provider's default). A guard is
weakened when its strength falls: a flag turned off (`deletionProtection: true → false`), an
opt-out turned on (`forceDestroy: false → true`), a policy relaxed (`deletionPolicy: PREVENT →
DELETE`) or a recovery window shortened (`deletionWindowInDays: 30 → 7`; 0 turns it off).
`mlplatform diff` blocks on each, naming the guard and its values before and after.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from mlplatform.engine.values import SECRET, UNKNOWN


def _on(value: Any) -> int:
    """A flag that guards when true (`deletionProtection`)."""
    return 1 if value is True else 0


def _off(value: Any) -> int:
    """A flag that guards when false (`forceDestroy`, `skipFinalSnapshot`)."""
    return 0 if value is True else 1


def _days(value: Any) -> float:
    """A recovery window: longer guards more; 0 turns it off."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _is(word: str) -> Callable[[Any], int]:
    """A setting that guards when it is `word` (any case): `Enabled`, `Retain`."""
    return lambda value: 1 if isinstance(value, str) and value.lower() == word.lower() else 0


def _deletion_policy(value: Any) -> int:
    """pulumi-gcp's `deletionPolicy`: PREVENT refuses deletion, ABANDON leaves the resource in
    the cloud, DELETE (the default) deletes it."""
    return {"PREVENT": 2, "ABANDON": 1}.get(value, 0) if isinstance(value, str) else 0


class Guard(NamedTuple):
    path: str
    """The input, as a property path."""
    strength: Callable[[Any], float]
    default: Any
    """Its value when unset: the provider's default."""
    effect: str
    """What weakening it does."""


DELETION_POLICY = (
    "PREVENT refuses deletion, ABANDON leaves the resource in the cloud, DELETE deletes it"
)
VERSIONS = "overwritten and deleted objects are no longer kept as versions"

GUARDS: dict[str, tuple[Guard, ...]] = {
    # pulumi-aws 7.x API docs (registry), property descriptions: s3.Bucket forceDestroy,
    # ecr.Repository forceDelete, eks.Cluster deletionProtection, rds.Instance
    # deletionProtection / skipFinalSnapshot, kms.Key deletionWindowInDays (7 to 30, default
    # 30), s3.BucketVersioning versioningConfiguration.status (Enabled / Suspended).
    "aws:s3/bucket:Bucket": (
        Guard("forceDestroy", _off, False, "destroying the bucket deletes every object in it"),
    ),
    "aws:ecr/repository:Repository": (
        Guard("forceDelete", _off, False, "deleting the repository deletes its images"),
    ),
    "aws:eks/cluster:Cluster": (
        Guard("deletionProtection", _on, False, "EKS no longer refuses to delete the cluster"),
    ),
    "aws:rds/instance:Instance": (
        Guard("deletionProtection", _on, False, "RDS no longer refuses to delete the instance"),
        Guard(
            "skipFinalSnapshot",
            _off,
            False,
            "no final snapshot is taken when the instance is deleted",
        ),
    ),
    "aws:kms/key:Key": (
        Guard(
            "deletionWindowInDays",
            _days,
            30,
            "a key scheduled for deletion can be recovered for fewer days",
        ),
    ),
    "aws:s3/bucketVersioning:BucketVersioning": (
        Guard("versioningConfiguration.status", _is("Enabled"), None, VERSIONS),
    ),
    # pulumi-gcp 10.x API docs: storage.Bucket deletionPolicy / forceDestroy /
    # softDeletePolicy.retentionDurationSeconds (default 604800, 0 disables) /
    # versioning.enabled; artifactregistry.Repository and sql.Database deletionPolicy;
    # sql.DatabaseInstance deletionProtection (default true), settings.deletionProtectionEnabled
    # and settings.retainBackupsOnDelete; container.Cluster deletionProtection (default true
    # since terraform-provider-google 5.0).
    "gcp:storage/bucket:Bucket": (
        Guard("deletionPolicy", _deletion_policy, "DELETE", DELETION_POLICY),
        Guard("forceDestroy", _off, False, "destroying the bucket deletes every object in it"),
        Guard(
            "softDeletePolicy.retentionDurationSeconds",
            _days,
            604800,
            "deleted objects can be restored for less time (0: not at all)",
        ),
        Guard("versioning.enabled", _on, False, VERSIONS),
    ),
    "gcp:artifactregistry/repository:Repository": (
        Guard("deletionPolicy", _deletion_policy, "DELETE", DELETION_POLICY),
    ),
    "gcp:sql/database:Database": (
        Guard("deletionPolicy", _deletion_policy, "DELETE", DELETION_POLICY),
    ),
    "gcp:sql/databaseInstance:DatabaseInstance": (
        Guard("deletionProtection", _on, True, "Pulumi no longer refuses to delete the instance"),
        Guard(
            "settings.deletionProtectionEnabled",
            _on,
            False,
            "the Cloud SQL API no longer refuses to delete the instance",
        ),
        Guard(
            "settings.retainBackupsOnDelete",
            _on,
            False,
            "the backups are deleted with the instance",
        ),
    ),
    "gcp:container/cluster:Cluster": (
        Guard("deletionProtection", _on, True, "Pulumi no longer refuses to delete the cluster"),
    ),
    # azure-native 3.x / ARM: Microsoft.Storage blobServices deleteRetentionPolicy and
    # containerDeleteRetentionPolicy (enabled, days 1-365, allowPermanentDelete) and
    # isVersioningEnabled; Microsoft.KeyVault vaults properties.enableSoftDelete (default on),
    # softDeleteRetentionInDays (7-90, default 90), enablePurgeProtection;
    # Microsoft.ContainerRegistry policies.softDeletePolicy (status enabled / disabled,
    # retentionDays 1-90, default 7; learn.microsoft.com container-registry-soft-delete-policy).
    "azure-native:storage:BlobServiceProperties": (
        Guard(
            "deleteRetentionPolicy.enabled",
            _on,
            False,
            "deleted blobs can no longer be restored",
        ),
        Guard(
            "deleteRetentionPolicy.days",
            _days,
            None,
            "deleted blobs can be restored for fewer days",
        ),
        Guard(
            "deleteRetentionPolicy.allowPermanentDelete",
            _off,
            False,
            "soft-deleted blob versions and snapshots can be purged at once",
        ),
        Guard(
            "containerDeleteRetentionPolicy.enabled",
            _on,
            False,
            "deleted containers can no longer be restored",
        ),
        Guard(
            "containerDeleteRetentionPolicy.days",
            _days,
            None,
            "deleted containers can be restored for fewer days",
        ),
        Guard("isVersioningEnabled", _on, False, VERSIONS),
    ),
    "azure-native:keyvault:Vault": (
        Guard(
            "properties.enableSoftDelete",
            _on,
            True,
            "deleted vaults, keys and secrets can no longer be recovered",
        ),
        Guard(
            "properties.softDeleteRetentionInDays",
            _days,
            90,
            "deleted vaults, keys and secrets can be recovered for fewer days",
        ),
        Guard(
            "properties.enablePurgeProtection",
            _on,
            False,
            "soft-deleted vaults, keys and secrets can be purged at once",
        ),
    ),
    "azure-native:containerregistry:Registry": (
        Guard(
            "policies.softDeletePolicy.status",
            _is("enabled"),
            "disabled",
            "deleted images can no longer be restored",
        ),
        Guard(
            "policies.softDeletePolicy.retentionDays",
            _days,
            7,
            "deleted images can be restored for fewer days",
        ),
    ),
    # Kubernetes apps/v1 StatefulSetPersistentVolumeClaimRetentionPolicy: whenDeleted and
    # whenScaled, Retain (the default) or Delete.
    "kubernetes:apps/v1:StatefulSet": (
        Guard(
            "spec.persistentVolumeClaimRetentionPolicy.whenDeleted",
            _is("Retain"),
            "Retain",
            "the volumes are deleted with the StatefulSet",
        ),
        Guard(
            "spec.persistentVolumeClaimRetentionPolicy.whenScaled",
            _is("Retain"),
            "Retain",
            "the volumes of removed replicas are deleted",
        ),
    ),
}
"""Each type's guard inputs (Pulumi camelCase)."""

UNSET = object()
PROTECTION_REMOVED = (
    "protection removed: protect true → false (Pulumi no longer refuses to delete it)"
)


def _at(inputs: Mapping[str, Any], path: str) -> Any:
    value: Any = inputs
    for key in path.split("."):
        if not isinstance(value, Mapping) or key not in value:
            return UNSET
        value = value[key]
    return value


def show(value: Any) -> str:
    """A guard's value as the plan's JSON writes it; `unset` when absent."""
    return "unset" if value is UNSET or value is None else json.dumps(value)


def weakened(
    type_: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    was_protected: bool,
    is_protected: bool,
) -> list[str]:
    """Why going from `before` to `after` (inputs, and the `protect` option) weakens the
    resource's deletion guards; empty when it does not. A guard whose value is unknown or
    secret on either side cannot be compared and is not reported."""
    reasons = [PROTECTION_REMOVED] if was_protected and not is_protected else []
    for guard in GUARDS.get(type_, ()):
        old, new = _at(before, guard.path), _at(after, guard.path)
        if {SECRET, UNKNOWN} & {v for v in (old, new) if isinstance(v, str)}:
            continue
        then = guard.default if old is UNSET else old
        now = guard.default if new is UNSET else new
        if guard.strength(now) < guard.strength(then):
            reasons.append(
                f"deletion guard weakened: {guard.path} {show(old)} → {show(new)} ({guard.effect})"
            )
    return reasons
