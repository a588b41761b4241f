"""Who sees and changes which annotation: roles × visibility, tokens, CSRF, pending members."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from studygroup.extensions import db
from studygroup.models import Group, Membership, Role, User
from studygroup.services import tokens
from tests.conftest import PASSWORD, Factory, csrf_token_from

from .test_api_annotations import ROLES, build_room, orphan, payload, target

# GET of one annotation, and whether it is in the list: (group, private) per role.
SEES = {
    "author": ((200, True), (200, True)),
    "member": ((200, True), (404, False)),
    "facilitator": ((200, True), (404, False)),
    "outsider": ((404, None), (404, None)),
    "anonymous": ((401, None), (401, None)),
}
LIST_STATUS = {"outsider": 404, "anonymous": 401}


@pytest.fixture
def room(app, factory):
    return build_room(app, factory)


@pytest.mark.parametrize("visibility", ["group", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_who_sees_an_annotation(room, role, visibility):
    created = room.annotate(visibility=visibility)
    url = created["id"].removeprefix("http://localhost")
    client = room.client(role)
    status, listed = SEES[role][visibility == "private"]
    response = client.get(url)
    assert response.status_code == status, response.text
    if status == 404:
        assert "single article" not in response.text
    listing = client.get(room.collection)
    assert listing.status_code == LIST_STATUS.get(role, 200)
    if listed is not None:
        first = listing.get_json().get("first", {"items": []})  # an empty container has none
        ids = [item["id"] for item in first["items"]]
        assert (created["id"] in ids) is listed


# PATCH, DELETE and reattach of the author's group annotation, per role.
CHANGES = {
    "author": (200, 204, 200),
    "member": (403, 403, 403),
    "facilitator": (403, 403, 200),
    "outsider": (404, 404, 404),
    "anonymous": (401, 401, 401),
}


@pytest.mark.parametrize("role", ROLES)
def test_who_changes_an_annotation(room, role):
    client = room.client(role)
    patch_status, delete_status, reattach_status = CHANGES[role]
    url = room.annotate()["id"].removeprefix("http://localhost")
    patched = client.patch(url, json={"studygroup": {"color": "blue"}})
    assert patched.status_code == patch_status, patched.text
    reattach = orphan(room, room.annotate())
    moved = client.post(reattach, json={"target": target(room.text, "margins")})
    assert moved.status_code == reattach_status, moved.text
    assert client.delete(url).status_code == delete_status
    assert (room.stored(int(url.rsplit("/", 1)[1])) is None) is (delete_status == 204)


@pytest.mark.parametrize("role", ["author", "facilitator"])
def test_private_annotations_of_others_cannot_be_changed(room, role):
    url = room.annotate(role="member", visibility="private")["id"]
    url = url.removeprefix("http://localhost")
    client = room.client(role)
    assert client.patch(url, json={"studygroup": {"color": "blue"}}).status_code == 404
    assert client.delete(url).status_code == 404
    reattach = orphan(room, {"id": url})
    assert client.post(reattach, json={"target": target(room.text, "margins")}).status_code == 404


@pytest.mark.parametrize(("role", "status"), [("outsider", 404), ("anonymous", 401)])
def test_only_members_annotate(room, role, status):
    response = room.client(role).post(room.collection, json=payload(room.text))
    assert response.status_code == status
    assert room.count() == 0


def test_a_pending_member_is_still_an_outsider(room):
    room.annotate()
    with room.app.app_context():
        group = db.session.scalar(select(Group))
        user_id = room.users["outsider"].id
        db.session.add(Membership(group=group, user_id=user_id, role=Role.PENDING))
        db.session.commit()
    client = room.client("outsider")
    assert client.get(room.collection).status_code == 404
    assert client.post(room.collection, json=payload(room.text)).status_code == 404
    assert room.count() == 1


def bearer(room, role: str) -> dict[str, str]:
    with room.app.app_context():
        user = db.session.get(User, room.users[role].id)
        return {"Authorization": f"Bearer {tokens.create_token(user=user, label='script')}"}


def test_scripts_use_a_bearer_token(room):
    client = room.app.test_client()
    headers = bearer(room, "member")
    created = client.post(room.collection, json=payload(room.text), headers=headers)
    assert created.status_code == 201, created.text
    listed = client.get(room.collection, headers=headers).get_json()
    assert [item["id"] for item in listed["first"]["items"]] == [created.get_json()["id"]]
    assert listed["first"]["items"][0]["studygroup"]["mine"] is True
    wrong = client.get(room.collection, headers={"Authorization": "Bearer sg_not-a-token"})
    assert wrong.status_code == 401


def test_outsider_tokens_get_404(room):
    headers = bearer(room, "outsider")
    response = room.app.test_client().get(room.collection, headers=headers)
    assert response.status_code == 404


def test_browser_calls_need_the_csrf_header(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    room = build_room(app, Factory(app))
    client = room.app.test_client()
    page = client.get("/login")
    client.post(
        "/login",
        data={
            "email": room.users["author"].email,
            "password": PASSWORD,
            "csrf_token": csrf_token_from(page.text),
        },
    )
    token = csrf_token_from(client.get("/").text)
    refused = client.post(room.collection, json=payload(room.text))
    assert refused.status_code == 400
    assert room.count() == 0
    accepted = client.post(room.collection, json=payload(room.text), headers={"X-CSRFToken": token})
    assert accepted.status_code == 201, accepted.text
    scripted = client.post(room.collection, json=payload(room.text), headers=bearer(room, "member"))
    assert scripted.status_code == 201, scripted.text
