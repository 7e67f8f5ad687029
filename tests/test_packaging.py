"""Packaging: version metadata and shipped files."""

from __future__ import annotations

from importlib import metadata
from importlib.resources import files

import maturity_core


def test_version_comes_from_metadata(recwarn):
    """__version__ is the installed distribution's version, no warning."""
    assert metadata.version("maturity-core") == maturity_core.__version__
    assert 0 == len(recwarn)


def test_schemas_and_typing_marker_ship():
    """The JSON Schemas and py.typed are in the installed package."""
    pkg = files("maturity_core")

    assert pkg.joinpath("py.typed").is_file()
    assert all(
        pkg.joinpath("schemas", f"{n}.schema.json").is_file()
        for n in ("pack", "assessment", "result")
    )


def test_public_names_are_sorted_and_exist():
    """__all__ is sorted and every name in it resolves."""
    names = maturity_core.__all__

    assert sorted(names) == names
    assert all(hasattr(maturity_core, n) for n in names)
