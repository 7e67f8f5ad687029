"""
Laws of exact scoring (DESIGN.md §4), checked on generated packs and
assessments (tests/strategies.py), plus the worked vectors of
STANDARDS.md §2.5.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from importlib.resources import files
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import maturity_core as mc

from . import strategies as gen


pytestmark = pytest.mark.property

RESULT_SCHEMA = json.loads(
    files("maturity_core")
    .joinpath("schemas", "result.schema.json")
    .read_text("utf-8")
)
#: Each example validates and scores whole packs; its time depends on the
#: machine's load, so a per-example deadline would only make runs flaky.
#: The example budget still comes from the dev/ci profile.
law = settings(deadline=None)
CMMM_BANDS = tuple(Fraction(b) for b in ("0.8", "1.8", "2.8", "3.8", "4.8"))


def _load(
    pair: tuple[dict[str, Any], dict[str, Any]],
) -> tuple[mc.Pack, mc.Assessment]:
    data, assessment = pair
    return mc.load_pack(data), mc.Assessment.from_dict(assessment)


def _outcome(result: Any) -> tuple[Any, ...]:
    """What a result decides: S, level, X_1..X_N and every node's scores."""
    return (
        result.score,
        result.level,
        tuple(result.level_scores),
        {node: dict(levels) for node, levels in result.nodes.items()},
    )


def _band_level(bands: Sequence[tuple[int, Fraction]], s: Fraction) -> int:
    """The highest band level whose minimum is ≤ *s*, else 0."""
    reached = [level for level, low in bands if low <= s]
    return max(reached, default=0)


def _pack_bands(data: Mapping[str, Any]) -> list[tuple[int, Fraction]]:
    return [(b["level"], Fraction(b["min"])) for b in data["method"]["bands"]]


def _effective_scope(
    data: Mapping[str, Any], assessment: Mapping[str, Any]
) -> set[str]:
    """Profile scope less the tailored subtrees, computed from the data."""
    profile = gen.profile_data(data, assessment.get("profile"))
    children = gen.children_of(data)
    scope = gen.scope_of(data, profile)
    for t in assessment.get("tailoring", []):
        scope -= gen.subtree(children, t["node"])
    return scope


class TestBounds:
    @law
    @given(gen.packs_and_assessments(), st.sampled_from(gen.RULES))
    def test_score_is_within_bounds(self, pair, rule):
        """0 ≤ S ≤ N, every X_k lies in [0, 1] and the level in 0..N."""
        pack, assessment = _load(pair)
        n = len(pack.levels)

        result = mc.score(pack, assessment, rule=rule)

        assert n == len(result.level_scores)
        assert all(0 <= x <= 1 for x in result.level_scores)
        assert 0 <= result.score <= n
        assert 0 <= result.level <= n
        assert 1 <= result.counted_levels <= n
        for levels in result.nodes.values():
            assert all(0 <= v <= 1 for v in levels.values())


class TestMonotonicity:
    @law
    @given(st.data(), st.sampled_from(gen.RULES))
    def test_raising_one_rating_never_lowers_score_or_level(self, data, rule):
        """Raising one rating never lowers S, the level or any X_k."""
        pack_data, adict = data.draw(gen.packs_and_assessments())
        raisable = [
            i
            for i, entry in enumerate(adict["ratings"])
            if entry["rating"] != "na"
            and gen.RATING_VALUES[entry["rating"]] < 1
        ]
        assume(raisable)
        i = data.draw(st.sampled_from(raisable), label="index")
        old = gen.RATING_VALUES[adict["ratings"][i]["rating"]]
        new = data.draw(
            st.sampled_from(
                [r for r, v in gen.RATING_VALUES.items() if v > old]
            ),
            label="new rating",
        )
        raised = copy.deepcopy(adict)
        raised["ratings"][i]["rating"] = new
        pack = mc.load_pack(pack_data)

        before = mc.score(pack, mc.Assessment.from_dict(adict), rule=rule)
        after = mc.score(pack, mc.Assessment.from_dict(raised), rule=rule)

        assert before.score <= after.score
        assert before.level <= after.level
        assert all(
            b <= a
            for b, a in zip(
                before.level_scores, after.level_scores, strict=True
            )
        )


