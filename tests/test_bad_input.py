"""Every error a user can cause: its class, its message and the CLI's exit.

Each test feeds one bad input to the SDK and checks the error's class and
that its message names the file, the JSON path and what would be valid;
then it feeds the same input to ``maturity`` and checks the exit status,
that no traceback is printed and that the input file is left untouched.
"""

from __future__ import annotations

import copy
import io
import json
import pickle
from pathlib import Path
from typing import Any

import pytest

import maturity_core as mc
from maturity_core import cli


DB12 = "db12t1073"


# ---------------------------------------------------------------------------
# Helpers


def write_json(path: Path, data: Any) -> Path:
    """Write *data* to *path* as UTF-8 JSON and return *path*."""
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def filled(blank: dict[str, Any], rating: str = "full") -> dict[str, Any]:
    """A copy of the *blank* template with every requirement rated."""
    data = copy.deepcopy(blank)
    for entry in data["ratings"]:
        entry["rating"] = rating
    return data


def run_cli(argv: list[str], watched: Path, status: int = 1) -> str:
    """
    Run ``maturity`` with *argv*; check *status*, that no traceback is
    printed and that *watched* is unchanged (or still absent).  Return
    what was written to stdout and stderr (`validate` reports on stdout).
    """
    existed = watched.exists()
    before = watched.read_bytes() if existed else None
    mtime = watched.stat().st_mtime_ns if existed else None
    stdout, stderr = io.StringIO(), io.StringIO()

    rc = cli.run([str(a) for a in argv], stdout=stdout, stderr=stderr)

    assert status == rc, stderr.getvalue()
    assert "Traceback" not in stderr.getvalue()
    assert "Traceback" not in stdout.getvalue()
    assert existed == watched.exists()
    if existed:
        assert before == watched.read_bytes()
        assert mtime == watched.stat().st_mtime_ns
    return stdout.getvalue() + stderr.getvalue()


def assert_mentions(message: str, *parts: str) -> None:
    """Every one of *parts* occurs in *message*."""
    for part in parts:
        assert part in message, f"{part!r} is missing from:\n{message}"


@pytest.fixture
def db12() -> mc.Pack:
    return mc.load_pack(DB12)


@pytest.fixture
def tiny_rated(tiny: mc.Pack) -> dict[str, Any]:
    """A complete, valid tiny assessment (every requirement 'full')."""
    return filled(mc.blank_assessment(tiny))


@pytest.fixture
def db12_rated(db12: mc.Pack) -> dict[str, Any]:
    """A complete, valid db12t1073 discrete assessment."""
    return filled(mc.blank_assessment(db12, "discrete"))


@pytest.fixture
def tiny_data(tiny_dir: Path) -> dict[str, Any]:
    """The tiny pack's data, to modify into bad packs."""
    return json.loads((tiny_dir / "pack.json").read_text("utf-8"))


def write_pack(tmp_path: Path, data: dict[str, Any]) -> Path:
    """Write pack *data* to ``tmp_path/bad/pack.json``; return that path."""
    directory = tmp_path / "bad"
    directory.mkdir()
    return write_json(directory / "pack.json", data)


# ---------------------------------------------------------------------------
# Files that are not strict JSON


