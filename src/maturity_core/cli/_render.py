"""Human-readable output for the command line (rich tables, no colour
unless writing to a terminal)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import IO, Any

from maturity_core import PackInfo, Result
from maturity_core.io import decimal


def _console(stream: IO[str]) -> Any:
    from rich.console import Console  # noqa: PLC0415 -- only the CLI needs rich

    return Console(
        file=stream,
        width=110,
        highlight=False,
        markup=False,
        emoji=False,
        # A line of text (a path, a message, a trace step) stays one line
        # however long; tables still lay out within the width.
        soft_wrap=True,
    )


def render_packs(infos: Sequence[PackInfo], stream: IO[str]) -> None:
    """A table of installed packs."""
    from rich.table import Table  # noqa: PLC0415

    console = _console(stream)
    if not infos:
        console.print("No model packs are installed.")
        return
    table = Table(title="Installed model packs")
    for col in ("id", "distribution", "version", "package"):
        table.add_column(col)
    for info in infos:
        table.add_row(
            info.id,
            info.dist_name or "",
            info.dist_version or "",
            info.entry_point,
        )
    console.print(table)


def render_result(result: Result, stream: IO[str], *, lang: str) -> None:
    """The level-score table, per-node scores, the level and the trace."""
    _console(stream).print(result.view(lang))


def render_validation(
    outcomes: Sequence[dict[str, Any]], stream: IO[str]
) -> None:
    """One line per checked file, then its problems."""
    console = _console(stream)
    for entry in outcomes:
        if entry["valid"]:
            console.print(f"{entry['file']}: valid {entry['kind']}")
        else:
            console.print(f"{entry['file']}: invalid")
            console.print(entry["error"], markup=False)


def render_crosswalk(data: dict[str, Any], stream: IO[str]) -> None:
    """Both results side by side, then what was not carried."""
    from rich.table import Table  # noqa: PLC0415

    console = _console(stream)
    src, tgt = data["source"], data["target"]
    table = Table(title=f"Crosswalk {data['crosswalk']}", title_justify="left")
    table.add_column("")
    table.add_column(f"{src['pack']} {src['pack_version']}")
    table.add_column(f"{tgt['pack']} {tgt['pack_version']}")
    table.add_row("profile", src["profile"], tgt["profile"])
    table.add_row("rule", src["rule"], tgt["rule"])
    for k in src["level_scores"]:
        other = tgt["level_scores"].get(k)
        table.add_row(
            f"X{k}",
            decimal(Fraction(src["level_scores"][k])),
            decimal(Fraction(other)) if other is not None else "",
        )
    table.add_row("S", src["score_decimal"], tgt["score_decimal"])
    table.add_row("S exact", src["score"], tgt["score"])
    table.add_row("level", str(src["level"]), str(tgt["level"]))
    console.print(table)
    console.print(
        f"{data['carried']} ratings carried; "
        f"{tgt['unrated_scored_as_lowest']} target requirements unrated "
        "(scored as the lowest rating)"
    )
    if data["not_carried"]:
        console.print("Not carried:")
        for item in data["not_carried"]:
            console.print(
                f"  - [{item['side']}] {item['requirement']}: {item['reason']}"
            )


def render_group(data: dict[str, Any], stream: IO[str]) -> None:
    """A standard group's members and its floor level."""
    from rich.table import Table  # noqa: PLC0415

    console = _console(stream)
    title = f"Standard group {data['name']}"
    if data.get("organisation"):
        title += f" — {data['organisation']}"
    table = Table(title=title, title_justify="left")
    for col in ("standard", "kind", "core", "pack", "S", "level"):
        table.add_column(col)
    for m in data["members"]:
        table.add_row(
            m["code"],
            m["kind"],
            "yes" if m["core"] else "",
            m["pack"] or "",
            m.get("score", ""),
            str(m["level"]) if "level" in m else "not scored",
        )
    console.print(table)
    console.print(
        f"{data['scored']} of {data['standards']} standards scored; lowest "
        f"level {data['lowest_level']}"
    )
    for warning in data["warnings"]:
        console.print(f"warning: {warning}")
