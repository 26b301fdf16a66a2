"""Preflight of GPU sharing: MIG profiles per GPU model and per cloud's node pool API, and
sharing modes per node image. Each test names the source of the fact it holds the check to."""

from __future__ import annotations

from typing import Any

import pytest

from mlplatform import AksGpuCluster, AksGpuClusterArgs, NvidiaGpuEnablement
from mlplatform.catalog.limits import mig
from mlplatform.component_args import ComponentArgsError
from mlplatform.contracts import GpuPoolArgs
from mlplatform.environment import ConfigError, ConfigIssue, GpuPoolSpec, parse
from mlplatform.environment.preflight import sharing
from tests.unit.preflight.specs import AWS, AZURE, GCP, LOCAL, found, spec

AKS: AksGpuClusterArgs = {
    "kubernetes_version": "1.36",
    "resource_group_name": "rg",
    "location": "westeurope",
    "node_subnet_id": "subnet",
}


def mig_pool(gpu: str, profile: str, **more: Any) -> dict[str, Any]:
    return {"name": "mig", "gpu": gpu, "sharing": {"mode": "mig", "migProfile": profile}, **more}


def config_issues(values: dict[str, Any]) -> list[str]:
    """Every issue of the spec's whole validation (rules and preflight) of `values`."""
    with pytest.raises(ConfigError) as caught:
        parse(values)
    return [str(issue) for issue in caught.value.issues]


def test_the_placement_rules_run_the_mig_rules_themselves() -> None:
    """`rules.PLACEMENT_RULES` holds preflight's MIG rules, not wrappers of them, and the
    MIG-capable GPUs have one name (`mig.MIG_CAPABLE_GPUS`)."""
    from mlplatform.environment import rules

    assert rules.PLACEMENT_RULES[-2:] == (
        (sharing.mig_profile_form, frozenset({"sharing"})),
        (sharing.mig_profile_offered, frozenset({"gpu", "gpusPerNode", "sharing"})),
    )
    assert not hasattr(rules, "MIG_CAPABLE_GPUS")


def mig_issues(values: dict[str, Any]) -> list[str]:
    """The MIG profile rules' issues of the first pool of `values` (`rules.PLACEMENT_RULES`
    runs them on every pool of the spec and of a component)."""
    cfg = spec(values)
    pool, checks = cfg.gpu_pools[0], (sharing.mig_profile_form, sharing.mig_profile_offered)
    return [str(i) for check in checks for i in check(cfg.target, cfg.region, "gpuPools[0]", pool)]


def errors(values: dict[str, Any]) -> list[ConfigIssue]:
    """This module's errors of `values`."""
    return found(sharing.ERRORS, values)


def warnings(values: dict[str, Any]) -> list[ConfigIssue]:
    """This module's warnings of `values`."""
    return found(sharing.WARNINGS, values)


def test_a_profile_of_another_a100_is_refused_with_the_gcp_pools_profiles() -> None:
    """NVIDIA MIG user guide, Supported MIG Profiles: the A100 80GB's profiles are 1g.10gb,
    1g.10gb+me, 1g.20gb, 2g.20gb, 3g.40gb, 4g.40gb, 7g.80gb (1g.5gb is the 40GB's); GKE takes
    any of them without +me ([compute]g.[memory]gb, GKE Running multi-instance GPUs)."""
    expected = (
        "gpuPools[0].sharing.migProfile: '1g.5gb' is not a MIG profile of the A100 80GB GPU of "
        "a2-ultragpu-1g (NVIDIA MIG user guide); use one of 1g.10gb, 1g.20gb, 2g.20gb, 3g.40gb, "
        "4g.40gb, 7g.80gb"
    )
    values = {**GCP, "gpuPools": [mig_pool("A100-80GB", "1g.5gb")]}
    assert mig_issues(values) == [expected]
    assert expected in config_issues(values)  # the spec's own validation runs it


def test_a_profile_of_the_pools_gpu_passes_on_gcp() -> None:
    """NVIDIA MIG user guide: 1g.20gb (four instances) is an A100 80GB profile; GKE's
    gpu_partition_size takes it."""
    assert mig_issues({**GCP, "gpuPools": [mig_pool("A100-80GB", "1g.20gb")]}) == []


def test_the_azure_h100_nvl_has_its_own_profiles() -> None:
    """NVIDIA/gpu-operator assets/state-mig-manager/0400_configmap.yaml: the H100 NVL (94 GB,
    Azure's Standard_NC40ads_H100_v5, 'Nvidia PCIe H100 GPU (94GB)') has 1g.12gb ... 7g.94gb,
    not the 80 GB H100's 1g.10gb; AKS makes the profile that fills the GPU per compute size."""
    assert mig_issues({**AZURE, "gpuPools": [mig_pool("H100", "1g.10gb")]}) == [
        "gpuPools[0].sharing.migProfile: '1g.10gb' is not a MIG profile of the H100 NVL 94GB "
        "GPU of Standard_NC40ads_H100_v5 (NVIDIA MIG user guide); use one of 1g.12gb, 2g.24gb, "
        "3g.47gb, 4g.47gb, 7g.94gb"
    ]


