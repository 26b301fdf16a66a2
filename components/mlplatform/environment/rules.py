"""Cross-field rules of the environment spec, including GPU catalog checks.

Each rule is a small function from a validated `PlatformConfig` to the
`ConfigIssue`s it finds; `check(config)` runs them all so a user sees every
problem at once. A GPU pool's rules take the one pool (`POOL_RULES`,
`PLACEMENT_RULES`), so that a component's own pools are judged by them too
(`mlplatform.component_args`, with `COMPONENT_RULES`).
"""

from __future__ import annotations

import ipaddress
import re
import tarfile
from collections.abc import Callable, Collection, Iterator
from datetime import date
from pathlib import Path

from mlplatform import catalog, defaults
from mlplatform.catalog import eks_addons
from mlplatform.catalog.charts import PINNED
from mlplatform.catalog.limits import mig
from mlplatform.catalog.limits import regions as region_limits
from mlplatform.catalog.limits.names import AKS_POOL_MAX
from mlplatform.catalog.names import SharingMode
from mlplatform.environment import image_reference, preflight
from mlplatform.environment.errors import ConfigIssue
from mlplatform.environment.model import (
    BorrowPreemptionPolicy,
    EndpointAccess,
    Environment,
    GpuEnablement,
    GpuPoolSpec,
    PlatformConfig,
    ReclaimPolicy,
    Target,
)
from mlplatform.environment.serving import serving_rules

MIG_AT_POOL_CREATION = frozenset(Target(cloud) for cloud in mig.POOL_PROFILE_FIELD)
"""Clouds whose node pool API takes a MIG profile
(AKS gpuInstanceProfile, GKE gpu_partition_size)."""

REGION_EXAMPLES = {Target.AWS: "us-east-1", Target.AZURE: "westeurope", Target.GCP: "us-central1"}
"""A region of each cloud, for a message that asks for one (each cloud's dated list of regions
is `mlplatform.catalog.limits.regions.REGION_LISTS`)."""
AKS_POOL_NAME = re.compile(rf"^[a-z][a-z0-9]{{0,{AKS_POOL_MAX - 1}}}$")
AZURE_ZONES = frozenset({"1", "2", "3"})
ADMIN_PATTERNS: dict[Target, tuple[str, str]] = {
    Target.AWS: (
        r"^arn:aws[a-z-]*:iam::\d{12}:(role|user)/.+$",
        "an IAM role or user ARN (arn:aws:iam::123456789012:role/name)",
    ),
    Target.AZURE: (
        r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        "an Entra ID group object id (a GUID)",
    ),
}

Rule = Callable[[PlatformConfig], Iterator[ConfigIssue]]


