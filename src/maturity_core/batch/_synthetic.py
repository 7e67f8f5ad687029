"""
Synthetic populations of assessments with a documented generative model.

For examples, tests, benchmarks and method studies only: the ratings
describe no real organisation.  The model (see ``docs/batch.md``,
"Synthetic populations"):

1. Each row draws a *target level* L from *level_shares* (by default the
   pack's own ``population.level_shares``, else every level from 0, no
   level, to the top equally often): the number of levels, from level 1
   up, whose score reaches the gate g.
2. Each level k gets a latent *attainment* a_k: a passed level (k ≤ L)
   lies in [g, 1]; the first failed level (k = L + 1) in [0, g); each
   higher level is a uniform fraction of the one below it.  With
   *near_gate* = q, a share q of rows is drawn *near the gate*: every
   passed level in [g, g + w) and, for a row that passes none, X_1 in
   [g − w, g) (w = *band*); the other rows keep their deciding level
   score (defined below) outside [g − w, g + w).
3. Each requirement's target value is its level's attainment plus a leaf
   effect (a population-wide difficulty per leaf and a per-row strength
   per leaf), centred with the level's exact weight shares so that the
   weighted mean over the level stays a_k.  Its rating is one of the two
   rubric values around that target, the upper with the probability that
   makes the expected value the target (under the ``minimum``
   aggregation, the rubric value at or below it).
4. A share *na* of the cells whose rubric allows ``na`` becomes ``na``.
5. Each row is scored exactly; a row whose level scores do not pass the
   gate at exactly its first L levels, or whose deciding level score is
   on the wrong side of the band, is drawn again (its target and
   near-gate draw kept), up to :data:`REDRAWS` times.

The *deciding level score* of a row is X_L, the score of the highest
level it passes, or X_1 for a row that passes none: the level score whose
place relative to the gate decides the row's level.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pyarrow as pa

from maturity_core import _files
from maturity_core.exceptions import InputError

from ._batch import NA_CODE, CompiledModel, score_many


#: How many times a row that misses its plan is drawn again.
REDRAWS = 20
#: The default width w of the band around the gate.
DEFAULT_BAND = Fraction(1, 10)
#: Standard deviation of a leaf's population-wide difficulty.
LEAF_SPREAD = 0.05
#: Standard deviation of a row's strength in one leaf.
ROW_SPREAD = 0.08
#: How many labels a synthetic grouping key (other than ``org``) takes.
KEY_LABELS = 5
#: Rows drawn at a time.
DEFAULT_CHUNK_ROWS = 8192


def default_level_shares(pack: Any) -> dict[int, float]:
    """
    The level shares a pack records (``population.level_shares``), else
    equal shares of every level from 0 (no level) to the top.

    .. versionadded:: 0.2.0
    """
    recorded = pack.data.get("population", {}).get("level_shares")
    if recorded:
        return {int(k): float(Fraction(v)) for k, v in recorded.items()}
    top = max(pack.level_numbers)
    return dict.fromkeys(range(top + 1), 1 / (top + 1))


def _bad(option: str, message: str) -> InputError:
    return InputError(None, option, message)


def _check_shares(
    model: CompiledModel, shares: Mapping[int, float]
) -> dict[int, float]:
    top = max(model.levels)
    valid = f"levels 0..{top} (0 = no level)"
    out: dict[int, float] = {}
    for level, share in shares.items():
        if level not in range(top + 1):
            msg = f"level {level!r} is not a level of {model.pack.id}; {valid}"
            raise _bad("level_shares", msg)
        value = float(share)
        if not value >= 0:  # also refuses NaN
            msg = f"the share of level {level} is {share}; shares are ≥ 0"
            raise _bad("level_shares", msg)
        out[level] = value
    if not sum(out.values()) > 0:
        msg = f"the shares add up to 0; give a share > 0 to one of {valid}"
        raise _bad("level_shares", msg)
    return out


def _share(option: str, value: float | None) -> float | None:
    if value is None:
        return None
    v = float(value)
    if not 0 <= v <= 1:
        msg = f"{option} is {value}; it is a share between 0 and 1"
        raise _bad(option, msg)
    return v


@attrs.frozen(eq=False)
class _Plan:
    """Per-column facts the generator needs, computed once per model."""

    gate: float
    gate_exact: Fraction | None
    column_level: Any  # level index of each column
    column_leaf: Any
    leaves: int
    centre: Any  # columns × levels: each column's share in its level
    lowest: bool
    rubrics: tuple[tuple[Any, Any, Any], ...]  # columns, values, codes
    na_columns: Any


def _plan(model: CompiledModel) -> _Plan:
    sem = model.semantics
    reqs = [model.pack.requirements_by_id[r] for r in model.requirement_ids]
    level_pos = {k: j for j, k in enumerate(model.levels)}
    leaves = sorted({r.node for r in reqs})
    leaf_index = {leaf: i for i, leaf in enumerate(leaves)}
    centre = np.zeros((len(reqs), len(model.levels)), dtype=np.float32)
    if sem.aggregation.linear:
        shares = sem.shares(sem.counts())
        for j, r in enumerate(reqs):
            centre[j, level_pos[r.level]] = float(
                shares.get((r.node, r.level), Fraction(0))
            )
    rubrics = []
    for ids in sorted(set(model.column_rating_ids)):
        cols = np.array(
            [j for j, c in enumerate(model.column_rating_ids) if c == ids],
            dtype=np.int64,
        )
        rubric = sem.rubric(reqs[int(cols[0])])
        value_of = {o.id: o.value for o in rubric.options}
        order = sorted(range(len(ids)), key=lambda i: value_of[ids[i]])
        values = np.array(
            [float(value_of[ids[i]]) for i in order], dtype=np.float32
        )
        rubrics.append((cols, values, np.array(order, dtype=np.int8)))
    gate = sem.gate
    return _Plan(
        gate=float(gate) if gate is not None else 0.5,
        gate_exact=gate,
        column_level=np.array([level_pos[r.level] for r in reqs]),
        column_leaf=np.array([leaf_index[r.node] for r in reqs]),
        leaves=len(leaves),
        centre=centre,
        lowest=bool(sem.aggregation.lowest),
        rubrics=tuple(rubrics),
        na_columns=np.array(
            [sem.rubric(r).na_allowed for r in reqs], dtype=bool
        ),
    )


def _latent(  # noqa: PLR0913 -- the draws of one batch of rows
    np: Any,
    rng: Any,
    *,
    target: Any,
    near: Any,
    levels: int,
    gate: float,
    band: float,
) -> Any:
    """The attainment a_k of every level of every row (rows × levels)."""
    m = len(target)
    u = rng.random((m, levels))
    low_pass = np.full(m, gate)
    high_pass = np.full(m, 1.0)
    low_fail = np.zeros(m)
    high_fail = np.full(m, gate)
    if near is not None:
        top_near = min(gate + band, 1.0)
        bottom_near = max(gate - band, 0.0)
        low_pass = np.where(near, gate, top_near)
        high_pass = np.where(near, top_near, 1.0)
        none_passed = target == 0
        low_fail = np.where(none_passed & near, bottom_near, 0.0)
        high_fail = np.where(none_passed & ~near, bottom_near, gate)
    a = np.empty((m, levels))
    for j in range(levels):
        k = j + 1
        passed = low_pass + u[:, j] * (high_pass - low_pass)
        failed = low_fail + u[:, j] * (high_fail - low_fail)
        above = a[:, j - 1] * u[:, j] if j else failed
        a[:, j] = np.where(
            k <= target, passed, np.where(k == target + 1, failed, above)
        )
    return a


def _ratings(  # noqa: PLR0913 -- the draws of one batch of rows
    np: Any,
    rng: Any,
    plan: _Plan,
    *,
    attainment: Any,
    difficulty: Any,
    na: float,
) -> Any:
    """Rating codes (rows × columns) whose level scores follow *attainment*."""
    m = attainment.shape[0]
    strength = rng.standard_normal((m, plan.leaves), dtype=np.float32)
    strength *= ROW_SPREAD
    effect = (difficulty[None, :] + strength)[:, plan.column_leaf]
    if plan.lowest:
        effect = np.abs(effect)
    else:
        # Centre: the level's weighted mean of the effects is 0.
        effect -= (effect @ plan.centre)[:, plan.column_level]
    wanted = attainment.astype(np.float32)[:, plan.column_level]
    wanted += effect
    out = np.empty(wanted.shape, dtype=np.int8)
    for cols, values, codes in plan.rubrics:
        if len(values) == 1:
            out[:, cols] = codes[0]
            continue
        t = np.clip(wanted[:, cols], values[0], values[-1])
        # The rubric value at or below t (the top value counts as the
        # last interval's lower end).
        below = np.zeros(t.shape, dtype=np.int8)
        for v in values[1:-1]:
            below += t >= v
        if plan.lowest:
            rank = below + (t >= values[-1])
        else:
            lo, hi = values[below], values[below + 1]
            up = rng.random(t.shape, dtype=np.float32) * (hi - lo) < t - lo
            rank = below + up
        out[:, cols] = codes[rank]
    if na > 0:
        cells = (rng.random(out.shape) < na) & plan.na_columns[None, :]
        out[cells] = NA_CODE
    return out


def _misses(  # noqa: PLR0913 -- the plan of a batch of rows
    np: Any,
    model: CompiledModel,
    plan: _Plan,
    *,
    codes: Any,
    target: Any,
    near: Any,
    band: Fraction,
) -> Any:
    """Which rows' exact level scores miss their target or band."""
    gate = plan.gate_exact
    if gate is None:
        return np.zeros(len(codes), dtype=bool)
    result = score_many(model, codes, unrated="none")
    den = model.denominator
    x = result.level_numerators
    # Integer thresholds: num ≥ t·den ⇔ num ≥ ⌈t·den⌉.
    passes = x >= math.ceil(gate * den)
    low = math.ceil((gate - band) * den)
    high = math.ceil((gate + band) * den)
    count = np.where(passes.all(axis=1), x.shape[1], np.argmin(passes, 1))
    top = np.take_along_axis(x, np.maximum(target - 1, 0)[:, None], 1)[:, 0]
    inside = (top >= low) & (top < high)
    for i in result.exact_rows:
        xs = result.level_scores(i)
        passed = 0
        while passed < len(xs) and xs[passed] >= gate:
            passed += 1
        count[i] = passed
        deciding = xs[max(int(target[i]) - 1, 0)]
        inside[i] = gate - band <= deciding < gate + band
    miss = count != target
    if near is not None:
        miss |= inside != near
    return miss


