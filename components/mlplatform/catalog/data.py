"""GPU catalog data: portable GPU names resolved per cloud, with sources.

Each entry was checked against the cloud's own documentation on the date given.
"""

import re
from typing import NamedTuple

from mlplatform.catalog.names import GpuName

# Sources, and how each was read (all checked 2026-11-27):
#
# AWS  https://karpenter.sh/docs/reference/instance-types/
#      AWS's Karpenter project documents every EC2 instance type from the EC2
#      DescribeInstanceTypes API (file website/content/en/docs/reference/
#      instance-types.md in github.com/aws/karpenter-provider-aws, commit
#      1d927085dd81a9df9301e613f371dac5b4d16bfe). Per row we read the labels
#      instance-cpu, instance-memory (MiB), instance-gpu-count,
#      instance-gpu-name and instance-gpu-memory (MiB, per GPU).
#      Cross-checked where they overlap: the Amazon EC2 User Guide page
#      "Linux accelerated computing instances" (source in
#      github.com/awsdocs/amazon-ec2-user-guide, last content commit e3707c4,
#      2023-06) gives the same vCPUs / GiB for g4dn.*, g5.*, p4d.24xlarge and
#      p4de.24xlarge and says "P4de instances offer NVIDIA 80GB-A100s GPUs";
#      the AWS Batch page "Run GPU jobs"
#      (https://docs.aws.amazon.com/batch/latest/userguide/gpu-jobs.html, read
#      through its stored pt_BR / ko_KR copies) gives 16 GiB per T4 and 24 GiB
#      per A10G / L4 GPU.
#      Note: the EC2 API reports 22888 MiB (about 22.4 GiB) of usable memory
#      per A10G and per L4; gpu_memory_gib below uses the 24 GiB the AWS Batch
#      page states (the GPUs' nominal size), like the Azure and GCP rows.
#
# Azure  https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/gpu-accelerated/<series>
#      Read from the pages' source in github.com/MicrosoftDocs/azure-compute-docs
#      (articles/virtual-machines/sizes/gpu-accelerated/<series>.md and its
#      includes/<series>-specs.md): the "Basics" table (vCPUs, memory GiB), the
#      "Accelerators" table (GPU count, accelerator memory) and the host
#      specifications (GPU model and per-GPU memory).
#
# GCP  https://cloud.google.com/compute/docs/gpus
#      Read from a stored full copy of Google's text of this page (as re-served
#      for the S3NS partner cloud, last updated 2026-08-26), cross-checked with
#      a stored copy of https://docs.cloud.google.com/compute/docs/machine-resource;
#      N1 shapes from a stored copy of an older
#      https://cloud.google.com/compute/docs/machine-types. Details in the GCP
#      section below.


class GpuOffering(NamedTuple):
    """One way a cloud offers a GPU: a node shape with N GPUs of one model."""

    gpu: str  # portable name, one of GPU_NAMES
    cloud: str  # "aws" | "azure" | "gcp"
    gpus_per_node: int
    instance_type: str  # AWS instance type / Azure VM size / GCP machine type
    accelerator: str | None  # GCP accelerator type (e.g. "nvidia-l4"); None on AWS and Azure
    gpu_memory_gib: int  # memory of ONE GPU in GiB
    vcpus: int
    memory_gib: int  # host memory of the node
    source: str  # URL of the doc page the row was checked against
    checked: str = "2026-11-27"


GPU_NAMES: tuple[str, ...] = tuple(g.value for g in GpuName)
"""Portable GPU names, in catalog order (`mlplatform.catalog.names.GpuName`)."""

_AWS = "https://karpenter.sh/docs/reference/instance-types/"
_AZ = "https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/gpu-accelerated/"
_GCP_GPUS = "https://cloud.google.com/compute/docs/gpus"

