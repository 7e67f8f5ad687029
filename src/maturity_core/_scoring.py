"""Exact scoring: the oracle every other path must agree with."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType

from ._assessment import Assessment, Tailoring, iter_assessment_problems
from ._format import exact, fmt
from ._model import ROOT, Pack, Profile
from ._packs import load_validator
from ._result import DimensionScore, Result, TraceStep, ValidatorReport
from ._semantics import (
    UNRATED_POLICIES,
    Semantics,
    check_unrated_policy,
    level_for_score,
    ratings_of,
)
from ._text import Text
from .exceptions import (
    ArgumentError,
    AssessmentError,
    Problem,
    ScoringError,
    expect,
)


__all__ = [
    "UNRATED_POLICIES",
    "DimensionScore",
    "Result",
    "TraceStep",
    "ValidatorReport",
    "level_for_score",
]


def _check(
    pack: Pack, assessment: Assessment, profile: Profile
) -> list[Problem]:
    return list(iter_assessment_problems(pack, assessment, profile))


def run_validators(
    pack: Pack, assessment: Assessment
) -> tuple[ValidatorReport, ...]:
    """
    Run *pack*'s validators on *assessment* (skipped for untrusted packs).

    .. versionadded:: 0.1.0
    """
    reports = []
    for name in pack.validators:
        if not pack.trusted:
            reports.append(ValidatorReport(name, "skipped"))
            continue
        func = load_validator(name)
        problems = tuple(func(pack, assessment))
        reports.append(
            ValidatorReport(name, "failed" if problems else "passed", problems)
        )
    return tuple(reports)


def resolve_profile(
    pack: Pack, assessment: Assessment, profile: str | None
) -> Profile:
    """The profile to score with: argument, then assessment, then default."""
    if assessment.pack != pack.id:
        raise AssessmentError(
            [
                Problem(
                    "$.pack",
                    f"the assessment is for pack {assessment.pack!r}, not "
                    f"{pack.id!r}",
                    "wrong-pack",
                )
            ],
            assessment.source,
        )
    return profile_or_error(
        pack, profile or assessment.profile, assessment.source
    )


def profile_or_error(
    pack: Pack, wanted: str | None, source: str | None
) -> Profile:
    """
    The profile *wanted* (the pack's default if ``None``), or an
    AssessmentError at ``$.profile`` listing the valid profiles.
    """
    if wanted is not None and wanted not in pack.profiles:
        raise AssessmentError(
            [
                Problem(
                    "$.profile",
                    f"pack {pack.id} has no profile {wanted!r}; valid "
                    f"profiles: {', '.join(pack.profiles)}",
                    "unknown-profile",
                )
            ],
            source,
        )
    return pack.get_profile(wanted)


def validate(
    pack: Pack, assessment: Assessment, *, profile: str | None = None
) -> tuple[ValidatorReport, ...]:
    """
    Check *assessment* against *pack* without scoring it.

    Raises:
        AssessmentError: With every problem, the pack validators' included.

    .. versionadded:: 0.1.0
    """
    _expect_pack_and_assessment("validate", pack, assessment)
    prof = resolve_profile(pack, assessment, profile)
    problems = _check(pack, assessment, prof)
    if problems:
        _raise(problems, assessment.source)
    reports = run_validators(pack, assessment)
    failed = [p for r in reports for p in r.problems]
    if failed:
        _raise(failed, assessment.source)
    return reports


def _expect_pack_and_assessment(
    function: str, pack: object, assessment: object
) -> None:
    if isinstance(pack, Assessment) and isinstance(assessment, Pack):
        msg = (
            f"{function}(): the pack comes first, then the assessment: "
            f"{function}(pack, assessment)"
        )
        raise ArgumentError(msg)
    expect(function, "pack", pack, Pack, "a Pack (from load_pack)")
    expect(
        function,
        "assessment",
        assessment,
        Assessment,
        "an Assessment (from Assessment.from_path or Assessment.from_dict)",
    )


def _raise(problems: list[Problem], source: str | None) -> None:
    from .exceptions import UnknownRequirementError  # noqa: PLC0415

    if all(p.code == "unknown-requirement" for p in problems):
        raise UnknownRequirementError(problems, source)
    raise AssessmentError(problems, source)


def _band_step(pack: Pack, s: Fraction) -> TraceStep:
    level, band_min = level_for_score(pack, s)
    if level is None:
        return TraceStep(
            "band",
            f"S = {fmt(s)}; the pack has no level bands",
            {"score": exact(s), "level": None},
        )
    if band_min is None:
        first = pack.method.bands[0].min
        return TraceStep(
            "band",
            f"S = {fmt(s)} < {fmt(first)}, the lowest band: no level",
            {"score": exact(s), "level": 0},
        )
    name = pack.level_name(level)
    nxt = [b.min for b in pack.method.bands if b.level > level]
    upper = f" < {fmt(nxt[0])}" if nxt else ""
    return TraceStep(
        "band",
        f"{fmt(band_min)} ≤ S = {fmt(s)}{upper}: level {level} "
        f"{name.get(pack.language)}"
        + (
            f" ({name.get('en')})"
            if name.get("en") != name.get(pack.language)
            else ""
        ),
        {"score": exact(s), "level": level, "min": exact(band_min)},
    )


def _scope_step(tailoring: tuple[Tailoring, ...]) -> TraceStep:
    return TraceStep(
        "scope",
        "tailored out: "
        + "; ".join(f"{t.node} ({t.reason})" for t in tailoring)
        + "; the remaining weights are renormalised exactly",
        {"tailored": [t.node for t in tailoring]},
    )


def score(
    pack: Pack,
    assessment: Assessment,
    *,
    profile: str | None = None,
    rule: str | None = None,
    unrated: str = "error",
) -> Result:
    """
    Score *assessment* against *pack* exactly.

    Args:
        pack: A loaded pack (:func:`load_pack`).
        assessment: The ratings (:meth:`Assessment.from_path`).
        profile: Weight profile; the assessment's, else the pack default.
        rule: Level rule; the assessment's, else the pack's.
        unrated: ``"error"`` (default) refuses unrated in-scope
            requirements; ``"none"`` scores them as the rubric's lowest
            value.

    Raises:
        ArgumentError: If *pack* is not a :class:`Pack` or *assessment*
            not an :class:`Assessment`.
        AssessmentError: If the assessment does not fit the pack.
        UnknownRuleError: If *rule* names no registered rule.
        ScoringError: If requirements are unrated and *unrated* is
            ``"error"``.

    .. versionadded:: 0.1.0
    """
    _expect_pack_and_assessment("score", pack, assessment)
    check_unrated_policy(unrated)
    prof = resolve_profile(pack, assessment, profile)
    reports = validate(pack, assessment, profile=prof.id)
    rule_name = rule or assessment.rule or pack.method.rule
    sem = Semantics.of(
        pack,
        prof,
        tailored=(t.node for t in assessment.tailoring),
        rule=rule_name,
    )
    sem.check_gate(assessment.source)
    if not any(pack.nodes[n].is_leaf for n in sem.scope if n != ROOT):
        raise ScoringError(
            "tailoring leaves nothing in scope to score", assessment.source
        )
    ratings = ratings_of(assessment)
    ev = sem.evaluate(ratings, unrated=unrated, source=assessment.source)

    trace: list[TraceStep] = []
    if assessment.tailoring:
        trace.append(_scope_step(assessment.tailoring))
    trace.extend(
        TraceStep(
            "level",
            f"level {k}: nothing in scope is scorable at this level "
            "(all not applicable); X = 0",
            {"level": k, "x": "0", "empty": True},
        )
        for k in ev.empty
    )
    trace.extend(
        TraceStep(
            "rule", step, {"level": k, "x": exact(ev.level_scores[k - 1])}
        )
        for k, step in enumerate(ev.outcome.steps, start=1)
    )
    trace.append(_band_step(pack, ev.score))
    totals, node_levels = sem.node_totals(ev.nodes)
    return Result(
        pack=pack,
        profile=prof.id,
        rule=rule_name,
        gate=pack.method.gate,
        level_scores=ev.level_scores,
        score=ev.score,
        level=ev.level,
        counted_levels=ev.outcome.counted,
        nodes=MappingProxyType(
            {n: MappingProxyType(v) for n, v in ev.nodes.items()}
        ),
        tailored=assessment.tailoring,
        trace=tuple(trace),
        validators=reports,
        assessment=assessment,
        dimensions=MappingProxyType(
            _dimensions(sem, ratings, unrated, assessment.source)
        ),
        node_totals=MappingProxyType(totals),
        node_levels=MappingProxyType(node_levels),
        semantics=sem,
    )


def _dimensions(
    sem: Semantics,
    ratings: Mapping[str, str | None],
    unrated: str,
    source: str | None,
) -> dict[str, DimensionScore]:
    pack = sem.pack
    tags = sorted({t for r in sem.requirements for t in r.tags})
    names = pack.metadata.get("metadata", {}).get("dimensions", {})
    out = {}
    for tag in tags:
        values = sem.leaf_values(
            ratings, unrated=unrated, tag=tag, source=source
        )
        root, _ = sem.aggregate(values)
        xs, _ = sem.level_scores(root)
        out[tag] = DimensionScore(
            tag=tag,
            name=Text.from_data(names.get(tag))
            if tag in names
            else Text(en=tag),
            level_scores=dict(sorted(root.items())),
            score=sem.fold(xs).score,
            requirements=sum(1 for r in sem.requirements if tag in r.tags),
        )
    return out
