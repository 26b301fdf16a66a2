"""What every target's builder shares: spec-to-args conversion, GPU enablement, teams."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

import pulumi

from mlplatform import defaults
from mlplatform.contracts import ChartSourceArgs, GpuPoolArgs
from mlplatform.spec import PlatformConfig
from mlplatform.spec.model import EndpointAccess, GpuEnablement

if TYPE_CHECKING:  # the kubernetes SDK loads only for targets that build MLflow
    from mlplatform.kubernetes.mlflow import MlflowIngressArgs, MlflowServer, MlflowServerArgs
    from mlplatform.kubernetes.monitoring.managed import ManagedPrometheus
    from mlplatform.kubernetes.monitoring.rules import Thresholds
    from mlplatform.kubernetes.monitoring.stack import MonitoringStack


@dataclass
class Built:
    """What a target's builder hands back to `MlPlatform`."""

    artifact_uri: pulumi.Output[str] | None = None
    registry_url: pulumi.Output[str] | None = None
    cluster_name: pulumi.Output[str] | None = None
    kubeconfig: pulumi.Output[str] | None = None
    team_namespaces: list[pulumi.Output[str]] = field(default_factory=list)
    tracking_uri: pulumi.Output[str] | None = None
    mlflow_external_uri: pulumi.Output[str] | None = None
    mlflow_admin_password: pulumi.Output[str] | None = None
    mlflow_credentials_secret: pulumi.Output[str] | None = None
    grafana_admin_password: pulumi.Output[str] | None = None

    def set_monitoring(self, stack: MonitoringStack | None) -> None:
        """Take the monitoring stack's outputs (none when monitoring is off)."""
        if stack is not None:
            self.grafana_admin_password = stack.grafana_admin_password

    def set_mlflow(
        self, server: MlflowServer, namespace: pulumi.Input[str] = defaults.MLFLOW_NAMESPACE
    ) -> None:
        """Take the outputs of the MLflow server running in `namespace`."""
        self.tracking_uri = server.tracking_uri
        self.mlflow_external_uri = server.external_uri
        self.mlflow_admin_password = server.admin_password
        self.mlflow_credentials_secret = pulumi.Output.concat(
            namespace, "/", server.credentials_secret
        )


def pool_args(cfg: PlatformConfig) -> list[GpuPoolArgs]:
    """The spec's GPU pools in the shared pool contract."""
    return [
        {
            "name": p.name,
            "gpu": p.gpu.value,
            "gpus_per_node": p.gpus_per_node,
            "min_nodes": p.min_nodes,
            "max_nodes": p.max_nodes,
            "spot": p.spot,
            "sharing_mode": p.sharing.mode.value,
            "sharing_replicas": p.sharing.replicas,
            "mig_profile": p.sharing.mig_profile,
            "node_image": p.node_image,
            "disk_size_gb": p.disk_size_gb,
            "zones": list(p.zones),
        }
        for p in cfg.gpu_pools
    ]


Args = TypeVar("Args")


def settings_for(args_type: type[Args], settings: Mapping[str, Any]) -> Args:
    """The settings a component's args TypedDict takes: a spec setting the target does not
    honour (Azure's registry has no scan on push) is left out, as is one left unset (None).
    A required field missing is an error in this package, not in the spec."""
    fields = args_type.__annotations__
    chosen = {k: v for k, v in settings.items() if k in fields and v is not None}
    missing = sorted(set(getattr(args_type, "__required_keys__", ())) - set(chosen))
    if missing:
        raise TypeError(f"{args_type.__name__} needs {', '.join(missing)}")
    return cast(Args, chosen)


def store_settings(cfg: PlatformConfig, tags: Mapping[str, str]) -> dict[str, Any]:
    """The spec's artifact store settings, by args field name."""
    a = cfg.artifact_store
    return {
        "tags": tags,
        "protect": cfg.protect,
        "kms_key_id": a.kms_key_id,
        "noncurrent_version_days": a.noncurrent_version_days,
        "abort_incomplete_upload_days": a.abort_incomplete_upload_days,
        "soft_delete_days": a.soft_delete_days,
    }


