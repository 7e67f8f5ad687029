"""
Fuzzed inputs: every loader ends in a valid result or a
MaturityCoreError, never another exception, and a result that loads
scores the same on the batch path as on the exact path.

The normal suite runs a modest budget; `nox -s fuzz` runs a large one and
prints how many inputs were tried and how many failed.
"""

from __future__ import annotations

import json
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import maturity_core as mc
from maturity_core import _jsonio


pytestmark = pytest.mark.fuzz

FIXTURES = Path(__file__).parent / "fixtures" / "packs" / "tiny" / "pack.json"
TINY_TEXT = FIXTURES.read_text("utf-8")
TINY = json.loads(TINY_TEXT)
ASSESSMENT = {
    "pack": "tiny",
    "ratings": [
        {"id": r["id"], "rating": "most"} for r in TINY["requirements"]
    ],
}

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=20,
)


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*path, i))
    return out


def _set(doc: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    head, *rest = path
    copy = dict(doc) if isinstance(doc, dict) else list(doc)
    copy[head] = _set(doc[head], tuple(rest), new)
    return copy


def _delete(doc: Any, path: tuple) -> Any:
    if len(path) == 1:
        copy = dict(doc) if isinstance(doc, dict) else list(doc)
        del copy[path[0]]
        return copy
    head, *rest = path
    copy = dict(doc) if isinstance(doc, dict) else list(doc)
    copy[head] = _delete(doc[head], tuple(rest))
    return copy


@st.composite
def mutations(draw, base: Any) -> Any:
    """A valid document with one part replaced, deleted or duplicated."""
    paths = _paths(base)
    path = draw(st.sampled_from(paths))
    kind = draw(st.sampled_from(["replace", "delete", "huge", "string"]))
    if kind == "delete" and path:
        return _delete(base, path)
    if kind == "huge":
        return _set(
            base,
            path,
            draw(st.sampled_from([10**400, -(10**19), 1e308, "9" * 5000])),
        )
    if kind == "string":
        return _set(base, path, draw(st.text(max_size=200)))
    return _set(base, path, draw(json_values))


hostile_texts = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        [
            "[" * 5000 + "]" * 5000,
            '{"a": 1, "a": 2}',
            '{"x": NaN}',
            '{"x": Infinity}',
            '{"x": -Infinity}',
            "1" * 10000,
            '{"pack": "' + "x" * 200_000 + '"}',
            "",
            "\ufeff{}",
        ]
    ),
    st.builds(
        lambda doc: json.dumps(doc),
        json_values,
    ),
)
hostile_bytes = st.one_of(
    st.binary(max_size=200),
    st.sampled_from([b"\xff\xfe\x00{", b'{"a": "\xc3\x28"}', b"\x80" * 10]),
)

FUZZ = settings(
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    deadline=None,
)


def _outcome(func, *args, **kwargs) -> str:
    try:
        func(*args, **kwargs)
    except mc.MaturityCoreError:
        return "error"
    return "ok"


class TestJsonText:
    @FUZZ
    @given(hostile_texts)
    def test_text_is_parsed_or_refused(self, fuzz_tried, text):
        """Strict JSON reading never raises anything but InputError."""
        fuzz_tried["json text"] += 1
        _outcome(_jsonio.loads, text, "fuzz.json")

    @FUZZ
    @given(hostile_bytes)
    def test_files_of_any_bytes_are_read_or_refused(
        self, fuzz_tried, tmp_path_factory, data
    ):
        """Non-UTF-8 and binary files end in InputError."""
        fuzz_tried["file bytes"] += 1
        path = tmp_path_factory.mktemp("f") / "a.json"
        path.write_bytes(data)
        _outcome(mc.Assessment.from_path, path)


class TestPackData:
    @FUZZ
    @given(json_values)
    def test_any_json_value_as_a_pack(self, fuzz_tried, value):
        """Arbitrary JSON is a valid pack or an error, never a crash."""
        fuzz_tried["pack: any value"] += 1
        list(mc.iter_pack_problems(value))
        _outcome(
            mc.load_pack, value if isinstance(value, dict) else {"x": value}
        )

    @FUZZ
    @given(mutations(TINY))
    def test_mutated_pack(self, fuzz_tried, data):
        """A mutated valid pack loads, or every problem is reported."""
        fuzz_tried["pack: mutation"] += 1
        _outcome(mc.load_pack, data)


class TestAssessments:
    @FUZZ
    @given(mutations(ASSESSMENT))
    def test_mutated_assessment_scores_or_is_refused(self, fuzz_tried, data):
        """A mutated assessment scores exactly (both paths) or is refused."""
        fuzz_tried["assessment: mutation"] += 1
        pack = mc.load_pack(TINY)
        try:
            assessment = mc.Assessment.from_dict(data)
            result = mc.score(pack, assessment, unrated="none")
        except mc.MaturityCoreError:
            return
        model = mc.compile_model(
            pack,
            result.profile,
            rule=result.rule,
            tailoring=assessment.tailoring,
        )
        batch = mc.score_many(
            model, [assessment.ratings_by_id], unrated="none"
        )
        assert (result.score, result.level) == (batch.score(0), batch.level(0))

    @FUZZ
    @given(json_values)
    def test_any_json_value_as_an_assessment(self, fuzz_tried, value):
        """Arbitrary JSON is an assessment or an AssessmentError."""
        fuzz_tried["assessment: any value"] += 1
        _outcome(mc.Assessment.from_dict, value)


class TestOtherLoaders:
    @FUZZ
    @given(mutations({
        "format": 1, "id": "o", "pack": "tiny", "source": "s",
        "requirements": {"replace": [{"id": "a1.x.1", "text": {"en": "t"}}]},
        "weights": {"even": {"a": "0.6", "b": "0.4"}},
        "method": {"rule": "cumulative-gated"},
    }))  # fmt: skip
    def test_mutated_overlay(self, fuzz_tried, data):
        """Overlays apply or are refused with problems."""
        fuzz_tried["overlay: mutation"] += 1
        _outcome(mc.apply_overlay, mc.load_pack(TINY), data)

    @FUZZ
    @given(mutations({
        "format": 1, "id": "c", "source": {"pack": "tiny"},
        "target": {"pack": "tiny"},
        "requirements": [{"source": "a1.x.1", "target": "a1.x.1",
                          "relation": "equal", "confidence": "1"}],
        "provenance": {"status": "proposal"},
    }))  # fmt: skip
    def test_mutated_crosswalk(self, fuzz_tried, data):
        """Crosswalks load and carry, or are refused."""
        fuzz_tried["crosswalk: mutation"] += 1
        pack = mc.load_pack(TINY)

        def carry():
            walk = mc.Crosswalk.from_dict(data)
            mc.carry_assessment(
                walk, mc.Assessment.from_dict(ASSESSMENT), pack, pack
            )

        _outcome(carry)

    @FUZZ
    @given(
        st.lists(st.text(alphabet=string.printable, max_size=12), max_size=6)
    )
    def test_csv_batch_rows(self, fuzz_tried, tmp_path_factory, cells):
        """A CSV batch file of odd cells is scored or refused."""
        fuzz_tried["batch csv"] += 1
        pack = mc.load_pack(TINY)
        model = mc.compile_model(pack, "even")
        folder = tmp_path_factory.mktemp("csv")
        header = ",".join(model.requirement_ids)
        row = ",".join((cells + ["full"] * 20)[: len(model.requirement_ids)])
        source = folder / "in.csv"
        source.write_text(f"{header}\n{row}\n", "utf-8")
        _outcome(mc.score_file, model, source, folder / "out.parquet")
