"""The HTML report in real headless Chromium: the layout holds at a
narrow and a wide window, and the embedded CJK font is the one used."""

from __future__ import annotations

import pytest

import maturity_core as mc

from . import browser


EXAMPLE = "examples/db12t1073-discrete.json"


@pytest.fixture(scope="module")
def page() -> str:
    pack = mc.load_pack("db12t1073")
    result = mc.score(pack, mc.Assessment.from_path(EXAMPLE))
    return mc.report.to_html(mc.report.build_report(pack, result))


@pytest.mark.parametrize("width", [800, 1280])
def test_no_horizontal_overflow(page, tmp_path, width):
    """Nothing is wider than the window: no sideways scrolling."""
    seen = browser.measure(page, tmp_path, width)

    assert width == seen["innerWidth"]
    assert seen["scrollWidth"] <= seen["innerWidth"]


def test_embedded_font_loads(page, tmp_path):
    """Chromium accepts the embedded CJK subset and loads it."""
    seen = browser.measure(page, tmp_path, 1280)

    assert [["ReportCJK", "loaded"]] == seen["fonts"]