def registry_settings(cfg: PlatformConfig, tags: Mapping[str, str]) -> dict[str, Any]:
    """The spec's registry settings, by args field name."""
    r = cfg.registry
    return {
        "tags": tags,
        "protect": cfg.protect,
        "immutable_tags": r.immutable_tags,
        "scan_on_push": r.scan_on_push,
        "untagged_expiry_days": r.untagged_expiry_days,
        "keep_last_images": r.keep_last_images,
    }


def cluster_settings(cfg: PlatformConfig, tags: Mapping[str, str]) -> dict[str, Any]:
    """The spec's cluster settings, by args field name."""
    cluster = cfg.cluster
    return {
        "kubernetes_version": cluster.kubernetes_version,
        "gpu_pools": pool_args(cfg),
        "public_endpoint": cluster.endpoint_access is EndpointAccess.PUBLIC,
        "public_access_cidrs": list(cluster.public_access_cidrs),
        # A runner, VPN or bastion inside the network reaches the private API server.
        "private_access_cidrs": [] if cfg.network.existing else [cfg.network.cidr],
        "system_min_nodes": cluster.system_pool.min_nodes,
        "system_max_nodes": cluster.system_pool.max_nodes,
        "release_channel": cluster.release_channel.value,
        "admins": list(cluster.admins),
        "log_retention_days": cluster.log_retention_days,
        "tags": dict(tags),
        "protect": cfg.protect,
        "system_instance_type": cluster.system_pool.instance_type,
    }


def gpu_enablement_mode(cfg: PlatformConfig, image_lacks_plugin: bool) -> str | None:
    """device-plugin, gpu-operator or None (nothing to install)."""
    choice = cfg.cluster.gpu_enablement
    if choice is GpuEnablement.NONE:
        return None
    if choice is GpuEnablement.AUTO:
        return "device-plugin" if cfg.gpu_pools and image_lacks_plugin else None
    return choice.value  # asked for explicitly: also on an existing cluster's own GPU nodes


def enable_gpus(
    name: str,
    cfg: PlatformConfig,
    image_lacks_plugin: bool,
    opts: pulumi.ResourceOptions,
    driver_preinstalled: bool = True,
) -> None:
    """Install the NVIDIA device plugin / GPU operator where the node image needs it."""
    mode = gpu_enablement_mode(cfg, image_lacks_plugin)
    if mode is None:
        return
    from mlplatform.kubernetes.gpu import NvidiaGpuEnablement, NvidiaGpuEnablementArgs

    args: NvidiaGpuEnablementArgs = {
        "mode": mode,
        "pools": pool_args(cfg),
        "driver_preinstalled": driver_preinstalled,
    }
    if sources := chart_sources(cfg):
        args["charts"] = sources
    NvidiaGpuEnablement(f"{name}-gpu", args, opts)


Identity = tuple[pulumi.Input[Mapping[str, str]], Mapping[str, str]]
"""(service account annotations, service account labels) of a team's workload identity."""
IdentityFor = Callable[[str, Sequence[pulumi.Alias]], Identity]
"""Makes the workload identity of a team (its name, the aliases of its old names)."""


def team_aliases(name: str, previous_names: Sequence[str]) -> list[pulumi.Alias]:
    """What keeps a renamed team's resources: its `TeamNamespace` and its workload identity
    are both named `<name>-team-<team>`, so each previous name is an alias of both; their
    children inherit it (the engine swaps their names' prefix too)."""
    return [pulumi.Alias(name=f"{name}-team-{old}") for old in previous_names]