class TestUnreadableFiles:
    def test_malformed_json(self, tmp_path: Path) -> None:
        """Malformed JSON is an InputError naming the file, line and column."""
        path = tmp_path / "a.json"
        path.write_text('{"pack": "tiny", "ratings": [', encoding="utf-8")

        with pytest.raises(mc.InputError) as info:
            mc.Assessment.from_path(path)
        message = str(info.value)
        assert_mentions(
            message, str(path), "$", "malformed JSON", "line 1 column"
        )
        assert "$" == info.value.json_path

        err = run_cli(["score", path], path)
        assert_mentions(err, str(path), "malformed JSON")

    def test_non_utf8_file(self, tmp_path: Path) -> None:
        """Bytes that are not UTF-8 are an InputError asking for UTF-8."""
        path = tmp_path / "a.json"
        path.write_bytes(b'{"pack": "tiny\xff", "ratings": []}')

        with pytest.raises(mc.InputError) as info:
            mc.Assessment.from_path(path)
        assert_mentions(
            str(info.value),
            str(path),
            "$",
            "not valid UTF-8",
            "save the file as UTF-8",
        )

        err = run_cli(["score", path], path)
        assert_mentions(err, str(path), "UTF-8")

    def test_duplicate_keys(self, tmp_path: Path) -> None:
        """A key repeated in one object is an InputError, not last-one-wins."""
        path = tmp_path / "a.json"
        path.write_text(
            '{"pack": "tiny", "pack": "db12t1073", "ratings": []}',
            encoding="utf-8",
        )

        with pytest.raises(mc.InputError) as info:
            mc.Assessment.from_path(path)
        assert_mentions(
            str(info.value),
            str(path),
            "$",
            "duplicate key 'pack'",
            "each key may appear once",
        )

        err = run_cli(["score", path], path)
        assert_mentions(err, str(path), "duplicate key 'pack'")

    def test_nan(self, tmp_path: Path) -> None:
        """NaN is an InputError asking for a finite number."""
        path = tmp_path / "a.json"
        path.write_text(
            '{"pack": "tiny", "format": NaN, "ratings": []}', encoding="utf-8"
        )

        with pytest.raises(mc.InputError) as info:
            mc.Assessment.from_path(path)
        assert_mentions(
            str(info.value), str(path), "$", "NaN", "use a finite number"
        )

        err = run_cli(["score", path], path)
        assert_mentions(err, str(path), "NaN")

    def test_missing_file(self, tmp_path: Path) -> None:
        """A file that does not exist is an InputError naming it."""
        path = tmp_path / "absent.json"

        with pytest.raises(mc.InputError) as info:
            mc.Assessment.from_path(path)
        assert_mentions(str(info.value), str(path), "$", "no such file")

        err = run_cli(["score", path], path)
        assert_mentions(err, str(path), "no such file")


# ---------------------------------------------------------------------------
# Assessments that break the assessment schema


class TestUnknownFields:
    def test_unknown_top_level_field(
        self, tmp_path: Path, tiny_dir: Path, tiny_rated: dict[str, Any]
    ) -> None:
        """An unknown top-level field is an AssessmentError."""
        tiny_rated["colour"] = "red"
        path = write_json(tmp_path / "a.json", tiny_rated)

        with pytest.raises(mc.AssessmentError) as info:
            mc.Assessment.from_path(path)
        assert "$" == info.value.json_path
        assert_mentions(
            str(info.value),
            str(path),
            "$: unknown field 'colour'",
            "valid fields:",
            "ratings",
            "tailoring",
        )

        err = run_cli(["score", path, "--pack", tiny_dir], path)
        assert_mentions(err, str(path), "unknown field 'colour'")

    def test_unknown_field_in_rating(
        self, tmp_path: Path, tiny_dir: Path, tiny_rated: dict[str, Any]
    ) -> None:
        """An unknown field in a rating is an AssessmentError there."""
        tiny_rated["ratings"][2]["colour"] = "red"
        path = write_json(tmp_path / "a.json", tiny_rated)

        with pytest.raises(mc.AssessmentError) as info:
            mc.Assessment.from_path(path)
        assert "$.ratings[2]" == info.value.json_path
        assert_mentions(
            str(info.value),
            str(path),
            "$.ratings[2]: unknown field 'colour'",
            "valid fields:",
            "evidence",
            "rating",
        )

        err = run_cli(["score", path, "--pack", tiny_dir], path)
        assert_mentions(err, str(path), "$.ratings[2]", "'colour'")


# ---------------------------------------------------------------------------
# Assessments that do not fit their pack


