"""
The population commands: ``synth`` writes a synthetic population,
``population`` summarises a population file, and ``crosswalk FILE --out``
carries a whole population (see :func:`crosswalk_file`).
"""

from __future__ import annotations

import argparse
from fractions import Fraction
from pathlib import Path
from typing import IO, Any

from maturity_core.exceptions import InputError
from maturity_core.io import dumps, write_bytes, write_text

from ._common import crosswalk_between, load
from ._output import Outcome, UsageError


#: Library option names → the command-line options that set them.
_OPTIONS = {
    "level_shares": "--level-shares",
    "near_gate": "--near-gate",
    "band": "--band",
    "na": "--na",
    "keys": "--keys",
    "n": "--rows",
}


def fraction(text: str) -> Fraction:
    """An option's exact number (``0.3`` or ``3/10``)."""
    try:
        return Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        msg = f"{text!r} is not a number (e.g. 0.3 or 3/10)"
        raise argparse.ArgumentTypeError(msg) from None


def _table_output(path: Path, option: str) -> None:
    """Refuse an output that is neither Parquet nor CSV (usage)."""
    if path.suffix.lower() not in (".parquet", ".pq", ".csv"):
        msg = (
            f"{option} {path}: the file is written as .parquet or .csv "
            f"(got {path.suffix or 'no suffix'})"
        )
        raise UsageError(msg)


def _pair(level: str, share: str) -> tuple[int, Fraction] | None:
    try:
        return int(level.strip()), Fraction(share.strip())
    except (ValueError, ZeroDivisionError):
        return None


def _level_shares(text: str | None) -> dict[int, Fraction] | None:
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
            raise UsageError(msg)
        number, value = pair
        if number in shares:
            msg = f"--level-shares gives level {number} twice"
            raise UsageError(msg)
        shares[number] = value
    return shares


def synth(args: argparse.Namespace) -> Outcome:
    """A synthetic population written to a Parquet or CSV file."""
    from maturity_core.batch import (  # noqa: PLC0415
        compile_model,
        write_synthetic,
    )

    if args.rows < 0:
        msg = f"--rows must be 0 or more (got {args.rows})"
        raise UsageError(msg)
    _table_output(args.out, "--out")
    keys = [k.strip() for k in args.keys.split(",") if k.strip()]
    shares = _level_shares(args.level_shares)
    pack = load(args.pack, args)
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
        raise UsageError(msg) from None
    return Outcome(
        {
            "rows": args.rows,
            "output": str(args.out),
            "pack": pack.id,
            "pack_version": pack.version,
            "profile": model.profile.id,
            "seed": args.seed,
            "keys": keys,
        }
    )


def show_synth(
    data: dict[str, Any], args: argparse.Namespace, out: IO[str]
) -> None:
    del args
    out.write(
        f"wrote {data['rows']} synthetic assessments of {data['pack']}/"
        f"{data['profile']} to {data['output']} (seed {data['seed']})\n"
    )


def population(args: argparse.Namespace) -> Outcome:
    """A population file summarised, overall and per group."""
    from maturity_core.batch import (  # noqa: PLC0415
        compile_model,
        summarise_file,
    )

    out_kind = None
    if args.out is not None:
        out_kind = args.out.suffix.lower()
        if out_kind not in (".json", ".md"):
            msg = (
                f"--out {args.out}: the summary is written as .json or .md "
                f"(got {out_kind or 'no suffix'})"
            )
            raise UsageError(msg)
    if args.chart is not None and args.chart.suffix.lower() != ".png":
        msg = f"--chart {args.chart}: the radar is a .png file"
        raise UsageError(msg)
    pack = load(args.pack, args)
    model = compile_model(pack, args.profile, rule=args.rule)
    summary = summarise_file(
        model, args.input, keys=args.key, by=args.by, unrated=args.unrated
    )
    lang = args.lang or pack.language
    if args.chart is not None:
        from maturity_core.report import population_radar_png  # noqa: PLC0415

        write_bytes(
            args.chart,
            population_radar_png(pack, summary.overall, lang=lang),
        )
    if out_kind == ".json":
        write_text(args.out, dumps(summary.to_dict()))
    elif out_kind == ".md":
        write_text(args.out, summary.to_markdown(lang))
    return Outcome(summary)


def show_population(
    summary: Any, args: argparse.Namespace, out: IO[str]
) -> None:
    out.write(summary.to_markdown(args.lang))


def crosswalk_file(args: argparse.Namespace) -> Outcome:
    """``crosswalk FILE --out CARRIED``: a whole population carried."""
    from maturity_core.batch import carry_file, compile_model  # noqa: PLC0415

    if args.pack is None:
        msg = "crosswalk --out carries a population file and needs --pack"
        raise UsageError(msg)
    if args.carried_out is not None:
        msg = "--carried-out is for one assessment; with --out give neither"
        raise UsageError(msg)
    _table_output(args.out, "--out")
    source_pack = load(args.pack, args)
    target_pack = load(args.to, args)
    source = compile_model(source_pack, args.from_profile)
    profile = args.profile or (
        source.profile.id
        if source.profile.id in target_pack.profiles
        else None
    )
    target = compile_model(target_pack, profile)
    walk = crosswalk_between(source_pack.id, target_pack.id, args.map)
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
        return Outcome(data)
    return Outcome(document=_carried_text(data))


def _carried_text(data: dict[str, Any]) -> str:
    source, target = data["source"], data["target"]
    head = (
        f"carried {data['rows']} assessments of {source['pack']}/"
        f"{source['profile']} to {target['pack']}/{target['profile']} "
        f"through {data['crosswalk']} into {data['output']}: "
        f"{data['carried_cells']} of {data['target_cells']} target "
        "ratings carried"
    )
    lines = [head]
    by_reason: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for c in data["not_carried"]:
        by_reason.setdefault((c["side"], c["reason"]), []).append(c)
    for (side, reason), items in sorted(by_reason.items()):
        items.sort(key=lambda c: (-c["rows"], c["requirement"]))
        shown = ", ".join(
            f"{c['requirement']} ({c['rows']})" for c in items[:5]
        )
        more = f", … {len(items) - 5} more" if len(items) > 5 else ""
        lines.append(
            f"not carried ({side}: {reason}): {len(items)} requirements: "
            f"{shown}{more}"
        )
    return "\n".join(lines) + "\n"
