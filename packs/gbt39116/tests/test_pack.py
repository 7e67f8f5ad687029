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
        """The national 生产 weights of seed 002 sit in the metadata."""
        figures = pack.metadata["metadata"]["seed002_national_weights"]

        assert "0.06" == figures["by_profile"]["process"]["planning-scheduling"]["seed002"]


class TestVectors:
    def test_hand_computed_vectors_pass(self, pack):
        """Every shipped vector gives its hand-computed S and level."""
        assert 5 == check_vectors(pack)
