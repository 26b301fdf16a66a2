"""Every KServe object of every shipped stack, and of the kubernetes target with serving on,
checked against its CRD's schema.

The CRDs are KServe's own (`config/crd/full` of `github.com/kserve/kserve` at the version
`tools/kserve-crds/go.mod` pins, the charts' version), read from the Go module cache where the
engine build reads them; nothing of them is committed. A plan's KServe object is its captured
inputs (apiVersion, kind, metadata, spec, API casing). Unknown fields are errors; list
uniqueness (`x-kubernetes-list-type: map`) is not checked here but by the loopback API server in
the engine tier (tests/engine/test_kserve_objects.py), which creates these objects for real.
KServe v0.20.0's CRDs have no CEL rules.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import engine
import jsonschema
import pytest

from mlplatform.catalog.charts import KSERVE, KSERVE_CRD
from mlplatform.engine import Plan
from tests.conftest import SHIPPED_STACKS
from tests.contract import crd_schemas
from tests.contract.kserve_objects import kserve_objects, kubernetes_serving_plan

Schemas = dict[crd_schemas.Key, jsonschema.Draft4Validator]

RUNTIME = ("serving.kserve.io/v1alpha1", "ServingRuntime")
INFERENCE = ("serving.kserve.io/v1beta1", "InferenceService")
STORAGE = ("serving.kserve.io/v1alpha1", "ClusterStorageContainer")
CLUSTER_RUNTIME = ("serving.kserve.io/v1alpha1", "ClusterServingRuntime")
SERVED = {"aws-prod", "azure-prod", "gcp-prod"}
"""The shipped stacks with serving on (the dev stacks and `local` have none)."""


@pytest.fixture(scope="module")
def crd_files() -> list[Path]:
    """The pinned KServe CRDs; missing ones fail the test with the command that fetches them."""
    try:
        return engine.kserve_crd_files()
    except SystemExit as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="module")
def kserve(crd_files: list[Path]) -> Schemas:
    return crd_schemas.schemas(crd_files)


@pytest.fixture(scope="module")
def serving_plan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    """The `local` stack with serving on (tests/contract/kserve_objects.py `SERVING`)."""
    return kubernetes_serving_plan(tmp_path_factory.mktemp("local-serving"))


def churn(plans: dict[str, Plan], kind: str) -> dict[str, Any]:
    """aws-prod's object of `kind` for its CPU model `churn`, a copy to break."""
    (found,) = [
        o
        for o in kserve_objects(plans["aws-prod"])
        if o["kind"] == kind and o["metadata"]["name"] == "churn"
    ]
    return copy.deepcopy(found)


def test_the_crds_are_kserves_of_the_pinned_charts(crd_files: list[Path], kserve: Schemas) -> None:
    assert KSERVE_CRD.version == KSERVE.version == "v0.20.0"
    modules = {next(p for p in f.parents if p.name.startswith("kserve@")) for f in crd_files}
    assert [m.name for m in modules] == [f"kserve@{KSERVE.version}"]
    (module,) = modules
    assert [str(f.relative_to(module)) for f in crd_files] == [
        "config/crd/full/serving.kserve.io_inferenceservices.yaml",
        "config/crd/full/serving.kserve.io_servingruntimes.yaml",
        "config/crd/full/serving.kserve.io_clusterservingruntimes.yaml",
        "config/crd/full/clusterstoragecontainer/serving.kserve.io_clusterstoragecontainers.yaml",
    ]
    assert sorted(kserve) == sorted([INFERENCE, RUNTIME, CLUSTER_RUNTIME, STORAGE])


@pytest.mark.parametrize("stack", SHIPPED_STACKS)
def test_every_kserve_object_of_a_shipped_stack_passes_its_crd_schema(
    shipped_plans: dict[str, Plan], kserve: Schemas, stack: str
) -> None:
    objects = kserve_objects(shipped_plans[stack])
    expected = sorted([RUNTIME, INFERENCE]) if stack in SERVED else []
    assert sorted({(o["apiVersion"], o["kind"]) for o in objects}) == expected
    assert [e for o in objects for e in crd_schemas.errors(o, kserve)] == []


