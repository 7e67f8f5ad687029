"""
Consolidating the assessments of several assessors of one organisation,
and how well the assessors agree.

Each input is one assessor's assessment of the same organisation against
the same pack, profile, tailoring and level rule.  Two rules fold their
ratings into one assessment:

* ``consensus``: a requirement keeps its rating only if every assessor
  gave it the same rating.  Any other requirement is a disagreement, and
  the consolidation fails unless disagreements are allowed (they are then
  left unrated).
* ``median``: the rating whose exact rubric value is the *lower* median
  of the assessors' values.  ``na`` is a category of its own: a strict
  majority of ``na`` makes the requirement ``na``; otherwise the ``na``
  votes are set aside.

Agreement is measured on the requirements every assessor rated, with the
rating ids (``na`` included) as categories: the share of requirements on
which all agree, Fleiss' kappa and, for two assessors, Cohen's kappa.
Everything is exact (:class:`fractions.Fraction`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import Any

import attrs

from maturity_core._assessment import (
    Assessment,
    AssessmentMetadata,
    Assessor,
    Evidence,
    RatingEntry,
    iter_assessment_problems,
)
from maturity_core._format import exact, exact_or_none
from maturity_core._model import NA, Pack, Profile
from maturity_core.exceptions import AssessmentError, Problem


#: The consolidation rules :func:`consolidate` knows.
RULES = ("consensus", "median")


@attrs.frozen
class Disagreement:
    """
    A requirement the assessors rated differently, with every rating given
    (``None`` where an assessor left it unrated), in assessor order.

    .. versionadded:: 0.1.0
    """

    requirement: str
    ratings: tuple[tuple[str, str | None], ...]

    def __str__(self) -> str:
        given = ", ".join(
            f"{name} {rating if rating is not None else 'unrated'}"
            for name, rating in self.ratings
        )
        return f"{self.requirement}: {given}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "requirement": self.requirement,
            "ratings": [
                {"assessor": name, "rating": rating}
                for name, rating in self.ratings
            ],
        }


@attrs.frozen
class AgreementStats:
    """
    How well the assessors agree, measured on the requirements they all
    rated (the *subjects*), with rating ids as categories.

    Args:
        subjects: How many requirements every assessor rated (N).
        raters: How many assessors (n).
        observed: The share of subjects on which all assessors agree
            (``None`` with no subjects).
        fleiss_kappa: Fleiss' kappa, (P̄ − P̄_e) / (1 − P̄_e); ``None`` with
            no subjects or when P̄_e = 1 (every rating in one category).
        cohen_kappa: Cohen's kappa for exactly two assessors, else
            ``None`` (also ``None`` when its chance agreement is 1).
        mean_agreement: P̄, the mean over subjects of the share of
            agreeing assessor pairs.
        chance_agreement: P̄_e = Σ_j p_j².
        proportions: p_j, the share of all ratings in each category, in
            rubric order (``na`` last); categories never used are left
            out.

    .. versionadded:: 0.1.0
    """

    subjects: int
    raters: int
    observed: Fraction | None
    fleiss_kappa: Fraction | None
    cohen_kappa: Fraction | None = None
    mean_agreement: Fraction | None = None
    chance_agreement: Fraction | None = None
    proportions: tuple[tuple[str, Fraction], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; numbers are exact strings."""
        return {
            "subjects": self.subjects,
            "raters": self.raters,
            "observed": exact_or_none(self.observed),
            "fleiss_kappa": exact_or_none(self.fleiss_kappa),
            "cohen_kappa": exact_or_none(self.cohen_kappa),
            "mean_agreement": exact_or_none(self.mean_agreement),
            "chance_agreement": exact_or_none(self.chance_agreement),
            "proportions": {c: exact(p) for c, p in self.proportions},
        }


