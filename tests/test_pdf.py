"""PDF reports rendered by WeasyPrint, read back with pypdf: pages, page
numbers, contents, bookmarks, embedded fonts and selectable CJK text."""

from __future__ import annotations

import html
import io
import re
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

import maturity_core as mc
from maturity_core.cli import run
from maturity_core.report._pdf import print_html


EXAMPLE = "examples/db12t1073-discrete.json"

#: The rubric's rating ids and the pack's rule id: internal names that a
#: Chinese reader should not meet.
INTERNAL_IDS = ("full", "most", "partial", "none", "cumulative-gated")


@pytest.fixture(scope="module")
def report() -> mc.report.Report:
    pack = mc.load_pack("db12t1073")
    result = mc.score(pack, mc.Assessment.from_path(EXAMPLE))
    return mc.report.build_report(pack, result)


@pytest.fixture(scope="module")
def pdf(report) -> PdfReader:
    return PdfReader(io.BytesIO(mc.report.to_pdf(report)))


@pytest.fixture(scope="module")
def text(pdf) -> str:
    return "\n".join(page.extract_text() for page in pdf.pages)


def _sections(pdf: PdfReader) -> dict[str, int]:
    """The bookmarks under the title: section heading -> page index."""
    return {
        item.title: pdf.get_destination_page_number(item)
        for item in pdf.outline[1]
        if not isinstance(item, list)
    }


def _words(text: str, words: tuple[str, ...]) -> list[str]:
    return [w for w in words if re.search(rf"(?<![\w.-]){w}(?![\w.-])", text)]


class TestLayout:
    def test_page_count(self, pdf):
        """The DB12 example report runs to 109 A4 pages."""
        assert 109 == len(pdf.pages)

    def test_pages_are_a4(self, pdf):
        """Every page is 210 x 297 mm."""
        sizes = {
            (round(float(p.mediabox.width) / 72 * 25.4),
             round(float(p.mediabox.height) / 72 * 25.4))
            for p in pdf.pages
        }  # fmt: skip

        assert {(210, 297)} == sizes

    def test_every_page_is_numbered(self, pdf):
        """Each page's foot reads "n / N"."""
        n = len(pdf.pages)
        feet = [page.extract_text().split("\n")[-1] for page in pdf.pages]

        assert [f"{i} / {n}" for i in range(1, n + 1)] == feet

    def test_contents_list_sections_with_their_pages(self, pdf, report):
        """The first page lists each section with the page it starts on."""
        first = pdf.pages[0].extract_text()
        outline = _sections(pdf)

        assert "目录" in first
        assert "能力子域诊断分析" in outline
        for title, page in outline.items():
            assert re.search(rf"{re.escape(title)}\s*\.+\s*{page + 1}\b", first)

    def test_bookmarks_follow_the_headings(self, pdf, report):
        """The outline has the title, then each section."""
        top = pdf.outline[0]
        sections = list(_sections(pdf))

        assert report.title == top.title
        assert ["评估结论", "成熟度等级阶梯", "各等级能力域得分热力图",
                "各等级能力域得分图", "评估强项", "主要不足",
                "能力子域诊断分析", "改进提升建议",
                "附录：评分、证据与备注"] == sections  # fmt: skip


class TestFonts:
    def test_every_font_is_embedded(self, pdf):
        """Each font of each page carries its font program."""
        missing = set()
        for page in pdf.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                desc = (
                    font["/DescendantFonts"][0].get_object()
                    if "/DescendantFonts" in font
                    else font
                )["/FontDescriptor"].get_object()
                if not {"/FontFile", "/FontFile2", "/FontFile3"} & set(desc):
                    missing.add(font["/BaseFont"])

        assert set() == missing

    def test_the_cjk_font_is_a_subset(self, pdf):
        """The CJK font is embedded as a subset (tagged XXXXXX+Name)."""
        names = {
            str(font.get_object()["/BaseFont"])
            for page in pdf.pages
            for font in page["/Resources"]["/Font"].values()
        }

        assert any(re.fullmatch(r"/[A-Z]{6}\+ReportCJK", n) for n in names)


