"""
Hostile text in file formats: Markdown outputs render names as text,
charts draw any name, CSV cells never run as formulas and read back
exactly, batch keys stay strings, and XLSX workbooks are read within
bounds.
"""

from __future__ import annotations

import copy
import csv
import html
import io
import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import maturity_core as mc
from maturity_core.authoring._authoring import pack_markdown
from maturity_core._escape import (
    from_csv_cell,
    md_cell,
    md_text,
    to_csv_cell,
)
from maturity_core.cli import run

from . import workbooks


TINY = json.loads(
    (Path(__file__).parent / "fixtures/packs/tiny/pack.json").read_text(
        "utf-8"
    )
)
HOSTILE = "<img src=x onerror=alert(1)>"
#: CommonMark with the tables and strikethrough of GitHub's Markdown.
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _pack(edit=None) -> mc.Pack:
    """The tiny pack with domains (so the chart has axes), edited."""
    data = copy.deepcopy(TINY)
    for node in data["nodes"]:
        node["kind"] = "domain"
    if edit is not None:
        edit(data)
    return mc.load_pack(data)


def _report(pack: mc.Pack, **metadata: Any) -> mc.report.Report:
    assessment = mc.Assessment.from_dict(
        {
            "format": 1,
            "pack": "tiny",
            "metadata": metadata,
            "ratings": [
                {"id": r.id, "rating": "partial"} for r in pack.requirements
            ],
        }
    )
    return mc.report.build_report(pack, mc.score(pack, assessment), lang="en")


def _rendered_as_text(text: str) -> str:
    """What a CommonMark renderer shows for *text* (one line, trimmed)."""
    one_line = " ".join(
        text.replace("\0", "\ufffd")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .split("\n")
    )
    return one_line.strip()


def _escape_html(text: str) -> str:
    return html.escape(text, quote=True).replace("&#x27;", "'")


# ---------------------------------------------------------------------------
# Markdown


class TestMarkdownHelpers:
    @given(st.text())
    def test_inline_text_renders_as_itself(self, text):
        """Any text put at the start of a line renders as that text."""
        shown = _rendered_as_text(text)
        assume(shown)
        assert f"<p>{_escape_html(shown)}</p>\n" == MARKDOWN.render(
            md_text(text)
        )

    @given(st.text())
    def test_inline_text_in_a_heading_renders_as_itself(self, text):
        """Any text in a heading renders as that text, heading and all."""
        shown = _rendered_as_text(text)
        assume(shown)
        assert f"<h2>{_escape_html(shown)}</h2>\n" == MARKDOWN.render(
            f"## {md_text(text)}"
        )

    @given(st.text())
    def test_table_cell_renders_as_itself(self, text):
        """Any text in a table cell renders as that text, in that cell."""
        shown = _rendered_as_text(text)
        table = MARKDOWN.render(
            f"| h | i |\n|---|---|\n| {md_cell(text)} | x |"
        )
        assert f"<td>{_escape_html(shown)}</td>\n<td>x</td>" in table

    def test_plain_text_is_unchanged(self):
        """Text without markup is written as it is."""
        assert "二级（规范级） 1.0.0 -5 a-b" == md_text(
            "二级（规范级） 1.0.0 -5 a-b"
        )


class TestMarkdownReport:
    def test_markup_in_the_organisation_renders_as_text(self):
        """HTML in the organisation's name is shown, not run."""
        page = MARKDOWN.render(
            mc.report.to_markdown(_report(_pack(), organisation=HOSTILE))
        )
        assert "<img" not in page
        assert _escape_html(HOSTILE) in page

    def test_a_newline_in_a_node_name_injects_no_heading(self):
        """A node name with a line break and '#' stays in its heading."""

        def edit(data):
            data["nodes"][0]["children"][0]["name"]["en"] = "A1\n# injected"

        page = MARKDOWN.render(mc.report.to_markdown(_report(_pack(edit))))
        assert 1 == page.count("<h1>")
        assert "<h3>A1 # injected</h3>" in page

    def test_a_pipe_in_a_level_name_keeps_the_table_shape(self):
        """A level name with '|' and markup stays in one table cell."""

        def edit(data):
            data["levels"][0]["name"]["en"] = "L1 | <b>x</b>"

        page = MARKDOWN.render(mc.report.to_markdown(_report(_pack(edit))))
        assert "<td>L1 | &lt;b&gt;x&lt;/b&gt;</td>" in page
        assert "<b>" not in page

    def test_the_chart_link_is_one_link(self):
        """A chart file name with spaces and brackets stays one link."""
        text = mc.report.to_markdown(_report(_pack()), chart="my (v2) radar.png")
        page = MARKDOWN.render(text)
        assert 'src="my%20%28v2%29%20radar.png"' in page


