"""Install and start the system programs the test suite uses for real.

Chromium (headless) renders the HTML report and drives the web service's
browser tests; LibreOffice Calc (headless) recalculates a questionnaire's
progress formulas (``libreoffice-calc`` without recommends installs in
about two minutes); WeasyPrint, which prints PDF reports, loads the Pango
library; PostgreSQL serves the web service's tests on a real server.
On Debian or Ubuntu as root this installs the distribution's packages
(apt's output goes to a log file; one line says what happened); elsewhere
it says what to install and exits 0, and the tests that need them are
skipped with that reason (under CI they fail instead).

It then starts a private PostgreSQL server for the tests (a new cluster in
a temporary directory on a free port, run as the ``postgres`` user when
this runs as root, since PostgreSQL refuses root), creates a test database
and writes its URL to ``build/postgres-test-url``; the ``tests`` session of
``noxfile.py`` passes it to the tests as ``MATURITY_WEB_TEST_DATABASE_URL``.

    python3 tools/system_deps.py
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from ctypes.util import find_library
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
#: Where the test database's URL is written (git-ignored).
URL_FILE = ROOT / "build" / "postgres-test-url"
APT_LOG = ROOT / "build" / "apt.log"
#: Debian package per program the tests run.
PACKAGES = {
    "chromium": "chromium",
    "soffice": "libreoffice-calc",
    "pg_ctl": "postgresql",
}
#: Debian package per shared library the tests load.
LIBRARIES = {"pango-1.0": "libpango-1.0-0", "pangoft2-1.0": "libpangoft2-1.0-0"}


def _pg_bin(name: str) -> str | None:
    """A PostgreSQL program: on PATH, else the newest Debian install."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]),
    )
    return candidates[-1] if candidates else None


def _present(cmd: str) -> bool:
    return (_pg_bin(cmd) if cmd == "pg_ctl" else shutil.which(cmd)) is not None


def install() -> None:
    missing = [pkg for cmd, pkg in PACKAGES.items() if not _present(cmd)]
    missing += [pkg for lib, pkg in LIBRARIES.items() if not find_library(lib)]
    if not missing:
        print("system dependencies: present")
        return
    can_install = shutil.which("apt-get") and os.geteuid() == 0
    if not can_install:
        print(
            "system dependencies: install "
            + ", ".join(missing)
            + " with your package manager to run the browser, PDF, "
            "spreadsheet and PostgreSQL tests",
            file=sys.stderr,
        )
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    APT_LOG.parent.mkdir(parents=True, exist_ok=True)
    with APT_LOG.open("w") as log:
        for cmd in (
            ["apt-get", "update"],
            ["apt-get", "install", "-y", "--no-install-recommends", *missing],
        ):
            done = subprocess.run(
                cmd, stdout=log, stderr=subprocess.STDOUT, env=env, check=False
            )
            if done.returncode != 0:
                print(
                    f"system dependencies: {' '.join(cmd[:2])} failed "
                    f"(exit {done.returncode}); see {APT_LOG}",
                    file=sys.stderr,
                )
                raise SystemExit(1)
    print(f"system dependencies: installed {', '.join(missing)} (log: {APT_LOG})")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _running() -> str | None:
    """The URL in URL_FILE if its server accepts connections."""
    if not URL_FILE.exists():
        return None
    url = URL_FILE.read_text().strip()
    host_port = url.split("@", 1)[-1].split("/", 1)[0]
    host, _, port = host_port.partition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=2):
            return url
    except (OSError, ValueError):
        return None


def start_postgres() -> str | None:
    """Start a private PostgreSQL server; return the test database URL."""
    initdb, pg_ctl, createdb = (
        _pg_bin("initdb"),
        _pg_bin("pg_ctl"),
        _pg_bin("createdb"),
    )
    if not (initdb and pg_ctl and createdb):
        print("postgresql: not installed; its tests are skipped", file=sys.stderr)
        return None
    running = _running()
    if running is not None:
        print(f"postgresql: test server already running ({running})")
        return running
    as_root = os.geteuid() == 0
    base = Path(tempfile.mkdtemp(prefix="maturity-web-pg-"))
    data, sock = base / "data", base / "run"
    sock.mkdir()
    if as_root:
        shutil.chown(base, user="postgres")
        shutil.chown(sock, user="postgres")

    def run(*cmd: str) -> None:
        full = ["runuser", "-u", "postgres", "--", *cmd] if as_root else list(cmd)
        done = subprocess.run(full, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            msg = (done.stderr or done.stdout).strip().splitlines()
            raise SystemExit(
                f"postgresql: {Path(cmd[0]).name} failed: "
                f"{msg[-1] if msg else done.returncode}"
            )

    port = _free_port()
    run(initdb, "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync")
    run(
        pg_ctl, "-D", str(data), "-l", str(base / "server.log"), "-w",
        "-o", f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off",
        "start",
    )
    run(createdb, "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
        "maturity_web_test")
    url = f"postgresql://postgres@127.0.0.1:{port}/maturity_web_test"
    URL_FILE.parent.mkdir(parents=True, exist_ok=True)
    URL_FILE.write_text(url + "\n")
    print(f"postgresql: test server on port {port} ({data}); stop it with "
          f"pg_ctl -D {data} stop")
    return url


def main() -> int:
    install()
    start_postgres()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
