"""Preflight of `tags`: each cloud's tag or label rules, and Kubernetes' label rules where the
tags become labels of the platform's Kubernetes objects (`mlplatform.catalog.limits.tags`).

Sources (each test names the one it relies on):
- AWS: botocore 1.44.18 service models: EKS `TagMap` (50 per resource, aws: reserved in any
  case for keys and values), EC2 `Tag.Key` (127 characters), IAM `tagKeyType` /
  `tagValueType` (`[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]`, values up to 256), RDS `Tag` (rds:).
- Azure: tag-resources.md (ms.date 2025-02-06): 50 per resource, 15 on private DNS zones,
  names up to 512 (128 on storage accounts), values up to 256, names without < > % & \\ ? /,
  DNS zone tag names without spaces, special or Unicode characters or a leading digit.
- GCP: label requirements (64 per resource, keys and values up to 63 lowercase letters,
  international characters, digits, _ and -, keys starting with a lowercase letter or
  international character).
- Kubernetes: apimachinery@eed236ce `IsLabelKey` / `IsValidLabelValue`.
"""

from __future__ import annotations

from typing import Any

import pytest

from mlplatform.environment import ConfigError, ConfigIssue, parse, preflight
from mlplatform.environment.preflight import tags
from tests.unit.preflight.specs import AWS, AZURE, GCP, LOCAL, TODAY, found, spec

TEAMS = {"teams": [{"name": "research", "maxGpus": 1}]}

AWS_KEY_CHARS = (
    "AWS tag keys take letters, digits, spaces and _ . : / = + - @ only, per IAM and "
    "CloudWatch Logs"
)
AWS_VALUE_CHARS = (
    "AWS tag values take letters, digits, spaces and _ . : / = + - @ only, per IAM and "
    "CloudWatch Logs"
)
GCP_KEY = (
    "GCP label keys take 1 to 63 lowercase letters, international characters, digits, _ and "
    "-, starting with a lowercase letter or international character, per GCP label "
    "requirements"
)
GCP_VALUE = (
    "GCP label values take at most 63 lowercase letters, international characters, digits, _ "
    "and -, per GCP label requirements"
)
K8S_KEY = (
    "Kubernetes label keys are a name of 1 to 63 letters, digits, -, _ and . that starts and "
    "ends with a letter or digit, optionally after a DNS subdomain prefix and /, per "
    "Kubernetes label syntax (the tags label the platform's Kubernetes objects)"
)
K8S_VALUE = (
    "Kubernetes label values are empty or at most 63 letters, digits, -, _ and . that start "
    "and end with a letter or digit, per Kubernetes label syntax (the tags label the "
    "platform's Kubernetes objects)"
)


def tagged(base: dict[str, Any], tag_map: dict[str, str], **more: Any) -> dict[str, Any]:
    return {**base, "tags": tag_map, **more}


def errors(values: dict[str, Any]) -> list[ConfigIssue]:
    return found(tags.ERRORS, values)


def warnings(values: dict[str, Any]) -> list[ConfigIssue]:
    return found(tags.WARNINGS, values)


def many(n: int) -> dict[str, str]:
    return {f"tag{i:02d}": "x" for i in range(n)}


# --- AWS -----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["aws:owner", "AWS:owner", "Aws:owner"])
def test_aws_refuses_the_reserved_prefix_in_a_key(key: str) -> None:
    """EKS TagMap: "Do not use aws:, AWS:, or any upper or lowercase combination of such as a
    prefix for either keys or values"."""
    assert errors(tagged(AWS, {key: "ml"})) == [
        ConfigIssue(
            f"tags.{key}",
            "is not a valid key for AWS tags (AWS reserves the aws: prefix in any case, per "
            "EKS TagMap); use e.g. owner",
            key,
        )
    ]


def test_aws_takes_plain_tags() -> None:
    """EKS TagMap and IAM tagKeyType: letters, digits, spaces and _ . : / = + - @."""
    values = tagged(AWS, {"owner": "ml-platform", "Cost Center": "ML Research", "team:id": "a+b@c"})
    assert (errors(values), warnings(values)) == ([], [])


def test_aws_refuses_the_reserved_prefix_in_a_value() -> None:
    """EKS TagMap: aws: is reserved "as a prefix for either keys or values"."""
    assert errors(tagged(AWS, {"owner": "AWS:team"})) == [
        ConfigIssue(
            "tags.owner",
            "is not a valid value for AWS tags (AWS reserves the aws: prefix in any case for "
            "values too, per EKS TagMap); use e.g. team",
            "AWS:team",
        )
    ]


