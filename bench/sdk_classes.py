"""The provider SDK class behind each resource type token, read from the registration table
every generated Pulumi SDK carries in its `__init__.py` (`_utilities.register(...)`), without
importing the SDK."""

from __future__ import annotations

import importlib.util
import json
import re
from functools import cache
from pathlib import Path

SDK_MODULES = {
    "aws": "pulumi_aws",
    "azure-native": "pulumi_azure_native",
    "gcp": "pulumi_gcp",
    "kubernetes": "pulumi_kubernetes",
    "random": "pulumi_random",
}
"""Pulumi package name -> Python module of its SDK."""
CUSTOM_RESOURCE = "pulumi_kubernetes.apiextensions:CustomResource"
"""Kubernetes kinds the SDK has no class for (operator CRDs) are made with this one."""
PROVIDER_PREFIX = "pulumi:providers:"
REGISTER = re.compile(r'resource_modules="""(.*?)"""', re.S)


@cache
def _table(package: str) -> dict[str, str]:
    """Type token -> "module:Class" for one SDK."""
    spec = importlib.util.find_spec(SDK_MODULES[package])
    if spec is None or spec.origin is None:
        raise LookupError(f"the {SDK_MODULES[package]} SDK is not installed")
    found = REGISTER.search(Path(spec.origin).read_text(encoding="utf-8"))
    if found is None:
        raise LookupError(f"{spec.origin} has no resource registration table")
    return {
        token: f"{module['fqn']}:{name}"
        for module in json.loads(found[1])
        for token, name in module["classes"].items()
    }


def sdk_class(type_: str) -> str:
    """The "module:Class" that registers resources of `type_`."""
    if type_.startswith(PROVIDER_PREFIX):
        return f"{SDK_MODULES[type_.removeprefix(PROVIDER_PREFIX)]}:Provider"
    package = type_.split(":", 1)[0]
    if package not in SDK_MODULES:
        raise LookupError(f"no SDK known for {type_}")
    found = _table(package).get(type_)
    if found is None and package == "kubernetes":
        return CUSTOM_RESOURCE
    if found is None:
        raise LookupError(f"{SDK_MODULES[package]} registers no class for {type_}")
    return found
