"""Azure Database for PostgreSQL Flexible Server for MLflow: private access only (VNet
integration through a delegated subnet and a private DNS zone, public network access off),
`require_secure_transport=on`, connections, disconnections and pgAudit's role and DDL classes
logged (never statement parameters nor reads and writes) to a Log Analytics workspace,
automated backups, zone-redundant HA when asked (prod), storage auto-grow, and Pulumi
protect."""

from collections.abc import Mapping
from typing import Required, TypedDict

import pulumi
import pulumi_random as random
from pulumi_azure_native import dbforpostgresql, monitor, privatedns

from mlplatform import defaults
from mlplatform.component_args import check_args
from mlplatform.contracts import child
from mlplatform.kubernetes.mlflow_config import postgres_uri

POSTGRES_VERSION = "17"
"""Major version; Azure applies minor versions in the maintenance window."""
PORT = 5432
DATABASE = USER = "mlflow"
PASSWORD_LENGTH = 32
DEV_SKU, PROD_SKU = defaults.DATABASE_CLASSES["azure"]
"""Burstable, 2 vCores: enough for a team's tracking server (no HA on this tier); and General
purpose, 2 vCores: the smallest tier that supports zone-redundant HA."""
STORAGE_SIZES_GB = (32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767)
"""The sizes Flexible Server offers on Premium_LRS (docs: concepts-storage)."""
AUDIT_SETTINGS = (
    ("log-connections", "log_connections", "on"),
    ("log-disconnections", "log_disconnections", "on"),
    # Static: loaded at the server's next restart. pg_stat_statements is the default value.
    (
        "preload-pgaudit",
        "shared_preload_libraries",
        f"pg_stat_statements,{defaults.PGAUDIT_LIBRARY}",
    ),
    ("pgaudit-log", "pgaudit.log", defaults.PGAUDIT_CLASSES),
    ("pgaudit-log-parameter", "pgaudit.log_parameter", "off"),
)
"""(child suffix, server parameter, value) of connection and audit logging. PostgreSQL 17
parameters of Azure Database for PostgreSQL (server-parameters reference): log_connections
and log_disconnections (on,off), shared_preload_libraries (set, static, default
pg_stat_statements, allows pgaudit), pgaudit.log (set: none,read,write,function,role,ddl,misc,
all), pgaudit.log_parameter (on,off); concepts-audit: pgaudit through shared_preload_libraries,
then its pgaudit.* settings."""
SERVER_LOGS = "PostgreSQLLogs"
"""The diagnostic category of the server's PostgreSQL logs, pgAudit's included (concepts-audit,
"Viewing audit logs")."""


def sku_tier(sku: str) -> str:
    """The pricing tier of a Flexible Server compute SKU: B = Burstable, E = Memory Optimized,
    D and the rest = General Purpose."""
    family = sku.removeprefix("Standard_")[:1]
    return {"B": "Burstable", "E": "MemoryOptimized"}.get(family, "GeneralPurpose")


def storage_size(requested_gb: int) -> int:
    """The smallest offered size that holds `requested_gb`."""
    return next((s for s in STORAGE_SIZES_GB if s >= requested_gb), STORAGE_SIZES_GB[-1])


class AzurePostgresArgs(TypedDict, total=False):
    """Args of `AzurePostgres`."""

    resource_group_name: Required[pulumi.Input[str]]
    """Resource group of the server and its DNS zone."""
    location: Required[str]
    """Azure region."""
    vnet_id: Required[pulumi.Input[str]]
    """VNet the private DNS zone is linked to (where the clients run)."""
    delegated_subnet_id: Required[pulumi.Input[str]]
    """Empty subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers."""
    sku: str
    """Compute SKU. Default: Standard_B2ms (Standard_D2ds_v5 when zone_redundant)."""
    storage_gb: int
    """Storage, rounded up to an offered size (minimum 32); auto-grow on. Default: 32."""
    backup_retention_days: int
    """Days of automated backups (7-35). Default: 7."""
    zone_redundant: bool
    """Zone-redundant high availability (standby in another zone). Default: off."""
    protect: bool
    """Pulumi protect on the server. Default: protected."""
    log_workspace_id: pulumi.Input[str]
    """Log Analytics workspace that receives the server's logs (connections, pgAudit).
    Default: none (they stay in the server's own short-lived log files)."""
    tags: Mapping[str, str]
    """Tags on every resource. Default: none."""


