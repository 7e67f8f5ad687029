"""
Commands on populations: ``synth``, ``population`` and ``crosswalk`` on a
population file.  Thin clients of :mod:`maturity_core.batch`.
"""

from __future__ import annotations

import argparse
from fractions import Fraction
from pathlib import Path
from typing import IO, Any

from maturity_core import _files, _jsonio
from maturity_core._scoring import UNRATED_POLICIES
from maturity_core.exceptions import InputError, NotFoundError


#: Library option names → the command-line options that set them.
_OPTIONS = {
    "level_shares": "--level-shares",
    "near_gate": "--near-gate",
    "band": "--band",
    "na": "--na",
    "keys": "--keys",
    "n": "--rows",
}


def _fraction(text: str) -> Fraction:
    try:
        return Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        msg = f"{text!r} is not a number (e.g. 0.3 or 3/10)"
        raise argparse.ArgumentTypeError(msg) from None


def add_synth_parser(sub: Any, helpers: Any) -> None:
    """The ``synth`` command's options."""
    p = sub.add_parser(
        "synth",
        help="write a synthetic population (Parquet or CSV) for a pack",
        description="Write synthetic assessments in the layout `maturity "
        "batch` reads, drawn from a documented model (see the batch "
        "documentation): level shares, rows near the gate, na cells. "
        "They describe no real organisation.",
    )
    p.add_argument("pack", help="installed pack id, or a pack path")
    helpers.trust(p)
    p.add_argument("--profile", help="weight profile (default: the pack's)")
    p.add_argument("--rows", type=int, required=True, help="how many rows")
    p.add_argument(
        "--out", required=True, type=Path, help="output .parquet or .csv"
    )
    p.add_argument("--seed", type=int, default=0, help="seed (default: 0)")
    p.add_argument(
        "--level-shares",
        metavar="LEVEL=SHARE,…",
        help="share of rows passing the gate at exactly LEVEL levels "
        "(0 = none), e.g. 0=0.2,1=0.4,2=0.4 (default: the pack's)",
    )
    p.add_argument(
        "--near-gate",
        type=_fraction,
        help="share of rows whose deciding level score lies within "
        "--band of the gate (default: left to chance)",
    )
    p.add_argument(
        "--band",
        type=_fraction,
        default=Fraction(1, 10),
        help="half-width of the band around the gate (default: 0.1)",
    )
    p.add_argument(
        "--na",
        type=_fraction,
        default=Fraction(0),
        help="share of cells rated na where the rubric allows it",
    )
    p.add_argument(
        "--keys",
        default="",
        metavar="NAME,…",
        help="synthetic key columns: org (unique ids) and any grouping "
        "name (labels NAME-1 … NAME-5), e.g. org,region,industry",
    )
    helpers.format(p)


def add_population_parser(sub: Any, helpers: Any) -> None:
    """The ``population`` command's options."""
    p = sub.add_parser(
        "population",
        help="summarise a population file: level shares, node statistics, "
        "weakest nodes, per group",
        description="Score every row of a population file (the input of "
        "`maturity batch`) exactly and summarise it: level counts and "
        "shares, exact means and quantiles of S, of each level score and "
        "of each node, and the weakest nodes, overall and per value of "
        "each --by column.",
    )
    p.add_argument("input", type=Path, help="input .parquet or .csv file")
    p.add_argument("--pack", required=True, help="pack id or path")
    helpers.trust(p)
    p.add_argument("--profile", help="weight profile (default: the pack's)")
    p.add_argument("--rule", help="level rule (default: the pack's)")
    p.add_argument(
        "--key",
        action="append",
        default=[],
        help="a key column of the file, not a rating (repeatable)",
    )
    p.add_argument(
        "--by",
        action="append",
        default=[],
        metavar="COLUMN",
        help="group by this key column too (repeatable)",
    )
    p.add_argument(
        "--unrated",
        choices=UNRATED_POLICIES,
        default="error",
        help="unrated cells: error (default) or none (lowest rating)",
    )
    p.add_argument(
        "--out", type=Path, help="write the summary: .json or .md"
    )
    p.add_argument(
        "--chart",
        type=Path,
        help="write the population radar here (PNG; the report extra)",
    )
    helpers.lang(p)
    helpers.format(p)


