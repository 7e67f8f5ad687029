"""
How score_many splits its work does not change what it gives: blocks of
any size scored by several threads, row-major or column-major codes, and
the checks made only on the rows whose product is not a number give the
same exact results as one block, and refuse the same first bad row.
"""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import maturity_core as mc
from maturity_core.batch import _batch

from . import strategies as gen


pytestmark = pytest.mark.property
law = settings(deadline=None)


def _rows(batch: mc.batch.BatchResult) -> list[tuple]:
    return [
        (
            batch.level_scores(i),
            batch.score(i),
            batch.level(i),
            int(batch.counted[i]),
        )
        for i in range(len(batch))
    ]


def _model(data, raw):
    pack = mc.load_pack(data)
    assessment = mc.Assessment.from_dict(raw)
    result = mc.score(pack, assessment)
    return (
        pack,
        assessment,
        result,
        mc.batch.compile_model(
            pack,
            result.profile,
            rule=result.rule,
            tailoring=result.assessment.tailoring,
        ),
    )


@law
@given(
    gen.general_packs_and_populations(max_size=12),
    st.integers(min_value=1, max_value=4),
    st.sampled_from(["C", "F"]),
    st.data(),
)
def test_blocks_threads_and_layout_do_not_change_results(
    case, block, order, data
):
    """Small blocks on two threads, in either memory layout, with some
    cells unrated (unrated='none'), give score()'s results row by row."""
    pack, assessment, result, model = _model(case[0], case[1])
    population = [
        {
            rid: (None if data.draw(st.integers(0, 9)) == 0 else rating)
            for rid, rating in row.items()
        }
        for row in case[2]
    ]
    codes = np.asarray(
        np.stack([model.encode(r) for r in population]), order=order
    )
    with mock.patch.object(_batch, "_BLOCK_ROWS", block):
        split = mc.batch.score_many(model, codes, unrated="none", workers=2)
    whole = mc.batch.score_many(model, codes, unrated="none", workers=1)
    expected = []
    for ratings in population:
        row = mc.score(
            pack,
            assessment.with_ratings(ratings),
            profile=result.profile,
            rule=result.rule,
            unrated="none",
        )
        expected.append(
            (row.level_scores, row.score, row.level, row.counted_levels)
        )

    assert _rows(split) == _rows(whole) == expected


@pytest.fixture(scope="module")
def discrete():
    return mc.batch.compile_model(mc.load_pack("db12t1073"), "discrete")


#: What each kind of bad cell puts in the matrix, and what the error says.
_BAD = {
    "code": (9, "is not a rating code"),
    "unrated": (mc.batch.UNRATED_CODE, "is unrated"),
    "na": (mc.batch.NA_CODE, "'na' is not allowed"),
}


@st.composite
def bad_matrices(draw):
    """
    A DB12 discrete codes matrix with bad cells at drawn places, an
    unrated policy, a block size and a thread count.
    """
    rows = draw(st.integers(min_value=1, max_value=40))
    seed = draw(st.integers(min_value=0, max_value=2**32 - 1))
    codes = np.random.default_rng(seed).integers(
        0, 4, size=(rows, 495), dtype=np.int8
    )
    cells = draw(
        st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=rows - 1),
                st.integers(min_value=0, max_value=494),
                st.sampled_from(sorted(_BAD)),
            ),
            min_size=1,
            max_size=6,
        )
    )
    return (
        codes,
        cells,
        draw(st.sampled_from(["error", "none"])),
        draw(st.integers(min_value=1, max_value=8)),
        draw(st.integers(min_value=1, max_value=2)),
    )


@law
@given(bad_matrices())
def test_the_first_bad_row_is_refused_whatever_the_blocks(discrete, case):
    """The error names the first row with a bad cell and, within it, the
    first invalid code, else the first unrated cell (under 'error'), else
    the first disallowed na, for any block size and thread count."""
    codes, cells, unrated, block, workers = case
    placed: dict[tuple[int, int], str] = {}
    for i, j, kind in cells:
        codes[i, j] = _BAD[kind][0]
        placed[i, j] = kind
    counted = {
        cell: kind
        for cell, kind in placed.items()
        if kind != "unrated" or unrated == "error"
    }
    with mock.patch.object(_batch, "_BLOCK_ROWS", block):
        if not counted:
            mc.batch.score_many(
                discrete, codes, unrated=unrated, workers=workers
            )
            return
        with pytest.raises(mc.MaturityCoreError) as caught:
            mc.batch.score_many(
                discrete, codes, unrated=unrated, workers=workers
            )
    first = min(i for i, _ in counted)
    in_row = {j: kind for (i, j), kind in counted.items() if i == first}
    kind = next(k for k in _BAD if k in in_row.values())
    column = min(j for j, k in in_row.items() if k == kind)
    message = str(caught.value)

    assert _BAD[kind][1] in message
    if kind == "unrated":
        assert f"row {first}: requirement " in message
        assert discrete.requirement_ids[column] in message
    else:
        assert f"$[{first}][{column}]" in message
