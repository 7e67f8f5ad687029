"""
Questionnaires: an assessment as a spreadsheet (XLSX or CSV) for raters.

Today's practice is a questionnaire grouped by module; a questionnaire here
is one row per in-scope requirement, grouped and ordered as the pack's tree,
that raters fill in and the core reads back with the same checks as an
assessment JSON file.

A questionnaire speaks one language (``lang``, by default the pack's main
one): its sheet names, headers, field names, values such as the mode and
the roles, and its instructions come from the questionnaire's message
catalogue (English, Chinese and German; English for other languages), and
the pack's tier and node names, requirement texts and rating labels from
the pack.  A text the pack lacks in that language is shown in its original
language, labelled with it (``[original, zh] …``).  Reading accepts sheet
names, headers and values in any catalogue language, and the canonical
names below, so a questionnaire reads whatever language it was written in.

XLSX workbooks have these sheets (named here in English):

``instructions``
    How to fill in the questionnaire, step by step, and each rubric's
    ratings with their labels, values and ids.  Not read back.
``ratings``
    Columns ``id``, one column per tier of the pack's tree headed by the
    tier's name (for example *Function*, *Category*, *Practice*: the
    names of the requirement's nodes), ``item``, ``level``,
    ``requirement``, ``rating``, ``evidence`` and ``note`` (and
    ``assessor`` when a rating names its assessor).  ``rating`` has a
    drop-down of the labels of the requirement's rubric (its not
    applicable label too where the rubric allows it); the label is what
    is written, and the label in any of the pack's languages or the
    rating's id is read.  A blank rating is unrated.  The tier columns,
    ``item`` and ``requirement`` only inform the rater and are not read
    back; ``level`` is read and checked.  Above the requirements, a row
    gives the overall progress, and a heading row for each node of the
    tiers down to the charted one gives its name and its progress: a
    formula for the share of its requirements rated among those not
    tailored out, shown as a percentage, which Excel and LibreOffice
    update as ratings are filled in.  Requirement rows are outlined under
    their headings.  A row without an id, a level, evidence, a note and
    an assessor is a heading and is not read.
``metadata``
    Columns ``field`` and ``value``; fields ``pack``, ``pack_version``,
    ``profile`` (a drop-down of the pack's profiles), ``rule`` (the
    pack's rules offered), ``organisation``, ``date`` (a date cell),
    ``mode`` (a drop-down) and ``notes``; ``assessors`` (one cell,
    ``name:role; name:role``, the role may be left out) is read too.  Only
    ``pack`` is required.
``assessors``
    Columns ``name`` and ``role`` (a drop-down; may be blank), one
    assessor a row.  Assessors given both here and in the ``assessors``
    field are refused.
``tailoring``
    Columns ``node``, ``title``, ``tailored`` and ``reason``: one row for
    each node the profile lets be tailored out, in tree order.  A node is
    taken out of scope by choosing *yes* in ``tailored`` (a drop-down) and
    giving the reason; a reason without the mark is refused.  A sheet
    without a ``tailored`` column takes every row's node out.

CSV questionnaires (UTF-8 with a byte-order mark, so Excel shows Chinese
correctly) have one sheet, so the rest travels in extra columns:
``pack``, ``pack_version`` and ``profile`` repeated on every row;
``rule``, ``organisation``, ``date``, ``mode``, ``assessors`` and
``notes`` taken from the first row; and ``tailoring_node`` and
``tailoring_reason``, one tailored node a row from the first row on
(these two do not belong to the requirement on the same row).  Only
``id``, ``rating`` and ``pack`` are required.  Headers are written in the
questionnaire's language and read in any.

Reading back gives one rating per row, in row order, with its ``id``,
``rating``, ``evidence`` (a plain string), ``note``, ``level`` and the
``node`` the pack puts the requirement under.  So the round trip is exact
for assessments that list each in-scope requirement once, in tree order,
with its node and level, as :func:`blank_assessment` makes them, and
(in XLSX) tailor nodes in tree order.  Not carried exactly:

* structured evidence (a list, or with method, date or owner) is
  flattened to text, one line per item;
* empty strings read back as absent;
* in CSV, assessor names may not contain ``;`` (the separator of their
  cell); writing refuses them.

Dates saved by Excel as ``2026/10/15`` are read as ``2026-10-15``.  A CSV
text cell that a spreadsheet would run as a formula (it begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return and is not a plain
number) is written with a single quote in front, and the quote is removed
again on reading, so such texts round-trip exactly.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import importlib
import io
import itertools
import os
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import IO, Any

import attrs

from maturity_core import _files, _jsonio
from maturity_core._assessment import (
    ASSESSMENT_FORMAT,
    Assessment,
    RatingEntry,
    iter_assessment_problems,
)
from maturity_core._escape import from_csv_cell, to_csv_cell
from maturity_core._model import NA, Pack, Profile, Requirement, Rubric
from maturity_core._packs import discover_packs, load_pack
from maturity_core._scoring import profile_or_error
from maturity_core._text import Text
from maturity_core.exceptions import (
    AssessmentError,
    InputError,
    MaturityCoreError,
    PackNotFoundError,
    Problem,
    UnknownRequirementError,
)

from ._messages import CATALOGUE, message, spellings


#: The columns of the ``ratings`` sheet, in order, after ``id`` and the
#: pack's tier columns.
COLUMNS = (
    "id",
    "item",
    "level",
    "requirement",
    "rating",
    "evidence",
    "note",
)
#: Written only when a rating names its assessor.
_ASSESSOR = "assessor"
_RATING_COLUMNS = (*COLUMNS, _ASSESSOR)


def tier_columns(pack: Pack) -> tuple[str, ...]:
    """The tier columns of *pack*'s questionnaires: its tier ids, top first."""
    return tuple(pack.tier(d).id for d in range(1, pack.max_depth + 1))


def rating_columns(tiers: Sequence[str]) -> tuple[str, ...]:
    """The columns of a ``ratings`` sheet with *tiers*, in order."""
    return (COLUMNS[0], *tiers, *COLUMNS[1:], _ASSESSOR)


#: In a ``ratings`` header, the columns between these two are the tier
#: columns: they inform the rater, are not read back, and may carry any
#: name (a questionnaire of any pack reads without knowing its tiers).
_TIER_SPAN = ("id", "item")


_REQUIRED = ("id", "rating")
#: The fields of the ``metadata`` sheet, in order.
METADATA_FIELDS = (
    "pack",
    "pack_version",
    "profile",
    "rule",
    "organisation",
    "date",
    "mode",
    "assessors",
    "notes",
)
#: Fields at the top of an assessment; the others are under ``metadata``.
_TOP_FIELDS = ("pack", "pack_version", "profile", "rule")
#: Free text, kept exactly; the other fields are words, stripped.
_TEXT_FIELDS = ("organisation", "notes")
_CSV_REPEATED = ("pack", "pack_version", "profile")
_CSV_FIRST_ROW = ("rule", "organisation", "date", "mode", "assessors", "notes")
_CSV_TAILORING = ("tailoring_node", "tailoring_reason")
_SHEETS = ("instructions", "ratings", "metadata", "assessors", "tailoring")
#: The sheets whose cells are read.
_READ_SHEETS = ("ratings", "metadata", "assessors", "tailoring")
#: The columns of the assessors and tailoring sheets.
_ASSESSOR_COLUMNS = ("name", "role")
_TAILORING_COLUMNS = ("node", "title", "tailored", "reason")
_ROLES = ("lead", "member")
_MODES = ("self", "external")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_LAST_STEP = re.compile(r"(\.[^.\[]+|\[\d+\])$")
_SLASH_DATE = re.compile(r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})")
#: Excel's limit on the text of one cell.
_XLSX_CELL_CHARS = 32_767
#: Excel's limit on a list data validation's formula.
_XLSX_LIST_CHARS = 255
#: Bytes a workbook may unpack to, all its parts together (checked from
#: the zip directory before anything is unpacked).
XLSX_MAX_UNPACKED = 256 * 1024 * 1024
#: How many times larger than its compressed size a part of more than
#: 1 MiB may unpack to; text compresses ten times or less.
XLSX_MAX_RATIO = 100
_XLSX_RATIO_FROM = 1024 * 1024
#: Parts (files in the zip) a workbook may have; Excel writes about 20.
XLSX_MAX_PARTS = 1_000
#: Rows read from a sheet: the header and at most 100,000 ratings (the
#: most an assessment may have).  A sheet that goes on is refused.
XLSX_MAX_ROWS = 100_001
#: Columns read from a sheet (A to Z); cells further right are not read.
XLSX_MAX_COLUMNS = 26
#: The width of a tier column.
_TIER_WIDTH = 14
_WIDTHS = {
    "id": 34,
    "item": 18,
    "level": 7,
    "requirement": 60,
    "rating": 10,
    "evidence": 40,
    "note": 30,
    _ASSESSOR: 14,
}
_WRAPPED = (
    "item",
    "requirement",
    "evidence",
    "note",
)


# ---------------------------------------------------------------------------
# Where a value came from


@attrs.frozen
class _Cell:
    """A place in a questionnaire, for messages."""

    file: str
    sheet: str | None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        out = self.file
        if self.sheet is not None:
            out += f": sheet {self.sheet!r}"
        if self.row is not None:
            out += f"{':' if self.sheet is None else ''} row {self.row}"
        if self.column is not None:
            out += f" column {self.column!r}"
        return out


def _at(cell: _Cell, json_path: str, message: str, code: str) -> Problem:
    return Problem(json_path, f"{cell}: {message}", code)


