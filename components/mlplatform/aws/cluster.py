"""EKS GPU cluster: private control plane, KMS-encrypted secrets, audit logs, access entries,
IRSA, pinned managed add-ons, a CPU system node group and one managed node group per GPU pool.

Uses the native pulumi_aws resources (not pulumi-eks) so every child is visible
to the offline engine and the policy pack.
"""

import json
from collections.abc import Mapping, Sequence
from typing import Required, TypedDict

import pulumi
import pulumi_kubernetes as k8s
from pulumi_aws import cloudwatch, ec2, eks, iam, vpc

from mlplatform import catalog, defaults
from mlplatform.aws.iam import (
    EKS_SERVICE,
    STS_AUDIENCE,
    AwsWorkloadIdentity,
    ServiceRole,
    partition,
    service_role,
)
from mlplatform.aws.kms import data_key
from mlplatform.catalog.eks_addons import ADDON_VERSIONS
from mlplatform.component_args import check_args
from mlplatform.contracts import GpuPoolArgs, child, pool_labels

CONTROL_PLANE_LOGS = ["api", "audit", "authenticator"]
CLOUDWATCH_AGENT_SERVICE_ACCOUNT = ("amazon-cloudwatch", "cloudwatch-agent")
"""The service account the amazon-cloudwatch-observability add-on runs its agent as."""
SYSTEM_AMI = "AL2023_x86_64_STANDARD"
NODE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly"]
"""The node role's policies. The CNI's policy is on vpc-cni's own IRSA role instead (EKS user
guide, cni-iam-role: "Configure Amazon VPC CNI plugin to use IRSA")."""
CNI_SERVICE_ACCOUNT = ("kube-system", "aws-node")
"""The service account the vpc-cni add-on's aws-node DaemonSet runs as."""
CNI_POLICY = "AmazonEKS_CNI_Policy"
CNI_CONFIGURATION = {"enableNetworkPolicy": "true"}
"""vpc-cni's configuration values: enforce Kubernetes NetworkPolicies (its network policy
agent, vpc-cni v1.14.0-eksbuild.3 and later; EKS user guide, cni-network-policy-configure,
"Enable the network policy parameter for the add-on": `{"enableNetworkPolicy": "true"}`)."""
CLUSTER_ADMIN_POLICY = "AmazonEKSClusterAdminPolicy"
"""The EKS access policy admins get, whose ARN is arn:<partition>:eks::aws:cluster-access-policy/
<name>: not fixed to `aws` (EKS user guide, access-policy-reference, writes it with its
per-partition ARN prefix; the CDK's AccessPolicyArn builds it with the stack's partition)."""
DATA_VOLUME_DEVICE = {"BOTTLEROCKET_x86_64_NVIDIA": "/dev/xvdb"}
"""Where container images live: Bottlerocket's data volume; the root volume elsewhere."""
ROOT_DEVICE = "/dev/xvda"
IMDS_HOP_LIMIT = 1
"""IMDSv2 hop limit on every node: a pod's request takes one more hop and never gets a token,
so no pod can take the node role (pods use IRSA). Host-network pods (aws-node, kube-proxy,
the CloudWatch agent and Fluent Bit of amazon-cloudwatch-observability 6.x) still reach IMDS;
add-ons that looked up their region there are given it (cluster-autoscaler's awsRegion; the
EBS CSI controller's from its IRSA role, see `EBS_CSI_SERVICE_ACCOUNT`)."""
SYSTEM_DISK_GB = 50
CA_GPU_LABEL = "k8s.amazonaws.com/accelerator"
"""The label cluster-autoscaler's AWS provider uses to treat a not-yet-ready node as a GPU node."""
EBS_CSI_SERVICE_ACCOUNT = ("kube-system", "ebs-csi-controller-sa")
"""The EBS CSI controller's service account, on its own IRSA role. That role is also how the
controller knows its region without IMDS: the pod identity webhook puts AWS_REGION and
AWS_DEFAULT_REGION, when not set, in the containers of a pod whose service account names a
role (aws/amazon-eks-pod-identity-webhook README, "AWS_DEFAULT_REGION Injection"; EKS runs it
with the flag that turns this on: that repository's issues 192 and 248), and the driver's
controller then skips metadata (kubernetes-sigs/aws-ebs-csi-driver docs/install.md,
"Metadata": "The controller Deployment can skip metadata if the region is provided via the
AWS_REGION environment variable"; cmd/main.go, v1.64.0). Hence no configuration values:
`controller.region` is a key of the Helm chart's values.schema.json (v1.64.0), but EKS checks
an add-on's values against the add-on's own, smaller schema (DescribeAddonConfiguration:
"A JSON schema that's used to validate the configuration values"), and no public copy of it
for the pinned build shows that key."""