class TestRatings:
    def test_unknown_requirement(
        self,
        tmp_path: Path,
        tiny: mc.Pack,
        tiny_dir: Path,
        tiny_rated: dict[str, Any],
    ) -> None:
        """A requirement id the pack lacks is an UnknownRequirementError."""
        tiny_rated["ratings"].append({"id": "zz.9", "rating": "full"})
        path = write_json(tmp_path / "a.json", tiny_rated)
        assessment = mc.Assessment.from_path(path)

        with pytest.raises(mc.exceptions.UnknownRequirementError) as info:
            mc.score(tiny, assessment)
        assert "$.ratings[10].id" == info.value.json_path
        assert_mentions(
            str(info.value),
            str(path),
            "$.ratings[10].id",
            "'zz.9'",
            "`maturity template tiny` lists the valid ids",
        )

        err = run_cli(["score", path, "--pack", tiny_dir], path)
        assert_mentions(err, str(path), "$.ratings[10].id", "'zz.9'")

    def test_requirement_rated_twice(
        self,
        tmp_path: Path,
        tiny: mc.Pack,
        tiny_dir: Path,
        tiny_rated: dict[str, Any],
    ) -> None:
        """Rating one requirement twice is an AssessmentError."""
        tiny_rated["ratings"].append({"id": "a1.x.1", "rating": "none"})
        path = write_json(tmp_path / "a.json", tiny_rated)
        assessment = mc.Assessment.from_path(path)

        with pytest.raises(mc.AssessmentError) as info:
            mc.score(tiny, assessment)
        assert not isinstance(info.value, mc.exceptions.UnknownRequirementError)
        assert "$.ratings[10].id" == info.value.json_path
        assert_mentions(
            str(info.value),
            str(path),
            "'a1.x.1' is rated twice",
            "first at $.ratings[0]",
        )

        err = run_cli(["score", path, "--pack", tiny_dir], path)
        assert_mentions(err, str(path), "$.ratings[10].id", "rated twice")

    def test_rating_outside_rubric(
        self,
        tmp_path: Path,
        tiny: mc.Pack,
        tiny_dir: Path,
        tiny_rated: dict[str, Any],
    ) -> None:
        """A rating outside the rubric is an AssessmentError."""
        tiny_rated["ratings"][3]["rating"] = "mostly"
        path = write_json(tmp_path / "a.json", tiny_rated)
        assessment = mc.Assessment.from_path(path)

        with pytest.raises(mc.AssessmentError) as info:
            mc.score(tiny, assessment)
        assert "$.ratings[3].rating" == info.value.json_path
        assert_mentions(
            str(info.value),
            str(path),
            "'mostly' is not in the rubric",
            "valid ratings: full, most, partial, none, na",
        )

        err = run_cli(["score", path, "--pack", tiny_dir], path)
        assert_mentions(err, str(path), "$.ratings[3].rating", "'mostly'")

    def test_na_where_rubric_forbids_it(
        self, tmp_path: Path, db12: mc.Pack, db12_rated: dict[str, Any]
    ) -> None:
        """'na' on db12t1073, which forbids it, is an AssessmentError."""
        db12_rated["ratings"][7]["rating"] = "na"
        path = write_json(tmp_path / "a.json", db12_rated)
        assessment = mc.Assessment.from_path(path)

        with pytest.raises(mc.AssessmentError) as info:
            mc.score(db12, assessment)
        assert "$.ratings[7].rating" == info.value.json_path
        assert_mentions(
            str(info.value),
            str(path),
            "'na' is not allowed by pack db12t1073's rubric",
            "valid ratings: full, most, partial, none",
        )

        err = run_cli(["score", path], path)
        assert_mentions(err, str(path), "$.ratings[7].rating", "'na'")


