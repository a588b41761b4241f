"""Annotations: highlights, comments, questions and replies on a reading's text."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .reading import Reading
from .types import UTCDateTime, utcnow
from .user import User


def _values(enum_class: type[enum.Enum]) -> list[str]:
    return [member.value for member in enum_class]


class Motivation(enum.StrEnum):
    """The W3C Web Annotation motivations we use."""

    HIGHLIGHTING = "highlighting"
    COMMENTING = "commenting"
    QUESTIONING = "questioning"
    REPLYING = "replying"


class Visibility(enum.StrEnum):
    GROUP = "group"
    PRIVATE = "private"  # the author only, ever: API, exports and facilitators included


class Annotation(db.Model):  # type: ignore[name-defined]
    """A passage's annotation (selectors set) or a reply in its thread (parent set).

    Selectors always refer to revision `revision` of the reading; editing the reading
    re-anchors them to the new revision, or marks the annotation orphaned (keeping the
    old quote so people can still see what it was about).
    """

    __tablename__ = "annotations"
    __table_args__ = (Index("ix_annotations_reading_position", "reading_id", "start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reading_id: Mapped[int] = mapped_column(ForeignKey("readings.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    motivation: Mapped[Motivation] = mapped_column(
        Enum(Motivation, native_enum=False, length=16, values_callable=_values)
    )
    visibility: Mapped[Visibility] = mapped_column(
        Enum(Visibility, native_enum=False, length=16, values_callable=_values),
        default=Visibility.GROUP,
    )
    color: Mapped[str | None] = mapped_column(String(16))
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")  # sanitized on write

    # Threads: replies point at their parent and at the thread's root (one query per thread).
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    root_id: Mapped[int | None] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )

    # W3C selectors into the canonical text of revision `revision` (code point offsets).
    revision: Mapped[int | None]
    start: Mapped[int | None]
    end: Mapped[int | None]
    exact: Mapped[str | None] = mapped_column(Text)
    prefix: Mapped[str | None] = mapped_column(Text)
    suffix: Mapped[str | None] = mapped_column(Text)
    orphaned: Mapped[bool] = mapped_column(default=False)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Any change to what the annotation looks like (body, votes, state) moves modified_at:
    # the collection's ETag is built from it.
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the body, by its author
    # A tombstone: deleted, but kept (body cleared) because the thread has replies under it.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Questions: the reply the asker (or a facilitator) marked as the answer.
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("annotations.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Moderation: hidden from members (not from its author or facilitators); locked threads.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str] = mapped_column(String(500), default="")
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # on a thread's root

    # Imported from elsewhere and attributed to the importer: who wrote it there.
    original_creator: Mapped[str | None] = mapped_column(String(200))
    # A discussion prompt's thread: a page note holding the assignment's prompt number
    # `prompt_index` (services.prompts keeps them in step with the schedule form).
    prompt_index: Mapped[int | None]

    reading: Mapped[Reading] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    @property
    def group(self) -> object:
        return self.reading.group

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    @property
    def thread_id(self) -> int:
        """The id of the thread's root (the annotation itself when it is one)."""
        return self.root_id or self.id

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_prompt(self) -> bool:
        return self.prompt_index is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None
