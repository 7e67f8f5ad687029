"""
Batch scoring: compile a pack, profile and scope once, score many.

The exact scalar path (:func:`maturity_core.score`) is the oracle; this
path must give identical results.  It does so with integer arithmetic:
for each level k, X_k is a fixed linear form of the ratings,

    X_k = Σ_r c_r · v_r,

where c_r is the requirement's exact share (its leaf's absolute weight,
renormalised over the leaves present at level k, divided by the number of
requirements of that leaf at level k) and v_r the rating value.  With L a
common denominator of every c_r · v_r, the gate and the band bounds,
X_k · L = Σ_r C_r · V_r with integers C_r = c_r · L / s and V_r = v_r · s
(s the rubric's value scale).

The sum is taken with a float32 matrix product, which is exact: each
C_r is split into base-2**b digits so small that every partial sum is a
non-negative integer below 2**24, whatever order the BLAS adds in; the
digit sums are recombined in int64.  (If a pack is too large for that, a
float64 product with the bound 2**53 is used, and failing that Python
integers.)  Rows are processed in chunks, so memory stays near the size
of the ratings matrix.

Rows with ``na`` (or unrated requirements scored as the lowest value) are
scored by the exact scalar path, so renormalisation stays exact there too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs

from ._assessment import Assessment, RatingEntry, Tailoring
from ._format import exact
from ._model import NA, ROOT, Pack, Profile
from ._rules import get_rule
from ._scoring import _in_scope, score
from .exceptions import AssessmentError, MaturityCoreError, Problem


#: Code for a ``na`` rating in a ratings matrix.
NA_CODE = -1
#: Code for an unrated requirement in a ratings matrix.
UNRATED_CODE = -2
_EXACT_FLOAT_LIMIT = 2**53
_BUILTIN_RULES = ("cumulative-gated", "cumulative-gated-unit")


def _numpy() -> Any:
    try:
        import numpy as np  # noqa: PLC0415 -- optional dependency
    except ImportError:  # pragma: no cover -- exercised without the extra
        msg = "batch scoring needs numpy: pip install 'maturity-core[batch]'"
        raise MaturityCoreError(msg) from None
    return np


def _lcm(values: Iterable[int]) -> int:
    out = 1
    for v in values:
        out = math.lcm(out, v)
    return out


@attrs.frozen(eq=False)
class CompiledModel:
    """
    A pack, profile, scope and level rule compiled into arrays.

    Build one with :func:`compile_model`; score with :func:`score_many`.
    Column *j* of a ratings matrix is requirement ``requirement_ids[j]``;
    a cell holds the index of the rating in ``rating_ids``, or
    :data:`NA_CODE`, or :data:`UNRATED_CODE`.

    .. versionadded:: 0.1.0
    """

    pack: Pack
    profile: Profile
    rule: str
    tailoring: tuple[Tailoring, ...]
    requirement_ids: tuple[str, ...]
    rating_ids: tuple[str, ...]
    denominator: int
    #: Integer value of each rating code, times ``value_scale``.
    rating_values: Any
    value_scale: int
    #: (requirements × levels) integer coefficients C_r, int64.
    coefficients: Any
    gate: int
    band_mins: Any
    band_levels: Any
    #: "float32" (digit-split product), "float64" or "object".
    method: str
    digit_bits: int
    #: (requirements × levels·digits) float32 digits of the coefficients.
    digits: Any
    #: 256-entry float32 table: uint8 view of a code → scaled value, NaN
    #: for na, unrated and invalid codes.
    lookup: Any

    @property
    def levels(self) -> tuple[int, ...]:
        """The pack's level numbers."""
        return self.pack.level_numbers

    def column_index(self) -> dict[str, int]:
        """Requirement id → column."""
        return {rid: j for j, rid in enumerate(self.requirement_ids)}

    def encode(self, ratings: Mapping[str, str | None]) -> Any:
        """One assessment's ratings (id → rating) as a row of codes."""
        np = _numpy()
        code = {r: i for i, r in enumerate(self.rating_ids)}
        code[NA] = NA_CODE
        row = np.full(len(self.requirement_ids), UNRATED_CODE, np.int8)
        for j, rid in enumerate(self.requirement_ids):
            rating = ratings.get(rid)
            if rating is not None:
                row[j] = code[rating]
        return row


