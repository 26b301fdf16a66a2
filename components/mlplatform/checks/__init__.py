"""Layer 6.3, checks on captured plans: the policy pack run offline (`mlplatform check`: here,
`analyzer` and `report`), the diff between two plans (`diff`, `diff_views`, `replacements`,
`guards`, `teams`), the deployment's critical path (`critical_path`), the pull-request review
(`review`, `review_git`, `base_plans`) and every stack at once (`summary`). The pack is the
project's own `policies/`, the one mlplatform ships, or one named
(`mlplatform.policy_pack.find_pack`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlplatform.checks.analyzer import PackError, PolicyConfigError, analyze, pack_session
from mlplatform.checks.report import CheckReport, build_report
from mlplatform.policy_pack import PackNotFoundError, find_pack

if TYPE_CHECKING:
    from mlplatform.engine.plan import Plan
    from mlplatform.environment.model import PlatformConfig

GPU_CAP_POLICY = "platform-gpu-total-under-cap"
QUEUE_CAP_POLICY = "platform-gpu-queue-quota-under-cap"
BUDGET_POLICY = "platform-monthly-cost-under-budget"
PRICED_POLICY = "platform-cost-fully-priced"


LEVEL = "enforcementLevel"


def pack_config(
    spec: PlatformConfig | None, given: Mapping[str, Any] | None = None
) -> dict[str, dict[str, Any]]:
    """Per-policy config: the stack's own limits (budget.maxGpus for the pools and the Kueue
    quotas, budget.maxMonthlyUsd with budget.allowUnpriced and the cost assumptions), then
    what the user gave in Pulumi's `--policy-pack-config` shape: {policy: level} or {policy:
    {enforcementLevel: level, property: value}}, levels mandatory / advisory / disabled."""
    config: dict[str, dict[str, Any]] = {}
    if spec is not None and spec.budget.max_gpus is not None:
        config[GPU_CAP_POLICY] = {"maxGpus": spec.budget.max_gpus}
        config[QUEUE_CAP_POLICY] = {"maxGpus": spec.budget.max_gpus}
    if spec is not None:
        from mlplatform.cost import Assumptions

        assumptions = Assumptions.of(spec).config()
        config[PRICED_POLICY] = dict(assumptions)
        if spec.budget.max_monthly_usd is not None:
            budget: dict[str, Any] = {"maxMonthlyUsd": spec.budget.max_monthly_usd}
            if spec.budget.allow_unpriced:  # only when set: a pack without it still takes the rest
                budget["allowUnpriced"] = True
            config[BUDGET_POLICY] = {**budget, **assumptions}
    for name, values in (given or {}).items():
        entry = config.setdefault(name, {})
        entry.update({LEVEL: values} if isinstance(values, str) else dict(values))
    return config


def check_stack(
    stack: str,
    project_dir: Path | None = None,
    config_file: Path | None = None,
    pack_dir: Path | None = None,
    plan: Plan | None = None,
    session: Any = None,
) -> CheckReport:
    """Plan `stack` offline (unless its `plan` is given) and run the policy pack (the running
    `session` of `pack_session`, else `pack_dir`, else `find_pack`'s default) over it. Raises
    `PackNotFoundError` for a `pack_dir` that holds no pack."""
    from mlplatform.engine import run_stack
    from mlplatform.engine.runner import stack_project_dir, stack_spec

    root = stack_project_dir(stack, project_dir)
    pack = find_pack(pack_dir, root)  # before planning: a wrong folder is told at once
    plan = plan or run_stack(stack, root)
    spec = stack_spec(stack, root)
    given = _read_config(config_file) if config_file else None
    config = pack_config(spec, given)
    # The stack's own settings apply where the pack has the policy; what the user gave must.
    optional = frozenset(config) - frozenset(given or {})
    return build_report(plan.stack, analyze(plan, pack, config, optional, session))


def _read_config(path: Path) -> dict[str, Any]:
    try:
        given = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise PolicyConfigError(f"policy config {path}: {exc}") from None
    if not isinstance(given, dict) or not all(isinstance(v, str | dict) for v in given.values()):
        raise PolicyConfigError(
            f"policy config {path}: expected {{policy: level}} or {{policy: {{property: value}}}}"
        )
    return given


__all__ = [
    "PackError",
    "PackNotFoundError",
    "PolicyConfigError",
    "check_stack",
    "find_pack",
    "pack_config",
    "pack_session",
]
