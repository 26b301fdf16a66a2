"""Left-out cases for the rules of policies/mlplatform_policies/governance.py."""

from __future__ import annotations

from mlplatform_policies.governance import GCP_TAG_PATHS, TAGGED

from tests.policy.absent.common import left_out
from tests.policy.cases import Case, res

CASES: list[Case] = [
    left_out(
        "platform-required-tags",
        type_,
        GCP_TAG_PATHS.get(type_, "tags"),
        res(type_, {}),
        ["missing required tags/labels: owner, environment, cost-center"],
    )
    for type_ in TAGGED
]
"""Every tagged type with its tags (or labels) left out and no provider default tags: all
three required keys are missing."""
