"""
Synthetic populations of assessments with realistic shapes.

For examples, tests and benchmarks only: the ratings describe no real
organisation.  Each synthetic enterprise draws a target level from
*level_shares* (by default the pack's own ``population.level_shares``,
e.g. a national distribution the pack records with its provenance, else
every level from "no level" to the top equally often) and a latent
capability just above it; each requirement's rating follows from how far
its level lies below that capability, with per-enterprise node strengths
and per-rating noise.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from ._batch import CompiledModel, _numpy


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


def synthetic_population(
    model: CompiledModel,
    n: int,
    *,
    seed: int = 0,
    level_shares: Mapping[int, float] | None = None,
    chunk_rows: int = 65_536,
) -> Any:
    """
    A ratings-codes matrix (n × requirements, int8) of *n* synthetic
    assessments for *model*, reproducible from *seed*.

    .. versionadded:: 0.1.0
    """
    np = _numpy()
    shares = dict(level_shares or default_level_shares(model.pack))
    top = max(model.levels)
    targets = np.array(sorted(shares), dtype=np.int64)
    probs = np.array([shares[t] for t in sorted(shares)], dtype=np.float64)
    probs /= probs.sum()
    rng = np.random.default_rng(seed)
    req_level = np.array(
        [model.pack.requirements_by_id[r].level for r in model.requirement_ids]
    )
    leaves = sorted(
        {model.pack.requirements_by_id[r].node for r in model.requirement_ids}
    )
    leaf_index = {leaf: i for i, leaf in enumerate(leaves)}
    req_leaf = np.array(
        [
            leaf_index[model.pack.requirements_by_id[r].node]
            for r in model.requirement_ids
        ]
    )
    # Per rubric: rating codes from best to worst, and the attainment each
    # needs; every column draws from its own requirement's rubric.
    rubrics = sorted(set(model.column_rating_ids))
    column_rubric = np.array(
        [rubrics.index(ids) for ids in model.column_rating_ids],
        dtype=np.int64,
    )
    plans = []
    for ids in rubrics:
        rubric = model.pack.rubric_of(
            model.pack.requirements_by_id[
                model.requirement_ids[model.column_rating_ids.index(ids)]
            ]
        )
        values = np.array([float(o.value) for o in rubric.options])
        order = np.argsort(-values, kind="stable")
        n_opt = len(order)
        cut = (
            np.linspace(1.0, 0.25, n_opt)[:-1] if n_opt > 1 else np.array([])
        )
        plans.append((order, cut))
    out = np.empty((n, len(model.requirement_ids)), dtype=np.int8)
    for start in range(0, n, chunk_rows):
        m = min(chunk_rows, n - start)
        target = rng.choice(targets, size=m, p=probs)
        capability = np.minimum(
            target + rng.uniform(0.15, 0.95, size=m), top + 0.99
        )
        strength = rng.normal(0.0, 0.2, size=(m, len(leaves)))
        attainment = (
            capability[:, None]
            - req_level[None, :]
            + 1.0
            + strength[:, req_leaf]
            + rng.normal(0.0, 0.2, size=(m, len(req_level)))
        )
        # attainment ≥ cut[0] → best option, … below the last cut → worst.
        for r, (order, cut) in enumerate(plans):
            cols = np.flatnonzero(column_rubric == r)
            rank = np.zeros((m, len(cols)), dtype=np.int64)
            for c in cut:
                rank += attainment[:, cols] < c
            out[start : start + m, cols] = order[rank].astype(np.int8)
    return out
