"""What the Markdown and the HTML forms of a report share: the order of
the sections, their headings, and the rows of the cover and the tables."""

from __future__ import annotations

from maturity_core._format import decimal, exact

from ._messages import message
from ._report import (
    Finding,
    NodeDiagnosis,
    Report,
    RequirementLine,
    RoadmapStep,
)


#: The report's sections in order; each names its HTML section (``id``) and
#: its Markdown anchor.
SECTIONS = (
    "cover",
    "conclusion",
    "ladder",
    "heatmap",
    "radar",
    "strengths",
    "weaknesses",
    "nodes",
    "roadmap",
    "appendix",
)


def heading(report: Report, section: str) -> str:
    """The heading of *section* in the report's language."""
    lang = report.lang
    if section == "cover":
        return report.title
    if section in ("heatmap", "radar"):
        return message(section, lang, tier=report.chart_tier)
    if section == "nodes":
        return message(section, lang, tier=report.leaf_tier)
    return message(section, lang)


def cover_rows(report: Report) -> list[tuple[str, str]]:
    """The cover's (label, value) rows; fields the assessment lacks are
    left out."""
    c = report.cover
    lang = report.lang
    r = report.result
    rows: list[tuple[str, str | None]] = [
        ("report_number", c.report_number),
        ("organisation", c.organisation),
        ("assessing_body", c.assessing_body),
        ("scope", c.scope),
        ("profile", c.profile_name),
        ("standard", f"{c.standard} {c.pack_version}"),
        ("mode", c.mode_name),
        (
            "period",
            message("period_value", lang, start=c.start_date, end=c.end_date)
            if c.start_date and c.end_date
            else c.start_date or c.end_date,
        ),
        ("date", c.date),
        (
            "team",
            message("list.sep", lang).join(
                m.name
                + (
                    message("paren", lang, text=m.role_name)
                    if m.role_name
                    else ""
                )
                for m in c.team
            )
            or None,
        ),
        ("rule", c.rule_name),
        (
            "score",
            decimal(r.score) + message("paren", lang, text=exact(r.score)),
        ),
        (
            "level",
            report.conclusion.level_name if r.level is not None else None,
        ),
        ("pack_hash", c.pack_hash),
    ]
    return [(message(k, lang), v) for k, v in rows if v]


def ladder_state(report: Report, *, passes: bool | None) -> str:
    """The words for a level score that meets the gate or not."""
    if passes is None:
        return ""
    return message("pass" if passes else "fail", report.lang)


def rating_change(report: Report, step: RoadmapStep) -> str:
    """``部分满足 → 全部满足``."""
    del report
    return f"{step.line.rating_name} → {step.to_name}"


def more(report: Report, n: int) -> str:
    """``and 4 more`` (empty for none)."""
    return message("more", report.lang, n=n) if n else ""


def finding_head(report: Report, kind: str, finding: Finding) -> str:
    """The line that opens a strength or a weakness."""
    lang = report.lang
    if kind == "strengths":
        return message(
            "strength.head",
            lang,
            name=finding.name,
            level=finding.level_name
            or decimal(report.result.node_totals[finding.node]),
        )
    return message(
        "weakness.head",
        lang,
        name=finding.name,
        level=finding.level_name,
        x=decimal(finding.score) if finding.score is not None else "—",
    )


def line_text(line: RequirementLine) -> str:
    """A requirement's text with its rating name."""
    return f"{line.text} — {line.rating_name}"


def gaps_by_level(
    diagnosis: NodeDiagnosis,
) -> list[tuple[str, list[RequirementLine]]]:
    """A leaf's gaps under the name of their level, lowest level first."""
    out: dict[str, list[RequirementLine]] = {}
    for line in diagnosis.gaps:
        out.setdefault(line.level_name, []).append(line)
    return list(out.items())
