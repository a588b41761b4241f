"""Notification email through a real local SMTP server: digests, immediate mail, and silence."""

from __future__ import annotations

import re
import socket
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select

from studygroup.extensions import db
from studygroup.models import Annotation, EmailMode, GroupMute, Motivation, Notification
from studygroup.services import digests, notifications
from tests.conftest import Factory
from tests.functional.test_notifications import Room, build_room, bulk

BASE_URL = "https://reading.example.org"


def mail_app(make_app: Callable[..., Flask], port: int) -> Room:
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, BASE_URL=BASE_URL)
    return build_room(app, Factory(app))


@pytest.fixture
def mail_room(make_app, smtp_server) -> Room:
    return mail_app(make_app, smtp_server.port)


def recipients(smtp_server) -> list[str]:
    return sorted(message["To"] for message in smtp_server.messages)


def test_one_digest_per_person_with_everything_new(mail_room, smtp_server):
    ada_root = mail_room.annotate("ada", "Why weekly?")
    first = mail_room.reply("bob", ada_root, "Because habits stick.")
    second = mail_room.reply("cy", ada_root, "It keeps the *pace*.")
    assert smtp_server.messages == []  # digest readers hear nothing until the digest
    with mail_room.app.app_context():
        assert digests.send_digests() == 2
    assert recipients(smtp_server) == ["reader2@example.org", "reader3@example.org"]
    assert len(smtp_server.clients) == 1  # one SMTP session for the whole run
    ada_mail = next(m for m in smtp_server.messages if m["To"] == "reader2@example.org")
    assert ada_mail["Subject"] == "Studygroup: 2 new notifications"
    body = ada_mail.get_content()
    assert body.startswith("Hello Ada,")
    assert "Bob replied in a discussion on “On reading groups” (Tuesday Circle)" in body
    assert "“Because habits stick.”" in body and "“It keeps the pace.”" in body
    reading = re.escape(f"{BASE_URL}/readings/{mail_room.reading_id}?notification=")
    for annotation in (first, second):  # the link marks its notification read when opened
        assert re.search(rf"{reading}[0-9]+#annotation-{annotation}\b", body)
    assert f"{BASE_URL}/settings/notifications" in body
    assert body.index("Because habits") < body.index("It keeps")
    bob_mail = next(m for m in smtp_server.messages if m["To"] == "reader3@example.org")
    assert bob_mail["Subject"] == "Studygroup: 1 new notification"
    # Fran and Otto had nothing: no mail. A second run finds nothing new.
    with mail_room.app.app_context():
        assert digests.send_digests() == 0
        assert (
            db.session.scalar(select(Notification).where(Notification.emailed_at.is_(None))) is None
        )
    assert len(smtp_server.messages) == 2


def test_a_long_digest_lists_fifty_and_counts_the_rest(mail_room, smtp_server):
    bulk(mail_room, "ada", 53)
    with mail_room.app.app_context():
        assert digests.send_digests() == 1
    body = smtp_server.messages[0].get_content()
    assert body.count("replied in a discussion") == 50
    assert f"… and 3 more: {BASE_URL}/notifications" in body


def test_the_command_sends_digests_for_cron(mail_room, smtp_server):
    mail_room.reply("bob", mail_room.annotate("ada"))
    runner = mail_room.app.test_cli_runner()
    result = runner.invoke(args=["send-digests"])
    assert result.exit_code == 0 and result.output == "Sent 1 digest email.\n"
    assert runner.invoke(args=["send-digests"]).output == "Sent 0 digest emails.\n"
    assert "cron" in runner.invoke(args=["send-digests", "--help"]).output


