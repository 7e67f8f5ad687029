"""
Hardening of the input/output layer: special files, linear parsing,
inputs never overwritten, lone surrogates, counts bounded before the
work grows, interrupted runs, and the smaller holes of issue 12.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import maturity_core as mc
from maturity_core import _files, _jsonio
from maturity_core.cli import run


ROOT = Path(__file__).parents[1]
TINY_DIR = ROOT / "tests" / "fixtures" / "packs" / "tiny"
TINY = json.loads((TINY_DIR / "pack.json").read_text("utf-8"))
DB12_EXAMPLE = ROOT / "examples" / "db12t1073-discrete.json"

needs_fifo = pytest.mark.skipif(
    not hasattr(os, "mkfifo"), reason="FIFOs need a POSIX system"
)


def cli(*argv: object) -> tuple[int, str, str]:
    """Run ``maturity`` in-process: (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    status = run([str(a) for a in argv], out, err)
    return status, out.getvalue(), err.getvalue()


def tiny_assessment(path: Path, **extra: object) -> Path:
    """A fully rated assessment of the tiny pack, written to *path*."""
    data = {
        "pack": "tiny",
        "ratings": [
            {"id": r["id"], "rating": "full"} for r in TINY["requirements"]
        ],
        **extra,
    }
    path.write_text(json.dumps(data), "utf-8")
    return path


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def no_temporary_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# ---------------------------------------------------------------------------
# 1. Outputs never replace special files; one writer keeps modes


class TestSpecialOutputs:
    @needs_fifo
    def test_output_to_a_fifo_is_written_through(self, tmp_path):
        """-o onto a FIFO writes into it and leaves the FIFO in place."""
        assessment = tiny_assessment(tmp_path / "a.json")
        fifo = tmp_path / "out.fifo"
        os.mkfifo(fifo)
        reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        try:
            status, _, err = cli(
                "score", assessment, "--pack", TINY_DIR,
                "--format", "json", "-o", fifo,
            )  # fmt: skip
            received = os.read(reader, 1 << 20)
        finally:
            os.close(reader)

        assert (0, "") == (status, err)
        assert stat.S_ISFIFO(fifo.stat().st_mode)
        assert "tiny" == json.loads(received)["pack"]

    def test_output_to_a_character_device_is_written_through(self, tmp_path):
        """-o onto a character device writes to it, never replaces it."""
        device = tmp_path / "null"
        try:
            os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        except (OSError, AttributeError):
            pytest.skip("creating a device node needs root")
        assessment = tiny_assessment(tmp_path / "a.json")

        status, _, err = cli(
            "score", assessment, "--pack", TINY_DIR, "-o", device
        )

        assert (0, "") == (status, err)
        assert stat.S_ISCHR(device.stat().st_mode)

    @pytest.mark.parametrize("writer", ["cli", "questionnaire", "batch"])
    def test_existing_output_keeps_its_mode(self, tmp_path, writer):
        """Overwriting a 0600 output leaves it 0600, whatever writes it."""
        assessment = tiny_assessment(tmp_path / "a.json")
        suffix = {"cli": ".json", "questionnaire": ".csv", "batch": ".csv"}
        target = tmp_path / f"out{suffix[writer]}"
        target.write_text("old")
        target.chmod(0o600)
        pack = mc.load_pack(TINY_DIR)
        if writer == "cli":
            cli("score", assessment, "--pack", TINY_DIR, "-o", target)
        elif writer == "questionnaire":
            from maturity_core.questionnaire._questionnaire import write_questionnaire

            write_questionnaire(pack, target)
        else:
            model = mc.batch.compile_model(pack, "even")
            source = tmp_path / "in.csv"
            source.write_text(
                ",".join(model.requirement_ids)
                + "\n"
                + ",".join(["full"] * len(model.requirement_ids))
                + "\n"
            )
            mc.batch.score_file(model, source, target)

        assert "old" != target.read_text("utf-8")
        assert 0o600 == stat.S_IMODE(target.stat().st_mode)

    def test_new_output_gets_the_umask_mode(self, tmp_path):
        """A new output has the permissions the umask gives a new file."""
        mask = os.umask(0o027)
        try:
            _files.write_text(tmp_path / "new.txt", "x")
        finally:
            os.umask(mask)

        assert 0o640 == stat.S_IMODE((tmp_path / "new.txt").stat().st_mode)

    def test_writing_through_a_symlink_replaces_its_target(self, tmp_path):
        """An output that is a link keeps the link and updates its file."""
        real = tmp_path / "real.txt"
        real.write_text("old")
        link = tmp_path / "link.txt"
        link.symlink_to(real)

        _files.write_text(link, "new")

        assert link.is_symlink()
        assert "new" == real.read_text()

    def test_failed_write_leaves_the_old_file_and_no_temporary(self, tmp_path):
        """An error while writing keeps the old output and cleans up."""
        target = tmp_path / "out.txt"
        target.write_text("old")

        with pytest.raises(RuntimeError), _files.open_output(target) as f:
            f.write(b"half")
            raise RuntimeError

        assert "old" == target.read_text()
        assert [] == no_temporary_files(tmp_path)


class TestOutputErrors:
    def test_missing_output_folder_is_one_line(self, tmp_path):
        """-o into a folder that does not exist exits 2 with one line."""
        assessment = tiny_assessment(tmp_path / "a.json")

        status, _, err = cli(
            "score", assessment, "--pack", TINY_DIR,
            "-o", tmp_path / "nope" / "out.json",
        )  # fmt: skip

        assert 2 == status
        assert 1 == len(err.splitlines())
        assert "does not exist" in err

    def test_folder_as_output_is_one_line(self, tmp_path):
        """-o naming a folder exits 2 with one line."""
        assessment = tiny_assessment(tmp_path / "a.json")

        status, _, err = cli(
            "score", assessment, "--pack", TINY_DIR, "-o", tmp_path
        )

        assert 2 == status
        assert 1 == len(err.splitlines())
        assert "is a folder" in err

    def test_pack_new_into_a_file_is_one_line(self, tmp_path):
        """pack new --dir naming a file exits 2 with one line."""
        afile = tmp_path / "file"
        afile.write_text("")

        status, _, err = cli("pack", "new", "abc", "--dir", afile)

        assert 2 == status
        assert 1 == len(err.splitlines())
        assert "cannot create" in err

    @pytest.mark.skipif(
        not Path("/dev/full").exists(), reason="needs /dev/full"
    )
    def test_full_disk_on_stdout_is_one_line(self):
        """A failing standard output gives one line and exit 1."""
        with Path("/dev/full").open("w") as full:
            done = subprocess.run(
                [sys.executable, "-m", "maturity_core.cli", "packs"],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
            )

        assert 1 == done.returncode
        assert [
            "maturity: error: cannot write to standard output: No space "
            "left on device"
        ] == done.stderr.splitlines()


# ---------------------------------------------------------------------------
# 2. JSON scanning is linear


class TestLinearJson:
    def test_escaped_quotes_are_refused_quickly(self):
        """160 KB of escaped quotes is refused in well under a second."""
        text = '"' + '\\"' * 80_000
        start = time.perf_counter()

        with pytest.raises(mc.InputError, match="Unterminated string"):
            _jsonio.loads(text, "quotes.json")
        assert time.perf_counter() - start < 1

    def test_a_64_mib_file_is_refused_in_seconds(self, tmp_path):
        """A 64 MiB file of escaped quotes is refused in seconds."""
        path = tmp_path / "big.json"
        path.write_text('["' + '\\"' * (_jsonio.MAX_INPUT_BYTES // 2 - 4))
        start = time.perf_counter()

        with pytest.raises(mc.InputError):
            mc.Assessment.from_path(path)
        assert time.perf_counter() - start < 10

    def test_many_values_are_refused_before_parsing(self, tmp_path):
        """64 MiB of tiny arrays is refused by its count, in seconds."""
        path = tmp_path / "many.json"
        path.write_text("[" + "[[1]]," * (_jsonio.MAX_INPUT_BYTES // 7) + "1]")
        start = time.perf_counter()

        with pytest.raises(mc.InputError, match="more than 4000000 JSON"):
            mc.Assessment.from_path(path)
        assert time.perf_counter() - start < 10

    def test_commas_inside_strings_do_not_count(self):
        """Separators inside strings are text, not values."""
        text = json.dumps(["," * 90_000] * 50)

        assert 50 == len(_jsonio.loads(text))

    def test_nesting_reports_its_path(self):
        """Nesting deeper than MAX_DEPTH names the deepest place."""
        text = '{"a": ' + "[" * 64 + "]" * 64 + "}"

        with pytest.raises(mc.InputError) as info:
            _jsonio.loads(text, "deep.json")
        assert "$.a" + "[0]" * 63 == info.value.json_path

    def test_numbers_too_large_for_a_float_are_refused(self):
        """1e400 is not silently read as infinity."""
        with pytest.raises(mc.InputError, match="too large"):
            _jsonio.loads('{"x": 1e400}')


# ---------------------------------------------------------------------------
# 3. Inputs are regular files, read with a hard bound


class TestSpecialInputs:
    @needs_fifo
    def test_a_fifo_input_is_refused_without_blocking(self, tmp_path):
        """Reading a FIFO with no writer is refused at once."""
        fifo = tmp_path / "in.fifo"
        os.mkfifo(fifo)
        outcome: list[BaseException | None] = []

        def read() -> None:
            try:
                mc.Assessment.from_path(fifo)
            except BaseException as e:  # noqa: BLE001 -- reported below
                outcome.append(e)
            else:
                outcome.append(None)

        thread = threading.Thread(target=read, daemon=True)
        thread.start()
        thread.join(5)
        if thread.is_alive():  # unblock the reader, then fail
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            thread.join(5)
            pytest.fail("reading a FIFO blocked")

        assert isinstance(outcome[0], mc.InputError)
        assert "a FIFO (named pipe); inputs must be regular files" in str(
            outcome[0]
        )

    @pytest.mark.skipif(
        not Path("/dev/zero").exists(), reason="needs /dev/zero"
    )
    def test_a_device_input_is_refused(self):
        """/dev/zero is refused as a character device, not read."""
        with pytest.raises(mc.InputError, match="a character device"):
            mc.Assessment.from_path("/dev/zero")

    def test_a_link_out_of_a_folder_is_refused(self, tmp_path):
        """With `within`, a symbolic link leading outside is refused."""
        outside = tmp_path / "secret.json"
        outside.write_text("{}")
        folder = tmp_path / "pack"
        folder.mkdir()
        (folder / "pack.json").symlink_to(outside)

        with pytest.raises(mc.InputError, match="leads outside"):
            _files.read_bytes(folder / "pack.json", 100, within=folder)

    def test_the_batch_input_must_be_a_regular_file(self, tmp_path, tiny):
        """A batch input that is a folder is refused with its name."""
        model = mc.batch.compile_model(tiny, "even")
        folder = tmp_path / "in.parquet"
        folder.mkdir()

        with pytest.raises(mc.InputError, match="is a folder"):
            mc.batch.score_file(model, folder, tmp_path / "out.parquet")


# ---------------------------------------------------------------------------
# 4. No command overwrites one of its inputs


class TestInputsNeverOverwritten:
    def _db12(self, tmp_path: Path, name: str = "a.json") -> Path:
        return Path(shutil.copy(DB12_EXAMPLE, tmp_path / name))

    def test_crosswalk_carried_out_onto_its_input(self, tmp_path):
        """crosswalk --carried-out naming the input assessment exits 2."""
        source = self._db12(tmp_path)
        before = snapshot(source)

        status, _, err = cli(
            "crosswalk", source, "--to", "gbt39116", "--carried-out", source
        )

        assert 2 == status
        assert "must not be the input" in err
        assert before == snapshot(source)

    def test_report_onto_the_pack_file(self, tmp_path):
        """report -o naming the pack's pack.json exits 2."""
        pack = Path(shutil.copytree(TINY_DIR, tmp_path / "pack"))
        assessment = tiny_assessment(tmp_path / "a.json")
        before = snapshot(pack / "pack.json")

        status, _, err = cli(
            "report", assessment, "--pack", pack, "--format", "html",
            "-o", pack / "pack.json",
        )  # fmt: skip

        assert 2 == status
        assert "must not be the input" in err
        assert before == snapshot(pack / "pack.json")

    def test_pack_doc_onto_the_pack_file(self, tmp_path):
        """pack doc -o naming the documented pack.json exits 2."""
        pack = Path(shutil.copytree(TINY_DIR, tmp_path / "pack"))
        before = snapshot(pack / "pack.json")

        status, _, err = cli("pack", "doc", pack, "-o", pack / "pack.json")

        assert 2 == status
        assert "must not be the input" in err
        assert before == snapshot(pack / "pack.json")

    def test_score_onto_the_overlay(self, tmp_path):
        """score -o naming the overlay file exits 2."""
        assessment = tiny_assessment(tmp_path / "a.json")
        overlay = tmp_path / "overlay.json"
        overlay.write_text(
            json.dumps({
                "format": 1, "id": "o", "pack": "tiny", "source": "s",
                "weights": {"even": {"a": "0.5", "b": "0.5"}},
            })
        )  # fmt: skip
        before = snapshot(overlay)

        status, _, err = cli(
            "score", assessment, "--pack", TINY_DIR,
            "--overlay", overlay, "-o", overlay,
        )  # fmt: skip

        assert 2 == status
        assert "must not be the input" in err
        assert before == snapshot(overlay)

    def test_report_chart_onto_an_input(self, tmp_path):
        """The report's chart may not replace the assessment it reads."""
        pytest.importorskip("matplotlib")
        assessment = tiny_assessment(tmp_path / "r.radar.png")
        before = snapshot(assessment)

        status, _, err = cli(
            "report", assessment, "--pack", TINY_DIR, "-o", tmp_path / "r.md"
        )

        assert 2 == status
        assert "must not be the input" in err
        assert before == snapshot(assessment)
        assert not (tmp_path / "r.md").exists()

    def test_a_hard_link_to_the_input_is_refused(self, tmp_path):
        """An output that is a hard link to the input is the same file."""
        assessment = tiny_assessment(tmp_path / "a.json")
        link = tmp_path / "b.json"
        os.link(assessment, link)
        before = snapshot(assessment)

        status, _, err = cli(
            "score", assessment, "--pack", TINY_DIR, "-o", link
        )

        assert 2 == status
        assert "must not be the input" in err
        assert before == snapshot(assessment)

    def test_a_group_member_may_not_be_overwritten(self, tmp_path):
        """Inputs found while working (a group's members) count too."""
        member = self._db12(tmp_path, "db12.json")
        group = tmp_path / "group.json"
        group.write_text(
            json.dumps({
                "format": 1, "name": "g",
                "standards": [
                    {"code": "GB/T 39116-2020", "kind": "national",
                     "core": True},
                    {"code": "DB12/T 1073-2021", "kind": "local",
                     "pack": "db12t1073", "assessment": "db12.json"},
                ],
            })
        )  # fmt: skip
        before = snapshot(member)

        with _files.command_files():
            mc.analysis.score_group(group)
            with pytest.raises(mc.exceptions.OutputError, match="must not be the input"):
                _files.write_text(member, "x")
        assert before == snapshot(member)


# ---------------------------------------------------------------------------
# 5. Lone surrogates are refused at load, with their path


class TestLoneSurrogates:
    def test_json_surrogate_escape_is_refused_with_its_path(self, tmp_path):
        """score refuses a \\ud800 escape, naming its JSON path."""
        path = tmp_path / "a.json"
        tiny_assessment(path, metadata={"organisation": "x"})
        path.write_text(path.read_text().replace('"x"', '"\\ud800"'))

        status, _, err = cli("score", path, "--pack", TINY_DIR)

        assert 1 == status
        assert "$.metadata.organisation" in err
        assert "lone surrogate" in err

    def test_surrogate_pairs_are_text(self):
        """A well-formed surrogate pair is one character."""
        assert {"a": "\U0001f600"} == _jsonio.loads('{"a": "\\ud83d\\ude00"}')

    def test_surrogate_in_a_key_is_refused(self):
        """Keys are checked as strings are."""
        with pytest.raises(mc.InputError, match="a key: character 1"):
            _jsonio.loads('{"a\\udc00": 1}')

    def test_surrogate_in_data_is_a_schema_problem(self):
        """Assessments built from data report surrogates with their path."""
        data = {
            "pack": "tiny",
            "ratings": [{"id": "a1.x.1", "note": "\ud800"}],
        }

        with pytest.raises(mc.AssessmentError) as info:
            mc.Assessment.from_dict(data)
        assert "$.ratings[0].note" == info.value.json_path

    def test_xlsx_surrogate_escape_names_its_cell(self, tmp_path):
        """A _xD800_ cell of a questionnaire is refused at its cell."""
        openpyxl = pytest.importorskip("openpyxl")
        from maturity_core.questionnaire._questionnaire import (
            read_questionnaire,
            write_questionnaire,
        )

        pack = mc.load_pack("db12t1073")
        path = write_questionnaire(pack, tmp_path / "q.xlsx", lang="en")
        wb = openpyxl.load_workbook(path)
        ws = wb["ratings"]
        note = next(
            c.column for c in ws[1] if c.value and "note" in str(c.value)
        )
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value)
        ws.cell(row=row, column=note, value="_xD800_")
        wb.save(path)

        letter = openpyxl.utils.get_column_letter(note)

        with pytest.raises(
            mc.InputError, match=f"cell ratings!{letter}{row}: .*surrogate"
        ):
            read_questionnaire(path, pack=pack)


# ---------------------------------------------------------------------------
# 6. Counts are limited before the work grows


class TestCountsBeforeWork:
    def test_a_million_ratings_are_refused_quickly(self, tmp_path):
        """10**6 ratings are refused in seconds, not after scoring."""
        path = tmp_path / "a.json"
        ratings = ",".join(
            f'{{"id":"r{i}","rating":"full"}}' for i in range(1_000_000)
        )
        path.write_text(f'{{"pack":"tiny","ratings":[{ratings}]}}')
        start = time.perf_counter()

        with pytest.raises(mc.InputError) as info:
            mc.Assessment.from_path(path)
        assert time.perf_counter() - start < 10
        assert "$.ratings" == info.value.json_path

    def test_a_700000_requirement_pack_is_refused_quickly(self, tmp_path):
        """A pack far over the requirement limit is refused in seconds."""
        path = tmp_path / "pack.json"
        reqs = ",".join(
            f'{{"id":"r{i}","node":"a1","level":1,"text":"t"}}'
            for i in range(700_000)
        )
        path.write_text(f'{{"id":"big","requirements":[{reqs}]}}')
        start = time.perf_counter()

        with pytest.raises(mc.InputError, match="at most"):
            mc.load_pack(path)
        assert time.perf_counter() - start < 10


# ---------------------------------------------------------------------------
# 7. Interrupted runs


def _start_batch(tmp_path: Path) -> tuple[subprocess.Popen[str], Path]:
    """A long batch run in a child process, once its output is open."""
    pack = mc.load_pack(TINY_DIR)
    model = mc.batch.compile_model(pack, "even")
    source = tmp_path / "in.csv"
    row = ",".join(["full"] * len(model.requirement_ids)) + "\n"
    source.write_text(",".join(model.requirement_ids) + "\n" + row * 400_000)
    out = tmp_path / "out" / "scored.csv"
    out.parent.mkdir()
    child = subprocess.Popen(
        [
            sys.executable, "-m", "maturity_core.cli", "batch", str(source),
            "--pack", str(TINY_DIR), "--out", str(out),
            "--chunk-rows", "500", "--no-progress",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not no_temporary_files(out.parent):
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            pytest.fail("the batch run never opened its output")
        time.sleep(0.05)
    return child, out


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
class TestInterrupted:
    def test_sigterm_leaves_no_temporary_files(self, tmp_path):
        """SIGTERM mid-batch removes the temporary output, exits 143."""
        child, out = _start_batch(tmp_path)

        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=60)

        assert 143 == child.returncode
        assert [] == no_temporary_files(out.parent)
        assert ["maturity: terminated"] == err.splitlines()

    def test_sigint_prints_one_line(self, tmp_path):
        """Ctrl-C mid-batch prints one line and exits 130."""
        child, out = _start_batch(tmp_path)

        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=60)

        assert 130 == child.returncode
        assert ["maturity: interrupted"] == err.splitlines()
        assert [] == no_temporary_files(out.parent)


# ---------------------------------------------------------------------------
# 7. verify checks types


class TestVerifyTypes:
    def _recorded(self, tmp_path: Path, **changes: object) -> list[Path]:
        """A level-1 result and its assessment, with *changes* recorded."""
        path = tiny_assessment(tmp_path / "a.json")
        data = json.loads(path.read_text())
        for entry in data["ratings"]:
            entry["rating"] = "full" if entry["id"].endswith(".1") else "none"
        path.write_text(json.dumps(data))
        pack = mc.load_pack(TINY_DIR)
        result = mc.score(pack, mc.Assessment.from_path(path)).to_dict()
        assert 1 == result["level"]
        recorded = tmp_path / "result.json"
        recorded.write_text(json.dumps(result | changes))
        return [recorded, path]

    @pytest.mark.parametrize("level", [True, 1.0], ids=["true", "float"])
    def test_a_level_of_another_type_differs(self, tmp_path, level):
        """A recorded level of true or 1.0 does not verify a level of 1."""
        status, out, _ = cli(
            "verify", *self._recorded(tmp_path, level=level),
            "--pack", TINY_DIR, "--format", "json",
        )  # fmt: skip

        assert 1 == status
        assert ["level"] == [
            d["field"] for d in json.loads(out)["differences"]
        ]

    @pytest.mark.parametrize("field", ["profile", "rule"])
    def test_a_non_string_profile_or_rule_is_refused(self, tmp_path, field):
        """A recorded profile or rule that is not a string exits 1."""
        status, _, err = cli(
            "verify", *self._recorded(tmp_path, **{field: 5}),
            "--pack", TINY_DIR,
        )  # fmt: skip

        assert 1 == status
        assert f"$.{field}: must be a string (got 5)" in err


# ---------------------------------------------------------------------------
# 7. Terminal escape sequences


class TestTerminalText:
    HOSTILE = "Acme\x1b]0;pwned\x07\x1b[2J\x1b[31m Ltd\r\x9b1A"

    def test_text_output_has_no_control_sequences(self, tmp_path):
        """An organisation name cannot drive the terminal."""
        assessment = tiny_assessment(
            tmp_path / "a.json", metadata={"organisation": self.HOSTILE}
        )

        status, out, _ = cli("score", assessment, "--pack", TINY_DIR)

        assert 0 == status
        assert "Organisation: Acme" in out
        assert not any(c in out for c in "\x1b\x07\r\x9b")

    def test_json_output_keeps_the_text(self, tmp_path):
        """--format json carries the exact text, escaped by JSON."""
        assessment = tiny_assessment(
            tmp_path / "a.json", metadata={"organisation": self.HOSTILE}
        )

        _, out, _ = cli(
            "score", assessment, "--pack", TINY_DIR, "--format", "json"
        )

        assert "\\u001b" in out
        assert "\x1b" not in out

    def test_error_messages_have_no_control_sequences(self, tmp_path):
        """A file name with escapes is shown without them."""
        status, _, err = cli("score", tmp_path / "x\x1b[2Jy.json")

        assert 1 == status
        assert "\x1b" not in err


# ---------------------------------------------------------------------------
# 7. Group files


class TestGroupPaths:
    def _group(self, folder: Path, member: dict[str, str]) -> Path:
        folder.mkdir(exist_ok=True)
        path = folder / "group.json"
        path.write_text(
            json.dumps({
                "format": 1, "name": "g",
                "standards": [
                    {"code": "GB/T 39116-2020", "kind": "national",
                     "core": True},
                    {"code": "T/X 1", "kind": "group", **member},
                ],
            })
        )  # fmt: skip
        return path

    def test_pack_folders_resolve_from_the_group_file(
        self, tmp_path, monkeypatch
    ):
        """A member's pack folder is found beside the group file."""
        folder = tmp_path / "g"
        folder.mkdir()
        shutil.copytree(TINY_DIR, folder / "tinypack")
        tiny_assessment(folder / "a.json")
        group = self._group(
            folder, {"pack": "./tinypack", "assessment": "a.json"}
        )
        monkeypatch.chdir(tmp_path)

        result = mc.analysis.score_group(group)

        assert ["T/X 1"] == [m.code for m in result.scored]

    @pytest.mark.parametrize(
        "field", ["assessment", "pack"], ids=["assessment", "pack"]
    )
    @pytest.mark.parametrize(
        "ref", ["../a.json", "/tmp/a.json", "sub/../../a.json"]
    )
    def test_member_paths_outside_the_folder_are_refused(
        self, tmp_path, field, ref
    ):
        """Absolute and '..' member paths are refused with their path."""
        tiny_assessment(tmp_path / "a.json")
        member = {"pack": "db12t1073", "assessment": "a.json", field: ref}
        group = self._group(tmp_path / "g", member)

        with pytest.raises(mc.AssessmentError) as info:
            mc.analysis.score_group(group)
        assert f"$.standards[1].{field}" == info.value.json_path

    def test_a_link_out_of_the_folder_is_refused(self, tmp_path):
        """A member reached through a link leading outside is refused."""
        tiny_assessment(tmp_path / "a.json")
        folder = tmp_path / "g"
        folder.mkdir()
        (folder / "a.json").symlink_to(tmp_path / "a.json")
        group = self._group(
            folder, {"pack": "db12t1073", "assessment": "a.json"}
        )

        with pytest.raises(mc.AssessmentError, match="outside the group"):
            mc.analysis.score_group(group)


# ---------------------------------------------------------------------------
# 7. Id patterns


class TestIdPatterns:
    def test_pack_new_refuses_a_trailing_newline(self, tmp_path):
        """`pack new $'abc\\n'` is refused and writes nothing."""
        status, _, err = cli("pack", "new", "abc\n", "--dir", tmp_path)

        assert 1 == status
        assert "must be lower-case letters" in err
        assert [] == list(tmp_path.iterdir())

    @pytest.mark.parametrize(
        ("schema", "data"),
        [
            ("assessment", {"pack": "t", "ratings": [{"id": "a1.x.1\n"}]}),
            (
                "overlay",
                {"format": 1, "id": "o\n", "pack": "t", "source": "s"},
            ),
            ("result", {"score": "1\n"}),
        ],
        ids=["assessment-id", "overlay-id", "exact-number"],
    )
    def test_schema_patterns_refuse_a_trailing_newline(self, schema, data):
        """A pattern's end anchor does not match before a final newline."""
        from maturity_core._schema import iter_schema_problems

        messages = [p.message for p in iter_schema_problems(schema, data)]

        assert any("does not match" in m for m in messages)

    def test_a_decimal_over_an_integer_is_a_problem(self):
        """An exact number such as "1.5/3" is a schema problem, no crash."""
        data = json.loads(json.dumps(TINY))
        data["profiles"][0]["weights"]["a"] = "1.5/3"

        with pytest.raises(mc.exceptions.InvalidPackError) as info:
            mc.load_pack(data)
        assert ["$.profiles[0].weights.a"] == [
            p.json_path for p in info.value.problems
        ]


# ---------------------------------------------------------------------------
# 7. --effort


class TestEffort:
    def _plan(self, tmp_path: Path, effort: object) -> tuple[int, str, str]:
        assessment = tiny_assessment(tmp_path / "a.json")
        data = json.loads(assessment.read_text())
        for entry in data["ratings"]:
            entry["rating"] = "none"
        assessment.write_text(json.dumps(data))
        path = tmp_path / "effort.json"
        path.write_text(json.dumps(effort))
        return cli("plan", assessment, "--pack", TINY_DIR, "--effort", path)

    def test_a_huge_exponent_is_refused_at_once(self, tmp_path):
        """An effort of "1e-999999" is refused at once, naming the file."""
        start = time.perf_counter()

        status, _, err = self._plan(tmp_path, {"a1.x.1": "1e-999999"})

        assert time.perf_counter() - start < 2
        assert 1 == status
        assert "effort.json: $['a1.x.1']" in err

    def test_an_effort_file_that_is_not_an_object_names_the_file(
        self, tmp_path
    ):
        """An invalid effort file exits 1 and names the file."""
        status, _, err = self._plan(tmp_path, [1, 2])

        assert 1 == status
        assert "effort.json: $: effort must be a JSON object" in err

    def test_an_unknown_requirement_names_the_file(self, tmp_path):
        """An effort for an unknown id exits 1 at its path in the file."""
        status, _, err = self._plan(tmp_path, {"nope": 1})

        assert 1 == status
        assert "effort.json: $['nope']" in err

    def test_exact_strings_are_efforts(self, tmp_path):
        """Exact strings such as "1/3" and "0.5" are efforts."""
        status, out, err = self._plan(
            tmp_path, {"a1.x.1": "1/3", "a1.y.1": "0.5"}
        )

        assert (0, "") == (status, err)
        assert "effort" in out
