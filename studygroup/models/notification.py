"""Notifications about the discussion, and how each person wants to hear about it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .annotation import Annotation
from .group import Group
from .reading import Reading
from .types import UTCDateTime, utcnow
from .user import User

SNAPSHOT_LENGTH = 200


def _values(enum_class: type[enum.Enum]) -> list[str]:
    return [member.value for member in enum_class]


class NotificationKind(enum.StrEnum):
    REPLY = "reply"  # someone replied in a thread you took part in
    MENTION = "mention"  # someone wrote @you
    ANSWER = "answer"  # someone answered your question
    ASSIGNMENT = "assignment"  # a facilitator scheduled a reading
    ORPHANED = "orphaned"  # an edit removed the passage your annotation was on
    FLAG = "flag"  # a member flagged an annotation (facilitators hear of it)


class EmailMode(enum.StrEnum):
    OFF = "off"
    IMMEDIATE = "immediate"
    DIGEST = "digest"  # one mail a day, sent by `flask send-digests`


class Notification(db.Model):  # type: ignore[name-defined]
    """One thing one person should hear about, with a snapshot of its text.

    Deleting the annotation deletes its notifications: a snapshot must not outlive the
    comment it quotes.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_recipient_created", "recipient_id", "created_at"),
        Index("ix_notifications_recipient_unread", "recipient_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(
        Enum(NotificationKind, native_enum=False, length=16, values_callable=_values)
    )
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    reading_id: Mapped[int | None] = mapped_column(
        ForeignKey("readings.id", ondelete="CASCADE"), index=True
    )
    annotation_id: Mapped[int | None] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(String(SNAPSHOT_LENGTH), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    group: Mapped[Group] = relationship()
    reading: Mapped[Reading | None] = relationship()
    annotation: Mapped[Annotation | None] = relationship()


class NotificationPreference(db.Model):  # type: ignore[name-defined]
    """What a person wants to hear about; no row means every kind, by daily digest."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    on_reply: Mapped[bool] = mapped_column(default=True)
    on_mention: Mapped[bool] = mapped_column(default=True)
    on_answer: Mapped[bool] = mapped_column(default=True)
    on_assignment: Mapped[bool] = mapped_column(default=True)
    on_orphaned: Mapped[bool] = mapped_column(default=True, server_default=true())
    on_flag: Mapped[bool] = mapped_column(default=True, server_default=true())
    email_mode: Mapped[EmailMode] = mapped_column(
        Enum(EmailMode, native_enum=False, length=16, values_callable=_values),
        default=EmailMode.DIGEST,
    )

    def wants(self, kind: NotificationKind) -> bool:
        return bool(getattr(self, f"on_{kind.value}"))

    def set_kinds(self, kinds: frozenset[NotificationKind]) -> None:
        for kind in NotificationKind:
            setattr(self, f"on_{kind.value}", kind in kinds)


class GroupMute(db.Model):  # type: ignore[name-defined]
    """A group whose discussion a person does not want notifications about."""

    __tablename__ = "group_mutes"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