class TestTailoring:
    def test_mandatory_db12_node(
        self, tmp_path: Path, db12: mc.Pack, db12_rated: dict[str, Any]
    ) -> None:
        """Tailoring out mandatory 'production' is an AssessmentError."""
        db12_rated["tailoring"] = [
            {"node": "production", "reason": "we make nothing"}
        ]
        path = write_json(tmp_path / "a.json", db12_rated)
        assessment = mc.Assessment.from_path(path)

        with pytest.raises(mc.AssessmentError) as info:
            mc.score(db12, assessment)
        assert "$.tailoring[0].node" == info.value.json_path
        message = str(info.value)
        assert_mentions(
            message,
            str(path),
            "'production' is mandatory in profile 'discrete'",
            "tailorable nodes:",
            "design",
        )
        assert "production," not in message.split("tailorable nodes:")[1]

        err = run_cli(["score", path], path)
        assert_mentions(err, str(path), "$.tailoring[0].node", "mandatory")

    def test_mandatory_tiny_node(
        self,
        tmp_path: Path,
        tiny: mc.Pack,
        tiny_dir: Path,
        tiny_rated: dict[str, Any],
    ) -> None:
        """Tailoring out tiny's mandatory 'b' is an AssessmentError."""
        tiny_rated["tailoring"] = [{"node": "b", "reason": "no B here"}]
        path = write_json(tmp_path / "a.json", tiny_rated)
        assessment = mc.Assessment.from_path(path)

        with pytest.raises(mc.AssessmentError) as info:
            mc.score(tiny, assessment)
        assert "$.tailoring[0].node" == info.value.json_path
        assert_mentions(
            str(info.value),
            str(path),
            "'b' is mandatory in profile 'even'",
            "tailorable nodes: a, a1, a2",
        )

        err = run_cli(["score", path, "--pack", tiny_dir], path)
        assert_mentions(err, str(path), "$.tailoring[0].node", "mandatory")

    def test_parent_of_mandatory_node(
        self, tmp_path: Path, db12: mc.Pack, db12_rated: dict[str, Any]
    ) -> None:
        """Tailoring out the parent of a mandatory node is an error."""
        db12_rated["tailoring"] = [
            {"node": "manufacturing", "reason": "we make nothing"}
        ]
        path = write_json(tmp_path / "a.json", db12_rated)
        assessment = mc.Assessment.from_path(path)

        with pytest.raises(mc.AssessmentError) as info:
            mc.score(db12, assessment)
        assert "$.tailoring[0].node" == info.value.json_path
        assert_mentions(str(info.value), str(path), "production", "mandatory")

        err = run_cli(["score", path], path)
        assert_mentions(err, str(path), "$.tailoring[0].node", "mandatory")

    def test_unknown_node(
        self,
        tmp_path: Path,
        tiny: mc.Pack,
        tiny_dir: Path,
        tiny_rated: dict[str, Any],
    ) -> None:
        """Tailoring out an unknown node is an AssessmentError."""
        tiny_rated["tailoring"] = [{"node": "qq", "reason": "typo"}]
        path = write_json(tmp_path / "a.json", tiny_rated)
        assessment = mc.Assessment.from_path(path)

        with pytest.raises(mc.AssessmentError) as info:
            mc.score(tiny, assessment)
        assert "$.tailoring[0].node" == info.value.json_path
        assert_mentions(
            str(info.value),
            str(path),
            "unknown node 'qq'",
            "tailorable nodes: a, a1, a2",
        )

        err = run_cli(["score", path, "--pack", tiny_dir], path)
        assert_mentions(err, str(path), "$.tailoring[0].node", "'qq'")


