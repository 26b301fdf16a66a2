"""Layer 2.1, the environment spec: preflight of `tags` against the rules of everything they
land on (`mlplatform.catalog.limits.tags`): the target cloud's tags (AWS, Azure) or labels
(GCP) on every resource, counted with the platform's own tags, and Kubernetes labels where
the platform's Kubernetes objects carry them (GKE nodes, the kubernetes target's objects, and
on any target the team, MLflow and monitoring objects).

Errors: one per bad key and one per bad value (path `tags.<key>`), naming every rule it
breaks and a name that keeps them all; and a resource that would carry more tags than its
cloud allows. Warnings: a key the platform sets itself (its value is replaced), and on Azure
a key private DNS zones drop without an error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import NamedTuple

from mlplatform import defaults
from mlplatform.catalog.limits import tags as limits
from mlplatform.environment.errors import ConfigIssue
from mlplatform.environment.model import PlatformConfig, Target
from mlplatform.environment.preflight.context import Check, Preflight

PLATFORM_TAG_KEYS = ("environment", "stack", "managed-by")
"""The tags `mlplatform.platform.platform_tags` adds to every resource, over the spec's."""
AWS_SUBNET_TAGS = ("Name", "kubernetes.io/role/elb")
"""What the created AWS subnets carry besides (`mlplatform.aws.network`: a Name, and the
load balancer role tag, kubernetes.io/role/elb or kubernetes.io/role/internal-elb)."""
AWS_NODE_GROUP_TAGS = (defaults.GPU_LABEL,)
"""What GPU node groups carry besides (`mlplatform.aws.cluster`)."""
K8S_WHERE = "the tags label the platform's Kubernetes objects"


class Rules(NamedTuple):
    """One kind of tag or label the spec's tags become: what it refuses, and how to mend."""

    kind: str
    """As messages name it: "AWS tags", "Kubernetes labels"."""
    key: Callable[[str], list[str]]
    """The rules a key breaks, each a clause naming the limit and its source."""
    value: Callable[[str], list[str]]
    fix_key: Callable[[str], str]
    """The key changed as little as possible to keep these rules."""
    fix_value: Callable[[str], str]


def _categories_only(text: str, categories: Sequence[str], punctuation: str) -> bool:
    return all(
        ch in punctuation or any(unicodedata.category(ch).startswith(c) for c in categories)
        for ch in text
    )


def _replace_others(text: str, categories: Sequence[str], punctuation: str) -> str:
    return "".join(
        ch
        if ch in punctuation or any(unicodedata.category(ch).startswith(c) for c in categories)
        else "-"
        for ch in text
    )


# --- AWS -----------------------------------------------------------------------------------

_AWS_CHARS = "letters, digits, spaces and _ . : / = + - @ only, per IAM and CloudWatch Logs"


def _aws_key(rds: bool, text: str) -> list[str]:
    found = []
    if not 0 < len(text) <= limits.AWS_KEY_MAX:
        found.append(
            f"AWS tag keys take 1 to {limits.AWS_KEY_MAX} characters on EC2 resources, per EC2 "
            "Tag.Key"
        )
    if not _categories_only(text, limits.AWS_CATEGORIES, limits.AWS_PUNCTUATION):
        found.append(f"AWS tag keys take {_AWS_CHARS}")
    if text.lower().startswith(limits.AWS_RESERVED_PREFIX):
        found.append("AWS reserves the aws: prefix in any case, per EKS TagMap")
    if rds and text.startswith(limits.RDS_RESERVED_PREFIX):
        found.append("RDS refuses the rds: prefix, per RDS Tag.Key (the MLflow database)")
    return found


def _aws_value(rds: bool, text: str) -> list[str]:
    found = []
    if len(text) > limits.AWS_VALUE_MAX:
        found.append(
            f"AWS tag values take at most {limits.AWS_VALUE_MAX} characters, per EKS TagValue"
        )
    if not _categories_only(text, limits.AWS_CATEGORIES, limits.AWS_PUNCTUATION):
        found.append(f"AWS tag values take {_AWS_CHARS}")
    if text.lower().startswith(limits.AWS_RESERVED_PREFIX):
        found.append("AWS reserves the aws: prefix in any case for values too, per EKS TagMap")
    if rds and text.startswith(limits.RDS_RESERVED_PREFIX):
        found.append(
            "RDS refuses values starting with rds:, per RDS Tag.Value (the MLflow database)"
        )
    return found


