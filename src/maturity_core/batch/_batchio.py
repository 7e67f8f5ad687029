"""Streaming batch scoring of files larger than memory (Parquet, CSV)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from maturity_core import _files
from maturity_core._escape import from_csv_cell, to_csv_cell
from maturity_core.exceptions import InputError

from ._batch import CompiledModel, encode_frame, score_many
from ._population import node_totals


#: Rows read, scored and written at a time.
DEFAULT_CHUNK_ROWS = 65_536


@attrs.frozen
class BatchSummary:
    """
    What :func:`score_file` did.

    .. versionadded:: 0.1.0
    """

    rows: int
    chunks: int
    output: str
    level_counts: dict[int, int]


def _arrow() -> Any:
    try:
        import pyarrow as pa  # noqa: PLC0415 -- optional dependency
    except ImportError:  # pragma: no cover -- exercised without the extra
        from maturity_core.exceptions import MaturityCoreError  # noqa: PLC0415

        msg = "batch files need pyarrow: pip install 'maturity-core[batch]'"
        raise MaturityCoreError(msg) from None
    return pa


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return "parquet"
    if suffix == ".csv":
        return "csv"
    raise InputError(
        str(path),
        "$",
        f"unknown file type {suffix or '(none)'!r}; use .parquet or .csv",
    )


def count_rows(path: Path) -> int | None:
    """The number of rows of *path* if known without reading it."""
    if _kind(path) == "parquet":
        _files.require_regular(path)
        import pyarrow.parquet as pq  # noqa: PLC0415

        return int(pq.ParquetFile(path).metadata.num_rows)
    return None


def iter_chunks(
    path: Path, chunk_rows: int, *, keys: Sequence[str] = ()
) -> Iterator[Any]:
    """
    Record batches of *path*, at most *chunk_rows* rows each (streamed).

    In a CSV file every column is text.  The *keys* columns are read
    exactly as written (``00123`` stays ``00123``, ``NaN`` stays ``NaN``,
    a quote that kept a formula-like key from running is removed); in
    the other columns an empty cell or a spreadsheet's ``NA``, ``NaN``,
    ``#N/A``, … is no rating.
    """
    _arrow()
    _files.require_regular(path)
    try:
        if _kind(path) == "parquet":
            import pyarrow.parquet as pq  # noqa: PLC0415

            yield from pq.ParquetFile(path).iter_batches(batch_size=chunk_rows)
        else:
            for batch in _csv_batches(path, keys):
                for start in range(0, batch.num_rows, chunk_rows):
                    yield batch.slice(start, chunk_rows)
    except (OSError, ValueError) as e:
        if isinstance(e, InputError):
            raise
        raise InputError(str(path), "$", f"cannot read: {e}") from None


_CSV_BLOCK = 1 << 22


def _csv_batches(path: Path, keys: Sequence[str]) -> Iterator[Any]:
    pa = _arrow()
    import pyarrow.compute as pc  # noqa: PLC0415
    import pyarrow.csv as pacsv  # noqa: PLC0415

    read = pacsv.ReadOptions(block_size=_CSV_BLOCK)
    # The column names as the CSV reader sees them (a byte-order mark
    # skipped, quotes removed), so that every column is read as text.
    with pacsv.open_csv(path, read_options=read) as probe:
        names = probe.schema.names
    reader = pacsv.open_csv(
        path,
        read_options=read,
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
        ),
    )
    nulls = pa.array(pacsv.ConvertOptions().null_values, pa.string())
    none = pa.scalar(None, pa.string())
    for batch in reader:
        columns = [
            _key_column(pa, pc, column)
            if name in keys
            else pc.if_else(pc.is_in(column, value_set=nulls), none, column)
            for name, column in zip(names, batch.columns, strict=True)
        ]
        yield pa.RecordBatch.from_arrays(columns, names=names)


def _key_column(pa: Any, pc: Any, column: Any) -> Any:
    """A key column as written, with the quote of a neutralised key removed."""
    if not pc.any(pc.starts_with(column, "'")).as_py():
        return column
    return pa.array(
        [from_csv_cell(v) for v in column.to_pylist()], pa.string()
    )


def score_file(  # noqa: PLR0913 -- options of the CLI command
    model: CompiledModel,
    source: Path,
    output: Path,
    *,
    keys: Sequence[str] = (),
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    unrated: str = "error",
    progress: bool = False,
    nodes: bool = False,
) -> BatchSummary:
    """
    Score every row of *source* (wide Parquet or CSV) into *output*
    (Parquet or CSV), streaming chunk by chunk so memory stays bounded.
    With *nodes*, every in-scope node's total and level are columns too
    (``total:<node>``, ``level:<node>``).

    The output is written to a temporary file and renamed into place.

    .. versionadded:: 0.1.0
    """
    pa = _arrow()
    out_kind = _kind(output)
    _files.check_outputs([output], inputs=[source])
    _files.note_input(source)
    total = count_rows(source)
    rows = chunks = 0
    levels: dict[int, int] = {}
    bar = _progress(progress, total)
    try:
        with _files.open_output(output) as sink:
            writer: Any = None
            try:
                for batch in iter_chunks(source, chunk_rows, keys=keys):
                    frame = batch.to_pandas()
                    try:
                        codes, key_frame = encode_frame(
                            model, frame, keys=keys
                        )
                    except Exception as e:
                        _shift_rows(e, rows, source)
                        raise
                    result = score_many(model, codes, unrated=unrated)
                    totals = (
                        node_totals(model, codes, unrated=unrated)
                        if nodes
                        else None
                    )
                    table = pa.Table.from_pandas(
                        result.to_pandas(key_frame, node_totals=totals),
                        preserve_index=False,
                    )
                    if writer is None:
                        writer = _writer(out_kind, sink, table.schema)
                    writer.write_table(table)
                    rows += len(frame)
                    chunks += 1
                    if model.pack.has_levels:
                        for lv, n in zip(*_unique(result.levels), strict=True):
                            levels[lv] = levels.get(lv, 0) + n
                    bar(len(frame))
                if writer is None:
                    writer = _writer(
                        out_kind, sink, _empty_schema(model, keys)
                    )
            finally:
                if writer is not None:
                    writer.close()
    finally:
        bar(None)
    return BatchSummary(
        rows, chunks, str(output), dict(sorted(levels.items()))
    )


def _unique(levels: Any) -> tuple[list[int], list[int]]:
    import numpy as np  # noqa: PLC0415

    values, counts = np.unique(levels, return_counts=True)
    return [int(v) for v in values], [int(c) for c in counts]


def _shift_rows(error: Exception, offset: int, source: Path) -> None:
    """Make row numbers in batch errors refer to the whole file."""
    problems = getattr(error, "problems", None)
    if problems is None:
        return
    import re  # noqa: PLC0415

    shifted = []
    for p in problems:
        path = re.sub(
            r"^\$\[(\d+)\]",
            lambda m: f"$[{int(m.group(1)) + offset}]",
            p.json_path,
        )
        shifted.append(attrs.evolve(p, json_path=path))
    problems = tuple(shifted)
    error.problems = problems  # type: ignore[attr-defined]
    error.source = str(source)  # type: ignore[attr-defined]
    error.args = (problems, str(source))


def _empty_schema(model: CompiledModel, keys: Sequence[str]) -> Any:
    pa = _arrow()
    fields = [pa.field(k, pa.string()) for k in keys]
    fields += [
        pa.field("score", pa.string()),
        pa.field("score_decimal", pa.string()),
        pa.field("level", pa.int64()),
        pa.field("counted_levels", pa.int64()),
    ]
    fields += [pa.field(f"X{k}", pa.string()) for k in model.levels]
    return pa.schema(fields)


#: Text that may start a formula (a superset of what ``to_csv_cell``
#: neutralises), to skip columns with none cheaply.
_FORMULA_PREFIX = r"^'*[=+\-@\t\r]"


class _CsvWriter:
    def __init__(self, sink: IO[bytes], schema: Any):
        import pyarrow.csv as pacsv  # noqa: PLC0415

        self._writer = pacsv.CSVWriter(sink, schema)

    def write_table(self, table: Any) -> None:
        pa = _arrow()
        import pyarrow.compute as pc  # noqa: PLC0415

        # Key columns are text from the input: a key a spreadsheet would
        # run as a formula is written with a quote in front.
        for i, field in enumerate(table.schema):
            if not (
                pa.types.is_string(field.type)
                or pa.types.is_large_string(field.type)
            ):
                continue
            column = table.column(i)
            risky = pc.match_substring_regex(column, _FORMULA_PREFIX)
            if pc.any(risky).as_py():
                safe = pa.array(
                    [
                        None if v is None else to_csv_cell(v)
                        for v in column.to_pylist()
                    ],
                    field.type,
                )
                table = table.set_column(i, field, safe)
        self._writer.write_table(table)

    def close(self) -> None:
        self._writer.close()


def _writer(kind: str, sink: IO[bytes], schema: Any) -> Any:
    if kind == "parquet":
        import pyarrow.parquet as pq  # noqa: PLC0415

        return pq.ParquetWriter(sink, schema)
    return _CsvWriter(sink, schema)


def _progress(enabled: bool, total: int | None) -> Any:  # noqa: FBT001
    if not enabled:
        return lambda _n: None
    from rich.progress import (  # noqa: PLC0415
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    progress = Progress(
        TextColumn("scoring"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=False,
    )
    task = progress.add_task("rows", total=total)
    progress.start()

    def advance(n: int | None) -> None:
        if n is None:
            progress.stop()
        else:
            progress.advance(task, n)

    return advance
