"""Layer 2.1, the environment spec: preflight of the names the platform generates.

`generated_names(cfg, platform_name)` is every physical name the platform creates for a spec
and the `MlPlatform` resource's name (the program names it `ml-<stack>`): the names the
components pass, and the logical name plus the provider's auto-name suffix where the provider
names the resource (`mlplatform.catalog.limits.names.NAMED`). It is string work only: the
names' parts are the components' own (the name functions of `mlplatform.naming`, the object
names of `mlplatform.defaults`), which resources they make is written again here;
tests/unit/preflight/test_names.py plans every shipped stack and long-named ones and holds it
equal to what the components really create.

`ERRORS` judges each name against its cloud's or Kubernetes' rule (`RULES`), one issue per
driving field and rule, naming the worst name, the limit and the longest stack, pool or team
name that fits. `WARNINGS` does the same for rules no primary source confirms. Names are only
judged when the platform's name is known (`Preflight.platform_name`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

from mlplatform import catalog, defaults
from mlplatform.catalog import charts
from mlplatform.catalog.limits.names import (
    LABEL_FIELD,
    LABEL_RULE,
    NAMED,
    REGISTRY_NAME_MAX,
    RULES,
    STORAGE_ACCOUNT_MAX,
    AutoName,
    Named,
    NameRule,
    named,
)
from mlplatform.environment.errors import ConfigIssue
from mlplatform.environment.gpus import gpu_enablement_mode
from mlplatform.environment.model import GpuEnablement, PlatformConfig, Target
from mlplatform.environment.preflight.context import Check, Preflight
from mlplatform.environment.serving import needs_metrics_server
from mlplatform.naming import (
    SUFFIX_LENGTH,
    account_id,
    aks_pool_name,
    compact_prefix,
    repository_id,
)

STACK = "stack"
"""The path of a name the platform's own name drives."""
PROGRAM_PREFIX = "ml-"
"""stacks/__main__.py names the platform `ml-<stack>`."""


class Driver(NamedTuple):
    """What in the spec a generated name is made from."""

    path: str
    """The spec field (`gpuPools[0].name`), or `stack` for the platform's own name."""
    value: str


class GeneratedName(NamedTuple):
    """One physical name the platform creates. Random characters are written as x's."""

    name: str
    resource: str
    """The resource's type token."""
    field: str
    """The input that holds it (`LABEL_FIELD` for a label value)."""
    logical: str
    """The resource's Pulumi name ("" for a label value)."""
    drivers: tuple[Driver, ...]
    """The platform's name, then the spec fields the name is made from, most specific last."""
    auto: AutoName | None = None
    """How the provider named it, when it did."""

    @property
    def rule_key(self) -> str:
        """The `RULES` key of the rule it must meet."""
        return LABEL_RULE if self.field == LABEL_FIELD else named(self.resource, self.field).rule

    @property
    def rule(self) -> NameRule:
        return RULES[self.rule_key]


class _Names:
    """Collects the names of one platform, in the order the components create them."""

    def __init__(self, cfg: PlatformConfig, platform: str) -> None:
        self.cfg, self.p = cfg, platform
        self.found: list[GeneratedName] = []

    def auto(self, resource: str, logical: str, *drivers: Driver, field: str = "") -> str:
        """The name the provider gives `logical` (it leaves the name input unset)."""
        spec = named(resource, field) if field else _primary(resource)
        assert spec.auto is not None, resource
        base = logical.lower() if spec.auto.lowercase else logical
        name = base + spec.auto.suffix
        self._add(GeneratedName(name, resource, spec.field, logical, drivers, spec.auto))
        return name

    def given(
        self, resource: str, logical: str, name: str, *drivers: Driver, field: str = ""
    ) -> str:
        """A name the component passes in `field` (the type's name input by default)."""
        spec = named(resource, field) if field else _primary(resource)
        self._add(GeneratedName(name, resource, spec.field, logical, drivers))
        return name

    def label(self, resource: str, logical: str, value: str) -> None:
        """A label value the component sets on an object (`app.kubernetes.io/name`)."""
        self._add(GeneratedName(value, resource, LABEL_FIELD, logical, ()))

    def k8s(self, kind: str, logical: str, name: str, *drivers: Driver) -> str:
        """A Kubernetes object the component names."""
        return self.given(f"kubernetes:{kind}", logical, name, *drivers)

    def _add(self, found: GeneratedName) -> None:
        self.found.append(found._replace(drivers=(Driver(STACK, self.p), *found.drivers)))


