"""Azure target: resource group, Storage artifact store, ACR."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi

from mlplatform.compose.common import Built
from mlplatform.spec import Environment, PlatformConfig


def build(
    parent: pulumi.Resource, name: str, cfg: PlatformConfig, tags: Mapping[str, str]
) -> Built:
    import pulumi_azure_native as azure_native
    from pulumi_azure_native import resources

    from mlplatform.azure.registry import AcrRegistry
    from mlplatform.azure.storage import AzureBlobArtifactStore

    provider = azure_native.Provider(
        f"{name}-azure", location=cfg.region, opts=pulumi.ResourceOptions(parent=parent)
    )
    opts = pulumi.ResourceOptions(parent=parent, providers=[provider])
    existing = cfg.azure.existing_resource_group if cfg.azure else None
    if existing:
        rg_name: pulumi.Input[str] = existing
    else:
        group = resources.ResourceGroup(
            f"{name}-rg",
            location=cfg.region,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=parent, providers=[provider], protect=cfg.protect),
        )
        rg_name = group.name
    zone_redundant = cfg.environment is Environment.PROD
    store = registry = None
    if cfg.artifact_store.enabled:
        a = cfg.artifact_store
        store = AzureBlobArtifactStore(
            f"{name}-artifacts",
            {
                "tags": tags,
                "protect": cfg.protect,
                "resource_group_name": rg_name,
                "location": cfg.region or "",
                "zone_redundant": zone_redundant,
                "noncurrent_version_days": a.noncurrent_version_days,
                "soft_delete_days": a.soft_delete_days,
            },
            opts,
        )
    if cfg.registry.enabled:
        r = cfg.registry
        registry = AcrRegistry(
            f"{name}-registry",
            {
                "tags": tags,
                "protect": cfg.protect,
                "resource_group_name": rg_name,
                "location": cfg.region or "",
                "zone_redundant": zone_redundant,
                "untagged_expiry_days": r.untagged_expiry_days,
            },
            opts,
        )
    return Built(
        artifact_uri=store.artifact_uri if store else None,
        registry_url=registry.login_server if registry else None,
    )
