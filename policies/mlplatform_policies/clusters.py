"""Kubernetes clusters: private API endpoints, private nodes, secrets encrypted with KMS,
workload identity, control-plane logs, automatic upgrades, GKE shielded nodes, AKS local
accounts off with Entra RBAC, GKE nodes off the default compute service account; network
policy as advice."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from mlplatform_policies.model import (
    OPEN_TO_ALL,
    Config,
    Resource,
    Rule,
    get,
    items,
    of_type,
    violations,
)

EKS = "aws:eks/cluster:Cluster"
EKS_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
EKS_ADDON = "aws:eks/addon:Addon"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
OIDC_PROVIDER = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"
AKS = "azure-native:containerservice:ManagedCluster"
AKS_POOL = "azure-native:containerservice:AgentPool"
DIAGNOSTIC_SETTING = "azure-native:monitor:DiagnosticSetting"
GKE = "gcp:container/cluster:Cluster"
GKE_POOL = "gcp:container/nodePool:NodePool"
EKS_LOG_TYPES = ("api", "audit", "authenticator")
AKS_LOG_CATEGORIES = ("kube-apiserver", "kube-audit-admin")
DEFAULT_COMPUTE_SA = "-compute@developer.gserviceaccount.com"


def _open(cidrs: Sequence[str]) -> list[str]:
    return [c for c in cidrs if c in OPEN_TO_ALL]


def _eks_endpoint(resource: Resource, _: Config) -> Iterator[str]:
    if get(resource.props, "vpcConfig.endpointPublicAccess", True) is not True:
        return
    cidrs = items(resource.props, "vpcConfig.publicAccessCidrs")
    if not cidrs:
        yield "the public API endpoint is on and open to 0.0.0.0/0 (no publicAccessCidrs)"
    elif opened := _open(cidrs):
        yield f"the public API endpoint is open to {', '.join(opened)}"


def _aks_endpoint(resource: Resource, _: Config) -> Iterator[str]:
    if get(resource.props, "apiServerAccessProfile.enablePrivateCluster") is True:
        return
    ranges = items(resource.props, "apiServerAccessProfile.authorizedIPRanges")
    if not ranges:
        yield "the API server is public with no authorizedIPRanges"
    elif opened := _open(ranges):
        yield f"the API server is open to {', '.join(opened)}"


def _gke_endpoint(resource: Resource, _: Config) -> Iterator[str]:
    if get(resource.props, "privateClusterConfig.enablePrivateEndpoint") is True:
        return
    blocks = [
        get(b, "cidrBlock")
        for b in items(resource.props, "masterAuthorizedNetworksConfig.cidrBlocks")
    ]
    if get(resource.props, "masterAuthorizedNetworksConfig") is None or not blocks:
        yield "the public endpoint has no master authorized networks"
    elif opened := _open(blocks):
        yield f"the public endpoint is open to {', '.join(opened)}"
    if get(resource.props, "masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled") is True:
        yield "gcpPublicCidrsAccessEnabled lets every Google Cloud address reach the endpoint"


def _private_nodes(resource: Resource, _: Config) -> Iterator[str]:
    props = resource.props
    if resource.type == GKE:
        if get(props, "privateClusterConfig.enablePrivateNodes") is not True:
            yield "privateClusterConfig.enablePrivateNodes is not true"
    elif resource.type == GKE_POOL:
        if get(props, "networkConfig.enablePrivateNodes") is False:
            yield "the pool's networkConfig.enablePrivateNodes is false"
    elif resource.type == AKS:
        for pool in items(props, "agentPoolProfiles"):
            if get(pool, "enableNodePublicIP") is True:
                yield f"pool {get(pool, 'name')} gives nodes public IPs"
    elif resource.type == AKS_POOL:
        if get(props, "enableNodePublicIP") is True:
            yield "enableNodePublicIP is true"
    else:  # launch template
        for interface in items(props, "networkInterfaces"):
            if str(get(interface, "associatePublicIpAddress", "false")).lower() == "true":
                yield "the launch template associates public IP addresses"


def _eks_secrets(resource: Resource, _: Config) -> Iterator[str]:
    resources = items(resource.props, "encryptionConfig.resources")
    key = get(resource.props, "encryptionConfig.provider.keyArn")
    return violations(
        ("secrets" not in resources, "encryptionConfig does not cover secrets"),
        (key is None, "encryptionConfig has no KMS key"),
    )


def _gke_secrets(resource: Resource, _: Config) -> Iterator[str]:
    state = get(resource.props, "databaseEncryption.state")
    return violations(
        (state != "ENCRYPTED", f"databaseEncryption.state is {state!r}, not ENCRYPTED"),
        (get(resource.props, "databaseEncryption.keyName") is None, "no Cloud KMS key"),
    )


def _aks_kms(resource: Resource, _: Config) -> Iterator[str]:
    if get(resource.props, "securityProfile.azureKeyVaultKms.enabled") is not True:
        yield "secrets are encrypted with platform keys only (no Azure Key Vault KMS)"


def _workload_identity(resource: Resource, _: Config) -> Iterator[str]:
    props = resource.props
    if resource.type == AKS:
        yield from violations(
            (get(props, "oidcIssuerProfile.enabled") is not True, "the OIDC issuer is off"),
            (
                get(props, "securityProfile.workloadIdentity.enabled") is not True,
                "workload identity is off",
            ),
        )
    elif resource.type == GKE:
        if get(props, "workloadIdentityConfig.workloadPool") is None:
            yield "workloadIdentityConfig.workloadPool is not set"
    else:  # GKE node pool
        mode = get(props, "nodeConfig.workloadMetadataConfig.mode")
        if mode != "GKE_METADATA":
            yield f"nodeConfig.workloadMetadataConfig.mode is {mode!r}, not GKE_METADATA"


def _eks_workload_identity(resources: Sequence[Resource], _: Config) -> Iterator[tuple[str, str]]:
    pod_identity = any(
        get(a.props, "addonName") == "eks-pod-identity-agent" for a in of_type(resources, EKS_ADDON)
    )
    oidc = any(of_type(resources, OIDC_PROVIDER))
    for cluster in of_type(resources, EKS):
        if not (pod_identity or oidc):
            yield (
                "no IAM OIDC provider (IRSA) or EKS Pod Identity agent",
                cluster.urn,
            )


def _eks_logs(resource: Resource, _: Config) -> Iterator[str]:
    enabled = items(resource.props, "enabledClusterLogTypes")
    missing = [t for t in EKS_LOG_TYPES if t not in enabled]
    if missing:
        yield f"control-plane log types {', '.join(missing)} are off"


def _gke_logs(resource: Resource, _: Config) -> Iterator[str]:
    off = get(resource.props, "loggingService") == "none"
    if get(resource.props, "loggingConfig") is not None:  # absent: GKE's default is on
        off = off or "SYSTEM_COMPONENTS" not in items(
            resource.props, "loggingConfig.enableComponents"
        )
    if off:
        yield "Cloud Logging of system components is off"


def _aks_logs(resources: Sequence[Resource], _: Config) -> Iterator[tuple[str, str]]:
    settings = list(of_type(resources, DIAGNOSTIC_SETTING))
    for cluster in of_type(resources, AKS):
        categories = {
            get(log, "category") or get(log, "categoryGroup")
            for setting in settings
            if setting.depends_on(cluster, "resourceUri")
            for log in items(setting.props, "logs")
            if get(log, "enabled") is True
        }
        every = "allLogs" in categories
        missing = [c for c in AKS_LOG_CATEGORIES if c not in categories and not every]
        if missing:
            yield f"no diagnostic setting sends {', '.join(missing)} logs", cluster.urn


def _upgrades(resource: Resource, _: Config) -> Iterator[str]:
    props = resource.props
    if resource.type == AKS:
        channel = get(props, "autoUpgradeProfile.upgradeChannel", "none")
        if channel == "none":
            yield "autoUpgradeProfile.upgradeChannel is none"
    elif resource.type == GKE:
        channel = get(props, "releaseChannel.channel", "UNSPECIFIED")
        if channel == "UNSPECIFIED":
            yield "no release channel"
    elif get(props, "management.autoUpgrade") is False:  # GKE node pool
        yield "management.autoUpgrade is false"


def _gke_shielded(resource: Resource, _: Config) -> Iterator[str]:
    if resource.type == GKE:
        if get(resource.props, "enableShieldedNodes") is False:
            yield "enableShieldedNodes is false"
    elif get(resource.props, "nodeConfig.shieldedInstanceConfig.enableSecureBoot") is not True:
        yield "nodeConfig.shieldedInstanceConfig.enableSecureBoot is not true"


def _aks_accounts(resource: Resource, _: Config) -> Iterator[str]:
    props = resource.props
    return violations(
        (get(props, "disableLocalAccounts") is not True, "local accounts are enabled"),
        (get(props, "aadProfile.managed") is not True, "Entra ID integration is off"),
        (get(props, "aadProfile.enableAzureRBAC") is not True, "Azure RBAC for Kubernetes is off"),
    )


def _gke_node_sa(resource: Resource, _: Config) -> Iterator[str]:
    props = resource.props
    if resource.type == GKE and (
        get(props, "enableAutopilot") is True
        or (get(props, "removeDefaultNodePool") is True and get(props, "nodeConfig") is None)
    ):
        return  # no node of its own (Autopilot, or only separate node pools)
    account = get(props, "nodeConfig.serviceAccount", "default")
    if account == "default" or str(account).endswith(DEFAULT_COMPUTE_SA):
        yield "nodes run as the Compute Engine default service account"


def _network_policy(resource: Resource, _: Config) -> Iterator[str]:
    props = resource.props
    if resource.type == AKS:
        if get(props, "networkProfile.networkPolicy", "none") == "none":
            yield "no network policy engine"
    elif resource.type == GKE:
        dataplane_v2 = get(props, "datapathProvider") == "ADVANCED_DATAPATH"
        if not dataplane_v2 and get(props, "networkPolicy.enabled") is not True:
            yield "no network policy enforcement (Dataplane V2 or networkPolicy)"
    elif get(props, "addonName") == "vpc-cni" and not _cni_enforces(props):
        yield "the VPC CNI does not enforce network policies (enableNetworkPolicy)"


def _cni_enforces(props: Any) -> bool:
    values = str(get(props, "configurationValues", "")).replace(" ", "")
    return '"enableNetworkPolicy":"true"' in values


CIS_K8S = ("cis-eks", "cis-aks", "cis-gke")

RULES = (
    Rule(
        id="MLP-CLU-01",
        name="aws-eks-cluster-no-public-endpoint",
        description="The EKS API endpoint is private, or public only to listed CIDRs.",
        enforcement="mandatory",
        severity="critical",
        resource_types=(EKS,),
        anchor="CKV_AWS_38 / CKV_AWS_39",
        frameworks=("cis-eks",),
        remediation="Keep cluster.endpointAccess: private, or list publicAccessCidrs.",
        check=_eks_endpoint,
    ),
    Rule(
        id="MLP-CLU-02",
        name="azure-aks-cluster-no-public-endpoint",
        description="The AKS API server is private, or public only to listed IP ranges.",
        enforcement="mandatory",
        severity="critical",
        resource_types=(AKS,),
        anchor="CKV_AZURE_6 / CKV_AZURE_115",
        frameworks=("cis-aks",),
        remediation="Keep cluster.endpointAccess: private, or list publicAccessCidrs.",
        check=_aks_endpoint,
    ),
    Rule(
        id="MLP-CLU-03",
        name="gcp-gke-cluster-no-public-endpoint",
        description="The GKE endpoint is private, or public only to listed networks.",
        enforcement="mandatory",
        severity="critical",
        resource_types=(GKE,),
        anchor="CKV_GCP_20",
        frameworks=("cis-gke",),
        remediation="Keep cluster.endpointAccess: private, or list publicAccessCidrs.",
        check=_gke_endpoint,
    ),
    Rule(
        id="MLP-CLU-04",
        name="platform-cluster-nodes-private",
        description="Cluster nodes have no public IP addresses.",
        enforcement="mandatory",
        severity="high",
        resource_types=(GKE, GKE_POOL, AKS, AKS_POOL, LAUNCH_TEMPLATE),
        anchor="CKV_GCP_64 / CKV_AZURE_143",
        frameworks=CIS_K8S,
        remediation="Use private nodes (mlplatform's clusters do); reach out through NAT.",
        check=_private_nodes,
    ),
    Rule(
        id="MLP-CLU-05",
        name="aws-eks-cluster-secrets-kms-encrypted",
        description="EKS encrypts Kubernetes secrets with a KMS key.",
        enforcement="mandatory",
        severity="high",
        resource_types=(EKS,),
        anchor="CKV_AWS_58",
        frameworks=("cis-eks",),
        remediation="Set encryptionConfig with resources [secrets] and a KMS key.",
        check=_eks_secrets,
    ),
    Rule(
        id="MLP-CLU-06",
        name="gcp-gke-cluster-secrets-kms-encrypted",
        description="GKE encrypts Kubernetes secrets with a Cloud KMS key.",
        enforcement="mandatory",
        severity="high",
        resource_types=(GKE,),
        anchor="CIS GKE: Kubernetes Secrets encrypted with keys managed in Cloud KMS",
        frameworks=("cis-gke",),
        remediation="Set databaseEncryption ENCRYPTED with a Cloud KMS key.",
        check=_gke_secrets,
    ),
    Rule(
        id="MLP-CLU-07",
        name="azure-aks-cluster-secrets-kms-encrypted",
        description="AKS encrypts Kubernetes secrets with an Azure Key Vault key.",
        enforcement="advisory",
        severity="medium",
        resource_types=(AKS,),
        anchor="mlplatform",
        frameworks=("cis-aks",),
        remediation="Enable securityProfile.azureKeyVaultKms with a key you manage.",
        check=_aks_kms,
    ),
    Rule(
        id="MLP-CLU-08",
        name="platform-cluster-workload-identity",
        description="Pods get cloud credentials through workload identity, never node roles.",
        enforcement="mandatory",
        severity="high",
        resource_types=(AKS, GKE, GKE_POOL),
        anchor="CKV_GCP_69",
        frameworks=CIS_K8S,
        remediation="Enable the OIDC issuer and workload identity (AKS) or the workload pool "
        "and GKE_METADATA (GKE).",
        check=_workload_identity,
    ),
    Rule(
        id="MLP-CLU-09",
        name="aws-eks-cluster-workload-identity",
        description="EKS clusters have IRSA (an IAM OIDC provider) or EKS Pod Identity.",
        enforcement="mandatory",
        severity="high",
        resource_types=(EKS, OIDC_PROVIDER, EKS_ADDON),
        anchor="AWS EKS best practices: IAM roles for service accounts",
        frameworks=("cis-eks",),
        remediation="Create the cluster's IAM OIDC provider (EksGpuCluster does).",
        stack_check=_eks_workload_identity,
    ),
    Rule(
        id="MLP-CLU-10",
        name="aws-eks-cluster-control-plane-logs",
        description="EKS sends api, audit and authenticator logs to CloudWatch.",
        enforcement="mandatory",
        severity="medium",
        resource_types=(EKS,),
        anchor="CKV_AWS_37 (which also wants scheduler and controllerManager)",
        frameworks=("cis-eks",),
        remediation="Set enabledClusterLogTypes to include api, audit and authenticator.",
        check=_eks_logs,
    ),
    Rule(
        id="MLP-CLU-11",
        name="azure-aks-cluster-control-plane-logs",
        description="A diagnostic setting sends AKS API server and audit logs to Log Analytics.",
        enforcement="mandatory",
        severity="medium",
        resource_types=(AKS, DIAGNOSTIC_SETTING),
        anchor="mlplatform (related: CKV_AZURE_4)",
        frameworks=("cis-aks",),
        remediation="Add a DiagnosticSetting on the cluster with kube-apiserver and "
        "kube-audit-admin (AksGpuCluster does).",
        stack_check=_aks_logs,
    ),
    Rule(
        id="MLP-CLU-12",
        name="gcp-gke-cluster-logging",
        description="GKE sends system component logs to Cloud Logging.",
        enforcement="mandatory",
        severity="medium",
        resource_types=(GKE,),
        anchor="CKV_GCP_1",
        frameworks=("cis-gke",),
        remediation="Keep loggingConfig.enableComponents with SYSTEM_COMPONENTS.",
        check=_gke_logs,
    ),
    Rule(
        id="MLP-CLU-13",
        name="platform-cluster-automatic-upgrades",
        description="AKS has an auto-upgrade channel, GKE a release channel and auto-upgrading "
        "node pools.",
        enforcement="mandatory",
        severity="medium",
        resource_types=(AKS, GKE, GKE_POOL),
        anchor="CKV_AZURE_171 / CKV_GCP_70 / CKV_GCP_10",
        frameworks=("cis-aks", "cis-gke"),
        remediation="Set cluster.releaseChannel (mlplatform maps it to both clouds).",
        check=_upgrades,
    ),
    Rule(
        id="MLP-CLU-14",
        name="gcp-gke-shielded-nodes-secure-boot",
        description="GKE uses shielded nodes with secure boot.",
        enforcement="mandatory",
        severity="medium",
        resource_types=(GKE, GKE_POOL),
        anchor="CKV_GCP_71 / CKV_GCP_68",
        frameworks=("cis-gke",),
        remediation="Set enableShieldedNodes and shieldedInstanceConfig.enableSecureBoot.",
        check=_gke_shielded,
    ),
    Rule(
        id="MLP-CLU-15",
        name="azure-aks-entra-rbac-no-local-accounts",
        description="AKS disables local accounts and uses Entra ID with Azure RBAC.",
        enforcement="mandatory",
        severity="high",
        resource_types=(AKS,),
        anchor="CKV_AZURE_141 / CKV_AZURE_5",
        frameworks=("cis-aks",),
        remediation="Set disableLocalAccounts and aadProfile {managed, enableAzureRBAC}.",
        check=_aks_accounts,
    ),
    Rule(
        id="MLP-CLU-16",
        name="gcp-gke-nodes-not-default-service-account",
        description="GKE nodes run as a dedicated service account, not the default compute SA.",
        enforcement="mandatory",
        severity="high",
        resource_types=(GKE, GKE_POOL),
        anchor="CKV2_GCP_1",
        frameworks=("cis-gke",),
        remediation="Set nodeConfig.serviceAccount to a least-privilege account.",
        check=_gke_node_sa,
    ),
    Rule(
        id="MLP-CLU-17",
        name="platform-cluster-network-policy",
        description="The cluster enforces Kubernetes network policies.",
        enforcement="advisory",
        severity="medium",
        resource_types=(AKS, GKE, EKS_ADDON),
        anchor="CKV_GCP_12 / CKV_AZURE_7",
        frameworks=CIS_K8S,
        remediation="Use Dataplane V2 (GKE), a network policy engine (AKS) or the VPC CNI's "
        "enableNetworkPolicy (EKS).",
        check=_network_policy,
    ),
)
