"""Preflight of regions and zones: a region or zone the cloud does not have, a GPU shape a region
or zone does not sell (from dated availability tables; no data is a warning, never a pass),
zone-redundant services in an Azure region without zones, and AWS zones EKS refuses.

Each test names the fact it rests on and its source (`mlplatform.catalog.limits.regions` and
`gpu_regions` record them beside the data).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from mlplatform import catalog, defaults
from mlplatform.aws.network import EXCLUDED_ZONE_IDS
from mlplatform.catalog.limits import gpu_regions
from mlplatform.catalog.limits import regions as region_limits
from mlplatform.environment import ConfigError, parse
from mlplatform.environment.loader import from_stack_file
from mlplatform.environment.preflight import Preflight, regions
from tests.conftest import STACKS_DIR
from tests.unit.preflight.specs import AWS, AZURE, GCP, TODAY, found

GOVCLOUD = {**AWS, "region": "us-gov-west-1"}
GCP_PAGE = "per Compute Engine regions and zones, read 2026-12-06"
MOTO = "moto's EC2 instance type offerings"
P4DE_REGIONS = "ap-northeast-1, ap-southeast-1, eu-central-1, il-central-1, us-east-1, us-west-2"
"""Where p4de.24xlarge (A100-80GB) is offered: moto's region files and Karpenter's us-east-1
list."""
P4D_REGIONS = (
    "ap-northeast-1, ap-northeast-2, ap-south-1, ap-southeast-2, ca-central-1, eu-central-1, "
    "eu-north-1, eu-west-1 and 6 more"
)
"""Where p4d.24xlarge (A100-40GB) is offered: moto's region files and us-gov-west-1."""


def pool(**overrides: Any) -> dict[str, Any]:
    return {"name": "gpu", "gpu": "T4", **overrides}


def errors(values: dict[str, Any], at: Preflight = TODAY) -> list[str]:
    """This module's errors of `values`, as text."""
    return [str(issue) for issue in found(regions.ERRORS, values, at)]


def warnings(values: dict[str, Any], at: Preflight = TODAY) -> list[str]:
    """This module's warnings of `values`, as text."""
    return [str(issue) for issue in found(regions.WARNINGS, values, at)]


def spec_issues(values: dict[str, Any], path: str) -> list[str]:
    """The issues at `path` (or under it) that the spec's validation reports."""
    try:
        parse(values)
    except ConfigError as caught:
        return [str(i) for i in caught.issues if i.path == path or i.path.startswith(path)]
    return []


# ---- regions that exist --------------------------------------------------------------------


def test_an_aws_region_must_be_in_botocores_partitions() -> None:
    """botocore 1.44.18 data/partitions.json (2026-12-02) lists the regions of every partition;
    us-gov-west-1 (aws-us-gov) and cn-northwest-1 (aws-cn) are regions, useast1 is none."""
    assert spec_issues({**AWS, "region": "useast1"}, "region") == [
        "region: 'useast1' is not a region of aws (per botocore partitions.json, 2026-12-02); "
        "use one of us-east-1, us-west-1, us-east-2"
    ]
    assert spec_issues({**AWS, "region": "us-gov-west-1"}, "region") == []
    assert spec_issues({**AWS, "region": "cn-northwest-1"}, "region") == []


def test_an_azure_region_is_its_programmatic_name() -> None:
    """The Azure regions list (MicrosoftDocs/reliability-docs regions-list.md, 2026-07-28) gives
    each region's programmatic name: westeurope, not its display name West Europe."""
    assert spec_issues({**AZURE, "region": "West Europe"}, "region") == [
        "region: 'West Europe' is not a region of azure (per Azure regions list, 2026-07-28); "
        "use one of westeurope"
    ]
    assert spec_issues({**AZURE, "region": "swedencentral"}, "region") == []


def test_a_gcp_region_must_be_in_the_regions_table() -> None:
    """Compute Engine's regions and zones table (read 2026-12-06) has us-central1, not
    us-central; europe-north2 (Stockholm) is one of its newer regions."""
    assert spec_issues({**GCP, "region": "us-central"}, "region") == [
        "region: 'us-central' is not a region of gcp (per Compute Engine regions and zones, "
        "read 2026-12-06); use one of us-central1, me-central2, me-central1"
    ]
    assert spec_issues({**GCP, "region": "europe-north2"}, "region") == []


# ---- zones that exist ------------------------------------------------------------------------