@attrs.frozen(eq=False)
class Consolidation:
    """
    The outcome of :func:`consolidate`: one assessment for the
    organisation, the requirements the assessors disagreed on, and how
    well they agree overall.

    Under ``consensus`` with disagreements allowed, the disagreeing
    requirements are unrated in ``assessment``; under ``median`` they carry
    the median rating and are still listed.

    .. versionadded:: 0.1.0
    """

    assessment: Assessment
    disagreements: tuple[Disagreement, ...]
    agreement: AgreementStats
    rule: str = "consensus"
    assessors: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The disagreement report as JSON-ready data (exact strings)."""
        return {
            "rule": self.rule,
            "assessors": list(self.assessors),
            "disagreements": [d.to_dict() for d in self.disagreements],
            "agreement": self.agreement.to_dict(),
            "assessment": self.assessment.to_dict(),
        }


@attrs.frozen
class _Inputs:
    """Checked inputs: the profile and one name per assessor."""

    profile: Profile
    names: tuple[str, ...]


def _at(index: int, path: str) -> str:
    """*path* of one assessment, inside the list of assessments."""
    return f"$[{index}]{path[1:]}"


def _named(assessment: Assessment) -> str:
    return f" ({assessment.source})" if assessment.source else ""


def _assessor_name(assessment: Assessment, index: int) -> str:
    """
    The assessor's name: those in the metadata, else the one every rating
    names, else the position (``#1``, ``#2``, …).
    """
    if assessment.metadata.assessors:
        return ", ".join(a.name for a in assessment.metadata.assessors)
    named = {e.assessor for e in assessment.ratings if e.assessor}
    if len(named) == 1:
        return named.pop()
    return f"#{index + 1}"


def _unique(names: list[str]) -> tuple[str, ...]:
    """Names made unique by their position where two are the same."""
    counts = Counter(names)
    return tuple(
        f"{name} #{i + 1}" if counts[name] > 1 else name
        for i, name in enumerate(names)
    )


def _profile_problem(
    pack: Pack, assessment: Assessment, index: int, profile: str | None
) -> Problem | None:
    wanted = profile or assessment.profile
    if wanted is None or wanted in pack.profiles:
        return None
    return Problem(
        _at(index, "$.profile") if profile is None else "$",
        f"pack {pack.id} has no profile {wanted!r}; valid profiles: "
        f"{', '.join(pack.profiles)}",
        "unknown-profile",
    )


def _consistency(
    pack: Pack,
    assessments: Sequence[Assessment],
    profiles: Sequence[Profile],
) -> Iterator[Problem]:
    """What differs between the first assessment and each of the others."""
    first = assessments[0]
    first_cut = sorted(t.node for t in first.tailoring)
    first_rule = first.rule or pack.method.rule
    for i, a in enumerate(assessments[1:], start=1):
        if profiles[i].id != profiles[0].id:
            yield Problem(
                _at(i, "$.profile"),
                f"assessment {i}{_named(a)} uses profile "
                f"{profiles[i].id!r} but assessment 0 uses "
                f"{profiles[0].id!r}; consolidate assessments of one "
                "profile",
                "profile-mismatch",
            )
        cut = sorted(t.node for t in a.tailoring)
        if cut != first_cut:
            yield Problem(
                _at(i, "$.tailoring"),
                f"assessment {i}{_named(a)} tailors out "
                f"[{', '.join(cut)}] but assessment 0 tailors out "
                f"[{', '.join(first_cut)}]; every assessor must assess "
                "the same scope",
                "tailoring-mismatch",
            )
        rule = a.rule or pack.method.rule
        if rule != first_rule:
            yield Problem(
                _at(i, "$.rule"),
                f"assessment {i}{_named(a)} uses level rule {rule!r} but "
                f"assessment 0 uses {first_rule!r}",
                "rule-mismatch",
            )
        org, first_org = a.metadata.organisation, first.metadata.organisation
        if org is not None and first_org is not None and org != first_org:
            yield Problem(
                _at(i, "$.metadata.organisation"),
                f"assessment {i}{_named(a)} is of {org!r} but assessment 0 "
                f"is of {first_org!r}; consolidate assessments of one "
                "organisation",
                "organisation-mismatch",
            )


def _check(
    pack: Pack, assessments: Sequence[Assessment], profile: str | None
) -> _Inputs:
    """
    Check that *assessments* are at least two assessments of one
    organisation under one pack, profile, tailoring and rule, each fitting
    *pack*.

    Raises:
        AssessmentError: With every problem, each at ``$[i]…``.
    """
    if len(assessments) < 2:
        raise AssessmentError(
            [
                Problem(
                    "$",
                    "consolidation needs the assessments of at least two "
                    f"assessors (got {len(assessments)})",
                    "too-few-assessments",
                )
            ]
        )
    problems: list[Problem] = []
    profiles: list[Profile] = []
    for i, a in enumerate(assessments):
        if a.pack != pack.id:
            problems.append(
                Problem(
                    _at(i, "$.pack"),
                    f"assessment {i}{_named(a)} is for pack {a.pack!r}, "
                    f"not {pack.id!r}",
                    "wrong-pack",
                )
            )
            continue
        wrong = _profile_problem(pack, a, i, profile)
        if wrong is not None:
            problems.append(wrong)
            continue
        prof = pack.get_profile(profile or a.profile)
        profiles.append(prof)
        problems.extend(
            Problem(_at(i, p.json_path), p.message, p.code)
            for p in iter_assessment_problems(pack, a, prof)
        )
    if not problems:
        problems.extend(_consistency(pack, assessments, profiles))
    if problems:
        raise AssessmentError(problems)
    names = _unique([_assessor_name(a, i) for i, a in enumerate(assessments)])
    return _Inputs(profiles[0], names)


def _rated(
    pack: Pack, assessments: Sequence[Assessment]
) -> list[tuple[str, tuple[str | None, ...]]]:
    """
    Every requirement any assessor has an entry for, in pack order, with
    each assessor's rating (``None`` if unrated or absent).
    """
    by_id = [a.ratings_by_id for a in assessments]
    listed = {rid for ratings in by_id for rid in ratings}
    return [
        (req.id, tuple(ratings.get(req.id) for ratings in by_id))
        for req in pack.requirements
        if req.id in listed
    ]


def _statistics(
    pack: Pack,
    rated: Sequence[tuple[str, tuple[str | None, ...]]],
    raters: int,
) -> AgreementStats:
    """Agreement on the requirements every one of *raters* rated."""
    subjects = [
        votes for _, votes in rated if all(v is not None for v in votes)
    ]
    big_n, n = len(subjects), raters
    if not big_n:
        return AgreementStats(0, n, None, None)
    counts = [Counter(votes) for votes in subjects]
    observed = Fraction(sum(1 for c in counts if len(c) == 1), big_n)
    # P_i = (Σ_j n_ij² − n) / (n(n − 1)): the share of agreeing pairs.
    mean = (
        sum(
            (
                Fraction(sum(k * k for k in c.values()) - n, n * (n - 1))
                for c in counts
            ),
            Fraction(0),
        )
        / big_n
    )
    totals: Counter[str | None] = Counter()
    for c in counts:
        totals.update(c)
    # The inputs are checked, so every rating is one of the rubric's ids.
    proportions = tuple(
        (c, Fraction(totals[c], big_n * n))
        for c in pack.rubric.ids
        if totals[c]
    )
    chance = sum((p * p for _, p in proportions), Fraction(0))
    fleiss = None if chance == 1 else (mean - chance) / (1 - chance)
    return AgreementStats(
        subjects=big_n,
        raters=n,
        observed=observed,
        fleiss_kappa=fleiss,
        cohen_kappa=_cohen(subjects) if n == 2 else None,
        mean_agreement=mean,
        chance_agreement=chance,
        proportions=proportions,
    )


def _cohen(subjects: Sequence[tuple[str | None, ...]]) -> Fraction | None:
    """Cohen's kappa, (p_o − p_e) / (1 − p_e), for two raters."""
    big_n = len(subjects)
    first = Counter(v[0] for v in subjects)
    second = Counter(v[1] for v in subjects)
    p_o = Fraction(sum(1 for a, b in subjects if a == b), big_n)
    # Each rater's own marginals: this is what separates Cohen's kappa
    # from Fleiss' (whose chance term pools the raters' ratings).
    p_e = Fraction(sum(first[c] * second[c] for c in first), big_n * big_n)
    return None if p_e == 1 else (p_o - p_e) / (1 - p_e)


def agreement_statistics(
    pack: Pack,
    assessments: Sequence[Assessment],
    *,
    profile: str | None = None,
) -> AgreementStats:
    """
    Measure how well the assessors behind *assessments* agree.

    The subjects are the requirements every assessor rated; the categories
    are the rating ids, ``na`` included as a category of its own.

    Args:
        pack: The pack every assessment is for.
        assessments: One assessment per assessor, of one organisation.
        profile: The profile, overriding the assessments' own as in
            :func:`maturity_core.score`.

    Raises:
        AssessmentError: If there are fewer than two assessments, one does
            not fit *pack*, or they differ in profile, tailoring, level
            rule or organisation; every problem is at ``$[i]…``, *i* the
            assessment's position.

    .. versionadded:: 0.1.0
    """
    _check(pack, assessments, profile)
    return _statistics(pack, _rated(pack, assessments), len(assessments))


def _median(pack: Pack, votes: Sequence[str]) -> str:
    """
    The lower median of *votes* by exact rubric value; ``na`` if a strict
    majority voted ``na``, else the ``na`` votes are set aside.
    """
    if 2 * sum(1 for v in votes if v == NA) > len(votes):
        return NA
    values = {o.id: o.value for o in pack.rubric.options}
    scored = sorted((v for v in votes if v != NA), key=values.__getitem__)
    # With an even count the lower of the two middle ratings, never their
    # mean (which may not be a rubric step) nor the upper one: the
    # consolidated rating is then one some assessor actually gave, and a
    # tie between assessors never rounds the organisation up.
    return scored[(len(scored) - 1) // 2]


def _merged_entries(
    assessments: Sequence[Assessment], names: Sequence[str], rid: str
) -> tuple[tuple[Evidence, ...], str | None]:
    """Every assessor's evidence for *rid*, and their notes by name."""
    evidence: dict[Evidence, None] = {}
    notes = []
    for name, a in zip(names, assessments, strict=True):
        for entry in a.ratings:
            if entry.requirement != rid:
                continue
            evidence.update(dict.fromkeys(entry.evidence))
            if entry.note:
                notes.append(f"{name}: {entry.note}")
    return tuple(evidence), "\n".join(notes) or None


def _metadata(
    assessments: Sequence[Assessment], names: Sequence[str]
) -> AssessmentMetadata:
    """
    The first assessment's metadata with every assessor (in order of first
    appearance) and the latest date.
    """
    seen: dict[str, Assessor] = {}
    for name, a in zip(names, assessments, strict=True):
        people = a.metadata.assessors or (
            (Assessor(name),) if not name.startswith("#") else ()
        )
        for person in people:
            seen.setdefault(person.name, person)
    dates = [a.metadata.date for a in assessments if a.metadata.date]

    def first(field: str) -> Any:
        values = (getattr(a.metadata, field) for a in assessments)
        return next((v for v in values if v is not None), None)

    return AssessmentMetadata(
        organisation=first("organisation"),
        # ISO dates sort as text; the consolidation is complete on the last.
        date=max(dates) if dates else None,
        mode=first("mode"),
        assessors=tuple(seen.values()),
        notes=first("notes"),
    )


def consolidate(
    pack: Pack,
    assessments: Sequence[Assessment],
    *,
    rule: str = "consensus",
    profile: str | None = None,
    allow_disagreement: bool = False,
) -> Consolidation:
    """
    Fold the assessments of several assessors of one organisation into one
    assessment by *rule*.

    Every requirement any assessor has an entry for appears once in the
    consolidated assessment, in pack order, with every assessor's evidence
    and notes.

    Args:
        pack: The pack every assessment is for.
        assessments: One assessment per assessor, of one organisation,
            under one profile, tailoring and level rule.
        rule: ``"consensus"``: a rating is kept only if every assessor
            gave it (a requirement some left unrated and others rated is
            a disagreement).  ``"median"``: the rating whose exact value is
            the lower median of the ratings given (unrated ones set
            aside): with an even count the lower middle rating, which is
            conservative (a tie never rounds the organisation up) and
            always a rating some assessor gave.  ``na`` wins only with a
            strict majority, otherwise the ``na`` votes are set aside.
        profile: The profile, overriding the assessments' own as in
            :func:`maturity_core.score`.
        allow_disagreement: Under ``consensus``, leave disagreeing
            requirements unrated instead of failing.

    Raises:
        ValueError: If *rule* is not one of :data:`RULES`.
        AssessmentError: If the inputs do not fit together (see
            :func:`agreement_statistics`), or, under ``consensus`` without
            *allow_disagreement*, with one problem per disagreeing
            requirement naming every assessor's rating.

    .. versionadded:: 0.1.0
    """
    if rule not in RULES:
        msg = f"rule must be one of {', '.join(RULES)} (got {rule!r})"
        raise ValueError(msg)
    inputs = _check(pack, assessments, profile)
    names = inputs.names
    rated = _rated(pack, assessments)
    disagreements = tuple(
        Disagreement(rid, tuple(zip(names, votes, strict=True)))
        for rid, votes in rated
        if len(set(votes)) > 1
    )
    if rule == "consensus" and disagreements and not allow_disagreement:
        raise AssessmentError(
            [_disagreement_problem(assessments, d) for d in disagreements]
        )
    entries = []
    for rid, votes in rated:
        given = [v for v in votes if v is not None]
        if rule == "median":
            rating = _median(pack, given) if given else None
        else:
            rating = votes[0] if len(set(votes)) == 1 else None
        evidence, note = _merged_entries(assessments, names, rid)
        entries.append(RatingEntry(rid, rating, evidence, note))
    first = assessments[0]
    consolidated = Assessment(
        pack=pack.id,
        ratings=tuple(entries),
        profile=profile or first.profile,
        rule=first.rule,
        pack_version=next(
            (a.pack_version for a in assessments if a.pack_version), None
        ),
        metadata=_metadata(assessments, names),
        tailoring=first.tailoring,
    )
    return Consolidation(
        assessment=consolidated,
        disagreements=disagreements,
        agreement=_statistics(pack, rated, len(assessments)),
        rule=rule,
        assessors=names,
    )


def _disagreement_problem(
    assessments: Sequence[Assessment], disagreement: Disagreement
) -> Problem:
    """The disagreement, at the first assessor's entry for it."""
    path = next(
        (
            f"$[{i}].ratings[{j}].rating"
            for i, a in enumerate(assessments)
            for j, entry in enumerate(a.ratings)
            if entry.requirement == disagreement.requirement
        ),
        "$",
    )
    return Problem(
        path,
        f"the assessors disagree on {disagreement}; settle the rating, "
        "use rule='median', or pass allow_disagreement=True to leave it "
        "unrated",
        "disagreement",
    )
