"""Security settings of the AWS plans (issue 21): IMDS out of reach of pods on every node,
vpc-cni on its own IRSA role enforcing NetworkPolicies, VPC flow logs to an encrypted,
expiring log group, and connection and pgAudit logging on the MLflow database."""

from __future__ import annotations

import json

import pulumi
import pytest

from mlplatform.engine import Plan, run_stack
from mlplatform.engine.mocks import PlatformMocks
from mlplatform.environment import ConfigError, parse
from tests.conftest import ROOT, PlanConfig
from tests.helpers import depends_on, one

ADDON = "aws:eks/addon:Addon"
ROLE = "aws:iam/role:Role"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
ACCOUNT = "123456789012"
BASE = {"target": "aws", "environment": "dev", "region": "us-west-2"}


@pytest.fixture(scope="module", params=["aws-dev", "aws-prod"])
def shipped(request: pytest.FixtureRequest, shipped_plans: dict[str, Plan]) -> Plan:
    return shipped_plans[request.param]


@pytest.fixture(scope="module")
def dev(shipped_plans: dict[str, Plan]) -> Plan:
    return shipped_plans["aws-dev"]


def addon(plan: Plan, name: str) -> dict:
    return next(a for a in plan.of_type(ADDON) if a.inputs["addonName"] == name).inputs


# ---- item 12: IMDS, vpc-cni ---------------------------------------------------------------


def test_no_node_lets_pods_reach_the_node_role(shipped: Plan) -> None:
    templates = shipped.of_type(LAUNCH_TEMPLATE)
    assert len(templates) == len(shipped.of_type("aws:eks/nodeGroup:NodeGroup"))
    for template in templates:
        assert template.inputs["metadataOptions"] == {
            "httpEndpoint": "enabled",
            "httpTokens": "required",
            "httpPutResponseHopLimit": 1,
        }, template.name


def test_add_ons_that_looked_up_their_region_in_imds_are_given_it(dev: Plan) -> None:
    autoscaler = one(dev, "kubernetes:helm.sh/v3:Release", "-autoscaler-release")
    assert autoscaler.inputs["values"]["awsRegion"] == "us-east-1"


def test_ebs_csi_controller_takes_its_region_from_its_irsa_role(dev: Plan) -> None:
    """No configuration values: the IRSA webhook gives the controller AWS_REGION, so it never
    looks the region up in IMDS, and EKS checks nothing against the add-on's schema."""
    ebs = next(a for a in dev.of_type(ADDON) if a.inputs["addonName"] == "aws-ebs-csi-driver")
    role = one(dev, ROLE, "-eks-ebs-csi-role")
    assert "configurationValues" not in ebs.inputs
    assert ebs.property_dependencies["serviceAccountRoleArn"] == [role.urn]
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
    assert list(trust["Condition"]["StringEquals"].values()) == [
        "system:serviceaccount:kube-system:ebs-csi-controller-sa",
        "sts.amazonaws.com",
    ]


