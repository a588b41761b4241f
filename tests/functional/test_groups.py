"""Groups through the HTML pages: create, invite, join, roles, leave."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from studygroup.extensions import db
from studygroup.models import Group, Membership, Role


def roles(app: Flask, group_id: int) -> dict[int, str]:
    with app.app_context():
        rows = db.session.scalars(select(Membership).where(Membership.group_id == group_id))
        return {m.user_id: m.role.value for m in rows}


def invite_token(app: Flask, group_id: int) -> str:
    with app.app_context():
        return db.session.get(Group, group_id).invite_token


def test_creating_a_group_makes_me_its_facilitator(app, client, factory, login):
    user = factory.user()
    login(user)
    response = client.post(
        "/groups/new", data={"name": "  Capital, vol. 1 ", "description": "Weekly"}
    )
    assert response.status_code == 302
    with app.app_context():
        group = db.session.scalar(select(Group))
        assert group.name == "Capital, vol. 1"
    assert roles(app, group.id) == {user.id: "facilitator"}
    assert b"Capital, vol. 1" in client.get("/").data


def test_group_form_errors_are_shown(client, factory, login):
    login(factory.user())
    response = client.post("/groups/new", data={"name": ""})
    assert response.status_code == 400
    assert b"This field is required." in response.data


def test_joining_through_the_invite_link(app, client, factory, login):
    owner, friend = factory.user(), factory.user()
    group = factory.group(owner)
    token = invite_token(app, group.id)
    anonymous = client.get(f"/join/{token}")
    assert anonymous.status_code == 200
    assert f"/login?next=/join/{token}" in anonymous.text
    assert client.post(f"/join/{token}").headers["Location"] == f"/login?next=/join/{token}"
    login(friend)
    page = client.get(f"/join/{token}")
    assert page.status_code == 200 and b"Join the group" in page.data
    assert client.post(f"/join/{token}").headers["Location"] == f"/groups/{group.id}"
    assert roles(app, group.id) == {owner.id: "facilitator", friend.id: "member"}
    assert friend.display_name.encode() in client.get(f"/groups/{group.id}/members").data


def test_registering_through_the_invite_link_returns_to_it(app, client, factory):
    group = factory.group(factory.user())
    token = invite_token(app, group.id)
    response = client.post(
        f"/register?next=/join/{token}",
        data={"display_name": "New", "email": "new@example.org", "password": "a fine passphrase"},
    )
    assert response.headers["Location"] == f"/join/{token}"


def test_disabled_and_regenerated_links_stop_working(app, client, factory, login):
    owner = factory.user()
    group = factory.group(owner)
    old = invite_token(app, group.id)
    login(owner)
    client.post(f"/groups/{group.id}/invite", data={"action": "disable"})
    outsider = app.test_client()
    outsider.post(
        "/login", data={"email": factory.user().email, "password": "correct horse battery staple"}
    )
    assert outsider.get(f"/join/{old}").status_code == 404
    client.post(f"/groups/{group.id}/invite", data={"action": "regenerate"})
    new = invite_token(app, group.id)
    assert new != old
    assert outsider.get(f"/join/{old}").status_code == 404
    assert outsider.get(f"/join/{new}").status_code == 200
    assert client.post(f"/groups/{group.id}/invite", data={"action": "explode"}).status_code == 400


def test_approval_groups_hold_requests_until_approved(app, client, factory, login):
    owner, friend = factory.user(), factory.user()
    group = factory.group(owner, requires_approval=True)
    login(friend)
    client.post(f"/join/{invite_token(app, group.id)}")
    assert roles(app, group.id)[friend.id] == "pending"
    assert client.get(f"/groups/{group.id}").status_code == 404
    client.post("/logout")
    login(owner)
    assert b"asks to join" in client.get(f"/groups/{group.id}/members").data
    client.post(f"/groups/{group.id}/members/{friend.id}/role", data={"role": "member"})
    assert roles(app, group.id)[friend.id] == "member"


def test_promote_demote_and_the_last_facilitator(app, client, factory, login):
    owner, friend = factory.user(), factory.user()
    group = factory.group(owner)
    factory.member(group, friend)
    login(owner)
    url = f"/groups/{group.id}/members"
    client.post(f"{url}/{owner.id}/role", data={"role": "member"})
    assert roles(app, group.id)[owner.id] == "facilitator"
    assert b"needs a facilitator" in client.get(url).data
    client.post(f"{url}/{friend.id}/role", data={"role": "facilitator"})
    client.post(f"{url}/{owner.id}/role", data={"role": "member"})
    assert roles(app, group.id) == {owner.id: "member", friend.id: "facilitator"}
    # Now a member, the former owner may no longer manage roles.
    assert client.post(f"{url}/{friend.id}/role", data={"role": "member"}).status_code == 403


def test_role_must_be_a_real_role(client, factory, login):
    owner, friend = factory.user(), factory.user()
    group = factory.group(owner)
    factory.member(group, friend)
    login(owner)
    for role in ("admin", "pending", ""):
        url = f"/groups/{group.id}/members/{friend.id}/role"
        assert client.post(url, data={"role": role}).status_code == 400


def test_remove_and_leave(app, client, factory, login):
    owner, a, b = factory.user(), factory.user(), factory.user()
    group = factory.group(owner)
    factory.member(group, a)
    factory.member(group, b)
    login(owner)
    client.post(f"/groups/{group.id}/members/{a.id}/remove")
    assert a.id not in roles(app, group.id)
    client.post(f"/groups/{group.id}/leave")
    assert roles(app, group.id)[owner.id] == "facilitator"  # the last facilitator stays
    client.post("/logout")
    login(b)
    assert client.post(f"/groups/{group.id}/leave").headers["Location"] == "/"
    assert b.id not in roles(app, group.id)
    assert client.get(f"/groups/{group.id}").status_code == 404


def test_facilitator_edits_the_group(app, client, factory, login):
    owner = factory.user()
    group = factory.group(owner)
    login(owner)
    response = client.post(
        f"/groups/{group.id}/edit",
        data={"name": "Renamed", "description": "New text", "requires_approval": "y"},
    )
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.get(Group, group.id)
        assert (stored.name, stored.requires_approval) == ("Renamed", True)
    assert client.post(f"/groups/{group.id}/edit", data={"name": ""}).status_code == 400


def test_members_see_the_group_but_not_the_invite_controls(client, factory, login):
    owner, friend = factory.user(), factory.user()
    group = factory.group(owner)
    factory.member(group, friend, Role.MEMBER)
    login(friend)
    page = client.get(f"/groups/{group.id}/members")
    assert page.status_code == 200
    assert b"Invite link" not in page.data and b"Make facilitator" not in page.data


def test_a_logged_out_invitee_sees_the_group_and_its_hosts_and_a_dead_link_says_so(
    app, client, factory
):
    owner = factory.user("Fran")
    group = factory.group(owner, name="Tuesday Circle", description="We read <b>slowly</b>.")
    token = invite_token(app, group.id)
    page = client.get(f"/join/{token}")
    assert page.status_code == 200
    assert "Fran invites you to join" in page.text and "“Tuesday Circle”" in page.text
    assert "We read &lt;b&gt;slowly&lt;/b&gt;." in page.text
    assert f'href="/register?next=/join/{token}"' in page.text
    dead = client.get("/join/not-a-live-token")
    assert dead.status_code == 404
    assert "This invite link is not valid any more" in dead.text
    assert "/register" not in dead.text.split("<main", 1)[1]  # not asked to register first


def test_a_group_description_renders_markdown_sanitized_wherever_it_shows(
    app, client, factory, login
):
    owner, friend = factory.user(), factory.user()
    group = factory.group(owner)
    login(owner)
    source = "We read **slowly**. See [the list](https://example.org/list)<script>alert(1)</script>"
    response = client.post(f"/groups/{group.id}/edit", data={"name": "Slow", "description": source})
    assert response.status_code == 302
    with app.app_context():
        row = db.session.get(Group, group.id)
        assert row.description == source
        assert "<strong>slowly</strong>" in row.description_html
        assert "<script" not in row.description_html
    pages = [f"/groups/{group.id}", "/"]
    for page in pages:
        html = client.get(page).text
        assert "<strong>slowly</strong>" in html, page
        assert 'href="https://example.org/list"' in html, page
        assert "alert(1)</script>" not in html, page
        assert "**slowly**" not in html, page
    client.post("/logout")
    login(friend)
    invite = client.get(f"/join/{invite_token(app, group.id)}").text
    assert "<strong>slowly</strong>" in invite
    assert "<script>alert" not in invite


def test_clearing_a_description_clears_its_html(app, client, factory, login):
    owner = factory.user()
    group = factory.group(owner)
    login(owner)
    client.post(f"/groups/{group.id}/edit", data={"name": "Slow", "description": "*Hi*"})
    client.post(f"/groups/{group.id}/edit", data={"name": "Slow", "description": "  "})
    with app.app_context():
        row = db.session.get(Group, group.id)
        assert (row.description, row.description_html) == ("", "")
    assert "group-description" not in client.get(f"/groups/{group.id}").text
