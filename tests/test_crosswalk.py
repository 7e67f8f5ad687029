"""Crosswalks carry ratings between packs and report the rest."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import maturity_core as mc
from maturity_core.cli import run


@pytest.fixture(scope="module")
def db12() -> mc.Pack:
    return mc.load_pack("db12t1073")


@pytest.fixture(scope="module")
def gb() -> mc.Pack:
    return mc.load_pack("gbt39116")


@pytest.fixture(scope="module")
def example() -> mc.Assessment:
    return mc.Assessment.from_path("examples/db12t1073-discrete.json")


class TestShippedCrosswalk:
    def test_is_found_in_either_direction(self):
        """The DB12 → GB/T crosswalk ships with gbt39116, both ways."""
        forward = mc.analysis.find_crosswalk("db12t1073", "gbt39116")
        backward = mc.analysis.find_crosswalk("gbt39116", "db12t1073")

        assert ("db12t1073", "gbt39116") == (forward.source, forward.target)
        assert ("gbt39116", "db12t1073") == (backward.source, backward.target)

    def test_names_only_existing_ids(self, db12, gb):
        """Every mapped node and requirement exists in its pack."""
        assert [] == mc.analysis.find_crosswalk("db12t1073", "gbt39116").check(db12, gb)

    def test_reversal_flips_subset_and_superset(self):
        """Read backwards, a subset mapping becomes a superset one."""
        forward = mc.analysis.find_crosswalk("db12t1073", "gbt39116")
        backward = forward.reversed()
        relation = {m.source: m.relation for m in backward.nodes}

        assert "superset" == relation["personnel"]


class TestCarry:
    def test_equal_mappings_keep_every_rating(self, db12, gb, example):
        """Every DB12 rating of an equal mapping arrives unchanged."""
        walk = mc.analysis.find_crosswalk("db12t1073", "gbt39116")
        carried = mc.analysis.carry_assessment(walk, example, db12, gb)
        before = example.ratings_by_id
        after = carried.assessment.ratings_by_id

        assert 415 == len(carried.carried)
        assert all(after[t] == before[s] for s, t, _ in carried.carried)

    def test_db12_only_requirements_are_reported(self, db12, gb, example):
        """The 80 DB12-only ratings are listed with a reason."""
        walk = mc.analysis.find_crosswalk("db12t1073", "gbt39116")
        carried = mc.analysis.carry_assessment(walk, example, db12, gb)
        left = [n for n in carried.not_carried if n.side == "source"]

        assert 80 == len(left)
        assert {"business-control", "fusion-management", "it-operations"} == {
            n.requirement.split(".")[0] for n in left
        }

    def test_backwards_leaves_unmapped_targets_unrated(
        self, db12, gb, example
    ):
        """GB/T → DB12 leaves the DB12-only requirements unrated, saying why."""
        forward = mc.analysis.carry_assessment(
            mc.analysis.find_crosswalk("db12t1073", "gbt39116"), example, db12, gb
        )
        back = mc.analysis.carry_assessment(
            mc.analysis.find_crosswalk("gbt39116", "db12t1073"),
            forward.assessment,
            gb,
            db12,
        )
        reasons = {n.reason for n in back.not_carried if n.side == "target"}

        assert 80 == sum(e.rating is None for e in back.assessment.ratings)
        assert {"no mapping from the source pack"} == reasons

    def test_non_equal_relations_are_not_carried_by_default(
        self, db12, gb, example
    ):
        """A superset mapping reports instead of guessing."""
        data = {
            "format": 1,
            "id": "test-superset",
            "source": {"pack": "db12t1073"},
            "target": {"pack": "gbt39116"},
            "requirements": [
                {"source": "data.data-sharing.l1", "target": "data.data-sharing.l1",
                 "relation": "superset", "confidence": "0.5"}
            ],
            "provenance": {"status": "proposal"},
        }  # fmt: skip
        walk = mc.analysis.Crosswalk.from_dict(data)
        carried = mc.analysis.carry_assessment(walk, example, db12, gb)
        knowingly = mc.analysis.carry_assessment(
            walk, example, db12, gb, relations=("equal", "superset")
        )

        assert None is carried.assessment.rating_of("data.data-sharing.l1")
        assert example.rating_of("data.data-sharing.l1") == (
            knowingly.assessment.rating_of("data.data-sharing.l1")
        )

    def test_tailoring_follows_equal_nodes(self, db12, gb, example):
        """A tailored DB12 domain stays tailored where GB/T allows it."""
        tailored = example.with_tailoring(mc.Tailoring("service", "none"))
        walk = mc.analysis.find_crosswalk("db12t1073", "gbt39116")
        carried = mc.analysis.carry_assessment(walk, tailored, db12, gb)

        assert ["service"] == [t.node for t in carried.assessment.tailoring]

    def test_crosswalk_naming_unknown_ids_is_invalid(self, db12, gb, example):
        """A mapping to a requirement the pack lacks is reported."""
        data = {
            "format": 1, "id": "bad", "source": {"pack": "db12t1073"},
            "target": {"pack": "gbt39116"},
            "requirements": [{"source": "x.l1", "target": "y.l1",
                              "relation": "equal", "confidence": "1"}],
            "provenance": {"status": "proposal"},
        }  # fmt: skip

        with pytest.raises(mc.exceptions.InvalidPackError, match="no requirement 'x.l1'"):
            mc.analysis.carry_assessment(
                mc.analysis.Crosswalk.from_dict(data), example, db12, gb
            )


class TestCommand:
    def test_side_by_side_json(self):
        """`maturity crosswalk` scores both sides with exact strings."""
        out = io.StringIO()

        status = run(
            ["crosswalk", "examples/db12t1073-discrete.json", "--to",
             "gbt39116", "--format", "json"],
            out,
            io.StringIO(),
        )  # fmt: skip
        data = json.loads(out.getvalue())

        assert 0 == status
        assert ("db12t1073", "gbt39116") == (
            data["source"]["pack"],
            data["target"]["pack"],
        )
        assert 415 == data["carried"]
        assert 0 == data["target"]["unrated_scored_as_lowest"]

    def test_writes_the_carried_assessment(self, tmp_path):
        """--carried-out writes a valid assessment of the target pack."""
        out = tmp_path / "carried.json"

        run(
            ["crosswalk", "examples/db12t1073-discrete.json", "--to",
             "gbt39116", "--carried-out", str(out)],
            io.StringIO(),
            io.StringIO(),
        )  # fmt: skip
        carried = mc.Assessment.from_path(out)

        assert "gbt39116" == carried.pack
        assert mc.score(mc.load_pack("gbt39116"), carried).level >= 0


def test_missing_crosswalk_raises():
    """find_crosswalk raises on a miss (no DB12 → bcgrading mapping ships)."""
    with pytest.raises(mc.exceptions.NotFoundError):
        mc.analysis.find_crosswalk("db12t1073", "bcgrading")


def test_missing_crosswalk_is_a_usage_error():
    """The command asks for --map when no crosswalk ships."""
    err = io.StringIO()

    status = run(
        ["crosswalk", "examples/db12t1073-discrete.json", "--to", "bcgrading"],
        io.StringIO(),
        err,
    )

    assert 2 == status
    assert "--map FILE" in err.getvalue()


def _tiny_with_rubric(pack_id: str, rubric: dict | None) -> mc.Pack:
    """The tiny fixture pack as *pack_id*; with *rubric*, requirement
    b1.w.1 is rated on it."""
    data = json.loads(
        (Path(__file__).parent / "fixtures/packs/tiny/pack.json").read_text(
            encoding="utf-8"
        )
    )
    data["id"] = pack_id
    if rubric is not None:
        data["rubrics"] = {"yes-no": rubric}
        for req in data["requirements"]:
            if req["id"] == "b1.w.1":
                req["rubric"] = "yes-no"
    return mc.load_pack(data)


class TestCarryAssessmentRubrics:
    YES_NO = {  # noqa: RUF012 -- read only
        "ratings": [
            {"id": "yes", "value": "1", "name": {"en": "Yes"}},
            {"id": "no", "value": "0", "name": {"en": "No"}},
        ],
        "na": {"allowed": False},
    }

    def _carry(self, source_rubric, target_rubric, rating):
        source = _tiny_with_rubric("tiny-a", source_rubric)
        target = _tiny_with_rubric("tiny-b", target_rubric)
        walk = mc.analysis.Crosswalk.from_dict(
            {
                "format": 1,
                "id": "a-b",
                "source": {"pack": "tiny-a"},
                "target": {"pack": "tiny-b"},
                "requirements": [
                    {
                        "source": "b1.w.1",
                        "target": "b1.w.1",
                        "relation": "equal",
                        "confidence": "1",
                    }
                ],
                "provenance": {"status": "proposal"},
            }
        )
        assessment = mc.Assessment(
            pack="tiny-a", ratings=(mc.RatingEntry("b1.w.1", rating),)
        )
        return mc.analysis.carry_assessment(walk, assessment, source, target)

    def test_a_rating_of_the_requirements_own_rubric_is_carried(self):
        """A requirement on its own rubric takes that rubric's ratings."""
        carried = self._carry(self.YES_NO, self.YES_NO, "yes")

        assert "yes" == carried.assessment.ratings_by_id["b1.w.1"]
        assert [] == [
            n for n in carried.not_carried if n.requirement == "b1.w.1"
        ]

    def test_a_rating_outside_the_requirements_rubric_is_not_carried(self):
        """A main-rubric rating does not fit a requirement on another
        rubric, and the reason names the rating."""
        carried = self._carry(None, self.YES_NO, "full")

        assert carried.assessment.ratings_by_id["b1.w.1"] is None
        assert [
            ("b1.w.1", "the rating is not in the target rubric (full)")
        ] == [
            (n.requirement, n.reason)
            for n in carried.not_carried
            if n.requirement == "b1.w.1"
        ]
