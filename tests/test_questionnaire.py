"""Questionnaires: assessments written to XLSX or CSV and read back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import sys
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest

import maturity_core as mc
from maturity_core.questionnaire._questionnaire import (
    COLUMNS,
    rating_columns,
    tier_columns,
    read_questionnaire,
    write_questionnaire,
)


DB12 = "db12t1073"
EXAMPLES = Path(__file__).parents[1] / "examples"
#: Text a spreadsheet could mangle: a formula, an escape, \r\n, a control.
TRICKY = "=SUM(A1) _x0041_ 第一行\r\n第二行\t\x01 "


@pytest.fixture
def db12() -> mc.Pack:
    return mc.load_pack(DB12)


@pytest.fixture
def assessment(db12: mc.Pack) -> mc.Assessment:
    """
    A db12t1073 discrete assessment with every rubric id and unrated
    requirements, evidence, notes, metadata and tailoring.
    """
    data = mc.blank_assessment(db12, "discrete")
    ratings = itertools.cycle([*db12.rubric.ids, None])
    for i, entry in enumerate(data["ratings"]):
        entry["rating"] = next(ratings)
        if i % 3 == 0:
            entry["evidence"] = f"MES 数据字典 {i}" if i % 2 else TRICKY
        if i % 4 == 0:
            entry["note"] = f"备注 {i}\n第二行" if i % 8 else TRICKY
    data["rule"] = "cumulative-gated-unit"
    data["metadata"] = {
        "organisation": "示例精密机械有限公司",
        "date": "2026-10-15",
        "mode": "external",
        "assessors": [
            {"name": "张三", "role": "lead"},
            {"name": "Dr: Li"},
            {"name": "王五", "role": "member"},
            {"name": "赵六"},
            {"name": "钱七", "role": "member"},
        ],
        "notes": "现场评估\n两天",
    }
    data["tailoring"] = [
        {"node": "service", "reason": "无售后服务; no after-sales service"},
        {"node": "sales", "reason": "仅内部供货\n(internal supply only)"},
    ]
    return mc.Assessment.from_dict(data)


def sheet_rows(path: Path, sheet: str = "ratings") -> list[tuple[Any, ...]]:
    """The values of every row of *sheet* in the workbook at *path*."""
    wb = openpyxl.load_workbook(path)
    try:
        return list(wb[sheet].iter_rows(values_only=True))
    finally:
        wb.close()


def edit_xlsx(path: Path, sheet: str, cell: str, value: Any) -> None:
    """Set *cell* of *sheet* in the workbook at *path* to *value*."""
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


def csv_rows(path: Path) -> list[list[str]]:
    """The records of the CSV file at *path*."""
    text = path.read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def write_csv(path: Path, rows: list[list[str]]) -> None:
    """Write *rows* to *path* as UTF-8 CSV with a byte-order mark."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def edit_csv(path: Path, row: int, column: str, value: str) -> None:
    """Set *column* of spreadsheet row *row* (the header is row 1)."""
    rows = csv_rows(path)
    rows[row - 1][rows[0].index(column)] = value
    write_csv(path, rows)


# ---------------------------------------------------------------------------
# Round trips


class TestXlsxRoundTrip:
    def test_filled_assessment_round_trips(
        self, db12: mc.Pack, assessment: mc.Assessment, tmp_path: Path
    ) -> None:
        """Ratings, evidence, notes, metadata and tailoring come back."""
        path = write_questionnaire(
            db12, tmp_path / "questionnaire.xlsx", assessment=assessment
        )

        assert assessment.to_dict() == read_questionnaire(path).to_dict()

    def test_blank_questionnaire_reads_as_the_template(
        self, db12: mc.Pack, tmp_path: Path
    ) -> None:
        """A blank questionnaire reads as the blank assessment template."""
        path = write_questionnaire(
            db12, tmp_path / "q.xlsx", profile="process"
        )
        template = mc.blank_assessment(db12, "process")

        expected = mc.Assessment.from_dict(template).to_dict()
        assert expected == read_questionnaire(path).to_dict()

    def test_write_returns_the_path(
        self, tiny: mc.Pack, tmp_path: Path
    ) -> None:
        """write_questionnaire returns the path it wrote."""
        path = tmp_path / "q.xlsx"

        assert path == write_questionnaire(tiny, str(path))

    def test_formulas_are_written_as_text(
        self, db12: mc.Pack, assessment: mc.Assessment, tmp_path: Path
    ) -> None:
        """A note that looks like a formula is a text cell, not a formula."""
        path = write_questionnaire(
            db12, tmp_path / "q.xlsx", assessment=assessment
        )
        wb = openpyxl.load_workbook(path)

        assert "s" == wb["ratings"]["J2"].data_type

    def test_dates_typed_in_excel_are_iso_dates(
        self, tiny: mc.Pack, tmp_path: Path
    ) -> None:
        """A date cell Excel stores as a date reads as 2026-10-15."""
        path = write_questionnaire(tiny, tmp_path / "q.xlsx")
        edit_xlsx(path, "metadata", "B7", dt.date(2026, 10, 15))

        assert (
            "2026-10-15" == read_questionnaire(path, pack=tiny).metadata.date
        )


