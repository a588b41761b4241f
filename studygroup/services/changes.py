"""Change counters behind the annotation list's ETag, bumped in the writer's transaction.

A reading's counter moves with every change the group sees on it; a user's counter moves
with every change to their private notes, which nobody else may notice, not even as a new
ETag. A poll then compares two numbers from rows the request has already loaded.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from ..extensions import db
from ..models import Annotation, Reading, User, Visibility


def _bump(model: Any, column: Any, where: Any) -> None:
    # The increment happens in SQL, so two concurrent writers never store the same value.
    db.session.execute(
        update(model)
        .where(where)
        .values({column: column + 1})
        .execution_options(synchronize_session=False)
    )


def readings_changed(reading_ids: Any) -> None:
    """Count a change on every reading a subquery names; no commit."""
    _bump(Reading, Reading.annotation_version, Reading.id.in_(reading_ids))


def reading_changed(reading_id: int) -> None:
    """Count a change everyone reading it sees (an edit, a visibility change); no commit."""
    _bump(Reading, Reading.annotation_version, Reading.id == reading_id)


def annotation_changed(annotation: Annotation) -> None:
    """Count a change to the annotation: the group's list, or only its author's; no commit."""
    db.session.flush()  # a new annotation learns its reading_id and author_id
    if annotation.visibility is Visibility.PRIVATE and annotation.author_id is not None:
        _bump(User, User.private_version, User.id == annotation.author_id)
    else:
        reading_changed(annotation.reading_id)


def author_renamed(user_id: int) -> None:
    """Lists show their authors' names: the user's own lists and those of the readings
    where the group sees their annotations change; no commit."""
    shared = select(Annotation.reading_id).where(
        Annotation.author_id == user_id, Annotation.visibility == Visibility.GROUP
    )
    readings_changed(shared)
    _bump(User, User.private_version, User.id == user_id)
