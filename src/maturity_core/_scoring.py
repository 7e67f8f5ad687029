"""Exact scoring: the oracle every other path must agree with."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

from ._assessment import Assessment, Tailoring, iter_assessment_problems
from ._format import decimal, exact, exact_or_none, fmt
from ._model import ROOT, Pack, Profile
from ._packs import content_hash, load_validator
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
    NotFoundError,
    Problem,
    ScoringError,
    expect,
)


__all__ = ["UNRATED_POLICIES", "level_for_score"]


@attrs.frozen
class TraceStep:
    """
    One step of the explanation of a result.

    Args:
        kind: ``scope``, ``level``, ``rule``, ``band`` or ``note``.
        message: The step in words.
        data: The numbers behind it (exact strings).

    .. versionadded:: 0.1.0
    """

    kind: str
    message: str
    data: Mapping[str, Any] = attrs.field(factory=lambda: MappingProxyType({}))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "kind": self.kind,
            "message": self.message,
            "data": dict(self.data),
        }


@attrs.frozen
class ValidatorReport:
    """
    What one pack validator said about an assessment.

    ``status`` is ``passed``, ``failed`` or ``skipped`` (untrusted pack).

    .. versionadded:: 0.1.0
    """

    name: str
    status: str
    problems: tuple[Problem, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "name": self.name,
            "status": self.status,
            "problems": [p.to_dict() for p in self.problems],
        }


@attrs.frozen
class DimensionScore:
    """
    The scores of the requirements carrying one tag (a dimension such as
    设施可用性), aggregated exactly like the whole model: X_k per level
    and S by the same level rule.  Levels where no tagged requirement is
    scorable are left out of ``level_scores`` and count as 0 for S.

    .. versionadded:: 0.1.0
    """

    tag: str
    name: Text
    level_scores: Mapping[int, Fraction]
    score: Fraction
    requirements: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (exact strings)."""
        return {
            "name": self.name.to_dict(),
            "requirements": self.requirements,
            "level_scores": {
                str(k): exact(v) for k, v in self.level_scores.items()
            },
            "score": exact(self.score),
            "score_decimal": decimal(self.score),
        }


@attrs.frozen(eq=False)
class Result:
    """
    The exact outcome of scoring one assessment.

    ``nodes`` maps every in-scope node to its score per level (a level is
    missing where the node has nothing scorable at it); ``level_scores``
    holds X_1..X_N; ``score`` is S and ``level`` the level reached (0 for
    none, ``None`` for a pack without bands).  ``node_totals`` and
    ``node_levels`` hold each node's own total and level: the level rule
    applied to the node's level scores, and the band it reaches.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``node_totals``, ``node_levels``; ``level``
       and ``gate`` may be ``None``.
    """

    pack: Pack
    profile: str
    rule: str
    gate: Fraction | None
    level_scores: tuple[Fraction, ...]
    score: Fraction
    level: int | None
    counted_levels: int
    nodes: Mapping[str, Mapping[int, Fraction]]
    tailored: tuple[Tailoring, ...]
    trace: tuple[TraceStep, ...]
    validators: tuple[ValidatorReport, ...]
    assessment: Assessment
    dimensions: Mapping[str, DimensionScore] = attrs.field(
        factory=lambda: MappingProxyType({})
    )
    node_totals: Mapping[str, Fraction] = attrs.field(
        factory=lambda: MappingProxyType({})
    )
    node_levels: Mapping[str, int | None] = attrs.field(
        factory=lambda: MappingProxyType({})
    )
    #: The semantics this result was scored under (profile, scope, rule).
    semantics: Semantics = attrs.field(kw_only=True, repr=False)

    def __repr__(self) -> str:
        level = "" if self.level is None else f" level {self.level}"
        return (
            f"<Result {self.pack.id} {self.pack.version} {self.profile} "
            f"S={exact(self.score)}{level}>"
        )

    @property
    def level_name(self) -> Text:
        """The name of the level reached (empty without bands)."""
        if self.level is None:
            return Text()
        return self.pack.level_name(self.level)


    @property
    def lifecycle(self) -> Any:
        """
        The result's :class:`Lifecycle` (issued on the assessment date), or
        ``None`` if the pack defines none or the assessment has no date.
        """
        import datetime as dt  # noqa: PLC0415

        from ._lifecycle import lifecycle_for  # noqa: PLC0415

        date = self.assessment.metadata.date
        if not date or not self.pack.data.get("lifecycle"):
            return None
        return lifecycle_for(self.pack, dt.date.fromisoformat(date))

    def node_score(self, node_id: str, level: int) -> Fraction | None:
        """
        The score of *node_id* at *level*, or ``None`` if the node is
        absent at that level (tailored out, or nothing to score there).

        Raises:
            NotFoundError: If the pack has no node *node_id* or no level
                *level*.
        """
        if node_id not in self.pack.nodes:
            msg = (
                f"pack {self.pack.id} has no node {node_id!r}; "
                "Pack.nodes holds the node ids"
            )
            raise NotFoundError(msg)
        if level not in self.pack.level_numbers:
            msg = (
                f"pack {self.pack.id} has no level {level!r}; levels: "
                f"{', '.join(map(str, self.pack.level_numbers))}"
            )
            raise NotFoundError(msg)
        return self.nodes.get(node_id, {}).get(level)

    def to_dict(self) -> dict[str, Any]:
        """
        The result as JSON-ready data; every number is an exact string.
        """
        from importlib.metadata import version  # noqa: PLC0415

        meta = self.assessment.metadata.to_dict()
        life = self.lifecycle
        return {
            "format": 1,
            "pack": self.pack.id,
            "pack_version": self.pack.version,
            "pack_hash": self.pack.content_hash,
            "overlays": [o.to_dict() for o in self.pack.overlays],
            "assessment_hash": content_hash(self.assessment.to_dict()),
            "scope": sorted(
                n for n in self.nodes if self.pack.nodes[n].is_leaf
            ),
            "core_version": version("maturity-core"),
            "profile": self.profile,
            "rule": self.rule,
            "gate": exact_or_none(self.gate),
            "score": exact(self.score),
            "score_decimal": decimal(self.score),
            "level": self.level,
            "level_name": self.level_name.to_dict(),
            "counted_levels": self.counted_levels,
            "level_scores": {
                str(n): exact(x)
                for n, x in zip(
                    self.pack.level_numbers, self.level_scores, strict=True
                )
            },
            "nodes": {
                node: {str(k): exact(v) for k, v in levels.items()}
                for node, levels in self.nodes.items()
            },
            "node_totals": {
                node: exact(v) for node, v in self.node_totals.items()
            },
            "node_levels": dict(self.node_levels),
            "tailored": [t.to_dict() for t in self.tailored],
            "metadata": meta,
            "validators": [v.to_dict() for v in self.validators],
            "dimensions": {
                tag: d.to_dict() for tag, d in self.dimensions.items()
            },
            "lifecycle": life.to_dict() if life else None,
            "trace": [s.to_dict() for s in self.trace],
        }


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