def test_a_gcp_zone_must_be_one_of_its_regions_zones() -> None:
    """Compute Engine's regions and zones table: us-east1's zones are b, c and d (no -a)."""
    values = {**GCP, "region": "us-east1", "gpuPools": [pool(gpu="L4", zones=["us-east1-a"])]}
    assert spec_issues(values, "gpuPools[0].zones") == [
        "gpuPools[0].zones[0]: 'us-east1-a' is not a zone of region us-east1 (its zones are "
        "us-east1-b, us-east1-c, us-east1-d, per Compute Engine regions and zones, read "
        "2026-12-06); use one of them"
    ]
    values["gpuPools"] = [pool(gpu="L4", zones=["us-east1-b"])]
    assert spec_issues(values, "gpuPools[0].zones") == []


def test_an_azure_zone_needs_a_region_with_zones() -> None:
    """The Azure regions list (2026-07-28) marks westus without availability zones and westus2
    with them."""
    values = {**AZURE, "region": "westus", "gpuPools": [pool(name="gpu", zones=["1"])]}
    assert spec_issues(values, "gpuPools[0].zones") == [
        "gpuPools[0].zones[0]: '1' cannot be used in westus, which has no availability zones "
        "(per Azure regions list, 2026-07-28); remove zones, or use a region with zones such as "
        "westus3, westus2, eastus"
    ]
    values["region"] = "westus2"
    assert spec_issues(values, "gpuPools[0].zones") == []


def test_a_gcp_ai_zone_is_not_refused_but_cannot_be_checked() -> None:
    """Compute Engine's regions and zones page: AI zones such as us-west4-ai2b follow an
    extended naming convention and are not in its zone table, so nothing can be judged."""
    values = {**GCP, "region": "us-west4", "gpuPools": [pool(gpu="L4", zones=["us-west4-ai2b"])]}
    assert spec_issues(values, "gpuPools[0].zones") == []
    assert warnings(values) == [
        "gpuPools[0].gpu: 'L4' resolves to g2-standard-8 (nvidia-l4), whose availability in "
        "us-west4-ai2b could not be checked (no availability table covers it there); check with "
        '`gcloud compute accelerator-types list --filter="name=nvidia-l4 AND zone~^us-west4-"`'
    ]


# ---- GPU shapes per AWS region ---------------------------------------------------------------


def test_h200_resolves_to_p5en_which_us_east_1_sells_on_demand() -> None:
    """Karpenter's on-demand price list for us-east-1 (generated 2026-07-20 from the AWS Price
    List API) prices p5en.48xlarge, the catalog's H200 shape (its p5e sibling, in no on-demand
    list, is not in the catalog)."""
    values = {**AWS, "gpuPools": [pool(gpu="H200", gpusPerNode=8)]}
    assert (errors(values), warnings(values)) == ([], [])


def test_a_table_more_than_a_year_old_only_warns() -> None:
    """A table's absence is a refusal while the table is current (a year from its date: the
    GovCloud list is from 2026-07-20); later it may be out of date, so it only warns."""
    values = {**GOVCLOUD, "gpuPools": [pool(gpu="A100-80GB", gpusPerNode=8)]}
    later = Preflight(date(2027, 8, 1))
    assert errors(values, later) == []
    assert warnings(values, later) == [
        "gpuPools[0].gpu: 'A100-80GB' resolves to p4de.24xlarge, which may not be offered in "
        "us-gov-west-1: Karpenter's on-demand price list for GovCloud, 2026-07-20, does not "
        "list it there, and that table may be out of date; regions that offer it: "
        f"{P4DE_REGIONS}; check with `aws ec2 describe-instance-type-offerings --region "
        "us-gov-west-1 --filters Name=instance-type,Values=p4de.24xlarge`"
    ]


def test_an_on_demand_list_does_not_refuse_a_spot_pool() -> None:
    """Karpenter's lists are on-demand prices: a type without one may still run as spot."""
    values = {**GOVCLOUD, "gpuPools": [pool(gpu="A100-80GB", gpusPerNode=8, spot=True)]}
    assert errors(values) == []
    assert warnings(values) == [
        "gpuPools[0].gpu: 'A100-80GB' resolves to p4de.24xlarge, which may not be offered in "
        "us-gov-west-1: Karpenter's on-demand price list for GovCloud, 2026-07-20, does not "
        "list it on demand there, and a spot pool may still find it; regions that offer it: "
        f"{P4DE_REGIONS}; check with `aws ec2 describe-instance-type-offerings --region "
        "us-gov-west-1 --filters Name=instance-type,Values=p4de.24xlarge`"
    ]


