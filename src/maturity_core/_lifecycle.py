"""
The lifecycle of a graded result: issue date, validity, re-reviews, and
requests to change level.  Generic in the core; the parameters come from
the pack's ``lifecycle`` block.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from ._model import Pack
from .exceptions import AssessmentError, Problem


REQUESTS = ("renewal", "upgrade", "downgrade")


def add_months(day: dt.date, months: int) -> dt.date:
    """*day* plus *months* calendar months (clamped to the month's end)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(
        year, month, min(day.day, calendar.monthrange(year, month)[1])
    )


def parse_date(text: str, where: str, source: str | None = None) -> dt.date:
    """An ISO date, or an AssessmentError naming *where*."""
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise AssessmentError(
            [
                Problem(
                    where,
                    f"{text!r} is not a date; use YYYY-MM-DD",
                    "date",
                )
            ],
            source,
        ) from None


@attrs.frozen
class Lifecycle:
    """
    When a graded result was issued, until when it is valid, and when it
    must be re-reviewed.

    .. versionadded:: 0.1.0
    """

    issued: dt.date
    valid_until: dt.date
    reviews: tuple[dt.date, ...]
    notice_days: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "issued": self.issued.isoformat(),
            "valid_until": self.valid_until.isoformat(),
            "reviews": [d.isoformat() for d in self.reviews],
            "notice_days": self.notice_days,
        }

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], source: str | None = None
    ) -> Lifecycle:
        """Read the ``lifecycle`` block of a result's JSON."""
        return cls(
            issued=parse_date(data["issued"], "$.lifecycle.issued", source),
            valid_until=parse_date(
                data["valid_until"], "$.lifecycle.valid_until", source
            ),
            reviews=tuple(
                parse_date(d, f"$.lifecycle.reviews[{i}]", source)
                for i, d in enumerate(data.get("reviews", []))
            ),
            notice_days=int(data.get("notice_days", 0)),
        )


def lifecycle_for(pack: Pack, issued: dt.date) -> Lifecycle | None:
    """
    The lifecycle of a result of *pack* issued on *issued*, or ``None`` if
    the pack defines none.

    .. versionadded:: 0.1.0
    """
    params = pack.data.get("lifecycle")
    if not params:
        return None
    return Lifecycle(
        issued=issued,
        valid_until=add_months(issued, params["validity_months"]),
        reviews=tuple(
            add_months(issued, m) for m in params.get("review_months", [])
        ),
        notice_days=params.get("notice_days", 30),
    )


@attrs.frozen
class Status:
    """
    Whether a graded result is ``current``, ``review-due`` or
    ``expired`` on a day, and the next date that matters.

    .. versionadded:: 0.1.0
    """

    state: str
    on: dt.date
    message: str
    next_date: dt.date | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "state": self.state,
            "on": self.on.isoformat(),
            "message": self.message,
            "next_date": self.next_date.isoformat()
            if self.next_date
            else None,
        }


def status_on(
    lifecycle: Lifecycle,
    on: dt.date,
    *,
    reviewed: tuple[dt.date, ...] = (),
) -> Status:
    """
    The state of a graded result on *on*.

    ``expired`` from ``valid_until`` on; ``review-due`` from *notice_days*
    before a scheduled re-review until a re-review dated on or after that
    window is recorded in *reviewed*; otherwise ``current``.

    .. versionadded:: 0.1.0
    """
    if on < lifecycle.issued:
        return Status(
            "not-yet-issued",
            on,
            f"the result is issued on {lifecycle.issued.isoformat()}",
            lifecycle.issued,
        )
    if on >= lifecycle.valid_until:
        return Status(
            "expired",
            on,
            f"the result expired on {lifecycle.valid_until.isoformat()}; a "
            "new assessment is needed",
            None,
        )
    notice = dt.timedelta(days=lifecycle.notice_days)
    for review in lifecycle.reviews:
        window = review - notice
        done = any(r >= window for r in reviewed)
        if on >= window and not done:
            late = " (overdue)" if on > review else ""
            return Status(
                "review-due",
                on,
                f"re-review due by {review.isoformat()}{late}",
                review,
            )
    upcoming = [
        r
        for r in lifecycle.reviews
        if r - notice > on and not any(x >= r - notice for x in reviewed)
    ]
    nxt = min(upcoming) if upcoming else lifecycle.valid_until
    return Status(
        "current",
        on,
        f"current; next: {'re-review' if upcoming else 'expiry'} on "
        f"{nxt.isoformat()}",
        nxt,
    )