def add_teams(
    name: str,
    cfg: PlatformConfig,
    tags: Mapping[str, str],
    opts: pulumi.ResourceOptions,
    identity_for: IdentityFor | None = None,
) -> list[pulumi.Output[str]]:
    """One `TeamNamespace` per team, its service account bound through `identity_for`; a
    team's `previousNames` become aliases of both."""
    from mlplatform.kubernetes.teams import TeamNamespace

    namespaces = []
    for team in cfg.teams:
        aliases = team_aliases(name, team.previous_names)
        annotations, labels = identity_for(team.name, aliases) if identity_for else ({}, {})
        created = TeamNamespace(
            f"{name}-team-{team.name}",
            {
                "namespace": team.name,
                "max_gpus": team.max_gpus,
                "service_account_annotations": annotations,
                "service_account_labels": labels,
                "tags": tags,
            },
            pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(aliases=aliases)),
        )
        namespaces.append(created.namespace)
    return namespaces


MLFLOW_NAMESPACE = defaults.MLFLOW_NAMESPACE


def add_mlflow(
    name: str,
    cfg: PlatformConfig,
    tags: Mapping[str, str],
    opts: pulumi.ResourceOptions,
    database_uri: pulumi.Input[str],
    artifacts_destination: pulumi.Input[str],
    annotations: pulumi.Input[Mapping[str, str]],
    pod_labels: Mapping[str, str] | None = None,
    monitoring: MonitoringStack | None = None,
) -> MlflowServer:
    """The `mlflow` namespace and the MLflow server in it, reaching the artifact store through
    its workload identity."""
    import pulumi_kubernetes as k8s

    from mlplatform.kubernetes.labels import labels

    namespace = k8s.core.v1.Namespace(
        f"{name}-mlflow-namespace",
        metadata={
            "name": MLFLOW_NAMESPACE,
            "labels": {
                **labels(MLFLOW_NAMESPACE, "namespace", tags),
                "pod-security.kubernetes.io/enforce": "restricted",
            },
        },
        opts=opts,
    )
    args: MlflowServerArgs = {
        "namespace": namespace.metadata.apply(lambda m: m.name or MLFLOW_NAMESPACE),
        "database_uri": database_uri,
        "artifacts_destination": artifacts_destination,
        "replicas": cfg.mlflow.replicas,
        "service_account_annotations": annotations,
        "pod_labels": dict(pod_labels or {}),
        "allowed_namespaces": allowed_namespaces(cfg),
        "tags": tags,
    }
    return mlflow_server(name, cfg, args, opts, monitoring)


class IdentityCluster(Protocol):
    """A cloud cluster that binds a Kubernetes service account to a cloud identity."""

    def workload_identity(self, name: str, namespace: str, service_account: str) -> Any: ...


class GrantingStore(Protocol):
    """A cloud artifact store that can grant one identity read/write on itself only."""

    artifact_uri: pulumi.Output[str]

    def grant_read_write(self, identity: Any) -> None: ...


def add_cloud_mlflow(
    name: str,
    cfg: PlatformConfig,
    tags: Mapping[str, str],
    opts: pulumi.ResourceOptions,
    database_uri: pulumi.Input[str],
    cluster: IdentityCluster,
    store: GrantingStore,
    monitoring: MonitoringStack | None,
    pod_labels: Mapping[str, str] | None = None,
) -> MlflowServer:
    """MLflow on a cloud cluster: its own workload identity, granted read/write on the
    artifact store only, proxying artifacts to the bucket."""
    identity = cluster.workload_identity(f"{name}-mlflow", MLFLOW_NAMESPACE, f"{name}-mlflow")
    store.grant_read_write(identity)
    return add_mlflow(
        name,
        cfg,
        tags,
        opts,
        database_uri,
        store.artifact_uri.apply(lambda u: f"{u}/"),
        identity.annotations,
        pod_labels=pod_labels,
        monitoring=monitoring,
    )


def mlflow_server(
    name: str,
    cfg: PlatformConfig,
    args: MlflowServerArgs,
    opts: pulumi.ResourceOptions,
    monitoring: MonitoringStack | None = None,
) -> MlflowServer:
    """`MlflowServer` with what every target takes from the spec: image, ingress, and a
    Prometheus scrape when monitoring is on."""
    from mlplatform.kubernetes.mlflow import MlflowServer

    if cfg.mlflow.image:
        args["image"] = cfg.mlflow.image
    if ingress := ingress_args(cfg):
        args["ingress"] = ingress
    if monitoring is not None:
        args["scraped_by"] = monitoring.operator_release
    return MlflowServer(f"{name}-mlflow", args, opts)


