"""
Questionnaires in the assessor's language: headers, rating labels,
instructions, drop-downs on every constrained cell, grouping with
progress, and round trips of filled questionnaires in each language.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import maturity_core as mc
from maturity_core.cli import run
from maturity_core import Rubric
from maturity_core.typing import RatingOption
from maturity_core.questionnaire import read_questionnaire, write_questionnaire
from maturity_core.questionnaire._messages import message


DB12 = "db12t1073"


@pytest.fixture(scope="module")
def db12() -> mc.Pack:
    return mc.load_pack(DB12)


def rows_of(
    path: Path, sheet: int, *, calculated: bool = False
) -> list[tuple[Any, ...]]:
    """
    The values of the *sheet*-th sheet (0: the instructions); formulas'
    last results if *calculated*.
    """
    wb = openpyxl.load_workbook(path, data_only=calculated)
    try:
        return list(wb.worksheets[sheet].iter_rows(values_only=True))
    finally:
        wb.close()


def csv_rows(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def write_csv(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def validations(path: Path, sheet: int) -> dict[str, Any]:
    """The data validations of a sheet, by the cells they cover."""
    wb = openpyxl.load_workbook(path)
    try:
        return {
            str(dv.sqref): dv
            for dv in wb.worksheets[sheet].data_validations.dataValidation
        }
    finally:
        wb.close()


def set_cells(path: Path, sheet: int, cells: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(path)
    for cell, value in cells.items():
        wb.worksheets[sheet][cell] = value
    wb.save(path)


def requirement_row(path: Path, rid: str) -> int:
    ws_rows = rows_of(path, 1)
    return next(r for r, row in enumerate(ws_rows, 1) if row[0] == rid)


# ---------------------------------------------------------------------------
# Ratings by label


class TestRatingLabels:
    def test_labels_are_written_back(self, db12: mc.Pack, tmp_path) -> None:
        """A rating is written as its label in the questionnaire's language."""
        a = mc.Assessment.from_dict(mc.blank_assessment(db12)).with_rating(
            "personnel-skills.deployment.l1", "most"
        )
        path = write_questionnaire(db12, tmp_path / "q.xlsx", assessment=a)
        row = requirement_row(path, "personnel-skills.deployment.l1")

        assert "大部分满足" == rows_of(path, 1)[row - 1][7]

    def test_a_hand_made_csv_with_a_chinese_label_reads(
        self, db12: mc.Pack, tmp_path
    ) -> None:
        """大部分满足 reads as 'most' (it was a schema error before)."""
        path = tmp_path / "q.csv"
        write_csv(
            path,
            [
                ["id", "rating", "pack"],
                ["personnel-skills.deployment.l1", "大部分满足", DB12],
            ],
        )

        assert "most" == read_questionnaire(path).rating_of(
            "personnel-skills.deployment.l1"
        )

    @pytest.mark.parametrize(
        ("lang", "typed"),
        [("zh", "most"), ("zh", "Mostly met"), ("en", "大部分满足"),
         ("en", " mostly MET ")],
    )
    def test_ids_and_labels_of_any_language_are_read(
        self, db12: mc.Pack, tmp_path, lang: str, typed: str
    ) -> None:
        """Ids and the labels of each of the pack's languages are read."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx", lang=lang)
        row = requirement_row(path, "personnel-skills.deployment.l1")
        set_cells(path, 1, {f"H{row}": typed})

        assert "most" == read_questionnaire(path).rating_of(
            "personnel-skills.deployment.l1"
        )

    def test_a_wrong_value_lists_the_valid_labels(
        self, db12: mc.Pack, tmp_path
    ) -> None:
        """A wrong rating names the file, sheet, cell and valid labels."""
        path = write_questionnaire(db12, tmp_path / "问卷.xlsx")
        row = requirement_row(path, "personnel-skills.deployment.l2")
        set_cells(path, 1, {f"H{row}": "优秀"})

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(path)
        (problem,) = info.value.problems
        assert ("$.ratings[1].rating", "invalid-rating") == (
            problem.json_path,
            problem.code,
        )
        assert (
            f"问卷.xlsx: sheet '评分' row {row} column 'rating': rating "
            "'优秀' is not in the rubric; valid ratings: 全部满足 (full), "
            "大部分满足 (most), 部分满足 (partial), 不满足 (none)"
        ) == problem.message

    def test_a_wrong_value_in_an_english_csv_lists_english_labels(
        self, db12: mc.Pack, tmp_path
    ) -> None:
        """The valid labels are listed in the file's language."""
        path = write_questionnaire(db12, tmp_path / "q.csv", lang="en")
        rows = csv_rows(path)
        rows[1][rows[0].index("rating")] = "excellent"
        write_csv(path, rows)

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(path)
        assert (
            "valid ratings: Fully met (full), Mostly met (most), "
            "Partially met (partial), Not met (none)"
        ) in str(info.value)

    def test_the_command_line_reports_a_wrong_label_in_one_line(
        self, db12: mc.Pack, tmp_path
    ) -> None:
        """`maturity score` names the cell in one problem line, exits 1."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")
        row = requirement_row(path, "personnel-skills.deployment.l1")
        set_cells(path, 1, {f"H{row}": "大部分"})
        out, stream = io.StringIO(), io.StringIO()

        status = run(["score", str(path)], stdout=out, stderr=stream)

        err = stream.getvalue().splitlines()
        assert (1, 2) == (status, len(err))
        assert (
            f"  - $.ratings[0].rating: q.xlsx: sheet '评分' row {row} column "
            "'rating': rating '大部分' is not in the rubric; valid ratings: "
            "全部满足 (full), 大部分满足 (most), 部分满足 (partial), 不满足 (none)"
        ) == err[1]

    def test_labels_that_read_alike_fall_back_to_ids(self, tmp_path) -> None:
        """Where two ratings share a label, the ids are the labels."""
        from maturity_core.questionnaire._questionnaire import _rating_labels

        rubric = mc.load_pack("practicecap").rubric
        twin = Rubric(
            options=(
                RatingOption("a", Fraction(1), mc.Text(en="Same")),
                RatingOption("b", Fraction(0), mc.Text(en="same")),
            )
        )

        assert ({"a": "a", "b": "b"}, "4 — fully implemented") == (
            _rating_labels(twin, "en"),
            _rating_labels(rubric, "en")["4"],
        )


# ---------------------------------------------------------------------------
# Headers and texts


class TestLanguages:
    def test_default_language_is_the_packs(self, tmp_path) -> None:
        """practicecap's main language is English, db12t1073's Chinese."""
        practicecap = write_questionnaire(
            mc.load_pack("practicecap"), tmp_path / "p.xlsx"
        )
        db12 = write_questionnaire(mc.load_pack(DB12), tmp_path / "d.xlsx")

        assert (["ratings"], ["评分"]) == (
            openpyxl.load_workbook(practicecap).sheetnames[1:2],
            openpyxl.load_workbook(db12).sheetnames[1:2],
        )

    def test_german_headers_and_labels(self, tmp_path) -> None:
        """practicecap in German: German headers, tiers and labels."""
        pack = mc.load_pack("practicecap")
        path = write_questionnaire(pack, tmp_path / "q.xlsx", lang="de")
        header = rows_of(path, 1)[0]
        lists = sorted(dv.formula1 for dv in validations(path, 1).values())

        assert (
            "Kennung",
            "Funktion",
            "Kategorie",
            "Praktik",
            "Punkt",
            "Stufe",
            "Anforderung",
            "Bewertung",
        ) == header[:8]
        assert '"Ja — Nachweis gesehen,Nein"' in lists

    def test_a_text_the_pack_lacks_is_shown_in_its_language(
        self, db12: mc.Pack, tmp_path
    ) -> None:
        """db12t1073 has no English requirement texts: the Chinese is shown."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx", lang="en")
        row = rows_of(path, 1)[
            requirement_row(path, "personnel-skills.deployment.l1") - 1
        ]

        assert (
            "Personnel deployment",
            "[original, zh] 应通过培训、研讨、宣传等方式，确保相关人员充分意识到"
            "智能制造的重要性",
        ) == (row[4], row[6])

    def test_a_language_the_catalogue_lacks_is_written_in_english(
        self, tmp_path
    ) -> None:
        """French headers fall back to English; pack texts too."""
        pack = mc.load_pack("practicecap")
        path = write_questionnaire(pack, tmp_path / "q.csv", lang="fr")

        assert ["id", "Function", "Category"] == csv_rows(path)[0][:3]

    def test_a_chinese_csv_reads_back(self, db12: mc.Pack, tmp_path) -> None:
        """Localised CSV headers are read as the columns they name."""
        a = mc.Assessment.from_dict(mc.blank_assessment(db12)).with_rating(
            "data.data-analysis-and-application.l1", "partial"
        )
        path = write_questionnaire(db12, tmp_path / "q.csv", assessment=a)

        assert ["编号", "能力要素", "能力域", "能力子域", "评估项"] == (
            csv_rows(path)[0][:5]
        )
        assert a.to_dict() == read_questionnaire(path).to_dict()

    def test_a_workbook_of_the_earlier_layout_reads(
        self, db12: mc.Pack, tmp_path
    ) -> None:
        """Three sheets, ids as ratings, assessors in one cell, tailoring
        as node and reason: still read."""
        wb = openpyxl.Workbook()
        ratings = wb.active
        ratings.title = "ratings"
        ratings.append(["id", "element", "item", "rating"])
        ratings.append(["personnel-skills.deployment.l1", "人员", "x", "most"])
        meta = wb.create_sheet("metadata")
        for row in (
            ["field", "value"],
            ["pack", DB12],
            ["assessors", "张三:lead; 李四"],
        ):
            meta.append(row)
        tailoring = wb.create_sheet("tailoring")
        tailoring.append(["node", "reason"])
        tailoring.append(["service", "无售后服务"])
        path = tmp_path / "old.xlsx"
        wb.save(path)

        back = read_questionnaire(path)
        assert (
            "most",
            (mc.Assessor("张三", "lead"), mc.Assessor("李四")),
            ("service",),
        ) == (
            back.rating_of("personnel-skills.deployment.l1"),
            back.metadata.assessors,
            tuple(t.node for t in back.tailoring),
        )

    def test_headers_of_two_languages_mixed_are_read(
        self, db12: mc.Pack, tmp_path
    ) -> None:
        """A header written partly in English, partly in Chinese, reads."""
        path = tmp_path / "q.csv"
        write_csv(
            path,
            [
                ["编号", "rating", "模型包", "证据"],
                ["personnel-skills.deployment.l1", "全部满足", DB12, "记录"],
            ],
        )
        back = read_questionnaire(path)

        assert ("full", "记录") == (
            back.rating_of("personnel-skills.deployment.l1"),
            back.ratings[0].evidence[0].description,
        )


