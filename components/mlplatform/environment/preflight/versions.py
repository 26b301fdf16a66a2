"""Layer 2.1, the environment spec: preflight of `cluster.kubernetesVersion` against the
support window of the managed service that creates the cluster (EKS, AKS, GKE), from the
dated tables in `mlplatform.catalog.limits.kubernetes_versions`, judged on `at.today`.

Errors: a version the service creates no cluster on that day (EKS: not yet released or past
extended support; AKS: past end of life, since the platform's cluster has no Long Term
Support; GKE: past standard support, or not offered in `cluster.releaseChannel` on a day the
channel table is current). Warnings: a version that works but costs extra or ends within
`ENDS_SOON` (EKS extended support; AKS preview or an unconfirmed GA), one the table does not
know, a GKE channel that may have gained the version since the table was read, and a table
past `STALE_AFTER`. The kubernetes target creates no cluster, so nothing is judged there.

Beside this window, `rules._kubernetes_version` keeps an EKS version to the ones this release
pins add-ons for.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import NamedTuple

from mlplatform.catalog.limits import kubernetes_versions as kv
from mlplatform.environment.errors import ConfigIssue
from mlplatform.environment.model import PlatformConfig, Target
from mlplatform.environment.preflight.context import Check, Preflight

AT = "cluster.kubernetesVersion"
TABLE_MODULE = "mlplatform.catalog.limits.kubernetes_versions"


def _minor(version: str) -> tuple[int, ...]:
    """ "1.36" as (1, 36), for ordering."""
    return tuple(int(part) for part in version.split("."))


def _choices(versions: Sequence[str], table: kv.Table, region: str | None) -> str:
    """The fix that names `versions`, or where to look when the table knows none."""
    if not versions:
        return f"choose a version {_recheck(table, region)} lists (the table knows none today)"
    if len(versions) == 1:
        return f"choose {versions[0]}"
    return f"choose one of {', '.join(versions)}"


def _recheck(table: kv.Table, region: str | None) -> str:
    return table.recheck.replace("<region>", region or "<region>")


def _days(until: date, today: date) -> int:
    return (until - today).days


def _ends_soon(until: date, today: date) -> bool:
    return today < until and until - today <= kv.ENDS_SOON


def _newer(versions: Sequence[str], version: str) -> list[str]:
    return [v for v in versions if _minor(v) > _minor(version)]


# --- EKS -----------------------------------------------------------------------------------


def _eks_standard(today: date) -> list[str]:
    return [v.minor for v in kv.EKS_VERSIONS if v.released <= today < v.end_of_standard]


def _eks_errors(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    version, region = cfg.cluster.kubernetes_version, cfg.region
    rows = {v.minor: v for v in kv.EKS_VERSIONS}
    today, checked = at.today, kv.EKS.checked
    fix = _choices([v for v in _eks_standard(today) if v != version], kv.EKS, region)
    oldest = kv.EKS_VERSIONS[0]
    row = rows.get(version)
    if row is None and _minor(version) < _minor(oldest.minor):
        left = f"extended support on {oldest.end_of_extended}"
        refused = "EKS creates no cluster on it"
        yield _older_than_table(version, kv.EKS, oldest.minor, left, refused, fix)
    elif row is not None and today < row.released:
        yield ConfigIssue(
            AT,
            f"is not released on EKS until {row.released} (per the EKS release calendar "
            f"checked {checked}); {fix}",
            version,
        )
    elif row is not None and today >= row.end_of_extended:
        yield ConfigIssue(
            AT,
            f"is past the end of EKS extended support ({row.end_of_extended}, per the EKS "
            f"release calendar checked {checked}), so EKS creates no cluster on it; {fix}",
            version,
        )


def _eks_warnings(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    version, region = cfg.cluster.kubernetes_version, cfg.region
    row = next((v for v in kv.EKS_VERSIONS if v.minor == version), None)
    today, checked = at.today, kv.EKS.checked
    standard = _eks_standard(today)
    if row is None:
        yield from _unlisted(version, kv.EKS, kv.EKS_VERSIONS[-1].minor, standard, region)
        return
    if row.end_of_standard <= today < row.end_of_extended:
        yield ConfigIssue(
            AT,
            f"is in EKS extended support since {row.end_of_standard} (until "
            f"{row.end_of_extended}, per the EKS release calendar checked {checked}): a "
            f"cluster on it is billed ${kv.EKS_EXTENDED_USD_PER_HOUR:.2f} instead of "
            f"${kv.EKS_STANDARD_USD_PER_HOUR:.2f} per cluster hour (AWS EKS extended support "
            "pricing), and the platform creates its EKS cluster with extended support off "
            "(upgradePolicy STANDARD), which EKS allows only on a version in standard support, "
            f"so the cluster may be refused or upgraded at once; "
            f"{_choices(standard, kv.EKS, region)}",
            version,
        )
    elif row.released <= today and _ends_soon(row.end_of_standard, today):
        yield ConfigIssue(
            AT,
            f"leaves EKS standard support on {row.end_of_standard}, in "
            f"{_days(row.end_of_standard, today)} days (per the EKS release calendar checked "
            f"{checked}), and the platform's EKS cluster has extended support off "
            "(upgradePolicy STANDARD), so EKS then upgrades its control plane on its own; "
            f"{_upgrade_to(_newer(standard, version))}",
            version,
        )


# --- AKS -----------------------------------------------------------------------------------


def _aks_usable(today: date) -> list[str]:
    return [v.minor for v in kv.AKS_VERSIONS if v.ga_confirmed and v.ga <= today <= v.end_of_life]


def _aks_errors(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    version, region = cfg.cluster.kubernetes_version, cfg.region
    row = next((v for v in kv.AKS_VERSIONS if v.minor == version), None)
    today, checked = at.today, kv.AKS.checked
    fix = _choices([v for v in _aks_usable(today) if v != version], kv.AKS, region)
    oldest = kv.AKS_VERSIONS[0]
    if row is None and _minor(version) < _minor(oldest.minor):
        left = f"Long Term Support on {oldest.lts_end_of_life}"
        refused = "AKS creates no cluster on it"
        yield _older_than_table(version, kv.AKS, oldest.minor, left, refused, fix)
    elif row is not None and today > row.lts_end_of_life:
        yield ConfigIssue(
            AT,
            f"is past its AKS end of life ({row.end_of_life}) and its Long Term Support "
            f"({row.lts_end_of_life}), per the AKS release calendar checked {checked}, so AKS "
            f"creates no cluster on it; {fix}",
            version,
        )
    elif row is not None and today > row.end_of_life:
        yield ConfigIssue(
            AT,
            f"is past its AKS end of life ({row.end_of_life}, per the AKS release calendar "
            f"checked {checked}): AKS creates a cluster on it only with Long Term Support (until "
            f"{row.lts_end_of_life}), which needs the Premium tier and the AKSLongTermSupport "
            f"plan the platform does not set; {fix}",
            version,
        )


def _aks_warnings(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    version, region = cfg.cluster.kubernetes_version, cfg.region
    row = next((v for v in kv.AKS_VERSIONS if v.minor == version), None)
    today, checked = at.today, kv.AKS.checked
    usable = [v for v in _aks_usable(today) if v != version]
    if row is None:
        yield from _unlisted(version, kv.AKS, kv.AKS_VERSIONS[-1].minor, usable, region)
        return
    if today < row.ga:
        yield ConfigIssue(
            AT,
            f"is not GA on AKS until {row.ga:%B %Y} (per the AKS release calendar checked "
            f"{checked}); until then it is a preview without support: "
            f"{_choices(usable, kv.AKS, region)}",
            version,
        )
    elif not row.ga_confirmed:
        yield ConfigIssue(
            AT,
            f"was planned to become GA on AKS in {row.ga:%B %Y} when the AKS release calendar "
            f"was checked ({checked}): confirm AKS offers it ({_recheck(kv.AKS, region)}) or "
            f"{_choices(usable, kv.AKS, region)}",
            version,
        )
    if row.ga <= today <= row.end_of_life and row.end_of_life - today <= kv.ENDS_SOON:
        yield ConfigIssue(
            AT,
            f"reaches its AKS end of life on {row.end_of_life}, in "
            f"{_days(row.end_of_life, today)} days (per the AKS release calendar checked "
            f"{checked}); after it AKS keeps a cluster on it supported only with Long Term "
            "Support (Premium tier), which the platform does not set: "
            f"{_upgrade_to(_newer(usable, version))}",
            version,
        )


# --- GKE -----------------------------------------------------------------------------------


def _gke_offered(channel: str, today: date) -> list[str]:
    """The minors `channel` offered in the table that have not left standard support."""
    ends = {v.minor: v.end_of_standard for v in kv.GKE_VERSIONS}
    return [
        minor
        for minor in kv.GKE_CHANNELS[channel]
        if (end := ends.get(minor)) is None or today < end
    ]


def _gke_errors(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    version, channel, region = (
        cfg.cluster.kubernetes_version,
        cfg.cluster.release_channel,
        cfg.region,
    )
    row = next((v for v in kv.GKE_VERSIONS if v.minor == version), None)
    today, checked = at.today, kv.GKE.checked
    offered = [v for v in _gke_offered(channel, today) if v != version]
    fix = _choices(offered, kv.GKE, region)
    oldest = kv.GKE_VERSIONS[0]
    if row is None and _minor(version) < _minor(oldest.minor):
        left = f"standard support on {oldest.end_of_standard}"
        refused = "no rapid, regular or stable cluster is created on it"
        yield _older_than_table(version, kv.GKE, oldest.minor, left, refused, fix)
    elif row is not None and row.end_of_standard is not None and today >= row.end_of_standard:
        yield ConfigIssue(
            AT,
            f"is past the end of GKE standard support ({row.end_of_standard}, per the GKE "
            f"release schedule checked {checked}): only the Extended channel offers it, and "
            f"cluster.releaseChannel is {channel}; {fix}",
            version,
        )
    elif row is not None and version not in kv.GKE_CHANNELS[channel] and today <= checked:
        yield ConfigIssue(
            AT,
            f"is not offered in the GKE {channel} channel (it offers "
            f"{_span(kv.GKE_CHANNELS[channel])}, per the GKE release notes checked {checked}); "
            f"{fix}{_rapid(version, channel)}",
            version,
        )


def _gke_warnings(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    version, channel, region = (
        cfg.cluster.kubernetes_version,
        cfg.cluster.release_channel,
        cfg.region,
    )
    row = next((v for v in kv.GKE_VERSIONS if v.minor == version), None)
    today, checked = at.today, kv.GKE.checked
    offered = [v for v in _gke_offered(channel, today) if v != version]
    if row is None:
        yield from _unlisted(version, kv.GKE, kv.GKE_VERSIONS[-1].minor, offered, region)
        return
    end = row.end_of_standard
    if end is not None and today >= end:
        return
    if version not in kv.GKE_CHANNELS[channel] and today > checked:
        yield ConfigIssue(
            AT,
            f"was not offered in the GKE {channel} channel when its versions were checked "
            f"({checked}: {_span(kv.GKE_CHANNELS[channel])}), and GKE creates no cluster on a "
            f"version its channel does not offer: confirm with {_recheck(kv.GKE, region)}, or "
            f"{_choices(offered, kv.GKE, region)}{_rapid(version, channel)}",
            version,
        )
    if end is not None and _ends_soon(end, today):
        yield ConfigIssue(
            AT,
            f"leaves GKE standard support on {end}, in {_days(end, today)} days (per the GKE "
            f"release schedule checked {checked}); GKE then upgrades the cluster to a newer "
            f"minor version on its own: {_upgrade_to(_newer(offered, version))}",
            version,
        )


def _span(minors: Sequence[str]) -> str:
    return f"{minors[0]} to {minors[-1]}"


def _rapid(version: str, channel: str) -> str:
    """The other fix where the Rapid channel offered the version."""
    if channel != "rapid" and version in kv.GKE_CHANNELS["rapid"]:
        return ", or set cluster.releaseChannel: rapid"
    return ""


# --- any service ---------------------------------------------------------------------------


def _upgrade_to(newer: Sequence[str]) -> str:
    if not newer:
        return "plan the upgrade"
    return f"plan the upgrade to {' or '.join(newer)}"


def _kind(table: kv.Table) -> str:
    """What the service calls its table of versions."""
    return "schedule" if table is kv.GKE else "calendar"


def _older_than_table(
    version: str, table: kv.Table, oldest: str, left: str, refused: str, fix: str
) -> ConfigIssue:
    """A version older than every one of `table`, whose `oldest` minor `left` its last support
    on a day, so the service creates no cluster on it (`refused` says how)."""
    kind = _kind(table)
    return ConfigIssue(
        AT,
        f"is older than every version on the {table.service} release {kind} (its oldest, "
        f"{oldest}, left {left}, per the {kind} checked {table.checked}), so {refused}; {fix}",
        version,
    )


def _unlisted(
    version: str, table: kv.Table, newest: str, choices: Sequence[str], region: str | None
) -> Iterator[ConfigIssue]:
    """A version newer than the table's `newest`, whose window could not be checked."""
    if _minor(version) <= _minor(newest):
        return
    yield ConfigIssue(
        AT,
        f"is not on the {table.service} release {_kind(table)} of this release (newest {newest}, "
        f"checked {table.checked}), so its support window could not be checked: confirm "
        f"{table.service} offers it ({_recheck(table, region)}) or "
        f"{_choices(choices, table, region)}",
        version,
    )


