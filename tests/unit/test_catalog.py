"""GPU catalog: resolution per cloud, rejections with the alternatives, data hygiene."""

from __future__ import annotations

import re
from typing import get_args

import pytest

from mlplatform import catalog
from mlplatform.catalog import CatalogError, data, names, resolve
from mlplatform.environment.model import GpuName

RESOLUTIONS = [
    ("aws", "T4", 1, "g4dn.xlarge", None, "AL2023_x86_64_NVIDIA"),
    ("aws", "L4", 1, "g6.xlarge", None, "AL2023_x86_64_NVIDIA"),
    ("aws", "A10", 1, "g5.xlarge", None, "AL2023_x86_64_NVIDIA"),
    ("aws", "A100-40GB", 8, "p4d.24xlarge", None, "AL2023_x86_64_NVIDIA"),
    ("aws", "A100-80GB", 8, "p4de.24xlarge", None, "AL2023_x86_64_NVIDIA"),
    ("aws", "H100", 8, "p5.48xlarge", None, "AL2023_x86_64_NVIDIA"),
    ("aws", "H200", 8, "p5en.48xlarge", None, "AL2023_x86_64_NVIDIA"),
    ("azure", "T4", 1, "Standard_NC4as_T4_v3", None, "Ubuntu"),
    ("azure", "A10", 1, "Standard_NV36ads_A10_v5", None, "Ubuntu"),
    ("azure", "A100-80GB", 1, "Standard_NC24ads_A100_v4", None, "Ubuntu"),
    ("azure", "A100-40GB", 8, "Standard_ND96asr_v4", None, "Ubuntu"),
    ("azure", "A100-80GB", 8, "Standard_ND96amsr_A100_v4", None, "Ubuntu"),
    ("azure", "H100", 1, "Standard_NC40ads_H100_v5", None, "Ubuntu"),
    ("azure", "H100", 8, "Standard_ND96isr_H100_v5", None, "Ubuntu"),
    ("azure", "H200", 8, "Standard_ND96isr_H200_v5", None, "Ubuntu"),
    ("gcp", "T4", 1, "n1-standard-8", "nvidia-tesla-t4", "COS_CONTAINERD"),
    ("gcp", "L4", 1, "g2-standard-8", "nvidia-l4", "COS_CONTAINERD"),
    ("gcp", "A100-40GB", 1, "a2-highgpu-1g", "nvidia-tesla-a100", "COS_CONTAINERD"),
    ("gcp", "A100-80GB", 1, "a2-ultragpu-1g", "nvidia-a100-80gb", "COS_CONTAINERD"),
    ("gcp", "H100", 8, "a3-highgpu-8g", "nvidia-h100-80gb", "COS_CONTAINERD"),
    ("gcp", "H200", 8, "a3-ultragpu-8g", "nvidia-h200-141gb", "COS_CONTAINERD"),
]


@pytest.mark.parametrize(("cloud", "gpu", "count", "instance", "accelerator", "image"), RESOLUTIONS)
def test_resolve(
    cloud: str, gpu: str, count: int, instance: str, accelerator: str | None, image: str
) -> None:
    resolved = resolve(cloud, gpu, count)
    assert resolved.instance_type == instance
    assert resolved.accelerator == accelerator
    assert resolved.offering.gpus_per_node == count
    assert resolved.image.name == image


def test_smallest_shape_wins_among_equal_gpu_counts() -> None:
    assert [o.instance_type for o in catalog.offerings("azure", "T4") if o.gpus_per_node == 1] == [
        "Standard_NC4as_T4_v3",
        "Standard_NC8as_T4_v3",
        "Standard_NC16as_T4_v3",
    ]
    assert resolve("azure", "T4", 1).instance_type == "Standard_NC4as_T4_v3"


@pytest.mark.parametrize(
    ("cloud", "gpu", "offered"),
    [
        ("azure", "L4", ["A10", "A100-40GB", "A100-80GB", "H100", "H200", "T4"]),
        ("gcp", "A10", ["A100-40GB", "A100-80GB", "H100", "H200", "L4", "T4"]),
    ],
)
def test_missing_gpu_lists_what_the_cloud_offers(cloud: str, gpu: str, offered: list[str]) -> None:
    with pytest.raises(CatalogError) as caught:
        resolve(cloud, gpu, 1)
    assert caught.value.alternatives == offered
    assert str(caught.value) == (
        f"gpu: {gpu!r} is not offered on {cloud}; choose one of {', '.join(offered)}"
    )


def test_missing_gpu_count_lists_the_counts() -> None:
    with pytest.raises(CatalogError) as caught:
        resolve("aws", "A100-80GB", 1)
    assert caught.value.alternatives == [8]
    assert str(caught.value) == (
        "gpus_per_node: 1 GPUs per node is not offered for A100-80GB on aws; choose one of 8"
    )


def test_alternate_images_and_what_they_provide() -> None:
    bottlerocket = resolve("aws", "T4", 1, image="BOTTLEROCKET_x86_64_NVIDIA").image
    assert bottlerocket.provides_device_plugin is True
    assert resolve("aws", "T4", 1).image.provides_device_plugin is False
    assert resolve("gcp", "L4", 1).image.driver == "gke-managed"
    with pytest.raises(CatalogError) as caught:
        resolve("aws", "T4", 1, image="COS_CONTAINERD")
    assert str(caught.value) == (
        "node_image: 'COS_CONTAINERD' is not a GPU node image on aws; choose one of "
        "AL2023_x86_64_NVIDIA, BOTTLEROCKET_x86_64_NVIDIA"
    )


def test_unknown_cloud() -> None:
    with pytest.raises(CatalogError) as caught:
        resolve("kubernetes", "T4", 1)
    assert (
        str(caught.value) == "cloud: 'kubernetes' has no GPU catalog; choose one of aws, azure, gcp"
    )


def test_resolve_pools_gives_each_pool_its_shape() -> None:
    pools = [{"name": "t4", "gpu": "T4"}, {"name": "h100", "gpu": "H100", "gpus_per_node": 8}]
    shapes = catalog.resolve_pools("aws", pools)
    assert [s.instance_type for s in shapes] == ["g4dn.xlarge", "p5.48xlarge"]


def test_data_rows_are_consistent_and_sourced() -> None:
    names = {g.value for g in GpuName}
    assert set(catalog.GPU_NAMES) == names
    seen = set()
    for row in data.OFFERINGS:
        assert row.gpu in names
        assert row.cloud in catalog.CLOUDS
        assert (row.accelerator is not None) == (row.cloud == "gcp"), row
        assert row.source.startswith("https://"), row
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.checked)
        assert 1 <= row.gpus_per_node <= 8 and row.vcpus > 0 and row.memory_gib > 0
        assert row.instance_type not in seen, f"duplicate {row.instance_type}"
        seen.add(row.instance_type)


def test_each_closed_set_is_one_enum_and_the_same_literal() -> None:
    # A type checker cannot derive one from the other (catalog/names.py): they must agree.
    assert get_args(names.GpuNameText) == tuple(g.value for g in names.GpuName)
    assert catalog.GPU_NAMES == ("T4", "L4", "A10", "A100-40GB", "A100-80GB", "H100", "H200")
    assert get_args(names.SharingModeText) == tuple(m.value for m in names.SharingMode)
    assert GpuName is names.GpuName  # the spec's own enum, not a copy


def test_every_cloud_offers_the_gpus_the_issue_names() -> None:
    assert catalog.gpus_offered("aws") == sorted(catalog.GPU_NAMES)
    assert "L4" not in catalog.gpus_offered("azure")
    assert "A10" not in catalog.gpus_offered("gcp")
