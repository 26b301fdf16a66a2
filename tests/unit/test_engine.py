"""The offline engine: the JSON contract, real URNs, edges, masking and determinism."""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import sys
from pathlib import Path

import pytest
from google.protobuf import struct_pb2

from mlplatform.engine import Plan, PlannedResource, run_program, run_stack
from mlplatform.engine.capture import make_urn
from mlplatform.engine.plan import JSON_RESOURCE_KEYS
from mlplatform.engine.runner import _file_program
from mlplatform.engine.values import SECRET_SIG, SIG_KEY, UNKNOWN_VALUE, from_struct
from tests.conftest import ROOT, SHIPPED_STACKS


def test_shipped_stacks_are_the_seven_environments() -> None:
    assert SHIPPED_STACKS == [
        "aws-dev",
        "aws-prod",
        "azure-dev",
        "azure-prod",
        "gcp-dev",
        "gcp-prod",
        "local",
    ]


def test_json_contract(shipped_plans: dict[str, Plan]) -> None:
    document = json.loads(json.dumps(shipped_plans["aws-dev"].to_json()))
    assert list(document) == ["project", "stack", "target", "resources", "outputs"]
    assert (document["project"], document["stack"], document["target"]) == (
        "ml-platform",
        "aws-dev",
        "aws",
    )
    for resource in document["resources"]:
        assert tuple(resource) == JSON_RESOURCE_KEYS
    assert set(JSON_RESOURCE_KEYS) >= {
        "urn",
        "type",
        "name",
        "parent",
        "dependencies",
        "custom",
        "protect",
        "inputs",
    }
    assert document["outputs"] == {
        "artifactUri": "s3://ml-aws-dev-artifacts-bucket-a0cd32f",
        "environment": "dev",
        "region": "us-east-1",
        "registryUrl": "123456789012.dkr.ecr.us-east-1.amazonaws.com/"
        "ml-aws-dev-registry-repo-a786aa4",
        "target": "aws",
        "clusterName": "ml-aws-dev-eks-cluster",
        "kubeconfig": "[secret]",
        "teamNamespaces": ["research"],
        "mlflowTrackingUri": "http://ml-aws-dev-mlflow.mlflow.svc.cluster.local",
        "mlflowExternalUri": None,
        "mlflowAdminPassword": "[secret]",
        "mlflowCredentialsSecret": "mlflow/ml-aws-dev-mlflow-credentials",
        "grafanaAdminPassword": "[secret]",
    }


def test_urns_follow_the_engine_rules(shipped_plans: dict[str, Plan]) -> None:
    plan = shipped_plans["aws-dev"]
    urns = [r.urn for r in plan.resources]
    assert "urn:pulumi:aws-dev::ml-platform::pulumi:pulumi:Stack::ml-platform-aws-dev" in urns
    assert "urn:pulumi:aws-dev::ml-platform::mlplatform:index:MlPlatform::ml-aws-dev" in urns
    assert (
        "urn:pulumi:aws-dev::ml-platform::mlplatform:index:MlPlatform$"
        "mlplatform:index:S3ArtifactStore$aws:s3/bucket:Bucket::ml-aws-dev-artifacts-bucket"
    ) in urns
    assert len(set(urns)) == len(urns)


def test_make_urn_nests_full_parent_types() -> None:
    parent = "urn:pulumi:s::p::a:b:C$d:e:F::x"
    assert make_urn("s", "p", parent, "g:h:I", "y") == "urn:pulumi:s::p::a:b:C$d:e:F$g:h:I::y"
    stack = "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s"
    assert make_urn("s", "p", stack, "g:h:I", "y") == "urn:pulumi:s::p::g:h:I::y"


def test_every_edge_points_at_a_planned_resource(shipped_plans: dict[str, Plan]) -> None:
    for plan in shipped_plans.values():
        urns = {r.urn for r in plan.resources}
        for r in plan.resources:
            assert r.parent is None or r.parent in urns
            assert set(r.dependencies) <= urns
            assert r.provider is None or r.provider in urns
            for deps in r.property_dependencies.values():
                assert set(deps) <= set(r.dependencies)


def test_tree_order_puts_parents_first(shipped_plans: dict[str, Plan]) -> None:
    for plan in shipped_plans.values():
        seen: set[str] = set()
        for r in plan.resources:
            assert r.parent is None or r.parent in seen
            seen.add(r.urn)
        assert plan.resources[0].type == "pulumi:pulumi:Stack"