# ---------------------------------------------------------------------------
# Instructions and drop-downs


class TestInstructions:
    def test_ratings_with_their_values(self, db12: mc.Pack, tmp_path) -> None:
        """The instructions list each rating's label, value and id."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")
        rows = [r[:3] for r in rows_of(path, 0)]

        at = rows.index(("评分", "分值", "编号"))
        assert ("评分标准", None, None) == rows[at - 1]
        assert [
            ("全部满足", "1", "full"),
            ("大部分满足", "0.8", "most"),
            ("部分满足", "0.5", "partial"),
            ("不满足", "0", "none"),
        ] == rows[at + 1 : at + 5]

    def test_each_rubric_is_explained(self, tmp_path) -> None:
        """practicecap's two rubrics, with how many requirements use each."""
        pack = mc.load_pack("practicecap")
        path = write_questionnaire(pack, tmp_path / "q.xlsx")
        first = [r[0] for r in rows_of(path, 0)]
        uses = {
            rid: sum(1 for r in pack.requirements if pack.rubric_of(r).id == rid)
            for rid in pack.rubrics
        }

        assert {
            f"Ratings: Implementation (0–4) (used by {uses['default']} "
            "requirements)",
            f"Ratings: Evidence check (yes/no) (used by {uses['evidence']} "
            "requirements)",
        } <= set(first)
        assert ("3 — largely implemented", "0.75", "3") in {
            r[:3] for r in rows_of(path, 0)
        }

    def test_not_applicable_is_explained_where_allowed(self, tmp_path) -> None:
        """bcgrading allows na: it is listed as not scored."""
        path = write_questionnaire(
            mc.load_pack("bcgrading"), tmp_path / "q.xlsx", lang="en"
        )

        assert ("Not applicable", "not applicable: not scored", "na") in {
            r[:3] for r in rows_of(path, 0)
        }

    @pytest.mark.parametrize("lang", ["zh", "en", "de"])
    def test_every_step_is_written(self, tmp_path, lang: str) -> None:
        """How to rate, give evidence, fill metadata, assessors, tailoring."""
        path = write_questionnaire(
            mc.load_pack("practicecap"), tmp_path / "q.xlsx", lang=lang
        )
        first = [r[0] for r in rows_of(path, 0)]
        steps = ("ratings", "evidence", "metadata", "assessors", "tailoring")

        assert all(
            any(
                text is not None and text.startswith(f"{n}. ")
                for text in first
            )
            for n in range(1, len(steps) + 1)
        )
        assert message("instructions.title", lang) == first[0]


