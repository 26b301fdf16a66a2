"""Preflight of the MLflow database and the node disks (`preflight.databases`): each cloud's
instance class / SKU / tier names, Azure's discrete storage sizes, and the node OS disk limits,
judged against `mlplatform.catalog.limits.databases` and `.disks`. Each test names the source
of the fact it holds the check to."""

from __future__ import annotations

from typing import Any

import pytest

from mlplatform.catalog.limits import databases as limits
from mlplatform.environment import ConfigError, ConfigIssue, parse
from mlplatform.environment.preflight import databases
from tests.unit.preflight.specs import AWS, AZURE, GCP, LOCAL, found

AT_CLASS = "mlflow.database.instanceClass"
RDS_FIX = "use e.g. db.t4g.medium (dev) or db.m7g.large (prod)"


def _database(base: dict[str, Any], **database: Any) -> dict[str, Any]:
    return {**base, "mlflow": {"enabled": True, "database": database}}


def errors(values: dict[str, Any]) -> list[ConfigIssue]:
    return found(databases.ERRORS, values)


def warnings(values: dict[str, Any]) -> list[ConfigIssue]:
    return found(databases.WARNINGS, values)


# --- the class names each cloud's spelling (moved from rules._database) --------------------


def test_a_class_on_the_kubernetes_target_is_refused() -> None:
    """The kubernetes target runs PostgreSQL in-cluster (components/mlplatform/kubernetes):
    an instance class has nothing to name."""
    assert errors(_database(LOCAL, instanceClass="x")) == [
        ConfigIssue(
            AT_CLASS,
            "has no meaning on the kubernetes target (PostgreSQL runs in-cluster); remove it",
        )
    ]
    assert errors(_database(LOCAL)) == []


def test_a_class_of_another_cloud_is_refused() -> None:
    """RDS classes start db. (RDS user guide, DB instance classes), flexible server SKUs
    Standard_ (concepts-compute), Cloud SQL tiers db- (Cloud SQL instance settings)."""
    assert errors(_database(GCP, instanceClass="db.m7g.large")) == [
        ConfigIssue(
            AT_CLASS, "is not a gcp database class; name one starting with db-", "db.m7g.large"
        )
    ]
    assert errors(_database(AWS, instanceClass="db.m7g.large")) == []


# --- Amazon RDS -----------------------------------------------------------------------------


def test_an_rds_class_must_have_a_type_and_a_size() -> None:
    """'A DB instance class consists of both the DB instance class type and the size', e.g.
    db.m6g.2xlarge (RDS user guide, DB instance classes)."""
    assert errors(_database(AWS, instanceClass="db.m7g")) == [
        ConfigIssue(
            AT_CLASS,
            "is not an RDS DB instance class (db.<class type>.<size>, e.g. db.m7g.large, per "
            f"the RDS user guide, DB instance classes); {RDS_FIX}",
            "db.m7g",
        )
    ]
    assert errors(_database(AWS, instanceClass="db.r6i.2xlarge")) == []


@pytest.mark.parametrize(
    ("instance_class", "why"),
    [
        ("db.x1e.xlarge", "runs no PostgreSQL"),
        ("db.m4.large", "runs only PostgreSQL below 13"),
        ("db.r3.large", "is deprecated"),
    ],
)
def test_an_rds_class_that_runs_no_postgresql_17_is_refused(instance_class: str, why: str) -> None:
    """The RDS user guide's engine table (awsdocs/amazon-rds-user-guide@b8cea00, 2023-05-30)
    marks db.x1e 'No', db.m4 'Lower than PostgreSQL 13' and db.r3 'Deprecated' for
    PostgreSQL; the platform runs PostgreSQL 17."""
    family = instance_class.rsplit(".", 1)[0]
    assert errors(_database(AWS, instanceClass=instance_class)) == [
        ConfigIssue(
            AT_CLASS,
            f"is a {family} class, which {why} (per the RDS user guide's engine table, "
            f"2023-05-30); the platform runs PostgreSQL 17: {RDS_FIX}",
            instance_class,
        )
    ]


