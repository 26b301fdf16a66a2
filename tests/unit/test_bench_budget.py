"""The benchmark's plan budget (bench/plan_budget.py) and how `scripts/dev bench` (bench/run.py)
reports it: the floor's wall time picks the budget (plan / floor ≤ 1.3 from a 1 s floor,
plan - floor ≤ 0.2 s below it). Figures are given, nothing is timed."""

from __future__ import annotations

import pytest
from measure import Sample
from plan_budget import (
    FLOOR_FOR_RATIO_SECONDS,
    PLAN_MINUS_FLOOR_SECONDS,
    PLAN_OVER_FLOOR,
    PlanBudget,
    plan_budget,
)
from run import Budget, missed_lines, stack_budget_table, stack_budgets


def test_the_constants_are_the_issues() -> None:
    assert (FLOOR_FOR_RATIO_SECONDS, PLAN_OVER_FLOOR, PLAN_MINUS_FLOOR_SECONDS) == (1.0, 1.3, 0.2)


def test_a_floor_just_under_a_second_gets_the_difference_budget() -> None:
    # 0.251 s added: over 0.2 s, though plan / floor (1.251) would be under 1.3
    assert plan_budget(1.25, 0.999) == PlanBudget(
        rule="plan - floor",
        applies="floor < 1 s",
        limit="≤ 0.2 s",
        value=0.251,
        measured="0.251 s",
        met=False,
    )


def test_a_floor_of_a_second_gets_the_ratio_budget() -> None:
    # plan / floor 1.25: under 1.3, though plan - floor (0.25 s) would be over 0.2 s
    assert plan_budget(1.25, 1.0) == PlanBudget(
        rule="plan / floor",
        applies="floor ≥ 1 s",
        limit="≤ 1.3",
        value=1.25,
        measured="1.250",
        met=True,
    )


@pytest.mark.parametrize(
    ("plan", "floor"),
    [(1.3, 1.0), (2.6, 2.0), (2.47, 1.9)],  # 2.47 / 1.9 is 1.3000000000000003 in floats
)
def test_a_ratio_of_exactly_1_3_meets_the_budget(plan: float, floor: float) -> None:
    budget = plan_budget(plan, floor)
    assert (budget.rule, budget.measured, budget.met) == ("plan / floor", "1.300", True)


def test_a_ratio_just_over_1_3_misses_it() -> None:
    budget = plan_budget(1.301, 1.0)
    assert (budget.rule, budget.measured, budget.met) == ("plan / floor", "1.301", False)


@pytest.mark.parametrize(
    ("plan", "floor"),
    [(0.7, 0.5), (0.9, 0.7), (1.199, 0.999)],  # 0.9 - 0.7 is 0.20000000000000007 in floats
)
def test_a_difference_of_exactly_0_2_s_meets_the_budget(plan: float, floor: float) -> None:
    budget = plan_budget(plan, floor)
    assert (budget.rule, budget.measured, budget.met) == ("plan - floor", "0.200 s", True)


def test_a_difference_just_over_0_2_s_misses_it() -> None:
    budget = plan_budget(0.701, 0.5)
    assert (budget.rule, budget.measured, budget.met) == ("plan - floor", "0.201 s", False)


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


def test_the_report_states_each_stacks_budget_value_and_verdict() -> None:
    assert stack_budget_table(STACKS) == [
        "| stack | floor | plan | budget | limit | measured | met |",
        "| --- | ---: | ---: | --- | --- | ---: | --- |",
        "| `aws-dev` | 1.250 s | 1.460 s | plan / floor (floor ≥ 1 s) | ≤ 1.3 | 1.168 | yes |",
        "| `local` | 0.530 s | 0.760 s | plan - floor (floor < 1 s) | ≤ 0.2 s | 0.230 s | **no** |",
    ]


def test_a_missed_budget_is_one_line_with_its_reason() -> None:
    assert missed_lines(stack_budgets(STACKS)) == [
        "budget missed: `local` plan - floor (floor < 1 s): 0.230 s, limit ≤ 0.2 s",
    ]


def test_no_line_when_every_budget_holds() -> None:
    assert (
        missed_lines([Budget("`aws-dev` plan / floor (floor ≥ 1 s)", "≤ 1.3", "1.168", True)]) == []
    )
