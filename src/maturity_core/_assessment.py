"""Assessments: ratings of one organisation against one pack."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from . import _jsonio
from ._model import NA, ROOT, Pack, Profile
from ._rules import rule_names
from ._schema import iter_schema_problems
from .exceptions import ArgumentError, AssessmentError, Problem


if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult


#: The newest assessment format this core reads.
ASSESSMENT_FORMAT = 1
MODES = ("self", "external")


@attrs.frozen
class Evidence:
    """
    Evidence behind a rating.

    .. versionadded:: 0.1.0
    """

    description: str
    method: str | None = None
    date: str | None = None
    owner: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (empty fields left out)."""
        return {k: v for k, v in attrs.asdict(self).items() if v is not None}


@attrs.frozen
class RatingEntry:
    """
    The rating of one requirement, with optional evidence and note.

    ``rating`` is ``None`` while the requirement is unrated.

    .. versionadded:: 0.1.0
    """

    requirement: str
    rating: str | None = None
    evidence: tuple[Evidence, ...] = ()
    note: str | None = None
    assessor: str | None = None
    node: str | None = None
    level: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        out: dict[str, Any] = {"id": self.requirement, "rating": self.rating}
        if self.evidence:
            out["evidence"] = [e.to_dict() for e in self.evidence]
        for key in ("note", "assessor", "node", "level"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


@attrs.frozen
class Tailoring:
    """
    A node taken out of scope, and why.

    .. versionadded:: 0.1.0
    """

    node: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready data."""
        return {"node": self.node, "reason": self.reason}


@attrs.frozen
class Assessor:
    """
    A person who rated, with an optional role (``lead`` or ``member``).

    .. versionadded:: 0.1.0
    """

    name: str
    role: str | None = None


@attrs.frozen
class Interview:
    """
    One interview held for one node of the pack: when, which departments
    and people were interviewed, and by which assessors.

    >>> Interview("data", departments=("IT",)).to_dict()
    {'node': 'data', 'departments': ['IT']}

    .. versionadded:: 0.3.0
    """

    node: str
    time: str | None = None
    departments: tuple[str, ...] = ()
    interviewees: tuple[str, ...] = ()
    assessors: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (empty fields left out)."""
        out: dict[str, Any] = {"node": self.node}
        if self.time is not None:
            out["time"] = self.time
        for key in ("departments", "interviewees", "assessors"):
            value = getattr(self, key)
            if value:
                out[key] = list(value)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Interview:
        """Build from schema-checked JSON data."""
        return cls(
            node=data["node"],
            time=data.get("time"),
            departments=tuple(data.get("departments", ())),
            interviewees=tuple(data.get("interviewees", ())),
            assessors=tuple(data.get("assessors", ())),
        )


#: The optional text fields of :class:`AssessmentMetadata`, in order.
_META_TEXT = (
    "organisation",
    "date",
    "mode",
    "notes",
    "report_number",
    "assessing_body",
    "scope",
    "start_date",
    "end_date",
)


@attrs.frozen
class AssessmentMetadata:
    """
    Who was assessed, when, by whom, and how; and what a report's cover
    names: the report number, the assessing body, the scope, the dates
    the assessment ran (``start_date`` to ``end_date``; ``date`` is the
    date of the result) and the interviews held.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.3.0 ``report_number``, ``assessing_body``,
       ``scope``, ``start_date``, ``end_date`` and ``interviews``.
    """

    organisation: str | None = None
    date: str | None = None
    mode: str | None = None
    assessors: tuple[Assessor, ...] = ()
    notes: str | None = None
    report_number: str | None = None
    assessing_body: str | None = None
    scope: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    interviews: tuple[Interview, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (empty fields left out)."""
        out: dict[str, Any] = {}
        for key in _META_TEXT:
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.assessors:
            out["assessors"] = [
                {"name": a.name, **({"role": a.role} if a.role else {})}
                for a in self.assessors
            ]
        if self.interviews:
            out["interviews"] = [i.to_dict() for i in self.interviews]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AssessmentMetadata:
        """Build from schema-checked JSON data."""
        return cls(
            **{key: data.get(key) for key in _META_TEXT},
            assessors=tuple(
                Assessor(a["name"], a.get("role"))
                for a in data.get("assessors", [])
            ),
            interviews=tuple(
                Interview.from_dict(i) for i in data.get("interviews", [])
            ),
        )


def _evidence(data: Any) -> tuple[Evidence, ...]:
    if data is None:
        return ()
    if isinstance(data, str):
        return (Evidence(description=data),)
    return tuple(
        Evidence(
            description=e["description"],
            method=e.get("method"),
            date=e.get("date"),
            owner=e.get("owner"),
        )
        for e in data
    )


@attrs.frozen(eq=False)
class Assessment:
    """
    Ratings of one organisation against one pack and profile.

    Build one with :meth:`from_path` or :meth:`from_dict`; "changes"
    return new objects (:meth:`with_rating`, :meth:`with_tailoring`).

    >>> a = Assessment.from_dict({"pack": "tiny", "ratings": [
    ...     {"id": "a.1", "rating": "full"}]})
    >>> a.rating_of("a.1")
    'full'

    .. versionadded:: 0.1.0
    """

    pack: str
    ratings: tuple[RatingEntry, ...]
    profile: str | None = None
    rule: str | None = None
    pack_version: str | None = None
    metadata: AssessmentMetadata = AssessmentMetadata()
    tailoring: tuple[Tailoring, ...] = ()
    source: str | None = attrs.field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        for i, entry in enumerate(self.ratings):
            if not isinstance(entry, RatingEntry):
                msg = (
                    f"Assessment(): ratings[{i}] must be a RatingEntry, got "
                    f"{type(entry).__name__}; build an assessment from JSON "
                    "data with Assessment.from_dict"
                )
                raise ArgumentError(msg)

    def __repr__(self) -> str:
        version = f" {self.pack_version}" if self.pack_version else ""
        profile = f" {self.profile}" if self.profile else ""
        rated = sum(1 for r in self.ratings if r.rating is not None)
        org = self.metadata.organisation
        of = f" of {org!r}" if org else ""
        return (
            f"<Assessment {self.pack}{version}{profile}{of}: "
            f"{rated}/{len(self.ratings)} rated, "
            f"{len(self.tailoring)} tailored>"
        )

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> RenderResult:
        """
        The full view when rich prints the assessment: its pack, profile
        and metadata, then every rating with its evidence and note, then
        what is tailored out.
        """
        from rich.table import Table  # noqa: PLC0415 -- views only
        from rich.text import Text  # noqa: PLC0415

        del console, options
        meta = self.metadata
        version = f" {self.pack_version}" if self.pack_version else ""
        yield Text(f"Assessment of {self.pack}{version}")
        for label, value in (
            ("Profile", self.profile),
            ("Organisation", meta.organisation),
            ("Date", meta.date),
            ("Mode", meta.mode),
            ("Source", self.source),
        ):
            if value:
                yield Text(f"{label + ':':<14}{value}")
        rated = sum(1 for r in self.ratings if r.rating is not None)
        table = Table(
            title=f"Ratings ({rated}/{len(self.ratings)} rated)",
            title_justify="left",
        )
        for column in ("Requirement", "Rating", "Evidence", "Note"):
            table.add_column(column)
        for entry in self.ratings:
            table.add_row(
                entry.requirement,
                entry.rating or "unrated",
                str(len(entry.evidence)) if entry.evidence else "",
                entry.note or "",
            )
        yield table
        for t in self.tailoring:
            yield Text(f"Tailored out: {t.node} ({t.reason})")

    @classmethod
    def from_dict(cls, data: Any, *, source: str | None = None) -> Assessment:
        """
        Build an assessment from parsed JSON data, checking its structure.

        Checks against a pack happen when it is scored or validated.

        Raises:
            AssessmentError: With every schema problem, each with its path.
        """
        if isinstance(data, dict):
            fmt = data.get("format", 1)
            if isinstance(fmt, int) and fmt > ASSESSMENT_FORMAT:
                raise AssessmentError(
                    [
                        Problem(
                            "$.format",
                            f"assessment format {fmt} is newer than this "
                            f"core reads (up to {ASSESSMENT_FORMAT}); "
                            "upgrade maturity-core",
                            "format-too-new",
                        )
                    ],
                    source,
                )
        problems = (
            list(iter_schema_problems("assessment", data))
            if isinstance(data, dict)
            else [
                Problem("$", "an assessment must be a JSON object", "schema")
            ]
        )
        if problems:
            raise AssessmentError(problems, source)
        meta = data.get("metadata", {})
        return cls(
            pack=data["pack"],
            pack_version=data.get("pack_version"),
            profile=data.get("profile"),
            rule=data.get("rule"),
            metadata=AssessmentMetadata.from_dict(meta),
            tailoring=tuple(
                Tailoring(t["node"], t["reason"])
                for t in data.get("tailoring", [])
            ),
            ratings=tuple(
                RatingEntry(
                    requirement=r["id"],
                    rating=r.get("rating"),
                    evidence=_evidence(r.get("evidence")),
                    note=r.get("note"),
                    assessor=r.get("assessor"),
                    node=r.get("node"),
                    level=r.get("level"),
                )
                for r in data["ratings"]
            ),
            source=source,
        )

    @classmethod
    def from_path(cls, path: str | os.PathLike[str]) -> Assessment:
        """
        Read an assessment JSON file (the file is only read).

        Raises:
            InputError: If the file cannot be read as strict JSON.
            AssessmentError: With every schema problem.
        """
        path = Path(path)
        return cls.from_dict(_jsonio.read_json(path), source=str(path))

    def to_dict(self) -> dict[str, Any]:
        """The assessment as JSON-ready data (round-trips via from_dict)."""
        out: dict[str, Any] = {"format": ASSESSMENT_FORMAT, "pack": self.pack}
        if self.pack_version is not None:
            out["pack_version"] = self.pack_version
        if self.profile is not None:
            out["profile"] = self.profile
        if self.rule is not None:
            out["rule"] = self.rule
        meta = self.metadata.to_dict()
        if meta:
            out["metadata"] = meta
        if self.tailoring:
            out["tailoring"] = [t.to_dict() for t in self.tailoring]
        out["ratings"] = [r.to_dict() for r in self.ratings]
        return out

    def rating_of(self, requirement: str) -> str | None:
        """The rating given to *requirement* (``None`` if unrated)."""
        for entry in self.ratings:
            if entry.requirement == requirement:
                return entry.rating
        return None

    @property
    def ratings_by_id(self) -> Mapping[str, str | None]:
        """Rating per requirement id (the last one wins on duplicates)."""
        return {e.requirement: e.rating for e in self.ratings}

    def with_rating(self, requirement: str, rating: str | None) -> Assessment:
        """A copy with *requirement* rated *rating* (added if absent)."""
        entries = list(self.ratings)
        for i, entry in enumerate(entries):
            if entry.requirement == requirement:
                entries[i] = attrs.evolve(entry, rating=rating)
                break
        else:
            entries.append(RatingEntry(requirement, rating))
        return attrs.evolve(self, ratings=tuple(entries))

    def with_ratings(self, ratings: Mapping[str, str | None]) -> Assessment:
        """A copy with every requirement in *ratings* rated as given."""
        entries = []
        seen = set()
        for entry in self.ratings:
            if entry.requirement in ratings:
                entries.append(
                    attrs.evolve(entry, rating=ratings[entry.requirement])
                )
                seen.add(entry.requirement)
            else:
                entries.append(entry)
        entries.extend(
            RatingEntry(r, v) for r, v in ratings.items() if r not in seen
        )
        return attrs.evolve(self, ratings=tuple(entries))

    def with_tailoring(self, *tailoring: Tailoring) -> Assessment:
        """A copy with *tailoring* added."""
        return attrs.evolve(self, tailoring=(*self.tailoring, *tailoring))

    def with_profile(self, profile: str | None) -> Assessment:
        """A copy scored under *profile*."""
        return attrs.evolve(self, profile=profile)


def blank_assessment(
    pack: Pack, profile: str | None = None, *, lang: str = "zh"
) -> dict[str, Any]:
    """
    A blank assessment for *pack* and *profile* as JSON-ready data: every
    in-scope requirement with its id, level, leaf node, item and a null
    rating.

    .. versionadded:: 0.1.0
    """
    if profile is not None and profile not in pack.profiles:
        problem = Problem(
            "$.profile",
            f"the pack has no profile {profile!r}; profiles: "
            f"{', '.join(pack.profiles)}",
            "unknown-profile",
        )
        raise AssessmentError([problem])
    prof = pack.get_profile(profile)
    ratings = []
    for req in pack.requirements:
        if req.node not in prof.scope:
            continue
        node = pack.nodes[req.node]
        ratings.append(
            {
                "id": req.id,
                "node": req.node,
                "node_name": node.name.get(lang),
                "level": req.level,
                "item": req.item.get(lang) or None,
                "text": req.text.get(lang),
                "rating": None,
                "note": None,
                "evidence": None,
            }
        )
    return {
        "format": ASSESSMENT_FORMAT,
        "pack": pack.id,
        "pack_version": pack.version,
        "profile": prof.id,
        "metadata": {
            "organisation": None,
            "date": None,
            "mode": None,
            "assessors": [],
        },
        "tailoring": [],
        "ratings": ratings,
    }


def iter_assessment_problems(
    pack: Pack, assessment: Assessment, profile: Profile
) -> Iterator[Problem]:
    """
    Yield every way *assessment* does not fit *pack* under *profile*.

    .. versionadded:: 0.1.0
    """
    if assessment.pack != pack.id:
        yield Problem(
            "$.pack",
            f"the assessment is for pack {assessment.pack!r}, not {pack.id!r}",
            "wrong-pack",
        )
        return
    if (
        assessment.pack_version is not None
        and assessment.pack_version.split(".")[0] != pack.version.split(".")[0]
    ):
        yield Problem(
            "$.pack_version",
            f"the assessment was made for pack version "
            f"{assessment.pack_version}; scores of major version "
            f"{pack.version.split('.')[0]} (installed {pack.version}) are not "
            "comparable",
            "pack-version",
        )
    if assessment.rule is not None and assessment.rule not in rule_names():
        yield Problem(
            "$.rule",
            f"unknown level rule {assessment.rule!r}; registered rules: "
            f"{', '.join(rule_names())}",
            "unknown-rule",
        )
    yield from _tailoring_problems(pack, assessment, profile)
    yield from _rating_problems(pack, assessment)
    if assessment.metadata.mode not in (None, *MODES):
        yield Problem(
            "$.metadata.mode",
            f"mode must be one of {', '.join(MODES)}",
            "schema",
        )
    yield from _metadata_problems(pack, assessment.metadata)


def _metadata_problems(
    pack: Pack, meta: AssessmentMetadata
) -> Iterator[Problem]:
    for key in ("date", "start_date", "end_date"):
        value = getattr(meta, key)
        if value is not None and not _is_date(value):
            yield Problem(
                f"$.metadata.{key}",
                f"{key} must be a calendar date YYYY-MM-DD (got {value!r})",
                "date",
            )
    if (
        meta.start_date is not None
        and meta.end_date is not None
        and _is_date(meta.start_date)
        and _is_date(meta.end_date)
        and meta.end_date < meta.start_date
    ):
        yield Problem(
            "$.metadata.end_date",
            f"end_date {meta.end_date} is before start_date "
            f"{meta.start_date}; the assessment ends on or after its start",
            "date",
        )
    for i, interview in enumerate(meta.interviews):
        if interview.node not in pack.nodes or interview.node == ROOT:
            yield Problem(
                f"$.metadata.interviews[{i}].node",
                f"unknown node {interview.node!r} for pack {pack.id}; an "
                "interview names a node of the pack: "
                f"{', '.join(n for n in pack.nodes if n != ROOT)}",
                "unknown-node",
            )


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == len("YYYY-MM-DD")


def _tailoring_problems(
    pack: Pack, assessment: Assessment, profile: Profile
) -> Iterator[Problem]:
    tailored: set[str] = set()
    for i, t in enumerate(assessment.tailoring):
        path = f"$.tailoring[{i}].node"
        if t.node not in pack.nodes or t.node == ROOT:
            yield Problem(
                path,
                f"unknown node {t.node!r}; tailorable nodes: "
                f"{', '.join(_tailorable(pack, profile)) or 'none'}",
                "unknown-node",
            )
        elif t.node not in profile.scope:
            yield Problem(
                path,
                f"node {t.node!r} is not in profile {profile.id!r}'s scope",
                "out-of-scope",
            )
        elif not pack.is_tailorable(profile, t.node):
            below = sorted(
                n.id
                for n in pack.nodes[t.node].walk()
                if n.id in profile.mandatory and n.id != t.node
            )
            why = (
                f"contains mandatory node {', '.join(map(repr, below))}"
                if below and not pack.is_mandatory(profile, t.node)
                else "is mandatory"
            )
            yield Problem(
                path,
                f"node {t.node!r} {why} in profile {profile.id!r} and "
                f"cannot be tailored out; tailorable nodes: "
                f"{', '.join(_tailorable(pack, profile)) or 'none'}",
                "mandatory-node",
            )
        elif t.node in tailored:
            yield Problem(
                path, f"node {t.node!r} is tailored out twice", "duplicate-id"
            )
        tailored.add(t.node)


def _rating_problems(pack: Pack, assessment: Assessment) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for i, entry in enumerate(assessment.ratings):
        path = f"$.ratings[{i}]"
        rid = entry.requirement
        req = pack.requirements_by_id.get(rid)
        if req is None:
            yield Problem(
                f"{path}.id",
                f"unknown requirement id {rid!r} for pack {pack.id} "
                f"{pack.version}; `maturity template {pack.id}` lists the "
                "valid ids",
                "unknown-requirement",
            )
            continue
        if rid in seen:
            yield Problem(
                f"{path}.id",
                f"requirement {rid!r} is rated twice (first at "
                f"$.ratings[{seen[rid]}])",
                "duplicate-requirement",
            )
        seen.setdefault(rid, i)
        rubric = pack.rubric_of(req)
        valid = rubric.ids
        if entry.rating is not None and entry.rating not in valid:
            hint = ""
            named = "" if rubric is pack.rubric else f" {rubric.id!r}"
            if entry.rating == NA:
                hint = (
                    f" ('na' is not allowed by pack {pack.id}'s rubric{named})"
                )
            yield Problem(
                f"{path}.rating",
                f"rating {entry.rating!r} is not in the rubric{hint}; valid "
                f"ratings: {', '.join(valid)}",
                "invalid-rating",
            )
        if entry.node is not None and entry.node != req.node:
            yield Problem(
                f"{path}.node",
                f"requirement {rid!r} belongs to node {req.node!r}, not "
                f"{entry.node!r}",
                "mismatch",
            )
        if entry.level is not None and entry.level != req.level:
            yield Problem(
                f"{path}.level",
                f"requirement {rid!r} is at level {req.level}, not "
                f"{entry.level}",
                "mismatch",
            )


def _tailorable(pack: Pack, profile: Profile) -> list[str]:
    return [
        n.id for n in pack.root.walk() if pack.is_tailorable(profile, n.id)
    ]
