"""Layer 1, data: what each cloud's managed PostgreSQL takes for the MLflow database: the
instance class / SKU / tier names, storage sizes and backup retention, each with its source
and date (read 2026-12-06).

What the platform sends (components/mlplatform/{aws,azure,gcp}/database.py): RDS gets
`instance_class`, `allocated_storage = storageGb` and `max_allocated_storage = storageGb x 4`
(gp3); Azure Database for PostgreSQL flexible server gets `sku.name` with `sku.tier` derived
from the name's first letter (B Burstable, E MemoryOptimized, anything else GeneralPurpose)
and `storage.storageSizeGB` rounded up to the smallest offered size; Cloud SQL gets
`settings.tier` on the ENTERPRISE edition and `disk_size = storageGb`. The spec's own ranges
(storageGb 20-16384, backupRetentionDays 7-35) already keep storage and retention inside
every cloud's limits below, so only the names and Azure's discrete sizes need preflight.
"""

from __future__ import annotations

from typing import NamedTuple

PLATFORM_POSTGRES_MAJOR = 17
"""The PostgreSQL major version every cloud's MLflow database runs (`ENGINE_VERSION`,
`POSTGRES_VERSION`, `DATABASE_VERSION` of the database components)."""


class Limit(NamedTuple):
    """An inclusive range a cloud accepts."""

    low: int
    high: int


# --- Amazon RDS for PostgreSQL ------------------------------------------------------------

RDS_SOURCE = (
    "Amazon RDS user guide, DB instance classes, 'Supported DB engines for DB instance classes' "
    "(github.com/awsdocs/amazon-rds-user-guide@b8cea0031fba95c12af4af13cea191abfc784364 "
    "doc_source/Concepts.DBInstanceClass.md, 2023-05-30, the repository's last copy of the "
    "page)"
)
RDS_SHORT = "the RDS user guide's engine table, 2023-05-30"
RDS_CLASS_FORM = r"^db\.[a-z][a-z0-9-]*\.[a-z0-9]+$"
"""A DB instance class is 'the DB instance class type and the size', e.g. db.m6g.2xlarge
(RDS user guide, DB instance classes). RDS for Oracle's extra classes
(db.r5.<size>.tpc<n>.mem<n>x) have more parts and run no PostgreSQL."""
_LARGE_8 = ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge")
_LARGE_24 = (*_LARGE_8[:-1], "16xlarge", "24xlarge")
_LARGE_32 = (*_LARGE_24, "32xlarge")
_BURSTABLE = ("micro", "small", "medium", "large", "xlarge", "2xlarge")
RDS_POSTGRES_CLASSES: dict[str, tuple[str, ...]] = {
    "db.m7g": _LARGE_8,
    "db.m6g": _LARGE_8,
    "db.m6gd": _LARGE_8,
    "db.m6i": _LARGE_32,
    "db.m5d": _LARGE_24,
    "db.m5": _LARGE_24,
    "db.r7g": _LARGE_8,
    "db.r6g": _LARGE_8,
    "db.r6gd": _LARGE_8,
    "db.r6i": _LARGE_32,
    "db.r5d": _LARGE_24,
    "db.r5b": _LARGE_24,
    "db.r5": _LARGE_24,
    "db.x2g": _LARGE_8,
    "db.x2idn": ("16xlarge", "24xlarge", "32xlarge"),
    "db.x2iedn": ("xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge", "24xlarge", "32xlarge"),
    "db.t4g": _BURSTABLE,
    "db.t3": _BURSTABLE,
}
"""The DB instance classes whose PostgreSQL cell in `RDS_SOURCE` names PostgreSQL versions
(each of these families runs every PostgreSQL 15 version or 15.2 and later there). The table
predates PostgreSQL 17 and newer families (db.m7i, db.m8g, db.r8g, ...): a class outside it is
a warning, not an error."""
RDS_NOT_POSTGRES: dict[str, str] = {
    "db.x2iezn": "runs no PostgreSQL",
    "db.z1d": "runs no PostgreSQL",
    "db.x1e": "runs no PostgreSQL",
    "db.x1": "runs no PostgreSQL",
    "db.m4": "runs only PostgreSQL below 13",
    "db.r4": "runs only PostgreSQL below 13",
    "db.t2": "runs only PostgreSQL below 13",
    "db.m3": "is deprecated",
    "db.r3": "is deprecated",
}
"""Families `RDS_SOURCE` marks 'No', 'Lower than PostgreSQL 13' or 'Deprecated' in its
PostgreSQL column: RDS refuses them for the platform's PostgreSQL 17."""
RDS_EXAMPLES = "db.t4g.medium (dev) or db.m7g.large (prod)"
"""The platform's own classes (`DEV_INSTANCE_CLASS`, `PROD_INSTANCE_CLASS` of
components/mlplatform/aws/database.py)."""
RDS_ALLOCATED_STORAGE_GIB = Limit(20, 65536)
"""gp3 AllocatedStorage and MaxAllocatedStorage: 'an integer from 20 to 65536' (RDS API
reference, CreateDBInstance, AllocatedStorage). The platform's autoscaling ceiling is
storageGb x 4, and the spec's storageGb is at most 16384, so it never passes 65536."""
RDS_BACKUP_RETENTION_DAYS = Limit(0, 35)
"""'Must be a value from 0 to 35' (RDS API reference, CreateDBInstance,
BackupRetentionPeriod); the spec allows 7-35."""

# --- Azure Database for PostgreSQL flexible server ----------------------------------------

