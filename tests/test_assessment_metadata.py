"""The cover metadata of an assessment: report number, assessing body,
scope, dates and interviews."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import maturity_core as mc
from maturity_core._assessment import AssessmentMetadata, Interview
from maturity_core.exceptions import AssessmentError


EXAMPLE = Path("examples/db12t1073-discrete.json")


@pytest.fixture(scope="module")
def pack() -> mc.Pack:
    return mc.load_pack("db12t1073")


def _data() -> dict:
    return json.loads(EXAMPLE.read_text("utf-8"))


def _problems(pack, data):
    with pytest.raises(AssessmentError) as info:
        mc.score(pack, mc.Assessment.from_dict(data))
    return [(p.json_path, p.code) for p in info.value.problems]


def _schema_problems(data):
    with pytest.raises(AssessmentError) as info:
        mc.Assessment.from_dict(data)
    return [(p.json_path, p.code) for p in info.value.problems]


class TestRead:
    def test_cover_fields_are_read(self):
        """Report number, body, scope and dates come from the metadata."""
        meta = mc.Assessment.from_path(EXAMPLE).metadata

        assert (
            "EX-2026-0042",
            "示例评估中心 (fictional example)",
            "2026-10-12",
            "2026-10-14",
        ) == (
            meta.report_number,
            meta.assessing_body,
            meta.start_date,
            meta.end_date,
        )

    def test_interviews_are_read(self):
        """Each interview keeps its node, time, departments and people."""
        meta = mc.Assessment.from_path(EXAMPLE).metadata

        assert Interview(
            node="information-security",
            time="2026-10-13 09:00-10:30",
            departments=("信息中心", "设备部"),
            interviewees=("信息中心主任", "网络管理员"),
            assessors=("Assessor A", "Assessor B"),
        ) == meta.interviews[0]

    def test_metadata_without_cover_fields_is_empty(self):
        """An assessment without them has none."""
        meta = mc.Assessment.from_dict(
            {"pack": "tiny", "ratings": [], "metadata": {"date": "2026-01-02"}}
        ).metadata

        assert AssessmentMetadata(date="2026-01-02") == meta


class TestRoundTrip:
    def test_example_round_trips_through_json(self):
        """to_dict → from_dict keeps every cover field and interview."""
        a = mc.Assessment.from_path(EXAMPLE)

        again = mc.Assessment.from_dict(json.loads(json.dumps(a.to_dict())))

        assert a.metadata == again.metadata

    @given(
        st.builds(
            Interview,
            node=st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True),
            time=st.none() | st.text(max_size=20),
            departments=st.lists(st.text(min_size=1, max_size=8)).map(tuple),
            interviewees=st.lists(st.text(min_size=1, max_size=8)).map(tuple),
            assessors=st.lists(st.text(min_size=1, max_size=8)).map(tuple),
        )
    )
    def test_interview_roundtrips_through_json(self, interview):
        """Any interview survives to_dict and from_dict."""
        meta = AssessmentMetadata(interviews=(interview,))
        data = {"pack": "tiny", "ratings": [], "metadata": meta.to_dict()}

        assert meta == mc.Assessment.from_dict(data).metadata


class TestBadValues:
    def test_a_malformed_date_is_a_schema_problem(self):
        """start_date must look like YYYY-MM-DD."""
        data = _data()
        data["metadata"]["start_date"] = "12.10.2026"

        assert [("$.metadata.start_date", "schema")] == _schema_problems(data)

    def test_an_unknown_interview_field_is_a_schema_problem(self):
        """An interview holds node, time, departments, people, assessors."""
        data = _data()
        data["metadata"]["interviews"][0]["room"] = "A1"

        assert [("$.metadata.interviews[0]", "schema")] == _schema_problems(
            data
        )

    def test_departments_must_be_a_list_of_names(self):
        """A department list of one string is refused with its path."""
        data = _data()
        data["metadata"]["interviews"][1]["departments"] = "生产部"

        assert [
            ("$.metadata.interviews[1].departments", "schema")
        ] == _schema_problems(data)

    def test_a_date_that_is_not_in_the_calendar_is_refused(self, pack):
        """2026-02-30 has the shape of a date but is none."""
        data = _data()
        data["metadata"]["end_date"] = "2026-02-30"

        assert [("$.metadata.end_date", "date")] == _problems(pack, data)

    def test_an_assessment_cannot_end_before_it_starts(self, pack):
        """end_date before start_date is a problem at end_date."""
        data = _data()
        data["metadata"]["end_date"] = "2026-10-01"

        assert [("$.metadata.end_date", "date")] == _problems(pack, data)

    def test_an_interview_names_a_node_of_the_pack(self, pack):
        """An unknown node is reported with the interview's path."""
        data = _data()
        data["metadata"]["interviews"][1]["node"] = "canteen"

        assert [
            ("$.metadata.interviews[1].node", "unknown-node")
        ] == _problems(pack, data)

    def test_the_message_names_the_file_and_valid_nodes(self, pack, tmp_path):
        """The error names the file, the path and the nodes to choose."""
        data = copy.deepcopy(_data())
        data["metadata"]["interviews"][0]["node"] = "canteen"
        path = tmp_path / "a.json"
        path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")

        with pytest.raises(AssessmentError) as info:
            mc.score(pack, mc.Assessment.from_path(path))
        text = str(info.value)

        assert str(path) in text
        assert "$.metadata.interviews[0].node" in text
        assert "information-security" in text
