"""Preflight of `cluster.kubernetesVersion`: the dated support window of each managed service
(`mlplatform.catalog.limits.kubernetes_versions`), judged on the day given.

Sources (each test names the one it relies on):
- EKS: "Understand the Kubernetes version lifecycle on EKS" and its release calendar
  (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html, as recorded by
  endoflife.date@de1074da, 2026-07-08); extended support pricing (AWS Containers blog, $0.60
  instead of $0.10 per cluster hour); "Disable EKS extended support" (only for clusters on
  standard support).
- AKS: "Supported Kubernetes versions in AKS" (MicrosoftDocs/azure-aks-docs@f988e7e8, ms.date
  2026-08-05): release calendar, LTS calendar, no cluster creation in platform support.
- GKE: release schedule (end of standard support, endoflife.date@ca0c1414, 2026-08-21) and the
  release notes' current versions per channel (a copy no older than 2026-08-26).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from mlplatform.environment import ConfigError, ConfigIssue, parse, preflight
from mlplatform.environment.preflight import Preflight, versions
from tests.unit.preflight.specs import AWS, AZURE, GCP, LOCAL, TODAY, found, spec

PATH = "cluster.kubernetesVersion"


def versioned(base: dict[str, Any], version: str, **cluster: Any) -> dict[str, Any]:
    return {**base, "cluster": {"kubernetesVersion": version, **cluster}}


def errors(values: dict[str, Any], today: date = TODAY.today) -> list[ConfigIssue]:
    return found(versions.ERRORS, values, Preflight(today))


def warnings(values: dict[str, Any], today: date = TODAY.today) -> list[ConfigIssue]:
    return found(versions.WARNINGS, values, Preflight(today))


# --- EKS -----------------------------------------------------------------------------------


def test_eks_refuses_a_version_past_extended_support() -> None:
    """EKS calendar: 1.31's extended support ended 2026-11-26; "On the end of extended support
    date, you can no longer create new Amazon EKS clusters with the unsupported version"."""
    assert errors(versioned(AWS, "1.31")) == [
        ConfigIssue(
            PATH,
            "is past the end of EKS extended support (2026-11-26, per the EKS release calendar "
            "checked 2026-07-08), so EKS creates no cluster on it; choose one of 1.35, 1.36",
            "1.31",
        )
    ]


def test_eks_takes_a_version_in_standard_support() -> None:
    """EKS calendar: 1.36 is in standard support from 2026-06-02 to 2027-08-02."""
    values = versioned(AWS, "1.36")
    assert (errors(values), warnings(values)) == ([], [])


def test_eks_refuses_a_version_older_than_its_calendar() -> None:
    """EKS calendar: its oldest row, 1.23, left extended support on 2024-10-11; an older minor
    ended before it."""
    assert errors(versioned(AWS, "1.22")) == [
        ConfigIssue(
            PATH,
            "is older than every version on the EKS release calendar (its oldest, 1.23, left "
            "extended support on 2024-10-11, per the calendar checked 2026-07-08), so EKS "
            "creates no cluster on it; choose one of 1.35, 1.36",
            "1.22",
        )
    ]


def test_eks_refuses_a_version_before_its_release() -> None:
    """EKS calendar: 1.36 was released on EKS on 2026-06-02."""
    assert errors(versioned(AWS, "1.36"), date(2026, 5, 1)) == [
        ConfigIssue(
            PATH,
            "is not released on EKS until 2026-06-02 (per the EKS release calendar checked "
            "2026-07-08); choose one of 1.33, 1.34, 1.35",
            "1.36",
        )
    ]
    assert errors(versioned(AWS, "1.36"), date(2026, 6, 2)) == []


def test_eks_warns_of_extended_support_cost_and_the_platforms_upgrade_policy() -> None:
    """EKS calendar: 1.34 left standard support on 2026-12-02 (extended until 2027-12-02).
    AWS pricing: $0.60 instead of $0.10 per cluster hour in extended support. "Disable EKS
    extended support": only for clusters on standard support, and the platform's cluster has
    it off (upgradePolicy STANDARD)."""
    values = versioned(AWS, "1.34")
    assert errors(values) == []
    assert warnings(values) == [
        ConfigIssue(
            PATH,
            "is in EKS extended support since 2026-12-02 (until 2027-12-02, per the EKS release "
            "calendar checked 2026-07-08): a cluster on it is billed $0.60 instead of $0.10 per "
            "cluster hour (AWS EKS extended support pricing), and the platform creates its EKS "
            "cluster with extended support off (upgradePolicy STANDARD), which EKS allows only "
            "on a version in standard support, so the cluster may be refused or upgraded at "
            "once; choose one of 1.35, 1.36",
            "1.34",
        )
    ]


