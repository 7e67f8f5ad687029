"""
Population summaries of a ratings file, overall and per group.

A population file is the input of :func:`score_file`: key columns, then
one column per in-scope requirement holding rating ids.  It is scored
exactly and summarised with :func:`summarise_population`; a grouping
column (any key column, such as a region or an industry) gives one
summary per value besides the overall one.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from maturity_core import _files
from maturity_core._format import decimal, exact
from maturity_core.exceptions import InputError

from ._batch import CompiledModel, encode_frame, score_many
from ._batchio import _shift_rows, iter_chunks
from ._population import PopulationSummary, summarise_population


#: Rows read at a time.
CHUNK_ROWS = 65_536
#: Weakest nodes listed per level.
WEAKEST = 5


@attrs.frozen
class GroupSummary:
    """
    The summary of the rows whose *column* holds *value* (``None``: the
    cell is empty).

    .. versionadded:: 0.2.0
    """

    column: str
    value: str | None
    summary: PopulationSummary


@attrs.frozen(eq=False)
class FileSummary:
    """
    What :func:`summarise_file` found: the overall summary and one per
    value of each grouping column.

    .. versionadded:: 0.2.0
    """

    source: str
    model: CompiledModel
    overall: PopulationSummary
    by: tuple[str, ...] = ()
    groups: tuple[GroupSummary, ...] = ()
    weakest_count: int = WEAKEST

    def weakest(
        self, summary: PopulationSummary | None = None
    ) -> dict[int, list[tuple[str, Fraction]]]:
        """
        Per level, the leaves (the nodes holding requirements) with the
        lowest mean score, lowest first.
        """
        summary = summary or self.overall
        nodes = self.model.pack.nodes
        out = {}
        for k in self.model.levels:
            means = sorted(
                (dists[k].mean, node)
                for node, dists in summary.nodes.items()
                if k in dists and nodes[node].is_leaf
            )
            if means:
                out[k] = [(n, m) for m, n in means[: self.weakest_count]]
        return out

    def _part(self, summary: PopulationSummary) -> dict[str, Any]:
        data = summary.to_dict()
        data["weakest"] = {
            str(k): [{"node": node, "mean": exact(m)} for node, m in nodes]
            for k, nodes in self.weakest(summary).items()
        }
        return data

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: every figure an exact string."""
        pack = self.model.pack
        return {
            "format": 1,
            "source": self.source,
            "pack": pack.id,
            "pack_version": pack.version,
            "profile": self.model.profile.id,
            "rule": self.model.rule,
            "overall": self._part(self.overall),
            "by": list(self.by),
            "groups": [
                {
                    "column": g.column,
                    "value": g.value,
                    "summary": self._part(g.summary),
                }
                for g in self.groups
            ],
        }

    def to_markdown(self, lang: str | None = None) -> str:
        """A readable summary (decimals truncated, never rounded up)."""
        pack = self.model.pack
        lang = lang or pack.language
        levels = [0, *self.model.levels] if pack.has_levels else []
        lines = [
            f"# Population summary: {self.source}",
            "",
            (
                f"{self.overall.size} assessments, pack {pack.id} "
                f"{pack.version}, profile {self.model.profile.id}, rule "
                f"{self.model.rule}."
            ),
            "",
        ]
        lines += _levels_table(self.overall, levels)
        lines += _scores_table(self.overall, self.model.levels)
        lines += _nodes_table(self.overall, pack, lang, self.model.levels)
        weakest = self.weakest()
        if weakest:
            lines += ["## Weakest leaves (lowest mean score)", ""]
            for k, nodes in weakest.items():
                names = "; ".join(
                    f"{pack.nodes[n].name.get(lang)} ({n}) {decimal(m, 3)}"
                    for n, m in nodes
                )
                lines.append(f"- level {k}: {names}")
            lines.append("")
        for column in self.by:
            groups = [g for g in self.groups if g.column == column]
            lines += [f"## By {column}", ""]
            head = ["value", "rows", "mean S", "median S"]
            head += [f"level {k}" for k in levels]
            lines += [_row(head), _row(["---"] * len(head))]
            for g in groups:
                s = g.summary
                cells = [
                    "(empty)" if g.value is None else g.value,
                    str(s.size),
                    decimal(s.score.mean, 3),
                    decimal(s.score.quantiles[Fraction(1, 2)], 3),
                ]
                shares = s.level_shares
                cells += [_percent(shares.get(k, Fraction(0))) for k in levels]
                lines.append(_row(cells))
            lines.append("")
        return "\n".join(lines)


def _row(cells: Sequence[str]) -> str:
    text = [c.replace("|", "\\|") for c in cells]
    return "| " + " | ".join(text) + " |"


def _percent(share: Fraction) -> str:
    return f"{decimal(share * 100, 1)} %"


def _levels_table(
    summary: PopulationSummary, levels: Sequence[int]
) -> list[str]:
    if not levels:
        return []
    lines = ["## Levels", "", _row(["level", "count", "share"])]
    lines.append(_row(["---"] * 3))
    shares = summary.level_shares
    for k in levels:
        count = summary.level_counts.get(k, 0)
        share = shares.get(k, Fraction(0))
        lines.append(_row([str(k), str(count), _percent(share)]))
    return [*lines, ""]


