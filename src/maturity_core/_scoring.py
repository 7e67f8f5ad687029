"""Exact scoring: the oracle every other path must agree with."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

from ._assessment import Assessment, Tailoring, iter_assessment_problems
from ._format import decimal, exact, fmt
from ._model import ROOT, Pack, Profile
from ._packs import content_hash, load_validator
from ._rules import get_rule
from ._text import Text
from .exceptions import AssessmentError, Problem, ScoringError


UNRATED_POLICIES = ("error", "none")


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
    none).

    .. versionadded:: 0.1.0
    """

    pack: Pack
    profile: str
    rule: str
    gate: Fraction
    level_scores: tuple[Fraction, ...]
    score: Fraction
    level: int
    counted_levels: int
    nodes: Mapping[str, Mapping[int, Fraction]]
    tailored: tuple[Tailoring, ...]
    trace: tuple[TraceStep, ...]
    validators: tuple[ValidatorReport, ...]
    assessment: Assessment
    dimensions: Mapping[str, DimensionScore] = attrs.field(
        factory=lambda: MappingProxyType({})
    )

    @property
    def level_name(self) -> Text:
        """The name of the level reached."""
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
        """The score of *node_id* at *level*, or ``None`` if absent."""
        return self.nodes.get(node_id, {}).get(level)

    def to_dict(self) -> dict[str, Any]:
        """
        The result as JSON-ready data; every number is an exact string.
        """
        from . import __version__  # noqa: PLC0415 -- avoid an import cycle

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
            "core_version": __version__,
            "profile": self.profile,
            "rule": self.rule,
            "gate": exact(self.gate),
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
    prof = resolve_profile(pack, assessment, profile)
    problems = _check(pack, assessment, prof)
    if problems:
        _raise(problems, assessment.source)
    reports = run_validators(pack, assessment)
    failed = [p for r in reports for p in r.problems]
    if failed:
        _raise(failed, assessment.source)
    return reports


def _raise(problems: list[Problem], source: str | None) -> None:
    from .exceptions import UnknownRequirementError  # noqa: PLC0415

    if all(p.code == "unknown-requirement" for p in problems):
        raise UnknownRequirementError(problems, source)
    raise AssessmentError(problems, source)


def _in_scope(
    pack: Pack, profile: Profile, tailored: Iterable[str]
) -> frozenset[str]:
    cut = set(tailored)
    scope = set()
    for nid in profile.scope:
        if nid in cut or any(a in cut for a in pack.ancestors(nid)):
            continue
        scope.add(nid)
    return frozenset(scope)


def _leaf_values(
    pack: Pack,
    scope: frozenset[str],
    assessment: Assessment,
    unrated: str,
    tag: str | None = None,
) -> dict[str, dict[int, list[Fraction]]]:
    """
    Per in-scope leaf and level: the values of scorable requirements
    (only those tagged *tag*, if given).
    """
    ratings = assessment.ratings_by_id
    lowest = min(o.value for o in pack.rubric.options)
    values: dict[str, dict[int, list[Fraction]]] = {}
    missing = []
    for req in pack.requirements:
        if req.node not in scope or (tag is not None and tag not in req.tags):
            continue
        rating = ratings.get(req.id)
        if rating is None and unrated == "error":
            missing.append(req.id)
            continue
        value = lowest if rating is None else pack.rubric.value(rating)
        bucket = values.setdefault(req.node, {}).setdefault(req.level, [])
        if value is not None:
            bucket.append(value)
    if missing:
        n = len(missing)
        raise ScoringError(
            f"{n} requirement{'s' if n != 1 else ''} in scope "
            f"{'are' if n != 1 else 'is'} unrated (first: "
            f"{', '.join(missing[:5])}); rate them, tailor their node out, "
            "or score with unrated='none' (CLI: --unrated none)",
            assessment.source,
        )
    return values


def _aggregate(
    pack: Pack,
    profile: Profile,
    scope: frozenset[str],
    values: Mapping[str, Mapping[int, list[Fraction]]],
) -> tuple[dict[int, Fraction], dict[str, dict[int, Fraction]]]:
    """
    Root scores per level, and every in-scope node's scores.

    ``weighted-mean`` (the default): a leaf is the mean of its values, a
    node the renormalised weighted sum of its present children.
    ``minimum``: a leaf is its lowest value and a node its lowest child
    (every requirement must be met; weights are not used).
    """
    nodes: dict[str, dict[int, Fraction]] = {}
    levels = pack.level_numbers
    minimum = pack.method.aggregation == "minimum"

    def visit(nid: str) -> dict[int, Fraction]:
        node = pack.nodes[nid]
        out: dict[int, Fraction] = {}
        if node.is_leaf:
            for k, vals in values.get(nid, {}).items():
                if vals:
                    out[k] = (
                        min(vals)
                        if minimum
                        else sum(vals, Fraction(0)) / len(vals)
                    )
        else:
            kids = [c.id for c in node.children if c.id in scope]
            child_scores = {c: visit(c) for c in kids}
            for k in levels:
                present = [c for c in kids if k in child_scores[c]]
                if minimum:
                    if present:
                        out[k] = min(child_scores[c][k] for c in present)
                    continue
                total_w = sum(
                    (profile.weights[c] for c in present), Fraction(0)
                )
                if total_w:
                    acc = sum(
                        (
                            profile.weights[c] * child_scores[c][k]
                            for c in present
                        ),
                        Fraction(0),
                    )
                    out[k] = acc / total_w
        if nid != ROOT:
            nodes[nid] = dict(sorted(out.items()))
        return out

    return visit(ROOT), nodes


