"""The cost estimate's line per served model: a GPU model keeps nodes of its pool up around the
clock (KServe's Standard mode does not scale to zero), charged beyond what the pool's own lines
charge; models on one pool share nodes; a CPU model runs on the system nodes at no charge of
its own. Every figure is computed here from the shipped price table."""

from __future__ import annotations

from math import ceil
from typing import Any

import pytest

from mlplatform import defaults
from mlplatform.catalog.pricing import HOURS_PER_MONTH, price_book
from mlplatform.cost import Assumptions, CostResource, Estimate, Monthly, estimate, estimate_plan
from mlplatform.engine.plan import Plan
from mlplatform.engine.runner import stack_spec
from mlplatform.environment.queues import GPU_TOLERATION
from mlplatform.kubernetes.model_serving import SERVING_API_VERSION, predictor_spec
from tests.conftest import ROOT

ISVC = "kubernetes:serving.kserve.io/v1beta1:InferenceService"
NG = "aws:eks/nodeGroup:NodeGroup"
LT = "aws:ec2/launchTemplate:LaunchTemplate"
USE1 = "us-east-1"
BOOK = price_book("aws")
P4DE = BOOK.get(USE1, "ec2:p4de.24xlarge").on_demand  # type: ignore[union-attr]
"""USD an hour of a p4de.24xlarge (8 x A100-80GB), on demand."""
GP3 = BOOK.get(USE1, "ebs:gp3").on_demand  # type: ignore[union-attr]
"""USD a GB-month of gp3."""
DISK_GB = 200.0
H = HOURS_PER_MONTH
EXPECTED = defaults.EXPECTED_GPU_HOURS
STANDARD = "KServe's Standard mode does not scale to zero"


def res(type_: str, name: str, inputs: dict[str, Any], **extra: Any) -> CostResource:
    return CostResource(type_, f"urn:pulumi:s::p::{type_}::{name}", name, inputs, **extra)


def eks_pool(
    name: str = "a100",
    low: int = 0,
    high: int = 2,
    shape: str = "p4de.24xlarge",
    capacity: str = "ON_DEMAND",
    labels: dict[str, str] | None = None,
) -> list[CostResource]:
    """A GPU node group as the platform plans it (labels, taint, a gp3 launch template)."""
    disk = {"ebs": {"volumeSize": DISK_GB, "volumeType": "gp3"}}
    template = res(LT, f"{name}-lt", {"blockDeviceMappings": [disk]})
    pool = res(
        NG,
        name,
        {
            "instanceTypes": [shape],
            "capacityType": capacity,
            "scalingConfig": {"minSize": low, "maxSize": high},
            "labels": {
                defaults.POOL_LABEL: name,
                defaults.GPU_LABEL: "A100-80GB",
                **(labels or {}),
            },
            "taints": [{"key": "nvidia.com/gpu", "value": "present", "effect": "NO_SCHEDULE"}],
        },
        region=USE1,
        property_dependencies={"launchTemplate": [template.urn]},
    )
    return [template, pool]


def served(
    model: str, gpus: int = 0, least: int = 1, most: int | None = None, pool: str = "a100"
) -> CostResource:
    """An InferenceService as `ModelServing` plans it."""
    args: dict[str, Any] = {
        "model": model,
        "namespace": "inference",
        "storage_uri": "s3://bucket/1/models/m-1/artifacts",
        "runtime_image": "registry/mlplatform-serving:1",
        "min_replicas": least,
    }
    if most is not None:
        args["max_replicas"] = most
    if gpus:
        args["gpus"] = gpus
        args["node_selector"] = {defaults.GPU_LABEL: "A100-80GB", defaults.POOL_LABEL: pool}
        args["tolerations"] = [GPU_TOLERATION]
    inputs = {
        "apiVersion": SERVING_API_VERSION,
        "kind": "InferenceService",
        "metadata": {"name": model, "namespace": "inference"},
        "spec": {"predictor": predictor_spec(model, args)},  # type: ignore[arg-type]
    }
    return res(ISVC, model, inputs)


def of(found: Estimate, name: str) -> list[tuple[str, str, Monthly | None]]:
    return [
        (ln.item, ln.kind, ln.monthly if ln.kind == "priced" else None)
        for ln in found.lines
        if ln.name == name
    ]


def basis(found: Estimate, name: str, index: int = 0) -> str:
    return [ln.basis for ln in found.lines if ln.name == name][index]


def held(nodes: int, hourly: float, expected_hours: float = EXPECTED) -> Monthly:
    """What `nodes` more nodes up around the clock add to a GPU pool's lines: the whole month at
    the low end, the hours the pool's line does not already charge them in the expected figure
    (it charges each node above the minimum `expected_hours`), nothing at the high end (every
    node is up there already)."""
    return Monthly(
        round(nodes * hourly * H, 2), round(nodes * hourly * (H - expected_hours), 2), 0.0
    )


