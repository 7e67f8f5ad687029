"""Human-readable output for the command line (rich tables, no colour
unless writing to a terminal)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import IO, Any

from maturity_core import Node, PackInfo, Result
from maturity_core.io import decimal, exact


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


def _two(value: Any) -> str:
    return "" if value is None else decimal(value)


def _header(console: Any, result: Result, lang: str) -> None:
    pack = result.pack
    meta = result.assessment.metadata
    console.print(
        f"Pack:         {pack.id} {pack.version} — {pack.title.get(lang)}"
    )
    trust = "" if pack.trusted else " (untrusted: runs no pack code)"
    console.print(f"Source:       {pack.source}{trust}", markup=False)
    prof = pack.profiles[result.profile]
    console.print(f"Profile:      {prof.id} ({prof.name.get(lang)})")
    gate = "no gate" if result.gate is None else f"gate {decimal(result.gate)}"
    console.print(f"Rule:         {result.rule} ({gate})")
    if meta.organisation:
        console.print(f"Organisation: {meta.organisation}")
    if meta.date:
        console.print(f"Date:         {meta.date}")
    if result.tailored:
        console.print(
            "Tailored out: "
            + ", ".join(f"{t.node} ({t.reason})" for t in result.tailored)
        )


def render_result(  # noqa: C901 -- one table after another
    result: Result, stream: IO[str], *, lang: str = "zh"
) -> None:
    """The level-score table, per-node scores, the level and the trace."""
    from rich.table import Table  # noqa: PLC0415

    console = _console(stream)
    pack = result.pack
    _header(console, result, lang)

    levels = Table(title="Level scores", title_justify="left")
    levels.add_column("Level", justify="right")
    levels.add_column("Name")
    levels.add_column("X", justify="right")
    levels.add_column("Exact", justify="right")
    levels.add_column("Gate")
    levels.add_column("Counted")
    for lv, x in zip(pack.levels, result.level_scores, strict=True):
        levels.add_row(
            str(lv.number),
            lv.name.get(lang),
            decimal(x),
            exact(x),
            {None: "", True: "pass", False: "fail"}[
                result.semantics.passes(x)
            ],
            "yes" if lv.number <= result.counted_levels else "no",
        )
    console.print(levels)

    nodes = Table(title="Scores by node and level", title_justify="left")
    nodes.add_column("Node")
    for lv in pack.levels:
        nodes.add_column(f"L{lv.number}", justify="right")
    nodes.add_column("Total", justify="right")
    if pack.has_levels:
        nodes.add_column("Level", justify="right")

    def add(node: Node, depth: int) -> None:
        if node is not pack.root:
            if node.id not in result.nodes:
                return
            scores = result.nodes[node.id]
            own = [_two(result.node_totals.get(node.id))]
            if pack.has_levels:
                own.append(str(result.node_levels.get(node.id)))
            nodes.add_row(
                "  " * depth + node.name.get(lang),
                *(_two(scores.get(lv.number)) for lv in pack.levels),
                *own,
            )
        # A node whose only child is a leaf of the same name is shown once.
        if (
            len(node.children) == 1
            and node.children[0].name == node.name
            and node.children[0].is_leaf
        ):
            return
        for child in node.children:
            add(child, depth + (node is not pack.root))

    add(pack.root, 0)
    console.print(nodes)

    name = result.level_name
    reached = (
        "the pack has no level bands"
        if result.level is None
        else f"level {result.level}: {name.get(lang)}"
    )
    console.print(
        f"Score S = {decimal(result.score)} (exact {exact(result.score)}); "
        f"{reached}"
    )
    console.print("Trace:")
    for step in result.trace:
        console.print(f"  - {step.message}")
    for report in result.validators:
        console.print(f"Validator {report.name}: {report.status}")


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
