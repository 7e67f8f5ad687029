"""Gap analysis and improvement plans, against re-scoring and brute force."""

# ruff: noqa: SIM300, S311
# SIM300: the expected value comes first (house style H12).
# S311: seeded pseudo-random test data, nothing secret.

from __future__ import annotations

import itertools
import random
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import maturity_core as mc
from maturity_core.analysis._gaps import gap_analysis, improvement_plan


EXAMPLES = Path(__file__).parents[1] / "examples"
RULES = ("cumulative-gated", "cumulative-gated-unit")

TINY_RATINGS = {
    "a1.x.1": "full", "a1.y.1": "partial", "a2.z.1": "most", "b1.w.1": "full",
    "a1.x.2": "most", "a2.z.2": "na", "b1.w.2": "full",
    "a1.x.3": "none", "a2.z.3": "partial", "b1.w.3": "most",
}  # fmt: skip


def _req(rid: str, node: str, level: int) -> dict:
    return {
        "id": rid,
        "node": node,
        "level": level,
        "text": {"en": rid},
        "provenance": {"status": "proposal"},
    }


#: A generated pack: four levels, a three-deep tree with uneven weights,
#: uneven requirement counts, an unsorted four-step rubric with na, gate
#: 0.7.  Under reading A, level-4 requirements can help reach level 3.
GEN = {
    "format": 1,
    "id": "gen",
    "version": "0.1.0",
    "title": {"en": "Generated"},
    "levels": [{"number": n, "name": {"en": f"L{n}"}} for n in (1, 2, 3, 4)],
    "nodes": [
        {
            "id": "p",
            "kind": "element",
            "name": {"en": "P"},
            "children": [
                {"id": "p1", "kind": "subdomain", "name": {"en": "P1"}},
                {"id": "p2", "kind": "subdomain", "name": {"en": "P2"}},
            ],
        },
        {
            "id": "q",
            "kind": "element",
            "name": {"en": "Q"},
            "children": [
                {
                    "id": "qd",
                    "kind": "domain",
                    "name": {"en": "QD"},
                    "children": [
                        {"id": "q1", "kind": "subdomain", "name": {"en": "1"}},
                        {"id": "q2", "kind": "subdomain", "name": {"en": "2"}},
                    ],
                }
            ],
        },
    ],
    "requirements": [
        _req(f"{leaf}.{level}.{i}", leaf, level)
        for leaf, counts in {
            "p1": (2, 1, 1, 1),
            "p2": (1, 2, 1, 1),
            "q1": (1, 1, 2, 1),
            "q2": (1, 1, 1, 1),
        }.items()
        for level, count in enumerate(counts, start=1)
        for i in range(count)
    ],
    "rubric": {
        "ratings": [
            {"id": "no", "value": "0", "name": {"en": "No"}},
            {"id": "some", "value": "0.3", "name": {"en": "Some"}},
            {"id": "yes", "value": "1", "name": {"en": "Yes"}},
            {"id": "mostly", "value": "0.7", "name": {"en": "Mostly"}},
        ],
        "na": {"allowed": True},
    },
    "profiles": [
        {
            "id": "main",
            "name": {"en": "Main"},
            "default": True,
            "weights": {
                "p": "0.3",
                "p1": "0.25",
                "p2": "0.75",
                "q": "0.7",
                "qd": "1",
                "q1": "2/3",
                "q2": "1/3",
            },
        }
    ],
    "method": {
        "rule": "cumulative-gated",
        "rules": list(RULES),
        "gate": "0.7",
        "bands": [
            {"level": 1, "min": "0.7"},
            {"level": 2, "min": "1.6"},
            {"level": 3, "min": "2.5"},
            {"level": 4, "min": "3.4"},
        ],
    },
}


@pytest.fixture
def gen() -> mc.Pack:
    """The generated four-level pack."""
    return mc.load_pack(GEN)


@pytest.fixture
def db12() -> mc.Pack:
    """The installed DB12/T 1073 pack."""
    return mc.load_pack("db12t1073")