class TestPackChoice:
    def test_unknown_profile(
        self,
        tmp_path: Path,
        tiny: mc.Pack,
        tiny_dir: Path,
        tiny_rated: dict[str, Any],
    ) -> None:
        """A profile the pack lacks is an AssessmentError."""
        tiny_rated["profile"] = "halves"
        path = write_json(tmp_path / "a.json", tiny_rated)
        assessment = mc.Assessment.from_path(path)

        with pytest.raises(mc.AssessmentError) as info:
            mc.score(tiny, assessment)
        assert "$.profile" == info.value.json_path
        assert_mentions(
            str(info.value),
            str(path),
            "no profile 'halves'",
            "valid profiles: even, thirds",
        )

        err = run_cli(["score", path, "--pack", tiny_dir], path)
        assert_mentions(err, str(path), "$.profile", "'halves'")

    def test_assessment_for_another_pack(
        self, tmp_path: Path, db12: mc.Pack, tiny_rated: dict[str, Any]
    ) -> None:
        """An assessment for another pack is an AssessmentError."""
        del tiny_rated["profile"]
        path = write_json(tmp_path / "a.json", tiny_rated)
        assessment = mc.Assessment.from_path(path)

        with pytest.raises(mc.AssessmentError) as info:
            mc.score(db12, assessment)
        assert "$.pack" == info.value.json_path
        assert_mentions(
            str(info.value),
            str(path),
            "for pack 'tiny', not 'db12t1073'",
        )

        err = run_cli(["score", path, "--pack", DB12], path)
        assert_mentions(err, str(path), "$.pack", "'tiny'")

    def test_another_pack_is_reported_before_its_profile(
        self, tmp_path: Path, db12: mc.Pack, tiny_rated: dict[str, Any]
    ) -> None:
        """The wrong pack is reported, not the profile it lacks."""
        path = write_json(tmp_path / "a.json", tiny_rated)
        assessment = mc.Assessment.from_path(path)

        with pytest.raises(mc.AssessmentError) as info:
            mc.score(db12, assessment)
        assert "$.pack" == info.value.json_path
        assert_mentions(
            str(info.value), str(path), "for pack 'tiny', not 'db12t1073'"
        )

        err = run_cli(["score", path, "--pack", DB12], path)
        assert_mentions(err, str(path), "$.pack", "'tiny'")

    def test_pack_not_installed(
        self, tmp_path: Path, tiny_rated: dict[str, Any]
    ) -> None:
        """An uninstalled pack in a file is a PackNotFoundError there."""
        tiny_rated["pack"] = "nosuchpack"
        path = write_json(tmp_path / "a.json", tiny_rated)

        with pytest.raises(mc.exceptions.PackNotFoundError) as info:
            mc.load_pack("nosuchpack")
        assert_mentions(
            str(info.value), "'nosuchpack'", "installed packs:", DB12
        )

        err = run_cli(["score", path], path)
        assert_mentions(
            err, "'nosuchpack'", "installed packs:", DB12, str(path), "$.pack"
        )

    def test_template_for_uninstalled_pack(self, tmp_path: Path) -> None:
        """A template for an unknown pack lists the installed ones."""
        with pytest.raises(mc.exceptions.PackNotFoundError) as info:
            mc.load_pack("nosuchpack")
        assert isinstance(info.value, LookupError)

        err = run_cli(["template", "nosuchpack"], tmp_path / "nosuchpack")
        assert_mentions(err, "'nosuchpack'", "installed packs:", DB12)


# ---------------------------------------------------------------------------
# Packs that are invalid


