"""Layer 1, data: where each node shape the GPU catalog resolves to (and each system pool
default) is offered, per dated source: AWS instance types per region, GCP machine types per
zone. `mlplatform.environment.preflight.regions` judges a stack's pools against them.

A table lists some regions in full (`scope`): a shape it knows (`offered` has it) and does not
list in a region of its scope is not offered there, as of the table's date. Outside its scope,
and for shapes it does not know, a table says nothing. No table covers Azure: no dated public
per-region list of VM sizes was found (the Azure "products by region" page is rendered from a
service, and `az vm list-skus` answers per subscription), so every Azure size is "could not be
checked".

Sources, read 2026-12-06:

- Karpenter's on-demand price lists, generated from the AWS Price List API per region: a type
  has a price in a region if and only if it is sold on demand there. Current for us-east-1,
  us-gov-east-1 and us-gov-west-1 (2026-07-20); cn-north-1's is from 2024-11-06.
- getmoto/moto's record of EC2 DescribeInstanceTypeOfferings, one file per region (30
  commercial regions), each dated by the commit that last changed it: 2026-08-01 for most,
  me-south-1's 2025-10-12. It says a type is offered, not whether on demand: it lists
  p5e.48xlarge, sold as Capacity Blocks, in seven regions. It covers every region of the
  SkyPilot snapshot, which now matters only where moto's file is out of date.
- SkyPilot's catalogs (skypilot-org/skypilot-catalog), one row per shape and zone, generated
  from the clouds' APIs for the regions SkyPilot serves. The snapshots read are undated: the
  AWS one prices p5.48xlarge at 98.32 USD an hour in us-east-1, the price before AWS's June
  2025 cut (55.04 in Karpenter's 2026 list), so it is no newer than mid-2025; the GCP one has
  no A4 machine types.
- Compute Engine's "Regions and zones" table, one row per zone with the machine series it
  offers (G2, A2, A3, E2, N1, and whether GPUs attach): the series level, so for A2 and A3 a
  superset of one machine type's zones (`exact=False`), exact for G2 (every G2 type carries
  L4 GPUs) and E2.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import NamedTuple

from mlplatform.catalog.limits.regions import GCP_ZONE_LETTERS, GCP_ZONES


class Availability(NamedTuple):
    """Where one dated source says node shapes are offered."""

    cloud: str
    """aws or gcp."""
    cite: str
    """The source and its date, short, as a message cites it."""
    source: str
    """Where it was read: URL, or owner/repo@commit path."""
    as_of: date | None
    """The source's date; None when undated (then never taken as current)."""
    scope: frozenset[str]
    """The regions the source lists in full."""
    offered: Mapping[str, frozenset[str]]
    """Each shape the source knows, to the regions (AWS) or zones (GCP) of `scope` that offer
    it."""
    exact: bool = True
    """False when `offered` lists where the shape's machine series is sold, a superset of where
    the shape is: then a listing does not confirm the shape, only its absence refutes it."""
    on_demand: bool = False
    """True when the source lists on-demand offerings only (spot may differ)."""


def _regions(offered: Mapping[str, str]) -> dict[str, frozenset[str]]:
    return {shape: frozenset(regions.split()) for shape, regions in offered.items()}


_KARPENTER = "aws/karpenter-provider-aws@1d927085dd81a9df9301e613f371dac5b4d16bfe"

AWS_US_EAST_1 = Availability(
    "aws",
    "Karpenter's on-demand price list for us-east-1, 2026-07-20",
    f"{_KARPENTER} pkg/providers/pricing/zz_generated.pricing_aws.go "
    '("generated at 2026-07-20T13:44:30Z for us-east-1")',
    date(2026, 7, 20),
    frozenset({"us-east-1"}),
    _regions(
        {
            "g4dn.xlarge": "us-east-1",
            "g4dn.12xlarge": "us-east-1",
            "g4dn.metal": "us-east-1",
            "g5.xlarge": "us-east-1",
            "g5.12xlarge": "us-east-1",
            "g5.48xlarge": "us-east-1",
            "g6.xlarge": "us-east-1",
            "g6.12xlarge": "us-east-1",
            "g6.48xlarge": "us-east-1",
            "p4d.24xlarge": "us-east-1",
            "p4de.24xlarge": "us-east-1",
            "p5.4xlarge": "us-east-1",
            "p5.48xlarge": "us-east-1",
            "p5e.48xlarge": "",
            "p5en.48xlarge": "us-east-1",
            "m6i.large": "us-east-1",
        }
    ),
    on_demand=True,
)
"""us-east-1 on demand: p5e.48xlarge has no on-demand price there (AWS sells it through
Capacity Blocks), p5en.48xlarge does (63.296 USD an hour)."""

