"""
Load test: concurrent assessors saving ratings to one running service.

Starts ``maturity-web serve`` on a fresh database (a temporary SQLite file,
or ``--database-url``), makes an external DB12 assessment with N assessors,
then runs N client threads over HTTP, each logged in as one assessor:

* every assessor saves ratings on their own sheet (autosave requests, as
  the questionnaire's htmx sends them);
* every assessor also saves, again and again, one requirement of the
  shared consolidated sheet, re-reading the version after a refusal
  (optimistic concurrency under contention).

It prints the p50/p95/max latency of the saves and checks that no update
was lost: each assessor's sheet holds exactly what they last saved, and
the shared row's version equals the number of saves the service accepted.

    python apps/web/bench/load.py [--assessors 50] [--saves 20]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import sqlalchemy as sa


PASSWORD = "load test password"
HOT = "personnel-skills.deployment.l1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(url: str, n: int) -> list[str]:
    """The assessment and its N assessors; their requirement ids."""
    from maturity_web import create_app, service
    from maturity_web.app import _new_sheet
    from maturity_web.models import AssessmentRow, Member, Organisation, User
    from maturity_web.security import hash_password

    app = create_app(url)
    sessions = app.extensions["maturity_web"].sessions
    pack = service.load("db12t1073")
    with sessions() as s:
        org = Organisation(name="Load test organisation")
        s.add(org)
        s.flush()
        hashed = hash_password(PASSWORD)
        users = [
            User(
                email=f"assessor{i}@load.example",
                name=f"Assessor {i}",
                password_hash=hashed,
                role="lead",
            )
            for i in range(n)
        ]
        s.add_all(users)
        s.flush()
        row = AssessmentRow(
            organisation_id=org.id,
            pack=pack.id,
            pack_version=pack.version,
            profile="discrete",
            lang=pack.language,
            mode="external",
            date="2026-11-28",
            created_by=users[0].id,
            version=0,
        )
        s.add(row)
        s.flush()
        _new_sheet(s, row, "consolidated", 0)
        for u in users:
            s.add(
                Member(
                    assessment_id=row.id,
                    user_id=u.id,
                    # Every one may also write the shared consolidated sheet.
                    role="lead",
                )
            )
            _new_sheet(s, row, "assessor", u.id)
        s.commit()
    app.extensions["maturity_web"].engine.dispose()
    return [r.id for r in service.requirements_in_scope(pack, "discrete")]


class Client:
    def __init__(self, base: str, email: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        token = self._token("/login")
        self.post(
            "/login",
            {"email": email, "password": PASSWORD, "csrf_token": token},
        )
        self.token = self._token("/")

    def _token(self, path: str) -> str:
        with self.opener.open(self.base + path) as r:
            page = r.read().decode()
        found = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    def post(
        self,
        path: str,
        form: dict[str, str],
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        req = urllib.request.Request(
            self.base + path,
            data=urllib.parse.urlencode(form).encode(),
            headers=headers or {},
        )
        try:
            with self.opener.open(req) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def save(
        self, requirement: str, rating: str, version: int, sheet: str = ""
    ) -> tuple[int, int, float]:
        """One autosave: status, the version now, seconds taken."""
        t = time.perf_counter()
        status, body = self.post(
            "/assessments/1/rate",
            {
                "requirement": requirement,
                "rating": rating,
                "version": str(version),
                "sheet": sheet,
                "csrf_token": self.token,
            },
            {"HX-Request": "true"},
        )
        took = time.perf_counter() - t
        if status == 200:
            now = int(re.search(r'name="version" value="(\d+)"', body)[1])
        elif status == 409:
            now = int(re.search(r'data-current-version="(\d+)"', body)[1])
        else:
            raise RuntimeError(f"save answered {status}: {body[:200]}")
        return status, now, took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--assessors", type=int, default=50)
    parser.add_argument(
        "--saves",
        type=int,
        default=20,
        help="saves per assessor on their own sheet",
    )
    parser.add_argument(
        "--shared",
        type=int,
        default=5,
        help="accepted saves per assessor on the shared row",
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--threads", type=int, default=16, help="the server's worker threads"
    )
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or "sqlite:///" + str(Path(tmp.name) / "load.db")
    ids = _prepare(url, args.assessors)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "maturity_web.cli",
            "serve",
            "--port",
            str(port),
            "--threads",
            str(args.threads),
            "--database-url",
            url,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ},
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/login").close()
            break
        except OSError:
            time.sleep(0.1)
    latencies: list[float] = []
    own_latencies: list[float] = []
    accepted_hot = [0] * args.assessors
    refused_hot = [0] * args.assessors
    last: list[dict[str, str]] = [{} for _ in range(args.assessors)]
    errors: list[str] = []
    lock = threading.Lock()
    clients = [
        Client(base, f"assessor{i}@load.example")
        for i in range(args.assessors)
    ]
    barrier = threading.Barrier(args.assessors)

    def assessor(i: int) -> None:
        rng = random.Random(i)
        c = clients[i]
        versions: dict[str, int] = {}
        hot_version = 0
        own = 0
        try:
            barrier.wait()
            while own < args.saves or accepted_hot[i] < args.shared:
                if own < args.saves:
                    req = rng.choice(ids[:60])
                    rating = rng.choice(["full", "most", "partial", "none"])
                    status, v, took = c.save(req, rating, versions.get(req, 0))
                    with lock:
                        latencies.append(took)
                        own_latencies.append(took)
                    if status != 200:
                        errors.append(f"assessor {i}: own sheet refused")
                    versions[req] = v
                    last[i][req] = rating
                    own += 1
                if accepted_hot[i] < args.shared:
                    status, v, took = c.save(
                        HOT,
                        rng.choice(["full", "most"]),
                        hot_version,
                        sheet="consolidated",
                    )
                    with lock:
                        latencies.append(took)
                    hot_version = v
                    if status == 200:
                        accepted_hot[i] += 1
                    else:
                        refused_hot[i] += 1
        except Exception as e:  # noqa: BLE001 -- reported below
            errors.append(f"assessor {i}: {e!r}")

    started = time.perf_counter()
    threads = [
        threading.Thread(target=assessor, args=(i,))
        for i in range(args.assessors)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    server.terminate()
    server.wait(timeout=30)
    lost = _check(url, last, sum(accepted_hot))
    tmp.cleanup()
    print(
        f"{args.assessors} assessors, {len(latencies)} saves in {wall:.1f} s "
        f"({len(latencies) / wall:.1f} saves/s) on "
        f"{sa.engine.make_url(url).get_backend_name()}"
    )
    for name, values in (
        ("all saves", latencies),
        ("own-sheet saves", own_latencies),
    ):
        q = statistics.quantiles(values, n=100)
        print(
            f"{name}: p50 {1000 * statistics.median(values):.0f} ms, "
            f"p95 {1000 * q[94]:.0f} ms, max {1000 * max(values):.0f} ms "
            f"({len(values)} requests)"
        )
    print(
        f"shared row: {sum(accepted_hot)} saves accepted, "
        f"{sum(refused_hot)} refused as stale (the writer was told)"
    )
    for e in errors[:10]:
        print("error:", e)
    print("lost updates:", lost)
    return 0 if not lost and not errors else 1


def _check(url: str, last: list[dict[str, str]], hot_accepted: int) -> int:
    """Count lost updates: rows whose stored state is not the last save."""
    engine = sa.create_engine(
        url.replace("postgresql://", "postgresql+psycopg://")
    )
    lost = 0
    with engine.connect() as c:
        sheets = dict(
            c.execute(
                sa.text("SELECT owner, id FROM sheets WHERE kind = 'assessor'")
            ).all()
        )
        users = dict(c.execute(sa.text("SELECT email, id FROM users")).all())
        for i, saved in enumerate(last):
            sheet = sheets[users[f"assessor{i}@load.example"]]
            stored = dict(
                c.execute(
                    sa.text(
                        "SELECT requirement, rating FROM ratings "
                        "WHERE sheet_id = :s "
                        "AND rating IS NOT NULL"
                    ),
                    {"s": sheet},
                ).all()
            )
            lost += sum(1 for k, v in saved.items() if stored.get(k) != v)
        (hot,) = c.execute(
            sa.text(
                "SELECT r.version FROM ratings r JOIN sheets s ON s.id = "
                "r.sheet_id WHERE s.kind = 'consolidated' "
                "AND r.requirement = :h"
            ),
            {"h": HOT},
        ).one()
        lost += abs(hot - hot_accepted)
    engine.dispose()
    return lost


if __name__ == "__main__":
    raise SystemExit(main())