@pytest.fixture
def discrete() -> mc.Assessment:
    """A complete db12t1073 assessment at level 2."""
    return mc.Assessment.from_path(EXAMPLES / "db12t1073-discrete.json")


def _assessment(pack: mc.Pack, ratings: dict[str, str | None]):
    return mc.Assessment.from_dict(
        {
            "pack": pack.id,
            "ratings": [{"id": k, "rating": v} for k, v in ratings.items()],
        }
    )


def _top(pack: mc.Pack) -> str:
    return max(pack.rubric.options, key=lambda o: o.value).id


def _random_ratings(
    pack: mc.Pack, seed: int, *, raisable: int, na: bool = True
) -> dict[str, str | None]:
    """At most *raisable* requirements below the top; some na."""
    rng = random.Random(seed)
    top = _top(pack)
    lower = [o.id for o in pack.rubric.options if o.id != top]
    ids = [r.id for r in pack.requirements]
    below = set(rng.sample(ids, raisable))
    ratings: dict[str, str | None] = {}
    for rid in ids:
        if na and pack.rubric.na_allowed and rng.random() < 0.1:
            ratings[rid] = "na"
        elif rid in below:
            ratings[rid] = rng.choice(lower)
        else:
            ratings[rid] = top
    return ratings


def _brute_force(pack, assessment, rule, unrated="error"):
    """(ids raised to the top, level re-scored) for every subset."""
    top = _top(pack)
    value = {o.id: o.value for o in pack.rubric.options}
    ratings = assessment.ratings_by_id
    ids = [
        r.id
        for r in pack.requirements
        if ratings.get(r.id) != "na"
        and (ratings.get(r.id) is None or value[ratings[r.id]] < 1)
    ]
    return [
        (
            combo,
            mc.score(
                pack,
                assessment.with_ratings(dict.fromkeys(combo, top)),
                rule=rule,
                unrated=unrated,
            ).level,
        )
        for n in range(len(ids) + 1)
        for combo in itertools.combinations(ids, n)
    ]


def _cheapest(subsets, target, effort):
    costs = [
        sum((Fraction(effort.get(i, 1)) for i in combo), Fraction(0))
        for combo, level in subsets
        if level >= target
    ]
    return min(costs) if costs else None


def _check_minimal(pack, result, subsets, effort, unrated="error"):
    """The plan costs what brute force says, for every higher target."""
    for target in range(result.level + 1, len(pack.levels) + 1):
        expected = _cheapest(subsets, target, effort)
        if expected is None:
            with pytest.raises(mc.ScoringError):
                improvement_plan(pack, result, target=target, effort=effort)
            continue
        plan = improvement_plan(pack, result, target=target, effort=effort)
        rescored = mc.score(
            pack, plan.assessment, rule=result.rule, unrated=unrated
        )

        assert expected == plan.effort
        assert target <= rescored.level == plan.level


