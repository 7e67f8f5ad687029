"""Overlays change a pack and are recorded in every result."""

from __future__ import annotations

import json

import pytest

import maturity_core as mc


@pytest.fixture(scope="module")
def gb() -> mc.Pack:
    return mc.load_pack("gbt39116")


def _overlay(**changes) -> dict:
    return {
        "format": 1,
        "id": "official-2020",
        "pack": "gbt39116",
        "source": "GB/T 39116-2020 printed text, clause 7",
        **changes,
    }


def _uniform(pack, profile="discrete") -> mc.Assessment:
    ratings = {1: "full", 2: "full", 3: "most", 4: "partial", 5: "none"}
    return mc.Assessment.from_dict(
        {
            "pack": pack.id,
            "profile": profile,
            "ratings": [
                {"id": r.id, "rating": ratings[r.level]}
                for r in pack.requirements
                if r.node in pack.profiles[profile].scope
            ],
        }
    )


class TestApply:
    def test_replaced_text_and_provenance(self, gb):
        """A replaced requirement carries the overlay's source."""
        rid = "data.data-sharing.l2"
        pack = mc.apply_overlay(
            gb,
            _overlay(
                requirements={
                    "replace": [{"id": rid, "text": {"zh": "新文本"}}]
                }
            ),
        )
        req = pack.requirements_by_id[rid]

        assert "新文本" == req.text.zh
        assert "read" == req.provenance["status"]
        assert "printed text" in req.provenance["source"]
        assert "新文本" != gb.requirements_by_id[rid].text.zh

    def test_removed_and_added_requirements(self, gb):
        """Requirements can be removed and added."""
        pack = mc.apply_overlay(
            gb,
            _overlay(
                requirements={
                    "remove": ["data.data-sharing.l2"],
                    "add": [
                        {
                            "id": "data.new-item.l2",
                            "node": "data",
                            "level": 2,
                            "text": {"zh": "应……"},
                        }
                    ],
                }
            ),
        )

        assert "data.data-sharing.l2" not in pack.requirements_by_id
        assert "data.new-item.l2" in pack.requirements_by_id
        assert len(gb.requirements) == len(pack.requirements)

    def test_weights_change_the_score(self, gb):
        """New weights change X where subdomain scores differ."""
        assessment = _uniform(gb).with_rating("data.data-sharing.l1", "none")
        weights = {"data-domain": "0.5", "integration-domain": "0.25",
                   "information-security-domain": "0.25"}  # fmt: skip
        pack = mc.apply_overlay(gb, _overlay(weights={"discrete": weights}))

        assert (
            mc.score(gb, assessment).score != mc.score(pack, assessment).score
        )

    def test_rule_change_applies(self, gb):
        """An overlay can fix the level rule."""
        pack = mc.apply_overlay(
            gb, _overlay(method={"rule": "cumulative-gated-unit"})
        )

        assert 3.5 == float(mc.score(pack, _uniform(pack)).score)


class TestRecorded:
    def test_result_records_the_overlay(self, gb, tmp_path):
        """The result's JSON names the overlay, its source and hash."""
        path = tmp_path / "overlay.json"
        path.write_text(
            json.dumps(_overlay(method={"rule": "cumulative-gated-unit"}))
        )
        pack = mc.apply_overlay(gb, path)
        data = mc.score(pack, _uniform(pack)).to_dict()

        assert ["official-2020"] == [o["id"] for o in data["overlays"]]
        assert data["overlays"][0]["hash"].startswith("sha256:")
        assert str(path) == data["overlays"][0]["file"]
        assert (
            data["pack_hash"]
            != mc.score(gb, _uniform(gb)).to_dict()["pack_hash"]
        )

    def test_plain_result_lists_no_overlay(self, gb):
        """Without an overlay the list is empty."""
        assert [] == mc.score(gb, _uniform(gb)).to_dict()["overlays"]

    def test_cli_applies_overlays(self, gb, tmp_path):
        """`maturity score --overlay` applies and records the overlay."""
        import io

        from maturity_core.cli import run

        overlay = tmp_path / "o.json"
        overlay.write_text(
            json.dumps(_overlay(method={"rule": "cumulative-gated-unit"}))
        )
        assessment = tmp_path / "a.json"
        assessment.write_text(json.dumps(_uniform(gb).to_dict()))
        out = io.StringIO()

        status = run(
            [
                "score",
                str(assessment),
                "--overlay",
                str(overlay),
                "--format",
                "json",
            ],
            out,
            io.StringIO(),
        )

        assert 0 == status
        assert "7/2" == json.loads(out.getvalue())["score"]


class TestBadOverlays:
    def test_unknown_requirement_is_reported_with_its_path(self, gb):
        """Replacing a requirement the pack lacks is an error."""
        with pytest.raises(mc.exceptions.InvalidPackError) as info:
            mc.apply_overlay(
                gb, _overlay(requirements={"replace": [{"id": "nope.l1"}]})
            )
        assert (
            "$.requirements.replace[0].id" == info.value.problems[0].json_path
        )

    def test_weights_that_break_the_sum_are_reported(self, gb):
        """The overlaid pack is validated again: sums must stay 1."""
        with pytest.raises(mc.exceptions.InvalidPackError, match="after the overlay"):
            mc.apply_overlay(
                gb, _overlay(weights={"discrete": {"data-domain": "0.9"}})
            )

    def test_overlay_for_another_pack_is_refused(self, gb):
        """An overlay names the pack it is for."""
        with pytest.raises(mc.exceptions.InvalidPackError, match="not 'gbt39116'"):
            mc.apply_overlay(gb, _overlay(pack="db12t1073"))

    def test_malformed_overlay_lists_schema_problems(self, gb):
        """Unknown fields are schema problems."""
        with pytest.raises(mc.exceptions.InvalidPackError, match="unknown field"):
            mc.apply_overlay(gb, _overlay(colour="red"))

    def test_pack_is_unchanged(self, gb):
        """Applying an overlay returns a new pack."""
        before = gb.content_hash
        mc.apply_overlay(
            gb, _overlay(method={"rule": "cumulative-gated-unit"})
        )

        assert before == gb.content_hash