AZURE_PG_SOURCE = (
    "Azure Database for PostgreSQL, Compute options (github.com/MicrosoftDocs/"
    "azure-databases-docs@c6ca31938808954f63449d3f9416ec5e9809b586 articles/postgresql/"
    "flexible-server/concepts-compute.md, ms.date 05/01/2024 with the v6 rows added since) "
    "and the azurerm provider's sku_name check (github.com/hashicorp/terraform-provider-azurerm"
    "@69697b7fe6a923fc89e88f386bc95c3ed1ee2ec6 internal/services/postgres/validate/"
    "flexible_server_sku_name.go, 2026-08-21); read 2026-12-06"
)
AZURE_PG_SHORT = "Azure Database for PostgreSQL compute options"
AZURE_PG_SKU_FORM = r"^Standard_([A-Z]+)(\d+)"
"""A flexible server compute SKU: Standard_, the series letter(s), the vCores, the features."""


def _names(template: str, cores: tuple[int, ...]) -> frozenset[str]:
    return frozenset(f"Standard_{template.format(c)}" for c in cores)


_D_V3 = (2, 4, 8, 16, 32, 48, 64)
_D_V5 = (*_D_V3, 96)
_D_V6 = (*_D_V5, 128, 192)
_E_V3 = (2, 4, 8, 16, 20, 32, 48, 64)
_E_V5 = (*_E_V3, 96)
AZURE_PG_SKUS: dict[str, frozenset[str]] = {
    "Burstable": frozenset(
        f"Standard_B{n}" for n in ("1ms", "2s", "2ms", "4ms", "8ms", "12ms", "16ms", "20ms")
    ),
    "GeneralPurpose": _names("D{}s_v3", _D_V3)
    | _names("D{}ds_v4", _D_V3)
    | _names("D{}ds_v5", _D_V5)
    | _names("D{}ads_v5", _D_V5)
    | _names("D{}ds_v6", _D_V6)
    | _names("D{}ads_v6", _D_V5)
    | _names("DC{}ads_v5", _D_V5),
    "MemoryOptimized": _names("E{}s_v3", _E_V3)
    | _names("E{}ds_v4", (2, 4, 6, *_E_V3[1:]))
    | _names("E{}ds_v5", _E_V5)
    | _names("E{}ads_v5", _E_V5)
    | _names("E{}ds_v6", (2, 4, 8, 16, 20, 32, 48, 64, 96, 128, 192))
    | _names("E{}ads_v6", _E_V5)
    | _names("EC{}ads_v5", _E_V5)
    | _names("EC{}as_v5", _E_V5),
}
"""Compute SKUs per pricing tier: the union of `AZURE_PG_SOURCE`'s two lists (the page's
table, where 'E64ads_v4' and 'E32ds_v5 / D32ads_v5' are typos for E64ads_v5 and E32ads_v5;
the provider adds the confidential DC/EC series). Availability per region and subscription is
not in it."""
AZURE_PG_SERIES_TIER = {"B": "Burstable", "D": "GeneralPurpose", "E": "MemoryOptimized"}
"""The series each tier is made of ('Burstable: B-series; General Purpose: D-series; Memory
Optimized: E-series'), which is also how the platform derives `sku.tier` from the name."""
AZURE_PG_STORAGE_GB = (32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767)
"""Premium SSD sizes a flexible server takes, in GiB: the provider's storage_mb list
(32768 ... 33553408 MiB, `AZURE_PG_SOURCE`'s provider file,
internal/services/postgres/postgresql_flexible_server_resource.go) and 'the maximum supported
storage size is 32 TiB with Premium SSD' (concepts-storage-premium-ssd.md, ms.date
01/16/2025). The same sizes as `STORAGE_SIZES_GB` of components/mlplatform/azure/database.py,
which rounds a requested size up to the next of them."""
AZURE_PG_BACKUP_RETENTION_DAYS = Limit(7, 35)
"""'7 to 35 days' (concepts-compute.md); the provider's backup_retention_days is
IntBetween(7, 35). The spec allows exactly this."""

# --- Cloud SQL for PostgreSQL -------------------------------------------------------------

CLOUD_SQL_SOURCE = (
    "Cloud SQL for PostgreSQL, Instance settings (cloud.google.com/sql/docs/postgres/"
    "instance-settings): 'Cores: 1 to 96 (must be either 1 or an even number)', 'Memory: 0.9 "
    "to 6.5 GB per vCPU (must be a multiple of 256 MB and at least 3.75 GB)'; the provider's "
    "tier: 'Postgres supports only shared-core machine types, and custom machine types such as "
    "db-custom-2-13312' (pulumi_gcp sql.DatabaseInstanceSettings.tier); read 2026-12-06"
)
CLOUD_SQL_SHORT = "Cloud SQL instance settings"
CLOUD_SQL_CUSTOM_TIER = r"^db-custom-(\d+)-(\d+)$"
"""db-custom-<vCPUs>-<memory in MiB>."""
CLOUD_SQL_MAX_VCPUS = 96
CLOUD_SQL_MEMORY_STEP_MIB = 256
CLOUD_SQL_MIN_MEMORY_MIB = 3840
"""3.75 GB (GiB: db-custom-1-3840 is the smallest custom tier)."""
CLOUD_SQL_MIB_PER_VCPU_TENTHS = Limit(9216, 66560)
"""0.9 and 6.5 GiB per vCPU, in tenths of a MiB (921.6 and 6656 MiB): the 6.5 GiB end is the
provider's own example, db-custom-2-13312."""
CLOUD_SQL_BACKUPS_RETAINED = Limit(1, 365)
"""Automated backups kept: 'from 1 to 365' (Cloud SQL, About backups); the spec allows 7-35."""
