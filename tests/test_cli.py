"""The ``maturity`` command line on good input: packs, template, score,
validate and --version."""

from __future__ import annotations

import copy
import io
import json
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

import maturity_core as mc
from maturity_core import cli


DB12 = "db12t1073"

#: Ratings by level that give S = 1 + 1 + 4/5 + 1/2 = 33/10 under the
#: default rule (level 4 fails the gate) and 1 + 1 + 1 + 1/2 = 7/2 when
#: passed levels count as 1.
STEPPED = {1: "full", 2: "full", 3: "most", 4: "partial", 5: "none"}


def run(*argv: object) -> tuple[int, str, str]:
    """Run ``maturity`` with *argv*; return the status, stdout and stderr."""
    stdout, stderr = io.StringIO(), io.StringIO()
    rc = cli.run([str(a) for a in argv], stdout=stdout, stderr=stderr)
    assert "Traceback" not in stderr.getvalue()
    return rc, stdout.getvalue(), stderr.getvalue()


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def rated(blank: dict[str, Any], by_level: dict[int, str]) -> dict[str, Any]:
    """A copy of *blank* with every requirement rated by its level."""
    data = copy.deepcopy(blank)
    for entry in data["ratings"]:
        entry["rating"] = by_level[entry["level"]]
    return data


@pytest.fixture
def db12() -> mc.Pack:
    return mc.load_pack(DB12)


@pytest.fixture
def stepped(tmp_path: Path, db12: mc.Pack) -> Path:
    """A db12t1073 discrete assessment rated by STEPPED, on disk."""
    data = rated(mc.blank_assessment(db12, "discrete"), STEPPED)
    return write_json(tmp_path / "stepped.json", data)


@pytest.fixture
def all_full(tmp_path: Path, db12: mc.Pack) -> Path:
    """A db12t1073 discrete assessment with every requirement 'full'."""
    data = rated(
        mc.blank_assessment(db12, "discrete"), dict.fromkeys(STEPPED, "full")
    )
    return write_json(tmp_path / "full.json", data)


class TestPacks:
    def test_text_lists_db12_and_version(self) -> None:
        """`maturity packs` lists db12t1073 with its distribution version."""
        rc, out, _ = run("packs")

        assert 0 == rc
        assert DB12 in out
        assert metadata.version("maturity-pack-db12t1073") in out

    def test_json_lists_db12_with_version_and_profiles(
        self, db12: mc.Pack
    ) -> None:
        """JSON lists db12t1073 with its version and profiles."""
        rc, out, _ = run("packs", "--format", "json")

        assert 0 == rc
        rows = {row["id"]: row for row in json.loads(out)}
        row = rows[DB12]
        assert db12.version == row["version"]
        assert ["process", "discrete"] == row["profiles"]
        assert 495 == row["requirements"]
        assert "maturity_pack_db12t1073" == row["entry_point"]
        assert "error" not in row


class TestTemplate:
    @pytest.mark.parametrize(
        ("profile", "count"), [("discrete", 495), ("process", 455)]
    )
    def test_lists_every_in_scope_requirement_once(
        self, db12: mc.Pack, profile: str, count: int
    ) -> None:
        """The template lists each in-scope requirement exactly once."""
        rc, out, _ = run("template", DB12, "--profile", profile)

        assert 0 == rc
        data = json.loads(out)
        ids = [entry["id"] for entry in data["ratings"]]
        scope = db12.profiles[profile].scope
        assert count == len(ids)
        assert len(ids) == len(set(ids))
        assert [r.id for r in db12.requirements if r.node in scope] == ids
        assert profile == data["profile"]
        assert DB12 == data["pack"]
        assert db12.version == data["pack_version"]

    def test_entries_carry_requirement_facts_and_null_rating(
        self, db12: mc.Pack
    ) -> None:
        """Each entry has the requirement's facts and a null rating."""
        _, out, _ = run("template", DB12, "--profile", "discrete")

        for entry in json.loads(out)["ratings"]:
            req = db12.requirements_by_id[entry["id"]]
            assert {
                "id": req.id,
                "level": req.level,
                "node": req.node,
                "node_name": db12.nodes[req.node].name.get("zh"),
                "item": req.item.get("zh") or None,
                "rating": None,
            } == {
                k: entry[k]
                for k in ("id", "level", "node", "node_name", "item", "rating")
            }

    def test_default_profile_is_the_packs(self, db12: mc.Pack) -> None:
        """Without --profile the template uses the pack's default profile."""
        _, out, _ = run("template", DB12)

        assert db12.default_profile == json.loads(out)["profile"]

    def test_blank_template_scores_only_with_unrated_none(
        self, tmp_path: Path
    ) -> None:
        """The template scores 0 with --unrated none."""
        _, out, _ = run("template", DB12)
        path = tmp_path / "blank.json"
        path.write_text(out, encoding="utf-8")

        rc, scored, _ = run(
            "score", path, "--unrated", "none", "--format", "json"
        )

        assert 0 == rc
        assert "0" == json.loads(scored)["score"]

    def test_output_option_writes_file(self, tmp_path: Path) -> None:
        """-o writes the template to a file and nothing to stdout."""
        target = tmp_path / "template.json"
        _, printed, _ = run("template", DB12, "--profile", "process")

        rc, out, _ = run(
            "template", DB12, "--profile", "process", "-o", target
        )

        assert 0 == rc
        assert "" == out
        assert printed == target.read_text(encoding="utf-8")

    def test_template_from_pack_directory(self, tiny_dir: Path) -> None:
        """A pack directory works in place of an installed id."""
        rc, out, _ = run("template", tiny_dir, "--profile", "thirds")

        assert 0 == rc
        ids = [entry["id"] for entry in json.loads(out)["ratings"]]
        assert [
            "a1.x.1",
            "a1.y.1",
            "a1.x.2",
            "a1.x.3",
            "b1.w.1",
            "b1.w.2",
            "b1.w.3",
        ] == ids


