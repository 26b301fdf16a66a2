"""Layer 2.1, the environment spec: preflight of the system pool's nodes, what EKS, AKS and
GKE would refuse, or never schedule the platform's services on, for
`cluster.systemPool.instanceType` (facts in `mlplatform.catalog.limits.architectures`).

Errors: on EKS, an arm64 (Graviton) instance type, since the system node group runs the
x86_64 AMI type AL2023_x86_64_STANDARD; on AKS, a B-series size or one under 2 vCPUs; on GKE,
an Arm machine type (T2A, C4A), whose nodes GKE taints so the platform's services never land.
Warnings: on EKS, an instance family with no known architecture; on AKS, a size of 2 or 3
vCPUs (AKS asks for 4), and a size name that does not read as Standard_<family><vCPUs> (not
judged). AKS pins no architecture (the OS SKU follows the VM size); memory is not in a size's
name, so AKS's 4 GB minimum is not checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlplatform import defaults
from mlplatform.catalog.limits import architectures as arch
from mlplatform.environment.errors import ConfigIssue
from mlplatform.environment.model import PlatformConfig, Target
from mlplatform.environment.preflight.context import Check, Preflight

AT_TYPE = "cluster.systemPool.instanceType"


def _system_type(cfg: PlatformConfig, target: Target) -> str | None:
    """The system pool's instance type when the spec is on `target`: as set, else the
    default."""
    if cfg.target is not target:
        return None
    return cfg.cluster.system_pool.instance_type or defaults.SYSTEM_INSTANCE_TYPES[target.value]


def _eks_architecture(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    instance_type = _system_type(cfg, Target.AWS)
    if instance_type is None or instance_type.split(".")[0] not in arch.EC2_ARM64_FAMILIES:
        return
    ami = arch.EKS_SYSTEM_AMI_TYPE
    yield ConfigIssue(
        AT_TYPE,
        "is an arm64 (AWS Graviton) instance type, but the system node group runs the "
        f"{arch.EKS_AMI_ARCHITECTURE[ami]} AMI type {ami} (per {arch.EC2_SHORT} and the EKS "
        "AMI types), which EKS refuses; use an x86_64 type such as "
        f"{defaults.SYSTEM_INSTANCE_TYPES['aws']} (the default) or m7i.large",
        instance_type,
    )


def _eks_architecture_unknown(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    instance_type = _system_type(cfg, Target.AWS)
    if instance_type is None:
        return
    family = instance_type.split(".")[0]
    if family in arch.EC2_ARM64_FAMILIES or family in arch.EC2_X86_64_FAMILIES:
        return
    ami = arch.EKS_SYSTEM_AMI_TYPE
    yield ConfigIssue(
        AT_TYPE,
        f"is of an instance family ({family}) whose CPU architecture is not known here (per "
        f"{arch.EC2_SHORT}), so its match with the system node group's "
        f"{arch.EKS_AMI_ARCHITECTURE[ami]} AMI type {ami} was not checked; make sure it is "
        f"x86_64: aws ec2 describe-instance-types --instance-types {instance_type} --query "
        "'InstanceTypes[].ProcessorInfo.SupportedArchitectures'",
        instance_type,
    )


def _aks_vcpus(size: str) -> tuple[str, int] | None:
    """The family letter(s) and the active vCPUs a VM size name reads as, if it does."""
    match = re.match(arch.AKS_SIZE_FORM, size)
    if match is None:
        return None
    return match.group(1), int(match.group(3) or match.group(2))


def _aks_system_size(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    size = _system_type(cfg, Target.AZURE)
    read = _aks_vcpus(size) if size is not None else None
    if size is None or read is None:
        return
    family, vcpus = read
    fix = f"use e.g. {arch.AKS_SYSTEM_EXAMPLE}"
    if family == "B":
        yield ConfigIssue(
            AT_TYPE,
            "is a B-series (burstable) size, which AKS does not support for system node pools "
            f"(per {arch.AKS_SYSTEM_POOL_SHORT}); {fix}",
            size,
        )
    elif vcpus < arch.AKS_SYSTEM_MIN_VCPUS:
        yield ConfigIssue(
            AT_TYPE,
            f"has {vcpus} vCPU, fewer than the {arch.AKS_SYSTEM_MIN_VCPUS} AKS takes for a "
            f"system node pool (per {arch.AKS_SYSTEM_POOL_SHORT}); {fix}",
            size,
        )


def _aks_system_size_small(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    size = _system_type(cfg, Target.AZURE)
    read = _aks_vcpus(size) if size is not None else None
    if size is None or read is None or read[0] == "B":
        return
    vcpus = read[1]
    if arch.AKS_SYSTEM_MIN_VCPUS <= vcpus < arch.AKS_SYSTEM_RECOMMENDED_VCPUS:
        yield ConfigIssue(
            AT_TYPE,
            f"has {vcpus} vCPUs, fewer than the {arch.AKS_SYSTEM_RECOMMENDED_VCPUS} AKS asks of "
            f"a system node pool (per {arch.AKS_SYSTEM_POOL_SHORT}), which also runs the "
            f"platform's services; use e.g. {arch.AKS_SYSTEM_EXAMPLE}",
            size,
        )


def _aks_system_size_unread(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """A VM size name that does not read as Standard_<family><vCPUs>: its family and vCPUs,
    and so AKS's system pool rules, could not be checked."""
    size = _system_type(cfg, Target.AZURE)
    if size is None or _aks_vcpus(size) is not None:
        return
    yield ConfigIssue(
        AT_TYPE,
        "does not read as an Azure VM size (Standard_<family><vCPUs>...), so AKS's system pool "
        f"rules (at least {arch.AKS_SYSTEM_MIN_VCPUS} vCPUs, no B-series, per "
        f"{arch.AKS_SYSTEM_POOL_SHORT}) were not checked; check with `az vm list-skus --size "
        f"{size} --output table`",
        size,
    )


def _gke_arm_system_pool(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """An Arm machine type for the GKE system pool: GKE taints Arm nodes
    kubernetes.io/arch=arm64:NoSchedule, which the platform's services do not tolerate."""
    machine = _system_type(cfg, Target.GCP)
    if machine is None or machine.split("-")[0] not in arch.GKE_ARM_SERIES:
        return
    yield ConfigIssue(
        AT_TYPE,
        "is an Arm machine type, and GKE taints Arm nodes kubernetes.io/arch=arm64:NoSchedule "
        f"(per {arch.GKE_ARM_TAINT_SHORT}), which the platform's services on the system pool "
        "(MLflow, Prometheus, the autoscaler's and CSI's controllers) do not tolerate, so they "
        f"never schedule; use an x86 machine type such as {defaults.SYSTEM_INSTANCE_TYPES['gcp']}",
        machine,
    )


ERRORS: tuple[Check, ...] = (_eks_architecture, _aks_system_size, _gke_arm_system_pool)
WARNINGS: tuple[Check, ...] = (
    _eks_architecture_unknown,
    _aks_system_size_small,
    _aks_system_size_unread,
)
