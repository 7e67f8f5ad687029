"""
The errors *maturity-core* raises.

Every error a user can cause is a :class:`MaturityCoreError`.  Each concrete
error also subclasses the builtin exception it refines, so callers that
already catch :class:`ValueError` or :class:`LookupError` keep working.
Messages name the file, the place (a JSON path) and what would be valid.
Every :class:`Problem` code the core reports is registered, with its
meaning, in :data:`PROBLEM_CODES`.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ._codes import PROBLEM_CODES


@attrs.frozen
class Problem:
    """
    One thing wrong with an input, and where it is.

    Args:
        json_path: Where the problem is, as a JSON path (``$.ratings[3]``).
        message: What is wrong and what would be valid.
        code: A stable machine-readable kind, such as ``unknown-requirement``.

    .. versionadded:: 0.1.0
    """

    json_path: str
    message: str
    code: str

    def __str__(self) -> str:
        return f"{self.json_path}: {self.message}"

    def to_dict(self) -> dict[str, str]:
        """Return the problem as JSON-ready data."""
        return {
            "json_path": self.json_path,
            "message": self.message,
            "code": self.code,
        }


def _where(source: str | None) -> str:
    return f"{source}: " if source else ""


def _listing(problems: Sequence[Problem], limit: int = 50) -> str:
    lines = [f"  - {p}" for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"  … and {len(problems) - limit} more")
    return "\n".join(lines)


class MaturityCoreError(Exception):
    """
    The root of every error a user of *maturity-core* can cause.

    .. versionadded:: 0.1.0
    """


class ArgumentError(MaturityCoreError, TypeError):
    """
    A function of the Python API was given an argument of the wrong kind
    (a dict where an :class:`~maturity_core.Assessment` belongs, or the
    pack and the assessment swapped).

    The message names the function, the argument, what it got and what
    it takes.

    .. versionadded:: 0.1.0
    """


def expect(
    function: str, name: str, value: object, kind: type, wanted: str
) -> None:
    """Raise :class:`ArgumentError` unless *value* is a *kind*."""
    if not isinstance(value, kind):
        got = type(value).__name__
        msg = f"{function}(): {name} must be {wanted}, got {got}"
        raise ArgumentError(msg)


class InputError(MaturityCoreError, ValueError):
    """
    A file could not be read as the kind of input it should be.

    Raised for unreadable files, bytes that are not UTF-8, malformed JSON,
    duplicate keys and non-finite numbers.

    .. versionadded:: 0.1.0
    """

    def __init__(self, source: str | None, json_path: str, message: str):
        super().__init__(source, json_path, message)
        self.source = source
        self.json_path = json_path
        self.message = message

    def __str__(self) -> str:
        return f"{_where(self.source)}{self.json_path}: {self.message}"


class OutputError(MaturityCoreError, ValueError):
    """
    An output cannot be written where it was asked to go.

    Raised when its folder is missing, it names a folder, a block device
    or a socket, it would replace one of the command's own inputs, or
    writing fails (a full disk).  Nothing is left half-written.

    .. versionadded:: 0.1.0
    """

    def __init__(self, target: str, message: str):
        super().__init__(target, message)
        self.target = target
        self.message = message

    def __str__(self) -> str:
        return f"{self.target}: {self.message}"


class PackError(MaturityCoreError):
    """
    Something is wrong with a model pack.

    .. versionadded:: 0.1.0
    """


class PackNotFoundError(PackError, LookupError):
    """
    No installed pack has the requested id, and it is not a path.

    ``hint`` says how to load a folder of that name, if one exists.

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        pack_id: str,
        installed: Sequence[str],
        hint: str | None = None,
    ):
        super().__init__(pack_id, tuple(installed), hint)
        self.pack_id = pack_id
        self.installed = tuple(installed)
        self.hint = hint

    def __str__(self) -> str:
        known = ", ".join(self.installed) if self.installed else "none"
        hint = f"; {self.hint}" if self.hint else ""
        return (
            f"no model pack {self.pack_id!r} is installed (installed packs: "
            f"{known}){hint}"
        )


