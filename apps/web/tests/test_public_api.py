"""The service is built on maturity-core's public API only."""

from __future__ import annotations

import ast
from importlib.resources import files

import pytest


SOURCES = sorted(
    p
    for p in files("maturity_web").rglob("*.py")  # type: ignore[attr-defined]
)


def _imported(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names += [f"{node.module}.{a.name}" for a in node.names]
    return names


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_imports_no_private_module_of_the_core(path):
    """No import names a private (underscored) part of maturity_core."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    private = [
        name
        for name in _imported(tree)
        if name.split(".")[0] == "maturity_core"
        and any(part.startswith("_") for part in name.split(".")[1:])
    ]

    assert [] == private


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_reaches_no_private_attribute_of_the_core(path):
    """No attribute access reaches a private part (``mc._x``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    private = [
        ast.unparse(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
        and isinstance(node.value, ast.Name)
        and node.value.id
        in (
            "mc",
            "maturity_core",
            "analysis",
            "batch",
            "report",
            "questionnaire",
        )
    ]

    assert [] == private


def test_every_module_is_checked():
    """The scan sees the service's modules."""
    assert {"app.py", "service.py", "population.py"} <= {
        p.name for p in SOURCES
    }


def test_importing_the_service_uses_only_public_names():
    """Every maturity_core name the service uses is in a public __all__."""
    import maturity_core as mc
    from maturity_core import analysis, batch, questionnaire, report

    used = {
        "mc": mc,
        "analysis": analysis,
        "batch": batch,
        "report": report,
        "questionnaire": questionnaire,
    }
    missing = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in used
                and node.attr not in getattr(used[node.value.id], "__all__")
                and node.attr
                not in ("analysis", "batch", "report", "questionnaire")
            ):
                missing.append(f"{path.name}: {ast.unparse(node)}")

    assert [] == missing
