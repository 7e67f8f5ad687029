"""Level rules: how per-level scores X_1..X_N fold into the score S."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction

import attrs

from ._format import fmt
from .exceptions import UnknownRuleError


@attrs.frozen
class RuleOutcome:
    """
    What a level rule decided.

    Args:
        score: The overall score S, exact.
        counted: How many levels (from level 1 up) contributed to S.
        steps: One sentence per level explaining the decision.

    .. versionadded:: 0.1.0
    """

    score: Fraction
    counted: int
    steps: tuple[str, ...]


#: A level rule takes X_1..X_N (lowest level first) and the gate.
LevelRule = Callable[[Sequence[Fraction], Fraction], RuleOutcome]

_RULES: dict[str, LevelRule] = {}


def register_rule(
    name: str, rule: LevelRule, *, replace: bool = False
) -> None:
    """
    Register *rule* under *name* so packs and assessments can select it.

    Raises:
        ValueError: If *name* is taken and *replace* is false.

    .. versionadded:: 0.1.0
    """
    if name in _RULES and not replace:
        msg = f"a level rule named {name!r} is already registered"
        raise ValueError(msg)
    _RULES[name] = rule


def get_rule(name: str) -> LevelRule:
    """
    Return the rule registered as *name*.

    Raises:
        UnknownRuleError: If no rule has that name.

    .. versionadded:: 0.1.0
    """
    try:
        return _RULES[name]
    except KeyError:
        raise UnknownRuleError(name, sorted(_RULES)) from None


def rule_names() -> tuple[str, ...]:
    """The names of all registered rules, sorted.

    .. versionadded:: 0.1.0
    """
    return tuple(sorted(_RULES))


def cumulative_gated(
    level_scores: Sequence[Fraction], gate: Fraction
) -> RuleOutcome:
    """
    Sum the level scores from level 1 up at their actual values, stopping
    after the first level whose score is below *gate* (reading A of
    GB/T 39117).
    """
    total = Fraction(0)
    steps = []
    counted = 0
    for number, x in enumerate(level_scores, start=1):
        total += x
        counted = number
        if x < gate:
            steps.append(
                f"level {number}: X = {fmt(x)} < gate {fmt(gate)}; it counts "
                f"at its value and higher levels are not counted "
                f"(S = {fmt(total)})"
            )
            break
        steps.append(
            f"level {number}: X = {fmt(x)} ≥ gate {fmt(gate)}; it counts at "
            f"its value (S = {fmt(total)})"
        )
    return RuleOutcome(total, counted, tuple(steps))


def cumulative_gated_unit(
    level_scores: Sequence[Fraction], gate: Fraction
) -> RuleOutcome:
    """
    Count every level that passes *gate* as 1 and the first failing level
    (or the top level) at its actual value: S = (m − 1) + X_m (reading B of
    GB/T 39117).
    """
    total = Fraction(0)
    steps = []
    counted = 0
    last = len(level_scores)
    for number, x in enumerate(level_scores, start=1):
        counted = number
        if x < gate:
            total += x
            steps.append(
                f"level {number}: X = {fmt(x)} < gate {fmt(gate)}; it counts "
                f"at its value and higher levels are not counted "
                f"(S = {fmt(total)})"
            )
            break
        if number == last:
            total += x
            steps.append(
                f"level {number}: X = {fmt(x)} ≥ gate {fmt(gate)}; the top "
                f"level counts at its value (S = {fmt(total)})"
            )
            break
        total += 1
        steps.append(
            f"level {number}: X = {fmt(x)} ≥ gate {fmt(gate)}; a passed "
            f"level counts as 1 (S = {fmt(total)})"
        )
    return RuleOutcome(total, counted, tuple(steps))


register_rule("cumulative-gated", cumulative_gated)
register_rule("cumulative-gated-unit", cumulative_gated_unit)
