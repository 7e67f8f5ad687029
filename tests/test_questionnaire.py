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
    # In tree order, as questionnaires read tailoring back.
    data["tailoring"] = [
        {"node": "sales", "reason": "仅内部供货\n(internal supply only)"},
        {"node": "service", "reason": "无售后服务; no after-sales service"},
    ]
    return mc.Assessment.from_dict(data)


def sheet_rows(path: Path, sheet: str = "ratings") -> list[tuple[Any, ...]]:
    """The values of every row of *sheet* in the workbook at *path*."""
    wb = openpyxl.load_workbook(path)
    try:
        return list(wb[sheet].iter_rows(values_only=True))
    finally:
        wb.close()


def requirement_rows(path: Path, sheet: str = "ratings") -> list[int]:
    """The rows of *sheet* that hold a requirement (an id), in order."""
    wb = openpyxl.load_workbook(path)
    try:
        ws = wb[sheet]
        return [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value]
    finally:
        wb.close()


def cell_of(
    path: Path, index: int, column: str, sheet: str = "ratings"
) -> str:
    """The cell of the *index*-th requirement's *column* (its header)."""
    wb = openpyxl.load_workbook(path)
    try:
        header = [c.value for c in wb[sheet][1]]
    finally:
        wb.close()
    letter = openpyxl.utils.get_column_letter(header.index(column) + 1)
    return f"{letter}{requirement_rows(path, sheet)[index]}"


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
            db12, tmp_path / "q.xlsx", assessment=assessment, lang="en"
        )
        wb = openpyxl.load_workbook(path)

        assert "s" == wb["ratings"][cell_of(path, 0, "evidence")].data_type

    def test_dates_typed_in_excel_are_iso_dates(
        self, tiny: mc.Pack, tmp_path: Path
    ) -> None:
        """A date cell Excel stores as a date reads as 2026-10-15."""
        path = write_questionnaire(tiny, tmp_path / "q.xlsx", lang="en")
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

        expected = "\ufeff编号,能力要素,".encode()

        assert expected == path.read_bytes()[: len(expected)]

    def test_pack_columns_repeat_on_every_row(
        self, db12: mc.Pack, assessment: mc.Assessment, tmp_path: Path
    ) -> None:
        """pack, pack_version and profile are on every row."""
        path = write_questionnaire(
            db12, tmp_path / "q.csv", assessment=assessment
        )
        rows = csv_rows(path)
        at = rows[0].index("模型包")

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
        at = rows[0].index("受评组织")

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
            "张三:组长; Dr: Li:; 王五:组员; 赵六; 钱七:组员"
            == (rows[1][rows[0].index("评估人员名单")])
        )

    def test_excel_dates_are_read_as_iso_dates(
        self, tiny: mc.Pack, tmp_path: Path
    ) -> None:
        """A date Excel saved as 2026/10/5 reads as 2026-10-05."""
        path = write_questionnaire(tiny, tmp_path / "q.csv", lang="en")
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
        read = (
            requirement_rows(path, "评分")
            if suffix == ".xlsx"
            else csv_rows(path)[1:]
        )

        assert rows == len(read)

    @pytest.mark.parametrize("profile", ["discrete", "process"])
    def test_rows_follow_the_tree_order(
        self, db12: mc.Pack, tmp_path: Path, profile: str
    ) -> None:
        """Rows are grouped by element, domain and subdomain in tree order."""
        path = write_questionnaire(
            db12, tmp_path / "q.xlsx", profile=profile, lang="en"
        )
        order = [n.id for n in db12.root.walk()]
        ids = [row[0] for row in sheet_rows(path)[1:] if row[0]]
        leaves = [db12.requirements_by_id[i].node for i in ids]

        assert sorted(leaves, key=order.index) == leaves
        assert [
            e["id"] for e in mc.blank_assessment(db12, profile)["ratings"]
        ] == ids

    def test_sheets(self, db12: mc.Pack, tmp_path: Path) -> None:
        """An English workbook's sheets, the ratings sheet open."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx", lang="en")
        wb = openpyxl.load_workbook(path)

        assert (
            ["instructions", "ratings", "metadata", "assessors", "tailoring"],
            "ratings",
        ) == (wb.sheetnames, wb.active.title)

    def test_sheets_in_chinese(self, db12: mc.Pack, tmp_path: Path) -> None:
        """db12t1073's questionnaire names its sheets in Chinese."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")

        assert ["填写说明", "评分", "基本信息", "评估人员", "裁剪"] == (
            openpyxl.load_workbook(path).sheetnames
        )

    def test_header_names_the_columns(
        self, db12: mc.Pack, tmp_path: Path
    ) -> None:
        """The first row names the columns in Chinese, the tiers after id."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")
        ws = openpyxl.load_workbook(path)["评分"]

        assert (
            "编号",
            "能力要素",
            "能力域",
            "能力子域",
            "评估项",
            "等级",
            "要求",
            "评分",
            "证据",
            "备注",
        ) == sheet_rows(path, "评分")[0]
        assert all(cell.font.bold for cell in ws[1])

    def test_english_header_names_the_columns(
        self, db12: mc.Pack, tmp_path: Path
    ) -> None:
        """In English the columns keep their names, the tiers' too."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx", lang="en")

        assert (
            "id",
            "Capability element",
            "Capability domain",
            "Capability subdomain",
            *COLUMNS[1:],
        ) == sheet_rows(path)[0]

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

        assert ("id", "Function", "Category", "Practice") == (
            sheet_rows(path)[0][:4]
        )
        assert [
            '"4 — fully implemented,3 — largely implemented,'
            "2 — partially implemented,1 — initial,0 — not implemented\"",
            '"Yes — evidence seen,No"',
        ] == lists

    def test_header_and_ids_are_frozen(
        self, db12: mc.Pack, tmp_path: Path
    ) -> None:
        """The header row and the id column stay in view."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx", lang="en")

        assert "B2" == openpyxl.load_workbook(path)["ratings"].freeze_panes

    def test_long_texts_wrap_in_wide_columns(
        self, db12: mc.Pack, tmp_path: Path
    ) -> None:
        """The requirement column is wide and wraps its text."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx", lang="en")
        ws = openpyxl.load_workbook(path)["ratings"]

        assert (60, True) == (
            ws.column_dimensions["G"].width,
            ws[cell_of(path, 0, "requirement")].alignment.wrap_text,
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
        ) == sheet_rows(path, "评分")[requirement_rows(path, "评分")[0] - 1][:6]

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
            ("项目", "内容"),
            ("模型包", DB12),
            ("模型包版本", "1.0.1"),
            ("评估类型", "discrete"),
            ("等级规则", "cumulative-gated-unit"),
            ("受评组织", "示例精密机械有限公司"),
            ("评估日期", dt.datetime(2026, 10, 15)),
            ("评估方式", "外部评估"),
            ("说明", "现场评估\n两天"),
        ] == sheet_rows(path, "基本信息")

    def test_assessors_sheet(
        self, db12: mc.Pack, assessment: mc.Assessment, tmp_path: Path
    ) -> None:
        """The assessors sheet lists each assessor and role, one a row."""
        path = write_questionnaire(
            db12, tmp_path / "q.xlsx", assessment=assessment
        )

        assert [
            ("姓名", "角色"),
            ("张三", "组长"),
            ("Dr: Li", None),
            ("王五", "组员"),
            ("赵六", None),
            ("钱七", "组员"),
        ] == sheet_rows(path, "评估人员")

    def test_tailoring_sheet(
        self, db12: mc.Pack, assessment: mc.Assessment, tmp_path: Path
    ) -> None:
        """The tailoring sheet marks each node taken out, with why."""
        path = write_questionnaire(
            db12, tmp_path / "q.xlsx", assessment=assessment
        )
        rows = sheet_rows(path, "裁剪")

        assert ("节点编号", "名称", "是否裁剪", "裁剪理由") == rows[0]
        assert [
            ("sales", "能力子域: 销售", "是", "仅内部供货\n(internal supply only)"),
            (
                "service",
                "能力域: 服务",
                "是",
                "无售后服务; no after-sales service",
            ),
        ] == [row for row in rows[1:] if row[2]]

    def test_tailoring_sheet_offers_what_may_be_tailored(
        self, db12: mc.Pack, tmp_path: Path
    ) -> None:
        """Every node the profile lets be tailored out has a row."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")
        profile = db12.get_profile("discrete")

        assert [
            n.id for n in db12.root.walk() if db12.is_tailorable(profile, n.id)
        ] == [row[0] for row in sheet_rows(path, "裁剪")[1:]]


class TestDropDown:
    def validation(self, path: Path, sheet: str = "评分") -> Any:
        (dv,) = openpyxl.load_workbook(path)[
            sheet
        ].data_validations.dataValidation
        return dv

    def test_rating_column_lists_the_rubric_labels(
        self, db12: mc.Pack, tmp_path: Path
    ) -> None:
        """The rating drop-down lists the rubric's labels in Chinese."""
        dv = self.validation(write_questionnaire(db12, tmp_path / "q.xlsx"))

        assert ("list", '"全部满足,大部分满足,部分满足,不满足"') == (
            dv.type,
            dv.formula1,
        )

    def test_every_requirement_row_has_the_drop_down(
        self, db12: mc.Pack, tmp_path: Path
    ) -> None:
        """The drop-down covers the rating cell of every requirement row."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")
        dv = self.validation(path)
        covered = sorted(
            row
            for cells in dv.sqref.ranges
            for row in range(cells.min_row, cells.max_row + 1)
        )

        assert (requirement_rows(path, "评分"), {"H"}) == (
            covered,
            {
                openpyxl.utils.get_column_letter(c.min_col)
                for c in dv.sqref.ranges
            },
        )

    def test_invalid_input_is_refused_with_a_message(
        self, db12: mc.Pack, tmp_path: Path
    ) -> None:
        """Typing a value not in the list shows an error and is refused."""
        dv = self.validation(write_questionnaire(db12, tmp_path / "q.xlsx"))

        assert (True, "stop", True) == (
            dv.showErrorMessage,
            dv.errorStyle,
            "全部满足 / 大部分满足 / 部分满足 / 不满足" in dv.error,
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
        dv = self.validation(
            write_questionnaire(tiny, tmp_path / "q.xlsx", lang="en"),
            "ratings",
        )

        assert (
            '"Fully met,Mostly met,Partially met,Not met,Not applicable"'
            == dv.formula1
        )

    def test_na_is_not_offered_by_db12t1073(
        self, db12: mc.Pack, tmp_path: Path
    ) -> None:
        """db12t1073's rubric has no 'na', so the drop-down lacks it."""
        dv = self.validation(write_questionnaire(db12, tmp_path / "q.xlsx"))

        assert "不适用" not in dv.formula1.strip('"').split(",")


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
    """A blank db12t1073 discrete questionnaire.xlsx, in English."""
    return write_questionnaire(db12, tmp_path / "questionnaire.xlsx", lang="en")


