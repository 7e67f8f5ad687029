"""
Distributed scoring on Dask: the batch path mapped over partitions.

The compiled model is not sent to the workers; its recipe is (the pack's
data, profile, rule, tailoring and weights), and each worker process
compiles it once and keeps it.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache
from typing import Any

import attrs

from maturity_core import _jsonio
from maturity_core._assessment import Tailoring
from maturity_core._packs import pack_from_data
from maturity_core.exceptions import MaturityCoreError

from ._batch import CompiledModel, compile_model, encode_frame, score_many


@attrs.frozen
class _Recipe:
    pack_json: str
    source: str
    profile: str
    rule: str
    tailoring: tuple[tuple[str, str], ...]
    weights: tuple[tuple[str, str], ...]


def _recipe(model: CompiledModel) -> _Recipe:
    return _Recipe(
        pack_json=_jsonio.canonical(dict(model.pack.data)).decode("utf-8"),
        source=model.pack.source,
        profile=model.profile.id,
        rule=model.rule,
        tailoring=tuple((t.node, t.reason) for t in model.tailoring),
        weights=tuple(
            (k, str(v)) for k, v in sorted(model.profile.weights.items())
        ),
    )


@lru_cache(maxsize=8)
def _compiled(recipe: _Recipe) -> CompiledModel:
    pack = pack_from_data(
        _jsonio.loads(recipe.pack_json), source=recipe.source
    )
    return compile_model(
        pack,
        recipe.profile,
        rule=recipe.rule,
        tailoring=[Tailoring(n, r) for n, r in recipe.tailoring],
        weights={k: Fraction(v) for k, v in recipe.weights},
    )


def _score_partition(
    frame: Any, recipe: _Recipe, keys: tuple[str, ...], unrated: str
) -> Any:
    model = _compiled(recipe)
    codes, key_frame = encode_frame(model, frame, keys=keys)
    out = score_many(model, codes, unrated=unrated).to_pandas(key_frame)
    out.index = frame.index
    return out


def score_dask(
    model: CompiledModel,
    frame: Any,
    *,
    keys: Sequence[str] = (),
    unrated: str = "error",
) -> Any:
    """
    Score a wide ``dask.dataframe`` lazily, partition by partition, with
    the same exact arithmetic as :func:`score_many`.

    Returns a Dask DataFrame with the *keys* columns, ``score``,
    ``score_decimal``, ``level``, ``counted_levels`` and ``X<k>``; call
    ``.compute()`` (on a cluster, through a ``distributed.Client``).

    .. versionadded:: 0.1.0
    """
    try:
        import pandas as pd  # noqa: PLC0415 -- optional dependency
    except ImportError:  # pragma: no cover -- exercised without the extra
        msg = "Dask scoring needs pip install 'maturity-core[dask]'"
        raise MaturityCoreError(msg) from None
    meta = pd.DataFrame(
        {
            **{k: pd.Series(dtype=frame[k].dtype) for k in keys},
            "score": pd.Series(dtype=object),
            "score_decimal": pd.Series(dtype=object),
            "level": pd.Series(dtype="int64"),
            "counted_levels": pd.Series(dtype="int64"),
            **{f"X{k}": pd.Series(dtype=object) for k in model.levels},
        }
    )
    return frame.map_partitions(
        _score_partition,
        _recipe(model),
        tuple(keys),
        unrated,
        meta=meta,
    )