class TestConstrainedCells:
    def test_mode_has_a_drop_down(self, db12: mc.Pack, tmp_path) -> None:
        """The mode value offers self and external assessment, in Chinese."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")

        assert '"自评估,外部评估"' == validations(path, 2)["B8"].formula1

    def test_profile_and_rule_have_drop_downs(
        self, db12: mc.Pack, tmp_path
    ) -> None:
        """The pack's profiles must be chosen; its rules are offered."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")
        checks = validations(path, 2)

        assert (
            ('"process,discrete"', "stop"),
            ('"cumulative-gated,cumulative-gated-unit"', "warning"),
        ) == (
            (checks["B4"].formula1, checks["B4"].errorStyle),
            (checks["B5"].formula1, checks["B5"].errorStyle),
        )

    def test_date_must_be_a_date(self, db12: mc.Pack, tmp_path) -> None:
        """The date value is checked as a date."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")

        assert "date" == validations(path, 2)["B7"].type

    def test_roles_have_a_drop_down(self, db12: mc.Pack, tmp_path) -> None:
        """The role column offers the roles in Chinese."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")

        assert '"组长,组员"' == validations(path, 3)["B2:B51"].formula1

    def test_tailoring_marks_have_a_drop_down(
        self, db12: mc.Pack, tmp_path
    ) -> None:
        """Each offered node's mark cell offers 是."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")
        count = len(rows_of(path, 4)) - 1

        assert '"是"' == validations(path, 4)[f"C2:C{count + 1}"].formula1

    def test_labels_a_list_cannot_hold_come_from_the_instructions(
        self, tmp_path
    ) -> None:
        """Labels with commas are offered from the instructions sheet."""
        from maturity_core.questionnaire._questionnaire import _drop_down

        ws = openpyxl.Workbook().active
        rubric = Rubric(
            options=(
                RatingOption("y", Fraction(1), mc.Text(en="Yes, fully")),
                RatingOption("n", Fraction(0), mc.Text(en="No")),
            )
        )
        _drop_down(ws, rubric, "H2:H9", "en", {"default": "'x'!$A$5:$A$6"})

        (dv,) = ws.data_validations.dataValidation
        assert "'x'!$A$5:$A$6" == dv.formula1

    def test_a_wrong_mode_lists_the_valid_modes(
        self, db12: mc.Pack, tmp_path
    ) -> None:
        """A mode that is no choice names its cell and the valid ones."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")
        set_cells(path, 2, {"B8": "远程"})

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(path)
        (problem,) = info.value.problems
        assert (
            "q.xlsx: sheet '基本信息' row 8 column 'value': '远程' is not a "
            "valid mode; valid: 自评估 (self), 外部评估 (external)"
        ) == problem.message

    def test_a_wrong_role_lists_the_valid_roles(
        self, db12: mc.Pack, tmp_path
    ) -> None:
        """A role that is no choice names its cell and the valid ones."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx", lang="en")
        set_cells(path, 3, {"A2": "Li", "B2": "boss"})

        with pytest.raises(mc.AssessmentError) as info:
            read_questionnaire(path)
        (problem,) = info.value.problems
        assert (
            "q.xlsx: sheet 'assessors' row 2 column 'role': 'boss' is not a "
            "valid role; valid: lead (lead), member (member)"
        ) == problem.message

    def test_an_assessor_name_with_a_semicolon_fits_the_sheet(
        self, db12: mc.Pack, tmp_path
    ) -> None:
        """A ';' only separates assessors in a CSV cell, not on the sheet."""
        data = mc.blank_assessment(db12)
        data["metadata"]["assessors"] = [{"name": "张三; 李四", "role": "lead"}]
        a = mc.Assessment.from_dict(data)
        path = write_questionnaire(db12, tmp_path / "q.xlsx", assessment=a)

        assert a.to_dict() == read_questionnaire(path).to_dict()

    def test_filled_in_chinese_metadata_reads_back(
        self, db12: mc.Pack, tmp_path
    ) -> None:
        """Mode and role chosen from the Chinese drop-downs read as ids."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")
        set_cells(path, 2, {"B8": "自评估"})
        set_cells(path, 3, {"A2": "张三", "B2": "组长", "A3": "李四"})

        meta = read_questionnaire(path).metadata
        assert ("self", (mc.Assessor("张三", "lead"), mc.Assessor("李四"))) == (
            meta.mode,
            meta.assessors,
        )


