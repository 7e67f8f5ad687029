"""Commands on one assessment: template, score, validate, verify, status,
change."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import IO, Any

import maturity_core as mc
from maturity_core.exceptions import AssessmentError, Problem
from maturity_core.io import dumps, parse_date, read_json

from ._common import load, load_for, read_assessment
from ._output import EXIT_INVALID, EXIT_OK, Outcome, UsageError
from ._render import render_result, render_validation


def template(args: argparse.Namespace) -> Outcome:
    """A blank assessment (JSON) or a questionnaire (XLSX, CSV)."""
    pack = load(args.pack, args)
    if args.profile and args.profile not in pack.profiles:
        # A name that must be found in the pack: invalid input, as in score.
        msg = (
            f"pack {pack.id} has no profile {args.profile!r}; valid profiles: "
            f"{', '.join(pack.profiles)}"
        )
        raise mc.MaturityCoreError(msg)
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
            raise UsageError(msg)
        write_questionnaire(
            pack,
            args.output,
            profile=args.profile,
            lang=args.lang or pack.language,
        )
        return Outcome()
    data = mc.blank_assessment(
        pack, args.profile, lang=args.lang or pack.language
    )
    return Outcome(document=dumps(data))


def score(args: argparse.Namespace) -> Outcome:
    """The exact result of an assessment."""
    assessment = read_assessment(args.assessment)
    pack = load_for(assessment, args)
    for overlay in args.overlay:
        pack = mc.apply_overlay(pack, overlay)
    result = mc.score(
        pack,
        assessment,
        profile=args.profile,
        rule=args.rule,
        unrated=args.unrated,
    )
    return Outcome(result)


def show_score(
    result: mc.Result, args: argparse.Namespace, out: IO[str]
) -> None:
    render_result(result, out, lang=args.lang or result.pack.language)


def _is_pack_data(data: Any) -> bool:
    return (
        isinstance(data, dict) and "nodes" in data and "requirements" in data
    )


def validate(args: argparse.Namespace) -> Outcome:
    """Each file checked, as an assessment or as a pack."""
    outcomes: list[dict[str, Any]] = []
    status = EXIT_OK
    for path in args.files:
        entry: dict[str, Any] = {"file": str(path)}
        try:
            data = read_json(path)
            if _is_pack_data(data):
                pack = mc.load_pack(path, trust_code=args.trust_code)
                entry |= {"kind": "pack", "id": pack.id, "valid": True}
            else:
                assessment = mc.Assessment.from_dict(data, source=str(path))
                pack = load_for(assessment, args)
                reports = mc.validate(pack, assessment, profile=args.profile)
                entry |= {
                    "kind": "assessment",
                    "pack": pack.id,
                    "valid": True,
                    "validators": [r.to_dict() for r in reports],
                }
        except mc.MaturityCoreError as e:
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
    return Outcome(outcomes, status)


def show_validate(
    outcomes: list[dict[str, Any]], args: argparse.Namespace, out: IO[str]
) -> None:
    del args
    render_validation(outcomes, out)


def verify(args: argparse.Namespace) -> Outcome:
    """A recorded result re-scored and compared."""
    assessment = mc.Assessment.from_path(args.assessment)
    outcome = mc.verify_result(
        args.result,
        assessment,
        pack=load(args.pack, args) if args.pack else None,
        overlays=args.overlay,
    )
    return Outcome(outcome, EXIT_OK if outcome.ok else EXIT_INVALID)


def show_verify(
    outcome: Any, args: argparse.Namespace, out: IO[str]
) -> None:
    if outcome.ok:
        out.write(f"{args.result}: verified, identical result\n")
        return
    out.write(f"{args.result}: does NOT verify\n")
    for d in outcome.differences:
        out.write(
            f"  - {d.field} ({d.meaning}): recorded {d.recorded!r}, "
            f"now {d.now!r}\n"
        )


def status(args: argparse.Namespace) -> Outcome:
    """Whether a graded result is current, due for re-review or expired."""
    from maturity_core.typing import Lifecycle  # noqa: PLC0415

    data = read_json(args.result)
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
    state = mc.status_on(life, on, reviewed=reviewed)
    return Outcome(
        state.to_dict()
        | {
            "pack": data.get("pack"),
            "level": data.get("level"),
            "lifecycle": life.to_dict(),
        }
    )


def show_status(
    data: dict[str, Any], args: argparse.Namespace, out: IO[str]
) -> None:
    del args
    out.write(
        f"{data.get('pack')} level {data.get('level')}: {data['state']} on "
        f"{data['on']} — {data['message']}\n"
    )


def change(args: argparse.Namespace) -> Outcome:
    """Whether a renewal, upgrade or downgrade request is allowed."""
    previous = read_json(args.previous)
    if not isinstance(previous, dict):
        raise AssessmentError(
            [Problem("$", "a result must be a JSON object", "schema")],
            str(args.previous),
        )
    assessment = mc.Assessment.from_path(args.assessment)
    pack = load_for(assessment, args)
    result = mc.score(pack, assessment)
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
    check = mc.check_level_change(
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
    return Outcome(check, EXIT_OK if check.allowed else EXIT_INVALID)


def show_change(check: Any, args: argparse.Namespace, out: IO[str]) -> None:
    verdict = "allowed" if check.allowed else "refused"
    out.write(
        f"{args.request} (level {check.previous_level} → new result "
        f"level {check.new_level}): {verdict}\n"
    )
    for reason in check.reasons:
        out.write(f"  - {reason}\n")
