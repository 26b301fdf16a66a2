"""MLflow tracking server on Kubernetes: our own objects, so every field is ours to test.

A migration Job (`mlflow db upgrade`) runs before the Deployment rolls out; the
Deployment runs the basic-auth app with the artifact proxy; credentials live in
one Secret (backend URI, admin password, Flask secret key shared by all replicas,
the basic-auth config); the pods run non-root with a read-only root filesystem,
behind a ClusterIP Service, a PodDisruptionBudget and a NetworkPolicy.
"""

from collections.abc import Mapping, Sequence
from typing import Required, TypedDict

import pulumi
import pulumi_kubernetes as k8s
import pulumi_random as random

from mlplatform import defaults
from mlplatform.catalog import mlflow_image
from mlplatform.component_args import check_args
from mlplatform.contracts import child
from mlplatform.kubernetes import mlflow_config as cfg
from mlplatform.kubernetes.labels import annotated, labels, selector
from mlplatform.kubernetes.security import RESTRICTED_CONTAINER, restricted_pod

MLFLOW_IMAGE = mlflow_image.default_image()
"""Default image: MLflow's own published `-full` image (ghcr.io/mlflow/mlflow:v3.17.2-full),
which carries the basic-auth app, psycopg for PostgreSQL and the S3, GCS and Azure Blob
clients: nothing to build or push before the first `pulumi up`. See
`mlplatform.catalog.mlflow_image` for what it installs and where that was read."""
RUN_AS_USER = 10001
WORKING_DIR = "/tmp"
"""The container's working directory: the one writable path (an emptyDir) under a read-only
root filesystem; the upstream image, built for root, sets none."""
RESOURCES: k8s.core.v1.ResourceRequirementsArgsDict = {
    "requests": {"cpu": "250m", "memory": "512Mi"},
    "limits": {"cpu": "2", "memory": "2Gi"},
}
PASSWORD_LENGTH = 32
MIGRATION_LABEL = {"app.kubernetes.io/component": "migration"}
SCRAPED_BY_ANNOTATION = "mlplatform.io/scraped-by"
"""On MLflow's ServiceMonitor: the Prometheus operator release that scrapes it."""
CLIENT_LABELS = {"app.kubernetes.io/name": "mlflow", "app.kubernetes.io/part-of": "mlplatform"}
"""Labels every MLflow pod (server and migration) carries: what the database admits."""


class MlflowIngressArgs(TypedDict, total=False):
    """Args of the optional Ingress (TLS only)."""

    host: Required[str]
    """Host name users reach MLflow at."""
    class_name: Required[str]
    """IngressClass of the controller."""
    tls_secret_name: Required[str]
    """Secret (in the server's namespace) with the certificate."""
    cluster_issuer: str | None
    """cert-manager ClusterIssuer filling the Secret. Default: none."""
    annotations: Mapping[str, str]
    """Extra annotations for the controller. Default: none."""


class MlflowServerArgs(TypedDict, total=False):
    """Args of `MlflowServer`."""

    namespace: Required[pulumi.Input[str]]
    """Namespace for every object."""
    database_uri: Required[pulumi.Input[str]]
    """SQLAlchemy URI of the PostgreSQL database (secret): tracking data and users."""
    artifacts_destination: Required[pulumi.Input[str]]
    """Where the artifact proxy stores artifacts: s3://, gs://, wasbs:// or a mounted path."""
    image: str
    """Server image. Default: the upstream MLflow image (see MLFLOW_IMAGE)."""
    replicas: int
    """Server replicas. Default: 2."""
    service_account_annotations: pulumi.Input[Mapping[str, str]]
    """Workload identity annotations (bucket access without keys). Default: none."""
    pod_labels: Mapping[str, str]
    """Extra pod labels (Azure's azure.workload.identity/use). Default: none."""
    allowed_namespaces: Sequence[str]
    """Namespaces whose pods may reach the server (ingress controller, teams). Default: none
    beyond the server's own namespace."""
    ingress: MlflowIngressArgs
    """An Ingress with TLS in front of the Service. Default: none (in-cluster only)."""
    scraped_by: pulumi.Input[str]
    """`MonitoringStack.operator_release`, the Helm release that installs the Prometheus
    operator's CRDs: when given, a ServiceMonitor, created after that release, has Prometheus
    scrape /metrics with the admin credentials, and the monitoring namespace is admitted.
    Default: not scraped."""
    artifact_volume_claim: pulumi.Input[str] | None
    """PVC mounted at the artifacts destination path (kubernetes target). Default: none."""
    tags: Mapping[str, str]
    """Labels on every object. Default: none."""