def test_an_rds_class_outside_the_table_is_a_warning() -> None:
    """The engine table (2023-05-30) predates db.m8g: whether RDS runs PostgreSQL 17 on it is
    not known here, so it is warned about, not refused; db.t4g.medium is in the table."""
    assert errors(_database(AWS, instanceClass="db.m8g.large")) == []
    assert warnings(_database(AWS, instanceClass="db.m8g.large")) == [
        ConfigIssue(
            AT_CLASS,
            "is not among the RDS for PostgreSQL classes this release knows (per the RDS user "
            "guide's engine table, 2023-05-30), so whether RDS runs PostgreSQL 17 on it was "
            "not checked; confirm with aws rds describe-orderable-db-instance-options --engine "
            "postgres --engine-version 17 --db-instance-class db.m8g.large",
            "db.m8g.large",
        )
    ]
    assert warnings(_database(AWS, instanceClass="db.t4g.medium")) == []


def test_the_rds_storage_ceiling_stays_within_rds() -> None:
    """RDS takes gp3 AllocatedStorage and MaxAllocatedStorage of 20-65536 GiB (RDS API,
    CreateDBInstance); the platform asks for storageGb x 4, and the spec's largest storageGb
    (16384) makes exactly 65536, so no storage the spec takes is refused."""
    assert limits.RDS_ALLOCATED_STORAGE_GIB.high == 16384 * 4
    assert errors(_database(AWS, storageGb=16384)) == []
    assert warnings(_database(AWS, storageGb=16384)) == []


# --- Azure Database for PostgreSQL flexible server ------------------------------------------


def test_a_flexible_server_sku_outside_its_series_is_refused() -> None:
    """Flexible server computes are 'Burstable: B-series; General Purpose: D-series; Memory
    Optimized: E-series' (concepts-compute): an F-series size is no database SKU, and the
    platform would send it as GeneralPurpose."""
    fix = "use e.g. Standard_B2ms (dev) or Standard_D2ds_v5 (prod)"
    assert errors(_database(AZURE, instanceClass="Standard_F4s_v2")) == [
        ConfigIssue(
            AT_CLASS,
            "is not an Azure Database for PostgreSQL flexible server compute SKU (Burstable "
            "B-series, General Purpose D-series or Memory Optimized E-series per Azure "
            f"Database for PostgreSQL compute options); {fix}",
            "Standard_F4s_v2",
        )
    ]
    assert errors(_database(AZURE, instanceClass="Standard_E4ds_v5")) == []


def test_a_flexible_server_sku_outside_the_list_is_a_warning() -> None:
    """Standard_D4s_v5 is a VM size, but not in the flexible server SKU list (concepts-compute
    and the azurerm provider's sku_name check, 2026-08-21): warned, with the known SKUs of
    its series and vCores; Standard_D4ds_v5 is listed."""
    assert errors(_database(AZURE, instanceClass="Standard_D4s_v5")) == []
    assert warnings(_database(AZURE, instanceClass="Standard_D4s_v5")) == [
        ConfigIssue(
            AT_CLASS,
            "is not among the flexible server SKUs this release knows (per Azure Database for "
            "PostgreSQL compute options), so Azure may refuse it; the platform sends it with "
            "sku.tier GeneralPurpose. Known D SKUs with 4 vCores: Standard_D4ads_v5, "
            "Standard_D4ads_v6, Standard_D4ds_v4, Standard_D4ds_v5, Standard_D4ds_v6, "
            "Standard_D4s_v3; check az postgres flexible-server list-skus --location westeurope",
            "Standard_D4s_v5",
        )
    ]
    assert warnings(_database(AZURE, instanceClass="Standard_D4ds_v5")) == []


def test_a_burstable_sku_has_no_standby() -> None:
    """High availability is not offered on the Burstable tier (Azure Database for PostgreSQL,
    concepts-high-availability; the spec's rule before preflight, moved here); prod turns the
    standby on."""
    prod = {**AZURE, "environment": "prod"}
    assert errors(_database(prod, instanceClass="Standard_B2ms")) == [
        ConfigIssue(
            AT_CLASS,
            "is a Burstable SKU, which has no zone-redundant HA; use a General Purpose SKU such "
            "as Standard_D2ds_v5 or set mlflow.database.highAvailability: false",
            "Standard_B2ms",
        )
    ]
    assert errors(_database(prod, instanceClass="Standard_B2ms", highAvailability=False)) == []


