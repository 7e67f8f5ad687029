"""Pack discovery, validation and loading."""

from __future__ import annotations

import hashlib
import importlib
import os
import sys
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from fractions import Fraction
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from . import _files, _jsonio
from ._model import (
    ROOT,
    Band,
    Level,
    Method,
    Node,
    Pack,
    Profile,
    RatingOption,
    Requirement,
    Rubric,
    Tier,
)
from ._packcheck import FORMAT, iter_pack_problems
from ._text import Text
from .exceptions import (
    IncompatiblePackError,
    InputError,
    InvalidPackError,
    PackNotFoundError,
    Problem,
)


#: The entry-point group packs register under.
GROUP = "maturity_core.packs"
#: Set to a non-empty value other than "0" to turn off pack discovery.
NO_PLUGINS_ENV = "MATURITY_CORE_NO_PLUGINS"


@attrs.frozen
class PackInfo:
    """
    An installed pack, as discovered without reading its data.

    .. versionadded:: 0.1.0
    """

    id: str
    entry_point: str
    dist_name: str | None
    dist_version: str | None

    def to_dict(self) -> dict[str, str | None]:
        """JSON-ready data."""
        return attrs.asdict(self)


def _plugins_disabled() -> bool:
    return os.environ.get(NO_PLUGINS_ENV, "") not in ("", "0")


def discover_packs(
    *, entry_points: Iterable[metadata.EntryPoint] | None = None
) -> tuple[PackInfo, ...]:
    """
    List installed packs cheaply: no pack data is read, nothing imported.

    Args:
        entry_points: Entry points to use instead of the installed ones
            (for tests and embedding applications).

    Returns nothing when ``MATURITY_CORE_NO_PLUGINS`` is set and no
    *entry_points* are given.

    .. versionadded:: 0.1.0
    """
    if entry_points is None:
        if _plugins_disabled():
            return ()
        entry_points = metadata.entry_points(group=GROUP)
    infos = []
    for ep in entry_points:
        dist = getattr(ep, "dist", None)
        infos.append(
            PackInfo(
                id=ep.name,
                entry_point=ep.value,
                dist_name=dist.metadata["Name"] if dist else None,
                dist_version=dist.version if dist else None,
            )
        )
    return tuple(sorted(infos, key=lambda i: i.id))


# ---------------------------------------------------------------------------
# Building


def _text(data: Any) -> Text:
    return Text.from_data(data)


def _node(data: Mapping[str, Any]) -> Node:
    return Node(
        id=data["id"],
        kind=data["kind"],
        name=_text(data["name"]),
        children=tuple(_node(c) for c in data.get("children", [])),
        description=_text(data.get("description")),
    )


def _rubric(rubric_id: str, data: Mapping[str, Any]) -> Rubric:
    na = data.get("na", {"allowed": False})
    return Rubric(
        options=tuple(
            RatingOption(o["id"], Fraction(o["value"]), _text(o["name"]))
            for o in data["ratings"]
        ),
        na_allowed=na["allowed"],
        na_name=_text(
            na.get("name", {"zh": "不适用", "en": "Not applicable"})
        ),
        id=rubric_id,
        name=_text(data.get("name")),
    )


def _tiers(data: Mapping[str, Any]) -> tuple[tuple[Tier, ...], int | None]:
    tiers = []
    chart = None
    for depth, tier in enumerate(data.get("tiers", []), start=1):
        tiers.append(Tier(depth, tier["id"], _text(tier["name"])))
        if tier.get("chart"):
            chart = depth
    return tuple(tiers), chart


