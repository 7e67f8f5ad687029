"""Carrying a population file through a crosswalk, column by column."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import attrs
import numpy as np
import pytest

import maturity_core as mc
from maturity_core.analysis import carry_assessment, find_crosswalk


@pytest.fixture(scope="module")
def db12() -> mc.Pack:
    return mc.load_pack("db12t1073")


@pytest.fixture(scope="module")
def gbt() -> mc.Pack:
    return mc.load_pack("gbt39116")


@pytest.fixture(scope="module")
def source(db12) -> mc.batch.CompiledModel:
    return mc.batch.compile_model(db12, "discrete")


@pytest.fixture(scope="module")
def target(gbt) -> mc.batch.CompiledModel:
    return mc.batch.compile_model(gbt, "discrete")


@pytest.fixture(scope="module")
def walk():
    """
    The shipped DB12 → GB/T 39116 crosswalk with every kind of gap: ten
    subset mappings, five targets that two sources share (leaving five
    targets unmapped) and five mappings dropped.
    """
    base = find_crosswalk("db12t1073", "gbt39116")
    entries = list(base.requirements)
    for i in range(10):
        entries[i] = attrs.evolve(entries[i], relation="subset")
    for i in range(10, 20, 2):
        entries[i] = attrs.evolve(entries[i], target=entries[i + 1].target)
    del entries[20:25]
    return attrs.evolve(base, requirements=tuple(entries))


@pytest.fixture(scope="module")
def codes(source):
    codes = mc.batch.synthetic_population(source, 40, seed=17, near_gate=0.3)
    rng = np.random.default_rng(17)
    codes[rng.random(codes.shape) < 0.03] = mc.batch.UNRATED_CODE
    return codes


def _assessment(pack, model, row) -> mc.Assessment:
    ratings = tuple(
        mc.RatingEntry(
            rid, None if c == mc.batch.UNRATED_CODE else model.rating_ids[c]
        )
        for rid, c in zip(model.requirement_ids, row.tolist(), strict=True)
    )
    return mc.Assessment(pack=pack.id, profile="discrete", ratings=ratings)


class TestCarryCodes:
    def test_rows_equal_carry_assessment(
        self, db12, gbt, source, target, walk, codes
    ):
        """Each carried row is carry_assessment's carried assessment."""
        carried = mc.batch.carry_codes(walk, source, target, codes)

        for i in range(0, len(codes), 4):
            one = carry_assessment(
                walk, _assessment(db12, source, codes[i]), db12, gbt
            )
            expected = {e.requirement: e.rating for e in one.assessment.ratings}
            got = {
                rid: (
                    None
                    if c == mc.batch.UNRATED_CODE
                    else target.rating_ids[c]
                )
                for rid, c in zip(
                    target.requirement_ids,
                    carried.codes[i].tolist(),
                    strict=True,
                )
            }
            assert expected == got

    def test_counts_equal_carry_assessment(
        self, db12, gbt, source, target, walk, codes
    ):
        """The counts per requirement and side add up carry_assessment's."""
        carried = mc.batch.carry_codes(walk, source, target, codes)
        expected: Counter[tuple[str, str]] = Counter()
        for row in codes:
            one = carry_assessment(
                walk, _assessment(db12, source, row), db12, gbt
            )
            expected.update((n.requirement, n.side) for n in one.not_carried)

        got: Counter[tuple[str, str]] = Counter()
        for c in carried.not_carried:
            got[c.requirement, c.side] += c.rows
        assert expected == got

    def test_subset_carries_when_allowed(self, source, target, walk, codes):
        """Allowing subset mappings carries those requirements too."""
        strict = mc.batch.carry_codes(walk, source, target, codes)
        loose = mc.batch.carry_codes(
            walk, source, target, codes, relations=("equal", "subset")
        )

        assert loose.carried_cells > strict.carried_cells


class TestCarryFile:
    def test_file_equals_carry_codes(
        self, source, target, walk, codes, tmp_path
    ):
        """The carried file holds carry_codes' ratings, keys kept."""
        org = [f"org-{i}" for i in range(len(codes))]
        table = mc.batch.codes_table(
            source, codes, {"org": __import__("pyarrow").array(org)}
        )
        path = tmp_path / "population.parquet"
        mc.batch._carry.write_table(table, path)
        out = tmp_path / "carried.csv"

        summary = mc.batch.carry_file(
            walk, source, target, path, out, keys=["org"], chunk_rows=16
        )
        frame = __import__("pandas").read_csv(out, dtype=str)
        back, keys = mc.batch.encode_frame(target, frame, keys=["org"])

        assert np.array_equal(
            mc.batch.carry_codes(walk, source, target, codes).codes, back
        )
        assert org == keys["org"].tolist()
        assert len(codes) == summary.rows

    def test_summary_counts_chunks_together(
        self, source, target, walk, codes, tmp_path
    ):
        """Counts over chunks equal the counts over the whole matrix."""
        path = tmp_path / "population.parquet"
        mc.batch._carry.write_table(mc.batch.codes_table(source, codes), path)

        summary = mc.batch.carry_file(
            walk, source, target, path, tmp_path / "c.parquet", chunk_rows=7
        )
        whole = mc.batch.carry_codes(walk, source, target, codes)

        assert sorted(attrs.astuple(c) for c in whole.not_carried) == sorted(
            attrs.astuple(c) for c in summary.not_carried
        )

    def test_formula_like_key_is_quoted_in_csv(
        self, source, target, walk, codes, tmp_path
    ):
        """A key a spreadsheet would run is written with a quote first."""
        import pyarrow as pa

        path = tmp_path / "population.parquet"
        keys = {"org": pa.array(["=SUM(1)"] * len(codes))}
        mc.batch._carry.write_table(
            mc.batch.codes_table(source, codes, keys), path
        )
        out = tmp_path / "carried.csv"

        mc.batch.carry_file(walk, source, target, path, out, keys=["org"])

        first = out.read_text("utf-8").splitlines()[1]
        assert first.startswith("\"'=SUM(1)\"")
