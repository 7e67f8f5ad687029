"""
Weight sensitivity: how far one weight can move before the level changes
(exact, for one assessment), and a perturbation study over a population.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from maturity_core._model import Pack
from maturity_core._result import Result
from maturity_core._semantics import Semantics, ratings_of


if TYPE_CHECKING:
    from maturity_core.batch import CompiledModel


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
    # The population side needs the batch extra; the rest of this wing
    # does not, so it is imported here.
    import numpy as np  # noqa: PLC0415

    from maturity_core.batch import compile_model, score_many  # noqa: PLC0415

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