def test_vpc_cni_runs_on_its_own_irsa_role_and_nodes_lose_the_cni_policy(dev: Plan) -> None:
    role = one(dev, ROLE, "-eks-cni-role")
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
    assert list(trust["Condition"]["StringEquals"].values()) == [
        "system:serviceaccount:kube-system:aws-node",
        "sts.amazonaws.com",
    ]
    policy = one(dev, ATTACHMENT, "-eks-cni-AmazonEKS_CNI_Policy")
    assert policy.inputs["policyArn"] == "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"
    cni = next(a for a in dev.of_type(ADDON) if a.inputs["addonName"] == "vpc-cni")
    assert cni.property_dependencies["serviceAccountRoleArn"] == [role.urn]
    node_policies = sorted(
        a.inputs["policyArn"] for a in dev.of_type(ATTACHMENT) if "-eks-node-role-" in a.name
    )
    assert node_policies == [
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
        "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    ]


def test_vpc_cni_enforces_network_policies(dev: Plan) -> None:
    assert json.loads(addon(dev, "vpc-cni")["configurationValues"]) == {
        "enableNetworkPolicy": "true"
    }


# ---- item 13: VPC flow logs ---------------------------------------------------------------


def test_vpc_flow_logs_go_to_an_encrypted_expiring_protected_log_group(dev: Plan) -> None:
    flow_log = one(dev, FLOW_LOG)
    group = one(dev, LOG_GROUP, "-network-flow-logs")
    key = one(dev, "aws:kms/key:Key", "-network-flow-logs-key")
    role = one(dev, ROLE, "-network-flow-logs-role")
    vpc = one(dev, "aws:ec2/vpc:Vpc")
    assert {k: flow_log.inputs[k] for k in ("trafficType", "logDestinationType")} == {
        "trafficType": "ALL",
        "logDestinationType": "cloud-watch-logs",
    }
    assert flow_log.inputs["maxAggregationInterval"] == 600
    assert flow_log.property_dependencies["vpcId"] == [vpc.urn]
    assert flow_log.property_dependencies["logDestination"] == [group.urn]
    assert flow_log.property_dependencies["iamRoleArn"] == [role.urn]
    assert group.inputs["name"] == "/aws/vpc-flow-logs/ml-aws-dev-network"
    assert group.inputs["retentionInDays"] == 90
    assert group.property_dependencies["kmsKeyId"] == [key.urn]
    assert group.protect is True and key.protect is True
    assert key.inputs["enableKeyRotation"] is True
    statements = json.loads(key.inputs["policy"])["Statement"]
    assert statements[1] == {
        "Sid": "CloudWatchLogsEncrypt",
        "Effect": "Allow",
        "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
        "Action": [
            "kms:Encrypt*",
            "kms:Decrypt*",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:Describe*",
        ],
        "Resource": "*",
        "Condition": {
            "ArnEquals": {
                "kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:us-east-1:{ACCOUNT}:"
                "log-group:/aws/vpc-flow-logs/ml-aws-dev-network"
            }
        },
    }


def test_flow_log_role_is_scoped_to_its_log_group(dev: Plan) -> None:
    role = one(dev, ROLE, "-network-flow-logs-role")
    assert json.loads(role.inputs["assumeRolePolicy"])["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {
                "StringEquals": {"aws:SourceAccount": ACCOUNT},
                "ArnLike": {"aws:SourceArn": f"arn:aws:ec2:us-east-1:{ACCOUNT}:vpc-flow-log/*"},
            },
        }
    ]
    policy = one(dev, "aws:iam/rolePolicy:RolePolicy", "-network-flow-logs-write")
    group = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/vpc-flow-logs/ml-aws-dev-network"
    assert json.loads(policy.inputs["policy"])["Statement"] == [
        {
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            "Resource": [group, f"{group}:*"],
        },
        {"Effect": "Allow", "Action": "logs:DescribeLogGroups", "Resource": "*"},
    ]
    assert depends_on(one(dev, FLOW_LOG), policy)


def test_both_key_policies_share_one_account_administers_statement() -> None:
    from mlplatform.aws.iam import Partition
    from mlplatform.aws.kms import account_administers, log_group_key_policy, service_key_policy

    administers = {
        "Sid": "AccountAdministers",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws-us-gov:iam::{ACCOUNT}:root"},
        "Action": "kms:*",
        "Resource": "*",
    }
    assert account_administers("aws-us-gov", ACCOUNT) == administers
    service = json.loads(service_key_policy("aws-us-gov", ACCOUNT, ["cloudwatch.amazonaws.com"]))
    group = f"arn:aws-us-gov:logs:us-gov-west-1:{ACCOUNT}:log-group:/aws/vpc-flow-logs/n"
    logs = json.loads(log_group_key_policy(group, Partition("aws-us-gov", "amazonaws.com")))
    assert service["Statement"][0] == logs["Statement"][0] == administers
    assert [len(service["Statement"]), len(logs["Statement"])] == [2, 2]


