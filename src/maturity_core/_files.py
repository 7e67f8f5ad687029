"""
Reading inputs and writing outputs safely.

Every file the library reads goes through :func:`read_bytes`: regular
files only, with a hard byte bound.  Every file it writes goes through
:func:`open_output`: a temporary file beside the target renamed into
place (keeping an existing file's permissions), or written straight
through to a character device or FIFO, which are never replaced.

Inside :func:`command_files` every input read is recorded, and no output
may replace one of them.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import IO

import attrs

from .exceptions import InputError, OutputError


_CHUNK = 1 << 20


@attrs.frozen
class _Inputs:
    """The files one command has read: by (device, inode) and real path."""

    by_inode: dict[tuple[int, int], str] = attrs.field(factory=dict)
    by_path: dict[str, str] = attrs.field(factory=dict)

    def add(self, path: str | os.PathLike[str], st: os.stat_result) -> None:
        self.by_inode.setdefault((st.st_dev, st.st_ino), str(path))
        self.by_path.setdefault(os.path.realpath(path), str(path))


_INPUTS: ContextVar[_Inputs | None] = ContextVar("_INPUTS", default=None)


@contextlib.contextmanager
def command_files() -> Iterator[None]:
    """
    Record every input read inside the block; outputs written inside it
    must not be any of them.
    """
    token = _INPUTS.set(_Inputs())
    try:
        yield
    finally:
        _INPUTS.reset(token)


def note_input(path: str | os.PathLike[str]) -> None:
    """Record *path* as an input of the current command (if it exists)."""
    inputs = _INPUTS.get()
    if inputs is None:
        return
    with contextlib.suppress(OSError, ValueError):
        inputs.add(path, Path(path).stat())


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def read_bytes(
    path: str | os.PathLike[str],
    limit: int,
    *,
    within: str | os.PathLike[str] | None = None,
) -> bytes:
    """
    The bytes of the regular file *path*, at most *limit* of them.

    The file is opened read-only without blocking (a FIFO cannot hang the
    reader) and refused unless it is a regular file; reading stops after
    *limit* bytes whatever the file claims its size is.  With *within*,
    a path that resolves (through symbolic links) outside that folder is
    refused.

    Raises:
        InputError: If the file is missing, unreadable, not a regular
            file, larger than *limit* bytes or outside *within*.
    """
    source = str(path)
    if within is not None:
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(os.path.realpath(within)):
            raise InputError(
                source,
                "$",
                f"leads outside {within} (to {real}); files of a folder "
                "must stay inside it",
            )
    fd = _open_regular(path)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(
                source,
                "$",
                f"is {_kind(st.st_mode)}; inputs must be regular files",
            )
        if st.st_size > limit:
            raise InputError(
                source,
                "$",
                f"file is {st.st_size} bytes; inputs may be at most "
                f"{limit} bytes",
            )
        data = _read_at_most(fd, limit + 1)
    except OSError as e:
        raise InputError(source, "$", f"cannot read: {_reason(e)}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise InputError(
            source,
            "$",
            f"file grew past {limit} bytes while it was read; inputs may be "
            f"at most {limit} bytes",
        )
    inputs = _INPUTS.get()
    if inputs is not None:
        inputs.add(path, st)
    return data


def require_regular(path: str | os.PathLike[str]) -> None:
    """
    Refuse *path* unless it is an existing regular file (for inputs that
    are streamed rather than read whole).

    Raises:
        InputError: If it is missing or not a regular file.
    """
    try:
        st = Path(path).stat()
    except FileNotFoundError:
        raise InputError(str(path), "$", "no such file") from None
    except (OSError, ValueError) as e:
        reason = _reason(e) if isinstance(e, OSError) else str(e)
        raise InputError(
            str(path)[:200], "$", f"cannot read: {reason}"
        ) from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(
            str(path),
            "$",
            f"is {_kind(st.st_mode)}; inputs must be regular files",
        )


def _open_regular(path: str | os.PathLike[str]) -> int:
    """A read-only descriptor of *path*, opened without blocking."""
    source = str(path)
    flags = (
        os.O_RDONLY
        | getattr(os, "O_NONBLOCK", 0)
        | getattr(os, "O_CLOEXEC", 0)
        | getattr(os, "O_BINARY", 0)
    )
    try:
        return os.open(path, flags)
    except FileNotFoundError:
        raise InputError(source, "$", "no such file") from None
    except IsADirectoryError:
        raise InputError(source, "$", "is a folder, not a file") from None
    except PermissionError:
        raise InputError(source, "$", "permission denied") from None
    except (OSError, ValueError) as e:
        reason = _reason(e) if isinstance(e, OSError) else str(e)
        raise InputError(source[:200], "$", f"cannot read: {reason}") from None


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks = []
    total = 0
    while total < limit:
        chunk = os.read(fd, min(_CHUNK, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def check_outputs(
    outputs: Iterable[str | os.PathLike[str]],
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> None:
    """
    Refuse *outputs* that are one of *inputs*, an input the current
    command has read, or another of the outputs: compared by real path
    and by device and inode (so symbolic and hard links count).

    Raises:
        OutputError: Naming the output and the input it would replace.
    """
    recorded = _INPUTS.get() or _Inputs()
    known = _Inputs(dict(recorded.by_inode), dict(recorded.by_path))
    for path in inputs:
        try:
            known.add(path, Path(path).stat())
        except (OSError, ValueError):
            known.by_path.setdefault(os.path.realpath(path), str(path))
    seen: dict[str, str] = {}
    for output in outputs:
        real = os.path.realpath(output)
        clash = known.by_path.get(real)
        if clash is None:
            with contextlib.suppress(OSError, ValueError):
                st = Path(output).stat()
                clash = known.by_inode.get((st.st_dev, st.st_ino))
        if clash is not None:
            raise OutputError(
                str(output),
                f"must not be the input {clash} of this command; write "
                "the output to another file",
            )
        if real in seen:
            raise OutputError(
                str(output),
                f"is written twice by this command (also as {seen[real]}); "
                "choose another file name",
            )
        seen[real] = str(output)


def _target(path: Path) -> tuple[Path, os.stat_result | None]:
    """The file an output at *path* really is, and its status if it exists."""
    try:
        st = path.stat()
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise OutputError(str(path), f"cannot write: {_reason(e)}") from None
    except ValueError as e:
        raise OutputError(str(path)[:200], f"cannot write: {e}") from None
    if path.is_symlink():
        # Replace the file the link points to, not the link.
        return Path(os.path.realpath(path)), st
    return path, st


@contextlib.contextmanager
def open_output(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """
    Open *path* to be written as a whole, for the duration of the block.

    A regular file (or a new one) is written to a temporary file in the
    same folder and renamed over *path* only when the block ends without
    an error; the temporary file is removed on any error or interruption.
    An existing file keeps its permissions; a new one gets those the
    umask gives.  A character device (``/dev/null``) or a FIFO is written
    to directly, never replaced.  Folders, block devices, sockets and the
    inputs of the current command are refused.

    Raises:
        OutputError: If *path* cannot be written, naming it and why.
    """
    given = Path(path)
    check_outputs([given])
    target, st = _target(given)
    if st is not None and not stat.S_ISREG(st.st_mode):
        if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
            with _write_through(given) as f:
                yield f
            return
        raise OutputError(
            str(given),
            f"is {_kind(st.st_mode)}; outputs must be files, character "
            "devices or FIFOs",
        )
    mode = stat.S_IMODE(st.st_mode) & 0o777 if st is not None else None
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    flags = (
        os.O_WRONLY
        | os.O_CREAT
        | os.O_EXCL
        | getattr(os, "O_CLOEXEC", 0)
        | getattr(os, "O_BINARY", 0)
    )
    try:
        fd = os.open(tmp, flags, 0o666 if mode is None else mode)
    except FileNotFoundError:
        raise OutputError(
            str(given), f"the folder {target.parent} does not exist"
        ) from None
    except NotADirectoryError:
        raise OutputError(
            str(given), f"{target.parent} is not a folder"
        ) from None
    except OSError as e:
        raise OutputError(str(given), f"cannot write: {_reason(e)}") from None
    try:
        with open(fd, "wb") as f:  # noqa: PTH123 -- an fd, not a path
            if mode is not None and hasattr(os, "fchmod"):
                os.fchmod(fd, mode)
            yield f
            f.flush()
            os.fsync(fd)
        tmp.replace(target)
    except BaseException as e:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(e, OSError):
            raise OutputError(
                str(given), f"cannot write: {_reason(e)}"
            ) from None
        raise


@contextlib.contextmanager
def _write_through(path: Path) -> Iterator[IO[bytes]]:
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise OutputError(str(path), f"cannot write: {_reason(e)}") from None
    try:
        with open(fd, "wb") as f:  # noqa: PTH123 -- an fd, not a path
            yield f
    except OSError as e:
        raise OutputError(str(path), f"cannot write: {_reason(e)}") from None


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write *data* to *path* as a whole (see :func:`open_output`)."""
    with open_output(path) as f:
        f.write(data)


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write *text* to *path* as UTF-8 (see :func:`open_output`)."""
    write_bytes(path, text.encode("utf-8"))
