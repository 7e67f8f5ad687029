"""The synthetic-population model: seeds, level shares, the gate band, na."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import maturity_core as mc
from maturity_core.batch._synthetic import synthetic_table


GATE = Fraction(4, 5)
BAND = Fraction(1, 10)


@pytest.fixture(scope="module")
def db12() -> mc.Pack:
    return mc.load_pack("db12t1073")


@pytest.fixture(scope="module")
def reading_a(db12) -> mc.batch.CompiledModel:
    return mc.batch.compile_model(db12, "discrete", rule="cumulative-gated")


@pytest.fixture(scope="module")
def reading_b(db12) -> mc.batch.CompiledModel:
    return mc.batch.compile_model(
        db12, "discrete", rule="cumulative-gated-unit"
    )


def _scalar(db12, model, row) -> mc.Result:
    ratings = tuple(
        mc.RatingEntry(rid, model.column_rating_ids[j][c])
        for j, (rid, c) in enumerate(
            zip(model.requirement_ids, row.tolist(), strict=True)
        )
    )
    return mc.score(
        db12, mc.Assessment(pack=db12.id, profile="discrete", ratings=ratings)
    )


def _deciding(xs: tuple[Fraction, ...]) -> Fraction:
    """X_L for the highest passed level L, or X_1 if none passes."""
    passed = 0
    while passed < len(xs) and xs[passed] >= GATE:
        passed += 1
    return xs[passed - 1] if passed else xs[0]


class TestSeed:
    def test_same_seed_same_population(self, reading_a):
        """A population is reproducible from its seed and options."""
        first = mc.batch.synthetic_population(
            reading_a, 300, seed=4, near_gate=0.3
        )

        assert np.array_equal(
            first,
            mc.batch.synthetic_population(
                reading_a, 300, seed=4, near_gate=0.3
            ),
        )

    def test_other_seed_other_population(self, reading_a):
        """Another seed draws other ratings."""
        first = mc.batch.synthetic_population(reading_a, 50, seed=4)

        assert not np.array_equal(
            first, mc.batch.synthetic_population(reading_a, 50, seed=5)
        )


class TestNearGate:
    def test_half_the_rows_decide_in_the_band(self, db12, reading_a):
        """With near_gate=0.5 about half the rows' X_L lie in [0.7, 0.9)."""
        codes = mc.batch.synthetic_population(
            reading_a, 400, seed=8, near_gate=0.5
        )
        inside = 0
        for row in codes:
            d = _deciding(_scalar(db12, reading_a, row).level_scores)
            inside += GATE - BAND <= d < GATE + BAND
        share = inside / len(codes)

        # Binomial(400, 0.5): σ = 0.025; ±4σ.
        assert 0.4 <= share <= 0.6

    def test_no_row_decides_in_the_band_at_zero(self, reading_b):
        """With near_gate=0 no row's deciding level score is in the band."""
        codes = mc.batch.synthetic_population(
            reading_b, 500, seed=9, near_gate=0.0
        )
        batch = mc.batch.score_many(reading_b, codes)

        assert [] == [
            i
            for i in range(len(codes))
            if GATE - BAND <= _deciding(batch.level_scores(i)) < GATE + BAND
        ]

    def test_readings_a_and_b_disagree_near_the_gate(
        self, reading_a, reading_b
    ):
        """
        With every row near the gate, readings A and B give different
        levels for at least 7 % of DB12 rows.

        With gate 0.8 and bands k − 0.2 the readings differ exactly when
        the passed levels' shortfalls Σ(1 − X_k) exceed 0.2 + X_(L+1).
        Passed levels uniform on [0.8, 0.9) and X_(L+1) uniform on
        [0, 0.8) give P = E[Σ(1 − X_k) − 0.2] / 0.8 for L = 2, 3, 4
        (0.125, 0.3125, 0.5) and 1 for L = 5; with the pack's shares
        (0.21, 0.12, 0.03, 0.01) that is 0.089.  Binomial(4000): σ = 0.0045.
        """
        codes = mc.batch.synthetic_population(
            reading_a, 4000, seed=10, near_gate=1.0
        )
        a = mc.batch.score_many(reading_a, codes).levels
        b = mc.batch.score_many(reading_b, codes).levels

        assert np.count_nonzero(a != b) / len(codes) >= 0.07


