"""
Overlays: changes to a pack supplied by someone who holds the official
text (requirement texts, added or removed requirements, weights, rule).

An overlay is validated, applied to the pack's data, and the result is
validated again as a pack; every result scored with an overlaid pack
records the overlay's id, source and content hash.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from . import _jsonio
from ._model import Pack
from ._packs import content_hash, pack_from_data
from ._schema import iter_schema_problems
from .exceptions import InvalidPackError, Problem


@attrs.frozen
class OverlayInfo:
    """
    Which overlay was applied to a pack.

    .. versionadded:: 0.1.0
    """

    id: str
    source: str
    hash: str
    file: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """JSON-ready data."""
        return attrs.asdict(self)


def _load(overlay: Any) -> tuple[Any, str | None]:
    if isinstance(overlay, (str, os.PathLike)):
        path = Path(overlay)
        return _jsonio.read_json(path), str(path)
    return (dict(overlay) if isinstance(overlay, Mapping) else overlay), None


def apply_overlay(
    pack: Pack, overlay: Mapping[str, Any] | str | os.PathLike[str]
) -> Pack:
    """
    Return *pack* with *overlay* applied (the pack itself is unchanged).

    Raises:
        InvalidPackError: If the overlay is malformed, names requirements
            or nodes the pack lacks, or leaves an invalid pack (for
            example weights that no longer sum to 1); every problem is
            listed with its JSON path in the overlay.

    .. versionadded:: 0.1.0
    """
    data, file = _load(overlay)
    problems = list(iter_schema_problems("overlay", data))
    if problems:
        raise InvalidPackError(pack.id, problems, file or "overlay")
    if data["pack"] != pack.id:
        raise InvalidPackError(
            pack.id,
            [
                Problem(
                    "$.pack",
                    f"the overlay is for pack {data['pack']!r}, not "
                    f"{pack.id!r}",
                    "wrong-pack",
                )
            ],
            file or "overlay",
        )
    new = copy.deepcopy(dict(pack.data))
    problems = _apply(new, data)
    if problems:
        raise InvalidPackError(pack.id, problems, file or "overlay")
    info = OverlayInfo(
        id=data["id"],
        source=data["source"],
        hash=content_hash(data),
        file=file,
    )
    try:
        result = pack_from_data(
            new,
            source=f"{pack.source} + overlay {info.id}",
            trusted=pack.trusted,
        )
    except InvalidPackError as e:
        raise InvalidPackError(
            pack.id,
            [
                attrs.evolve(p, message=f"after the overlay: {p.message}")
                for p in e.problems
            ],
            file or "overlay",
        ) from None
    return attrs.evolve(result, overlays=(*pack.overlays, info))


def _apply(new: dict[str, Any], data: Mapping[str, Any]) -> list[Problem]:  # noqa: C901 -- one list of edits
    problems = []
    stamp = {
        "status": "read",
        "source": data["source"],
        "note": f"overlay {data['id']}",
    }
    reqs = data.get("requirements", {})
    index = {r["id"]: i for i, r in enumerate(new["requirements"])}
    for j, rid in enumerate(reqs.get("remove", [])):
        if rid not in index:
            problems.append(
                Problem(
                    f"$.requirements.remove[{j}]",
                    f"the pack has no requirement {rid!r}",
                    "unknown-requirement",
                )
            )
    removed = set(reqs.get("remove", []))
    for j, change in enumerate(reqs.get("replace", [])):
        rid = change["id"]
        if rid not in index:
            problems.append(
                Problem(
                    f"$.requirements.replace[{j}].id",
                    f"the pack has no requirement {rid!r}; use 'add' for "
                    "new ones",
                    "unknown-requirement",
                )
            )
            continue
        target = new["requirements"][index[rid]]
        for key in ("text", "item", "tags"):
            if key in change:
                target[key] = change[key]
        target["provenance"] = change.get("provenance", stamp)
    new["requirements"] = [
        r for r in new["requirements"] if r["id"] not in removed
    ]
    for req in reqs.get("add", []):
        new["requirements"].append({"provenance": stamp, **req})
    profiles = {p["id"]: p for p in new["profiles"]}
    for pid, weights in data.get("weights", {}).items():
        if pid not in profiles:
            problems.append(
                Problem(
                    f"$.weights.{pid}",
                    f"the pack has no profile {pid!r}; profiles: "
                    f"{', '.join(profiles)}",
                    "unknown-profile",
                )
            )
            continue
        profiles[pid]["weights"] = {**profiles[pid]["weights"], **weights}
        profiles[pid]["provenance"] = stamp
    if "method" in data:
        new["method"] = {
            **new["method"],
            **data["method"],
            "provenance": stamp,
        }
    return problems
