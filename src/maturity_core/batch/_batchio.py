"""
Streaming batch scoring of files larger than memory (Parquet, CSV).

The file path is Arrow-native end to end.  Parquet is read with the
rating columns as dictionary arrays (straight from the file's dictionary
pages) and CSV is streamed by pyarrow's CSV reader, which dictionary-
encodes the rating columns block by block; a column that arrives as plain
text is dictionary-encoded by :func:`pyarrow.compute.dictionary_encode`.
Each column's codes are then one numpy ``take`` of its dictionary's codes
by the dictionary indices: only the few distinct values of a dictionary
are ever Python strings.  Key columns are copied as they are.  Results
are built as Arrow arrays (the exact fractions as text by Arrow compute
kernels) and written record batch by record batch, so memory stays flat
in the file's size.

Chunks may be scored by several threads (*workers*): Arrow's readers and
compute kernels and numpy's array operations release the GIL.  The
kernel's matrix products run with one BLAS thread (:mod:`threadpoolctl`):
the chunks, not the products, are split across cores.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any

import attrs

from maturity_core import _files
from maturity_core._escape import from_csv_cell, to_csv_cell
from maturity_core._format import decimal, exact
from maturity_core._model import NA
from maturity_core.exceptions import (
    AssessmentError,
    InputError,
    MaturityCoreError,
    Problem,
)

from ._batch import (
    NA_CODE,
    UNRATED_CODE,
    BatchResult,
    CompiledModel,
    check_workers,
    one_blas_thread,
    score_codes,
    score_many,
)
from ._population import NodeTotals, node_totals


try:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq
except ImportError:  # pragma: no cover -- exercised without the extra
    _msg = "batch files need pip install 'maturity-core[batch]'"
    raise MaturityCoreError(_msg) from None


#: Rows read, scored and written at a time.
DEFAULT_CHUNK_ROWS = 65_536


#: Suffix of the float64 column written beside each exact column.
FLOAT_SUFFIX = "_float"


@attrs.frozen
class BatchSummary:
    """
    What :func:`score_file` did.

    ``rows_on_exact_path`` counts the rows scored one by one by the exact
    semantics (a level rule without a vectorised form, or a bound that
    would overflow 64-bit integers); every other row was vectorised.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.3.0 ``rows_on_exact_path``.
    """

    rows: int
    chunks: int
    output: str
    level_counts: dict[int, int]
    rows_on_exact_path: int = 0


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in {".parquet", ".pq"}:
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
        return int(pq.ParquetFile(path).metadata.num_rows)
    return None


def _is_text(t: Any) -> bool:
    return bool(
        pa.types.is_string(t)
        or pa.types.is_large_string(t)
        or pa.types.is_binary(t)
        or pa.types.is_large_binary(t)
    )


def iter_chunks(
    path: Path,
    chunk_rows: int,
    *,
    keys: Sequence[str] = (),
    dictionary: bool = False,
) -> Iterator[Any]:
    """
    Record batches of *path*, at most *chunk_rows* rows each (streamed).

    With *dictionary*, columns other than the *keys* are read as
    dictionary arrays where the file allows.  In a CSV file every column
    is text.  The *keys* columns
    are read exactly as written (``00123`` stays ``00123``, ``NaN`` stays
    ``NaN``, a quote that kept a formula-like key from running is
    removed); in the other columns an empty cell or a spreadsheet's
    ``NA``, ``NaN``, ``#N/A``, … is no rating.
    """
    _files.require_regular(path)
    try:
        if _kind(path) == "parquet":
            schema = pq.read_schema(path)
            as_dictionary = [
                f.name
                for f in schema
                if dictionary and f.name not in keys and _is_text(f.type)
            ]
            source = pq.ParquetFile(path, read_dictionary=as_dictionary)
            # A reader per row group: one reader over the whole file
            # keeps memory for every dictionary batch it has read.
            for group in range(source.num_row_groups):
                yield from source.iter_batches(
                    batch_size=chunk_rows, row_groups=[group]
                )
        else:
            for batch in _csv_batches(path, keys, dictionary=dictionary):
                for start in range(0, batch.num_rows, chunk_rows):
                    yield batch.slice(start, chunk_rows)
    except (OSError, ValueError) as e:
        if isinstance(e, InputError):
            raise
        raise InputError(str(path), "$", f"cannot read: {e}") from None


_CSV_BLOCK = 1 << 22
#: Cells of a rating column that are no rating in a CSV file.
_CSV_NULLS = frozenset(pacsv.ConvertOptions().null_values)
_TEXT_CODES = pa.dictionary(pa.int32(), pa.string())


def _csv_batches(
    path: Path, keys: Sequence[str], *, dictionary: bool
) -> Iterator[Any]:
    read = pacsv.ReadOptions(block_size=_CSV_BLOCK)
    # The column names as the CSV reader sees them (a byte-order mark
    # skipped, quotes removed), so that every column is read as text.
    with pacsv.open_csv(path, read_options=read) as probe:
        names = probe.schema.names
    reader = pacsv.open_csv(
        path,
        read_options=read,
        convert_options=pacsv.ConvertOptions(
            column_types={
                n: pa.string() if n in keys or not dictionary else _TEXT_CODES
                for n in names
            },
            strings_can_be_null=False,
        ),
    )
    nulls = pa.array(sorted(_CSV_NULLS), pa.string())
    none = pa.scalar(None, pa.string())
    with reader:
        for batch in reader:
            columns = [
                _key_column(column)
                if name in keys
                else column
                if dictionary
                else pc.if_else(
                    pc.is_in(column, value_set=nulls), none, column
                )
                for name, column in zip(names, batch.columns, strict=True)
            ]
            yield pa.RecordBatch.from_arrays(columns, names=names)


def _key_column(column: Any) -> Any:
    """A key column as written, with the quote of a neutralised key removed."""
    if not pc.any(pc.starts_with(column, "'")).as_py():
        return column
    return pa.array(
        [from_csv_cell(v) for v in column.to_pylist()], pa.string()
    )


@attrs.frozen
class _Encoder:
    """
    Codes of a record batch's rating columns from their dictionaries.

    *nulls* are the cell texts that mean no rating (a CSV file's).
    """

    model: CompiledModel
    keys: tuple[str, ...]
    source: str
    nulls: frozenset[str]
    #: One rating id → code table per rubric (by its rating ids).
    tables: dict[tuple[str, ...], dict[Any, int]] = attrs.field(factory=dict)

    def check_columns(self, names: Sequence[str]) -> None:
        """Refuse unknown columns and missing requirement columns."""
        model = self.model
        known = set(model.requirement_ids)
        columns = [str(c) for c in names]
        problems = [
            Problem(
                f"$.columns[{i}]",
                f"unknown column {c!r}: not an in-scope requirement of "
                f"{model.pack.id}/{model.profile.id} nor a key column "
                f"(keys: {', '.join(self.keys) or 'none'})",
                "unknown-requirement",
            )
            for i, c in enumerate(columns)
            if c not in known and c not in self.keys
        ][:20]
        missing_keys = [k for k in self.keys if k not in columns]
        if missing_keys:
            problems.append(
                Problem(
                    "$.columns",
                    f"key column {missing_keys[0]!r} is not in the file "
                    f"(columns: {', '.join(columns[:8])}"
                    f"{', …' if len(columns) > 8 else ''})",
                    "missing-key",
                )
            )
        missing = [r for r in model.requirement_ids if r not in columns]
        if missing:
            problems.append(
                Problem(
                    "$.columns",
                    f"{len(missing)} in-scope requirements have no column "
                    f"(first: {', '.join(missing[:5])})",
                    "missing-requirement",
                )
            )
        if problems:
            raise AssessmentError(problems, self.source)

    def _table(self, j: int) -> dict[Any, int]:
        ids = self.model.column_rating_ids[j]
        if ids not in self.tables:
            table: dict[Any, int] = {r: i for i, r in enumerate(ids)}
            table[NA] = NA_CODE
            for text in self.nulls - set(table):
                table[text] = UNRATED_CODE
            self.tables[ids] = table
        return self.tables[ids]

    def encode(self, batch: Any, row_offset: int) -> Any:
        """
        The (rows × requirements) int8 codes of *batch*, column-major
        (each column written contiguously; the kernel reads either
        layout).  Every code is valid and every ``na`` allowed.
        """
        model = self.model
        n = batch.num_rows
        columns = np.empty((len(model.requirement_ids), n), dtype=np.int8)
        index = {name: i for i, name in enumerate(batch.schema.names)}
        for j, rid in enumerate(model.requirement_ids):
            columns[j] = self._column(batch.column(index[rid]), j, row_offset)
        return columns.T

    def _column(self, column: Any, j: int, row_offset: int) -> Any:
        n = len(column)
        if pa.types.is_null(column.type):
            return np.full(n, UNRATED_CODE, dtype=np.int8)
        if not pa.types.is_dictionary(column.type):
            column = pc.dictionary_encode(column)
        if isinstance(column, pa.ChunkedArray):  # pragma: no cover
            column = column.combine_chunks()
        table = self._table(j)
        values = column.dictionary.to_pylist()
        # The codes of the dictionary's values; the last slot is a null
        # cell's (unrated), and an invalid value gets a sentinel.
        lookup = np.array(
            [table.get(v, _INVALID) for v in values] + [UNRATED_CODE],
            dtype=np.int8,
        )
        indices = column.indices
        if indices.null_count:
            indices = pc.fill_null(indices, len(values))
        out = np.take(lookup, indices.to_numpy())
        if (lookup == _INVALID).any():
            bad = np.flatnonzero(out == _INVALID)
            if len(bad):
                self._invalid(column, j, int(bad[0]), row_offset)
        if (lookup == NA_CODE).any():
            rubric = self._rubric(j)
            na = np.flatnonzero(out == NA_CODE)
            if len(na) and not rubric.na_allowed:
                self._problem(
                    f"$[{int(na[0]) + row_offset}]",
                    j,
                    f"'na' is not allowed by pack {self.model.pack.id}'s "
                    f"rubric; valid ratings: {', '.join(rubric.ids)}",
                )
        return out

    def _rubric(self, j: int) -> Any:
        model = self.model
        rid = model.requirement_ids[j]
        return model.semantics.rubric(model.pack.requirements_by_id[rid])

    def _problem(self, row: str, j: int, message: str) -> None:
        rid = self.model.requirement_ids[j]
        raise AssessmentError(
            [Problem(f"{row}.{rid}", message, "invalid-rating")], self.source
        )

    def _invalid(self, column: Any, j: int, i: int, row_offset: int) -> None:
        self._problem(
            f"$[{i + row_offset}]",
            j,
            f"rating {column[i].as_py()!r} is not in the rubric; "
            f"valid ratings: {', '.join(self._rubric(j).ids)}",
        )


#: The code of a dictionary value that is no rating of the column.
_INVALID = 127


def _text(values: Any) -> Any:
    """Arrow text of integers, each distinct value converted once."""
    codes = pc.dictionary_encode(pa.array(values))
    return pc.take(pc.cast(codes.dictionary, pa.string()), codes.indices)


def encode_arrow(
    model: CompiledModel, data: Any, *, keys: Sequence[str] = ()
) -> Any:
    """
    The codes matrix of a wide Arrow table or record batch (one column
    per requirement id, rating ids as values), encoded from dictionary
    arrays as the file path encodes; *keys* columns are ignored.
    """
    if isinstance(data, pa.Table):
        data = data.combine_chunks()
        batches = data.to_batches()
        data = (
            batches[0]
            if len(batches) == 1
            else pa.RecordBatch.from_arrays(
                [c.combine_chunks() for c in data.columns],
                names=data.column_names,
            )
        )
    encoder = _Encoder(model, tuple(keys), "ratings table", frozenset())
    encoder.check_columns(data.schema.names)
    return np.ascontiguousarray(encoder.encode(data, 0))


def _exact_text(numerators: Any, denominators: Any) -> Any:
    """Arrow text of the fractions *numerators* / *denominators* (exact)."""
    nums = np.asarray(numerators, dtype=np.int64)
    dens = np.asarray(denominators, dtype=np.int64)
    g = np.gcd(nums, dens)
    g[g == 0] = 1
    n = _text(nums // g)
    d = np.broadcast_to(dens // g, nums.shape)
    whole = d == 1
    if whole.all():
        return n
    joined = pc.binary_join_element_wise(n, _text(d), "/")
    return pc.if_else(pa.array(whole), n, joined)


def _decimal_text(numerators: Any, denominators: Any) -> Any:
    """Arrow text of the fractions truncated to two decimals."""
    nums = np.asarray(numerators, dtype=np.int64)
    hundredths = pc.dictionary_encode(pa.array(nums * 100 // denominators))
    found = hundredths.dictionary.to_numpy()
    units = pc.cast(pa.array(found // 100), pa.string())
    cents = pc.utf8_lpad(pc.cast(pa.array(found % 100), pa.string()), 2, "0")
    text = pc.binary_join_element_wise(units, cents, ".")
    return pc.take(text, hundredths.indices)


def _floats(numerators: Any, denominators: Any) -> Any:
    """The fractions as float64 (correctly rounded below 2**53)."""
    return pa.array(
        np.asarray(numerators, dtype=np.int64).astype(np.float64)
        / np.asarray(denominators, dtype=np.int64).astype(np.float64)
    )


def _replace(array: Any, rows: Sequence[int], values: Sequence[Any]) -> Any:
    """*array* with *values* in *rows*."""
    if not rows:
        return array
    mask = np.zeros(len(array), dtype=bool)
    mask[list(rows)] = True
    order = np.argsort(np.asarray(rows))
    return pc.replace_with_mask(
        array, pa.array(mask), pa.array([values[k] for k in order], array.type)
    )


def result_batch(
    result: BatchResult,
    key_columns: Sequence[tuple[str, Any]] = (),
    *,
    totals: NodeTotals | None = None,
    floats: bool = False,
) -> Any:
    """
    An Arrow record batch of *result*: the *key_columns* (name, array),
    ``score`` (exact text), ``score_decimal``, ``level`` (for a pack with
    bands), ``counted_levels`` and ``X<k>`` (exact text); with *totals*
    also ``total:<node>`` and ``level:<node>``; with *floats* a float64
    column ``<name>_float`` after each exact one (for plotting; the exact
    text stays the canonical value).
    """
    model = result.model
    store = result.exact_rows
    den: Any = np.int64(result.denominator)
    own = getattr(store, "row_denominators", None)
    if own is None:
        one_by_one = dict(store)
    else:
        # Rows with their own denominator are converted as arrays.
        den = np.where(own > 0, own, result.denominator)
        one_by_one = dict(getattr(store, "one_by_one", {}))
    rows = sorted(one_by_one)
    names: list[str] = [name for name, _ in key_columns]
    arrays: list[Any] = [array for _, array in key_columns]

    def put(name: str, array: Any, float_array: Any = None) -> None:
        names.append(name)
        arrays.append(array)
        if floats and float_array is not None:
            names.append(name + FLOAT_SUFFIX)
            arrays.append(float_array)

    def fractions(
        name: str, nums: Any, dens: Any, exact_values: Sequence[Any]
    ) -> None:
        put(
            name,
            _replace(
                _exact_text(nums, dens), rows, [exact(v) for v in exact_values]
            ),
            _replace(
                _floats(nums, dens), rows, [float(v) for v in exact_values]
            )
            if floats
            else None,
        )

    scores = [one_by_one[i][1] for i in rows]
    fractions("score", result.score_numerators, den, scores)
    put(
        "score_decimal",
        _replace(
            _decimal_text(result.score_numerators, den),
            rows,
            [decimal(s) for s in scores],
        ),
    )
    if model.pack.has_levels:
        put("level", pa.array(result.levels.astype(np.int64)))
    put("counted_levels", pa.array(result.counted.astype(np.int64)))
    for j, k in enumerate(model.levels):
        fractions(
            f"X{k}",
            result.level_numerators[:, j],
            den,
            [one_by_one[i][0][j] for i in rows],
        )
    if totals is not None:
        for node, nums in totals.numerators.items():
            node_den = totals.denominators[node]
            put(
                f"total:{node}",
                _exact_text(nums, node_den),
                _floats(nums, node_den),
            )
            if model.pack.has_levels:
                put(
                    f"level:{node}",
                    pa.array(np.asarray(totals.levels[node], dtype=np.int64)),
                )
    return pa.RecordBatch.from_arrays(arrays, names=names)


@attrs.frozen
class _Scored:
    batch: Any
    rows: int
    levels: Any
    exact_rows: int


def _score_chunk(  # noqa: PLR0913 -- one chunk of score_file
    model: CompiledModel,
    encoder: _Encoder,
    batch: Any,
    row_offset: int,
    *,
    unrated: str,
    nodes: bool,
    floats: bool,
) -> _Scored:
    codes = encoder.encode(batch, row_offset)
    try:
        result = score_codes(model, codes, unrated, checked=True)
    except MaturityCoreError as e:
        _shift_rows(e, row_offset, encoder.source)
        raise
    totals = node_totals(model, codes, unrated=unrated) if nodes else None
    keys = [(k, batch.column(k)) for k in encoder.keys]
    out = result_batch(result, keys, totals=totals, floats=floats)
    return _Scored(
        out, batch.num_rows, result.levels, result.rows_on_exact_path
    )


def _shift_rows(
    error: Exception, offset: int, source: str | os.PathLike[str]
) -> None:
    """Make row numbers in batch errors refer to the whole file."""
    source = str(source)
    problems = getattr(error, "problems", None)
    if problems is not None:
        shifted = tuple(
            attrs.evolve(
                p,
                json_path=re.sub(
                    r"^\$\[(\d+)\]",
                    lambda m: f"$[{int(m.group(1)) + offset}]",
                    p.json_path,
                ),
            )
            for p in problems
        )
        error.problems = shifted  # type: ignore[attr-defined]
        error.source = source  # type: ignore[attr-defined]
        error.args = (shifted, source)
        return
    message = getattr(error, "message", None)
    if isinstance(message, str):
        message = re.sub(
            r"^row (\d+):",
            lambda m: f"row {int(m.group(1)) + offset}:",
            message,
        )
        error.message = message  # type: ignore[attr-defined]
        error.source = source  # type: ignore[attr-defined]
        error.args = (message, source)


def _in_order(
    work: Callable[[Any, int], _Scored],
    batches: Iterator[Any],
    workers: int,
) -> Iterator[_Scored]:
    """*work* on each batch with its first row, in order, *workers* at once."""
    offset = 0
    if workers == 1:
        for batch in batches:
            yield work(batch, offset)
            offset += batch.num_rows
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[_Scored]] = deque()
        try:
            for batch in batches:
                pending.append(pool.submit(work, batch, offset))
                offset += batch.num_rows
                if len(pending) > workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for f in pending:
                f.cancel()


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
    workers: int | None = None,
    floats: bool = False,
) -> BatchSummary:
    """
    Score every row of *source* (wide Parquet or CSV) into *output*
    (Parquet or CSV), streaming chunk by chunk so memory stays bounded.
    With *nodes*, every in-scope node's total and level are columns too
    (``total:<node>``, ``level:<node>``); with *floats*, a float64 column
    ``<name>_float`` follows each exact column.  *workers* threads score
    chunks at once (default: one per core this process may use); the
    output is the same for any number.

    The output is written to a temporary file and renamed into place.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.3.0 Arrow-native; *workers* and *floats*.
    """
    workers = check_workers(workers, "score_file")
    source = Path(source)
    output = Path(output)
    out_kind = _kind(output)
    in_kind = _kind(source)
    _files.check_outputs([output], inputs=[source])
    _files.note_input(source)
    total = count_rows(source)
    encoder = _Encoder(
        model,
        tuple(keys),
        str(source),
        _CSV_NULLS if in_kind == "csv" else frozenset(),
    )
    bar = _progress(progress, total)

    def work(batch: Any, offset: int) -> _Scored:
        return _score_chunk(
            model,
            encoder,
            batch,
            offset,
            unrated=unrated,
            nodes=nodes,
            floats=floats,
        )

    def batches() -> Iterator[Any]:
        chunks = iter_chunks(source, chunk_rows, keys=keys, dictionary=True)
        for i, batch in enumerate(chunks):
            if i == 0:
                encoder.check_columns(batch.schema.names)
            yield batch

    try:
        with _files.open_output(output) as sink, one_blas_thread():
            tally = _write_all(
                out_kind, sink, _in_order(work, batches(), workers), bar
            )
            if tally.writer is None:
                if in_kind == "parquet":
                    encoder.check_columns(pq.read_schema(source).names)
                empty = _empty_schema(model, keys, nodes=nodes, floats=floats)
                _writer(out_kind, sink, empty).close()
    finally:
        bar(None)
    return BatchSummary(
        tally.rows,
        tally.chunks,
        str(output),
        dict(sorted(tally.levels.items())),
        tally.exact_rows,
    )


@attrs.define
class _Tally:
    writer: Any = None
    rows: int = 0
    chunks: int = 0
    exact_rows: int = 0
    levels: dict[int, int] = attrs.field(factory=dict)


def _write_all(
    kind: str,
    sink: IO[bytes],
    scored: Iterator[_Scored],
    bar: Callable[[int | None], None],
) -> _Tally:
    """Write each scored chunk in order; count rows, chunks and levels."""
    tally = _Tally()
    try:
        for done in scored:
            if tally.writer is None:
                tally.writer = _writer(kind, sink, done.batch.schema)
            tally.writer.write_batch(done.batch)
            tally.rows += done.rows
            tally.chunks += 1
            tally.exact_rows += done.exact_rows
            values, counts = np.unique(done.levels, return_counts=True)
            for lv, c in zip(values.tolist(), counts.tolist(), strict=True):
                if lv >= 0:
                    tally.levels[lv] = tally.levels.get(lv, 0) + c
            bar(done.rows)
    finally:
        if tally.writer is not None:
            tally.writer.close()
    return tally


def _empty_schema(
    model: CompiledModel,
    keys: Sequence[str],
    *,
    nodes: bool = False,
    floats: bool = False,
) -> Any:
    """The columns of an output without rows."""
    empty = np.zeros((0, len(model.requirement_ids)), dtype=np.int8)
    result = score_many(model, empty, unrated="none")
    totals = node_totals(model, empty, unrated="none") if nodes else None
    return result_batch(
        result,
        [(k, pa.array([], pa.string())) for k in keys],
        totals=totals,
        floats=floats,
    ).schema


#: Text that may start a formula (a superset of what ``to_csv_cell``
#: neutralises), to skip columns with none cheaply.
_FORMULA_PREFIX = r"^'*[=+\-@\t\r]"


class _CsvWriter:
    def __init__(self, sink: IO[bytes], schema: Any):
        self._writer = pacsv.CSVWriter(sink, schema)

    def write_batch(self, batch: Any) -> None:
        # Key columns are text from the input: a key a spreadsheet would
        # run as a formula is written with a quote in front.
        for i, field in enumerate(batch.schema):
            if not (
                pa.types.is_string(field.type)
                or pa.types.is_large_string(field.type)
            ):
                continue
            column = batch.column(i)
            risky = pc.match_substring_regex(column, _FORMULA_PREFIX)
            if pc.any(risky).as_py():
                safe = pa.array(
                    [
                        None if v is None else to_csv_cell(v)
                        for v in column.to_pylist()
                    ],
                    field.type,
                )
                batch = batch.set_column(i, field, safe)
        self._writer.write_batch(batch)

    def write_table(self, table: Any) -> None:
        for batch in table.to_batches():
            self.write_batch(batch)

    def close(self) -> None:
        self._writer.close()


def _writer(kind: str, sink: IO[bytes], schema: Any) -> Any:
    if kind == "parquet":
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
