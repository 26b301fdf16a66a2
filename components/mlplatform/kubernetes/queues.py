"""Queued GPU jobs per team: Kueue from its upstream chart, pinned, and the queues of the teams.

One ResourceFlavor per GPU pool (its node labels, and the tolerations Kueue adds to the pods
it admits there), one Cohort holding the GPUs no team is guaranteed, one ClusterQueue per team
in that cohort (its nominal quota per flavor, borrowing and lending limits, preemption),
admitting only its own namespace's workloads, and a LocalQueue `default` in each team
namespace, where Kueue sends a job that names no queue.

Kueue manages the job kinds of `frameworks` in the team namespaces only (its
managedJobsNamespaceSelector): such a job is queued even when it names no queue, and the job
webhooks of the chart skip every other namespace, so the platform's own Jobs (MLflow's
migration) never wait on Kueue. It counts GPUs only: CPU, memory and the rest are the
scheduler's (excludeResourcePrefixes), so a queue need not cover them.
"""

from collections.abc import Mapping, Sequence
from typing import Any, Required, TypedDict

import pulumi
import pulumi_kubernetes as k8s
import yaml

from mlplatform import defaults
from mlplatform.catalog.charts import KUEUE_IMAGE
from mlplatform.component_args import check_args
from mlplatform.contracts import ChartSourceArgs, child
from mlplatform.kubernetes import charts
from mlplatform.kubernetes.labels import labels
from mlplatform.kubernetes.mlflow import SCRAPED_BY_ANNOTATION

API_VERSION = "kueue.x-k8s.io/v1beta2"
"""Kueue v0.17.0's storage version of every object below (apis/kueue/v1beta2)."""
GPU_RESOURCE = "nvidia.com/gpu"
QUEUE_LABEL = "kueue.x-k8s.io/queue-name"
"""The label a job names its LocalQueue with."""
TEAM_NAMESPACES = {"app.kubernetes.io/component": "team", "app.kubernetes.io/part-of": "mlplatform"}
"""Labels of every team namespace (`TeamNamespace`): the namespaces Kueue manages."""
EXCLUDED_RESOURCES = ("cpu", "memory", "ephemeral-storage", "hugepages-")
"""Resource prefixes Kueue ignores: a queue that does not cover a requested resource refuses
the workload ("resource cpu unavailable in ClusterQueue", pkg/scheduler/flavorassigner)."""
CONTROLLER_REPLICAS = 2
"""Kueue controllers: its webhooks refuse a managed job while none answers (failurePolicy
Fail), so two, one kept through voluntary disruptions."""


class QueueFlavorArgs(TypedDict):
    """One GPU pool as a Kueue ResourceFlavor."""

    name: str
    """The flavor's name (the pool's)."""
    node_labels: Mapping[str, str]
    """Labels the pool's nodes carry."""
    tolerations: Sequence[Mapping[str, str]]
    """Tolerations Kueue adds to the pods it admits on the pool."""


class TeamQueueArgs(TypedDict, total=False):
    """One team's ClusterQueue and LocalQueue."""

    name: Required[str]
    """The team's name (its ClusterQueue's)."""
    namespace: Required[pulumi.Input[str]]
    """The team's namespace: the only one its ClusterQueue admits from, home of its LocalQueue."""
    quotas: Required[Mapping[str, int]]
    """Nominal GPU quota per flavor name."""
    borrowing_limit: int | None
    """GPUs the team may borrow per flavor. Default: no limit."""
    lending_limit: int | None
    """GPUs of its quota per flavor the team lends (at most that quota). Default: all."""
    previous_names: Sequence[str]
    """Names the team had before: its queues keep their identity (aliases); the ClusterQueue
    is still replaced, Kubernetes names being immutable. Default: none."""