class TestBadPacks:
    def test_weights_do_not_sum_to_one(
        self, tmp_path: Path, tiny_data: dict[str, Any]
    ) -> None:
        """Sibling weights summing to 9/10 are an InvalidPackError."""
        tiny_data["profiles"][0]["weights"]["a"] = "0.5"
        path = write_pack(tmp_path, tiny_data)

        with pytest.raises(mc.exceptions.InvalidPackError) as info:
            mc.load_pack(path.parent)
        assert ["weight-sum"] == [p.code for p in info.value.problems]
        assert_mentions(
            str(info.value),
            str(path),
            "$.profiles[0].weights",
            "(a, b)",
            "9/10",
            "not exactly 1",
        )

        err = run_cli(["template", path.parent], path)
        assert_mentions(err, str(path), "$.profiles[0].weights", "9/10")

    def test_duplicate_node_ids(
        self, tmp_path: Path, tiny_data: dict[str, Any]
    ) -> None:
        """Two nodes with one id are an InvalidPackError citing the first."""
        tiny_data["nodes"][1]["children"].append(
            {"id": "a1", "kind": "subdomain", "name": {"en": "A1 again"}}
        )
        path = write_pack(tmp_path, tiny_data)

        with pytest.raises(mc.exceptions.InvalidPackError) as info:
            mc.load_pack(path.parent)
        assert "duplicate-id" in [p.code for p in info.value.problems]
        assert_mentions(
            str(info.value),
            str(path),
            "$.nodes[1].children[1].id",
            "duplicate node id 'a1'",
            "first at $.nodes[0].children[0]",
        )

        err = run_cli(["template", path.parent], path)
        assert_mentions(err, str(path), "duplicate node id 'a1'")

    def test_requirement_on_non_leaf(
        self, tmp_path: Path, tiny_data: dict[str, Any]
    ) -> None:
        """A requirement on a node with children is an InvalidPackError."""
        tiny_data["requirements"][0]["node"] = "a"
        path = write_pack(tmp_path, tiny_data)

        with pytest.raises(mc.exceptions.InvalidPackError) as info:
            mc.load_pack(path.parent)
        assert ["not-a-leaf"] == [p.code for p in info.value.problems]
        assert_mentions(
            str(info.value),
            str(path),
            "$.requirements[0].node",
            "node 'a' has children",
            "requirements belong to leaf nodes",
        )

        err = run_cli(["template", path.parent], path)
        assert_mentions(err, str(path), "$.requirements[0].node")

    def test_non_contiguous_levels(
        self, tmp_path: Path, tiny_data: dict[str, Any]
    ) -> None:
        """Levels 1, 2, 4 are an InvalidPackError asking for 1..3."""
        tiny_data["levels"][2]["number"] = 4
        path = write_pack(tmp_path, tiny_data)

        with pytest.raises(mc.exceptions.InvalidPackError) as info:
            mc.load_pack(path.parent)
        assert "levels" in [p.code for p in info.value.problems]
        assert_mentions(
            str(info.value),
            str(path),
            "$.levels",
            "level numbers must be 1..3 with no gaps or repeats",
            "[1, 2, 4]",
        )

        err = run_cli(["template", path.parent], path)
        assert_mentions(err, str(path), "$.levels")

    def test_format_newer_than_core(
        self, tmp_path: Path, tiny_data: dict[str, Any]
    ) -> None:
        """Pack format 2 is an IncompatiblePackError."""
        tiny_data["format"] = 2
        path = write_pack(tmp_path, tiny_data)

        with pytest.raises(mc.exceptions.IncompatiblePackError) as info:
            mc.load_pack(path.parent)
        assert 2 == info.value.format
        assert 1 == info.value.supported
        assert_mentions(
            str(info.value),
            str(path),
            "$.format",
            "pack format 2",
            "reads formats up to 1",
            "upgrade maturity-core",
        )

        err = run_cli(["template", path.parent], path)
        assert_mentions(err, str(path), "$.format", "upgrade maturity-core")


# ---------------------------------------------------------------------------
# Valid assessments that cannot be scored as asked