def add_crosswalk_file_options(p: argparse.ArgumentParser) -> None:
    """The ``crosswalk`` options that carry a whole population file."""
    p.add_argument(
        "--out",
        type=Path,
        help="carry a population file (.parquet/.csv, the input of "
        "`maturity batch`) instead of an assessment and write it here",
    )
    p.add_argument(
        "--from-profile",
        help="with --out: the population's profile (default: the pack's)",
    )
    p.add_argument(
        "--key",
        action="append",
        default=[],
        help="with --out: a key column to copy (repeatable)",
    )


def _table_output(path: Path, option: str) -> None:
    """Refuse an output that is neither Parquet nor CSV (usage)."""
    from maturity_core.cli import _UsageError  # noqa: PLC0415

    if path.suffix.lower() not in (".parquet", ".pq", ".csv"):
        msg = (
            f"{option} {path}: the file is written as .parquet or .csv "
            f"(got {path.suffix or 'no suffix'})"
        )
        raise _UsageError(msg)


def _pair(level: str, share: str) -> tuple[int, Fraction] | None:
    try:
        return int(level.strip()), Fraction(share.strip())
    except (ValueError, ZeroDivisionError):
        return None


def _level_shares(text: str | None) -> dict[int, Fraction] | None:
    from maturity_core.cli import _UsageError  # noqa: PLC0415

    if text is None:
        return None
    shares: dict[int, Fraction] = {}
    for item in text.split(","):
        level, sep, share = item.partition("=")
        pair = _pair(level, share) if sep else None
        if pair is None:
            msg = (
                f"--level-shares takes LEVEL=SHARE pairs separated by "
                f"commas, e.g. 0=0.2,1=0.5,2=0.3 (got {item!r})"
            )
            raise _UsageError(msg)
        number, value = pair
        if number in shares:
            msg = f"--level-shares gives level {number} twice"
            raise _UsageError(msg)
        shares[number] = value
    return shares


def cmd_synth(args: argparse.Namespace, stdout: IO[str]) -> int:
    """``maturity synth``."""
    from maturity_core.batch import (  # noqa: PLC0415
        compile_model,
        write_synthetic,
    )
    from maturity_core.cli import EXIT_OK, _load, _UsageError  # noqa: PLC0415

    if args.rows < 0:
        msg = f"--rows must be 0 or more (got {args.rows})"
        raise _UsageError(msg)
    _table_output(args.out, "--out")
    keys = [k.strip() for k in args.keys.split(",") if k.strip()]
    shares = _level_shares(args.level_shares)
    pack = _load(args.pack, args)
    model = compile_model(pack, args.profile)
    try:
        write_synthetic(
            model,
            args.out,
            args.rows,
            keys=keys,
            seed=args.seed,
            level_shares=shares,
            near_gate=args.near_gate,
            band=args.band,
            na=args.na,
        )
    except InputError as e:
        if e.source is not None or e.json_path not in _OPTIONS:
            raise
        msg = f"{_OPTIONS[e.json_path]}: {e.message}"
        raise _UsageError(msg) from None
    data = {
        "rows": args.rows,
        "output": str(args.out),
        "pack": pack.id,
        "pack_version": pack.version,
        "profile": model.profile.id,
        "seed": args.seed,
        "keys": keys,
    }
    if args.format == "json":
        stdout.write(_jsonio.dumps(data))
    else:
        stdout.write(
            f"wrote {args.rows} synthetic assessments of {pack.id}/"
            f"{model.profile.id} to {args.out} (seed {args.seed})\n"
        )
    return EXIT_OK


