"""
Population analytics and weight sensitivity, all exact.

Population figures (means, quantiles, level shares) come from the exact
numerators of :func:`score_many`; quantiles are order statistics (the
nearest-rank method), so every figure is an exact fraction.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs
import numpy as np

from ._batch import (
    CHUNK_ROWS,
    NA_CODE,
    BatchResult,
    CompiledModel,
    _check_rows,
    _decode,
    _form_numerators,
    _values,
)


QUANTILES = (
    Fraction(1, 10),
    Fraction(1, 4),
    Fraction(1, 2),
    Fraction(3, 4),
    Fraction(9, 10),
)


def _nearest_rank(sorted_values: Sequence[int], q: Fraction) -> int:
    """The nearest-rank q-quantile of ascending *sorted_values*."""
    n = len(sorted_values)
    rank = max(1, -(-q.numerator * n // q.denominator))
    return sorted_values[min(rank, n) - 1]


@attrs.frozen
class Distribution:
    """
    Exact mean and quantiles of one figure over a population.

    .. versionadded:: 0.1.0
    """

    mean: Fraction
    quantiles: Mapping[Fraction, Fraction]
    count: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (exact strings)."""
        return {
            "mean": str(self.mean),
            "count": self.count,
            "quantiles": {str(q): str(v) for q, v in self.quantiles.items()},
        }


def _distribution(numerators: Any, denominator: int) -> Distribution:
    values = sorted(int(v) for v in numerators)
    if not values:
        return Distribution(Fraction(0), {}, 0)
    return Distribution(
        mean=Fraction(sum(values), denominator * len(values)),
        quantiles={
            q: Fraction(_nearest_rank(values, q), denominator)
            for q in QUANTILES
        },
        count=len(values),
    )


@attrs.frozen
class NodeScores:
    """
    Exact scores of some nodes at every level for every row.

    ``numerators[node][i, j] / denominators[node]`` is the score of *node*
    at level ``levels[j]`` for row *i*; ``present[node][j]`` says whether
    the node has anything scorable at that level.

    .. versionadded:: 0.1.0
    """

    levels: tuple[int, ...]
    numerators: Mapping[str, Any]
    denominators: Mapping[str, int]
    present: Mapping[str, tuple[bool, ...]]

    def score(self, node: str, row: int, level: int) -> Fraction | None:
        """One node's exact score (None if absent at that level)."""
        j = self.levels.index(level)
        value = int(self.numerators[node][row, j])
        if value < 0:
            return None
        return Fraction(value, self.denominators[node])


def node_scores(
    model: CompiledModel,
    codes: Any,
    nodes: Sequence[str],
    *,
    unrated: str = "error",
) -> NodeScores:
    """
    Score *nodes* exactly for every row of *codes*, by the same semantics
    as :func:`maturity_core.score` (rows with ``na`` under the weighted
    mean are evaluated one by one).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 Every row, with any aggregation.
    """
    levels = model.levels
    codes = np.asarray(codes, dtype=np.int8)
    sem = model.semantics
    nums: dict[str, Any] = {}
    dens: dict[str, int] = {}
    present: dict[str, tuple[bool, ...]] = {}
    slow: dict[int, Mapping[str, Mapping[int, Fraction]]] = {}
    forms = {node: model.node_form(node) for node in nodes}
    for node, form in forms.items():
        nums[node] = np.full((codes.shape[0], len(levels)), -1, np.int64)
        dens[node] = form.denominator
    for start in range(0, codes.shape[0], CHUNK_ROWS):
        chunk = codes[start : start + CHUNK_ROWS]
        _check_rows(model, chunk, unrated, start)
        na = chunk == NA_CODE
        values = _values(model, chunk, unrated)
        special = np.zeros(len(chunk), dtype=bool)
        for node, form in forms.items():
            if form.kind == "rows":
                special[:] = True
                continue
            x, bad = _form_numerators(form, values, na)
            if form.kind == "linear":
                absent = ~np.array(form.present, dtype=bool)
                x[:, absent] = -1
            special |= bad
            nums[node][start : start + len(chunk)] = x
        for i in np.flatnonzero(special).tolist():
            ev = sem.evaluate(_decode(model, chunk[i]), unrated=unrated)
            slow[start + i] = ev.nodes
    for node in nodes:
        exact_values = [
            v
            for ev_nodes in slow.values()
            for v in ev_nodes.get(node, {}).values()
        ]
        common = math.lcm(dens[node], *(v.denominator for v in exact_values))
        arr = nums[node]
        if common != dens[node]:
            factor = common // dens[node]
            arr = np.where(arr >= 0, arr * factor, -1)
        for row, ev_nodes in slow.items():
            scores = ev_nodes.get(node, {})
            arr[row] = [
                int(scores[k] * common) if k in scores else -1 for k in levels
            ]
        nums[node] = arr
        dens[node] = common
        present[node] = tuple(
            bool((arr[:, j] >= 0).any()) for j in range(len(levels))
        )
    return NodeScores(levels, nums, dens, present)


