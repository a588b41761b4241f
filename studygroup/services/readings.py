"""Readings: add, find, delete, mark as read; revisions.py changes their text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Group, Reading, ReadingRevision, ReadMark, User
from ..rendering import canonical_text, render_reading

FORMATS = {"markdown": "Markdown", "text": "Plain text", "html": "HTML"}
TITLE_MAX = 300
AUTHOR_MAX = 200
SOURCE_URL_MAX = 2000


class ReadingError(ValueError):
    """A reading change that cannot be honoured, with a message for the user."""

    def __init__(self, message: str, field: str | None = None, status: int = 422) -> None:
        super().__init__(message)
        self.field = field
        self.status = status  # for the API: 422 for bad input, 409 when the reading moved on


def check_details(*, title: str, author: str, source_url: str) -> tuple[str, str, str]:
    """Check the reading's details; shared by adding and editing."""
    title, author, source_url = title.strip(), author.strip(), source_url.strip()
    if not title:
        raise ReadingError("Give the reading a title.", "title")
    if len(title) > TITLE_MAX:
        raise ReadingError(f"Use at most {TITLE_MAX} characters.", "title")
    if len(author) > AUTHOR_MAX:
        raise ReadingError(f"Use at most {AUTHOR_MAX} characters.", "author")
    if len(source_url) > SOURCE_URL_MAX:
        raise ReadingError(f"Use at most {SOURCE_URL_MAX} characters.", "source_url")
    if source_url and not source_url.lower().startswith(("http://", "https://")):
        raise ReadingError("Use a web address starting with http:// or https://.", "source_url")
    return title, author, source_url


def render_text(source: str, source_format: str) -> tuple[str, str]:
    """Sanitize once, on write: the stored HTML and the canonical text offsets index into."""
    if source_format not in FORMATS:
        raise ReadingError("Choose Markdown, plain text or HTML.", "source_format")
    html = render_reading(source, source_format)
    text = canonical_text(html)
    if not text.strip():
        raise ReadingError("The text is empty (after removing anything unsafe).", "body")
    return html, text


def create_reading(
    *,
    group: Group,
    creator: User,
    title: str,
    source: str,
    source_format: str,
    author: str = "",
    source_url: str = "",
) -> Reading:
    title, author, source_url = check_details(title=title, author=author, source_url=source_url)
    html, text = render_text(source, source_format)
    reading = Reading(
        group=group, title=title, author=author, source_url=source_url, created_by=creator
    )
    reading.revisions.append(
        ReadingRevision(
            number=1,
            source_format=source_format,
            source=source,
            html=html,
            text=text,
            created_by=creator,
        )
    )
    db.session.add(reading)
    db.session.commit()
    return reading


def readings_of(group: Group) -> list[Reading]:
    """The group's library, newest first, with each reading's schedule entry."""
    return list(
        db.session.scalars(
            select(Reading)
            .where(Reading.group_id == group.id)
            .options(selectinload(Reading.assignment))
            .order_by(Reading.created_at.desc(), Reading.id.desc())
        )
    )


def current_revision(reading: Reading) -> ReadingRevision:
    return revision_of(reading, reading.current_revision)


def revision_of(reading: Reading, number: int) -> ReadingRevision:
    found = db.session.scalar(
        select(ReadingRevision).where(
            ReadingRevision.reading_id == reading.id, ReadingRevision.number == number
        )
    )
    if found is None:
        raise LookupError(f"reading {reading.id} has no revision {number}")
    return found


def delete_reading(*, reading: Reading) -> None:
    """Remove the reading with its revisions, schedule entry, annotations and read marks."""
    db.session.delete(reading)
    db.session.commit()


def set_read(*, reading: Reading, user: User, read: bool) -> None:
    """Mark or unmark; repeating either is harmless."""
    mark = db.session.get(ReadMark, (user.id, reading.id))
    if read and mark is None:
        db.session.add(ReadMark(user_id=user.id, reading_id=reading.id))
    elif not read and mark is not None:
        db.session.delete(mark)
    try:
        db.session.commit()
    except IntegrityError:  # a double click raced us to the same mark
        db.session.rollback()


def has_read(*, user: User, reading: Reading) -> bool:
    return db.session.get(ReadMark, (user.id, reading.id)) is not None


def read_ids(*, user: User, readings: list[Reading]) -> set[int]:
    """Which of these readings the user has marked as read, in one query."""
    if not readings:
        return set()
    return set(
        db.session.scalars(
            select(ReadMark.reading_id).where(
                ReadMark.user_id == user.id,
                ReadMark.reading_id.in_([r.id for r in readings]),
            )
        )
    )


def read_marks_of(user: User) -> list[tuple[int, str, datetime]]:
    """(reading id, title, when) for every reading the user marked as read."""
    rows = db.session.execute(
        select(Reading.id, Reading.title, ReadMark.read_at)
        .join(ReadMark, ReadMark.reading_id == Reading.id)
        .where(ReadMark.user_id == user.id)
        .order_by(ReadMark.read_at)
    )
    return [(reading_id, title, at) for reading_id, title, at in rows]