class TestMarkdownPackDoc:
    def test_markup_in_node_names_renders_as_text(self):
        """HTML in node and pack names is shown, not run."""

        def edit(data):
            data["title"]["zh"] = HOSTILE
            data["nodes"][0]["name"]["zh"] = HOSTILE
            data["nodes"][0]["children"][0]["name"]["zh"] = HOSTILE

        page = MARKDOWN.render(pack_markdown(_pack(edit)))
        assert "<img" not in page
        assert f"<h1>{_escape_html(HOSTILE)}</h1>" in page

    def test_a_newline_in_a_requirement_keeps_the_table(self):
        """A requirement text with a line break and '|' stays in its cell."""

        def edit(data):
            data["requirements"][0]["text"]["zh"] = "x | y\n## z"

        page = MARKDOWN.render(pack_markdown(_pack(edit)))
        assert "<td>x | y ## z</td>" in page
        assert "<h2>z</h2>" not in page


# ---------------------------------------------------------------------------
# Charts


class TestChartText:
    def test_a_dollar_in_level_and_node_names_draws_the_chart(self):
        """Names with '$' are drawn as text, not parsed as mathtext."""

        def edit(data):
            data["levels"][0]["name"]["en"] = r"$\frac{$"
            data["nodes"][0]["name"]["en"] = "A $x^$"

        png = mc.report.radar_png(_report(_pack(edit)))
        assert b"\x89PNG" == png[:4]


# ---------------------------------------------------------------------------
# CSV cells

#: Texts a spreadsheet runs as formulas (OWASP's list of first characters).
FORMULAS = [
    "=1+1",
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "'=1+1",
]


class TestCsvCellHelpers:
    @given(st.text())
    def test_a_written_cell_reads_back_as_the_text(self, text):
        """Neutralising and restoring a cell gives the text back."""
        assert text == from_csv_cell(to_csv_cell(text))

    @given(st.text())
    def test_a_written_cell_never_starts_a_formula(self, text):
        """A written cell starts with a formula character only as a number."""
        cell = to_csv_cell(text)
        if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
            float(cell)

    @pytest.mark.parametrize("text", FORMULAS)
    def test_formula_like_text_gets_a_quote(self, text):
        """A formula-like text is written with a single quote in front."""
        assert f"'{text}" == to_csv_cell(text)

    @pytest.mark.parametrize("text", ["-0.5", "+3", "-1e5", "a=b", "'quoted"])
    def test_numbers_and_other_text_are_unchanged(self, text):
        """Plain numbers and texts that start no formula are written as is."""
        assert text == to_csv_cell(text)


@pytest.fixture
def db12_filled() -> tuple[mc.Pack, mc.Assessment]:
    """A db12t1073 assessment with a formula in every kind of text."""
    pack = mc.load_pack("db12t1073")
    data = mc.blank_assessment(pack, "discrete")
    texts = iter(FORMULAS * len(data["ratings"]))
    for entry in data["ratings"][:20]:
        entry["rating"] = "most"
        entry["note"] = next(texts)
        entry["evidence"] = next(texts)
        entry["assessor"] = "=cmd"
    data["metadata"] = {
        "organisation": '=HYPERLINK("http://x")',
        "notes": "@notes",
        "assessors": [{"name": "-2+3", "role": "lead"}],
    }
    data["tailoring"] = [{"node": "service", "reason": "+reason"}]
    return pack, mc.Assessment.from_dict(data)