def test_govcloud_does_not_sell_p4de() -> None:
    """Karpenter's on-demand price list for GovCloud (2026-07-20) prices p4d, p5 and p5en in
    us-gov-west-1 but not p4de.24xlarge (A100-80GB), which moto's region files
    (getmoto/moto@0af643a5dbfc, 2026-08-01) list in six other regions."""
    values = {**GOVCLOUD, "gpuPools": [pool(gpu="A100-80GB", gpusPerNode=8)]}
    assert errors(values) == [
        "gpuPools[0].gpu: 'A100-80GB' resolves to p4de.24xlarge, which is not offered on demand "
        "in us-gov-west-1 (per Karpenter's on-demand price list for GovCloud, 2026-07-20); "
        f"regions that offer it: {P4DE_REGIONS}; use one of them or another GPU"
    ]
    ok = {**GOVCLOUD, "gpuPools": [pool(gpu="H100", gpusPerNode=8)]}
    assert (errors(ok), warnings(ok)) == ([], [])


def test_a_region_whose_moto_file_lacks_the_shape_is_refused() -> None:
    """getmoto/moto@0af643a5dbfc moto/ec2/resources/instance_type_offerings/region/eu-west-1.json
    (EC2 DescribeInstanceTypeOfferings; last changed 2026-08-01 by c6bd43ff2d09) has no
    p4de.24xlarge (A100-80GB); eu-central-1.json, changed by the same commit, has it. Offerings
    cover every purchase option, so a spot pool is refused too."""
    values = {**AWS, "region": "eu-west-1", "gpuPools": [pool(gpu="A100-80GB", gpusPerNode=8)]}
    refused = [
        "gpuPools[0].gpu: 'A100-80GB' resolves to p4de.24xlarge, which is not offered in "
        f"eu-west-1 (per {MOTO}, 2026-08-01); regions that offer it: {P4DE_REGIONS}; use one of "
        "them or another GPU"
    ]
    assert errors(values) == refused
    assert spec_issues(values, "gpuPools[0].gpu") == refused
    spot = {**values, "gpuPools": [pool(gpu="A100-80GB", gpusPerNode=8, spot=True)]}
    assert errors(spot) == refused
    ok = {**values, "region": "eu-central-1"}
    assert (errors(ok), warnings(ok)) == ([], [])


def test_us_west_1_sells_no_p4d() -> None:
    """moto's us-west-1.json (getmoto/moto@0af643a5dbfc, last changed 2026-08-01) lists
    p5.48xlarge (H100) but not p4d.24xlarge (A100-40GB)."""
    values = {
        **AWS,
        "region": "us-west-1",
        "network": {"zoneCount": 2},
        "gpuPools": [pool(gpu="A100-40GB", gpusPerNode=8)],
    }
    assert errors(values) == [
        "gpuPools[0].gpu: 'A100-40GB' resolves to p4d.24xlarge, which is not offered in "
        f"us-west-1 (per {MOTO}, 2026-08-01); regions that offer it: {P4D_REGIONS}; use one of "
        "them or another GPU"
    ]
    ok = {**values, "gpuPools": [pool(gpu="H100", gpusPerNode=8)]}
    assert (errors(ok), warnings(ok)) == ([], [])


@pytest.mark.parametrize(
    ("region", "lacking", "listed", "refusal"),
    [
        (
            "ap-northeast-2",
            pool(gpu="A100-80GB", gpusPerNode=8),
            pool(gpu="H200", gpusPerNode=8),
            "gpuPools[0].gpu: 'A100-80GB' resolves to p4de.24xlarge, which is not offered in "
            f"ap-northeast-2 (per {MOTO}, 2026-07-01); regions that offer it: {P4DE_REGIONS}; "
            "use one of them or another GPU",
        ),
        (
            "ap-east-1",
            pool(gpu="L4"),
            pool(gpu="A10"),
            "gpuPools[0].gpu: 'L4' resolves to g6.xlarge, which is not offered in ap-east-1 (per "
            f"{MOTO}, 2026-06-01); regions that offer it: ap-northeast-1, ap-northeast-2, "
            "ap-south-1, ap-southeast-2, ap-southeast-5, ca-central-1, eu-central-1, "
            "eu-central-2 and 11 more; use one of them or another GPU",
        ),
        (
            "ap-southeast-3",
            pool(gpu="T4"),
            pool(gpu="H100", gpusPerNode=8),
            "gpuPools[0].gpu: 'T4' resolves to g4dn.xlarge, which is not offered in "
            f"ap-southeast-3 (per {MOTO}, 2026-03-30); regions that offer it: af-south-1, "
            "ap-east-1, ap-northeast-1, ap-northeast-2, ap-northeast-3, ap-south-1, "
            "ap-southeast-1, ap-southeast-2 and 16 more; use one of them or another GPU",
        ),
        (
            "me-central-1",
            pool(gpu="A100-40GB", gpusPerNode=8),
            pool(gpu="H200", gpusPerNode=8),
            "gpuPools[0].gpu: 'A100-40GB' resolves to p4d.24xlarge, which is not offered in "
            f"me-central-1 (per {MOTO}, 2026-03-16); regions that offer it: {P4D_REGIONS}; use "
            "one of them or another GPU",
        ),
    ],
)
def test_each_dated_moto_file_refuses_what_it_lacks(
    region: str, lacking: dict[str, Any], listed: dict[str, Any], refusal: str
) -> None:
    """getmoto/moto@0af643a5dbfc region files last changed before 2026-08-01, each a table of
    its own date: ap-northeast-2.json (2026-07-01, 9b87ef69411b) has p5en.48xlarge, no
    p4de.24xlarge; ap-east-1.json (2026-06-01, 2329a6267b85) has g5.xlarge, no g6.xlarge;
    ap-southeast-3.json (2026-03-30, 9519656d0e1a) has p5.48xlarge, no g4dn.xlarge;
    me-central-1.json (2026-03-16, b6e48f1ca448) has p5en.48xlarge, no p4d.24xlarge. (The
    last three are opt-in regions, which warn on their own.)"""
    assert errors({**AWS, "region": region, "gpuPools": [lacking]}) == [refusal]
    ok = {**AWS, "region": region, "gpuPools": [listed]}
    assert errors(ok) == []
    assert [w for w in warnings(ok) if not w.startswith("region:")] == []


