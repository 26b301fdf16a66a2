"""The library's layers hold: no module of `mlplatform` imports a module of a higher layer.

`LAYERS` is the layer map (README.md and CONTRIBUTING.md show the same table): each layer with
the packages and modules it holds. A module's layer is that of the longest name that is it or
a package above it; `mlplatform` itself (the public face, `components/mlplatform/__init__.py`)
is matched only exactly. Layers are numbered `6.1`, `6.2`, ...: the big six of
ARCHITECTURE.md, ordered as the imports run, each cut where the imports inside it run one
way. A module may import its own layer and any lower one.

Every import counts: at module level, inside a function (a lazy import is still a
dependency), under `if TYPE_CHECKING:` (a lower layer that names a higher layer's types knows
about it, and a loop hidden behind TYPE_CHECKING is still a loop), and
`importlib.import_module` of a name written in the code. Only a name computed at run time is
not seen: the lazy faces (`mlplatform`, `mlplatform.engine`) repeat every name they load under
TYPE_CHECKING, where it counts.

It also fails when a module is not in the map (a new module must be given its layer), when an
import names no module of the tree, when a docstring's first line states a layer the map does
not give it, and when one cloud's modules import another cloud's.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeGuard

from tests.conftest import ROOT

SOURCE = ROOT / "components"
"""The source folder: `components/mlplatform/` is the package `mlplatform`."""
FACE = "mlplatform"
"""The package itself: matched only exactly, never as the prefix of every module."""

LAYERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "1": ("data", ("mlplatform.defaults", "mlplatform.catalog")),
    "2.1": (
        "environment spec and shared contracts",
        (
            "mlplatform.environment",
            "mlplatform.spec",
            "mlplatform.contracts",
            "mlplatform.naming",
            "mlplatform.network_layout",
        ),
    ),
    "2.2": ("component argument checks", ("mlplatform.component_args",)),
    "3": ("Kubernetes platform", ("mlplatform.kubernetes", "mlplatform.kubernetes.monitoring")),
    "4": ("cloud foundations", ("mlplatform.aws", "mlplatform.azure", "mlplatform.gcp")),
    "5.1": ("composition", ("mlplatform.compose", "mlplatform.platform")),
    "5.2": (
        "public face and packaging",
        (FACE, "mlplatform.provider", "mlplatform.reference", "mlplatform.policy_pack"),
    ),
    "6.1": ("offline engine", ("mlplatform.engine", "mlplatform.terminal")),
    "6.2": ("cost estimate", ("mlplatform.cost",)),
    "6.3": ("checks", ("mlplatform.checks",)),
    "6.4": ("command line", ("mlplatform.cli", "mlplatform.__main__")),
}
"""Layer -> (what it is, the packages and modules it holds)."""

LAZY_FACES = (FACE, "mlplatform.engine")
"""The packages that load their names on first use (`__getattr__`); the rest import by
statement."""
CLOUDS = ("aws", "azure", "gcp")
STATED_LAYER = re.compile(r"\blayer (\d+(?:\.\d+)?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Import:
    """One import of an `mlplatform` module: who, where, what, and how."""

    importer: str
    path: Path
    line: int
    imported: str
    how: str
    """"" at module level, else "inside a function", "under TYPE_CHECKING" or
    "by importlib"."""
    resolved: bool = True
    """False when `imported` names no module of the tree."""
    by_importlib: bool = False
    """Loaded by `importlib.import_module` (of its name or its name's fixed head)."""

    def at(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by name."""
    return {module_name(p): p for p in sorted((SOURCE / FACE).rglob("*.py"))}


def places() -> dict[str, str]:
    """Package or module name -> layer."""
    found: dict[str, str] = {}
    for layer, (_, names) in LAYERS.items():
        for name in names:
            assert name not in found, f"{name} is in layers {found[name]} and {layer}"
            found[name] = layer
    return found


def layer_of(module: str) -> str | None:
    """The layer of `module`: its longest placed name, the face only exactly."""
    placed = places()
    if module == FACE:
        return placed.get(FACE)
    names = [n for n in placed if n != FACE and (module == n or module.startswith(n + "."))]
    return placed[max(names, key=len)] if names else None


def ours(name: object) -> TypeGuard[str]:
    """Whether `name` is a module name of the package."""
    return isinstance(name, str) and (name == FACE or name.startswith(FACE + "."))


def order(layer: str) -> tuple[int, ...]:
    return tuple(int(part) for part in layer.split("."))


def described(layer: str) -> str:
    return f"layer {layer}, {LAYERS[layer][0]}"


class _Imports(ast.NodeVisitor):
    """The `mlplatform` imports of one module, each with its line and how it is made."""

    def __init__(self, name: str, path: Path) -> None:
        self.name = name
        self.path = path
        self.package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        self.how: list[str] = [""]
        self.found: list[Import] = []

    def _add(self, imported: str, line: int, how: str | None = None) -> None:
        known = imported in modules()
        by_importlib = how is not None
        how = self.how[-1] or how or ""
        self.found.append(Import(self.name, self.path, line, imported, how, known, by_importlib))

    def _nested(self, how: str, nodes: Sequence[ast.AST]) -> None:
        self.how.append(self.how[-1] or how)
        for node in nodes:
            self.visit(node)
        self.how.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._nested("inside a function", [*node.decorator_list, *node.body])

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._nested("inside a function", [*node.decorator_list, *node.body])

    def visit_If(self, node: ast.If) -> None:
        if "TYPE_CHECKING" in ast.unparse(node.test):
            self._nested("under TYPE_CHECKING", node.body)
            for statement in node.orelse:
                self.visit(statement)
        else:
            self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if ours(alias.name):
                self._add(alias.name, node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.package.split(".")[: len(self.package.split(".")) - node.level + 1]
            source = ".".join([*base, *([node.module] if node.module else [])])
        else:
            source = node.module or ""
        if not ours(source):
            return
        for alias in node.names:
            submodule = f"{source}.{alias.name}"
            self._add(submodule if submodule in modules() else source, node.lineno)

    def visit_Call(self, node: ast.Call) -> None:
        called = node.func
        name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
        written = node.args[0] if name == "import_module" and node.args else None
        if isinstance(written, ast.JoinedStr):  # f"mlplatform.compose.{x}": its fixed head
            head = written.values[0] if written.values else None
            text = head.value if isinstance(head, ast.Constant) else ""
            written = ast.Constant(str(text).rpartition(".")[0])
        if isinstance(written, ast.Constant) and ours(written.value):
            self._add(written.value, node.lineno, "by importlib")
        self.generic_visit(node)


@cache
def imports() -> list[Import]:
    found: list[Import] = []
    for name, path in modules().items():
        visitor = _Imports(name, path)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        found.extend(visitor.found)
    return found


def upward(found: list[Import]) -> list[str]:
    """One line per import of a module of a higher layer than its importer's."""
    problems = []
    for i in found:
        have, want = layer_of(i.importer), layer_of(i.imported)
        if have is None or want is None or order(want) <= order(have):
            continue
        how = f" ({i.how})" if i.how else ""
        problems.append(
            f"{i.at()}: {i.importer} ({described(have)}) imports {i.imported} "
            f"({described(want)}){how}: a lower layer never imports a higher one"
        )
    return problems


def test_the_map_places_every_module_and_names_only_modules_that_are_there() -> None:
    unplaced = sorted(name for name in modules() if layer_of(name) is None)
    assert unplaced == [], f"modules the layer map does not place (add them to LAYERS): {unplaced}"
    stale = sorted(name for name in places() if name not in modules())
    assert stale == [], f"LAYERS names modules that are not in the tree: {stale}"


def test_every_import_names_a_module_of_the_tree() -> None:
    unresolved = [f"{i.at()}: {i.imported}" for i in imports() if not i.resolved]
    assert unresolved == [], "\n".join(unresolved)


WALKED = """
import importlib
from typing import TYPE_CHECKING

import mlplatform.environment.model
from mlplatform import defaults, __version__

if TYPE_CHECKING:
    from mlplatform.engine.plan import Plan


def f():
    from mlplatform.cli import main

    importlib.import_module(f"mlplatform.compose.{target}")
    importlib.import_module("mlplatform.nothing")
"""


def test_the_walk_sees_every_kind_of_import() -> None:
    """The measure itself: every kind of import, with its line and how it is made."""
    walk = _Imports("mlplatform.catalog.names", modules()["mlplatform.catalog.names"])
    walk.visit(ast.parse(WALKED))
    assert [(i.line, i.imported, i.how, i.resolved, i.by_importlib) for i in walk.found] == [
        (5, "mlplatform.environment.model", "", True, False),
        (6, "mlplatform.defaults", "", True, False),
        (6, "mlplatform", "", True, False),
        (9, "mlplatform.engine.plan", "under TYPE_CHECKING", True, False),
        (13, "mlplatform.cli", "inside a function", True, False),
        (15, "mlplatform.compose", "inside a function", True, True),
        (16, "mlplatform.nothing", "inside a function", False, True),
    ]


def test_only_the_lazy_faces_load_mlplatform_modules_by_importlib() -> None:
    """Elsewhere an import statement names the module, so readers, type checkers, structure
    viewers and this map all see the dependency."""
    hidden = [
        f"{i.at()}: {i.importer} loads {i.imported}... by importlib"
        for i in imports()
        if i.by_importlib and i.importer not in LAZY_FACES
    ]
    assert hidden == [], "\n".join(hidden)


def test_no_module_imports_a_higher_layer() -> None:
    problems = upward(imports())
    assert problems == [], "\n".join(problems)


def test_an_upward_import_is_named_with_its_line_and_both_layers() -> None:
    catalog = modules()["mlplatform.catalog.names"]
    planted = Import("mlplatform.catalog.names", catalog, 7, "mlplatform.cli", "inside a function")
    assert upward([planted]) == [
        "components/mlplatform/catalog/names.py:7: mlplatform.catalog.names (layer 1, data) "
        "imports mlplatform.cli (layer 6.4, command line) (inside a function): a lower layer "
        "never imports a higher one"
    ]


def test_a_docstring_that_states_its_layer_states_the_map_s() -> None:
    wrong = []
    for name, path in modules().items():
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        stated = STATED_LAYER.search(docstring.partition("\n")[0])
        layer = layer_of(name)
        if stated and layer and stated[1] not in (layer, layer.split(".")[0]):
            wrong.append(
                f"{path.relative_to(ROOT)}: says layer {stated[1]}; the map: {described(layer)}"
            )
    assert wrong == [], "\n".join(wrong)


def cloud_of(module: str) -> str | None:
    """The cloud a module belongs to ("" for a cloud-agnostic builder), None when unbound."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in CLOUDS:
        return parts[1]
    if len(parts) > 2 and parts[1] == "compose":
        return parts[2] if parts[2] in CLOUDS else ""
    return None


def test_no_cloud_imports_another_cloud() -> None:
    """A single-cloud stack loads only its own cloud's modules (and so its own SDK)."""
    crossing = [
        f"{i.at()}: {i.importer} imports {i.imported}"
        for i in imports()
        if cloud_of(i.importer) is not None
        and (i.imported + ".").split(".")[1] in CLOUDS
        and cloud_of(i.imported) != cloud_of(i.importer)
    ]
    assert crossing == [], "\n".join(crossing)