class TestQuestionnaireCsv:
    def test_no_written_cell_starts_a_formula(self, db12_filled, tmp_path):
        """Every text cell a spreadsheet would run starts with a quote."""
        pack, assessment = db12_filled
        path = mc.questionnaire.write_questionnaire(
            pack, tmp_path / "q.csv", assessment=assessment
        )
        text = path.read_text("utf-8-sig")
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]

        risky = [
            c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))
        ]
        assert [] == risky
        assert '\'=HYPERLINK("http://x")' in cells

    def test_formula_like_texts_round_trip(self, db12_filled, tmp_path):
        """Neutralised cells read back as the texts that were written."""
        pack, assessment = db12_filled
        path = mc.questionnaire.write_questionnaire(
            pack, tmp_path / "q.csv", assessment=assessment
        )

        back = mc.questionnaire.read_questionnaire(path)

        assert assessment.metadata == back.metadata
        assert assessment.tailoring == back.tailoring
        assert [e.note for e in assessment.ratings] == [
            e.note for e in back.ratings
        ]

    def test_a_quote_typed_before_a_formula_is_removed(self, tmp_path):
        """A cell typed as '=x, as a spreadsheet shows it, reads as =x."""
        path = tmp_path / "q.csv"
        path.write_text(
            "id,rating,note,pack\r\n"
            "personnel-skills.deployment.l1,,'=x,db12t1073\r\n",
            "utf-8",
        )

        back = mc.questionnaire.read_questionnaire(path, pack=mc.load_pack("db12t1073"))

        assert "=x" == back.ratings[0].note


# ---------------------------------------------------------------------------
# Batch CSV keys


@pytest.fixture(scope="module")
def tiny_model() -> mc.batch.CompiledModel:
    return mc.batch.compile_model(mc.load_pack(TINY), "even")


def _batch_csv(model, keys: list[str], *, header: str = "org") -> bytes:
    lines = [",".join([header, *model.requirement_ids])]
    lines += [
        ",".join([key, *["most"] * len(model.requirement_ids)]) for key in keys
    ]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


KEYS = ["00123", "NaN", "null", "NA", "0123.50", "1e3", "TRUE"]


class TestBatchKeys:
    @pytest.mark.parametrize(
        ("prefix", "header"),
        [
            (b"", "org"),
            (b"\xef\xbb\xbf", "org"),
            (b"", '"org"'),
            (b"\xef\xbb\xbf", '"org"'),
        ],
        ids=["plain", "bom", "quoted", "bom-quoted"],
    )
    def test_keys_are_read_exactly_as_written(
        self, tiny_model, tmp_path, prefix, header
    ):
        """Keys stay strings: leading zeros, NaN and null are kept."""
        pd = pytest.importorskip("pandas")
        source = tmp_path / "in.csv"
        source.write_bytes(
            prefix + _batch_csv(tiny_model, KEYS, header=header)
        )
        out = tmp_path / "out.parquet"

        mc.batch.score_file(tiny_model, source, out, keys=["org"])

        assert KEYS == pd.read_parquet(out)["org"].tolist()

    def test_empty_and_na_ratings_are_still_unrated(
        self, tiny_model, tmp_path
    ):
        """In rating columns an empty cell or NA is no rating, as before."""
        pd = pytest.importorskip("pandas")
        ids = tiny_model.requirement_ids
        source = tmp_path / "in.csv"
        source.write_text(
            ",".join(["org", *ids])
            + "\n"
            + ",".join(["x", "", "NA", *["full"] * (len(ids) - 2)])
            + "\n",
            "utf-8",
        )
        out = tmp_path / "out.parquet"

        mc.batch.score_file(tiny_model, source, out, keys=["org"], unrated="none")
        full = tmp_path / "full.csv"
        full.write_text(
            ",".join(["org", *ids])
            + "\n"
            + ",".join(["x", "none", "none", *["full"] * (len(ids) - 2)])
            + "\n",
            "utf-8",
        )
        mc.batch.score_file(
            tiny_model, full, tmp_path / "full.parquet", keys=["org"]
        )

        assert (
            pd.read_parquet(tmp_path / "full.parquet")["score"].tolist()
            == pd.read_parquet(out)["score"].tolist()
        )

    def test_formula_like_keys_are_neutralised_in_csv_output(
        self, tiny_model, tmp_path
    ):
        """A key a spreadsheet would run is written with a quote in front."""
        source = tmp_path / "in.csv"
        source.write_bytes(_batch_csv(tiny_model, ['"=1+1"', "-5", "@x"]))
        out = tmp_path / "out.csv"

        mc.batch.score_file(tiny_model, source, out, keys=["org"])

        rows = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
        assert ["'=1+1", "-5", "'@x"] == [row[0] for row in rows[1:]]

    def test_neutralised_keys_read_back_as_written(self, tiny_model, tmp_path):
        """A scored CSV's neutralised keys read back as the original keys."""
        pd = pytest.importorskip("pandas")
        source = tmp_path / "in.csv"
        source.write_bytes(_batch_csv(tiny_model, ["'=1+1", "'-x", "'plain"]))
        out = tmp_path / "out.parquet"

        mc.batch.score_file(tiny_model, source, out, keys=["org"])

        assert ["=1+1", "-x", "'plain"] == pd.read_parquet(out)["org"].tolist()


