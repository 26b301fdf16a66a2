"""One source per default (issue 22): each default lives in one named constant, which the
component reads, the spec's field for the same fact takes, and the args field's docstring
states ("Default: 2."), checked here against the value rather than kept by hand.

The component's default is read from its source: every `<args>.get("<field>", <default>)` in
the modules that see the args type, evaluated in the module's namespace. The docstring is the
one Pulumi's schema and the reference pages show (`mlplatform.reference` parses the same
"Default: ..." sentence)."""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
import pkgutil
import textwrap
import typing
from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from functools import cache
from types import ModuleType, UnionType
from typing import Any, NamedTuple, NotRequired, Required

from pydantic import BaseModel
from pydantic.alias_generators import to_camel

from mlplatform import reference
from mlplatform.component_args import POOL_KEYS, SPEC_PATHS, SPEC_PATHS_OF
from mlplatform.contracts import GpuPoolArgs
from mlplatform.environment import model
from tests.unit.test_public_api import COMPONENTS, args_classes

READERS = ("aws", "azure", "gcp", "kubernetes", "catalog")
"""The packages whose modules read component args (compose maps the spec to args instead)."""
SAME_FACT = {
    **SPEC_PATHS,
    "grafana": "monitoring.grafana",
    "immutable_tags": "registry.immutableTags",
    "scan_on_push": "registry.scanOnPush",
    "protect": "protect",
}
"""An arg and the spec field holding the same fact: `component_args.SPEC_PATHS` (one name,
one meaning), and the facts the spec has that the args checks need not map."""
SAME_FACT_OF: dict[tuple[str, str], str | None] = {
    **SPEC_PATHS_OF,
    ("AwsAlarmsArgs", "database_storage_gb"): "mlflow.database.storageGb",
    ("GkeGpuClusterArgs", "managed_prometheus"): "cluster.managedPrometheus",
    # Azure's smallest offered size, to which the spec's 20 GB rounds up: a fact of Azure's.
    # The args checks still hold it to the spec's range (a size asked for); only its default
    # is Azure's own.
    ("AzurePostgresArgs", "storage_gb"): None,
}
"""Where one args type's field holds another spec fact than `SAME_FACT` says:
`component_args.SPEC_PATHS_OF`, and the facts the args checks need not map."""
ON = {"on", "protected", "immutable", "preinstalled"}
OFF = {"off", "private", "shared", "on-demand", "Free"}
"""How a field's docstring says true and false ("Default: protected.")."""


class Conditional(NamedTuple):
    """`a if test else b`: the docstring says "b (a when test)"."""

    test: str
    then: object
    otherwise: object

    def __str__(self) -> str:
        return f"{self.otherwise} ({self.then} when {self.test})"


class Read(NamedTuple):
    """`<mapping>.get("<key>", <default>)` in a module's source."""

    module: ModuleType
    line: int
    key: str
    default: ast.expr | None

    @property
    def where(self) -> str:
        return f"{self.module.__name__}:{self.line}"


class ArgField(NamedTuple):
    """A field of a public args type (or of a type nested in one)."""

    typed: type
    name: str
    annotation: Any
    default: str | None
    """The docstring's "Default: ..." sentence, as the reference pages show it."""
    fact: str | None
    """The spec field of the same fact (`cluster.systemPool.minNodes`), if the spec has it."""

    @property
    def where(self) -> str:
        return f"{self.typed.__name__}.{self.name}"


def docstrings(typed: type) -> dict[str, str]:
    """{field: the docstring under it} of a class's annotated attributes."""
    body = ast.parse(textwrap.dedent(inspect.getsource(typed))).body[0].body  # type: ignore[attr-defined]
    found: dict[str, str] = {}
    for node, after in zip(body, [*body[1:], None], strict=True):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            text = after.value.value if isinstance(after, ast.Expr) else None  # type: ignore[union-attr]
            found[node.target.id] = text if isinstance(text, str) else ""
    return found


def stated_default(docstring: str) -> str | None:
    found = reference.DEFAULT.search(" ".join(docstring.split()))
    return found.group(1) if found else None


def unwrapped(annotation: Any) -> list[Any]:
    """The types an annotation is made of: `Required[Sequence[X] | None]` gives X."""
    origin = typing.get_origin(annotation)
    if origin in (Required, NotRequired, Sequence, list, typing.Union, UnionType):
        return [t for a in typing.get_args(annotation) for t in unwrapped(a)]
    if origin in (Mapping, dict):
        return unwrapped(typing.get_args(annotation)[-1])
    return [annotation]


def _hints(typed: type) -> dict[str, Any]:
    from mlplatform.component_args import _hints  # the args checks' own evaluation

    return _hints(typed)