def test_a_moto_file_more_than_a_year_old_only_warns() -> None:
    """moto's me-south-1.json was last changed 2025-10-12 (getmoto/moto@6ccfb8cfaa71), more than
    a year before 2026-12-06: it lists g4dn.xlarge (T4) but not g5.xlarge (A10), which AWS may
    have added since."""
    values = {**AWS, "region": "me-south-1", "gpuPools": [pool(gpu="A10")]}
    assert errors(values) == []
    assert [w for w in warnings(values) if not w.startswith("region:")] == [
        "gpuPools[0].gpu: 'A10' resolves to g5.xlarge, which may not be offered in me-south-1: "
        f"{MOTO}, 2025-10-12, does not list it there, and that table may be out of date; "
        "regions that offer it: ap-east-1, ap-northeast-1, ap-northeast-2, ap-south-1, "
        "ap-southeast-2, ap-southeast-3, ca-central-1, cn-north-1 and 12 more; check with `aws "
        "ec2 describe-instance-type-offerings --region me-south-1 --filters "
        "Name=instance-type,Values=g5.xlarge`"
    ]
    ok = {**values, "gpuPools": [pool()]}
    assert errors(ok) == []
    assert [w for w in warnings(ok) if not w.startswith("region:")] == []


def test_a_moto_file_is_current_for_a_year_after_its_last_change() -> None:
    """moto's eu-west-1.json, last changed 2026-08-01 (getmoto/moto@c6bd43ff2d09), refuses
    p4de.24xlarge through 2027-08-01; from the next day it only warns."""
    values = {**AWS, "region": "eu-west-1", "gpuPools": [pool(gpu="A100-80GB", gpusPerNode=8)]}
    assert errors(values, Preflight(date(2027, 8, 1))) == [
        "gpuPools[0].gpu: 'A100-80GB' resolves to p4de.24xlarge, which is not offered in "
        f"eu-west-1 (per {MOTO}, 2026-08-01); regions that offer it: {P4DE_REGIONS}; use one of "
        "them or another GPU"
    ]
    later = Preflight(date(2027, 8, 2))
    assert errors(values, later) == []
    assert warnings(values, later) == [
        "gpuPools[0].gpu: 'A100-80GB' resolves to p4de.24xlarge, which may not be offered in "
        f"eu-west-1: {MOTO}, 2026-08-01, does not list it there, and that table may be out of "
        f"date; regions that offer it: {P4DE_REGIONS}; check with `aws ec2 "
        "describe-instance-type-offerings --region eu-west-1 --filters "
        "Name=instance-type,Values=p4de.24xlarge`"
    ]


def test_a_shape_without_data_is_a_warning_never_a_pass() -> None:
    """No table read covers cn-northwest-1 (Karpenter's China list is cn-north-1's; moto has no
    file for the China regions, getmoto/moto@0af643a5dbfc), so g4dn.xlarge cannot be judged
    there."""
    values = {**AWS, "region": "cn-northwest-1", "gpuPools": [pool()]}
    assert errors(values) == []
    assert warnings(values) == [
        "gpuPools[0].gpu: 'T4' resolves to g4dn.xlarge, whose availability in cn-northwest-1 "
        "could not be checked (no availability table covers it there); check with `aws ec2 "
        "describe-instance-type-offerings --region cn-northwest-1 --filters "
        "Name=instance-type,Values=g4dn.xlarge`"
    ]
    assert (errors({**AWS, "gpuPools": [pool()]}), warnings({**AWS, "gpuPools": [pool()]})) == (
        [],
        [],
    )


