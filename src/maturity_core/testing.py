"""
Helpers for pack authors: check a pack and run its test vectors.

A pack ships test vectors as JSON files in a ``vectors/`` folder beside
its ``pack.json``.  Each vector names a profile and rule, gives the
assessment (literally, or as a *recipe*) and the expected exact results
computed by hand from the standard::

    {
      "name": "uniform-ratings",
      "description": "…",
      "derivation": ["X_1 = 1 …", "S = 33/10 …"],
      "profile": "discrete",
      "rule": "cumulative-gated",
      "recipe": {
        "default": {"1": "full", "2": "full", "3": "most"},
        "nodes": {"production-operations": {"2": "none"}},
        "requirements": {"data.data-sharing.l1": "partial"},
        "tailoring": [{"node": "service", "reason": "…"}]
      },
      "expected": {"score": "33/10", "level": 3,
                   "level_scores": {"1": "1"}, "nodes": {"data": {"1": "1"}},
                   "dimensions": {"effect": {"score": "33/10"}}}
    }

A recipe rates every in-scope requirement by its level (``default``),
then overrides by node (every leaf below the node, at the given levels),
then by requirement id.  Unlisted levels are rated with the rubric's
lowest option.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs

from . import _jsonio
from ._assessment import Assessment
from ._model import Pack
from ._packcheck import iter_pack_problems
from ._result import Result
from ._schema import iter_schema_problems
from ._scoring import score
from .exceptions import InputError, Problem


@attrs.frozen
class Vector:
    """
    One test vector of a pack.

    .. versionadded:: 0.1.0
    """

    name: str
    data: Mapping[str, Any]
    source: str


@attrs.frozen
class VectorOutcome:
    """
    Whether a vector's expected results were met, and how not.

    .. versionadded:: 0.1.0
    """

    vector: Vector
    mismatches: tuple[str, ...]
    result: Result

    @property
    def passed(self) -> bool:
        """Whether every expectation held."""
        return not self.mismatches


def check_pack(pack_data: Any) -> list[Problem]:
    """
    Every problem with *pack_data* (empty if valid).

    .. versionadded:: 0.1.0
    """
    return list(iter_pack_problems(pack_data))


def _vector_dir(pack: Pack) -> Any:
    source = Path(pack.source)
    if source.name == "pack.json" and source.is_file():
        return source.parent / "vectors"
    if pack.source.endswith("/pack.json") and pack.trusted:
        # An installed pack whose files are not on disk (a zip).
        return files(pack.source.removesuffix("/pack.json")).joinpath(
            "vectors"
        )
    return None


def vector_files(pack: Pack) -> list[Any]:
    """
    The ``*.json`` files of the ``vectors/`` folder beside *pack*'s
    ``pack.json``, by name (none for a pack loaded from data).

    .. versionadded:: 0.1.0
    """
    folder = _vector_dir(pack)
    if folder is None or not folder.is_dir():
        return []
    return sorted(
        (e for e in folder.iterdir() if e.name.endswith(".json")),
        key=lambda e: e.name,
    )


def read_vector(entry: Any) -> Vector:
    """
    Read one vector file strictly, as every other input is read (size,
    nesting and string limits; no duplicate keys, ``NaN`` or symbolic
    links), and check it against the vector schema.

    Raises:
        InputError: Naming the file and the JSON path of the first problem.

    .. versionadded:: 0.1.0
    """
    source = str(entry)
    if isinstance(entry, Path):
        if entry.is_symlink():
            raise InputError(
                source,
                "$",
                "a test vector must be a file in the pack's vectors folder, "
                "not a symbolic link",
            )
        data = _jsonio.read_json(entry)
    else:
        data = _jsonio.loads(entry.read_text("utf-8"), source)
    problems = list(iter_schema_problems("vector", data))
    if not problems and "recipe" in data and "assessment" in data:
        problems.append(
            Problem(
                "$",
                "a vector has a 'recipe' or an 'assessment', not both",
                "schema",
            )
        )
    if not problems and "recipe" not in data and "assessment" not in data:
        problems.append(
            Problem(
                "$",
                "a vector needs a 'recipe' or an 'assessment' to score",
                "schema",
            )
        )
    if problems:
        raise InputError(source, problems[0].json_path, problems[0].message)
    return Vector(data.get("name", entry.name), data, source)


def iter_vectors(pack: Pack) -> Iterator[Vector]:
    """
    The test vectors shipped beside *pack*'s ``pack.json``, by file name.

    Raises:
        InputError: If a vector file is malformed (see :func:`read_vector`).

    .. versionadded:: 0.1.0
    """
    for entry in vector_files(pack):
        yield read_vector(entry)


def assessment_from_recipe(
    pack: Pack, profile: str | None, recipe: Mapping[str, Any]
) -> Assessment:
    """
    Build a complete assessment of *pack* from a vector *recipe*.

    .. versionadded:: 0.1.0
    """
    prof = pack.get_profile(profile)
    by_req = dict(recipe.get("requirements", {}))
    ratings = []
    for req in pack.requirements:
        if req.node not in prof.scope:
            continue
        rubric = pack.rubric_of(req)
        # Requirements on another rubric than the main one follow the
        # recipe's part for that rubric (same shape), if it has one.
        part = (
            recipe
            if rubric is pack.rubric
            else recipe.get("rubrics", {}).get(rubric.id, {})
        )
        lowest = min(rubric.options, key=lambda o: o.value).id
        default = {int(k): v for k, v in part.get("default", {}).items()}
        rating = default.get(req.level, lowest)
        lineage = [req.node, *pack.ancestors(req.node)]
        for node, levels in part.get("nodes", {}).items():
            if node in lineage and str(req.level) in levels:
                rating = levels[str(req.level)]
        rating = by_req.get(req.id, rating)
        ratings.append({"id": req.id, "rating": rating})
    data: dict[str, Any] = {
        "pack": pack.id,
        "profile": prof.id,
        "ratings": ratings,
        "tailoring": list(recipe.get("tailoring", [])),
    }
    if "metadata" in recipe:
        data["metadata"] = recipe["metadata"]
    return Assessment.from_dict(data, source=f"recipe for {pack.id}")


def run_vector(pack: Pack, vector: Vector) -> VectorOutcome:  # noqa: C901, PLR0912 -- one check per expectation
    """
    Score *vector* and compare with its expectations.

    .. versionadded:: 0.1.0
    """
    data = vector.data
    profile = data.get("profile")
    if "assessment" in data:
        assessment = Assessment.from_dict(
            data["assessment"], source=vector.source
        )
    else:
        assessment = assessment_from_recipe(pack, profile, data["recipe"])
    result = score(pack, assessment, profile=profile, rule=data.get("rule"))
    got = result.to_dict()
    expected = data["expected"]
    mismatches = [
        f"{key}: expected {expected[key]!r}, got {got[key]!r}"
        for key in ("score", "level", "counted_levels")
        if key in expected and expected[key] != got[key]
    ]
    for level, value in expected.get("level_scores", {}).items():
        if got["level_scores"].get(level) != value:
            mismatches.append(
                f"level_scores[{level}]: expected {value!r}, got "
                f"{got['level_scores'].get(level)!r}"
            )
    for node, levels in expected.get("nodes", {}).items():
        for level, value in levels.items():
            actual = got["nodes"].get(node, {}).get(level)
            if actual != value:
                mismatches.append(
                    f"nodes[{node}][{level}]: expected {value!r}, "
                    f"got {actual!r}"
                )
    for key in ("node_totals", "node_levels"):
        for node, value in expected.get(key, {}).items():
            actual = got[key].get(node)
            if actual != value:
                mismatches.append(
                    f"{key}[{node}]: expected {value!r}, got {actual!r}"
                )
    for tag, dim in expected.get("dimensions", {}).items():
        actual = got["dimensions"].get(tag, {})
        if "score" in dim and actual.get("score") != dim["score"]:
            mismatches.append(
                f"dimensions[{tag}].score: expected {dim['score']!r}, "
                f"got {actual.get('score')!r}"
            )
        for level, value in dim.get("level_scores", {}).items():
            have = actual.get("level_scores", {}).get(level)
            if have != value:
                mismatches.append(
                    f"dimensions[{tag}].level_scores[{level}]: expected "
                    f"{value!r}, got {have!r}"
                )
    return VectorOutcome(vector, tuple(mismatches), result)


def check_vectors(pack: Pack) -> int:
    """
    Run every vector of *pack*; return how many ran.

    Raises:
        AssertionError: Listing every mismatch, if any vector fails, or if
            the pack has no vectors.

    .. versionadded:: 0.1.0
    """
    outcomes = [run_vector(pack, v) for v in iter_vectors(pack)]
    if not outcomes:
        msg = f"pack {pack.id} ships no test vectors"
        raise AssertionError(msg)
    failed = [o for o in outcomes if not o.passed]
    if failed:
        lines = [f"{o.vector.name}: {m}" for o in failed for m in o.mismatches]
        raise AssertionError("\n".join(lines))
    return len(outcomes)


def assessments(
    pack: Pack,
    profile: str | None = None,
    *,
    na: bool = True,
    tailor: bool = True,
) -> Any:
    """
    A hypothesis strategy of complete, valid assessments of *pack* under
    *profile*: every in-scope requirement rated from the rubric (``na`` too
    where the pack allows it and *na* is true), and sometimes one
    tailorable node taken out.

    >>> from hypothesis import given  # doctest: +SKIP
    >>> @given(assessments(load_pack("devpractice")))  # doctest: +SKIP
    ... def test_level_is_in_range(assessment): ...

    .. versionadded:: 0.1.0
    """
    from hypothesis import strategies as st  # noqa: PLC0415 -- tests only

    prof = pack.get_profile(profile)
    in_scope = [r for r in pack.requirements if r.node in prof.scope]
    reqs = [r.id for r in in_scope]
    # Each requirement is rated from its own rubric.
    choices = [
        [x for x in pack.rubric_of(r).ids if na or x != "na"]
        for r in in_scope
    ]
    tailorable = [
        n.id for n in pack.root.walk() if pack.is_tailorable(prof, n.id)
    ]
    cuts: Any = st.just([])
    if tailor and tailorable:
        cuts = st.one_of(
            st.just([]), st.sampled_from(tailorable).map(lambda n: [n])
        )

    @st.composite
    def build(draw: Any) -> Assessment:
        chosen = [draw(st.sampled_from(options)) for options in choices]
        cut = draw(cuts)
        return Assessment.from_dict(
            {
                "pack": pack.id,
                "profile": prof.id,
                "tailoring": [{"node": n, "reason": "generated"} for n in cut],
                "ratings": [
                    {"id": r, "rating": v}
                    for r, v in zip(reqs, chosen, strict=True)
                ],
            }
        )

    return build()


__all__ = [
    "Vector",
    "VectorOutcome",
    "assessment_from_recipe",
    "assessments",
    "check_pack",
    "check_vectors",
    "iter_vectors",
    "read_vector",
    "run_vector",
    "vector_files",
]
