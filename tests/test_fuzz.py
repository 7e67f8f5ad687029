"""
Fuzzed inputs: every loader ends in a valid result or a
MaturityCoreError, never another exception, and a result that loads
scores the same on the batch path as on the exact path.

The normal suite runs a modest budget; `nox -s fuzz` runs a large one and
prints how many inputs were tried and how many failed.
"""

from __future__ import annotations

import json
import os
import stat
import string
import unicodedata
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import maturity_core as mc
from maturity_core import _files, _jsonio
from maturity_core.analysis._gaps import efforts_from_json
from maturity_core._text import printable


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
        model = mc.batch.compile_model(
            pack,
            result.profile,
            rule=result.rule,
            tailoring=assessment.tailoring,
        )
        batch = mc.batch.score_many(
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
            walk = mc.analysis.Crosswalk.from_dict(data)
            mc.analysis.carry_assessment(
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
        model = mc.batch.compile_model(pack, "even")
        folder = tmp_path_factory.mktemp("csv")
        header = ",".join(model.requirement_ids)
        row = ",".join((cells + ["full"] * 20)[: len(model.requirement_ids)])
        source = folder / "in.csv"
        source.write_text(f"{header}\n{row}\n", "utf-8")
        _outcome(mc.batch.score_file, model, source, folder / "out.parquet")


# ---------------------------------------------------------------------------
# Shapes from the second hardening round: escaped quotes, surrogates,
# overflowing numbers, counts at their limits, special output targets,
# efforts, terminal text and group paths.

surrogate_escapes = st.integers(min_value=0xD800, max_value=0xDFFF).map(
    lambda c: f"\\u{c:04x}"
)
hostile_texts_2 = st.one_of(
    st.integers(min_value=1, max_value=20_000).map(lambda n: '"' + '\\"' * n),
    st.integers(min_value=1, max_value=20_000).map(
        lambda n: '["' + "\\\\" * n + '"]'
    ),
    st.integers(min_value=1, max_value=3_000).map(
        lambda n: '{"a":' * n + "1" + "}" * n
    ),
    st.builds(
        lambda a, b, key: f'{{"{a if key else "k"}": "x{b}y"}}',
        surrogate_escapes,
        surrogate_escapes,
        st.booleans(),
    ),
    st.sampled_from(["1e400", "-1e999", "[1e-999999]", '{"x": 1E+309}']),
    st.integers(min_value=0, max_value=5_000).map(
        lambda n: json.dumps(["," * n, "[" * n, "{" * n])
    ),
)


def _reference_count(value: Any) -> int:
    """Opening brackets and separators of *value* written as JSON."""
    if isinstance(value, dict | list):
        items = value.values() if isinstance(value, dict) else value
        return 1 + max(len(value) - 1, 0) + sum(map(_reference_count, items))
    return 0


def _depth(value: Any) -> int:
    if isinstance(value, dict | list):
        items = value.values() if isinstance(value, dict) else value
        return 1 + max(map(_depth, items), default=0)
    return 0


def _within(value: Any, items: int, depth: int, chars: int) -> bool:
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str) and len(v) > chars:
            return False
        if isinstance(v, dict):
            if len(v) > items or any(len(k) > chars for k in v):
                return False
            stack.extend(v.values())
        elif isinstance(v, list):
            if len(v) > items:
                return False
            stack.extend(v)
    return _depth(value) <= depth


wide_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=12),
        st.dictionaries(st.text(max_size=12), inner, max_size=12),
    ),
    max_leaves=60,
)


class TestLimits:
    @FUZZ
    @given(hostile_texts_2)
    def test_hostile_text_is_parsed_or_refused(self, fuzz_tried, text):
        """Escapes, surrogates and huge numbers end in InputError at most."""
        fuzz_tried["json text: hostile shapes"] += 1
        _outcome(_jsonio.loads, text, "fuzz.json")

    @FUZZ
    @given(wide_values)
    def test_values_are_counted_exactly(self, fuzz_tried, value):
        """The pre-parse count equals the brackets and separators."""
        fuzz_tried["json text: value count"] += 1
        with patch.object(_jsonio, "MAX_VALUES", -1):
            counted = _jsonio.count_values(json.dumps(value))
        assert _reference_count(value) == counted

    @FUZZ
    @given(wide_values)
    def test_a_document_is_accepted_exactly_within_the_limits(
        self, fuzz_tried, value
    ):
        """With small limits, a document loads iff it is within them."""
        fuzz_tried["json text: limits"] += 1
        text = json.dumps(value)
        limits = {"MAX_ITEMS": 6, "MAX_DEPTH": 3, "MAX_STRING": 10}
        with (
            patch.object(_jsonio, "MAX_VALUES", 40),
            patch.multiple(_jsonio, **limits),
        ):
            outcome = _outcome(_jsonio.loads, text)
        within = _reference_count(value) <= 40 and _within(value, 6, 3, 10)
        assert ("ok" if within else "error") == outcome