def _primary(resource: str) -> Named:
    """The entry of `resource`'s own name (its first)."""
    return NAMED[resource][0]


def generated_names(cfg: PlatformConfig, platform_name: str) -> list[GeneratedName]:
    """Every physical name the platform `platform_name` creates for `cfg`."""
    names = _Names(cfg, platform_name)
    _TARGETS[cfg.target](names)
    return names.found


# --- the Kubernetes layer (every target) --------------------------------------------------


def _gpu_enablement(n: _Names, image_lacks_plugin: bool) -> None:
    """`compose/gpus.py` `enable_gpus` and `kubernetes/gpu.py` `NvidiaGpuEnablement`."""
    mode = gpu_enablement_mode(n.cfg, image_lacks_plugin)
    if mode is None:
        return
    operator = mode == GpuEnablement.GPU_OPERATOR.value
    chart = (charts.GPU_OPERATOR if operator else charts.NVIDIA_DEVICE_PLUGIN).name
    n.k8s("core/v1:Namespace", f"{n.p}-gpu-namespace", chart)
    n.given("kubernetes:helm.sh/v3:Release", f"{n.p}-gpu-release", chart)


def _teams(n: _Names) -> None:
    """`compose/teams.py` and `kubernetes/teams.py` `TeamNamespace`."""
    for i, team in enumerate(n.cfg.teams):
        at = Driver(f"teams[{i}].name", team.name)
        base = f"{n.p}-team-{team.name}"
        n.k8s("core/v1:Namespace", f"{base}-namespace", team.name, at)
        n.k8s("core/v1:ResourceQuota", f"{base}-gpu-quota", defaults.GPU_QUOTA, at)
        n.k8s(
            "core/v1:ServiceAccount", f"{base}-workload-sa", defaults.WORKLOAD_SERVICE_ACCOUNT, at
        )


def _queues(n: _Names) -> None:
    """`compose/queues.py` and `kubernetes/queues.py` `GpuQueues` (its Kueue objects are named
    after the pools and teams, judged where those are)."""
    if not n.cfg.scheduling.enabled:
        return
    base = f"{n.p}-queues"
    n.k8s("core/v1:Namespace", f"{base}-namespace", defaults.QUEUE_NAMESPACE)
    n.given("kubernetes:helm.sh/v3:Release", f"{base}-release", charts.KUEUE.name)
    if n.cfg.monitoring.enabled:
        n.k8s(
            "monitoring.coreos.com/v1:ServiceMonitor",
            f"{base}-metrics",
            defaults.QUEUE_SERVICE_MONITOR,
        )


def _serving(n: _Names) -> None:
    """`compose/serving.py`: `kubernetes/serving.py` `KServe`, and a `ModelServing` per model
    (its KServe objects are named after the model, judged by the spec's pattern)."""
    spec = n.cfg.serving
    if not spec.enabled:
        return
    base = f"{n.p}-serving"
    if spec.install_cert_manager:
        n.k8s(
            "core/v1:Namespace", f"{base}-cert-manager-namespace", defaults.CERT_MANAGER_NAMESPACE
        )
        n.given("kubernetes:helm.sh/v3:Release", f"{base}-cert-manager", charts.CERT_MANAGER.name)
    if needs_metrics_server(n.cfg):
        n.given(
            "kubernetes:helm.sh/v3:Release", f"{base}-metrics-server", charts.METRICS_SERVER.name
        )
    n.k8s("core/v1:Namespace", f"{base}-namespace", defaults.SERVING_NAMESPACE)
    n.given("kubernetes:helm.sh/v3:Release", f"{base}-crds", charts.KSERVE_CRD.name)
    n.given("kubernetes:helm.sh/v3:Release", f"{base}-release", charts.KSERVE.name)
    for i, model in enumerate(spec.models):
        at = Driver(f"serving.models[{i}].name", model.name)
        served = f"{n.p}-model-{model.name}"
        n.k8s(
            "networking.k8s.io/v1:NetworkPolicy", f"{served}-policy", f"{model.name}-predictor", at
        )
        if n.cfg.monitoring.enabled:
            n.k8s("monitoring.coreos.com/v1:PodMonitor", f"{served}-metrics", model.name, at)
        if model.ingress is not None:
            n.k8s("networking.k8s.io/v1:Ingress", f"{served}-ingress", f"{model.name}-ingress", at)


