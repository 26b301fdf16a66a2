"""Every property a rule reads when it is left out has its case, and the case agrees with the
provider's default: an unsafe (or `stricter`) default fails the rule, a safe one passes it; the
rule is seen looking the property up and not finding it (a misspelt path, or a case whose
outcome comes from elsewhere than the rule's reading, fails). The cases themselves run with the
others in test_rules."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest
from mlplatform_policies import RULES, Rule
from mlplatform_policies.model import Absent, Resource, get, items

from tests.policy.absent import CASES as LEFT_OUT
from tests.policy.absent.common import case_name
from tests.policy.cases import CONFIG, NOT_EVALUATED
from tests.policy.test_rules import run

READS_NO_OPTIONAL_PROPERTY = {
    "platform-stateful-resources-protected": "reads the protect resource option, not a property "
    "(Pulumi's default, unprotected, fails it: case 'unprotected')",
    "aws-s3-bucket-public-access-blocked": "reads which BucketPublicAccessBlock names the bucket "
    "through its required `bucket` input; the flags are aws-s3-public-access-block-all-on's",
    "gcp-storage-bucket-iam-not-public": "member, members or policyData: the provider requires one",
    "aws-eks-cluster-workload-identity": "reads whether an OIDC provider or the "
    "eks-pod-identity-agent add-on exists; `addonName` and `url` are required",
}
"""Rules that interpret no left-out property, and why."""


def _resources(resources: Any) -> list[Resource]:
    return resources if isinstance(resources, list) else [resources]


def _missing(props: Any, path: str) -> bool:
    """Whether `path` is left out: `a.b` is absent, and `list[].field` is absent from every
    item of a non-empty list."""
    head, _, rest = path.partition("[].")
    if not rest:
        return get(props, path) is None
    listed = items(props, head)
    return bool(listed) and all(_missing(item, rest) for item in listed)


def _leaves_out(resources: Any, absent: Absent) -> bool:
    return any(
        r.type == absent.type and _missing(r.props, absent.path) for r in _resources(resources)
    )


ENTRIES = pytest.mark.parametrize(
    ("rule", "absent"),
    [(rule, absent) for rule in RULES for absent in rule.absent],
    ids=lambda v: v.name if isinstance(v, Rule) else f"{v.path}@{v.type}",
)
"""Every (rule, Absent entry) pair."""


def _case(rule: Rule, absent: Absent) -> Any:
    """The entry's one left-out case."""
    name = case_name(absent.type, absent.path)
    [case] = [c for c in LEFT_OUT if c[:2] == (rule.name, name)]
    return case


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_lists_what_it_reads_when_left_out(rule: Rule) -> None:
    assert bool(rule.absent) != (rule.name in READS_NO_OPTIONAL_PROPERTY)
    for absent in rule.absent:
        assert absent.type in rule.resource_types, absent
        assert absent.default and absent.source, absent
    assert len({(a.type, a.path) for a in rule.absent}) == len(rule.absent)


@ENTRIES
def test_left_out_case_matches_the_default(rule: Rule, absent: Absent) -> None:
    _, _, resources, expected = _case(rule, absent)
    assert _leaves_out(resources, absent)
    assert expected != NOT_EVALUATED
    assert (expected != []) == (absent.verdict != "safe")


def test_every_left_out_case_belongs_to_a_listed_property() -> None:
    listed = {(r.name, case_name(a.type, a.path)) for r in RULES for a in r.absent}
    assert [c[:2] for c in LEFT_OUT if c[:2] not in listed] == []


class _Recorded(Mapping[str, Any]):
    """A resource's inputs that note the dotted path of every key a rule looks up and does
    not find (`list[].field` inside list items)."""

    def __init__(self, data: Mapping[str, Any], prefix: str, misses: set[str]) -> None:
        self._data, self._prefix, self._misses = data, prefix, misses

    def __getitem__(self, key: str) -> Any:
        if key not in self._data:
            self._misses.add(self._prefix + key)
            raise KeyError(key)
        return _recorded(self._data[key], self._prefix + key, self._misses)

    def __contains__(self, key: object) -> bool:
        found = key in self._data
        if not found and isinstance(key, str):
            self._misses.add(self._prefix + key)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


class _RecordedList(Sequence[Any]):
    def __init__(self, data: Sequence[Any], path: str, misses: set[str]) -> None:
        self._data, self._path, self._misses = data, path, misses

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self._item(v) for v in self._data[index]]
        return self._item(self._data[index])

    def _item(self, value: Any) -> Any:
        if isinstance(value, Mapping):
            return _Recorded(value, f"{self._path}[].", self._misses)
        return value

    def __len__(self) -> int:
        return len(self._data)


def _recorded(value: Any, path: str, misses: set[str]) -> Any:
    if isinstance(value, Mapping):
        return _Recorded(value, f"{path}.", misses)
    if isinstance(value, Sequence) and not isinstance(value, str):
        return _RecordedList(value, path, misses)
    return value


READ_THROUGH_DEPENDENCIES = {
    ("platform-database-tls-enforced", "aws:rds/instance:Instance", "parameterGroupName"): (
        "the rule pairs an instance with its parameter group through the property's dependency"
    ),
}
"""Left-out properties a rule reads through the resource's dependencies, not its inputs."""


def _covers(miss: str, path: str) -> bool:
    """Whether finding `miss` absent is reading `path` as left out (`miss` is the path or
    one of its parents)."""
    return path == miss or path.startswith((f"{miss}.", f"{miss}[]."))


@ENTRIES
def test_the_rule_looks_the_left_out_property_up(rule: Rule, absent: Absent) -> None:
    _, name, resources, _ = _case(rule, absent)
    if (rule.name, absent.type, absent.path) in READ_THROUGH_DEPENDENCIES:
        return
    misses: set[str] = set()
    watched = [
        dataclasses.replace(r, props=_Recorded(r.props, "", misses)) if r.type == absent.type else r
        for r in _resources(resources)
    ]
    run(rule, watched if isinstance(resources, list) else watched[0], CONFIG.get((rule.name, name)))
    assert any(_covers(miss, absent.path) for miss in misses), sorted(misses)
