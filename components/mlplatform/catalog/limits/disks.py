"""Layer 1, data: the size limits of a node's boot / OS disk per cloud, which a GPU pool's
`diskSizeGb` becomes (components/mlplatform/{aws,azure,gcp}/cluster.py): the gp3 root or
Bottlerocket data volume of the EKS launch template, the AKS agent pool's `osDiskSizeGB`
(Managed), and the GKE node pool's pd-balanced `diskSizeGb`. Read 2026-12-06.

The system pool's disk is not configurable (50 GB on EKS and GKE, 64 GB on AKS), inside every
range below.
"""

from __future__ import annotations

from typing import NamedTuple

from mlplatform.catalog.limits.databases import Limit


class NodeDisk(NamedTuple):
    """A cloud's node disk: the sizes its API takes, and how a message names it."""

    size_gb: Limit
    disk: str
    """The disk, as a message names it."""
    field: str
    """The API field the size goes to."""
    source: str
    """Where the limit is written, short."""


NODE_DISK_GB: dict[str, NodeDisk] = {
    "aws": NodeDisk(Limit(1, 16384), "an EKS node's EBS gp3 volume", "VolumeSize", "the EC2 API"),
    "azure": NodeDisk(
        Limit(0, 2048), "an AKS node OS disk", "osDiskSizeGB", "the AKS API, 2024-05-01"
    ),
}
"""Per cloud, the node disk sizes its API accepts. AWS: gp3 'VolumeSize ... 1-16,384 GiB'
(EC2 API reference, LaunchTemplateEbsBlockDeviceRequest). Azure: the AKS agent pool's
osDiskSizeGB, 'int {minValue: 0, maxValue: 2048}' (github.com/Azure/bicep-types-az
generated/containerservice/microsoft.containerservice/2024-05-01/types.md, generated from the
AKS REST API spec). GKE's boot disk minimum (10 GB; 12 or 15 GB on newer versions per the GKE
API's NodeConfig.diskSizeGb) is under the spec's 50 GB and its maximum was not found in a
primary source, so GKE is not listed. The spec's own range (50-16384) already keeps AWS
inside its limit."""