class TestMarginalGains:
    @pytest.mark.parametrize("seed", range(6))
    @pytest.mark.parametrize("rule", RULES)
    def test_tiny_gains_equal_rescoring(self, tiny, seed, rule):
        """Every tiny gap's gain is S re-scored minus S."""
        ratings = _random_ratings(tiny, seed, raisable=8)
        result = mc.score(tiny, _assessment(tiny, ratings), rule=rule)

        for gap in gap_analysis(tiny, result, target=3).gaps:
            raised = result.assessment.with_rating(gap.requirement, gap.top)
            rescored = mc.score(tiny, raised, rule=rule)

            assert rescored.score - result.score == gap.gain
            assert (
                rescored.level_scores[gap.level - 1]
                - result.level_scores[gap.level - 1]
            ) == gap.level_gain

    @pytest.mark.parametrize("rule", RULES)
    def test_db12_gains_equal_rescoring(self, db12, discrete, rule):
        """A sample of db12t1073 gaps' gains equal re-scoring differences."""
        result = mc.score(db12, discrete, rule=rule)
        gaps = gap_analysis(db12, result, target=5).gaps
        sample = random.Random(7).sample(gaps, 25) + list(gaps[:5])

        for gap in sample:
            raised = discrete.with_rating(gap.requirement, gap.top)

            assert (
                mc.score(db12, raised, rule=rule).score - result.score
                == gap.gain
            )

    @pytest.mark.parametrize("seed", range(4))
    def test_shares_reproduce_level_scores(self, gen, seed):
        """Σ share × value over a level's requirements is X_k exactly."""
        ratings = _random_ratings(gen, seed, raisable=12)
        result = mc.score(gen, _assessment(gen, ratings))
        gaps = gap_analysis(gen, result, target=4).gaps
        value = {o.id: o.value for o in gen.rubric.options}
        shares = {g.requirement: g.share for g in gaps}
        # Raise everything to the top: X_k rises by the sum of the gains.
        for k, x in enumerate(result.level_scores, start=1):
            below = [g for g in gaps if g.level == k]
            top_ratings = {g.requirement: "yes" for g in below}
            raised = mc.score(gen, result.assessment.with_ratings(top_ratings))

            assert raised.level_scores[k - 1] == x + sum(
                (shares[g.requirement] * (1 - value[g.rating]) for g in below),
                Fraction(0),
            )

    def test_unrated_gap_has_no_rating(self, tiny):
        """An unrated requirement scored as lowest is a gap from None."""
        ratings = dict(TINY_RATINGS, **{"b1.w.1": None})
        result = mc.score(tiny, _assessment(tiny, ratings), unrated="none")
        gap = next(
            g
            for g in gap_analysis(tiny, result).gaps
            if g.requirement == "b1.w.1"
        )

        assert (None, Fraction(0)) == (gap.rating, gap.value)


class TestRanking:
    def test_gaps_by_gain_then_id(self, db12, discrete):
        """Gaps come largest gain first, ties by requirement id."""
        result = mc.score(db12, discrete)
        gaps = gap_analysis(db12, result).gaps

        assert sorted(gaps, key=lambda g: (-g.gain, g.requirement)) == list(
            gaps
        )

    def test_tiny_gaps_by_hand(self, tiny):
        """Reading A counts all three levels, so gain = X gain: by hand."""
        result = mc.score(tiny, _assessment(tiny, TINY_RATINGS))
        analysis = gap_analysis(tiny, result)

        assert [
            ("a1.x.3", Fraction(3, 10)),
            ("a2.z.3", Fraction(3, 20)),
            ("a1.x.2", Fraction(3, 25)),
            ("b1.w.3", Fraction(2, 25)),
            ("a1.y.1", Fraction(3, 40)),
            ("a2.z.1", Fraction(3, 50)),
        ] == [(g.requirement, g.gain) for g in analysis.gaps]
        assert (3, 2, 3) == (
            analysis.target,
            analysis.current_level,
            analysis.next_level,
        )

    def test_passing_the_gate_unlocks_levels(self, tiny):
        """Raising a level past the gate lets the next level count too."""
        ratings = dict(TINY_RATINGS, **{"a1.x.2": "none"})
        result = mc.score(tiny, _assessment(tiny, ratings))
        gap = next(
            g
            for g in gap_analysis(tiny, result).gaps
            if g.requirement == "a1.x.2"
        )

        # X_2 = 0.4 < 0.8 stops at level 2; raising a1.x.2 to full makes
        # X_2 = 1 and lets X_3 = 0.47 count as well.
        assert Fraction(3, 5) + Fraction(47, 100) == gap.gain

    def test_only_levels_up_to_target(self, db12, discrete):
        """The default target is the next level; no gap lies above it."""
        result = mc.score(db12, discrete)
        analysis = gap_analysis(db12, result)

        assert 3 == analysis.target
        assert {1, 2, 3} == {g.level for g in analysis.gaps}

    def test_strengths_and_weaknesses(self, tiny):
        """Leaves rank by level-3 score: b1 0.8, a2 0.5, a1 0."""
        result = mc.score(tiny, _assessment(tiny, TINY_RATINGS))
        analysis = gap_analysis(tiny, result)

        assert ["b1", "a2", "a1"] == [s.node for s in analysis.strengths]
        assert ["a1", "a2", "b1"] == [s.node for s in analysis.weaknesses]
        assert (Fraction(1), Fraction(4, 5)) == (
            analysis.strengths[0].current_score,
            analysis.strengths[0].next_score,
        )


