"""IAM building blocks: service roles and IRSA workload identities (no static keys anywhere)."""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Required, TypedDict

import pulumi
from pulumi_aws import get_partition_output, iam

from mlplatform.component_args import check_args
from mlplatform.contracts import child

IRSA_ANNOTATION = "eks.amazonaws.com/role-arn"
EKS_SERVICE = "eks.amazonaws.com"
"""The EKS cluster role's principal, global in China too: `eks.amazonaws.com.cn` is refused
as an "Invalid principal in policy" (terraform-aws-eks issues 1904 and 2263)."""
STS_AUDIENCE = "sts.amazonaws.com"
"""The audience of IRSA tokens, global in China too: `sts.amazonaws.com.cn` fails with
"Incorrect token audience" (terraform-aws-eks issue 2700)."""


@dataclass(frozen=True)
class Partition:
    """The partition of an AWS provider, as its `get_partition` data source reports it.

    Service principals in China: most keep their global `<service>.amazonaws.com` (the
    aws-cdk's iam.ServicePrincipal writes the global name; the aws-cn exceptions of its
    region-info `Default.servicePrincipal` and of terraform-provider-aws's
    `aws_service_principal` are codedeploy, elasticmapreduce, logs and, since
    terraform-provider-aws PR 47141, ec2 and s3). Of those the platform writes, EC2's and
    CloudWatch Logs' take the partition's DNS suffix (`ec2_principal`, `logs_principal`);
    EKS, STS (`EKS_SERVICE`, `STS_AUDIENCE`), VPC flow logs (the China VPC user guide,
    flow-logs-iam-role, writes `vpc-flow-logs.amazonaws.com` beside `arn:aws-cn:` ARNs),
    CloudWatch alarms and AMP stay global."""

    name: str
    """aws, aws-cn or aws-us-gov: the second field of every ARN, never to be written as `aws`
    (AWS General Reference, "Amazon Resource Names (ARNs)": "Each AWS account is scoped to
    one partition")."""
    dns_suffix: str
    """amazonaws.com, or amazonaws.com.cn in China (pulumi_aws get_partition, `dns_suffix`)."""

    @property
    def ec2_principal(self) -> str:
        """EC2's principal: ec2.amazonaws.com.cn in China, where EKS refuses a node role that
        does not trust it ("Following required service principals [ec2.amazonaws.com.cn] were
        not found in the trust relationships of nodeRole": awslabs/cdk-eks-blueprints issue
        558, pulumi/pulumi-eks PR 796; terraform-aws-eks writes `ec2.${dns_suffix}`)."""
        return f"ec2.{self.dns_suffix}"

    def logs_principal(self, region: str) -> str:
        """CloudWatch Logs' principal in `region`: regional, and in China partitional too
        (logs.cn-north-1.amazonaws.com.cn: the aws-cdk region-info's "regional AND
        partitional" logs, pulumi_aws get_service_principal's `id`)."""
        return f"logs.{region}.{self.dns_suffix}"


def partition(parent: pulumi.Resource) -> pulumi.Output[Partition]:
    """The partition of `parent`'s AWS provider: look it up once per component and pass it to
    whatever writes an ARN or a principal."""
    found = get_partition_output(opts=pulumi.InvokeOutputOptions(parent=parent))
    return found.apply(lambda p: Partition(p.partition, p.dns_suffix))


def managed_policy(partition: pulumi.Output[Partition], policy: str) -> pulumi.Output[str]:
    """The ARN of the AWS-managed IAM policy `policy` in `partition`
    (arn:aws-cn:iam::aws:policy/... in China, arn:aws-us-gov:... in GovCloud)."""
    return partition.apply(lambda p: f"arn:{p.name}:iam::aws:policy/{policy}")