def leaf_shares(
    pack: Pack,
    profile: Profile,
    scope: frozenset[str],
    counts: Mapping[tuple[str, int], int],
    root: str,
) -> dict[tuple[str, int], Fraction]:
    """
    The exact share of each leaf below *root* in *root*'s score at each
    level, renormalised over the leaves present there (as the scalar path
    does when nothing is ``na``).
    """

    def present(nid: str, k: int) -> bool:
        # As in the scalar path: a leaf is present at k if it has
        # requirements there; an internal node if its present children
        # carry positive total weight.
        node = pack.nodes[nid]
        if node.is_leaf:
            return (nid, k) in counts
        return (
            sum(
                (
                    profile.weights[c.id]
                    for c in node.children
                    if c.id in scope and present(c.id, k)
                ),
                Fraction(0),
            )
            > 0
        )

    shares: dict[tuple[str, int], Fraction] = {}

    def spread(nid: str, k: int, share: Fraction) -> None:
        node = pack.nodes[nid]
        if node.is_leaf:
            shares[nid, k] = share
            return
        kids = [
            c.id for c in node.children if c.id in scope and present(c.id, k)
        ]
        total = sum((profile.weights[c] for c in kids), Fraction(0))
        for c in kids:
            spread(c, k, share * profile.weights[c] / total)

    for k in pack.level_numbers:
        if present(root, k):
            spread(root, k, Fraction(1))
    return shares


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
    np = _numpy()
    probe = Assessment(
        pack=pack.id, ratings=(), profile=profile, tailoring=tuple(tailoring)
    )
    from ._assessment import iter_assessment_problems  # noqa: PLC0415
    from ._scoring import resolve_profile  # noqa: PLC0415

    prof = resolve_profile(pack, probe, profile)
    if weights:
        prof = _with_weights(pack, prof, weights)
    problems = list(iter_assessment_problems(pack, probe, prof))
    if problems:
        raise AssessmentError(problems, "batch tailoring")
    rule_name = rule or pack.method.rule
    get_rule(rule_name)
    scope = _in_scope(pack, prof, (t.node for t in tailoring))
    reqs = [r for r in pack.requirements if r.node in scope]
    levels = pack.level_numbers

    # Count requirements per leaf and level.
    counts: dict[tuple[str, int], int] = {}
    for r in reqs:
        counts[r.node, r.level] = counts.get((r.node, r.level), 0) + 1

    absolute = leaf_shares(pack, prof, scope, counts, ROOT)

    options = pack.rubric.options
    value_scale = _lcm(o.value.denominator for o in options)
    coef = [
        absolute.get((r.node, r.level), Fraction(0))
        / counts[r.node, r.level]
        / value_scale
        for r in reqs
    ]
    denominator = _lcm(
        [c.denominator for c in coef]
        + [pack.method.gate.denominator]
        + [b.min.denominator for b in pack.method.bands]
    )
    level_pos = {k: i for i, k in enumerate(levels)}
    scaled_max = max(int(o.value * value_scale) for o in pack.rubric.options)
    if denominator * max(scaled_max, 1) * max(len(reqs), 1) >= 2**62:
        from .exceptions import ScoringError  # noqa: PLC0415

        msg = (
            f"the weights of profile {prof.id!r} are too fine-grained for "
            f"exact batch scoring in 64-bit integers (common denominator "
            f"{denominator}); score with maturity_core.score instead"
        )
        raise ScoringError(msg)
    coefficients = np.zeros((len(reqs), len(levels)), dtype=np.int64)
    for j, (r, c) in enumerate(zip(reqs, coef, strict=True)):
        coefficients[j, level_pos[r.level]] = int(c * denominator)
    scaled = [int(o.value * value_scale) for o in options]
    method, bits, digits = _plan_product(np, coefficients, max(scaled))
    lookup = np.full(256, np.nan, dtype=np.float32)
    lookup[: len(scaled)] = scaled
    return CompiledModel(
        pack=pack,
        profile=prof,
        rule=rule_name,
        tailoring=tuple(tailoring),
        requirement_ids=tuple(r.id for r in reqs),
        rating_ids=tuple(o.id for o in options),
        denominator=denominator,
        rating_values=np.array(scaled, dtype=np.int64),
        value_scale=value_scale,
        coefficients=coefficients,
        gate=int(pack.method.gate * denominator),
        band_mins=np.array(
            [int(b.min * denominator) for b in pack.method.bands],
            dtype=np.int64,
        ),
        band_levels=np.array(
            [b.level for b in pack.method.bands], dtype=np.int64
        ),
        method=method,
        digit_bits=bits,
        digits=digits,
        lookup=lookup,
    )


