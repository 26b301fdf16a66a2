"""Preflight of the system pool's nodes (`preflight.nodes`): the instance type's CPU
architecture against the node image the platform pins for it (EKS), and AKS's rules for
system pool VM sizes, judged against `mlplatform.catalog.limits.architectures`. Each test
names the source of the fact it holds the check to."""

from __future__ import annotations

from typing import Any

import pytest

from mlplatform import defaults
from mlplatform.catalog.limits import architectures
from mlplatform.environment import ConfigError, ConfigIssue, parse
from mlplatform.environment.preflight import nodes
from tests.unit.preflight.specs import AWS, AZURE, GCP, found

PATH = "cluster.systemPool.instanceType"
EC2 = "Karpenter's EC2 instance type reference, 2026-07-11"
AKS = "AKS quotas-skus-regions and use-system-pools, 2026-08"


def _system(base: dict[str, Any], instance_type: str) -> dict[str, Any]:
    return {**base, "cluster": {"systemPool": {"instanceType": instance_type}}}


def errors(values: dict[str, Any]) -> list[ConfigIssue]:
    return found(nodes.ERRORS, values)


def warnings(values: dict[str, Any]) -> list[ConfigIssue]:
    return found(nodes.WARNINGS, values)


# --- EKS: the system node group's AMI type is x86_64 ----------------------------------------


@pytest.mark.parametrize("instance_type", ["m7g.large", "t4g.medium", "c8g.xlarge"])
def test_a_graviton_system_pool_is_refused_on_eks(instance_type: str) -> None:
    """m7g, t4g and c8g are arm64 (kubernetes.io/arch of every type, Karpenter's EC2
    instance type reference, aws/karpenter-provider-aws@692ccdd, 2026-07-11); the system node
    group's AMI type AL2023_x86_64_STANDARD is 'Amazon Linux 2023 (x86-64)' (AWS CDK
    NodegroupAmiType). EKS refuses the pair: 'InvalidParameterException: [t4g.medium] is not a
    valid instance type for requested amiType AL2023_x86_64_STANDARD' (HHS/simpler-grants-gov
    PR #12404, 2026-09-14)."""
    assert errors(_system(AWS, instance_type)) == [
        ConfigIssue(
            PATH,
            "is an arm64 (AWS Graviton) instance type, but the system node group runs the "
            "x86_64 AMI type AL2023_x86_64_STANDARD (per "
            f"{EC2} and the EKS AMI types), which EKS refuses; use an x86_64 type such as "
            "m6i.large (the default) or m7i.large",
            instance_type,
        )
    ]


@pytest.mark.parametrize("instance_type", ["m6i.large", "m7i.xlarge", "c7i-flex.large"])
def test_an_x86_64_system_pool_is_taken_on_eks(instance_type: str) -> None:
    """m6i, m7i and c7i-flex are amd64 per the same reference."""
    assert errors(_system(AWS, instance_type)) == []
    assert warnings(_system(AWS, instance_type)) == []


def test_a_family_with_no_architecture_data_is_a_warning() -> None:
    """A family outside the reference (2026-07-11) has no known architecture: warned, never
    passed silently."""
    assert errors(_system(AWS, "z9q.large")) == []
    assert warnings(_system(AWS, "z9q.large")) == [
        ConfigIssue(
            PATH,
            f"is of an instance family (z9q) whose CPU architecture is not known here (per {EC2})"
            ", so its match with the system node group's x86_64 AMI type "
            "AL2023_x86_64_STANDARD was not checked; make sure it is x86_64: aws ec2 "
            "describe-instance-types --instance-types z9q.large --query "
            "'InstanceTypes[].ProcessorInfo.SupportedArchitectures'",
            "z9q.large",
        )
    ]


def test_the_default_system_types_pass() -> None:
    """The defaults (defaults.SYSTEM_INSTANCE_TYPES) raise nothing on their clouds."""
    for base in (AWS, AZURE, GCP):
        assert errors(base) == [] and warnings(base) == []
    assert defaults.SYSTEM_INSTANCE_TYPES["aws"].split(".")[0] in (
        architectures.EC2_X86_64_FAMILIES
    )


def test_the_pinned_ami_type_is_the_clusters() -> None:
    """The limits name the AMI type components/mlplatform/aws/cluster.py gives the system
    node group, and know its architecture."""
    from mlplatform.aws.cluster import SYSTEM_AMI

    assert architectures.EKS_SYSTEM_AMI_TYPE == SYSTEM_AMI
    assert architectures.EKS_AMI_ARCHITECTURE[SYSTEM_AMI] == "x86_64"


