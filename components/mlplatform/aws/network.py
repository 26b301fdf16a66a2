"""AWS network for an EKS cluster: a VPC across 2-3 AZs, private node subnets, NAT.

Nodes live only in private subnets; public subnets exist only for internet-
facing load balancers and the NAT gateways. Subnets carry the tags the AWS
Load Balancer Controller uses to discover them. Prod gets one NAT gateway per
AZ (an AZ outage does not cut egress); other environments share one. Every
flow of the VPC is logged to an encrypted, expiring CloudWatch log group.
"""

from collections.abc import Mapping
from typing import Required, TypedDict

import pulumi
import pulumi_aws as aws
from pulumi_aws import ec2

from mlplatform import defaults
from mlplatform.aws.flow_logs import vpc_flow_logs
from mlplatform.component_args import check_args
from mlplatform.contracts import child
from mlplatform.network_layout import aws_subnets

PUBLIC_ELB_TAG = "kubernetes.io/role/elb"
EXCLUDED_ZONE_IDS = ["use1-az3", "usw1-az2", "cac1-az3"]
"""Zone ids without current (Nitro) instance families; AZ names map to ids per account."""
INTERNAL_ELB_TAG = "kubernetes.io/role/internal-elb"


class AwsNetworkArgs(TypedDict, total=False):
    """Args of `AwsNetwork`."""

    cidr: Required[str]
    """VPC address range, /16 to /20."""
    zone_count: int
    """Availability zones (2 or 3). Default: 3."""
    nat_per_zone: bool
    """One NAT gateway per AZ instead of one shared. Default: shared."""
    flow_log_retention_days: int
    """Days the VPC's flow logs are kept in their log group (a CloudWatch retention period).
    Default: 90."""
    protect: bool
    """Protect the flow logs' log group and key from deletion. Default: protected."""
    tags: Mapping[str, str]
    """Tags on every resource. Default: none."""


class AwsNetwork(pulumi.ComponentResource):
    """VPC, subnets, internet gateway, NAT gateway(s), route tables and flow logs for EKS."""

    vpc_id: pulumi.Output[str]
    """VPC id."""
    private_subnet_ids: list[pulumi.Output[str]]
    """Private subnet ids, one per AZ: nodes, pods and internal load balancers."""
    public_subnet_ids: list[pulumi.Output[str]]
    """Public subnet ids, one per AZ: internet-facing load balancers and NAT only."""

    def __init__(
        self, name: str, args: AwsNetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, AwsNetworkArgs, args)
        super().__init__("mlplatform:index:AwsNetwork", name, None, opts)
        tags = dict(args.get("tags", {}))
        zone_count = args.get("zone_count", defaults.ZONE_COUNT)
        zones = aws.get_availability_zones_output(
            state="available",
            exclude_zone_ids=EXCLUDED_ZONE_IDS,
            opts=pulumi.InvokeOutputOptions(parent=self),
        )
        public_cidrs, private_cidrs = aws_subnets(args["cidr"], zone_count)

        vpc = ec2.Vpc(
            f"{name}-vpc",
            cidr_block=args["cidr"],
            enable_dns_hostnames=True,
            enable_dns_support=True,
            tags={**tags, "Name": f"{name}-vpc"},
            opts=child(self),
        )
        vpc_flow_logs(
            name,
            vpc,
            self,
            args.get("flow_log_retention_days", defaults.FLOW_LOG_RETENTION_DAYS),
            args.get("protect", True),
            tags,
        )
        igw = ec2.InternetGateway(f"{name}-igw", vpc_id=vpc.id, tags=tags, opts=child(self))
        public_rt = ec2.RouteTable(
            f"{name}-public-rt",
            vpc_id=vpc.id,
            routes=[{"cidr_block": "0.0.0.0/0", "gateway_id": igw.id}],
            tags=tags,
            opts=child(self),
        )

        self.public_subnet_ids, self.private_subnet_ids = [], []
        nats: list[ec2.NatGateway] = []
        for i in range(zone_count):
            az = zones.names.apply(lambda names, i=i: names[i])
            public = ec2.Subnet(
                f"{name}-public-{i}",
                vpc_id=vpc.id,
                cidr_block=public_cidrs[i],
                availability_zone=az,
                map_public_ip_on_launch=False,
                tags={**tags, "Name": f"{name}-public-{i}", PUBLIC_ELB_TAG: "1"},
                opts=child(self),
            )
            ec2.RouteTableAssociation(
                f"{name}-public-{i}-rta",
                subnet_id=public.id,
                route_table_id=public_rt.id,
                opts=child(self),
            )
            if i == 0 or args.get("nat_per_zone", False):
                eip = ec2.Eip(f"{name}-nat-{i}-eip", domain="vpc", tags=tags, opts=child(self))
                nats.append(
                    ec2.NatGateway(
                        f"{name}-nat-{i}",
                        allocation_id=eip.id,
                        subnet_id=public.id,
                        tags={**tags, "Name": f"{name}-nat-{i}"},
                        opts=child(self, depends_on=[igw]),
                    )
                )
            private = ec2.Subnet(
                f"{name}-private-{i}",
                vpc_id=vpc.id,
                cidr_block=private_cidrs[i],
                availability_zone=az,
                tags={**tags, "Name": f"{name}-private-{i}", INTERNAL_ELB_TAG: "1"},
                opts=child(self),
            )
            private_rt = ec2.RouteTable(
                f"{name}-private-{i}-rt",
                vpc_id=vpc.id,
                routes=[{"cidr_block": "0.0.0.0/0", "nat_gateway_id": nats[-1].id}],
                tags=tags,
                opts=child(self),
            )
            ec2.RouteTableAssociation(
                f"{name}-private-{i}-rta",
                subnet_id=private.id,
                route_table_id=private_rt.id,
                opts=child(self),
            )
            self.public_subnet_ids.append(public.id)
            self.private_subnet_ids.append(private.id)

        self.vpc_id = vpc.id
        self.register_outputs(
            {
                "vpc_id": self.vpc_id,
                "private_subnet_ids": self.private_subnet_ids,
                "public_subnet_ids": self.public_subnet_ids,
            }
        )
