"""Threads: replies to any depth through the W3C API, tombstones, edits, visibility, mentions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from studygroup.extensions import db
from studygroup.models import AnnotationEdit, Notification, NotificationKind
from tests.conftest import counting_queries
from tests.functional.discussion_support import HOST, Room, build_room


@pytest.fixture
def room(app, factory) -> Room:
    return build_room(app, factory)


def test_a_reply_targets_its_parent_and_joins_the_thread(room):
    question = room.annotate("author")
    response = room.post_reply("member", question, "It is *this* one.")
    assert response.status_code == 201, response.text
    reply = response.get_json()
    assert response.headers["Location"] == reply["id"]
    assert reply["motivation"] == "replying"
    assert reply["target"] == HOST + room.iri(question)
    assert reply["body"][0]["value"] == "It is *this* one."
    extension = reply["studygroup"]
    assert extension["html"].strip() == "<p>It is <em>this</em> one.</p>"
    assert (extension["parentId"], extension["rootId"], extension["replyCount"]) == (
        question,
        question,
        None,
    )
    assert extension["visibility"] == "group" and extension["canReply"]
    root = room.item("author", question)["studygroup"]
    assert root["replyCount"] == 1 and root["answered"] is False and root["canMarkAnswer"]


def test_threads_nest_to_depth_six_and_load_in_one_query(room):
    root = room.annotate("author", motivation="commenting", body="Start")
    chain = [root]
    for depth in range(6):
        author = "member" if depth % 2 else "facilitator"
        chain.append(room.reply(author, chain[-1], f"Depth {depth} speaking"))
    stored = [room.stored(i) for i in chain[1:]]
    assert [a.root_id for a in stored] == [root] * 6
    assert [a.parent_id for a in stored] == chain[:-1]

    client = room.client("member")
    client.get(room.iri(chain[3]) + "/thread")
    with counting_queries(room.app) as statements:
        response = client.get(room.iri(chain[3]) + "/thread")
    items = response.get_json()["first"]["items"]
    assert [int(i["id"].rsplit("/", 1)[1]) for i in items] == chain
    thread_queries = [s for s in statements if "FROM annotations" in s and "votes" not in s]
    assert len(thread_queries) == 2, thread_queries  # the annotation itself, then its thread

    page = client.get(room.discussion).text
    for depth in range(3):
        assert f"Depth {depth} speaking" in page
    assert "Depth 3 speaking" not in page  # deeper than four levels: on the thread's own page
    continue_url = f"/readings/{room.reading_id}/discussion/{chain[3]}"
    assert f'href="{continue_url}"' in page and "Continue this thread (3 more replies)" in page
    focused = client.get(continue_url)
    assert focused.status_code == 200
    assert all(f"Depth {depth} speaking" in focused.text for depth in range(2, 6))


def test_replies_appear_in_the_container_list_after_the_passages(room):
    first = room.annotate("author", motivation="commenting", body="One")
    reply = room.reply("member", first, "Two")
    items = room.client("facilitator").get(room.collection).get_json()["first"]["items"]
    by_id = {int(i["id"].rsplit("/", 1)[1]): i["studygroup"] for i in items}
    assert list(by_id) == [first, reply]
    assert by_id[first]["replyCount"] == 1 and by_id[reply]["parentId"] == first


def test_a_private_note_is_a_private_thread(room):
    note = room.annotate("author", motivation="commenting", body="Mine", visibility="private")
    reply = room.reply("author", note, "Still mine")
    assert room.item("author", reply)["studygroup"]["visibility"] == "private"
    assert room.post_reply("member", note).status_code == 404
    assert room.post_reply("facilitator", note).status_code == 404
    assert room.client("member").get(room.iri(reply)).status_code == 404


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("http://elsewhere.example/api/annotations/1", "must be an annotation's IRI"),
        ("/api/readings/1", "must be an annotation's IRI"),
        (12, "must be an annotation's IRI"),
        ({"selector": []}, "must be an annotation's IRI"),
    ],
    ids=["other-host", "not-an-annotation", "number", "no-iri"],
)
def test_bad_reply_targets_are_refused(room, target, message):
    before = room.ids()
    response = room.client("member").post(
        room.collection,
        json={"motivation": "replying", "target": target, "body": {"value": "x"}},
    )
    assert response.status_code == 422
    assert message in response.get_json()["error"]["message"]
    assert room.ids() == before


def test_replies_need_a_visible_parent_in_the_same_reading_and_a_body(room, factory):
    question = room.annotate("author")
    assert room.post_reply("member", 9999).status_code == 404
    empty = room.post_reply("member", question, "   ")
    assert empty.status_code == 422 and "needs a body" in empty.get_json()["error"]["message"]
    other = factory.reading(
        type("G", (), {"id": room.group_id})(), room.users["facilitator"], "Other text here."
    )
    response = room.client("member").post(
        f"/api/readings/{other.id}/annotations/",
        json={
            "motivation": "replying",
            "target": f"/api/annotations/{question}",
            "body": {"value": "x"},
        },
    )
    assert response.status_code == 422
    assert "another reading" in response.get_json()["error"]["message"]
    colored = room.client("member").post(
        room.collection,
        json={
            "motivation": "replying",
            "target": f"/api/annotations/{question}",
            "body": {"value": "x"},
            "studygroup": {"color": "green"},
        },
    )
    assert colored.status_code == 422


def test_deleting_with_replies_leaves_a_tombstone(room):
    root = room.annotate("author", motivation="commenting", body="Original thought")
    reply = room.reply("member", root, "Max's answer")
    assert room.client("author").delete(room.iri(root)).status_code == 204
    tombstone = room.stored(root)
    assert tombstone is not None and tombstone.deleted_at is not None
    assert tombstone.body_source == tombstone.body_html == ""
    shown = room.item("member", root)
    assert shown["creator"] == {"type": "Person", "name": "Deleted"} and "body" not in shown
    extension = shown["studygroup"]
    assert extension["deleted"] and extension["creatorId"] is None
    assert extension["replyCount"] == 1 and not extension["canReply"]
    assert room.item("author", root)["studygroup"]["canEdit"] is False
    assert room.stored(reply) is not None  # other people's replies stay
    page = room.client("member").get(room.discussion).text
    assert "This comment was deleted." in page and "Max's answer" in page
    assert "Original thought" not in page
    edit = room.client("author").patch(room.iri(root), json={"body": {"value": "x"}})
    assert edit.status_code == 422


def test_removing_the_last_reply_removes_the_tombstones_above_it(room):
    root = room.annotate("author", motivation="commenting", body="Root")
    middle = room.reply("member", root, "Middle")
    leaf = room.reply("author", middle, "Leaf")
    sibling = room.reply("facilitator", root, "Sibling")
    room.client("author").delete(room.iri(root))
    room.client("member").delete(room.iri(middle))
    assert room.stored(middle).deleted_at is not None
    room.client("author").delete(room.iri(leaf))
    assert room.stored(leaf) is None and room.stored(middle) is None
    assert room.stored(root).deleted_at is not None  # the sibling still hangs on it
    room.client("facilitator").delete(room.iri(sibling))
    assert room.ids() == set()


def test_a_leaf_without_replies_simply_disappears(room):
    root = room.annotate("author", motivation="commenting", body="Root")
    reply = room.reply("member", root, "Leaf")
    assert room.client("member").delete(room.iri(reply)).status_code == 204
    assert room.ids() == {root}
    assert room.client("author").delete(room.iri(root)).status_code == 204
    assert room.ids() == set()


def test_edits_are_marked_and_the_previous_bodies_kept_for_facilitators(room):
    root = room.annotate("author", motivation="commenting", body="First words")
    client = room.client("author")
    response = client.patch(room.iri(root), json={"body": {"value": "Second words"}})
    assert response.status_code == 200
    extension = response.get_json()["studygroup"]
    assert extension["edited"] and extension["editedAt"]
    client.patch(room.iri(root), json={"body": {"value": "Second words"}})  # same
    client.patch(room.iri(root), json={"body": {"value": "Third words"}})
    with room.app.app_context():
        kept = db.session.scalars(select(AnnotationEdit.body_source).order_by(AnnotationEdit.id))
        assert list(kept) == ["First words", "Second words"]
    history = room.client("facilitator").get(room.iri(root) + "/edits")
    assert [e["body"] for e in history.get_json()["edits"]] == ["First words", "Second words"]
    assert room.client("member").get(room.iri(root) + "/edits").status_code == 403
    assert room.client("author").get(room.iri(root) + "/edits").status_code == 403
    page = room.client("facilitator").get(f"/annotations/{root}/history")
    assert page.status_code == 200 and "First words" in page.text
    assert room.client("member").get(f"/annotations/{root}/history").status_code == 403
    assert ">edited<" in room.client("member").get(room.discussion).text


def test_a_thread_has_its_roots_visibility(room):
    note = room.annotate("author", motivation="commenting", body="Note", visibility="private")
    own_reply = room.reply("author", note, "More")
    client = room.client("author")
    public = {"studygroup": {"visibility": "group"}}
    made_public = client.patch(room.iri(note), json=public)
    assert made_public.status_code == 200
    assert room.stored(own_reply).visibility.value == "group"
    room.reply("member", note, "Max joins")
    back = client.patch(room.iri(note), json={"studygroup": {"visibility": "private"}})
    assert back.status_code == 422 and "cannot become private" in back.text
    on_reply = client.patch(room.iri(own_reply), json={"studygroup": {"visibility": "private"}})
    assert on_reply.status_code == 422 and "thread's visibility" in on_reply.text


def notifications(room: Room) -> list[tuple[str, str]]:
    with room.app.app_context():
        rows = db.session.scalars(select(Notification).order_by(Notification.id))
        names = {u.id: role for role, u in room.users.items()}
        return [(names[n.recipient_id], n.kind.value) for n in rows]


def test_replies_and_mentions_notify_the_right_people_once(room):
    question = room.annotate("author", body="What do you think, @Fran Facilitator?")
    assert notifications(room) == [("facilitator", NotificationKind.MENTION.value)]
    reply = room.reply("member", question, "Good question")
    assert notifications(room)[1:] == [("author", "reply")]
    room.reply("facilitator", reply, "I agree with @Max Member")
    # Max is mentioned (once: the mention wins over the reply); Ada took part, so she hears.
    assert sorted(notifications(room)[2:]) == [("author", "reply"), ("member", "mention")]


def test_an_edit_notifies_only_the_newly_mentioned(room):
    root = room.annotate("author", motivation="commenting", body="Hello @Max Member")
    assert notifications(room) == [("member", "mention")]
    room.client("author").patch(
        room.iri(root),
        json={"body": {"value": "Hello @Max Member and @Fran Facilitator"}},
    )
    assert notifications(room) == [("member", "mention"), ("facilitator", "mention")]
    html = room.stored(root).body_html
    assert 'class="mention"' in html and "Fran Facilitator</a>" in html


def test_a_locked_thread_takes_no_replies(room):
    question = room.annotate("author")
    reply = room.reply("member", question)
    assert room.client("facilitator").put(room.iri(reply) + "/lock").status_code == 200
    refused = room.post_reply("author", reply, "One more")
    assert refused.status_code == 422
    assert "locked this thread" in refused.get_json()["error"]["message"]
    assert room.item("member", reply)["studygroup"]["locked"] is True
    room.client("facilitator").delete(room.iri(question) + "/lock")
    assert room.post_reply("author", reply, "One more").status_code == 201
