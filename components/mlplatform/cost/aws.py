"""AWS pricing rules: what each priced AWS resource type costs a month, from
`catalog/prices/aws.toml`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from mlplatform.catalog.data import OFFERINGS
from mlplatform.cost.context import Context, Rule, dig, number, required, usage_only
from mlplatform.cost.model import CostResource, Line, Monthly

GPU_SHAPES = frozenset(o.instance_type for o in OFFERINGS if o.cloud == "aws")


def eks_cluster(r: CostResource, ctx: Context) -> Iterator[Line]:
    """Standard support while the version is in it; a cluster that allows extended support
    pays the extended rate only after the version's standard support ends."""
    region = ctx.region(r)
    item = "EKS control plane"
    extended = ctx.price(region, "eks:cluster-extended")
    if extended and dig(r.inputs, "upgradePolicy", "supportType") != "STANDARD":
        version = dig(r.inputs, "version") or "its version"
        item += f" (${extended.on_demand:g}/h once {version} is in extended support)"
    yield ctx.fixed(r, item, region, "eks:cluster")


def node_group(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r)
    shape = dig(r.inputs, "instanceTypes", 0) or EKS_DEFAULT_INSTANCE_TYPE
    low = number(dig(r.inputs, "scalingConfig", "minSize"), 1.0) or 0.0
    high = number(dig(r.inputs, "scalingConfig", "maxSize"), max(low, 2.0)) or low
    spot = dig(r.inputs, "capacityType") == "SPOT"
    taints = dig(r.inputs, "taints") or []
    gpu = shape in GPU_SHAPES or any(dig(t, "key") == "nvidia.com/gpu" for t in taints)
    yield ctx.pool(r, region, shape, f"ec2:{shape}", (low, high), spot, gpu)
    size, volume = _root_volume(r, ctx)
    yield ctx.disks(r, region, f"ebs:{volume}", size, (low, high), gpu)


EKS_DEFAULT_INSTANCE_TYPE = "t3.medium"
"""What a managed node group without instance types runs (EKS CreateNodegroup)."""
EKS_DEFAULT_DISK = (20.0, "gp2")
"""A node group's disk without a launch template: diskSize (default 20 GiB), gp2."""


def _root_volume(r: CostResource, ctx: Context) -> tuple[float, str]:
    """Boot volume size and type: from the node group's launch template (both must be set
    there: otherwise the AMI decides), else its diskSize on gp2 (the EKS API's defaults)."""
    for urn in r.property_dependencies.get("launchTemplate", ()):
        template = ctx.resources.get(urn)
        if template is not None:
            ebs = required(template.inputs, "blockDeviceMappings", 0, "ebs")
            return number(required(ebs, "volumeSize")) or 0.0, required(ebs, "volumeType")
    size, volume = EKS_DEFAULT_DISK
    return number(dig(r.inputs, "diskSize"), size) or size, volume


def nat_gateway(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r)
    yield ctx.fixed(r, "NAT gateway hours", region, "vpc:nat-gateway")
    yield ctx.usage(r, "NAT gateway data processed", region, "vpc:nat-gateway-data")


def eip(r: CostResource, ctx: Context) -> Iterator[Line]:
    yield ctx.fixed(r, "public IPv4 address", ctx.region(r), "vpc:public-ipv4")


def rds_instance(r: CostResource, ctx: Context) -> Iterator[Line]:
    region = ctx.region(r)
    shape = required(r.inputs, "instanceClass")
    multi_az = dig(r.inputs, "multiAz") is True
    suffix = ":multi-az" if multi_az else ""
    deployment = "Multi-AZ" if multi_az else "Single-AZ"
    yield ctx.fixed(r, f"{shape} PostgreSQL ({deployment})", region, f"rds:{shape}{suffix}")
    storage = dig(r.inputs, "storageType") or "gp2"
    size = number(required(r.inputs, "allocatedStorage")) or 0.0
    grow = number(dig(r.inputs, "maxAllocatedStorage"), 0.0) or 0.0
    item = f"{size:g} GB {storage} storage ({deployment})"
    disk = ctx.fixed(r, item, region, f"rds:{storage}{suffix}", size)
    if disk.kind == "priced" and grow > size:
        high = round(disk.prices[0].on_demand * grow, 2)
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


def addon(r: CostResource, ctx: Context) -> Iterator[Line]:
    """Add-ons are free but for the one that ships metrics and logs to CloudWatch."""
    if dig(r.inputs, "addonName") == CONTAINER_INSIGHTS:
        region = ctx.region(r)
        yield ctx.usage(r, "Container Insights metrics and container logs", region, None)
        yield ctx.usage(r, "container log ingestion", region, "cloudwatch:logs-ingestion")


CONTAINER_INSIGHTS = "amazon-cloudwatch-observability"
"""The add-on that installs the CloudWatch agent and Fluent Bit (billed per observation and
per GB of logs)."""


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
    "aws:eks/addon:Addon": addon,
}
"""Pricing rule per type."""

FREE = frozenset(
    {
        "aws:amp/alertManagerDefinition:AlertManagerDefinition",
        "aws:ec2/flowLog:FlowLog",  # its records are billed as ingestion at its log group
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
