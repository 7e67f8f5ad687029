# /// script
# dependencies = ["nox>=2025.2.9"]
# ///
"""Development sessions: tests, packs, typing, lint (and opt-in slow ones)."""

from __future__ import annotations

from pathlib import Path

import nox


nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests"]

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
PACKS = sorted(
    str(p.parent)
    for pattern in (
        "packs/*/pyproject.toml",
        "examples/packs/*/pyproject.toml",
    )
    for p in ROOT.glob(pattern)
)


def _install(session: nox.Session, *groups: str) -> None:
    """The core and every first-party pack from the working tree."""
    session.install(".", *PACKS)
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


@nox.session
def tests(session: nox.Session) -> None:
    """Run the core's and every pack's tests against real installs."""
    _install(session, "tests")
    session.run("pytest", *session.posargs)


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
