"""Layer 2.1, the environment spec: preflight of regions and zones, judged against the dated
facts in `mlplatform.catalog.limits.regions` and `mlplatform.catalog.limits.gpu_regions`.
(That a region or a pool's zone exists at all is `mlplatform.environment.rules`': `_region`,
`_zone_problem`.)

Errors:
- a GPU pool's node shape that a current table says its region (AWS) or zone (GCP) does not
  sell: the region, a zone in the pool's `zones`, or every zone of the region for a pool
  without `zones`;
- the system pool's instance type, likewise;
- a prod Azure stack in a region without availability zones (its storage account, registry and
  database standby are zone-redundant, which Azure offers only in regions with zones);
- `network.zoneCount` above the zones EKS can use in the region (us-west-1 has two).

Warnings: a shape that only an out-of-date table (more than a year old, or undated) says is
missing, or an on-demand list for a spot pool; a shape no table covers (every Azure VM size),
never a pass; a GCP pool without `zones` in a region where some zones lack its GPU; an AWS
opt-in region and an Azure restricted region.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from enum import Enum
from typing import NamedTuple

from mlplatform import catalog, defaults
from mlplatform.catalog.limits import gpu_regions
from mlplatform.catalog.limits import regions as limits
from mlplatform.catalog.limits.gpu_regions import Availability
from mlplatform.environment.errors import ConfigIssue
from mlplatform.environment.model import Environment, GpuPoolSpec, PlatformConfig, Target
from mlplatform.environment.preflight.context import Check, Preflight

CURRENT_FOR = timedelta(days=365)
"""How long a table's word that a shape is missing is taken as current: after a year a cloud may
have added the shape, so its absence only warns."""
LISTED = 8
"""The most regions a message lists before it says how many more there are."""
USE_ELSEWHERE = "use one of them or another GPU"


class State(Enum):
    """What the tables say of one shape in one region or zone."""

    OFFERED = "offered"
    """An exact table lists it, and no current table says it is missing."""
    ABSENT = "absent"
    """A current table that covers the place does not list it."""
    STALE = "stale"
    """Only a table that may be out of date (or lists on-demand only, for a spot pool) does not
    list it."""
    UNKNOWN = "unknown"
    """No table covers it there, or only one that lists its machine series."""


class Verdict(NamedTuple):
    """What the tables say of a shape in one place, and the table that says it."""

    state: State
    table: Availability | None = None
    """The table the verdict rests on: the refuting one for ABSENT and STALE."""


class Shape(NamedTuple):
    """A node shape to judge: what the cloud calls it and what a message adds to the name."""

    name: str
    accelerator: str | None = None

    def __str__(self) -> str:
        return self.name if self.accelerator is None else f"{self.name} ({self.accelerator})"


def _current(table: Availability, today: date) -> bool:
    return table.as_of is not None and today - table.as_of <= CURRENT_FOR


def judge(cloud: str, shape: str, place: str, at: Preflight, spot: bool = False) -> Verdict:
    """What the tables say of `shape` in `place`: a region on AWS, a zone on GCP."""
    region = limits.region_of_zone(place) if cloud == "gcp" else place
    if cloud == "gcp" and place not in limits.GCP_ZONES.get(region, ()):
        return Verdict(State.UNKNOWN)  # an AI zone, or a zone `rules` refuses
    tables = [
        t
        for t in gpu_regions.TABLES
        if t.cloud == cloud and shape in t.offered and region in t.scope
    ]
    refuting = sorted(
        (t for t in tables if place not in t.offered[shape]),
        key=lambda t: t.as_of or date.min,
        reverse=True,
    )
    current = [t for t in refuting if _current(t, at.today) and not (spot and t.on_demand)]
    if current:
        return Verdict(State.ABSENT, current[0])
    exact = [t for t in tables if t.exact and place in t.offered[shape]]
    if exact:
        return Verdict(State.OFFERED, exact[0])
    if refuting:
        return Verdict(State.STALE, refuting[0])
    return Verdict(State.UNKNOWN, next((t for t in tables if not t.exact), None))


def offering_regions(cloud: str, shape: str, at: Preflight) -> list[str]:
    """The regions where an exact table lists `shape` and no current table refutes it."""
    places = {
        p
        for t in gpu_regions.TABLES
        if t.cloud == cloud and t.exact
        for p in t.offered.get(shape, ())
    }
    offered = {p for p in places if judge(cloud, shape, p, at).state is State.OFFERED}
    if cloud == "gcp":
        return sorted({limits.region_of_zone(p) for p in offered})
    return sorted(offered)


def _listed(regions: list[str]) -> str:
    more = len(regions) - LISTED
    shown = ", ".join(regions[:LISTED])
    return f"{shown} and {more} more" if more > 0 else shown


def _elsewhere(cloud: str, shape: str, at: Preflight, on: str = "") -> str:
    regions = offering_regions(cloud, shape, at)
    if regions:
        return f"regions that offer it: {_listed(regions)}"
    return f"no region in the availability tables offers it{on}"


def check_command(cloud: str, shape: Shape, region: str) -> str:
    """The cloud CLI command that lists where `shape` is offered in `region`."""
    if cloud == "aws":
        return (
            f"aws ec2 describe-instance-type-offerings --region {region} --filters "
            f"Name=instance-type,Values={shape.name}"
        )
    if cloud == "azure":
        return f"az vm list-skus --location {region} --size {shape.name} --output table"
    if shape.accelerator is not None:
        return (
            f'gcloud compute accelerator-types list --filter="name={shape.accelerator} '
            f'AND zone~^{region}-"'
        )
    return f'gcloud compute machine-types list --filter="name={shape.name} AND zone~^{region}-"'


def _on(verdict: Verdict) -> str:
    return " on demand" if verdict.table is not None and verdict.table.on_demand else ""


def _unconfirmed(
    cloud: str, shape: Shape, where: str, region: str, verdict: Verdict, at: Preflight, spot: bool
) -> str:
    """Why `shape` may not be in `where`, and how to check: for a STALE or UNKNOWN verdict."""
    check = f"check with `{check_command(cloud, shape, region)}`"
    table = verdict.table
    if verdict.state is State.STALE and table is not None:
        if spot and table.on_demand and _current(table, at.today):
            reason = (
                f"{table.cite}, does not list it on demand there, and a spot pool may still find it"
            )
        else:
            reason = f"{table.cite}, does not list it there, and that table may be out of date"
        elsewhere = _elsewhere(cloud, shape.name, at)
        return (
            f"resolves to {shape}, which may not be offered in {where}: {reason}; {elsewhere}; "
            f"{check}"
        )
    why = (
        "the availability tables list only its machine series there"
        if table is not None
        else "no availability table covers it there"
    )
    return (
        f"resolves to {shape}, whose availability in {where} could not be checked ({why}); {check}"
    )


# ---- GPU pools ------------------------------------------------------------------------------


class Finding(NamedTuple):
    """One issue of a pool, and whether it stops the plan (else it is a warning)."""

    error: bool
    issue: ConfigIssue


def _shape(cfg: PlatformConfig, pool: GpuPoolSpec) -> Shape | None:
    """The pool's node shape on its cloud; None where the catalog refuses the pool (the pool
    rules report it)."""
    try:
        resolved = catalog.resolve(cfg.target.value, pool.gpu.value, pool.gpus_per_node)
    except catalog.CatalogError:
        return None
    return Shape(resolved.instance_type, resolved.accelerator)


def _judged_region(cfg: PlatformConfig) -> str | None:
    """The region to judge in: a cloud's region that exists (`rules` reports the others)."""
    if cfg.target is Target.KUBERNETES or cfg.region is None:
        return None
    return cfg.region if cfg.region in limits.REGION_LISTS[cfg.target.value].regions else None


