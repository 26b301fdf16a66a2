"""The serving rules (issue 24) beyond their cases: node pool taints read per cloud, the shipped
stacks' served models passing every serving rule and the Ingress rule through the pack's gRPC
protocol, a model's Ingress without TLS failing the Ingress rule on itself, and the engine's
unknown and secret markers leaving the serving rules not evaluated."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest
from mlplatform_policies.gpu import node_taints

from mlplatform.checks.analyzer import analyze
from mlplatform.checks.report import NOT_EVALUATED, build_report
from mlplatform.engine import Plan
from tests.conftest import ROOT
from tests.helpers import planned
from tests.policy.cases import aks_pool, eks_pool, gke_pool

PACK = ROOT / "policies"
KSERVE = "kubernetes:serving.kserve.io/"
ISVC = f"{KSERVE}v1beta1:InferenceService"
INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
SERVING_RULES = (
    "kubernetes-inference-service-workload-identity",
    "platform-inference-service-standard-mode",
    "platform-inference-service-gpu-pool",
    "kubernetes-serving-runtime-non-root",
    "kubernetes-serving-runtime-image-pinned",
)
INGRESS_TLS = "kubernetes-ingress-tls"
SERVING_STACKS = ["aws-prod", "azure-prod", "gcp-prod"]
"""The shipped stacks that serve models (a CPU one, and a GPU one behind a TLS Ingress)."""


@pytest.mark.parametrize(
    ("pool", "taints"),
    [
        (eks_pool(), [("nvidia.com/gpu", "present", "NoSchedule")]),
        (gke_pool(), [("nvidia.com/gpu", "present", "NoSchedule")]),
        (
            aks_pool(nodeTaints=["nvidia.com/gpu=present:NoSchedule", "dedicated:NoExecute"]),
            [("nvidia.com/gpu", "present", "NoSchedule"), ("dedicated", "", "NoExecute")],
        ),
        (eks_pool(taints=[]), []),
    ],
    ids=["eks", "gke", "aks", "untainted"],
)
def test_node_taints_are_read_per_cloud(pool: Any, taints: list[tuple[str, str, str]]) -> None:
    assert node_taints(pool) == taints


def statuses(plan: Plan, *names: str) -> dict[str, str]:
    report = build_report(plan.stack, analyze(plan, PACK))
    status = {r.policy.name: r.status for r in report.results}
    return {name: status[name] for name in names}


@pytest.mark.parametrize("stack", SERVING_STACKS)
def test_shipped_stacks_pass_the_serving_rules(stack: str, shipped_plans: dict[str, Plan]) -> None:
    plan = shipped_plans[stack]
    served = sorted(r.inputs["metadata"]["name"] for r in plan.resources if r.type == ISVC)
    assert served == ["churn", "reranker"]
    assert [r.name for r in plan.resources if r.type == INGRESS] == [
        f"ml-{stack}-model-reranker-ingress"
    ]
    names = (*SERVING_RULES, INGRESS_TLS)
    assert statuses(plan, *names) == dict.fromkeys(names, "passed")


def test_a_models_ingress_without_tls_fails_on_itself(shipped_plans: dict[str, Plan]) -> None:
    plan = shipped_plans["aws-prod"]
    [ingress] = [r.urn for r in plan.resources if r.type == INGRESS]
    resources = []
    for resource in plan.resources:
        if resource.urn == ingress:
            inputs = copy.deepcopy(resource.inputs)
            del inputs["spec"]["tls"]
            resource = dataclasses.replace(resource, inputs=inputs)
        resources.append(resource)
    report = build_report("aws-prod", analyze(dataclasses.replace(plan, resources=resources), PACK))
    [result] = [r for r in report.results if r.policy.name == INGRESS_TLS]
    assert [(v.urn, v.message) for v in result.violations] == [
        (
            ingress,
            "the Ingress has no TLS (spec.tls): it serves reranker.ml.example.com over plain HTTP",
        )
    ]


def test_unknown_and_secret_serving_values_leave_the_rules_not_evaluated() -> None:
    predictor = {
        "serviceAccountName": "[unknown]",
        "model": {"resources": {"limits": {"nvidia.com/gpu": "[secret]"}}},
    }
    release = {
        "name": "kserve-resources",
        "chart": "oci://ghcr.io/kserve/charts/kserve-resources",
        "values": {"kserve": {"controller": {"deploymentMode": "[unknown]"}}},
    }
    container = {"name": "kserve-container", "image": "[unknown]", "securityContext": "[unknown]"}
    plan = Plan(
        project="p",
        stack="t",
        target="kubernetes",
        resources=[
            planned("kserve", "kubernetes:helm.sh/v3:Release", release),
            planned("model", ISVC, {"metadata": {"name": "m"}, "spec": {"predictor": predictor}}),
            planned(
                "runtime",
                f"{KSERVE}v1alpha1:ServingRuntime",
                {"spec": {"containers": [container]}},
            ),
            planned("route", INGRESS, {"spec": {"rules": [{"host": "[unknown]"}], "tls": []}}),
        ],
        outputs={},
    )
    names = (*SERVING_RULES, INGRESS_TLS)
    assert statuses(plan, *names) == dict.fromkeys(names, NOT_EVALUATED)
