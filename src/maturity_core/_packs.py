"""Pack discovery, validation and loading."""

from __future__ import annotations

import hashlib
import importlib
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from fractions import Fraction
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from . import _files, _jsonio
from ._model import (
    NA,
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
)
from ._rules import rule_names
from ._schema import iter_schema_problems
from ._text import Text
from .exceptions import (
    IncompatiblePackError,
    InvalidPackError,
    PackNotFoundError,
    Problem,
)


#: The entry-point group packs register under.
GROUP = "maturity_core.packs"
#: The newest pack data format this core reads.
FORMAT = 1
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
# Validation


def _exact(text: str) -> Fraction:
    return Fraction(text)


def _walk_data(
    nodes: list[dict[str, Any]], path: str, parent: str
) -> Iterator[tuple[dict[str, Any], str, str]]:
    for i, node in enumerate(nodes):
        here = f"{path}[{i}]"
        yield node, here, parent
        yield from _walk_data(
            node.get("children", []), f"{here}.children", node["id"]
        )


def iter_pack_problems(data: Any) -> Iterator[Problem]:
    """
    Yield every problem with pack *data*; never raises.

    Schema problems come first; the semantic checks (unique ids, exact
    weight sums, contiguous levels, requirements on every in-scope leaf,
    known level rules, …) run only on schema-valid data.

    .. versionadded:: 0.1.0
    """
    if not isinstance(data, dict):
        yield Problem("$", "a pack must be a JSON object", "schema")
        return
    fmt = data.get("format")
    if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt > FORMAT:
        yield Problem(
            "$.format",
            f"pack format {fmt} is newer than this core reads (up to "
            f"{FORMAT}); upgrade maturity-core",
            "format-too-new",
        )
        return
    schema_problems = list(iter_schema_problems("pack", data))
    if schema_problems:
        yield from schema_problems
        return
    yield from _semantic_problems(data)


