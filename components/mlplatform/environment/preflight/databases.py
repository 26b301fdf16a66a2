"""Layer 2.1, the environment spec: preflight of the MLflow database and the node disks, what
RDS, Azure Database for PostgreSQL flexible server, Cloud SQL and the node pool APIs would
refuse (facts in `mlplatform.catalog.limits.databases` and `.disks`).

Errors: an instance class of another cloud's spelling (or any on the kubernetes target); an
RDS class not of the form db.<type>.<size>, or of a family RDS runs no PostgreSQL 17 on; a
flexible server SKU outside the B, D and E series; a Burstable SKU with a standby; a Cloud SQL
tier that is not a custom tier Cloud SQL takes (vCPUs 1 or even up to 96, memory a multiple of
256 MiB, at least 3840 MiB, 0.9-6.5 GiB per vCPU), with the nearest tier it takes; a GPU
pool's disk over the node OS disk its cloud takes. Warnings: an RDS class or flexible server
SKU of a valid form that the dated lists do not hold (it may be newer than them), and a
flexible server storage size Azure does not offer, which the platform rounds up.

Storage sizes and backup retention need nothing more: the spec's ranges (storageGb 20-16384,
backupRetentionDays 7-35) are inside every cloud's limits, and RDS's autoscaling ceiling
(storageGb x 4) stays within its 65536 GiB.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlplatform.catalog.limits import databases as db
from mlplatform.catalog.limits.disks import NODE_DISK_GB
from mlplatform.environment.errors import ConfigIssue
from mlplatform.environment.model import PlatformConfig, Target
from mlplatform.environment.preflight.context import Check, Preflight

AT_CLASS = "mlflow.database.instanceClass"
INSTANCE_CLASS_PREFIX = {Target.AWS: "db.", Target.AZURE: "Standard_", Target.GCP: "db-"}
"""How each cloud spells a database instance class (db.m7g.large, Standard_D2ds_v5,
db-custom-2-7680)."""
AZURE_EXAMPLES = "Standard_B2ms (dev) or Standard_D2ds_v5 (prod)"
"""The platform's own SKUs (`DEV_SKU`, `PROD_SKU` of components/mlplatform/azure/database.py)."""
CLOUD_SQL_EXAMPLE = "db-custom-2-7680"
"""The platform's prod tier (`PROD_TIER` of components/mlplatform/gcp/database.py)."""


def _class_on(cfg: PlatformConfig, target: Target) -> str | None:
    """The instance class when the spec is on `target` and spells it that cloud's way."""
    value = cfg.mlflow.database.instance_class
    if cfg.target is not target or value is None:
        return None
    return value if value.startswith(INSTANCE_CLASS_PREFIX[target]) else None


