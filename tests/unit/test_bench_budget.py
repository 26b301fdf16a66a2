"""The benchmark's plan budget (bench/plan_budget.py) and how `scripts/dev bench` (bench/run.py)
reports it: the floor's wall time picks the budget (plan / floor ≤ 1.3 from a 1 s floor,
plan - floor ≤ 0.2 s below it). Figures are given, nothing is timed."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from measure import Sample
from plan_budget import (
    FLOOR_FOR_RATIO_SECONDS,
    PLAN_MINUS_FLOOR_SECONDS,
    PLAN_OVER_FLOOR,
    Budget,
    plan_budget,
)
from run import SDKS, budgets, missed_lines, report, stack_budgets
from scaling import UNITS


def test_the_constants_are_the_issues() -> None:
    assert (FLOOR_FOR_RATIO_SECONDS, PLAN_OVER_FLOOR, PLAN_MINUS_FLOOR_SECONDS) == (1.0, 1.3, 0.2)


def test_a_floor_just_under_a_second_gets_the_difference_budget() -> None:
    # 0.251 s added: over 0.2 s, though plan / floor (1.251) would be under 1.3
    assert plan_budget("local", 1.25, 0.999) == Budget(
        name="`local` plan - floor (floor < 1 s)",
        limit="≤ 0.2 s",
        measured="0.251 s",
        met=False,
    )


def test_a_floor_of_a_second_gets_the_ratio_budget() -> None:
    # plan / floor 1.25: under 1.3, though plan - floor (0.25 s) would be over 0.2 s
    assert plan_budget("aws-dev", 1.25, 1.0) == Budget(
        name="`aws-dev` plan / floor (floor ≥ 1 s)",
        limit="≤ 1.3",
        measured="1.250",
        met=True,
    )


@pytest.mark.parametrize(
    ("plan", "floor"),
    [(1.3, 1.0), (2.6, 2.0), (2.47, 1.9)],  # 2.47 / 1.9 is 1.3000000000000003 in floats
)
def test_a_ratio_of_exactly_1_3_meets_the_budget(plan: float, floor: float) -> None:
    budget = plan_budget("s", plan, floor)
    assert budget == Budget("`s` plan / floor (floor ≥ 1 s)", "≤ 1.3", "1.300", True)


def test_a_ratio_just_over_1_3_misses_it() -> None:
    budget = plan_budget("s", 1.301, 1.0)
    assert budget == Budget("`s` plan / floor (floor ≥ 1 s)", "≤ 1.3", "1.301", False)


@pytest.mark.parametrize(
    ("plan", "floor"),
    [(0.7, 0.5), (0.9, 0.7), (1.199, 0.999)],  # 0.9 - 0.7 is 0.20000000000000007 in floats
)
def test_a_difference_of_exactly_0_2_s_meets_the_budget(plan: float, floor: float) -> None:
    budget = plan_budget("s", plan, floor)
    assert budget == Budget("`s` plan - floor (floor < 1 s)", "≤ 0.2 s", "0.200 s", True)


def test_a_difference_just_over_0_2_s_misses_it() -> None:
    budget = plan_budget("s", 0.701, 0.5)
    assert budget == Budget("`s` plan - floor (floor < 1 s)", "≤ 0.2 s", "0.201 s", False)


def sample(*seconds: float) -> Sample:
    return Sample(seconds=list(seconds))


STACKS = {
    "aws-dev": {"plan": sample(1.4, 1.46, 1.5), "floor": sample(1.2, 1.25, 1.3)},
    "local": {"plan": sample(0.8, 0.76, 0.75), "floor": sample(0.5, 0.53, 0.55)},
}


def test_each_stack_is_held_to_the_budget_its_floor_picks() -> None:
    assert stack_budgets(STACKS) == [
        Budget("`aws-dev` plan / floor (floor ≥ 1 s)", "≤ 1.3", "1.168", True),
        Budget("`local` plan - floor (floor < 1 s)", "≤ 0.2 s", "0.230 s", False),
    ]


def measured(*seconds: float) -> Sample:
    """A whole sample: every run 100 MiB at peak, 1,000 page faults, CPU as wall."""
    runs = len(seconds)
    return Sample(list(seconds), list(seconds), [100.0] * runs, [1000] * runs)


def test_the_report_states_each_stacks_budget_once() -> None:
    path = SimpleNamespace(minutes=3.3, chain=("add-ons",))
    stacks: dict[str, dict[str, Any]] = {
        name: {
            "resources": 10,
            "plan": measured(*s["plan"].seconds),
            "floor": measured(*s["floor"].seconds),
            "modules": dict.fromkeys(SDKS, 0),
            "otherClouds": [],
            "beyondFloor": [],
            "criticalPath": path,
            "expectedChain": path.chain,
        }
        for name, s in STACKS.items()
    }
    everything = {"default": measured(4.0), "one process": measured(6.0)}
    review = {"review": measured(2.0), "summary": measured(1.5)}
    scaling = {
        n: {"resources": 100 + n, "sample": measured(1.0 + n / 100), "warmSeconds": n / 50}
        for n in UNITS
    }
    found = budgets(stacks, everything, scaling, review)
    text = report(stacks, everything, scaling, review, found, 3)
    for budget in stack_budgets(stacks):
        rule = budget.name.split(" ", 1)[1]  # "plan / floor (floor ≥ 1 s)"
        assert text.count(rule) == 1, rule
        verdict = "yes" if budget.met else "**no**"
        row = f"| {budget.name} | {budget.limit} | {budget.measured} | {verdict} |\n"
        assert text.count(row) == 1, row


def test_a_missed_budget_is_one_line_with_its_reason() -> None:
    assert missed_lines(stack_budgets(STACKS)) == [
        "budget missed: `local` plan - floor (floor < 1 s): 0.230 s, limit ≤ 0.2 s",
    ]


def test_no_line_when_every_budget_holds() -> None:
    assert (
        missed_lines([Budget("`aws-dev` plan / floor (floor ≥ 1 s)", "≤ 1.3", "1.168", True)]) == []
    )