class EksGpuClusterArgs(TypedDict, total=False):
    """Args of `EksGpuCluster`."""

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
    """EC2 instance type of the system pool. Default: m6i.large."""
    system_min_nodes: int
    """System pool lower bound. Default: 2."""
    system_max_nodes: int
    """System pool upper bound. Default: 4."""
    admins: Sequence[str]
    """IAM role or user ARNs given cluster admin through EKS access entries. Default: none."""
    log_retention_days: int
    """Days control-plane logs are kept. Default: 30."""
    tags: Mapping[str, str]
    """Tags on every taggable child. Default: none."""
    protect: bool
    """Protect the cluster from deletion. Default: protected."""
    private_subnet_ids: Required[pulumi.Input[Sequence[pulumi.Input[str]]]]
    """Private subnets (2+ AZs) for the control plane ENIs and all nodes."""
    region: Required[str]
    """AWS region, for the kubeconfig's token command."""


def kubeconfig(name: str, endpoint: str, ca: str, region: str) -> str:
    """A kubeconfig that authenticates with `aws eks get-token` (no static credentials)."""
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {"name": name, "cluster": {"server": endpoint, "certificate-authority-data": ca}}
            ],
            "contexts": [{"name": name, "context": {"cluster": name, "user": name}}],
            "current-context": name,
            "users": [
                {
                    "name": name,
                    "user": {
                        "exec": {
                            "apiVersion": "client.authentication.k8s.io/v1beta1",
                            "command": "aws",
                            "args": [
                                "eks",
                                "get-token",
                                "--cluster-name",
                                name,
                                "--region",
                                region,
                                "--output",
                                "json",
                            ],
                        }
                    },
                }
            ],
        }
    )


