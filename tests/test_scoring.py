"""Exact scoring on the tiny fixture pack, against hand computation."""

from __future__ import annotations

from fractions import Fraction

import pytest

import maturity_core as mc


RATINGS = {
    "a1.x.1": "full", "a1.y.1": "partial", "a2.z.1": "most", "b1.w.1": "full",
    "a1.x.2": "most", "a2.z.2": "na", "b1.w.2": "full",
    "a1.x.3": "none", "a2.z.3": "partial", "b1.w.3": "most",
}  # fmt: skip


def _assessment(ratings=RATINGS, **extra) -> mc.Assessment:
    return mc.Assessment.from_dict(
        {
            "pack": "tiny",
            "ratings": [{"id": k, "rating": v} for k, v in ratings.items()],
            **extra,
        }
    )


class TestLeafAndNodeScores:
    def test_leaf_is_the_mean_of_its_requirements(self, tiny):
        """a1 at level 1 = (1 + 0.5) / 2."""
        result = mc.score(tiny, _assessment())

        assert Fraction(3, 4) == result.node_score("a1", 1)

    def test_internal_node_is_the_weighted_sum(self, tiny):
        """a at level 1 = 0.5 × 0.75 + 0.5 × 0.8."""
        result = mc.score(tiny, _assessment())

        assert Fraction(31, 40) == result.node_score("a", 1)

    def test_na_leaves_a_leaf_absent_and_renormalises(self, tiny):
        """a2 is all na at level 2, so a at level 2 is a1's score alone."""
        result = mc.score(tiny, _assessment())

        assert None is result.node_score("a2", 2)
        assert Fraction(4, 5) == result.node_score("a", 2)

    def test_level_scores(self, tiny):
        """X = 0.865, 0.88, 0.47 by hand."""
        result = mc.score(tiny, _assessment())

        assert (
            Fraction(173, 200),
            Fraction(22, 25),
            Fraction(47, 100),
        ) == result.level_scores


class TestRules:
    def test_reading_a_sums_until_the_first_failing_level(self, tiny):
        """S = 0.865 + 0.88 + 0.47 = 2.215: level 2."""
        result = mc.score(tiny, _assessment())

        assert (Fraction(443, 200), 2, 3) == (
            result.score,
            result.level,
            result.counted_levels,
        )

    def test_reading_b_counts_passed_levels_as_one(self, tiny):
        """S = 2 + 0.47 = 2.47: level 2."""
        result = mc.score(tiny, _assessment(), rule="cumulative-gated-unit")

        assert (Fraction(247, 100), 2) == (result.score, result.level)

    def test_rule_named_in_the_assessment_is_used(self, tiny):
        """An assessment may select the pack's alternative reading."""
        result = mc.score(tiny, _assessment(rule="cumulative-gated-unit"))

        assert "cumulative-gated-unit" == result.rule

    def test_registered_rule_can_be_selected(self, tiny):
        """A rule registered by name is usable at once."""

        def plain_sum(xs, gate):
            del gate
            return mc.typing.RuleOutcome(sum(xs, Fraction(0)), len(xs), ())

        mc.register_rule("test-plain-sum", plain_sum, replace=True)
        result = mc.score(tiny, _assessment(), rule="test-plain-sum")

        assert Fraction(443, 200) == result.score

    def test_registering_a_taken_name_is_refused(self):
        """Rules are not silently replaced."""
        mc.register_rule("test-taken", lambda xs, gate: None, replace=True)
        with pytest.raises(ValueError, match="already registered"):
            mc.register_rule("test-taken", lambda xs, gate: None)

    def test_builtin_rules_cannot_be_replaced(self):
        """Replacing a built-in rule is refused even with replace=True."""
        with pytest.raises(ValueError, match="built-in"):
            mc.register_rule(
                "cumulative-gated", lambda xs, gate: None, replace=True
            )


