"""Readings, their revisions, their place in a group's schedule, and who has read them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .group import Group
from .types import UTCDateTime, utcnow
from .user import User


class Reading(db.Model):  # type: ignore[name-defined]
    """An article in a group's library; its text lives in numbered revisions."""

    __tablename__ = "readings"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    author: Mapped[str] = mapped_column(String(200), default="")
    source_url: Mapped[str] = mapped_column(String(2000), default="")
    published_on: Mapped[date | None]  # as the page or the facilitator says
    current_revision: Mapped[int] = mapped_column(default=1)
    # Archived readings leave the library list but keep everything; None while in use.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped (services.changes) by every write that changes what the annotation list shows:
    # the list's ETag is this one row, so a reader's poll never scans the annotations.
    annotation_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Joined: every permission check on a reading needs its group.
    group: Mapped[Group] = relationship(lazy="joined", innerjoin=True)
    created_by: Mapped[User | None] = relationship()
    revisions: Mapped[list[ReadingRevision]] = relationship(
        back_populates="reading", cascade="all, delete-orphan", order_by="ReadingRevision.number"
    )
    assignment: Mapped[Assignment | None] = relationship(
        back_populates="reading", cascade="all, delete-orphan"
    )


class ReadingRevision(db.Model):  # type: ignore[name-defined]
    """One version of a reading's text: the source as given, sanitized HTML, canonical text."""

    __tablename__ = "reading_revisions"
    __table_args__ = (UniqueConstraint("reading_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reading_id: Mapped[int] = mapped_column(ForeignKey("readings.id", ondelete="CASCADE"))
    number: Mapped[int]
    source_format: Mapped[str] = mapped_column(String(16))  # markdown | text | html
    source: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)  # sanitized on write; the only field marked safe
    # The <article>'s textContent: every annotation offset is a code point index into it.
    text: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reading: Mapped[Reading] = relationship(back_populates="revisions")
    created_by: Mapped[User | None] = relationship()


class Assignment(db.Model):  # type: ignore[name-defined]
    """A reading's place in the group's schedule: due when, in which order, with what prompts."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    reading_id: Mapped[int] = mapped_column(
        ForeignKey("readings.id", ondelete="CASCADE"), unique=True
    )
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    due_has_time: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int | None]  # order in a series, when the facilitator numbers them
    prompts: Mapped[list[str]] = mapped_column(JSON, default=list)
    # "Post before you see": members see others' posts on the reading after their own.
    post_first: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reading: Mapped[Reading] = relationship(back_populates="assignment")
    group: Mapped[Group] = relationship()


class ReadMark(db.Model):  # type: ignore[name-defined]
    """A member's "I have read this", which facilitators see in the room overview."""

    __tablename__ = "read_marks"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    reading_id: Mapped[int] = mapped_column(
        ForeignKey("readings.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