DISK_HOURLY = GP3 * DISK_GB / H
"""A 200 GB gp3 boot disk's node-hour."""


def test_a_gpu_model_keeps_a_node_of_its_pool_up_beyond_the_pools_minimum() -> None:
    found = estimate([*eks_pool(), served("reranker", gpus=1, most=3)], "aws", Assumptions())
    assert of(found, "reranker") == [
        ("pool a100: +1 x p4de.24xlarge (on-demand)", "priced", held(1, P4DE)),
        ("pool a100: +1 x 200 GB gp3 disk", "priced", held(1, DISK_HOURLY)),
    ]
    assert basis(found, "reranker") == (
        "1 replica x 1 GPU = 1 GPU on pool a100 (8 GPUs a node): ceil(1/8) = 1 node up around "
        f"the clock ({STANDARD}), 1 above the pool's minNodes 0; the pool's line charges a node "
        f"above its minimum {EXPECTED:g} h a month (expected) and 730 h (high), so this adds "
        f"1 x ${P4DE:g}/h for 730 h (low), 730 - {EXPECTED:g} = {H - EXPECTED:g} h (expected) "
        "and 0 h (high); up to 3 replicas (3 GPUs) on CPU use, on nodes the pool's line "
        "charges above its minimum"
    )
    assert basis(found, "reranker", 1).endswith(
        f"so this adds 1 x ${GP3:g}/GB-month x 200 GB for 730 h (low), 730 - {EXPECTED:g} = "
        f"{H - EXPECTED:g} h (expected) and 0 h (high); up to 3 replicas (3 GPUs) on CPU use, on "
        "nodes the pool's line charges above its minimum"
    )
    # With the model, the pool costs what it would at 1-2 nodes instead of 0-2 (to the cent
    # each line is rounded to).
    one_up = Monthly(H, H + EXPECTED, 2 * H).times(P4DE + DISK_HOURLY)
    for got, want in zip(vars(found.total).values(), vars(one_up).values(), strict=True):
        assert got == pytest.approx(want, abs=0.02)


def test_the_expected_hours_the_pool_already_charges_are_not_charged_twice() -> None:
    found = estimate(
        [*eks_pool(), served("reranker", gpus=1)], "aws", Assumptions(expected_gpu_hours=100)
    )
    assert of(found, "reranker")[0][2] == held(1, P4DE, expected_hours=100)
    assert "730 - 100 = 630 h (expected)" in basis(found, "reranker")
    assert "up to" not in basis(found, "reranker")  # a fixed replica count


def test_models_on_one_pool_add_their_gpus_up_before_rounding_to_nodes() -> None:
    # 3 GPUs, then 2 x 3 = 6 (9 in all), then 4 (13): ceil(13/8) = 2 nodes, not the 3 each
    # model would hold alone (ceil(3/8) + ceil(6/8) + ceil(4/8)).
    models = [served("a", gpus=3), served("b", gpus=3, least=2), served("c", gpus=4)]
    found = estimate([*eks_pool(high=3), *models], "aws", Assumptions())
    assert of(found, "a")[0] == (
        "pool a100: +1 x p4de.24xlarge (on-demand)",
        "priced",
        held(1, P4DE),
    )
    assert of(found, "b")[0] == (
        "pool a100: +1 x p4de.24xlarge (on-demand)",
        "priced",
        held(1, P4DE),
    )
    assert of(found, "c") == [("pool a100: 4 GPUs, no extra node", "priced", Monthly.flat(0))]
    assert basis(found, "b").startswith(
        "2 replicas x 3 GPUs = 6 GPUs on pool a100 (8 GPUs a node), 9 with the 3 of the models "
        f"before it there: ceil(9/8) = 2 nodes up around the clock ({STANDARD}), 2 above the "
        "pool's minNodes 0, 1 more than the models before it keep up; the pool's line charges"
    )
    assert basis(found, "c") == (
        "1 replica x 4 GPUs = 4 GPUs on pool a100 (8 GPUs a node), 13 with the 9 of the models "
        f"before it there: ceil(13/8) = 2 nodes up around the clock ({STANDARD}), 2 above the "
        "pool's minNodes 0, which the models before it keep up already: no extra charge"
    )
    machines = [ln.name for ln in found.lines if ln.type == ISVC and "p4de" in ln.item]
    assert len(machines) == ceil((3 + 2 * 3 + 4) / 8) == 2