@attrs.define
class _Raw:
    """A questionnaire's cells, as read, before they are checked."""

    file: str
    ratings: list[dict[str, tuple[Any, _Cell]]] = attrs.Factory(list)
    fields: dict[str, tuple[Any, _Cell]] = attrs.Factory(dict)
    tailoring: list[dict[str, tuple[Any, _Cell]]] = attrs.Factory(list)
    problems: list[Problem] = attrs.Factory(list)
    #: Rows of the assessors sheet (``None``: the file has none).
    assessors: list[dict[str, tuple[Any, _Cell]]] | None = None
    #: The catalogue language the headers are written in, if one.
    lang: str | None = None


# ---------------------------------------------------------------------------
# Writing


def write_questionnaire(
    pack: Pack,
    path: str | os.PathLike[str],
    *,
    profile: str | None = None,
    lang: str | None = None,
    assessment: Assessment | None = None,
) -> Path:
    """
    Write a questionnaire for *pack* to *path*: XLSX or CSV by its suffix.

    One row per requirement in the profile's scope, in the pack's tree
    order; see the module documentation for the columns and sheets.  The
    file is written to a temporary file beside *path* and renamed into
    place.

    Args:
        pack: The pack whose requirements are asked.
        path: Where to write; ``.xlsx`` or ``.csv``.
        profile: The profile whose scope is asked (default: the
            assessment's, then the pack's default).
        lang: The language of the questionnaire, a BCP 47 tag (default:
            the pack's main language): its headers, sheet names and
            instructions (English where the questionnaire's catalogue
            lacks the language), and the pack's names, texts and rating
            labels (a text the pack lacks in *lang* is shown in its
            original language, labelled with it).
        assessment: Ratings, evidence, notes, metadata and tailoring to
            fill in.

    Returns:
        *path*, to read back with :func:`read_questionnaire`.

    Raises:
        InputError: If the suffix is neither ``.xlsx`` nor ``.csv``.
        AssessmentError: If *assessment* does not fit *pack* or rates a
            requirement outside the profile's scope.
        MaturityCoreError: If XLSX is asked for and openpyxl is missing.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 *lang* defaults to the pack's main language
       and also sets the questionnaire's own words and rating labels.
    """
    path = Path(path)
    kind = _kind(path)
    lang = lang or pack.language
    prof = _writing_profile(pack, profile, assessment)
    reqs = _in_tree_order(pack, prof)
    if assessment is not None:
        _check_fits(pack, prof, reqs, assessment)
    sheet = _Sheet.build(
        pack,
        prof,
        reqs,
        lang=lang,
        assessment=assessment,
        asked_profile=profile,
        one_cell=kind == ".csv",
    )
    if kind == ".xlsx":
        _write_xlsx(path, sheet, _Layout.build(pack, prof, reqs, sheet))
    else:
        # The byte-order mark tells Excel the file is UTF-8.
        data = _csv_text(sheet).encode("utf-8-sig")
        _write_atomic(path, lambda f: f.write(data))
    return path


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InputError(
            str(path),
            "$",
            f"unknown questionnaire type {suffix or '(none)'!r}; use .xlsx "
            "or .csv",
        )
    return suffix


def _writing_profile(
    pack: Pack, profile: str | None, assessment: Assessment | None
) -> Profile:
    source = assessment.source if assessment is not None else None
    wanted = profile
    if assessment is not None:
        if assessment.pack != pack.id:
            raise AssessmentError(
                [
                    Problem(
                        "$.pack",
                        f"the assessment is for pack {assessment.pack!r}, "
                        f"not {pack.id!r}",
                        "wrong-pack",
                    )
                ],
                source,
            )
        if assessment.profile is not None:
            if profile is not None and profile != assessment.profile:
                raise AssessmentError(
                    [
                        Problem(
                            "$.profile",
                            f"the assessment is for profile "
                            f"{assessment.profile!r}, not {profile!r}",
                            "wrong-profile",
                        )
                    ],
                    source,
                )
            wanted = assessment.profile
    return profile_or_error(pack, wanted, source)


def _in_tree_order(pack: Pack, profile: Profile) -> list[Requirement]:
    order = {node.id: i for i, node in enumerate(pack.root.walk())}
    # sorted() is stable: within a leaf the pack's own order is kept.
    return sorted(
        (r for r in pack.requirements if r.node in profile.scope),
        key=lambda r: order[r.node],
    )


def _check_fits(
    pack: Pack,
    profile: Profile,
    reqs: Sequence[Requirement],
    assessment: Assessment,
) -> None:
    problems = list(iter_assessment_problems(pack, assessment, profile))
    asked = {r.id for r in reqs}
    for i, entry in enumerate(assessment.ratings):
        rid = entry.requirement
        if rid in pack.requirements_by_id and rid not in asked:
            problems.append(
                Problem(
                    f"$.ratings[{i}].id",
                    f"requirement {rid!r} is not in profile {profile.id!r}'s "
                    "scope, so the questionnaire has no row for it",
                    "out-of-scope",
                )
            )
    if problems:
        raise AssessmentError(problems, assessment.source)


def _flatten_evidence(entry: RatingEntry) -> str | None:
    if not entry.evidence:
        return None
    lines = []
    for e in entry.evidence:
        extra = [
            f"{key}: {value}"
            for key in ("method", "date", "owner")
            if (value := getattr(e, key)) is not None
        ]
        lines.append(
            f"{e.description} ({'; '.join(extra)})" if extra else e.description
        )
    return "\n".join(lines)


def _assessors_cell(assessment: Assessment, lang: str) -> str | None:
    parts = []
    for i, a in enumerate(assessment.metadata.assessors):
        if ";" in a.name:
            raise AssessmentError(
                [
                    Problem(
                        f"$.metadata.assessors[{i}].name",
                        f"assessor name {a.name!r} contains ';', which "
                        "separates the assessors in their questionnaire cell",
                        "unsupported",
                    )
                ],
                assessment.source,
            )
        if a.role:
            parts.append(f"{a.name}:{_role_label(a.role, lang)}")
        elif ":" in a.name:
            # A trailing colon keeps the name's own colon from reading
            # as the start of a role.
            parts.append(f"{a.name}:")
        else:
            parts.append(a.name)
    return "; ".join(parts) or None


# ---------------------------------------------------------------------------
# Words in the assessor's language


def _aliases(keys: Mapping[str, str]) -> Mapping[str, str]:
    """
    Every spelling of each name in *keys* (name → catalogue key),
    case-folded, mapped to the name: the name itself and its text in
    every catalogue language.
    """
    out: dict[str, str] = {}
    for name, key in keys.items():
        out.setdefault(name.casefold(), name)
        for text in spellings(key):
            out.setdefault(text.casefold(), name)
    return out


_SHEET_NAMES = _aliases({s: f"sheet.{s}" for s in _SHEETS})
_HEADER_NAMES = _aliases(
    {
        **{c: f"column.{c}" for c in _RATING_COLUMNS},
        **{c: f"column.{c}" for c in ("field", "value")},
        **{c: f"column.{c}" for c in _ASSESSOR_COLUMNS},
        **{c: f"column.{c}" for c in _TAILORING_COLUMNS},
        **{c: f"column.{c}" for c in _CSV_TAILORING},
        **{f: f"field.{f}" for f in METADATA_FIELDS},
    }
)
_FIELD_NAMES = _aliases({f: f"field.{f}" for f in METADATA_FIELDS})
_MODE_NAMES = _aliases({m: f"mode.{m}" for m in _MODES})
_ROLE_NAMES = _aliases({r: f"role.{r}" for r in _ROLES})
_YES = frozenset(t.casefold() for t in spellings("mark.yes"))


def _canonical(names: Mapping[str, str], word: str | None) -> str | None:
    """The name *word* spells in *names*; *word* itself if none."""
    if word is None:
        return None
    return names.get(word.casefold(), word)


def _header_text(column: str, lang: str) -> str:
    return message(f"column.{column}", lang)


def _field_label(field: str, lang: str) -> str:
    return message(f"field.{field}", lang)


def _mode_label(mode: str | None, lang: str) -> str | None:
    return message(f"mode.{mode}", lang) if mode in _MODES else mode


def _role_label(role: str, lang: str) -> str:
    return message(f"role.{role}", lang) if role in _ROLES else role


def _shown(text: Text, lang: str) -> str | None:
    """
    *text* in *lang*; where the pack lacks it, the original text with
    its language labelled; ``None`` if there is no text.
    """
    found = text.find(lang)
    if found is not None:
        return found or None
    if not text.items:
        return None
    original, value = next(
        ((k, v) for k, v in text.items if k != "und"), text.items[0]
    )
    return f"{message('text.original', lang, language=original)} {value}"


def _rating_labels(rubric: Rubric, lang: str) -> dict[str, str]:
    """
    Rating id → the label a rater picks in *lang*: the rubric's name of
    the rating.  Where two labels would read alike, or a label reads as
    another rating's id, the ids themselves are the labels.
    """
    labels = {o.id: o.name.get(lang).strip() or o.id for o in rubric.options}
    if rubric.na_allowed:
        labels[NA] = rubric.na_name.get(lang).strip() or NA
    folded = [label.casefold() for label in labels.values()]
    ids = {i.casefold(): i for i in labels}
    clash = len(set(folded)) < len(folded) or any(
        ids.get(f, i) != i for i, f in zip(labels, folded, strict=True)
    )
    return {i: i for i in labels} if clash else labels


