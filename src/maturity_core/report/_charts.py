"""
The report's charts: the radar chart (matplotlib, the ``report`` extra)
and the colours of the heat map (plain HTML, no extra).
"""

from __future__ import annotations

import contextlib
import io
import math
import warnings
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

from maturity_core._format import decimal
from maturity_core._model import Pack
from maturity_core.exceptions import MaturityCoreError

from ._fonts import cjk_font as _cjk_font
from ._messages import message
from ._report import Report


def heat_colour(value: Fraction) -> str:
    """
    The background of a heat map cell for a score in [0, 1]: a light
    colour from red (0) through yellow to green (1), dark text readable
    on every one of them.
    """
    share = min(max(value, Fraction(0)), Fraction(1))
    hue = round(120 * share)
    return f"hsl({hue},70%,78%)"


def radar_png(report: Report) -> bytes:
    """
    The radar chart of the charted tier's scores per level as PNG bytes:
    one polygon per level, the gate as a dashed ring, the legend below
    the plot (CJK labels rendered with Noto Sans CJK).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.3.0 The gate ring; the legend outside the plot.
    """
    return _png(
        _radar_figure(
            report.result.pack,
            [(name, scores) for _, name, scores in report.charted],
            title=message("radar", report.lang, tier=report.chart_tier),
            lang=report.lang,
            gate=report.gate,
        )
    )


def population_radar_png(
    pack: Pack,
    summary: Any,
    *,
    depth: int | None = None,
    lang: str | None = None,
    title: str | None = None,
) -> bytes:
    """
    A population radar: the mean score of every node at *depth* (the
    pack's charted tier by default) at each level, from
    :func:`summarise_population` (given the ratings codes).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 *depth* replaces *kind*.
    """
    lang = lang or pack.language
    depth = depth or pack.chart_depth
    series = [
        (
            pack.nodes[node].name.get(lang),
            {level: dist.mean for level, dist in dists.items()},
        )
        for node, dists in summary.nodes.items()
        if pack.depths[node] == depth
    ]
    tier = pack.tier(depth).name.get(lang)
    if not series:
        msg = (
            f"the summary has no {tier} scores (depth {depth}); summarise "
            "the population with its codes (summarise_population(batch, "
            "codes))"
        )
        raise ValueError(msg)
    default = message("population_radar", lang, tier=tier)
    return _png(_radar_figure(pack, series, title=title or default, lang=lang))


def _pyplot() -> Any:
    try:
        import matplotlib as mpl  # noqa: PLC0415

        mpl.use("Agg")
        import matplotlib.pyplot as plt  # noqa: PLC0415
    except ImportError:  # pragma: no cover -- exercised without the extra
        msg = "reports need pip install 'maturity-core[report]'"
        raise MaturityCoreError(msg) from None
    return plt


@contextlib.contextmanager
def _drawing() -> Iterator[None]:
    """
    Names and titles are text, never mathtext ("$" is a dollar sign); a
    character the font lacks is drawn as a box, and the report's text
    shows it, so matplotlib's warning about it is left out.
    """
    import matplotlib as mpl  # noqa: PLC0415

    with (
        mpl.rc_context({"text.parse_math": False}),
        warnings.catch_warnings(),
    ):
        warnings.filterwarnings("ignore", "Glyph .* missing from font")
        yield


def _png(fig: Any) -> bytes:
    plt = _pyplot()
    try:
        with _drawing():
            buf = io.BytesIO()
            fig.savefig(buf, format="png", bbox_inches="tight")
    finally:
        plt.close(fig)
    return buf.getvalue()


def _radar_figure(
    pack: Pack,
    series: list[tuple[str, dict[int, Fraction]]],
    *,
    title: str,
    lang: str,
    gate: Fraction | None = None,
) -> Any:
    """
    The radar as a matplotlib figure (the caller closes it).  The spoke
    labels sit outside the outer ring, the ring labels between the first
    two spokes, and the legend below the plot, so no two overlap.
    """
    plt = _pyplot()
    font = _cjk_font()
    names = [name for name, _ in series]
    n = max(len(names), 3)
    angles = [2 * math.pi * i / n for i in range(n)]
    with _drawing():
        fig = plt.figure(figsize=(7, 7.8), dpi=100)
        ax = fig.add_axes((0.14, 0.2, 0.72, 0.66), projection="polar")
        for level in pack.levels:
            values = [
                float(scores.get(level.number, Fraction(0)))
                for _, scores in series
            ]
            values += [0.0] * (n - len(values))
            ax.plot(
                [*angles, angles[0]],
                [*values, values[0]],
                linewidth=1.5,
                label=level.name.get(lang),
            )
            ax.fill([*angles, angles[0]], [*values, values[0]], alpha=0.08)
        if gate is not None:
            ring = [i * 2 * math.pi / 180 for i in range(181)]
            ax.plot(
                ring,
                [float(gate)] * len(ring),
                linestyle="--",
                linewidth=1.2,
                color="#555555",
                label=message("radar.gate", lang, gate=decimal(gate)),
            )
        ax.set_xticks(angles)
        ax.set_xticklabels(
            names + [""] * (n - len(names)), fontproperties=font
        )
        ax.tick_params(axis="x", pad=12)
        ax.set_ylim(0, 1)
        ax.set_yticks([0.2, 0.4, 0.6, 0.8, 1.0])
        ax.set_yticklabels(
            ["0.2", "0.4", "0.6", "0.8", "1.0"], fontsize="x-small"
        )
        # The ring labels run along the ray halfway between the first two
        # spokes, where no spoke label is.
        ax.set_rlabel_position(180 / n)
        fig.suptitle(title, fontproperties=font, y=0.98)
        entries = len(pack.levels) + (gate is not None)
        fig.legend(
            loc="lower center",
            bbox_to_anchor=(0.5, 0.01),
            ncol=min(entries, 3),
            prop=font,
            frameon=False,
        )
    return fig
