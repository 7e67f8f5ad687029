"""The core speaks no standard's vocabulary: its code names depths and
tiers, never the kinds of one family of standards."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import maturity_core


SRC = Path(maturity_core.__file__).parent

#: Words of the capability-maturity standards the first-party packs
#: encode (their tiers, profiles, level names and titles).  They belong in
#: pack data, never in the core.
TERMS = (
    r"\belements?\b",
    r"\bsub-?domains?\b",
    r"\bdomains?\b",
    "能力要素",
    "能力域",
    "能力子域",
    "智能制造",
    "两化融合",
    "流程型",
    "离散型",
    "未达到一级",
    "规划级",
    r"\bCMMM\b",
    r"GB/T\s*3911[67]",
    r"DB12",
    r"\bdb12t1073\b",
    r"\bgbt39116\b",
    r"\bbcgrading\b",
)


def _sources():
    return sorted(
        p
        for p in SRC.rglob("*")
        if p.suffix in {".py", ".json"} and p.is_file()
    )


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_no_standard_vocabulary_in_the_core(path):
    """No source or schema file of the core uses a standard's words."""
    text = path.read_text(encoding="utf-8")
    found = [
        (term, text[: m.start()].count("\n") + 1)
        for term in TERMS
        for m in re.finditer(term, text, flags=re.IGNORECASE)
    ]

    assert [] == found