def synthetic_population(  # noqa: PLR0913 -- the options of the model
    model: CompiledModel,
    n: int,
    *,
    seed: int = 0,
    level_shares: Mapping[int, float] | None = None,
    near_gate: float | None = None,
    band: Fraction | float = DEFAULT_BAND,
    na: float = 0.0,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> Any:
    """
    A ratings-codes matrix (n × requirements, int8) of *n* synthetic
    assessments for *model*, reproducible from *seed* (and *chunk_rows*).

    Args:
        level_shares: Level → share of rows whose first *level* levels
            pass the gate (0 = none); by default the pack's recorded
            shares.  Shares are normalised.
        near_gate: The share of rows whose deciding level score lies in
            [gate − band, gate + band); ``None`` leaves it to chance
            (passed levels uniform on [gate, 1]).
        band: The half-width w of that band.
        na: The share of cells rated ``na``, among the columns whose
            rubric allows it.

    Raises:
        InputError: For a level the pack lacks, a negative share, a share
            of *near_gate* or *na* outside [0, 1], *near_gate* for a pack
            without a gate, or *na* for a pack whose rubrics refuse it.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 A documented model with level shares met
       exactly at the gate, ``near_gate``, ``band`` and ``na``.
    """
    if n < 0:
        raise _bad("n", f"the number of rows is {n}; give 0 or more")
    shares = _check_shares(
        model, dict(level_shares or default_level_shares(model.pack))
    )
    near_share = _share("near_gate", near_gate)
    na_share = _share("na", na) or 0.0
    width = Fraction(band)
    if not 0 < width <= 1:
        raise _bad("band", f"band is {band}; it lies in (0, 1]")
    plan = _plan(model)
    if near_share is not None and plan.gate_exact is None:
        msg = (
            f"pack {model.pack.id} has no gate, so no row can be near it; "
            "give no near-gate share"
        )
        raise _bad("near_gate", msg)
    if na_share > 0 and not plan.na_columns.any():
        msg = f"the rubrics of pack {model.pack.id} do not allow 'na'; use 0"
        raise _bad("na", msg)
    targets = np.array(sorted(shares), dtype=np.int64)
    probs = np.array([shares[t] for t in sorted(shares)], dtype=np.float64)
    probs /= probs.sum()
    rng = np.random.default_rng(seed)
    difficulty = rng.normal(0.0, LEAF_SPREAD, size=plan.leaves).astype(
        np.float32
    )
    levels = len(model.levels)
    out = np.empty((n, len(model.requirement_ids)), dtype=np.int8)
    for start in range(0, n, chunk_rows):
        m = min(chunk_rows, n - start)
        target = rng.choice(targets, size=m, p=probs)
        near = None if near_share is None else rng.random(m) < near_share
        rows = np.arange(m)
        codes = np.empty((m, len(model.requirement_ids)), dtype=np.int8)
        for _ in range(REDRAWS + 1):
            sub_near = None if near is None else near[rows]
            attainment = _latent(
                np,
                rng,
                target=target[rows],
                near=sub_near,
                levels=levels,
                gate=plan.gate,
                band=float(width),
            )
            codes[rows] = _ratings(
                np,
                rng,
                plan,
                attainment=attainment,
                difficulty=difficulty,
                na=na_share,
            )
            miss = _misses(
                np,
                model,
                plan,
                codes=codes[rows],
                target=target[rows],
                near=sub_near,
                band=width,
            )
            rows = rows[miss]
            if not len(rows):
                break
        out[start : start + m] = codes
    return out


# ---------------------------------------------------------------------------
# Tables and files


def _key_column(np: Any, pa: Any, rng: Any, name: str, n: int) -> Any:
    if name == "org":
        width = max(6, len(str(n)))
        ids = np.char.add(
            "org-", np.char.zfill(np.arange(1, n + 1).astype(str), width)
        )
        return pa.array(ids, pa.string())
    labels = pa.array([f"{name}-{i}" for i in range(1, KEY_LABELS + 1)])
    index = pa.array(rng.integers(0, KEY_LABELS, size=n, dtype=np.int8))
    return pa.DictionaryArray.from_arrays(index, labels)


def synthetic_table(  # noqa: PLR0913 -- synthetic_population's options
    model: CompiledModel,
    n: int,
    *,
    keys: Sequence[str] = (),
    seed: int = 0,
    level_shares: Mapping[int, float] | None = None,
    near_gate: float | None = None,
    band: Fraction | float = DEFAULT_BAND,
    na: float = 0.0,
) -> Any:
    """
    A synthetic population as a wide Arrow table that
    :func:`~maturity_core.batch.score_file` reads: the *keys* columns,
    then one column per in-scope requirement holding rating ids.

    Key ``org`` holds unique ids ``org-000001``, …; any other key *name*
    holds labels ``name-1`` … ``name-5`` drawn uniformly.  Rating columns
    are Arrow dictionary arrays built from the codes matrix (no loop per
    cell).

    .. versionadded:: 0.2.0
    """

    clash = sorted(set(keys) & set(model.requirement_ids))
    if clash:
        msg = f"key {clash[0]!r} is a requirement id; name keys otherwise"
        raise _bad("keys", msg)
    if len(set(keys)) != len(keys):
        raise _bad("keys", "a key column is named twice")
    codes = synthetic_population(
        model,
        n,
        seed=seed,
        level_shares=level_shares,
        near_gate=near_gate,
        band=band,
        na=na,
    )
    rng = np.random.default_rng([seed, 1])
    from ._carry import codes_table  # noqa: PLC0415

    return codes_table(
        model, codes, {k: _key_column(np, pa, rng, k, n) for k in keys}
    )


def write_synthetic(
    model: CompiledModel, output: Path, n: int, **options: Any
) -> int:
    """
    Write :func:`synthetic_table` to *output* (``.parquet`` or ``.csv``)
    through the atomic writer; return the number of rows.

    .. versionadded:: 0.2.0
    """
    from ._batchio import _kind  # noqa: PLC0415
    from ._carry import write_table  # noqa: PLC0415

    _kind(output)  # an unknown suffix is refused before drawing
    _files.check_outputs([output])
    table = synthetic_table(model, n, **options)
    write_table(table, output)
    return n