def _region(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    if cfg.target is Target.KUBERNETES:
        if cfg.region is not None:
            yield ConfigIssue(
                "region", "has no meaning on the kubernetes target; remove it", cfg.region
            )
        return
    example = REGION_EXAMPLES[cfg.target]
    known = region_limits.REGION_LISTS[cfg.target.value]
    if cfg.region is None:
        yield ConfigIssue("region", f"is required on {cfg.target}; add e.g. region: {example}")
    elif cfg.region not in known.regions:
        close = region_limits.close_regions(cfg.target.value, cfg.region)
        fix = f"use one of {', '.join(close)}" if close else f"use e.g. {example}"
        yield ConfigIssue(
            "region", f"is not a region of {cfg.target} (per {known.cite}); {fix}", cfg.region
        )


def _target_sections(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    sections = {Target.GCP: cfg.gcp, Target.AZURE: cfg.azure, Target.KUBERNETES: cfg.kubernetes}
    for target, section in sections.items():
        if section is not None and cfg.target is not target:
            yield ConfigIssue(
                target.value,
                f"is only valid when target is {target}; remove it (target is {cfg.target})",
            )
    if cfg.target is Target.GCP and cfg.gcp is None:
        yield ConfigIssue("gcp.project", "is required on gcp; add gcp: {project: my-project}")


def _gpu_pools(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    if cfg.target is Target.KUBERNETES:
        if cfg.gpu_pools:
            yield ConfigIssue(
                "gpuPools",
                "cannot be created on an existing cluster (kubernetes target); remove gpuPools "
                "and label the cluster's own GPU nodes",
            )
        return
    seen: set[str] = set()
    for i, pool in enumerate(cfg.gpu_pools):
        at = f"gpuPools[{i}]"
        yield from pool_name_repeated(at, pool.name, seen)
        seen.add(pool.name)
        for rule, _ in POOL_RULES:
            yield from rule(cfg.target, cfg.region, at, pool)


def pool_name_repeated(at: str, name: str, earlier: Collection[str]) -> Iterator[ConfigIssue]:
    """The pool at `at` takes a name an earlier pool has."""
    if name in earlier:
        yield ConfigIssue(f"{at}.name", "is used by another pool; pool names must be unique", name)


def _pool_bounds(
    target: Target | None, region: str | None, at: str, pool: GpuPoolSpec
) -> Iterator[ConfigIssue]:
    if pool.min_nodes > pool.max_nodes:
        yield ConfigIssue(
            f"{at}.minNodes",
            f"is greater than maxNodes ({pool.max_nodes}); lower minNodes or raise maxNodes",
            pool.min_nodes,
        )


def _pool_offered(
    target: Target | None, region: str | None, at: str, pool: GpuPoolSpec
) -> Iterator[ConfigIssue]:
    if target is not None:
        yield from _pool_catalog(target, at, pool.gpu.value, pool.gpus_per_node)


def _pool_catalog(target: Target, at: str, gpu: str, count: int) -> Iterator[ConfigIssue]:
    if not catalog.offerings(target.value, gpu):
        yield ConfigIssue(
            f"{at}.gpu",
            f"is not offered on {target}; choose one of {', '.join(catalog.gpus_offered(target))}",
            gpu,
        )
        return
    try:
        catalog.resolve(target.value, gpu, count)
    except catalog.CatalogError as exc:
        yield ConfigIssue(f"{at}.gpusPerNode", exc.problem, count)


def _pool_sharing(
    target: Target | None, region: str | None, at: str, pool: GpuPoolSpec
) -> Iterator[ConfigIssue]:
    sharing = pool.sharing
    if sharing.mode is SharingMode.MIG:
        if pool.gpu.value not in mig.MIG_CAPABLE_GPUS:
            yield ConfigIssue(
                f"{at}.sharing.mode",
                f"needs a MIG-capable GPU ({', '.join(sorted(mig.MIG_CAPABLE_GPUS))}); "
                "use time-slicing or mps instead",
                sharing.mode.value,
            )
        elif target is not None and target not in MIG_AT_POOL_CREATION:
            yield ConfigIssue(
                f"{at}.sharing.mode",
                f"is not set at pool creation on {target}; use time-slicing or mps",
                sharing.mode.value,
            )
        if sharing.mig_profile is None:
            yield ConfigIssue(
                f"{at}.sharing.migProfile", "is required for mode mig; add e.g. migProfile: 1g.10gb"
            )
    elif sharing.mig_profile is not None:
        yield ConfigIssue(
            f"{at}.sharing.migProfile",
            "is only valid with mode mig; remove it",
            sharing.mig_profile,
        )
    if sharing.mode in (SharingMode.TIME_SLICING, SharingMode.MPS) and sharing.replicas < 2:
        yield ConfigIssue(
            f"{at}.sharing.replicas",
            f"must be at least 2 for {sharing.mode}; set e.g. replicas: 4",
            sharing.replicas,
        )
    if sharing.mode in (SharingMode.NONE, SharingMode.MIG) and sharing.replicas != 1:
        yield ConfigIssue(
            f"{at}.sharing.replicas",
            f"has no effect with mode {sharing.mode}; remove it",
            sharing.replicas,
        )


def _pool_placement(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    if cfg.target is Target.KUBERNETES:
        return
    for i, pool in enumerate(cfg.gpu_pools):
        for rule, _ in PLACEMENT_RULES:
            yield from rule(cfg.target, cfg.region, f"gpuPools[{i}]", pool)


def _pool_image(
    target: Target | None, region: str | None, at: str, pool: GpuPoolSpec
) -> Iterator[ConfigIssue]:
    if target is None or pool.node_image is None:
        return
    images = [i.name for i in catalog.NODE_IMAGES[target.value]]
    if pool.node_image not in images:
        yield ConfigIssue(
            f"{at}.nodeImage",
            f"is not a GPU node image on {target}; choose one of {', '.join(images)}",
            pool.node_image,
        )


def _aks_pool_name(
    target: Target | None, region: str | None, at: str, pool: GpuPoolSpec
) -> Iterator[ConfigIssue]:
    if target is Target.AZURE and not AKS_POOL_NAME.match(pool.name):
        yield ConfigIssue(
            f"{at}.name",
            f"is not a valid AKS pool name (1-{AKS_POOL_MAX} lowercase "
            "letters and digits); use e.g. "
            f"{re.sub(r'[^a-z0-9]', '', pool.name)[:AKS_POOL_MAX] or 'gpu'}",
            pool.name,
        )


def _pool_name_reserved(
    target: Target | None, region: str | None, at: str, pool: GpuPoolSpec
) -> Iterator[ConfigIssue]:
    """A GPU pool cannot take the name of the cluster's own system pool: on AKS the agent pool
    `system` would be the system pool resized, elsewhere the node group or node pool
    `<cluster>-system` would be registered twice, which the Pulumi engine refuses (duplicate
    URN)."""
    if pool.name == defaults.SYSTEM_POOL_NAME:
        yield ConfigIssue(
            f"{at}.name",
            "is the name of the cluster's system pool, which the platform creates; choose "
            "another name, e.g. gpu",
            pool.name,
        )


def _pool_zones(
    target: Target | None, region: str | None, at: str, pool: GpuPoolSpec
) -> Iterator[ConfigIssue]:
    for j, zone in enumerate(pool.zones):
        problem = _zone_problem(target, region, zone)
        if problem:
            yield ConfigIssue(f"{at}.zones[{j}]", problem, zone)


def _zone_problem(target: Target | None, region: str | None, zone: str) -> str | None:
    """What is wrong with a pool's zone in `region`, against the zones each region has
    (`mlplatform.catalog.limits.regions`); whether the zone has the pool's GPU is
    `preflight.regions`'."""
    if target is Target.AWS:
        return (
            "cannot be set on aws (node groups follow the cluster's private subnets); remove zones"
        )
    if target is Target.AZURE:
        return _azure_zone_problem(region, zone)
    if target is Target.GCP and region is not None:
        return _gcp_zone_problem(region, zone)
    return None


def _azure_zone_problem(region: str | None, zone: str) -> str | None:
    if zone not in AZURE_ZONES:
        return "is not an Azure zone number; use 1, 2 or 3"
    if region in region_limits.AZURE_WITHOUT_ZONES:
        zonal = frozenset(region_limits.AZURE_ZONAL)
        close = region_limits.close_regions("azure", region, zonal)
        such = f" such as {', '.join(close)}" if close else ""
        return (
            f"cannot be used in {region}, which has no availability zones (per "
            f"{region_limits.AZURE_REGIONS.cite}); remove zones, or use a region with zones{such}"
        )
    return None


def _gcp_zone_problem(region: str, zone: str) -> str | None:
    ai_zone = region_limits.GCP_AI_ZONE.match(zone)
    if ai_zone is not None and ai_zone["region"] == region:
        return None  # an AI zone: not in the zones table, so preflight only warns
    zones = region_limits.GCP_ZONES.get(region)
    if zones is None:  # not a GCP region, which `_region` reports
        prefix_ok = zone.startswith(f"{region}-")
        return None if prefix_ok else f"is not a zone of region {region}; name one of its zones"
    if zone not in zones:
        return (
            f"is not a zone of region {region} (its zones are {', '.join(zones)}, per "
            f"{region_limits.GCP_REGIONS.cite}); use one of them"
        )
    return None


PoolRule = Callable[[Target | None, str | None, str, GpuPoolSpec], Iterator[ConfigIssue]]
"""A rule of one GPU pool: (target, region, the pool's path, pool) to its issues. The target
is None for a pool of a component that runs on any cluster (`NvidiaGpuEnablement`): the
rules that need a cloud then pass."""

POOL_RULES: tuple[tuple[PoolRule, frozenset[str]], ...] = (
    (_pool_bounds, frozenset({"minNodes", "maxNodes"})),
    (_pool_offered, frozenset({"gpu", "gpusPerNode"})),
    (_pool_sharing, frozenset({"gpu", "sharing"})),
)
"""The rules of one pool's shape, each with the pool keys it reads: a component's boundary
check (`mlplatform.component_args`) runs a rule only when those keys are valid, so a pool
with a bad name still has its other problems found."""
PLACEMENT_RULES: tuple[tuple[PoolRule, frozenset[str]], ...] = (
    (_pool_image, frozenset({"nodeImage"})),
    (_aks_pool_name, frozenset({"name"})),
    (_pool_name_reserved, frozenset({"name"})),
    (_pool_zones, frozenset({"zones"})),
    (preflight.sharing.mig_profile_form, frozenset({"sharing"})),
    (preflight.sharing.mig_profile_offered, frozenset({"gpu", "gpusPerNode", "sharing"})),
)
"""The rules of where one pool's nodes run, as `POOL_RULES`."""


def _existing_network(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    existing = cfg.network.existing
    if existing is None:
        return
    at = "network.existing"
    if cfg.target is Target.KUBERNETES:
        yield ConfigIssue(at, "has no meaning on the kubernetes target; remove it")
        return
    if cfg.target is Target.AWS and len(existing.subnet_ids) < 2:
        yield ConfigIssue(
            f"{at}.subnetIds",
            "needs at least 2 private subnets in different availability zones (EKS requires 2 AZs)",
            existing.subnet_ids,
        )
    if cfg.target in (Target.AZURE, Target.GCP) and len(existing.subnet_ids) != 1:
        yield ConfigIssue(
            f"{at}.subnetIds", f"needs exactly one subnet on {cfg.target}", existing.subnet_ids
        )
    gcp_ranges = (existing.pods_range_name, existing.services_range_name)
    if cfg.target is Target.GCP and None in gcp_ranges:
        yield ConfigIssue(
            f"{at}.podsRangeName",
            "and servicesRangeName are required on gcp "
            "(the subnetwork's secondary ranges for pods and services)",
        )
    if cfg.target is not Target.GCP and gcp_ranges != (None, None):
        yield ConfigIssue(
            f"{at}.podsRangeName", "only applies on gcp; remove it and servicesRangeName"
        )
    if cfg.target is not Target.AZURE and existing.database_subnet_id is not None:
        yield ConfigIssue(
            f"{at}.databaseSubnetId",
            "only applies on azure; remove it",
            existing.database_subnet_id,
        )
    if cfg.target is Target.AZURE and cfg.mlflow.enabled and existing.database_subnet_id is None:
        yield ConfigIssue(
            f"{at}.databaseSubnetId",
            "is required with mlflow on azure: give an empty subnet of this VNet delegated to "
            "Microsoft.DBforPostgreSQL/flexibleServers",
        )


def _system_pool(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    pool = cfg.cluster.system_pool
    if pool.min_nodes > pool.max_nodes:
        yield ConfigIssue(
            "cluster.systemPool.minNodes",
            f"is greater than maxNodes ({pool.max_nodes}); lower it or raise maxNodes",
            pool.min_nodes,
        )


def _admins(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    pattern = ADMIN_PATTERNS.get(cfg.target)
    for i, admin in enumerate(cfg.cluster.admins):
        if pattern is None:
            yield ConfigIssue(
                f"cluster.admins[{i}]",
                f"cannot be set on {cfg.target}; grant "
                "roles/container.admin in project IAM (gcp) or your cluster's "
                "own RBAC (kubernetes) instead",
                admin,
            )
        elif not re.match(pattern[0], admin):
            yield ConfigIssue(f"cluster.admins[{i}]", f"is not {pattern[1]}", admin)


def _teams(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    """Team names are unique (a team's namespace that another namespace already is, one of
    Kubernetes' or the platform's, is `preflight.kubernetes`'s to find)."""
    seen: set[str] = set()
    for i, team in enumerate(cfg.teams):
        if team.name in seen:
            yield ConfigIssue(f"teams[{i}].name", "is used by another team", team.name)
        seen.add(team.name)
    yield from _previous_team_names(cfg)


def _queue_limits(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    """A team's borrowing and lending limits are Kueue's: they need scheduling on, and a team
    lends only GPUs it is guaranteed (Kueue refuses a lendingLimit above the nominal quota).
    Kueue's ClusterQueue CRD also refuses a queue that preempts to borrow but never to reclaim
    (its CEL rule "reclaimWithinCohort=Never and borrowWithinCohort.Policy!=Never", v0.17.0)."""
    preemption = cfg.scheduling.preemption
    if (
        preemption.reclaim_within_cohort is ReclaimPolicy.NEVER
        and preemption.borrow_within_cohort is not BorrowPreemptionPolicy.NEVER
    ):
        yield ConfigIssue(
            "scheduling.preemption.borrowWithinCohort",
            "preempts other teams to borrow while reclaimWithinCohort is Never, which Kueue "
            "refuses; set borrowWithinCohort: Never or reclaimWithinCohort: LowerPriority",
            preemption.borrow_within_cohort.value,
        )
    for i, team in enumerate(cfg.teams):
        for field, value in (
            ("borrowingLimit", team.borrowing_limit),
            ("lendingLimit", team.lending_limit),
        ):
            if value is not None and not cfg.scheduling.enabled:
                yield ConfigIssue(
                    f"teams[{i}].{field}",
                    "limits a Kueue queue, but scheduling is off; set scheduling.enabled: true "
                    "or remove it",
                    value,
                )
        if team.lending_limit is not None and team.lending_limit > team.max_gpus:
            yield ConfigIssue(
                f"teams[{i}].lendingLimit",
                f"is more than the team's maxGpus ({team.max_gpus}): a team lends only GPUs it "
                f"is guaranteed; use at most {team.max_gpus}",
                team.lending_limit,
            )


def _previous_team_names(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    """A team's previous names alias its old resources: each must be free (no team has it
    now) and belong to one team only, or two resources would claim one old URN."""
    names = {team.name: i for i, team in enumerate(cfg.teams)}
    claimed: dict[str, int] = {}
    for i, team in enumerate(cfg.teams):
        for j, old in enumerate(team.previous_names):
            at = f"teams[{i}].previousNames[{j}]"
            if old == team.name:
                yield ConfigIssue(
                    at, "is the team's current name; remove it from previousNames", old
                )
            elif old in names:
                yield ConfigIssue(
                    at,
                    f"is the name of teams[{names[old]}]; a previous name must not be in use by "
                    "another team",
                    old,
                )
            elif old in claimed:
                yield ConfigIssue(
                    at,
                    f"is also a previous name of teams[{claimed[old]}]; give each old name to "
                    "one team only",
                    old,
                )
            claimed.setdefault(old, i)


def _sharing_needs_enablement(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    if cfg.cluster.gpu_enablement is not GpuEnablement.NONE or cfg.target is Target.GCP:
        return
    for i, pool in enumerate(cfg.gpu_pools):
        if pool.sharing.mode in (SharingMode.TIME_SLICING, SharingMode.MPS):
            yield ConfigIssue(
                f"gpuPools[{i}].sharing.mode",
                "needs the NVIDIA device plugin; set cluster.gpuEnablement to "
                "auto or device-plugin",
                pool.sharing.mode.value,
            )


def _kubernetes_version(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    version = cfg.cluster.kubernetes_version
    if cfg.target is Target.AWS and version not in eks_addons.SUPPORTED_VERSIONS:
        yield ConfigIssue(
            "cluster.kubernetesVersion",
            "has no pinned EKS add-on versions in this release; choose one of "
            f"{', '.join(eks_addons.SUPPORTED_VERSIONS)}",
            version,
        )


def _protection(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    if cfg.environment is Environment.PROD and not cfg.protect and not cfg.allow_unprotected_prod:
        yield ConfigIssue(
            "protect",
            "turns off deletion protection in prod; keep protect: true, or also set "
            "allowUnprotectedProd: true to accept that data can be deleted",
            False,
        )
    if cfg.allow_unprotected_prod and cfg.environment is not Environment.PROD:
        yield ConfigIssue("allowUnprotectedProd", "only applies to prod stacks; remove it", True)


def _endpoint(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    cluster = cfg.cluster
    if cluster.endpoint_access is EndpointAccess.PRIVATE:
        if cluster.public_access_cidrs:
            yield ConfigIssue(
                "cluster.publicAccessCidrs",
                "is set but endpointAccess is private; remove it or set endpointAccess: public",
            )
        return
    if not cluster.public_access_cidrs:
        yield ConfigIssue(
            "cluster.publicAccessCidrs",
            "is required with a public endpoint; list the CIDRs allowed to reach it",
        )
    for i, cidr in enumerate(cluster.public_access_cidrs):
        if ipaddress.ip_network(cidr, strict=False).prefixlen == 0 and (
            cfg.environment is Environment.PROD
        ):
            yield ConfigIssue(
                f"cluster.publicAccessCidrs[{i}]",
                "opens the prod API server to the whole internet; list your office/VPN CIDRs",
                cidr,
            )


def _log_retention(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    days = cfg.cluster.log_retention_days
    at = "cluster.logRetentionDays"
    if cfg.target is Target.AWS and days not in defaults.CLOUDWATCH_RETENTION_DAYS:
        allowed = ", ".join(str(d) for d in defaults.CLOUDWATCH_RETENTION_DAYS)
        yield ConfigIssue(at, f"is not a CloudWatch retention period; use one of {allowed}", days)
    if cfg.target is Target.AZURE and not 30 <= days <= 730:
        yield ConfigIssue(
            at, "must be 30 to 730 days for a Log Analytics workspace (PerGB2018)", days
        )
    if cfg.target is Target.GCP and days > 3650:
        yield ConfigIssue(at, "must be at most 3650 days for a Cloud Logging bucket", days)
    yield from _flow_log_retention(cfg)


def _flow_log_retention(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    flow_days = cfg.network.flow_log_retention_days
    if "flow_log_retention_days" in cfg.network.model_fields_set:
        if cfg.target in (Target.GCP, Target.KUBERNETES):
            where = (
                "the subnetwork's flow logs go to Cloud Logging's _Default bucket, kept by its "
                "own retention"
                if cfg.target is Target.GCP
                else "the platform creates no network there"
            )
            yield ConfigIssue(
                "network.flowLogRetentionDays",
                f"has no effect on {cfg.target} ({where}); remove it",
                flow_days,
            )
            return
        if cfg.network.existing is not None:
            yield ConfigIssue(
                "network.flowLogRetentionDays",
                "has no effect with network.existing (the platform logs the flows of a network "
                "it creates; yours keeps its own flow logs); remove it",
                flow_days,
            )
            return
    if cfg.target is Target.AWS and flow_days not in defaults.CLOUDWATCH_RETENTION_DAYS:
        allowed = ", ".join(str(d) for d in defaults.CLOUDWATCH_RETENTION_DAYS)
        yield ConfigIssue(
            "network.flowLogRetentionDays",
            f"is not a CloudWatch retention period; use one of {allowed}",
            flow_days,
        )


def _managed_prometheus(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    managed = cfg.monitoring.prometheus == "managed"
    if cfg.monitoring.enabled and managed and cfg.target is Target.KUBERNETES:
        yield ConfigIssue(
            "monitoring.prometheus",
            "has no managed Prometheus on the kubernetes target (only on aws, azure and gcp); "
            "use in-cluster",
            "managed",
        )


def _mlflow_volume(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    if cfg.target is Target.KUBERNETES and cfg.mlflow.enabled and cfg.mlflow.replicas > 1:
        yield ConfigIssue(
            "mlflow.replicas",
            "cannot share the in-cluster artifact volume (ReadWriteOnce) on the kubernetes "
            "target; use replicas: 1",
            cfg.mlflow.replicas,
        )


def _mlflow_image(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    """A cloud stack's MLflow image names its registry and is pinned by digest; the
    kubernetes target also takes a side-loaded name (see `image_reference`)."""
    image = cfg.mlflow.image
    if image is not None and (problem := image_reference.problem(image, cfg.target.value)):
        yield ConfigIssue("mlflow.image", problem, image)


def _customer_keys(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    if cfg.artifact_store.kms_key_id is not None and cfg.target in (
        Target.AZURE,
        Target.KUBERNETES,
    ):
        yield ConfigIssue(
            "artifactStore.kmsKeyId",
            f"is not supported on {cfg.target} (platform-managed encryption is used); remove it",
            cfg.artifact_store.kms_key_id,
        )


def _mlflow_needs_store(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    if cfg.mlflow.enabled and not cfg.artifact_store.enabled:
        yield ConfigIssue(
            "artifactStore.enabled",
            "is false but MLflow needs an artifact store; set it true or disable mlflow",
            False,
        )


RULES: tuple[Rule, ...] = (
    _region,
    _target_sections,
    _gpu_pools,
    _pool_placement,
    _existing_network,
    _system_pool,
    _admins,
    _teams,
    _queue_limits,
    serving_rules,
    _sharing_needs_enablement,
    _kubernetes_version,
    _protection,
    _endpoint,
    _customer_keys,
    _mlflow_needs_store,
    _mlflow_volume,
    _mlflow_image,
    _log_retention,
    _managed_prometheus,
)

COMPONENT_RULES: tuple[tuple[Rule, frozenset[str]], ...] = (
    (_region, frozenset({"region"})),
    (_system_pool, frozenset({"cluster.systemPool"})),
    (_admins, frozenset({"cluster.admins"})),
    (_kubernetes_version, frozenset({"cluster.kubernetesVersion"})),
    (_log_retention, frozenset({"cluster.logRetentionDays", "network.flowLogRetentionDays"})),
)
"""The rules beyond the GPU pools' that also judge a component's args, each with the spec
paths it reads (a path and what is under it): `mlplatform.component_args` runs one on a config
made of the args alone, where none of those failed validation, and keeps the issues at paths
the args gave."""


def check(
    cfg: PlatformConfig,
    root: Path | None = None,
    today: date | None = None,
    platform_name: str | None = None,
) -> list[ConfigIssue]:
    """Every cross-field problem in `cfg`, in rule order, then every preflight error (what the
    cloud would refuse; support windows judged on `today`, default `preflight.today()`; the
    generated names too when `platform_name`, the `MlPlatform`'s, is given); with the project
    folder `root`, also the local charts `charts.paths` names."""
    issues = [issue for rule in RULES for issue in rule(cfg)]
    at = preflight.context_for(cfg, today or preflight.today(), platform_name)
    issues += preflight.errors(cfg, at)
    if root is not None:
        issues += local_charts(cfg, root)
    return issues


def local_charts(cfg: PlatformConfig, root: Path) -> list[ConfigIssue]:
    """Each local chart exists under `root` (the folder of Pulumi.yaml) and is the pinned
    chart: its Chart.yaml names the chart and the pinned version."""
    issues = []
    for name, path in cfg.charts.paths.items():
        at = f"charts.paths.{name}"
        try:
            meta = _chart_yaml(root / path)
        except (OSError, ValueError, tarfile.TarError) as error:
            issues.append(ConfigIssue(at, f"is not a chart under {root}: {error}", path))
            continue
        pinned = PINNED[name]
        found = (str(meta.get("name")), str(meta.get("version")))
        if found != (pinned.name, pinned.version):
            issues.append(
                ConfigIssue(
                    at,
                    f"holds {found[0]} {found[1]}, but the platform pins {pinned.name} "
                    f"{pinned.version}; copy that release there (helm pull {pinned.name} --repo "
                    f"{pinned.repo} --version {pinned.version})",
                    path,
                )
            )
    return issues


def _chart_yaml(path: Path) -> dict:
    """The Chart.yaml of a chart folder or .tgz archive."""
    import yaml

    if path.is_dir():
        text = (path / "Chart.yaml").read_text(encoding="utf-8")
    elif path.is_file():
        with tarfile.open(path) as archive:
            member = next(
                (
                    m
                    for m in archive.getmembers()
                    if m.name.count("/") == 1 and m.name.endswith("/Chart.yaml")
                ),
                None,
            )
            extracted = archive.extractfile(member) if member is not None else None
            if extracted is None:
                raise ValueError("the archive holds no <chart>/Chart.yaml")
            text = extracted.read().decode()
    else:
        raise FileNotFoundError(f"no such file or folder: {path}")
    meta = yaml.safe_load(text)
    if not isinstance(meta, dict):
        raise ValueError("its Chart.yaml is not a mapping")
    return meta
