"""Layer 5, composition: `MlPlatform` turns a `PlatformConfig` into the target's components.

Each target's builder imports only its own cloud's SDK modules, so a
single-cloud stack never loads another cloud's provider classes.
"""

from __future__ import annotations

from typing import TypedDict

import pulumi

from mlplatform.spec import Environment, PlatformConfig, Target

MANAGED_BY = "mlplatform"


class MlPlatformArgs(TypedDict):
    """Args of `MlPlatform`."""

    config: PlatformConfig
    """The validated environment spec of the stack."""
    stack: str
    """Stack name, put in every resource's tags."""


def platform_tags(cfg: PlatformConfig, stack: str) -> dict[str, str]:
    """User tags plus the tags every resource carries (environment, stack, managed-by)."""
    return {
        **cfg.tags,
        "environment": cfg.environment.value,
        "stack": stack,
        "managed-by": MANAGED_BY,
    }


class MlPlatform(pulumi.ComponentResource):
    """The whole ML platform of one environment, on the target named in its config."""

    artifact_uri: pulumi.Output[str] | None
    """Where MLflow stores artifacts (s3://, wasbs://, gs:// or file:// on the kubernetes target);
    None when the artifact store is disabled."""
    registry_url: pulumi.Output[str] | None
    """Where images are pushed; None when the registry is disabled."""

    def __init__(
        self, name: str, args: MlPlatformArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlplatform:index:MlPlatform", name, None, opts)
        cfg = args["config"]
        tags = platform_tags(cfg, args["stack"])
        builders = {
            Target.AWS: _build_aws,
            Target.AZURE: _build_azure,
            Target.GCP: _build_gcp,
            Target.KUBERNETES: _build_kubernetes,
        }
        if cfg.gpu_pools:
            pulumi.log.warn(
                f"{len(cfg.gpu_pools)} GPU pool(s) validated against the GPU catalog; GPU "
                "clusters are not provisioned by this release of mlplatform",
                resource=self,
            )
        self.artifact_uri, self.registry_url = builders[cfg.target](self, name, cfg, tags)
        self.register_outputs(
            {"artifact_uri": self.artifact_uri, "registry_url": self.registry_url}
        )


Built = tuple[pulumi.Output[str] | None, pulumi.Output[str] | None]


def _build_aws(parent: MlPlatform, name: str, cfg: PlatformConfig, tags: dict[str, str]) -> Built:
    import pulumi_aws as aws

    from mlplatform.aws.registry import EcrRegistry
    from mlplatform.aws.storage import S3ArtifactStore

    provider = aws.Provider(
        f"{name}-aws", region=cfg.region, opts=pulumi.ResourceOptions(parent=parent)
    )
    opts = pulumi.ResourceOptions(parent=parent, providers=[provider])
    store = registry = None
    if cfg.artifact_store.enabled:
        a = cfg.artifact_store
        store = S3ArtifactStore(
            f"{name}-artifacts",
            {
                "tags": tags,
                "protect": cfg.protect,
                "kms_key_id": a.kms_key_id,
                "noncurrent_version_days": a.noncurrent_version_days,
                "abort_incomplete_upload_days": a.abort_incomplete_upload_days,
            },
            opts,
        )
    if cfg.registry.enabled:
        r = cfg.registry
        registry = EcrRegistry(
            f"{name}-registry",
            {
                "tags": tags,
                "protect": cfg.protect,
                "immutable_tags": r.immutable_tags,
                "scan_on_push": r.scan_on_push,
                "untagged_expiry_days": r.untagged_expiry_days,
                "keep_last_images": r.keep_last_images,
            },
            opts,
        )
    return (store.artifact_uri if store else None, registry.repository_url if registry else None)


def _build_azure(parent: MlPlatform, name: str, cfg: PlatformConfig, tags: dict[str, str]) -> Built:
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
    return (store.artifact_uri if store else None, registry.login_server if registry else None)


def _build_gcp(parent: MlPlatform, name: str, cfg: PlatformConfig, tags: dict[str, str]) -> Built:
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
    return (store.artifact_uri if store else None, registry.repository_url if registry else None)


def _build_kubernetes(
    parent: MlPlatform, name: str, cfg: PlatformConfig, tags: dict[str, str]
) -> Built:
    import pulumi_kubernetes as k8s

    from mlplatform.kubernetes.labels import labels
    from mlplatform.kubernetes.registry import InClusterRegistry
    from mlplatform.kubernetes.storage import PvcArtifactStore
    from mlplatform.spec.model import KubernetesSpec

    settings = cfg.kubernetes or KubernetesSpec()
    provider = k8s.Provider(
        f"{name}-k8s", context=settings.context, opts=pulumi.ResourceOptions(parent=parent)
    )
    namespace = k8s.core.v1.Namespace(
        f"{name}-namespace",
        metadata={
            "name": settings.namespace,
            "labels": {
                **labels(settings.namespace, "namespace", tags),
                "pod-security.kubernetes.io/enforce": "restricted",
            },
        },
        # Deleting a namespace deletes the volumes in it: protect it with them.
        opts=pulumi.ResourceOptions(parent=parent, provider=provider, protect=cfg.protect),
    )
    ns_name = namespace.metadata.apply(lambda m: m.name or settings.namespace)
    opts = pulumi.ResourceOptions(parent=parent, providers=[provider])
    store = registry = None
    if cfg.artifact_store.enabled:
        store = PvcArtifactStore(
            f"{name}-artifacts",
            {
                "tags": tags,
                "protect": cfg.protect,
                "namespace": ns_name,
                "size_gi": cfg.artifact_store.size_gi,
                "storage_class": settings.storage_class,
            },
            opts,
        )
    if cfg.registry.enabled:
        registry = InClusterRegistry(
            f"{name}-registry",
            {
                "tags": tags,
                "protect": cfg.protect,
                "namespace": ns_name,
                "size_gi": cfg.registry.size_gi,
                "storage_class": settings.storage_class,
            },
            opts,
        )
    return (store.artifact_uri if store else None, registry.repository_url if registry else None)