def _pool_findings(cfg: PlatformConfig, at: Preflight) -> Iterator[Finding]:
    region = _judged_region(cfg)
    if region is None:
        return
    for i, pool in enumerate(cfg.gpu_pools):
        shape = _shape(cfg, pool)
        if shape is None:
            continue
        if cfg.target is Target.GCP:
            yield from _gcp_pool(region, f"gpuPools[{i}]", pool, shape, at)
        else:
            yield from _regional_pool(cfg.target.value, region, f"gpuPools[{i}]", pool, shape, at)


def _regional_pool(
    cloud: str, region: str, at_path: str, pool: GpuPoolSpec, shape: Shape, at: Preflight
) -> Iterator[Finding]:
    """An AWS or Azure pool: its shape in its region."""
    verdict = judge(cloud, shape.name, region, at, pool.spot)
    gpu = pool.gpu.value
    if verdict.state is State.ABSENT and verdict.table is not None:
        on = _on(verdict)
        elsewhere = _elsewhere(cloud, shape.name, at, on)
        fix = USE_ELSEWHERE if elsewhere.startswith("regions") else "choose another GPU"
        message = (
            f"resolves to {shape}, which is not offered{on} in {region} (per "
            f"{verdict.table.cite}); {elsewhere}; {fix}"
        )
        yield Finding(True, ConfigIssue(f"{at_path}.gpu", message, gpu))
    elif verdict.state is not State.OFFERED:
        message = _unconfirmed(cloud, shape, region, region, verdict, at, pool.spot)
        yield Finding(False, ConfigIssue(f"{at_path}.gpu", message, gpu))