@attrs.frozen
class ChangeCheck:
    """
    Whether a level-change request is allowed, with the reasons.

    .. versionadded:: 0.1.0
    """

    request: str
    previous_level: int
    new_level: int
    allowed: bool
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return attrs.asdict(self) | {"reasons": list(self.reasons)}


def check_level_change(  # noqa: C901, PLR0912, PLR0913 -- one rule per kind
    pack: Pack,
    previous: Mapping[str, Any],
    new_level: int,
    new_date: dt.date,
    *,
    request: str,
    mode: str | None,
    source: str | None = None,
) -> ChangeCheck:
    """
    Check a request to renew, upgrade or downgrade a graded result.

    *previous* is the JSON of the previous result (with its ``lifecycle``
    block); *new_level*, *new_date* and *mode* describe the new assessment.
    The pack's ``lifecycle`` block sets the renewal window
    (``renewal_window_months``), how long after issue an upgrade may be
    requested (``upgrade_after_months``) and which assessment modes may
    change a graded level (``level_change_modes``); a restriction the pack
    does not declare does not apply.

    .. versionadded:: 0.1.0
    """
    if request not in REQUESTS:
        msg = f"request must be one of {', '.join(REQUESTS)} (got {request!r})"
        raise ValueError(msg)
    if previous.get("pack") != pack.id:
        raise AssessmentError(
            [
                Problem(
                    "$.pack",
                    "the previous result is for pack "
                    f"{previous.get('pack')!r}, not {pack.id!r}",
                    "wrong-pack",
                )
            ],
            source,
        )
    if not previous.get("lifecycle"):
        raise AssessmentError(
            [
                Problem(
                    "$.lifecycle",
                    "the previous result has no lifecycle (its pack defines "
                    "none, or its assessment had no date)",
                    "no-lifecycle",
                )
            ],
            source,
        )
    params = pack.data.get("lifecycle", {})
    life = Lifecycle.from_dict(previous["lifecycle"], source)
    old = int(previous["level"])
    reasons = []
    allowed = True
    modes = params.get("level_change_modes")
    if modes is not None and mode not in modes:
        allowed = False
        reasons.append(
            "pack "
            f"{pack.id!r} changes a graded level only through an assessment "
            f"with metadata.mode {' or '.join(map(repr, modes))} "
            f"(lifecycle.level_change_modes; got {mode!r})"
        )
    if new_date < life.issued:
        allowed = False
        reasons.append("the new assessment predates the previous result")
    if request == "renewal":
        months = params.get("renewal_window_months")
        if new_level < old:
            allowed = False
            reasons.append(
                f"the new result reaches level {new_level}, below the graded "
                f"level {old}: request a downgrade"
            )
        elif new_level > old:
            reasons.append(
                f"the new result reaches level {new_level}; the renewal keeps "
                f"level {old} (request an upgrade to change it)"
            )
        window = (
            None if months is None else add_months(life.valid_until, -months)
        )
        if window is not None and new_date < window:
            allowed = False
            reasons.append(
                f"renewal opens on {window.isoformat()}, {months} months "
                f"before expiry on {life.valid_until.isoformat()}"
            )
    elif request == "upgrade":
        earliest = add_months(
            life.issued, params.get("upgrade_after_months", 0)
        )
        if new_level <= old:
            allowed = False
            reasons.append(
                f"the new result reaches level {new_level}, not above the "
                f"graded level {old}"
            )
        if new_date < earliest:
            allowed = False
            reasons.append(
                f"an upgrade may be requested from {earliest.isoformat()} "
                f"({params.get('upgrade_after_months', 0)} months after issue)"
            )
    elif new_level >= old:
        allowed = False
        reasons.append(
            f"the new result reaches level {new_level}, not below the graded "
            f"level {old}: request a renewal or an upgrade"
        )
    if allowed and not reasons:
        reasons.append(
            f"{request} from level {old} to level "
            f"{old if request == 'renewal' else new_level} is allowed"
        )
    return ChangeCheck(request, old, new_level, allowed, tuple(reasons))
