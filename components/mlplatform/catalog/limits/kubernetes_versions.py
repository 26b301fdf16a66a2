"""Layer 1, data: the Kubernetes minor versions each managed service creates clusters on, as
dated windows (EKS standard and extended support, AKS GA and end of life with its Long Term
Support, GKE end of standard support and what each release channel offered), with the
source of every table and the day it was checked. `mlplatform.environment.preflight.versions`
judges `cluster.kubernetesVersion` against them on the day of the plan.

A table goes stale: Kubernetes ships a minor version about every four months
(https://kubernetes.io/releases/), so each provider adds a row and moves dates a table
cannot know. Past `STALE_AFTER` from its check, preflight warns that the table needs a
re-check (its `source` says where).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple


class Table(NamedTuple):
    """Where a version table was read and when."""

    service: str
    """The managed service, as messages name it."""
    source: str
    """The page (or copy of it) the rows were read from."""
    checked: date
    """The date of the source (its commit or `ms.date`), or the day it was read."""
    recheck: str
    """How to see today's versions, for a warning to suggest."""


STALE_AFTER = timedelta(days=180)
"""A table older than this on the day of the plan is re-checked before it is trusted (two
Kubernetes minor releases, https://kubernetes.io/releases/release/#the-release-cycle)."""
ENDS_SOON = timedelta(days=90)
"""A version whose support ends within this many days is warned about."""


# --- Amazon EKS --------------------------------------------------------------------------
# Policy (AWS, "Understand the Kubernetes version lifecycle on EKS",
# https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html, source
# awsdocs/amazon-eks-user-guide@8596db85 latest/ug/versioning/kubernetes-versions.adoc):
# "A minor version is under standard support in Amazon EKS for the first 14 months after it's
# released. Once a version is past the end of standard support date, it enters extended
# support for the next 12 months." "You can create new Amazon EKS clusters on any version
# offered in standard or extended support." "On the end of extended support date, you can no
# longer create new Amazon EKS clusters with the unsupported version." "Billing for extended
# support starts at the beginning of the day that the version reaches end of standard support,
# in the UTC+0 timezone."
# Rows: the release calendar of that page as endoflife.date records it automatically
# (endoflife-date/endoflife.date@de1074da products/amazon-eks.md, 2026-07-08: release_table
# https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html, "End of standard
# support" / "End of extended support"); rows 1.27 to 1.33 match the AWS page's own table at
# awsdocs/amazon-eks-user-guide@8596db85.


class EksVersion(NamedTuple):
    """One Kubernetes minor version on EKS."""

    minor: str
    released: date
    """First day clusters could be created on it."""
    end_of_standard: date
    """From this day the version is in extended support (billed extra)."""
    end_of_extended: date
    """From this day EKS creates no cluster on it."""