def test_flow_log_retention_comes_from_the_spec(plan_config: PlanConfig) -> None:
    plan = plan_config({**BASE, "network": {"flowLogRetentionDays": 365}, "protect": False})
    group = one(plan, LOG_GROUP, "-network-flow-logs")
    assert group.inputs["retentionInDays"] == 365
    assert group.protect is False


def test_flow_log_retention_must_be_a_cloudwatch_period() -> None:
    with pytest.raises(ConfigError) as caught:
        parse({**BASE, "network": {"flowLogRetentionDays": 45}})
    assert [str(issue) for issue in caught.value.issues] == [
        "network.flowLogRetentionDays: 45 is not a CloudWatch retention period; use one of 1, "
        "3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, "
        "2922, 3288, 3653"
    ]


def test_flow_log_retention_with_a_network_we_do_not_create_is_refused() -> None:
    existing = {"networkId": "vpc-0abc", "subnetIds": ["subnet-a", "subnet-b"]}
    with pytest.raises(ConfigError) as caught:
        parse({**BASE, "network": {"existing": existing, "flowLogRetentionDays": 365}})
    assert [str(issue) for issue in caught.value.issues] == [
        "network.flowLogRetentionDays: 365 has no effect with network.existing (the platform "
        "logs the flows of a network it creates; yours keeps its own flow logs); remove it"
    ]


# ---- ARNs in the partition of the region ---------------------------------------------------

MANAGED_POLICIES = [
    "service-role/AmazonEBSCSIDriverPolicy",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonEKSClusterPolicy",
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonPrometheusQueryAccess",
    "AmazonPrometheusRemoteWriteAccess",
    "CloudWatchAgentServerPolicy",
]


