"""The environment spec: one pydantic model per stack, read from `mlplatform:` config.

Shapes, types and ranges live here; rules that span fields or need the GPU
catalog live in `rules.py`. Keys are camelCase in YAML, snake_case in Python,
and an unknown key is an error (a typo must never be silently ignored).

The annotations are evaluated as the classes are defined (no `from __future__ import
annotations`): pydantic would otherwise compile and evaluate each of them again as a string.
"""

import ipaddress
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

from mlplatform import defaults
from mlplatform.catalog.charts import PINNED as PINNED_CHARTS
from mlplatform.catalog.names import GpuName, SharingMode
from mlplatform.environment.docstrings import describe_fields


class _Spec(BaseModel):
    """Base for every spec section: camelCase keys, no unknown keys, immutable; each field
    described by the docstring under it."""

    model_config = ConfigDict(
        extra="forbid",
        alias_generator=to_camel,
        populate_by_name=True,
        frozen=True,
        defer_build=True,  # built on first use, after `describe_fields`
    )

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        describe_fields(cls)


class Target(StrEnum):
    """Where the platform is built."""

    AWS = "aws"
    AZURE = "azure"
    GCP = "gcp"
    KUBERNETES = "kubernetes"


class Environment(StrEnum):
    """The environment class; prod turns on stricter rules."""

    DEV = "dev"
    STAGING = "staging"
    PROD = "prod"


class ReleaseChannel(StrEnum):
    """How fast the control plane follows new Kubernetes releases (AKS, GKE)."""

    RAPID = "rapid"
    REGULAR = "regular"
    STABLE = "stable"


class GpuEnablement(StrEnum):
    """What makes GPUs schedulable where the node image does not."""

    AUTO = "auto"
    DEVICE_PLUGIN = "device-plugin"
    GPU_OPERATOR = "gpu-operator"
    NONE = "none"


class EndpointAccess(StrEnum):
    """Who can reach the Kubernetes API server."""

    PRIVATE = "private"
    PUBLIC = "public"


PoolName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,19}$")]


class ExistingNetworkSpec(_Spec):
    """A network the platform does not create (bring your own)."""

    network_id: str
    """VPC id (AWS), VNet resource id (Azure) or VPC network name / self link (GCP)."""
    subnet_ids: list[str]
    """Subnets for the nodes: 2+ private subnet ids in different AZs (AWS), the node subnet
    resource id (Azure) or the subnetwork name / self link (GCP)."""
    pods_range_name: str | None = None
    """GCP only: secondary range of the subnetwork for pods."""
    services_range_name: str | None = None
    """GCP only: secondary range of the subnetwork for services."""
    database_subnet_id: str | None = None
    """Azure only, needed with MLflow: an empty subnet delegated to
    Microsoft.DBforPostgreSQL/flexibleServers for the MLflow database. (On GCP the VPC must
    already have private services access; on AWS the database uses `subnetIds`.)"""


class NetworkSpec(_Spec):
    """The network the cluster and data services live in."""

    cidr: str = defaults.VPC_CIDR
    """Address range of the created network. Default: 10.0.0.0/16."""
    zone_count: Annotated[int, Field(ge=2, le=3)] = defaults.ZONE_COUNT
    """Availability zones to spread subnets and NAT over (AWS). Default: 3."""
    existing: ExistingNetworkSpec | None = None
    """Bring your own network instead of creating one. Default: create one."""
    flow_log_retention_days: Annotated[int, Field(ge=1, le=3653)] = defaults.FLOW_LOG_RETENTION_DAYS
    """Days the created network's flow logs are kept: the AWS VPC's in their CloudWatch log
    group (a CloudWatch retention period), the Azure VNet's in their storage account. GCP
    subnets send theirs to Cloud Logging's _Default bucket. Default: 90."""

    @field_validator("cidr")
    @classmethod
    def _cidr_is_private_ipv4(cls, value: str) -> str:
        try:
            net = ipaddress.IPv4Network(value)
        except ValueError as exc:
            raise ValueError(f"not an IPv4 CIDR ({exc}); use e.g. 10.0.0.0/16") from exc
        if not net.is_private:
            raise ValueError("must be a private (RFC 1918) range; use e.g. 10.0.0.0/16")
        if net.prefixlen > 20:
            raise ValueError("is too small for a cluster network; use a /16 to /20")
        return value


class SystemPoolSpec(_Spec):
    """The CPU node pool for cluster add-ons and platform services."""

    instance_type: str | None = None
    """Instance type / VM size / machine type. Default: m6i.large (AWS), Standard_D4ds_v5
    (Azure), e2-standard-4 (GCP)."""
    min_nodes: Annotated[int, Field(ge=1, le=100)] = defaults.SYSTEM_MIN_NODES
    """Lower bound; at least 1 because add-ons live here. Default: 2."""
    max_nodes: Annotated[int, Field(ge=1, le=100)] = defaults.SYSTEM_MAX_NODES
    """Upper bound. Default: 4."""


