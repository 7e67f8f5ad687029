"""Strict JSON reading and deterministic JSON writing."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from .exceptions import InputError


#: Input files larger than this are refused before they are parsed.
MAX_INPUT_BYTES = 64 * 1024 * 1024
#: JSON nested deeper than this is refused before it is parsed.
MAX_DEPTH = 64
#: Strings longer than this (in characters) are refused.
MAX_STRING = 100_000


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def _depth(text: str) -> int:
    """The deepest nesting of [ and { in *text*, outside strings."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    depth = deepest = 0
    for ch in brackets:
        if ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    break
        else:
            depth -= 1
    return deepest


def _check_strings(value: Any, source: str | None, path: str = "$") -> None:
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if len(item) > MAX_STRING:
                raise InputError(
                    source,
                    where,
                    f"a string of {len(item)} characters; strings may have "
                    f"at most {MAX_STRING}",
                )
        elif isinstance(item, dict):
            stack.extend((v, f"{where}.{k}") for k, v in item.items())
            for k in item:
                if len(k) > MAX_STRING:
                    raise InputError(source, where, "an object key too long")
        elif isinstance(item, list):
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(item))


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


def _no_constants(name: str) -> Any:
    msg = f"{name} is not valid JSON; use a finite number"
    raise ValueError(msg)


def loads(text: str, source: str | None = None) -> Any:
    """
    Parse *text* as strict JSON.

    Duplicate keys, ``NaN`` and ``Infinity`` are errors, not silently
    accepted as Python's :mod:`json` would; so are nesting deeper than
    :data:`MAX_DEPTH` (checked before parsing) and strings longer than
    :data:`MAX_STRING`.
    """
    if _depth(text) > MAX_DEPTH:
        raise InputError(
            source,
            "$",
            f"JSON is nested more than {MAX_DEPTH} levels deep",
        )
    data = _parse(text, source)
    _check_strings(data, source)
    return data


def _parse(text: str, source: str | None) -> Any:
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constants,
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
            source, "$", "JSON is nested too deeply to read"
        ) from None


def read_bytes(path: Path) -> bytes:
    """Read *path* read-only, refusing files that are too large."""
    source = str(path)
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_INPUT_BYTES:
                raise InputError(
                    source,
                    "$",
                    f"file is {size} bytes; inputs may be at most "
                    f"{MAX_INPUT_BYTES} bytes",
                )
            return f.read()
    except FileNotFoundError:
        raise InputError(source, "$", "no such file") from None
    except IsADirectoryError:
        raise InputError(source, "$", "is a directory, not a file") from None
    except PermissionError:
        raise InputError(source, "$", "permission denied") from None
    except (OSError, ValueError) as e:
        reason = getattr(e, "strerror", None) or str(e)
        raise InputError(source[:200], "$", f"cannot read: {reason}") from None


def read_text(path: Path) -> str:
    """Read *path* as UTF-8 text (a leading byte-order mark is allowed)."""
    data = read_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(
            str(path),
            "$",
            f"byte {e.start} is not valid UTF-8; save the file as UTF-8",
        ) from None


def read_json(path: Path) -> Any:
    """Read and strictly parse the JSON file at *path*."""
    return loads(read_text(path), str(path))


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
    """Write *text* to *path* through a temporary file and a rename."""
    write_bytes_atomic(path, text.encode("utf-8"))


def new_file_mode() -> int:
    """The permissions a newly created file gets under the current umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """
    Write *data* to *path* through a temporary file in the same folder and
    a rename, with the permissions a new file would get.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        Path(tmp).chmod(new_file_mode())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
