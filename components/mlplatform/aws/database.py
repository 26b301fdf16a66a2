"""RDS PostgreSQL for MLflow: private subnets only, storage encrypted with a dedicated KMS key,
TLS enforced (`rds.force_ssl=1`), connections, disconnections and pgAudit's role and DDL
classes logged (never statement parameters nor reads and writes, which carry MLflow's users
and tokens), automated backups, deletion protection with a final snapshot, Multi-AZ when asked
(prod), reachable only from the EKS cluster's security group."""

from collections.abc import Mapping, Sequence
from typing import Required, TypedDict

import pulumi
import pulumi_random as random
from pulumi_aws import ec2, rds, vpc

from mlplatform import defaults
from mlplatform.aws.kms import data_key
from mlplatform.component_args import check_args
from mlplatform.contracts import child
from mlplatform.kubernetes.mlflow_config import postgres_uri

ENGINE_VERSION = "17"
"""PostgreSQL major version; RDS picks the current minor and upgrades minors automatically."""
PARAMETER_FAMILY = "postgres17"
PORT = 5432
DATABASE = USER = "mlflow"
PASSWORD_LENGTH = 32
DEV_INSTANCE_CLASS, PROD_INSTANCE_CLASS = defaults.DATABASE_CLASSES["aws"]
PARAMETERS: list[rds.ParameterGroupParameterArgsDict] = [
    {"name": "rds.force_ssl", "value": "1"},
    {"name": "log_connections", "value": "1"},
    {"name": "log_disconnections", "value": "1"},
    # Static: applied at creation, and at the next reboot of an existing instance. RDS loads
    # pg_stat_statements by default; it stays.
    {
        "name": "shared_preload_libraries",
        "value": f"pg_stat_statements,{defaults.PGAUDIT_LIBRARY}",
        "apply_method": "pending-reboot",
    },
    {"name": "pgaudit.log", "value": defaults.PGAUDIT_CLASSES},
    {"name": "pgaudit.log_parameter", "value": "0"},
]
"""The MLflow database's parameter group (RDS user guide: Appendix.PostgreSQL.CommonDBATasks.
pgaudit.basic-setup, "add pgaudit to shared_preload_libraries", then pgaudit.log; booleans
are 0/1 in RDS parameter groups)."""


class RdsPostgresArgs(TypedDict, total=False):
    """Args of `RdsPostgres`."""

    vpc_id: Required[pulumi.Input[str]]
    """VPC of the database."""
    subnet_ids: Required[pulumi.Input[Sequence[pulumi.Input[str]]]]
    """Private subnets (2+ AZs) for the subnet group."""
    client_security_group_id: Required[pulumi.Input[str]]
    """The only security group allowed to connect (the EKS cluster's)."""
    instance_class: str
    """Instance class. Default: db.t4g.medium (db.m7g.large when multi_az)."""
    storage_gb: int
    """Allocated storage; autoscaling up to 4x. Default: 20."""
    backup_retention_days: int
    """Days of automated backups. Default: 7."""
    multi_az: bool
    """Standby in another AZ. Default: off."""
    protect: bool
    """Deletion protection, final snapshot and Pulumi protect. Default: protected."""
    tags: Mapping[str, str]
    """Tags on every resource. Default: none."""


class RdsPostgres(pulumi.ComponentResource):
    """A private, encrypted, TLS-only PostgreSQL instance for MLflow."""

    address: pulumi.Output[str]
    """Endpoint host name."""
    identifier: pulumi.Output[str]
    """The instance identifier (CloudWatch's DBInstanceIdentifier)."""
    database_uri: pulumi.Output[str]
    """SQLAlchemy URI with sslmode=require (secret)."""

    def __init__(
        self, name: str, args: RdsPostgresArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, RdsPostgresArgs, args)
        super().__init__("mlplatform:index:RdsPostgres", name, None, opts)
        tags = dict(args.get("tags", {}))
        protect = args.get("protect", True)
        multi_az = args.get("multi_az", False)
        key = data_key(f"{name}-storage", "the MLflow database", self, protect, tags)
        subnets = rds.SubnetGroup(
            f"{name}-subnets", subnet_ids=args["subnet_ids"], tags=tags, opts=child(self)
        )
        group = ec2.SecurityGroup(
            f"{name}-sg",
            vpc_id=args["vpc_id"],
            description="mlplatform: PostgreSQL for MLflow",
            tags=tags,
            opts=child(self),
        )
        vpc.SecurityGroupIngressRule(
            f"{name}-from-cluster",
            security_group_id=group.id,
            referenced_security_group_id=args["client_security_group_id"],
            ip_protocol="tcp",
            from_port=PORT,
            to_port=PORT,
            description="PostgreSQL from the EKS cluster",
            opts=child(self),
        )
        parameters = rds.ParameterGroup(
            f"{name}-params",
            family=PARAMETER_FAMILY,
            parameters=PARAMETERS,
            tags=tags,
            opts=child(self),
        )
        password = random.RandomPassword(
            f"{name}-password", length=PASSWORD_LENGTH, special=False, opts=child(self)
        )
        instance = rds.Instance(
            f"{name}-instance",
            engine="postgres",
            engine_version=ENGINE_VERSION,
            instance_class=args.get(
                "instance_class", PROD_INSTANCE_CLASS if multi_az else DEV_INSTANCE_CLASS
            ),
            allocated_storage=args.get("storage_gb", defaults.DATABASE_STORAGE_GB),
            max_allocated_storage=args.get("storage_gb", defaults.DATABASE_STORAGE_GB) * 4,
            storage_type="gp3",
            storage_encrypted=True,
            kms_key_id=key.arn,
            db_name=DATABASE,
            username=USER,
            password=password.result,
            port=PORT,
            db_subnet_group_name=subnets.name,
            vpc_security_group_ids=[group.id],
            parameter_group_name=parameters.name,
            publicly_accessible=False,
            multi_az=multi_az,
            backup_retention_period=args.get(
                "backup_retention_days", defaults.DATABASE_BACKUP_RETENTION_DAYS
            ),
            copy_tags_to_snapshot=True,
            deletion_protection=protect,
            skip_final_snapshot=False,
            final_snapshot_identifier=f"{name}-final",
            auto_minor_version_upgrade=True,
            enabled_cloudwatch_logs_exports=["postgresql", "upgrade"],
            tags=tags,
            opts=child(self, protect=protect),
        )
        self.address = instance.address
        self.identifier = instance.identifier
        self.database_uri = pulumi.Output.secret(
            pulumi.Output.all(instance.address, password.result).apply(
                lambda v: postgres_uri(USER, v[1], v[0], PORT, DATABASE, sslmode="require")
            )
        )
        self.register_outputs(
            {
                "address": self.address,
                "identifier": self.identifier,
                "database_uri": self.database_uri,
            }
        )