def test_arm_sizes_pass_on_aks() -> None:
    """AKS's system pool names only an OS SKU (AzureLinux) and takes Arm64 sizes such as
    Standard_D4pds_v5 (azure-aks-docs use-arm64-vms.md): it pins no architecture. (GKE's image
    type pins none either, but GKE taints Arm nodes: see the GKE test below.)"""
    assert errors(_system(AZURE, "Standard_D4pds_v5")) == []


# --- AKS: system pool VM sizes ------------------------------------------------------------


def test_a_burstable_aks_system_pool_is_refused() -> None:
    """'AKS doesn't support B series VMs for system node pools' (azure-aks-docs
    quotas-skus-regions.md, 08/03/2026)."""
    assert errors(_system(AZURE, "Standard_B4ms")) == [
        ConfigIssue(
            PATH,
            "is a B-series (burstable) size, which AKS does not support for system node pools "
            f"(per {AKS}); use e.g. Standard_D4ds_v5",
            "Standard_B4ms",
        )
    ]
    assert errors(_system(AZURE, "Standard_D4ds_v5")) == []


@pytest.mark.parametrize(("size", "vcpus"), [("Standard_D1_v2", 1), ("Standard_E4-1ds_v5", 1)])
def test_an_aks_system_pool_under_two_vcpus_is_refused(size: str, vcpus: int) -> None:
    """'For system node pools, you might not be able to use VM versions with fewer than two
    vCPUs' (quotas-skus-regions.md); a constrained size counts its active vCPUs (E4-1: 1)."""
    assert errors(_system(AZURE, size)) == [
        ConfigIssue(
            PATH,
            f"has {vcpus} vCPU, fewer than the 2 AKS takes for a system node pool (per {AKS}); "
            "use e.g. Standard_D4ds_v5",
            size,
        )
    ]


def test_an_aks_system_pool_under_four_vcpus_is_a_warning() -> None:
    """'System node pools require a VM SKU of at least 4 vCPUs and 4 GB of memory'
    (use-system-pools.md), while quotas-skus-regions.md refuses only under 2: 2 or 3 vCPUs is
    warned about."""
    assert errors(_system(AZURE, "Standard_D2ds_v5")) == []
    assert warnings(_system(AZURE, "Standard_D2ds_v5")) == [
        ConfigIssue(
            PATH,
            f"has 2 vCPUs, fewer than the 4 AKS asks of a system node pool (per {AKS}), which "
            "also runs the platform's services; use e.g. Standard_D4ds_v5",
            "Standard_D2ds_v5",
        )
    ]
    assert warnings(_system(AZURE, "Standard_D8ds_v5")) == []


# --- wired into the spec ------------------------------------------------------------------


def test_the_spec_refuses_a_graviton_system_pool() -> None:
    """Through `parse`, as `mlplatform plan` reads a stack (exit 2)."""
    with pytest.raises(ConfigError) as caught:
        parse(_system(AWS, "m7g.large"))
    assert PATH in [issue.path for issue in caught.value.issues]


@pytest.mark.parametrize("machine", ["t2a-standard-4", "c4a-standard-4"])
def test_an_arm_system_pool_is_refused_on_gke(machine: str) -> None:
    """GKE taints every Arm node kubernetes.io/arch=arm64:NoSchedule (GKE, Prepare an Arm
    workload for deployment, read 2026-12-06), and its Arm series are T2A and C4A (GKE, Deploy
    Autopilot workloads on Arm architecture): the platform's services would never schedule."""
    assert errors(_system(GCP, machine)) == [
        ConfigIssue(
            PATH,
            "is an Arm machine type, and GKE taints Arm nodes kubernetes.io/arch=arm64:"
            "NoSchedule (per GKE, Prepare an Arm workload for deployment, read 2026-12-06), "
            "which the platform's services on the system pool (MLflow, Prometheus, the "
            "autoscaler's and CSI's controllers) do not tolerate, so they never schedule; use "
            "an x86 machine type such as e2-standard-4",
            machine,
        )
    ]
    assert errors(_system(GCP, "n2-standard-4")) == []


def test_an_azure_size_that_does_not_read_is_a_warning() -> None:
    """AKS's system pool rules read the family and vCPUs from the size name (AKS
    quotas-skus-regions and use-system-pools, 2026-08); a name that does not read is not
    judged, and says so."""
    assert warnings(_system(AZURE, "D4ds_v5")) == [
        ConfigIssue(
            PATH,
            "does not read as an Azure VM size (Standard_<family><vCPUs>...), so AKS's system "
            f"pool rules (at least 2 vCPUs, no B-series, per {AKS}) were not checked; check "
            "with `az vm list-skus --size D4ds_v5 --output table`",
            "D4ds_v5",
        )
    ]
    assert warnings(_system(AZURE, "Standard_D4ds_v5")) == []
