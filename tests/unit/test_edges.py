"""Every dependency edge the platform relies on, asserted directly on every shipped stack from
one table (`EDGES`): why the edge matters, which resources wait (the dependent), for what (the
prerequisite), on which stacks.

How the offline engine captures an edge: `PlannedResource.dependencies` is the
`RegisterResource` request's `dependencies` as the Pulumi SDK sends it (engine/capture.py), the
union of the resource's `depends_on` and of the resources behind the Outputs among its inputs
(its property dependencies). The SDK expands a dependency on a local ComponentResource before it
sends the request (pulumi/runtime/rpc.py `_add_dependency`): the component is replaced by its
custom resources, through nested components, never by the children of a custom resource, and
never by the component itself. So a plan's `dependencies` name custom resources only
(`test_dependencies_name_custom_resources_only`), `depends_on=[component]` reads as an edge to
each of its custom resources, and a component's own `depends_on` is recorded on the component
but not on its children (`test_a_dependency_on_a_component_is_one_on_its_custom_resources`).
Every row therefore names custom resources on both sides and asserts direct edges.

Each row applies to the stacks it lists: there it must match at least one dependent and one
prerequisite (a row that matches nothing fails), and every dependent must depend on every
prerequisite, or, for a row with `pair`, on each prerequisite it pairs with (each team's
objects on that team's namespace). On the other shipped stacks its dependents must not exist,
so a stack that gains them must be added to the row.

What is not a `dependencies` edge: a Kubernetes object waits for its provider (and so for the
node pools the provider waits for) through its `provider` reference, asserted by
`test_kubernetes_objects_are_served_by_the_clusters_provider`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from itertools import pairwise
from typing import Any

import pulumi
import pulumi_random as random
import pytest

from mlplatform.engine import Plan, PlannedResource, run_program
from tests.conftest import SHIPPED_STACKS
from tests.helpers import depends_on

Where = Callable[[PlannedResource, Plan], bool]
"""A further test on a selected resource, which may look at the rest of its plan."""
Pair = Callable[[PlannedResource, PlannedResource], bool]
"""Whether a dependent (first) must wait for a prerequisite (second)."""


@dataclass(frozen=True)
class Select:
    """The resources of a plan whose Pulumi type and logical name match one of `kinds`
    (fnmatch patterns: `kubernetes:kueue.x-k8s.io/*`, `*-eks-k8s`) and `where` when given."""

    kinds: tuple[tuple[str, str], ...]
    where: Where | None = None

    def __call__(self, plan: Plan) -> list[PlannedResource]:
        return [
            r
            for r in plan.resources
            if any(fnmatchcase(r.type, t) and fnmatchcase(r.name, n) for t, n in self.kinds)
            and (self.where is None or self.where(r, plan))
        ]

    def __or__(self, other: Select) -> Select:
        assert self.where is None and other.where is None, "a union of plain selectors only"
        return Select(self.kinds + other.kinds)


def of(type_: str, *names: str, where: Where | None = None) -> Select:
    """Resources of `type_` (a pattern) named like any of `names` (default: any name)."""
    return Select(tuple((type_, name) for name in names or ("*",)), where)


@dataclass(frozen=True)
class Edge:
    """One required edge: every `dependent` waits for every `prerequisite` (or for the ones it
    pairs with) on each of `stacks`."""

    name: str
    why: str
    dependent: Select
    prerequisite: Select
    stacks: frozenset[str]
    pair: Pair | None = field(default=None)


def chain(name: str, why: str, stacks: frozenset[str], *links: Select) -> list[Edge]:
    """A sequence that must run one step at a time: each link waits for the one before."""
    return [
        Edge(f"{name}-{i}", why, after, before, stacks)
        for i, (before, after) in enumerate(pairwise(links), start=1)
    ]


AWS = frozenset({"aws-dev", "aws-prod"})
AZURE = frozenset({"azure-dev", "azure-prod"})
GCP = frozenset({"gcp-dev", "gcp-prod"})
CLOUDS = AWS | AZURE | GCP
ALL = CLOUDS | {"local"}
SERVING = frozenset({"aws-prod", "azure-prod", "gcp-prod"})
"""The stacks that serve models with KServe."""
LOCAL = frozenset({"local"})

K8S = "kubernetes:"
PROVIDER = "pulumi:providers:kubernetes"
NAMESPACE = "kubernetes:core/v1:Namespace"
RELEASE = "kubernetes:helm.sh/v3:Release"
SERVICE = "kubernetes:core/v1:Service"
MONITORING_KINDS = "kubernetes:monitoring.coreos.com/*"
KUEUE_KINDS = "kubernetes:kueue.x-k8s.io/*"
KSERVE_KINDS = "kubernetes:serving.kserve.io/*"
S3 = "aws:s3/"
FLEXIBLE = "azure-native:dbforpostgresql:"
TEAM_NAMESPACES = of(NAMESPACE, "*-team-*-namespace")


def namespace_of(r: PlannedResource) -> str | None:
    """The namespace a Kubernetes object (or Helm release) is created in; None if cluster-wide."""
    metadata: dict[str, Any] = r.inputs.get("metadata") or {}
    return metadata.get("namespace") or r.inputs.get("namespace")


def names_of(namespaces: list[PlannedResource]) -> set[str]:
    return {n.inputs["metadata"]["name"] for n in namespaces}


def in_team_namespace(r: PlannedResource, plan: Plan) -> bool:
    return r.type.startswith(K8S) and namespace_of(r) in names_of(TEAM_NAMESPACES(plan))


def in_platform_namespace(r: PlannedResource, plan: Plan) -> bool:
    """In a namespace the stack creates for the platform itself (not a team's)."""
    platform = names_of(of(NAMESPACE)(plan)) - names_of(TEAM_NAMESPACES(plan))
    return r.type.startswith(K8S) and namespace_of(r) in platform


def lives_in(dependent: PlannedResource, namespace: PlannedResource) -> bool:
    return namespace_of(dependent) == namespace.inputs["metadata"]["name"]


def queue_of(local_queue: PlannedResource, cluster_queue: PlannedResource) -> bool:
    return local_queue.inputs["spec"]["clusterQueue"] == cluster_queue.inputs["metadata"]["name"]


def runtime_of(service: PlannedResource, runtime: PlannedResource) -> bool:
    model = service.inputs["spec"]["predictor"]["model"]
    return (
        namespace_of(service) == namespace_of(runtime)
        and model["runtime"] == runtime.inputs["metadata"]["name"]
    )


EDGES: list[Edge] = [
    # Clusters: nothing is applied to a cluster before its workers (and access) exist.
    Edge(
        "provider-waits-for-node-pools",
        "The Kubernetes provider waits for every node pool, system and GPU, so nothing is "
        "applied to a cluster without workers",
        of(PROVIDER, "*-eks-k8s", "*-aks-k8s", "*-gke-k8s"),
        of("aws:eks/nodeGroup:NodeGroup")
        | of("azure-native:containerservice:AgentPool")
        | of("gcp:container/nodePool:NodePool"),
        CLOUDS,
    ),
    Edge(
        "aks-provider-waits-for-system-pool",
        "AKS's system pool is part of the ManagedCluster: the provider waits for it",
        of(PROVIDER, "*-aks-k8s"),
        of("azure-native:containerservice:ManagedCluster"),
        AZURE,
    ),
    Edge(
        "aks-provider-waits-for-deployer-role",
        "Local accounts are off and Azure RBAC is on: the provider waits for the deployer's "
        "cluster-admin role, or it cannot apply anything",
        of(PROVIDER, "*-aks-k8s"),
        of("azure-native:authorization:RoleAssignment", "*-aks-deployer-admin"),
        AZURE,
    ),
    Edge(
        "eks-cluster-waits-for-role-and-logs",
        "The EKS cluster waits for its role with its policy attachment, and for its "
        "control-plane log group (EKS would create it with no expiry)",
        of("aws:eks/cluster:Cluster"),
        of("aws:iam/role:Role", "*-eks-cluster-role")
        | of("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "*-eks-cluster-role-*")
        | of("aws:cloudwatch/logGroup:LogGroup", "*-eks-control-plane-logs"),
        AWS,
    ),
    Edge(
        "eks-nodes-wait-for-networking-and-role",
        "EKS node groups join the cluster only with vpc-cni and kube-proxy running and the "
        "node role's policies attached",
        of("aws:eks/nodeGroup:NodeGroup"),
        of("aws:eks/addon:Addon", "*-eks-vpc-cni", "*-eks-kube-proxy")
        | of("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "*-eks-node-role-*"),
        AWS,
    ),
    Edge(
        "eks-cni-waits-for-its-identity",
        "vpc-cni assigns pod IPs on its IRSA role: it waits for the role and its policy",
        of("aws:eks/addon:Addon", "*-eks-vpc-cni"),
        of("aws:iam/role:Role", "*-eks-cni-role")
        | of("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "*-eks-cni-*"),
        AWS,
    ),
    Edge(
        "eks-late-addons-wait-for-system-nodes",
        "Add-ons whose pods need nodes (CoreDNS, EBS CSI, CloudWatch) wait for the system group",
        of(
            "aws:eks/addon:Addon",
            "*-eks-coredns",
            "*-eks-aws-ebs-csi-driver",
            "*-eks-amazon-cloudwatch-observability",
        ),
        of("aws:eks/nodeGroup:NodeGroup", "*-eks-system"),
        AWS,
    ),
    Edge(
        "eks-storage-class-waits-for-ebs-csi",
        "The default gp3 StorageClass waits for the EBS CSI driver that provisions it",
        of("kubernetes:storage.k8s.io/v1:StorageClass", "*-eks-gp3"),
        of("aws:eks/addon:Addon", "*-eks-aws-ebs-csi-driver"),
        AWS,
    ),
    Edge(
        "gke-cluster-waits-for-grants",
        "The GKE cluster waits for its nodes' project roles and for GKE's grant on the "
        "secrets key (envelope encryption fails without it)",
        of("gcp:container/cluster:Cluster"),
        of("gcp:projects/iAMMember:IAMMember", "*-gke-nodes-*")
        | of("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "*-gke-secrets-key-gke"),
        GCP,
    ),
    # Networks.
    Edge(
        "aws-nat-waits-for-internet-gateway",
        "A NAT gateway needs the VPC's internet gateway attached",
        of("aws:ec2/natGateway:NatGateway"),
        of("aws:ec2/internetGateway:InternetGateway"),
        AWS,
    ),
    Edge(
        "aws-flow-log-waits-for-write-policy",
        "The VPC flow log's role must be allowed to write before the flow log delivers",
        of("aws:ec2/flowLog:FlowLog"),
        of("aws:iam/rolePolicy:RolePolicy", "*-network-flow-logs-write"),
        AWS,
    ),
    *chain(
        "azure-subnets-one-at-a-time",
        "One subnet write at a time per VNet (AnotherOperationInProgress otherwise)",
        AZURE,
        of("azure-native:network:Subnet", "*-network-nodes"),
        of("azure-native:network:Subnet", "*-network-endpoints"),
        of("azure-native:network:Subnet", "*-mlflow-db-subnet"),
    ),
    Edge(
        "azure-flow-logs-lifecycle-waits-for-blob-service",
        "The flow logs' lifecycle policy waits for the account's blob service",
        of("azure-native:storage:ManagementPolicy", "*-network-flow-logs-lifecycle"),
        of("azure-native:storage:BlobServiceProperties", "*-network-flow-logs-blobs"),
        AZURE,
    ),
    Edge(
        "azure-flow-log-waits-for-writer-and-lifecycle",
        "The VNet flow log writes with its identity's Storage Blob Data Contributor role, and "
        "only after the retention policy is in place",
        of("azure-native:network:FlowLog"),
        of("azure-native:authorization:RoleAssignment", "*-network-flow-logs-writer")
        | of("azure-native:storage:ManagementPolicy", "*-network-flow-logs-lifecycle"),
        AZURE,
    ),
    # Databases wait for their network.
    Edge(
        "rds-waits-for-its-network",
        "The RDS instance waits for its subnet group and security group",
        of("aws:rds/instance:Instance"),
        of("aws:rds/subnetGroup:SubnetGroup", "*-mlflow-db-subnets")
        | of("aws:ec2/securityGroup:SecurityGroup", "*-mlflow-db-sg"),
        AWS,
    ),
    Edge(
        "rds-subnet-group-waits-for-private-subnets",
        "The database's subnet group is made of the private subnets",
        of("aws:rds/subnetGroup:SubnetGroup", "*-mlflow-db-subnets"),
        of("aws:ec2/subnet:Subnet", "*-network-private-*"),
        AWS,
    ),
    Edge(
        "flexible-server-waits-for-its-network",
        "A VNet-integrated Flexible Server needs its delegated subnet and a private DNS zone "
        "linked to the VNet before it is created",
        of(f"{FLEXIBLE}Server"),
        of("azure-native:network:Subnet", "*-mlflow-db-subnet")
        | of("azure-native:privatedns:PrivateZone", "*-mlflow-db-dns")
        | of("azure-native:privatedns:VirtualNetworkLink", "*-mlflow-db-dns-link"),
        AZURE,
    ),
    Edge(
        "cloud-sql-waits-for-peering",
        "A private-IP Cloud SQL instance needs the private services access peering",
        of("gcp:sql/databaseInstance:DatabaseInstance"),
        of("gcp:servicenetworking/connection:Connection", "*-mlflow-db-peering"),
        GCP,
    ),
    Edge(
        "peering-waits-for-its-range",
        "The peering allocates the reserved range",
        of("gcp:servicenetworking/connection:Connection", "*-mlflow-db-peering"),
        of("gcp:compute/globalAddress:GlobalAddress", "*-mlflow-db-range"),
        GCP,
    ),
    *chain(
        "flexible-server-one-operation-at-a-time",
        "A Flexible Server takes one operation at a time (ServerIsBusy otherwise)",
        AZURE,
        of(f"{FLEXIBLE}Configuration", "*-mlflow-db-require-tls"),
        of(f"{FLEXIBLE}Database", "*-mlflow-db-database"),
        of(f"{FLEXIBLE}Configuration", "*-mlflow-db-log-connections"),
        of(f"{FLEXIBLE}Configuration", "*-mlflow-db-log-disconnections"),
        of(f"{FLEXIBLE}Configuration", "*-mlflow-db-preload-pgaudit"),
        of(f"{FLEXIBLE}Configuration", "*-mlflow-db-pgaudit-log"),
        of(f"{FLEXIBLE}Configuration", "*-mlflow-db-pgaudit-log-parameter"),
    ),
    # Artifact stores.
    *chain(
        "s3-settings-one-at-a-time",
        "S3 rejects concurrent configuration writes to one bucket (409 OperationAborted)",
        AWS,
        of(f"{S3}bucketPublicAccessBlock:BucketPublicAccessBlock", "*-artifacts-*"),
        of(f"{S3}bucketOwnershipControls:BucketOwnershipControls", "*-artifacts-*"),
        of(f"{S3}bucketPolicy:BucketPolicy", "*-artifacts-tls-only"),
        of(f"{S3}bucketVersioning:BucketVersioning", "*-artifacts-*"),
        of(
            f"{S3}bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "*-artifacts-*",
        ),
        of(f"{S3}bucketLifecycleConfiguration:BucketLifecycleConfiguration", "*-artifacts-*"),
    ),
    Edge(
        "blob-container-and-lifecycle-wait-for-blob-service",
        "The artifact container and its lifecycle policy wait for the blob service settings "
        "(versioning, soft delete)",
        of("azure-native:storage:BlobContainer", "*-artifacts-container")
        | of("azure-native:storage:ManagementPolicy", "*-artifacts-lifecycle"),
        of("azure-native:storage:BlobServiceProperties", "*-artifacts-blob-service"),
        AZURE,
    ),
    # MLflow: the server starts on a migrated database.
    Edge(
        "mlflow-credentials-wait-for-the-database",
        "MLflow's credentials Secret holds the database URI: it is written once the database "
        "exists (in-cluster: once its Service exists, which waits for PostgreSQL)",
        of("kubernetes:core/v1:Secret", "*-mlflow-credentials"),
        of("aws:rds/instance:Instance", "*-mlflow-db-instance")
        | of(f"{FLEXIBLE}Server", "*-mlflow-db-server")
        | of(f"{FLEXIBLE}Database", "*-mlflow-db-database")
        | of("gcp:sql/databaseInstance:DatabaseInstance", "*-mlflow-db-instance")
        | of("gcp:sql/database:Database", "*-mlflow-db-database")
        | of("gcp:sql/user:User", "*-mlflow-db-user")
        | of(SERVICE, "*-postgres-service"),
        ALL,
    ),
    Edge(
        "in-cluster-postgres-service-waits-for-postgres",
        "The in-cluster database's Service (its URI) waits for the StatefulSet to be ready, so "
        "MLflow's migration never starts against a database that is not up",
        of(SERVICE, "*-postgres-service"),
        of("kubernetes:apps/v1:StatefulSet", "*-postgres-statefulset"),
        LOCAL,
    ),
    Edge(
        "mlflow-migration-waits-for-credentials",
        "The migration Job reads the database URI from the credentials Secret",
        of("kubernetes:batch/v1:Job", "*-mlflow-migrate"),
        of("kubernetes:core/v1:Secret", "*-mlflow-credentials"),
        ALL,
    ),
    Edge(
        "mlflow-waits-for-its-migration",
        "MLflow's Deployment rolls out on a migrated schema only",
        of("kubernetes:apps/v1:Deployment", "*-mlflow-deployment"),
        of("kubernetes:batch/v1:Job", "*-mlflow-migrate"),
        ALL,
    ),
    Edge(
        "registry-url-waits-for-the-registry",
        "The in-cluster registry's Service (its URL) waits for the registry to run",
        of(SERVICE, "*-registry-service"),
        of("kubernetes:apps/v1:Deployment", "*-registry-deployment"),
        LOCAL,
    ),
    # Operators: their objects wait for the release that installs their CRDs.
    Edge(
        "monitors-and-rules-wait-for-prometheus-crds",
        "Every ServiceMonitor, PodMonitor and PrometheusRule waits for kube-prometheus-stack, "
        "which installs the monitoring.coreos.com CRDs on every target (managed Prometheus too)",
        of(MONITORING_KINDS),
        of(RELEASE, "*-monitoring-prometheus"),
        ALL,
    ),
    Edge(
        "kueue-monitor-waits-for-kueue",
        "Kueue's ServiceMonitor selects the Service the Kueue chart installs",
        of("kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "*-queues-metrics"),
        of(RELEASE, "*-queues-release"),
        ALL,
    ),
    Edge(
        "kueue-objects-wait-for-kueue",
        "Every Kueue object waits for the Kueue release, which installs the CRDs",
        of(KUEUE_KINDS),
        of(RELEASE, "*-queues-release"),
        ALL,
    ),
    Edge(
        "local-queue-waits-for-its-cluster-queue",
        "Each team's LocalQueue waits for the ClusterQueue it points at",
        of("kubernetes:kueue.x-k8s.io/*:LocalQueue"),
        of("kubernetes:kueue.x-k8s.io/*:ClusterQueue"),
        ALL,
        pair=queue_of,
    ),
    Edge(
        "kserve-objects-wait-for-kserve",
        "Every KServe object (ServingRuntime, InferenceService, ClusterStorageContainer) waits "
        "for kserve-resources: its webhooks validate them",
        of(KSERVE_KINDS),
        of(RELEASE, "*-serving-release"),
        SERVING,
    ),
    Edge(
        "kserve-waits-for-crds-and-cert-manager",
        "kserve-resources waits for kserve-crd and for cert-manager, which issues its webhook "
        "certificate",
        of(RELEASE, "*-serving-release"),
        of(RELEASE, "*-serving-crds", "*-serving-cert-manager"),
        SERVING,
    ),
    Edge(
        "inference-service-waits-for-its-runtime",
        "Each InferenceService waits for the ServingRuntime it names",
        of("kubernetes:serving.kserve.io/*:InferenceService"),
        of("kubernetes:serving.kserve.io/*:ServingRuntime"),
        SERVING,
        pair=runtime_of,
    ),
    # Namespaces.
    Edge(
        "team-objects-wait-for-team-namespace",
        "Every object in a team's namespace waits for that namespace",
        of(f"{K8S}*", where=in_team_namespace),
        TEAM_NAMESPACES,
        ALL,
        pair=lives_in,
    ),
    Edge(
        "platform-objects-wait-for-their-namespace",
        "Every object (and Helm release) in a namespace the platform creates waits for it",
        of(f"{K8S}*", where=in_platform_namespace),
        of(NAMESPACE),
        ALL,
        pair=lives_in,
    ),
]


def cases(applies: bool) -> list[Any]:
    """(edge, stack) for every shipped stack the edge applies to, or does not."""
    return [
        pytest.param(edge, stack, id=f"{edge.name}-{stack}")
        for edge in EDGES
        for stack in SHIPPED_STACKS
        if (stack in edge.stacks) == applies
    ]


@pytest.mark.parametrize(("edge", "stack"), cases(applies=True))
def test_edge_holds(edge: Edge, stack: str, shipped_plans: dict[str, Plan]) -> None:
    plan = shipped_plans[stack]
    dependents, prerequisites = edge.dependent(plan), edge.prerequisite(plan)
    assert dependents, f"{edge.name}: no dependent on {stack}"
    assert prerequisites, f"{edge.name}: no prerequisite on {stack}"
    pairs = edge.pair or (lambda _d, _p: True)
    unpaired = [d.name for d in dependents if not any(pairs(d, p) for p in prerequisites)]
    missing = [
        f"{d.name} -> {p.name}"
        for d in dependents
        for p in prerequisites
        if pairs(d, p) and not depends_on(d, p)
    ]
    assert unpaired == [], f"{edge.why}; no prerequisite pairs with {unpaired}"
    assert missing == [], f"{edge.why}; missing {missing}"


@pytest.mark.parametrize(("edge", "stack"), cases(applies=False))
def test_edge_has_no_dependent_elsewhere(
    edge: Edge, stack: str, shipped_plans: dict[str, Plan]
) -> None:
    assert [r.name for r in edge.dependent(shipped_plans[stack])] == []


def test_the_table_names_each_edge_once_for_shipped_stacks() -> None:
    names = [edge.name for edge in EDGES]
    assert len(names) == len(set(names))
    assert all(edge.stacks <= set(SHIPPED_STACKS) for edge in EDGES)
    assert set(SHIPPED_STACKS) == ALL


@pytest.mark.parametrize("stack", SHIPPED_STACKS)
def test_dependencies_name_custom_resources_only(
    stack: str, shipped_plans: dict[str, Plan]
) -> None:
    plan = shipped_plans[stack]
    custom = {r.urn for r in plan.resources if r.custom}
    named = {urn for r in plan.resources for urn in r.dependencies}
    assert named - custom == set()


def test_a_dependency_on_a_component_is_one_on_its_custom_resources() -> None:
    def program() -> None:
        group = pulumi.ComponentResource("test:index:Group", "group")
        inner = pulumi.ComponentResource("test:index:Inner", "inner", None, child_of(group))
        first = random.RandomString("first", length=8, opts=child_of(group))
        random.RandomString("second", length=8, opts=child_of(inner))
        random.RandomString("grandchild", length=8, opts=child_of(first))
        after = pulumi.ComponentResource(
            "test:index:After", "after", None, pulumi.ResourceOptions(depends_on=[group])
        )
        random.RandomString("under-after", length=8, opts=child_of(after))
        random.RandomString("waits", length=8, opts=pulumi.ResourceOptions(depends_on=[group]))

    plan = run_program(program, project="p", stack="s")
    name_of = {r.urn: r.name for r in plan.resources}
    edges = {r.name: [name_of[u] for u in r.dependencies] for r in plan.resources}
    assert edges["waits"] == ["first", "second"]
    assert edges["after"] == ["first", "second"]
    assert edges["under-after"] == []


def child_of(parent: pulumi.Resource) -> pulumi.ResourceOptions:
    return pulumi.ResourceOptions(parent=parent)


@pytest.mark.parametrize("stack", SHIPPED_STACKS)
def test_kubernetes_objects_are_served_by_the_clusters_provider(
    stack: str, shipped_plans: dict[str, Plan]
) -> None:
    plan = shipped_plans[stack]
    [provider] = [r for r in plan.of_type(PROVIDER) if not r.name.startswith("default")]
    objects = [r for r in plan.resources if r.type.startswith(K8S)]
    assert objects
    assert {r.provider for r in objects} == {provider.urn}
