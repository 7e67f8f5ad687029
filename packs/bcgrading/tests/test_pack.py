"""The business-continuity grading pack (a proposal): structure,
dimensions, the drill rule, the lifecycle and the vectors."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

import maturity_core as mc
from maturity_core.testing import assessment_from_recipe, check_vectors


@pytest.fixture(scope="module")
def pack() -> mc.Pack:
    return mc.load_pack("bcgrading")


def _items(pack: mc.Pack) -> dict[tuple[str, str], list[mc.Requirement]]:
    items: dict[tuple[str, str], list[mc.Requirement]] = {}
    for req in pack.requirements:
        items.setdefault((req.node, req.item.en), []).append(req)
    return items


class TestStructure:
    def test_six_domains_seventeen_subdomains_forty_six_items(self, pack):
        """The counts of the explanatory note: 6 / 17 / 46."""
        kinds = Counter(n.kind for n in pack.nodes.values())

        assert (6, 17, 46) == (
            kinds["domain"],
            kinds["subdomain"],
            len(_items(pack)),
        )

    def test_every_item_has_five_levels(self, pack):
        """230 requirements: each item at levels 1 to 5."""
        assert 230 == len(pack.requirements)
        assert all(
            [1, 2, 3, 4, 5] == sorted(r.level for r in reqs)
            for reqs in _items(pack).values()
        )

    def test_level_one_keeps_both_names(self, pack):
        """The note calls level 1 both 基本级 and 起始级."""
        name = pack.levels[0].name.zh

        assert "基本级" in name
        assert "起始级" in name

    def test_everything_is_marked_as_a_proposal(self, pack):
        """No requirement claims to be the group standard's text."""
        assert {"proposal"} == {
            r.provenance["status"] for r in pack.requirements
        }
        assert "proposal" == pack.metadata["fidelity"]["status"]


class TestDimensions:
    def test_each_item_carries_exactly_one_dimension(self, pack):
        """Every level of an item has the same single tag."""
        for reqs in _items(pack).values():
            tags = {r.tags for r in reqs}
            assert 1 == len(tags)
            assert 1 == len(next(iter(tags)))

    def test_every_dimension_has_enough_items_to_score(self, pack):
        """运行效果 now has 11 items (the §4.4 draft had 2)."""
        counts = Counter(reqs[0].tags[0] for reqs in _items(pack).values())

        assert {"facility": 12, "management": 23, "effect": 11} == dict(counts)

    def test_result_reports_the_three_dimensions(self, pack):
        """A result holds a score per dimension, named in Chinese."""
        recipe = {"default": {"1": "full", "2": "most"}}
        result = mc.score(pack, assessment_from_recipe(pack, None, recipe))

        assert {"facility", "management", "effect"} == set(result.dimensions)
        assert "运行效果" == result.dimensions["effect"].name.zh


class TestDrillRule:
    def _external(self, pack, evidence):
        recipe = {
            "default": {"1": "full", "2": "full", "3": "full"},
            "metadata": {
                "mode": "external",
                "date": "2026-01-10",
                "assessors": [{"name": "A", "role": "lead"}],
            },
        }
        data = assessment_from_recipe(pack, None, recipe).to_dict()
        for entry in data["ratings"]:
            if entry["id"].startswith("exercise-testing.") and entry[
                "id"
            ].endswith((".l3",)):
                entry["evidence"] = evidence
        return mc.Assessment.from_dict(data)

    def test_external_level_three_exercises_need_a_drill(self, pack):
        """Without drill evidence the assessment is refused, with paths."""
        assessment = self._external(
            pack, [{"description": "plan read", "method": "document-review"}]
        )

        with pytest.raises(mc.AssessmentError) as info:
            mc.score(pack, assessment)
        assert 3 == len(info.value.problems)
        assert all(
            p.json_path.endswith(".evidence") for p in info.value.problems
        )

    def test_drill_evidence_satisfies_the_rule(self, pack):
        """A recorded drill is enough."""
        assessment = self._external(
            pack,
            [{"description": "2025 full-scale exercise", "method": "drill",
              "date": "2025-11-02", "owner": "BC manager"}],
        )  # fmt: skip

        assert 3 == mc.score(pack, assessment).level

    def test_self_assessments_are_not_bound(self, pack):
        """A self-assessment without drills still scores."""
        recipe = {"default": {"1": "full", "2": "full", "3": "full"},
                  "metadata": {"mode": "self"}}  # fmt: skip

        assert (
            3
            == mc.score(pack, assessment_from_recipe(pack, None, recipe)).level
        )


class TestLifecycle:
    def test_three_year_validity_with_annual_reviews(self, pack):
        """Proposed lifecycle: 36 months, re-reviews at 12 and 24."""
        recipe = {"default": {"1": "full"}, "metadata": {"date": "2026-01-10"}}
        life = mc.score(
            pack, assessment_from_recipe(pack, None, recipe)
        ).lifecycle

        assert dt.date(2029, 1, 10) == life.valid_until
        assert (dt.date(2027, 1, 10), dt.date(2028, 1, 10)) == life.reviews

    def test_lifecycle_figures_are_marked_as_a_proposal(self, pack):
        """The note gives no figures; the pack says so."""
        assert "proposal" == pack.data["lifecycle"]["provenance"]["status"]


class TestVectors:
    def test_hand_computed_vectors_pass(self, pack):
        """Every shipped vector gives its hand-computed S, level, dimensions."""
        assert 4 == check_vectors(pack)
