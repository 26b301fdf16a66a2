"""Every rule of the policy pack on its cases (tests/policy/cases.py and the left-out cases
of tests/policy/absent): compliant, failing per
condition, unknown value; and every rule's metadata."""

from __future__ import annotations

import re

import pytest
from mlplatform_policies import RULES, Rule
from mlplatform_policies.model import NAME, Resource
from pulumi_policy.proxy import UnknownValueError

from tests.policy.absent import CASES as LEFT_OUT
from tests.policy.cases import CASES, CONFIG, NOT_EVALUATED

BY_NAME = {rule.name: rule for rule in RULES}


def run(rule: Rule, resources: Resource | list[Resource], config: dict | None) -> list[str]:
    if rule.kind == "stack":
        listed = resources if isinstance(resources, list) else [resources]
        return [message for message, _ in rule.evaluate_stack(listed, config)]
    if isinstance(resources, list):
        return [m for r in resources for m in rule.evaluate(r, config)]
    return rule.evaluate(resources, config)


@pytest.mark.parametrize(
    ("name", "case", "resources", "expected"),
    [*CASES, *LEFT_OUT],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_rule_case(name: str, case: str, resources, expected) -> None:
    rule = BY_NAME[name]
    config = CONFIG.get((name, case))
    if expected == NOT_EVALUATED:
        with pytest.raises(UnknownValueError):
            run(rule, resources, config)
    else:
        assert run(rule, resources, config) == expected


def test_every_rule_has_compliant_failing_and_unknown_cases() -> None:
    kinds: dict[str, set[str]] = {rule.name: set() for rule in RULES}
    for name, case, _, expected in CASES:
        # A rule that reads no value that can be unknown shows it by evaluating anyway.
        unknown = expected == NOT_EVALUATED or case.startswith("unknown")
        kinds[name].add("unknown" if unknown else "failing" if expected else "compliant")
    incomplete = {n: k for n, k in kinds.items() if k != {"compliant", "failing", "unknown"}}
    assert incomplete == {}


def test_stack_rule_violations_name_the_resource() -> None:
    rule = BY_NAME["aws-s3-bucket-public-access-blocked"]
    [(_, _, resources, _)] = [c for c in CASES if c[0] == rule.name and c[1] == "no block"]
    [(_, urn)] = rule.evaluate_stack(resources)
    assert urn == resources[0].urn


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_metadata(rule: Rule) -> None:
    assert NAME.match(rule.name), rule.name
    assert re.fullmatch(r"MLP-[A-Z]+-\d\d", rule.id)
    assert rule.description.endswith(".") and len(rule.description) <= 100
    assert rule.enforcement in ("mandatory", "advisory")
    assert rule.severity in ("low", "medium", "high", "critical")
    assert rule.resource_types and rule.anchor and rule.remediation
    assert (rule.check is None) != (rule.stack_check is None)
    for key, schema in rule.config.items():
        assert "default" in schema and schema.get("description"), key


def test_names_and_ids_are_unique() -> None:
    assert len({r.name for r in RULES}) == len({r.id for r in RULES}) == len(RULES) == 70
