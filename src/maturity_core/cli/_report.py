"""The report command: a diagnostic report as Markdown, HTML, PDF or JSON."""

from __future__ import annotations

import argparse
from pathlib import Path

import maturity_core as mc
from maturity_core.exceptions import InputError
from maturity_core.io import check_outputs, dumps, read_json, write_bytes

from ._common import load_for, read_assessment
from ._output import Outcome, UsageError


def report(args: argparse.Namespace) -> Outcome:
    """The report of a scored assessment (Markdown writes a chart too)."""
    from maturity_core.analysis import efforts_from_json  # noqa: PLC0415
    from maturity_core.report import (  # noqa: PLC0415
        build_report,
        radar_png,
        to_html,
        to_markdown,
    )

    assessment = read_assessment(args.assessment)
    pack = load_for(assessment, args)
    result = mc.score(pack, assessment, profile=args.profile)
    effort = None
    if args.effort is not None:
        effort = efforts_from_json(read_json(args.effort), str(args.effort))
    try:
        built = build_report(
            pack, result, lang=args.lang, target=args.target, effort=effort
        )
    except InputError as e:
        # Only the effort mapping raises InputError here: name its file.
        raise InputError(str(args.effort), e.json_path, e.message) from None
    except ValueError as e:
        raise UsageError(str(e)) from None
    if args.format == "json":
        return Outcome(document=dumps(built.to_dict()))
    if args.format == "html":
        return Outcome(document=to_html(built))
    if args.format == "pdf":
        return report_pdf(built, args.output)
    chart = None
    if args.output is not None:
        chart_path = chart_path_of(args.output)
        check_outputs([chart_path, args.output])
        write_bytes(chart_path, radar_png(built))
        chart = chart_path.name
    return Outcome(document=to_markdown(built, chart=chart))


def report_pdf(built: mc.report.Report, output: Path | None) -> Outcome:
    """A PDF is binary, so it is written to -o, never to standard output."""
    if output is None:
        msg = "report --format pdf needs -o FILE (a PDF is not text)"
        raise UsageError(msg)
    write_bytes(output, mc.report.to_pdf(built))
    return Outcome()


def chart_path_of(output: Path) -> Path:
    """Where ``report -o`` puts the radar chart of a Markdown report."""
    return output.with_suffix(".radar.png")


def report_outputs(args: argparse.Namespace) -> list[Path]:
    """The chart a Markdown report written to a file puts beside it."""
    if args.output and args.format == "md":
        return [chart_path_of(args.output)]
    return []