@pytest.mark.parametrize(
    ("region", "partition", "dns_suffix"),
    [
        ("us-east-1", "aws", "amazonaws.com"),
        ("us-gov-west-1", "aws-us-gov", "amazonaws.com"),
        ("cn-north-1", "aws-cn", "amazonaws.com.cn"),
    ],
)
def test_arns_the_platform_builds_are_in_the_partition_of_the_region(
    plan_config: PlanConfig, region: str, partition: str, dns_suffix: str
) -> None:
    """ARNs carry the partition; of the service principals, only EC2's and CloudWatch Logs'
    take the partition's DNS suffix (ec2.amazonaws.com.cn, logs.cn-north-1.amazonaws.com.cn),
    the others keep their global name in China too."""
    admin = f"arn:{partition}:iam::{ACCOUNT}:role/admin"
    plan = plan_config(
        {
            **BASE,
            "region": region,
            "cluster": {"admins": [admin]},
            "monitoring": {"enabled": True, "prometheus": "managed"},
        }
    )
    arn = f"arn:{partition}"
    assert {a.inputs["policyArn"] for a in plan.of_type(ATTACHMENT)} == {
        f"{arn}:iam::aws:policy/{policy}" for policy in MANAGED_POLICIES
    }
    access = one(plan, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
    assert access.inputs["policyArn"] == (
        f"{arn}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
    )
    trust = json.loads(one(plan, ROLE, "-network-flow-logs-role").inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Condition"]["ArnLike"] == {
        "aws:SourceArn": f"{arn}:ec2:{region}:{ACCOUNT}:vpc-flow-log/*"
    }
    group = f"{arn}:logs:{region}:{ACCOUNT}:log-group:/aws/vpc-flow-logs/ml-test-network"
    write = json.loads(
        one(plan, "aws:iam/rolePolicy:RolePolicy", "-flow-logs-write").inputs["policy"]
    )
    assert write["Statement"][0]["Resource"] == [group, f"{group}:*"]
    root = {"AWS": f"{arn}:iam::{ACCOUNT}:root"}
    flow_key = json.loads(one(plan, "aws:kms/key:Key", "-network-flow-logs-key").inputs["policy"])
    assert [flow_key["Statement"][0]["Principal"], flow_key["Statement"][1]["Condition"]] == [
        root,
        {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": group}},
    ]
    topic_key = json.loads(one(plan, "aws:kms/key:Key", "-alarms-topic-key").inputs["policy"])
    assert topic_key["Statement"][0]["Principal"] == root
    topic = json.loads(one(plan, "aws:sns/topicPolicy:TopicPolicy").inputs["policy"])
    assert topic["Statement"][0]["Principal"] == root

    def trusted(role: str) -> object:
        policy = json.loads(one(plan, ROLE, role).inputs["assumeRolePolicy"])
        return policy["Statement"][0]["Principal"]

    assert [trusted("-eks-node-role"), trusted("-eks-cluster-role")] == [
        {"Service": f"ec2.{dns_suffix}"},
        {"Service": "eks.amazonaws.com"},
    ]
    assert flow_key["Statement"][1]["Principal"] == {"Service": f"logs.{region}.{dns_suffix}"}
    assert trusted("-network-flow-logs-role") == {"Service": "vpc-flow-logs.amazonaws.com"}
    publishers = {"Service": ["cloudwatch.amazonaws.com", "aps.amazonaws.com"]}
    assert [topic_key["Statement"][1]["Principal"], topic["Statement"][1]["Principal"]] == [
        publishers,
        publishers,
    ]
    oidc = one(plan, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    irsa = json.loads(one(plan, ROLE, "-eks-cni-role").inputs["assumeRolePolicy"])
    audience = list(irsa["Statement"][0]["Condition"]["StringEquals"].values())[1]
    assert [oidc.inputs["clientIdLists"], audience] == [["sts.amazonaws.com"], "sts.amazonaws.com"]


PARTITION_LOOKUP = "aws:index/getPartition:getPartition"
ACCOUNT_LOOKUP = "aws:index/getCallerIdentity:getCallerIdentity"


def invokes(monkeypatch: pytest.MonkeyPatch, stack: str) -> tuple[Plan, list[str]]:
    """Plan `stack` afresh, recording the token of every invoke the mocks answer."""
    tokens: list[str] = []
    answer = PlatformMocks.call

    def call(
        self: PlatformMocks, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict, list[tuple[str, str]] | None]:
        tokens.append(args.token)
        return answer(self, args)

    monkeypatch.setattr(PlatformMocks, "call", call)
    return run_stack(stack, ROOT), tokens


@pytest.mark.parametrize("stack", ["aws-dev", "aws-prod"])
def test_partition_and_account_are_looked_up_once_per_component(
    monkeypatch: pytest.MonkeyPatch, stack: str
) -> None:
    """One lookup per component that writes them, however many ARNs and policies it builds:
    the cluster, each workload identity given AWS-managed policies, the network (its flow
    logs) and the alarms; the account only for the flow logs and the alarms."""
    plan, tokens = invokes(monkeypatch, stack)

    def components(kind: str) -> list[str]:
        return [r.urn for r in plan.resources if r.type == f"mlplatform:index:{kind}"]

    attached = {r.parent for r in plan.of_type(ATTACHMENT)}
    identities = [urn for urn in components("AwsWorkloadIdentity") if urn in attached]
    writers = components("AwsNetwork") + components("AwsAlarms")
    assert [tokens.count(PARTITION_LOOKUP), tokens.count(ACCOUNT_LOOKUP)] == [
        len(components("EksGpuCluster")) + len(identities) + len(writers),
        len(writers),
    ]
    assert [len(components("EksGpuCluster")), len(writers)] == [1, 2]


# ---- item 15: database connection and audit logging ---------------------------------------


def test_rds_logs_connections_and_pgaudit_without_statement_data(dev: Plan) -> None:
    params = one(dev, "aws:rds/parameterGroup:ParameterGroup")
    assert params.inputs["parameters"] == [
        {"name": "rds.force_ssl", "value": "1"},
        {"name": "log_connections", "value": "1"},
        {"name": "log_disconnections", "value": "1"},
        {
            "name": "shared_preload_libraries",
            "value": "pg_stat_statements,pgaudit",
            "applyMethod": "pending-reboot",
        },
        {"name": "pgaudit.log", "value": "ddl,role"},
        {"name": "pgaudit.log_parameter", "value": "0"},
    ]
