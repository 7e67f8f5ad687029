"""The CJK font that reports embed and charts draw with: the shipped
subset of Noto Sans CJK SC, its licence, and its fallbacks."""

from __future__ import annotations

import base64
import io
import re
from importlib.resources import files

import pytest
from fontTools.ttLib import TTFont

import maturity_core as mc
from maturity_core.report import _fonts


@pytest.fixture(scope="module")
def cmap() -> dict[int, str]:
    return TTFont(str(_fonts.FONT_FILE)).getBestCmap()


def _gb2312_hanzi() -> set[str]:
    """The 6,763 hanzi of GB 2312 (rows 16 to 87), from the codec."""
    return {
        bytes((row, col)).decode("gb2312")
        for row in range(0xB0, 0xF8)
        for col in range(0xA1, 0xFF)
        if not (row == 0xD7 and col > 0xF9)
    }


def test_the_font_and_its_licence_ship():
    """The subset and its OFL licence are in the installed package."""
    fonts = files("maturity_core").joinpath("report", "fonts")
    licence = fonts.joinpath("LICENSE").read_text("utf-8")

    assert fonts.joinpath("NotoSansCJKscSubset-Regular.otf").is_file()
    assert "SIL OPEN FONT LICENSE" in licence
    assert "Reserved Font Name 'Source'" in licence


def test_the_subset_is_renamed(cmap):
    """A modified version carries its own family name."""
    name = TTFont(str(_fonts.FONT_FILE))["name"]

    assert _fonts.FAMILY == name.getDebugName(1)


def test_every_gb2312_hanzi_has_a_glyph(cmap):
    """The 6,763 hanzi of everyday simplified Chinese are all covered."""
    hanzi = _gb2312_hanzi()

    assert 6763 == len(hanzi)
    assert set() == {ch for ch in hanzi if ord(ch) not in cmap}


def test_every_report_label_has_a_glyph(cmap):
    """The report's message catalogue is fully covered."""
    from maturity_core.report._messages import _EN, _ZH

    text = "".join([*_EN.values(), *_ZH.values()])

    assert set() == {ch for ch in text if ord(ch) not in cmap}


def test_every_bundled_pack_text_has_a_glyph(cmap):
    """Titles, names and requirement texts of the bundled packs render."""
    for pack_id in ("db12t1073", "gbt39116", "bcgrading"):
        pack = mc.load_pack(pack_id)
        text = "".join(
            r.text.get("zh") + pack.nodes[r.node].name.get("zh")
            for r in pack.requirements
        )

        assert set() == {ch for ch in text if ord(ch) not in cmap}, pack_id


def test_a_page_subset_has_only_the_glyphs_it_needs():
    """A page embeds the characters it uses, not the whole font."""
    text = "成熟度等级 Level 2"
    font = TTFont(io.BytesIO(mc.report.font_subset(text)))

    assert {ord(ch) for ch in set(text)} == set(font.getBestCmap())


def test_font_face_embeds_the_subset_as_data():
    """The @font-face rule carries the subset as a base64 data URI."""
    css = _fonts.font_face_css("诊断报告")
    data = re.search(r"base64,([A-Za-z0-9+/=]+)\)", css)

    assert data is not None
    assert css.startswith("@font-face{font-family:'ReportCJK';")
    assert TTFont(io.BytesIO(base64.b64decode(data[1]))).getBestCmap()


def test_css_stack_falls_back_to_system_cjk_fonts():
    """A character outside the subset is left to the reader's CJK fonts."""
    stack = _fonts.css_font_stack().split(",")

    assert "'ReportCJK'" == stack[0]
    assert "'Noto Sans CJK SC'" in stack
    assert "sans-serif" == stack[-1]


def test_charts_draw_with_the_shipped_font():
    """Matplotlib resolves chart text to the shipped subset first."""
    from matplotlib import font_manager

    props = _fonts.cjk_font()

    assert str(_fonts.FONT_FILE) == font_manager.findfont(props)
    assert "DejaVu Sans" == props.get_family()[-1]


def test_the_same_text_gives_the_same_subset_at_any_time(monkeypatch):
    """The subset keeps the font's timestamp, so reports are reproducible."""
    from fontTools.ttLib.tables import _h_e_a_d

    monkeypatch.setattr(_h_e_a_d, "timestampNow", lambda: 3_000_000_000)
    first = mc.report.font_subset("诊断报告 S = 2.27")
    monkeypatch.setattr(_h_e_a_d, "timestampNow", lambda: 3_000_086_400)

    assert first == mc.report.font_subset("诊断报告 S = 2.27")
