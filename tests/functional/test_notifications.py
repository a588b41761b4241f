"""Notifications: who is told about replies, mentions, answers and assignments; the page and API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert, select

from studygroup.extensions import db
from studygroup.models import (
    Annotation,
    Assignment,
    Group,
    GroupMute,
    Membership,
    Motivation,
    Notification,
    NotificationKind,
    NotificationPreference,
    Reading,
    Role,
    User,
    Visibility,
)
from studygroup.models.types import utcnow
from studygroup.rendering import render_comment
from studygroup.services import groups, notifications
from tests.conftest import Factory, counting_queries, signed_in_client

SOURCE = "Reading groups meet once a week to talk about a single article."


@dataclass
class Room:
    """A group (facilitator Fran, members Ada, Bob and Cy), a reading, and outsider Otto."""

    app: Flask
    group_id: int
    reading_id: int
    users: dict[str, User]

    def id(self, name: str) -> int:
        return self.users[name].id

    def client(self, name: str | None) -> FlaskClient:
        return signed_in_client(self.app, self.users[name] if name is not None else None)

    def annotate(
        self,
        author: str,
        body: str = "A thought.",
        *,
        motivation: Motivation = Motivation.COMMENTING,
        visibility: Visibility = Visibility.GROUP,
    ) -> int:
        """A root annotation on the passage 'Reading groups', written directly as a row."""
        with self.app.app_context():
            annotation = Annotation(
                reading_id=self.reading_id,
                author_id=self.id(author),
                motivation=motivation,
                visibility=visibility,
                body_source=body,
                body_html=render_comment(body),
                revision=1,
                start=0,
                end=14,
                exact="Reading groups",
            )
            db.session.add(annotation)
            db.session.commit()
            return annotation.id

    def reply(
        self, author: str, parent_id: int, body: str = "I agree.", *, notify: bool = True
    ) -> int:
        """A reply row in the parent's thread, announced as the replies service will."""
        with self.app.app_context():
            parent = db.session.get(Annotation, parent_id)
            reply = Annotation(
                reading_id=self.reading_id,
                author_id=self.id(author),
                motivation=Motivation.REPLYING,
                visibility=parent.visibility,
                body_source=body,
                body_html=render_comment(body),
                parent_id=parent.id,
                root_id=parent.root_id or parent.id,
            )
            db.session.add(reply)
            if notify:
                notifications.notify_reply(reply=reply)
            db.session.commit()
            return reply.id

    def rows(self, **filters: Any) -> list[tuple[str, str]]:
        """(recipient name, kind) of every notification, in id order."""
        names = {user.id: name for name, user in self.users.items()}
        with self.app.app_context():
            query = select(Notification).filter_by(**filters).order_by(Notification.id)
            return [(names[n.recipient_id], n.kind.value) for n in db.session.scalars(query)]

    def prefer(self, name: str, **settings: Any) -> None:
        with self.app.app_context():
            db.session.add(NotificationPreference(user_id=self.id(name), **settings))
            db.session.commit()


def build_room(app: Flask, factory: Factory) -> Room:
    names = ("fran", "ada", "bob", "cy", "otto")
    users = {name: factory.user(name.capitalize()) for name in names}
    group = factory.group(users["fran"])
    for name in ("ada", "bob", "cy"):
        factory.member(group, users[name])
    reading = factory.reading(group, users["fran"], SOURCE, title="On reading groups")
    return Room(app, group.id, reading.id, users)


@pytest.fixture
def room(app: Flask, factory: Factory) -> Room:
    return build_room(app, factory)


# ---- Who is told --------------------------------------------------------------------------


def test_a_reply_tells_the_thread_but_never_the_replier(room):
    root = room.annotate("ada")
    first = room.reply("bob", root)
    assert room.rows() == [("ada", "reply")]
    room.reply("cy", first)
    # Cy answers Bob: Bob (the parent's author) and Ada (the root's) hear, once each.
    assert room.rows() == [("ada", "reply"), ("ada", "reply"), ("bob", "reply")]
    room.reply("ada", root)
    assert sorted(room.rows()[3:]) == [("bob", "reply"), ("cy", "reply")]


