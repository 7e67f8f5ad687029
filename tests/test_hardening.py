"""Limits, untrusted packs, reproducible and verifiable results."""

from __future__ import annotations

import io
import json

import pytest

import maturity_core as mc
from maturity_core import _jsonio
from maturity_core.cli import run


class TestLimits:
    def test_deep_nesting_is_refused_before_parsing(self):
        """JSON deeper than MAX_DEPTH never reaches the parser."""
        text = "[" * (_jsonio.MAX_DEPTH + 1) + "]" * (_jsonio.MAX_DEPTH + 1)

        with pytest.raises(mc.InputError, match="nested more than 64"):
            _jsonio.loads(text, "deep.json")

    def test_brackets_inside_strings_do_not_count(self):
        """Only structural nesting counts toward the depth."""
        text = json.dumps({"a": "[" * 500})

        assert {"a": "[" * 500} == _jsonio.loads(text)

    def test_long_strings_are_refused(self):
        """Strings longer than MAX_STRING are an error with their path."""
        text = json.dumps({"note": "x" * (_jsonio.MAX_STRING + 1)})

        with pytest.raises(mc.InputError) as info:
            _jsonio.loads(text, "long.json")
        assert "$.note" == info.value.json_path

    def test_large_files_are_refused_before_reading(
        self, tmp_path, monkeypatch
    ):
        """Files over MAX_INPUT_BYTES are refused by size."""
        monkeypatch.setattr(_jsonio, "MAX_INPUT_BYTES", 10)
        path = tmp_path / "a.json"
        path.write_text('{"pack": "tiny", "ratings": []}')

        with pytest.raises(mc.InputError, match="at most 10 bytes"):
            mc.Assessment.from_path(path)

    def test_too_many_ratings_are_refused(self):
        """An assessment may hold at most 100,000 ratings."""
        data = {
            "pack": "tiny",
            "ratings": [{"id": f"r{i}"} for i in range(100_001)],
        }

        with pytest.raises(mc.AssessmentError, match="too long"):
            mc.Assessment.from_dict(data)

    def test_huge_integers_are_refused(self):
        """Integers beyond Python's digit limit end in an InputError."""
        with pytest.raises(mc.InputError):
            _jsonio.loads('{"format": ' + "9" * 5000 + "}")


class TestUntrustedPacks:
    def _pack_with_validator(self, tiny_dir, tmp_path):
        data = json.loads((tiny_dir / "pack.json").read_text("utf-8"))
        data["validators"] = [
            "maturity_pack_db12t1073.validators:odd_assessor_team"
        ]
        folder = tmp_path / "pack"
        folder.mkdir()
        (folder / "pack.json").write_text(json.dumps(data))
        return folder

    def _assessment(self):
        return mc.Assessment.from_dict(
            {
                "pack": "tiny",
                "metadata": {"mode": "external", "assessors": [{"name": "a"}]},
                "ratings": [
                    {"id": r, "rating": "full"}
                    for r in (
                        "a1.x.1",
                        "a1.y.1",
                        "a1.x.2",
                        "a1.x.3",
                        "a2.z.1",
                        "a2.z.2",
                        "a2.z.3",
                        "b1.w.1",
                        "b1.w.2",
                        "b1.w.3",
                    )
                ],
            }  # fmt: skip
        )

    def test_directory_pack_runs_no_code(self, tiny_dir, tmp_path):
        """Validators of a directory pack are skipped, not imported."""
        pack = mc.load_pack(self._pack_with_validator(tiny_dir, tmp_path))
        result = mc.score(pack, self._assessment())

        assert ["skipped"] == [v.status for v in result.validators]

    def test_opting_in_runs_the_validators(self, tiny_dir, tmp_path):
        """trust_code=True runs them (here: the team rule fails)."""
        folder = self._pack_with_validator(tiny_dir, tmp_path)
        pack = mc.load_pack(folder, trust_code=True)

        with pytest.raises(mc.AssessmentError, match="8.2.2"):
            mc.score(pack, self._assessment())

    def test_discovery_can_be_turned_off(self, monkeypatch):
        """MATURITY_CORE_NO_PLUGINS=1 makes installed packs unknown."""
        monkeypatch.setenv("MATURITY_CORE_NO_PLUGINS", "1")

        with pytest.raises(mc.exceptions.PackNotFoundError):
            mc.load_pack("db12t1073")