def cmd_population(args: argparse.Namespace, stdout: IO[str]) -> int:
    """``maturity population``."""
    from maturity_core.batch import (  # noqa: PLC0415
        compile_model,
        summarise_file,
    )
    from maturity_core.cli import EXIT_OK, _load, _UsageError  # noqa: PLC0415

    out_kind = None
    if args.out is not None:
        out_kind = args.out.suffix.lower()
        if out_kind not in (".json", ".md"):
            msg = (
                f"--out {args.out}: the summary is written as .json or .md "
                f"(got {out_kind or 'no suffix'})"
            )
            raise _UsageError(msg)
    if args.chart is not None and args.chart.suffix.lower() != ".png":
        msg = f"--chart {args.chart}: the radar is a .png file"
        raise _UsageError(msg)
    pack = _load(args.pack, args)
    model = compile_model(pack, args.profile, rule=args.rule)
    summary = summarise_file(
        model, args.input, keys=args.key, by=args.by, unrated=args.unrated
    )
    lang = args.lang or pack.language
    if args.chart is not None:
        from maturity_core.report import population_radar_png  # noqa: PLC0415

        _jsonio.write_bytes_atomic(
            args.chart,
            population_radar_png(pack, summary.overall, lang=lang),
        )
    if out_kind == ".json":
        _jsonio.write_text_atomic(args.out, _jsonio.dumps(summary.to_dict()))
    elif out_kind == ".md":
        _jsonio.write_text_atomic(args.out, summary.to_markdown(lang))
    if args.format == "json":
        stdout.write(_jsonio.dumps(summary.to_dict()))
    else:
        stdout.write(summary.to_markdown(lang))
    return EXIT_OK


def crosswalk_file(args: argparse.Namespace, stdout: IO[str]) -> int:
    """``maturity crosswalk FILE --out CARRIED``: a whole population."""
    from maturity_core.analysis._crosswalk import (  # noqa: PLC0415
        Crosswalk,
        find_crosswalk,
    )
    from maturity_core.batch import carry_file, compile_model  # noqa: PLC0415
    from maturity_core.cli import EXIT_OK, _load, _UsageError  # noqa: PLC0415

    if args.pack is None:
        msg = "crosswalk --out carries a population file and needs --pack"
        raise _UsageError(msg)
    if args.carried_out is not None:
        msg = "--carried-out is for one assessment; with --out give neither"
        raise _UsageError(msg)
    _table_output(args.out, "--out")
    source_pack = _load(args.pack, args)
    target_pack = _load(args.to, args)
    source = compile_model(source_pack, args.from_profile)
    profile = args.profile or (
        source.profile.id
        if source.profile.id in target_pack.profiles
        else None
    )
    target = compile_model(target_pack, profile)
    if args.map is not None:
        walk = Crosswalk.from_path(args.map)
        if (walk.source, walk.target) == (target_pack.id, source_pack.id):
            walk = walk.reversed()
    else:
        try:
            walk = find_crosswalk(source_pack.id, target_pack.id)
        except NotFoundError:
            msg = (
                f"no installed pack ships a crosswalk between "
                f"{source_pack.id} and {target_pack.id}; give one with "
                "--map FILE"
            )
            raise _UsageError(msg) from None
    _files.check_outputs([args.out], inputs=[args.assessment])
    summary = carry_file(
        walk,
        source,
        target,
        args.assessment,
        args.out,
        keys=args.key,
        relations=args.relation or ("equal",),
    )
    data = summary.to_dict() | {
        "source": {"pack": source_pack.id, "profile": source.profile.id},
        "target": {"pack": target_pack.id, "profile": target.profile.id},
    }
    if args.format == "json":
        stdout.write(_jsonio.dumps(data))
        return EXIT_OK
    stdout.write(
        f"carried {summary.rows} assessments of {source_pack.id}/"
        f"{source.profile.id} to {target_pack.id}/{target.profile.id} "
        f"through {walk.id} into {summary.output}: "
        f"{summary.carried_cells} of {summary.target_cells} target "
        "ratings carried\n"
    )
    by_reason: dict[tuple[str, str], list[Any]] = {}
    for c in summary.not_carried:
        by_reason.setdefault((c.side, c.reason), []).append(c)
    for (side, reason), items in sorted(by_reason.items()):
        items.sort(key=lambda c: (-c.rows, c.requirement))
        shown = ", ".join(f"{c.requirement} ({c.rows})" for c in items[:5])
        more = f", … {len(items) - 5} more" if len(items) > 5 else ""
        stdout.write(
            f"not carried ({side}: {reason}): {len(items)} requirements: "
            f"{shown}{more}\n"
        )
    return EXIT_OK