def _aws_fix(rds: bool, most: int, text: str) -> str:
    reserved = (limits.AWS_RESERVED_PREFIX, *([limits.RDS_RESERVED_PREFIX] if rds else []))
    while any(text.lower().startswith(prefix) for prefix in reserved):
        text = text[4:]
    return _replace_others(text, limits.AWS_CATEGORIES, limits.AWS_PUNCTUATION)[:most]


def _aws(rds: bool) -> Rules:
    """AWS tags; with `rds`, also what RDS refuses (the stack creates MLflow's database)."""
    return Rules(
        "AWS tags",
        partial(_aws_key, rds),
        partial(_aws_value, rds),
        partial(_aws_fix, rds, limits.AWS_KEY_MAX),
        partial(_aws_fix, rds, limits.AWS_VALUE_MAX),
    )


# --- Azure ---------------------------------------------------------------------------------


def _azure(storage: bool) -> Rules:
    name_max = limits.AZURE_STORAGE_NAME_MAX if storage else limits.AZURE_NAME_MAX

    def key(text: str) -> list[str]:
        found = []
        if any(ch in limits.AZURE_NAME_FORBIDDEN for ch in text):
            found.append("Azure tag names cannot contain < > % & \\ ? /, per Azure tag limits")
        if len(text) > name_max:
            where = (
                f"at most {name_max} characters on storage accounts and "
                f"{limits.AZURE_NAME_MAX} elsewhere"
                if storage
                else f"at most {name_max} characters"
            )
            found.append(f"Azure tag names take {where}, per Azure tag limits")
        return found

    def value(text: str) -> list[str]:
        if len(text) > limits.AZURE_VALUE_MAX:
            return [
                f"Azure tag values take at most {limits.AZURE_VALUE_MAX} characters, per Azure "
                "tag limits"
            ]
        return []

    def fix_key(text: str) -> str:
        return "".join("-" if ch in limits.AZURE_NAME_FORBIDDEN else ch for ch in text)[:name_max]

    return Rules("Azure tags", key, value, fix_key, lambda text: text[: limits.AZURE_VALUE_MAX])


# --- GCP -----------------------------------------------------------------------------------

_GCP_CHARS = "lowercase letters, international characters, digits, _ and -"


def _gcp_key(text: str) -> list[str]:
    first_ok = bool(text) and any(
        unicodedata.category(text[0]) == c for c in limits.GCP_FIRST_CATEGORIES
    )
    if (
        first_ok
        and len(text) <= limits.GCP_LABEL_MAX
        and _categories_only(text, limits.GCP_CATEGORIES, limits.GCP_PUNCTUATION)
    ):
        return []
    return [
        f"GCP label keys take 1 to {limits.GCP_LABEL_MAX} {_GCP_CHARS}, starting with a "
        f"lowercase letter or international character, per {limits.GCP_SOURCE}"
    ]


def _gcp_value(text: str) -> list[str]:
    if len(text) <= limits.GCP_LABEL_MAX and _categories_only(
        text, limits.GCP_CATEGORIES, limits.GCP_PUNCTUATION
    ):
        return []
    return [
        f"GCP label values take at most {limits.GCP_LABEL_MAX} {_GCP_CHARS}, per "
        f"{limits.GCP_SOURCE}"
    ]


def _gcp_fix_value(text: str) -> str:
    return _replace_others(text.lower(), limits.GCP_CATEGORIES, limits.GCP_PUNCTUATION)[
        : limits.GCP_LABEL_MAX
    ]


def _gcp_fix_key(text: str) -> str:
    text = _gcp_fix_value(text)
    while text and not any(unicodedata.category(text[0]) == c for c in limits.GCP_FIRST_CATEGORIES):
        text = text[1:]
    return text


GCP = Rules("GCP labels", _gcp_key, _gcp_value, _gcp_fix_key, _gcp_fix_value)


# --- Kubernetes ----------------------------------------------------------------------------


