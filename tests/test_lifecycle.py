"""Validity periods, re-reviews, status and level-change requests."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

import maturity_core as mc
from maturity_core._lifecycle import add_months
from maturity_core.cli import run


LIFECYCLE = {
    "validity_months": 36,
    "review_months": [12, 24],
    "notice_days": 30,
    "renewal_window_months": 3,
    "upgrade_after_months": 12,
    "level_change_modes": ["external"],
}


@pytest.fixture
def pack(tiny_dir) -> mc.Pack:
    data = json.loads((tiny_dir / "pack.json").read_text("utf-8"))
    data["lifecycle"] = LIFECYCLE
    return mc.load_pack(data)


def _assessment(rating: str, date: str = "2025-03-31", mode: str = "external"):
    return mc.Assessment.from_dict(
        {
            "pack": "tiny",
            "metadata": {"date": date, "mode": mode},
            "ratings": [
                {"id": rid, "rating": rating}
                for rid in (
                    "a1.x.1",
                    "a1.y.1",
                    "a1.x.2",
                    "a1.x.3",
                    "a2.z.1",
                    "a2.z.2",
                    "a2.z.3",
                    "b1.w.1",
                    "b1.w.2",
                    "b1.w.3",
                )
            ],
        }  # fmt: skip
    )


class TestDates:
    @pytest.mark.parametrize(
        ("day", "months", "expected"),
        [
            (dt.date(2025, 3, 31), 12, dt.date(2026, 3, 31)),
            (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
            (dt.date(2025, 11, 15), 3, dt.date(2026, 2, 15)),
            (dt.date(2025, 3, 31), -3, dt.date(2024, 12, 31)),
        ],
    )
    def test_add_months_clamps_to_month_end(self, day, months, expected):
        """Calendar months, clamped at the month's last day."""
        assert expected == add_months(day, months)

    def test_result_lifecycle_follows_the_assessment_date(self, pack):
        """Issued on the assessment date; valid 36 months; reviews at 12, 24."""
        life = mc.score(pack, _assessment("full")).lifecycle

        assert dt.date(2025, 3, 31) == life.issued
        assert dt.date(2028, 3, 31) == life.valid_until
        assert (dt.date(2026, 3, 31), dt.date(2027, 3, 31)) == life.reviews

    def test_no_date_means_no_lifecycle(self, pack):
        """Without metadata.date a result has no lifecycle."""
        assessment = mc.Assessment.from_dict(
            {
                "pack": "tiny",
                "ratings": _assessment("full").to_dict()["ratings"],
            }
        )

        assert None is mc.score(pack, assessment).to_dict()["lifecycle"]


class TestStatus:
    @pytest.fixture
    def life(self, pack) -> mc.typing.Lifecycle:
        return mc.score(pack, _assessment("full")).lifecycle

    @pytest.mark.parametrize(
        ("day", "state"),
        [
            ("2025-06-01", "current"),
            ("2026-02-28", "current"),
            ("2026-03-01", "review-due"),
            ("2026-05-01", "review-due"),
            ("2028-03-30", "review-due"),
            ("2028-03-31", "expired"),
            ("2025-01-01", "not-yet-issued"),
        ],
    )
    def test_state_on_a_day(self, life, day, state):
        """30 days before a re-review it is due; from expiry it is expired."""
        assert state == mc.status_on(life, dt.date.fromisoformat(day)).state

    def test_recorded_review_clears_the_due_state(self, life):
        """A re-review done in the window makes the result current again."""
        status = mc.status_on(
            life, dt.date(2026, 5, 1), reviewed=(dt.date(2026, 3, 20),)
        )

        assert ("current", dt.date(2027, 3, 31)) == (
            status.state,
            status.next_date,
        )

    def test_overdue_review_says_so(self, life):
        """Past the review date the message says overdue."""
        assert "overdue" in mc.status_on(life, dt.date(2026, 4, 2)).message

    def test_status_command(self, pack, tmp_path):
        """`maturity status RESULT --on DAY` reads a result's JSON."""
        path = tmp_path / "result.json"
        path.write_text(
            json.dumps(mc.score(pack, _assessment("full")).to_dict())
        )
        out = io.StringIO()

        status = run(
            ["status", str(path), "--on", "2028-04-01", "--format", "json"],
            out,
            io.StringIO(),
        )

        assert 0 == status
        assert "expired" == json.loads(out.getvalue())["state"]

    def test_status_of_a_result_without_lifecycle_is_an_error(
        self, tiny, tmp_path
    ):
        """A result whose pack has no lifecycle cannot have a status."""
        path = tmp_path / "result.json"
        path.write_text(
            json.dumps(mc.score(tiny, _assessment("full")).to_dict())
        )
        err = io.StringIO()

        assert 1 == run(["status", str(path)], io.StringIO(), err)
        assert "$.lifecycle" in err.getvalue()