class TestCsvRoundTrip:
    def test_filled_assessment_round_trips(
        self, db12: mc.Pack, assessment: mc.Assessment, tmp_path: Path
    ) -> None:
        """Ratings, evidence, notes, metadata and tailoring come back."""
        path = write_questionnaire(
            db12, tmp_path / "questionnaire.csv", assessment=assessment
        )

        assert assessment.to_dict() == read_questionnaire(path).to_dict()

    def test_file_is_utf8_with_a_byte_order_mark(
        self, db12: mc.Pack, tmp_path: Path
    ) -> None:
        """The CSV starts with a UTF-8 byte-order mark, for Excel."""
        path = write_questionnaire(db12, tmp_path / "q.csv")

        assert b"\xef\xbb\xbfid,element," == path.read_bytes()[:14]

    def test_pack_columns_repeat_on_every_row(
        self, db12: mc.Pack, assessment: mc.Assessment, tmp_path: Path
    ) -> None:
        """pack, pack_version and profile are on every row."""
        path = write_questionnaire(
            db12, tmp_path / "q.csv", assessment=assessment
        )
        rows = csv_rows(path)
        at = rows[0].index("pack")

        assert {(DB12, "1.0.1", "discrete")} == {
            tuple(r[at : at + 3]) for r in rows[1:]
        }

    def test_metadata_is_on_the_first_row_only(
        self, db12: mc.Pack, assessment: mc.Assessment, tmp_path: Path
    ) -> None:
        """organisation and the other fields are given once, on row 2."""
        path = write_questionnaire(
            db12, tmp_path / "q.csv", assessment=assessment
        )
        rows = csv_rows(path)
        at = rows[0].index("organisation")

        assert ["示例精密机械有限公司", ""] == [rows[1][at], rows[2][at]]

    def test_assessors_share_one_cell(
        self, db12: mc.Pack, assessment: mc.Assessment, tmp_path: Path
    ) -> None:
        """Assessors are written as 'name:role; name:role'."""
        path = write_questionnaire(
            db12, tmp_path / "q.csv", assessment=assessment
        )
        rows = csv_rows(path)

        assert (
            "张三:lead; Dr: Li:; 王五:member; 赵六; 钱七:member"
            == (rows[1][rows[0].index("assessors")])
        )

    def test_excel_dates_are_read_as_iso_dates(
        self, tiny: mc.Pack, tmp_path: Path
    ) -> None:
        """A date Excel saved as 2026/10/5 reads as 2026-10-05."""
        path = write_questionnaire(tiny, tmp_path / "q.csv")
        edit_csv(path, 2, "date", "2026/10/5")

        assert (
            "2026-10-05" == read_questionnaire(path, pack=tiny).metadata.date
        )

    def test_only_id_rating_and_pack_are_needed(
        self, tiny: mc.Pack, tmp_path: Path
    ) -> None:
        """A hand-made CSV of three columns reads; blank lines are skipped."""
        path = tmp_path / "q.csv"
        write_csv(
            path,
            [
                ["id", "rating", "pack"],
                ["a1.x.1", "full", "tiny"],
                ["", "", ""],
                ["b1.w.1", "", ""],
            ],
        )

        assert {
            "format": 1,
            "pack": "tiny",
            "ratings": [
                {"id": "a1.x.1", "rating": "full", "node": "a1"},
                {"id": "b1.w.1", "rating": None, "node": "b1"},
            ],
        } == read_questionnaire(path, pack=tiny).to_dict()


class TestStructuredEvidence:
    @pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
    def test_evidence_lists_are_flattened_to_text(
        self, tiny: mc.Pack, tmp_path: Path, suffix: str
    ) -> None:
        """Evidence items become one line each, with method, date, owner."""
        evidence = [
            {"description": "MES 数据字典", "method": "document-review"},
            {"description": "interview", "date": "2026-10-15", "owner": "IT"},
        ]
        data = mc.blank_assessment(tiny)
        data["ratings"][0]["evidence"] = evidence
        path = write_questionnaire(
            tiny,
            tmp_path / f"q{suffix}",
            assessment=mc.Assessment.from_dict(data),
        )

        entry = read_questionnaire(path, pack=tiny).ratings[0]
        assert (
            mc.Evidence(
                "MES 数据字典 (method: document-review)\n"
                "interview (date: 2026-10-15; owner: IT)"
            ),
        ) == entry.evidence


# ---------------------------------------------------------------------------
# Layout