def _build(data: Mapping[str, Any], source: str, *, trusted: bool) -> Pack:
    root = Node(
        id=ROOT,
        kind="root",
        name=_text(data["title"]),
        children=tuple(_node(n) for n in data["nodes"]),
    )
    all_ids = {n.id for n in root.walk()}
    parents = {c.id: n.id for n in root.walk() for c in n.children}

    profiles = {}
    default = data["profiles"][0]["id"]
    for prof in data["profiles"]:
        excluded = set(prof.get("exclude", []))

        def in_scope(nid: str, excluded: set[str] = excluded) -> bool:
            while nid != ROOT:
                if nid in excluded:
                    return False
                nid = parents[nid]
            return True

        if prof.get("default"):
            default = prof["id"]
        profiles[prof["id"]] = Profile(
            id=prof["id"],
            name=_text(prof["name"]),
            description=_text(prof.get("description")),
            weights=MappingProxyType(
                {k: Fraction(v) for k, v in prof["weights"].items()}
            ),
            scope=frozenset(n for n in all_ids if in_scope(n)),
            mandatory=frozenset(prof.get("mandatory", [])),
            provenance=MappingProxyType(dict(prof.get("provenance", {}))),
        )
    method = data["method"]
    tiers, chart = _tiers(data)
    depth = 0
    stack = [(n, 1) for n in data["nodes"]]
    while stack:
        node, d = stack.pop()
        depth = max(depth, d)
        stack.extend((c, d + 1) for c in node.get("children", []))
    return Pack(
        id=data["id"],
        version=data["version"],
        format=data["format"],
        title=_text(data["title"]),
        levels=tuple(
            Level(
                number=lv["number"],
                name=_text(lv["name"]),
                description=_text(lv.get("description")),
            )
            for lv in data["levels"]
        ),
        root=root,
        requirements=tuple(
            Requirement(
                id=r["id"],
                node=r["node"],
                level=r["level"],
                text=_text(r["text"]),
                item=_text(r.get("item")),
                tags=tuple(r.get("tags", ())),
                provenance=MappingProxyType(dict(r["provenance"])),
                rubric=r.get("rubric"),
                guidance=_text(r.get("guidance")),
            )
            for r in data["requirements"]
        ),
        rubric=_rubric("default", data["rubric"]),
        extra_rubrics=MappingProxyType(
            {k: _rubric(k, v) for k, v in data.get("rubrics", {}).items()}
        ),
        tiers=tiers,
        chart_depth=chart or max(1, depth - 1),
        report_title=_text(data.get("report", {}).get("title")),
        no_level_name=_text(method["no_level_name"])
        if "no_level_name" in method
        else Text(en="No level"),
        languages=tuple(data.get("languages", ()))
        or tuple(_text(data["title"]).languages),
        profiles=MappingProxyType(profiles),
        default_profile=default,
        method=Method(
            rule=method["rule"],
            gate=Fraction(method["gate"]) if "gate" in method else None,
            bands=tuple(
                Band(b["level"], Fraction(b["min"]))
                for b in method.get("bands", ())
            ),
            rules=tuple(method.get("rules", ())),
            provenance=MappingProxyType(dict(method.get("provenance", {}))),
            aggregation=method.get("aggregation", "weighted-mean"),
        ),
        validators=tuple(data.get("validators", ())),
        metadata=MappingProxyType(
            {
                k: data[k]
                for k in ("standard", "fidelity", "metadata")
                if k in data
            }
        ),
        data=MappingProxyType(dict(data)),
        content_hash=content_hash(data),
        source=source,
        trusted=trusted,
    )


def content_hash(data: Any) -> str:
    """The SHA-256 of the canonical JSON form of *data*."""
    return "sha256:" + hashlib.sha256(_jsonio.canonical(data)).hexdigest()


def pack_from_data(
    data: Any,
    *,
    source: str = "<data>",
    trusted: bool = False,
    expected_id: str | None = None,
) -> Pack:
    """
    Validate pack *data* and build a :class:`Pack`.

    A trusted pack's extension modules are imported first (they may
    register the pack's own level rule), then the data is checked; its
    validators must then be importable.  An untrusted pack's rule that is
    not registered but may come from its extension modules is reported as
    unchecked, not as unknown.

    Raises:
        IncompatiblePackError: If the data's format is newer than the core's.
        InvalidPackError: With every problem found.

    .. versionadded:: 0.1.0
    """
    pack_id = data.get("id") if isinstance(data, dict) else None
    pack_id = pack_id if isinstance(pack_id, str) else None
    extensions = _extension_names(data)
    extension_problems = _import_extensions(extensions) if trusted else []
    problems = list(iter_pack_problems(data))
    for p in problems:
        if p.code == "format-too-new":
            raise IncompatiblePackError(
                pack_id, data["format"], FORMAT, source
            )
    if extensions and not trusted:
        problems = [
            _unchecked_rule(p, data, extensions)
            if p.code == "unknown-rule"
            else p
            for p in problems
        ]
    elif any(p.code == "unknown-rule" for p in problems):
        problems += extension_problems
    if trusted and not problems:
        problems += _validator_problems(data)
    if expected_id is not None and pack_id != expected_id:
        problems.append(
            Problem(
                "$.id",
                f"the pack is registered as {expected_id!r} but its id is "
                f"{pack_id!r}; the entry-point name must equal the pack id",
                "id-mismatch",
            )
        )
    if problems:
        raise InvalidPackError(pack_id, problems, source)
    return _build(data, source, trusted=trusted)


def _extension_names(data: Any) -> list[str]:
    if not isinstance(data, dict) or not isinstance(
        data.get("extensions"), list
    ):
        return []
    return [n for n in data["extensions"] if isinstance(n, str)]