AWS_US_GOV = Availability(
    "aws",
    "Karpenter's on-demand price list for GovCloud, 2026-07-20",
    f"{_KARPENTER} pkg/providers/pricing/zz_generated.pricing_aws_us_gov.go "
    '("generated at 2026-07-20T13:44:38Z")',
    date(2026, 7, 20),
    frozenset({"us-gov-east-1", "us-gov-west-1"}),
    _regions(
        {
            "g4dn.xlarge": "us-gov-east-1 us-gov-west-1",
            "g4dn.12xlarge": "us-gov-east-1 us-gov-west-1",
            "g4dn.metal": "us-gov-west-1",
            "g5.xlarge": "",
            "g5.12xlarge": "",
            "g5.48xlarge": "",
            "g6.xlarge": "us-gov-east-1 us-gov-west-1",
            "g6.12xlarge": "us-gov-east-1 us-gov-west-1",
            "g6.48xlarge": "us-gov-east-1 us-gov-west-1",
            "p4d.24xlarge": "us-gov-west-1",
            "p4de.24xlarge": "",
            "p5.4xlarge": "us-gov-west-1",
            "p5.48xlarge": "us-gov-west-1",
            "p5e.48xlarge": "",
            "p5en.48xlarge": "us-gov-west-1",
            "m6i.large": "us-gov-east-1 us-gov-west-1",
        }
    ),
    on_demand=True,
)

AWS_CN_NORTH_1 = Availability(
    "aws",
    "Karpenter's on-demand price list for cn-north-1, 2024-11-06",
    f"{_KARPENTER} pkg/providers/pricing/zz_generated.pricing_aws_cn.go "
    '("generated at 2024-11-06T01:00:11Z for cn-north-1")',
    date(2024, 11, 6),
    frozenset({"cn-north-1"}),
    _regions(
        {
            "g4dn.xlarge": "cn-north-1",
            "g4dn.12xlarge": "cn-north-1",
            "g4dn.metal": "",
            "g5.xlarge": "cn-north-1",
            "g5.12xlarge": "cn-north-1",
            "g5.48xlarge": "cn-north-1",
            "g6.xlarge": "",
            "g6.12xlarge": "",
            "g6.48xlarge": "",
            "p4d.24xlarge": "",
            "p4de.24xlarge": "",
            "p5.4xlarge": "",
            "p5.48xlarge": "",
            "p5e.48xlarge": "",
            "p5en.48xlarge": "",
            "m6i.large": "cn-north-1",
        }
    ),
    on_demand=True,
)

SKYPILOT_AWS_REGIONS = frozenset(
    [
        "af-south-1",
        "ap-east-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-south-1",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ca-central-1",
        "eu-central-1",
        "eu-north-1",
        "eu-south-1",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "me-central-1",
        "me-south-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
    ]
)
"""The regions the AWS snapshot lists (those of r5.12xlarge, a type sold everywhere)."""

SKYPILOT_AWS = Availability(
    "aws",
    "SkyPilot's AWS catalog, an undated snapshot no newer than mid-2025",
    "skypilot-org/skypilot-catalog@27f67dd4e1bc0d35fa0ec075180ad54b230882c4 "
    "catalogs/v7/aws/vms.csv (rows with an on-demand Price)",
    None,
    SKYPILOT_AWS_REGIONS,
    _regions(
        {
            "g5.xlarge": (
                "ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-2 ap-southeast-3 "
                "ca-central-1 eu-central-1 eu-north-1 eu-west-1 eu-west-2 me-central-1 "
                "us-east-1 us-east-2 us-west-2"
            ),
            "p4d.24xlarge": (
                "ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-2 eu-central-1 "
                "eu-west-1 us-east-1 us-east-2 us-west-2"
            ),
            "p4de.24xlarge": "us-east-1 us-west-2",
            "p5.48xlarge": (
                "ap-northeast-1 ap-south-1 ap-southeast-2 ca-central-1 eu-north-1 eu-west-2 "
                "us-east-1 us-east-2 us-west-1 us-west-2"
            ),
            "p5e.48xlarge": "",
            "p5en.48xlarge": (
                "ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-3 us-east-1 us-east-2 "
                "us-west-1 us-west-2"
            ),
        }
    ),
    on_demand=True,
)
"""p5e.48xlarge rows there (ap-southeast-2, ap-southeast-3, eu-north-1, eu-west-2, us-east-2,
us-west-2) carry no on-demand price. g5.xlarge's list was read for that size only; the other
sizes of g4dn, g5 and g6 and p5.4xlarge are not in this table."""