class TestText:
    def test_names_the_organisation_and_level(self, text, report):
        """The extracted text has the organisation and the level's name."""
        meta = report.result.assessment.metadata

        assert meta.organisation in text
        assert "二级（规范级）" in text

    def test_chinese_text_is_selectable(self, text):
        """Section headings and requirement texts extract as characters."""
        assert "能力子域诊断分析" in text
        assert "应培养或引进智能制造" in text

    def test_summary_page_shows_no_rating_id(self, pdf):
        """The first page (title, contents, summary) speaks no rating id."""
        first = pdf.pages[0].extract_text()

        assert [] == _words(first, INTERNAL_IDS[:4])

    def test_zh_text_shows_no_internal_id(self, text):
        """No rating id and no rule id appears as a word in the zh PDF."""
        assert [] == _words(text, INTERNAL_IDS)

    def test_has_a_strengths_section(self, pdf):
        """A section heading (a bookmark) names the strengths (评估强项)."""
        assert "评估强项" in _sections(pdf)


class TestPrintHtml:
    @pytest.mark.property
    @given(st.lists(st.text(min_size=1, max_size=20), max_size=8))
    def test_contents_list_every_section_once_in_order(self, titles):
        """Law: one contents entry per section heading, in order, each
        linking to a distinct id that its heading carries."""
        body = "".join(f"<h2>{html.escape(t)}</h2>" for t in titles)
        page = print_html(f"<body><h1>T</h1>{body}</body>", "en")
        links = re.findall(r"<li class='h2'><a href='#([^']*)'>", page)

        assert len(titles) == len(links) == len(set(links))
        for ident, title in zip(links, titles, strict=True):
            assert f"<h2 id='{ident}'>{html.escape(title)}</h2>" in page

    def test_sections_get_ids_and_contents_entries(self):
        """Each <h2> gets an id and a contents entry linking to it."""
        page = print_html(
            "<html><head></head><body><h1>T</h1><h2>A &amp; B</h2>"
            "<h2 id='kept'>C</h2></body></html>",
            "en",
        )

        assert "<h2 id='section-1'>A &amp; B</h2>" in page
        assert "<h2 id='kept'>C</h2>" in page
        assert "<a href='#section-1'>A &amp; B</a>" in page
        assert "<a href='#kept'>C</a>" in page
        assert "<h2>Contents</h2>" in page

    def test_contents_follow_the_title(self):
        """The contents come right after the title heading."""
        page = print_html("<body><h1>T</h1><p>x</p><h2>A</h2></body>", "zh")

        assert page.index("</h1>") + 5 == page.index("<nav class='toc'")
        assert "<h2>目录</h2>" in page

    def test_print_styles_set_a4_and_page_numbers(self):
        """The page is A4 and its foot counts pages."""
        page = print_html("<html><head></head><body></body></html>", "en")

        assert "size:A4" in page
        assert "counter(page) ' / ' counter(pages)" in page


class TestCommand:
    def test_writes_the_pdf(self, tmp_path):
        """`maturity report --format pdf -o FILE` writes a PDF."""
        out = tmp_path / "report.pdf"

        status = run(
            ["report", EXAMPLE, "--format", "pdf", "-o", str(out)],
            io.StringIO(),
            io.StringIO(),
        )

        assert 0 == status
        assert out.read_bytes().startswith(b"%PDF-")
        assert 109 == len(PdfReader(out).pages)

    def test_needs_an_output_file(self):
        """A PDF is not written to stdout: without -o it is a usage error."""
        err = io.StringIO()

        status = run(["report", EXAMPLE, "--format", "pdf"], io.StringIO(), err)

        assert 2 == status
        assert "needs -o FILE" in err.getvalue()

    def test_missing_engine_is_one_line(self, tmp_path):
        """Without WeasyPrint: exit 1, one line naming the extra, no file."""
        out = tmp_path / "report.pdf"
        code = (
            "import sys; sys.modules['weasyprint'] = None\n"
            "from maturity_core.cli import main\n"
            f"sys.argv = ['maturity', 'report', {EXAMPLE!r}, '--format', "
            f"'pdf', '-o', {str(out)!r}]\n"
            "main()"
        )

        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )

        assert 1 == done.returncode
        assert 1 == len(done.stderr.splitlines())
        assert "pip install 'maturity-core[pdf]'" in done.stderr
        assert not out.exists()