# ---------------------------------------------------------------------------
# XLSX bounds


@pytest.fixture(scope="module")
def tiny_pack() -> mc.Pack:
    return mc.load_pack(TINY)


@pytest.fixture
def xlsx(tiny_pack, tmp_path) -> Path:
    """A valid questionnaire for the tiny pack."""
    return mc.questionnaire.write_questionnaire(
        tiny_pack, tmp_path / "q.xlsx", lang="en"
    )


def _read(path: Path, pack: mc.Pack) -> dict[str, Any]:
    return mc.questionnaire.read_questionnaire(path, pack=pack).to_dict()


def _peak_bytes(read) -> int:
    """The most memory *read()* allocates at once (Python allocations)."""
    tracemalloc.start()
    try:
        read()
    except mc.MaturityCoreError:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


class TestXlsxBounds:
    def test_a_cell_in_the_last_row_is_refused(self, tiny_pack, xlsx):
        """A value at XFD1048576 is refused, not grown into a grid."""
        path = workbooks.far_cell(xlsx, xlsx.with_name("far.xlsx"))

        with pytest.raises(mc.InputError, match="goes on beyond row 100,001"):
            mc.questionnaire.read_questionnaire(path, pack=tiny_pack)

    def test_a_cell_in_the_last_row_takes_little_memory(self, tiny_pack, xlsx):
        """Refusing a value at XFD1048576 allocates less than 32 MiB."""
        path = workbooks.far_cell(xlsx, xlsx.with_name("far.xlsx"))

        peak = _peak_bytes(lambda: mc.questionnaire.read_questionnaire(path, pack=tiny_pack))

        assert peak < 32 << 20

    def test_a_merged_row_as_wide_as_the_sheet_is_read(self, tiny_pack, xlsx):
        """A row merged from A to XFD reads as the blank row it is."""
        path = workbooks.merged_row(xlsx, xlsx.with_name("merged.xlsx"))

        peak = _peak_bytes(lambda: mc.questionnaire.read_questionnaire(path, pack=tiny_pack))

        assert _read(xlsx, tiny_pack) == _read(path, tiny_pack)
        assert peak < 32 << 20

    def test_rows_beyond_the_bound_are_refused(self, tiny_pack, xlsx):
        """A sheet with more than 100,001 rows, blank or not, is refused."""
        path = workbooks.blank_rows(
            xlsx, xlsx.with_name("blank.xlsx"), count=100_002
        )

        with pytest.raises(mc.InputError, match="goes on beyond row 100,001"):
            mc.questionnaire.read_questionnaire(path, pack=tiny_pack)

    def test_blank_rows_within_the_bound_are_skipped(self, tiny_pack, xlsx):
        """Formatted blank rows below the table are read as nothing."""
        path = workbooks.blank_rows(
            xlsx, xlsx.with_name("blank.xlsx"), count=2_000
        )

        assert _read(xlsx, tiny_pack) == _read(path, tiny_pack)

    def test_a_zip_bomb_is_refused_before_it_is_unpacked(
        self, tiny_pack, xlsx
    ):
        """A part that unpacks to over 100 times its size is refused."""
        path = workbooks.zip_bomb(
            xlsx, xlsx.with_name("bomb.xlsx"), size=16 << 20
        )

        peak = _peak_bytes(lambda: mc.questionnaire.read_questionnaire(path, pack=tiny_pack))

        with pytest.raises(mc.InputError, match="sheet2.xml' unpacks from"):
            mc.questionnaire.read_questionnaire(path, pack=tiny_pack)
        # 16 MiB would unpack; the peak (imports included) stays far below.
        assert peak < 2 << 20

    def test_a_workbook_claiming_more_than_the_bound_is_refused(
        self, tiny_pack, xlsx
    ):
        """Parts that claim to unpack to over 256 MiB in all are refused."""
        path = workbooks.claimed_size(xlsx, xlsx.with_name("claims.xlsx"))

        with pytest.raises(
            mc.InputError,
            # The claimed 300 MiB and the true sizes of the other parts.
            match=r"the workbook unpacks to 314,\d{3},\d{3} bytes",
        ):
            mc.questionnaire.read_questionnaire(path, pack=tiny_pack)

    def test_a_workbook_with_too_many_parts_is_refused(self, tiny_pack, xlsx):
        """A workbook of more than 1,000 parts is refused."""
        path = workbooks.many_parts(xlsx, xlsx.with_name("parts.xlsx"))

        with pytest.raises(mc.InputError, match="the workbook has 1,01"):
            mc.questionnaire.read_questionnaire(path, pack=tiny_pack)

    def test_cells_right_of_column_z_are_not_read(self, tiny_pack, xlsx):
        """Only columns A to Z are read; a value in AA is not seen."""
        path = workbooks.cell_text(xlsx, xlsx.with_name("aa.xlsx"), "AA2", "x")

        assert _read(xlsx, tiny_pack) == _read(path, tiny_pack)


