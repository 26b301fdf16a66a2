"""The recording monitor: a `MockMonitor` that keeps every registration it sees."""

from __future__ import annotations

import threading
from typing import Any

from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.settings import get_project, get_stack

from mlplatform.engine.plan import PlannedResource
from mlplatform.engine.values import from_struct

ROOT_STACK_TYPE = "pulumi:pulumi:Stack"


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


def provider_urn(reference: str) -> str | None:
    """The URN part of a provider reference (`urn::id`), or None when there is none."""
    return reference.rsplit("::", 1)[0] if reference else None


class RecordingMonitor(MockMonitor):
    """Records each `RegisterResource` call (and stack outputs) before the mocks answer it."""

    def __init__(self, mocks: Any) -> None:
        super().__init__(mocks)
        self.captured: list[PlannedResource] = []
        self._lock = threading.Lock()

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        return make_urn(get_stack(), get_project(), parent, type_, name)

    def _aliases(self, request: Any, urn: str) -> list[str]:
        """The resource's aliases as URNs: given ones as they are, specs completed from the
        resource itself (a spec without a parent keeps the resource's parent)."""
        found = list(request.aliasURNs)
        for alias in request.aliases:
            if alias.urn:
                found.append(alias.urn)
                continue
            spec = alias.spec
            parent = "" if spec.noParent else (spec.parentUrn or request.parent)
            found.append(
                make_urn(
                    spec.stack or get_stack(),
                    spec.project or get_project(),
                    parent,
                    spec.type or request.type,
                    spec.name or request.name,
                )
            )
        return sorted(set(found) - {urn})

    def RegisterResource(self, request: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
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
            provider=provider_urn(request.provider),
            inputs=from_struct(request.object),
            aliases=self._aliases(request, urn),
            ignore_changes=list(request.ignoreChanges),
            replace_on_changes=list(request.replaceOnChanges),
        )
        with self._lock:
            self.captured.append(resource)
        return super().RegisterResource(request)