class EksGpuCluster(pulumi.ComponentResource):
    """A production EKS cluster with autoscaling GPU node groups resolved by the GPU catalog."""

    cluster_name: pulumi.Output[str]
    """EKS cluster name."""
    endpoint: pulumi.Output[str]
    """API server endpoint."""
    security_group_id: pulumi.Output[str]
    """The cluster security group EKS creates (nodes and control plane share it)."""
    oidc_issuer_url: pulumi.Output[str]
    """The cluster's OIDC issuer, for IRSA trust policies."""
    oidc_provider_arn: pulumi.Output[str]
    """IAM OIDC provider ARN, for IRSA trust policies."""
    kubeconfig: pulumi.Output[str]
    """Kubeconfig (secret) using `aws eks get-token`."""
    needs_device_plugin: bool
    """True when a GPU pool's image does not ship the NVIDIA device plugin."""

    def __init__(
        self, name: str, args: EksGpuClusterArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, EksGpuClusterArgs, args)
        gpu_pools = args.get("gpu_pools", [])
        shapes = list(zip(gpu_pools, catalog.resolve_pools("aws", gpu_pools), strict=True))
        super().__init__("mlplatform:index:EksGpuCluster", name, None, opts)
        self._name = name
        tags = dict(args.get("tags", {}))
        protect = args.get("protect", True)
        version = args["kubernetes_version"]
        subnets = _as_list(args["private_subnet_ids"])

        secrets_key = data_key(f"{name}-secrets", "Kubernetes secrets", self, protect, tags)
        self._partition = partition(self)
        cluster_role = service_role(
            f"{name}-cluster-role",
            EKS_SERVICE,
            ["AmazonEKSClusterPolicy"],
            self,
            tags,
            self._partition,
        )
        public = args.get("public_endpoint", False)
        vpc_config: eks.ClusterVpcConfigArgsDict = {
            "subnet_ids": subnets,
            "endpoint_private_access": True,
            "endpoint_public_access": public,
        }
        if public:
            vpc_config["public_access_cidrs"] = list(args.get("public_access_cidrs", []))
        # EKS writes control-plane logs to /aws/eks/<name>/cluster and creates that group, with
        # no expiry, unless it exists: create it first, with retention, under a fixed name.
        cluster_name = f"{name}-cluster"
        logs = cloudwatch.LogGroup(
            f"{name}-control-plane-logs",
            name=f"/aws/eks/{cluster_name}/cluster",
            retention_in_days=args.get("log_retention_days", defaults.LOG_RETENTION_DAYS),
            tags=tags,
            opts=child(self),
        )
        self.cluster = eks.Cluster(
            cluster_name,
            name=cluster_name,
            version=version,
            role_arn=cluster_role.role.arn,
            vpc_config=vpc_config,
            encryption_config={"provider": {"key_arn": secrets_key.arn}, "resources": ["secrets"]},
            enabled_cluster_log_types=CONTROL_PLANE_LOGS,
            access_config={
                "authentication_mode": "API",
                "bootstrap_cluster_creator_admin_permissions": True,
            },
            upgrade_policy={"support_type": "STANDARD"},
            deletion_protection=protect,
            tags=tags,
            opts=child(self, protect=protect, depends_on=[*cluster_role.ready, logs]),
        )
        issuer = self.cluster.identities.apply(lambda ids: (ids[0].oidcs or [])[0].issuer or "")
        oidc = iam.OpenIdConnectProvider(
            f"{name}-oidc",
            url=issuer,
            client_id_lists=[STS_AUDIENCE],
            tags=tags,
            opts=child(self),
        )
        self.oidc_issuer_url = issuer
        self.oidc_provider_arn = oidc.arn
        self._tags = tags
        self._admin_access(args.get("admins", []))
        for i, cidr in enumerate(args.get("private_access_cidrs", [])):
            vpc.SecurityGroupIngressRule(
                f"{name}-api-from-network-{i}",
                security_group_id=self.cluster.vpc_config.cluster_security_group_id,
                cidr_ipv4=cidr,
                ip_protocol="tcp",
                from_port=443,
                to_port=443,
                description="Kubernetes API from inside the network",
                opts=child(self),
            )

        node_role = service_role(
            f"{name}-node-role",
            self._partition.apply(lambda p: p.ec2_principal),
            NODE_POLICIES,
            self,
            tags,
            self._partition,
        )
        addons = self._early_addons(version)
        system = self._system_group(args, subnets, node_role, addons)
        pools = [
            self._gpu_group(pool, resolved, subnets, node_role, addons) for pool, resolved in shapes
        ]
        ebs_csi = self._late_addons(version, system)
        self._kubernetes_version, self._system = version, system

        self.needs_device_plugin = any(
            not resolved.image.provides_device_plugin for _, resolved in shapes
        )
        self.cluster_name = self.cluster.name
        self.endpoint = self.cluster.endpoint
        self.security_group_id = self.cluster.vpc_config.cluster_security_group_id.apply(
            lambda g: g or ""
        )
        self.kubeconfig = pulumi.Output.secret(
            pulumi.Output.all(
                self.cluster.name,
                self.cluster.endpoint,
                self.cluster.certificate_authority.apply(lambda c: c.data or ""),
            ).apply(lambda v: kubeconfig(v[0], v[1], v[2], args["region"]))
        )
        self._kubernetes_provider = k8s.Provider(
            f"{name}-k8s",
            kubeconfig=self.kubeconfig,
            enable_server_side_apply=True,
            opts=child(self, depends_on=[system, *pools]),
        )
        self._default_storage_class(ebs_csi)
        self.register_outputs(
            {
                "cluster_name": self.cluster_name,
                "endpoint": self.endpoint,
                "oidc_issuer_url": self.oidc_issuer_url,
                "oidc_provider_arn": self.oidc_provider_arn,
                "kubeconfig": self.kubeconfig,
            }
        )

    @property
    def provider(self) -> k8s.Provider:
        """Kubernetes provider that waits for the system and GPU node groups.
        Python only: in other languages, make one from `kubeconfig`."""
        return self._kubernetes_provider

    def workload_identity(
        self,
        name: str,
        namespace: str,
        service_account: str,
        managed_policies: Sequence[str] = (),
        parent: pulumi.Resource | None = None,
        aliases: Sequence[pulumi.Alias] = (),
    ) -> AwsWorkloadIdentity:
        """An IRSA role only `namespace/service_account` of this cluster can assume,
        parented to `parent` (default: the cluster component), known before by `aliases`."""
        return AwsWorkloadIdentity(
            name,
            {
                "oidc_provider_arn": self.oidc_provider_arn,
                "oidc_issuer_url": self.oidc_issuer_url,
                "namespace": namespace,
                "service_account": service_account,
                "managed_policies": managed_policies,
                "tags": self._tags,
            },
            pulumi.ResourceOptions(parent=parent or self, aliases=list(aliases)),
        )

    def enable_container_insights(self) -> eks.Addon:
        """The amazon-cloudwatch-observability add-on (Container Insights, classic metrics:
        the node alarms read ContainerInsights/cluster_failed_node_count), its agent on IRSA."""
        namespace, account = CLOUDWATCH_AGENT_SERVICE_ACCOUNT
        identity = self.workload_identity(
            f"{self._name}-cloudwatch", namespace, account, ["CloudWatchAgentServerPolicy"]
        )
        return self._addon(
            "amazon-cloudwatch-observability",
            self._kubernetes_version,
            [self._system],
            identity.role_arn,
        )

    def _admin_access(self, admins: Sequence[str]) -> None:
        if not admins:
            return
        policy = self._partition.apply(
            lambda p: f"arn:{p.name}:eks::aws:cluster-access-policy/{CLUSTER_ADMIN_POLICY}"
        )
        for i, principal in enumerate(admins):
            entry = eks.AccessEntry(
                f"{self._name}-admin-{i}",
                cluster_name=self.cluster.name,
                principal_arn=principal,
                type="STANDARD",
                tags=self._tags,
                opts=child(self),
            )
            eks.AccessPolicyAssociation(
                f"{self._name}-admin-{i}-policy",
                cluster_name=self.cluster.name,
                principal_arn=principal,
                policy_arn=policy,
                access_scope={"type": "cluster"},
                opts=child(self, depends_on=[entry]),
            )

    def _addon(
        self,
        addon: str,
        version: str,
        depends: Sequence[pulumi.Resource] = (),
        role_arn: pulumi.Input[str] | None = None,
        configuration: Mapping[str, object] | None = None,
    ) -> eks.Addon:
        return eks.Addon(
            f"{self._name}-{addon}",
            cluster_name=self.cluster.name,
            addon_name=addon,
            addon_version=ADDON_VERSIONS[version][addon],
            resolve_conflicts_on_create="OVERWRITE",
            resolve_conflicts_on_update="PRESERVE",
            service_account_role_arn=role_arn,
            configuration_values=json.dumps(configuration) if configuration else None,
            tags=self._tags,
            opts=child(self, depends_on=list(depends)),
        )

    def _early_addons(self, version: str) -> list[pulumi.Resource]:
        """Networking add-ons nodes need to join the cluster: vpc-cni on its own IRSA role,
        enforcing NetworkPolicies, and kube-proxy."""
        namespace, account = CNI_SERVICE_ACCOUNT
        cni = self.workload_identity(f"{self._name}-cni", namespace, account, [CNI_POLICY])
        return [
            # Waits for the whole identity (its policy attachment too): aws-node assigns pod IPs.
            self._addon("vpc-cni", version, [cni], cni.role_arn, CNI_CONFIGURATION),
            self._addon("kube-proxy", version),
        ]

    def _late_addons(self, version: str, system: eks.NodeGroup) -> pulumi.Resource:
        """Add-ons whose pods need nodes to run on; returns the EBS CSI driver."""
        self._addon("coredns", version, [system])
        namespace, account = EBS_CSI_SERVICE_ACCOUNT
        identity = self.workload_identity(
            f"{self._name}-ebs-csi", namespace, account, ["service-role/AmazonEBSCSIDriverPolicy"]
        )
        return self._addon("aws-ebs-csi-driver", version, [system], identity.role_arn)

    def _default_storage_class(self, ebs_csi: pulumi.Resource) -> None:
        """An encrypted gp3 StorageClass, the cluster default: EKS clusters from 1.30 on have
        no default class, so claims that name none (Prometheus, Grafana) would stay Pending."""
        k8s.storage.v1.StorageClass(
            f"{self._name}-gp3",
            metadata={
                "name": defaults.EKS_STORAGE_CLASS,
                "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
            },
            provisioner="ebs.csi.aws.com",
            parameters={"type": "gp3", "encrypted": "true"},
            volume_binding_mode="WaitForFirstConsumer",
            allow_volume_expansion=True,
            reclaim_policy="Delete",
            opts=child(self, provider=self.provider, depends_on=[ebs_csi]),
        )

    def _launch_template(
        self, name: str, device: str, disk_gb: int, hop_limit: int
    ) -> ec2.LaunchTemplate:
        return ec2.LaunchTemplate(
            f"{name}-lt",
            block_device_mappings=[
                {
                    "device_name": device,
                    "ebs": {
                        "volume_size": disk_gb,
                        "volume_type": "gp3",
                        "encrypted": "true",
                        "delete_on_termination": "true",
                    },
                }
            ],
            metadata_options={
                "http_endpoint": "enabled",
                "http_tokens": "required",
                "http_put_response_hop_limit": hop_limit,
            },
            tag_specifications=[
                {"resource_type": "instance", "tags": self._tags},
                {"resource_type": "volume", "tags": self._tags},
            ],
            tags=self._tags,
            opts=child(self),
        )

    def _system_group(
        self,
        args: EksGpuClusterArgs,
        subnets: pulumi.Input[Sequence[pulumi.Input[str]]],
        node_role: ServiceRole,
        addons: list[pulumi.Resource],
    ) -> eks.NodeGroup:
        name = f"{self._name}-{defaults.SYSTEM_POOL_NAME}"
        template = self._launch_template(name, ROOT_DEVICE, SYSTEM_DISK_GB, IMDS_HOP_LIMIT)
        low = args.get("system_min_nodes", defaults.SYSTEM_MIN_NODES)
        return eks.NodeGroup(
            name,
            cluster_name=self.cluster.name,
            node_role_arn=node_role.role.arn,
            subnet_ids=subnets,
            ami_type=SYSTEM_AMI,
            capacity_type="ON_DEMAND",
            instance_types=[
                args.get("system_instance_type", defaults.SYSTEM_INSTANCE_TYPES["aws"])
            ],
            scaling_config={
                "min_size": low,
                "max_size": args.get("system_max_nodes", defaults.SYSTEM_MAX_NODES),
                "desired_size": low,
            },
            launch_template={"id": template.id, "version": template.latest_version.apply(str)},
            update_config={"max_unavailable": 1},
            labels={defaults.POOL_LABEL: defaults.SYSTEM_POOL_NAME},
            tags=self._tags,
            opts=child(
                self,
                depends_on=[*addons, *node_role.attachments],
                ignore_changes=["scalingConfig.desiredSize"],
            ),
        )

    def _gpu_group(
        self,
        pool: GpuPoolArgs,
        resolved: catalog.ResolvedGpu,
        subnets: pulumi.Input[Sequence[pulumi.Input[str]]],
        node_role: ServiceRole,
        addons: list[pulumi.Resource],
    ) -> eks.NodeGroup:
        name = f"{self._name}-{pool['name']}"
        device = DATA_VOLUME_DEVICE.get(resolved.image.name, ROOT_DEVICE)
        template = self._launch_template(
            name, device, pool.get("disk_size_gb", defaults.GPU_DISK_GB), IMDS_HOP_LIMIT
        )
        low = pool.get("min_nodes", defaults.GPU_POOL_MIN_NODES)
        taint = defaults.GPU_TAINT
        return eks.NodeGroup(
            name,
            cluster_name=self.cluster.name,
            node_role_arn=node_role.role.arn,
            subnet_ids=subnets,
            ami_type=resolved.image.name,
            capacity_type="SPOT" if pool.get("spot", False) else "ON_DEMAND",
            instance_types=[resolved.instance_type],
            scaling_config={
                "min_size": low,
                "max_size": pool.get("max_nodes", defaults.GPU_POOL_MAX_NODES),
                "desired_size": low,
            },
            launch_template={"id": template.id, "version": template.latest_version.apply(str)},
            update_config={"max_unavailable": 1},
            labels={**pool_labels(pool), CA_GPU_LABEL: f"nvidia-{pool['gpu'].lower()}"},
            taints=[{"key": taint["key"], "value": taint["value"], "effect": "NO_SCHEDULE"}],
            tags={**self._tags, defaults.GPU_LABEL: pool["gpu"]},
            opts=child(
                self,
                depends_on=[*addons, *node_role.attachments],
                ignore_changes=["scalingConfig.desiredSize"],
            ),
        )


def _as_list(
    value: pulumi.Input[Sequence[pulumi.Input[str]]],
) -> pulumi.Input[Sequence[pulumi.Input[str]]]:
    """A list given in code as a list; an output (another resource's list) as it is."""
    return list(value) if isinstance(value, list | tuple) else value
