"""Layer 2.1, the environment spec: preflight of GPU sharing, against the MIG profiles and node
images of `mlplatform.catalog.limits.mig`.

- A MIG profile must be one of the pool's GPU model's (the model comes from the catalog shape
  the pool resolves to: Azure's 1- and 2-GPU H100 sizes carry the 94 GB H100 NVL, whose
  profiles differ from the 80 GB H100's), and one the cloud's node pool API can ask for: AKS's
  gpuInstanceProfile names only the compute slices (MIG1g ... MIG7g) and makes the profile that
  fills the GPU, GKE's gpu_partition_size takes any `[compute]g.[memory]gb`. A MIG GPU the
  table lacks is a warning. These are pool rules (`mig_profile_form`, `mig_profile_offered`):
  `rules.PLACEMENT_RULES` runs them on the spec's pools and on a component's own
  (`mlplatform.component_args`); a pool for any cluster (no cloud) takes a profile of any
  model of its GPU.
- Time-slicing or MPS on a node image whose built-in device plugin shares GPUs only by the
  image's own settings (Bottlerocket), which the platform does not set, is an error: the
  pool's pods would get whole GPUs.

Already judged elsewhere, not repeated here: MIG only on MIG-capable GPUs and only where the
pool API takes a profile, replicas of at least 2 (`rules._pool_sharing`); replicas at most 48,
GKE's maximum of shared clients per GPU (the spec's field bound). MPS with MIG cannot be asked
for: a pool has one sharing mode.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlplatform import catalog
from mlplatform.catalog.limits import mig
from mlplatform.catalog.names import SharingMode
from mlplatform.environment.errors import ConfigIssue
from mlplatform.environment.model import GpuPoolSpec, PlatformConfig, Target
from mlplatform.environment.preflight.context import Check, Preflight

PROFILE_FORM = re.compile(mig.PROFILE_FORM)
SUPPORTED_PROFILES_URL = (
    "docs.nvidia.com/datacenter/tesla/mig-user-guide/supported-mig-profiles.html"
)


def mig_profile_form(
    target: Target | None, region: str | None, at: str, pool: GpuPoolSpec
) -> Iterator[ConfigIssue]:
    """The pool's MIG profile is of the form a pool API takes (`mig.PROFILE_FORM`)."""
    profile = pool.sharing.mig_profile
    if profile is not None and not PROFILE_FORM.match(profile):
        yield ConfigIssue(
            f"{at}.sharing.migProfile", "is not a MIG profile; use the form 1g.10gb", profile
        )


def mig_profile_offered(
    target: Target | None, region: str | None, at: str, pool: GpuPoolSpec
) -> Iterator[ConfigIssue]:
    """The pool's MIG profile is one of its GPU model's, and one its cloud's pool API can ask
    for; on a cluster of no known cloud (`target` None), one of any model of its GPU."""
    profile = _judged_profile(pool)
    if profile is None:
        return
    if target is None:
        yield from _of_any_model(at, pool.gpu.value, profile)
        return
    shape = _shape(target, pool)
    model = None if shape is None else mig.model_of(shape.gpu, shape.gpu_memory_gib)
    if shape is None or model is None:
        return  # not offered (`rules._pool_offered`), or no table (a warning)
    offered = _offered(target, model)
    if profile in offered:
        return
    path, of = f"{at}.sharing.migProfile", f"the {model.model} GPU of {shape.instance_type}"
    if profile in model.profiles:
        compute = profile.split(".")[0]
        made = next(p for p in model.whole_gpu if p.startswith(f"{compute}."))
        yield ConfigIssue(
            path,
            f"is a MIG profile of {of}, but AKS cannot make it: its gpuInstanceProfile names "
            f"the compute slices alone, and {mig.AKS_INSTANCE_PROFILES[compute]} makes {made} "
            f"({mig.AKS_SOURCE_SHORT}); use one of {', '.join(offered)}",
            profile,
        )
    else:
        yield ConfigIssue(
            path,
            f"is not a MIG profile of {of} ({mig.NVIDIA_SHORT}); use one of {', '.join(offered)}",
            profile,
        )


