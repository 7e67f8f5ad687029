"""
The population view of an assessing body: level shares, weakest nodes and
breakdowns by region and industry, from the library's batch scoring.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import maturity_core as mc
from maturity_core import batch, report


@dataclass
class Breakdown:
    name: str
    size: int
    mean_score: Fraction
    level_shares: dict[int, Fraction]


@dataclass
class PopulationView:
    size: int = 0
    left_out: int = 0
    level_shares: dict[int, Fraction] = field(default_factory=dict)
    mean_score: Fraction | None = None
    weakest_level: int | None = None
    weakest: list[tuple[str, str, Fraction]] = field(default_factory=list)
    regions: list[Breakdown] = field(default_factory=list)
    industries: list[Breakdown] = field(default_factory=list)
    radar: str | None = None


def population_view(
    pack: mc.Pack, profile: str, members: Sequence[tuple[mc.Assessment, Any]]
) -> PopulationView:
    """
    Summarise the complete assessments in *members* (assessment and its
    organisation).  Assessments with tailoring are scored under another
    scope, so they are counted as left out rather than mixed in.
    """
    import pandas as pd  # noqa: PLC0415 -- the batch extra

    view = PopulationView()
    rows = [(a, org) for a, org in members if not a.tailoring]
    view.left_out = len(members) - len(rows)
    if not rows:
        return view
    model = batch.compile_model(pack, profile)
    ids = list(model.requirement_ids)
    frame = pd.DataFrame(
        [[a.ratings_by_id.get(r) for r in ids] for a, _ in rows], columns=ids
    )
    codes, _ = batch.encode_frame(model, frame)
    depth = max(1, pack.max_depth - 1)
    result = batch.score_many(model, codes)
    summary = batch.summarise_population(result, codes, depths=[depth])
    view.size = summary.size
    view.level_shares = summary.level_shares
    view.mean_score = summary.score.mean
    levels = pack.level_numbers
    common = max(summary.level_counts, key=lambda k: summary.level_counts[k])
    view.weakest_level = min(max(levels), max(common + 1, min(levels)))
    lang = pack.language
    view.weakest = [
        (node, pack.nodes[node].name.get(lang), mean)
        for node, mean in summary.weakest(view.weakest_level, 5)
    ]
    for attr, target in (
        ("region", view.regions),
        ("industry", view.industries),
    ):
        groups: dict[str, list[int]] = {}
        for i, (_, org) in enumerate(rows):
            groups.setdefault(getattr(org, attr) or "(not given)", []).append(
                i
            )
        for name, index in sorted(groups.items()):
            part = batch.summarise_population(
                batch.score_many(model, codes[index])
            )
            target.append(
                Breakdown(name, part.size, part.score.mean, part.level_shares)
            )
    chart = batch.summarise_population(result, codes)
    try:
        png = report.population_radar_png(pack, chart, lang=lang)
    except (ValueError, mc.MaturityCoreError):
        png = None
    if png is not None:
        view.radar = base64.b64encode(png).decode("ascii")
    return view
