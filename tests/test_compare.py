"""Comparing two results of one pack, against hand computation."""

# ruff: noqa: SIM300
# SIM300: the expected value comes first (house style H12).

from __future__ import annotations

import json
from fractions import Fraction

import pytest

import maturity_core as mc
from maturity_core.analysis._compare import NodeChange, RatingChange, compare


#: Last year, on the tiny pack (profile "even").
BEFORE = {
    "a1.x.1": "full", "a1.y.1": "full", "a2.z.1": "most", "b1.w.1": "full",
    "a1.x.2": "most", "a2.z.2": "partial", "b1.w.2": "full",
    "a1.x.3": "none", "a2.z.3": "none", "b1.w.3": "partial",
}  # fmt: skip

#: This year.
AFTER = {
    "a1.x.1": "full", "a1.y.1": "full", "a2.z.1": "full", "b1.w.1": "full",
    "a1.x.2": "full", "a2.z.2": "most", "b1.w.2": "most",
    "a1.x.3": "partial", "a2.z.3": "none", "b1.w.3": "most",
}  # fmt: skip


def _result(pack, ratings, **extra) -> mc.Result:
    assessment = mc.Assessment.from_dict(
        {
            "pack": pack.id,
            "ratings": [{"id": k, "rating": v} for k, v in ratings.items()],
            **extra,
        }
    )
    return mc.score(pack, assessment)


class TestHandComputed:
    def test_score_delta(self, tiny):
        """
        ΔS = 2.33 − 1.73 = 3/5 under reading A on profile "even".

        Weights: a 0.6 {a1 0.5, a2 0.5}, b 0.4 {b1 1}; gate 0.8.

        Before:
          X1: a1 = (1 + 1)/2 = 1, a2 = 0.8, a = 0.5·1 + 0.5·0.8 = 0.9,
              b = 1; X1 = 0.6·0.9 + 0.4·1 = 0.94 (≥ 0.8, passed)
          X2: a1 = 0.8, a2 = 0.5, a = 0.65, b = 1;
              X2 = 0.6·0.65 + 0.4·1 = 0.79 (< 0.8: m = 2)
          X3: a1 = 0, a2 = 0, a = 0, b = 0.5; X3 = 0.2 (not counted)
          S = X1 + X2 = 1.73; 0.8 ≤ 1.73 < 1.8: level 1.
        After:
          X1: every rating full; X1 = 1
          X2: a1 = 1, a2 = 0.8, a = 0.9, b = 0.8;
              X2 = 0.54 + 0.32 = 0.86 (passed)
          X3: a1 = 0.5, a2 = 0, a = 0.25, b = 0.8;
              X3 = 0.15 + 0.32 = 0.47 (< 0.8: m = 3)
          S = 1 + 0.86 + 0.47 = 2.33; 1.8 ≤ 2.33 < 2.8: level 2.
        ΔS = 2.33 − 1.73 = 0.6 = 3/5.
        """
        comparison = compare(_result(tiny, BEFORE), _result(tiny, AFTER))

        assert (Fraction(173, 100), Fraction(233, 100), Fraction(3, 5)) == (
            comparison.score_before,
            comparison.score_after,
            comparison.score_delta,
        )

    def test_level_scores_deltas(self, tiny):
        """ΔX = (1 − 0.94, 0.86 − 0.79, 0.47 − 0.2) = (0.06, 0.07, 0.27)."""
        comparison = compare(_result(tiny, BEFORE), _result(tiny, AFTER))

        assert (
            Fraction(3, 50),
            Fraction(7, 100),
            Fraction(27, 100),
        ) == comparison.level_score_deltas

    def test_levels_before_and_after(self, tiny):
        """The organisation rises from level 1 to level 2."""
        comparison = compare(_result(tiny, BEFORE), _result(tiny, AFTER))

        assert (1, 2, 1) == (
            comparison.level_before,
            comparison.level_after,
            comparison.level_delta,
        )

    def test_node_deltas(self, tiny):
        """Node a at level 2 rises from 0.65 to 0.9: by 1/4."""
        comparison = compare(_result(tiny, BEFORE), _result(tiny, AFTER))

        assert NodeChange("a", 2, Fraction(13, 20), Fraction(9, 10)) in (
            comparison.nodes
        )
        assert Fraction(1, 4) == comparison.node_deltas["a"][2]

    def test_every_node_of_both_is_compared(self, tiny):
        """Every node in scope in both appears, in tree order."""
        comparison = compare(_result(tiny, BEFORE), _result(tiny, AFTER))

        assert ["a", "a1", "a2", "b", "b1"] == list(comparison.node_deltas)