# ---------------------------------------------------------------------------
# Grouping and progress


class TestGrouping:
    def test_headings_for_each_tier_down_to_the_charted_one(
        self, db12: mc.Pack, tmp_path
    ) -> None:
        """db12t1073 charts domains: element and domain headings."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")
        rows = rows_of(path, 1)

        assert [
            (None, None, None, None, "总体进度（已评 / 应评）"),
            (None, "人员", None, None, "进度（已评 / 应评）"),
            (None, None, "人员技能", None, "进度（已评 / 应评）"),
        ] == [(r[0], r[1], r[2], r[3], r[6]) for r in rows[1:4]]

    def test_outline_levels_group_the_rows(
        self, db12: mc.Pack, tmp_path
    ) -> None:
        """Requirements sit under their domain, domains under elements."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")
        ws = openpyxl.load_workbook(path).worksheets[1]

        assert [0, 0, 1, 2] == [
            ws.row_dimensions[r].outline_level for r in range(2, 6)
        ]

    def test_progress_cells_are_percentages(
        self, db12: mc.Pack, tmp_path
    ) -> None:
        """Progress is a formula shown as a percentage."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")
        ws = openpyxl.load_workbook(path).worksheets[1]

        assert ("0%", True) == (
            ws["H3"].number_format,
            str(ws["H3"].value).startswith("=IF("),
        )

    def test_a_formula_counts_rated_rows_over_the_rows_to_rate(
        self, tmp_path
    ) -> None:
        """The share leaves out rows whose node is marked tailored."""
        from maturity_core.questionnaire._questionnaire import (
            _progress_formula,
        )

        formula = _progress_formula(
            "H",
            [(4, ()), (5, ()), (7, ("b",)), (8, ("b", "a"))],
            {"a": "'t'!$C$2", "b": "'t'!$C$3"},
            "是",
            "已裁剪",
        )

        assert (
            '=IF(2+1*NOT(OR(\'t\'!$C$3="是"))+1*NOT(OR(\'t\'!$C$3="是",'
            '\'t\'!$C$2="是"))=0,"已裁剪",(COUNTA(H4:H5)+(COUNTA(H7))*'
            'NOT(OR(\'t\'!$C$3="是"))+(COUNTA(H8))*NOT(OR(\'t\'!$C$3="是",'
            '\'t\'!$C$2="是")))/(2+1*NOT(OR(\'t\'!$C$3="是"))+1*NOT(OR('
            '\'t\'!$C$3="是",\'t\'!$C$2="是"))))'
        ) == formula

    def test_a_formula_too_long_for_excel_counts_every_row(self) -> None:
        """With too many marks to weigh, the share of all rows is given."""
        from maturity_core.questionnaire._questionnaire import (
            _progress_formula,
        )

        rows = [(r, (f"n{r}",)) for r in range(2, 600, 2)]
        marks = {f"n{r}": f"'tailoring'!$C${r}" for r, _ in rows}

        formula = _progress_formula("H", rows, marks, "yes", "tailored out")

        assert ("=(COUNTA(H2,H4,", "/299", True) == (
            formula[:15],
            formula[-4:],
            len(formula) <= 8_192,
        )

    def test_headings_are_not_read_as_ratings(
        self, db12: mc.Pack, tmp_path
    ) -> None:
        """A recalculated progress value in a heading is not a rating."""
        path = write_questionnaire(db12, tmp_path / "q.xlsx")
        set_cells(path, 1, {"H2": 0.5, "H3": "已裁剪"})

        expected = mc.Assessment.from_dict(mc.blank_assessment(db12))
        assert expected.to_dict() == read_questionnaire(path).to_dict()


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("CI must provide LibreOffice (tools/system_deps.py)")
    pytest.skip(
        "LibreOffice is not installed; tools/system_deps.py installs it "
        "(CI always runs this test)"
    )


def _recalculated(source: Path, folder: Path) -> Path:
    """*source* opened, recalculated and saved again by LibreOffice."""
    folder.mkdir()
    subprocess.run(
        [
            _soffice(),
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / source.name


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> tuple[mc.Pack, mc.Assessment, Path]:
    """
    db12t1073 in Chinese, partly rated, two nodes tailored out, as
    LibreOffice saves it.
    """
    pack = mc.load_pack(DB12)
    data = mc.blank_assessment(pack, "discrete")
    for i, entry in enumerate(data["ratings"]):
        entry["rating"] = ("full", "most", None)[i % 3]
    data["tailoring"] = [
        {"node": "sales", "reason": "仅内部供货"},
        {"node": "service", "reason": "无售后服务"},
    ]
    assessment = mc.Assessment.from_dict(data)
    folder = tmp_path_factory.mktemp("lo")
    path = write_questionnaire(
        pack, folder / "q.xlsx", assessment=assessment
    )
    return pack, assessment, _recalculated(path, folder / "out")


class TestLibreOffice:

    def test_progress_is_recalculated(self, filled) -> None:
        """Each heading's progress is rated / to rate, tailoring left out."""
        pack, assessment, path = filled
        tailored = {t.node for t in assessment.tailoring}

        def share(node: str | None) -> Any:
            rows = [
                e
                for e in assessment.ratings
                if node is None or node in (e.node, *pack.ancestors(e.node))
            ]
            left = [
                e
                for e in rows
                if not tailored & {e.node, *pack.ancestors(e.node)}
            ]
            if not left:
                return "已裁剪"
            rated = sum(e.rating is not None for e in left)
            return pytest.approx(rated / len(left))

        expected = {(0, None): share(None)}
        for depth in (1, 2):
            for node in pack.nodes_at(depth):
                if any(
                    node.id in (e.node, *pack.ancestors(e.node))
                    for e in assessment.ratings
                ):
                    expected[depth, node.name.get("zh")] = share(node.id)
        shown = {
            (1, r[1]) if r[1] else (2, r[2]) if r[2] else (0, None): r[7]
            for r in rows_of(path, 1, calculated=True)[1:]
            if r[0] is None
        }

        assert expected == shown
        assert "已裁剪" == shown[2, "服务"]

    def test_a_file_libreoffice_saved_reads_back(self, filled) -> None:
        """The recalculated workbook reads back to the same assessment."""
        _, assessment, path = filled

        assert assessment.to_dict() == read_questionnaire(path).to_dict()


