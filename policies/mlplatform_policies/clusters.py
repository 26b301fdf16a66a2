"""Kubernetes clusters: private API endpoints, private nodes, secrets encrypted with KMS,
workload identity, control-plane logs, automatic upgrades, GKE shielded nodes, AKS local
accounts off with Entra RBAC, GKE nodes off the default compute service account; network
policy as advice."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from mlplatform_policies.model import (
    OPEN_TO_ALL,
    Absent,
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
EKS_DOCS = "https://www.pulumi.com/registry/packages/aws/api-docs/eks/cluster/"
AKS_DOCS = "https://www.pulumi.com/registry/packages/azure-native/api-docs/containerservice/managedcluster/"
GKE_DOCS = "https://www.pulumi.com/registry/packages/gcp/api-docs/container/cluster/"
GKE_POOL_DOCS = "https://www.pulumi.com/registry/packages/gcp/api-docs/container/nodepool/"
"""Provider pages quoted for the defaults of left-out properties (pulumi-aws 7.51.1,
pulumi-azure-native 3.29.0, pulumi-gcp 10.2.0)."""


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
    if get(resource.props, "masterAuthorizedNetworksConfig") is None:
        yield "the public endpoint has no master authorized networks"
        return
    # Authorized networks on with no block listed admit no external network at all (the
    # cluster's nodes and Google's own addresses only): the strictest setting, not a gap.
    blocks = [
        get(b, "cidrBlock")
        for b in items(resource.props, "masterAuthorizedNetworksConfig.cidrBlocks")
    ]
    if opened := _open(blocks):
        yield f"the public endpoint is open to {', '.join(opened)}"
    # Authorized networks still let in "Google Compute Engine Public IPs and Google Prod IPs"
    # (GKE API MasterAuthorizedNetworksConfig) unless gcpPublicCidrsAccessEnabled is false.
    google_cloud = get(resource.props, "masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled")
    if google_cloud is True:
        yield "gcpPublicCidrsAccessEnabled lets every Google Cloud address reach the endpoint"
    elif google_cloud is None:
        yield (
            "gcpPublicCidrsAccessEnabled is not set: GKE then lets every Google Cloud address "
            "reach the endpoint"
        )


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
    else:
        yield from _launch_template_public_ips(props)


def _launch_template_public_ips(props: Any) -> Iterator[str]:
    """A listed network interface without associatePublicIpAddress leaves it to the subnet's
    mapPublicIpOnLaunch, which the template does not know: fail closed."""
    for i, interface in enumerate(items(props, "networkInterfaces")):
        public = get(interface, "associatePublicIpAddress")
        if public is None:
            yield (
                f"networkInterfaces[{i}] leaves associatePublicIpAddress unset: the subnet's "
                "mapPublicIpOnLaunch decides whether nodes get public IPs"
            )
        elif str(public).lower() == "true":
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
        absent=(
            Absent(
                EKS,
                "vpcConfig.endpointPublicAccess",
                "true: the public API endpoint is on",
                f'{EKS_DOCS} (vpcConfig.endpointPublicAccess: "Default is `true`"); '
                "https://docs.aws.amazon.com/eks/latest/APIReference/API_VpcConfigRequest.html",
                "unsafe",
            ),
            Absent(
                EKS,
                "vpcConfig.publicAccessCidrs",
                "0.0.0.0/0: the public endpoint accepts every address",
                f'{EKS_DOCS} (vpcConfig.publicAccessCidrs: "EKS defaults this to a list with '
                '`0.0.0.0/0`")',
                "unsafe",
            ),
        ),
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
        absent=(
            Absent(
                AKS,
                "apiServerAccessProfile.enablePrivateCluster",
                "not private: the API server has a public endpoint",
                f'{AKS_DOCS} (apiServerAccessProfile.enablePrivateCluster: "Whether to create the '
                'cluster as a private cluster or not", no default stated: public unless true); '
                "https://learn.microsoft.com/azure/aks/private-clusters",
                "unsafe",
            ),
            Absent(
                AKS,
                "apiServerAccessProfile.authorizedIPRanges",
                "no ranges: the public API server accepts every address",
                "https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges; tfsec "
                'azure-container-limit-authorized-ips: "Any IP can interact with the API server"',
                "unsafe",
            ),
        ),
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
        absent=(
            Absent(
                GKE,
                "privateClusterConfig.enablePrivateEndpoint",
                "false: the public endpoint stays reachable",
                f'{GKE_DOCS} (privateClusterConfig.enablePrivateEndpoint: "When `false`, either '
                'endpoint can be used")',
                "unsafe",
            ),
            Absent(
                GKE,
                "masterAuthorizedNetworksConfig",
                "authorized networks off: the public endpoint accepts every address",
                "https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks; "
                'CIS GKE 5.4.2: "By default, Control Plane Authorized Networks is disabled"',
                "unsafe",
            ),
            Absent(
                GKE,
                "masterAuthorizedNetworksConfig.cidrBlocks",
                "no external network authorized: only the cluster's nodes (and Google's own "
                "addresses while gcpPublicCidrsAccessEnabled is not false) reach the endpoint",
                f'{GKE_DOCS} (masterAuthorizedNetworksConfig: "Omit the nested `cidr_blocks` '
                "attribute to disallow external access (except the cluster node IPs, which GKE "
                'automatically whitelists)"); GKE API MasterAuthorizedNetworksConfig: "disallow '
                "all external traffic to access Kubernetes master through HTTPS except traffic "
                'from the given CIDR blocks, Google Compute Engine Public IPs and Google Prod IPs"',
                "safe",
            ),
            Absent(
                GKE,
                "masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled",
                "Google Cloud's public IPs (any Compute Engine VM) reach the endpoint besides "
                "the listed networks",
                "GKE API MasterAuthorizedNetworksConfig: authorized networks disallow external "
                '"traffic ... except traffic from the given CIDR blocks, Google Compute Engine '
                'Public IPs and Google Prod IPs" (https://cloud.google.com/kubernetes-engine/docs/'
                "reference/rest/v1/projects.locations.clusters#masterauthorizednetworksconfig); "
                "https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks",
                "unsafe",
            ),
        ),
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
        absent=(
            Absent(
                GKE,
                "privateClusterConfig.enablePrivateNodes",
                "false: nodes get external IP addresses",
                'GKE API PrivateClusterConfig.enablePrivateNodes ("Whether nodes have internal IP '
                'addresses only", an unset bool is false); googlecloudarchitect.us/gke-control-'
                'plane-and-public-ips: "By default, when you create a public cluster, GKE ... '
                'provisions public nodes"',
                "unsafe",
            ),
            Absent(
                GKE_POOL,
                "networkConfig.enablePrivateNodes",
                "the cluster's privateClusterConfig.enablePrivateNodes, which the cluster's own "
                "entry judges",
                'GKE API NodeNetworkConfig.enable_private_nodes: "If not specified, then the value '
                'is derived from cluster.privateClusterConfig.enablePrivateNodes"',
                "safe",
            ),
            Absent(
                AKS,
                "agentPoolProfiles[].enableNodePublicIP",
                "false: no public IP per node",
                f'{AKS_DOCS} (agentPoolProfiles[].enableNodePublicIP: "The default is false")',
                "safe",
            ),
            Absent(
                AKS_POOL,
                "enableNodePublicIP",
                "false: no public IP per node",
                "https://www.pulumi.com/registry/packages/azure-native/api-docs/containerservice/"
                'agentpool/ (enableNodePublicIP: "The default is false")',
                "safe",
            ),
            Absent(
                LAUNCH_TEMPLATE,
                "networkInterfaces[].associatePublicIpAddress",
                "the subnet's mapPublicIpOnLaunch decides (false for a pulumi Subnet, true in a "
                "default VPC): not guaranteed private",
                'awsdocs/amazon-eks-user-guide#1085 ("AssociatePublicIpAddress ... is determined '
                'automatically by the type of subnet"); aws/aws-cdk commit d43834d; pulumi aws '
                'ec2.Subnet mapPublicIpOnLaunch: "Default is `false`"',
                "unsafe",
            ),
        ),
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
        absent=(
            Absent(
                EKS,
                "encryptionConfig",
                "no key of yours: EKS 1.28+ envelope-encrypts with an AWS-owned key, older "
                "versions not at all; stricter: the rule wants a customer-managed KMS key",
                "https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html "
                '("default envelope encryption for all Kubernetes API data in EKS clusters '
                'running Kubernetes version 1.28 or higher", eksctl kms-encryption page)',
                "stricter",
            ),
        ),
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
        absent=(
            Absent(
                GKE,
                "databaseEncryption",
                "DECRYPTED: secrets stored in plain text at the etcd level",
                'GKE API DatabaseEncryption.State DECRYPTED: "Secrets in etcd are stored in plain '
                "text (at etcd level) - this is unrelated to Compute Engine level full disk "
                'encryption" (https://cloud.google.com/dotnet/docs/reference/Google.Cloud.'
                "Container.V1/latest/Google.Cloud.Container.V1.DatabaseEncryption.Types.State)",
                "unsafe",
            ),
            Absent(
                GKE,
                "databaseEncryption.keyName",
                "no Cloud KMS key: no application-layer encryption of secrets",
                f'{GKE_DOCS} (databaseEncryption.keyName: "the key to use to encrypt/decrypt '
                'secrets", optional)',
                "unsafe",
            ),
        ),
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
        absent=(
            Absent(
                AKS,
                "securityProfile.azureKeyVaultKms.enabled",
                "false: secrets encrypted with platform-managed keys only",
                f'{AKS_DOCS} (securityProfile.azureKeyVaultKms.enabled: "The default is false")',
                "unsafe",
            ),
        ),
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
        absent=(
            Absent(
                AKS,
                "oidcIssuerProfile.enabled",
                "off, except on new clusters of Kubernetes 1.34 or later; stricter: the rule "
                "wants it stated",
                'https://learn.microsoft.com/azure/aks/use-oidc-issuer ("enabled by default ... '
                'only for new AKS clusters created with Kubernetes version 1.34 or later")',
                "stricter",
            ),
            Absent(
                AKS,
                "securityProfile.workloadIdentity.enabled",
                "off: pods get no Entra workload identity",
                f'{AKS_DOCS} (securityProfile.workloadIdentity.enabled: "Whether to enable '
                'workload identity", opt-in); '
                "https://learn.microsoft.com/azure/aks/workload-identity-deploy-cluster",
                "unsafe",
            ),
            Absent(
                GKE,
                "workloadIdentityConfig.workloadPool",
                "Workload Identity Federation off on a Standard cluster: pods reach the node's "
                "service account",
                f'{GKE_DOCS} (workloadIdentityConfig.workloadPool: "The workload pool to attach '
                'all Kubernetes service accounts to", opt-in); '
                "https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity",
                "unsafe",
            ),
            Absent(
                GKE_POOL,
                "nodeConfig.workloadMetadataConfig",
                "GKE_METADATA on a new pool of a Workload Identity cluster, else GCE_METADATA; "
                "stricter: the rule wants it stated",
                f"not documented in pulumi_gcp docs ({GKE_POOL_DOCS}, "
                'nodeConfig.workloadMetadataConfig.mode: "Mode is the configuration for how to '
                'expose metadata to workloads running on the node"); API field has no default '
                "stated",
                "stricter",
            ),
        ),
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
        absent=(
            Absent(
                EKS,
                "enabledClusterLogTypes",
                "none: no control-plane log reaches CloudWatch",
                "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-"
                "eks-cluster-logging.html (\"By default, cluster control plane logs aren't "
                'exported to CloudWatch Logs")',
                "unsafe",
            ),
        ),
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
        absent=(
            Absent(
                DIAGNOSTIC_SETTING,
                "logs",
                "no log category is sent (metrics only, if any)",
                "https://www.pulumi.com/registry/packages/azure-native/api-docs/monitor/"
                'diagnosticsetting/ (logs: "The list of logs settings", optional; each entry\'s '
                "enabled is required)",
                "unsafe",
            ),
        ),
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
        absent=(
            Absent(
                GKE,
                "loggingService",
                "logging.googleapis.com/kubernetes: Cloud Logging on",
                f'{GKE_DOCS} (loggingService: "Defaults to `logging.googleapis.com/kubernetes`")',
                "safe",
            ),
            Absent(
                GKE,
                "loggingConfig",
                "system and workload logs collected",
                'https://cloud.google.com/kubernetes-engine/docs/concepts/about-logs ("By '
                'default, GKE collects ... System logs ... Application logs")',
                "safe",
            ),
        ),
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
        absent=(
            Absent(
                AKS,
                "autoUpgradeProfile.upgradeChannel",
                "none: no automatic upgrades",
                f"{AKS_DOCS} (autoUpgradeProfile.upgradeChannel: \"The default is 'none'\")",
                "unsafe",
            ),
            Absent(
                GKE,
                "releaseChannel",
                "a new cluster is enrolled in the Regular channel; stricter: the rule wants the "
                "channel stated",
                "https://cloud.google.com/kubernetes-engine/docs/concepts/release-channels "
                '("By default, new clusters are enrolled in the Regular release channel")',
                "stricter",
            ),
            Absent(
                GKE_POOL,
                "management.autoUpgrade",
                "true: nodes upgrade automatically",
                f'{GKE_POOL_DOCS} (management.autoUpgrade: "Enabled by default")',
                "safe",
            ),
        ),
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
        absent=(
            Absent(
                GKE,
                "enableShieldedNodes",
                "true: shielded nodes",
                f'{GKE_DOCS} (enableShieldedNodes: "Defaults to `true`")',
                "safe",
            ),
            Absent(
                GKE_POOL,
                "nodeConfig.shieldedInstanceConfig.enableSecureBoot",
                "false: nodes boot without Secure Boot",
                f"{GKE_DOCS} (nodeConfig.shieldedInstanceConfig.enableSecureBoot, the same API "
                'field as the pool\'s: "Defaults to `false`")',
                "unsafe",
            ),
        ),
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
        absent=(
            Absent(
                AKS,
                "disableLocalAccounts",
                "false: local (static credential) accounts are on",
                "https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad "
                '("When you deploy an AKS cluster, local accounts are enabled by default")',
                "unsafe",
            ),
            Absent(
                AKS,
                "aadProfile.managed",
                "off: no AKS-managed Entra ID integration",
                f'{AKS_DOCS} (aadProfile.managed: "Whether to enable managed AAD", opt-in with '
                "az aks create --enable-aad)",
                "unsafe",
            ),
            Absent(
                AKS,
                "aadProfile.enableAzureRBAC",
                "off: Kubernetes RBAC only",
                f'{AKS_DOCS} (aadProfile.enableAzureRBAC: "Whether to enable Azure RBAC for '
                'Kubernetes authorization", opt-in with --enable-azure-rbac)',
                "unsafe",
            ),
        ),
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
        absent=(
            Absent(
                GKE,
                "nodeConfig.serviceAccount",
                "the Compute Engine default service account",
                f"{GKE_DOCS} (nodeConfig.serviceAccount: \"If not specified, the 'default' "
                'service account is used")',
                "unsafe",
            ),
            Absent(
                GKE_POOL,
                "nodeConfig.serviceAccount",
                "the Compute Engine default service account",
                f"{GKE_DOCS} (nodeConfig.serviceAccount: \"If not specified, the 'default' "
                "service account is used\"; the pool's nodeConfig is the same API NodeConfig)",
                "unsafe",
            ),
            Absent(
                GKE,
                "enableAutopilot",
                "false: a Standard cluster, whose default node pool is judged by "
                "nodeConfig.serviceAccount",
                f'{GKE_DOCS} (enableAutopilot: "Defaults to `false`")',
                "safe",
            ),
            Absent(
                GKE,
                "removeDefaultNodePool",
                "false: the default node pool stays, judged by nodeConfig.serviceAccount",
                f'{GKE_DOCS} (removeDefaultNodePool: "If `true`, deletes the default node pool '
                'upon cluster creation")',
                "safe",
            ),
        ),
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
        absent=(
            Absent(
                AKS,
                "networkProfile.networkPolicy",
                "none: network policies are not enforced",
                "https://learn.microsoft.com/dotnet/api/azure.resourcemanager.containerservice."
                'models.containerservicenetworkpolicy.none ("Network policies will not be '
                'enforced. This is the default value when NetworkPolicy is not specified")',
                "unsafe",
            ),
            Absent(
                GKE,
                "datapathProvider",
                "LEGACY_DATAPATH: iptables kube-proxy, no Dataplane V2",
                f'{GKE_DOCS} (datapathProvider: "This is set to `LEGACY_DATAPATH` by default")',
                "unsafe",
            ),
            Absent(
                GKE,
                "networkPolicy",
                "the NetworkPolicy addon is off",
                f"{GKE_DOCS} (networkPolicy, optional; its enabled is required); GKE API "
                'NetworkPolicy.enabled: "Whether network policy is enabled on the cluster"',
                "unsafe",
            ),
            Absent(
                EKS_ADDON,
                "configurationValues",
                "enableNetworkPolicy false: the VPC CNI enforces no network policy",
                'https://aws.github.io/amazon-vpc-cni-k8s/docs/network-policy-faq.html ("Is '
                'Network Policy support enabled by default? No")',
                "unsafe",
            ),
        ),
    ),
)
