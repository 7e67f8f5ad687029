"""
Batch-scoring benchmark (run with ``nox -s bench``).

Every ratio is measured in the same run, so a busy machine slows both
sides.  On the DB12/T 1073-2021 discrete profile (495 requirements) and
a synthetic population of N assessments (default 1,000,000; the
``--distinct-rows`` first rows are drawn and repeated to N rows), it
prints:

Kernel (``score_many`` on a ratings-codes matrix)
  assessments per second; the speed-up over the exact scalar path; the
  time against one ``np.bitwise_or.reduce(axis=1)`` pass and one row-sum
  pass over the same matrix, with the default worker threads (one per
  core) and with one; peak memory against the matrix; the time with the
  BLAS's default threads against one thread.

``na``, ``minimum`` and a pack's level rule
  on BC grading (weighted mean, ``na`` allowed): the throughput with 1 %,
  10 % and 100 % of rows holding ``na`` against none; on the devpractice
  example pack (21 requirements): the throughput under the ``minimum``
  aggregation and under its own level rule (with a vectorised fold), each
  against the same matrix under the weighted mean and a built-in rule.

Files (``score_file``, end to end)
  Parquet to Parquet against ``pyarrow.parquet.read_table`` of the same
  file, with one and two workers, and the time of each stage (read,
  encode, score, build, write), the encoding against the pandas encoder
  (``encode_frame``); CSV to Parquet against ``pyarrow.csv.read_csv``;
  the peak RSS of ``maturity batch`` (a child process, its
  ``ru_maxrss``) on N and on ``--rss-rows`` (default 5,000,000) rows.

Dask
  ``score_directory`` of N rows in ``--parts`` Parquet files on a
  ``distributed.LocalCluster`` of two single-threaded worker processes
  against the single process, and whether every output file has the same
  bytes.

Targets, each printed PASS or MISS: Parquet end to end at most 3x
``read_table``; CSV at most 3x ``read_csv``; ``score_many`` at most 10x
the bitwise-or pass; with 1, 10 and 100 % ``na`` rows, the ``minimum``
aggregation and the pack's rule at least 50 % of the baseline throughput;
peak RSS on ``--rss-rows`` rows at most 1.5x that on N rows; Dask output
identical; at least 200x the scalar path; peak memory at most 3x the
matrix.

``--hog`` runs a CPU-bound process for the duration (a loaded machine).
Generated files are kept in ``--files`` and reused.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from threadpoolctl import threadpool_limits

import maturity_core as mc
from maturity_core.batch import _batch, _batchio


_TARGETS: dict[str, bool] = {}


def _target(name: str, ok: bool) -> None:  # noqa: FBT001
    _TARGETS[name] = bool(ok)


def _best(func, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def _population(model, args, seed):
    """N rows: ``--distinct-rows`` synthetic rows repeated."""
    distinct = min(args.distinct_rows, args.n)
    base = mc.batch.synthetic_population(model, distinct, seed=seed)
    reps = -(-args.n // distinct)
    return np.ascontiguousarray(np.tile(base, (reps, 1))[: args.n])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("-n", "--rows", dest="n", type=int, default=1_000_000)
    parser.add_argument("--distinct-rows", type=int, default=100_000)
    parser.add_argument("--rss-rows", type=int, default=5_000_000)
    parser.add_argument(
        "--na-cells",
        type=float,
        default=0.1,
        help="share of an na row's cells rated na (default 0.1)",
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--file-repeat",
        type=int,
        default=1,
        help="runs of each whole-file measurement (default 1)",
    )
    parser.add_argument("--scalar-samples", type=int, default=300)
    parser.add_argument("--parts", type=int, default=8)
    parser.add_argument(
        "--files", type=Path, default=Path("/tmp/maturity-bench")
    )
    parser.add_argument("--hog", action="store_true")
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=("kernel", "na", "minimum", "files", "csv", "rss", "dask"),
    )
    args = parser.parse_args()
    hog = None
    if args.hog:
        hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        print(
            f"machine: {os.cpu_count()} cores, load average "
            f"{os.getloadavg()[0]:.1f}; "
            f"{'with' if hog else 'without'} a CPU-bound process beside"
        )
        ok = True
        if "kernel" not in args.skip:
            ok &= _kernel_figures(args)
        if "na" not in args.skip:
            ok &= _na_figures(args)
        if "minimum" not in args.skip:
            _minimum_figures(args)
        if not {"files", "csv", "rss", "dask"} <= set(args.skip):
            ok &= _file_figures(args)
    finally:
        if hog is not None:
            hog.kill()
            hog.wait()
    print()
    for name, met in _TARGETS.items():
        print(f"{'PASS' if met else 'MISS'}  {name}")
    return 0 if ok else 1


def _kernel_figures(args) -> bool:
    pack = mc.load_pack("db12t1073")
    model = mc.batch.compile_model(pack, "discrete")
    codes = _population(model, args, seed=2021)
    matrix_bytes = codes.nbytes
    print(
        f"\nkernel: {pack.id} discrete, {codes.shape[0]:,} x "
        f"{codes.shape[1]} int8 ({matrix_bytes / 2**20:.0f} MiB; "
        f"{min(args.distinct_rows, args.n):,} distinct rows); product: "
        f"{model.root_form.method}, {model.root_form.digit_bits}-bit digits"
    )
    mc.batch.score_many(model, codes[:100_000])  # warm up
    floor = _best(lambda: codes.sum(axis=1, dtype=np.int32), args.repeat)
    bitwise = _best(lambda: np.bitwise_or.reduce(codes, axis=1), args.repeat)
    batch = _best(lambda: mc.batch.score_many(model, codes), args.repeat)
    one_worker = _best(
        lambda: mc.batch.score_many(model, codes, workers=1), args.repeat
    )
    with threadpool_limits(limits=None):
        # The kernel without the one-thread limit score_many sets.
        default = _best(
            lambda: _batch.score_codes(model, codes, "error"), args.repeat
        )
    with threadpool_limits(limits=1, user_api="blas"):
        single = _best(
            lambda: _batch.score_codes(model, codes, "error"), args.repeat
        )

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
    print(f"assessments per second: {args.n / batch:,.0f}")
    print(
        f"speed-up over the scalar path: {per_scalar / per_batch:,.0f}x "
        f"(scalar {per_scalar * 1e3:.2f} ms, batch {per_batch * 1e6:.2f} us "
        "per assessment)"
    )
    print(
        f"score_many / bitwise-or pass: {batch / bitwise:.1f}x "
        f"(score_many {batch:.3f} s, pass {bitwise:.3f} s)"
    )
    print(
        f"score_many / row-sum pass: {batch / floor:.1f}x "
        f"(pass {floor:.3f} s)"
    )
    print(
        f"score_many with one worker thread / bitwise-or pass: "
        f"{one_worker / bitwise:.1f}x ({one_worker:.3f} s; default "
        f"{len(os.sched_getaffinity(0))} workers)"
    )
    print(
        f"BLAS threads: default {default:.3f} s, one {single:.3f} s "
        f"({default / single:.2f}x)"
    )
    print(
        f"peak memory relative to the matrix: {memory_ratio:.2f}x "
        f"({peak / 2**20:.0f} MiB allocated while scoring)"
    )
    print(
        f"scalar check: {samples - mismatches}/{samples} sampled rows equal "
        "the exact scalar path"
    )
    _target("score_many at most 10x one bitwise-or pass", batch / bitwise <= 10)
    _target("at least 200x the scalar path", per_scalar / per_batch >= 200)
    _target("peak memory at most 3x the matrix", memory_ratio <= 3)
    return mismatches == 0


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


def _na_figures(args) -> bool:
    """Throughput with na rows on BC grading, relative to none."""
    pack = mc.load_pack("bcgrading")
    model = mc.batch.compile_model(pack)
    base = _population(model, args, seed=1073)
    print(
        f"\nna rows: {pack.id} ({len(model.requirement_ids)} requirements, "
        f"{pack.method.aggregation}, {model.rule}); each na row rates "
        f"{args.na_cells:.0%} of its cells na"
    )
    reference = None
    mismatches = 0
    for share in (0.0, 0.01, 0.1, 1.0):
        codes = (
            base
            if share == 0
            else _with_na(
                base, model, share, args.na_cells, seed=int(share * 100)
            )
        )
        mc.batch.score_many(model, codes[: min(len(codes), 200_000)])
        best = _best(lambda c=codes: mc.batch.score_many(model, c), args.repeat)
        result = mc.batch.score_many(model, codes)
        throughput = args.n / best
        if reference is None:
            reference = throughput
        ratio = throughput / reference
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
            f"{ratio:.0%} of the no-na throughput; "
            f"{result.rows_on_exact_path} rows on the exact path"
        )
        if share:
            _target(
                f"{share:.0%} na rows at least 50 % of the no-na throughput",
                ratio >= 0.5,
            )
    print(
        f"na scalar check: {mismatches} mismatches in the sampled rows "
        "against the exact scalar path"
    )
    return mismatches == 0


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


def _minimum_figures(args) -> None:
    """The minimum aggregation and a pack rule against the weighted mean."""
    pack = mc.load_pack("devpractice")
    data = dict(pack.data)
    mean = mc.load_pack(
        {**data, "method": {**dict(data["method"]), "aggregation": "weighted-mean"}}
    )
    builtin = "cumulative-gated"
    variants = {
        "weighted mean, built-in rule": (mean, builtin),
        "minimum, built-in rule": (pack, builtin),
        f"weighted mean, pack rule {pack.method.rule}": (mean, None),
        f"minimum, pack rule {pack.method.rule} (as shipped)": (pack, None),
    }
    codes = None
    reference = None
    print(
        f"\nminimum and a pack rule: {pack.id} "
        f"({len(pack.requirements_by_id)} requirements)"
    )
    for name, (variant, rule) in variants.items():
        model = mc.batch.compile_model(variant, rule=rule)
        if codes is None:
            codes = _population(model, args, seed=7)
        mc.batch.score_many(model, codes[:100_000])
        best = _best(lambda m=model: mc.batch.score_many(m, codes), args.repeat)
        result = mc.batch.score_many(model, codes)
        throughput = args.n / best
        reference = reference or throughput
        print(
            f"{name}: {throughput:,.0f} assessments per second, "
            f"{throughput / reference:.0%} of the first; "
            f"{result.rows_on_exact_path} rows on the exact path"
        )
        if reference != throughput:
            _target(
                f"{name}: at least 50 % of the weighted mean's throughput",
                throughput / reference >= 0.5,
            )


# --- files ---------------------------------------------------------------


def _batches(model, codes, copies=1):
    """Record batches of *codes* (dictionary columns) with an org key."""
    dictionaries = [pa.array(ids) for ids in model.column_rating_ids]
    names = ["org", *model.requirement_ids]
    n = len(codes)
    for copy in range(copies):
        for start in range(0, n, 65_536):
            part = codes[start : start + 65_536]
            first = copy * n + start
            org = pc.binary_join_element_wise(
                "org-",
                pc.cast(pa.array(np.arange(first, first + len(part))), pa.string()),
                "",
            )
            columns = [org] + [
                pa.DictionaryArray.from_arrays(
                    pa.array(np.ascontiguousarray(part[:, j])), dictionaries[j]
                )
                for j in range(part.shape[1])
            ]
            yield pa.RecordBatch.from_arrays(columns, names=names)


def _write_parquet(path, model, codes, copies=1):
    if path.exists():
        return
    tmp = path.with_suffix(".tmp")
    writer = None
    for batch in _batches(model, codes, copies):
        if writer is None:
            writer = pq.ParquetWriter(tmp, batch.schema)
        writer.write_batch(batch)
    writer.close()
    tmp.rename(path)


def _write_csv(path, model, codes):
    if path.exists():
        return
    tmp = path.with_suffix(".tmp")
    writer = None
    for batch in _batches(model, codes):
        plain = pa.RecordBatch.from_arrays(
            [c.cast(pa.string()) for c in batch.columns],
            names=batch.schema.names,
        )
        if writer is None:
            writer = pacsv.CSVWriter(tmp, plain.schema)
        writer.write_batch(plain)
    writer.close()
    tmp.rename(path)


#: Rows encoded by the pandas encoder, for comparison.
PANDAS_ROWS = 16_384


def _stages(model, source, rows=262_144):
    """Seconds per stage of score_file on the first *rows* rows."""
    encoder = _batchio._Encoder(model, ("org",), str(source), frozenset())
    times = dict.fromkeys(("read", "encode", "score", "build", "write"), 0.0)
    pandas_encode = 0.0
    sink = pa.BufferOutputStream()
    writer = None
    done = 0
    clock = time.perf_counter()
    for batch in _batchio.iter_chunks(source, 65_536, keys=("org",), dictionary=True):
        now = time.perf_counter()
        times["read"] += now - clock
        codes = encoder.encode(batch, done)
        clock, now = now, time.perf_counter()
        times["encode"] += now - clock
        result = _batch.score_codes(model, codes, "error", checked=True)
        clock, now = now, time.perf_counter()
        times["score"] += now - clock
        out = _batchio.result_batch(result, [("org", batch.column("org"))])
        clock, now = now, time.perf_counter()
        times["build"] += now - clock
        if writer is None:
            writer = pq.ParquetWriter(sink, out.schema)
        writer.write_batch(out)
        clock, now = now, time.perf_counter()
        times["write"] += now - clock
        if not done:
            # The pandas encoder, from the first rows as text columns.
            plain = pa.Table.from_batches([batch.slice(0, PANDAS_ROWS)]).cast(
                pa.schema([pa.field(f.name, pa.string()) for f in batch.schema])
            )
            now = time.perf_counter()
            mc.batch.encode_frame(model, plain.to_pandas(), keys=["org"])
            pandas_encode += time.perf_counter() - now
        done += batch.num_rows
        clock = time.perf_counter()
        if done >= rows:
            break
    writer.close()
    return done, times, pandas_encode


def _peak_rss(args_list):
    """Seconds and peak RSS (bytes) of the command, run as a child."""
    wrap = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
        "t = time.perf_counter() - t\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(r.returncode, t, rss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrap, *args_list],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    if out[0] != "0":
        msg = f"{' '.join(args_list)} exited {out[0]}"
        raise RuntimeError(msg)
    return float(out[1]), int(out[2]) * 1024


def _file_figures(args) -> bool:
    pack = mc.load_pack("db12t1073")
    model = mc.batch.compile_model(pack, "discrete")
    files = args.files
    files.mkdir(parents=True, exist_ok=True)
    tag = f"{args.n}-{args.distinct_rows}"
    parquet = files / f"db12-{tag}.parquet"
    csv = files / f"db12-{tag}.csv"
    need = {
        "files": [parquet],
        "csv": [csv],
        "rss": [parquet],
        "dask": [parquet],
    }
    todo = [k for k in need if k not in args.skip]
    codes = None
    if not all(p.exists() for k in todo for p in need[k]):
        codes = _population(model, args, seed=2021)
        _write_parquet(parquet, model, codes)
        if "csv" in todo:
            _write_csv(csv, model, codes)
    ok = True
    out = files / "scored.parquet"
    print(f"\nfiles: {args.n:,} rows, {parquet.stat().st_size / 2**20:.0f} MiB Parquet")
    if "files" in todo:
        read = _best(lambda: pq.read_table(parquet), args.file_repeat)
        times = {}
        for workers in (1, 2):
            times[workers] = _best(
                lambda w=workers: mc.batch.score_file(
                    model, parquet, out, keys=["org"], workers=w
                ),
                args.file_repeat,
            )
        best = min(times.values())
        print(f"pyarrow.parquet.read_table: {read:.2f} s")
        for workers, t in times.items():
            print(
                f"score_file Parquet -> Parquet, {workers} worker(s): "
                f"{t:.2f} s ({args.n / t:,.0f} rows per second, "
                f"{t / read:.2f}x read_table)"
            )
        _target("Parquet end to end at most 3x read_table", best / read <= 3)
        got = pq.read_table(out, columns=["score"]).column(0).to_pylist()
        sample = np.linspace(0, args.n - 1, 200).astype(int)
        direct = mc.batch.score_many(
            model, next(iter(_population_rows(model, parquet, sample)))
        )
        ok &= [str(direct.score(i)) for i in range(len(sample))] == [
            got[i] for i in sample.tolist()
        ]
        print(f"file output equals score_many on sampled rows: {ok}")
        rows, stages, pandas_encode = _stages(model, parquet)
        total = sum(stages.values())
        print(
            f"stages on {rows:,} rows: "
            + ", ".join(
                f"{k} {v:.2f} s ({v / total:.0%})" for k, v in stages.items()
            )
        )
        arrow_rate = rows / stages["encode"]
        pandas_rate = min(PANDAS_ROWS, rows) / pandas_encode
        print(
            f"encoding: Arrow dictionaries {arrow_rate:,.0f} rows per "
            f"second, pandas encode_frame (from to_pandas) "
            f"{pandas_rate:,.0f} rows per second "
            f"({arrow_rate / pandas_rate:.0f}x slower)"
        )
    if "csv" in todo:
        read = _best(lambda: pacsv.read_csv(csv), args.file_repeat)
        t = _best(
            lambda: mc.batch.score_file(model, csv, out, keys=["org"]),
            args.file_repeat,
        )
        print(
            f"CSV ({csv.stat().st_size / 2**20:.0f} MiB): "
            f"pyarrow.csv.read_csv {read:.2f} s; score_file CSV -> Parquet "
            f"{t:.2f} s ({t / read:.2f}x)"
        )
        _target("CSV end to end at most 3x read_csv", t / read <= 3)
    if "rss" in todo:
        big = files / f"db12-{args.rss_rows}-{tag}.parquet"
        if not big.exists():
            if codes is None:
                codes = _population(model, args, seed=2021)
            _write_parquet(big, model, codes, copies=-(-args.rss_rows // args.n))
        rss = {}
        for path in (parquet, big):
            rows = pq.ParquetFile(path).metadata.num_rows
            seconds, peak = _peak_rss(
                [
                    sys.executable, "-m", "maturity_core.cli", "batch",
                    str(path), "--pack", "db12t1073", "--profile", "discrete",
                    "--key", "org", "--out", str(out), "--no-progress",
                ]
            )  # fmt: skip
            rss[rows] = peak
            print(
                f"maturity batch on {rows:,} rows: {seconds:.1f} s, "
                f"peak RSS {peak / 2**20:.0f} MiB"
            )
        small, large = rss[min(rss)], rss[max(rss)]
        print(f"peak RSS ratio: {large / small:.2f}x")
        _target(
            f"peak RSS on {max(rss):,} rows at most 1.5x that on "
            f"{min(rss):,}",
            large / small <= 1.5,
        )
    if "dask" in todo:
        ok &= _dask_figures(args, model, parquet)
    out.unlink(missing_ok=True)
    return ok


def _population_rows(model, parquet, rows):
    table = pq.read_table(parquet).take(pa.array(rows))
    encoder = _batchio._Encoder(model, ("org",), str(parquet), frozenset())
    yield np.ascontiguousarray(encoder.encode(table.to_batches()[0], 0))


def _dask_figures(args, model, parquet) -> bool:
    import distributed  # noqa: PLC0415

    parts = args.files / f"parts-{args.n}-{args.parts}"
    if not parts.exists():
        tmp = parts.with_suffix(".tmp")
        tmp.mkdir()
        source = pq.ParquetFile(parquet)
        per = -(-args.n // args.parts)
        for i, batch in enumerate(source.iter_batches(batch_size=per)):
            pq.write_table(pa.Table.from_batches([batch]), tmp / f"part-{i:03d}.parquet")
        tmp.rename(parts)
    local, remote = args.files / "dask-local", args.files / "dask-cluster"
    for d in (local, remote):
        shutil.rmtree(d, ignore_errors=True)
    start = time.perf_counter()
    mc.batch.score_directory(model, parts, local, keys=["org"])
    single = time.perf_counter() - start
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as client:
        start = time.perf_counter()
        mc.batch.score_directory(
            model, parts, remote, keys=["org"], scheduler=client
        )
        spread = time.perf_counter() - start
    names = sorted(p.name for p in local.iterdir())
    same = names == sorted(p.name for p in remote.iterdir()) and all(
        (local / n).read_bytes() == (remote / n).read_bytes() for n in names
    )
    print(
        f"Dask: {args.parts} Parquet files, single process {single:.2f} s, "
        f"LocalCluster of 2 workers {spread:.2f} s ({single / spread:.2f}x "
        f"faster); output files identical: {same}"
    )
    _target("Dask on 2 workers: output identical to the single process", same)
    for d in (local, remote):
        shutil.rmtree(d, ignore_errors=True)
    return same


if __name__ == "__main__":
    raise SystemExit(main())
