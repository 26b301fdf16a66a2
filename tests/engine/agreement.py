"""The offline plan against the real engine's state, resource by resource.

`compare(plan, state)` lists every difference between what `mlplatform plan --format json`
captured and what `pulumi stack export` recorded: URN, type, parent, dependencies, property
dependencies, provider, protect and inputs. A difference is allowed only by one of the named
`EXCEPTIONS` below, each of which says what the real engine or provider does that the offline
engine cannot (and where the source says so); `Agreement.used` tells which ones were needed, so
a test can hold that none is dead.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

PLAN_SECRET = "[secret]"
PLAN_UNKNOWN = "[unknown]"
STATE_SECRET_SIG = "4dabf18193072939515e22adb298388d"
"""The signature key of a secret value in a state export (sdk/go/common/resource/sig)."""

HELM_RELEASE_DEFAULTS: dict[str, Any] = {
    "allowNullValues": False,
    "createNamespace": False,
    "dependencyUpdate": False,
    "description": "",
    "devel": False,
    "disableCRDHooks": False,
    "disableOpenapiValidation": False,
    "disableWebhooks": False,
    "forceUpdate": False,
    "keyring": "",
    "lint": False,
    "postrender": "",
    "recreatePods": False,
    "renderSubchartNotes": False,
    "replace": False,
    "resetValues": False,
    "reuseValues": False,
    "skipAwait": False,
    "skipCrds": False,
    "timeout": 300,
    "verify": False,
    "waitForJobs": False,
}
"""What the Kubernetes provider's Check of a `helm.sh/v3:Release` writes for each option the
program left unset (pulumi-kubernetes v4.25.0 provider/pkg/provider/helm_release.go, `Check`
decodes the inputs into its Release struct and encodes it back with Go zero values, and
`timeout` defaults to 300 seconds)."""
AUTONAME = r"^{name}-[0-9a-f]{{8}}$"
"""pulumi-kubernetes autonaming: the resource name, a dash and 8 random hex digits
(provider/pkg/metadata/naming.go `AssignNameIfAutonamable`)."""

EXCEPTIONS = {
    "secret": "a secret is `[secret]` in the plan and ciphertext in the state: both must be "
    "secret, and the values cannot be compared",
    "unknown before deploy": "a value the plan marks `[unknown]` is only known once deployed",
    "secret stringData is stored as data": "the Kubernetes provider's Check turns a Secret's "
    "`stringData` into base64 `data` (provider/pkg/clients/unstructured.go normalizeSecret)",
    "autonamed": "the Kubernetes provider names an object the program left unnamed and marks "
    "it `pulumi.com/autonamed` (provider/pkg/metadata/naming.go)",
    "helm release defaults": "the Kubernetes provider's Check of a Helm Release fills every "
    "option left unset (HELM_RELEASE_DEFAULTS) and drops the SDK's `compat` marker",
    "provider internals": "the engine adds an empty `__internal` map to a provider's inputs "
    "(pkg/resource/deploy/providers/registry.go)",
}
"""Every difference the comparison forgives, by name."""


@dataclass(frozen=True)
class Difference:
    """One way a planned resource differs from its state."""

    urn: str
    what: str
    plan: Any = None
    state: Any = None

    def __str__(self) -> str:
        return f"{self.urn}: {self.what}: plan {self.plan!r} != state {self.state!r}"


@dataclass
class Agreement:
    """The differences left, and how often each named exception was needed."""

    differences: list[Difference] = field(default_factory=list)
    used: Counter[str] = field(default_factory=Counter)
    compared: int = 0


def _is_state_secret(value: Any) -> bool:
    return isinstance(value, dict) and STATE_SECRET_SIG in value


def _values(plan: Any, state: Any, path: str, found: Agreement, urn: str) -> None:
    """Compare two input values, forgiving secrets and unknowns (by name)."""
    if plan == PLAN_UNKNOWN:
        found.used["unknown before deploy"] += 1
        return
    if plan == PLAN_SECRET or _is_state_secret(state):
        if plan == PLAN_SECRET and _is_state_secret(state):
            found.used["secret"] += 1
            return
        found.differences.append(Difference(urn, f"{path} secret on one side only", plan, state))
        return
    if isinstance(plan, dict) and isinstance(state, dict):
        for key in sorted(set(plan) | set(state)):
            if key not in state or key not in plan:
                found.differences.append(
                    Difference(urn, f"{path}.{key}", plan.get(key), state.get(key))
                )
            else:
                _values(plan[key], state[key], f"{path}.{key}", found, urn)
        return
    if isinstance(plan, list) and isinstance(state, list) and len(plan) == len(state):
        for index, (a, b) in enumerate(zip(plan, state, strict=True)):
            _values(a, b, f"{path}[{index}]", found, urn)
        return
    if plan != state:
        found.differences.append(Difference(urn, path, plan, state))


def _provider_rewrites(
    planned: dict[str, Any], state: dict[str, Any], found: Agreement
) -> dict[str, Any]:
    """The state's inputs with each named provider or engine rewrite undone where it applies
    exactly as named; anything else is left for the comparison to report."""
    inputs = copy.deepcopy(state.get("inputs") or {})
    plan_inputs = planned.get("inputs", {})
    kind = planned["type"]
    if kind.startswith("pulumi:providers:") and inputs.get("__internal") == {}:
        del inputs["__internal"]
        found.used["provider internals"] += 1
    if (
        kind == "kubernetes:core/v1:Secret"
        and "stringData" in plan_inputs
        and "stringData" not in inputs
        and _is_state_secret(inputs.get("data"))
    ):
        inputs["stringData"] = inputs.pop("data")
        found.used["secret stringData is stored as data"] += 1
    metadata = inputs.get("metadata")
    plan_metadata = plan_inputs.get("metadata")
    if (
        kind.startswith("kubernetes:")
        and isinstance(metadata, dict)
        and isinstance(plan_metadata, dict)
        and "name" not in plan_metadata
        and re.match(AUTONAME.format(name=re.escape(planned["name"])), metadata.get("name", ""))
        and metadata.get("annotations", {}).get("pulumi.com/autonamed") == "true"
    ):
        del metadata["name"]
        annotations = metadata["annotations"]
        del annotations["pulumi.com/autonamed"]
        if not annotations and "annotations" not in plan_metadata:
            del metadata["annotations"]
        found.used["autonamed"] += 1
    if kind == "kubernetes:helm.sh/v3:Release":
        filled = {k: v for k, v in HELM_RELEASE_DEFAULTS.items() if k not in plan_inputs}
        if (
            all(k in inputs and inputs[k] == v for k, v in filled.items())
            and plan_inputs.get("compat") == "true"
            and "compat" not in inputs
        ):
            for key in filled:
                del inputs[key]
            inputs["compat"] = "true"
            found.used["helm release defaults"] += 1
    return inputs


def _urns(values: list[str] | None) -> list[str]:
    return sorted(set(values or []))


def compare(plan: dict[str, Any], state: dict[str, Any]) -> Agreement:
    """Every planned resource against its state (`pulumi stack export`'s document), and every
    state resource the plan lacks."""
    found = Agreement()
    recorded = {r["urn"]: r for r in state["deployment"]["resources"]}
    planned_urns = {r["urn"] for r in plan["resources"]}
    for urn in sorted(set(recorded) - planned_urns):
        found.differences.append(Difference(urn, "in the state only"))
    for planned in plan["resources"]:
        urn = planned["urn"]
        actual = recorded.get(urn)
        if actual is None:
            found.differences.append(Difference(urn, "in the plan only"))
            continue
        found.compared += 1
        pairs = {
            "type": (planned["type"], actual["type"]),
            "parent": (planned.get("parent"), actual.get("parent")),
            "dependencies": (_urns(planned["dependencies"]), _urns(actual.get("dependencies"))),
            "propertyDependencies": (
                {k: _urns(v) for k, v in planned["propertyDependencies"].items() if v},
                {k: _urns(v) for k, v in actual.get("propertyDependencies", {}).items() if v},
            ),
            "provider": (
                planned.get("provider"),
                (actual.get("provider") or "").rsplit("::", 1)[0] or None,
            ),
            "protect": (bool(planned.get("protect")), bool(actual.get("protect"))),
        }
        for what, (a, b) in pairs.items():
            if a != b:
                found.differences.append(Difference(urn, what, a, b))
        if planned.get("custom", True):
            inputs = _provider_rewrites(planned, actual, found)
            _values(planned.get("inputs", {}), inputs, "inputs", found, urn)
    return found