def test_plans_are_deterministic() -> None:
    first = run_stack("gcp-prod", ROOT).to_json()
    second = run_stack("gcp-prod", ROOT).to_json()
    assert json.dumps(first) == json.dumps(second)


STATEFUL = {
    "aws:s3/bucket:Bucket",
    "aws:ecr/repository:Repository",
    "aws:kms/key:Key",
    "aws:eks/cluster:Cluster",
    "aws:rds/instance:Instance",
    "aws:amp/workspace:Workspace",
    "azure-native:monitor:AzureMonitorWorkspace",
    "azure-native:storage:StorageAccount",
    "azure-native:storage:BlobContainer",
    "azure-native:containerregistry:Registry",
    "azure-native:resources:ResourceGroup",
    "azure-native:containerservice:ManagedCluster",
    "azure-native:dbforpostgresql:Server",
    "azure-native:dbforpostgresql:Database",
    "gcp:storage/bucket:Bucket",
    "gcp:sql/databaseInstance:DatabaseInstance",
    "gcp:sql/database:Database",
    "gcp:artifactregistry/repository:Repository",
    "gcp:container/cluster:Cluster",
    "gcp:kms/keyRing:KeyRing",
    "gcp:kms/cryptoKey:CryptoKey",
    "kubernetes:core/v1:PersistentVolumeClaim",
    "kubernetes:apps/v1:StatefulSet",
}


def is_stateful(plan: Plan, resource: PlannedResource) -> bool:
    """Stateful types, plus the kubernetes target's platform namespace (deleting it deletes
    the volumes inside) and the VPC's flow logs (an audit record, kept like data)."""
    platform_namespace = f"ml-{plan.stack}-namespace"
    flow_logs = resource.type == "aws:cloudwatch/logGroup:LogGroup" and str(
        resource.inputs.get("name", "")
    ).startswith("/aws/vpc-flow-logs/")
    return (
        resource.type in STATEFUL
        or flow_logs
        or (plan.target == "kubernetes" and resource.name == platform_namespace)
    )


def test_stateful_resources_are_protected_in_every_shipped_stack(
    shipped_plans: dict[str, Plan],
) -> None:
    for name, plan in shipped_plans.items():
        stateful = {r.name for r in plan.resources if is_stateful(plan, r)}
        assert stateful, name
        assert {r.name for r in plan.resources if r.protect} == stateful, name


def test_secret_unknown_and_number_values_are_normalized() -> None:
    struct = struct_pb2.Struct()
    struct.update(
        {
            "password": {SIG_KEY: SECRET_SIG, "value": "hunter2"},
            "pending": UNKNOWN_VALUE,
            "count": 3.0,
            "ratio": 0.5,
            "nested": [{"token": {SIG_KEY: SECRET_SIG, "value": "x"}}],
        }
    )
    assert from_struct(struct) == {
        "count": 3,
        "nested": [{"token": "[secret]"}],
        "password": "[secret]",
        "pending": "[unknown]",
        "ratio": 0.5,
    }


def test_run_program_plans_any_function() -> None:
    import pulumi

    def program() -> None:
        from mlplatform.gcp.storage import GcsArtifactStore

        store = GcsArtifactStore("lab", {"project": "lab-project", "location": "europe-west1"})
        pulumi.export("uri", store.artifact_uri)
        pulumi.export("token", pulumi.Output.secret("s3cr3t"))

    plan = run_program(program, stack="lab")
    assert [r.type for r in plan.resources] == [
        "pulumi:pulumi:Stack",
        "mlplatform:index:GcsArtifactStore",
        "gcp:storage/bucket:Bucket",
        # Given no provider, the bucket is served by the default one, as the engine makes it.
        "pulumi:providers:gcp",
    ]
    assert plan.outputs == {"token": "[secret]", "uri": "gs://lab-bucket-" + physical_suffix()}
    assert plan.resources[2].protect is True
    assert plan.resources[2].provider == plan.resources[3].urn


def physical_suffix() -> str:
    from mlplatform.engine.mocks import physical_name

    return physical_name("lab-bucket").rsplit("-", 1)[1]


