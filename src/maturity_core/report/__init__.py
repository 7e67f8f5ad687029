"""
Reports of a scored assessment: Markdown, self-contained HTML, PDF and
radar charts.  Charts and HTML need the ``report`` extra (matplotlib), PDF
also the ``pdf`` extra (WeasyPrint)::

    >>> from maturity_core import report
    >>> r = report.build_report(pack, result)  # doctest: +SKIP
    >>> html = report.to_html(r)  # doctest: +SKIP
    >>> pdf = report.to_pdf(r)  # doctest: +SKIP
"""

from __future__ import annotations

from ._fonts import font_subset
from ._pdf import to_pdf
from ._report import (
    NodeDiagnosis,
    Report,
    build_report,
    population_radar_png,
    radar_png,
    to_html,
    to_markdown,
)


__all__ = [
    "NodeDiagnosis",
    "Report",
    "build_report",
    "font_subset",
    "population_radar_png",
    "radar_png",
    "to_html",
    "to_markdown",
    "to_pdf",
]