def _rating_ids(rubric: Rubric) -> dict[str, str]:
    """
    Every spelling a rater may give a rating of *rubric*, case-folded,
    mapped to its id: the ids, and the names of the ratings in each of
    the pack's languages that name one rating only.
    """
    ids = {i.casefold(): i for i in rubric.ids}
    named: dict[str, set[str]] = {}
    names = [(o.id, o.name) for o in rubric.options]
    if rubric.na_allowed:
        names.append((NA, rubric.na_name))
    for rid, name in names:
        for text in name.values.values():
            named.setdefault(text.strip().casefold(), set()).add(rid)
    for text, owners in named.items():
        if len(owners) == 1 and text:
            ids.setdefault(text, next(iter(owners)))
    return ids


def _value_text(value: Fraction) -> str:
    """*value* as a decimal where it has a short one, else as a fraction."""
    den = value.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den != 1:
        return str(value)
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return text if Fraction(text) == value else str(value)


@attrs.frozen
class _Sheet:
    """What a questionnaire holds, whatever its file format."""

    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]
    fields: dict[str, str | None]
    tailoring: tuple[tuple[str, str], ...]
    lang: str
    #: The rubric of each row's requirement.
    rubrics: tuple[Rubric, ...] = ()
    #: The tier columns, top first.
    tiers: tuple[str, ...] = ()
    #: The tier columns' headers, in *lang*.
    tier_names: tuple[str, ...] = ()
    #: (name, role label or None) of each assessor.
    assessors: tuple[tuple[str, str | None], ...] = ()
    #: The pack's title and standard, in *lang*.
    title: str = ""
    #: The pack's profiles, and the level rules it names.
    profiles: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()

    @classmethod
    def build(  # noqa: PLR0913 -- the arguments of write_questionnaire
        cls,
        pack: Pack,
        profile: Profile,
        reqs: Sequence[Requirement],
        *,
        lang: str,
        assessment: Assessment | None,
        asked_profile: str | None,
        one_cell: bool = True,
    ) -> _Sheet:
        """
        What to write; the assessors in one cell if *one_cell* (CSV),
        else on a sheet of their own.
        """
        entries = (
            {e.requirement: e for e in assessment.ratings}
            if assessment is not None
            else {}
        )
        rows = []
        tiers = tier_columns(pack)
        labels = {
            rid: _rating_labels(rubric, lang)
            for rid, rubric in pack.rubrics.items()
        }
        for req in reqs:
            names = {
                pack.depths[n]: _shown(pack.nodes[n].name, lang)
                for n in (req.node, *pack.ancestors(req.node))
            }
            entry = entries.get(req.id, RatingEntry(req.id))
            rubric = pack.rubric_of(req)
            rows.append(
                {
                    "id": req.id,
                    **{
                        tier: names.get(depth)
                        for depth, tier in enumerate(tiers, start=1)
                    },
                    "item": _shown(req.item, lang),
                    "level": req.level,
                    "requirement": _shown(req.text, lang),
                    "rating": (
                        labels[rubric.id].get(entry.rating, entry.rating)
                        if entry.rating is not None
                        else None
                    ),
                    "evidence": _flatten_evidence(entry),
                    "note": entry.note,
                    _ASSESSOR: entry.assessor,
                }
            )
        with_assessor = any(row[_ASSESSOR] is not None for row in rows)
        columns = rating_columns(tiers)
        meta = assessment.metadata if assessment is not None else None
        return cls(
            columns=columns if with_assessor else columns[:-1],
            rows=tuple(rows),
            fields=cls._fields(
                pack,
                profile,
                assessment,
                asked_profile,
                lang=lang,
                one_cell=one_cell,
            ),
            tailoring=tuple(
                (t.node, t.reason)
                for t in (assessment.tailoring if assessment else ())
            ),
            lang=lang,
            rubrics=tuple(pack.rubric_of(req) for req in reqs),
            tiers=tiers,
            tier_names=tuple(
                pack.tier(d).name.get(lang) or pack.tier(d).id
                for d in range(1, pack.max_depth + 1)
            ),
            assessors=tuple(
                (a.name, _role_label(a.role, lang) if a.role else None)
                for a in (meta.assessors if meta is not None else ())
            ),
            title=pack.title.get(lang),
            profiles=tuple(pack.profiles),
            rules=pack.method.rules or (pack.method.rule,),
        )

    @staticmethod
    def _fields(  # noqa: PLR0913 -- what one metadata sheet holds
        pack: Pack,
        profile: Profile,
        assessment: Assessment | None,
        asked_profile: str | None,
        *,
        lang: str,
        one_cell: bool,
    ) -> dict[str, str | None]:
        if assessment is None:
            return {
                **dict.fromkeys(METADATA_FIELDS),
                "pack": pack.id,
                "pack_version": pack.version,
                "profile": profile.id,
            }
        meta = assessment.metadata
        return {
            "pack": pack.id,
            "pack_version": assessment.pack_version,
            "profile": asked_profile or assessment.profile,
            "rule": assessment.rule,
            "organisation": meta.organisation,
            "date": meta.date,
            "mode": _mode_label(meta.mode, lang),
            "assessors": (
                _assessors_cell(assessment, lang) if one_cell else None
            ),
            "notes": meta.notes,
        }

    def header(self, column: str) -> str:
        """The header of *column* in the sheet's language."""
        if column in self.tiers:
            return self.tier_names[self.tiers.index(column)]
        return _header_text(column, self.lang)


def _csv_text(sheet: _Sheet) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    header = (*sheet.columns, *_CSV_REPEATED, *_CSV_FIRST_ROW, *_CSV_TAILORING)
    writer.writerow(
        [
            _field_label(c, sheet.lang)
            if c in METADATA_FIELDS
            else sheet.header(c)
            for c in header
        ]
    )
    count = max(len(sheet.rows), len(sheet.tailoring), 1)
    for i in range(count):
        row = dict(sheet.rows[i]) if i < len(sheet.rows) else {}
        row.update({f: sheet.fields[f] for f in _CSV_REPEATED})
        if i == 0:
            row.update({f: sheet.fields[f] for f in _CSV_FIRST_ROW})
        if i < len(sheet.tailoring):
            row.update(zip(_CSV_TAILORING, sheet.tailoring[i], strict=True))
        writer.writerow([_csv_cell(row.get(c)) for c in header])
    return buffer.getvalue()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    # Only text can be a formula; numbers such as a level stay numbers.
    return to_csv_cell(value) if isinstance(value, str) else value


def _openpyxl() -> ModuleType:
    try:
        # Imported by name: openpyxl ships no type information.
        return importlib.import_module("openpyxl")
    except ImportError:
        msg = (
            "XLSX questionnaires need openpyxl: pip install "
            "'maturity-core[xlsx]' (or use a .csv questionnaire)"
        )
        raise MaturityCoreError(msg) from None


_XML_ESCAPE = re.compile(
    r"_x[0-9A-Fa-f]{4}_|[\x00-\x08\x0b\x0c\r\x0e-\x1f\ufffe\uffff]"
)
_XML_UNESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _xlsx_escape(text: str) -> str:
    """
    Escape *text* as OOXML strings do (``_xHHHH_``), as Excel reads them:
    XML cannot hold control characters and turns ``\\r`` into ``\\n``, and
    a literal ``_xHHHH_`` must not read as an escape.
    """

    def one(m: re.Match[str]) -> str:
        s = m.group(0)
        return f"_x005F{s}" if len(s) > 1 else f"_x{ord(s):04X}_"

    return _XML_ESCAPE.sub(one, text)


