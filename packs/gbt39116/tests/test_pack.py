"""The derived GB/T 39116-2020 pack: structure, derived weights, vectors."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest

import maturity_core as mc
from maturity_core.testing import check_vectors


@pytest.fixture(scope="module")
def pack() -> mc.Pack:
    return mc.load_pack("gbt39116")


@pytest.fixture(scope="module")
def db12() -> mc.Pack:
    return mc.load_pack("db12t1073")


def _absolute(pack: mc.Pack, profile: str, node: str) -> Fraction:
    weights = pack.profiles[profile].weights
    value = weights[node]
    for ancestor in pack.ancestors(node):
        value *= weights[ancestor]
    return value


class TestStructure:
    def test_four_elements_twelve_domains_twenty_subdomains(self, pack):
        """STANDARDS.md §1.3: 4 / 12 / 20."""
        kinds = Counter(n.kind for n in pack.nodes.values())

        assert (4, 12, 20) == (
            kinds["element"],
            kinds["domain"],
            kinds["subdomain"],
        )

    def test_strategy_sits_under_personnel(self, pack):
        """组织战略 is a domain of 人员 in the national model."""
        assert ["organisational-strategy-domain", "personnel"] == list(
            pack.ancestors("organisational-strategy")
        )

    def test_requirements_are_db12_items_of_shared_subdomains(self, pack, db12):
        """83 items × 5 levels, with DB12's ids and texts."""
        assert 415 == len(pack.requirements)
        for req in pack.requirements:
            assert db12.requirements_by_id[req.id].text == req.text

    def test_every_requirement_says_it_is_derived(self, pack):
        """Provenance marks each requirement as derived from DB12."""
        assert {"derived"} == {
            r.provenance["status"] for r in pack.requirements
        }
        assert all(
            r.provenance["table"].startswith("DB12/T 1073-2021 表")
            for r in pack.requirements
        )

    def test_five_levels_with_gate_and_bands(self, pack):
        """Five levels, gate 0.8, bands 0.8 … 4.8."""
        assert (1, 2, 3, 4, 5) == pack.level_numbers
        assert Fraction(4, 5) == pack.method.gate
        assert [Fraction(x, 10) for x in (8, 18, 28, 38, 48)] == [
            b.min for b in pack.method.bands
        ]


class TestDerivedWeights:
    @pytest.mark.parametrize("profile", ["process", "discrete"])
    def test_weights_sum_exactly_to_one(self, pack, profile):
        """Absolute subdomain weights sum to exactly 1."""
        prof = pack.profiles[profile]
        leaves = [
            n for n in prof.scope if n in pack.nodes and pack.nodes[n].kind == "subdomain"
        ]

        assert 1 == sum(_absolute(pack, profile, n) for n in leaves)

    @pytest.mark.parametrize("profile", ["process", "discrete"])
    def test_shared_subdomains_keep_db12_absolute_weight(self, pack, db12, profile):
        """Each subdomain's weight is its DB12 absolute weight / (1 − 4.9 %)."""
        for node in ("procurement", "data", "organisational-strategy", "sales"):
            expected = _absolute(db12, profile, node) / Fraction(951, 1000)

            assert expected == _absolute(pack, profile, node)

    @pytest.mark.parametrize(
        ("profile", "element", "percent"),
        [
            ("process", "personnel", "5.36"),
            ("process", "technology", "10.51"),
            ("process", "resources", "14.72"),
            ("process", "manufacturing", "69.40"),
            ("discrete", "resources", "11.56"),
            ("discrete", "manufacturing", "72.55"),
        ],
    )
    def test_element_weights_match_the_cross_check(
        self, pack, profile, element, percent
    ):
        """STANDARDS.md §2.3's cross-check, truncated to 2 places of %."""
        value = pack.profiles[profile].weights[element] * 100

        assert Fraction(percent) <= value < Fraction(percent) + Fraction(1, 100)

    def test_seed_002_figures_are_recorded_beside_the_derived(self, pack):
        """The numbers seed 002 prints beside the 生产 subdomains sit in the metadata."""
        figures = pack.metadata["metadata"]["seed002_production_figures"]

        assert "0.06" == figures["by_profile"]["process"]["planning-scheduling"]["seed002"]

    def test_seed_002_figures_are_not_called_weights(self, pack):
        """The presentation does not label its numbers, so neither does the pack."""
        figures = pack.metadata["metadata"]["seed002_production_figures"]

        assert "does not say so" in figures["note"]
        assert "national absolute weights" not in str(pack.metadata)