def _monitoring(n: _Names, managed: bool) -> None:
    """`compose/monitoring.py` and `kubernetes/monitoring/stack.py` `MonitoringStack`."""
    spec = n.cfg.monitoring
    base = f"{n.p}-monitoring"
    n.k8s("core/v1:Namespace", f"{base}-namespace", defaults.MONITORING_NAMESPACE)
    if spec.grafana:
        n.k8s("core/v1:Secret", f"{base}-grafana-admin", defaults.GRAFANA_ADMIN_SECRET)
    if managed and n.cfg.target is Target.GCP:  # Google's query frontend for Grafana
        for kind in (
            "core/v1:ServiceAccount",
            "apps/v1:Deployment",
            "networking.k8s.io/v1:NetworkPolicy",
            "core/v1:Service",
        ):
            n.k8s(kind, f"{base}-query-frontend", defaults.GMP_QUERY_FRONTEND)
    n.given(
        "kubernetes:helm.sh/v3:Release", f"{base}-prometheus", charts.KUBE_PROMETHEUS_STACK.name
    )
    if n.cfg.gpu_pools or n.cfg.target is Target.KUBERNETES:
        n.given("kubernetes:helm.sh/v3:Release", f"{base}-dcgm-exporter", charts.DCGM_EXPORTER.name)
        n.k8s(
            "monitoring.coreos.com/v1:ServiceMonitor",
            f"{base}-dcgm-exporter-monitor",
            defaults.DCGM_SERVICE_MONITOR,
        )
    if not managed:
        n.k8s("monitoring.coreos.com/v1:PrometheusRule", f"{base}-rules", defaults.ALERT_RULES)
    if spec.grafana:
        for uid in defaults.DASHBOARDS:
            if uid != defaults.DASHBOARD_SERVING or n.cfg.serving.enabled:
                n.k8s("core/v1:ConfigMap", f"{base}-{uid}", uid)


def _mlflow_server(n: _Names) -> None:
    """`kubernetes/mlflow.py` `MlflowServer`, named `<platform>-mlflow`."""
    name = f"{n.p}-mlflow"
    n.k8s("core/v1:Secret", f"{name}-credentials", f"{name}-credentials")
    n.k8s("core/v1:ServiceAccount", f"{name}-sa", name)
    n.auto("kubernetes:batch/v1:Job", f"{name}-migrate")
    n.k8s("apps/v1:Deployment", f"{name}-deployment", name)
    n.k8s("core/v1:Service", f"{name}-service", name)
    n.k8s("policy/v1:PodDisruptionBudget", f"{name}-pdb", name)
    n.k8s("networking.k8s.io/v1:NetworkPolicy", f"{name}-ingress", f"{name}-ingress")
    if n.cfg.monitoring.enabled:
        n.k8s(
            "monitoring.coreos.com/v1:ServiceMonitor",
            f"{name}-metrics",
            defaults.MLFLOW_SERVICE_MONITOR,
        )
    if n.cfg.mlflow.ingress is not None:
        n.k8s("networking.k8s.io/v1:Ingress", f"{name}-ingress-route", name)


def _mlflow_on(n: _Names) -> bool:
    return n.cfg.mlflow.enabled and n.cfg.artifact_store.enabled


def _managed(n: _Names) -> bool:
    return n.cfg.monitoring.enabled and n.cfg.monitoring.prometheus == "managed"


class _Cloud:
    """One cloud's names, step by step as `compose/cloud.py` `CloudTarget`'s steps."""

    image_lacks_plugin = False

    def __init__(self, n: _Names) -> None:
        self.n, self.cfg, self.p = n, n.cfg, n.p

    def artifact_store(self) -> None: ...

    def registry(self) -> None: ...

    def network(self) -> None: ...

    def cluster(self) -> None: ...

    def autoscaler(self) -> None: ...

    def database(self) -> None: ...

    def alarms(self, database: bool) -> None: ...

    def managed_prometheus(self) -> None: ...

    def identity(self, name: str, drivers: tuple[Driver, ...], team: bool) -> None:
        """A workload identity named `name`, granted the artifact store, and the registry
        too for a `team`."""


