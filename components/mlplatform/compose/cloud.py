"""The one skeleton of the cloud targets: the steps each cloud implements (`CloudTarget`) and
the one function that orders them (`build_cloud`).

AWS, Azure and GCP build the same platform: artifact store, registry, network, cluster with
its GPU pools, the pools' autoscaler, MLflow's database, alarms and a managed Prometheus are
each cloud's own; GPU enablement, teams bound to their workload identities, the monitoring
stack and MLflow wired to the store are the same on every cloud and done here. The order is
written once, in `build_cloud`: a cloud fills in its steps and never orders them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import pulumi

from mlplatform import defaults
from mlplatform.compose.gpus import enable_gpus
from mlplatform.compose.mlflow import add_mlflow
from mlplatform.compose.monitoring import add_monitoring
from mlplatform.compose.queues import add_queues
from mlplatform.compose.result import Built
from mlplatform.compose.scope import Builder, Scope
from mlplatform.compose.serving import add_serving
from mlplatform.compose.teams import Identity, add_teams

if TYPE_CHECKING:  # names for the annotations only
    import pulumi_kubernetes as k8s

    from mlplatform.kubernetes.mlflow import MlflowServer
    from mlplatform.kubernetes.monitoring.managed import ManagedPrometheus
    from mlplatform.kubernetes.monitoring.stack import MonitoringStack


class WorkloadIdentity(Protocol):
    """A cloud identity a Kubernetes service account acts as."""

    annotations: pulumi.Output[dict[str, str]]
    """What the service account carries to be bound to it."""


class ArtifactStore(Protocol):
    """A cloud artifact store (S3, Blob Storage, GCS)."""

    artifact_uri: pulumi.Output[str]

    def grant_read_write(self, identity: Any, /) -> None:
        """Let the cloud's workload identity read and write this store only."""
        ...


class Registry(Protocol):
    """A cloud container registry (ECR, ACR, Artifact Registry)."""

    def grant_pull(self, identity: Any, /) -> None:
        """Let the cloud's workload identity pull from this registry."""
        ...


class Cluster(Protocol):
    """A cloud Kubernetes cluster (EKS, AKS, GKE) with its GPU pools."""

    cluster_name: pulumi.Output[str]
    kubeconfig: pulumi.Output[str]
    needs_device_plugin: bool

    @property
    def provider(self) -> k8s.Provider:
        """The Kubernetes provider of the cluster, ready once its pools are."""
        ...

    def workload_identity(
        self,
        name: str,
        namespace: str,
        service_account: str,
        *,
        aliases: Sequence[pulumi.Alias] = (),
    ) -> WorkloadIdentity:
        """A cloud identity for the service account `namespace/service_account`."""
        ...


class Database(Protocol):
    """MLflow's managed PostgreSQL (RDS, Flexible Server, Cloud SQL)."""

    database_uri: pulumi.Output[str]


_Store = TypeVar("_Store", bound=ArtifactStore)
_Registry = TypeVar("_Registry", bound=Registry)
_Network = TypeVar("_Network")
_Cluster = TypeVar("_Cluster", bound=Cluster)
_Database = TypeVar("_Database", bound=Database)
_Alarms = TypeVar("_Alarms")


class CloudTarget(Protocol[_Store, _Registry, _Network, _Cluster, _Database, _Alarms]):
    """One cloud's steps, each called by `build_cloud` only when the spec asks for what it
    builds, in the order of `CLOUD_STEPS`. A step's resources go under `Scope.parent`."""

    @property
    def pod_labels(self) -> Mapping[str, str]:
        """Labels a pod (and its service account) carries for its workload identity to be
        injected; none where annotations suffice."""
        ...

    def artifact_store(self) -> _Store:
        """The artifact store (when `artifactStore.enabled`)."""
        ...

    def registry(self) -> tuple[_Registry, pulumi.Output[str]]:
        """The registry (when `registry.enabled`) and the URL images are pushed to."""
        ...

    def network(self, store: _Store | None, registry: _Registry | None) -> _Network:
        """The created network, or the spec's existing one, reaching the store and registry."""
        ...

    def cluster(self, network: _Network, registry: _Registry | None) -> _Cluster:
        """The cluster and its GPU pools in the network, its nodes pulling from the
        registry."""
        ...

    def autoscaler(self, cluster: _Cluster) -> None:
        """What scales the GPU pools, where the cluster does not do it itself."""
        ...

    def database(self, network: _Network, cluster: _Cluster) -> _Database:
        """MLflow's database, private to the network and the cluster (with MLflow on)."""
        ...

    def alarms(self, cluster: _Cluster, database: _Database | None) -> _Alarms:
        """The cloud's alarms on the cluster and the database, to the spec's receivers and
        `Scope.webhooks` (with monitoring on)."""
        ...

    def managed_prometheus(self, cluster: _Cluster, alarms: _Alarms) -> ManagedPrometheus:
        """The cloud's managed Prometheus running the platform's rules, alerting through
        `alarms` (with `monitoring.prometheus: managed`)."""
        ...


