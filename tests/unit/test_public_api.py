"""The components as a public API: every ComponentResource mlplatform defines registers as
`mlplatform:index:<ClassName>`, documents each output and each field of its args, and takes
and gives no other component (ids and strings cross a language boundary; objects do not)."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import textwrap
from types import ModuleType

import pulumi
import pytest

import mlplatform

LAYERS = ("aws", "azure", "gcp", "kubernetes", "compose")


def component_modules() -> list[ModuleType]:
    found = [importlib.import_module("mlplatform.platform")]
    for layer in LAYERS:
        package = importlib.import_module(f"mlplatform.{layer}")
        for info in pkgutil.walk_packages(package.__path__, f"mlplatform.{layer}."):
            found.append(importlib.import_module(info.name))
    return found


COMPONENTS = sorted(
    {
        cls
        for module in component_modules()
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, pulumi.ComponentResource) and cls.__module__.startswith("mlplatform.")
    },
    key=lambda c: c.__name__,
)
NAMES = {c.__name__ for c in COMPONENTS}


def documented_fields(cls: type) -> dict[str, tuple[str, bool]]:
    """Annotated class attributes: {name: (annotation source, has a docstring after it)}."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    body = tree.body[0].body  # type: ignore[attr-defined]
    fields: dict[str, tuple[str, bool]] = {}
    for i, node in enumerate(body):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            following = body[i + 1] if i + 1 < len(body) else None
            doc = (
                isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            )
            fields[node.target.id] = (ast.unparse(node.annotation), doc)
    return fields


NOT_YET_PORTABLE = {"EksClusterAutoscaler": "takes the EksGpuCluster object, not an args dict"}
"""Components whose inputs other languages cannot give yet (issue 8). Exact: a component
made portable must leave this list, and no other may join it."""


def args_classes(component: type) -> list[type]:
    """The component's args TypedDict and the mlplatform TypedDicts it extends."""
    parameters = inspect.signature(component.__init__).parameters
    if "args" not in parameters:
        return []
    annotation = parameters["args"].annotation
    module = inspect.getmodule(component)
    args = getattr(module, annotation) if isinstance(annotation, str) else annotation
    return [c for c in args.__mro__ if c.__module__.startswith("mlplatform.")]


def test_the_components_are_found() -> None:
    assert len(COMPONENTS) == 33
    assert {"MlPlatform", "EksGpuCluster", "S3ArtifactStore", "MlflowServer"} <= NAMES


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.__name__)
def test_type_token_is_the_class_name(component: type) -> None:
    source = inspect.getsource(component.__init__)
    assert f'"mlplatform:index:{component.__name__}"' in source


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.__name__)
def test_every_output_is_documented_and_no_component(component: type) -> None:
    outputs = {
        name: (annotation, doc)
        for name, (annotation, doc) in documented_fields(component).items()
        if annotation.startswith("pulumi.Output")
    }
    assert [name for name, (_, doc) in outputs.items() if not doc] == []
    mentions = {
        name: found
        for name, (annotation, _) in outputs.items()
        if (found := set(re.findall(r"\w+", annotation)) & NAMES)
    }
    assert mentions == {}


def test_only_the_known_components_take_objects_instead_of_args() -> None:
    objects = {
        c.__name__
        for c in COMPONENTS
        if set(inspect.signature(c.__init__).parameters) - {"self", "name", "args", "opts"}
    }
    assert objects == set(NOT_YET_PORTABLE)


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.__name__)
def test_every_args_field_is_documented_and_no_component(component: type) -> None:
    undocumented: list[str] = []
    mentions: dict[str, set[str]] = {}
    for args in args_classes(component):
        for name, (annotation, doc) in documented_fields(args).items():
            if not doc:
                undocumented.append(f"{args.__name__}.{name}")
            if found := set(re.findall(r"\w+", annotation)) & NAMES:
                mentions[f"{args.__name__}.{name}"] = found
    assert undocumented == []
    assert mentions == {}


def test_the_package_exports_a_short_stable_list() -> None:
    assert mlplatform.__all__ == sorted(mlplatform.__all__)
    for name in mlplatform.__all__:
        assert getattr(mlplatform, name) is not None
