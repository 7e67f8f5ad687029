"""
Text from packs and assessments made safe for the formats it is written
to: Markdown (inline text and table cells) and CSV cells.

Every Markdown and CSV writer of the library goes through these helpers,
so a name, a note or an organisation is shown as the text it is, never
read as markup or as a spreadsheet formula.
"""

from __future__ import annotations

import re


# ---------------------------------------------------------------------------
# Markdown

#: Characters that start inline markup somewhere on a line (CommonMark,
#: and the GitHub extensions: tables, strikethrough, math): code spans,
#: emphasis, links and images, raw HTML and autolinks, entities, table
#: cells, strikethrough, math, and a heading's closing sequence.  Every
#: one is ASCII punctuation, which CommonMark lets a backslash escape.
_MD_INLINE = re.compile(r"[\\`*_\[\]<>&|~$#]")
#: What starts a block at the beginning of a line once the inline
#: characters are escaped: a block quote, a list item or thematic break
#: (``- ``, ``+ ``, ``---``), a setext underline (``==``), an ordered
#: list item (``1. ``, ``1)``).  ``-5`` or ``1.0.0`` start no block and
#: are left alone.
_MD_BLOCK_START = re.compile(
    r"^(?:>|[-+=](?=[-+= \t]|$)|[0-9]{1,9}(?=[.)](?:[ \t]|$)))"
)
_MD_LINE_END = re.compile(r"\r\n?|\n")


def md_cell(text: str) -> str:
    """
    *text* as the content of one Markdown table cell that renders as
    exactly this text: markup characters are backslash-escaped, line
    breaks become spaces and the ends are trimmed (as tables trim them).
    """
    one_line = _MD_LINE_END.sub(" ", text.replace("\0", "\ufffd"))
    return _MD_INLINE.sub(r"\\\g<0>", one_line.strip())


def md_text(text: str) -> str:
    """
    *text* as inline Markdown that renders as exactly this text wherever
    it is put on a line, also at its start (a paragraph or a heading): as
    :func:`md_cell`, and a character that would start a block (a list, a
    quote) is escaped too.
    """
    cell = md_cell(text)
    m = _MD_BLOCK_START.match(cell)
    if m is None:
        return cell
    if m.group(0)[0].isdigit():
        end = m.end()
        return f"{cell[:end]}\\{cell[end:]}"
    return f"\\{cell}"


# ---------------------------------------------------------------------------
# CSV cells

#: What a spreadsheet reads as the start of a formula (OWASP, "CSV
#: Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A plain number is read as that number, never as a formula: ``-0.5``
#: stays as it is.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _formula_like(text: str) -> bool:
    # Leading quotes are skipped so that the mapping stays one to one: a
    # text that already starts with "'=" gets one more quote, and reading
    # removes exactly one.
    core = text.lstrip("'")
    return core.startswith(_FORMULA_START) and _NUMBER.fullmatch(core) is None


def to_csv_cell(text: str) -> str:
    """
    *text* as it is written to a CSV cell: a text a spreadsheet would run
    as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return and is not a plain number) gets a single quote in
    front, as OWASP recommends.  :func:`from_csv_cell` undoes it.
    """
    return f"'{text}" if _formula_like(text) else text


def from_csv_cell(text: str) -> str:
    """
    The text a CSV cell stands for: the inverse of :func:`to_csv_cell`
    (one leading quote before a formula-like text is removed, as a
    spreadsheet hides it).
    """
    if text.startswith("'") and _formula_like(text):
        return text[1:]
    return text