def test_a_reply_to_my_own_thread_alone_tells_nobody(room):
    root = room.annotate("ada")
    room.reply("ada", root)
    assert room.rows() == []


def test_private_threads_tell_nobody(room):
    root = room.annotate("ada", visibility=Visibility.PRIVATE)
    room.reply("ada", root)
    group_root = room.annotate("bob")
    with room.app.app_context():
        private_reply = Annotation(
            reading_id=room.reading_id,
            author_id=room.id("ada"),
            motivation=Motivation.REPLYING,
            visibility=Visibility.PRIVATE,
            parent_id=group_root,
            root_id=group_root,
        )
        db.session.add(private_reply)
        assert notifications.notify_reply(reply=private_reply) == []
        db.session.commit()
    assert room.rows() == []


def test_deleted_replies_do_not_make_participants(room):
    root = room.annotate("ada")
    gone = room.reply("bob", root, notify=False)
    with room.app.app_context():
        db.session.get(Annotation, gone).deleted_at = utcnow()
        db.session.commit()
    room.reply("cy", root)
    assert room.rows() == [("ada", "reply")]


def test_mentions_tell_members_only_and_once_per_annotation(room):
    root = room.annotate("ada")
    with room.app.app_context():
        reply = Annotation(
            reading_id=room.reading_id,
            author_id=room.id("bob"),
            motivation=Motivation.REPLYING,
            body_source="@Ada @Cy @Otto @Bob",
            parent_id=root,
            root_id=root,
        )
        db.session.add(reply)
        people = db.session.scalars(select(User).where(User.display_name != "Fran")).all()
        notifications.notify_mentions(annotation=reply, mentioned=people)
        notifications.notify_reply(reply=reply)
        db.session.commit()
    # Otto is not a member and Bob wrote it; Ada was mentioned, so the reply adds nothing.
    assert room.rows() == [("ada", "mention"), ("cy", "mention")]


def test_mentions_in_private_annotations_tell_nobody(room):
    private = room.annotate("ada", "@Bob look", visibility=Visibility.PRIVATE)
    with room.app.app_context():
        annotation = db.session.get(Annotation, private)
        bob = db.session.get(User, room.id("bob"))
        assert notifications.notify_mentions(annotation=annotation, mentioned=[bob]) == []


def test_an_answer_tells_the_asker(room):
    question = room.annotate("ada", "Why weekly?", motivation=Motivation.QUESTIONING)
    answer = room.reply("bob", question, "Habit.", notify=False)
    with room.app.app_context():
        notifications.notify_answer(
            question=db.session.get(Annotation, question), answer=db.session.get(Annotation, answer)
        )
        db.session.commit()
    assert room.rows() == [("ada", "answer")]


def test_an_assignment_tells_every_member_but_the_facilitator(room, factory):
    pending = factory.user("Pat")
    with room.app.app_context():
        group = db.session.get(Group, room.group_id)
        db.session.add(Membership(group=group, user_id=pending.id, role=Role.PENDING))
        reading = db.session.get(Reading, room.reading_id)
        assignment = Assignment(
            reading=reading, group_id=room.group_id, due_at=datetime(2031, 5, 6, tzinfo=UTC)
        )
        db.session.add(assignment)
        fran = db.session.get(User, room.id("fran"))
        notifications.notify_assignment(assignment=assignment, assigned_by=fran)
        db.session.commit()
        texts = set(db.session.scalars(select(Notification.text)))
    assert room.rows() == [("ada", "assignment"), ("bob", "assignment"), ("cy", "assignment")]
    assert texts == {"Due 2031-05-06"}


def test_preferences_and_mutes_are_respected(room):
    room.prefer("bob", on_reply=False)
    with room.app.app_context():
        db.session.add(GroupMute(user_id=room.id("cy"), group_id=room.group_id))
        db.session.commit()
    root = room.annotate("bob")
    room.reply("cy", root)  # Bob turned replies off
    cy_root = room.annotate("cy")
    room.reply("ada", cy_root)  # Cy muted the group
    assert room.rows() == []


