"""Moderation and answers: who may flag, hide, lock and mark answers; what others then see."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from studygroup.extensions import db
from studygroup.models import Flag, ModerationAction, Notification
from tests.functional.discussion_support import HOST, Room, build_room


@pytest.fixture
def room(app, factory) -> Room:
    return build_room(app, factory)


def actions(room: Room) -> list[tuple[str, str]]:
    with room.app.app_context():
        rows = db.session.scalars(select(ModerationAction).order_by(ModerationAction.id))
        return [(row.kind.value, row.reason) for row in rows]


@pytest.mark.parametrize(
    ("role", "status"),
    [("member", 403), ("author", 403), ("stranger", 404), ("outsider", 404), ("anonymous", 401)],
)
def test_only_the_groups_facilitators_hide(room, role, status):
    comment = room.annotate("author", motivation="commenting", body="Rude words")
    response = room.client(role).put(room.iri(comment) + "/hidden", json={"reason": "x"})
    assert response.status_code == status
    assert room.stored(comment).hidden_at is None and actions(room) == []


@pytest.mark.parametrize(("role", "status"), [("member", 403), ("stranger", 404)])
def test_the_moderation_page_is_for_the_groups_facilitators(room, role, status):
    assert room.client(role).get(f"/groups/{room.group_id}/moderation").status_code == status
    comment = room.annotate("author", motivation="commenting", body="Rude words")
    response = room.client(role).post(
        f"/annotations/{comment}/moderate", data={"action": "hide", "reason": "x"}
    )
    assert response.status_code == status


def test_a_hidden_annotation_is_a_placeholder_for_members_only(room):
    comment = room.annotate("author", motivation="commenting", body="Rude words")
    hide = room.client("facilitator").put(room.iri(comment) + "/hidden", json={"reason": "Be kind"})
    assert hide.status_code == 200 and hide.get_json()["studygroup"]["hidden"]
    member_view = room.item("member", comment)
    assert "body" not in member_view and member_view["studygroup"]["html"] == ""
    assert "hiddenReason" not in member_view["studygroup"]
    for role in ("author", "facilitator"):
        extension = room.item(role, comment)["studygroup"]
        assert "Rude words" in extension["html"] and extension["hiddenReason"] == "Be kind"
    member_page = room.client("member").get(room.discussion).text
    assert "Rude words" not in member_page and "Hidden by a facilitator." in member_page
    author_page = room.client("author").get(room.discussion).text
    assert "Rude words" in author_page and "Be kind" in author_page
    fran = room.client("facilitator")
    again = fran.put(room.iri(comment) + "/hidden", json={"reason": "x"})
    assert again.status_code == 422 and "already hidden" in again.text
    assert fran.delete(room.iri(comment) + "/hidden").status_code == 200
    assert room.item("member", comment)["body"] != []
    assert actions(room) == [("hide", "Be kind"), ("unhide", "")]


def test_hiding_needs_a_reason(room):
    comment = room.annotate("author", motivation="commenting", body="Words")
    api = room.client("facilitator").put(room.iri(comment) + "/hidden", json={"reason": ""})
    assert api.status_code == 422 and "'reason' is required" in api.text
    form = room.client("facilitator").post(
        f"/annotations/{comment}/moderate", data={"action": "hide", "reason": " "}
    )
    assert form.status_code == 400 and "Give a reason." in form.text
    unknown = room.client("facilitator").post(
        f"/annotations/{comment}/moderate", data={"action": "explode"}
    )
    assert unknown.status_code == 400
    assert room.stored(comment).hidden_at is None


def test_members_flag_and_facilitators_see_flags_and_the_log(room):
    comment = room.annotate("author", motivation="commenting", body="Spam spam")
    response = room.client("member").post(
        room.iri(comment) + "/flags", json={"reason": "Looks like spam"}
    )
    assert response.status_code == 201
    own = room.client("author").post(room.iri(comment) + "/flags", json={"reason": "x"})
    assert own.status_code == 422
    blank = room.client("member").post(f"/annotations/{comment}/flag", data={"reason": ""})
    assert blank.status_code == 400 and "Give a reason." in blank.text
    page = room.client("facilitator").get(f"/groups/{room.group_id}/moderation").text
    assert "Looks like spam" in page and "Spam spam" in page
    room.client("facilitator").post(
        f"/annotations/{comment}/moderate", data={"action": "hide", "reason": "Spam"}
    )
    with room.app.app_context():
        assert db.session.scalar(select(Flag.resolved_at)) is not None
    page = room.client("facilitator").get(f"/groups/{room.group_id}/moderation").text
    assert "No open flags." in page and "Hid" in page and "Fran Facilitator" in page


def test_locking_and_unlocking_are_recorded(room):
    question = room.annotate("author")
    client = room.client("facilitator")
    locking = client.post(f"/annotations/{question}/moderate", data={"action": "lock"})
    assert locking.status_code == 302
    page = room.client("member").get(room.discussion).text
    assert "Locked: no new replies." in page
    form = room.client("member").post(f"/annotations/{question}/replies", data={"body": "Hi"})
    assert form.status_code == 400 and "locked this thread" in form.text
    again = client.put(room.iri(question) + "/lock")
    assert again.status_code == 422 and "already locked" in again.text
    client.post(f"/annotations/{question}/moderate", data={"action": "unlock"})
    assert [kind for kind, _ in actions(room)] == ["lock", "unlock"]


@pytest.mark.parametrize(
    ("marker", "status"),
    [("author", 200), ("facilitator", 200), ("member", 403), ("stranger", 404)],
)
def test_the_asker_or_a_facilitator_marks_the_answer(room, marker, status):
    question = room.annotate("author")
    answer = room.reply("member", question, "Because.")
    response = room.client(marker).put(
        room.iri(question) + "/answer", json={"answer": HOST + room.iri(answer)}
    )
    assert response.status_code == status
    if status == 200:
        extension = response.get_json()["studygroup"]
        assert extension["answered"] and extension["answerId"] == answer
    else:
        assert room.stored(question).answer_id is None


def test_answers_show_first_and_can_be_reopened(room):
    question = room.annotate("author")
    first = room.reply("facilitator", question, "First try")
    second = room.reply("member", question, "The real answer")
    client = room.client("author")
    assert client.post(f"/annotations/{second}/answer").status_code == 302
    page = room.client("member").get(room.discussion).text
    assert page.index("The real answer") < page.index("First try")
    assert "✓ Answer" in page and "Answered" in page
    assert room.client("member").post(f"/annotations/{first}/answer").status_code == 403
    questions = room.client("member").get(f"/groups/{room.group_id}/questions?state=answered")
    assert "Which article?" in questions.text
    assert client.delete(room.iri(question) + "/answer").status_code == 200
    assert room.stored(question).answer_id is None
    again = client.delete(room.iri(question) + "/answer")
    assert again.status_code == 422 and "already open" in again.text
    assert [kind for kind, _ in actions(room)] == ["mark-answer", "reopen"]


def test_only_replies_in_a_questions_thread_can_answer_it(room):
    comment = room.annotate("author", motivation="commenting", body="Not a question")
    reply = room.reply("member", comment)
    refused = room.client("author").put(
        room.iri(comment) + "/answer", json={"answer": f"/api/annotations/{reply}"}
    )
    assert refused.status_code == 422 and "Only a question" in refused.text
    question = room.annotate("author")
    elsewhere = room.client("author").put(
        room.iri(question) + "/answer", json={"answer": f"/api/annotations/{reply}"}
    )
    assert elsewhere.status_code == 422 and "reply in the question's thread" in elsewhere.text
    not_reply = room.client("member").post(f"/annotations/{comment}/answer")
    assert not_reply.status_code == 400


def test_a_facilitators_answer_mark_notifies_the_asker(room):
    question = room.annotate("author")
    with room.app.app_context():  # the asker hears of replies already; start afresh
        db.session.execute(Notification.__table__.delete())
        db.session.commit()
    answer = room.reply("member", question, "Because.")
    with room.app.app_context():
        db.session.execute(Notification.__table__.delete())
        db.session.commit()
    room.client("facilitator").put(
        room.iri(question) + "/answer", json={"answer": f"/api/annotations/{answer}"}
    )
    with room.app.app_context():
        kinds = [(n.recipient_id, n.kind.value) for n in db.session.scalars(select(Notification))]
    assert kinds == [(room.users["author"].id, "answer")]