class TestLevelChange:
    @pytest.fixture
    def previous(self, pack) -> dict:
        """A level-2 result issued 2025-03-31 (all 'most': X = 0.8 each)."""
        return mc.score(pack, _assessment("most")).to_dict()

    def _check(self, pack, previous, rating, date, request, mode="external"):
        new = mc.score(pack, _assessment(rating, date, mode))
        return mc.check_level_change(
            pack,
            previous,
            new.level,
            dt.date.fromisoformat(date),
            request=request,
            mode=mode,
        )

    def test_previous_fixture_is_level_two(self, previous):
        """Three levels at 0.8 sum to 2.4: level 2 under reading A."""
        assert (2, "12/5") == (previous["level"], previous["score"])

    def test_upgrade_needs_a_higher_level_after_twelve_months(
        self, pack, previous
    ):
        """A level-3 result a year on may upgrade."""
        check = self._check(pack, previous, "full", "2026-04-01", "upgrade")

        assert (True, 3) == (check.allowed, check.new_level)

    def test_early_upgrade_is_refused(self, pack, previous):
        """Before 12 months an upgrade is refused, with the earliest date."""
        check = self._check(pack, previous, "full", "2025-09-01", "upgrade")

        assert not check.allowed
        assert "from 2026-03-31" in check.reasons[0]

    def test_renewal_opens_three_months_before_expiry(self, pack, previous):
        """Renewal at the same level in the window is allowed, not before."""
        early = self._check(pack, previous, "most", "2027-06-01", "renewal")
        in_window = self._check(
            pack, previous, "most", "2028-01-15", "renewal"
        )

        assert (False, True) == (early.allowed, in_window.allowed)

    def test_renewal_at_a_lower_level_asks_for_a_downgrade(
        self, pack, previous
    ):
        """A lower new result cannot renew the old level."""
        check = self._check(pack, previous, "partial", "2028-01-15", "renewal")

        assert not check.allowed
        assert "request a downgrade" in check.reasons[0]

    def test_downgrade_needs_a_lower_result(self, pack, previous):
        """A downgrade follows a lower new result."""
        lower = self._check(
            pack, previous, "partial", "2026-06-01", "downgrade"
        )
        same = self._check(pack, previous, "most", "2026-06-01", "downgrade")

        assert (True, False) == (lower.allowed, same.allowed)

    def test_self_assessment_cannot_change_a_level(self, pack, previous):
        """A mode outside level_change_modes cannot change a graded level."""
        check = self._check(
            pack, previous, "full", "2026-04-01", "upgrade", mode="self"
        )

        assert not check.allowed
        assert "lifecycle.level_change_modes" in check.reasons[0]
        assert "'external'" in check.reasons[0]


class TestUndeclaredRestrictions:
    """A lifecycle restriction the pack does not declare does not apply."""

    @pytest.fixture
    def open_pack(self, tiny_dir) -> mc.Pack:
        data = json.loads((tiny_dir / "pack.json").read_text("utf-8"))
        data["lifecycle"] = {"validity_months": 36}
        return mc.load_pack(data)

    @pytest.fixture
    def previous(self, open_pack) -> dict:
        """A level-2 result issued 2025-03-31 (all 'most')."""
        return mc.score(open_pack, _assessment("most")).to_dict()

    def test_self_assessment_may_change_a_level(self, open_pack, previous):
        """Without level_change_modes a self-assessment may upgrade."""
        check = mc.check_level_change(
            open_pack,
            previous,
            3,
            dt.date(2026, 4, 1),
            request="upgrade",
            mode="self",
        )

        assert (True, 3) == (check.allowed, check.new_level)

    def test_renewal_has_no_window(self, open_pack, previous):
        """Without renewal_window_months a renewal may come at any time."""
        check = mc.check_level_change(
            open_pack,
            previous,
            2,
            dt.date(2025, 6, 1),
            request="renewal",
            mode="self",
        )

        assert check.allowed
