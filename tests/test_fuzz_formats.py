"""
Fuzzed file formats: XLSX questionnaires of any shape, damaged zips,
CSV cells and batch keys of any text, and Markdown reports and charts
of hostile names.

Every XLSX reads or ends in a MaturityCoreError; CSV cells and batch
keys round-trip exactly and never start a formula; Markdown renders the
same elements whatever the names; charts draw any name.  The normal
suite runs a modest budget; `nox -s fuzz` runs a large one.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

import maturity_core as mc
from maturity_core.authoring._authoring import pack_markdown
from maturity_core._escape import from_csv_cell, to_csv_cell
from maturity_core.questionnaire._questionnaire import COLUMNS, XLSX_MAX_COLUMNS

from . import workbooks


pytestmark = pytest.mark.fuzz

TINY = json.loads(
    (Path(__file__).parent / "fixtures/packs/tiny/pack.json").read_text(
        "utf-8"
    )
)
FUZZ = settings(
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
    deadline=None,
)
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


@pytest.fixture(scope="module")
def tiny() -> mc.Pack:
    return mc.load_pack(TINY)


@pytest.fixture(scope="module")
def tiny_xlsx(tiny, tmp_path_factory) -> bytes:
    """A questionnaire's bytes, written once (zips carry the time)."""
    folder = tmp_path_factory.mktemp("base")
    return mc.questionnaire.write_questionnaire(tiny, folder / "q.xlsx").read_bytes()


def _outcome(func, *args, **kwargs) -> str:
    try:
        func(*args, **kwargs)
    except mc.MaturityCoreError:
        return "error"
    return "ok"


# ---------------------------------------------------------------------------
# Generators

#: Text that is hard for a spreadsheet, a CSV file or a Markdown page.
hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="=+-@\t\r\n'|<>*_`#$&[]!\\0123456789. ", max_size=20),
    st.sampled_from(
        [
            "=1+1",
            "-2+3+cmd|' /C calc'!A0",
            "'=x",
            "-0.5",
            "<script>alert(1)</script>",
            "a\n# heading",
            "$\\frac{$",
            "_xD800_",
            "_xD83D__xDE00_",
            "_x005F_x0041_",
            "x" * 32_767,
        ]
    ),
)
cell_values = st.one_of(
    st.none(),
    hostile_text,
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(
        min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1)
    ),
)
#: A cell address: mostly near the table, sometimes far out (reading a
#: far row costs the whole row bound, so it is drawn less often).
near_rows = st.integers(1, 30)
addresses = st.tuples(
    st.one_of(
        near_rows,
        near_rows,
        near_rows,
        st.sampled_from([100_001, 100_002, 1_048_576]),
    ),
    st.one_of(st.integers(1, 30), st.sampled_from([27, 16_384])),
)


#: The sheets of a questionnaire workbook, in order, whatever their names.
SHEETS = ["instructions", "ratings", "metadata", "assessors", "tailoring"]


@st.composite
def questionnaire_workbooks(draw, tiny_pack: mc.Pack, folder: Path) -> Path:
    """
    A tiny-pack questionnaire with some cells overwritten by hostile
    values (any sheet, near or far), maybe a merged range and a
    dimension record that lies.
    """
    path = mc.questionnaire.write_questionnaire(
        tiny_pack, folder / "q.xlsx", lang=draw(st.sampled_from(["zh", "en"]))
    )
    edits = draw(
        st.lists(
            st.tuples(
                st.sampled_from(SHEETS),
                addresses,
                cell_values,
            ),
            max_size=6,
        )
    )
    merge = draw(st.none() | st.sampled_from(["A1:XFD1", "A20:XFD20"]))

    def edit(wb):
        for sheet, (row, column), value in edits:
            if isinstance(value, str):
                # Control characters are escaped in a workbook (_x0001_).
                value = ILLEGAL_CHARACTERS_RE.sub(
                    lambda m: f"_x{ord(m.group()):04X}_", value[:32_767]
                )
            wb.worksheets[SHEETS.index(sheet)].cell(
                row=row, column=column
            ).value = value
        if merge:
            workbooks.ratings(wb).merge_cells(merge)

    workbooks.edited(path, path, edit)
    dimension = draw(st.none() | st.sampled_from(["A1:A1", "A1:XFD1048576"]))
    if dimension is None:
        return path

    def lie(xml: bytes) -> bytes:
        return re.sub(
            rb'<dimension ref="[^"]*"/>',
            f'<dimension ref="{dimension}"/>'.encode(),
            xml,
        )

    return workbooks.repacked(
        path, folder / "lying.xlsx", {workbooks.RATINGS_PART: lie}
    )