class QueuePreemptionArgs(TypedDict, total=False):
    """Kueue's preemption policies of every ClusterQueue."""

    reclaim_within_cohort: str
    """Whom a team preempts to take back the GPUs it lent: Never, LowerPriority or Any.
    Default: Any."""
    within_cluster_queue: str
    """Whom a workload preempts inside its team's quota: Never, LowerPriority or
    LowerOrNewerEqualPriority. Default: LowerPriority."""
    borrow_within_cohort: str
    """Whether a workload that must borrow preempts another team's lower-priority ones:
    Never or LowerPriority. Default: Never."""


class GpuQueuesArgs(TypedDict, total=False):
    """Args of `GpuQueues`."""

    flavors: Required[Sequence[QueueFlavorArgs]]
    """The GPU pools as flavors."""
    teams: Sequence[TeamQueueArgs]
    """A queue per team. Default: none."""
    cohort: str
    """The cohort of every team's queue. Default: gpus."""
    shared: Mapping[str, int]
    """The cohort's own GPUs per flavor, lent to any team. Default: none."""
    preemption: QueuePreemptionArgs
    """Preemption policies. Default: see each field."""
    frameworks: Sequence[str]
    """Job kinds Kueue queues (its integrations). Default: batch/job, JobSet, RayJob,
    PyTorchJob."""
    scraped_by: pulumi.Input[str]
    """`MonitoringStack.operator_release`: when given, a ServiceMonitor, created after that
    release (the operator's CRDs), has Prometheus scrape Kueue's metrics. Default: not
    scraped."""
    charts: ChartSourceArgs
    """Where the pinned chart comes from. Default: its upstream OCI registry."""
    tags: Mapping[str, str]
    """Labels on every object. Default: none."""


def manager_config(frameworks: Sequence[str]) -> dict[str, Any]:
    """Kueue's Configuration: the chart's defaults (charts/kueue/values.yaml, v0.17.0), with
    the job kinds of `frameworks`, managed in the team namespaces even with no queue named,
    GPUs the only resource counted."""
    return {
        "apiVersion": "config.kueue.x-k8s.io/v1beta2",
        "kind": "Configuration",
        "health": {"healthProbeBindAddress": ":8081"},
        # The quota and usage series (with their cohort label) are off unless asked for.
        "metrics": {"bindAddress": ":8443", "enableClusterQueueResources": True},
        "webhook": {"port": 9443},
        "leaderElection": {"leaderElect": True, "resourceName": "c1f6bfd2.kueue.x-k8s.io"},
        "manageJobsWithoutQueueName": True,
        "managedJobsNamespaceSelector": {"matchLabels": TEAM_NAMESPACES},
        "integrations": {"frameworks": list(frameworks)},
        "resources": {"excludeResourcePrefixes": list(EXCLUDED_RESOURCES)},
    }


def chart_values(frameworks: Sequence[str]) -> dict[str, Any]:
    """Values of the pinned Kueue chart. Its own ServiceMonitor stays off (enablePrometheus):
    the release would then have to wait for the Prometheus operator's CRDs, so Kueue would be
    installed only after the whole monitoring stack; `GpuQueues` makes the same
    ServiceMonitor itself, after the operator, while Kueue installs beside it."""
    return {
        "enablePrometheus": False,
        "controllerManager": {
            "replicas": CONTROLLER_REPLICAS,
            "podDisruptionBudget": {"enabled": True, "minAvailable": 1},
            "manager": {"image": {**KUEUE_IMAGE, "pullPolicy": "IfNotPresent"}},
        },
        "managerConfig": {
            "controllerManagerConfigYaml": yaml.safe_dump(
                manager_config(frameworks), sort_keys=False
            )
        },
    }


