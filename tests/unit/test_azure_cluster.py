"""AKS GPU cluster, VNet with private endpoints, workload identity and grants on the plan."""

from __future__ import annotations

import base64
import json

import pytest

from mlplatform.azure.cluster import kubeconfig
from mlplatform.engine import Plan
from tests.conftest import PlanConfig
from tests.helpers import depends_on, one

CLUSTER = "azure-native:containerservice:ManagedCluster"
POOL = "azure-native:containerservice:AgentPool"
ROLE = "azure-native:authorization:RoleAssignment"
BASE = {"target": "azure", "environment": "dev", "region": "northeurope"}
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d"


@pytest.fixture(scope="module")
def dev(shipped_plans: dict[str, Plan]) -> Plan:
    return shipped_plans["azure-dev"]


def test_cluster_identity_rbac_and_private_api(dev: Plan) -> None:
    cluster = one(dev, CLUSTER)
    inputs = cluster.inputs
    assert inputs["disableLocalAccounts"] is True
    assert inputs["aadProfile"] == {"managed": True, "enableAzureRBAC": True}
    assert inputs["oidcIssuerProfile"] == {"enabled": True}
    assert inputs["securityProfile"]["workloadIdentity"] == {"enabled": True}
    assert inputs["apiServerAccessProfile"] == {"enablePrivateCluster": True}
    assert inputs["autoUpgradeProfile"] == {
        "upgradeChannel": "stable",
        "nodeOSUpgradeChannel": "NodeImage",
    }
    assert inputs["networkProfile"]["networkPolicy"] == "cilium"
    assert inputs["networkProfile"]["networkPluginMode"] == "overlay"
    assert inputs["kubernetesVersion"] == "1.36"
    assert inputs["sku"] == {"name": "Base", "tier": "Free"}
    assert cluster.protect is True


def test_container_insights_to_a_workspace_with_retention(dev: Plan) -> None:
    workspace = one(dev, "azure-native:operationalinsights:Workspace")
    assert workspace.inputs["retentionInDays"] == 30
    oms = one(dev, CLUSTER).inputs["addonProfiles"]["omsagent"]
    assert oms["enabled"] is True and oms["config"]["useAADAuth"] == "true"
    assert depends_on(one(dev, CLUSTER), workspace)


def test_system_pool(dev: Plan) -> None:
    [system] = one(dev, CLUSTER).inputs["agentPoolProfiles"]
    assert (system["name"], system["mode"], system["vmSize"]) == (
        "system",
        "System",
        "Standard_D4ds_v5",
    )
    assert (system["minCount"], system["maxCount"], system["enableAutoScaling"]) == (2, 4, True)
    assert system["enableNodePublicIP"] is False


def test_spot_gpu_pool_evicts_with_delete(dev: Plan) -> None:
    pool = one(dev, POOL)
    inputs = pool.inputs
    assert inputs["vmSize"] == "Standard_NC4as_T4_v3"
    assert inputs["agentPoolName"] == "t4spot" and inputs["mode"] == "User"
    assert (
        inputs["scaleSetPriority"],
        inputs["scaleSetEvictionPolicy"],
        inputs["spotMaxPrice"],
    ) == ("Spot", "Delete", -1)
    assert inputs["nodeTaints"] == [
        "nvidia.com/gpu=present:NoSchedule",
        "kubernetes.azure.com/scalesetpriority=spot:NoSchedule",
    ]
    assert (inputs["minCount"], inputs["maxCount"], inputs["enableAutoScaling"]) == (0, 2, True)
    assert inputs["gpuProfile"] == {"driver": "Install"}
    assert inputs["osDiskSizeGB"] == 200 and inputs["enableNodePublicIP"] is False
    assert inputs["nodeLabels"]["mlplatform.io/gpu"] == "T4"


def test_prod_pools_on_demand_and_standard_tier(shipped_plans: dict[str, Plan]) -> None:
    prod = shipped_plans["azure-prod"]
    pools = {p.inputs["agentPoolName"]: p.inputs for p in prod.of_type(POOL)}
    assert {k: (v["vmSize"], v["scaleSetPriority"]) for k, v in pools.items()} == {
        "h100": ("Standard_ND96isr_H100_v5", "Regular"),
        "a100": ("Standard_ND96amsr_A100_v4", "Regular"),
    }
    assert "scaleSetEvictionPolicy" not in pools["h100"]
    assert one(prod, CLUSTER).inputs["sku"] == {"name": "Base", "tier": "Standard"}


