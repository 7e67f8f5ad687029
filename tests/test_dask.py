"""Scoring on a real multi-process Dask cluster gives identical results."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import maturity_core as mc


dd = pytest.importorskip("dask.dataframe", reason="the 'dask' extra")
distributed = pytest.importorskip("distributed", reason="the 'dask' extra")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
    )
    with cluster, distributed.Client(cluster) as c:
        # A worker process may register after the cluster returns.
        c.wait_for_workers(2, timeout=120)
        yield c


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_cluster_results_equal_local_batch(client):
    """Partitions scored on worker processes equal the local batch path."""
    pack = mc.load_pack("db12t1073")
    model = mc.batch.compile_model(pack, "process")
    codes = mc.batch.synthetic_population(model, 600, seed=8)
    labels = np.array(model.rating_ids, dtype=object)
    frame = pd.DataFrame(labels[codes], columns=list(model.requirement_ids))
    frame.insert(0, "org", [f"o{i}" for i in range(len(frame))])
    ddf = dd.from_pandas(frame, npartitions=5)

    remote = mc.batch.score_dask(model, ddf, keys=["org"]).compute(scheduler=client)
    local = mc.batch.score_many(model, codes)

    assert 2 == len(client.scheduler_info()["workers"])
    assert [str(s) for s in local.scores()] == remote["score"].tolist()
    assert local.levels.tolist() == remote["level"].tolist()
    assert frame["org"].tolist() == remote["org"].astype(str).tolist()


def _parts(directory, model, sizes):
    """Wide Parquet files of synthetic rows, one per size."""
    directory.mkdir()
    labels = np.array(model.rating_ids, dtype=object)
    for i, n in enumerate(sizes):
        codes = mc.batch.synthetic_population(model, n, seed=i)
        frame = pd.DataFrame(labels[codes], columns=list(model.requirement_ids))
        frame.insert(0, "org", [f"p{i}-{k}" for k in range(n)])
        frame.to_parquet(directory / f"part-{i}.parquet")


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_directory_on_a_cluster_writes_the_single_process_bytes(
    client, tmp_path
):
    """score_directory on two worker processes writes, file for file, the
    bytes the single process writes."""
    model = mc.batch.compile_model(mc.load_pack("db12t1073"), "discrete")
    _parts(tmp_path / "in", model, [70, 30, 55])

    local = mc.batch.score_directory(
        model, tmp_path / "in", tmp_path / "local", keys=["org"], floats=True
    )
    remote = mc.batch.score_directory(
        model,
        tmp_path / "in",
        tmp_path / "remote",
        keys=["org"],
        floats=True,
        scheduler=client.scheduler.address,
    )
    names = sorted(p.name for p in (tmp_path / "local").iterdir())

    assert ["part-0.parquet", "part-1.parquet", "part-2.parquet"] == names
    assert [(tmp_path / "local" / n).read_bytes() for n in names] == [
        (tmp_path / "remote" / n).read_bytes() for n in names
    ]
    assert (155, 155) == (local.rows, remote.rows)
    assert local.level_counts == remote.level_counts


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    """A scheduler address nobody answers at is an error naming it."""
    model = mc.batch.compile_model(mc.load_pack("db12t1073"), "discrete")
    _parts(tmp_path / "in", model, [5])

    with pytest.raises(mc.MaturityCoreError, match="tcp://127.0.0.1:9"):
        mc.batch.score_directory(
            model, tmp_path / "in", tmp_path / "out",
            scheduler="tcp://127.0.0.1:9",
        )  # fmt: skip


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_batch_command_scores_a_directory_on_a_cluster(client, tmp_path):
    """`maturity batch DIR --dask SCHEDULER --out OUTDIR` writes one
    Parquet file per input file and reports every row."""
    import io  # noqa: PLC0415
    import json  # noqa: PLC0415

    from maturity_core.cli import run  # noqa: PLC0415

    model = mc.batch.compile_model(mc.load_pack("db12t1073"), "discrete")
    _parts(tmp_path / "in", model, [20, 25])
    stdout = io.StringIO()

    status = run(
        [
            "batch", str(tmp_path / "in"), "--pack", "db12t1073",
            "--key", "org", "--out", str(tmp_path / "out"),
            "--dask", client.scheduler.address, "--format", "json",
        ],
        stdout,
        io.StringIO(),
    )  # fmt: skip

    assert (0, 45) == (status, json.loads(stdout.getvalue())["rows"])
    assert ["part-0.parquet", "part-1.parquet"] == sorted(
        p.name for p in (tmp_path / "out").iterdir()
    )
