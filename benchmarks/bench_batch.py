"""
Batch-scoring benchmark (run with ``nox -s bench``).

On the DB12/T 1073-2021 discrete profile (495 requirements), scores a
synthetic population of N assessments (default 1,000,000) and prints:

- assessments per second of ``score_many``;
- speed-up over the exact scalar path (``score``) per assessment;
- time relative to one streaming numpy pass over the same ratings matrix
  (a row sum: the memory-bandwidth floor);
- peak memory allocated during ``score_many`` relative to the matrix;
- ``score_many`` time against one ``np.bitwise_or.reduce(axis=1)`` pass
  and one row-sum pass over the same matrix.

Then, on BC grading (weighted mean; its rubric allows ``na``), the
throughput with 0 %, 1 %, 10 % and 100 % of rows holding ``na`` (each such
row rates a tenth of its cells ``na``) relative to the throughput without
``na``, and how many rows went to the exact path; and on the devpractice
example pack (``minimum`` aggregation, a pack rule with a vectorised
fold) the throughput.

Targets: within 10x of the streaming pass, at least 200x the scalar path,
peak memory at most 3x the matrix, at least 50 % of the no-``na``
throughput with 1, 10 and 100 % ``na`` rows.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

import maturity_core as mc


def _best(func, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("-n", "--rows", dest="n", type=int, default=1_000_000)
    parser.add_argument(
        "--na-cells",
        type=float,
        default=0.1,
        help="share of an na row's cells rated na (default 0.1)",
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scalar-samples", type=int, default=300)
    args = parser.parse_args()

    pack = mc.load_pack("db12t1073")
    model = mc.batch.compile_model(pack, "discrete")
    codes = mc.batch.synthetic_population(model, args.n, seed=2021)
    matrix_bytes = codes.nbytes
    print(
        f"ratings matrix: {codes.shape[0]:,} x {codes.shape[1]} int8 "
        f"({matrix_bytes / 2**20:.0f} MiB); product: {model.root_form.method}, "
        f"{model.root_form.digit_bits}-bit digits"
    )

    floor = _best(lambda: codes.sum(axis=1, dtype=np.int32), args.repeat)
    bitwise = _best(lambda: np.bitwise_or.reduce(codes, axis=1), args.repeat)
    batch = _best(lambda: mc.batch.score_many(model, codes), args.repeat)

    tracemalloc.start()
    result = mc.batch.score_many(model, codes)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    samples = min(args.scalar_samples, args.n)
    assessments = []
    for row in codes[:samples]:
        ratings = tuple(
            mc.RatingEntry(rid, model.rating_ids[c])
            for rid, c in zip(model.requirement_ids, row.tolist(), strict=True)
        )
        assessments.append(
            mc.Assessment(pack=pack.id, profile="discrete", ratings=ratings)
        )
    start = time.perf_counter()
    scalar = [mc.score(pack, a) for a in assessments]
    per_scalar = (time.perf_counter() - start) / samples
    mismatches = sum(
        r.score != result.score(i) or r.level != result.level(i)
        for i, r in enumerate(scalar)
    )

    per_batch = batch / args.n
    memory_ratio = (matrix_bytes + peak) / matrix_bytes
    figures = {
        "assessments per second": f"{args.n / batch:,.0f}",
        "speed-up over the scalar path": (
            f"{per_scalar / per_batch:,.0f}x "
            f"(scalar {per_scalar * 1e3:.2f} ms, batch "
            f"{per_batch * 1e6:.2f} us per assessment)"
        ),
        "time relative to one streaming pass": (
            f"{batch / floor:.1f}x (batch {batch:.3f} s, pass {floor:.3f} s)"
        ),
        "time relative to one bitwise-or pass": (
            f"{batch / bitwise:.1f}x (batch {batch:.3f} s, pass "
            f"{bitwise:.3f} s)"
        ),
        "peak memory relative to the matrix": (
            f"{memory_ratio:.2f}x (matrix {matrix_bytes / 2**20:.0f} MiB + "
            f"{peak / 2**20:.0f} MiB allocated while scoring)"
        ),
    }
    for name, value in figures.items():
        print(f"{name}: {value}")
    print(
        f"scalar check: {samples - mismatches}/{samples} sampled rows equal "
        "the exact scalar path"
    )
    del codes, result
    na_ratios, na_mismatches = _na_figures(args)
    _minimum_figures(args)
    met = {
        "within 10x of the streaming pass": batch / floor <= 10,
        "at least 200x the scalar path": per_scalar / per_batch >= 200,
        "peak memory at most 3x the matrix": memory_ratio <= 3,
        **{
            f"at least 50 % of the no-na throughput with {share:.0%} na "
            "rows": ratio >= 0.5
            for share, ratio in na_ratios.items()
            if share > 0
        },
    }
    for name, ok in met.items():
        print(f"target {name}: {'met' if ok else 'NOT met'}")
    return 0 if mismatches == 0 and na_mismatches == 0 else 1


def _with_na(codes, model, share, cells, seed):
    """*codes* with a *share* of rows rating *cells* of their cells na."""
    rng = np.random.default_rng(seed)
    out = codes.copy()
    allowed = np.array(
        [
            model.semantics.rubric(model.pack.requirements_by_id[r]).na_allowed
            for r in model.requirement_ids
        ]
    )
    rows = rng.random(len(out)) < share
    for start in range(0, len(out), 65_536):
        part = slice(start, start + 65_536)
        cells_na = rng.random(out[part].shape) < cells
        cells_na &= rows[part, None] & allowed[None, :]
        out[part][cells_na] = mc.batch.NA_CODE
    return out


def _na_figures(args):
    """Throughput with na rows on BC grading, relative to none."""
    pack = mc.load_pack("bcgrading")
    model = mc.batch.compile_model(pack)
    base = mc.batch.synthetic_population(model, args.n, seed=1073)
    print(
        f"\nna rows: {pack.id} ({len(model.requirement_ids)} requirements, "
        f"{pack.method.aggregation}, {model.rule}); each na row rates "
        f"{args.na_cells:.0%} of its cells na"
    )
    ratios = {}
    mismatches = 0
    reference = None
    for share in (0.0, 0.01, 0.1, 1.0):
        codes = (
            base
            if share == 0
            else _with_na(
                base, model, share, args.na_cells, seed=int(share * 100)
            )
        )
        mc.batch.score_many(model, codes[: min(len(codes), 200_000)])  # warm up
        best = _best(lambda c=codes: mc.batch.score_many(model, c), args.repeat)
        result = mc.batch.score_many(model, codes)
        throughput = args.n / best
        if reference is None:
            reference = throughput
        ratios[share] = throughput / reference
        with_na = int((codes == mc.batch.NA_CODE).any(axis=1).sum())
        sample = np.linspace(0, args.n - 1, min(100, args.n)).astype(int)
        mismatches += sum(
            _scalar_of(pack, model, codes[i])
            != (result.score(i), result.level(i))
            for i in sample.tolist()
        )
        print(
            f"{share:>4.0%} na rows ({with_na:,} rows with na): "
            f"{throughput:,.0f} assessments per second, "
            f"{ratios[share]:.0%} of the no-na throughput; "
            f"{result.rows_on_exact_path} rows on the exact path"
        )
    print(
        f"na scalar check: {mismatches} mismatches in the sampled rows "
        "against the exact scalar path"
    )
    return ratios, mismatches


def _scalar_of(pack, model, row):
    ratings = tuple(
        mc.RatingEntry(
            rid, "na" if c == mc.batch.NA_CODE else model.column_rating_ids[j][c]
        )
        for j, (rid, c) in enumerate(
            zip(model.requirement_ids, row.tolist(), strict=True)
        )
    )
    result = mc.score(
        pack,
        mc.Assessment(pack=pack.id, profile=model.profile.id, ratings=ratings),
        rule=model.rule,
    )
    return result.score, result.level


def _minimum_figures(args):
    """Throughput under the minimum aggregation (devpractice)."""
    pack = mc.load_pack("devpractice")
    model = mc.batch.compile_model(pack)
    codes = mc.batch.synthetic_population(model, args.n, seed=7)
    best = _best(lambda: mc.batch.score_many(model, codes), args.repeat)
    floor = _best(lambda: codes.sum(axis=1, dtype=np.int32), args.repeat)
    result = mc.batch.score_many(model, codes)
    print(
        f"\nminimum aggregation: {pack.id} ({len(model.requirement_ids)} "
        f"requirements, {pack.method.aggregation}, {model.rule}): "
        f"{args.n / best:,.0f} assessments per second, "
        f"{best / floor:.1f}x one row-sum pass; "
        f"{result.rows_on_exact_path} rows on the exact path"
    )


if __name__ == "__main__":
    raise SystemExit(main())
