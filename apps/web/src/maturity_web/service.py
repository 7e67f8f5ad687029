"""
The library behind the service, through maturity-core's public API only:
packs, assessments built from the stored ratings, exact scoring, progress,
reports and analyses.
"""

from __future__ import annotations

import functools
import json
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import maturity_core as mc
from maturity_core import analysis, questionnaire, report


#: The ROOT node id of every pack's tree (a node id no pack may use).
ROOT = "$root"


try:
    # The writer of the ``maturity`` command, public from core 0.2 on.
    from maturity_core.io import dumps as dumps  # noqa: PLC0414 -- re-export
except ImportError:  # a core without maturity_core.io

    def dumps(data: Any) -> str:
        """
        JSON text as the ``maturity`` command writes it: sorted keys,
        two-space indent, UTF-8 characters as they are, a final newline.
        """
        return (
            json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
            + "\n"
        )


def installed_packs() -> list[dict[str, Any]]:
    """Every installed pack with its title and profiles, for the forms."""
    out = []
    for info in mc.discover_packs():
        pack = mc.load_pack(info.id)
        out.append(
            {
                "id": pack.id,
                "version": pack.version,
                "title": pack.title.get(pack.language),
                "language": pack.language,
                "languages": pack.languages or (pack.language,),
                "default_profile": pack.default_profile,
                "profiles": [
                    (p.id, p.name.get(pack.language) or p.id)
                    for p in pack.profiles.values()
                ],
            }
        )
    return out


@functools.cache
def load(pack_id: str) -> mc.Pack:
    """
    The installed pack *pack_id* (a bare id, never a path), loaded once
    per process: packs do not change under a running service.
    """
    return mc.load_pack(pack_id)


def in_scope(
    pack: mc.Pack, profile: str, tailored: Iterable[str]
) -> frozenset[str]:
    """The nodes in scope: the profile's, less tailored nodes and below."""
    prof = pack.get_profile(profile)
    out = set(prof.scope)
    for node in tailored:
        if node in pack.nodes:
            out -= {n.id for n in pack.nodes[node].walk()}
    return frozenset(out)


def requirements_in_scope(
    pack: mc.Pack, profile: str, tailored: Iterable[str] = ()
) -> list[mc.Requirement]:
    scope = in_scope(pack, profile, tailored)
    order = {n.id: i for i, n in enumerate(pack.root.walk())}
    reqs = [r for r in pack.requirements if r.node in scope]
    return sorted(reqs, key=lambda r: (order[r.node], r.level))


def page_depth(pack: mc.Pack) -> int:
    """The tier the questionnaire pages by: the one above the leaves."""
    return max(1, pack.max_depth - 1)


@dataclass
class Page:
    number: int
    node: mc.Node
    group: mc.Node
    requirements: list[mc.Requirement]
    rated: int = 0


@dataclass
class Progress:
    rated: int
    total: int
    groups: list[tuple[mc.Node, int, int]] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return 100 * self.rated // self.total if self.total else 100

    @property
    def complete(self) -> bool:
        return self.rated == self.total


def _top(pack: mc.Pack, node_id: str) -> str:
    chain = [node_id, *pack.ancestors(node_id)]
    return chain[-1]


def pages(
    pack: mc.Pack,
    profile: str,
    tailored: Iterable[str],
    ratings: Mapping[str, str | None],
) -> list[Page]:
    """The questionnaire's pages: one per in-scope node of the page tier."""
    reqs = requirements_in_scope(pack, profile, tailored)
    depth = page_depth(pack)
    out: list[Page] = []
    by_page: dict[str, Page] = {}
    for node in pack.nodes_at(depth):
        page = Page(0, node, pack.nodes[_top(pack, node.id)], [])
        by_page[node.id] = page
    for req in reqs:
        chain = [req.node, *pack.ancestors(req.node)]
        anchor = next((n for n in chain if pack.depths[n] == depth), chain[-1])
        page = by_page.setdefault(
            anchor, Page(0, pack.nodes[anchor], pack.nodes[chain[-1]], [])
        )
        page.requirements.append(req)
        if ratings.get(req.id) is not None:
            page.rated += 1
    for page in by_page.values():
        if page.requirements:
            page.number = len(out) + 1
            out.append(page)
    return out


def progress(
    pack: mc.Pack,
    profile: str,
    tailored: Iterable[str],
    ratings: Mapping[str, str | None],
) -> Progress:
    """Rated and total requirements, per top-level group and overall."""
    reqs = requirements_in_scope(pack, profile, tailored)
    groups: dict[str, list[int]] = {}
    for req in reqs:
        counts = groups.setdefault(_top(pack, req.node), [0, 0])
        counts[1] += 1
        if ratings.get(req.id) is not None:
            counts[0] += 1
    rated = sum(c[0] for c in groups.values())
    return Progress(
        rated,
        len(reqs),
        [(pack.nodes[g], c[0], c[1]) for g, c in groups.items()],
    )


