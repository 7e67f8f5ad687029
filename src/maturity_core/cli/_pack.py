"""Commands on packs: the installed packs, and the tools for pack authors
(pack new, check, doc, diff)."""

from __future__ import annotations

import argparse
from typing import IO, TYPE_CHECKING, Any

import attrs

import maturity_core as mc

from ._common import load
from ._output import EXIT_INVALID, EXIT_OK, Outcome, UsageError
from ._render import render_packs


if TYPE_CHECKING:
    from maturity_core import authoring


@attrs.frozen
class Installed:
    """The installed packs; their JSON data loads each one."""

    infos: tuple[mc.PackInfo, ...]

    def to_dict(self) -> list[dict[str, Any]]:
        """Each pack's entry point and, if it loads, its summary."""
        rows = []
        for info in self.infos:
            row: dict[str, Any] = info.to_dict()
            try:
                pack = mc.load_pack(info.id)
            except mc.MaturityCoreError as e:
                row["error"] = str(e)
            else:
                row |= {
                    "version": pack.version,
                    "title": pack.title.to_dict(),
                    "profiles": list(pack.profiles),
                    "levels": len(pack.levels),
                    "requirements": len(pack.requirements),
                    "rule": pack.method.rule,
                }
            rows.append(row)
        return rows


def packs(args: argparse.Namespace) -> Outcome:
    """The installed model packs."""
    del args
    return Outcome(Installed(mc.discover_packs()))


def show_packs(
    installed: Installed, args: argparse.Namespace, out: IO[str]
) -> None:
    del args
    render_packs(installed.infos, out)


def pack(args: argparse.Namespace) -> Outcome:
    """``pack`` without a tool."""
    del args
    msg = "pack needs a tool: new, check, doc or diff"
    raise UsageError(msg)


def new(args: argparse.Namespace) -> Outcome:
    """A new pack distribution's skeleton."""
    from maturity_core import authoring  # noqa: PLC0415

    return Outcome(str(authoring.scaffold_pack(args.id, args.dir)))


def show_new(root: str, args: argparse.Namespace, out: IO[str]) -> None:
    del args
    out.write(
        f"created {root}\n  next: cd {root} && pip install -e .[tests] "
        "&& pytest\n"
    )


def check(args: argparse.Namespace) -> Outcome:
    """Every problem of a pack, and its test vectors run."""
    from maturity_core import authoring  # noqa: PLC0415

    found = authoring.check_pack_path(args.path, trust_code=args.trust_code)
    return Outcome(found, EXIT_OK if found.valid else EXIT_INVALID)


def show_check(
    found: authoring.PackCheck, args: argparse.Namespace, out: IO[str]
) -> None:
    del args
    where = found.pack
    for problem in found.problems:
        out.write(f"{where}: {problem}\n")
    for failure in found.vector_failures:
        out.write(f"{where}: vector {failure}\n")
    ran = f"{found.vectors_run} vector{'s' if found.vectors_run != 1 else ''}"
    if found.valid:
        passed = (
            f"{ran} ran, all passed" if found.vectors_run else "no vectors"
        )
        out.write(f"{where}: valid pack; {passed}\n")
        return
    n = len(found.problems)
    vectors = (
        "vectors not run" if n else f"{ran} ran, {found.vectors_failed} failed"
    )
    out.write(
        f"{where}: invalid pack: {n} problem{'s' if n != 1 else ''}; "
        f"{vectors}\n"
    )


def doc(args: argparse.Namespace) -> Outcome:
    """The pack as the standard's tables."""
    from maturity_core import authoring  # noqa: PLC0415

    found = load(args.pack, args)
    return Outcome(
        document=authoring.pack_html(found)
        if args.format == "html"
        else authoring.pack_markdown(found)
    )


def diff(args: argparse.Namespace) -> Outcome:
    """What changed between two versions of a pack."""
    from maturity_core import authoring  # noqa: PLC0415

    return Outcome(
        authoring.diff_packs(load(args.old, args), load(args.new, args))
    )


def show_diff(
    found: authoring.PackDiff, args: argparse.Namespace, out: IO[str]
) -> None:
    del args
    out.write(f"{found.old} -> {found.new}: {found.verdict}\n")
    for key, value in found.to_dict().items():
        if isinstance(value, (list, tuple)) and value:
            out.write(f"  {key.replace('_', ' ')}: {len(value)}\n")
            for item in list(value)[:20]:
                out.write(f"    - {item}\n")