def service_monitor(release: str) -> dict[str, Any]:
    """The spec of the chart's own ServiceMonitor (charts/kueue/templates/prometheus/
    monitor.yaml, v0.17.0) for release `release`: https on the metrics Service, Prometheus'
    service account token (Kueue authorizes /metrics with a SubjectAccessReview, which
    kube-prometheus-stack's Prometheus role passes), the controller's self-signed certificate
    unverified as in the chart. No jobLabel: the job is the Service's name."""
    return {
        "selector": {
            "matchLabels": {
                "app.kubernetes.io/name": charts.KUEUE.name,
                "app.kubernetes.io/instance": release,
                "app.kubernetes.io/component": "metrics-service",
            }
        },
        "endpoints": [
            {
                "path": "/metrics",
                "port": "https",
                "scheme": "https",
                "bearerTokenFile": "/var/run/secrets/kubernetes.io/serviceaccount/token",
                "tlsConfig": {"insecureSkipVerify": True},
            }
        ],
    }


def _quota(name: str, nominal: int, borrowing: int | None, lending: int | None) -> dict[str, Any]:
    found: dict[str, Any] = {"name": name, "nominalQuota": str(nominal)}
    if borrowing is not None:
        found["borrowingLimit"] = str(borrowing)
    if lending is not None:
        found["lendingLimit"] = str(lending)
    return found


