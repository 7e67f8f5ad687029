"""
Improvement plans: the cheapest set of rating changes that reaches a
level, found exactly and re-scored with :func:`maturity_core.score`.

A plan needs a level rule that declares S never falls as a level score
rises.  Under a linear aggregation each change moves X_k by share ×
Δvalue; under any other the planner evaluates it (:mod:`._gaps`).
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from numbers import Rational
from typing import TYPE_CHECKING, Any

import attrs

from maturity_core._assessment import Assessment
from maturity_core._format import decimal, exact
from maturity_core._model import Pack, RatingOption
from maturity_core._result import Result
from maturity_core._scoring import score
from maturity_core._semantics import Semantics, ratings_of
from maturity_core.exceptions import InputError, ScoringError

from ._gaps import (
    _check_result,
    _default_target,
    _evaluate,
    _linear,
    _raised,
    _Rated,
    _rated,
)


if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult


@attrs.frozen
class Upgrade:
    """
    One step of a plan: raise *requirement* from *current* to *to*.

    .. versionadded:: 0.1.0
    """

    requirement: str
    node: str
    level: int
    current: str | None
    to: str
    effort: Fraction

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; the effort is an exact string."""
        return {
            "requirement": self.requirement,
            "node": self.node,
            "level": self.level,
            "from": self.current,
            "to": self.to,
            "effort": exact(self.effort),
        }


@attrs.frozen(eq=False)
class Plan:
    """
    A minimal set of rating upgrades that reaches *target*.

    ``score`` and ``level`` come from re-scoring the upgraded assessment
    with :func:`maturity_core.score`; that full :class:`Result` is
    ``result``.  ``effort`` is the plan's total effort (its size with
    unit effort).

    >>> plan = improvement_plan(pack, result, target=3)  # doctest: +SKIP
    >>> plan.level >= 3  # doctest: +SKIP
    True

    .. versionadded:: 0.1.0
    """

    target: int
    upgrades: tuple[Upgrade, ...]
    effort: Fraction
    baseline_score: Fraction
    baseline_level: int | None
    result: Result

    @property
    def score(self) -> Fraction:
        """The predicted overall score S, exact."""
        return self.result.score

    @property
    def level(self) -> int | None:
        """The predicted level."""
        return self.result.level

    def __repr__(self) -> str:
        return (
            f"<Plan to level {self.target}: {len(self.upgrades)} upgrades, "
            f"effort {exact(self.effort)}, S={exact(self.score)}>"
        )

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> RenderResult:
        """
        The full view when rich prints the plan: where it starts and
        ends, then every upgrade with its effort.
        """
        from rich.table import Table  # noqa: PLC0415 -- views only
        from rich.text import Text  # noqa: PLC0415

        del console, options
        yield Text(
            f"To reach level {self.target} from level "
            f"{self.baseline_level} (S = {decimal(self.baseline_score)}): "
            f"{len(self.upgrades)} upgrades, effort {exact(self.effort)}; "
            f"predicted S = {decimal(self.score)} "
            f"(exact {exact(self.score)}), level {self.level}"
        )
        table = Table(title="Upgrades", title_justify="left")
        for column in ("Requirement", "Level", "From", "To", "Effort"):
            table.add_column(column)
        for u in self.upgrades:
            table.add_row(
                u.requirement,
                str(u.level),
                u.current or "unrated",
                u.to,
                exact(u.effort),
            )
        yield table

    @property
    def assessment(self) -> Assessment:
        """The upgraded assessment."""
        return self.result.assessment

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; numbers are exact strings."""
        return {
            "target": self.target,
            "baseline_score": exact(self.baseline_score),
            "baseline_level": self.baseline_level,
            "score": exact(self.score),
            "score_decimal": decimal(self.score),
            "level": self.level,
            "effort": exact(self.effort),
            "upgrades": [u.to_dict() for u in self.upgrades],
        }


# -- the linear model -------------------------------------------------------


def _efforts(
    pack: Pack, effort: Mapping[str, Any] | None
) -> dict[str, Fraction]:
    out: dict[str, Fraction] = {}
    for rid, raw in (effort or {}).items():
        if rid not in pack.requirements_by_id:
            raise InputError(
                None,
                f"$[{rid!r}]",
                f"'effort' keys must be requirement ids of pack {pack.id}",
            )
        value = None if isinstance(raw, str) else _fraction(raw)
        if value is None or value <= 0:
            raise _bad_effort(rid, raw, None)
        out[rid] = value
    return out


def efforts_from_json(data: Any, source: str | None) -> dict[str, Fraction]:
    """
    The efforts of a parsed JSON effort file: an object mapping
    requirement ids to positive numbers or exact strings (``"1/3"``).

    Raises:
        InputError: With the JSON path of the first value that is not a
            positive exact number of bounded size.
    """
    if not isinstance(data, dict):
        raise InputError(
            source,
            "$",
            "effort must be a JSON object mapping requirement ids to "
            "positive numbers",
        )
    out = {}
    for rid, raw in data.items():
        value = _fraction(raw)
        if value is None or value <= 0:
            raise _bad_effort(rid, raw, source)
        out[rid] = value
    return out


def _bad_effort(rid: str, raw: Any, source: str | None) -> InputError:
    return InputError(
        source,
        f"$[{rid!r}]",
        f"'effort' values must be positive exact numbers of at most "
        f"{_EFFORT_DIGITS} digits before and after the point, or fractions "
        f"of such integers (got {str(raw)[:40]!r}; e.g. 2, 0.5 or "
        '"1/3")',
    )


#: The digits an effort may have before and after its point.
_EFFORT_DIGITS = 18
_EFFORT = re.compile(r"(0|[1-9][0-9]{0,17})(\.[0-9]{1,18}|/[1-9][0-9]{0,17})?")
_EFFORT_BOUND = 10**_EFFORT_DIGITS


def _fraction(raw: Any) -> Fraction | None:
    """
    *raw* as an exact positive-or-zero number, or ``None`` if it is not a
    number of bounded size (checked before any big-number arithmetic).
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, Rational):
        value = Fraction(int(raw.numerator), int(raw.denominator))
        bound = _EFFORT_BOUND**2
        ok = abs(value.numerator) < bound and value.denominator < bound
        return value if ok else None
    if isinstance(raw, float):
        # A float effort means its shortest decimal repr (0.1 is 1/10).
        raw = repr(raw)
    elif isinstance(raw, Decimal):
        raw = str(raw)
    if isinstance(raw, str) and _EFFORT.fullmatch(raw):
        return Fraction(raw)
    return None