def test_a_pools_minimum_covers_a_model_at_no_extra_charge() -> None:
    # 4 GPUs fit the one node the pool keeps anyway; 8 more need a second node, 1 above it.
    models = [served("small", gpus=4), served("large", gpus=8)]
    found = estimate([*eks_pool(low=1), *models], "aws", Assumptions())
    assert of(found, "small") == [("pool a100: 4 GPUs, no extra node", "priced", Monthly.flat(0))]
    assert basis(found, "small") == (
        "1 replica x 4 GPUs = 4 GPUs on pool a100 (8 GPUs a node): ceil(4/8) = 1 node up around "
        f"the clock ({STANDARD}), within the pool's minNodes 1, which its line charges around "
        "the clock: no extra charge"
    )
    assert [(item, amount) for item, _, amount in of(found, "large")] == [
        ("pool a100: +1 x p4de.24xlarge (on-demand)", held(1, P4DE)),
        ("pool a100: +1 x 200 GB gp3 disk", held(1, DISK_HOURLY)),
    ]
    assert "ceil(12/8) = 2 nodes up around the clock" in basis(found, "large")
    assert f"({STANDARD}), 1 above the pool's minNodes 1;" in basis(found, "large")


def test_a_model_bigger_than_the_pool_keeps_at_most_its_maximum_up() -> None:
    found = estimate([*eks_pool(high=1), served("big", gpus=8, least=2)], "aws", Assumptions())
    assert of(found, "big")[0][2] == held(1, P4DE)
    assert basis(found, "big").startswith(
        "2 replicas x 8 GPUs = 16 GPUs on pool a100 (8 GPUs a node): ceil(16/8) = 2 nodes, but "
        "the pool's maxNodes is 1 (the other replicas stay Pending): 1 node up around the clock"
    )


def test_a_pool_that_shares_its_gpus_is_counted_in_whole_gpus() -> None:
    pool = eks_pool(labels={defaults.DEVICE_PLUGIN_CONFIG_LABEL: "a100"})
    found = estimate([*pool, served("reranker", gpus=1)], "aws", Assumptions())
    assert of(found, "reranker")[0][2] == held(1, P4DE)
    assert basis(found, "reranker").startswith(
        "1 replica x 1 GPU = 1 GPU on pool a100 (8 GPUs a node, counted whole although the pool "
        "shares them, an upper bound): ceil(1/8) = 1 node"
    )


def test_a_cpu_model_runs_on_the_system_nodes_at_no_charge_of_its_own() -> None:
    found = estimate([served("churn", least=2, most=4)], "aws", Assumptions(region=USE1))
    assert of(found, "churn") == [
        ("2-4 x (1 CPU, 2Gi) on the system nodes", "priced", Monthly.flat(0))
    ]
    assert basis(found, "churn") == (
        "no charge of its own: without GPUs it runs on the cluster's system nodes, which their "
        "own line charges, as MLflow and the platform's other in-cluster services do; it "
        f"requests 2 x (1 CPU, 2Gi) = 2 CPU, 4 GiB around the clock ({STANDARD}), up to 4 x = "
        "4 CPU, 8 GiB on CPU use"
    )
    assert found.free == 0 and found.complete


def test_on_an_existing_cluster_served_models_cost_nothing_here() -> None:
    found = estimate([served("churn"), served("reranker", gpus=2)], "kubernetes", Assumptions())
    assert [(ln.name, ln.item, ln.kind, ln.monthly) for ln in found.lines] == [
        ("churn", "1 x (1 CPU, 2Gi) on the cluster's nodes", "priced", Monthly.flat(0)),
        ("reranker", "2 GPUs on the cluster's GPU nodes", "priced", Monthly.flat(0)),
    ]
    assert basis(found, "reranker") == (
        "no charge of its own: the existing cluster's nodes are not priced here; 1 replica x "
        f"2 GPUs = 2 GPUs up around the clock ({STANDARD})"
    )
    assert basis(found, "churn").startswith(
        "no charge of its own: it runs on the existing cluster's nodes, which are not priced "
        "here; it requests 1 x (1 CPU, 2Gi) = 1 CPU, 2 GiB around the clock"
    )


def test_a_gpu_model_on_no_planned_pool_or_an_unpriced_one_is_unknown() -> None:
    found = estimate([*eks_pool(), served("lost", gpus=1, pool="h100")], "aws", Assumptions())
    [lost] = [ln for ln in found.lines if ln.name == "lost"]
    assert (lost.item, lost.kind, lost.deferred, lost.basis) == (
        "1 GPU on a pool the plan does not have",
        "unknown",
        False,
        "no GPU pool in the plan has its nodeSelector mlplatform.io/gpu=A100-80GB, "
        "mlplatform.io/pool=h100",
    )
    # p5.4xlarge has no spot price in us-east-1: the node it keeps up has none either.
    spot = eks_pool(shape="p5.4xlarge", capacity="SPOT")
    found = estimate([*spot, served("reranker", gpus=1)], "aws", Assumptions())
    assert of(found, "reranker") == [
        ("pool a100: +1 x p5.4xlarge (spot)", "unknown", None),
        ("pool a100: +1 x 200 GB gp3 disk", "priced", held(1, DISK_HOURLY)),
    ]
    assert basis(found, "reranker").endswith(
        "; the pool's line has no known price (no spot price for ec2:p5.4xlarge in us-east-1)"
    )


