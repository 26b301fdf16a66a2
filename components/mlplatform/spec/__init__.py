"""Layer 1, the environment spec: `PlatformConfig` and how it is read and validated."""

from mlplatform.catalog.names import GpuName
from mlplatform.spec.errors import ConfigError, ConfigIssue
from mlplatform.spec.loader import from_pulumi, from_stack_file, parse
from mlplatform.spec.model import (
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
