"""
Level rules and aggregations as objects.

A :class:`LevelRule` folds the level scores X_1..X_N into the overall
score S.  It carries its exact fold and, optionally, a vectorised fold
for batch scoring and a decomposition a planner can search.  It states
what a planner may assume (``monotone``: S never falls as an X_k rises).
An :class:`Aggregation` folds requirement values into leaf scores and
child scores into node scores.  Every path (scalar, batch, gap analysis,
plans, analytics) asks these objects what they can do; none tests a name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

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


@attrs.frozen
class Scenario:
    """
    One way for S to reach a threshold, as covering constraints a planner
    can solve exactly: the level scores rise by at least ``need[k]`` at
    each level *k* in ``need``, and (if ``total`` is set) their rises over
    levels 1..``counted`` add up to at least ``total``.

    A rule's :attr:`LevelRule.scenarios` returns a list of scenarios such
    that S reaches the threshold if and only if one of them holds.

    .. versionadded:: 0.2.0
    """

    counted: int
    need: Mapping[int, Fraction]
    total: Fraction | None = None


#: The exact fold: level scores (lowest level first) and the gate (or
#: ``None`` when the pack has none) to an outcome.
Fold = Callable[[Sequence[Fraction], "Fraction | None"], RuleOutcome]
#: The exact fold of a rule that also sees node scores: level scores, the
#: gate and node id → level → score.
NodeFold = Callable[
    [
        Sequence[Fraction],
        "Fraction | None",
        Mapping[str, Mapping[int, Fraction]],
    ],
    RuleOutcome,
]
#: The vectorised fold: ``(np, x, gate, denominator)`` with *x* an
#: (rows × levels) int64 array of level scores times *denominator* and
#: *gate* times *denominator* (or ``None``); returns S times
#: *denominator* and the counted levels, as int64 arrays.
VectorFold = Callable[[Any, Any, "int | None", int], tuple[Any, Any]]
#: The planner's decomposition: ``(level_scores, gate, threshold)`` to
#: the scenarios under which S ≥ threshold.
Scenarios = Callable[
    [Sequence[Fraction], "Fraction | None", Fraction], Sequence[Scenario]
]


@attrs.frozen(eq=False)
class LevelRule:
    """
    A level rule: how level scores X_1..X_N fold into S.

    Args:
        name: The name packs and assessments select it by.
        fold: The exact fold (see :data:`Fold`); with *sees_nodes* it
            also receives node scores (see :data:`NodeFold`).
        vector_fold: An optional vectorised fold, which batch scoring
            uses instead of scoring rows one by one.  It must equal
            *fold* exactly on every row.
        monotone: Whether S never falls as a level score rises.  Plans
            and gap searches need it.
        uses_gate: Whether the rule reads the pack's gate.
        scenarios: An optional exact decomposition for the planner
            (:class:`Scenario`); without one a monotone rule is planned
            by a general (slower) search.
        sees_nodes: Whether *fold* also takes node scores.
        description: One line for listings.

    >>> from fractions import Fraction
    >>> rule = get_rule("additive")
    >>> rule.monotone, rule.uses_gate
    (True, False)
    >>> rule((Fraction(1, 2), Fraction(1, 4)), None).score
    Fraction(3, 4)

    .. versionadded:: 0.2.0
    """

    name: str
    fold: Callable[..., RuleOutcome]
    vector_fold: VectorFold | None = None
    monotone: bool = False
    uses_gate: bool = True
    scenarios: Scenarios | None = None
    sees_nodes: bool = False
    description: str = ""

    def __call__(
        self,
        level_scores: Sequence[Fraction],
        gate: Fraction | None,
        nodes: Mapping[str, Mapping[int, Fraction]] | None = None,
    ) -> RuleOutcome:
        """Fold *level_scores* exactly."""
        if self.sees_nodes:
            return self.fold(tuple(level_scores), gate, nodes or {})
        return self.fold(tuple(level_scores), gate)

    @property
    def plannable(self) -> bool:
        """Whether plans and gap searches can work with this rule."""
        return self.monotone

    def __repr__(self) -> str:
        return f"<LevelRule {self.name}>"


@attrs.frozen(eq=False)
class Aggregation:
    """
    How requirement values fold into a leaf's score and child scores into
    a node's score, at one level.

    Args:
        name: The name packs select it by (``method.aggregation``).
        leaf: The values of a leaf's scorable requirements (never empty)
            to the leaf's score.
        node: (weight, score) of the present children (never empty) to
            the node's score, or ``None`` if the node counts as absent
            (e.g. all present children weigh 0).
        linear: Whether, with presence fixed, every node score is a
            weighted sum of its requirement values whose coefficients
            are the renormalised weights divided by the leaf's count
            (the weighted mean).  Batch scoring, gap gains and plans use
            the shares; otherwise they re-evaluate.
        lowest: Whether a node's score is the lowest scorable value
            anywhere below it (the minimum); batch scoring then takes a
            row minimum per level.
        uses_weights: Whether profile weights matter.

    .. versionadded:: 0.2.0
    """

    name: str
    leaf: Callable[[Sequence[Fraction]], Fraction]
    node: Callable[[Sequence[tuple[Fraction, Fraction]]], Fraction | None]
    linear: bool = False
    lowest: bool = False
    uses_weights: bool = True
    description: str = ""

    def __repr__(self) -> str:
        return f"<Aggregation {self.name}>"


def _mean(values: Sequence[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def _weighted(
    children: Sequence[tuple[Fraction, Fraction]],
) -> Fraction | None:
    total = sum((w for w, _ in children), Fraction(0))
    if not total:
        return None
    return sum((w * x for w, x in children), Fraction(0)) / total


def _lowest_child(
    children: Sequence[tuple[Fraction, Fraction]],
) -> Fraction | None:
    return min(x for _, x in children)


WEIGHTED_MEAN = Aggregation(
    "weighted-mean",
    leaf=_mean,
    node=_weighted,
    linear=True,
    description="leaf = mean of its requirements; node = weighted mean of "
    "its present children, weights renormalised",
)
MINIMUM = Aggregation(
    "minimum",
    leaf=min,
    node=_lowest_child,
    lowest=True,
    uses_weights=False,
    description="leaf and node = the lowest value below them",
)

_AGGREGATIONS: dict[str, Aggregation] = {
    a.name: a for a in (WEIGHTED_MEAN, MINIMUM)
}


def get_aggregation(name: str) -> Aggregation:
    """
    Return the aggregation named *name*.

    Raises:
        UnknownRuleError: If there is none.

    .. versionadded:: 0.2.0
    """
    try:
        return _AGGREGATIONS[name]
    except KeyError:
        raise UnknownRuleError(
            name, sorted(_AGGREGATIONS), kind="aggregation"
        ) from None


def aggregation_names() -> tuple[str, ...]:
    """The names of the aggregations, sorted.

    .. versionadded:: 0.2.0
    """
    return tuple(sorted(_AGGREGATIONS))


# ---------------------------------------------------------------------------
# Registry of level rules

_RULES: dict[str, LevelRule] = {}
_BUILTIN: set[str] = set()


def register_rule(
    rule: LevelRule | str,
    fold: Fold | None = None,
    *,
    replace: bool = False,
) -> LevelRule:
    """
    Register a level rule so packs and assessments can select it.

    Pass a :class:`LevelRule`, or a name and a plain fold
    ``(level_scores, gate) -> RuleOutcome`` (a rule that states no
    monotonicity and has no vectorised fold).

    Raises:
        ValueError: If the name is taken and *replace* is false, or names
            a built-in rule (which can never be replaced).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 Takes a :class:`LevelRule`; built-in rules
       cannot be replaced.
    """
    if isinstance(rule, str):
        if fold is None:
            msg = f"register_rule({rule!r}) needs a fold function"
            raise TypeError(msg)
        rule = LevelRule(rule, fold)
    elif fold is not None:
        msg = "pass either a LevelRule or a name and a fold, not both"
        raise TypeError(msg)
    if rule.name in _BUILTIN:
        msg = f"{rule.name!r} is a built-in level rule and cannot be replaced"
        raise ValueError(msg)
    if rule.name in _RULES and not replace:
        msg = f"a level rule named {rule.name!r} is already registered"
        raise ValueError(msg)
    _RULES[rule.name] = rule
    return rule


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


def is_builtin_rule(name: str) -> bool:
    """Whether *name* is one of the core's own rules.

    .. versionadded:: 0.2.0
    """
    return name in _BUILTIN


# ---------------------------------------------------------------------------
# Built-in rules


def _need_gate(gate: Fraction | None, name: str) -> Fraction:
    if gate is None:
        msg = f"level rule {name!r} needs a gate, and the pack has none"
        raise ValueError(msg)
    return gate


def cumulative_gated(
    level_scores: Sequence[Fraction], gate: Fraction | None
) -> RuleOutcome:
    """
    Sum the level scores from level 1 up at their actual values, stopping
    after the first level whose score is below *gate* (reading A).
    """
    gate = _need_gate(gate, "cumulative-gated")
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
    level_scores: Sequence[Fraction], gate: Fraction | None
) -> RuleOutcome:
    """
    Count every level that passes *gate* as 1 and the first failing level
    (or the top level) at its actual value: S = (m − 1) + X_m (reading B).
    """
    gate = _need_gate(gate, "cumulative-gated-unit")
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


def additive(
    level_scores: Sequence[Fraction],
    gate: Fraction | None,  # noqa: ARG001
) -> RuleOutcome:
    """S = X_1 + … + X_N: every level counts at its value, with no gate."""
    total = Fraction(0)
    steps = []
    for number, x in enumerate(level_scores, start=1):
        total += x
        steps.append(
            f"level {number}: X = {fmt(x)} counts at its value "
            f"(S = {fmt(total)})"
        )
    return RuleOutcome(total, len(level_scores), tuple(steps))


def _first_fail(np: Any, x: Any, gate: int) -> Any:
    fails = x < gate
    return np.where(fails.any(axis=1), fails.argmax(axis=1), x.shape[1] - 1)


def _vector_gated(
    np: Any,
    x: Any,
    gate: int | None,
    denominator: int,  # noqa: ARG001
) -> tuple[Any, Any]:
    assert gate is not None  # noqa: S101 -- uses_gate: the caller checks
    first = _first_fail(np, x, gate)
    rows = np.arange(x.shape[0])
    return np.cumsum(x, axis=1)[rows, first], first + 1


def _vector_gated_unit(
    np: Any, x: Any, gate: int | None, denominator: int
) -> tuple[Any, Any]:
    assert gate is not None  # noqa: S101 -- uses_gate: the caller checks
    first = _first_fail(np, x, gate)
    rows = np.arange(x.shape[0])
    return first * denominator + x[rows, first], first + 1


def _vector_additive(
    np: Any,
    x: Any,
    gate: int | None,  # noqa: ARG001 -- the vectorised-fold signature
    denominator: int,  # noqa: ARG001
) -> tuple[Any, Any]:
    counted = np.full(x.shape[0], x.shape[1], dtype=np.int64)
    return x.sum(axis=1), counted


def _rises_to_pass(
    xs: Sequence[Fraction], gate: Fraction, m: int
) -> dict[int, Fraction]:
    """How far each level below *m* must rise to meet *gate*."""
    return {k: gate - xs[k - 1] for k in range(1, m) if xs[k - 1] < gate}


def _scenarios_gated(
    xs: Sequence[Fraction], gate: Fraction | None, threshold: Fraction
) -> list[Scenario]:
    # S ≥ threshold iff for some m the levels below m pass the gate and
    # X_1 + … + X_m reaches it: with the levels below m passing, at least
    # m levels count, and counting more never lowers S.
    gate = _need_gate(gate, "cumulative-gated")
    out = []
    for m in range(1, len(xs) + 1):
        need = _rises_to_pass(xs, gate, m)
        rest = threshold - sum(xs[:m], Fraction(0))
        out.append(Scenario(m, need, rest if rest > 0 else None))
    return out


def _scenarios_gated_unit(
    xs: Sequence[Fraction], gate: Fraction | None, threshold: Fraction
) -> list[Scenario]:
    # As for reading A, with S counted up to m being (m − 1) + X_m.
    gate = _need_gate(gate, "cumulative-gated-unit")
    out = []
    for m in range(1, len(xs) + 1):
        need = _rises_to_pass(xs, gate, m)
        rest = threshold - (m - 1) - xs[m - 1]
        if rest > 0:
            need[m] = rest
        out.append(Scenario(m, need, None))
    return out


def _scenarios_additive(
    xs: Sequence[Fraction],
    gate: Fraction | None,  # noqa: ARG001 -- the scenarios signature
    threshold: Fraction,
) -> list[Scenario]:
    rest = threshold - sum(xs, Fraction(0))
    return [Scenario(len(xs), {}, rest if rest > 0 else None)]


def _builtin(rule: LevelRule) -> None:
    _RULES[rule.name] = rule
    _BUILTIN.add(rule.name)


_builtin(
    LevelRule(
        "cumulative-gated",
        cumulative_gated,
        vector_fold=_vector_gated,
        monotone=True,
        scenarios=_scenarios_gated,
        description="S = X_1 + … + X_m, m the first level below the gate "
        "(or the top level)",
    )
)
_builtin(
    LevelRule(
        "cumulative-gated-unit",
        cumulative_gated_unit,
        vector_fold=_vector_gated_unit,
        monotone=True,
        scenarios=_scenarios_gated_unit,
        description="S = (m − 1) + X_m, m the first level below the gate "
        "(or the top level)",
    )
)
_builtin(
    LevelRule(
        "additive",
        additive,
        vector_fold=_vector_additive,
        monotone=True,
        uses_gate=False,
        scenarios=_scenarios_additive,
        description="S = X_1 + … + X_N, with no gate",
    )
)