class TestProfilesAndTailoring:
    def test_other_profile_uses_its_weights_and_scope(self, tiny):
        """thirds: X = 11/12, 14/15, 8/15 and S = 143/60."""
        result = mc.score(tiny, _assessment(), profile="thirds")

        assert (Fraction(11, 12), Fraction(14, 15), Fraction(8, 15)) == (
            result.level_scores
        )
        assert Fraction(143, 60) == result.score
        assert "a2" not in result.nodes

    def test_tailoring_renormalises_exactly(self, tiny):
        """Without a2: X = 0.85, 0.88, 0.32 and S = 2.05."""
        assessment = _assessment(
            tailoring=[{"node": "a2", "reason": "not applicable here"}]
        )
        result = mc.score(tiny, assessment)

        assert (
            Fraction(17, 20),
            Fraction(22, 25),
            Fraction(8, 25),
        ) == result.level_scores
        assert Fraction(41, 20) == result.score

    def test_tailoring_is_recorded_in_the_trace(self, tiny):
        """The trace names the tailored node and its reason."""
        assessment = _assessment(tailoring=[{"node": "a2", "reason": "why"}])
        result = mc.score(tiny, assessment)

        assert "a2 (why)" in result.trace[0].message

    def test_level_with_nothing_scorable_scores_zero(self, tiny):
        """All-na at a level gives X = 0 and a trace step saying so."""
        ratings = dict(RATINGS)
        for rid in ("a1.x.3", "a2.z.3", "b1.w.3"):
            ratings[rid] = "na"
        result = mc.score(tiny, _assessment(ratings))

        assert 0 == result.level_scores[2]
        assert any(s.data.get("empty") for s in result.trace)


class TestUnrated:
    def test_unrated_requirement_is_an_error_by_default(self, tiny):
        """Scoring refuses to guess a missing rating."""
        ratings = dict(RATINGS)
        del ratings["b1.w.3"]

        with pytest.raises(mc.ScoringError, match="b1.w.3"):
            mc.score(tiny, _assessment(ratings))

    def test_unrated_none_scores_the_lowest_value(self, tiny):
        """With unrated='none', b1.w.3 counts as 0: X3 = 0.15."""
        ratings = dict(RATINGS)
        ratings["b1.w.3"] = None
        result = mc.score(tiny, _assessment(ratings), unrated="none")

        assert Fraction(3, 20) == result.level_scores[2]


class TestResultData:
    def test_json_numbers_are_exact_strings(self, tiny):
        """score, level scores and node scores are n/d strings."""
        data = mc.score(tiny, _assessment()).to_dict()

        assert "443/200" == data["score"]
        assert "2.21" == data["score_decimal"]
        assert {"1": "173/200", "2": "22/25", "3": "47/100"} == data[
            "level_scores"
        ]
        assert {"1": "31/40", "2": "4/5", "3": "1/4"} == data["nodes"]["a"]

    def test_json_records_pack_identity(self, tiny):
        """The result names pack, version, content hash and core version."""
        data = mc.score(tiny, _assessment()).to_dict()

        assert ("tiny", "1.2.0") == (data["pack"], data["pack_version"])
        assert data["pack_hash"].startswith("sha256:")
        assert mc.__version__ == data["core_version"]

    def test_same_inputs_give_identical_json(self, tiny):
        """Scoring is deterministic."""
        first = mc.score(tiny, _assessment()).to_dict()
        second = mc.score(tiny, _assessment()).to_dict()

        assert first == second

    def test_band_step_explains_the_level(self, tiny):
        """The last trace step names the band S falls in."""
        result = mc.score(tiny, _assessment())

        assert "1.8 ≤ S = 2.215 < 2.8: level 2" in result.trace[-1].message

    def test_untrusted_pack_validators_are_skipped(self, tiny_dir):
        """A directory pack runs no code; its validators are skipped."""
        import json

        data = json.loads((tiny_dir / "pack.json").read_text("utf-8"))
        data["validators"] = ["os:system"]
        pack = mc.load_pack(data)
        result = mc.score(pack, _assessment())

        assert [("os:system", "skipped")] == [
            (v.name, v.status) for v in result.validators
        ]