def alert_thresholds(cfg: PlatformConfig) -> Thresholds:
    """The spec's alert thresholds in the rules' terms."""
    from mlplatform.kubernetes.monitoring.rules import Thresholds

    return Thresholds(**cfg.monitoring.alerts.model_dump())


def add_monitoring(
    name: str,
    cfg: PlatformConfig,
    tags: Mapping[str, str],
    webhooks: Sequence[pulumi.Input[str]],
    opts: pulumi.ResourceOptions,
    storage_class: str | None = None,
    managed: ManagedPrometheus | None = None,
) -> MonitoringStack | None:
    """The in-cluster monitoring stack, when the spec turns it on, feeding a managed
    Prometheus when one is given; Alertmanager posts to `webhooks` (the spec's and the
    platform's secret ones)."""
    if not cfg.monitoring.enabled:
        return None
    from mlplatform.kubernetes.monitoring.stack import MonitoringStack, MonitoringStackArgs

    spec = cfg.monitoring
    args: MonitoringStackArgs = {
        "retention_days": spec.retention_days,
        "storage_gi": spec.storage_gi,
        "storage_class": storage_class,
        "prometheus_cpu": spec.prometheus_cpu,
        "prometheus_memory": spec.prometheus_memory,
        "grafana": spec.grafana,
        "gpu_nodes": bool(cfg.gpu_pools) or cfg.target.value == "kubernetes",
        "thresholds": alert_thresholds(cfg).args(),
        "mlflow": cfg.mlflow.enabled,
        "gke": cfg.target.value == "gcp",
        "webhooks": [pulumi.Output.secret(url) for url in webhooks],
        "tags": tags,
    }
    if managed is not None:
        args["managed"] = managed
    if sources := chart_sources(cfg):
        args["charts"] = sources
    return MonitoringStack(f"{name}-monitoring", args, opts)


def chart_sources(cfg: PlatformConfig) -> ChartSourceArgs | None:
    """The spec's chart sources; None when every chart comes from its upstream repository.

    The spec's local paths are relative to the folder of Pulumi.yaml; Helm reads them in the
    Kubernetes provider, which the engine starts in the program's folder (`main`, which is
    also this program's working directory), so each is given relative to that folder."""
    charts = cfg.charts
    if charts.registry is None and not charts.paths:
        return None
    root = Path(pulumi.get_root_directory())
    return {
        "registry": charts.registry,
        "paths": {name: _from_program_folder(root, path) for name, path in charts.paths.items()},
    }


def _from_program_folder(root: Path, path: str) -> str:
    if os.path.isabs(path):
        return path
    relative = os.path.relpath(root / path, Path.cwd())
    return relative if relative.startswith(".") else f"./{relative}"


def allowed_namespaces(cfg: PlatformConfig) -> list[str]:
    """Namespaces whose pods may reach MLflow: the teams', the ingress controller's, the
    monitoring stack's (scrapes) and the configured extras, each once."""
    ingress = cfg.mlflow.ingress
    names = [t.name for t in cfg.teams]
    names += [ingress.controller_namespace] if ingress else []
    names += [defaults.MONITORING_NAMESPACE] if cfg.monitoring.enabled else []
    names += cfg.mlflow.allowed_namespaces
    return list(dict.fromkeys(names))


def ingress_args(cfg: PlatformConfig) -> MlflowIngressArgs | None:
    """The spec's MLflow Ingress in the component's terms."""
    ingress = cfg.mlflow.ingress
    if ingress is None:
        return None
    return {
        "host": ingress.host,
        "class_name": ingress.class_name,
        "tls_secret_name": ingress.tls_secret_name,
        "cluster_issuer": ingress.cluster_issuer,
        "annotations": dict(ingress.annotations),
    }
