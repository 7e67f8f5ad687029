"""
Reading and writing the library's files, for programs built on it (the
``maturity`` command line is one).

Every input goes through the one safe reader (regular files only, a hard
size bound, strict JSON); every output goes through the one atomic
writer (a temporary file renamed into place).  Inside
:func:`command_files` every input read is recorded, and
:func:`check_outputs` refuses an output that would replace one::

    >>> from maturity_core import io
    >>> with io.command_files():  # doctest: +SKIP
    ...     data = io.read_json(path)
    ...     io.check_outputs([out])
    ...     io.write_text(out, io.dumps(data))

Numbers are shown with :func:`decimal` (truncated, never rounded across a
threshold) and :func:`exact`; text from a file is made safe for a
terminal with :func:`printable`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from ._files import check_outputs, command_files, write_bytes, write_text
from ._format import decimal, exact
from ._jsonio import dumps, read_json
from ._lifecycle import parse_date
from ._text import is_language_tag, printable


__all__ = [
    "check_outputs",
    "command_files",
    "decimal",
    "dumps",
    "exact",
    "is_language_tag",
    "parse_date",
    "printable",
    "read_json",
    "write_bytes",
    "write_text",
]
