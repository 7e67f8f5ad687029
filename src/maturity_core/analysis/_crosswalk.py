"""
Crosswalks: mappings between packs, and carrying an assessment's ratings
from one pack to another.

Only ``equal`` mappings carry a rating by default: a requirement that is
a subset, superset or intersection of another cannot inherit its rating
without review, so those are reported instead (pass *relations* to carry
them anyway, knowingly).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs

from maturity_core import _jsonio
from maturity_core._assessment import Assessment, RatingEntry, Tailoring
from maturity_core._model import Pack
from maturity_core._packs import discover_packs
from maturity_core._schema import iter_schema_problems
from maturity_core._scoring import Result, score
from maturity_core.exceptions import InvalidPackError, NotFoundError, Problem


RELATIONS = ("equal", "subset", "superset", "intersects")


@attrs.frozen
class CrosswalkEntry:
    """
    One mapping of a crosswalk.

    .. versionadded:: 0.1.0
    """

    source: str
    target: str
    relation: str
    confidence: Fraction
    note: str | None = None


@attrs.frozen(eq=False)
class Crosswalk:
    """
    A validated mapping from pack ``source`` to pack ``target``.

    .. versionadded:: 0.1.0
    """

    id: str
    source: str
    target: str
    nodes: tuple[CrosswalkEntry, ...]
    requirements: tuple[CrosswalkEntry, ...]
    provenance: Mapping[str, Any]
    file: str | None = None

    @classmethod
    def from_dict(cls, data: Any, *, file: str | None = None) -> Crosswalk:
        """
        Validate crosswalk data.

        Raises:
            InvalidPackError: With every schema problem.
        """
        problems = list(iter_schema_problems("crosswalk", data))
        if problems:
            raise InvalidPackError(None, problems, file or "crosswalk")

        def maps(
            items: Iterable[Mapping[str, Any]],
        ) -> tuple[CrosswalkEntry, ...]:
            return tuple(
                CrosswalkEntry(
                    m["source"],
                    m["target"],
                    m["relation"],
                    Fraction(m["confidence"]),
                    m.get("note"),
                )
                for m in items
            )

        return cls(
            id=data["id"],
            source=data["source"]["pack"],
            target=data["target"]["pack"],
            nodes=maps(data.get("nodes", [])),
            requirements=maps(data["requirements"]),
            provenance=dict(data["provenance"]),
            file=file,
        )

    @classmethod
    def from_path(cls, path: str | os.PathLike[str]) -> Crosswalk:
        """Read and validate a crosswalk file."""
        path = Path(path)
        return cls.from_dict(_jsonio.read_json(path), file=str(path))

    def reversed(self) -> Crosswalk:
        """The same mapping read from target to source."""
        flip = {"subset": "superset", "superset": "subset"}

        def rev(
            items: tuple[CrosswalkEntry, ...],
        ) -> tuple[CrosswalkEntry, ...]:
            return tuple(
                CrosswalkEntry(
                    m.target,
                    m.source,
                    flip.get(m.relation, m.relation),
                    m.confidence,
                    m.note,
                )
                for m in items
            )

        return attrs.evolve(
            self,
            id=f"{self.id}-reversed",
            source=self.target,
            target=self.source,
            nodes=rev(self.nodes),
            requirements=rev(self.requirements),
        )

    def check(self, source: Pack, target: Pack) -> list[Problem]:
        """Every mapping that names a node or requirement a pack lacks."""
        problems = []
        for kind, items, s_ids, t_ids in (
            ("nodes", self.nodes, source.nodes, target.nodes),
            (
                "requirements",
                self.requirements,
                source.requirements_by_id,
                target.requirements_by_id,
            ),
        ):
            for i, m in enumerate(items):
                if m.source not in s_ids:
                    problems.append(
                        Problem(
                            f"$.{kind}[{i}].source",
                            f"pack {source.id} has no {kind[:-1]} "
                            f"{m.source!r}",
                            "unknown-id",
                        )
                    )
                if m.target not in t_ids:
                    problems.append(
                        Problem(
                            f"$.{kind}[{i}].target",
                            f"pack {target.id} has no {kind[:-1]} "
                            f"{m.target!r}",
                            "unknown-id",
                        )
                    )
        return problems


def find_crosswalk(source: str, target: str) -> Crosswalk:
    """
    The crosswalk between installed packs *source* and *target*, from the
    ``crosswalks/`` folder of either pack (reversed if stored the other
    way round).

    Raises:
        NotFoundError: If no installed pack ships one.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 Raises instead of returning ``None``.
    """
    for info in discover_packs():
        if info.id not in (source, target):
            continue
        folder = files(info.entry_point).joinpath("crosswalks")
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if not entry.name.endswith(".json"):
                continue
            data = _jsonio.loads(entry.read_text("utf-8"), entry.name)
            walk = Crosswalk.from_dict(
                data, file=f"{info.entry_point}/crosswalks/{entry.name}"
            )
            if (walk.source, walk.target) == (source, target):
                return walk
            if (walk.source, walk.target) == (target, source):
                return walk.reversed()
    msg = (
        f"no installed pack ships a crosswalk between {source} and "
        f"{target}; give one with Crosswalk.from_path"
    )
    raise NotFoundError(msg)


@attrs.frozen
class NotCarried:
    """
    A requirement whose rating could not be carried, and why.

    .. versionadded:: 0.1.0
    """

    requirement: str
    reason: str
    side: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready data."""
        return attrs.asdict(self)