class TestWording:
    def test_no_source_says_db12_restates_the_national_text(self, pack):
        """Requirements are DB12's texts used as stand-ins, and say so."""
        sources = {r.provenance["source"] for r in pack.requirements}

        assert {"DB12/T 1073-2021, as a stand-in for GB/T 39116-2020 clause 7"} == sources

    def test_fidelity_statement_calls_requirements_stand_ins(self, pack):
        """The statement makes no item-by-item claim, in either language."""
        statement = pack.metadata["fidelity"]["statement"]

        assert "stand-in" in statement["en"]
        assert "替代" in statement["zh"]
        assert "restatement" not in statement["en"]
        assert "转述" not in statement["zh"]

    @pytest.mark.parametrize(
        ("profile", "caption"),
        [
            ("process", "表14 流程型制造企业主要评估域及权重表"),
            ("discrete", "表15 离散型制造企业主要评估域及权重值"),
        ],
    )
    def test_profile_description_quotes_the_db12_caption_whole(
        self, pack, profile, caption
    ):
        """The Chinese description keeps DB12's table caption intact."""
        assert caption in pack.profiles[profile].description.zh

    @pytest.mark.parametrize(
        ("profile", "scope"),
        [("process", "18 of the 20 subdomains"), ("discrete", "all 20 subdomains")],
    )
    def test_profile_description_counts_this_packs_subdomains(
        self, pack, profile, scope
    ):
        """The English description counts the national tree's 20 subdomains."""
        assert scope in pack.profiles[profile].description.en

    def test_level_descriptions_have_no_db12_endings(self, pack):
        """The levels use seed 002's national wording, without 两化融合 and the like."""
        descriptions = [lv.description.zh for lv in pack.levels]

        assert not any("两化融合" in d or "经营管控" in d for d in descriptions)
        assert {"002_cc846355758f476d.txt"} == {
            lv["provenance"]["seed"] for lv in pack.data["levels"]
        }

    def test_na_note_names_db12(self, pack):
        """The rubric note says whose table 13 and clause 7 it means."""
        note = pack.data["rubric"]["na"]["note"]

        assert "DB12/T 1073-2021表13" in note["zh"]
        assert "DB12/T 1073-2021 table 13" in note["en"]


@pytest.fixture(scope="module")
def walk() -> dict[str, mc.analysis.CrosswalkEntry]:
    crosswalk = mc.analysis.find_crosswalk("db12t1073", "gbt39116")
    return {m.source: m for m in crosswalk.requirements}


class TestCrosswalkConfidence:
    def test_no_requirement_mapping_claims_more_than_seed_002_shows(self, walk):
        """The surest requirement mapping is one seed 002 shows at the same row."""
        assert Fraction(4, 5) == max(m.confidence for m in walk.values())

    def test_the_self_learning_requirement_is_less_sure(self, walk):
        """Seed 002 shows it in its fourth row; DB12 puts it at level 5."""
        assert Fraction(1, 2) == walk[
            "information-security.security-configuration.l5"
        ].confidence

    def test_unverifiable_requirements_get_the_observed_rate(self, walk):
        """Without national text, a mapping gets 信息安全's same-row rate 8/25."""
        assert Fraction(8, 25) == walk["data.data-sharing.l1"].confidence


class TestVectors:
    def test_hand_computed_vectors_pass(self, pack):
        """Every shipped vector gives its hand-computed S and level."""
        assert 5 == check_vectors(pack)
