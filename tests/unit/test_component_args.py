"""Every public component checks its args when it is built: unknown keys, missing keys and
wrong types are refused, and the environment spec's own rules apply to the args the spec
also has (pool names, ranges, min <= max, GPU names, sharing modes), every problem in one
error that names the component, the resource, the field, the bad value and the fix."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi.errors import InputPropertyError
from pydantic import BaseModel

import mlplatform
from mlplatform import (
    AksGpuCluster,
    AwsNetwork,
    EksClusterAutoscaler,
    EksGpuCluster,
    GkeGpuCluster,
    InClusterPostgres,
    MonitoringStack,
    NvidiaGpuEnablement,
    PvcArtifactStore,
    TeamNamespace,
    provider,
)
from mlplatform.catalog.names import GpuName
from mlplatform.component_args import SPEC_PATHS, ComponentArgsError
from mlplatform.engine import run_program
from mlplatform.environment import PlatformConfig
from tests.conftest import ROOT
from tests.unit.test_public_api import COMPONENTS, args_classes

BIN = Path(sys.executable).parent

EKS = {"kubernetes_version": "1.36", "private_subnet_ids": ["a", "b"], "region": "us-east-1"}
AKS = {
    "kubernetes_version": "1.36",
    "resource_group_name": "rg",
    "location": "westeurope",
    "node_subnet_id": "subnet",
}
GKE = {
    "kubernetes_version": "1.36",
    "project": "my-ml-project",
    "region": "us-central1",
    "network": "net",
    "subnetwork": "sub",
    "pods_range_name": "pods",
    "services_range_name": "services",
}
ISSUE_POOL = {"name": "Bad Name!", "gpu": "T4", "min_nodes": 3, "max_nodes": 1}
"""The pool of the issue: a bad name, min above max, and (added per test) a bogus mode."""

GPU_NAMES = "T4, L4, A10, A100-40GB, A100-80GB, H100, H200"
POOL_NAME = (
    "'Bad Name!' is invalid: string should match pattern '^[a-z][a-z0-9-]{0,19}$'; "
    "expected: Pool name: lowercase letters, digits and dashes, at most 20 characters"
)


def problems(component: type, args: Any, name: str = "c") -> str:
    with pytest.raises(ComponentArgsError) as raised:
        component(name, args)
    return str(raised.value)


def listing(component: str, name: str, *lines: str) -> str:
    where = f'{component} "{name}"'
    body = "".join(f"\n  - {where}: {line}" for line in lines)
    return f"invalid component args ({len(lines)} problem(s)):{body}"


@pytest.mark.parametrize(
    ("component", "base", "pools"),
    [
        (EksGpuCluster, EKS, "gpu_pools"),
        (AksGpuCluster, AKS, "gpu_pools"),
        (GkeGpuCluster, GKE, "gpu_pools"),
        (NvidiaGpuEnablement, {"mode": "device-plugin"}, "pools"),
    ],
    ids=lambda v: v.__name__ if isinstance(v, type) else None,
)
def test_the_issue_pool_names_every_problem_on_every_target(
    component: type, base: dict[str, Any], pools: str
) -> None:
    pool = {**ISSUE_POOL, "sharing_mode": "bogus"}
    second = {"name": "ok", "gpu": "H10", "max_nodes": -3}
    assert problems(component, {**base, pools: [pool, second]}) == listing(
        component.__name__,
        "c",
        f"{pools}[0].name: {POOL_NAME}",
        f"{pools}[0].min_nodes: 3 is greater than max_nodes (1); lower min_nodes or raise "
        "max_nodes",
        f"{pools}[0].sharing_mode: 'bogus' is invalid; choose one of none, time-slicing, mps, mig",
        f"{pools}[1].gpu: 'H10' is invalid; choose one of {GPU_NAMES}",
        f"{pools}[1].max_nodes: -3 is invalid: input should be greater than or equal to 1",
    )


def test_max_nodes_below_zero_never_reaches_a_node_group() -> None:
    pool = {"name": "gpu", "gpu": "T4", "max_nodes": -3}
    assert problems(EksGpuCluster, {**EKS, "gpu_pools": [pool]}, "gpu") == listing(
        "EksGpuCluster",
        "gpu",
        "gpu_pools[0].max_nodes: -3 is invalid: input should be greater than or equal to 1",
    )


def test_the_cloud_rules_of_a_pool_follow_the_component() -> None:
    pools = [
        {"name": "a100", "gpu": "L4", "zones": ["4"]},
        {"name": "mig", "gpu": "T4", "sharing_mode": "mig"},
        {"name": "shared", "gpu": "T4", "sharing_mode": "time-slicing"},
        {"name": "shared", "gpu": "T4"},
    ]
    assert problems(AksGpuCluster, {**AKS, "gpu_pools": pools}) == listing(
        "AksGpuCluster",
        "c",
        "gpu_pools[0].gpu: 'L4' is not offered on azure; choose one of A10, A100-40GB, "
        "A100-80GB, H100, H200, T4",
        "gpu_pools[0].zones[0]: '4' is not an Azure zone number; use 1, 2 or 3",
        "gpu_pools[1].sharing_mode: 'mig' needs a MIG-capable GPU (A100-40GB, A100-80GB, H100, "
        "H200); use time-slicing or mps instead",
        "gpu_pools[1].mig_profile: is required for sharing_mode mig; add e.g. mig_profile: 1g.10gb",
        "gpu_pools[2].sharing_replicas: 1 must be at least 2 for time-slicing; set e.g. "
        "sharing_replicas: 4",
        "gpu_pools[3].name: 'shared' is used by another pool; pool names must be unique",
    )


@pytest.mark.parametrize(
    ("component", "base", "pool", "line"),
    [
        (
            AksGpuCluster,
            AKS,
            {"gpu": "L4"},
            "gpu_pools[1].gpu: 'L4' is not offered on azure; choose one of A10, A100-40GB, "
            "A100-80GB, H100, H200, T4",
        ),
        (
            EksGpuCluster,
            EKS,
            {"gpu": "H100", "gpus_per_node": 2},
            "gpu_pools[1].gpus_per_node: 2 GPUs per node is not offered for H100 on aws; "
            "choose one of 1, 8",
        ),
        (
            GkeGpuCluster,
            GKE,
            {"gpu": "L4", "node_image": "Ubuntu"},
            "gpu_pools[1].node_image: 'Ubuntu' is not a GPU node image on gcp; choose one of "
            "COS_CONTAINERD, UBUNTU_CONTAINERD",
        ),
    ],
    ids=lambda v: v.__name__ if isinstance(v, type) else None,
)
def test_a_pool_the_catalog_lacks_is_named_with_what_the_cloud_offers(
    component: type, base: dict[str, Any], pool: dict[str, Any], line: str
) -> None:
    """A user composing clusters by hand is told the pool, the field and the catalog's
    alternatives, in the components' snake_case, before anything resolves the pool."""
    pools = [{"name": "t4", "gpu": "T4"}, {"name": "bad", **pool}]
    assert problems(component, {**base, "gpu_pools": pools}) == listing(
        component.__name__, "c", line
    )


