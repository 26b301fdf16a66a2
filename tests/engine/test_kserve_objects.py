"""The platform's KServe objects created for real on the loopback API server, past KServe's CRD
schemas (`scripts/dev cluster start` installs the CRDs `tools/kserve-crds` pins; no KServe
controller or webhook runs, so nothing else acts on them): those of aws-prod (serving on, as in
every prod stack) and of the kubernetes target with serving on (the `local` stack plus
tests/contract/kserve_objects.py `SERVING`, which adds the ClusterStorageContainer).

The prod stack's team namespace (`inference`) does not exist on the loopback cluster (a cloud
target is never deployed here), so every namespaced object of a plan is created in a namespace
this test makes for that plan, its `metadata.namespace` rewritten; the ClusterStorageContainer
is cluster-scoped. Each object is created with `fieldValidation=Strict` (an unknown field is
refused rather than pruned), read back, and deleted.
"""

from __future__ import annotations

import copy
import json
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from kubeapi import Api

from mlplatform.engine import run_stack
from tests.conftest import ROOT
from tests.contract.crd_schemas import integral
from tests.contract.kserve_objects import kserve_objects, kubernetes_serving_plan
from tests.engine.test_local_stack import is_subset

GROUP = "/apis/serving.kserve.io"
PLURALS = {
    "InferenceService": "inferenceservices",
    "ServingRuntime": "servingruntimes",
    "ClusterStorageContainer": "clusterstoragecontainers",
}
NAMESPACES = {"aws-prod": "kserve-aws-prod", "kubernetes": "kserve-kubernetes"}
"""The namespace this test creates for each plan's namespaced objects."""
STRICT = "?fieldValidation=Strict"


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """The KServe objects of each plan, by the name `NAMESPACES` gives it."""
    return {
        "aws-prod": kserve_objects(run_stack("aws-prod", ROOT)),
        "kubernetes": kserve_objects(kubernetes_serving_plan(tmp_path_factory.mktemp("plan"))),
    }


@pytest.fixture(scope="module")
def refused(api: Api) -> str:
    """The namespace the broken objects are sent to."""
    namespace(api, "kserve-refused")
    return "kserve-refused"


def post(api: Api, path: str, body: dict[str, Any]) -> tuple[int, Any]:
    """POST `body` to `path`: the HTTP status and the decoded answer, an error's included (a
    path the API server does not serve answers in plain text: its `message`)."""
    context = ssl.create_default_context(cafile=str(api.ca))
    context.load_cert_chain(str(api.cert), str(api.key))
    request = urllib.request.Request(
        api.server + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, context=context, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        raw = error.read().decode(errors="replace")
        try:
            return error.code, json.loads(raw)
        except json.JSONDecodeError:
            return error.code, {"message": raw.strip()}


def namespace(api: Api, name: str) -> None:
    status, answer = post(
        api,
        "/api/v1/namespaces",
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}},
    )
    assert status == 201, answer


def moved(manifest: dict[str, Any], to: str) -> dict[str, Any]:
    """`manifest` as the API server is sent it (integral numbers as integers), its namespace,
    if it has one, `to`."""
    sent = integral(copy.deepcopy(manifest))
    if "namespace" in sent["metadata"]:
        sent["metadata"]["namespace"] = to
    return sent


def collection(manifest: dict[str, Any]) -> str:
    """The API path of the collection `manifest` is created in."""
    version = manifest["apiVersion"].split("/")[1]
    where = (
        f"/namespaces/{manifest['metadata']['namespace']}"
        if "namespace" in manifest["metadata"]
        else ""
    )
    return f"{GROUP}/{version}{where}/{PLURALS[manifest['kind']]}"


@pytest.mark.parametrize(
    ("plan", "kinds"),
    [
        ("aws-prod", ["InferenceService", "InferenceService", "ServingRuntime", "ServingRuntime"]),
        (
            "kubernetes",
            [
                "ClusterStorageContainer",
                "InferenceService",
                "InferenceService",
                "ServingRuntime",
                "ServingRuntime",
            ],
        ),
    ],
)
def test_the_planned_kserve_objects_are_created_for_real(
    api: Api, planned: dict[str, list[dict[str, Any]]], plan: str, kinds: list[str]
) -> None:
    objects = [moved(o, NAMESPACES[plan]) for o in planned[plan]]
    assert sorted(o["kind"] for o in objects) == kinds
    namespace(api, NAMESPACES[plan])
    created = []
    for manifest in objects:
        status, answer = post(api, collection(manifest) + STRICT, manifest)
        assert status == 201, answer
        path = f"{collection(manifest)}/{manifest['metadata']['name']}"
        created.append(path)
        live = api.get(path)
        assert is_subset(manifest["spec"], live["spec"]), path  # nothing pruned
        assert is_subset(manifest["metadata"], live["metadata"]), path
    for path in created:
        api.request("DELETE", path)
        assert not api.exists(path), path


@pytest.mark.parametrize(
    ("kind", "break_it", "status", "message"),
    [
        (
            "ServingRuntime",
            lambda o: o["spec"]["containers"][0]["env"].append(
                {"name": "MLSERVER_HTTP_PORT", "value": "9090"}
            ),
            422,
            'ServingRuntime.serving.kserve.io "churn" is invalid: spec.containers[0].env[7]: '
            'Duplicate value: {"name":"MLSERVER_HTTP_PORT"}',
        ),
        (
            "InferenceService",
            lambda o: o["spec"]["predictor"].update(
                runtime=o["spec"]["predictor"]["model"].pop("runtime")
            ),
            400,
            'InferenceService in version "v1beta1" cannot be handled as a InferenceService: '
            'strict decoding error: unknown field "spec.predictor.runtime"',
        ),
        (
            "InferenceService",
            lambda o: o["spec"]["predictor"].update(scaleMetric="gpu"),
            422,
            'InferenceService.serving.kserve.io "churn" is invalid: spec.predictor.scaleMetric: '
            'Unsupported value: "gpu": supported values: "cpu", "memory", "concurrency", "rps"',
        ),
    ],
    ids=["env-set-twice", "runtime-on-the-predictor", "unknown-scale-metric"],
)
def test_the_api_server_refuses_a_broken_object(
    api: Api,
    planned: dict[str, list[dict[str, Any]]],
    refused: str,
    kind: str,
    break_it: Callable[[dict[str, Any]], object],
    status: int,
    message: str,
) -> None:
    """aws-prod's `churn` objects broken three ways: a variable set twice in a list map keyed
    by name (`x-kubernetes-list-type: map`, which the contract tier's jsonschema check passes:
    tests/contract/test_kserve_crds.py), a field where the schema has none, a value outside an
    enum. KServe v0.20.0's CRDs have no CEL rules."""
    (manifest,) = [
        moved(o, refused)
        for o in planned["aws-prod"]
        if o["kind"] == kind and o["metadata"]["name"] == "churn"
    ]
    break_it(manifest)
    answer = post(api, collection(manifest) + STRICT, manifest)
    assert (answer[0], answer[1]["message"]) == (status, message)
    assert not api.exists(f"{collection(manifest)}/churn")
