"""
Diagnostic reports of a scored assessment: Markdown, self-contained HTML
(ready to print on A4), PDF and JSON, with a radar chart and a heat map.
Charts and HTML need the ``report`` extra (matplotlib), PDF also the
``pdf`` extra (WeasyPrint)::

    >>> from maturity_core import report
    >>> r = report.build_report(pack, result)  # doctest: +SKIP
    >>> html = report.to_html(r)  # doctest: +SKIP
    >>> pdf = report.to_pdf(r)  # doctest: +SKIP
"""

from __future__ import annotations

from ._charts import population_radar_png, radar_png
from ._fonts import font_subset
from ._html import to_html
from ._markdown import to_markdown
from ._pdf import to_pdf
from ._report import (
    AppendixEntry,
    AppendixGroup,
    Conclusion,
    Cover,
    Finding,
    LadderStep,
    NodeDiagnosis,
    Report,
    RequirementLine,
    Roadmap,
    RoadmapGroup,
    RoadmapStep,
    TeamMember,
    build_report,
)


__all__ = [
    "AppendixEntry",
    "AppendixGroup",
    "Conclusion",
    "Cover",
    "Finding",
    "LadderStep",
    "NodeDiagnosis",
    "Report",
    "RequirementLine",
    "Roadmap",
    "RoadmapGroup",
    "RoadmapStep",
    "TeamMember",
    "build_report",
    "font_subset",
    "population_radar_png",
    "radar_png",
    "to_html",
    "to_markdown",
    "to_pdf",
]
