"""
Comparing two results of one pack: last year's and this year's.

Everything is exact: the change of S, of every level score X_k and of
every node's score at every level, and which requirements changed
rating.  A pack's major version is a promise that scores of different
majors are not comparable, so comparing across majors is refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

from maturity_core._format import exact, exact_or_none
from maturity_core._scoring import Result
from maturity_core.exceptions import AssessmentError, Problem


def _major(version: str) -> str:
    return version.split(".", maxsplit=1)[0]


@attrs.frozen
class NodeChange:
    """
    One node's score at one level, before and after (``None`` where the
    node has nothing scorable at that level).

    .. versionadded:: 0.1.0
    """

    node: str
    level: int
    before: Fraction | None
    after: Fraction | None

    @property
    def delta(self) -> Fraction | None:
        """*after* − *before*, or ``None`` if either is absent."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    def to_dict(self) -> dict[str, str | None]:
        """JSON-ready data; numbers are exact strings."""
        return {
            "before": exact_or_none(self.before),
            "after": exact_or_none(self.after),
            "delta": exact_or_none(self.delta),
        }


@attrs.frozen
class RatingChange:
    """
    A requirement rated differently before and after.

    ``before`` and ``after`` are ``None`` where the requirement was
    unrated or out of scope; ``delta`` is the change of its exact rubric
    value, ``None`` if either side has no value (``na``, unrated or out
    of scope).

    .. versionadded:: 0.1.0
    """

    requirement: str
    level: int
    before: str | None
    after: str | None
    delta: Fraction | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; numbers are exact strings."""
        return {
            "requirement": self.requirement,
            "level": self.level,
            "before": self.before,
            "after": self.after,
            "delta": exact_or_none(self.delta),
        }


@attrs.frozen
class Comparison:
    """
    What changed between two results of one pack (see :func:`compare`).

    Args:
        pack: The pack id.
        versions: The pack version before and after.
        profiles: The profile before and after.
        rules: The level rule before and after.
        levels: The level numbers.
        level_scores_before: X_1..X_N before.
        level_scores_after: X_1..X_N after.
        score_before: S before.
        score_after: S after.
        level_before: The level reached before (0 for none; ``None`` for
            a pack without bands).
        level_after: The level reached after.
        nodes: Every node in scope in both results at every level where
            either has a score, in tree order.
        only_before: Nodes in scope before but not after, in tree order.
        only_after: Nodes in scope after but not before.
        newly_met: Requirements rated with the rubric's top value after
            and not before.
        newly_lost: Requirements rated with the top value before and not
            after.
        improved: Requirements whose rating value went up.
        worsened: Requirements whose rating value went down.
        other_changes: Rating changes with no value on one side (to or
            from ``na``, unrated or out of scope), or between two ratings
            of the same value (a rating renamed by a new pack version).

    .. versionadded:: 0.1.0
    """

    pack: str
    versions: tuple[str, str]
    profiles: tuple[str, str]
    rules: tuple[str, str]
    levels: tuple[int, ...]
    level_scores_before: tuple[Fraction, ...]
    level_scores_after: tuple[Fraction, ...]
    score_before: Fraction
    score_after: Fraction
    level_before: int | None
    level_after: int | None
    nodes: tuple[NodeChange, ...]
    only_before: tuple[str, ...]
    only_after: tuple[str, ...]
    newly_met: tuple[str, ...]
    newly_lost: tuple[str, ...]
    improved: tuple[RatingChange, ...]
    worsened: tuple[RatingChange, ...]
    other_changes: tuple[RatingChange, ...]

    @property
    def score_delta(self) -> Fraction:
        """ΔS = S after − S before."""
        return self.score_after - self.score_before

    @property
    def level_delta(self) -> int:
        """Levels gained (negative if lost)."""
        return (self.level_after or 0) - (self.level_before or 0)

    @property
    def level_score_deltas(self) -> tuple[Fraction, ...]:
        """ΔX_k for every level k, lowest first."""
        return tuple(
            a - b
            for b, a in zip(
                self.level_scores_before, self.level_scores_after, strict=True
            )
        )

    @property
    def node_deltas(self) -> Mapping[str, Mapping[int, Fraction]]:
        """
        Per node in both results, the change of its score at every level
        where it has a score in both.
        """
        out: dict[str, dict[int, Fraction]] = {}
        for change in self.nodes:
            levels = out.setdefault(change.node, {})
            if change.delta is not None:
                levels[change.level] = change.delta
        return MappingProxyType(out)

    def to_dict(self) -> dict[str, Any]:
        """The comparison as JSON-ready data; numbers are exact strings."""
        nodes: dict[str, dict[str, Any]] = {}
        for change in self.nodes:
            nodes.setdefault(change.node, {})[str(change.level)] = (
                change.to_dict()
            )
        return {
            "pack": self.pack,
            "pack_version": _pair(self.versions),
            "profile": _pair(self.profiles),
            "rule": _pair(self.rules),
            "score": {
                "before": exact(self.score_before),
                "after": exact(self.score_after),
                "delta": exact(self.score_delta),
            },
            "level": {
                "before": self.level_before,
                "after": self.level_after,
                "delta": self.level_delta,
            },
            "level_scores": {
                str(k): {
                    "before": exact(b),
                    "after": exact(a),
                    "delta": exact(a - b),
                }
                for k, b, a in zip(
                    self.levels,
                    self.level_scores_before,
                    self.level_scores_after,
                    strict=True,
                )
            },
            "nodes": nodes,
            "only_before": list(self.only_before),
            "only_after": list(self.only_after),
            "newly_met": list(self.newly_met),
            "newly_lost": list(self.newly_lost),
            "improved": [c.to_dict() for c in self.improved],
            "worsened": [c.to_dict() for c in self.worsened],
            "other_changes": [c.to_dict() for c in self.other_changes],
        }


def _pair(pair: tuple[str, str]) -> dict[str, str]:
    return {"before": pair[0], "after": pair[1]}


def _problems(
    before: Result, after: Result, *, allow_profile_change: bool
) -> Iterator[Problem]:
    if before.pack.id != after.pack.id:
        yield Problem(
            "$.pack",
            f"cannot compare results of different packs (before: "
            f"{before.pack.id!r}, after: {after.pack.id!r}); carry one "
            "assessment to the other pack first (maturity crosswalk)",
            "wrong-pack",
        )
        return
    old, new = before.pack.version, after.pack.version
    if _major(old) != _major(new):
        yield Problem(
            "$.pack_version",
            f"pack {before.pack.id} major versions differ (before: {old}, "
            f"after: {new}); scores of different major versions are not "
            "comparable: re-score the earlier assessment with the newer "
            "pack",
            "pack-version",
        )
    elif before.pack.level_numbers != after.pack.level_numbers:
        yield Problem(
            "$.levels",
            "the two packs have different levels (before: "
            f"{before.pack.level_numbers}, after: "
            f"{after.pack.level_numbers})",
            "levels-mismatch",
        )
    if before.profile != after.profile and not allow_profile_change:
        yield Problem(
            "$.profile",
            f"the results use different profiles (before: "
            f"{before.profile!r}, after: {after.profile!r}); pass "
            "allow_profile_change=True to compare them anyway",
            "profile-change",
        )


def _node_changes(
    before: Result, after: Result
) -> tuple[tuple[NodeChange, ...], tuple[str, ...], tuple[str, ...]]:
    order = [n.id for n in after.pack.root.walk()]
    both = [n for n in order if n in before.nodes and n in after.nodes]
    changes: list[NodeChange] = []
    for node in both:
        old, new = before.nodes[node], after.nodes[node]
        changes.extend(
            NodeChange(node, k, old.get(k), new.get(k))
            for k in after.pack.level_numbers
            if k in old or k in new
        )
    only_before = tuple(
        n.id
        for n in before.pack.root.walk()
        if n.id in before.nodes and n.id not in after.nodes
    )
    only_after = tuple(
        n for n in order if n in after.nodes and n not in before.nodes
    )
    return tuple(changes), only_before, only_after


def _rating(result: Result, requirement: str) -> str | None:
    """The rating *result* scored *requirement* with (None: no rating)."""
    req = result.pack.requirements_by_id.get(requirement)
    if req is None or req.node not in result.nodes:
        return None
    return result.assessment.ratings_by_id.get(requirement)


def _value(result: Result, rating: str | None) -> Fraction | None:
    return None if rating is None else result.pack.rubric.value(rating)


def _top(result: Result) -> Fraction:
    return max(o.value for o in result.pack.rubric.options)


@attrs.frozen
class _RatingChanges:
    newly_met: tuple[str, ...]
    newly_lost: tuple[str, ...]
    improved: tuple[RatingChange, ...]
    worsened: tuple[RatingChange, ...]
    other: tuple[RatingChange, ...]


def _rating_changes(before: Result, after: Result) -> _RatingChanges:
    requirements = {r.id: r.level for r in after.pack.requirements}
    for r in before.pack.requirements:
        requirements.setdefault(r.id, r.level)
    top_before, top_after = _top(before), _top(after)
    met, lost = [], []
    improved, worsened, other = [], [], []
    for rid, level in requirements.items():
        old, new = _rating(before, rid), _rating(after, rid)
        if old == new:
            continue
        v_old, v_new = _value(before, old), _value(after, new)
        if v_new == top_after and v_old != top_before:
            met.append(rid)
        if v_old == top_before and v_new != top_after:
            lost.append(rid)
        if v_old is None or v_new is None or v_old == v_new:
            # No value on one side, or a renamed rating of the same value.
            delta = None if v_old is None or v_new is None else Fraction(0)
            other.append(RatingChange(rid, level, old, new, delta))
        elif v_new > v_old:
            improved.append(RatingChange(rid, level, old, new, v_new - v_old))
        else:
            worsened.append(RatingChange(rid, level, old, new, v_new - v_old))
    return _RatingChanges(
        tuple(met), tuple(lost), tuple(improved), tuple(worsened), tuple(other)
    )


def compare(
    before: Result, after: Result, *, allow_profile_change: bool = False
) -> Comparison:
    """
    Compare two results of one pack exactly: *before* (say last year's)
    and *after* (this year's).

    A requirement's rating counts only where its node is in scope in that
    result; elsewhere it is taken as having no rating.  Requirements in
    the comparison's lists are in pack order.

    Args:
        before: The earlier result.
        after: The later result.
        allow_profile_change: Compare results scored under different
            profiles (their scores weigh the nodes differently).

    Raises:
        AssessmentError: If the results are of different packs, of
            different major versions of the pack (whose scores the pack
            declares not comparable), or, unless *allow_profile_change*,
            under different profiles.

    .. versionadded:: 0.1.0
    """
    problems = list(
        _problems(before, after, allow_profile_change=allow_profile_change)
    )
    if problems:
        raise AssessmentError(problems, after.assessment.source)
    nodes, only_before, only_after = _node_changes(before, after)
    ratings = _rating_changes(before, after)
    return Comparison(
        pack=after.pack.id,
        versions=(before.pack.version, after.pack.version),
        profiles=(before.profile, after.profile),
        rules=(before.rule, after.rule),
        levels=after.pack.level_numbers,
        level_scores_before=before.level_scores,
        level_scores_after=after.level_scores,
        score_before=before.score,
        score_after=after.score,
        level_before=before.level,
        level_after=after.level,
        nodes=nodes,
        only_before=only_before,
        only_after=only_after,
        newly_met=ratings.newly_met,
        newly_lost=ratings.newly_lost,
        improved=ratings.improved,
        worsened=ratings.worsened,
        other_changes=ratings.other,
    )