class TestGrouping:
    def test_every_gap_once_per_grouping(self, db12, discrete):
        """Each gap is in exactly one group at each depth above leaves."""
        analysis = gap_analysis(db12, mc.score(db12, discrete))

        assert 2 == len(analysis.groups)
        for groups, kind in zip(analysis.groups, ("element", "domain")):
            members = [g.requirement for grp in groups for g in grp.gaps]

            assert sorted(g.requirement for g in analysis.gaps) == sorted(
                members
            )
            assert {kind} == {grp.kind for grp in groups}
            for grp in groups:
                assert all(
                    grp.node in db12.ancestors(g.node) for g in grp.gaps
                )

    def test_groups_keep_the_ranking(self, db12, discrete):
        """Within a group, gaps keep the global order."""
        analysis = gap_analysis(db12, mc.score(db12, discrete))
        order = {g.requirement: i for i, g in enumerate(analysis.gaps)}

        for grp in analysis.groups[1]:
            ranks = [order[g.requirement] for g in grp.gaps]

            assert sorted(ranks) == ranks

    def test_shallow_tree_groups_by_top_nodes(self, tiny):
        """In tiny, depth 1 is a and b; depth 2 holds the leaves."""
        analysis = gap_analysis(
            tiny, mc.score(tiny, _assessment(tiny, TINY_RATINGS))
        )

        assert 1 == len(analysis.groups)
        assert ["a", "b"] == [g.node for g in analysis.groups[0]]

    def test_to_dict_is_exact_strings(self, tiny):
        """JSON output carries exact fractions as strings."""
        result = mc.score(tiny, _assessment(tiny, TINY_RATINGS))
        data = gap_analysis(tiny, result).to_dict()

        assert "3/10" == data["gaps"][0]["level_gain"]
        assert "443/200" == data["score"]
        assert {"node": "a", "kind": "element", "count": 5} == {
            k: v
            for k, v in data["groups"][0]["groups"][0].items()
            if k != "requirements"
        }


class TestPlan:
    @pytest.mark.parametrize("rule", RULES)
    def test_reaches_target(self, tiny, rule):
        """The plan re-scores to the target level."""
        result = mc.score(tiny, _assessment(tiny, TINY_RATINGS), rule=rule)
        plan = improvement_plan(tiny, result, target=3)

        assert 3 <= mc.score(tiny, plan.assessment, rule=rule).level
        assert plan.result.score == plan.score
        assert len(plan.upgrades) == plan.effort

    def test_upgrades_raise_ratings(self, db12, discrete):
        """Every upgrade moves to a strictly higher option."""
        plan = improvement_plan(db12, mc.score(db12, discrete))
        value = {o.id: o.value for o in db12.rubric.options}

        assert all(value[u.to] > value[u.current] for u in plan.upgrades)

    @pytest.mark.parametrize("rule", RULES)
    def test_no_upgrade_can_be_lowered(self, gen, rule):
        """Each upgrade is the least option that keeps the target."""
        ratings = _random_ratings(gen, 3, raisable=12, na=False)
        result = mc.score(gen, _assessment(gen, ratings), rule=rule)
        plan = improvement_plan(gen, result, target=4)
        options = sorted(gen.rubric.options, key=lambda o: o.value)
        ids = [o.id for o in options]

        for u in plan.upgrades:
            below = ids[ids.index(u.to) - 1]
            if below == u.current:
                continue
            lowered = plan.assessment.with_rating(u.requirement, below)

            assert 4 > mc.score(gen, lowered, rule=rule).level

    def test_already_at_target_is_empty(self, tiny):
        """A target already reached needs no upgrades."""
        result = mc.score(tiny, _assessment(tiny, TINY_RATINGS))
        plan = improvement_plan(tiny, result, target=2)

        assert ((), Fraction(0), 2) == (plan.upgrades, plan.effort, plan.level)

    def test_to_dict(self, tiny):
        """Upgrades list from, to and exact effort."""
        result = mc.score(tiny, _assessment(tiny, TINY_RATINGS))
        data = improvement_plan(
            tiny, result, target=3, effort={"a1.x.3": Fraction(1, 3)}
        ).to_dict()

        assert {"requirement", "node", "level", "from", "to", "effort"} == set(
            data["upgrades"][0]
        )
        assert all(isinstance(u["effort"], str) for u in data["upgrades"])
        assert (3, 2) == (data["target"], data["baseline_level"])