# ---------------------------------------------------------------------------
# Round trips of filled questionnaires


@st.composite
def fillings(draw, pack: mc.Pack, lang: str) -> dict[str, Any]:
    """
    What an assessor fills in: for each requirement nothing, its rating's
    label in *lang* or its id; evidence for some; tailoring for some
    nodes (with reasons), in tree order.
    """
    profile = pack.get_profile()
    template = mc.blank_assessment(pack)
    text = st.text(
        st.characters(
            categories=["L", "N", "Zs"], include_characters="\n，。:;()"
        ),
        min_size=1,
        max_size=12,
    ).filter(lambda t: t.strip() == t and t)
    filled = []
    for entry in template["ratings"]:
        rubric = pack.rubric_of(pack.requirements_by_id[entry["id"]])
        rating = draw(st.none() | st.sampled_from(rubric.ids))
        if rating is not None:
            name = (
                rubric.na_name
                if rating == "na"
                else rubric.option(rating).name
            )
            typed = draw(st.sampled_from([rating, name.get(lang)]))
        else:
            typed = None
        evidence = draw(st.none() | text)
        filled.append((entry["id"], rating, typed, evidence))
    offered = [
        n.id for n in pack.root.walk() if pack.is_tailorable(profile, n.id)
    ]
    chosen = draw(st.sets(st.sampled_from(offered), max_size=3))
    tailoring = [
        (node, draw(text)) for node in offered if node in chosen
    ]
    return {"ratings": filled, "tailoring": tailoring}