def _judged_profile(pool: GpuPoolSpec) -> str | None:
    """The profile of a MIG pool of a MIG-capable GPU, when it has the right form (each other
    case is another rule's to name)."""
    sharing = pool.sharing
    profile = sharing.mig_profile
    if sharing.mode is not SharingMode.MIG or profile is None or not PROFILE_FORM.match(profile):
        return None
    return profile if pool.gpu.value in mig.MIG_CAPABLE_GPUS else None


def mig_model(target: Target, pool: GpuPoolSpec) -> mig.MigGpu | None:
    """The MIG model of the GPU a pool's shape carries on `target`; None where the cloud takes
    no MIG profile, the shape is not offered, or the table has no such GPU."""
    shape = _shape(target, pool)
    return None if shape is None else mig.model_of(shape.gpu, shape.gpu_memory_gib)


def _shape(target: Target, pool: GpuPoolSpec) -> catalog.GpuOffering | None:
    """The catalog shape of a pool on a cloud whose pool API takes a MIG profile (EKS takes
    none: `rules._pool_sharing` refuses MIG there)."""
    if target.value not in mig.POOL_PROFILE_FIELD:
        return None
    try:
        return catalog.resolve(target.value, pool.gpu.value, pool.gpus_per_node).offering
    except catalog.CatalogError:
        return None


def _offered(target: Target, model: mig.MigGpu) -> tuple[str, ...]:
    """The profiles of `model` a pool on `target` can ask for."""
    if target is Target.AZURE:
        return model.whole_gpu
    return tuple(p for p in model.profiles if PROFILE_FORM.match(p))


def _of_any_model(at: str, gpu: str, profile: str) -> Iterator[ConfigIssue]:
    models = mig.models_of(gpu)
    named = {m.model: [p for p in m.profiles if PROFILE_FORM.match(p)] for m in models}
    if not models or any(profile in profiles for profiles in named.values()):
        return
    path = f"{at}.sharing.migProfile"
    if len(models) == 1:
        [(model, profiles)] = named.items()
        problem = f"is not a MIG profile of the {model} GPU ({mig.NVIDIA_SHORT}); use one of "
        yield ConfigIssue(path, problem + ", ".join(profiles), profile)
        return
    each = "; ".join(f"{model}: {', '.join(profiles)}" for model, profiles in named.items())
    yield ConfigIssue(
        path,
        f"is not a MIG profile of any {gpu} GPU ({each}) ({mig.NVIDIA_SHORT}); use one of those "
        "of your nodes' GPU",
        profile,
    )


def _sharing_on_image(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """Time-slicing or MPS on an image that shares GPUs only by its own settings."""
    if cfg.target is Target.KUBERNETES:
        return
    default = catalog.NODE_IMAGES[cfg.target.value][0].name
    for i, pool in enumerate(cfg.gpu_pools):
        mode = pool.sharing.mode
        image = pool.node_image
        if mode in (SharingMode.TIME_SLICING, SharingMode.MPS) and (
            image in mig.SHARING_FROM_IMAGE_SETTINGS
        ):
            yield ConfigIssue(
                f"gpuPools[{i}].sharing.mode",
                f"is ignored by nodeImage {image}: its built-in NVIDIA device plugin shares GPUs "
                "only as Bottlerocket's own settings say (settings.kubelet-device-plugins.nvidia)"
                f", which the platform does not set ({mig.SHARING_FROM_IMAGE_SHORT}); remove "
                f"nodeImage ({default}, where the platform's device plugin applies the pool's "
                "sharing) or set mode: none",
                mode.value,
            )


def _mig_model_unknown(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    """A MIG pool whose GPU the profile table lacks: its profile could not be judged."""
    if cfg.target is Target.KUBERNETES:
        return
    for i, pool in enumerate(cfg.gpu_pools):
        profile = _judged_profile(pool)
        shape = None if profile is None else _shape(cfg.target, pool)
        if shape is not None and mig.model_of(shape.gpu, shape.gpu_memory_gib) is None:
            yield ConfigIssue(
                f"gpuPools[{i}].sharing.migProfile",
                "could not be checked: preflight has no MIG profile table for the "
                f"{shape.gpu} with {shape.gpu_memory_gib} GiB of {shape.instance_type}; check "
                f"it against NVIDIA's supported MIG profiles ({SUPPORTED_PROFILES_URL})",
                profile,
            )


ERRORS: tuple[Check, ...] = (_sharing_on_image,)
WARNINGS: tuple[Check, ...] = (_mig_model_unknown,)
