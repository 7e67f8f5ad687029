"""Re-verify a recorded result: same inputs, same core, same output."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from . import _jsonio
from ._assessment import Assessment
from ._model import Pack
from ._overlay import apply_overlay
from ._packs import load_pack
from ._scoring import score
from .exceptions import AssessmentError, Problem


_IDENTITY = (
    ("core_version", "the maturity-core version"),
    ("pack", "the pack id"),
    ("pack_version", "the pack version"),
    ("pack_hash", "the pack data (content hash)"),
    ("overlays", "the overlays applied"),
    ("assessment_hash", "the assessment (content hash)"),
    ("profile", "the profile"),
    ("rule", "the level rule"),
    ("scope", "the scope"),
)


@attrs.frozen
class Difference:
    """
    One field that differs between a recorded and a recomputed result.

    .. versionadded:: 0.1.0
    """

    field: str
    meaning: str
    recorded: Any
    now: Any

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return attrs.asdict(self)


@attrs.frozen
class Verification:
    """
    The outcome of :func:`verify_result`: ``ok`` when the recomputed JSON
    is identical to the recorded one.

    .. versionadded:: 0.1.0
    """

    ok: bool
    differences: tuple[Difference, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "ok": self.ok,
            "differences": [d.to_dict() for d in self.differences],
        }


def verify_result(
    recorded: Mapping[str, Any] | str | os.PathLike[str],
    assessment: Assessment,
    *,
    pack: Pack | str | None = None,
    overlays: Sequence[str | os.PathLike[str]] = (),
) -> Verification:
    """
    Score *assessment* again as *recorded* was scored (same profile and
    rule, the given overlays) and report every difference: core version,
    pack version or data, overlays, assessment, scope, and any figure.

    .. versionadded:: 0.1.0
    """
    source = None
    if not isinstance(recorded, Mapping):
        source = str(recorded)
        recorded = _jsonio.read_json(Path(recorded))
    if not isinstance(recorded, Mapping) or "pack" not in recorded:
        raise AssessmentError(
            [Problem("$", "not a maturity-core result (no 'pack')", "schema")],
            source,
        )
    problems = [
        Problem(f"$.{field}", f"must be a string (got {value!r})", "schema")
        for field in ("pack", "profile", "rule")
        if not isinstance(value := recorded.get(field), str)
        and (field == "pack" or value is not None)
    ]
    if problems:
        raise AssessmentError(problems, source)
    loaded = (
        pack if isinstance(pack, Pack) else load_pack(pack or recorded["pack"])
    )
    for overlay in overlays:
        loaded = apply_overlay(loaded, overlay)
    now = score(
        loaded,
        assessment,
        profile=recorded.get("profile"),
        rule=recorded.get("rule"),
    ).to_dict()
    differences = [
        Difference(field, meaning, recorded.get(field), now.get(field))
        for field, meaning in _IDENTITY
        if _differ(recorded.get(field), now.get(field))
    ]
    named = {field for field, _ in _IDENTITY}
    differences += [
        Difference(key, "a recorded figure", recorded.get(key), now.get(key))
        for key in sorted(set(recorded) | set(now))
        if key not in named and _differ(recorded.get(key), now.get(key))
    ]
    return Verification(not differences, tuple(differences))


def _differ(recorded: Any, now: Any) -> bool:
    """
    Whether two JSON values differ as JSON: ``true`` is not ``1`` and
    ``2.0`` is not ``2``, though Python compares them equal.
    """
    return _jsonio.canonical(recorded) != _jsonio.canonical(now)
