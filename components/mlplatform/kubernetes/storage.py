"""In-cluster artifact store for the kubernetes target: a PersistentVolumeClaim.

MLflow's artifact proxy (`--serve-artifacts --artifacts-destination`) mounts
the claim at `ARTIFACT_MOUNT_PATH`; clients never reach the volume directly.
"""

from collections.abc import Mapping
from typing import Required, TypedDict

import pulumi
import pulumi_kubernetes as k8s

from mlplatform import defaults
from mlplatform.component_args import check_args
from mlplatform.contracts import child
from mlplatform.kubernetes.claims import claim_spec
from mlplatform.kubernetes.labels import labels

ARTIFACT_MOUNT_PATH = "/mlartifacts"


class PvcArtifactStoreArgs(TypedDict, total=False):
    """Args of `PvcArtifactStore`."""

    namespace: Required[pulumi.Input[str]]
    """Namespace of the claim."""
    size_gi: int
    """Volume size in GiB. Default: 50."""
    storage_class: str | None
    """StorageClass name. Default: the cluster's default StorageClass."""
    tags: Mapping[str, str]
    """Labels on the claim. Default: none."""
    protect: bool
    """Protect the claim from deletion. Default: protected."""


class PvcArtifactStore(pulumi.ComponentResource):
    """A protected ReadWriteOnce volume holding MLflow artifacts on an existing cluster.

    Versioning, soft delete and lifecycle settings of the shared contract have
    no meaning on a plain volume and are ignored.
    """

    claim_name: pulumi.Output[str]
    """PersistentVolumeClaim name."""
    artifact_uri: pulumi.Output[str]
    """`file://` path where MLflow's artifact proxy mounts the claim."""
    mount_path: pulumi.Output[str]
    """The same path without `file://`: give it as `MlflowServer.artifacts_destination`, with
    `claim_name` as its `artifact_volume_claim`."""

    def __init__(
        self, name: str, args: PvcArtifactStoreArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, PvcArtifactStoreArgs, args)
        super().__init__("mlplatform:index:PvcArtifactStore", name, None, opts)
        tags = args.get("tags", {})
        claim = k8s.core.v1.PersistentVolumeClaim(
            f"{name}-pvc",
            metadata={
                "name": f"{name}-artifacts",
                "namespace": args["namespace"],
                "labels": labels(name, "artifact-store", tags),
            },
            spec=claim_spec(
                args.get("size_gi", defaults.LOCAL_VOLUME_SIZE_GI), args.get("storage_class")
            ),
            opts=child(self, protect=args.get("protect", True)),
        )
        self.claim_name = claim.metadata.apply(lambda m: m.name or "")
        self.artifact_uri = pulumi.Output.from_input(f"file://{ARTIFACT_MOUNT_PATH}")
        self.mount_path = pulumi.Output.from_input(ARTIFACT_MOUNT_PATH)
        self.register_outputs(
            {
                "claim_name": self.claim_name,
                "artifact_uri": self.artifact_uri,
                "mount_path": self.mount_path,
            }
        )
