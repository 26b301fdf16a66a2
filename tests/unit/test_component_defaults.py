"""What a program that imports a component gets when it leaves every guard argument out: a
private control plane, GPU pools tainted so only GPU work lands there, data encrypted and
private, and stateful resources protected with deletion protection on. The stacks always pass
these arguments (from the spec), so only these plans prove the components' own defaults."""

from __future__ import annotations

import pytest

from mlplatform import AksGpuCluster, EksGpuCluster, GkeGpuCluster, RdsPostgres, S3ArtifactStore
from mlplatform.engine import Plan, run_program
from tests.helpers import one
from tests.unit.test_component_args import AKS, EKS, GKE

POOL = {"name": "gpu", "gpu": "T4", "sharing_mode": "none"}


@pytest.fixture(scope="module")
def eks() -> Plan:
    return run_program(lambda: EksGpuCluster("c", {**EKS, "gpu_pools": [POOL]}))


@pytest.fixture(scope="module")
def aks() -> Plan:
    return run_program(lambda: AksGpuCluster("c", {**AKS, "gpu_pools": [POOL]}))


@pytest.fixture(scope="module")
def gke() -> Plan:
    return run_program(lambda: GkeGpuCluster("c", {**GKE, "gpu_pools": [POOL]}))


def test_an_eks_cluster_is_private_protected_and_its_gpus_tainted(eks: Plan) -> None:
    cluster = one(eks, "aws:eks/cluster:Cluster")
    assert cluster.inputs["vpcConfig"]["endpointPublicAccess"] is False
    assert cluster.inputs["encryptionConfig"]["resources"] == ["secrets"]
    assert cluster.protect is True and cluster.inputs["deletionProtection"] is True
    pool = one(eks, "aws:eks/nodeGroup:NodeGroup", "-gpu")
    assert pool.inputs["taints"] == [
        {"key": "nvidia.com/gpu", "value": "present", "effect": "NO_SCHEDULE"}
    ]


def test_an_aks_cluster_is_private_protected_and_its_gpus_tainted(aks: Plan) -> None:
    cluster = one(aks, "azure-native:containerservice:ManagedCluster")
    assert cluster.inputs["apiServerAccessProfile"] == {"enablePrivateCluster": True}
    assert cluster.protect is True
    pool = one(aks, "azure-native:containerservice:AgentPool", "gpu")
    assert pool.inputs["nodeTaints"] == ["nvidia.com/gpu=present:NoSchedule"]


def test_a_gke_cluster_is_private_protected_and_its_gpus_tainted(gke: Plan) -> None:
    cluster = one(gke, "gcp:container/cluster:Cluster")
    private = cluster.inputs["privateClusterConfig"]
    assert private["enablePrivateEndpoint"] is True and private["enablePrivateNodes"] is True
    assert cluster.protect is True and cluster.inputs["deletionProtection"] is True
    pool = one(gke, "gcp:container/nodePool:NodePool", "-gpu")
    assert pool.inputs["nodeConfig"]["taints"] == [
        {"key": "nvidia.com/gpu", "value": "present", "effect": "NO_SCHEDULE"}
    ]


def test_an_artifact_bucket_is_kms_encrypted_and_protected() -> None:
    plan = run_program(lambda: S3ArtifactStore("a", {}))
    bucket = one(plan, "aws:s3/bucket:Bucket")
    assert bucket.protect is True and bucket.inputs["forceDestroy"] is False
    [rule] = one(
        plan,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    ).inputs["rules"]
    assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms"


def test_a_database_is_private_encrypted_and_deletion_protected() -> None:
    args = {"vpc_id": "vpc", "subnet_ids": ["a", "b"], "client_security_group_id": "sg"}
    plan = run_program(lambda: RdsPostgres("db", args))
    instance = one(plan, "aws:rds/instance:Instance")
    assert instance.protect is True
    assert instance.inputs["deletionProtection"] is True
    assert instance.inputs["skipFinalSnapshot"] is False
    assert instance.inputs["storageEncrypted"] is True
    assert instance.inputs["publiclyAccessible"] is False
