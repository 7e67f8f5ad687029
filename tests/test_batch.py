"""Batch scoring gives exactly the scalar path's results."""

from __future__ import annotations

from fractions import Fraction

import attrs
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import maturity_core as mc


@pytest.fixture(scope="module")
def db12() -> mc.Pack:
    return mc.load_pack("db12t1073")


@pytest.fixture(scope="module")
def discrete(db12) -> mc.batch.CompiledModel:
    return mc.batch.compile_model(db12, "discrete")


def _scalar(pack, model, ratings) -> mc.Result:
    assessment = mc.Assessment(
        pack=pack.id,
        profile=model.profile.id,
        tailoring=model.tailoring,
        ratings=tuple(mc.RatingEntry(k, v) for k, v in ratings.items()),
    )
    return mc.score(pack, assessment, rule=model.rule, unrated="none")


def _ratings(model, row) -> dict[str, str | None]:
    out = {}
    for rid, code in zip(model.requirement_ids, row.tolist(), strict=True):
        if code == mc.batch.NA_CODE:
            out[rid] = "na"
        elif code == mc.batch.UNRATED_CODE:
            out[rid] = None
        else:
            out[rid] = model.rating_ids[code]
    return out


def _frame(model, codes) -> pd.DataFrame:
    labels = np.array(model.rating_ids, dtype=object)
    return pd.DataFrame(labels[codes], columns=list(model.requirement_ids))


