"""EKS GPU cluster, network, add-ons, autoscaler, GPU enablement and teams on the captured plan."""

from __future__ import annotations

import json

import pytest
import yaml

from mlplatform.catalog.eks_addons import ADDON_VERSIONS
from mlplatform.engine import Plan
from mlplatform.engine.mocks import physical_name
from mlplatform.kubernetes import charts
from tests.conftest import PlanConfig
from tests.helpers import depends_on, one

CLUSTER = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
RELEASE = "kubernetes:helm.sh/v3:Release"
BASE = {"target": "aws", "environment": "dev", "region": "us-west-2"}


@pytest.fixture(scope="module")
def dev(shipped_plans: dict[str, Plan]) -> Plan:
    return shipped_plans["aws-dev"]


@pytest.fixture(scope="module")
def prod(shipped_plans: dict[str, Plan]) -> Plan:
    return shipped_plans["aws-prod"]


def test_control_plane_is_private_encrypted_and_audited(dev: Plan) -> None:
    cluster = one(dev, CLUSTER)
    key = one(dev, "aws:kms/key:Key", "-eks-secrets-key")
    inputs = cluster.inputs
    assert inputs["version"] == "1.36"
    assert inputs["vpcConfig"]["endpointPrivateAccess"] is True
    assert inputs["vpcConfig"]["endpointPublicAccess"] is False
    assert "publicAccessCidrs" not in inputs["vpcConfig"]
    assert inputs["encryptionConfig"]["resources"] == ["secrets"]
    assert depends_on(cluster, key) and key.inputs["enableKeyRotation"] is True
    assert inputs["enabledClusterLogTypes"] == ["api", "audit", "authenticator"]
    assert inputs["accessConfig"] == {
        "authenticationMode": "API",
        "bootstrapClusterCreatorAdminPermissions": True,
    }
    assert inputs["upgradePolicy"] == {"supportType": "STANDARD"}
    assert inputs["deletionProtection"] is True and cluster.protect is True


def test_control_plane_logs_expire(dev: Plan) -> None:
    cluster = one(dev, CLUSTER)
    logs = one(dev, "aws:cloudwatch/logGroup:LogGroup", "-control-plane-logs")
    # EKS would create this group itself, never expiring, if it did not exist first.
    assert cluster.inputs["name"] == "ml-aws-dev-eks-cluster"
    assert logs.inputs["name"] == "/aws/eks/ml-aws-dev-eks-cluster/cluster"
    assert logs.inputs["retentionInDays"] == 30
    assert depends_on(cluster, logs)


def test_cluster_waits_for_its_role_policy(dev: Plan) -> None:
    cluster = one(dev, CLUSTER)
    attachment = one(
        dev,
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "-cluster-role-AmazonEKSClusterPolicy",
    )
    assert depends_on(cluster, attachment)


def test_control_plane_and_nodes_use_only_private_subnets(dev: Plan) -> None:
    private = sorted(r.urn for r in dev.of_type("aws:ec2/subnet:Subnet") if "-private-" in r.name)
    assert len(private) == 3
    assert sorted(d for d in one(dev, CLUSTER).dependencies if "subnet" in d) == private
    for group in dev.of_type(NODE_GROUP):
        assert sorted(d for d in group.dependencies if "subnet" in d) == private


def test_network_layout_and_load_balancer_tags(dev: Plan) -> None:
    subnets = {
        r.name.removeprefix("ml-aws-dev-network-"): r.inputs
        for r in dev.of_type("aws:ec2/subnet:Subnet")
    }
    assert {k: v["cidrBlock"] for k, v in subnets.items()} == {
        "public-0": "10.0.0.0/22",
        "public-1": "10.0.4.0/22",
        "public-2": "10.0.8.0/22",
        "private-0": "10.0.64.0/18",
        "private-1": "10.0.128.0/18",
        "private-2": "10.0.192.0/18",
    }
    assert [v["availabilityZone"] for k, v in sorted(subnets.items()) if "private" in k] == [
        "us-east-1a",
        "us-east-1b",
        "us-east-1c",
    ]
    for key, inputs in subnets.items():
        tag = "kubernetes.io/role/internal-elb" if "private" in key else "kubernetes.io/role/elb"
        assert inputs["tags"][tag] == "1"
        assert inputs.get("mapPublicIpOnLaunch", False) is False
    assert len(dev.of_type("aws:ec2/natGateway:NatGateway")) == 1