def _xlsx_unescape(text: str) -> str:
    return _XML_UNESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _unescaped(
    path: Path, sheet: str, rows: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """
    *rows* with the ``_xHHHH_`` escapes of their texts decoded; escaped
    UTF-16 surrogate pairs become the character they stand for, and a
    lone surrogate is refused with the cell it is in.
    """
    out = []
    for r, row in enumerate(rows, 1):
        if not any(isinstance(v, str) and "_x" in v for v in row):
            out.append(row)
            continue
        cells = []
        for c, value in enumerate(row, 1):
            text = value
            if isinstance(value, str):
                text = _xlsx_unescape(value)
                if _SURROGATE.search(text):
                    text = _paired(path, f"{sheet}!{_letter(c)}{r}", text)
            cells.append(text)
        out.append(tuple(cells))
    return out


def _paired(path: Path, cell: str, text: str) -> str:
    try:
        return text.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        lone = next(ch for ch in text if _SURROGATE.match(ch))
        raise InputError(
            str(path),
            "$",
            f"{path.name}: cell {cell}: the escape _x{ord(lone):04X}_ is "
            "half of a UTF-16 surrogate pair and stands for no character; "
            "an _xD800_ to _xDBFF_ escape must be followed by an _xDC00_ "
            "to _xDFFF_ escape",
        ) from None


def _letter(column: int) -> str:
    letter: str = importlib.import_module("openpyxl.utils").get_column_letter(
        column
    )
    return letter


def _put(ws: Any, row: int, column: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = _xlsx_escape(value)
        # Text that looks like a formula stays text.
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


@attrs.frozen
class _Layout:
    """
    The rows of an XLSX ratings sheet below its header: the overall
    progress, a heading with its progress for each node down to the
    charted tier, and the requirements; and the tailoring sheet's nodes.
    """

    #: ("overall", None, 0), ("group", node id, depth) or
    #: ("requirement", index into the sheet's rows, outline level), in
    #: sheet order from row 2 on.
    lines: tuple[tuple[str, Any, int], ...]
    #: The nodes the tailoring sheet offers, in tree order.
    tailorable: tuple[str, ...]
    #: Each offered node's "tier: name" in the sheet's language.
    titles: Mapping[str, str]
    #: Each requirement row's offered nodes at or above its leaf.
    offered: tuple[tuple[str, ...], ...]
    #: Each heading node's name in the sheet's language.
    names: Mapping[str, str]

    @classmethod
    def build(
        cls,
        pack: Pack,
        profile: Profile,
        reqs: Sequence[Requirement],
        sheet: _Sheet,
    ) -> _Layout:
        tailored = {node for node, _ in sheet.tailoring}
        tailorable = tuple(
            n.id
            for n in pack.root.walk()
            if n.id in tailored or pack.is_tailorable(profile, n.id)
        )
        offer = set(tailorable)
        lines: list[tuple[str, Any, int]] = [("overall", None, 0)]
        above: tuple[str, ...] = ()
        for i, req in enumerate(reqs):
            path = (*reversed(list(pack.ancestors(req.node))), req.node)
            groups = path[: pack.chart_depth]
            start = next(
                (
                    d
                    for d, (a, b) in enumerate(
                        itertools.zip_longest(above, groups)
                    )
                    if a != b
                ),
                len(groups),
            )
            lines.extend(
                ("group", node, d)
                for d, node in enumerate(groups[start:], start + 1)
            )
            above = groups
            lines.append(("requirement", i, len(groups)))
        lang = sheet.lang
        return cls(
            lines=tuple(lines),
            tailorable=tailorable,
            titles={
                n: f"{pack.tier(pack.depths[n]).name.get(lang)}: "
                f"{_shown(pack.nodes[n].name, lang) or n}"
                for n in tailorable
            },
            offered=tuple(
                tuple(
                    n
                    for n in (r.node, *pack.ancestors(r.node))
                    if n in offer
                )
                for r in reqs
            ),
            names={
                node: _shown(pack.nodes[node].name, lang) or node
                for kind, node, _ in lines
                if kind == "group"
            },
        )


def _sheet_ref(title: str, cell: str) -> str:
    """A reference to *cell* on the sheet *title*, as formulas write it."""
    return "'" + title.replace("'", "''") + "'!" + cell


def _formula_text(text: str) -> str:
    """*text* as a string in a formula."""
    return '"' + text.replace('"', '""') + '"'


def _cell_ranges(column: str, rows: Sequence[int], *, absolute: bool) -> str:
    d = "$" if absolute else ""
    return ",".join(
        f"{d}{column}{d}{lo}"
        if lo == hi
        else f"{d}{column}{d}{lo}:{d}{column}{d}{hi}"
        for lo, hi in _runs(rows)
    )


#: Arguments one COUNTA is given at most (Excel takes 255).
_COUNTA_ARGS = 200
#: Excel's limit on the text of a formula.
_XLSX_FORMULA_CHARS = 8_192


def _progress_formula(
    column: str,
    rows: Sequence[tuple[int, tuple[str, ...]]],
    marks: Mapping[str, str],
    yes: str,
    tailored: str,
) -> str:
    """
    The share of the rating cells of *rows* that are filled, among the
    rows not tailored out: each row is (sheet row, the tailoring marks
    that take it out of scope).
    """
    by_marks: dict[tuple[str, ...], list[int]] = {}
    for row, nodes in rows:
        by_marks.setdefault(nodes, []).append(row)
    rated, total = [], []

    def counted(group: Sequence[int]) -> str:
        runs = _cell_ranges(column, group, absolute=False).split(",")
        return "+".join(
            f"COUNTA({','.join(runs[i : i + _COUNTA_ARGS])})"
            for i in range(0, len(runs), _COUNTA_ARGS)
        )

    for nodes, group in by_marks.items():
        count = counted(group)
        if nodes:
            kept = (
                "NOT(OR("
                + ",".join(f"{marks[n]}={_formula_text(yes)}" for n in nodes)
                + "))"
            )
            rated.append(f"({count})*{kept}")
            total.append(f"{len(group)}*{kept}")
        else:
            rated.append(f"({count})" if "+" in count else count)
            total.append(str(len(group)))
    den = "+".join(total) or "0"
    formula = (
        f"=IF({den}=0,{_formula_text(tailored)},"
        f"({'+'.join(rated) or '0'})/({den}))"
    )
    if len(formula) > _XLSX_FORMULA_CHARS:
        # Too many tailoring marks to weigh: the share of all the rows.
        formula = f"=({counted(sorted(r for r, _ in rows))})/{len(rows)}"
    return formula if len(formula) <= _XLSX_FORMULA_CHARS else ""


def _write_xlsx(path: Path, sheet: _Sheet, layout: _Layout) -> None:
    openpyxl = _openpyxl()
    styles = importlib.import_module("openpyxl.styles")
    bold = styles.Font(bold=True)
    wrap = styles.Alignment(wrap_text=True, vertical="top")
    lang = sheet.lang

    _long_cells(sheet)
    wb = openpyxl.Workbook()
    guide = wb.active
    guide.title = message("sheet.instructions", lang)
    ws = wb.create_sheet(message("sheet.ratings", lang))
    meta = wb.create_sheet(message("sheet.metadata", lang))
    people = wb.create_sheet(message("sheet.assessors", lang))
    tail = wb.create_sheet(message("sheet.tailoring", lang))
    wb.active = wb.worksheets.index(ws)
    lists = _instructions(guide, sheet, bold, wrap)
    _ratings_sheet(ws, sheet, layout, tail.title, lists)
    _metadata_sheet(meta, sheet, bold, wrap)
    _assessors_sheet(people, sheet, bold, wrap)
    _tailoring_sheet(tail, sheet, layout, bold, wrap)
    _write_atomic(path, wb.save)


def _ratings_sheet(
    ws: Any,
    sheet: _Sheet,
    layout: _Layout,
    tailoring: str,
    lists: Mapping[str, str],
) -> None:
    """The ratings sheet: headings with progress, and requirements."""
    styles = importlib.import_module("openpyxl.styles")
    bold = styles.Font(bold=True)
    wrap = styles.Alignment(wrap_text=True, vertical="top")
    top = styles.Alignment(vertical="top")
    letter = importlib.import_module("openpyxl.utils").get_column_letter
    lang = sheet.lang
    for c, name in enumerate(sheet.columns, 1):
        _put(ws, 1, c, sheet.header(name)).font = bold
        ws.column_dimensions[letter(c)].width = _WIDTHS.get(name, _TIER_WIDTH)
    rating = letter(sheet.columns.index("rating") + 1)
    ws.column_dimensions[rating].width = max(
        _WIDTHS["rating"],
        *(
            _display_width(label) + 2
            for r in {r.id: r for r in sheet.rubrics}.values()
            for label in _rating_labels(r, lang).values()
        ),
    )
    marks = {
        node: _sheet_ref(tailoring, f"$C${r}")
        for r, node in enumerate(layout.tailorable, 2)
    }
    yes = message("mark.yes", lang)
    req_rows: list[tuple[int, tuple[str, ...]]] = []
    groups: list[tuple[int, str | None, int]] = []
    open_groups: list[tuple[int, int]] = []
    members: dict[int, list[tuple[int, tuple[str, ...]]]] = {}
    column = {name: c for c, name in enumerate(sheet.columns, 1)}
    for r, (kind, what, depth) in enumerate(layout.lines, 2):
        if kind == "requirement":
            row = sheet.rows[what]
            for c, name in enumerate(sheet.columns, 1):
                wrapped = name in _WRAPPED or name in sheet.tiers
                _put(ws, r, c, row[name]).alignment = wrap if wrapped else top
            member = (r, layout.offered[what])
            req_rows.append(member)
            for g, _ in open_groups:
                members[g].append(member)
            ws.row_dimensions[r].outline_level = min(depth, 7)
            continue
        while open_groups and open_groups[-1][1] >= depth:
            open_groups.pop()
        if depth:
            open_groups.append((r, depth))
            ws.row_dimensions[r].outline_level = min(depth - 1, 7)
            tier = sheet.tiers[depth - 1]
            _put(ws, r, column[tier], layout.names[what]).font = bold
        label = message(
            "progress.group" if depth else "progress.overall", lang
        )
        _put(ws, r, column["requirement"], label).font = bold
        members[r] = []
        groups.append((r, what, depth))
    for r, _, depth in groups:
        cell = ws.cell(row=r, column=column["rating"])
        cell.value = (
            _progress_formula(
                rating,
                members[r] if depth else req_rows,
                marks,
                yes,
                message("progress.tailored", lang),
            )
            or None
        )
        cell.number_format = "0%"
        cell.font = bold
    ws.sheet_properties.outlinePr.summaryBelow = False
    last = len(layout.lines) + 1
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{letter(len(sheet.columns))}{last}"
    # One drop-down per rubric, over the rows of its requirements.
    by_rubric: dict[str, list[int]] = {}
    for (r, _), rubric in zip(req_rows, sheet.rubrics, strict=True):
        by_rubric.setdefault(rubric.id, []).append(r)
    _drop_downs(ws, sheet, rating, by_rubric, lists)


def _drop_downs(
    ws: Any,
    sheet: _Sheet,
    column: str,
    rows: Mapping[str, Sequence[int]],
    lists: Mapping[str, str],
) -> None:
    """Each rubric's drop-down on the rating cells of its *rows*."""
    for rubric in {r.id: r for r in sheet.rubrics}.values():
        cells = _cell_ranges(column, rows[rubric.id], absolute=False)
        _drop_down(ws, rubric, cells.replace(",", " "), sheet.lang, lists)


def _metadata_sheet(ws: Any, sheet: _Sheet, bold: Any, wrap: Any) -> None:
    """The metadata sheet: one field a row (the assessors have a sheet)."""
    lang = sheet.lang
    meta = ws
    fields = [(f, v) for f, v in sheet.fields.items() if f != "assessors"]
    _table(
        meta,
        (_header_text("field", lang), _header_text("value", lang)),
        [(_field_label(f, lang), v) for f, v in fields],
        bold,
        wrap,
    )
    meta.column_dimensions["A"].width = 16
    meta.column_dimensions["B"].width = 60
    _metadata_checks(meta, [f for f, _ in fields], sheet)


def _assessors_sheet(ws: Any, sheet: _Sheet, bold: Any, wrap: Any) -> None:
    """The assessors sheet: a name and a role from a drop-down a row."""
    lang = sheet.lang
    people = ws
    _table(
        people,
        (_header_text("name", lang), _header_text("role", lang)),
        list(sheet.assessors),
        bold,
        wrap,
    )
    people.column_dimensions["A"].width = 30
    people.column_dimensions["B"].width = 16
    roles = [_role_label(r, lang) for r in _ROLES]
    _list_check(
        people,
        f"B2:B{len(sheet.assessors) + 51}",
        roles,
        message("dropdown.error", lang, labels=" / ".join(roles)),
    )



def _tailoring_sheet(
    ws: Any, sheet: _Sheet, layout: _Layout, bold: Any, wrap: Any
) -> None:
    """The tailoring sheet: each node that may be tailored out, a row."""
    lang = sheet.lang
    tail = ws
    yes = message("mark.yes", lang)
    reasons = dict(sheet.tailoring)
    _table(
        tail,
        tuple(_header_text(c, lang) for c in _TAILORING_COLUMNS),
        [
            (
                node,
                layout.titles[node],
                yes if node in reasons else None,
                reasons.get(node),
            )
            for node in layout.tailorable
        ],
        bold,
        wrap,
    )
    for col, width in zip("ABCD", (24, 36, 12, 60), strict=True):
        tail.column_dimensions[col].width = width
    _list_check(
        tail,
        f"C2:C{len(layout.tailorable) + 1}",
        [yes],
        message("dropdown.error", lang, labels=yes),
    )


def _display_width(text: str) -> int:
    """Columns *text* takes in a spreadsheet: wide characters take two."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def _instructions(
    ws: Any, sheet: _Sheet, bold: Any, wrap: Any
) -> dict[str, str]:
    """
    Fill the instructions sheet: how to fill in the questionnaire and
    each rubric's ratings with their values.  Returns each rubric's
    range of labels, for drop-downs too long to list inline.
    """
    lang = sheet.lang
    words = {
        key.removeprefix("sheet."): message(key, lang)
        for key in (
            "sheet.ratings",
            "sheet.metadata",
            "sheet.assessors",
            "sheet.tailoring",
        )
    }
    words.update(
        {
            c: _header_text(c, lang)
            for c in ("id", "rating", "evidence", "note", "name", "role")
        }
    )
    words.update(
        tailored=_header_text("tailored", lang),
        reason=_header_text("reason", lang),
        yes=message("mark.yes", lang),
        roles=" / ".join(_role_label(r, lang) for r in _ROLES),
    )
    r = 1
    _put(ws, r, 1, message("instructions.title", lang)).font = bold
    r += 1
    _put(ws, r, 1, message("instructions.pack", lang, title=sheet.title))
    r += 2
    _put(ws, r, 1, message("instructions.steps", lang)).font = bold
    for step in ("ratings", "evidence", "metadata", "assessors", "tailoring"):
        r += 1
        text = message(f"instructions.step.{step}", lang, **words)
        _put(ws, r, 1, text).alignment = wrap
    r += 1
    _put(ws, r, 1, message("instructions.step.rows", lang, **words))
    ws.cell(row=r, column=1).alignment = wrap
    r += 1
    _put(ws, r, 1, message("instructions.progress", lang)).alignment = wrap
    ranges = {}
    counts: dict[str, int] = {}
    for rubric in sheet.rubrics:
        counts[rubric.id] = counts.get(rubric.id, 0) + 1
    for rubric in {x.id: x for x in sheet.rubrics}.values():
        r += 2
        name = rubric.name.get(lang) or (rubric.id if len(counts) > 1 else "")
        head = (
            message("instructions.rubric", lang, rubric=name)
            if name
            else message("instructions.rubric.unnamed", lang)
        )
        if len(counts) > 1:
            more = message(
                "instructions.rubric.requirements",
                lang,
                count=counts[rubric.id],
            )
            head = f"{head} ({more})"
        _put(ws, r, 1, head).font = bold
        r += 1
        for c, key in enumerate(("rating", "value", "id"), 1):
            _put(ws, r, c, message(f"instructions.{key}", lang)).font = bold
        labels = _rating_labels(rubric, lang)
        first = r + 1
        for option in rubric.options:
            r += 1
            _put(ws, r, 1, labels[option.id])
            _put(ws, r, 2, _value_text(option.value))
            _put(ws, r, 3, option.id)
        if rubric.na_allowed:
            r += 1
            _put(ws, r, 1, labels[NA])
            _put(ws, r, 2, message("instructions.na", lang))
            _put(ws, r, 3, NA)
        ranges[rubric.id] = _sheet_ref(ws.title, f"$A${first}:$A${r}")
    ws.column_dimensions["A"].width = 90
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 12
    return ranges


def _metadata_checks(ws: Any, fields: Sequence[str], sheet: _Sheet) -> None:
    """Drop-downs and a date check on the metadata values that have them."""
    lang = sheet.lang
    row = {f: r for r, f in enumerate(fields, 2)}
    _list_check(
        ws,
        f"B{row['profile']}",
        sheet.profiles,
        message("dropdown.error", lang, labels=" / ".join(sheet.profiles)),
    )
    # Any registered rule may be named: the pack's are offered, and
    # another one only warns.
    _list_check(
        ws,
        f"B{row['rule']}",
        sheet.rules,
        message("dropdown.error", lang, labels=" / ".join(sheet.rules)),
        style="warning",
    )
    modes = [_mode_label(m, lang) or m for m in _MODES]
    _list_check(
        ws,
        f"B{row['mode']}",
        modes,
        message("dropdown.error", lang, labels=" / ".join(modes)),
    )
    date = sheet.fields.get("date")
    cell = ws.cell(row=row["date"], column=2)
    if date is not None:
        with contextlib.suppress(ValueError):
            cell.value = dt.date.fromisoformat(date)
    cell.number_format = "yyyy-mm-dd"
    dv = importlib.import_module("openpyxl.worksheet.datavalidation")
    check = dv.DataValidation(
        type="date",
        operator="greaterThan",
        formula1="1",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        error="YYYY-MM-DD",
    )
    check.add(f"B{row['date']}")
    ws.add_data_validation(check)


def _list_check(
    ws: Any,
    cells: str,
    values: Sequence[str],
    error: str,
    *,
    style: str = "stop",
) -> None:
    """A drop-down of *values* on *cells*, where they fit in one list."""
    formula = '"' + ",".join(values) + '"'
    if len(formula) > _XLSX_LIST_CHARS or any(
        "," in v or '"' in v for v in values
    ):
        return
    dv = importlib.import_module("openpyxl.worksheet.datavalidation")
    check = dv.DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle=style,
        error=error[:_XLSX_LIST_CHARS],
    )
    for cell_range in cells.split():
        check.add(cell_range)
    ws.add_data_validation(check)


def _long_cells(sheet: _Sheet) -> None:
    """Refuse text longer than Excel keeps in a cell, naming where."""
    cells = [
        (f"$.ratings[{r}].{name}", value)
        for r, row in enumerate(sheet.rows)
        for name, value in row.items()
    ]
    cells += [(_field_path(k), v) for k, v in sheet.fields.items()]
    cells += [
        (f"$.tailoring[{i}].reason", reason)
        for i, (_, reason) in enumerate(sheet.tailoring)
    ]
    problems = [
        Problem(
            path,
            f"{len(value)} characters are more than an XLSX cell holds "
            f"({_XLSX_CELL_CHARS}); use a .csv questionnaire",
            "too-long",
        )
        for path, value in cells
        if isinstance(value, str) and len(value) > _XLSX_CELL_CHARS
    ]
    if problems:
        raise AssessmentError(problems)


def _table(
    ws: Any,
    header: tuple[str, ...],
    rows: Sequence[tuple[str | None, ...]],
    bold: Any,
    wrap: Any,
) -> None:
    for c, name in enumerate(header, 1):
        _put(ws, 1, c, name).font = bold
    for r, values in enumerate(rows, 2):
        for c, value in enumerate(values, 1):
            _put(ws, r, c, value).alignment = wrap
    ws.freeze_panes = "A2"


def _runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive runs of the sorted row numbers *rows*, as (first, last)."""
    out: list[tuple[int, int]] = []
    for r in rows:
        if out and out[-1][1] == r - 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out


def _drop_down(
    ws: Any,
    rubric: Rubric,
    cells: str,
    lang: str,
    lists: Mapping[str, str],
) -> None:
    """
    The drop-down of *rubric*'s labels in *lang* on *cells*: listed
    inline where they fit, else taken from the instructions sheet.
    """
    labels = list(_rating_labels(rubric, lang).values())
    formula = '"' + ",".join(labels) + '"'
    if len(formula) > _XLSX_LIST_CHARS or any(
        "," in v or '"' in v for v in labels
    ):
        formula = lists[rubric.id]
    values = _rating_labels(rubric, lang)
    names = [
        f"{values[o.id]} = {_value_text(o.value)}" for o in rubric.options
    ]
    if rubric.na_allowed:
        names.append(f"{values[NA]} = {message('instructions.na', lang)}")
    dv = importlib.import_module("openpyxl.worksheet.datavalidation")
    validation = dv.DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=_header_text("rating", lang)[:32],
        error=message(
            "dropdown.error", lang, labels=" / ".join(labels)
        )[:_XLSX_LIST_CHARS],
        showInputMessage=True,
        promptTitle=message("dropdown.choose", lang)[:32],
        prompt="\n".join(names)[:_XLSX_LIST_CHARS],
    )
    for cell_range in cells.split():
        validation.add(cell_range)
    ws.add_data_validation(validation)


def _write_atomic(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    """Write *path* as a whole through the shared output writer."""
    with _files.open_output(path) as f:
        write(f)


# ---------------------------------------------------------------------------
# Reading


def read_questionnaire(
    path: str | os.PathLike[str], *, pack: Pack | None = None
) -> Assessment:
    """
    Read a questionnaire (``.xlsx`` or ``.csv``) back into an assessment.

    The file is only read.  Its cells are checked as an assessment JSON
    file is, then against *pack*: every problem names its JSON path and
    the file, sheet, row and column it came from.

    Args:
        path: The questionnaire, as :func:`write_questionnaire` wrote it.
        pack: The pack to check against (default: the installed pack the
            questionnaire names).

    Raises:
        InputError: If the file cannot be read as a questionnaire: not
            UTF-8, a damaged workbook, unknown sheets or columns, or a
            required column missing.
        AssessmentError: With every problem in its cells: an empty id, a
            rating outside the rubric, a requirement listed twice, …
        UnknownRequirementError: If every problem is an unknown id.
        PackNotFoundError: If *pack* is not given and the questionnaire's
            pack is not installed.
        MaturityCoreError: If an XLSX is read and openpyxl is missing.

    .. versionadded:: 0.1.0
    """
    path = Path(path)
    source = str(path)
    kind = _kind(path)
    data = _jsonio.read_bytes(path)
    tiers = tier_columns(pack) if pack is not None else None
    raw = (
        _read_xlsx(path, data, tiers)
        if kind == ".xlsx"
        else _read_csv(path, data, tiers)
    )
    where: dict[str, _Cell] = {}
    doc, problems = _document(raw, where)
    if problems:
        raise _error(problems, source)
    if pack is None:
        pack = _installed(doc["pack"])
    lang = raw.lang or pack.language
    problems = _choice_problems(doc, where, lang)
    if doc["pack"] == pack.id:
        problems += _rating_problems(pack, doc, where, lang)
        for entry in doc["ratings"]:
            req = pack.requirements_by_id.get(entry["id"])
            if req is not None:
                entry["node"] = req.node
    try:
        assessment = Assessment.from_dict(doc, source=source)
    except AssessmentError as e:
        located = [*problems, *_located(e.problems, where)]
        raise _error(located, source) from None
    problems += _pack_problems(pack, assessment, where)
    if problems:
        raise _error(_in_order(problems), source)
    return assessment


def _in_order(problems: Sequence[Problem]) -> list[Problem]:
    """*problems* by their place in the assessment, ratings in row order."""

    def key(p: Problem) -> tuple[int, str]:
        m = re.match(r"\$\.ratings\[(\d+)\]", p.json_path)
        return (int(m.group(1)), p.json_path) if m else (-1, p.json_path)

    return sorted(problems, key=key)


def _choice_problems(
    doc: dict[str, Any], where: Mapping[str, _Cell], lang: str
) -> list[Problem]:
    """
    The mode and assessor roles of *doc* that are none of the valid
    ones, each a problem listing the valid values in *lang* with their
    ids (and left out, so that nothing else reports it).
    """
    meta = doc.get("metadata", {})
    checks = [("$.metadata.mode", meta, "mode", _MODES)]
    checks += [
        (f"$.metadata.assessors[{i}].role", entry, "role", _ROLES)
        for i, entry in enumerate(meta.get("assessors", []))
    ]
    problems = []
    for path, holder, key, valid in checks:
        value = holder.get(key)
        if value is None or value in valid:
            continue
        del holder[key]
        labels = ", ".join(
            f"{message(f'{key}.{v}', lang)} ({v})" for v in valid
        )
        problems.append(
            Problem(
                path,
                f"{value!r} is not a valid {key}; valid: {labels}",
                "schema",
            )
        )
    return _located(problems, where)


def _rating_problems(
    pack: Pack, doc: dict[str, Any], where: Mapping[str, _Cell], lang: str
) -> list[Problem]:
    """
    Turn the ratings of *doc* given as labels, in any of the pack's
    languages, into rating ids; each rating that is neither a label nor
    an id of its requirement's rubric is a problem that lists the valid
    labels in *lang* (and the rating is left out, so that nothing else
    reports it).
    """
    problems = []
    lookups = {rid: _rating_ids(r) for rid, r in pack.rubrics.items()}
    for i, entry in enumerate(doc["ratings"]):
        given = entry.get("rating")
        if given is None:
            continue
        req = pack.requirements_by_id.get(entry["id"])
        if req is None:
            # An unknown requirement is reported as such; its rating is
            # kept only if it could be an id.
            if not _ID.fullmatch(given):
                entry["rating"] = None
            continue
        rubric = pack.rubric_of(req)
        found = lookups[rubric.id].get(given.casefold())
        if found is not None:
            entry["rating"] = found
            continue
        entry["rating"] = None
        labels = _rating_labels(rubric, lang)
        valid = ", ".join(
            label if label == rid else f"{label} ({rid})"
            for rid, label in labels.items()
        )
        hint = ""
        if given.casefold() == NA or given.casefold() in {
            t.casefold() for t in rubric.na_name.values.values()
        }:
            named = "" if rubric is pack.rubric else f" {rubric.id!r}"
            hint = f" ('na' is not allowed by pack {pack.id}'s rubric{named})"
        path = f"$.ratings[{i}].rating"
        problems.append(
            Problem(
                path,
                f"{where[path]}: rating {given!r} is not in the "
                f"rubric{hint}; valid ratings: {valid}",
                "invalid-rating",
            )
        )
    return problems


def _error(problems: Sequence[Problem], source: str) -> AssessmentError:
    if all(p.code == "unknown-requirement" for p in problems):
        return UnknownRequirementError(problems, source)
    return AssessmentError(problems, source)


def _installed(pack_id: str) -> Pack:
    # Only installed packs: a questionnaire must not name a path to load.
    installed = sorted(info.id for info in discover_packs())
    if pack_id not in installed:
        raise PackNotFoundError(pack_id, installed)
    return load_pack(pack_id)


def _pack_problems(
    pack: Pack, assessment: Assessment, where: Mapping[str, _Cell]
) -> Iterator[Problem]:
    wanted = assessment.profile
    if assessment.pack == pack.id and (
        wanted is not None and wanted not in pack.profiles
    ):
        yield from _located(
            [
                Problem(
                    "$.profile",
                    f"pack {pack.id} has no profile {wanted!r}; valid "
                    f"profiles: {', '.join(pack.profiles)}",
                    "unknown-profile",
                )
            ],
            where,
        )
        return
    profile = pack.get_profile(wanted if assessment.pack == pack.id else None)
    yield from _located(
        list(iter_assessment_problems(pack, assessment, profile)), where
    )


def _located(
    problems: Sequence[Problem], where: Mapping[str, _Cell]
) -> list[Problem]:
    """*problems* with the cell each came from put in front of the text."""
    out = []
    for p in problems:
        path = p.json_path
        while path not in where:
            parent = _LAST_STEP.sub("", path)
            if parent == path:
                break
            path = parent
        cell = where.get(path)
        out.append(
            Problem(p.json_path, f"{cell}: {p.message}", p.code)
            if cell is not None
            else p
        )
    return out


def _field_path(field: str) -> str:
    return f"$.{field}" if field in _TOP_FIELDS else f"$.metadata.{field}"


def _text(value: Any) -> str | None:
    """A cell's value as text, exactly; ``None`` if the cell is empty."""
    if value is None:
        return None
    if isinstance(value, str):
        return value or None
    if isinstance(value, dt.datetime):
        return (
            value.date().isoformat()
            if value.time() == dt.time()
            else value.isoformat()
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _word(value: Any) -> str | None:
    """A cell's value as one stripped word; ``None`` if blank."""
    text = _text(value)
    return text.strip() or None if text is not None else None


def _blank(value: Any) -> bool:
    return _word(value) is None


def _document(
    raw: _Raw, where: dict[str, _Cell]
) -> tuple[dict[str, Any], list[Problem]]:
    """The assessment data of *raw*, and the problems of its cells."""
    problems = list(raw.problems)
    doc: dict[str, Any] = {"format": ASSESSMENT_FORMAT}
    meta = _metadata(raw, where, doc, problems)
    if meta:
        doc["metadata"] = meta
    tailoring = _tailoring(raw, where, problems)
    if tailoring:
        doc["tailoring"] = tailoring
    doc["ratings"] = _ratings(raw, where, problems)
    return doc, problems


def _metadata(
    raw: _Raw,
    where: dict[str, _Cell],
    doc: dict[str, Any],
    problems: list[Problem],
) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for field in METADATA_FIELDS:
        if field not in raw.fields:
            continue
        value, cell = raw.fields[field]
        path = _field_path(field)
        where[path] = cell
        text = _text(value) if field in _TEXT_FIELDS else _word(value)
        if text is None:
            continue
        target = doc if field in _TOP_FIELDS else meta
        target[field] = _field_value(field, text)
    if raw.assessors is not None:
        _sheet_assessors(raw, where, meta, problems)
    if "pack" not in doc:
        cell = raw.fields.get("pack", (None, _Cell(raw.file, "metadata")))[1]
        problems.append(
            _at(
                cell,
                "$.pack",
                "the pack id is missing; it names the pack the "
                "questionnaire was made for",
                "empty-cell",
            )
        )
    elif not _ID.fullmatch(doc["pack"]):
        problems.append(
            _at(
                raw.fields["pack"][1],
                "$.pack",
                f"{doc['pack']!r} is not a pack id",
                "schema",
            )
        )
    return meta


def _field_value(field: str, text: str) -> Any:
    """The value of metadata *field* given as *text*."""
    if field == "date":
        return _iso_date(text)
    if field == "mode":
        return _canonical(_MODE_NAMES, text)
    if field == "assessors":
        return _assessors(text)
    return text


def _sheet_assessors(
    raw: _Raw,
    where: dict[str, _Cell],
    meta: dict[str, Any],
    problems: list[Problem],
) -> None:
    """Take the assessors from the assessors sheet, if it lists any."""
    people = _assessor_rows(raw, where, problems)
    if people and "assessors" in meta:
        problems.append(
            _at(
                raw.fields["assessors"][1],
                "$.metadata.assessors",
                "the assessors are given twice, in this cell and on the "
                "assessors sheet; keep them on the sheet",
                "duplicate-field",
            )
        )
    elif people:
        meta["assessors"] = people


def _iso_date(text: str) -> str:
    m = _SLASH_DATE.fullmatch(text)
    if m is None:
        return text
    year, month, day = (int(g) for g in m.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def _assessors(text: str) -> list[dict[str, str]]:
    out = []
    for part in text.split(";"):
        if not part.strip():
            continue
        name, colon, role = part.rpartition(":")
        if not colon:
            name, role = role, ""
        entry = {"name": name.strip()}
        if role.strip():
            entry["role"] = _canonical(_ROLE_NAMES, role.strip()) or ""
        out.append(entry)
    return out


def _assessor_rows(
    raw: _Raw, where: dict[str, _Cell], problems: list[Problem]
) -> list[dict[str, str]]:
    """The assessors of the assessors sheet, one a row."""
    out = []
    for i, row in enumerate(raw.assessors or ()):
        base = f"$.metadata.assessors[{i}]"
        name_value, name_cell = row["name"]
        where[f"{base}.name"] = name_cell
        where[base] = name_cell
        name = _word(name_value)
        entry = {"name": name or ""}
        if name is None:
            problems.append(
                _at(
                    name_cell,
                    f"{base}.name",
                    "the name cell is empty; every assessor row needs a "
                    "name (the role may be left blank)",
                    "empty-cell",
                )
            )
        if "role" in row:
            where[f"{base}.role"] = row["role"][1]
            role = _word(row["role"][0])
            if role is not None:
                entry["role"] = _canonical(_ROLE_NAMES, role) or role
        out.append(entry)
    return out


def _tailoring(
    raw: _Raw, where: dict[str, _Cell], problems: list[Problem]
) -> list[dict[str, Any]]:
    out = []
    marked = [row for row in raw.tailoring if _marked(row, problems)]
    for i, row in enumerate(marked):
        base = f"$.tailoring[{i}]"
        entry = {}
        for key, (value, cell) in row.items():
            if key not in ("node", "reason"):
                continue
            where[f"{base}.{key}"] = cell
            text = _word(value) if key == "node" else _text(value)
            if text is None:
                problems.append(
                    _at(
                        cell,
                        f"{base}.{key}",
                        f"the {key} cell is empty; a tailored node needs "
                        "its id and the reason it is out of scope",
                        "empty-cell",
                    )
                )
            entry[key] = text
        out.append(entry)
    return out


def _marked(
    row: Mapping[str, tuple[Any, _Cell]], problems: list[Problem]
) -> bool:
    """
    Whether the tailoring row *row* takes its node out: a row of a sheet
    with a ``tailored`` column must be marked there (a reason without the
    mark is a problem); in a sheet without one, every row does.
    """
    if "tailored" not in row:
        return True
    mark, cell = row["tailored"]
    word = _word(mark)
    if word is None:
        reason = row.get("reason", (None, cell))[0]
        if not _blank(reason):
            problems.append(
                _at(
                    cell,
                    "$.tailoring",
                    "a reason is given but the node is not marked as "
                    f"tailored out; choose {spellings('mark.yes')[0]!r} (or "
                    "its word in the questionnaire's language) or clear the "
                    "reason",
                    "empty-cell",
                )
            )
        return False
    if word.casefold() not in _YES:
        problems.append(
            _at(
                cell,
                "$.tailoring",
                f"{word!r} does not mark a node as tailored out; valid: "
                f"{', '.join(spellings('mark.yes'))} (or blank)",
                "schema",
            )
        )
        return False
    return True


def _heading(row: Mapping[str, tuple[Any, _Cell]]) -> bool:
    """
    Whether *row* of an XLSX ratings sheet is a heading (a group of the
    pack's tree with its progress): no id, level, evidence, note or
    assessor.  Its rating cell holds the progress and is not read.
    """
    return all(
        _blank(row[c][0])
        for c in ("id", "level", "evidence", "note", _ASSESSOR)
        if c in row
    )


def _ratings(
    raw: _Raw, where: dict[str, _Cell], problems: list[Problem]
) -> list[dict[str, Any]]:
    out = []
    first: dict[str, int | None] = {}
    for i, row in enumerate(raw.ratings):
        base = f"$.ratings[{i}]"
        for column, (_, cell) in row.items():
            where[f"{base}.{column}"] = cell
        id_cell = row["id"][1]
        where[base] = id_cell
        rid = _word(row["id"][0])
        entry: dict[str, Any] = {"id": rid, "rating": _word(row["rating"][0])}
        for key in ("evidence", "note", _ASSESSOR):
            if key in row and (text := _text(row[key][0])) is not None:
                entry[key] = text
        if "level" in row:
            problems.extend(_level(row["level"], f"{base}.level", entry))
        if rid is None:
            problems.append(
                _at(
                    id_cell,
                    f"{base}.id",
                    "the id cell is empty; every row needs the id of the "
                    "requirement it rates",
                    "empty-cell",
                )
            )
        elif rid in first:
            problems.append(
                _at(
                    id_cell,
                    f"{base}.id",
                    f"requirement {rid!r} is listed twice (first at row "
                    f"{first[rid]}); rate each requirement once",
                    "duplicate-requirement",
                )
            )
        else:
            first[rid] = id_cell.row
        out.append(entry)
    return out


def _level(
    value_cell: tuple[Any, _Cell], path: str, entry: dict[str, Any]
) -> list[Problem]:
    value, cell = value_cell
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        entry["level"] = value
        return []
    text = _word(value)
    if text is None:
        return []
    if text.isascii() and text.isdigit():
        entry["level"] = int(text)
        return []
    return [
        _at(
            cell,
            path,
            f"level must be a whole number (got {text!r})",
            "schema",
        )
    ]


# ---------------------------------------------------------------------------
# Reading XLSX


def _load_xlsx(path: Path, data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """
    The rows of the questionnaire's sheets, within bounds: the parts'
    sizes are checked before anything is unpacked, and each sheet is
    streamed, at most :data:`XLSX_MAX_ROWS` rows of
    :data:`XLSX_MAX_COLUMNS` columns, whatever size the sheet claims.
    Sheets a questionnaire does not have are not read (their rows are
    empty).
    """
    _check_parts(path, data)
    openpyxl = _openpyxl()
    try:
        with warnings.catch_warnings():
            # Workbooks saved by Excel carry extensions that openpyxl
            # warns it drops, such as its data validation extension; the
            # file is only read, so nothing is lost.
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(
                io.BytesIO(data),
                read_only=True,
                data_only=True,
                keep_links=False,
            )
        try:
            return {
                name: (
                    _sheet_rows(path, wb[name])
                    if _canonical(_SHEET_NAMES, name) in _READ_SHEETS
                    else []
                )
                for name in wb.sheetnames
            }
        finally:
            wb.close()
    except InputError:
        raise
    # openpyxl raises many kinds of errors for a damaged workbook.
    except Exception as e:  # noqa: BLE001
        raise _unreadable(path, e) from None


def _unreadable(path: Path, error: Exception) -> InputError:
    return InputError(
        str(path),
        "$",
        f"{path.name}: not a readable XLSX workbook "
        f"({type(error).__name__}: {error}); save it again as .xlsx",
    )


def _check_parts(path: Path, data: bytes) -> None:
    """Refuse a workbook that would unpack to more than the bounds."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise _unreadable(path, e) from None

    def refuse(what: str) -> InputError:
        return InputError(
            str(path),
            "$",
            f"{path.name}: {what}; a questionnaire workbook has at most "
            f"{XLSX_MAX_PARTS:,} parts, unpacks to at most "
            f"{XLSX_MAX_UNPACKED // 1024 // 1024} MiB and no part of more "
            f"than 1 MiB unpacks to more than {XLSX_MAX_RATIO} times its "
            "compressed size",
        )

    if len(parts) > XLSX_MAX_PARTS:
        raise refuse(f"the workbook has {len(parts):,} parts")
    total = 0
    for part in parts:
        total += part.file_size
        if (
            part.file_size > _XLSX_RATIO_FROM
            and part.file_size > XLSX_MAX_RATIO * part.compress_size
        ):
            raise refuse(
                f"part {part.filename!r} unpacks from "
                f"{part.compress_size:,} to {part.file_size:,} bytes"
            )
    if total > XLSX_MAX_UNPACKED:
        raise refuse(f"the workbook unpacks to {total:,} bytes")


def _sheet_rows(path: Path, ws: Any) -> list[tuple[Any, ...]]:
    # The size a sheet records for itself may be false: rows are read
    # as they come, and a sheet that goes on too long is refused.
    ws.reset_dimensions()
    rows = ws.iter_rows(max_col=XLSX_MAX_COLUMNS, values_only=True)
    out = list(itertools.islice(rows, XLSX_MAX_ROWS))
    if next(rows, None) is not None:
        raise InputError(
            str(path),
            "$",
            f"{path.name}: sheet {ws.title!r} goes on beyond row "
            f"{XLSX_MAX_ROWS:,}; a questionnaire sheet has a header and at "
            f"most {XLSX_MAX_ROWS - 1:,} rows: delete the rows below the "
            "table",
        )
    return out


def _read_xlsx(path: Path, data: bytes, tiers: tuple[str, ...] | None) -> _Raw:
    loaded = _load_xlsx(path, data)
    source = str(path)
    title: dict[str, str] = {}
    unknown = []
    for name in loaded:
        kind = _canonical(_SHEET_NAMES, name)
        if kind in _SHEETS and kind not in title:
            title[kind] = name
        else:
            unknown.append(name)
    if unknown or "ratings" not in title or "metadata" not in title:
        what = (
            f"unknown sheet {unknown[0]!r}"
            if unknown
            else "the workbook has no "
            + ("'ratings'" if "ratings" not in title else "'metadata'")
            + " sheet"
        )
        raise InputError(
            source,
            "$",
            f"{path.name}: {what}; a questionnaire has the sheets "
            f"{', '.join(map(repr, _SHEETS))}, named in any of the "
            "questionnaire's languages (all but 'ratings' and 'metadata' "
            "may be left out)",
        )
    raw = _Raw(path.name)
    sheets = {
        kind: _unescaped(path, name, loaded[name])
        for kind, name in title.items()
    }
    raw.lang = _language_of(sheets["ratings"][0] if sheets["ratings"] else ())
    records = _records(
        path,
        title["ratings"],
        sheets["ratings"],
        known=rating_columns(tiers or ()),
        free=_TIER_SPAN,
        required=_REQUIRED,
        json_path="$.ratings",
    )
    raw.ratings.extend(row for row in records if not _heading(row))
    pair = ("field", "value")
    for row in _records(
        path,
        title["metadata"],
        sheets["metadata"],
        known=pair,
        required=pair,
        json_path="$.metadata",
    ):
        _metadata_row(raw, row)
    if "assessors" in title:
        raw.assessors = list(
            _records(
                path,
                title["assessors"],
                sheets["assessors"],
                known=_ASSESSOR_COLUMNS,
                required=("name",),
                json_path="$.metadata.assessors",
            )
        )
    for row in _records(
        path,
        title.get("tailoring", "tailoring"),
        sheets.get("tailoring", []),
        known=_TAILORING_COLUMNS,
        required=("node", "reason"),
        json_path="$.tailoring",
    ):
        raw.tailoring.append(row)
    return raw


def _language_of(header: Sequence[Any]) -> str | None:
    """
    The catalogue language *header*'s words are written in: the one
    whose column names it uses most (``None`` for a tie).
    """
    words = {w.casefold() for v in header if (w := _word(v)) is not None}
    hits = {
        lang: sum(
            texts[k].casefold() in words
            for k in texts
            if k.startswith("column.")
        )
        for lang, texts in CATALOGUE.items()
    }
    best = max(hits.values())
    winners = [lang for lang, n in hits.items() if n == best]
    return winners[0] if best and len(winners) == 1 else None


def _metadata_row(raw: _Raw, row: dict[str, tuple[Any, _Cell]]) -> None:
    (name, name_cell), (value, value_cell) = row["field"], row["value"]
    field = _canonical(_FIELD_NAMES, _word(name))
    if field not in METADATA_FIELDS:
        raw.problems.append(
            _at(
                name_cell,
                "$.metadata",
                f"unknown field {field!r}; fields: "
                f"{', '.join(METADATA_FIELDS)}",
                "unknown-field",
            )
        )
    elif field in raw.fields:
        raw.problems.append(
            _at(
                name_cell,
                _field_path(field),
                f"field {field!r} is given twice (first at row "
                f"{raw.fields[field][1].row})",
                "duplicate-field",
            )
        )
    else:
        raw.fields[field] = (value, value_cell)


def _records(  # noqa: PLR0913 -- one table's description
    path: Path,
    sheet: str | None,
    rows: Sequence[Sequence[Any]],
    *,
    known: Sequence[str],
    required: Sequence[str],
    json_path: str,
    free: tuple[str, str] | None = None,
) -> Iterator[dict[str, tuple[Any, _Cell]]]:
    """
    The non-blank rows of a table whose first row names its columns, as
    ``{column: (value, cell)}`` for every known column the header has;
    columns between the two columns *free* names may carry any name and
    are left out.
    """
    header = _header(path, sheet, rows, (known, required), json_path, free)
    for r, row in enumerate(rows[1:], 2):
        for value in row[len(header) :]:
            if value is not None and not _blank(value):
                raise InputError(
                    str(path),
                    json_path,
                    f"{_Cell(path.name, sheet, r, None)}: a cell beyond the "
                    f"last column ({len(header)}) is filled; give every "
                    "column a name in the first row",
                )
        if all(v is None or _blank(v) for v in row):
            continue
        yield {
            name: (
                row[c] if c < len(row) else None,
                _Cell(path.name, sheet, r, name),
            )
            for c, name in enumerate(header)
            if name is not None and name in known
        }


def _header(  # noqa: C901, PLR0913, PLR0917 -- one header's checks
    path: Path,
    sheet: str | None,
    rows: Sequence[Sequence[Any]],
    columns: tuple[Sequence[str], Sequence[str]],
    json_path: str,
    free: tuple[str, str] | None = None,
) -> list[str | None]:
    known, required = columns

    def fail(column: str | None, message: str) -> InputError:
        cell = _Cell(path.name, sheet, 1, column)
        return InputError(str(path), json_path, f"{cell}: {message}")

    if not rows:
        raise fail(None, f"no header row; expected {', '.join(known)}")
    header: list[str | None] = [
        _canonical(_HEADER_NAMES, _word(v)) for v in rows[0]
    ]
    while header and header[-1] is None:
        header.pop()
    seen = set()
    span = range(0)
    if free and free[0] in header and free[1] in header:
        span = range(header.index(free[0]) + 1, header.index(free[1]))
    for c, name in enumerate(header):
        if name is None:
            raise fail(None, "a column has no name in the first row")
        if c in span and name not in known:
            continue
        if name not in known:
            raise fail(
                name,
                f"unknown column {name!r}; known columns: {', '.join(known)}",
            )
        if name in seen:
            raise fail(name, f"column {name!r} appears twice")
        seen.add(name)
    missing = [c for c in required if c not in seen]
    if missing:
        raise fail(
            None,
            f"required column {missing[0]!r} is missing; required columns: "
            f"{', '.join(required)}",
        )
    return header


# ---------------------------------------------------------------------------
# Reading CSV


def _read_csv(path: Path, data: bytes, tiers: tuple[str, ...] | None) -> _Raw:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(
            str(path),
            "$",
            f"{path.name}: row {line}: byte {e.start} is not valid UTF-8; "
            "save the questionnaire as 'CSV UTF-8'",
        ) from None
    try:
        rows = [
            [from_csv_cell(v) for v in row]
            for row in csv.reader(io.StringIO(text, newline=""))
        ]
    except csv.Error as e:
        raise InputError(
            str(path), "$", f"{path.name}: not a readable CSV file: {e}"
        ) from None
    known = (
        *rating_columns(tiers or ()),
        *_CSV_REPEATED,
        *_CSV_FIRST_ROW,
        *_CSV_TAILORING,
    )
    raw = _Raw(path.name)
    raw.lang = _language_of(rows[0] if rows else ())
    required = (*_REQUIRED, "pack")
    records = _records(
        path,
        None,
        rows,
        known=known,
        required=required,
        json_path="$",
        free=_TIER_SPAN,
    )
    for i, row in enumerate(records):
        _csv_fields(raw, row, first=i == 0)
        if any(
            not _blank(v) for c, (v, _) in row.items() if c in _CSV_TAILORING
        ):
            raw.tailoring.append(
                {
                    key: row.get(c, (None, _Cell(path.name, None, None, c)))
                    for key, c in zip(
                        ("node", "reason"), _CSV_TAILORING, strict=True
                    )
                }
            )
        rating = {c: v for c, v in row.items() if c in _RATING_COLUMNS}
        if any(not _blank(v) for v, _ in rating.values()):
            raw.ratings.append(rating)
    return raw


def _csv_fields(
    raw: _Raw, row: Mapping[str, tuple[Any, _Cell]], *, first: bool
) -> None:
    """
    Take the file's fields from *row*: ``pack``, ``pack_version`` and
    ``profile`` from any row (all that are filled must agree), the others
    from the first row only.
    """
    for field in (*_CSV_REPEATED, *_CSV_FIRST_ROW):
        if field not in row:
            continue
        value, cell = row[field]
        kept = raw.fields.get(field)
        if first or kept is None:
            raw.fields[field] = (value, cell)
            continue
        if _blank(value) or _text(value) == _text(kept[0]):
            continue
        if field in _CSV_REPEATED and _blank(kept[0]):
            raw.fields[field] = (value, cell)
            continue
        raw.problems.append(
            _at(
                cell,
                _field_path(field),
                f"{field} is {_text(value)!r} here but "
                + (
                    f"{_text(kept[0])!r} in row {kept[1].row}"
                    if not _blank(kept[0])
                    else f"empty in row {kept[1].row}"
                )
                + f"; the questionnaire has one {field}, given "
                + ("on every row" if field in _CSV_REPEATED else "on row 2"),
                "inconsistent",
            )
        )
