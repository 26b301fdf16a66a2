"""In-cluster container registry for the kubernetes target, from the upstream registry image.

CNCF Distribution (`registry`, the Docker official image) behind a ClusterIP
Service only: nothing is exposed outside the cluster. Nodes pull from it
through the cluster's own registry mirror setup (kind and k3d document a
`localhost:5000` mirror); that node-side configuration is the cluster owner's.
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
from mlplatform.kubernetes.security import RESTRICTED_CONTAINER, restricted_pod

REGISTRY_IMAGE = "docker.io/library/registry:3.0.0"
"""CNCF Distribution v3.0.0, the Docker official image (no Bitnami)."""
REGISTRY_PORT = 5000
REGISTRY_DATA_PATH = "/var/lib/registry"
RUN_AS_USER = 1000
RESOURCES: k8s.core.v1.ResourceRequirementsArgsDict = {
    "requests": {"cpu": "100m", "memory": "128Mi"},
    "limits": {"cpu": "1", "memory": "512Mi"},
}


class InClusterRegistryArgs(TypedDict, total=False):
    """Args of `InClusterRegistry`."""

    namespace: Required[pulumi.Input[str]]
    """Namespace for the registry."""
    size_gi: int
    """Image storage volume in GiB. Default: 50."""
    storage_class: str | None
    """StorageClass name. Default: the cluster's default StorageClass."""
    tags: Mapping[str, str]
    """Labels on every object. Default: none."""
    protect: bool
    """Protect the image volume from deletion. Default: protected."""


REGISTRY_USER = "mlplatform"
HTPASSWD_MOUNT = "/auth"
PASSWORD_LENGTH = 32


class InClusterRegistry(pulumi.ComponentResource):
    """A private registry Deployment with a protected volume and a ClusterIP Service.

    Pushing and pulling need the generated credentials (htpasswd auth; the
    password is a Pulumi secret, stored hashed with bcrypt in a Kubernetes
    Secret). The delete API stays off, as no garbage collection runs.

    Hardened pod: non-root, read-only root filesystem, all capabilities
    dropped, RuntimeDefault seccomp, no service account token. Distribution
    has no tag immutability or retention policy, so those contract fields
    do not apply here (prune with `registry garbage-collect`).
    """

    service_name: pulumi.Output[str]
    """Service name in the namespace."""
    repository_url: pulumi.Output[str]
    """`<service>.<namespace>.svc.cluster.local:5000` to push and pull inside the cluster."""
    username: pulumi.Output[str]
    """Registry user name."""
    password: pulumi.Output[str]
    """Registry password (secret)."""

    def __init__(
        self, name: str, args: InClusterRegistryArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, InClusterRegistryArgs, args)
        super().__init__("mlplatform:index:InClusterRegistry", name, None, opts)
        namespace = args["namespace"]
        tags = args.get("tags", {})
        meta_labels = labels(name, "registry", tags)
        match = selector(name, "registry")
        size = args.get("size_gi", defaults.LOCAL_VOLUME_SIZE_GI)

        claim = k8s.core.v1.PersistentVolumeClaim(
            f"{name}-pvc",
            metadata={"name": f"{name}-data", "namespace": namespace, "labels": meta_labels},
            spec=claim_spec(size, args.get("storage_class")),
            opts=child(self, protect=args.get("protect", True)),
        )
        password = random.RandomPassword(
            f"{name}-password", length=PASSWORD_LENGTH, special=False, opts=child(self)
        )
        htpasswd = k8s.core.v1.Secret(
            f"{name}-htpasswd",
            metadata={"name": f"{name}-htpasswd", "namespace": namespace, "labels": meta_labels},
            type="Opaque",
            string_data={
                "htpasswd": pulumi.Output.secret(
                    pulumi.Output.concat(REGISTRY_USER, ":", password.bcrypt_hash)
                )
            },
            opts=child(self),
        )
        deployment = k8s.apps.v1.Deployment(
            f"{name}-deployment",
            metadata={"name": name, "namespace": namespace, "labels": meta_labels},
            spec={
                "replicas": 1,
                "strategy": {"type": "Recreate"},  # one RWO volume: never two pods at once
                "selector": {"match_labels": match},
                "template": {
                    "metadata": {"labels": meta_labels},
                    "spec": _pod_spec(
                        claim.metadata.apply(lambda m: m.name or ""),
                        htpasswd.metadata.apply(lambda m: m.name or ""),
                    ),
                },
            },
            opts=child(self),
        )
        service = k8s.core.v1.Service(
            f"{name}-service",
            metadata={"name": name, "namespace": namespace, "labels": meta_labels},
            spec={
                "type": "ClusterIP",
                "selector": match,
                "ports": [{"name": "http", "port": REGISTRY_PORT, "target_port": "http"}],
            },
            opts=child(self, depends_on=[deployment]),
        )
        self.service_name = service.metadata.apply(lambda m: m.name or "")
        self.repository_url = pulumi.Output.concat(
            self.service_name, ".", namespace, f".svc.cluster.local:{REGISTRY_PORT}"
        )
        self.username = pulumi.Output.from_input(REGISTRY_USER)
        self.password = pulumi.Output.secret(password.result)
        self.register_outputs(
            {
                "service_name": self.service_name,
                "repository_url": self.repository_url,
                "username": self.username,
                "password": self.password,
            }
        )


def _pod_spec(
    claim_name: pulumi.Input[str], htpasswd_secret: pulumi.Input[str]
) -> k8s.core.v1.PodSpecArgsDict:
    probe: k8s.core.v1.ProbeArgsDict = {
        "http_get": {"path": "/", "port": "http"},
        "period_seconds": 10,
    }
    liveness: k8s.core.v1.ProbeArgsDict = {**probe, "initial_delay_seconds": 10}
    return {
        "automount_service_account_token": False,
        "security_context": restricted_pod(RUN_AS_USER),
        "containers": [
            {
                "name": "registry",
                "image": REGISTRY_IMAGE,
                "ports": [{"name": "http", "container_port": REGISTRY_PORT}],
                "env": [
                    {"name": "REGISTRY_STORAGE_DELETE_ENABLED", "value": "false"},
                    {"name": "REGISTRY_AUTH", "value": "htpasswd"},
                    {"name": "REGISTRY_AUTH_HTPASSWD_REALM", "value": "mlplatform registry"},
                    {"name": "REGISTRY_AUTH_HTPASSWD_PATH", "value": f"{HTPASSWD_MOUNT}/htpasswd"},
                    # v3 exports OpenTelemetry traces to localhost:4318 by default and logs
                    # an error per request without a collector.
                    {"name": "OTEL_TRACES_EXPORTER", "value": "none"},
                ],
                "readiness_probe": probe,
                "liveness_probe": liveness,
                "resources": RESOURCES,
                "security_context": RESTRICTED_CONTAINER,
                "volume_mounts": [
                    {"name": "data", "mount_path": REGISTRY_DATA_PATH},
                    {"name": "tmp", "mount_path": "/tmp"},
                    {"name": "auth", "mount_path": HTPASSWD_MOUNT, "read_only": True},
                ],
            }
        ],
        "volumes": [
            {"name": "data", "persistent_volume_claim": {"claim_name": claim_name}},
            {"name": "tmp", "empty_dir": {}},
            {"name": "auth", "secret": {"secret_name": htpasswd_secret}},
        ],
    }
