"""
Batch scoring: many assessments of one pack at once, files, Dask, populations.

Needs the ``batch`` extra (numpy, pandas, pyarrow); :func:`score_dask`
also needs the ``dask`` extra.  Every score here is the one
:func:`maturity_core.score` gives, computed with exact integers::

    >>> from maturity_core import batch
    >>> model = batch.compile_model(pack, "process")  # doctest: +SKIP
    >>> result = batch.score_many(model, frame)  # doctest: +SKIP
"""

from __future__ import annotations

from ._batch import (
    NA_CODE,
    UNRATED_CODE,
    BatchResult,
    CompiledModel,
    compile_model,
    encode_frame,
    score_many,
)
from ._batchio import BatchSummary, score_file
from ._dask import score_dask, score_directory
from ._population import (
    Distribution,
    NodeScores,
    NodeTotals,
    PopulationSummary,
    node_scores,
    node_totals,
    summarise_population,
)
from ._synthetic import synthetic_population


__all__ = [
    "NA_CODE",
    "UNRATED_CODE",
    "BatchResult",
    "BatchSummary",
    "CompiledModel",
    "Distribution",
    "NodeScores",
    "NodeTotals",
    "PopulationSummary",
    "compile_model",
    "encode_frame",
    "node_scores",
    "node_totals",
    "score_dask",
    "score_directory",
    "score_file",
    "score_many",
    "summarise_population",
    "synthetic_population",
]