def _cloud(n: _Names, target: _Cloud) -> None:
    """`compose/cloud.py` `build_cloud`: the cloud's steps and the shared ones."""
    cfg = n.cfg
    if cfg.artifact_store.enabled:
        target.artifact_store()
    if cfg.registry.enabled:
        target.registry()
    target.network()
    target.cluster()
    _gpu_enablement(n, target.image_lacks_plugin)
    target.autoscaler()
    _teams(n)
    for i, team in enumerate(cfg.teams):
        at = (Driver(f"teams[{i}].name", team.name),)
        target.identity(f"{n.p}-team-{team.name}", at, team=True)
    database = _mlflow_on(n)
    if database:
        target.database()
    if cfg.monitoring.enabled:
        target.alarms(database)
        if _managed(n):
            target.managed_prometheus()
        _monitoring(n, _managed(n))
    _queues(n)
    if database:  # `add_cloud_mlflow`, then `compose/mlflow.py` `add_mlflow`
        target.identity(f"{n.p}-mlflow", (), team=False)
        n.k8s("core/v1:Namespace", f"{n.p}-mlflow-namespace", defaults.MLFLOW_NAMESPACE)
        _mlflow_server(n)
    _serving(n)


# --- AWS ----------------------------------------------------------------------------------

_ROLE = "aws:iam/role:Role"
_POLICY = "aws:iam/rolePolicy:RolePolicy"
_LOGS = "aws:cloudwatch/logGroup:LogGroup"


class _Aws(_Cloud):
    """`compose/aws.py` and the `aws/` components."""

    def __init__(self, n: _Names) -> None:
        super().__init__(n)
        self.eks = f"{self.p}-eks"
        self.image_lacks_plugin = _aws_image_lacks_plugin(n.cfg)

    def role(
        self, name: str, drivers: tuple[Driver, ...] = (), purposes: Sequence[str] = ()
    ) -> None:
        """`aws/iam.py` `AwsWorkloadIdentity`: `<name>-role` and its inline policies."""
        self.n.auto(_ROLE, f"{name}-role", *drivers)
        for purpose in purposes:
            self.n.auto(_POLICY, f"{name}-{purpose}", *drivers)

    def identity(self, name: str, drivers: tuple[Driver, ...], team: bool) -> None:
        cfg = self.cfg
        purposes = ["artifacts-rw"] * cfg.artifact_store.enabled
        purposes += ["registry-pull"] * (cfg.registry.enabled and team)
        self.role(name, drivers, purposes)

    def artifact_store(self) -> None:
        self.n.auto("aws:s3/bucket:Bucket", f"{self.p}-artifacts-bucket")

    def registry(self) -> None:
        self.n.auto("aws:ecr/repository:Repository", f"{self.p}-registry-repo")

    def network(self) -> None:
        if self.cfg.network.existing is None:
            network = f"{self.p}-network"
            self.n.given(_LOGS, f"{network}-flow-logs", f"/aws/vpc-flow-logs/{network}")
            self.role(f"{network}-flow-logs", (), ["write"])

    def cluster(self) -> None:
        n, eks = self.n, self.eks
        n.auto(_ROLE, f"{eks}-cluster-role")
        n.given(_LOGS, f"{eks}-control-plane-logs", f"/aws/eks/{eks}-cluster/cluster")
        n.given("aws:eks/cluster:Cluster", f"{eks}-cluster", f"{eks}-cluster")
        n.auto(_ROLE, f"{eks}-node-role")
        self.role(f"{eks}-cni")
        groups = [(f"{eks}-system", ())] + [
            (f"{eks}-{pool.name}", (Driver(f"gpuPools[{i}].name", pool.name),))
            for i, pool in enumerate(self.cfg.gpu_pools)
        ]
        for logical, drivers in groups:
            n.auto("aws:ec2/launchTemplate:LaunchTemplate", f"{logical}-lt", *drivers)
            n.auto("aws:eks/nodeGroup:NodeGroup", logical, *drivers)
        self.role(f"{eks}-ebs-csi")
        n.k8s("storage.k8s.io/v1:StorageClass", f"{eks}-gp3", defaults.EKS_STORAGE_CLASS)

    def autoscaler(self) -> None:
        if self.cfg.gpu_pools:
            self.role(f"{self.p}-autoscaler-identity", (), ["autoscaling"])
            chart = charts.CLUSTER_AUTOSCALER.name
            self.n.given("kubernetes:helm.sh/v3:Release", f"{self.p}-autoscaler-release", chart)

    def database(self) -> None:
        n, db = self.n, f"{self.p}-mlflow-db"
        n.auto("aws:ec2/securityGroup:SecurityGroup", f"{db}-sg")
        n.auto("aws:rds/subnetGroup:SubnetGroup", f"{db}-subnets")
        n.auto("aws:rds/parameterGroup:ParameterGroup", f"{db}-params")
        instance = "aws:rds/instance:Instance"
        n.auto(instance, f"{db}-instance")
        n.given(instance, f"{db}-instance", f"{db}-final", field="finalSnapshotIdentifier")

    def alarms(self, database: bool) -> None:
        self.role(f"{self.eks}-cloudwatch")  # Container Insights, `enable_container_insights`
        alarms = f"{self.p}-alarms"
        self.n.auto("aws:sns/topic:Topic", f"{alarms}-topic")
        suffixes = ["failed-nodes"]
        suffixes += ["database-cpu", "database-storage", "database-connections"] * database
        for suffix in suffixes:
            self.n.auto("aws:cloudwatch/metricAlarm:MetricAlarm", f"{alarms}-{suffix}")

    def managed_prometheus(self) -> None:
        n, prometheus = self.n, f"{self.p}-prometheus"
        n.given(_LOGS, f"{prometheus}-logs", f"/aws/prometheus/{prometheus}")
        n.given("aws:amp/workspace:Workspace", f"{prometheus}-workspace", prometheus)
        rules = "aws:amp/ruleGroupNamespace:RuleGroupNamespace"
        n.given(rules, f"{prometheus}-rules", defaults.AMP_RULE_NAMESPACE)
        self.role(f"{self.p}-prometheus-writer")
        self.role(f"{self.p}-grafana-reader")