def _semantic_problems(data: dict[str, Any]) -> Iterator[Problem]:  # noqa: C901, PLR0912, PLR0915 -- one linear list of checks reads best
    # Levels: unique and contiguous from 1.
    numbers = [lv["number"] for lv in data["levels"]]
    if sorted(numbers) != list(range(1, len(numbers) + 1)):
        yield Problem(
            "$.levels",
            f"level numbers must be 1..{len(numbers)} with no gaps or "
            f"repeats (got {numbers})",
            "levels",
        )
    elif numbers != sorted(numbers):
        yield Problem(
            "$.levels", "levels must be listed lowest first", "levels"
        )
    level_set = set(numbers)

    # Nodes: unique ids; leaves.
    node_paths: dict[str, str] = {}
    parents: dict[str, str] = {}
    children: dict[str, list[str]] = {ROOT: []}
    for node, path, parent in _walk_data(data["nodes"], "$.nodes", ROOT):
        nid = node["id"]
        if nid in node_paths:
            yield Problem(
                f"{path}.id",
                f"duplicate node id {nid!r} (first at {node_paths[nid]})",
                "duplicate-id",
            )
            continue
        node_paths[nid] = path
        parents[nid] = parent
        children.setdefault(parent, []).append(nid)
        children.setdefault(nid, [])
    leaves = {n for n, c in children.items() if not c and n != ROOT}

    # Requirements.
    req_paths: dict[str, str] = {}
    reqs_per_leaf: Counter[str] = Counter()
    for i, req in enumerate(data["requirements"]):
        path = f"$.requirements[{i}]"
        rid = req["id"]
        if rid in req_paths:
            yield Problem(
                f"{path}.id",
                f"duplicate requirement id {rid!r} (first at "
                f"{req_paths[rid]})",
                "duplicate-id",
            )
        else:
            req_paths[rid] = path
        node = req["node"]
        if node not in node_paths:
            yield Problem(
                f"{path}.node",
                f"unknown node {node!r}; requirements belong to leaf nodes",
                "unknown-node",
            )
        elif node not in leaves:
            yield Problem(
                f"{path}.node",
                f"node {node!r} has children; requirements belong to "
                "leaf nodes",
                "not-a-leaf",
            )
        else:
            reqs_per_leaf[node] += 1
        if req["level"] not in level_set:
            yield Problem(
                f"{path}.level",
                f"level {req['level']} is not one of the pack's levels "
                f"{sorted(level_set)}",
                "unknown-level",
            )

    # Rubric.
    seen_ratings: set[str] = set()
    for i, option in enumerate(data["rubric"]["ratings"]):
        path = f"$.rubric.ratings[{i}]"
        if option["id"] == NA:
            yield Problem(
                f"{path}.id",
                "'na' is reserved; allow it with rubric.na.allowed",
                "reserved-id",
            )
        if option["id"] in seen_ratings:
            yield Problem(
                f"{path}.id",
                f"duplicate rating id {option['id']!r}",
                "duplicate-id",
            )
        seen_ratings.add(option["id"])
        value = _exact(option["value"])
        if not 0 <= value <= 1:
            yield Problem(
                f"{path}.value",
                f"rating values must lie in [0, 1] (got {option['value']})",
                "out-of-range",
            )

    # Profiles.
    seen_profiles: set[str] = set()
    defaults = 0
    for i, prof in enumerate(data["profiles"]):
        path = f"$.profiles[{i}]"
        if prof["id"] in seen_profiles:
            yield Problem(
                f"{path}.id",
                f"duplicate profile id {prof['id']!r}",
                "duplicate-id",
            )
        seen_profiles.add(prof["id"])
        defaults += bool(prof.get("default"))
        yield from _profile_problems(
            prof,
            path=path,
            node_paths=node_paths,
            parents=parents,
            children=children,
            leaves=leaves,
            reqs_per_leaf=reqs_per_leaf,
        )
    if defaults > 1:
        yield Problem(
            "$.profiles",
            "at most one profile may be marked default",
            "profiles",
        )

    # Method.
    method = data["method"]
    known = rule_names()
    for key, names in (
        ("rule", [method["rule"]]),
        ("rules", method.get("rules", [])),
    ):
        for j, name in enumerate(names):
            if name not in known:
                where = (
                    "$.method.rule"
                    if key == "rule"
                    else f"$.method.rules[{j}]"
                )
                yield Problem(
                    where,
                    f"unknown level rule {name!r}; registered rules: "
                    f"{', '.join(known)}",
                    "unknown-rule",
                )
    gate = _exact(method["gate"])
    if not 0 < gate <= 1:
        yield Problem(
            "$.method.gate",
            f"the gate must lie in (0, 1] (got {method['gate']})",
            "out-of-range",
        )
    previous: tuple[int, Fraction] | None = None
    band_levels: set[int] = set()
    for i, band in enumerate(method["bands"]):
        path = f"$.method.bands[{i}]"
        lvl, lo = band["level"], _exact(band["min"])
        if lvl not in level_set:
            yield Problem(
                f"{path}.level",
                f"level {lvl} is not one of the pack's levels",
                "unknown-level",
            )
        if lvl in band_levels:
            yield Problem(
                f"{path}.level", f"duplicate band for level {lvl}", "bands"
            )
        band_levels.add(lvl)
        if lo > len(level_set):
            yield Problem(
                f"{path}.min",
                f"band minimum {band['min']} exceeds the highest possible "
                f"score {len(level_set)}",
                "out-of-range",
            )
        if previous is not None and (lvl <= previous[0] or lo <= previous[1]):
            yield Problem(
                path,
                "bands must be listed by increasing level with strictly "
                "increasing minimum scores",
                "bands",
            )
        previous = (lvl, lo)