def test_prod_has_a_nat_gateway_per_zone(prod: Plan) -> None:
    nats = prod.of_type("aws:ec2/natGateway:NatGateway")
    assert sorted(n.name for n in nats) == [f"ml-aws-prod-network-nat-{i}" for i in range(3)]
    for i in range(3):
        route = one(prod, "aws:ec2/routeTable:RouteTable", f"-private-{i}-rt")
        nat = one(prod, "aws:ec2/natGateway:NatGateway", f"-nat-{i}")
        assert depends_on(route, nat)


def test_irsa_oidc_provider(dev: Plan) -> None:
    oidc = one(dev, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert oidc.inputs["clientIdLists"] == ["sts.amazonaws.com"]
    assert oidc.inputs["url"].startswith("https://oidc.eks.us-east-1.amazonaws.com/id/")


def test_add_ons_are_pinned_and_ordered(dev: Plan) -> None:
    system = one(dev, NODE_GROUP, "-eks-system")
    addons = {r.inputs["addonName"]: r for r in dev.of_type("aws:eks/addon:Addon")}
    assert {n: a.inputs["addonVersion"] for n, a in addons.items()} == ADDON_VERSIONS["1.36"]
    assert depends_on(addons["coredns"], system)
    assert depends_on(addons["aws-ebs-csi-driver"], system)
    assert depends_on(system, addons["vpc-cni"]) and depends_on(system, addons["kube-proxy"])
    ebs_role = one(dev, "aws:iam/role:Role", "-eks-ebs-csi-role")
    trust = json.loads(ebs_role.inputs["assumeRolePolicy"])["Statement"][0]
    assert list(trust["Condition"]["StringEquals"].values()) == [
        "system:serviceaccount:kube-system:ebs-csi-controller-sa",
        "sts.amazonaws.com",
    ]
    assert depends_on(addons["aws-ebs-csi-driver"], ebs_role)


def test_system_node_group(dev: Plan) -> None:
    system = one(dev, NODE_GROUP, "-eks-system")
    assert system.inputs["amiType"] == "AL2023_x86_64_STANDARD"
    assert system.inputs["instanceTypes"] == ["m6i.large"]
    assert system.inputs["capacityType"] == "ON_DEMAND"
    assert system.inputs["scalingConfig"] == {"minSize": 2, "maxSize": 4, "desiredSize": 2}
    assert "taints" not in system.inputs


def test_gpu_node_group_from_the_catalog(dev: Plan) -> None:
    pool = one(dev, NODE_GROUP, "-eks-t4-spot")
    assert pool.inputs["instanceTypes"] == ["g4dn.xlarge"]
    assert pool.inputs["amiType"] == "AL2023_x86_64_NVIDIA"
    assert pool.inputs["capacityType"] == "SPOT"
    assert pool.inputs["scalingConfig"] == {"minSize": 0, "maxSize": 2, "desiredSize": 0}
    assert pool.inputs["taints"] == [
        {"key": "nvidia.com/gpu", "value": "present", "effect": "NO_SCHEDULE"}
    ]
    assert pool.inputs["labels"] == {
        "mlplatform.io/gpu": "T4",
        "mlplatform.io/pool": "t4-spot",
        "nvidia.com/gpu.present": "true",
        "k8s.amazonaws.com/accelerator": "nvidia-t4",
    }


def test_gpu_nodes_have_encrypted_disks_and_imdsv2(dev: Plan) -> None:
    template = one(dev, "aws:ec2/launchTemplate:LaunchTemplate", "-eks-t4-spot-lt")
    assert template.inputs["blockDeviceMappings"] == [
        {
            "deviceName": "/dev/xvda",
            "ebs": {
                "volumeSize": 200,
                "volumeType": "gp3",
                "encrypted": "true",
                "deleteOnTermination": "true",
            },
        }
    ]
    assert template.inputs["metadataOptions"] == {
        "httpEndpoint": "enabled",
        "httpTokens": "required",
        "httpPutResponseHopLimit": 1,
    }
    assert depends_on(one(dev, NODE_GROUP, "-eks-t4-spot"), template)


def test_prod_pools_are_on_demand_h100_and_a100(prod: Plan) -> None:
    pools = {r.name.removeprefix("ml-aws-prod-eks-"): r.inputs for r in prod.of_type(NODE_GROUP)}
    assert {
        k: (v["instanceTypes"], v["capacityType"], v["scalingConfig"]["maxSize"])
        for k, v in pools.items()
    } == {
        "system": (["m6i.large"], "ON_DEMAND", 4),
        "h100": (["p5.48xlarge"], "ON_DEMAND", 2),
        "a100": (["p4de.24xlarge"], "ON_DEMAND", 2),
    }


def test_kubernetes_provider_waits_for_every_node_group(dev: Plan) -> None:
    provider = one(dev, "pulumi:providers:kubernetes")
    assert provider.inputs["kubeconfig"] == "[secret]"
    for group in dev.of_type(NODE_GROUP):
        assert depends_on(provider, group)
    for r in dev.resources:
        if r.type.startswith("kubernetes:"):
            assert r.provider == provider.urn


def test_the_default_storage_class_is_encrypted_gp3(dev: Plan) -> None:
    storage_class = one(dev, "kubernetes:storage.k8s.io/v1:StorageClass")
    assert storage_class.inputs == {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {
            "name": "gp3",
            "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
        },
        "provisioner": "ebs.csi.aws.com",
        "parameters": {"type": "gp3", "encrypted": "true"},
        "volumeBindingMode": "WaitForFirstConsumer",
        "allowVolumeExpansion": True,
        "reclaimPolicy": "Delete",
    }
    addon = next(
        a for a in dev.of_type("aws:eks/addon:Addon") if a.name.endswith("-aws-ebs-csi-driver")
    )
    assert depends_on(storage_class, addon)


def test_device_plugin_only_on_gpu_nodes_and_pinned(dev: Plan) -> None:
    release = one(dev, RELEASE, "-gpu-release")
    assert (release.inputs["chart"], release.inputs["version"]) == (
        "nvidia-device-plugin",
        charts.NVIDIA_DEVICE_PLUGIN.version,
    )
    assert release.inputs["repositoryOpts"] == {"repo": charts.NVIDIA_DEVICE_PLUGIN.repo}
    values = release.inputs["values"]
    assert values["nodeSelector"] == {"nvidia.com/gpu.present": "true"}
    assert {"effect": "NoSchedule", "key": "nvidia.com/gpu", "operator": "Exists"} in (
        values["tolerations"]
    )
    assert values["config"] == {"default": "default", "map": {"default": "version: v1\n"}}


def test_time_slicing_pool_gets_its_own_plugin_config(plan_config: PlanConfig) -> None:
    plan = plan_config(
        {
            **BASE,
            "gpuPools": [
                {"name": "shared", "gpu": "L4", "sharing": {"mode": "time-slicing", "replicas": 4}}
            ],
        }
    )
    config = one(plan, RELEASE, "-gpu-release").inputs["values"]["config"]["map"]["shared"]
    assert yaml.safe_load(config) == {
        "version": "v1",
        "sharing": {"timeSlicing": {"resources": [{"name": "nvidia.com/gpu", "replicas": 4}]}},
    }
    labels = one(plan, NODE_GROUP, "-eks-shared").inputs["labels"]
    assert labels["nvidia.com/device-plugin.config"] == "shared"


def test_bottlerocket_pools_need_no_device_plugin(plan_config: PlanConfig) -> None:
    plan = plan_config(
        {
            **BASE,
            "gpuPools": [{"name": "br", "gpu": "A10", "nodeImage": "BOTTLEROCKET_x86_64_NVIDIA"}],
        }
    )
    assert plan.of_type(RELEASE) != [] and not [
        r for r in plan.of_type(RELEASE) if r.name.endswith("-gpu-release")
    ]
    template = one(plan, "aws:ec2/launchTemplate:LaunchTemplate", "-eks-br-lt")
    assert template.inputs["blockDeviceMappings"][0]["deviceName"] == "/dev/xvdb"
    assert one(plan, NODE_GROUP, "-eks-br").inputs["amiType"] == "BOTTLEROCKET_x86_64_NVIDIA"


def test_gpu_operator_when_asked(plan_config: PlanConfig) -> None:
    plan = plan_config(
        {
            **BASE,
            "cluster": {"gpuEnablement": "gpu-operator"},
            "gpuPools": [{"name": "a", "gpu": "T4"}],
        }
    )
    release = one(plan, RELEASE, "-gpu-release")
    assert (release.inputs["chart"], release.inputs["version"]) == ("gpu-operator", "v26.7.0")
    assert release.inputs["values"]["driver"] == {"enabled": False}
    assert release.inputs["values"]["toolkit"] == {"enabled": False}


def test_no_pools_no_gpu_add_ons(plan_config: PlanConfig) -> None:
    plan = plan_config(BASE)
    assert plan.of_type(RELEASE) == []
    assert [r.name for r in plan.of_type(NODE_GROUP)] == ["ml-test-eks-system"]


def test_autoscaler_has_its_own_scoped_identity(dev: Plan) -> None:
    release = one(dev, RELEASE, "-autoscaler-release")
    role = one(dev, "aws:iam/role:Role", "-autoscaler-identity-role")
    values = release.inputs["values"]
    assert (release.inputs["chart"], release.inputs["version"]) == ("cluster-autoscaler", "9.59.0")
    assert values["image"] == {"tag": "v1.36.1"}
    assert values["rbac"]["serviceAccount"]["name"] == "cluster-autoscaler"
    annotation = values["rbac"]["serviceAccount"]["annotations"]["eks.amazonaws.com/role-arn"]
    assert annotation.startswith("arn:aws:iam::123456789012:role/ml-aws-dev-autoscaler-identity")
    assert depends_on(release, role)
    policy = json.loads(one(dev, "aws:iam/rolePolicy:RolePolicy", "-autoscaling").inputs["policy"])
    scoped = policy["Statement"][1]
    assert scoped["Action"] == [
        "autoscaling:SetDesiredCapacity",
        "autoscaling:TerminateInstanceInAutoScalingGroup",
    ]
    assert list(scoped["Condition"]["StringEquals"].values()) == ["owned"]
    # The release reads the name from the cluster's output.
    assert values["autoDiscovery"]["clusterName"] == "ml-aws-dev-eks-cluster"


def test_team_namespace_quota_and_workload_identity(dev: Plan) -> None:
    namespace = one(dev, "kubernetes:core/v1:Namespace", "-team-research-namespace")
    assert namespace.inputs["metadata"]["name"] == "research"
    quota = one(dev, "kubernetes:core/v1:ResourceQuota")
    assert quota.inputs["spec"] == {"hard": {"requests.nvidia.com/gpu": "2"}}
    account = one(dev, "kubernetes:core/v1:ServiceAccount", "-workload-sa")
    role = one(dev, "aws:iam/role:Role", "-team-research-role")
    assert account.inputs["metadata"]["name"] == "ml-workload"
    assert account.inputs["metadata"]["namespace"] == "research"
    assert account.inputs["metadata"]["annotations"] == {
        "eks.amazonaws.com/role-arn": f"arn:aws:iam::123456789012:role/{physical_name(role.name)}"
    }
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
    assert (
        "system:serviceaccount:research:ml-workload" in trust["Condition"]["StringEquals"].values()
    )


def test_team_identity_gets_bucket_and_registry_access_only(dev: Plan) -> None:
    bucket = dev.outputs["artifactUri"].removeprefix("s3://")
    rw = json.loads(
        one(dev, "aws:iam/rolePolicy:RolePolicy", "-team-research-artifacts-rw").inputs["policy"]
    )["Statement"]
    assert [s["Resource"] for s in rw[:2]] == [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]
    assert "s3:*" not in json.dumps(rw)
    pull = json.loads(
        one(dev, "aws:iam/rolePolicy:RolePolicy", "-team-research-registry-pull").inputs["policy"]
    )["Statement"]
    assert pull[1]["Action"] == [
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
        "ecr:BatchCheckLayerAvailability",
    ]
    assert pull[1]["Resource"].startswith("arn:aws:ecr:us-east-1:123456789012:repository/")


def test_public_endpoint_only_to_listed_cidrs_and_admins(plan_config: PlanConfig) -> None:
    admin = "arn:aws:iam::111122223333:role/platform-admins"
    plan = plan_config(
        {
            **BASE,
            "cluster": {
                "endpointAccess": "public",
                "publicAccessCidrs": ["203.0.113.0/24"],
                "admins": [admin],
            },
        }
    )
    vpc = one(plan, CLUSTER).inputs["vpcConfig"]
    assert (vpc["endpointPublicAccess"], vpc["publicAccessCidrs"]) == (True, ["203.0.113.0/24"])
    entry = one(plan, "aws:eks/accessEntry:AccessEntry")
    association = one(plan, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
    assert (entry.inputs["principalArn"], entry.inputs["type"]) == (admin, "STANDARD")
    assert association.inputs["policyArn"] == (
        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
    )
    assert association.inputs["accessScope"] == {"type": "cluster"}
    assert depends_on(association, entry)


def test_existing_network_is_used_not_created(plan_config: PlanConfig) -> None:
    plan = plan_config(
        {
            **BASE,
            "network": {
                "existing": {"networkId": "vpc-0abc", "subnetIds": ["subnet-a", "subnet-b"]}
            },
        }
    )
    assert [
        r
        for r in plan.resources
        if r.type.startswith("aws:ec2/") and "launchTemplate" not in r.type
    ] == []
    assert one(plan, CLUSTER).inputs["vpcConfig"]["subnetIds"] == ["subnet-a", "subnet-b"]


def test_mps_pools_turn_on_gpu_feature_discovery(plan_config: PlanConfig) -> None:
    plan = plan_config(
        {
            **BASE,
            "gpuPools": [{"name": "mps", "gpu": "L4", "sharing": {"mode": "mps", "replicas": 2}}],
        }
    )
    values = one(plan, RELEASE, "-gpu-release").inputs["values"]
    assert values["gfd"] == {"enabled": True}
    assert (
        "gfd"
        not in one(
            plan_config(BASE | {"gpuPools": [{"name": "a", "gpu": "L4"}]}, "plain"),
            RELEASE,
            "-gpu-release",
        ).inputs["values"]
    )


def test_zones_without_current_instances_are_excluded() -> None:
    from mlplatform.aws.network import EXCLUDED_ZONE_IDS

    assert EXCLUDED_ZONE_IDS == ["use1-az3", "usw1-az2", "cac1-az3"]


def test_private_api_is_reachable_from_inside_the_vpc_only(dev: Plan) -> None:
    rule = one(
        dev, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "-api-from-network-0"
    )
    assert {k: rule.inputs[k] for k in ("cidrIpv4", "ipProtocol", "fromPort", "toPort")} == {
        "cidrIpv4": "10.0.0.0/16",
        "ipProtocol": "tcp",
        "fromPort": 443,
        "toPort": 443,
    }
    assert rule.inputs["securityGroupId"].startswith("sg-")
    assert depends_on(rule, one(dev, CLUSTER))


def test_mlflow_database_is_private_encrypted_tls_only_and_protected(dev: Plan) -> None:
    db = one(dev, "aws:rds/instance:Instance")
    expected = {
        "engine": "postgres",
        "engineVersion": "17",
        "instanceClass": "db.t4g.medium",
        "storageEncrypted": True,
        "publiclyAccessible": False,
        "multiAz": False,
        "backupRetentionPeriod": 7,
        "deletionProtection": True,
        "skipFinalSnapshot": False,
        "finalSnapshotIdentifier": "ml-aws-dev-mlflow-db-final",
        "password": "[secret]",
        "storageType": "gp3",
        "copyTagsToSnapshot": True,
    }
    assert {k: db.inputs[k] for k in expected} == expected
    assert db.protect is True
    assert depends_on(db, one(dev, "aws:kms/key:Key", "-mlflow-db-storage-key"))
    params = one(dev, "aws:rds/parameterGroup:ParameterGroup")
    assert params.inputs["parameters"][0] == {"name": "rds.force_ssl", "value": "1"}
    assert depends_on(db, params)
    rule = one(dev, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "-from-cluster")
    assert (
        rule.inputs["referencedSecurityGroupId"]
        == one(
            dev, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "-api-from-network-0"
        ).inputs["securityGroupId"]
    )
    assert (rule.inputs["fromPort"], rule.inputs["toPort"]) == (5432, 5432)
    subnets = one(dev, "aws:rds/subnetGroup:SubnetGroup")
    private = sorted(r.urn for r in dev.of_type("aws:ec2/subnet:Subnet") if "-private-" in r.name)
    assert sorted(subnets.dependencies) == private


def test_prod_database_is_multi_az_general_purpose(prod: Plan) -> None:
    db = one(prod, "aws:rds/instance:Instance")
    assert (db.inputs["multiAz"], db.inputs["instanceClass"]) == (True, "db.m7g.large")


def test_mlflow_reaches_s3_through_its_own_irsa_role(dev: Plan) -> None:
    account = one(dev, "kubernetes:core/v1:ServiceAccount", "-mlflow-sa")
    role = one(dev, "aws:iam/role:Role", "-mlflow-role")
    assert account.inputs["metadata"]["namespace"] == "mlflow"
    assert account.inputs["metadata"]["annotations"] == {
        "eks.amazonaws.com/role-arn": f"arn:aws:iam::123456789012:role/{physical_name(role.name)}"
    }
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
    assert (
        "system:serviceaccount:mlflow:ml-aws-dev-mlflow"
        in trust["Condition"]["StringEquals"].values()
    )
    policy = json.loads(
        one(dev, "aws:iam/rolePolicy:RolePolicy", "-mlflow-artifacts-rw").inputs["policy"]
    )["Statement"]
    bucket = dev.outputs["artifactUri"].removeprefix("s3://")
    assert policy[1]["Resource"] == f"arn:aws:s3:::{bucket}/*"
    deployment = one(dev, "kubernetes:apps/v1:Deployment")
    command = deployment.inputs["spec"]["template"]["spec"]["containers"][0]["command"]
    assert command[command.index("--artifacts-destination") + 1] == f"s3://{bucket}/"
    namespace = one(dev, "kubernetes:core/v1:Namespace", "-mlflow-namespace")
    assert namespace.inputs["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == (
        "restricted"
    )


def test_every_supported_eks_version_has_an_autoscaler_image() -> None:
    from mlplatform.catalog.eks_addons import SUPPORTED_VERSIONS

    assert sorted(charts.CLUSTER_AUTOSCALER_IMAGE_TAGS) == list(SUPPORTED_VERSIONS)
    assert all(
        tag.startswith(f"v{version}.")
        for version, tag in charts.CLUSTER_AUTOSCALER_IMAGE_TAGS.items()
    )