# ---- AWS: EC2 instance type offerings, as moto records them ---------------------------------
# getmoto/moto keeps what EC2's DescribeInstanceTypeOfferings returns per region ("Lists the
# instance types that are offered for the specified location", EC2 API reference) in
# moto/ec2/resources/instance_type_offerings/region/<region>.json, rewritten monthly by its
# DataUpdate_EC2InstanceOfferings workflow (scripts/ec2_get_instance_type_offerings.py, run
# with moto's AWS account; a region whose call fails keeps its old file). A file is dated by the
# commit that last changed it. Read at getmoto/moto@0af643a5dbfc (2026-08-22); the rows below
# were extracted from those files by a throwaway script (not kept here).
_MOTO = "getmoto/moto@0af643a5dbfc98797f08ee64f5be3ef8002d56ff"
_MOTO_FILES = "moto/ec2/resources/instance_type_offerings/region/<region>.json"

_MOTO_DATED: tuple[tuple[date, str, str], ...] = (
    (
        date(2026, 8, 1),
        "c6bd43ff2d090b35b6491f1cc80bffd29063e5c8",
        "af-south-1 ap-northeast-1 ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 "
        "ap-southeast-4 ca-central-1 ca-west-1 eu-central-1 eu-central-2 eu-north-1 eu-south-1 "
        "eu-south-2 eu-west-1 eu-west-2 eu-west-3 il-central-1 sa-east-1 us-east-1 us-east-2 "
        "us-west-1 us-west-2",
    ),
    (
        date(2026, 7, 1),
        "9b87ef69411bc3e2be9ab7f9d297d05cb59ef673",
        "ap-northeast-2 ap-southeast-2 ap-southeast-5",
    ),
    (date(2026, 6, 1), "2329a6267b854c0824757739b0b46766ce0e277d", "ap-east-1"),
    (date(2026, 3, 30), "9519656d0e1ae9d4ca472d25b4cdd03774514fe3", "ap-southeast-3"),
    (date(2026, 3, 16), "b6e48f1ca44874690ac7bb4a1f3fe082098780aa", "me-central-1"),
    (date(2025, 10, 12), "6ccfb8cfaa710888485f7807b360ea252f5f983b", "me-south-1"),
)
"""The 30 region files, grouped by the date of the commit (moto's "chore: update EC2 Instance
Offerings") that last changed them. No file covers GovCloud, China, ap-east-2, ap-southeast-6,
ap-southeast-7, me-west-1, mx-central-1 or sa-west-1."""

