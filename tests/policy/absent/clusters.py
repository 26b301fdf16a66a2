"""Left-out cases for the rules of policies/mlplatform_policies/clusters.py."""

from __future__ import annotations

from tests.policy.absent.common import left_out
from tests.policy.cases import ADDON, AKS, DIAG, EKS, GKE, LT, NP, POOL, Case, res

PUBLIC_EKS = "aws-eks-cluster-no-public-endpoint"
PUBLIC_AKS = "azure-aks-cluster-no-public-endpoint"
PUBLIC_GKE = "gcp-gke-cluster-no-public-endpoint"
NODES = "platform-cluster-nodes-private"
EKS_KMS = "aws-eks-cluster-secrets-kms-encrypted"
GKE_KMS = "gcp-gke-cluster-secrets-kms-encrypted"
AKS_KMS = "azure-aks-cluster-secrets-kms-encrypted"
IDENTITY = "platform-cluster-workload-identity"
EKS_LOGS = "aws-eks-cluster-control-plane-logs"
AKS_LOGS = "azure-aks-cluster-control-plane-logs"
GKE_LOGS = "gcp-gke-cluster-logging"
UPGRADES = "platform-cluster-automatic-upgrades"
SHIELDED = "gcp-gke-shielded-nodes-secure-boot"
ENTRA = "azure-aks-entra-rbac-no-local-accounts"
NODE_SA = "gcp-gke-nodes-not-default-service-account"
NETWORK_POLICY = "platform-cluster-network-policy"

NODES_SA = "nodes@p.iam.gserviceaccount.com"
DEFAULT_SA = "nodes run as the Compute Engine default service account"
OFFICE = [{"cidrBlock": "203.0.113.0/24"}]
ENTRA_RBAC = {"managed": True, "enableAzureRBAC": True}
aks = res(AKS, {}, name="aks")

