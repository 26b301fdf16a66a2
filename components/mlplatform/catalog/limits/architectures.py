"""Layer 1, data: the CPU architecture of instance families and of the node images the
platform pins for its system pool, read 2026-12-06.

Only EKS pins an architecture: the system node group's AMI type is AL2023_x86_64_STANDARD
(`SYSTEM_AMI` of components/mlplatform/aws/cluster.py), and EKS refuses a node group whose
instance type is of another architecture. AKS's system pool names only an OS SKU (AzureLinux)
and GKE's an image type (COS_CONTAINERD); each takes its architecture from the VM size /
machine type ('AKS: you can add an Arm64 node pool with --node-vm-size Standard_D2pds_v5',
MicrosoftDocs/azure-aks-docs articles/aks/use-arm64-vms.md, ms.date 02/25/2025), so they have
no mismatch to check.

EKS refuses the mismatch when it creates the node group: 'InvalidParameterException:
[t4g.medium] is not a valid instance type for requested amiType AL2023_x86_64_STANDARD'
(github.com/HHS/simpler-grants-gov pull request 12404, 2026-09-14).
"""

from __future__ import annotations

from mlplatform import defaults

EKS_SYSTEM_AMI_TYPE = "AL2023_x86_64_STANDARD"
"""The AMI type of the EKS system node group (must equal `SYSTEM_AMI` of
components/mlplatform/aws/cluster.py; a test holds them together)."""
EKS_AMI_ARCHITECTURE = {
    "AL2023_x86_64_STANDARD": "x86_64",
    "AL2023_x86_64_NVIDIA": "x86_64",
    "AL2023_x86_64_NEURON": "x86_64",
    "AL2023_ARM_64_STANDARD": "arm64",
    "AL2023_ARM_64_NVIDIA": "arm64",
    "BOTTLEROCKET_x86_64": "x86_64",
    "BOTTLEROCKET_x86_64_NVIDIA": "x86_64",
    "BOTTLEROCKET_ARM_64": "arm64",
    "BOTTLEROCKET_ARM_64_NVIDIA": "arm64",
}
"""EKS AMI types and their architecture: 'AL2023_X86_64_STANDARD: Amazon Linux 2023
(x86-64)', 'AL2023_ARM_64_STANDARD: Amazon Linux 2023 (ARM-64)', ... (AWS CDK v2 API
reference, aws_eks_v2.NodegroupAmiType, docs.aws.amazon.com/cdk/api/v2/python/aws_cdk.aws_eks_v2/
NodegroupAmiType.html; the EKS API's amiType enum)."""