@cache
def arg_fields() -> dict[tuple[type, str], ArgField]:
    found: dict[tuple[type, str], ArgField] = {}
    walked: set[type] = set()

    def walk(typed: type, fact_of: Callable[[str], str | None]) -> None:
        walked.add(typed)
        hints = _hints(typed)
        for name, doc in docstrings(typed).items():
            fact = fact_of(name)
            found[(typed, name)] = ArgField(typed, name, hints[name], stated_default(doc), fact)
            for inner in unwrapped(hints[name]):
                if not typing.is_typeddict(inner) or inner in walked:
                    continue
                if inner is GpuPoolArgs:
                    walk(inner, lambda f: f"gpuPools.{POOL_KEYS[f]}" if f in POOL_KEYS else None)
                else:
                    walk(inner, lambda f, at=fact: f"{at}.{to_camel(f)}" if at else None)

    for component in COMPONENTS:
        for args in args_classes(component):

            def top(field: str, kind: str = args.__name__) -> str | None:
                if (kind, field) in SAME_FACT_OF:
                    return SAME_FACT_OF[(kind, field)]
                return SAME_FACT.get(field)

            walk(args, top)
    return found


def reader_modules() -> list[ModuleType]:
    found = [importlib.import_module(m) for m in ("mlplatform.platform", "mlplatform.contracts")]
    for layer in READERS:
        package = importlib.import_module(f"mlplatform.{layer}")
        found.append(package)
        for info in pkgutil.walk_packages(package.__path__, f"mlplatform.{layer}."):
            found.append(importlib.import_module(info.name))
    return found


@cache
def reads() -> list[Read]:
    found: list[Read] = []
    for module in reader_modules():
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                default = node.args[1] if len(node.args) > 1 else None
                found.append(Read(module, node.lineno, node.args[0].value, default))
    return found


@cache
def in_view(module: ModuleType) -> set[type]:
    """The args types a module defines or imports, and the types nested in them."""
    types_ = {t for t, _ in arg_fields()}
    seen = {
        t for t in types_ if t.__module__ == module.__name__ or vars(module).get(t.__name__) is t
    }
    todo = list(seen)
    while todo:
        for annotation in _hints(todo.pop()).values():
            for inner in unwrapped(annotation):
                if inner in types_ and inner not in seen:
                    seen.add(inner)
                    todo.append(inner)
    return seen


def evaluated(read: Read) -> object:
    """The default a read gives: a value, a `Conditional`, or None (the field left out)."""
    expr = read.default
    if expr is None:
        return None
    if isinstance(expr, ast.IfExp):
        then, otherwise = (evaluated(read._replace(default=e)) for e in (expr.body, expr.orelse))
        return Conditional(ast.unparse(expr.test), then, otherwise)
    scope = vars(read.module)
    # A local name (the location an Azure name is made of) stands for itself: `<location>`.
    local = {
        n.id: f"<{n.id}>"
        for n in ast.walk(expr)
        if isinstance(n, ast.Name) and n.id not in scope and not hasattr(builtins, n.id)
    }
    return eval(compile(ast.Expression(expr), read.where, "eval"), dict(scope), local)


def component_defaults(field: ArgField) -> list[tuple[Read, object]]:
    return [
        (read, evaluated(read))
        for read in reads()
        if read.key == field.name and field.typed in in_view(read.module)
    ]


def spec_field(path: str) -> tuple[type[BaseModel], str]:
    """The spec model and field name at a camelCase path (`cluster.systemPool.minNodes`)."""
    owner: type[BaseModel] = model.PlatformConfig
    *sections, leaf = path.split(".")

    def name(segment: str) -> str:
        return next(n for n in owner.model_fields if to_camel(n) == segment)

    for section in sections:
        annotation = owner.model_fields[name(section)].annotation
        owner = next(
            t for t in unwrapped(annotation) if isinstance(t, type) and issubclass(t, BaseModel)
        )
    return owner, name(leaf)


@cache
def spec_source() -> dict[tuple[str, str], ast.expr]:
    """{(spec model, field): the default expression written in spec/model.py}."""
    return {
        (node.name, item.target.id): item.value
        for node in ast.parse(inspect.getsource(model)).body
        if isinstance(node, ast.ClassDef)
        for item in node.body
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name) and item.value
    }


def constants(expr: ast.expr | None) -> set[str]:
    """The `defaults.NAME` constants an expression reads."""
    if expr is None:
        return set()
    return {
        n.attr
        for n in ast.walk(expr)
        if isinstance(n, ast.Attribute)
        and isinstance(n.value, ast.Name)
        and n.value.id == "defaults"
    }


def scalar(value: object) -> bool:
    return isinstance(value, bool | int | float | str | Conditional)


def rendered(value: object) -> str:
    return str(value.value) if isinstance(value, Enum) else str(value)