def test_the_snapshot_is_short_plain_text(room):
    body = "**Bold** claim. " + "word " * 100
    root = room.annotate("ada")
    with room.app.app_context():
        reply = Annotation(
            reading_id=room.reading_id,
            author_id=room.id("bob"),
            motivation=Motivation.REPLYING,
            body_source=body,
            body_html=f"<p><strong>Bold</strong> claim.\n{'word ' * 100}</p>",
            parent_id=root,
            root_id=root,
        )
        db.session.add(reply)
        [row] = notifications.notify_reply(reply=reply)
        db.session.commit()
        assert row.text.startswith("Bold claim. word word")
        assert len(row.text) == 200 and row.text.endswith("…")


# ---- The page -------------------------------------------------------------------------------


def test_the_page_lists_newest_first_with_links(room):
    root = room.annotate("ada")
    first = room.reply("bob", root, "First <b>reply</b>")
    second = room.reply("cy", root, "Second reply")
    page = room.client("ada").get("/notifications")
    assert page.status_code == 200
    html = page.text
    assert html.index("Second reply") < html.index("First &lt;b&gt;reply&lt;/b&gt;")
    for annotation in (first, second):  # opening one marks it read (static/js/bell.js)
        with room.app.app_context():
            notification = db.session.scalar(
                select(Notification.id).filter_by(annotation_id=annotation)
            )
        link = f"/readings/{room.reading_id}?notification={notification}#annotation-{annotation}"
        assert f'href="{link}"' in html
    assert "Cy replied in a discussion on “On reading groups”" in html
    assert html.count('class="notification unread"') == 2
    assert 'aria-label="Notifications, 2 unread"' in html
    assert html.count('data-local-time="datetime"') == 2  # shown in the reader's time zone


def test_marking_one_and_all_read(room):
    root = room.annotate("ada")
    room.reply("bob", root)
    room.reply("cy", root)
    ada = room.client("ada")
    [newest, oldest] = [n["id"] for n in ada.get("/api/notifications").get_json()["notifications"]]
    response = ada.post(f"/notifications/{oldest}/read", data={"page": "1"})
    assert response.status_code == 302 and response.location.endswith("/notifications?page=1")
    html = ada.get("/notifications").text
    assert html.count('class="notification unread"') == 1
    assert 'aria-label="Notifications, 1 unread"' in html
    assert ada.post("/notifications/read-all").status_code == 302
    html = ada.get("/notifications").text
    assert 'class="notification unread"' not in html
    assert 'aria-label="Notifications"' in html


def test_nobody_marks_anyone_elses_notifications(room):
    root = room.annotate("ada")
    room.reply("bob", root)
    [(notification_id,)] = _ids(room)
    assert room.client("bob").post(f"/notifications/{notification_id}/read").status_code == 404
    assert room.client("bob").post("/notifications/read-all").status_code == 302
    assert room.client(None).post(f"/notifications/{notification_id}/read").status_code == 302
    with room.app.app_context():
        assert db.session.get(Notification, notification_id).read_at is None


def _ids(room: Room) -> list[tuple[int]]:
    with room.app.app_context():
        return [tuple(row) for row in db.session.execute(select(Notification.id)).all()]


@pytest.mark.parametrize("page", ["0", "-1", "x", "1.5", "²", "99999999999999999999"])
def test_bad_page_numbers_are_a_clear_400(room, page):
    response = room.client("ada").get(f"/notifications?page={page}")
    assert response.status_code == 400
    assert "must be a whole number from 1 to 10000" in response.text


def test_pages_of_thirty(room):
    bulk(room, "ada", 31)
    ada = room.client("ada")
    first, second = ada.get("/notifications").text, ada.get("/notifications?page=2").text
    assert first.count('class="notification unread"') == 30 and 'rel="next"' in first
    assert second.count('class="notification unread"') == 1 and 'rel="prev"' in second
    assert "No more notifications" in ada.get("/notifications?page=3").text


