"""The example third-party pack installs, loads and scores like any other."""

from __future__ import annotations

import maturity_core as mc
from maturity_core.testing import check_vectors


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
    model = mc.compile_model(pack)
    codes = mc.synthetic_population(model, 40, seed=3)
    batch = mc.score_many(model, codes)
    for i, row in enumerate(codes):
        ratings = tuple(
            mc.RatingEntry(r, model.rating_ids[c])
            for r, c in zip(model.requirement_ids, row.tolist(), strict=True)
        )
        result = mc.score(pack, mc.Assessment(pack=pack.id, ratings=ratings))
        assert (result.score, result.level) == (batch.score(i), batch.level(i))