MOTO_OFFERED: dict[str, frozenset[str]] = _regions(
    {
        "g4dn.xlarge": (
            "af-south-1 ap-east-1 ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 "
            "ap-southeast-1 ap-southeast-2 ca-central-1 eu-central-1 eu-north-1 eu-south-1 "
            "eu-west-1 eu-west-2 eu-west-3 me-south-1 sa-east-1 us-east-1 us-east-2 us-west-1 "
            "us-west-2"
        ),
        "g4dn.12xlarge": (
            "af-south-1 ap-east-1 ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 "
            "ap-southeast-1 ap-southeast-2 ca-central-1 eu-central-1 eu-north-1 eu-south-1 "
            "eu-west-1 eu-west-2 eu-west-3 me-south-1 sa-east-1 us-east-1 us-east-2 us-west-1 "
            "us-west-2"
        ),
        "g4dn.metal": (
            "af-south-1 ap-east-1 ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 "
            "ap-southeast-1 ap-southeast-2 ca-central-1 eu-central-1 eu-north-1 eu-south-1 "
            "eu-west-1 eu-west-2 eu-west-3 me-south-1 sa-east-1 us-east-1 us-east-2 us-west-1 "
            "us-west-2"
        ),
        "g6.xlarge": (
            "ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-2 ap-southeast-5 ca-central-1 "
            "eu-central-1 eu-central-2 eu-north-1 eu-south-2 eu-west-2 eu-west-3 me-central-1 "
            "sa-east-1 us-east-1 us-east-2 us-west-2"
        ),
        "g6.12xlarge": (
            "ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-2 ap-southeast-5 ca-central-1 "
            "eu-central-1 eu-central-2 eu-north-1 eu-south-2 eu-west-2 eu-west-3 me-central-1 "
            "sa-east-1 us-east-1 us-east-2 us-west-2"
        ),
        "g6.48xlarge": (
            "ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-2 ap-southeast-5 ca-central-1 "
            "eu-central-1 eu-central-2 eu-north-1 eu-south-2 eu-west-2 eu-west-3 me-central-1 "
            "sa-east-1 us-east-1 us-east-2 us-west-2"
        ),
        "g5.xlarge": (
            "ap-east-1 ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-2 ap-southeast-3 "
            "ca-central-1 eu-central-1 eu-north-1 eu-south-2 eu-west-1 eu-west-2 eu-west-3 "
            "il-central-1 me-central-1 sa-east-1 us-east-1 us-east-2 us-west-2"
        ),
        "g5.12xlarge": (
            "ap-east-1 ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-2 ap-southeast-3 "
            "ca-central-1 eu-central-1 eu-north-1 eu-south-2 eu-west-1 eu-west-2 eu-west-3 "
            "il-central-1 me-central-1 sa-east-1 us-east-1 us-east-2 us-west-2"
        ),
        "g5.48xlarge": (
            "ap-east-1 ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-2 ap-southeast-3 "
            "ca-central-1 eu-central-1 eu-north-1 eu-south-2 eu-west-1 eu-west-2 eu-west-3 "
            "il-central-1 me-central-1 sa-east-1 us-east-1 us-east-2 us-west-2"
        ),
        "p4d.24xlarge": (
            "ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-2 ca-central-1 eu-central-1 "
            "eu-north-1 eu-west-1 eu-west-2 sa-east-1 us-east-1 us-east-2 us-west-2"
        ),
        "p4de.24xlarge": (
            "ap-northeast-1 ap-southeast-1 eu-central-1 il-central-1 us-east-1 us-west-2"
        ),
        "p5.4xlarge": (
            "ap-northeast-1 ap-south-1 ap-southeast-2 ap-southeast-3 eu-west-2 sa-east-1 "
            "us-east-1 us-east-2 us-west-2"
        ),
        "p5.48xlarge": (
            "ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-2 ap-southeast-3 ca-central-1 "
            "eu-north-1 eu-west-2 sa-east-1 us-east-1 us-east-2 us-west-1 us-west-2"
        ),
        "p5en.48xlarge": (
            "ap-northeast-1 ap-northeast-2 ap-south-1 ap-southeast-3 eu-north-1 eu-south-2 "
            "me-central-1 us-east-1 us-east-2 us-west-1 us-west-2"
        ),
        "m6i.large": (
            "af-south-1 ap-east-1 ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1 "
            "ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-3 ap-southeast-5 ca-central-1 "
            "ca-west-1 eu-central-1 eu-central-2 eu-north-1 eu-south-1 eu-west-1 eu-west-2 "
            "eu-west-3 il-central-1 me-central-1 me-south-1 sa-east-1 us-east-1 us-east-2 "
            "us-west-1 us-west-2"
        ),
    }
)
"""Each AWS instance type the GPU catalog resolves to, and m6i.large (the EKS system pool's
default), to the region files that list it. Offerings do not say on demand or spot, and include
types sold only through Capacity Blocks: the files list p5e.48xlarge in ap-southeast-2,
ap-southeast-3, eu-north-1, eu-west-2, sa-east-1, us-east-2 and us-west-2 (not us-east-1, where
Karpenter's list has no price for it either), and SkyPilot's catalog has p5e rows in six of
them, none with an on-demand price.
So p5e is left out, a listing says a type exists in a region rather than that an on-demand pool
gets one, and where Karpenter's on-demand list covers a region its refusal stands (`judge`: a
current table's absence wins over any listing)."""


def _moto(as_of: date, commit: str, regions: str) -> Availability:
    scope = frozenset(regions.split())
    return Availability(
        "aws",
        f"moto's EC2 instance type offerings, {as_of.isoformat()}",
        f"{_MOTO} {_MOTO_FILES} for {regions} (last changed by {commit}, {as_of.isoformat()})",
        as_of,
        scope,
        {shape: where & scope for shape, where in MOTO_OFFERED.items()},
    )


MOTO_AWS: tuple[Availability, ...] = tuple(_moto(*dated) for dated in _MOTO_DATED)
"""One table per date, newest first: me-south-1's (2025-10-12) is more than a year old on
2026-12-06, so its absences only warn."""

