"""Shared fixtures (the hypothesis profiles live in the root conftest.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

import maturity_core


FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "packs" / "tiny"



#: Inputs tried per fuzzed loader (filled by tests/test_fuzz.py).
FUZZ_TRIED: Counter[str] = Counter()


@pytest.fixture(scope="session")
def fuzz_tried() -> Counter[str]:
    return FUZZ_TRIED


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ARG001
    """Report how many fuzzed inputs were tried and how many tests failed."""
    if not FUZZ_TRIED:
        return
    failed = [
        r
        for r in terminalreporter.stats.get("failed", [])
        if "test_fuzz.py" in r.nodeid
    ]
    terminalreporter.write_line(
        f"fuzz: {sum(FUZZ_TRIED.values())} inputs tried, "
        f"{len(failed)} failing fuzz tests"
    )
    for name, n in sorted(FUZZ_TRIED.items()):
        terminalreporter.write_line(f"fuzz:   {name}: {n}")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite tests/goldens/* from the current output",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare text with tests/goldens/NAME (or rewrite it)."""
    update = request.config.getoption("--update-goldens")

    def check(name: str, text: str) -> None:
        path = FIXTURES.parent / "goldens" / name
        if update:
            path.write_text(text, "utf-8")
            return
        expected = path.read_text("utf-8")
        assert expected == text, (
            f"{name} differs from the golden file; if the change is "
            "intended, run: pytest tests/test_report.py --update-goldens"
        )

    return check


@pytest.fixture(autouse=True)
def _reset_pack_cache() -> Iterator[None]:
    """Every test starts with no packs cached."""
    maturity_core.clear_pack_cache()
    yield
    maturity_core.clear_pack_cache()


@pytest.fixture
def tiny() -> maturity_core.Pack:
    """The tiny fixture pack, loaded from its directory."""
    return maturity_core.load_pack(TINY)


@pytest.fixture
def tiny_dir() -> Path:
    return TINY