class TestPlanIsMinimal:
    @pytest.mark.parametrize("seed", range(8))
    @pytest.mark.parametrize("rule", RULES)
    def test_tiny_against_brute_force(self, tiny, rule, seed):
        """Unit and random efforts match brute force on tiny."""
        ratings = _random_ratings(tiny, seed, raisable=9)
        result = mc.score(tiny, _assessment(tiny, ratings), rule=rule)
        subsets = _brute_force(tiny, result.assessment, rule)
        rng = random.Random(seed)

        _check_minimal(tiny, result, subsets, {})
        for _ in range(3):
            effort = {
                r.id: rng.choice([1, 2, 3, Fraction(1, 2), 0.25, 7])
                for r in tiny.requirements
            }
            _check_minimal(tiny, result, subsets, effort)

    @pytest.mark.parametrize("seed", range(10))
    @pytest.mark.parametrize("rule", RULES)
    def test_generated_against_brute_force(self, gen, rule, seed):
        """Unit and random efforts match brute force on a generated pack."""
        ratings = _random_ratings(gen, 100 + seed, raisable=10)
        result = mc.score(gen, _assessment(gen, ratings), rule=rule)
        subsets = _brute_force(gen, result.assessment, rule)
        rng = random.Random(seed)

        _check_minimal(gen, result, subsets, {})
        for _ in range(3):
            effort = {
                r.id: Fraction(rng.randint(1, 9), rng.randint(1, 3))
                for r in gen.requirements
            }
            _check_minimal(gen, result, subsets, effort)

    def test_levels_above_target_can_be_cheapest(self, gen):
        """Under reading A, one level-4 upgrade reaches level 3; none below."""
        ratings = {
            r.id: "yes" if r.node == "p1" else "mostly"
            for r in gen.requirements
            if r.level < 4
        } | {"p1.4.0": "yes", "p2.4.0": "no", "q1.4.0": "no", "q2.4.0": "no"}
        result = mc.score(gen, _assessment(gen, ratings))
        plan = improvement_plan(gen, result, target=3)
        singles = [
            mc.score(gen, result.assessment.with_rating(rid, "yes")).level
            for rid, rating in ratings.items()
            if rating != "yes"
        ]

        assert (2, 4) == (result.level, result.counted_levels)
        # "mostly" already suffices, so the upgrade is lowered to it.
        assert [("q1.4.0", "mostly")] == [
            (u.requirement, u.to) for u in plan.upgrades
        ]
        assert 1 == sum(level >= 3 for level in singles)

    @pytest.mark.parametrize("rule", RULES)
    def test_unreachable_targets_against_brute_force(self, tiny, rule):
        """Where no subset reaches a level, the plan refuses it too."""
        ratings = dict(
            TINY_RATINGS,
            **dict.fromkeys(["a1.x.3", "a2.z.3"], "na"),
            **{"b1.w.3": "none"},
        )
        ratings = {k: v for k, v in ratings.items() if k != "b1.w.3"}
        result = mc.score(
            tiny, _assessment(tiny, ratings), rule=rule, unrated="none"
        )
        subsets = _brute_force(tiny, result.assessment, rule, unrated="none")

        _check_minimal(tiny, result, subsets, {}, unrated="none")

    def test_unrated_against_brute_force(self, gen):
        """Unrated requirements (scored lowest) are upgraded from None."""
        ratings = _random_ratings(gen, 5, raisable=9)
        for rid in list(ratings)[:3]:
            ratings[rid] = None
        result = mc.score(gen, _assessment(gen, ratings), unrated="none")
        subsets = _brute_force(
            gen, result.assessment, result.rule, unrated="none"
        )

        _check_minimal(gen, result, subsets, {}, unrated="none")

    @pytest.mark.parametrize("rule", RULES)
    def test_top_only_suffices(self, gen, rule):
        """Brute force over every option of every requirement agrees."""
        ratings = _random_ratings(gen, 11, raisable=5, na=False)
        result = mc.score(gen, _assessment(gen, ratings), rule=rule)
        below = [k for k, v in ratings.items() if v != "yes"]
        value = {o.id: o.value for o in gen.rubric.options}
        best: dict[int, int] = {}
        for choice in itertools.product(
            *[
                [None, *(o for o in value if value[o] > value[ratings[k]])]
                for k in below
            ]
        ):
            raised = {k: c for k, c in zip(below, choice, strict=True) if c}
            level = mc.score(
                gen, result.assessment.with_ratings(raised), rule=rule
            ).level
            for t in range(1, level + 1):
                best[t] = min(best.get(t, len(below)), len(raised))

        for target in range(result.level + 1, 5):
            if target not in best:
                with pytest.raises(mc.ScoringError):
                    improvement_plan(gen, result, target=target)
                continue

            assert best[target] == len(
                improvement_plan(gen, result, target=target).upgrades
            )