class TestRatingChanges:
    def test_newly_met(self, tiny):
        """a1.x.2 (most) and a2.z.1 (most) are now full, in pack order."""
        comparison = compare(_result(tiny, BEFORE), _result(tiny, AFTER))

        assert ("a1.x.2", "a2.z.1") == comparison.newly_met

    def test_newly_lost(self, tiny):
        """b1.w.2 was full and is now most."""
        comparison = compare(_result(tiny, BEFORE), _result(tiny, AFTER))

        assert ("b1.w.2",) == comparison.newly_lost

    def test_improved(self, tiny):
        """Every rating whose value went up, with the exact rise."""
        comparison = compare(_result(tiny, BEFORE), _result(tiny, AFTER))

        assert (
            RatingChange("a1.x.2", 2, "most", "full", Fraction(1, 5)),
            RatingChange("a1.x.3", 3, "none", "partial", Fraction(1, 2)),
            RatingChange("a2.z.1", 1, "most", "full", Fraction(1, 5)),
            RatingChange("a2.z.2", 2, "partial", "most", Fraction(3, 10)),
            RatingChange("b1.w.3", 3, "partial", "most", Fraction(3, 10)),
        ) == comparison.improved

    def test_worsened(self, tiny):
        """b1.w.2 fell from full to most: by 1/5."""
        comparison = compare(_result(tiny, BEFORE), _result(tiny, AFTER))

        assert (
            RatingChange("b1.w.2", 2, "full", "most", Fraction(-1, 5)),
        ) == comparison.worsened

    def test_change_to_na_has_no_value_delta(self, tiny):
        """none → na is listed apart, and a2 at level 3 becomes absent."""
        after = _result(tiny, {**AFTER, "a2.z.3": "na"})

        comparison = compare(_result(tiny, BEFORE), after)

        assert (
            (RatingChange("a2.z.3", 3, "none", "na", None),),
            NodeChange("a2", 3, Fraction(0), None),
        ) == (
            comparison.other_changes,
            next(
                c for c in comparison.nodes if (c.node, c.level) == ("a2", 3)
            ),
        )

    def test_na_to_full_is_newly_met(self, tiny):
        """A requirement rated full now and na before is newly met."""
        before = _result(tiny, {**BEFORE, "a1.x.3": "na"})
        after = _result(tiny, {**AFTER, "a1.x.3": "full"})

        assert "a1.x.3" in compare(before, after).newly_met

    def test_identical_results_have_no_changes(self, tiny):
        """Comparing a result with itself changes nothing."""
        result = _result(tiny, BEFORE)

        comparison = compare(result, result)

        assert (Fraction(0), (), (), (), (), ()) == (
            comparison.score_delta,
            comparison.newly_met,
            comparison.newly_lost,
            comparison.improved,
            comparison.worsened,
            comparison.other_changes,
        )

    def test_change_from_na_has_no_node_delta(self, tiny):
        """a2 at level 3 absent before (all na) has no delta at level 3."""
        before = _result(tiny, {**BEFORE, "a2.z.3": "na"})

        comparison = compare(before, _result(tiny, AFTER))

        assert 3 not in comparison.node_deltas["a2"]

    def test_renamed_rating_of_equal_value_is_no_change_in_value(
        self, tiny_dir
    ):
        """A newer minor version renaming most to mostly changes no value."""
        data = json.loads((tiny_dir / "pack.json").read_text("utf-8"))
        renamed = json.loads(json.dumps(data))
        renamed["version"] = "1.3.0"
        renamed["rubric"]["ratings"][1]["id"] = "mostly"
        old, new = mc.load_pack(data), mc.load_pack(renamed)
        after = {k: "mostly" if v == "most" else v for k, v in BEFORE.items()}

        comparison = compare(_result(old, BEFORE), _result(new, after))

        assert (
            (RatingChange("a1.x.2", 2, "most", "mostly", Fraction(0)),),
            (),
            (),
        ) == (
            comparison.other_changes[:1],
            comparison.improved,
            comparison.worsened,
        )


class TestScope:
    def test_nodes_tailored_out_after_are_listed_apart(self, tiny):
        """a2 tailored out this year is only in last year's result."""
        after = _result(
            tiny, AFTER, tailoring=[{"node": "a2", "reason": "outsourced"}]
        )

        comparison = compare(_result(tiny, BEFORE), after)

        assert (("a2",), ()) == (
            comparison.only_before,
            comparison.only_after,
        )

    def test_ratings_out_of_scope_count_as_no_rating(self, tiny):
        """A requirement of a tailored-out node has no rating after."""
        after = _result(
            tiny, AFTER, tailoring=[{"node": "a2", "reason": "outsourced"}]
        )

        comparison = compare(_result(tiny, BEFORE), after)

        assert RatingChange("a2.z.1", 1, "most", None, None) in (
            comparison.other_changes
        )

    def test_nodes_added_after_are_listed_apart(self, tiny):
        """a2 back in scope this year is only in this year's result."""
        before = _result(
            tiny, BEFORE, tailoring=[{"node": "a2", "reason": "outsourced"}]
        )

        comparison = compare(before, _result(tiny, AFTER))

        assert ((), ("a2",)) == (
            comparison.only_before,
            comparison.only_after,
        )


