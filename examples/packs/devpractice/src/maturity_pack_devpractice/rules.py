"""The pack's own level rule, registered when the pack is loaded."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from maturity_core import LevelRule, register_rule, rule_names
from maturity_core.typing import RuleOutcome


def all_at_or_below(
    level_scores: Sequence[Fraction], gate: Fraction | None
) -> RuleOutcome:
    """
    S = the number of levels, from level 1 up, whose score meets the gate;
    with ``minimum`` aggregation a level's score is its weakest practice,
    so level n means every practice at levels 1..n meets the gate.
    """
    if gate is None:
        msg = "level rule 'all-at-or-below' needs a gate"
        raise ValueError(msg)
    steps = []
    passed = 0
    for number, x in enumerate(level_scores, start=1):
        if x < gate:
            steps.append(
                f"level {number}: weakest practice {x} < {gate}; stop at "
                f"S = {passed}"
            )
            break
        passed = number
        steps.append(f"level {number}: every practice ≥ {gate}; S = {passed}")
    return RuleOutcome(Fraction(passed), max(passed, 1), tuple(steps))


def all_at_or_below_vector(
    np: Any, x: Any, gate: int | None, denominator: int
) -> tuple[Any, Any]:
    """
    :func:`all_at_or_below` for a (rows × levels) int64 array of level
    scores times *denominator*: the length of each row's leading run of
    levels at or above the gate, times *denominator*, and the counted
    levels.
    """
    if gate is None:
        msg = "level rule 'all-at-or-below' needs a gate"
        raise ValueError(msg)
    passed = np.cumprod(x >= gate, axis=1).sum(axis=1).astype(np.int64)
    return passed * denominator, np.maximum(passed, 1)


RULE = LevelRule(
    "all-at-or-below",
    all_at_or_below,
    vector_fold=all_at_or_below_vector,
    monotone=True,
    description="S = how many levels from level 1 up have every practice "
    "at or above the gate",
)

if "all-at-or-below" not in rule_names():
    register_rule(RULE)