def states(default: str, value: object) -> bool:
    """Whether a docstring's default sentence states `value`."""
    if isinstance(value, bool):
        return default in (ON if value else OFF)
    return default == rendered(value)


def test_every_stated_default_is_the_one_the_component_uses() -> None:
    wrong: list[str] = []
    for field in arg_fields().values():
        if field.default is None:
            continue
        used = {
            rendered(value): value
            for read, value in component_defaults(field)
            # "Default: the upstream MLflow image (see MLFLOW_IMAGE)" names the constant read.
            if scalar(value) and ast.unparse(read.default) not in field.default  # type: ignore[arg-type]
        }
        for value in used.values():
            if not states(field.default, value):
                wrong.append(
                    f"{field.where}: docstring says {field.default!r}, code uses {value!r}"
                )
        if len(used) > 1:
            wrong.append(f"{field.where}: read with different defaults {sorted(used)}")
    assert wrong == []


def plain(annotation: Any) -> bool:
    """A bool, number, string or enum that cannot be None: a field whose default is a value."""
    while typing.get_origin(annotation) in (Required, NotRequired):
        annotation = typing.get_args(annotation)[0]
    return isinstance(annotation, type) and issubclass(annotation, bool | int | float | str | Enum)


def test_every_plain_field_with_a_stated_value_has_it_in_code_or_spec() -> None:
    # A value is one word ("2", "regular", "off"); "the running Pulumi stack" is derived.
    missing = [
        field.where
        for field in arg_fields().values()
        if field.default is not None
        and " " not in field.default
        and plain(field.annotation)
        and not any(scalar(v) for _, v in component_defaults(field))
        and field.fact is None
    ]
    assert missing == []


def test_no_default_is_a_literal_buried_in_a_body() -> None:
    buried = [
        f"{read.where}: .get({read.key!r}, {ast.unparse(read.default)})"
        for read in reads()
        if read.default is not None
        for node in ast.walk(read.default)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, int | float | str)
        and not isinstance(node.value, bool)
        and not _subscript_key(read.default, node)
    ]
    assert buried == []


def _subscript_key(expr: ast.expr, node: ast.Constant) -> bool:
    """`defaults.SYSTEM_INSTANCE_TYPES["aws"]`: a constant that picks from a named table."""
    return any(isinstance(s, ast.Subscript) and s.slice is node for s in ast.walk(expr))


def test_the_spec_and_the_component_read_the_same_constant() -> None:
    apart: list[str] = []
    for field in arg_fields().values():
        if field.fact is None:
            continue
        owner, name = spec_field(field.fact)
        spec_default = owner.model_fields[name].default
        if not scalar(spec_default) or spec_default is None:
            continue
        spec_expr = spec_source()[(owner.__name__, name)]
        for read, value in component_defaults(field):
            if not scalar(value):
                continue
            if value != spec_default:
                apart.append(
                    f"{field.where} at {read.where}: {value!r}, spec {field.fact}: {spec_default!r}"
                )
            elif not isinstance(value, bool) and not constants(read.default) & constants(spec_expr):
                apart.append(
                    f"{field.where} at {read.where}: {ast.unparse(read.default)}"  # type: ignore[arg-type]
                    f", spec {field.fact}: {ast.unparse(spec_expr)}"
                )
        if field.default is not None and not states(field.default, spec_default):
            apart.append(f"{field.where}: docstring says {field.default!r}, spec {spec_default!r}")
    assert apart == []


def spec_models() -> list[type[BaseModel]]:
    return [
        cls
        for _, cls in inspect.getmembers(model, inspect.isclass)
        if issubclass(cls, BaseModel) and cls.__module__ == model.__name__ and cls.model_fields
    ]


def test_every_spec_docstring_states_the_spec_default() -> None:
    wrong: list[str] = []
    for cls in spec_models():
        for name, info in cls.model_fields.items():
            value = info.default
            if isinstance(value, bool) or not scalar(value):
                continue
            stated = stated_default(info.description or "")
            if stated is None or not (
                stated == rendered(value) or stated.startswith(f"{rendered(value)} ")
            ):
                wrong.append(f"{cls.__name__}.{name}: docstring says {stated!r}, default {value!r}")
    assert wrong == []


def test_both_prometheus_volume_docstrings_state_the_share_retention_stops_at() -> None:
    from mlplatform.kubernetes.monitoring.stack import RETENTION_FRACTION, MonitoringStackArgs

    said = f"retention also stops at {RETENTION_FRACTION:.0%} of it"
    assert said == "retention also stops at 80% of it"
    assert said in " ".join(docstrings(MonitoringStackArgs)["storage_gi"].split())
    assert said in " ".join(
        str(model.MonitoringSpec.model_fields["storage_gi"].description).split()
    )
