"""Notifications: who hears about a reply, mention, answer or assignment, and reading them.

The notify_* functions are called by the services that write annotations and assignments,
inside their transaction: they add (and flush) Notification rows but never commit, so the
notifications exist exactly when the caller's change does. Mail for people in "immediate"
mode is queued on the session and sent only after that commit succeeds (notification_mail).
Preferences and mutes live in notification_settings.

A person hears about an annotation once: when one reply is also an answer and mentions
people, call notify_mentions, then notify_answer, then notify_reply; the first kind wins.
Marking an answer is news of its own: the asker hears "answered" even after hearing of the
reply itself.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    SQLColumnExpression,
    and_,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..mail import mail_enabled
from ..models import (
    Annotation,
    Assignment,
    EmailMode,
    GroupMute,
    Membership,
    Notification,
    NotificationKind,
    NotificationPreference,
    Reading,
    Role,
    User,
    Visibility,
)
from ..models.types import utcnow
from ..permissions import visible_to
from .notification_mail import immediate_mail, queue_mail, quoted, snapshot

PER_PAGE = 30
MEMBER_ROLES = (Role.MEMBER, Role.FACILITATOR)


@dataclass(frozen=True)
class NotificationPage:
    items: list[Notification]
    page: int
    has_next: bool


# ---- Creating notifications (the caller commits) --------------------------------------------


def notify_reply(*, reply: Annotation) -> list[Notification]:
    """Tell the thread's participants (root and reply authors) about a new reply."""
    root_id = reply.root_id or reply.parent_id
    thread = db.session.execute(
        select(Annotation.author_id, Annotation.visibility).where(
            or_(Annotation.id == root_id, Annotation.root_id == root_id),
            Annotation.id != reply.id,
            Annotation.deleted_at.is_(None),
        )
    ).all()
    if any(visibility is Visibility.PRIVATE for _, visibility in thread):
        return []  # a private thread is its author's alone, and its author wrote the reply
    participants = {author_id for author_id, _ in thread if author_id is not None}
    return _notify(NotificationKind.REPLY, annotation=reply, candidates=participants)


def notify_mentions(*, annotation: Annotation, mentioned: Iterable[User]) -> list[Notification]:
    """Tell each mentioned member; mentions of non-members are ignored."""
    candidates = {user.id for user in mentioned}
    return _notify(NotificationKind.MENTION, annotation=annotation, candidates=candidates)


def notify_answer(*, question: Annotation, answer: Annotation) -> list[Notification]:
    """Tell a question's author that someone answered it."""
    private = question.visibility is Visibility.PRIVATE
    candidates = set() if private or question.author_id is None else {question.author_id}
    return _notify(NotificationKind.ANSWER, annotation=answer, candidates=candidates)


def notify_assignment(*, assignment: Assignment, assigned_by: User) -> list[Notification]:
    """Tell every current member but the facilitator who scheduled the reading."""
    reading = assignment.reading
    due = assignment.due_at.strftime(
        "%Y-%m-%d %H:%M UTC" if assignment.due_has_time else "%Y-%m-%d"
    )
    recipients = _eligible(NotificationKind.ASSIGNMENT, group_id=reading.group_id, user_ids=None)
    return _deliver(
        NotificationKind.ASSIGNMENT,
        recipients=[(user, mode) for user, mode in recipients if user.id != assigned_by.id],
        reading=reading,
        annotation_id=None,
        actor=assigned_by,
        text=f"Due {due}",
    )


def notify_orphans(*, orphans: Iterable[Annotation], editor: User) -> list[Notification]:
    """Tell each author whose passage an edit removed, so they can re-attach it."""
    rows = []
    for annotation in orphans:
        if annotation.deleted_at is not None or annotation.author_id in (None, editor.id):
            continue
        reading = annotation.reading
        recipients = _eligible(
            NotificationKind.ORPHANED, group_id=reading.group_id, user_ids={annotation.author_id}
        )
        rows += _deliver(
            NotificationKind.ORPHANED,
            recipients=recipients,
            reading=reading,
            annotation_id=annotation.id,
            actor=editor,
            text=snapshot(annotation.exact or ""),
        )
    return rows


def withdraw_assignment(*, reading: Reading) -> None:
    """A reading taken off the schedule was never due: its "scheduled" news goes too."""
    db.session.execute(
        delete(Notification)
        .where(
            Notification.reading_id == reading.id,
            Notification.kind == NotificationKind.ASSIGNMENT,
        )
        .execution_options(synchronize_session=False)
    )


def notify_flag(*, annotation: Annotation, flagger: User, reason: str) -> list[Notification]:
    """Tell the group's facilitators (the flagger aside) that a member flagged an annotation."""
    if annotation.visibility is Visibility.PRIVATE:
        return []
    reading = annotation.reading
    facilitators = select(Membership.user_id).where(
        Membership.group_id == reading.group_id,
        Membership.role == Role.FACILITATOR,
        Membership.user_id != flagger.id,
    )
    return _deliver(
        NotificationKind.FLAG,
        recipients=_eligible(
            NotificationKind.FLAG,
            group_id=reading.group_id,
            user_ids=list(db.session.scalars(facilitators)),
        ),
        reading=reading,
        annotation_id=annotation.id,
        actor=flagger,
        text=snapshot(reason),
    )


