"""
Fixtures for the service's tests: a real server on a free localhost port,
on SQLite and on PostgreSQL, and a real headless Chromium.

PostgreSQL comes from ``MATURITY_WEB_TEST_DATABASE_URL`` (``nox -s tests``
sets it from the server ``tools/system_deps.py`` starts); each test gets a
database of its own on that server.  Without a browser or a database the
tests that need them are skipped with the reason, except under CI
(``CI=true``), where they fail.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from maturity_web import create_app
from maturity_web.db import database_url
from maturity_web.models import Organisation, User
from maturity_web.security import hash_password
from waitress.server import create_server


CHROMIUM = os.environ.get("MATURITY_WEB_CHROMIUM", "/usr/bin/chromium")
PG_ENV = "MATURITY_WEB_TEST_DATABASE_URL"
#: The upload limit of the test servers (bytes).
MAX_UPLOAD = 256 * 1024
PASSWORD = "correct horse battery"
SETUP_TOKEN = "first-start-code"
REPO = Path(__file__).resolve().parents[3]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (required under CI)")
    pytest.skip(reason)


def _database(kind: str, directory: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield "sqlite:///" + str(directory / "web.sqlite3")
        return
    base = os.environ.get(PG_ENV)
    if not base:
        _unavailable(f"no PostgreSQL server: set {PG_ENV}")
    assert base is not None
    admin = sa.create_engine(database_url(base), isolation_level="AUTOCOMMIT")
    name = "mw_" + secrets.token_hex(6)
    with admin.connect() as c:
        c.execute(sa.text(f"CREATE DATABASE {name}"))
    url = sa.engine.make_url(database_url(base)).set(database=name)
    yield url.render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of each kind."""
    yield from _database(request.param, tmp_path)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh, empty database of each kind, shared by a module's tests."""
    yield from _database(request.param, tmp_path_factory.mktemp("db"))


@dataclass
class Server:
    url: str
    app: Any

    def add_user(
        self, email: str, role: str, organisation: str | None = None
    ) -> int:
        """A user with PASSWORD (and the organisation, made if new)."""
        with self.app.extensions["maturity_web"].sessions() as s:
            org_id = None
            if organisation is not None:
                org = s.scalar(
                    sa.select(Organisation).where(
                        Organisation.name == organisation
                    )
                )
                if org is None:
                    org = Organisation(name=organisation)
                    s.add(org)
                    s.flush()
                org_id = org.id
            user = User(
                email=email,
                name=email.split("@", maxsplit=1)[0],
                password_hash=hash_password(PASSWORD),
                role=role,
                organisation_id=org_id,
            )
            s.add(user)
            s.commit()
        self.app.extensions["maturity_web"].setup_token = None
        return user.id


def _serve(url: str) -> Iterator[Server]:
    app = create_app(url, max_upload=MAX_UPLOAD, setup_token=SETUP_TOKEN)
    server = create_server(app, host="127.0.0.1", port=0, threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{server.effective_port}", app)
    finally:
        # Close every socket from the server's own loop, which then ends.
        server.trigger.pull_trigger(
            lambda: [d.close() for d in list(server._map.values())]  # noqa: SLF001
        )
        thread.join(timeout=10)
        server.task_dispatcher.shutdown()
        app.extensions["maturity_web"].engine.dispose()


@pytest.fixture
def server(db_url: str) -> Iterator[Server]:
    """The service on a fresh database, on a free localhost port."""
    yield from _serve(db_url)


@pytest.fixture(scope="module")
def module_server(module_db_url: str) -> Iterator[Server]:
    """The service on a fresh database shared by a module's tests."""
    yield from _serve(module_db_url)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium (the system's; never downloaded)."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


def login(browser: Any, server: Server, email: str) -> Any:
    """A browser page logged in as *email*."""
    context = browser.new_context(base_url=server.url, accept_downloads=True)
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:text('Log in')")
    page.wait_for_url(re.compile(r".*/$"))
    return page


def csrf_token(page: Any) -> str:
    """The CSRF token of *page*'s session."""
    return str(
        page.locator("input[name=csrf_token]").first.get_attribute("value")
    )


class Helpers:
    """What the tests share (test modules cannot import each other)."""

    PASSWORD = PASSWORD
    SETUP_TOKEN = SETUP_TOKEN
    REPO = REPO
    MAX_UPLOAD = MAX_UPLOAD
    login = staticmethod(login)
    csrf_token = staticmethod(csrf_token)


@pytest.fixture(scope="session")
def web() -> type[Helpers]:
    return Helpers
