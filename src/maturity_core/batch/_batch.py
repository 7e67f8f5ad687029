"""
Batch scoring: compile a pack, profile and scope once, score many.

The exact scalar path (:func:`maturity_core.score`) is the oracle; this
path must give identical results, and it takes every definition from the
same :class:`~maturity_core._semantics.Semantics`: the scope, the
requirement shares, the level rule's fold and the bands.

With a linear aggregation (the weighted mean) and no ``na``, X_k is a
fixed linear form of the ratings,

    X_k = Σ_r c_r · v_r,

c_r being the requirement's exact share (:meth:`Semantics.shares`) and
v_r its rating value.  With L a common denominator of every c_r · v_r,
the gate and the band bounds, X_k · L = Σ_r C_r · V_r with integers
C_r = c_r · L / s and V_r = v_r · s (s the common scale of the rubrics'
values).

The sum is taken with a float32 matrix product, which is exact: each
C_r is split into base-2**b digits so small that every partial sum is a
non-negative integer below 2**24, whatever order the BLAS adds in; the
digit sums are recombined in int64.  (If a pack is too large for that, a
float64 product with the bound 2**53 is used, and failing that Python
integers.)  A cell's value is looked up two cells at a time (one gather
of a 65,536-entry table by the uint16 view of two codes); an ``na``, an
unrated or an invalid code looks up NaN, so only rows whose product is
NaN are checked and scored again.  Rows are looked up and multiplied
1,024 at a time, the rest is done per block of 65,536 rows, and blocks
may be scored by several threads; memory stays near the size of the
ratings matrix.

With a lowest-value aggregation (the minimum) X_k is the row minimum of
the scaled values of level k's columns (``na`` left out).  The level
rule's vectorised fold turns X into S; a rule without one folds each
row's exact X, once per distinct X.  Rules that read node scores are
scored row by row by the same semantics.

A row with ``na`` under a linear aggregation has its own coefficients:
a leaf's mean divides by its count of scorable requirements at the
level, and a (leaf, level) group with none is absent, which renormalises
its ancestors' weights.  Per group g, one sum gives the sum of the
scaled values (``na`` as 0) and the count c_g of scorable requirements,
as W · sum_g + c_g (W a power of two above every count; each cell looks
up W · its value + 1, or 0 for ``na``); the codes are taken column by
column with the columns ordered group after group and the groups by
size, so each run of groups of one size is summed by one reduction.
With M = lcm(1..largest count) and the group shares G_g of the row's
presence pattern at level k (which of the level's groups have c_g = 0;
from :meth:`Semantics.shares`, computed once per pattern and kept with
the compiled model),

    X_k · D · M = Σ_g (G_g · D / s) · sum_g · (M / c_g),

D a common denominator of that pattern's G_g / s, the gate and the band
bounds.  Such a row keeps its own denominator: the lcm of every pattern's
D, times M, shared by all such rows when it fits, else the lcm of the
row's own patterns' D, times M.  Rows sharing a denominator are folded
and banded together.  A row whose bound would overflow int64 is scored
row by row.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import operator
import os
import sys
import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from typing import Any

import attrs

from maturity_core._assessment import Assessment, Tailoring
from maturity_core._format import decimal, exact
from maturity_core._model import NA, ROOT, Pack, Profile
from maturity_core._semantics import Semantics, check_unrated_policy
from maturity_core.exceptions import (
    ArgumentError,
    AssessmentError,
    MaturityCoreError,
    Problem,
    ScoringError,
)


try:
    import numpy as np
    from threadpoolctl import ThreadpoolController
except ImportError:  # pragma: no cover -- exercised without the extra
    _msg = "batch scoring needs pip install 'maturity-core[batch]'"
    raise MaturityCoreError(_msg) from None


#: Code for a ``na`` rating in a ratings matrix.
NA_CODE = -1
#: Code for an unrated requirement in a ratings matrix.
UNRATED_CODE = -2
_EXACT_FLOAT_LIMIT = 2**53
_FLOAT32_EXACT = 2**24
#: Rows scored per step; small enough for the CPU cache.
CHUNK_ROWS = 1024
#: Rows with na whose group sums are taken at a time.
_NA_ROWS = 4 * CHUNK_ROWS
#: Entries of the largest table of sum · M // count (else computed).
_SCALED_TABLE_SIZE = 1 << 20
#: Rows whose lookups and products are taken chunk by chunk and the rest
#: at once, under a linear aggregation.
_BLOCK_ROWS = 64 * CHUNK_ROWS


_BLAS: list[Any] = []


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """
    Run the block with one BLAS thread.

    The kernel's products are small (a chunk of rows at a time), so BLAS
    threads cost more in start-up and contention than they gain, above
    all on a busy machine; chunks are split across cores instead.
    """
    if not _BLAS:
        _BLAS.append(ThreadpoolController())
    with _BLAS[0].limit(limits=1, user_api="blas"):
        yield


def default_workers() -> int:
    """The cores this process may run on (the default ``workers``)."""
    affinity = getattr(os, "sched_getaffinity", None)
    if affinity is not None:
        return max(1, len(affinity(0)))
    return max(1, os.cpu_count() or 1)  # pragma: no cover -- not Linux


def check_workers(workers: int | None, caller: str) -> int:
    """*workers*, or every core for ``None``; at least 1."""
    if workers is None:
        return default_workers()
    try:
        count = operator.index(workers)
    except TypeError:
        count = 0
    if count < 1:
        msg = f"{caller}(): workers must be at least 1, got {workers!r}"
        raise ArgumentError(msg)
    return count


def _lcm(values: Iterable[int]) -> int:
    out = 1
    for v in values:
        out = math.lcm(out, v)
    return out


@attrs.frozen(eq=False)
class _Form:
    """
    One node's level scores as exact integer forms over the columns.

    ``kind`` is ``"linear"`` (a digit-split product; ``method`` says
    which) or ``"lowest"`` (a row minimum over ``columns[j]`` per level).
    ``present[j]`` says whether the node is present at level j when no
    rating is ``na``.
    """

    node: str
    kind: str
    denominator: int
    present: tuple[bool, ...]
    coefficients: Any = None
    method: str = ""
    digit_bits: int = 0
    digits: Any = None
    columns: tuple[Any, ...] = ()
    #: For a lowest-value form: denominator / value scale.
    multiplier: int = 1


@attrs.frozen(eq=False)
class CompiledModel:
    """
    A pack, profile, scope and level rule compiled into arrays.

    Build one with :func:`compile_model`; score with :func:`score_many`.
    Column *j* of a ratings matrix is requirement ``requirement_ids[j]``;
    a cell holds the index of the rating in ``column_rating_ids[j]`` (the
    options of that requirement's rubric), or :data:`NA_CODE`, or
    :data:`UNRATED_CODE`.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 One rubric per column; ``semantics``.
    """

    pack: Pack
    profile: Profile
    rule: str
    tailoring: tuple[Tailoring, ...]
    requirement_ids: tuple[str, ...]
    #: The rating ids of the pack's main rubric.
    rating_ids: tuple[str, ...]
    #: The rating ids of each column's rubric.
    column_rating_ids: tuple[tuple[str, ...], ...]
    denominator: int
    #: Integer value of each rating code of the main rubric, times
    #: ``value_scale``.
    rating_values: Any
    value_scale: int
    gate: int | None
    semantics: Semantics
    #: (rubrics × 256) float32: a code's uint8 view → scaled value, NaN
    #: for na, unrated and invalid codes; row ``column_rubric[j]`` serves
    #: column j.
    lookup: Any
    column_rubric: Any
    #: The lowest scaled value of each column's rubric (unrated='none').
    column_lowest: Any
    root_form: _Form
    #: ``lookup`` two cells at a time (one rubric only; see _pair_table).
    pairs: Any = None
    #: The denominators of the gate and the band bounds, which every
    #: form's denominator includes.
    bounds: tuple[int, ...] = ()
    _node_forms: dict[str, _Form] = attrs.field(factory=dict, repr=False)
    _column_facts: dict[str, Any] = attrs.field(factory=dict, repr=False)

    def column_facts(self) -> tuple[Any, Any]:
        """
        Per column, once: how many rating codes its rubric has (a scalar
        where every column has as many) and whether it allows ``na``
        (``True`` or ``False`` where every column agrees).
        """
        if not self._column_facts:
            highs = np.array([len(ids) for ids in self.column_rating_ids])
            allowed = np.array(
                [
                    self.semantics.rubric(
                        self.pack.requirements_by_id[r]
                    ).na_allowed
                    for r in self.requirement_ids
                ],
                dtype=bool,
            )
            self._column_facts["highs"] = (
                int(highs[0])
                if highs.size and (highs == highs[0]).all()
                else highs[None, :]
            )
            self._column_facts["allowed"] = (
                bool(allowed[0])
                if allowed.size and (allowed == allowed[0]).all()
                else allowed[None, :]
            )
        return self._column_facts["highs"], self._column_facts["allowed"]

    @property
    def levels(self) -> tuple[int, ...]:
        """The pack's level numbers."""
        return self.pack.level_numbers

    @property
    def fast(self) -> bool:
        """Whether rows without ``na`` are scored without the scalar path."""
        return not self.semantics.rule.sees_nodes

    def column_index(self) -> dict[str, int]:
        """Requirement id → column."""
        return {rid: j for j, rid in enumerate(self.requirement_ids)}

    def encode(self, ratings: Mapping[str, str | None]) -> Any:
        """One assessment's ratings (id → rating) as a row of codes."""
        row = np.full(len(self.requirement_ids), UNRATED_CODE, np.int8)
        for j, rid in enumerate(self.requirement_ids):
            rating = ratings.get(rid)
            if rating is None:
                continue
            if rating == NA:
                row[j] = NA_CODE
            else:
                row[j] = self.column_rating_ids[j].index(rating)
        return row

    def node_form(self, node: str) -> _Form:
        """The compiled form of *node*'s level scores (cached)."""
        if node == ROOT:
            return self.root_form
        if node not in self._node_forms:
            if node not in self.semantics.scope:
                msg = f"node {node!r} is not in scope"
                raise KeyError(msg)
            self._node_forms[node] = _compile_form(
                np, self.semantics, node, self.value_scale, self.bounds
            )
        return self._node_forms[node]


def _compile_form(
    np: Any,
    sem: Semantics,
    node: str,
    value_scale: int,
    extra_denominators: Sequence[int],
) -> _Form:
    reqs = sem.requirements
    levels = sem.pack.level_numbers
    below = {n.id for n in sem.pack.nodes[node].walk()}
    counts = {key: c for key, c in sem.counts().items() if key[0] in below}
    if sem.aggregation.lowest:
        columns = tuple(
            np.array(
                [
                    j
                    for j, r in enumerate(reqs)
                    if r.level == k and r.node in below
                ],
                dtype=np.int64,
            )
            for k in levels
        )
        denominator = _lcm([value_scale, *extra_denominators])
        return _Form(
            node=node,
            kind="lowest",
            denominator=denominator,
            present=tuple(len(c) > 0 for c in columns),
            columns=columns,
            multiplier=denominator // value_scale,
        )
    if not sem.aggregation.linear:
        return _Form(node=node, kind="rows", denominator=1, present=())
    shares = sem.shares(counts, root=node)
    coef = [
        shares.get((r.node, r.level), Fraction(0)) / value_scale for r in reqs
    ]
    denominator = _lcm(
        [c.denominator for c in coef] + list(extra_denominators)
    )
    scaled_max = _max_scaled(sem, value_scale)
    if denominator * max(scaled_max, 1) * max(len(reqs), 1) >= 2**62:
        msg = (
            f"the weights of profile {sem.profile.id!r} are too fine-grained "
            f"for exact batch scoring in 64-bit integers (common denominator "
            f"{denominator}); score with maturity_core.score instead"
        )
        raise ScoringError(msg)
    level_pos = {k: i for i, k in enumerate(levels)}
    coefficients = np.zeros((len(reqs), len(levels)), dtype=np.int64)
    for j, (r, c) in enumerate(zip(reqs, coef, strict=True)):
        coefficients[j, level_pos[r.level]] = int(c * denominator)
    method, bits, digits = _plan_product(np, coefficients, scaled_max)
    return _Form(
        node=node,
        kind="linear",
        denominator=denominator,
        present=tuple(any(key[1] == k for key in shares) for k in levels),
        coefficients=coefficients,
        method=method,
        digit_bits=bits,
        digits=digits,
    )


def _max_scaled(sem: Semantics, value_scale: int) -> int:
    return max(
        int(o.value * value_scale)
        for r in {
            sem.rubric(q).id: sem.rubric(q) for q in sem.requirements
        }.values()
        for o in r.options
    )


def compile_model(
    pack: Pack,
    profile: str | None = None,
    *,
    rule: str | None = None,
    tailoring: Sequence[Tailoring] = (),
    weights: Mapping[str, Fraction] | None = None,
) -> CompiledModel:
    """
    Compile *pack* under *profile*, *rule* and *tailoring* for batch scoring.

    *weights* replaces some of the profile's weights (for sensitivity
    studies); within each sibling group the weights are renormalised
    exactly, so they need not sum to 1.

    Raises:
        AssessmentError: If the profile or the tailoring is invalid.
        UnknownRuleError: If *rule* names no registered rule.

    .. versionadded:: 0.1.0
    """
    probe = Assessment(
        pack=pack.id, ratings=(), profile=profile, tailoring=tuple(tailoring)
    )
    from maturity_core._assessment import iter_assessment_problems  # noqa: PLC0415
    from maturity_core._scoring import resolve_profile  # noqa: PLC0415

    prof = resolve_profile(pack, probe, profile)
    if weights:
        prof = with_weights(pack, prof, weights)
    problems = list(iter_assessment_problems(pack, probe, prof))
    if problems:
        raise AssessmentError(problems, "batch tailoring")
    rule_name = rule or pack.method.rule
    sem = Semantics.of(
        pack, prof, tailored=(t.node for t in tailoring), rule=rule_name
    )
    sem.check_gate("batch")
    reqs = sem.requirements
    rubrics = list({sem.rubric(r).id: sem.rubric(r) for r in reqs}.values())
    if not rubrics:
        rubrics = [pack.rubric]
    rubric_pos = {r.id: i for i, r in enumerate(rubrics)}
    value_scale = _lcm(o.value.denominator for r in rubrics for o in r.options)
    method = pack.method
    bounds = [b.min.denominator for b in method.bands]
    if method.gate is not None:
        bounds.append(method.gate.denominator)
    root_form = _compile_form(np, sem, ROOT, value_scale, bounds)
    denominator = root_form.denominator
    lookup = np.full((len(rubrics), 256), np.nan, dtype=np.float32)
    for i, r in enumerate(rubrics):
        lookup[i, : len(r.options)] = [
            int(o.value * value_scale) for o in r.options
        ]
    column_rubric = np.array(
        [rubric_pos[sem.rubric(r).id] for r in reqs], dtype=np.int64
    )
    column_lowest = np.array(
        [int(sem.rubric(r).lowest * value_scale) for r in reqs],
        dtype=np.float32,
    )
    return CompiledModel(
        pack=pack,
        profile=prof,
        rule=rule_name,
        tailoring=tuple(tailoring),
        requirement_ids=tuple(r.id for r in reqs),
        rating_ids=tuple(o.id for o in pack.rubric.options),
        column_rating_ids=tuple(
            tuple(o.id for o in sem.rubric(r).options) for r in reqs
        ),
        denominator=denominator,
        rating_values=np.array(
            [int(o.value * value_scale) for o in pack.rubric.options],
            dtype=np.int64,
        ),
        value_scale=value_scale,
        gate=int(method.gate * denominator)
        if method.gate is not None
        else None,
        semantics=sem,
        lookup=lookup,
        column_rubric=column_rubric,
        column_lowest=column_lowest,
        root_form=root_form,
        pairs=_pair_table(np, lookup),
        bounds=tuple(bounds),
    )


def with_weights(
    pack: Pack, profile: Profile, weights: Mapping[str, Fraction]
) -> Profile:
    """
    *profile* with *weights* replaced, each sibling group renormalised.

    .. versionadded:: 0.2.0
    """
    unknown = sorted(set(weights) - set(profile.weights))
    if unknown:
        msg = (
            f"weights for nodes outside profile {profile.id!r}: "
            f"{', '.join(unknown)}"
        )
        raise AssessmentError([Problem("$.weights", msg, "unknown-node")])
    merged = {
        k: Fraction(weights.get(k, v)) for k, v in profile.weights.items()
    }
    if any(v < 0 for v in merged.values()):
        msg = "weights must not be negative"
        raise AssessmentError([Problem("$.weights", msg, "out-of-range")])
    out = {}
    for node in pack.root.walk():
        kids = [c.id for c in node.children if c.id in merged]
        total = sum((merged[c] for c in kids), Fraction(0))
        for c in kids:
            out[c] = merged[c] / total if total else Fraction(0)
    return attrs.evolve(profile, weights=out)


def _plan_product(
    np: Any, coefficients: Any, max_value: int
) -> tuple[str, int, Any]:
    """Choose the exact product: float32 digits, float64, or objects."""
    n_req = max(coefficients.shape[0], 1)
    top = int(coefficients.max()) if coefficients.size else 0
    # Largest digit d with max_value · d · n_req < 2**24.
    limit = (_FLOAT32_EXACT - 1) // max(max_value * n_req, 1)
    bits = limit.bit_length() - 1 if limit >= 1 else 0
    bits = min(bits, 23)
    if bits >= 1:
        n_digits = max(1, -(-max(top.bit_length(), 1) // bits))
        mask = (1 << bits) - 1
        parts = [(coefficients >> (bits * d)) & mask for d in range(n_digits)]
        return (
            "float32",
            bits,
            np.concatenate(parts, axis=1).astype(np.float32),
        )
    bound = int(coefficients.sum(axis=0).max()) * max_value
    if bound < _EXACT_FLOAT_LIMIT:
        return "float64", 0, coefficients.astype(np.float64)
    return "object", 0, coefficients.astype(object)  # pragma: no cover


@attrs.frozen(eq=False)
class BatchResult:
    """
    Exact results of :func:`score_many`, one row per assessment.

    ``level_numerators[i, j] / denominator`` is X of level ``levels[j]`` and
    ``score_numerators[i] / denominator`` is S, except for rows in
    ``exact_rows``, whose exact values are held there: rows with ``na``
    under the weighted mean (scored vectorised over their own
    denominator) and rows scored one by one (see
    :attr:`rows_on_exact_path`).  ``levels`` is -1
    for every row of a pack without bands.  Use :meth:`score`,
    :meth:`level_scores` or :meth:`to_pandas` rather than the arrays
    when in doubt.

    .. versionadded:: 0.1.0
    """

    model: CompiledModel
    level_numerators: Any
    score_numerators: Any
    levels: Any
    counted: Any
    exact_rows: Mapping[
        int, tuple[tuple[Fraction, ...], Fraction, int | None, int]
    ]

    @property
    def denominator(self) -> int:
        """The common denominator of the fast rows."""
        return self.model.denominator

    @property
    def rows_on_exact_path(self) -> int:
        """How many rows were scored one by one."""
        if isinstance(self.exact_rows, _RowStore):
            return len(self.exact_rows.one_by_one)
        return len(self.exact_rows)

    def __len__(self) -> int:
        return len(self.levels)

    def score(self, i: int) -> Fraction:
        """S of row *i*, exact."""
        if i in self.exact_rows:
            return self.exact_rows[i][1]
        return Fraction(int(self.score_numerators[i]), self.denominator)

    def level(self, i: int) -> int | None:
        """The level of row *i* (``None`` for a pack without bands)."""
        value = int(self.levels[i])
        return None if value < 0 else value

    def level_scores(self, i: int) -> tuple[Fraction, ...]:
        """X_1..X_N of row *i*, exact."""
        if i in self.exact_rows:
            return self.exact_rows[i][0]
        return tuple(
            Fraction(int(x), self.denominator)
            for x in self.level_numerators[i]
        )

    def scores(self) -> list[Fraction]:
        """S of every row, exact."""
        return [self.score(i) for i in range(len(self))]

    def to_pandas(self, keys: Any = None, *, node_totals: Any = None) -> Any:
        """
        A DataFrame: *keys* columns, then ``score`` (exact string),
        ``score_decimal``, ``level`` (absent for a pack without bands),
        ``counted_levels`` and ``X<k>`` (exact strings); with
        *node_totals* (:func:`node_totals`) also ``total:<node>`` (exact
        strings) and ``level:<node>`` for each node.
        """
        import pandas as pd  # noqa: PLC0415 -- optional dependency

        den: Any = self.denominator
        frame = pd.DataFrame(index=range(len(self)))
        if keys is not None:
            frame = pd.concat(
                [pd.DataFrame(keys).reset_index(drop=True), frame], axis=1
            )
        rows = self.exact_rows
        one_by_one = rows
        if isinstance(rows, _RowStore):
            # Rows with their own denominator are converted as arrays.
            own = rows.row_denominators
            den = np.where(own > 0, own, den)
            one_by_one = rows.one_by_one
        frame["score"] = _exact_strings(np, self.score_numerators, den)
        scaled = self.score_numerators * 100 // den
        frame["score_decimal"] = [
            f"{int(v) // 100}.{int(v) % 100:02d}" for v in scaled
        ]
        has_levels = self.model.pack.has_levels
        if has_levels:
            frame["level"] = self.levels.astype(np.int64)
        frame["counted_levels"] = self.counted.astype(np.int64)
        for j, k in enumerate(self.model.levels):
            frame[f"X{k}"] = _exact_strings(
                np, self.level_numerators[:, j], den
            )
        _put_rows(frame, one_by_one, self.model.levels, has_levels=has_levels)
        if node_totals is not None:
            columns = {}
            for node, nums in node_totals.numerators.items():
                columns[f"total:{node}"] = _exact_strings(
                    np, nums, node_totals.denominators[node]
                )
                if has_levels:
                    columns[f"level:{node}"] = node_totals.levels[node]
            frame = pd.concat([frame, pd.DataFrame(columns)], axis=1)
        return frame


def _put_rows(
    frame: Any,
    rows: Mapping[int, _ExactRow],
    levels: Sequence[int],
    *,
    has_levels: bool,
) -> None:
    """Write exact *rows* into *frame*'s columns."""
    for i, (xs, s, level, counted) in rows.items():
        frame.loc[i, "score"] = exact(s)
        frame.loc[i, "score_decimal"] = decimal(s)
        if has_levels:
            frame.loc[i, "level"] = level
        frame.loc[i, "counted_levels"] = counted
        for k, x in zip(levels, xs, strict=True):
            frame.loc[i, f"X{k}"] = exact(x)


def _exact_strings(np: Any, numerators: Any, den: Any) -> list[str]:
    """*numerators* over *den* (one int, or one per row) as exact text."""
    nums = np.asarray(numerators, dtype=np.int64)
    dens = np.asarray(den, dtype=np.int64)
    g = np.gcd(nums, dens)
    g[g == 0] = 1
    n = nums // g
    d = dens // g
    return [
        str(a) if b == 1 else f"{a}/{b}"
        for a, b in zip(n.tolist(), d.tolist(), strict=True)
    ]


def _values(model: CompiledModel, chunk: Any, unrated: str) -> Any:
    """The scaled value of every cell; NaN for na and invalid codes."""
    values = _cell_lookup(
        np, model.lookup, model.column_rubric, chunk, model.pairs
    )
    if unrated == "none":
        unrated_cells = chunk == UNRATED_CODE
        if unrated_cells.any():
            values = np.where(unrated_cells, model.column_lowest, values)
    return values


def _pair_table(np: Any, table: Any) -> Any:
    """
    For a one-rubric float32 *table*: the values of two adjacent cells
    at once, indexed by their codes' uint16 view (the first cell in the
    low byte), as 65,536 uint64 items; ``None`` for other tables.
    """
    if table.shape[0] != 1 or table.dtype.itemsize != 4:
        return None
    both = np.arange(65536)
    first, second = both & 0xFF, both >> 8
    if sys.byteorder == "big":  # pragma: no cover -- no such CI machine
        first, second = second, first
    pairs = np.empty((65536, 2), dtype=table.dtype)
    pairs[:, 0] = table[0][first]
    pairs[:, 1] = table[0][second]
    return pairs.view(np.uint64).reshape(-1)


def _pair_index(np: Any, codes: Any) -> tuple[Any, Any, bool] | None:
    """
    The uint16 view of *codes* two cells at a time, in memory order, as
    (index, shape of the values in that order, whether that shape is
    *codes* transposed); ``None`` if no such view exists.  A contiguous
    matrix is viewed whole; a block of rows of a column-major matrix
    (each column's cells contiguous, not the block) column by column.
    """
    if codes.ndim != 2 or codes.size % 2:
        return None
    if codes.flags.c_contiguous:
        return codes.reshape(-1).view(np.uint16), codes.shape, False
    by_column = codes.T
    if by_column.flags.c_contiguous:
        return by_column.reshape(-1).view(np.uint16), by_column.shape, True
    if by_column.strides[1] == 1 and by_column.shape[1] % 2 == 0:
        return by_column.view(np.uint16), by_column.shape, True
    return None


def _scratch(
    scratch: dict[str, Any] | None,
    name: str,
    shape: tuple[int, ...],
    dtype: Any,
) -> Any:
    """
    An array of *shape* for a chunk's intermediate *name*, reused from
    *scratch* across the chunks of one call (a fresh array of a few MB
    per chunk costs the allocator's page faults every time); a fresh
    array without *scratch*.
    """
    size = math.prod(shape)
    if scratch is None:
        return np.empty(shape, dtype=dtype)
    held = scratch.get(name)
    if held is None or held.size < size or held.dtype != dtype:
        held = scratch[name] = np.empty(size, dtype=dtype)
    return held[:size].reshape(shape)


def _cell_lookup(  # noqa: PLR0913 -- the table's forms and a scratch
    np: Any,
    table: Any,
    rubric: Any,
    codes: Any,
    pairs: Any = None,
    *,
    scratch: dict[str, Any] | None = None,
) -> Any:
    """
    ``table[rubric[j], code]`` for every cell (a code's uint8 view), in
    the layout of *codes*.  With *pairs* (see :func:`_pair_table`) and a
    contiguous chunk of an even number of cells, two cells are looked up
    at once in memory order, which halves the gathers; otherwise a
    column-major chunk is read column by column, which is several times
    faster than gathering it row-major.  With *scratch* (see
    :func:`_scratch`), the values may live in a reused array.
    """
    index = _pair_index(np, codes) if pairs is not None else None
    if index is not None:
        where, shape, back = index
        # Every uint16 is a valid index: "clip" never clips, and lets
        # take() write into *out* without a buffer.
        both = np.take(
            pairs,
            where,
            out=_scratch(scratch, "pairs", where.shape, pairs.dtype),
            mode="clip",
        )
        values = both.view(table.dtype).reshape(shape)
        return values.T if back else values
    u = codes.view(np.uint8)
    by_column = u.ndim == 2 and u.strides[0] < u.strides[1]
    if by_column:
        u = u.T
    if table.shape[0] == 1:
        values = np.take(table[0], u)
    elif by_column:
        values = table[rubric[:, None], u]
    else:
        values = table[rubric[None, :], u]
    return values.T if by_column else values


def _form_numerators(form: _Form, values: Any, na: Any) -> tuple[Any, Any]:
    """
    X·L of each row under *form*, and which rows it cannot score (NaN:
    invalid codes, unrated under 'error', and ``na`` under a linear form).
    For a lowest-value form, an absent level gives -1.
    """
    n_levels = len(form.present)
    if form.kind == "lowest":
        bad = np.isnan(values) & ~na
        special = bad.any(axis=1)
        big = np.float32(_FLOAT32_EXACT)
        v = np.where(na | bad, big, values)
        x = np.full((values.shape[0], n_levels), -1, dtype=np.int64)
        for j, cols in enumerate(form.columns):
            if len(cols):
                m = v[:, cols].min(axis=1)
                x[:, j] = np.where(m >= big, -1, m.astype(np.int64))
        x = np.where(x >= 0, x * form.multiplier, -1)
        return x, special
    if form.method == "float32":
        return _from_digits(form, values @ form.digits)
    special = np.isnan(values).any(axis=1)
    values = np.where(special[:, None], 0, values)
    if form.method == "float64":
        x = np.rint(values.astype(np.float64) @ form.digits).astype(np.int64)
    else:  # pragma: no cover -- only for packs with huge denominators
        x = (values.astype(np.int64).astype(object) @ form.digits).astype(
            np.int64
        )
    return x, special


def _from_digits(form: _Form, product: Any) -> tuple[Any, Any]:
    """
    X·L of each row from its float32 digit sums (*product*, which may be
    overwritten), and the rows whose sums are NaN.
    """
    n_levels = len(form.present)
    special = np.isnan(product).any(axis=1)
    if special.any():
        product[special] = 0
    x = np.zeros((product.shape[0], n_levels), dtype=np.int64)
    for d in range(form.digits.shape[1] // n_levels):
        part = np.rint(product[:, d * n_levels : (d + 1) * n_levels])
        x += part.astype(np.int64) << (form.digit_bits * d)
    return x, special


def _codes_from(model: CompiledModel, data: Any) -> Any:
    if isinstance(data, np.ndarray):
        codes = data
    elif hasattr(data, "to_pandas") and (
        not hasattr(data, "columns") or hasattr(data, "column_names")
    ):
        from ._batchio import encode_arrow  # noqa: PLC0415 -- imports this

        codes = encode_arrow(model, data)
    elif hasattr(data, "columns"):
        codes = encode_frame(model, data)[0]
    else:
        codes = np.stack([model.encode(r) for r in data])
    codes = np.asarray(codes)
    if codes.ndim != 2 or codes.shape[1] != len(model.requirement_ids):
        msg = (
            f"a ratings matrix needs {len(model.requirement_ids)} columns, "
            f"one per in-scope requirement (got shape {codes.shape})"
        )
        raise AssessmentError([Problem("$", msg, "shape")], "ratings matrix")
    if codes.dtype != np.int8:
        if codes.size and (codes.min() < -128 or codes.max() > 127):
            _invalid_code(model, codes, (codes < -128) | (codes > 127))
        codes = codes.astype(np.int8)
    return codes


def _invalid_code(
    model: CompiledModel,
    codes: Any,
    bad: Any,
    row_offset: int = 0,
    rows: Any = None,
) -> None:
    i, j = (int(v) for v in np.argwhere(bad)[0])
    value = int(codes[i, j])
    i = _row_number(i, row_offset, rows)
    ids = model.column_rating_ids[j]
    msg = (
        f"code {value} is not a rating code of requirement "
        f"{model.requirement_ids[j]}; valid codes: 0..{len(ids) - 1} "
        f"({', '.join(ids)}), {NA_CODE} (na), {UNRATED_CODE} (unrated)"
    )
    raise AssessmentError(
        [Problem(f"$[{i}][{j}]", msg, "invalid-rating")], "ratings matrix"
    )


def encode_frame(
    model: CompiledModel, frame: Any, *, keys: Sequence[str] = ()
) -> tuple[Any, Any]:
    """
    Encode a wide DataFrame (one column per requirement id, rating ids as
    values) into a codes matrix; return it with the *keys* columns.

    Raises:
        AssessmentError: For unknown columns, missing requirement columns
            or values outside the rubric, with row and column.

    .. versionadded:: 0.1.0
    """
    columns = [str(c) for c in frame.columns]
    known = set(model.requirement_ids)
    unknown = [c for c in columns if c not in known and c not in keys]
    problems = [
        Problem(
            f"$.columns[{columns.index(c)}]",
            f"unknown column {c!r}: not an in-scope requirement of "
            f"{model.pack.id}/{model.profile.id} nor a key column "
            f"(keys: {', '.join(keys) or 'none'})",
            "unknown-requirement",
        )
        for c in unknown[:20]
    ]
    missing = [r for r in model.requirement_ids if r not in columns]
    if missing:
        problems.append(
            Problem(
                "$.columns",
                f"{len(missing)} in-scope requirements have no column "
                f"(first: {', '.join(missing[:5])})",
                "missing-requirement",
            )
        )
    if problems:
        raise AssessmentError(problems, "ratings table")
    codes = np.empty((len(frame), len(model.requirement_ids)), dtype=np.int8)
    lookups: dict[tuple[str, ...], dict[str, int]] = {}
    for j, rid in enumerate(model.requirement_ids):
        ids = model.column_rating_ids[j]
        if ids not in lookups:
            lookups[ids] = {r: i for i, r in enumerate(ids)}
            lookups[ids][NA] = NA_CODE
        lookup = lookups[ids]
        col = frame[rid]
        mapped = col.map(lookup)
        if mapped.dtype.name == "category":
            # A categorical column maps to categorical codes, which take
            # no new value (the unrated code): compare them as numbers.
            mapped = mapped.astype("float64")
        unrated = col.isna()
        invalid = mapped.isna() & ~unrated
        if invalid.any():
            i = int(np.argmax(invalid.to_numpy()))
            valid = model.semantics.rubric(
                model.pack.requirements_by_id[rid]
            ).ids
            raise AssessmentError(
                [
                    Problem(
                        f"$[{i}].{rid}",
                        f"rating {col.iloc[i]!r} is not in the rubric; "
                        f"valid ratings: {', '.join(valid)}",
                        "invalid-rating",
                    )
                ],
                "ratings table",
            )
        codes[:, j] = mapped.fillna(UNRATED_CODE).to_numpy(dtype=np.int8)
    _check_na(model, codes, "ratings table", key=True)
    key_frame = frame[list(keys)] if keys else None
    return codes, key_frame


def _check_na(  # noqa: PLR0913 -- where the codes come from
    model: CompiledModel,
    codes: Any,
    source: str,
    *,
    key: bool = False,
    row_offset: int = 0,
    rows: Any = None,
) -> None:
    """Refuse ``na`` in a column whose rubric does not allow it."""
    _, allowed = model.column_facts()
    if allowed is True:
        return
    bad = codes == NA_CODE
    if allowed is not False:
        bad &= ~allowed
    if not bad.any():
        return
    i, j = (int(v) for v in np.argwhere(bad)[0])
    i = _row_number(i, row_offset, rows)
    rid = model.requirement_ids[j]
    valid = model.semantics.rubric(model.pack.requirements_by_id[rid]).ids
    where = f"$[{i}].{rid}" if key else f"$[{i}][{j}]"
    raise AssessmentError(
        [
            Problem(
                where,
                f"'na' is not allowed by pack {model.pack.id}'s rubric; "
                f"valid ratings: {', '.join(valid)}",
                "invalid-rating",
            )
        ],
        source,
    )


def _decode(model: CompiledModel, codes_row: Any) -> dict[str, str | None]:
    ratings: dict[str, str | None] = {}
    for j, (rid, code) in enumerate(
        zip(model.requirement_ids, codes_row.tolist(), strict=True)
    ):
        if code == NA_CODE:
            ratings[rid] = NA
        elif code == UNRATED_CODE:
            ratings[rid] = None
        else:
            ratings[rid] = model.column_rating_ids[j][code]
    return ratings


def _row_number(i: int, start: int, rows: Any) -> int:
    """Row *i* of a chunk from row *start* (of its rows *rows*, if given)."""
    return start + (i if rows is None else int(rows[i]))


def _check_rows(
    model: CompiledModel,
    chunk: Any,
    unrated: str,
    start: int,
    rows: Any = None,
) -> None:
    """
    Refuse the first row of a chunk from row *start* (*rows*: which rows
    of it *chunk* holds) with an invalid code, an unrated cell under
    'error' or a disallowed ``na``; within that row, in that order.  The
    row reported does not depend on how rows are split into chunks.
    """
    highs, allowed = model.column_facts()
    if isinstance(highs, int) and chunk.size:
        # Two reductions clear most chunks: every code a rating (or an
        # allowed na or unrated cell).
        floor = NA_CODE if unrated == "error" else UNRATED_CODE
        low = int(chunk.min())
        if (
            int(chunk.max()) < highs
            and low >= floor
            and (allowed is True or low > NA_CODE)
        ):
            return
    bad = (chunk >= highs) | (chunk < UNRATED_CODE)
    if unrated == "error":
        bad |= chunk == UNRATED_CODE
    if allowed is not True:
        refused = chunk == NA_CODE
        if allowed is not False:
            refused &= ~allowed
        bad |= refused
    flagged = bad.any(axis=1)
    if not flagged.any():
        return
    first = int(np.argmax(flagged))
    row = chunk[first : first + 1]
    where = [_row_number(first, start, rows) - start]
    invalid = (row >= highs) | (row < UNRATED_CODE)
    if invalid.any():
        _invalid_code(model, row, invalid, start, where)
    if unrated == "error":
        _check_unrated(model, row, start, where)
    _check_na(model, row, "ratings matrix", row_offset=start, rows=where)


def _check_unrated(
    model: CompiledModel, chunk: Any, start: int, rows: Any = None
) -> None:
    """Refuse unrated cells (under unrated='error')."""
    if (chunk == UNRATED_CODE).any():
        i, j = (int(v) for v in np.argwhere(chunk == UNRATED_CODE)[0])
        msg = (
            f"row {_row_number(i, start, rows)}: requirement "
            f"{model.requirement_ids[j]} is unrated; rate it or score with "
            "unrated='none'"
        )
        raise ScoringError(msg, "ratings matrix")


#: One row's exact X_1..X_N, S, level and counted levels.
_ExactRow = tuple[tuple[Fraction, ...], Fraction, int | None, int]
#: Presence patterns of levels with fewer groups are keyed by an integer
#: that a float64 product gives exactly (a sum of distinct powers of two
#: below 2**53).
_KEY_BITS = 53
#: Numerators stay below this, so S (up to N level scores) and S · 100
#: (for the decimal column) fit in int64.
_ROW_BOUND = 2**56


class _RowStore(Mapping[int, _ExactRow]):
    """
    The rows of a :class:`BatchResult` that are not over its common
    denominator: rows scored one by one (held as given) and rows with
    ``na`` scored vectorised over their own denominator
    (``row_denominators[i] > 0``), read exactly from the arrays.
    """

    def __init__(  # noqa: PLR0913 -- the result's arrays
        self,
        *,
        one_by_one: dict[int, _ExactRow],
        row_denominators: Any,
        level_numerators: Any,
        score_numerators: Any,
        levels: Any,
        counted: Any,
    ) -> None:
        self.one_by_one = one_by_one
        self.row_denominators = row_denominators
        self._x = level_numerators
        self._s = score_numerators
        self._levels = levels
        self._counted = counted

    def _own(self, i: object) -> int:
        try:
            k = operator.index(i)  # type: ignore[arg-type]
        except TypeError:
            return 0
        if not 0 <= k < len(self.row_denominators):
            return 0
        return int(self.row_denominators[k])

    def __contains__(self, i: object) -> bool:
        return i in self.one_by_one or self._own(i) > 0

    def __getitem__(self, i: int) -> _ExactRow:
        if i in self.one_by_one:
            return self.one_by_one[i]
        d = self._own(i)
        if not d:
            raise KeyError(i)
        level = int(self._levels[i])
        return (
            tuple(Fraction(int(v), d) for v in self._x[i]),
            Fraction(int(self._s[i]), d),
            None if level < 0 else level,
            int(self._counted[i]),
        )

    def __iter__(self) -> Iterator[int]:
        own = np.flatnonzero(self.row_denominators).tolist()
        return iter(sorted({*self.one_by_one, *own}))

    def __len__(self) -> int:
        own = int(np.count_nonzero(self.row_denominators))
        return len(self.one_by_one) + own


@attrs.frozen(eq=False)
class _Pattern:
    """
    One level's presence pattern: its denominator D (a common
    denominator of the group shares / s, the gate and the band bounds),
    and, per group at the level, the integer G_g · D / s (``None`` if a
    bound would overflow).
    """

    denominator: int
    coefficients: tuple[int, ...] | None
    #: The largest X · D · M of the pattern.
    top: int


def _group_runs(
    np: Any, members: Sequence[Sequence[int]]
) -> tuple[list[int], list[tuple[int, int, int, int, int]], Any]:
    """
    Groups (their columns: *members*) ordered by size; the runs of groups
    of one size in that order (see ``_NaPlan.runs``); and the columns,
    group after group.
    """
    group_order = sorted(range(len(members)), key=lambda g: len(members[g]))
    runs = []
    cell = 0
    for size, run in itertools.groupby(
        enumerate(group_order), key=lambda item: len(members[item[1]])
    ):
        placed = [i for i, _ in run]
        width = size * len(placed)
        runs.append((cell, cell + width, size, placed[0], placed[-1] + 1))
        cell += width
    cells = np.array(
        [j for g in group_order for j in members[g]], dtype=np.intp
    )
    return group_order, runs, cells


@attrs.frozen(eq=False)
class _NaPlan:
    """
    X of rows with ``na`` under a linear aggregation, from per (leaf,
    level) group sums and counts and each level's presence pattern
    (which of its groups have no scorable requirement); a pattern's
    shares come from :meth:`Semantics.shares`, once per pattern.
    """

    model: CompiledModel
    groups: tuple[tuple[str, int], ...]
    full_counts: tuple[int, ...]
    #: Per level: the indices of its groups.
    level_groups: tuple[Any, ...]
    #: The columns, group after group, groups ordered by size.
    cells: Any
    #: The rubric of each of ``cells``.
    cell_rubric: Any
    #: Group i of that order is group ``group_order[i]``.
    group_order: Any
    #: (first cell, last cell + 1, group size, first group, last group + 1)
    #: of each run of groups of one size in that order.
    runs: tuple[tuple[int, int, int, int, int], ...]
    sum_dtype: Any
    #: W: one sum gives W · sum_g + count_g.
    radix: int
    #: (rubrics × 256) in ``sum_dtype``: a code's uint8 view → W · its
    #: scaled value + 1 (the lowest value's for unrated), 0 for ``na``.
    lookup: Any
    #: M = lcm(1..largest count).
    multiple: int
    #: M // c for each count c (0 for c = 0).
    inverse: Any
    #: W · sum + c → sum · M // c (0 for c = 0) as float64, if that
    #: table is small; else computed.
    scaled_table: Any
    max_value: int
    #: (levels × groups in ``group_order``) float64: each group's bit
    #: within its level, or ``None`` if a level has too many groups to
    #: key patterns by int.
    bits: Any
    #: Per level: where its groups are in ``group_order``.
    level_positions: tuple[Any, ...]
    #: ``lookup`` two cells at a time (one rubric only; see _pair_table).
    pairs: Any = None
    #: Every pattern seen, all levels; its index is its id.
    patterns: list[_Pattern] = attrs.field(factory=list)
    #: (level, absent groups as bits or packed bytes) → pattern id.
    index: dict[tuple[int, int | bytes], int] = attrs.field(factory=dict)
    #: (patterns × groups) int64 coefficients, rebuilt when one is added.
    stack: list[Any] = attrs.field(factory=list)
    #: Held while patterns are added (blocks are scored by threads).
    lock: Any = attrs.field(factory=threading.Lock)

    @classmethod
    def of(cls, np: Any, model: CompiledModel) -> _NaPlan:
        """The plan of *model*'s root form (kept while *model* lives)."""
        if model not in _PLANS:
            _PLANS[model] = cls._build(np, model)
        return _PLANS[model]

    @classmethod
    def _build(cls, np: Any, model: CompiledModel) -> _NaPlan:
        sem = model.semantics
        counts = sem.counts()
        groups = tuple(counts)
        position = {g: i for i, g in enumerate(groups)}
        max_value = _max_scaled(sem, model.value_scale)
        largest = max(counts.values(), default=1)
        radix = 1 << largest.bit_length()  # a power of two above it
        high = radix * max_value * largest + largest
        if high < _FLOAT32_EXACT:
            dtype = np.float32
        elif high < _EXACT_FLOAT_LIMIT:  # pragma: no cover -- huge values
            dtype = np.float64
        else:  # pragma: no cover
            dtype = np.int64
        members: list[list[int]] = [[] for _ in groups]
        for j, r in enumerate(sem.requirements):
            members[position[r.node, r.level]].append(j)
        group_order, runs, cells = _group_runs(np, members)
        lookup = np.nan_to_num(model.lookup.astype(np.float64)) * radix + 1
        for i, lowest in zip(
            model.column_rubric.tolist(),
            model.column_lowest.tolist(),
            strict=True,
        ):
            lookup[i, UNRATED_CODE + 256] = lowest * radix + 1
        lookup[:, NA_CODE + 256] = 0
        lookup = lookup.astype(dtype)
        multiple = _lcm(range(1, largest + 1))
        inverse = np.array(
            [0, *(multiple // c for c in range(1, largest + 1))],
            dtype=np.int64,
        )
        scaled_table = None
        if (
            dtype is np.float32
            and high < _SCALED_TABLE_SIZE
            # Every entry that occurs (sum · M / c, at most the largest
            # value · M) exact in float64.
            and max_value * multiple < _EXACT_FLOAT_LIMIT
        ):
            packed = np.arange(high + 1, dtype=np.int64)
            # Counts above the largest never occur; they map to 0.
            by_count = np.zeros(radix, dtype=np.int64)
            by_count[: len(inverse)] = inverse
            scaled_table = (
                (packed >> (radix.bit_length() - 1))
                * by_count[packed & (radix - 1)]
            ).astype(np.float64)
        level_groups = tuple(
            np.array(
                [i for i, g in enumerate(groups) if g[1] == k], dtype=np.int64
            )
            for k in model.levels
        )
        position_of = np.empty(len(groups), dtype=np.intp)
        position_of[group_order] = np.arange(len(groups))
        bits = None
        if all(len(cols) < _KEY_BITS for cols in level_groups):
            bits = np.zeros((len(level_groups), len(groups)), np.float64)
            for j, cols in enumerate(level_groups):
                for b, i in enumerate(cols.tolist()):
                    bits[j, position_of[i]] = float(1 << b)
        plan = cls(
            model=model,
            groups=groups,
            full_counts=tuple(counts.values()),
            level_groups=level_groups,
            cells=cells,
            cell_rubric=model.column_rubric[cells],
            group_order=np.array(group_order, dtype=np.intp),
            runs=tuple(runs),
            sum_dtype=dtype,
            radix=radix,
            lookup=lookup,
            pairs=_pair_table(np, lookup),
            multiple=multiple,
            inverse=inverse,
            scaled_table=scaled_table,
            max_value=max_value,
            bits=bits,
            level_positions=tuple(position_of[c] for c in level_groups),
        )
        for j in range(len(level_groups)):
            plan.pattern_id(np, j, 0)  # the all-present patterns: 0..N-1
        return plan

    def _pattern(self, j: int, absent: Sequence[bool]) -> _Pattern:
        """Level *j*'s pattern with *absent* (per group of the level)."""
        model = self.model
        mine = self.level_groups[j].tolist()
        present = {
            self.groups[i]: self.full_counts[i]
            for i, a in zip(mine, absent, strict=True)
            if not a
        }
        shares = model.semantics.shares(present)
        group_shares = [
            shares.get(self.groups[i], Fraction(0))
            * self.full_counts[i]
            / model.value_scale
            for i in mine
        ]
        d = _lcm([c.denominator for c in group_shares] + list(model.bounds))
        ints = tuple(int(c * d) for c in group_shares)
        top = sum(ints) * self.multiple * self.max_value
        if top >= _ROW_BOUND or d * self.multiple >= _ROW_BOUND:
            return _Pattern(d, None, top)
        return _Pattern(d, ints, top)

    def pattern_id(self, np: Any, j: int, key: int | bytes) -> int:
        """The id of level *j*'s pattern *key* (absent groups' bits)."""
        slot = (j, key)
        found = self.index.get(slot)
        if found is not None:
            return found
        width = len(self.level_groups[j])
        if isinstance(key, int):
            absent = [bool(key >> b & 1) for b in range(width)]
        else:
            unpacked = np.unpackbits(np.frombuffer(key, dtype=np.uint8))
            absent = [bool(a) for a in unpacked[:width].tolist()]
        with self.lock:
            if slot not in self.index:
                self.patterns.append(self._pattern(j, absent))
                self.index[slot] = len(self.patterns) - 1
            return self.index[slot]

    def coefficient_stack(self, np: Any) -> Any:
        """(patterns × groups) int64: each pattern's coefficients."""
        with self.lock:
            return self._coefficient_stack(np)

    def _coefficient_stack(self, np: Any) -> Any:
        if self.stack and len(self.stack[0]) == len(self.patterns):
            return self.stack[0]
        level_of = {i: j for (j, _), i in self.index.items()}
        out = np.zeros((len(self.patterns), len(self.groups)), np.int64)
        for i, p in enumerate(self.patterns):
            if p.coefficients is not None:
                out[i, self.level_groups[level_of[i]]] = p.coefficients
        self.stack[:] = [out]
        return out

    def group_sums(
        self, np: Any, codes: Any, scratch: dict[str, Any] | None = None
    ) -> Any:
        """
        (groups × rows), groups in ``group_order``: W · the sum of the
        scaled values of each row's cells in the group (``na`` left out)
        + their count, from *codes* (rows × columns, checked).  The codes
        are taken column by column in group order, so each run of groups
        of one size is summed with one reduction.  *scratch*: see
        :func:`_scratch`.
        """
        rows = len(codes)
        ordered = np.take(
            codes.T,
            self.cells,
            axis=0,
            out=_scratch(
                scratch, "na-codes", (len(self.cells), rows), codes.dtype
            ),
            mode="clip",  # the cells are valid column numbers
        )
        kept = _cell_lookup(
            np,
            self.lookup,
            self.cell_rubric,
            ordered.T,
            self.pairs,
            scratch=scratch,
        ).T
        sums = _scratch(
            scratch, "na-sums", (len(self.groups), rows), kept.dtype
        )
        for first, last, size, low, high in self.runs:
            if size == 1:
                sums[low:high] = kept[first:last]
            else:
                kept[first:last].reshape(high - low, size, rows).sum(
                    axis=1, out=sums[low:high]
                )
        return sums

    def scaled(self, np: Any, sums: Any) -> Any:
        """sum_g · M / count_g (0 where the count is 0) of *sums*."""
        if self.scaled_table is not None:
            return np.take(self.scaled_table, sums.astype(np.intp))
        packed = sums.astype(np.int64)
        shift = self.radix.bit_length() - 1
        return (packed >> shift) * self.inverse[packed & (self.radix - 1)]

    def numerators(
        self, np: Any, codes: Any, scratch: dict[str, Any] | None = None
    ) -> tuple[Any, Any]:
        """
        Per row of *codes* (checked) and level: X · D · M, D being the
        denominator of the row's pattern at that level, and that
        pattern's id.  *scratch*: see :func:`_scratch`.
        """
        sums = self.group_sums(np, codes, scratch)
        scaled = self.scaled(np, sums)
        n_levels = len(self.level_groups)
        base = self.coefficient_stack(np)[:n_levels][:, self.group_order]
        if max(p.top for p in self.patterns[:n_levels]) < _EXACT_FLOAT_LIMIT:
            # Exact: every partial sum is an integer below 2**53.
            y = np.rint(base.astype(np.float64) @ scaled).T.astype(np.int64)
        else:  # pragma: no cover -- only for very fine weights
            y = (base @ scaled.astype(np.int64)).T
        ids = np.zeros(y.shape, dtype=np.int64) + np.arange(n_levels)
        absent = sums == 0
        some = np.flatnonzero(absent.any(axis=0))
        if not len(some):
            return y, ids
        own = ids[some]
        rows, levels = self._odd(np, absent[:, some], own)
        ids[some] = own
        y[some[rows], levels] = self._odd_numerators(
            np, scaled[:, some], own, (rows, levels)
        )
        return y, ids

    def _odd(self, np: Any, gone: Any, ids: Any) -> tuple[Any, Any]:
        """
        Set *ids* of the (row, level) cells with an absent group (*gone*:
        groups in ``group_order`` × rows); return those cells.
        """
        n_levels = len(self.level_groups)
        if self.bits is None:  # a level of over 52 groups
            absent = np.zeros((gone.shape[1], len(self.groups)), dtype=bool)
            absent[:, self.group_order] = gone.T
            return self._odd_wide(np, absent, ids)
        keys = np.rint(self.bits @ gone.astype(np.float64))
        rows, levels = np.nonzero(keys.T)
        keys = keys.T[rows, levels].astype(np.int64)
        pairs = keys * n_levels + levels
        found, which = np.unique(pairs, return_inverse=True)
        mapped = np.array(
            [
                self.pattern_id(np, p % n_levels, p // n_levels)
                for p in found.tolist()
            ],
            dtype=np.int64,
        )
        ids[rows, levels] = mapped[which.reshape(-1)]
        return rows, levels

    def _odd_numerators(
        self, np: Any, scaled: Any, ids: Any, cells: tuple[Any, Any]
    ) -> Any:
        """
        X · D · M of the (row, level) *cells* under their own patterns
        (*ids*), from the rows' *scaled* group values (groups in
        ``group_order`` × rows), level by level over its groups only.
        """
        rows, levels = cells
        stack = self.coefficient_stack(np)
        out = np.zeros(len(rows), dtype=np.int64)
        for j, groups in enumerate(self.level_groups):
            at = np.flatnonzero(levels == j)
            if not len(at):
                continue
            mine = rows[at]
            coefficients = stack[:, groups][ids[mine, j]]
            values = scaled[self.level_positions[j]][:, mine].T
            out[at] = (coefficients * values.astype(np.int64)).sum(axis=1)
        return out

    def _odd_wide(self, np: Any, absent: Any, ids: Any) -> tuple[Any, Any]:
        """:meth:`_odd` keyed by packed bytes, row by row."""
        odd = []
        for j, cols in enumerate(self.level_groups):
            packed = np.packbits(absent[:, cols], axis=1)
            for r in np.flatnonzero(absent[:, cols].any(axis=1)).tolist():
                ids[r, j] = self.pattern_id(np, j, packed[r].tobytes())
                odd.append((r, j))
        rows = np.array([r for r, _ in odd], dtype=np.int64)
        levels = np.array([j for _, j in odd], dtype=np.int64)
        return rows, levels

    def finish(self, np: Any, y: Any, ids: Any) -> tuple[Any, Any]:
        """
        X · R of each row and its denominator R (0 where a bound would
        overflow): one common R = lcm(every pattern's D) · M if it fits,
        else R = lcm(the row's patterns' D) · M.
        """
        n_levels = y.shape[1]
        dens = np.array([p.denominator for p in self.patterns], dtype=object)
        used = np.unique(ids).tolist()
        bad = [i for i in used if self.patterns[i].coefficients is None]
        common = _lcm(self.patterns[i].denominator for i in used)
        top = max(
            (
                self.patterns[i].top * (common // self.patterns[i].denominator)
                for i in used
            ),
            default=0,
        )
        if not bad and n_levels * (top + common * self.multiple) < _ROW_BOUND:
            factor = np.zeros(len(self.patterns), dtype=np.int64)
            for i in used:
                factor[i] = common // self.patterns[i].denominator
            x = y * factor[ids]
            den = np.full(len(y), common * self.multiple, dtype=np.int64)
            return x, den
        x = np.zeros_like(y)
        den = np.zeros(len(y), dtype=np.int64)
        combos, which = np.unique(ids, axis=0, return_inverse=True)
        which = which.reshape(-1)
        for c, combo in enumerate(combos.tolist()):
            patterns = [self.patterns[i] for i in combo]
            if any(p.coefficients is None for p in patterns):
                continue
            r = _lcm(int(d) for d in dens[combo])
            factors = [r // p.denominator for p in patterns]
            high = max(
                p.top * f for p, f in zip(patterns, factors, strict=True)
            )
            if n_levels * (high + r * self.multiple) >= _ROW_BOUND:
                continue
            rows = which == c
            x[rows] = y[rows] * np.array(factors, dtype=np.int64)
            den[rows] = r * self.multiple
        return x, den


#: The na plan of each compiled model, with the patterns seen so far.
_PLANS: weakref.WeakKeyDictionary[CompiledModel, _NaPlan] = (
    weakref.WeakKeyDictionary()
)


def _fold_distinct(
    np: Any, sem: Semantics, x: Any, den: int
) -> tuple[Any, Any, Any]:
    """
    S · *den* and counted levels of each row of X · *den* by the exact
    fold, once per distinct row; and whether S · *den* is an integer that
    fits (rows where it is not must be scored one by one).
    """
    n = x.shape[0]
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=bool)
    distinct, which = np.unique(x, axis=0, return_inverse=True)
    which = which.reshape(-1)
    s = np.zeros(len(distinct), dtype=np.int64)
    counted = np.zeros(len(distinct), dtype=np.int64)
    ok = np.ones(len(distinct), dtype=bool)
    for j, row in enumerate(distinct.tolist()):
        outcome = sem.fold(tuple(Fraction(v, den) for v in row))
        scaled = outcome.score * den
        if scaled.denominator != 1 or not -_ROW_BOUND < scaled < _ROW_BOUND:
            ok[j] = False
            continue
        s[j] = int(scaled)
        counted[j] = outcome.counted
    return s[which], counted[which], ok[which]


@attrs.frozen(eq=False)
class _Block:
    """
    One call of :func:`score_codes`: its input and its result arrays
    (X, S, level, counted, row denominators, one-by-one rows and
    ``na`` pattern ids), which :meth:`score` fills one block of
    :data:`_BLOCK_ROWS` rows at a time; blocks touch disjoint rows, so
    several threads may score blocks at once.
    """

    model: CompiledModel
    codes: Any
    unrated: str
    checked: bool
    plan: _NaPlan | None
    arrays: tuple[Any, ...]
    #: Whether the block is scored at once (see :func:`_fast_block`),
    #: else chunk by chunk with every cell checked first.
    blockwise: bool

    def score(self, start: int) -> None:
        """Score rows *start* to *start* + :data:`_BLOCK_ROWS`."""
        model, plan = self.model, self.plan
        x, s, level, counted, row_den, one_by_one, pattern_ids = self.arrays
        stop = min(start + _BLOCK_ROWS, len(self.codes))
        if not self.blockwise:
            steps = range(start, stop, CHUNK_ROWS)
            for begin in steps:
                chunk = self.codes[begin : min(begin + CHUNK_ROWS, stop)]
                if not self.checked:
                    _check_rows(model, chunk, self.unrated, begin)
                elif self.unrated == "error":
                    _check_unrated(model, chunk, begin)
                na = chunk == NA_CODE
                rows = slice(begin, begin + len(chunk))
                x[rows], one_by_one[rows] = _chunk_numerators(
                    np, model, (chunk, na), self.unrated
                )
        else:
            chunk = self.codes[start:stop]
            scratch: dict[str, Any] = {}
            cx, special = _fast_block(
                model,
                chunk,
                self.unrated,
                start,
                checked=self.checked,
                scratch=scratch,
            )
            # Rows with na under a linear form: their own coefficients
            # and denominator.
            which = np.flatnonzero(special)
            for a in range(0, len(which), _NA_ROWS):
                some = which[a : a + _NA_ROWS]
                if plan is not None:
                    cx[some], own_ids = plan.numerators(
                        np, chunk[some], scratch
                    )
                    pattern_ids[start + some] = own_ids
            row_den[start + which] = -1  # set by _fold_rest
            x[start:stop] = cx
        vector_fold = model.semantics.rule.vector_fold
        if vector_fold is not None:
            rows = slice(start, stop)
            ok = ~one_by_one[rows] & (row_den[rows] == 0)
            den = model.denominator
            cs, cc = vector_fold(np, x[rows], model.gate, den)
            s[rows] = np.where(ok, cs, 0)
            counted[rows] = np.where(ok, cc, 0)
            level[rows] = np.where(
                ok, model.semantics.band_vector(np, s[rows], den), -1
            )


def score_many(  # noqa: PLR0913 -- mirrors score() and compile_model()
    model: CompiledModel | Pack,
    data: Any,
    *,
    profile: str | None = None,
    rule: str | None = None,
    tailoring: Sequence[Tailoring] = (),
    unrated: str = "error",
    workers: int | None = None,
) -> BatchResult:
    """
    Score many assessments at once, exactly.

    Args:
        model: A :class:`CompiledModel`, or a pack to compile with
            *profile*, *rule* and *tailoring*.
        data: A ratings-codes matrix (numpy), a wide pandas DataFrame or
            Arrow table (one column per requirement id, rating ids as
            values), or an iterable of id → rating mappings.
        unrated: ``"error"`` or ``"none"``, as for :func:`score`.
        workers: Threads scoring blocks of 65,536 rows side by side
            (default: one per core this process may run on).  The BLAS
            runs one thread for the call.

    Results are identical to :func:`maturity_core.score` on each row,
    whatever *workers* is.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.3.0 *workers*.
    """
    if isinstance(model, Pack):
        model = compile_model(model, profile, rule=rule, tailoring=tailoring)
    check_unrated_policy(unrated)
    threads = check_workers(workers, "score_many")
    with one_blas_thread():
        return score_codes(
            model, _codes_from(model, data), unrated, workers=threads
        )


def score_codes(
    model: CompiledModel,
    codes: Any,
    unrated: str,
    *,
    checked: bool = False,
    workers: int = 1,
) -> BatchResult:
    """
    :func:`score_many` of an int8 codes matrix (row-major or
    column-major).  With *checked*, every code is known to be valid and
    every ``na`` allowed (only unrated cells are still looked for).
    Blocks of rows are scored by *workers* threads.
    """
    n = codes.shape[0]
    x = np.zeros((n, len(model.levels)), dtype=np.int64)
    s = np.zeros(n, dtype=np.int64)
    level = np.full(n, -1, dtype=np.int64)
    counted = np.zeros(n, dtype=np.int64)
    row_den = np.zeros(n, dtype=np.int64)
    one_by_one = np.zeros(n, dtype=bool)
    plan = (
        _NaPlan.of(np, model)
        if model.fast and model.root_form.kind == "linear"
        else None
    )
    blockwise = model.fast and model.root_form.kind in {"linear", "lowest"}
    # Zeroed lazily by the system: pages no block writes cost nothing.
    pattern_ids = None if plan is None else np.zeros(x.shape, np.int32)
    block = _Block(
        model=model,
        codes=codes,
        unrated=unrated,
        checked=checked,
        plan=plan,
        arrays=(x, s, level, counted, row_den, one_by_one, pattern_ids),
        blockwise=blockwise,
    )
    starts = range(0, n, _BLOCK_ROWS)
    if workers > 1 and len(starts) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            # In order: the first error raised is the first row's.
            for _ in pool.map(block.score, starts):
                pass
    else:
        for begin in starts:
            block.score(begin)
    _fold_rest(
        np,
        model,
        (x, s, level, counted),
        (plan, pattern_ids, row_den),
        one_by_one,
    )
    exact_rows = _score_one_by_one(
        np, model, codes, one_by_one, level, counted, unrated
    )
    return BatchResult(
        model=model,
        level_numerators=x,
        score_numerators=s,
        levels=level,
        counted=counted,
        exact_rows=_RowStore(
            one_by_one=exact_rows,
            row_denominators=row_den,
            level_numerators=x,
            score_numerators=s,
            levels=level,
            counted=counted,
        ),
    )


def _block_numerators(
    model: CompiledModel, chunk: Any, scratch: dict[str, Any]
) -> tuple[Any, Any]:
    """
    X · L of each row of a block (see :func:`_fast_block`) with every
    cell looked up as is, and the rows that gave NaN.
    """
    form = model.root_form

    def values(rows: slice) -> Any:
        return _cell_lookup(
            np,
            model.lookup,
            model.column_rubric,
            chunk[rows],
            model.pairs,
            scratch=scratch,
        )

    steps = [
        slice(a, a + CHUNK_ROWS) for a in range(0, len(chunk), CHUNK_ROWS)
    ]
    if form.kind == "lowest":
        lowest = np.zeros((len(chunk), len(form.present)), dtype=np.float32)
        for rows in steps:
            cells = values(rows)
            for j, cols in enumerate(form.columns):
                if len(cols):
                    # NaN (na, unrated, invalid) wins: such rows are odd.
                    lowest[rows, j] = cells[:, cols].min(axis=1)
        odd = np.isnan(lowest).any(axis=1)
        lowest[odd] = 0
        # An absent level scores 0.
        cx = lowest.astype(np.int64) * form.multiplier
    elif form.method == "float32":
        width = form.digits.shape[1]
        product = _scratch(scratch, "product", (len(chunk), width), np.float32)
        mostly_odd = False
        for rows in steps:
            if mostly_odd:
                # Most rows of the block's first chunk gave NaN (na or
                # unrated cells): leave the rest to the odd rows' path
                # rather than take a product that is thrown away.
                product[rows] = np.nan
                continue
            np.matmul(values(rows), form.digits, out=product[rows])
            if rows.start == 0:
                nan = np.isnan(product[rows]).any(axis=1)
                mostly_odd = 2 * int(np.count_nonzero(nan)) > len(nan)
        cx, odd = _from_digits(form, product)
    else:
        parts = [_form_numerators(form, values(r), None) for r in steps]
        cx = np.concatenate([p[0] for p in parts])
        odd = np.concatenate([p[1] for p in parts])
    return cx, odd


def _fast_block(  # noqa: PLR0913 -- a block, where it is, how to score
    model: CompiledModel,
    chunk: Any,
    unrated: str,
    start: int,
    *,
    checked: bool,
    scratch: dict[str, Any],
) -> tuple[Any, Any]:
    """
    X · L of each row of a block from row *start* under a linear or a
    lowest-value root form, and the rows with ``na`` under a linear form
    (left to the na plan; a minimum leaves ``na`` cells out here).

    Nothing is checked before the product: an invalid code, an ``na`` or
    an unrated cell looks up NaN, so only the rows whose product is NaN
    are checked (as :func:`_check_rows` would, with the same first
    error) and scored again.  The values are looked up and multiplied
    :data:`CHUNK_ROWS` rows at a time (small enough to stay in cache);
    the digit sums are recombined for the whole block.
    """
    cx, odd = _block_numerators(model, chunk, scratch)
    form = model.root_form
    has_na = np.zeros(len(chunk), dtype=bool)
    if not odd.any():
        return cx, has_na
    which = np.flatnonzero(odd)
    some = chunk[which]
    if not checked:
        _check_rows(model, some, unrated, start, which)
    elif unrated == "error":
        _check_unrated(model, some, start, which)
    na = some == NA_CODE
    if form.kind == "lowest":
        # na cells are left out of the minimum; unrated='none' cells
        # count as their rubric's lowest value.
        again = which
    else:
        with_na = na.any(axis=1)
        has_na[which[with_na]] = True
        again = which[~with_na]  # unrated cells under unrated='none'
        na = na[~with_na]
    for a in range(0, len(again), CHUNK_ROWS):
        rows = again[a : a + CHUNK_ROWS]
        x, _ = _form_numerators(
            form, _values(model, chunk[rows], unrated), na[a : a + CHUNK_ROWS]
        )
        cx[rows] = np.maximum(x, 0) if form.kind == "lowest" else x
    return cx, has_na


def _chunk_numerators(
    np: Any,
    model: CompiledModel,
    cells: tuple[Any, Any],
    unrated: str,
) -> tuple[Any, Any]:
    """
    X · L of each row of a chunk (codes, and where they are ``na``) under
    a lowest-value form or a rule that reads node scores, and the rows
    X · L does not give.
    """
    chunk, na = cells
    values = _values(model, chunk, unrated)
    cx, special = _form_numerators(model.root_form, values, na)
    if model.root_form.kind == "lowest":
        cx = np.maximum(cx, 0)  # an absent level scores 0
    elif model.root_form.kind == "rows":
        special = np.ones(len(values), dtype=bool)
    if not model.fast:
        special = np.ones(len(values), dtype=bool)
    return cx, special


def _fold_rest(
    np: Any,
    model: CompiledModel,
    arrays: tuple[Any, Any, Any, Any],
    own_rows: tuple[_NaPlan | None, Any, Any],
    one_by_one: Any,
) -> None:
    """
    Fold the rows the chunks left: every row under a rule without a
    vectorised fold, and rows with ``na`` (their X put over their own
    denominator by *plan*), one call per denominator.  Rows that cannot
    be folded so are marked *one_by_one*.  *arrays* are the result's X,
    S, level and counted, filled in here.
    """
    x, s, level, counted = arrays
    plan, pattern_ids, row_den = own_rows
    if plan is not None and pattern_ids is not None and row_den.any():
        own = np.flatnonzero(row_den)
        x[own], row_den[own] = plan.finish(np, x[own], pattern_ids[own])
        one_by_one[own] = row_den[own] == 0
    sem = model.semantics
    den = model.denominator
    vector_fold = sem.rule.vector_fold
    if vector_fold is None:
        # A rule without a vectorised fold folds each distinct exact X;
        # an S outside the denominator is scored one by one.
        common = np.flatnonzero(~one_by_one & (row_den == 0))
        cs, cc, ok = _fold_distinct(np, sem, x[common], den)
        s[common], counted[common] = cs, cc
        level[common] = sem.band_vector(np, cs, den)
        one_by_one[common[~ok]] = True
    own = np.flatnonzero(row_den)
    if len(own) and (row_den[own] == row_den[own[0]]).all():
        # The usual case: every such row over one common denominator.
        groups = [(int(row_den[own[0]]), own)]
    else:
        dens, which = np.unique(row_den[own], return_inverse=True)
        which = which.reshape(-1)
        groups = [(d, own[which == j]) for j, d in enumerate(dens.tolist())]
    for d, rows_d in groups:
        if vector_fold is not None:
            gate = None if sem.gate is None else int(sem.gate * d)
            cs, cc = vector_fold(np, x[rows_d], gate, d)
            ok = np.ones(len(rows_d), dtype=bool)
        else:
            cs, cc, ok = _fold_distinct(np, sem, x[rows_d], d)
        s[rows_d], counted[rows_d] = cs, cc
        level[rows_d] = sem.band_vector(np, s[rows_d], d)
        one_by_one[rows_d[~ok]] = True
        row_den[rows_d[~ok]] = 0


def _score_one_by_one(  # noqa: PLR0913, PLR0917 -- the result's arrays
    np: Any,
    model: CompiledModel,
    codes: Any,
    one_by_one: Any,
    level: Any,
    counted: Any,
    unrated: str,
) -> dict[int, _ExactRow]:
    """Score the rows marked *one_by_one* by the exact semantics."""
    sem = model.semantics
    exact_rows: dict[int, _ExactRow] = {}
    for i in np.flatnonzero(one_by_one).tolist():
        ev = sem.evaluate(_decode(model, codes[i]), unrated=unrated)
        exact_rows[i] = (
            ev.level_scores,
            ev.score,
            ev.level,
            ev.outcome.counted,
        )
        level[i] = -1 if ev.level is None else ev.level
        counted[i] = ev.outcome.counted
    return exact_rows
