"""The practice capability example pack installs, loads and scores through
its entry point: additive levels without a gate, two rubrics, three named
tiers, a total per node, English and German texts."""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import maturity_core as mc
from maturity_core import cli
from maturity_core.testing import check_vectors, iter_vectors, run_vector


PACK = "practicecap"


@pytest.fixture(scope="module")
def pack() -> mc.Pack:
    return mc.load_pack(PACK)


def _vectors() -> dict[str, dict[str, Any]]:
    return {v.name: v.data for v in iter_vectors(mc.load_pack(PACK))}


def run(*argv: object) -> tuple[int, str, str]:
    """Run ``maturity`` with *argv*; return the status, stdout and stderr."""
    stdout, stderr = io.StringIO(), io.StringIO()
    rc = cli.run([str(a) for a in argv], stdout=stdout, stderr=stderr)
    assert "Traceback" not in stderr.getvalue()
    return rc, stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def uneven(tmp_path: Path) -> Path:
    """Vector 04's assessment, on disk."""
    path = tmp_path / "uneven.json"
    path.write_text(
        json.dumps(_vectors()["04-uneven-practices"]["assessment"]), "utf-8"
    )
    return path


class TestShape:
    def test_pack_is_discovered_through_its_entry_point(self):
        """The distribution registers entry point practicecap."""
        infos = {i.id: i for i in mc.discover_packs()}

        assert "maturity-pack-practicecap" == infos[PACK].dist_name

    def test_three_named_tiers(self, pack):
        """Function, category and practice name the three depths."""
        assert ["Function", "Category", "Practice"] == [
            pack.tier(d).name.en for d in (1, 2, 3)
        ]

    def test_every_node_sits_in_the_tier_of_its_kind(self, pack):
        """A node's kind is the id of the tier at its depth."""
        assert all(
            pack.tier(depth).id == node.kind
            for depth in (1, 2, 3)
            for node in pack.nodes_at(depth)
        )

    def test_evidence_requirements_use_the_yes_no_rubric(self, pack):
        """Records and review checks are rated yes or no; the rest 0–4."""
        ids = {
            r.id: pack.rubric_of(r).ids for r in pack.requirements
        }

        assert {("4", "3", "2", "1", "0"), ("yes", "no")} == set(ids.values())
        assert all(
            ("yes", "no") == ids[r]
            for r in ids
            if r.endswith(("-records", "-review"))
        )

    def test_method_is_additive_without_a_gate(self, pack):
        """The additive rule, no gate, bands at 1/2, 3/2 and 5/2."""
        method = pack.method

        assert ("additive", None) == (method.rule, method.gate)
        assert [Fraction(1, 2), Fraction(3, 2), Fraction(5, 2)] == [
            b.min for b in method.bands
        ]

    def test_every_text_is_in_english_and_german(self, pack):
        """Titles, names, descriptions, texts and guidance carry en and de."""
        texts = [pack.title, pack.report_title, pack.no_level_name]
        nodes = [n for d in (1, 2, 3) for n in pack.nodes_at(d)]
        texts += [n.name for n in nodes] + [n.description for n in nodes]
        texts += [r.text for r in pack.requirements]
        texts += [r.guidance for r in pack.requirements]
        texts += [lv.name for lv in pack.levels]

        assert ("en", "de") == pack.languages
        assert {("de", "en")} == {tuple(sorted(t.languages)) for t in texts}


class TestVectors:
    def test_vectors_pass(self, pack):
        """Four hand-computed vectors pass."""
        assert 4 == check_vectors(pack)

    @pytest.mark.parametrize("name", sorted(_vectors()))
    def test_vector_node_totals_and_levels(self, pack, name):
        """Each vector's hand-computed node totals and levels hold."""
        vector = next(v for v in iter_vectors(pack) if v.name == name)
        expected = vector.data["expected"]
        got = run_vector(pack, vector).result.to_dict()

        assert (expected["node_totals"], expected["node_levels"]) == (
            {n: got["node_totals"][n] for n in expected["node_totals"]},
            {n: got["node_levels"][n] for n in expected["node_levels"]},
        )