def test_every_azure_vm_size_is_a_warning() -> None:
    """No dated public per-region list of Azure VM sizes was found (see
    `mlplatform.catalog.limits.gpu_regions`): `az vm list-skus` answers per subscription."""
    assert errors({**AZURE, "gpuPools": [pool(name="t4")]}) == []
    assert warnings({**AZURE, "gpuPools": [pool(name="t4")]}) == [
        "gpuPools[0].gpu: 'T4' resolves to Standard_NC4as_T4_v3, whose availability in "
        "westeurope could not be checked (no availability table covers it there); check with "
        "`az vm list-skus --location westeurope --size Standard_NC4as_T4_v3 --output table`"
    ]
    assert warnings(AZURE) == []


# ---- GPU shapes per GCP zone -----------------------------------------------------------------


def test_a_pool_zone_without_the_accelerator_is_refused() -> None:
    """Compute Engine's regions and zones table (read 2026-12-06) lists the G2 series (NVIDIA
    L4) in us-central1-a, -b and -c, not in us-central1-f."""
    values = {**GCP, "gpuPools": [pool(gpu="L4", zones=["us-central1-a", "us-central1-f"])]}
    assert errors(values) == [
        "gpuPools[0].zones[1]: 'us-central1-f' does not offer g2-standard-8 (nvidia-l4) (per "
        "Compute Engine regions and zones, read 2026-12-06); use one of us-central1-a, "
        "us-central1-b, us-central1-c"
    ]
    ok = {**GCP, "gpuPools": [pool(gpu="L4", zones=["us-central1-a", "us-central1-b"])]}
    assert (errors(ok), warnings(ok)) == ([], [])


def test_a_zone_of_another_region_is_left_to_the_zone_rule() -> None:
    """A zone of another region is the spec's zone rule's to refuse (`rules._zone_problem`);
    preflight does not judge a GPU there too (us-central1-f has no G2 machines)."""
    values = {**GCP, "region": "us-east1", "gpuPools": [pool(gpu="L4", zones=["us-central1-f"])]}
    assert (errors(values), warnings(values)) == ([], [])
    assert spec_issues(values, "gpuPools[0].zones") == [
        "gpuPools[0].zones[0]: 'us-central1-f' is not a zone of region us-east1 (its zones are "
        "us-east1-b, us-east1-c, us-east1-d, per Compute Engine regions and zones, read "
        "2026-12-06); use one of them"
    ]


def test_a_regional_pool_where_some_zones_lack_the_accelerator_warns() -> None:
    """Compute Engine's regions and zones table: us-central1-f has no G2 (L4) machines; a pool
    without zones runs in the zones GKE picked for the regional cluster."""
    assert warnings({**GCP, "gpuPools": [pool(gpu="L4")]}) == [
        "gpuPools[0].zones: is not set, so the pool runs in the zones GKE picked for the cluster "
        "in us-central1, which may include us-central1-f, where g2-standard-8 (nvidia-l4) is not "
        f"offered ({GCP_PAGE}); set zones: [us-central1-a, us-central1-b, us-central1-c]"
    ]
    assert errors({**GCP, "gpuPools": [pool(gpu="L4")]}) == []


def test_a_region_without_the_series_is_refused() -> None:
    """Compute Engine's regions and zones table lists no A3 machines (H100, H200) in any zone
    of europe-west2; SkyPilot's GCP catalog has a3-highgpu-8g rows in the regions named."""
    values = {**GCP, "region": "europe-west2", "gpuPools": [pool(gpu="H100", gpusPerNode=8)]}
    assert errors(values) == [
        "gpuPools[0].gpu: 'H100' resolves to a3-highgpu-8g (nvidia-h100-80gb), which no zone of "
        f"europe-west2 offers ({GCP_PAGE}); regions that offer it: asia-northeast1, "
        "asia-southeast1, australia-southeast1, europe-west1, europe-west3, europe-west4, "
        "us-central1, us-east4 and 3 more; use one of them or another GPU"
    ]
    ok = {**GCP, "gpuPools": [pool(gpu="H100", gpusPerNode=8, zones=["us-central1-a"])]}
    assert (errors(ok), warnings(ok)) == ([], [])


def test_a_series_listing_does_not_confirm_the_gpu() -> None:
    """Compute Engine's regions and zones table says which zones let N1 VMs attach GPUs, not
    which GPU models: T4 on n1-standard-8 cannot be confirmed from it."""
    assert warnings({**GCP, "gpuPools": [pool()]}) == [
        "gpuPools[0].gpu: 'T4' resolves to n1-standard-8 (nvidia-tesla-t4), whose availability "
        "in us-central1 could not be checked (the availability tables list only its machine "
        "series there); check with `gcloud compute accelerator-types list "
        '--filter="name=nvidia-tesla-t4 AND zone~^us-central1-"`'
    ]
    assert errors({**GCP, "gpuPools": [pool()]}) == []


