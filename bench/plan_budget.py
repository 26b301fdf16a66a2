"""The plan budget of `scripts/dev bench` (bench/run.py): how much longer a stack's
`mlplatform plan` may take than its floor (bench/floor.py), in median wall time. The floor
decides which budget applies:

- a floor of at least FLOOR_FOR_RATIO_SECONDS (1 s): plan / floor ≤ PLAN_OVER_FLOOR (1.3);
- a floor under 1 s: plan - floor ≤ PLAN_MINUS_FLOOR_SECONDS (0.2 s).

Why: a sub-second floor is mostly fixed costs, the interpreter's start and the Pulumi and
provider SDKs' imports, and what mlplatform adds to a small stack is fixed too (pydantic and the
spec are about 0.1 s whatever the stack). A ratio over such a small denominator is noise: on the
shared 2-core VM the `local` stack (floor about 0.5 s) measured plan / floor 1.32 and 1.34 in
wall time, 1.296 in instructions, for about 0.17 s added, while the cloud stacks (floors of
1.2 to 1.6 s) add 0.21 to 0.28 s at 1.16 to 1.19. Below a second the budget is the time added.

Both limits are inclusive; a value is compared rounded to 9 places, so that a float's
representation (0.9 - 0.7 is 0.20000000000000007) does not decide a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

FLOOR_FOR_RATIO_SECONDS = 1.0
"""From a floor of this many seconds on, the budget is plan / floor; below it, plan - floor."""
PLAN_OVER_FLOOR = 1.3
"""A stack whose floor takes at least FLOOR_FOR_RATIO_SECONDS: its plan takes at most this many
times its floor's wall time."""
PLAN_MINUS_FLOOR_SECONDS = 0.2
"""A stack whose floor takes under FLOOR_FOR_RATIO_SECONDS: its plan takes at most this many
seconds more than its floor."""
PLACES = 9
"""Places a value is rounded to before it meets its limit: far finer than any measurement."""


@dataclass(frozen=True)
class Budget:
    """One budget of `scripts/dev bench` and how it fares: a row of its report's budget table."""

    name: str
    limit: str
    measured: str
    met: bool


def plan_budget(stack: str, plan_seconds: float, floor_seconds: float) -> Budget:
    """The budget `stack`'s plan of `plan_seconds` is held to beside a floor of
    `floor_seconds`, named by its rule and why that rule applies: "`local` plan - floor
    (floor < 1 s)"."""
    if floor_seconds >= FLOOR_FOR_RATIO_SECONDS:
        ratio = round(plan_seconds / floor_seconds, PLACES)
        return Budget(
            name=f"`{stack}` plan / floor (floor ≥ {FLOOR_FOR_RATIO_SECONDS:g} s)",
            limit=f"≤ {PLAN_OVER_FLOOR:g}",
            measured=f"{ratio:.3f}",
            met=ratio <= PLAN_OVER_FLOOR,
        )
    added = round(plan_seconds - floor_seconds, PLACES)
    return Budget(
        name=f"`{stack}` plan - floor (floor < {FLOOR_FOR_RATIO_SECONDS:g} s)",
        limit=f"≤ {PLAN_MINUS_FLOOR_SECONDS:g} s",
        measured=f"{added:.3f} s",
        met=added <= PLAN_MINUS_FLOOR_SECONDS,
    )