def test_an_aks_pool_name_follows_the_aks_rule() -> None:
    pool = {"name": "gpu-pool-a", "gpu": "T4"}
    assert problems(AksGpuCluster, {**AKS, "gpu_pools": [pool]}) == listing(
        "AksGpuCluster",
        "c",
        "gpu_pools[0].name: 'gpu-pool-a' is not a valid AKS pool name (1-12 lowercase letters "
        "and digits); use e.g. gpupoola",
    )


def test_an_unknown_key_is_refused_with_the_closest_known_one() -> None:
    args = {
        "kubernetes_version": "1.36",
        "privat_subnet_ids": ["a", "b"],
        "region": "us-east-1",
        "gpu_pools": [{"name": "gpu", "gpu": "T4", "max_node": 2}],
    }
    assert problems(EksGpuCluster, args) == listing(
        "EksGpuCluster",
        "c",
        "privat_subnet_ids: is not a known key; did you mean private_subnet_ids?",
        "gpu_pools[0].max_node: is not a known key; did you mean max_nodes?",
        "private_subnet_ids: is required; add it",
    )


def test_a_missing_required_key_is_named_not_a_key_error() -> None:
    # The issue's example: a KeyError: 'region' before.
    args = {"kubernetes_version": "1.36", "private_subnet_ids": ["a"], "vpc_id": "v"}
    assert problems(EksGpuCluster, args) == listing(
        "EksGpuCluster",
        "c",
        "vpc_id: is not a known key; remove it or use one of: admins, gpu_pools, "
        "kubernetes_version, log_retention_days, private_access_cidrs, private_subnet_ids, "
        "protect, public_access_cidrs, public_endpoint, region, system_instance_type, "
        "system_max_nodes, system_min_nodes, tags",
        "region: is required; add it",
    )


