"""Population analytics, synthetic populations and weight sensitivity."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import maturity_core as mc
from maturity_core.analysis._sensitivity import _x_at
from maturity_core._scoring import level_for_score


@pytest.fixture(scope="module")
def db12() -> mc.Pack:
    return mc.load_pack("db12t1073")


@pytest.fixture(scope="module")
def model(db12) -> mc.batch.CompiledModel:
    return mc.batch.compile_model(db12, "discrete")


@pytest.fixture(scope="module")
def codes(model):
    return mc.batch.synthetic_population(model, 400, seed=5)


def _result(db12, model, row) -> mc.Result:
    ratings = tuple(
        mc.RatingEntry(rid, model.rating_ids[c])
        for rid, c in zip(model.requirement_ids, row.tolist(), strict=True)
    )
    return mc.score(
        db12, mc.Assessment(pack=db12.id, profile="discrete", ratings=ratings)
    )


class TestSyntheticPopulation:
    def test_same_seed_same_population(self, model):
        """Populations are reproducible from their seed."""
        first = mc.batch.synthetic_population(model, 50, seed=1)

        assert np.array_equal(
            first, mc.batch.synthetic_population(model, 50, seed=1)
        )

    def test_most_enterprises_sit_at_levels_one_and_two(self, model):
        """The default shape follows the national statistics (≤ 2: 84 %)."""
        codes = mc.batch.synthetic_population(model, 4000, seed=2)
        levels = mc.batch.score_many(model, codes).levels

        share = np.count_nonzero(levels <= 2) / len(levels)
        assert 0.78 < share < 0.9


class TestSummary:
    def test_level_counts_and_exact_mean(self, db12, model, codes):
        """Counts match the levels; the mean S is the exact mean."""
        batch = mc.batch.score_many(model, codes)
        summary = mc.batch.summarise_population(batch, codes)
        expected_mean = sum(batch.scores(), Fraction(0)) / len(codes)

        assert len(codes) == sum(summary.level_counts.values())
        assert expected_mean == summary.score.mean
        assert 1 == sum(summary.level_shares.values())

    def test_median_is_an_order_statistic(self, model, codes):
        """Quantiles are exact nearest-rank order statistics."""
        batch = mc.batch.score_many(model, codes)
        summary = mc.batch.summarise_population(batch)
        ordered = sorted(batch.scores())

        assert (
            ordered[len(ordered) // 2 - 1]
            == summary.score.quantiles[Fraction(1, 2)]
        )

    def test_node_scores_equal_the_scalar_path(self, db12, model, codes):
        """Domain and subdomain scores per row equal Result.nodes."""
        nodes = ["production", "design", "data"]
        ns = mc.batch.node_scores(model, codes[:5], nodes)
        result = _result(db12, model, codes[3])

        for node in nodes:
            for level in (1, 2, 3):
                assert result.node_score(node, level) == ns.score(
                    node, 3, level
                )

    def test_weakest_nodes_have_the_lowest_means(self, model, codes):
        """weakest() ranks nodes by their mean at a level."""
        batch = mc.batch.score_many(model, codes)
        summary = mc.batch.summarise_population(batch, codes)
        weakest = summary.weakest(2, 3)
        means = sorted(d[2].mean for d in summary.nodes.values() if 2 in d)

        assert means[:3] == [m for _, m in weakest]


class TestSensitivity:
    def test_levels_change_exactly_at_the_reported_distance(self, db12):
        """Just inside the distance the level holds; at or past it, not."""
        assessment = mc.Assessment.from_path(
            "examples/db12t1073-discrete.json"
        )
        result = mc.score(db12, assessment)
        found = 0
        for item in mc.analysis.weight_sensitivity(db12, result):
            for distance in (item.up, -item.down if item.down else None):
                if distance is None:
                    continue
                found += 1

                def level(d):
                    xs = _x_at(db12, result, item.node, d)
                    s = mc.get_rule(result.rule)(xs, db12.method.gate).score
                    return level_for_score(db12, s)[0]

                assert result.level == level(distance * Fraction(9999, 10000))
                beyond = distance * Fraction(10001, 10000)
                assert result.level != level(distance) or (
                    result.level != level(beyond)
                )
        assert found > 0

    def test_no_perturbation_changes_nothing(self, model, codes):
        """With zero spread no level changes."""
        share = mc.analysis.perturbation_study(
            model, codes[:50], spread=Fraction(0), trials=2
        )

        assert 0 == share

    def test_perturbation_share_is_a_fraction_of_pairs(self, model, codes):
        """The share lies in [0, 1] and is exact."""
        share = mc.analysis.perturbation_study(model, codes[:100], trials=3, seed=4)

        assert 0 <= share <= 1
        assert isinstance(share, Fraction)


class TestPopulationRadar:
    def test_population_radar_draws_domain_means(self, db12, model, codes):
        """A PNG of the mean domain scores per level (CJK labels render)."""
        summary = mc.batch.summarise_population(mc.batch.score_many(model, codes), codes)

        png = mc.report.population_radar_png(db12, summary)

        assert png.startswith(b"\x89PNG")

    def test_population_radar_needs_node_scores(self, db12, model, codes):
        """Without the codes there are no domain figures to draw."""
        summary = mc.batch.summarise_population(mc.batch.score_many(model, codes))

        with pytest.raises(ValueError, match="no 能力域 scores"):
            mc.report.population_radar_png(db12, summary)
