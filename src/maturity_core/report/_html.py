"""
The report as one self-contained HTML page: semantic sections with ids,
inline CSS (with print rules for A4), the radar chart as a data URI, the
heat map as a table with cell colours, and the CJK glyphs it uses as an
embedded font subset.  No script, nothing fetched at view time.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable

from maturity_core._format import decimal, exact

from ._charts import heat_colour, radar_png
from ._fonts import css_font_stack, font_subset
from ._messages import message
from ._render import (
    cover_rows,
    finding_head,
    gaps_by_level,
    heading,
    ladder_state,
    more,
    rating_change,
)
from ._report import Report, RequirementLine


e = html.escape

_CSS = """
@font-face{font-family:'ReportCJK';src:url(data:font/otf;base64,@@FONT@@)
 format('opentype')}
*{box-sizing:border-box}
body{font-family:@@FAMILY@@;margin:0 auto;padding:1.5em 2em;
 max-width:1200px;line-height:1.6;color:#222;overflow-wrap:anywhere}
h1{font-size:1.9em;margin:.4em 0 .8em}
h2{font-size:1.4em;border-bottom:2px solid #2a5d9f;padding-bottom:.2em;
 margin-top:1.8em}
h3{font-size:1.15em;margin:1.4em 0 .4em}
table{border-collapse:collapse;margin:.6em 0;max-width:100%}
td,th{border:1px solid #bbb;padding:.3em .6em;vertical-align:top;
 text-align:left}
th{background:#eef2f7}
.id{font-family:monospace;font-size:.75em;color:#777;margin-left:.4em;
 white-space:nowrap}
.path{color:#666;font-size:.9em;margin:0}
.fail{color:#b00}.pass{color:#070}
#cover table th{width:11em}
#cover .subtitle{font-size:1.2em;color:#2a5d9f}
#conclusion p{font-size:1.1em}
ol.ladder{list-style:none;padding:0;margin:0}
ol.ladder li{border:1px solid #ccd;border-left:6px solid #ccd;
 margin:.4em 0;padding:.4em .8em;border-radius:4px}
ol.ladder li.reached{border-left-color:#2e8b57;background:#f3faf5}
ol.ladder li.target{border-left-color:#d98c00;background:#fff8ec}
ol.ladder li.current{outline:2px solid #2e8b57}
ol.ladder .badge{display:inline-block;font-size:.8em;padding:0 .5em;
 border-radius:3px;background:#2a5d9f;color:#fff;margin-left:.5em}
ol.ladder .desc{margin:.2em 0 0;color:#444}
.charts{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}
.charts>section{flex:1 1 420px;min-width:0}
.charts>#heatmap{flex:1.2 1 520px}
#heatmap th[scope=row]{white-space:nowrap}
p.lv{margin:.5em 0 .1em;font-weight:bold;color:#2a5d9f}
ul.gaps{margin-top:0}
.charts h2{margin-top:.6em}
#heatmap table{width:100%}
#heatmap td.cell{text-align:right;font-variant-numeric:tabular-nums}
#radar img{width:100%;max-width:560px;height:auto;display:block}
.roadmap td:first-child{text-align:right}
.findings li{margin:.3em 0}
footer{margin-top:2em;color:#666;font-size:.9em}
@page{size:A4;margin:16mm 14mm}
@media print{
 body{max-width:none;padding:0;font-size:10.5pt}
 #conclusion,#ladder,.charts,#strengths,#nodes,#roadmap,#appendix
 {break-before:page}
 h2,h3{break-after:avoid}
 tr,li,#heatmap,#radar,#cover{break-inside:avoid}
 .charts{display:block}
 #radar img{max-width:13cm}
 #heatmap td.cell{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""


def _id(rid: str) -> str:
    return f"<span class='id'>{e(rid)}</span>"


def _line(line: RequirementLine, *, by_level: bool = False) -> str:
    """Text — rating name (or level name), then the id in small print."""
    label = line.level_name if by_level else line.rating_name
    return f"{e(line.text)} — {e(label)}{_id(line.requirement)}"


def _table(head: list[str], rows: list[list[str]], css: str = "") -> str:
    cls = f" class='{css}'" if css else ""
    out = [f"<table{cls}><thead><tr>"]
    out += [f"<th scope='col'>{h}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _cover(report: Report) -> str:
    rows = "".join(
        f"<tr><th scope='row'>{e(k)}</th><td>{e(v)}</td></tr>"
        for k, v in cover_rows(report)
    )
    return f"<table><tbody>{rows}</tbody></table>"


def _conclusion(report: Report) -> str:
    return f"<p>{e(report.conclusion.text)}</p>"


def _ladder(report: Report) -> str:
    lang = report.lang
    out = [f"<p>{e(message('ladder.intro', lang))}</p><ol class='ladder'>"]
    for step in report.ladder:
        classes = [step.status] + (["current"] if step.current else [])
        badges = ""
        if step.current:
            badges += (
                f"<span class='badge'>{e(message('ladder.here', lang))}</span>"
            )
        if step.status == "target":
            badges += (
                f"<span class='badge'>{e(message('ladder.target', lang))}"
                "</span>"
            )
        state = ladder_state(report, passes=step.passes)
        css = "pass" if step.passes else "fail"
        gate = (
            e(message("parts.sep", lang))
            + e(message("ladder.gate", lang, gate=decimal(report.gate)))
            + f" <span class='{css}'>{e(state)}</span>"
            if report.gate is not None and state
            else ""
        )
        opening, closing = message("paren", lang, text="\0").split("\0")
        description = step.description or message("no_description", lang)
        out.append(
            f"<li class='{' '.join(classes)}'><strong>{e(step.name)}</strong>"
            f"{badges} <span>{e(opening.strip())}"
            f"{e(message('ladder.score', lang))} {decimal(step.score)}{gate}"
            f"{e(closing)}</span><p class='desc'>{e(description)}</p></li>"
        )
    out.append("</ol>")
    return "".join(out)


def _heatmap(report: Report) -> str:
    head = [e(report.chart_tier)] + [e(name) for _, name in report.level_names]
    out = [f"<p>{e(message('heatmap.intro', report.lang))}</p>"]
    out.append("<table><thead><tr>")
    out += [f"<th scope='col'>{h}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for _, name, scores in report.charted:
        out.append(f"<tr><th scope='row'>{e(name)}</th>")
        for k, _ in report.level_names:
            if k in scores:
                x = scores[k]
                out.append(
                    f"<td class='cell' style='background:{heat_colour(x)}' "
                    f"title='{e(exact(x))}'>{decimal(x)}</td>"
                )
            else:
                out.append("<td></td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    dimensions = report.result.dimensions.values()
    if dimensions:
        out.append(f"<h3>{e(message('dimensions', report.lang))}</h3>")
        out.append(
            _table(
                ["", "S"],
                [
                    [e(d.name.get(report.lang)), decimal(d.score)]
                    for d in dimensions
                ],
            )
        )
    return "".join(out)


def _radar(report: Report) -> str:
    png = base64.b64encode(radar_png(report)).decode("ascii")
    alt = heading(report, "radar")
    return f"<img alt='{e(alt)}' src='data:image/png;base64,{png}'>"


def _findings(kind: str) -> Callable[[Report], str]:
    def render(report: Report) -> str:
        lang = report.lang
        items = getattr(report, kind)
        if not items:
            none = message(f"{kind}.none", lang, tier=report.leaf_tier)
            return f"<p>{e(none)}</p>"
        label = message(
            "fully_met" if kind == "strengths" else "largest_gaps", lang
        )
        intro = message(f"{kind}.intro", lang, tier=report.leaf_tier)
        out = [
            f"<p>{e(intro)}</p>",
            "<ul class='findings'>",
        ]
        for f in items:
            out.append(
                f"<li><strong>{e(finding_head(report, kind, f))}</strong>"
            )
            if f.requirements:
                out.append(f"<br>{e(label)}<ul>")
                out += [
                    f"<li>{_line(q, by_level=kind == 'strengths')}</li>"
                    for q in f.requirements
                ]
                if f.more:
                    out.append(f"<li>{e(more(report, f.more))}</li>")
                out.append("</ul>")
            out.append("</li>")
        out.append("</ul>")
        return "".join(out)

    return render


def _nodes(report: Report) -> str:
    lang = report.lang
    sep = message("list.sep", lang)
    out = []
    for d in report.diagnoses:
        out.append(f"<article class='node' id='node-{e(d.node)}'>")
        out.append(f"<h3>{e(d.name)}</h3>")
        if d.path:
            out.append(f"<p class='path'>{e(' › '.join(d.path))}</p>")
        if d.interviews:
            rows = [
                [
                    e(i.time or ""),
                    e(sep.join(i.departments)),
                    e(sep.join(i.interviewees)),
                    e(sep.join(i.assessors)),
                ]
                for i in d.interviews
            ]
            out.append(f"<h4>{e(message('interviews', lang))}</h4>")
            out.append(
                _table(
                    [
                        e(message(k, lang))
                        for k in (
                            "interview.time",
                            "interview.departments",
                            "interview.interviewees",
                            "interview.assessors",
                        )
                    ],
                    rows,
                )
            )
        out.append(f"<h4>{e(message('current', lang))}</h4>")
        out.append(f"<p>{e(d.state[0])}</p>")
        if d.state[1:]:
            out.append("<ul>")
            out += [f"<li>{e(s)}</li>" for s in d.state[1:]]
            out.append("</ul>")
        out.append(f"<h4>{e(message('gap', lang))}</h4>")
        if d.gaps:
            for name, lines in gaps_by_level(d):
                out.append(f"<p class='lv'>{e(name)}</p><ul class='gaps'>")
                out += [f"<li>{_line(g)}</li>" for g in lines]
                out.append("</ul>")
        else:
            out.append(f"<p>{e(message('no_gap', lang))}</p>")
        if d.prediction:
            out.append(f"<h4>{e(message('predicted', lang))}</h4>")
            out.append(f"<p>{e(d.prediction)}</p>")
        out.append("</article>")
    return "".join(out)


def _roadmap(report: Report) -> str:
    lang = report.lang
    road = report.roadmap
    if road.note:
        return f"<p>{e(road.note)}</p>"
    out = [f"<p>{e(road.intro)}</p>"]
    with_effort = road.effort is not None
    head = [
        e(message(k, lang))
        for k in ("step", "at_level", "requirement", "change")
    ]
    if with_effort:
        head.append(e(message("effort", lang)))
    number = 0
    for group in road.groups:
        out.append(f"<h3>{e(group.name)}</h3>")
        rows = []
        for step in group.steps:
            number += 1
            row = [
                str(number),
                e(step.line.level_name),
                f"{e(step.line.text)}{_id(step.line.requirement)}",
                e(rating_change(report, step)),
            ]
            if with_effort and step.effort is not None:
                row.append(decimal(step.effort))
            rows.append(row)
        out.append(_table(head, rows, "roadmap"))
    return "".join(out)


def _appendix(report: Report) -> str:
    lang = report.lang
    out = []
    meta = report.result.assessment.metadata
    if meta.notes:
        out.append(
            f"<p><strong>{e(message('notes', lang))}</strong>"
            f"{e(message('colon', lang))}{e(meta.notes)}</p>"
        )
    if report.tailoring:
        out.append(f"<h3>{e(message('tailoring', lang))}</h3><ul>")
        out += [
            f"<li>{e(name)}{e(message('colon', lang))}{e(reason)}</li>"
            for name, reason in report.tailoring
        ]
        out.append("</ul>")
    head = [
        e(message(k, lang))
        for k in (
            "requirement",
            "at_level",
            "rating",
            "evidence",
            "note",
            "assessor",
        )
    ]
    for group in report.appendix:
        out.append(f"<h3>{e(' › '.join((*group.path, group.name)))}</h3>")
        rows = [
            [
                f"{e(x.line.text)}{_id(x.line.requirement)}",
                e(x.line.level_name),
                e(x.line.rating_name),
                "<br>".join(e(v) for v in x.evidence),
                e(x.note or ""),
                e(x.assessor or ""),
            ]
            for x in group.entries
        ]
        out.append(_table(head, rows))
    return "".join(out)


def _section(report: Report, section: str, body: str) -> str:
    tag = "h1" if section == "cover" else "h2"
    return (
        f"<section id='{section}'><{tag}>{e(heading(report, section))}"
        f"</{tag}>{body}</section>"
    )


def to_html(report: Report) -> str:
    """
    The report as one self-contained HTML page: a ``<section>`` with an
    ``id`` and an ``<h1>``/``<h2>`` heading per part (``cover``,
    ``conclusion``, ``ladder``, ``heatmap``, ``radar``, ``strengths``,
    ``weaknesses``, ``nodes``, ``roadmap``, ``appendix``), styles inline
    with print rules for A4, the radar chart embedded as a data URI, no
    script and nothing fetched at view time.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.3.0 The sections of a diagnostic report; print
       styles.
    """
    lang = report.lang
    parts = [
        f"<!doctype html><html lang='{e(lang)}'>",
        "<head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        f"<title>{e(report.title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        _section(report, "cover", _cover(report)),
        _section(report, "conclusion", _conclusion(report)),
        _section(report, "ladder", _ladder(report)),
        "<div class='charts'>",
        _section(report, "heatmap", _heatmap(report)),
        _section(report, "radar", _radar(report)),
        "</div>",
        _section(report, "strengths", _findings("strengths")(report)),
        _section(report, "weaknesses", _findings("weaknesses")(report)),
        _section(report, "nodes", _nodes(report)),
        _section(report, "roadmap", _roadmap(report)),
        _section(report, "appendix", _appendix(report)),
        f"<footer><p><i>{e(message('disclaimer', lang))}</i></p></footer>",
        "</body></html>",
    ]
    page = "\n".join(parts).replace("@@FAMILY@@", css_font_stack(), 1)
    # Embed the CJK glyphs the page uses, so it renders offline anywhere.
    font = base64.b64encode(font_subset(page)).decode("ascii")
    return page.replace("@@FONT@@", font, 1)
