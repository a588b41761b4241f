"""Private and hidden text never leaks through a side door.

Every GET route of the route matrix (pages and API, so a new route is covered as soon as
it has its row there), plus the mail a member receives, is read by every role. A note its
author made private is seen by its author alone, not even its id; a comment a facilitator
hid is read only by its author and the facilitators; everyone else sees at most "hidden".
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from studygroup.extensions import db
from studygroup.models import Annotation, Motivation, Reading, User, Visibility
from studygroup.services import annotations, digests, moderation, questions, threads
from studygroup.services.annotations import Target
from tests.conftest import Factory, signed_in_client
from tests.functional.test_route_matrix import ROLES, ROUTES, World, build_world

HIDDEN = "HIDDENMARKER"  # a comment a facilitator hid
PRIVATE = "PRIVATEMARKER"  # a comment hidden, then made private and edited by its author
PRIVATE_QUESTION = "PRIVATEQUESTIONMARKER"  # a private question its author answered
MAY_READ_HIDDEN = {"author", "facilitator"}


def readable(response: Any) -> str:
    """A page's text, or every file of a zip download (the group's and my data exports)."""
    if response.mimetype == "application/zip":
        with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
            return "\n".join(archive.read(name).decode() for name in archive.namelist())
    return response.text


@dataclass
class Secrets:
    world: World
    hidden_id: int
    private_ids: list[int]


def _get(model: type[Any], row_id: int) -> Any:
    return db.session.get(model, row_id)


def build_secrets(app: Flask, factory: Factory) -> Secrets:
    world = build_world(app, factory)
    author_id, facilitator_id = world.users["author"].id, world.users["facilitator"].id
    mention = f"@{world.users['member'].display_name}"
    with app.app_context():
        reading, author = _get(Reading, world.reading_id), _get(User, author_id)
        facilitator = _get(User, facilitator_id)

        def comment(body: str, motivation: Motivation = Motivation.COMMENTING) -> Annotation:
            return annotations.create_annotation(
                reading=reading,
                author=author,
                motivation=motivation,
                target=Target(start=2, end=7, exact="short"),
                body=body,
            )

        hidden = comment(f"{HIDDEN} says {mention}")
        moderation.hide(annotation=hidden, by=facilitator, reason="Be kind")
        private = comment(f"Later private, says {mention}")
        moderation.hide(annotation=private, by=facilitator, reason="Off topic")
        annotations.update_annotation(private, visibility=Visibility.PRIVATE, body=PRIVATE)
        db.session.commit()
        question = comment(f"{PRIVATE_QUESTION}?", Motivation.QUESTIONING)
        annotations.update_annotation(question, visibility=Visibility.PRIVATE)
        db.session.commit()
        answer = threads.create_reply(parent=question, author=author, body=PRIVATE_QUESTION)
        questions.mark_answer(question=question, answer=answer, by=author)
        return Secrets(world, hidden.id, [private.id, question.id, answer.id])


def leaks(text: str, secrets: Secrets, role: str) -> list[str]:
    found = []
    if role != "author":
        found += [m for m in (PRIVATE, PRIVATE_QUESTION) if m in text]
        for private_id in secrets.private_ids:
            traces = rf"annotations?[-/]{private_id}\b|#{private_id}<"
            found += re.findall(traces, text)
    if role not in MAY_READ_HIDDEN and HIDDEN in text:
        found.append(HIDDEN)
    return found


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_no_page_or_api_shows_private_or_hidden_text_to_others(app, factory, role):
    secrets = build_secrets(app, factory)
    client = signed_in_client(app, secrets.world.users[role])
    read = 0
    for route in ROUTES:
        if route.method != "GET":
            continue
        response = client.get(route.url(secrets.world))
        assert response.status_code < 500, route.rule
        assert leaks(readable(response), secrets, role) == [], f"{role} reads it on {route.rule}"
        read += 1
    assert read > 20


def test_the_author_still_sees_everything_and_members_see_hidden(app, factory):
    secrets = build_secrets(app, factory)
    author = signed_in_client(app, secrets.world.users["author"])
    reader = f"/api/readings/{secrets.world.reading_id}/annotations/"
    assert PRIVATE in author.get(reader).text and PRIVATE_QUESTION in author.get(reader).text
    member = signed_in_client(app, secrets.world.users["member"])
    [mention] = member.get("/api/notifications").get_json()["notifications"]
    assert mention["annotation_id"] == secrets.hidden_id
    assert mention["text"] == "Hidden by a facilitator."
    assert "Hidden by a facilitator." in member.get("/notifications").text


def test_an_edit_shows_in_the_notification(app, factory):
    secrets = build_secrets(app, factory)
    with app.app_context():
        hidden = _get(Annotation, secrets.hidden_id)
        moderation.unhide(annotation=hidden, by=_get(User, secrets.world.facilitator_id))
        annotations.update_annotation(hidden, body="Sorry, I take it back")
        db.session.commit()
    member = signed_in_client(app, secrets.world.users["member"])
    [mention] = member.get("/api/notifications").get_json()["notifications"]
    assert mention["text"] == "Sorry, I take it back"


def test_digests_carry_neither_private_nor_hidden_text(make_app, smtp_server):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    secrets = build_secrets(app, Factory(app))
    with app.app_context():
        assert digests.send_digests() >= 1
    mails = [str(message) for message in smtp_server.messages]
    member = secrets.world.users["member"].email
    [to_member] = [mail for mail in mails if member in mail]
    assert "Hidden by a facilitator." in to_member
    for mail in mails:
        assert leaks(mail, secrets, "member") == []