@pytest.fixture
def csv_file(db12: mc.Pack, tmp_path: Path) -> Path:
    """A blank db12t1073 discrete questionnaire.csv, in English."""
    return write_questionnaire(db12, tmp_path / "questionnaire.csv", lang="en")


def problem_of(info: pytest.ExceptionInfo[mc.AssessmentError]) -> mc.Problem:
    (problem,) = info.value.problems
    return problem


class TestBadXlsx:
    def test_rating_outside_the_rubric(self, xlsx: Path) -> None:
        """A rating outside the rubric names its path, sheet, row, column."""
        edit_xlsx(xlsx, "ratings", cell_of(xlsx, 12, "rating"), "excellent")
        row = requirement_rows(xlsx)[12]

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        problem = problem_of(info)
        assert "$.ratings[12].rating" == problem.json_path
        assert "invalid-rating" == problem.code
        assert (
            f"questionnaire.xlsx: sheet 'ratings' row {row} column 'rating'"
            in str(info.value)
        )
        assert (
            "valid ratings: Fully met (full), Mostly met (most), "
            "Partially met (partial), Not met (none)"
        ) in str(info.value)

    def test_na_where_the_rubric_forbids_it(self, xlsx: Path) -> None:
        """'na' is refused by db12t1073, saying so."""
        edit_xlsx(xlsx, "ratings", cell_of(xlsx, 0, "rating"), "na")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert "'na' is not allowed" in problem_of(info).message

    def test_every_problem_is_reported(self, xlsx: Path) -> None:
        """Two bad ratings give two problems, in one error."""
        edit_xlsx(xlsx, "ratings", cell_of(xlsx, 0, "rating"), "good")
        edit_xlsx(xlsx, "ratings", cell_of(xlsx, 1, "rating"), "bad")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert ["$.ratings[0].rating", "$.ratings[1].rating"] == [
            p.json_path for p in info.value.problems
        ]

    def test_unknown_id(self, xlsx: Path) -> None:
        """An unknown requirement id is an UnknownRequirementError."""
        row = requirement_rows(xlsx)[3]
        edit_xlsx(xlsx, "ratings", f"A{row}", "no.such.requirement")

        with pytest.raises(mc.exceptions.UnknownRequirementError) as info:
            read_questionnaire(xlsx)
        assert "$.ratings[3].id" == problem_of(info).json_path
        assert f"sheet 'ratings' row {row} column 'id'" in str(info.value)

    def test_duplicated_id(self, xlsx: Path) -> None:
        """An id on two rows names both rows."""
        first, second = requirement_rows(xlsx)[:2]
        edit_xlsx(
            xlsx, "ratings", f"A{second}", "personnel-skills.deployment.l1"
        )

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        problem = problem_of(info)
        assert "$.ratings[1].id" == problem.json_path
        assert "duplicate-requirement" == problem.code
        assert (
            f"sheet 'ratings' row {second} column 'id': requirement "
            "'personnel-skills.deployment.l1' is listed twice (first at "
            f"row {first})"
        ) in problem.message

    def test_empty_id(self, xlsx: Path) -> None:
        """A row with a rating but no id is refused."""
        row = requirement_rows(xlsx)[5]
        edit_xlsx(xlsx, "ratings", f"A{row}", None)

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        problem = problem_of(info)
        assert ("$.ratings[5].id", "empty-cell") == (
            problem.json_path,
            problem.code,
        )
        assert f"sheet 'ratings' row {row} column 'id'" in problem.message

    def test_level_that_is_not_a_number(self, xlsx: Path) -> None:
        """A level cell must hold a whole number."""
        edit_xlsx(xlsx, "ratings", cell_of(xlsx, 0, "level"), "一级")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert "$.ratings[0].level" == problem_of(info).json_path
        assert "column 'level': level must be a whole number" in str(
            info.value
        )

    def test_level_that_does_not_match_the_pack(self, xlsx: Path) -> None:
        """A changed level is checked against the pack."""
        edit_xlsx(xlsx, "ratings", cell_of(xlsx, 0, "level"), 3)

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
        edit_xlsx(xlsx, "assessors", "A2", "张三")
        edit_xlsx(xlsx, "assessors", "B2", "boss")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert "$.metadata.assessors[0].role" == problem_of(info).json_path
        assert "sheet 'assessors' row 2 column 'role'" in str(info.value)

    def test_assessors_in_the_cell_and_on_the_sheet(self, xlsx: Path) -> None:
        """Assessors given both ways are refused, not merged."""
        edit_xlsx(xlsx, "assessors", "A2", "张三")
        edit_xlsx(xlsx, "metadata", "A11", "assessors")
        edit_xlsx(xlsx, "metadata", "B11", "李四")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert ("$.metadata.assessors", "duplicate-field") == (
            problem_of(info).json_path,
            problem_of(info).code,
        )

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
        """A node marked as tailored out needs a reason."""
        nodes = [row[0] for row in sheet_rows(xlsx, "tailoring")]
        row = nodes.index("service") + 1
        edit_xlsx(xlsx, "tailoring", f"C{row}", "yes")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert "$.tailoring[0].reason" == problem_of(info).json_path
        assert f"sheet 'tailoring' row {row} column 'reason'" in str(
            info.value
        )

    def test_reason_without_the_mark(self, xlsx: Path) -> None:
        """A reason on a node that is not marked is refused, not dropped."""
        edit_xlsx(xlsx, "tailoring", "D2", "does not apply")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert (
            "sheet 'tailoring' row 2 column 'tailored': a reason is given "
            "but the node is not marked"
        ) in problem_of(info).message

    def test_mark_that_is_not_yes(self, xlsx: Path) -> None:
        """A tailoring mark other than yes lists the valid marks."""
        edit_xlsx(xlsx, "tailoring", "C2", "maybe")
        edit_xlsx(xlsx, "tailoring", "D2", "unsure")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert "'maybe' does not mark a node as tailored out; valid: yes, 是" in (
            problem_of(info).message
        )

    def test_mandatory_node_tailored_out(self, xlsx: Path) -> None:
        """A mandatory node added below the offered ones is refused."""
        row = len(sheet_rows(xlsx, "tailoring")) + 1
        edit_xlsx(xlsx, "tailoring", f"A{row}", "data")
        edit_xlsx(xlsx, "tailoring", f"C{row}", "yes")
        edit_xlsx(xlsx, "tailoring", f"D{row}", "no data")

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(xlsx)
        assert "$.tailoring[0].node" == problem_of(info).json_path
        assert f"sheet 'tailoring' row {row} column 'node'" in str(info.value)

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
        edit_xlsx(xlsx, "ratings", cell_of(xlsx, 12, "rating"), "excellent")
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

        assert "编号" == csv_rows(path)[0][0]

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
        path = write_questionnaire(
            tiny, tmp_path / "q.xlsx", assessment=a, lang="en"
        )

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