EC2_SOURCE = (
    "Karpenter's instance type reference, generated from the EC2 DescribeInstanceTypes API "
    "(github.com/aws/karpenter-provider-aws@692ccdd0629e488300821443f0fa0bc3c3e08047 "
    "website/content/en/docs/reference/instance-types.md, 2026-07-11): the kubernetes.io/arch "
    "label of every type, one architecture per family"
)
EC2_SHORT = "Karpenter's EC2 instance type reference, 2026-07-11"
EC2_ARM64_FAMILIES = frozenset(
    [
        "a1",
        "c6g",
        "c6gd",
        "c6gn",
        "c7g",
        "c7gd",
        "c7gn",
        "c8g",
        "c8gb",
        "c8gd",
        "c8gn",
        "c9g",
        "c9gd",
        "g5g",
        "hpc7g",
        "i4g",
        "i8g",
        "i8ge",
        "im4gn",
        "is4gen",
        "m6g",
        "m6gd",
        "m7g",
        "m7gd",
        "m8g",
        "m8gb",
        "m8gd",
        "m8gn",
        "m9g",
        "m9gd",
        "r6g",
        "r6gd",
        "r7g",
        "r7gd",
        "r8g",
        "r8gb",
        "r8gd",
        "r8gn",
        "t4g",
        "x2gd",
        "x8g",
    ]
)
"""EC2 families whose every type is arm64 (AWS Graviton), per `EC2_SOURCE`."""
EC2_X86_64_FAMILIES = frozenset(
    [
        "c1",
        "c3",
        "c4",
        "c5",
        "c5a",
        "c5ad",
        "c5d",
        "c5n",
        "c6a",
        "c6i",
        "c6id",
        "c6in",
        "c7a",
        "c7i",
        "c7i-flex",
        "c8a",
        "c8i",
        "c8i-flex",
        "c8ib",
        "c8id",
        "c8in",
        "c8ine",
        "d2",
        "d3",
        "d3en",
        "dl2q",
        "f2",
        "g4ad",
        "g4dn",
        "g5",
        "g6",
        "g6e",
        "g6f",
        "g7",
        "g7e",
        "gr6",
        "gr6f",
        "h1",
        "hpc6a",
        "hpc6id",
        "hpc7a",
        "hpc8a",
        "i2",
        "i3",
        "i3en",
        "i4i",
        "i7i",
        "i7ie",
        "inf1",
        "inf2",
        "m1",
        "m2",
        "m3",
        "m4",
        "m5",
        "m5a",
        "m5ad",
        "m5d",
        "m5dn",
        "m5n",
        "m5zn",
        "m6a",
        "m6i",
        "m6id",
        "m6idn",
        "m6in",
        "m7a",
        "m7i",
        "m7i-flex",
        "m8a",
        "m8azn",
        "m8i",
        "m8i-flex",
        "m8ib",
        "m8id",
        "m8idb",
        "m8idn",
        "m8in",
        "m8ine",
        "p3dn",
        "p4d",
        "p4de",
        "p5",
        "p5e",
        "p5en",
        "p6-b200",
        "p6-b300",
        "r3",
        "r4",
        "r5",
        "r5a",
        "r5ad",
        "r5b",
        "r5d",
        "r5dn",
        "r5n",
        "r6a",
        "r6i",
        "r6id",
        "r6idn",
        "r6in",
        "r7a",
        "r7i",
        "r7iz",
        "r8a",
        "r8i",
        "r8i-flex",
        "r8ib",
        "r8id",
        "r8idb",
        "r8idn",
        "r8in",
        "t1",
        "t2",
        "t3",
        "t3a",
        "trn1",
        "trn1n",
        "trn2",
        "u-3tb1",
        "u-6tb1",
        "u7i-12tb",
        "u7i-6tb",
        "u7i-8tb",
        "u7in-16tb",
        "u7in-24tb",
        "u7in-32tb",
        "vt1",
        "x1",
        "x1e",
        "x2idn",
        "x2iedn",
        "x2iezn",
        "x8aedz",
        "x8i",
        "z1d",
    ]
)
"""EC2 families whose every type is amd64 (x86_64), per `EC2_SOURCE`."""
AKS_SYSTEM_POOL_SOURCE = (
    "AKS, Quotas, VM size restrictions and region availability (MicrosoftDocs/azure-aks-docs"
    "@fb060abe6a8fef960d4c487b543bf7b1e97808fe articles/aks/quotas-skus-regions.md, ms.date "
    "08/03/2026): 'For system node pools, you might not be able to use VM versions with fewer "
    "than two vCPUs and 4 GB of memory ... AKS doesn't support B series VMs for system node "
    "pools'; and Manage system node pools (articles/aks/use-system-pools.md, same commit): "
    "'System node pools require a VM SKU of at least 4 vCPUs and 4 GB of memory'"
)
AKS_SYSTEM_POOL_SHORT = "AKS quotas-skus-regions and use-system-pools, 2026-08"
AKS_SIZE_FORM = r"^Standard_([A-Z]+)(\d+)(?:-(\d+))?"
"""Standard_, the family letter(s), the vCPUs, and for a constrained-vCPU size the active
vCPUs after a dash (Standard_E4-2ds_v5: 2 active of 4). Memory is not in the name."""
AKS_SYSTEM_MIN_VCPUS = 2
AKS_SYSTEM_RECOMMENDED_VCPUS = 4
AKS_SYSTEM_EXAMPLE = defaults.SYSTEM_INSTANCE_TYPES["azure"]
"""The size a fix names: the platform's default system VM size."""


GKE_ARM_SERIES = ("t2a", "c4a")
"""Compute Engine's Arm machine series GKE runs (Tau T2A; C4A, Google Axion): "Ensure that you
have quota for the C4A or Tau T2A Compute Engine machine types" (GKE, Deploy Autopilot
workloads on Arm architecture, cloud.google.com/kubernetes-engine/docs/how-to/
autopilot-arm-workloads, read 2026-12-06). A newer Arm series would need adding here."""
GKE_ARM_TAINT_SOURCE = (
    "GKE, Prepare an Arm workload for deployment (docs.cloud.google.com/kubernetes-engine/docs/"
    "how-to/prepare-arm-workloads-for-deployment, read 2026-12-06): 'By default, GKE schedules "
    "workloads only to x86-based nodes ... by placing a taint (kubernetes.io/arch=arm64:"
    "NoSchedule) on all Arm nodes'"
)
GKE_ARM_TAINT_SHORT = "GKE, Prepare an Arm workload for deployment, read 2026-12-06"
