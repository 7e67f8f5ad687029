"""A first-time user completes a DB12 self-assessment in a real browser."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path


EXAMPLE = (
    Path(__file__).resolve().parents[3]
    / "examples"
    / ("db12t1073-discrete.json")
)
PASSWORD = "correct horse battery"
SETUP_TOKEN = "first-start-code"


def _first_start(browser, server):
    context = browser.new_context(base_url=server.url, accept_downloads=True)
    page = context.new_page()
    page.goto("/")
    page.fill("input[name=token]", SETUP_TOKEN)
    page.fill("input[name=organisation]", "示例精密机械有限公司")
    page.fill("input[name=email]", "admin@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:text('Create and start')")
    page.wait_for_selector("#new-assessment")
    return page


def _create_db12(page):
    page.select_option("#pack", "db12t1073")
    page.select_option("#profile", "discrete")
    page.click("button:text('Create assessment')")
    page.click("#open-questionnaire")
    page.wait_for_selector("#page-title")


def _rate(page, index, choice):
    form = page.locator("form.req").nth(index)
    form.locator("input[name=rating]").nth(choice).check()
    form.locator(".saved").wait_for()


def _overall(page):
    return page.locator("#progress-overall").get_attribute("data-rated")


def test_first_visitor_sets_up_and_reaches_the_questionnaire(browser, server):
    """The first visitor creates the administrator and a DB12 assessment."""
    page = _first_start(browser, server)
    _create_db12(page)

    assert "0" == _overall(page)


def test_progress_is_kept_across_a_reload(browser, server):
    """Ratings saved on change are there, with their progress, on reload."""
    page = _first_start(browser, server)
    _create_db12(page)
    _rate(page, 0, 0)
    _rate(page, 1, 1)
    _rate(page, 2, 0)
    page.locator("form.req").nth(3).locator("textarea[name=evidence]").fill(
        "培训记录 2026"
    )
    page.locator("form.req").nth(3).locator("textarea[name=evidence]").blur()
    page.locator("form.req").nth(3).locator(".saved").wait_for()

    page.reload()

    assert ("3", True, "培训记录 2026") == (
        _overall(page),
        page.locator("form.req")
        .nth(1)
        .locator("input[name=rating]")
        .nth(1)
        .is_checked(),
        page.locator("form.req")
        .nth(3)
        .locator("textarea[name=evidence]")
        .input_value(),
    )


def test_progress_per_group_counts_each_save(browser, server):
    """The group's progress rises with every rating saved in it."""
    page = _first_start(browser, server)
    _create_db12(page)
    _rate(page, 0, 0)
    _rate(page, 1, 0)

    assert (
        "2/25"
        == page.locator(".group-progress[data-node=personnel]").inner_text()
    )


def _finish(page, tmp_path: Path) -> None:
    """Part by hand, the rest by importing the filled-in file."""
    _rate(page, 0, 0)
    page.click("text=Assessment 1")
    page.set_input_files("input[type=file][name=file]", str(EXAMPLE))
    page.click("button:text('Import')")
    page.wait_for_selector("text=Imported 495 ratings")
    page.click("#open-results")
    page.wait_for_selector("#score")
    del tmp_path


def test_finished_assessment_scores_as_the_library(browser, server, tmp_path):
    """The results page shows the exact S and level maturity_core gives."""
    import maturity_core as mc

    page = _first_start(browser, server)
    _create_db12(page)
    _finish(page, tmp_path)
    expected = mc.score(
        mc.load_pack("db12t1073"), mc.Assessment.from_path(EXAMPLE)
    )

    assert (str(expected.score), str(expected.level)) == (
        page.locator("#score").get_attribute("data-exact"),
        page.locator("#level").inner_text(),
    )


def test_report_downloads(browser, server, tmp_path):
    """The diagnostic report downloads: the library's HTML report."""
    import maturity_core as mc
    from maturity_core import report

    page = _first_start(browser, server)
    _create_db12(page)
    _finish(page, tmp_path)
    for link, name in (
        ("#download-report", "report.html"),
        ("#download-assessment", "assessment.json"),
    ):
        with page.expect_download() as info:
            page.click(link)
        info.value.save_as(tmp_path / name)
    pack = mc.load_pack("db12t1073")
    result = mc.score(
        pack, mc.Assessment.from_path(tmp_path / "assessment.json")
    )

    expected = report.to_html(report.build_report(pack, result, lang="zh"))

    # The embedded font subset carries its build time: compare without it.
    assert _no_fonts(expected) == _no_fonts(
        (tmp_path / "report.html").read_text(encoding="utf-8")
    )


def _no_fonts(html):
    return re.sub(r"font/[a-z0-9]+;base64,[A-Za-z0-9+/=]+", "font", html)


def test_downloaded_result_verifies_with_the_cli(browser, server, tmp_path):
    """`maturity verify` accepts the result and assessment downloaded."""
    page = _first_start(browser, server)
    _create_db12(page)
    _finish(page, tmp_path)
    for link, name in (
        ("#download-result", "result.json"),
        ("#download-assessment", "assessment.json"),
    ):
        with page.expect_download() as info:
            page.click(link)
        info.value.save_as(tmp_path / name)

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "maturity_core.cli",
            "verify",
            str(tmp_path / "result.json"),
            str(tmp_path / "assessment.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )

    assert (0, "verified, identical result") == (
        done.returncode,
        re.sub(r"^.*?: ", "", done.stdout.strip()),
    )


def test_downloaded_assessment_is_the_cli_format(browser, server, tmp_path):
    """The assessment JSON reads back as the same assessment."""
    import maturity_core as mc

    page = _first_start(browser, server)
    _create_db12(page)
    _finish(page, tmp_path)
    with page.expect_download() as info:
        page.click("#download-assessment")
    info.value.save_as(tmp_path / "a.json")
    text = (tmp_path / "a.json").read_text(encoding="utf-8")

    assert (
        text
        == json.dumps(
            mc.Assessment.from_dict(json.loads(text)).to_dict(),
            ensure_ascii=False,
            indent=2,
            sort_keys=True,
        )
        + "\n"
    )
