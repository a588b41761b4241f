"""Outgoing email over SMTP, when the operator configured a server."""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage

from flask import current_app

Send = Callable[..., None]


def mail_enabled() -> bool:
    return bool(current_app.config["MAIL_SERVER"])


@contextmanager
def smtp_session() -> Iterator[Send]:
    """One connection for many mails: a reply in a busy thread notifies many people at once."""
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")

        def send(*, to: str, subject: str, body: str) -> None:
            message = EmailMessage()
            message["From"] = config["MAIL_SENDER"]
            message["To"] = to
            message["Subject"] = subject
            message.set_content(body)
            smtp.send_message(message)

        yield send


def send_mail(*, to: str, subject: str, body: str) -> None:
    with smtp_session() as send:
        send(to=to, subject=subject, body=body)
