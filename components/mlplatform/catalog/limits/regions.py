"""Layer 1, data: the regions each cloud has, their zones, and what a region lacks (Azure
regions without availability zones, AWS zones EKS refuses), each with its public source and
date. `mlplatform.environment.rules` refuses a region or zone the cloud does not have;
`mlplatform.environment.preflight.regions` judges what a stack puts in a region against them.

`close_regions` suggests the regions a mistyped name was meant to be.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import NamedTuple


class RegionList(NamedTuple):
    """The regions of one cloud, as one dated source lists them."""

    regions: frozenset[str]
    """The region names the cloud's API takes."""
    source: str
    """Where the list was read: URL, or owner/repo@commit path."""
    cite: str
    """The source and its date, short, as an error message cites it."""
    as_of: date
    """The source's date (the file's or commit's), or the day it was read."""


# ---- AWS ------------------------------------------------------------------------------------
# botocore 1.44.18 (PyPI, the newest release on 2026-12-06), data/partitions.json (file dated
# 2026-12-02): every partition's "regions" map, without the "<partition>-global" pseudo regions.
# The platform's IAM code handles the aws, aws-cn and aws-us-gov partitions
# (`mlplatform.aws.iam.Partition`); the other partitions' regions are real too, so they are
# accepted as regions.

AWS_PARTITION_REGIONS: dict[str, tuple[str, ...]] = {
    "aws": (
        "af-south-1",
        "ap-east-1",
        "ap-east-2",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-south-1",
        "ap-south-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-6",
        "ap-southeast-7",
        "ca-central-1",
        "ca-west-1",
        "eu-central-1",
        "eu-central-2",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "me-west-1",
        "mx-central-1",
        "sa-east-1",
        "sa-west-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
    ),
    "aws-cn": ("cn-north-1", "cn-northwest-1"),
    "aws-us-gov": ("us-gov-east-1", "us-gov-west-1"),
    "aws-eusc": ("eusc-de-east-1",),
    "aws-iso": ("us-iso-east-1", "us-iso-west-1"),
    "aws-iso-b": ("us-isob-east-1", "us-isob-west-1"),
    "aws-iso-e": ("eu-isoe-west-1",),
    "aws-iso-f": ("us-isof-east-1", "us-isof-south-1"),
}
"""AWS regions per partition (botocore 1.44.18 partitions.json, 2026-12-02)."""

AWS_REGIONS = RegionList(
    frozenset(r for regions in AWS_PARTITION_REGIONS.values() for r in regions),
    "botocore 1.44.18 (pypi.org/project/botocore), botocore/data/partitions.json",
    "botocore partitions.json, 2026-12-02",
    date(2026, 12, 2),
)

AWS_OPT_IN_REGIONS = frozenset(
    {
        "af-south-1",
        "ap-east-1",
        "ap-east-2",
        "ap-south-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-6",
        "ap-southeast-7",
        "ca-west-1",
        "eu-central-2",
        "eu-south-1",
        "eu-south-2",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "mx-central-1",
    }
)
"""Regions an account must enable before it can use them: the "Opt-in status: Required" rows
of the AWS Regions table ("To use a Region introduced after March 20, 2019, you must enable the
Region before you can access it"; docs.aws.amazon.com/global-infrastructure/latest/regions/
aws-regions.html, read 2026-12-06)."""
AWS_REGIONS_PAGE = "AWS Regions page, read 2026-12-06"