def _aws_image_lacks_plugin(cfg: PlatformConfig) -> bool:
    """`aws/cluster.py` `needs_device_plugin`: a pool's node image ships no device plugin."""
    for pool in cfg.gpu_pools:
        try:
            resolved = catalog.resolve("aws", pool.gpu.value, pool.gpus_per_node, pool.node_image)
        except catalog.CatalogError:  # refused by the spec's own rules
            continue
        if not resolved.image.provides_device_plugin:
            return True
    return False


# --- Azure --------------------------------------------------------------------------------

_IDENTITY = "azure-native:managedidentity:UserAssignedIdentity"
_ZONE = "azure-native:privatedns:PrivateZone"
_SUBNET = "azure-native:network:Subnet"
_AKS = "azure-native:containerservice:ManagedCluster"


class _Azure(_Cloud):
    """`compose/azure.py` and the `azure/` components, in the platform's resource group."""

    def __init__(self, n: _Names) -> None:
        super().__init__(n)
        self.image_lacks_plugin = bool(n.cfg.gpu_pools)  # AKS installs no device plugin
        existing = n.cfg.azure.existing_resource_group if n.cfg.azure else None
        if existing is not None:
            self.group, self.group_drivers = (
                existing,
                (Driver("azure.existingResourceGroup", existing),),
            )
        else:
            self.group = n.auto("azure-native:resources:ResourceGroup", f"{self.p}-rg")
            self.group_drivers = ()

    def identity(self, name: str, drivers: tuple[Driver, ...], team: bool = False) -> None:
        """`azure/identity.py` `AzureWorkloadIdentity` (its grants are role assignments)."""
        self.n.auto(_IDENTITY, f"{name}-identity", *drivers)

    def compact(self, resource: str, logical: str, name: str, limit: int) -> None:
        """A `mlplatform.naming.compact_name`: a cleaned prefix and 6 random characters."""
        self.n.given(resource, logical, compact_prefix(name, limit) + "x" * SUFFIX_LENGTH)

    def artifact_store(self) -> None:
        account = "azure-native:storage:StorageAccount"
        self.compact(
            account, f"{self.p}-artifacts-account", f"{self.p}-artifacts", STORAGE_ACCOUNT_MAX
        )
        container = "azure-native:storage:BlobContainer"
        self.n.given(container, f"{self.p}-artifacts-container", defaults.ARTIFACT_CONTAINER)

    def registry(self) -> None:
        registry = "azure-native:containerregistry:Registry"
        self.compact(
            registry, f"{self.p}-registry-registry", f"{self.p}-registry", REGISTRY_NAME_MAX
        )

    def network(self) -> None:
        if self.cfg.network.existing is not None:
            return
        n, p, net = self.n, self.p, f"{self.p}-network"
        n.auto("azure-native:network:VirtualNetwork", f"{net}-vnet")
        account = "azure-native:storage:StorageAccount"
        self.compact(account, f"{net}-flow-logs-account", f"{net}-flow-logs", STORAGE_ACCOUNT_MAX)
        self.identity(f"{net}-flow-logs", ())
        n.auto(_SUBNET, f"{net}-nodes")
        n.auto(_SUBNET, f"{net}-endpoints")
        endpoints = (
            (self.cfg.artifact_store.enabled, "blob", defaults.BLOB_PRIVATE_DNS_ZONE),
            (self.cfg.registry.enabled, "acr", defaults.ACR_PRIVATE_DNS_ZONE),
        )
        for wanted, endpoint, zone in endpoints:
            if wanted:
                n.given(_ZONE, f"{p}-{endpoint}-dns", zone)
                n.auto("azure-native:network:PrivateEndpoint", f"{p}-{endpoint}-pe")

    def cluster(self) -> None:
        n, aks = self.n, f"{self.p}-aks"
        n.auto("azure-native:operationalinsights:Workspace", f"{aks}-logs")
        cluster = n.auto(_AKS, f"{aks}-cluster")
        n.given(_AKS, f"{aks}-cluster", aks, field="dnsPrefix")
        group = f"MC_{self.group}_{cluster}_{self.cfg.region}"
        n.given(_AKS, f"{aks}-cluster", group, *self.group_drivers, field="nodeResourceGroup")
        for i, pool in enumerate(self.cfg.gpu_pools):
            at = Driver(f"gpuPools[{i}].name", pool.name)
            agent = "azure-native:containerservice:AgentPool"
            n.given(agent, f"{aks}-{pool.name}", aks_pool_name(pool.name), at)

    def database(self) -> None:
        n, db = self.n, f"{self.p}-mlflow-db"
        if self.cfg.network.existing is None:
            n.auto(_SUBNET, f"{db}-subnet")
        n.given(_ZONE, f"{db}-dns", f"{db}.private.postgres.database.azure.com")
        n.auto("azure-native:dbforpostgresql:Server", f"{db}-server")

    def managed_prometheus(self) -> None:
        self.identity(f"{self.p}-prometheus-writer", ())
        self.identity(f"{self.p}-grafana-reader", ())