@st.composite
def damaged_zips(draw, source: bytes) -> bytes:
    """A workbook's bytes truncated, or with some bytes overwritten."""
    data = bytearray(source)
    if draw(st.booleans()):
        return bytes(data[: draw(st.integers(0, len(data)))])
    for _ in range(draw(st.integers(1, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


#: Keys a batch CSV may carry: anything on one line.
batch_keys = st.text(
    st.characters(exclude_characters="\r\n", exclude_categories=["Cs"]),
    max_size=20,
)


# ---------------------------------------------------------------------------
# XLSX


class TestXlsxShapes:
    @FUZZ
    @given(data=st.data())
    def test_any_workbook_is_read_or_refused(
        self, fuzz_tried, tmp_path_factory, tiny, data
    ):
        """Hostile cells, merges and dimensions end in a result or error."""
        fuzz_tried["xlsx shapes"] += 1
        folder = tmp_path_factory.mktemp("x")
        path = data.draw(questionnaire_workbooks(tiny, folder))
        _outcome(mc.questionnaire.read_questionnaire, path, pack=tiny)

    @FUZZ
    @given(data=st.data())
    def test_damaged_zips_are_read_or_refused(
        self, fuzz_tried, tmp_path_factory, tiny, tiny_xlsx, data
    ):
        """Truncated or overwritten workbook bytes end in a MaturityCoreError."""
        fuzz_tried["xlsx damaged"] += 1
        path = tmp_path_factory.mktemp("z") / "damaged.xlsx"
        path.write_bytes(data.draw(damaged_zips(tiny_xlsx)))
        _outcome(mc.questionnaire.read_questionnaire, path, pack=tiny)

    @FUZZ
    @given(size=st.integers(1 << 20, 8 << 20), parts=st.integers(0, 1_100))
    def test_size_claims_are_checked_before_unpacking(
        self, fuzz_tried, tmp_path_factory, tiny, size, parts
    ):
        """Bombs and crowded zips are refused or read; never unpacked whole."""
        fuzz_tried["xlsx bombs"] += 1
        folder = tmp_path_factory.mktemp("b")
        base = mc.questionnaire.write_questionnaire(tiny, folder / "q.xlsx")
        bomb = workbooks.zip_bomb(base, folder / "bomb.xlsx", size=size)
        path = workbooks.many_parts(bomb, folder / "many.xlsx", count=parts)
        with zipfile.ZipFile(path) as archive:
            assert len(archive.infolist()) > parts
        with pytest.raises(mc.InputError):
            mc.questionnaire.read_questionnaire(path, pack=tiny)


# ---------------------------------------------------------------------------
# CSV


class TestCsvCells:
    @FUZZ
    @given(texts=st.lists(hostile_text.filter(lambda t: len(t) < 1000)))
    def test_questionnaire_texts_round_trip_through_csv(
        self, fuzz_tried, tmp_path_factory, tiny, texts
    ):
        """Notes of any text read back from a CSV questionnaire exactly."""
        fuzz_tried["csv texts"] += 1
        data = mc.blank_assessment(tiny)
        for entry, text in zip(data["ratings"], texts, strict=False):
            entry["note"] = text
        try:
            assessment = mc.Assessment.from_dict(data)
        except mc.MaturityCoreError:
            return
        path = tmp_path_factory.mktemp("c") / "q.csv"
        mc.questionnaire.write_questionnaire(tiny, path, assessment=assessment)

        back = mc.questionnaire.read_questionnaire(path, pack=tiny)

        assert [e.note or None for e in assessment.ratings] == [
            e.note for e in back.ratings
        ]

    @FUZZ
    @given(keys=st.lists(batch_keys, min_size=1, max_size=8))
    def test_batch_keys_round_trip_and_never_start_a_formula(
        self, fuzz_tried, tmp_path_factory, keys
    ):
        """Keys of any one-line text are read exactly and written safely."""
        pd = pytest.importorskip("pandas")
        fuzz_tried["batch keys"] += 1
        model = mc.batch.compile_model(mc.load_pack(TINY), "even")
        folder = tmp_path_factory.mktemp("k")
        source = folder / "in.csv"
        with source.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["org", *model.requirement_ids])
            writer.writerows(
                [to_csv_cell(k), *["most"] * len(model.requirement_ids)]
                for k in keys
            )
        try:
            mc.batch.score_file(model, source, folder / "o.parquet", keys=["org"])
        except mc.MaturityCoreError:
            return
        mc.batch.score_file(model, source, folder / "o.csv", keys=["org"])

        read = pd.read_parquet(folder / "o.parquet")["org"].tolist()
        with (folder / "o.csv").open(encoding="utf-8", newline="") as f:
            written = [row[0] for row in list(csv.reader(f))[1:]]
        assert keys == read
        assert keys == [from_csv_cell(cell) for cell in written]
        assert all(
            cell == to_csv_cell(cell) or cell.startswith("'")
            for cell in written
        )


# ---------------------------------------------------------------------------
# Markdown and charts


def _tags(page: str) -> list[str]:
    return re.findall(r"</?[a-z0-9]+", page)


def _named(name: str) -> mc.Pack:
    data = copy.deepcopy(TINY)
    data["title"]["zh"] = name
    data["levels"][0]["name"]["en"] = data["levels"][0]["name"]["zh"] = name
    for node in data["nodes"]:
        node["kind"] = "domain"
        node["name"] = {"zh": name, "en": name}
    data["requirements"][0]["text"] = {"zh": name, "en": name}
    return mc.load_pack(data)


def _report(pack: mc.Pack, organisation: str) -> mc.report.Report:
    assessment = mc.Assessment.from_dict(
        {
            "format": 1,
            "pack": "tiny",
            "metadata": {"organisation": organisation},
            "ratings": [
                {"id": r.id, "rating": "partial"} for r in pack.requirements
            ],
        }
    )
    return mc.report.build_report(pack, mc.score(pack, assessment), lang="en")


class TestMarkdownAndCharts:
    @FUZZ
    @given(name=hostile_text.filter(lambda t: t.strip() and len(t) < 500))
    def test_names_never_change_the_rendered_elements(self, fuzz_tried, name):
        """Any name renders as the same elements as a plain name."""
        fuzz_tried["markdown names"] += 1
        try:
            pack = _named(name)
        except mc.MaturityCoreError:
            return
        plain = _named("x")

        assert _tags(MARKDOWN.render(pack_markdown(plain))) == _tags(
            MARKDOWN.render(pack_markdown(pack))
        )
        assert _tags(
            MARKDOWN.render(mc.report.to_markdown(_report(plain, "x")))
        ) == _tags(MARKDOWN.render(mc.report.to_markdown(_report(pack, name))))

    # A chart takes a fraction of a second: a twentieth of the budget.
    @settings(FUZZ, max_examples=max(10, settings.default.max_examples // 20))
    @given(name=hostile_text.filter(lambda t: t.strip() and len(t) < 100))
    def test_charts_draw_any_name(self, fuzz_tried, name):
        """Any level or domain name is drawn; the chart is a PNG."""
        fuzz_tried["chart names"] += 1
        try:
            pack = _named(name)
        except mc.MaturityCoreError:
            return

        assert b"\x89PNG" == mc.report.radar_png(_report(pack, name))[:4]


def test_the_ratings_columns_fit_the_columns_read():
    """Every ratings column, the assessor's too, is within columns read."""
    assert len(COLUMNS) + 1 <= XLSX_MAX_COLUMNS
