"""`mlplatform.spec`, the environment spec's public name (layer 2.1): a face over
`mlplatform.environment`, where the spec's code lives.

The package is named `environment` in the tree because tools that read a tree take a folder
named `spec/` for RSpec tests and leave its imports unresolved. `mlplatform.spec` stays the
public name: `from mlplatform import spec`, `from mlplatform.spec import PlatformConfig` and the
submodules (`mlplatform.spec.model`, `.rules`, `.loader`, `.errors`, `.docstrings`,
`.image_reference`) are the same module objects as under `mlplatform.environment`.
"""

import sys

from mlplatform.environment import (
    ArtifactStoreSpec,
    ClusterSpec,
    ConfigError,
    ConfigIssue,
    Environment,
    GpuName,
    GpuPoolSpec,
    PlatformConfig,
    RegistrySpec,
    Target,
    docstrings,
    errors,
    from_pulumi,
    from_stack_file,
    image_reference,
    loader,
    model,
    parse,
    rules,
)

SUBMODULES = {
    "docstrings": docstrings,
    "errors": errors,
    "image_reference": image_reference,
    "loader": loader,
    "model": model,
    "rules": rules,
}
"""Each submodule of `mlplatform.environment`, also importable as `mlplatform.spec.<name>`."""
for _name, _module in SUBMODULES.items():
    sys.modules[f"{__name__}.{_name}"] = _module

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
"""The same names as `mlplatform.environment.__all__` (a test holds them equal)."""