@attrs.frozen
class NodeTotals:
    """
    Each node's own total and level for every row: the level rule
    applied to the node's level scores, and the band it reaches.

    ``numerators[node][i] / denominators[node]`` is the total of *node*
    in row *i*; ``levels[node][i]`` its level (-1 for a pack without
    bands).

    .. versionadded:: 0.2.0
    """

    numerators: Mapping[str, Any]
    denominators: Mapping[str, int]
    levels: Mapping[str, Any]

    def total(self, node: str, row: int) -> Fraction:
        """One node's total, exact."""
        return Fraction(
            int(self.numerators[node][row]), self.denominators[node]
        )


def node_totals(
    model: CompiledModel,
    codes: Any,
    nodes: Sequence[str] | None = None,
    *,
    unrated: str = "error",
) -> NodeTotals:
    """
    The total and level of *nodes* (every in-scope node by default) for
    every row of *codes*, as :attr:`Result.node_totals` and
    :attr:`Result.node_levels` give them for one assessment.

    .. versionadded:: 0.2.0
    """
    sem = model.semantics
    if nodes is None:
        nodes = [
            n.id
            for n in model.pack.root.walk()
            if n.id in sem.scope and model.pack.depths[n.id] > 0
        ]
    if sem.rule.sees_nodes:
        return _node_totals_by_row(model, codes, nodes, unrated)
    scores = node_scores(model, codes, nodes, unrated=unrated)
    nums: dict[str, Any] = {}
    dens: dict[str, int] = {}
    levels: dict[str, Any] = {}
    vector = sem.rule.vector_fold
    for node in nodes:
        den = scores.denominators[node]
        x = np.maximum(scores.numerators[node], 0)  # absent levels: 0
        if vector is not None:
            gate = None if sem.gate is None else int(sem.gate * den)
            s, _ = vector(np, x, gate, den)
            s = np.asarray(s, dtype=np.int64)
        else:
            totals = []
            for i in range(x.shape[0]):
                xs = tuple(Fraction(int(v), den) for v in x[i])
                totals.append(sem.fold(xs).score)
            den = math.lcm(den, *(t.denominator for t in totals))
            s = np.array([int(t * den) for t in totals], dtype=np.int64)
        nums[node] = s
        dens[node] = den
        levels[node] = sem.band_vector(np, s, den)
    return NodeTotals(nums, dens, levels)


def _node_totals_by_row(
    model: CompiledModel, codes: Any, nodes: Sequence[str], unrated: str
) -> NodeTotals:
    """Node totals of a rule that reads node scores: row by row."""
    sem = model.semantics
    codes = np.asarray(codes, dtype=np.int8)
    _check_rows(model, codes, unrated, 0)
    rows = []
    for i in range(codes.shape[0]):
        ev = sem.evaluate(_decode(model, codes[i]), unrated=unrated)
        rows.append(sem.node_totals(ev.nodes)[0])
    nums: dict[str, Any] = {}
    dens: dict[str, int] = {}
    levels: dict[str, Any] = {}
    for node in nodes:
        totals = [row[node] for row in rows]
        den = math.lcm(1, *(t.denominator for t in totals))
        s = np.array([int(t * den) for t in totals], dtype=np.int64)
        nums[node], dens[node] = s, den
        levels[node] = sem.band_vector(np, s, den)
    return NodeTotals(nums, dens, levels)


