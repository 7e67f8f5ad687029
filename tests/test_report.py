"""Diagnostic reports: a golden file per section, the words a reader sees,
the charts, the HTML page in a real headless Chromium, and the command."""

from __future__ import annotations

import colorsys
import io
import json
import os
import re
import shutil
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from jsonschema import Draft202012Validator

import maturity_core as mc
import maturity_core.testing
from maturity_core._schema import schema
from maturity_core.cli import run
from maturity_core.report._charts import _radar_figure, heat_colour
from maturity_core.report._messages import CATALOGUE, LANGS, message
from maturity_core.report._render import SECTIONS

from . import strategies as gen


EXAMPLE = "examples/db12t1073-discrete.json"


@pytest.fixture(scope="module")
def pack() -> mc.Pack:
    return mc.load_pack("db12t1073")


@pytest.fixture(scope="module")
def result(pack) -> mc.Result:
    return mc.score(pack, mc.Assessment.from_path(EXAMPLE))


@pytest.fixture(scope="module")
def report(pack, result) -> mc.report.Report:
    return mc.report.build_report(pack, result)


@pytest.fixture(scope="module")
def markdown(report) -> str:
    return mc.report.to_markdown(report, chart="radar.png")


@pytest.fixture(scope="module")
def page(report) -> str:
    return mc.report.to_html(report)


def _vector_report(pack_id: str, index: int = -1, lang: str | None = None):
    pack = mc.load_pack(pack_id)
    vector = list(mc.testing.iter_vectors(pack))[index]
    result = mc.testing.run_vector(pack, vector).result
    return mc.report.build_report(pack, result, lang=lang)