def _import_extensions(names: list[str]) -> list[Problem]:
    """Import a trusted pack's extension modules (they register rules)."""
    problems = []
    for i, name in enumerate(names):
        try:
            importlib.import_module(name)
        except Exception as e:  # noqa: BLE001 -- any import failure is reported
            problems.append(
                Problem(
                    f"$.extensions[{i}]",
                    f"cannot import extension module {name!r}: {e}",
                    "extension",
                )
            )
    return problems


def _unchecked_rule(
    problem: Problem, data: dict[str, Any], extensions: list[str]
) -> Problem:
    """An unknown rule of an untrusted pack that has extension modules."""
    path = problem.json_path
    method = data["method"]
    name = (
        method["rule"]
        if path == "$.method.rule"
        else method["rules"][int(path.rpartition("[")[2].rstrip("]"))]
    )
    return Problem(
        path,
        f"level rule {name!r} is not built in and may be registered by the "
        f"pack's extension modules ({', '.join(extensions)}), which run "
        "only for trusted packs: it cannot be checked without --trust-code "
        "(trust_code=True in Python)",
        "untrusted-rule",
    )


def _validator_problems(data: dict[str, Any]) -> list[Problem]:
    """Import a trusted pack's validators; report those that fail."""
    problems = []
    for i, name in enumerate(data.get("validators", ())):
        try:
            func = load_validator(name)
        except Exception as e:  # noqa: BLE001 -- any import failure is reported
            problems.append(
                Problem(
                    f"$.validators[{i}]",
                    f"cannot import validator {name!r}: {e}",
                    "validator",
                )
            )
            continue
        if not callable(func):
            problems.append(
                Problem(
                    f"$.validators[{i}]",
                    f"validator {name!r} is not a function",
                    "validator",
                )
            )
    return problems


_CACHE: dict[str, Pack] = {}


def clear_pack_cache() -> None:
    """Forget packs loaded from entry points (for tests and reloads).

    .. versionadded:: 0.1.0
    """
    _CACHE.clear()


def _names_a_path(ref: str) -> bool:
    """Whether *ref* can only be a path: it has a separator, or is . or .."""
    seps = [sep for sep in (os.sep, "/", os.altsep) if sep]
    return any(sep in ref for sep in seps) or ref in (".", "..")


def load_pack(
    ref: str | os.PathLike[str] | Mapping[str, Any],
    *,
    trust_code: bool = False,
    entry_points: Iterable[metadata.EntryPoint] | None = None,
) -> Pack:
    """
    Load and validate a pack by installed id, by path, or from already
    parsed data.

    A string is an installed pack id unless it names a path: it contains a
    path separator (``./mypack``, ``packs/x/pack.json``, an absolute
    path) or is ``.`` or ``..``.  A bare name is never looked up on disk, so
    a folder in the working directory cannot stand in for an installed
    pack.  A :class:`os.PathLike` is always a path.  A path may name a pack's
    ``pack.json``, the folder holding it, or the root of a pack
    distribution (its ``pyproject.toml`` registers the pack; the entry-point
    name must then equal the pack id).

    Packs from entry points are installed code and are trusted: their
    extension modules and validators run.  Packs from a path or from data
    run no code unless *trust_code* is true; their validators are reported
    as skipped.  A trusted path pack imports its modules from its own
    folder first.  :attr:`Pack.source` records where the data was read.

    Raises:
        PackNotFoundError: If *ref* is neither an installed id nor a path.
        InputError: If a path holds no pack or cannot be read.
        InvalidPackError: With every problem in the pack.
        IncompatiblePackError: If the pack's format is newer than the core's.

    .. versionadded:: 0.1.0
    """
    if isinstance(ref, Mapping):
        return pack_from_data(dict(ref), trusted=trust_code)
    if isinstance(ref, os.PathLike) or _names_a_path(str(ref)):
        return _load_path(Path(ref), trust_code=trust_code)
    pack_id = str(ref)
    infos = {i.id: i for i in discover_packs(entry_points=entry_points)}
    if pack_id not in infos:
        raise PackNotFoundError(
            pack_id, sorted(infos), hint=_folder_hint(pack_id)
        )
    info = infos[pack_id]
    key = f"{info.id}={info.entry_point}"
    if entry_points is None and key in _CACHE:
        _note_installed(info.entry_point)
        return _CACHE[key]
    try:
        resource = files(info.entry_point).joinpath("pack.json")
        # The file's real location where there is one (not a zip).
        source = (
            str(resource)
            if isinstance(resource, Path)
            else f"{info.entry_point}/pack.json"
        )
        text = resource.read_text("utf-8")
        _note_installed(info.entry_point)
    except (ImportError, OSError, UnicodeDecodeError) as e:
        raise InvalidPackError(
            pack_id,
            [Problem("$", f"cannot read pack.json: {e}", "unreadable")],
            f"{info.entry_point}/pack.json",
        ) from None
    data = _jsonio.loads(text, source)
    pack = pack_from_data(
        data, source=source, trusted=True, expected_id=pack_id
    )
    if entry_points is None:
        _CACHE[key] = pack
    return pack


