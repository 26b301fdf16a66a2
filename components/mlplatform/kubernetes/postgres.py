"""In-cluster PostgreSQL for the kubernetes target: the official `postgres` image as a
one-replica StatefulSet with a retained volume (no Bitnami). Reachable only from MLflow pods.

Stand-in for the managed databases of the clouds (RDS, Flexible Server, Cloud SQL); it has no
replicas, backups or TLS of its own, so the cloud targets never use it.
"""

from collections.abc import Mapping
from typing import Required, TypedDict

import pulumi
import pulumi_kubernetes as k8s
import pulumi_random as random

from mlplatform import defaults
from mlplatform.component_args import check_args
from mlplatform.contracts import child
from mlplatform.kubernetes.claims import claim_spec
from mlplatform.kubernetes.labels import labels, selector
from mlplatform.kubernetes.mlflow_config import postgres_uri
from mlplatform.kubernetes.security import RESTRICTED_CONTAINER, restricted_pod

POSTGRES_IMAGE = "docker.io/library/postgres:17.6-bookworm"
"""PostgreSQL 17.6, the Docker official image."""
POSTGRES_UID = 999
"""The `postgres` user of the official Debian-based image."""
PORT = 5432
DATABASE = USER = "mlflow"
PASSWORD_LENGTH = 32


class InClusterPostgresArgs(TypedDict, total=False):
    """Args of `InClusterPostgres`."""

    namespace: Required[pulumi.Input[str]]
    """Namespace of the database."""
    client_labels: Required[Mapping[str, str]]
    """Labels of the only pods allowed to connect (the MLflow server and its migration Job)."""
    size_gi: int
    """Volume size in GiB. Default: 20."""
    storage_class: str | None
    """StorageClass. Default: the cluster's default."""
    protect: bool
    """Protect the StatefulSet (its volume is retained either way). Default: protected."""
    tags: Mapping[str, str]
    """Labels on every object. Default: none."""


class InClusterPostgres(pulumi.ComponentResource):
    """PostgreSQL StatefulSet + Service + credentials Secret + NetworkPolicy."""

    database_uri: pulumi.Output[str]
    """SQLAlchemy URI for MLflow (secret)."""

    def __init__(
        self, name: str, args: InClusterPostgresArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, InClusterPostgresArgs, args)
        super().__init__("mlplatform:index:InClusterPostgres", name, None, opts)
        namespace = args["namespace"]
        meta = labels("postgres", "database", args.get("tags", {}))
        match = selector("postgres", "database")
        password = random.RandomPassword(
            f"{name}-password", length=PASSWORD_LENGTH, special=False, opts=child(self)
        )
        secret = k8s.core.v1.Secret(
            f"{name}-credentials",
            metadata={"name": f"{name}-credentials", "namespace": namespace, "labels": meta},
            type="Opaque",
            string_data={
                "POSTGRES_USER": USER,
                "POSTGRES_DB": DATABASE,
                "POSTGRES_PASSWORD": pulumi.Output.secret(password.result),
            },
            opts=child(self),
        )
        secret_name = secret.metadata.apply(lambda m: m.name or "")
        probe: k8s.core.v1.ProbeArgsDict = {
            "exec_": {"command": ["pg_isready", "-U", USER, "-d", DATABASE, "-h", "127.0.0.1"]},
            "period_seconds": 10,
        }
        statefulset = k8s.apps.v1.StatefulSet(
            f"{name}-statefulset",
            metadata={"name": name, "namespace": namespace, "labels": meta},
            spec={
                "replicas": 1,
                "service_name": name,
                "selector": {"match_labels": match},
                "persistent_volume_claim_retention_policy": {
                    "when_deleted": "Retain",
                    "when_scaled": "Retain",
                },
                "template": {
                    "metadata": {"labels": meta},
                    "spec": {
                        "automount_service_account_token": False,
                        "security_context": restricted_pod(POSTGRES_UID),
                        "containers": [
                            {
                                "name": "postgres",
                                "image": POSTGRES_IMAGE,
                                "ports": [{"name": "postgres", "container_port": PORT}],
                                "env_from": [{"secret_ref": {"name": secret_name}}],
                                "env": [
                                    {"name": "PGDATA", "value": "/var/lib/postgresql/data/pgdata"}
                                ],
                                "readiness_probe": probe,
                                "liveness_probe": {**probe, "initial_delay_seconds": 30},
                                "resources": {
                                    "requests": {"cpu": "250m", "memory": "512Mi"},
                                    "limits": {"cpu": "2", "memory": "2Gi"},
                                },
                                "security_context": RESTRICTED_CONTAINER,
                                "volume_mounts": [
                                    {"name": "data", "mount_path": "/var/lib/postgresql/data"},
                                    {"name": "run", "mount_path": "/var/run/postgresql"},
                                    {"name": "tmp", "mount_path": "/tmp"},
                                ],
                            }
                        ],
                        "volumes": [
                            {"name": "run", "empty_dir": {}},
                            {"name": "tmp", "empty_dir": {}},
                        ],
                    },
                },
                "volume_claim_templates": [
                    {
                        "metadata": {"name": "data", "labels": meta},
                        "spec": claim_spec(
                            args.get("size_gi", defaults.DATABASE_STORAGE_GB),
                            args.get("storage_class"),
                        ),
                    }
                ],
            },
            opts=child(self, protect=args.get("protect", True)),
        )
        # After PostgreSQL is ready: the URI is made from this Service, so whatever uses it
        # (MLflow's credentials, hence its migration Job) never starts before the database.
        service = k8s.core.v1.Service(
            f"{name}-service",
            metadata={"name": name, "namespace": namespace, "labels": meta},
            spec={
                "type": "ClusterIP",
                "selector": match,
                "ports": [{"name": "postgres", "port": PORT, "target_port": "postgres"}],
            },
            opts=child(self, depends_on=[statefulset]),
        )
        k8s.networking.v1.NetworkPolicy(
            f"{name}-ingress",
            metadata={"name": f"{name}-ingress", "namespace": namespace, "labels": meta},
            spec={
                "pod_selector": {"match_labels": match},
                "policy_types": ["Ingress"],
                "ingress": [
                    {
                        "from_": [{"pod_selector": {"match_labels": dict(args["client_labels"])}}],
                        "ports": [{"protocol": "TCP", "port": PORT}],
                    }
                ],
            },
            opts=child(self),
        )
        host = pulumi.Output.concat(
            service.metadata.apply(lambda m: m.name or ""), ".", namespace, ".svc.cluster.local"
        )
        self.database_uri = pulumi.Output.secret(
            pulumi.Output.all(host, password.result).apply(
                lambda v: postgres_uri(USER, v[1], v[0], PORT, DATABASE, sslmode="disable")
            )
        )
        self.register_outputs({"database_uri": self.database_uri})