def level_for_score(pack: Pack, s: Fraction) -> tuple[int, Fraction | None]:
    """The level S reaches under *pack*'s bands, and that band's minimum."""
    level, band_min = 0, None
    for band in pack.method.bands:
        if band.min <= s:
            level, band_min = band.level, band.min
    return level, band_min


def _band_step(pack: Pack, s: Fraction) -> TraceStep:
    level, band_min = level_for_score(pack, s)
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
        f"{name.get('zh')} ({name.get('en')})",
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
        AssessmentError: If the assessment does not fit the pack.
        UnknownRuleError: If *rule* names no registered rule.
        ScoringError: If requirements are unrated and *unrated* is
            ``"error"``.

    .. versionadded:: 0.1.0
    """
    if unrated not in UNRATED_POLICIES:
        msg = (
            f"unrated must be one of {', '.join(UNRATED_POLICIES)} "
            f"(got {unrated!r})"
        )
        raise ValueError(msg)
    prof = resolve_profile(pack, assessment, profile)
    reports = validate(pack, assessment, profile=prof.id)
    rule_name = rule or assessment.rule or pack.method.rule
    level_rule = get_rule(rule_name)
    scope = _in_scope(pack, prof, (t.node for t in assessment.tailoring))
    if not any(pack.nodes[n].is_leaf for n in scope if n != ROOT):
        raise ScoringError(
            "tailoring leaves nothing in scope to score", assessment.source
        )
    values = _leaf_values(pack, scope, assessment, unrated)
    root_scores, nodes = _aggregate(pack, prof, scope, values)

    trace: list[TraceStep] = []
    if assessment.tailoring:
        trace.append(_scope_step(assessment.tailoring))
    level_scores = []
    for k in pack.level_numbers:
        if k not in root_scores:
            trace.append(
                TraceStep(
                    "level",
                    f"level {k}: nothing in scope is scorable at this level "
                    "(all not applicable); X = 0",
                    {"level": k, "x": "0", "empty": True},
                )
            )
        level_scores.append(root_scores.get(k, Fraction(0)))
    outcome = level_rule(tuple(level_scores), pack.method.gate)
    trace.extend(
        TraceStep("rule", step, {"level": k, "x": exact(level_scores[k - 1])})
        for k, step in enumerate(outcome.steps, start=1)
    )
    trace.append(_band_step(pack, outcome.score))
    dimensions = _dimensions(
        pack,
        profile=prof,
        scope=scope,
        assessment=assessment,
        unrated=unrated,
        level_rule=level_rule,
    )
    return Result(
        pack=pack,
        profile=prof.id,
        rule=rule_name,
        gate=pack.method.gate,
        level_scores=tuple(level_scores),
        score=outcome.score,
        level=level_for_score(pack, outcome.score)[0],
        counted_levels=outcome.counted,
        nodes=MappingProxyType(nodes),
        tailored=assessment.tailoring,
        trace=tuple(trace),
        validators=reports,
        assessment=assessment,
        dimensions=MappingProxyType(dimensions),
    )


def _dimensions(  # noqa: PLR0913 -- the scoring context
    pack: Pack,
    *,
    profile: Profile,
    scope: frozenset[str],
    assessment: Assessment,
    unrated: str,
    level_rule: Any,
) -> dict[str, DimensionScore]:
    tags = sorted(
        {t for r in pack.requirements if r.node in scope for t in r.tags}
    )
    names = pack.metadata.get("metadata", {}).get("dimensions", {})
    out = {}
    for tag in tags:
        values = _leaf_values(pack, scope, assessment, unrated, tag)
        root, _ = _aggregate(pack, profile, scope, values)
        xs = tuple(root.get(k, Fraction(0)) for k in pack.level_numbers)
        out[tag] = DimensionScore(
            tag=tag,
            name=Text.from_data(names.get(tag))
            if tag in names
            else Text(en=tag),
            level_scores=dict(sorted(root.items())),
            score=level_rule(xs, pack.method.gate).score,
            requirements=sum(
                1
                for r in pack.requirements
                if r.node in scope and tag in r.tags
            ),
        )
    return out
