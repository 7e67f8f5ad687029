"""
Analysis of scored assessments: gaps, plans, comparisons, several assessors,
crosswalks between packs, migrations between pack versions, standard groups
and the sensitivity of a result to the pack's weights.

Every number here comes from the same scoring semantics as
:func:`maturity_core.score`::

    >>> from maturity_core import analysis
    >>> gaps = analysis.gap_analysis(pack, result)  # doctest: +SKIP
"""

from __future__ import annotations

from ._compare import Comparison, NodeChange, RatingChange, compare
from ._consolidate import (
    AgreementStats,
    Consolidation,
    Disagreement,
    agreement_statistics,
    consolidate,
)
from ._crosswalk import (
    Carried,
    Crosswalk,
    CrosswalkEntry,
    NotCarried,
    carry_assessment,
    compare_across,
    find_crosswalk,
)
from ._gaps import Gap, GapAnalysis, GapGroup, LeafStanding, gap_analysis
from ._group import GroupMember, GroupResult, score_group
from ._migrate import Migrated, Rerate, migrate_assessment
from ._plan import Plan, Upgrade, efforts_from_json, improvement_plan
from ._sensitivity import (
    WeightSensitivity,
    perturbation_study,
    weight_sensitivity,
)


__all__ = [
    "AgreementStats",
    "Carried",
    "Comparison",
    "Consolidation",
    "Crosswalk",
    "CrosswalkEntry",
    "Disagreement",
    "Gap",
    "GapAnalysis",
    "GapGroup",
    "GroupMember",
    "GroupResult",
    "LeafStanding",
    "Migrated",
    "NodeChange",
    "NotCarried",
    "Plan",
    "RatingChange",
    "Rerate",
    "Upgrade",
    "WeightSensitivity",
    "agreement_statistics",
    "carry_assessment",
    "compare",
    "compare_across",
    "consolidate",
    "efforts_from_json",
    "find_crosswalk",
    "gap_analysis",
    "improvement_plan",
    "migrate_assessment",
    "perturbation_study",
    "score_group",
    "weight_sensitivity",
]
