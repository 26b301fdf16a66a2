"""GCP target: GCS artifact store, Artifact Registry."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi

from mlplatform.compose.common import Built
from mlplatform.spec import PlatformConfig


def build(
    parent: pulumi.Resource, name: str, cfg: PlatformConfig, tags: Mapping[str, str]
) -> Built:
    import pulumi_gcp as gcp

    from mlplatform.gcp.registry import ArtifactRegistryDocker
    from mlplatform.gcp.storage import GcsArtifactStore

    assert cfg.gcp is not None and cfg.region is not None  # guaranteed by spec rules
    project = cfg.gcp.project
    provider = gcp.Provider(
        f"{name}-gcp",
        project=project,
        region=cfg.region,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    opts = pulumi.ResourceOptions(parent=parent, providers=[provider])
    store = registry = None
    if cfg.artifact_store.enabled:
        a = cfg.artifact_store
        store = GcsArtifactStore(
            f"{name}-artifacts",
            {
                "tags": tags,
                "protect": cfg.protect,
                "project": project,
                "location": cfg.region,
                "kms_key_id": a.kms_key_id,
                "noncurrent_version_days": a.noncurrent_version_days,
                "abort_incomplete_upload_days": a.abort_incomplete_upload_days,
                "soft_delete_days": a.soft_delete_days,
            },
            opts,
        )
    if cfg.registry.enabled:
        r = cfg.registry
        registry = ArtifactRegistryDocker(
            f"{name}-registry",
            {
                "tags": tags,
                "protect": cfg.protect,
                "project": project,
                "location": cfg.region,
                "immutable_tags": r.immutable_tags,
                "scan_on_push": r.scan_on_push,
                "untagged_expiry_days": r.untagged_expiry_days,
                "keep_last_images": r.keep_last_images,
            },
            opts,
        )
    return Built(
        artifact_uri=store.artifact_uri if store else None,
        registry_url=registry.repository_url if registry else None,
    )
