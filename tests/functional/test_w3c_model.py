"""Every annotation shape the API emits satisfies the Web Annotation Data Model's MUSTs:
checked with our own schemas (tests/schemas) and with the W3C test suite's when present."""

from __future__ import annotations

from typing import Any

import pytest

from tests.functional.discussion_support import HOST, SOURCE, Room, build_room
from tests.functional.w3c_schemas import our_errors, suite_failures


@pytest.fixture
def room(app, factory) -> Room:
    return build_room(app, factory)


def page_note(room: Room, body: str = "What did everyone make of the ending?") -> int:
    response = room.client("author").post(
        room.collection,
        json={
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "type": "Annotation",
            "body": {"type": "TextualBody", "value": body, "format": "text/plain"},
            "target": f"{HOST}/readings/{room.reading_id}",
        },
    )
    assert response.status_code == 201, response.text
    return int(response.get_json()["id"].rsplit("/", 1)[1])


def orphan(room: Room) -> int:
    """A comment whose passage an edit of the reading removes."""
    comment = room.annotate(motivation="commenting", body="Why weekly?", exact="once a week")
    edited = SOURCE.replace("meet once a week to talk", "talk")
    response = room.client("facilitator").patch(
        f"/api/readings/{room.reading_id}", json={"body": edited}
    )
    assert response.status_code == 200 and response.get_json()["orphaned"] == 1, response.text
    return comment


def highlight(room: Room, color: str | None) -> int:
    start = room.text.index("single article")
    selectors = [
        {"type": "TextQuoteSelector", "exact": "single article"},
        {"type": "TextPositionSelector", "start": start, "end": start + 14},
    ]
    data: dict[str, Any] = {"motivation": "highlighting", "target": {"selector": selectors}}
    if color:
        data["studygroup"] = {"color": color}
    response = room.client("author").post(room.collection, json=data)
    assert response.status_code == 201, response.text
    return int(response.get_json()["id"].rsplit("/", 1)[1])


def tombstone(room: Room) -> int:
    root = room.annotate(motivation="commenting", body="Soon gone")
    room.reply("member", root)
    assert room.client("author").delete(room.iri(root)).status_code == 204
    return root


def hidden(room: Room) -> int:
    comment = room.annotate(motivation="commenting", body="Rude words")
    response = room.client("facilitator").put(room.iri(comment) + "/hidden", json={"reason": "x"})
    assert response.status_code == 200
    return comment


SHAPES = {
    "highlight": lambda room: highlight(room, None),
    "highlight-with-colour": lambda room: highlight(room, "green"),
    "comment": lambda room: room.annotate(motivation="commenting", body="A *comment*"),
    "question": lambda room: room.annotate(motivation="questioning", body="Which one?"),
    "private-note": lambda room: room.annotate(
        motivation="commenting", body="Only me", visibility="private"
    ),
    "reply": lambda room: room.reply("member", room.annotate()),
    "tombstone": tombstone,
    "page-note": page_note,
    "orphan": orphan,
    "hidden": hidden,
}


@pytest.fixture(params=list(SHAPES), ids=list(SHAPES))
def shape(request, room) -> dict[str, Any]:
    """One annotation of each kind, as the member who may see it (the author, if private)."""
    annotation_id = SHAPES[request.param](room)
    viewer = "author" if request.param == "private-note" else "member"
    return room.item(viewer, annotation_id)


def test_every_shape_meets_our_schema_of_the_model(shape):
    assert our_errors(shape, "annotation") == []


def test_every_shape_meets_the_w3c_suites_musts(shape):
    assert suite_failures(shape, "annotations/annotationMusts.test") == []


def test_every_shape_in_the_container_meets_the_collection_musts(room, shape):
    collection = room.client("author").get(room.collection).get_json()
    assert our_errors(collection, "collection") == []
    assert suite_failures(collection, "collections/collectionMusts.test") == []


def test_3_2_an_annotation_without_text_has_no_body_at_all(room):
    bare = room.item("member", highlight(room, None))
    assert "body" not in bare
    coloured = room.item("member", highlight(room, "blue"))
    assert coloured["body"] == [{"type": "TextualBody", "value": "blue", "purpose": "tagging"}]
    assert "body" not in room.item("member", tombstone(room))
    assert "body" not in room.item("member", hidden(room))


def test_3_3_2_the_creator_is_a_person_with_a_stable_iri(room):
    item = room.item("member", room.annotate(motivation="commenting", body="Hi"))
    author_id = room.users["author"].id
    assert item["creator"] == {
        "type": "Person",
        "name": "Ada Author",
        "id": f"{HOST}/api/users/{author_id}",
    }
    person = room.client("member").get(f"/api/users/{author_id}")
    assert person.status_code == 200
    assert person.get_json() == {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": item["creator"]["id"],
        "type": "Person",
        "name": "Ada Author",
    }
    assert room.client("outsider").get(f"/api/users/{author_id}").status_code == 404


def test_3_2_4_a_textual_body_names_its_format(room):
    item = room.item("member", room.annotate(motivation="commenting", body="*Why?*"))
    (text,) = item["body"]
    assert text["format"] == "text/markdown" and text["value"] == "*Why?*"


def test_4_3_1_a_target_names_the_revision_its_selectors_refer_to(room):
    item = room.item("member", room.annotate())
    state = item["target"]["state"]
    assert state["type"] == "TimeState" and state["sourceDate"].endswith("Z")
    assert state["cached"] == f"{HOST}/api/readings/{room.reading_id}/revisions/1"
    revision = room.client("member").get(state["cached"].removeprefix(HOST)).get_json()
    start = item["target"]["selector"][1]["start"]
    assert revision["value"][start : start + 14] == "single article"
    assert revision["created"] == state["sourceDate"]


def test_4_3_1_an_orphan_says_its_selectors_belong_to_the_old_revision(room):
    item = room.item("member", orphan(room))
    reading = room.client("member").get(f"/api/readings/{room.reading_id}").get_json()
    assert reading["revision"] == 2
    state = item["target"]["state"]
    assert state["cached"].endswith("/revisions/1")
    old = room.client("member").get(state["cached"].removeprefix(HOST)).get_json()
    new = room.client("member").get(f"/api/readings/{room.reading_id}/revisions/2").get_json()
    assert old["current"] is False and new["current"] is True
    assert old["created"] == state["sourceDate"] <= new["created"]
    position = next(s for s in item["target"]["selector"] if s["type"] == "TextPositionSelector")
    assert old["value"][position["start"] : position["end"]] == "once a week"
    assert "once a week" not in new["value"]


def test_4_a_page_note_targets_the_reading_itself(room):
    item = room.item("member", page_note(room))
    assert item["target"] == {"source": f"{HOST}/readings/{room.reading_id}"}
    assert item["motivation"] == "commenting"
    assert item["body"][0]["value"] == "What did everyone make of the ending?"


def test_5_2_the_embedded_page_has_an_iri_and_belongs_to_its_collection(room):
    room.annotate()
    collection = room.client("member").get(room.collection).get_json()
    page = collection["first"]
    assert page["id"] == f"{HOST}{room.collection}?page=0"
    assert page["partOf"] == {"id": f"{HOST}{room.collection}"}
    assert page["startIndex"] == 0 and "next" not in page and "prev" not in page
    assert collection["last"] == page["id"]
