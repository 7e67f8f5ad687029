"""
Hostile text in file formats: Markdown outputs render names as text,
charts draw any name, CSV cells never run as formulas and read back
exactly, batch keys stay strings, and XLSX workbooks are read within
bounds.
"""

from __future__ import annotations

import copy
import html
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import maturity_core as mc
from maturity_core._authoring import pack_markdown
from maturity_core._escape import (
    from_csv_cell,
    md_cell,
    md_text,
    to_csv_cell,
)


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


def _report(pack: mc.Pack, **metadata: Any) -> mc.Report:
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
    return mc.build_report(pack, mc.score(pack, assessment), lang="en")


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
            mc.to_markdown(_report(_pack(), organisation=HOSTILE))
        )
        assert "<img" not in page
        assert _escape_html(HOSTILE) in page

    def test_a_newline_in_a_node_name_injects_no_heading(self):
        """A node name with a line break and '#' stays in its heading."""

        def edit(data):
            data["nodes"][0]["children"][0]["name"]["en"] = "A1\n# injected"

        page = MARKDOWN.render(mc.to_markdown(_report(_pack(edit))))
        assert 1 == page.count("<h1>")
        assert "<h3>A / A1 # injected</h3>" in page

    def test_a_pipe_in_a_level_name_keeps_the_table_shape(self):
        """A level name with '|' and markup stays in one table cell."""

        def edit(data):
            data["levels"][0]["name"]["en"] = "L1 | <b>x</b>"

        page = MARKDOWN.render(mc.to_markdown(_report(_pack(edit))))
        assert "<td>L1 | &lt;b&gt;x&lt;/b&gt;</td>" in page
        assert "<b>" not in page

    def test_the_chart_link_is_one_link(self):
        """A chart file name with spaces and brackets stays one link."""
        text = mc.to_markdown(_report(_pack()), chart="my (v2) radar.png")
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

        png = mc.radar_png(_report(_pack(edit)))
        assert b"\x89PNG" == png[:4]
