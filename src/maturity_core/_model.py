"""The abstract model: levels, node tree, requirements, rubric, profiles."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

from ._text import Text


#: The id of the implicit root above a pack's top-level nodes.
ROOT = "$root"


@attrs.frozen
class Level:
    """
    One maturity level: its ordinal number and names.

    .. versionadded:: 0.1.0
    """

    number: int
    name: Text
    description: Text = Text()


@attrs.frozen(eq=False)
class Node:
    """
    A node of the model tree.

    Leaves carry requirements; internal nodes aggregate their children.
    ``kind`` is the id of the node's tier (the pack names its tiers, see
    :class:`Tier`).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``description``.
    """

    id: str
    kind: str
    name: Text
    children: tuple[Node, ...] = ()
    description: Text = Text()

    @property
    def is_leaf(self) -> bool:
        """Whether the node has no children."""
        return not self.children

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, depth first, in order."""
        yield self
        for child in self.children:
            yield from child.walk()


@attrs.frozen(eq=False)
class Requirement:
    """
    One requirement of one leaf node at one level.

    .. versionadded:: 0.1.0
    """

    id: str
    node: str
    level: int
    text: Text
    item: Text = Text()
    tags: tuple[str, ...] = ()
    provenance: Mapping[str, Any] = attrs.field(
        factory=lambda: MappingProxyType({})
    )
    #: The rubric this requirement is rated on (``None``: the pack's
    #: default rubric).
    rubric: str | None = None
    #: Guidance for assessors: quality criteria, evidence hints.
    guidance: Text = Text()


@attrs.frozen
class RatingOption:
    """
    One step of a rubric, with its exact value in [0, 1].

    .. versionadded:: 0.1.0
    """

    id: str
    value: Fraction
    name: Text


#: The rating id that marks a requirement as not applicable.
NA = "na"


@attrs.frozen(eq=False)
class Rubric:
    """
    The rating scale: ordered options with exact values, and whether
    ``na`` (not applicable) is allowed.

    .. versionadded:: 0.1.0
    """

    options: tuple[RatingOption, ...]
    na_allowed: bool = False
    na_name: Text = Text(zh="不适用", en="Not applicable")
    #: The rubric's name within its pack.
    id: str = "default"
    name: Text = Text()

    @property
    def top(self) -> RatingOption:
        """The option with the highest value (the first such)."""
        best = max(o.value for o in self.options)
        return next(o for o in self.options if o.value == best)

    @property
    def lowest(self) -> Fraction:
        """The lowest value of any option."""
        return min(o.value for o in self.options)

    def option(self, rating: str) -> RatingOption:
        """
        The option *rating*.

        Raises:
            KeyError: If the rubric has no such option.
        """
        for option in self.options:
            if option.id == rating:
                return option
        raise KeyError(rating)

    @property
    def ids(self) -> tuple[str, ...]:
        """The rating ids a rater may use, ``na`` last if allowed."""
        ids = tuple(o.id for o in self.options)
        return (*ids, NA) if self.na_allowed else ids

    def value(self, rating: str) -> Fraction | None:
        """The exact value of *rating*; ``None`` for ``na``."""
        if rating == NA:
            return None
        for option in self.options:
            if option.id == rating:
                return option.value
        raise KeyError(rating)


@attrs.frozen(eq=False)
class Profile:
    """
    A named weight set over the tree, with its default scope and the
    nodes that may not be tailored out.

    ``weights`` maps every in-scope node except the root to its exact
    weight among its siblings.

    .. versionadded:: 0.1.0
    """

    id: str
    name: Text
    weights: Mapping[str, Fraction]
    scope: frozenset[str]
    mandatory: frozenset[str]
    description: Text = Text()
    provenance: Mapping[str, Any] = attrs.field(
        factory=lambda: MappingProxyType({})
    )


@attrs.frozen
class Band:
    """
    A level band: the lowest overall score S that reaches *level*.

    .. versionadded:: 0.1.0
    """

    level: int
    min: Fraction


@attrs.frozen
class Tier:
    """
    One depth of a pack's tree, as the pack names it ("function",
    "practice area", …).  Depth 1 is the top-level nodes.

    .. versionadded:: 0.2.0
    """

    depth: int
    id: str
    name: Text


@attrs.frozen(eq=False)
class Method:
    """
    How level scores fold into the overall score and the level.

    ``gate`` is ``None`` for a pack whose rule uses none; ``bands`` is
    empty for a pack whose results have a score and no level.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``gate`` and ``bands`` are optional.
    """

    rule: str
    gate: Fraction | None
    bands: tuple[Band, ...]
    rules: tuple[str, ...] = ()
    provenance: Mapping[str, Any] = attrs.field(
        factory=lambda: MappingProxyType({})
    )
    #: ``weighted-mean`` (default) or ``minimum``.
    aggregation: str = "weighted-mean"