def _gcp_pool(
    region: str, at_path: str, pool: GpuPoolSpec, shape: Shape, at: Preflight
) -> Iterator[Finding]:
    """A GKE pool: its shape in each of its zones, or in every zone of the region."""
    zones = limits.GCP_ZONES[region]
    verdicts = {z: judge("gcp", shape.name, z, at, pool.spot) for z in (*zones, *pool.zones)}
    offered = [z for z in zones if verdicts[z].state is State.OFFERED]
    if not pool.zones:
        absent = [z for z in zones if verdicts[z].state is State.ABSENT]
        if absent:
            yield _gcp_absent_zones(region, at_path, pool, shape, at, absent, verdicts)
            return
        placed = list(zones)
    else:
        for j, zone in enumerate(pool.zones):
            table = verdicts[zone].table
            if zone in zones and verdicts[zone].state is State.ABSENT and table is not None:
                if offered:
                    fix = f"use one of {', '.join(offered)}"
                else:
                    elsewhere = _elsewhere("gcp", shape.name, at)
                    fix = f"no zone of {region} offers it; {elsewhere}; {USE_ELSEWHERE}"
                message = f"does not offer {shape} (per {table.cite}); {fix}"
                yield Finding(True, ConfigIssue(f"{at_path}.zones[{j}]", message, zone))
        placed = [z for z in pool.zones if z in zones or _is_ai_zone(z, region)]
    unsure = [z for z in placed if verdicts[z].state in (State.STALE, State.UNKNOWN)]
    if unsure:
        where = region if unsure == list(zones) else ", ".join(unsure)
        stale = [verdicts[z] for z in unsure if verdicts[z].state is State.STALE]
        verdict = stale[0] if stale else verdicts[unsure[0]]
        message = _unconfirmed("gcp", shape, where, region, verdict, at, pool.spot)
        yield Finding(False, ConfigIssue(f"{at_path}.gpu", message, pool.gpu.value))


def _is_ai_zone(zone: str, region: str) -> bool:
    found = limits.GCP_AI_ZONE.match(zone)
    return found is not None and found["region"] == region


def _gcp_absent_zones(
    region: str,
    at_path: str,
    pool: GpuPoolSpec,
    shape: Shape,
    at: Preflight,
    absent: list[str],
    verdicts: dict[str, Verdict],
) -> Finding:
    """A pool without `zones` where some or all of the region's zones lack its shape."""
    table = verdicts[absent[0]].table
    cite = table.cite if table is not None else ""
    zones = limits.GCP_ZONES[region]
    if len(absent) == len(zones):
        elsewhere = _elsewhere("gcp", shape.name, at)
        message = (
            f"resolves to {shape}, which no zone of {region} offers (per {cite}); {elsewhere}; "
            f"{USE_ELSEWHERE}"
        )
        return Finding(True, ConfigIssue(f"{at_path}.gpu", message, pool.gpu.value))
    offered = [z for z in zones if verdicts[z].state is State.OFFERED]
    usable = offered or [z for z in zones if z not in absent]
    message = (
        f"is not set, so the pool runs in the zones GKE picked for the cluster in {region}, which "
        f"may include {', '.join(absent)}, where {shape} is not offered (per {cite}); set zones: "
        f"[{', '.join(usable)}]"
    )
    return Finding(False, ConfigIssue(f"{at_path}.zones", message))


