"""Diagnostic reports: Markdown and JSON goldens, the chart, HTML in a
real headless Chromium, and the command."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import maturity_core as mc
import maturity_core.testing
from maturity_core._schema import schema
from maturity_core.cli import run


EXAMPLE = "examples/db12t1073-discrete.json"


@pytest.fixture(scope="module")
def report() -> mc.report.Report:
    pack = mc.load_pack("db12t1073")
    result = mc.score(pack, mc.Assessment.from_path(EXAMPLE))
    return mc.report.build_report(pack, result)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("CI must provide Chromium (.ci/run installs it)")
    pytest.skip(
        "Chromium is not installed here; `python3 tools/system_deps.py` "
        "installs it (CI always runs this test)"
    )


class TestContent:
    def test_markdown_golden(self, report, golden):
        """The Markdown report is stable (golden file)."""
        golden(
            "db12t1073-discrete.report.md",
            mc.report.to_markdown(report, chart="radar.png"),
        )

    def test_json_golden(self, report, golden):
        """The JSON report is stable (golden file)."""
        golden(
            "db12t1073-discrete.report.json",
            json.dumps(
                report.to_dict(), ensure_ascii=False, indent=2, sort_keys=True
            )
            + "\n",
        )

    def test_json_matches_its_schema(self, report):
        """The JSON report validates against report.schema.json."""
        errors = list(
            Draft202012Validator(schema("report")).iter_errors(
                report.to_dict()
            )
        )

        assert [] == errors

    def test_every_subdomain_has_state_gap_and_prediction(self, report):
        """现状描述, 差距分析 and 预计等级 for each of the 23 leaves."""
        text = mc.report.to_markdown(report)

        assert 23 == len(report.diagnoses)
        assert 23 == text.count("现状描述")
        assert 23 == text.count("预计等级")

    def test_plan_reaches_the_next_level(self, report):
        """The improvement list leads to the next level."""
        assert (3, 3) == (report.target, report.plan_level)
        assert report.plan

    def test_english_labels(self):
        """--lang en switches labels and names."""
        pack = mc.load_pack("db12t1073")
        result = mc.score(pack, mc.Assessment.from_path(EXAMPLE))
        text = mc.report.to_markdown(mc.report.build_report(pack, result, lang="en"))

        assert "## Capability subdomain diagnosis" in text
        assert "Personnel skills" in text

    def test_title_and_tiers_come_from_the_pack(self):
        """A business-continuity report carries its own title and tiers."""
        pack = mc.load_pack("bcgrading")
        vector = next(iter(mc.testing.iter_vectors(pack)))
        result = mc.testing.run_vector(pack, vector).result
        report = mc.report.build_report(pack, result)
        text = mc.report.to_markdown(report)

        assert text.startswith("# 智能制造组织业务连续性等级评价报告\n")
        assert "## 各等级能力域得分图" in text
        assert "## 能力子域诊断分析" in text
        assert "能力成熟度诊断报告" not in text

    def test_a_pack_of_another_shape_reports_in_its_own_words(self):
        """practicecap: its title and tiers, node totals, no gate column."""
        pack = mc.load_pack("practicecap")
        vector = list(mc.testing.iter_vectors(pack))[-1]
        result = mc.testing.run_vector(pack, vector).result
        text = mc.report.to_markdown(mc.report.build_report(pack, result, lang="de"))

        assert text.startswith("# Praxis-Fähigkeitsprofil\n")
        assert "## Kategorie scores by level" in text
        assert "## Praktik diagnosis" in text
        assert "gate" not in text

    def test_devpractice_reports_in_its_own_words(self):
        """devpractice: its report title and tiers."""
        pack = mc.load_pack("devpractice")
        vector = list(mc.testing.iter_vectors(pack))[0]
        result = mc.testing.run_vector(pack, vector).result
        text = mc.report.to_markdown(mc.report.build_report(pack, result))

        assert text.startswith("# Software delivery practice assessment\n")
        assert "## Practice area scores by level" in text
        assert "## Practice diagnosis" in text

    def test_language_defaults_to_the_packs_first(self):
        """Without a language the report speaks the pack's main one."""
        pack = mc.load_pack("db12t1073")
        result = mc.score(pack, mc.Assessment.from_path(EXAMPLE))

        assert "zh" == mc.report.build_report(pack, result).lang