class TestScope:
    def test_tailored_and_excluded_nodes_have_no_gaps(self, tiny):
        """Only in-scope requirements are gaps or upgrades."""
        ratings = dict.fromkeys(TINY_RATINGS, "none")
        ratings.pop("a2.z.1"), ratings.pop("a2.z.2"), ratings.pop("a2.z.3")
        result = mc.score(tiny, _assessment(tiny, ratings), profile="thirds")
        plan = improvement_plan(tiny, result, target=1)

        assert {"a1", "b1"} == {
            g.node for g in gap_analysis(tiny, result, target=3).gaps
        }
        assert {"a1", "b1"} >= {u.node for u in plan.upgrades}

    def test_zero_weight_has_no_share(self):
        """A leaf whose present siblings weigh 0 moves no level score."""
        data = dict(GEN, profiles=[dict(GEN["profiles"][0])])
        data["profiles"][0]["weights"] = dict(
            data["profiles"][0]["weights"], p1="0", p2="1"
        )
        pack = mc.load_pack(data)
        ratings = dict.fromkeys((r.id for r in pack.requirements), "no")
        ratings["p2.1.0"] = "na"
        result = mc.score(pack, _assessment(pack, ratings))
        gaps = {g.requirement: g for g in gap_analysis(pack, result).gaps}

        assert (Fraction(0), Fraction(0)) == (
            gaps["p1.1.0"].share,
            gaps["p1.1.0"].gain,
        )
        assert 1 <= improvement_plan(pack, result, target=1).level

    def test_result_of_another_pack(self, tiny, gen):
        """A result must come from the pack given."""
        result = mc.score(tiny, _assessment(tiny, TINY_RATINGS))

        with pytest.raises(ValueError, match="'result' must be a result"):
            gap_analysis(gen, result)

    def test_decimal_and_float_efforts_are_exact(self, tiny):
        """0.1 as a float means 1/10; Decimals are exact."""
        result = mc.score(tiny, _assessment(tiny, TINY_RATINGS))
        effort = dict.fromkeys(TINY_RATINGS, 0.1) | {"a1.y.1": Decimal("0.05")}
        plan = improvement_plan(tiny, result, target=3, effort=effort)

        # a1.y.1 (gain 3/40) replaces b1.w.3 (2/25): 0.3 + 0.05.
        assert Fraction(7, 20) == plan.effort


