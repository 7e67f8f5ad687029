"""The DB12/T 1073-2021 pack: structure, weights, provenance and vectors."""

from __future__ import annotations

import re
from collections import Counter
from fractions import Fraction

import pytest

import maturity_core as mc
from maturity_core.testing import check_vectors


ITEMS = {
    "personnel-skills": 5, "data": 4, "integration": 3,
    "information-security": 5, "equipment": 5, "network": 3,
    "product-design": 4, "process-design": 4, "procurement": 5,
    "planning-scheduling": 3, "production-operations": 5,
    "equipment-management": 4, "warehousing-distribution": 4,
    "safety-environment": 3, "energy-management": 5, "logistics": 5,
    "sales": 5, "customer-service": 3, "product-service": 4,
    "organisational-strategy": 4, "business-control": 6,
    "fusion-management": 6, "it-operations": 4,
}  # fmt: skip


@pytest.fixture(scope="module")
def pack() -> mc.Pack:
    return mc.load_pack("db12t1073")


def _kinds(pack: mc.Pack) -> Counter[str]:
    return Counter(n.kind for n in pack.nodes.values())


class TestDiscovery:
    def test_pack_is_discovered_through_its_entry_point(self):
        """The installed distribution registers entry point db12t1073."""
        infos = {i.id: i for i in mc.discover_packs()}

        assert "maturity-pack-db12t1073" == infos["db12t1073"].dist_name
        assert "maturity_pack_db12t1073" == infos["db12t1073"].entry_point

    def test_distribution_version_equals_pack_version(self, pack):
        """The distribution and pack.json carry the same version."""
        infos = {i.id: i for i in mc.discover_packs()}

        assert pack.version == infos["db12t1073"].dist_version

    def test_installed_pack_is_trusted(self, pack):
        """An entry-point pack is installed code, so its validators run."""
        assert pack.trusted


class TestStructure:
    def test_counts_of_elements_domains_subdomains(self, pack):
        """§4.1: 5 elements, 13 domains, 23 subdomains."""
        kinds = _kinds(pack)

        assert (5, 13, 23) == (
            kinds["element"],
            kinds["domain"],
            kinds["subdomain"],
        )

    def test_items_per_subdomain(self, pack):
        """Every subdomain has the items of its table (99 in all)."""
        items = Counter()
        for req in pack.requirements:
            if req.level == 1:
                items[req.node] += 1

        assert ITEMS == dict(items)
        assert 99 == sum(items.values())

    def test_every_item_has_one_requirement_per_level(self, pack):
        """Each item has exactly one requirement at each of the 5 levels."""
        per_item = Counter((r.node, r.item.zh) for r in pack.requirements)

        assert {5} == set(per_item.values())
        assert 495 == len(pack.requirements)

    def test_process_profile_omits_product_design_and_service(self, pack):
        """Table 11: the process profile has 21 subdomains, 455 requirements."""
        scope = pack.profiles["process"].scope
        leaves = [n for n in scope if pack.nodes[n].kind == "subdomain"]

        assert 21 == len(leaves)
        assert {"product-design", "product-service"}.isdisjoint(scope)
        assert 455 == sum(r.node in scope for r in pack.requirements)

    def test_discrete_is_the_default_profile(self, pack):
        """Table 12's discrete profile covers all 23 subdomains."""
        assert "discrete" == pack.default_profile

    def test_governance_holds_strategy_and_business_control(self, pack):
        """§5: 管控 holds 组织战略 and 经营管控 under 治理."""
        assert "control" == pack.parents["organisational-strategy"]
        assert "governance" == pack.parents["control"]

    def test_requirement_ids_are_stable_ascii(self, pack):
        """Ids name subdomain, item and level, never a table position."""
        pattern = re.compile(r"^[a-z0-9-]+\.[a-z0-9-]+\.l[1-5]$")

        assert all(pattern.match(r.id) for r in pack.requirements)
        assert all(
            r.id.startswith(f"{r.node}.") and r.id.endswith(f".l{r.level}")
            for r in pack.requirements
        )

    def test_every_name_is_bilingual(self, pack):
        """Elements, domains, subdomains and items have zh and en names."""
        assert all(n.name.zh and n.name.en for n in pack.root.children)
        assert all(
            n.name.zh and n.name.en
            for n in pack.nodes.values()
            if n.kind != "root"
        )
        assert all(r.item.zh and r.item.en for r in pack.requirements)