class TestReproducible:
    def test_same_inputs_give_byte_identical_json(self, tmp_path):
        """Two runs of `score --format json` write the same bytes."""
        first, second = tmp_path / "1.json", tmp_path / "2.json"
        for out in (first, second):
            run(
                ["score", "examples/db12t1073-discrete.json", "--format",
                 "json", "-o", str(out)],
                io.StringIO(),
                io.StringIO(),
            )  # fmt: skip

        assert first.read_bytes() == second.read_bytes()

    def test_result_records_its_identity(self):
        """Core version, pack, hashes, profile, scope and rule are recorded."""
        pack = mc.load_pack("db12t1073")
        data = mc.score(
            pack, mc.Assessment.from_path("examples/db12t1073-discrete.json")
        ).to_dict()

        assert mc.__version__ == data["core_version"]
        assert pack.content_hash == data["pack_hash"]
        assert data["assessment_hash"].startswith("sha256:")
        assert ("discrete", "cumulative-gated") == (
            data["profile"],
            data["rule"],
        )
        assert 23 == len(data["scope"])


class TestVerify:
    @pytest.fixture
    def recorded(self):
        pack = mc.load_pack("db12t1073")
        assessment = mc.Assessment.from_path(
            "examples/db12t1073-discrete.json"
        )
        return pack, assessment, mc.score(pack, assessment).to_dict()

    def test_unchanged_inputs_verify(self, recorded):
        """Re-scoring the same inputs gives the identical result."""
        pack, assessment, data = recorded

        assert mc.verify_result(data, assessment, pack=pack).ok

    def test_changed_assessment_is_detected(self, recorded):
        """A changed rating shows as a changed assessment hash and score."""
        pack, assessment, data = recorded
        changed = assessment.with_rating("data.data-sharing.l1", "none")
        fields = {
            d.field
            for d in mc.verify_result(data, changed, pack=pack).differences
        }

        assert {"assessment_hash", "score"} <= fields

    def test_changed_pack_is_detected(self, recorded):
        """A pack with other data (here through an overlay) is detected."""
        pack, assessment, data = recorded
        overlay = {
            "format": 1, "id": "o", "pack": "db12t1073", "source": "test",
            "requirements": {"replace": [{"id": "data.data-sharing.l1",
                                          "text": {"zh": "改"}}]},
        }  # fmt: skip
        outcome = mc.verify_result(data, assessment, pack=pack, overlays=())
        changed = mc.verify_result(
            data, assessment, pack=mc.apply_overlay(pack, overlay)
        )

        assert outcome.ok
        assert {"pack_hash", "overlays"} <= {
            d.field for d in changed.differences
        }

    def test_changed_core_version_is_detected(self, recorded):
        """A result recorded by another core version does not verify."""
        pack, assessment, data = recorded
        data = {**data, "core_version": "0.0.1"}
        outcome = mc.verify_result(data, assessment, pack=pack)

        assert ["core_version"] == [d.field for d in outcome.differences]

    def test_changed_overlay_is_detected(self, recorded, tmp_path):
        """An overlay whose content changed no longer verifies."""
        pack, assessment, _ = recorded
        path = tmp_path / "o.json"
        body = {"format": 1, "id": "o", "pack": "db12t1073", "source": "v1"}
        path.write_text(json.dumps(body))
        data = mc.score(mc.apply_overlay(pack, path), assessment).to_dict()
        path.write_text(json.dumps({**body, "source": "v2"}))
        outcome = mc.verify_result(
            data, assessment, pack=pack, overlays=[path]
        )

        assert "overlays" in {d.field for d in outcome.differences}

    def test_verify_command_exit_status(self, recorded, tmp_path):
        """`maturity verify` exits 0 when identical and 1 otherwise."""
        _, assessment, data = recorded
        good = tmp_path / "r.json"
        good.write_text(json.dumps(data))
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps({**data, "score": "1"}))
        args = ["examples/db12t1073-discrete.json"]

        assert 0 == run(
            ["verify", str(good), *args], io.StringIO(), io.StringIO()
        )
        out = io.StringIO()
        assert 1 == run(["verify", str(bad), *args], out, io.StringIO())
        assert "score" in out.getvalue()
