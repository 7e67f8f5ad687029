"""Population summaries of a ratings file, overall and per group."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import maturity_core as mc
from maturity_core._schema import validator


@pytest.fixture(scope="module")
def model() -> mc.batch.CompiledModel:
    return mc.batch.compile_model(mc.load_pack("db12t1073"), "discrete")


@pytest.fixture(scope="module")
def population(model, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("population") / "population.parquet"
    mc.batch.write_synthetic(
        model, path, 240, keys=["org", "region"], seed=12, near_gate=0.3
    )
    return path


@pytest.fixture(scope="module")
def summary(model, population) -> mc.batch.FileSummary:
    return mc.batch.summarise_file(
        model, population, keys=["org"], by=["region"]
    )


def _codes(model, n=240):
    return mc.batch.synthetic_population(model, n, seed=12, near_gate=0.3)


class TestSummariseFile:
    def test_overall_equals_the_in_memory_summary(self, model, summary):
        """The file's summary is summarise_population of its rows."""
        codes = _codes(model)
        expected = mc.batch.summarise_population(
            mc.batch.score_many(model, codes), codes
        )

        assert expected.to_dict() == summary.overall.to_dict()

    def test_one_group_per_value(self, summary):
        """--by region gives one summary per region, covering every row."""
        values = [g.value for g in summary.groups]

        assert [f"region-{i}" for i in range(1, 6)] == values
        assert 240 == sum(g.summary.size for g in summary.groups)

    def test_group_equals_its_rows(self, model, population, summary):
        """A group's summary is summarise_population of its own rows."""
        import pyarrow.parquet as pq

        regions = np.array(
            pq.read_table(population, columns=["region"])
            .column("region")
            .to_pylist()
        )
        rows = _codes(model)[regions == "region-2"]
        expected = mc.batch.summarise_population(
            mc.batch.score_many(model, rows), rows
        )
        group = next(g for g in summary.groups if g.value == "region-2")

        assert expected.to_dict() == group.summary.to_dict()

    def test_json_follows_the_schema(self, summary):
        """The JSON summary is valid against population.schema.json."""
        errors = list(validator("population").iter_errors(summary.to_dict()))

        assert [] == errors

    def test_weakest_leaves_have_the_lowest_means(self, model, summary):
        """The weakest at a level are the leaves with the lowest means."""
        nodes = model.pack.nodes
        means = sorted(
            (d[2].mean, node)
            for node, d in summary.overall.nodes.items()
            if nodes[node].is_leaf
        )

        assert [n for _, n in means[:5]] == [
            n for n, _ in summary.weakest()[2]
        ]

    def test_csv_gives_the_same_summary(self, model, tmp_path, summary):
        """A CSV population is summarised as its Parquet twin."""
        path = tmp_path / "population.csv"
        mc.batch.write_synthetic(
            model, path, 240, keys=["org", "region"], seed=12, near_gate=0.3
        )
        csv = mc.batch.summarise_file(
            model, path, keys=["org"], by=["region"]
        )

        assert summary.to_dict()["groups"] == csv.to_dict()["groups"]

    def test_markdown_lists_every_group(self, summary):
        """The Markdown summary has a row per region."""
        text = summary.to_markdown()

        assert all(f"| region-{i} |" in text for i in range(1, 6))


    def test_several_group_columns(self, model, tmp_path):
        """Each --by column groups every row on its own."""
        path = tmp_path / "population.csv"
        mc.batch.write_synthetic(
            model, path, 60, keys=["region", "industry"], seed=3
        )

        summary = mc.batch.summarise_file(
            model, path, by=["region", "industry"]
        )

        assert {"region": 60, "industry": 60} == {
            column: sum(
                g.summary.size for g in summary.groups if g.column == column
            )
            for column in summary.by
        }


class TestErrors:
    def test_missing_group_column(self, model, population):
        """Grouping by a column the file lacks names the file's keys."""
        with pytest.raises(mc.MaturityCoreError) as info:
            mc.batch.summarise_file(
                model, population, keys=["org", "region"], by=["industry"]
            )

        message = str(info.value)
        assert "population.parquet" in message
        assert "'industry'" in message
        assert "org, region" in message

    def test_unnamed_key_column(self, model, population):
        """A column that is neither a key nor a requirement is an error."""
        with pytest.raises(mc.MaturityCoreError, match="unknown column 'org'"):
            mc.batch.summarise_file(model, population, by=["region"])

    def test_empty_file(self, model, tmp_path):
        """A file without rows has no population to summarise."""
        path = tmp_path / "empty.csv"
        path.write_text(",".join(model.requirement_ids) + "\n", "utf-8")

        with pytest.raises(mc.MaturityCoreError, match="has no rows"):
            mc.batch.summarise_file(model, path)
