"""Notification mail: what a notification says and links to. It goes through the mail
queue (services.outbox), so no mail announces a change that was rolled back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import url_for

from ..links import external_url
from ..models import Annotation, Notification, NotificationKind
from ..models.notification import SNAPSHOT_LENGTH
from ..rendering import canonical_text
from . import outbox

_SPACE = re.compile(r"\s+")
HIDDEN_NOTICE = "Hidden by a facilitator."
# Kinds whose text is their own, not the annotation's words: a flag's reason, an orphan's
# old quote.
OWN_TEXT = frozenset({NotificationKind.FLAG, NotificationKind.ORPHANED})

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
    if annotation is None or notification.kind in OWN_TEXT:
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
    outbox.enqueue(to=mail.to, subject=mail.subject, body=mail.body)
