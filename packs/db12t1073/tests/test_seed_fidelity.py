"""Requirement texts against the standard's full text (seed 001).

Each item's recorded seed lines, with whitespace and page noise removed,
read exactly as the item name followed by its five cells.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from pathlib import Path

import pytest

import maturity_core as mc


SEED_NAME = "001_ef983f31d08d7f03.txt"
NOISE = re.compile(r"^(DB\s*12\s*/T.*|表\s*\d+\s*（续）|能力子域及分项.*)$")


def _seed_path() -> Path:
    env = os.environ.get("MATURITY_CORE_SEEDS")
    base = (
        Path(env)
        if env
        else Path(__file__).resolve().parents[3].parent / "shared" / "seeds"
    )
    return base / SEED_NAME


@pytest.fixture(scope="module")
def seed_lines() -> list[str]:
    path = _seed_path()
    if not path.exists():
        pytest.skip(
            f"the DB12/T 1073-2021 seed text is not at {path}; set "
            "MATURITY_CORE_SEEDS to the seeds folder"
        )
    return path.read_text("utf-8").splitlines()


def _items(pack: mc.Pack) -> dict[tuple[str, str], list[mc.Requirement]]:
    items = defaultdict(list)
    for req in pack.requirements:
        items[req.node, req.item.zh].append(req)
    return items


def _candidates(lines: list[str]) -> set[str]:
    kept = [re.sub(r"\s+", "", ln) for ln in lines]
    kept = [ln for ln in kept if ln and not NOISE.match(ln)]
    return {
        "".join(kept),
        "".join(ln for ln in kept if len(ln) > 1),
    }


def test_every_item_reads_as_in_the_standard(seed_lines):
    """Item name + five cells equal the seed text of the item's lines."""
    pack = mc.load_pack("db12t1073")
    mismatched = []
    for (node, item), reqs in _items(pack).items():
        first, last = reqs[0].provenance["lines"]
        expected = item + "".join(
            re.sub(r"\s+", "", r.text.zh)
            for r in sorted(reqs, key=lambda r: r.level)
        )
        if expected not in _candidates(seed_lines[first - 1 : last]):
            mismatched.append(f"{node}/{item} (lines {first}-{last})")

    assert [] == mismatched


def test_cells_have_no_wrap_artefacts():
    """No requirement text keeps a line break or doubled space."""
    pack = mc.load_pack("db12t1073")

    assert [] == [
        r.id
        for r in pack.requirements
        if "\n" in r.text.zh
        or "  " in r.text.zh
        or r.text.zh != r.text.zh.strip()
    ]