def test_a_pool_unknown_until_deployed_leaves_its_models_line_to_the_deployment() -> None:
    pool = eks_pool(shape="[unknown]")
    found = estimate([*pool, served("reranker", gpus=1)], "aws", Assumptions())
    [kept] = [ln for ln in found.lines if ln.name == "reranker"]
    assert (kept.kind, kept.deferred, kept.basis) == (
        "unknown",
        True,
        "input instanceTypes.0 is unknown until deployed",
    )


def test_a_gpu_model_without_a_selector_lands_on_the_one_gpu_pool_not_the_system_pool() -> None:
    system = res(
        NG,
        "system",
        {"instanceTypes": ["m6i.large"], "scalingConfig": {"minSize": 2, "maxSize": 4}},
        region=USE1,
    )
    model = served("reranker", gpus=1)
    del model.inputs["spec"]["predictor"]["nodeSelector"]
    found = estimate([system, *eks_pool(), model], "aws", Assumptions())
    assert of(found, "reranker")[0] == (
        "pool a100: +1 x p4de.24xlarge (on-demand)",
        "priced",
        held(1, P4DE),
    )


def test_a_gpu_shape_the_catalog_lacks_leaves_the_nodes_unknown() -> None:
    found = estimate(
        [*eks_pool(shape="g6e.xlarge"), served("reranker", gpus=1)], "aws", Assumptions()
    )
    [kept] = [ln for ln in found.lines if ln.name == "reranker"]
    assert (kept.item, kept.kind, kept.deferred, kept.basis) == (
        "pool a100: 1 GPU",
        "unknown",
        False,
        "the GPUs a node of pool a100 has are not known: its shape is not in mlplatform's GPU "
        "catalog",
    )


def test_models_are_priced_after_the_pools_whatever_the_order() -> None:
    """The policy pack's view need not list a pool before the models on it."""
    found = estimate([served("reranker", gpus=1), *eks_pool()], "aws", Assumptions())
    assert of(found, "reranker")[0][2] == held(1, P4DE)
    assert [ln.name for ln in found.lines][-2:] == ["reranker", "reranker"]


@pytest.mark.parametrize(
    ("stack", "machine", "sku", "disk", "disk_sku", "per_gb"),
    [
        ("aws-prod", "p4de.24xlarge", "ec2:p4de.24xlarge", "200 GB gp3", "ebs:gp3", True),
        (
            "azure-prod",
            "Standard_ND96amsr_A100_v4",
            "vm:Standard_ND96amsr_A100_v4",
            "200 GB premium-ssd:P15",
            "disk:premium-ssd:P15",
            False,
        ),
        ("gcp-prod", "a2-highgpu-8g", "gce:a2-highgpu-8g", "200 GB balanced", "pd:balanced", True),
    ],
)
def test_the_prod_stacks_keep_one_a100_node_up_for_the_reranker(
    stack: str,
    machine: str,
    sku: str,
    disk: str,
    disk_sku: str,
    per_gb: bool,
    shipped_plans: dict[str, Plan],
) -> None:
    """reranker: 1 replica x 1 GPU on the a100 pool (8 GPUs a node, minNodes 0) keeps one node
    up; churn (CPU, 2-4 replicas) runs on the system nodes."""
    plan = shipped_plans[stack]
    found = estimate_plan(plan, Assumptions.of(stack_spec(stack, ROOT)))
    book, region = price_book(found.target), found.regions[0]
    hourly = book.get(region, sku).on_demand  # type: ignore[union-attr]
    disk_month = book.get(region, disk_sku).on_demand * (DISK_GB if per_gb else 1)  # type: ignore[union-attr]
    assert of(found, f"ml-{stack}-model-reranker-inference") == [
        (f"pool a100: +1 x {machine} (on-demand)", "priced", held(1, hourly)),
        (f"pool a100: +1 x {disk} disk", "priced", held(1, disk_month / H)),
    ]
    assert of(found, f"ml-{stack}-model-churn-inference") == [
        ("2-4 x (1 CPU, 2Gi) on the system nodes", "priced", Monthly.flat(0))
    ]
