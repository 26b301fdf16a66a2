"""Named defaults shared by the environment spec and the components, in one place."""

NONCURRENT_VERSION_DAYS = 30
"""Days an overwritten or deleted object version is kept."""
ABORT_INCOMPLETE_UPLOAD_DAYS = 7
"""Days before an unfinished multipart upload is removed."""
SOFT_DELETE_DAYS = 7
"""Days a deleted object or container can be restored (GCS minimum is 7)."""
UNTAGGED_IMAGE_DAYS = 14
"""Days before an untagged container image is deleted."""
KEEP_LAST_IMAGES = 50
"""Tagged images kept per repository."""
LOCAL_VOLUME_SIZE_GI = 50
"""Volume size of in-cluster stand-ins (artifact store, registry)."""
KMS_DELETION_WINDOW_DAYS = 30
"""Waiting period before a scheduled KMS key deletion completes (the AWS maximum)."""
SYSTEM_INSTANCE_TYPES = {"aws": "m6i.large", "azure": "Standard_D4ds_v5", "gcp": "e2-standard-4"}
"""General-purpose CPU node shape of the system pool per cloud."""
SYSTEM_POOL_NAME = "system"
"""The cluster's own pool for the platform's services (EKS node group `<cluster>-system`, AKS
agent pool `system`, GKE node pool `<cluster>-system`): no GPU pool may take the name."""
SYSTEM_MIN_NODES = 2
"""Lower bound of the system pool: two nodes, so add-ons survive one node's loss."""
SYSTEM_MAX_NODES = 4
"""Upper bound of the system pool."""
KUBERNETES_VERSION = "1.36"
"""Kubernetes minor version of a new cluster: in standard support on EKS, AKS and GKE until
mid-2027 (EKS gives a minor version 14 months of standard support: docs.aws.amazon.com/eks/
latest/userguide/kubernetes-versions.html)."""
RELEASE_CHANNEL = "regular"
"""How fast the control plane follows new Kubernetes releases (AKS auto-upgrade channel, GKE
release channel)."""
DEPLOYER_PRINCIPAL_TYPE = "User"
"""Who runs `pulumi up` on Azure: a person signed in with `az login`."""
VPC_CIDR = "10.0.0.0/16"
"""Address range of a created network."""
ZONE_COUNT = 3
"""Availability zones a created AWS network spreads its subnets and NAT over."""
GPUS_PER_NODE = 1
"""GPUs on each node of a GPU pool."""
GPU_POOL_MIN_NODES = 0
"""Lower bound of a GPU pool: scaled to zero when idle."""
GPU_POOL_MAX_NODES = 1
"""Upper bound of a GPU pool."""
GPU_SHARING_MODE = "none"
"""GPU sharing of a pool: none, one pod per GPU."""
GPU_SHARING_REPLICAS = 1
"""Pods per GPU (time-slicing and MPS need 2 or more, set explicitly)."""
DATABASE_STORAGE_GB = 20
"""Allocated storage of the MLflow database (RDS, Cloud SQL, in-cluster volume; Azure rounds
it up to its smallest offered size)."""
DATABASE_BACKUP_RETENTION_DAYS = 7
"""Days the MLflow database's automated backups are kept: the least Azure Database for
PostgreSQL flexible server allows ("a retention period between 7 and 35 days",
learn.microsoft.com/azure/postgresql/flexible-server/concepts-backup-restore)."""
DATABASE_CLASSES = {
    "aws": ("db.t4g.medium", "db.m7g.large"),
    "azure": ("Standard_B2ms", "Standard_D2ds_v5"),
    "gcp": ("db-custom-1-3840", "db-custom-2-7680"),
}
"""The MLflow database's instance class (RDS) / compute SKU (Flexible Server) / machine tier
(Cloud SQL) per cloud: (without a standby, with one). Without a standby, a small one; with
one, the smallest general-purpose size that has one (Azure's Burstable tier has no
zone-redundant HA)."""
PLATFORM_NAMESPACE = "mlplatform"
"""Namespace of the platform's in-cluster services on the kubernetes target."""
PROMETHEUS_RETENTION_DAYS = 15
"""Days the in-cluster Prometheus keeps metrics."""
PROMETHEUS_STORAGE_GI = 50
"""Prometheus volume size (GiB)."""
PROMETHEUS_CPU = "500m"
"""Prometheus CPU request."""
PROMETHEUS_MEMORY = "4Gi"
"""Prometheus memory request and limit."""
MLFLOW_PROCESSES = 4
"""MLflow server processes the database connection alarms assume when not told (two replicas
of two workers)."""
GPU_TAINT = {"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"}
"""Taint on every GPU node: only pods that tolerate it (GPU workloads) land there."""
GPU_LABEL = "mlplatform.io/gpu"
"""Node label holding the portable GPU name (T4, H100, ...)."""
POOL_LABEL = "mlplatform.io/pool"
"""Node label holding the GPU pool name."""
GPU_PRESENT_LABEL = "nvidia.com/gpu.present"
"""Label set to "true" on GPU nodes; the NVIDIA device plugin's affinity selects on it."""
DEVICE_PLUGIN_CONFIG_LABEL = "nvidia.com/device-plugin.config"
"""Node label naming the NVIDIA device-plugin config a node uses (GPU sharing per pool)."""
EKS_STORAGE_CLASS = "gp3"
"""The default StorageClass mlplatform makes on EKS: encrypted gp3 volumes (EBS CSI driver)."""
GPU_DISK_GB = 200
"""Encrypted boot / image disk of a GPU node: room for large CUDA training images."""
MLFLOW_REPLICAS = 2
"""MLflow tracking server replicas (a PodDisruptionBudget keeps one up)."""
MLFLOW_NAMESPACE = "mlflow"
"""Namespace of the MLflow server and, on the kubernetes target, its database."""
ALERT_GPU_IDLE_PERCENT = 10
"""A GPU a pod holds below this utilization (%) counts as idle."""
ALERT_GPU_IDLE_MINUTES = 60
"""Minutes of idleness before GpuIdleWhileAllocated fires."""
ALERT_GPU_MEMORY_PERCENT = 95
"""GPU memory use (%) that GpuMemoryNearlyFull warns at."""
ALERT_GPU_TEMPERATURE_CELSIUS = 85
"""GPU temperature (°C) that GpuTemperatureHigh warns at."""
ALERT_GPU_PENDING_MINUTES = 30
"""Minutes a GPU pod may stay Pending before GpuPodPendingTooLong fires."""
ALERT_NODE_NOT_READY_MINUTES = 5
"""Minutes a GPU node may be NotReady before GpuNodeNotReady fires."""
ALERT_MLFLOW_ERROR_PERCENT = 5
"""Share (%) of MLflow requests failing with 5xx that MlflowHighErrorRate fires at."""
ALERT_VOLUME_FULL_PERCENT = 90
"""Volume use (%) that PersistentVolumeNearlyFull warns at."""
ALERT_QUEUE_PENDING_MINUTES = 60
"""Minutes a team's queue may hold workloads waiting for GPUs, admitting none, before
GpuQueueStalled fires."""
ALERT_SERVING_LATENCY_SECONDS = 1
"""95th percentile of a served model's request time (s) that ModelServingSlow fires above."""
ALERT_SERVING_ERROR_PERCENT = 5
"""Share (%) of a served model's requests failing with 5xx that ModelServingErrors fires at."""
SERVING_CPU = "1"
"""CPU a served model's replica requests."""
SERVING_MEMORY = "2Gi"
"""Memory of a served model's replica (request and limit)."""
SERVING_MIN_REPLICAS = 1
"""Replicas of a served model always running."""
SERVING_NAMESPACE = "kserve"
"""Namespace of the KServe controller (its documented one)."""
CERT_MANAGER_NAMESPACE = "cert-manager"
"""Namespace of cert-manager (its documented one)."""
MLFLOW_CREDENTIALS_SECRET = "mlflow-credentials"
"""Secret in a team's namespace with the MLflow user (keys `username`, `password`) its models
are fetched as through MLflow's artifact proxy (the kubernetes target)."""
QUEUE_NAMESPACE = "kueue-system"
"""Namespace of the Kueue controller (the chart's documented one)."""
LOCAL_QUEUE = "default"
"""Name of each team's LocalQueue: Kueue sends a job that names no queue to the LocalQueue
called `default` in its namespace (its LocalQueueDefaulting, GA in v0.17.0)."""
QUEUE_SERVICE_MONITOR = "kueue-controller-manager-metrics-monitor"
"""The ServiceMonitor of Kueue's metrics (the name the chart's own would have)."""
GPU_COHORT = "gpus"
"""Kueue cohort every team's ClusterQueue joins, so idle GPUs can be borrowed."""
QUEUE_FRAMEWORKS = (
    "batch/job",
    "jobset.x-k8s.io/jobset",
    "ray.io/rayjob",
    "kubeflow.org/pytorchjob",
)
"""Job kinds Kueue queues by default (integration names of charts/kueue/values.yaml, v0.17.0)."""
QUEUE_RECLAIM = "Any"
"""Kueue reclaimWithinCohort: a team whose lent GPUs are wanted back may preempt the
borrowers' workloads, whatever their priority."""
QUEUE_WITHIN_TEAM = "LowerPriority"
"""Kueue withinClusterQueue: inside a team's quota a workload may preempt the team's own
lower-priority workloads."""
QUEUE_BORROW_PREEMPTION = "Never"
"""Kueue borrowWithinCohort policy: a workload that must borrow never preempts another team's."""
MONITORING_NAMESPACE = "monitoring"
"""Namespace of the in-cluster monitoring stack (Prometheus, Alertmanager, Grafana, DCGM)."""
GRAFANA_ADMIN_SECRET = "grafana-admin"
"""The Secret holding Grafana's admin user and password, in the monitoring namespace."""
ALERT_RULES = "mlplatform"
"""The PrometheusRule holding the platform's alert groups (in-cluster Prometheus)."""
DCGM_SERVICE_MONITOR = "mlplatform-dcgm-exporter"
"""The DCGM exporter's ServiceMonitor: not the chart's own name, which its ServiceMonitor held
until 0.1.0."""
DASHBOARD_GPU_FLEET = "mlplatform-gpu-fleet"
DASHBOARD_GPU_WASTE = "mlplatform-gpu-waste"
DASHBOARD_MLFLOW = "mlplatform-mlflow"
DASHBOARD_SERVING = "mlplatform-serving"
DASHBOARDS = (DASHBOARD_GPU_FLEET, DASHBOARD_GPU_WASTE, DASHBOARD_MLFLOW, DASHBOARD_SERVING)
"""The Grafana dashboards' uids, each also the name of the ConfigMap that ships it."""
GMP_QUERY_FRONTEND = "gmp-query-frontend"
"""Name of Google's query frontend Deployment, Service and service account (GKE with managed
Prometheus)."""
MLFLOW_SERVICE_MONITOR = "mlflow"
"""The ServiceMonitor that scrapes the MLflow server, in its namespace."""
GPU_QUOTA = "gpu-quota"
"""The ResourceQuota on GPUs in each team's namespace."""
WORKLOAD_SERVICE_ACCOUNT = "ml-workload"
"""The service account of each team's namespace, bound to the team's cloud identity."""
AMP_RULE_NAMESPACE = "mlplatform"
"""The Amazon Managed Service for Prometheus rule group namespace of the platform's alerts."""
ARTIFACT_CONTAINER = "artifacts"
"""The blob container of the Azure artifact store."""
BLOB_PRIVATE_DNS_ZONE = "privatelink.blob.core.windows.net"
ACR_PRIVATE_DNS_ZONE = "privatelink.azurecr.io"
"""The private DNS zones Azure names for private endpoints to blob storage and a container
registry (learn.microsoft.com/azure/private-link/private-endpoint-dns, ms.date 07/16/2026:
Storage account blob, Azure Container Registry)."""
EXPECTED_GPU_HOURS = 160
"""Hours a month the cost estimate assumes each GPU node above its pool's minimum runs
(8 hours on 20 working days)."""
EXPECTED_STORAGE_GB = 100
"""GB the cost estimate assumes each object store holds."""
EXPECTED_REGISTRY_GB = 50
"""GB of images the cost estimate assumes each container registry holds."""
LOG_RETENTION_DAYS = 30
"""Days cluster logs are kept (CloudWatch, Log Analytics)."""
FLOW_LOG_RETENTION_DAYS = 90
"""Days network flow logs are kept (AWS VPC flow logs in CloudWatch, Azure VNet flow logs in
storage): the 90 days CIS asks of flow logs (CIS Microsoft Azure Foundations, "flow log
retention period is greater than or equal to 90 days"), and a CloudWatch retention period."""
NETWORK_WATCHER_RESOURCE_GROUP = "NetworkWatcherRG"
"""Where Azure creates each region's Network Watcher when it enables it for a subscription
(learn.microsoft.com/azure/network-watcher/frequently-asked-questions, "What is the
NetworkWatcherRG?"): on the first virtual network created or updated in the region, unless
the subscription opted out (network-watcher-create, "Network Watcher is automatically
enabled"). One watcher per region and subscription, so a stack names it and never makes it;
README, "Deploying for real", step 0, makes it where there is none."""
PGAUDIT_LIBRARY = "pgaudit"
"""The pgAudit library, loaded through shared_preload_libraries on RDS and Azure Database for
PostgreSQL (Cloud SQL loads it with its cloudsql.enable_pgaudit flag)."""
PGAUDIT_CLASSES = "ddl,role"
"""The statement classes pgAudit logs on the MLflow database: schema changes and role and
grant changes. Never read, write or all: MLflow's auth tables (users, password hashes,
permissions) are read and written with statements whose text would land in the log; pgAudit
redacts passwords from ROLE statements (Azure Database for PostgreSQL, concepts-audit), and
statement parameters stay off (pgaudit.log_parameter). Lowercase, comma-separated: the form
RDS, Azure (allowed values none,read,write,function,role,ddl,misc,all) and Cloud SQL take."""
NETWORK_WATCHER_NAME = "NetworkWatcher_{location}"
"""The name Azure gives a region's Network Watcher (same FAQ: "NetworkWatcher_RegionName")."""
CLOUDWATCH_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)
"""The retention periods a CloudWatch log group accepts (PutRetentionPolicy)."""

ALERT_ROUTE = {
    "group_by": ["alertname", "namespace"],
    "group_wait": "30s",
    "group_interval": "5m",
    "repeat_interval": "4h",
    "routes": [{"receiver": "null", "matchers": ['alertname =~ "Watchdog|InfoInhibitor"']}],
}
"""How Alertmanager (in the cluster or in AMP) groups and repeats the platform's alerts; the
kube-prometheus-stack heartbeat and inhibition helpers, not meant for people, go to a
receiver named "null"."""

GMP_PROMETHEUS_IMAGE = {
    "registry": "gke.gcr.io",
    "repository": "prometheus-engine/prometheus",
    "tag": "v2.53.5-gmp.2-gke.0",
}
"""Google's Prometheus fork for self-deployed collection, based on Prometheus 2.53.5: the
build Google's own prometheus-engine chart ships (charts/values.global.yaml, 2026)."""
