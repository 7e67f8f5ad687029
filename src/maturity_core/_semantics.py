"""
The scoring semantics, defined once.

Scope, presence and ``na`` renormalisation, leaf values, aggregation, the
level rule, node totals and bands live here and nowhere else.  The scalar
path (:func:`maturity_core.score`), batch scoring, gap analysis, plans,
population statistics, sensitivity, compare and crosswalk all build a
:class:`Semantics` and ask it.  See ``docs/scoring.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs

from ._model import ROOT, Pack, Profile, Requirement, Rubric
from ._rules import (
    Aggregation,
    LevelRule,
    RuleOutcome,
    get_aggregation,
    get_rule,
)
from .exceptions import ScoringError


#: How unrated in-scope requirements are treated.
UNRATED_POLICIES = ("error", "none")

#: Per leaf and level: the values of its scorable requirements.
LeafValues = dict[str, dict[int, list[Fraction]]]
#: Per node: its score at each level where it is present.
NodeScores = dict[str, dict[int, Fraction]]


def in_scope(
    pack: Pack, profile: Profile, tailored: Iterable[str]
) -> frozenset[str]:
    """
    The nodes in scope: the profile's scope less every tailored node and
    everything below it.

    .. versionadded:: 0.2.0
    """
    cut = set(tailored)
    scope = set()
    for nid in profile.scope:
        if nid in cut or any(a in cut for a in pack.ancestors(nid)):
            continue
        scope.add(nid)
    return frozenset(scope)


def check_unrated_policy(unrated: str) -> None:
    """
    Raise if *unrated* is not a policy of :data:`UNRATED_POLICIES`.

    Raises:
        ValueError: With the valid policies.
    """
    if unrated not in UNRATED_POLICIES:
        msg = (
            f"unrated must be one of {', '.join(UNRATED_POLICIES)} "
            f"(got {unrated!r})"
        )
        raise ValueError(msg)


@attrs.frozen
class Evaluation:
    """
    Everything the semantics derives from one set of ratings.

    ``level_scores`` holds X_1..X_N (0 where nothing is scorable);
    ``empty`` the levels with nothing scorable; ``level`` is ``None``
    for a pack without bands.

    .. versionadded:: 0.2.0
    """

    level_scores: tuple[Fraction, ...]
    empty: tuple[int, ...]
    outcome: RuleOutcome
    level: int | None
    nodes: Mapping[str, Mapping[int, Fraction]]

    @property
    def score(self) -> Fraction:
        """S."""
        return self.outcome.score


@attrs.frozen(eq=False)
class Semantics:
    """
    One pack under one profile, scope and level rule: the definition of
    every score, which every path asks.

    Build one with :meth:`of`.

    .. versionadded:: 0.2.0
    """

    pack: Pack
    profile: Profile
    scope: frozenset[str]
    rule: LevelRule
    aggregation: Aggregation
    #: The in-scope requirements, in pack order.
    requirements: tuple[Requirement, ...] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(
            self,
            "requirements",
            tuple(r for r in self.pack.requirements if r.node in self.scope),
        )

    @classmethod
    def of(
        cls,
        pack: Pack,
        profile: Profile | str | None = None,
        *,
        tailored: Iterable[str] = (),
        rule: LevelRule | str | None = None,
    ) -> Semantics:
        """
        The semantics of *pack* under *profile* (default: the pack's),
        with the nodes *tailored* out, and *rule* (default: the pack's).

        Raises:
            UnknownRuleError: If *rule* names no registered rule.
        """
        if not isinstance(profile, Profile):
            profile = pack.get_profile(profile)
        if not isinstance(rule, LevelRule):
            rule = get_rule(rule or pack.method.rule)
        return cls(
            pack=pack,
            profile=profile,
            scope=in_scope(pack, profile, tailored),
            rule=rule,
            aggregation=get_aggregation(pack.method.aggregation),
        )

    def with_profile(self, profile: Profile) -> Semantics:
        """The same semantics with other weights (same scope)."""
        return attrs.evolve(self, profile=profile)

    # -- values -----------------------------------------------------------

    def rubric(self, requirement: Requirement) -> Rubric:
        """The rubric *requirement* is rated on."""
        return self.pack.rubric_of(requirement)

    def value(
        self, requirement: Requirement, rating: str | None
    ) -> Fraction | None:
        """
        The value of *rating* for *requirement*: ``None`` for ``na`` (not
        scorable), the rubric's lowest value for unrated (``None``).
        """
        rubric = self.rubric(requirement)
        if rating is None:
            return rubric.lowest
        return rubric.value(rating)

    def leaf_values(
        self,
        ratings: Mapping[str, str | None],
        *,
        unrated: str = "error",
        tag: str | None = None,
        source: str | None = None,
    ) -> LeafValues:
        """
        Per in-scope leaf and level: the values of its scorable
        requirements (only those tagged *tag*, if given).  A leaf with
        requirements at a level that are all ``na`` has an empty list.

        Raises:
            ScoringError: If *unrated* is ``"error"`` and an in-scope
                requirement is unrated.
        """
        values: LeafValues = {}
        missing = []
        for req in self.requirements:
            if tag is not None and tag not in req.tags:
                continue
            rating = ratings.get(req.id)
            if rating is None and unrated == "error":
                missing.append(req.id)
                continue
            value = self.value(req, rating)
            bucket = values.setdefault(req.node, {}).setdefault(req.level, [])
            if value is not None:
                bucket.append(value)
        if missing:
            n = len(missing)
            raise ScoringError(
                f"{n} requirement{'s' if n != 1 else ''} in scope "
                f"{'are' if n != 1 else 'is'} unrated (first: "
                f"{', '.join(missing[:5])}); rate them, tailor their node "
                "out, or score with unrated='none' (CLI: --unrated none)",
                source,
            )
        return values

    # -- aggregation ------------------------------------------------------

    def weight(self, node: str) -> Fraction:
        """*node*'s weight among its siblings (1 if weights are unused)."""
        if not self.aggregation.uses_weights:
            return Fraction(1)
        return self.profile.weights[node]

    def children(self, node: str) -> list[str]:
        """The in-scope children of *node*."""
        return [
            c.id for c in self.pack.nodes[node].children if c.id in self.scope
        ]

    def aggregate(
        self, values: Mapping[str, Mapping[int, Sequence[Fraction]]]
    ) -> tuple[dict[int, Fraction], NodeScores]:
        """
        The root's score per level, and every in-scope node's scores.

        A leaf is present at a level where it has a scorable value; an
        internal node where the aggregation gives a value over its
        present children (for the weighted mean: their weights do not
        sum to 0, and they are renormalised to sum to 1).
        """
        levels = self.pack.level_numbers
        agg = self.aggregation
        nodes: NodeScores = {}

        def visit(nid: str) -> dict[int, Fraction]:
            out: dict[int, Fraction] = {}
            if self.pack.nodes[nid].is_leaf:
                for k, vals in values.get(nid, {}).items():
                    if vals:
                        out[k] = agg.leaf(vals)
            else:
                kids = self.children(nid)
                scores = [(self.weight(c), visit(c)) for c in kids]
                for k in levels:
                    present = [(w, s[k]) for w, s in scores if k in s]
                    if present:
                        x = agg.node(present)
                        if x is not None:
                            out[k] = x
            if nid != ROOT:
                nodes[nid] = dict(sorted(out.items()))
            return out

        return visit(ROOT), nodes

    # -- rule and bands ---------------------------------------------------

    @property
    def gate(self) -> Fraction | None:
        """The pack's gate (``None`` if it has none)."""
        return self.pack.method.gate

    def fold(
        self,
        level_scores: Sequence[Fraction],
        nodes: Mapping[str, Mapping[int, Fraction]] | None = None,
    ) -> RuleOutcome:
        """S from X_1..X_N by the level rule."""
        return self.rule(level_scores, self.gate, nodes)

    def check_gate(self, source: str | None = None) -> None:
        """
        Raise if the rule needs a gate and the pack has none.

        Raises:
            ScoringError: Naming the rule and what would work.
        """
        if self.rule.uses_gate and self.gate is None:
            raise ScoringError(
                f"level rule {self.rule.name!r} needs a gate and pack "
                f"{self.pack.id} has none; choose a rule without one (e.g. "
                "additive)",
                source,
            )

    def passes(self, x: Fraction) -> bool | None:
        """
        Whether a level score *x* meets the gate (``None`` when the rule
        uses no gate, so there is no pass or fail per level).
        """
        if not self.rule.uses_gate or self.gate is None:
            return None
        return x >= self.gate

    @property
    def band_minimums(self) -> tuple[Fraction, ...]:
        """The lowest S of each band, lowest band first."""
        return tuple(b.min for b in self.pack.method.bands)

    def threshold(self, level: int) -> Fraction:
        """
        The least S that reaches *level* or above.

        Raises:
            ValueError: If no band reaches *level*.
        """
        reaching = [b.min for b in self.pack.method.bands if b.level >= level]
        if not reaching:
            msg = f"no band of pack {self.pack.id} reaches level {level}"
            raise ValueError(msg)
        return min(reaching)

    def band(self, s: Fraction) -> tuple[int | None, Fraction | None]:
        """
        The level *s* reaches and that band's minimum: ``(0, None)``
        below the lowest band, ``(None, None)`` for a pack without bands.
        """
        return level_for_score(self.pack, s)

    def band_vector(self, np: Any, s_numerators: Any, denominator: int) -> Any:
        """
        :meth:`band` for an int64 array of S × *denominator* (every band
        minimum times *denominator* must be an integer): the level of
        each, 0 below the lowest band, -1 for a pack without bands.
        """
        bands = self.pack.method.bands
        if not bands:
            return np.full(len(s_numerators), -1, dtype=np.int64)
        mins = np.array(
            [int(b.min * denominator) for b in bands], dtype=np.int64
        )
        numbers = np.array([b.level for b in bands], dtype=np.int64)
        idx = np.searchsorted(mins, s_numerators, side="right")
        return np.where(idx > 0, numbers[np.maximum(idx - 1, 0)], 0)

    def level_scores(
        self, root: Mapping[int, Fraction]
    ) -> tuple[tuple[Fraction, ...], tuple[int, ...]]:
        """X_1..X_N from the root's scores (0 where absent), and the
        levels where nothing was scorable."""
        levels = self.pack.level_numbers
        xs = tuple(root.get(k, Fraction(0)) for k in levels)
        return xs, tuple(k for k in levels if k not in root)

    def node_total(
        self,
        node: str,
        nodes: Mapping[str, Mapping[int, Fraction]],
    ) -> tuple[Fraction, int | None]:
        """
        *node*'s own total and level: the level rule applied to its level
        scores (0 where absent), and the band that total reaches.
        """
        scores = nodes.get(node, {})
        xs = tuple(scores.get(k, Fraction(0)) for k in self.pack.level_numbers)
        total = self.fold(xs, nodes).score
        return total, self.band(total)[0]

    def node_totals(
        self, nodes: Mapping[str, Mapping[int, Fraction]]
    ) -> tuple[dict[str, Fraction], dict[str, int | None]]:
        """Every in-scope node's total and level."""
        totals: dict[str, Fraction] = {}
        levels: dict[str, int | None] = {}
        for nid in nodes:
            totals[nid], levels[nid] = self.node_total(nid, nodes)
        return totals, levels

    def evaluate(
        self,
        ratings: Mapping[str, str | None],
        *,
        unrated: str = "error",
        source: str | None = None,
    ) -> Evaluation:
        """Everything the ratings give, exactly."""
        values = self.leaf_values(ratings, unrated=unrated, source=source)
        return self.evaluate_values(values)

    def evaluate_values(
        self, values: Mapping[str, Mapping[int, Sequence[Fraction]]]
    ) -> Evaluation:
        """:meth:`evaluate` from leaf values."""
        root, nodes = self.aggregate(values)
        xs, empty = self.level_scores(root)
        outcome = self.fold(xs, nodes)
        return Evaluation(
            xs, empty, outcome, self.band(outcome.score)[0], nodes
        )

    # -- linear shares ----------------------------------------------------

    def shares(
        self,
        counts: Mapping[tuple[str, int], int],
        *,
        root: str = ROOT,
    ) -> dict[tuple[str, int], Fraction]:
        """
        For a linear aggregation: the exact coefficient of one scorable
        requirement of each leaf at each level in *root*'s score, given
        how many scorable requirements each (leaf, level) has.

        *root*'s score at level k is then Σ coefficient × value over its
        scorable requirements at k.  Presence follows :meth:`aggregate`:
        weights are renormalised over the present children.

        Raises:
            ValueError: If the aggregation is not linear.
        """
        if not self.aggregation.linear:
            msg = f"aggregation {self.aggregation.name!r} has no linear shares"
            raise ValueError(msg)
        agg = self.aggregation
        memo: dict[tuple[str, int], bool] = {}

        def present(nid: str, k: int) -> bool:
            key = (nid, k)
            if key not in memo:
                if self.pack.nodes[nid].is_leaf:
                    memo[key] = counts.get(key, 0) > 0
                else:
                    kids = [
                        (self.weight(c), Fraction(1))
                        for c in self.children(nid)
                        if present(c, k)
                    ]
                    memo[key] = bool(kids) and agg.node(kids) is not None
            return memo[key]

        out: dict[tuple[str, int], Fraction] = {}

        def spread(nid: str, k: int, share: Fraction) -> None:
            if self.pack.nodes[nid].is_leaf:
                out[nid, k] = share / counts[nid, k]
                return
            kids = [c for c in self.children(nid) if present(c, k)]
            total = sum((self.weight(c) for c in kids), Fraction(0))
            for c in kids:
                spread(c, k, share * self.weight(c) / total)

        for k in self.pack.level_numbers:
            if present(root, k):
                spread(root, k, Fraction(1))
        return out

    def counts(
        self, ratings: Mapping[str, str | None] | None = None
    ) -> dict[tuple[str, int], int]:
        """
        How many scorable requirements each (leaf, level) has: every
        in-scope requirement, less those rated ``na`` in *ratings*.
        """
        out: dict[tuple[str, int], int] = {}
        for req in self.requirements:
            if (
                ratings is not None
                and self.value(req, ratings.get(req.id)) is None
            ):
                continue
            out[req.node, req.level] = out.get((req.node, req.level), 0) + 1
        return out

    def what_if(
        self,
        ratings: Mapping[str, str | None],
        changes: Mapping[str, str | None],
        *,
        unrated: str = "none",
    ) -> Evaluation:
        """The evaluation after *changes* (requirement id → rating)."""
        return self.evaluate({**ratings, **changes}, unrated=unrated)


def level_for_score(
    pack: Pack, s: Fraction
) -> tuple[int | None, Fraction | None]:
    """
    The level *s* reaches under *pack*'s bands and that band's minimum:
    ``(0, None)`` below the lowest band, ``(None, None)`` without bands.

    .. versionadded:: 0.1.0
    """
    if not pack.method.bands:
        return None, None
    level, band_min = 0, None
    for band in pack.method.bands:
        if band.min <= s:
            level, band_min = band.level, band.min
    return level, band_min


def ratings_of(assessment: Any) -> Mapping[str, str | None]:
    """Requirement id → rating of an :class:`Assessment`."""
    ratings: Mapping[str, str | None] = assessment.ratings_by_id
    return ratings

