"""Full-text search across a group's readings and annotations, as each member may see them.

One service, two backends chosen by the database: SQLite's FTS5 tables and PostgreSQL's
GIN-indexed tsvectors (both built in models/search.py and kept current on every write,
re-anchoring included). The database finds the matches; can_see has the last word.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    TextClause,
    and_,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Annotation, Group, Motivation, Reading, ReadingRevision, Visibility
from ..models.search import LANGUAGE
from ..permissions import Actor, Permission, allowed, can_see, is_facilitator, visible_to

LIMIT = 50
QUERY_MAX = 200
SNIPPET_BEFORE, SNIPPET_AFTER = 60, 120
_WORD = re.compile(r"\w+")


class Kind(enum.StrEnum):
    READING = "reading"
    HIGHLIGHT = "highlight"
    COMMENT = "comment"
    QUESTION = "question"
    REPLY = "reply"
    NOTE = "note"  # a private note to self: the searcher's own only


class SearchError(ValueError):
    """A query that cannot be searched, with a message for the person who typed it."""


@dataclass(frozen=True)
class Filters:
    kind: Kind | None = None
    reading_id: int | None = None
    author_id: int | None = None
    open_questions: bool = False


@dataclass(frozen=True)
class Hit:
    kind: Kind
    reading: Reading
    annotation: Annotation | None
    start: int | None  # the passage (code points), when there is one
    end: int | None
    snippet: tuple[str, str, str]  # before, the match, after: the template marks the middle


def _words(query: str) -> list[str]:
    words = _WORD.findall(query)
    if not words or len(query) > QUERY_MAX:
        raise SearchError(f"Search for 1 to {QUERY_MAX} characters of words.")
    return words


def _matching(words: list[str], *, annotations: bool) -> ColumnElement[bool] | TextClause:
    """SQL for "the annotation (or revision) contains every word", per database."""
    if db.engine.dialect.name == "postgresql":
        document = (
            "coalesce(annotations.body_source, '') || ' ' || coalesce(annotations.exact, '')"
            if annotations
            else "reading_revisions.text"
        )
        return text(
            f"to_tsvector('{LANGUAGE}'::regconfig, {document}) "
            f"@@ plainto_tsquery('{LANGUAGE}'::regconfig, :search_words)"
        ).bindparams(search_words=" ".join(words))
    name = "search_annotations" if annotations else "search_revisions"
    fts_query = " ".join('"' + word.replace('"', '""') + '"' for word in words)
    matches: Select[Any] = (
        select(literal_column("rowid"))
        .select_from(table(name))
        .where(literal_column(name).op("MATCH")(fts_query))
    )
    column = Annotation.id if annotations else ReadingRevision.id
    return column.in_(matches)


def _snippet(body: str, words: list[str]) -> tuple[str, str, str, int]:
    """Around the first word found (or its stem's first letters): before, match, after, at."""
    flat = body.lower()
    at, length = -1, 0
    for word in words:
        for probe in (word.lower(), word.lower()[:4]):
            found = flat.find(probe) if len(probe) >= 3 or probe == word.lower() else -1
            if found != -1 and (at == -1 or found < at):
                at, length = found, len(probe)
                break
    if at == -1:
        return "", "", body[: SNIPPET_BEFORE + SNIPPET_AFTER], 0
    while at + length < len(body) and body[at + length].isalnum():
        length += 1
    start = max(0, at - SNIPPET_BEFORE)
    before = ("…" if start else "") + body[start:at]
    after = body[at + length : at + length + SNIPPET_AFTER]
    after += "…" if at + length + SNIPPET_AFTER < len(body) else ""
    return before, body[at : at + length], after, at


def _kind_of(annotation: Annotation) -> Kind:
    if annotation.is_reply:
        return Kind.REPLY
    if annotation.motivation is Motivation.QUESTIONING:
        return Kind.QUESTION
    if annotation.motivation is Motivation.HIGHLIGHTING:
        return Kind.HIGHLIGHT
    return Kind.NOTE if annotation.visibility is Visibility.PRIVATE else Kind.COMMENT


KIND_FILTERS = {
    Kind.HIGHLIGHT: Annotation.motivation == Motivation.HIGHLIGHTING,
    Kind.QUESTION: and_(
        Annotation.motivation == Motivation.QUESTIONING, Annotation.parent_id.is_(None)
    ),
    Kind.REPLY: Annotation.parent_id.is_not(None),
    Kind.COMMENT: and_(
        Annotation.motivation == Motivation.COMMENTING,
        Annotation.visibility == Visibility.GROUP,
    ),
    Kind.NOTE: Annotation.visibility == Visibility.PRIVATE,
}


def _annotation_hits(group: Group, actor: Actor, words: list[str], f: Filters) -> list[Hit]:
    where = [
        Reading.group_id == group.id,
        visible_to(actor.user_id),
        Annotation.deleted_at.is_(None),
        _matching(words, annotations=True),
    ]
    if not is_facilitator(actor):  # a hidden body is its author's and the facilitators'
        where.append(or_(Annotation.hidden_at.is_(None), Annotation.author_id == actor.user_id))
    if f.kind is not None:
        where.append(KIND_FILTERS[f.kind])
    if f.reading_id is not None:
        where.append(Annotation.reading_id == f.reading_id)
    if f.author_id is not None:
        where.append(Annotation.author_id == f.author_id)
    if f.open_questions:
        where += [Annotation.motivation == Motivation.QUESTIONING, Annotation.answer_id.is_(None)]
        where.append(Annotation.parent_id.is_(None))
    rows = db.session.scalars(
        select(Annotation)
        .join(Reading, Reading.id == Annotation.reading_id)
        .options(joinedload(Annotation.author), joinedload(Annotation.reading))
        .where(*where)
        .order_by(Annotation.created_at.desc(), Annotation.id.desc())
        .limit(LIMIT)
    )
    hits = []
    for annotation in rows:
        if not can_see(actor, annotation):
            continue
        if annotation.is_hidden and not allowed(actor, Permission.READ_HIDDEN, annotation):
            continue
        body = annotation.body_source or annotation.exact or ""
        before, match, after, _ = _snippet(body, words)
        hits.append(
            Hit(
                kind=_kind_of(annotation),
                reading=annotation.reading,
                annotation=annotation,
                start=annotation.start,
                end=annotation.end,
                snippet=(before, match, after),
            )
        )
    return hits


def _reading_hits(group: Group, words: list[str], f: Filters) -> list[Hit]:
    where = [
        Reading.group_id == group.id,
        ReadingRevision.number == Reading.current_revision,
        _matching(words, annotations=False),
    ]
    if f.reading_id is not None:
        where.append(Reading.id == f.reading_id)
    rows = db.session.execute(
        select(Reading, ReadingRevision.text)
        .join(ReadingRevision, ReadingRevision.reading_id == Reading.id)
        .where(*where)
        .order_by(Reading.title, Reading.id)
        .limit(LIMIT)
    ).all()
    hits = []
    for reading, body in rows:
        before, match, after, at = _snippet(body, words)
        end = at + len(match) if match else None
        hits.append(
            Hit(Kind.READING, reading, None, at if match else None, end, (before, match, after))
        )
    return hits


def search(*, group: Group, actor: Actor, query: str, filters: Filters) -> list[Hit]:
    """Readings first (unless filtered out), then annotations, newest first: two queries."""
    words = _words(query)
    annotation_only = filters.author_id is not None or filters.open_questions
    hits = []
    if filters.kind in (None, Kind.READING) and not annotation_only:
        hits += _reading_hits(group, words, filters)
    if filters.kind is not Kind.READING:
        hits += _annotation_hits(group, actor, words, filters)
    return hits