# --- GCP ----------------------------------------------------------------------------------

_ACCOUNT = "gcp:serviceaccount/account:Account"


class _Gcp(_Cloud):
    """`compose/gcp.py` and the `gcp/` components (GKE brings its own device plugin)."""

    def identity(self, name: str, drivers: tuple[Driver, ...], team: bool = False) -> None:
        """`gcp/identity.py` `GcpWorkloadIdentity` (its grants are IAM members)."""
        self.n.given(_ACCOUNT, f"{name}-sa", account_id(name), *drivers)

    def artifact_store(self) -> None:
        self.n.auto("gcp:storage/bucket:Bucket", f"{self.p}-artifacts-bucket")

    def registry(self) -> None:
        repository = "gcp:artifactregistry/repository:Repository"
        self.n.given(repository, f"{self.p}-registry-repo", repository_id(f"{self.p}-registry"))

    def network(self) -> None:
        if self.cfg.network.existing is None:
            net = f"{self.p}-network"
            self.n.auto("gcp:compute/network:Network", f"{net}-vpc")
            self.n.auto("gcp:compute/subnetwork:Subnetwork", f"{net}-nodes")
            self.n.auto("gcp:compute/router:Router", f"{net}-router")
            self.n.auto("gcp:compute/routerNat:RouterNat", f"{net}-nat")

    def cluster(self) -> None:
        n, gke = self.n, f"{self.p}-gke"
        n.given(_ACCOUNT, f"{gke}-nodes", account_id(f"{gke}-nodes"))
        n.auto("gcp:kms/keyRing:KeyRing", f"{gke}-keyring")
        n.auto("gcp:kms/cryptoKey:CryptoKey", f"{gke}-secrets-key")
        cluster = n.auto("gcp:container/cluster:Cluster", f"{gke}-cluster")
        n.auto("gcp:container/nodePool:NodePool", f"{gke}-system")
        for i, pool in enumerate(self.cfg.gpu_pools):
            at = Driver(f"gpuPools[{i}].name", pool.name)
            n.auto("gcp:container/nodePool:NodePool", f"{gke}-{pool.name}", at)
        bucket = "gcp:logging/projectBucketConfig:ProjectBucketConfig"
        n.given(bucket, f"{gke}-logs", f"{cluster}-logs")
        n.auto("gcp:logging/projectSink:ProjectSink", f"{gke}-logs")
        n.auto("gcp:logging/projectExclusion:ProjectExclusion", f"{gke}-logs")

    def database(self) -> None:
        db = f"{self.p}-mlflow-db"
        if self.cfg.network.existing is None:  # the private services access range
            self.n.auto("gcp:compute/globalAddress:GlobalAddress", f"{db}-range")
        self.n.auto("gcp:sql/databaseInstance:DatabaseInstance", f"{db}-instance")

    def managed_prometheus(self) -> None:
        self.identity(f"{self.p}-prometheus-writer", ())
        self.identity(f"{self.p}-query-reader", ())