EKS = Table(
    "EKS",
    "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html "
    "(release calendar, as recorded by endoflife.date@de1074da)",
    date(2026, 7, 8),
    "aws eks describe-cluster-versions",
)
EKS_VERSIONS: tuple[EksVersion, ...] = (
    EksVersion("1.23", date(2022, 8, 11), date(2023, 10, 11), date(2024, 10, 11)),
    EksVersion("1.24", date(2022, 11, 15), date(2024, 1, 31), date(2025, 1, 31)),
    EksVersion("1.25", date(2023, 2, 21), date(2024, 5, 1), date(2025, 5, 1)),
    EksVersion("1.26", date(2023, 4, 11), date(2024, 6, 11), date(2025, 6, 11)),
    EksVersion("1.27", date(2023, 5, 24), date(2024, 7, 24), date(2025, 7, 24)),
    EksVersion("1.28", date(2023, 9, 26), date(2024, 11, 26), date(2025, 11, 26)),
    EksVersion("1.29", date(2024, 1, 23), date(2025, 3, 23), date(2026, 3, 23)),
    EksVersion("1.30", date(2024, 5, 23), date(2025, 7, 23), date(2026, 7, 23)),
    EksVersion("1.31", date(2024, 9, 26), date(2025, 11, 26), date(2026, 11, 26)),
    EksVersion("1.32", date(2025, 1, 23), date(2026, 3, 23), date(2027, 3, 23)),
    EksVersion("1.33", date(2025, 5, 29), date(2026, 7, 29), date(2027, 7, 29)),
    EksVersion("1.34", date(2025, 10, 6), date(2026, 12, 2), date(2027, 12, 2)),
    EksVersion("1.35", date(2026, 1, 28), date(2027, 3, 27), date(2028, 3, 27)),
    EksVersion("1.36", date(2026, 6, 2), date(2027, 8, 2), date(2028, 8, 2)),
)
EKS_STANDARD_USD_PER_HOUR = 0.10
EKS_EXTENDED_USD_PER_HOUR = 0.60
"""A cluster's hourly fee in standard and in extended support (AWS Containers blog, "Amazon
EKS extended support for Kubernetes versions pricing": "Amazon EKS clusters running on a
Kubernetes version in the extended support window will be charged a total of $0.60 per
cluster per hour, effective from the April 2024 billing cycle ... Pricing for clusters running
Kubernetes versions in standard support is unchanged — you will continue to pay $0.10 per
cluster per hour"; https://aws.amazon.com/blogs/containers/
amazon-eks-extended-support-for-kubernetes-versions-pricing/, read 2026-12-06; the same
figures as `cost/prices/aws.toml`)."""
EKS_UPGRADE_POLICY_SOURCE = (
    "https://docs.aws.amazon.com/eks/latest/userguide/disable-extended-support.html: "
    '"You can only disable extended support for clusters on standard support."'
)
"""Why a version in extended support does not fit the platform's EKS cluster, which is
created with extended support off (`upgrade_policy={"support_type": "STANDARD"}` in
`mlplatform.aws.cluster`)."""


# --- Azure AKS ---------------------------------------------------------------------------
# MicrosoftDocs/azure-aks-docs@f988e7e8 articles/aks/supported-kubernetes-versions.md
# (ms.date 08/05/2026; https://learn.microsoft.com/azure/aks/supported-kubernetes-versions):
# "AKS follows a 12-month support policy for generally available (GA) Kubernetes versions."
# "Unless an explicit date is provided, the End of Life (EOL) date is the last day of the
# specified month." Past end of life a version is in platform support (N-3), where "Cluster
# creation: Not supported" ("the creation of new clusters isn't possible during the platform
# support period"), unless the cluster has Long Term Support: "You need to enable long-term
# support (LTS) to get extended support", and articles/aks/long-term-support.md: "Enabling
# LTS requires moving your cluster to the Premium tier and explicitly selecting the LTS
# support plan" (--tier premium --k8s-support-plan AKSLongTermSupport). The platform's AKS
# cluster is Free or Standard tier with the default KubernetesOfficial plan
# (`mlplatform.azure.cluster`), so past end of life it cannot be created.
# GA rows are the month of the calendar's "AKS GA" column (its first day); the 1.37 row was a
# plan on the day of the source ("Oct 2026"), so `ga_confirmed` is False.


class AksVersion(NamedTuple):
    """One Kubernetes minor version on AKS."""

    minor: str
    ga: date
    """First day of the month the version became (or was planned to become) GA."""
    end_of_life: date
    """Last day of AKS community support; creation needs LTS after it."""
    lts_end_of_life: date
    """Last day of Long Term Support (Premium tier only)."""
    ga_confirmed: bool = True
    """False where the GA month was a plan when the table was checked."""