class MlflowServer(pulumi.ComponentResource):
    """The MLflow tracking server and model registry."""

    tracking_uri: pulumi.Output[str]
    """In-cluster tracking URI."""
    external_uri: pulumi.Output[str] | None
    """https:// URI through the Ingress; None without one."""
    admin_password: pulumi.Output[str]
    """Password of the `admin` user (secret)."""
    credentials_secret: pulumi.Output[str]
    """Name of the Secret holding the server's credentials."""

    def __init__(
        self, name: str, args: MlflowServerArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, MlflowServerArgs, args)
        super().__init__("mlplatform:index:MlflowServer", name, None, opts)
        namespace = args["namespace"]
        ingress = args.get("ingress")
        meta = labels("mlflow", "tracking-server", args.get("tags", {}))
        match = selector("mlflow", "tracking-server")
        image = args.get("image", MLFLOW_IMAGE)
        admin = random.RandomPassword(
            f"{name}-admin-password", length=PASSWORD_LENGTH, special=False, opts=child(self)
        )
        flask_key = random.RandomPassword(
            f"{name}-flask-key", length=64, special=False, opts=child(self)
        )
        uri = pulumi.Output.secret(args["database_uri"])
        secret = k8s.core.v1.Secret(
            f"{name}-credentials",
            metadata={"name": f"{name}-credentials", "namespace": namespace, "labels": meta},
            type="Opaque",
            string_data={
                cfg.SECRET_KEYS["MLFLOW_BACKEND_STORE_URI"]: uri,
                cfg.SECRET_KEYS["MLFLOW_AUTH_ADMIN_PASSWORD"]: admin.result,
                cfg.ADMIN_USERNAME_KEY: cfg.ADMIN_USERNAME,
                cfg.SECRET_KEYS["MLFLOW_FLASK_SERVER_SECRET_KEY"]: flask_key.result,
                cfg.AUTH_CONFIG_KEY: uri.apply(cfg.auth_config),
            },
            opts=child(self),
        )
        secret_name = secret.metadata.apply(lambda m: m.name or "")
        account = k8s.core.v1.ServiceAccount(
            f"{name}-sa",
            metadata=annotated(
                {"name": name, "namespace": namespace, "labels": meta},
                args.get("service_account_annotations"),
            ),
            automount_service_account_token=False,
            opts=child(self),
        )
        account_name = account.metadata.apply(lambda m: m.name or "")
        pod_labels = {**meta, **args.get("pod_labels", {})}
        # The migration only talks to the database: it never mounts the (ReadWriteOnce)
        # artifact volume, which a running server pod on another node may hold.
        job_volumes, job_mounts = _volumes(secret_name, None, args["artifacts_destination"])
        volumes, mounts = _volumes(
            secret_name, args.get("artifact_volume_claim"), args["artifacts_destination"]
        )
        migrate = k8s.batch.v1.Job(
            f"{name}-migrate",
            metadata={
                "namespace": namespace,
                "labels": {**meta, "app.kubernetes.io/component": "migration"},
            },
            spec={
                # No ttlSecondsAfterFinished: a Job the cluster deletes by itself would be
                # re-created by Pulumi after every refresh.
                "backoff_limit": 3,
                "template": {
                    # Not the server's selector labels: the Service must never route here.
                    "metadata": {"labels": {**pod_labels, **MIGRATION_LABEL}},
                    "spec": _pod(
                        account_name,
                        image,
                        ["mlflow", "db", "upgrade", "$(MLFLOW_BACKEND_STORE_URI)"],
                        secret_name,
                        job_volumes,
                        job_mounts,
                        restart="OnFailure",
                    ),
                },
            },
            # A new image or database means a new Job; the Deployment waits for it.
            opts=child(self, replace_on_changes=["spec"], delete_before_replace=True),
        )
        external = ingress["host"] if ingress else None
        command = pulumi.Output.all(args["artifacts_destination"], namespace).apply(
            lambda v: cfg.server_command(
                v[0],
                cfg.allowed_hosts(name, v[1], external),
                cors_allowed_origins=[f"https://{external}"] if external else [],
            )
        )
        pod_spec = command.apply(
            lambda cmd: _pod(account_name, image, cmd, secret_name, volumes, mounts, probes=True)
        )
        k8s.apps.v1.Deployment(
            f"{name}-deployment",
            metadata={"name": name, "namespace": namespace, "labels": meta},
            spec={
                "replicas": args.get("replicas", defaults.MLFLOW_REPLICAS),
                "selector": {"match_labels": match},
                "strategy": {
                    "type": "RollingUpdate",
                    "rolling_update": {"max_unavailable": 0, "max_surge": cfg.MAX_SURGE},
                },
                "template": {"metadata": {"labels": pod_labels}, "spec": pod_spec},
            },
            opts=child(self, depends_on=[migrate]),
        )
        service = k8s.core.v1.Service(
            f"{name}-service",
            metadata={"name": name, "namespace": namespace, "labels": meta},
            spec={
                "type": "ClusterIP",
                "selector": match,
                "ports": [{"name": "http", "port": 80, "target_port": "http"}],
            },
            opts=child(self),
        )
        k8s.policy.v1.PodDisruptionBudget(
            f"{name}-pdb",
            metadata={"name": name, "namespace": namespace, "labels": meta},
            spec={"min_available": 1, "selector": {"match_labels": match}},
            opts=child(self),
        )
        admitted = list(args.get("allowed_namespaces", []))
        if args.get("scraped_by") is not None:  # Prometheus runs in the MonitoringStack's
            admitted.append(defaults.MONITORING_NAMESPACE)
        allowed: list[k8s.networking.v1.NetworkPolicyPeerArgsDict] = [
            {"namespace_selector": {"match_labels": {"kubernetes.io/metadata.name": ns}}}
            for ns in dict.fromkeys(admitted)
        ]
        k8s.networking.v1.NetworkPolicy(
            f"{name}-ingress",
            metadata={"name": f"{name}-ingress", "namespace": namespace, "labels": meta},
            spec={
                "pod_selector": {"match_labels": match},
                "policy_types": ["Ingress"],
                "ingress": [
                    {
                        "from_": [{"pod_selector": {}}, *allowed],
                        "ports": [{"protocol": "TCP", "port": cfg.MLFLOW_PORT}],
                    }
                ],
            },
            opts=child(self),
        )
        if (scraped_by := args.get("scraped_by")) is not None:
            _service_monitor(
                f"{name}-metrics", namespace, meta, match, secret_name, self, scraped_by
            )
        self.external_uri = None
        if ingress is not None:
            _ingress(f"{name}-ingress-route", name, namespace, meta, ingress, self)
            self.external_uri = pulumi.Output.from_input(f"https://{ingress['host']}")
        self.tracking_uri = pulumi.Output.concat(
            "http://",
            service.metadata.apply(lambda m: m.name or ""),
            ".",
            namespace,
            ".svc.cluster.local",
        )
        self.admin_password = pulumi.Output.secret(admin.result)
        self.credentials_secret = secret_name
        self.register_outputs(
            {
                "tracking_uri": self.tracking_uri,
                "external_uri": self.external_uri,
                "admin_password": self.admin_password,
                "credentials_secret": self.credentials_secret,
            }
        )


