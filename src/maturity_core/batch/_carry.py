"""
Carrying a whole population through a crosswalk, column by column.

Every row gets what :func:`maturity_core.analysis.carry_assessment`
gives its assessment: a target requirement takes the rating of the
source requirements mapped to it through an allowed relation when they
all agree, and stays unrated otherwise.  The mapping is applied to the
columns of the ratings matrix (one translation table per mapped source
column), never row by row; what could not be carried is counted per
requirement and reason.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pyarrow as pa

from maturity_core import _files
from maturity_core.analysis._crosswalk import (
    REASON_DIFFERENT,
    REASON_NO_MAPPING,
    REASON_NOT_IN_RUBRIC,
    REASON_UNRATED,
    REASON_UNUSED,
    Crosswalk,
    CrosswalkEntry,
    relation_reason,
)
from maturity_core.exceptions import InvalidPackError

from ._batch import NA_CODE, UNRATED_CODE, CompiledModel, encode_frame
from ._batchio import _shift_rows, iter_chunks


@attrs.frozen
class NotCarriedCount:
    """
    How many rows could not carry one requirement, and why.

    ``side`` is ``"target"`` for a target requirement left unrated and
    ``"source"`` for a source rating that found no home.

    .. versionadded:: 0.2.0
    """

    requirement: str
    side: str
    reason: str
    rows: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return attrs.asdict(self)


@attrs.frozen(eq=False)
class CarriedCodes:
    """
    A ratings matrix carried to the target model, with what was not.

    .. versionadded:: 0.2.0
    """

    crosswalk: Crosswalk
    target: CompiledModel
    codes: Any
    not_carried: tuple[NotCarriedCount, ...]

    @property
    def carried_cells(self) -> int:
        """How many target cells received a rating."""
        return int((self.codes != UNRATED_CODE).sum())


def _global_ids(np: Any, model: CompiledModel, ids: dict[str, int]) -> Any:
    """Per source column: code (shifted by 2) → global rating index."""
    table = np.full((len(model.requirement_ids), 2 + 128), -1, np.int64)
    for j, rating_ids in enumerate(model.column_rating_ids):
        table[j, 2 + NA_CODE] = ids.setdefault("na", len(ids))
        for code, rating in enumerate(rating_ids):
            table[j, 2 + code] = ids.setdefault(rating, len(ids))
    return table


def carry_codes(  # noqa: C901 -- one pass over the target columns
    crosswalk: Crosswalk,
    source: CompiledModel,
    target: CompiledModel,
    codes: Any,
    *,
    relations: Iterable[str] = ("equal",),
) -> CarriedCodes:
    """
    Carry every row of *codes* (a ratings matrix of *source*) to
    *target*'s columns through *crosswalk*, as
    :func:`~maturity_core.analysis.carry_assessment` carries one
    assessment, vectorised over the columns.

    Raises:
        InvalidPackError: If the crosswalk names ids the packs lack.

    .. versionadded:: 0.2.0
    """
    problems = crosswalk.check(source.pack, target.pack)
    if problems:
        raise InvalidPackError(None, problems, crosswalk.file or crosswalk.id)
    codes = np.asarray(codes, dtype=np.int8)
    allowed = set(relations)
    n = codes.shape[0]
    column = source.column_index()
    ids: dict[str, int] = {}
    to_global = _global_ids(np, source, ids)
    rated = codes != UNRATED_CODE
    by_target: dict[str, list[CrosswalkEntry]] = {}
    for m in crosswalk.requirements:
        by_target.setdefault(m.target, []).append(m)
    out = np.full((n, len(target.requirement_ids)), UNRATED_CODE, np.int8)
    counts: list[NotCarriedCount] = []
    used: set[str] = set()

    def count(rid: str, reason: str, rows: int, side: str = "target") -> None:
        if rows:
            counts.append(NotCarriedCount(rid, side, reason, int(rows)))

    for j, rid in enumerate(target.requirement_ids):
        maps = by_target.get(rid, [])
        usable = [m for m in maps if m.relation in allowed]
        if not maps:
            count(rid, REASON_NO_MAPPING, n)
            continue
        if not usable:
            count(rid, relation_reason(maps, allowed), n)
            continue
        used.update(m.source for m in usable)
        sources = list(dict.fromkeys(m.source for m in usable))
        if any(s not in column for s in sources):
            # A source requirement out of scope has no column: unrated.
            count(rid, REASON_UNRATED, n)
            continue
        cols = [column[s] for s in sources]
        index = to_global[cols, codes[:, cols].astype(np.int64) + 2]
        unrated = (index < 0).any(axis=1)
        same = (index == index[:, :1]).all(axis=1) & ~unrated
        count(rid, REASON_UNRATED, unrated.sum())
        count(rid, REASON_DIFFERENT, (~same & ~unrated).sum())
        # Global rating index → the target column's code.
        lookup = np.full(len(ids), -3, np.int64)
        for code, rating in enumerate(target.column_rating_ids[j]):
            if rating in ids:
                lookup[ids[rating]] = code
        if (
            "na" in ids
            and target.semantics.rubric(
                target.pack.requirements_by_id[rid]
            ).na_allowed
        ):
            lookup[ids["na"]] = NA_CODE
        carried = np.where(same, lookup[np.maximum(index[:, 0], 0)], -3)
        outside = same & (carried == -3)
        count(rid, REASON_NOT_IN_RUBRIC, outside.sum())
        out[:, j] = np.where(same & ~outside, carried, UNRATED_CODE)
    for s, j in column.items():
        if s not in used:
            count(s, REASON_UNUSED, rated[:, j].sum(), side="source")
    return CarriedCodes(crosswalk, target, out, tuple(counts))


def _merge(
    totals: dict[tuple[str, str, str], int],
    counts: Iterable[NotCarriedCount],
) -> None:
    for c in counts:
        key = (c.requirement, c.side, c.reason)
        totals[key] = totals.get(key, 0) + c.rows


@attrs.frozen
class CarrySummary:
    """
    What :func:`carry_file` did.

    .. versionadded:: 0.2.0
    """

    rows: int
    output: str
    crosswalk: str
    carried_cells: int
    target_cells: int
    not_carried: tuple[NotCarriedCount, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "rows": self.rows,
            "output": self.output,
            "crosswalk": self.crosswalk,
            "carried_cells": self.carried_cells,
            "target_cells": self.target_cells,
            "not_carried": [c.to_dict() for c in self.not_carried],
        }


def codes_table(
    model: CompiledModel, codes: Any, keys: Mapping[str, Any] | None = None
) -> Any:
    """
    A wide Arrow table of *codes*: the *keys* columns (name → Arrow
    array), then one dictionary-encoded column of rating ids per
    in-scope requirement (empty for unrated cells).

    .. versionadded:: 0.2.0
    """
    keys = dict(keys or {})
    columns = list(keys.values())
    for j, ids in enumerate(model.column_rating_ids):
        column = codes[:, j]
        index = np.where(column == NA_CODE, len(ids), column)
        unrated = column < NA_CODE
        columns.append(
            pa.DictionaryArray.from_arrays(
                pa.array(np.where(unrated, 0, index), mask=unrated),
                pa.array([*ids, "na"]),
            )
        )
    return pa.Table.from_arrays(columns, names=[*keys, *model.requirement_ids])


def _plain(pa: Any, table: Any) -> Any:
    """*table* with its dictionary-encoded columns as plain columns."""
    return table.cast(
        pa.schema(
            [
                pa.field(f.name, f.type.value_type)
                if pa.types.is_dictionary(f.type)
                else f
                for f in table.schema
            ]
        )
    )


@contextlib.contextmanager
def _table_sink(output: Path) -> Iterator[Callable[[Any], None]]:
    """
    Write Arrow tables one after another to *output* (Parquet or CSV)
    through the atomic writer; the file appears when the block ends.
    Dictionary-encoded columns are written as plain text (Parquet still
    stores them dictionary-encoded), and a CSV key that a spreadsheet
    would run as a formula is quoted, as :func:`score_file` does.
    """
    from ._batchio import _kind, _writer  # noqa: PLC0415

    kind = _kind(output)
    writers: list[Any] = []
    with _files.open_output(output) as sink:

        def write(table: Any) -> None:
            table = _plain(pa, table)
            if not writers:
                writers.append(_writer(kind, sink, table.schema))
            writers[0].write_table(table)

        try:
            yield write
        finally:
            for writer in writers:
                writer.close()


def write_table(table: Any, output: Path) -> None:
    """
    Write an Arrow table to *output* (Parquet or CSV), atomically, with
    dictionary-encoded columns as plain text.

    .. versionadded:: 0.2.0
    """
    with _table_sink(output) as write:
        write(table)


def carry_file(  # noqa: PLR0913 -- options of the CLI command
    crosswalk: Crosswalk,
    source: CompiledModel,
    target: CompiledModel,
    path: Path,
    output: Path,
    *,
    keys: Sequence[str] = (),
    relations: Iterable[str] = ("equal",),
    chunk_rows: int = 65_536,
) -> CarrySummary:
    """
    Carry every row of the population file *path* (of *source*) to
    *target* through *crosswalk* and write it to *output* (the same wide
    layout: the *keys* columns, then one column per in-scope target
    requirement; cells that could not be carried are empty).

    Returns how many cells were carried and, per requirement and reason,
    how many rows could not carry it.

    .. versionadded:: 0.2.0
    """
    path, output = Path(path), Path(output)
    _files.check_outputs([output], inputs=[path])
    _files.note_input(path)
    relations = tuple(relations)
    totals: dict[tuple[str, str, str], int] = {}
    rows = carried = 0
    with _table_sink(output) as write:
        for batch in iter_chunks(path, chunk_rows, keys=keys):
            frame = batch.to_pandas()
            try:
                codes, _ = encode_frame(source, frame, keys=keys)
            except Exception as e:
                _shift_rows(e, rows, path)
                raise
            result = carry_codes(
                crosswalk, source, target, codes, relations=relations
            )
            key_columns = {k: batch.column(k) for k in keys}
            write(codes_table(target, result.codes, key_columns))
            _merge(totals, result.not_carried)
            rows += len(frame)
            carried += result.carried_cells
        if not rows:
            empty = np.empty((0, len(target.requirement_ids)), "int8")
            write(
                codes_table(
                    target, empty, {k: pa.array([], pa.string()) for k in keys}
                )
            )
    return CarrySummary(
        rows=rows,
        output=str(output),
        crosswalk=crosswalk.id,
        carried_cells=carried,
        target_cells=rows * len(target.requirement_ids),
        not_carried=tuple(
            NotCarriedCount(r, side, reason, n)
            for (r, side, reason), n in totals.items()
        ),
    )
