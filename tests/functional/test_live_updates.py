"""Live updates by conditional polling: every change a member should see moves the ETag,
and nothing else does; the state lives in the database, so any worker answers alike."""

from __future__ import annotations

import pytest

from studygroup.extensions import db
from studygroup.models import Group, Role, User
from studygroup.services import groups
from tests.conftest import signed_in_client
from tests.functional.discussion_support import Room, build_room


@pytest.fixture
def room(app, factory) -> Room:
    return build_room(app, factory)


def etag(room: Room, role: str = "member") -> str:
    response = room.client(role).get(room.collection)
    assert response.status_code == 200
    return response.headers["ETag"]


def test_an_unchanged_list_answers_304(room):
    room.annotate("author")
    tag = etag(room)
    response = room.client("member").get(room.collection, headers={"If-None-Match": tag})
    assert response.status_code == 304 and response.data == b""


CHANGES = {
    "reply": lambda room, q, r: room.reply("author", r, "more"),
    "vote": lambda room, q, r: room.client("author").put(room.iri(r) + "/vote"),
    "unvote": lambda room, q, r: room.client("facilitator").delete(room.iri(q) + "/vote"),
    "answer": lambda room, q, r: room.client("author").post(f"/annotations/{r}/answer"),
    "hide": lambda room, q, r: room.client("facilitator").put(
        room.iri(r) + "/hidden", json={"reason": "x"}
    ),
    "lock": lambda room, q, r: room.client("facilitator").put(room.iri(q) + "/lock"),
    "edit": lambda room, q, r: room.client("member").patch(
        room.iri(r), json={"body": {"value": "edited"}}
    ),
    "delete-reply": lambda room, q, r: room.client("member").delete(room.iri(r)),
    "tombstone": lambda room, q, r: room.client("author").delete(room.iri(q)),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_every_change_moves_the_etag(room, change):
    question = room.annotate("author")
    reply = room.reply("member", question, "An answer")
    room.client("facilitator").put(room.iri(question) + "/vote")
    before = {role: etag(room, role) for role in ("member", "author")}
    change(room, question, reply)
    assert {role: etag(room, role) for role in ("member", "author")} != before
    assert etag(room, "member") != before["member"]


def test_a_new_role_moves_the_etag(room):
    room.annotate("author")
    before = etag(room, "member")
    with room.app.app_context():
        group = db.session.get(Group, room.group_id)
        member = groups.membership(group, room.users["member"].id)
        member.role = Role.FACILITATOR
        db.session.commit()
    assert etag(room, "member") != before


def test_two_apps_on_one_database_agree(room, make_app):
    """Another worker (a second app, its own cache and pool) gives the same answers."""
    question = room.annotate("author")
    first = etag(room)
    other = make_app()
    client = signed_in_client(other, room.users["member"])
    assert client.get(room.collection, headers={"If-None-Match": first}).status_code == 304
    room.reply("facilitator", question)
    response = client.get(room.collection, headers={"If-None-Match": first})
    assert response.status_code == 200 and response.headers["ETag"] != first
    with other.app_context():
        assert db.session.get(User, room.users["member"].id) is not None