def _service_monitor(
    resource_name: str,
    namespace: pulumi.Input[str],
    meta: Mapping[str, str],
    match: Mapping[str, str],
    secret_name: pulumi.Input[str],
    parent: pulumi.Resource,
    scraped_by: pulumi.Input[str],
) -> k8s.apiextensions.CustomResource:
    """Prometheus scrapes every replica's /metrics (behind basic auth) as job "mlflow". The
    operator's release name, an output of that release, is written on the object: that makes
    it wait for the release and its CRDs, in any language."""
    return k8s.apiextensions.CustomResource(
        resource_name,
        api_version="monitoring.coreos.com/v1",
        kind="ServiceMonitor",
        metadata={
            "name": defaults.MLFLOW_SERVICE_MONITOR,
            "namespace": namespace,
            "labels": dict(meta),
            "annotations": {SCRAPED_BY_ANNOTATION: scraped_by},
        },
        spec={
            "jobLabel": "app.kubernetes.io/name",
            "selector": {"matchLabels": dict(match)},
            "endpoints": [
                {
                    "port": "http",
                    "path": "/metrics",
                    "interval": "30s",
                    "basicAuth": {
                        "username": {"name": secret_name, "key": cfg.ADMIN_USERNAME_KEY},
                        "password": {
                            "name": secret_name,
                            "key": cfg.SECRET_KEYS["MLFLOW_AUTH_ADMIN_PASSWORD"],
                        },
                    },
                }
            ],
        },
        opts=child(parent),
    )