def bulk(room: Room, name: str, count: int) -> None:
    """Many notifications at once, oldest first, each on its own annotation."""
    root = room.annotate("bob")
    start = utcnow() - timedelta(hours=count)
    with room.app.app_context():
        db.session.execute(
            insert(Notification),
            [
                {
                    "recipient_id": room.id(name),
                    "kind": NotificationKind.REPLY,
                    "group_id": room.group_id,
                    "reading_id": room.reading_id,
                    "annotation_id": root,
                    "actor_id": room.id("bob"),
                    "text": f"Note {i}",
                    "created_at": start + timedelta(hours=i),
                }
                for i in range(count)
            ],
        )
        db.session.commit()


def test_the_page_with_200_notifications_takes_as_many_queries_as_with_2(room, factory):
    # Every notification by a different person, so actors cannot come from the session cache.
    actors = [factory.user() for _ in range(3)]
    bulk(room, "ada", 2)
    ada = room.client("ada")
    with counting_queries(room.app) as few:
        assert ada.get("/notifications").status_code == 200
    bulk(room, "ada", 198)
    with room.app.app_context():
        rows = db.session.scalars(select(Notification)).all()
        for i, row in enumerate(rows):
            row.actor_id = actors[i % len(actors)].id
        db.session.commit()
    with counting_queries(room.app) as many:
        page = ada.get("/notifications?page=2")
    assert page.text.count('class="notification unread"') == 30
    assert len(many) == len(few) <= 5, many


# ---- What is visible --------------------------------------------------------------------


def test_leaving_a_group_hides_its_notifications(room):
    root = room.annotate("ada")
    room.reply("bob", root)
    assert room.client("ada").get("/api/notifications").get_json()["unread"] == 1
    with room.app.app_context():
        group = db.session.get(Group, room.group_id)
        groups.remove_member(group, groups.membership(group, room.id("ada")))
    listing = room.client("ada").get("/api/notifications").get_json()
    assert listing["notifications"] == [] and listing["unread"] == 0


def test_a_deleted_annotation_takes_its_notifications_along(room):
    root = room.annotate("ada")
    reply = room.reply("bob", root)
    with room.app.app_context():
        db.session.get(Annotation, reply).deleted_at = utcnow()
        db.session.commit()
    assert room.client("ada").get("/api/notifications").get_json()["unread"] == 0
    with room.app.app_context():
        db.session.delete(db.session.get(Annotation, reply))
        db.session.commit()
        assert db.session.scalars(select(Notification)).all() == []


# ---- The JSON API -------------------------------------------------------------------------


def test_the_api_lists_and_counts(room):
    root = room.annotate("ada")
    reply = room.reply("bob", root, "Sure.")
    room.reply("cy", root, "Hm.")
    ada = room.client("ada")
    body = ada.get("/api/notifications").get_json()
    assert body["unread"] == 2 and body["page"] == 1 and body["has_next"] is False
    older = body["notifications"][1]
    assert older == {
        "id": older["id"],
        "kind": "reply",
        "summary": "Bob replied in a discussion on “On reading groups”",
        "text": "Sure.",
        "url": f"/readings/{room.reading_id}?notification={older['id']}#annotation-{reply}",
        "group": {"id": room.group_id, "name": "Tuesday Circle"},
        "reading": {"id": room.reading_id, "title": "On reading groups"},
        "annotation_id": reply,
        "actor": {"id": room.id("bob"), "display_name": "Bob"},
        "created": older["created"],
        "read": False,
    }
    marked = ada.post("/api/notifications/read", json={"ids": [older["id"], 999_999]})
    assert marked.get_json() == {"marked": 1, "unread": 1}
    unread = ada.get("/api/notifications?unread=1").get_json()["notifications"]
    assert [n["text"] for n in unread] == ["Hm."]
    assert ada.post("/api/notifications/read", json={"all": True}).get_json() == {
        "marked": 1,
        "unread": 0,
    }


