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
from tests.conftest import ROOT

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


CAPABILITIES = {
    "artifact store": (
        "S3ArtifactStore",
        "AzureBlobArtifactStore",
        "GcsArtifactStore",
        "PvcArtifactStore",
    ),
    "registry": ("EcrRegistry", "AcrRegistry", "ArtifactRegistryDocker", "InClusterRegistry"),
    "gpu cluster": ("EksGpuCluster", "AksGpuCluster", "GkeGpuCluster"),
    "database": ("RdsPostgres", "AzurePostgres", "CloudSqlPostgres", "InClusterPostgres"),
    "network": ("AwsNetwork", "AzureNetwork", "GcpNetwork"),
    "workload identity": ("AwsWorkloadIdentity", "AzureWorkloadIdentity", "GcpWorkloadIdentity"),
    "alarms": ("AwsAlarms", "AzureAlarms", "GcpAlarms"),
}
"""One capability on every target: a field two of them take is the same field."""

# Fields that share a name across a capability but rightly differ in type (a cloud's own
# identifier format is still a string; these differ in being an Input or not).
PLACEMENT = {"location", "region", "project"}


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
    assert len(COMPONENTS) == 36
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


def test_every_component_takes_name_args_and_options_only() -> None:
    objects = {
        c.__name__
        for c in COMPONENTS
        if list(inspect.signature(c.__init__).parameters) != ["self", "name", "args", "opts"]
    }
    assert objects == set()


def test_args_inherit_nothing_so_every_field_is_documented_where_it_is_read() -> None:
    # Pulumi's schema analyzer reads field docstrings from the args class's own source only.
    inheriting = {
        args.__name__: [b.__name__ for b in getattr(args, "__orig_bases__", ())]
        for c in COMPONENTS
        for args in args_classes(c)
        if [
            b for b in getattr(args, "__orig_bases__", ()) if b.__module__.startswith("mlplatform.")
        ]
    }
    assert inheriting == {}


@pytest.mark.parametrize("capability", sorted(CAPABILITIES))
def test_a_field_shared_by_a_capability_has_one_type(capability: str) -> None:
    by_name = {c.__name__: c for c in COMPONENTS}
    seen: dict[str, dict[str, str]] = {}
    for component in CAPABILITIES[capability]:
        for args in args_classes(by_name[component]):
            for field, (annotation, _) in documented_fields(args).items():
                if field not in PLACEMENT:
                    seen.setdefault(field, {})[component] = annotation.removeprefix("Required[")
    differing = {f: a for f, a in seen.items() if len(set(a.values())) > 1}
    assert differing == {}


def test_shared_fields_of_the_stores_and_registries() -> None:
    by_name = {c.__name__: c for c in COMPONENTS}

    def fields(component: str) -> set[str]:
        return {f for a in args_classes(by_name[component]) for f in documented_fields(a)}

    assert fields("S3ArtifactStore") & fields("AzureBlobArtifactStore") & fields(
        "GcsArtifactStore"
    ) == {"tags", "noncurrent_version_days", "protect"}
    assert fields("AcrRegistry") - fields("EcrRegistry") == {
        "resource_group_name",
        "location",
        "zone_redundant",
    }
    assert fields("EcrRegistry") - fields("AcrRegistry") == {
        "immutable_tags",
        "scan_on_push",
        "keep_last_images",
        "kms_key_id",
    }


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


PYTHON_ONLY = {
    "AcrRegistry": ["grant_pull", "grant_pull_to_principal"],
    "AksGpuCluster": ["provider", "workload_identity"],
    "ArtifactRegistryDocker": ["grant_pull"],
    "AwsWorkloadIdentity": ["allow"],
    "AzureBlobArtifactStore": ["grant_read_write"],
    "AzureNetwork": ["database_subnet", "private_endpoint"],
    "EcrRegistry": ["grant_pull"],
    "EksGpuCluster": ["provider", "workload_identity", "enable_container_insights"],
    "GcpNetwork": ["private_services_access"],
    "GcsArtifactStore": ["grant_read_write"],
    "GkeGpuCluster": ["provider", "workload_identity"],
    "MlPlatform": ["from_config"],
    "S3ArtifactStore": ["grant_read_write"],
}
"""Public methods and properties: Python only, not in the package schema. Each is named in
the README with what other languages do instead; a new one must join both lists."""


def test_python_only_helpers_are_the_documented_ones() -> None:
    found = {
        c.__name__: names
        for c in COMPONENTS
        if (names := [n for n in vars(c) if not n.startswith("_") and n not in ("__init__",)])
    }
    assert found == PYTHON_ONLY
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("Python-only helpers")
    section = readme[start : readme.index("**From TypeScript", start)]
    named = set(re.findall(r"(?:`|\.)(\w+)(?:\(|`)", section))
    assert [n for names in PYTHON_ONLY.values() for n in names if n not in named] == []


def test_the_exported_names_are_pinned() -> None:
    components = sorted(c.__name__ for c in COMPONENTS)
    assert mlplatform.__all__ == sorted(
        [
            *components,
            *(f"{c}Args" for c in components),
            "AlertThresholds",
            "ConfigError",
            "GpuPoolArgs",
            "ManagedPrometheus",
            "MlflowIngressArgs",
            "ModelIngressArgs",
            "PlatformConfig",
            "catalog",
            "spec",
        ]
    )


def test_spec_is_the_environment_package_under_its_public_name() -> None:
    """`mlplatform.spec` (public) is a face over `mlplatform.environment` (the tree's name): the
    same names and the same submodule objects, so `import mlplatform.spec.model` still works."""
    import importlib

    import mlplatform.environment as environment
    import mlplatform.spec as spec

    assert spec.__all__ == environment.__all__
    assert all(getattr(spec, name) is getattr(environment, name) for name in spec.__all__)
    for name in ("docstrings", "errors", "image_reference", "loader", "model", "rules"):
        assert importlib.import_module(f"mlplatform.spec.{name}") is importlib.import_module(
            f"mlplatform.environment.{name}"
        )
