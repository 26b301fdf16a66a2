"""Kubernetes target: an existing cluster with in-cluster artifact volume and registry, team
namespaces with GPU quotas, and the NVIDIA device plugin when asked for."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi

from mlplatform.compose.common import Built, add_teams, enable_gpus
from mlplatform.spec import PlatformConfig


def build(
    parent: pulumi.Resource, name: str, cfg: PlatformConfig, tags: Mapping[str, str]
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
    k8s_opts = pulumi.ResourceOptions(parent=parent, provider=provider)
    # An existing cluster's GPU nodes: install the plugin only when asked (gpuEnablement).
    enable_gpus(name, cfg, image_lacks_plugin=False, opts=k8s_opts)
    return Built(
        artifact_uri=store.artifact_uri if store else None,
        registry_url=registry.repository_url if registry else None,
        team_namespaces=add_teams(name, cfg, tags, k8s_opts),
    )