def test_every_kserve_object_of_the_kubernetes_target_passes_its_crd_schema(
    serving_plan: Plan, kserve: Schemas
) -> None:
    objects = kserve_objects(serving_plan)
    assert sorted((o["kind"], o["metadata"]["name"]) for o in objects) == [
        ("ClusterStorageContainer", "mlflow-artifacts"),
        ("InferenceService", "churn"),
        ("InferenceService", "reranker"),
        ("ServingRuntime", "churn"),
        ("ServingRuntime", "reranker"),
    ]
    assert sorted({(o["apiVersion"], o["kind"]) for o in objects}) == sorted(
        [STORAGE, RUNTIME, INFERENCE]
    )
    assert [e for o in objects for e in crd_schemas.errors(o, kserve)] == []


def test_the_runtime_named_on_the_predictor_not_its_model_is_refused(
    shipped_plans: dict[str, Plan], kserve: Schemas
) -> None:
    service = churn(shipped_plans, "InferenceService")
    predictor = service["spec"]["predictor"]
    predictor["runtime"] = predictor["model"].pop("runtime")
    assert crd_schemas.errors(service, kserve) == [
        "InferenceService churn: spec.predictor: Additional properties are not allowed "
        "('runtime' was unexpected)"
    ]


def test_a_scale_metric_kserve_does_not_know_is_refused(
    shipped_plans: dict[str, Plan], kserve: Schemas
) -> None:
    service = churn(shipped_plans, "InferenceService")
    service["spec"]["predictor"]["scaleMetric"] = "gpu"
    assert crd_schemas.errors(service, kserve) == [
        "InferenceService churn: spec.predictor.scaleMetric: 'gpu' is not one of "
        "['cpu', 'memory', 'concurrency', 'rps']"
    ]


def test_a_model_format_without_a_name_is_refused(
    shipped_plans: dict[str, Plan], kserve: Schemas
) -> None:
    runtime = churn(shipped_plans, "ServingRuntime")
    del runtime["spec"]["supportedModelFormats"][0]["name"]
    assert crd_schemas.errors(runtime, kserve) == [
        "ServingRuntime churn: spec.supportedModelFormats.0: 'name' is a required property"
    ]


def test_a_storage_containers_uri_format_must_be_an_object(
    serving_plan: Plan, kserve: Schemas
) -> None:
    (storage,) = [o for o in kserve_objects(serving_plan) if o["kind"] == STORAGE[1]]
    storage = copy.deepcopy(storage)
    storage["spec"]["supportedUriFormats"] = ["mlflow-artifacts:"]
    assert crd_schemas.errors(storage, kserve) == [
        "ClusterStorageContainer mlflow-artifacts: spec.supportedUriFormats.0: "
        "'mlflow-artifacts:' is not of type 'object'"
    ]


def test_missing_crds_name_the_command_that_downloads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOMODCACHE", str(tmp_path / "mod"))
    with pytest.raises(SystemExit) as missing:
        engine.kserve_crd_files()
    first = str(missing.value).splitlines()[0]
    assert first == (
        "error: the KServe CRDs (github.com/kserve/kserve, pinned in tools/kserve-crds) are not "
        "in the Go module cache; download them with: scripts/dev engine (or only them: cd "
        "tools/kserve-crds && go mod download github.com/kserve/kserve)"
    )
    assert not (tmp_path / "mod" / "github.com").exists()  # nothing was downloaded


def test_list_uniqueness_is_left_to_the_engine_tier(
    shipped_plans: dict[str, Plan], kserve: Schemas
) -> None:
    """What this check cannot see: the container's `env` is a list map keyed by name
    (`x-kubernetes-list-type: map`), so a variable set twice is refused by the loopback API
    server (tests/engine/test_kserve_objects.py), not by jsonschema."""
    runtime = churn(shipped_plans, "ServingRuntime")
    runtime["spec"]["containers"][0]["env"].append({"name": "MLSERVER_HTTP_PORT", "value": "9090"})
    assert crd_schemas.errors(runtime, kserve) == []
