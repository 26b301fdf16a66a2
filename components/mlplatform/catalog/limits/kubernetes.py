"""Layer 1, data: Kubernetes' own rules for what the spec turns into Kubernetes objects
(resource quantities, object names, annotation keys) and the namespaces the platform, the
clusters it builds and Kubernetes itself keep, read 2026-12-06.
"""

from typing import NamedTuple

from mlplatform import defaults

# ----------------------------------------------------------------------------- quantities

QUANTITY_SOURCE = (
    "kubernetes/apimachinery pkg/api/resource/quantity.go (the grammar: '<quantity> ::= "
    "<signedNumber><suffix>', '<binarySI> ::= Ki | Mi | Gi | Ti | Pi | Ei', '<decimalSI> ::= m "
    '| "" | k | M | G | T | P | E\', \'<decimalExponent> ::= "e" <signedNumber> | "E" '
    "<signedNumber>') and suffix.go (its parser also takes n and u); Kubernetes, Resource "
    "Management for Pods and Containers (kubernetes.io/docs/concepts/configuration/"
    "manage-resources-containers/, read 2026-12-06): 'If you request 400m of memory, this is a "
    "request for 0.4 bytes. Someone who types that probably meant to ask for 400 mebibytes "
    "(400Mi) or 400 megabytes (400M)'"
)
QUANTITY_DOC = "kubernetes.io/docs/concepts/configuration/manage-resources-containers"
QUANTITY_SUFFIXES: dict[str, tuple[int, int]] = {
    "n": (10, -9),
    "u": (10, -6),
    "m": (10, -3),
    "": (10, 0),
    "k": (10, 3),
    "M": (10, 6),
    "G": (10, 9),
    "T": (10, 12),
    "P": (10, 15),
    "E": (10, 18),
    "Ki": (2, 10),
    "Mi": (2, 20),
    "Gi": (2, 30),
    "Ti": (2, 40),
    "Pi": (2, 50),
    "Ei": (2, 60),
}
"""Each quantity suffix as (base, exponent): m is milli (10^-3), Mi mebi (2^20), per
`QUANTITY_SOURCE`. An exponent suffix (e3, E-2) is read by the parser itself."""

PROMETHEUS_MIN_MEMORY = 64 * 2**20
"""The least memory (bytes) preflight lets Prometheus ask for: 64Mi, the smallest memory
request of Kubernetes' own examples ('a request of 0.25 cpu and 64MiB', `QUANTITY_DOC`).
`monitoring.prometheusMemory` is Prometheus's limit too, so below it the server is killed for
memory as it loads the platform's rules and targets: a smaller figure is a unit slip (2048m is
2 bytes), not a sizing choice."""
PROMETHEUS_MIN_CPU_MILLI = 10
"""The least CPU (millicores) preflight lets Prometheus ask for: 10m, a hundredth of a core.
Kubernetes refuses nothing finer than 1m ('precision finer than 1m is not allowed',
`QUANTITY_DOC`), but below 10m the request is a unit slip, not a sizing choice."""


class NodeSize(NamedTuple):
    """The CPU and memory of one node shape, before the kubelet's own reservations."""

    vcpus: int
    memory_gib: int
    source: str
    checked: str = "2026-12-06"


SYSTEM_NODE_SIZES: dict[str, NodeSize] = {
    # The default system pool shapes (`defaults.SYSTEM_INSTANCE_TYPES`).
    "m6i.large": NodeSize(
        2,
        8,
        "Karpenter's EC2 instance type reference, generated from DescribeInstanceTypes "
        "(aws/karpenter-provider-aws website/content/en/docs/reference/instance-types.md): "
        "m6i.large karpenter.k8s.aws/instance-cpu 2, instance-memory 8192",
    ),
    "Standard_D4ds_v5": NodeSize(
        4,
        16,
        "learn.microsoft.com/azure/virtual-machines/sizes/general-purpose/ddsv5-series: "
        "Standard_D4ds_v5, 4 vCPUs, 16 GiB",
    ),
    "e2-standard-4": NodeSize(
        4,
        16,
        "cloud.google.com/compute/docs/general-purpose-machines#e2-standard: e2-standard-4, "
        "4 vCPUs, 16 GB",
    ),
}
"""Node shapes whose size preflight knows: a request larger than a whole node of the system
pool (where the platform's in-cluster services run: its GPU nodes are tainted) can never be
scheduled ('The scheduler ensures that, for each resource type, the sum of the resource
requests of the scheduled containers is less than the capacity of the node', `QUANTITY_DOC`)."""

