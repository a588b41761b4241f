"""A group with a discussion worth exporting, built through the services."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient

from studygroup.extensions import db
from studygroup.models import Annotation, Motivation, Reading, Role, User, Visibility
from studygroup.services import annotations, moderation, readings, threads, votes
from studygroup.services.annotations import Target
from tests.conftest import Factory, signed_in_client

SOURCE = (
    "Reading groups meet once a week to talk about a single article.\n\n"
    "Members highlight passages, ask questions and argue in the margins."
)


@dataclass
class Circle:
    """Fran facilitates; Ada and Max are members; Otto is outside. Ada asked a question,
    Max replied (with a link and an image), Ada answered back; Ada and Max each keep a
    private note; Fran hid a rude comment of Max's."""

    app: Flask
    group_id: int
    reading_id: int
    users: dict[str, User]
    ids: dict[str, int]

    def client(self, role: str) -> FlaskClient:
        return signed_in_client(self.app, None if role == "anonymous" else self.users[role])


def annotate(
    reading: Reading,
    author: User,
    exact: str,
    *,
    motivation: Motivation = Motivation.COMMENTING,
    body: str = "",
    visibility: Visibility = Visibility.GROUP,
) -> Annotation:
    text = readings.current_revision(reading).text
    start = text.index(exact)
    return annotations.create_annotation(
        reading=reading,
        author=author,
        motivation=motivation,
        target=Target(start=start, end=start + len(exact), exact=exact),
        body=body,
        visibility=visibility,
    )


def build_circle(app: Flask, factory: Factory) -> Circle:
    fran, ada = factory.user("Fran Facilitator"), factory.user("Ada Author")
    max_, otto = factory.user("Max Member"), factory.user("Otto Outsider")
    group = factory.group(fran)
    factory.member(group, ada, Role.MEMBER)
    factory.member(group, max_, Role.MEMBER)
    reading = factory.reading(group, fran, SOURCE, title="Why we read")
    ids: dict[str, int] = {}
    with app.app_context():
        r = db.session.get(Reading, reading.id)
        get = lambda user: db.session.get(User, user.id)  # noqa: E731
        question = annotate(
            r,
            get(ada),
            "single article",
            motivation=Motivation.QUESTIONING,
            body="Which *article*?",
        )
        reply = threads.create_reply(
            parent=question,
            author=get(max_),
            body="This one: [the source](https://example.org/source) ![x](https://img.example.org/a.png)",
        )
        answer = threads.create_reply(parent=reply, author=get(ada), body="Thanks, Max.")
        votes.set_vote(annotation=question, user=get(max_), on=True)
        rude = annotate(r, get(max_), "argue", body="=1+1 is what you are")
        moderation.hide(annotation=rude, by=get(fran), reason="Be kind")
        ada_note = annotate(
            r, get(ada), "Members", body="Ada's secret thought", visibility=Visibility.PRIVATE
        )
        max_note = annotate(
            r, get(max_), "margins", body="Max's secret thought", visibility=Visibility.PRIVATE
        )
        highlight = annotate(r, get(fran), "highlight", motivation=Motivation.HIGHLIGHTING)
        ids.update(
            question=question.id,
            reply=reply.id,
            answer=answer.id,
            rude=rude.id,
            ada_note=ada_note.id,
            max_note=max_note.id,
            highlight=highlight.id,
        )
    users = {"facilitator": fran, "author": ada, "member": max_, "outsider": otto}
    return Circle(app, group.id, reading.id, users, ids)