def test_aws_refuses_characters_iam_refuses() -> None:
    """IAM tagKeyType / tagValueType: `[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]`."""
    assert errors(tagged(AWS, {"cost#center": "a,b"})) == [
        ConfigIssue(
            "tags.cost#center",
            f"is not a valid key for AWS tags ({AWS_KEY_CHARS}); use e.g. cost-center",
            "cost#center",
        ),
        ConfigIssue(
            "tags.cost#center",
            f"is not a valid value for AWS tags ({AWS_VALUE_CHARS}); use e.g. a-b",
            "a,b",
        ),
    ]


def test_aws_takes_keys_of_127_characters_and_values_of_256() -> None:
    """EC2 Tag.Key: "accept a maximum of 127 Unicode characters"; EKS TagValue: max 256."""
    long_key, long_value = "k" * 128, "v" * 257
    assert errors(tagged(AWS, {long_key: "v" * 256, "k" * 127: long_value})) == [
        ConfigIssue(
            f"tags.{long_key}",
            "is not a valid key for AWS tags (AWS tag keys take 1 to 127 characters on EC2 "
            f"resources, per EC2 Tag.Key); use e.g. {'k' * 127}",
            long_key,
        ),
        ConfigIssue(
            f"tags.{'k' * 127}",
            "is not a valid value for AWS tags (AWS tag values take at most 256 characters, per "
            f"EKS TagValue); use e.g. {'v' * 256}",
            long_value,
        ),
    ]


def test_rds_refuses_its_prefix_when_mlflow_creates_a_database() -> None:
    """RDS Tag.Key: "can't be prefixed with aws: or rds:"; MLflow's database is RDS on AWS.
    With MLflow the tags also label its Kubernetes objects, where ':' is refused."""
    assert errors(tagged(AWS, {"rds:owner": "ml"}, mlflow={"enabled": True})) == [
        ConfigIssue(
            "tags.rds:owner",
            "is not a valid key for AWS tags and Kubernetes labels (RDS refuses the rds: "
            f"prefix, per RDS Tag.Key (the MLflow database); {K8S_KEY}); use e.g. owner",
            "rds:owner",
        )
    ]
    assert errors(tagged(AWS, {"rds:owner": "ml"})) == []


def test_aws_counts_the_platforms_own_tags_on_the_subnets() -> None:
    """EKS TagMap: "Maximum number of tags per resource - 50"; the platform adds environment,
    stack and managed-by everywhere, and Name and kubernetes.io/role/elb to the subnets."""
    assert errors(tagged(AWS, many(46))) == [
        ConfigIssue(
            "tags",
            "has 46 tags, and the subnets would carry 51 with the platform's own (environment, "
            "stack, managed-by, Name, kubernetes.io/role/elb), over the 50 AWS allows per "
            "resource (EKS TagMap); remove 1",
            46,
        )
    ]
    assert errors(tagged(AWS, many(45))) == []


def test_aws_counts_the_gpu_label_on_node_groups_in_an_existing_network() -> None:
    """EKS TagMap: 50 per resource; GPU node groups also carry mlplatform.io/gpu."""
    existing = {"existing": {"networkId": "vpc-1", "subnetIds": ["a", "b"]}}
    pools = [{"name": "gpu", "gpu": "T4"}]
    assert errors(tagged(AWS, many(47), network=existing, gpuPools=pools)) == [
        ConfigIssue(
            "tags",
            "has 47 tags, and the GPU node groups would carry 51 with the platform's own "
            "(environment, stack, managed-by, mlplatform.io/gpu), over the 50 AWS allows per "
            "resource (EKS TagMap); remove 1",
            47,
        )
    ]
    assert errors(tagged(AWS, many(47), network=existing)) == []


def test_a_tag_the_platform_sets_itself_is_a_warning() -> None:
    """`platform_tags`: environment, stack and managed-by are set by the platform on every
    resource, over the spec's tags of the same key."""
    values = tagged(AWS, {"environment": "production", "env": "production"})
    assert errors(values) == []
    assert warnings(values) == [
        ConfigIssue(
            "tags.environment",
            "is replaced by the platform's own environment tag on every resource "
            "(environment: dev); remove it or use another key",
            "production",
        )
    ]


# --- Kubernetes labels on a cloud ----------------------------------------------------------


def test_tags_that_label_kubernetes_objects_follow_label_rules_on_aws() -> None:
    """apimachinery IsLabelKey / IsValidLabelValue: team namespaces carry the tags as labels,
    and a space is no label character (AWS takes it)."""
    assert errors(tagged(AWS, {"cost center": "ML Research"}, **TEAMS)) == [
        ConfigIssue(
            "tags.cost center",
            f"is not a valid key for Kubernetes labels ({K8S_KEY}); use e.g. cost-center",
            "cost center",
        ),
        ConfigIssue(
            "tags.cost center",
            f"is not a valid value for Kubernetes labels ({K8S_VALUE}); use e.g. ML-Research",
            "ML Research",
        ),
    ]
    assert errors(tagged(AWS, {"cost center": "ML Research"})) == []


