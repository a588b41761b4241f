"""The groups JSON API, with session cookies and with bearer tokens."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from studygroup.extensions import db
from studygroup.models import ApiToken, Group
from studygroup.services import tokens


def bearer(app, user) -> dict[str, str]:
    with app.app_context():
        token = tokens.create_token(user=db.session.get(type(user), user.id), label="test")
    return {"Authorization": f"Bearer {token}"}


def test_list_and_show_my_groups(client, factory, login):
    owner, friend = factory.user(), factory.user()
    mine = factory.group(owner, name="Mine")
    factory.group(friend, name="Not mine")
    login(owner)
    listed = client.get("/api/groups").get_json()
    assert [g["name"] for g in listed["groups"]] == ["Mine"]
    shown = client.get(f"/api/groups/{mine.id}").get_json()
    assert shown["members"] == [{"id": owner.id, "name": owner.display_name, "role": "facilitator"}]


def test_create_with_a_bearer_token(app, factory):
    user = factory.user()
    response = app.test_client().post(
        "/api/groups",
        json={"name": "Scripted", "description": "via API"},
        headers=bearer(app, user),
    )
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"].endswith(f"/api/groups/{body['id']}")
    assert body["members"][0]["role"] == "facilitator"


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({}, 422, "'name' is required."),
        ({"name": "  "}, 422, "'name' is required."),
        ({"name": 5}, 422, "'name' must be a string."),
        ({"name": "x" * 121}, 422, "at most 120"),
        ({"name": "ok", "description": ["x"]}, 422, "'description' must be a string."),
        ([1, 2], 400, "must be a JSON object"),
    ],
    ids=["missing", "blank", "number", "too-long", "bad-description", "array"],
)
def test_create_rejects_bad_input(app, client, factory, login, payload, status, message):
    login(factory.user())
    response = client.post("/api/groups", json=payload)
    assert response.status_code == status
    assert message in response.get_json()["error"]["message"]
    with app.app_context():
        assert db.session.scalar(select(Group)) is None


def test_invalid_json_and_wrong_content_type(client, factory, login):
    login(factory.user())
    broken = client.post("/api/groups", data="{nope", content_type="application/json")
    assert broken.status_code == 400
    assert broken.get_json()["error"]["code"] == "bad_request"
    form = client.post("/api/groups", data={"name": "x"})
    assert form.status_code == 415


def test_join_by_api(app, factory):
    owner, friend = factory.user(), factory.user()
    group = factory.group(owner)
    with app.app_context():
        token = db.session.get(Group, group.id).invite_token
    client = app.test_client()
    headers = bearer(app, friend)
    assert client.post("/api/join/not-a-token", headers=headers).status_code == 404
    response = client.post(f"/api/join/{token}", headers=headers)
    assert response.get_json()["role"] == "member"
    assert client.get(f"/api/groups/{group.id}", headers=headers).status_code == 200


def test_api_needs_authentication(client):
    response = client.get("/api/groups")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_bad_or_revoked_tokens_are_refused(app, factory):
    user = factory.user()
    headers = bearer(app, user)
    client = app.test_client()
    assert client.get("/api/groups", headers=headers).status_code == 200
    assert (
        client.get("/api/groups", headers={"Authorization": "Bearer sg_wrong"}).status_code == 401
    )
    assert client.get("/api/groups", headers={"Authorization": "Basic abc"}).status_code == 401
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert tokens.revoke_token(user=token.user, token_id=token.id)
    assert client.get("/api/groups", headers=headers).status_code == 401


def test_a_bad_token_does_not_fall_back_to_the_session_cookie(client, factory, login):
    login(factory.user())
    assert client.get("/api/groups").status_code == 200
    response = client.get("/api/groups", headers={"Authorization": "Bearer sg_wrong"})
    assert response.status_code == 401


def test_tokens_are_stored_hashed_and_managed_in_settings(app, client, factory, login):
    user = factory.user()
    login(user)
    page = client.post("/settings/tokens", data={"label": "my script"})
    assert page.status_code == 200
    with app.app_context():
        stored = db.session.scalar(select(ApiToken))
        assert stored.label == "my script"
        assert stored.token_hash.encode() not in page.data
    shown = page.data.split(b'id="new-token" type="text" readonly value="')[1].split(b'"')[0]
    assert shown.startswith(b"sg_")
    headers = {"Authorization": f"Bearer {shown.decode()}"}
    assert app.test_client().get("/api/groups", headers=headers).status_code == 200
    assert client.post(f"/settings/tokens/{stored.id}/revoke").status_code == 302
    assert app.test_client().get("/api/groups", headers=headers).status_code == 401
    assert client.post(f"/settings/tokens/{stored.id}/revoke").status_code == 404


def test_facilitators_see_the_invite_url_and_a_script_can_join_with_it(app, factory):
    owner, friend, newcomer = factory.user(), factory.user(), factory.user()
    group = factory.group(owner)
    factory.member(group, friend)
    client = app.test_client()
    shown = client.get(f"/api/groups/{group.id}", headers=bearer(app, owner)).get_json()
    url = shown["invite_url"]
    assert url.startswith("http://") and "/join/" in url
    as_member = client.get(f"/api/groups/{group.id}", headers=bearer(app, friend)).get_json()
    assert "invite_url" not in as_member  # members do not hand out the link
    token = url.rsplit("/", 1)[1]
    joined = client.post(f"/api/join/{token}", headers=bearer(app, newcomer))
    assert joined.status_code == 200 and joined.get_json()["role"] == "member"
    with app.app_context():
        db.session.get(Group, group.id).invite_enabled = False
        db.session.commit()
    off = client.get(f"/api/groups/{group.id}", headers=bearer(app, owner)).get_json()
    assert off["invite_url"] is None
