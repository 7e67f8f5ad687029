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

    @pytest.mark.parametrize(
        "restriction",
        ["renewal_window_months", "upgrade_after_months", "level_change_modes"],
    )
    def test_each_level_change_restriction_is_its_own_proposal(
        self, pack, restriction
    ):
        """The note only allows same- and different-level requests."""
        own = pack.data["lifecycle"]["field_provenance"][restriction]

        assert "proposal" == own["status"]
        assert "同级或不同级" in own["note"]

    def test_only_an_external_assessment_changes_a_level(self, pack):
        """The rule lives in the pack's data, not in the core."""
        assert ["external"] == list(
            pack.data["lifecycle"]["level_change_modes"]
        )

    def test_self_assessment_upgrade_is_refused(self, pack):
        """A self-assessment cannot upgrade a graded bcgrading result."""
        recipe = {"default": {"1": "full", "2": "full"},
                  "metadata": {"date": "2025-01-10", "mode": "self"}}  # fmt: skip
        previous = mc.score(
            pack, assessment_from_recipe(pack, None, recipe)
        ).to_dict()

        check = mc.check_level_change(
            pack, previous, 3, dt.date(2026, 2, 1), request="upgrade",
            mode="self",
        )  # fmt: skip

        assert not check.allowed
        assert "level_change_modes" in check.reasons[0]

    def test_metadata_no_longer_denies_the_lifecycle_block(self, pack):
        """The assessment note points at the lifecycle block it describes."""
        note = pack.data["metadata"]["assessment"]

        assert "no lifecycle block" not in note
        assert "lifecycle block encodes this pack's proposal" in note


class TestSources:
    def test_title_does_not_claim_gb_t_40755_as_a_basis(self, pack):
        """Only GB/T 40755's terms are borrowed; the title says so."""
        title = pack.data["title"]

        assert "基于GB/T 40755" not in title["zh"]
        assert "terms borrowed from GB/T 40755-2021" in title["en"]

    def test_requirements_name_only_the_iso_22301_clause(self, pack):
        """No requirement source says it is built on GB/T 40755-2021."""
        assert not any(
            "40755" in r.provenance["source"] for r in pack.requirements
        )

    def test_drill_rule_is_a_proposal(self, pack):
        """The drill-evidence validator is described by a proposal claim."""
        claims = {
            c["about"]: c["provenance"]["status"]
            for c in pack.data["metadata"]["claims"]
        }

        assert "proposal" == claims["$.validators[0]"]

    def test_bands_are_marked_as_borrowed(self, pack):
        """The CMMM bands are reused, as a proposal."""
        assert {"proposal"} == {
            b["provenance"]["status"] for b in pack.data["method"]["bands"]
        }


class TestVectors:
    def test_hand_computed_vectors_pass(self, pack):
        """Every shipped vector gives its hand-computed S, level, dimensions."""
        assert 4 == check_vectors(pack)