class TestXlsxSurrogates:
    def test_a_lone_surrogate_escape_is_refused_with_its_cell(
        self, tiny_pack, xlsx
    ):
        """_xD800_ alone in a note is refused, naming the cell."""
        row = workbooks.first_requirement_row(xlsx)
        path = workbooks.cell_text(
            xlsx, xlsx.with_name("s.xlsx"), f"J{row}", "note _xD800_"
        )

        with pytest.raises(
            mc.InputError, match=rf"cell ratings!J{row}: .*_xD800_"
        ):
            mc.questionnaire.read_questionnaire(path, pack=tiny_pack)

    def test_an_escaped_surrogate_pair_reads_as_its_character(
        self, tiny_pack, xlsx
    ):
        """_xD83D__xDE00_ reads as the one character it stands for."""
        row = workbooks.first_requirement_row(xlsx)
        path = workbooks.cell_text(
            # The note of the first rating: id, the two tier columns,
            # item, level, requirement, rating, evidence, note.
            xlsx, xlsx.with_name("s.xlsx"), f"I{row}", "ok _xD83D__xDE00_"
        )

        back = mc.questionnaire.read_questionnaire(path, pack=tiny_pack)

        assert "ok \U0001f600" == back.ratings[0].note

    def test_the_command_line_reports_a_lone_surrogate_in_one_line(
        self, tmp_path
    ):
        """`maturity score` on such a file prints one line and exits 1."""
        pack = mc.load_pack("db12t1073")
        base = mc.questionnaire.write_questionnaire(
            pack, tmp_path / "q.xlsx", lang="en"
        )
        row = workbooks.first_requirement_row(base)
        path = workbooks.cell_text(
            base, tmp_path / "s.xlsx", f"J{row}", "_xDFFF_"
        )
        out, err = io.StringIO(), io.StringIO()

        status = run(["score", str(path)], stdout=out, stderr=err)

        assert (1, 1) == (status, len(err.getvalue().splitlines()))
        assert f"cell ratings!J{row}" in err.getvalue()