# ---- the system pool ------------------------------------------------------------------------


def _system_pool_findings(cfg: PlatformConfig, at: Preflight) -> Iterator[Finding]:
    """The system pool's instance type where a table covers it; a type the spec sets that no
    table covers is a warning (the default, sold in every region a table covers, is not)."""
    region = _judged_region(cfg)
    if region is None:
        return
    cloud = cfg.target.value
    chosen = cfg.cluster.system_pool.instance_type
    if cfg.target is Target.AZURE:
        if chosen is not None:
            yield _system_pool_unchecked(cloud, chosen, region)
        return
    shape = cfg.cluster.system_pool.instance_type or defaults.SYSTEM_INSTANCE_TYPES[cloud]
    path = "cluster.systemPool.instanceType"
    places = limits.GCP_ZONES[region] if cloud == "gcp" else (region,)
    verdicts = [judge(cloud, shape, place, at) for place in places]
    absent = [v for v in verdicts if v.state is State.ABSENT]
    if absent and absent[0].table is not None:
        cite = absent[0].table.cite
        kind = "machine type" if cloud == "gcp" else "instance type"
        where = f"any zone of {region}" if cloud == "gcp" else region
        fix = f"set {path} to {'a' if cloud == 'gcp' else 'an'} {kind} sold there"
        if len(absent) == len(verdicts):
            message = f"is not offered{_on(absent[0])} in {where} (per {cite}); {fix}"
            yield Finding(True, ConfigIssue(path, message, shape))
        else:
            lacking = [p for p, v in zip(places, verdicts, strict=True) if v.state is State.ABSENT]
            message = (
                f"is not offered in {', '.join(lacking)} (per {cite}), which the system pool may "
                f"use; {fix} in every zone of {region}"
            )
            yield Finding(False, ConfigIssue(path, message, shape))
    elif stale := next((v.table for v in verdicts if v.state is State.STALE), None):
        message = (
            f"may not be offered in {region}: {stale.cite}, does not list it there, and that "
            f"table may be out of date; check with `{check_command(cloud, Shape(shape), region)}`"
        )
        yield Finding(False, ConfigIssue(path, message, shape))
    elif chosen is not None and all(v.state is State.UNKNOWN for v in verdicts):
        yield _system_pool_unchecked(cloud, chosen, region)


def _system_pool_unchecked(cloud: str, shape: str, region: str) -> Finding:
    """A warning: no table says whether `region` offers the system pool's `shape`."""
    message = (
        f"could not be checked against {region}'s offerings (no availability table covers it "
        f"there); check with `{check_command(cloud, Shape(shape), region)}`"
    )
    return Finding(False, ConfigIssue("cluster.systemPool.instanceType", message, shape))


# ---- what a region lacks ----------------------------------------------------------------------


