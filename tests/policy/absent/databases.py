"""Left-out cases for the rules of policies/mlplatform_policies/databases.py."""

from __future__ import annotations

from typing import Any

from tests.policy.absent.common import left_out
from tests.policy.cases import (
    ENGINE_UNSEEN,
    FLEX,
    FLEX_CONF,
    PG,
    RDS,
    SQL,
    SQL_OK,
    TAGS,
    Case,
    params,
    rds,
    res,
    server,
    sql,
)

NOT_PUBLIC = "platform-database-not-public"
TLS = "platform-database-tls-enforced"
BACKUPS = "platform-database-backups-retained"
DELETION = "platform-database-deletion-protected"
HA = "platform-database-high-availability-prod"
LOGS = "aws-rds-logs-exported"
FORCE_SSL = "rds.force_ssl is not 1 (set it in the instance's parameter group)"
RESTORED = {"snapshotIdentifier": "rds:mlflow-2025-06-01-06-05"}
"""An RDS instance restored from a snapshot: its engine is the snapshot's."""


def sql_without(key: str) -> Any:
    """A compliant Cloud SQL instance whose settings leave `key` out."""
    settings = {k: v for k, v in SQL_OK["settings"].items() if k != key}
    return res(SQL, {**SQL_OK, "settings": settings}, name="sql")


CASES: list[Case] = [
    left_out(NOT_PUBLIC, RDS, "publiclyAccessible", rds(), []),
    left_out(
        NOT_PUBLIC,
        FLEX,
        "network.publicNetworkAccess",
        res(FLEX, {}),
        ["network.publicNetworkAccess is not Disabled"],
    ),
    # The example: Cloud SQL gives an instance a public IP unless told otherwise.
    left_out(
        NOT_PUBLIC,
        SQL,
        "settings.ipConfiguration.ipv4Enabled",
        sql(ipConfiguration={"sslMode": "ENCRYPTED_ONLY"}),
        ["the instance has a public IP"],
    ),
    # Stricter: with no authorized network only the Auth Proxy reaches the public IP, but the
    # rule refuses the public IP itself.
    left_out(
        NOT_PUBLIC,
        SQL,
        "settings.ipConfiguration.authorizedNetworks",
        sql(ipConfiguration={"ipv4Enabled": True, "sslMode": "ENCRYPTED_ONLY"}),
        ["the instance has a public IP"],
    ),
    left_out(
        "aws-rds-storage-encrypted",
        RDS,
        "storageEncrypted",
        rds(),
        ["storageEncrypted is not true"],
    ),
    left_out(
        TLS,
        RDS,
        "engine",
        [res(RDS, RESTORED, name="rds")],
        [f"{ENGINE_UNSEEN}: set engine so TLS can be judged"],
    ),
    # Stricter: RDS's default PostgreSQL version forces TLS today, but the rule cannot know it.
    left_out(TLS, RDS, "engineVersion", [res(RDS, {"engine": "postgres"})], [FORCE_SSL]),
    left_out(
        TLS,
        RDS,
        "parameterGroupName",
        [res(RDS, {"engine": "postgres", "engineVersion": "14"})],
        [FORCE_SSL],
    ),
    left_out(
        TLS,
        PG,
        "parameters",
        [res(PG, {"family": "postgres14"}, name="params"), rds()],
        [FORCE_SSL],
    ),
    # Stricter: a Configuration without a value is refused; its effect is not documented.
    left_out(
        TLS,
        FLEX_CONF,
        "value",
        [
            server,
            res(
                FLEX_CONF,
                {"configurationName": "require_secure_transport"},
                name="conf",
                deps={"serverName": [server]},
            ),
        ],
        ["the require_secure_transport Configuration sets no value; set it to on"],
    ),
    left_out(
        TLS,
        SQL,
        "settings.ipConfiguration.sslMode",
        [params, sql(ipConfiguration={"ipv4Enabled": False})],
        [
            "settings.ipConfiguration.sslMode is not set: Cloud SQL then allows "
            "ALLOW_UNENCRYPTED_AND_ENCRYPTED, not ENCRYPTED_ONLY"
        ],
    ),
    left_out(
        BACKUPS,
        RDS,
        "backupRetentionPeriod",
        rds(),
        ["backups are kept 1 days, under the minimum of 7"],
    ),
    left_out(BACKUPS, FLEX, "backup.backupRetentionDays", res(FLEX, {}), []),
    left_out(
        BACKUPS,
        SQL,
        "settings.backupConfiguration.enabled",
        sql(
            backupConfiguration={
                "pointInTimeRecoveryEnabled": True,
                "backupRetentionSettings": {"retainedBackups": 14},
            }
        ),
        ["automated backups are off"],
    ),
    left_out(
        BACKUPS,
        SQL,
        "settings.backupConfiguration.pointInTimeRecoveryEnabled",
        sql(
            backupConfiguration={
                "enabled": True,
                "backupRetentionSettings": {"retainedBackups": 14},
            }
        ),
        ["point-in-time recovery is off"],
    ),
    # Cloud SQL keeps 7 backups (a count, taken daily): the 7-day minimum holds.
    left_out(
        BACKUPS,
        SQL,
        "settings.backupConfiguration.backupRetentionSettings",
        sql(backupConfiguration={"enabled": True, "pointInTimeRecoveryEnabled": True}),
        [],
    ),
    left_out(
        DELETION,
        RDS,
        "deletionProtection",
        rds(skipFinalSnapshot=False),
        ["deletionProtection is not true"],
    ),
    left_out(DELETION, RDS, "skipFinalSnapshot", rds(deletionProtection=True), []),
    left_out(
        DELETION,
        SQL,
        "deletionProtection",
        res(SQL, {"settings": SQL_OK["settings"]}, name="sql"),
        [],
    ),
    left_out(
        DELETION,
        SQL,
        "settings.deletionProtectionEnabled",
        sql_without("deletionProtectionEnabled"),
        ["settings.deletionProtectionEnabled is not true (the API allows deletion)"],
    ),
    left_out(
        HA,
        RDS,
        "multiAz",
        rds(tags=TAGS),
        ["the production database has no standby in another zone"],
    ),
    left_out(
        HA,
        FLEX,
        "highAvailability.mode",
        res(FLEX, {"tags": TAGS}),
        ["the production database has no standby in another zone"],
    ),
    left_out(
        HA,
        SQL,
        "settings.availabilityType",
        sql_without("availabilityType"),
        ["the production database has no standby in another zone"],
    ),
    left_out(
        LOGS,
        RDS,
        "enabledCloudwatchLogsExports",
        rds(),
        ["the database's postgresql log is not exported to CloudWatch"],
    ),
    left_out(
        LOGS,
        RDS,
        "engine",
        res(RDS, RESTORED, name="rds"),
        [f"{ENGINE_UNSEEN}: set engine so its log export can be judged"],
    ),
]
