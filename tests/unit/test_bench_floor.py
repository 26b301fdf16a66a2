"""The benchmark's floor (bench/floor.py, its spec from bench/run.py) beside the engine's
default providers: a plan records the default provider the engine makes for a package whose
resources name no provider, and the floor's own resources name none, so the floor's monitor
makes its own. The spec leaves them out and the floor's count of its registrations does not
include them. Nothing is timed."""

from __future__ import annotations

import contextvars
from dataclasses import replace
from pathlib import Path

import pytest
from floor import engine_default_provider, register
from run import floor_spec

from mlplatform.engine.capture import default_provider_name
from mlplatform.engine.plan import Plan, PlannedResource
from tests.helpers import planned

STACK_URN = "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s"


def resource(type_: str, name: str, custom: bool = True) -> PlannedResource:
    """A resource of the plan under its root stack."""
    return replace(planned(name, type_), parent=STACK_URN, custom=custom)


def test_the_floor_spec_leaves_the_engines_default_providers_to_the_floor(tmp_path: Path) -> None:
    plan = Plan(
        project="p",
        stack="s",
        target="kubernetes",
        resources=[
            replace(planned("p-s", "pulumi:pulumi:Stack"), custom=False),
            resource("mlplatform:index:Thing", "thing", custom=False),
            resource("pulumi:providers:kubernetes", "cluster"),
            planned("default_4_21_4", "pulumi:providers:random"),
            resource("random:index/randomPassword:RandomPassword", "password"),
        ],
    )
    path = floor_spec(plan, tmp_path / "floor.json")
    assert path.read_text(encoding="utf-8") == (
        '{\n  "resources": [\n    "pulumi_kubernetes:Provider",\n'
        '    "pulumi_random:RandomPassword"\n  ],\n  "components": 1\n}'
    )


@pytest.mark.parametrize(
    ("name", "parent", "made_by_the_engine"),
    [
        (default_provider_name(""), None, True),  # "default"
        (default_provider_name("4.21.4"), None, True),  # "default_4_21_4"
        (default_provider_name("1.0.0-alpha.1+b.2"), None, True),
        ("default-eu", None, False),  # a root provider of the program's own
        ("defaults", None, False),
        ("default_4_21_4", STACK_URN, False),  # not at the root
    ],
)
def test_an_engine_default_provider_is_named_as_the_engine_names_one(
    name: str, parent: str | None, made_by_the_engine: bool
) -> None:
    assert engine_default_provider("pulumi:providers:aws", name, parent) is made_by_the_engine
    assert not engine_default_provider("aws:s3/bucket:Bucket", name, parent)


def test_the_floor_counts_its_own_registrations_not_the_default_providers() -> None:
    # the root stack, one component and the password: the default random provider the
    # monitor registers for the password is the engine's, not the spec's. In a context of its
    # own, as the engine runs a program: the mocks and settings stay out of this one.
    count = contextvars.Context().run(register, ["pulumi_random:RandomPassword"], 1)
    assert count == 3
