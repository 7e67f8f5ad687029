"""
What a command returns and the formatters that turn it into output: JSON
with exact strings for every number, or plain text for people (rich
tables, never terminal control sequences).
"""

from __future__ import annotations

import argparse
from io import StringIO
from typing import Any, Protocol

import attrs

from maturity_core.io import dumps, printable

from ._options import Command


EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


@attrs.frozen
class Outcome:
    """
    What a command returns: a *value* for the formatters (an object of
    the public API with a ``to_dict()``, or plain JSON-ready data) and
    the exit status; or a finished *document* (Markdown, HTML, a JSON
    template) that is written as it is, whatever the format.
    """

    value: Any = None
    status: int = EXIT_OK
    document: str | None = None


class UsageError(Exception):
    """A command was asked for something it cannot do (exit status 2)."""


class Formatter(Protocol):
    """Turns a command's value into the text written out."""

    def format(
        self, command: Command, value: Any, args: argparse.Namespace
    ) -> str: ...


def plain(value: Any) -> Any:
    """The JSON-ready data of *value* (its ``to_dict()`` if it has one)."""
    to_dict = getattr(value, "to_dict", None)
    return to_dict() if callable(to_dict) else value


@attrs.frozen
class JsonFormatter:
    """Deterministic JSON: sorted keys, exact strings for numbers."""

    def format(
        self, command: Command, value: Any, args: argparse.Namespace
    ) -> str:
        """The JSON text of *value*."""
        del command, args
        return dumps(plain(value))


@attrs.frozen
class TextFormatter:
    """The command's text view, with terminal control sequences removed."""

    def format(
        self, command: Command, value: Any, args: argparse.Namespace
    ) -> str:
        """The text view of *value*."""
        if command.text is None:
            return ""
        buffer = StringIO()
        command.text(value, args, buffer)
        return printable(buffer.getvalue())


def formatter_for(args: argparse.Namespace) -> Formatter:
    """The formatter ``--format`` asks for (text unless json)."""
    if getattr(args, "format", None) == "json":
        return JsonFormatter()
    return TextFormatter()
