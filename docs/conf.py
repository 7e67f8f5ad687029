"""
Sphinx configuration for the maturity-core documentation.

Build the site and run every doctest (tutorials and docstrings) with::

    sphinx-build -W --keep-going -b html docs docs/_build/html
    sphinx-build -W --keep-going -b doctest docs docs/_build/doctest

Both need maturity-core and its first-party packs installed (``nox -s
docs`` installs them); nothing is fetched from the network at build time.
"""

# ruff: noqa: INP001 -- docs/ is a Sphinx source folder, not a package

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import ClassVar


DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent

# Local extension: CLI option tables from the real parser, and a check that
# every public name is documented (see _ext/maturity_docs.py).
sys.path.insert(0, str(DOCS / "_ext"))

# -- Project -----------------------------------------------------------------

project = "maturity-core"
author = "maturity-core developers"
copyright = "maturity-core developers"  # noqa: A001 -- Sphinx's name
try:
    release = version("maturity-core")
except PackageNotFoundError:  # building from a tree that is not installed
    release = "0.0.0"
version = ".".join(release.split(".")[:2])

# -- General -----------------------------------------------------------------

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "maturity_docs",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "_ext", "Thumbs.db", ".DS_Store"]
language = "en"

# The docs must build offline: no intersphinx inventories are fetched.
# Unresolved references are therefore plain text, so nitpicky stays off
# (it would flag every builtin and third-party type in a signature).
nitpicky = False

# Pages are written in Markdown (MyST) and used as they are.
myst_enable_extensions = ["colon_fence", "deflist"]
# Anchors for "## Heading" sections, so pages can link page.md#heading
# the way README.md does.
myst_heading_anchors = 3

# -- Autodoc and napoleon ----------------------------------------------------

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
autodoc_default_options = {"members": True}
autodoc_inherit_docstrings = False
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
napoleon_preprocess_types = False

# -- Doctest -----------------------------------------------------------------

# Doctests run with the repository root as the working directory, so the
# tutorials read examples/*.json exactly as the README does.
doctest_global_setup = f"""
import os
os.chdir({str(ROOT)!r})
import maturity_core as mc
from maturity_core import *
"""
doctest_test_doctest_blocks = "default"

# -- HTML --------------------------------------------------------------------

html_theme = "furo"
html_title = f"maturity-core {release}"
html_static_path: list[str] = []


# -- Workarounds -------------------------------------------------------------


def setup(app):
    from pygments.lexer import inherit  # noqa: PLC0415
    from pygments.lexers.configs import TOMLLexer  # noqa: PLC0415
    from pygments.token import Name  # noqa: PLC0415

    class PlaceholderTOMLLexer(TOMLLexer):
        # pack-format.md shows the entry point with "<id>" placeholders,
        # which are not TOML; read them as names instead of failing (and
        # warning) on the "<".
        tokens: ClassVar = {"key": [(r"<[\w-]+>", Name.Variable), inherit]}

    app.add_lexer("toml", PlaceholderTOMLLexer)
