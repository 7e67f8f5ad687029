"""A result of scoring and its record: the trace, validator reports,
dimension scores, and the full view of a result."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from ._assessment import Assessment, Tailoring
from ._format import decimal, exact, exact_or_none
from ._model import ROOT, Node, Pack
from ._packs import content_hash
from ._semantics import Semantics
from ._text import Text
from .exceptions import NotFoundError, Problem


if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult


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

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> RenderResult:
        """The full view (:meth:`view`) when rich prints the result."""
        del console, options
        yield self.view()

    def view(self, lang: str | None = None) -> Any:
        """
        The full view of the result as a rich renderable: the pack,
        profile and rule, the level scores, each node's scores and level,
        S and the level reached, and the trace; names in *lang* (default:
        the pack's main language).  ``rich.print(result)`` prints it.

        .. versionadded:: 0.2.0
        """
        from rich.console import Group  # noqa: PLC0415 -- views only

        lang = lang or self.pack.language
        return Group(
            *self._header(lang),
            self._level_table(lang),
            self._node_table(lang),
            *self._summary(lang),
        )

    def _header(self, lang: str) -> list[Any]:
        from rich.text import Text as Line  # noqa: PLC0415

        pack, meta = self.pack, self.assessment.metadata
        prof = pack.profiles[self.profile]
        trust = "" if pack.trusted else " (untrusted: runs no pack code)"
        gate = "no gate" if self.gate is None else f"gate {decimal(self.gate)}"
        lines = [
            f"Pack:         {pack.id} {pack.version} — {pack.title.get(lang)}",
            f"Source:       {pack.source}{trust}",
            f"Profile:      {prof.id} ({prof.name.get(lang)})",
            f"Rule:         {self.rule} ({gate})",
        ]
        if meta.organisation:
            lines.append(f"Organisation: {meta.organisation}")
        if meta.date:
            lines.append(f"Date:         {meta.date}")
        if self.tailored:
            lines.append(
                "Tailored out: "
                + ", ".join(f"{t.node} ({t.reason})" for t in self.tailored)
            )
        return [Line(line) for line in lines]

    def _level_table(self, lang: str) -> Any:
        from rich.table import Table  # noqa: PLC0415

        table = Table(title="Level scores", title_justify="left")
        table.add_column("Level", justify="right")
        table.add_column("Name")
        table.add_column("X", justify="right")
        table.add_column("Exact", justify="right")
        table.add_column("Gate")
        table.add_column("Counted")
        for lv, x in zip(self.pack.levels, self.level_scores, strict=True):
            table.add_row(
                str(lv.number),
                lv.name.get(lang),
                decimal(x),
                exact(x),
                {None: "", True: "pass", False: "fail"}[
                    self.semantics.passes(x)
                ],
                "yes" if lv.number <= self.counted_levels else "no",
            )
        return table

    def _node_table(self, lang: str) -> Any:
        from rich.table import Table  # noqa: PLC0415

        pack = self.pack
        table = Table(title="Scores by node and level", title_justify="left")
        table.add_column("Node")
        for lv in pack.levels:
            table.add_column(f"L{lv.number}", justify="right")
        table.add_column("Total", justify="right")
        if pack.has_levels:
            table.add_column("Level", justify="right")

        def two(value: Fraction | None) -> str:
            return "" if value is None else decimal(value)

        def add(node: Node, depth: int) -> None:
            if node.id != ROOT:
                if node.id not in self.nodes:
                    return
                scores = self.nodes[node.id]
                own = [two(self.node_totals.get(node.id))]
                if pack.has_levels:
                    own.append(str(self.node_levels.get(node.id)))
                table.add_row(
                    "  " * depth + node.name.get(lang),
                    *(two(scores.get(lv.number)) for lv in pack.levels),
                    *own,
                )
            # A node whose only child is a leaf of the same name is shown
            # once.
            if (
                len(node.children) == 1
                and node.children[0].name == node.name
                and node.children[0].is_leaf
            ):
                return
            for child in node.children:
                add(child, depth + (node.id != ROOT))

        add(pack.root, 0)
        return table

    def _summary(self, lang: str) -> list[Any]:
        from rich.text import Text as Line  # noqa: PLC0415

        reached = (
            "the pack has no level bands"
            if self.level is None
            else f"level {self.level}: {self.level_name.get(lang)}"
        )
        s = f"Score S = {decimal(self.score)} (exact {exact(self.score)})"
        lines = [
            f"{s}; {reached}",
            "Trace:",
            *(f"  - {step.message}" for step in self.trace),
            *(
                f"Validator {report.name}: {report.status}"
                for report in self.validators
            ),
        ]
        return [Line(line) for line in lines]

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
