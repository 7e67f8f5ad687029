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