class TestAgreesWithScalar:
    @pytest.mark.parametrize(
        "example", ["db12t1073-discrete.json", "db12t1073-process.json"]
    )
    def test_examples(self, db12, example):
        """The bundled examples score identically on both paths."""
        assessment = mc.Assessment.from_path(f"examples/{example}")
        result = mc.score(db12, assessment)
        model = mc.batch.compile_model(
            db12, assessment.profile, tailoring=assessment.tailoring
        )
        batch = mc.batch.score_many(model, [assessment.ratings_by_id])

        assert (result.score, result.level, result.level_scores) == (
            batch.score(0),
            batch.level(0),
            batch.level_scores(0),
        )

    @pytest.mark.parametrize(
        "rule", ["cumulative-gated", "cumulative-gated-unit"]
    )
    def test_synthetic_population_rows(self, db12, rule):
        """Every row of a synthetic population matches the scalar path."""
        model = mc.batch.compile_model(db12, "discrete", rule=rule)
        codes = mc.batch.synthetic_population(model, 60, seed=11)
        batch = mc.batch.score_many(model, codes)

        for i in range(len(codes)):
            result = _scalar(db12, model, _ratings(model, codes[i]))
            assert (result.score, result.level, result.counted_levels) == (
                batch.score(i),
                batch.level(i),
                int(batch.counted[i]),
            )

    def test_na_rows_renormalise_exactly(self, tiny):
        """Rows with na renormalise exactly, as the scalar path does."""
        model = mc.batch.compile_model(tiny, "even")
        rng = np.random.default_rng(3)
        codes = rng.integers(-1, 4, size=(40, len(model.requirement_ids)))
        batch = mc.batch.score_many(model, codes.astype(np.int8))

        for i in range(len(codes)):
            result = _scalar(tiny, model, _ratings(model, codes[i]))
            assert (result.score, result.level_scores) == (
                batch.score(i),
                batch.level_scores(i),
            )

    def test_na_rows_with_unrated_cells_score_as_scalar(self, tiny):
        """Rows with na and unrated cells (unrated='none') renormalise
        exactly, as the scalar path does."""
        model = mc.batch.compile_model(tiny, "even")
        rng = np.random.default_rng(4)
        codes = rng.integers(-2, 4, size=(60, len(model.requirement_ids)))
        codes = codes.astype(np.int8)
        batch = mc.batch.score_many(model, codes, unrated="none")
        expected = []
        for row in codes:
            result = _scalar(tiny, model, _ratings(model, row))
            expected.append((result.score, result.level_scores))

        assert expected == [
            (batch.score(i), batch.level_scores(i)) for i in range(len(codes))
        ]

    def test_na_rows_stay_off_the_exact_path(self):
        """Rows with na under the weighted mean are scored vectorised."""
        model = mc.batch.compile_model(mc.load_pack("bcgrading"))
        codes = mc.batch.synthetic_population(model, 300, seed=5)
        rng = np.random.default_rng(5)
        codes[rng.random(codes.shape) < 0.4] = mc.batch.NA_CODE
        batch = mc.batch.score_many(model, codes)

        assert 0 == batch.rows_on_exact_path

    def test_na_rows_are_exact_rows(self):
        """Rows with na hold their exact values in exact_rows."""
        model = mc.batch.compile_model(mc.load_pack("bcgrading"))
        codes = mc.batch.synthetic_population(model, 4, seed=6)
        codes[1, :40] = mc.batch.NA_CODE
        batch = mc.batch.score_many(model, codes)

        assert [1] == list(batch.exact_rows)

    def test_na_rows_answer_numpy_indices(self):
        """A row with na is found by a numpy integer index too."""
        model = mc.batch.compile_model(mc.load_pack("bcgrading"))
        codes = mc.batch.synthetic_population(model, 4, seed=6)
        codes[2, :40] = mc.batch.NA_CODE
        batch = mc.batch.score_many(model, codes)

        assert batch.score(2) == batch.score(np.int64(2))

    @pytest.fixture
    def fine(self, tiny):
        """tiny under weights so fine that X of an na row overflows int64."""
        weights = {
            "a1": Fraction(1),
            "a2": Fraction(33554393 - 1),
            "a": Fraction(1),
            "b": Fraction(33554383 - 1),
        }
        model = mc.batch.compile_model(tiny, "even", weights=weights)
        rng = np.random.default_rng(3)
        codes = rng.integers(-1, 4, size=(40, len(model.requirement_ids)))
        return model, codes.astype(np.int8)

    def test_overflowing_na_rows_take_the_exact_path(self, fine):
        """Rows with na whose bound overflows are scored one by one."""
        model, codes = fine
        batch = mc.batch.score_many(model, codes)

        assert int((codes == mc.batch.NA_CODE).any(axis=1).sum()) == (
            batch.rows_on_exact_path
        )

    def test_overflowing_na_rows_stay_exact(self, fine):
        """Rows on the exact path after an overflow equal score()."""
        model, codes = fine
        batch = mc.batch.score_many(model, codes)
        pack = model.pack
        profile = attrs.evolve(model.profile, id="fine")
        pack = attrs.evolve(
            pack, profiles={**pack.profiles, "fine": profile}
        )
        expected = []
        for row in codes:
            assessment = mc.Assessment(
                pack=pack.id,
                profile="fine",
                ratings=tuple(
                    mc.RatingEntry(k, v)
                    for k, v in _ratings(model, row).items()
                ),
            )
            result = mc.score(pack, assessment)
            expected.append((result.score, result.level_scores))

        assert expected == [
            (batch.score(i), batch.level_scores(i)) for i in range(len(codes))
        ]

    def test_rule_without_vector_fold_folds_each_distinct_row_once(
        self, tiny
    ):
        """A rule without a vectorised fold folds each distinct X once."""
        seen = []

        def plain_sum(xs, gate):
            del gate
            seen.append(xs)
            return mc.typing.RuleOutcome(sum(xs, Fraction(0)), len(xs), ())

        mc.register_rule("test-batch-counted-sum", plain_sum, replace=True)
        model = mc.batch.compile_model(tiny, "even", rule="test-batch-counted-sum")
        codes = np.zeros((30, len(model.requirement_ids)), dtype=np.int8)
        codes[10:] = 1
        mc.batch.score_many(model, codes)

        assert 2 == len(seen)

    def test_custom_rule_rows_match(self, tiny):
        """A registered rule the batch path cannot vectorise still agrees."""

        def plain_sum(xs, gate):
            del gate
            return mc.typing.RuleOutcome(sum(xs, Fraction(0)), len(xs), ())

        mc.register_rule("test-batch-sum", plain_sum, replace=True)
        model = mc.batch.compile_model(tiny, "even", rule="test-batch-sum")
        codes = np.zeros((3, len(model.requirement_ids)), dtype=np.int8)

        assert Fraction(3) == mc.batch.score_many(model, codes).score(0)

    def test_tailoring_is_compiled_in(self, db12):
        """Tailoring applies to every row and renormalises exactly."""
        tailoring = [mc.Tailoring("service", "none")]
        model = mc.batch.compile_model(db12, "discrete", tailoring=tailoring)
        codes = mc.batch.synthetic_population(model, 5, seed=2)
        batch = mc.batch.score_many(model, codes)
        result = _scalar(db12, model, _ratings(model, codes[0]))

        assert result.score == batch.score(0)