class TestScore:
    def test_text_shows_level_table_score_and_level(
        self, stepped: Path
    ) -> None:
        """Text output has the level-score table, S and the level reached."""
        rc, out, _ = run("score", stepped, "--lang", "en")

        assert 0 == rc
        assert "Level scores" in out
        assert "Score S = 3.30 (exact 33/10); level 3" in out
        assert "4/5" in out
        assert "1/2" in out

    def test_json_has_contract_keys(self, stepped: Path) -> None:
        """JSON output carries every key the CLI contract promises."""
        rc, out, _ = run("score", stepped, "--format", "json")

        assert 0 == rc
        data = json.loads(out)
        assert {
            "pack",
            "pack_version",
            "profile",
            "rule",
            "score",
            "score_decimal",
            "level",
            "level_scores",
            "nodes",
        } <= set(data)

    def test_json_has_exact_strings(
        self, db12: mc.Pack, stepped: Path
    ) -> None:
        """JSON output gives exact fractions as strings."""
        _, out, _ = run("score", stepped, "--format", "json")

        data = json.loads(out)
        assert DB12 == data["pack"]
        assert db12.version == data["pack_version"]
        assert "discrete" == data["profile"]
        assert "cumulative-gated" == data["rule"]
        assert "33/10" == data["score"]
        assert "3.30" == data["score_decimal"]
        assert 3 == data["level"]
        assert {"1": "1", "2": "1", "3": "4/5", "4": "1/2", "5": "0"} == data[
            "level_scores"
        ]
        assert {"1": "1", "2": "1", "3": "4/5", "4": "1/2", "5": "0"} == data[
            "nodes"
        ]["production"]

    def test_json_nodes_cover_the_scope(
        self, db12: mc.Pack, stepped: Path
    ) -> None:
        """JSON output scores every node in the profile's scope."""
        _, out, _ = run("score", stepped, "--format", "json")

        scope = db12.profiles["discrete"].scope - {"$root"}
        assert scope == set(json.loads(out)["nodes"])

    def test_unit_rule_changes_score(self, stepped: Path) -> None:
        """--rule cumulative-gated-unit counts passed levels as 1."""
        rc, out, _ = run(
            "score",
            stepped,
            "--rule",
            "cumulative-gated-unit",
            "--format",
            "json",
        )

        assert 0 == rc
        data = json.loads(out)
        assert "cumulative-gated-unit" == data["rule"]
        assert "7/2" == data["score"]
        assert "3.50" == data["score_decimal"]
        assert 3 == data["level"]

    def test_unit_rule_agrees_when_every_level_is_full(
        self, all_full: Path
    ) -> None:
        """Both rules give 5 when every requirement is fully met."""
        _, default, _ = run("score", all_full, "--format", "json")
        _, unit, _ = run(
            "score",
            all_full,
            "--rule",
            "cumulative-gated-unit",
            "--format",
            "json",
        )

        assert "5" == json.loads(default)["score"]
        assert "5" == json.loads(unit)["score"]
        assert 5 == json.loads(unit)["level"]

    def test_output_option_writes_file(
        self, tmp_path: Path, stepped: Path
    ) -> None:
        """-o writes the JSON result to a file and nothing to stdout."""
        target = tmp_path / "result.json"
        _, printed, _ = run("score", stepped, "--format", "json")

        rc, out, _ = run("score", stepped, "--format", "json", "-o", target)

        assert 0 == rc
        assert "" == out
        assert printed == target.read_text(encoding="utf-8")

    @pytest.mark.parametrize(
        "spelling", ["same", "dotdot"], ids=["same-path", "via-dotdot"]
    )
    def test_output_refuses_to_overwrite_input(
        self, stepped: Path, spelling: str
    ) -> None:
        """-o naming the input assessment exits 2 and leaves it untouched."""
        before = stepped.read_bytes()
        mtime = stepped.stat().st_mtime_ns
        target = (
            stepped
            if spelling == "same"
            else stepped.parent / "sub" / ".." / stepped.name
        )
        (stepped.parent / "sub").mkdir()

        rc, out, err = run("score", stepped, "--format", "json", "-o", target)

        assert 2 == rc
        assert "" == out
        assert "must not be the input" in err
        assert before == stepped.read_bytes()
        assert mtime == stepped.stat().st_mtime_ns

    def test_tiny_pack_by_directory(
        self, tmp_path: Path, tiny: mc.Pack, tiny_dir: Path
    ) -> None:
        """--pack accepts a pack directory for an uninstalled pack."""
        data = rated(
            mc.blank_assessment(tiny), {1: "full", 2: "most", 3: "partial"}
        )
        path = write_json(tmp_path / "a.json", data)

        rc, out, _ = run("score", path, "--pack", tiny_dir, "--format", "json")

        assert 0 == rc
        data = json.loads(out)
        # 1 + 4/5 + 1/2: the 0.8 gate is met exactly at level 2.
        assert "23/10" == data["score"]
        assert 2 == data["level"]