def test_the_api_ignores_other_peoples_ids(room):
    root = room.annotate("ada")
    room.reply("bob", root)
    [(notification_id,)] = _ids(room)
    response = room.client("cy").post("/api/notifications/read", json={"ids": [notification_id]})
    assert response.get_json() == {"marked": 0, "unread": 0}
    assert room.client("ada").get("/api/notifications").get_json()["unread"] == 1


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({}, 422, "Send"),
        ({"all": False}, 422, "Send"),
        ({"all": True, "ids": [1]}, 422, "Send"),
        ({"ids": "1"}, 422, "Send"),
        ({"ids": []}, 422, "1 to 500"),
        ({"ids": list(range(1, 502))}, 422, "1 to 500"),
        ({"ids": [1, "2"]}, 422, "whole numbers"),
        ({"ids": [True]}, 422, "whole numbers"),
        ({"ids": [2**63]}, 422, "whole numbers"),
        ([1, 2], 400, "JSON object"),
    ],
    ids=[
        "empty",
        "all-false",
        "both",
        "ids-not-list",
        "no-ids",
        "too-many",
        "string-id",
        "bool-id",
        "huge-id",
        "array",
    ],
)
def test_bad_read_requests_get_json_errors(room, body, status, message):
    response = room.client("ada").post("/api/notifications/read", json=body)
    assert response.status_code == status
    assert message in response.get_json()["error"]["message"]


def test_the_api_wants_json_and_a_login(room):
    ada = room.client("ada")
    form = ada.post("/api/notifications/read", data={"all": "true"})
    assert form.status_code == 415
    assert room.client(None).get("/api/notifications").status_code == 401
    assert room.client(None).post("/api/notifications/read", json={"all": True}).status_code == 401
    assert ada.get("/api/notifications?unread=maybe").status_code == 400


def test_the_bell_is_for_people_who_are_logged_in(room):
    assert "nav-bell" not in room.client(None).get("/").text
    assert 'aria-label="Notifications"' in room.client("ada").get("/").text


# ---- Settings ------------------------------------------------------------------------------


def test_settings_save_kinds_mode_and_mutes(room, factory):
    other = factory.group(room.users["ada"], name="Other Circle")
    ada = room.client("ada")
    page = ada.get("/settings/notifications")
    assert page.status_code == 200
    assert page.text.count("checked") == 7  # six kinds and the digest mode
    response = ada.post(
        "/settings/notifications",
        data={"kind": ["mention", "answer"], "email_mode": "immediate", "mute": [str(other.id)]},
    )
    assert response.status_code == 302
    with room.app.app_context():
        saved = db.session.get(NotificationPreference, room.id("ada"))
        assert [k for k in NotificationKind if saved.wants(k)] == [
            NotificationKind.MENTION,
            NotificationKind.ANSWER,
        ]
        assert saved.email_mode.value == "immediate"
        mutes = db.session.scalars(select(GroupMute.group_id)).all()
        assert mutes == [other.id]
    ada.post("/settings/notifications", data={"email_mode": "off", "mute": [str(room.group_id)]})
    with room.app.app_context():
        assert db.session.scalars(select(GroupMute.group_id)).all() == [room.group_id]
    assert (
        "Settings" in ada.get("/settings/").text
        and "/settings/notifications" in ada.get("/settings/").text
    )


@pytest.mark.parametrize(
    "data",
    [
        {"kind": ["reply", "gossip"], "email_mode": "digest"},
        {"kind": ["reply"], "email_mode": "hourly"},
        {"kind": ["reply"]},
        {"email_mode": "digest", "mute": ["x"]},
        {"email_mode": "digest", "mute": ["999999"]},
    ],
    ids=["unknown-kind", "unknown-mode", "no-mode", "bad-group", "not-my-group"],
)
def test_tampered_settings_are_a_400(room, data):
    response = room.client("ada").post("/settings/notifications", data=data)
    assert response.status_code == 400
    assert 'role="alert"' in response.text
    with room.app.app_context():
        assert db.session.get(NotificationPreference, room.id("ada")) is None


def test_outsiders_cannot_mute_a_group_they_are_not_in(room):
    response = room.client("otto").post(
        "/settings/notifications", data={"email_mode": "digest", "mute": [str(room.group_id)]}
    )
    assert response.status_code == 400
    assert "only mute groups you belong to" in response.text
