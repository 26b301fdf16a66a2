"""Cloud SQL for PostgreSQL for MLflow: private IP only (private services access, no public
IPv4), `ENCRYPTED_ONLY` connections, connections, disconnections and pgAudit's role and DDL
classes logged to Cloud Logging (never statement parameters nor reads and writes), daily
backups with point-in-time recovery, deletion protection in Pulumi and in the API, backups
kept after deletion, REGIONAL (HA) when asked."""

from collections.abc import Mapping
from typing import Required, TypedDict

import pulumi
import pulumi_random as random
from pulumi_gcp import sql

from mlplatform import defaults
from mlplatform.component_args import check_args
from mlplatform.contracts import child
from mlplatform.kubernetes.mlflow_config import postgres_uri

DATABASE_VERSION = "POSTGRES_17"
PORT = 5432
DATABASE = USER = "mlflow"
PASSWORD_LENGTH = 32
EDITION = "ENTERPRISE"
"""Set explicitly: new PostgreSQL 16+ instances otherwise default to Enterprise Plus, which
does not take custom machine tiers."""
DEV_TIER, PROD_TIER = defaults.DATABASE_CLASSES["gcp"]
MAX_LOG_RETENTION_DAYS = 7
"""Point-in-time recovery log retention limit on the Enterprise edition."""
BACKUP_START = "03:00"
"""UTC start of the daily backup window."""
DATABASE_FLAGS: list[sql.DatabaseInstanceSettingsDatabaseFlagArgsDict] = [
    {"name": "log_connections", "value": "on"},
    {"name": "log_disconnections", "value": "on"},
    {"name": "cloudsql.enable_pgaudit", "value": "on"},
    {"name": "pgaudit.log", "value": defaults.PGAUDIT_CLASSES},
    {"name": "pgaudit.log_parameter", "value": "off"},
]
"""Connection and audit logging (Cloud SQL for PostgreSQL: "Configure database flags" lists
log_connections, log_disconnections, cloudsql.enable_pgaudit, pgaudit.log and
pgaudit.log_parameter; pg-audit: "Enabling the cloudsql.enable_pgaudit flag", then
pgaudit.log). Set at creation, so enabling pgAudit costs no extra restart."""


class CloudSqlPostgresArgs(TypedDict, total=False):
    """Args of `CloudSqlPostgres`."""

    project: Required[pulumi.Input[str]]
    """GCP project id."""
    region: Required[str]
    """Region of the instance."""
    network_id: Required[pulumi.Input[str]]
    """VPC (projects/P/global/networks/N) with private services access configured. When the
    peering is made in the same program, give its `network` output, so the instance waits
    for the peering."""
    tier: str
    """Machine tier. Default: db-custom-1-3840 (db-custom-2-7680 when regional)."""
    storage_gb: int
    """SSD size; auto-resize on. Default: 20."""
    backup_retention_days: int
    """Daily backups kept (7-35). Default: 7."""
    regional: bool
    """REGIONAL availability: a standby in another zone of the region. Default: off."""
    protect: bool
    """Pulumi protect and deletion protection. Default: protected."""
    labels: Mapping[str, str]
    """Labels on the instance. Default: none."""


class CloudSqlPostgres(pulumi.ComponentResource):
    """A private, TLS-only, backed-up Cloud SQL PostgreSQL instance."""

    private_ip: pulumi.Output[str]
    """The instance's private address in the VPC."""
    instance_name: pulumi.Output[str]
    """The instance's name (Cloud Monitoring's database_id is `<project>:<name>`)."""
    database_uri: pulumi.Output[str]
    """SQLAlchemy URI with sslmode=require (secret)."""

    def __init__(
        self, name: str, args: CloudSqlPostgresArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, CloudSqlPostgresArgs, args)
        super().__init__("mlplatform:index:CloudSqlPostgres", name, None, opts)
        protect = args.get("protect", True)
        regional = args.get("regional", False)
        retention = args.get("backup_retention_days", defaults.DATABASE_BACKUP_RETENTION_DAYS)
        instance = sql.DatabaseInstance(
            f"{name}-instance",
            project=args["project"],
            region=args["region"],
            database_version=DATABASE_VERSION,
            deletion_protection=protect,
            settings={
                "tier": args.get("tier", PROD_TIER if regional else DEV_TIER),
                "edition": EDITION,
                "availability_type": "REGIONAL" if regional else "ZONAL",
                "disk_type": "PD_SSD",
                "disk_size": args.get("storage_gb", defaults.DATABASE_STORAGE_GB),
                "disk_autoresize": True,
                "deletion_protection_enabled": protect,
                "retain_backups_on_delete": True,
                "ip_configuration": {
                    "ipv4_enabled": False,
                    "private_network": args["network_id"],
                    "ssl_mode": "ENCRYPTED_ONLY",
                    "enable_private_path_for_google_cloud_services": False,
                },
                "backup_configuration": {
                    "enabled": True,
                    "start_time": BACKUP_START,
                    "point_in_time_recovery_enabled": True,
                    "transaction_log_retention_days": min(retention, MAX_LOG_RETENTION_DAYS),
                    "backup_retention_settings": {
                        "retained_backups": retention,
                        "retention_unit": "COUNT",
                    },
                },
                "insights_config": {"query_insights_enabled": True},
                "database_flags": DATABASE_FLAGS,
                "user_labels": dict(args.get("labels", {})),
            },
            # Auto-resize grows the disk; the configured size is only the starting point.
            opts=child(
                self,
                protect=protect,
                ignore_changes=["settings.diskSize"],
            ),
        )
        database = sql.Database(
            f"{name}-database",
            project=args["project"],
            instance=instance.name,
            name=DATABASE,
            # Protected: the provider refuses to drop it; otherwise it goes with the instance
            # (Cloud SQL cannot drop a database other users still hold objects in).
            deletion_policy="PREVENT" if protect else "ABANDON",
            opts=child(self, protect=protect),
        )
        password = random.RandomPassword(
            f"{name}-password", length=PASSWORD_LENGTH, special=False, opts=child(self)
        )
        user = sql.User(
            f"{name}-user",
            project=args["project"],
            instance=instance.name,
            name=USER,
            password=password.result,
            # A role that owns MLflow's tables cannot be dropped through the API.
            deletion_policy="ABANDON",
            opts=child(self),
        )
        self.private_ip = instance.private_ip_address
        self.instance_name = instance.name
        self.database_uri = pulumi.Output.secret(
            pulumi.Output.all(self.private_ip, password.result, database.name, user.name).apply(
                lambda v: postgres_uri(v[3], v[1], v[0], PORT, v[2], sslmode="require")
            )
        )
        self.register_outputs(
            {
                "private_ip": self.private_ip,
                "instance_name": self.instance_name,
                "database_uri": self.database_uri,
            }
        )
