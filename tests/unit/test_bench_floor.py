"""The benchmark's floor (bench/floor.py, its spec from bench/run.py) beside the engine's
default providers: a plan records the default provider the engine makes for a package whose
resources name no provider, and the floor's own resources name none, so the floor's monitor
makes its own. The spec leaves them out and the floor's count of its registrations does not
include them. Nothing is timed."""

from __future__ import annotations

from pathlib import Path

from floor import register
from run import floor_spec

from mlplatform.engine.plan import Plan, PlannedResource

STACK_URN = "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s"


def resource(type_: str, name: str, custom: bool = True) -> PlannedResource:
    return PlannedResource(
        urn=f"urn:pulumi:s::p::{type_}::{name}",
        type=type_,
        name=name,
        parent=None if type_ == "pulumi:pulumi:Stack" else STACK_URN,
        custom=custom,
        protect=False,
        dependencies=[],
        property_dependencies={},
        provider=None,
        inputs={},
    )


def test_the_floor_spec_leaves_the_engines_default_providers_to_the_floor(tmp_path: Path) -> None:
    default = resource("pulumi:providers:random", "default_4_21_4")
    plan = Plan(
        project="p",
        stack="s",
        target="kubernetes",
        resources=[
            resource("pulumi:pulumi:Stack", "p-s", custom=False),
            resource("mlplatform:index:Thing", "thing", custom=False),
            resource("pulumi:providers:kubernetes", "cluster"),
            PlannedResource(**{**default.__dict__, "parent": None}),
            resource("random:index/randomPassword:RandomPassword", "password"),
        ],
    )
    path = floor_spec(plan, tmp_path / "floor.json")
    assert path.read_text(encoding="utf-8") == (
        '{\n  "resources": [\n    "pulumi_kubernetes:Provider",\n'
        '    "pulumi_random:RandomPassword"\n  ],\n  "components": 1\n}'
    )


def test_the_floor_counts_its_own_registrations_not_the_default_providers() -> None:
    # the root stack, one component and the password: the default random provider the
    # monitor registers for the password is the engine's, not the spec's
    assert register(["pulumi_random:RandomPassword"], 1) == 3