def test_a_storage_size_azure_does_not_offer_is_rounded_up_with_a_warning() -> None:
    """Flexible server Premium SSD takes 32, 64, 128, ... 16384, 32767 GiB (the azurerm
    provider's storage_mb list, 2026-08-21); the platform rounds 100 up to 128
    (azure/database.py storage_size), which is what Azure bills."""
    sizes = "32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384 or 32767"
    assert warnings(_database(AZURE, storageGb=100)) == [
        ConfigIssue(
            "mlflow.database.storageGb",
            f"is not a storage size Azure Database for PostgreSQL flexible server offers ({sizes} "
            "GiB per its Premium SSD sizes); the platform rounds it up to 128 GiB, which is "
            "what is billed: set storageGb: 128 (or 64) to say so",
            100,
        )
    ]
    assert warnings(_database(AZURE, storageGb=128)) == []
    assert warnings(_database(AZURE)) == []  # the default 20 GB: documented, rounded to 32


def test_the_platform_rounds_to_the_sizes_preflight_knows() -> None:
    """The component's sizes (azure/database.py STORAGE_SIZES_GB) are the limits' list."""
    from mlplatform.azure.database import STORAGE_SIZES_GB, storage_size

    assert limits.AZURE_PG_STORAGE_GB == STORAGE_SIZES_GB
    assert storage_size(100) == 128


def test_the_limits_name_the_platforms_own_database_settings() -> None:
    """The fixes name the classes the database components default to, and the PostgreSQL
    major they run (components/mlplatform/{aws,azure,gcp}/database.py)."""
    from mlplatform.aws import database as rds
    from mlplatform.azure import database as flexible
    from mlplatform.gcp import database as cloud_sql

    assert (
        f"{rds.DEV_INSTANCE_CLASS} (dev) or {rds.PROD_INSTANCE_CLASS} (prod)"
    ) == limits.RDS_EXAMPLES
    assert f"{flexible.DEV_SKU} (dev) or {flexible.PROD_SKU} (prod)" == databases.AZURE_EXAMPLES
    assert databases.CLOUD_SQL_EXAMPLE == cloud_sql.PROD_TIER
    major = str(limits.PLATFORM_POSTGRES_MAJOR)
    assert (major, major) == (rds.ENGINE_VERSION, flexible.POSTGRES_VERSION)
    assert f"POSTGRES_{major}" == cloud_sql.DATABASE_VERSION
    assert rds.DEV_INSTANCE_CLASS.rsplit(".", 1)[0] in limits.RDS_POSTGRES_CLASSES
    assert rds.PROD_INSTANCE_CLASS.rsplit(".", 1)[0] in limits.RDS_POSTGRES_CLASSES
    assert {flexible.DEV_SKU, flexible.PROD_SKU} <= set().union(*limits.AZURE_PG_SKUS.values())


# --- Cloud SQL ------------------------------------------------------------------------------


def test_a_shared_core_cloud_sql_tier_is_refused() -> None:
    """PostgreSQL takes 'only shared-core machine types, and custom machine types'
    (pulumi_gcp sql.DatabaseInstanceSettings.tier); shared-core tiers carry no SLA. An
    Enterprise Plus or legacy tier is neither: refused with the same message."""
    for tier in ("db-n1-standard-2", "db-perf-optimized-N-2"):
        assert [i.value for i in errors(_database(GCP, instanceClass=tier))] == [tier]
    assert errors(_database(GCP, instanceClass="db-f1-micro")) == [
        ConfigIssue(
            AT_CLASS,
            "is not a custom machine tier (db-custom-<vCPUs>-<MiB>): Cloud SQL Enterprise, the "
            "edition the platform creates, takes only custom and shared-core tiers for "
            "PostgreSQL, and shared-core tiers (db-f1-micro, db-g1-small) carry no SLA; use "
            "e.g. db-custom-1-3840",
            "db-f1-micro",
        )
    ]
    assert errors(_database(GCP, instanceClass="db-custom-1-3840")) == []


