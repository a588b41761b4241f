"""Notifications where features meet: answers after replies, unscheduled readings, the bell's
count, and a note saved against a text that was edited meanwhile."""

from __future__ import annotations

import pytest

from tests.functional.test_notifications import SOURCE, Room, build_room


@pytest.fixture
def room(app, factory) -> Room:
    return build_room(app, factory)


def passage(exact: str, text: str = SOURCE, **extension: object) -> dict[str, object]:
    start = text.index(exact)
    return {
        "type": "Annotation",
        "motivation": "commenting",
        "body": {"type": "TextualBody", "value": "A thought.", "format": "text/markdown"},
        "target": {
            "selector": [
                {"type": "TextQuoteSelector", "exact": exact},
                {"type": "TextPositionSelector", "start": start, "end": start + len(exact)},
            ]
        },
        "studygroup": {"visibility": "group", **extension},
    }


def question_and_reply(room: Room) -> tuple[int, int]:
    ada, bob = room.client("ada"), room.client("bob")
    url = f"/api/readings/{room.reading_id}/annotations/"
    question = ada.post(url, json={**passage("once a week"), "motivation": "questioning"})
    iri = question.get_json()["id"]
    reply = bob.post(
        url,
        json={
            "type": "Annotation",
            "motivation": "replying",
            "body": {"type": "TextualBody", "value": "Habit."},
            "target": iri,
        },
    )
    assert reply.status_code == 201
    return int(iri.rsplit("/", 1)[1]), int(reply.get_json()["id"].rsplit("/", 1)[1])


@pytest.mark.parametrize("marker", ["ada", "fran"], ids=["asker-marks", "facilitator-marks"])
def test_marking_a_reply_the_answer_tells_the_asker_after_the_reply_did(room, marker):
    question, reply = question_and_reply(room)
    assert room.rows() == [("ada", "reply")]
    marked = room.client(marker).put(
        f"/api/readings/{room.reading_id}/annotations/{question}/answer",
        json={"answer": f"/api/annotations/{reply}"},
    )
    assert marked.status_code == 200
    # The asker chose it herself, so she needs no news of it; a facilitator's choice is news.
    expected = [("ada", "reply")] + ([("ada", "answer")] if marker == "fran" else [])
    assert room.rows() == expected
    # Reopened and marked again: still one "answered".
    room.client(marker).delete(f"/api/readings/{room.reading_id}/annotations/{question}/answer")
    room.client(marker).put(
        f"/api/readings/{room.reading_id}/annotations/{question}/answer",
        json={"answer": f"/api/annotations/{reply}"},
    )
    assert room.rows() == expected
    if marker == "fran":
        page = room.client("ada").get("/notifications").text
        assert "Bob answered your question on “On reading groups”" in page


def test_unscheduling_withdraws_the_scheduled_notification(room):
    fran = room.client("fran")
    url = f"/api/readings/{room.reading_id}/assignment"
    assert fran.put(url, json={"due": "2031-05-06T18:00:00+02:00"}).status_code == 200
    question_and_reply(room)
    assert sorted(room.rows()) == [
        ("ada", "assignment"),
        ("ada", "reply"),
        ("bob", "assignment"),
        ("cy", "assignment"),
    ]
    page = room.client("bob").get("/notifications").text
    # The due time is shown in the viewer's zone (static/js/local-time.js), not as UTC text.
    assert 'Due <time datetime="2031-05-06T16:00:00+00:00" data-local-time="datetime">' in page
    assert fran.delete(url).status_code in (200, 204)
    assert room.rows() == [("ada", "reply")]
    assert room.client("bob").get("/api/notifications/unread").get_json() == {"unread": 0}


def test_the_bell_count_is_one_small_call(room):
    question_and_reply(room)
    assert room.client("ada").get("/api/notifications/unread").get_json() == {"unread": 1}
    assert room.client(None).get("/api/notifications/unread").status_code == 401


def edit_text(room: Room, source: str) -> None:
    response = room.client("fran").patch(f"/api/readings/{room.reading_id}", json={"body": source})
    assert response.status_code == 200


def test_a_note_on_an_older_revision_is_moved_to_the_current_text(room):
    edit_text(room, "A new opening sentence. " + SOURCE)
    url = f"/api/readings/{room.reading_id}/annotations/"
    stale = passage("single article", revision=1)  # positions from revision 1
    unplaced = room.client("ada").post(url, json={**stale, "studygroup": {"visibility": "group"}})
    assert unplaced.status_code == 422  # without its revision, the positions are wrong
    created = room.client("ada").post(url, json=stale)
    assert created.status_code == 201
    data = created.get_json()
    position = next(s for s in data["target"]["selector"] if s["type"] == "TextPositionSelector")
    text = room.client("ada").get(f"/api/readings/{room.reading_id}").get_json()["text"]
    assert text[position["start"] : position["end"]] == "single article"
    assert data["studygroup"]["revision"] == 2


def test_a_note_whose_passage_was_edited_away_is_refused_and_nothing_is_stored(room):
    edit_text(room, "Reading groups meet. They talk.")
    url = f"/api/readings/{room.reading_id}/annotations/"
    response = room.client("ada").post(url, json=passage("single article", revision=1))
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "conflict"
    assert "The text was edited while you wrote" in error["message"]
    listing = room.client("ada").get(url).get_json()
    assert listing["total"] == 0 and listing["studygroup"] == {"revision": 2}


@pytest.mark.parametrize("revision", [0, -1, "2", True, 1.5], ids=str)
def test_a_bad_revision_is_a_clear_422(room, revision):
    url = f"/api/readings/{room.reading_id}/annotations/"
    response = room.client("ada").post(url, json=passage("single article", revision=revision))
    assert response.status_code == 422
    assert "revision" in response.get_json()["error"]["message"]


def test_a_revision_that_does_not_exist_is_a_clear_422(room):
    url = f"/api/readings/{room.reading_id}/annotations/"
    response = room.client("ada").post(url, json=passage("single article", revision=7))
    assert response.status_code == 422
    assert "no revision 7" in response.get_json()["error"]["message"]