def _azure_without_zones(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """Zone-redundant services the platform asks for in an Azure region without zones: "You can
    deploy zone-redundant Azure Storage accounts in any region that supports availability zones"
    (reliability-storage, ms.date 07/02/2024); "Zone-redundant registries can be deployed into
    any region that supports availability zones" (reliability-container-registry, 2026-08-11);
    PostgreSQL flexible server: "The region doesn't support availability zones ... the only
    high-availability configuration you can select is same-zone" (reliability-database-
    postgresql); all MicrosoftDocs/reliability-docs@e92155a11a1c."""
    region = cfg.region
    if cfg.target is not Target.AZURE or region not in limits.AZURE_WITHOUT_ZONES:
        return
    cite = limits.AZURE_REGIONS.cite
    redundant = []
    if cfg.environment is Environment.PROD and cfg.artifact_store.enabled:
        redundant.append("storage account (Standard_ZRS)")
    if cfg.environment is Environment.PROD and cfg.registry.enabled:
        redundant.append("container registry")
    if redundant:
        close = limits.close_regions("azure", region, frozenset(limits.AZURE_ZONAL))
        such = f" such as {', '.join(close)}" if close else ""
        yield ConfigIssue(
            "region",
            f"has no availability zones (per {cite}), but a prod stack makes its "
            f"{' and '.join(redundant)} zone-redundant, which Azure offers only in regions with "
            f"zones; use a region with zones{such}",
            region,
        )
    if cfg.mlflow.enabled and cfg.database_standby:
        yield ConfigIssue(
            "mlflow.database.highAvailability",
            f"asks for zone-redundant high availability, which {region} cannot give: it has no "
            f"availability zones (per {cite}); set mlflow.database.highAvailability: false, or "
            "use a region with zones",
            True,
        )


def _eks_zone_count(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """A created AWS network takes `zoneCount` zones EKS accepts (`AwsNetwork` leaves out the
    zones EKS refuses); fewer exist in us-west-1."""
    if cfg.target is not Target.AWS or cfg.network.existing is not None:
        return
    ids = limits.AWS_ZONE_IDS.get(cfg.region or "")
    if ids is None:
        # "Each Region has at least three Availability Zones" (AWS Availability Zones page),
        # zoneCount is at most 3, and the zones EKS refuses are all in the table's regions.
        return
    usable = [z for z in ids if z not in limits.EKS_REFUSED_ZONE_IDS]
    refused = [z for z in ids if z in limits.EKS_REFUSED_ZONE_IDS]
    count = cfg.network.zone_count
    if count > len(usable):
        yield ConfigIssue(
            "network.zoneCount",
            f"needs {count} availability zones, but EKS can use {len(usable)} in {cfg.region} "
            f"({', '.join(usable)}; it refuses {', '.join(refused)}, per "
            f"{limits.EKS_ZONES_GUIDE}); set network.zoneCount: {len(usable)}",
            count,
        )


def _gated_region(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """A region an account or subscription must be let into first."""
    region = cfg.region
    if cfg.target is Target.AWS and region in limits.AWS_OPT_IN_REGIONS:
        yield ConfigIssue(
            "region",
            f"is an opt-in region (per {limits.AWS_REGIONS_PAGE}): nothing can be created there "
            "until the account enables it; check with `aws account get-region-opt-status "
            f"--region-name {region}`, enable with `aws account enable-region --region-name "
            f"{region}`",
            region,
        )
    if cfg.target is Target.AZURE and region in limits.AZURE_RESTRICTED:
        yield ConfigIssue(
            "region",
            f"is a restricted region (per {limits.AZURE_REGIONS.cite}): a subscription deploys "
            "there only after Microsoft approves its access request (Azure region access "
            "request process)",
            region,
        )


# ---- the checks -----------------------------------------------------------------------------


def gpu_pool_errors(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """Each GPU pool whose shape a current table says its region or zone does not sell."""
    return (f.issue for f in _pool_findings(cfg, at) if f.error)


def gpu_pool_warnings(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """Each GPU pool whose shape could not be confirmed where it runs."""
    return (f.issue for f in _pool_findings(cfg, at) if not f.error)


def system_pool_errors(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """The system pool's instance type, where a current table says the region lacks it."""
    return (f.issue for f in _system_pool_findings(cfg, at) if f.error)


def system_pool_warnings(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """The system pool's instance type, where some zones or an old table lack it."""
    return (f.issue for f in _system_pool_findings(cfg, at) if not f.error)


ERRORS: tuple[Check, ...] = (
    _azure_without_zones,
    _eks_zone_count,
    system_pool_errors,
    gpu_pool_errors,
)
WARNINGS: tuple[Check, ...] = (_gated_region, system_pool_warnings, gpu_pool_warnings)
