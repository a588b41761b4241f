"""Changing a reading's text: a new revision, every annotation re-anchored in the same
transaction; and the history and diffs facilitators look back through."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import anchoring
from ..extensions import db
from ..models import Annotation, Reading, ReadingRevision, User
from . import readings
from .changes import reading_changed

DIFF_CONTEXT_LINES = 2


@dataclass(frozen=True)
class EditOutcome:
    """What an edit did, so the facilitator can see where the annotations went."""

    revision: ReadingRevision
    revised: bool  # False when only the title, author or source changed
    reanchored: int  # now anchored in the new revision (including recovered orphans)
    orphaned: int  # lost their passage in this edit; kept with their old quote
    still_orphaned: int  # were orphaned before and still have no place


@dataclass(frozen=True)
class DiffLine:
    kind: Literal["hunk", "add", "remove", "context"]
    text: str


def revisions_of(reading: Reading) -> list[ReadingRevision]:
    """Newest first, for the history page."""
    return list(
        db.session.scalars(
            select(ReadingRevision)
            .where(ReadingRevision.reading_id == reading.id)
            .order_by(ReadingRevision.number.desc())
        )
    )


def edit_reading(
    *,
    reading: Reading,
    editor: User,
    title: str,
    author: str,
    source_url: str,
    source: str,
    source_format: str,
    base_revision: int | None = None,
) -> EditOutcome:
    """Save details; a changed text becomes a new revision with every annotation re-anchored."""
    db.session.refresh(reading, with_for_update={"of": Reading})  # one edit at a time
    if base_revision is not None and base_revision != reading.current_revision:
        raise readings.ReadingError(
            "Someone else edited this reading meanwhile. Reload it, then make your change again.",
            "body",
            status=409,
        )
    details = readings.check_details(title=title, author=author, source_url=source_url)
    reading.title, reading.author, reading.source_url = details
    old = readings.current_revision(reading)
    if source == old.source and source_format == old.source_format:
        db.session.commit()
        return EditOutcome(old, revised=False, reanchored=0, orphaned=0, still_orphaned=0)
    html, text = readings.render_text(source, source_format)
    new = ReadingRevision(
        reading_id=reading.id,
        number=old.number + 1,
        source_format=source_format,
        source=source,
        html=html,
        text=text,
        created_by=editor,
    )
    outcome = _reanchor(reading, old, new)
    db.session.add(new)
    reading.current_revision = new.number
    reading_changed(reading.id)
    try:
        db.session.commit()
    except IntegrityError as error:  # a concurrent edit took the same revision number
        db.session.rollback()
        raise readings.ReadingError(
            "Someone else edited this reading meanwhile; try again.", "body", status=409
        ) from error
    return outcome


def _anchored_annotations(reading: Reading) -> list[Annotation]:
    return list(
        db.session.scalars(
            select(Annotation)
            .where(
                Annotation.reading_id == reading.id,
                Annotation.parent_id.is_(None),
                Annotation.exact.is_not(None),
                Annotation.deleted_at.is_(None),
            )
            .order_by(Annotation.id)
        )
    )


def _selector(annotation: Annotation) -> anchoring.Selector:
    return anchoring.Selector(
        start=annotation.start or 0,
        end=annotation.end or 0,
        exact=annotation.exact or "",
        prefix=annotation.prefix or "",
        suffix=annotation.suffix or "",
    )


def _reanchor(reading: Reading, old: ReadingRevision, new: ReadingRevision) -> EditOutcome:
    """Place every annotation in the new text, or reject the whole edit (nothing half-moved)."""
    annotations = _anchored_annotations(reading)
    current = [a for a in annotations if not a.orphaned and a.revision == old.number]
    others = [a for a in annotations if a.orphaned or a.revision != old.number]
    try:
        moved = anchoring.reanchor_all(old.text, new.text, [_selector(a) for a in current])
        retried = [_retry(new.text, a) for a in others]
    except Exception as error:
        db.session.rollback()
        current_app.logger.exception("re-anchoring reading %s failed", reading.id)
        raise readings.ReadingError(
            "The annotations could not be moved to the new text, so nothing was changed. "
            "Please try again, or tell the site's administrator.",
            "body",
            status=409,
        ) from error
    for annotation, selector in zip(current + others, moved + retried, strict=True):
        if selector is None:
            annotation.orphaned = True  # the old quote, positions and revision stay as they were
        else:
            _place(annotation, selector, new.number)
    placed = sum(selector is not None for selector in moved + retried)
    return EditOutcome(
        new,
        revised=True,
        reanchored=placed,
        orphaned=sum(selector is None for selector in moved),
        still_orphaned=sum(s is None for s in retried),
    )


def _retry(text: str, annotation: Annotation) -> anchoring.Selector | None:
    """Orphans (or stragglers on an older revision) get a fresh search of the new text."""
    if not annotation.exact:
        return None
    found = anchoring.locate(
        text,
        annotation.exact or "",
        annotation.prefix or "",
        annotation.suffix or "",
        hint=annotation.start,
    )
    return None if found is None else anchoring.describe(text, *found)


def _place(annotation: Annotation, selector: anchoring.Selector, revision: int) -> None:
    annotation.revision = revision
    annotation.start, annotation.end = selector.start, selector.end
    annotation.exact, annotation.prefix, annotation.suffix = (
        selector.exact,
        selector.prefix,
        selector.suffix,
    )
    annotation.orphaned = False


def revision_diff(*, reading: Reading, number: int) -> list[DiffLine]:
    """Line diff of the canonical texts of revision `number` against the one before it."""
    before = readings.revision_of(reading, number - 1).text.splitlines()
    after = readings.revision_of(reading, number).text.splitlines()
    lines = list(difflib.unified_diff(before, after, lineterm="", n=DIFF_CONTEXT_LINES))[2:]
    kinds: dict[str, Literal["hunk", "add", "remove", "context"]] = {
        "@": "hunk",
        "+": "add",
        "-": "remove",
        " ": "context",
    }
    return [DiffLine(kinds[line[:1]], line) for line in lines if line[:1] in kinds]
