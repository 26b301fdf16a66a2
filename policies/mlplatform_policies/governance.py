"""Governance over every cloud: stateful resources are protected from deletion, and the
resources people pay for carry the required tags or labels."""

from __future__ import annotations

from collections.abc import Iterator

from mlplatform_policies.model import Absent, Config, Resource, Rule, all_tags, get

STATEFUL = (
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:ecr/repository:Repository",
    "aws:rds/instance:Instance",
    "azure-native:storage:StorageAccount",
    "azure-native:containerregistry:Registry",
    "azure-native:dbforpostgresql:Server",
    "gcp:storage/bucket:Bucket",
    "gcp:artifactregistry/repository:Repository",
    "gcp:sql/databaseInstance:DatabaseInstance",
)
"""Buckets, storage accounts, registries and databases: what holds data."""
TAGGED = (
    *STATEFUL,
    "aws:eks/cluster:Cluster",
    "aws:eks/nodeGroup:NodeGroup",
    "azure-native:containerservice:ManagedCluster",
    "azure-native:containerservice:AgentPool",
    "gcp:container/cluster:Cluster",
    "gcp:container/nodePool:NodePool",
)
"""The resources that hold data or cost money, whose tags cost reports group by."""
GCP_TAG_PATHS = {
    "gcp:storage/bucket:Bucket": "labels",
    "gcp:artifactregistry/repository:Repository": "labels",
    "gcp:sql/databaseInstance:DatabaseInstance": "settings.userLabels",
    "gcp:container/cluster:Cluster": "resourceLabels",
    "gcp:container/nodePool:NodePool": "nodeConfig.resourceLabels",
}
"""Where each Google type keeps its labels (pulumi-gcp 10.2.0 inputs); AWS and Azure types
keep theirs in `tags`."""
UNTAGGED = {
    "aws": (
        "no tags; only the provider's defaultTags apply, and this rule reads them",
        "https://www.pulumi.com/registry/packages/aws/api-docs/provider/ (defaultTags: "
        "'Configuration block with settings to default resource tags across all resources')",
    ),
    "azure-native": (
        "no tags; azure-native has no provider-level default tags",
        "pulumi-azure-native 3.29.0 Provider inputs (registry page "
        "azure-native/installation-configuration): none of them sets default tags",
    ),
    "gcp": (
        "no labels; only the provider's defaultLabels apply, and this rule reads them",
        "https://www.pulumi.com/registry/packages/gcp/api-docs/provider/ (defaultLabels)",
    ),
}
"""What a resource carries when its tags or labels are left out, per provider."""


def _untagged(type_: str) -> Absent:
    default, source = UNTAGGED[type_.split(":")[0]]
    path = GCP_TAG_PATHS.get(type_, "tags")
    return Absent(type_, path, default, source, "unsafe")


def _protected(resource: Resource, _: Config) -> Iterator[str]:
    if not resource.protect:
        yield "the resource holds data but is not protected (protect: true)"


def _tagged(resource: Resource, config: Config) -> Iterator[str]:
    found = all_tags(resource) or {}
    missing = [key for key in config["requiredKeys"] if not get(found, key)]
    if missing:
        yield f"missing required tags/labels: {', '.join(missing)}"


RULES = (
    Rule(
        id="MLP-GOV-01",
        name="platform-stateful-resources-protected",
        description="Buckets, storage accounts, registries and databases are protected from "
        "deletion.",
        enforcement="mandatory",
        severity="high",
        resource_types=STATEFUL,
        anchor="mlplatform",
        frameworks=(),
        remediation="Keep mlplatform:protect true; delete data only by turning it off "
        "deliberately in a reviewed change.",
        check=_protected,
        # Reads the `protect` resource option, not a property: no provider default to record.
    ),
    Rule(
        id="MLP-GOV-02",
        name="platform-required-tags",
        description="Resources that hold data or cost money carry the required tags or labels.",
        enforcement="mandatory",
        severity="low",
        resource_types=TAGGED,
        anchor="AWS tagging best practices / Azure Policy: require a tag",
        frameworks=(),
        remediation="Set mlplatform:tags (owner, cost-center; environment comes from the stack).",
        check=_tagged,
        absent=tuple(_untagged(type_) for type_ in TAGGED),
        config={
            "requiredKeys": {
                "type": "array",
                "items": {"type": "string"},
                "default": ["owner", "environment", "cost-center"],
                "description": "Tag / label keys every such resource must carry.",
            }
        },
    ),
)