# ----------------------------------------------------------------------------------- names

NAMES_SOURCE = (
    "Kubernetes, Object Names and IDs (kubernetes.io/docs/concepts/overview/working-with-objects/"
    "names/, last modified 2026-04-23, read 2026-12-06): DNS subdomain names 'contain no more "
    "than 253 characters, contain only lowercase alphanumeric characters, '-' or '.', start with "
    "an alphanumeric character, end with an alphanumeric character'; 'While RFC 1123 "
    "technically allows labels to start with digits, the current Kubernetes implementation "
    "requires both RFC 1035 and RFC 1123 labels to start with an alphabetic character'"
)
NAMES_DOC = "kubernetes.io/docs/concepts/overview/working-with-objects/names"
DNS1123_LABEL_FORM = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
"""An RFC 1123 label as the API server checks it (apimachinery pkg/util/validation
`dns1123LabelFmt`); the other Kubernetes name forms here, and the name and label rules of
`mlplatform.catalog.limits.names` and `.tags`, are built from it and `QUALIFIED_NAME_FORM`."""
DNS_SUBDOMAIN_FORM = rf"{DNS1123_LABEL_FORM}(\.{DNS1123_LABEL_FORM})*"
DNS_SUBDOMAIN = rf"^{DNS_SUBDOMAIN_FORM}$"
DNS_SUBDOMAIN_MAX = 253
"""Most objects' names, a StorageClass's among them (apimachinery pkg/util/validation:
`dns1123SubdomainFmt`, `DNS1123SubdomainMaxLength int = 253`)."""
DNS_LABEL = r"^[a-z]([-a-z0-9]*[a-z0-9])?$"
DNS_LABEL_MAX = 63
"""A namespace's name: an RFC 1123 label (apimachinery `ValidateNamespaceName =
NameIsDNSLabel`, `DNS1123LabelMaxLength int = 63`), starting with a letter per `NAMES_SOURCE`."""

ANNOTATIONS_SOURCE = (
    "Kubernetes, Annotations (kubernetes.io/docs/concepts/overview/working-with-objects/"
    "annotations/, read 2026-12-06): 'Valid annotation keys have two segments: an optional "
    "prefix and name, separated by a slash (/). The name segment is required and must be 63 "
    "characters or less, beginning and ending with an alphanumeric character ([a-z0-9A-Z]) with "
    "dashes (-), underscores (_), dots (.), and alphanumerics between. The prefix is optional. "
    "If specified, the prefix must be a DNS subdomain'"
)
ANNOTATIONS_DOC = "kubernetes.io/docs/concepts/overview/working-with-objects/annotations"
QUALIFIED_NAME_FORM = r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
"""The name part of a label or annotation key, and a label value (apimachinery
pkg/api/validate/content/kube.go `labelKeyFmt`, `labelValueFmt`)."""
QUALIFIED_NAME = rf"^({QUALIFIED_NAME_FORM})$"
QUALIFIED_NAME_MAX = 63

# ------------------------------------------------------------------------------ namespaces

