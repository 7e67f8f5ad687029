"""Roles, organisations, CSRF and uploads, through a real browser."""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from maturity_web.app import iter_routes
from maturity_web.models import Blob


ROUTES = list(iter_routes(1, 1))


@pytest.fixture(scope="module")
def world(browser, module_server, web):
    """Organisation A with an assessment and an attachment; a user of B."""
    s = module_server
    s.add_user("a@a.example", "organisation", "Org A")
    s.add_user("a2@a.example", "organisation", "Org A")
    s.add_user("b@b.example", "organisation", "Org B")
    s.add_user("x@body.example", "assessor")
    a = web.login(browser, s, "a@a.example")
    a.select_option("#pack", "db12t1073")
    a.click("button:text('Create assessment')")
    a.wait_for_url("**/assessments/1")
    a.goto("/assessments/1/questionnaire/1")
    a.locator("form.upload").first.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "../../etc/会议纪要.txt",
                "mimeType": "text/plain",
                "buffer": "评审会议纪要\n".encode(),
            }
        ]
    )
    a.locator("form.upload").first.locator("button").click()
    a.wait_for_selector("text=会议纪要.txt")
    b = web.login(browser, s, "b@b.example")
    x = web.login(browser, s, "x@body.example")
    return SimpleNamespace(server=s, a=a, b=b, x=x, helpers=web)


def _request(page, method, path, token):
    if method == "GET":
        return page.request.get(path)
    return page.request.post(
        path, form={"csrf_token": token}, headers={"X-CSRFToken": token}
    )


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_other_organisation_is_refused(world, method, path):
    """A user of another organisation gets 403 on the route."""
    token = world.helpers.csrf_token(world.b)

    assert 403 == _request(world.b, method, path, token).status


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_unassigned_assessor_is_refused(world, method, path):
    """An assessor not on the assessment's team gets 403 on the route."""
    token = world.helpers.csrf_token(world.x)

    assert 403 == _request(world.x, method, path, token).status


def test_other_organisation_lists_nothing_of_the_first(world):
    """The start page of another organisation lists none of its work."""
    world.b.goto("/")

    assert 0 == world.b.locator("a[href='/assessments/1']").count()


def test_own_organisation_sees_the_assessment(world):
    """A second user of the organisation opens its assessment."""
    page = world.helpers.login(
        world.a.context.browser, world.server, "a2@a.example"
    )

    assert 200 == page.request.get("/assessments/1/results").status


def test_post_without_csrf_token_is_refused(world):
    """A change without the session's CSRF token is refused (400)."""
    response = world.a.request.post(
        "/assessments/1/rate",
        form={
            "requirement": "personnel-skills.deployment.l1",
            "rating": "full",
            "version": "0",
        },
    )

    assert 400 == response.status


def test_post_with_another_sessions_csrf_token_is_refused(world):
    """A CSRF token of another session does not pass."""
    token = world.helpers.csrf_token(world.b)
    response = world.a.request.post(
        "/assessments/1/rate",
        form={
            "csrf_token": token,
            "requirement": "personnel-skills.deployment.l1",
            "rating": "full",
            "version": "0",
        },
        headers={"X-CSRFToken": token},
    )

    assert 400 == response.status


def test_oversized_upload_is_refused(world):
    """An upload over the limit is refused with 413 and says the limit."""
    page = world.a
    page.goto("/assessments/1/questionnaire/1")
    form = page.locator("form.upload").nth(1)
    form.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "big.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-" + b"0" * world.helpers.MAX_UPLOAD,
            }
        ]
    )
    with page.expect_response("**/attachments") as info:
        form.locator("button").click()

    assert (413, True) == (
        info.value.status,
        "larger than the limit" in page.locator("#error").inner_text(),
    )


def test_upload_of_a_disallowed_type_is_refused(world):
    """An executable is refused (415), whatever it claims to be."""
    page = world.a
    page.goto("/assessments/1/questionnaire/1")
    form = page.locator("form.upload").nth(1)
    form.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "invoice.pdf",
                "mimeType": "application/pdf",
                "buffer": b"\x7fELF\x02\x01\x01",
            }
        ]
    )
    with page.expect_response("**/attachments") as info:
        form.locator("button").click()

    assert 415 == info.value.status


def test_upload_is_stored_by_content_hash(world):
    """The bytes are stored under their SHA-256, not under any file name."""
    data = "评审会议纪要\n".encode()
    with world.server.app.extensions["maturity_web"].sessions() as s:
        stored = s.scalars(sa.select(Blob.sha256)).all()

    assert [hashlib.sha256(data).hexdigest()] == stored


def test_upload_downloads_under_its_own_name(world):
    """The attachment downloads with its bytes and its base name only."""
    response = world.a.request.get("/assessments/1/attachments/1")

    assert (
        "评审会议纪要\n".encode(),
        (
            "attachment; filename*=UTF-8''"
            "%E4%BC%9A%E8%AE%AE%E7%BA%AA%E8%A6%81.txt"
        ),
    ) == (
        response.body(),
        response.headers["content-disposition"].split("; filename=")[0]
        + "; "
        + response.headers["content-disposition"].split("; ")[-1],
    )
