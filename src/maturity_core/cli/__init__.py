"""
The ``maturity`` command line.

Exit status: 0 success, 1 invalid input (the message names the file and
the JSON path), 2 usage error (including an output that cannot be written
where asked, or that would replace one of the command's inputs), 130
interrupted (Ctrl-C), 143 terminated (SIGTERM).  ``--format json`` gives
exact strings for every number; text output has terminal control
sequences removed.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn, cast


if TYPE_CHECKING:
    from _typeshed import SupportsWrite

from maturity_core import _files, _jsonio
from maturity_core._assessment import Assessment, blank_assessment
from maturity_core._overlay import apply_overlay
from maturity_core._packs import discover_packs, load_pack
from maturity_core._scoring import UNRATED_POLICIES, score, validate
from maturity_core._text import is_language_tag, printable
from maturity_core.exceptions import (
    AssessmentError,
    InputError,
    MaturityCoreError,
    NotFoundError,
    OutputError,
    PackNotFoundError,
    Problem,
)

from ._render import (
    render_crosswalk,
    render_group,
    render_packs,
    render_result,
    render_validation,
)


EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _Exit(Exception):  # noqa: N818 -- internal control flow, not an error
    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


class _Parser(argparse.ArgumentParser):
    # Each run() builds its parser from a subclass of its own that holds
    # that run's streams (subparsers share their parent's class), so runs
    # never share state.
    stream: IO[str] = sys.stderr
    out: IO[str] = sys.stdout

    def _print_message(
        self, message: str, file: SupportsWrite[str] | None = None
    ) -> None:
        if message:
            (self.stream if file is not sys.stdout else self.out).write(
                message
            )

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self.stream.write(message)
        raise _Exit(status)


def _parser(  # noqa: PLR0915 -- one declaration per option
    stdout: IO[str] | None = None, stderr: IO[str] | None = None
) -> _Parser:
    streams = {"out": stdout or sys.stdout, "stream": stderr or sys.stderr}
    parser_class: type[_Parser] = type("_RunParser", (_Parser,), streams)
    parser = parser_class(
        prog="maturity",
        description="Score organisations against capability-maturity "
        "standards installed as model packs.",
    )
    parser.add_argument(
        "--version", action="store_true", help="print the version and exit"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("packs", help="list installed model packs")
    _format_option(p)

    p = sub.add_parser(
        "template", help="write a blank assessment for a pack and profile"
    )
    p.add_argument(
        "pack", help="installed pack id, or a pack path such as ./DIR"
    )
    _trust_option(p)
    p.add_argument("--profile", help="weight profile (default: the pack's)")
    _lang_option(p)
    p.add_argument(
        "--format",
        choices=("json", "xlsx", "csv"),
        default=None,
        help="json (default), or a questionnaire: xlsx, csv "
        "(default: from the output file's suffix)",
    )
    p.add_argument("-o", "--output", type=Path, help="write to this file")

    p = sub.add_parser("score", help="score an assessment exactly")
    p.add_argument("assessment", type=Path, help="assessment JSON file")
    _pack_options(p)
    p.add_argument("--rule", help="level rule (default: the pack's)")
    p.add_argument(
        "--unrated",
        choices=UNRATED_POLICIES,
        default="error",
        help="how to treat unrated requirements (default: error)",
    )
    p.add_argument(
        "--overlay",
        action="append",
        default=[],
        type=Path,
        help="apply an overlay file to the pack (repeatable)",
    )
    _format_option(p)
    _lang_option(p)
    p.add_argument("-o", "--output", type=Path, help="write to this file")

    p = sub.add_parser(
        "crosswalk",
        help="carry an assessment to another pack and score both",
        description="Carry an assessment's ratings to another pack through "
        "a crosswalk (equal mappings only, unless --relation adds more) and "
        "show both results side by side, with what could not be carried.",
    )
    p.add_argument("assessment", type=Path)
    p.add_argument(
        "--to", required=True, help="target pack id, or a pack path"
    )
    _pack_options(p, profile=False)
    p.add_argument(
        "--map", type=Path, help="crosswalk file (default: shipped)"
    )
    p.add_argument("--profile", help="target profile")
    p.add_argument(
        "--relation",
        action="append",
        choices=("equal", "subset", "superset", "intersects"),
        help="relations whose ratings are carried (default: equal)",
    )
    p.add_argument(
        "--carried-out", type=Path, help="write the carried assessment here"
    )
    _format_option(p)

    p = sub.add_parser(
        "report",
        help="diagnostic report: Markdown, self-contained HTML or JSON",
    )
    p.add_argument("assessment", type=Path)
    _pack_options(p)
    p.add_argument("--format", choices=("md", "html", "json"), default="md")
    _lang_option(p)
    p.add_argument("--target", type=int, help="plan target level")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        help="write here (Markdown: the chart goes beside it as PNG)",
    )

    p = sub.add_parser(
        "plan", help="the smallest set of upgrades that reaches a level"
    )
    p.add_argument("assessment", type=Path)
    _pack_options(p)
    p.add_argument("--target", type=int, help="level to reach (default: next)")
    p.add_argument(
        "--effort",
        type=Path,
        help="JSON object: requirement id -> effort (default 1 each)",
    )
    _format_option(p)

    p = sub.add_parser(
        "consolidate",
        help="merge several assessors' ratings; report disagreement",
    )
    p.add_argument(
        "assessments", type=Path, nargs="+", help="one file per assessor"
    )
    _pack_options(p, profile=False)
    p.add_argument(
        "--rule",
        choices=("consensus", "median"),
        default="consensus",
        help="consensus (all agree, default) or median (lower median)",
    )
    p.add_argument(
        "--allow-disagreement",
        action="store_true",
        help="with consensus, leave disputed requirements unrated",
    )
    p.add_argument(
        "-o", "--output", type=Path, help="write the consolidated assessment"
    )
    _format_option(p)

    p = sub.add_parser(
        "compare", help="compare two assessments of the same pack"
    )
    p.add_argument("before", type=Path, help="the earlier assessment")
    p.add_argument("after", type=Path, help="the later assessment")
    _pack_options(p, profile=False)
    p.add_argument(
        "--allow-profile-change",
        action="store_true",
        help="compare even if the profiles differ",
    )
    _format_option(p)

    pack_cmd = sub.add_parser("pack", help="tools for pack authors")
    pack_sub = pack_cmd.add_subparsers(dest="pack_command", metavar="TOOL")
    p = pack_sub.add_parser("new", help="scaffold a pack distribution")
    p.add_argument("id", help="the new pack id (lower-case letters, digits)")
    p.add_argument("--dir", type=Path, default=Path(), help="parent folder")
    p = pack_sub.add_parser(
        "check", help="report every problem of a pack with its JSON path"
    )
    p.add_argument(
        "path",
        type=Path,
        help="the pack distribution's root (with pyproject.toml), its "
        "package folder (with pack.json), or the pack.json",
    )
    _trust_option(p)
    _format_option(p)
    p = pack_sub.add_parser(
        "doc", help="render a pack as the standard's tables (Markdown/HTML)"
    )
    p.add_argument("pack", help="pack id, or a pack path such as ./DIR")
    _trust_option(p)
    p.add_argument("--format", choices=("md", "html"), default="md")
    p.add_argument("-o", "--output", type=Path)
    p = pack_sub.add_parser(
        "diff", help="what changed between two pack versions"
    )
    p.add_argument("old", help="pack id, or a pack path such as ./DIR")
    p.add_argument("new", help="pack id, or a pack path such as ./DIR")
    _trust_option(p)
    _format_option(p)

    p = sub.add_parser(
        "migrate",
        help="carry an assessment forward to a new version of its pack",
    )
    p.add_argument("assessment", type=Path)
    p.add_argument("--to", help="the new pack (default: the installed one)")
    _trust_option(p)
    p.add_argument(
        "-o", "--output", type=Path, help="write the migrated assessment"
    )
    _format_option(p)

    p = sub.add_parser(
        "verify",
        help="re-score an assessment and compare with a recorded result",
    )
    p.add_argument("result", type=Path, help="recorded result JSON")
    p.add_argument("assessment", type=Path, help="the assessment it scored")
    p.add_argument("--pack", help="pack id or path (default: recorded)")
    _trust_option(p)
    p.add_argument("--overlay", action="append", default=[], type=Path)
    _format_option(p)

    p = sub.add_parser(
        "status",
        help="is a graded result current, due for re-review or expired?",
    )
    p.add_argument(
        "result", type=Path, help="result JSON (score --format json)"
    )
    p.add_argument(
        "--on", help="the day to check (default: today), YYYY-MM-DD"
    )
    p.add_argument(
        "--reviewed",
        action="append",
        default=[],
        help="a re-review already done, YYYY-MM-DD (repeatable)",
    )
    _format_option(p)

    p = sub.add_parser(
        "change",
        help="check a renewal, upgrade or downgrade request",
    )
    p.add_argument("previous", type=Path, help="previous result JSON")
    p.add_argument("assessment", type=Path, help="the new assessment")
    p.add_argument(
        "--request", required=True, choices=("renewal", "upgrade", "downgrade")
    )
    _pack_options(p, profile=False)
    _format_option(p)

    p = sub.add_parser(
        "group",
        help="score a standard group (标准群) for one organisation",
    )
    p.add_argument("group", type=Path, help="group JSON file")
    _format_option(p)

    p = sub.add_parser(
        "batch",
        help="score a wide Parquet or CSV file of many assessments",
        description="Score every row of a wide table (one column per "
        "requirement id, rating ids as values) with exact integer "
        "arithmetic, streaming chunk by chunk.",
    )
    p.add_argument(
        "input",
        type=Path,
        help="input .parquet or .csv file, or a directory of them",
    )
    p.add_argument("--pack", required=True, help="pack id or path")
    _trust_option(p)
    p.add_argument("--profile", help="weight profile (default: the pack's)")
    p.add_argument("--rule", help="level rule (default: the pack's)")
    p.add_argument(
        "--out",
        required=True,
        type=Path,
        help="output .parquet or .csv (a directory for a directory input)",
    )
    p.add_argument(
        "--key",
        action="append",
        default=[],
        help="a key column to copy to the output (repeatable)",
    )
    p.add_argument(
        "--tailor",
        action="append",
        default=[],
        metavar="NODE=REASON",
        help="tailor a node out of every assessment (repeatable)",
    )
    p.add_argument(
        "--chunk-rows",
        type=int,
        default=65_536,
        help="rows read, scored and written at a time (default: 65536)",
    )
    p.add_argument(
        "--unrated",
        choices=UNRATED_POLICIES,
        default="error",
        help="unrated cells: error (default) or none (lowest rating)",
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar (default: when stderr is a terminal)",
    )
    p.add_argument(
        "--node-totals",
        action="store_true",
        help="add each node's own total and level as columns "
        "(total:NODE, level:NODE)",
    )
    _batch_speed_options(p)
    _format_option(p)

    p = sub.add_parser(
        "validate",
        help="check assessment files (or pack.json files) without scoring",
    )
    p.add_argument("files", type=Path, nargs="+")
    _pack_options(p)
    _format_option(p)
    return parser


def _batch_speed_options(p: argparse.ArgumentParser) -> None:
    """`maturity batch`: float columns, worker threads, a Dask cluster."""
    p.add_argument(
        "--float",
        dest="floats",
        action="store_true",
        help="add a float64 column NAME_float after each exact column "
        "(for plotting; the exact text stays the canonical value)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="threads scoring chunks at once (default: one per core)",
    )
    p.add_argument(
        "--dask",
        metavar="SCHEDULER",
        help="score a directory of files on the Dask cluster of this "
        "scheduler address, into a directory of Parquet files",
    )


def _language(text: str) -> str:
    if not is_language_tag(text):
        msg = f"{text!r} is not a BCP 47 language tag (e.g. zh, en, zh-Hant)"
        raise argparse.ArgumentTypeError(msg)
    return text


def _lang_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lang",
        type=_language,
        default=None,
        help="language of names and labels, a BCP 47 tag (default: the "
        "pack's main language)",
    )


def _format_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people (default) or json with exact strings",
    )


def _trust_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--trust-code",
        action="store_true",
        help="run the code of a pack given as a path: import its extension "
        "modules and run its validators (installed packs always run theirs)",
    )


def _pack_options(p: argparse.ArgumentParser, *, profile: bool = True) -> None:
    p.add_argument(
        "--pack",
        help="installed pack id, or a pack path (./DIR, a pack.json, or a "
        "pack distribution's root) to use instead of the assessment's pack",
    )
    _trust_option(p)
    if profile:
        p.add_argument("--profile", help="weight profile to use")


def _emit(text: str, output: Path | None, stdout: IO[str]) -> None:
    if output is None:
        stdout.write(text)
    else:
        _jsonio.write_text_atomic(output, text)


def _cmd_packs(args: argparse.Namespace, stdout: IO[str]) -> int:
    infos = discover_packs()
    if args.format == "json":
        rows = []
        for info in infos:
            row: dict[str, Any] = info.to_dict()
            try:
                pack = load_pack(info.id)
            except MaturityCoreError as e:
                row["error"] = str(e)
            else:
                row |= {
                    "version": pack.version,
                    "title": pack.title.to_dict(),
                    "profiles": list(pack.profiles),
                    "levels": len(pack.levels),
                    "requirements": len(pack.requirements),
                    "rule": pack.method.rule,
                }
            rows.append(row)
        stdout.write(_jsonio.dumps(rows))
        return EXIT_OK
    render_packs(infos, stdout)
    return EXIT_OK


def _cmd_template(args: argparse.Namespace, stdout: IO[str]) -> int:
    pack = _load(args.pack, args)
    if args.profile and args.profile not in pack.profiles:
        # A name that must be found in the pack: invalid input, as in score.
        msg = (
            f"pack {pack.id} has no profile {args.profile!r}; valid profiles: "
            f"{', '.join(pack.profiles)}"
        )
        raise MaturityCoreError(msg)
    fmt = args.format or (
        args.output.suffix.lower().lstrip(".")
        if args.output is not None
        and args.output.suffix.lower() in (".xlsx", ".csv")
        else "json"
    )
    if fmt in ("xlsx", "csv"):
        from maturity_core.questionnaire import (  # noqa: PLC0415
            write_questionnaire,
        )

        if args.output is None or args.output.suffix.lower() != f".{fmt}":
            msg = f"--format {fmt} needs -o FILE.{fmt}"
            raise _UsageError(msg)
        write_questionnaire(
            pack,
            args.output,
            profile=args.profile,
            lang=args.lang or pack.language,
        )
        return EXIT_OK
    data = blank_assessment(
        pack, args.profile, lang=args.lang or pack.language
    )
    _emit(_jsonio.dumps(data), args.output, stdout)
    return EXIT_OK


class _UsageError(Exception):
    pass


def _load(ref: str, args: argparse.Namespace) -> Any:
    """The pack *ref* names, trusted if the command has --trust-code."""
    return load_pack(ref, trust_code=getattr(args, "trust_code", False))


def _load_for(assessment: Assessment, args: argparse.Namespace) -> Any:
    """The pack of --pack if given, else the one the assessment names."""
    ref = getattr(args, "pack", None)
    if ref is not None:
        return _load(ref, args)
    try:
        # An id read from a file is a bare name, never a path (load_pack).
        return _load(assessment.pack, args)
    except PackNotFoundError as e:
        problem = Problem("$.pack", str(e), "unknown-pack")
        raise AssessmentError([problem], assessment.source) from None


def _cmd_score(args: argparse.Namespace, stdout: IO[str]) -> int:
    assessment = _read_assessment(args.assessment)
    pack = _load_for(assessment, args)
    for overlay in args.overlay:
        pack = apply_overlay(pack, overlay)
    result = score(
        pack,
        assessment,
        profile=args.profile,
        rule=args.rule,
        unrated=args.unrated,
    )
    if args.format == "json":
        _emit(_jsonio.dumps(result.to_dict()), args.output, stdout)
    elif args.output is not None:
        from io import StringIO  # noqa: PLC0415

        buf = StringIO()
        render_result(result, buf, lang=args.lang or result.pack.language)
        _emit(printable(buf.getvalue()), args.output, stdout)
    else:
        render_result(
            result, stdout, lang=args.lang or result.pack.language
        )
    return EXIT_OK


def _cmd_batch(args: argparse.Namespace, stdout: IO[str]) -> int:
    from maturity_core._assessment import Tailoring  # noqa: PLC0415
    from maturity_core.batch import compile_model, score_file  # noqa: PLC0415

    tailoring = []
    for spec in args.tailor:
        node, sep, reason = spec.partition("=")
        if not sep or not node or not reason:
            msg = f"--tailor takes NODE=REASON (got {spec!r})"
            raise _UsageError(msg)
        tailoring.append(Tailoring(node, reason))
    if args.chunk_rows < 1:
        msg = "--chunk-rows must be at least 1"
        raise _UsageError(msg)
    _check_batch_speed(args)
    pack = _load(args.pack, args)
    model = compile_model(
        pack, args.profile, rule=args.rule, tailoring=tailoring
    )
    progress = (
        args.progress if args.progress is not None else sys.stderr.isatty()
    )
    if args.input.is_dir():
        summary = _batch_directory(model, args)
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
    data = {
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
    if args.format == "json":
        stdout.write(_jsonio.dumps(data))
    else:
        counts = ", ".join(
            f"level {k}: {v}" for k, v in summary.level_counts.items()
        )
        stdout.write(
            f"scored {summary.rows} assessments in {summary.chunks} chunks "
            f"into {summary.output} ({counts or 'no rows'}); "
            f"{summary.rows_on_exact_path} rows on the exact scalar path\n"
        )
    return EXIT_OK


def _check_batch_speed(args: argparse.Namespace) -> None:
    """`maturity batch`: --workers, --dask and a directory input agree."""
    if args.workers is not None and args.workers < 1:
        msg = "--workers must be at least 1"
        raise _UsageError(msg)
    if args.dask is not None and not args.input.is_dir():
        msg = f"--dask scores a directory of files; {args.input} is not one"
        raise _UsageError(msg)
    if args.input.is_dir() and args.out.suffix.lower() in {
        ".parquet",
        ".pq",
        ".csv",
    }:
        msg = (
            f"a directory input is scored into a directory; --out "
            f"{args.out} names a file"
        )
        raise _UsageError(msg)


def _batch_directory(model: Any, args: argparse.Namespace) -> Any:
    """`maturity batch DIR --out OUTDIR [--dask SCHEDULER]`."""
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


def _cmd_crosswalk(args: argparse.Namespace, stdout: IO[str]) -> int:
    from maturity_core.analysis._crosswalk import (  # noqa: PLC0415
        Crosswalk,
        carry_assessment,
        compare_across,
        find_crosswalk,
    )

    assessment = Assessment.from_path(args.assessment)
    source = _load_for(assessment, args)
    target = _load(args.to, args)
    if args.map is not None:
        walk = Crosswalk.from_path(args.map)
        if (walk.source, walk.target) == (target.id, source.id):
            walk = walk.reversed()
    else:
        try:
            walk = find_crosswalk(source.id, target.id)
        except NotFoundError:
            msg = (
                f"no installed pack ships a crosswalk between {source.id} "
                f"and {target.id}; give one with --map FILE"
            )
            raise _UsageError(msg) from None
    carried = carry_assessment(
        walk,
        assessment,
        source,
        target,
        profile=args.profile,
        relations=args.relation or ("equal",),
    )
    before, after = compare_across(carried, source, target, assessment)
    if args.carried_out is not None:
        _jsonio.write_text_atomic(
            args.carried_out, _jsonio.dumps(carried.assessment.to_dict())
        )
    unrated = sum(1 for e in carried.assessment.ratings if e.rating is None)
    data = {
        "crosswalk": walk.id,
        "source": _side(before),
        "target": _side(after) | {"unrated_scored_as_lowest": unrated},
        "carried": len(carried.carried),
        "not_carried": [n.to_dict() for n in carried.not_carried],
    }
    if args.format == "json":
        stdout.write(_jsonio.dumps(data))
    else:
        render_crosswalk(data, stdout)
    return EXIT_OK


def _side(result: Any) -> dict[str, Any]:
    from maturity_core._format import decimal  # noqa: PLC0415

    return {
        "pack": result.pack.id,
        "pack_version": result.pack.version,
        "profile": result.profile,
        "rule": result.rule,
        "score": str(result.score),
        "score_decimal": decimal(result.score),
        "level": result.level,
        "level_scores": {
            str(k): str(x)
            for k, x in zip(
                result.pack.level_numbers, result.level_scores, strict=True
            )
        },
    }


def _cmd_report(args: argparse.Namespace, stdout: IO[str]) -> int:
    from maturity_core.report._report import (  # noqa: PLC0415
        build_report,
        radar_png,
        to_html,
        to_markdown,
    )

    assessment = _read_assessment(args.assessment)
    pack = _load_for(assessment, args)
    result = score(pack, assessment, profile=args.profile)
    try:
        report = build_report(
            pack, result, lang=args.lang, target=args.target
        )
    except ValueError as e:
        raise _UsageError(str(e)) from None
    if args.format == "json":
        _emit(_jsonio.dumps(report.to_dict()), args.output, stdout)
    elif args.format == "html":
        _emit(to_html(report), args.output, stdout)
    else:
        chart = None
        if args.output is not None:
            chart_path = _chart_path(args.output)
            _files.check_outputs([chart_path, args.output])
            _jsonio.write_bytes_atomic(chart_path, radar_png(report))
            chart = chart_path.name
        _emit(to_markdown(report, chart=chart), args.output, stdout)
    return EXIT_OK


def _chart_path(output: Path) -> Path:
    """Where ``report -o`` puts the radar chart of a Markdown report."""
    return output.with_suffix(".radar.png")


def _read_assessment(path: Path) -> Assessment:
    """An assessment from JSON, or from an XLSX/CSV questionnaire."""
    if path.suffix.lower() in (".xlsx", ".csv"):
        from maturity_core.questionnaire import (  # noqa: PLC0415
            read_questionnaire,
        )

        return read_questionnaire(path)
    return Assessment.from_path(path)


def _cmd_plan(args: argparse.Namespace, stdout: IO[str]) -> int:
    from maturity_core.analysis._gaps import (  # noqa: PLC0415
        efforts_from_json,
        improvement_plan,
    )

    assessment = _read_assessment(args.assessment)
    pack = _load_for(assessment, args)
    result = score(pack, assessment, profile=args.profile)
    effort = None
    if args.effort is not None:
        effort = efforts_from_json(
            _jsonio.read_json(args.effort), str(args.effort)
        )
    try:
        plan = improvement_plan(
            pack, result, target=args.target, effort=effort
        )
    except InputError as e:
        # Only the effort mapping raises InputError here: name its file.
        raise InputError(str(args.effort), e.json_path, e.message) from None
    except ValueError as e:
        raise _UsageError(str(e)) from None
    if args.format == "json":
        stdout.write(_jsonio.dumps(plan.to_dict()))
        return EXIT_OK
    stdout.write(
        f"to reach level {plan.target} from level {plan.baseline_level}: "
        f"{len(plan.upgrades)} upgrades, effort {plan.effort}; predicted "
        f"S = {plan.score} (level {plan.level})\n"
    )
    for u in plan.upgrades:
        stdout.write(f"  - {u.requirement}: {u.current} -> {u.to}\n")
    return EXIT_OK


def _cmd_consolidate(args: argparse.Namespace, stdout: IO[str]) -> int:
    from maturity_core.analysis._consolidate import consolidate  # noqa: PLC0415

    if len(args.assessments) < 2:
        msg = "consolidate needs at least two assessments"
        raise _UsageError(msg)
    assessments = [_read_assessment(p) for p in args.assessments]
    pack = _load_for(assessments[0], args)
    outcome = consolidate(
        pack,
        assessments,
        rule=args.rule,
        allow_disagreement=args.allow_disagreement,
    )
    if args.output is not None:
        _jsonio.write_text_atomic(
            args.output, _jsonio.dumps(outcome.assessment.to_dict())
        )
    data = outcome.to_dict()
    if args.format == "json":
        stdout.write(_jsonio.dumps(data))
    else:
        stats = data["agreement"]
        stdout.write(
            f"{len(assessments)} assessors, rule {args.rule}: "
            f"{len(data['disagreements'])} requirements disputed; observed "
            f"agreement {stats.get('observed')}, Fleiss' kappa "
            f"{stats.get('fleiss_kappa')}\n"
        )
        for d in data["disagreements"][:50]:
            stdout.write(f"  - {d}\n")
    return EXIT_OK


def _cmd_compare(args: argparse.Namespace, stdout: IO[str]) -> int:
    from maturity_core.analysis._compare import compare  # noqa: PLC0415

    before_a = _read_assessment(args.before)
    after_a = _read_assessment(args.after)
    before = score(_load_for(before_a, args), before_a)
    after = score(_load_for(after_a, args), after_a)
    comparison = compare(
        before, after, allow_profile_change=args.allow_profile_change
    )
    data = comparison.to_dict()
    if args.format == "json":
        stdout.write(_jsonio.dumps(data))
    else:
        stdout.write(
            f"S {before.score} -> {after.score} "
            f"(delta {comparison.score_delta}); "
            f"level {before.level} -> {after.level}\n"
            f"newly met: {len(comparison.newly_met)}, newly lost: "
            f"{len(comparison.newly_lost)}, improved: "
            f"{len(comparison.improved)}, "
            f"worsened: {len(comparison.worsened)}\n"
        )
    return EXIT_OK


def _cmd_pack(args: argparse.Namespace, stdout: IO[str]) -> int:
    from maturity_core.authoring import _authoring  # noqa: PLC0415

    tool = args.pack_command
    if tool is None:
        msg = "pack needs a tool: new, check, doc or diff"
        raise _UsageError(msg)
    if tool == "new":
        root = _authoring.scaffold_pack(args.id, args.dir)
        stdout.write(
            f"created {root}\n  next: cd {root} && pip install -e .[tests] "
            "&& pytest\n"
        )
        return EXIT_OK
    if tool == "check":
        check = _authoring.check_pack_path(
            args.path, trust_code=args.trust_code
        )
        if args.format == "json":
            stdout.write(_jsonio.dumps(check.to_dict()))
        else:
            _render_check(check, stdout)
        return EXIT_OK if check.valid else EXIT_INVALID
    if tool == "doc":
        pack = _load(args.pack, args)
        text = (
            _authoring.pack_html(pack)
            if args.format == "html"
            else _authoring.pack_markdown(pack)
        )
        _emit(text, args.output, stdout)
        return EXIT_OK
    diff = _authoring.diff_packs(_load(args.old, args), _load(args.new, args))
    if args.format == "json":
        stdout.write(_jsonio.dumps(diff.to_dict()))
    else:
        stdout.write(f"{diff.old} -> {diff.new}: {diff.verdict}\n")
        for key, value in diff.to_dict().items():
            if isinstance(value, (list, tuple)) and value:
                stdout.write(f"  {key.replace('_', ' ')}: {len(value)}\n")
                for item in list(value)[:20]:
                    stdout.write(f"    - {item}\n")
    return EXIT_OK


def _render_check(check: Any, stdout: IO[str]) -> None:
    where = check.pack
    for problem in check.problems:
        stdout.write(f"{where}: {problem}\n")
    for failure in check.vector_failures:
        stdout.write(f"{where}: vector {failure}\n")
    ran = f"{check.vectors_run} vector{'s' if check.vectors_run != 1 else ''}"
    if check.valid:
        passed = (
            f"{ran} ran, all passed" if check.vectors_run else "no vectors"
        )
        stdout.write(f"{where}: valid pack; {passed}\n")
        return
    n = len(check.problems)
    vectors = (
        "vectors not run" if n else f"{ran} ran, {check.vectors_failed} failed"
    )
    stdout.write(
        f"{where}: invalid pack: {n} problem{'s' if n != 1 else ''}; "
        f"{vectors}\n"
    )


def _cmd_migrate(args: argparse.Namespace, stdout: IO[str]) -> int:
    from maturity_core.analysis._migrate import migrate_assessment  # noqa: PLC0415

    assessment = Assessment.from_path(args.assessment)
    pack = _load(args.to, args) if args.to else _load_for(assessment, args)
    migrated = migrate_assessment(pack, assessment)
    if args.output is not None:
        _jsonio.write_text_atomic(
            args.output, _jsonio.dumps(migrated.assessment.to_dict())
        )
    report = migrated.to_dict()
    if args.format == "json":
        stdout.write(_jsonio.dumps(report))
    else:
        stdout.write(
            f"migrated to {pack.id} {pack.version}: {report['carried']} "
            f"ratings carried, {len(report['rerate'])} to (re-)rate, "
            f"{len(report['dropped'])} dropped\n"
        )
        for item in report["rerate"]:
            stdout.write(f"  rate {item['requirement']}: {item['reason']}\n")
        for item in report["dropped"]:
            stdout.write(
                f"  dropped {item['requirement']}: {item['reason']}\n"
            )
    return EXIT_OK


def _cmd_verify(args: argparse.Namespace, stdout: IO[str]) -> int:
    from maturity_core._verify import verify_result  # noqa: PLC0415

    assessment = Assessment.from_path(args.assessment)
    outcome = verify_result(
        args.result,
        assessment,
        pack=_load(args.pack, args) if args.pack else None,
        overlays=args.overlay,
    )
    if args.format == "json":
        stdout.write(_jsonio.dumps(outcome.to_dict()))
    elif outcome.ok:
        stdout.write(f"{args.result}: verified, identical result\n")
    else:
        stdout.write(f"{args.result}: does NOT verify\n")
        for d in outcome.differences:
            stdout.write(
                f"  - {d.field} ({d.meaning}): recorded {d.recorded!r}, "
                f"now {d.now!r}\n"
            )
    return EXIT_OK if outcome.ok else EXIT_INVALID


def _cmd_status(args: argparse.Namespace, stdout: IO[str]) -> int:
    import datetime as dt  # noqa: PLC0415

    from maturity_core._lifecycle import Lifecycle, parse_date, status_on  # noqa: PLC0415

    data = _jsonio.read_json(args.result)
    source = str(args.result)
    if not isinstance(data, dict) or not data.get("lifecycle"):
        problem = Problem(
            "$.lifecycle",
            "the result has no lifecycle: its pack defines no validity "
            "period, or its assessment had no metadata.date",
            "no-lifecycle",
        )
        raise AssessmentError([problem], source)
    life = Lifecycle.from_dict(data["lifecycle"], source)
    on = parse_date(args.on, "--on") if args.on else dt.date.today()  # noqa: DTZ011 -- a calendar day is meant
    reviewed = tuple(parse_date(d, "--reviewed") for d in args.reviewed)
    status = status_on(life, on, reviewed=reviewed)
    out = status.to_dict() | {
        "pack": data.get("pack"),
        "level": data.get("level"),
        "lifecycle": life.to_dict(),
    }
    if args.format == "json":
        stdout.write(_jsonio.dumps(out))
    else:
        stdout.write(
            f"{data.get('pack')} level {data.get('level')}: {status.state} on "
            f"{status.on.isoformat()} — {status.message}\n"
        )
    return EXIT_OK


def _cmd_change(args: argparse.Namespace, stdout: IO[str]) -> int:
    from maturity_core._lifecycle import check_level_change, parse_date  # noqa: PLC0415

    previous = _jsonio.read_json(args.previous)
    if not isinstance(previous, dict):
        raise AssessmentError(
            [Problem("$", "a result must be a JSON object", "schema")],
            str(args.previous),
        )
    assessment = Assessment.from_path(args.assessment)
    pack = _load_for(assessment, args)
    result = score(pack, assessment)
    if not assessment.metadata.date:
        raise AssessmentError(
            [
                Problem(
                    "$.metadata.date",
                    "the new assessment needs a date",
                    "date",
                )
            ],
            assessment.source,
        )
    check = check_level_change(
        pack,
        previous,
        result.level or 0,
        parse_date(
            assessment.metadata.date, "$.metadata.date", assessment.source
        ),
        request=args.request,
        mode=assessment.metadata.mode,
        source=str(args.previous),
    )
    if args.format == "json":
        stdout.write(_jsonio.dumps(check.to_dict()))
    else:
        verdict = "allowed" if check.allowed else "refused"
        stdout.write(
            f"{args.request} (level {check.previous_level} → new result "
            f"level {check.new_level}): {verdict}\n"
        )
        for reason in check.reasons:
            stdout.write(f"  - {reason}\n")
    return EXIT_OK if check.allowed else EXIT_INVALID


def _cmd_group(args: argparse.Namespace, stdout: IO[str]) -> int:
    from maturity_core.analysis._group import score_group  # noqa: PLC0415

    result = score_group(args.group)
    data = result.to_dict()
    if args.format == "json":
        stdout.write(_jsonio.dumps(data))
    else:
        render_group(data, stdout)
    return EXIT_OK


def _is_pack_data(data: Any) -> bool:
    return (
        isinstance(data, dict) and "nodes" in data and "requirements" in data
    )


def _cmd_validate(args: argparse.Namespace, stdout: IO[str]) -> int:
    outcomes: list[dict[str, Any]] = []
    status = EXIT_OK
    for path in args.files:
        entry: dict[str, Any] = {"file": str(path)}
        try:
            data = _jsonio.read_json(path)
            if _is_pack_data(data):
                pack = load_pack(path, trust_code=args.trust_code)
                entry |= {"kind": "pack", "id": pack.id, "valid": True}
            else:
                assessment = Assessment.from_dict(data, source=str(path))
                pack = _load_for(assessment, args)
                reports = validate(pack, assessment, profile=args.profile)
                entry |= {
                    "kind": "assessment",
                    "pack": pack.id,
                    "valid": True,
                    "validators": [r.to_dict() for r in reports],
                }
        except MaturityCoreError as e:
            status = EXIT_INVALID
            problems = getattr(e, "problems", None)
            entry |= {
                "valid": False,
                "error": str(e),
                "problems": [p.to_dict() for p in problems]
                if problems
                else [],
            }
        outcomes.append(entry)
    if args.format == "json":
        stdout.write(_jsonio.dumps(outcomes))
    else:
        render_validation(outcomes, stdout)
    return status


def run(
    argv: Sequence[str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    """
    Run the command line with *argv*, writing to *stdout* and *stderr*.

    Returns the exit status instead of exiting.

    .. versionadded:: 0.1.0
    """
    stdout = stdout if stdout is not None else sys.stdout
    stderr = stderr if stderr is not None else sys.stderr
    parser = _parser(stdout, stderr)
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except _Exit as e:
        return e.status
    if args.version:
        from maturity_core import __version__  # noqa: PLC0415

        stdout.write(f"maturity-core {__version__}\n")
        return EXIT_OK
    commands = {
        "packs": _cmd_packs,
        "template": _cmd_template,
        "score": _cmd_score,
        "validate": _cmd_validate,
        "batch": _cmd_batch,
        "crosswalk": _cmd_crosswalk,
        "group": _cmd_group,
        "status": _cmd_status,
        "verify": _cmd_verify,
        "pack": _cmd_pack,
        "report": _cmd_report,
        "plan": _cmd_plan,
        "consolidate": _cmd_consolidate,
        "compare": _cmd_compare,
        "migrate": _cmd_migrate,
        "change": _cmd_change,
    }
    if args.command is None:
        parser.print_usage(stderr)
        stderr.write("maturity: error: a command is required\n")
        return EXIT_USAGE
    if getattr(args, "format", "text") not in ("json", None):
        stdout = cast("IO[str]", _Printable(stdout))
    try:
        with _files.command_files():
            _files.check_outputs(*_named_files(args))
            return commands[args.command](args, stdout)
    except (_UsageError, OutputError) as e:
        stderr.write(f"maturity: error: {printable(str(e))}\n")
        return EXIT_USAGE
    except MaturityCoreError as e:
        stderr.write(f"maturity: error: {printable(str(e))}\n")
        return EXIT_INVALID


#: The options naming files a command writes.
_OUTPUTS = ("output", "out", "carried_out")


def _named_files(args: argparse.Namespace) -> tuple[list[Path], list[Path]]:
    """
    The files named on the command line: those it writes and those it
    reads.  Inputs found later (an installed pack, a group's members) are
    checked when each output is written.
    """
    outputs = [
        getattr(args, name)
        for name in _OUTPUTS
        if getattr(args, name, None) is not None
    ]
    if args.command == "report" and args.output and args.format == "md":
        outputs.insert(0, _chart_path(args.output))
    inputs = [
        value
        for name, given in vars(args).items()
        if name not in _OUTPUTS
        for value in (given if isinstance(given, list) else [given])
        if isinstance(value, Path)
    ]
    return outputs, inputs


class _Printable:
    """
    A text stream that removes terminal control sequences from what is
    written to it (an organisation or pack name must not drive the
    terminal).  It is not a terminal itself, so rich adds no styles.
    """

    def __init__(self, stream: IO[str]):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def isatty(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _Terminated(BaseException):
    """SIGTERM arrived: unwind, removing temporary files, and exit."""


def _terminate(signum: int, frame: object) -> None:  # noqa: ARG001
    raise _Terminated


def _stop(message: str, status: int) -> int:
    sys.stderr.write(f"maturity: {message}\n")
    return status


def _quiet_stdout() -> None:
    """Send what is left in stdout's buffer nowhere, so exiting is quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main() -> NoReturn:
    """
    The console-script entry point: Ctrl-C and SIGTERM end the command
    with one line on stderr (exit 130 and 143), after outputs being
    written have had their temporary files removed.
    """
    signal.signal(signal.SIGTERM, _terminate)
    try:
        status = run(sys.argv[1:])
        sys.stdout.flush()
    except KeyboardInterrupt:
        status = _stop("interrupted", 128 + signal.SIGINT)
    except _Terminated:
        status = _stop("terminated", 128 + signal.SIGTERM)
    except BrokenPipeError:
        # The reader (e.g. `head`) went away: stop quietly, as Unix tools do.
        _quiet_stdout()
        status = EXIT_OK
    except OSError as e:
        # Standard output failed (a full disk): one line, no traceback.
        _quiet_stdout()
        where = e.filename or "cannot write to standard output"
        status = _stop(f"error: {where}: {e.strerror or e}", EXIT_INVALID)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    sys.exit(status)


if __name__ == "__main__":
    main()
