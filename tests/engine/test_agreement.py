"""Each named exception of the offline/real comparison forgives exactly its own case, and every
other difference is reported. Pure data: no engine runs here."""

from __future__ import annotations

import copy
from typing import Any

from tests.engine import agreement

STACK = "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s"
SECRET = {agreement.STATE_SECRET_SIG: "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "x"}


def planned(type_: str, name: str, inputs: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "urn": f"urn:pulumi:s::p::{type_}::{name}",
        "type": type_,
        "name": name,
        "parent": STACK,
        "dependencies": [],
        "propertyDependencies": {},
        "provider": None,
        "custom": True,
        "protect": False,
        "inputs": inputs,
        **extra,
    }


def recorded(plan: dict[str, Any], inputs: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "urn": plan["urn"],
        "type": plan["type"],
        "parent": STACK,
        "custom": True,
        "inputs": inputs,
        **extra,
    }


def run(plan: list[dict[str, Any]], state: list[dict[str, Any]]) -> agreement.Agreement:
    return agreement.compare({"resources": plan}, {"deployment": {"resources": state}})


def test_equal_resources_agree_and_need_no_exception() -> None:
    plan = planned("kubernetes:core/v1:Namespace", "ns", {"metadata": {"name": "a"}})
    found = run([plan], [recorded(plan, {"metadata": {"name": "a"}})])
    assert (found.differences, found.used, found.compared) == ([], {}, 1)


def test_secrets_agree_only_when_secret_on_both_sides() -> None:
    plan = planned("random:index/randomPassword:RandomPassword", "pw", {"length": "[secret]"})
    assert run([plan], [recorded(plan, {"length": SECRET})]).used == {"secret": 1}
    found = run([plan], [recorded(plan, {"length": 32})])
    assert [d.what for d in found.differences] == ["inputs.length secret on one side only"]


def test_an_unknown_plan_value_matches_what_the_state_holds() -> None:
    plan = planned("kubernetes:core/v1:ConfigMap", "c", {"data": {"k": "[unknown]"}})
    found = run([plan], [recorded(plan, {"data": {"k": "v"}})])
    assert (found.differences, found.used) == ([], {"unknown before deploy": 1})


def test_secret_string_data_is_forgiven_as_data_only_for_a_secret() -> None:
    plan = planned("kubernetes:core/v1:Secret", "s", {"stringData": "[secret]"})
    found = run([plan], [recorded(plan, {"data": SECRET})])
    assert found.differences == []
    assert found.used == {"secret stringData is stored as data": 1, "secret": 1}
    config = planned("kubernetes:core/v1:ConfigMap", "c", {"stringData": "[secret]"})
    found = run([config], [recorded(config, {"data": SECRET})])
    assert sorted(d.what for d in found.differences) == ["inputs.data", "inputs.stringData"]


def test_an_autoname_must_be_the_resource_name_and_eight_hex_digits() -> None:
    plan = planned("kubernetes:batch/v1:Job", "migrate", {"metadata": {"namespace": "n"}})

    def state(name: str) -> dict[str, Any]:
        return recorded(
            plan,
            {
                "metadata": {
                    "namespace": "n",
                    "name": name,
                    "annotations": {"pulumi.com/autonamed": "true"},
                }
            },
        )

    assert run([plan], [state("migrate-36829ec2")]).used == {"autonamed": 1}
    found = run([plan], [state("migrate-3682")])
    assert sorted(d.what for d in found.differences) == [
        "inputs.metadata.annotations",
        "inputs.metadata.name",
    ]


def test_helm_defaults_are_forgiven_only_all_at_their_defaults() -> None:
    plan = planned("kubernetes:helm.sh/v3:Release", "r", {"chart": "./c", "compat": "true"})
    filled = {"chart": "./c", **agreement.HELM_RELEASE_DEFAULTS}
    assert run([plan], [recorded(plan, filled)]).used == {"helm release defaults": 1}
    changed = {**filled, "timeout": 600}
    found = run([plan], [recorded(plan, changed)])
    assert found.used == {}
    assert "inputs.timeout" in {d.what for d in found.differences}


def test_only_an_empty_internal_map_of_a_provider_is_forgiven() -> None:
    plan = planned("pulumi:providers:random", "default_4_21_4", {"version": "4.21.4"})
    state = recorded(plan, {"version": "4.21.4", "__internal": {}})
    assert run([plan], [state]).used == {"provider internals": 1}
    other = copy.deepcopy(state)
    other["inputs"]["__internal"] = {"pluginDownloadURL": "https://example.com"}
    assert [d.what for d in run([plan], [other]).differences] == ["inputs.__internal"]


def test_structure_differences_are_all_reported() -> None:
    plan = planned("kubernetes:core/v1:Namespace", "ns", {}, dependencies=["urn:a"])
    extra = planned("kubernetes:core/v1:Namespace", "gone", {})
    state = recorded(plan, {}, dependencies=["urn:b"], protect=True, provider="urn:p::id")
    orphan = recorded(planned("kubernetes:core/v1:Namespace", "orphan", {}), {})
    found = run([plan, extra], [state, orphan])
    assert sorted((d.urn.rsplit("::", 1)[1], d.what) for d in found.differences) == [
        ("gone", "in the plan only"),
        ("ns", "dependencies"),
        ("ns", "protect"),
        ("ns", "provider"),
        ("orphan", "in the state only"),
    ]
