"""Cross-field rules of the environment spec, including GPU catalog checks.

Each rule is a small function from a validated `PlatformConfig` to the
`ConfigIssue`s it finds; `check(config)` runs them all so a user sees every
problem at once.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator

from mlplatform import catalog
from mlplatform.spec.errors import ConfigIssue
from mlplatform.spec.model import (
    EndpointAccess,
    Environment,
    PlatformConfig,
    SharingMode,
    Target,
)

MIG_CAPABLE_GPUS = frozenset({"A100-40GB", "A100-80GB", "H100", "H200"})
"""GPUs with Multi-Instance GPU support (NVIDIA MIG user guide, supported GPUs)."""
MIG_AT_POOL_CREATION = frozenset({Target.AZURE, Target.GCP})
"""Clouds whose node pool API takes a MIG profile
(AKS gpuInstanceProfile, GKE gpu_partition_size)."""

REGION_PATTERNS: dict[Target, tuple[str, str]] = {
    Target.AWS: (r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$", "us-east-1"),
    Target.AZURE: (r"^[a-z]+[a-z0-9]*$", "westeurope"),
    Target.GCP: (r"^[a-z]+-[a-z]+\d+$", "us-central1"),
}
GCP_LABEL = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
GCP_LABEL_VALUE = re.compile(r"^[a-z0-9_-]{0,63}$")

Rule = Callable[[PlatformConfig], Iterator[ConfigIssue]]


def _region(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    if cfg.target is Target.KUBERNETES:
        if cfg.region is not None:
            yield ConfigIssue(
                "region", "has no meaning on the kubernetes target; remove it", cfg.region
            )
        return
    pattern, example = REGION_PATTERNS[cfg.target]
    if cfg.region is None:
        yield ConfigIssue("region", f"is required on {cfg.target}; add e.g. region: {example}")
    elif not re.match(pattern, cfg.region):
        yield ConfigIssue(
            "region", f"is not a {cfg.target} region name; use e.g. {example}", cfg.region
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
        if pool.name in seen:
            yield ConfigIssue(
                f"{at}.name", "is used by another pool; pool names must be unique", pool.name
            )
        seen.add(pool.name)
        if pool.min_nodes > pool.max_nodes:
            yield ConfigIssue(
                f"{at}.minNodes",
                f"is greater than maxNodes ({pool.max_nodes}); lower minNodes or raise maxNodes",
                pool.min_nodes,
            )
        yield from _pool_catalog(cfg.target, at, pool.gpu.value, pool.gpus_per_node)
        yield from _pool_sharing(cfg.target, at, pool)


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
        yield ConfigIssue(f"{at}.gpusPerNode", str(exc), count)


def _pool_sharing(target: Target, at: str, pool) -> Iterator[ConfigIssue]:
    sharing = pool.sharing
    if sharing.mode is SharingMode.MIG:
        if pool.gpu.value not in MIG_CAPABLE_GPUS:
            yield ConfigIssue(
                f"{at}.sharing.mode",
                f"needs a MIG-capable GPU ({', '.join(sorted(MIG_CAPABLE_GPUS))}); "
                "use time-slicing or mps instead",
                sharing.mode.value,
            )
        elif target not in MIG_AT_POOL_CREATION:
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


def _budget(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    cap = cfg.budget.max_gpus
    if cap is None:
        return
    total = sum(p.max_nodes * p.gpus_per_node for p in cfg.gpu_pools)
    if total > cap:
        yield ConfigIssue(
            "gpuPools",
            f"can grow to {total} GPUs (maxNodes x gpusPerNode summed), over budget.maxGpus "
            f"({cap}); lower maxNodes or raise budget.maxGpus",
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


def _tags(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    if cfg.target not in (Target.GCP, Target.KUBERNETES):
        return
    kind = "GCP labels" if cfg.target is Target.GCP else "Kubernetes labels"
    for key, value in cfg.tags.items():
        if not GCP_LABEL.match(key):
            yield ConfigIssue(
                f"tags.{key}",
                f"is not a valid key for {kind}; use lowercase "
                "letters, digits, _ and -, starting with a letter",
                key,
            )
        if not GCP_LABEL_VALUE.match(value):
            yield ConfigIssue(
                f"tags.{key}",
                f"is not a valid value for {kind}; use at most 63 "
                "lowercase letters, digits, _ and -",
                value,
            )


def _not_yet_provisioned(cfg: PlatformConfig) -> Iterator[ConfigIssue]:
    for section in ("mlflow", "monitoring"):
        if getattr(cfg, section).enabled:
            yield ConfigIssue(
                f"{section}.enabled",
                f"is not provisioned by this release of mlplatform; set {section}.enabled: false",
                True,
            )


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
    _budget,
    _protection,
    _endpoint,
    _tags,
    _customer_keys,
    _mlflow_needs_store,
    _not_yet_provisioned,
)


def check(cfg: PlatformConfig) -> list[ConfigIssue]:
    """Every cross-field problem in `cfg`, in rule order."""
    return [issue for rule in RULES for issue in rule(cfg)]
