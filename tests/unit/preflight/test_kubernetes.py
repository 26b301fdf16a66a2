"""Preflight of what the spec turns into Kubernetes objects: resource quantities, object names,
annotation keys, and the namespaces the platform, its clusters and Kubernetes keep. Each test
names the source of the fact it holds the check to."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from mlplatform.environment import ConfigError, ConfigIssue, parse
from mlplatform.environment.preflight import kubernetes
from mlplatform.environment.preflight.kubernetes import ALLOCATABLE
from tests.unit.preflight.specs import AWS, AZURE, GCP, LOCAL, found

UNITS = (
    "Kubernetes resource units, "
    "kubernetes.io/docs/concepts/configuration/manage-resources-containers"
)
NAMESPACES = (
    "Kubernetes namespaces, kubernetes.io/docs/concepts/overview/working-with-objects/namespaces"
)


def errors(values: dict[str, Any]) -> list[ConfigIssue]:
    """This module's errors of `values` (the other modules' are theirs to test)."""
    return found(kubernetes.ERRORS, values)


def warnings(values: dict[str, Any]) -> list[ConfigIssue]:
    """This module's warnings of `values`."""
    return found(kubernetes.WARNINGS, values)


def monitoring(**quantities: str) -> dict[str, Any]:
    return {"monitoring": {"enabled": True, **quantities}}


# ------------------------------------------------------------------------------ quantities


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("500m", Decimal("0.5")),
        ("2", Decimal(2)),
        ("4Gi", Decimal(4 * 2**30)),
        ("1.5Gi", Decimal(3 * 2**29)),
        ("129e6", Decimal(129_000_000)),
        ("129M", Decimal(129_000_000)),
        ("128974848000m", Decimal(128_974_848)),
        ("1k", Decimal(1000)),
        ("5u", Decimal("0.000005")),
        ("+.5", Decimal("0.5")),
        ("1Ei", Decimal(2**60)),
    ],
)
def test_quantities_parse_as_kubernetes_reads_them(text: str, value: Decimal) -> None:
    """kubernetes/apimachinery pkg/api/resource quantity.go and suffix.go: decimal SI (n, u,
    m, k, M, G, T, P, E), binary SI (Ki ... Ei) and e/E exponents; the resource-units page's
    '128974848, 129e6, 129M, 128974848000m, 123Mi' are roughly the same memory."""
    assert kubernetes.quantity(text) == value


@pytest.mark.parametrize("text", ["", "1K", "1mi", "Gi", "1.2.3", "1 Gi", "e3"])
def test_what_is_not_a_quantity_parses_to_none(text: str) -> None:
    """apimachinery quantity.go: 'K' and 'mi' are no suffix (decimal kilo is lowercase k), and
    a quantity starts with a number."""
    assert kubernetes.quantity(text) is None


def test_memory_in_millibytes_is_refused_with_the_unit_meant() -> None:
    """Kubernetes resource units: 'If you request 400m of memory, this is a request for 0.4
    bytes. Someone who types that probably meant to ask for 400 mebibytes (400Mi)'."""
    assert errors({**LOCAL, **monitoring(prometheusMemory="2048m")}) == [
        ConfigIssue(
            "monitoring.prometheusMemory",
            f"is 2.048 bytes: m is milli, a thousandth ({UNITS}); use 2048Mi",
            "2048m",
        )
    ]


def test_memory_below_the_floor_is_refused() -> None:
    """`limits.kubernetes.PROMETHEUS_MIN_MEMORY`: 64Mi, the least memory of Kubernetes' own
    examples; prometheusMemory is Prometheus's limit too."""
    assert errors({**LOCAL, **monitoring(prometheusMemory="32Mi")}) == [
        ConfigIssue(
            "monitoring.prometheusMemory",
            "is below the 64Mi preflight takes for Prometheus: it is also Prometheus's memory "
            f"limit, so the server would be killed for memory ({UNITS}); use e.g. 4Gi",
            "32Mi",
        )
    ]


def test_quantities_at_their_floors_pass() -> None:
    """64Mi of memory and 10m of CPU are the floors themselves
    (`limits.kubernetes.PROMETHEUS_MIN_MEMORY`, `PROMETHEUS_MIN_CPU_MILLI`); 67108864 is 64Mi
    as a plain byte count (Kubernetes resource units: 'a plain integer')."""
    assert errors({**LOCAL, **monitoring(prometheusMemory="64Mi", prometheusCpu="10m")}) == []
    assert errors({**LOCAL, **monitoring(prometheusMemory="67108864")}) == []