def test_the_80gb_h100_of_an_azure_nd_node_takes_the_80gb_profiles() -> None:
    """Azure ND96isr_H100_v5: '8 x Nvidia H100 GPU (80GB)' (catalog/data.py), so the 80 GB
    profiles apply; 1g.12gb is the NVL's (gpu-operator MIG configs)."""
    pool = mig_pool("H100", "1g.10gb", gpusPerNode=8)
    assert mig_issues({**AZURE, "gpuPools": [pool]}) == []
    wrong = mig_pool("H100", "1g.12gb", gpusPerNode=8)
    assert mig_issues({**AZURE, "gpuPools": [wrong]}) == [
        "gpuPools[0].sharing.migProfile: '1g.12gb' is not a MIG profile of the H100 80GB GPU of "
        "Standard_ND96isr_H100_v5 (NVIDIA MIG user guide); use one of 1g.10gb, 2g.20gb, "
        "3g.40gb, 4g.40gb, 7g.80gb"
    ]


def test_aks_cannot_make_a_profile_its_gpu_instance_profile_cannot_name() -> None:
    """AKS gpuInstanceProfile is one of MIG1g, MIG2g, MIG3g, MIG4g, MIG7g (containerservice
    API enum), the compute slices alone; MIG1g makes seven 1g instances (AKS multi-instance
    GPU docs, ms.date 05/22/2026). So 1g.20gb, an A100 80GB profile, cannot be asked for:
    the platform would pass MIG1g and get 1g.10gb."""
    assert mig_issues({**AZURE, "gpuPools": [mig_pool("A100-80GB", "1g.20gb")]}) == [
        "gpuPools[0].sharing.migProfile: '1g.20gb' is a MIG profile of the A100 80GB GPU of "
        "Standard_NC24ads_A100_v4, but AKS cannot make it: its gpuInstanceProfile names the "
        "compute slices alone, and MIG1g makes 1g.10gb (AKS multi-instance GPU docs, "
        "2026-05-22); use one of 1g.10gb, 2g.20gb, 3g.40gb, 4g.40gb, 7g.80gb"
    ]


def test_aks_takes_the_profile_its_instance_profile_makes() -> None:
    """AKS multi-instance GPU docs: Standard_ND96asr_v4 (A100 40GB) with MIG3g makes two
    3g.20gb instances."""
    pool = mig_pool("A100-40GB", "3g.20gb", gpusPerNode=8)
    assert mig_issues({**AZURE, "gpuPools": [pool]}) == []


def test_a_profile_not_of_that_form_is_named_once() -> None:
    """GKE Running multi-instance GPUs: 'use the following syntax: [compute]g.[memory]gb';
    a value not of that form gets the form error alone, not also the GPU's list."""
    issues = mig_issues({**GCP, "gpuPools": [mig_pool("A100-40GB", "1g.5gb+me")]})
    assert issues == [
        "gpuPools[0].sharing.migProfile: '1g.5gb+me' is not a MIG profile; use the form 1g.10gb"
    ]


def test_mig_on_aws_is_refused_once() -> None:
    """EKS node groups take no MIG profile (`mig.POOL_PROFILE_FIELD`): the pool's mode is
    refused, and its profile is not judged against the GPU as well."""
    pool = mig_pool("H100", "1g.11gb", gpusPerNode=8)
    assert mig_issues({**AWS, "gpuPools": [pool]}) == []
    assert [i for i in config_issues({**AWS, "gpuPools": [pool]}) if "sharing" in i] == [
        "gpuPools[0].sharing.mode: 'mig' is not set at pool creation on aws; use time-slicing "
        "or mps"
    ]


def test_a_component_for_any_cluster_takes_a_profile_of_any_model_of_its_gpu() -> None:
    """NVIDIA MIG user guide: an H100 is 80 GB (1g.10gb ...) or NVL 94 GB (1g.12gb ...); a
    device plugin on any cluster cannot tell which, so either model's profile passes and a
    profile of neither is refused, listing both."""
    good: GpuPoolArgs = {
        "name": "mig",
        "gpu": "H100",
        "sharing_mode": "mig",
        "mig_profile": "1g.12gb",
    }
    assert list(sharing.mig_profile_offered(None, None, "pools[0]", _pool(good))) == []
    bad: GpuPoolArgs = {**good, "mig_profile": "1g.11gb"}
    with pytest.raises(ComponentArgsError) as caught:
        NvidiaGpuEnablement("gpu", {"mode": "device-plugin", "pools": [bad]})
    assert str(caught.value) == (
        "invalid component args (1 problem(s)):\n"
        "  - NvidiaGpuEnablement \"gpu\": pools[0].mig_profile: '1g.11gb' is not a MIG profile "
        "of any H100 GPU (H100 80GB: 1g.10gb, 1g.20gb, 2g.20gb, 3g.40gb, 4g.40gb, 7g.80gb; H100 "
        "NVL 94GB: 1g.12gb, 1g.24gb, 2g.24gb, 3g.47gb, 4g.47gb, 7g.94gb) (NVIDIA MIG user "
        "guide); use one of those of your nodes' GPU"
    )


