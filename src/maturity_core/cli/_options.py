"""
The declarative option table: :class:`Option` and :class:`Command`
records, the options several commands share, and the argparse parser
built from a table of commands.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

import attrs

from maturity_core.io import is_language_tag
from maturity_core.typing import UNRATED_POLICIES


if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    from ._output import Outcome


@attrs.frozen
class Option:
    """
    One argument of a command: its flags (or its name, for a positional)
    and the keyword arguments of :meth:`argparse.ArgumentParser.add_argument`.
    """

    flags: tuple[str, ...]
    settings: tuple[tuple[str, Any], ...] = ()

    def but(self, **settings: Any) -> Option:
        """This option with some settings replaced (a help text, a default)."""
        return attrs.evolve(
            self, settings=tuple((dict(self.settings) | settings).items())
        )

    def add_to(self, parser: argparse.ArgumentParser) -> None:
        """Declare this option on *parser*."""
        # A list default (append options) is copied, so no two parsers
        # share it.
        kwargs: dict[str, Any] = {
            k: list(v) if isinstance(v, list) else v
            for k, v in self.settings
        }
        parser.add_argument(*self.flags, **kwargs)


def option(*flags: str, **settings: Any) -> Option:
    """An :class:`Option` with *flags* and ``add_argument`` *settings*."""
    return Option(flags, tuple(settings.items()))


#: What a command does: parsed arguments in, an outcome out.
Action = Callable[[argparse.Namespace], "Outcome"]

#: How the text formatter shows a command's value on a stream.
TextView = Callable[[Any, argparse.Namespace, IO[str]], None]


@attrs.frozen
class Command:
    """
    One command of the table: its name, help, options, the function that
    runs it and the view the text formatter uses for what it returns.

    ``output`` names the option whose file receives the command's output
    instead of standard output (``-o``); ``outputs`` lists any further
    files a command writes (beyond its options of type path), so that
    none replaces an input; ``tools`` are subcommands (``pack new``).
    """

    name: str
    help: str
    run: Action
    options: tuple[Option, ...] = ()
    text: TextView | None = None
    description: str | None = None
    output: str | None = None
    outputs: Callable[[argparse.Namespace], list[Path]] | None = None
    tools: tuple[Command, ...] = ()
    tool_dest: str = "tool"


def _language(text: str) -> str:
    if not is_language_tag(text):
        msg = f"{text!r} is not a BCP 47 language tag (e.g. zh, en, zh-Hant)"
        raise argparse.ArgumentTypeError(msg)
    return text


# The options several commands share, declared once.

PACK = option(
    "--pack",
    help="installed pack id, or a pack path (./DIR, a pack.json, or a "
    "pack distribution's root) to use instead of the assessment's pack",
)
TRUST = option(
    "--trust-code",
    action="store_true",
    help="run the code of a pack given as a path: import its extension "
    "modules and run its validators (installed packs always run theirs)",
)
PROFILE = option("--profile", help="weight profile to use")
DEFAULT_PROFILE = PROFILE.but(help="weight profile (default: the pack's)")
RULE = option("--rule", help="level rule (default: the pack's)")
LANG = option(
    "--lang",
    type=_language,
    default=None,
    help="language of names and labels, a BCP 47 tag (default: the "
    "pack's main language)",
)
FORMAT = option(
    "--format",
    choices=("text", "json"),
    default="text",
    help="text for people (default) or json with exact strings",
)
OUTPUT = option("-o", "--output", type=Path, help="write to this file")
UNRATED = option(
    "--unrated",
    choices=UNRATED_POLICIES,
    default="error",
    help="how to treat unrated requirements (default: error)",
)
OVERLAY = option("--overlay", action="append", default=[], type=Path)
ASSESSMENT = option("assessment", type=Path)

#: --pack, --trust-code and --profile, in that order.
PACK_OPTIONS = (PACK, TRUST, PROFILE)


class _Exit(Exception):  # noqa: N818 -- internal control flow, not an error
    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


class Parser(argparse.ArgumentParser):
    """
    An argument parser that writes to the streams of its run and raises
    instead of exiting.
    """

    # Each run builds its parser from a subclass of its own that holds
    # that run's streams (subparsers share their parent's class), so runs
    # never share state.
    stream: IO[str] = sys.stderr
    out: IO[str] = sys.stdout

    def _print_message(
        self, message: str, file: SupportsWrite[str] | None = None
    ) -> None:
        if message:
            (self.stream if file is not sys.stdout else self.out).write(
                message
            )

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self.stream.write(message)
        raise _Exit(status)


def _add_commands(
    parser: argparse.ArgumentParser,
    commands: Iterable[Command],
    dest: str,
    metavar: str,
) -> None:
    sub = parser.add_subparsers(dest=dest, metavar=metavar)
    for command in commands:
        p = sub.add_parser(
            command.name, help=command.help, description=command.description
        )
        for opt in command.options:
            opt.add_to(p)
        p.set_defaults(command_entry=command)
        if command.tools:
            _add_commands(p, command.tools, command.tool_dest, "TOOL")


def build_parser(
    commands: Sequence[Command],
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> Parser:
    """The parser of *commands*, writing to *stdout* and *stderr*."""
    streams = {"out": stdout or sys.stdout, "stream": stderr or sys.stderr}
    parser_class: type[Parser] = type("_RunParser", (Parser,), streams)
    parser = parser_class(
        prog="maturity",
        description="Score organisations against capability-maturity "
        "standards installed as model packs.",
    )
    parser.add_argument(
        "--version", action="store_true", help="print the version and exit"
    )
    _add_commands(parser, commands, "command", "COMMAND")
    return parser
