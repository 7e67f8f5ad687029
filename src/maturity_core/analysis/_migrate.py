"""Carry an assessment forward to a new version of its pack."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from maturity_core._assessment import Assessment, RatingEntry
from maturity_core._model import Pack


@attrs.frozen
class Rerate:
    """
    A requirement of the new version that needs (re-)rating, and why.

    .. versionadded:: 0.1.0
    """

    requirement: str
    reason: str
    previous: Mapping[str, str | None] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "requirement": self.requirement,
            "reason": self.reason,
            "previous": dict(self.previous),
        }


@attrs.frozen(eq=False)
class Migrated:
    """
    An assessment carried to a new pack version, with what needs re-rating
    and which old ratings were dropped.

    .. versionadded:: 0.1.0
    """

    assessment: Assessment
    carried: tuple[str, ...]
    rerate: tuple[Rerate, ...]
    dropped: tuple[tuple[str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "pack": self.assessment.pack,
            "pack_version": self.assessment.pack_version,
            "carried": len(self.carried),
            "rerate": [r.to_dict() for r in self.rerate],
            "dropped": [
                {"requirement": r, "reason": w} for r, w in self.dropped
            ],
        }


def migrate_assessment(pack: Pack, assessment: Assessment) -> Migrated:  # noqa: C901 -- one rule per kind of change
    """
    Carry *assessment* (made for an earlier version) forward to *pack*.

    Unchanged and renamed requirements keep their ratings; requirements
    split from or merged into others are left unrated for re-rating (a
    merge of equal ratings keeps the rating); removed ones are dropped; new
    ones are listed for rating.  The pack's ``migration`` block says what
    changed.

    .. versionadded:: 0.1.0
    """
    old = assessment.ratings_by_id
    changes = pack.data.get("migration", {}).get("changes", [])
    source_of: dict[str, tuple[str, list[str]]] = {}
    removed: dict[str, str] = {}
    for change in changes:
        kind, olds, news = change["kind"], change["old"], change.get("new", [])
        if kind == "removed":
            for o in olds:
                removed[o] = change.get("note", "removed in this version")
        for n in news:
            source_of[n] = (kind, olds)
    ratings: dict[str, str | None] = {}
    carried, rerate = [], []
    used: set[str] = set()
    for req in pack.requirements:
        rid = req.id
        if rid in source_of:
            kind, olds = source_of[rid]
            used.update(olds)
            previous = {o: old.get(o) for o in olds}
            values = set(previous.values())
            if kind == "renamed" and None not in values:
                ratings[rid] = previous[olds[0]]
                carried.append(rid)
            elif kind == "merged" and len(values) == 1 and None not in values:
                ratings[rid] = values.pop()
                carried.append(rid)
            else:
                ratings[rid] = None
                rerate.append(
                    Rerate(rid, f"{kind} from {', '.join(olds)}", previous)
                )
        elif rid in old:
            used.add(rid)
            ratings[rid] = old[rid]
            if old[rid] is not None:
                carried.append(rid)
        else:
            ratings[rid] = None
            rerate.append(Rerate(rid, "new in this version"))
    dropped = [
        (o, removed.get(o, "not in this version of the pack"))
        for o in old
        if o not in used and o not in ratings
    ]
    migrated = attrs.evolve(
        assessment,
        pack_version=pack.version,
        ratings=tuple(RatingEntry(r, v) for r, v in ratings.items()),
        tailoring=tuple(
            t for t in assessment.tailoring if t.node in pack.nodes
        ),
    )
    return Migrated(migrated, tuple(carried), tuple(rerate), tuple(dropped))
