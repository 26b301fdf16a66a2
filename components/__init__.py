"""mlplatform: multi-cloud ML platform components for Pulumi.

Imports are lazy: `import mlplatform` loads no cloud SDK; touching a component
class loads only its own cloud's modules.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "MlPlatform": "mlplatform.platform",
    "MlPlatformArgs": "mlplatform.platform",
    "PlatformConfig": "mlplatform.spec",
    "ConfigError": "mlplatform.spec",
    "S3ArtifactStore": "mlplatform.aws.storage",
    "S3ArtifactStoreArgs": "mlplatform.aws.storage",
    "EcrRegistry": "mlplatform.aws.registry",
    "EcrRegistryArgs": "mlplatform.aws.registry",
    "AzureBlobArtifactStore": "mlplatform.azure.storage",
    "AzureBlobArtifactStoreArgs": "mlplatform.azure.storage",
    "AcrRegistry": "mlplatform.azure.registry",
    "AcrRegistryArgs": "mlplatform.azure.registry",
    "GcsArtifactStore": "mlplatform.gcp.storage",
    "GcsArtifactStoreArgs": "mlplatform.gcp.storage",
    "ArtifactRegistryDocker": "mlplatform.gcp.registry",
    "ArtifactRegistryDockerArgs": "mlplatform.gcp.registry",
    "PvcArtifactStore": "mlplatform.kubernetes.storage",
    "PvcArtifactStoreArgs": "mlplatform.kubernetes.storage",
    "InClusterRegistry": "mlplatform.kubernetes.registry",
    "InClusterRegistryArgs": "mlplatform.kubernetes.registry",
}
_SUBMODULES = ("spec", "catalog")

__all__ = [
    "AcrRegistry",
    "AcrRegistryArgs",
    "ArtifactRegistryDocker",
    "ArtifactRegistryDockerArgs",
    "AzureBlobArtifactStore",
    "AzureBlobArtifactStoreArgs",
    "ConfigError",
    "EcrRegistry",
    "EcrRegistryArgs",
    "GcsArtifactStore",
    "GcsArtifactStoreArgs",
    "InClusterRegistry",
    "InClusterRegistryArgs",
    "MlPlatform",
    "MlPlatformArgs",
    "PlatformConfig",
    "PvcArtifactStore",
    "PvcArtifactStoreArgs",
    "S3ArtifactStore",
    "S3ArtifactStoreArgs",
    "catalog",
    "spec",
]

if TYPE_CHECKING:
    from mlplatform import catalog, spec
    from mlplatform.aws.registry import EcrRegistry, EcrRegistryArgs
    from mlplatform.aws.storage import S3ArtifactStore, S3ArtifactStoreArgs
    from mlplatform.azure.registry import AcrRegistry, AcrRegistryArgs
    from mlplatform.azure.storage import AzureBlobArtifactStore, AzureBlobArtifactStoreArgs
    from mlplatform.gcp.registry import ArtifactRegistryDocker, ArtifactRegistryDockerArgs
    from mlplatform.gcp.storage import GcsArtifactStore, GcsArtifactStoreArgs
    from mlplatform.kubernetes.registry import InClusterRegistry, InClusterRegistryArgs
    from mlplatform.kubernetes.storage import PvcArtifactStore, PvcArtifactStoreArgs
    from mlplatform.platform import MlPlatform, MlPlatformArgs
    from mlplatform.spec import ConfigError, PlatformConfig


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"mlplatform.{name}")
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mlplatform' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