CASES: list[Case] = [
    left_out(
        PUBLIC_EKS,
        EKS,
        "vpcConfig.endpointPublicAccess",
        res(EKS, {"vpcConfig": {"publicAccessCidrs": ["0.0.0.0/0"]}}),
        ["the public API endpoint is open to 0.0.0.0/0"],
    ),
    left_out(
        PUBLIC_EKS,
        EKS,
        "vpcConfig.publicAccessCidrs",
        res(EKS, {"vpcConfig": {"endpointPublicAccess": True}}),
        ["the public API endpoint is on and open to 0.0.0.0/0 (no publicAccessCidrs)"],
    ),
    left_out(
        PUBLIC_AKS,
        AKS,
        "apiServerAccessProfile.enablePrivateCluster",
        res(AKS, {"apiServerAccessProfile": {"authorizedIPRanges": ["0.0.0.0/0"]}}),
        ["the API server is open to 0.0.0.0/0"],
    ),
    left_out(
        PUBLIC_AKS,
        AKS,
        "apiServerAccessProfile.authorizedIPRanges",
        res(AKS, {"apiServerAccessProfile": {"enablePrivateCluster": False}}),
        ["the API server is public with no authorizedIPRanges"],
    ),
    left_out(
        PUBLIC_GKE,
        GKE,
        "privateClusterConfig.enablePrivateEndpoint",
        res(
            GKE,
            {
                "privateClusterConfig": {"enablePrivateNodes": True},
                "masterAuthorizedNetworksConfig": {
                    "cidrBlocks": [{"cidrBlock": "0.0.0.0/0"}],
                    "gcpPublicCidrsAccessEnabled": False,
                },
            },
        ),
        ["the public endpoint is open to 0.0.0.0/0"],
    ),
    left_out(
        PUBLIC_GKE,
        GKE,
        "masterAuthorizedNetworksConfig",
        res(GKE, {"privateClusterConfig": {"enablePrivateEndpoint": False}}),
        ["the public endpoint has no master authorized networks"],
    ),
    # Safe: authorized networks on with no block listed admit no external network at all
    # (the cluster's nodes and Google's own addresses only), the strictest setting.
    left_out(
        PUBLIC_GKE,
        GKE,
        "masterAuthorizedNetworksConfig.cidrBlocks",
        res(GKE, {"masterAuthorizedNetworksConfig": {"gcpPublicCidrsAccessEnabled": False}}),
        [],
    ),
    left_out(
        PUBLIC_GKE,
        GKE,
        "masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled",
        res(GKE, {"masterAuthorizedNetworksConfig": {"cidrBlocks": OFFICE}}),
        [
            "gcpPublicCidrsAccessEnabled is not set: GKE then lets every Google Cloud address "
            "reach the endpoint"
        ],
    ),
    left_out(
        NODES,
        GKE,
        "privateClusterConfig.enablePrivateNodes",
        res(GKE, {"privateClusterConfig": {"enablePrivateEndpoint": True}}),
        ["privateClusterConfig.enablePrivateNodes is not true"],
    ),
    left_out(
        NODES,
        NP,
        "networkConfig.enablePrivateNodes",
        res(NP, {"networkConfig": {"createPodRange": False}}),
        [],
    ),
    left_out(
        NODES,
        AKS,
        "agentPoolProfiles[].enableNodePublicIP",
        res(AKS, {"agentPoolProfiles": [{"name": "system", "mode": "System"}]}),
        [],
    ),
    left_out(NODES, POOL, "enableNodePublicIP", res(POOL, {"mode": "User"}), []),
    left_out(
        NODES,
        LT,
        "networkInterfaces[].associatePublicIpAddress",
        res(LT, {"networkInterfaces": [{"deviceIndex": 0, "securityGroups": ["sg-1"]}]}),
        [
            "networkInterfaces[0] leaves associatePublicIpAddress unset: the subnet's "
            "mapPublicIpOnLaunch decides whether nodes get public IPs"
        ],
    ),
    # Stricter: EKS 1.28+ envelope-encrypts with an AWS-owned key; the rule wants a key you hold.
    left_out(
        EKS_KMS,
        EKS,
        "encryptionConfig",
        res(EKS, {}),
        ["encryptionConfig does not cover secrets", "encryptionConfig has no KMS key"],
    ),
    left_out(
        GKE_KMS,
        GKE,
        "databaseEncryption",
        res(GKE, {}),
        ["databaseEncryption.state is None, not ENCRYPTED", "no Cloud KMS key"],
    ),
    left_out(
        GKE_KMS,
        GKE,
        "databaseEncryption.keyName",
        res(GKE, {"databaseEncryption": {"state": "ENCRYPTED"}}),
        ["no Cloud KMS key"],
    ),
    left_out(
        AKS_KMS,
        AKS,
        "securityProfile.azureKeyVaultKms.enabled",
        res(AKS, {"securityProfile": {"azureKeyVaultKms": {"keyId": "https://kv/keys/k/1"}}}),
        ["secrets are encrypted with platform keys only (no Azure Key Vault KMS)"],
    ),
    # Stricter: AKS turns the issuer on by itself only for new clusters on Kubernetes 1.34+.
    left_out(
        IDENTITY,
        AKS,
        "oidcIssuerProfile.enabled",
        res(AKS, {"securityProfile": {"workloadIdentity": {"enabled": True}}}),
        ["the OIDC issuer is off"],
    ),
    left_out(
        IDENTITY,
        AKS,
        "securityProfile.workloadIdentity.enabled",
        res(AKS, {"oidcIssuerProfile": {"enabled": True}}),
        ["workload identity is off"],
    ),
    left_out(
        IDENTITY,
        GKE,
        "workloadIdentityConfig.workloadPool",
        res(GKE, {"workloadIdentityConfig": {}}),
        ["workloadIdentityConfig.workloadPool is not set"],
    ),
    # Stricter: a pool of a Workload Identity cluster may get GKE_METADATA without saying so.
    left_out(
        IDENTITY,
        NP,
        "nodeConfig.workloadMetadataConfig",
        res(NP, {"nodeConfig": {"machineType": "e2-standard-4"}}),
        ["nodeConfig.workloadMetadataConfig.mode is None, not GKE_METADATA"],
    ),
    left_out(
        EKS_LOGS,
        EKS,
        "enabledClusterLogTypes",
        res(EKS, {"vpcConfig": {"endpointPublicAccess": False}}),
        ["control-plane log types api, audit, authenticator are off"],
    ),
    left_out(
        AKS_LOGS,
        DIAG,
        "logs",
        [
            aks,
            res(
                DIAG,
                {"metrics": [{"category": "AllMetrics", "enabled": True}]},
                name="diag",
                deps={"resourceUri": [aks]},
            ),
        ],
        ["no diagnostic setting sends kube-apiserver, kube-audit-admin logs"],
    ),
    left_out(
        GKE_LOGS,
        GKE,
        "loggingService",
        res(GKE, {"loggingConfig": {"enableComponents": ["SYSTEM_COMPONENTS"]}}),
        [],
    ),
    left_out(
        GKE_LOGS,
        GKE,
        "loggingConfig",
        res(GKE, {"loggingService": "logging.googleapis.com/kubernetes"}),
        [],
    ),
    left_out(
        UPGRADES,
        AKS,
        "autoUpgradeProfile.upgradeChannel",
        res(AKS, {"autoUpgradeProfile": {"nodeOSUpgradeChannel": "NodeImage"}}),
        ["autoUpgradeProfile.upgradeChannel is none"],
    ),
    # Stricter: GKE enrols a new cluster in the Regular channel; the rule wants it stated.
    left_out(UPGRADES, GKE, "releaseChannel", res(GKE, {}), ["no release channel"]),
    left_out(
        UPGRADES,
        NP,
        "management.autoUpgrade",
        res(NP, {"management": {"autoRepair": True}}),
        [],
    ),
    left_out(SHIELDED, GKE, "enableShieldedNodes", res(GKE, {}), []),
    left_out(
        SHIELDED,
        NP,
        "nodeConfig.shieldedInstanceConfig.enableSecureBoot",
        res(NP, {"nodeConfig": {"shieldedInstanceConfig": {"enableIntegrityMonitoring": True}}}),
        ["nodeConfig.shieldedInstanceConfig.enableSecureBoot is not true"],
    ),
    left_out(
        ENTRA,
        AKS,
        "disableLocalAccounts",
        res(AKS, {"aadProfile": ENTRA_RBAC}),
        ["local accounts are enabled"],
    ),
    left_out(
        ENTRA,
        AKS,
        "aadProfile.managed",
        res(AKS, {"disableLocalAccounts": True, "aadProfile": {"enableAzureRBAC": True}}),
        ["Entra ID integration is off"],
    ),
    left_out(
        ENTRA,
        AKS,
        "aadProfile.enableAzureRBAC",
        res(AKS, {"disableLocalAccounts": True, "aadProfile": {"managed": True}}),
        ["Azure RBAC for Kubernetes is off"],
    ),
    left_out(
        NODE_SA,
        GKE,
        "nodeConfig.serviceAccount",
        res(GKE, {"nodeConfig": {"machineType": "e2-small"}}),
        [DEFAULT_SA],
    ),
    left_out(
        NODE_SA,
        NP,
        "nodeConfig.serviceAccount",
        res(NP, {"nodeConfig": {"machineType": "e2-standard-4"}}),
        [DEFAULT_SA],
    ),
    # A Standard cluster keeping its default pool: judged by that pool's account.
    left_out(
        NODE_SA, GKE, "enableAutopilot", res(GKE, {"nodeConfig": {"serviceAccount": NODES_SA}}), []
    ),
    left_out(
        NODE_SA,
        GKE,
        "removeDefaultNodePool",
        res(GKE, {"enableAutopilot": False, "nodeConfig": {"serviceAccount": NODES_SA}}),
        [],
    ),
    left_out(
        NETWORK_POLICY,
        AKS,
        "networkProfile.networkPolicy",
        res(AKS, {"networkProfile": {"networkPlugin": "azure"}}),
        ["no network policy engine"],
    ),
    left_out(
        NETWORK_POLICY,
        GKE,
        "datapathProvider",
        res(GKE, {"networkPolicy": {"enabled": False}}),
        ["no network policy enforcement (Dataplane V2 or networkPolicy)"],
    ),
    left_out(
        NETWORK_POLICY,
        GKE,
        "networkPolicy",
        res(GKE, {"datapathProvider": "LEGACY_DATAPATH"}),
        ["no network policy enforcement (Dataplane V2 or networkPolicy)"],
    ),
    left_out(
        NETWORK_POLICY,
        ADDON,
        "configurationValues",
        res(ADDON, {"addonName": "vpc-cni"}),
        ["the VPC CNI does not enforce network policies (enableNetworkPolicy)"],
    ),
]
