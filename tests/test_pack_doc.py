"""`pack doc --format html`: the rubric and band sections, and the CJK
font embedded as the report embeds it."""

from __future__ import annotations

import base64
import io
import re
import subprocess
import sys

import pytest
from fontTools.ttLib import TTFont

import maturity_core as mc
from maturity_core.cli import run

from . import browser


@pytest.fixture(scope="module")
def pack() -> mc.Pack:
    return mc.load_pack("db12t1073")


@pytest.fixture(scope="module")
def page() -> str:
    out = io.StringIO()
    status = run(
        ["pack", "doc", "db12t1073", "--format", "html"], out, io.StringIO()
    )
    assert 0 == status
    return out.getvalue()


def test_embeds_the_font_as_data(page):
    """An @font-face carries the font subset as a base64 data URI."""
    face = re.search(
        r"@font-face\{font-family:'ReportCJK';src:url\(data:font/otf;"
        r"base64,([A-Za-z0-9+/=]+)\)",
        page,
    )

    assert face is not None
    assert TTFont(io.BytesIO(base64.b64decode(face[1]))).getBestCmap()


def test_the_font_covers_every_character_of_the_page(page):
    """Each CJK character the page shows has a glyph in the embedded font."""
    data = re.search(r"base64,([A-Za-z0-9+/=]+)\)", page)[1]
    cmap = TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap()
    text = re.sub(r"<style>.*?</style>|<[^>]+>", "", page, flags=re.DOTALL)
    hanzi = {ch for ch in text if "\u4e00" <= ch <= "\u9fff"}

    assert len(hanzi) > 500
    assert set() == {ch for ch in hanzi if ord(ch) not in cmap}


def test_has_the_rubric_section(page, pack):
    """The rubric: each rating's name, id and value."""
    assert "<h2 id='rubric'>得分对应 (rubric)</h2>" in page
    for option in pack.rubric.options:
        assert (
            f"<tr><td>{option.name.get('zh')} (<code>{option.id}</code>)"
            f"</td><td>{option.value}</td></tr>"
        ) in page


def test_has_the_band_section(page, pack):
    """The bands: each level's lowest score, then the rule and gate."""
    assert "<h2 id='bands'>分数与等级 (bands)</h2>" in page
    for band in pack.method.bands:
        assert f"<tr><td>{band.level}</td><td>{band.min}</td></tr>" in page
    assert f"Level rule: <code>{pack.method.rule}</code>" in page


def test_without_the_report_extra_it_says_so():
    """Without fontTools the page names system fonts and says why."""
    code = (
        "import sys; sys.modules['fontTools'] = None\n"
        "from maturity_core.cli import run\n"
        "sys.exit(run(['pack', 'doc', 'db12t1073', '--format', 'html']))"
    )
    page = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    ).stdout

    assert "@font-face" not in page
    assert "pip install 'maturity-core[report]'" in page
    assert "font-family:'ReportCJK','Noto Sans CJK SC'" in page


def test_chromium_loads_the_embedded_font(page, tmp_path):
    """Headless Chromium (no CJK font installed) loads the embedded one."""
    seen = browser.measure(page, tmp_path, 1280)

    assert [["ReportCJK", "loaded"]] == seen["fonts"]