def _k8s_key(text: str) -> list[str]:
    parts = text.split("/")
    name, prefix = parts[-1], parts[0] if len(parts) == 2 else None
    valid = (
        len(parts) <= 2
        and (prefix is None or _k8s_prefix_ok(prefix))
        and len(name) <= limits.K8S_NAME_MAX
        and limits.K8S_NAME.fullmatch(name) is not None
    )
    if valid:
        return []
    return [
        f"Kubernetes label keys are a name of 1 to {limits.K8S_NAME_MAX} letters, digits, -, _ "
        "and . that starts and ends with a letter or digit, optionally after a DNS subdomain "
        f"prefix and /, per Kubernetes label syntax ({K8S_WHERE})"
    ]


def _k8s_prefix_ok(prefix: str) -> bool:
    return len(prefix) <= limits.K8S_PREFIX_MAX and limits.K8S_PREFIX.fullmatch(prefix) is not None


def _k8s_value(text: str) -> list[str]:
    if text == "" or (
        len(text) <= limits.K8S_VALUE_MAX and limits.K8S_NAME.fullmatch(text) is not None
    ):
        return []
    return [
        f"Kubernetes label values are empty or at most {limits.K8S_VALUE_MAX} letters, digits, "
        "-, _ and . that start and end with a letter or digit, per Kubernetes label syntax "
        f"({K8S_WHERE})"
    ]


