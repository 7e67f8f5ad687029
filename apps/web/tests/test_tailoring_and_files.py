"""Tailoring under the pack's rules, and XLSX/JSON import and export."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest


EXAMPLE = (
    Path(__file__).resolve().parents[3]
    / "examples"
    / ("db12t1073-discrete.json")
)


def _client(server):
    server.add_user("o@org.example", "organisation", "Org T")
    c = server.app.test_client()
    token = re.search(r'csrf_token" value="([^"]+)"', c.get("/login").text)
    c.post(
        "/login",
        data={
            "email": "o@org.example",
            "password": "correct horse battery",
            "csrf_token": token.group(1),
        },
    )
    token = re.search(r'csrf_token" value="([^"]+)"', c.get("/").text)
    return c, token.group(1)


@pytest.fixture
def client(server):
    c, token = _client(server)
    for _ in range(2):
        c.post(
            "/assessments",
            data={
                "organisation_id": "1",
                "pack": "db12t1073",
                "profile": "discrete",
                "csrf_token": token,
            },
        )
    return c, token


def _total(c, aid):
    page = c.get(f"/assessments/{aid}/questionnaire/1").text
    return int(re.search(r'data-total="(\d+)"', page).group(1))


def _tailorable_and_mandatory():
    import maturity_core as mc

    pack = mc.load_pack("db12t1073")
    prof = pack.get_profile("discrete")
    nodes = [n for n in pack.root.walk() if n.id != "$root"]
    free = next(
        n for n in nodes if n.is_leaf and pack.is_tailorable(prof, n.id)
    )
    fixed = next(
        (
            n
            for n in nodes
            if n.id in prof.scope and pack.is_mandatory(prof, n.id)
        ),
        None,
    )
    reqs = sum(1 for r in pack.requirements if r.node == free.id)
    return free.id, (fixed.id if fixed else None), reqs


def test_tailoring_takes_the_node_out_of_the_questionnaire(client):
    """A tailored node's requirements leave the questionnaire's total."""
    c, token = client
    node, _, count = _tailorable_and_mandatory()
    before = _total(c, 1)
    c.post(
        "/assessments/1/tailoring",
        data={"node": node, "reason": "不涉及该业务", "csrf_token": token},
    )

    assert before - count == _total(c, 1)


def test_tailoring_needs_a_reason(client):
    """Tailoring without a reason is refused and says why."""
    c, token = client
    node, _, _ = _tailorable_and_mandatory()
    page = c.post(
        "/assessments/1/tailoring",
        data={"node": node, "reason": " ", "csrf_token": token},
        follow_redirects=True,
    ).text

    assert "needs a reason" in page


def test_tailoring_a_mandatory_node_is_refused(client):
    """The pack's rules refuse to tailor a mandatory node out."""
    c, token = client
    _, mandatory, _ = _tailorable_and_mandatory()
    if mandatory is None:
        pytest.skip("the profile has no mandatory node")
    before = _total(c, 1)
    c.post(
        "/assessments/1/tailoring",
        data={"node": mandatory, "reason": "试图裁剪", "csrf_token": token},
    )

    assert before == _total(c, 1)


def test_xlsx_export_imports_back(client):
    """The XLSX questionnaire exported from one assessment fills another."""
    c, token = client
    c.post(
        "/assessments/1/import",
        data={
            "csrf_token": token,
            "file": (io.BytesIO(EXAMPLE.read_bytes()), "a.json"),
        },
        content_type="multipart/form-data",
    )
    xlsx = c.get("/assessments/1/questionnaire.xlsx").data
    c.post(
        "/assessments/2/import",
        data={"csrf_token": token, "file": (io.BytesIO(xlsx), "q.xlsx")},
        content_type="multipart/form-data",
    )
    first = json.loads(c.get("/assessments/1/assessment.json").text)
    second = json.loads(c.get("/assessments/2/assessment.json").text)

    assert first["ratings"] == second["ratings"]


def test_import_of_another_packs_assessment_is_refused(client):
    """An assessment of another pack is not imported, and the page says so."""
    c, token = client
    other = json.dumps(
        {"pack": "devpractice", "ratings": [{"id": "x", "rating": None}]}
    ).encode()
    page = c.post(
        "/assessments/1/import",
        data={"csrf_token": token, "file": (io.BytesIO(other), "o.json")},
        content_type="multipart/form-data",
        follow_redirects=True,
    ).text

    assert "is an assessment of devpractice" in page


def test_invalid_rating_is_refused(client):
    """A rating outside the rubric is refused (400) and not stored."""
    c, token = client
    r = c.post(
        "/assessments/1/rate",
        data={
            "requirement": "personnel-skills.deployment.l1",
            "rating": "excellent",
            "version": "0",
            "csrf_token": token,
        },
    )

    assert 400 == r.status_code


def test_save_never_redirects_to_another_site(client):
    """A save without JavaScript goes back only to a path of the service."""
    c, token = client
    r = c.post(
        "/assessments/1/rate",
        data={
            "requirement": "personnel-skills.deployment.l1",
            "rating": "full",
            "version": "0",
            "back": "//evil.example/",
            "csrf_token": token,
        },
    )

    assert "/assessments/1" == r.location


def test_users_page_is_the_administrators(client):
    """An organisation user gets 403 on user management."""
    c, _ = client

    assert 403 == c.get("/admin/users").status_code


def test_no_assessment_for_another_organisation(client, server):
    """An organisation user cannot create an assessment for another one."""
    c, token = client
    server.add_user("z@other.example", "organisation", "Org Z")
    r = c.post(
        "/assessments",
        data={
            "organisation_id": "2",
            "pack": "db12t1073",
            "csrf_token": token,
        },
    )

    assert 403 == r.status_code