class TestScoringErrors:
    def test_unrated_requirements(
        self, tmp_path: Path, tiny: mc.Pack, tiny_dir: Path
    ) -> None:
        """Unrated requirements are a ScoringError naming the fix."""
        path = write_json(tmp_path / "a.json", mc.blank_assessment(tiny))
        assessment = mc.Assessment.from_path(path)

        with pytest.raises(mc.ScoringError) as info:
            mc.score(tiny, assessment)
        assert_mentions(
            str(info.value),
            str(path),
            "10 requirements in scope are unrated",
            "a1.x.1",
            "--unrated none",
        )

        err = run_cli(["score", path, "--pack", tiny_dir], path)
        assert_mentions(err, str(path), "unrated", "--unrated none")

    def test_unrated_none_scores_lowest_value(
        self, tmp_path: Path, tiny: mc.Pack, tiny_dir: Path
    ) -> None:
        """With --unrated none, unrated requirements score lowest."""
        blank = mc.blank_assessment(tiny)
        for entry in blank["ratings"]:
            if entry["level"] == 1:
                entry["rating"] = "full"
        path = write_json(tmp_path / "a.json", blank)
        explicit = copy.deepcopy(blank)
        for entry in explicit["ratings"]:
            entry["rating"] = entry["rating"] or "none"

        result = mc.score(tiny, mc.Assessment.from_path(path), unrated="none")
        expected = mc.score(tiny, mc.Assessment.from_dict(explicit))
        assert expected.level_scores == result.level_scores
        assert (1, 0, 0) == result.level_scores
        assert 1 == result.score

        stdout, stderr = io.StringIO(), io.StringIO()
        rc = cli.run(
            [
                "score",
                str(path),
                "--pack",
                str(tiny_dir),
                "--unrated",
                "none",
                "--format",
                "json",
            ],
            stdout=stdout,
            stderr=stderr,
        )
        assert 0 == rc
        out = json.loads(stdout.getvalue())
        assert {"1": "1", "2": "0", "3": "0"} == out["level_scores"]
        assert "1" == out["score"]

    def test_unknown_rule_option(
        self,
        tmp_path: Path,
        tiny: mc.Pack,
        tiny_dir: Path,
        tiny_rated: dict[str, Any],
    ) -> None:
        """An unknown --rule is an UnknownRuleError."""
        path = write_json(tmp_path / "a.json", tiny_rated)
        assessment = mc.Assessment.from_path(path)

        with pytest.raises(mc.exceptions.UnknownRuleError) as info:
            mc.score(tiny, assessment, rule="majority")
        assert isinstance(info.value, LookupError)
        assert_mentions(
            str(info.value),
            "'majority'",
            "registered rules:",
            "cumulative-gated",
            "cumulative-gated-unit",
        )

        err = run_cli(
            ["score", path, "--pack", tiny_dir, "--rule", "majority"], path
        )
        assert_mentions(err, "'majority'", "cumulative-gated-unit")

    def test_unknown_rule_in_assessment(
        self,
        tmp_path: Path,
        tiny: mc.Pack,
        tiny_dir: Path,
        tiny_rated: dict[str, Any],
    ) -> None:
        """An unknown "rule" in the file is reported at $.rule."""
        tiny_rated["rule"] = "majority"
        path = write_json(tmp_path / "a.json", tiny_rated)
        assessment = mc.Assessment.from_path(path)

        with pytest.raises(mc.MaturityCoreError) as info:
            mc.score(tiny, assessment)
        assert_mentions(
            str(info.value),
            str(path),
            "$.rule",
            "'majority'",
            "cumulative-gated-unit",
        )

        err = run_cli(["score", path, "--pack", tiny_dir], path)
        assert_mentions(err, str(path), "$.rule", "'majority'")

    def test_validate_rejects_unknown_rule_in_assessment(
        self,
        tmp_path: Path,
        tiny: mc.Pack,
        tiny_dir: Path,
        tiny_rated: dict[str, Any],
    ) -> None:
        """`validate` rejects a "rule" that `score` would refuse."""
        tiny_rated["rule"] = "majority"
        path = write_json(tmp_path / "a.json", tiny_rated)
        assessment = mc.Assessment.from_path(path)

        with pytest.raises(mc.MaturityCoreError):
            mc.validate(tiny, assessment)

        run_cli(["validate", path, "--pack", tiny_dir], path)


# ---------------------------------------------------------------------------
# Errors survive pickling (for multiprocessing and caches)


_PROBLEM = mc.Problem("$.ratings[0].id", "unknown requirement id 'x'", "c")

ERRORS = [
    mc.InputError("a.json", "$", "no such file"),
    mc.exceptions.InvalidPackError("tiny", [_PROBLEM], "pack.json"),
    mc.exceptions.IncompatiblePackError("tiny", 2, 1, "pack.json"),
    mc.AssessmentError([_PROBLEM], "a.json"),
    mc.exceptions.UnknownRequirementError([_PROBLEM], "a.json"),
    mc.exceptions.PackNotFoundError("nosuchpack", [DB12]),
    mc.ScoringError("3 requirements in scope are unrated", "a.json"),
    mc.exceptions.UnknownRuleError("majority", ["cumulative-gated"]),
]


class TestPickling:
    @pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
    def test_round_trip_keeps_message(self, error: Exception) -> None:
        """An error unpickles to the same class with the same message."""
        copy_ = pickle.loads(pickle.dumps(error))  # noqa: S301 -- our own data

        assert type(error) is type(copy_)
        assert str(error) == str(copy_)
        assert isinstance(copy_, mc.MaturityCoreError)

    def test_every_concrete_error_is_covered(self) -> None:
        """The pickling matrix covers every concrete error class."""
        concrete = {
            mc.InputError,
            mc.exceptions.InvalidPackError,
            mc.exceptions.IncompatiblePackError,
            mc.AssessmentError,
            mc.exceptions.UnknownRequirementError,
            mc.exceptions.PackNotFoundError,
            mc.ScoringError,
            mc.exceptions.UnknownRuleError,
        }
        assert concrete == {type(e) for e in ERRORS}