def _group(flavors: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The one resource group of GPUs (none without flavors: Kueue needs one or more)."""
    if not flavors:
        return []
    return [{"coveredResources": [GPU_RESOURCE], "flavors": list(flavors)}]


class GpuQueues(pulumi.ComponentResource):
    """Kueue and the teams' GPU queues: flavors, a cohort, a ClusterQueue and a LocalQueue
    per team."""

    namespace: pulumi.Output[str]
    """Namespace of the Kueue controller."""
    local_queue: pulumi.Output[str]
    """Name of every team's LocalQueue (the queue a job names, or gets when it names none)."""

    def __init__(
        self, name: str, args: GpuQueuesArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, GpuQueuesArgs, args)
        super().__init__("mlplatform:index:GpuQueues", name, None, opts)
        tags = args.get("tags", {})
        meta = labels(charts.KUEUE.name, "queueing", tags)
        namespace = k8s.core.v1.Namespace(
            f"{name}-namespace",
            metadata={
                "name": defaults.QUEUE_NAMESPACE,
                # The controller runs non-root, read-only, every capability dropped.
                "labels": {**meta, "pod-security.kubernetes.io/enforce": "restricted"},
            },
            opts=child(self),
        )
        frameworks = list(args.get("frameworks", defaults.QUEUE_FRAMEWORKS))
        release = k8s.helm.v3.Release(
            f"{name}-release",
            name=charts.KUEUE.name,
            **charts.release_source(charts.KUEUE, args.get("charts")),
            namespace=namespace.metadata.apply(lambda m: m.name or defaults.QUEUE_NAMESPACE),
            values=chart_values(frameworks),
            atomic=True,
            cleanup_on_fail=True,
            opts=child(self),
        )
        ns_name = namespace.metadata.apply(lambda m: m.name or defaults.QUEUE_NAMESPACE)
        if (scraped_by := args.get("scraped_by")) is not None:
            # The operator's release name, written on the object, makes it wait for that
            # release and its CRDs, in any language.
            k8s.apiextensions.CustomResource(
                f"{name}-metrics",
                api_version="monitoring.coreos.com/v1",
                kind="ServiceMonitor",
                metadata={
                    "name": defaults.QUEUE_SERVICE_MONITOR,
                    "namespace": ns_name,
                    "labels": meta,
                    "annotations": {SCRAPED_BY_ANNOTATION: scraped_by},
                },
                spec=service_monitor(charts.KUEUE.name),
                opts=child(self, depends_on=[release]),
            )
        # The chart installs the CRDs: every queue object waits for the release.
        after = child(self, depends_on=[release])
        flavors = list(args["flavors"])
        for flavor in flavors:
            spec: dict[str, Any] = {"nodeLabels": dict(flavor["node_labels"])}
            if flavor["tolerations"]:
                spec["tolerations"] = [dict(t) for t in flavor["tolerations"]]
            k8s.apiextensions.CustomResource(
                f"{name}-flavor-{flavor['name']}",
                api_version=API_VERSION,
                kind="ResourceFlavor",
                metadata={"name": flavor["name"], "labels": meta},
                spec=spec,
                opts=after,
            )
        cohort = args.get("cohort", defaults.GPU_COHORT)
        shared = args.get("shared", {})
        k8s.apiextensions.CustomResource(
            f"{name}-cohort",
            api_version=API_VERSION,
            kind="Cohort",
            metadata={"name": cohort, "labels": meta},
            spec={
                "resourceGroups": _group(
                    [
                        {"name": f["name"], "resources": [_quota(GPU_RESOURCE, n, None, None)]}
                        for f in flavors
                        if (n := shared.get(f["name"], 0))
                    ]
                )
            },
            opts=after,
        )
        preemption = args.get("preemption", {})
        reclaim = preemption.get("reclaim_within_cohort", defaults.QUEUE_RECLAIM)
        within = preemption.get("within_cluster_queue", defaults.QUEUE_WITHIN_TEAM)
        borrow = preemption.get("borrow_within_cohort", defaults.QUEUE_BORROW_PREEMPTION)
        policies = {
            "reclaimWithinCohort": reclaim,
            "withinClusterQueue": within,
            "borrowWithinCohort": {"policy": borrow},
        }
        for team in args.get("teams", []):
            self._team(name, team, flavors, cohort, policies, meta, after)
        self.namespace = ns_name
        self.local_queue = pulumi.Output.from_input(defaults.LOCAL_QUEUE)
        self.register_outputs({"namespace": self.namespace, "local_queue": self.local_queue})

    def _team(
        self,
        name: str,
        team: TeamQueueArgs,
        flavors: Sequence[QueueFlavorArgs],
        cohort: str,
        preemption: Mapping[str, Any],
        meta: Mapping[str, str],
        opts: pulumi.ResourceOptions,
    ) -> None:
        quotas, borrowing = team["quotas"], team.get("borrowing_limit")
        lending = team.get("lending_limit")
        previous = list(team.get("previous_names", []))
        queue = k8s.apiextensions.CustomResource(
            f"{name}-team-{team['name']}",
            api_version=API_VERSION,
            kind="ClusterQueue",
            metadata={"name": team["name"], "labels": meta},
            spec={
                "cohortName": cohort,
                # Its own namespace's workloads only: another team's LocalQueue pointing here
                # is never admitted.
                "namespaceSelector": {
                    "matchLabels": {"kubernetes.io/metadata.name": team["namespace"]}
                },
                "preemption": dict(preemption),
                "resourceGroups": _group(
                    [
                        {
                            "name": f["name"],
                            "resources": [
                                _quota(
                                    GPU_RESOURCE,
                                    quotas.get(f["name"], 0),
                                    borrowing,
                                    None
                                    if lending is None
                                    else min(lending, quotas.get(f["name"], 0)),
                                )
                            ],
                        }
                        for f in flavors
                    ]
                ),
            },
            opts=pulumi.ResourceOptions.merge(
                opts, pulumi.ResourceOptions(aliases=_aliases(name, previous))
            ),
        )
        k8s.apiextensions.CustomResource(
            f"{name}-team-{team['name']}-queue",
            api_version=API_VERSION,
            kind="LocalQueue",
            metadata={
                "name": defaults.LOCAL_QUEUE,
                "namespace": team["namespace"],
                "labels": meta,
            },
            spec={"clusterQueue": team["name"]},
            opts=pulumi.ResourceOptions.merge(
                opts,
                pulumi.ResourceOptions(
                    depends_on=[queue], aliases=_aliases(name, previous, "-queue")
                ),
            ),
        )


def _aliases(name: str, previous: Sequence[str], suffix: str = "") -> list[pulumi.Alias]:
    """The names a team's queue object had under its previous team names."""
    return [pulumi.Alias(name=f"{name}-team-{old}{suffix}") for old in previous]
