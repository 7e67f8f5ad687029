"""The database tables (SQLAlchemy 2), created by the Alembic migrations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


#: Account roles, least privileged first.
ROLES = ("organisation", "assessor", "lead", "admin")
ROLE_NAMES = {
    "organisation": "Organisation user",
    "assessor": "Assessor",
    "lead": "Lead assessor",
    "admin": "Administrator",
}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    region: Mapped[str | None] = mapped_column(String(100))
    industry: Mapped[str | None] = mapped_column(String(100))


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id")
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)


class AssessmentRow(Base):
    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    pack: Mapped[str] = mapped_column(String(100))
    pack_version: Mapped[str] = mapped_column(String(50))
    profile: Mapped[str] = mapped_column(String(100))
    lang: Mapped[str] = mapped_column(String(20))
    #: ``self`` (the organisation rates) or ``external`` (assessors rate,
    #: the lead consolidates).
    mode: Mapped[str] = mapped_column(String(20))
    date: Mapped[str] = mapped_column(String(10))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    #: Bumped on every change of the assessment's own fields (tailoring).
    version: Mapped[int] = mapped_column(Integer, default=0)


class TailoringRow(Base):
    __tablename__ = "tailoring"
    __table_args__ = (UniqueConstraint("assessment_id", "node"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id"), index=True
    )
    node: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)


class Member(Base):
    """An assessor or lead assessor assigned to an assessment."""

    __tablename__ = "members"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20))


class Sheet(Base):
    """
    One set of ratings of an assessment: the organisation's own
    (``self``), one assessor's (``assessor``) or the lead's consolidated
    one (``consolidated``).
    """

    __tablename__ = "sheets"
    __table_args__ = (UniqueConstraint("assessment_id", "kind", "owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    #: The assessor's user id for ``assessor`` sheets, else 0.
    owner: Mapped[int] = mapped_column(Integer, default=0)


class Rating(Base):
    """
    One requirement's rating on one sheet.  ``version`` rises with every
    saved change; a save names the version it read and is refused if the
    row has moved on since (optimistic concurrency).
    """

    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("sheet_id", "requirement"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("sheets.id"), index=True)
    requirement: Mapped[str] = mapped_column(String(100))
    rating: Mapped[str | None] = mapped_column(String(50))
    evidence: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime | None] = mapped_column()


class Blob(Base):
    """Uploaded bytes, stored once per content (SHA-256)."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(
        ForeignKey("ratings.id"), index=True
    )
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    #: The uploaded name, shown and offered on download; never a path.
    name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=_now)
