"""The Python API checks its boundary and says what it expected."""

from __future__ import annotations

import pytest

import maturity_core as mc
from maturity_core.exceptions import ArgumentError, NotFoundError


@pytest.fixture(scope="module")
def pack():
    return mc.load_pack("db12t1073")


@pytest.fixture(scope="module")
def assessment(pack):
    return mc.Assessment.from_dict(mc.blank_assessment(pack, "discrete"))


class TestScoreArguments:
    def test_a_dict_for_the_assessment_is_refused(self, pack):
        """score(pack, dict) names the argument and what it takes."""
        with pytest.raises(ArgumentError, match="assessment must be an"):
            mc.score(pack, {})

    def test_swapped_arguments_are_named(self, pack, assessment):
        """score(assessment, pack) says the pack comes first."""
        with pytest.raises(ArgumentError, match="the pack comes first"):
            mc.score(assessment, pack)

    def test_a_path_for_the_assessment_is_refused_by_validate(self, pack):
        """validate(pack, "a.json") names what it takes."""
        with pytest.raises(ArgumentError, match="Assessment.from_path"):
            mc.validate(pack, "a.json")

    def test_the_error_is_a_type_error(self, pack):
        """Code that catches TypeError keeps working."""
        with pytest.raises(TypeError):
            mc.score(pack, {})


class TestBlankAssessment:
    def test_an_unknown_profile_names_the_valid_ones(self, pack):
        """blank_assessment(pack, "discreet") lists the pack's profiles."""
        with pytest.raises(mc.AssessmentError) as info:
            mc.blank_assessment(pack, "discreet")

        assert ["unknown-profile"] == [p.code for p in info.value.problems]
        assert "discrete" in str(info.value)


class TestAssessment:
    def test_ratings_as_dicts_are_refused(self):
        """Assessment(ratings=[{...}]) points to from_dict."""
        with pytest.raises(ArgumentError, match="from_dict"):
            mc.Assessment(pack="x", ratings=({"id": "a"},))

    def test_repr_is_one_short_line(self, assessment):
        """repr() of a full assessment is one readable line."""
        text = repr(assessment)

        assert [text] == text.splitlines()
        assert len(text) < 200

    def test_repr_counts_the_rated_requirements(self, pack):
        """repr() says how many requirements are rated."""
        data = mc.blank_assessment(pack, "discrete")
        data["ratings"][0]["rating"] = "full"

        text = repr(mc.Assessment.from_dict(data))

        assert f"1/{len(data['ratings'])} rated" in text


class TestResult:
    def test_repr_is_one_short_line(self, pack):
        """repr() of a result is one readable line."""
        data = mc.blank_assessment(pack, "discrete")
        for entry in data["ratings"]:
            entry["rating"] = "full"

        text = repr(mc.score(pack, mc.Assessment.from_dict(data)))

        assert [text] == text.splitlines()
        assert len(text) < 200


@pytest.fixture(scope="module")
def result(pack):
    data = mc.blank_assessment(pack, "discrete")
    for entry in data["ratings"]:
        entry["rating"] = "full"
    return mc.score(pack, mc.Assessment.from_dict(data))


class TestLookups:
    def test_node_score_of_an_unknown_node_raises(self, result):
        """node_score() of a node the pack lacks names the pack."""
        with pytest.raises(NotFoundError, match="has no node 'nope'"):
            result.node_score("nope", 1)

    def test_node_score_of_an_unknown_level_raises(self, result):
        """node_score() at a level the pack lacks lists the levels."""
        node = next(iter(result.nodes))

        with pytest.raises(NotFoundError, match="levels: 1, 2, 3, 4, 5"):
            result.node_score(node, 9)

    def test_the_lookup_error_is_a_lookup_error(self, result):
        """Code that catches LookupError keeps working."""
        with pytest.raises(LookupError):
            result.node_score("nope", 1)

    def test_find_crosswalk_without_one_raises(self):
        """find_crosswalk() between packs with no crosswalk raises."""
        with pytest.raises(NotFoundError, match="no installed pack ships"):
            mc.analysis.find_crosswalk("db12t1073", "bcgrading")
