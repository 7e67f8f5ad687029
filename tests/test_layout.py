"""The package layout: a small kernel, feature subpackages, a thin CLI."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import maturity_core


PACKAGE = Path(maturity_core.__file__).parent

HEAVY = (
    "numpy", "pandas", "matplotlib", "openpyxl", "pyarrow", "dask",
    "fontTools", "weasyprint",
)

WINGS = ("batch", "analysis", "report", "questionnaire", "authoring")

# Layers, bottom up (DESIGN.md section 2).  A module may import from its
# own layer and the layers below it, never from a layer above.
LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "plumbing",
        frozenset(
            {
                "_text",
                "_format",
                "_jsonio",
                "_files",
                "_schema",
                "_escape",
                "_codes",
                "exceptions",
            }
        ),
    ),
    # Level rules and aggregations are objects over plain numbers, below
    # the model: packs and assessments name them, the semantics runs them.
    ("rules", frozenset({"_rules"})),
    ("model", frozenset({"_model", "_assessment"})),
    # Packs: discovery, loading and caching; their checks; and the policy
    # a pack declares for a graded result (its lifecycle), which a result
    # reports.
    ("packs", frozenset({"_packs", "_packcheck", "_lifecycle"})),
    ("semantics", frozenset({"_semantics"})),
    # A result and its record, then the scoring that makes one.
    ("result", frozenset({"_result"})),
    ("scoring", frozenset({"_scoring"})),
    (
        "kernel extras",
        frozenset({"_overlay", "_verify", "typing", "testing", "io"}),
    ),
    ("kernel API", frozenset({"__init__"})),
    ("wings", frozenset(WINGS)),
    ("cli", frozenset({"cli"})),
)

KERNEL_LAYERS = 9


def _unit(module: str) -> str:
    """The layer unit of a dotted module name inside maturity_core."""
    parts = module.split(".")
    if parts == ["maturity_core"]:
        return "__init__"
    return parts[1]


def _layer(unit: str) -> int:
    for i, (_, members) in enumerate(LAYERS):
        if unit in members:
            return i
    msg = f"maturity_core.{unit} is in no layer of tests/test_layout.py"
    raise AssertionError(msg)


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.append((".".join(["maturity_core", *parts]), path))
    return out


def _imports(module: str, path: Path) -> set[str]:
    """Every maturity_core module *path* imports, anywhere in the file."""
    known = {m for m, _ in _modules()}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                prefix = ".".join(base[: len(base) - node.level + 1])
                target = f"{prefix}.{node.module}" if node.module else prefix
            else:
                target = node.module or ""
            subs = [f"{target}.{a.name}" for a in node.names]
            modules = [n for n in subs if n in known]
            found.update(modules)
            if len(modules) < len(subs):
                found.add(target)
    return {n for n in found if n in known}


def _edges() -> list[tuple[str, str]]:
    return sorted(
        (module, imported)
        for module, path in _modules()
        for imported in _imports(module, path)
        if _unit(imported) != _unit(module)
    )


class TestRoot:
    def test_exports_the_kernel_api_in_forty_names_or_fewer(self):
        """The root __all__ holds at most 40 names."""
        assert len(maturity_core.__all__) <= 40

    def test_import_loads_no_heavy_extra(self):
        """Importing the root loads none of the optional extras."""
        code = (
            "import maturity_core, sys; print(sorted(m for m in sys.modules "
            f"if m.split('.')[0] in {set(HEAVY)!r}))"
        )

        out = subprocess.run(
            [sys.executable, "-c", code],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

        assert "[]\n" == out

    @pytest.mark.parametrize("wing", ["analysis", "authoring"])
    def test_wings_without_an_extra_load_no_heavy_extra(self, wing):
        """A wing that needs no extra (analysis, authoring) imports none,
        so a core-only install can plan, compare and consolidate."""
        code = (
            f"import maturity_core.{wing}, sys; print(sorted(m for m in "
            f"sys.modules if m.split('.')[0] in {set(HEAVY)!r}))"
        )

        out = subprocess.run(
            [sys.executable, "-c", code],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

        assert "[]\n" == out

    def test_import_loads_no_feature_subpackage(self):
        """Importing the root loads the kernel only, no subpackage."""
        code = (
            "import maturity_core, sys; print(sorted(m for m in sys.modules "
            f"if m.split('.')[:2] in [['maturity_core', w] for w in {WINGS!r}"
            " + ('cli',)]))"
        )

        out = subprocess.run(
            [sys.executable, "-c", code],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

        assert "[]\n" == out

    @pytest.mark.parametrize("wing", [*WINGS, "typing", "testing"])
    def test_subpackage_is_an_attribute_of_the_root(self, wing):
        """maturity_core.<wing> works after a bare ``import maturity_core``."""
        assert importlib.import_module(f"maturity_core.{wing}") is getattr(
            maturity_core, wing
        )

    def test_moved_name_warns_and_resolves(self):
        """A name that moved to a subpackage still resolves, with a warning."""
        from maturity_core.analysis import gap_analysis  # noqa: PLC0415

        with pytest.warns(DeprecationWarning, match="maturity_core.analysis"):
            old = maturity_core.gap_analysis

        assert gap_analysis is old

    def test_unknown_name_is_an_attribute_error(self):
        """A name that never existed raises AttributeError."""
        with pytest.raises(AttributeError, match="no_such_name"):
            _ = maturity_core.no_such_name


class TestWings:
    @pytest.mark.parametrize(
        "module", [*(f"maturity_core.{w}" for w in WINGS), "maturity_core.typing"]
    )
    def test_public_names_exist(self, module):
        """Every name in a subpackage's __all__ is unique and resolves."""
        mod = importlib.import_module(module)

        assert sorted(set(mod.__all__)) == sorted(mod.__all__)
        assert all(hasattr(mod, n) for n in mod.__all__)

    @pytest.mark.parametrize("wing", WINGS)
    def test_modules_of_a_wing_are_private(self, wing):
        """A wing's modules are private; its __init__ is the public face."""
        names = {p.name for p in (PACKAGE / wing).glob("*.py")}

        assert set() == {
            n for n in names if not n.startswith("_")
        }


class TestImportGraph:
    def test_every_module_has_a_layer(self):
        """Every module of the package is in one layer of the table."""
        units = {_unit(m) for m, _ in _modules()}

        assert set() == {u for u in units if not any(
            u in members for _, members in LAYERS
        )}

    def test_no_kernel_module_imports_a_wing(self):
        """The kernel never imports a feature subpackage or the CLI."""
        assert [] == [
            (a, b)
            for a, b in _edges()
            if _layer(_unit(a)) < KERNEL_LAYERS
            and _layer(_unit(b)) >= KERNEL_LAYERS
        ]

    def test_no_module_imports_from_a_layer_above(self):
        """Every import points down the layers or stays in its layer."""
        assert [] == [
            (a, b)
            for a, b in _edges()
            if _layer(_unit(b)) > _layer(_unit(a))
        ]

    def test_wings_use_no_private_cli_module(self):
        """No subpackage reaches into the CLI."""
        assert [] == [
            (a, b)
            for a, b in _edges()
            if _unit(b) == "cli" and _unit(a) != "cli"
        ]

    def test_the_cli_uses_only_public_modules(self):
        """The CLI imports no private module outside its own package."""
        assert [] == [
            (a, b)
            for a, b in _edges()
            if _unit(a) == "cli"
            and _unit(b) != "cli"
            and any(p.startswith("_") for p in b.split(".")[1:])
        ]
