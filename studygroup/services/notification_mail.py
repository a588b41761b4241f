"""Notification mail: what a notification says and links to, and an outbox that sends
only after the caller's commit, so no mail announces a change that was rolled back."""

from __future__ import annotations

import re
import smtplib
from dataclasses import dataclass
from typing import Any

from flask import current_app, url_for
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..extensions import db
from ..links import external_url
from ..mail import smtp_session
from ..models import Annotation, Notification, NotificationKind
from ..models.notification import SNAPSHOT_LENGTH
from ..rendering import canonical_text

_OUTBOX = "notification_outbox"
_SPACE = re.compile(r"\s+")
HIDDEN_NOTICE = "Hidden by a facilitator."

SUMMARIES = {
    NotificationKind.REPLY: "{actor} replied in a discussion on “{title}”",
    NotificationKind.MENTION: "{actor} mentioned you on “{title}”",
    NotificationKind.ANSWER: "{actor} answered your question on “{title}”",
    NotificationKind.ASSIGNMENT: "{actor} scheduled “{title}”",
    NotificationKind.ORPHANED: "{actor} edited “{title}”: your annotation lost its passage",
    NotificationKind.FLAG: "{actor} flagged an annotation on “{title}”",
}


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def snapshot(text: str) -> str:
    """Text as a notification quotes it: one short line."""
    flat = _SPACE.sub(" ", text).strip()
    return flat if len(flat) <= SNAPSHOT_LENGTH else flat[: SNAPSHOT_LENGTH - 1] + "…"


def quoted(annotation: Annotation) -> str:
    """An annotation's text as a notification quotes it."""
    return snapshot(canonical_text(annotation.body_html) or annotation.exact or "")


def shown_text(notification: Notification) -> str:
    """The quote as its annotation is now: edited text, or no text once a facilitator hid it.

    (Deleted and private annotations take their notifications away: `notifications.visible`.)
    """
    annotation = notification.annotation
    if annotation is None:
        return notification.text
    return HIDDEN_NOTICE if annotation.is_hidden else quoted(annotation)


def summary(notification: Notification) -> str:
    """One line that says what happened, for the page, the API and mail alike."""
    actor = notification.actor.display_name if notification.actor else "Someone"
    title = notification.reading.title if notification.reading else notification.group.name
    return SUMMARIES[notification.kind].format(actor=actor, title=title)


def link_target(notification: Notification) -> tuple[str, dict[str, Any]]:
    """Where a notification leads: its annotation in the reading, the reading, or the group.
    The reading's page marks the notification read once it is opened (static/js/app.js)."""
    if notification.reading_id is None:
        return "groups.show", {"group_id": notification.group_id, "notification": notification.id}
    if notification.kind is NotificationKind.FLAG:
        return "discussion.moderation_page", {"group_id": notification.group_id}
    values: dict[str, Any] = {
        "reading_id": notification.reading_id,
        "notification": notification.id,
    }
    if notification.annotation_id is not None:
        values["_anchor"] = f"annotation-{notification.annotation_id}"
    return "readings.show", values


def target_url(notification: Notification) -> str:
    endpoint, values = link_target(notification)
    return url_for(endpoint, **values)


def mail_entry(notification: Notification) -> str:
    """A notification as a few plain-text lines with an absolute link."""
    lines = [f"{summary(notification)} ({notification.group.name})"]
    text = shown_text(notification)
    if text:
        lines.append(f"  “{text}”")
    endpoint, values = link_target(notification)
    lines.append(f"  {external_url(endpoint, **values)}")
    return "\n".join(lines)


def mail_footer() -> str:
    settings = external_url("notifications.settings")
    return f"-- \nChoose what Studygroup emails you about: {settings}\n"


def immediate_mail(notification: Notification) -> Mail:
    body = f"{mail_entry(notification)}\n\n{mail_footer()}"
    return Mail(to=notification.recipient.email, subject=summary(notification), body=body)


def queue_mail(mail: Mail) -> None:
    db.session.info.setdefault(_OUTBOX, []).append(mail)


def _send_outbox(session: Session) -> None:
    """After a commit: the notifications exist, so their mail may go out.

    A lost mail is only logged: its notification is saved and shows in the app.
    """
    outbox: list[Mail] = session.info.pop(_OUTBOX, [])
    if not outbox:
        return
    sent = 0
    try:
        with smtp_session() as send:
            for mail in outbox:
                try:
                    send(to=mail.to, subject=mail.subject, body=mail.body)
                except smtplib.SMTPRecipientsRefused:
                    current_app.logger.warning("The mail server refused %s", mail.to)
                sent += 1
    except OSError:
        recipients = ", ".join(mail.to for mail in outbox[sent:])
        current_app.logger.warning("Could not send notification mail to %s", recipients)


def _drop_outbox(session: Session) -> None:
    session.info.pop(_OUTBOX, None)


event.listen(db.session, "after_commit", _send_outbox)
event.listen(db.session, "after_rollback", _drop_outbox)
