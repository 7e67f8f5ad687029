"""Streaming batch scoring of Parquet and CSV files, and `maturity batch`."""

from __future__ import annotations

import io
import json

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