AWS_ZONE_IDS: dict[str, tuple[str, ...]] = {
    "us-east-1": ("use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az5", "use1-az6"),
    "us-east-2": ("use2-az1", "use2-az2", "use2-az3"),
    "us-west-1": ("usw1-az1", "usw1-az2", "usw1-az3"),
    "us-west-2": ("usw2-az1", "usw2-az2", "usw2-az3", "usw2-az4"),
    "ca-central-1": ("cac1-az1", "cac1-az2", "cac1-az4"),
    "ca-west-1": ("caw1-az1", "caw1-az2", "caw1-az3"),
    "mx-central-1": ("mxc1-az1", "mxc1-az2", "mxc1-az3"),
    "af-south-1": ("afs1-az1", "afs1-az2", "afs1-az3"),
    "ap-east-1": ("ape1-az1", "ape1-az2", "ape1-az3"),
    "ap-east-2": ("ape2-az1", "ape2-az2", "ape2-az3"),
    "ap-northeast-1": ("apne1-az1", "apne1-az2", "apne1-az3", "apne1-az4"),
    "ap-northeast-2": ("apne2-az1", "apne2-az2", "apne2-az3", "apne2-az4"),
    "ap-northeast-3": ("apne3-az1", "apne3-az2", "apne3-az3"),
    "ap-south-1": ("aps1-az1", "aps1-az2", "aps1-az3"),
    "ap-south-2": ("aps2-az1", "aps2-az2", "aps2-az3"),
    "ap-southeast-1": ("apse1-az1", "apse1-az2", "apse1-az3"),
    "ap-southeast-2": ("apse2-az1", "apse2-az2", "apse2-az3"),
    "ap-southeast-3": ("apse3-az1", "apse3-az2", "apse3-az3"),
    "ap-southeast-4": ("apse4-az1", "apse4-az2", "apse4-az3"),
    "ap-southeast-5": ("apse5-az1", "apse5-az2", "apse5-az3"),
    "ap-southeast-6": ("apse6-az1", "apse6-az2", "apse6-az3"),
    "ap-southeast-7": ("apse7-az1", "apse7-az2", "apse7-az3"),
    "eu-central-1": ("euc1-az1", "euc1-az2", "euc1-az3"),
    "eu-central-2": ("euc2-az1", "euc2-az2", "euc2-az3"),
    "eu-north-1": ("eun1-az1", "eun1-az2", "eun1-az3"),
    "eu-south-1": ("eus1-az1", "eus1-az2", "eus1-az3"),
    "eu-south-2": ("eus2-az1", "eus2-az2", "eus2-az3"),
    "eu-west-1": ("euw1-az1", "euw1-az2", "euw1-az3"),
    "eu-west-2": ("euw2-az1", "euw2-az2", "euw2-az3", "euw2-az4"),
    "eu-west-3": ("euw3-az1", "euw3-az2", "euw3-az3"),
    "il-central-1": ("ilc1-az1", "ilc1-az2", "ilc1-az3"),
    "me-central-1": ("mec1-az1", "mec1-az2", "mec1-az3"),
    "me-south-1": ("mes1-az1", "mes1-az2", "mes1-az3"),
    "sa-east-1": ("sae1-az1", "sae1-az2", "sae1-az3"),
}
"""The Availability Zone ids of each region of the aws partition ("Each Availability Zone has
an AZ ID, which is the same physical location in every AWS account"; "† Newer accounts can
access two Availability Zones in US West (N. California)"): AWS Availability Zones page,
docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html, read
2026-12-06. me-west-1 and sa-west-1 are not in that page's tables."""
AWS_ZONES_PAGE = "AWS Availability Zones page, read 2026-12-06"

EKS_REFUSED_ZONE_IDS = frozenset({"use1-az3", "usw1-az2", "cac1-az3"})
"""Zones EKS puts no cluster subnet in: "The subnets can't reside in the following Availability
Zones: us-east-1 use1-az3, us-west-1 usw1-az2, ca-central-1 cac1-az3" (Amazon EKS User Guide,
"View Amazon EKS networking requirements", awsdocs/amazon-eks-user-guide@4d52b4d05e34
latest/ug/networking/network-reqs.adoc, 2024-12-18). The created network leaves them out
(`EXCLUDED_ZONE_IDS` of components/mlplatform/aws/network.py; a test holds the two equal)."""
EKS_ZONES_GUIDE = "EKS User Guide, network requirements, 2024-12-18"

# ---- Azure ----------------------------------------------------------------------------------
# "This article contains a list of all regions in the Azure public cloud, their paired region
# status, physical location, geography, and availability zone support": MicrosoftDocs/
# reliability-docs@c7803c506e09 articles/reliability/regions-list.md (commit 2026-07-28,
# ms.date 09/23/2025), https://learn.microsoft.com/azure/reliability/regions-list, its "All"
# table: the "Programmatic name" column, the "Availability zone support" column and the
# restricted-access icon. Azure Government and Azure operated by 21Vianet (China) are other
# clouds with other region names; the platform targets the Azure public cloud.

AZURE_ZONAL = (
    "australiaeast",
    "austriaeast",
    "belgiumcentral",
    "brazilsouth",
    "canadacentral",
    "centralindia",
    "centralus",
    "chilecentral",
    "denmarkeast",
    "eastasia",
    "eastus",
    "eastus2",
    "francecentral",
    "germanywestcentral",
    "indiasouthcentral",
    "indonesiacentral",
    "israelcentral",
    "italynorth",
    "japaneast",
    "japanwest",
    "koreacentral",
    "malaysiawest",
    "mexicocentral",
    "newzealandnorth",
    "northeurope",
    "norwayeast",
    "polandcentral",
    "qatarcentral",
    "southafricanorth",
    "southcentralus",
    "southeastasia",
    "spaincentral",
    "swedencentral",
    "switzerlandnorth",
    "uaenorth",
    "uksouth",
    "westeurope",
    "westus2",
    "westus3",
)
"""Azure regions with availability zones (zones 1, 2 and 3)."""
AZURE_WITHOUT_ZONES = (
    "australiacentral",
    "australiacentral2",
    "australiasoutheast",
    "brazilsoutheast",
    "canadaeast",
    "francesouth",
    "germanynorth",
    "koreasouth",
    "northcentralus",
    "norwaywest",
    "southafricawest",
    "southindia",
    "switzerlandwest",
    "uaecentral",
    "ukwest",
    "westcentralus",
    "westindia",
    "westus",
)
"""Azure regions without availability zones."""
AZURE_RESTRICTED = frozenset(
    {
        "australiacentral2",
        "brazilsoutheast",
        "francesouth",
        "germanynorth",
        "norwaywest",
        "southafricawest",
        "switzerlandwest",
        "uaecentral",
    }
)
"""Regions whose "access ... is restricted to support specific customer scenarios, such as
disaster recovery within a specific geographic area. To request access to a restricted region
for your Azure subscription, see Azure region access request process"."""

