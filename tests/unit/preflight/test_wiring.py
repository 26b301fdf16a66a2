"""Where preflight runs: the spec's validation runs every module's errors but the names';
`MlPlatform` runs the names' errors before any resource exists, and logs every warning, which
the offline plan keeps (`Plan.warnings`, the plan JSON's `warnings`) and the plan command shows.

The checks here are stand-ins put in the modules' tuples for one test (monkeypatch), so the
wiring is tested apart from what any real check finds.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from mlplatform.engine import run_stack
from mlplatform.engine.plan import Plan
from mlplatform.environment import ConfigError, ConfigIssue, PlatformConfig, parse, preflight
from mlplatform.environment.preflight import Preflight, names, regions
from tests.conftest import ROOT, SHIPPED_STACKS, STACKS_DIR
from tests.unit.preflight.specs import AWS


def _named(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    yield ConfigIssue("stack", f"makes a name too long ({at.platform_name})", at.platform_name)


def _regional(cfg: PlatformConfig, at: Preflight) -> Iterator[ConfigIssue]:
    yield ConfigIssue("region", f"could not be checked on {at.today}", cfg.region)


def test_the_spec_runs_errors_but_the_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(names, "ERRORS", (_named,))
    monkeypatch.setattr(regions, "ERRORS", (_regional,))
    with pytest.raises(ConfigError) as caught:
        parse(AWS)
    assert [str(i) for i in caught.value.issues] == [
        "region: 'us-east-1' could not be checked on 2026-12-06"
    ]


def test_the_program_has_the_names_judged_with_every_other_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """stacks/__main__.py passes the name it gives `MlPlatform` to `from_pulumi`, so a spec
    with a bad name and another problem gets both at once."""
    monkeypatch.setattr(names, "ERRORS", (_named,))
    monkeypatch.setattr(regions, "ERRORS", (_regional,))
    with pytest.raises(ConfigError) as caught:
        parse(AWS, platform_name="ml-x")
    assert [str(i) for i in caught.value.issues] == [
        "stack: 'ml-x' makes a name too long (ml-x)",
        "region: 'us-east-1' could not be checked on 2026-12-06",
    ]


def test_errors_judge_the_day_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regions, "ERRORS", (_regional,))
    cfg = PlatformConfig.model_validate(AWS)
    at = Preflight(date(2027, 1, 2), "ml-x")
    assert preflight.errors(cfg, at) == [
        ConfigIssue("region", "could not be checked on 2027-01-02", "us-east-1")
    ]


def test_the_names_are_generated_once_per_judgement(monkeypatch: pytest.MonkeyPatch) -> None:
    """`for_platform` judges the names' errors and warnings on one list of generated names,
    and the spec's validation with a platform name on one list too."""
    calls: list[str] = []
    generated = names.generated_names

    def counted(cfg: PlatformConfig, platform_name: str) -> list[names.GeneratedName]:
        calls.append(platform_name)
        return generated(cfg, platform_name)

    monkeypatch.setattr(names, "generated_names", counted)
    cfg = PlatformConfig.model_validate(AWS)
    assert preflight.for_platform(cfg, "ml-x") == ([], [])
    assert calls == ["ml-x"]
    parse(AWS, platform_name="ml-y")
    assert calls == ["ml-x", "ml-y"]


def test_the_platform_runs_the_names_before_any_resource(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(names, "ERRORS", (_named,))
    with pytest.raises(ConfigError) as caught:
        run_stack("aws-dev", ROOT)
    assert [str(i) for i in caught.value.issues] == [
        "stack: 'ml-aws-dev' makes a name too long (ml-aws-dev)"
    ]


def test_warnings_reach_the_plan_and_its_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(names, "WARNINGS", (_regional,))
    plan = run_stack("aws-dev", ROOT)
    assert plan.warnings == ["preflight: region: 'us-east-1' could not be checked on 2026-12-06"]
    document = plan.to_json()
    assert document["warnings"] == plan.warnings
    assert Plan.from_json(document).warnings == plan.warnings


def test_a_plan_without_warnings_has_no_warnings_key(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (names, *preflight.SPEC_MODULES):
        monkeypatch.setattr(module, "WARNINGS", ())
    plan = run_stack("aws-dev", ROOT)
    assert plan.warnings == []
    assert "warnings" not in plan.to_json()


def test_the_review_lists_a_stacks_warnings() -> None:
    from mlplatform.checks.review import warnings_markdown

    assert warnings_markdown("aws-dev", []) == ""
    assert warnings_markdown("aws-dev", ["preflight: a", "preflight: b"]) == (
        "### Warnings: `aws-dev`\n\n2 warning(s), not blocking:\n\n- preflight: a\n- preflight: b\n"
    )
    # GitHub drops an unknown tag such as the names' `ml-<stack>`: it is escaped.
    assert warnings_markdown("x", ["a stack of ml-<stack> & more"]).endswith(
        "- a stack of ml-&lt;stack&gt; &amp; more\n"
    )


def test_the_suite_judges_on_a_pinned_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """tests/conftest.py pins MLPLATFORM_PREFLIGHT_DATE, so no test changes with the calendar;
    a day that is not a date is refused naming the variable."""
    assert preflight.today() == date(2026, 12, 6)
    monkeypatch.setenv(preflight.TODAY_VARIABLE, "2027-07-01")
    assert preflight.today() == date(2027, 7, 1)
    monkeypatch.setenv(preflight.TODAY_VARIABLE, "")
    assert preflight.today() == date.today()
    monkeypatch.setenv(preflight.TODAY_VARIABLE, "July")
    with pytest.raises(ConfigError) as caught:
        preflight.today()
    assert [str(i) for i in caught.value.issues] == [
        "MLPLATFORM_PREFLIGHT_DATE: 'July' is not a date; use YYYY-MM-DD, or unset it"
    ]


@pytest.mark.parametrize("stack", SHIPPED_STACKS)
def test_the_shipped_stacks_pass_preflight_on_the_real_day(stack: str) -> None:
    """The one test judged on the calendar: when a shipped stack's Kubernetes version leaves
    support (AKS 1.36: 2027-06-30), or anything else preflight refuses by date, this fails, and
    the stack or the tables (mlplatform.catalog.limits) need refreshing. Errors only: a table
    past its horizon warns."""
    from mlplatform.environment.loader import namespace_values, stack_file_config

    values = namespace_values(stack_file_config(STACKS_DIR / f"Pulumi.{stack}.yaml"))
    cfg = PlatformConfig.model_validate(values)
    real = Preflight(date.today(), f"ml-{stack}")
    assert preflight.errors(cfg, real) == []
