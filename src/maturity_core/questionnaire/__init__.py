"""
Questionnaires for assessors who work in a spreadsheet: write one for a
pack and profile (XLSX needs the ``xlsx`` extra, CSV needs nothing), read
the filled-in file back as an assessment::

    >>> from maturity_core import questionnaire
    >>> questionnaire.write_questionnaire(pack, "q.xlsx")  # doctest: +SKIP
    >>> a = questionnaire.read_questionnaire("q.xlsx")  # doctest: +SKIP
"""

from __future__ import annotations

from ._questionnaire import read_questionnaire, write_questionnaire


__all__ = ["read_questionnaire", "write_questionnaire"]
