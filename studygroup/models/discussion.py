"""What the discussion around annotations adds: votes, flags, moderation records, edits."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .annotation import Annotation
from .group import Group
from .types import UTCDateTime, utcnow
from .user import User


def _values(enum_class: type[enum.Enum]) -> list[str]:
    return [member.value for member in enum_class]


class Vote(db.Model):  # type: ignore[name-defined]
    """One member's upvote ("me too" on a question); at most one per member and annotation."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("annotation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    annotation_id: Mapped[int] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Flag(db.Model):  # type: ignore[name-defined]
    """A member asking facilitators to look at an annotation; one per member and annotation."""

    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("annotation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    annotation_id: Mapped[int] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    annotation: Mapped[Annotation] = relationship()
    user: Mapped[User | None] = relationship()


class ModerationKind(enum.StrEnum):
    HIDE = "hide"
    UNHIDE = "unhide"
    LOCK = "lock"
    UNLOCK = "unlock"
    DISMISS_FLAGS = "dismiss-flags"
    MARK_ANSWER = "mark-answer"
    REOPEN = "reopen"


class ModerationAction(db.Model):  # type: ignore[name-defined]
    """The record of who did what to which annotation, and why; kept if the annotation goes."""

    __tablename__ = "moderation_actions"
    __table_args__ = (Index("ix_moderation_actions_group_created", "group_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    annotation_id: Mapped[int | None] = mapped_column(
        ForeignKey("annotations.id", ondelete="SET NULL"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[ModerationKind] = mapped_column(
        Enum(ModerationKind, native_enum=False, length=16, values_callable=_values)
    )
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[Group] = relationship()
    annotation: Mapped[Annotation | None] = relationship()
    actor: Mapped[User | None] = relationship()


class AnnotationEdit(db.Model):  # type: ignore[name-defined]
    """A body an edit replaced, kept for facilitators; removed with the annotation's text."""

    __tablename__ = "annotation_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    annotation_id: Mapped[int] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    body_source: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)  # when this body was written
    edited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # replaced when
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    editor: Mapped[User | None] = relationship()