NAMESPACES_SOURCE = (
    "Kubernetes, Namespaces (kubernetes.io/docs/concepts/overview/working-with-objects/"
    "namespaces/, read 2026-12-06): 'Kubernetes starts with four initial namespaces: default, "
    "kube-node-lease, kube-public, kube-system'; 'Avoid creating namespaces with the prefix "
    "kube-, since it is reserved for Kubernetes system namespaces'"
)
KUBERNETES_NAMESPACES = frozenset({"default", "kube-node-lease", "kube-public", "kube-system"})
KUBERNETES_PREFIX = "kube-"


class PlatformNamespace(NamedTuple):
    """A namespace something the platform builds creates, whichever features are on today:
    a team or the platform namespace taking it would clash with it the day that feature is."""

    name: str
    owner: str
    """What creates it, and the spec key that turns it on."""
    targets: frozenset[str]
    source: str


_EVERY_TARGET = frozenset({"aws", "azure", "gcp", "kubernetes"})
_CLOUDS = frozenset({"aws", "azure", "gcp"})

PLATFORM_NAMESPACES: tuple[PlatformNamespace, ...] = (
    PlatformNamespace(
        defaults.MLFLOW_NAMESPACE,
        "the platform's MLflow server (mlflow.enabled)",
        _CLOUDS,
        "components/mlplatform/compose/mlflow.py, add_mlflow (the kubernetes target runs "
        "MLflow in kubernetes.namespace instead)",
    ),
    PlatformNamespace(
        defaults.MONITORING_NAMESPACE,
        "the platform's monitoring stack (monitoring.enabled)",
        _EVERY_TARGET,
        "components/mlplatform/kubernetes/monitoring/stack.py, NAMESPACE",
    ),
    PlatformNamespace(
        "nvidia-device-plugin",
        "the NVIDIA device plugin the platform installs (cluster.gpuEnablement)",
        _EVERY_TARGET,
        "components/mlplatform/kubernetes/gpu.py: the namespace is the chart's name",
    ),
    PlatformNamespace(
        "gpu-operator",
        "the NVIDIA GPU operator (cluster.gpuEnablement: gpu-operator)",
        _EVERY_TARGET,
        "components/mlplatform/kubernetes/gpu.py: the namespace is the chart's name",
    ),
    PlatformNamespace(
        "amazon-cloudwatch",
        "the amazon-cloudwatch-observability EKS add-on the platform installs for Container "
        "Insights (monitoring.enabled)",
        frozenset({"aws"}),
        "components/mlplatform/aws/cluster.py, CLOUDWATCH_AGENT_SERVICE_ACCOUNT; Amazon EKS, "
        "Amazon CloudWatch Observability agent (docs.aws.amazon.com/eks/latest/userguide/"
        "amazon-cloudwatch-observability.html, read 2026-12-06): 'eksctl create iamserviceaccount "
        "--name cloudwatch-agent --namespace amazon-cloudwatch'",
    ),
    PlatformNamespace(
        "gmp-system",
        "GKE's managed collection for Managed Service for Prometheus (cluster.managedPrometheus)",
        frozenset({"gcp"}),
        "Google Cloud, Set up managed data collection with Managed Service for Prometheus "
        "(cloud.google.com/kubernetes-engine/multi-cloud/docs/azure/how-to/"
        "managed-service-prometheus, updated 2025-09-03): managed collection creates the "
        "gmp-system namespace ('do not modify or deploy anything in it') and gmp-public",
    ),
    PlatformNamespace(
        "gmp-public",
        "GKE's managed collection for Managed Service for Prometheus (cluster.managedPrometheus)",
        frozenset({"gcp"}),
        "as gmp-system: 'Managed Service for Prometheus uses the gmp-public namespace to deploy "
        "the OperatorConfig resource'",
    ),
)
"""The namespaces the platform (or the managed add-ons it turns on) creates, besides the
kubernetes target's platform namespace (`kubernetes.namespace`, default
`defaults.PLATFORM_NAMESPACE`) and the teams'."""
PLATFORM_NAMESPACE_OWNER = "the platform's in-cluster services (kubernetes.namespace)"