@attrs.frozen
class _Cand:
    """A requirement the plan may raise to the top, in scaled integers."""

    id: str
    level: int
    gain: int
    cost: int


# A chosen set, as a persistent structure: None, ("item", cand, rest) or
# ("join", left, right); flattened once, for the winning plan only.
_Chosen = tuple[Any, ...] | None
_Point = tuple[int, int, _Chosen]


def _flatten(chosen: _Chosen) -> list[_Cand]:
    out: list[_Cand] = []
    stack = [chosen]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if node[0] == "item":
            out.append(node[1])
            stack.append(node[2])
        else:
            stack.extend(node[1:])
    return out


def _pareto(points: Iterable[_Point]) -> list[_Point]:
    """Keep the points no cheaper-or-equal point beats in gain."""
    out: list[_Point] = []
    for point in points:
        if not out or point[1] > out[-1][1]:
            out.append(point)
    return out


def _frontier(cands: Sequence[_Cand], cap: int, bound: int) -> list[_Point]:
    """
    The exact cost/gain Pareto frontier of the subsets of *cands*
    (Nemhauser–Ullmann), gains capped at *cap*, costs at most *bound*.

    Sorted by cost with strictly rising gain: for every subset within
    *bound* some point costs no more and gains no less.
    """
    front: list[_Point] = [(0, 0, None)]
    for cand in cands:
        shifted = [
            (c + cand.cost, min(g + cand.gain, cap), ("item", cand, ch))
            for c, g, ch in front
            if c + cand.cost <= bound
        ]
        front = _pareto(
            heapq.merge(front, shifted, key=lambda p: (p[0], -p[1]))
        )
    return front


