"""Upvotes ("me too" on questions): one per member and annotation, counted in bulk."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, case, delete, func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Annotation, Motivation, User, Vote
from ..models.types import utcnow
from .changes import annotation_changed


class VoteError(ValueError):
    """A vote that cannot count, with a message for the person who cast it."""


@dataclass(frozen=True)
class Tally:
    """Votes per annotation id, and which of them the viewer cast."""

    counts: dict[int, int] = field(default_factory=dict)
    mine: frozenset[int] = frozenset()

    def count(self, annotation_id: int) -> int:
        return self.counts.get(annotation_id, 0)

    def voted(self, annotation_id: int) -> bool:
        return annotation_id in self.mine


def tally(*, where: ColumnElement[bool], user_id: int | None) -> Tally:
    """Count the votes on the annotations `where` selects, in one grouped query."""
    rows = db.session.execute(
        select(
            Vote.annotation_id,
            func.count(Vote.id),
            func.sum(case((Vote.user_id == user_id, 1), else_=0)),
        )
        .join(Annotation, Annotation.id == Vote.annotation_id)
        .where(where)
        .group_by(Vote.annotation_id)
    ).all()
    return Tally(
        counts={annotation_id: count for annotation_id, count, _ in rows},
        mine=frozenset(annotation_id for annotation_id, _, own in rows if own),
    )


def set_vote(*, annotation: Annotation, user: User, on: bool) -> Tally:
    """Vote or unvote; repeating either changes nothing. Returns the annotation's tally."""
    if annotation.is_deleted:
        raise VoteError("This annotation was deleted; it can no longer be upvoted.")
    if annotation.is_hidden:
        raise VoteError("A facilitator hid this annotation; it cannot be upvoted.")
    if annotation.motivation is Motivation.HIGHLIGHTING:
        raise VoteError("A highlight has no text to upvote.")
    if annotation.author_id == user.id:
        raise VoteError("You cannot upvote your own annotation.")
    existing = db.session.scalar(
        select(Vote.id).where(Vote.annotation_id == annotation.id, Vote.user_id == user.id)
    )
    if on and existing is None:
        db.session.add(Vote(annotation_id=annotation.id, user_id=user.id))
    elif not on and existing is not None:
        db.session.execute(delete(Vote).where(Vote.id == existing))
    if on != (existing is not None):
        annotation.modified_at = utcnow()
        annotation_changed(annotation)
    try:
        db.session.commit()
    except IntegrityError:  # a double click raced us to the same vote
        db.session.rollback()
    return tally(where=Annotation.id == annotation.id, user_id=user.id)


def upvoted_by(user: User) -> list[int]:
    """The ids of the annotations the user upvoted, for their own data export."""
    return list(
        db.session.scalars(
            select(Vote.annotation_id).where(Vote.user_id == user.id).order_by(Vote.id)
        )
    )