def build_assessment(  # noqa: PLR0913 -- one assessment's parts
    *,
    pack: mc.Pack,
    profile: str,
    organisation: str,
    date: str,
    mode: str,
    assessors: Sequence[tuple[str, str]],
    tailoring: Sequence[tuple[str, str]],
    entries: Sequence[Mapping[str, Any]],
    source: str | None = None,
) -> mc.Assessment:
    """
    The library's assessment of stored ratings, in pack order: the same
    object ``Assessment.from_dict`` makes of the JSON it writes (the
    stored values were checked against the pack when they were saved).
    """
    order = {r.id: i for i, r in enumerate(pack.requirements)}
    ratings = tuple(
        mc.RatingEntry(
            requirement=e["id"],
            rating=e.get("rating"),
            evidence=(
                (mc.Evidence(description=e["evidence"]),)
                if e.get("evidence")
                else ()
            ),
            note=e.get("note") or None,
        )
        for e in sorted(entries, key=lambda e: order.get(e["id"], len(order)))
    )
    return mc.Assessment(
        pack=pack.id,
        pack_version=pack.version,
        profile=profile,
        metadata=mc.AssessmentMetadata(
            organisation=organisation,
            date=date,
            mode=mode,
            assessors=tuple(mc.Assessor(n, r) for n, r in assessors),
        ),
        tailoring=tuple(mc.Tailoring(n, r) for n, r in tailoring),
        ratings=ratings,
        source=source,
    )


@dataclass
class Live:
    """A result recomputed on a save, and what it is short of."""

    result: mc.Result | None
    unrated: int
    problems: list[str]


def live_result(
    pack: mc.Pack, assessment: mc.Assessment, unrated: int
) -> Live:
    """
    The exact result of *assessment*; while requirements are unrated they
    count as the rubric's lowest value (and the page says so).
    """
    try:
        result = mc.score(
            pack, assessment, unrated="none" if unrated else "error"
        )
    except mc.AssessmentError as e:
        # The pack's validators and the assessment's checks, one by one.
        return Live(
            None, unrated, [f"{p.message} ({p.code})" for p in e.problems]
        )
    except mc.MaturityCoreError as e:
        return Live(None, unrated, [str(e)])
    return Live(result, unrated, [])


def final_result(pack: mc.Pack, assessment: mc.Assessment) -> mc.Result:
    """The result of a complete assessment (unrated requirements refused)."""
    return mc.score(pack, assessment)


def level_scores(result: mc.Result) -> list[tuple[int, str, Fraction]]:
    pack = result.pack
    return [
        (n, pack.level_name(n).get(pack.language), x)
        for n, x in zip(pack.level_numbers, result.level_scores, strict=True)
    ]


def build_report(pack: mc.Pack, result: mc.Result, lang: str) -> Any:
    return report.build_report(pack, result, lang=lang)


def report_html(pack: mc.Pack, result: mc.Result, lang: str) -> str:
    return report.to_html(report.build_report(pack, result, lang=lang))


def radar(pack: mc.Pack, result: mc.Result, lang: str) -> bytes:
    return report.radar_png(report.build_report(pack, result, lang=lang))


def plan(pack: mc.Pack, result: mc.Result) -> Any:
    """The improvement plan to the next level, or ``None`` at the top."""
    if result.level is None or result.level >= max(pack.level_numbers):
        return None
    try:
        return analysis.improvement_plan(pack, result)
    except (ValueError, mc.MaturityCoreError):
        return None


def compare(before: mc.Result, after: mc.Result) -> Any:
    return analysis.compare(before, after)


def questionnaire_xlsx(
    pack: mc.Pack, assessment: mc.Assessment, lang: str
) -> bytes:
    """The assessment as the XLSX questionnaire of ``maturity template``."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "questionnaire.xlsx"
        questionnaire.write_questionnaire(
            pack,
            path,
            profile=assessment.profile,
            lang=lang,
            assessment=assessment,
        )
        return path.read_bytes()


def read_upload(pack: mc.Pack, name: str, data: bytes) -> mc.Assessment:
    """
    An assessment from an uploaded XLSX questionnaire or JSON file.

    Raises:
        MaturityCoreError: If the file is not a valid assessment of *pack*.
    """
    if name.lower().endswith(".xlsx"):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "upload.xlsx"
            path.write_bytes(data)
            return questionnaire.read_questionnaire(path, pack=pack)
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise mc.InputError(name, "$", f"not UTF-8 JSON: {e}") from None
    return mc.Assessment.from_dict(parsed, source=name)


def consolidation(
    pack: mc.Pack, assessments: Sequence[mc.Assessment], rule: str
) -> Any:
    return analysis.consolidate(
        pack, assessments, rule=rule, allow_disagreement=True
    )


def agreement(pack: mc.Pack, assessments: Sequence[mc.Assessment]) -> Any:
    return analysis.agreement_statistics(pack, assessments)
