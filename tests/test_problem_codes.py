"""Problem codes: one registry, and every code the core reports is in it."""

from __future__ import annotations

import ast
from pathlib import Path

import maturity_core
from maturity_core.exceptions import PROBLEM_CODES, Problem


PACKAGE = Path(maturity_core.__file__).parent

# Helpers that build a Problem from their arguments: name -> position of
# the code argument.
BUILDERS = {"Problem": 2, "_at": 3}


def _code_literals() -> dict[str, list[str]]:
    """Every literal code passed to Problem (or a builder), and where."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if name not in BUILDERS:
                continue
            position = BUILDERS[name]
            arg = (
                node.args[position]
                if len(node.args) > position
                else next(
                    (k.value for k in node.keywords if k.arg == "code"), None
                )
            )
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
                found.setdefault(arg.value, []).append(where)
    return found


def test_every_code_the_core_reports_is_registered():
    """No Problem in the source carries a code missing from the registry."""
    used = _code_literals()

    assert {} == {c: w for c, w in used.items() if c not in PROBLEM_CODES}


def test_every_registered_code_is_reported_somewhere():
    """The registry holds no code that nothing reports."""
    used = _code_literals()

    assert set() == set(PROBLEM_CODES) - set(used)


def test_every_code_has_a_meaning():
    """Each registered code has a non-empty meaning."""
    assert [] == [c for c, m in PROBLEM_CODES.items() if not m.strip()]


def test_codes_are_lowercase_words_joined_by_hyphens():
    """Codes have one spelling style, for scripts that match on them."""
    assert [] == [
        c
        for c in PROBLEM_CODES
        if not all(part.isalpha() and part.islower() for part in c.split("-"))
    ]


def test_a_reported_problem_carries_a_registered_code():
    """Problems of a real invalid assessment carry registered codes."""
    pack = maturity_core.load_pack("db12t1073")
    bad = maturity_core.blank_assessment(pack, "discrete")
    bad["ratings"][0]["rating"] = "excellent"
    bad["ratings"].append({"id": "no-such-requirement", "rating": "full"})
    assessment = maturity_core.Assessment.from_dict(bad)
    problems = list(
        maturity_core.iter_assessment_problems(
            pack, assessment, pack.get_profile("discrete")
        )
    )

    assert {"invalid-rating", "unknown-requirement"} <= {
        p.code for p in problems
    }
    assert all(isinstance(p, Problem) for p in problems)
    assert [] == [p.code for p in problems if p.code not in PROBLEM_CODES]
