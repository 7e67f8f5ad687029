"""
Gap analysis: what stands between a result and a level.

It works on a :class:`Result` and stays exact, and (like the improvement
planner in :mod:`._plan`, which shares the helpers here) takes every
definition from the result's :class:`~maturity_core._semantics.Semantics`.
A rating of a requirement at level k moves only X_k.  Under a linear
aggregation (the weighted mean), while the ``na`` ratings stay as they
are, X_k = Σ share(r) × value(r) (:meth:`Semantics.shares`), so a change
moves X_k by share × Δvalue; under any other aggregation the change is
evaluated.  The level rule turns X_1..X_N into S.  Plans need a rule
that declares S never falls as a level score rises; they are re-scored
with :func:`maturity_core.score` before they are returned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs

from maturity_core._format import decimal, exact, exact_or_none
from maturity_core._model import Pack, RatingOption, Requirement
from maturity_core._result import Result
from maturity_core._semantics import Semantics, ratings_of
from maturity_core.exceptions import ScoringError


@attrs.frozen
class LeafStanding:
    """
    One leaf and its exact scores at the current level and at
    the next one (``None`` where it is absent or there is no such level).

    .. versionadded:: 0.1.0
    """

    node: str
    kind: str
    current_score: Fraction | None
    next_score: Fraction | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; scores are exact strings."""
        return {
            "node": self.node,
            "kind": self.kind,
            "current_score": exact_or_none(self.current_score),
            "next_score": exact_or_none(self.next_score),
        }


@attrs.frozen
class Gap:
    """
    One in-scope requirement not rated with the rubric's top value.

    Args:
        requirement: The requirement id.
        node: Its leaf.
        level: Its level.
        rating: Its current rating (``None`` if unrated and scored as the
            lowest value).
        top: The rubric's top rating.
        value: The current rating's exact value.
        share: The requirement's exact share of X_level (``None`` under
            an aggregation that is not linear).
        level_gain: How much X_level rises if it alone is raised to *top*.
        gain: How much S rises if it alone is raised to *top* (the
            marginal gain; 0 where the rule does not count its level).

    .. versionadded:: 0.1.0
    """

    requirement: str
    node: str
    level: int
    rating: str | None
    top: str
    value: Fraction
    share: Fraction | None
    level_gain: Fraction
    gain: Fraction

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; numbers are exact strings."""
        return {
            "requirement": self.requirement,
            "node": self.node,
            "level": self.level,
            "rating": self.rating,
            "top": self.top,
            "value": exact(self.value),
            "share": exact_or_none(self.share),
            "level_gain": exact(self.level_gain),
            "gain": exact(self.gain),
            "gain_decimal": decimal(self.gain, 4),
        }


@attrs.frozen
class GapGroup:
    """
    The gaps below one node, best gain first.

    .. versionadded:: 0.1.0
    """

    node: str
    kind: str
    gaps: tuple[Gap, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: the node and its gaps' requirement ids."""
        return {
            "node": self.node,
            "kind": self.kind,
            "count": len(self.gaps),
            "requirements": [g.requirement for g in self.gaps],
        }


