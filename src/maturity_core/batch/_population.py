"""
Population analytics and weight sensitivity, all exact.

Population figures (means, quantiles, level shares) come from the exact
numerators of :func:`score_many`; quantiles are order statistics (the
nearest-rank method), so every figure is an exact fraction.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs

from maturity_core._model import Pack
from maturity_core._scoring import Result
from maturity_core._semantics import Semantics, ratings_of

from ._batch import (
    CHUNK_ROWS,
    NA_CODE,
    BatchResult,
    CompiledModel,
    _check_rows,
    _decode,
    _form_numerators,
    _numpy,
    _values,
    compile_model,
    score_many,
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
    np = _numpy()
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
    np = _numpy()
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
    np = _numpy()
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
    np = _numpy()
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


def _x_at(
    pack: Pack, result: Result, node: str, delta: Fraction
) -> tuple[Fraction, ...]:
    """X_1..X_N of *result*'s assessment with *node*'s weight moved by δ."""
    profile = pack.profiles[result.profile]
    parent = pack.parents[node]
    w = profile.weights[node]
    weights = dict(profile.weights)
    weights[node] = w + delta
    for child in pack.nodes[parent].children:
        if child.id != node and child.id in weights:
            weights[child.id] = (
                profile.weights[child.id] * (1 - w - delta) / (1 - w)
            )
    prof = attrs.evolve(profile, weights=weights)
    sem = result.semantics.with_profile(prof)
    return sem.evaluate(
        ratings_of(result.assessment), unrated="none"
    ).level_scores


def _fit(
    points: Sequence[tuple[Fraction, Fraction]],
) -> tuple[Fraction, Fraction, Fraction]:
    """(a, b, d) with f(δ) = (a + bδ) / (1 + dδ) through three points."""
    (x0, y0), (x1, y1), (x2, y2) = points
    slope = (y1 - y0) / (x1 - x0)
    if y2 - y0 == slope * (x2 - x0):
        return y0 - slope * x0, slope, Fraction(0)
    # f · (1 + dδ) = a + bδ  ⇔  a + bδ − f·δ·d = f: linear in (a, b, d).
    m = [[Fraction(1), x, -y * x, y] for x, y in points]
    for col in range(3):
        pivot = next(r for r in range(col, 3) if m[r][col] != 0)
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(3):
            if r != col and m[r][col] != 0:
                f = m[r][col] / m[col][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[col], strict=True)]
    return m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2]


@attrs.frozen
class WeightSensitivity:
    """
    How far one weight can move before the level changes.

    The weight of ``node`` becomes ``weight + δ`` and its siblings are
    scaled so the group still sums to 1.  ``down`` and ``up`` are the
    smallest ``|δ|`` at which the level differs from the current one (the
    level reached there in ``level_down`` / ``level_up``), or ``None`` if
    it never changes within [0, 1].  ``exact`` is false only when ``na``
    ratings make S non-linear in δ and a crossing was found by bisection
    to 2**-64.

    .. versionadded:: 0.1.0
    """

    node: str
    weight: Fraction
    down: Fraction | None
    up: Fraction | None
    level_down: int | None
    level_up: int | None
    exact: bool = True

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (exact strings)."""

        def text(v: Fraction | None) -> str | None:
            return None if v is None else str(v)

        return {
            "node": self.node,
            "weight": str(self.weight),
            "down": text(self.down),
            "up": text(self.up),
            "level_down": self.level_down,
            "level_up": self.level_up,
            "exact": self.exact,
        }


def weight_sensitivity(pack: Pack, result: Result) -> list[WeightSensitivity]:
    """
    For every weight of *result*'s profile (of a node with in-scope
    siblings), how far it can move down and up before the level changes.

    Each X_k is a ratio of linear functions of δ, fitted exactly from
    three evaluations; the level can change only where some X_k meets the
    gate or S meets a band bound, so those points (and the open intervals
    between them) are checked exactly.

    .. versionadded:: 0.1.0
    """
    profile = pack.profiles[result.profile]
    sem = result.semantics
    if not sem.aggregation.uses_weights or not pack.has_levels:
        # No weight moves the level: weights are unused, or there are no
        # levels to change.
        return []
    out = []
    for node, w in profile.weights.items():
        if node not in result.nodes:
            continue
        parent = pack.parents[node]
        siblings = [c.id for c in pack.nodes[parent].children]
        if sum(c in result.nodes for c in siblings) < 2:
            continue
        down = _first_change(pack, result, node, -w)
        up = _first_change(pack, result, node, 1 - w)
        out.append(
            WeightSensitivity(
                node=node,
                weight=w,
                down=-down[0] if down else None,
                up=up[0] if up else None,
                level_down=down[1] if down else None,
                level_up=up[1] if up else None,
                exact=(down[2] if down else True) and (up[2] if up else True),
            )
        )
    return out


def _level(
    sem: Semantics, xs: Sequence[Fraction]
) -> tuple[Fraction, int | None]:
    s = sem.fold(xs).score
    return s, sem.band(s)[0]


