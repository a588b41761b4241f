"""The daily digest: one mail per person with everything new, instead of a flood."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..links import external_url
from ..mail import mail_enabled, smtp_session
from ..models import EmailMode, Notification, NotificationPreference
from ..models.types import utcnow
from .notification_mail import mail_entry, mail_footer
from .notifications import visible

MAX_ENTRIES = 50  # a longer digest is not read; the rest are on the notifications page


class DigestError(RuntimeError):
    """The mail server failed part-way; the digests already sent are recorded as sent."""

    def __init__(self, sent: int, cause: OSError) -> None:
        super().__init__(f"The mail server failed after {sent} digest(s): {cause}")
        self.sent = sent


@dataclass(frozen=True)
class Digest:
    to: str
    subject: str
    body: str
    notification_ids: list[int]


def send_digests(*, now: datetime | None = None) -> int:
    """Mail each digest reader everything not yet emailed; return how many mails went out.

    Each mail is committed as sent before the next one, so a failure never sends twice.
    """
    if not mail_enabled():
        return 0
    now = now or utcnow()
    digests = _compose(now)
    if not digests:
        return 0
    sent = 0
    try:
        with smtp_session() as send:
            for digest in digests:
                send(to=digest.to, subject=digest.subject, body=digest.body)
                db.session.execute(
                    update(Notification)
                    .where(Notification.id.in_(digest.notification_ids))
                    .values(emailed_at=now)
                    .execution_options(synchronize_session=False)
                )
                db.session.commit()
                sent += 1
    except OSError as error:
        raise DigestError(sent, error) from error
    return sent


def _compose(now: datetime) -> list[Digest]:
    """Every pending digest, written before any is sent: one query for all of them."""
    footer = mail_footer()
    more = external_url("notifications.index")
    return [
        _digest(list(items), footer=footer, more=more)
        for _, items in groupby(_pending(now), key=lambda n: n.recipient_id)
    ]


def _pending(now: datetime) -> Iterable[Notification]:
    """Digest readers' visible notifications not yet emailed, grouped by recipient."""
    return db.session.scalars(
        select(Notification)
        .options(
            joinedload(Notification.recipient),
            joinedload(Notification.actor),
            joinedload(Notification.reading),
            joinedload(Notification.group),
            joinedload(Notification.annotation),
        )
        .outerjoin(
            NotificationPreference, NotificationPreference.user_id == Notification.recipient_id
        )
        .where(
            Notification.emailed_at.is_(None),
            Notification.created_at <= now,
            or_(
                NotificationPreference.user_id.is_(None),
                NotificationPreference.email_mode == EmailMode.DIGEST,
            ),
            visible(Notification.recipient_id),
        )
        .order_by(Notification.recipient_id, Notification.created_at, Notification.id)
    )


def _digest(items: list[Notification], *, footer: str, more: str) -> Digest:
    recipient = items[0].recipient
    entries = [mail_entry(n) for n in items[:MAX_ENTRIES]]
    if len(items) > MAX_ENTRIES:
        entries.append(f"… and {len(items) - MAX_ENTRIES} more: {more}")
    count = f"{len(items)} new notification{'s' if len(items) > 1 else ''}"
    body = "\n\n".join(
        [f"Hello {recipient.display_name},", f"{count} from your reading groups:", *entries, footer]
    )
    return Digest(
        to=recipient.email,
        subject=f"Studygroup: {count}",
        body=body,
        notification_ids=[n.id for n in items],
    )