class TestLayout:
    @pytest.mark.parametrize(
        ("profile", "rows"), [("discrete", 495), ("process", 455)]
    )
    @pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
    def test_one_row_per_in_scope_requirement(
        self,
        db12: mc.Pack,
        tmp_path: Path,
        profile: str,
        rows: int,
        suffix: str,
    ) -> None:
        """The blank questionnaire has one row per in-scope requirement."""
        path = write_questionnaire(
            db12, tmp_path / f"q{suffix}", profile=profile
        )
        read = sheet_rows(path) if suffix == ".xlsx" else csv_rows(path)

        assert rows == len(read) - 1

    @pytest.mark.parametrize("profile", ["discrete", "process"])
    def test_rows_follow_the_tree_order(
        self, db12: mc.Pack, tmp_path: Path, profile: str
    ) -> None:
        """Rows are grouped by element, domain and subdomain in tree order."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx", profile=profile)
        order = [n.id for n in db12.root.walk()]
        ids = [row[0] for row in sheet_rows(path)[1:]]
        leaves = [db12.requirements_by_id[i].node for i in ids]

        assert sorted(leaves, key=order.index) == leaves
        assert [
            e["id"] for e in mc.blank_assessment(db12, profile)["ratings"]
        ] == ids

    def test_sheets(self, db12: mc.Pack, tmp_path: Path) -> None:
        """A workbook has the sheets ratings, metadata and tailoring."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")

        assert ["ratings", "metadata", "tailoring"] == (
            openpyxl.load_workbook(path).sheetnames
        )

    def test_header_names_the_columns(
        self, db12: mc.Pack, tmp_path: Path
    ) -> None:
        """The first row names the columns, the pack's tiers after id."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")
        ws = openpyxl.load_workbook(path)["ratings"]

        assert (
            "id",
            "element",
            "domain",
            "subdomain",
            *COLUMNS[1:],
        ) == sheet_rows(path)[0]
        assert all(cell.font.bold for cell in ws[1])

    def test_columns_and_drop_downs_follow_the_pack(
        self, tmp_path: Path
    ) -> None:
        """practicecap: its tier columns, one drop-down per rubric."""
        pack = mc.load_pack("practicecap")
        path = write_questionnaire(pack, tmp_path / "q.xlsx")
        ws = openpyxl.load_workbook(path)["ratings"]
        lists = sorted(
            dv.formula1 for dv in ws.data_validations.dataValidation
        )

        assert ("id", "function", "category", "practice") == (
            sheet_rows(path)[0][:4]
        )
        assert ['"4,3,2,1,0"', '"yes,no"'] == lists

    def test_header_and_ids_are_frozen(
        self, db12: mc.Pack, tmp_path: Path
    ) -> None:
        """The header row and the id column stay in view."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")

        assert "B2" == openpyxl.load_workbook(path)["ratings"].freeze_panes

    def test_long_texts_wrap_in_wide_columns(
        self, db12: mc.Pack, tmp_path: Path
    ) -> None:
        """The requirement column is wide and wraps its text."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")
        ws = openpyxl.load_workbook(path)["ratings"]

        assert (60, True) == (
            ws.column_dimensions["G"].width,
            ws["G2"].alignment.wrap_text,
        )

    def test_first_row_shows_the_tree_in_chinese(
        self, db12: mc.Pack, tmp_path: Path
    ) -> None:
        """The first row's element, domain, subdomain, item and level."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")

        assert (
            "personnel-skills.deployment.l1",
            "人员",
            "人员技能",
            "人员技能",
            "人员部署",
            1,
        ) == sheet_rows(path)[1][:6]

    def test_texts_in_english(self, tiny: mc.Pack, tmp_path: Path) -> None:
        """lang='en' writes English names and texts."""
        path = write_questionnaire(tiny, tmp_path / "q.csv", lang="en")

        assert ["a1.x.1", "A", "A1", "x", "1", "a1 x at level 1"] == (
            csv_rows(path)[1][:6]
        )

    def test_metadata_sheet(
        self, db12: mc.Pack, assessment: mc.Assessment, tmp_path: Path
    ) -> None:
        """The metadata sheet holds the pack, profile and who assessed."""
        path = write_questionnaire(
            db12, tmp_path / "q.xlsx", assessment=assessment
        )

        assert [
            ("field", "value"),
            ("pack", DB12),
            ("pack_version", "1.0.1"),
            ("profile", "discrete"),
            ("rule", "cumulative-gated-unit"),
            ("organisation", "示例精密机械有限公司"),
            ("date", "2026-10-15"),
            ("mode", "external"),
            (
                "assessors",
                "张三:lead; Dr: Li:; 王五:member; 赵六; 钱七:member",
            ),
            ("notes", "现场评估\n两天"),
        ] == sheet_rows(path, "metadata")

    def test_tailoring_sheet(
        self, db12: mc.Pack, assessment: mc.Assessment, tmp_path: Path
    ) -> None:
        """The tailoring sheet lists each node taken out and why."""
        path = write_questionnaire(
            db12, tmp_path / "q.xlsx", assessment=assessment
        )

        assert [
            ("node", "reason"),
            ("service", "无售后服务; no after-sales service"),
            ("sales", "仅内部供货\n(internal supply only)"),
        ] == sheet_rows(path, "tailoring")


