"""Commands that analyse scored assessments: crosswalk, plan, consolidate,
compare, migrate, group."""

from __future__ import annotations

import argparse
from typing import IO, TYPE_CHECKING, Any

import attrs

import maturity_core as mc
from maturity_core.exceptions import InputError
from maturity_core.io import decimal, dumps, read_json, write_text

from ._common import crosswalk_between, load, load_for, read_assessment
from ._output import Outcome, UsageError
from ._populations import crosswalk_file
from ._render import render_crosswalk, render_group


if TYPE_CHECKING:
    from maturity_core import analysis


def crosswalk(args: argparse.Namespace) -> Outcome:
    """
    An assessment carried to another pack, both scored side by side; with
    ``--out``, a whole population file carried (:func:`crosswalk_file`).
    """
    from maturity_core import analysis  # noqa: PLC0415

    if args.out is not None:
        return crosswalk_file(args)
    assessment = mc.Assessment.from_path(args.assessment)
    source = load_for(assessment, args)
    target = load(args.to, args)
    walk = crosswalk_between(source.id, target.id, args.map)
    carried = analysis.carry_assessment(
        walk,
        assessment,
        source,
        target,
        profile=args.profile,
        relations=args.relation or ("equal",),
    )
    before, after = analysis.compare_across(
        carried, source, target, assessment
    )
    if args.carried_out is not None:
        write_text(args.carried_out, dumps(carried.assessment.to_dict()))
    unrated = sum(1 for e in carried.assessment.ratings if e.rating is None)
    return Outcome(
        {
            "crosswalk": walk.id,
            "source": _side(before),
            "target": _side(after) | {"unrated_scored_as_lowest": unrated},
            "carried": len(carried.carried),
            "not_carried": [n.to_dict() for n in carried.not_carried],
        }
    )


def _side(result: mc.Result) -> dict[str, Any]:
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


def show_crosswalk(
    data: dict[str, Any], args: argparse.Namespace, out: IO[str]
) -> None:
    del args
    render_crosswalk(data, out)


def plan(args: argparse.Namespace) -> Outcome:
    """The smallest set of upgrades that reaches a level."""
    from maturity_core import analysis  # noqa: PLC0415

    assessment = read_assessment(args.assessment)
    pack = load_for(assessment, args)
    result = mc.score(pack, assessment, profile=args.profile)
    effort = None
    if args.effort is not None:
        effort = analysis.efforts_from_json(
            read_json(args.effort), str(args.effort)
        )
    try:
        found = analysis.improvement_plan(
            pack, result, target=args.target, effort=effort
        )
    except InputError as e:
        # Only the effort mapping raises InputError here: name its file.
        raise InputError(str(args.effort), e.json_path, e.message) from None
    except ValueError as e:
        raise UsageError(str(e)) from None
    return Outcome(found)


def show_plan(
    found: analysis.Plan, args: argparse.Namespace, out: IO[str]
) -> None:
    del args
    out.write(
        f"to reach level {found.target} from level {found.baseline_level}: "
        f"{len(found.upgrades)} upgrades, effort {found.effort}; predicted "
        f"S = {found.score} (level {found.level})\n"
    )
    for u in found.upgrades:
        out.write(f"  - {u.requirement}: {u.current} -> {u.to}\n")


def consolidate(args: argparse.Namespace) -> Outcome:
    """Several assessors' ratings merged, with their disagreement."""
    from maturity_core import analysis  # noqa: PLC0415

    if len(args.assessments) < 2:
        msg = "consolidate needs at least two assessments"
        raise UsageError(msg)
    assessments = [read_assessment(p) for p in args.assessments]
    pack = load_for(assessments[0], args)
    outcome = analysis.consolidate(
        pack,
        assessments,
        rule=args.rule,
        allow_disagreement=args.allow_disagreement,
    )
    if args.output is not None:
        write_text(args.output, dumps(outcome.assessment.to_dict()))
    return Outcome(outcome.to_dict())


def show_consolidate(
    data: dict[str, Any], args: argparse.Namespace, out: IO[str]
) -> None:
    stats = data["agreement"]
    out.write(
        f"{len(args.assessments)} assessors, rule {args.rule}: "
        f"{len(data['disagreements'])} requirements disputed; observed "
        f"agreement {stats.get('observed')}, Fleiss' kappa "
        f"{stats.get('fleiss_kappa')}\n"
    )
    for d in data["disagreements"][:50]:
        out.write(f"  - {d}\n")


def compare(args: argparse.Namespace) -> Outcome:
    """Two assessments of the same pack compared."""
    from maturity_core import analysis  # noqa: PLC0415

    before_a = read_assessment(args.before)
    after_a = read_assessment(args.after)
    before = mc.score(load_for(before_a, args), before_a)
    after = mc.score(load_for(after_a, args), after_a)
    return Outcome(
        analysis.compare(
            before, after, allow_profile_change=args.allow_profile_change
        )
    )


def show_compare(
    comparison: analysis.Comparison, args: argparse.Namespace, out: IO[str]
) -> None:
    del args
    out.write(
        f"S {comparison.score_before} -> {comparison.score_after} "
        f"(delta {comparison.score_delta}); "
        f"level {comparison.level_before} -> {comparison.level_after}\n"
        f"newly met: {len(comparison.newly_met)}, newly lost: "
        f"{len(comparison.newly_lost)}, improved: "
        f"{len(comparison.improved)}, "
        f"worsened: {len(comparison.worsened)}\n"
    )


def migrate(args: argparse.Namespace) -> Outcome:
    """An assessment carried forward to a new version of its pack."""
    from maturity_core import analysis  # noqa: PLC0415

    assessment = mc.Assessment.from_path(args.assessment)
    pack = load(args.to, args) if args.to else load_for(assessment, args)
    migrated = analysis.migrate_assessment(pack, assessment)
    if args.output is not None:
        write_text(args.output, dumps(migrated.assessment.to_dict()))
    return Outcome(Migration(migrated, pack))


@attrs.frozen
class Migration:
    """A migration and the pack it went to."""

    migrated: analysis.Migrated
    pack: mc.Pack

    def to_dict(self) -> dict[str, Any]:
        """The migration's JSON-ready data."""
        return self.migrated.to_dict()


def show_migrate(
    migration: Migration, args: argparse.Namespace, out: IO[str]
) -> None:
    del args
    report, pack = migration.to_dict(), migration.pack
    out.write(
        f"migrated to {pack.id} {pack.version}: "
        f"{report['carried']} ratings carried, {len(report['rerate'])} to "
        f"(re-)rate, {len(report['dropped'])} dropped\n"
    )
    for item in report["rerate"]:
        out.write(f"  rate {item['requirement']}: {item['reason']}\n")
    for item in report["dropped"]:
        out.write(f"  dropped {item['requirement']}: {item['reason']}\n")


def group(args: argparse.Namespace) -> Outcome:
    """A standard group scored for one organisation."""
    from maturity_core import analysis  # noqa: PLC0415

    return Outcome(analysis.score_group(args.group).to_dict())


def show_group(
    data: dict[str, Any], args: argparse.Namespace, out: IO[str]
) -> None:
    del args
    render_group(data, out)
