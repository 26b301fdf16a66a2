"""Governance over every cloud: stateful resources are protected from deletion, and the
resources people pay for carry the required tags or labels."""

from __future__ import annotations

from collections.abc import Iterator

from mlplatform_policies.model import Config, Resource, Rule, all_tags, get

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