class TestDropDown:
    def validation(self, path: Path) -> Any:
        (dv,) = openpyxl.load_workbook(path)[
            "ratings"
        ].data_validations.dataValidation
        return dv

    def test_rating_column_lists_exactly_the_rubric_ids(
        self, db12: mc.Pack, tmp_path: Path
    ) -> None:
        """The rating column of every row has a drop-down of rubric ids."""
        dv = self.validation(write_questionnaire(db12, tmp_path / "q.xlsx"))

        assert ("list", '"full,most,partial,none"', "H2:H496") == (
            dv.type,
            dv.formula1,
            str(dv.sqref),
        )

    def test_invalid_input_is_refused_with_a_message(
        self, db12: mc.Pack, tmp_path: Path
    ) -> None:
        """Typing a value not in the list shows an error and is refused."""
        dv = self.validation(write_questionnaire(db12, tmp_path / "q.xlsx"))

        assert (True, "stop", True) == (
            dv.showErrorMessage,
            dv.errorStyle,
            "full, most, partial, none" in dv.error,
        )

    def test_blank_ratings_are_allowed(
        self, db12: mc.Pack, tmp_path: Path
    ) -> None:
        """A rating may be left blank (unrated)."""
        dv = self.validation(write_questionnaire(db12, tmp_path / "q.xlsx"))

        assert dv.allow_blank

    def test_na_is_offered_where_the_rubric_allows_it(
        self, tiny: mc.Pack, tmp_path: Path
    ) -> None:
        """The tiny pack allows 'na', so the drop-down offers it."""
        dv = self.validation(write_questionnaire(tiny, tmp_path / "q.xlsx"))

        assert '"full,most,partial,none,na"' == dv.formula1

    def test_na_is_not_offered_by_db12t1073(
        self, db12: mc.Pack, tmp_path: Path
    ) -> None:
        """db12t1073's rubric has no 'na', so the drop-down lacks it."""
        dv = self.validation(write_questionnaire(db12, tmp_path / "q.xlsx"))

        assert "na" not in dv.formula1.strip('"').split(",")


# ---------------------------------------------------------------------------
# Scoring


class TestScoring:
    @pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
    def test_score_equals_the_json_score(
        self, db12: mc.Pack, tmp_path: Path, suffix: str
    ) -> None:
        """Scoring a read questionnaire equals scoring the JSON."""
        example = mc.Assessment.from_path(EXAMPLES / f"{DB12}-discrete.json")
        path = write_questionnaire(
            db12, tmp_path / f"q{suffix}", assessment=example
        )
        expected = mc.score(db12, example)

        result = mc.score(db12, read_questionnaire(path))
        assert (expected.score, expected.level, expected.level_scores) == (
            result.score,
            result.level,
            result.level_scores,
        )

    def test_partly_rated_score_equals_the_json_score(
        self, db12: mc.Pack, assessment: mc.Assessment, tmp_path: Path
    ) -> None:
        """With unrated requirements and tailoring the scores still agree."""
        path = write_questionnaire(
            db12, tmp_path / "q.xlsx", assessment=assessment
        )
        expected = mc.score(db12, assessment, unrated="none")

        result = mc.score(db12, read_questionnaire(path), unrated="none")
        assert (expected.score, expected.level) == (result.score, result.level)


# ---------------------------------------------------------------------------
# Bad input


@pytest.fixture
def xlsx(db12: mc.Pack, tmp_path: Path) -> Path:
    """A blank db12t1073 discrete questionnaire.xlsx."""
    return write_questionnaire(db12, tmp_path / "questionnaire.xlsx")


@pytest.fixture
def csv_file(db12: mc.Pack, tmp_path: Path) -> Path:
    """A blank db12t1073 discrete questionnaire.csv."""
    return write_questionnaire(db12, tmp_path / "questionnaire.csv")


def problem_of(info: pytest.ExceptionInfo[mc.AssessmentError]) -> mc.Problem:
    (problem,) = info.value.problems
    return problem


