"""A reading the group has worked on, built through the services, for the insights tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient

from studygroup.extensions import db
from studygroup.models import Annotation, Group, Motivation, Reading, Role, User, Visibility
from studygroup.services import annotations, moderation, readings, schedule, threads, votes
from studygroup.services.annotations import Target
from tests.conftest import Factory, signed_in_client

TEXT = "The quick brown fox jumps over the lazy dog."
PROMPTS = ["Is the fox lazy?", "Who is the dog?"]
PRIVATE_BODY = "Cleo's secret thought"
HIDDEN_BODY = "Cleo's rude remark"


@dataclass
class Room:
    """Fran facilitates; Ada and Ben read and annotate; Cleo writes a private note and a
    comment a facilitator hid; Otto is outside the group."""

    app: Flask
    group_id: int
    reading_id: int
    question_id: int
    users: dict[str, User]

    def client(self, who: str) -> FlaskClient:
        return signed_in_client(self.app, self.users[who])


def _note(reading: Reading, user: User, motivation: Motivation, exact: str, **kw: object) -> int:
    start = TEXT.index(exact)
    return annotations.create_annotation(
        reading=reading,
        author=user,
        motivation=motivation,
        target=Target(start=start, end=start + len(exact), exact=exact),
        **kw,  # type: ignore[arg-type]
    ).id


def build_room(app: Flask, factory: Factory) -> Room:
    names = {"fran": "Fran", "ada": "Ada", "ben": "Ben", "cleo": "Cleo", "otto": "Otto"}
    users = {key: factory.user(name) for key, name in names.items()}
    group = factory.group(users["fran"])
    for key in ("ada", "ben", "cleo"):
        factory.member(group, users[key], Role.MEMBER)
    reading_row = factory.reading(group, users["fran"], TEXT, title="The fox")
    with app.app_context():
        reading = db.session.get(Reading, reading_row.id)
        user = {key: db.session.get(User, u.id) for key, u in users.items()}
        schedule.assign(
            reading=reading,
            due_at=datetime(2030, 1, 10, tzinfo=UTC),
            due_has_time=False,
            position=None,
            prompts=PROMPTS,
            assigned_by=user["fran"],
        )
        _note(reading, user["ada"], Motivation.HIGHLIGHTING, "quick")
        _note(reading, user["ben"], Motivation.COMMENTING, "quick brown", body="Fast?")
        question = _note(
            reading, user["ada"], Motivation.QUESTIONING, "brown fox", body="Why brown?"
        )
        _note(
            reading,
            user["cleo"],
            Motivation.COMMENTING,
            "quick",
            body=PRIVATE_BODY,
            visibility=Visibility.PRIVATE,
        )
        rude = _note(reading, user["cleo"], Motivation.COMMENTING, "jumps", body=HIDDEN_BODY)
        moderation.hide(
            annotation=db.session.get(Annotation, rude), by=user["fran"], reason="Be kind"
        )
        threads.create_reply(
            parent=db.session.get(Annotation, question), author=user["ben"], body="Autumn."
        )
        votes.set_vote(annotation=db.session.get(Annotation, question), user=user["cleo"], on=True)
        readings.set_read(reading=reading, user=user["ada"], read=True)
        readings.set_read(reading=reading, user=user["ben"], read=True)
        group_id = db.session.get(Group, group.id).id
    return Room(app, group_id, reading_row.id, question, users)


def open_room(app: Flask, room: Room, **settings: bool) -> None:
    """Change the group's insight settings."""
    with app.app_context():
        group = db.session.get(Group, room.group_id)
        for name, value in settings.items():
            setattr(group, name, value)
        db.session.commit()