def _ingress(
    resource_name: str,
    service: str,
    namespace: pulumi.Input[str],
    meta: Mapping[str, str],
    ingress: MlflowIngressArgs,
    parent: pulumi.Resource,
) -> k8s.networking.v1.Ingress:
    """TLS-only Ingress to the Service; cert-manager fills the Secret when an issuer is named."""
    annotations = dict(ingress.get("annotations", {}))
    issuer = ingress.get("cluster_issuer")
    if issuer:
        annotations["cert-manager.io/cluster-issuer"] = issuer
    backend: k8s.networking.v1.IngressBackendArgsDict = {
        "service": {"name": service, "port": {"name": "http"}}
    }
    return k8s.networking.v1.Ingress(
        resource_name,
        metadata=annotated(
            {"name": service, "namespace": namespace, "labels": dict(meta)}, annotations
        ),
        spec={
            "ingress_class_name": ingress["class_name"],
            "tls": [{"hosts": [ingress["host"]], "secret_name": ingress["tls_secret_name"]}],
            "rules": [
                {
                    "host": ingress["host"],
                    "http": {"paths": [{"path": "/", "path_type": "Prefix", "backend": backend}]},
                }
            ],
        },
        opts=child(parent),
    )


def _volumes(
    secret_name: pulumi.Input[str], claim: pulumi.Input[str] | None, destination: pulumi.Input[str]
) -> tuple[list, list]:
    volumes: list[k8s.core.v1.VolumeArgsDict] = [
        {"name": "tmp", "empty_dir": {}},
        {
            "name": "auth",
            "secret": {
                "secret_name": secret_name,
                "items": [{"key": cfg.AUTH_CONFIG_KEY, "path": cfg.AUTH_CONFIG_FILE}],
            },
        },
    ]
    mounts: list[k8s.core.v1.VolumeMountArgsDict] = [
        {"name": "tmp", "mount_path": WORKING_DIR},
        {"name": "auth", "mount_path": cfg.AUTH_CONFIG_DIR, "read_only": True},
    ]
    if claim is not None:
        volumes.append({"name": "artifacts", "persistent_volume_claim": {"claim_name": claim}})
        path = pulumi.Output.from_input(destination).apply(lambda d: d.removeprefix("file://"))
        mounts.append({"name": "artifacts", "mount_path": path})
    return volumes, mounts


def _pod(
    account: pulumi.Input[str],
    image: str,
    command: Sequence[str],
    secret_name: pulumi.Input[str],
    volumes: list,
    mounts: list,
    restart: str = "Always",
    probes: bool = False,
) -> k8s.core.v1.PodSpecArgsDict:
    env: list[k8s.core.v1.EnvVarArgsDict] = [
        {"name": key, "value": value} for key, value in cfg.plain_env().items()
    ]
    for var, key in cfg.SECRET_KEYS.items():
        env.append(
            {"name": var, "value_from": {"secret_key_ref": {"name": secret_name, "key": key}}}
        )
    container: k8s.core.v1.ContainerArgsDict = {
        "name": "mlflow",
        "image": image,
        "command": list(command),
        "working_dir": WORKING_DIR,
        "env": env,
        "resources": RESOURCES,
        "security_context": RESTRICTED_CONTAINER,
        "volume_mounts": mounts,
    }
    if probes:
        health: k8s.core.v1.HTTPGetActionArgsDict = {"path": "/health", "port": "http"}
        container["ports"] = [{"name": "http", "container_port": cfg.MLFLOW_PORT}]
        container["readiness_probe"] = {"http_get": health, "period_seconds": 10}
        container["liveness_probe"] = {
            "http_get": health,
            "period_seconds": 20,
            "initial_delay_seconds": 30,
            "failure_threshold": 6,
        }
    return {
        "service_account_name": account,
        # MLflow and its migration never call the Kubernetes API; cloud credentials come from
        # the workload identity webhook's own projected token, not this one.
        "automount_service_account_token": False,
        "restart_policy": restart,
        "security_context": restricted_pod(RUN_AS_USER),
        "containers": [container],
        "volumes": volumes,
    }