class ClusterSpec(_Spec):
    """Kubernetes cluster settings."""

    kubernetes_version: Annotated[str, Field(pattern=r"^1\.\d{2}$")] = defaults.KUBERNETES_VERSION
    """Kubernetes minor version, e.g. "1.36". Default: 1.36 (standard support on EKS, AKS and
    GKE until mid-2027)."""
    endpoint_access: EndpointAccess = EndpointAccess.PRIVATE
    """API server reachability. Default: private endpoint only."""
    public_access_cidrs: list[str] = []
    """CIDRs allowed to reach a public endpoint. Default: none; required when public."""
    release_channel: ReleaseChannel = ReleaseChannel(defaults.RELEASE_CHANNEL)
    """Automatic upgrades: AKS auto-upgrade channel (rapid / stable / patch) and GKE release
    channel (RAPID / REGULAR / STABLE). EKS upgrades only when kubernetesVersion changes.
    Default: regular."""
    system_pool: SystemPoolSpec = SystemPoolSpec()
    """CPU pool for add-ons. Default: 2 to 4 general-purpose nodes."""
    admins: list[str] = []
    """Cluster administrators: IAM role ARNs given access entries (AWS) or Entra ID group
    object ids (Azure). GCP uses project IAM. Default: only the deploying identity."""
    gpu_enablement: GpuEnablement = GpuEnablement.AUTO
    """auto installs the NVIDIA device plugin only where the GPU node image lacks it.
    Default: auto (none on the kubernetes target)."""
    managed_prometheus: bool = False
    """GKE's managed collection for Managed Service for Prometheus (the gmp-system
    components, for your own PodMonitorings); the platform's metrics follow
    `monitoring.prometheus`. Default: off."""
    log_retention_days: Annotated[int, Field(ge=1, le=3653)] = defaults.LOG_RETENTION_DAYS
    """Days control-plane and container logs are kept (CloudWatch log group, Log Analytics
    workspace, the GKE cluster's Cloud Logging bucket). Default: 30."""

    @field_validator("public_access_cidrs")
    @classmethod
    def _cidrs_parse(cls, value: list[str]) -> list[str]:
        for cidr in value:
            try:
                ipaddress.ip_network(cidr)
            except ValueError as exc:
                raise ValueError(f"{cidr!r} is not a CIDR; use e.g. 203.0.113.0/24") from exc
        return value


class SharingSpec(_Spec):
    """GPU sharing on a pool."""

    mode: SharingMode = SharingMode(defaults.GPU_SHARING_MODE)
    """Sharing mechanism. Default: none (one pod per GPU)."""
    replicas: Annotated[int, Field(ge=1, le=48)] = defaults.GPU_SHARING_REPLICAS
    """Pods per GPU for time-slicing / MPS. Default: 1."""
    mig_profile: str | None = None
    """MIG profile such as "1g.10gb" (mode mig only). Default: none."""


class GpuPoolSpec(_Spec):
    """One autoscaling GPU node pool."""

    name: PoolName
    """Pool name: lowercase letters, digits and dashes, at most 20 characters."""
    gpu: GpuName
    """Portable GPU name, resolved by the catalog for the target cloud."""
    gpus_per_node: Annotated[int, Field(ge=1, le=8)] = defaults.GPUS_PER_NODE
    """GPUs on each node; picks the node shape. Default: 1."""
    min_nodes: Annotated[int, Field(ge=0, le=1000)] = defaults.GPU_POOL_MIN_NODES
    """Autoscaling lower bound; 0 scales the pool to zero when idle. Default: 0."""
    max_nodes: Annotated[int, Field(ge=1, le=1000)] = defaults.GPU_POOL_MAX_NODES
    """Autoscaling upper bound. Default: 1."""
    spot: bool = False
    """Use spot / preemptible capacity. Default: on-demand."""
    sharing: SharingSpec = SharingSpec()
    """GPU sharing. Default: none."""
    node_image: str | None = None
    """GPU node image from the catalog (e.g. BOTTLEROCKET_x86_64_NVIDIA). Default: the cloud's
    first catalog image (AL2023_x86_64_NVIDIA, Ubuntu, COS_CONTAINERD)."""
    disk_size_gb: Annotated[int, Field(ge=50, le=16384)] = defaults.GPU_DISK_GB
    """Encrypted boot disk size, room for large training images. Default: 200 GB."""
    zones: list[str] = []
    """Zones for the pool (GCP zone names such as us-central1-a, Azure zone numbers 1-3);
    pick zones that have the GPU. Default: the cluster's zones."""


