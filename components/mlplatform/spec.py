"""`mlplatform.spec`, the environment spec's public name (layer 2.1): a face over
`mlplatform.environment`, where the spec's code lives.

The package is named `environment` in the tree because tools that read a tree take a folder
named `spec/` for RSpec tests and leave its imports unresolved. `mlplatform.spec` stays the
public name: `from mlplatform import spec`, `from mlplatform.spec import PlatformConfig` and the
submodules (`import mlplatform.spec.model`) are the same objects as under
`mlplatform.environment`.
"""

import sys

from mlplatform import environment
from mlplatform.environment import *  # noqa: F403  (the face re-exports the package's names)

__all__: list[str] = []
__all__ += environment.__all__  # the form the typing spec's library-interface rules accept

# Importing the package has loaded each of its submodules (its names come from loader, model
# and errors, which load rules, image_reference and docstrings): each is also
# `mlplatform.spec.<name>`.
_INSIDE = f"{environment.__name__}."
for _name, _module in list(sys.modules.items()):
    if _name.startswith(_INSIDE):
        sys.modules[f"{__name__}.{_name.removeprefix(_INSIDE)}"] = _module
