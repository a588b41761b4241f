"""Questions: open until the asker (or a facilitator) marks a reply as the answer."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    Annotation,
    Group,
    ModerationAction,
    ModerationKind,
    Motivation,
    Reading,
    User,
)
from ..models.types import utcnow
from ..permissions import Actor, can_see, visible_to
from .annotations import AnnotationError
from .changes import annotation_changed
from .notifications import notify_answer
from .votes import Tally, tally


class State(enum.StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    ALL = "all"


@dataclass(frozen=True)
class QuestionList:
    """A group's questions, newest first, with reply counts and votes."""

    questions: list[Annotation]
    replies: dict[int, int]
    votes: Tally


def _record(question: Annotation, by: User, kind: ModerationKind) -> None:
    annotation_changed(question)
    db.session.add(
        ModerationAction(
            group_id=question.reading.group_id,
            annotation_id=question.id,
            actor_id=by.id,
            kind=kind,
        )
    )


def mark_answer(*, question: Annotation, answer: Annotation, by: User) -> None:
    """Mark a reply in the question's thread as its answer; the asker hears of it."""
    if question.motivation is not Motivation.QUESTIONING or question.is_reply:
        raise AnnotationError("Only a question can have an answer.")
    if question.is_deleted:
        raise AnnotationError("This question was deleted.")
    if answer.root_id != question.id:
        raise AnnotationError("The answer must be a reply in the question's thread.")
    if answer.is_deleted or answer.is_hidden:
        raise AnnotationError("A deleted or hidden reply cannot be the answer.")
    if question.answer_id == answer.id:
        return
    question.answer_id = answer.id
    question.answered_at = question.modified_at = utcnow()
    _record(question, by, ModerationKind.MARK_ANSWER)
    if by.id != question.author_id:  # askers know which answer they chose
        notify_answer(question=question, answer=answer)
    db.session.commit()


def reopen(*, question: Annotation, by: User) -> None:
    """Take the answer mark away: the question is open again."""
    if question.answer_id is None:
        raise AnnotationError("This question is already open.")
    question.answer_id = question.answered_at = None
    question.modified_at = utcnow()
    _record(question, by, ModerationKind.REOPEN)
    db.session.commit()


def group_questions(*, group: Group, actor: Actor, state: State) -> QuestionList:
    """The group's questions across its readings that the actor may see: three queries."""
    where = [
        Reading.group_id == group.id,
        Annotation.motivation == Motivation.QUESTIONING,
        Annotation.parent_id.is_(None),
        Annotation.deleted_at.is_(None),
        visible_to(actor.user_id),
    ]
    if state is State.OPEN:
        where.append(Annotation.answer_id.is_(None))
    elif state is State.ANSWERED:
        where.append(Annotation.answer_id.is_not(None))
    rows = db.session.scalars(
        select(Annotation)
        .join(Reading, Reading.id == Annotation.reading_id)
        .options(joinedload(Annotation.author), joinedload(Annotation.reading))
        .where(*where)
        .order_by(Annotation.created_at.desc(), Annotation.id.desc())
    )
    questions = [question for question in rows if can_see(actor, question)]
    ids = [question.id for question in questions]
    replies = dict(
        db.session.execute(
            select(Annotation.root_id, func.count(Annotation.id))
            .where(Annotation.root_id.in_(ids))
            .group_by(Annotation.root_id)
        ).all()
    )
    return QuestionList(
        questions=questions,
        replies=replies,  # type: ignore[arg-type]
        votes=tally(where=Annotation.id.in_(ids), user_id=actor.user_id),
    )
