"""Which pack a name resolves to, and running a pack's own code only when
it is trusted: installed ids win over folders, paths are named as paths,
and --pack PATH --trust-code works on every command that loads a pack."""

from __future__ import annotations

import io
import itertools
import os
import json
from importlib.resources import files
from pathlib import Path

import pytest

import maturity_core as mc
from maturity_core.cli import run


EXAMPLE = Path(__file__).parents[1] / "examples" / "db12t1073-discrete.json"
_IDS = itertools.count()


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run(list(args), out, err)
    return status, out.getvalue(), err.getvalue()


def _shadow(folder: Path) -> Path:
    """A copy of the installed db12t1073 pack with a much lower gate."""
    data = json.loads(
        files("maturity_pack_db12t1073").joinpath("pack.json").read_text()
    )
    data["method"]["gate"] = "0.1"
    folder.mkdir()
    (folder / "pack.json").write_text(json.dumps(data), "utf-8")
    return folder


@pytest.fixture
def shadowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with a folder named like an installed pack."""
    monkeypatch.chdir(tmp_path)
    _shadow(tmp_path / "db12t1073")
    (tmp_path / "a.json").write_text(EXAMPLE.read_text("utf-8"), "utf-8")
    return tmp_path


class TestInstalledIdWins:
    def test_folder_of_the_same_name_does_not_shadow_the_installed_pack(
        self, shadowed: Path
    ) -> None:
        """`score` uses the installed db12t1073, not ./db12t1073."""
        status, out, _ = _cli("score", "a.json", "--format", "json")

        assert (0, "4/5") == (status, json.loads(out)["gate"])

    def test_pack_option_with_a_bare_name_is_the_installed_pack(
        self, shadowed: Path
    ) -> None:
        """`--pack db12t1073` is the installed pack even beside the folder."""
        status, out, _ = _cli(
            "score", "a.json", "--pack", "db12t1073", "--format", "json"
        )

        assert (0, "4/5") == (status, json.loads(out)["gate"])

    def test_load_pack_by_id_reads_the_installed_file(
        self, shadowed: Path
    ) -> None:
        """The source of an installed pack is its installed pack.json."""
        expected = str(files("maturity_pack_db12t1073").joinpath("pack.json"))

        assert expected == mc.load_pack("db12t1073").source

    def test_folder_named_as_a_path_is_loaded(self, shadowed: Path) -> None:
        """`--pack ./db12t1073` loads the folder, untrusted."""
        status, out, _ = _cli(
            "score", "a.json", "--pack", "./db12t1073", "--format", "json"
        )
        result = json.loads(out)

        assert (0, "1/10") == (status, result["gate"])
        assert ["skipped"] == [v["status"] for v in result["validators"]]

    def test_score_text_shows_where_the_pack_came_from(
        self, shadowed: Path
    ) -> None:
        """The text result names the pack.json read and that it is untrusted."""
        _, out, _ = _cli("score", "a.json", "--pack", "./db12t1073")

        assert (
            f"Source:       {Path('db12t1073', 'pack.json')} (untrusted: "
            "runs no pack code)"
        ) in out.splitlines()

    def test_path_like_is_always_a_path(self, shadowed: Path) -> None:
        """load_pack(Path("db12t1073")) is the folder, not the installed id."""
        assert "0.1" == str(float(mc.load_pack(Path("db12t1073")).method.gate))

    def test_bare_name_of_a_folder_is_not_found_with_a_hint(
        self, shadowed: Path
    ) -> None:
        """A folder is never loaded by a bare name; the error says ./NAME."""
        _shadow(shadowed / "mine")

        status, out, err = _cli("template", "mine")

        assert (1, "") == (status, out)
        assert 1 == len(err.splitlines())
        assert "name it as a path, ./mine" in err

    def test_assessment_naming_a_folder_does_not_load_it(
        self, shadowed: Path
    ) -> None:
        """An assessment's pack id never resolves to a folder on disk."""
        _shadow(shadowed / "mine")
        data = json.loads(EXAMPLE.read_text("utf-8"))
        data["pack"] = "mine"
        Path("mine.json").write_text(json.dumps(data), "utf-8")

        status, _, err = _cli("score", "mine.json")

        assert 1 == status
        assert "mine.json: assessment is invalid" in err
        assert "no model pack 'mine' is installed" in err


# ---------------------------------------------------------------------------
# A pack with its own code, not installed


