"""The component package other languages use: the host starts offline and serves the
checked-in schema over its gRPC protocol, the schema and reference pages are current, and a
component constructed the way the provider constructs it (camelCase inputs, numbers as
floats) builds exactly what the Python program builds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import grpc
import pytest
import yaml
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

import mlplatform
from mlplatform import provider, reference
from mlplatform.catalog import GPU_NAMES
from mlplatform.engine import Plan, run_program, run_stack
from mlplatform.environment import ConfigError
from mlplatform.environment.loader import stack_file_config
from tests.conftest import ROOT

PLUGIN = ROOT / "provider"


def test_the_package_serves_every_exported_component() -> None:
    served = {c.__name__ for c in provider.components()}
    assert len(served) == 36
    assert {"MlPlatform", "EksGpuCluster", "MlflowServer", "EksClusterAutoscaler"} <= served
    exported = [n for n in mlplatform.__all__ if n.endswith("Args") and n[:-4] in served]
    assert len(exported) == 36


def test_checked_in_schema_is_current() -> None:
    assert (PLUGIN / "schema.json").read_text(encoding="utf-8") == provider.schema_text(), (
        "run scripts/dev docs"
    )


def test_reference_pages_are_current() -> None:
    pages = reference.render(json.loads((PLUGIN / "schema.json").read_text(encoding="utf-8")))
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "docs/reference").glob("*")}
    assert on_disk == pages, "run scripts/dev docs"
    assert len(pages) == 38  # 36 components, the nested types and the index


def test_schema_describes_every_input_and_output() -> None:
    schema = provider.schema()
    assert schema["name"] == "mlplatform"
    assert schema["version"] == mlplatform.__version__
    assert sorted(schema["types"]) == [
        "mlplatform:index:AlertThresholds",
        "mlplatform:index:ChartSourceArgs",
        "mlplatform:index:GpuName",
        "mlplatform:index:GpuPoolArgs",
        "mlplatform:index:ManagedPrometheus",
        "mlplatform:index:MlflowIngressArgs",
        "mlplatform:index:MlflowProxyArgs",
        "mlplatform:index:ModelIngressArgs",
        "mlplatform:index:QueueFlavorArgs",
        "mlplatform:index:QueuePreemptionArgs",
        "mlplatform:index:SharingMode",
        "mlplatform:index:TeamQueueArgs",
    ]
    undocumented = [
        f"{token}.{name}"
        for token, resource in schema["resources"].items()
        for section in ("inputProperties", "properties")
        for name, prop in resource.get(section, {}).items()
        if not prop.get("description")
    ] + [
        f"{token}.{name}"
        for token, spec in schema["types"].items()
        for name, prop in spec.get("properties", {}).items()
        if not prop.get("description")
    ]
    assert undocumented == []
    eks = schema["resources"]["mlplatform:index:EksGpuCluster"]
    assert eks["requiredInputs"] == ["kubernetesVersion", "privateSubnetIds", "region"]
    assert eks["inputProperties"]["gpuPools"]["items"]["$ref"] == (
        "#/types/mlplatform:index:GpuPoolArgs"
    )
    # The closed sets of a pool are enums to other languages, the catalog's names and modes.
    pool = schema["types"]["mlplatform:index:GpuPoolArgs"]["properties"]
    assert pool["gpu"]["$ref"] == "#/types/mlplatform:index:GpuName"
    assert pool["sharingMode"]["$ref"] == "#/types/mlplatform:index:SharingMode"
    gpus = schema["types"]["mlplatform:index:GpuName"]
    assert (gpus["type"], [v["value"] for v in gpus["enum"]]) == ("string", list(GPU_NAMES))
    assert gpus["enum"][3] == {"name": "A100_40GB", "value": "A100-40GB"}
    modes = schema["types"]["mlplatform:index:SharingMode"]["enum"]
    assert [v["value"] for v in modes] == ["none", "time-slicing", "mps", "mig"]
    # Python-only helpers are not part of the package: the Kubernetes provider object.
    assert "provider" not in eks["properties"]
    assert schema["resources"]["mlplatform:index:MlPlatform"]["inputProperties"]["config"] == {
        "description": _doc("MlPlatform", "config"),
        "type": "object",
        # A bare type (a map's values) has no description in the Pulumi schema model.
        "additionalProperties": {"$ref": "pulumi.json#/Any", "plain": True},
        "plain": True,
    }


def _doc(component: str, field: str) -> str:
    schema = json.loads((PLUGIN / "schema.json").read_text(encoding="utf-8"))
    return schema["resources"][f"mlplatform:index:{component}"]["inputProperties"][field][
        "description"
    ]


def test_plugin_manifest() -> None:
    manifest = yaml.safe_load((PLUGIN / "PulumiPlugin.yaml").read_text(encoding="utf-8"))
    assert manifest == {
        "runtime": {"name": "python", "options": {"toolchain": "pip", "virtualenv": "venv"}},
        "requiredPulumiVersion": ">=3.221.0",
    }
    requirements = (PLUGIN / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in requirements if not line.startswith("#")] == ["..[all]"]


def test_host_starts_offline_and_serves_its_schema_over_grpc() -> None:
    # The engine starts a plugin as `python <plugin dir> <engine address>` and reads the port
    # it prints. GetSchema and GetPluginInfo never call the engine, so none runs here.
    process = subprocess.Popen(
        [sys.executable, str(PLUGIN), "127.0.0.1:1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = provider_pb2_grpc.ResourceProviderStub(channel)
            served = stub.GetSchema(provider_pb2.GetSchemaRequest(version=0), timeout=60)
            info = stub.GetPluginInfo(_empty(), timeout=60)
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert json.loads(served.schema) == json.loads(
        (PLUGIN / "schema.json").read_text(encoding="utf-8")
    )
    assert info.version == mlplatform.__version__


def _empty() -> Any:
    from google.protobuf import empty_pb2

    return empty_pb2.Empty()


def _as_wire(value: Any) -> Any:
    """Values as the provider protocol carries them: every number a double."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, list):
        return [_as_wire(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_wire(v) for k, v in value.items()}
    return value


def _construct(component: type, name: str, inputs: dict[str, Any]) -> None:
    """What the component provider does on a Construct call, in this process."""
    host = provider.Provider([component], "mlplatform", None, mlplatform.__version__)
    host.construct(name, f"mlplatform:index:{component.__name__}", _as_wire(inputs), None)


def _spec_document(stack: str) -> dict[str, Any]:
    flat = stack_file_config(ROOT / "stacks" / f"Pulumi.{stack}.yaml")
    return {
        key.removeprefix("mlplatform:"): json.loads(value) if value[:1] in "[{" else value
        for key, value in flat.items()
        if key.startswith("mlplatform:")
    }


def _shape(plan: Plan) -> list[tuple[str, str, str | None, str]]:
    return sorted(
        (r.urn, r.type, r.parent, json.dumps(r.inputs, sort_keys=True)) for r in plan.resources
    )


@pytest.mark.parametrize("stack", ["aws-dev", "local"])
def test_platform_through_the_package_equals_the_python_program(
    stack: str, shipped_plans: dict[str, Plan]
) -> None:
    document = _spec_document(stack)
    plan = run_program(
        lambda: _construct(mlplatform.MlPlatform, f"ml-{stack}", {"config": document}),
        project="ml-platform",
        stack=stack,
    )
    assert _shape(plan) == _shape(shipped_plans[stack])


def test_platform_config_errors_name_the_path_before_any_resource() -> None:
    captured: list[str] = []

    def program() -> None:
        try:
            _construct(
                mlplatform.MlPlatform,
                "ml",
                {"config": {"target": "aws", "region": "us-east-1", "gpuPools": [{"gpu": "T5"}]}},
            )
        except Exception as exc:  # the provider wraps the component's error
            captured.append(str(exc.__cause__ or exc))

    plan = run_program(program)
    assert [r.type for r in plan.resources] == ["pulumi:pulumi:Stack"]
    [message] = captured
    assert "MlPlatform 'ml' config" in message
    assert "gpuPools[0].gpu" in message
    assert "gpuPools[0].name" in message


def test_platform_refuses_a_config_that_is_not_an_object() -> None:
    with pytest.raises(ConfigError):
        mlplatform.environment.parse({"target": "nowhere"})
    errors: list[BaseException] = []

    def program() -> None:
        try:
            mlplatform.MlPlatform("ml", {"config": "target: aws"})  # type: ignore[typeddict-item]
        except TypeError as exc:
            errors.append(exc)

    run_program(program)
    assert [str(e) for e in errors] == [
        "MlPlatform 'ml': config must be a plain object of spec keys (as under `mlplatform:` "
        "in a stack file), not str; keep secrets out of it"
    ]


def test_reference_type_words() -> None:
    assert reference.type_of({"type": "string", "plain": True}) == "string"
    assert reference.type_of({"type": "string"}) == "Input<string>"
    assert (
        reference.type_of(
            {"type": "array", "items": {"type": "string", "plain": True}, "plain": True}
        )
        == "list of string"
    )
    assert (
        reference.type_of(
            {"type": "object", "additionalProperties": {"type": "integer"}, "plain": True}
        )
        == "map of Input<integer>"
    )
    assert (
        reference.type_of({"$ref": "#/types/mlplatform:index:GpuPoolArgs", "plain": True})
        == "[GpuPoolArgs](types.md#gpupoolargs)"
    )


def test_reference_page_states_defaults_and_requirements() -> None:
    page = (ROOT / "docs/reference/EcrRegistry.md").read_text(encoding="utf-8")
    assert (
        "| `untaggedExpiryDays` | integer | 14 | Days before an untagged image is deleted. |"
        in (page)
    )
    assert "| `protect` | boolean | protected |" in page
    s3 = (ROOT / "docs/reference/S3ArtifactStore.md").read_text(encoding="utf-8")
    assert "softDeleteDays" not in s3  # S3 has no soft delete: the field is not offered
    assert Path(ROOT / "docs/reference/README.md").read_text(encoding="utf-8").count(".md)") == 37


def test_aws_grants_cross_the_boundary_as_policy_documents() -> None:
    # Other languages have no grant methods: they attach the published policy documents.
    def program() -> None:
        import pulumi

        identity = mlplatform.AwsWorkloadIdentity(
            "job",
            {
                "oidc_provider_arn": "arn:aws:iam::1:oidc-provider/x",
                "oidc_issuer_url": "https://x",
                "namespace": "team",
                "service_account": "job",
            },
        )
        store = mlplatform.S3ArtifactStore("artifacts", {"kms_key_id": "arn:aws:kms:k"})
        registry = mlplatform.EcrRegistry("images", {"kms_key_id": "arn:aws:kms:k"})
        store.grant_read_write(identity)
        registry.grant_pull(identity)
        pulumi.export("readWrite", store.read_write_policy)
        pulumi.export("pull", registry.pull_policy)

    plan = run_program(program)
    attached = {r.name: r.inputs["policy"] for r in plan.of_type("aws:iam/rolePolicy:RolePolicy")}
    assert attached == {
        "job-artifacts-rw": plan.outputs["readWrite"],
        "job-registry-pull": plan.outputs["pull"],
    }
    statements = json.loads(plan.outputs["readWrite"])["Statement"]
    assert statements[2] == {
        "Effect": "Allow",
        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
        "Resource": "arn:aws:kms:k",
    }


def _schema_form(value: Any, prop: Any, types: dict[str, Any]) -> Any:
    """A Python args value as another language sends it: schema (camelCase) names inside
    nested types, every number a double; outputs as they are."""
    from pulumi import Output

    if isinstance(value, Output) or value is None:
        return value
    if prop.ref and prop.ref.startswith("#/types/") and isinstance(value, dict):
        nested = types[prop.ref.rsplit(":", 1)[-1]]
        names = {py: schema for schema, py in nested.properties_mapping.items()}
        return {
            names[k]: _schema_form(v, nested.properties[names[k]], types) for k, v in value.items()
        }
    if prop.items is not None and isinstance(value, list | tuple):
        return [_schema_form(v, prop.items, types) for v in value]
    if prop.additional_properties is not None and isinstance(value, dict):
        return {k: _schema_form(v, prop.additional_properties, types) for k, v in value.items()}
    return _as_wire(value)


@pytest.mark.parametrize("stack", ["aws-prod", "azure-prod", "gcp-prod", "local"])
def test_every_component_through_the_provider_builds_the_same_plan(
    stack: str, shipped_plans: dict[str, Plan], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each component the platform creates gets its args the way the component provider
    # delivers them from another language, then builds: the plan must not change. The
    # shipped plan is read first: planned lazily, it must be planned before the patching.
    expected = _shape(shipped_plans[stack])
    for component in provider.components():
        if component is mlplatform.MlPlatform:
            continue  # its config document crosses as is (tested above)
        host = provider.Provider([component], "mlplatform", None, mlplatform.__version__)
        definition, types = host.definition(component.__name__), host.types
        names = {py: schema for schema, py in definition.inputs_mapping.items()}
        original = component.__init__

        def rebuilt(
            self: Any,
            name: str,
            args: dict[str, Any],
            opts: Any = None,
            _original: Any = original,
            _names: dict[str, str] = names,
            _definition: Any = definition,
            _types: dict[str, Any] = types,
            _host: Any = host,
        ) -> None:
            wire = {
                _names[k]: _schema_form(v, _definition.inputs[_names[k]], _types)
                for k, v in args.items()
            }
            _original(self, name, _host.map_inputs(wire, _definition), opts)

        monkeypatch.setattr(component, "__init__", rebuilt)
    assert _shape(run_stack(stack, ROOT)) == expected


def test_integer_inputs_reach_the_component_as_integers() -> None:
    component = mlplatform.EksGpuCluster
    host = provider.Provider([component], "mlplatform", None, mlplatform.__version__)
    definition = host.definition("EksGpuCluster")
    mapped = host.map_inputs(
        {
            "kubernetesVersion": "1.36",
            "privateSubnetIds": ["a", "b"],
            "region": "us-east-1",
            "systemMinNodes": 3.0,
            "gpuPools": [{"name": "l4", "gpu": "L4", "maxNodes": 4.0}],
        },
        definition,
    )
    assert mapped["system_min_nodes"] == 3 and type(mapped["system_min_nodes"]) is int
    assert type(mapped["gpu_pools"][0]["max_nodes"]) is int
    from pulumi.errors import InputPropertyError

    with pytest.raises(InputPropertyError, match=r"gpuPools\[0\]\.maxNodes must be a whole"):
        host.map_inputs(
            {
                "kubernetesVersion": "1.36",
                "privateSubnetIds": ["a"],
                "region": "r",
                "gpuPools": [{"name": "l4", "gpu": "L4", "maxNodes": 1.5}],
            },
            definition,
        )


def test_secret_webhooks_reach_the_cloud_alarms(shipped_plans: dict[str, Plan]) -> None:
    from pulumi import Output

    document = _spec_document("aws-dev")
    hook = Output.secret("https://hooks.example.com/services/T0/B0/token")
    plan = run_program(
        lambda: _construct(
            mlplatform.MlPlatform,
            "ml-aws-dev",
            {"config": document, "notificationWebhooks": [hook]},
        ),
        project="ml-platform",
        stack="aws-dev",
    )
    kind = "aws:sns/topicSubscription:TopicSubscription"
    before = shipped_plans["aws-dev"].of_type(kind)
    after = plan.of_type(kind)
    added = [r for r in after if r.urn not in {b.urn for b in before}]
    # aws-dev's spec has no webhooks of its own: this one is the first.
    assert [(r.name, r.inputs["protocol"], r.inputs["endpoint"]) for r in added] == [
        ("ml-aws-dev-alarms-webhook-0", "https", "[secret]")
    ]
    assert "hooks.example.com" not in json.dumps([r.inputs for r in plan.resources])
