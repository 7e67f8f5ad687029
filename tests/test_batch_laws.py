"""The batch path equals the exact scalar path (the oracle), on random
packs, profiles, scopes, tailoring, na ratings and both level rules."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import maturity_core as mc

from . import strategies as gen


pytestmark = pytest.mark.property

RULES = st.sampled_from(["cumulative-gated", "cumulative-gated-unit"])
law = settings(deadline=None)


def _same(result: mc.Result, batch: mc.batch.BatchResult, i: int) -> None:
    assert (
        result.score,
        result.level,
        result.level_scores,
        result.counted_levels,
    ) == (
        batch.score(i),
        batch.level(i),
        batch.level_scores(i),
        int(batch.counted[i]),
    )


@law
@given(gen.packs_and_assessments(), RULES)
def test_batch_equals_scalar(pair, rule):
    """One assessment scores identically on both paths."""
    data, raw = pair
    pack = mc.load_pack(data)
    assessment = mc.Assessment.from_dict(raw)
    result = mc.score(pack, assessment, rule=rule)
    model = mc.batch.compile_model(
        pack, result.profile, rule=rule, tailoring=assessment.tailoring
    )

    _same(result, mc.batch.score_many(model, [assessment.ratings_by_id]), 0)


@st.composite
def populations(draw):
    data = draw(gen.packs())
    rows = draw(
        st.lists(
            gen.assessments_for(data, tailor=False), min_size=1, max_size=6
        )
    )
    return data, rows


@law
@given(populations(), RULES)
def test_batch_of_many_equals_scalar_row_by_row(population, rule):
    """Every row of a batch (fast rows and na rows mixed) equals score()."""
    data, rows = population
    pack = mc.load_pack(data)
    assessments = [mc.Assessment.from_dict(r) for r in rows]
    profile = assessments[0].profile
    same_profile = [a for a in assessments if a.profile == profile]
    model = mc.batch.compile_model(pack, profile, rule=rule)
    batch = mc.batch.score_many(model, [a.ratings_by_id for a in same_profile])

    for i, assessment in enumerate(same_profile):
        _same(mc.score(pack, assessment, profile=profile, rule=rule), batch, i)