OFFERINGS: tuple[GpuOffering, ...] = (
    # ------------------------------------------------------------------ AWS
    # T4 (g4dn). API: gpu-name t4, 16384 MiB per GPU.
    # g4dn.xlarge: 4 vCPU, 16384 MiB; 1 GPU. Checked 2026-11-27.
    GpuOffering("T4", "aws", 1, "g4dn.xlarge", None, 16, 4, 16, _AWS),
    # g4dn.12xlarge: 48 vCPU, 196608 MiB; 4 GPUs. Checked 2026-11-27.
    GpuOffering("T4", "aws", 4, "g4dn.12xlarge", None, 16, 48, 192, _AWS),
    # g4dn.metal: 96 vCPU, 393216 MiB; 8 GPUs (bare metal). Checked 2026-11-27.
    GpuOffering("T4", "aws", 8, "g4dn.metal", None, 16, 96, 384, _AWS),
    # L4 (g6). API: gpu-name l4, 22888 MiB per GPU (24 GiB nominal, see header).
    # g6.xlarge: 4 vCPU, 16384 MiB; 1 GPU. Checked 2026-11-27.
    GpuOffering("L4", "aws", 1, "g6.xlarge", None, 24, 4, 16, _AWS),
    # g6.12xlarge: 48 vCPU, 196608 MiB; 4 GPUs. Checked 2026-11-27.
    GpuOffering("L4", "aws", 4, "g6.12xlarge", None, 24, 48, 192, _AWS),
    # g6.48xlarge: 192 vCPU, 786432 MiB; 8 GPUs. Checked 2026-11-27.
    GpuOffering("L4", "aws", 8, "g6.48xlarge", None, 24, 192, 768, _AWS),
    # A10 -> AWS's A10G (g5). API: gpu-name a10g, 22888 MiB per GPU (24 GiB nominal).
    # g5.xlarge: 4 vCPU, 16384 MiB; 1 GPU. Checked 2026-11-27.
    GpuOffering("A10", "aws", 1, "g5.xlarge", None, 24, 4, 16, _AWS),
    # g5.12xlarge: 48 vCPU, 196608 MiB; 4 GPUs. Checked 2026-11-27.
    GpuOffering("A10", "aws", 4, "g5.12xlarge", None, 24, 48, 192, _AWS),
    # g5.48xlarge: 192 vCPU, 786432 MiB; 8 GPUs. Checked 2026-11-27.
    GpuOffering("A10", "aws", 8, "g5.48xlarge", None, 24, 192, 768, _AWS),
    # A100-40GB: p4d.24xlarge: 96 vCPU, 1179648 MiB; 8 x a100, 40960 MiB each.
    # Checked 2026-11-27. AWS offers no smaller A100 shape.
    GpuOffering("A100-40GB", "aws", 8, "p4d.24xlarge", None, 40, 96, 1152, _AWS),
    # A100-80GB: p4de.24xlarge: 96 vCPU, 1179648 MiB; 8 x a100, 81920 MiB each.
    # Checked 2026-11-27.
    GpuOffering("A100-80GB", "aws", 8, "p4de.24xlarge", None, 80, 96, 1152, _AWS),
    # H100: p5.4xlarge: 16 vCPU, 262144 MiB; 1 x h100, 81920 MiB. Checked 2026-11-27.
    # (Not in the starting facts; added because the API lists it.)
    GpuOffering("H100", "aws", 1, "p5.4xlarge", None, 80, 16, 256, _AWS),
    # H100: p5.48xlarge: 192 vCPU, 2097152 MiB; 8 x h100, 81920 MiB each. Checked 2026-11-27.
    GpuOffering("H100", "aws", 8, "p5.48xlarge", None, 80, 192, 2048, _AWS),
    # H200: p5en.48xlarge: 192 vCPU, 2097152 MiB; 8 x h200, 144384 MiB (141 GiB) each.
    # Checked 2026-11-27. Its sibling p5e.48xlarge (same shape) is left out: it is not sold
    # on demand. Karpenter's on-demand price list for us-east-1 (aws/karpenter-provider-aws
    # pkg/providers/pricing/zz_generated.pricing_aws.go, generated 2026-07-20 from the AWS
    # Price List API) prices p5en.48xlarge but has no p5e.48xlarge, and SkyPilot's AWS
    # catalog lists p5e rows with no on-demand price in any region (read 2026-12-06): a pool
    # of it would never get a node without a Capacity Block.
    GpuOffering("H200", "aws", 8, "p5en.48xlarge", None, 141, 192, 2048, _AWS),
    # ---------------------------------------------------------------- Azure
    # T4: NCasT4_v3 (host spec: Nvidia Tesla T4 GPU (16GB)). Checked 2026-11-27.
    GpuOffering("T4", "azure", 1, "Standard_NC4as_T4_v3", None, 16, 4, 28, _AZ + "ncast4v3-series"),
    GpuOffering("T4", "azure", 1, "Standard_NC8as_T4_v3", None, 16, 8, 56, _AZ + "ncast4v3-series"),
    GpuOffering(
        "T4", "azure", 1, "Standard_NC16as_T4_v3", None, 16, 16, 110, _AZ + "ncast4v3-series"
    ),
    GpuOffering(
        "T4", "azure", 4, "Standard_NC64as_T4_v3", None, 16, 64, 440, _AZ + "ncast4v3-series"
    ),
    # L4: Azure has no L4 VM size (none in the gpu-accelerated size pages).
    # A10: NVadsA10_v5 (host spec: Nvidia A10 GPU (24GB)). Checked 2026-11-27.
    # NV6ads / NV12ads / NV18ads have 1/6, 1/3 and 1/2 of a GPU: left out.
    # NV36adms_A10_v5 (1 GPU, 36 vCPU, 880 GiB) also exists; left out as a
    # memory-heavy variant of NV36ads.
    GpuOffering(
        "A10", "azure", 1, "Standard_NV36ads_A10_v5", None, 24, 36, 440, _AZ + "nvadsa10v5-series"
    ),
    GpuOffering(
        "A10", "azure", 2, "Standard_NV72ads_A10_v5", None, 24, 72, 880, _AZ + "nvadsa10v5-series"
    ),
    # A100-40GB: NDasrA100_v4 (host spec: 8 x Nvidia A100 GPU (40GB); accelerator
    # memory 320 GB total). Checked 2026-11-27.
    GpuOffering(
        "A100-40GB",
        "azure",
        8,
        "Standard_ND96asr_v4",
        None,
        40,
        96,
        900,
        _AZ + "ndasra100v4-series",
    ),
    # A100-80GB: NC_A100_v4 (host spec: Nvidia PCIe A100 GPU (80GB)). Checked 2026-11-27.
    # The page notes Microsoft only deploys new NC capacity for NCads_H100_v5.
    GpuOffering(
        "A100-80GB",
        "azure",
        1,
        "Standard_NC24ads_A100_v4",
        None,
        80,
        24,
        220,
        _AZ + "nca100v4-series",
    ),
    GpuOffering(
        "A100-80GB",
        "azure",
        2,
        "Standard_NC48ads_A100_v4",
        None,
        80,
        48,
        440,
        _AZ + "nca100v4-series",
    ),
    GpuOffering(
        "A100-80GB",
        "azure",
        4,
        "Standard_NC96ads_A100_v4",
        None,
        80,
        96,
        880,
        _AZ + "nca100v4-series",
    ),
    # A100-80GB: NDm_A100_v4 (host spec: 8 x Nvidia A100 GPU (80GB)). Checked 2026-11-27.
    GpuOffering(
        "A100-80GB",
        "azure",
        8,
        "Standard_ND96amsr_A100_v4",
        None,
        80,
        96,
        1900,
        _AZ + "ndma100v4-series",
    ),
    # H100: NCads_H100_v5 is the PCIe H100 NVL part with 94 GB per GPU (host
    # spec: "Nvidia PCIe H100 GPU (94GB)"; accelerator memory 94 / 188 GB).
    # Mapped to portable "H100" with its real memory. Checked 2026-11-27.
    GpuOffering(
        "H100",
        "azure",
        1,
        "Standard_NC40ads_H100_v5",
        None,
        94,
        40,
        320,
        _AZ + "ncadsh100v5-series",
    ),
    GpuOffering(
        "H100",
        "azure",
        2,
        "Standard_NC80adis_H100_v5",
        None,
        94,
        80,
        640,
        _AZ + "ncadsh100v5-series",
    ),
    # H100: ND_H100_v5 (host spec: 8 x Nvidia H100 GPU (80GB); 640 GB total). Checked 2026-11-27.
    GpuOffering(
        "H100", "azure", 8, "Standard_ND96isr_H100_v5", None, 80, 96, 1900, _AZ + "ndh100v5-series"
    ),
    # H200: ND_H200_v5 (host spec: 8 x Nvidia H200 GPU (141GB); 1128 GB total). Checked 2026-11-27.
    GpuOffering(
        "H200",
        "azure",
        8,
        "Standard_ND96isr_H200_v5",
        None,
        141,
        96,
        1850,
        _AZ + "nd-h200-v5-series",
    ),
    # ------------------------------------------------------------------ GCP
    # Accelerator names were read from the GPU-model list of stored copies of
    # https://cloud.google.com/compute/docs/gpus (nvidia-tesla-t4, nvidia-l4,
    # nvidia-tesla-a100, nvidia-a100-80gb, nvidia-h100-80gb) and, for
    # nvidia-h200-141gb, from Google's github.com/GoogleCloudPlatform/cluster-toolkit
    # (pkg/orchestrator/gke/gke_job_orchestrator.go, commit 1047080); the full
    # stored copy below also names nvidia-h200-141gb for A3 Ultra.
    #
    # Shapes (vCPUs, memory, GPU count, GPU memory) below were read from a
    # stored copy of the whole GPU machine types page: Google's text as
    # re-served at https://documentation.s3ns.fr/compute/docs/gpus (Google's
    # docs for the S3NS partner cloud, which carry the banner "Some or all of
    # the information on this page might not apply to Cloud de Confiance by
    # S3NS"), "Last updated: 2026-08-26", held as a Markdown capture in the
    # search tool's GitHub file index (file id 59402887309; its repository was
    # not identifiable). Its per-series tables (A3 Ultra, A3 High, A2 Ultra,
    # A2 Standard, G2, N1+T4) are the ones cited per row; rows cite the
    # canonical cloud.google.com URL.
    # Cross-check: a stored copy of
    # https://docs.cloud.google.com/compute/docs/machine-resource (last updated
    # 2026-05-08) says "A3 instances offer up to 224 vCPUs and up to 2,952 GB of
    # memory", "A2 instances offer 12 to 96 vCPUs, and up to 1,360 GB" and
    # "G2 instances offer 4 to 96 vCPUs and up to 432 GB of memory. Each G2
    # machine type has either 1, 2, 4, or 8 NVIDIA L4 GPUs attached".
    # Memory: Google documents instance memory in GB; memory_gib holds that
    # documented number unchanged. (The Compute API's memoryMb for
    # a2-highgpu-1g is 87040 = 85 x 1024, i.e. these "GB" are GiB-sized.)
    #
    # T4 on N1: the "N1+T4 GPUs" table allows, per GPU count, 1 GPU: 1 to 48
    # vCPUs and 1 to 312 GB; 4 GPUs: 1 to 96 vCPUs and 1 to 624 GB; 16 GB GDDR6
    # per GPU. n1-standard-8 (8 vCPUs, 30 GB) and n1-standard-32 (32 vCPUs,
    # 120 GB) fit those limits. The two shapes were read from a stored copy of
    # an older version of https://cloud.google.com/compute/docs/machine-types
    # ("Standard machine types have 3.75 GB of system memory per vCPU";
    # n1-standard-8: 8 vCPUs, 30 GB; n1-standard-32: 32 vCPUs, 120 GB); the
    # N1 table now lives on /compute/docs/general-purpose-machines, which was
    # not readable here. Checked 2026-11-27.
    GpuOffering("T4", "gcp", 1, "n1-standard-8", "nvidia-tesla-t4", 16, 8, 30, _GCP_GPUS),
    GpuOffering("T4", "gcp", 4, "n1-standard-32", "nvidia-tesla-t4", 16, 32, 120, _GCP_GPUS),
    # L4 (G2 table, "Default instance memory (GB)"; 24 GB GDDR6 per GPU):
    # g2-standard-8: 1 GPU, 8 vCPUs, 32 GB. g2-standard-48: 4 GPUs (96 GB),
    # 48 vCPUs, 192 GB. g2-standard-96: 8 GPUs (192 GB), 96 vCPUs, 384 GB.
    # Other G2 shapes (g2-standard-4/12/16/24/32) left out: not requested.
    # Checked 2026-11-27.
    GpuOffering("L4", "gcp", 1, "g2-standard-8", "nvidia-l4", 24, 8, 32, _GCP_GPUS),
    GpuOffering("L4", "gcp", 4, "g2-standard-48", "nvidia-l4", 24, 48, 192, _GCP_GPUS),
    GpuOffering("L4", "gcp", 8, "g2-standard-96", "nvidia-l4", 24, 96, 384, _GCP_GPUS),
    # A100-40GB (A2 Standard table, "Attached NVIDIA A100 40GB GPUs"; GPU
    # memory 40 GB HBM2 per GPU): a2-highgpu-1g: 12 vCPUs, 85 GB; -2g: 24 vCPUs,
    # 170 GB; -4g: 48 vCPUs, 340 GB; -8g: 96 vCPUs, 680 GB. a2-highgpu-1g also
    # matches a captured Compute Engine API machineTypes response in Google's
    # cluster-toolkit (community/modules/scheduler/schedmd-slurm-gcp-v6-controller/
    # modules/slurm_files/scripts/tests/test_util.py, commit 1047080:
    # "1 NVIDIA Tesla A100 GPU, 12 vCPUs, 85GB RAM", memoryMb 87040).
    # a2-megagpu-16g (16 GPUs) left out: above the 8 GPUs per node the spec
    # allows. Checked 2026-11-27.
    GpuOffering("A100-40GB", "gcp", 1, "a2-highgpu-1g", "nvidia-tesla-a100", 40, 12, 85, _GCP_GPUS),
    GpuOffering(
        "A100-40GB", "gcp", 2, "a2-highgpu-2g", "nvidia-tesla-a100", 40, 24, 170, _GCP_GPUS
    ),
    GpuOffering(
        "A100-40GB", "gcp", 4, "a2-highgpu-4g", "nvidia-tesla-a100", 40, 48, 340, _GCP_GPUS
    ),
    GpuOffering(
        "A100-40GB", "gcp", 8, "a2-highgpu-8g", "nvidia-tesla-a100", 40, 96, 680, _GCP_GPUS
    ),
    # A100-80GB (A2 Ultra table, "Attached NVIDIA A100 80GB GPUs"; GPU memory
    # 80 GB HBM2e per GPU; Local SSD attached): a2-ultragpu-1g: 12 vCPUs,
    # 170 GB; -2g: 24 vCPUs, 340 GB; -4g: 48 vCPUs, 680 GB; -8g: 96 vCPUs,
    # 1,360 GB. Checked 2026-11-27.
    GpuOffering(
        "A100-80GB", "gcp", 1, "a2-ultragpu-1g", "nvidia-a100-80gb", 80, 12, 170, _GCP_GPUS
    ),
    GpuOffering(
        "A100-80GB", "gcp", 2, "a2-ultragpu-2g", "nvidia-a100-80gb", 80, 24, 340, _GCP_GPUS
    ),
    GpuOffering(
        "A100-80GB", "gcp", 4, "a2-ultragpu-4g", "nvidia-a100-80gb", 80, 48, 680, _GCP_GPUS
    ),
    GpuOffering(
        "A100-80GB", "gcp", 8, "a2-ultragpu-8g", "nvidia-a100-80gb", 80, 96, 1360, _GCP_GPUS
    ),
    # H100: a3-highgpu-8g: 8 GPUs, 640 GB HBM3, 208 vCPUs, 1872 GB (A3 High
    # table; same figures in the earlier-read "NVIDIA H100 GPUs" table).
    # a3-highgpu-1g/2g/4g also exist in the A3 High table (26/52/104 vCPUs,
    # 234/468/936 GB); not added here: not requested. Checked 2026-11-27.
    GpuOffering("H100", "gcp", 8, "a3-highgpu-8g", "nvidia-h100-80gb", 80, 208, 1872, _GCP_GPUS),
    # H200: a3-ultragpu-8g (A3 Ultra table, "Attached NVIDIA H200 GPUs"):
    # 224 vCPUs, 2,952 GB, 8 GPUs with 1128 GB HBM3e in total (141 GB each;
    # the page's comparison chart also gives "141 GB HBM3e" per H200).
    # An older proxied copy of the accelerator-optimized page gave the A3
    # series as "up to 224 vCPUs, and 2,944 GB of memory"; the current GPU page
    # table and the machine-resource page both say 2,952 GB, used here.
    # Checked 2026-11-27.
    GpuOffering("H200", "gcp", 8, "a3-ultragpu-8g", "nvidia-h200-141gb", 141, 224, 2952, _GCP_GPUS),
    # A10: GCP has no A10.
)

GCP_GPU_MACHINE = re.compile(r"^(a2|a3|a4|g2|g4)-")
"""Google's accelerator-optimized machine types: each comes with its GPUs attached, with no
guestAccelerators block ("Each accelerator-optimized machine type has a specific model of
NVIDIA GPUs attached", cloud.google.com/compute/docs/gpus/create-gpu-vm-accelerator-optimized).
The policy pack's GPU rules and the cost estimate both read a pool of one as a GPU pool."""
