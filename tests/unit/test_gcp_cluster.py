"""GKE GPU cluster, network, node identity, KMS and teams on the captured plan."""

from __future__ import annotations

import pytest

from mlplatform.engine import Plan
from mlplatform.engine.mocks import physical_name
from tests.conftest import PlanConfig
from tests.helpers import depends_on, one

CLUSTER = "gcp:container/cluster:Cluster"
POOL = "gcp:container/nodePool:NodePool"
BASE = {
    "target": "gcp",
    "environment": "dev",
    "region": "europe-west4",
    "gcp": {"project": "team-ml-dev"},
}


@pytest.fixture(scope="module")
def dev(shipped_plans: dict[str, Plan]) -> Plan:
    return shipped_plans["gcp-dev"]


def test_cluster_is_private_hardened_and_encrypted(dev: Plan) -> None:
    cluster = one(dev, CLUSTER)
    inputs = cluster.inputs
    assert inputs["privateClusterConfig"] == {
        "enablePrivateNodes": True,
        "enablePrivateEndpoint": True,
    }
    assert inputs["masterAuthorizedNetworksConfig"] == {
        "cidrBlocks": [{"cidrBlock": "10.0.0.0/16", "displayName": "allowed-0"}],
        "gcpPublicCidrsAccessEnabled": False,
    }
    assert inputs["workloadIdentityConfig"] == {"workloadPool": "my-ml-platform-dev.svc.id.goog"}
    assert inputs["enableShieldedNodes"] is True
    assert inputs["releaseChannel"] == {"channel": "REGULAR"}
    assert inputs["minMasterVersion"] == "1.36"
    assert inputs["datapathProvider"] == "ADVANCED_DATAPATH"
    assert inputs["removeDefaultNodePool"] is True
    assert inputs["deletionProtection"] is True and cluster.protect is True
    assert inputs["ipAllocationPolicy"] == {
        "clusterSecondaryRangeName": "pods",
        "servicesSecondaryRangeName": "services",
    }
    key = one(dev, "gcp:kms/cryptoKey:CryptoKey")
    assert inputs["databaseEncryption"]["state"] == "ENCRYPTED"
    assert depends_on(cluster, key)
    assert key.inputs["rotationPeriod"] == "7776000s" and key.protect is True
    grant = one(dev, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember")
    assert grant.inputs["member"] == (
        "serviceAccount:service-123456789012@container-engine-robot.iam.gserviceaccount.com"
    )
    assert depends_on(cluster, grant)


def test_nodes_use_a_dedicated_least_privilege_service_account(dev: Plan) -> None:
    account = one(dev, "gcp:serviceaccount/account:Account", "-gke-nodes")
    email = f"{account.inputs['accountId']}@my-ml-platform-dev.iam.gserviceaccount.com"
    roles = sorted(r.inputs["role"] for r in dev.of_type("gcp:projects/iAMMember:IAMMember"))
    assert roles == ["roles/artifactregistry.reader", "roles/container.defaultNodeServiceAccount"]
    configs = [one(dev, CLUSTER).inputs["nodeConfig"]] + [
        p.inputs["nodeConfig"] for p in dev.of_type(POOL)
    ]
    for config in configs:
        assert config["serviceAccount"] == email
        assert "compute@developer" not in config["serviceAccount"]
        assert config["workloadMetadataConfig"] == {"mode": "GKE_METADATA"}
        assert config["shieldedInstanceConfig"] == {
            "enableSecureBoot": True,
            "enableIntegrityMonitoring": True,
        }


def test_gpu_pool_from_the_catalog(dev: Plan) -> None:
    pool = one(dev, POOL, "-gke-l4-spot")
    config = pool.inputs["nodeConfig"]
    assert config["machineType"] == "g2-standard-8"
    assert config["guestAccelerators"] == [
        {
            "type": "nvidia-l4",
            "count": 1,
            "gpuDriverInstallationConfig": {"gpuDriverVersion": "LATEST"},
        }
    ]
    assert config["spot"] is True
    assert config["taints"] == [
        {"key": "nvidia.com/gpu", "value": "present", "effect": "NO_SCHEDULE"}
    ]
    assert config["labels"]["mlplatform.io/gpu"] == "L4"
    assert config["diskSizeGb"] == 200 and config["imageType"] == "COS_CONTAINERD"
    assert pool.inputs["autoscaling"] == {
        "totalMinNodeCount": 0,
        "totalMaxNodeCount": 2,
        "locationPolicy": "ANY",
    }


def test_prod_pools(shipped_plans: dict[str, Plan]) -> None:
    prod = shipped_plans["gcp-prod"]
    shapes = {
        p.name: (
            p.inputs["nodeConfig"]["machineType"],
            p.inputs["nodeConfig"].get("guestAccelerators", [{}])[0].get("type"),
            p.inputs["nodeConfig"].get("spot", False),
        )
        for p in prod.of_type(POOL)
    }
    assert shapes == {
        "ml-gcp-prod-gke-system": ("e2-standard-4", None, False),
        "ml-gcp-prod-gke-h100": ("a3-highgpu-8g", "nvidia-h100-80gb", False),
        "ml-gcp-prod-gke-a100": ("a2-highgpu-8g", "nvidia-tesla-a100", False),
    }


def test_sharing_mig_and_zones(plan_config: PlanConfig) -> None:
    plan = plan_config(
        {
            **BASE,
            "gpuPools": [
                {
                    "name": "ts",
                    "gpu": "L4",
                    "sharing": {"mode": "time-slicing", "replicas": 4},
                    "zones": ["europe-west4-a"],
                },
                {
                    "name": "mig",
                    "gpu": "A100-40GB",
                    "sharing": {"mode": "mig", "migProfile": "1g.5gb"},
                },
            ],
        }
    )
    shared = one(plan, POOL, "-gke-ts")
    assert shared.inputs["nodeLocations"] == ["europe-west4-a"]
    assert shared.inputs["nodeConfig"]["guestAccelerators"][0]["gpuSharingConfig"] == {
        "gpuSharingStrategy": "TIME_SHARING",
        "maxSharedClientsPerGpu": 4,
    }
    mig = one(plan, POOL, "-gke-mig").inputs["nodeConfig"]["guestAccelerators"][0]
    assert mig["gpuPartitionSize"] == "1g.5gb"
    assert "nodeLocations" not in one(plan, POOL, "-gke-mig").inputs
    assert not [r for r in plan.resources if r.type == "kubernetes:helm.sh/v3:Release"]


def test_network_ranges_and_nat(dev: Plan) -> None:
    subnet = one(dev, "gcp:compute/subnetwork:Subnetwork")
    assert subnet.inputs["ipCidrRange"] == "10.0.0.0/18"
    assert subnet.inputs["secondaryIpRanges"] == [
        {"rangeName": "pods", "ipCidrRange": "10.0.128.0/17"},
        {"rangeName": "services", "ipCidrRange": "10.0.64.0/18"},
    ]
    assert subnet.inputs["privateIpGoogleAccess"] is True
    nat = one(dev, "gcp:compute/routerNat:RouterNat")
    assert nat.inputs["sourceSubnetworkIpRangesToNat"] == "ALL_SUBNETWORKS_ALL_IP_RANGES"
    assert one(dev, "gcp:compute/network:Network").inputs["autoCreateSubnetworks"] is False


def test_public_endpoint_lists_authorized_networks(plan_config: PlanConfig) -> None:
    plan = plan_config(
        {
            **BASE,
            "cluster": {
                "endpointAccess": "public",
                "publicAccessCidrs": ["198.51.100.0/24"],
                "managedPrometheus": True,
                "releaseChannel": "stable",
            },
        }
    )
    inputs = one(plan, CLUSTER).inputs
    assert inputs["privateClusterConfig"]["enablePrivateEndpoint"] is False
    assert inputs["masterAuthorizedNetworksConfig"]["cidrBlocks"] == [
        {"cidrBlock": "10.0.0.0/16", "displayName": "allowed-0"},
        {"cidrBlock": "198.51.100.0/24", "displayName": "allowed-1"},
    ]
    assert inputs["monitoringConfig"]["managedPrometheus"] == {"enabled": True}
    assert inputs["releaseChannel"] == {"channel": "STABLE"}


def test_team_workload_identity_and_scoped_grants(dev: Plan) -> None:
    account = one(dev, "kubernetes:core/v1:ServiceAccount", "-research-workload-sa")
    binding = one(dev, "gcp:serviceaccount/iAMMember:IAMMember", "-team-research-wi-user")
    email = "ml-gcp-dev-team-research@my-ml-platform-dev.iam.gserviceaccount.com"
    assert account.inputs["metadata"]["annotations"] == {"iam.gke.io/gcp-service-account": email}
    assert binding.inputs["role"] == "roles/iam.workloadIdentityUser"
    assert binding.inputs["member"] == (
        "serviceAccount:my-ml-platform-dev.svc.id.goog[research/ml-workload]"
    )
    assert depends_on(binding, one(dev, CLUSTER))
    bucket_grant = one(
        dev, "gcp:storage/bucketIAMMember:BucketIAMMember", "-team-research-artifacts-rw"
    )
    assert bucket_grant.inputs == {
        "bucket": dev.outputs["artifactUri"].removeprefix("gs://"),
        "role": "roles/storage.objectUser",
        "member": f"serviceAccount:{email}",
    }
    pull = one(dev, "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember")
    assert (pull.inputs["repository"], pull.inputs["role"]) == (
        "ml-gcp-dev-registry",
        "roles/artifactregistry.reader",
    )


def test_kubeconfig_is_secret_and_provider_waits_for_pools(dev: Plan) -> None:
    provider = one(dev, "pulumi:providers:kubernetes")
    assert provider.inputs["kubeconfig"] == "[secret]"
    for pool in dev.of_type(POOL):
        assert depends_on(provider, pool)
    assert dev.outputs["kubeconfig"] == "[secret]"


def test_system_pool_starts_with_nodes(dev: Plan) -> None:
    assert one(dev, POOL, "-gke-system").inputs["initialNodeCount"] == 1


def test_cluster_logs_go_to_their_own_bucket_with_the_configured_retention(
    plan_config: PlanConfig,
) -> None:
    plan = plan_config({**BASE, "cluster": {"logRetentionDays": 90}})
    cluster = one(plan, "gcp:container/cluster:Cluster")
    name = physical_name(cluster.name)
    bucket = one(plan, "gcp:logging/projectBucketConfig:ProjectBucketConfig")
    assert bucket.inputs == {
        "project": "team-ml-dev",
        "location": "europe-west4",
        "bucketId": f"{name}-logs",
        "retentionDays": 90,
        "description": "mlplatform: GKE cluster logs",
    }
    cluster_logs = (
        f'resource.labels.cluster_name="{name}" AND resource.labels.location="europe-west4"'
        ' AND NOT logName:"cloudaudit.googleapis.com"'
    )
    sink = one(plan, "gcp:logging/projectSink:ProjectSink")
    assert (sink.inputs["destination"], sink.inputs["filter"]) == (
        f"logging.googleapis.com/projects/team-ml-dev/locations/europe-west4/buckets/{name}-logs",
        cluster_logs,
    )
    # Not stored twice: the _Default sink leaves them out.
    exclusion = one(plan, "gcp:logging/projectExclusion:ProjectExclusion")
    assert exclusion.inputs["filter"] == cluster_logs
    assert depends_on(sink, bucket)
