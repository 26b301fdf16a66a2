"""Every property a rule reads when it is left out has its case, and the case agrees with the
provider's default: an unsafe (or `stricter`) default fails the rule, a safe one passes it. The
cases themselves run with the others in test_rules."""

from __future__ import annotations

from typing import Any

import pytest
from mlplatform_policies import RULES, Rule
from mlplatform_policies.model import Absent, Resource, get, items

from tests.policy.absent import CASES as LEFT_OUT
from tests.policy.absent.common import case_name
from tests.policy.cases import NOT_EVALUATED

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


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_lists_what_it_reads_when_left_out(rule: Rule) -> None:
    assert bool(rule.absent) != (rule.name in READS_NO_OPTIONAL_PROPERTY)
    for absent in rule.absent:
        assert absent.type in rule.resource_types, absent
        assert absent.default and absent.source, absent
    assert len({(a.type, a.path) for a in rule.absent}) == len(rule.absent)


@pytest.mark.parametrize(
    ("rule", "absent"),
    [(rule, absent) for rule in RULES for absent in rule.absent],
    ids=lambda v: v.name if isinstance(v, Rule) else f"{v.path}@{v.type}",
)
def test_left_out_case_matches_the_default(rule: Rule, absent: Absent) -> None:
    name = case_name(absent.type, absent.path)
    [(_, _, resources, expected)] = [c for c in LEFT_OUT if c[:2] == (rule.name, name)]
    assert _leaves_out(resources, absent)
    assert expected != NOT_EVALUATED
    assert (expected != []) == (absent.verdict != "safe")


def test_every_left_out_case_belongs_to_a_listed_property() -> None:
    listed = {(r.name, case_name(a.type, a.path)) for r in RULES for a in r.absent}
    assert [c[:2] for c in LEFT_OUT if c[:2] not in listed] == []
