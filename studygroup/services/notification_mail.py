"""Notification mail: what a notification says and links to. It goes through the mail
queue (services.outbox), so no mail announces a change that was rolled back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for

from ..links import external_url
from ..models import Notification, NotificationKind
from . import outbox

SUMMARIES = {
    NotificationKind.REPLY: "{actor} replied in a discussion on “{title}”",
    NotificationKind.MENTION: "{actor} mentioned you on “{title}”",
    NotificationKind.ANSWER: "{actor} answered your question on “{title}”",
    NotificationKind.ASSIGNMENT: "{actor} scheduled “{title}”",
}


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def summary(notification: Notification) -> str:
    """One line that says what happened, for the page, the API and mail alike."""
    actor = notification.actor.display_name if notification.actor else "Someone"
    title = notification.reading.title if notification.reading else notification.group.name
    return SUMMARIES[notification.kind].format(actor=actor, title=title)


def link_target(notification: Notification) -> tuple[str, dict[str, Any]]:
    """Where a notification leads: its annotation in the reading, the reading, or the group."""
    if notification.reading_id is None:
        return "groups.show", {"group_id": notification.group_id}
    values: dict[str, Any] = {"reading_id": notification.reading_id}
    if notification.annotation_id is not None:
        values["_anchor"] = f"annotation-{notification.annotation_id}"
    return "readings.show", values


def target_url(notification: Notification) -> str:
    endpoint, values = link_target(notification)
    return url_for(endpoint, **values)


def mail_entry(notification: Notification) -> str:
    """A notification as a few plain-text lines with an absolute link."""
    lines = [f"{summary(notification)} ({notification.group.name})"]
    if notification.text:
        lines.append(f"  “{notification.text}”")
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