class TestCommandLine:
    def test_pack_check_passes_on_the_installed_package(self):
        """``maturity pack check`` finds no problem and no failing vector."""
        with as_file(files("maturity_pack_practicecap")) as root:
            rc, out, _ = run("pack", "check", root)

        assert (0, "valid pack; 4 vectors ran, all passed") == (
            rc,
            out.strip().rsplit(": ", 1)[-1],
        )

    def test_score_prints_the_score_and_level(self, uneven):
        """The text result shows S and the level reached."""
        rc, out, _ = run("score", uneven, "--lang", "en")

        assert 0 == rc
        assert "S = 1.67 (exact 67/40); level 2: Managed" in out

    def test_score_json_holds_every_node_total_and_level(self, uneven):
        """``score --format json`` has a total and level for every node."""
        expected = _vectors()["04-uneven-practices"]["expected"]

        rc, out, _ = run("score", uneven, "--format", "json")
        data = json.loads(out)

        assert 0 == rc
        assert (expected["node_totals"], expected["node_levels"]) == (
            data["node_totals"],
            data["node_levels"],
        )

    def test_plan_reaches_its_target_when_applied(self, pack, uneven):
        """Applying the planned upgrades and scoring again gives level 3."""
        rc, out, _ = run("plan", uneven, "--target", "3", "--format", "json")
        plan = json.loads(out)
        data = json.loads(uneven.read_text("utf-8"))
        to = {u["requirement"]: u["to"] for u in plan["upgrades"]}
        for entry in data["ratings"]:
            entry["rating"] = to.get(entry["id"], entry["rating"])
        result = mc.score(pack, mc.Assessment.from_dict(data))

        assert 0 == rc
        assert (3, plan["score"]) == (result.level, str(result.score))

    def test_batch_gives_the_scores_of_score(self, pack, tmp_path):
        """``maturity batch`` on the vectors as CSV rows matches score()."""
        vectors = _vectors()
        rows = [
            {"org": name} | {r["id"]: r["rating"] for r in v["assessment"]["ratings"]}
            for name, v in vectors.items()
        ]
        source, target = tmp_path / "in.csv", tmp_path / "out.csv"
        with source.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)

        rc, _, _ = run(
            "batch", source, "--pack", PACK, "--out", target, "--key", "org"
        )
        with target.open(encoding="utf-8") as f:
            got = {r["org"]: (r["score"], int(r["level"])) for r in csv.DictReader(f)}
        expected = {}
        for name, v in vectors.items():
            result = mc.score(pack, mc.Assessment.from_dict(v["assessment"]))
            expected[name] = (str(result.score), result.level)

        assert 0 == rc
        assert expected == got


def _rated(pack: mc.Pack, ratings: dict[str, str]) -> mc.Assessment:
    return mc.Assessment.from_dict(
        {
            "pack": pack.id,
            "ratings": [{"id": r, "rating": v} for r, v in ratings.items()],
        }
    )


@st.composite
def _ratings(draw: Any, pack: mc.Pack) -> dict[str, str]:
    """Every requirement rated from its own rubric (0–4 or yes/no)."""
    return {
        r.id: draw(st.sampled_from(pack.rubric_of(r).ids))
        for r in pack.requirements
    }


class TestPython:
    @settings(max_examples=25, deadline=None)
    @given(data=st.data())
    def test_score_many_agrees_with_score(self, data):
        """Additive batch scoring of mixed rubrics equals score() row by row."""
        pack = mc.load_pack(PACK)
        rows = data.draw(st.lists(_ratings(pack), min_size=1, max_size=8))

        batch = mc.batch.score_many(pack, rows)
        results = [mc.score(pack, _rated(pack, row)) for row in rows]

        assert [(r.score, r.level) for r in results] == [
            (batch.score(i), batch.level(i)) for i in range(len(rows))
        ]

    @settings(max_examples=25, deadline=None)
    @given(data=st.data())
    def test_every_gap_claims_what_rescoring_shows(self, data):
        """For every gap, the claimed rise of X_level and of S equals the
        rise found by scoring again with that requirement at its rubric's
        top rating (0–4 or yes/no)."""
        pack = mc.load_pack(PACK)
        ratings = data.draw(_ratings(pack))
        result = mc.score(pack, _rated(pack, ratings))
        claimed, real = [], []
        for gap in mc.analysis.gap_analysis(pack, result, target=3).gaps:
            after = mc.score(pack, _rated(pack, ratings | {gap.requirement: gap.top}))
            k = gap.level - 1
            claimed.append((gap.requirement, gap.level_gain, gap.gain))
            real.append(
                (
                    gap.requirement,
                    after.level_scores[k] - result.level_scores[k],
                    after.score - result.score,
                )
            )

        assert real == claimed
