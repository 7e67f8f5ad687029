"""A whole questionnaire answered in the browser, page by page."""

from __future__ import annotations

import json


def test_every_requirement_rated_in_the_browser_completes_it(
    browser, server, web, tmp_path
):
    """Rating every requirement on every page makes the result final."""
    import maturity_core as mc

    server.add_user("dev@org.example", "organisation", "Org Dev")
    page = web.login(browser, server, "dev@org.example")
    page.select_option("#pack", "devpractice")
    page.click("button:text('Create assessment')")
    page.click("#open-questionnaire")
    while True:
        forms = page.locator("form.req")
        for i in range(forms.count()):
            form = forms.nth(i)
            form.locator("input[name=rating]").nth(i % 4).check()
            form.locator(".saved").wait_for()
        if page.locator("#next").count() == 0:
            break
        page.click("#next")
        page.wait_for_selector("#page-title")
    overall = page.locator("#progress-overall")
    rated = (
        overall.get_attribute("data-rated"),
        overall.get_attribute("data-total"),
    )
    page.click("#finish")
    with page.expect_download() as info:
        page.click("#download-assessment")
    info.value.save_as(tmp_path / "a.json")
    pack = mc.load_pack("devpractice")
    expected = mc.score(pack, mc.Assessment.from_path(tmp_path / "a.json"))
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))

    assert (
        ("21", "21"),
        0,
        str(expected.score),
        21,
    ) == (
        rated,
        page.locator("#provisional").count(),
        page.locator("#score").get_attribute("data-exact"),
        sum(1 for r in data["ratings"] if r["rating"] is not None),
    )