@pytest.mark.parametrize(
    ("tier", "message"),
    [
        (
            "db-custom-2",
            "is not a custom tier name (db-custom-<vCPUs>-<memory MiB> per Cloud SQL instance "
            "settings); use e.g. db-custom-2-7680",
        ),
        (
            "db-custom-3-7680",
            "has 3 vCPUs (a custom tier takes 1 or an even number up to 96 per Cloud SQL "
            "instance settings); use e.g. db-custom-4-7680",
        ),
        (
            "db-custom-128-262144",
            "has 128 vCPUs (a custom tier takes 1 or an even number up to 96 per Cloud SQL "
            "instance settings); use e.g. db-custom-96-262144",
        ),
        (
            "db-custom-2-8000",
            "has 8000 MiB of memory, not a multiple of 256 MiB (per Cloud SQL instance "
            "settings); use e.g. db-custom-2-7936",
        ),
        (
            "db-custom-2-14336",
            "has 7168 MiB of memory per vCPU (0.9 to 6.5 GiB, 921.6 to 6656 MiB, per vCPU per "
            "Cloud SQL instance settings); use e.g. db-custom-2-13312",
        ),
        (
            "db-custom-8-4096",
            "has 512 MiB of memory per vCPU (0.9 to 6.5 GiB, 921.6 to 6656 MiB, per vCPU per "
            "Cloud SQL instance settings); use e.g. db-custom-8-7424",
        ),
    ],
)
def test_a_custom_tier_cloud_sql_refuses(tier: str, message: str) -> None:
    """'Cores: 1 to 96 (must be either 1 or an even number)', 'Memory: 0.9 to 6.5 GB per vCPU
    (must be a multiple of 256 MB and at least 3.75 GB)' (Cloud SQL for PostgreSQL, Instance
    settings); the fix is the nearest tier Cloud SQL takes."""
    assert errors(_database(GCP, instanceClass=tier)) == [ConfigIssue(AT_CLASS, message, tier)]


def test_a_custom_tier_under_the_memory_minimum_is_refused() -> None:
    """'at least 3.75 GB' (Cloud SQL instance settings): 3840 MiB, db-custom-1-3840."""
    assert errors(_database(GCP, instanceClass="db-custom-1-2048")) == [
        ConfigIssue(
            AT_CLASS,
            "has 2048 MiB of memory, under the 3840 MiB minimum (per Cloud SQL instance "
            "settings); use e.g. db-custom-1-3840",
            "db-custom-1-2048",
        )
    ]


@pytest.mark.parametrize(
    "tier", ["db-custom-1-3840", "db-custom-2-7680", "db-custom-2-13312", "db-custom-96-88576"]
)
def test_a_custom_tier_cloud_sql_takes(tier: str) -> None:
    """The platform's own tiers (gcp/database.py DEV_TIER, PROD_TIER), the provider's example
    db-custom-2-13312 (6.5 GiB per vCPU) and 96 vCPUs at 0.9 GiB (922.67 MiB) each."""
    assert errors(_database(GCP, instanceClass=tier)) == []


# --- node disks -----------------------------------------------------------------------------


def test_a_gpu_pool_disk_over_the_aks_maximum_is_refused() -> None:
    """AKS agent pools take osDiskSizeGB {minValue: 0, maxValue: 2048} (Azure/bicep-types-az,
    Microsoft.ContainerService 2024-05-01); the GPU pool's diskSizeGb is that OS disk."""
    pool = {"name": "gpu", "gpu": "T4"}
    assert errors({**AZURE, "gpuPools": [pool, {**pool, "name": "big", "diskSizeGb": 4096}]}) == [
        ConfigIssue(
            "gpuPools[1].diskSizeGb",
            "is larger than an AKS node OS disk can be (osDiskSizeGB at most 2048 GB per the "
            "AKS API, 2024-05-01); use at most 2048",
            4096,
        )
    ]
    assert errors({**AZURE, "gpuPools": [{**pool, "diskSizeGb": 2048}]}) == []
    assert errors({**AWS, "gpuPools": [{**pool, "diskSizeGb": 4096}]}) == []


# --- wired into the spec ------------------------------------------------------------------


def test_the_spec_refuses_every_database_and_disk_problem_at_once() -> None:
    """Through `parse`, as `mlplatform plan` reads a stack: each problem is listed (exit 2)."""
    with pytest.raises(ConfigError) as caught:
        parse(
            {
                **_database(AZURE, instanceClass="Standard_F4s_v2"),
                "gpuPools": [{"name": "gpu", "gpu": "T4", "diskSizeGb": 3000}],
            }
        )
    paths = [issue.path for issue in caught.value.issues]
    assert AT_CLASS in paths and "gpuPools[0].diskSizeGb" in paths