# --- Azure ---------------------------------------------------------------------------------


def test_azure_refuses_its_forbidden_name_characters() -> None:
    """Azure tag limits: "Tag names can't contain these characters: <, >, %, &, \\, ?, /"."""
    assert errors(tagged(AZURE, {"team/owner": "ml"})) == [
        ConfigIssue(
            "tags.team/owner",
            "is not a valid key for Azure tags (Azure tag names cannot contain < > % & \\ ? /, "
            "per Azure tag limits); use e.g. team-owner",
            "team/owner",
        )
    ]
    assert errors(tagged(AZURE, {"team-owner": "ml"})) == []


def test_azure_takes_names_of_128_characters_on_storage_accounts() -> None:
    """Azure tag limits: "For storage accounts, the tag name has a limit of 128 characters";
    the artifact store and the flow logs are storage accounts."""
    assert errors(tagged(AZURE, {"k" * 129: "v" * 257, "k" * 128: "v"})) == [
        ConfigIssue(
            f"tags.{'k' * 129}",
            "is not a valid key for Azure tags (Azure tag names take at most 128 characters on "
            f"storage accounts and 512 elsewhere, per Azure tag limits); use e.g. {'k' * 128}",
            "k" * 129,
        ),
        ConfigIssue(
            f"tags.{'k' * 129}",
            "is not a valid value for Azure tags (Azure tag values take at most 256 "
            f"characters, per Azure tag limits); use e.g. {'v' * 256}",
            "v" * 257,
        ),
    ]


def test_azure_private_dns_zones_take_15_tags() -> None:
    """Azure tag limits: "The following Azure resources only support 15 tags: ... Azure Private
    DNS (Zone and A records)"; the platform's private endpoints have private DNS zones."""
    assert errors(tagged(AZURE, many(13))) == [
        ConfigIssue(
            "tags",
            "has 13 tags, and the private DNS zones would carry 16 with the platform's own "
            "(environment, stack, managed-by), over the 15 Azure allows on them (Azure tag "
            "limits); remove 1",
            13,
        )
    ]
    assert errors(tagged(AZURE, many(12))) == []


def test_azure_takes_50_tags_where_it_creates_no_dns_zone() -> None:
    """Azure tag limits: "Each resource ... can have a maximum of 50 tag name-value pairs"; in
    an existing VNet without MLflow the platform creates no private DNS zone."""
    existing = {"existing": {"networkId": "vnet", "subnetIds": ["nodes"]}}
    assert errors(tagged(AZURE, many(48), network=existing)) == [
        ConfigIssue(
            "tags",
            "has 48 tags, and the resources would carry 51 with the platform's own "
            "(environment, stack, managed-by), over the 50 Azure allows per resource (Azure "
            "tag limits); remove 1",
            48,
        )
    ]
    assert errors(tagged(AZURE, many(47), network=existing)) == []


def test_azure_dns_zones_drop_some_tag_names() -> None:
    """Azure tag limits: DNS zones take no spaces or leading digit in tag names, nor special or
    Unicode characters; the API drops such tags without an error (azure-rest-api-specs issue
    11748)."""
    values = tagged(AZURE, {"1team": "x", "cost center": "y", "owner": "z"})
    assert errors(values) == []
    dropped = (
        "is dropped by Azure private DNS zones, which keep only tag names of ASCII letters, "
        "digits, ., - and _ that do not start with a digit (Azure tag limits): the zones lose "
        "the tag and every update shows it as a change; rename it, e.g. "
    )
    assert warnings(values) == [
        ConfigIssue("tags.1team", dropped + "team", "1team"),
        ConfigIssue("tags.cost center", dropped + "cost-center", "cost center"),
    ]


# --- GCP -----------------------------------------------------------------------------------


def test_gcp_refuses_an_upper_case_key() -> None:
    """GCP label requirements: keys of lowercase letters, digits, _ and -."""
    assert errors(tagged(GCP, {"Owner": "ml"})) == [
        ConfigIssue(
            "tags.Owner", f"is not a valid key for GCP labels ({GCP_KEY}); use e.g. owner", "Owner"
        )
    ]
    assert errors(tagged(GCP, {"owner": "ml", "cost-center": "ml_research"})) == []


