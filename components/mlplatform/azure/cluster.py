"""AKS GPU cluster: Entra ID RBAC with local accounts off, OIDC issuer + Workload Identity,
private API server (or authorized IP ranges), auto-upgrade channel, Azure CNI overlay with
Cilium network policy, Container Insights to a Log Analytics workspace, a system pool and one
autoscaling user pool per GPU pool (spot with eviction policy Delete when asked).

AKS installs the NVIDIA driver on GPU pools (gpuProfile driver Install); the device plugin
comes from the platform's GPU enablement. AKS's own cluster autoscaler scales pools from zero.
"""

import base64
import json
from collections.abc import Mapping, Sequence
from typing import Required, TypedDict

import pulumi
import pulumi_kubernetes as k8s
import yaml
from pulumi_azure_native import containerservice, monitor, operationalinsights

from mlplatform import catalog, defaults
from mlplatform.azure.identity import AzureWorkloadIdentity, assign_role, client_config
from mlplatform.component_args import check_args
from mlplatform.contracts import GpuPoolArgs, child, pool_labels
from mlplatform.naming import aks_pool_name
from mlplatform.network_layout import AKS_DNS_SERVICE_IP, AKS_POD_CIDR, AKS_SERVICE_CIDR

UPGRADE_CHANNELS = {"rapid": "rapid", "regular": "stable", "stable": "patch"}
"""spec release channel -> AKS auto-upgrade channel (stable = latest patch of N-1 minor,
patch = stay on the minor)."""
AKS_AAD_SERVER_APP = "6dae42f8-4368-4678-94ff-3960e28e3630"
"""The Azure Kubernetes Service AAD Server application, the audience of AKS tokens."""
MIG_PROFILES = {"1g": "MIG1g", "2g": "MIG2g", "3g": "MIG3g", "4g": "MIG4g", "7g": "MIG7g"}
SYSTEM_POOL = defaults.SYSTEM_POOL_NAME
INSIGHTS_STREAM = "Microsoft-ContainerInsights-Group-Default"
CONTROL_PLANE_LOGS = (
    "kube-apiserver",
    "kube-audit-admin",
    "kube-controller-manager",
    "kube-scheduler",
    "cluster-autoscaler",
    "guard",
)
"""AKS resource log categories kept (kube-audit-admin: the audit log without get/list,
Microsoft's cost advice)."""
SPOT_TAINT = "kubernetes.azure.com/scalesetpriority=spot:NoSchedule"
ENCRYPTION_AT_HOST = True
"""Every node pool encrypts its temp disk, OS and data disk caches and ephemeral OS disk on the
VM host (AKS: enable-host-encryption). The subscription must have the
Microsoft.Compute/EncryptionAtHost feature registered (see the README)."""
OS_DISK_GB_SYSTEM = 64


class AksGpuClusterArgs(TypedDict, total=False):
    """Args of `AksGpuCluster`."""

    kubernetes_version: Required[str]
    """Kubernetes minor version, e.g. "1.36"."""
    gpu_pools: Sequence[GpuPoolArgs]
    """GPU node pools. Default: none."""
    public_endpoint: bool
    """Expose the API server publicly (to `public_access_cidrs` only). Default: private."""
    public_access_cidrs: Sequence[str]
    """CIDRs allowed to a public endpoint. Default: none."""
    system_instance_type: str
    """VM size of the system pool. Default: Standard_D4ds_v5."""
    system_min_nodes: int
    """System pool lower bound. Default: 2."""
    system_max_nodes: int
    """System pool upper bound. Default: 4."""
    release_channel: str
    """rapid, regular or stable: how the control plane and nodes are upgraded. Default:
    regular."""
    admins: Sequence[str]
    """Entra group object ids given cluster admin. Default: none."""
    log_retention_days: int
    """Days control-plane and container logs are kept. Default: 30."""
    tags: Mapping[str, str]
    """Tags on every taggable child. Default: none."""
    protect: bool
    """Protect the cluster from deletion. Default: protected."""
    resource_group_name: Required[pulumi.Input[str]]
    """Resource group of the cluster."""
    location: Required[str]
    """Azure region."""
    node_subnet_id: Required[pulumi.Input[str]]
    """Subnet for all node pools."""
    standard_tier: bool
    """Standard tier (uptime SLA) instead of Free. Default: Free."""
    deployer_principal_type: str
    """User or ServicePrincipal: the principal running `pulumi up`, given AKS RBAC Cluster
    Admin so it can apply to the cluster. Default: User."""


