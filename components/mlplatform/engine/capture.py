"""The recording monitor: a `MockMonitor` that keeps every registration it sees."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping
from typing import Any

from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.settings import get_project, get_stack

from mlplatform.engine.plan import PlannedResource
from mlplatform.engine.values import from_struct

ROOT_STACK_TYPE = "pulumi:pulumi:Stack"
PROVIDER_TYPE_PREFIX = "pulumi:providers:"
SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$")


def make_urn(stack: str, project: str, parent: str, type_: str, name: str) -> str:
    """The URN the Pulumi engine gives a resource (pkg/resource/urn.go `NewURN`).

    The qualified type is the parent's full qualified type + `$` + the type,
    except under the root stack. (The SDK's MockMonitor keeps only the parent's
    last type segment and keeps the stack's, which real URNs do not.)
    """
    qualified = type_
    if parent:
        parent_type = parent.split("::")[2]
        if parent_type != ROOT_STACK_TYPE:
            qualified = f"{parent_type}${type_}"
    return f"urn:pulumi:{stack}::{project}::{qualified}::{name}"


def inherited_alias(
    stack: str, project: str, type_: str, name: str, parent_name: str, parent_alias: str
) -> str:
    """The alias a child inherits from an alias of its parent (step_generator.go
    `inheritedChildAlias`): its URN under the parent's alias, its name's parent-name prefix
    swapped for the alias's (`new-bucket` under `new`, aliased `old`: `old-bucket`)."""
    if name.startswith(parent_name):
        name = parent_alias.rsplit("::", 1)[-1] + name[len(parent_name) :]
    parent_type = parent_alias.split("::")[2]
    qualified = type_ if parent_type == ROOT_STACK_TYPE else f"{parent_type}${type_}"
    return f"urn:pulumi:{stack}::{project}::{qualified}::{name}"


def provider_urn(reference: str) -> str | None:
    """The URN part of a provider reference (`urn::id`), or None when there is none."""
    return reference.rsplit("::", 1)[0] if reference else None


def default_provider_name(version: str, download_url: str = "") -> str:
    """The name the engine gives the default provider of a package at `version`
    (pkg/resource/deploy/providers/provider.go `DefaultName`): `default`, then
    `_<major>_<minor>_<patch>`, each pre-release and build part after `_`, and the plugin
    download URL as a QName."""
    name = "default"
    match = SEMVER.match(version)
    if match:
        major, minor, patch, pre, build = match.groups()
        name += f"_{major}_{minor}_{patch}"
        name += "".join(f"_{part}" for part in (pre.split(".") if pre else []))
        name += "".join(f"_{part}" for part in (build.split(".") if build else []))
    if download_url:
        name += "_" + re.sub(r"[^A-Za-z0-9_.]", "_", download_url)
    return name


class _Keep(logging.Handler):
    """Keeps each record's message in a list."""

    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.WARNING)
        self._into = into

    def emit(self, record: logging.LogRecord) -> None:
        self._into.append(record.getMessage())