class TestBadXlsx:
    def test_rating_outside_the_rubric(self, xlsx: Path) -> None:
        """A rating outside the rubric names its path, sheet, row, column."""
        edit_xlsx(xlsx, "ratings", "H14", "excellent")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        problem = problem_of(info)
        assert "$.ratings[12].rating" == problem.json_path
        assert "invalid-rating" == problem.code
        assert (
            "questionnaire.xlsx: sheet 'ratings' row 14 column 'rating'"
            in str(info.value)
        )
        assert "valid ratings: full, most, partial, none" in str(info.value)

    def test_na_where_the_rubric_forbids_it(self, xlsx: Path) -> None:
        """'na' is refused by db12t1073, saying so."""
        edit_xlsx(xlsx, "ratings", "H2", "na")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert "'na' is not allowed" in problem_of(info).message

    def test_every_problem_is_reported(self, xlsx: Path) -> None:
        """Two bad ratings give two problems, in one error."""
        edit_xlsx(xlsx, "ratings", "H2", "good")
        edit_xlsx(xlsx, "ratings", "H3", "bad")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert ["$.ratings[0].rating", "$.ratings[1].rating"] == [
            p.json_path for p in info.value.problems
        ]

    def test_unknown_id(self, xlsx: Path) -> None:
        """An unknown requirement id is an UnknownRequirementError."""
        edit_xlsx(xlsx, "ratings", "A5", "no.such.requirement")

        with pytest.raises(mc.exceptions.UnknownRequirementError) as info:
            read_questionnaire(xlsx)
        assert "$.ratings[3].id" == problem_of(info).json_path
        assert "sheet 'ratings' row 5 column 'id'" in str(info.value)

    def test_duplicated_id(self, xlsx: Path) -> None:
        """An id on two rows names both rows."""
        edit_xlsx(xlsx, "ratings", "A3", "personnel-skills.deployment.l1")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        problem = problem_of(info)
        assert "$.ratings[1].id" == problem.json_path
        assert "duplicate-requirement" == problem.code
        assert (
            "sheet 'ratings' row 3 column 'id': requirement "
            "'personnel-skills.deployment.l1' is listed twice (first at "
            "row 2)"
        ) in problem.message

    def test_empty_id(self, xlsx: Path) -> None:
        """A row with a rating but no id is refused."""
        edit_xlsx(xlsx, "ratings", "A7", None)

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        problem = problem_of(info)
        assert ("$.ratings[5].id", "empty-cell") == (
            problem.json_path,
            problem.code,
        )
        assert "sheet 'ratings' row 7 column 'id'" in problem.message

    def test_level_that_is_not_a_number(self, xlsx: Path) -> None:
        """A level cell must hold a whole number."""
        edit_xlsx(xlsx, "ratings", "F2", "一级")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert "$.ratings[0].level" == problem_of(info).json_path
        assert "column 'level': level must be a whole number" in str(
            info.value
        )

    def test_level_that_does_not_match_the_pack(self, xlsx: Path) -> None:
        """A changed level is checked against the pack."""
        edit_xlsx(xlsx, "ratings", "F2", 3)

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert "$.ratings[0].level" == problem_of(info).json_path
        assert "is at level 1, not 3" in problem_of(info).message

    def test_empty_pack_cell(self, xlsx: Path) -> None:
        """The metadata sheet must name the pack."""
        edit_xlsx(xlsx, "metadata", "B2", None)

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert "$.pack" == problem_of(info).json_path
        assert "sheet 'metadata' row 2 column 'value'" in str(info.value)

    def test_unknown_mode(self, xlsx: Path) -> None:
        """A mode other than self or external names the metadata cell."""
        edit_xlsx(xlsx, "metadata", "B8", "remote")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert "$.metadata.mode" == problem_of(info).json_path
        assert "sheet 'metadata' row 8 column 'value'" in str(info.value)

    def test_unknown_assessor_role(self, xlsx: Path) -> None:
        """An assessor role other than lead or member is refused."""
        edit_xlsx(xlsx, "metadata", "B9", "张三:boss")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert "$.metadata.assessors[0].role" == problem_of(info).json_path
        assert "sheet 'metadata' row 9 column 'value'" in str(info.value)

    def test_unknown_metadata_field(self, xlsx: Path) -> None:
        """A metadata field the format lacks is refused."""
        edit_xlsx(xlsx, "metadata", "A11", "auditor")
        edit_xlsx(xlsx, "metadata", "B11", "someone")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert "sheet 'metadata' row 11 column 'field': unknown field" in (
            problem_of(info).message
        )

    def test_metadata_field_given_twice(self, xlsx: Path) -> None:
        """A metadata field on two rows names the first."""
        edit_xlsx(xlsx, "metadata", "A11", "mode")
        edit_xlsx(xlsx, "metadata", "B11", "self")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert "$.metadata.mode" == problem_of(info).json_path
        assert "given twice (first at row 8)" in problem_of(info).message

    def test_pack_that_is_a_path(self, xlsx: Path) -> None:
        """A pack cell holding a path is refused, never loaded."""
        edit_xlsx(xlsx, "metadata", "B2", "../packs/evil")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert "$.pack" == problem_of(info).json_path
        assert "'../packs/evil' is not a pack id" in problem_of(info).message

    def test_profile_the_pack_lacks(self, xlsx: Path) -> None:
        """A profile the pack lacks lists the valid ones."""
        edit_xlsx(xlsx, "metadata", "B4", "chemical")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert "$.profile" == problem_of(info).json_path
        assert "valid profiles: process, discrete" in str(info.value)

    def test_tailoring_without_a_reason(self, xlsx: Path) -> None:
        """A tailored node needs a reason."""
        edit_xlsx(xlsx, "tailoring", "A2", "service")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert "$.tailoring[0].reason" == problem_of(info).json_path
        assert "sheet 'tailoring' row 2 column 'reason'" in str(info.value)

    def test_mandatory_node_tailored_out(self, xlsx: Path) -> None:
        """A mandatory node cannot be tailored out."""
        edit_xlsx(xlsx, "tailoring", "A2", "data")
        edit_xlsx(xlsx, "tailoring", "B2", "no data")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert "$.tailoring[0].node" == problem_of(info).json_path
        assert "sheet 'tailoring' row 2 column 'node'" in str(info.value)

    def test_unknown_sheet(self, xlsx: Path) -> None:
        """A sheet the format lacks is an InputError."""
        wb = openpyxl.load_workbook(xlsx)
        wb.create_sheet("notes")
        wb.save(xlsx)

        with pytest.raises(mc.InputError, match="unknown sheet 'notes'"):
            read_questionnaire(xlsx)

    def test_missing_ratings_sheet(self, xlsx: Path) -> None:
        """A workbook without a ratings sheet is an InputError."""
        wb = openpyxl.load_workbook(xlsx)
        del wb["ratings"]
        wb.save(xlsx)

        with pytest.raises(mc.InputError, match="no 'ratings' sheet"):
            read_questionnaire(xlsx)

    def test_unknown_column(self, xlsx: Path) -> None:
        """A column the format lacks is an InputError naming it."""
        edit_xlsx(xlsx, "ratings", "J1", "remarks")

        with pytest.raises(mc.InputError) as info:
            read_questionnaire(xlsx)
        assert "$.ratings" == info.value.json_path
        assert (
            "questionnaire.xlsx: sheet 'ratings' row 1 column 'remarks': "
            "unknown column 'remarks'"
        ) in str(info.value)

    def test_missing_rating_column(self, xlsx: Path) -> None:
        """Without a rating column there is nothing to read."""
        wb = openpyxl.load_workbook(xlsx)
        wb["ratings"].delete_cols(8)
        wb.save(xlsx)

        with pytest.raises(mc.InputError, match="column 'rating' is missing"):
            read_questionnaire(xlsx)

    def test_corrupt_workbook(self, xlsx: Path) -> None:
        """A damaged workbook is an InputError, not a zipfile error."""
        xlsx.write_bytes(xlsx.read_bytes()[:2000])

        with pytest.raises(mc.InputError, match="not a readable XLSX"):
            read_questionnaire(xlsx)

    def test_wrong_pack(self, xlsx: Path, tiny: mc.Pack) -> None:
        """A questionnaire for another pack is refused."""
        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx, pack=tiny)
        assert "$.pack" == info.value.problems[0].json_path
        assert "sheet 'metadata' row 2 column 'value'" in str(info.value)

    def test_pack_not_installed(self, xlsx: Path) -> None:
        """A pack that is not installed is a PackNotFoundError."""
        edit_xlsx(xlsx, "metadata", "B2", "nosuchpack")

        with pytest.raises(mc.exceptions.PackNotFoundError, match="nosuchpack"):
            read_questionnaire(xlsx)


