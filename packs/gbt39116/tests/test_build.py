"""tools/build_gbt39116.py regenerates the shipped pack byte for byte."""

from __future__ import annotations

import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest


BUILDER = Path(__file__).resolve().parents[3] / "tools" / "build_gbt39116.py"
PACKAGE = files("maturity_pack_gbt39116")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    if not BUILDER.is_file():
        pytest.skip("the builder lives in the source tree, not in the wheel")
    out = tmp_path_factory.mktemp("gbt39116")
    subprocess.run(  # noqa: S603 -- our own builder, by absolute path
        [sys.executable, str(BUILDER), "--out-dir", str(out)],
        check=True,
        capture_output=True,
    )
    return out


class TestBuilder:
    @pytest.mark.parametrize(
        "name", ["pack.json", "crosswalks/db12t1073-gbt39116.json"]
    )
    def test_regenerates_the_shipped_file(self, built, name):
        """The builder's output equals the shipped file, byte for byte."""
        shipped = PACKAGE.joinpath(name).read_bytes()

        assert shipped == (built / name).read_bytes()

    def test_writes_nothing_else(self, built):
        """Only the pack and its crosswalk are written."""
        assert [
            "crosswalks/db12t1073-gbt39116.json",
            "pack.json",
        ] == sorted(
            p.relative_to(built).as_posix()
            for p in built.rglob("*")
            if p.is_file()
        )