@attrs.frozen
class GapAnalysis:
    """
    Where an assessment stands and what stands between it and *target*.

    ``strengths`` ranks the in-scope leaves strongest first by their score
    at ``next_level`` (then at ``current_level``, then id); ``weaknesses``
    is the same ranking weakest first.  Leaves absent at both levels are
    left out.  ``gaps`` lists every in-scope requirement at a level
    ≤ *target* not rated with the top value, by marginal gain (largest
    first, ties by id); ``groups[d - 1]`` groups them under their
    ancestors at depth *d* (1 = the top-level nodes), for every depth
    above the leaves, in tree order.

    >>> gaps = gap_analysis(pack, result)  # doctest: +SKIP
    >>> gaps.gaps[0].requirement  # doctest: +SKIP
    'a1.y.1'

    .. versionadded:: 0.1.0
    """

    pack: str
    profile: str
    rule: str
    score: Fraction
    level: int | None
    target: int
    current_level: int | None
    next_level: int | None
    strengths: tuple[LeafStanding, ...]
    weaknesses: tuple[LeafStanding, ...]
    gaps: tuple[Gap, ...]
    groups: tuple[tuple[GapGroup, ...], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; numbers are exact strings."""
        return {
            "pack": self.pack,
            "profile": self.profile,
            "rule": self.rule,
            "score": exact(self.score),
            "level": self.level,
            "target": self.target,
            "current_level": self.current_level,
            "next_level": self.next_level,
            "strengths": [s.to_dict() for s in self.strengths],
            "weaknesses": [s.to_dict() for s in self.weaknesses],
            "gaps": [g.to_dict() for g in self.gaps],
            "groups": [
                {"depth": d, "groups": [g.to_dict() for g in groups]}
                for d, groups in enumerate(self.groups, start=1)
            ],
        }


@attrs.frozen
class _Rated:
    """
    An in-scope, scorable requirement with its rubric's top option and
    its share of X_level (``None`` under a non-linear aggregation).
    """

    req: Requirement
    rating: str | None
    value: Fraction
    share: Fraction | None
    top: RatingOption


def _check_result(pack: Pack, result: Result) -> None:
    if result.pack.id != pack.id:
        msg = (
            f"'result' must be a result for pack {pack.id!r} "
            f"(got one for {result.pack.id!r})"
        )
        raise ValueError(msg)


def _rated(result: Result) -> tuple[list[_Rated], bool]:
    """
    Every in-scope requirement that is not ``na``, with its exact share,
    and whether some of them are unrated (scored as the lowest value).
    """
    sem = result.semantics
    ratings = ratings_of(result.assessment)
    shares = (
        sem.shares(sem.counts(ratings)) if sem.aggregation.linear else None
    )
    out = []
    for req in sem.requirements:
        rating = ratings.get(req.id)
        value = sem.value(req, rating)
        if value is None:
            continue
        share = (
            None
            if shares is None
            else shares.get((req.node, req.level), Fraction(0))
        )
        out.append(_Rated(req, rating, value, share, sem.rubric(req).top))
    return out, any(r.rating is None for r in out)


def _linear(sem: Semantics) -> bool:
    """Whether a rating change moves S only through shares of X."""
    return sem.aggregation.linear and not sem.rule.sees_nodes


def _evaluate(
    sem: Semantics, result: Result, changes: Mapping[str, str]
) -> tuple[tuple[Fraction, ...], Fraction]:
    """X and S after *changes*, by the full semantics."""
    ev = sem.what_if(ratings_of(result.assessment), changes)
    return ev.level_scores, ev.score


def _raised(
    level_scores: Sequence[Fraction], changes: Iterable[tuple[int, Fraction]]
) -> tuple[Fraction, ...]:
    xs = list(level_scores)
    for level, delta in changes:
        xs[level - 1] += delta
    return tuple(xs)


def _default_target(pack: Pack, result: Result, target: object) -> int:
    top_level = len(pack.levels)
    if not pack.has_levels:
        msg = (
            f"pack {pack.id} has no level bands, so there is no level to "
            "aim for"
        )
        raise ScoringError(msg, result.assessment.source)
    if target is None:
        return min((result.level or 0) + 1, top_level)
    if (
        isinstance(target, bool)
        or not isinstance(target, int)
        or not 1 <= target <= top_level
    ):
        msg = (
            f"'target' must be a level of pack {pack.id} (1..{top_level}) "
            f"(got {target!r})"
        )
        raise ValueError(msg)
    return target


# -- gap analysis -----------------------------------------------------------


def gap_analysis(
    pack: Pack, result: Result, *, target: int | None = None
) -> GapAnalysis:
    """
    Rank *result*'s leaves and list what keeps it below *target*, exactly.

    Each gap's marginal gain is the exact rise of S if that requirement
    alone were raised to the rubric's top value: its share of X_level
    times the rise of its value, folded into S by *result*'s level rule.

    Args:
        pack: The pack *result* was scored against.
        result: A result of :func:`maturity_core.score`.
        target: The level to aim for; the next level by default (capped
            at the pack's top level).

    Raises:
        ValueError: If *target* is not a level of *pack*.

    .. versionadded:: 0.1.0
    """
    _check_result(pack, result)
    sem = result.semantics
    if pack.has_levels:
        target = _default_target(pack, result, target)
    else:
        target = max(pack.level_numbers)
    rated, _ = _rated(result)

    gaps = []
    for r in rated:
        if r.value >= r.top.value or r.req.level > target:
            continue
        k = r.req.level
        if _linear(sem) and r.share is not None:
            level_gain = r.share * (r.top.value - r.value)
            xs = _raised(result.level_scores, [(k, level_gain)])
            s_new = sem.fold(xs).score
        else:
            xs, s_new = _evaluate(sem, result, {r.req.id: r.top.id})
            level_gain = xs[k - 1] - result.level_scores[k - 1]
        gaps.append(
            Gap(
                requirement=r.req.id,
                node=r.req.node,
                level=k,
                rating=r.rating,
                top=r.top.id,
                value=r.value,
                share=r.share,
                level_gain=level_gain,
                gain=s_new - result.score,
            )
        )
    gaps.sort(key=lambda g: (-g.gain, g.requirement))

    top_level = len(pack.levels)
    reached = result.level or 0
    current = reached or None
    nxt = reached + 1 if reached < top_level else None
    leaves = [
        LeafStanding(
            nid,
            pack.nodes[nid].kind,
            result.node_score(nid, current) if current else None,
            result.node_score(nid, nxt) if nxt else None,
        )
        for nid in _tree_order(pack, result)
        if pack.nodes[nid].is_leaf
    ]
    leaves = [
        s
        for s in leaves
        if s.current_score is not None or s.next_score is not None
    ]

    def key(s: LeafStanding) -> tuple[bool, Fraction, bool, Fraction]:
        # Absent scores rank last in both orders.
        return (
            s.next_score is None,
            s.next_score or Fraction(0),
            s.current_score is None,
            s.current_score or Fraction(0),
        )

    strengths = sorted(
        leaves,
        key=lambda s: (key(s)[0], -key(s)[1], key(s)[2], -key(s)[3], s.node),
    )
    weaknesses = sorted(leaves, key=lambda s: (*key(s), s.node))

    return GapAnalysis(
        pack=pack.id,
        profile=result.profile,
        rule=result.rule,
        score=result.score,
        level=result.level,
        target=target,
        current_level=current,
        next_level=nxt,
        strengths=tuple(strengths),
        weaknesses=tuple(weaknesses),
        gaps=tuple(gaps),
        groups=tuple(
            _groups(pack, result, gaps, d - 1)
            for d in range(1, pack.max_depth)
        ),
    )


def _tree_order(pack: Pack, result: Result) -> list[str]:
    return [n.id for n in pack.root.walk() if n.id in result.nodes]


def _groups(
    pack: Pack, result: Result, gaps: Sequence[Gap], depth: int
) -> tuple[GapGroup, ...]:
    """Group *gaps* under their ancestor *depth* levels below the root."""
    members: dict[str, list[Gap]] = {}
    for gap in gaps:
        chain = [*reversed(list(pack.ancestors(gap.node))), gap.node]
        members.setdefault(chain[min(depth, len(chain) - 1)], []).append(gap)
    return tuple(
        GapGroup(nid, pack.nodes[nid].kind, tuple(members[nid]))
        for nid in _tree_order(pack, result)
        if nid in members
    )


def __getattr__(name: str) -> Any:
    # The improvement planner lives in _plan; its names are still found
    # here.
    if name in {"Plan", "Upgrade", "efforts_from_json", "improvement_plan"}:
        from . import _plan  # noqa: PLC0415

        return getattr(_plan, name)
    msg = f"module {__name__} has no attribute {name}"
    raise AttributeError(msg)