def test_gcp_takes_international_characters_but_gke_node_labels_do_not() -> None:
    """GCP label requirements: "international characters are allowed"; apimachinery
    IsLabelKey: ASCII only, and GKE puts the tags on every node pool's Kubernetes labels."""
    assert errors(tagged(GCP, {"équipe": "données"})) == [
        ConfigIssue(
            "tags.équipe",
            f"is not a valid key for Kubernetes labels ({K8S_KEY}); use e.g. equipe",
            "équipe",
        ),
        ConfigIssue(
            "tags.équipe",
            f"is not a valid value for Kubernetes labels ({K8S_VALUE}); use e.g. donnees",
            "données",
        ),
    ]


def test_gcp_keys_must_also_end_like_a_label() -> None:
    """GCP label requirements take a trailing -; apimachinery IsLabelKey does not (today's
    rule took it)."""
    assert errors(tagged(GCP, {"team-": "x"})) == [
        ConfigIssue(
            "tags.team-",
            f"is not a valid key for Kubernetes labels ({K8S_KEY}); use e.g. team",
            "team-",
        )
    ]


def test_gcp_values_follow_both_rules() -> None:
    """GCP label requirements (lowercase, no space) and apimachinery (no space)."""
    assert errors(tagged(GCP, {"owner": "ML Team"})) == [
        ConfigIssue(
            "tags.owner",
            f"is not a valid value for GCP labels and Kubernetes labels ({GCP_VALUE}; "
            f"{K8S_VALUE}); use e.g. ml-team",
            "ML Team",
        )
    ]


def test_gcp_counts_64_labels_with_the_platforms_own() -> None:
    """GCP label requirements: "up to a maximum of 64"."""
    assert errors(tagged(GCP, many(62))) == [
        ConfigIssue(
            "tags",
            "has 62 tags, and the resources would carry 65 with the platform's own "
            "(environment, stack, managed-by), over the 64 GCP allows per resource (GCP label "
            "requirements); remove 1",
            62,
        )
    ]
    assert errors(tagged(GCP, many(61))) == []


# --- the kubernetes target -----------------------------------------------------------------


def test_an_existing_cluster_takes_any_valid_label() -> None:
    """apimachinery IsLabelKey: upper case, dots and a DNS subdomain prefix are valid (the
    GCP pattern used before refused them)."""
    labels = {"example.com/Owner": "ML.Team", "Team": "A_b"}
    values = tagged(LOCAL, labels)
    assert (errors(values), warnings(values)) == ([], [])
    assert parse({**LOCAL, "tags": labels}).tags == labels


def test_an_existing_cluster_refuses_an_invalid_label() -> None:
    """apimachinery IsLabelKey: one `/` at most, a name that ends with a letter or digit; a
    value that starts with one."""
    assert errors(tagged(LOCAL, {"team_": "-x", "a/b/c": "y"})) == [
        ConfigIssue(
            "tags.team_",
            f"is not a valid key for Kubernetes labels ({K8S_KEY}); use e.g. team",
            "team_",
        ),
        ConfigIssue(
            "tags.team_",
            f"is not a valid value for Kubernetes labels ({K8S_VALUE}); use e.g. x",
            "-x",
        ),
        ConfigIssue(
            "tags.a/b/c",
            f"is not a valid key for Kubernetes labels ({K8S_KEY}); use e.g. a-b-c",
            "a/b/c",
        ),
    ]


# --- wiring --------------------------------------------------------------------------------


def test_the_spec_refuses_a_reserved_tag() -> None:
    """EKS TagMap: aws: is reserved; the spec's validation runs the tags' preflight."""
    with pytest.raises(ConfigError) as caught:
        parse({**AWS, "tags": {"aws:owner": "ml"}})
    assert [str(issue) for issue in caught.value.issues if issue.path.startswith("tags")] == [
        "tags.aws:owner: 'aws:owner' is not a valid key for AWS tags (AWS reserves the aws: "
        "prefix in any case, per EKS TagMap); use e.g. owner"
    ]


def test_preflight_runs_the_tags() -> None:
    """GCP label requirements: no upper case."""
    values = tagged(GCP, {"Owner": "ml"})
    assert preflight.errors(spec(values), TODAY) == errors(values)


def test_the_platforms_own_tags_are_the_ones_preflight_counts() -> None:
    """`platform_tags` adds exactly the keys preflight counts, and the AWS network's subnet
    tags are the ones named."""
    from mlplatform.aws.network import INTERNAL_ELB_TAG, PUBLIC_ELB_TAG
    from mlplatform.platform import platform_tags

    cfg = spec(tagged(AWS, {}))
    assert tuple(platform_tags(cfg, "s")) == tags.PLATFORM_TAG_KEYS
    assert len(tags.AWS_SUBNET_TAGS) == 2
    assert tags.AWS_SUBNET_TAGS[1] in (PUBLIC_ELB_TAG, INTERNAL_ELB_TAG)
