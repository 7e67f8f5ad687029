"""
Types for extending *maturity-core*.

A level rule is any callable with the :class:`LevelRule` signature;
register it with :func:`maturity_core.register_rule`.  A pack validator
is any callable with the :class:`PackValidator` signature, named in the
pack's ``validators`` list as ``module:function``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Protocol


if TYPE_CHECKING:
    from ._assessment import Assessment
    from ._model import Pack
    from ._rules import RuleOutcome
    from .exceptions import Problem


class LevelRule(Protocol):
    """
    A level rule's exact fold: X_1..X_N (lowest level first) into S, given
    the gate (``None`` for a pack without one).  Wrap it in a
    :class:`maturity_core.LevelRule` to state what else it can do.
    """

    def __call__(
        self, level_scores: Sequence[Fraction], gate: Fraction | None, /
    ) -> RuleOutcome: ...


class PackValidator(Protocol):
    """Yield a problem for every way *assessment* breaks a pack rule."""

    def __call__(
        self, pack: Pack, assessment: Assessment, /
    ) -> Iterable[Problem]: ...


__all__ = ["LevelRule", "PackValidator"]
