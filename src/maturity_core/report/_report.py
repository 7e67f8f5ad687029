"""
Diagnostic reports: what an assessor hands the assessed organisation.

The shape follows the diagnostic reports assessment bodies deliver: a
cover, a one-paragraph conclusion, the level ladder, the charted tier's
scores per level as a heat map and a radar chart, strengths and
weaknesses, for each leaf its current state, gap, predicted level and
interviews, an improvement roadmap, and an appendix with every rating
and its evidence.  The title, the tiers and the names of levels, ratings
and nodes come from the pack; the core's own words come from its message
catalogue (:mod:`._messages`).  Markdown and a self-contained HTML page
come from one data structure, also available as JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs

from maturity_core._assessment import Interview, RatingEntry
from maturity_core._format import decimal, exact
from maturity_core._model import ROOT, Pack, Requirement
from maturity_core._scoring import Result
from maturity_core._semantics import ratings_of
from maturity_core._text import is_language_tag
from maturity_core.analysis._gaps import Gap, GapAnalysis, gap_analysis
from maturity_core.analysis._plan import Plan, improvement_plan
from maturity_core.exceptions import ScoringError

from ._messages import join, message


#: How many strengths and weaknesses a report lists.
FINDINGS = 5
#: How many of the weakest leaves the conclusion names.
WEAKEST = 3
#: How many requirements a strength or weakness names.
NAMED = 3


def _jsonable(value: Any) -> Any:
    """*value* as JSON-ready data: fractions as exact strings."""
    if isinstance(value, Fraction):
        return exact(value)
    if isinstance(value, Interview):
        return value.to_dict()
    if attrs.has(type(value)):
        return {
            f.name: _jsonable(getattr(value, f.name))
            for f in attrs.fields(type(value))
        }
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    return value


@attrs.frozen
class RequirementLine:
    """
    One requirement as a report names it: its text, its level's name and
    the name of its rating (the ids are kept for small print and data).

    .. versionadded:: 0.3.0
    """

    requirement: str
    text: str
    level: int
    level_name: str
    rating: str | None
    rating_name: str


@attrs.frozen
class TeamMember:
    """
    One member of the assessment team with the name of their role.

    .. versionadded:: 0.3.0
    """

    name: str
    role: str | None
    role_name: str


@attrs.frozen
class Cover:
    """
    What the cover page shows, in the report's language.

    .. versionadded:: 0.3.0
    """

    report_number: str | None
    assessing_body: str | None
    organisation: str | None
    scope: str | None
    profile: str
    profile_name: str
    standard: str
    pack_version: str
    pack_hash: str
    date: str | None
    start_date: str | None
    end_date: str | None
    mode: str | None
    mode_name: str | None
    team: tuple[TeamMember, ...]
    rule: str
    rule_name: str


@attrs.frozen
class Conclusion:
    """
    The conclusion: the level reached, what stopped the next one and by
    how much, and the weakest leaves; ``text`` says it in plain words.

    ``gate_level`` is the level whose score fell below the gate (its
    shortfall ``gate_shortfall``), ``score_shortfall`` how far S is from
    the next level's band.

    .. versionadded:: 0.3.0
    """

    level: int | None
    level_name: str
    next_level: int | None
    gate_level: int | None
    gate_shortfall: Fraction | None
    score_shortfall: Fraction | None
    weakest: tuple[str, ...]
    text: str


@attrs.frozen
class LadderStep:
    """
    One rung of the level ladder: the level's name and description from
    the pack, its score X and whether it meets the gate; ``status`` is
    ``reached``, ``target`` or ``above``.

    .. versionadded:: 0.3.0
    """

    number: int
    name: str
    description: str
    score: Fraction
    passes: bool | None
    status: str
    current: bool


@attrs.frozen
class Finding:
    """
    A strength or a weakness: a leaf, its level, its score at the next
    level, and the requirements that make it one (``more`` not named).

    .. versionadded:: 0.3.0
    """

    node: str
    name: str
    level: int | None
    level_name: str
    score: Fraction | None
    requirements: tuple[RequirementLine, ...]
    more: int


@attrs.frozen
class NodeDiagnosis:
    """
    One leaf's current state, gap, predicted level and interviews.

    ``total`` and ``level`` are the leaf's own total and level from the
    result (the pack's rule applied to its scores per level);
    ``predicted_level`` is its level after the improvement roadmap.
    ``state`` and ``prediction`` are sentences in the report's language.

    .. versionadded:: 0.2.0
    .. versionchanged:: 0.3.0 ``path``, ``level_name``, ``state``,
       ``prediction`` and ``interviews``; gaps are
       :class:`RequirementLine` values.
    """

    node: str
    name: str
    path: tuple[str, ...]
    scores: dict[int, Fraction]
    total: Fraction
    level: int | None
    level_name: str
    state: tuple[str, ...]
    gaps: tuple[RequirementLine, ...]
    predicted_level: int | None
    prediction: str
    interviews: tuple[Interview, ...] = ()

    @property
    def parent(self) -> str:
        """The name of the leaf's parent (empty at the top)."""
        return self.path[-1] if self.path else ""


@attrs.frozen
class RoadmapStep:
    """
    One step of the roadmap: raise a requirement to a rating.

    ``effort`` is ``None`` unless an effort file was given.

    .. versionadded:: 0.3.0
    """

    line: RequirementLine
    to: str
    to_name: str
    effort: Fraction | None


@attrs.frozen
class RoadmapGroup:
    """
    The roadmap's steps under one node of the charted tier, in the
    plan's order.

    .. versionadded:: 0.3.0
    """

    node: str
    name: str
    steps: tuple[RoadmapStep, ...]


@attrs.frozen
class Roadmap:
    """
    The improvement roadmap to ``target``; ``note`` says why there is
    none (``None`` when there is one or it is empty because the target is
    reached).

    .. versionadded:: 0.3.0
    """

    target: int | None
    level: int | None
    score: Fraction | None
    effort: Fraction | None
    intro: str
    note: str | None
    groups: tuple[RoadmapGroup, ...]

    @property
    def steps(self) -> tuple[RoadmapStep, ...]:
        """Every step, group by group."""
        return tuple(s for g in self.groups for s in g.steps)


@attrs.frozen
class AppendixEntry:
    """
    One rating with its evidence (each as one line of text), note and
    assessor.

    .. versionadded:: 0.3.0
    """

    line: RequirementLine
    evidence: tuple[str, ...]
    note: str | None
    assessor: str | None


@attrs.frozen
class AppendixGroup:
    """
    The ratings of one leaf, in the pack's order.

    .. versionadded:: 0.3.0
    """

    node: str
    name: str
    path: tuple[str, ...]
    entries: tuple[AppendixEntry, ...]


@attrs.frozen(eq=False)
class Report:
    """
    Everything a diagnostic report shows, as data in one language.

    >>> r = build_report(pack, result)  # doctest: +SKIP
    >>> r.conclusion.text  # doctest: +SKIP
    '示例精密机械有限公司达到二级（规范级），总分 S = 2.27。…'

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.3.0 ``cover``, ``conclusion``, ``ladder``,
       ``strengths``, ``weaknesses``, ``roadmap`` and ``appendix``; the
       plan fields gave way to ``roadmap``.
    """

    lang: str
    result: Result
    target: int | None
    title: str
    chart_tier: str
    leaf_tier: str
    cover: Cover
    conclusion: Conclusion
    ladder: tuple[LadderStep, ...]
    gate: Fraction | None
    charted: tuple[tuple[str, str, dict[int, Fraction]], ...]
    strengths: tuple[Finding, ...]
    weaknesses: tuple[Finding, ...]
    diagnoses: tuple[NodeDiagnosis, ...]
    roadmap: Roadmap
    appendix: tuple[AppendixGroup, ...]
    tailoring: tuple[tuple[str, str], ...] = ()

    @property
    def level_names(self) -> tuple[tuple[int, str], ...]:
        """(number, name) of every level of the pack, lowest first."""
        return tuple(
            (lv.number, lv.name.get(self.lang))
            for lv in self.result.pack.levels
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data, following ``report.schema.json``."""
        r = self.result
        return {
            "format": 2,
            "lang": self.lang,
            "title": self.title,
            "tiers": {"chart": self.chart_tier, "leaf": self.leaf_tier},
            "summary": {
                "pack": r.pack.id,
                "pack_version": r.pack.version,
                "pack_hash": r.pack.content_hash,
                "profile": r.profile,
                "rule": r.rule,
                "gate": _jsonable(self.gate),
                "score": exact(r.score),
                "score_decimal": decimal(r.score),
                "level": r.level,
                "level_name": r.level_name.get(self.lang),
            },
            "cover": _jsonable(self.cover),
            "conclusion": _jsonable(self.conclusion),
            "ladder": _jsonable(self.ladder),
            "level_scores": {
                str(k): exact(x)
                for k, x in zip(
                    r.pack.level_numbers, r.level_scores, strict=True
                )
            },
            "charted": [
                {
                    "node": node,
                    "name": name,
                    "scores": {str(k): exact(v) for k, v in scores.items()},
                }
                for node, name, scores in self.charted
            ],
            "strengths": _jsonable(self.strengths),
            "weaknesses": _jsonable(self.weaknesses),
            "diagnoses": _jsonable(self.diagnoses),
            "dimensions": {
                tag: d.to_dict() for tag, d in r.dimensions.items()
            },
            "roadmap": _jsonable(self.roadmap),
            "appendix": _jsonable(self.appendix),
            "tailoring": [
                {"node": node, "reason": reason}
                for node, reason in self.tailoring
            ],
        }


# ---------------------------------------------------------------------------
# Gathering


@attrs.frozen
class _Context:
    """What every part of a report reads."""

    pack: Pack
    result: Result
    lang: str
    ratings: Mapping[str, str | None]

    def level_name(self, number: int | None) -> str:
        if number is None:
            return ""
        return self.pack.level_name(number).get(self.lang)

    def rating_name(self, req: Requirement, rating: str | None) -> str:
        if rating is None:
            return message("unrated", self.lang)
        rubric = self.pack.rubric_of(req)
        if rating == "na" and rating not in rubric.ids:
            return rubric.na_name.get(self.lang)
        try:
            return rubric.option(rating).name.get(self.lang)
        except KeyError:
            return rubric.na_name.get(self.lang)

    def line(self, rid: str, rating: str | None = None) -> RequirementLine:
        req = self.pack.requirements_by_id[rid]
        return RequirementLine(
            requirement=rid,
            text=req.text.get(self.lang),
            level=req.level,
            level_name=self.level_name(req.level),
            rating=rating,
            rating_name=self.rating_name(req, rating),
        )

    def path(self, node: str) -> tuple[str, ...]:
        """The names above *node*, top first, without repeats."""
        names: list[str] = []
        for nid in reversed(list(self.pack.ancestors(node))):
            name = self.pack.nodes[nid].name.get(self.lang)
            if not names or names[-1] != name:
                names.append(name)
        own = self.pack.nodes[node].name.get(self.lang)
        if names and names[-1] == own:
            names.pop()
        return tuple(names)


def build_report(
    pack: Pack,
    result: Result,
    *,
    lang: str | None = None,
    target: int | None = None,
    effort: Mapping[str, Any] | None = None,
) -> Report:
    """
    Gather a diagnostic report of *result*: cover, conclusion, level
    ladder, the charted tier's scores per level, strengths and
    weaknesses, each leaf's state, gap, predicted level and interviews,
    an improvement roadmap to *target* (default: the next level) and an
    appendix of every rating.

    Args:
        pack: The pack *result* was scored against.
        result: A result of :func:`maturity_core.score`.
        lang: Any BCP 47 tag; texts come from the pack in that language
            (falling back to English) and the core's words from its
            catalogue (English where it lacks the language).  The default
            is the pack's main language.
        target: The level the roadmap aims for.
        effort: Requirement id → effort of raising it, as for
            :func:`~maturity_core.analysis.improvement_plan`; the roadmap
            then needs the least total effort and shows each step's.

    Raises:
        ValueError: If *lang* is not a language tag or *target* is not a
            level of the pack.
        InputError: If *effort* names an unknown requirement or holds a
            value that is not a positive number.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 Tiers, title and node levels from the pack
       and the result; any language.
    .. versionchanged:: 0.3.0 Cover, conclusion, ladder, strengths,
       weaknesses, roadmap, appendix; *effort*.
    """
    lang = lang or pack.language
    if not is_language_tag(lang):
        msg = f"lang must be a BCP 47 language tag such as zh or en (got {lang!r})"
        raise ValueError(msg)
    ctx = _Context(pack, result, lang, ratings_of(result.assessment))
    top = max(pack.level_numbers)
    if (
        pack.has_levels
        and target is not None
        and (isinstance(target, bool) or target not in pack.level_numbers)
    ):
        msg = (
            f"'target' must be a level of pack {pack.id} (1..{top}) "
            f"(got {target!r})"
        )
        raise ValueError(msg)
    if pack.has_levels:
        target = min(target or (result.level or 0) + 1, top)
    else:
        target = None
    plan, note = _plan(ctx, target, effort)
    analysis = gap_analysis(pack, result, target=target)
    gate = (
        result.gate
        if result.semantics.rule.uses_gate and result.gate is not None
        else None
    )
    chart_tier = pack.tier(pack.chart_depth).name.get(lang)
    leaf_tier = pack.tier(pack.max_depth).name.get(lang)
    title = (pack.report_title if pack.report_title.items else pack.title).get(
        lang
    ) or message("title", lang)
    diagnoses = _diagnoses(ctx, analysis, plan, target)
    return Report(
        lang=lang,
        result=result,
        target=target,
        title=title,
        chart_tier=chart_tier,
        leaf_tier=leaf_tier,
        cover=_cover(ctx, gate),
        conclusion=_conclusion(ctx, analysis, gate, leaf_tier),
        ladder=_ladder(ctx, target),
        gate=gate,
        charted=tuple(
            (n.id, n.name.get(lang), dict(result.nodes[n.id]))
            for n in pack.nodes_at(pack.chart_depth)
            if n.id in result.nodes
        ),
        strengths=_strengths(ctx, analysis),
        weaknesses=_weaknesses(ctx, analysis),
        diagnoses=diagnoses,
        roadmap=_roadmap(
            ctx, target, plan, note, with_effort=effort is not None
        ),
        appendix=_appendix(ctx),
        tailoring=tuple(
            (pack.nodes[t.node].name.get(lang), t.reason)
            for t in result.tailored
            if t.node in pack.nodes
        ),
    )


def _plan(
    ctx: _Context, target: int | None, effort: Mapping[str, Any] | None
) -> tuple[Plan | None, str | None]:
    """The improvement plan to *target*, or why there is none."""
    lang = ctx.lang
    if target is None:
        return None, message("roadmap.no_levels", lang)
    if (
        not ctx.result.semantics.rule.monotone
        and (ctx.result.level or 0) < target
    ):
        return None, message("roadmap.not_monotone", lang)
    try:
        return improvement_plan(
            ctx.pack, ctx.result, target=target, effort=effort
        ), None
    except ScoringError:
        return None, message(
            "roadmap.unreachable", lang, target=ctx.level_name(target)
        )


def _cover(ctx: _Context, gate: Fraction | None) -> Cover:
    r = ctx.result
    meta = r.assessment.metadata
    lang = ctx.lang
    rule_key = f"rule.{r.rule}"
    try:
        rule_name = message(
            rule_key, lang, gate=decimal(gate) if gate is not None else ""
        )
    except KeyError:
        # A rule registered by a pack or a program: its own description.
        rule_name = message(
            "rule.other", lang, rule=r.semantics.rule.description or r.rule
        )
    return Cover(
        report_number=meta.report_number,
        assessing_body=meta.assessing_body,
        organisation=meta.organisation,
        scope=meta.scope,
        profile=r.profile,
        profile_name=ctx.pack.profiles[r.profile].name.get(lang),
        standard=ctx.pack.title.get(lang),
        pack_version=ctx.pack.version,
        pack_hash=ctx.pack.content_hash,
        date=meta.date,
        start_date=meta.start_date,
        end_date=meta.end_date,
        mode=meta.mode,
        mode_name=message(f"mode.{meta.mode}", lang) if meta.mode else None,
        team=tuple(
            TeamMember(
                a.name,
                a.role,
                message(f"role.{a.role}", lang) if a.role else "",
            )
            for a in meta.assessors
        ),
        rule=r.rule,
        rule_name=rule_name,
    )


def _conclusion(
    ctx: _Context,
    analysis: GapAnalysis,
    gate: Fraction | None,
    tier: str,
) -> Conclusion:
    r = ctx.result
    lang = ctx.lang
    pack = ctx.pack
    org = r.assessment.metadata.organisation or message("unnamed", lang)
    score = decimal(r.score)
    sentences = []
    if r.level is None:
        sentences.append(
            message("conclusion.no_bands", lang, org=org, score=score)
        )
    elif r.level == 0:
        sentences.append(
            message(
                "conclusion.no_level",
                lang,
                org=org,
                score=score,
                level=ctx.level_name(0),
            )
        )
    else:
        sentences.append(
            message(
                "conclusion.level",
                lang,
                org=org,
                score=score,
                level=ctx.level_name(r.level),
            )
        )
    gate_level = gate_short = score_short = None
    counted = r.counted_levels
    # The gate stops the levels above it; at the top level none are left.
    if gate is not None and 0 < counted < len(r.level_scores):
        x = r.level_scores[counted - 1]
        if x < gate:
            gate_level, gate_short = counted, gate - x
            sentences.append(
                message(
                    "conclusion.gate",
                    lang,
                    level=ctx.level_name(counted),
                    x=decimal(x),
                    gate=decimal(gate),
                    short=decimal(gate_short),
                )
            )
    next_level = None
    if r.level is not None:
        if r.level >= max(pack.level_numbers):
            sentences.append(message("conclusion.top", lang))
        else:
            next_level = r.level + 1
            need = r.semantics.threshold(next_level)
            score_short = need - r.score
            sentences.append(
                message(
                    "conclusion.next",
                    lang,
                    next=ctx.level_name(next_level),
                    need=decimal(need),
                    short=decimal(score_short),
                )
            )
    weakest = analysis.weaknesses[:WEAKEST]
    if weakest:
        items = [
            message(
                "conclusion.weak_item",
                lang,
                name=pack.nodes[w.node].name.get(lang),
                x=decimal(w.next_score or Fraction(0)),
                level=ctx.level_name(analysis.next_level),
            )
            if w.next_score is not None
            else pack.nodes[w.node].name.get(lang)
            for w in weakest
        ]
        sentences.append(
            message(
                "conclusion.weakest", lang, tier=tier, names=join(items, lang)
            )
        )
    return Conclusion(
        level=r.level,
        level_name=r.level_name.get(lang),
        next_level=next_level,
        gate_level=gate_level,
        gate_shortfall=gate_short,
        score_shortfall=score_short,
        weakest=tuple(w.node for w in weakest),
        text=message("sentence.sep", lang).join(sentences),
    )


def _ladder(ctx: _Context, target: int | None) -> tuple[LadderStep, ...]:
    r = ctx.result
    sem = r.semantics
    reached = r.level or 0
    steps = []
    for lv, x in zip(ctx.pack.levels, r.level_scores, strict=True):
        if r.level is not None and lv.number <= reached:
            status = "reached"
        elif lv.number == target:
            status = "target"
        else:
            status = "above"
        steps.append(
            LadderStep(
                number=lv.number,
                name=lv.name.get(ctx.lang),
                description=lv.description.get(ctx.lang),
                score=x,
                passes=sem.passes(x),
                status=status,
                current=r.level is not None and lv.number == reached,
            )
        )
    return tuple(reversed(steps))


def _top_value(ctx: _Context, req: Requirement) -> Fraction:
    return ctx.pack.rubric_of(req).top.value


def _value(ctx: _Context, req: Requirement) -> Fraction | None:
    return ctx.result.semantics.value(req, ctx.ratings.get(req.id))


def _leaf_requirements(ctx: _Context, node: str) -> list[Requirement]:
    return [
        req for req in ctx.result.semantics.requirements if req.node == node
    ]


def _strengths(ctx: _Context, analysis: GapAnalysis) -> tuple[Finding, ...]:
    r = ctx.result
    floor = max(r.level or 0, 1)
    chosen = [
        s
        for s in analysis.strengths
        if r.level is None or (r.node_levels.get(s.node) or 0) >= floor
    ][:FINDINGS]
    out = []
    for s in chosen:
        met = sorted(
            (
                req
                for req in _leaf_requirements(ctx, s.node)
                if _value(ctx, req) == _top_value(ctx, req)
            ),
            key=lambda q: (-q.level, q.id),
        )
        level = r.node_levels.get(s.node)
        out.append(
            Finding(
                node=s.node,
                name=ctx.pack.nodes[s.node].name.get(ctx.lang),
                level=level,
                level_name=ctx.level_name(level),
                score=s.next_score,
                requirements=tuple(
                    ctx.line(q.id, ctx.ratings.get(q.id)) for q in met[:NAMED]
                ),
                more=max(len(met) - NAMED, 0),
            )
        )
    return tuple(out)


def _weaknesses(ctx: _Context, analysis: GapAnalysis) -> tuple[Finding, ...]:
    r = ctx.result
    by_leaf: dict[str, list[Gap]] = {}
    for gap in analysis.gaps:
        by_leaf.setdefault(gap.node, []).append(gap)
    out = []
    for w in analysis.weaknesses[:FINDINGS]:
        gaps = by_leaf.get(w.node, [])
        level = r.node_levels.get(w.node)
        out.append(
            Finding(
                node=w.node,
                name=ctx.pack.nodes[w.node].name.get(ctx.lang),
                level=level,
                level_name=ctx.level_name(analysis.next_level),
                score=w.next_score,
                requirements=tuple(
                    ctx.line(g.requirement, g.rating) for g in gaps[:NAMED]
                ),
                more=max(len(gaps) - NAMED, 0),
            )
        )
    return tuple(out)


def _state(
    ctx: _Context, node: str, target: int | None, name: str
) -> tuple[str, ...]:
    """The current state of leaf *node* in sentences, from the data."""
    r = ctx.result
    lang = ctx.lang
    level = r.node_levels.get(node)
    total = decimal(r.node_totals[node])
    if level is None:
        out = [message("state.total", lang, name=name, total=total)]
    elif level == 0:
        first = min(ctx.pack.level_numbers)
        out = [
            message(
                "state.zero",
                lang,
                name=name,
                level=ctx.level_name(first),
                total=total,
            )
        ]
    else:
        out = [
            message(
                "state.level",
                lang,
                name=name,
                level=ctx.level_name(level),
                total=total,
            )
        ]
    reqs = _leaf_requirements(ctx, node)
    last = target if target is not None else max(ctx.pack.level_numbers)
    for number in ctx.pack.level_numbers:
        at = [q for q in reqs if q.level == number]
        if not at or number > last:
            continue
        out.append(
            message(
                "state.at",
                lang,
                level=ctx.level_name(number),
                parts=message("parts.sep", lang).join(_state_parts(ctx, at)),
            )
        )
    above = [q for q in reqs if q.level > last]
    if above:
        met = sum(1 for q in above if _value(ctx, q) == _top_value(ctx, q))
        out.append(
            message(
                "state.above",
                lang,
                level=ctx.level_name(last + 1),
                met=met,
                count=len(above),
            )
        )
    return tuple(out)


def _state_parts(ctx: _Context, reqs: list[Requirement]) -> list[str]:
    """Which requirements (by item) are fully, partly and not met."""
    groups: dict[str, list[Requirement]] = {
        "state.fully": [],
        "state.partly": [],
        "state.not": [],
        "state.unrated": [],
        "state.na": [],
    }
    for req in reqs:
        rating = ctx.ratings.get(req.id)
        value = _value(ctx, req)
        rubric = ctx.pack.rubric_of(req)
        if rating is None:
            key = "state.unrated"
        elif value is None:
            key = "state.na"
        elif value >= rubric.top.value:
            key = "state.fully"
        elif value <= rubric.lowest:
            key = "state.not"
        else:
            key = "state.partly"
        groups[key].append(req)
    parts = []
    for key, members in groups.items():
        if not members:
            continue
        items = [q.item.get(ctx.lang) for q in members]
        if all(items):
            words = join(dict.fromkeys(items), ctx.lang)
        else:
            words = message("state.count", ctx.lang, n=len(members))
        parts.append(message(key, ctx.lang, items=words))
    return parts


def _prediction(
    ctx: _Context, node: str, plan: Plan | None
) -> tuple[int | None, str]:
    r = ctx.result
    lang = ctx.lang
    level = r.node_levels.get(node)
    if plan is None or level is None:
        return level, ""
    after = plan.result.node_levels.get(node)
    steps = [u for u in plan.upgrades if u.node == node]
    if not steps:
        return after, message("predicted.none", lang, to=ctx.level_name(after))
    k = min(u.level for u in steps)
    before_x = r.node_score(node, k) or Fraction(0)
    after_x = plan.result.node_score(node, k) or Fraction(0)
    key = "predicted.rise" if (after or 0) > level else "predicted.stay"
    return after, message(
        key,
        lang,
        to=ctx.level_name(after),
        n=len(steps),
        level=ctx.level_name(k),
        a=decimal(before_x),
        b=decimal(after_x),
    )


def _diagnoses(
    ctx: _Context,
    analysis: GapAnalysis,
    plan: Plan | None,
    target: int | None,
) -> tuple[NodeDiagnosis, ...]:
    r = ctx.result
    pack = ctx.pack
    gaps_by_leaf: dict[str, list[Gap]] = {}
    for gap in analysis.gaps:
        gaps_by_leaf.setdefault(gap.node, []).append(gap)
    interviews = r.assessment.metadata.interviews
    out = []
    for node in pack.root.walk():
        if node.id == ROOT or not node.is_leaf or node.id not in r.nodes:
            continue
        name = node.name.get(ctx.lang)
        leaf_gaps = sorted(
            gaps_by_leaf.get(node.id, []),
            key=lambda g: (g.level, g.requirement),
        )
        predicted, prediction = _prediction(ctx, node.id, plan)
        level = r.node_levels.get(node.id)
        above = {node.id, *pack.ancestors(node.id)}
        out.append(
            NodeDiagnosis(
                node=node.id,
                name=name,
                path=ctx.path(node.id),
                scores=dict(r.nodes[node.id]),
                total=r.node_totals[node.id],
                level=level,
                level_name=ctx.level_name(level),
                state=_state(ctx, node.id, target, name),
                gaps=tuple(
                    ctx.line(g.requirement, g.rating) for g in leaf_gaps
                ),
                predicted_level=predicted,
                prediction=prediction,
                interviews=tuple(i for i in interviews if i.node in above),
            )
        )
    return tuple(out)


def _chart_ancestor(pack: Pack, node: str) -> str:
    """The node of the charted tier above (or at) *node*."""
    chain = [node, *pack.ancestors(node)]
    for nid in chain:
        if pack.depths[nid] == pack.chart_depth:
            return nid
    return chain[-1]


def _roadmap(
    ctx: _Context,
    target: int | None,
    plan: Plan | None,
    note: str | None,
    *,
    with_effort: bool,
) -> Roadmap:
    lang = ctx.lang
    if plan is None:
        return Roadmap(target, None, None, None, "", note, ())
    groups: dict[str, list[RoadmapStep]] = {}
    for u in plan.upgrades:
        req = ctx.pack.requirements_by_id[u.requirement]
        groups.setdefault(_chart_ancestor(ctx.pack, u.node), []).append(
            RoadmapStep(
                line=ctx.line(u.requirement, u.current),
                to=u.to,
                to_name=ctx.rating_name(req, u.to),
                effort=u.effort if with_effort else None,
            )
        )
    if plan.upgrades:
        intro = message(
            "roadmap.intro",
            lang,
            target=ctx.level_name(target),
            n=len(plan.upgrades),
            a=decimal(ctx.result.score),
            b=decimal(plan.score),
            level=ctx.level_name(plan.level),
        )
        if with_effort:
            intro += message("sentence.sep", lang) + message(
                "roadmap.effort", lang, effort=decimal(plan.effort)
            )
    else:
        intro = message("roadmap.reached", lang, target=ctx.level_name(target))
    return Roadmap(
        target=target,
        level=plan.level,
        score=plan.score,
        effort=plan.effort if with_effort else None,
        intro=intro,
        note=None,
        groups=tuple(
            RoadmapGroup(nid, ctx.pack.nodes[nid].name.get(lang), tuple(steps))
            for nid, steps in groups.items()
        ),
    )


def _evidence_line(ctx: _Context, entry: RatingEntry) -> tuple[str, ...]:
    out = []
    for ev in entry.evidence:
        details = [
            d
            for d in (
                message(f"method.{ev.method}", ctx.lang)
                if ev.method
                else None,
                ev.date,
                ev.owner,
            )
            if d
        ]
        text = ev.description
        if details:
            text += message(
                "paren",
                ctx.lang,
                text=message("list.sep", ctx.lang).join(details),
            )
        out.append(text)
    return tuple(out)


def _appendix(ctx: _Context) -> tuple[AppendixGroup, ...]:
    entries = {e.requirement: e for e in ctx.result.assessment.ratings}
    groups: dict[str, list[AppendixEntry]] = {}
    for req in ctx.pack.requirements:
        entry = entries.get(req.id)
        if entry is None or req.node not in ctx.result.nodes:
            continue
        groups.setdefault(req.node, []).append(
            AppendixEntry(
                line=ctx.line(req.id, entry.rating),
                evidence=_evidence_line(ctx, entry),
                note=entry.note,
                assessor=entry.assessor,
            )
        )
    order = [n.id for n in ctx.pack.root.walk()]
    return tuple(
        AppendixGroup(
            node=nid,
            name=ctx.pack.nodes[nid].name.get(ctx.lang),
            path=ctx.path(nid),
            entries=tuple(groups[nid]),
        )
        for nid in order
        if nid in groups
    )
