"""What several commands need: packs and assessments from the arguments."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

import maturity_core as mc
from maturity_core.exceptions import (
    AssessmentError,
    NotFoundError,
    PackNotFoundError,
    Problem,
)

from ._output import UsageError


if TYPE_CHECKING:
    from maturity_core.analysis import Crosswalk


def load(ref: str, args: argparse.Namespace) -> mc.Pack:
    """The pack *ref* names, trusted if the command has --trust-code."""
    return mc.load_pack(ref, trust_code=getattr(args, "trust_code", False))


def load_for(assessment: mc.Assessment, args: argparse.Namespace) -> mc.Pack:
    """The pack of --pack if given, else the one the assessment names."""
    ref = getattr(args, "pack", None)
    if ref is not None:
        return load(ref, args)
    try:
        # An id read from a file is a bare name, never a path (load_pack).
        return load(assessment.pack, args)
    except PackNotFoundError as e:
        problem = Problem("$.pack", str(e), "unknown-pack")
        raise AssessmentError([problem], assessment.source) from None


def read_assessment(path: Path) -> mc.Assessment:
    """An assessment from JSON, or from an XLSX/CSV questionnaire."""
    if path.suffix.lower() in (".xlsx", ".csv"):
        from maturity_core.questionnaire import (  # noqa: PLC0415
            read_questionnaire,
        )

        return read_questionnaire(path)
    return mc.Assessment.from_path(path)


def crosswalk_between(
    source: str, target: str, map_path: Path | None
) -> Crosswalk:
    """
    The crosswalk from pack *source* to pack *target*: the file of --map
    (reversed if it maps the other way), else one an installed pack ships.
    """
    from maturity_core import analysis  # noqa: PLC0415

    if map_path is not None:
        walk = analysis.Crosswalk.from_path(map_path)
        if (walk.source, walk.target) == (target, source):
            walk = walk.reversed()
        return walk
    try:
        return analysis.find_crosswalk(source, target)
    except NotFoundError:
        msg = (
            f"no installed pack ships a crosswalk between {source} "
            f"and {target}; give one with --map FILE"
        )
        raise UsageError(msg) from None
