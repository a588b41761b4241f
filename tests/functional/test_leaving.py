"""Leaving: deleting an account keeps public threads readable and nothing private; deleting
a group removes everything in it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from studygroup.extensions import db
from studygroup.models import (
    Annotation,
    ApiToken,
    Group,
    Membership,
    Notification,
    Reading,
    ReadingRevision,
    Role,
    User,
    Vote,
)
from studygroup.services import tokens
from tests.conftest import PASSWORD, stored
from tests.functional.export_support import build_circle


@pytest.fixture
def circle(app, factory):
    return build_circle(app, factory)


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_deleting_my_account_keeps_my_public_writing_as_a_deleted_users(app, circle):
    max_ = circle.users["member"]
    with app.app_context():
        token = tokens.create_token(user=db.session.get(User, max_.id), label="script")
    about_him = count(app, Notification, Notification.actor_id == max_.id)
    assert about_him > 0  # Ada heard about his reply
    for_him = count(app, Notification, Notification.recipient_id == max_.id)
    assert for_him > 0  # he heard about Ada's answer
    client = circle.client("member")
    assert client.get("/settings/delete-account").status_code == 200
    response = client.post("/settings/delete-account", data={"password": PASSWORD})
    assert response.status_code == 302
    assert stored(app, User, max_.id) is None
    # His reply stays in the thread, without him; his private note and his vote are gone.
    reply = stored(app, Annotation, circle.ids["reply"])
    assert reply is not None and reply.author_id is None
    assert stored(app, Annotation, circle.ids["max_note"]) is None
    assert count(app, Vote) == 0
    assert count(app, ApiToken) == 0
    assert count(app, Notification) == 0
    # The session he used is over, and so is his token.
    assert client.get("/settings/").status_code == 302
    headers = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/groups", headers=headers).status_code == 401
    # Ada still reads the whole thread, and sees who wrote what.
    page = circle.client("author").get(f"/readings/{circle.reading_id}/discussion").text
    assert "This one:" in page and "Deleted user" in page and "Max Member" not in page
    rows = circle.client("author").get(f"/api/readings/{circle.reading_id}/export?format=csv")
    assert "Deleted user" in rows.text and "Max's secret thought" not in rows.text


def test_deleting_an_account_needs_the_password(app, circle):
    client = circle.client("member")
    response = client.post("/settings/delete-account", data={"password": "not my password"})
    assert response.status_code == 400
    assert "Your password is not correct." in response.text
    assert stored(app, User, circle.users["member"].id) is not None


def test_the_last_facilitator_is_asked_to_hand_over_first(app, circle):
    client = circle.client("facilitator")
    page = client.get("/settings/delete-account").text
    assert "only facilitator" in page and "Tuesday Circle" in page
    response = client.delete("/api/me", json={"password": PASSWORD})
    assert response.status_code == 409
    assert "Tuesday Circle" in response.get_json()["error"]["message"]
    assert stored(app, User, circle.users["facilitator"].id) is not None
    with app.app_context():
        membership = db.session.scalar(
            select(Membership).where(Membership.user_id == circle.users["author"].id)
        )
        membership.role = Role.FACILITATOR
        db.session.commit()
    assert client.delete("/api/me", json={"password": PASSWORD}).status_code == 204
    assert stored(app, User, circle.users["facilitator"].id) is None
    # Her highlight stays with the group.
    assert stored(app, Annotation, circle.ids["highlight"]).author_id is None


@pytest.mark.parametrize(
    ("body", "status"),
    [
        pytest.param({"password": "wrong"}, 403, id="wrong-password"),
        pytest.param({}, 422, id="no-password"),
    ],
)
def test_api_account_deletion_refusals(app, circle, body, status):
    response = circle.client("author").delete("/api/me", json=body)
    assert response.status_code == status
    assert response.get_json()["error"]["message"]
    assert stored(app, User, circle.users["author"].id) is not None


def test_deleting_a_group_removes_everything_in_it(app, factory, circle):
    other = factory.group(circle.users["author"], name="Another Circle")
    factory.reading(other, circle.users["author"], "Stays.")
    client = circle.client("facilitator")
    page = client.get(f"/groups/{circle.group_id}/delete").text
    assert f"/api/groups/{circle.group_id}/export" in page  # the export is offered first
    response = client.post(f"/groups/{circle.group_id}/delete", data={"confirm_name": "Tuesday"})
    assert response.status_code == 400
    assert stored(app, Group, circle.group_id) is not None
    response = client.post(
        f"/groups/{circle.group_id}/delete", data={"confirm_name": "Tuesday Circle"}
    )
    assert response.status_code == 302
    assert stored(app, Group, circle.group_id) is None
    assert count(app, Reading, Reading.group_id == circle.group_id) == 0
    assert count(app, Annotation) == 0
    assert count(app, Vote) == 0
    assert count(app, ReadingRevision) == 1  # the other group's reading
    assert count(app, Notification, Notification.group_id == circle.group_id) == 0
    assert count(app, Membership, Membership.group_id == circle.group_id) == 0


def test_only_a_facilitator_deletes_a_group(app, circle):
    assert circle.client("member").delete(f"/api/groups/{circle.group_id}").status_code == 403
    assert circle.client("outsider").delete(f"/api/groups/{circle.group_id}").status_code == 404
    assert circle.client("facilitator").delete(f"/api/groups/{circle.group_id}").status_code == 204
    assert stored(app, Group, circle.group_id) is None
