"""
Tools for pack authors: a new pack's skeleton and the differences between
two versions of a pack::

    >>> from maturity_core import authoring
    >>> diff = authoring.diff_packs(old, new)  # doctest: +SKIP
"""

from __future__ import annotations

from ._authoring import PackDiff, diff_packs, scaffold_pack


__all__ = ["PackDiff", "diff_packs", "scaffold_pack"]
