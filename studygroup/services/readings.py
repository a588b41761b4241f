"""Readings: add, find, delete, mark as read; revisions.py changes their text."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..intake import AUTO, Intake, prepare
from ..intake.extract import Article, extract_article
from ..intake.fetch import FetchError, fetch_page
from ..models import Annotation, Group, Reading, ReadingRevision, ReadMark, User
from ..models.types import utcnow

FORMATS = {"markdown": "Markdown", "text": "Plain text", "html": "HTML"}
# What a facilitator may choose: the stored revision keeps the format that was detected.
INPUT_FORMATS = {AUTO: "Automatic (detect)", **FORMATS}
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


def render_text(source: str, source_format: str) -> Intake:
    """Sanitize once, on write: the stored HTML and the canonical text offsets index into."""
    if source_format not in INPUT_FORMATS:
        raise ReadingError("Choose automatic, Markdown, plain text or HTML.", "source_format")
    intake = prepare(source, source_format)
    if not intake.text.strip():
        raise ReadingError("The text is empty (after removing anything unsafe).", "body")
    return intake


def create_reading(
    *,
    group: Group,
    creator: User,
    title: str,
    source: str,
    source_format: str,
    author: str = "",
    source_url: str = "",
    published_on: date | None = None,
) -> Reading:
    title, author, source_url = check_details(title=title, author=author, source_url=source_url)
    intake = render_text(source, source_format)
    reading = Reading(
        group=group,
        title=title,
        author=author,
        source_url=source_url,
        published_on=published_on,
        created_by=creator,
    )
    reading.revisions.append(
        ReadingRevision(
            number=1,
            source_format=intake.source_format,
            source=source,
            html=intake.html,
            text=intake.text,
            created_by=creator,
        )
    )
    db.session.add(reading)
    db.session.commit()
    return reading


def fetch_article(url: str) -> Article:
    """Fetch a page (SSRF-guarded) and extract its article; ReadingError on the "url" field."""
    allow_private = bool(current_app.config.get("FETCH_ALLOW_PRIVATE"))
    try:
        page = fetch_page(url, allow_private=allow_private)
    except FetchError as error:
        raise ReadingError(str(error), "url", status=error.status) from error
    article = extract_article(page.content, page.url)
    if article is None:
        raise ReadingError("We found no article text on that page.", "url")
    return article


def parse_published(value: str) -> date | None:
    """An extracted or typed YYYY-MM-DD date, or None when there is none or it is not one."""
    try:
        return date.fromisoformat(value.strip()[:10]) if value.strip() else None
    except ValueError:
        return None


def set_archived(*, reading: Reading, archived: bool) -> None:
    """Archive (out of the library list, everything kept) or bring back to the library."""
    reading.archived_at = (reading.archived_at or utcnow()) if archived else None
    db.session.commit()


def annotation_count(reading: Reading) -> int:
    """How many annotations and replies go with the reading if it is deleted."""
    return (
        db.session.scalar(
            select(func.count(Annotation.id)).where(Annotation.reading_id == reading.id)
        )
        or 0
    )


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


def revision_dates(reading_id: int) -> dict[int, datetime]:
    """When each revision was made: the time a W3C target's selectors refer to."""
    rows = db.session.execute(
        select(ReadingRevision.number, ReadingRevision.created_at).where(
            ReadingRevision.reading_id == reading_id
        )
    )
    return {number: created for number, created in rows}


def read_marks_of(user: User) -> list[tuple[int, str, datetime]]:
    """(reading id, title, when) for every reading the user marked as read."""
    rows = db.session.execute(
        select(Reading.id, Reading.title, ReadMark.read_at)
        .join(ReadMark, ReadMark.reading_id == Reading.id)
        .where(ReadMark.user_id == user.id)
        .order_by(ReadMark.read_at)
    )
    return [(reading_id, title, at) for reading_id, title, at in rows]