def test_eks_warns_within_90_days_of_the_end_of_standard_support() -> None:
    """EKS calendar: 1.35 leaves standard support on 2027-03-27; with extended support off,
    EKS "will automatically upgrade your cluster to the next version at the end of standard
    support" (view-upgrade-policy)."""
    values = versioned(AWS, "1.35")
    assert warnings(values, date(2027, 1, 2)) == [
        ConfigIssue(
            PATH,
            "leaves EKS standard support on 2027-03-27, in 84 days (per the EKS release "
            "calendar checked 2026-07-08), and the platform's EKS cluster has extended support "
            "off (upgradePolicy STANDARD), so EKS then upgrades its control plane on its own; "
            "plan the upgrade to 1.36",
            "1.35",
        )
    ]
    assert warnings(values, date(2026, 12, 26)) == []


def test_eks_warns_of_a_version_its_calendar_does_not_know() -> None:
    """EKS calendar (checked 2026-07-08): its newest row is 1.36."""
    assert warnings(versioned(AWS, "1.37")) == [
        ConfigIssue(
            PATH,
            "is not on the EKS release calendar of this release (newest 1.36, checked "
            "2026-07-08), so its support window could not be checked: confirm EKS offers it "
            "(aws eks describe-cluster-versions) or choose one of 1.35, 1.36",
            "1.37",
        )
    ]


def test_a_stale_table_is_a_warning_past_180_days() -> None:
    """EKS calendar checked 2026-07-08: Kubernetes ships a minor about every four months, so
    after 180 days the table is re-checked before it is trusted."""
    values = versioned(AWS, "1.36")
    assert warnings(values, date(2027, 1, 4)) == []
    assert warnings(values, date(2027, 1, 5)) == [
        ConfigIssue(
            PATH,
            "was judged against the EKS release calendar checked on 2026-07-08, 181 days "
            "before 2027-01-05 (tables are re-checked within 180 days): confirm its window "
            "(aws eks describe-cluster-versions; https://docs.aws.amazon.com/eks/latest/"
            "userguide/kubernetes-versions.html (release calendar, as recorded by "
            "endoflife.date@de1074da)) and update mlplatform.catalog.limits.kubernetes_versions",
            "1.36",
        )
    ]


# --- AKS -----------------------------------------------------------------------------------


def test_aks_refuses_a_version_past_end_of_life_without_lts() -> None:
    """AKS calendar: 1.34's end of life is Nov 2026 (the last day of the month); past it only
    LTS (Premium tier, AKSLongTermSupport) creates clusters, and the platform's AKS cluster is
    Free or Standard tier."""
    assert errors(versioned(AZURE, "1.34")) == [
        ConfigIssue(
            PATH,
            "is past its AKS end of life (2026-11-30, per the AKS release calendar checked "
            "2026-08-05): AKS creates a cluster on it only with Long Term Support (until "
            "2027-11-30), which needs the Premium tier and the AKSLongTermSupport plan the "
            "platform does not set; choose one of 1.35, 1.36",
            "1.34",
        )
    ]


def test_aks_takes_a_ga_version_before_its_end_of_life() -> None:
    """AKS calendar: 1.36 GA Jun 2026, end of life Jun 2027."""
    values = versioned(AZURE, "1.36")
    assert (errors(values), warnings(values)) == ([], [])


def test_aks_refuses_a_version_past_its_lts_too() -> None:
    """AKS LTS calendar: 1.30 left community support on 2025-08-22 and LTS in Jul 2026."""
    assert errors(versioned(AZURE, "1.30")) == [
        ConfigIssue(
            PATH,
            "is past its AKS end of life (2025-08-22) and its Long Term Support (2026-07-31), "
            "per the AKS release calendar checked 2026-08-05, so AKS creates no cluster on it; "
            "choose one of 1.35, 1.36",
            "1.30",
        )
    ]


