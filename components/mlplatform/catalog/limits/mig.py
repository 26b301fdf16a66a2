"""Layer 1, data: Multi-Instance GPU (MIG) profiles per GPU model, how each cloud's node
pool API takes one, and the GPU node images that share GPUs only by their own settings, read
2026-12-06.

A MIG profile is `<compute slices>g.<memory>gb`, and the memory figure follows the GPU's own
memory, so a profile valid on one A100 is not on another: the portable GPU name alone does not
say which profiles exist. Each catalog shape records its GPU's memory (`GpuOffering.
gpu_memory_gib`), and `model_of(gpu, memory_gib)` finds the model from it: Azure's
Standard_NC40ads_H100_v5 and NC80adis_H100_v5 carry the H100 NVL (94 GB, profiles 1g.12gb...)
while its ND96isr_H100_v5, AWS's p5 and GCP's a3-highgpu carry the 80 GB H100 (1g.10gb...).
"""

from typing import NamedTuple

NVIDIA_PROFILES_SOURCE = (
    "NVIDIA MIG User Guide, Supported MIG Profiles "
    "(docs.nvidia.com/datacenter/tesla/mig-user-guide/supported-mig-profiles.html, read "
    "2026-12-06: 'For A100-SXM4-80GB, the profile names will change according to the memory "
    "proportion - for example, 1g.10gb, 1g.10gb+me, 1g.20gb, 2g.20gb, 3g.40gb, 4g.40gb, "
    "7g.80gb'), and the MIG configurations NVIDIA's GPU operator ships per PCI device "
    "(NVIDIA/gpu-operator@a22dbf671f2e26f9a1e342f8eea28e196235e110 "
    "assets/state-mig-manager/0400_configmap.yaml, last changed 2026-02-13)"
)
NVIDIA_SHORT = "NVIDIA MIG user guide"


class MigGpu(NamedTuple):
    """One MIG-capable GPU model and its profiles."""

    model: str
    """The model as NVIDIA names it, e.g. "H100 NVL 94GB"."""
    gpu: str
    """The portable GPU name its catalog shapes carry (`mlplatform.catalog.names.GpuName`)."""
    memory_gib: int
    """Memory of one GPU as the catalog's shapes record it (`GpuOffering.gpu_memory_gib`)."""
    profiles: tuple[str, ...]
    """Every MIG profile NVIDIA defines for the model, fewest compute slices first."""
    whole_gpu: tuple[str, ...]
    """For each compute size (1g, 2g, 3g, 4g, 7g) the one profile whose instances fill the
    GPU (seven 1g, three 2g, ...): what AKS's gpuInstanceProfile MIG1g...MIG7g makes."""
    instances: tuple[int, ...] = (7, 1, 4, 3, 2, 1, 1)
    """How many instances of each of `profiles` (in that order) one GPU holds: the GPU
    operator's `all-<profile>` layouts (`NVIDIA_PROFILES_SOURCE`), the same seven counts for
    every model of the table (the `+me` profile once per GPU)."""
    source: str = NVIDIA_PROFILES_SOURCE
    checked: str = "2026-12-06"

    def instances_of(self, profile: str) -> int | None:
        """The instances of `profile` one GPU holds; None when the model has no such profile."""
        return dict(zip(self.profiles, self.instances, strict=True)).get(profile)