def test_cpu_below_ten_millicores_is_refused() -> None:
    """`limits.kubernetes.PROMETHEUS_MIN_CPU_MILLI`: 10m; Kubernetes resource units: '0.1 is
    equivalent to 100m, one hundred millicpu'."""
    assert errors({**LOCAL, **monitoring(prometheusCpu="0.005")}) == [
        ConfigIssue(
            "monitoring.prometheusCpu",
            f"is 5m of a CPU, below the 10m preflight takes for Prometheus ({UNITS}); use e.g. "
            "500m",
            "0.005",
        )
    ]


def test_cpu_above_a_whole_system_node_is_refused() -> None:
    """m6i.large has 2 vCPUs (Karpenter's EC2 instance type reference); 'The scheduler
    ensures that ... the sum of the resource requests of the scheduled containers is less
    than the capacity of the node' (Kubernetes resource units page), and Prometheus runs on
    the untainted system pool."""
    assert errors({**AWS, **monitoring(prometheusCpu="500")}) == [
        ConfigIssue(
            "monitoring.prometheusCpu",
            "is 500 CPUs, at least a whole node of the system pool (m6i.large: 2 vCPUs), of "
            f"which the kubelet keeps a share ({ALLOCATABLE}), so Prometheus could never be "
            f"scheduled ({UNITS}); lower it (500m is half a CPU), or choose a larger "
            "cluster.systemPool.instanceType",
            "500",
        )
    ]


def test_memory_above_a_whole_system_node_is_refused() -> None:
    """e2-standard-4 has 16 GB (cloud.google.com/compute/docs/general-purpose-machines); a
    request above a node's capacity is never scheduled (Kubernetes resource units page)."""
    assert errors({**GCP, **monitoring(prometheusMemory="20Gi")}) == [
        ConfigIssue(
            "monitoring.prometheusMemory",
            "is at least a whole node of the system pool (e2-standard-4: 16 GiB), of which the "
            f"kubelet keeps a share ({ALLOCATABLE}), so Prometheus could never be scheduled "
            f"({UNITS}); lower it, or choose a larger cluster.systemPool.instanceType",
            "20Gi",
        )
    ]


def test_requests_that_fit_a_system_node_pass() -> None:
    """Standard_D4ds_v5: 4 vCPUs, 16 GiB (Ddsv5 series page): 3 CPUs and 12Gi fit what the
    kubelet leaves; the whole node does not (Reserve Compute Resources for System Daemons:
    allocatable = capacity - kube-reserved - system-reserved - eviction threshold)."""
    assert errors({**AZURE, **monitoring(prometheusCpu="3", prometheusMemory="12Gi")}) == []
    assert [i.path for i in errors({**AZURE, **monitoring(prometheusCpu="4")})] == [
        "monitoring.prometheusCpu"
    ]
    assert [i.path for i in errors({**AZURE, **monitoring(prometheusMemory="16Gi")})] == [
        "monitoring.prometheusMemory"
    ]


def test_quantities_of_a_monitoring_stack_that_is_off_are_not_judged() -> None:
    """Nothing schedules the monitoring stack while monitoring.enabled is false."""
    assert errors({**AWS, "monitoring": {"prometheusMemory": "2048m"}}) == []


def test_a_system_node_of_unknown_size_is_a_warning() -> None:
    """A system instance type outside `limits.kubernetes.SYSTEM_NODE_SIZES` cannot be held to
    Prometheus's requests: a warning, not a pass; the default shapes are known."""
    cluster = {"cluster": {"systemPool": {"instanceType": "c6i.xlarge"}}}
    assert warnings({**AWS, **cluster, **monitoring()}) == [
        ConfigIssue(
            "cluster.systemPool.instanceType",
            "has no size in preflight's table, so it could not check that Prometheus's requests "
            "(monitoring.prometheusCpu 500m, monitoring.prometheusMemory 4Gi) fit one of its "
            "nodes; make sure they do",
            "c6i.xlarge",
        )
    ]
    assert warnings({**AWS, **monitoring()}) == []


# ----------------------------------------------------------------------------------- names