def _join(
    left: Sequence[_Point], right: Sequence[_Point], cap: int, bound: int
) -> list[_Point]:
    points = [
        (c1 + c2, min(g1 + g2, cap), ("join", ch1, ch2))
        for c1, g1, ch1 in left
        for c2, g2, ch2 in right
        if c1 + c2 <= bound
    ]
    points.sort(key=lambda p: (p[0], -p[1]))
    return _pareto(points)


def _scale(values: Iterable[Fraction]) -> int:
    return math.lcm(1, *(v.denominator for v in values))


def _ceil(value: Fraction, scale: int) -> int:
    return -(-value.numerator * scale // value.denominator)


def _greedy(
    by_level: Mapping[int, Sequence[_Cand]],
    need: Mapping[int, int],
    total: int,
) -> int | None:
    """The cost of some feasible choice (an upper bound), or None."""
    taken: set[str] = set()
    gained = 0
    cost = 0

    def ratio(c: _Cand) -> Fraction:
        return Fraction(c.gain, c.cost)

    for level, amount in need.items():
        got = 0
        for cand in sorted(by_level[level], key=ratio, reverse=True):
            if got >= amount:
                break
            taken.add(cand.id)
            got += cand.gain
            cost += cand.cost
        if got < amount:
            return None
        gained += got
    if gained < total:
        rest = [c for cs in by_level.values() for c in cs if c.id not in taken]
        for cand in sorted(rest, key=ratio, reverse=True):
            if gained >= total:
                break
            gained += cand.gain
            cost += cand.cost
        if gained < total:
            return None
    return cost


def _solve(
    by_level: Mapping[int, Sequence[_Cand]],
    need: Mapping[int, int],
    total: int,
    bound: int,
) -> tuple[int, list[_Cand]] | None:
    """
    The cheapest choice (cost ≤ *bound*) meeting every level's *need* and
    gaining *total* over all of *by_level*'s levels, or None.

    Only (cost, gain) of a level's choice matters to the constraints, and
    both are monotone, so per-level Pareto frontiers (filtered by the
    level's need) combined by sum lose no optimum.
    """
    cost = 0
    chosen: list[_Cand] = []
    joined: list[_Point] = [(0, 0, None)]
    for level, cands in by_level.items():
        amount = need.get(level, 0)
        cap = max(amount, total)  # > 0: a listed level has a need or total
        front = [p for p in _frontier(cands, cap, bound) if p[1] >= amount]
        if not front:
            return None
        if total:
            joined = _join(joined, front, total, bound)
        else:
            cost += front[0][0]
            chosen += _flatten(front[0][2])
    if total:
        for c, g, ch in joined:
            if g >= total:
                return c, _flatten(ch)
        return None
    return (cost, chosen) if cost <= bound else None


def improvement_plan(
    pack: Pack,
    result: Result,
    *,
    target: int | None = None,
    effort: Mapping[str, Any] | None = None,
) -> Plan:
    """
    The cheapest set of rating upgrades that lifts *result* to *target*.

    With unit effort (the default) this is the smallest number of
    upgrades; with *effort* (requirement id → positive number, 1 for
    ids not given) the least total effort.  The search is exact: the
    level rule declares that S never falls as a level score rises, and
    both aggregations are monotone in every rating, so raising a
    requirement to its rubric's top option is never worse than to a
    lower one for the same effort.  The search chooses among 0/1 "raise
    to top" decisions: with a linear aggregation and a rule that
    decomposes into covering scenarios it solves each scenario with
    exact cost/gain Pareto frontiers; otherwise it combines per-level
    frontiers of (cost, X_k) and folds each combination exactly.  Each
    chosen upgrade is then lowered to the least option that keeps
    *target* reached, and the upgraded assessment is re-scored with
    :func:`maturity_core.score`.

    Args:
        pack: The pack *result* was scored against.
        result: A result of :func:`maturity_core.score`.
        target: The level to reach; the next level by default (capped
            at the pack's top level).  An empty plan if already reached.
        effort: The effort of raising each requirement.

    Raises:
        ValueError: If *target* or *effort* is invalid.
        ScoringError: If *target* cannot be reached even with every
            requirement at the top value, if the pack has no levels, or
            if *result*'s rule does not declare that S never falls as a
            level score rises.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 Any monotone rule, any aggregation.
    """
    _check_result(pack, result)
    target = _default_target(pack, result, target)
    efforts = _efforts(pack, effort)
    sem = result.semantics
    rated, any_unrated = _rated(result)
    if (result.level or 0) >= target:
        return Plan(
            target, (), Fraction(0), result.score, result.level, result
        )
    if not sem.rule.monotone:
        raise ScoringError(
            f"level rule {result.rule!r} does not declare that S never "
            "falls as a level score rises, so no plan can be searched "
            "exactly (a pack's rule states it with LevelRule(monotone=True))",
            result.assessment.source,
        )
    threshold = sem.threshold(target)
    candidates = {r.req.id: r for r in rated if r.value < r.top.value}
    costs = {rid: efforts.get(rid, Fraction(1)) for rid in candidates}
    if _linear(sem) and sem.rule.scenarios is not None:
        # A zero share cannot move any X_k.
        by_id = {
            rid: r for rid, r in candidates.items() if r.share and r.share > 0
        }
        chosen = _cheapest(sem, result, target, threshold, by_id, costs)
    else:
        by_id = candidates
        chosen = _search(sem, result, target, threshold, by_id, costs)
    to = _relax(sem, result, target, by_id, chosen)
    rescored = score(
        pack,
        result.assessment.with_ratings({rid: to[rid].id for rid in chosen}),
        profile=result.profile,
        rule=result.rule,
        unrated="none" if any_unrated else "error",
    )
    if (rescored.level or 0) < target:  # pragma: no cover -- a bug if reached
        raise ScoringError(
            f"internal error: the plan re-scores to level {rescored.level}, "
            f"not {target}",
            result.assessment.source,
        )
    upgrades = tuple(
        Upgrade(
            rid,
            by_id[rid].req.node,
            by_id[rid].req.level,
            by_id[rid].rating,
            to[rid].id,
            costs[rid],
        )
        for rid in chosen
    )
    return Plan(
        target=target,
        upgrades=upgrades,
        effort=sum((u.effort for u in upgrades), Fraction(0)),
        baseline_score=result.score,
        baseline_level=result.level,
        result=rescored,
    )


def _reaches(sem: Semantics, s: Fraction, target: int) -> bool:
    return (sem.band(s)[0] or 0) >= target


def _cheapest(  # noqa: PLR0913, PLR0917 -- the search state
    sem: Semantics,
    result: Result,
    target: int,
    threshold: Fraction,
    by_id: Mapping[str, _Rated],
    costs: Mapping[str, Fraction],
) -> list[str]:
    """
    The ids of a cheapest set that reaches *threshold* raised to the top,
    largest X gain first within each level, by the rule's scenarios.

    Raises:
        ScoringError: If no set reaches it.
    """
    assert sem.rule.scenarios is not None  # noqa: S101 -- checked by caller
    gains = {
        rid: (r.share or Fraction(0)) * (r.top.value - r.value)
        for rid, r in by_id.items()
    }
    scenarios = sem.rule.scenarios(result.level_scores, sem.gate, threshold)
    # Exact integers: every gain and threshold over one denominator, and
    # every cost over another (divided by the costs' gcd).
    gain_scale = _scale(
        [
            *gains.values(),
            *(v for s in scenarios for v in s.need.values()),
            *(s.total for s in scenarios if s.total is not None),
        ]
    )
    scaled, divisor = _scaled_costs(costs)
    by_level: dict[int, list[_Cand]] = {}
    for rid, r in by_id.items():
        by_level.setdefault(r.req.level, []).append(
            _Cand(
                rid,
                r.req.level,
                int(gains[rid] * gain_scale),
                scaled[rid] // divisor,
            )
        )

    problems = []
    for s in scenarios:
        levels = {
            k: by_level.get(k, [])
            for k in range(1, s.counted + 1)
            if s.total is not None or k in s.need
        }
        need = {k: _ceil(v, gain_scale) for k, v in s.need.items()}
        total = 0 if s.total is None else _ceil(s.total, gain_scale)
        bound = _greedy(levels, need, total)
        if bound is not None:
            problems.append((s.counted, levels, need, total, bound))
    if not problems:
        raise ScoringError(
            _unreachable(sem, result, target, threshold),
            result.assessment.source,
        )
    bound = min(p[-1] for p in problems)

    best: tuple[tuple[int, Fraction, int], list[_Cand]] | None = None
    for counted, levels, need, total, _ in problems:
        found = _solve(levels, need, total, bound)
        if found is None:
            continue
        cost, chosen = found
        xs = _raised(
            result.level_scores, [(c.level, gains[c.id]) for c in chosen]
        )
        # Cheapest first; then the highest S; then the fewest levels.
        key = (cost, -sem.fold(xs).score, counted)
        if best is None or key < best[0]:
            best = (key, chosen)
    assert best is not None  # noqa: S101 -- the bound's own scenario solves
    return [
        c.id for c in sorted(best[1], key=lambda c: (c.level, -c.gain, c.id))
    ]


def _scaled_costs(
    costs: Mapping[str, Fraction],
) -> tuple[dict[str, int], int]:
    cost_scale = _scale(costs.values())
    scaled = {rid: int(c * cost_scale) for rid, c in costs.items()}
    divisor = math.gcd(*scaled.values()) if scaled else 1
    return scaled, divisor or 1


#: The most combinations the general plan search folds before it gives up.
SEARCH_LIMIT = 2_000_000


def _level_frontier(
    sem: Semantics,
    result: Result,
    level: int,
    cands: Sequence[_Rated],
    scaled: Mapping[str, int],
) -> list[tuple[int, Fraction, tuple[str, ...]]]:
    """
    The exact (cost, X_level) Pareto frontier of raising subsets of
    *cands* (all at *level*) to the top: sorted by cost with strictly
    rising X.
    """
    x0 = result.level_scores[level - 1]
    if sem.aggregation.linear:
        scale = _scale(
            [(r.share or Fraction(0)) * (r.top.value - r.value) for r in cands]
        )
        items = [
            _Cand(
                r.req.id,
                level,
                int(
                    (r.share or Fraction(0)) * (r.top.value - r.value) * scale
                ),
                scaled[r.req.id],
            )
            for r in cands
        ]
        total = sum(c.gain for c in items)
        bound = sum(c.cost for c in items)
        front = _frontier(items, max(total, 1), bound)
        return [
            (c, x0 + Fraction(g, scale), tuple(x.id for x in _flatten(ch)))
            for c, g, ch in front
        ]
    # The lowest value: raising every candidate below t lifts X to t.
    ratings = ratings_of(result.assessment)
    out: list[tuple[int, Fraction, tuple[str, ...]]] = [(0, x0, ())]
    values = sorted({r.value for r in cands})
    for i, _ in enumerate(values):
        raised = tuple(r.req.id for r in cands if r.value <= values[i])
        cost = sum(scaled[rid] for rid in raised)
        changes = {
            rid: sem.rubric(sem.pack.requirements_by_id[rid]).top.id
            for rid in raised
        }
        x = sem.what_if(ratings, changes).level_scores[level - 1]
        if x > out[-1][1]:
            out.append((cost, x, raised))
    return out


def _search(  # noqa: C901, PLR0913, PLR0917 -- one exact search, in order
    sem: Semantics,
    result: Result,
    target: int,
    threshold: Fraction,
    by_id: Mapping[str, _Rated],
    costs: Mapping[str, Fraction],
) -> list[str]:
    """
    The ids of a cheapest set reaching *threshold* for a monotone rule:
    one frontier point per level, combined depth first with the cheapest
    cost found so far as the bound, each combination folded exactly.
    """
    scaled, divisor = _scaled_costs(costs)
    scaled = {rid: c // divisor for rid, c in scaled.items()}
    levels = sem.pack.level_numbers
    by_level: dict[int, list[_Rated]] = {k: [] for k in levels}
    for r in by_id.values():
        by_level[r.req.level].append(r)
    if sem.rule.sees_nodes or not (
        sem.aggregation.linear or sem.aggregation.lowest
    ):
        return _search_subsets(sem, result, target, by_id, scaled)
    fronts = [
        _level_frontier(sem, result, k, by_level[k], scaled) for k in levels
    ]
    best: list[Any] = [None, None]
    work = [0]

    def fold(xs: Sequence[Fraction]) -> Fraction:
        work[0] += 1
        if work[0] > SEARCH_LIMIT:
            raise ScoringError(
                f"the plan search for rule {sem.rule.name!r} needs more than "
                f"{SEARCH_LIMIT:,} evaluations; give the rule scenarios "
                "(LevelRule(scenarios=…)) for an exact decomposition",
                result.assessment.source,
            )
        return sem.fold(xs).score

    def visit(
        j: int, cost: int, xs: list[Fraction], chosen: list[str]
    ) -> None:
        if best[0] is not None and cost > best[0][0]:
            return
        if j == len(levels):
            s = fold(xs)
            if s >= threshold:
                key = (cost, -s)
                if best[0] is None or key < best[0]:
                    best[0], best[1] = key, list(chosen)
            return
        for c, x, ids in fronts[j]:
            if best[0] is not None and cost + c > best[0][0]:
                break
            xs.append(x)
            chosen.extend(ids)
            visit(j + 1, cost + c, xs, chosen)
            del chosen[len(chosen) - len(ids) :]
            xs.pop()

    visit(0, 0, [], [])
    if best[1] is None:
        raise ScoringError(
            _unreachable(sem, result, target, threshold),
            result.assessment.source,
        )
    return sorted(best[1], key=lambda rid: (by_id[rid].req.level, rid))


#: The most candidates the subset search of a rule that reads node
#: scores considers.
SUBSET_LIMIT = 20


def _search_subsets(
    sem: Semantics,
    result: Result,
    target: int,
    by_id: Mapping[str, _Rated],
    scaled: Mapping[str, int],
) -> list[str]:
    """Every subset, cheapest first: for rules that read node scores."""
    import itertools  # noqa: PLC0415

    ids = sorted(by_id)
    if len(ids) > SUBSET_LIMIT:
        raise ScoringError(
            f"rule {sem.rule.name!r} reads node scores, so plans try every "
            f"set of upgrades; {len(ids)} candidates exceed the limit of "
            f"{SUBSET_LIMIT}",
            result.assessment.source,
        )
    ratings = ratings_of(result.assessment)
    options = sorted(
        (sum(scaled[i] for i in subset), subset)
        for n in range(len(ids) + 1)
        for subset in itertools.combinations(ids, n)
    )
    for _, subset in options:
        changes = {rid: by_id[rid].top.id for rid in subset}
        if _reaches(sem, sem.what_if(ratings, changes).score, target):
            return sorted(subset, key=lambda rid: (by_id[rid].req.level, rid))
    raise ScoringError(
        f"level {target} cannot be reached under rule {sem.rule.name} "
        "with every in-scope requirement rated at its rubric's top",
        result.assessment.source,
    )


def _relax(
    sem: Semantics,
    result: Result,
    target: int,
    by_id: Mapping[str, _Rated],
    chosen: Sequence[str],
) -> dict[str, RatingOption]:
    """
    Lower each chosen upgrade, in order, to the least option that keeps
    *target* reached (same effort, less to do).
    """
    to = {rid: by_id[rid].top for rid in chosen}
    ratings = ratings_of(result.assessment)

    def reaches() -> bool:
        if _linear(sem):
            xs = _raised(
                result.level_scores,
                [
                    (r.req.level, (r.share or 0) * (to[rid].value - r.value))
                    for rid in chosen
                    for r in [by_id[rid]]
                ],
            )
            return _reaches(sem, sem.fold(xs).score, target)
        changes = {rid: to[rid].id for rid in chosen}
        return _reaches(sem, sem.what_if(ratings, changes).score, target)

    for rid in chosen:
        r = by_id[rid]
        options = sorted(sem.rubric(r.req).options, key=lambda o: o.value)
        for option in options:
            if not r.value < option.value < r.top.value:
                continue
            to[rid] = option
            if reaches():
                break
            to[rid] = r.top
    return to


def _unreachable(
    sem: Semantics, result: Result, target: int, threshold: Fraction
) -> str:
    """Why *target* is out of reach even with every rating at the top."""
    rated, _ = _rated(result)
    xs, best = _evaluate(sem, result, {r.req.id: r.top.id for r in rated})
    return (
        f"level {target} needs S ≥ {threshold}, but S is at most {best} "
        f"under rule {result.rule} with every in-scope requirement rated "
        f"at its rubric's top (X at best: "
        f"{', '.join(str(x) for x in xs)}); not-applicable ratings and "
        "tailoring stay as they are"
    )