def _notify(
    kind: NotificationKind, *, annotation: Annotation, candidates: set[int]
) -> list[Notification]:
    """The common path for annotation notifications: visibility, dedupe, preferences."""
    if annotation.visibility is Visibility.PRIVATE or annotation.deleted_at is not None:
        return []
    if not candidates - {annotation.author_id}:
        return []  # nobody to tell: no flush, no query
    db.session.flush()  # the annotation needs its id, and earlier notifications must count
    earlier = select(Notification.recipient_id).where(Notification.annotation_id == annotation.id)
    if kind is NotificationKind.ANSWER:
        earlier = earlier.where(Notification.kind == NotificationKind.ANSWER)
    already = db.session.scalars(earlier)
    candidates = candidates - {annotation.author_id} - set(already)
    if not candidates:
        return []
    reading = annotation.reading
    return _deliver(
        kind,
        recipients=_eligible(kind, group_id=reading.group_id, user_ids=candidates),
        reading=reading,
        annotation_id=annotation.id,
        actor=annotation.author,
        text=quoted(annotation),
    )


def _eligible(
    kind: NotificationKind, *, group_id: int, user_ids: Collection[int] | None
) -> list[tuple[User, EmailMode]]:
    """Current members who want this kind and have not muted the group: one query."""
    wants = getattr(NotificationPreference, f"on_{kind.value}")
    query = (
        select(User, NotificationPreference.email_mode)
        .join(Membership, and_(Membership.user_id == User.id, Membership.group_id == group_id))
        .outerjoin(NotificationPreference, NotificationPreference.user_id == User.id)
        .where(
            Membership.role.in_(MEMBER_ROLES),
            or_(NotificationPreference.user_id.is_(None), wants),
            ~exists().where(GroupMute.user_id == User.id, GroupMute.group_id == group_id),
        )
        .order_by(User.id)
    )
    if user_ids is not None:
        query = query.where(User.id.in_(user_ids))
    return [(user, mode or EmailMode.DIGEST) for user, mode in db.session.execute(query).all()]


def _deliver(
    kind: NotificationKind,
    *,
    recipients: list[tuple[User, EmailMode]],
    reading: Reading,
    annotation_id: int | None,
    actor: User | None,
    text: str,
) -> list[Notification]:
    """Add the rows, and queue mail for those who want it at once."""
    now = utcnow()
    sending = mail_enabled()
    rows = []
    for user, mode in recipients:
        immediate = sending and mode is EmailMode.IMMEDIATE
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                group=reading.group,
                reading=reading,
                annotation_id=annotation_id,
                actor=actor,
                text=text,
                created_at=now,
                emailed_at=now if immediate else None,
            )
        )
    db.session.add_all(rows)
    db.session.flush()
    for row in rows:
        if row.emailed_at is not None:
            queue_mail(immediate_mail(row))
    return rows


# ---- Reading notifications ---------------------------------------------------------------


def visible(recipient_id: SQLColumnExpression[int] | int) -> ColumnElement[bool]:
    """Still a member of the group, and the annotation still there and theirs to see."""
    member = exists().where(
        Membership.group_id == Notification.group_id,
        Membership.user_id == recipient_id,
        Membership.role.in_(MEMBER_ROLES),
    )
    annotation_visible = exists().where(
        Annotation.id == Notification.annotation_id,
        Annotation.deleted_at.is_(None),
        visible_to(recipient_id),
    )
    return and_(member, or_(Notification.annotation_id.is_(None), annotation_visible))


def list_notifications(
    *, user: User, page: int = 1, per_page: int = PER_PAGE, unread_only: bool = False
) -> NotificationPage:
    """A page of the user's notifications, newest first, in one query."""
    query = (
        select(Notification)
        .options(
            joinedload(Notification.actor),
            joinedload(Notification.reading).joinedload(Reading.assignment),
            joinedload(Notification.group),
            joinedload(Notification.annotation),
        )
        .where(Notification.recipient_id == user.id, visible(user.id))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    )
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    rows = list(db.session.scalars(query))
    return NotificationPage(items=rows[:per_page], page=page, has_next=len(rows) > per_page)


def unread_count(*, user: User) -> int:
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.recipient_id == user.id,
                Notification.read_at.is_(None),
                visible(user.id),
            )
        )
        or 0
    )


def owns(*, user: User, notification_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Notification.id == notification_id, Notification.recipient_id == user.id
                )
            )
        )
    )


def mark_read(*, user: User, ids: Collection[int] | None = None) -> int:
    """Mark some (or, without ids, all) of the user's notifications read; others' are ignored."""
    statement = (
        update(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if ids is not None:
        statement = statement.where(Notification.id.in_(ids))
    marked = cast(CursorResult[Any], db.session.execute(statement)).rowcount
    db.session.commit()
    return marked