class TestLevelShares:
    @pytest.mark.parametrize("seed", [1, 2])
    def test_requested_shares_are_met(self, reading_b, seed):
        """Levels passed at the gate follow the requested shares (±0.015)."""
        wanted = {0: 0.1, 1: 0.2, 2: 0.3, 3: 0.2, 4: 0.1, 5: 0.1}
        codes = mc.batch.synthetic_population(
            reading_b, 12_000, seed=seed, level_shares=wanted,
            near_gate=0.3,
        )
        levels = mc.batch.score_many(reading_b, codes).levels
        got = np.bincount(levels, minlength=6) / len(levels)

        # Binomial(12000, 0.3): σ = 0.0042; 0.015 is over 3.5σ.
        assert np.abs(got - [wanted[k] for k in range(6)]).max() < 0.015

    @settings(max_examples=12, deadline=None)
    @given(
        level=st.integers(0, 5),
        near=st.one_of(st.none(), st.floats(0, 1)),
        seed=st.integers(0, 2**16),
    )
    def test_every_row_passes_its_target(self, reading_b, level, near, seed):
        """With all the share on one level, every row passes exactly it."""
        codes = mc.batch.synthetic_population(
            reading_b, 24, seed=seed, level_shares={level: 1.0},
            near_gate=near,
        )

        assert {level} == set(
            mc.batch.score_many(reading_b, codes).levels.tolist()
        )

    def test_shares_are_normalised(self, reading_b):
        """Shares need not add up to 1: only their ratios count."""
        codes = mc.batch.synthetic_population(
            reading_b, 200, seed=3, level_shares={2: 5.0}
        )

        assert {2} == set(mc.batch.score_many(reading_b, codes).levels)


class TestNa:
    def test_na_share_of_allowed_cells(self):
        """A share na of the cells is rated na where the rubric allows."""
        pack = mc.load_pack("bcgrading")
        model = mc.batch.compile_model(pack)
        codes = mc.batch.synthetic_population(model, 400, seed=2, na=0.1)
        share = np.count_nonzero(codes == mc.batch.NA_CODE) / codes.size

        # 92,000 cells: σ ≈ 0.001.
        assert 0.09 < share < 0.11


class TestErrors:
    def test_unknown_level(self, reading_a):
        """A level the pack lacks is refused, naming the valid levels."""
        with pytest.raises(mc.MaturityCoreError, match=r"levels 0\.\.5"):
            mc.batch.synthetic_population(
                reading_a, 10, level_shares={7: 1.0}
            )

    def test_negative_share(self, reading_a):
        """A negative share is refused."""
        with pytest.raises(mc.MaturityCoreError, match="shares are ≥ 0"):
            mc.batch.synthetic_population(
                reading_a, 10, level_shares={1: -0.5, 2: 1.0}
            )

    def test_near_gate_outside_zero_one(self, reading_a):
        """near_gate is a share between 0 and 1."""
        with pytest.raises(mc.MaturityCoreError, match="between 0 and 1"):
            mc.batch.synthetic_population(reading_a, 10, near_gate=1.5)

    def test_near_gate_needs_a_gate(self):
        """A pack without a gate has no rows near it."""
        model = mc.batch.compile_model(mc.load_pack("practicecap"))

        with pytest.raises(mc.MaturityCoreError, match="has no gate"):
            mc.batch.synthetic_population(model, 10, near_gate=0.2)

    def test_na_refused_by_the_rubric(self, reading_a):
        """na is refused for a pack whose rubrics do not allow it."""
        with pytest.raises(mc.MaturityCoreError, match="do not allow 'na'"):
            mc.batch.synthetic_population(reading_a, 10, na=0.1)


class TestTable:
    def test_table_encodes_to_the_codes(self, reading_a):
        """The wide table's rating ids encode back to the codes matrix."""
        table = synthetic_table(
            reading_a, 80, keys=["org", "region"], seed=6, near_gate=0.2
        )
        codes, _ = mc.batch.encode_frame(
            reading_a, table.to_pandas(), keys=["org", "region"]
        )

        assert np.array_equal(
            mc.batch.synthetic_population(
                reading_a, 80, seed=6, near_gate=0.2
            ),
            codes,
        )

    def test_key_labels_are_synthetic(self, reading_a):
        """A grouping key takes the labels name-1 … name-5."""
        table = synthetic_table(reading_a, 200, keys=["region"], seed=6)

        assert {f"region-{i}" for i in range(1, 6)} == set(
            table.column("region").to_pylist()
        )

    def test_org_ids_are_unique(self, reading_a):
        """The org key numbers the rows."""
        table = synthetic_table(reading_a, 30, keys=["org"])

        assert 30 == len(set(table.column("org").to_pylist()))
