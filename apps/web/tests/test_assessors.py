"""Several assessors, a lead who consolidates, and concurrent saves."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from maturity_web.models import Rating


EXAMPLE = (
    Path(__file__).resolve().parents[3]
    / "examples"
    / ("db12t1073-discrete.json")
)
#: Requirements assessor 2 rates differently from assessor 1.
DISPUTED = 4


def _external(page):
    page.select_option("#pack", "db12t1073")
    page.select_option("#profile", "discrete")
    page.select_option("select[name=mode]", "external")
    page.click("button:text('Create assessment')")
    page.wait_for_url(re.compile(r".*/assessments/\d+$"))
    return page.url


def _add(page, email):
    page.select_option(
        "select[name=user_id]", label=f"{email.split('@')[0]} ({email})"
    )
    page.click("button:text('Add')")
    page.wait_for_selector(f"li:text('{email.split('@')[0]}')")


def _import(page, url, path):
    page.goto(url)
    page.set_input_files("input[type=file][name=file]", str(path))
    page.click("button:text('Import')")
    page.wait_for_selector("text=Imported")


def _changed(tmp_path):
    """The example with DISPUTED ratings moved one step down."""
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    steps = {"full": "most", "most": "partial", "partial": "none"}
    moved = 0
    for entry in data["ratings"]:
        if moved < DISPUTED and entry["rating"] in steps:
            entry["rating"] = steps[entry["rating"]]
            moved += 1
    path = tmp_path / "b.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def team(browser, server, web, tmp_path):
    """An external DB12 assessment: the lead and two assessors have rated."""
    server.add_user("lead@body.example", "lead")
    server.add_user("one@body.example", "assessor")
    server.add_user("two@body.example", "assessor")
    server.add_user("owner@org.example", "organisation", "Org C")
    lead = web.login(browser, server, "lead@body.example")
    url = _external(lead)
    _add(lead, "one@body.example")
    _add(lead, "two@body.example")
    _import(web.login(browser, server, "one@body.example"), url, EXAMPLE)
    _import(
        web.login(browser, server, "two@body.example"), url, _changed(tmp_path)
    )
    return lead, url


def test_lead_sees_the_disagreements(team):
    """The lead sees each requirement the assessors rated differently."""
    lead, url = team
    lead.goto(url + "/consolidation")

    assert str(DISPUTED) == lead.locator("#disputed").inner_text()


def test_lead_sees_the_agreement_statistics(team):
    """The lead sees the library's exact agreement figures."""
    import maturity_core as mc
    from maturity_core import analysis

    lead, url = team
    lead.goto(url + "/consolidation")
    pack = mc.load_pack("db12t1073")
    a = mc.Assessment.from_path(EXAMPLE)
    b = a.with_ratings(
        {
            r.requirement: {
                "full": "most",
                "most": "partial",
                "partial": "none",
            }[r.rating]
            for r in [e for e in a.ratings if e.rating != "none"][:DISPUTED]
        }
    )
    stats = analysis.agreement_statistics(pack, [a, b])

    assert str(stats.fleiss_kappa) == lead.locator("#fleiss").inner_text()


def test_validator_finding_shows_on_an_even_team(browser, server, web):
    """DB12 §8.2.2's odd-team rule fails, and says so, for a team of two."""
    server.add_user("lead@body.example", "lead")
    server.add_user("one@body.example", "assessor")
    server.add_user("owner@org.example", "organisation", "Org C")
    lead = web.login(browser, server, "lead@body.example")
    url = _external(lead)
    _add(lead, "one@body.example")
    lead.goto(url + "/results")

    assert "(db12-team-size)" in lead.locator("#findings").inner_text()


def test_consolidated_assessment_reports(team, tmp_path):
    """After the lead records the consolidation the report downloads."""
    lead, url = team
    lead.goto(url + "/consolidation")
    lead.click("#record")
    lead.wait_for_selector("text=Consolidated ratings recorded")
    lead.goto(url + "/results")
    with lead.expect_download() as info:
        lead.click("#download-report")
    info.value.save_as(tmp_path / "report.html")

    assert (0, "passed") == (
        lead.locator("#provisional").count(),
        re.search(
            r"odd_assessor_team: (\w+)",
            lead.locator("#validators").inner_text(),
        ).group(1),
    )


def test_later_writer_is_told_of_a_conflict(browser, server, web):
    """Two users save one requirement from the same page: the later is told."""
    server.add_user("p@org.example", "organisation", "Org D")
    server.add_user("q@org.example", "organisation", "Org D")
    p = web.login(browser, server, "p@org.example")
    p.select_option("#pack", "db12t1073")
    p.click("button:text('Create assessment')")
    p.wait_for_url(re.compile(r".*/assessments/\d+$"))
    page_url = p.url + "/questionnaire/1"
    q = web.login(browser, server, "q@org.example")
    p.goto(page_url)
    q.goto(page_url)
    p.locator("form.req").first.locator("input[name=rating]").nth(0).check()
    p.locator("form.req").first.locator(".saved").wait_for()
    q.locator("form.req").first.locator("input[name=rating]").nth(2).check()
    q.locator("form.req").first.locator(".conflict").wait_for()
    with server.app.extensions["maturity_web"].sessions() as s:
        kept = s.scalar(
            sa.select(Rating.rating).where(
                Rating.requirement
                == p.locator("form.req").first.get_attribute(
                    "data-requirement"
                )
            )
        )

    assert "full" == kept


def test_simultaneous_saves_of_one_version_let_one_through(server):
    """Of eight saves made at once on one version, exactly one succeeds."""
    server.add_user("r@org.example", "organisation", "Org E")
    app = server.app
    results: list[int] = []
    clients = []
    for _ in range(8):
        c = app.test_client()
        token = re.search(
            r'name="csrf_token" value="([^"]+)"', c.get("/login").text
        ).group(1)
        c.post(
            "/login",
            data={
                "email": "r@org.example",
                "password": "correct horse battery",
                "csrf_token": token,
            },
        )
        token = re.search(
            r'name="csrf_token" value="([^"]+)"', c.get("/").text
        ).group(1)
        clients.append((c, token))
    c0, t0 = clients[0]
    c0.post(
        "/assessments",
        data={"organisation_id": "1", "pack": "db12t1073", "csrf_token": t0},
    )
    barrier = threading.Barrier(len(clients))

    def save(c, token, i):
        barrier.wait()
        r = c.post(
            "/assessments/1/rate",
            data={
                "requirement": "personnel-skills.deployment.l1",
                "rating": ["full", "most", "partial", "none"][i % 4],
                "version": "0",
                "csrf_token": token,
            },
            headers={"HX-Request": "true"},
        )
        results.append(r.status_code)

    threads = [
        threading.Thread(target=save, args=(c, t, i))
        for i, (c, t) in enumerate(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert [200] + [409] * 7 == sorted(results)