def _ruled_pack(parent: Path) -> tuple[Path, str]:
    """
    Scaffold a pack (not installed) whose level rule comes from its own
    extension module and that names a validator; return its root and id.
    Each call uses a new id, so its rule is not yet registered.
    """
    pack_id = f"ruled{next(_IDS)}"
    assert 0 == _cli("pack", "new", pack_id, "--dir", str(parent))[0]
    root = parent / f"maturity-pack-{pack_id}"
    package = root / "src" / f"maturity_pack_{pack_id}"
    (package / "rules.py").write_text(
        "from maturity_core import get_rule, register_rule, rule_names\n"
        f"if '{pack_id}-gated' not in rule_names():\n"
        f"    register_rule('{pack_id}-gated', get_rule('cumulative-gated'))\n",
        "utf-8",
    )
    (package / "validators.py").write_text(
        "def no_complaints(pack, assessment):\n    return iter(())\n", "utf-8"
    )
    data = json.loads((package / "pack.json").read_text("utf-8"))
    data["method"]["rule"] = f"{pack_id}-gated"
    data["extensions"] = [f"maturity_pack_{pack_id}.rules"]
    data["validators"] = [f"maturity_pack_{pack_id}.validators:no_complaints"]
    (package / "pack.json").write_text(json.dumps(data), "utf-8")
    return root, pack_id


@pytest.fixture
def ruled(tmp_path: Path) -> tuple[Path, str]:
    return _ruled_pack(tmp_path)


@pytest.fixture
def ruled_assessment(ruled: tuple[Path, str], tmp_path: Path) -> Path:
    """
    A fully rated assessment of the ruled pack, written from its data
    without loading it (so its rule is not registered yet).
    """
    root, pack_id = ruled
    package = root / "src" / f"maturity_pack_{pack_id}"
    data = json.loads((package / "pack.json").read_text("utf-8"))
    ratings = [{"id": r["id"], "rating": "full"} for r in data["requirements"]]
    path = tmp_path / "ruled.json"
    path.write_text(json.dumps({"pack": pack_id, "ratings": ratings}), "utf-8")
    return path