def _folder_hint(name: str) -> str:
    path = f".{os.sep}{name}"
    try:
        exists = Path(name).exists()
    except (OSError, ValueError):  # a name too long, or with a NUL byte
        exists = False
    if exists:
        return (
            f"{name!r} here is not used, because a bare name means an "
            f"installed pack: to load it as a pack, name it as a path, {path}"
        )
    return f"a pack folder or pack.json is named as a path, such as {path}"


def _load_path(path: Path, *, trust_code: bool) -> Pack:
    pack_json, expected_id = locate_pack_json(path)
    # The files of a pack folder stay in it: a link leading out is refused.
    data = _jsonio.read_json(pack_json, within=path if path.is_dir() else None)
    with _importable_from(pack_json.parent) if trust_code else nullcontext():
        return pack_from_data(
            data,
            source=str(pack_json),
            trusted=trust_code,
            expected_id=expected_id,
        )


def locate_pack_json(path: Path) -> tuple[Path, str | None]:
    """
    The ``pack.json`` that *path* names, and the pack id its distribution
    registers (``None`` unless *path* is a distribution root).

    *path* is a ``pack.json`` file, a folder holding one, or the root of a
    pack distribution, whose ``pyproject.toml`` registers one pack under
    ``maturity_core.packs``; its package is looked for under ``src/`` and
    then at the root.

    Raises:
        InputError: If the folder holds no pack, or the distribution does
            not register exactly one pack with a ``pack.json``.
    """
    try:
        is_dir = path.is_dir()
    except (OSError, ValueError):
        is_dir = False
    if not is_dir:
        return path, None
    if (path / "pack.json").is_file():
        return path / "pack.json", None
    if (path / "pyproject.toml").is_file():
        return _from_distribution(path)
    raise InputError(
        str(path),
        "$",
        "this folder holds no pack.json and no pyproject.toml; give a "
        "pack's package folder (with pack.json), its pack.json, or the root "
        "of a pack distribution",
    )


def _from_distribution(root: Path) -> tuple[Path, str]:
    pyproject = root / "pyproject.toml"
    source = str(pyproject)
    try:
        config = tomllib.loads(_jsonio.read_text(pyproject))
    except tomllib.TOMLDecodeError as e:
        raise InputError(source, "$", f"malformed TOML: {e}") from None
    where = f'$.project["entry-points"]["{GROUP}"]'
    project = config.get("project")
    groups = project.get("entry-points") if isinstance(project, dict) else None
    entries = groups.get(GROUP) if isinstance(groups, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise InputError(
            source,
            where,
            "the distribution registers no pack; a pack distribution "
            f'declares [project.entry-points."{GROUP}"] with '
            '<id> = "maturity_pack_<id>"',
        )
    if len(entries) > 1:
        raise InputError(
            source,
            where,
            f"the distribution registers {len(entries)} packs "
            f"({', '.join(sorted(entries))}); give one pack's package folder",
        )
    ((pack_id, value),) = entries.items()
    if not isinstance(value, str) or not value.strip():
        raise InputError(
            source,
            f"{where}.{pack_id}",
            f"the entry point must name the pack's package (got {value!r})",
        )
    package = Path(*value.partition(":")[0].strip().split("."))
    for base in (root / "src", root):
        if (base / package / "pack.json").is_file():
            return base / package / "pack.json", pack_id
    raise InputError(
        source,
        f"{where}.{pack_id}",
        f"the entry point names the package {value!r}, but neither "
        f"src/{package.as_posix()}/pack.json nor {package.as_posix()}/"
        "pack.json exists",
    )


@contextmanager
def _importable_from(folder: Path) -> Iterator[None]:
    """
    Put a trusted path pack's own code first on :data:`sys.path` while
    its extension modules and validators are imported: the folder's parent
    if the folder is a package (``src/maturity_pack_<id>``), else the
    folder itself.  Imported modules stay in :data:`sys.modules`.
    """
    root = folder.parent if (folder / "__init__.py").is_file() else folder
    entry = str(root.resolve())
    sys.path.insert(0, entry)
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path.remove(entry)


def _note_installed(package: str) -> None:
    """Record an installed pack's file as an input of the current command."""
    resource = files(package).joinpath("pack.json")
    if isinstance(resource, os.PathLike):
        _files.note_input(resource)


def load_validator(name: str) -> Any:
    """Import the validator function ``module:function``."""
    module_name, _, func = name.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, func)