def _scores_table(
    summary: PopulationSummary, levels: Sequence[int]
) -> list[str]:
    quantiles = list(summary.score.quantiles)
    head = ["figure", "mean", *(f"q{decimal(q, 2)}" for q in quantiles)]
    lines = ["## Scores", "", _row(head), _row(["---"] * len(head))]
    figures = [("S", summary.score)] + [
        (f"X{k}", summary.level_scores[k]) for k in levels
    ]
    for name, dist in figures:
        cells = [name, decimal(dist.mean, 3)]
        cells += [decimal(dist.quantiles[q], 3) for q in quantiles]
        lines.append(_row(cells))
    return [*lines, ""]


def _nodes_table(
    summary: PopulationSummary,
    pack: Any,
    lang: str,
    levels: Sequence[int],
) -> list[str]:
    """Mean score per level of the nodes of the pack's charted tier."""
    depth = pack.chart_depth
    rows = [
        (node, dists)
        for node, dists in summary.nodes.items()
        if pack.depths[node] == depth
    ]
    if not rows:
        return []
    tier = pack.tier(depth).name.get(lang)
    head = [tier, *(f"X{k} mean" for k in levels)]
    lines = [f"## {tier}: mean score per level", ""]
    lines += [_row(head), _row(["---"] * len(head))]
    for node, dists in rows:
        cells = [pack.nodes[node].name.get(lang)]
        cells += [
            decimal(dists[k].mean, 3) if k in dists else "—" for k in levels
        ]
        lines.append(_row(cells))
    return [*lines, ""]


def _read(
    model: CompiledModel,
    source: Path,
    keys: Sequence[str],
    chunk_rows: int,
) -> tuple[Any, Any]:
    """The whole file's codes matrix and its key columns (a DataFrame)."""
    import pandas as pd  # noqa: PLC0415

    codes, frames = [], []
    offset = 0
    for batch in iter_chunks(source, chunk_rows, keys=keys):
        frame = batch.to_pandas()
        names = [str(c) for c in frame.columns]
        absent = [k for k in keys if k not in names]
        if absent:
            others = [c for c in names if c not in model.column_index()]
            msg = (
                f"no column {absent[0]!r} to group by or keep; the file's "
                f"columns other than requirement ids: "
                f"{', '.join(others) or 'none'}"
            )
            raise InputError(str(source), "$.columns", msg)
        try:
            chunk, key_frame = encode_frame(model, frame, keys=keys)
        except Exception as e:
            _shift_rows(e, offset, source)
            raise
        codes.append(chunk)
        if key_frame is None:
            key_frame = pd.DataFrame(index=frame.index)
        frames.append(key_frame)
        offset += len(frame)
    if not offset:
        msg = "the file has no rows; a population needs at least one"
        raise InputError(str(source), "$", msg)
    return np.concatenate(codes), pd.concat(frames, ignore_index=True)


def summarise_file(  # noqa: PLR0913 -- options of the CLI command
    model: CompiledModel,
    source: Path,
    *,
    keys: Sequence[str] = (),
    by: Sequence[str] = (),
    depths: Sequence[int] | None = None,
    unrated: str = "error",
    chunk_rows: int = CHUNK_ROWS,
) -> FileSummary:
    """
    Score every row of the population file *source* (Parquet or CSV:
    key columns and one column per in-scope requirement with rating
    ids) and summarise it exactly, overall and per value of each *by*
    column.

    *keys* names the file's other columns (a column that is neither a
    key nor an in-scope requirement is an error); the *by* columns are
    keys too.  The whole ratings matrix is held in memory (one byte per
    rating).

    Raises:
        InputError: If the file is empty, or a *by* column is missing.
        AssessmentError: For an unknown column or a rating outside the
            rubric, with its row and column.

    .. versionadded:: 0.2.0
    """
    source = Path(source)
    every_key = list(dict.fromkeys([*keys, *by]))
    _files.note_input(source)
    codes, key_frame = _read(model, source, every_key, chunk_rows)
    overall = summarise_population(
        score_many(model, codes, unrated=unrated),
        codes,
        depths=depths,
        unrated=unrated,
    )
    groups = []
    for column in dict.fromkeys(by):
        text = key_frame[column].map(str, na_action="ignore")
        empty = text.isna().to_numpy(dtype=bool)
        labels = sorted(set(text[~empty]))
        for label in [*labels, *([None] if empty.any() else [])]:
            mask = (
                empty
                if label is None
                else (text == label).to_numpy(dtype=bool, na_value=False)
            )
            rows = codes[np.flatnonzero(mask)]
            groups.append(
                GroupSummary(
                    column,
                    label,
                    summarise_population(
                        score_many(model, rows, unrated=unrated),
                        rows,
                        depths=depths,
                        unrated=unrated,
                    ),
                )
            )
    return FileSummary(
        source=str(source),
        model=model,
        overall=overall,
        by=tuple(dict.fromkeys(by)),
        groups=tuple(groups),
    )
