"""Moderation: members flag, facilitators hide, unhide and lock; every action is recorded."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    Annotation,
    AnnotationEdit,
    Flag,
    Group,
    ModerationAction,
    ModerationKind,
    Reading,
    User,
)
from ..models.types import utcnow
from ..permissions import Actor, visible_to
from .annotations import AnnotationError
from .changes import annotation_changed
from .notifications import notify_flag

REASON_MAX = 500
RECENT_ACTIONS = 200


@dataclass(frozen=True)
class Overview:
    """What a group's facilitators look at: open flags, hidden annotations, recent actions."""

    flags: list[Flag]
    hidden: list[Annotation]
    actions: list[ModerationAction]


def check_reason(reason: str, *, required: bool = True) -> str:
    """A reason is shown to facilitators (and, for hiding, to the author): keep it short."""
    reason = reason.strip()
    if required and not reason:
        raise AnnotationError("Give a reason.")
    if len(reason) > REASON_MAX:
        raise AnnotationError(f"The reason must be at most {REASON_MAX} characters.")
    return reason


def _record(annotation: Annotation, by: User, kind: ModerationKind, reason: str = "") -> None:
    annotation.modified_at = utcnow()
    annotation_changed(annotation)
    db.session.add(
        ModerationAction(
            group_id=annotation.reading.group_id,
            annotation_id=annotation.id,
            actor_id=by.id,
            kind=kind,
            reason=reason,
        )
    )


def _resolve_flags(annotation: Annotation) -> None:
    db.session.execute(
        update(Flag)
        .where(Flag.annotation_id == annotation.id, Flag.resolved_at.is_(None))
        .values(resolved_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def flag(*, annotation: Annotation, user: User, reason: str) -> Flag:
    """Ask the facilitators to look; flagging again updates the reason."""
    reason = check_reason(reason)
    if annotation.is_deleted:
        raise AnnotationError("This annotation was deleted.")
    if annotation.author_id == user.id:
        raise AnnotationError("You cannot flag your own annotation; edit or delete it instead.")
    existing = db.session.scalar(
        select(Flag).where(Flag.annotation_id == annotation.id, Flag.user_id == user.id)
    )
    found = existing or Flag(annotation_id=annotation.id, user_id=user.id)
    is_new = existing is None or existing.resolved_at is not None
    found.reason, found.created_at, found.resolved_at = reason, utcnow(), None
    db.session.add(found)
    if is_new:  # a changed reason on an open flag is no news
        notify_flag(annotation=annotation, flagger=user, reason=reason)
    db.session.commit()
    return found


def hide(*, annotation: Annotation, by: User, reason: str) -> None:
    """Hide the body from members; its author and facilitators still see it, marked."""
    reason = check_reason(reason)
    if annotation.is_deleted:
        raise AnnotationError("This annotation was deleted.")
    if annotation.is_hidden:
        raise AnnotationError("This annotation is already hidden.")
    annotation.hidden_at, annotation.hidden_by_id = utcnow(), by.id
    annotation.hidden_reason = reason
    _resolve_flags(annotation)
    _record(annotation, by, ModerationKind.HIDE, reason)
    db.session.commit()


def unhide(*, annotation: Annotation, by: User, reason: str = "") -> None:
    if not annotation.is_hidden:
        raise AnnotationError("This annotation is not hidden.")
    annotation.hidden_at = annotation.hidden_by_id = None
    annotation.hidden_reason = ""
    _record(annotation, by, ModerationKind.UNHIDE, check_reason(reason, required=False))
    db.session.commit()


def set_locked(*, annotation: Annotation, by: User, locked: bool, reason: str = "") -> Annotation:
    """Lock (no new replies) or unlock the annotation's whole thread; returns its root."""
    root = db.session.get(Annotation, annotation.thread_id)
    assert root is not None  # noqa: S101 (narrows the type: root_id is a foreign key)
    if (root.locked_at is not None) == locked:
        raise AnnotationError(f"This thread is already {'locked' if locked else 'unlocked'}.")
    root.locked_at = utcnow() if locked else None
    kind = ModerationKind.LOCK if locked else ModerationKind.UNLOCK
    _record(root, by, kind, check_reason(reason, required=False))
    db.session.commit()
    return root


def dismiss_flags(*, annotation: Annotation, by: User) -> None:
    """The facilitators looked and left the annotation as it is."""
    _resolve_flags(annotation)
    _record(annotation, by, ModerationKind.DISMISS_FLAGS)
    db.session.commit()


def overview(*, group: Group, actor: Actor) -> Overview:
    """Open flags, hidden annotations and the latest actions: three queries.

    Private annotations are their author's alone: not listed here, not even as a log entry.
    """
    in_group = Annotation.reading.has(Reading.group_id == group.id)
    visible = visible_to(actor.user_id)
    flags = db.session.scalars(
        select(Flag)
        .join(Flag.annotation)
        .options(
            joinedload(Flag.user),
            joinedload(Flag.annotation).joinedload(Annotation.author),
            joinedload(Flag.annotation).joinedload(Annotation.reading),
        )
        .where(in_group, Flag.resolved_at.is_(None), visible)
        .order_by(Flag.created_at.desc(), Flag.id.desc())
    )
    hidden = db.session.scalars(
        select(Annotation)
        .options(joinedload(Annotation.author), joinedload(Annotation.reading))
        .where(in_group, Annotation.hidden_at.is_not(None), visible)
        .order_by(Annotation.hidden_at.desc())
    )
    actions = db.session.scalars(
        select(ModerationAction)
        .options(joinedload(ModerationAction.actor), joinedload(ModerationAction.annotation))
        .where(
            ModerationAction.group_id == group.id,
            or_(ModerationAction.annotation_id.is_(None), ModerationAction.annotation.has(visible)),
        )
        .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
        .limit(RECENT_ACTIONS)
    )
    return Overview(flags=list(flags), hidden=list(hidden), actions=list(actions))


def edit_history(*, annotation: Annotation) -> list[AnnotationEdit]:
    """The bodies an annotation had before its edits, oldest first."""
    return list(
        db.session.scalars(
            select(AnnotationEdit)
            .where(AnnotationEdit.annotation_id == annotation.id)
            .order_by(AnnotationEdit.edited_at, AnnotationEdit.id)
        )
    )