# ---------------------------------------------------------------------------
# Command-line usage errors


class TestUsageErrors:
    def test_no_command(self) -> None:
        """`maturity` with no command exits 2 and asks for one."""
        stdout, stderr = io.StringIO(), io.StringIO()

        rc = cli.run([], stdout=stdout, stderr=stderr)

        assert 2 == rc
        assert "a command is required" in stderr.getvalue()
        assert "Traceback" not in stderr.getvalue()

    @pytest.mark.parametrize(
        "extra", [["--bogus"], ["--unrated", "zero"], ["--format", "yaml"]]
    )
    def test_unknown_option(
        self, tmp_path: Path, tiny_rated: dict[str, Any], extra: list[str]
    ) -> None:
        """An unknown option or choice exits 2 and leaves the input alone."""
        path = write_json(tmp_path / "a.json", tiny_rated)

        err = run_cli(["score", path, *extra], path, status=2)

        assert "usage: maturity" in err
        assert extra[-1] in err

    def test_unknown_top_level_option(self) -> None:
        """An unknown option before the command exits 2."""
        stdout, stderr = io.StringIO(), io.StringIO()

        rc = cli.run(["--bogus", "packs"], stdout=stdout, stderr=stderr)

        assert 2 == rc
        assert "--bogus" in stderr.getvalue()
        assert "Traceback" not in stderr.getvalue()


# ---------------------------------------------------------------------------
# The DB12/T 1073-2021 team rule (§8.2.2), run as a pack validator


def _team(*roles: str | None) -> list[dict[str, str]]:
    team = []
    for i, role in enumerate(roles):
        member = {"name": f"Assessor {i + 1}"}
        if role is not None:
            member["role"] = role
        team.append(member)
    return team


class TestDb12Team:
    @pytest.mark.parametrize(
        ("roles", "got"),
        [
            (("lead", "member"), "got 2"),
            (("member", "member", "member"), "got 0"),
        ],
        ids=["two-assessors", "no-lead"],
    )
    def test_external_team_rejected(
        self,
        tmp_path: Path,
        db12: mc.Pack,
        db12_rated: dict[str, Any],
        roles: tuple[str, ...],
        got: str,
    ) -> None:
        """An external team of 2, or with no lead, breaks §8.2.2."""
        db12_rated["metadata"]["mode"] = "external"
        db12_rated["metadata"]["assessors"] = _team(*roles)
        path = write_json(tmp_path / "a.json", db12_rated)
        assessment = mc.Assessment.from_path(path)

        with pytest.raises(mc.AssessmentError) as info:
            mc.validate(db12, assessment)
        assert "$.metadata.assessors" == info.value.json_path
        assert_mentions(str(info.value), str(path), "§8.2.2", got)

        err = run_cli(["score", path], path)
        assert_mentions(err, str(path), "$.metadata.assessors", "§8.2.2")

    def test_external_team_of_three_with_lead_passes(
        self, tmp_path: Path, db12: mc.Pack, db12_rated: dict[str, Any]
    ) -> None:
        """An external team of 3 with one lead passes the validator."""
        db12_rated["metadata"]["mode"] = "external"
        db12_rated["metadata"]["assessors"] = _team("lead", "member", None)
        path = write_json(tmp_path / "a.json", db12_rated)

        reports = mc.validate(db12, mc.Assessment.from_path(path))

        assert ["passed"] == [r.status for r in reports]
        assert f"{path}: valid assessment" in run_cli(
            ["validate", path], path, status=0
        )

    def test_self_assessment_of_two_passes(
        self, tmp_path: Path, db12: mc.Pack, db12_rated: dict[str, Any]
    ) -> None:
        """A self-assessment by 2 assessors is not bound by §8.2.2."""
        db12_rated["metadata"]["mode"] = "self"
        db12_rated["metadata"]["assessors"] = _team("lead", "member")
        path = write_json(tmp_path / "a.json", db12_rated)

        reports = mc.validate(db12, mc.Assessment.from_path(path))

        assert ["passed"] == [r.status for r in reports]
        run_cli(["score", path], path, status=0)
