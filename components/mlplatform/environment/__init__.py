"""Layer 2.1, the environment spec: `PlatformConfig` and how it is read and validated, against
the GPU catalog and the named defaults below it (layer 1)."""

from mlplatform.catalog.names import GpuName
from mlplatform.environment.errors import ConfigError, ConfigIssue
from mlplatform.environment.loader import from_pulumi, from_stack_file, parse
from mlplatform.environment.model import (
    ArtifactStoreSpec,
    ClusterSpec,
    Environment,
    GpuPoolSpec,
    PlatformConfig,
    RegistrySpec,
    Target,
)

__all__ = [
    "ArtifactStoreSpec",
    "ClusterSpec",
    "ConfigError",
    "ConfigIssue",
    "Environment",
    "GpuName",
    "GpuPoolSpec",
    "PlatformConfig",
    "RegistrySpec",
    "Target",
    "from_pulumi",
    "from_stack_file",
    "parse",
]
