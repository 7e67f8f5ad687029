"""
Batch-scoring benchmark (run with ``nox -s bench``).

On the DB12/T 1073-2021 discrete profile (495 requirements), scores a
synthetic population of N assessments (default 1,000,000) and prints:

- assessments per second of ``score_many``;
- speed-up over the exact scalar path (``score``) per assessment;
- time relative to one streaming numpy pass over the same ratings matrix
  (a row sum: the memory-bandwidth floor);
- peak memory allocated during ``score_many`` relative to the matrix.

Targets: within 10x of the streaming pass, at least 200x the scalar path,
peak memory at most 3x the matrix.
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
    parser.add_argument("-n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scalar-samples", type=int, default=300)
    args = parser.parse_args()

    pack = mc.load_pack("db12t1073")
    model = mc.batch.compile_model(pack, "discrete")
    codes = mc.batch.synthetic_population(model, args.n, seed=2021)
    matrix_bytes = codes.nbytes
    print(
        f"ratings matrix: {codes.shape[0]:,} x {codes.shape[1]} int8 "
        f"({matrix_bytes / 2**20:.0f} MiB); product: {model.method}, "
        f"{model.digit_bits}-bit digits"
    )

    floor = _best(lambda: codes.sum(axis=1, dtype=np.int32), args.repeat)
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
    met = {
        "within 10x of the streaming pass": batch / floor <= 10,
        "at least 200x the scalar path": per_scalar / per_batch >= 200,
        "peak memory at most 3x the matrix": memory_ratio <= 3,
    }
    for name, ok in met.items():
        print(f"target {name}: {'met' if ok else 'NOT met'}")
    return 0 if mismatches == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