class Service(NamedTuple):
    """A cloud target's managed service: its version table and its checks of the version."""

    table: kv.Table
    errors: Check
    """A version the service creates no cluster on, on `at.today`."""
    warnings: Check
    """A version that works but costs extra, ends soon, or could not be judged."""


SERVICES: dict[Target, Service] = {
    Target.AWS: Service(kv.EKS, _eks_errors, _eks_warnings),
    Target.AZURE: Service(kv.AKS, _aks_errors, _aks_warnings),
    Target.GCP: Service(kv.GKE, _gke_errors, _gke_warnings),
}
"""The managed service of each cloud target (the kubernetes target has none)."""


def _unusable(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """A version the target's managed service creates no cluster on, on `at.today`."""
    if (service := SERVICES.get(cfg.target)) is not None:
        yield from service.errors(cfg, at)


def _costly_or_ending(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """A version that works but costs extra, ends soon, or could not be judged."""
    if (service := SERVICES.get(cfg.target)) is not None:
        yield from service.warnings(cfg, at)


def _stale(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """The target's table is older than `STALE_AFTER` on `at.today`."""
    service = SERVICES.get(cfg.target)
    if service is None or at.today - service.table.checked <= kv.STALE_AFTER:
        return
    table, kind = service.table, _kind(service.table)
    yield ConfigIssue(
        AT,
        f"was judged against the {table.service} release {kind} checked on {table.checked}, "
        f"{(at.today - table.checked).days} days before {at.today} (tables are re-checked "
        f"within {kv.STALE_AFTER.days} days): confirm its window ({_recheck(table, cfg.region)}; "
        f"{table.source}) and update {TABLE_MODULE}",
        cfg.cluster.kubernetes_version,
    )


ERRORS: tuple[Check, ...] = (_unusable,)
WARNINGS: tuple[Check, ...] = (_costly_or_ending, _stale)
