"""Every Kueue object of every shipped stack, checked against its CRD's v1beta2 schema.

The CRDs are Kueue's own (`config/components/crd/bases` of `sigs.k8s.io/kueue` at the version
`tools/kueue-crds/go.mod` pins, the chart's version), read from the Go module cache where the
engine build reads them; nothing of them is committed. A plan's Kueue object is its captured
inputs (apiVersion, kind, metadata, spec, API casing). Unknown fields are errors; the CEL
rules are not evaluated here but by the loopback API server in the engine tier
(tests/engine/test_local_stack.py), which creates these objects for real.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import engine
import jsonschema
import pytest

from mlplatform.catalog.charts import KUEUE
from mlplatform.engine import Plan
from tests.conftest import SHIPPED_STACKS
from tests.contract import crd_schemas
from tests.helpers import unmask

KUEUE_TYPES = "kubernetes:kueue.x-k8s.io/"
API_VERSION = "kueue.x-k8s.io/v1beta2"
KINDS = ["ClusterQueue", "Cohort", "LocalQueue", "ResourceFlavor"]
"""What the platform creates (`mlplatform.kubernetes.queues`)."""

Schemas = dict[crd_schemas.Key, jsonschema.Draft4Validator]


@pytest.fixture(scope="module")
def crd_files() -> list[Path]:
    """The pinned Kueue CRDs; missing ones fail the test with the command that fetches them."""
    try:
        return engine.kueue_crd_files()
    except SystemExit as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="module")
def kueue(crd_files: list[Path]) -> Schemas:
    return crd_schemas.schemas(crd_files)


def kueue_objects(plan: Plan) -> list[dict[str, Any]]:
    """The captured inputs of every Kueue custom resource of `plan`."""
    return [unmask(r.inputs) for r in plan.resources if r.type.startswith(KUEUE_TYPES)]


def research_queue(plans: dict[str, Plan]) -> dict[str, Any]:
    """The `local` stack's ClusterQueue of the research team, a copy to break."""
    (queue,) = [o for o in kueue_objects(plans["local"]) if o["kind"] == "ClusterQueue"]
    return copy.deepcopy(queue)


def test_the_crds_are_kueues_of_the_pinned_chart(crd_files: list[Path], kueue: Schemas) -> None:
    assert {f.parents[4].name for f in crd_files} == {f"kueue@v{KUEUE.version}"}
    served = {kind for version, kind in kueue if version == API_VERSION}
    assert set(KINDS) | {"Workload"} <= served


@pytest.mark.parametrize("stack", SHIPPED_STACKS)
def test_every_kueue_object_of_a_shipped_stack_passes_its_crd_schema(
    shipped_plans: dict[str, Plan], kueue: Schemas, stack: str
) -> None:
    objects = kueue_objects(shipped_plans[stack])
    assert sorted({(o["apiVersion"], o["kind"]) for o in objects}) == [
        (API_VERSION, kind) for kind in KINDS
    ]
    assert [e for o in objects for e in crd_schemas.errors(o, kueue)] == []


def test_the_v1beta1_cohort_field_is_refused(
    shipped_plans: dict[str, Plan], kueue: Schemas
) -> None:
    queue = research_queue(shipped_plans)
    queue["spec"]["cohort"] = queue["spec"].pop("cohortName")
    assert crd_schemas.errors(queue, kueue) == [
        "ClusterQueue research: spec: Additional properties are not allowed "
        "('cohort' was unexpected)"
    ]


QUANTITY = (
    r"^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))"
    r"(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$"
)
"""The CRD's pattern of a quantity string, as jsonschema quotes it."""


@pytest.mark.parametrize(
    ("quota", "message"),
    [
        ({"gpu": 1}, "{'gpu': 1} is not valid under any of the given schemas"),
        (1.5, "1.5 is not valid under any of the given schemas"),
        ("1 GPU", f"'1 GPU' does not match '{QUANTITY}'"),
    ],
)
def test_a_quota_that_is_no_quantity_is_refused(
    shipped_plans: dict[str, Plan], kueue: Schemas, quota: Any, message: str
) -> None:
    queue = research_queue(shipped_plans)
    queue["spec"]["resourceGroups"][0]["flavors"][0]["resources"][0]["nominalQuota"] = quota
    assert crd_schemas.errors(queue, kueue) == [
        f"ClusterQueue research: spec.resourceGroups.0.flavors.0.resources.0.nominalQuota: "
        f"{message}"
    ]


def test_a_kind_no_crd_serves_is_refused(shipped_plans: dict[str, Plan], kueue: Schemas) -> None:
    queue = research_queue(shipped_plans)
    queue["apiVersion"] = "kueue.x-k8s.io/v1alpha1"
    assert crd_schemas.errors(queue, kueue) == [
        "ClusterQueue research: no CRD serves kueue.x-k8s.io/v1alpha1 ClusterQueue"
    ]


def test_a_plans_integral_float_is_an_integer_and_a_fraction_is_not(kueue: Schemas) -> None:
    def flavor(seconds: float) -> dict[str, Any]:
        toleration = {"key": "k", "operator": "Exists", "tolerationSeconds": seconds}
        return {
            "apiVersion": API_VERSION,
            "kind": "ResourceFlavor",
            "metadata": {"name": "f"},
            "spec": {"tolerations": [toleration]},
        }

    assert crd_schemas.errors(flavor(300.0), kueue) == []
    assert crd_schemas.errors(flavor(0.5), kueue) == [
        "ResourceFlavor f: spec.tolerations.0.tolerationSeconds: 0.5 is not of type 'integer'"
    ]


def test_missing_crds_name_the_command_that_downloads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOMODCACHE", str(tmp_path / "mod"))
    with pytest.raises(SystemExit) as missing:
        engine.kueue_crd_files()
    first = str(missing.value).splitlines()[0]
    assert first == (
        "error: the Kueue CRDs (sigs.k8s.io/kueue, pinned in tools/kueue-crds) are not in the Go "
        "module cache; download them with: scripts/dev engine (or only them: cd "
        "tools/kueue-crds && go mod download sigs.k8s.io/kueue)"
    )
    assert not (tmp_path / "mod" / "sigs.k8s.io").exists()  # nothing was downloaded


def test_cel_rules_are_left_to_the_engine_tier(
    shipped_plans: dict[str, Plan], kueue: Schemas
) -> None:
    """What this check cannot see: a CEL rule of the CRD (`x-kubernetes-validations`) refuses
    this queue (reclaimWithinCohort Never with borrowWithinCohort.policy LowerPriority); the
    loopback API server does (tests/engine/test_local_stack.py)."""
    queue = research_queue(shipped_plans)
    queue["spec"]["preemption"] = {
        "reclaimWithinCohort": "Never",
        "borrowWithinCohort": {"policy": "LowerPriority"},
    }
    assert crd_schemas.errors(queue, kueue) == []
