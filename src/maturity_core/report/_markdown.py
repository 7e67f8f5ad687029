"""The report as Markdown: each section opens with an anchor
(``<a id="cover"></a>``) and a heading, so a table of contents can link
them."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from maturity_core._escape import md_cell, md_text
from maturity_core._format import decimal

from ._messages import message
from ._render import (
    SECTIONS,
    cover_rows,
    finding_head,
    gaps_by_level,
    heading,
    ladder_state,
    more,
    rating_change,
)
from ._report import NodeDiagnosis, Report, RequirementLine


def _id(rid: str) -> str:
    """A requirement id in small print: a code span."""
    return f"`{rid.replace('`', '')}`"


def _line(line: RequirementLine, *, by_level: bool = False) -> str:
    """Text — rating name (or level name), then the id in small print."""
    label = line.level_name if by_level else line.rating_name
    return f"{md_text(line.text)} — {md_text(label)} {_id(line.requirement)}"


def _cover(report: Report, chart: str | None) -> list[str]:
    del chart
    out = ["| | |", "|---|---|"]
    out += [f"| {md_cell(k)} | {md_cell(v)} |" for k, v in cover_rows(report)]
    return out


def _conclusion(report: Report, chart: str | None) -> list[str]:
    del chart
    return [md_text(report.conclusion.text)]


def _ladder(report: Report, chart: str | None) -> list[str]:
    del chart
    lang = report.lang
    out = [md_text(message("ladder.intro", lang)), ""]
    for step in report.ladder:
        marks = []
        if step.current:
            marks.append(message("ladder.here", lang))
        if step.status == "target":
            marks.append(message("ladder.target", lang))
        mark = f" ← **{md_text(' / '.join(marks))}**" if marks else ""
        state = ladder_state(report, passes=step.passes)
        figures = f"{message('ladder.score', lang)} {decimal(step.score)}"
        if report.gate is not None and state:
            gate = message("ladder.gate", lang, gate=decimal(report.gate))
            figures += message("parts.sep", lang) + f"{gate} {state}"
        paren = message("paren", lang, text=figures)
        space = " " if paren.startswith(" ") else ""
        out.append(f"- **{md_text(step.name)}**{space}{md_text(paren)}{mark}")
        description = step.description or message("no_description", lang)
        out.append(f"  {md_text(description)}")
    return out


def _heatmap(report: Report, chart: str | None) -> list[str]:
    del chart
    names = [name for _, name in report.level_names]
    out = [md_text(message("heatmap.intro", report.lang)), ""]
    out.append(
        f"| {md_cell(report.chart_tier)} | "
        + " | ".join(md_cell(n) for n in names)
        + " |"
    )
    out.append("|---|" + "---:|" * len(names))
    for _, name, scores in report.charted:
        cells = [
            decimal(scores[k]) if k in scores else ""
            for k, _ in report.level_names
        ]
        out.append(f"| {md_cell(name)} | " + " | ".join(cells) + " |")
    dimensions = report.result.dimensions.values()
    if dimensions:
        out += ["", f"### {md_text(message('dimensions', report.lang))}", ""]
        out += ["| | S |", "|---|---:|"]
        out += [
            f"| {md_cell(d.name.get(report.lang))} | {decimal(d.score)} |"
            for d in dimensions
        ]
    return out


def _radar(report: Report, chart: str | None) -> list[str]:
    if not chart:
        return []
    title = heading(report, "radar")
    return [f"![{md_text(title)}]({quote(chart)})"]


def _findings(kind: str) -> Callable[[Report, str | None], list[str]]:
    def render(report: Report, chart: str | None) -> list[str]:
        del chart
        lang = report.lang
        items = getattr(report, kind)
        if not items:
            return [
                md_text(message(f"{kind}.none", lang, tier=report.leaf_tier))
            ]
        out = [
            md_text(message(f"{kind}.intro", lang, tier=report.leaf_tier)),
            "",
        ]
        label = message(
            "fully_met" if kind == "strengths" else "largest_gaps", lang
        )
        for f in items:
            out.append(f"- **{md_text(finding_head(report, kind, f))}**")
            if f.requirements:
                out.append(
                    f"  - {md_text(label)}{message('colon', lang).rstrip()}"
                )
                out += [
                    f"    - {_line(q, by_level=kind == 'strengths')}"
                    for q in f.requirements
                ]
                if f.more:
                    out.append(f"    - {md_text(more(report, f.more))}")
        return out

    return render


def _interviews(report: Report, d: NodeDiagnosis) -> list[str]:
    lang = report.lang
    sep = message("list.sep", lang)
    out: list[str] = []
    for interview in d.interviews:
        out += [f"**{md_text(message('interviews', lang))}**", ""]
        fields = [
            ("interview.time", interview.time or ""),
            ("interview.departments", sep.join(interview.departments)),
            ("interview.interviewees", sep.join(interview.interviewees)),
            ("interview.assessors", sep.join(interview.assessors)),
        ]
        out += [
            f"- {md_text(message(k, lang))}{message('colon', lang)}"
            f"{md_text(v)}"
            for k, v in fields
            if v
        ]
        out.append("")
    return out


def _gaps(report: Report, d: NodeDiagnosis) -> list[str]:
    if not d.gaps:
        return [md_text(message("no_gap", report.lang))]
    out: list[str] = []
    for i, (name, lines) in enumerate(gaps_by_level(d)):
        if i:
            out.append("")
        out += [f"*{md_text(name)}*", ""]
        out += [f"- {_line(g)}" for g in lines]
    return out


def _nodes(report: Report, chart: str | None) -> list[str]:
    del chart
    lang = report.lang
    out: list[str] = []
    for d in report.diagnoses:
        out += [f"### {md_text(d.name)}", ""]
        if d.path:
            out += [f"*{md_text(' › '.join(d.path))}*", ""]
        out += _interviews(report, d)
        out += [f"**{md_text(message('current', lang))}**", ""]
        out += [md_text(d.state[0]), ""]
        if d.state[1:]:
            out += [f"- {md_text(s)}" for s in d.state[1:]]
            out.append("")
        out += [f"**{md_text(message('gap', lang))}**", ""]
        out += [*_gaps(report, d), ""]
        if d.prediction:
            out += [
                f"**{md_text(message('predicted', lang))}**",
                "",
                md_text(d.prediction),
                "",
            ]
    return out[:-1] if out else out


def _roadmap(report: Report, chart: str | None) -> list[str]:
    del chart
    lang = report.lang
    road = report.roadmap
    if road.note:
        return [md_text(road.note)]
    out = [md_text(road.intro)]
    with_effort = road.effort is not None
    number = 0
    for group in road.groups:
        out += ["", f"### {md_text(group.name)}", ""]
        head = [
            message("step", lang),
            message("at_level", lang),
            message("requirement", lang),
            message("change", lang),
        ]
        if with_effort:
            head.append(message("effort", lang))
        out.append("| " + " | ".join(md_cell(h) for h in head) + " |")
        out.append("|---" * len(head) + "|")
        for step in group.steps:
            number += 1
            cells = [
                str(number),
                md_cell(step.line.level_name),
                f"{md_cell(step.line.text)} {_id(step.line.requirement)}",
                md_cell(rating_change(report, step)),
            ]
            if with_effort and step.effort is not None:
                cells.append(decimal(step.effort))
            out.append("| " + " | ".join(cells) + " |")
    return out


def _appendix(report: Report, chart: str | None) -> list[str]:
    del chart
    lang = report.lang
    out: list[str] = []
    meta = report.result.assessment.metadata
    if meta.notes:
        label = md_text(message("notes", lang)) + message("colon", lang)
        out += [f"**{label}**{md_text(meta.notes)}", ""]
    if report.tailoring:
        out += [f"**{md_text(message('tailoring', lang))}**", ""]
        out += [
            f"- {md_text(name)}{message('colon', lang)}{md_text(reason)}"
            for name, reason in report.tailoring
        ]
        out.append("")
    head = [
        message("requirement", lang),
        message("at_level", lang),
        message("rating", lang),
        message("evidence", lang),
        message("note", lang),
    ]
    for group in report.appendix:
        title = " › ".join((*group.path, group.name))
        out += [f"### {md_text(title)}", ""]
        out.append("| " + " | ".join(md_cell(h) for h in head) + " |")
        out.append("|---" * len(head) + "|")
        for e in group.entries:
            note = e.note or ""
            if e.assessor:
                note = (note + " " if note else "") + message(
                    "paren", lang, text=e.assessor
                ).strip()
            out.append(
                f"| {md_cell(e.line.text)} {_id(e.line.requirement)} "
                f"| {md_cell(e.line.level_name)} "
                f"| {md_cell(e.line.rating_name)} "
                f"| {md_cell('; '.join(e.evidence))} "
                f"| {md_cell(note)} |"
            )
        out.append("")
    return out[:-1] if out else out


_RENDER: dict[str, Callable[[Report, str | None], list[str]]] = {
    "cover": _cover,
    "conclusion": _conclusion,
    "ladder": _ladder,
    "heatmap": _heatmap,
    "radar": _radar,
    "strengths": _findings("strengths"),
    "weaknesses": _findings("weaknesses"),
    "nodes": _nodes,
    "roadmap": _roadmap,
    "appendix": _appendix,
}


def to_markdown(report: Report, *, chart: str | None = None) -> str:
    """
    The report as Markdown; *chart* is the file name of the radar PNG to
    link (the CLI writes it beside the Markdown; without it the radar
    section is left out).  Each section opens with an anchor named as in
    the HTML form (``cover``, ``conclusion``, …, ``appendix``).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.3.0 Cover, conclusion, ladder, heat map,
       strengths, weaknesses, roadmap and appendix.
    """
    out: list[str] = []
    for section in SECTIONS:
        body = _RENDER[section](report, chart)
        if not body and section != "cover":
            continue
        level = "#" if section == "cover" else "##"
        out += [
            f'<a id="{section}"></a>',
            "",
            f"{level} {md_text(heading(report, section))}",
            "",
            *body,
            "",
        ]
    out += [f"_{md_text(message('disclaimer', report.lang))}_", ""]
    return "\n".join(out)