TeamName = Annotated[str, Field(pattern=r"^[a-z]([-a-z0-9]{0,28}[a-z0-9])?$")]
"""A team's namespace name: a DNS label of at most 30 characters."""


class TeamSpec(_Spec):
    """A team namespace with a GPU quota and a workload identity."""

    name: TeamName
    """Namespace name (DNS label, at most 30 characters)."""
    max_gpus: Annotated[int, Field(ge=0, le=100000)]
    """ResourceQuota on requests.nvidia.com/gpu for the namespace."""
    borrowing_limit: Annotated[int, Field(ge=0, le=100000)] | None = None
    """With `scheduling` on: GPUs the team may borrow from the other teams' idle quota, on
    each GPU pool (Kueue's borrowingLimit). Default: no limit (as many as are idle)."""
    lending_limit: Annotated[int, Field(ge=0, le=100000)] | None = None
    """With `scheduling` on: GPUs of its guaranteed quota, on each GPU pool, the team lends
    to others while idle (Kueue's lendingLimit; the rest stays free for the team alone).
    Default: no limit (all of it)."""
    previous_names: list[TeamName] = []
    """Names the team had before (namespace names). Renaming a team keeps its resources'
    identity through them (Pulumi aliases of the team's component and workload identity);
    Kubernetes cannot rename a namespace, so the namespace itself is still replaced, which
    deletes what runs and is stored in it. Default: none."""


class ArtifactStoreSpec(_Spec):
    """The object store for MLflow artifacts and datasets."""

    enabled: bool = True
    """Create the artifact store. Default: created."""
    noncurrent_version_days: Annotated[int, Field(ge=1, le=3650)] = defaults.NONCURRENT_VERSION_DAYS
    """Days an overwritten or deleted object version is kept. Default: 30."""
    abort_incomplete_upload_days: Annotated[int, Field(ge=1, le=365)] = (
        defaults.ABORT_INCOMPLETE_UPLOAD_DAYS
    )
    """Days before an unfinished multipart upload is removed (AWS). Default: 7."""
    soft_delete_days: Annotated[int, Field(ge=7, le=90)] = defaults.SOFT_DELETE_DAYS
    """Days a deleted object or container can be restored (Azure, GCP). Default: 7."""
    kms_key_id: str | None = None
    """Bring your own encryption key (KMS key ARN / Cloud KMS key id). Default: a key is created
    (AWS) or the cloud's managed encryption is used (Azure, GCP)."""
    size_gi: Annotated[int, Field(ge=1, le=65536)] = defaults.LOCAL_VOLUME_SIZE_GI
    """Volume size for the in-cluster store (kubernetes target). Default: 50 GiB."""


class RegistrySpec(_Spec):
    """The container registry for training and serving images."""

    enabled: bool = True
    """Create the registry. Default: created."""
    immutable_tags: bool = True
    """Refuse to overwrite an existing tag. Default: immutable."""
    scan_on_push: bool = True
    """Scan images for vulnerabilities when pushed (AWS). Default: on."""
    untagged_expiry_days: Annotated[int, Field(ge=1, le=365)] = defaults.UNTAGGED_IMAGE_DAYS
    """Days before an untagged image is deleted. Default: 14."""
    keep_last_images: Annotated[int, Field(ge=1, le=10000)] = defaults.KEEP_LAST_IMAGES
    """Tagged images kept per repository (AWS, GCP). Default: 50."""
    size_gi: Annotated[int, Field(ge=1, le=65536)] = defaults.LOCAL_VOLUME_SIZE_GI
    """Volume size for the in-cluster registry (kubernetes target). Default: 50 GiB."""


class DatabaseSpec(_Spec):
    """The PostgreSQL database behind MLflow (tracking data, model registry, users)."""

    storage_gb: Annotated[int, Field(ge=20, le=16384)] = defaults.DATABASE_STORAGE_GB
    """Allocated storage in GB. Default: 20."""
    backup_retention_days: Annotated[int, Field(ge=7, le=35)] = (
        defaults.DATABASE_BACKUP_RETENTION_DAYS
    )
    """Days automated backups are kept (at least 7). Default: 7."""
    high_availability: bool | None = None
    """Standby in another zone (RDS Multi-AZ, zone-redundant HA, REGIONAL Cloud SQL).
    Default: on in prod, off elsewhere."""
    instance_class: str | None = None
    """Instance class / SKU / tier. Default: per cloud, small in dev, general purpose in prod."""