# ---- GCP ------------------------------------------------------------------------------------
# Compute Engine "Regions and zones" table (docs.cloud.google.com/compute/docs/regions-zones,
# read 2026-12-06): per zone, the machine series it lists among E2, N1, A2, A3 and G2; "N1G"
# marks a zone that lists N1 and the "GPUs" option (N1 VMs there can attach GPUs; the page does
# not say which models, so it is a superset of the T4 zones).
_GCP_ZONE_SERIES: dict[str, str] = {
    "africa-south1": "E2 | E2 | E2",
    "asia-east1": "E2 N1G G2 | E2 N1G G2 | E2 N1G G2",
    "asia-east2": "E2 N1G | E2 | E2 N1G",
    "asia-northeast1": "E2 N1G A2 G2 | E2 N1G A3 G2 | E2 N1G A2 G2",
    "asia-northeast2": "E2 | E2 | E2",
    "asia-northeast3": "E2 N1G G2 | E2 N1G A2 G2 | E2 N1G A3",
    "asia-south1": "E2 N1G G2 | E2 N1G A3 G2 | E2 N1G A3 G2",
    "asia-south2": "E2 N1G | E2 | E2 N1G A3",
    "asia-southeast1": "E2 N1G A2 G2 | E2 N1G A3 G2 | E2 N1G A2 A3 G2",
    "asia-southeast2": "E2 N1G | E2 N1G | E2 N1G",
    "asia-southeast3": " | | ",
    "australia-southeast1": "E2 N1G | E2 N1G | E2 N1G A3",
    "australia-southeast2": "E2 | E2 | E2",
    "europe-central2": "E2 | E2 N1G | E2 N1G",
    "europe-north1": "E2 N1G | E2 N1G | E2",
    "europe-north2": "E2 | E2 | E2",
    "europe-southwest1": "E2 | E2 | E2",
    "europe-west1": "E2 N1G A3 G2 | E2 N1G A3 G2 | E2 N1G",
    "europe-west10": "E2 | E2 | E2",
    "europe-west12": "E2 | E2 | E2",
    "europe-west2": "E2 N1G G2 | E2 N1G G2 | E2 N1G",
    "europe-west3": "E2 N1G G2 | E2 N1G G2 | E2 N1G A3",
    "europe-west4": "E2 N1G A2 A3 G2 | E2 N1G A2 A3 G2 | E2 N1G A3 G2",
    "europe-west6": "E2 | E2 N1G G2 | E2 N1G G2",
    "europe-west8": "E2 | E2 | E2",
    "europe-west9": "E2 | E2 | E2",
    "me-central1": "E2 | E2 | E2",
    "me-central2": "E2 G2 | E2 | E2 G2",
    "me-west1": "E2 A2 | E2 N1G | E2 N1G A2",
    "northamerica-northeast1": "E2 | E2 N1G G2 | E2 N1G G2",
    "northamerica-northeast2": "E2 N1G G2 | E2 N1G G2 | E2 N1G A3",
    "northamerica-south1": "E2 | E2 | E2",
    "southamerica-east1": "E2 N1G | E2 N1G | E2 N1G",
    "southamerica-west1": "E2 | E2 | E2",
    "us-central1": "E2 N1G A2 A3 G2 | E2 N1G A2 A3 G2 | E2 N1G A2 A3 G2 | E2 N1G A2",
    "us-east1": "E2 N1G A2 G2 | E2 N1G G2 | E2 N1G G2",
    "us-east4": "E2 N1G A3 G2 | E2 N1G A3 | E2 N1G A2 A3 G2",
    "us-east5": "E2 A2 A3 | E2 | E2",
    "us-south1": "E2 | E2 A3 | E2",
    "us-west1": "E2 N1G A3 G2 | E2 N1G A2 A3 G2 | E2 N1G A3",
    "us-west2": "E2 | E2 N1G | E2 N1G",
    "us-west3": "E2 N1G | E2 N1G A2 | E2 N1G",
    "us-west4": "E2 N1G A3 G2 | E2 N1G A2 | E2 N1G G2",
}
"""Per region, `|`-separated in the order of `GCP_ZONE_LETTERS`, the series each zone lists."""


def _zones_with(series: str) -> frozenset[str]:
    return frozenset(
        f"{region}-{letter}"
        for region, row in _GCP_ZONE_SERIES.items()
        for letter, listed in zip(GCP_ZONE_LETTERS[region], row.split("|"), strict=True)
        if series in listed.split()
    )


_GCP_PAGE = "https://docs.cloud.google.com/compute/docs/regions-zones"
_GCP_CITE = "Compute Engine regions and zones, read 2026-12-06"

