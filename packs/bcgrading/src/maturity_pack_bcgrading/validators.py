"""
A rule of the bcgrading pack that its data cannot express.  The rule is this
pack's proposal, not the group standard's (whose text is not public).

External assessments need drill evidence for exercise requirements at
level 3 and above.  Level 3 of the exercise subdomain (演练与测试) claims
that exercises and technical recovery tests were carried out and met their
objectives; a document review cannot show that, only observing or
recording an exercise can.  The explanatory note of the group standard
combines static document review with interviews and drills (动静结合), and
ISO 22301 (GB/T 30146-2023) clause 8.5 requires an exercise programme.
Self-assessments are not bound: they prepare for grading, they do not
grant it.
"""

from __future__ import annotations

from collections.abc import Iterator

from maturity_core import Assessment, Pack, Problem


#: The subdomain whose level-3+ requirements need drill evidence.
EXERCISE_SUBDOMAIN = "exercise-testing"
#: From this level on, credited exercise requirements need a drill.
FROM_LEVEL = 3


def drill_evidence_for_exercises(
    pack: Pack, assessment: Assessment
) -> Iterator[Problem]:
    """Credited exercise requirements at level ≥ 3 cite a drill (external)."""
    if assessment.metadata.mode != "external":
        return
    lowest = min(pack.rubric.options, key=lambda o: o.value).id
    for i, entry in enumerate(assessment.ratings):
        req = pack.requirements_by_id.get(entry.requirement)
        if (
            req is None
            or req.node != EXERCISE_SUBDOMAIN
            or req.level < FROM_LEVEL
            or entry.rating in (None, lowest, "na")
        ):
            continue
        if not any(e.method == "drill" for e in entry.evidence):
            yield Problem(
                f"$.ratings[{i}].evidence",
                f"{req.id} is rated {entry.rating!r} in an external "
                f"assessment: exercise requirements at level {FROM_LEVEL} "
                "and above need evidence with method 'drill' (an exercise "
                "or test observed or recorded), or a rating of "
                f"{lowest!r}",
                "bc-drill-evidence",
            )