def expected_assessment(pack: mc.Pack, filling: dict[str, Any]) -> dict:
    data = mc.blank_assessment(pack)
    for entry, (rid, rating, _, evidence) in zip(
        data["ratings"], filling["ratings"], strict=True
    ):
        assert rid == entry["id"]
        entry["rating"] = rating
        if evidence is not None:
            entry["evidence"] = evidence
    if filling["tailoring"]:
        data["tailoring"] = [
            {"node": n, "reason": r} for n, r in filling["tailoring"]
        ]
    return mc.Assessment.from_dict(data).to_dict()


def fill_xlsx(path: Path, filling: dict[str, Any], lang: str) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[1]
    header = [c.value for c in ws[1]]
    rating = header.index(message("column.rating", lang)) + 1
    evidence = header.index(message("column.evidence", lang)) + 1
    row = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for rid, _, typed, text in filling["ratings"]:
        ws.cell(row[rid], rating).value = typed
        ws.cell(row[rid], evidence).value = text
    tail = wb.worksheets[4]
    at = {tail.cell(r, 1).value: r for r in range(2, tail.max_row + 1)}
    for node, reason in filling["tailoring"]:
        tail.cell(at[node], 3).value = message("mark.yes", lang)
        tail.cell(at[node], 4).value = reason
    wb.save(path)


