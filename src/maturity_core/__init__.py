"""
Exact scoring of organisations against capability-maturity standards.

Standards come as model packs, found through the entry-point group
``maturity_core.packs``::

    >>> import maturity_core as mc
    >>> pack = mc.load_pack("devpractice")  # doctest: +SKIP
    >>> a = mc.Assessment.from_path("a.json")  # doctest: +SKIP
    >>> result = mc.score(pack, a)  # doctest: +SKIP

The root holds the kernel: packs and their models, assessments, the
scoring semantics and rules, scoring and its result, overlays, the
lifecycle and verification.  Features live in public subpackages, each
imported on first use: :mod:`maturity_core.batch`,
:mod:`maturity_core.analysis`, :mod:`maturity_core.report`,
:mod:`maturity_core.questionnaire` and :mod:`maturity_core.authoring`.
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

from ._assessment import (
    Assessment,
    AssessmentMetadata,
    Assessor,
    Evidence,
    RatingEntry,
    Tailoring,
    blank_assessment,
    iter_assessment_problems,
)
from ._lifecycle import check_level_change, lifecycle_for, status_on
from ._model import Level, Node, Pack, Profile, Requirement, Rubric
from ._overlay import apply_overlay
from ._packcheck import iter_pack_problems
from ._packs import PackInfo, clear_pack_cache, discover_packs, load_pack
from ._result import Result
from ._rules import Aggregation, LevelRule, get_rule, register_rule, rule_names
from ._scoring import score, validate
from ._semantics import Semantics
from ._text import Text
from ._verify import verify_result
from .exceptions import (
    AssessmentError,
    InputError,
    MaturityCoreError,
    PackError,
    Problem,
    ScoringError,
)


__all__ = [
    "Aggregation",
    "Assessment",
    "AssessmentError",
    "AssessmentMetadata",
    "Assessor",
    "Evidence",
    "InputError",
    "Level",
    "LevelRule",
    "MaturityCoreError",
    "Node",
    "Pack",
    "PackError",
    "PackInfo",
    "Problem",
    "Profile",
    "RatingEntry",
    "Requirement",
    "Result",
    "Rubric",
    "ScoringError",
    "Semantics",
    "Tailoring",
    "Text",
    "apply_overlay",
    "blank_assessment",
    "check_level_change",
    "clear_pack_cache",
    "discover_packs",
    "get_rule",
    "iter_assessment_problems",
    "iter_pack_problems",
    "lifecycle_for",
    "load_pack",
    "register_rule",
    "rule_names",
    "score",
    "status_on",
    "validate",
    "verify_result",
]

# The public subpackages, imported on first attribute access so that
# ``import maturity_core`` loads none of the features' optional extras.
_SUBPACKAGES = frozenset(
    {
        "analysis",
        "authoring",
        "batch",
        "cli",
        "exceptions",
        "io",
        "questionnaire",
        "report",
        "testing",
        "typing",
    }
)

# Names the root exported before the features moved into subpackages:
# still importable from the root, with a DeprecationWarning, until the
# next release.
_MOVED = {
    "AgreementStats": "analysis",
    "Band": "typing",
    "BatchResult": "batch",
    "BatchSummary": "batch",
    "Carried": "analysis",
    "ChangeCheck": "typing",
    "Comparison": "analysis",
    "CompiledModel": "batch",
    "Consolidation": "analysis",
    "Crosswalk": "analysis",
    "CrosswalkEntry": "analysis",
    "Difference": "typing",
    "DimensionScore": "typing",
    "Disagreement": "analysis",
    "Distribution": "batch",
    "Evaluation": "typing",
    "Gap": "analysis",
    "GapAnalysis": "analysis",
    "GapGroup": "analysis",
    "GroupMember": "analysis",
    "GroupResult": "analysis",
    "IncompatiblePackError": "exceptions",
    "InvalidPackError": "exceptions",
    "LeafStanding": "analysis",
    "Lifecycle": "typing",
    "Method": "typing",
    "Migrated": "analysis",
    "NA_CODE": "batch",
    "NodeChange": "analysis",
    "NodeDiagnosis": "report",
    "NodeScores": "batch",
    "NodeTotals": "batch",
    "NotCarried": "analysis",
    "OutputError": "exceptions",
    "OverlayInfo": "typing",
    "PackDiff": "authoring",
    "PackNotFoundError": "exceptions",
    "Plan": "analysis",
    "PopulationSummary": "batch",
    "RatingChange": "analysis",
    "RatingOption": "typing",
    "Report": "report",
    "Rerate": "analysis",
    "RuleOutcome": "typing",
    "Scenario": "typing",
    "Status": "typing",
    "Tier": "typing",
    "TraceStep": "typing",
    "UNRATED_CODE": "batch",
    "UnknownRequirementError": "exceptions",
    "UnknownRuleError": "exceptions",
    "Upgrade": "analysis",
    "ValidatorReport": "typing",
    "Verification": "typing",
    "WeightSensitivity": "analysis",
    "agreement_statistics": "analysis",
    "build_report": "report",
    "carry_assessment": "analysis",
    "compare": "analysis",
    "compile_model": "batch",
    "consolidate": "analysis",
    "diff_packs": "authoring",
    "encode_frame": "batch",
    "find_crosswalk": "analysis",
    "font_subset": "report",
    "gap_analysis": "analysis",
    "get_aggregation": "typing",
    "improvement_plan": "analysis",
    "migrate_assessment": "analysis",
    "node_scores": "batch",
    "node_totals": "batch",
    "perturbation_study": "analysis",
    "population_radar_png": "report",
    "radar_png": "report",
    "read_questionnaire": "questionnaire",
    "scaffold_pack": "authoring",
    "score_dask": "batch",
    "score_file": "batch",
    "score_group": "analysis",
    "score_many": "batch",
    "summarise_population": "batch",
    "synthetic_population": "batch",
    "to_html": "report",
    "to_markdown": "report",
    "weight_sensitivity": "analysis",
    "write_questionnaire": "questionnaire",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415

        return version("maturity-core")
    if name in _SUBPACKAGES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _MOVED:
        home = f"{__name__}.{_MOVED[name]}"
        warnings.warn(
            f"{__name__}.{name} moved to {home}.{name}; the old name "
            "goes away in the next release",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(home), name)
    msg = f"module {__name__} has no attribute {name}"
    raise AttributeError(msg)
