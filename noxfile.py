# /// script
# dependencies = ["nox>=2025.2.9"]
# ///
"""Development sessions: tests, packs, typing, lint (and opt-in slow ones)."""

from __future__ import annotations

import hashlib
import os
import socket
from pathlib import Path

import nox


nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests"]
# Reuse a session's environment when it exists (a fresh machine makes it);
# _install skips the installs when nothing they read has changed.
nox.options.reuse_venv = "yes"

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
WEB = "apps/web"
WEB_PYPROJECT = nox.project.load_toml(f"{WEB}/pyproject.toml")
#: Written by tools/system_deps.py when it starts a PostgreSQL test server.
POSTGRES_URL_FILE = ROOT / "build" / "postgres-test-url"
PACKS = sorted(
    str(p.parent)
    for pattern in (
        "packs/*/pyproject.toml",
        "examples/packs/*/pyproject.toml",
    )
    for p in ROOT.glob(pattern)
)


def _inputs_hash(*parts: str) -> str:
    """A digest of every file the installs read (name, size, mtime)."""
    digest = hashlib.sha256("\0".join(parts).encode())
    for top in ("pyproject.toml", "src", "packs", "examples/packs", WEB):
        base = ROOT / top
        paths = [base] if base.is_file() else sorted(base.rglob("*"))
        for path in paths:
            if path.is_file() and "__pycache__" not in path.parts:
                st = path.stat()
                digest.update(
                    f"{path.relative_to(ROOT)}:{st.st_size}:{st.st_mtime_ns}"
                    .encode()
                )
    return digest.hexdigest()


def _install(
    session: nox.Session, *groups: str, web: bool = False
) -> None:
    """
    The core and every first-party pack (and the web service) from the
    working tree, unless the reused environment has them as they are now.
    """
    stamp = Path(session.virtualenv.location) / ".installed-from"
    key = _inputs_hash(*groups, str(web))
    if stamp.exists() and stamp.read_text() == key:
        session.log("environment up to date with the working tree")
        return
    session.install(".", *PACKS, *([WEB] if web else []))
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))
    if web:
        session.install(*nox.project.dependency_groups(WEB_PYPROJECT, "tests"))
    stamp.write_text(key)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the core's, every pack's and the web service's tests."""
    _install(session, "tests", web=True)
    env = {}
    url = _postgres_test_url()
    if "MATURITY_WEB_TEST_DATABASE_URL" not in os.environ and url:
        env["MATURITY_WEB_TEST_DATABASE_URL"] = url
    session.run("pytest", *session.posargs, env=env)


def _postgres_test_url() -> str | None:
    """The test server's URL if tools/system_deps.py started one that runs."""
    if not POSTGRES_URL_FILE.exists():
        return None
    url = POSTGRES_URL_FILE.read_text().strip()
    host, _, port = url.split("@", 1)[-1].split("/", 1)[0].partition(":")
    try:
        with socket.create_connection((host, int(port or 5432)), timeout=2):
            return url
    except (OSError, ValueError):
        return None


@nox.session(default=False)
def load(session: nox.Session) -> None:
    """Load-test the web service: concurrent assessors saving ratings."""
    _install(session, web=True)
    session.run("python", f"{WEB}/bench/load.py", *session.posargs)


@nox.session
def packs(session: nox.Session) -> None:
    """Validate every installed pack and run its test vectors."""
    _install(session)
    session.run(
        "python",
        "-c",
        "import maturity_core as mc\n"
        "from maturity_core.testing import check_vectors\n"
        "for info in mc.discover_packs():\n"
        "    n = check_vectors(mc.load_pack(info.id))\n"
        "    print(f'{info.id}: {n} vectors passed')\n",
    )


@nox.session
def typing(session: nox.Session) -> None:
    """Type-check the core with mypy --strict."""
    _install(session, "typing")
    session.run("mypy")


@nox.session
def lint(session: nox.Session) -> None:
    """Lint with ruff."""
    session.install("ruff")
    session.run("ruff", "check", "src")


@nox.session(default=False)
def properties(session: nox.Session) -> None:
    """Run the property tests with a large example budget (slow)."""
    _install(session, "tests")
    session.run(
        "pytest",
        "-m",
        "property",
        *session.posargs,
        env={"HYPOTHESIS_PROFILE": "ci"},
    )


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Benchmark batch scoring on 1,000,000 DB12 assessments (slow)."""
    session.install(".[dask]", *PACKS)
    session.run("python", "benchmarks/bench_batch.py", *session.posargs)


@nox.session(default=False)
def fuzz(session: nox.Session) -> None:
    """Run the loader fuzz tests with a large budget and report the figures."""
    _install(session, "tests")
    session.run(
        "pytest",
        "-m",
        "fuzz",
        "-q",
        *session.posargs,
        env={"HYPOTHESIS_PROFILE": "fuzz"},
    )


@nox.session(default=False)
def docs(session: nox.Session) -> None:
    """Build the documentation with warnings as errors and run its doctests."""
    _install(session, "docs")
    for builder in ("html", "doctest"):
        session.run(
            "sphinx-build",
            "-W",
            "--keep-going",
            "-b",
            builder,
            "docs",
            f"docs/_build/{builder}",
            *session.posargs,
        )


@nox.session(default=False)
def build(session: nox.Session) -> None:
    """Build wheels of the core and of every first-party pack into dist/."""
    session.install("build")
    for project in (".", *PACKS):
        session.run("python", "-m", "build", "--wheel", "--outdir", "dist", project)