def test_aks_refuses_a_version_older_than_its_calendar() -> None:
    """AKS LTS calendar: its oldest row, 1.29, left LTS in Apr 2026."""
    assert errors(versioned(AZURE, "1.28")) == [
        ConfigIssue(
            PATH,
            "is older than every version on the AKS release calendar (its oldest, 1.29, left "
            "Long Term Support on 2026-04-30, per the calendar checked 2026-08-05), so AKS "
            "creates no cluster on it; choose one of 1.35, 1.36",
            "1.28",
        )
    ]


def test_aks_warns_before_ga() -> None:
    """AKS calendar: 1.36 AKS preview May 2026, GA Jun 2026."""
    assert warnings(versioned(AZURE, "1.36"), date(2026, 5, 15)) == [
        ConfigIssue(
            PATH,
            "is not GA on AKS until June 2026 (per the AKS release calendar checked "
            "2026-08-05); until then it is a preview without support: choose one of 1.33, "
            "1.34, 1.35",
            "1.36",
        )
    ]


def test_aks_warns_of_a_ga_that_was_only_planned() -> None:
    """AKS calendar (2026-08-05): 1.37 GA "Oct 2026", a plan on that day."""
    assert warnings(versioned(AZURE, "1.37")) == [
        ConfigIssue(
            PATH,
            "was planned to become GA on AKS in October 2026 when the AKS release calendar was "
            "checked (2026-08-05): confirm AKS offers it (az aks get-versions --location "
            "westeurope) or choose one of 1.35, 1.36",
            "1.37",
        )
    ]


def test_aks_warns_within_90_days_of_end_of_life() -> None:
    """AKS calendar: 1.35's end of life is Mar 2027 (2027-03-31)."""
    values = versioned(AZURE, "1.35")
    assert warnings(values, date(2027, 1, 10)) == [
        ConfigIssue(
            PATH,
            "reaches its AKS end of life on 2027-03-31, in 80 days (per the AKS release "
            "calendar checked 2026-08-05); after it AKS keeps a cluster on it supported only "
            "with Long Term Support (Premium tier), which the platform does not set: plan the "
            "upgrade to 1.36",
            "1.35",
        )
    ]
    assert warnings(values, date(2026, 12, 30)) == []


def test_aks_warns_of_a_version_its_calendar_does_not_know() -> None:
    """AKS calendar (2026-08-05): its newest row is 1.37."""
    assert warnings(versioned(AZURE, "1.38")) == [
        ConfigIssue(
            PATH,
            "is not on the AKS release calendar of this release (newest 1.37, checked "
            "2026-08-05), so its support window could not be checked: confirm AKS offers it "
            "(az aks get-versions --location westeurope) or choose one of 1.35, 1.36",
            "1.38",
        )
    ]


# --- GKE -----------------------------------------------------------------------------------


def test_gke_refuses_a_version_past_standard_support() -> None:
    """GKE release schedule: 1.34's standard support ended 2026-10-01; after it only the
    Extended channel offers it, which the spec does not."""
    assert errors(versioned(GCP, "1.34")) == [
        ConfigIssue(
            PATH,
            "is past the end of GKE standard support (2026-10-01, per the GKE release schedule "
            "checked 2026-08-26): only the Extended channel offers it, and "
            "cluster.releaseChannel is regular; choose one of 1.35, 1.36",
            "1.34",
        )
    ]


def test_gke_takes_a_version_its_channel_offers() -> None:
    """GKE current versions: the Regular channel offers 1.34 to 1.36; 1.36's standard support
    runs to 2027-08-09."""
    values = versioned(GCP, "1.36")
    assert (errors(values), warnings(values)) == ([], [])


def test_gke_refuses_a_version_older_than_its_schedule() -> None:
    """GKE release schedule: its oldest row, 1.27, left standard support on 2024-10-01."""
    assert errors(versioned(GCP, "1.26")) == [
        ConfigIssue(
            PATH,
            "is older than every version on the GKE release schedule (its oldest, 1.27, left "
            "standard support on 2024-10-01, per the schedule checked 2026-08-26), so no rapid, "
            "regular or stable cluster is created on it; choose one of 1.35, 1.36",
            "1.26",
        )
    ]


