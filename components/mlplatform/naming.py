"""Physical names for resources whose names are global and restricted (Azure accounts, ACR).

Pulumi's auto-naming adds `-xxxxxxx`, which Azure storage accounts and
registries reject (lowercase letters and digits only). These get a compact
prefix plus a stable random suffix from pulumi-random, a child of the component.
"""

from __future__ import annotations

import re

import pulumi
import pulumi_random as random

SUFFIX_LENGTH = 6


def compact_prefix(name: str, max_length: int) -> str:
    """`name` reduced to lowercase letters and digits, leaving room for the suffix."""
    cleaned = re.sub(r"[^a-z0-9]", "", name.lower())
    return cleaned[: max_length - SUFFIX_LENGTH]


def compact_name(name: str, max_length: int, parent: pulumi.Resource) -> pulumi.Output[str]:
    """A globally unique lowercase alphanumeric name: prefix of `name` + 6 random characters."""
    suffix = random.RandomString(
        f"{name}-suffix",
        length=SUFFIX_LENGTH,
        special=False,
        upper=False,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    prefix = compact_prefix(name, max_length)
    return suffix.result.apply(lambda s: f"{prefix}{s}")