def test_the_newest_table_wins_over_an_old_snapshot() -> None:
    """SkyPilot's GCP snapshot (undated) lists a3-highgpu-8g in europe-north1-c; the current
    regions and zones table lists no A3 machines in any europe-north1 zone."""
    values = {
        **GCP,
        "region": "europe-north1",
        "gpuPools": [pool(gpu="H100", gpusPerNode=8, zones=["europe-north1-c"])],
    }
    assert errors(values) == [
        "gpuPools[0].zones[0]: 'europe-north1-c' does not offer a3-highgpu-8g "
        f"(nvidia-h100-80gb) ({GCP_PAGE}); no zone of europe-north1 offers it; regions that "
        "offer it: asia-northeast1, asia-southeast1, australia-southeast1, europe-west1, "
        "europe-west3, europe-west4, us-central1, us-east4 and 3 more; use one of them or "
        "another GPU"
    ]


# ---- the system pool -------------------------------------------------------------------------


def test_the_system_pool_needs_its_machine_type_in_the_region() -> None:
    """Compute Engine's regions and zones table lists no E2 machines in asia-southeast3
    (Bangkok: N4, C4, C3D, M4, M3 only), where GKE's default system pool e2-standard-4 would
    go."""
    assert errors({**GCP, "region": "asia-southeast3"}) == [
        "cluster.systemPool.instanceType: 'e2-standard-4' is not offered in any zone of "
        f"asia-southeast3 ({GCP_PAGE}); set cluster.systemPool.instanceType to a machine type "
        "sold there"
    ]
    assert (errors(GCP), warnings(GCP)) == ([], [])


def test_an_aws_system_instance_type_not_sold_in_the_region_is_refused() -> None:
    """Karpenter's on-demand price list for us-east-1 (2026-07-20) has m6i.large (the default)
    but not p5e.48xlarge."""
    values = {**AWS, "cluster": {"systemPool": {"instanceType": "p5e.48xlarge"}}}
    assert errors(values) == [
        "cluster.systemPool.instanceType: 'p5e.48xlarge' is not offered on demand in us-east-1 "
        "(per Karpenter's on-demand price list for us-east-1, 2026-07-20); set "
        "cluster.systemPool.instanceType to an instance type sold there"
    ]
    assert (errors(AWS), warnings(AWS)) == ([], [])


def test_a_system_instance_type_only_an_old_table_lacks_warns() -> None:
    """Karpenter's on-demand price list for cn-north-1 is from 2024-11-06, more than a year
    old: it has m6i.large (the default) but not g6.xlarge, which AWS may have added since."""
    values = {
        **AWS,
        "region": "cn-north-1",
        "cluster": {"systemPool": {"instanceType": "g6.xlarge"}},
    }
    assert errors(values) == []
    assert warnings(values) == [
        "cluster.systemPool.instanceType: 'g6.xlarge' may not be offered in cn-north-1: "
        "Karpenter's on-demand price list for cn-north-1, 2024-11-06, does not list it there, "
        "and that table may be out of date; check with `aws ec2 describe-instance-type-offerings "
        "--region cn-north-1 --filters Name=instance-type,Values=g6.xlarge`"
    ]
    assert warnings({**AWS, "region": "cn-north-1"}) == []


def test_the_default_system_instance_type_is_not_sold_in_eu_south_2() -> None:
    """moto's eu-south-2.json and ap-southeast-4.json (getmoto/moto@0af643a5dbfc, last changed
    2026-08-01 by c6bd43ff2d09) list m5.large and m7i.large but not m6i.large, the EKS system
    pool's default; eu-west-1.json lists it."""
    fix = "set cluster.systemPool.instanceType to an instance type sold there"
    assert errors({**AWS, "region": "eu-south-2"}) == [
        "cluster.systemPool.instanceType: 'm6i.large' is not offered in eu-south-2 (per "
        f"{MOTO}, 2026-08-01); {fix}"
    ]
    assert errors({**AWS, "region": "ap-southeast-4"}) == [
        "cluster.systemPool.instanceType: 'm6i.large' is not offered in ap-southeast-4 (per "
        f"{MOTO}, 2026-08-01); {fix}"
    ]
    assert (errors({**AWS, "region": "eu-west-1"}), warnings({**AWS, "region": "eu-west-1"})) == (
        [],
        [],
    )


