"""GKE GPU cluster: private nodes, Workload Identity, shielded nodes with secure boot, secrets
encrypted with Cloud KMS, a release channel, Dataplane V2 network policy, a least-privilege
node service account, a system pool and one autoscaling pool per GPU pool.

GKE installs the NVIDIA driver (gpu_driver_installation_config) and runs the
device plugin itself, and its cluster autoscaler scales pools from zero.
"""

import json
from collections.abc import Mapping, Sequence
from typing import Required, TypedDict

import pulumi
import pulumi_kubernetes as k8s
from pulumi_gcp import container, kms, logging, organizations, projects, serviceaccount

from mlplatform import catalog, defaults
from mlplatform.component_args import check_args
from mlplatform.contracts import GpuPoolArgs, child, pool_labels
from mlplatform.gcp.identity import GcpWorkloadIdentity
from mlplatform.naming import account_id

RELEASE_CHANNELS = {"rapid": "RAPID", "regular": "REGULAR", "stable": "STABLE"}
NODE_ROLES = ["roles/container.defaultNodeServiceAccount", "roles/artifactregistry.reader"]
"""Least privilege for nodes (GKE hardening guide): logs, metrics, image pulls."""
KEY_ROTATION = "7776000s"
"""Rotate the secrets key every 90 days."""
SHARING_STRATEGIES = {"time-slicing": "TIME_SHARING", "mps": "MPS"}
SYSTEM_DISK_GB = 50
OAUTH_SCOPES = ["https://www.googleapis.com/auth/cloud-platform"]


class GkeGpuClusterArgs(TypedDict, total=False):
    """Args of `GkeGpuCluster`."""

    kubernetes_version: Required[str]
    """Kubernetes minor version, e.g. "1.36"."""
    gpu_pools: Sequence[GpuPoolArgs]
    """GPU node pools. Default: none."""
    public_endpoint: bool
    """Expose the API server publicly (to `public_access_cidrs` only). Default: private."""
    public_access_cidrs: Sequence[str]
    """CIDRs allowed to a public endpoint. Default: none."""
    private_access_cidrs: Sequence[str]
    """CIDRs inside the network allowed to the private endpoint (runners, VPN, bastion).
    Default: none beyond the nodes."""
    system_instance_type: str
    """Machine type of the system pool. Default: e2-standard-4."""
    system_min_nodes: int
    """System pool lower bound. Default: 2."""
    system_max_nodes: int
    """System pool upper bound. Default: 4."""
    release_channel: str
    """rapid, regular or stable: how the control plane and nodes are upgraded. Default:
    regular."""
    log_retention_days: int
    """Days cluster logs in their own bucket are kept. Default: 30."""
    tags: Mapping[str, str]
    """Labels on every labelled child. Default: none."""
    protect: bool
    """Protect the cluster from deletion. Default: protected."""
    project: Required[str]
    """GCP project id."""
    region: Required[str]
    """Region of the (regional) cluster."""
    network: Required[pulumi.Input[str]]
    """VPC network id or name."""
    subnetwork: Required[pulumi.Input[str]]
    """Subnetwork id or name for the nodes."""
    pods_range_name: Required[str]
    """Secondary range of the subnetwork for pods."""
    services_range_name: Required[str]
    """Secondary range of the subnetwork for services."""
    managed_prometheus: bool
    """Managed Service for Prometheus collection. Default: off."""


def kubeconfig(name: str, endpoint: str, ca: str) -> str:
    """A kubeconfig that authenticates with gke-gcloud-auth-plugin (no static credentials)."""
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "current-context": name,
            "clusters": [
                {
                    "name": name,
                    "cluster": {"server": f"https://{endpoint}", "certificate-authority-data": ca},
                }
            ],
            "contexts": [{"name": name, "context": {"cluster": name, "user": name}}],
            "users": [
                {
                    "name": name,
                    "user": {
                        "exec": {
                            "apiVersion": "client.authentication.k8s.io/v1beta1",
                            "command": "gke-gcloud-auth-plugin",
                            "provideClusterInfo": True,
                        }
                    },
                }
            ],
        }
    )