def test_a_storage_class_that_is_no_dns_subdomain_is_refused() -> None:
    """Kubernetes object names (names page, 2026-04-23): a DNS subdomain name has at most 253
    lowercase alphanumeric characters, '-' or '.', starting and ending alphanumeric."""
    assert errors({**LOCAL, "kubernetes": {"storageClass": "Fast_SSD"}}) == [
        ConfigIssue(
            "kubernetes.storageClass",
            "is not a StorageClass name: a DNS subdomain of at most 253 lowercase letters, "
            "digits, '-' and '.', starting and ending with a letter or digit (Kubernetes object "
            "names, kubernetes.io/docs/concepts/overview/working-with-objects/names); use e.g. "
            "fast-ssd",
            "Fast_SSD",
        )
    ]
    long = "a" * 254
    [issue] = errors({**LOCAL, "kubernetes": {"storageClass": long}})
    assert issue.message.endswith(f"use e.g. {'a' * 253}")


def test_storage_class_names_kubernetes_takes_pass() -> None:
    """Kubernetes object names: dots separate the labels of a subdomain (ebs.gp3-encrypted)."""
    assert errors({**LOCAL, "kubernetes": {"storageClass": "ebs.gp3-encrypted"}}) == []


def test_a_platform_namespace_starting_with_a_digit_is_refused() -> None:
    """Kubernetes object names (2026): 'the current Kubernetes implementation requires both
    RFC 1035 and RFC 1123 labels to start with an alphabetic character'."""
    assert errors({**LOCAL, "kubernetes": {"namespace": "1ml"}}) == [
        ConfigIssue(
            "kubernetes.namespace",
            "does not start with a letter, which Kubernetes requires of a namespace name (an "
            "RFC 1123 label: Kubernetes object names, kubernetes.io/docs/concepts/overview/"
            "working-with-objects/names); use e.g. ml-1ml",
            "1ml",
        )
    ]


def test_an_annotation_key_kubernetes_refuses_is_refused() -> None:
    """Kubernetes annotations: 'Valid annotation keys have two segments: an optional prefix
    and name ... The name segment is required and must be 63 characters or less, beginning
    and ending with an alphanumeric character ... the prefix must be a DNS subdomain'."""
    ingress = {
        "host": "mlflow.example.com",
        "className": "nginx",
        "controllerNamespace": "ingress-nginx",
        "annotations": {
            "nginx.ingress.kubernetes.io/proxy-body-size": "0",
            "Bad_Prefix/x": "1",
            "body size": "1",
        },
    }
    assert errors({**LOCAL, "mlflow": {"enabled": True, "replicas": 1, "ingress": ingress}}) == [
        ConfigIssue(
            f"mlflow.ingress.annotations.{key}",
            "is not an annotation key: [prefix/]name, the name at most 63 letters, digits, '-', "
            "'_' and '.' starting and ending with a letter or digit, the prefix a DNS subdomain "
            "(Kubernetes annotations, kubernetes.io/docs/concepts/overview/working-with-objects/"
            "annotations); use e.g. nginx.ingress.kubernetes.io/proxy-body-size",
            key,
        )
        for key in ("Bad_Prefix/x", "body size")
    ]


# ------------------------------------------------------------------------------ namespaces


def test_a_team_in_a_namespace_kubernetes_keeps_is_refused() -> None:
    """Kubernetes namespaces: 'Kubernetes starts with four initial namespaces: default,
    kube-node-lease, kube-public, kube-system'; 'Avoid creating namespaces with the prefix
    kube-, since it is reserved for Kubernetes system namespaces'."""
    teams = [{"name": "default", "maxGpus": 1}, {"name": "kube-ml", "maxGpus": 1}]
    assert errors({**AWS, "teams": teams}) == [
        ConfigIssue(
            f"teams[{i}].name",
            "is a namespace Kubernetes keeps for itself (default, kube-node-lease, kube-public, "
            f"kube-system and every kube- name: {NAMESPACES}); choose another team name",
            name,
        )
        for i, name in enumerate(("default", "kube-ml"))
    ]