def test_gke_refuses_a_version_its_channel_does_not_offer_yet() -> None:
    """GKE current versions (2026-08-26): Stable offers 1.34 to 1.35, Rapid 1.34 to 1.37."""
    values = versioned(GCP, "1.36", releaseChannel="stable")
    assert errors(values, date(2026, 8, 26)) == [
        ConfigIssue(
            PATH,
            "is not offered in the GKE stable channel (it offers 1.34 to 1.35, per the GKE "
            "release notes checked 2026-08-26); choose one of 1.34, 1.35, or set "
            "cluster.releaseChannel: rapid",
            "1.36",
        )
    ]
    assert errors(versioned(GCP, "1.36", releaseChannel="rapid"), date(2026, 8, 26)) == []


def test_gke_warns_when_the_channel_may_have_gained_the_version_since() -> None:
    """GKE current versions (2026-08-26): Stable offered 1.34 to 1.35; a channel gains newer
    minors later, which that copy cannot show."""
    values = versioned(GCP, "1.36", releaseChannel="stable")
    assert errors(values) == []
    assert warnings(values) == [
        ConfigIssue(
            PATH,
            "was not offered in the GKE stable channel when its versions were checked "
            "(2026-08-26: 1.34 to 1.35), and GKE creates no cluster on a version its channel "
            "does not offer: confirm with gcloud container get-server-config --region "
            "us-central1 --flatten=channels, or choose 1.35, or set cluster.releaseChannel: "
            "rapid",
            "1.36",
        )
    ]


def test_gke_warns_within_90_days_of_the_end_of_standard_support() -> None:
    """GKE release schedule: 1.35's standard support ends 2027-04-11, after which GKE upgrades
    the cluster's minor version automatically."""
    values = versioned(GCP, "1.35")
    assert warnings(values, date(2027, 2, 1)) == [
        ConfigIssue(
            PATH,
            "leaves GKE standard support on 2027-04-11, in 69 days (per the GKE release "
            "schedule checked 2026-08-26); GKE then upgrades the cluster to a newer minor "
            "version on its own: plan the upgrade to 1.36",
            "1.35",
        )
    ]
    assert warnings(values, date(2027, 1, 10)) == []


def test_gke_warns_of_a_version_its_schedule_does_not_know() -> None:
    """GKE release schedule (2026-08-26): its newest row is 1.37 (in Rapid only)."""
    assert warnings(versioned(GCP, "1.38", releaseChannel="rapid")) == [
        ConfigIssue(
            PATH,
            "is not on the GKE release schedule of this release (newest 1.37, checked "
            "2026-08-26), so its support window could not be checked: confirm GKE offers it "
            "(gcloud container get-server-config --region us-central1 --flatten=channels) or "
            "choose one of 1.35, 1.36, 1.37",
            "1.38",
        )
    ]


# --- anywhere ------------------------------------------------------------------------------


def test_an_existing_cluster_is_not_judged() -> None:
    """The kubernetes target creates no cluster: its version is the cluster's own."""
    values = versioned(LOCAL, "1.20")
    assert (errors(values), warnings(values)) == ([], [])


@pytest.mark.parametrize(
    ("base", "version", "expected"),
    [
        (
            AWS,
            "1.23",
            "cluster.kubernetesVersion: '1.23' is past the end of EKS extended support "
            "(2024-10-11, per the EKS release calendar checked 2026-07-08), so EKS creates no "
            "cluster on it; choose one of ",
        ),
        (
            GCP,
            "1.27",
            "cluster.kubernetesVersion: '1.27' is past the end of GKE standard support "
            "(2024-10-01, per the GKE release schedule checked 2026-08-26): only the Extended "
            "channel offers it",
        ),
    ],
)
def test_the_spec_refuses_an_ended_version(
    base: dict[str, Any], version: str, expected: str
) -> None:
    """EKS calendar and GKE release schedule: both versions ended long before any plan, so the
    verdict holds on whatever day the spec is read (`parse` judges on today)."""
    with pytest.raises(ConfigError) as caught:
        parse(versioned(base, version))
    reported = [str(issue) for issue in caught.value.issues]
    assert any(issue.startswith(expected) for issue in reported), reported


def test_preflight_errors_include_the_versions() -> None:
    """AKS calendar: 1.34 past end of life on 2026-12-06."""
    values = versioned(AZURE, "1.34")
    assert preflight.errors(spec(values), TODAY) == errors(values)