class GkeGpuCluster(pulumi.ComponentResource):
    """A production regional GKE cluster with GPU node pools resolved by the GPU catalog."""

    cluster_name: pulumi.Output[str]
    """Cluster name."""
    kubeconfig: pulumi.Output[str]
    """Kubeconfig (secret) using gke-gcloud-auth-plugin."""
    node_service_account: pulumi.Output[str]
    """Email of the nodes' dedicated service account."""
    workload_pool: pulumi.Output[str]
    """The cluster's Workload Identity pool (`<project>.svc.id.goog`), for
    `GcpWorkloadIdentity.workload_pool`: an output of the cluster, so a binding waits for it."""
    needs_device_plugin: bool
    """Always False: GKE runs the NVIDIA device plugin on GPU nodes itself."""

    def __init__(
        self, name: str, args: GkeGpuClusterArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, GkeGpuClusterArgs, args)
        gpu_pools = args.get("gpu_pools", [])
        shapes = catalog.resolve_pools("gcp", gpu_pools)
        super().__init__("mlplatform:index:GkeGpuCluster", name, None, opts)
        self._name, self._project, self._region = name, args["project"], args["region"]
        protect = args.get("protect", True)
        labels = dict(args.get("tags", {}))

        nodes_sa = serviceaccount.Account(
            f"{name}-nodes",
            project=self._project,
            account_id=account_id(f"{name}-nodes"),
            display_name="mlplatform GKE nodes (least privilege)",
            opts=child(self),
        )
        grants = [
            projects.IAMMember(
                f"{name}-nodes-{role.split('/')[-1]}",
                project=self._project,
                role=role,
                member=nodes_sa.member,
                opts=child(self),
            )
            for role in NODE_ROLES
        ]
        key = self._secrets_key(protect)

        public = args.get("public_endpoint", False)
        self.cluster = container.Cluster(
            f"{name}-cluster",
            project=self._project,
            location=self._region,
            min_master_version=args["kubernetes_version"],
            release_channel={
                "channel": RELEASE_CHANNELS[args.get("release_channel", defaults.RELEASE_CHANNEL)]
            },
            remove_default_node_pool=True,
            initial_node_count=1,
            node_config=_node_config(nodes_sa.email, "e2-small", SYSTEM_DISK_GB, labels),
            network=args["network"],
            subnetwork=args["subnetwork"],
            networking_mode="VPC_NATIVE",
            ip_allocation_policy={
                "cluster_secondary_range_name": args["pods_range_name"],
                "services_secondary_range_name": args["services_range_name"],
            },
            private_cluster_config={
                "enable_private_nodes": True,
                "enable_private_endpoint": not public,
            },
            master_authorized_networks_config={
                "gcp_public_cidrs_access_enabled": False,
                "cidr_blocks": [
                    {"cidr_block": c, "display_name": f"allowed-{i}"}
                    for i, c in enumerate(
                        [
                            *args.get("private_access_cidrs", []),
                            *args.get("public_access_cidrs", []),
                        ]
                    )
                ],
            },
            workload_identity_config={"workload_pool": f"{self._project}.svc.id.goog"},
            database_encryption={"state": "ENCRYPTED", "key_name": key.id},
            enable_shielded_nodes=True,
            datapath_provider="ADVANCED_DATAPATH",
            monitoring_config={
                "enable_components": ["SYSTEM_COMPONENTS"],
                "managed_prometheus": {"enabled": args.get("managed_prometheus", False)},
            },
            logging_config={"enable_components": ["SYSTEM_COMPONENTS", "WORKLOADS"]},
            deletion_protection=protect,
            resource_labels=labels,
            # node_config only shapes the short-lived default pool (so it never runs as the
            # default compute SA); afterwards GKE reports another pool's config here.
            opts=child(
                self,
                protect=protect,
                depends_on=[*grants, *self._key_grants],
                ignore_changes=["nodeConfig"],
            ),
        )
        system = container.NodePool(
            f"{name}-{defaults.SYSTEM_POOL_NAME}",
            project=self._project,
            location=self._region,
            cluster=self.cluster.name,
            # Without it the pool starts empty: the autoscaler only adds nodes for pending pods.
            initial_node_count=1,
            autoscaling={
                "total_min_node_count": args.get("system_min_nodes", defaults.SYSTEM_MIN_NODES),
                "total_max_node_count": args.get("system_max_nodes", defaults.SYSTEM_MAX_NODES),
                "location_policy": "BALANCED",
            },
            management={"auto_repair": True, "auto_upgrade": True},
            node_config=_node_config(
                nodes_sa.email,
                args.get("system_instance_type", defaults.SYSTEM_INSTANCE_TYPES["gcp"]),
                SYSTEM_DISK_GB,
                {**labels, defaults.POOL_LABEL: "system"},
            ),
            opts=child(self, ignore_changes=["initialNodeCount"]),
        )
        pools = [
            self._gpu_pool(pool, resolved, nodes_sa.email, labels)
            for pool, resolved in zip(gpu_pools, shapes, strict=True)
        ]
        self._log_bucket(args.get("log_retention_days", defaults.LOG_RETENTION_DAYS))

        self.needs_device_plugin = False
        self.cluster_name = self.cluster.name
        self.node_service_account = nodes_sa.email
        self.kubeconfig = pulumi.Output.secret(
            pulumi.Output.all(
                self.cluster.name,
                self.cluster.endpoint,
                self.cluster.master_auth.apply(lambda a: a.cluster_ca_certificate or ""),
            ).apply(lambda v: kubeconfig(v[0], v[1], v[2]))
        )
        self._kubernetes_provider = k8s.Provider(
            f"{name}-k8s",
            kubeconfig=self.kubeconfig,
            enable_server_side_apply=True,
            opts=child(self, depends_on=[system, *pools]),
        )
        self.workload_pool = self.cluster.workload_identity_config.apply(
            lambda c: (c.workload_pool if c else None) or f"{self._project}.svc.id.goog"
        )
        self.register_outputs(
            {
                "cluster_name": self.cluster_name,
                "kubeconfig": self.kubeconfig,
                "node_service_account": self.node_service_account,
                "workload_pool": self.workload_pool,
            }
        )

    @property
    def provider(self) -> k8s.Provider:
        """Kubernetes provider that waits for the system and GPU pools.
        Python only: in other languages, make one from `kubeconfig`."""
        return self._kubernetes_provider

    def workload_identity(
        self,
        name: str,
        namespace: str,
        service_account: str,
        parent: pulumi.Resource | None = None,
        aliases: Sequence[pulumi.Alias] = (),
    ) -> GcpWorkloadIdentity:
        """A Google service account only `namespace/service_account` can act as, known before
        by `aliases`."""
        return GcpWorkloadIdentity(
            name,
            {
                "project": self._project,
                "workload_pool": self.workload_pool,
                "namespace": namespace,
                "service_account": service_account,
            },
            pulumi.ResourceOptions(parent=parent or self, aliases=list(aliases)),
        )

    def _log_bucket(self, retention_days: int) -> None:
        """The cluster's logs (system components and workloads) in their own log bucket in the
        region, kept `retention_days`, and left out of the project's _Default bucket; the
        project's other logs keep their settings. Audit logs stay in _Required. Like the
        other clouds' log groups it is not protected: a deleted bucket is recoverable for 7
        days."""
        bucket = logging.ProjectBucketConfig(
            f"{self._name}-logs",
            project=self._project,
            location=self._region,
            bucket_id=pulumi.Output.concat(self.cluster.name, "-logs"),
            retention_days=retention_days,
            description="mlplatform: GKE cluster logs",
            opts=child(self),
        )
        cluster_logs = pulumi.Output.concat(
            'resource.labels.cluster_name="',
            self.cluster.name,
            f'" AND resource.labels.location="{self._region}"'
            # Data Access audit logs keep the project's own routing.
            ' AND NOT logName:"cloudaudit.googleapis.com"',
        )
        logging.ProjectSink(
            f"{self._name}-logs",
            project=self._project,
            destination=pulumi.Output.concat("logging.googleapis.com/", bucket.name),
            filter=cluster_logs,
            description="mlplatform: the GKE cluster's logs to its own bucket",
            unique_writer_identity=True,
            opts=child(self),
        )
        logging.ProjectExclusion(
            f"{self._name}-logs",
            project=self._project,
            filter=cluster_logs,
            description="mlplatform: the GKE cluster's logs are kept in their own bucket",
            opts=child(self),
        )

    def _secrets_key(self, protect: bool) -> kms.CryptoKey:
        """Cloud KMS key for application-layer secrets encryption, usable by the GKE agent."""
        ring = kms.KeyRing(
            f"{self._name}-keyring",
            project=self._project,
            location=self._region,
            opts=child(self, protect=protect),
        )
        key = kms.CryptoKey(
            f"{self._name}-secrets-key",
            key_ring=ring.id,
            rotation_period=KEY_ROTATION,
            purpose="ENCRYPT_DECRYPT",
            opts=child(self, protect=protect),
        )
        number = organizations.get_project_output(
            project_id=self._project, opts=pulumi.InvokeOutputOptions(parent=self)
        ).number
        self._key_grants = [
            kms.CryptoKeyIAMMember(
                f"{self._name}-secrets-key-gke",
                crypto_key_id=key.id,
                role="roles/cloudkms.cryptoKeyEncrypterDecrypter",
                member=number.apply(
                    lambda n: (
                        f"serviceAccount:service-{n}@container-engine-robot.iam.gserviceaccount.com"
                    )
                ),
                opts=child(self),
            )
        ]
        return key

    def _gpu_pool(
        self,
        pool: GpuPoolArgs,
        resolved: catalog.ResolvedGpu,
        sa_email: pulumi.Input[str],
        labels: dict[str, str],
    ) -> container.NodePool:
        accelerator: container.NodePoolNodeConfigGuestAcceleratorArgsDict = {
            "type": resolved.accelerator or "",
            "count": resolved.offering.gpus_per_node,
            "gpu_driver_installation_config": {"gpu_driver_version": "LATEST"},
        }
        mode = pool.get("sharing_mode", defaults.GPU_SHARING_MODE)
        if mode in SHARING_STRATEGIES:
            accelerator["gpu_sharing_config"] = {
                "gpu_sharing_strategy": SHARING_STRATEGIES[mode],
                "max_shared_clients_per_gpu": pool.get(
                    "sharing_replicas", defaults.GPU_SHARING_REPLICAS
                ),
            }
        if mode == "mig":
            accelerator["gpu_partition_size"] = pool.get("mig_profile") or ""
        config = _node_config(
            sa_email,
            resolved.instance_type,
            pool.get("disk_size_gb", defaults.GPU_DISK_GB),
            {**labels, **pool_labels(pool)},
            resolved.image.name,
        )
        config["guest_accelerators"] = [accelerator]
        config["spot"] = pool.get("spot", False)
        taint = defaults.GPU_TAINT
        config["taints"] = [{"key": taint["key"], "value": taint["value"], "effect": "NO_SCHEDULE"}]
        zones = list(pool.get("zones", []))
        return container.NodePool(
            f"{self._name}-{pool['name']}",
            project=self._project,
            location=self._region,
            cluster=self.cluster.name,
            node_locations=zones or None,
            autoscaling={
                "total_min_node_count": pool.get("min_nodes", defaults.GPU_POOL_MIN_NODES),
                "total_max_node_count": pool.get("max_nodes", defaults.GPU_POOL_MAX_NODES),
                "location_policy": "ANY",
            },
            management={"auto_repair": True, "auto_upgrade": True},
            node_config=config,
            opts=child(self),
        )


def _node_config(
    sa_email: pulumi.Input[str],
    machine_type: str,
    disk_gb: int,
    labels: dict[str, str],
    image: str = "COS_CONTAINERD",
) -> container.NodePoolNodeConfigArgsDict:
    return {
        "machine_type": machine_type,
        "image_type": image,
        "disk_type": "pd-balanced",
        "disk_size_gb": disk_gb,
        "service_account": sa_email,
        "oauth_scopes": OAUTH_SCOPES,
        "workload_metadata_config": {"mode": "GKE_METADATA"},
        "shielded_instance_config": {
            "enable_secure_boot": True,
            "enable_integrity_monitoring": True,
        },
        "labels": labels,
        "resource_labels": {k: v for k, v in labels.items() if "/" not in k and "." not in k},
    }
