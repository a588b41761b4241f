"""The W3C Web Annotation API: shapes, writes, ETags and a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert, select

from studygroup.extensions import db
from studygroup.models import Annotation, Reading, ReadingRevision, Role, User
from studygroup.models.types import utcnow
from studygroup.services import readings
from studygroup.services.changes import reading_changed
from tests.conftest import Factory, counting_queries, signed_in_client, stored

SOURCE = (
    "Reading groups meet once a week to talk about a single article.\n\n"
    "Members highlight passages, ask questions and argue in the margins."
)
LD_JSON = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
ROLES = ("author", "member", "facilitator", "outsider", "anonymous")


@dataclass
class Room:
    """A group with a facilitator, two members and an outsider, reading one short text."""

    app: Flask
    reading_id: int
    text: str
    users: dict[str, User]

    @property
    def collection(self) -> str:
        return f"/api/readings/{self.reading_id}/annotations/"

    def client(self, role: str) -> FlaskClient:
        return signed_in_client(self.app, None if role == "anonymous" else self.users[role])

    def annotate(self, role: str = "author", **kwargs: Any) -> dict[str, Any]:
        response = self.client(role).post(self.collection, json=payload(self.text, **kwargs))
        assert response.status_code == 201, response.text
        return response.get_json()

    def stored(self, annotation_id: int) -> Annotation | None:
        return stored(self.app, Annotation, annotation_id)

    def count(self) -> int:
        with self.app.app_context():
            return len(db.session.scalars(select(Annotation.id)).all())


def build_room(app: Flask, factory: Factory) -> Room:
    facilitator, author = factory.user("Fran Facilitator"), factory.user("Ada Author")
    member, outsider = factory.user("Max Member"), factory.user("Otto Outsider")
    group = factory.group(facilitator)
    factory.member(group, author, Role.MEMBER)
    factory.member(group, member, Role.MEMBER)
    reading = factory.reading(group, facilitator, SOURCE)
    with app.app_context():
        text = readings.current_revision(db.session.get(Reading, reading.id)).text
    users = {"author": author, "member": member, "facilitator": facilitator, "outsider": outsider}
    return Room(app, reading.id, text, users)


def target(text: str, exact: str, *, start: int | None = None) -> dict[str, Any]:
    start = text.index(exact) if start is None else start
    return {
        "selector": [
            {"type": "TextQuoteSelector", "exact": exact, "prefix": "", "suffix": ""},
            {"type": "TextPositionSelector", "start": start, "end": start + len(exact)},
        ]
    }


def payload(
    text: str,
    exact: str = "single article",
    *,
    motivation: str = "commenting",
    body: str | None = "Which one?",
    visibility: str = "group",
    color: str | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "motivation": motivation,
        "target": target(text, exact),
        "studygroup": {"visibility": visibility, "color": color},
    }
    if body is not None:
        data["body"] = [{"type": "TextualBody", "value": body, "format": "text/markdown"}]
    return data


@pytest.fixture
def room(app: Flask, factory: Factory) -> Room:
    return build_room(app, factory)


def test_create_a_comment_returns_the_stored_w3c_annotation(room):
    response = room.client("author").post(
        room.collection, json=payload(room.text, body="Which *one*? <script>x</script>")
    )
    assert response.status_code == 201, response.text
    assert response.content_type == LD_JSON
    created = response.get_json()
    start = room.text.index("single article")
    assert response.headers["Location"] == created["id"]
    assert created["id"].startswith(f"http://localhost{room.collection}")
    assert created["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert created["type"] == "Annotation"
    assert created["motivation"] == "commenting"
    author_id = room.users["author"].id
    assert created["creator"] == {
        "type": "Person",
        "name": "Ada Author",
        "id": f"http://localhost/api/users/{author_id}",
    }
    assert created["created"].endswith("Z") and created["modified"].endswith("Z")
    assert created["body"] == [
        {
            "type": "TextualBody",
            "value": "Which *one*? <script>x</script>",
            "format": "text/markdown",
            "purpose": "commenting",
        }
    ]
    assert created["target"] == {
        "source": f"http://localhost/readings/{room.reading_id}",
        "state": {
            "type": "TimeState",
            "cached": f"http://localhost/api/readings/{room.reading_id}/revisions/1",
            "sourceDate": created["target"]["state"]["sourceDate"],
        },
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": "single article",
                "prefix": room.text[start - 32 : start],
                "suffix": room.text[start + 14 : start + 46],
            },
            {"type": "TextPositionSelector", "start": start, "end": start + 14},
        ],
    }
    extension = created["studygroup"]
    assert "<script>" not in extension["html"] and "<em>one</em>" in extension["html"]
    assert extension == {
        "visibility": "group",
        "orphaned": False,
        "revision": 1,
        "color": None,
        "html": extension["html"],
        "creatorId": room.users["author"].id,
        "mine": True,
        "prompt": None,
        "originalCreator": None,
        "canEdit": True,
        "canDelete": True,
        # The discussion's fields: tests/functional/test_threads.py covers them.
        "parentId": None,
        "rootId": None,
        "replyCount": 0,
        "votes": 0,
        "voted": False,
        "hidden": False,
        "locked": False,
        "edited": False,
        "editedAt": None,
        "deleted": False,
        "canReply": True,
        "canVote": False,
        "canFlag": False,
        "canModerate": False,
    }
    stored = room.stored(int(created["id"].rsplit("/", 1)[1]))
    assert stored.prefix == room.text[start - 32 : start] and stored.exact == "single article"
    assert stored.body_html == extension["html"]


def test_a_highlight_has_a_colour_tag_and_no_text(room):
    created = room.annotate(motivation="highlighting", body=None, color="green")
    assert created["body"] == [{"type": "TextualBody", "value": "green", "purpose": "tagging"}]
    assert created["studygroup"]["color"] == "green"
    assert created["studygroup"]["html"] == ""


def test_a_question_and_the_json_ld_content_type(room):
    response = room.client("member").post(
        room.collection,
        data=room.app.json.dumps(payload(room.text, "margins", motivation="questioning")),
        content_type=LD_JSON,
    )
    assert response.status_code == 201, response.text
    assert response.get_json()["body"][0]["purpose"] == "questioning"


def test_client_prefix_and_suffix_are_advisory(room):
    data = payload(room.text, "groups")
    data["target"]["selector"][0].update(prefix="nonsense", suffix="more nonsense")
    created = room.client("author").post(room.collection, json=data).get_json()
    assert created["target"]["selector"][0]["prefix"] == "Reading "
    assert created["target"]["selector"][0]["suffix"] == room.text[14:46]


def test_list_returns_a_collection_in_document_order(room):
    later = room.annotate(exact="margins")
    earlier = room.annotate(role="member", exact="Reading groups")
    middle = room.annotate(exact="highlight passages", visibility="private")
    response = room.client("author").get(room.collection)
    assert response.status_code == 200
    assert response.content_type == LD_JSON
    collection = response.get_json()
    assert collection["type"] == ["BasicContainer", "AnnotationCollection"]
    assert collection["id"] == f"http://localhost{room.collection}"
    assert collection["total"] == 3
    page = collection["first"]
    assert page["type"] == "AnnotationPage"
    assert page["items"] == [
        earlier | {"studygroup": page["items"][0]["studygroup"]},
        middle,
        later,
    ]
    assert page["items"][0]["studygroup"]["mine"] is False
    assert page["items"][0]["studygroup"]["canEdit"] is False


def test_show_patch_and_delete(room):
    created = room.annotate()
    url = created["id"].removeprefix("http://localhost")
    client = room.client("author")
    assert client.get(url).get_json() == created
    response = client.patch(
        url,
        json={
            "body": [{"type": "TextualBody", "value": "[link](javascript:alert(1)) **bold**"}],
            "studygroup": {"visibility": "private", "color": "pink"},
        },
    )
    assert response.status_code == 200, response.text
    assert response.content_type == LD_JSON
    changed = response.get_json()
    assert changed["studygroup"]["visibility"] == "private"
    assert changed["studygroup"]["color"] == "pink"
    assert "<a" not in changed["studygroup"]["html"]
    assert "<strong>bold</strong>" in changed["studygroup"]["html"]
    assert changed["target"] == created["target"]
    cleared = client.patch(url, json={"studygroup": {"color": None}}).get_json()
    assert cleared["studygroup"]["color"] is None
    assert cleared["studygroup"]["visibility"] == "private"
    assert cleared["body"][0]["value"] == "[link](javascript:alert(1)) **bold**"
    assert client.delete(url).status_code == 204
    assert room.stored(int(url.rsplit("/", 1)[1])) is None
    assert client.get(url).status_code == 404


def revise(room: Room, text: str) -> str:
    """A new revision, as the readings service stores one (re-anchoring is its own concern)."""
    with room.app.app_context():
        reading = db.session.get(Reading, room.reading_id)
        number = reading.current_revision + 1
        db.session.add(
            ReadingRevision(
                reading_id=reading.id,
                number=number,
                source_format="text",
                source=text,
                html=f"<p>{text}</p>",
                text=text,
            )
        )
        reading.current_revision = number
        db.session.commit()
    return text


def orphan(room: Room, annotation: dict[str, Any]) -> str:
    annotation_id = int(annotation["id"].rsplit("/", 1)[1])
    with room.app.app_context():
        db.session.get(Annotation, annotation_id).orphaned = True
        db.session.commit()
    return annotation["id"].removeprefix("http://localhost") + "/reattach"


@pytest.mark.parametrize("role", ["author", "facilitator"])
def test_reattach_an_orphan(room, role):
    url = orphan(room, room.annotate())
    response = room.client(role).post(url, json={"target": target(room.text, "margins")})
    assert response.status_code == 200, response.text
    moved = response.get_json()
    assert moved["studygroup"]["orphaned"] is False
    assert moved["target"]["selector"][0]["exact"] == "margins"
    assert moved["target"]["selector"][1]["start"] == room.text.index("margins")


def test_reattach_uses_the_current_revision(room):
    url = orphan(room, room.annotate())
    text = revise(room, "A new text about margins.\n")
    response = room.client("author").post(url, json={"target": target(text, "margins")})
    assert response.status_code == 200, response.text
    assert response.get_json()["studygroup"]["revision"] == 2


def test_only_orphans_are_reattached(room):
    created = room.annotate()
    url = created["id"].removeprefix("http://localhost") + "/reattach"
    response = room.client("author").post(url, json={"target": target(room.text, "margins")})
    assert response.status_code == 422
    assert "Only an orphaned annotation" in response.get_json()["error"]["message"]


def test_etag_changes_with_every_visible_change(room):
    client = room.client("author")

    def etag() -> str:
        response = client.get(room.collection)
        assert response.status_code == 200
        return response.headers["ETag"]

    empty = etag()
    assert client.get(room.collection, headers={"If-None-Match": empty}).status_code == 304
    created = room.annotate()
    url = created["id"].removeprefix("http://localhost")
    seen = [empty, etag()]
    assert client.get(room.collection, headers={"If-None-Match": empty}).status_code == 200
    room.annotate(role="member", visibility="private")  # invisible to the author
    assert etag() == seen[-1]
    assert room.client("member").get(room.collection).headers["ETag"] != seen[-1]
    client.patch(url, json={"studygroup": {"color": "blue"}})
    seen.append(etag())
    revise(room, room.text + "A new closing line.\n")
    seen.append(etag())
    client.delete(url)
    seen.append(etag())
    assert len(set(seen)) == len(seen)
    last = client.get(room.collection, headers={"If-None-Match": seen[-1]})
    assert last.status_code == 304 and last.headers["ETag"] == seen[-1]


def test_a_rename_reaches_cached_lists(room):
    room.annotate()
    reader = room.client("member")
    before = reader.get(room.collection)
    assert before.get_json()["first"]["items"][0]["creator"]["name"] == "Ada Author"
    author = room.client("author")
    assert author.post("/settings/name", data={"display_name": "Ada Lovelace"}).status_code == 302
    after = reader.get(room.collection, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.get_json()["first"]["items"][0]["creator"]["name"] == "Ada Lovelace"


def bulk_annotate(room: Room, count: int) -> None:
    """Insert rows directly: the test is about reading them back."""
    authors = [room.users[r].id for r in ("author", "member", "facilitator")]
    now = utcnow()
    rows = [
        {
            "reading_id": room.reading_id,
            "author_id": authors[i % 3],
            "motivation": "commenting",
            "visibility": "private" if i % 4 == 0 else "group",
            "body_source": f"Note {i}",
            "body_html": f"<p>Note {i}</p>",
            "revision": 1,
            "start": i % 60,
            "end": i % 60 + 5,
            "exact": room.text[i % 60 : i % 60 + 5],
            "prefix": "",
            "suffix": "",
            "orphaned": False,
            "created_at": now,
            "modified_at": now,
        }
        for i in range(count)
    ]
    with room.app.app_context():
        db.session.execute(insert(Annotation), rows)
        reading_changed(room.reading_id)  # as every service write does
        db.session.commit()


def test_listing_uses_the_same_number_of_queries_for_10_and_300(room):
    client = room.client("member")
    client.get(room.collection)  # load whatever the first request of an app loads
    counts, totals = [], []
    for batch in (10, 290):
        bulk_annotate(room, batch)
        with counting_queries(room.app) as statements:
            response = client.get(room.collection)
        assert response.status_code == 200
        counts.append(len(statements))
        totals.append(response.get_json()["total"])
    # The member sees the group's notes and their own private ones (a third of the private).
    assert totals == [8, 249]
    # 9: the votes are one grouped query, the revisions' dates (for target states) another
    assert counts[0] == counts[1] <= 9, counts