@attrs.frozen(eq=False)
class Pack:
    """
    A loaded, validated model pack.

    Build one with :func:`maturity_core.load_pack`.

    .. versionadded:: 0.1.0
    """

    id: str
    version: str
    format: int
    title: Text
    levels: tuple[Level, ...]
    root: Node
    requirements: tuple[Requirement, ...]
    rubric: Rubric
    profiles: Mapping[str, Profile]
    default_profile: str
    method: Method
    validators: tuple[str, ...]
    metadata: Mapping[str, Any]
    data: Mapping[str, Any]
    content_hash: str
    source: str
    trusted: bool
    #: Overlays applied to the pack data (:func:`apply_overlay`).
    overlays: tuple[Any, ...] = ()
    #: Named rubrics other than the default ``rubric`` (id → rubric).
    extra_rubrics: Mapping[str, Rubric] = attrs.field(
        factory=lambda: MappingProxyType({})
    )
    #: The names of the tree's depths, top first.
    tiers: tuple[Tier, ...] = ()
    #: The depth whose nodes reports chart (1 = top-level nodes).
    chart_depth: int = 1
    #: The report title; the pack title if empty.
    report_title: Text = Text()
    #: The name of "no level" (a score below the lowest band).
    no_level_name: Text = Text(en="No level")
    #: The languages of the pack's texts, the main one first.
    languages: tuple[str, ...] = ()
    nodes: Mapping[str, Node] = attrs.field(init=False)
    parents: Mapping[str, str] = attrs.field(init=False)
    requirements_by_id: Mapping[str, Requirement] = attrs.field(init=False)
    depths: Mapping[str, int] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        nodes: dict[str, Node] = {}
        parents: dict[str, str] = {}
        depths: dict[str, int] = {ROOT: 0}
        for node in self.root.walk():
            nodes[node.id] = node
            for child in node.children:
                parents[child.id] = node.id
                depths[child.id] = depths[node.id] + 1
        object.__setattr__(self, "nodes", MappingProxyType(nodes))
        object.__setattr__(self, "parents", MappingProxyType(parents))
        object.__setattr__(self, "depths", MappingProxyType(depths))
        object.__setattr__(
            self,
            "requirements_by_id",
            MappingProxyType({r.id: r for r in self.requirements}),
        )

    @property
    def rubrics(self) -> Mapping[str, Rubric]:
        """Every rubric by id, the default one first."""
        return MappingProxyType(
            {self.rubric.id: self.rubric, **self.extra_rubrics}
        )

    def rubric_of(self, requirement: Requirement) -> Rubric:
        """The rubric *requirement* is rated on."""
        if requirement.rubric is None:
            return self.rubric
        return self.rubrics[requirement.rubric]

    @property
    def max_depth(self) -> int:
        """The depth of the deepest node (1 for a flat list of leaves)."""
        return max(self.depths.values())

    def tier(self, depth: int) -> Tier:
        """
        The tier at *depth* (1 = top-level nodes); a tier named after the
        nodes' kind where the pack names none.
        """
        for tier in self.tiers:
            if tier.depth == depth:
                return tier
        kind = next(
            (
                self.nodes[n].kind
                for n, d in self.depths.items()
                if d == depth and n != ROOT
            ),
            f"depth {depth}",
        )
        return Tier(depth, kind, Text(en=kind))

    def nodes_at(self, depth: int) -> tuple[Node, ...]:
        """The nodes at *depth*, in tree order."""
        return tuple(n for n in self.root.walk() if self.depths[n.id] == depth)

    @property
    def language(self) -> str:
        """The pack's main language."""
        if self.languages:
            return self.languages[0]
        return next(iter(self.title.languages), "en")

    @property
    def has_levels(self) -> bool:
        """Whether results of this pack reach levels (it has bands)."""
        return bool(self.method.bands)

    @property
    def level_numbers(self) -> tuple[int, ...]:
        """The level numbers, lowest first."""
        return tuple(level.number for level in self.levels)

    def get_profile(self, profile_id: str | None = None) -> Profile:
        """
        Return the profile *profile_id*, or the default one.

        Raises:
            KeyError: If the pack has no such profile.
        """
        return self.profiles[profile_id or self.default_profile]

    def ancestors(self, node_id: str) -> Iterator[str]:
        """The ids above *node_id*, nearest first, excluding the root."""
        current = self.parents.get(node_id)
        while current is not None and current != ROOT:
            yield current
            current = self.parents.get(current)

    def is_mandatory(self, profile: Profile, node_id: str) -> bool:
        """Whether *node_id* or a node above it is mandatory in *profile*."""
        if node_id in profile.mandatory:
            return True
        return any(a in profile.mandatory for a in self.ancestors(node_id))

    def is_tailorable(self, profile: Profile, node_id: str) -> bool:
        """
        Whether *node_id* may be tailored out under *profile*: it is in
        scope, and neither it, a node above it, nor a node below it is
        mandatory.
        """
        if node_id not in profile.scope or node_id == ROOT:
            return False
        if self.is_mandatory(profile, node_id):
            return False
        return not any(
            n.id in profile.mandatory for n in self.nodes[node_id].walk()
        )

    def level_name(self, number: int) -> Text:
        """The name of level *number* (the pack's "no level" for 0)."""
        for level in self.levels:
            if level.number == number:
                return level.name
        return self.no_level_name

    def __repr__(self) -> str:
        return f"<Pack {self.id} {self.version} from {self.source}>"