FREE_FORM = {
    "data",
    "stringData",
    "labels",
    "annotations",
    "tags",
    "values",
    "userLabels",
    "matchLabels",
    "nodeSelector",
    "dimensions",
    "parameters",
}
"""Inputs whose keys are the user's (labels, Helm values, tags), not the provider schema's."""


def snake_case_keys(value: object, path: str = "") -> list[str]:
    """Schema keys still in Python casing: a dict passed where the SDK cannot translate it
    (a union-typed input) reaches the provider with keys it does not know."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if "_" in key and not key.isupper():
                found.append(f"{path}.{key}")
            if key not in FREE_FORM:
                found += snake_case_keys(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            found += snake_case_keys(item, path)
    return found


def test_no_input_reaches_a_provider_in_python_casing(shipped_plans: dict[str, Plan]) -> None:
    assert snake_case_keys({"criteria": {"all_of": []}}) == [".criteria.all_of"]
    for stack, plan in shipped_plans.items():
        for resource in plan.resources:
            assert snake_case_keys(resource.inputs) == [], (stack, resource.urn)


def test_aliases_ignore_and_replace_options_are_captured() -> None:
    import pulumi
    import pulumi_random as random

    from mlplatform.engine.runner import run_program

    def program() -> None:
        parent = pulumi.ComponentResource("test:index:Group", "group")
        random.RandomString(
            "renamed",
            length=8,
            opts=pulumi.ResourceOptions(
                parent=parent,
                aliases=[pulumi.Alias(name="old-name")],
                ignore_changes=["length"],
                replace_on_changes=["special"],
            ),
        )

    plan = run_program(program, project="p", stack="s")
    [resource] = plan.of_type("random:index/randomString:RandomString")
    assert resource.aliases == [
        "urn:pulumi:s::p::test:index:Group$random:index/randomString:RandomString::old-name"
    ]
    assert (resource.ignore_changes, resource.replace_on_changes) == (["length"], ["special"])
    assert resource.to_json()["aliases"] == resource.aliases


def test_a_child_inherits_its_parents_aliases_as_the_engine_derives_them() -> None:
    """pkg/resource/deploy/step_generator.go `generateAliases`: a child of an aliased parent
    is also known by the URN under the parent's alias, its name's parent-name prefix swapped
    for the alias's (`new-inner` under `new`, aliased `old`: `old-inner`), and by its own
    aliases under the parent's alias; grandchildren inherit in turn."""
    import pulumi
    import pulumi_random as random

    from mlplatform.engine.runner import run_program

    def program() -> None:
        group = pulumi.ComponentResource(
            "test:index:Group",
            "new",
            opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name="old")]),
        )
        inner = pulumi.ComponentResource(
            "test:index:Inner", "new-inner", opts=pulumi.ResourceOptions(parent=group)
        )
        random.RandomString(
            "new-inner-thing",
            length=8,
            opts=pulumi.ResourceOptions(
                parent=inner, aliases=[pulumi.Alias(name="new-inner-before")]
            ),
        )

    plan = run_program(program, project="p", stack="s")
    [inner] = plan.of_type("test:index:Inner")
    assert inner.aliases == ["urn:pulumi:s::p::test:index:Group$test:index:Inner::old-inner"]
    [thing] = plan.of_type("random:index/randomString:RandomString")
    qualified = "test:index:Group$test:index:Inner$random:index/randomString:RandomString"
    assert thing.aliases == [
        f"urn:pulumi:s::p::{qualified}::new-inner-before",
        f"urn:pulumi:s::p::{qualified}::old-inner-before",
        f"urn:pulumi:s::p::{qualified}::old-inner-thing",
    ]


def test_registrations_skip_the_sdks_stack_walk_only_while_a_program_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pulumi.runtime import resource

    import mlplatform.engine.runner as runner
    from mlplatform.engine.source_positions import SDK_FUNCTION

    sdk_walk = getattr(resource, SDK_FUNCTION)  # a newer SDK without it fails here: look again
    during: list[object] = []

    def program() -> None:
        during.append(getattr(resource, SDK_FUNCTION))
        _some_resources()

    skipped = run_program(program)
    assert during[0] is not sdk_walk
    assert getattr(resource, SDK_FUNCTION) is sdk_walk  # back once the run ends
    # The capture is the same as with the SDK's own walk.
    monkeypatch.setattr(runner, "without_source_positions", contextlib.nullcontext)
    walked = run_program(_some_resources)
    assert len(walked.resources) == 8  # with the default kubernetes and random providers
    assert [r.to_json() for r in walked.resources] == [r.to_json() for r in skipped.resources]