def test_a_team_in_a_namespace_the_platform_creates_is_refused_naming_its_owner() -> None:
    """components/mlplatform/compose/mlflow.py and kubernetes/monitoring/stack.py create the
    mlflow and monitoring namespaces; the amazon-cloudwatch-observability add-on runs in
    amazon-cloudwatch (EKS user guide) - whether or not those features are on today."""
    teams = [
        {"name": "mlflow", "maxGpus": 1},
        {"name": "monitoring", "maxGpus": 1},
        {"name": "amazon-cloudwatch", "maxGpus": 1},
        {"name": "research", "maxGpus": 1},
    ]
    owners = [
        "the platform's MLflow server (mlflow.enabled)",
        "the platform's monitoring stack (monitoring.enabled)",
        "the amazon-cloudwatch-observability EKS add-on the platform installs for Container "
        "Insights (monitoring.enabled)",
    ]
    assert errors({**AWS, "teams": teams}) == [
        ConfigIssue(
            f"teams[{i}].name",
            f"is the namespace of {owner}; choose another team name",
            teams[i]["name"],
        )
        for i, owner in enumerate(owners)
    ]


def test_platform_namespaces_are_per_target() -> None:
    """The kubernetes target runs MLflow in kubernetes.namespace, not in mlflow
    (compose/kubernetes.py), and has no EKS add-on; its platform namespace is the team's
    clash there instead."""
    teams = [{"name": "mlflow", "maxGpus": 1}, {"name": "amazon-cloudwatch", "maxGpus": 1}]
    assert errors({**LOCAL, "teams": teams}) == []
    ours = {**LOCAL, "kubernetes": {"namespace": "ml"}, "teams": [{"name": "ml", "maxGpus": 1}]}
    assert errors(ours) == [
        ConfigIssue(
            "teams[0].name",
            "is the namespace of the platform's in-cluster services (kubernetes.namespace); "
            "choose another team name",
            "ml",
        )
    ]


def test_a_team_in_the_ingress_controllers_namespace_is_refused() -> None:
    """mlflow.ingress.controllerNamespace names the namespace your controller already runs in
    (model.py); a team creates its namespace (kubernetes/teams.py), so the two would be one."""
    ingress = {"host": "mlflow.example.com", "className": "traefik", "controllerNamespace": "edge"}
    values = {
        **LOCAL,
        "mlflow": {"enabled": True, "replicas": 1, "ingress": ingress},
        "teams": [{"name": "edge", "maxGpus": 1}],
    }
    assert errors(values) == [
        ConfigIssue(
            "teams[0].name",
            "is mlflow.ingress.controllerNamespace, your ingress controller's namespace: the "
            "team would create (and on removal delete) a namespace that exists already; choose "
            "another team name",
            "edge",
        )
    ]


def test_the_platform_namespace_must_not_be_one_kept_by_another() -> None:
    """Kubernetes namespaces (default is created with the cluster) and the monitoring stack's
    own namespace (kubernetes/monitoring/stack.py): the kubernetes target's platform namespace
    is created by the platform, so it must be neither."""
    assert errors({**LOCAL, "kubernetes": {"namespace": "monitoring"}}) == [
        ConfigIssue(
            "kubernetes.namespace",
            "is the namespace of the platform's monitoring stack (monitoring.enabled); choose "
            "another namespace for the platform's in-cluster services, e.g. mlplatform",
            "monitoring",
        )
    ]
    [issue] = errors({**LOCAL, "kubernetes": {"namespace": "default"}})
    assert issue.message.startswith("is a namespace Kubernetes keeps for itself")


def test_the_shipped_local_stacks_namespaces_pass() -> None:
    """stacks/Pulumi.local.yaml: platform namespace mlplatform, team research, Traefik's
    controller in traefik, no clash."""
    ingress = {
        "host": "mlflow.localtest.me",
        "className": "traefik",
        "controllerNamespace": "traefik",
    }
    values = {
        **LOCAL,
        "kubernetes": {"namespace": "mlplatform"},
        "mlflow": {"enabled": True, "replicas": 1, "ingress": ingress},
        "teams": [{"name": "research", "maxGpus": 1}],
        **monitoring(prometheusMemory="2Gi"),
    }
    assert errors(values) == [] and warnings(values) == []


def test_the_checks_run_in_the_specs_own_validation() -> None:
    """`mlplatform.environment.parse` (the spec's validation, exit 2 from the CLI) runs this
    module's errors: the millibyte memory of the Kubernetes resource-units page is refused."""
    with pytest.raises(ConfigError) as caught:
        parse({**AWS, **monitoring(prometheusMemory="2048m")})
    assert (
        f"monitoring.prometheusMemory: '2048m' is 2.048 bytes: m is milli, a thousandth "
        f"({UNITS}); use 2048Mi"
    ) in [str(i) for i in caught.value.issues]
    assert parse({**AWS, **monitoring(prometheusMemory="2048Mi")}).monitoring.enabled