class InvalidPackError(PackError, ValueError):
    """
    A pack's data breaks the pack schema or the core's semantic checks.

    ``problems`` lists every problem found, each with its JSON path.

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        pack_id: str | None,
        problems: Sequence[Problem],
        source: str | None = None,
    ):
        super().__init__(pack_id, tuple(problems), source)
        self.pack_id = pack_id
        self.problems = tuple(problems)
        self.source = source

    def __str__(self) -> str:
        name = f"pack {self.pack_id!r}" if self.pack_id else "pack"
        n = len(self.problems)
        return (
            f"{_where(self.source)}{name} is invalid "
            f"({n} problem{'s' if n != 1 else ''}):\n"
            f"{_listing(self.problems)}"
        )


class IncompatiblePackError(PackError):
    """
    A pack declares a data format newer than this core can read.

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        pack_id: str | None,
        format: int,  # noqa: A002 -- mirrors the pack field's name
        supported: int,
        source: str | None = None,
    ):
        super().__init__(pack_id, format, supported, source)
        self.pack_id = pack_id
        self.format = format
        self.supported = supported
        self.source = source

    def __str__(self) -> str:
        return (
            f"{_where(self.source)}$.format: pack {self.pack_id!r} uses pack "
            f"format {self.format}, but this maturity-core reads formats up "
            f"to {self.supported}; upgrade maturity-core to load it"
        )


class AssessmentError(MaturityCoreError, ValueError):
    """
    An assessment does not fit its pack or the assessment schema.

    ``problems`` lists every problem found; ``json_path`` is the first one's.

    .. versionadded:: 0.1.0
    """

    def __init__(self, problems: Sequence[Problem], source: str | None = None):
        super().__init__(tuple(problems), source)
        self.problems = tuple(problems)
        self.source = source

    @property
    def json_path(self) -> str:
        """The JSON path of the first problem."""
        return self.problems[0].json_path if self.problems else "$"

    def __str__(self) -> str:
        n = len(self.problems)
        return (
            f"{_where(self.source)}assessment is invalid "
            f"({n} problem{'s' if n != 1 else ''}):\n"
            f"{_listing(self.problems)}"
        )


class UnknownRequirementError(AssessmentError, KeyError):
    """
    An assessment rates a requirement id its pack does not have.

    .. versionadded:: 0.1.0
    """

    # KeyError quotes its argument in str(); keep the readable message.
    __str__ = AssessmentError.__str__


class UnknownRuleError(MaturityCoreError, LookupError):
    """
    No level rule (or aggregation) is registered under the requested
    name.

    .. versionadded:: 0.1.0
    """

    def __init__(
        self, name: str, known: Sequence[str], kind: str = "level rule"
    ):
        super().__init__(name, tuple(known), kind)
        self.name = name
        self.known = tuple(known)
        self.kind = kind

    def __str__(self) -> str:
        return (
            f"unknown {self.kind} {self.name!r}; registered "
            f"{'rules' if self.kind == 'level rule' else self.kind + 's'}: "
            f"{', '.join(self.known)}"
        )


class NotFoundError(MaturityCoreError, LookupError):
    """
    A node, a level or a crosswalk that was asked for does not exist.

    The message names what was asked for and where to find the valid
    names.

    .. versionadded:: 0.1.0
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ScoringError(MaturityCoreError):
    """
    A valid assessment cannot be scored as asked.

    For example: requirements in scope are unrated and the caller asked
    for unrated requirements to be an error.

    .. versionadded:: 0.1.0
    """

    def __init__(self, message: str, source: str | None = None):
        super().__init__(message, source)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return f"{_where(self.source)}{self.message}"


__all__ = [
    "PROBLEM_CODES",
    "ArgumentError",
    "AssessmentError",
    "IncompatiblePackError",
    "InputError",
    "InvalidPackError",
    "MaturityCoreError",
    "NotFoundError",
    "OutputError",
    "PackError",
    "PackNotFoundError",
    "Problem",
    "ScoringError",
    "UnknownRequirementError",
    "UnknownRuleError",
]