def _some_resources() -> None:
    import pulumi_random as random

    from mlplatform.kubernetes.teams import TeamNamespace

    random.RandomPassword("password", length=16)
    TeamNamespace("team", {"namespace": "research", "max_gpus": 2})


class _UnchangeablePath(list[str]):
    """A `sys.path` that fails the test when changed in place."""

    def _changed(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("sys.path was changed in place")

    insert = append = remove = extend = pop = clear = _changed  # type: ignore[assignment]
    __setitem__ = __delitem__ = __iadd__ = _changed  # type: ignore[assignment]


def test_a_file_program_rebinds_sys_path_so_imports_on_other_threads_see_a_whole_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = tmp_path / "program"
    program.mkdir()
    (program / "__main__.py").write_text(
        "import json, pathlib, sys\n"
        f"pathlib.Path({str(tmp_path / 'seen.json')!r}).write_text(json.dumps(sys.path))\n"
        "sys.path.append('added-by-program')\n"
    )
    original = _UnchangeablePath([str(program), "site-packages"])
    monkeypatch.setattr(sys, "path", original)
    _file_program(program)()
    assert json.loads((tmp_path / "seen.json").read_text()) == [
        str(program),
        str(program),
        "site-packages",
    ]
    assert original == [str(program), "site-packages"]
    assert sys.path == [str(program), "site-packages", "added-by-program"]


def test_short_lived_runs_collect_young_objects_per_million_allocations_and_freeze() -> None:
    import gc

    from mlplatform.engine.process import short_lived

    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    try:
        with short_lived():
            assert gc.get_threshold() == (1_000_000, 20, 20)
            assert gc.get_freeze_count() == frozen
        assert gc.get_freeze_count() > frozen  # the interpreter's final collection skips them
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def test_default_provider_names_follow_the_engine() -> None:
    """pkg/resource/deploy/providers/provider.go DefaultName: dashes are not QName-legal."""
    from mlplatform.engine.capture import default_provider_name

    assert default_provider_name("") == "default"
    assert default_provider_name("4.21.4") == "default_4_21_4"
    assert default_provider_name("1.2.3-alpha.1+build.5") == "default_1_2_3_alpha_1_build_5"
    assert default_provider_name("7.0.0", "https://get.example.com/x") == (
        "default_7_0_0_https___get.example.com_x"
    )


def test_a_default_provider_is_recorded_once_with_its_config_and_version() -> None:
    import pulumi_gcp as gcp

    def program() -> None:
        gcp.storage.Bucket("a", location="EU")
        gcp.storage.Bucket("b", location="EU")

    plan = run_program(program, config={"gcp:project": "lab", "mlplatform:target": "gcp"})
    version = importlib.metadata.version("pulumi_gcp")
    (provider,) = plan.of_type("pulumi:providers:gcp")
    assert provider.urn == (
        f"urn:pulumi:test::test::pulumi:providers:gcp::default_{version.replace('.', '_')}"
    )
    assert (provider.parent, provider.inputs) == (None, {"project": "lab", "version": version})
    assert {r.provider for r in plan.of_type("gcp:storage/bucket:Bucket")} == {provider.urn}


def test_a_urn_registered_twice_is_refused_as_the_engine_refuses_it() -> None:
    """The Pulumi engine stops a program that registers one URN twice ("Duplicate resource URN
    '%v'; try giving it a unique name", pkg/diag/errors.go GetDuplicateResourceURNError); the
    SDK's mocks do not, so the offline engine checks it (a GPU pool named like the system pool
    once planned two node groups of one URN)."""
    import pulumi_random as random

    from mlplatform.engine import PlanError, run_program

    def program() -> None:
        random.RandomString("same", length=4)
        random.RandomString("same", length=5)

    with pytest.raises(PlanError) as caught:
        run_program(program)
    assert str(caught.value) == (
        "Duplicate resource URN "
        "'urn:pulumi:test::test::random:index/randomString:RandomString::same'; try giving it "
        "a unique name"
    )
    # The refused program leaves nothing behind: the next plan is whole.
    again = run_program(lambda: random.RandomString("same", length=4))
    assert sorted(r.name for r in again.resources) == ["default_4_21_4", "same", "test-test"]
