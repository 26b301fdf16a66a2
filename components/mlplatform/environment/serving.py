"""The spec's rules for served models (`serving`): each model belongs to a team, runs on a
planned pool within the pool's node shape and the team's GPU quota, and can reach its model
(the artifact store on the clouds, MLflow on the kubernetes target)."""

from collections.abc import Iterator, Mapping
from math import ceil

from mlplatform.environment.errors import ConfigIssue
from mlplatform.environment.model import PlatformConfig, ServedModelSpec, Target
from mlplatform.environment.queues import EXISTING_CLUSTER_FLAVOR, quota_ceilings


def serving_rules(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    """Every problem of `cfg.serving`, with its field path and the fix."""
    serving = cfg.serving
    if serving.models and not serving.enabled:
        yield ConfigIssue(
            "serving.models",
            "lists models but serving is off; set serving.enabled: true or remove them",
            [m.name for m in serving.models],
        )
    if not serving.enabled:
        return
    yield from _reachable_models(cfg)
    if serving.runtime_image is None and not cfg.registry.enabled:
        yield ConfigIssue(
            "serving.runtimeImage",
            "is required when the platform has no registry (registry.enabled is false): build "
            "images/serving and give its full image reference",
        )
    teams = {team.name for team in cfg.teams}
    # GPUs a node of each pool has; the kubernetes target's one pool, its cluster's GPU nodes,
    # has no size in the spec.
    pools: dict[str, int | None] = {pool.name: pool.gpus_per_node for pool in cfg.gpu_pools}
    if cfg.target is Target.KUBERNETES:
        pools = {EXISTING_CLUSTER_FLAVOR: None}
    names: set[str] = set()
    for i, model in enumerate(serving.models):
        at = f"serving.models[{i}]"
        if model.name in names:
            yield ConfigIssue(f"{at}.name", "is used by another served model", model.name)
        names.add(model.name)
        if model.team not in teams:
            yield ConfigIssue(
                f"{at}.team",
                f"is not a team of this stack; use one of {sorted(teams)} or add it to teams",
                model.team,
            )
        if model.max_replicas is not None and model.max_replicas < model.min_replicas:
            yield ConfigIssue(
                f"{at}.maxReplicas",
                f"is below minReplicas ({model.min_replicas}); raise it or lower minReplicas",
                model.max_replicas,
            )
        yield from _placement(at, model, pools)
    yield from _pool_room(cfg)
    yield from _team_quotas(cfg)


def _placement(
    at: str, model: ServedModelSpec, pools: Mapping[str, int | None]
) -> Iterator[ConfigIssue]:
    """A GPU model names a planned pool and fits one of its nodes; a CPU model names none."""
    gpus = model.gpus_per_replica
    if model.pool is None:
        if gpus:
            yield ConfigIssue(
                f"{at}.gpus",
                f"asks for GPUs but the model names no pool; set pool to one of {sorted(pools)}",
                gpus,
            )
    elif model.pool not in pools:
        yield ConfigIssue(
            f"{at}.pool",
            f"is not a GPU pool of this stack; use one of {sorted(pools)}, or none to run on CPU",
            model.pool,
        )
    elif gpus == 0:
        yield ConfigIssue(
            f"{at}.gpus",
            f"is 0 on GPU pool {model.pool}: a CPU-only replica would hold a GPU node; remove "
            "pool to run on CPU, or ask for at least 1",
            0,
        )
    elif (per_node := pools[model.pool]) is not None and gpus > per_node:
        yield ConfigIssue(
            f"{at}.gpus",
            f"is more than a node of pool {model.pool} has ({per_node}); use at most that, or "
            "a pool with larger nodes",
            gpus,
        )


def _pool_room(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    """The replicas always running (`minReplicas`) fit their pool at its maximum size, models
    sharing a pool together: KServe cannot run fewer, and the rest would stay Pending."""
    held: dict[str, list[int]] = {}
    for i, model in enumerate(cfg.serving.models):
        if model.pool is not None:
            held.setdefault(model.pool, []).append(i)
    for index, pool in enumerate(cfg.gpu_pools):
        models = held.get(pool.name, [])
        need = sum(
            cfg.serving.models[i].gpus_per_replica * cfg.serving.models[i].min_replicas
            for i in models
        )
        room = pool.max_nodes * pool.gpus_per_node
        if need > room:
            names = ", ".join(cfg.serving.models[i].name for i in models)
            yield ConfigIssue(
                f"gpuPools[{index}].maxNodes",
                f"lets pool {pool.name} hold {room} GPUs, fewer than the {need} its served models "
                f"({names}) keep running at minReplicas; raise maxNodes or lower minReplicas",
                pool.max_nodes,
            )


def _team_quotas(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    """A team's served models fit its namespace's ResourceQuota at their maximum replicas:
    their pods are not Kueue's (a Deployment is not a queued job), the quota alone holds them."""
    held: dict[str, int] = {}
    for model in cfg.serving.models:
        held[model.team] = held.get(model.team, 0) + model.gpus_per_replica * model.replicas_at_most
    if not any(held.values()):
        return
    ceilings = quota_ceilings(cfg)
    for index, team in enumerate(cfg.teams):
        gpus = held.get(team.name, 0)
        if gpus > ceilings[team.name]:
            yield ConfigIssue(
                f"teams[{index}].maxGpus",
                f"lets the namespace's ResourceQuota hold {ceilings[team.name]} GPUs, fewer "
                f"than the {gpus} team {team.name}'s served models hold at their maximum "
                "replicas (the quota would refuse the rest); raise it or serve fewer replicas",
                team.max_gpus,
            )


def _reachable_models(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    """Models are read from the artifact store (clouds) or through MLflow (kubernetes)."""
    if not cfg.serving.models:
        return
    if cfg.target is Target.KUBERNETES and not cfg.mlflow.enabled:
        yield ConfigIssue(
            "mlflow.enabled",
            "is false, but on the kubernetes target served models are fetched through MLflow's "
            "artifact proxy; set it true",
            False,
        )
    elif cfg.target is not Target.KUBERNETES and not cfg.artifact_store.enabled:
        yield ConfigIssue(
            "artifactStore.enabled",
            "is false, but served models are read from the artifact store; set it true",
            False,
        )


def held_nodes(cfg: PlatformConfig) -> dict[str, int]:
    """Nodes of each GPU pool that served models keep up around the clock, by pool name: their
    `minReplicas` x GPUs together, in whole nodes, at most the pool's `maxNodes` (KServe's
    Standard mode never scales a model to zero; the cost estimate charges the same nodes)."""
    if not cfg.serving.enabled:
        return {}
    gpus: dict[str, int] = {}
    for model in cfg.serving.models:
        if model.pool is not None:
            gpus[model.pool] = gpus.get(model.pool, 0) + model.gpus_per_replica * model.min_replicas
    return {
        pool.name: min(pool.max_nodes, ceil(gpus[pool.name] / pool.gpus_per_node))
        for pool in cfg.gpu_pools
        if gpus.get(pool.name)
    }


def needs_metrics_server(cfg: PlatformConfig) -> bool:
    """Whether the platform installs metrics-server for its autoscaled models: on EKS, which
    runs none (AKS and GKE run their own; on an existing cluster it is the cluster's)."""
    return (
        cfg.serving.enabled
        and cfg.target is Target.AWS
        and any(m.replicas_at_most > m.min_replicas for m in cfg.serving.models)
    )