CLOUD_STEPS = (
    "artifact_store",
    "registry",
    "network",
    "cluster",
    "autoscaler",
    "database",
    "alarms",
    "managed_prometheus",
)
"""The steps of `CloudTarget`, in the order `build_cloud` calls them."""


def build_cloud(
    scope: Scope, target: CloudTarget[_Store, _Registry, _Network, _Cluster, _Database, _Alarms]
) -> Built:
    """The platform on one cloud: the cloud's steps and the shared ones, in the one order."""
    name, cfg, tags = scope.name, scope.cfg, scope.tags
    built = Built()
    store = registry = None
    if cfg.artifact_store.enabled:
        store = target.artifact_store()
        built.artifact_uri = store.artifact_uri
    if cfg.registry.enabled:
        registry, built.registry_url = target.registry()
    network = target.network(store, registry)
    cluster = target.cluster(network, registry)
    built.cluster_name, built.kubeconfig = cluster.cluster_name, cluster.kubeconfig

    k8s_opts = pulumi.ResourceOptions(parent=scope.parent, provider=cluster.provider)
    enable_gpus(name, cfg, cluster.needs_device_plugin, k8s_opts)
    target.autoscaler(cluster)

    def team_identity(team: str, aliases: Sequence[pulumi.Alias]) -> Identity:
        identity = cluster.workload_identity(
            f"{name}-team-{team}", team, defaults.WORKLOAD_SERVICE_ACCOUNT, aliases=aliases
        )
        if store is not None:
            store.grant_read_write(identity)
        if registry is not None:
            registry.grant_pull(identity)
        return identity.annotations, target.pod_labels

    built.team_namespaces = add_teams(name, cfg, tags, k8s_opts, team_identity)
    database = None
    if cfg.mlflow.enabled and store is not None:
        database = target.database(network, cluster)
    prometheus = None
    if cfg.monitoring.enabled:
        alarms = target.alarms(cluster, database)
        if cfg.monitoring.prometheus == "managed":
            prometheus = target.managed_prometheus(cluster, alarms)
    monitoring = add_monitoring(name, cfg, tags, scope.webhooks, k8s_opts, managed=prometheus)
    built.set_monitoring(monitoring)
    add_queues(name, cfg, tags, built.team_namespaces, k8s_opts, monitoring)
    if database is not None and store is not None:
        server = add_cloud_mlflow(
            scope, k8s_opts, database, cluster, store, monitoring, target.pod_labels
        )
        built.set_mlflow(server)
    add_serving(name, cfg, tags, built, k8s_opts, target.pod_labels, monitoring)
    return built


def add_cloud_mlflow(
    scope: Scope,
    opts: pulumi.ResourceOptions,
    database: Database,
    cluster: Cluster,
    store: ArtifactStore,
    monitoring: MonitoringStack | None,
    pod_labels: Mapping[str, str],
) -> MlflowServer:
    """MLflow on a cloud cluster: its own workload identity, granted read/write on the
    artifact store only, proxying artifacts to the bucket."""
    name = scope.name
    identity = cluster.workload_identity(
        f"{name}-mlflow", defaults.MLFLOW_NAMESPACE, f"{name}-mlflow"
    )
    store.grant_read_write(identity)
    return add_mlflow(
        name,
        scope.cfg,
        scope.tags,
        opts,
        database.database_uri,
        store.artifact_uri.apply(lambda u: f"{u}/"),
        identity.annotations,
        pod_labels=pod_labels,
        monitoring=monitoring,
    )


def cloud_builder(
    target: Callable[
        [Scope], CloudTarget[_Store, _Registry, _Network, _Cluster, _Database, _Alarms]
    ],
) -> Builder:
    """The `build` of a cloud target: `target` made for the platform's scope, its steps run
    by `build_cloud`."""
    return lambda scope: build_cloud(scope, target(scope))