class TestTrustCode:
    def test_check_imports_extensions_before_checking_rule_names(
        self, ruled: tuple[Path, str]
    ) -> None:
        """`pack check --trust-code` accepts a pack with its own rule."""
        root, _ = ruled

        status, out, _ = _cli("pack", "check", "--trust-code", str(root))

        assert (0, f"{root}: valid pack; 1 vector ran, all passed\n") == (
            status,
            out,
        )

    def test_untrusted_own_rule_cannot_be_checked(
        self, ruled: tuple[Path, str]
    ) -> None:
        """Without --trust-code the rule is unchecked, not unknown."""
        root, pack_id = ruled

        status, out, _ = _cli("pack", "check", str(root), "--format", "json")
        problems = json.loads(out)["problems"]

        assert 1 == status
        assert [("$.method.rule", "untrusted-rule")] == [
            (p["json_path"], p["code"]) for p in problems
        ]
        assert (
            f"level rule '{pack_id}-gated' is not built in and may be "
            "registered by the pack's extension modules "
            f"(maturity_pack_{pack_id}.rules), which run only for trusted "
            "packs: it cannot be checked without --trust-code"
        ) in problems[0]["message"]

    def test_unimportable_validator_is_a_problem_when_trusted(
        self, ruled: tuple[Path, str]
    ) -> None:
        """A trusted pack's validators must import; the path says which."""
        root, pack_id = ruled
        package = root / "src" / f"maturity_pack_{pack_id}"
        data = json.loads((package / "pack.json").read_text("utf-8"))
        data["validators"] = [f"maturity_pack_{pack_id}.nowhere:check"]
        (package / "pack.json").write_text(json.dumps(data), "utf-8")

        status, out, _ = _cli(
            "pack", "check", "--trust-code", str(root), "--format", "json"
        )

        assert 1 == status
        assert [("$.validators[0]", "validator")] == [
            (p["json_path"], p["code"]) for p in json.loads(out)["problems"]
        ]

    def test_score_with_pack_path_and_trust_code_runs_pack_code(
        self, ruled: tuple[Path, str], ruled_assessment: Path
    ) -> None:
        """`score --pack ROOT --trust-code` uses the pack's rule and validator."""
        root, pack_id = ruled

        status, out, _ = _cli(
            "score", str(ruled_assessment), "--pack", str(root),
            "--trust-code", "--format", "json",
        )  # fmt: skip
        result = json.loads(out)

        assert (0, f"{pack_id}-gated", ["passed"]) == (
            status,
            result["rule"],
            [v["status"] for v in result["validators"]],
        )

    def test_report_with_pack_path_and_trust_code(
        self, ruled: tuple[Path, str], ruled_assessment: Path
    ) -> None:
        """`report --pack ROOT --trust-code` reports under the pack's rule."""
        root, pack_id = ruled

        status, out, _ = _cli(
            "report", str(ruled_assessment), "--pack", str(root),
            "--trust-code", "--format", "json",
        )  # fmt: skip

        assert (0, f"{pack_id}-gated", 2) == (
            status,
            json.loads(out)["summary"]["rule"],
            json.loads(out)["summary"]["level"],
        )

    def test_plan_with_pack_path_and_trust_code(
        self, ruled: tuple[Path, str], ruled_assessment: Path
    ) -> None:
        """`plan --pack ROOT --trust-code` plans from the pack's result."""
        root, _ = ruled

        status, out, _ = _cli(
            "plan", str(ruled_assessment), "--pack", str(root),
            "--trust-code", "--target", "2", "--format", "json",
        )  # fmt: skip

        assert (0, 2, []) == (
            status,
            json.loads(out)["baseline_level"],
            json.loads(out)["upgrades"],
        )

    @pytest.mark.parametrize(
        "command",
        [
            ["score", "{a}"],
            ["report", "{a}", "--format", "json"],
            ["plan", "{a}"],
            ["validate", "{a}", "--format", "json"],
            ["consolidate", "{a}", "{a}"],
            ["compare", "{a}", "{a}"],
        ],
        ids=lambda c: c[0],
    )
    def test_commands_taking_an_assessment_need_trust_for_pack_code(
        self,
        command: list[str],
        ruled: tuple[Path, str],
        ruled_assessment: Path,
    ) -> None:
        """Each loads --pack PATH; its own rule needs --trust-code."""
        root, _ = ruled
        argv = [a.format(a=ruled_assessment) for a in command]
        argv += ["--pack", str(root)]

        untrusted = _cli(*argv)
        trusted = _cli(*argv, "--trust-code")

        assert 1 == untrusted[0]
        assert "cannot be checked without --trust-code" in (
            untrusted[1] + untrusted[2]
        )
        assert (0, "") == (trusted[0], trusted[2])

    def test_template_takes_trust_code(self, ruled: tuple[Path, str]) -> None:
        """`template PATH --trust-code` writes a blank for a pack with code."""
        root, pack_id = ruled

        status, out, _ = _cli("template", str(root), "--trust-code")

        assert (0, pack_id) == (status, json.loads(out)["pack"])


class TestSharedOptions:
    @pytest.mark.parametrize(
        "command",
        [
            ["score"], ["report"], ["plan"], ["validate"], ["consolidate"],
            ["compare"], ["crosswalk"], ["change"],
        ],
        ids=lambda c: c[0],
    )  # fmt: skip
    def test_commands_reading_an_assessment_take_pack_and_trust_code(
        self, command: list[str]
    ) -> None:
        """Every command that reads an assessment takes both options."""
        status, out, _ = _cli(*command, "--help")

        assert (0, True, True) == (
            status,
            "--pack PACK" in out,
            "--trust-code" in out,
        )

    @pytest.mark.parametrize(
        "command",
        [
            ["template"], ["migrate"], ["verify"], ["batch"],
            ["pack", "check"], ["pack", "doc"], ["pack", "diff"],
        ],
        ids=" ".join,
    )  # fmt: skip
    def test_other_commands_loading_a_pack_take_trust_code(
        self, command: list[str]
    ) -> None:
        """Every other command that loads a pack takes --trust-code."""
        status, out, _ = _cli(*command, "--help")

        assert (0, True) == (status, "--trust-code" in out)


def test_a_pack_folder_link_leading_out_is_refused(tmp_path):
    """A pack folder's pack.json that links outside the folder is refused."""
    outside = tmp_path / "elsewhere.json"
    outside.write_text(
        (Path(__file__).parent / "fixtures/packs/tiny/pack.json").read_text(
            "utf-8"
        ),
        "utf-8",
    )
    folder = tmp_path / "mypack"
    folder.mkdir()
    (folder / "pack.json").symlink_to(outside)

    with pytest.raises(mc.InputError, match="leads outside"):
        mc.load_pack(f"{folder}{os.sep}")