def test_values_of_the_wrong_type_are_refused_an_output_only_where_an_input_is() -> None:
    args = {
        **EKS,
        "kubernetes_version": pulumi.Output.from_input("1.36"),
        "private_subnet_ids": pulumi.Output.from_input(["a", "b"]),
        "system_min_nodes": "2",
        "public_endpoint": "yes",
        "tags": {"team": 1},
        "gpu_pools": [{"name": "gpu", "gpu": "T4", "spot": 1}, "big"],
    }
    assert problems(EksGpuCluster, args) == listing(
        "EksGpuCluster",
        "c",
        "kubernetes_version: must be a string, not an output: the component reads it when it "
        "is built",
        "system_min_nodes: '2' must be an integer (got str)",
        "public_endpoint: 'yes' must be true or false (got str)",
        "tags.team: 1 must be a string (got int)",
        "gpu_pools[0].spot: 1 must be true or false (got int)",
        "gpu_pools[1]: 'big' must be a mapping of GpuPoolArgs (got str)",
    )


def test_args_that_are_not_a_mapping_are_refused() -> None:
    assert problems(TeamNamespace, ["research", 2]) == listing(
        "TeamNamespace",
        "c",
        "args: ['research', 2] must be a mapping of TeamNamespaceArgs (got list)",
    )


def test_the_spec_rules_of_a_cluster_apply_to_its_args() -> None:
    args = {
        **AKS,
        "kubernetes_version": "1.x",
        "system_min_nodes": 5,
        "admins": ["arn:aws:iam::123456789012:role/admin"],
        "log_retention_days": 7,
        "release_channel": "fast",
        "public_access_cidrs": ["10.0.0.0/33"],
    }
    assert problems(AksGpuCluster, args) == listing(
        "AksGpuCluster",
        "c",
        "kubernetes_version: '1.x' is invalid: string should match pattern '^1\\.\\d{2}$'; "
        'expected: Kubernetes minor version, e.g. "1.36"',
        "system_min_nodes: 5 is greater than system_max_nodes (4); lower it or raise "
        "system_max_nodes",
        "admins[0]: 'arn:aws:iam::123456789012:role/admin' is not an Entra ID group object id "
        "(a GUID)",
        "log_retention_days: 7 must be 30 to 730 days for a Log Analytics workspace (PerGB2018)",
        "release_channel: 'fast' is invalid: input should be 'rapid', 'regular' or 'stable'",
        "public_access_cidrs: ['10.0.0.0/33'] '10.0.0.0/33' is not a CIDR; use e.g. 203.0.113.0/24",
    )