class TestBadCsv:
    def test_rating_outside_the_rubric(self, csv_file: Path) -> None:
        """A rating outside the rubric names its path, row and column."""
        edit_csv(csv_file, 14, "rating", "excellent")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(csv_file)
        assert "$.ratings[12].rating" == problem_of(info).json_path
        assert "questionnaire.csv: row 14 column 'rating'" in str(info.value)

    def test_unknown_id(self, csv_file: Path) -> None:
        """An unknown requirement id is an UnknownRequirementError."""
        edit_csv(csv_file, 5, "id", "no.such.requirement")

        with pytest.raises(mc.exceptions.UnknownRequirementError) as info:
            read_questionnaire(csv_file)
        assert "$.ratings[3].id" == problem_of(info).json_path
        assert "questionnaire.csv: row 5 column 'id'" in str(info.value)

    def test_duplicated_id(self, csv_file: Path) -> None:
        """An id on two rows names both rows."""
        edit_csv(csv_file, 3, "id", "personnel-skills.deployment.l1")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(csv_file)
        assert "$.ratings[1].id" == problem_of(info).json_path
        assert "listed twice (first at row 2)" in str(info.value)

    def test_empty_id(self, csv_file: Path) -> None:
        """A row with content but no id is refused."""
        edit_csv(csv_file, 7, "id", "")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(csv_file)
        assert "$.ratings[5].id" == problem_of(info).json_path
        assert "row 7 column 'id': the id cell is empty" in str(info.value)

    def test_empty_pack_column(self, csv_file: Path) -> None:
        """Some row must name the pack."""
        rows = csv_rows(csv_file)
        at = rows[0].index("pack")
        write_csv(
            csv_file,
            [rows[0], *[[*r[:at], "", *r[at + 1 :]] for r in rows[1:]]],
        )

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(csv_file)
        assert "$.pack" == problem_of(info).json_path
        assert "questionnaire.csv: row 2 column 'pack'" in str(info.value)

    def test_pack_on_some_rows_is_enough(self, csv_file: Path) -> None:
        """pack may be left blank on some rows, the first too."""
        edit_csv(csv_file, 2, "pack", "")

        assert DB12 == read_questionnaire(csv_file).pack

    def test_organisation_on_a_later_row(self, csv_file: Path) -> None:
        """organisation is given on the first row only."""
        edit_csv(csv_file, 5, "organisation", "示例公司")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(csv_file)
        problem = problem_of(info)
        assert "$.metadata.organisation" == problem.json_path
        assert "row 5 column 'organisation'" in problem.message

    def test_pack_that_changes_between_rows(self, csv_file: Path) -> None:
        """pack is one value for the whole file."""
        edit_csv(csv_file, 9, "pack", "gbt39116")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(csv_file)
        problem = problem_of(info)
        assert ("$.pack", "inconsistent") == (problem.json_path, problem.code)
        assert "row 9 column 'pack'" in problem.message

    def test_tailored_node_without_a_reason(self, csv_file: Path) -> None:
        """A tailored node needs a reason."""
        edit_csv(csv_file, 2, "tailoring_node", "service")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(csv_file)
        assert "$.tailoring[0].reason" == problem_of(info).json_path
        assert "row 2 column 'tailoring_reason'" in str(info.value)

    def test_unknown_column(self, csv_file: Path) -> None:
        """A column the format lacks is an InputError naming it."""
        edit_csv(csv_file, 1, "note", "remarks")

        with pytest.raises(mc.InputError) as info:
            read_questionnaire(csv_file)
        assert (
            "questionnaire.csv: row 1 column 'remarks': unknown column"
        ) in str(info.value)

    def test_cell_beyond_the_last_column(self, csv_file: Path) -> None:
        """A filled cell right of the last named column is an InputError."""
        rows = csv_rows(csv_file)
        rows[3].append("stray")
        write_csv(csv_file, rows)

        with pytest.raises(mc.InputError, match="row 4: a cell beyond"):
            read_questionnaire(csv_file)

    def test_column_given_twice(self, csv_file: Path) -> None:
        """Two columns with one name are an InputError."""
        edit_csv(csv_file, 1, "note", "evidence")

        with pytest.raises(mc.InputError, match="'evidence' appears twice"):
            read_questionnaire(csv_file)

    def test_missing_pack_column(self, csv_file: Path) -> None:
        """A CSV questionnaire must have a pack column."""
        rows = csv_rows(csv_file)
        at = rows[0].index("pack")
        write_csv(csv_file, [r[:at] + r[at + 1 :] for r in rows])

        with pytest.raises(mc.InputError, match="column 'pack' is missing"):
            read_questionnaire(csv_file)

    def test_not_utf8(self, csv_file: Path) -> None:
        """A CSV saved in GBK is an InputError asking for CSV UTF-8."""
        text = csv_file.read_text(encoding="utf-8-sig")
        csv_file.write_bytes(text.encode("gbk"))

        with pytest.raises(mc.InputError) as info:
            read_questionnaire(csv_file)
        assert "questionnaire.csv: row 2: byte" in str(info.value)
        assert "save the questionnaire as 'CSV UTF-8'" in str(info.value)

    def test_empty_file(self, csv_file: Path) -> None:
        """An empty file has no header row."""
        csv_file.write_bytes(b"")

        with pytest.raises(mc.InputError, match="no header row"):
            read_questionnaire(csv_file)

    def test_unknown_suffix(self, tmp_path: Path) -> None:
        """Only .xlsx and .csv are questionnaires."""
        path = tmp_path / "q.xls"
        path.write_bytes(b"")

        with pytest.raises(mc.InputError, match=r"use \.xlsx or \.csv"):
            read_questionnaire(path)