def fill_csv(path: Path, filling: dict[str, Any], lang: str) -> None:
    rows = csv_rows(path)
    header = rows[0]
    rating = header.index(message("column.rating", lang))
    evidence = header.index(message("column.evidence", lang))
    node = header.index(message("column.tailoring_node", lang))
    reason = header.index(message("column.tailoring_reason", lang))
    for row, (rid, _, typed, text) in zip(
        rows[1:], filling["ratings"], strict=True
    ):
        assert rid == row[0]
        row[rating] = typed or ""
        row[evidence] = text or ""
    for row, (n, r) in zip(rows[1:], filling["tailoring"], strict=False):
        row[node], row[reason] = n, r
    write_csv(path, rows)


ROUND_TRIPS = [
    (DB12, "zh"),
    (DB12, "en"),
    ("bcgrading", "zh"),
    ("bcgrading", "en"),
    ("practicecap", "en"),
    ("practicecap", "de"),
    ("practicecap", "zh"),
]


class TestFilledRoundTrips:
    @pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
    @pytest.mark.parametrize(("pack_id", "lang"), ROUND_TRIPS)
    @settings(
        max_examples=3,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    @given(data=st.data())
    def test_a_filled_questionnaire_reads_as_what_was_filled(
        self, tmp_path_factory, pack_id: str, lang: str, suffix: str, data
    ) -> None:
        """Labels or ids, evidence and tailoring read back exactly."""
        pack = mc.load_pack(pack_id)
        filling = data.draw(fillings(pack, lang))
        folder = tmp_path_factory.mktemp("filled")
        path = write_questionnaire(pack, folder / f"q{suffix}", lang=lang)
        (fill_xlsx if suffix == ".xlsx" else fill_csv)(path, filling, lang)

        back = read_questionnaire(path)

        assert expected_assessment(pack, filling) == back.to_dict()

    @pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
    @pytest.mark.parametrize(("pack_id", "lang"), ROUND_TRIPS)
    def test_a_written_assessment_reads_back(
        self, tmp_path, pack_id: str, lang: str, suffix: str
    ) -> None:
        """An assessment the library wrote reads back identically."""
        pack = mc.load_pack(pack_id)
        data = mc.blank_assessment(pack)
        for i, entry in enumerate(data["ratings"]):
            rubric = pack.rubric_of(pack.requirements_by_id[entry["id"]])
            entry["rating"] = (*rubric.ids, None)[i % (len(rubric.ids) + 1)]
        data["metadata"] = {
            "organisation": "示例 Org",
            "date": "2026-10-15",
            "mode": "self",
            "assessors": [{"name": "张三", "role": "lead"}, {"name": "Li"}],
        }
        a = mc.Assessment.from_dict(data)
        path = write_questionnaire(
            pack, tmp_path / f"q{suffix}", lang=lang, assessment=a
        )

        assert a.to_dict() == read_questionnaire(path).to_dict()