def test_an_eks_version_without_pinned_add_ons_is_refused_with_the_spec_message() -> None:
    assert problems(EksGpuCluster, {**EKS, "kubernetes_version": "1.20"}) == listing(
        "EksGpuCluster",
        "c",
        "kubernetes_version: '1.20' has no pinned EKS add-on versions in this release; choose "
        "one of 1.35, 1.36",
    )


def test_an_autoscaler_for_an_eks_version_without_pinned_images_is_refused() -> None:
    args = {
        "cluster_name": "c",
        "oidc_provider_arn": "arn:aws:iam::123456789012:oidc-provider/x",
        "oidc_issuer_url": "https://oidc.example",
        "region": "us-east-1",
        "kubernetes_version": "1.20",
    }
    assert problems(EksClusterAutoscaler, args) == listing(
        "EksClusterAutoscaler",
        "c",
        "kubernetes_version: '1.20' has no pinned EKS add-on versions in this release; choose "
        "one of 1.35, 1.36",
    )


def test_an_in_cluster_database_s_size_follows_the_database_s_range() -> None:
    """`size_gi` is the artifact store's volume in SPEC_PATHS; on `InClusterPostgres` it holds
    the database's storage (`mlflow.database.storageGb`, 20 to 16384), as the spec says."""
    args = {"namespace": "ml", "client_labels": {"app": "mlflow"}, "size_gi": 5}
    assert problems(InClusterPostgres, args) == listing(
        "InClusterPostgres",
        "c",
        "size_gi: 5 is invalid: input should be greater than or equal to 20",
    )


def test_network_and_monitoring_args_follow_the_spec_ranges() -> None:
    assert problems(
        AwsNetwork, {"cidr": "8.8.0.0/16", "zone_count": 4, "flow_log_retention_days": 10}
    ) == listing(
        "AwsNetwork",
        "c",
        "cidr: '8.8.0.0/16' must be a private (RFC 1918) range; use e.g. 10.0.0.0/16",
        "zone_count: 4 is invalid: input should be less than or equal to 3",
        "flow_log_retention_days: 10 is not a CloudWatch retention period; use one of 1, 3, 5, "
        "7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, "
        "3288, 3653",
    )
    assert problems(
        MonitoringStack, {"retention_days": 0, "thresholds": {"gpu_idle_percent": 0}}
    ) == listing(
        "MonitoringStack",
        "c",
        "retention_days: 0 is invalid: input should be greater than or equal to 1",
        "thresholds.gpu_idle_percent: 0 is invalid: input should be greater than or equal to 1",
    )


def test_an_input_field_takes_an_output_and_is_checked_when_plain() -> None:
    def program() -> None:
        EksGpuCluster(
            "c",
            {
                **EKS,
                "private_subnet_ids": pulumi.Output.from_input(["a", "b"]),
                "gpu_pools": [{"name": "gpu", "gpu": "T4", "sharing_mode": "none"}],
            },
        )

    plan = run_program(program)
    assert len(plan.of_type("aws:eks/nodeGroup:NodeGroup")) == 2


def test_args_from_another_language_are_checked_the_same_way() -> None:
    # The component package maps camelCase inputs, numbers as doubles and enum names, then
    # builds the component: the same check, in the Python names.
    host = provider.Provider([EksGpuCluster], "mlplatform", None, mlplatform.__version__)
    definition = host.definition("EksGpuCluster")
    wire = {"kubernetesVersion": "1.36", "privateSubnetIds": ["a", "b"], "region": "us-east-1"}
    pool = {"name": "gpu", "gpu": "H100", "minNodes": 3.0, "maxNodes": 1.0, "sharingMode": "mps"}
    mapped = host.map_inputs({**wire, "gpuPools": [pool]}, definition)
    assert mapped["gpu_pools"][0]["gpu"] is GpuName.H100
    assert problems(EksGpuCluster, mapped) == listing(
        "EksGpuCluster",
        "c",
        "gpu_pools[0].min_nodes: 3 is greater than max_nodes (1); lower min_nodes or raise "
        "max_nodes",
        "gpu_pools[0].sharing_replicas: 1 must be at least 2 for mps; set e.g. sharing_replicas: 4",
    )
    # A name outside the enum never reaches the component: the schema refuses it.
    with pytest.raises(InputPropertyError, match="Invalid value H10 of type <class 'str'> for"):
        host.map_inputs({**wire, "gpuPools": [{"name": "gpu", "gpu": "H10"}]}, definition)


