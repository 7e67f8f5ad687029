"""The report command: a diagnostic report as Markdown, HTML or JSON."""

from __future__ import annotations

import argparse
from pathlib import Path

import maturity_core as mc
from maturity_core.io import check_outputs, dumps, write_bytes

from ._common import load_for, read_assessment
from ._output import Outcome, UsageError


def report(args: argparse.Namespace) -> Outcome:
    """The report of a scored assessment (Markdown writes a chart too)."""
    from maturity_core.report import (  # noqa: PLC0415
        build_report,
        radar_png,
        to_html,
        to_markdown,
    )

    assessment = read_assessment(args.assessment)
    pack = load_for(assessment, args)
    result = mc.score(pack, assessment, profile=args.profile)
    try:
        built = build_report(pack, result, lang=args.lang, target=args.target)
    except ValueError as e:
        raise UsageError(str(e)) from None
    if args.format == "json":
        return Outcome(document=dumps(built.to_dict()))
    if args.format == "html":
        return Outcome(document=to_html(built))
    chart = None
    if args.output is not None:
        chart_path = chart_path_of(args.output)
        check_outputs([chart_path, args.output])
        write_bytes(chart_path, radar_png(built))
        chart = chart_path.name
    return Outcome(document=to_markdown(built, chart=chart))


def chart_path_of(output: Path) -> Path:
    """Where ``report -o`` puts the radar chart of a Markdown report."""
    return output.with_suffix(".radar.png")


def report_outputs(args: argparse.Namespace) -> list[Path]:
    """The chart a Markdown report written to a file puts beside it."""
    if args.output and args.format == "md":
        return [chart_path_of(args.output)]
    return []