def _k8s_fix_name(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    name = re.sub(r"[^A-Za-z0-9._-]", "-", ascii_text)[: limits.K8S_NAME_MAX]
    return re.sub(r"^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "", name)


def _k8s_fix_key(text: str) -> str:
    parts = text.split("/")
    if len(parts) == 2 and _k8s_prefix_ok(parts[0]):
        return f"{parts[0]}/{_k8s_fix_name(parts[1])}"
    return _k8s_fix_name(text.replace("/", "-"))


KUBERNETES = Rules("Kubernetes labels", _k8s_key, _k8s_value, _k8s_fix_key, _k8s_fix_name)


# --- where the tags land -------------------------------------------------------------------


def _database(cfg: PlatformConfig) -> bool:
    """The cloud stack creates MLflow's managed database."""
    return cfg.mlflow.enabled and cfg.artifact_store.enabled


def _labels_kubernetes_objects(cfg: PlatformConfig) -> bool:
    """Some Kubernetes object the platform creates carries the tags as labels: always on GKE
    (every node pool's labels) and on an existing cluster; elsewhere the team, monitoring and
    MLflow objects do."""
    if cfg.target in (Target.GCP, Target.KUBERNETES):
        return True
    return bool(cfg.teams) or cfg.monitoring.enabled or cfg.mlflow.enabled


def _azure_dns_zones(cfg: PlatformConfig) -> bool:
    """An Azure stack creates private DNS zones: for the private endpoints of a created VNet
    (artifact store, registry) and for the MLflow database."""
    created = cfg.network.existing is None
    endpoints = created and (cfg.artifact_store.enabled or cfg.registry.enabled)
    return endpoints or _database(cfg)


def _azure_storage(cfg: PlatformConfig) -> bool:
    """An Azure stack creates a storage account: the artifact store, or a created VNet's flow
    logs."""
    return cfg.artifact_store.enabled or cfg.network.existing is None


def rule_sets(cfg: PlatformConfig) -> list[Rules]:
    """Every kind of tag or label `cfg`'s tags become, cloud first."""
    found = {
        Target.AWS: [_aws(rds=_database(cfg))],
        Target.AZURE: [_azure(storage=_azure_storage(cfg))],
        Target.GCP: [GCP],
        Target.KUBERNETES: [],
    }[cfg.target]
    if _labels_kubernetes_objects(cfg):
        found.append(KUBERNETES)
    return found


# --- checks --------------------------------------------------------------------------------


def _suggest(text: str, sets: Sequence[Rules], is_key: bool) -> str | None:
    """`text` mended for every rule set, or None when nothing valid is left."""
    for _ in range(3):
        for rules in sets:
            text = (rules.fix_key if is_key else rules.fix_value)(text)
    if text and not any(_broken(rules, text, is_key) for rules in sets):
        return text
    return None


def _broken(rules: Rules, text: str, is_key: bool) -> list[str]:
    return (rules.key if is_key else rules.value)(text)


def _judged(text: str, sets: Sequence[Rules], is_key: bool) -> str | None:
    """What is wrong with `text` as a key (or value) of every kind in `sets`, and the fix."""
    broken = [(rules.kind, found) for rules in sets if (found := _broken(rules, text, is_key))]
    if not broken:
        return None
    kinds = " and ".join(kind for kind, _ in broken)
    clauses = "; ".join(clause for _, found in broken for clause in found)
    suggestion = _suggest(text, sets, is_key)
    fix = f"use e.g. {suggestion}" if suggestion is not None else "change it"
    return f"is not a valid {'key' if is_key else 'value'} for {kinds} ({clauses}); {fix}"


def _keys_and_values(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """One error per key and one per value that breaks a rule of what the tags become."""
    sets = rule_sets(cfg)
    for key, value in cfg.tags.items():
        if problem := _judged(key, sets, is_key=True):
            yield ConfigIssue(f"tags.{key}", problem, key)
        if problem := _judged(value, sets, is_key=False):
            yield ConfigIssue(f"tags.{key}", problem, value)


class Tightest(NamedTuple):
    """The resources of a stack whose tag limit is tightest."""

    where: str
    extra: Sequence[str]
    """The tags they carry besides the spec's and `PLATFORM_TAG_KEYS`."""
    limit: int
    allowed: str
    """The limit as a message states it, with its source."""


def _count(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """The resource that carries the most tags carries no more than its cloud allows."""
    found = _tightest(cfg)
    if found is None:
        return
    keys = set(cfg.tags) | set(PLATFORM_TAG_KEYS) | set(found.extra)
    if len(keys) > found.limit:
        own = ", ".join((*PLATFORM_TAG_KEYS, *found.extra))
        yield ConfigIssue(
            "tags",
            f"has {len(cfg.tags)} tags, and the {found.where} would carry {len(keys)} with the "
            f"platform's own ({own}), over the {found.limit} {found.allowed}; remove "
            f"{len(keys) - found.limit}",
            len(cfg.tags),
        )


def _tightest(cfg: PlatformConfig) -> Tightest | None:
    """The target's resources whose tag limit is tightest; None on the kubernetes target."""
    if cfg.target is Target.AWS:
        limit, allowed = limits.AWS_TAGS_PER_RESOURCE, "AWS allows per resource (EKS TagMap)"
        if cfg.network.existing is None:
            return Tightest("subnets", AWS_SUBNET_TAGS, limit, allowed)
        if cfg.gpu_pools:
            return Tightest("GPU node groups", AWS_NODE_GROUP_TAGS, limit, allowed)
        return Tightest("resources", (), limit, allowed)
    if cfg.target is Target.AZURE:
        if _azure_dns_zones(cfg):
            return Tightest(
                "private DNS zones",
                (),
                limits.AZURE_DNS_TAGS_PER_RESOURCE,
                "Azure allows on them (Azure tag limits)",
            )
        return Tightest(
            "resources",
            (),
            limits.AZURE_TAGS_PER_RESOURCE,
            "Azure allows per resource (Azure tag limits)",
        )
    if cfg.target is Target.GCP:
        return Tightest(
            "resources",
            (),
            limits.GCP_LABELS_PER_RESOURCE,
            "GCP allows per resource (GCP label requirements)",
        )
    return None


def _replaced(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """A key the platform sets itself on every resource: the spec's value is lost."""
    own = {
        "environment": f"environment: {cfg.environment.value}",
        "stack": "stack: the Pulumi stack's name",
        "managed-by": "managed-by: mlplatform",
    }
    for key, value in cfg.tags.items():
        if key in own:
            yield ConfigIssue(
                f"tags.{key}",
                f"is replaced by the platform's own {key} tag on every resource ({own[key]}); "
                "remove it or use another key",
                value,
            )


def _azure_dns_names(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """A tag name Azure private DNS zones drop without an error."""
    if cfg.target is not Target.AZURE or not _azure_dns_zones(cfg):
        return
    for key in cfg.tags:
        if limits.AZURE_DNS_NAME.fullmatch(key) is None:
            mended = re.sub(r"^[0-9]+", "", re.sub(r"[^A-Za-z0-9_.-]", "-", key))
            yield ConfigIssue(
                f"tags.{key}",
                "is dropped by Azure private DNS zones, which keep only tag names of ASCII "
                "letters, digits, ., - and _ that do not start with a digit (Azure tag limits): "
                "the zones lose the tag and every update shows it as a change; rename it"
                + (f", e.g. {mended}" if mended else ""),
                key,
            )


ERRORS: tuple[Check, ...] = (_keys_and_values, _count)
WARNINGS: tuple[Check, ...] = (_replaced, _azure_dns_names)