def _sections(text: str) -> dict[str, str]:
    """The Markdown of each section, keyed by its anchor."""
    parts = re.split(r'^<a id="([a-z]+)"></a>\n', text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


class _Text(HTMLParser):
    """The text a reader sees: no styles, no small-print ids."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "title") or ("class", "id") in attrs:
            self._skip.append(tag)

    def handle_endtag(self, tag):
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _visible(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(parser.parts)


def _internal_ids(pack, result) -> set[str]:
    """Ids a reader must never meet as words."""
    meta = result.assessment.metadata
    return {
        *(o.id for r in pack.rubrics.values() for o in r.options),
        result.rule,
        *pack.method.rules,
        meta.mode or "",
        *(a.role or "" for a in meta.assessors),
        *(e.method or "" for r in result.assessment.ratings for e in r.evidence),
        *pack.requirements_by_id,
        *(n for n in pack.nodes if n != "$root"),
    } - {""}


def _ids_in(text: str, ids: set[str]) -> list[str]:
    return sorted(
        i
        for i in ids
        if re.search(rf"(?<![\w.-]){re.escape(i)}(?![\w.-])", text)
    )


class TestSections:
    @pytest.mark.parametrize("section", SECTIONS)
    def test_section_golden(self, markdown, golden, section):
        """Each section of the DB12 example report is stable (golden)."""
        golden(
            f"report/db12t1073-discrete.{section}.md",
            _sections(markdown)[section],
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

    def test_sections_come_in_order(self, markdown):
        """Cover to appendix, each once, in the order of a report."""
        assert list(SECTIONS) == re.findall(
            r'^<a id="([a-z]+)"></a>$', markdown, flags=re.MULTILINE
        )

    @pytest.mark.parametrize(
        ("pack_id", "lang"),
        [
            ("db12t1073", "zh"),
            ("bcgrading", "en"),
            ("practicecap", "de"),
            ("devpractice", None),
        ],
    )
    def test_json_matches_its_schema(self, pack_id, lang):
        """The JSON report validates against report.schema.json."""
        if pack_id == "db12t1073":
            pack = mc.load_pack(pack_id)
            result = mc.score(pack, mc.Assessment.from_path(EXAMPLE))
            report = mc.report.build_report(pack, result, lang=lang)
        else:
            report = _vector_report(pack_id, lang=lang)
        errors = list(
            Draft202012Validator(schema("report")).iter_errors(
                report.to_dict()
            )
        )

        assert [] == errors


class TestWords:
    def test_no_internal_id_in_the_markdown_text(self, pack, result, markdown):
        """Rating, rule, mode, role and node ids appear only as small ids."""
        text = re.sub(r"`[^`]*`", "", markdown)
        text = re.sub(r"<a id=\"[a-z]+\"></a>", "", text)

        assert [] == _ids_in(text, _internal_ids(pack, result))

    def test_no_internal_id_in_the_html_text(self, pack, result, page):
        """The page a reader sees names ratings and rules in Chinese."""
        assert [] == _ids_in(_visible(page), _internal_ids(pack, result))

    def test_rating_names_are_localised(self, markdown):
        """The rubric's Chinese names replace its ids."""
        assert "大部分满足" in markdown
        assert "(most)" not in markdown

    def test_ids_follow_the_text_in_gap_lists(self, report, markdown):
        """A gap reads: text — rating name, then the id in small print."""
        gap = report.diagnoses[0].gaps[0]

        assert (
            f"- {gap.text} — {gap.rating_name} `{gap.requirement}`"
            in markdown
        )

    def test_headings_never_repeat_a_name(self, report):
        """A leaf named like its parent is shown once (人员技能)."""
        skills = next(d for d in report.diagnoses if d.node == "personnel-skills")

        assert ("人员",) == skills.path

    def test_english_labels(self, pack, result):
        """lang=en switches the catalogue's words and the pack's names."""
        text = mc.report.to_markdown(
            mc.report.build_report(pack, result, lang="en")
        )

        assert "## Capability subdomain diagnosis" in text
        assert "Personnel skills" in text
        assert "Current state" in text

    def test_a_language_the_catalogue_lacks_falls_back_to_english(self):
        """practicecap in German: its names in German, the report's words
        in English."""
        text = mc.report.to_markdown(_vector_report("practicecap", lang="de"))

        assert text.count("# Praxis-Fähigkeitsprofil\n") == 1
        assert "## Praktik diagnosis" in text
        assert "## Conclusion" in text

    def test_language_defaults_to_the_packs_first(self, report):
        """Without a language the report speaks the pack's main one."""
        assert "zh" == report.lang


class TestCatalogue:
    @pytest.mark.parametrize("lang", LANGS)
    def test_every_key_exists_in_every_language(self, lang):
        """Each language has every key (singular forms are optional)."""
        base = {k for k in CATALOGUE["en"] if not k.endswith(".one")}

        assert base == {
            k for k in CATALOGUE[lang] if not k.endswith(".one")
        }

    @pytest.mark.parametrize("lang", LANGS)
    def test_every_language_has_the_same_fields(self, lang):
        """A key's placeholders are the same in every language."""
        fields = re.compile(r"\{(\w+)\}")
        different = [
            key
            for key, text in CATALOGUE[lang].items()
            if set(fields.findall(text))
            != set(fields.findall(CATALOGUE["en"][key]))
        ]

        assert [] == different

    def test_a_singular_form_is_used_for_one(self):
        """English says "1 requirement", not "1 requirements"."""
        assert "1 requirement" == message("state.count", "en", n=1)

    def test_an_unknown_language_speaks_english(self):
        """German falls back to the English text."""
        assert message("conclusion", "en") == message("conclusion", "de-AT")


class TestCover:
    def test_cover_names_the_assessment(self, report, markdown):
        """Report number, body, organisation, scope, dates, team, mode."""
        cover = _sections(markdown)["cover"]

        for text in (
            "| 报告编号 | EX-2026-0042 |",
            "| 评定机构 | 示例评估中心 (fictional example) |",
            "| 评估范围 | 总部及一号工厂的设计、生产、物流、销售与服务 |",
            "| 评估时间 | 2026-10-12 至 2026-10-14 |",
            "| 评估组 | Assessor A（组长）、Assessor B（组员）、Assessor C（组员） |",
            "| 评估方式 | 外部评估 |",
            "| 评估域 | 离散型制造企业 |",
        ):
            assert text in cover

    def test_cover_leaves_out_what_the_assessment_lacks(self):
        """A vector without cover metadata has no empty rows."""
        report = _vector_report("bcgrading", lang="en")
        text = _sections(mc.report.to_markdown(report))["cover"]

        assert "Report number" not in text
        assert "| Profile |" in text


class TestConclusion:
    def test_names_the_level_the_gate_and_the_weakest(self, result, report):
        """Level 2 reached; level 3's score misses the gate by its gap."""
        c = report.conclusion
        x3 = result.level_scores[2]

        assert (2, 3, 3, Fraction(4, 5) - x3) == (
            c.level,
            c.next_level,
            c.gate_level,
            c.gate_shortfall,
        )
        assert c.text.startswith(
            "示例精密机械有限公司 (fictional example)达到二级（规范级）"
        )

    def test_weakest_are_the_gap_analysis_weakest(self, pack, result, report):
        """The three weakest leaves come from gap_analysis."""
        weak = mc.analysis.gap_analysis(pack, result).weaknesses[:3]

        assert tuple(w.node for w in weak) == report.conclusion.weakest
        for w in weak:
            assert pack.nodes[w.node].name.zh in report.conclusion.text

    def test_score_shortfall_is_the_next_band_minus_s(self, result, report):
        """S is short of 2.8 by exactly 2.8 − S."""
        assert Fraction(14, 5) - result.score == (
            report.conclusion.score_shortfall
        )

    def test_at_the_top_level_no_gate_is_blamed(self):
        """bcgrading at level 4 of 5: no level above the failing one."""
        report = _vector_report("bcgrading", lang="en")

        assert report.conclusion.gate_level is None
        assert "below the gate" not in report.conclusion.text

    def test_an_additive_pack_has_no_gate_sentence(self):
        """practicecap: the S shortfall, no gate."""
        report = _vector_report("practicecap", lang="en")

        assert (None, None) == (report.gate, report.conclusion.gate_level)
        assert "needs an overall score of 2.50" in report.conclusion.text


class TestLadder:
    def test_ladder_runs_from_the_top_with_the_packs_descriptions(
        self, pack, report
    ):
        """Five rungs, top first, each described by the pack."""
        assert [5, 4, 3, 2, 1] == [s.number for s in report.ladder]
        assert [lv.description.zh for lv in reversed(pack.levels)] == [
            s.description for s in report.ladder
        ]

    def test_ladder_marks_the_current_level_and_the_target(self, report):
        """Level 2 is current, level 3 the target."""
        assert [(2, "reached")] == [
            (s.number, s.status) for s in report.ladder if s.current
        ]
        assert [3] == [s.number for s in report.ladder if s.status == "target"]


class TestHeatMap:
    def test_a_cell_per_charted_node_and_level(self, report, page):
        """13 domains × 5 levels of coloured cells."""
        assert 13 * 5 == page.count("<td class='cell'")

    @pytest.mark.parametrize(
        ("value", "hue"),
        [(Fraction(0), 0), (Fraction(1, 2), 60), (Fraction(1), 120)],
    )
    def test_colour_runs_from_red_to_green(self, value, hue):
        """0 is red, 1/2 yellow, 1 green."""
        assert f"hsl({hue},70%,78%)" == heat_colour(value)

    def test_the_heat_map_has_header_rows_and_columns(self, page):
        """Column heads are the level names; row heads the domains."""
        heat = page.split("<section id='heatmap'>", 1)[1].split("</section>")[0]

        assert "<th scope='col'>一级（规划级）</th>" in heat
        assert "<th scope='row'>人员技能</th>" in heat


class TestStrengthsAndWeaknesses:
    def test_strengths_reach_the_overall_level(self, result, report):
        """Every strength is a leaf at or above level 2."""
        assert report.strengths
        assert all(
            result.node_levels[s.node] >= result.level for s in report.strengths
        )

    def test_strengths_name_fully_met_requirements(self, result, report):
        """Each named requirement of a strength is rated full."""
        ratings = result.assessment.ratings_by_id

        assert {"full"} == {
            ratings[q.requirement]
            for s in report.strengths
            for q in s.requirements
        }

    def test_weaknesses_name_their_largest_gaps(self, pack, result, report):
        """A weakness names its leaf's gaps with the largest gain first."""
        analysis = mc.analysis.gap_analysis(pack, result)
        first = report.weaknesses[0]
        gaps = [g.requirement for g in analysis.gaps if g.node == first.node]

        assert gaps[:3] == [q.requirement for q in first.requirements]
        assert len(gaps) - 3 == first.more

    def test_strengths_heading_is_the_standards_word(self, markdown):
        """评估强项 (DB12 §8.3.5 asks for the strengths)."""
        assert "## 评估强项" in markdown


class TestNodes:
    def test_current_state_names_fully_and_partly_met_items(self, report):
        """人员技能 at level 1: which items are fully and partly met."""
        skills = next(d for d in report.diagnoses if d.node == "personnel-skills")

        assert (
            "一级（规划级）：人员部署、创新能力和资源工具全部满足；"
            "人力资源和人员技能部分满足。"
        ) == skills.state[1]

    def test_every_leaf_has_state_gap_and_prediction(self, markdown):
        """现状描述, 差距分析 and 成熟度预计 for each of the 23 leaves."""
        nodes = _sections(markdown)["nodes"]

        assert (23, 23, 23) == (
            nodes.count("**现状描述**"),
            nodes.count("**差距分析**"),
            nodes.count("**成熟度预计**"),
        )

    def test_prediction_follows_the_roadmap(self, pack, result, report):
        """The predicted level is the leaf's level after the plan."""
        plan = mc.analysis.improvement_plan(pack, result, target=3)

        assert {
            d.node: plan.result.node_levels[d.node] for d in report.diagnoses
        } == {d.node: d.predicted_level for d in report.diagnoses}

    def test_prediction_gives_its_reason(self, report):
        """A raised leaf says how many steps and which score rises."""
        network = next(d for d in report.diagnoses if d.node == "network")

        assert network.prediction.startswith("预计")
        assert "改进路线在此安排 3 项提升" in network.prediction

    def test_interviews_show_under_their_node(self, markdown):
        """The information-security interview, with its people."""
        nodes = _sections(markdown)["nodes"]
        security = nodes.split("### 信息安全", 1)[1].split("### ", 1)[0]

        assert "- 受访部门：信息中心、设备部" in security
        assert "- 诊断人员：Assessor A、Assessor B" in security

    def test_an_interview_of_a_domain_shows_under_its_leaves(self, report):
        """An interview of production-operations shows under that leaf."""
        shown = {d.node for d in report.diagnoses if d.interviews}

        assert {"information-security", "production-operations"} == shown


class TestRoadmap:
    def test_steps_follow_the_plan(self, pack, result, report):
        """The roadmap holds the plan's upgrades, grouped by domain."""
        plan = mc.analysis.improvement_plan(pack, result, target=3)

        assert sorted(u.requirement for u in plan.upgrades) == sorted(
            s.line.requirement for s in report.roadmap.steps
        )
        assert len({g.node for g in report.roadmap.groups}) == len(
            report.roadmap.groups
        )

    def test_steps_show_the_rating_change_in_words(self, markdown):
        """不满足 → 全部满足, never ids."""
        assert "| 不满足 → 全部满足 |" in _sections(markdown)["roadmap"]

    def test_effort_is_shown_where_given(self, pack, result):
        """With an effort file each step shows its effort, and the total."""
        effort = {"network.network-coverage.l3": 5}
        report = mc.report.build_report(pack, result, effort=effort)
        text = _sections(mc.report.to_markdown(report))["roadmap"]
        plan = mc.analysis.improvement_plan(
            pack, result, target=3, effort=effort
        )

        assert plan.effort == report.roadmap.effort
        assert "| 工作量 |" in text
        assert f"总工作量 {plan.effort}.00。" in text

    def test_no_effort_column_without_an_effort_file(self, markdown):
        """The default plan shows no effort."""
        assert "工作量" not in _sections(markdown)["roadmap"]

    def test_a_reached_target_needs_no_roadmap(self, pack, result):
        """Target 2 is reached: the roadmap says so."""
        report = mc.report.build_report(pack, result, target=2)

        assert () == report.roadmap.groups
        assert "已达到二级（规范级）" in report.roadmap.intro


class TestAppendix:
    def test_every_rating_appears_once(self, result, report):
        """The appendix lists each rated requirement of the assessment."""
        listed = [
            e.line.requirement for g in report.appendix for e in g.entries
        ]

        assert sorted(r.requirement for r in result.assessment.ratings) == (
            sorted(listed)
        )

    def test_evidence_and_notes_are_shown(self, markdown):
        """Evidence with its method in words, and the assessor's note."""
        appendix = _sections(markdown)["appendix"]

        assert "信息安全管理制度（2025 版）（文件审查、2026-10-12）" in appendix
        assert "补丁未全覆盖" in appendix


class TestOtherPacks:
    def test_title_and_tiers_come_from_the_pack(self):
        """A business-continuity report carries its own title and tiers."""
        report = _vector_report("bcgrading", index=0)
        text = mc.report.to_markdown(report)

        assert "\n# 智能制造组织业务连续性等级评价报告\n" in text
        assert "## 各等级能力域得分热力图" in text
        assert "## 能力子域诊断分析" in text
        assert "能力成熟度诊断报告" not in text

    def test_dimension_scores_follow_the_heat_map(self):
        """bcgrading's dimensions, by name, in the heat map section."""
        report = _vector_report("bcgrading", lang="en")
        heat = _sections(mc.report.to_markdown(report))["heatmap"]

        assert "### Dimension scores" in heat
        for d in report.result.dimensions.values():
            assert f"| {d.name.en} |" in heat

    def test_bcgrading_ladder_uses_its_tiers_of_levels(self):
        """The ladder shows bcgrading's own level names."""
        report = _vector_report("bcgrading", index=0)

        assert "一级（基本级/起始级）" == report.ladder[-1].name

    @pytest.mark.parametrize("pack_id", ["practicecap", "devpractice"])
    def test_a_pack_of_another_shape_has_every_section(self, pack_id):
        """Other tiers, rules and aggregations: every section renders."""
        report = _vector_report(pack_id)
        text = mc.report.to_markdown(report, chart="r.png")

        assert list(SECTIONS) == list(_sections(text))

    def test_devpractice_reports_in_its_own_words(self):
        """devpractice: its report title and tiers."""
        text = mc.report.to_markdown(_vector_report("devpractice", index=0))

        assert "\n# Software delivery practice assessment\n" in text
        assert "## Practice area scores by level" in text
        assert "## Practice diagnosis" in text

    def test_a_pack_without_bands_has_no_roadmap(self, tmp_path):
        """No levels to reach: the roadmap says why, nothing breaks."""
        data = json.loads(
            Path("tests/fixtures/packs/tiny/pack.json").read_text("utf-8")
        )
        del data["method"]["bands"]
        pack = mc.load_pack(data)
        result = mc.score(
            pack,
            mc.Assessment.from_dict(
                {
                    "pack": pack.id,
                    "ratings": [
                        {"id": r.id, "rating": pack.rubric.top.id}
                        for r in pack.requirements
                    ],
                }
            ),
        )
        report = mc.report.build_report(pack, result, lang="en")

        assert message("roadmap.no_levels", "en") == report.roadmap.note
        assert "## Improvement roadmap" in mc.report.to_markdown(report)


class TestLaws:
    @settings(max_examples=25, deadline=None)
    @given(gen.general_packs_and_assessments())
    def test_every_pack_shape_gives_every_section(self, pair):
        """Any tiers, rule, aggregation, rubric or bands: every section
        renders and the JSON form follows its schema."""
        data, raw = pair
        pack = mc.load_pack(data)
        result = mc.score(pack, mc.Assessment.from_dict(raw))
        report = mc.report.build_report(pack, result, lang="zh")
        text = mc.report.to_markdown(report, chart="r.png")
        errors = list(
            Draft202012Validator(schema("report")).iter_errors(
                report.to_dict()
            )
        )

        assert list(SECTIONS) == list(_sections(text))
        assert [] == errors


class TestChart:
    def test_radar_renders_cjk_labels(self, report):
        """The chart draws Chinese labels with a CJK font."""
        png = mc.report.radar_png(report)

        assert png.startswith(b"\x89PNG")
        assert len(png) > 50_000

    def test_radar_draws_the_gate_ring(self, report):
        """A dashed ring at the gate, named in the legend."""
        fig = _radar(report)
        rings = [
            line
            for line in fig.axes[0].get_lines()
            if set(line.get_ydata()) == {0.8}
        ]
        legend = [t.get_text() for t in fig.legends[0].get_texts()]

        assert 1 == len(rings)
        assert "门限 0.80" in legend

    def test_labels_legend_and_title_never_overlap(self, report):
        """Spoke labels, ring labels, legend and title are apart."""
        fig = _radar(report)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        spokes = [
            t.get_window_extent(renderer)
            for t in ax.get_xticklabels()
            if t.get_text()
        ]
        rings = [
            t.get_window_extent(renderer)
            for t in ax.get_yticklabels()
            if t.get_text()
        ]
        legend = fig.legends[0].get_window_extent(renderer)
        title = fig._suptitle.get_window_extent(renderer)
        boxes = [*spokes, *rings, legend, title]
        overlaps = [
            (i, j)
            for i, a in enumerate(boxes)
            for j, b in enumerate(boxes)
            if i < j and a.overlaps(b)
        ]

        assert [] == overlaps

    def test_legend_is_outside_the_plot(self, report):
        """The legend sits below the polar plot."""
        fig = _radar(report)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        legend = fig.legends[0].get_window_extent(renderer)
        plot = fig.axes[0].get_tightbbox(renderer)

        assert legend.y1 < plot.y0

    def test_font_subset_covers_the_text(self):
        """The embedded font has a glyph for every character it was cut for."""
        from fontTools.ttLib import TTFont

        text = "各等级能力域得分维度图 现状描述"
        font = TTFont(io.BytesIO(mc.report.font_subset(text)))
        cmap = font.getBestCmap()

        assert all(ord(ch) in cmap for ch in text)


def _radar(report):
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = _radar_figure(
        report.result.pack,
        [(name, scores) for _, name, scores in report.charted],
        title=message("radar", report.lang, tier=report.chart_tier),
        lang=report.lang,
        gate=report.gate,
    )
    plt.close(fig)
    FigureCanvasAgg(fig)  # a canvas that draws, for the text extents
    return fig


class TestHtml:
    def test_page_is_self_contained(self, page):
        """No external URL: the chart and the font are embedded."""
        assert "data:image/png;base64," in page
        assert "data:font/otf;base64," in page
        assert "http://" not in page
        assert "https://" not in page
        assert "<script" not in page

    def test_every_section_has_its_id_and_heading(self, page):
        """A section per part, with an h1 (cover) or an h2."""
        found = re.findall(r"<section id='([a-z]+)'><(h[12])>", page)

        assert [(s, "h1" if s == "cover" else "h2") for s in SECTIONS] == found

    def test_tables_have_header_rows(self, page):
        """Roadmap and appendix tables open with a header row."""
        roadmap = page.split("<section id='roadmap'>", 1)[1]

        assert "<thead><tr><th scope='col'>步骤</th>" in roadmap

    def test_print_styles_for_a4(self, page):
        """Print rules: A4 pages, a break before each major section."""
        assert "@page{size:A4" in page
        assert "@media print" in page
        assert "break-before:page" in page


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


@pytest.fixture(scope="module")
def browser():
    chromium = _chromium()
    sync = pytest.importorskip("playwright.sync_api")
    with sync.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page_file(page, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(page, "utf-8")
    return path


def _open(browser, page_file, width):
    tab = browser.new_page(viewport={"width": width, "height": 1000})
    tab.goto(page_file.as_uri())
    tab.wait_for_load_state("load")
    return tab


def _rgb(css_hsl: str) -> tuple[float, float, float]:
    h, s, l = (float(v) for v in re.findall(r"[\d.]+", css_hsl))
    return colorsys.hls_to_rgb(h / 360, l / 100, s / 100)


class TestLayout:
    @pytest.mark.parametrize("width", [800, 1280])
    def test_nothing_overflows_the_width(self, browser, page_file, width):
        """No horizontal scrolling at 800 px or 1280 px."""
        tab = _open(browser, page_file, width)
        overflow = tab.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        tab.close()

        assert overflow <= 0

    @pytest.mark.parametrize("width", [800, 1280])
    def test_heat_map_and_radar_do_not_overlap(self, browser, page_file, width):
        """The two charts take separate boxes inside the page."""
        tab = _open(browser, page_file, width)
        heat = tab.locator("#heatmap table").bounding_box()
        radar = tab.locator("#radar img").bounding_box()
        tab.close()
        apart = (
            heat["x"] + heat["width"] <= radar["x"]
            or heat["y"] + heat["height"] <= radar["y"]
        )

        assert apart
        assert radar["x"] + radar["width"] <= width
        assert heat["x"] + heat["width"] <= width

    def test_at_1280_px_the_radar_stands_next_to_the_heat_map(
        self, browser, page_file
    ):
        """Side by side on a wide screen."""
        tab = _open(browser, page_file, 1280)
        heat = tab.locator("#heatmap").bounding_box()
        radar = tab.locator("#radar").bounding_box()
        tab.close()

        assert heat["x"] + heat["width"] <= radar["x"]
        assert abs(heat["y"] - radar["y"]) < 5

    @pytest.mark.parametrize("width", [800, 1280])
    def test_screenshot_shows_the_radar_and_the_heat_map(
        self, browser, page_file, width
    ):
        """The radar's level 1 line and the heat map's colours are drawn."""
        from matplotlib.image import imread

        tab = _open(browser, page_file, width)
        shot = tab.locator(".charts").screenshot()
        tab.close()
        pixels = imread(io.BytesIO(shot))[:, :, :3]

        def count(rgb, tolerance=0.03):
            return int(
                (
                    (abs(pixels[:, :, 0] - rgb[0]) < tolerance)
                    & (abs(pixels[:, :, 1] - rgb[1]) < tolerance)
                    & (abs(pixels[:, :, 2] - rgb[2]) < tolerance)
                ).sum()
            )

        # Matplotlib's first line colour (level 1, tab:blue #1f77b4).
        blue = (0x1F / 255, 0x77 / 255, 0xB4 / 255)

        assert count(blue, 0.06) > 300
        assert count(_rgb(heat_colour(Fraction(1)))) > 500
        assert count(_rgb(heat_colour(Fraction(0)))) > 500


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

    def test_effort_file_reaches_the_roadmap(self, tmp_path):
        """--effort: each step's effort and the total in the roadmap."""
        effort = tmp_path / "effort.json"
        effort.write_text('{"network.network-coverage.l3": 5}', "utf-8")
        out = io.StringIO()

        status = run(
            ["report", EXAMPLE, "--format", "json", "--effort", str(effort)],
            out,
            io.StringIO(),
        )
        road = json.loads(out.getvalue())["roadmap"]

        assert 0 == status
        assert road["effort"] is not None
        assert all(s["effort"] for g in road["groups"] for s in g["steps"])

    def test_a_bad_effort_file_is_one_line_naming_it(self, tmp_path):
        """A negative effort: exit 1, the file and the path in one line."""
        effort = tmp_path / "effort.json"
        effort.write_text('{"network.network-coverage.l3": -1}', "utf-8")
        err = io.StringIO()

        status = run(
            ["report", EXAMPLE, "--effort", str(effort)],
            io.StringIO(),
            err,
        )

        assert 1 == status
        assert 1 == len(err.getvalue().strip().splitlines())
        assert str(effort) in err.getvalue()

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
