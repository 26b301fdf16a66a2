"""MLflow's PostgreSQL on each cloud: not public, encrypted, TLS enforced, backups kept long
enough (with point-in-time recovery on Cloud SQL), deletion protection and a final snapshot;
high availability in production and exported logs as advice."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mlplatform_policies.model import (
    OPEN_TO_ALL,
    Absent,
    Config,
    Resource,
    Rule,
    get,
    is_production,
    items,
    of_type,
    violations,
)

RDS = "aws:rds/instance:Instance"
RDS_PARAMETERS = "aws:rds/parameterGroup:ParameterGroup"
FLEXIBLE = "azure-native:dbforpostgresql:Server"
FLEXIBLE_CONFIG = "azure-native:dbforpostgresql:Configuration"
FLEXIBLE_FIREWALL = "azure-native:dbforpostgresql:FirewallRule"
"""A Flexible Server firewall rule: `startIpAddress` / `endIpAddress` (pulumi-azure-native
3.29.0, registry page azure-native/api-docs/dbforpostgresql/firewallrule)."""
EVERY_IPV4 = ("0.0.0.0", "255.255.255.255")
CLOUD_SQL = "gcp:sql/databaseInstance:DatabaseInstance"
DATABASES = (RDS, FLEXIBLE, CLOUD_SQL)
TLS_ONLY_MODES = ("ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED")


def _not_public(resource: Resource, _: Config) -> Iterator[str]:
    props = resource.props
    if resource.type == RDS:
        if get(props, "publiclyAccessible") is True:
            yield "publiclyAccessible is true"
    elif resource.type == FLEXIBLE:
        if get(props, "network.publicNetworkAccess") != "Disabled":
            yield "network.publicNetworkAccess is not Disabled"
    elif resource.type == FLEXIBLE_FIREWALL:
        if (get(props, "startIpAddress"), get(props, "endIpAddress")) == EVERY_IPV4:
            yield "the firewall rule admits every IPv4 address (0.0.0.0-255.255.255.255)"
    else:
        ip = get(props, "settings.ipConfiguration", {})
        if get(ip, "ipv4Enabled", True) is True:
            open_to = [get(n, "value") for n in items(ip, "authorizedNetworks")]
            wide = [c for c in open_to if c in OPEN_TO_ALL]
            yield "the instance has a public IP" + (f" open to {', '.join(wide)}" if wide else "")


def _encrypted(resource: Resource, _: Config) -> Iterator[str]:
    if get(resource.props, "storageEncrypted") is not True:
        yield "storageEncrypted is not true"


TLS_PARAMETER = {"postgres": ("rds.force_ssl", "1"), "mysql": ("require_secure_transport", "1")}
"""The parameter that refuses plaintext connections, and its on value, per RDS engine family
(MariaDB uses MySQL's)."""
FORCE_SSL_DEFAULT_FROM = 15
"""RDS for PostgreSQL 15 and later default rds.force_ssl to 1."""
ENGINE_UNSEEN = (
    "engine is not set and its source is not in the stack (snapshot restore or outside replica)"
)
"""An RDS instance without `engine` takes its snapshot's or source's engine
(RestoreDBInstanceFromDBSnapshot Engine: "Default: The same as source"); a source in the stack
is followed, a snapshot or a source outside the stack no rule sees."""


@dataclass(frozen=True)
class Engine:
    """What an RDS instance runs, read from itself or, for a read replica without `engine`,
    from its source in the stack."""

    family: str
    """postgres, mysql (MariaDB too) or another engine as RDS names it."""
    major: int
    """The major version, 0 when not stated."""
    groups_of: Resource
    """The instance whose parameterGroupName applies: a same-Region replica without one takes
    its source's ("uses the DBParameterGroup of the source DB instance for a same Region read
    replica", CreateDBInstanceReadReplica)."""


def _states(props: Mapping[str, Any], key: str) -> bool:
    """Whether the inputs name `key`, without reading its value (unknown until deployed when it
    comes from another resource)."""
    return any(k == key for k in props)


def _source(instance: Resource, instances: Sequence[Resource]) -> Resource | None:
    """The stack's RDS instance `instance` replicates (replicateSourceDb), None when it is no
    replica or its source is outside the stack."""
    if not _states(instance.props, "replicateSourceDb"):
        return None
    return next(
        (s for s in instances if s is not instance and instance.depends_on(s, "replicateSourceDb")),
        None,
    )


def _engine(instance: Resource, instances: Sequence[Resource]) -> Engine | None:
    """The instance's engine, following replicateSourceDb through the stack when it states
    none; None when neither it nor a source in the stack says."""
    version = get(instance.props, "engineVersion")
    groups_of, source, seen = instance, instance, {instance.urn}
    while (engine := get(source.props, "engine")) is None:
        source = _source(source, instances)
        if source is None or source.urn in seen:
            return None
        seen.add(source.urn)
        version = get(source.props, "engineVersion") if version is None else version
        if not _states(groups_of.props, "parameterGroupName") and (
            groups_of.provider_region == source.provider_region
        ):
            groups_of = source
    family = "mysql" if str(engine) in ("mysql", "mariadb") else str(engine)
    major = str(version if version is not None else "0").split(".")[0]
    return Engine(family, int(major) if major.isdigit() else 0, groups_of)


def _rds_tls(
    instance: Resource, groups: list[Resource], instances: Sequence[Resource]
) -> str | None:
    engine = _engine(instance, instances)
    if engine is None:
        return f"{ENGINE_UNSEEN}: set engine so TLS can be judged"
    if engine.family not in TLS_PARAMETER:
        return None
    name, on = TLS_PARAMETER[engine.family]
    values = [
        str(get(p, "value"))
        for group in groups
        if engine.groups_of.depends_on(group, "parameterGroupName")
        for p in items(group.props, "parameters")
        if get(p, "name") == name
    ]
    default_on = engine.family == "postgres" and engine.major >= FORCE_SSL_DEFAULT_FROM
    if values[-1:] == [on] or (not values and default_on):
        return None
    return f"{name} is not {on} (set it in the instance's parameter group)"


NO_TRANSPORT_VALUE = "the require_secure_transport Configuration sets no value; set it to on"
SSL_MODE_NOT_SET = (
    "settings.ipConfiguration.sslMode is not set: Cloud SQL then allows "
    "ALLOW_UNENCRYPTED_AND_ENCRYPTED, not ENCRYPTED_ONLY"
)


def _tls(resources: Sequence[Resource], _: Config) -> Iterator[tuple[str, str]]:
    groups = list(of_type(resources, RDS_PARAMETERS))
    instances = list(of_type(resources, RDS))
    for instance in instances:
        if (problem := _rds_tls(instance, groups, instances)) is not None:
            yield problem, instance.urn
    configs = list(of_type(resources, FLEXIBLE_CONFIG))
    for server in of_type(resources, FLEXIBLE):
        values = [
            get(c.props, "value")
            for c in configs
            if c.depends_on(server, "serverName")
            and get(c.props, "configurationName") == "require_secure_transport"
        ]
        if values[-1:] == [None]:  # what a Configuration without a value does is not documented
            yield NO_TRANSPORT_VALUE, server.urn
        elif values and str(values[-1]).lower() != "on":  # on by default on Flexible Server
            yield "require_secure_transport is turned off", server.urn
    for instance in of_type(resources, CLOUD_SQL):
        mode = get(instance.props, "settings.ipConfiguration.sslMode")
        if mode is None:
            yield SSL_MODE_NOT_SET, instance.urn
        elif mode not in TLS_ONLY_MODES:
            yield f"settings.ipConfiguration.sslMode is {mode!r}, not ENCRYPTED_ONLY", instance.urn


def _backups(resource: Resource, config: Config) -> Iterator[str]:
    minimum, props = config["minimumDays"], resource.props
    if resource.type == RDS:
        days = get(props, "backupRetentionPeriod", 1)
    elif resource.type == FLEXIBLE:
        days = get(props, "backup.backupRetentionDays", 7)
    else:
        backup = get(props, "settings.backupConfiguration", {})
        yield from violations(
            (get(backup, "enabled") is not True, "automated backups are off"),
            (
                get(backup, "pointInTimeRecoveryEnabled") is not True,
                "point-in-time recovery is off",
            ),
        )
        days = get(backup, "backupRetentionSettings.retainedBackups", 7)
    if int(days) < minimum:
        yield f"backups are kept {days} days, under the minimum of {minimum}"


def _deletion(resource: Resource, _: Config) -> Iterator[str]:
    props = resource.props
    if resource.type == RDS:
        yield from violations(
            (get(props, "deletionProtection") is not True, "deletionProtection is not true"),
            (get(props, "skipFinalSnapshot") is True, "skipFinalSnapshot is true"),
        )
    else:
        yield from violations(
            (get(props, "deletionProtection", True) is not True, "deletionProtection is false"),
            (
                get(props, "settings.deletionProtectionEnabled") is not True,
                "settings.deletionProtectionEnabled is not true (the API allows deletion)",
            ),
        )


def _ha(resource: Resource, _: Config) -> Iterator[str]:
    if not is_production(resource):
        return
    props = resource.props
    if resource.type == RDS:
        standby = get(props, "multiAz") is True
    elif resource.type == FLEXIBLE:
        standby = get(props, "highAvailability.mode", "Disabled") != "Disabled"
    else:
        standby = get(props, "settings.availabilityType") == "REGIONAL"
    if not standby:
        yield "the production database has no standby in another zone"


ENGINE_LOG = {"postgres": "postgresql", "mysql": "error"}
"""The CloudWatch export that carries the engine's own log."""


def _logs(resources: Sequence[Resource], _: Config) -> Iterator[tuple[str, str]]:
    instances = list(of_type(resources, RDS))
    for instance in instances:
        engine = _engine(instance, instances)
        if engine is None:
            yield f"{ENGINE_UNSEEN}: set engine so its log export can be judged", instance.urn
            continue
        log = ENGINE_LOG.get(engine.family)
        if log is not None and log not in items(instance.props, "enabledCloudwatchLogsExports"):
            yield f"the database's {log} log is not exported to CloudWatch", instance.urn


RDS_DOCS = "https://www.pulumi.com/registry/packages/aws/api-docs/rds/instance/"
"""pulumi-aws 7.51.1 rds.Instance inputs: the provider's documented defaults, quoted per entry."""
CLOUD_SQL_DOCS = "https://www.pulumi.com/registry/packages/gcp/api-docs/sql/databaseinstance/"
"""pulumi-gcp 10.2.0 sql.DatabaseInstance inputs, quoted per entry."""
FLEXIBLE_DOCS = (
    "https://www.pulumi.com/registry/packages/azure-native/api-docs/dbforpostgresql/server/"
)
"""pulumi-azure-native 3.29.0 dbforpostgresql.Server inputs (schema defaults the SDK applies)."""
SQL_BACKUPS_SENT = (
    "hashicorp/terraform-provider-google (under pulumi-gcp) resource_sql_database_instance.go "
    "expandBackupConfiguration: ForceSendFields Enabled, PointInTimeRecoveryEnabled (false when "
    "unset)"
)
FORCE_SSL_SOURCE = (
    "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html"
    " (RDS for PostgreSQL 15 and later default rds.force_ssl to 1)"
)
SNAPSHOT_ENGINE = (
    "https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/rds/aws.sdk.kotlin.services.rds.model/"
    '-restore-db-instance-from-db-snapshot-request/engine.html ("Default: The same as source"); '
    "https://docs.aws.amazon.com/cli/latest/reference/rds/create-db-instance-read-replica.html "
    '("All other attributes (including DB security groups and DB parameter groups) are inherited '
    'from the source DB instance or cluster, except as specified")'
)


RULES = (
    Rule(
        id="MLP-DB-01",
        name="platform-database-not-public",
        description="Databases have no public network access.",
        enforcement="mandatory",
        severity="critical",
        resource_types=(*DATABASES, FLEXIBLE_FIREWALL),
        anchor="CKV_AWS_17 / CKV2_AZURE_57 / CKV_GCP_60",
        frameworks=("cis-aws-foundations", "cis-azure-foundations", "cis-gcp-foundations"),
        remediation="Keep the database on private networking (mlplatform's databases are).",
        check=_not_public,
        absent=(
            Absent(
                RDS,
                "publiclyAccessible",
                "false: the provider sends false (the RDS API alone makes an instance without a "
                "DB subnet group public)",
                f'{RDS_DOCS} (publiclyAccessible: "Default is `false`")',
                "safe",
            ),
            Absent(
                FLEXIBLE,
                "network.publicNetworkAccess",
                "Enabled on a server not integrated into a virtual network: reachable from the "
                "internet through its firewall rules",
                "https://learn.microsoft.com/en-us/dotnet/api/azure.resourcemanager.postgresql."
                "flexibleservers.models.postgresqlflexibleservernetwork.publicnetworkaccess "
                '("only supported for servers that are not integrated into a virtual network"); '
                'PublicNetworkAccessState.Enabled: "accessed from the public internet, provided '
                'the necessary firewall rule ... is in place"',
                "unsafe",
            ),
            Absent(
                CLOUD_SQL,
                "settings.ipConfiguration.ipv4Enabled",
                "true: the instance is assigned a public IPv4 address",
                f'{CLOUD_SQL_DOCS} (ipv4Enabled: "Whether this Cloud SQL instance should be '
                'assigned a public IPV4 address"); GoogleCloudPlatform/k8s-config-connector#189 '
                "(instances got a public IP unless ipv4Enabled: false)",
                "unsafe",
            ),
            Absent(
                CLOUD_SQL,
                "settings.ipConfiguration.authorizedNetworks",
                "no authorized network: only the Cloud SQL Auth Proxy and connectors reach the "
                "public IP; the rule still refuses the public IP itself",
                "https://cloud.google.com/sql/docs/mysql/configure-ip (after public IP is enabled, "
                "connections must be authorized: authorized networks or the Auth Proxy)",
                "stricter",
            ),
        ),
    ),
    Rule(
        id="MLP-DB-02",
        name="aws-rds-storage-encrypted",
        description="RDS storage is encrypted (Azure and Cloud SQL always are).",
        enforcement="mandatory",
        severity="high",
        resource_types=(RDS,),
        anchor="CKV_AWS_16",
        frameworks=("cis-aws-foundations",),
        remediation="Set storageEncrypted: true with a KMS key.",
        check=_encrypted,
        absent=(
            Absent(
                RDS,
                "storageEncrypted",
                "false: storage unencrypted",
                f'{RDS_DOCS} (storageEncrypted: "The default is `false` if not specified"); RDS '
                'CreateDBInstance StorageEncrypted: "By default, it isn\'t encrypted"',
                "unsafe",
            ),
        ),
    ),
    Rule(
        id="MLP-DB-03",
        name="platform-database-tls-enforced",
        description="Databases refuse unencrypted connections.",
        enforcement="mandatory",
        severity="high",
        resource_types=(RDS, RDS_PARAMETERS, FLEXIBLE, FLEXIBLE_CONFIG, CLOUD_SQL),
        anchor="CKV2_AWS_69 / CKV_GCP_6",
        frameworks=("cis-aws-foundations", "cis-azure-foundations", "cis-gcp-foundations"),
        remediation="rds.force_ssl = 1 (PostgreSQL before 15) / keep require_secure_transport "
        "on / sslMode ENCRYPTED_ONLY.",
        stack_check=_tls,
        absent=(
            Absent(
                RDS,
                "engine",
                "inherited from the snapshot (snapshotIdentifier) or source (replicateSourceDb): "
                "a source in the stack is followed; a snapshot's or outside source's engine is "
                "unknown, so which TLS setting applies is too",
                SNAPSHOT_ENGINE,
                "unsafe",
            ),
            Absent(
                RDS,
                "engineVersion",
                "the engine's AWS-defined default version (PostgreSQL 15 or later today, which "
                "forces TLS); the rule wants the version stated or rds.force_ssl set",
                "https://docs.aws.amazon.com/sdkfornet1/latest/apidocs/html/"
                'P_Amazon_RDS_Model_DescribeDBEngineVersionsRequest_DefaultOnly.htm ("the '
                'default version of the specified engine"); ' + FORCE_SSL_SOURCE,
                "stricter",
            ),
            Absent(
                RDS,
                "parameterGroupName",
                "the engine's default DB parameter group (a same-Region read replica: its "
                "source's): rds.force_ssl 1 only from PostgreSQL 15, 0 before; MySQL "
                "require_secure_transport OFF",
                f'{RDS_DOCS} (parameterGroupName: "Name of the DB parameter group to associate"); '
                + FORCE_SSL_SOURCE
                + "; https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/rds/aws.sdk.kotlin."
                "services.rds.model/-create-db-instance-read-replica-request/db-parameter-group-"
                'name.html ("uses the DBParameterGroup of the source DB instance for a same Region '
                'read replica")',
                "unsafe",
            ),
            Absent(
                RDS_PARAMETERS,
                "parameters",
                "no parameter overridden: the family's defaults (as for parameterGroupName)",
                "https://www.pulumi.com/registry/packages/aws/api-docs/rds/parametergroup/ "
                "(parameters: the DB parameters to apply); " + FORCE_SSL_SOURCE,
                "unsafe",
            ),
            Absent(
                FLEXIBLE_CONFIG,
                "value",
                "not documented: the API's value is optional and states no default; the rule "
                "wants require_secure_transport on stated",
                "not documented in Azure docs (pulumi-azure-native 3.29.0 dbforpostgresql."
                "Configuration: value optional, no default stated)",
                "stricter",
            ),
            Absent(
                CLOUD_SQL,
                "settings.ipConfiguration.sslMode",
                "ALLOW_UNENCRYPTED_AND_ENCRYPTED: plaintext connections accepted",
                'https://cloud.google.com/sql/docs/sqlserver/configure-ssl-instance ("Allow both '
                'non-SSL/non-TLS and SSL/TLS connections. This is the default.")',
                "unsafe",
            ),
        ),
    ),
    Rule(
        id="MLP-DB-04",
        name="platform-database-backups-retained",
        description="Automated backups are kept for the minimum days; Cloud SQL also has PITR.",
        enforcement="mandatory",
        severity="high",
        resource_types=DATABASES,
        anchor="CKV_AWS_133 / CKV_GCP_14",
        frameworks=("cis-gcp-foundations",),
        remediation="Raise mlflow.database.backupRetentionDays.",
        check=_backups,
        absent=(
            Absent(
                RDS,
                "backupRetentionPeriod",
                "1 day through the RDS API (the provider's docs say 0: no automated backups)",
                "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/"
                'USER_WorkingWithAutomatedBackups.BackupRetention.html ("the default backup '
                'retention period is one day"); ' + f'{RDS_DOCS} ("Default is `0`")',
                "unsafe",
            ),
            Absent(
                FLEXIBLE,
                "backup.backupRetentionDays",
                "7 days",
                f"{FLEXIBLE_DOCS} (Backup.backupRetentionDays: schema default 7)",
                "safe",
            ),
            Absent(
                CLOUD_SQL,
                "settings.backupConfiguration.enabled",
                "false: no automated backups",
                f'{CLOUD_SQL_DOCS} (enabled: "True if backup configuration is enabled"); '
                + SQL_BACKUPS_SENT,
                "unsafe",
            ),
            Absent(
                CLOUD_SQL,
                "settings.backupConfiguration.pointInTimeRecoveryEnabled",
                "false (on by default only for Enterprise Plus, but the provider sends false)",
                f'{CLOUD_SQL_DOCS} (pointInTimeRecoveryEnabled: "Enabled by default for '
                'PostgreSQL Enterprise Plus and SQL Server Enterprise Plus instances"); '
                + SQL_BACKUPS_SENT,
                "unsafe",
            ),
            Absent(
                CLOUD_SQL,
                "settings.backupConfiguration.backupRetentionSettings",
                "7 automated backups kept (15 on Enterprise Plus)",
                'https://cloud.google.com/sql/docs/postgres/backup-recovery/backups ("By default, '
                "Cloud SQL retains 7 automated backups for each Cloud SQL Enterprise edition "
                'instance and 15 ... Enterprise Plus")',
                "safe",
            ),
        ),
        config={
            "minimumDays": {
                "type": "integer",
                "minimum": 1,
                "default": 7,
                "description": "Fewest days of backups.",
            }
        },
    ),
    Rule(
        id="MLP-DB-05",
        name="platform-database-deletion-protected",
        description="RDS and Cloud SQL refuse deletion and RDS takes a final snapshot.",
        enforcement="mandatory",
        severity="high",
        resource_types=(RDS, CLOUD_SQL),
        anchor="AWS FSBP RDS.8 / CKV_AWS_293",
        frameworks=(),
        remediation="Keep protect: true (mlplatform sets deletion protection with it).",
        check=_deletion,
        absent=(
            Absent(
                RDS,
                "deletionProtection",
                "false: the instance can be deleted",
                f'{RDS_DOCS} (deletionProtection: "The default is `false`")',
                "unsafe",
            ),
            Absent(
                RDS,
                "skipFinalSnapshot",
                "false: a final snapshot is taken on deletion",
                f'{RDS_DOCS} (skipFinalSnapshot: "Default is `false`")',
                "safe",
            ),
            Absent(
                CLOUD_SQL,
                "deletionProtection",
                "true: Pulumi refuses to delete the instance",
                f'{CLOUD_SQL_DOCS} (deletionProtection: "Defaults to true")',
                "safe",
            ),
            Absent(
                CLOUD_SQL,
                "settings.deletionProtectionEnabled",
                "false: the API, gcloud and the console may delete the instance",
                f'{CLOUD_SQL_DOCS} (settings.deletionProtectionEnabled: "Defaults to `false`")',
                "unsafe",
            ),
        ),
    ),
    Rule(
        id="MLP-DB-06",
        name="platform-database-high-availability-prod",
        description="Production databases have a standby in another zone.",
        enforcement="advisory",
        severity="medium",
        resource_types=DATABASES,
        anchor="CKV_AWS_157",
        frameworks=(),
        remediation="Set mlflow.database.highAvailability: true.",
        check=_ha,
        absent=(
            Absent(
                RDS,
                "multiAz",
                "single-AZ, no standby (documented for restores; CreateDBInstance MultiAZ states "
                "no default)",
                "https://docs.aws.amazon.com/cli/latest/reference/rds/restore-db-instance-from-db-"
                'snapshot.html ("By default, the new DB instance is created as a Single-AZ '
                'deployment"); CreateDBInstance MultiAZ states no default',
                "unsafe",
            ),
            Absent(
                FLEXIBLE,
                "highAvailability.mode",
                "Disabled: no standby",
                f"{FLEXIBLE_DOCS} (HighAvailability.mode: schema default Disabled)",
                "unsafe",
            ),
            Absent(
                CLOUD_SQL,
                "settings.availabilityType",
                "ZONAL: one zone, no standby",
                f'{CLOUD_SQL_DOCS} (availabilityType: "Defaults to `ZONAL`")',
                "unsafe",
            ),
        ),
    ),
    Rule(
        id="MLP-DB-07",
        name="aws-rds-logs-exported",
        description="RDS exports the engine's log (postgresql, MySQL error) to CloudWatch.",
        enforcement="advisory",
        severity="low",
        resource_types=(RDS,),
        anchor="CKV_AWS_129",
        frameworks=("cis-aws-foundations",),
        remediation="Add postgresql to enabledCloudwatchLogsExports (RdsPostgres does).",
        stack_check=_logs,
        absent=(
            Absent(
                RDS,
                "enabledCloudwatchLogsExports",
                "no log exported",
                f'{RDS_DOCS} (enabledCloudwatchLogsExports: "If omitted, no logs will be '
                'exported")',
                "unsafe",
            ),
            Absent(
                RDS,
                "engine",
                "inherited from the snapshot (snapshotIdentifier) or source (replicateSourceDb): "
                "a source in the stack is followed; a snapshot's or outside source's engine is "
                "unknown, so which engine log to export is too",
                SNAPSHOT_ENGINE,
                "unsafe",
            ),
        ),
    ),
)