HostName = Annotated[
    str,
    Field(pattern=r"^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]([-a-z0-9]{0,61}[a-z0-9])?$"),
]
Dns1123Label = Annotated[str, Field(pattern=r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]


class IngressSpec(_Spec):
    """An Ingress in front of MLflow, TLS only, through an ingress controller you run."""

    host: HostName
    """Fully qualified host name users reach MLflow at (e.g. mlflow.ml.example.com)."""
    class_name: Dns1123Label
    """IngressClass of your controller (e.g. nginx, traefik, alb, gce, webapprouting...)."""
    controller_namespace: Dns1123Label
    """Namespace of the controller's pods: the only outside namespace the NetworkPolicy admits
    besides the teams'."""
    tls_secret_name: Dns1123Label = "mlflow-tls"
    """Secret in the mlflow namespace holding the certificate. Default: mlflow-tls."""
    cluster_issuer: Dns1123Label | None = None
    """cert-manager ClusterIssuer that fills the TLS Secret. Default: none (bring the Secret)."""
    annotations: dict[str, str] = {}
    """Extra Ingress annotations for your controller (e.g. a body-size limit large enough for
    model artifacts). Default: none."""


class MlflowSpec(_Spec):
    """MLflow tracking server and model registry."""

    enabled: bool = False
    """Deploy MLflow. Default: off."""
    replicas: Annotated[int, Field(ge=1, le=20)] = defaults.MLFLOW_REPLICAS
    """Tracking server replicas. Default: 2."""
    auth_mode: Literal["basic"] = "basic"
    """Authentication: MLflow's basic-auth app, users kept in PostgreSQL. Default: basic."""
    image: str | None = None
    """Server image, for a private or air-gapped registry's mirror of the default. On aws, azure
    and gcp it names its registry and is pinned by digest (registry/name:tag@sha256:...); the
    kubernetes target also takes a side-loaded name. Default: MLflow's own published image with
    every driver the targets need, ghcr.io/mlflow/mlflow:v3.17.2-full
    (`mlplatform.catalog.mlflow_image`)."""
    database: DatabaseSpec = DatabaseSpec()
    """Backend database. Default: 20 GB, 7 days of backups."""
    allowed_namespaces: list[Dns1123Label] = []
    """Namespaces whose pods may reach MLflow besides the teams' and the ingress controller's.
    Default: none."""
    ingress: IngressSpec | None = None
    """Expose MLflow through an Ingress with TLS. Default: in-cluster only (port-forward)."""


class AlertsSpec(_Spec):
    """Alert thresholds (the rules themselves are the platform's, see docs/monitoring.md)."""

    gpu_idle_percent: Annotated[float, Field(ge=1, le=100)] = defaults.ALERT_GPU_IDLE_PERCENT
    """Utilization (%) below which a GPU a pod holds counts as idle. Default: 10."""
    gpu_idle_minutes: Annotated[int, Field(ge=5, le=1440)] = defaults.ALERT_GPU_IDLE_MINUTES
    """Minutes of idleness before GpuIdleWhileAllocated fires. Default: 60."""
    gpu_memory_percent: Annotated[float, Field(ge=50, le=100)] = defaults.ALERT_GPU_MEMORY_PERCENT
    """GPU memory use (%) that GpuMemoryNearlyFull warns at. Default: 95."""
    gpu_temperature_celsius: Annotated[float, Field(ge=50, le=110)] = (
        defaults.ALERT_GPU_TEMPERATURE_CELSIUS
    )
    """GPU temperature (°C) that GpuTemperatureHigh warns at. Default: 85."""
    gpu_pending_minutes: Annotated[int, Field(ge=1, le=1440)] = defaults.ALERT_GPU_PENDING_MINUTES
    """Minutes a GPU pod may stay Pending before GpuPodPendingTooLong fires. Default: 30."""
    node_not_ready_minutes: Annotated[int, Field(ge=1, le=120)] = (
        defaults.ALERT_NODE_NOT_READY_MINUTES
    )
    """Minutes a GPU node may be NotReady before GpuNodeNotReady fires. Default: 5."""
    mlflow_error_percent: Annotated[float, Field(gt=0, le=100)] = (
        defaults.ALERT_MLFLOW_ERROR_PERCENT
    )
    """Share (%) of MLflow requests failing with 5xx that MlflowHighErrorRate fires at.
    Default: 5."""
    volume_full_percent: Annotated[float, Field(ge=50, lt=100)] = defaults.ALERT_VOLUME_FULL_PERCENT
    """Volume use (%) that PersistentVolumeNearlyFull warns at. Default: 90."""
    queue_pending_minutes: Annotated[int, Field(ge=5, le=1440)] = (
        defaults.ALERT_QUEUE_PENDING_MINUTES
    )
    """Minutes a team's queue may hold waiting workloads while admitting none before
    GpuQueueStalled fires (with `scheduling` on). Default: 60."""
    serving_latency_seconds: Annotated[float, Field(gt=0, lt=10)] = (
        defaults.ALERT_SERVING_LATENCY_SECONDS
    )
    """95th percentile of a served model's inference request time, in seconds, that
    ModelServingSlow fires above (with `serving` on); below 10, MLServer's largest finite
    histogram bucket, past which no percentile can be told. Default: 1."""
    serving_error_percent: Annotated[float, Field(gt=0, le=100)] = (
        defaults.ALERT_SERVING_ERROR_PERCENT
    )
    """Share (%) of a served model's inference requests failing with 5xx that
    ModelServingErrors fires at (with `serving` on). Default: 5."""


Quantity = Annotated[str, Field(pattern=r"^[0-9]+(\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$")]
"""A Kubernetes resource quantity (500m, 2, 4Gi)."""
EmailAddress = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
HttpsUrl = Annotated[str, Field(pattern=r"^https://[^\s]+$")]


class NotificationsSpec(_Spec):
    """Where alerts go; nothing is hard-coded."""

    emails: list[EmailAddress] = []
    """Addresses the cloud's alarm channel mails. Default: none."""
    webhooks: list[HttpsUrl] = []
    """https endpoints that receive Alertmanager's webhook JSON (and the cloud alarms).
    Keep them in Pulumi secret config when they embed a token. Default: none."""


class MonitoringSpec(_Spec):
    """GPU and platform monitoring."""

    enabled: bool = False
    """Deploy monitoring. Default: off."""
    prometheus: Literal["in-cluster", "managed"] = "in-cluster"
    """Where metrics are kept and rules run: the kube-prometheus-stack in the cluster, or the
    cloud's managed Prometheus fed by the in-cluster Prometheus (Amazon Managed Service for
    Prometheus, Azure Monitor managed Prometheus, Google Cloud Managed Service for
    Prometheus), which runs the rules and alerts to `notifications`. Default: in-cluster (the
    same on every target, nothing else to exist first)."""
    retention_days: Annotated[int, Field(ge=1, le=365)] = defaults.PROMETHEUS_RETENTION_DAYS
    """Days Prometheus keeps metrics. Default: 15."""
    storage_gi: Annotated[int, Field(ge=10, le=10000)] = defaults.PROMETHEUS_STORAGE_GI
    """Prometheus volume size in GiB; retention also stops at 80% of it. Default: 50."""
    prometheus_cpu: Quantity = defaults.PROMETHEUS_CPU
    """Prometheus CPU request. Default: 500m."""
    prometheus_memory: Quantity = defaults.PROMETHEUS_MEMORY
    """Prometheus memory request and limit. Default: 4Gi."""
    grafana: bool = True
    """Install Grafana with the platform's dashboards. Default: on."""
    alerts: AlertsSpec = AlertsSpec()
    """Alert thresholds. Default: see each field."""
    notifications: NotificationsSpec = NotificationsSpec()
    """Alert destinations. Default: none (alerts show in Alertmanager only)."""


OCI_REGISTRY = re.compile(r"^oci://[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9._-]+)*/?$")
LOCAL_CHART = re.compile(r"^(\.\.?)?/\S+$")


def _oci_registry(value: str) -> str:
    if not OCI_REGISTRY.match(value):
        raise ValueError(
            "is not an OCI registry; use oci://<host>[:port][/path], e.g. "
            "oci://registry.example.com/helm-charts (Helm pulls <registry>/<chart name>)"
        )
    return value


def _pinned_chart(name: str) -> str:
    if name not in PINNED_CHARTS:
        raise ValueError(
            f"is not a chart the platform installs; use one of {', '.join(sorted(PINNED_CHARTS))}"
        )
    return name


def _local_chart(path: str) -> str:
    if not LOCAL_CHART.match(path):
        raise ValueError(
            "must start with ./, ../ or / (Helm reads a bare name as a chart repository), "
            "e.g. ./charts/kube-prometheus-stack"
        )
    return path


OciRegistry = Annotated[str, AfterValidator(_oci_registry)]
"""An OCI registry (and path) holding Helm charts: oci://registry.example.com/helm-charts."""
ChartName = Annotated[str, AfterValidator(_pinned_chart)]
"""The name of a chart the platform installs (see `mlplatform.catalog.charts`)."""
LocalChart = Annotated[str, AfterValidator(_local_chart)]
"""A local chart: a path starting with ./, ../ or /."""


class ChartsSpec(_Spec):
    """Where the platform's Helm charts come from. Every chart is pinned (see docs/monitoring.md);
    this only says where that pinned chart is fetched from, for air-gapped clusters."""

    registry: OciRegistry | None = None
    """An OCI registry that mirrors the charts: each is pulled as `<registry>/<chart name>` at
    its pinned version (e.g. oci://registry.example.com/helm-charts, where `helm push` put
    them). Default: each chart's upstream repository."""
    paths: dict[ChartName, LocalChart] = {}
    """A local copy per chart name (kube-prometheus-stack, dcgm-exporter, nvidia-device-plugin,
    gpu-operator, cluster-autoscaler, kueue, cert-manager, kserve-crd, kserve-resources,
    metrics-server): a folder holding Chart.yaml, or a .tgz archive, relative to the folder of
    Pulumi.yaml. Its Chart.yaml must name the chart and its pinned version. Takes precedence
    over `registry` for that chart. Default: none."""


class ReclaimPolicy(StrEnum):
    """Whom a team preempts to take back the GPUs it lent (Kueue reclaimWithinCohort)."""

    NEVER = "Never"
    LOWER_PRIORITY = "LowerPriority"
    ANY = "Any"


class WithinQueuePolicy(StrEnum):
    """Whom a workload preempts inside its own team's quota (Kueue withinClusterQueue)."""

    NEVER = "Never"
    LOWER_PRIORITY = "LowerPriority"
    LOWER_OR_NEWER_EQUAL_PRIORITY = "LowerOrNewerEqualPriority"


class BorrowPreemptionPolicy(StrEnum):
    """Whether a workload that must borrow may preempt another team's (Kueue
    borrowWithinCohort.policy)."""

    NEVER = "Never"
    LOWER_PRIORITY = "LowerPriority"


class PreemptionSpec(_Spec):
    """When Kueue preempts running workloads (see kueue.sigs.k8s.io/docs/concepts/preemption)."""

    reclaim_within_cohort: ReclaimPolicy = ReclaimPolicy(defaults.QUEUE_RECLAIM)
    """A team whose lent GPUs are wanted back preempts the borrowers: Never, LowerPriority
    (only lower-priority borrowers) or Any. Default: Any (a guarantee is a guarantee)."""
    within_cluster_queue: WithinQueuePolicy = WithinQueuePolicy(defaults.QUEUE_WITHIN_TEAM)
    """Inside a team's own quota: Never, LowerPriority or LowerOrNewerEqualPriority.
    Default: LowerPriority."""
    borrow_within_cohort: BorrowPreemptionPolicy = BorrowPreemptionPolicy(
        defaults.QUEUE_BORROW_PREEMPTION
    )
    """A workload that must borrow preempts another team's lower-priority ones (LowerPriority)
    or never does (Never). Default: Never."""


class SchedulingSpec(_Spec):
    """Queued GPU jobs per team with Kueue: one ClusterQueue per team holding its `maxGpus`,
    all in one cohort so idle GPUs are lent, a LocalQueue `default` in each team namespace."""

    enabled: bool = False
    """Install Kueue and queue the teams' jobs. Default: off (the ResourceQuota alone refuses
    a pod over the team's quota)."""
    cohort: Dns1123Label = defaults.GPU_COHORT
    """The Kueue cohort every team's ClusterQueue joins. Default: gpus."""
    preemption: PreemptionSpec = PreemptionSpec()
    """When running workloads are preempted. Default: see each field."""
    frameworks: list[
        Literal[
            "batch/job",
            "jobset.x-k8s.io/jobset",
            "ray.io/rayjob",
            "kubeflow.org/pytorchjob",
            "trainer.kubeflow.org/trainjob",
        ]
    ] = list(defaults.QUEUE_FRAMEWORKS)
    """Job kinds Kueue queues (its integrations); a kind whose operator is not installed waits
    for its CRD. Every one of them is queued in a team namespace even when it names no queue.
    Default: batch/job, jobset.x-k8s.io/jobset, ray.io/rayjob, kubeflow.org/pytorchjob."""


ModelName = Annotated[str, Field(pattern=r"^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$")]
"""A served model's name: a DNS-1035 label of at most 40 characters (KServe names the
predictor's Deployment and Service `<name>-predictor`, within Kubernetes' 63)."""
MlflowArtifactUri = Annotated[str, Field(pattern=r"^mlflow-artifacts:/[^/\s][^\s]*[^/\s]$")]
"""A model version's source in MLflow's artifact store, as the registry gives it."""


class ServingIngressSpec(_Spec):
    """An Ingress in front of a served model, TLS only, through an ingress controller you run."""

    host: HostName
    """Fully qualified host name clients reach the model at (e.g. churn.ml.example.com)."""
    class_name: Dns1123Label
    """IngressClass of your controller (e.g. nginx, traefik, alb, gce, webapprouting...)."""
    controller_namespace: Dns1123Label
    """Namespace of the controller's pods: the NetworkPolicy admits them to the model."""
    tls_secret_name: Dns1123Label | None = None
    """Secret in the team's namespace holding the certificate. Default: `<model>-tls`."""
    cluster_issuer: Dns1123Label | None = None
    """cert-manager ClusterIssuer that fills the TLS Secret. Default: none (bring the Secret)."""
    annotations: dict[str, str] = {}
    """Extra Ingress annotations for your controller. Default: none."""


class ServedModelSpec(_Spec):
    """One MLflow model version served by KServe in its team's namespace, under the team's
    workload identity."""

    name: ModelName
    """The InferenceService's name, also the model's name in the V2 protocol
    (/v2/models/<name>/infer)."""
    team: TeamName
    """The team that serves it: its namespace, workload identity and GPU quota."""
    model_uri: MlflowArtifactUri
    """The model version's source (`MlflowClient().get_model_version_download_uri(name,
    version)`, e.g. mlflow-artifacts:/1/models/m-0123abcd/artifacts): read from the artifact
    store through the team's workload identity, or through MLflow on the kubernetes target."""
    pool: PoolName | None = None
    """GPU pool the model runs on (its node labels and tolerations). Default: none (CPU, on the
    cluster's general nodes)."""
    gpus: Annotated[int, Field(ge=0, le=8)] | None = None
    """GPUs per replica. Default: 1 on a GPU pool, none without one."""
    cpu: Quantity = defaults.SERVING_CPU
    """CPU requested per replica (the limit is not set: a model may burst). Default: 1."""
    memory: Quantity = defaults.SERVING_MEMORY
    """Memory per replica, request and limit. Default: 2Gi."""
    min_replicas: Annotated[int, Field(ge=1, le=100)] = defaults.SERVING_MIN_REPLICAS
    """Replicas always running. At least 1: in KServe's Standard mode nothing scales a model up
    from zero on a request (no activator), see docs/workloads.md. Default: 1."""
    max_replicas: Annotated[int, Field(ge=1, le=100)] | None = None
    """Replicas the HorizontalPodAutoscaler may scale to on CPU use. Default: `minReplicas`
    (no autoscaling)."""
    allowed_namespaces: list[Dns1123Label] = []
    """Namespaces whose pods may call the model besides its team's. Default: none."""
    ingress: ServingIngressSpec | None = None
    """Expose the model through an Ingress with TLS. Default: in-cluster only."""

    @property
    def gpus_per_replica(self) -> int:
        """GPUs each replica requests: as configured, else 1 on a GPU pool and 0 off one."""
        if self.gpus is not None:
            return self.gpus
        return 1 if self.pool is not None else 0

    @property
    def replicas_at_most(self) -> int:
        """Replicas the model may run at once."""
        return self.max_replicas if self.max_replicas is not None else self.min_replicas


class ServingSpec(_Spec):
    """Models served from the MLflow registry with KServe in its Standard (raw Deployment)
    mode: no service mesh, no Knative."""

    enabled: bool = False
    """Install KServe (and cert-manager, which it needs). Default: off."""
    runtime_image: str | None = None
    """The MLServer image the models run in, built from images/serving (MLServer and its MLflow
    runtime with the tracking server's MLflow). Default: `mlplatform-serving:<tag>` in the
    platform's registry (`mlplatform.catalog.serving`); required when the registry is off."""
    install_cert_manager: bool = True
    """Install cert-manager (pinned) for KServe's webhook certificate. Turn off only when the
    cluster already runs cert-manager 1.15 or later. Default: installed."""
    models: list[ServedModelSpec] = []
    """The models to serve. Default: none."""


class BudgetSpec(_Spec):
    """Spending guardrails."""

    max_gpus: Annotated[int, Field(ge=1, le=100000)] | None = None
    """Cap on GPUs across all pools at their maximum size. Default: no cap."""
    max_monthly_usd: Annotated[float, Field(gt=0)] | None = None
    """Monthly spend cap: `mlplatform check` fails when the expected monthly cost (see
    `mlplatform cost`) exceeds it, or when a charge has no known price (the cost is then only
    a floor) unless `allowUnpriced` is set. Default: no cap."""
    allow_unpriced: bool = False
    """Judge `maxMonthlyUsd` on the priced charges alone, letting charges with no known price
    (a region or shape the price tables lack) pass; they are still listed as advice. Default:
    a charge with no known price fails the budget check."""
    expected_gpu_hours: Annotated[float, Field(ge=0, le=730)] = defaults.EXPECTED_GPU_HOURS
    """Hours a month each GPU node above its pool's minimum is expected to run: the expected
    figure of the cost estimate. Default: 160 (8 hours x 20 working days)."""
    expected_storage_gb: Annotated[float, Field(ge=0, le=10_000_000)] = defaults.EXPECTED_STORAGE_GB
    """GB the cost estimate assumes each object store (bucket, storage account) holds.
    Default: 100."""
    expected_registry_gb: Annotated[float, Field(ge=0, le=1_000_000)] = (
        defaults.EXPECTED_REGISTRY_GB
    )
    """GB of images the cost estimate assumes the container registry holds. Default: 50."""


class GcpSpec(_Spec):
    """GCP-only settings."""

    project: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")]
    """The GCP project id that owns every resource."""


class AzureSpec(_Spec):
    """Azure-only settings."""

    existing_resource_group: str | None = None
    """Put resources in this existing resource group. Default: create one per stack."""
    deployer_principal_type: Literal["User", "ServicePrincipal"] = defaults.DEPLOYER_PRINCIPAL_TYPE
    """Who runs `pulumi up` (it is given AKS RBAC Cluster Admin): a person signed in with
    `az login` (User) or a CI identity (ServicePrincipal). Default: User."""
    # Name rules: learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
    # (resource groups: 1-90 of letters, digits, _-.(), not ending in a period; network
    # watchers: 1-80 of letters, digits, _-., starting alphanumeric, ending alphanumeric or _).
    network_watcher_resource_group: Annotated[str, Field(pattern=r"^[-\w.()]{0,89}[-\w()]$")] = (
        defaults.NETWORK_WATCHER_RESOURCE_GROUP
    )
    """Resource group of the region's Network Watcher, where the VNet flow log is created.
    Default: NetworkWatcherRG (where Azure enables Network Watcher by itself)."""
    network_watcher_name: (
        Annotated[str, Field(pattern=r"^[A-Za-z0-9]([-\w.]{0,78}\w)?$")] | None
    ) = None
    """Name of the region's Network Watcher. Default: NetworkWatcher_<region>."""


class KubernetesSpec(_Spec):
    """Settings for the kubernetes target (an existing cluster)."""

    context: str | None = None
    """kubeconfig context of the existing cluster. Default: the current context."""
    namespace: Annotated[str, Field(pattern=r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")] = (
        defaults.PLATFORM_NAMESPACE
    )
    """Namespace for the platform's in-cluster services. Default: mlplatform."""
    storage_class: str | None = None
    """StorageClass for volumes. Default: the cluster's default StorageClass."""


class PlatformConfig(_Spec):
    """One environment of the ML platform: the single source of truth for a stack."""

    target: Target
    """Where to build: aws, azure, gcp or kubernetes (an existing cluster)."""
    environment: Environment
    """dev, staging or prod; prod enables stricter rules."""
    region: str | None = None
    """Cloud region (us-east-1 / westeurope / us-central1). Required on clouds."""
    tags: dict[str, str] = {}
    """Tags (AWS, Azure) or labels (GCP, Kubernetes) put on every resource. Default: none
    beyond environment, stack and managed-by."""
    network: NetworkSpec = NetworkSpec()
    """Network settings. Default: a created private network."""
    cluster: ClusterSpec = ClusterSpec()
    """Cluster settings. Default: private endpoint, Kubernetes 1.36."""
    gpu_pools: list[GpuPoolSpec] = []
    """GPU node pools. Default: none."""
    teams: list[TeamSpec] = []
    """Team namespaces with GPU quotas and a workload identity each. Default: none."""
    artifact_store: ArtifactStoreSpec = ArtifactStoreSpec()
    """Artifact store. Default: created, versioned, encrypted, private."""
    registry: RegistrySpec = RegistrySpec()
    """Container registry. Default: created, private, immutable tags."""
    mlflow: MlflowSpec = MlflowSpec()
    """MLflow. Default: off."""
    monitoring: MonitoringSpec = MonitoringSpec()
    """Monitoring. Default: off."""
    scheduling: SchedulingSpec = SchedulingSpec()
    """Queued GPU jobs per team (Kueue). Default: off."""
    serving: ServingSpec = ServingSpec()
    """Models served from the MLflow registry (KServe). Default: off."""
    charts: ChartsSpec = ChartsSpec()
    """Where Helm charts come from. Default: each chart's upstream repository."""
    budget: BudgetSpec = BudgetSpec()
    """Spending guardrails. Default: none."""
    protect: bool = True
    """Protect stateful resources (buckets, registries, databases) from deletion. Default: on."""
    allow_unprotected_prod: bool = False
    """Explicit override that lets a prod stack set protect: false. Default: off."""
    gcp: GcpSpec | None = None
    """GCP settings; required when target is gcp."""
    azure: AzureSpec | None = None
    """Azure settings; only when target is azure."""
    kubernetes: KubernetesSpec | None = None
    """Existing-cluster settings; only when target is kubernetes."""

    @property
    def aks_standard_tier(self) -> bool:
        """Whether AKS runs on its Standard tier (uptime SLA, a priced control plane): in prod;
        elsewhere the Free tier."""
        return self.environment is Environment.PROD

    @property
    def database_standby(self) -> bool:
        """Whether the MLflow database runs with a standby: as configured, else on in prod."""
        ha = self.mlflow.database.high_availability
        return self.environment is Environment.PROD if ha is None else ha