MIG_GPUS: tuple[MigGpu, ...] = (
    # gpu-operator: all-1g.5gb ... all-7g.40gb "# A100-40GB", and all-1g.10gb with
    # "1g.10gb": 4 for the A100-40GB device ids (0x20B0, 0x20B1, 0x20F1, 0x20F6).
    # AWS p4d.24xlarge, Azure Standard_ND96asr_v4, GCP a2-highgpu-*.
    MigGpu(
        "A100 40GB",
        "A100-40GB",
        40,
        ("1g.5gb", "1g.5gb+me", "1g.10gb", "2g.10gb", "3g.20gb", "4g.20gb", "7g.40gb"),
        ("1g.5gb", "2g.10gb", "3g.20gb", "4g.20gb", "7g.40gb"),
    ),
    # gpu-operator: "# H100-80GB, H800-80GB, A100-80GB, A800-80GB" (device ids 0x20B2, 0x20B5,
    # 0x20F3, 0x20F5 ...). AWS p4de.24xlarge, Azure NC*ads_A100_v4 and ND96amsr_A100_v4, GCP
    # a2-ultragpu-*.
    MigGpu(
        "A100 80GB",
        "A100-80GB",
        80,
        ("1g.10gb", "1g.10gb+me", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"),
        ("1g.10gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"),
    ),
    # Same profiles (device ids 0x2330, 0x2331, 0x2322, 0x2324). AWS p5.*, Azure
    # ND96isr_H100_v5, GCP a3-highgpu-8g.
    MigGpu(
        "H100 80GB",
        "H100",
        80,
        ("1g.10gb", "1g.10gb+me", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"),
        ("1g.10gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"),
    ),
    # gpu-operator: all-1g.12gb, all-1g.24gb, all-2g.24gb, all-3g.47gb, all-4g.47gb,
    # all-7g.94gb "# H100 NVL, H800 NVL". Azure NC40ads_H100_v5 / NC80adis_H100_v5 ("Nvidia
    # PCIe H100 GPU (94GB)", see catalog/data.py).
    MigGpu(
        "H100 NVL 94GB",
        "H100",
        94,
        ("1g.12gb", "1g.12gb+me", "1g.24gb", "2g.24gb", "3g.47gb", "4g.47gb", "7g.94gb"),
        ("1g.12gb", "2g.24gb", "3g.47gb", "4g.47gb", "7g.94gb"),
    ),
    # gpu-operator: all-1g.18gb ... all-7g.141gb "# H200-141GB" (device id 0x2335). AWS
    # p5e/p5en.48xlarge, Azure ND96isr_H200_v5, GCP a3-ultragpu-8g.
    MigGpu(
        "H200 141GB",
        "H200",
        141,
        ("1g.18gb", "1g.18gb+me", "1g.35gb", "2g.35gb", "3g.71gb", "4g.71gb", "7g.141gb"),
        ("1g.18gb", "2g.35gb", "3g.71gb", "4g.71gb", "7g.141gb"),
    ),
)
"""The MIG-capable GPUs of the catalog. T4 (Turing), L4 (Ada) and A10 are not MIG GPUs: 'MIG
is supported on GPUs starting with the NVIDIA Ampere generation', and neither is on the guide's
list of supported GPUs (docs.nvidia.com/datacenter/tesla/mig-user-guide/supported-gpus.html,
read 2026-12-06)."""

MAX_INSTANCES = 7
"""The most MIG instances any GPU holds ("partition a single supported GPU in up to seven
slices": cloud.google.com/kubernetes-engine/docs/how-to/gpus-multi, read 2026-12-06)."""

MIG_CAPABLE_GPUS = frozenset(g.gpu for g in MIG_GPUS)
"""Portable GPU names with Multi-Instance GPU support."""

PROFILE_FORM = r"^[1-7]g\.\d+gb$"
"""A MIG profile as a node pool API takes it: `[compute]g.[memory]gb` ('To configure GPU
partition sizes, use the following syntax: [compute]g.[memory]gb', GKE, Running multi-instance
GPUs, cloud.google.com/kubernetes-engine/docs/how-to/gpus-multi, read 2026-12-06). The media
extension profiles (1g.10gb+me) have no such name: no cloud's pool API makes them."""

POOL_PROFILE_FIELD = {
    "azure": "gpuInstanceProfile",
    "gcp": "gpu_partition_size",
}
"""The clouds whose node pool API partitions GPUs at pool creation, and the field that takes
the profile: AKS's agent pool gpuInstanceProfile, GKE's node pool accelerator
gpu_partition_size. EKS node groups take none (a Bottlerocket node takes one from its own
settings, which the platform does not set)."""

AKS_INSTANCE_PROFILES = {"1g": "MIG1g", "2g": "MIG2g", "3g": "MIG3g", "4g": "MIG4g", "7g": "MIG7g"}
"""AKS's gpuInstanceProfile values, by the compute slices they name: 'Possible values include:
MIG1g, MIG2g, MIG3g, MIG4g, MIG7g' (Azure PowerShell PSContainerServiceAgentPoolProfile.
GpuInstanceProfile, learn.microsoft.com; the same enum in the containerservice REST API). The
value names the compute slices alone; the instances it makes are the ones that fill the GPU:
for Standard_ND96asr_v4 (A100 40GB) 'MIG 1g.5gb ... 7 instances', 'MIG 2g.10gb ... 3', 'MIG
3g.20gb ... 2', 'MIG 4g.20gb ... 1', 'MIG 7g.40gb ... 1' (AKS, Create a multi-instance GPU node
pool, MicrosoftDocs/azure-aks-docs@fb060abe6a8fef960d4c487b543bf7b1e97808fe
articles/aks/gpu-multi-instance.md, ms.date 05/22/2026; it names no table for the other GPUs,
whose `MigGpu.whole_gpu` follows the same rule). The same page: 'Multi-instance GPU is
currently supported on NVIDIA A100, H100, and H200 series GPU VM sizes on AKS'; 'You can't
change the applied GPU instance profile after node pool creation'."""
AKS_SOURCE_SHORT = "AKS multi-instance GPU docs, 2026-05-22"


def model_of(gpu: str, memory_gib: int) -> MigGpu | None:
    """The MIG model of a catalog shape's GPU, None when the table has no such GPU."""
    return next((m for m in MIG_GPUS if m.gpu == gpu and m.memory_gib == memory_gib), None)


def models_of(gpu: str) -> list[MigGpu]:
    """Every MIG model a portable GPU name can be (an H100 is 80 GB or NVL 94 GB)."""
    return [m for m in MIG_GPUS if m.gpu == gpu]


SHARING_FROM_IMAGE_SETTINGS = {
    "BOTTLEROCKET_x86_64_NVIDIA": (
        "Bottlerocket, kubelet-device-plugins settings (bottlerocket.dev/en/os/1.54.x/api/"
        "settings/kubelet-device-plugins, read 2026-12-06): the NVIDIA variants run "
        "nvidia-k8s-device-plugin themselves, configured by settings.kubelet-device-plugins."
        "nvidia.device-sharing-strategy, .time-slicing.replicas, .mps.replicas and "
        ".device-partitioning-strategy / .mig.profile ('The MIG feature is disabled by default "
        "in Bottlerocket')"
    ),
}
"""GPU node images whose built-in device plugin shares GPUs only as the image's own settings
say. The platform sets none of them (an EKS node group's launch template carries no user
data), so a pool of such an image ignores its sharing mode: its pods get whole GPUs."""
SHARING_FROM_IMAGE_SHORT = "Bottlerocket settings reference"