def _target(kind: str, folder: Path, mode: int) -> Path:
    """An output path of *kind* in *folder*."""
    path = folder / "out.bin"
    if kind == "existing":
        path.write_bytes(b"old")
        path.chmod(mode)
    elif kind == "folder":
        path.mkdir()
    elif kind == "missing folder":
        path = folder / "nope" / "out.bin"
    elif kind == "symlink":
        (folder / "real.bin").write_bytes(b"old")
        path.symlink_to(folder / "real.bin")
    elif kind == "dangling symlink":
        path.symlink_to(folder / "gone.bin")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "input":
        path.write_bytes(b"{}")
        _jsonio.read_bytes(path)
    return path


class TestOutputs:
    @FUZZ
    @given(
        st.sampled_from(
            [
                "new", "existing", "folder", "missing folder", "symlink",
                "dangling symlink", "fifo", "input",
            ]
        ),
        st.sampled_from([0o600, 0o640, 0o644, 0o664, 0o700]),
        st.binary(max_size=5000),
    )  # fmt: skip
    def test_an_output_is_written_whole_or_refused(
        self, fuzz_tried, tmp_path_factory, kind, mode, data
    ):
        """Every target is written whole or refused; nothing is left over."""
        if kind == "fifo" and not hasattr(os, "mkfifo"):
            return
        fuzz_tried["output targets"] += 1
        folder = tmp_path_factory.mktemp("out")
        with _files.command_files():
            path = _target(kind, folder, mode)
            reader = (
                os.open(path, os.O_RDONLY | os.O_NONBLOCK)
                if kind == "fifo"
                else None
            )
            try:
                outcome = _outcome(_files.write_bytes, path, data)
                if reader is not None:
                    received = os.read(reader, 1 << 16) if data else b""
            finally:
                if reader is not None:
                    os.close(reader)
        leftovers = [p for p in folder.rglob("*.tmp")]
        assert [] == leftovers
        if kind in ("folder", "missing folder", "input"):
            assert "error" == outcome
            return
        assert "ok" == outcome
        if kind == "fifo":
            assert data == received
        else:
            assert data == path.read_bytes()
        if kind == "existing":
            assert mode == stat.S_IMODE(path.stat().st_mode)


effort_values = st.one_of(
    json_values,
    st.from_regex(r"-?[0-9]{1,30}(\.[0-9]{1,30})?([eE][+-]?[0-9]{1,7})?"),
    st.from_regex(r"[0-9]{1,25}/[0-9]{1,25}"),
    st.integers(min_value=-(10**40), max_value=10**40),
)


class TestEfforts:
    @FUZZ
    @given(effort_values)
    def test_any_effort_is_an_exact_number_or_refused(self, fuzz_tried, value):
        """An effort is a bounded positive Fraction or an InputError."""
        fuzz_tried["effort values"] += 1
        try:
            efforts = efforts_from_json({"a1.x.1": value}, "effort.json")
        except mc.InputError as e:
            assert "effort.json" == e.source
            return
        effort = efforts["a1.x.1"]
        assert 0 < effort
        assert effort.denominator < 10**36
        assert effort.numerator < 10**36


class TestTerminalText:
    @FUZZ
    @given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
    def test_printable_text_has_no_controls(self, fuzz_tried, text):
        """What printable returns has no control characters but \\t, \\n."""
        fuzz_tried["terminal text"] += 1
        shown = printable(text)
        assert not [
            c
            for c in shown
            if unicodedata.category(c) == "Cc" and c not in "\t\n"
        ]
        assert shown == printable(shown)


class TestGroupPaths:
    @FUZZ
    @given(
        st.text(alphabet="./\\~a-", min_size=1, max_size=12),
        st.sampled_from(["assessment", "pack"]),
    )
    def test_member_paths_stay_inside_or_are_refused(
        self, fuzz_tried, tmp_path_factory, ref, field
    ):
        """Odd member paths score inside the folder or are refused."""
        fuzz_tried["group paths"] += 1
        folder = tmp_path_factory.mktemp("g")
        member = {"code": "T/X 1", "kind": "group", "pack": "db12t1073"}
        member["assessment"] = "a.json"
        member[field] = ref
        path = folder / "group.json"
        path.write_text(
            json.dumps(
                {
                    "format": 1,
                    "name": "g",
                    "standards": [
                        {"code": "N", "kind": "national", "core": True},
                        member,
                    ],
                }
            )
        )
        _outcome(mc.analysis.score_group, path)
