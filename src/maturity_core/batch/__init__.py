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
from ._carry import (
    CarriedCodes,
    CarrySummary,
    NotCarriedCount,
    carry_codes,
    carry_file,
    codes_table,
)
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
from ._summary import FileSummary, GroupSummary, summarise_file
from ._synthetic import (
    default_level_shares,
    synthetic_population,
    synthetic_table,
    write_synthetic,
)


__all__ = [
    "NA_CODE",
    "UNRATED_CODE",
    "BatchResult",
    "BatchSummary",
    "CarriedCodes",
    "CarrySummary",
    "CompiledModel",
    "Distribution",
    "FileSummary",
    "GroupSummary",
    "NodeScores",
    "NodeTotals",
    "NotCarriedCount",
    "PopulationSummary",
    "carry_codes",
    "carry_file",
    "codes_table",
    "compile_model",
    "default_level_shares",
    "encode_frame",
    "node_scores",
    "node_totals",
    "score_dask",
    "score_directory",
    "score_file",
    "score_many",
    "summarise_file",
    "summarise_population",
    "synthetic_population",
    "synthetic_table",
    "write_synthetic",
]
