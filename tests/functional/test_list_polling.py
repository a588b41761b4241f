"""The annotation list's ETag: two counters bumped by every write, so a poll reads one row."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import counting_queries
from tests.functional.discussion_support import HOST, Room, build_room


@pytest.fixture
def room(app, factory) -> Room:
    return build_room(app, factory)


def etag(room: Room, role: str) -> str:
    response = room.client(role).get(room.collection)
    assert response.status_code == 200, response.text
    return response.headers["ETag"]


def sql(statements: list[str]) -> list[str]:
    """What the database was asked, leaving out transaction control."""
    return [s for s in statements if not s.startswith(("BEGIN", "COMMIT", "ROLLBACK"))]


def test_a_poll_is_answered_without_reading_the_annotations(room):
    for i in range(3):
        room.annotate(body=f"Question {i}?")
    client = room.client("member")
    tag = etag(room, "member")
    with counting_queries(room.app) as statements:
        response = client.get(room.collection, headers={"If-None-Match": tag})
    assert response.status_code == 304
    queries = sql(statements)
    assert not [s for s in queries if "annotations" in s], queries
    assert len(queries) <= 3, queries  # the viewer, the reading with its group, the membership


def test_creating_an_annotation_takes_at_most_seven_statements_in_one_transaction(room):
    room.annotate()  # the first request of an app loads what every request then has
    start = room.text.index("margins")
    passage = {
        "motivation": "commenting",
        "body": {"type": "TextualBody", "value": "Why here?", "format": "text/markdown"},
        "target": {
            "selector": [
                {"type": "TextQuoteSelector", "exact": "margins"},
                {"type": "TextPositionSelector", "start": start, "end": start + 7},
            ]
        },
    }
    client = room.client("member")
    with counting_queries(room.app) as statements:
        response = client.post(room.collection, json=passage)
    assert response.status_code == 201, response.text
    # Viewer, reading, membership, revision dates (the W3C TimeState's sourceDate), the
    # revision's text, the row and the reading's change counter.
    assert len(sql(statements)) <= 7, statements
    assert len([s for s in statements if s.startswith("BEGIN")]) <= 1, statements


def _vote(room: Room, question: int, _reply: int) -> None:
    room.client("member").put(f"/api/readings/{room.reading_id}/annotations/{question}/vote")


def _answer(room: Room, question: int, reply: int) -> None:
    room.client("author").put(
        f"/api/readings/{room.reading_id}/annotations/{question}/answer",
        json={"answer": f"{HOST}/api/annotations/{reply}"},
    )


def _hide(room: Room, _question: int, reply: int) -> None:
    room.client("facilitator").put(
        f"/api/readings/{room.reading_id}/annotations/{reply}/hidden", json={"reason": "Rude."}
    )


def _lock(room: Room, question: int, _reply: int) -> None:
    room.client("facilitator").put(
        f"/api/readings/{room.reading_id}/annotations/{question}/lock", json={}
    )


def _edit(room: Room, question: int, _reply: int) -> None:
    room.client("author").patch(
        f"/api/readings/{room.reading_id}/annotations/{question}",
        json={"body": {"type": "TextualBody", "value": "Which one?", "format": "text/markdown"}},
    )


def _delete_reply(room: Room, _question: int, reply: int) -> None:
    room.client("member").delete(f"/api/readings/{room.reading_id}/annotations/{reply}")


def _reply(room: Room, question: int, _reply: int) -> None:
    room.reply("facilitator", question, "Another view.")


def _rename(room: Room, _question: int, _reply: int) -> None:
    room.client("member").post("/settings/name", data={"display_name": "Maxine Member"})


def _revise(room: Room, _question: int, _reply: int) -> None:
    response = room.client("facilitator").patch(
        f"/api/readings/{room.reading_id}", json={"body": room.text + "\n\nA closing line."}
    )
    assert response.status_code == 200, response.text


WRITES: dict[str, Callable[[Room, int, int], None]] = {
    "vote": _vote,
    "answer": _answer,
    "hide": _hide,
    "lock": _lock,
    "edit": _edit,
    "delete": _delete_reply,
    "reply": _reply,
    "rename": _rename,
    "revise": _revise,
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_the_list_shows_changes_its_etag(room, write):
    question = room.annotate()
    reply = room.reply("member", question)
    before = {role: etag(room, role) for role in ("author", "member", "facilitator")}
    write(room, question, reply)
    for role, tag in before.items():
        response = room.client(role).get(room.collection, headers={"If-None-Match": tag})
        assert response.status_code == 200, (role, response.status_code)


def test_private_notes_change_only_their_authors_etag(room):
    room.annotate()
    before = {role: etag(room, role) for role in ("author", "member", "facilitator")}
    note = room.annotate("member", motivation="commenting", body="Mine.", visibility="private")
    assert etag(room, "author") == before["author"]
    assert etag(room, "facilitator") == before["facilitator"]
    after = etag(room, "member")
    assert after != before["member"]
    room.client("member").delete(f"/api/readings/{room.reading_id}/annotations/{note}")
    assert etag(room, "author") == before["author"]
    assert etag(room, "member") not in (before["member"], after)
