"""Strict JSON reading and deterministic JSON writing."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import _files
from .exceptions import InputError


#: Input files larger than this are refused before they are parsed.
MAX_INPUT_BYTES = 64 * 1024 * 1024
#: JSON nested deeper than this is refused.
MAX_DEPTH = 64
#: Strings longer than this (in characters) are refused.
MAX_STRING = 100_000
#: Arrays and objects with more members than this are refused: the
#: largest count any schema allows (requirements of a pack, ratings of an
#: assessment).
MAX_ITEMS = 100_000
#: A JSON text with more values than this is refused before it is parsed.
#: Values are counted as the commas and opening brackets outside strings
#: (about 18 for each requirement of a pack).
MAX_VALUES = 4_000_000


_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: What a JSON text holding a lone surrogate must contain: an escape of
#: one, or one itself.
_SURROGATE_HINT = re.compile(r"\\u[dD][89a-fA-F]|[\ud800-\udfff]")


def surrogate_problem(text: str) -> str | None:
    """
    What is wrong with *text* if it holds a lone surrogate, or ``None``.

    JSON escapes such as ``\\ud800`` and XLSX escapes such as ``_xD800_``
    can produce half of a UTF-16 pair, which no UTF-8 file can hold.
    """
    m = _SURROGATE.search(text)
    if m is None:
        return None
    return (
        f"character {m.start()} is a lone surrogate "
        f"(U+{ord(m.group()):04X}), which is not valid Unicode; use the "
        "character itself, or both halves of a \\u surrogate pair"
    )


def string_problem(text: str) -> str | None:
    """What is wrong with the string *text* as input text, or ``None``."""
    if len(text) > MAX_STRING:
        return (
            f"a string of {len(text)} characters; strings may have at most "
            f"{MAX_STRING}"
        )
    return surrogate_problem(text)


def check_value(
    value: Any, source: str | None = None, *, surrogates: bool = True
) -> None:
    """
    Check parsed JSON *value* against the limits, without recursion:
    nesting depth, members per array or object, string length and (unless
    *surrogates* is false) lone surrogates, in keys too.

    Raises:
        InputError: For the first problem found, with its JSON path.
    """
    found = _first_problem(value, surrogates=surrogates)
    if found is not None:
        culprit, message = found
        raise InputError(source, _path_of(value, culprit), message)


def _first_problem(value: Any, *, surrogates: bool) -> tuple[Any, str] | None:
    """
    The first value breaking a limit and what is wrong, or ``None``.

    Paths are not built here (that would cost more than the checks): the
    caller finds the culprit's path only when there is one.
    """
    stack: list[tuple[Any, int]] = []
    found = _members([value], 0, stack, surrogates=surrogates)
    while stack and found is None:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return item, f"JSON is nested more than {MAX_DEPTH} levels deep"
        if len(item) > MAX_ITEMS:
            return item, _too_many(item)
        if isinstance(item, dict):
            if _members(item, depth, [], surrogates=surrogates) is not None:
                return item, f"a key: {_bad_key(item)}"
            found = _members(
                item.values(), depth, stack, surrogates=surrogates
            )
        else:
            found = _members(item, depth, stack, surrogates=surrogates)
    return found


def _bad_key(item: dict[str, Any]) -> str | None:
    return next(filter(None, map(string_problem, item)), None)


def _members(
    members: Iterable[Any],
    depth: int,
    stack: list[tuple[Any, int]],
    *,
    surrogates: bool,
) -> tuple[Any, str] | None:
    """
    The first string of *members* breaking a limit, and its problem; the
    arrays and objects among them are pushed on *stack*, one level deeper.
    """
    containers = (dict, list)
    for member in members:
        if type(member) is str:
            if len(member) > MAX_STRING or (
                surrogates and _SURROGATE.search(member)
            ):
                return member, str(string_problem(member))
        elif isinstance(member, containers):
            stack.append((member, depth + 1))
    return None


def _path_of(root: Any, culprit: Any) -> str:
    """The JSON path of the first place in *root* holding *culprit*."""
    stack: list[tuple[Any, str]] = [(root, "$")]
    while stack:
        item, where = stack.pop()
        if item is culprit:
            return where
        if isinstance(item, dict):
            stack.extend((v, f"{where}.{k}") for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(item))
    return "$"  # pragma: no cover -- the culprit is always in root


def _too_many(item: dict[str, Any] | list[Any]) -> str:
    kind = "an object of" if isinstance(item, dict) else "an array of"
    noun = "members" if isinstance(item, dict) else "items"
    return (
        f"{kind} {len(item)} {noun}; arrays and objects may have at most "
        f"{MAX_ITEMS}"
    )


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


_NOT_STRUCTURE = bytes(sorted(set(range(256)) - set(b'",[{')))
_CHUNK = 1 << 20


def count_values(text: str) -> int:
    """
    The commas and opening brackets of *text* outside its strings (a
    bound on its JSON values), at C speed and in linear time; counting
    stops early above :data:`MAX_VALUES`.
    """
    fast = text.count(",") + text.count("[") + text.count("{")
    if fast <= MAX_VALUES:
        return fast
    data = text.encode("utf-8", "surrogatepass")
    # Drop escaped backslashes, then escaped quotes: every quote left
    # opens or closes a string.  UTF-8 never puts these bytes inside a
    # multi-byte character.
    data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    data = data.translate(None, _NOT_STRUCTURE).replace(b'""', b"")
    outside = 0
    in_string = False
    for at in range(0, len(data), _CHUNK):
        pieces = data[at : at + _CHUNK].split(b'"')
        outside += sum(map(len, pieces[in_string::2]))
        if outside > MAX_VALUES:
            break
        in_string ^= len(pieces) % 2 == 0
    return outside


def _no_constants(name: str) -> Any:
    msg = f"{name} is not valid JSON; use a finite number"
    raise ValueError(msg)


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        msg = f"the number {text[:40]} is too large; use a finite number"
        raise ValueError(msg)
    return value


def loads(text: str, source: str | None = None) -> Any:
    """
    Parse *text* as strict JSON.

    Duplicate keys, ``NaN``, ``Infinity`` and numbers too large for a
    float are errors, not silently accepted as Python's :mod:`json` would.
    So are more than :data:`MAX_VALUES` values (counted before parsing),
    arrays or objects of more than :data:`MAX_ITEMS` members, nesting
    deeper than :data:`MAX_DEPTH`, strings longer than :data:`MAX_STRING`
    and lone surrogates.  Every check takes time linear in *text*.
    """
    values = count_values(text)
    if values > MAX_VALUES:
        raise InputError(
            source,
            "$",
            f"more than {MAX_VALUES} JSON values; an input may have at most "
            f"{MAX_VALUES}",
        )
    data = _parse(text, source)
    check_value(data, source, surrogates=bool(_SURROGATE_HINT.search(text)))
    return data


def _parse(text: str, source: str | None) -> Any:
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constants,
            parse_float=_finite,
        )
    except _DuplicateKeyError as e:
        raise InputError(
            source,
            "$",
            f"duplicate key {e.key!r} in a JSON object; each key may appear "
            "once",
        ) from None
    except json.JSONDecodeError as e:
        raise InputError(
            source,
            "$",
            f"malformed JSON at line {e.lineno} column {e.colno}: {e.msg}",
        ) from None
    except ValueError as e:
        raise InputError(source, "$", str(e)) from None
    except RecursionError:
        raise InputError(
            source,
            "$",
            f"JSON is nested more than {MAX_DEPTH} levels deep",
        ) from None


def read_bytes(path: Path, *, within: Path | None = None) -> bytes:
    """
    Read the regular file *path* read-only, at most
    :data:`MAX_INPUT_BYTES` of it, refusing it if it resolves outside the
    folder *within* (see :func:`_files.read_bytes`).
    """
    return _files.read_bytes(path, MAX_INPUT_BYTES, within=within)


def read_text(path: Path, *, within: Path | None = None) -> str:
    """Read *path* as UTF-8 text (a leading byte-order mark is allowed)."""
    data = read_bytes(path, within=within)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(
            str(path),
            "$",
            f"byte {e.start} is not valid UTF-8; save the file as UTF-8",
        ) from None


def read_json(path: Path, *, within: Path | None = None) -> Any:
    """
    Read and strictly parse the JSON file at *path* (inside the folder
    *within*, if given: for the files of a pack).
    """
    return loads(read_text(path, within=within), str(path))


def dumps(data: Any) -> str:
    """Serialise *data* deterministically: sorted keys, two-space indent."""
    return (
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    )


def canonical(data: Any) -> bytes:
    """The canonical byte form of *data*, used for content hashes."""
    return json.dumps(
        data, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")


def write_text_atomic(path: Path, text: str) -> None:
    """Write *text* to *path* as a whole (see :func:`_files.open_output`)."""
    _files.write_text(path, text)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write *data* to *path* as a whole (see :func:`_files.open_output`)."""
    _files.write_bytes(path, data)