# ---- what a region lacks ---------------------------------------------------------------------


def test_azure_prod_needs_a_region_with_zones() -> None:
    """Azure reliability guides: zone-redundant storage accounts and registries "can be deployed
    into any region that supports availability zones"; PostgreSQL flexible server in a region
    without zones offers only same-zone high availability. A prod stack asks for all three;
    westus has no zones (Azure regions list, 2026-07-28)."""
    values = {
        **AZURE,
        "environment": "prod",
        "region": "westus",
        "mlflow": {"enabled": True},
    }
    assert errors(values) == [
        "region: 'westus' has no availability zones (per Azure regions list, 2026-07-28), but a "
        "prod stack makes its storage account (Standard_ZRS) and container registry "
        "zone-redundant, which Azure offers only in regions with zones; use a region with zones "
        "such as westus3, westus2, eastus",
        "mlflow.database.highAvailability: True asks for zone-redundant high availability, "
        "which westus cannot give: it has no availability zones (per Azure regions list, "
        "2026-07-28); set mlflow.database.highAvailability: false, or use a region with zones",
    ]
    assert errors({**values, "environment": "dev"}) == []
    assert errors({**values, "region": "westus2"}) == []


def test_us_west_1_has_two_zones_eks_can_use() -> None:
    """AWS Availability Zones page (read 2026-12-06): us-west-1 has usw1-az1, -az2, -az3, and
    "newer accounts can access two"; the EKS User Guide (network requirements, 2024-12-18): "The
    subnets can't reside in ... us-west-1 usw1-az2"."""
    values = {**AWS, "region": "us-west-1"}
    assert errors(values) == [
        "network.zoneCount: 3 needs 3 availability zones, but EKS can use 2 in us-west-1 "
        "(usw1-az1, usw1-az3; it refuses usw1-az2, per EKS User Guide, network requirements, "
        "2024-12-18); set network.zoneCount: 2"
    ]
    assert errors({**values, "network": {"zoneCount": 2}}) == []
    existing = {"networkId": "vpc-1", "subnetIds": ["subnet-a", "subnet-b"]}
    assert errors({**values, "network": {"existing": existing}}) == []


def test_the_eks_refused_zones_are_the_ones_the_network_leaves_out() -> None:
    """The EKS User Guide's refused zone ids are those the created network excludes."""
    assert frozenset(EXCLUDED_ZONE_IDS) == region_limits.EKS_REFUSED_ZONE_IDS


def test_opt_in_and_restricted_regions_warn() -> None:
    """AWS Regions page (read 2026-12-06): af-south-1's opt-in status is "Required"; Azure
    regions list (2026-07-28): access to germanynorth is restricted."""
    assert warnings({**AWS, "region": "af-south-1"}) == [
        "region: 'af-south-1' is an opt-in region (per AWS Regions page, read 2026-12-06): "
        "nothing can be created there until the account enables it; check with `aws account "
        "get-region-opt-status --region-name af-south-1`, enable with `aws account enable-region "
        "--region-name af-south-1`"
    ]
    assert warnings({**AZURE, "region": "germanynorth"}) == [
        "region: 'germanynorth' is a restricted region (per Azure regions list, 2026-07-28): a "
        "subscription deploys there only after Microsoft approves its access request (Azure "
        "region access request process)"
    ]
    assert warnings(AWS) == warnings(AZURE) == []


# ---- the tables and the catalog --------------------------------------------------------------


def test_moto_and_karpenter_agree_on_us_east_1() -> None:
    """Karpenter's on-demand list for us-east-1 (2026-07-20) and moto's us-east-1.json
    (getmoto/moto@0af643a5dbfc, last changed 2026-08-01) agree on every shape both know. Were
    they to differ, a current table's absence wins over a listing (`regions.judge`), so
    Karpenter's on-demand refusal would stand."""
    moto = next(t for t in gpu_regions.MOTO_AWS if "us-east-1" in t.scope)
    karpenter = gpu_regions.AWS_US_EAST_1
    both = moto.offered.keys() & karpenter.offered.keys()
    assert both == set(gpu_regions.MOTO_OFFERED)
    assert {s for s in both if "us-east-1" in moto.offered[s]} == {
        s for s in both if "us-east-1" in karpenter.offered[s]
    }


