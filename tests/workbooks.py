"""
Hostile XLSX questionnaires, built small: a cell at the last cell of a
sheet, a merged row as wide as a sheet, a million blank rows, a zip bomb,
parts that claim to be huge, and escapes of lone surrogates.

Each builder takes a valid questionnaire and writes a changed copy, so
the workbooks are what a careless or hostile user could hand over.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl


#: The ratings sheet's part in workbooks the library writes (after the
#: instructions).
RATINGS_PART = "xl/worksheets/sheet2.xml"


def ratings(wb):
    """The ratings sheet of a workbook the library wrote, in any language."""
    return wb.worksheets[1]


def first_requirement_row(source: Path) -> int:
    """The row of the first requirement, below the progress headings."""
    wb = openpyxl.load_workbook(source)
    try:
        ws = ratings(wb)
        return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value)
    finally:
        wb.close()


def edited(source: Path, target: Path, edit: Callable[..., None]) -> Path:
    """*source* with *edit(workbook)* applied, saved as *target*."""
    wb = openpyxl.load_workbook(source)
    try:
        edit(wb)
        wb.save(target)
    finally:
        wb.close()
    return target


def repacked(
    source: Path,
    target: Path,
    parts: dict[str, Callable[[bytes], bytes]],
    *,
    claimed: dict[str, tuple[int, int]] | None = None,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """
    *source* with each named part replaced by *parts[name](old bytes)*
    and the *extra* parts added; *claimed* makes the zip directory claim
    other (uncompressed, compressed) sizes for parts, as a forged file
    can.
    """
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(source) as old,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for info in old.infolist():
            data = old.read(info)
            if info.filename in parts:
                data = parts[info.filename](data)
            new.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            new.writestr(name, data)
        for info in new.infolist():
            if claimed and info.filename in claimed:
                info.file_size, info.compress_size = claimed[info.filename]
    target.write_bytes(buffer.getvalue())
    return target


def far_cell(source: Path, target: Path) -> Path:
    """A value in the last cell of the ratings sheet, XFD1048576."""

    def edit(wb):
        ratings(wb)["XFD1048576"] = "x"

    return edited(source, target, edit)


def merged_row(source: Path, target: Path) -> Path:
    """A row below the table merged across every column, A to XFD."""

    def edit(wb):
        ws = ratings(wb)
        row = ws.max_row + 2
        ws.merge_cells(f"A{row}:XFD{row}")

    return edited(source, target, edit)


def blank_rows(source: Path, target: Path, count: int = 1_000_000) -> Path:
    """*count* formatted blank rows below the ratings table."""

    def add(xml: bytes) -> bytes:
        head, tail = xml.split(b"</sheetData>")
        rows = b"".join(
            b'<row r="%d"><c r="A%d" s="0"/></row>' % (r, r)
            for r in range(head.count(b"<row ") + 1, count + 1)
        )
        return head + rows + b"</sheetData>" + tail

    return repacked(source, target, {RATINGS_PART: add})


def zip_bomb(source: Path, target: Path, size: int = 64 << 20) -> Path:
    """The ratings sheet padded with *size* bytes of blanks (~1000:1)."""

    def pad(xml: bytes) -> bytes:
        head, tail = xml.split(b"</worksheet>")
        return head + b" " * size + b"</worksheet>" + tail

    return repacked(source, target, {RATINGS_PART: pad})


def claimed_size(source: Path, target: Path, size: int = 300 << 20) -> Path:
    """The zip directory claims the ratings sheet unpacks to *size*."""
    return repacked(
        source,
        target,
        {},
        claimed={RATINGS_PART: (size, size // 10)},
    )


def cell_text(source: Path, target: Path, cell: str, text: str) -> Path:
    """The ratings sheet's *cell* holding *text* as written (escapes too)."""

    def edit(wb):
        ratings(wb)[cell] = text

    return edited(source, target, edit)


def many_parts(source: Path, target: Path, count: int = 1_001) -> Path:
    """*count* more (tiny) parts than the workbook needs."""
    extra = {f"xl/media/empty{i}.bin": b"" for i in range(count)}
    return repacked(source, target, {}, extra=extra)
