"""Layer 2.1: the physical names the platform makes itself, where a cloud restricts a name more
than Pulumi's auto-naming allows; the components create them and preflight
(`mlplatform.environment.preflight.names`) judges the same functions' results.

Pulumi's auto-naming adds `-xxxxxxx`, which Azure storage accounts and registries reject
(lowercase letters and digits only). These get a compact prefix plus a stable random suffix
from pulumi-random, a child of the component (`compact_name`, the only function that needs
Pulumi: it imports the SDK when called, so the spec side loads none). Google service account
ids, Artifact Registry repository ids and AKS node pool names are cut to their rule's length
(`mlplatform.catalog.limits.names`).
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from mlplatform.catalog.limits.names import (
    AKS_POOL_MAX,
    REPOSITORY_ID_MAX,
    SERVICE_ACCOUNT_ID_MAX,
    SERVICE_ACCOUNT_ID_MIN,
)

if TYPE_CHECKING:
    import pulumi

SUFFIX_LENGTH = 6
"""Random characters after a compact prefix."""
HASH_LENGTH = 6
"""Hex digits of the hash that ends a service account id cut to length."""


def compact_prefix(name: str, max_length: int) -> str:
    """`name` reduced to lowercase letters and digits, leaving room for the suffix."""
    cleaned = re.sub(r"[^a-z0-9]", "", name.lower())
    return cleaned[: max_length - SUFFIX_LENGTH]


def compact_name(name: str, max_length: int, parent: pulumi.Resource) -> pulumi.Output[str]:
    """A globally unique lowercase alphanumeric name: prefix of `name` + 6 random characters."""
    import pulumi
    import pulumi_random as random

    suffix = random.RandomString(
        f"{name}-suffix",
        length=SUFFIX_LENGTH,
        special=False,
        upper=False,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    prefix = compact_prefix(name, max_length)
    return suffix.result.apply(lambda s: f"{prefix}{s}")


def account_id(name: str) -> str:
    """A Google service account id (6-30 chars, lowercase, digits, dashes, letter first); a
    name too long is cut and given a short hash of the whole, so two long names never
    collide."""
    cleaned = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
    if len(cleaned) > SERVICE_ACCOUNT_ID_MAX:
        digest = hashlib.sha256(cleaned.encode()).hexdigest()[:HASH_LENGTH]
        cleaned = f"{cleaned[: SERVICE_ACCOUNT_ID_MAX - HASH_LENGTH - 1].rstrip('-')}-{digest}"
    return cleaned.ljust(SERVICE_ACCOUNT_ID_MIN, "0")


def repository_id(name: str) -> str:
    """A valid Artifact Registry repository id from a resource name: lowercase, digits,
    dashes, letter first."""
    cleaned = re.sub(r"[^a-z0-9-]", "-", name.lower()).strip("-")
    if not cleaned[:1].isalpha():
        cleaned = f"r-{cleaned}"
    return cleaned[:REPOSITORY_ID_MAX].rstrip("-")


def aks_pool_name(name: str) -> str:
    """An AKS Linux node pool name: 1-12 lowercase letters and digits."""
    return "".join(c for c in name.lower() if c.isalnum())[:AKS_POOL_MAX]
