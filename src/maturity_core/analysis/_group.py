"""
Standard groups: one organisation assessed against several standards
applied together.

A group file may carry the policy of the programme it follows (which
kinds of standard must be at its core, how many standards it should
hold); the core only interprets that policy.  Members whose standard has
an installed pack carry an assessment and are scored; the others are
listed.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from typing import Any

import attrs

from maturity_core import _jsonio
from maturity_core._assessment import Assessment
from maturity_core._packs import load_pack
from maturity_core._schema import iter_schema_problems
from maturity_core._scoring import Result, score
from maturity_core.exceptions import AssessmentError, Problem


@attrs.frozen(eq=False)
class GroupMember:
    """
    One standard of a group, scored if it has a pack and an assessment.

    .. versionadded:: 0.1.0
    """

    code: str
    kind: str
    core: bool
    pack: str | None
    result: Result | None
    note: str | None = None


@attrs.frozen(eq=False)
class GroupResult:
    """
    A standard group's combined summary.

    .. versionadded:: 0.1.0
    """

    name: str
    organisation: str | None
    members: tuple[GroupMember, ...]
    warnings: tuple[str, ...]

    @property
    def scored(self) -> tuple[GroupMember, ...]:
        """The members that were scored."""
        return tuple(m for m in self.members if m.result is not None)

    @property
    def lowest_level(self) -> int | None:
        """The lowest level over the scored members (the group's floor)."""
        levels = [
            m.result.level
            for m in self.scored
            if m.result and m.result.level is not None
        ]
        return min(levels) if levels else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (exact strings)."""
        return {
            "name": self.name,
            "organisation": self.organisation,
            "standards": len(self.members),
            "scored": len(self.scored),
            "lowest_level": self.lowest_level,
            "warnings": list(self.warnings),
            "members": [
                {
                    "code": m.code,
                    "kind": m.kind,
                    "core": m.core,
                    "pack": m.pack,
                    "note": m.note,
                    **(
                        {
                            "score": str(m.result.score),
                            "level": m.result.level,
                            "profile": m.result.profile,
                            "rule": m.result.rule,
                            "pack_version": m.result.pack.version,
                        }
                        if m.result
                        else {}
                    ),
                }
                for m in self.members
            ],
        }


def _inside(group: Path, ref: str, where: str) -> Path:
    """
    *ref* as a path relative to the folder of the group file *group*,
    refused if it is absolute, climbs out with ``..`` or leads outside
    that folder through a symbolic link.
    """
    rel = PurePath(ref)
    folder = group.parent
    target = folder / rel
    if (
        rel.anchor
        or ".." in rel.parts
        or not target.resolve().is_relative_to(folder.resolve())
    ):
        raise AssessmentError(
            [
                Problem(
                    where,
                    f"{ref!r} is outside the group file's folder; member "
                    "files are named relative to it, without '..' or an "
                    "absolute path (copy them into the folder)",
                    "group-path",
                )
            ],
            str(group),
        )
    return target


def _pack_ref(group: Path, ref: str, i: int) -> str | Path:
    """An installed pack id as it is; a pack folder relative to the group."""
    if (
        any(c in ref for c in "/\\")
        or ref.startswith(".")
        or ref.endswith(".json")
    ):
        return _inside(group, ref, f"$.standards[{i}].pack")
    return ref


def score_group(path: str | os.PathLike[str]) -> GroupResult:
    """
    Score every member of the standard group described in *path*.

    Member assessments, and packs given as folders (any name with a
    ``/``, starting with ``.`` or ending in ``.json``), are named relative
    to the group file's folder and must stay inside it: absolute paths,
    ``..`` and symbolic links leading out are refused.

    Raises:
        AssessmentError: If the group file is malformed, breaks its own
            policy's core rule or names a member file outside its folder;
            member assessments raise as for :func:`score`.

    .. versionadded:: 0.1.0
    """
    path = Path(path)
    data = _jsonio.read_json(path)
    problems = list(iter_schema_problems("group", data))
    if problems:
        raise AssessmentError(problems, str(path))
    standards = data["standards"]
    policy = data.get("policy", {})
    core_kinds = policy.get("core_kinds")
    if core_kinds and not any(
        s["kind"] in core_kinds and s.get("core") for s in standards
    ):
        raise AssessmentError(
            [
                Problem(
                    "$.standards",
                    f"the group's policy ({policy.get('source', 'policy')}) "
                    f"builds it around a standard of kind "
                    f"{' or '.join(repr(k) for k in core_kinds)}: mark one "
                    "with that kind and core true",
                    "group-core",
                )
            ],
            str(path),
        )
    warnings = []
    size = policy.get("size", {})
    low, high = size.get("min", 0), size.get("max")
    if len(standards) < low or (high is not None and len(standards) > high):
        warnings.append(
            f"the group has {len(standards)} standards; "
            f"{policy.get('source', 'its policy')} recommends {low} to "
            f"{high if high is not None else 'any number'}"
        )
    members = []
    for i, std in enumerate(standards):
        result = None
        if std.get("pack") and std.get("assessment"):
            pack = load_pack(_pack_ref(path, std["pack"], i))
            assessment = Assessment.from_path(
                _inside(
                    path, std["assessment"], f"$.standards[{i}].assessment"
                )
            )
            result = score(pack, assessment)
        elif std.get("pack") or std.get("assessment"):
            raise AssessmentError(
                [
                    Problem(
                        f"$.standards[{i}]",
                        "a scored member needs both 'pack' and 'assessment'",
                        "group-member",
                    )
                ],
                str(path),
            )
        members.append(
            GroupMember(
                code=std["code"],
                kind=std["kind"],
                core=bool(std.get("core")),
                pack=std.get("pack"),
                result=result,
                note=std.get("note"),
            )
        )
    return GroupResult(
        name=data["name"],
        organisation=data.get("organisation"),
        members=tuple(members),
        warnings=tuple(warnings),
    )
