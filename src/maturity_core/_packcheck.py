"""
Pack checks: every problem of pack data, with its JSON path.  Schema
problems come first; the semantic checks (unique ids, exact weight sums,
contiguous levels, requirements on every in-scope leaf, known level
rules, ...) run on schema-valid data only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Any

from ._model import NA, ROOT
from ._rules import rule_names
from ._schema import iter_schema_problems
from .exceptions import Problem


#: The newest pack data format this core reads.
FORMAT = 1


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

    # Rubrics.
    yield from _rubric_problems(data["rubric"], "$.rubric")
    for rid, rubric in data.get("rubrics", {}).items():
        yield from _rubric_problems(rubric, f"$.rubrics.{rid}")

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
    if "gate" in method:
        gate = _exact(method["gate"])
        if not 0 < gate <= 1:
            yield Problem(
                "$.method.gate",
                f"the gate must lie in (0, 1] (got {method['gate']})",
                "out-of-range",
            )
    previous: tuple[int, Fraction] | None = None
    band_levels: set[int] = set()
    for i, band in enumerate(method.get("bands", [])):
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
    yield from _shape_problems(data, parents)


def _rubric_problems(rubric: dict[str, Any], where: str) -> Iterator[Problem]:
    seen_ratings: set[str] = set()
    for i, option in enumerate(rubric["ratings"]):
        path = f"{where}.ratings[{i}]"
        if option["id"] == NA:
            yield Problem(
                f"{path}.id",
                "'na' is reserved; allow it with the rubric's na.allowed",
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


def _shape_problems(  # noqa: C901 -- one linear list of checks
    data: dict[str, Any], parents: Mapping[str, str]
) -> Iterator[Problem]:
    """Rubric references, tiers, the gate a rule needs, the aggregation."""
    rubrics = {"default", *data.get("rubrics", {})}
    if "default" in data.get("rubrics", {}):
        yield Problem(
            "$.rubrics.default",
            "'default' names the pack's main rubric ($.rubric); choose "
            "another id",
            "duplicate-id",
        )
    for i, req in enumerate(data["requirements"]):
        name = req.get("rubric")
        if name is not None and name not in rubrics:
            yield Problem(
                f"$.requirements[{i}].rubric",
                f"unknown rubric {name!r}; the pack's rubrics: "
                f"{', '.join(sorted(rubrics))}",
                "unknown-rubric",
            )
    depth_of: dict[str, int] = {}

    def depth(nid: str) -> int:
        if nid not in depth_of:
            parent = parents[nid]
            depth_of[nid] = 1 if parent == ROOT else depth(parent) + 1
        return depth_of[nid]

    deepest = max((depth(n) for n in parents), default=0)
    tiers = data.get("tiers")
    if tiers is not None:
        if len(tiers) != deepest:
            yield Problem(
                "$.tiers",
                f"the tree has {deepest} depths, so the pack names "
                f"{deepest} tiers (got {len(tiers)})",
                "tiers",
            )
        if sum(bool(t.get("chart")) for t in tiers) > 1:
            yield Problem(
                "$.tiers", "at most one tier may be charted", "tiers"
            )
    method = data["method"]
    from ._rules import aggregation_names, get_rule  # noqa: PLC0415

    aggregation = method.get("aggregation", "weighted-mean")
    if aggregation not in aggregation_names():
        yield Problem(
            "$.method.aggregation",
            f"unknown aggregation {aggregation!r}; valid: "
            f"{', '.join(aggregation_names())}",
            "unknown-aggregation",
        )
    if "gate" not in method:
        for j, name in enumerate([method["rule"], *method.get("rules", [])]):
            if name in rule_names() and get_rule(name).uses_gate:
                yield Problem(
                    "$.method.gate" if j == 0 else f"$.method.rules[{j - 1}]",
                    f"level rule {name!r} needs a gate; give $.method.gate",
                    "missing-gate",
                )


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
