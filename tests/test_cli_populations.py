"""maturity synth, maturity population and crosswalk on a population file."""

from __future__ import annotations

import io
import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

import maturity_core as mc
from maturity_core._schema import validator
from maturity_core.cli import run


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def population(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "population.parquet"
    status, _, err = _run(
        "synth", "db12t1073", "--profile", "discrete", "--rows", "120",
        "--out", str(path), "--keys", "org,region", "--near-gate", "0.3",
        "--seed", "7",
    )
    assert (0, "") == (status, err)
    return path


class TestSynth:
    def test_synth_then_batch(self, population, tmp_path):
        """A synthetic file is scored by maturity batch, keys copied."""
        scored = tmp_path / "scored.parquet"

        status, _, err = _run(
            "batch", str(population), "--pack", "db12t1073", "--profile",
            "discrete", "--key", "org", "--key", "region", "--out",
            str(scored),
        )

        assert (0, "") == (status, err)
        table = pq.read_table(scored)
        assert 120 == table.num_rows
        assert ["org", "region"] == table.column_names[:2]

    def test_synth_rows_are_the_library_population(self, population):
        """The file holds synthetic_population's ratings for the seed."""
        model = mc.batch.compile_model(mc.load_pack("db12t1073"), "discrete")
        frame = pq.read_table(population).to_pandas()
        codes, _ = mc.batch.encode_frame(
            model, frame, keys=["org", "region"]
        )

        assert np.array_equal(
            mc.batch.synthetic_population(
                model, 120, seed=7, near_gate=0.3
            ),
            codes,
        )

    def test_csv_output(self, tmp_path):
        """--out FILE.csv writes a CSV with a header of requirement ids."""
        path = tmp_path / "p.csv"

        status, _, _ = _run(
            "synth", "devpractice", "--rows", "3", "--out", str(path)
        )

        assert 0 == status
        assert 4 == len(path.read_text("utf-8").splitlines())

    def test_bad_level_shares_syntax(self, tmp_path):
        """A malformed --level-shares is a usage error on one line."""
        status, _, err = _run(
            "synth", "db12t1073", "--rows", "5", "--out",
            str(tmp_path / "x.parquet"), "--level-shares", "1=0.5,two",
        )

        assert 2 == status
        assert "--level-shares takes LEVEL=SHARE" in err
        assert 1 == len(err.splitlines())

    def test_level_outside_the_pack(self, tmp_path):
        """A level the pack lacks names the valid levels (usage error)."""
        status, _, err = _run(
            "synth", "db12t1073", "--rows", "5", "--out",
            str(tmp_path / "x.parquet"), "--level-shares", "0=0.5,9=0.5",
        )

        assert 2 == status
        assert "--level-shares: level 9" in err
        assert "levels 0..5" in err

    def test_near_gate_outside_zero_one(self, tmp_path):
        """--near-gate outside [0, 1] is a usage error."""
        status, _, err = _run(
            "synth", "db12t1073", "--rows", "5", "--out",
            str(tmp_path / "x.parquet"), "--near-gate", "2",
        )

        assert 2 == status
        assert "--near-gate" in err


class TestPopulation:
    def test_json_summary_by_region(self, population, tmp_path):
        """--by region --out FILE.json writes a schema-valid summary."""
        out = tmp_path / "summary.json"

        status, text, _ = _run(
            "population", str(population), "--pack", "db12t1073",
            "--profile", "discrete", "--key", "org", "--by", "region",
            "--out", str(out),
        )

        data = json.loads(out.read_text("utf-8"))
        assert 0 == status
        assert [] == list(validator("population").iter_errors(data))
        assert 120 == sum(g["summary"]["size"] for g in data["groups"])
        assert "## By region" in text

    def test_markdown_and_chart(self, population, tmp_path):
        """--out FILE.md and --chart FILE.png write both files."""
        md, png = tmp_path / "summary.md", tmp_path / "radar.png"

        status, _, _ = _run(
            "population", str(population), "--pack", "db12t1073",
            "--profile", "discrete", "--key", "org", "--key", "region",
            "--out", str(md), "--chart", str(png), "--lang", "en",
        )

        assert 0 == status
        assert md.read_text("utf-8").startswith("# Population summary")
        assert b"\x89PNG" == png.read_bytes()[:4]

    def test_json_on_stdout_is_exact(self, population):
        """--format json prints exact fractions."""
        status, text, _ = _run(
            "population", str(population), "--pack", "db12t1073",
            "--profile", "discrete", "--key", "org", "--key", "region",
            "--format", "json",
        )

        data = json.loads(text)
        assert 0 == status
        shares = data["overall"]["level_shares"].values()
        assert 1 == sum(Fraction(v) for v in shares)

    def test_missing_group_column(self, population):
        """--by a column the file lacks names the file and its keys."""
        status, _, err = _run(
            "population", str(population), "--pack", "db12t1073",
            "--profile", "discrete", "--key", "org", "--by", "industry",
        )

        assert 1 == status
        assert str(population) in err
        assert "'industry'" in err
        assert "org, region" in err

    def test_unknown_column(self, population):
        """A column that is neither a key nor a requirement is refused."""
        status, _, err = _run(
            "population", str(population), "--pack", "db12t1073",
            "--profile", "discrete", "--by", "region",
        )

        assert 1 == status
        assert "unknown column 'org'" in err

    def test_empty_file(self, tmp_path):
        """An empty population file is invalid input."""
        model = mc.batch.compile_model(mc.load_pack("devpractice"))
        path = tmp_path / "empty.csv"
        path.write_text(",".join(model.requirement_ids) + "\n", "utf-8")

        status, _, err = _run("population", str(path), "--pack", "devpractice")

        assert 1 == status
        assert "has no rows" in err

    def test_summary_suffix(self, population, tmp_path):
        """--out takes .json or .md only (usage error)."""
        status, _, err = _run(
            "population", str(population), "--pack", "db12t1073",
            "--out", str(tmp_path / "s.txt"),
        )

        assert 2 == status
        assert ".json or .md" in err


class TestCrosswalkFile:
    def test_carries_every_row(self, population, tmp_path):
        """crosswalk FILE --out carries the population to the target."""
        out = tmp_path / "carried.parquet"

        status, text, _ = _run(
            "crosswalk", str(population), "--pack", "db12t1073",
            "--from-profile", "discrete", "--to", "gbt39116", "--key",
            "org", "--key", "region", "--out", str(out), "--format", "json",
        )

        data = json.loads(text)
        table = pq.read_table(out)
        assert 0 == status
        assert (120, 120) == (data["rows"], table.num_rows)
        assert "discrete" == data["target"]["profile"]
        assert data["carried_cells"] == data["target_cells"]

    def test_carried_file_scores(self, population, tmp_path):
        """The carried file is a population of the target pack."""
        out = tmp_path / "carried.csv"
        _run(
            "crosswalk", str(population), "--pack", "db12t1073",
            "--from-profile", "discrete", "--to", "gbt39116", "--key",
            "org", "--key", "region", "--out", str(out),
        )

        status, _, err = _run(
            "batch", str(out), "--pack", "gbt39116", "--profile",
            "discrete", "--key", "org", "--key", "region", "--out",
            str(tmp_path / "scored.csv"),
        )

        assert (0, "") == (status, err)

    def test_needs_the_source_pack(self, population, tmp_path):
        """A population file needs --pack (usage error)."""
        status, _, err = _run(
            "crosswalk", str(population), "--to", "gbt39116", "--out",
            str(tmp_path / "c.parquet"),
        )

        assert 2 == status
        assert "needs --pack" in err

    def test_missing_crosswalk_asks_for_a_map(self, population, tmp_path):
        """With no crosswalk shipped between the packs, a usage error asks
        for --map, as for one assessment."""
        status, _, err = _run(
            "crosswalk", str(population), "--pack", "db12t1073",
            "--from-profile", "discrete", "--to", "bcgrading", "--out",
            str(tmp_path / "c.parquet"),
        )

        assert 2 == status
        assert "--map FILE" in err