def _instance_class_target(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    value = cfg.mlflow.database.instance_class
    if value is None:
        return
    prefix = INSTANCE_CLASS_PREFIX.get(cfg.target)
    if prefix is None:
        yield ConfigIssue(
            AT_CLASS,
            "has no meaning on the kubernetes target (PostgreSQL runs in-cluster); remove it",
        )
    elif not value.startswith(prefix):
        yield ConfigIssue(
            AT_CLASS,
            f"is not a {cfg.target} database class; name one starting with {prefix}",
            value,
        )


def _rds_class(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    value = _class_on(cfg, Target.AWS)
    if value is None:
        return
    fix = f"use e.g. {db.RDS_EXAMPLES}"
    if not re.match(db.RDS_CLASS_FORM, value):
        yield ConfigIssue(
            AT_CLASS,
            "is not an RDS DB instance class (db.<class type>.<size>, e.g. db.m7g.large, per "
            f"the RDS user guide, DB instance classes); {fix}",
            value,
        )
        return
    family = value.rsplit(".", 1)[0]
    if family in db.RDS_NOT_POSTGRES:
        yield ConfigIssue(
            AT_CLASS,
            f"is a {family} class, which {db.RDS_NOT_POSTGRES[family]} (per {db.RDS_SHORT}); "
            f"the platform runs PostgreSQL {db.PLATFORM_POSTGRES_MAJOR}: {fix}",
            value,
        )


def _rds_class_unlisted(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    value = _class_on(cfg, Target.AWS)
    if value is None or not re.match(db.RDS_CLASS_FORM, value):
        return
    family, size = value.rsplit(".", 1)
    if family in db.RDS_NOT_POSTGRES or size in db.RDS_POSTGRES_CLASSES.get(family, ()):
        return
    major = db.PLATFORM_POSTGRES_MAJOR
    yield ConfigIssue(
        AT_CLASS,
        f"is not among the RDS for PostgreSQL classes this release knows (per {db.RDS_SHORT}), "
        f"so whether RDS runs PostgreSQL {major} on it was not checked; confirm with aws rds "
        f"describe-orderable-db-instance-options --engine postgres --engine-version {major} "
        f"--db-instance-class {value}",
        value,
    )


def _flexible_server_series(value: str) -> tuple[str, int] | None:
    """The series letter(s) and vCores of a flexible server SKU of the B, D or E series."""
    match = re.match(db.AZURE_PG_SKU_FORM, value)
    if match is None or match.group(1)[0] not in db.AZURE_PG_SERIES_TIER:
        return None
    return match.group(1), int(match.group(2))


def _flexible_server_sku(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    value = _class_on(cfg, Target.AZURE)
    if value is not None and _flexible_server_series(value) is None:
        yield ConfigIssue(
            AT_CLASS,
            "is not an Azure Database for PostgreSQL flexible server compute SKU (Burstable "
            "B-series, General Purpose D-series or Memory Optimized E-series per "
            f"{db.AZURE_PG_SHORT}); use e.g. {AZURE_EXAMPLES}",
            value,
        )


def _flexible_server_sku_unlisted(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    value = _class_on(cfg, Target.AZURE)
    series = _flexible_server_series(value) if value is not None else None
    if value is None or series is None:
        return
    tier = db.AZURE_PG_SERIES_TIER[series[0][0]]
    if value in db.AZURE_PG_SKUS[tier]:
        return
    same = sorted(s for s in db.AZURE_PG_SKUS[tier] if _flexible_server_series(s) == series)
    known = (
        f"Known {series[0]} SKUs with {series[1]} vCores: {', '.join(same)}"
        if same
        else f"No known {series[0]} SKU has {series[1]} vCores"
    )
    yield ConfigIssue(
        AT_CLASS,
        f"is not among the flexible server SKUs this release knows (per {db.AZURE_PG_SHORT}), "
        f"so Azure may refuse it; the platform sends it with sku.tier {tier}. {known}; check az "
        f"postgres flexible-server list-skus --location {cfg.region}",
        value,
    )


def _burstable_standby(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    value = _class_on(cfg, Target.AZURE)
    if value is not None and value.startswith("Standard_B") and cfg.database_standby:
        yield ConfigIssue(
            AT_CLASS,
            "is a Burstable SKU, which has no zone-redundant HA; use a General Purpose SKU "
            "such as Standard_D2ds_v5 or set mlflow.database.highAvailability: false",
            value,
        )


def _flexible_server_storage_rounded(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    database = cfg.mlflow.database
    if cfg.target is not Target.AZURE or not cfg.mlflow.enabled:
        return
    requested = database.storage_gb
    if "storage_gb" not in database.model_fields_set or requested in db.AZURE_PG_STORAGE_GB:
        return
    sizes = db.AZURE_PG_STORAGE_GB
    above = next(s for s in sizes if s > requested)
    below = [s for s in sizes if s < requested]
    choice = f"{above} (or {below[-1]})" if below else str(above)
    listed = f"{', '.join(str(s) for s in sizes[:-1])} or {sizes[-1]}"
    yield ConfigIssue(
        "mlflow.database.storageGb",
        "is not a storage size Azure Database for PostgreSQL flexible server offers "
        f"({listed} GiB per its Premium SSD sizes); the platform rounds it up to {above} GiB, "
        f"which is what is billed: set storageGb: {choice} to say so",
        requested,
    )


def _cloud_sql_tier(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    value = _class_on(cfg, Target.GCP)
    if value is None:
        return
    if not value.startswith("db-custom-"):
        yield ConfigIssue(
            AT_CLASS,
            "is not a custom machine tier (db-custom-<vCPUs>-<MiB>): Cloud SQL Enterprise, the "
            "edition the platform creates, takes only custom and shared-core tiers for "
            "PostgreSQL, and shared-core tiers (db-f1-micro, db-g1-small) carry no SLA; use "
            "e.g. db-custom-1-3840",
            value,
        )
        return
    match = re.match(db.CLOUD_SQL_CUSTOM_TIER, value)
    if match is None:
        yield ConfigIssue(
            AT_CLASS,
            "is not a custom tier name (db-custom-<vCPUs>-<memory MiB> per "
            f"{db.CLOUD_SQL_SHORT}); use e.g. {CLOUD_SQL_EXAMPLE}",
            value,
        )
        return
    vcpus, memory = int(match.group(1)), int(match.group(2))
    fix = f"use e.g. {_nearest_custom_tier(vcpus, memory)}"
    for problem in _custom_tier_problems(vcpus, memory):
        yield ConfigIssue(AT_CLASS, f"{problem}; {fix}", value)


def _custom_tier_problems(vcpus: int, memory: int) -> Iterator[str]:
    """What Cloud SQL refuses in db-custom-<vcpus>-<memory>, each with its rule."""
    source = db.CLOUD_SQL_SHORT
    step = db.CLOUD_SQL_MEMORY_STEP_MIB
    if not _valid_vcpus(vcpus):
        yield (
            f"has {vcpus} vCPUs (a custom tier takes 1 or an even number up to "
            f"{db.CLOUD_SQL_MAX_VCPUS} per {source})"
        )
    if memory % step:
        yield f"has {memory} MiB of memory, not a multiple of {step} MiB (per {source})"
    if memory < db.CLOUD_SQL_MIN_MEMORY_MIB:
        yield (
            f"has {memory} MiB of memory, under the {db.CLOUD_SQL_MIN_MEMORY_MIB} MiB minimum "
            f"(per {source})"
        )
    per_vcpu = db.CLOUD_SQL_MIB_PER_VCPU_TENTHS
    if vcpus > 0 and not per_vcpu.low * vcpus <= memory * 10 <= per_vcpu.high * vcpus:
        yield (
            f"has {memory / vcpus:g} MiB of memory per vCPU (0.9 to 6.5 GiB, "
            f"{per_vcpu.low / 10:g} to {per_vcpu.high / 10:g} MiB, per vCPU per {source})"
        )


def _valid_vcpus(vcpus: int) -> bool:
    return vcpus == 1 or (vcpus % 2 == 0 and 2 <= vcpus <= db.CLOUD_SQL_MAX_VCPUS)


def _nearest_custom_tier(vcpus: int, memory: int) -> str:
    """The custom tier Cloud SQL takes nearest to db-custom-<vcpus>-<memory>: the next valid
    vCPU count, and the memory rounded to 256 MiB within that count's range."""
    if not _valid_vcpus(vcpus):
        vcpus = max(1, min(db.CLOUD_SQL_MAX_VCPUS, vcpus + vcpus % 2))
    step = db.CLOUD_SQL_MEMORY_STEP_MIB
    per_vcpu = db.CLOUD_SQL_MIB_PER_VCPU_TENTHS
    low = max(db.CLOUD_SQL_MIN_MEMORY_MIB, -(-per_vcpu.low * vcpus // (10 * step)) * step)
    high = per_vcpu.high * vcpus // (10 * step) * step
    rounded = (memory + step // 2) // step * step
    return f"db-custom-{vcpus}-{min(high, max(low, rounded))}"


def _node_disks(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    node = NODE_DISK_GB.get(cfg.target.value)
    if node is None:
        return
    low, high = node.size_gb
    for i, pool in enumerate(cfg.gpu_pools):
        size, path = pool.disk_size_gb, f"gpuPools[{i}].diskSizeGb"
        if size > high:
            yield ConfigIssue(
                path,
                f"is larger than {node.disk} can be ({node.field} at most {high} GB per "
                f"{node.source}); use at most {high}",
                size,
            )
        elif size < low:
            yield ConfigIssue(
                path,
                f"is smaller than {node.disk} can be ({node.field} at least {low} GB per "
                f"{node.source}); use at least {low}",
                size,
            )


ERRORS: tuple[Check, ...] = (
    _instance_class_target,
    _rds_class,
    _flexible_server_sku,
    _burstable_standby,
    _cloud_sql_tier,
    _node_disks,
)
WARNINGS: tuple[Check, ...] = (
    _rds_class_unlisted,
    _flexible_server_sku_unlisted,
    _flexible_server_storage_rounded,
)