class TestPlanErrors:
    def test_unreachable_target(self, tiny):
        """With every level-3 requirement na, level 3 is out of reach."""
        ratings = dict(
            TINY_RATINGS, **dict.fromkeys(["a1.x.3", "a2.z.3", "b1.w.3"], "na")
        )
        result = mc.score(tiny, _assessment(tiny, ratings))

        with pytest.raises(mc.ScoringError, match="level 3 needs S ≥ 14/5"):
            improvement_plan(tiny, result, target=3)

    @pytest.mark.parametrize("target", [0, 4, "3", True])
    def test_bad_target(self, tiny, target):
        """A target that is not a level of the pack is refused."""
        result = mc.score(tiny, _assessment(tiny, TINY_RATINGS))

        with pytest.raises(ValueError, match="'target' must be a level"):
            improvement_plan(tiny, result, target=target)

    @pytest.mark.parametrize(
        "effort",
        [
            {"a1.x.3": 0},
            {"a1.x.3": -1},
            {"nope": 1},
            {"a1.x.3": "1"},
            {"a1.x.3": True},
            {"a1.x.3": float("nan")},
            {"a1.x.3": float("inf")},
        ],
    )
    def test_bad_effort(self, tiny, effort):
        """Efforts must be positive numbers for known requirements."""
        result = mc.score(tiny, _assessment(tiny, TINY_RATINGS))

        with pytest.raises(ValueError, match="'effort'"):
            improvement_plan(tiny, result, target=3, effort=effort)

    def test_unsupported_rule(self, tiny):
        """A custom level rule cannot be planned for."""
        mc.register_rule(
            "test-gaps-sum",
            lambda xs, _gate: mc.typing.RuleOutcome(
                sum(xs, Fraction(0)), len(xs), ()
            ),
            replace=True,
        )
        result = mc.score(
            tiny,
            _assessment(tiny, dict.fromkeys(TINY_RATINGS, "none")),
            rule="test-gaps-sum",
        )

        with pytest.raises(mc.ScoringError, match="does not declare"):
            improvement_plan(tiny, result, target=3)


class TestDb12Plan:
    @pytest.mark.parametrize("rule", RULES)
    def test_level_3_within_seconds(self, db12, discrete, rule):
        """The discrete example's plan to level 3 is quick and re-scores."""
        result = mc.score(db12, discrete, rule=rule)
        start = time.perf_counter()
        plan = improvement_plan(db12, result, target=3)
        elapsed = time.perf_counter() - start

        assert 2 == result.level
        assert 3 <= mc.score(db12, plan.assessment, rule=rule).level
        assert elapsed < 5

    def test_level_3_with_efforts(self, db12, discrete):
        """Random efforts on all 495 requirements still plan quickly."""
        rng = random.Random(3)
        effort = {r.id: rng.randint(1, 5) for r in db12.requirements}
        result = mc.score(db12, discrete)
        start = time.perf_counter()
        plan = improvement_plan(db12, result, target=3, effort=effort)
        elapsed = time.perf_counter() - start

        assert 3 <= plan.level
        assert plan.effort == sum(effort[u.requirement] for u in plan.upgrades)
        assert elapsed < 5

    def test_unit_plan_is_no_larger_than_greedy(self, db12, discrete):
        """Raising gaps in gain order needs at least as many upgrades."""
        result = mc.score(db12, discrete)
        plan = improvement_plan(db12, result, target=3)
        raised: dict[str, str] = {}
        for gap in gap_analysis(db12, result, target=5).gaps:
            raised[gap.requirement] = gap.top
            if mc.score(db12, discrete.with_ratings(raised)).level >= 3:
                break

        assert len(plan.upgrades) <= len(raised)
