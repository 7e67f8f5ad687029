"""
Types for annotating and extending *maturity-core*.

The parts of a model, a result and the kernel's other answers are
importable from here for annotations; user code receives them from the
kernel's functions and seldom builds one itself.

A level rule is any callable with the :class:`LevelRule` signature;
register it with :func:`maturity_core.register_rule`.  A pack validator
is any callable with the :class:`PackValidator` signature, named in the
pack's ``validators`` list as ``module:function``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Protocol

from ._lifecycle import ChangeCheck, Lifecycle, Status
from ._model import Band, Method, RatingOption, Tier
from ._overlay import OverlayInfo
from ._result import DimensionScore, TraceStep, ValidatorReport
from ._rules import RuleOutcome, Scenario, get_aggregation
from ._semantics import UNRATED_POLICIES, Evaluation
from ._verify import Difference, Verification


if TYPE_CHECKING:
    from ._assessment import Assessment
    from ._model import Pack
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


__all__ = [
    "UNRATED_POLICIES",
    "Band",
    "ChangeCheck",
    "Difference",
    "DimensionScore",
    "Evaluation",
    "LevelRule",
    "Lifecycle",
    "Method",
    "OverlayInfo",
    "PackValidator",
    "RatingOption",
    "RuleOutcome",
    "Scenario",
    "Status",
    "Tier",
    "TraceStep",
    "ValidatorReport",
    "Verification",
    "get_aggregation",
]