def test_a_cluster_component_refuses_a_profile_its_cloud_cannot_make() -> None:
    """AKS multi-instance GPU docs (MIG1g makes the seven-instance 1g profile): the same check
    judges an `AksGpuCluster`'s own pools, in its args' words."""
    pool: GpuPoolArgs = {
        "name": "mig",
        "gpu": "A100-80GB",
        "sharing_mode": "mig",
        "mig_profile": "1g.20gb",
    }
    with pytest.raises(ComponentArgsError) as caught:
        AksGpuCluster("c", {**AKS, "gpu_pools": [pool]})
    assert str(caught.value) == (
        "invalid component args (1 problem(s)):\n"
        "  - AksGpuCluster \"c\": gpu_pools[0].mig_profile: '1g.20gb' is a MIG profile of the "
        "A100 80GB GPU of Standard_NC24ads_A100_v4, but AKS cannot make it: its "
        "gpuInstanceProfile names the compute slices alone, and MIG1g makes 1g.10gb (AKS "
        "multi-instance GPU docs, 2026-05-22); use one of 1g.10gb, 2g.20gb, 3g.40gb, 4g.40gb, "
        "7g.80gb"
    )


def _pool(args: GpuPoolArgs) -> GpuPoolSpec:
    """A spec pool from `GpuPoolArgs`."""
    cfg = spec(
        {
            **LOCAL,
            "gpuPools": [
                {
                    "name": args["name"],
                    "gpu": args["gpu"],
                    "sharing": {
                        "mode": args.get("sharing_mode"),
                        "migProfile": args.get("mig_profile"),
                    },
                }
            ],
        }
    )
    return cfg.gpu_pools[0]


def test_bottlerocket_ignores_the_platforms_sharing_config() -> None:
    """Bottlerocket kubelet-device-plugins settings (bottlerocket.dev, 1.54.x): its built-in
    NVIDIA device plugin shares GPUs by settings.kubelet-device-plugins.nvidia
    (device-sharing-strategy, time-slicing.replicas, mps.replicas), which the platform never
    sets (components/mlplatform/aws/cluster.py has no user data), so the pool's time-slicing
    would silently not happen."""
    pool = {
        "name": "shared",
        "gpu": "T4",
        "nodeImage": "BOTTLEROCKET_x86_64_NVIDIA",
        "sharing": {"mode": "time-slicing", "replicas": 4},
    }
    assert errors({**AWS, "gpuPools": [pool]}) == [
        ConfigIssue(
            "gpuPools[0].sharing.mode",
            "is ignored by nodeImage BOTTLEROCKET_x86_64_NVIDIA: its built-in NVIDIA device "
            "plugin shares GPUs only as Bottlerocket's own settings say "
            "(settings.kubelet-device-plugins.nvidia), which the platform does not set "
            "(Bottlerocket settings reference); remove nodeImage (AL2023_x86_64_NVIDIA, where "
            "the platform's device plugin applies the pool's sharing) or set mode: none",
            "time-slicing",
        )
    ]


def test_sharing_on_the_default_aws_image_and_no_sharing_on_bottlerocket_pass() -> None:
    """EKS AL2023_x86_64_NVIDIA ships no device plugin (catalog/images.py), so the platform's
    NVIDIA device plugin runs there with the pool's config; an unshared Bottlerocket pool asks
    nothing of its settings."""
    shared = {"name": "shared", "gpu": "T4", "sharing": {"mode": "mps", "replicas": 4}}
    plain = {"name": "plain", "gpu": "T4", "nodeImage": "BOTTLEROCKET_x86_64_NVIDIA"}
    assert errors({**AWS, "gpuPools": [shared, plain]}) == []


def test_a_mig_gpu_without_a_profile_table_is_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    """A MIG GPU the profile table lacks (here the A100 80GB, taken out of it) cannot be judged:
    a warning naming where to look (NVIDIA's supported MIG profiles), never a pass or an
    error."""
    values = {**GCP, "gpuPools": [mig_pool("A100-80GB", "1g.10gb")]}
    assert warnings(values) == []
    kept = tuple(m for m in mig.MIG_GPUS if m.model != "A100 80GB")
    monkeypatch.setattr(mig, "MIG_GPUS", kept)
    assert mig_issues(values) == []
    assert warnings(values) == [
        ConfigIssue(
            "gpuPools[0].sharing.migProfile",
            "could not be checked: preflight has no MIG profile table for the A100-80GB with 80 "
            "GiB of a2-ultragpu-1g; check it against NVIDIA's supported MIG profiles "
            "(docs.nvidia.com/datacenter/tesla/mig-user-guide/supported-mig-profiles.html)",
            "1g.10gb",
        )
    ]
