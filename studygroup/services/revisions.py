"""Changing a reading's text: a new revision, every annotation re-anchored in the same
transaction; and the history and diffs facilitators look back through."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import anchoring
from ..extensions import db
from ..models import Annotation, Reading, ReadingRevision, User
from . import readings
from .changes import reading_changed
from .notifications import notify_orphans

DIFF_CONTEXT_LINES = 2
_WORDS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class EditOutcome:
    """What an edit did, so the facilitator can see where the annotations went."""

    revision: ReadingRevision
    revised: bool  # False when only the title, author or source changed
    reanchored: int  # now anchored in the new revision (including recovered orphans)
    orphaned: int  # lost their passage in this edit; kept with their old quote
    still_orphaned: int  # were orphaned before and still have no place


@dataclass(frozen=True)
class Segment:
    """A run of words that stayed, came in, or went out."""

    kind: Literal["same", "add", "remove"]
    text: str


@dataclass(frozen=True)
class DiffRow:
    """One paragraph of the diff: unchanged context, a changed paragraph marked word by word,
    or a gap where unchanged paragraphs are left out."""

    kind: Literal["context", "change", "gap"]
    segments: list[Segment]


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
    published_on: date | None = None,
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
    reading.published_on = published_on
    old = readings.current_revision(reading)
    intake = readings.render_text(source, source_format)
    if source == old.source and intake.source_format == old.source_format:
        db.session.commit()
        return EditOutcome(old, revised=False, reanchored=0, orphaned=0, still_orphaned=0)
    new = ReadingRevision(
        reading_id=reading.id,
        number=old.number + 1,
        source_format=intake.source_format,
        source=source,
        html=intake.html,
        text=intake.text,
        created_by=editor,
    )
    outcome, orphans = _reanchor(reading, old, new)
    db.session.add(new)
    reading.current_revision = new.number
    notify_orphans(orphans=orphans, editor=editor)
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


def _reanchor(
    reading: Reading, old: ReadingRevision, new: ReadingRevision
) -> tuple[EditOutcome, list[Annotation]]:
    """Place every annotation in the new text, or reject the whole edit (nothing half-moved);
    also returns the annotations this edit orphaned."""
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
    orphans = [a for a, selector in zip(current, moved, strict=True) if selector is None]
    outcome = EditOutcome(
        new,
        revised=True,
        reanchored=placed,
        orphaned=len(orphans),
        still_orphaned=sum(s is None for s in retried),
    )
    return outcome, orphans


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


def revision_diff(*, reading: Reading, number: int) -> list[DiffRow]:
    """Paragraph diff of revision `number` against the one before, changed words marked."""
    before = readings.revision_of(reading, number - 1).text.splitlines()
    after = readings.revision_of(reading, number).text.splitlines()
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for group in matcher.get_grouped_opcodes(DIFF_CONTEXT_LINES):
        rows.append(DiffRow("gap", []))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [DiffRow("context", [Segment("same", line)]) for line in before[i1:i2]]
            else:
                old, new = "\n".join(before[i1:i2]), "\n".join(after[j1:j2])
                rows.append(DiffRow("change", word_diff(old, new)))
    return rows


def word_diff(old: str, new: str) -> list[Segment]:
    """The words (and the spaces between them) that stayed, went out and came in."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("remove", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("add", "".join(b[j1:j2])))
    return segments
