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
    A node of the model tree (element, domain, subdomain, …).

    Leaves carry requirements; internal nodes aggregate their children.

    .. versionadded:: 0.1.0
    """

    id: str
    kind: str
    name: Text
    children: tuple[Node, ...] = ()

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


@attrs.frozen(eq=False)
class Method:
    """
    How level scores fold into the overall score and the level.

    .. versionadded:: 0.1.0
    """

    rule: str
    gate: Fraction
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
    nodes: Mapping[str, Node] = attrs.field(init=False)
    parents: Mapping[str, str] = attrs.field(init=False)
    requirements_by_id: Mapping[str, Requirement] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        nodes: dict[str, Node] = {}
        parents: dict[str, str] = {}
        for node in self.root.walk():
            nodes[node.id] = node
            for child in node.children:
                parents[child.id] = node.id
        object.__setattr__(self, "nodes", MappingProxyType(nodes))
        object.__setattr__(self, "parents", MappingProxyType(parents))
        object.__setattr__(
            self,
            "requirements_by_id",
            MappingProxyType({r.id: r for r in self.requirements}),
        )

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
        """The name of level *number* (empty text for 0, no level)."""
        for level in self.levels:
            if level.number == number:
                return level.name
        return Text(zh="未达到一级", en="No level")

    def __repr__(self) -> str:
        return f"<Pack {self.id} {self.version} from {self.source}>"
