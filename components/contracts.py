"""Args contracts shared by every cloud's implementation of a capability.

A capability (artifact store, container registry) has one args shape on every
target; each cloud's component extends it only with what that cloud needs to
place the resource (resource group, project, namespace).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Required, TypedDict

import pulumi


class ArtifactStoreArgs(TypedDict, total=False):
    """What every artifact store takes, whatever the cloud."""

    tags: Mapping[str, str]
    """Tags / labels put on every taggable child. Default: none."""
    noncurrent_version_days: int
    """Days an overwritten or deleted object version is kept. Default: 30."""
    abort_incomplete_upload_days: int
    """Days before an unfinished multipart upload is removed (AWS, GCP). Default: 7."""
    soft_delete_days: int
    """Days a deleted object can be restored (Azure, GCP). Default: 7."""
    kms_key_id: pulumi.Input[str] | None
    """Customer-managed key to encrypt with. Default: AWS creates a dedicated rotating KMS key;
    Azure and GCP use their platform-managed encryption."""
    protect: bool
    """Protect the stateful children from deletion. Default: protected."""


class RegistryArgs(TypedDict, total=False):
    """What every container registry takes, whatever the cloud."""

    tags: Mapping[str, str]
    """Tags / labels put on every taggable child. Default: none."""
    immutable_tags: bool
    """Refuse to overwrite a pushed tag. Default: immutable."""
    scan_on_push: bool
    """Scan images for vulnerabilities on push (AWS). Default: on."""
    untagged_expiry_days: int
    """Days before an untagged image is deleted. Default: 14."""
    keep_last_images: int
    """Tagged images kept (AWS, GCP). Default: 50."""
    kms_key_id: pulumi.Input[str] | None
    """Customer-managed key to encrypt images with. Default: AWS creates a dedicated rotating
    KMS key; Azure and GCP use their platform-managed encryption."""
    protect: bool
    """Protect the registry from deletion. Default: protected."""


SECONDS_PER_DAY = 86_400


def child(parent: pulumi.Resource, protect: bool = False, **kwargs) -> pulumi.ResourceOptions:
    """Options for a component's child: parented to the component, protected if stateful."""
    return pulumi.ResourceOptions(parent=parent, protect=protect, **kwargs)


class GpuPoolArgs(TypedDict, total=False):
    """One autoscaling GPU node pool, the same on every cloud."""

    name: Required[str]
    """Pool name (lowercase, digits, dashes)."""
    gpu: Required[str]
    """Portable GPU name resolved by the catalog (T4, L4, A10, A100-40GB, A100-80GB, H100, H200)."""
    gpus_per_node: int
    """GPUs per node; picks the node shape. Default: 1."""
    min_nodes: int
    """Autoscaling lower bound (0 scales to zero). Default: 0."""
    max_nodes: int
    """Autoscaling upper bound. Default: 1."""
    spot: bool
    """Spot / preemptible capacity. Default: on-demand."""
    sharing_mode: str
    """none, time-slicing, mps or mig. Default: none."""
    sharing_replicas: int
    """Pods per GPU for time-slicing / MPS. Default: 1."""
    mig_profile: str | None
    """MIG profile such as 1g.10gb (mig only). Default: none."""
    node_image: str | None
    """GPU node image from the catalog. Default: the cloud's first catalog image."""
    disk_size_gb: int
    """Encrypted boot disk in GB. Default: 200."""
    zones: Sequence[str]
    """Zones (Azure zone numbers, GCP zone names). Default: the cluster's zones."""


class GpuClusterArgs(TypedDict, total=False):
    """What every GPU cluster takes, whatever the cloud."""

    kubernetes_version: Required[str]
    """Kubernetes minor version, e.g. "1.34"."""
    gpu_pools: Sequence[GpuPoolArgs]
    """GPU node pools. Default: none."""
    public_endpoint: bool
    """Expose the API server publicly (to `public_access_cidrs` only). Default: private."""
    public_access_cidrs: Sequence[str]
    """CIDRs allowed to a public endpoint. Default: none."""
    private_access_cidrs: Sequence[str]
    """CIDRs inside the network allowed to the private endpoint (runners, VPN, bastion).
    Default: none beyond the nodes."""
    system_instance_type: str
    """CPU node shape of the system pool. Default: per cloud (m6i.large, Standard_D4ds_v5,
    e2-standard-4)."""
    system_min_nodes: int
    """System pool lower bound. Default: 2."""
    system_max_nodes: int
    """System pool upper bound. Default: 4."""
    release_channel: str
    """rapid, regular or stable (AKS, GKE). Default: regular."""
    admins: Sequence[str]
    """Cluster administrators (IAM ARNs on AWS, Entra group ids on Azure). Default: none."""
    log_retention_days: int
    """Days control-plane / container logs are kept (AWS, Azure). Default: 30."""
    tags: Mapping[str, str]
    """Tags / labels on every taggable child. Default: none."""
    protect: bool
    """Protect the cluster from deletion. Default: protected."""


def pool_labels(pool: GpuPoolArgs) -> dict[str, str]:
    """Node labels of a GPU pool: portable GPU name, pool name, GPU present."""
    from mlplatform import defaults

    found = {
        defaults.GPU_LABEL: pool["gpu"],
        defaults.POOL_LABEL: pool["name"],
        defaults.GPU_PRESENT_LABEL: "true",
    }
    if pool.get("sharing_mode", "none") != "none":
        # Selects this pool's named NVIDIA device-plugin config (see kubernetes/gpu.py).
        found[defaults.DEVICE_PLUGIN_CONFIG_LABEL] = pool["name"]
    return found