# --- an existing cluster ------------------------------------------------------------------


def _kubernetes(n: _Names) -> None:
    """`compose/kubernetes.py`: in-cluster stand-ins in the platform namespace."""
    cfg, p = n.cfg, n.p
    namespace = cfg.kubernetes.namespace if cfg.kubernetes else defaults.PLATFORM_NAMESPACE
    n.k8s(
        "core/v1:Namespace", f"{p}-namespace", namespace, Driver("kubernetes.namespace", namespace)
    )
    if cfg.artifact_store.enabled:
        store = f"{p}-artifacts"
        n.k8s("core/v1:PersistentVolumeClaim", f"{store}-pvc", f"{store}-artifacts")
        n.label("kubernetes:core/v1:PersistentVolumeClaim", f"{store}-pvc", store)
    if cfg.registry.enabled:
        registry = f"{p}-registry"
        n.k8s("core/v1:PersistentVolumeClaim", f"{registry}-pvc", f"{registry}-data")
        n.k8s("core/v1:Secret", f"{registry}-htpasswd", f"{registry}-htpasswd")
        n.k8s("apps/v1:Deployment", f"{registry}-deployment", registry)
        n.k8s("core/v1:Service", f"{registry}-service", registry)
        n.label("kubernetes:apps/v1:Deployment", f"{registry}-deployment", registry)
    if cfg.monitoring.enabled:
        _monitoring(n, managed=False)
    if _mlflow_on(n):
        postgres = f"{p}-postgres"
        n.k8s("core/v1:Secret", f"{postgres}-credentials", f"{postgres}-credentials")
        n.k8s("core/v1:Service", f"{postgres}-service", postgres)
        n.k8s("apps/v1:StatefulSet", f"{postgres}-statefulset", postgres)
        n.k8s("networking.k8s.io/v1:NetworkPolicy", f"{postgres}-ingress", f"{postgres}-ingress")
        _mlflow_server(n)
    _gpu_enablement(n, image_lacks_plugin=False)
    _teams(n)
    _queues(n)
    _serving(n)


_TARGETS: dict[Target, Callable[[_Names], None]] = {
    Target.AWS: lambda n: _cloud(n, _Aws(n)),
    Target.AZURE: lambda n: _cloud(n, _Azure(n)),
    Target.GCP: lambda n: _cloud(n, _Gcp(n)),
    Target.KUBERNETES: _kubernetes,
}


# --- the checks ---------------------------------------------------------------------------


class _Breach(NamedTuple):
    """One generated name that breaks its rule."""

    found: GeneratedName
    problem: str
    """"length" or "characters"."""
    limit: int
    authority: str
    culprit: Driver
    """The spec field to change: the most specific one for a length, the one whose value
    holds the refused characters for characters."""


def _breaches(found: GeneratedName) -> Iterator[_Breach]:
    rule = found.rule
    limit, authority = rule.max_length, rule.authority
    auto = found.auto
    if auto is not None and auto.max_length is not None and auto.max_length < limit:
        limit, authority = auto.max_length, auto.limiter
    if not rule.min_length <= len(found.name) <= limit:
        yield _Breach(found, "length", limit, authority, found.drivers[-1])
    if re.fullmatch(rule.pattern, found.name) is None:
        yield _Breach(found, "characters", limit, rule.authority, _culprit(found, rule))


def _culprit(found: GeneratedName, rule: NameRule) -> Driver:
    """The driver whose value makes the name refuse the rule's characters: the name with it
    spelled in plain letters fits (the platform's name when none does)."""
    for driver in reversed(found.drivers):
        plain = found.name.replace(driver.value, "a" * len(driver.value))
        if driver.value and re.fullmatch(rule.pattern, plain):
            return driver
    return found.drivers[0]


def judge(found: Iterable[GeneratedName], verified: bool = True) -> Iterator[ConfigIssue]:
    """The names of `found` that break their rule (those a primary source confirms, or with
    `verified` false the others): one issue per driving field, rule and problem, naming the
    worst name and the fix."""
    groups: dict[tuple[str, str, str], list[_Breach]] = {}
    for name in found:
        if name.rule.verified is verified:
            for breach in _breaches(name):
                key = (breach.culprit.path, name.rule_key, breach.problem)
                groups.setdefault(key, []).append(breach)
    for breaches in groups.values():
        yield _issue(breaches, verified)


