"""
Exact scoring of organisations against capability-maturity standards.

Standards come as model packs, found through the entry-point group
``maturity_core.packs``::

    >>> import maturity_core as mc
    >>> pack = mc.load_pack("devpractice")  # doctest: +SKIP
    >>> a = mc.Assessment.from_path("a.json")  # doctest: +SKIP
    >>> result = mc.score(pack, a)  # doctest: +SKIP
"""

from __future__ import annotations

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
from ._lifecycle import (
    ChangeCheck,
    Lifecycle,
    Status,
    check_level_change,
    lifecycle_for,
    status_on,
)
from ._model import (
    Band,
    Level,
    Method,
    Node,
    Pack,
    Profile,
    RatingOption,
    Requirement,
    Rubric,
    Tier,
)
from ._overlay import OverlayInfo, apply_overlay
from ._packs import (
    PackInfo,
    clear_pack_cache,
    discover_packs,
    iter_pack_problems,
    load_pack,
)
from ._rules import (
    Aggregation,
    LevelRule,
    RuleOutcome,
    Scenario,
    get_aggregation,
    get_rule,
    register_rule,
    rule_names,
)
from ._scoring import (
    DimensionScore,
    Result,
    TraceStep,
    ValidatorReport,
    score,
    validate,
)
from ._semantics import Evaluation, Semantics
from ._text import Text
from ._verify import Difference, Verification, verify_result
from .analysis._compare import Comparison, NodeChange, RatingChange, compare
from .analysis._consolidate import (
    AgreementStats,
    Consolidation,
    Disagreement,
    agreement_statistics,
    consolidate,
)
from .analysis._crosswalk import (
    Carried,
    Crosswalk,
    CrosswalkEntry,
    NotCarried,
    carry_assessment,
    find_crosswalk,
)
from .analysis._gaps import (
    Gap,
    GapAnalysis,
    GapGroup,
    LeafStanding,
    Plan,
    Upgrade,
    gap_analysis,
    improvement_plan,
)
from .analysis._group import GroupMember, GroupResult, score_group
from .analysis._migrate import Migrated, Rerate, migrate_assessment
from .authoring._authoring import PackDiff, diff_packs, scaffold_pack
from .batch._batch import (
    NA_CODE,
    UNRATED_CODE,
    BatchResult,
    CompiledModel,
    compile_model,
    encode_frame,
    score_many,
)
from .batch._batchio import BatchSummary, score_file
from .batch._dask import score_dask
from .batch._population import (
    Distribution,
    NodeScores,
    NodeTotals,
    PopulationSummary,
    WeightSensitivity,
    node_scores,
    node_totals,
    perturbation_study,
    summarise_population,
    weight_sensitivity,
)
from .batch._synthetic import synthetic_population
from .exceptions import (
    AssessmentError,
    IncompatiblePackError,
    InputError,
    InvalidPackError,
    MaturityCoreError,
    OutputError,
    PackError,
    PackNotFoundError,
    Problem,
    ScoringError,
    UnknownRequirementError,
    UnknownRuleError,
)
from .questionnaire._questionnaire import (
    read_questionnaire,
    write_questionnaire,
)
from .report._report import (
    NodeDiagnosis,
    Report,
    build_report,
    font_subset,
    population_radar_png,
    radar_png,
    to_html,
    to_markdown,
)


__all__ = [
    "Aggregation",
    "AgreementStats",
    "Assessment",
    "AssessmentError",
    "AssessmentMetadata",
    "Assessor",
    "Band",
    "BatchResult",
    "BatchSummary",
    "Carried",
    "ChangeCheck",
    "Comparison",
    "CompiledModel",
    "Consolidation",
    "Crosswalk",
    "CrosswalkEntry",
    "Difference",
    "DimensionScore",
    "Disagreement",
    "Distribution",
    "Evaluation",
    "Evidence",
    "Gap",
    "GapAnalysis",
    "GapGroup",
    "GroupMember",
    "GroupResult",
    "IncompatiblePackError",
    "InputError",
    "InvalidPackError",
    "LeafStanding",
    "Level",
    "LevelRule",
    "Lifecycle",
    "MaturityCoreError",
    "Method",
    "Migrated",
    "NA_CODE",
    "Node",
    "NodeChange",
    "NodeDiagnosis",
    "NodeScores",
    "NodeTotals",
    "NotCarried",
    "OutputError",
    "OverlayInfo",
    "Pack",
    "PackDiff",
    "PackError",
    "PackInfo",
    "PackNotFoundError",
    "Plan",
    "PopulationSummary",
    "Problem",
    "Profile",
    "RatingChange",
    "RatingEntry",
    "RatingOption",
    "Report",
    "Requirement",
    "Rerate",
    "Result",
    "Rubric",
    "RuleOutcome",
    "Scenario",
    "ScoringError",
    "Semantics",
    "Status",
    "Tailoring",
    "Text",
    "Tier",
    "TraceStep",
    "UNRATED_CODE",
    "UnknownRequirementError",
    "UnknownRuleError",
    "Upgrade",
    "ValidatorReport",
    "Verification",
    "WeightSensitivity",
    "agreement_statistics",
    "apply_overlay",
    "blank_assessment",
    "build_report",
    "carry_assessment",
    "check_level_change",
    "clear_pack_cache",
    "compare",
    "compile_model",
    "consolidate",
    "diff_packs",
    "discover_packs",
    "encode_frame",
    "find_crosswalk",
    "font_subset",
    "gap_analysis",
    "get_aggregation",
    "get_rule",
    "improvement_plan",
    "iter_assessment_problems",
    "iter_pack_problems",
    "lifecycle_for",
    "load_pack",
    "migrate_assessment",
    "node_scores",
    "node_totals",
    "perturbation_study",
    "population_radar_png",
    "radar_png",
    "read_questionnaire",
    "register_rule",
    "rule_names",
    "scaffold_pack",
    "score",
    "score_dask",
    "score_file",
    "score_group",
    "score_many",
    "status_on",
    "summarise_population",
    "synthetic_population",
    "to_html",
    "to_markdown",
    "validate",
    "verify_result",
    "weight_sensitivity",
    "write_questionnaire",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415

        return version("maturity-core")
    msg = f"module {__name__} has no attribute {name}"
    raise AttributeError(msg)
