"""
Reports of a scored assessment: Markdown, self-contained HTML and radar
charts.  Charts and HTML need the ``report`` extra (matplotlib)::

    >>> from maturity_core import report
    >>> r = report.build_report(pack, result)  # doctest: +SKIP
    >>> html = report.to_html(r)  # doctest: +SKIP
"""

from __future__ import annotations

from ._fonts import font_subset
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
]
