"""The readings JSON API: create, fetch with canonical text, revise, delete, schedule, mark read."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from studygroup import anchoring
from studygroup.extensions import db
from studygroup.models import Annotation, Assignment, Motivation, Reading, ReadingRevision, Role
from studygroup.rendering import canonical_text
from studygroup.services import tokens
from tests.conftest import Factory

TEXT = "\u201cQuoted\u201d \u2014 caf\u00e9\u2026 \U0001f600 \u6f22\u5b57"


@dataclass
class Api:
    app: Flask
    group_id: int
    clients: dict[str, FlaskClient]

    def count(self, model: Any) -> int:
        with self.app.app_context():
            return db.session.scalar(select(func.count()).select_from(model)) or 0

    def create(self, **body: Any) -> dict[str, Any]:
        payload = {"title": "Essay", "body": TEXT, **body}
        response = self.clients["facilitator"].post(
            f"/api/groups/{self.group_id}/readings", json=payload
        )
        assert response.status_code == 201, response.text
        return response.get_json()


@pytest.fixture
def api(app: Flask, factory: Factory) -> Api:
    facilitator, member = factory.user(), factory.user()
    group = factory.group(facilitator)
    factory.member(group, member, Role.MEMBER)
    clients = {}
    for role, user in (("facilitator", facilitator), ("member", member)):
        client = clients[role] = app.test_client()
        with app.app_context():
            token = tokens.create_token(user=db.session.merge(user), label="test")
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return Api(app, group.id, clients)


@pytest.mark.parametrize(
    ("fmt", "body", "html"),
    [
        ("markdown", f"*{TEXT}*", f"<p><em>{TEXT}</em></p>\n"),
        ("text", f"{TEXT}\nline", f"<p>{TEXT}</p>\n<p>line</p>"),
        ("html", f"<p onclick=x>{TEXT}<script>1</script></p>", f"<p>{TEXT}</p>"),
    ],
    ids=["markdown", "text", "html"],
)
def test_create_and_fetch_in_each_format(api, fmt, body, html):
    created = api.create(body=body, format=fmt, author="A. Writer", source_url="https://e.org/x")
    assert created["html"] == html
    assert created["text"] == canonical_text(html)
    fetched = api.clients["member"].get(f"/api/readings/{created['id']}").get_json()
    assert fetched == created
    assert fetched["url"] == f"http://localhost/readings/{created['id']}"
    assert (fetched["title"], fetched["author"], fetched["source_url"]) == (
        "Essay",
        "A. Writer",
        "https://e.org/x",
    )
    assert (fetched["revision"], fetched["format"], fetched["read"]) == (1, fmt, False)


def test_create_answers_with_a_location(api):
    response = api.clients["facilitator"].post(
        f"/api/groups/{api.group_id}/readings", json={"title": "T", "body": "B"}
    )
    assert response.status_code == 201
    reading_id = response.get_json()["id"]
    assert response.headers["Location"] == f"http://localhost/api/readings/{reading_id}"
    assert response.get_json()["format"] == "text"  # detected: "B" has no Markdown structure


def test_list_readings_of_a_group(api):
    first, second = api.create(title="First"), api.create(title="Second")
    response = api.clients["member"].get(f"/api/groups/{api.group_id}/readings")
    listed = response.get_json()["readings"]
    assert [r["id"] for r in listed] == [second["id"], first["id"]]
    assert "text" not in listed[0] and listed[0]["assignment"] is None


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({"body": "B"}, 422, "'title' is required."),
        ({"title": "  ", "body": "B"}, 422, "'title' is required."),
        ({"title": "T"}, 422, "'body' is required."),
        ({"title": "T", "body": 5}, 422, "'body' must be a string."),
        ({"title": "T", "body": "B", "format": "pdf"}, 422, "'format' must be one of"),
        ({"title": "T" * 301, "body": "B"}, 422, "'title' must be at most 300"),
        ({"title": "T", "body": "<script>x</script>", "format": "html"}, 422, "The text is empty"),
        ({"title": "T", "body": "B", "source_url": "javascript:x"}, 422, "http:// or https://"),
        (["not", "an", "object"], 400, "must be a JSON object"),
    ],
    ids=[
        "no-title",
        "blank-title",
        "no-body",
        "body-not-string",
        "unknown-format",
        "long-title",
        "empty-after-sanitizing",
        "unsafe-source-url",
        "not-an-object",
    ],
)
def test_bad_input_gets_a_clear_json_error(api, payload, status, message):
    response = api.clients["facilitator"].post(f"/api/groups/{api.group_id}/readings", json=payload)
    assert response.status_code == status
    assert message in response.get_json()["error"]["message"]
    assert api.count(Reading) == 0


def test_non_json_is_415(api):
    response = api.clients["facilitator"].post(
        f"/api/groups/{api.group_id}/readings", data={"title": "T", "body": "B"}
    )
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"


def test_patch_with_a_new_body_makes_a_revision_and_reports_reanchoring(api):
    created = api.create(body="Alpha beta gamma.\n\nDelta epsilon zeta.")
    text = created["text"]
    with api.app.app_context():
        for quote in ("beta", "Delta epsilon"):
            start = text.index(quote)
            selector = anchoring.describe(text, start, start + len(quote))
            db.session.add(
                Annotation(
                    reading_id=created["id"],
                    motivation=Motivation.HIGHLIGHTING,
                    revision=1,
                    **asdict(selector),
                )
            )
        db.session.commit()
    response = api.clients["facilitator"].patch(
        f"/api/readings/{created['id']}",
        json={"body": "Intro.\n\nAlpha beta gamma.", "format": "markdown", "title": "New"},
    )
    assert response.status_code == 200, response.text
    body = response.get_json()
    assert (body["reanchored"], body["orphaned"], body["still_orphaned"]) == (1, 1, 0)
    assert (body["revision"], body["title"]) == (2, "New")
    assert body["text"] == "Intro.\nAlpha beta gamma.\n"
    with api.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReadingRevision)) == 2


def test_patch_of_details_only_keeps_the_revision(api):
    created = api.create()
    response = api.clients["facilitator"].patch(
        f"/api/readings/{created['id']}", json={"author": "Someone"}
    )
    body = response.get_json()
    assert (body["revision"], body["author"], body["text"]) == (1, "Someone", created["text"])
    assert (body["reanchored"], body["orphaned"]) == (0, 0)


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({"body": "x", "revision": 7}, 409, "Someone else edited"),
        ({"body": "x", "revision": "1"}, 422, "'revision' must be"),
        ({"body": ""}, 422, "'body' is required."),
        ({"title": None}, 422, "'title' is required."),
        ({"format": "doc"}, 422, "'format' must be one of"),
    ],
    ids=["stale-revision", "revision-not-int", "empty-body", "null-title", "unknown-format"],
)
def test_bad_patches_change_nothing(api, payload, status, message):
    created = api.create()
    client = api.clients["facilitator"]
    response = client.patch(f"/api/readings/{created['id']}", json=payload)
    assert response.status_code == status
    assert message in response.get_json()["error"]["message"]
    assert client.get(f"/api/readings/{created['id']}").get_json() == created


def test_delete(api):
    created = api.create()
    response = api.clients["facilitator"].delete(f"/api/readings/{created['id']}")
    assert (response.status_code, response.data) == (204, b"")
    assert api.count(Reading) == 0
    assert api.clients["facilitator"].get(f"/api/readings/{created['id']}").status_code == 404


@pytest.mark.parametrize(
    ("due", "expected", "has_time"),
    [
        ("2031-05-06", "2031-05-06", False),
        ("2031-05-06T19:30:00+02:00", "2031-05-06T17:30:00+00:00", True),
        ("2031-05-06T17:30:00Z", "2031-05-06T17:30:00+00:00", True),
    ],
    ids=["date", "offset", "zulu"],
)
def test_schedule_through_the_api(api, due, expected, has_time):
    created = api.create()
    url = f"/api/readings/{created['id']}/assignment"
    client = api.clients["facilitator"]
    response = client.put(url, json={"due": due, "position": 2, "prompts": ["Why?", " ", "How?"]})
    assert response.status_code == 200, response.text
    assert response.get_json() == {
        "due": expected,
        "due_has_time": has_time,
        "position": 2,
        "prompts": ["Why?", "How?"],
        "post_first": False,
    }
    fetched = client.get(f"/api/readings/{created['id']}").get_json()
    assert fetched["assignment"]["due"] == expected
    assert client.delete(url).status_code == 204
    assert api.count(Assignment) == 0 and api.count(Reading) == 1


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"due": "tomorrow"}, "'due' must be a date"),
        ({"due": "2031-05-06T19:30:00"}, "UTC offset"),
        ({}, "'due' is required."),
        ({"due": "2031-05-06", "position": "2"}, "'position' must be a whole number"),
        ({"due": "2031-05-06", "position": 0}, "'position': Use a number from 1"),
        ({"due": "2031-05-06", "prompts": "Why?"}, "'prompts' must be a list of strings."),
        ({"due": "2031-05-06", "prompts": ["?"] * 11}, "'prompts': Use at most 10 prompts."),
    ],
    ids=["words", "naive", "missing", "position-string", "position-zero", "prompts-str", "many"],
)
def test_bad_schedules_are_refused(api, payload, message):
    created = api.create()
    response = api.clients["facilitator"].put(
        f"/api/readings/{created['id']}/assignment", json=payload
    )
    assert response.status_code == 422
    assert message in response.get_json()["error"]["message"]
    assert api.count(Assignment) == 0


def test_mark_read_and_unread(api):
    created = api.create()
    client, url = api.clients["member"], f"/api/readings/{created['id']}/read"
    assert client.put(url).get_json() == {"read": True}
    assert client.get(f"/api/readings/{created['id']}").get_json()["read"] is True
    assert client.delete(url).get_json() == {"read": False}
    assert client.get(f"/api/readings/{created['id']}").get_json()["read"] is False