class TestInputIsOnlyRead:
    @pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
    def test_valid_file_is_unchanged(
        self,
        db12: mc.Pack,
        assessment: mc.Assessment,
        tmp_path: Path,
        suffix: str,
    ) -> None:
        """Reading leaves the file byte-identical, with the same mtime."""
        path = write_questionnaire(
            db12, tmp_path / f"q{suffix}", assessment=assessment
        )
        before = (path.read_bytes(), path.stat().st_mtime_ns)

        read_questionnaire(path)

        assert before == (path.read_bytes(), path.stat().st_mtime_ns)
        assert [path.name] == [p.name for p in tmp_path.iterdir()]

    def test_invalid_file_is_unchanged(self, xlsx: Path) -> None:
        """A questionnaire that fails to read is left as it was."""
        edit_xlsx(xlsx, "ratings", "H14", "excellent")
        before = (xlsx.read_bytes(), xlsx.stat().st_mtime_ns)

        with pytest.raises(mc.AssessmentError):
            read_questionnaire(xlsx)

        assert before == (xlsx.read_bytes(), xlsx.stat().st_mtime_ns)


# ---------------------------------------------------------------------------
# Writing


class TestWriting:
    @pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
    def test_no_temporary_file_is_left(
        self, tiny: mc.Pack, tmp_path: Path, suffix: str
    ) -> None:
        """Only the questionnaire is left in its folder."""
        write_questionnaire(tiny, tmp_path / f"q{suffix}")

        assert [f"q{suffix}"] == [p.name for p in tmp_path.iterdir()]

    def test_existing_file_is_replaced(
        self, tiny: mc.Pack, tmp_path: Path
    ) -> None:
        """Writing over a questionnaire replaces it whole."""
        path = tmp_path / "q.csv"
        path.write_text("old", encoding="utf-8")

        write_questionnaire(tiny, path)

        assert "id" == csv_rows(path)[0][0]

    def test_missing_openpyxl_names_the_extra(
        self, tiny: mc.Pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without openpyxl, XLSX asks for maturity-core[xlsx]."""
        monkeypatch.setitem(sys.modules, "openpyxl", None)

        with pytest.raises(
            mc.MaturityCoreError, match=r"pip install 'maturity-core\[xlsx\]'"
        ):
            write_questionnaire(tiny, tmp_path / "q.xlsx")

    def test_unknown_suffix(self, tiny: mc.Pack, tmp_path: Path) -> None:
        """Only .xlsx and .csv can be written."""
        with pytest.raises(mc.InputError, match=r"use \.xlsx or \.csv"):
            write_questionnaire(tiny, tmp_path / "q.ods")

    def test_assessment_for_another_pack(
        self, db12: mc.Pack, tiny: mc.Pack, tmp_path: Path
    ) -> None:
        """An assessment of another pack is refused."""
        a = mc.Assessment.from_dict(mc.blank_assessment(tiny))

        with pytest.raises(mc.AssessmentError, match="not 'db12t1073'"):
            write_questionnaire(db12, tmp_path / "q.csv", assessment=a)

    def test_rating_outside_the_profile(
        self, db12: mc.Pack, tmp_path: Path
    ) -> None:
        """A rating of a requirement the profile lacks has no row."""
        data = mc.blank_assessment(db12, "discrete")
        data["profile"] = None
        a = mc.Assessment.from_dict(data)

        with pytest.raises(mc.AssessmentError) as info:
            write_questionnaire(
                db12, tmp_path / "q.csv", profile="process", assessment=a
            )
        assert {"out-of-scope"} == {p.code for p in info.value.problems}

    def test_profile_other_than_the_assessments(
        self, db12: mc.Pack, assessment: mc.Assessment, tmp_path: Path
    ) -> None:
        """A profile argument must agree with the assessment's profile."""
        with pytest.raises(mc.AssessmentError, match="not 'process'"):
            write_questionnaire(
                db12,
                tmp_path / "q.csv",
                profile="process",
                assessment=assessment,
            )

    def test_unknown_profile(self, db12: mc.Pack, tmp_path: Path) -> None:
        """An unknown profile lists the pack's profiles."""
        with pytest.raises(mc.AssessmentError, match="valid profiles"):
            write_questionnaire(db12, tmp_path / "q.csv", profile="chemical")

    def test_per_rating_assessor_gets_a_column(
        self, tiny: mc.Pack, tmp_path: Path
    ) -> None:
        """A rating's own assessor is kept in an extra column."""
        data = mc.blank_assessment(tiny)
        data["ratings"][0]["assessor"] = "张三"
        a = mc.Assessment.from_dict(data)
        path = write_questionnaire(tiny, tmp_path / "q.xlsx", assessment=a)

        assert rating_columns(tier_columns(tiny)) == sheet_rows(path)[0]
        assert a.to_dict() == read_questionnaire(path, pack=tiny).to_dict()

    def test_assessor_name_with_a_semicolon(
        self, tiny: mc.Pack, tmp_path: Path
    ) -> None:
        """A ';' in an assessor's name would split it, so it is refused."""
        data = mc.blank_assessment(tiny)
        data["metadata"]["assessors"] = [{"name": "张三; 李四"}]
        a = mc.Assessment.from_dict(data)

        with pytest.raises(mc.AssessmentError) as info:
            write_questionnaire(tiny, tmp_path / "q.csv", assessment=a)
        assert "$.metadata.assessors[0].name" == info.value.json_path

    def test_text_longer_than_an_xlsx_cell(
        self, tiny: mc.Pack, tmp_path: Path
    ) -> None:
        """A note longer than Excel keeps in a cell suggests CSV."""
        a = mc.Assessment.from_dict(mc.blank_assessment(tiny))
        a = attrs.evolve(
            a,
            ratings=(
                attrs.evolve(a.ratings[0], note="x" * 40_000),
                *a.ratings[1:],
            ),
        )

        with pytest.raises(mc.AssessmentError, match=r"use a \.csv") as info:
            write_questionnaire(tiny, tmp_path / "q.xlsx", assessment=a)
        assert "$.ratings[0].note" == info.value.json_path
        assert [] == list(tmp_path.iterdir())

    def test_na_round_trips_in_the_tiny_pack(
        self, tiny: mc.Pack, tmp_path: Path
    ) -> None:
        """'na' is a rating where the rubric allows it."""
        a = mc.Assessment.from_dict(mc.blank_assessment(tiny)).with_rating(
            "a2.z.1", "na"
        )
        path = write_questionnaire(tiny, tmp_path / "q.csv", assessment=a)

        assert "na" == read_questionnaire(path, pack=tiny).rating_of("a2.z.1")