GCP_SERIES = Availability(
    "gcp",
    _GCP_CITE,
    _GCP_PAGE,
    date(2026, 12, 6),
    frozenset(GCP_ZONES),
    {
        **dict.fromkeys(("g2-standard-8", "g2-standard-48", "g2-standard-96"), _zones_with("G2")),
        "e2-standard-4": _zones_with("E2"),
    },
)
"""Zones of the G2 series (NVIDIA L4) and of E2 (the GKE system pool's default)."""

GCP_SERIES_SUPERSET = Availability(
    "gcp",
    _GCP_CITE,
    _GCP_PAGE,
    date(2026, 12, 6),
    frozenset(GCP_ZONES),
    {
        **dict.fromkeys(
            (
                "a2-highgpu-1g",
                "a2-highgpu-2g",
                "a2-highgpu-4g",
                "a2-highgpu-8g",
                "a2-ultragpu-1g",
                "a2-ultragpu-2g",
                "a2-ultragpu-4g",
                "a2-ultragpu-8g",
            ),
            _zones_with("A2"),
        ),
        **dict.fromkeys(("a3-highgpu-8g", "a3-ultragpu-8g"), _zones_with("A3")),
        **dict.fromkeys(("n1-standard-8", "n1-standard-32"), _zones_with("N1G")),
    },
    exact=False,
)
"""Zones of the A2 series (A2 Standard: A100 40GB; A2 Ultra: A100 80GB), of A3 (A3 High: H100;
A3 Ultra: H200) and of N1 with GPUs (T4 on n1-standard-*): a machine type of the series can only
be in these zones."""


def _zones(text: str) -> frozenset[str]:
    return frozenset(text.split())


_A2_HIGHGPU = _zones(
    "asia-northeast1-a asia-northeast1-c asia-northeast3-a asia-northeast3-b asia-southeast1-b "
    "asia-southeast1-c europe-west4-a europe-west4-b me-west1-a me-west1-b me-west1-c "
    "us-central1-a us-central1-b us-central1-c us-central1-f us-east1-b us-west1-b us-west3-b "
    "us-west4-b"
)
_A2_ULTRAGPU = _zones(
    "asia-southeast1-c europe-west4-a us-central1-a us-central1-c us-east4-c us-east5-b"
)

SKYPILOT_GCP = Availability(
    "gcp",
    "SkyPilot's GCP catalog, an undated snapshot",
    "skypilot-org/skypilot-catalog@6f65ab58724c0a5b17dbb81ee124e7d7dee0d4a5 "
    "catalogs/v7/gcp/vms.csv",
    None,
    frozenset(GCP_ZONES) - {"asia-southeast3", "europe-north2", "northamerica-south1"},
    {
        **dict.fromkeys(
            ("a2-highgpu-1g", "a2-highgpu-2g", "a2-highgpu-4g", "a2-highgpu-8g"), _A2_HIGHGPU
        ),
        **dict.fromkeys(
            ("a2-ultragpu-1g", "a2-ultragpu-2g", "a2-ultragpu-4g", "a2-ultragpu-8g"), _A2_ULTRAGPU
        ),
        "a3-highgpu-8g": _zones(
            "asia-east1-c asia-northeast1-b asia-southeast1-b asia-southeast1-c "
            "australia-southeast1-c europe-north1-c europe-west1-b europe-west1-c "
            "europe-west3-c europe-west4-b europe-west4-c us-central1-a us-central1-b "
            "us-central1-c us-east4-a us-east4-b us-east4-c us-east5-a us-west1-a us-west1-b "
            "us-west4-a"
        ),
        "a3-ultragpu-8g": _zones(
            "asia-south2-c europe-west1-b us-central1-b us-east4-b us-east5-a us-south1-b "
            "us-west1-c"
        ),
    },
)
"""Per machine type, the zones of its rows. Its scope leaves out the regions newer than it
(asia-southeast3, europe-north2, northamerica-south1)."""

TABLES: tuple[Availability, ...] = (
    AWS_US_EAST_1,
    AWS_US_GOV,
    *MOTO_AWS,
    AWS_CN_NORTH_1,
    SKYPILOT_AWS,
    GCP_SERIES,
    GCP_SERIES_SUPERSET,
    SKYPILOT_GCP,
)
"""Every availability table, AWS's then GCP's. `regions.judge` weighs them by date (the newest
current absence refutes; any exact listing confirms), not by their order here."""