@attrs.frozen
class PopulationSummary:
    """
    A population at a glance: level counts and shares, S and X_k
    distributions, and per-node distributions per level.

    .. versionadded:: 0.1.0
    """

    size: int
    level_counts: Mapping[int, int]
    score: Distribution
    level_scores: Mapping[int, Distribution]
    nodes: Mapping[str, Mapping[int, Distribution]]

    @property
    def level_shares(self) -> dict[int, Fraction]:
        """Share of the population at each level, exact."""
        return {
            k: Fraction(v, self.size) for k, v in self.level_counts.items()
        }

    def weakest(self, level: int, n: int = 5) -> list[tuple[str, Fraction]]:
        """The *n* nodes with the lowest mean score at *level*."""
        means = [
            (node, dists[level].mean)
            for node, dists in self.nodes.items()
            if level in dists
        ]
        return sorted(means, key=lambda t: (t[1], t[0]))[:n]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (exact strings)."""
        return {
            "size": self.size,
            "level_counts": {str(k): v for k, v in self.level_counts.items()},
            "level_shares": {
                str(k): str(v) for k, v in self.level_shares.items()
            },
            "score": self.score.to_dict(),
            "level_scores": {
                str(k): d.to_dict() for k, d in self.level_scores.items()
            },
            "nodes": {
                node: {str(k): d.to_dict() for k, d in dists.items()}
                for node, dists in self.nodes.items()
            },
        }


def _mixed(
    np: Any, numerators: Any, fast: Any, den: int, exact: Sequence[Fraction]
) -> Distribution:
    """The distribution of the *fast* rows' numerators and *exact* values."""
    common = math.lcm(den, *(v.denominator for v in exact))
    factor = common // den
    nums = [int(v) * factor for v in np.asarray(numerators)[fast]]
    nums += [int(v * common) for v in exact]
    return _distribution(nums, common)


def summarise_population(
    result: BatchResult,
    codes: Any | None = None,
    *,
    depths: Sequence[int] | None = None,
    unrated: str = "error",
) -> PopulationSummary:
    """
    Summarise a scored population: level distribution, S and X_k means
    and quantiles, and (given the *codes* that were scored) per-node means
    and quantiles for the in-scope nodes at *depths* (every depth by
    default; 1 = the top-level nodes).

    Every row counts, those scored one by one (``na``) included; a node
    absent from a row at a level is left out of that level's figures.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``depths`` replaces ``node_kinds``; rows
       with ``na`` count in every figure.
    """
    model = result.model
    den = model.denominator
    fast = np.ones(len(result), dtype=bool)
    for i in result.exact_rows:
        fast[i] = False
    exact_rows = [result.exact_rows[i] for i in sorted(result.exact_rows)]
    score = _mixed(
        np, result.score_numerators, fast, den, [r[1] for r in exact_rows]
    )
    level_scores = {
        k: _mixed(
            np,
            result.level_numerators[:, j],
            fast,
            den,
            [r[0][j] for r in exact_rows],
        )
        for j, k in enumerate(model.levels)
    }
    counts: dict[int, int] = {}
    if model.pack.has_levels:
        values, tally = np.unique(result.levels, return_counts=True)
        counts = {int(k): int(c) for k, c in zip(values, tally, strict=True)}
    nodes: dict[str, dict[int, Distribution]] = {}
    if codes is not None:
        pack = model.pack
        wanted = [
            n.id
            for n in pack.root.walk()
            if n.id in model.semantics.scope
            and n.id in pack.depths
            and pack.depths[n.id] > 0
            and (depths is None or pack.depths[n.id] in depths)
        ]
        ns = node_scores(model, codes, wanted, unrated=unrated)
        for node in wanted:
            arr = ns.numerators[node]
            nodes[node] = {
                k: _distribution(
                    arr[:, j][arr[:, j] >= 0], ns.denominators[node]
                )
                for j, k in enumerate(ns.levels)
                if ns.present[node][j]
            }
    return PopulationSummary(
        size=len(result),
        level_counts=counts,
        score=score,
        level_scores=level_scores,
        nodes=nodes,
    )


# ---------------------------------------------------------------------------
# Sensitivity