class TestWeights:
    @pytest.mark.parametrize(
        ("profile", "node", "expected"),
        [
            ("process", "resources", "0.14"),
            ("process", "production-operations", "0.23"),
            ("process", "design", "0.04"),
            ("discrete", "resources", "0.11"),
            ("discrete", "design", "0.13"),
            ("discrete", "data-domain", "0.46"),
            ("discrete", "fusion", "0.4"),
        ],
    )
    def test_weights_are_the_tables_exactly(
        self, pack, profile, node, expected
    ):
        """Tables 14 and 15 are encoded as exact decimals."""
        assert Fraction(expected) == pack.profiles[profile].weights[node]

    @pytest.mark.parametrize("profile", ["process", "discrete"])
    def test_leaf_weights_sum_to_one(self, pack, profile):
        """The absolute subdomain weights of a profile sum to exactly 1."""
        prof = pack.profiles[profile]
        total = Fraction(0)
        for node in prof.scope:
            if node == "$root" or not pack.nodes[node].is_leaf:
                continue
            w = prof.weights[node]
            for a in pack.ancestors(node):
                w *= prof.weights[a]
            total += w

        assert 1 == total

    @pytest.mark.parametrize("profile", ["process", "discrete"])
    def test_clause_7_mandatory_nodes(self, pack, profile):
        """人员, 技术, 资源, 生产 and 管控 cannot be tailored out."""
        prof = pack.profiles[profile]

        assert pack.is_mandatory(prof, "energy-management")
        assert pack.is_mandatory(prof, "network")
        assert not pack.is_mandatory(prof, "logistics-domain")
        assert not pack.is_mandatory(prof, "fusion")


class TestProvenance:
    def test_every_requirement_names_its_table(self, pack):
        """Each requirement's provenance names its table and seed lines."""
        tables = {f"表{n}" for n in range(1, 11)}

        assert all(
            r.provenance["table"] in tables
            and r.provenance["status"] == "read"
            and len(r.provenance["lines"]) == 2
            for r in pack.requirements
        )

    def test_rule_provenance_says_it_is_inferred(self, pack):
        """The S rule is not printed in DB12; the pack says so."""
        assert "inferred" == pack.method.provenance["status"]

    def test_na_is_not_allowed(self, pack):
        """Table 13 has four ratings and no 'not applicable'."""
        assert ("full", "most", "partial", "none") == pack.rubric.ids

    @pytest.mark.parametrize(
        ("claim", "about"),
        [
            ("tailoring-renormalisation", "$.profiles"),
            ("tailoring-granularity", "$.profiles"),
            ("no-level-label", "$.method.no_level_name"),
            ("issuer-name", "$.standard.issuer"),
        ],
    )
    def test_readings_beyond_the_text_are_marked_inferred(
        self, pack, claim, about
    ):
        """What §7, table 16 and the seed do not say is an inferred claim."""
        claims = {c["id"]: c for c in pack.data["metadata"]["claims"]}

        assert ("inferred", about) == (
            claims[claim]["provenance"]["status"],
            claims[claim]["about"],
        )

    def test_fidelity_statement_points_at_the_inferences(self, pack):
        """The statement names the four readings and where they are."""
        statement = pack.metadata["fidelity"]["statement"]

        assert "metadata.claims" in statement["en"]
        assert "metadata.claims" in statement["zh"]


class TestVectors:
    def test_hand_computed_vectors_pass(self, pack):
        """Every shipped vector gives its hand-computed S and level."""
        assert 11 == check_vectors(pack)