def test_device_plugin_is_installed_for_aks_gpu_pools(dev: Plan) -> None:
    release = one(dev, "kubernetes:helm.sh/v3:Release", "-gpu-release")
    assert release.inputs["chart"] == "nvidia-device-plugin"
    assert release.inputs["values"]["nodeSelector"] == {"nvidia.com/gpu.present": "true"}


def test_storage_and_registry_are_reached_through_private_endpoints(dev: Plan) -> None:
    account = one(dev, "azure-native:storage:StorageAccount", "-artifacts-account")
    registry = one(dev, "azure-native:containerregistry:Registry")
    for prefix, target, group, zone in (
        ("-blob", account, "blob", "privatelink.blob.core.windows.net"),
        ("-acr", registry, "registry", "privatelink.azurecr.io"),
    ):
        endpoint = one(dev, "azure-native:network:PrivateEndpoint", f"{prefix}-pe")
        [connection] = endpoint.inputs["privateLinkServiceConnections"]
        assert connection["groupIds"] == [group]
        assert depends_on(endpoint, target)
        assert (
            one(dev, "azure-native:privatedns:PrivateZone", f"{prefix}-dns").inputs[
                "privateZoneName"
            ]
            == zone
        )
        group_res = one(dev, "azure-native:network:PrivateDnsZoneGroup", f"{prefix}-dns-group")
        assert depends_on(group_res, endpoint)


def test_team_identity_is_federated_and_scoped(dev: Plan) -> None:
    federation = one(
        dev, "azure-native:managedidentity:FederatedIdentityCredential", "-research-federation"
    )
    assert federation.inputs["subject"] == "system:serviceaccount:research:ml-workload"
    assert federation.inputs["audiences"] == ["api://AzureADTokenExchange"]
    assert depends_on(federation, one(dev, CLUSTER))
    identity = one(dev, "azure-native:managedidentity:UserAssignedIdentity", "-research-identity")
    account = one(dev, "kubernetes:core/v1:ServiceAccount", "-research-workload-sa")
    metadata = account.inputs["metadata"]
    assert set(metadata["annotations"]) == {"azure.workload.identity/client-id"}
    assert metadata["labels"]["azure.workload.identity/use"] == "true"
    rw = one(dev, ROLE, "-team-research-artifacts-rw")
    pull = one(dev, ROLE, "-team-research-registry-pull")
    assert rw.inputs["roleDefinitionId"].endswith(STORAGE_BLOB_DATA_CONTRIBUTOR)
    assert rw.inputs["scope"].endswith(
        one(dev, "azure-native:storage:StorageAccount", "-artifacts-account").inputs["accountName"]
    )
    assert pull.inputs["roleDefinitionId"].endswith(ACR_PULL)
    for grant in (rw, pull):
        assert depends_on(grant, identity)
        assert grant.inputs["principalType"] == "ServicePrincipal"


def test_kubelet_can_pull_from_the_registry(dev: Plan) -> None:
    grant = one(dev, ROLE, "-kubelet-acr-pull")
    assert grant.inputs["roleDefinitionId"].endswith(ACR_PULL)
    assert depends_on(grant, one(dev, CLUSTER))


def test_kubeconfig_uses_kubelogin_not_local_accounts() -> None:
    source = {"users": [{"name": "u", "user": {"token": "static"}}], "clusters": []}
    converted = json.loads(kubeconfig(base64.b64encode(json.dumps(source).encode()).decode()))
    assert converted["users"][0]["user"] == {
        "exec": {
            "apiVersion": "client.authentication.k8s.io/v1beta1",
            "command": "kubelogin",
            "args": [
                "get-token",
                "--login",
                "azurecli",
                "--server-id",
                "6dae42f8-4368-4678-94ff-3960e28e3630",
            ],
        }
    }