_FLOAT32_EXACT = 2**24


def _with_weights(
    pack: Pack, profile: Profile, weights: Mapping[str, Fraction]
) -> Profile:
    """*profile* with *weights* replaced, each sibling group renormalised."""
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
    ``exact_rows`` (rows with ``na`` or scored with a custom rule), whose
    exact values are held there.  Use :meth:`score`, :meth:`level_scores`
    or :meth:`to_pandas` rather than the arrays when in doubt.

    .. versionadded:: 0.1.0
    """

    model: CompiledModel
    level_numerators: Any
    score_numerators: Any
    levels: Any
    counted: Any
    exact_rows: Mapping[int, tuple[tuple[Fraction, ...], Fraction, int, int]]

    @property
    def denominator(self) -> int:
        """The common denominator of the fast rows."""
        return self.model.denominator

    def __len__(self) -> int:
        return len(self.levels)

    def score(self, i: int) -> Fraction:
        """S of row *i*, exact."""
        if i in self.exact_rows:
            return self.exact_rows[i][1]
        return Fraction(int(self.score_numerators[i]), self.denominator)

    def level(self, i: int) -> int:
        """The level of row *i*."""
        return int(self.levels[i])

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

    def to_pandas(self, keys: Any = None) -> Any:
        """
        A DataFrame: *keys* columns, then ``score`` (exact string),
        ``score_decimal``, ``level``, ``counted_levels`` and ``X<k>``
        (exact strings).
        """
        import pandas as pd  # noqa: PLC0415 -- optional dependency

        np = _numpy()
        den = self.denominator
        frame = pd.DataFrame(index=range(len(self)))
        if keys is not None:
            frame = pd.concat(
                [pd.DataFrame(keys).reset_index(drop=True), frame], axis=1
            )
        frame["score"] = _exact_strings(np, self.score_numerators, den)
        scaled = self.score_numerators * 100 // den
        frame["score_decimal"] = [
            f"{int(v) // 100}.{int(v) % 100:02d}" for v in scaled
        ]
        frame["level"] = self.levels.astype(np.int64)
        frame["counted_levels"] = self.counted.astype(np.int64)
        for j, k in enumerate(self.model.levels):
            frame[f"X{k}"] = _exact_strings(
                np, self.level_numerators[:, j], den
            )
        for i, (xs, s, level, counted) in self.exact_rows.items():
            frame.loc[i, "score"] = exact(s)
            frame.loc[i, "score_decimal"] = _two_places(s)
            frame.loc[i, "level"] = level
            frame.loc[i, "counted_levels"] = counted
            for k, x in zip(self.model.levels, xs, strict=True):
                frame.loc[i, f"X{k}"] = exact(x)
        return frame


def _two_places(value: Fraction) -> str:
    from ._format import decimal  # noqa: PLC0415

    return decimal(value)


def _exact_strings(np: Any, numerators: Any, den: int) -> list[str]:
    nums = np.asarray(numerators, dtype=np.int64)
    g = np.gcd(nums, np.int64(den))
    g[g == 0] = 1
    n = nums // g
    d = np.int64(den) // g
    return [
        str(a) if b == 1 else f"{a}/{b}"
        for a, b in zip(n.tolist(), d.tolist(), strict=True)
    ]


#: Rows scored per step; small enough for the CPU cache.
CHUNK_ROWS = 1024


def _level_numerators(model: CompiledModel, chunk: Any) -> tuple[Any, Any]:
    """X·L of each row of *chunk*, and which rows need the exact path."""
    np = _numpy()
    # na, unrated and invalid codes look up NaN, which propagates through
    # the product and marks the row for the exact path.
    values = np.take(model.lookup, chunk.view(np.uint8))
    k = model.coefficients.shape[1]
    if model.method == "float32":
        product = values @ model.digits
        special = np.isnan(product).any(axis=1)
        if special.any():
            product[special] = 0
        x = np.zeros((chunk.shape[0], k), dtype=np.int64)
        for d in range(model.digits.shape[1] // k):
            part = np.rint(product[:, d * k : (d + 1) * k]).astype(np.int64)
            x += part << (model.digit_bits * d)
        return x, special
    special = np.isnan(values).any(axis=1)
    values[special] = 0
    if model.method == "float64":
        x = np.rint(values.astype(np.float64) @ model.digits).astype(np.int64)
    else:  # pragma: no cover -- only for packs with huge denominators
        x = (values.astype(np.int64).astype(object) @ model.digits).astype(
            np.int64
        )
    return x, special


def _apply_rule(model: CompiledModel, x: Any) -> tuple[Any, Any, Any]:
    """S·L, level and counted levels from X·L, by the built-in rules."""
    np = _numpy()
    n_levels = x.shape[1]
    fails = x < model.gate
    first = np.where(fails.any(axis=1), fails.argmax(axis=1), n_levels - 1)
    rows = np.arange(x.shape[0])
    if model.rule == "cumulative-gated":
        s = np.cumsum(x, axis=1)[rows, first]
    else:
        s = first * model.denominator + x[rows, first]
    idx = np.searchsorted(model.band_mins, s, side="right")
    level = np.where(idx > 0, model.band_levels[np.maximum(idx - 1, 0)], 0)
    return s, level, first + 1


def _codes_from(model: CompiledModel, data: Any) -> Any:
    np = _numpy()
    if isinstance(data, np.ndarray):
        codes = data
    elif hasattr(data, "to_pandas") and (
        not hasattr(data, "columns") or hasattr(data, "column_names")
    ):
        codes = encode_frame(model, data.to_pandas())[0]
    elif hasattr(data, "columns"):
        codes = encode_frame(model, data)[0]
    else:
        codes = np.stack([model.encode(r) for r in data])  # noqa: PD013 -- numpy
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
    model: CompiledModel, codes: Any, bad: Any, row_offset: int = 0
) -> None:
    np = _numpy()
    i, j = (int(v) for v in np.argwhere(bad)[0])
    value = int(codes[i, j])
    i += row_offset
    high = len(model.rating_ids) - 1
    msg = (
        f"code {value} is not a rating code; valid codes: "
        f"0..{high} ({', '.join(model.rating_ids)}), {NA_CODE} (na), "
        f"{UNRATED_CODE} (unrated)"
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
    np = _numpy()
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
    lookup = {r: i for i, r in enumerate(model.rating_ids)}
    lookup[NA] = NA_CODE
    codes = np.empty((len(frame), len(model.requirement_ids)), dtype=np.int8)
    for j, rid in enumerate(model.requirement_ids):
        col = frame[rid]
        mapped = col.map(lookup)
        unrated = col.isna()
        invalid = mapped.isna() & ~unrated
        if invalid.any():
            i = int(np.argmax(invalid.to_numpy()))
            raise AssessmentError(
                [
                    Problem(
                        f"$[{i}].{rid}",
                        f"rating {col.iloc[i]!r} is not in the rubric; "
                        f"valid ratings: {', '.join(model.pack.rubric.ids)}",
                        "invalid-rating",
                    )
                ],
                "ratings table",
            )
        codes[:, j] = mapped.fillna(UNRATED_CODE).to_numpy(dtype=np.int8)
    if NA not in model.pack.rubric.ids and (codes == NA_CODE).any():
        i, j = (int(v) for v in np.argwhere(codes == NA_CODE)[0])
        raise AssessmentError(
            [
                Problem(
                    f"$[{i}].{model.requirement_ids[j]}",
                    f"'na' is not allowed by pack {model.pack.id}'s rubric; "
                    f"valid ratings: {', '.join(model.pack.rubric.ids)}",
                    "invalid-rating",
                )
            ],
            "ratings table",
        )
    key_frame = frame[list(keys)] if keys else None
    return codes, key_frame


def _exact_row(
    model: CompiledModel, codes_row: Any, unrated: str
) -> tuple[tuple[Fraction, ...], Fraction, int, int]:
    ratings: dict[str, str | None] = {}
    for rid, code in zip(
        model.requirement_ids, codes_row.tolist(), strict=True
    ):
        if code == NA_CODE:
            ratings[rid] = NA
        elif code == UNRATED_CODE:
            ratings[rid] = None
        else:
            ratings[rid] = model.rating_ids[code]
    assessment = Assessment(
        pack=model.pack.id,
        profile=model.profile.id,
        tailoring=model.tailoring,
        ratings=tuple(RatingEntry(rid, r) for rid, r in ratings.items()),
    )
    result = score(
        model.pack,
        assessment,
        profile=model.profile.id,
        rule=model.rule,
        unrated=unrated,
    )
    return (
        result.level_scores,
        result.score,
        result.level,
        result.counted_levels,
    )


def score_many(  # noqa: PLR0913 -- mirrors score() and compile_model()
    model: CompiledModel | Pack,
    data: Any,
    *,
    profile: str | None = None,
    rule: str | None = None,
    tailoring: Sequence[Tailoring] = (),
    unrated: str = "error",
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

    Results are identical to :func:`maturity_core.score` on each row.

    .. versionadded:: 0.1.0
    """
    np = _numpy()
    if isinstance(model, Pack):
        model = compile_model(model, profile, rule=rule, tailoring=tailoring)
    if unrated not in ("error", "none"):
        msg = f"unrated must be 'error' or 'none' (got {unrated!r})"
        raise ValueError(msg)
    codes = _codes_from(model, data)
    n = codes.shape[0]
    x = np.zeros((n, len(model.levels)), dtype=np.int64)
    s = np.zeros(n, dtype=np.int64)
    level = np.zeros(n, dtype=np.int64)
    counted = np.zeros(n, dtype=np.int64)
    exact_rows: dict[int, tuple[tuple[Fraction, ...], Fraction, int, int]] = {}
    # Only the weighted mean with a built-in rule is linear; anything else
    # is scored row by row on the exact path.
    custom = (
        model.rule not in _BUILTIN_RULES
        or model.pack.method.aggregation != "weighted-mean"
    )
    high = len(model.rating_ids)
    for start in range(0, n, CHUNK_ROWS):
        chunk = codes[start : start + CHUNK_ROWS]
        cx, special = _level_numerators(model, chunk)
        x[start : start + len(chunk)] = cx
        if not custom:
            cs, cl, cc = _apply_rule(model, cx)
            s[start : start + len(chunk)] = cs
            level[start : start + len(chunk)] = cl
            counted[start : start + len(chunk)] = cc
        slow = np.flatnonzero(special) if not custom else range(len(chunk))
        for i in slow:
            row = chunk[i]
            bad = (row >= high) | (row < UNRATED_CODE)
            if bad.any():
                _invalid_code(
                    model, chunk[i : i + 1], bad[None, :], start + int(i)
                )
            if unrated == "error" and (row == UNRATED_CODE).any():
                j = int(np.argmax(row == UNRATED_CODE))
                from .exceptions import ScoringError  # noqa: PLC0415

                msg = (
                    f"row {start + i}: requirement "
                    f"{model.requirement_ids[j]} is unrated; rate it or "
                    "score with unrated='none'"
                )
                raise ScoringError(msg, "ratings matrix")
            if NA not in model.pack.rubric.ids and (row == NA_CODE).any():
                j = int(np.argmax(row == NA_CODE))
                raise AssessmentError(
                    [
                        Problem(
                            f"$[{start + i}][{j}]",
                            f"'na' is not allowed by pack {model.pack.id}'s "
                            f"rubric; valid ratings: "
                            f"{', '.join(model.pack.rubric.ids)}",
                            "invalid-rating",
                        )
                    ],
                    "ratings matrix",
                )
            exact = _exact_row(model, row, unrated)
            exact_rows[start + int(i)] = exact
            level[start + i] = exact[2]
            counted[start + i] = exact[3]
    return BatchResult(
        model=model,
        level_numerators=x,
        score_numerators=s,
        levels=level,
        counted=counted,
        exact_rows=exact_rows,
    )