def _first_change(  # noqa: C901, PLR0912 -- one exact search, in order
    pack: Pack, result: Result, node: str, limit: Fraction
) -> tuple[Fraction, int | None, bool] | None:
    if limit == 0:
        return None
    sem = result.semantics
    # Presence is fixed on the open interval (0, limit), where every X_k
    # is a ratio of linear functions of δ; at its ends a weight may reach
    # 0 and a node drop out, so the ends are evaluated, never fitted.
    probes = (limit / 4, limit / 2, 3 * limit / 4)
    xs = [_x_at(pack, result, node, d) for d in probes]
    forms = [
        _fit([(probes[i], xs[i][k]) for i in range(3)])
        for k in range(len(result.level_scores))
    ]
    linear = all(d == 0 for _, _, d in forms)

    def x_of(delta: Fraction) -> tuple[Fraction, ...]:
        return tuple((a + b * delta) / (1 + d * delta) for a, b, d in forms)

    def inside(c: Fraction) -> bool:
        return 0 < c / limit <= 1

    gate = sem.gate
    cuts = {limit}
    for a, b, d in forms:
        if gate is not None and b - gate * d != 0:
            cuts.add((gate - a) / (b - gate * d))
    ordered = sorted((c for c in cuts if inside(c)), key=abs)
    candidates = set(ordered)
    bounds = list(sem.band_minimums)
    exact = True
    previous = Fraction(0)
    for c in ordered:
        # On the open piece (previous, c) the counted levels are fixed.
        lo_s, _ = _level(
            sem, x_of(previous + (c - previous) / 3)
        )
        hi_s, _ = _level(
            sem, x_of(previous + 2 * (c - previous) / 3)
        )
        for bound in bounds:
            if linear:
                if hi_s != lo_s:
                    step = (c - previous) / 3
                    t = previous + step + (bound - lo_s) * step / (hi_s - lo_s)
                    if inside(t):
                        candidates.add(t)
            else:
                found = _bisect(
                    sem,
                    x_of=x_of,
                    lo=previous,
                    hi=c,
                    bound=bound,
                )
                if found is not None:
                    candidates.add(found)
                    exact = False
        previous = c
    points = sorted(candidates, key=abs)
    previous = Fraction(0)
    for c in points:
        for probe in ((previous + c) / 2, c):
            _, level = _level(
                sem, _x_at(pack, result, node, probe)
            )
            if level != result.level:
                return (probe if probe == c else previous), level, exact
        previous = c
    return None


def _bisect(
    sem: Semantics,
    *,
    x_of: Any,
    lo: Fraction,
    hi: Fraction,
    bound: Fraction,
) -> Fraction | None:
    """A δ in (lo, hi) where S crosses *bound* (to 2**-64), if it does."""
    s_lo, _ = _level(sem, x_of(lo + (hi - lo) / 1000))
    s_hi, _ = _level(sem, x_of(hi - (hi - lo) / 1000))
    if (s_lo >= bound) == (s_hi >= bound):
        return None
    a, b = lo, hi
    while abs(b - a) > Fraction(1, 2**64):
        mid = (a + b) / 2
        s_mid, _ = _level(sem, x_of(mid))
        if (s_mid >= bound) == (s_lo >= bound):
            a = mid
        else:
            b = mid
    return b


#: Perturbed weights are rounded to multiples of 1/GRID (summing to 1 in
#: each sibling group) so the batch denominators stay within int64.
GRID = 10_000


def _grid(
    raw: Mapping[str, Fraction], kids: Sequence[str], grid: int
) -> dict[str, Fraction]:
    """*kids*' weights renormalised and rounded to 1/grid, summing to 1."""
    total = sum((raw[k] for k in kids), Fraction(0))
    if not kids or total == 0:
        return {k: Fraction(0) for k in kids}
    exact = [raw[k] / total * grid for k in kids]
    floors = [int(x) for x in exact]
    # Largest remainder: hand the missing units to the largest fractions.
    order = sorted(
        range(len(kids)), key=lambda i: exact[i] - floors[i], reverse=True
    )
    for i in order[: grid - sum(floors)]:
        floors[i] += 1
    return {k: Fraction(f, grid) for k, f in zip(kids, floors, strict=True)}


def perturbation_study(
    model: CompiledModel,
    codes: Any,
    *,
    spread: Fraction = Fraction(1, 10),
    trials: int = 20,
    seed: int = 0,
) -> Fraction:
    """
    The share of (assessment, trial) pairs whose level changes when every
    weight is multiplied by a random factor in [1 − spread, 1 + spread]
    (drawn on a grid of 1/1000), each sibling group renormalised and the
    weights rounded to multiples of 1/GRID.

    .. versionadded:: 0.1.0
    """
    np = _numpy()
    base = score_many(model, codes).levels
    rng = random.Random(seed)  # noqa: S311 -- a study, not cryptography
    changed = 0
    steps = 1000
    for _ in range(trials):
        raw = {
            node: w
            * (1 + spread * Fraction(rng.randint(-steps, steps), steps))
            for node, w in model.profile.weights.items()
        }
        weights: dict[str, Fraction] = {}
        for node in model.pack.root.walk():
            kids = [c.id for c in node.children if c.id in raw]
            weights.update(_grid(raw, kids, GRID))
        perturbed = compile_model(
            model.pack,
            model.profile.id,
            rule=model.rule,
            tailoring=model.tailoring,
            weights=weights,
        )
        changed += int(
            np.count_nonzero(score_many(perturbed, codes).levels != base)
        )
    return Fraction(changed, trials * len(base))
