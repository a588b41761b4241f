"""Upvotes: one per member, idempotent both ways, counted in lists and pages, sortable."""

from __future__ import annotations

import pytest

from tests.functional.discussion_support import Room, build_room


@pytest.fixture
def room(app, factory) -> Room:
    return build_room(app, factory)


def test_votes_are_idempotent_toggles(room):
    question = room.annotate("author")
    url = room.iri(question) + "/vote"
    max_client, fran_client = room.client("member"), room.client("facilitator")
    assert max_client.put(url).get_json() == {"votes": 1, "voted": True}
    assert max_client.put(url).get_json() == {"votes": 1, "voted": True}
    assert fran_client.put(url).get_json() == {"votes": 2, "voted": True}
    assert max_client.delete(url).get_json() == {"votes": 1, "voted": False}
    assert max_client.delete(url).get_json() == {"votes": 1, "voted": False}
    extension = room.item("facilitator", question)["studygroup"]
    assert (extension["votes"], extension["voted"]) == (1, True)
    assert room.item("member", question)["studygroup"]["voted"] is False


@pytest.mark.parametrize(
    ("voter", "status", "message"),
    [
        ("author", 422, "your own"),
        ("outsider", 404, None),
        ("stranger", 404, None),
        ("anonymous", 401, None),
    ],
)
def test_who_cannot_vote(room, voter, status, message):
    question = room.annotate("author")
    response = room.client(voter).put(room.iri(question) + "/vote")
    assert response.status_code == status
    if message:
        assert message in response.get_json()["error"]["message"]
    assert room.item("member", question)["studygroup"]["votes"] == 0


def test_highlights_hidden_and_deleted_annotations_take_no_votes(room):
    highlight = room.annotate("author", motivation="highlighting", body="")
    assert room.client("member").put(room.iri(highlight) + "/vote").status_code == 422
    assert room.item("member", highlight)["studygroup"]["canVote"] is False
    comment = room.annotate("author", motivation="commenting", body="Hm")
    reply = room.reply("member", comment, "x")
    room.client("facilitator").put(room.iri(comment) + "/hidden", json={"reason": "Off"})
    assert room.client("member").put(room.iri(comment) + "/vote").status_code == 422
    room.client("author").delete(room.iri(comment))
    assert room.client("member").put(room.iri(comment) + "/vote").status_code == 422
    assert room.client("author").put(room.iri(reply) + "/vote").status_code == 200


def test_the_page_votes_without_javascript_and_sorts_by_votes(room):
    older = room.annotate("author", body="Older question")
    newer = room.annotate("author", body="Newer question", exact="Members")
    client = room.client("member")
    response = client.post(
        f"/annotations/{older}/vote", data={"vote": "on", "next": room.discussion + "?sort=votes"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"?sort=votes#annotation-{older}")
    page = client.get(room.discussion + "?sort=votes").text
    assert page.index("Older question") < page.index("Newer question")
    assert 'aria-pressed="true"' in page and "Me too" in page
    page = client.get(room.discussion + "?sort=newest").text
    assert page.index("Newer question") < page.index("Older question")
    assert client.post(f"/annotations/{newer}/vote", data={"vote": "maybe"}).status_code == 400
    own = room.client("author").post(f"/annotations/{older}/vote", data={"vote": "on"})
    assert own.status_code == 400 and "You cannot upvote your own annotation." in own.text
    client.post(f"/annotations/{older}/vote", data={"vote": "off"})
    assert room.item("member", older)["studygroup"]["votes"] == 0
