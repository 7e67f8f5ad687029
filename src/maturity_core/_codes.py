"""
The registry of problem codes: every ``Problem.code`` the core reports.

Codes are part of the ``--format json`` contract: a script may branch on
them, so a code never changes meaning.  Pack validators report codes of
their own (prefixed with the pack's name by convention); those are the
pack's to document.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final


PROBLEM_CODES: Final[Mapping[str, str]] = MappingProxyType(
    {
        # Reading JSON and spreadsheets
        "schema": "the data breaks the JSON Schema of its format (a "
        "missing or unknown field, a wrong type, a value outside the "
        "allowed set)",
        "lone-surrogate": "a string holds an unpaired UTF-16 surrogate, "
        "which no UTF-8 file can carry",
        "format-too-new": "the file's format number is newer than this "
        "core reads; upgrade maturity-core",
        "unreadable": "a pack's pack.json cannot be read or parsed",
        "empty-cell": "a questionnaire cell that must be filled in is "
        "empty",
        "duplicate-field": "a questionnaire gives a metadata field twice",
        "unknown-field": "a questionnaire names a metadata field the "
        "assessment format does not have",
        "inconsistent": "a questionnaire repeats a field in several rows "
        "with different values",
        "too-long": "a text is longer than an XLSX cell holds; use a CSV "
        "questionnaire",
        "unsupported": "a value cannot be written in the questionnaire "
        "format (an assessor name holding the list separator)",
        # Packs
        "id-mismatch": "the entry-point name differs from the pack's id",
        "duplicate-id": "an id (node, requirement, level, tailored node, "
        "profile) is given twice",
        "levels": "level numbers are not 1..N without gaps or repeats",
        "unknown-level": "a requirement or band names a level the pack "
        "does not have",
        "bands": "a level band is given twice or its bounds are out of "
        "order",
        "tiers": "the pack's tier names do not match the depths of its "
        "tree",
        "profiles": "more than one profile is marked default",
        "not-a-leaf": "a requirement belongs to a node that has children",
        "unknown-node": "a node id that the pack (or the profile's scope) "
        "does not have",
        "excluded-node": "a profile gives a weight to, or makes mandatory, "
        "a node it excludes",
        "missing-weight": "a node in a profile's scope has no weight",
        "weight-sum": "the weights of a parent's children do not sum to "
        "exactly 1",
        "empty-leaf": "a leaf in scope has no requirements",
        "empty-node": "a node in scope has no children left in scope",
        "out-of-range": "a number lies outside its allowed range (a gate "
        "outside (0, 1], a rating value outside [0, 1], a band bound)",
        "reserved-id": "a rubric uses the reserved rating id 'na' without "
        "allowing it",
        "unknown-rubric": "a requirement names a rubric the pack does not "
        "have",
        "missing-gate": "the level rule needs a gate and the method gives "
        "none",
        "unknown-aggregation": "the method names an aggregation that is "
        "not registered",
        "extension": "a pack's extension module cannot be imported",
        "untrusted-rule": "a level rule that only the pack's own code "
        "could register, and the pack's code is not trusted",
        "validator": "a pack validator cannot be imported or is not a "
        "function",
        # Assessments
        "wrong-pack": "the assessment (or result) is for another pack",
        "wrong-profile": "the assessment is for another profile than the "
        "one asked for",
        "pack-version": "the assessment was made for a pack version whose "
        "scores are not comparable with the installed one",
        "unknown-profile": "a profile id that the pack does not have",
        "unknown-rule": "a level rule name that is not registered",
        "out-of-scope": "a tailored node is not in the profile's scope",
        "mandatory-node": "a mandatory node is tailored out",
        "unknown-requirement": "a requirement id that the pack does not "
        "have",
        "duplicate-requirement": "a requirement is rated twice",
        "invalid-rating": "a rating that is not in the requirement's "
        "rubric",
        "mismatch": "a rating's node or level differs from its "
        "requirement's",
        "date": "a value is not a date (YYYY-MM-DD), or an end date is "
        "before its start",
        # Batch scoring
        "shape": "a ratings matrix has the wrong shape for the compiled "
        "model",
        "missing-requirement": "an in-scope requirement has no column in a "
        "batch input",
        "missing-key": "a key column named for a batch run is not in its "
        "input",
        # Analysis
        "levels-mismatch": "two results to compare come from packs with "
        "different levels",
        "profile-change": "two results to compare use different profiles",
        "too-few-assessments": "consolidation needs the assessments of at "
        "least two assessors",
        "organisation-mismatch": "assessments to consolidate are of "
        "different organisations",
        "profile-mismatch": "assessments to consolidate use different "
        "profiles",
        "tailoring-mismatch": "assessments to consolidate tailor out "
        "different nodes",
        "rule-mismatch": "assessments to consolidate use different level "
        "rules",
        "disagreement": "the assessors disagree on a rating and the rule "
        "keeps only agreed ratings",
        "unknown-id": "a crosswalk names a node or requirement its pack "
        "does not have",
        "group-path": "a standard group names a member file outside the "
        "group's folder",
        "group-member": "a scored member of a standard group lacks its "
        "pack or its assessment",
        "group-core": "a standard group has no member of the kind its "
        "policy builds it around",
        # Lifecycle and the command line
        "no-lifecycle": "the previous result has no lifecycle (its pack "
        "defines none, or its assessment had no date)",
        "unknown-pack": "a pack id that is not installed",
    }
)