class TestValidate:
    def test_valid_assessment(self, all_full: Path) -> None:
        """A valid assessment exits 0 and is reported valid."""
        rc, out, _ = run("validate", all_full)

        assert 0 == rc
        assert f"{all_full}: valid assessment" in out

    def test_invalid_assessment(self, tmp_path: Path, db12: mc.Pack) -> None:
        """An invalid assessment exits 1 and its problem is reported."""
        data = rated(mc.blank_assessment(db12), dict.fromkeys(STEPPED, "full"))
        data["ratings"][0]["rating"] = "mostly"
        path = write_json(tmp_path / "bad.json", data)

        rc, out, _ = run("validate", path)

        assert 1 == rc
        assert f"{path}: invalid" in out
        assert "$.ratings[0].rating" in out

    def test_mixed_files_exit_1(
        self, tmp_path: Path, all_full: Path, db12: mc.Pack
    ) -> None:
        """One invalid file among valid ones makes the exit status 1."""
        data = rated(mc.blank_assessment(db12), dict.fromkeys(STEPPED, "full"))
        data["ratings"][0]["rating"] = "mostly"
        bad = write_json(tmp_path / "bad.json", data)

        rc, out, _ = run("validate", all_full, bad, "--format", "json")

        assert 1 == rc
        assert [True, False] == [e["valid"] for e in json.loads(out)]

    def test_pack_file_is_validated_as_pack(self, tiny_dir: Path) -> None:
        """A pack.json file is validated as a pack, not as an assessment."""
        path = tiny_dir / "pack.json"

        rc, out, _ = run("validate", path, "--format", "json")

        assert 0 == rc
        assert [
            {"file": str(path), "kind": "pack", "id": "tiny", "valid": True}
        ] == json.loads(out)

    def test_installed_pack_file_is_valid(self) -> None:
        """db12t1073's own pack.json validates as a pack."""
        path = Path(str(files("maturity_pack_db12t1073") / "pack.json"))

        rc, out, _ = run("validate", path)

        assert 0 == rc
        assert f"{path}: valid pack" in out


    def test_long_paths_stay_on_one_line(self, tmp_path: Path) -> None:
        """Text output never breaks a line, however long the path."""
        deep = tmp_path / ("d" * 120)
        deep.mkdir()
        path = deep / "pack.json"
        source = Path(str(files("maturity_pack_db12t1073") / "pack.json"))
        path.write_bytes(source.read_bytes())

        rc, out, _ = run("validate", path)

        assert (0, [f"{path}: valid pack"]) == (rc, out.splitlines())


class TestVersion:
    def test_version(self) -> None:
        """--version prints the installed core version and exits 0."""
        rc, out, _ = run("--version")

        assert 0 == rc
        assert f"maturity-core {metadata.version('maturity-core')}\n" == out