class AzurePostgres(pulumi.ComponentResource):
    """A Flexible Server reachable only inside the VNet, TLS-only, backed up."""

    fqdn: pulumi.Output[str]
    """The server's private host name."""
    server_id: pulumi.Output[str]
    """The server's resource id (metric alerts' scope)."""
    database_uri: pulumi.Output[str]
    """SQLAlchemy URI with sslmode=require (secret)."""

    def __init__(
        self, name: str, args: AzurePostgresArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, AzurePostgresArgs, args)
        super().__init__("mlplatform:index:AzurePostgres", name, None, opts)
        rg, tags = args["resource_group_name"], dict(args.get("tags", {}))
        protect = args.get("protect", True)
        zone_redundant = args.get("zone_redundant", False)
        sku = args.get("sku", PROD_SKU if zone_redundant else DEV_SKU)
        # VNet-integrated servers need a private DNS zone ending in postgres.database.azure.com,
        # linked to the VNet before the server is created.
        zone = privatedns.PrivateZone(
            f"{name}-dns",
            resource_group_name=rg,
            private_zone_name=f"{name}.private.postgres.database.azure.com",
            location="global",
            tags=tags,
            opts=child(self),
        )
        link = privatedns.VirtualNetworkLink(
            f"{name}-dns-link",
            resource_group_name=rg,
            private_zone_name=zone.name,
            location="global",
            virtual_network={"id": args["vnet_id"]},
            registration_enabled=False,
            tags=tags,
            opts=child(self),
        )
        # Azure wants three of: upper, lower, digit, symbol; symbols are left out so the
        # password needs no quoting anywhere.
        password = random.RandomPassword(
            f"{name}-password",
            length=PASSWORD_LENGTH,
            special=False,
            min_upper=2,
            min_lower=2,
            min_numeric=2,
            opts=child(self),
        )
        server = dbforpostgresql.Server(
            f"{name}-server",
            resource_group_name=rg,
            location=args["location"],
            version=POSTGRES_VERSION,
            sku={"name": sku, "tier": sku_tier(sku)},
            storage={
                "storage_size_gb": storage_size(args.get("storage_gb", STORAGE_SIZES_GB[0])),
                "auto_grow": "Enabled",
                "type": "Premium_LRS",
            },
            backup={
                "backup_retention_days": args.get(
                    "backup_retention_days", defaults.DATABASE_BACKUP_RETENTION_DAYS
                ),
                "geo_redundant_backup": "Disabled",
            },
            high_availability={"mode": "ZoneRedundant" if zone_redundant else "Disabled"},
            network={
                "delegated_subnet_resource_id": args["delegated_subnet_id"],
                "private_dns_zone_arm_resource_id": zone.id,
                "public_network_access": "Disabled",
            },
            auth_config={"password_auth": "Enabled", "active_directory_auth": "Disabled"},
            administrator_login=USER,
            administrator_login_password=password.result,
            tags=tags,
            # Auto-grow enlarges the disk; Azure refuses to shrink it back.
            opts=child(
                self, protect=protect, depends_on=[link], ignore_changes=["storage.storageSizeGB"]
            ),
        )
        tls = dbforpostgresql.Configuration(
            f"{name}-require-tls",
            resource_group_name=rg,
            server_name=server.name,
            configuration_name="require_secure_transport",
            value="on",
            source="user-override",
            opts=child(self),
        )
        database = dbforpostgresql.Database(
            f"{name}-database",
            resource_group_name=rg,
            server_name=server.name,
            database_name=DATABASE,
            charset="UTF8",
            collation="en_US.utf8",
            # A server takes one operation at a time (ServerIsBusy otherwise).
            opts=child(self, protect=protect, depends_on=[tls]),
        )
        self._audit_logging(name, rg, server, database, args.get("log_workspace_id"))
        self.fqdn = server.fully_qualified_domain_name.apply(lambda f: f or "")
        self.server_id = server.id
        self.database_uri = pulumi.Output.secret(
            pulumi.Output.all(self.fqdn, password.result, database.name).apply(
                lambda v: postgres_uri(USER, v[1], v[0], PORT, v[2], sslmode="require")
            )
        )
        self.register_outputs(
            {"fqdn": self.fqdn, "server_id": self.server_id, "database_uri": self.database_uri}
        )

    def _audit_logging(
        self,
        name: str,
        rg: pulumi.Input[str],
        server: dbforpostgresql.Server,
        after: pulumi.Resource,
        workspace_id: pulumi.Input[str] | None,
    ) -> None:
        """Connection and pgAudit settings, one after another (a server takes one operation
        at a time), after `after`; the server's logs to `workspace_id` when given."""
        for suffix, parameter, value in AUDIT_SETTINGS:
            after = dbforpostgresql.Configuration(
                f"{name}-{suffix}",
                resource_group_name=rg,
                server_name=server.name,
                configuration_name=parameter,
                value=value,
                source="user-override",
                opts=child(self, depends_on=[after]),
            )
        if workspace_id is not None:
            monitor.DiagnosticSetting(
                f"{name}-logs",
                resource_uri=server.id,
                workspace_id=workspace_id,
                logs=[{"category": SERVER_LOGS, "enabled": True}],
                opts=child(self),
            )