def kubeconfig(admin_kubeconfig_b64: str) -> str:
    """Rewrite the cluster's user kubeconfig to authenticate through `kubelogin` with the Azure
    CLI's login (Entra ID; local accounts are disabled)."""
    config = yaml.safe_load(base64.b64decode(admin_kubeconfig_b64))
    for user in config.get("users", []):
        user["user"] = {
            "exec": {
                "apiVersion": "client.authentication.k8s.io/v1beta1",
                "command": "kubelogin",
                "args": ["get-token", "--login", "azurecli", "--server-id", AKS_AAD_SERVER_APP],
            }
        }
    return json.dumps(config)


class AksGpuCluster(pulumi.ComponentResource):
    """A production AKS cluster with GPU user pools resolved by the GPU catalog."""

    cluster_name: pulumi.Output[str]
    """AKS cluster name."""
    oidc_issuer_url: pulumi.Output[str]
    """OIDC issuer URL for workload identity federation."""
    kubelet_object_id: pulumi.Output[str]
    """Object id of the kubelet identity (give it AcrPull on the registry)."""
    kubeconfig: pulumi.Output[str]
    """Kubeconfig (secret) using kubelogin with the Azure CLI."""
    log_workspace_id: pulumi.Output[str]
    """The Log Analytics workspace the cluster's logs go to: where other platform resources
    send theirs (the MLflow database's server logs)."""
    needs_device_plugin: bool
    """True when there are GPU pools: AKS installs drivers but not the device plugin."""

    def __init__(
        self, name: str, args: AksGpuClusterArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, AksGpuClusterArgs, args)
        gpu_pools = args.get("gpu_pools", [])
        shapes = catalog.resolve_pools("azure", gpu_pools)
        super().__init__("mlplatform:index:AksGpuCluster", name, None, opts)
        self._name, self._rg, self._location = name, args["resource_group_name"], args["location"]
        self._tags = dict(args.get("tags", {}))
        self._log_retention_days = args.get("log_retention_days", defaults.LOG_RETENTION_DAYS)
        protect = args.get("protect", True)
        public = args.get("public_endpoint", False)
        workspace = operationalinsights.Workspace(
            f"{name}-logs",
            resource_group_name=self._rg,
            location=self._location,
            sku={"name": "PerGB2018"},
            retention_in_days=self._log_retention_days,
            tags=self._tags,
            opts=child(self),
        )
        aad_profile: containerservice.ManagedClusterAADProfileArgsDict = {
            "managed": True,
            "enable_azure_rbac": True,
        }
        if args.get("admins"):
            aad_profile["admin_group_object_ids"] = list(args.get("admins", []))
        self.cluster = containerservice.ManagedCluster(
            f"{name}-cluster",
            resource_group_name=self._rg,
            location=self._location,
            dns_prefix=name,
            kubernetes_version=args["kubernetes_version"],
            identity={"type": containerservice.ResourceIdentityType.SYSTEM_ASSIGNED},
            sku={
                "name": "Base",
                "tier": "Standard" if args.get("standard_tier", False) else "Free",
            },
            enable_rbac=True,
            disable_local_accounts=True,
            aad_profile=aad_profile,
            oidc_issuer_profile={"enabled": True},
            security_profile={
                "workload_identity": {"enabled": True},
                "image_cleaner": {"enabled": True, "interval_hours": 168},
            },
            api_server_access_profile=(
                {
                    "enable_private_cluster": False,
                    "authorized_ip_ranges": list(args.get("public_access_cidrs", [])),
                }
                if public
                else {"enable_private_cluster": True}
            ),
            auto_upgrade_profile={
                "upgrade_channel": UPGRADE_CHANNELS[
                    args.get("release_channel", defaults.RELEASE_CHANNEL)
                ],
                "node_os_upgrade_channel": "NodeImage",
            },
            network_profile={
                "network_plugin": "azure",
                "network_plugin_mode": "overlay",
                "network_dataplane": "cilium",
                "network_policy": "cilium",
                "outbound_type": "loadBalancer",
                "pod_cidr": AKS_POD_CIDR,
                "service_cidr": AKS_SERVICE_CIDR,
                "dns_service_ip": AKS_DNS_SERVICE_IP,
            },
            addon_profiles={
                "omsagent": {
                    "enabled": True,
                    "config": {
                        "logAnalyticsWorkspaceResourceID": workspace.id,
                        "useAADAuth": "true",
                    },
                }
            },
            agent_pool_profiles=[
                {
                    "name": SYSTEM_POOL,
                    "mode": "System",
                    "vm_size": args.get(
                        "system_instance_type", defaults.SYSTEM_INSTANCE_TYPES["azure"]
                    ),
                    "count": args.get("system_min_nodes", defaults.SYSTEM_MIN_NODES),
                    "enable_auto_scaling": True,
                    "min_count": args.get("system_min_nodes", defaults.SYSTEM_MIN_NODES),
                    "max_count": args.get("system_max_nodes", defaults.SYSTEM_MAX_NODES),
                    "os_disk_size_gb": OS_DISK_GB_SYSTEM,
                    # Managed, not left to AKS (Ephemeral where the VM size allows): valid
                    # for every system instance type, and a disk the estimate can price.
                    "os_disk_type": "Managed",
                    "os_sku": "AzureLinux",
                    "type": "VirtualMachineScaleSets",
                    "vnet_subnet_id": args["node_subnet_id"],
                    "enable_node_public_ip": False,
                    "enable_encryption_at_host": ENCRYPTION_AT_HOST,
                    "node_labels": {defaults.POOL_LABEL: SYSTEM_POOL},
                }
            ],
            tags=self._tags,
            opts=child(
                self,
                protect=protect,
                ignore_changes=["agentPoolProfiles[0].count"],
            ),
        )
        pools = [
            self._gpu_pool(pool, resolved, args["node_subnet_id"])
            for pool, resolved in zip(gpu_pools, shapes, strict=True)
        ]
        self._container_insights(workspace)
        self._control_plane_logs(workspace)
        # The cluster identity manages load balancers in the node subnet.
        cluster_principal = self.cluster.identity.apply(
            lambda i: (i.principal_id if i else None) or ""
        )
        assign_role(
            f"{name}-subnet-network",
            "Network Contributor",
            args["node_subnet_id"],
            cluster_principal,
            self,
        )
        # Local accounts are off and Azure RBAC is on: the deploying principal needs a
        # data-plane role, or it cannot apply anything to its own cluster.
        deployer = assign_role(
            f"{name}-deployer-admin",
            "Azure Kubernetes Service RBAC Cluster Admin",
            self.cluster.id,
            client_config(self).object_id,
            self,
            principal_type=args.get("deployer_principal_type", defaults.DEPLOYER_PRINCIPAL_TYPE),
        )

        self.needs_device_plugin = bool(pools)
        self.log_workspace_id = workspace.id
        self.cluster_name = self.cluster.name
        self.oidc_issuer_url = self.cluster.oidc_issuer_profile.apply(
            lambda p: (p.issuer_url if p else None) or ""
        )
        self.kubelet_object_id = self.cluster.identity_profile.apply(
            lambda p: ((p or {}).get("kubeletidentity") or {}).get("object_id") or ""
        )
        credentials = containerservice.list_managed_cluster_user_credentials_output(
            resource_group_name=self._rg,
            resource_name=self.cluster.name,
            opts=pulumi.InvokeOutputOptions(parent=self),
        )
        self.kubeconfig = pulumi.Output.secret(
            credentials.kubeconfigs.apply(lambda k: kubeconfig(k[0].value))
        )
        self._kubernetes_provider = k8s.Provider(
            f"{name}-k8s",
            kubeconfig=self.kubeconfig,
            enable_server_side_apply=True,
            opts=child(self, depends_on=[self.cluster, deployer, *pools]),
        )
        self.register_outputs(
            {
                "cluster_name": self.cluster_name,
                "oidc_issuer_url": self.oidc_issuer_url,
                "kubeconfig": self.kubeconfig,
                "log_workspace_id": self.log_workspace_id,
            }
        )

    @property
    def provider(self) -> k8s.Provider:
        """Kubernetes provider that waits for the GPU pools.
        Python only: in other languages, make one from `kubeconfig`."""
        return self._kubernetes_provider

    def _control_plane_logs(self, workspace: operationalinsights.Workspace) -> None:
        """The control plane's API server, admin audit, scheduler, controller-manager,
        autoscaler and Entra (guard) logs into the workspace, in resource-specific tables
        (AKS keeps none of them otherwise)."""
        monitor.DiagnosticSetting(
            f"{self._name}-control-plane-logs",
            resource_uri=self.cluster.id,
            workspace_id=workspace.id,
            log_analytics_destination_type="Dedicated",
            logs=[{"category": category, "enabled": True} for category in CONTROL_PLANE_LOGS],
            opts=child(self),
        )

    def _container_insights(self, workspace: operationalinsights.Workspace) -> None:
        """The data collection rule and association that managed-identity Container Insights
        (useAADAuth) needs; `az aks enable-addons` creates them, a template must."""
        rule = monitor.DataCollectionRule(
            f"{self._name}-insights",
            resource_group_name=self._rg,
            location=self._location,
            data_sources={
                "extensions": [
                    {
                        "name": "ContainerInsightsExtension",
                        "extension_name": "ContainerInsights",
                        "streams": [INSIGHTS_STREAM],
                    }
                ]
            },
            destinations={
                "log_analytics": [{"name": "ciworkspace", "workspace_resource_id": workspace.id}]
            },
            data_flows=[{"streams": [INSIGHTS_STREAM], "destinations": ["ciworkspace"]}],
            tags=self._tags,
            opts=child(self),
        )
        monitor.DataCollectionRuleAssociation(
            f"{self._name}-insights-association",
            resource_uri=self.cluster.id,
            association_name="ContainerInsightsExtension",
            data_collection_rule_id=rule.id,
            opts=child(self),
        )

    def workload_identity(
        self,
        name: str,
        namespace: str,
        service_account: str,
        aliases: Sequence[pulumi.Alias] = (),
    ) -> AzureWorkloadIdentity:
        """A managed identity only `namespace/service_account` of this cluster can use, known
        before by `aliases`."""
        return AzureWorkloadIdentity(
            name,
            {
                "resource_group_name": self._rg,
                "location": self._location,
                "oidc_issuer_url": self.oidc_issuer_url,
                "namespace": namespace,
                "service_account": service_account,
                "tags": self._tags,
            },
            pulumi.ResourceOptions(parent=self, aliases=list(aliases)),
        )

    def _gpu_pool(
        self, pool: GpuPoolArgs, resolved: catalog.ResolvedGpu, subnet: pulumi.Input[str]
    ) -> containerservice.AgentPool:
        spot = pool.get("spot", False)
        taint = defaults.GPU_TAINT
        taints = [f"{taint['key']}={taint['value']}:{taint['effect']}"]
        if spot:  # AKS puts this taint on spot pools itself; declaring it avoids a diff.
            taints.append(SPOT_TAINT)
        mig = pool.get("mig_profile") if pool.get("sharing_mode") == "mig" else None
        zones = list(pool.get("zones", []))
        return containerservice.AgentPool(
            f"{self._name}-{pool['name']}",
            resource_group_name=self._rg,
            resource_name_=self.cluster.name,
            agent_pool_name=aks_pool_name(pool["name"]),
            mode="User",
            vm_size=resolved.instance_type,
            os_sku=resolved.image.name,
            os_disk_size_gb=pool.get("disk_size_gb", defaults.GPU_DISK_GB),
            os_disk_type="Managed",
            gpu_profile={"driver": "Install"},
            count=pool.get("min_nodes", defaults.GPU_POOL_MIN_NODES),
            enable_auto_scaling=True,
            min_count=pool.get("min_nodes", defaults.GPU_POOL_MIN_NODES),
            max_count=pool.get("max_nodes", defaults.GPU_POOL_MAX_NODES),
            node_taints=taints,
            node_labels=pool_labels(pool),
            scale_set_priority="Spot" if spot else "Regular",
            scale_set_eviction_policy="Delete" if spot else None,
            spot_max_price=-1 if spot else None,
            gpu_instance_profile=MIG_PROFILES[mig.split(".")[0]] if mig else None,
            vnet_subnet_id=subnet,
            enable_node_public_ip=False,
            enable_encryption_at_host=ENCRYPTION_AT_HOST,
            availability_zones=zones or None,
            tags=self._tags,
            opts=child(self, ignore_changes=["count"]),
        )
