"""Standard groups (标准群): several standards for one organisation."""

from __future__ import annotations

import io
import json
import shutil

import pytest

import maturity_core as mc
from maturity_core.cli import run


#: The policy of the 2023 national pilot plan for standard application.
PILOT_PLAN = {
    "source": "the 2023 pilot plan",
    "core_kinds": ["national"],
    "size": {"min": 5, "max": 20},
}


def _group(tmp_path, standards, **extra):
    shutil.copy("examples/db12t1073-discrete.json", tmp_path / "db12.json")
    data = {
        "format": 1,
        "name": "示例标准群",
        "standards": standards,
        "policy": PILOT_PLAN,
        **extra,
    }
    path = tmp_path / "group.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


CORE = {"code": "GB/T 39116-2020", "kind": "national", "core": True}
LOCAL = {
    "code": "DB12/T 1073-2021",
    "kind": "local",
    "pack": "db12t1073",
    "assessment": "db12.json",
}
OTHERS = [{"code": f"T/XX {n}-2024", "kind": "group"} for n in range(1, 4)]


class TestScoreGroup:
    def test_scores_members_with_packs(self, tmp_path):
        """Members with a pack and assessment are scored; others listed."""
        path = _group(tmp_path, [CORE, LOCAL, *OTHERS])
        result = mc.analysis.score_group(path)

        assert 5 == len(result.members)
        assert ["DB12/T 1073-2021"] == [m.code for m in result.scored]
        assert 2 == result.lowest_level
        assert () == result.warnings

    def test_small_group_warns(self, tmp_path):
        """Fewer than 5 standards is allowed but warned about."""
        result = mc.analysis.score_group(_group(tmp_path, [CORE, LOCAL]))

        assert [
            "the group has 2 standards; the 2023 pilot plan recommends 5 "
            "to 20"
        ] == list(result.warnings)

    def test_group_needs_a_national_core(self, tmp_path):
        """Under the pilot plan a group is built around a national one."""
        with pytest.raises(mc.AssessmentError, match="national"):
            mc.analysis.score_group(_group(tmp_path, [LOCAL, *OTHERS]))

    def test_without_a_policy_nothing_is_required(self, tmp_path):
        """The core adds no rule of its own to a group without a policy."""
        result = mc.analysis.score_group(_group(tmp_path, [LOCAL], policy={}))

        assert ((), 1) == (result.warnings, len(result.scored))

    def test_member_needs_pack_and_assessment(self, tmp_path):
        """A pack without an assessment is an error at its path."""
        bad = {**LOCAL}
        del bad["assessment"]

        with pytest.raises(mc.AssessmentError) as info:
            mc.analysis.score_group(_group(tmp_path, [CORE, bad, *OTHERS]))
        assert "$.standards[1]" == info.value.json_path

    def test_command_prints_the_summary(self, tmp_path):
        """`maturity group --format json` gives the combined summary."""
        out = io.StringIO()

        status = run(
            [
                "group",
                str(_group(tmp_path, [CORE, LOCAL, *OTHERS])),
                "--format",
                "json",
            ],
            out,
            io.StringIO(),
        )
        data = json.loads(out.getvalue())

        assert 0 == status
        assert (5, 1, 2) == (
            data["standards"],
            data["scored"],
            data["lowest_level"],
        )