def test_every_catalog_shape_is_judged_in_the_shipped_regions() -> None:
    """Every AWS shape the GPU catalog resolves to (and the system pool's default) is in the
    us-east-1 on-demand list and in moto's region files, every GCP machine type in the regions
    and zones table: a new catalog row needs its availability."""
    known = {
        cloud: {
            shape for table in gpu_regions.TABLES if table.cloud == cloud for shape in table.offered
        }
        for cloud in ("aws", "gcp")
    }
    assert defaults.SYSTEM_INSTANCE_TYPES["aws"] in gpu_regions.MOTO_OFFERED
    for offering in catalog.OFFERINGS:
        if offering.cloud == "aws":
            assert offering.instance_type in gpu_regions.AWS_US_EAST_1.offered, offering
            assert offering.instance_type in gpu_regions.MOTO_OFFERED, offering
        if offering.cloud == "gcp":
            assert offering.instance_type in known["gcp"], offering


def test_a_stack_with_a_zone_lacking_its_gpu_does_not_parse() -> None:
    """The spec's validation runs this module's errors (Compute Engine regions and zones table:
    no G2 machines in us-central1-f)."""
    values = {**GCP, "gpuPools": [pool(gpu="L4", zones=["us-central1-f"])]}
    with pytest.raises(ConfigError) as caught:
        parse(values)
    assert (
        "gpuPools[0].zones[0]: 'us-central1-f' does not offer g2-standard-8 (nvidia-l4) (per "
        "Compute Engine regions and zones, read 2026-12-06); use one of us-central1-a, "
        "us-central1-b, us-central1-c"
    ) in [str(i) for i in caught.value.issues]


@pytest.mark.parametrize(
    ("stack", "expected"),
    [
        ("aws-dev", []),
        ("aws-prod", []),
        (
            "azure-dev",
            [
                "gpuPools[0].gpu: 'T4' resolves to Standard_NC4as_T4_v3, whose availability in "
                "westeurope could not be checked (no availability table covers it there); check "
                "with `az vm list-skus --location westeurope --size Standard_NC4as_T4_v3 "
                "--output table`"
            ],
        ),
        (
            "azure-prod",
            [
                "gpuPools[0].gpu: 'H100' resolves to Standard_ND96isr_H100_v5, whose "
                "availability in westeurope could not be checked (no availability table covers "
                "it there); check with `az vm list-skus --location westeurope --size "
                "Standard_ND96isr_H100_v5 --output table`",
                "gpuPools[1].gpu: 'A100-80GB' resolves to Standard_ND96amsr_A100_v4, whose "
                "availability in westeurope could not be checked (no availability table covers "
                "it there); check with `az vm list-skus --location westeurope --size "
                "Standard_ND96amsr_A100_v4 --output table`",
            ],
        ),
        ("gcp-dev", []),
        ("gcp-prod", []),
        ("local", []),
    ],
)
def test_what_the_shipped_stacks_are_told(stack: str, expected: list[str]) -> None:
    """The shipped stacks plan: aws us-east-1 sells g4dn.xlarge, p5.48xlarge and p4de.24xlarge
    on demand (Karpenter's list, 2026-07-20) and offers them and m6i.large (moto's
    us-east-1.json, 2026-08-01); Azure sizes cannot be checked; us-central1-f
    has neither G2 (L4) nor A3 (H100) machines (Compute Engine regions and zones table), so the
    gcp stacks' L4 and H100 pools list the other three zones, while a2-highgpu-8g (A100 40GB)
    is in all four us-central1 zones there and in SkyPilot's GCP catalog."""
    cfg = from_stack_file(STACKS_DIR / f"Pulumi.{stack}.yaml")
    told = [str(i) for check in regions.WARNINGS for i in check(cfg, TODAY)]
    assert [str(i) for check in regions.ERRORS for i in check(cfg, TODAY)] == []
    assert told == expected


def test_a_system_instance_type_no_table_covers_is_a_warning() -> None:
    """A system pool type the spec sets where no availability table covers the region (every
    Azure size: no dated per-region source; AWS cn-northwest-1) is warned, never passed; the
    default type is not (it is sold in every region a table covers)."""
    azure = {**AZURE, "cluster": {"systemPool": {"instanceType": "Standard_D8ds_v5"}}}
    assert warnings(azure) == [
        "cluster.systemPool.instanceType: 'Standard_D8ds_v5' could not be checked against "
        "westeurope's offerings (no availability table covers it there); check with `az vm "
        "list-skus --location westeurope --size Standard_D8ds_v5 --output table`"
    ]
    china = {
        **AWS,
        "region": "cn-northwest-1",
        "cluster": {"systemPool": {"instanceType": "m7i.large"}},
    }
    assert warnings(china) == [
        "cluster.systemPool.instanceType: 'm7i.large' could not be checked against "
        "cn-northwest-1's offerings (no availability table covers it there); check with `aws "
        "ec2 describe-instance-type-offerings --region cn-northwest-1 --filters "
        "Name=instance-type,Values=m7i.large`"
    ]
    assert warnings(AZURE) == []
    assert warnings({**AWS, "region": "cn-northwest-1"}) == []