def _issue(breaches: list[_Breach], verified: bool) -> ConfigIssue:
    first = breaches[0]
    rule, culprit = first.found.rule, first.culprit
    if first.problem == "length":
        worst = max(breaches, key=lambda b: abs(len(b.found.name) - b.limit))
        name, long = worst.found.name, len(worst.found.name) > worst.limit
        bound = f"at most {worst.limit}" if long else f"at least {rule.min_length}"
        what = (
            f"the {rule.what} {name!r} {len(name)} characters long"
            if len(breaches) == 1
            else f"{len(breaches)} {rule.what}s too {'long' if long else 'short'}, the worst "
            f"{name!r} at {len(name)} characters"
        )
        said = f"makes {what} ({bound} per {worst.authority})"
        fix = _length_fix(breaches) if long else f"use a longer {_noun(culprit.path)}"
    else:
        name = first.found.name
        what = (
            f"the {rule.what} {name!r} invalid"
            if len(breaches) == 1
            else f"{len(breaches)} {rule.what}s invalid, such as {name!r}"
        )
        said = f"makes {what} ({rule.says} per {rule.authority})"
        fix = (
            f"use a {_noun(culprit.path)} of lowercase letters and digits with single hyphens "
            "between them"
        )
    if not verified:
        said += f"; no primary source confirms this rule ({rule.source})"
    if culprit.path == STACK:
        return ConfigIssue(STACK, f"the platform name {culprit.value!r} {said}; {fix}")
    return ConfigIssue(culprit.path, f"{said}; {fix}", culprit.value)


def _noun(path: str) -> str:
    if path == STACK:
        return "stack name"
    field = path.rsplit(".", 1)[-1]
    if field == "name":
        return "pool name" if path.startswith("gpuPools") else "team name"
    return {"namespace": "namespace", "existingResourceGroup": "resource group name"}[field]


def _longest(breach: _Breach, driver: Driver) -> int:
    """The longest value of `driver` with which `breach`'s name fits its limit."""
    name = breach.found.name
    uses = name.lower().count(driver.value.lower()) or 1
    return (breach.limit - (len(name) - uses * len(driver.value))) // uses


def _length_fix(breaches: list[_Breach]) -> str:
    """Use a shorter value of the culprit, or a shorter stack name, whichever still fits."""
    culprit, platform = breaches[0].culprit, breaches[0].found.drivers[0]
    fixes = []
    if culprit.path != STACK and (fits := min(_longest(b, culprit) for b in breaches)) > 0:
        fixes.append(f"a {_noun(culprit.path)} of at most {fits} characters")
    if (fits := min(_longest(b, platform) for b in breaches)) > 0:
        if platform.value.startswith(PROGRAM_PREFIX) and fits > len(PROGRAM_PREFIX):
            fixes.append(
                f"a stack name of at most {fits - len(PROGRAM_PREFIX)} characters (the "
                f"platform name {PROGRAM_PREFIX}<stack> at most {fits})"
            )
        elif not platform.value.startswith(PROGRAM_PREFIX):
            fixes.append(f"a platform name of at most {fits} characters")
    if breaches[0].found.rule_key in GROUP_RULES and culprit.path == STACK:
        fixes.append("an existing resource group with a shorter name (azure.existingResourceGroup)")
    if fixes:
        return "use " + " or ".join(fixes)
    if culprit.path == STACK:
        return "no stack name is short enough: the rest of the name is already too long"
    return f"shorten the {_noun(culprit.path)} and the stack name"


GROUP_RULES = frozenset({"azure-resource-group", "azure-aks-node-resource-group"})
"""Rules of names the resource group's own name is in: `azure.existingResourceGroup` is the
spec's override of that name."""


def _generated(cfg: PlatformConfig, platform_name: str, at: Preflight) -> Sequence[GeneratedName]:
    """`cfg`'s generated names: the context's, made once with it, else made here."""
    return generated_names(cfg, platform_name) if at.names is None else at.names


def _names_fit(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """Every generated name meets its cloud's or Kubernetes' length and character rule."""
    if at.platform_name is not None:
        yield from judge(_generated(cfg, at.platform_name, at))


def _names_fit_unconfirmed(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """The same for rules no primary source confirms: a breach is a warning."""
    if at.platform_name is not None:
        yield from judge(_generated(cfg, at.platform_name, at), verified=False)


ERRORS: tuple[Check, ...] = (_names_fit,)
WARNINGS: tuple[Check, ...] = (_names_fit_unconfirmed,)
