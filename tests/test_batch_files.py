"""Streaming batch scoring of Parquet and CSV files, and `maturity batch`."""

from __future__ import annotations

import io
import json
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

import maturity_core as mc
from maturity_core.cli import run


@pytest.fixture(scope="module")
def model() -> mc.batch.CompiledModel:
    return mc.batch.compile_model(mc.load_pack("db12t1073"), "discrete")


@pytest.fixture
def population(model) -> pd.DataFrame:
    codes = mc.batch.synthetic_population(model, 250, seed=21)
    labels = np.array(model.rating_ids, dtype=object)
    frame = pd.DataFrame(labels[codes], columns=list(model.requirement_ids))
    frame.insert(0, "org", [f"org-{i:03d}" for i in range(len(frame))])
    return frame


def _expected(model, frame) -> pd.DataFrame:
    codes, keys = mc.batch.encode_frame(model, frame, keys=["org"])
    return mc.batch.score_many(model, codes).to_pandas(keys)


class TestScoreFile:
    @pytest.mark.parametrize("suffix", [".parquet", ".csv"])
    def test_streamed_output_equals_in_memory_scoring(
        self, tmp_path, model, population, suffix
    ):
        """Chunked file scoring writes exactly the in-memory results."""
        source = tmp_path / f"in{suffix}"
        if suffix == ".csv":
            population.to_csv(source, index=False)
        else:
            population.to_parquet(source)
        out = tmp_path / "out.parquet"

        summary = mc.batch.score_file(
            model, source, out, keys=["org"], chunk_rows=64
        )
        got = pd.read_parquet(out)
        expected = _expected(model, population)

        assert (250, 4) == (summary.rows, summary.chunks)
        assert expected["score"].tolist() == got["score"].tolist()
        assert expected["org"].tolist() == got["org"].tolist()
        assert expected["level"].tolist() == got["level"].tolist()

    def test_node_totals_columns_equal_scalar_results(
        self, tmp_path, model, population
    ):
        """`maturity batch --node-totals` writes score()'s node totals."""
        source = tmp_path / "in.csv"
        population.head(5).to_csv(source, index=False)
        out = tmp_path / "out.csv"

        status = run(
            [
                "batch", str(source), "--pack", "db12t1073",
                "--profile", "discrete", "--key", "org",
                "--out", str(out), "--node-totals",
            ],
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        got = pd.read_csv(out, dtype=str)
        pack = mc.load_pack("db12t1073")
        row = population.iloc[2]
        result = mc.score(
            pack,
            mc.Assessment.from_dict(
                {
                    "pack": "db12t1073",
                    "profile": "discrete",
                    "ratings": [
                        {"id": rid, "rating": row[rid]}
                        for rid in model.requirement_ids
                    ],
                }
            ),
        )

        assert 0 == status
        assert {
            node: str(total) for node, total in result.node_totals.items()
        } == {node: got.loc[2, f"total:{node}"] for node in result.node_totals}
        assert {
            node: str(level) for node, level in result.node_levels.items()
        } == {node: got.loc[2, f"level:{node}"] for node in result.node_levels}

    def test_csv_output(self, tmp_path, model, population):
        """A .csv output holds the same exact strings."""
        source = tmp_path / "in.parquet"
        population.to_parquet(source)
        out = tmp_path / "out.csv"
        mc.batch.score_file(model, source, out, keys=["org"])

        got = pd.read_csv(out, dtype=str)

        assert (
            _expected(model, population)["X3"].tolist() == got["X3"].tolist()
        )

    def test_bad_cell_reports_its_row_in_the_whole_file(
        self, tmp_path, model, population
    ):
        """Row numbers in errors count from the start of the file."""
        rid = model.requirement_ids[4]
        population.loc[200, rid] = "mostly"
        source = tmp_path / "in.parquet"
        population.to_parquet(source)

        with pytest.raises(mc.AssessmentError) as info:
            mc.batch.score_file(
                model,
                source,
                tmp_path / "o.parquet",
                keys=["org"],
                chunk_rows=64,
            )
        assert f"$[200].{rid}" == info.value.json_path
        assert str(source) in str(info.value)

    def test_failed_run_leaves_no_output(self, tmp_path, model, population):
        """Outputs are written atomically: nothing remains after an error."""
        population.loc[10, model.requirement_ids[0]] = "bad"
        source = tmp_path / "in.parquet"
        population.to_parquet(source)

        with pytest.raises(mc.AssessmentError):
            mc.batch.score_file(model, source, tmp_path / "o.parquet", keys=["org"])
        assert ["in.parquet"] == sorted(p.name for p in tmp_path.iterdir())

    def test_output_may_not_be_the_input(self, tmp_path, model, population):
        """A batch run never overwrites its input."""
        source = tmp_path / "in.parquet"
        population.to_parquet(source)
        before = source.read_bytes()

        with pytest.raises(mc.exceptions.OutputError, match="must not be the input"):
            mc.batch.score_file(model, source, source, keys=["org"])
        assert before == source.read_bytes()

    def test_unknown_file_type_is_refused(self, tmp_path, model):
        """Only .parquet and .csv are read."""
        source = tmp_path / "in.xls"
        source.write_text("x")

        with pytest.raises(mc.InputError, match=r"use \.parquet or \.csv"):
            mc.batch.score_file(model, source, tmp_path / "o.parquet")


    def test_workers_write_the_same_bytes(self, tmp_path, model, population):
        """Two worker threads write the file one worker writes."""
        source = tmp_path / "in.parquet"
        population.to_parquet(source)
        one, two = tmp_path / "one.parquet", tmp_path / "two.parquet"

        mc.batch.score_file(
            model, source, one, keys=["org"], chunk_rows=32, workers=1
        )
        mc.batch.score_file(
            model, source, two, keys=["org"], chunk_rows=32, workers=2
        )

        assert one.read_bytes() == two.read_bytes()

    def test_float_columns_are_the_exact_values_rounded(
        self, tmp_path, model, population
    ):
        """--float adds a float64 column after each exact column."""
        from fractions import Fraction  # noqa: PLC0415

        source = tmp_path / "in.parquet"
        population.to_parquet(source)
        out = tmp_path / "out.parquet"

        mc.batch.score_file(
            model, source, out, keys=["org"], floats=True, nodes=True
        )
        got = pd.read_parquet(out)
        exact_columns = [
            c for c in got.columns if c == "score" or c[0] == "X"
            or c.startswith("total:")
        ]  # fmt: skip
        exact_columns = [c for c in exact_columns if not c.endswith("_float")]

        assert all(
            got.columns.get_loc(c) + 1 == got.columns.get_loc(f"{c}_float")
            for c in exact_columns
        )
        assert all(
            [float(Fraction(v)) for v in got[c]] == got[f"{c}_float"].tolist()
            for c in exact_columns
        )
        assert "float64" == str(got["score_float"].dtype)

    def test_dictionary_columns_are_read_as_codes(self, tmp_path, model):
        """A Parquet file written with dictionary columns scores as text."""
        import pyarrow as pa  # noqa: PLC0415
        import pyarrow.parquet as pq  # noqa: PLC0415

        codes = mc.batch.synthetic_population(model, 40, seed=3)
        columns = {"org": pa.array([f"o{i}" for i in range(40)])}
        for j, rid in enumerate(model.requirement_ids):
            columns[rid] = pa.DictionaryArray.from_arrays(
                pa.array(codes[:, j]), pa.array(model.column_rating_ids[j])
            )
        source = tmp_path / "in.parquet"
        pq.write_table(pa.table(columns), source)
        out = tmp_path / "out.parquet"

        mc.batch.score_file(model, source, out, keys=["org"])

        assert [
            str(s) for s in mc.batch.score_many(model, codes).scores()
        ] == pd.read_parquet(out)["score"].tolist()

    def test_csv_na_and_empty_cells(self, tmp_path):
        """In a CSV file 'na' is a rating and an empty cell is unrated."""
        pack = mc.load_pack("bcgrading")
        model = mc.batch.compile_model(pack)
        codes = mc.batch.synthetic_population(model, 3, seed=4)
        frame = pd.DataFrame(
            [
                [model.column_rating_ids[j][c] for j, c in enumerate(row)]
                for row in codes.tolist()
            ],
            columns=list(model.requirement_ids),
        )
        na_column = next(
            j
            for j, rid in enumerate(model.requirement_ids)
            if pack.rubric_of(pack.requirements_by_id[rid]).na_allowed
        )
        frame.iloc[0, na_column] = "na"
        frame.iloc[1, 0] = ""
        source = tmp_path / "in.csv"
        frame.to_csv(source, index=False)
        out = tmp_path / "out.parquet"
        codes[0, na_column] = mc.batch.NA_CODE
        codes[1, 0] = mc.batch.UNRATED_CODE

        mc.batch.score_file(model, source, out, unrated="none")

        assert [
            str(s)
            for s in mc.batch.score_many(model, codes, unrated="none").scores()
        ] == pd.read_parquet(out)["score"].tolist()

    def test_missing_key_column_is_named(self, tmp_path, model, population):
        """A --key column the file lacks is an error naming it."""
        source = tmp_path / "in.parquet"
        population.to_parquet(source)

        with pytest.raises(mc.AssessmentError, match="'site'") as info:
            mc.batch.score_file(
                model, source, tmp_path / "o.parquet", keys=["site"]
            )
        assert "missing-key" in [p.code for p in info.value.problems]

    def test_unrated_row_number_counts_from_the_start(
        self, tmp_path, model, population
    ):
        """An unrated cell's row number is its row in the whole file."""
        population.loc[70, model.requirement_ids[2]] = None
        source = tmp_path / "in.parquet"
        population.to_parquet(source)

        with pytest.raises(mc.ScoringError, match=r"in\.parquet: row 70:"):
            mc.batch.score_file(
                model, source, tmp_path / "o.parquet", keys=["org"],
                chunk_rows=32,
            )  # fmt: skip

    def test_rows_on_the_exact_path_are_counted(self, tmp_path):
        """A rule that reads node scores (no vectorised form) sends every
        row to the exact path, and the summary says how many."""

        def weakest_node(xs, gate, nodes):
            del gate
            low = min((min(s.values()) for s in nodes.values()), default=0)
            return mc.typing.RuleOutcome(low + xs[0], len(xs), ("weakest",))

        mc.register_rule(
            mc.LevelRule("test-weakest-node", weakest_node, sees_nodes=True),
            replace=True,
        )
        pack = mc.load_pack("db12t1073")
        model = mc.batch.compile_model(
            pack, "discrete", rule="test-weakest-node"
        )
        codes = mc.batch.synthetic_population(model, 30, seed=5)
        frame = pd.DataFrame(
            np.array(model.rating_ids, dtype=object)[codes],
            columns=list(model.requirement_ids),
        )
        source = tmp_path / "in.parquet"
        frame.to_parquet(source)

        summary = mc.batch.score_file(model, source, tmp_path / "o.parquet")

        assert (30, 30) == (
            mc.batch.score_many(model, codes).rows_on_exact_path,
            summary.rows_on_exact_path,
        )


class TestBatchCommand:
    def test_scores_a_file_and_reports_levels(self, tmp_path, population):
        """`maturity batch` writes the output and summarises the levels."""
        source = tmp_path / "in.parquet"
        population.to_parquet(source)
        out = tmp_path / "out.parquet"
        stdout, stderr = io.StringIO(), io.StringIO()

        status = run(
            [
                "batch", str(source), "--pack", "db12t1073", "--key", "org",
                "--out", str(out), "--format", "json", "--no-progress",
            ],
            stdout,
            stderr,
        )  # fmt: skip
        data = json.loads(stdout.getvalue())

        assert 0 == status
        assert 250 == data["rows"]
        assert 250 == sum(data["levels"].values())
        assert 250 == len(pd.read_parquet(out))

    def test_bad_tailor_option_is_a_usage_error(self, tmp_path, population):
        """--tailor needs NODE=REASON."""
        source = tmp_path / "in.parquet"
        population.to_parquet(source)
        stderr = io.StringIO()

        status = run(
            [
                "batch", str(source), "--pack", "db12t1073",
                "--out", str(tmp_path / "o.parquet"), "--tailor", "service",
            ],
            io.StringIO(),
            stderr,
        )  # fmt: skip

        assert 2 == status
        assert "NODE=REASON" in stderr.getvalue()

    def test_bad_input_exits_1_without_traceback(self, tmp_path, population):
        """A bad cell ends with status 1 and a message naming the file."""
        population.loc[3, population.columns[1]] = "mostly"
        source = tmp_path / "in.parquet"
        population.to_parquet(source)
        stderr = io.StringIO()

        status = run(
            [
                "batch", str(source), "--pack", "db12t1073", "--key", "org",
                "--out", str(tmp_path / "o.parquet"),
            ],
            io.StringIO(),
            stderr,
        )  # fmt: skip

        assert 1 == status
        assert str(source) in stderr.getvalue()
        assert "Traceback" not in stderr.getvalue()

    def test_float_and_workers_options(self, tmp_path, population):
        """--float adds float columns; --workers 2 scores the same rows."""
        source = tmp_path / "in.parquet"
        population.to_parquet(source)
        out = tmp_path / "out.parquet"

        status = run(
            [
                "batch", str(source), "--pack", "db12t1073", "--key", "org",
                "--out", str(out), "--float", "--workers", "2",
                "--no-progress",
            ],
            io.StringIO(),
            io.StringIO(),
        )  # fmt: skip
        got = pd.read_parquet(out)

        assert 0 == status
        assert [float(Fraction(s)) for s in got["score"]] == got[
            "score_float"
        ].tolist()

    @pytest.mark.parametrize(
        ("extra", "message"),
        [
            (["--workers", "0"], "--workers must be at least 1"),
            (["--dask", "tcp://127.0.0.1:9"], "not one"),
        ],
    )
    def test_bad_speed_options_are_usage_errors(
        self, tmp_path, population, extra, message
    ):
        """--workers below 1 and --dask with a file input exit 2."""
        source = tmp_path / "in.parquet"
        population.to_parquet(source)
        stderr = io.StringIO()

        status = run(
            [
                "batch", str(source), "--pack", "db12t1073",
                "--out", str(tmp_path / "o.parquet"), *extra,
            ],
            io.StringIO(),
            stderr,
        )  # fmt: skip

        assert 2 == status
        assert message in stderr.getvalue()
