"""The population view of an assessing body, and the service's command."""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from fractions import Fraction
from pathlib import Path

import pytest
import sqlalchemy as sa
from maturity_web.models import Organisation


EXAMPLE = (
    Path(__file__).resolve().parents[3]
    / "examples"
    / ("db12t1073-discrete.json")
)
REGIONS = ("天津", "天津", "北京")


def _client(server, email):
    c = server.app.test_client()
    token = re.search(r'csrf_token" value="([^"]+)"', c.get("/login").text)
    c.post(
        "/login",
        data={
            "email": email,
            "password": "correct horse battery",
            "csrf_token": token.group(1),
        },
    )
    return c, re.search(r'csrf_token" value="([^"]+)"', c.get("/").text).group(
        1
    )


def _variants():
    """The example, and two copies with more requirements fully met."""
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    for i, _ in enumerate(REGIONS):
        for entry in data["ratings"][: 60 * i]:
            entry["rating"] = "full"
        yield json.dumps(data, ensure_ascii=False).encode()


@pytest.fixture
def population(server):
    server.add_user("admin@body.example", "admin")
    c, token = _client(server, "admin@body.example")
    with server.app.extensions["maturity_web"].sessions() as s:
        for i, region in enumerate(REGIONS):
            s.add(Organisation(name=f"Org {i}", region=region))
        s.commit()
    for i, body in enumerate(_variants(), start=1):
        c.post(
            "/assessments",
            data={
                "organisation_id": str(i),
                "pack": "db12t1073",
                "profile": "discrete",
                "csrf_token": token,
            },
        )
        c.post(
            f"/assessments/{i}/import",
            data={"csrf_token": token, "file": (io.BytesIO(body), "a.json")},
            content_type="multipart/form-data",
        )
    return c


def test_population_counts_the_complete_assessments(population):
    """The view counts every complete assessment of the pack and profile."""
    page = population.get("/population?pack=db12t1073&profile=discrete").text

    assert "3" == re.search(r'id="population-size">(\d+)<', page).group(1)


def test_population_level_shares_are_the_librarys(population):
    """Level shares are those batch.summarise_population gives."""
    import maturity_core as mc
    from maturity_core import batch

    pack = mc.load_pack("db12t1073")
    levels = [
        mc.score(pack, mc.Assessment.from_dict(json.loads(b))).level
        for b in _variants()
    ]
    expected = {k: Fraction(levels.count(k), 3) for k in set(levels)}
    page = population.get("/population?pack=db12t1073&profile=discrete").text
    shown = re.findall(r'<td>(\d+) [^<]*</td><td data-exact="([^"]+)"', page)
    del batch

    assert expected == {int(k): Fraction(v) for k, v in shown}


def test_population_breaks_down_by_region(population):
    """Each region is a row with its own count."""
    page = population.get("/population?pack=db12t1073&profile=discrete").text
    rows = re.findall(
        r'<tr class="breakdown"><td>([^<]+)</td><td>(\d+)</td>', page
    )

    assert [("北京", "1"), ("天津", "2"), ("(not given)", "3")] == rows


def test_organisation_users_may_not_see_the_population(server):
    """The population view is the assessing body's (403 for others)."""
    server.add_user("o@org.example", "organisation", "Org X")
    c, _ = _client(server, "o@org.example")

    assert 403 == c.get("/population").status_code


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_starts_on_sqlite_in_the_working_directory(tmp_path):
    """`maturity-web serve` with no options makes its SQLite file and asks
    the first visitor for the setup code it prints."""
    port = _free_port()
    env = {
        k: v for k, v in os.environ.items() if k != "MATURITY_WEB_DATABASE_URL"
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "maturity_web.cli",
            "serve",
            "--port",
            str(port),
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = [proc.stdout.readline(), proc.stdout.readline()]
        for _ in range(100):
            try:
                body = (
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/")
                    .read()
                    .decode()
                )
                break
            except OSError:
                time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()

    assert (True, True, True) == (
        (tmp_path / "maturity-web.sqlite3").exists(),
        "setup code" in lines[1],
        "Setup code" in body,
    )


def test_create_admin_then_log_in(tmp_path):
    """`maturity-web create-admin` makes an administrator who can log in."""
    url = "sqlite:///" + str(tmp_path / "w.sqlite3")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "maturity_web.cli",
            "create-admin",
            "boss@body.example",
            "--database-url",
            url,
        ],
        env={**os.environ, "MATURITY_WEB_ADMIN_PASSWORD": "a long password"},
        capture_output=True,
        text=True,
        check=False,
    )
    from maturity_web import create_app

    c = create_app(url).test_client()
    token = re.search(r'csrf_token" value="([^"]+)"', c.get("/login").text)
    r = c.post(
        "/login",
        data={
            "email": "boss@body.example",
            "password": "a long password",
            "csrf_token": token.group(1),
        },
    )

    assert (0, "/") == (done.returncode, r.location)


def test_bad_database_url_is_one_line(tmp_path):
    """An unusable database URL gives one line and exit status 1."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "maturity_web.cli",
            "create-admin",
            "x@y.example",
            "--database-url",
            "nosuchdb://x",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )

    assert (1, 1) == (done.returncode, len(done.stderr.strip().splitlines()))


def test_tables_come_from_the_migrations(server):
    """The schema is Alembic's: its version table names the newest."""
    with server.app.extensions["maturity_web"].engine.connect() as c:
        version = c.execute(sa.text("SELECT version_num FROM alembic_version"))

        assert ["0001"] == [v for (v,) in version]
