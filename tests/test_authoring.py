"""Pack authors: scaffold → check → install → listed → scored; doc, diff,
migration."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import maturity_core as mc
from maturity_core.cli import run
from maturity_core.testing import check_vectors


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run(list(args), out, err)
    return status, out.getvalue(), err.getvalue()


class TestScaffoldToScore:
    def test_new_pack_goes_from_scaffold_to_score(self, tmp_path):
        """A scaffolded pack checks clean, installs, is listed and scores."""
        status, _, _ = _cli("pack", "new", "practice", "--dir", str(tmp_path))
        root = tmp_path / "maturity-pack-practice"

        assert 0 == status
        assert (0, f"{root}: valid pack; 1 vector ran, all passed\n") == _cli(
            "pack", "check", str(root)
        )[:2]

        target = tmp_path / "site"
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
             "--no-build-isolation", "--target", str(target), str(root)],
            check=True,
        )  # fmt: skip
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(target), *sys.path]),
        }
        listed = subprocess.run(
            [sys.executable, "-m", "maturity_core.cli", "packs", "--format", "json"],
            check=True, capture_output=True, text=True, env=env,
        )  # fmt: skip
        ids = [p["id"] for p in json.loads(listed.stdout)]
        assessment = tmp_path / "a.json"
        template = subprocess.run(
            [sys.executable, "-m", "maturity_core.cli", "template", "practice"],
            check=True, capture_output=True, text=True, env=env,
        )  # fmt: skip
        data = json.loads(template.stdout)
        for entry in data["ratings"]:
            entry["rating"] = "full"
        assessment.write_text(json.dumps(data))
        scored = subprocess.run(
            [sys.executable, "-m", "maturity_core.cli", "score", str(assessment),
             "--format", "json"],
            check=True, capture_output=True, text=True, env=env,
        )  # fmt: skip

        assert "practice" in ids
        assert (2, "2") == (
            json.loads(scored.stdout)["level"],
            json.loads(scored.stdout)["score"],
        )

    def test_scaffold_refuses_bad_ids_and_existing_folders(self, tmp_path):
        """Ids become import names; folders are never overwritten."""
        assert 1 == _cli("pack", "new", "Bad-Id", "--dir", str(tmp_path))[0]
        _cli("pack", "new", "dup", "--dir", str(tmp_path))
        assert 1 == _cli("pack", "new", "dup", "--dir", str(tmp_path))[0]


class TestCheck:
    def test_problems_are_listed_with_paths_as_json(self, tmp_path, tiny_dir):
        """`pack check --format json` lists every problem with its path."""
        data = json.loads((tiny_dir / "pack.json").read_text("utf-8"))
        data["profiles"][0]["weights"]["a"] = "0.7"
        data["requirements"][0]["level"] = 9
        path = tmp_path / "pack.json"
        path.write_text(json.dumps(data))

        status, out, _ = _cli("pack", "check", str(path), "--format", "json")
        paths = {p["json_path"] for p in json.loads(out)["problems"]}

        assert 1 == status
        assert {"$.profiles[0].weights", "$.requirements[0].level"} <= paths

    def test_failing_vector_is_reported(self, tmp_path, tiny_dir):
        """A vector whose expectation is wrong fails the check."""
        folder = tmp_path / "tiny"
        (folder / "vectors").mkdir(parents=True)
        (folder / "pack.json").write_text(
            (tiny_dir / "pack.json").read_text("utf-8")
        )
        (folder / "vectors" / "v.json").write_text(
            json.dumps(
                {"name": "v", "profile": "even", "recipe": {"default": {"1": "full"}},
                 "expected": {"score": "99"}}
            )
        )  # fmt: skip

        status, out, _ = _cli("pack", "check", str(folder))

        assert 1 == status
        assert "vector v: score: expected '99'" in out


class TestCheckPaths:
    @pytest.mark.parametrize(
        "where",
        ["", "src/maturity_pack_where", "src/maturity_pack_where/pack.json"],
        ids=["root", "package", "pack.json"],
    )
    def test_root_package_and_pack_json_are_checked_alike(
        self, where, tmp_path
    ):
        """The distribution root, its package and its pack.json all check."""
        _cli("pack", "new", "where", "--dir", str(tmp_path))
        path = tmp_path / "maturity-pack-where" / where

        status, out, _ = _cli("pack", "check", str(path), "--format", "json")
        data = json.loads(out)

        assert (0, True, 1, 0) == (
            status,
            data["valid"],
            data["vectors_run"],
            data["vectors_failed"],
        )

    def test_root_checks_the_entry_point_name(self, tmp_path):
        """From the root, the entry-point name must equal the pack id."""
        _cli("pack", "new", "named", "--dir", str(tmp_path))
        root = tmp_path / "maturity-pack-named"
        pyproject = root / "pyproject.toml"
        pyproject.write_text(
            pyproject.read_text("utf-8").replace(
                'named = "maturity_pack_named"',
                'other = "maturity_pack_named"',
            ),
            "utf-8",
        )

        status, out, _ = _cli("pack", "check", str(root), "--format", "json")

        assert 1 == status
        assert ["id-mismatch"] == [
            p["code"] for p in json.loads(out)["problems"]
        ]

    def test_root_registering_two_packs_is_one_line_error(self, tmp_path):
        """A distribution with two packs asks for one package folder."""
        _cli("pack", "new", "twice", "--dir", str(tmp_path))
        root = tmp_path / "maturity-pack-twice"
        pyproject = root / "pyproject.toml"
        pyproject.write_text(
            pyproject.read_text("utf-8").replace(
                'twice = "maturity_pack_twice"',
                'twice = "maturity_pack_twice"\nagain = "maturity_pack_twice"',
            ),
            "utf-8",
        )

        status, out, err = _cli("pack", "check", str(root))

        assert (1, "") == (status, out)
        assert [
            f"maturity: error: {pyproject}: "
            '$.project["entry-points"]["maturity_core.packs"]: the '
            "distribution registers 2 packs (again, twice); give one pack's "
            "package folder"
        ] == err.splitlines()

    def test_folder_without_a_pack_is_one_line_error(self, tmp_path):
        """A folder with no pack.json and no pyproject.toml is refused."""
        status, _, err = _cli("pack", "check", str(tmp_path))

        assert 1 == status
        assert 1 == len(err.splitlines())
        assert f"{tmp_path}: $: this folder holds no pack.json" in err


class TestCheckVectors:
    def _pack_with_vector(self, tmp_path, text):
        _cli("pack", "new", "vec", "--dir", str(tmp_path))
        vectors = (
            tmp_path / "maturity-pack-vec" / "src" / "maturity_pack_vec"
            / "vectors"
        )  # fmt: skip
        (vectors / "02-bad.json").write_text(text, "utf-8")
        return tmp_path / "maturity-pack-vec", vectors / "02-bad.json"

    @pytest.mark.parametrize(
        ("text", "where"),
        [
            ("{not json", "$: malformed JSON at line 1 column 2"),
            ('{"expected": {}, "expected": {}}', "$: duplicate key"),
            ('{"expected": {"level": 2}}', "$: a vector needs a 'recipe'"),
            (
                '{"recipe": {}, "expected": {"level": "two"}}',
                "$.expected.level: 'two' is not of type 'integer'",
            ),
            (
                '{"recipe": {}, "expected": {"levle": 2}}',
                "$.expected: unknown field 'levle'",
            ),
            (
                '{"recipe": {"default": {"one": "full"}}, "expected": {}}',
                "$.recipe.default: 'one' does not match",
            ),
        ],
        ids=["json", "duplicate", "no-recipe", "type", "field", "level"],
    )
    def test_malformed_vector_is_one_line_naming_file_and_path(
        self, tmp_path, text, where
    ):
        """A malformed vector fails the check on one line: file, path, why."""
        root, vector = self._pack_with_vector(tmp_path, text)

        status, out, err = _cli("pack", "check", str(root))
        lines = out.splitlines()

        assert (1, "") == (status, err)
        assert lines[0].startswith(f"{root}: vector {vector}: {where}")
        assert (
            f"{root}: invalid pack: 0 problems; 1 vector ran, 1 failed"
        ) == lines[-1]
        assert 2 == len(lines)

    def test_symlinked_vector_is_refused(self, tmp_path):
        """A vector that is a symbolic link is not followed."""
        target = tmp_path / "elsewhere.json"
        target.write_text('{"recipe": {}, "expected": {}}', "utf-8")
        root, vector = self._pack_with_vector(tmp_path, "")
        vector.unlink()
        vector.symlink_to(target)

        status, out, _ = _cli("pack", "check", str(root), "--format", "json")

        assert 1 == status
        assert [
            f"{vector}: $: a test vector must be a file in the pack's "
            "vectors folder, not a symbolic link"
        ] == json.loads(out)["vector_failures"]

    def test_check_vectors_reads_vectors_strictly(self, tmp_path):
        """check_vectors raises InputError for a malformed vector."""
        root, vector = self._pack_with_vector(tmp_path, '{"expected": []}')

        with pytest.raises(mc.InputError) as info:
            check_vectors(mc.load_pack(root))

        assert (str(vector), "$.expected") == (
            info.value.source,
            info.value.json_path,
        )


REPO = Path(__file__).parents[1]


@pytest.mark.parametrize(
    "root",
    [
        "examples/packs/devpractice",
        "examples/packs/practicecap",
        "packs/bcgrading",
        "packs/db12t1073",
        "packs/gbt39116",
    ],
)
def test_shipped_pack_passes_check_from_its_root(root):
    """`maturity pack check --trust-code ROOT` passes every shipped pack."""
    status, out, _ = _cli(
        "pack", "check", "--trust-code", str(REPO / root), "--format", "json"
    )
    data = json.loads(out)

    assert (0, True, [], []) == (
        status,
        data["valid"],
        data["problems"],
        data["vector_failures"],
    )
    assert data["vectors_run"] >= 3


def test_every_shipped_pack_is_checked():
    """The list above names every pack distribution in the repository."""
    roots = sorted(
        str(p.parent.relative_to(REPO))
        for pattern in (
            "packs/*/pyproject.toml",
            "examples/packs/*/pyproject.toml",
        )
        for p in REPO.glob(pattern)
    )

    assert [
        "examples/packs/devpractice",
        "examples/packs/practicecap",
        "packs/bcgrading",
        "packs/db12t1073",
        "packs/gbt39116",
    ] == roots


class TestDocAndDiff:
    def test_doc_renders_the_standard_tables(self):
        """Markdown has a table per element with a column per level."""
        status, out, _ = _cli("pack", "doc", "db12t1073")

        assert 0 == status
        assert "| 能力子域 | 分项 / item | 一级（规划级） |" in out
        assert "应通过培训、研讨、宣传等方式" in out
        assert "| 3 % |" in out.replace("&nbsp;", " ") or "3 %" in out

    def test_doc_html_is_one_page(self, tmp_path):
        """HTML output is a complete page."""
        out = tmp_path / "pack.html"
        _cli("pack", "doc", "gbt39116", "--format", "html", "-o", str(out))

        text = out.read_text("utf-8")
        assert text.startswith("<!doctype html>")
        assert "rowspan" in text

    def test_diff_of_reworded_pack_is_comparable(self, tiny_dir, tmp_path):
        """Changed wording keeps scores comparable; changed weights do not."""
        data = json.loads((tiny_dir / "pack.json").read_text("utf-8"))
        reworded = json.loads(json.dumps(data))
        reworded["version"] = "1.3.0"
        reworded["requirements"][0]["text"] = {"en": "clearer wording"}
        reweighted = json.loads(json.dumps(data))
        reweighted["profiles"][0]["weights"].update({"a": "0.5", "b": "0.5"})

        wording = mc.authoring.diff_packs(mc.load_pack(data), mc.load_pack(reworded))
        weights = mc.authoring.diff_packs(mc.load_pack(data), mc.load_pack(reweighted))

        assert (True, ("a1.x.1",)) == (
            wording.comparable,
            wording.requirements_reworded,
        )
        assert not weights.comparable
        assert ("even", "a", "3/5", "1/2") in weights.weights_changed

    def test_diff_command_between_packs(self):
        """`pack diff` says DB12 → GB/T scores are not comparable."""
        status, out, _ = _cli("pack", "diff", "db12t1073", "gbt39116")

        assert 0 == status
        assert "NOT comparable" in out


class TestMigration:
    def _versions(self, tiny_dir):
        old = json.loads((tiny_dir / "pack.json").read_text("utf-8"))
        new = json.loads(json.dumps(old))
        new["version"] = "2.0.0"
        ids = {r["id"]: r for r in new["requirements"]}
        ids["a1.x.1"]["id"] = "a1.renamed.1"
        ids["a2.z.2"]["id"] = "a2.z2a.2"
        new["requirements"].append({**ids["a2.z.2"], "id": "a2.z2b.2"})
        new["requirements"] = [
            r for r in new["requirements"] if r["id"] != "b1.w.3"
        ]
        new["requirements"].append(
            {"id": "b1.new.3", "node": "b1", "level": 3, "text": {"en": "new"},
             "provenance": {"status": "proposal"}}
        )  # fmt: skip
        new["migration"] = {
            "from_version": "1.2.0",
            "changes": [
                {
                    "kind": "renamed",
                    "old": ["a1.x.1"],
                    "new": ["a1.renamed.1"],
                },
                {
                    "kind": "split",
                    "old": ["a2.z.2"],
                    "new": ["a2.z2a.2", "a2.z2b.2"],
                },
                {
                    "kind": "removed",
                    "old": ["b1.w.3"],
                    "note": "merged into b1.new.3 wording",
                },
            ],
        }
        return mc.load_pack(old), mc.load_pack(new)

    def test_carries_renamed_and_lists_what_needs_rating(self, tiny_dir):
        """Renamed keeps the rating; split and new need rating; removed drops."""
        old, new = self._versions(tiny_dir)
        assessment = mc.Assessment.from_dict(
            {"pack": "tiny", "pack_version": "1.2.0",
             "ratings": [{"id": r.id, "rating": "most"} for r in old.requirements]}
        )  # fmt: skip
        migrated = mc.analysis.migrate_assessment(new, assessment)
        rerate = {r.requirement: r.reason for r in migrated.rerate}

        assert "most" == migrated.assessment.rating_of("a1.renamed.1")
        assert {"a2.z2a.2", "a2.z2b.2", "b1.new.3"} == set(rerate)
        assert rerate["b1.new.3"] == "new in this version"
        assert [("b1.w.3", "merged into b1.new.3 wording")] == list(
            migrated.dropped
        )
        assert "2.0.0" == migrated.assessment.pack_version

    def test_migrate_command_writes_the_new_assessment(
        self, tiny_dir, tmp_path
    ):
        """`maturity migrate --to` writes the carried assessment."""
        _, new = self._versions(tiny_dir)
        folder = tmp_path / "v2"
        folder.mkdir()
        (folder / "pack.json").write_text(json.dumps(dict(new.data)))
        source = tmp_path / "a.json"
        source.write_text(
            json.dumps(
                {
                    "pack": "tiny",
                    "ratings": [{"id": "a1.x.1", "rating": "full"}],
                }
            )
        )
        out = tmp_path / "migrated.json"

        status, text, _ = _cli(
            "migrate", str(source), "--to", str(folder), "-o", str(out)
        )

        assert 0 == status
        assert "full" == mc.Assessment.from_path(out).rating_of("a1.renamed.1")
        assert "to (re-)rate" in text
