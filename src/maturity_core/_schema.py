"""The JSON Schemas shipped with the core, and problems found with them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from ._jsonio import surrogate_problem
from .exceptions import Problem


SCHEMA_NAMES = (
    "pack",
    "assessment",
    "result",
    "overlay",
    "crosswalk",
    "group",
    "report",
    "vector",
    "population",
)


@cache
def registry() -> Registry[Any]:
    """All core schemas, crawled into one registry."""
    resources = []
    for name in SCHEMA_NAMES:
        contents = json.loads(
            files(__package__)
            .joinpath("schemas", f"{name}.schema.json")
            .read_text("utf-8")
        )
        resources.append(Resource.from_contents(contents))
    return (
        Registry().with_resources((r.contents["$id"], r) for r in resources)
    ).crawl()


def schema(name: str) -> dict[str, Any]:
    """The schema *name* (``pack``, ``assessment`` or ``result``)."""
    contents: dict[str, Any] = registry().contents(
        f"urn:maturity-core:{name}:1"
    )
    return contents


@cache
def validator(name: str) -> Draft202012Validator:
    """A reusable validator for schema *name*."""
    return Draft202012Validator(schema(name), registry=registry())


def _message(error: ValidationError) -> str:  # noqa: PLR0911 -- one case per keyword
    size = (
        len(error.instance) if isinstance(error.instance, (list, str)) else 0
    )
    if error.validator == "additionalProperties" and isinstance(
        error.schema, dict
    ):
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(
            set(error.instance) - set(allowed)
            if isinstance(error.instance, dict)
            else ()
        )
        return (
            f"unknown field{'s' if len(extra) != 1 else ''} "
            f"{', '.join(map(repr, extra))}; valid fields: "
            f"{', '.join(allowed)}"
        )
    if error.validator == "maxItems":
        return (
            f"has {size} items, too long; at most "
            f"{error.validator_value} are allowed"
        )
    if error.validator == "minItems":
        return f"has {size} items; at least {error.validator_value} are needed"
    if error.validator == "maxLength":
        return (
            f"is {size} characters, too long; at most "
            f"{error.validator_value} are allowed"
        )
    if error.validator == "required":
        return f"{error.message}"
    if error.validator == "enum" and isinstance(error.validator_value, list):
        valid = ", ".join(repr(v) for v in error.validator_value)
        return f"{error.instance!r} is not valid; valid values: {valid}"
    message = str(error.message)
    if len(message) > 300:
        message = message[:300] + "…"
    return message


def iter_text_problems(data: Any) -> Iterator[Problem]:
    """
    Yield a :class:`Problem` for every string (or key) of *data* holding a
    lone surrogate: text no UTF-8 file can hold, from a JSON escape such
    as ``\\ud800`` or an XLSX cell's ``_xD800_``.
    """
    stack: list[tuple[Any, str]] = [(data, "$")]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            problem = surrogate_problem(item)
            if problem is not None:
                yield Problem(where, problem, "lone-surrogate")
        elif isinstance(item, dict):
            for key, value in item.items():
                problem = surrogate_problem(key)
                if problem is not None:
                    yield Problem(where, f"a key: {problem}", "lone-surrogate")
                stack.append((value, f"{where}.{key}"))
        elif isinstance(item, list):
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(item))


def iter_schema_problems(name: str, data: Any) -> Iterator[Problem]:
    """
    Yield a :class:`Problem` for every lone surrogate in *data*'s text
    (see :func:`iter_text_problems`) and every schema error in *data*.
    """
    yield from iter_text_problems(data)
    errors = sorted(
        validator(name).iter_errors(data),
        key=lambda e: [str(p) for p in e.absolute_path],
    )
    for error in errors:
        yield Problem(str(error.json_path), _message(error), "schema")