def test_public_api_with_authorized_ranges_admins_and_mig(plan_config: PlanConfig) -> None:
    admins = ["0f0e0d0c-0b0a-0908-0706-050403020100"]
    plan = plan_config(
        {
            **BASE,
            "cluster": {
                "endpointAccess": "public",
                "publicAccessCidrs": ["203.0.113.0/24"],
                "admins": admins,
                "releaseChannel": "rapid",
            },
            "gpuPools": [
                {
                    "name": "mig",
                    "gpu": "A100-80GB",
                    "zones": ["1", "2"],
                    "sharing": {"mode": "mig", "migProfile": "3g.40gb"},
                }
            ],
        }
    )
    inputs = one(plan, CLUSTER).inputs
    assert inputs["apiServerAccessProfile"] == {
        "enablePrivateCluster": False,
        "authorizedIPRanges": ["203.0.113.0/24"],
    }
    assert inputs["aadProfile"]["adminGroupObjectIDs"] == admins
    assert inputs["autoUpgradeProfile"]["upgradeChannel"] == "rapid"
    pool = one(plan, POOL).inputs
    assert (pool["gpuInstanceProfile"], pool["availabilityZones"]) == ("MIG3g", ["1", "2"])
    assert (pool["vmSize"], pool["scaleSetPriority"]) == ("Standard_NC24ads_A100_v4", "Regular")


def test_deployer_gets_cluster_admin_before_anything_is_applied(dev: Plan) -> None:
    grant = one(dev, ROLE, "-aks-deployer-admin")
    assert grant.inputs["roleDefinitionId"].endswith("b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b")
    assert grant.inputs["principalType"] == "User"  # azure.deployerPrincipalType
    assert depends_on(one(dev, "pulumi:providers:kubernetes"), grant)


def test_cluster_identity_can_manage_the_node_subnet(dev: Plan) -> None:
    grant = one(dev, ROLE, "-aks-subnet-network")
    assert grant.inputs["roleDefinitionId"].endswith("4d97b98b-1d4f-4787-a291-c67834d212e7")
    assert grant.inputs["scope"] == one(dev, POOL).inputs["vnetSubnetID"]


def test_container_insights_has_its_data_collection_rule(dev: Plan) -> None:
    rule = one(dev, "azure-native:monitor:DataCollectionRule")
    stream = "Microsoft-ContainerInsights-Group-Default"
    assert rule.inputs["dataSources"]["extensions"] == [
        {
            "name": "ContainerInsightsExtension",
            "extensionName": "ContainerInsights",
            "streams": [stream],
        }
    ]
    assert rule.inputs["dataFlows"] == [{"streams": [stream], "destinations": ["ciworkspace"]}]
    association = one(dev, "azure-native:monitor:DataCollectionRuleAssociation")
    assert association.inputs["associationName"] == "ContainerInsightsExtension"
    assert depends_on(association, rule) and depends_on(association, one(dev, CLUSTER))


def test_control_plane_logs_go_to_the_workspace(dev: Plan) -> None:
    setting = one(dev, "azure-native:monitor:DiagnosticSetting", "-control-plane-logs")
    workspace = one(dev, "azure-native:operationalinsights:Workspace")
    assert setting.inputs["logs"] == [
        {"category": category, "enabled": True}
        for category in (
            "kube-apiserver",
            "kube-audit-admin",
            "kube-controller-manager",
            "kube-scheduler",
            "cluster-autoscaler",
            "guard",
        )
    ]
    assert setting.inputs["logAnalyticsDestinationType"] == "Dedicated"
    assert setting.property_dependencies["resourceUri"] == [one(dev, CLUSTER).urn]
    assert setting.property_dependencies["workspaceId"] == [workspace.urn]


def test_device_plugin_tolerates_spot_nodes(dev: Plan) -> None:
    values = one(dev, "kubernetes:helm.sh/v3:Release", "-gpu-release").inputs["values"]
    assert {
        "key": "kubernetes.azure.com/scalesetpriority",
        "operator": "Exists",
        "effect": "NoSchedule",
    } in values["tolerations"]


def test_ci_deployer_is_a_service_principal(plan_config: PlanConfig) -> None:
    plan = plan_config({**BASE, "azure": {"deployerPrincipalType": "ServicePrincipal"}})
    grant = one(plan, ROLE, "-aks-deployer-admin")
    assert grant.inputs["principalType"] == "ServicePrincipal"