def test_the_error_is_a_value_error_and_a_run_error_and_pickles() -> None:
    with pytest.raises(ComponentArgsError) as raised:
        PvcArtifactStore("artifacts", {"namespace": "ml", "size_gi": 0})
    error = raised.value
    assert isinstance(error, ValueError) and isinstance(error, pulumi.RunError)
    assert (error.component, error.resource_name) == ("PvcArtifactStore", "artifacts")
    assert [str(i) for i in error.issues] == [
        "size_gi: 0 is invalid: input should be greater than or equal to 1"
    ]
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.issues) == (str(error), error.issues)


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.__name__)
def test_every_component_checks_its_args_first(component: type) -> None:
    with pytest.raises(ComponentArgsError) as raised:
        component("c", {"no_such_arg": 1})
    assert (
        str(raised.value)
        .splitlines()[1]
        .startswith(f'  - {component.__name__} "c": no_such_arg: is not a known key;')
    )


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next(filter(None, map(_nested_model, getattr(annotation, "__args__", ()))), None)


def test_every_spec_path_is_a_field_of_the_spec_and_every_arg_is_some_components() -> None:
    fields = {f for c in COMPONENTS for a in args_classes(c) for f in a.__annotations__}
    assert sorted(set(SPEC_PATHS) - fields) == []
    for arg, path in SPEC_PATHS.items():
        model: type[BaseModel] | None = PlatformConfig
        for part in path.split("."):
            assert model is not None, f"{arg}: {path}"
            field = next((f for n, f in model.model_fields.items() if part in (n, f.alias)), None)
            assert field is not None, f"{arg}: {path}"
            model = _nested_model(field.annotation)


def type_errors(*programs: Path) -> list[tuple[str, str]]:
    """basedpyright's errors on `programs`: (file name, message), in the order it gives them."""
    result = subprocess.run(
        [BIN / "basedpyright", "--pythonpath", sys.executable, "--outputjson", *programs],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = json.loads(result.stdout)
    return [
        (Path(d["file"]).name, d["message"])
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]


def typecheck(tmp_path: Path, pools: str) -> list[str]:
    """basedpyright's errors on a program that builds an EKS cluster with `pools`."""
    program = tmp_path / "program.py"
    program.write_text(
        "from mlplatform import EksGpuCluster\n\n"
        f"EksGpuCluster('c', {{{repr(EKS)[1:-1]}, 'gpu_pools': {pools}}})\n",
        encoding="utf-8",
    )
    return [message for _, message in type_errors(program)]


def test_the_type_checker_takes_gpu_names_and_modes_as_strings(tmp_path: Path) -> None:
    pools = "[{'name': 'a', 'gpu': 'H100', 'sharing_mode': 'mps'}, {'name': 'b', 'gpu': 'T4'}]"
    assert typecheck(tmp_path, pools) == []


@pytest.mark.parametrize(
    ("pool", "typo"),
    [
        ("{'name': 'b', 'gpu': 'H10'}", "H10"),
        ("{'name': 'c', 'gpu': 'T4', 'sharing_mode': 'mpss'}", "mpss"),
    ],
)
def test_the_type_checker_catches_a_typo_in_a_gpu_name_or_mode(
    tmp_path: Path, pool: str, typo: str
) -> None:
    errors = typecheck(tmp_path, f"[{pool}]")
    assert len(errors) == 1 and f"\"Literal['{typo}']\" is not assignable" in errors[0]
