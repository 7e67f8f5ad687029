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
    pack = load(args.pack, args)
    model = compile_model(
        pack, args.profile, rule=args.rule, tailoring=tailoring
    )
    progress = (
        args.progress if args.progress is not None else sys.stderr.isatty()
    )
    summary = score_file(
        model,
        args.input,
        args.out,
        keys=args.key,
        chunk_rows=args.chunk_rows,
        unrated=args.unrated,
        progress=progress,
        nodes=args.node_totals,
    )
    return Outcome(
        {
            "rows": summary.rows,
            "chunks": summary.chunks,
            "output": summary.output,
            "pack": pack.id,
            "pack_version": pack.version,
            "profile": model.profile.id,
            "rule": model.rule,
            "levels": {str(k): v for k, v in summary.level_counts.items()},
        }
    )


def show_batch(
    data: dict[str, Any], args: argparse.Namespace, out: IO[str]
) -> None:
    del args
    counts = ", ".join(f"level {k}: {v}" for k, v in data["levels"].items())
    out.write(
        f"scored {data['rows']} assessments in {data['chunks']} chunks "
        f"into {data['output']} ({counts or 'no rows'})\n"
    )
