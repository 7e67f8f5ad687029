"""
Distributed scoring on Dask: the batch path mapped over partitions.

The compiled model is not sent to the workers; its recipe is (the pack's
data, profile, rule, tailoring and weights), and each worker process
compiles it once and keeps it.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

import attrs

from maturity_core import _jsonio
from maturity_core._assessment import Tailoring
from maturity_core._packs import pack_from_data
from maturity_core.exceptions import (
    InputError,
    MaturityCoreError,
    OutputError,
)

from ._batch import CompiledModel, compile_model, encode_frame, score_many
from ._batchio import DEFAULT_CHUNK_ROWS, BatchSummary, score_file


@attrs.frozen
class _Recipe:
    pack_json: str
    source: str
    profile: str
    rule: str
    tailoring: tuple[tuple[str, str], ...]
    weights: tuple[tuple[str, str], ...]


def _recipe(model: CompiledModel) -> _Recipe:
    return _Recipe(
        pack_json=_jsonio.canonical(dict(model.pack.data)).decode("utf-8"),
        source=model.pack.source,
        profile=model.profile.id,
        rule=model.rule,
        tailoring=tuple((t.node, t.reason) for t in model.tailoring),
        weights=tuple(
            (k, str(v)) for k, v in sorted(model.profile.weights.items())
        ),
    )


@lru_cache(maxsize=8)
def _compiled(recipe: _Recipe) -> CompiledModel:
    pack = pack_from_data(
        _jsonio.loads(recipe.pack_json), source=recipe.source
    )
    return compile_model(
        pack,
        recipe.profile,
        rule=recipe.rule,
        tailoring=[Tailoring(n, r) for n, r in recipe.tailoring],
        weights={k: Fraction(v) for k, v in recipe.weights},
    )


def _score_partition(
    frame: Any, recipe: _Recipe, keys: tuple[str, ...], unrated: str
) -> Any:
    model = _compiled(recipe)
    codes, key_frame = encode_frame(model, frame, keys=keys)
    # The cluster runs partitions side by side: one thread each.
    result = score_many(model, codes, unrated=unrated, workers=1)
    out = result.to_pandas(key_frame)
    out.index = frame.index
    return out


def score_dask(
    model: CompiledModel,
    frame: Any,
    *,
    keys: Sequence[str] = (),
    unrated: str = "error",
) -> Any:
    """
    Score a wide ``dask.dataframe`` lazily, partition by partition, with
    the same exact arithmetic as :func:`score_many`.

    Returns a Dask DataFrame with the *keys* columns, ``score``,
    ``score_decimal``, ``level``, ``counted_levels`` and ``X<k>``; call
    ``.compute()`` (on a cluster, through a ``distributed.Client``).

    .. versionadded:: 0.1.0
    """
    try:
        import pandas as pd  # noqa: PLC0415 -- optional dependency
    except ImportError:  # pragma: no cover -- exercised without the extra
        msg = "Dask scoring needs pip install 'maturity-core[dask]'"
        raise MaturityCoreError(msg) from None
    meta = pd.DataFrame(
        {
            **{k: pd.Series(dtype=frame[k].dtype) for k in keys},
            "score": pd.Series(dtype=object),
            "score_decimal": pd.Series(dtype=object),
            "level": pd.Series(dtype="int64"),
            "counted_levels": pd.Series(dtype="int64"),
            **{f"X{k}": pd.Series(dtype=object) for k in model.levels},
        }
    )
    return frame.map_partitions(
        _score_partition,
        _recipe(model),
        tuple(keys),
        unrated,
        meta=meta,
    )


#: Input files of a directory run, by suffix.
_SUFFIXES = (".parquet", ".pq", ".csv")


def _inputs(source: Path, output: Path) -> list[tuple[Path, Path]]:
    """Each input file of *source* and its output file in *output*."""
    if not source.is_dir():
        raise InputError(str(source), "$", "not a directory")
    files = sorted(
        p
        for p in source.iterdir()
        if p.suffix.lower() in _SUFFIXES and p.is_file()
    )
    if not files:
        raise InputError(
            str(source),
            "$",
            f"no input files; expected {', '.join(_SUFFIXES)} files",
        )
    pairs: dict[str, tuple[Path, Path]] = {}
    for p in files:
        name = p.stem + ".parquet"
        if name in pairs:
            raise InputError(
                str(p),
                "$",
                f"{pairs[name][0].name} and {p.name} would both be scored "
                f"into {name}; rename one",
            )
        pairs[name] = (p, output / name)
    return list(pairs.values())


def _score_one(
    recipe: _Recipe, source: str, output: str, options: tuple[Any, ...]
) -> BatchSummary:
    """Score one file on a worker, with the model compiled there once."""
    keys, unrated, nodes, floats, chunk_rows, workers = options
    return score_file(
        _compiled(recipe),
        Path(source),
        Path(output),
        keys=keys,
        unrated=unrated,
        nodes=nodes,
        floats=floats,
        chunk_rows=chunk_rows,
        workers=workers,
    )


def score_directory(  # noqa: PLR0913 -- score_file's options
    model: CompiledModel,
    source: Path,
    output: Path,
    *,
    scheduler: Any = None,
    keys: Sequence[str] = (),
    unrated: str = "error",
    nodes: bool = False,
    floats: bool = False,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    workers: int | None = None,
) -> BatchSummary:
    """
    Score every Parquet (or CSV) file of the directory *source* into a
    Parquet file of the same name in the directory *output* (a
    partitioned result), with :func:`score_file`.

    With *scheduler* (a Dask distributed scheduler's address, or a
    ``distributed.Client``) the files are scored on the cluster's
    workers, each of which compiles the model once from its recipe; the
    workers must see *source* and *output* at the same paths, and each
    scores its files with *workers* threads (default: 1 on a cluster, one
    per core in process).  The output files are byte for byte those of
    the run without *scheduler*.

    .. versionadded:: 0.3.0
    """
    source = Path(source)
    output = Path(output)
    pairs = _inputs(source, output)
    if output.exists() and not output.is_dir():
        raise OutputError(str(output), "must be a directory")
    output.mkdir(parents=True, exist_ok=True)
    options = (tuple(keys), unrated, nodes, floats, chunk_rows, workers)
    if scheduler is None:
        summaries = [
            score_file(
                model,
                src,
                out,
                keys=keys,
                unrated=unrated,
                nodes=nodes,
                floats=floats,
                chunk_rows=chunk_rows,
                workers=workers,
            )
            for src, out in pairs
        ]
    else:
        # The cluster's workers score files side by side: by default one
        # thread each.
        options = (*options[:-1], 1 if workers is None else workers)
        summaries = _on_cluster(scheduler, _recipe(model), pairs, options)
    levels: dict[int, int] = {}
    for s in summaries:
        for k, v in s.level_counts.items():
            levels[k] = levels.get(k, 0) + v
    return BatchSummary(
        rows=sum(s.rows for s in summaries),
        chunks=sum(s.chunks for s in summaries),
        output=str(output),
        level_counts=dict(sorted(levels.items())),
        rows_on_exact_path=sum(s.rows_on_exact_path for s in summaries),
    )


def _on_cluster(
    scheduler: Any,
    recipe: _Recipe,
    pairs: Sequence[tuple[Path, Path]],
    options: tuple[Any, ...],
) -> list[BatchSummary]:
    try:
        import distributed  # noqa: PLC0415 -- optional dependency
    except ImportError:  # pragma: no cover -- exercised without the extra
        msg = "Dask scoring needs pip install 'maturity-core[dask]'"
        raise MaturityCoreError(msg) from None
    if isinstance(scheduler, str):
        try:
            client = distributed.Client(  # type: ignore[no-untyped-call]
                scheduler, timeout="10s"
            )
        except (OSError, TimeoutError, ValueError) as e:
            msg = f"cannot reach the Dask scheduler {scheduler!r}: {e}"
            raise MaturityCoreError(msg) from None
        with client:
            return _on_cluster(client, recipe, pairs, options)
    futures = [
        scheduler.submit(
            _score_one,
            recipe,
            str(src),
            str(out),
            options,
            pure=False,
        )
        for src, out in pairs
    ]
    return list(scheduler.gather(futures))
