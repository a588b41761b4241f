"""@mentions against a real group: who can be mentioned, the links, and the autocomplete API."""

from __future__ import annotations

import pytest

from studygroup.extensions import db
from studygroup.models import Annotation, Group, Role
from studygroup.services import mentions, notifications
from tests.functional.test_notifications import Room, build_room


@pytest.fixture
def room(app, factory) -> Room:
    room = build_room(app, factory)
    for name in ("Ada Lovelace", "Adam Smith", "Grace Hopper", "Cyd Charisse"):
        user = factory.user(name)
        room.users[name] = user
        factory.member(_group(room), user)
    pending = factory.user("Adele Pending")
    room.users["pending"] = pending
    factory.member(_group(room), pending, Role.PENDING)
    return room


def _group(room: Room) -> Group:
    return Group(id=room.group_id, name="Tuesday Circle")


def search(room: Room, who: str, query: str, group_id: int | None = None):
    group_id = room.group_id if group_id is None else group_id
    return room.client(who).get(f"/api/groups/{group_id}/members/search", query_string={"q": query})


def names(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [member["display_name"] for member in response.get_json()["members"]]


def test_search_ranks_name_starts_then_word_starts_then_the_rest(room):
    assert names(search(room, "bob", "ad")) == ["Ada", "Ada Lovelace", "Adam Smith"]
    assert names(search(room, "bob", "HOP")) == ["Grace Hopper"]
    assert names(search(room, "bob", "c")) == ["Cy", "Cyd Charisse", "Ada Lovelace", "Grace Hopper"]
    assert names(search(room, "bob", "s")) == ["Adam Smith", "Cyd Charisse"]
    assert names(search(room, "bob", "zz")) == []


def test_search_leaves_out_me_and_pending_requests(room):
    assert names(search(room, "ada", "ad")) == ["Ada Lovelace", "Adam Smith"]
    assert "Adele Pending" not in names(search(room, "bob", "adele"))


def test_search_returns_at_most_eight(room, factory):
    for i in range(10):
        factory.member(_group(room), factory.user(f"Zed {i}"))
    assert len(names(search(room, "bob", "zed"))) == 8


@pytest.mark.parametrize(
    ("who", "query", "status"),
    [("otto", "ad", 404), (None, "ad", 401), ("bob", "", 400), ("bob", "  ", 400)],
    ids=["outsider", "anonymous", "empty", "blank"],
)
def test_search_is_for_members_with_a_query(room, who, query, status):
    response = search(room, who, query)
    assert response.status_code == status
    assert "error" in response.get_json()


def test_search_refuses_long_queries_and_unknown_groups(room):
    assert search(room, "bob", "a" * 81).status_code == 400
    assert search(room, "bob", "ad", group_id=999_999).status_code == 404


def test_rendering_links_mentions_and_names_the_members(room):
    with room.app.app_context():
        group = db.session.get(Group, room.group_id)
        html, people = mentions.render_with_mentions(
            group=group, body="Thanks @ada lovelace and @Grace! `@Cy` no, @Otto no, @Adele no"
        )
        ada, grace = room.id("Ada Lovelace"), room.id("Grace Hopper")
        assert [user.id for user in people] == [ada, grace]
        assert f'<a class="mention" href="/groups/{room.group_id}/members#user-{ada}">' in html
        assert "<code>@Cy</code>" in html
        found = mentions.mentioned_members(group=group, body="@Grace Hopper, @Cyd Charisse")
        assert [user.display_name for user in found] == ["Grace Hopper", "Cyd Charisse"]


def test_mentioned_members_are_notified(room):
    root = room.annotate("bob", "What do @Ada Lovelace and @Fran think?")
    with room.app.app_context():
        annotation = db.session.get(Annotation, root)
        group = db.session.get(Group, room.group_id)
        people = mentions.mentioned_members(group=group, body=annotation.body_source)
        notifications.notify_mentions(annotation=annotation, mentioned=people)
        db.session.commit()
    assert sorted(room.rows()) == [("Ada Lovelace", "mention"), ("fran", "mention")]
    [latest] = room.client("fran").get("/api/notifications").get_json()["notifications"]
    assert latest["summary"] == "Bob mentioned you on “On reading groups”"
    assert latest["text"] == "What do @Ada Lovelace and @Fran think?"