@attrs.frozen(eq=False)
class Carried:
    """
    An assessment carried to another pack, with what was left behind.

    .. versionadded:: 0.1.0
    """

    crosswalk: Crosswalk
    assessment: Assessment
    carried: tuple[tuple[str, str, str], ...]
    not_carried: tuple[NotCarried, ...]


#: Why a rating was not carried: the words one assessment and a whole
#: population (:func:`maturity_core.batch.carry_codes`) share.
REASON_NO_MAPPING = "no mapping from the source pack"
REASON_UNRATED = "the source requirement is unrated"
REASON_DIFFERENT = (
    "several source requirements map here with different ratings"
)
REASON_UNUSED = "no usable mapping to the target pack"
REASON_NOT_IN_RUBRIC = "the rating is not in the target rubric"


def relation_reason(maps: Sequence[CrosswalkEntry], allowed: set[str]) -> str:
    """Why a target requirement mapped only through unusable relations
    was not carried."""
    kinds = ", ".join(sorted({m.relation for m in maps}))
    return (
        f"mapped only as {kinds}; a rating is carried only through "
        f"{', '.join(sorted(allowed))} mappings"
    )


def carry_assessment(  # noqa: C901, PLR0912, PLR0913 -- one pass per kind
    crosswalk: Crosswalk,
    assessment: Assessment,
    source: Pack,
    target: Pack,
    *,
    profile: str | None = None,
    relations: Iterable[str] = ("equal",),
) -> Carried:
    """
    Carry *assessment* (of *source*) to *target* through *crosswalk*.

    Ratings of requirements mapped with a relation in *relations* are
    copied; every other target requirement is left unrated and every
    source rating that found no home is listed, each with its reason.
    Tailoring follows ``equal`` node mappings where the target allows it.

    Raises:
        InvalidPackError: If the crosswalk names ids the packs lack.

    .. versionadded:: 0.1.0
    """
    problems = crosswalk.check(source, target)
    if problems:
        raise InvalidPackError(None, problems, crosswalk.file or crosswalk.id)
    allowed = set(relations)
    wanted_profile = profile or (
        assessment.profile if assessment.profile in target.profiles else None
    )
    prof = target.get_profile(wanted_profile)
    ratings = assessment.ratings_by_id
    by_target: dict[str, list[CrosswalkEntry]] = {}
    for m in crosswalk.requirements:
        by_target.setdefault(m.target, []).append(m)
    entries = []
    carried: list[tuple[str, str, str]] = []
    not_carried = []
    used: set[str] = set()
    for req in target.requirements:
        if req.node not in prof.scope:
            continue
        maps = by_target.get(req.id, [])
        usable = [m for m in maps if m.relation in allowed]
        rating = None
        if not maps:
            not_carried.append(NotCarried(req.id, REASON_NO_MAPPING, "target"))
        elif not usable:
            not_carried.append(
                NotCarried(req.id, relation_reason(maps, allowed), "target")
            )
        else:
            values = {ratings.get(m.source) for m in usable}
            used.update(m.source for m in usable)
            if len(values) == 1 and None not in values:
                rating = values.pop()
                carried.extend((m.source, req.id, m.relation) for m in usable)
            elif None in values:
                not_carried.append(
                    NotCarried(req.id, REASON_UNRATED, "target")
                )
            else:
                not_carried.append(
                    NotCarried(
                        req.id,
                        f"{REASON_DIFFERENT} "
                        f"({', '.join(sorted(map(str, values)))})",
                        "target",
                    )
                )
        rubric = target.rubric_of(req)
        if rating is not None and rating not in rubric.ids:
            not_carried.append(
                NotCarried(
                    req.id,
                    f"{REASON_NOT_IN_RUBRIC} ({rating})",
                    "target",
                )
            )
            rating = None
        entries.append(RatingEntry(req.id, rating))
    for rid, value in ratings.items():
        if rid not in used and value is not None:
            not_carried.append(NotCarried(rid, REASON_UNUSED, "source"))
    node_map = {
        m.source: m.target for m in crosswalk.nodes if m.relation == "equal"
    }
    tailoring = []
    for t in assessment.tailoring:
        node = node_map.get(t.node)
        if node is not None and target.is_tailorable(prof, node):
            tailoring.append(Tailoring(node, t.reason))
        else:
            not_carried.append(
                NotCarried(
                    t.node,
                    "tailoring not carried: no equal node in the target pack, "
                    "or the target does not allow tailoring it out",
                    "source",
                )
            )
    new = Assessment(
        pack=target.id,
        pack_version=target.version,
        profile=prof.id,
        metadata=assessment.metadata,
        tailoring=tuple(tailoring),
        ratings=tuple(entries),
        source=f"{assessment.source or 'assessment'} via {crosswalk.id}",
    )
    return Carried(crosswalk, new, tuple(carried), tuple(not_carried))


def compare_across(
    carried: Carried, source: Pack, target: Pack, original: Assessment
) -> tuple[Result, Result]:
    """
    Score the original and the carried assessment side by side (unrated
    target requirements score as the lowest rating, and say so).

    .. versionadded:: 0.1.0
    """
    before = score(source, original)
    after = score(target, carried.assessment, unrated="none")
    return before, after