def test_immediate_readers_get_mail_on_commit_and_no_digest(mail_room, smtp_server):
    mail_room.prefer("ada", email_mode=EmailMode.IMMEDIATE)
    root = mail_room.annotate("ada")
    with mail_room.app.app_context():
        reply = Annotation(
            reading_id=mail_room.reading_id,
            author_id=mail_room.id("bob"),
            motivation=Motivation.REPLYING,
            body_source="Right away",
            body_html="<p>Right away</p>",
            parent_id=root,
            root_id=root,
        )
        db.session.add(reply)
        notifications.notify_reply(reply=reply)
        assert smtp_server.messages == []  # nothing leaves before the caller's commit
        db.session.commit()
        [notification] = db.session.scalars(select(Notification)).all()
        anchor = (
            f"/readings/{mail_room.reading_id}?notification={notification.id}#annotation-{reply.id}"
        )
    [mail] = smtp_server.messages
    assert mail["To"] == "reader2@example.org"
    assert mail["Subject"] == "Bob replied in a discussion on “On reading groups”"
    assert f"{BASE_URL}{anchor}" in mail.get_content()
    with mail_room.app.app_context():
        assert digests.send_digests() == 0


def test_one_reply_mails_everyone_in_the_thread_over_one_connection(mail_room, smtp_server):
    for name in ("ada", "cy"):
        mail_room.prefer(name, email_mode=EmailMode.IMMEDIATE)
    root = mail_room.annotate("ada")
    mail_room.reply("cy", root)
    smtp_server.messages.clear()
    smtp_server.clients.clear()
    mail_room.reply("bob", root)
    assert recipients(smtp_server) == ["reader2@example.org", "reader4@example.org"]
    assert len(smtp_server.clients) == 1


def test_a_rolled_back_change_sends_nothing(mail_room, smtp_server):
    mail_room.prefer("ada", email_mode=EmailMode.IMMEDIATE)
    root = mail_room.annotate("ada")
    with mail_room.app.app_context():
        reply = Annotation(
            reading_id=mail_room.reading_id,
            author_id=mail_room.id("bob"),
            motivation=Motivation.REPLYING,
            parent_id=root,
            root_id=root,
        )
        db.session.add(reply)
        notifications.notify_reply(reply=reply)
        db.session.rollback()
        db.session.commit()
    assert smtp_server.messages == []
    assert mail_room.rows() == []


def test_off_means_no_mail_at_all(mail_room, smtp_server):
    mail_room.prefer("ada", email_mode=EmailMode.OFF)
    mail_room.reply("bob", mail_room.annotate("ada"))
    with mail_room.app.app_context():
        assert digests.send_digests() == 0
    assert smtp_server.messages == []
    assert mail_room.rows() == [("ada", "reply")]  # still on the notifications page


def test_a_muted_group_sends_no_notification_and_no_mail(mail_room, smtp_server):
    mail_room.prefer("ada", email_mode=EmailMode.IMMEDIATE)
    with mail_room.app.app_context():
        db.session.add(GroupMute(user_id=mail_room.id("ada"), group_id=mail_room.group_id))
        db.session.commit()
    mail_room.reply("bob", mail_room.annotate("ada"))
    with mail_room.app.app_context():
        assert digests.send_digests() == 0
    assert smtp_server.messages == [] and mail_room.rows() == []


def test_a_failed_immediate_mail_keeps_the_notification(make_app, caplog):
    room = mail_app(make_app, closed_port())
    room.prefer("ada", email_mode=EmailMode.IMMEDIATE)
    room.reply("bob", room.annotate("ada"))
    assert room.rows() == [("ada", "reply")]
    assert "Could not send notification mail to reader2@example.org" in caplog.text


def test_a_failing_mail_server_stops_the_digest_without_marking(make_app):
    room = mail_app(make_app, closed_port())
    app = room.app
    room.reply("bob", room.annotate("ada"))
    with app.app_context():
        with pytest.raises(digests.DigestError, match="after 0 digest"):
            digests.send_digests()
        assert db.session.scalar(select(Notification.emailed_at)) is None
    result = app.test_cli_runner().invoke(args=["send-digests"])
    assert result.exit_code == 1 and "The mail server failed after 0 digest" in result.output


def test_without_a_mail_server_the_command_says_so(app, runner):
    result = runner.invoke(args=["send-digests"])
    assert result.exit_code == 1 and "Mail is not configured" in result.output
    with app.app_context():
        assert digests.send_digests() == 0


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