class RecordingMonitor(MockMonitor):
    """Records each `RegisterResource` call (and stack outputs) before the mocks answer it.

    As the engine does, a custom resource given no provider is served by its package's
    default provider, which is registered (once per package and version) before it: a
    `pulumi:providers:<package>` resource named by `default_provider_name`, its inputs the
    stack config of the package plus `version`. A provider resource the program creates gets
    the `version` its SDK asks for as an input too (pkg/resource/deploy/source_eval.go)."""

    def __init__(self, mocks: Any, config: Mapping[str, str] | None = None) -> None:
        super().__init__(mocks)
        self.captured: list[PlannedResource] = []
        self.warnings: list[str] = []
        """What the program logged at warning level (`pulumi.log.warn`: preflight's findings
        among them), in order."""
        self._config = dict(config or {})
        self._defaults: set[str] = set()
        self._aliases_of: dict[str, list[str]] = {}
        """Each registered URN's aliases: its children inherit them."""
        self._lock = threading.Lock()
        self._urns: set[str] = set()
        """Every URN the program registered."""
        self.duplicates: list[str] = []
        """URNs the program registered a second time, which the engine refuses ("Duplicate
        resource URN '%v'; try giving it a unique name", pkg/diag/errors.go
        GetDuplicateResourceURNError). Kept, not raised: an error raised inside the mock
        monitor would leave the program's other registrations pending in the SDK."""

    def logger(self) -> logging.Logger:
        """A logger for the mock engine's log channel that keeps its warnings here (the SDK's
        own falls back to the root logger, which prints bare messages)."""
        logger = logging.Logger(__name__, logging.WARNING)  # not registered: one per plan
        logger.addHandler(_Keep(self.warnings))
        return logger

    def _default_provider(self, request: Any) -> str | None:
        """The URN of the default provider serving `request`, registered on first use."""
        package = request.type.split(":")[0]
        if not request.custom or package == "pulumi" or request.type.startswith("pulumi:"):
            return None
        return self.default_provider(package, request.version, request.pluginDownloadURL)

    def default_provider(self, package: str, version: str = "", download_url: str = "") -> str:
        """Register (once) the default provider the engine makes for `package` at `version`,
        its inputs the stack config of the package plus `version`; its URN."""
        name = default_provider_name(version, download_url)
        type_ = f"{PROVIDER_TYPE_PREFIX}{package}"
        urn = make_urn(get_stack(), get_project(), "", type_, name)
        with self._lock:
            if urn not in self._defaults:
                self._defaults.add(urn)
                prefix = f"{package}:"
                inputs: dict[str, Any] = {
                    key.removeprefix(prefix): value
                    for key, value in sorted(self._config.items())
                    if key.startswith(prefix)
                }
                if version:
                    inputs["version"] = version
                self.captured.append(
                    PlannedResource(
                        urn=urn,
                        type=type_,
                        name=name,
                        parent=None,
                        custom=True,
                        protect=False,
                        dependencies=[],
                        property_dependencies={},
                        provider=None,
                        inputs=inputs,
                    )
                )
        return urn

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        return make_urn(get_stack(), get_project(), parent, type_, name)

    def _aliases(self, request: Any, urn: str) -> list[str]:
        """The resource's aliases as URNs, as the engine derives them
        (pkg/resource/deploy/step_generator.go `generateAliases`): given ones as they are,
        specs completed from the resource itself (a spec without a parent keeps the
        resource's parent), then the ones inherited from each alias of its parent. The engine
        inherits from the one parent alias that matched its state; with no state, a plan
        lists the URNs under every alias of the parent."""
        own = list(request.aliasURNs)
        for alias in request.aliases:
            if alias.urn:
                own.append(alias.urn)
                continue
            spec = alias.spec
            parent = "" if spec.noParent else (spec.parentUrn or request.parent)
            own.append(
                make_urn(
                    spec.stack or get_stack(),
                    spec.project or get_project(),
                    parent,
                    spec.type or request.type,
                    spec.name or request.name,
                )
            )
        found = list(own)
        with self._lock:
            parent_aliases = list(self._aliases_of.get(request.parent, ()))
        parent_name = request.parent.rsplit("::", 1)[-1]
        stack, project = get_stack(), get_project()
        for parent_alias in parent_aliases:
            found.append(
                inherited_alias(
                    stack, project, request.type, request.name, parent_name, parent_alias
                )
            )
            for alias in own:  # each of its own aliases under the parent's alias too
                type_ = alias.split("::")[2].rsplit("$", 1)[-1]
                name = alias.rsplit("::", 1)[-1]
                found.append(
                    inherited_alias(stack, project, type_, name, parent_name, parent_alias)
                )
        return sorted(set(found) - {urn})

    def RegisterResource(self, request: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        provider = provider_urn(request.provider) or self._default_provider(request)
        inputs = from_struct(request.object)
        aliases = self._aliases(request, urn)
        if request.type.startswith(PROVIDER_TYPE_PREFIX) and request.version:
            inputs["version"] = request.version
        resource = PlannedResource(
            urn=urn,
            type=request.type,
            name=request.name,
            parent=request.parent or None,
            custom=bool(request.custom),
            protect=bool(request.protect) if request.HasField("protect") else False,
            dependencies=sorted(set(request.dependencies)),
            property_dependencies={
                key: sorted(set(deps.urns))
                for key, deps in sorted(request.propertyDependencies.items())
                if deps.urns
            },
            provider=provider,
            inputs=inputs,
            aliases=aliases,
            ignore_changes=list(request.ignoreChanges),
            replace_on_changes=list(request.replaceOnChanges),
        )
        with self._lock:
            if urn in self._urns:
                self.duplicates.append(urn)  # the runner refuses the plan once the program ends
            self._urns.add(urn)
            self.captured.append(resource)
            if aliases:
                self._aliases_of[urn] = aliases
        return super().RegisterResource(request)