class TestOrderIndependence:
    @law
    @given(st.data())
    def test_requirement_order_is_irrelevant(self, data):
        """Shuffling ratings and the pack's requirements changes no score."""
        pack_data, adict = data.draw(gen.packs_and_assessments())
        shuffled_data = dict(pack_data)
        shuffled_data["requirements"] = data.draw(
            st.permutations(pack_data["requirements"]), label="requirements"
        )
        shuffled = dict(adict)
        shuffled["ratings"] = data.draw(
            st.permutations(adict["ratings"]), label="ratings"
        )

        expected = mc.score(*_load((pack_data, adict)))
        got = mc.score(*_load((shuffled_data, shuffled)))

        assert _outcome(expected) == _outcome(got)

    @law
    @given(gen.packs_and_assessments(), st.randoms(use_true_random=False))
    def test_weight_order_is_irrelevant(self, pair, rnd):
        """Reordering weights mappings and children lists changes no score."""
        pack_data, adict = pair
        reordered = copy.deepcopy(pack_data)
        for prof in reordered["profiles"]:
            items = list(prof["weights"].items())
            rnd.shuffle(items)
            prof["weights"] = dict(items)

        def shuffle(nodes: list[dict[str, Any]]) -> None:
            rnd.shuffle(nodes)
            for node in nodes:
                shuffle(node.get("children", []))

        shuffle(reordered["nodes"])

        expected = mc.score(*_load((pack_data, adict)))
        got = mc.score(*_load((reordered, adict)))

        assert _outcome(expected) == _outcome(got)