class TestRefusals:
    def test_different_packs(self, tiny):
        """Results of two packs are not comparable."""
        db12 = mc.load_pack("db12t1073")
        blank = mc.blank_assessment(db12)
        for entry in blank["ratings"]:
            entry["rating"] = "full"
        other = mc.score(db12, mc.Assessment.from_dict(blank))

        with pytest.raises(mc.AssessmentError, match="different packs") as e:
            compare(other, _result(tiny, AFTER))

        assert "$.pack" == e.value.json_path

    def test_different_major_versions(self, tiny_dir):
        """Scores of different major versions of a pack are refused."""
        data = json.loads((tiny_dir / "pack.json").read_text("utf-8"))
        old = mc.load_pack(data)
        new = mc.load_pack({**data, "version": "2.0.0"})

        with pytest.raises(mc.AssessmentError, match="not comparable") as e:
            compare(_result(old, BEFORE), _result(new, AFTER))

        assert "$.pack_version" == e.value.json_path

    def test_same_major_version_is_comparable(self, tiny_dir):
        """A minor version change keeps scores comparable."""
        data = json.loads((tiny_dir / "pack.json").read_text("utf-8"))
        old = mc.load_pack(data)
        new = mc.load_pack({**data, "version": "1.3.0"})

        comparison = compare(_result(old, BEFORE), _result(new, AFTER))

        assert ("1.2.0", "1.3.0") == comparison.versions

    def test_different_levels(self, tiny_dir):
        """A same-major pack with other levels is refused."""
        data = json.loads((tiny_dir / "pack.json").read_text("utf-8"))
        short = {
            **data,
            "version": "1.3.0",
            "levels": data["levels"][:2],
            "requirements": [
                r for r in data["requirements"] if r["level"] < 3
            ],
            "method": {**data["method"], "bands": data["method"]["bands"][:2]},
        }
        ratings = {k: v for k, v in AFTER.items() if not k.endswith(".3")}

        with pytest.raises(mc.AssessmentError, match="levels") as e:
            compare(
                _result(mc.load_pack(data), BEFORE),
                _result(mc.load_pack(short), ratings),
            )

        assert "$.levels" == e.value.json_path

    def test_different_profiles(self, tiny):
        """Results under two profiles are refused by default."""
        after = _result(tiny, AFTER, profile="thirds")

        with pytest.raises(mc.AssessmentError, match="allow_profile") as e:
            compare(_result(tiny, BEFORE), after)

        assert "$.profile" == e.value.json_path

    def test_profile_change_when_allowed(self, tiny):
        """
        With allow_profile_change, "thirds" (a 1/3 {a1}, b 2/3) compares.

        After under "thirds": X1 = 1; X2 = 1/3·1 + 2/3·0.8 = 13/15;
        X3 = 1/3·0.5 + 2/3·0.8 = 7/10; S = 1 + 13/15 + 7/10 = 77/30.
        ΔS = 77/30 − 173/100 = 770/300 − 519/300 = 251/300.
        """
        after = _result(tiny, AFTER, profile="thirds")

        comparison = compare(
            _result(tiny, BEFORE), after, allow_profile_change=True
        )

        assert (
            ("even", "thirds"),
            ("a2",),
            Fraction(251, 300),
        ) == (
            comparison.profiles,
            comparison.only_before,
            comparison.score_delta,
        )


class TestToDict:
    def test_numbers_are_exact_strings(self, tiny):
        """S, ΔS and ΔX are exact strings."""
        data = compare(_result(tiny, BEFORE), _result(tiny, AFTER)).to_dict()

        assert (
            {"before": "173/100", "after": "233/100", "delta": "3/5"},
            {"before": "79/100", "after": "43/50", "delta": "7/100"},
            {"before": 1, "after": 2, "delta": 1},
        ) == (data["score"], data["level_scores"]["2"], data["level"])

    def test_node_levels_are_exact_strings(self, tiny):
        """A node's level entry carries before, after and delta."""
        data = compare(_result(tiny, BEFORE), _result(tiny, AFTER)).to_dict()

        assert {"before": "13/20", "after": "9/10", "delta": "1/4"} == data[
            "nodes"
        ]["a"]["2"]

    def test_rating_changes_are_listed(self, tiny):
        """Changes are data: ids for met and lost, entries for the rest."""
        data = compare(_result(tiny, BEFORE), _result(tiny, AFTER)).to_dict()

        assert (
            ["a1.x.2", "a2.z.1"],
            ["b1.w.2"],
            [
                {
                    "requirement": "b1.w.2",
                    "level": 2,
                    "before": "full",
                    "after": "most",
                    "delta": "-1/5",
                }
            ],
        ) == (data["newly_met"], data["newly_lost"], data["worsened"])

    def test_round_trips_through_json(self, tiny):
        """The report is plain JSON."""
        data = compare(_result(tiny, BEFORE), _result(tiny, AFTER)).to_dict()

        assert data == json.loads(json.dumps(data))
