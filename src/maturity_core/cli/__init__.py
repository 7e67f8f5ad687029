"""
The ``maturity`` command line: thin clients of the public API.

Exit status: 0 success, 1 invalid input (the message names the file and
the JSON path), 2 usage error (including an output that cannot be written
where asked, or that would replace one of the command's inputs), 130
interrupted (Ctrl-C), 143 terminated (SIGTERM).  ``--format json`` gives
exact strings for every number; text output has terminal control
sequences removed.

How it is built:

* ``_table.py`` is the table of commands: a :class:`~._options.Command`
  record per command (name, help, options, the function that runs it,
  its text view).  Options several commands share (``--pack``,
  ``--trust-code``, ``--profile``, ``--lang``, ``--format``, ``-o``...)
  are declared once in ``_options.py``; ``opt.but(help=...)`` adapts one.
* One module per command group (``_assess``, ``_analysis``, ``_batch``,
  ``_populations``, ``_report``, ``_pack``) holds the command
  functions.  A command takes the parsed arguments, calls the public API
  only (never a private ``maturity_core._x`` module) and returns an
  ``Outcome``: a value (an API object with ``to_dict()``, or JSON-ready
  data) and the exit status, or a finished document (Markdown, HTML).
* ``_output.py`` holds the formatters: JSON writes ``to_dict()`` of the
  value; text calls the command's view, ``show_x(value, args, out)``.
  ``run`` writes the output to standard output, or atomically to the
  file of the command's ``output`` option.

To add a command, write its function (and its text view) in the module of
its group, and add one ``Command(...)`` entry to ``COMMANDS`` in
``_table.py``; the parser, ``--format json``, ``-o``, the exit statuses
and the check that no output replaces an input come with it.  A command
raises a :class:`~maturity_core.MaturityCoreError` for invalid input
(exit 1) and ``UsageError`` from ``_output.py`` for a usage error (2).

``run(argv)`` is re-entrant: each call builds its own parser and keeps
its state in its own call, so calls may run in threads side by side.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, NoReturn

from maturity_core.exceptions import MaturityCoreError, OutputError
from maturity_core.io import (
    check_outputs,
    command_files,
    printable,
    write_text,
)

from ._options import Command, Parser, _Exit, build_parser
from ._output import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    Outcome,
    UsageError,
    formatter_for,
)
from ._table import COMMANDS


__all__ = ["main", "run"]


def _parser(
    stdout: IO[str] | None = None, stderr: IO[str] | None = None
) -> Parser:
    """The parser of every command, writing to *stdout* and *stderr*."""
    return build_parser(COMMANDS, stdout, stderr)


def run(
    argv: Sequence[str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    """
    Run the command line with *argv*, writing to *stdout* and *stderr*.

    Returns the exit status instead of exiting.  Re-entrant: calls share
    no state, so several may run at once.

    .. versionadded:: 0.1.0
    """
    stdout = stdout if stdout is not None else sys.stdout
    stderr = stderr if stderr is not None else sys.stderr
    parser = _parser(stdout, stderr)
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except _Exit as e:
        return e.status
    if args.version:
        from maturity_core import __version__  # noqa: PLC0415

        stdout.write(f"maturity-core {__version__}\n")
        return EXIT_OK
    if args.command is None:
        parser.print_usage(stderr)
        stderr.write("maturity: error: a command is required\n")
        return EXIT_USAGE
    command: Command = args.command_entry
    _format_from_suffix(command, args, sys.argv[1:] if argv is None else argv)
    try:
        with command_files():
            check_outputs(*_named_files(command, args))
            outcome = command.run(args)
            _write(command, outcome, args, stdout)
            return outcome.status
    except (UsageError, OutputError) as e:
        stderr.write(f"maturity: error: {printable(str(e))}\n")
        return EXIT_USAGE
    except MaturityCoreError as e:
        stderr.write(f"maturity: error: {printable(str(e))}\n")
        return EXIT_INVALID


#: The format a file's suffix names, for commands with ``--format``.
_SUFFIX_FORMATS = {
    ".json": "json",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".txt": "text",
}


def _format_from_suffix(
    command: Command, args: argparse.Namespace, argv: Sequence[str]
) -> None:
    """
    Without ``--format``, the suffix of the output file chooses the format
    when it names one the command offers: ``-o report.html`` writes HTML,
    ``-o result.json`` JSON.  An explicit ``--format`` always wins.
    """
    given = any(
        len(flag) >= len("--fo") and "--format".startswith(flag)
        for flag in (str(token).split("=", 1)[0] for token in argv)
    )
    target = getattr(args, command.output, None) if command.output else None
    if given or not isinstance(target, Path):
        return
    fmt = _SUFFIX_FORMATS.get(target.suffix.lower())
    choices = next(
        (
            dict(opt.settings).get("choices", ())
            for opt in command.options
            if "--format" in opt.flags
        ),
        (),
    )
    if fmt is not None and fmt in choices:
        args.format = fmt


def _write(
    command: Command,
    outcome: Outcome,
    args: argparse.Namespace,
    stdout: IO[str],
) -> None:
    """
    Write the outcome: a document as it is, a value through the formatter
    of ``--format``; to the file of the command's output option if given,
    else to *stdout* (without terminal control sequences unless JSON).
    """
    if outcome.document is not None:
        text = outcome.document
    elif outcome.value is not None:
        text = formatter_for(args).format(command, outcome.value, args)
    else:
        return
    target = getattr(args, command.output, None) if command.output else None
    if target is not None:
        write_text(target, text)
        return
    if getattr(args, "format", "text") not in ("json", None):
        text = printable(text)
    stdout.write(text)


#: The options naming files a command writes.
_OUTPUTS = ("output", "out", "carried_out", "chart")


def _named_files(
    command: Command, args: argparse.Namespace
) -> tuple[list[Path], list[Path]]:
    """
    The files named on the command line: those it writes and those it
    reads.  Inputs found later (an installed pack, a group's members) are
    checked when each output is written.
    """
    outputs = [
        *(command.outputs(args) if command.outputs else []),
        *(
            getattr(args, name)
            for name in _OUTPUTS
            if getattr(args, name, None) is not None
        ),
    ]
    inputs = [
        value
        for name, given in vars(args).items()
        if name not in _OUTPUTS
        for value in (given if isinstance(given, list) else [given])
        if isinstance(value, Path)
    ]
    return outputs, inputs


class _Terminated(BaseException):
    """SIGTERM arrived: unwind, removing temporary files, and exit."""


def _terminate(signum: int, frame: object) -> None:  # noqa: ARG001
    raise _Terminated


def _stop(message: str, status: int) -> int:
    sys.stderr.write(f"maturity: {message}\n")
    return status


def _quiet_stdout() -> None:
    """Send what is left in stdout's buffer nowhere, so exiting is quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main() -> NoReturn:
    """
    The console-script entry point: Ctrl-C and SIGTERM end the command
    with one line on stderr (exit 130 and 143), after outputs being
    written have had their temporary files removed.
    """
    signal.signal(signal.SIGTERM, _terminate)
    try:
        status = run(sys.argv[1:])
        sys.stdout.flush()
    except KeyboardInterrupt:
        status = _stop("interrupted", 128 + signal.SIGINT)
    except _Terminated:
        status = _stop("terminated", 128 + signal.SIGTERM)
    except BrokenPipeError:
        # The reader (e.g. `head`) went away: stop quietly, as Unix tools do.
        _quiet_stdout()
        status = EXIT_OK
    except OSError as e:
        # Standard output failed (a full disk): one line, no traceback.
        _quiet_stdout()
        where = e.filename or "cannot write to standard output"
        status = _stop(f"error: {where}: {e.strerror or e}", EXIT_INVALID)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    sys.exit(status)


if __name__ == "__main__":
    main()