def _exact_numbers(d: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(JSON path, value) of every number a result's JSON holds exactly."""
    yield "$.gate", d["gate"]
    yield "$.score", d["score"]
    for k, v in d["level_scores"].items():
        yield f"$.level_scores.{k}", v
    for node, levels in d["nodes"].items():
        for k, v in levels.items():
            yield f"$.nodes.{node}.{k}", v
    for tag, dim in d["dimensions"].items():
        yield f"$.dimensions.{tag}.score", dim["score"]
        for k, v in dim["level_scores"].items():
            yield f"$.dimensions.{tag}.level_scores.{k}", v


def _floats(value: Any, path: str = "$") -> Iterator[str]:
    if isinstance(value, float):
        yield path
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from _floats(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _floats(v, f"{path}[{i}]")


class TestJson:
    @law
    @given(gen.packs_and_assessments())
    def test_assessment_roundtrips_through_json(self, pair):
        """An assessment's dict survives JSON and from_dict unchanged."""
        _, adict = pair
        assessment = mc.Assessment.from_dict(adict)
        text = json.dumps(assessment.to_dict(), ensure_ascii=False)

        again = mc.Assessment.from_dict(json.loads(text))

        assert assessment.to_dict() == again.to_dict()

    @law
    @given(gen.packs_and_assessments())
    def test_result_json_matches_schema(self, pair):
        """A result's JSON fits its schema; every number is an exact string."""
        result = mc.score(*_load(pair))

        d = result.to_dict()

        errors = [
            f"{e.json_path}: {e.message}"
            for e in Draft202012Validator(RESULT_SCHEMA).iter_errors(d)
        ]
        assert [] == errors
        assert [] == list(_floats(d))
        for path, value in _exact_numbers(d):
            assert isinstance(value, str), path
            Fraction(value)  # raises ValueError if it is not exact
        assert result.score == Fraction(d["score"])
        assert list(result.level_scores) == [
            Fraction(x) for x in d["level_scores"].values()
        ]
        assert json.loads(json.dumps(d, allow_nan=False)) == d

    @law
    @given(gen.packs())
    def test_pack_roundtrip(self, data):
        """Generated packs have no problems, before and after JSON."""
        again = json.loads(json.dumps(data, ensure_ascii=False))

        assert [] == list(mc.iter_pack_problems(data))
        assert [] == list(mc.iter_pack_problems(again))
        assert (
            mc.load_pack(data).content_hash == mc.load_pack(again).content_hash
        )


class TestTailoring:
    @law
    @given(gen.packs_and_assessments(tailor=False))
    def test_tailoring_identity_is_noop(self, pair):
        """Tailoring nothing scores exactly like no tailoring at all."""
        pack_data, adict = pair
        pack = mc.load_pack(pack_data)
        plain = mc.Assessment.from_dict(adict)
        empty = mc.Assessment.from_dict({**adict, "tailoring": []})

        expected = _outcome(mc.score(pack, plain))

        assert expected == _outcome(mc.score(pack, empty))
        assert expected == _outcome(mc.score(pack, plain.with_tailoring()))


class TestUniformRatings:
    @law
    @given(
        gen.packs_and_assessments(),
        st.sampled_from([rid for rid, _ in gen.CMMM_RATINGS]),
    )
    def test_uniform_ratings_give_uniform_level_scores(self, pair, rating):
        """Rating everything v gives X_k = v at levels with requirements."""
        pack_data, adict = pair
        adict = {
            **adict,
            "ratings": [{**r, "rating": rating} for r in adict["ratings"]],
        }
        v = gen.RATING_VALUES[rating]
        scope = _effective_scope(pack_data, adict)
        scorable = {
            r["level"] for r in pack_data["requirements"] if r["node"] in scope
        }

        result = mc.score(*_load((pack_data, adict)))

        expected = tuple(
            v if k in scorable else Fraction(0)
            for k in range(1, len(pack_data["levels"]) + 1)
        )
        assert expected == result.level_scores
        for levels in result.nodes.values():
            assert all(v == x for x in levels.values())


class TestRuleDefinitions:
    @law
    @given(gen.packs_and_assessments())
    def test_rule_a_matches_definition(self, pair):
        """Rule A: S = X_1 + … + X_m and the level is the band of S."""
        pack_data, _ = pair
        gate = Fraction(pack_data["method"]["gate"])

        result = mc.score(*_load(pair), rule="cumulative-gated")

        xs = result.level_scores
        m = next((k for k, x in enumerate(xs, 1) if x < gate), len(xs))
        s = sum(xs[:m], Fraction(0))
        assert s == result.score
        assert m == result.counted_levels
        assert _band_level(_pack_bands(pack_data), s) == result.level

    @law
    @given(gen.packs_and_assessments())
    def test_rule_b_matches_definition(self, pair):
        """Rule B: S = (m − 1) + X_m and the level is the band of S."""
        pack_data, _ = pair
        gate = Fraction(pack_data["method"]["gate"])

        result = mc.score(*_load(pair), rule="cumulative-gated-unit")

        xs = result.level_scores
        m = next((k for k, x in enumerate(xs, 1) if x < gate), len(xs))
        s = (m - 1) + xs[m - 1]
        assert s == result.score
        assert m == result.counted_levels
        assert _band_level(_pack_bands(pack_data), s) == result.level


def _ten_most_pack() -> dict[str, Any]:
    """One leaf with ten level-1 requirements, gate 0.8, two levels."""
    return {
        "format": 1,
        "id": "ten",
        "version": "1.0.0",
        "title": {"en": "Ten requirements"},
        "levels": [
            {"number": 1, "name": {"en": "Level 1"}},
            {"number": 2, "name": {"en": "Level 2"}},
        ],
        "nodes": [{"id": "leaf", "kind": "subdomain", "name": {"en": "L"}}],
        "requirements": [
            {
                "id": f"leaf.{i}",
                "node": "leaf",
                "level": 1,
                "text": {"en": f"requirement {i}"},
                "provenance": {"status": "proposal"},
            }
            for i in range(10)
        ],
        "rubric": {
            "ratings": [
                {"id": rid, "value": value, "name": {"en": rid}}
                for rid, value in gen.CMMM_RATINGS
            ]
        },
        "profiles": [
            {"id": "only", "name": {"en": "Only"}, "weights": {"leaf": "1"}}
        ],
        "method": {
            "rule": "cumulative-gated",
            "gate": "0.8",
            "bands": [{"level": 1, "min": "0.8"}, {"level": 2, "min": "1.8"}],
        },
    }


class TestThreshold:
    @pytest.mark.parametrize("rule", gen.RULES)
    def test_threshold_is_exact(self, rule):
        """Ten requirements rated most give exactly 4/5 and pass 0.8."""
        pack = mc.load_pack(_ten_most_pack())
        assessment = mc.Assessment.from_dict(
            {
                "pack": "ten",
                "ratings": [
                    {"id": f"leaf.{i}", "rating": "most"} for i in range(10)
                ],
            }
        )

        result = mc.score(pack, assessment, rule=rule)

        assert Fraction(4, 5) == result.level_scores[0]
        assert 2 == result.counted_levels  # the gate passed: level 2 looked at
        assert 1 == result.level
        # Why exactness matters: in binary floating point the same mean
        # falls just short of the gate.
        assert sum([0.8] * 10) / 10 < 0.8


# STANDARDS.md §2.5, "Worked vectors": X_1..X_5 → rule A S/level, rule B
# S/level, with bands 0.8 / 1.8 / 2.8 / 3.8 / 4.8 and gate 0.8.
WORKED_VECTORS = [
    ("1.00 0.95 0.60 0.40 0.10", "2.55", 2, "2.60", 2),
    ("1.00 0.90 0.85 0.55 0.20", "3.30", 3, "3.55", 3),
    ("0.80 0.80 0.80 0.00 0.00", "2.40", 2, "3.00", 3),
    ("0.70 0.90 0.90 0.90 0.90", "0.70", 0, "0.70", 0),
    ("1.00 1.00 1.00 1.00 0.85", "4.85", 5, "4.85", 5),
]


#: One case per row and reading: (rule, X_1..X_5, S, level).
WORKED_CASES = [
    pytest.param(rule, xs, s, level, id=f"{which}-{xs.replace(' ', '/')}")
    for xs, s_a, level_a, s_b, level_b in WORKED_VECTORS
    for which, rule, s, level in (
        ("A", "cumulative-gated", s_a, level_a),
        ("B", "cumulative-gated-unit", s_b, level_b),
    )
]


class TestWorkedVectors:
    @pytest.mark.parametrize(("rule", "xs", "s", "level"), WORKED_CASES)
    def test_worked_vector(self, rule, xs, s, level):
        """Each reading gives the S and level of STANDARDS.md §2.5's table."""
        scores = tuple(Fraction(x) for x in xs.split())
        bands = list(enumerate(CMMM_BANDS, start=1))

        outcome = mc.get_rule(rule)(scores, Fraction("0.8"))

        assert Fraction(s) == outcome.score
        assert level == _band_level(bands, outcome.score)
