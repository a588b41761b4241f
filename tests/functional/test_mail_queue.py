"""The mail queue: notification mail is a row written with the change, sent after the
response, kept when the mail server is slow or down, and sent later by `flask work`."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from typing import Any

import pytest
from sqlalchemy import func, select, update
from werkzeug.serving import make_server

from studygroup.extensions import db
from studygroup.models import EmailMode, NotificationPreference, OutgoingMail, User
from studygroup.services import outbox, tokens
from tests.functional.discussion_support import build_room


class GatedSmtp:
    """An SMTP server that holds every message until the test opens the gate."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.messages: list[EmailMessage] = []
        self.port = 0


@pytest.fixture
def gated_smtp() -> Iterator[GatedSmtp]:
    from aiosmtpd.controller import Controller

    server = GatedSmtp()

    class Hold:
        async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
            server.gate.wait(timeout=30)
            server.messages.append(
                message_from_bytes(envelope.content, policy=email_policy.default)
            )
            return "250 Message accepted"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        server.port = probe.getsockname()[1]
    controller = Controller(Hold(), hostname="127.0.0.1", port=server.port)
    controller.start()
    yield server
    server.gate.set()
    controller.stop()


def queued(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(OutgoingMail.id)))


def wait_until(condition, seconds: float = 20) -> bool:
    """Poll for something another thread does; the bound only keeps a broken run finite."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def immediate(app, user_id: int) -> None:
    with app.app_context():
        db.session.add(NotificationPreference(user_id=user_id, email_mode=EmailMode.IMMEDIATE))
        db.session.commit()


def test_a_slow_mail_server_never_holds_up_the_request(make_app, factory, gated_smtp):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=gated_smtp.port)
    room = build_room(app, factory)
    immediate(app, room.users["author"].id)
    question = room.annotate("author")
    with app.app_context():
        token = tokens.create_token(user=db.session.get(User, room.users["member"].id), label="t")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        reply = {
            "motivation": "replying",
            "target": f"{base}/api/annotations/{question}",
            "body": {"type": "TextualBody", "value": "Here is why.", "format": "text/markdown"},
        }
        request = urllib.request.Request(
            f"{base}{room.collection}",
            data=json.dumps(reply).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=20) as response:
            assert response.status == 201
        # The reply is answered while the mail server still holds the mail.
        assert gated_smtp.messages == []
        assert queued(app) == 1
        gated_smtp.gate.set()
        assert wait_until(lambda: queued(app) == 0)
    finally:
        server.shutdown()
        thread.join(timeout=5)
    [mail] = gated_smtp.messages
    assert mail["To"] == room.users["author"].email
    assert "replied" in mail["Subject"]


def test_mail_the_server_could_not_take_waits_for_the_worker(make_app, factory, smtp_server):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port)
    room = build_room(app, factory)
    immediate(app, room.users["author"].id)
    question = room.annotate("author")
    response = room.post_reply("member", question)
    assert response.status_code == 201  # answered, though no mail server listens
    response.close()  # a server closes each response it sent: the queue's turn comes then
    with app.app_context():
        [mail] = db.session.scalars(select(OutgoingMail))
        assert mail.attempts == 1 and mail.last_error
    with app.app_context():
        assert outbox.deliver_due() == 0  # not due again yet: retries pause
    app.config["MAIL_PORT"] = smtp_server.port  # the mail server is back
    with app.app_context():
        db.session.execute(update(OutgoingMail).values(next_attempt_at=mail.created_at))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["work", "--once"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 queued email." in result.output
    assert [m["To"] for m in smtp_server.messages] == [room.users["author"].email]
    assert queued(app) == 0


def test_mail_left_by_a_crash_goes_out_with_the_next_delivery(make_app, smtp_server):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    with app.app_context():  # committed, but the process died before sending it
        db.session.add(OutgoingMail(recipient="ada@example.org", subject="Hi", body="Left."))
        db.session.execute(select(1))
        db.session.commit()
    # Written without the queue's hook, so nothing was sent yet.
    assert smtp_server.messages == [] and queued(app) == 1
    with app.app_context():
        outbox.enqueue(to="bob@example.org", subject="Hello", body="New.")
        db.session.commit()  # the next delivery takes the old one along, over one session
    assert sorted(m["To"] for m in smtp_server.messages) == ["ada@example.org", "bob@example.org"]
    assert len(smtp_server.clients) == 1
    assert queued(app) == 0


def test_work_needs_a_mail_server(runner):
    result = runner.invoke(args=["work", "--once"])
    assert result.exit_code == 1 and "MAIL_SERVER" in result.output


def test_work_explains_itself(runner):
    result = runner.invoke(args=["work", "--help"])
    assert result.exit_code == 0
    assert "--once" in result.output and "queued mail" in result.output
