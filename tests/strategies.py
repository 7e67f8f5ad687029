"""
Hypothesis strategies for the property tests (one place, H11).

``packs()`` draws valid pack data (plain JSON-ready dicts), and
``assessments_for(pack_data)`` a complete assessment dict for one of
them; ``packs_and_assessments()`` draws both.  Build the objects with
``maturity_core.load_pack(data)`` and ``Assessment.from_dict(data)``.

Every generated pack is valid by construction: weights under each parent
are drawn as positive integers divided by their sum, so they add up to
exactly 1, and they are written as unreduced fractions ("3/7"), reduced
fractions or terminating decimals ("0.25") to exercise exact parsing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st


#: The CMMM rubric (DESIGN.md §3): id → exact value as written in data.
CMMM_RATINGS = (
    ("full", "1"),
    ("most", "0.8"),
    ("partial", "0.5"),
    ("none", "0"),
)
RATING_VALUES = {rid: Fraction(value) for rid, value in CMMM_RATINGS}
RULES = ("cumulative-gated", "cumulative-gated-unit")
GATES = ("0.8", "0.5", "1", "3/4")

#: An upper bound on the number of nodes, to keep examples fast.
MAX_NODES = 30
MAX_DEPTH = 4
MAX_CHILDREN = 4
MAX_LEVELS = 5


# ---------------------------------------------------------------------------
# Exact numbers as pack data writes them


def decimal_text(value: Fraction) -> str | None:
    """*value* as a terminating decimal string, or ``None`` if it has none."""
    den = value.denominator
    places = 0
    while 10**places % den and places < 18:  # the schema's limit
        places += 1
    if 10**places % den:
        return None
    scaled = value.numerator * (10**places // den)
    if places == 0:
        return str(scaled)
    whole, frac = divmod(scaled, 10**places)
    return f"{whole}.{str(frac).rjust(places, '0')}"


@st.composite
def exact_texts(draw: Any, value: Fraction, *, num: int, den: int) -> str:
    """
    One of the ways to write *value* (= *num*/*den*) exactly: unreduced
    fraction, reduced fraction, or terminating decimal where there is one.
    """
    options = [f"{num}/{den}", str(value)]
    as_decimal = decimal_text(value)
    if as_decimal is not None:
        options.append(as_decimal)
    return draw(st.sampled_from(options))


@st.composite
def weight_sets(draw: Any, ids: Sequence[str]) -> dict[str, str]:
    """Exact weights for sibling *ids* that sum to exactly 1."""
    raw = draw(
        st.lists(
            st.integers(min_value=1, max_value=12),
            min_size=len(ids),
            max_size=len(ids),
        )
    )
    total = sum(raw)
    return {
        nid: draw(exact_texts(Fraction(w, total), num=w, den=total))
        for nid, w in zip(ids, raw, strict=True)
    }


# ---------------------------------------------------------------------------
# Walking pack data


def walk(nodes: Sequence[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    """Every node of a node-data list, depth first."""
    for node in nodes:
        yield node
        yield from walk(node.get("children", []))


def parents_of(data: Mapping[str, Any]) -> dict[str, str | None]:
    """Node id → parent id (``None`` for top-level nodes)."""
    out: dict[str, str | None] = {n["id"]: None for n in data["nodes"]}
    for node in walk(data["nodes"]):
        for child in node.get("children", []):
            out[child["id"]] = node["id"]
    return out


def children_of(data: Mapping[str, Any]) -> dict[str | None, list[str]]:
    """Parent id (``None`` for the root) → child ids, in data order."""
    out: dict[str | None, list[str]] = {None: [n["id"] for n in data["nodes"]]}
    for node in walk(data["nodes"]):
        out[node["id"]] = [c["id"] for c in node.get("children", [])]
    return out


def ancestors(parents: Mapping[str, str | None], nid: str) -> list[str]:
    """The ids above *nid*, nearest first."""
    out = []
    current = parents[nid]
    while current is not None:
        out.append(current)
        current = parents[current]
    return out


def subtree(children: Mapping[str | None, list[str]], nid: str) -> set[str]:
    """*nid* and every id below it."""
    out = {nid}
    for child in children.get(nid, []):
        out |= subtree(children, child)
    return out


def profile_data(data: Mapping[str, Any], profile: str | None) -> dict:
    """The profile data *profile* names, or the default one."""
    profiles = data["profiles"]
    if profile is not None:
        return next(p for p in profiles if p["id"] == profile)
    marked = [p for p in profiles if p.get("default")]
    return marked[0] if marked else profiles[0]


def scope_of(data: Mapping[str, Any], profile: Mapping[str, Any]) -> set[str]:
    """The node ids in *profile*'s default scope."""
    children = children_of(data)
    out = {n["id"] for n in walk(data["nodes"])}
    for nid in profile.get("exclude", []):
        out -= subtree(children, nid)
    return out


def leaves_of(data: Mapping[str, Any]) -> set[str]:
    """The ids of leaf nodes."""
    return {n["id"] for n in walk(data["nodes"]) if not n.get("children")}


def tailorable(
    data: Mapping[str, Any], profile: Mapping[str, Any]
) -> list[str]:
    """
    Nodes that may be tailored out under *profile*: in scope, and no
    mandatory node above, at or below them.
    """
    parents = parents_of(data)
    children = children_of(data)
    scope = scope_of(data, profile)
    mandatory = set(profile.get("mandatory", []))
    return [
        nid
        for nid in (n["id"] for n in walk(data["nodes"]))
        if nid in scope
        and not mandatory & subtree(children, nid)
        and not mandatory & set(ancestors(parents, nid))
    ]


# ---------------------------------------------------------------------------
# Packs


@st.composite
def _tree(draw: Any, max_depth: int) -> list[dict[str, Any]]:
    counter = [0]

    def new_id() -> str:
        counter[0] += 1
        return f"n{counter[0]}"

    def level(depth: int) -> list[dict[str, Any]]:
        count = draw(st.integers(min_value=1, max_value=MAX_CHILDREN))
        out = []
        for i in range(count):
            node: dict[str, Any] = {
                "id": new_id(),
                "kind": ("element", "domain", "subdomain", "item")[depth - 1],
                "name": {"en": f"Node at depth {depth}"},
            }
            room = depth < max_depth and counter[0] < MAX_NODES
            # The first child goes down, so the tree reaches max_depth
            # while the node budget lasts.
            if room and (i == 0 or draw(st.booleans())):
                node["children"] = level(depth + 1)
            out.append(node)
        return out

    return level(1)


@st.composite
def _profile(
    draw: Any,
    data: Mapping[str, Any],
    *,
    profile_id: str,
    exclude: bool,
) -> dict[str, Any]:
    children = children_of(data)
    excluded: list[str] = []
    if exclude:
        for _ in range(draw(st.integers(min_value=1, max_value=2))):
            scope = scope_of(data, {"exclude": excluded})
            # A node can go if its parent keeps another child in scope.
            candidates = [
                nid
                for parent, kids in children.items()
                for nid in kids
                if nid in scope
                and (parent is None or parent in scope)
                and sum(k in scope for k in kids) >= 2
            ]
            if not candidates:
                break
            excluded.append(draw(st.sampled_from(candidates)))
    prof: dict[str, Any] = {"id": profile_id, "name": {"en": profile_id}}
    scope = scope_of(data, {"exclude": excluded})
    weights: dict[str, str] = {}
    for kids in children.values():
        present = [k for k in kids if k in scope]
        if present:
            weights.update(draw(weight_sets(present)))
    # Reorder the mapping: the order of weights carries no meaning.
    prof["weights"] = dict(draw(st.permutations(sorted(weights.items()))))
    if excluded:
        prof["exclude"] = excluded
    if draw(st.booleans()):
        in_scope = sorted(scope, key=lambda n: int(n[1:]))
        prof["mandatory"] = draw(
            st.lists(st.sampled_from(in_scope), max_size=2, unique=True)
        )
    return prof


@st.composite
def packs(draw: Any) -> dict[str, Any]:
    """
    Valid pack data: a tree of depth 1–4 with 1–4 children per node,
    1–5 contiguous levels, 1–4 requirements per leaf at some levels, the
    CMMM rubric (with or without ``na``), exact weights summing to 1,
    bands at n − 1 + gate, either CMMM level rule, and sometimes a second
    profile that excludes a subtree, and mandatory nodes.
    """
    n_levels = draw(st.integers(min_value=1, max_value=MAX_LEVELS))
    max_depth = draw(st.integers(min_value=1, max_value=MAX_DEPTH))
    nodes = draw(_tree(max_depth))
    data: dict[str, Any] = {
        "format": 1,
        "id": draw(st.sampled_from(["gen", "gen-pack", "g.1"])),
        "version": draw(st.sampled_from(["1.0.0", "2.3.1", "0.1.0"])),
        "title": {"en": "Generated pack"},
        "levels": [
            {"number": k, "name": {"en": f"Level {k}"}}
            for k in range(1, n_levels + 1)
        ],
        "nodes": nodes,
    }
    requirements = []
    for node in walk(nodes):
        if node.get("children"):
            continue
        levels = draw(
            st.lists(
                st.integers(min_value=1, max_value=n_levels),
                min_size=1,
                max_size=4,
            )
        )
        for i, lvl in enumerate(sorted(levels)):
            req: dict[str, Any] = {
                "id": f"{node['id']}.{lvl}.{i}",
                "node": node["id"],
                "level": lvl,
                "text": {"en": f"{node['id']} requirement {i}"},
                "provenance": {"status": "proposal"},
            }
            tags = draw(
                st.lists(st.sampled_from(["m", "t"]), max_size=2, unique=True)
            )
            if tags:
                req["tags"] = tags
            requirements.append(req)
    data["requirements"] = requirements
    rubric: dict[str, Any] = {
        "ratings": [
            {"id": rid, "value": value, "name": {"en": rid}}
            for rid, value in CMMM_RATINGS
        ]
    }
    na = draw(st.sampled_from(["absent", "allowed", "forbidden"]))
    if na != "absent":
        rubric["na"] = {"allowed": na == "allowed"}
    data["rubric"] = rubric
    profiles = [draw(_profile(data, profile_id="p1", exclude=False))]
    if draw(st.booleans()):
        profiles.append(draw(_profile(data, profile_id="p2", exclude=True)))
        if draw(st.booleans()):
            profiles[draw(st.integers(0, 1))]["default"] = True
    data["profiles"] = profiles
    gate_text = draw(st.sampled_from(GATES))
    gate = Fraction(gate_text)
    bands = []
    for k in range(1, n_levels + 1):
        low = k - 1 + gate
        bands.append({"level": k, "min": decimal_text(low) or str(low)})
    data["method"] = {
        "rule": draw(st.sampled_from(RULES)),
        "rules": list(RULES),
        "gate": gate_text,
        "bands": bands,
    }
    return data


# ---------------------------------------------------------------------------
# Assessments


def rating_ids(
    data: Mapping[str, Any], req: Mapping[str, Any] | None = None
) -> list[str]:
    """
    The rating ids a rater may use for *req* of *data* (``na`` if
    allowed): those of the requirement's rubric, the main one by default.
    """
    rubric = data["rubric"]
    if req is not None and "rubric" in req:
        rubric = data["rubrics"][req["rubric"]]
    ids = [r["id"] for r in rubric["ratings"]]
    if rubric.get("na", {}).get("allowed"):
        ids.append("na")
    return ids


def in_scope_requirements(
    data: Mapping[str, Any], profile: Mapping[str, Any]
) -> list[Mapping[str, Any]]:
    """Requirements of leaves in *profile*'s default scope, in pack order."""
    scope = scope_of(data, profile)
    return [r for r in data["requirements"] if r["node"] in scope]


@st.composite
def _tailoring(
    draw: Any, data: Mapping[str, Any], profile: Mapping[str, Any]
) -> list[dict[str, str]]:
    """One or two tailorable nodes, leaving at least one leaf in scope."""
    children = children_of(data)
    leaves = leaves_of(data) & scope_of(data, profile)
    cut: set[str] = set()
    tailoring = []
    for _ in range(draw(st.integers(min_value=1, max_value=2))):
        candidates = [
            nid
            for nid in tailorable(data, profile)
            if nid not in cut
            # Something must stay in scope to score.
            and leaves - subtree(children, nid) - _below(children, cut)
        ]
        if not candidates:
            break
        nid = draw(st.sampled_from(candidates))
        cut.add(nid)
        tailoring.append({"node": nid, "reason": f"no {nid} on site"})
    return tailoring


@st.composite
def _rating_entry(
    draw: Any, req: Mapping[str, Any], allowed: Sequence[str]
) -> dict[str, Any]:
    """A rating of *req*, sometimes with a note, evidence or its place."""
    entry: dict[str, Any] = {
        "id": req["id"],
        "rating": draw(st.sampled_from(allowed)),
    }
    extra = draw(st.sampled_from(["", "note", "evidence", "where"]))
    if extra == "note":
        entry["note"] = "seen on site"
    elif extra == "evidence":
        entry["evidence"] = draw(
            st.sampled_from(
                [
                    "a document",
                    [{"description": "a drill", "method": "drill"}],
                ]
            )
        )
    elif extra == "where":
        entry["node"] = req["node"]
        entry["level"] = req["level"]
    return entry


@st.composite
def assessments_for(
    draw: Any, data: Mapping[str, Any], *, tailor: bool = True
) -> dict[str, Any]:
    """
    A complete assessment dict for pack *data*: every requirement in the
    profile's scope rated (``na`` only where allowed), and sometimes one
    or two tailorable nodes tailored out with a reason (never all leaves).
    """
    choice = draw(
        st.sampled_from([None, *[p["id"] for p in data["profiles"]]])
    )
    profile = profile_data(data, choice)
    out: dict[str, Any] = {"pack": data["id"]}
    if draw(st.booleans()):
        out["format"] = 1
    if choice is not None:
        out["profile"] = choice
    if draw(st.booleans()):
        out["pack_version"] = data["version"]
    if draw(st.booleans()):
        method = data["method"]
        out["rule"] = draw(
            st.sampled_from(method.get("rules") or [method["rule"]])
        )
    if draw(st.booleans()):
        out["metadata"] = {
            "organisation": draw(st.sampled_from(["ACME", "某某公司"])),
            "date": "2024-05-01",
            "mode": draw(st.sampled_from(["self", "external"])),
            "assessors": [{"name": "Li", "role": "lead"}, {"name": "Wang"}],
        }
    if tailor and draw(st.booleans()):
        tailoring = draw(_tailoring(data, profile))
        if tailoring:
            out["tailoring"] = tailoring
    out["ratings"] = [
        draw(_rating_entry(req, rating_ids(data, req)))
        for req in in_scope_requirements(data, profile)
    ]
    return out


def _below(children: Mapping[str | None, list[str]], cut: set[str]) -> set:
    out: set[str] = set()
    for nid in cut:
        out |= subtree(children, nid)
    return out


@st.composite
def packs_and_assessments(
    draw: Any, *, tailor: bool = True
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A valid pack's data and a complete assessment dict for it."""
    data = draw(packs())
    return data, draw(assessments_for(data, tailor=tailor))


# ---------------------------------------------------------------------------
# Packs of other shapes: every aggregation, rule and rubric arrangement

#: Rules of the tests, registered by :func:`register_test_rules`: a
#: monotone pack rule with and without a vectorised fold, and one that
#: is not monotone.
TEST_RULES = (
    "test-leading-passes",
    "test-leading-passes-slow",
    "test-spread",
)
#: Every rule the general packs draw from.
ALL_RULES = (
    "cumulative-gated",
    "cumulative-gated-unit",
    "additive",
    *TEST_RULES,
)


def _leading_passes(xs, gate):
    """S = how many levels from level 1 up meet the gate."""
    import maturity_core as mc

    passed = 0
    for x in xs:
        if x < gate:
            break
        passed += 1
    return mc.typing.RuleOutcome(
        Fraction(passed), min(passed + 1, len(xs)), ("leading passes",)
    )


def _leading_passes_vector(np, x, gate, denominator):
    run = np.cumprod(x >= gate, axis=1).sum(axis=1)
    return run * denominator, np.minimum(run + 1, x.shape[1])


def _spread(xs, gate):
    """S = the largest level score less the smallest, plus 1 (not
    monotone)."""
    import maturity_core as mc

    del gate
    return mc.typing.RuleOutcome(max(xs) - min(xs) + 1, len(xs), ("spread",))


def register_test_rules() -> None:
    """Register :data:`TEST_RULES` (again, harmlessly)."""
    import maturity_core as mc

    mc.register_rule(
        mc.LevelRule(
            "test-leading-passes",
            _leading_passes,
            vector_fold=_leading_passes_vector,
            monotone=True,
        ),
        replace=True,
    )
    mc.register_rule(
        mc.LevelRule("test-leading-passes-slow", _leading_passes, monotone=True),
        replace=True,
    )
    mc.register_rule(mc.LevelRule("test-spread", _spread), replace=True)


TAGGED_RUBRICS = {
    "yes-no": {
        "name": {"en": "Yes or no", "zh": "是否"},
        "ratings": [
            {"id": "yes", "value": "1", "name": {"en": "Yes", "zh": "是"}},
            {"id": "no", "value": "0", "name": {"en": "No", "zh": "否"}},
        ],
    },
    "quarters": {
        "ratings": [
            {"id": f"q{i}", "value": f"{i}/4", "name": {"en": f"{i}/4"}}
            for i in range(4, -1, -1)
        ],
    },
}


def depth_of(data: Mapping[str, Any]) -> int:
    """The depth of the deepest node."""

    def depth(nodes: Sequence[Mapping[str, Any]]) -> int:
        return max((1 + depth(n.get("children", [])) for n in nodes), default=0)

    return depth(data["nodes"])


@st.composite
def general_packs(draw: Any) -> dict[str, Any]:
    """
    :func:`packs`, varied further: either aggregation, any built-in rule
    or a pack rule (with or without a vectorised fold, monotone or not),
    the additive rule with or without gate and bands, further named
    rubrics some requirements use, and named tiers.
    """
    data = draw(packs())
    method = data["method"]
    method["aggregation"] = draw(st.sampled_from(["weighted-mean", "minimum"]))
    rule = draw(st.sampled_from(ALL_RULES))
    method["rule"] = rule
    if rule == "additive":
        if draw(st.booleans()):
            del method["gate"]
        if draw(st.integers(0, 2)) == 0:
            del method["bands"]
    if "gate" in method:
        method["rules"] = list(ALL_RULES)
    else:
        method["rules"] = ["additive"]
    if draw(st.booleans()):
        names = draw(
            st.lists(
                st.sampled_from(sorted(TAGGED_RUBRICS)), min_size=1, unique=True
            )
        )
        data["rubrics"] = {}
        for name in names:
            rubric = dict(TAGGED_RUBRICS[name])
            if draw(st.booleans()):
                rubric["na"] = {"allowed": True}
            data["rubrics"][name] = rubric
        for req in data["requirements"]:
            choice = draw(st.sampled_from([None, *names]))
            if choice is not None:
                req["rubric"] = choice
    if draw(st.booleans()):
        data["tiers"] = [
            {"id": f"tier{d}", "name": {"en": f"Tier {d}", "zh": f"层{d}"}}
            for d in range(1, depth_of(data) + 1)
        ]
    return data


@st.composite
def general_packs_and_assessments(
    draw: Any, *, tailor: bool = True
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A general pack's data and a complete assessment dict for it."""
    data = draw(general_packs())
    return data, draw(assessments_for(data, tailor=tailor))



@st.composite
def general_packs_and_populations(
    draw: Any, *, min_size: int = 2, max_size: int = 8
) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, str]]]:
    """
    A general pack's data, an assessment dict for it (its profile, rule
    and tailoring), and a population of ratings (requirement id → rating)
    of the same requirements, about half of the cells ``na`` where the
    requirement's rubric allows it.
    """
    data, raw = draw(general_packs_and_assessments())
    by_id = {r["id"]: r for r in data["requirements"]}
    rated = [by_id[entry["id"]] for entry in raw["ratings"]]
    population = []
    for _ in range(draw(st.integers(min_value=min_size, max_value=max_size))):
        row = {}
        for req in rated:
            allowed = rating_ids(data, req)
            if "na" in allowed and draw(st.booleans()):
                row[req["id"]] = "na"
            else:
                row[req["id"]] = draw(st.sampled_from(allowed))
        population.append(row)
    return data, raw, population


register_test_rules()
