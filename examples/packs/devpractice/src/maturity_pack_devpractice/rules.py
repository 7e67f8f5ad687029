"""The pack's own level rule, registered when the pack is loaded."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from maturity_core import RuleOutcome, register_rule, rule_names


def all_at_or_below(
    level_scores: Sequence[Fraction], gate: Fraction
) -> RuleOutcome:
    """
    S = the number of levels, from level 1 up, whose score meets the gate;
    with ``minimum`` aggregation a level's score is its weakest practice,
    so level n means every practice at levels 1..n meets the gate.
    """
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


if "all-at-or-below" not in rule_names():
    register_rule("all-at-or-below", all_at_or_below)