class TestInputs:
    def test_frame_arrow_and_mappings_agree_with_codes(self, discrete):
        """A DataFrame, an Arrow table and mappings give the codes' result."""
        codes = mc.batch.synthetic_population(discrete, 8, seed=4)
        frame = _frame(discrete, codes)
        expected = mc.batch.score_many(discrete, codes).scores()

        assert expected == mc.batch.score_many(discrete, frame).scores()
        assert (
            expected
            == mc.batch.score_many(discrete, pa.Table.from_pandas(frame)).scores()
        )
        assert (
            expected
            == mc.batch.score_many(
                discrete, [_ratings(discrete, r) for r in codes]
            ).scores()
        )

    def test_categorical_columns_with_empty_cells_encode_as_text_does(
        self, discrete
    ):
        """Categorical columns (as Parquet files read back) with empty
        cells give the codes of the same columns as text."""
        codes = mc.batch.synthetic_population(discrete, 6, seed=5)
        frame = _frame(discrete, codes).astype(object)
        frame.iloc[1, 0] = None
        frame.iloc[4, 3] = None

        expected, _ = mc.batch.encode_frame(discrete, frame)
        got, _ = mc.batch.encode_frame(discrete, frame.astype("category"))

        assert expected.tolist() == got.tolist()
        assert mc.batch.UNRATED_CODE == got[1, 0]

    def test_unknown_column_is_reported(self, discrete):
        """A misspelt requirement column is an error, not a key."""
        frame = _frame(discrete, mc.batch.synthetic_population(discrete, 2))
        frame = frame.rename(columns={discrete.requirement_ids[0]: "typo.l1"})

        with pytest.raises(
            mc.AssessmentError, match="unknown column 'typo.l1'"
        ):
            mc.batch.score_many(discrete, frame)

    def test_rating_outside_rubric_names_row_and_column(self, discrete):
        """A bad cell is reported with its row and requirement."""
        frame = _frame(discrete, mc.batch.synthetic_population(discrete, 3))
        rid = discrete.requirement_ids[7]
        frame.loc[2, rid] = "mostly"

        with pytest.raises(mc.AssessmentError) as info:
            mc.batch.score_many(discrete, frame)
        assert f"$[2].{rid}" == info.value.json_path

    def test_na_is_refused_where_the_rubric_forbids_it(self, discrete):
        """DB12 has no na; a na cell is an error in the batch path too."""
        codes = mc.batch.synthetic_population(discrete, 2)
        codes[1, 5] = mc.batch.NA_CODE

        with pytest.raises(mc.AssessmentError, match="'na' is not allowed"):
            mc.batch.score_many(discrete, codes)

    def test_invalid_code_is_reported(self, discrete):
        """A code that is no rating is an error with its cell."""
        codes = mc.batch.synthetic_population(discrete, 2)
        codes[1, 3] = 9

        with pytest.raises(mc.AssessmentError) as info:
            mc.batch.score_many(discrete, codes)
        assert "$[1][3]" == info.value.json_path

    def test_unrated_is_an_error_unless_asked(self, discrete, db12):
        """Unrated cells fail by default and score lowest with 'none'."""
        codes = mc.batch.synthetic_population(discrete, 2)
        codes[0, 0] = mc.batch.UNRATED_CODE

        with pytest.raises(mc.ScoringError, match="row 0"):
            mc.batch.score_many(discrete, codes)
        batch = mc.batch.score_many(discrete, codes, unrated="none")
        result = _scalar(db12, discrete, _ratings(discrete, codes[0]))
        assert result.score == batch.score(0)

    def test_wrong_shape_is_reported(self, discrete):
        """A matrix needs one column per in-scope requirement."""
        with pytest.raises(mc.AssessmentError, match="495 columns"):
            mc.batch.score_many(discrete, np.zeros((2, 3), dtype=np.int8))


class TestOutputs:
    def test_frame_holds_exact_strings(self, db12, discrete):
        """to_pandas gives the same exact strings as Result.to_dict."""
        codes = mc.batch.synthetic_population(discrete, 3, seed=9)
        frame = mc.batch.score_many(discrete, codes).to_pandas()
        data = _scalar(db12, discrete, _ratings(discrete, codes[1])).to_dict()

        assert data["score"] == frame.loc[1, "score"]
        assert data["score_decimal"] == frame.loc[1, "score_decimal"]
        assert data["level"] == frame.loc[1, "level"]
        assert data["level_scores"]["2"] == frame.loc[1, "X2"]

    def test_compiled_arithmetic_is_exact(self, discrete):
        """The float32 digit product is planned within exact bounds."""
        form = discrete.root_form
        assert "float32" == form.method
        limit = 2**24
        widest = int(discrete.rating_values.max()) * (2**form.digit_bits - 1)
        assert widest * len(discrete.requirement_ids) < limit

    def test_weights_override_renormalises(self, db12):
        """Overriding one weight renormalises its sibling group exactly."""
        model = mc.batch.compile_model(
            db12, "discrete", weights={"personnel": Fraction(6, 100)}
        )

        assert Fraction(6, 103) == model.profile.weights["personnel"]
