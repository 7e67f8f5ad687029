"""The batch command: a wide file of many assessments scored."""

from __future__ import annotations

import argparse
import sys
from typing import IO, Any

import maturity_core as mc

from ._common import load
from ._output import Outcome, UsageError


def batch(args: argparse.Namespace) -> Outcome:
    """Every row of a Parquet or CSV file scored, streaming."""
    from maturity_core.batch import compile_model, score_file  # noqa: PLC0415

    tailoring = []
    for spec in args.tailor:
        node, sep, reason = spec.partition("=")
        if not sep or not node or not reason:
            msg = f"--tailor takes NODE=REASON (got {spec!r})"
            raise UsageError(msg)
        tailoring.append(mc.Tailoring(node, reason))
    if args.chunk_rows < 1:
        msg = "--chunk-rows must be at least 1"
        raise UsageError(msg)
    _check_speed_options(args)
    pack = load(args.pack, args)
    model = compile_model(
        pack, args.profile, rule=args.rule, tailoring=tailoring
    )
    progress = (
        args.progress if args.progress is not None else sys.stderr.isatty()
    )
    if args.input.is_dir():
        summary = _directory(model, args)
    else:
        summary = score_file(
            model,
            args.input,
            args.out,
            keys=args.key,
            chunk_rows=args.chunk_rows,
            unrated=args.unrated,
            progress=progress,
            nodes=args.node_totals,
            workers=args.workers,
            floats=args.floats,
        )
    return Outcome(
        {
            "rows": summary.rows,
            "chunks": summary.chunks,
            "rows_on_exact_path": summary.rows_on_exact_path,
            "output": summary.output,
            "pack": pack.id,
            "pack_version": pack.version,
            "profile": model.profile.id,
            "rule": model.rule,
            "levels": {str(k): v for k, v in summary.level_counts.items()},
        }
    )


def _check_speed_options(args: argparse.Namespace) -> None:
    """--workers, --dask and a directory input agree."""
    if args.workers is not None and args.workers < 1:
        msg = "--workers must be at least 1"
        raise UsageError(msg)
    if args.dask is not None and not args.input.is_dir():
        msg = f"--dask scores a directory of files; {args.input} is not one"
        raise UsageError(msg)
    if args.input.is_dir() and args.out.suffix.lower() in {
        ".parquet",
        ".pq",
        ".csv",
    }:
        msg = (
            f"a directory input is scored into a directory; --out "
            f"{args.out} names a file"
        )
        raise UsageError(msg)


def _directory(model: Any, args: argparse.Namespace) -> Any:
    """A directory of files scored into a directory, maybe on Dask."""
    from maturity_core.batch import score_directory  # noqa: PLC0415

    return score_directory(
        model,
        args.input,
        args.out,
        scheduler=args.dask,
        keys=args.key,
        unrated=args.unrated,
        nodes=args.node_totals,
        floats=args.floats,
        chunk_rows=args.chunk_rows,
        workers=args.workers,
    )


def show_batch(
    data: dict[str, Any], args: argparse.Namespace, out: IO[str]
) -> None:
    del args
    counts = ", ".join(f"level {k}: {v}" for k, v in data["levels"].items())
    out.write(
        f"scored {data['rows']} assessments in {data['chunks']} chunks "
        f"into {data['output']} ({counts or 'no rows'}); "
        f"{data['rows_on_exact_path']} rows on the exact scalar path\n"
    )
