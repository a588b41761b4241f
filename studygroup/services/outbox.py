"""The mail queue: a message is a row written in the transaction that caused it, and is sent
once that transaction committed (in a web request: after the response went out).

A slow SMTP server therefore never slows a request, and a crash loses nothing: what was
not sent stays queued and goes out with the next delivery, or with `flask work`.
Senders claim messages by moving them past a lease, so several workers never send one twice.
"""

from __future__ import annotations

import smtplib
from datetime import timedelta

from flask import Flask, Response, after_this_request, current_app, has_request_context
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..mail import smtp_session
from ..models import OutgoingMail
from ..models.types import utcnow

LEASE = timedelta(minutes=5)  # a sender that died mid-send gives its claim up after this
# About four hours of retries (1, 2, 4 ... 128 minutes apart), then kept for the operator.
MAX_ATTEMPTS = 8
BATCH = 200
_PENDING = "outbox_pending"


def enqueue(*, to: str, subject: str, body: str) -> None:
    """Queue a message in the caller's transaction; it leaves after the commit."""
    db.session.add(OutgoingMail(recipient=to, subject=subject, body=body))
    db.session.info[_PENDING] = True


def _claim(session: Session) -> list[OutgoingMail]:
    now = utcnow()
    lease = now + LEASE
    due = (
        select(OutgoingMail.id)
        .where(OutgoingMail.next_attempt_at <= now, OutgoingMail.attempts < MAX_ATTEMPTS)
        .order_by(OutgoingMail.id)
        .limit(BATCH)
    )
    ids = list(session.scalars(due))
    if ids:
        session.execute(
            update(OutgoingMail)
            .where(OutgoingMail.id.in_(ids), OutgoingMail.next_attempt_at <= now)
            .values(next_attempt_at=lease)
            .execution_options(synchronize_session=False)
        )
    session.commit()
    mine = OutgoingMail.id.in_(ids) & (OutgoingMail.next_attempt_at == lease)
    claimed = list(session.scalars(select(OutgoingMail).where(mine).order_by(OutgoingMail.id)))
    session.commit()  # no transaction (on SQLite: no write lock) stays open while SMTP talks
    return claimed


def deliver_due() -> int:
    """Send the due messages over one SMTP session; returns how many the server took.

    What the server refuses or cannot take now is retried later, with growing pauses.
    """
    with Session(db.engine, expire_on_commit=False) as session:
        batch = _claim(session)
        if not batch:
            return 0
        done: list[OutgoingMail] = []
        try:
            with smtp_session() as send:
                for mail in batch:
                    try:
                        send(to=mail.recipient, subject=mail.subject, body=mail.body)
                    except smtplib.SMTPRecipientsRefused:  # never deliverable: drop it
                        current_app.logger.warning("The mail server refused %s", mail.recipient)
                    done.append(mail)
        except OSError as error:  # smtplib's errors are OSErrors too
            _postpone([mail for mail in batch if mail not in done], error)
        for mail in done:
            session.delete(mail)
        session.commit()
        return len(done)


def _postpone(mails: list[OutgoingMail], error: OSError) -> None:
    recipients = ", ".join(mail.recipient for mail in mails)
    current_app.logger.warning("Could not send notification mail to %s: %s", recipients, error)
    for mail in mails:
        mail.attempts += 1
        mail.last_error = str(error)[:500]
        mail.next_attempt_at = utcnow() + timedelta(minutes=2 ** (mail.attempts - 1))


def _deliver_in(app: Flask) -> None:
    with app.app_context():
        deliver_due()


def _after_commit(session: Session) -> None:
    if not session.info.pop(_PENDING, False):
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not has_request_context():
        _deliver_in(app)  # a command or script: nobody waits on it
        return

    @after_this_request
    def deliver_after_response(response: Response) -> Response:
        response.call_on_close(lambda: _deliver_in(app))
        return response


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


event.listen(db.session, "after_commit", _after_commit)
event.listen(db.session, "after_rollback", _after_rollback)