class TestChart:
    def test_radar_renders_cjk_labels_without_missing_glyphs(self, report):
        """The chart draws Chinese labels with a CJK font (no tofu warning)."""
        png = mc.report.radar_png(report)

        assert png.startswith(b"\x89PNG")
        assert len(png) > 50_000

    def test_font_subset_covers_the_text(self):
        """The embedded font has a glyph for every character it was cut for."""
        from fontTools.ttLib import TTFont

        text = "各等级能力域得分维度图 现状描述"
        font = TTFont(io.BytesIO(mc.report.font_subset(text)))
        cmap = font.getBestCmap()

        assert all(ord(ch) in cmap for ch in text)


class TestHtml:
    def test_page_is_self_contained(self, report):
        """No external URL: the chart and the font are embedded."""
        page = mc.report.to_html(report)

        assert "data:image/png;base64," in page
        assert "data:font/otf;base64," in page
        assert "http://" not in page
        assert "https://" not in page
        assert "<script" not in page

    def test_chromium_shows_the_chart(self, report, tmp_path):
        """Headless Chromium renders the page; the screenshot shows the chart."""
        from matplotlib.image import imread

        chromium = _chromium()
        page = tmp_path / "report.html"
        page.write_text(mc.report.to_html(report), "utf-8")
        shot = tmp_path / "shot.png"
        subprocess.run(
            [
                chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                f"--user-data-dir={tmp_path / 'profile'}",
                "--window-size=1000,1600", "--virtual-time-budget=10000",
                f"--screenshot={shot}", page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )  # fmt: skip
        pixels = imread(shot)[:, :, :3]
        # Matplotlib's first line colour (level 1, tab:blue #1f77b4).
        blue = (
            (abs(pixels[:, :, 0] - 0x1F / 255) < 0.06)
            & (abs(pixels[:, :, 1] - 0x77 / 255) < 0.06)
            & (abs(pixels[:, :, 2] - 0xB4 / 255) < 0.06)
        )

        assert (1600, 1000) == pixels.shape[:2]
        assert blue.sum() > 500


class TestCommand:
    @pytest.mark.parametrize(
        ("fmt", "suffix"),
        [("md", ".md"), ("html", ".html"), ("json", ".json")],
    )
    def test_writes_each_format(self, tmp_path, fmt, suffix):
        """`maturity report` writes Markdown (+ chart), HTML and JSON."""
        out = tmp_path / f"report{suffix}"

        status = run(
            ["report", EXAMPLE, "--format", fmt, "-o", str(out)],
            io.StringIO(),
            io.StringIO(),
        )

        assert 0 == status
        assert out.stat().st_size > 1000
        if fmt == "md":
            assert (tmp_path / "report.radar.png").is_file()
            assert "report.radar.png" in out.read_text("utf-8")

    def test_report_reads_a_questionnaire(self, tmp_path):
        """A filled XLSX questionnaire can be reported directly."""
        pack = mc.load_pack("db12t1073")
        sheet = tmp_path / "q.xlsx"
        mc.questionnaire.write_questionnaire(
            pack, sheet, assessment=mc.Assessment.from_path(EXAMPLE)
        )
        out = io.StringIO()

        assert 0 == run(
            ["report", str(sheet), "--format", "json"], out, io.StringIO()
        )
        assert "2" == str(json.loads(out.getvalue())["summary"]["level"])

    def test_report_never_overwrites_its_input(self, tmp_path):
        """-o naming the assessment is refused."""
        copy = tmp_path / "a.json"
        copy.write_bytes(Path(EXAMPLE).read_bytes())
        before = copy.read_bytes()

        assert 2 == run(
            ["report", str(copy), "-o", str(copy)],
            io.StringIO(),
            io.StringIO(),
        )
        assert before == copy.read_bytes()
