"""A reading group in the middle of a discussion, shared by the discussion tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from studygroup.extensions import db
from studygroup.models import Annotation, Reading, Role, User
from studygroup.services import readings
from tests.conftest import Factory, signed_in_client, stored

SOURCE = (
    "Reading groups meet once a week to talk about a single article.\n\n"
    "Members highlight passages, ask questions and argue in the margins."
)
HOST = "http://localhost"


@dataclass
class Room:
    """Ada asks, Max and Fran (the facilitator) answer; Otto is outside; Gil facilitates
    another group."""

    app: Flask
    group_id: int
    reading_id: int
    text: str
    users: dict[str, User]

    @property
    def collection(self) -> str:
        return f"/api/readings/{self.reading_id}/annotations/"

    def iri(self, annotation_id: int) -> str:
        """An annotation's IRI path: its reading's container plus its id."""
        return f"{self.collection}{annotation_id}"

    @property
    def discussion(self) -> str:
        return f"/readings/{self.reading_id}/discussion"

    def client(self, role: str) -> FlaskClient:
        return signed_in_client(self.app, None if role == "anonymous" else self.users[role])

    def annotate(
        self,
        role: str = "author",
        *,
        motivation: str = "questioning",
        body: str = "Which article?",
        exact: str = "single article",
        visibility: str = "group",
    ) -> int:
        start = self.text.index(exact)
        data: dict[str, Any] = {
            "motivation": motivation,
            "target": {
                "selector": [
                    {"type": "TextQuoteSelector", "exact": exact},
                    {"type": "TextPositionSelector", "start": start, "end": start + len(exact)},
                ]
            },
            "studygroup": {"visibility": visibility},
        }
        if body:
            data["body"] = {"type": "TextualBody", "value": body, "format": "text/markdown"}
        response = self.client(role).post(self.collection, json=data)
        assert response.status_code == 201, response.text
        return int(response.get_json()["id"].rsplit("/", 1)[1])

    def post_reply(self, role: str, parent_id: int, body: str = "A reply.") -> Any:
        return self.client(role).post(
            self.collection,
            json={
                "motivation": "replying",
                "target": HOST + self.iri(parent_id),
                "body": {"type": "TextualBody", "value": body, "format": "text/markdown"},
            },
        )

    def reply(self, role: str, parent_id: int, body: str = "A reply.") -> int:
        response = self.post_reply(role, parent_id, body)
        assert response.status_code == 201, response.text
        return int(response.get_json()["id"].rsplit("/", 1)[1])

    def item(self, role: str, annotation_id: int) -> dict[str, Any]:
        response = self.client(role).get(self.iri(annotation_id))
        assert response.status_code == 200, response.text
        return response.get_json()

    def stored(self, annotation_id: int) -> Annotation | None:
        return stored(self.app, Annotation, annotation_id)

    def ids(self) -> set[int]:
        with self.app.app_context():
            return set(db.session.scalars(select(Annotation.id)))


def build_room(app: Flask, factory: Factory) -> Room:
    facilitator, author = factory.user("Fran Facilitator"), factory.user("Ada Author")
    member, outsider = factory.user("Max Member"), factory.user("Otto Outsider")
    stranger = factory.user("Gil Elsewhere")
    group = factory.group(facilitator)
    factory.member(group, author, Role.MEMBER)
    factory.member(group, member, Role.MEMBER)
    factory.group(stranger, name="Another Circle")
    reading = factory.reading(group, facilitator, SOURCE)
    with app.app_context():
        text = readings.current_revision(db.session.get(Reading, reading.id)).text
    users = {
        "author": author,
        "member": member,
        "facilitator": facilitator,
        "outsider": outsider,
        "stranger": stranger,
    }
    return Room(app, group.id, reading.id, text, users)