AZURE_REGIONS = RegionList(
    frozenset(AZURE_ZONAL + AZURE_WITHOUT_ZONES),
    "MicrosoftDocs/reliability-docs@c7803c506e09 articles/reliability/regions-list.md",
    "Azure regions list, 2026-07-28",
    date(2026, 7, 28),
)

# ---- GCP ------------------------------------------------------------------------------------
# Compute Engine, "Regions and zones", the "Available regions and zones" table: one row per
# zone ("A standard zone name contains two parts: the region and the zone in the region");
# docs.cloud.google.com/compute/docs/regions-zones, read 2026-12-06 from a stored copy of the
# page (undated; it lists the 2025-26 machine series A4X Max and N4A). AI zones ("the fully
# qualified name for AI zone ai2b in region us-west4 is us-west4-ai2b") are not in that table.
# Not every region has an "a" zone: europe-west1 and us-east1 have b, c and d; us-central1 has
# a, b, c and f.

GCP_ZONE_LETTERS: dict[str, str] = {
    "africa-south1": "abc",
    "asia-east1": "abc",
    "asia-east2": "abc",
    "asia-northeast1": "abc",
    "asia-northeast2": "abc",
    "asia-northeast3": "abc",
    "asia-south1": "abc",
    "asia-south2": "abc",
    "asia-southeast1": "abc",
    "asia-southeast2": "abc",
    "asia-southeast3": "abc",
    "australia-southeast1": "abc",
    "australia-southeast2": "abc",
    "europe-central2": "abc",
    "europe-north1": "abc",
    "europe-north2": "abc",
    "europe-southwest1": "abc",
    "europe-west1": "bcd",
    "europe-west10": "abc",
    "europe-west12": "abc",
    "europe-west2": "abc",
    "europe-west3": "abc",
    "europe-west4": "abc",
    "europe-west6": "abc",
    "europe-west8": "abc",
    "europe-west9": "abc",
    "me-central1": "abc",
    "me-central2": "abc",
    "me-west1": "abc",
    "northamerica-northeast1": "abc",
    "northamerica-northeast2": "abc",
    "northamerica-south1": "abc",
    "southamerica-east1": "abc",
    "southamerica-west1": "abc",
    "us-central1": "abcf",
    "us-east1": "bcd",
    "us-east4": "abc",
    "us-east5": "abc",
    "us-south1": "abc",
    "us-west1": "abc",
    "us-west2": "abc",
    "us-west3": "abc",
    "us-west4": "abc",
}
"""The standard zones of each GCP region, as the letters after `<region>-`."""
GCP_ZONES: dict[str, tuple[str, ...]] = {
    region: tuple(f"{region}-{letter}" for letter in letters)
    for region, letters in GCP_ZONE_LETTERS.items()
}
"""The standard zones of each GCP region (us-central1: us-central1-a, -b, -c, -f)."""
GCP_AI_ZONE = re.compile(r"^(?P<region>[a-z]+-[a-z]+\d+)-ai\d+[a-z]$")
"""An AI zone's name, which the regions table does not list (us-west4-ai2b)."""

GCP_REGIONS = RegionList(
    frozenset(GCP_ZONES),
    "https://docs.cloud.google.com/compute/docs/regions-zones",
    "Compute Engine regions and zones, read 2026-12-06",
    date(2026, 12, 6),
)

REGION_LISTS: dict[str, RegionList] = {
    "aws": AWS_REGIONS,
    "azure": AZURE_REGIONS,
    "gcp": GCP_REGIONS,
}
"""Every region of each cloud."""


def close_regions(cloud: str, name: str, among: frozenset[str] | None = None) -> list[str]:
    """The regions of `cloud` (or of `among`) that `name` most likely meant, closest first:
    its programmatic spelling when it is a display name ("West Europe"), else up to three
    close matches."""
    regions = REGION_LISTS[cloud].regions if among is None else among
    squeezed = re.sub(r"[^a-z0-9]", "", name.lower())
    if squeezed in regions:
        return [squeezed]
    return difflib.get_close_matches(name.lower(), sorted(regions), n=3, cutoff=0.6)


def region_of_zone(zone: str) -> str:
    """The region a GCP zone name belongs to (us-central1-a: us-central1)."""
    return zone.rsplit("-", 1)[0]
