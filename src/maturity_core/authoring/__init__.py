"""
Tools for pack authors: a new pack's skeleton, every problem of a pack
with its test vectors run, the pack as the standard's tables (Markdown or
HTML) and the differences between two versions of a pack::

    >>> from maturity_core import authoring
    >>> diff = authoring.diff_packs(old, new)  # doctest: +SKIP
"""

from __future__ import annotations

from ._authoring import (
    PackCheck,
    PackDiff,
    check_pack_path,
    diff_packs,
    pack_html,
    pack_markdown,
    scaffold_pack,
)


__all__ = [
    "PackCheck",
    "PackDiff",
    "check_pack_path",
    "diff_packs",
    "pack_html",
    "pack_markdown",
    "scaffold_pack",
]
