"""
How score_many splits its work does not change what it gives: blocks of
any size scored by several threads, row-major or column-major codes, and
the checks made only on the rows whose product is not a number give the
same exact results as one block, and refuse the same first bad row.
"""

from __future__ import annotations

import contextlib
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
    cells unrated (unrated='none'), and na rows' group values from the
    table or computed, give score()'s results row by row."""
    computed = data.draw(st.booleans())
    no_table = mock.patch.object(_batch, "_SCALED_TABLE_SIZE", 0)
    with no_table if computed else contextlib.nullcontext():
        pack, assessment, result, model = _model(case[0], case[1])
        # The na plan is built (and its table chosen) on first use.
        mc.batch.score_many(model, np.zeros((0, len(model.requirement_ids))))
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


def _wide_pack(leaves: int) -> mc.Pack:
    """One level of *leaves* leaves, one requirement each, na allowed."""
    return mc.load_pack(
        {
            "format": 1,
            "id": "wide",
            "version": "1.0.0",
            "title": {"en": "Wide test model"},
            "levels": [{"number": 1, "name": {"en": "Level 1"}}],
            "nodes": [
                {
                    "id": "e",
                    "kind": "element",
                    "name": {"en": "E"},
                    "children": [
                        {"id": f"l{i}", "kind": "leaf", "name": {"en": "L"}}
                        for i in range(leaves)
                    ],
                }
            ],
            "requirements": [
                {
                    "id": f"r{i}",
                    "node": f"l{i}",
                    "level": 1,
                    "text": {"en": f"requirement {i}"},
                    "provenance": {"status": "proposal"},
                }
                for i in range(leaves)
            ],
            "rubric": {
                "ratings": [
                    {"id": "full", "value": "1", "name": {"en": "Full"}},
                    {"id": "half", "value": "1/2", "name": {"en": "Half"}},
                    {"id": "none", "value": "0", "name": {"en": "None"}},
                ],
                "na": {"allowed": True},
            },
            "profiles": [
                {
                    "id": "p",
                    "name": {"en": "P"},
                    "default": True,
                    "weights": {
                        "e": "1",
                        **{
                            f"l{i}": f"{i + 1}/{leaves * (leaves + 1) // 2}"
                            for i in range(leaves)
                        },
                    },
                }
            ],
            "method": {
                "rule": "cumulative-gated",
                "gate": "0.8",
                "bands": [{"level": 1, "min": "0.5"}],
            },
        }
    )


@pytest.mark.parametrize("leaves", [52, 60])
def test_na_patterns_of_wide_levels_are_keyed_exactly(leaves):
    """A level with more groups than a float64 keys exactly (an absent
    group among the first and one among the last) scores as score()."""
    pack = _wide_pack(leaves)
    model = mc.batch.compile_model(pack)
    rng = np.random.default_rng(leaves)
    population = []
    for first, last in [(0, leaves - 1), (1, leaves - 2), (0, 1)]:
        row = {
            f"r{i}": ["full", "half", "none"][rng.integers(3)]
            for i in range(leaves)
        }
        row[f"r{first}"] = row[f"r{last}"] = "na"
        population.append(row)
    batch = mc.batch.score_many(model, population)
    expected = [
        mc.score(
            pack,
            mc.Assessment(
                pack="wide",
                ratings=tuple(mc.RatingEntry(k, v) for k, v in row.items()),
            ),
        ).score
        for row in population
    ]

    assert batch.scores() == expected


def test_blocks_of_a_column_major_matrix_equal_row_major(discrete):
    """Blocks of rows cut from a column-major matrix (neither layout
    contiguous, an even or an odd number of rows) score as the same
    rows in row-major order."""
    codes = np.random.default_rng(7).integers(
        0, 4, size=(37, len(discrete.requirement_ids)), dtype=np.int8
    )
    with mock.patch.object(_batch, "_BLOCK_ROWS", 6):
        columns = mc.batch.score_many(
            discrete, np.asfortranarray(codes), workers=2
        )
    rows = mc.batch.score_many(discrete, codes, workers=1)

    assert _rows(columns) == _rows(rows)