def _profile_problems(  # noqa: PLR0913, C901, PLR0912 -- checks share the tree indexes
    prof: dict[str, Any],
    *,
    path: str,
    node_paths: Mapping[str, str],
    parents: Mapping[str, str],
    children: Mapping[str, list[str]],
    leaves: set[str],
    reqs_per_leaf: Mapping[str, int],
) -> Iterator[Problem]:
    excluded: set[str] = set()
    for j, nid in enumerate(prof.get("exclude", [])):
        if nid not in node_paths:
            yield Problem(
                f"{path}.exclude[{j}]", f"unknown node {nid!r}", "unknown-node"
            )
        excluded.add(nid)

    def in_scope(nid: str) -> bool:
        current = nid
        while current != ROOT:
            if current in excluded:
                return False
            current = parents[current]
        return True

    scope = {n for n in node_paths if in_scope(n)}
    weights = prof["weights"]
    for nid in weights:
        if nid not in node_paths:
            yield Problem(
                f"{path}.weights.{nid}",
                f"weight for unknown node {nid!r}",
                "unknown-node",
            )
        elif nid not in scope:
            yield Problem(
                f"{path}.weights.{nid}",
                f"weight for node {nid!r}, which this profile excludes",
                "excluded-node",
            )
    for nid in sorted(scope, key=lambda n: node_paths[n]):
        if nid not in weights:
            yield Problem(
                f"{path}.weights",
                f"node {nid!r} is in this profile's scope but has no weight",
                "missing-weight",
            )
    for parent in [ROOT, *sorted(scope, key=lambda n: node_paths[n])]:
        kids = [c for c in children.get(parent, []) if c in scope]
        if parent != ROOT and parent in leaves:
            if not reqs_per_leaf.get(parent):
                yield Problem(
                    f"{path}.weights.{parent}",
                    f"leaf {parent!r} is in scope but has no requirements",
                    "empty-leaf",
                )
            continue
        if not kids:
            where = "the root" if parent == ROOT else f"node {parent!r}"
            yield Problem(
                f"{path}.exclude",
                f"{where} has no children left in scope; exclude it too",
                "empty-node",
            )
            continue
        if any(k not in weights for k in kids):
            continue
        total = sum((_exact(weights[k]) for k in kids), Fraction(0))
        if total != 1:
            where = (
                "top-level nodes"
                if parent == ROOT
                else f"children of {parent!r}"
            )
            yield Problem(
                f"{path}.weights",
                f"weights of the {where} ({', '.join(kids)}) sum to "
                f"{total}, not exactly 1",
                "weight-sum",
            )
    for j, nid in enumerate(prof.get("mandatory", [])):
        if nid not in node_paths:
            yield Problem(
                f"{path}.mandatory[{j}]",
                f"unknown node {nid!r}",
                "unknown-node",
            )
        elif nid not in scope:
            yield Problem(
                f"{path}.mandatory[{j}]",
                f"mandatory node {nid!r} is excluded from this profile",
                "excluded-node",
            )


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
    )


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
                {k: _exact(v) for k, v in prof["weights"].items()}
            ),
            scope=frozenset(n for n in all_ids if in_scope(n)),
            mandatory=frozenset(prof.get("mandatory", [])),
            provenance=MappingProxyType(dict(prof.get("provenance", {}))),
        )
    rubric_data = data["rubric"]
    na = rubric_data.get("na", {"allowed": False})
    method = data["method"]
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
            )
            for r in data["requirements"]
        ),
        rubric=Rubric(
            options=tuple(
                RatingOption(o["id"], _exact(o["value"]), _text(o["name"]))
                for o in rubric_data["ratings"]
            ),
            na_allowed=na["allowed"],
            na_name=_text(
                na.get("name", {"zh": "不适用", "en": "Not applicable"})
            ),
        ),
        profiles=MappingProxyType(profiles),
        default_profile=default,
        method=Method(
            rule=method["rule"],
            gate=_exact(method["gate"]),
            bands=tuple(
                Band(b["level"], _exact(b["min"])) for b in method["bands"]
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

    Raises:
        IncompatiblePackError: If the data's format is newer than the core's.
        InvalidPackError: With every problem found.

    .. versionadded:: 0.1.0
    """
    pack_id = data.get("id") if isinstance(data, dict) else None
    pack_id = pack_id if isinstance(pack_id, str) else None
    extension_problems = _import_extensions(data, trusted=trusted)
    problems = list(iter_pack_problems(data))
    if extension_problems and any(p.code == "unknown-rule" for p in problems):
        problems += extension_problems
    for p in problems:
        if p.code == "format-too-new":
            raise IncompatiblePackError(
                pack_id, data["format"], FORMAT, source
            )
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


def _import_extensions(data: Any, *, trusted: bool) -> list[Problem]:
    """Import a trusted pack's extension modules (they register rules)."""
    if not isinstance(data, dict) or not isinstance(
        data.get("extensions"), list
    ):
        return []
    names = [n for n in data["extensions"] if isinstance(n, str)]
    if not trusted:
        return [
            Problem(
                "$.extensions",
                "the pack's extension modules "
                f"({', '.join(names)}) were not imported because the pack "
                "was not loaded from an installed entry point; load it with "
                "trust_code=True to run them",
                "untrusted-extensions",
            )
        ]
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


_CACHE: dict[str, Pack] = {}


def clear_pack_cache() -> None:
    """Forget packs loaded from entry points (for tests and reloads).

    .. versionadded:: 0.1.0
    """
    _CACHE.clear()


def _looks_like_path(ref: str) -> bool:
    if (
        os.sep in ref
        or "/" in ref
        or ref.endswith(".json")
        or ref in (".", "..")
    ):
        return True
    try:
        return Path(ref).exists()
    except (OSError, ValueError):  # a name too long, or with a NUL byte
        return False


def load_pack(
    ref: str | os.PathLike[str] | Mapping[str, Any],
    *,
    trust_code: bool = False,
    entry_points: Iterable[metadata.EntryPoint] | None = None,
) -> Pack:
    """
    Load and validate a pack by installed id, directory or pack.json path,
    or from already-parsed data.

    Packs from entry points are installed code and are trusted: their
    validators run.  Packs from a path or from data run no code unless
    *trust_code* is true; their validators are reported as skipped.

    Raises:
        PackNotFoundError: If *ref* is neither an installed id nor a path.
        InvalidPackError: With every problem in the pack.
        IncompatiblePackError: If the pack's format is newer than the core's.

    .. versionadded:: 0.1.0
    """
    if isinstance(ref, Mapping):
        return pack_from_data(dict(ref), trusted=trust_code)
    if isinstance(ref, os.PathLike) or _looks_like_path(str(ref)):
        path = Path(ref)
        try:
            is_dir = path.is_dir()
        except (OSError, ValueError):
            is_dir = False
        if is_dir:
            path /= "pack.json"
        data = _jsonio.read_json(path)
        return pack_from_data(data, source=str(path), trusted=trust_code)
    pack_id = str(ref)
    infos = {i.id: i for i in discover_packs(entry_points=entry_points)}
    if pack_id not in infos:
        raise PackNotFoundError(pack_id, sorted(infos))
    info = infos[pack_id]
    key = f"{info.id}={info.entry_point}"
    if entry_points is None and key in _CACHE:
        _note_installed(info.entry_point)
        return _CACHE[key]
    source = f"{info.entry_point}/pack.json"
    try:
        text = files(info.entry_point).joinpath("pack.json").read_text("utf-8")
        _note_installed(info.entry_point)
    except (ImportError, OSError, UnicodeDecodeError) as e:
        raise InvalidPackError(
            pack_id,
            [Problem("$", f"cannot read pack.json: {e}", "unreadable")],
            source,
        ) from None
    data = _jsonio.loads(text, source)
    pack = pack_from_data(
        data, source=source, trusted=True, expected_id=pack_id
    )
    if entry_points is None:
        _CACHE[key] = pack
    return pack


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
