"""The example third-party pack installs, loads and scores like any other."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import maturity_core as mc
from maturity_core.testing import (
    assessment_from_recipe,
    assessments,
    check_vectors,
)


def test_pack_is_discovered():
    """The distribution registers entry point devpractice."""
    assert "devpractice" in [i.id for i in mc.discover_packs()]


def test_own_rule_is_registered_by_the_extension():
    """Loading the trusted pack imports its rule module."""
    pack = mc.load_pack("devpractice")

    assert "all-at-or-below" == pack.method.rule
    assert "all-at-or-below" in mc.rule_names()


def test_vectors_pass():
    """Hand-computed vectors (minimum aggregation, 0–3 scale) pass."""
    assert 3 == check_vectors(mc.load_pack("devpractice"))


def test_batch_path_agrees_with_the_exact_path():
    """Non-linear packs are scored row by row in batch, identically."""
    pack = mc.load_pack("devpractice")
    model = mc.batch.compile_model(pack)
    codes = mc.batch.synthetic_population(model, 40, seed=3)
    batch = mc.batch.score_many(model, codes)
    for i, row in enumerate(codes):
        ratings = tuple(
            mc.RatingEntry(r, model.rating_ids[c])
            for r, c in zip(model.requirement_ids, row.tolist(), strict=True)
        )
        result = mc.score(pack, mc.Assessment(pack=pack.id, ratings=ratings))
        assert (result.score, result.level) == (batch.score(i), batch.level(i))


def test_rule_is_a_monotone_level_rule_with_a_vectorised_fold():
    """The extension registers a LevelRule that plans and batches can use."""
    mc.load_pack("devpractice")
    rule = mc.get_rule("all-at-or-below")

    assert (True, True) == (rule.monotone, rule.vector_fold is not None)


@settings(max_examples=200)
@given(
    st.lists(
        st.lists(st.integers(0, 3), min_size=3, max_size=3),
        min_size=1,
        max_size=20,
    ),
    st.integers(0, 3),
)
def test_vectorised_fold_equals_the_exact_fold(rows, gate):
    """On every row of thirds, S and the counted levels agree exactly."""
    mc.load_pack("devpractice")
    rule = mc.get_rule("all-at-or-below")
    s, counted = rule.vector_fold(np, np.array(rows, dtype=np.int64), gate, 3)
    exact = [
        rule([Fraction(v, 3) for v in row], Fraction(gate, 3)) for row in rows
    ]

    assert [(o.score, o.counted) for o in exact] == [
        (Fraction(int(a), 3), int(c)) for a, c in zip(s, counted, strict=True)
    ]


def _raised(assessment: mc.Assessment, requirement: str, rating: str):
    data = assessment.to_dict()
    for entry in data["ratings"]:
        if entry["id"] == requirement:
            entry["rating"] = rating
    return mc.Assessment.from_dict(data)


def _claims_and_rescoring(pack, assessment):
    """(claimed, re-scored) (level gain, gain) of every gap."""
    result = mc.score(pack, assessment)
    top = max(pack.level_numbers)
    claimed, real = [], []
    for gap in mc.analysis.gap_analysis(pack, result, target=top).gaps:
        after = mc.score(pack, _raised(assessment, gap.requirement, gap.top))
        k = gap.level - 1
        claimed.append((gap.requirement, gap.level_gain, gap.gain))
        real.append(
            (
                gap.requirement,
                after.level_scores[k] - result.level_scores[k],
                after.score - result.score,
            )
        )
    return claimed, real


def test_gap_gain_of_a_practice_above_the_weakest_is_zero():
    """Raising automated testing at level 2 leaves the weakest practice at
    level 2 (incident response, 1/3) as it is: X_2 and S do not move."""
    pack = mc.load_pack("devpractice")
    recipe = {
        "default": {"1": "2", "2": "2", "3": "2"},
        "requirements": {"incident-response.l2": "1"},
    }
    result = mc.score(pack, assessment_from_recipe(pack, None, recipe))
    gaps = {g.requirement: g for g in mc.analysis.gap_analysis(pack, result).gaps}

    assert (0, 0) == (
        gaps["automated-testing.l2"].level_gain,
        gaps["automated-testing.l2"].gain,
    )


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_every_gap_claims_what_rescoring_shows(data):
    """For every gap, the claimed rise of X_level and of S equals the rise
    found by scoring the assessment again with that requirement at the
    top rating."""
    pack = mc.load_pack("devpractice")
    assessment = data.draw(assessments(pack))

    claimed, real = _claims_and_rescoring(pack, assessment)

    assert real == claimed
