"""AWS pricing rules: what each priced AWS resource type costs a month, from `prices/aws.toml`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from mlplatform.catalog.data import OFFERINGS
from mlplatform.cost.context import Context, Rule, dig, number
from mlplatform.cost.model import CostResource, Line, Monthly

GPU_SHAPES = frozenset(o.instance_type for o in OFFERINGS if o.cloud == "aws")


def eks_cluster(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r)
    extended = dig(r.inputs, "upgradePolicy", "supportType") != "STANDARD"
    sku = "eks:cluster-extended" if extended else "eks:cluster"
    what = "extended" if extended else "standard"
    yield ctx.fixed(r, f"EKS control plane ({what} support)", region, sku)


def node_group(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r)
    shape = dig(r.inputs, "instanceTypes", 0) or "t3.medium"
    low = number(dig(r.inputs, "scalingConfig", "minSize"), 0.0) or 0.0
    high = number(dig(r.inputs, "scalingConfig", "maxSize"), low) or low
    spot = dig(r.inputs, "capacityType") == "SPOT"
    taints = dig(r.inputs, "taints") or []
    gpu = shape in GPU_SHAPES or any(dig(t, "key") == "nvidia.com/gpu" for t in taints)
    yield ctx.pool(r, region, shape, f"ec2:{shape}", (low, high), spot, gpu)
    size, volume = _root_volume(r, ctx)
    if volume != "gp3":
        yield ctx.missing(r, f"{size:g} GB {volume} node disks", region, f"ebs:{volume}")
    else:
        yield ctx.disks(r, region, "ebs:gp3", size, (low, high), gpu)


def _root_volume(r: CostResource, ctx: Context) -> tuple[float, str]:
    """Boot volume size and type: from the node group's launch template, else its diskSize
    (EKS default 20 GB; gp2 without a launch template, per the EKS API)."""
    for urn in r.property_dependencies.get("launchTemplate", ()):
        template = ctx.resources.get(urn)
        ebs = dig(template.inputs, "blockDeviceMappings", 0, "ebs") if template else None
        if ebs is not None:
            return number(dig(ebs, "volumeSize"), 8.0) or 8.0, dig(ebs, "volumeType") or "gp2"
    return number(dig(r.inputs, "diskSize"), 20.0) or 20.0, "gp2"


def nat_gateway(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r)
    yield ctx.fixed(r, "NAT gateway hours", region, "vpc:nat-gateway")
    yield ctx.usage(r, "NAT gateway data processed", region, "vpc:nat-gateway-data")


def eip(r: CostResource, ctx: Context) -> Iterator[Line]:
    yield ctx.fixed(r, "public IPv4 address", ctx.region(r), "vpc:public-ipv4")


def rds_instance(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r)
    shape = dig(r.inputs, "instanceClass") or "db.t4g.micro"
    multi_az = dig(r.inputs, "multiAz") is True
    suffix = ":multi-az" if multi_az else ""
    deployment = "Multi-AZ" if multi_az else "Single-AZ"
    yield ctx.fixed(r, f"{shape} PostgreSQL ({deployment})", region, f"rds:{shape}{suffix}")
    storage = dig(r.inputs, "storageType") or "gp2"
    size = number(dig(r.inputs, "allocatedStorage"), 20.0) or 20.0
    grow = number(dig(r.inputs, "maxAllocatedStorage"), size) or size
    if storage != "gp3":
        yield ctx.missing(r, f"{size:g} GB {storage} storage", region, f"rds:{storage}{suffix}")
        return
    disk = ctx.fixed(r, f"{size:g} GB gp3 storage ({deployment})", region, f"rds:gp3{suffix}", size)
    if disk.kind == "priced" and grow > size:
        high = round(disk.monthly.low / size * grow, 2)
        monthly = Monthly(disk.monthly.low, disk.monthly.expected, high)
        basis = f"{disk.basis}; high: autoscaled to {grow:g} GB"
        disk = replace(disk, monthly=monthly, basis=basis)
    yield disk


def bucket(r: CostResource, ctx: Context) -> Iterator[Line]:
    gb = ctx.assumptions.storage_gb
    yield ctx.fixed(r, f"{gb:g} GB S3 Standard (assumed)", ctx.region(r), "s3:standard", gb)
    yield ctx.usage(r, "S3 requests and data transfer", ctx.region(r), None)


def ecr_repository(r: CostResource, ctx: Context) -> Iterator[Line]:
    gb = ctx.assumptions.registry_gb
    yield ctx.fixed(r, f"{gb:g} GB of images (assumed)", ctx.region(r), "ecr:storage", gb)


def kms_key(r: CostResource, ctx: Context) -> Iterator[Line]:
    yield ctx.fixed(r, "customer managed key", ctx.region(r), "kms:key")
    yield ctx.usage(r, "KMS requests", ctx.region(r), None)


def metric_alarm(r: CostResource, ctx: Context) -> Iterator[Line]:
    yield ctx.fixed(r, "standard-resolution alarm", ctx.region(r), "cloudwatch:alarm")


def log_group(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r)
    yield ctx.usage(r, "log ingestion", region, "cloudwatch:logs-ingestion")
    yield ctx.usage(r, "log storage", region, "cloudwatch:logs-storage")


def amp_workspace(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r)
    yield ctx.usage(r, "metric samples ingested", region, "amp:ingestion")
    yield ctx.usage(r, "metric storage", region, "amp:storage")


def usage_only(what: str) -> Rule:
    """A rule for a type billed only per use."""

    def rule(r: CostResource, ctx: Context) -> Iterator[Line]:
        yield ctx.usage(r, what, ctx.region(r), None)

    return rule


RULES: dict[str, Rule] = {
    "aws:eks/cluster:Cluster": eks_cluster,
    "aws:eks/nodeGroup:NodeGroup": node_group,
    "aws:ec2/natGateway:NatGateway": nat_gateway,
    "aws:ec2/eip:Eip": eip,
    "aws:rds/instance:Instance": rds_instance,
    "aws:s3/bucket:Bucket": bucket,
    "aws:s3/bucketV2:BucketV2": bucket,
    "aws:ecr/repository:Repository": ecr_repository,
    "aws:kms/key:Key": kms_key,
    "aws:cloudwatch/metricAlarm:MetricAlarm": metric_alarm,
    "aws:cloudwatch/logGroup:LogGroup": log_group,
    "aws:amp/workspace:Workspace": amp_workspace,
    "aws:amp/ruleGroupNamespace:RuleGroupNamespace": usage_only("rule evaluation (query samples)"),
    "aws:sns/topic:Topic": usage_only("notifications published and delivered"),
}
"""Pricing rule per type."""

FREE = frozenset(
    {
        "aws:amp/alertManagerDefinition:AlertManagerDefinition",
        "aws:ec2/internetGateway:InternetGateway",
        "aws:ec2/launchTemplate:LaunchTemplate",
        "aws:ec2/routeTable:RouteTable",
        "aws:ec2/routeTableAssociation:RouteTableAssociation",
        "aws:ec2/securityGroup:SecurityGroup",
        "aws:ec2/subnet:Subnet",
        "aws:ec2/vpc:Vpc",
        "aws:ecr/lifecyclePolicy:LifecyclePolicy",
        "aws:ecr/repositoryPolicy:RepositoryPolicy",
        "aws:eks/accessEntry:AccessEntry",
        "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
        "aws:eks/addon:Addon",
        "aws:eks/podIdentityAssociation:PodIdentityAssociation",
        "aws:kms/alias:Alias",
        "aws:rds/parameterGroup:ParameterGroup",
        "aws:rds/subnetGroup:SubnetGroup",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:s3/bucketVersioningV2:BucketVersioningV2",
        "aws:sns/topicPolicy:TopicPolicy",
        "aws:sns/topicSubscription:TopicSubscription",
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    }
)
"""Types that cost nothing by themselves; anything in IAM is free too (see FREE_PREFIXES)."""
FREE_PREFIXES = ("aws:iam/",)