def assume_role_policy(service: str) -> str:
    """Trust policy letting an AWS service (e.g. eks.amazonaws.com) assume the role."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
            ],
        }
    )


@dataclass(frozen=True)
class ServiceRole:
    """A service role and its policy attachments (depend on both: a role without its
    policies makes EKS fail to create clusters and node groups)."""

    role: iam.Role
    attachments: list[iam.RolePolicyAttachment]

    @property
    def ready(self) -> list[pulumi.Resource]:
        return [self.role, *self.attachments]


def service_role(
    name: str,
    service: pulumi.Input[str],
    managed_policies: Sequence[str],
    parent: pulumi.Resource,
    tags: Mapping[str, str],
    partition: pulumi.Output[Partition],
) -> ServiceRole:
    """A role for an AWS service with AWS-managed policies of `partition` attached
    (`{name}-<policy>`)."""
    role = iam.Role(
        name,
        assume_role_policy=pulumi.Output.from_input(service).apply(assume_role_policy),
        tags=dict(tags),
        opts=child(parent),
    )
    attachments = [
        iam.RolePolicyAttachment(
            f"{name}-{policy}",
            role=role.name,
            policy_arn=managed_policy(partition, policy),
            opts=child(parent),
        )
        for policy in managed_policies
    ]
    return ServiceRole(role, attachments)


def irsa_trust_policy(provider_arn: str, issuer: str, namespace: str, account: str) -> str:
    """Trust policy for IAM Roles for Service Accounts: only `namespace/account` may assume it."""
    host = issuer.removeprefix("https://")
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": provider_arn},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": {
                        "StringEquals": {
                            f"{host}:sub": f"system:serviceaccount:{namespace}:{account}",
                            f"{host}:aud": STS_AUDIENCE,
                        }
                    },
                }
            ],
        }
    )


class AwsWorkloadIdentityArgs(TypedDict, total=False):
    """Args of `AwsWorkloadIdentity`."""

    oidc_provider_arn: Required[pulumi.Input[str]]
    """ARN of the cluster's IAM OIDC provider."""
    oidc_issuer_url: Required[pulumi.Input[str]]
    """The cluster's OIDC issuer URL (https://oidc.eks...)."""
    namespace: Required[str]
    """Kubernetes namespace of the service account."""
    service_account: Required[str]
    """Kubernetes service account name."""
    managed_policies: Sequence[str]
    """AWS-managed policy names to attach. Default: none."""
    tags: Mapping[str, str]
    """Tags on the role. Default: none."""


class AwsWorkloadIdentity(pulumi.ComponentResource):
    """An IAM role that exactly one Kubernetes service account can assume (IRSA).

    Grant permissions with `allow(...)`; put `annotations` on the service account.
    """

    role_arn: pulumi.Output[str]
    """The role's ARN."""
    role_name: pulumi.Output[str]
    """The role's name: where other languages attach an inline policy (`aws.iam.RolePolicy`
    with `S3ArtifactStore.read_write_policy` or `EcrRegistry.pull_policy`)."""
    annotations: pulumi.Output[dict[str, str]]
    """Service account annotations: `eks.amazonaws.com/role-arn`."""

    def __init__(
        self, name: str, args: AwsWorkloadIdentityArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, AwsWorkloadIdentityArgs, args)
        super().__init__("mlplatform:index:AwsWorkloadIdentity", name, None, opts)
        trust = pulumi.Output.all(args["oidc_provider_arn"], args["oidc_issuer_url"]).apply(
            lambda v: irsa_trust_policy(v[0], v[1], args["namespace"], args["service_account"])
        )
        self._name = name
        self.role = iam.Role(
            f"{name}-role",
            assume_role_policy=trust,
            tags=dict(args.get("tags", {})),
            opts=child(self),
        )
        policies = args.get("managed_policies", [])
        if policies:  # one partition lookup for all of them
            where = partition(self)
            for policy in policies:
                iam.RolePolicyAttachment(
                    f"{name}-{policy}",
                    role=self.role.name,
                    policy_arn=managed_policy(where, policy),
                    opts=child(self),
                )
        self.role_arn = self.role.arn
        self.role_name = self.role.name
        self.annotations = self.role.arn.apply(lambda arn: {IRSA_ANNOTATION: arn})
        self.register_outputs(
            {
                "role_arn": self.role_arn,
                "role_name": self.role_name,
                "annotations": self.annotations,
            }
        )

    def allow(self, purpose: str, statements: pulumi.Input[Sequence[Mapping[str, Any]]]) -> None:
        """Attach an inline policy named `{name}-{purpose}` with these IAM statements."""
        document = pulumi.Output.from_input(statements).apply(policy_document)
        iam.RolePolicy(
            f"{self._name}-{purpose}", role=self.role.id, policy=document, opts=child(self)
        )


def policy_document(statements: Sequence[Mapping[str, Any]]) -> str:
    """An IAM policy document (JSON) holding these statements."""
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
