"""
Rules of DB12/T 1073-2021 that the pack data cannot express.

§8.2.2: 应确认一名评估组长及多名评估组员，评估人员数量应为奇数 — an
assessment team has one leader and several members, and an odd number of
assessors.  The clause governs assessments by an assessment team, so the
rule applies to assessments whose mode is ``external``; a self-assessment
is not bound by it.
"""

from __future__ import annotations

from collections.abc import Iterator

from maturity_core import Assessment, Pack, Problem


def odd_assessor_team(pack: Pack, assessment: Assessment) -> Iterator[Problem]:
    """An external assessment names one lead and an odd team of ≥ 3."""
    del pack
    meta = assessment.metadata
    if meta.mode != "external":
        return
    team = meta.assessors
    leads = [a for a in team if a.role == "lead"]
    if len(team) < 3 or len(team) % 2 == 0:
        yield Problem(
            "$.metadata.assessors",
            f"DB12/T 1073-2021 §8.2.2: an external assessment team has an "
            f"odd number of assessors, one leader and several members (at "
            f"least 3 in all); got {len(team)}",
            "db12-team-size",
        )
    if len(leads) != 1:
        yield Problem(
            "$.metadata.assessors",
            f"DB12/T 1073-2021 §8.2.2: an external assessment team has "
            f"exactly one assessor with role 'lead'; got {len(leads)}",
            "db12-team-lead",
        )