AKS = Table(
    "AKS",
    "https://learn.microsoft.com/azure/aks/supported-kubernetes-versions (AKS Kubernetes "
    "release calendar and LTS versions, MicrosoftDocs/azure-aks-docs@f988e7e8)",
    date(2026, 8, 5),
    "az aks get-versions --location <region>",
)
AKS_VERSIONS: tuple[AksVersion, ...] = (
    AksVersion("1.29", date(2024, 3, 1), date(2025, 3, 31), date(2026, 4, 30)),
    AksVersion("1.30", date(2024, 7, 1), date(2025, 8, 22), date(2026, 7, 31)),
    AksVersion("1.31", date(2024, 11, 1), date(2025, 11, 1), date(2026, 11, 30)),
    AksVersion("1.32", date(2025, 4, 1), date(2026, 3, 31), date(2027, 3, 31)),
    AksVersion("1.33", date(2025, 6, 1), date(2026, 7, 31), date(2027, 7, 31)),
    AksVersion("1.34", date(2025, 11, 1), date(2026, 11, 30), date(2027, 11, 30)),
    AksVersion("1.35", date(2026, 3, 1), date(2027, 3, 31), date(2028, 3, 31)),
    AksVersion("1.36", date(2026, 6, 1), date(2027, 6, 30), date(2028, 6, 30)),
    AksVersion("1.37", date(2026, 10, 1), date(2027, 10, 31), date(2028, 10, 31), False),
)


# --- Google GKE --------------------------------------------------------------------------
# Policy ("GKE versioning and support", https://cloud.google.com/kubernetes-engine/versioning):
# "After Kubernetes releases a new minor version, GKE first introduces the minor version in the
# Rapid channel ... GKE promotes the new minor version to the Regular channel. GKE provides up
# to a total of 24 months of support ... around 14 months of standard support and
# approximately an additional 10 months of extended support available with the Extended
# channel." Past its end of standard support a minor is offered only in the Extended channel,
# which the spec does not offer (cluster.releaseChannel is rapid, regular or stable).
# End of standard support per minor: endoflife-date/endoflife.date@ca0c1414
# products/google-kubernetes-engine.md (2026-08-21; "eol = End of standard support" from
# https://cloud.google.com/kubernetes-engine/docs/release-schedule, whose dates are
# "best-effort predictions").


class GkeVersion(NamedTuple):
    """One Kubernetes minor version on GKE."""

    minor: str
    end_of_standard: date | None
    """From this day no Rapid, Regular or Stable cluster is created on it; None where the
    table has no date yet."""


GKE = Table(
    "GKE",
    "https://cloud.google.com/kubernetes-engine/docs/release-schedule (end of standard "
    "support, as recorded by endoflife.date@ca0c1414) and "
    "https://cloud.google.com/kubernetes-engine/docs/release-notes (current versions)",
    date(2026, 8, 26),
    "gcloud container get-server-config --region <region> --flatten=channels",
)
GKE_VERSIONS: tuple[GkeVersion, ...] = (
    GkeVersion("1.27", date(2024, 10, 1)),
    GkeVersion("1.28", date(2025, 2, 4)),
    GkeVersion("1.29", date(2025, 4, 12)),
    GkeVersion("1.30", date(2025, 9, 30)),
    GkeVersion("1.31", date(2026, 1, 16)),
    GkeVersion("1.32", date(2026, 4, 11)),
    GkeVersion("1.33", date(2026, 8, 3)),
    GkeVersion("1.34", date(2026, 10, 1)),
    GkeVersion("1.35", date(2027, 4, 11)),
    GkeVersion("1.36", date(2027, 8, 9)),
    GkeVersion("1.37", None),
)
GKE_CHANNELS: dict[str, tuple[str, ...]] = {
    "rapid": ("1.34", "1.35", "1.36", "1.37"),
    "regular": ("1.34", "1.35", "1.36"),
    "stable": ("1.34", "1.35"),
}
"""The minors each release channel offered for new clusters ("Available minor versions | 1.34
to 1.37 | 1.34 to 1.36 | 1.34 to 1.35 | 1.31 to 1.36 (Extended)", GKE release notes, current
versions table, https://docs.cloud.google.com/kubernetes-engine/docs/release-notes, undated
copy). That copy lists 1.37 in Rapid, so it is no older than 2026-08-26, when upstream
Kubernetes released 1.37.0 (https://kubernetes.io/releases/1.37/): `GKE.checked` is that
earliest possible day. A minor leaves every channel at its end of standard support; a channel
gains newer minors later, which this copy cannot show."""
