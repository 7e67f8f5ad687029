"""
The table of commands: every command of ``maturity``, its options and
the function that runs it, in the order ``maturity --help`` lists them.
"""

from __future__ import annotations

import argparse
from fractions import Fraction
from pathlib import Path

from . import _analysis, _assess, _batch, _pack, _populations, _report
from ._options import (
    ASSESSMENT,
    DEFAULT_PROFILE,
    FORMAT,
    LANG,
    OUTPUT,
    OVERLAY,
    PACK,
    PACK_OPTIONS,
    PROFILE,
    RULE,
    TRUST,
    UNRATED,
    Command,
    option,
)


PACK_REF = option(
    "pack", help="installed pack id, or a pack path such as ./DIR"
)
VERSION_REF = "pack id, or a pack path such as ./DIR"

COMMANDS: tuple[Command, ...] = (
    Command(
        "packs",
        "list installed model packs",
        _pack.packs,
        (FORMAT,),
        text=_pack.show_packs,
    ),
    Command(
        "template",
        "write a blank assessment for a pack and profile",
        _assess.template,
        (
            PACK_REF,
            TRUST,
            DEFAULT_PROFILE,
            LANG,
            option(
                "--format",
                choices=("json", "xlsx", "csv"),
                default=None,
                help="json (default), or a questionnaire: xlsx, csv "
                "(default: from the output file's suffix)",
            ),
            OUTPUT,
        ),
        output="output",
    ),
    Command(
        "score",
        "score an assessment exactly",
        _assess.score,
        (
            ASSESSMENT.but(help="assessment JSON file"),
            *PACK_OPTIONS,
            RULE,
            UNRATED,
            OVERLAY.but(help="apply an overlay file to the pack (repeatable)"),
            FORMAT,
            LANG,
            OUTPUT,
        ),
        text=_assess.show_score,
        output="output",
    ),
    Command(
        "crosswalk",
        "carry an assessment to another pack and score both",
        _analysis.crosswalk,
        (
            ASSESSMENT,
            option(
                "--to", required=True, help="target pack id, or a pack path"
            ),
            PACK,
            TRUST,
            option(
                "--map", type=Path, help="crosswalk file (default: shipped)"
            ),
            PROFILE.but(help="target profile"),
            option(
                "--relation",
                action="append",
                choices=("equal", "subset", "superset", "intersects"),
                help="relations whose ratings are carried (default: equal)",
            ),
            option(
                "--carried-out",
                type=Path,
                help="write the carried assessment here",
            ),
            option(
                "--out",
                type=Path,
                help="carry a population file (.parquet/.csv, the input of "
                "`maturity batch`) instead of an assessment and write it "
                "here",
            ),
            option(
                "--from-profile",
                help="with --out: the population's profile (default: the "
                "pack's)",
            ),
            option(
                "--key",
                action="append",
                default=[],
                help="with --out: a key column to copy (repeatable)",
            ),
            FORMAT,
        ),
        text=_analysis.show_crosswalk,
        description="Carry an assessment's ratings to another pack through "
        "a crosswalk (equal mappings only, unless --relation adds more) and "
        "show both results side by side, with what could not be carried.",
    ),
    Command(
        "report",
        "diagnostic report: Markdown, self-contained HTML, PDF or JSON",
        _report.report,
        (
            ASSESSMENT,
            *PACK_OPTIONS,
            option(
                "--format", choices=("md", "html", "pdf", "json"), default="md"
            ),
            LANG,
            option("--target", type=int, help="plan target level"),
            option(
                "--effort",
                type=Path,
                help="JSON object: requirement id -> effort, for the roadmap",
            ),
            OUTPUT.but(
                help="write here (Markdown: the chart goes beside it as PNG)"
            ),
        ),
        output="output",
        outputs=_report.report_outputs,
    ),
    Command(
        "plan",
        "the smallest set of upgrades that reaches a level",
        _analysis.plan,
        (
            ASSESSMENT,
            *PACK_OPTIONS,
            option(
                "--target", type=int, help="level to reach (default: next)"
            ),
            option(
                "--effort",
                type=Path,
                help="JSON object: requirement id -> effort (default 1 each)",
            ),
            FORMAT,
        ),
        text=_analysis.show_plan,
    ),
    Command(
        "consolidate",
        "merge several assessors' ratings; report disagreement",
        _analysis.consolidate,
        (
            option(
                "assessments",
                type=Path,
                nargs="+",
                help="one file per assessor",
            ),
            PACK,
            TRUST,
            option(
                "--rule",
                choices=("consensus", "median"),
                default="consensus",
                help="consensus (all agree, default) or median (lower median)",
            ),
            option(
                "--allow-disagreement",
                action="store_true",
                help="with consensus, leave disputed requirements unrated",
            ),
            OUTPUT.but(help="write the consolidated assessment"),
            FORMAT,
        ),
        text=_analysis.show_consolidate,
    ),
    Command(
        "compare",
        "compare two assessments of the same pack",
        _analysis.compare,
        (
            option("before", type=Path, help="the earlier assessment"),
            option("after", type=Path, help="the later assessment"),
            PACK,
            TRUST,
            option(
                "--allow-profile-change",
                action="store_true",
                help="compare even if the profiles differ",
            ),
            FORMAT,
        ),
        text=_analysis.show_compare,
    ),
    Command(
        "pack",
        "tools for pack authors",
        _pack.pack,
        tool_dest="pack_command",
        tools=(
            Command(
                "new",
                "scaffold a pack distribution",
                _pack.new,
                (
                    option(
                        "id",
                        help="the new pack id (lower-case letters, digits)",
                    ),
                    option(
                        "--dir",
                        type=Path,
                        default=Path(),
                        help="parent folder",
                    ),
                ),
                text=_pack.show_new,
            ),
            Command(
                "check",
                "report every problem of a pack with its JSON path",
                _pack.check,
                (
                    option(
                        "path",
                        type=Path,
                        help="the pack distribution's root (with "
                        "pyproject.toml), its package folder (with "
                        "pack.json), or the pack.json",
                    ),
                    TRUST,
                    FORMAT,
                ),
                text=_pack.show_check,
            ),
            Command(
                "doc",
                "render a pack as the standard's tables (Markdown/HTML)",
                _pack.doc,
                (
                    PACK_REF.but(help=VERSION_REF),
                    TRUST,
                    option("--format", choices=("md", "html"), default="md"),
                    option("-o", "--output", type=Path),
                ),
                output="output",
            ),
            Command(
                "diff",
                "what changed between two pack versions",
                _pack.diff,
                (
                    option("old", help=VERSION_REF),
                    option("new", help=VERSION_REF),
                    TRUST,
                    FORMAT,
                ),
                text=_pack.show_diff,
            ),
        ),
    ),
    Command(
        "migrate",
        "carry an assessment forward to a new version of its pack",
        _analysis.migrate,
        (
            ASSESSMENT,
            option("--to", help="the new pack (default: the installed one)"),
            TRUST,
            OUTPUT.but(help="write the migrated assessment"),
            FORMAT,
        ),
        text=_analysis.show_migrate,
    ),
    Command(
        "verify",
        "re-score an assessment and compare with a recorded result",
        _assess.verify,
        (
            option("result", type=Path, help="recorded result JSON"),
            ASSESSMENT.but(help="the assessment it scored"),
            PACK.but(help="pack id or path (default: recorded)"),
            TRUST,
            OVERLAY,
            FORMAT,
        ),
        text=_assess.show_verify,
    ),
    Command(
        "status",
        "is a graded result current, due for re-review or expired?",
        _assess.status,
        (
            option(
                "result", type=Path, help="result JSON (score --format json)"
            ),
            option(
                "--on", help="the day to check (default: today), YYYY-MM-DD"
            ),
            option(
                "--reviewed",
                action="append",
                default=[],
                help="a re-review already done, YYYY-MM-DD (repeatable)",
            ),
            FORMAT,
        ),
        text=_assess.show_status,
    ),
    Command(
        "change",
        "check a renewal, upgrade or downgrade request",
        _assess.change,
        (
            option("previous", type=Path, help="previous result JSON"),
            ASSESSMENT.but(help="the new assessment"),
            option(
                "--request",
                required=True,
                choices=("renewal", "upgrade", "downgrade"),
            ),
            PACK,
            TRUST,
            FORMAT,
        ),
        text=_assess.show_change,
    ),
    Command(
        "group",
        "score a standard group (标准群) for one organisation",
        _analysis.group,
        (option("group", type=Path, help="group JSON file"), FORMAT),
        text=_analysis.show_group,
    ),
    Command(
        "batch",
        "score a wide Parquet or CSV file of many assessments",
        _batch.batch,
        (
            option(
                "input",
                type=Path,
                help="input .parquet or .csv file, or a directory of them",
            ),
            PACK.but(required=True, help="pack id or path"),
            TRUST,
            DEFAULT_PROFILE,
            RULE,
            option(
                "--out",
                required=True,
                type=Path,
                help="output .parquet or .csv (a directory for a directory "
                "input)",
            ),
            option(
                "--key",
                action="append",
                default=[],
                help="a key column to copy to the output (repeatable)",
            ),
            option(
                "--tailor",
                action="append",
                default=[],
                metavar="NODE=REASON",
                help="tailor a node out of every assessment (repeatable)",
            ),
            option(
                "--chunk-rows",
                type=int,
                default=65_536,
                help="rows read, scored and written at a time "
                "(default: 65536)",
            ),
            UNRATED.but(
                help="unrated cells: error (default) or none (lowest rating)"
            ),
            option(
                "--progress",
                action=argparse.BooleanOptionalAction,
                default=None,
                help="show a progress bar (default: when stderr is a "
                "terminal)",
            ),
            option(
                "--node-totals",
                action="store_true",
                help="add each node's own total and level as columns "
                "(total:NODE, level:NODE)",
            ),
            option(
                "--float",
                dest="floats",
                action="store_true",
                help="add a float64 column NAME_float after each exact "
                "column (for plotting; the exact text stays canonical)",
            ),
            option(
                "--workers",
                type=int,
                default=None,
                help="threads scoring chunks at once (default: one per core)",
            ),
            option(
                "--dask",
                metavar="SCHEDULER",
                help="score a directory of files on the Dask cluster of "
                "this scheduler address, into a directory of Parquet files",
            ),
            FORMAT,
        ),
        text=_batch.show_batch,
        description="Score every row of a wide table (one column per "
        "requirement id, rating ids as values) with exact integer "
        "arithmetic, streaming chunk by chunk.",
    ),
    Command(
        "synth",
        "write a synthetic population (Parquet or CSV) for a pack",
        _populations.synth,
        (
            PACK_REF,
            TRUST,
            DEFAULT_PROFILE,
            option("--rows", type=int, required=True, help="how many rows"),
            option(
                "--out",
                required=True,
                type=Path,
                help="output .parquet or .csv",
            ),
            option("--seed", type=int, default=0, help="seed (default: 0)"),
            option(
                "--level-shares",
                metavar="LEVEL=SHARE,…",
                help="share of rows passing the gate at exactly LEVEL "
                "levels (0 = none), e.g. 0=0.2,1=0.4,2=0.4 (default: the "
                "pack's)",
            ),
            option(
                "--near-gate",
                type=_populations.fraction,
                help="share of rows whose deciding level score lies within "
                "--band of the gate (default: left to chance)",
            ),
            option(
                "--band",
                type=_populations.fraction,
                default=Fraction(1, 10),
                help="half-width of the band around the gate (default: 0.1)",
            ),
            option(
                "--na",
                type=_populations.fraction,
                default=Fraction(0),
                help="share of cells rated na where the rubric allows it",
            ),
            option(
                "--keys",
                default="",
                metavar="NAME,…",
                help="synthetic key columns: org (unique ids) and any "
                "grouping name (labels NAME-1 … NAME-5), e.g. "
                "org,region,industry",
            ),
            FORMAT,
        ),
        text=_populations.show_synth,
        description="Write synthetic assessments in the layout `maturity "
        "batch` reads, drawn from a documented model (see the batch "
        "documentation): level shares, rows near the gate, na cells. "
        "They describe no real organisation.",
    ),
    Command(
        "population",
        "summarise a population file: level shares, node statistics, "
        "weakest nodes, per group",
        _populations.population,
        (
            option("input", type=Path, help="input .parquet or .csv file"),
            PACK.but(required=True, help="pack id or path"),
            TRUST,
            DEFAULT_PROFILE,
            RULE,
            option(
                "--key",
                action="append",
                default=[],
                help="a key column of the file, not a rating (repeatable)",
            ),
            option(
                "--by",
                action="append",
                default=[],
                metavar="COLUMN",
                help="group by this key column too (repeatable)",
            ),
            UNRATED.but(
                help="unrated cells: error (default) or none (lowest rating)"
            ),
            option(
                "--out",
                type=Path,
                help="write the summary: .json or .md",
            ),
            option(
                "--chart",
                type=Path,
                help="write the population radar here (PNG; the report "
                "extra)",
            ),
            LANG,
            FORMAT,
        ),
        text=_populations.show_population,
        description="Score every row of a population file (the input of "
        "`maturity batch`) exactly and summarise it: level counts and "
        "shares, exact means and quantiles of S, of each level score and "
        "of each node, and the weakest leaves, overall and per value of "
        "each --by column.",
    ),
    Command(
        "validate",
        "check assessment files (or pack.json files) without scoring",
        _assess.validate,
        (option("files", type=Path, nargs="+"), *PACK_OPTIONS, FORMAT),
        text=_assess.show_validate,
    ),
)
